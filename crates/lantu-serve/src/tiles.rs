//! Mapbox Vector Tiles of any collection, made on request from the features in memory
//! (geozero's MVT writer and prost: no protobuf written by hand).

use crate::catalog::Collection;
use geo::{Geometry, MapCoords, Simplify};
use geozero::mvt::{tile, Message, TagsBuilder, Tile, TileValue};
use geozero::ToMvt;
use serde_json::{json, Value};

/// Tile extent in tile units (MVT's usual 4096).
pub const EXTENT: u32 = 4096;
/// Tiles are made from this zoom on; below it a city's buildings are a grey blur that
/// costs megabytes per tile.
pub const MIN_ZOOM: u8 = 12;
/// The deepest zoom served (street detail).
pub const MAX_ZOOM: u8 = 20;
/// The most features one tile carries; beyond, the tile is cut at that many (in the
/// layer's order) rather than growing without bound.
pub const MAX_FEATURES: usize = 200_000;

const R: f64 = 6_378_137.0;

/// Longitude/latitude to Web Mercator metres.
fn mercator(c: geo::Coord) -> geo::Coord {
    let lat = c.y.clamp(-85.051_128_78, 85.051_128_78).to_radians();
    geo::Coord { x: R * c.x.to_radians(), y: R * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln() }
}

/// A tile's bounds: (left, bottom, right, top) in Web Mercator metres, and in longitude/latitude.
pub fn bounds(z: u8, x: u32, y: u32) -> ([f64; 4], [f64; 4]) {
    let n = (1u64 << z) as f64;
    let size = 2.0 * std::f64::consts::PI * R / n;
    let left = -std::f64::consts::PI * R + x as f64 * size;
    let top = std::f64::consts::PI * R - y as f64 * size;
    let lon = |x: f64| x / n * 360.0 - 180.0;
    let lat = |y: f64| (std::f64::consts::PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
    ([left, top - size, left + size, top], [lon(x as f64), lat(y as f64 + 1.0), lon(x as f64 + 1.0), lat(y as f64)])
}

fn tile_value(v: &Value) -> Option<TileValue> {
    match v {
        Value::String(s) => Some(TileValue::Str(s.clone())),
        Value::Number(n) => n.as_i64().map(TileValue::Sint).or_else(|| n.as_f64().map(TileValue::Double)),
        Value::Bool(b) => Some(TileValue::Bool(*b)),
        _ => None,
    }
}

/// The tile `z/x/y` of a collection, encoded; `None` outside the served zooms.
pub fn tile(c: &Collection, z: u8, x: u32, y: u32) -> Option<Vec<u8>> {
    if !(MIN_ZOOM..=MAX_ZOOM).contains(&z) || x >= 1 << z || y >= 1 << z {
        return None;
    }
    let (m, ll) = bounds(z, x, y);
    // a little more than the tile, so that lines and outlines meet across tile edges
    let pad = |a: f64, b: f64| (b - a) * 16.0 / EXTENT as f64;
    let (px, py) = (pad(ll[0], ll[2]), pad(ll[1], ll[3]));
    let found = c.in_bbox([ll[0] - px, ll[1] - py, ll[2] + px, ll[3] + py]);
    // one tile unit in metres: detail below it cannot be seen
    let unit = (m[2] - m[0]) / EXTENT as f64;
    let mut tags = TagsBuilder::new();
    let mut features = Vec::new();
    for &i in found.iter().take(MAX_FEATURES) {
        let f = &c.features[i];
        let g: Geometry = f.geometry.map_coords(mercator);
        let g = match g {
            Geometry::LineString(l) => Geometry::LineString(l.simplify(unit)),
            Geometry::MultiLineString(l) => Geometry::MultiLineString(l.simplify(unit)),
            Geometry::Polygon(p) => Geometry::Polygon(p.simplify(unit)),
            Geometry::MultiPolygon(p) => Geometry::MultiPolygon(p.simplify(unit)),
            other => other,
        };
        let Ok(mut feature) = g.to_mvt(EXTENT, m[0], m[1], m[2], m[3]) else { continue };
        if feature.geometry.is_empty() {
            continue;
        }
        feature.id = Some(f.id);
        for (k, v) in c.fields.iter().zip(f.values.iter()) {
            if let Some(v) = tile_value(v) {
                let (ki, vi) = tags.insert_ref(k, v);
                feature.tags.extend([ki, vi]);
            }
        }
        features.push(feature);
    }
    let (keys, values) = tags.into_tags();
    let layer = tile::Layer {
        version: 2,
        name: c.layer.clone(),
        features,
        keys,
        values: values.into_iter().map(tile::Value::from).collect(),
        extent: Some(EXTENT),
    };
    Some(Tile { layers: vec![layer] }.encode_to_vec())
}

/// The TileJSON 3.0 of a collection's tiles.
pub fn tilejson(base: &str, c: &Collection) -> Value {
    let e = c.extent;
    json!({
        "tilejson": "3.0.0",
        "name": c.title_zh,
        "description": c.title_en,
        "tiles": [format!("{base}/tiles/{}/{{z}}/{{x}}/{{y}}.mvt", c.id)],
        "minzoom": MIN_ZOOM,
        "maxzoom": MAX_ZOOM,
        "bounds": if c.features.is_empty() { vec![-180.0, -85.0, 180.0, 85.0] } else { e.to_vec() },
        "vector_layers": [{ "id": c.layer, "description": c.title_zh, "minzoom": MIN_ZOOM, "maxzoom": MAX_ZOOM, "fields": {} }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_bounds_match_the_web_mercator_grid() {
        let (m, ll) = bounds(0, 0, 0);
        assert!((m[2] - 20_037_508.342_789_244).abs() < 1e-6 && (m[0] + m[2]).abs() < 1e-6);
        assert!((ll[3] - 85.051_128_78).abs() < 1e-6);
        // Chongqing's 解放碑 at z14: the tile that holds 106.577°E 29.557°N
        let (z, lon, lat) = (14u8, 106.577f64, 29.557f64);
        let n = (1u32 << z) as f64;
        let x = ((lon + 180.0) / 360.0 * n) as u32;
        let y = ((1.0 - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI) / 2.0 * n)
            as u32;
        let (_, ll) = bounds(z, x, y);
        assert!(ll[0] <= lon && lon <= ll[2] && ll[1] <= lat && lat <= ll[3], "{ll:?}");
        let p = mercator(geo::Coord { x: lon, y: lat });
        let (m, _) = bounds(z, x, y);
        assert!(m[0] <= p.x && p.x <= m[2] && m[1] <= p.y && p.y <= m[3]);
    }
}
