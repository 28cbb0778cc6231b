//! FlatGeobuf for the big derived layers (a city's buildings and walkway segments), encoded
//! on every core and written in one pass.
//!
//! GDAL's writer (3.6) takes one call per field of every feature, writes the features to a
//! temporary file and then again in the index's order: 3.3 CPU-seconds for a city's two
//! layers. Here each feature is encoded as its FlatBuffer in parallel with the `flatgeobuf`
//! crate's generated tables, the packed Hilbert R-tree is built by the crate, and the file
//! is magic bytes, header, index and the features in the index's order — the layout GDAL,
//! QGIS and every FlatGeobuf reader expect. The same layer gives the same bytes on any
//! number of threads (features are sorted by their Hilbert value, ties in row order).

use crate::hilbert::hilbert_sort;
use crate::output::{ColumnType, GeometryKind, LayerData};
use crate::{MetricCrs, Result, Value, WriteError};
use flatbuffers::FlatBufferBuilder;
use flatgeobuf::packed_r_tree::{calc_extent, NodeItem, PackedRTree};
use geo::{Coord, Geometry, LineString, Polygon};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

/// FlatGeobuf's magic bytes, version 3.
const MAGIC: [u8; 8] = [b'f', b'g', b'b', 3, b'f', b'g', b'b', 0];

/// Writes `layer` as `path` (through a temporary file): the layer's geometry kind and
/// columns, the CRS by its EPSG code and WKT, and a spatial index.
pub(crate) fn write_fgb(path: &Path, crs: &MetricCrs, layer: &LayerData) -> Result<()> {
    let err = |m: String| WriteError::gdal_write(path, format!("layer {}: {m}", layer.name));
    let geometry_type = match layer.geometry_type {
        GeometryKind::Point => flatgeobuf::GeometryType::Point,
        GeometryKind::LineString => flatgeobuf::GeometryType::LineString,
        GeometryKind::Polygon => flatgeobuf::GeometryType::Polygon,
        GeometryKind::MultiPolygon => flatgeobuf::GeometryType::MultiPolygon,
        GeometryKind::Any => flatgeobuf::GeometryType::Unknown,
    };
    let encoded: Vec<(NodeItem, Vec<u8>)> = layer
        .rows
        .par_iter()
        .enumerate()
        .map(|(i, (g, values))| {
            encode(g, values, &layer.columns, geometry_type).map_err(|m| format!("feature {i}: {m}"))
        })
        .collect::<std::result::Result<_, _>>()
        .map_err(err)?;
    // the index's order, then each feature's offset in it
    let mut nodes: Vec<NodeItem> =
        encoded.iter().enumerate().map(|(i, (n, _))| NodeItem { offset: i as u64, ..n.clone() }).collect();
    let extent = calc_extent(&nodes);
    if !nodes.is_empty() {
        hilbert_sort(&mut nodes, &extent);
    }
    let order: Vec<usize> = nodes.iter().map(|n| n.offset as usize).collect();
    let mut offset = 0u64;
    for n in &mut nodes {
        let size = encoded[n.offset as usize].1.len() as u64;
        n.offset = offset;
        offset += size;
    }
    let header = header(layer, crs, geometry_type, &extent).map_err(err)?;

    crate::output::write_via_partial(path, |w| {
        let io = |e: std::io::Error| WriteError::write(path, e);
        w.write_all(&MAGIC).map_err(io)?;
        w.write_all(&header).map_err(io)?;
        if !nodes.is_empty() {
            let tree =
                PackedRTree::build(&nodes, &extent, PackedRTree::DEFAULT_NODE_SIZE).map_err(|e| err(e.to_string()))?;
            tree.stream_write(w).map_err(io)?;
        }
        for i in order {
            w.write_all(&encoded[i].1).map_err(io)?;
        }
        Ok(())
    })
}

/// The size-prefixed header: name, extent, geometry type, columns, count, index, CRS.
fn header(
    layer: &LayerData,
    crs: &MetricCrs,
    geometry_type: flatgeobuf::GeometryType,
    extent: &NodeItem,
) -> std::result::Result<Vec<u8>, String> {
    let wkt = {
        let srs = gdal::spatial_ref::SpatialRef::from_epsg(crs.epsg).map_err(|e| e.to_string())?;
        srs.to_wkt().map_err(|e| e.to_string())?
    };
    let mut fbb = FlatBufferBuilder::new();
    let columns: Vec<_> = layer
        .columns
        .iter()
        .map(|(name, ty)| {
            let name = fbb.create_string(name);
            let type_ = match ty {
                ColumnType::Text => flatgeobuf::ColumnType::String,
                ColumnType::Int => flatgeobuf::ColumnType::Long,
                ColumnType::Real => flatgeobuf::ColumnType::Double,
            };
            flatgeobuf::Column::create(
                &mut fbb,
                &flatgeobuf::ColumnArgs { name: Some(name), type_, ..Default::default() },
            )
        })
        .collect();
    let columns = fbb.create_vector(&columns);
    let name = fbb.create_string(&layer.name);
    let envelope =
        (!layer.rows.is_empty()).then(|| fbb.create_vector(&[extent.min_x, extent.min_y, extent.max_x, extent.max_y]));
    let org = fbb.create_string("EPSG");
    let wkt = fbb.create_string(&wkt);
    let crs = flatgeobuf::Crs::create(
        &mut fbb,
        &flatgeobuf::CrsArgs { org: Some(org), code: crs.epsg as i32, wkt: Some(wkt), ..Default::default() },
    );
    let header = flatgeobuf::Header::create(
        &mut fbb,
        &flatgeobuf::HeaderArgs {
            name: Some(name),
            envelope,
            geometry_type,
            columns: Some(columns),
            features_count: layer.rows.len() as u64,
            index_node_size: if layer.rows.is_empty() { 0 } else { PackedRTree::DEFAULT_NODE_SIZE },
            crs: Some(crs),
            ..Default::default()
        },
    );
    fbb.finish_size_prefixed(header, None);
    Ok(fbb.finished_data().to_vec())
}

/// One feature as a size-prefixed FlatBuffer, and its bounding box for the index.
fn encode(
    g: &Geometry,
    values: &[Value],
    columns: &[(String, ColumnType)],
    geometry_type: flatgeobuf::GeometryType,
) -> std::result::Result<(NodeItem, Vec<u8>), String> {
    let mut bbox = NodeItem::create(0);
    let mut fbb = FlatBufferBuilder::with_capacity(256);
    let geometry = match (geometry_type, g) {
        (flatgeobuf::GeometryType::Point, Geometry::Point(p)) => simple(&mut fbb, &mut bbox, &[p.0], None),
        (flatgeobuf::GeometryType::LineString, Geometry::LineString(l)) => simple(&mut fbb, &mut bbox, &l.0, None),
        (flatgeobuf::GeometryType::Polygon, Geometry::Polygon(p)) => polygon(&mut fbb, &mut bbox, p),
        (flatgeobuf::GeometryType::MultiPolygon, Geometry::MultiPolygon(m)) => {
            let parts: Vec<_> = m.0.iter().map(|p| polygon(&mut fbb, &mut bbox, p)).collect();
            let parts = fbb.create_vector(&parts);
            flatgeobuf::Geometry::create(
                &mut fbb,
                &flatgeobuf::GeometryArgs { parts: Some(parts), ..Default::default() },
            )
        }
        (flatgeobuf::GeometryType::MultiPolygon, Geometry::Polygon(p)) => {
            let part = polygon(&mut fbb, &mut bbox, p);
            let parts = fbb.create_vector(&[part]);
            flatgeobuf::Geometry::create(
                &mut fbb,
                &flatgeobuf::GeometryArgs { parts: Some(parts), ..Default::default() },
            )
        }
        (t, other) => return Err(format!("a {other:?} in a {t:?} layer")),
    };
    // each set value: its column (u16) and its bytes, little-endian; nulls left out
    let mut props: Vec<u8> = Vec::with_capacity(values.len() * 10);
    for (i, (v, (_, ty))) in values.iter().zip(columns).enumerate() {
        let column = (i as u16).to_le_bytes();
        match (v, ty) {
            (Value::Null, _) => continue,
            (Value::Real(x), _) if !x.is_finite() => continue,
            (Value::Int(x), ColumnType::Int) => {
                props.extend_from_slice(&column);
                props.extend_from_slice(&x.to_le_bytes());
            }
            (Value::Real(x), ColumnType::Real) => {
                props.extend_from_slice(&column);
                props.extend_from_slice(&x.to_le_bytes());
            }
            (Value::Int(x), ColumnType::Real) => {
                props.extend_from_slice(&column);
                props.extend_from_slice(&(*x as f64).to_le_bytes());
            }
            (Value::Text(s), ColumnType::Text) => {
                props.extend_from_slice(&column);
                props.extend_from_slice(&(s.len() as u32).to_le_bytes());
                props.extend_from_slice(s.as_bytes());
            }
            (v, ty) => {
                // as GDAL would: the value as text in a text column, else its number
                let text = match v {
                    Value::Int(x) => x.to_string(),
                    Value::Real(x) => x.to_string(),
                    Value::Text(s) => s.clone(),
                    Value::Null => unreachable!("left out above"),
                };
                props.extend_from_slice(&column);
                match ty {
                    ColumnType::Text => {
                        props.extend_from_slice(&(text.len() as u32).to_le_bytes());
                        props.extend_from_slice(text.as_bytes());
                    }
                    ColumnType::Int => props.extend_from_slice(&text.parse::<i64>().unwrap_or(0).to_le_bytes()),
                    ColumnType::Real => props.extend_from_slice(&text.parse::<f64>().unwrap_or(f64::NAN).to_le_bytes()),
                }
            }
        }
    }
    let properties = fbb.create_vector(&props);
    let feature = flatgeobuf::Feature::create(
        &mut fbb,
        &flatgeobuf::FeatureArgs { geometry: Some(geometry), properties: Some(properties), ..Default::default() },
    );
    fbb.finish_size_prefixed(feature, None);
    Ok((bbox, fbb.finished_data().to_vec()))
}

/// A geometry of flat coordinates, with ring ends when there is more than one ring.
fn simple<'a>(
    fbb: &mut FlatBufferBuilder<'a>,
    bbox: &mut NodeItem,
    coords: &[Coord],
    ends: Option<&[u32]>,
) -> flatbuffers::WIPOffset<flatgeobuf::Geometry<'a>> {
    let mut xy = Vec::with_capacity(coords.len() * 2);
    for c in coords {
        xy.push(c.x);
        xy.push(c.y);
        bbox.expand_xy(c.x, c.y);
    }
    let xy = fbb.create_vector(&xy);
    let ends = ends.map(|e| fbb.create_vector(e));
    flatgeobuf::Geometry::create(fbb, &flatgeobuf::GeometryArgs { xy: Some(xy), ends, ..Default::default() })
}

/// A polygon part: its rings' coordinates one after another, and where each ring ends.
fn polygon<'a>(
    fbb: &mut FlatBufferBuilder<'a>,
    bbox: &mut NodeItem,
    p: &Polygon,
) -> flatbuffers::WIPOffset<flatgeobuf::Geometry<'a>> {
    let rings: Vec<&LineString> = std::iter::once(p.exterior()).chain(p.interiors()).collect();
    let coords: Vec<Coord> = rings.iter().flat_map(|r| r.0.iter().copied()).collect();
    let ends: Vec<u32> = rings
        .iter()
        .scan(0u32, |end, r| {
            *end += r.0.len() as u32;
            Some(*end)
        })
        .collect();
    simple(fbb, bbox, &coords, (ends.len() > 1).then_some(&ends[..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gdal::vector::LayerAccess;
    use lantu_core::SeededRng;

    /// A layer of random multipolygons (some with holes, some of two parts) and every kind of
    /// value, nulls and Chinese text included.
    fn layer(r: &mut SeededRng) -> LayerData {
        let square =
            |x: f64, y: f64, s: f64| LineString::from(vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s), (x, y)]);
        let rows = (0..300)
            .map(|i| {
                let (x, y) = (r.range(350_000.0, 360_000.0), r.range(3_260_000.0, 3_270_000.0));
                let s = r.range(5.0, 60.0);
                let holes = if i % 3 == 0 { vec![square(x + s / 4.0, y + s / 4.0, s / 4.0)] } else { vec![] };
                let mut parts = vec![Polygon::new(square(x, y, s), holes)];
                if i % 7 == 0 {
                    parts.push(Polygon::new(square(x + 2.0 * s, y, s / 2.0), vec![]));
                }
                let values = vec![
                    Value::Text(format!("楼{i}")),
                    if i % 5 == 0 { Value::Null } else { Value::Int(i as i64 - 100) },
                    if i % 4 == 0 { Value::Null } else { Value::Real(r.range(-1e6, 1e6)) },
                ];
                (Geometry::MultiPolygon(geo::MultiPolygon(parts)), values)
            })
            .collect();
        LayerData {
            name: "buildings".into(),
            geometry_type: GeometryKind::MultiPolygon,
            columns: vec![
                ("name".into(), ColumnType::Text),
                ("n".into(), ColumnType::Int),
                ("x_m".into(), ColumnType::Real),
            ],
            rows,
        }
    }

    /// Every feature as GDAL reads it: fields as text, geometry as WKT, in file order.
    fn read(path: &Path, rect: Option<(f64, f64, f64, f64)>) -> Vec<(Vec<Option<String>>, String)> {
        let ds = gdal::Dataset::open(path).unwrap();
        let mut l = ds.layer(0).unwrap();
        if let Some((a, b, c, d)) = rect {
            l.set_spatial_filter_rect(a, b, c, d);
        }
        let n = l.defn().fields().count();
        l.features()
            .map(|f| {
                let fields = (0..n).map(|i| f.field_as_string(i).unwrap()).collect();
                (fields, f.geometry().unwrap().wkt().unwrap())
            })
            .collect()
    }

    /// GDAL reads what lantu writes exactly as what GDAL's own FlatGeobuf writer writes:
    /// the same features, values, geometries and order, the same CRS, and the spatial index
    /// answers boxes alike; the bytes do not depend on the thread count.
    #[test]
    fn gdal_reads_it_as_its_own() {
        lantu_read::init_gdal();
        let mut r = SeededRng::new(8);
        let layer = layer(&mut r);
        let crs = MetricCrs::named("EPSG:4545").unwrap();
        let dir = std::env::temp_dir().join(format!("lantu-fgb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (ours, gdals) = (dir.join("ours.fgb"), dir.join("gdal.fgb"));
        write_fgb(&ours, &crs, &layer).unwrap();
        crate::output::write_layers(&gdals, "FlatGeobuf", &crs, &[&layer], &["SPATIAL_INDEX=YES"]).unwrap();
        assert_eq!(read(&ours, None), read(&gdals, None));
        assert_eq!(read(&ours, None).len(), 300);
        for _ in 0..20 {
            let (x, y, s) = (r.range(350_000.0, 360_000.0), r.range(3_260_000.0, 3_270_000.0), r.range(100.0, 3000.0));
            let (a, b) = (read(&ours, Some((x, y, x + s, y + s))), read(&gdals, Some((x, y, x + s, y + s))));
            assert_eq!(a, b);
        }
        let srs =
            |p: &Path| gdal::Dataset::open(p).unwrap().layer(0).unwrap().spatial_ref().unwrap().auth_code().unwrap();
        assert_eq!(srs(&ours), 4545);
        assert_eq!(srs(&gdals), 4545);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let single = dir.join("single.fgb");
        one.install(|| write_fgb(&single, &crs, &layer)).unwrap();
        assert_eq!(std::fs::read(&single).unwrap(), std::fs::read(&ours).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
