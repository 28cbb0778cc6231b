//! `lantu analyze --osm` and `lantu demo` on Monaco: complete tables, flagged estimates,
//! the same bytes on any thread count.

use crate::common;
use common::*;

fn run(dir: &TempDir, name: &str, threads: Option<&str>) -> (String, String) {
    let out = dir.path().join(name);
    let pbf = monaco("monaco.osm.pbf");
    // the tables only: the maps are the demo's test
    let mut args = vec!["analyze", "--osm", pbf.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps"];
    if let Some(t) = threads {
        args.extend_from_slice(&["--threads", t]);
    }
    let o = lantu(&args);
    let (stdout, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{err}");
    let read = |f: &str| std::fs::read_to_string(out.join("tables").join(f)).unwrap();
    (read("communities.csv"), read("streets.csv"))
}

#[test]
fn monaco_tables_are_complete_flagged_and_deterministic() {
    let dir = TempDir::new("monaco-analyze");
    let (communities, streets) = run(&dir, "default", None);
    let lines: Vec<&str> = communities.lines().collect();
    assert_eq!(lines.len(), 1 + 9, "a row for every ward");
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    for row in &lines[1..] {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells[col("households_estimated")], "1", "{row}");
        assert!(cells[col("households")].parse::<f64>().unwrap() > 0.0, "{row}");
        assert!(!cells[col("coverage_fitness")].is_empty(), "{row}");
        assert!(!cells[col("priority_rank")].is_empty(), "{row}");
        assert_eq!(cells[col("metric")], "network", "walkways exist: the network is the default");
        assert_eq!(cells[col("coverage_flat_fitness")], "", "no DEM, no flat comparison");
    }
    assert_eq!(streets.lines().count(), 2, "Monaco is the one street: {streets}");
    let (c1, s1) = run(&dir, "one-thread", Some("1"));
    assert_eq!(communities, c1);
    assert_eq!(streets, s1);
}

#[test]
fn demo_uses_the_network_with_slope_and_writes_the_blueprint() {
    let run = common::outputs::monaco_demo();
    let (out, stdout) = (&run.out, &run.stdout);
    assert!(stdout.contains("== 缺口分析 == (network)"), "{stdout}");
    let csv = std::fs::read_to_string(out.join("tables/communities.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    // with the DEM, coverage with slope never exceeds coverage on flat ground, and the hills take something
    let mut lost = 0.0;
    let mut barriers = 0.0;
    for row in &lines[1..] {
        let cells: Vec<&str> = row.split(',').collect();
        for k in lantu_core::Profile::builtin().kinds.defs() {
            let with: f64 = cells[col(&format!("coverage_{}", k.code))].parse().unwrap();
            let flat: f64 = cells[col(&format!("coverage_flat_{}", k.code))].parse().unwrap();
            let acc: f64 = cells[col(&format!("coverage_accessible_{}", k.code))].parse().unwrap();
            assert!(with <= flat + 1e-9, "{row}");
            assert!(acc <= with + 1e-9, "barrier-free coverage above ordinary: {row}");
            lost += flat - with;
            barriers += with - acc;
        }
        let unc: f64 = cells[col("uncovered_households")].parse().unwrap();
        let unc_acc: f64 = cells[col("uncovered_households_accessible")].parse().unwrap();
        assert!(unc_acc >= unc - 1e-6, "{row}");
    }
    assert!(lost > 0.1, "Monaco is steep: slope must cost coverage ({lost})");
    assert!(barriers > 1.0, "stairs and steep streets must cost barrier-free coverage ({barriers})");
    let streets = std::fs::read_to_string(out.join("tables/streets.csv")).unwrap();
    assert!(streets.lines().next().unwrap().contains("coverage_accessible_health"), "{streets}");
    // the blueprint's layers, read back with GDAL
    let gpkg = out.join("blueprint.gpkg");
    let names = lantu_read::layer_names(&gpkg).unwrap();
    for l in ["communities", "facilities", "coverage_areas", "uncovered_areas"] {
        assert!(names.iter().any(|n| n == l), "{l} missing from {names:?}");
    }
    // the big derived layers beside it, as FlatGeobuf with a default style
    for l in ["buildings", "network"] {
        assert!(out.join(format!("layers/{l}.qml")).exists(), "{l}.qml");
    }
    let b = lantu_read::read_layer(&out.join("layers/buildings.fgb"), &Default::default()).unwrap();
    for k in lantu_core::Profile::builtin().kinds.defs() {
        assert!(b.fields.contains(&format!("dist_{}_m", k.code)));
    }
    assert!(b.fields.contains(&"snap_m".to_string()));
    let n = lantu_read::read_layer(&out.join("layers/network.fgb"), &Default::default()).unwrap();
    assert_eq!(n.features.len(), 25_524);
    for k in lantu_core::Profile::builtin().kinds.defs() {
        assert!(b.fields.contains(&format!("dist_accessible_{}_m", k.code)));
    }
    assert!(b.fields.contains(&"snap_island".to_string()));
    for f in ["length_m", "steps", "class", "cost_ab_m", "cost_ba_m", "component"] {
        assert!(n.fields.contains(&f.to_string()), "{f}");
    }
    // what the README says is checked: GeoJSON against RFC 7946, the XLSX read back, the
    // maps' size and ink (and, in tools::qgis, the blueprint opened and rendered by real QGIS)
    let (files, features) = check_geojson_dir(&out.join("geojson"));
    assert!(files >= 5 && features > 100, "{files} GeoJSON files, {features} features");
    check_report_xlsx(out);
    assert_eq!(
        check_maps(&out.join("maps"), 200),
        1 + 1 + 9 + 4,
        "street, overview, nine kinds and the barrier-free shortfall of the four core kinds"
    );
}
