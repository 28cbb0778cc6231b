//! GCJ-02 on real data: the same 38 Chongqing districts in GCJ-02 and WGS 84.

use crate::common;
use common::*;
use geo::{Centroid, Distance, Haversine, MapCoords, Point};
use lantu_read::gcj02::{gcj02_to_wgs84, wgs84_to_gcj02};
use lantu_read::{read_layer, ReadOptions};
use std::collections::BTreeMap;

fn centroids(rel: &str, convert: bool) -> BTreeMap<String, Point> {
    lantu_read::init_gdal();
    let layer = read_layer(&fixture(rel), &ReadOptions::default()).unwrap();
    let name = layer.fields.iter().position(|f| f == "name").unwrap();
    layer
        .features
        .iter()
        .filter_map(|f| {
            let mut g = f.geometry.clone()?;
            if convert {
                g = g.map_coords(|c| {
                    let (x, y) = gcj02_to_wgs84(c.x, c.y);
                    geo::coord! { x: x, y: y }
                });
            }
            Some((f.values[name].text()?, g.centroid()?))
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn converted_gcj02_districts_meet_their_wgs84_twins() {
    let wgs = centroids("chongqing_districts/districts_wgs84.geojson", false);
    let raw = centroids("chongqing_districts/districts_gcj02.geojson", false);
    let conv = centroids("chongqing_districts/districts_gcj02.geojson", true);
    let pairs: Vec<&String> = wgs.keys().filter(|k| raw.contains_key(*k)).collect();
    assert!(pairs.len() >= 30, "matched {} districts by name", pairs.len());
    let before = median(pairs.iter().map(|k| Haversine.distance(wgs[*k], raw[*k])).collect());
    let after = median(pairs.iter().map(|k| Haversine.distance(wgs[*k], conv[*k])).collect());
    eprintln!("median centroid distance: before {before:.0} m, after {after:.0} m ({} districts)", pairs.len());
    assert!(before > 400.0, "before conversion {before:.0} m");
    assert!(after < 150.0, "after conversion {after:.0} m");
}

#[test]
fn round_trip_wgs84_gcj02_wgs84_is_below_half_a_metre() {
    let wgs = centroids("chongqing_districts/districts_wgs84.geojson", false);
    let worst = wgs
        .values()
        .map(|p| {
            let g = wgs84_to_gcj02(p.x(), p.y());
            let back = gcj02_to_wgs84(g.0, g.1);
            Haversine.distance(*p, Point::new(back.0, back.1))
        })
        .fold(0.0, f64::max);
    assert!(worst < 0.5, "worst round trip {worst} m");
}
