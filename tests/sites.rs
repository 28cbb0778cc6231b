//! Site recommendations on the hand-worked case, with the before/after figures
//! recomputed here independently (straight-line distances, areas by hand), and on Monaco.

use crate::common;
use common::*;
use std::collections::HashMap;

/// The cells of a CSV written by lantu (BOM, header), as maps column → value.
fn read_csv(path: &std::path::Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<String> = split(lines.next().unwrap());
    lines.map(|l| header.iter().cloned().zip(split(l)).collect()).collect()
}

/// Splits one CSV line, honouring double quotes.
fn split(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for ch in line.chars() {
        match (ch, quoted) {
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The centre of a WKT point or square polygon, without the fixture's offset.
fn centre(wkt: &str) -> (f64, f64) {
    let nums: Vec<f64> = wkt.replace(['(', ')', ','], " ").split_whitespace().filter_map(|t| t.parse().ok()).collect();
    let n = if nums.len() > 2 { 4 } else { 1 };
    let (mut x, mut y) = (0.0, 0.0);
    for i in 0..n {
        x += nums[2 * i];
        y += nums[2 * i + 1];
    }
    (x / n as f64 - 500_000.0, y / n as f64 - 3_270_000.0)
}

#[test]
fn hand_worked_sites_and_their_before_after_figures() {
    let dir = TempDir::new("sites");
    let out = dir.path().join("out");
    let o = lantu(&[
        "analyze",
        fixture("handworked/project_sites.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--sites",
        "2",
        "--no-maps",
    ]);
    let (stdout, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{err}");
    let sites = read_csv(&out.join("tables/sites.csv"));
    assert_eq!(sites.len(), 2, "{sites:?}");
    assert!(stdout.contains("无法使用的候选（无面积或过小）: 1"), "S4 has no floor area: {stdout}");
    let ba = read_csv(&out.join("tables/sites_before_after.csv"));

    // the inputs, read here
    let rows = |f: &str| read_csv(&fixture(&format!("handworked/{f}")));
    let communities = rows("communities.csv");
    let homes: Vec<((f64, f64), f64)> = rows("buildings.csv")
        .iter()
        .filter_map(|b| Some((centre(&b["WKT"]), b["户数"].parse::<f64>().ok()?)))
        .collect();
    let candidates = rows("candidates.csv");
    let mut facilities: Vec<((f64, f64), Vec<String>, f64)> = rows("facilities.csv")
        .iter()
        .filter(|f| f["服务类型"] != "篮球场")
        .map(|f| {
            (
                centre(&f["WKT"]),
                f["服务类型"].split(['、', ';']).map(str::to_string).collect(),
                f["建筑面积"].parse().unwrap_or(0.0),
            )
        })
        .collect();
    let kinds = lantu_core::Profile::builtin().kinds;
    let zh = |code: &str| kinds.zh(kinds.by_code(code).unwrap()).to_string();
    for s in &sites {
        let c = candidates.iter().find(|c| c["编号"] == s["source_id"]).unwrap();
        facilities.push((centre(&c["WKT"]), s["kinds"].split(';').map(zh).collect(), c["建筑面积"].parse().unwrap()));
    }
    let community_of = |p: (f64, f64)| -> &str {
        // the 1000 m grid of the case: A B C in the first row, D E above
        match ((p.0 / 1000.0).floor() as i32, (p.1 / 1000.0).floor() as i32) {
            (0, 0) => "A",
            (1, 0) => "B",
            (2, 0) => "C",
            (0, 1) => "D",
            (1, 1) => "E",
            _ => "",
        }
    };
    let profile = lantu_core::Profile::builtin();
    for c in &communities {
        let code = c["社区代码"].as_str();
        let row = ba.iter().find(|r| r["level"] == "community" && r["code"] == code).unwrap();
        // area gap after: required − (existing and converted floor area in the community)
        let households: f64 = c["户数"].parse().unwrap();
        if households > 0.0 {
            let standard = if c["有条件"] == "是" { 80.0 } else { 30.0 };
            let mut area: f64 = 0.0;
            for (p, _, a) in &facilities {
                if community_of(*p) == code {
                    area += a;
                }
            }
            // F4 (300 m², in B) is shared with C by households 500 : 400
            if code == "B" {
                area -= 300.0 * 400.0 / 900.0;
            }
            if code == "C" {
                area += 300.0 * 400.0 / 900.0;
            }
            let gap = (standard * households / 100.0 - area).max(0.0);
            let got: f64 = row["area_gap_after_m2"].parse().unwrap();
            assert!((got - gap).abs() < 0.01, "{code}: area gap after {got} vs {gap}");
        }
        // coverage after, per kind, by straight-line distance
        for k in profile.kinds.all() {
            let code_k = profile.kinds.code(k);
            let radius = profile.circle_of(k).radius_m.0;
            let in_c: Vec<&((f64, f64), f64)> = homes.iter().filter(|h| community_of(h.0) == code).collect();
            let total: f64 = in_c.iter().map(|h| h.1).sum();
            let covered: f64 = in_c
                .iter()
                .filter(|h| {
                    facilities.iter().any(|(p, kinds, _)| {
                        kinds.contains(&profile.kinds.zh(k).to_string())
                            && ((p.0 - h.0 .0).powi(2) + (p.1 - h.0 .1).powi(2)).sqrt() <= radius
                    })
                })
                .map(|h| h.1)
                .sum();
            let cell = &row[&format!("coverage_after_{code_k}")];
            if total > 0.0 {
                let got: f64 = cell.parse().unwrap();
                assert!(
                    (got - covered / total).abs() < 1e-4,
                    "{code} {code_k}: coverage after {got} vs {}",
                    covered / total
                );
            } else {
                assert_eq!(cell, "", "{code}: no homes, no coverage");
            }
        }
    }
    // the XLSX has the 建议选址 sheet, and the GeoPackage the ranked candidates
    assert!(lantu_read::layer_names(&out.join("report.xlsx")).unwrap().contains(&"建议选址".to_string()));
    let cand = lantu_read::read_layer(
        &out.join("blueprint.gpkg"),
        &lantu_read::ReadOptions { layer: Some("candidates"), ..Default::default() },
    )
    .unwrap();
    let rank = cand.fields.iter().position(|f| f == "site_rank").unwrap();
    assert_eq!(cand.features.iter().filter(|f| f.values[rank] != lantu_read::Value::Null).count(), 2);
}

#[test]
fn monaco_sites_from_osm_tags_appear_in_every_output() {
    // `demo --example monaco --sites 3`: the OSM extract with its DEM, run once for the tests
    let run = common::outputs::monaco_demo();
    let (out, stdout) = (&run.out, &run.stdout);
    let sites = read_csv(&out.join("tables/sites.csv"));
    assert!(!sites.is_empty() && sites.len() <= 3);
    assert!(lantu_read::layer_names(&out.join("report.xlsx")).unwrap().contains(&"建议选址".to_string()));
    assert!(stdout.contains("闲置资源改造选址建议"), "{stdout}");
    let street_map = std::fs::read_dir(out.join("maps"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("street_"))
        .count();
    assert_eq!(street_map, 1);
}

/// The default demo's ten sites go to the exact solver, which proves greedy's plan optimal:
/// the terminal and `manifest.json` say so, with the objective equal to the best bound.
#[test]
fn the_demo_sites_are_proven_optimal_by_the_exact_solver() {
    let run = common::outputs::demo();
    assert!(run.stdout.contains("求解：精确求解（混合整数规划"), "{}", run.stdout);
    assert!(run.stdout.contains("已证明最优") && run.stdout.contains("差距至多 0.0%"), "{}", run.stdout);
    let text = std::fs::read_to_string(run.out.join("manifest.json")).unwrap();
    let m: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sites = &m["sites"];
    assert!(sites["method"].as_str().unwrap().ends_with("proven optimal"), "{sites}");
    assert_eq!(sites["gap"].as_f64(), Some(0.0), "{sites}");
    assert_eq!(sites["objective"].as_f64(), sites["best_bound"].as_f64(), "{sites}");
    assert!(sites["objective"].as_f64().unwrap() > 0.0);
}
