//! `lantu demo`, the first run a newcomer sees: a synthetic Chongqing-like district whose
//! communities differ under every rule, marked 合成示例数据 on every table, sheet and map,
//! and checked the way the README says (RFC 7946, XLSX read back, maps, real QGIS).

use crate::common;
use common::*;

const NOTE: &str = "合成示例数据";

fn table(out: &std::path::Path, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let path = out.join("tables").join(name);
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    (header, r.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect())
}

#[test]
fn default_demo_is_a_synthetic_district_where_the_rules_differ_and_says_so_everywhere() {
    let out = &common::outputs::demo().out;

    // every table carries the note on every row
    for t in ["communities.csv", "streets.csv", "facilities.csv", "sites.csv", "sites_before_after.csv"] {
        let (header, rows) = table(out, t);
        let at = header.iter().position(|h| h == "data_note").unwrap_or_else(|| panic!("{t}: no data_note"));
        assert!(!rows.is_empty(), "{t} is empty");
        assert!(rows.iter().all(|r| r[at].contains(NOTE)), "{t}: a row without the note");
    }

    // the rules differ from community to community: given households, both standards,
    // some pass and some fail each rule
    let (header, rows) = table(out, "communities.csv");
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    assert!(rows.len() >= 30, "a few dozen communities: {}", rows.len());
    let values = |n: &str| rows.iter().map(|r| r[col(n)].clone()).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(values("households_estimated"), ["0".to_string()].into(), "households are given");
    assert!(values("area_standard_m2").contains("30.00") && values("area_standard_m2").contains("80.00"));
    assert!(
        values("config_reason").iter().any(|r| r.contains("暂不具备集中建设条件")),
        "a community marked as lacking conditions for centralised building"
    );
    for rule in ["config_ok", "complex_meets_min"] {
        assert_eq!(values(rule), ["0".to_string(), "1".to_string()].into(), "{rule} passes and fails");
    }
    let gaps: Vec<f64> = rows.iter().map(|r| r[col("area_gap_m2")].parse().unwrap()).collect();
    assert!(gaps.contains(&0.0) && gaps.iter().any(|g| *g > 0.0), "some meet the area rule, some not");

    // the 说明 sheet names the note; every data sheet has the column
    {
        use calamine::{open_workbook, Reader, Xlsx};
        let mut wb: Xlsx<_> = open_workbook(out.join("report.xlsx")).unwrap();
        for s in ["社区", "街道", "设施", "建议选址"] {
            let range = wb.worksheet_range(s).unwrap();
            let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
            assert!(header.iter().any(|h| h == "数据说明"), "sheet {s}: {header:?}");
        }
        let about = wb.worksheet_range("说明").unwrap();
        assert!(about.rows().flatten().any(|c| c.to_string().contains(NOTE)), "说明 sheet without the note");
    }

    let (files, features) = check_geojson_dir(&out.join("geojson"));
    assert!(files >= 5 && features > 1000, "{files} files, {features} features");
    check_report_xlsx(out);
    let maps = check_maps(&out.join("maps"), 200);
    assert!(maps >= 1 + 9 + 2, "overview, nine kinds and the streets: {maps}");
}

#[test]
fn the_maps_of_the_synthetic_demo_carry_the_note() {
    // the note is drawn in red at the top right of every map: compare a map of the
    // synthetic district with the same district analysed without the note
    let dir = TempDir::new("demo-note");
    let synth = dir.path().join("city");
    let o = lantu(&["synth", "--communities", "4", "--seed", "3", "--out", synth.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    let project = std::fs::read_to_string(synth.join("project.toml")).unwrap();
    assert!(project.contains("note = \"合成示例数据"), "{project}");
    std::fs::write(
        synth.join("plain.toml"),
        project.lines().filter(|l| !l.starts_with("note")).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    let red_top_right = |project: &str, name: &str| -> usize {
        let out = dir.path().join(name);
        let p = synth.join(project);
        let o =
            lantu(&["analyze", p.to_str().unwrap(), "--out", out.to_str().unwrap(), "--sites", "0", "--dpi", "100"]);
        assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(out.join("maps/overview.png")).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let ch = info.color_type.samples();
        let mut red = 0;
        for y in 0..(info.height as usize / 8) {
            for x in (info.width as usize / 2)..info.width as usize {
                let p = &buf[y * info.line_size + x * ch..];
                red += (p[0] > 150 && p[1] < 90 && p[2] < 90) as usize;
            }
        }
        red
    };
    assert!(red_top_right("project.toml", "noted") > 200, "the note is drawn");
    assert_eq!(red_top_right("plain.toml", "plain"), 0, "nothing red there without a note");
}

/// Every layer and every field the demo wrote is described in `registry.json` (the output
/// registry the plugin and other readers take titles and labels from): a column added
/// without its labels fails here. The layers listed are those in the folder.
#[test]
fn every_layer_and_field_of_the_demo_is_described_in_its_registry() {
    let out = &common::outputs::demo().out;
    let registry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("registry.json")).unwrap()).unwrap();
    let columns = registry["columns"].as_object().unwrap();
    let gpkg = lantu_read::layer_names(&out.join("blueprint.gpkg")).unwrap();
    let layers = registry["layers"].as_array().unwrap();
    assert!(layers.len() >= 8, "{layers:?}");
    for layer in layers {
        let code = layer["code"].as_str().unwrap();
        let in_folder = gpkg.iter().any(|n| n == code) || out.join(format!("layers/{code}.fgb")).exists();
        assert!(in_folder, "registry.json lists {code}, which the folder lacks");
        assert!(!layer["zh"].as_str().unwrap().is_empty() && !layer["en"].as_str().unwrap().is_empty());
        for field in layer["fields"].as_array().unwrap() {
            let f = field.as_str().unwrap();
            let c = &columns[f];
            // a column the registry does not know keeps its code as its labels
            assert_ne!(c["zh"].as_str(), Some(f), "{code}.{f} has no label in the registry");
            assert!(!c["en"].as_str().unwrap().is_empty(), "{code}.{f}");
            assert!(["text", "integer", "real"].contains(&c["type"].as_str().unwrap()), "{f}");
        }
    }
    // every GeoPackage layer is in the registry
    for name in gpkg.iter().filter(|n| *n != "layer_styles") {
        assert!(layers.iter().any(|l| l["code"] == name.as_str()), "{name} is not in registry.json");
    }
}
