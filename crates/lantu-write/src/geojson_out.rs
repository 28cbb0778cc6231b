//! RFC 7946 GeoJSON written by lantu itself: coordinates reprojected to WGS 84 with PROJ in
//! parallel chunks, rings oriented (exteriors counter-clockwise, holes clockwise), 7
//! decimals (≈ 1 cm), features serialised in parallel and written in order. GDAL's
//! RFC 7946 mode spent 9 s of a city run re-validating two layers of large polygons.

use crate::output::LayerData;
use crate::{MetricCrs, Result, Value, WriteError};
use geo::orient::{Direction, Orient};
use geo::{Coord, Geometry, LineString, Polygon};
use lantu_read::{GeoCoords, ReprojectSpec};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// Writes one layer as RFC 7946 GeoJSON (through a temporary file).
pub fn write_geojson(path: &Path, crs: &MetricCrs, layer: &LayerData) -> Result<()> {
    let spec = ReprojectSpec { from: crs.definition.clone(), coords: GeoCoords::Wgs84, to: "EPSG:4326".into() };
    spec.on_this_thread()?; // a clear error on this thread before the parallel work
    let names: Vec<String> = layer.columns.iter().map(|(n, _)| json_string(n)).collect();
    let pieces: Vec<std::result::Result<String, String>> = pieces(&layer.rows)
        .into_par_iter()
        .map(|range| {
            let rows = &layer.rows[range];
            let r = spec.on_this_thread().map_err(|e| e.to_string())?;
            let mut out = String::with_capacity(rows.len() * 256);
            for (g, values) in rows {
                let mut g = g.clone();
                r.geometry(&mut g)?;
                out.push_str(if out.is_empty() { "" } else { ",\n" });
                feature(&mut out, &g, values, &names);
            }
            Ok(out)
        })
        .collect();
    crate::output::write_via_partial(path, |w| {
        let io = |e| WriteError::write(path, e);
        writeln!(w, "{{\"type\":\"FeatureCollection\",\"name\":{},\"features\":[", json_string(&layer.name))
            .map_err(io)?;
        let mut first = true;
        for p in pieces {
            let p = p.map_err(|m| WriteError::gdal_write(path, format!("reprojecting to WGS 84: {m}")))?;
            if p.is_empty() {
                continue;
            }
            if !first {
                w.write_all(b",\n").map_err(io)?;
            }
            w.write_all(p.as_bytes()).map_err(io)?;
            first = false;
        }
        w.write_all(b"\n]}\n").map_err(io)
    })
}

/// The layer cut into runs of features for the parallel work: a few runs per core by
/// vertices, not by features (ten uncovered areas can hold more vertices than a city's
/// facilities), and never smaller than the PROJ setup each run pays for is worth.
fn pieces(rows: &[(Geometry, Vec<Value>)]) -> Vec<std::ops::Range<usize>> {
    use geo::CoordsIter;
    let weights: Vec<usize> = rows.iter().map(|(g, _)| g.coords_count().max(1)).collect();
    let total: usize = weights.iter().sum();
    let target = (total / (4 * rayon::current_num_threads())).max(20_000);
    let mut out = Vec::new();
    let (mut start, mut acc) = (0, 0);
    for (i, w) in weights.iter().enumerate() {
        acc += w;
        if acc >= target {
            out.push(start..i + 1);
            (start, acc) = (i + 1, 0);
        }
    }
    if start < rows.len() {
        out.push(start..rows.len());
    }
    out
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn feature(out: &mut String, g: &Geometry, values: &[Value], names: &[String]) {
    out.push_str("{\"type\":\"Feature\",\"properties\":{");
    for (i, (name, v)) in names.iter().zip(values).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(name);
        out.push(':');
        match v {
            Value::Null => out.push_str("null"),
            Value::Int(x) => {
                let _ = write!(out, "{x}");
            }
            Value::Real(x) if x.is_finite() => {
                let _ = write!(out, "{x}");
            }
            Value::Real(_) => out.push_str("null"),
            Value::Text(s) => out.push_str(&json_string(s)),
        }
    }
    out.push_str("},\"geometry\":");
    geometry(out, g);
    out.push('}');
}

fn coord(out: &mut String, c: Coord) {
    out.push('[');
    push_round7(out, c.x);
    out.push(',');
    push_round7(out, c.y);
    out.push(']');
}

/// 7 decimals without trailing zeros (2.5000000 → 2.5), written in place.
fn push_round7(out: &mut String, v: f64) {
    let start = out.len();
    let _ = write!(out, "{v:.7}");
    // `{:.7}` always writes a point, so only fraction zeros are trimmed
    let kept = out[start..].trim_end_matches('0').trim_end_matches('.').len();
    out.truncate(start + kept);
    if &out[start..] == "-0" {
        out.truncate(start);
        out.push('0');
    }
}

/// `[a,b,…]` with each item written by `each`.
fn list<T>(out: &mut String, items: impl IntoIterator<Item = T>, mut each: impl FnMut(&mut String, T)) {
    out.push('[');
    for (i, x) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        each(out, x);
    }
    out.push(']');
}

fn line(out: &mut String, l: &LineString) {
    list(out, &l.0, |out, c| coord(out, *c));
}

fn polygon(out: &mut String, p: &Polygon) {
    let p = p.orient(Direction::Default); // exterior counter-clockwise, holes clockwise
    list(out, std::iter::once(p.exterior()).chain(p.interiors()), line);
}

fn geometry(out: &mut String, g: &Geometry) {
    let (kind, member) = match g {
        Geometry::Point(_) => ("Point", "coordinates"),
        Geometry::LineString(_) => ("LineString", "coordinates"),
        Geometry::Polygon(_) => ("Polygon", "coordinates"),
        Geometry::MultiPoint(_) => ("MultiPoint", "coordinates"),
        Geometry::MultiLineString(_) => ("MultiLineString", "coordinates"),
        Geometry::MultiPolygon(_) => ("MultiPolygon", "coordinates"),
        Geometry::GeometryCollection(_) => ("GeometryCollection", "geometries"),
        // the blueprint's layers hold none of these: written as what they are
        Geometry::Rect(r) => return geometry(out, &Geometry::Polygon(r.to_polygon())),
        Geometry::Triangle(t) => return geometry(out, &Geometry::Polygon(t.to_polygon())),
        Geometry::Line(l) => return geometry(out, &Geometry::LineString(LineString(vec![l.start, l.end]))),
    };
    let _ = write!(out, "{{\"type\":\"{kind}\",\"{member}\":");
    match g {
        Geometry::Point(p) => coord(out, p.0),
        Geometry::LineString(l) => line(out, l),
        Geometry::Polygon(p) => polygon(out, p),
        Geometry::MultiPoint(m) => list(out, &m.0, |out, p| coord(out, p.0)),
        Geometry::MultiLineString(m) => list(out, &m.0, line),
        Geometry::MultiPolygon(m) => list(out, &m.0, polygon),
        Geometry::GeometryCollection(gc) => list(out, &gc.0, geometry),
        Geometry::Rect(_) | Geometry::Triangle(_) | Geometry::Line(_) => {
            unreachable!("written as polygons and lines above")
        }
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round7(v: f64) -> String {
        let mut s = String::from("x");
        push_round7(&mut s, v);
        s[1..].to_string()
    }

    #[test]
    fn rounding_and_orientation() {
        assert_eq!(round7(106.5000000), "106.5");
        assert_eq!(round7(-0.00000001), "0");
        assert_eq!(round7(29.12345678), "29.1234568");
        assert_eq!(round7(100.0), "100");
        assert_eq!(round7(-3.25), "-3.25");
        // a clockwise square comes out counter-clockwise
        let ring = vec![(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)];
        let cw = Polygon::new(LineString::from(ring), vec![]);
        let mut s = String::new();
        polygon(&mut s, &cw);
        assert_eq!(s, "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]");
        // a collection keeps its members (it was written empty before)
        let gc =
            Geometry::GeometryCollection(geo::GeometryCollection(vec![Geometry::Point(geo::Point::new(1.0, 2.0))]));
        let mut s = String::new();
        geometry(&mut s, &gc);
        assert_eq!(s, r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}"#);
    }
}
