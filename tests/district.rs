//! A district's data as it comes (`tests/fixtures/district/`, made by its `make.py`):
//! communities drawn by hand without counts, footprints with heights in metres and no use
//! in a local TM given only by a `.prj`, a WorldPop-style population raster, a 高德 POI
//! export and a car-navigation network in GCJ-02. Every figure below is worked by hand
//! from `make.py`.

use crate::common;
use common::*;

fn check_en(project: &str) -> String {
    let o = lantu(&["check", fixture(project).to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    out
}

/// The CSV cell of `column` in the row whose `key` column is `value`.
fn cell(csv: &str, key: &str, value: &str, column: &str) -> String {
    let mut r = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = r.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (k, c) = (at(key), at(column));
    let row = r.records().map(Result::unwrap).find(|row| &row[k] == value).unwrap();
    row[c].to_string()
}

/// The done-when run of the real-data issue: no hand edits, `check` names each estimate
/// and the car-like network, the POIs are recognised from type and name, the verdict
/// passes with the default `min_share_kept`.
#[test]
fn a_district_runs_as_it_comes() {
    let out = check_en("district/project.toml");
    for line in [
        // the grid: 400 + 245 + 98 people in 示例一社区, 490 + 147 in 示例二社区
        "[population grid]",
        "cells with people 5 people 1,380 · in communities 1,380 · in no community 0 · buildings on the grid 7",
        "households source: estimated from the population grid: 2",
        "the layer has no households field: the households of all 2 communities are estimates",
        // heights in metres: floors = height ÷ 3 m
        "height ← 高度",
        // the factory (100 m × 100 m, 5 floors) counts as 50,000 m² of homes by floor area:
        // 674 households against the grid's 303
        "estimated from the population grid 303 households, estimated from residential floor area 674: 2.2×",
        "no use field",
        "POI → health (name 社区卫生服务): 1",
        "POI → health (type 医疗保健服务): 1",
        "POI → elderly_care (name 日间照料): 1",
        "POI → elderly_care (name 养老): 1",
        "POI → infant_care (name 托育): 1",
        "POIs that are not services (shops, offices …; left out): 3",
        "the layer has no floor-area field",
        "the walking network looks drawn for cars",
        "road classes no one walks along, left out (network.unwalkable_classes): motorway ×10",
        "total households: 563 (includes estimates)",
        "verdict: the data can be analysed",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    assert!(!out.contains("coordinates may be offset"), "the datums are declared right: {out}");

    let dir = TempDir::new("district");
    let target = dir.path().join("out");
    let o = lantu(&[
        "analyze",
        fixture("district/project.toml").to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
        "--no-maps",
    ]);
    assert!(o.status.success(), "{}", texts(&o).1);
    let csv = std::fs::read_to_string(target.join("tables/communities.csv")).unwrap();
    // people ÷ 2.45 persons per household: 743 / 2.45 = 303.27, 637 / 2.45 = 260
    assert_eq!(cell(&csv, "community_code", "500103001001", "households"), "303.3");
    assert_eq!(cell(&csv, "community_code", "500103001002", "households"), "260.0");
    assert_eq!(cell(&csv, "community_code", "500103001001", "households_source"), "grid");
    assert_eq!(cell(&csv, "community_code", "500103001001", "households_estimated"), "1");
    // buildings: B1 holds 2/3 of its cell's 400 people plus 5,400/17,100 of the 98 people
    // of the cell with no home; the factory stands in an empty cell and holds none
    let o = std::process::Command::new("ogr2ogr")
        .args([
            "-f",
            "CSV",
            "/vsistdout/",
            target.join("layers/buildings.fgb").to_str().unwrap(),
            "-select",
            "source_id,households,households_source",
        ])
        .output()
        .expect("ogr2ogr (gdal-bin) runs");
    let table = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{table}{}", String::from_utf8_lossy(&o.stderr));
    let hh = |id: &str| cell(&table, "source_id", id, "households").parse::<f64>().unwrap();
    let b1 = (400.0 * 2.0 / 3.0 + 98.0 * 5400.0 / 17100.0) / 2.45;
    assert!((hh("B1") - b1).abs() < 0.01, "B1 {} vs {b1}", hh("B1"));
    assert_eq!(hh("B4"), 0.0, "the factory's cell is empty");
    assert_eq!(cell(&table, "source_id", "B5", "households_source"), "grid");
    assert!((hh("B5") - 200.0).abs() < 0.01, "490 people ÷ 2.45");
}

/// A POI layer whose datum is set wrong is named, both ways, with the median distances.
#[test]
fn a_wrong_datum_is_named() {
    let out = check_en("district/project_undeclared_gcj02.toml");
    assert!(out.contains("this layer may be in GCJ-02 coordinates: set coords = \"gcj02\" (median distance from its points to the nearest buildings:"), "{out}");
    let out = check_en("district/project_wrongly_gcj02.toml");
    assert!(out.contains("this layer may be WGS 84, not GCJ-02: remove coords = \"gcj02\""), "{out}");
    let o = lantu(&["check", fixture("district/project_undeclared_gcj02.toml").to_str().unwrap()]);
    assert!(texts(&o).0.contains("该图层可能是 GCJ-02（火星）坐标：请设置 coords = \"gcj02\""), "{}", texts(&o).0);
}

/// Two identical communities, one giving its count (18), one without: the floor-area
/// estimate runs 5 × high. Calibrated (the default), both get 18 households and the same
/// score; with `calibrate_estimates = false` the estimated one takes rank 1 only because
/// its estimate is larger.
#[test]
fn an_estimate_does_not_outrank_an_identical_given_community() {
    let d = TempDir::new("calibrate");
    let square = |x0: f64, y0: f64, w: f64, h: f64| {
        format!(
            r#"{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{},{y0}],[{},{}],[{x0},{}],[{x0},{y0}]]]}}"#,
            x0 + w,
            x0 + w,
            y0 + h,
            y0 + h
        )
    };
    let fc = |features: Vec<(String, String)>| {
        let f: Vec<String> =
            features.iter().map(|(p, g)| format!(r#"{{"type":"Feature","properties":{p},"geometry":{g}}}"#)).collect();
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, f.join(","))
    };
    d.write(
        "c.geojson",
        &fc(vec![
            (r#"{"code":"A","name":"A","households":18}"#.into(), square(7.40, 43.72, 0.01, 0.01)),
            (r#"{"code":"B","name":"B"}"#.into(), square(7.41, 43.72, 0.01, 0.01)),
        ]),
    );
    d.write(
        "b.geojson",
        &fc(vec![
            (r#"{"id":"BA","floors":5}"#.into(), square(7.4045, 43.7245, 0.0005, 0.0004)),
            (r#"{"id":"BB","floors":5}"#.into(), square(7.4145, 43.7245, 0.0005, 0.0004)),
        ]),
    );
    let point = |x: f64, y: f64| format!(r#"{{"type":"Point","coordinates":[{x},{y}]}}"#);
    d.write(
        "f.geojson",
        &fc(vec![
            (r#"{"id":"FA","service":"elderly_care","floor_area":10}"#.into(), point(7.4047, 43.7247)),
            (r#"{"id":"FB","service":"elderly_care","floor_area":10}"#.into(), point(7.4147, 43.7247)),
        ]),
    );
    let layers =
        "[communities]\npath = \"c.geojson\"\n[buildings]\npath = \"b.geojson\"\n[facilities]\npath = \"f.geojson\"\n";
    d.write("p.toml", layers);
    d.write("raw.toml", "[households]\ncalibrate_estimates = false\n");
    d.write("p_raw.toml", &format!("profile = \"raw.toml\"\n{layers}"));
    let run = |project: &str, out: &str| {
        let target = d.path().join(out);
        let o = lantu(&[
            "analyze",
            d.path().join(project).to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
            "--no-maps",
            "--metric",
            "euclidean",
            "--lang",
            "en",
        ]);
        let (stdout, err) = texts(&o);
        assert!(o.status.success(), "{stdout}{err}");
        (stdout, std::fs::read_to_string(target.join("tables/communities.csv")).unwrap())
    };
    let (stdout, csv) = run("p.toml", "calibrated");
    assert!(
        stdout.contains("estimated households calibrated to the given counts: estimated from residential floor area ×"),
        "{stdout}"
    );
    let get = |csv: &str, c: &str, col: &str| cell(csv, "community_code", c, col);
    assert_eq!(get(&csv, "A", "households"), "18.0");
    assert_eq!(get(&csv, "B", "households"), "18.0");
    assert_eq!(get(&csv, "B", "households_source"), "floor_area");
    assert_eq!(get(&csv, "A", "priority_score"), get(&csv, "B", "priority_score"));
    let (_, raw) = run("p_raw.toml", "raw");
    let b: f64 = get(&raw, "B", "households").parse().unwrap();
    assert!(b > 4.5 * 18.0 && b < 5.5 * 18.0, "the estimate runs about 5 × high: {b}");
    assert_eq!(get(&raw, "B", "priority_rank"), "1", "{raw}");
    let score = |c: &str| get(&raw, c, "priority_score").parse::<f64>().unwrap();
    assert!(score("B") > score("A"), "{raw}");
}

/// Every output a person reads marks the estimated households and shows them whole:
/// the PDF (cover note, tables: `tools::office`), the DOCX (sentence and tables), the XLSX (a number format
/// with the mark), the page (its data's note and flag), the maps' note; the manifest
/// records each layer's CRS and conversion.
#[test]
fn estimates_are_marked_in_every_output() {
    let dir = TempDir::new("district-marks");
    let target = dir.path().join("out");
    let o = lantu(&["analyze", fixture("district/project.toml").to_str().unwrap(), "--out", target.to_str().unwrap()]);
    assert!(o.status.success(), "{}", texts(&o).1);
    // the PDF, read by poppler, in tools::office
    let unzip = |file: &std::path::Path, part: &str| {
        let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name(part).unwrap(), &mut s).unwrap();
        s
    };
    let docx = std::fs::read_dir(target.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "docx"))
        .unwrap();
    let xml = unzip(&docx, "word/document.xml");
    assert!(xml.contains("563 户；户数含估算（2 个社区：按人口格网估算 2），表中以 * 标注。"), "{xml:.3000}");
    assert!(xml.contains(">303*<") && xml.contains(">563*<"), "the DOCX tables mark estimates");
    let styles = unzip(&target.join("report.xlsx"), "xl/styles.xml");
    assert!(styles.contains(r##"formatCode="#,##0&quot;*&quot;""##), "{styles}");
    let meta = std::fs::read_to_string(target.join("web/data/meta.js")).unwrap();
    assert!(meta.contains("人口格网 population.tif；户数含估算（2 个社区：按人口格网估算 2）"), "{meta}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(target.join("manifest.json")).unwrap()).unwrap();
    let layers = manifest["layers_crs"].as_array().unwrap();
    let of = |name: &str| layers.iter().find(|l| l["layer"] == name).unwrap();
    assert_eq!(of("facilities")["converted_from"], "gcj02");
    assert!(of("buildings")["crs"].as_str().unwrap().starts_with("Local_TM_Yuzhong (from "), "{manifest}");
    assert_eq!(of("population")["crs"], "EPSG:4326");
    assert!(manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["path"].as_str().unwrap().ends_with("population.tif")));
}

/// A land-use layer (GB 50137 M1 / R2 and the 国土空间 class 070101, `用地代码`) tells the
/// factory from the homes where the buildings give no use: no "every building a home"
/// warning, the factory not residential, and the floor-area estimate of 示例一社区 falls
/// from 674 (with the factory's 50,000 m²) to 171 households — within 2 × of the grid's
/// 303, so no warning.
#[test]
fn land_use_tells_homes_from_a_factory() {
    let out = check_en("district/project_landuse.toml");
    for line in [
        "the buildings' use comes from the land-use layer",
        "(field 用地代码, 3 parcels)",
        "residential buildings: 6",
        "buildings on land that is not for homes: 1",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    assert!(!out.contains("no use field") && !out.contains("674"), "{out}");
}

/// The same people given as a 七普-style grid table instead of a raster: cell centres
/// (`经度,纬度,人口`, every building taking the nearest centre within the centres' spacing)
/// and cell polygons (WKT): the households come out as with the raster.
#[test]
fn a_grid_table_of_points_or_cells_gives_the_rasters_households() {
    let d = TempDir::new("grid-table");
    for f in ["communities.geojson", "buildings.csv", "buildings.prj", "amap_pois.csv", "roads_gcj02.geojson"] {
        std::fs::copy(fixture(&format!("district/{f}")), d.path().join(f)).unwrap();
    }
    // make.py's grid: 8 × 4 cells of 0.001° from (106.550, 29.570)
    let people = |col: usize, row: usize| match (col, row) {
        (0, 0) => 400,
        (1, 1) => 245,
        (2, 2) => 98,
        (5, 1) => 490,
        (6, 2) => 147,
        _ => 0,
    };
    let (mut points, mut cells) = ("经度,纬度,人口\n".to_string(), "WKT,人口\n".to_string());
    for row in 0..4 {
        for col in 0..8 {
            let (x0, y1) = (106.550 + col as f64 * 0.001, 29.570 - row as f64 * 0.001);
            let (x1, y0) = (x0 + 0.001, y1 - 0.001);
            points.push_str(&format!("{:.4},{:.4},{}\n", x0 + 0.0005, y1 - 0.0005, people(col, row)));
            cells.push_str(&format!(
                "\"POLYGON (({x0:.3} {y0:.3},{x1:.3} {y0:.3},{x1:.3} {y1:.3},{x0:.3} {y1:.3},{x0:.3} {y0:.3}))\",{}\n",
                people(col, row)
            ));
        }
    }
    d.write("points.csv", &points);
    d.write("cells.csv", &cells);
    let layers = "[communities]\npath = \"communities.geojson\"\n[buildings]\npath = \"buildings.csv\"\n[facilities]\npath = \"amap_pois.csv\"\ncoords = \"gcj02\"\n[walkways]\npath = \"roads_gcj02.geojson\"\ncoords = \"gcj02\"\n";
    for (grid, crs) in [("points.csv", ""), ("cells.csv", "crs = \"EPSG:4326\"\n")] {
        let project = d.write("p.toml", &format!("{layers}[population]\npath = \"{grid}\"\n{crs}"));
        let target = d.path().join(format!("out-{grid}"));
        let o = lantu(&[
            "analyze",
            project.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
            "--no-maps",
            "--lang",
            "en",
        ]);
        let (out, err) = texts(&o);
        assert!(o.status.success(), "{out}{err}");
        assert!(out.contains("field 人口") && out.contains("people 1,380 · in communities 1,380"), "{grid}: {out}");
        let csv = std::fs::read_to_string(target.join("tables/communities.csv")).unwrap();
        assert_eq!(cell(&csv, "community_code", "500103001001", "households"), "303.3", "{grid}");
        assert_eq!(cell(&csv, "community_code", "500103001002", "households"), "260.0", "{grid}");
    }
}

/// A density raster (people per km², as WorldPop's `pd` products) given where people per
/// cell are meant: the densest cell comes to millions per km² and the check says why.
#[test]
fn a_density_raster_is_named() {
    let d = TempDir::new("density");
    for f in ["communities.geojson", "buildings.csv", "buildings.prj"] {
        std::fs::copy(fixture(&format!("district/{f}")), d.path().join(f)).unwrap();
    }
    // the fixture's 400 people in a 0.001° cell (about 0.0108 km²) as a density
    let mut grid =
        "ncols 8\nnrows 4\nxllcorner 106.55\nyllcorner 29.566\ncellsize 0.001\nNODATA_value -1\n".to_string();
    for row in 0..4 {
        let values: Vec<&str> = (0..8).map(|col| if (col, row) == (0, 0) { "37140" } else { "0" }).collect();
        grid.push_str(&(values.join(" ") + "\n"));
    }
    d.write("density.asc", &grid);
    let project = d.write(
        "p.toml",
        "[communities]\npath = \"communities.geojson\"\n[buildings]\npath = \"buildings.csv\"\n[population]\npath = \"density.asc\"\ncrs = \"EPSG:4326\"\n",
    );
    let o = lantu(&["check", project.to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert!(out.contains("the raster may hold a density (people per km², e.g. WorldPop's pd products)"), "{out}{err}");
    assert!(out.contains("comes to 3,4"), "about 3.4 million per km²: {out}");
}

/// `--population` brings a grid to an OSM run (and overrides a project's): Monaco with a
/// made-up grid of 100 people per 0.005° cell. With no counts to keep, the households are
/// the grid's people in the wards ÷ 2.45.
#[test]
fn a_population_grid_comes_with_osm() {
    let d = TempDir::new("osm-grid");
    let mut grid = "ncols 8\nnrows 8\nxllcorner 7.40\nyllcorner 43.72\ncellsize 0.005\nNODATA_value -1\n".to_string();
    for _ in 0..8 {
        grid.push_str("100 100 100 100 100 100 100 100\n");
    }
    let asc = d.write("grid.asc", &grid);
    d.write("grid.prj", r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#);
    let o = lantu(&[
        "check",
        "--osm",
        monaco("monaco.osm.pbf").to_str().unwrap(),
        "--population",
        asc.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    let number_after = |label: &str| -> f64 {
        let at = out.find(label).unwrap_or_else(|| panic!("no {label}: {out}")) + label.len();
        out[at..].trim_start().split([' ', '(', '\n']).next().unwrap().replace(',', "").parse().unwrap()
    };
    let people = number_after("in communities");
    let households = number_after("total households:");
    assert!(people > 1000.0, "{out}");
    assert!((households - people / 2.45).abs() <= 1.0, "{households} households for {people} people: {out}");
    assert!(out.contains("households source: estimated from the population grid"), "{out}");
}

/// The profile adds or replaces POI rows (`[[poi_rules]]`): here a 火锅店 taken for a
/// canteen and 长者食堂 declared no service; a rule naming no kind is refused.
#[test]
fn the_profile_adds_and_replaces_poi_rules() {
    let d = TempDir::new("poi-rules");
    for f in ["communities.geojson", "amap_pois.csv"] {
        std::fs::copy(fixture(&format!("district/{f}")), d.path().join(f)).unwrap();
    }
    let layers =
        "[communities]\npath = \"communities.geojson\"\n[facilities]\npath = \"amap_pois.csv\"\ncoords = \"gcj02\"\n";
    d.write("mine.toml", "[[poi_rules]]\nmatch = \"name\"\npattern = \"火锅\"\nkind = \"canteen\"\n\n[[poi_rules]]\nmatch = \"name\"\npattern = \"长者食堂\"\nkind = \"none\"\nnote = \"本区长者食堂另有台账\"\n");
    let project = d.write("p.toml", &format!("profile = \"mine.toml\"\n{layers}"));
    let o = lantu(&["check", project.to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("POI → canteen (name 火锅): 1") && out.contains("and the profile's 2 poi_rules"), "{out}");
    assert!(!out.contains("name 长者食堂"), "{out}");
    d.write("bad.toml", "[[poi_rules]]\nmatch = \"name\"\npattern = \"颐养\"\nkind = \"nursing\"\n");
    let project = d.write("p.toml", &format!("profile = \"bad.toml\"\n{layers}"));
    let o = lantu(&["check", project.to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(err.contains("poi_rules[0]: kind = \"nursing\" is neither a kind's code nor \"none\""), "{err}");
}
