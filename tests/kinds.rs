//! Service kinds as data: a profile that adds 低空起降点 (`drone_pad`, reached in a straight
//! line) gives its columns, layers, styles, legend and sheet; the nine built-in kinds are
//! unchanged by it.

use crate::common;
use common::*;
use std::collections::HashMap;

fn csv_rows(path: &std::path::Path) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> =
        r.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    let rows =
        r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(str::to_string)).collect()).collect();
    (header, rows)
}

fn drone_profile() -> String {
    fixture("profiles/drone_pad.toml").display().to_string()
}

#[test]
fn a_drone_pad_on_the_hand_worked_case_covers_by_straight_line() {
    let dir = TempDir::new("kinds-handworked");
    let out = dir.path().join("out");
    let project = fixture("handworked/project_drone.toml");
    let o = lantu(&[
        "--profile",
        &drone_profile(),
        "analyze",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-maps",
    ]);
    let (stdout, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{err}");
    // the pad at (500700, 3271100), 1000 m straight line: BA2 600 m, BA3 632 m and BD1
    // 447 m away are covered, BB1 (1131 m) and BC1 (1825 m) are not (README beside the case)
    let (header, rows) = csv_rows(&out.join("tables/communities.csv"));
    let want: HashMap<&str, &str> =
        [("A", "1.0000"), ("B", "0.0000"), ("C", "0.0000"), ("D", "1.0000"), ("E", "")].into();
    for r in &rows {
        assert_eq!(r["coverage_drone_pad"], want[r["community_code"].as_str()], "{}", r["community_code"]);
    }
    // without walkways every kind is straight-line; the pad counts neither for floor area nor
    // for functions, so every other column is the hand-worked one
    let expected = std::fs::read_to_string(fixture("handworked/expected_communities.csv")).unwrap();
    let got = std::fs::read_to_string(out.join("tables/communities.csv")).unwrap();
    let drop_pad = |text: &str, pad_cols: &[usize]| -> Vec<Vec<String>> {
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        r.records()
            .map(|rec| {
                rec.unwrap()
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !pad_cols.contains(i))
                    .map(|(_, c)| c.to_string())
                    .collect()
            })
            .collect()
    };
    let pad_cols: Vec<usize> =
        header.iter().enumerate().filter(|(_, h)| h.contains("drone_pad")).map(|(i, _)| i).collect();
    assert_eq!(pad_cols.len(), 4, "coverage, flat, barrier-free and people-in-reach columns: {header:?}");
    let mut got = drop_pad(&got, &pad_cols);
    // D, where the pad stands, lists it among its kinds (it counts for no rule)
    let functions = got[0].iter().position(|h| h == "functions").unwrap();
    let d = got.iter_mut().find(|r| r[1] == "D").unwrap();
    assert_eq!(d[functions], "drone_pad");
    d[functions] = String::new();
    assert_eq!(got, drop_pad(&expected, &[]));
    let (_, streets) = csv_rows(&out.join("tables/streets.csv"));
    let s: HashMap<&str, &str> =
        streets.iter().map(|r| (r["street_code"].as_str(), r["coverage_drone_pad"].as_str())).collect();
    // S1: A 1000 of A+B 1500 households; S2: D 300 of C+D 700
    assert_eq!((s["S1"], s["S2"]), ("0.6667", "0.4286"));
    // a facility named by an alias or the Chinese name maps to the kind
    let (_, facilities) = csv_rows(&out.join("tables/facilities.csv"));
    let f8 = facilities.iter().find(|f| f["source_id"] == "F8").unwrap();
    assert_eq!((f8["kinds"].as_str(), f8["kinds_zh"].as_str()), ("drone_pad", "低空起降点"));
}

#[test]
fn a_drone_pad_in_the_synthetic_city_is_reached_through_the_air_and_shown_everywhere() {
    let dir = TempDir::new("kinds-synth");
    let city = dir.path().join("city");
    let o = lantu(&["synth", "--communities", "36", "--seed", "2024", "--out", city.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    // two pads: GCJ-02 coordinates inside the synthetic city, named by an alias and by the name
    let csv = city.join("facilities_gcj02.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let first = text.lines().nth(1).unwrap();
    let lonlat: Vec<&str> = first.rsplitn(3, ',').take(2).collect();
    let (lat, lon): (f64, f64) = (lonlat[0].parse().unwrap(), lonlat[1].parse().unwrap());
    let pads = format!(
        "起降场一,起降场,,否,{:.7},{:.7}\n起降场二,低空起降点,,否,{:.7},{:.7}\n",
        lon,
        lat,
        lon + 0.01,
        lat + 0.008
    );
    std::fs::write(&csv, format!("{text}{pads}")).unwrap();
    let project = city.join("project.toml");
    let profile = drone_profile();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec!["--profile", profile.as_str(), "analyze"];
        args.extend([project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--sites", "0"]);
        args.extend_from_slice(extra);
        let o = lantu(&args);
        assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
        out
    };
    // maps at 100 dpi: what is checked is that the kind is drawn, not the resolution
    let walked = run("network", &["--dpi", "100"]);
    let straight = run("euclidean", &["--metric", "euclidean", "--no-maps"]);
    let (header, net_rows) = csv_rows(&walked.join("tables/communities.csv"));
    let (_, air_rows) = csv_rows(&straight.join("tables/communities.csv"));
    assert!(header.contains(&"coverage_drone_pad".to_string()));
    let by_code = |rows: &[HashMap<String, String>], col: &str| -> HashMap<String, String> {
        rows.iter().map(|r| (r["community_code"].clone(), r[col].clone())).collect()
    };
    // the pad's coverage on the walking network run is the straight-line one …
    assert_eq!(by_code(&net_rows, "coverage_drone_pad"), by_code(&air_rows, "coverage_drone_pad"));
    assert!(net_rows.iter().any(|r| r["coverage_drone_pad"].parse::<f64>().unwrap_or(0.0) > 0.0));
    // … while the walking kinds differ between the two runs
    assert_ne!(by_code(&net_rows, "coverage_elderly_care"), by_code(&air_rows, "coverage_elderly_care"));
    let (sh, _) = csv_rows(&walked.join("tables/streets.csv"));
    assert!(sh.contains(&"coverage_drone_pad".to_string()), "{sh:?}");

    // the GeoPackage: the facilities layer holds the kind, its QGIS style has the category
    // in the profile's colour, the coverage area is there
    let gpkg = gdal::Dataset::open(walked.join("blueprint.gpkg")).unwrap();
    let mut styles = gpkg
        .execute_sql(
            "SELECT styleQML FROM layer_styles WHERE f_table_name = 'facilities'",
            None,
            gdal::vector::sql::Dialect::DEFAULT,
        )
        .unwrap()
        .unwrap();
    use gdal::vector::LayerAccess;
    let feature = styles.features().next().unwrap();
    let qml: String = feature.field_as_string(feature.field_index("styleQML").unwrap()).unwrap().unwrap();
    assert!(
        qml.contains(r#"value="drone_pad""#) && qml.contains("低空起降点") && qml.contains("91,110,225,255"),
        "{qml}"
    );
    let mut areas = gpkg
        .execute_sql(
            "SELECT circle FROM coverage_areas WHERE kind = 'drone_pad'",
            None,
            gdal::vector::sql::Dialect::DEFAULT,
        )
        .unwrap()
        .unwrap();
    assert!(areas.features().count() >= 1, "a straight-line coverage area for the pads");
    let mut fac = gpkg
        .execute_sql(
            "SELECT kinds FROM facilities WHERE kinds LIKE '%drone_pad%'",
            None,
            gdal::vector::sql::Dialect::DEFAULT,
        )
        .unwrap()
        .unwrap();
    assert_eq!(fac.features().count(), 2);
    let qgs = std::fs::read_to_string(walked.join("blueprint.qgs")).unwrap();
    assert!(qgs.contains(r#"value="drone_pad""#), "the project's styles have the kind too");

    // the XLSX: the communities sheet has the kind's column, in Chinese
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(walked.join("report.xlsx")).unwrap();
    let sheet = wb.worksheet_range("社区").unwrap();
    let headers: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert!(headers.contains(&"低空起降点覆盖率".to_string()), "{headers:?}");

    // the maps: the kind's own coverage map, titled as a straight-line reach; the legend of
    // the overview lists it (maps draw legends from the profile's kinds)
    let png = walked.join("maps/coverage_drone_pad.png");
    assert!(png.exists(), "maps/coverage_drone_pad.png");
    assert!(check_maps(&walked.join("maps"), 100) >= 10);
}
