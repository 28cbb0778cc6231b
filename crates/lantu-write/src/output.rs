//! Writing GeoPackage and GeoJSON layers.

use crate::{MetricCrs, Result, Value, WriteError};
use gdal::spatial_ref::SpatialRef;
use gdal::vector::{Feature, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType, ToGdal};
use gdal::DriverManager;
use geo::Geometry;
use lantu_core::{CommunityId, Dataset, Kinds};
use lantu_read::Cause;
use std::path::Path;

pub use lantu_engine::registry::ColumnType;

/// The geometry type of a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeometryKind {
    /// Points.
    Point,
    /// Lines.
    LineString,
    /// Polygons (single).
    Polygon,
    /// Multi-polygons.
    MultiPolygon,
    /// Any geometry (a copy of a user's layer that mixes types).
    Any,
}

impl GeometryKind {
    fn ogr(self) -> OGRwkbGeometryType::Type {
        match self {
            GeometryKind::Point => OGRwkbGeometryType::wkbPoint,
            GeometryKind::LineString => OGRwkbGeometryType::wkbLineString,
            GeometryKind::Polygon => OGRwkbGeometryType::wkbPolygon,
            GeometryKind::MultiPolygon => OGRwkbGeometryType::wkbMultiPolygon,
            GeometryKind::Any => OGRwkbGeometryType::wkbUnknown,
        }
    }
}

/// One layer to write.
#[derive(Clone, Debug)]
pub struct LayerData {
    /// Layer name.
    pub name: String,
    /// Geometry type.
    pub geometry_type: GeometryKind,
    /// Columns.
    pub columns: Vec<(String, ColumnType)>,
    /// Features: geometry and one value per column.
    pub rows: Vec<(Geometry, Vec<Value>)>,
}

/// Writes layers into a new GeoPackage in the metric CRS.
pub fn write_gpkg(path: &Path, crs: &MetricCrs, layers: &[LayerData]) -> Result<()> {
    write_gpkg_refs(path, crs, &layers.iter().collect::<Vec<_>>())
}

/// Fixes the time GDAL writes into the GeoPackages this process makes from now on
/// (`YYYY-MM-DDTHH:MM:SSZ`), so that the same content gives the same bytes.
pub fn fix_gpkg_timestamp(utc: &str) {
    let _ = gdal::config::set_config_option("OGR_CURRENT_DATE", utc);
}

/// Writes layers (given by reference) into a new GeoPackage in the metric CRS.
pub fn write_gpkg_refs(path: &Path, crs: &MetricCrs, layers: &[&LayerData]) -> Result<()> {
    write_layers(path, "GPKG", crs, layers, &[])
}

/// Writes one layer as FlatGeobuf with its spatial index, in the metric CRS.
pub fn write_flatgeobuf(path: &Path, crs: &MetricCrs, layer: &LayerData) -> Result<()> {
    crate::fgb::write_fgb(path, crs, layer)
}

/// Writes `path` through `<path>.partial`, renamed once `fill` has written everything and
/// the buffer is flushed: no reader sees half a file under the real name.
pub(crate) fn write_via_partial(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<()>,
) -> Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".partial");
    let tmp = std::path::PathBuf::from(tmp);
    let file = std::fs::File::create(&tmp).map_err(|e| WriteError::write(&tmp, e))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    fill(&mut w)?;
    w.flush().map_err(|e| WriteError::write(path, e))?;
    drop(w);
    std::fs::rename(&tmp, path).map_err(|e| WriteError::write(path, e))
}

/// A new vector dataset of a driver and the metric CRS's spatial reference.
fn create(path: &Path, driver: &str, crs: &MetricCrs) -> Result<(gdal::Dataset, Option<SpatialRef>)> {
    let err = |m: Cause| WriteError::gdal_write(path, m);
    let driver = DriverManager::get_driver_by_name(driver).map_err(|e| err(e.into()))?;
    let ds = driver.create_vector_only(path).map_err(|e| err(e.into()))?;
    // a CRS without an EPSG code (a user's WKT) is written as its definition; a copy of a
    // user's layer that declares none declares none
    if crs.epsg == 0 && crs.definition.trim().is_empty() {
        return Ok((ds, None));
    }
    let srs =
        if crs.epsg == 0 { SpatialRef::from_definition(&crs.definition) } else { SpatialRef::from_epsg(crs.epsg) };
    let mut srs = srs.map_err(|e| err(e.into()))?;
    srs.set_axis_mapping_strategy(gdal::spatial_ref::AxisMappingStrategy::TraditionalGisOrder);
    Ok((ds, Some(srs)))
}

/// Writes one layer as RFC 7946 GeoJSON: WGS 84, 7 decimals (≈ 1 cm), rings oriented.
pub fn write_geojson(path: &Path, crs: &MetricCrs, layer: &LayerData) -> Result<()> {
    crate::geojson_out::write_geojson(path, crs, layer)
}

pub(crate) fn write_layers(
    path: &Path,
    driver: &str,
    crs: &MetricCrs,
    layers: &[&LayerData],
    layer_options: &[&str],
) -> Result<()> {
    let err = |m: Cause| WriteError::gdal_write(path, m);
    let transactions = driver == "GPKG";
    let (mut ds, srs) = create(path, driver, crs)?;
    let options = (!layer_options.is_empty()).then_some(layer_options);
    for l in layers {
        if transactions {
            // one transaction per layer: SQLite writes are much faster in bulk
            let mut txn = ds.start_transaction().map_err(|e| err(e.into()))?;
            fill_layer(&mut txn, l, srs.as_ref(), options).map_err(err)?;
            txn.commit().map_err(|e| err(e.into()))?;
        } else {
            fill_layer(&mut ds, l, srs.as_ref(), options).map_err(err)?;
        }
    }
    Ok(())
}

fn fill_layer(
    ds: &mut gdal::Dataset,
    l: &LayerData,
    srs: Option<&SpatialRef>,
    options: Option<&[&str]>,
) -> Result<(), Cause> {
    let layer = ds
        .create_layer(LayerOptions { name: &l.name, srs, ty: l.geometry_type.ogr(), options })
        .map_err(|e| format!("layer {}: {e}", l.name))?;
    let defs: Vec<(&str, OGRFieldType::Type)> = l
        .columns
        .iter()
        .map(|(n, t)| {
            let ty = match t {
                ColumnType::Text => OGRFieldType::OFTString,
                ColumnType::Int => OGRFieldType::OFTInteger64,
                ColumnType::Real => OGRFieldType::OFTReal,
            };
            (n.as_str(), ty)
        })
        .collect();
    layer.create_defn_fields(&defs).map_err(|e| format!("layer {}: {e}", l.name))?;
    for (g, values) in &l.rows {
        let mut f = Feature::new(layer.defn())?;
        for (i, v) in values.iter().enumerate() {
            let r = match v {
                Value::Null => f.set_field_null(i),
                Value::Int(x) => f.set_field_integer64(i, *x),
                Value::Real(x) => f.set_field_double(i, *x),
                Value::Text(s) => f.set_field_string(i, s),
            };
            r.map_err(|e| format!("layer {} field {}: {e}", l.name, l.columns[i].0))?;
        }
        // through WKB: one call into GDAL per geometry instead of one per vertex
        let gg = gdal::vector::Geometry::from_wkb(&wkb(g))?;
        f.set_geometry(gg)?;
        f.create(&layer).map_err(|e| format!("layer {}: {e}", l.name))?;
    }
    Ok(())
}

fn opt_text(s: &Option<String>) -> Value {
    s.as_ref().map_or(Value::Null, |s| Value::Text(s.clone()))
}
fn opt_real(x: Option<f64>) -> Value {
    x.map_or(Value::Null, Value::Real)
}

/// The normalised input layers, in the metric CRS: what lantu read, as it read it.
pub fn inputs_layers(d: &Dataset, building_community: &[Option<CommunityId>], known: &Kinds) -> Vec<LayerData> {
    use ColumnType::*;
    let cols = |v: &[(&str, ColumnType)]| v.iter().map(|(n, t)| (n.to_string(), *t)).collect::<Vec<_>>();
    let code_of = |c: Option<CommunityId>| c.map_or(Value::Null, |c| Value::Text(d.community(c).code.clone()));
    let kinds = |k: &[lantu_core::ServiceKind]| Value::Text(known.codes(k));
    vec![
        LayerData {
            name: "communities".into(),
            geometry_type: GeometryKind::MultiPolygon,
            columns: cols(&[
                ("community_code", Text),
                ("community_name", Text),
                ("street_code", Text),
                ("street_name", Text),
                ("households", Real),
                ("households_estimated", Int),
                ("households_source", Text),
                ("population", Real),
                ("capable", Int),
                ("centralised", Int),
            ]),
            rows: d
                .communities
                .iter()
                .map(|c| {
                    (
                        Geometry::MultiPolygon(c.boundary.clone()),
                        vec![
                            Value::Text(c.code.clone()),
                            Value::Text(c.name.clone()),
                            opt_text(&c.street_code),
                            opt_text(&c.street_name),
                            opt_real(c.households.map(|h| h.0)),
                            Value::Int(c.households_source.is_estimated() as i64),
                            c.households.map_or(Value::Null, |_| Value::Text(c.households_source.code().into())),
                            opt_real(c.population),
                            Value::Int(c.capable as i64),
                            Value::Int(c.centralised as i64),
                        ],
                    )
                })
                .collect(),
        },
        LayerData {
            name: "buildings".into(),
            geometry_type: GeometryKind::MultiPolygon,
            columns: cols(&[
                ("source_id", Text),
                ("community_code", Text),
                ("residential", Int),
                ("floors", Real),
                ("households", Real),
                ("households_estimated", Int),
                ("households_source", Text),
                ("compound", Text),
            ]),
            rows: d
                .buildings
                .iter()
                .zip(building_community)
                .map(|(b, c)| {
                    (
                        Geometry::MultiPolygon(b.footprint.clone()),
                        vec![
                            Value::Text(b.source_id.clone()),
                            code_of(*c),
                            Value::Int(b.residential as i64),
                            opt_real(b.floors),
                            opt_real(b.households.map(|h| h.0)),
                            Value::Int((b.households.is_some() && b.households_source.is_estimated()) as i64),
                            b.households.map_or(Value::Null, |_| Value::Text(b.households_source.code().into())),
                            opt_text(&b.compound),
                        ],
                    )
                })
                .collect(),
        },
        LayerData {
            name: "facilities".into(),
            geometry_type: GeometryKind::Point,
            columns: cols(&[
                ("source_id", Text),
                ("name", Text),
                ("kinds", Text),
                ("floor_area_m2", Real),
                ("complex", Int),
                ("shared_by", Text),
            ]),
            rows: d
                .facilities
                .iter()
                .map(|f| {
                    (
                        Geometry::Point(f.location),
                        vec![
                            Value::Text(f.source_id.clone()),
                            Value::Text(f.name.clone()),
                            kinds(&f.kinds),
                            opt_real(f.floor_area.map(|a| a.0)),
                            Value::Int(f.complex as i64),
                            Value::Text(f.shared_by.join(";")),
                        ],
                    )
                })
                .collect(),
        },
        LayerData {
            name: "walkways".into(),
            geometry_type: GeometryKind::LineString,
            columns: cols(&[("source_id", Text), ("class", Text), ("steps", Int)]),
            rows: d
                .walkways
                .iter()
                .map(|w| {
                    (
                        Geometry::LineString(w.line.clone()),
                        vec![Value::Text(w.source_id.clone()), opt_text(&w.class), Value::Int(w.steps as i64)],
                    )
                })
                .collect(),
        },
        LayerData {
            name: "candidates".into(),
            geometry_type: GeometryKind::Point,
            columns: cols(&[("source_id", Text), ("name", Text), ("floor_area_m2", Real), ("owner", Text)]),
            rows: d
                .candidates
                .iter()
                .map(|c| {
                    (
                        Geometry::Point(c.location),
                        vec![
                            Value::Text(c.source_id.clone()),
                            Value::Text(c.name.clone()),
                            opt_real(c.floor_area.map(|a| a.0)),
                            opt_text(&c.owner),
                        ],
                    )
                })
                .collect(),
        },
    ]
}

/// Writes `inputs.gpkg`: the normalised input layers in the metric CRS.
pub fn write_inputs_gpkg(
    path: &Path,
    d: &Dataset,
    building_community: &[Option<CommunityId>],
    kinds: &Kinds,
    crs: &MetricCrs,
) -> Result<()> {
    write_gpkg(path, crs, &inputs_layers(d, building_community, kinds))
}

/// Well-known binary (little endian, 2D) of a geometry.
pub fn wkb(g: &Geometry) -> Vec<u8> {
    fn coords(out: &mut Vec<u8>, cs: &[geo::Coord]) {
        out.extend_from_slice(&(cs.len() as u32).to_le_bytes());
        for c in cs {
            out.extend_from_slice(&c.x.to_le_bytes());
            out.extend_from_slice(&c.y.to_le_bytes());
        }
    }
    fn polygon(out: &mut Vec<u8>, p: &geo::Polygon) {
        out.push(1);
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&(1 + p.interiors().len() as u32).to_le_bytes());
        coords(out, &p.exterior().0);
        for r in p.interiors() {
            coords(out, &r.0);
        }
    }
    let mut out = Vec::new();
    match g {
        Geometry::Point(p) => {
            out.push(1);
            out.extend_from_slice(&1u32.to_le_bytes());
            out.extend_from_slice(&p.x().to_le_bytes());
            out.extend_from_slice(&p.y().to_le_bytes());
        }
        Geometry::LineString(l) => {
            out.push(1);
            out.extend_from_slice(&2u32.to_le_bytes());
            coords(&mut out, &l.0);
        }
        Geometry::Polygon(p) => polygon(&mut out, p),
        Geometry::MultiPolygon(m) => {
            out.push(1);
            out.extend_from_slice(&6u32.to_le_bytes());
            out.extend_from_slice(&(m.0.len() as u32).to_le_bytes());
            for p in m {
                polygon(&mut out, p);
            }
        }
        other => {
            // rare shapes go the long way
            return other.to_gdal().and_then(|g| g.wkb()).unwrap_or_default();
        }
    }
    out
}
