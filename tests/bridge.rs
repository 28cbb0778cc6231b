//! A bridge over a valley, through the whole pipeline: the DEM dips 60 m under a level
//! footbridge; flagged as a bridge (桥隧 = 是) it is walked as its deck — the same coverage as
//! on flat ground — and left unflagged it is priced as the climb down and up the valley.

use crate::common;
use common::*;
use gdal::raster::Buffer;
use gdal::spatial_ref::SpatialRef;
use gdal::DriverManager;

const X0: f64 = 354_000.0;
const Y0: f64 = 3_262_000.0;

fn valley(x: f64) -> f64 {
    if (100.0..=700.0).contains(&x) {
        100.0 - 60.0 * (std::f64::consts::PI * (x - 100.0) / 600.0).sin()
    } else {
        100.0
    }
}

fn write_dem(path: &std::path::Path) {
    let (w, h, cell) = (100usize, 40usize, 10.0);
    let heights: Vec<f32> = (0..h).flat_map(|_| (0..w).map(move |c| valley((c as f64 + 0.5) * cell) as f32)).collect();
    let driver = DriverManager::get_driver_by_name("GTiff").unwrap();
    let mut ds = driver.create_with_band_type::<f32, _>(path, w, h, 1).unwrap();
    ds.set_geo_transform(&[X0, cell, 0.0, Y0 + h as f64 * cell, 0.0, -cell]).unwrap();
    ds.set_spatial_ref(&SpatialRef::from_epsg(4545).unwrap()).unwrap();
    let mut band = ds.rasterband(1).unwrap();
    band.write((0, 0), (w, h), &mut Buffer::new((w, h), heights)).unwrap();
}

fn fc(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4545"}}}},"features":[{}]}}"#,
        features.join(",")
    )
}

fn poly(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    let (x0, y0, x1, y1) = (x0 + X0, y0 + Y0, x1 + X0, y1 + Y0);
    format!(r#"{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}"#)
}

fn coverage_fitness(dir: &TempDir, deck: &str) -> (f64, f64) {
    let name = format!("deck-{deck}");
    let sub = dir.path().join(&name);
    std::fs::create_dir_all(&sub).unwrap();
    let bridge: Vec<String> = (0..=30).map(|i| format!("[{},{}]", X0 + 100.0 + 20.0 * i as f64, Y0 + 200.0)).collect();
    std::fs::write(
        sub.join("w.geojson"),
        fc(&[format!(
            r#"{{"type":"Feature","properties":{{"桥隧":"{deck}"}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}"#,
            bridge.join(",")
        )]),
    )
    .unwrap();
    std::fs::write(
        sub.join("c.geojson"),
        fc(&[format!(
            r#"{{"type":"Feature","properties":{{"code":"A","households":100}},"geometry":{}}}"#,
            poly(0.0, 0.0, 1000.0, 400.0)
        )]),
    )
    .unwrap();
    // homes at the east end of the bridge, the gym at its west end: 560 m along the deck
    std::fs::write(
        sub.join("b.geojson"),
        fc(&[format!(
            r#"{{"type":"Feature","properties":{{"id":"H"}},"geometry":{}}}"#,
            poly(650.0, 205.0, 670.0, 215.0)
        )]),
    )
    .unwrap();
    std::fs::write(
        sub.join("f.geojson"),
        fc(&[format!(
            r#"{{"type":"Feature","properties":{{"service":"fitness","floor_area":300}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}"#,
            X0 + 100.0,
            Y0 + 205.0
        )]),
    )
    .unwrap();
    write_dem(&sub.join("dem.tif"));
    let project = sub.join("p.toml");
    std::fs::write(
        &project,
        "metric_crs = \"EPSG:4545\"\n[communities]\npath = \"c.geojson\"\n[buildings]\npath = \"b.geojson\"\n[facilities]\npath = \"f.geojson\"\n[walkways]\npath = \"w.geojson\"\n[dem]\npath = \"dem.tif\"\n",
    )
    .unwrap();
    let out = sub.join("out");
    let o = lantu(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps", "--sites", "0"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    let mut r = csv::Reader::from_path(out.join("tables/communities.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let get =
        |n: &str| row[h.iter().position(|x| x.trim_start_matches('\u{feff}') == n).unwrap()].parse::<f64>().unwrap();
    (get("coverage_fitness"), get("coverage_flat_fitness"))
}

#[test]
fn a_bridge_over_a_valley_covers_as_flat_ground_does() {
    lantu_read::init_gdal();
    let dir = TempDir::new("bridge");
    let (with_slope, flat) = coverage_fitness(&dir, "是");
    assert_eq!(flat, 1.0, "560 m on the flat is within the 1,000 m circle");
    assert_eq!(with_slope, flat, "the deck is level: the valley under it does not count");
    // the same line not flagged as a bridge follows the ground down 60 m and up again
    let (ground, flat) = coverage_fitness(&dir, "否");
    assert_eq!(flat, 1.0);
    assert_eq!(ground, 0.0, "down and up the valley's sides is beyond the circle");
}
