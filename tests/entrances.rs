//! Entrances: a building's walk starts at its best entrance (a door on its outline), given
//! as an `[entrances]` point layer in the project or OSM `entrance=*` nodes; the check says
//! how many buildings use one and which entrance points lie on no building.

use crate::common;
use common::*;

const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[0,0],[1000,0],[1000,1000],[0,1000],[0,0]]]}"#;
// a 40 m × 40 m house at x 100–140; the care home 10 m east of its east wall
const HOUSE: &str = r#"{"type":"Polygon","coordinates":[[[100,100],[140,100],[140,140],[100,140],[100,100]]]}"#;

fn fc(features: &[(&str, &str)]) -> String {
    let f: Vec<String> =
        features.iter().map(|(p, g)| format!(r#"{{"type":"Feature","properties":{p},"geometry":{g}}}"#)).collect();
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4545"}}}},"features":[{}]}}"#,
        f.join(",")
    )
}

fn distance(out: &std::path::Path) -> f64 {
    let b = lantu_read::read_layer(&out.join("layers/buildings.fgb"), &Default::default()).unwrap();
    let at = b.fields.iter().position(|f| f == "dist_elderly_care_m").unwrap();
    match &b.features[0].values[at] {
        lantu_read::Value::Real(x) => *x,
        v => panic!("{v:?}"),
    }
}

#[test]
fn the_walk_starts_at_the_best_entrance() {
    lantu_read::init_gdal();
    let d = TempDir::new("entrances");
    d.write("c.geojson", &fc(&[(r#"{"code":"A","households":100}"#, SQUARE)]));
    d.write("b.geojson", &fc(&[(r#"{"id":"H"}"#, HOUSE)]));
    d.write(
        "f.geojson",
        &fc(&[(
            r#"{"name":"care","service":"elderly_care","floor_area":200}"#,
            r#"{"type":"Point","coordinates":[150,120]}"#,
        )]),
    );
    // doors on the west and east walls, and one that stands on no building
    d.write(
        "e.geojson",
        &fc(&[
            (r#"{"id":"W"}"#, r#"{"type":"Point","coordinates":[100,120]}"#),
            (r#"{"id":"E"}"#, r#"{"type":"Point","coordinates":[140,120]}"#),
            (r#"{"id":"X"}"#, r#"{"type":"Point","coordinates":[500,500]}"#),
        ]),
    );
    let base =
        "metric_crs = \"EPSG:4545\"\n[communities]\npath = \"c.geojson\"\n[buildings]\npath = \"b.geojson\"\n[facilities]\npath = \"f.geojson\"\n";
    let without = d.write("without.toml", base);
    let with = d.write("with.toml", &format!("{base}[entrances]\npath = \"e.geojson\"\n"));

    let o = lantu(&["check", with.to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(out.contains("buildings whose walks start at an entrance: 1"), "{out}");
    assert!(out.contains("entrances on a building: 2"), "{out}");
    assert!(out.contains("entrance on no building outline (within 1 m): not used — features X"), "{out}");

    let run = |project: &std::path::Path, name: &str| {
        let out = d.path().join(name);
        let o = lantu(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps"]);
        assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
        distance(&out)
    };
    let inside = run(&without, "without");
    let door = run(&with, "with");
    assert!((door - 10.0).abs() < 1e-6, "from the east door: {door}");
    assert!(inside > 20.0, "from inside the house: {inside}");
}
