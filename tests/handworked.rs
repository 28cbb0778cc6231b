//! The hand-worked case (tests/fixtures/handworked/README.md): every figure on paper.

use crate::common;
use common::*;

fn analyze_into(dir: &TempDir, name: &str, extra: &[&str]) -> (String, String, String) {
    let out = dir.path().join(name);
    let project = fixture("handworked/project.toml");
    let mut args = vec!["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = lantu(&args);
    let (stdout, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{err}");
    let read = |f: &str| std::fs::read_to_string(out.join("tables").join(f)).unwrap();
    (read("communities.csv"), read("streets.csv"), stdout)
}

#[test]
fn hand_worked_tables_match_exactly() {
    let dir = TempDir::new("handworked");
    let (communities, streets, stdout) = analyze_into(&dir, "out", &[]);
    let expected = |f: &str| std::fs::read_to_string(fixture(&format!("handworked/{f}"))).unwrap();
    assert_eq!(communities, expected("expected_communities.csv"));
    assert_eq!(streets, expected("expected_streets.csv"));
    // bad input in the case is reported: unknown kind, no floor area, zero households
    assert!(stdout.contains("篮球场 ×1") && stdout.contains("要素 F6"), "{stdout}");
    assert!(stdout.contains("无建筑面积 [字段 建筑面积] — 要素 F7"), "{stdout}");
    assert!(stdout.contains("户数为 0，须大于 0 [字段 户数] — 要素 E"), "{stdout}");
    // the page carries the project's name, as the PDF does
    let page = std::fs::read_to_string(dir.path().join("out/web/index.html")).unwrap();
    assert!(page.contains("<title>hand-worked 一张蓝图</title>"), "{}", &page[..page.len().min(400)]);
}

#[test]
fn thread_count_does_not_change_a_byte() {
    let dir = TempDir::new("handworked-threads");
    let one = analyze_into(&dir, "one", &["--threads", "1"]);
    let many = analyze_into(&dir, "many", &["--threads", "4"]);
    assert_eq!((one.0, one.1), (many.0, many.1));
}

#[test]
fn english_tables_keep_codes_and_translate_reasons() {
    let dir = TempDir::new("handworked-en");
    let (communities, _, _) = analyze_into(&dir, "en", &["--lang", "en"]);
    assert!(
        communities.contains("too few core (elderly/child) functions: only 1 (infant care), at least 2 needed"),
        "{communities}"
    );
    assert!(communities.contains("infant_care;culture;children_play"));
}

#[test]
fn progress_json_reports_every_stage_of_the_engine() {
    let dir = TempDir::new("handworked-progress");
    let out = dir.path().join("out");
    let project = fixture("handworked/project.toml");
    let o = lantu(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--progress", "json"]);
    let (stdout, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{err}");
    let events: Vec<serde_json::Value> =
        err.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).collect();
    let stages: Vec<(&str, &str)> =
        events.iter().map(|e| (e["stage"].as_str().unwrap(), e["event"].as_str().unwrap())).collect();
    // no walkways: straight-line coverage, sites (none asked), coverage areas
    for stage in ["coverage + gaps", "sites", "coverage areas"] {
        assert!(stages.contains(&(stage, "started")) && stages.contains(&(stage, "finished")), "{stage}: {err}");
    }
    assert!(events.iter().all(|e| e["stage_zh"].is_string()));
    assert!(events.iter().filter(|e| e["event"] == "finished").all(|e| e["seconds"].as_f64().unwrap() >= 0.0));
    // stages counted: each finished line one more done, the last one all of them
    let finished: Vec<&serde_json::Value> = events.iter().filter(|e| e["event"] == "finished").collect();
    let total = finished[0]["total"].as_u64().unwrap();
    assert_eq!(total as usize, finished.len(), "{err}");
    for (i, e) in finished.iter().enumerate() {
        assert_eq!((e["done"].as_u64(), e["total"].as_u64()), (Some(i as u64 + 1), Some(total)), "{err}");
    }
    assert_eq!(events[0]["done"].as_u64(), Some(0));
    // without the option, nothing of it (stderr is no terminal here: no progress line either)
    let quiet = lantu(&["analyze", project.to_str().unwrap(), "--out", dir.path().join("q").to_str().unwrap()]);
    assert!(!texts(&quiet).1.contains("\"stage\"") && !texts(&quiet).1.contains('✓'));
    // a person's progress line: each stage ticked off with its time, in Chinese
    let bar = lantu(&[
        "analyze",
        project.to_str().unwrap(),
        "--out",
        dir.path().join("b").to_str().unwrap(),
        "--progress",
        "bar",
    ]);
    let err = texts(&bar).1;
    for stage in ["✓ 直线覆盖与缺口", "✓ 覆盖范围", "✓ 生成图层", "✓ 交互地图网页"] {
        assert!(err.contains(stage), "{stage}: {err}");
    }
}

/// Heights in metres, worked by hand: one community without a count; 3.0 m a storey and
/// 100 m² of housing per household (the built-in profile).
/// - H1: 20 × 20 m, 高度 18 m → 6 floors → 2,400 m² → 24 households;
/// - H2: 20 × 10 m, 高度 31 m → round(10.33) = 10 floors → 2,000 m² → 20 households;
/// - H3: 20 × 20 m, 层数 6 and 高度 30 m (10 floors): the floors win → 2,400 m² → 24;
/// - H4: 10 × 10 m, neither → the default 4 floors → 400 m² → 4 households.
///
/// The community: 24 + 20 + 24 + 4 = 72 households, estimated.
#[test]
fn heights_in_metres_give_floors_and_floors_that_look_like_metres_are_flagged() {
    let dir = TempDir::new("heights");
    let sq = |x: f64, y: f64, w: f64, h: f64| {
        format!("\"POLYGON (({x} {y}, {} {y}, {} {}, {x} {}, {x} {y}))\"", x + w, x + w, y + h, y + h)
    };
    dir.write("c.csv", &format!("社区代码,社区名称,WKT\nA,甲社区,{}\n", sq(500_000.0, 3_270_000.0, 1000.0, 1000.0)));
    dir.write(
        "b.csv",
        &format!(
            "编号,层数,高度,WKT\nH1,,18,{}\nH2,,31,{}\nH3,6,30,{}\nH4,,,{}\n",
            sq(500_100.0, 3_270_100.0, 20.0, 20.0),
            sq(500_200.0, 3_270_100.0, 20.0, 10.0),
            sq(500_300.0, 3_270_100.0, 20.0, 20.0),
            sq(500_400.0, 3_270_100.0, 10.0, 10.0)
        ),
    );
    let project = dir.write(
        "p.toml",
        "metric_crs = \"EPSG:4545\"\n[communities]\npath = \"c.csv\"\ncrs = \"EPSG:4545\"\n[buildings]\npath = \"b.csv\"\ncrs = \"EPSG:4545\"\n",
    );
    let o = lantu(&["check", project.to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("height ← 高度") && out.contains("floors ← 层数"), "{out}");
    assert!(out.contains("buildings with floors from their height (3 m a storey): 2"), "{out}");
    assert!(out.contains("1 buildings whose floors and height (3 m a storey) differ by more than one floor"), "{out}");
    assert!(
        out.contains("no use field: all 4 buildings are counted as homes")
            && out.contains("0 of them with a footprint above 5000 m²"),
        "{out}"
    );
    let target = dir.path().join("out");
    let o = lantu(&["analyze", project.to_str().unwrap(), "--out", target.to_str().unwrap(), "--no-maps"]);
    assert!(o.status.success(), "{}", texts(&o).1);
    let csv = std::fs::read_to_string(target.join("tables/communities.csv")).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(",72.0,1,"), "72 households, estimated: {row}");
    // a floors field holding metres, and no height field
    dir.write(
        "b.csv",
        &format!(
            "编号,层数,WKT\nH1,33,{}\nH2,36,{}\nH3,45,{}\nF1,2,{}\n",
            sq(500_100.0, 3_270_100.0, 20.0, 20.0),
            sq(500_200.0, 3_270_100.0, 20.0, 10.0),
            sq(500_300.0, 3_270_100.0, 20.0, 20.0),
            sq(500_500.0, 3_270_500.0, 100.0, 100.0)
        ),
    );
    let o = lantu(&["check", project.to_str().unwrap(), "--lang", "en"]);
    let (out, _) = texts(&o);
    assert!(out.contains("the floors field 层数 looks like heights in metres: 3 of 4 values"), "{out}");
    assert!(out.contains("1 of them with a footprint above 5000 m²"), "a 100 × 100 m factory: {out}");
    assert!(out.contains("height = \"层数\""), "{out}");
}

/// The hand-worked case with its CRS given the ways districts give it: the communities as a
/// CSV whose WKT column is called `geometry`, with a `.prj` beside it in a custom Transverse
/// Mercator (the same projection as EPSG:4545 under another name); the buildings with
/// `crs = "local_tm.prj"`. The tables are the hand-worked ones, byte for byte.
#[test]
fn a_prj_beside_a_table_and_a_crs_file_give_the_same_tables() {
    let dir = TempDir::new("prj");
    for f in ["buildings.csv", "facilities.csv", "local_tm.prj"] {
        std::fs::copy(fixture(&format!("handworked/{f}")), dir.path().join(f)).unwrap();
    }
    let c = std::fs::read_to_string(fixture("handworked/communities.csv")).unwrap();
    dir.write("communities.csv", &c.replacen(",WKT\n", ",geometry\n", 1));
    std::fs::copy(fixture("handworked/local_tm.prj"), dir.path().join("communities.prj")).unwrap();
    let project = dir.write(
        "project.toml",
        "name = \"hand-worked\"\nmetric_crs = \"EPSG:4545\"\n[communities]\npath = \"communities.csv\"\n[buildings]\npath = \"buildings.csv\"\ncrs = \"local_tm.prj\"\n[facilities]\npath = \"facilities.csv\"\ncrs = \"EPSG:4545\"\n",
    );
    let out = dir.path().join("out");
    let o = lantu(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps"]);
    let (stdout, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}{err}");
    assert!(stdout.contains("Local_TM_Yuzhong（取自旁边的 ") && stdout.contains("communities.prj）"), "{stdout}");
    assert!(stdout.contains("Local_TM_Yuzhong（项目文件指定）"), "{stdout}");
    let expected = std::fs::read_to_string(fixture("handworked/expected_communities.csv")).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("tables/communities.csv")).unwrap(), expected);
}
