//! The blueprint GeoPackage: the analysis as GIS layers in the metric CRS.
//!
//! Layers: `communities` (every column of communities.csv), `buildings` (households,
//! distances `dist_<kind>_m`, `covered_<kind>`, `snap_m`), `facilities` (`snap_m`),
//! and with the walking network `network` (every edge with its costs and component),
//! `coverage_areas` (per kind and circle) and `uncovered_areas` (per kind).

use crate::output::{write_gpkg, ColumnType, LayerData};
use crate::tables::{community_columns, community_rows};
use crate::{MetricCrs, Result, Value};
use gdal::vector::OGRwkbGeometryType;
use geo::{Geometry, LineString, MultiPolygon};
use lantu_core::{Analysis, Assignment, Dataset, Lang, Profile, ServiceKind};
use lantu_net::{EdgeCosts, Snap, WalkGraph};
use std::path::Path;

/// The area within reach of one kind's facilities for one circle.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageArea {
    /// The kind.
    pub kind: ServiceKind,
    /// The circle's name (`5min`, …).
    pub circle: String,
    /// The circle's walking distance.
    pub radius_m: f64,
    /// The area.
    pub area: MultiPolygon,
}

/// What the walking network adds to the blueprint.
pub struct NetworkOutputs<'a> {
    /// The graph the distances were computed on.
    pub graph: &'a WalkGraph,
    /// Its costs (with slope when a DEM was given).
    pub costs: &'a EdgeCosts,
    /// Where each building joined the network.
    pub building_snaps: &'a [Option<Snap>],
    /// Where each facility joined the network.
    pub facility_snaps: &'a [Option<Snap>],
    /// Coverage areas per kind and circle.
    pub coverage_areas: &'a [CoverageArea],
}

fn cols(v: &[(&str, ColumnType)]) -> Vec<(String, ColumnType)> {
    v.iter().map(|(n, t)| (n.to_string(), *t)).collect()
}
fn real(x: Option<f64>) -> Value {
    x.map_or(Value::Null, Value::Real)
}

/// The type of a communities.csv column in the GeoPackage.
fn community_column_type(name: &str) -> ColumnType {
    match name {
        "community_code" | "community_name" | "street_code" | "street_name" | "functions" | "config_reason"
        | "metric" | "remarks" => ColumnType::Text,
        "priority_rank"
        | "households_estimated"
        | "complex_meets_min"
        | "complex_meets_preferred"
        | "functions_count"
        | "core_functions_count"
        | "core_required"
        | "config_ok" => ColumnType::Int,
        _ => ColumnType::Real,
    }
}

/// Writes `blueprint.gpkg`.
#[allow(clippy::too_many_arguments)]
pub fn write_blueprint_gpkg(
    path: &Path,
    crs: &MetricCrs,
    d: &Dataset,
    a: &Assignment,
    analysis: &Analysis,
    profile: &Profile,
    network: Option<&NetworkOutputs>,
    lang: Lang,
) -> Result<()> {
    let mut layers = Vec::new();

    // communities: the CSV's columns, typed
    let header = community_columns();
    let types: Vec<ColumnType> = header.iter().map(|h| community_column_type(h)).collect();
    let mut order: Vec<&lantu_core::CommunityFigures> = analysis.communities.iter().collect();
    order.sort_by_key(|c| c.priority_rank);
    let rows = community_rows(d, analysis, lang);
    layers.push(LayerData {
        name: "communities".into(),
        geometry_type: OGRwkbGeometryType::wkbMultiPolygon,
        columns: header.iter().cloned().zip(types.iter().copied()).collect(),
        rows: order
            .iter()
            .zip(rows)
            .map(|(f, row)| {
                let values = row
                    .into_iter()
                    .zip(&types)
                    .map(|(cell, t)| match (cell.is_empty(), t) {
                        (true, _) => Value::Null,
                        (false, ColumnType::Text) => Value::Text(cell),
                        (false, ColumnType::Int) => cell.parse().map_or(Value::Null, Value::Int),
                        (false, ColumnType::Real) => cell.parse().map_or(Value::Null, Value::Real),
                    })
                    .collect();
                (Geometry::MultiPolygon(d.community(f.id).boundary.clone()), values)
            })
            .collect(),
    });

    // buildings
    let code = |c: Option<lantu_core::CommunityId>| c.map_or(Value::Null, |c| Value::Text(d.community(c).code.clone()));
    let mut bcols = cols(&[
        ("source_id", ColumnType::Text),
        ("community_code", ColumnType::Text),
        ("residential", ColumnType::Int),
        ("households", ColumnType::Real),
        ("households_estimated", ColumnType::Int),
        ("snap_m", ColumnType::Real),
    ]);
    bcols.extend(ServiceKind::ALL.iter().map(|k| (format!("dist_{}_m", k.code()), ColumnType::Real)));
    bcols.extend(ServiceKind::ALL.iter().map(|k| (format!("covered_{}", k.code()), ColumnType::Int)));
    let radius: Vec<f64> = ServiceKind::ALL.iter().map(|k| profile.circle_of(*k).radius_m.0).collect();
    layers.push(LayerData {
        name: "buildings".into(),
        geometry_type: OGRwkbGeometryType::wkbMultiPolygon,
        columns: bcols,
        rows: d
            .buildings
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let dist = &analysis.building_distances[i];
                let mut v = vec![
                    Value::Text(b.source_id.clone()),
                    code(a.building_community[i]),
                    Value::Int(b.residential as i64),
                    real(b.households.map(|h| h.0)),
                    Value::Int((b.households.is_some() && b.households_source.is_estimated()) as i64),
                    real(network.and_then(|n| n.building_snaps[i]).map(|s| s.access_m)),
                ];
                v.extend(dist.iter().map(|x| real(x.map(|m| m.0))));
                v.extend(dist.iter().zip(&radius).map(|(x, r)| Value::Int(x.is_some_and(|m| m.0 <= *r) as i64)));
                (Geometry::MultiPolygon(b.footprint.clone()), v)
            })
            .collect(),
    });

    // facilities
    layers.push(LayerData {
        name: "facilities".into(),
        geometry_type: OGRwkbGeometryType::wkbPoint,
        columns: cols(&[
            ("source_id", ColumnType::Text),
            ("name", ColumnType::Text),
            ("kinds", ColumnType::Text),
            ("kinds_zh", ColumnType::Text),
            ("floor_area_m2", ColumnType::Real),
            ("complex", ColumnType::Int),
            ("community_code", ColumnType::Text),
            ("snap_m", ColumnType::Real),
        ]),
        rows: d
            .facilities
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    Geometry::Point(f.location),
                    vec![
                        Value::Text(f.source_id.clone()),
                        Value::Text(f.name.clone()),
                        Value::Text(f.kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(";")),
                        Value::Text(f.kinds.iter().map(|k| k.name_zh()).collect::<Vec<_>>().join("、")),
                        real(f.floor_area.map(|a| a.0)),
                        Value::Int(f.complex as i64),
                        code(a.facility_community[i]),
                        real(network.and_then(|n| n.facility_snaps[i]).map(|s| s.access_m)),
                    ],
                )
            })
            .collect(),
    });

    if let Some(n) = network {
        let comps = n.graph.components();
        layers.push(LayerData {
            name: "network".into(),
            geometry_type: OGRwkbGeometryType::wkbLineString,
            columns: cols(&[
                ("edge_id", ColumnType::Int),
                ("node_a", ColumnType::Int),
                ("node_b", ColumnType::Int),
                ("source_id", ColumnType::Text),
                ("class", ColumnType::Text),
                ("steps", ColumnType::Int),
                ("length_m", ColumnType::Real),
                ("cost_ab_m", ColumnType::Real),
                ("cost_ba_m", ColumnType::Real),
                ("component", ColumnType::Int),
            ]),
            rows: n
                .graph
                .edges()
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let w = &d.walkways[e.walkway as usize];
                    (
                        Geometry::LineString(LineString(vec![n.graph.coord(e.a), n.graph.coord(e.b)])),
                        vec![
                            Value::Int(i as i64),
                            Value::Int(e.a.0 as i64),
                            Value::Int(e.b.0 as i64),
                            Value::Text(w.source_id.clone()),
                            w.class.clone().map_or(Value::Null, Value::Text),
                            Value::Int(e.steps as i64),
                            Value::Real(e.length.0),
                            Value::Real(n.costs.forward[i]),
                            Value::Real(n.costs.backward[i]),
                            Value::Int(comps.of(e.a) as i64),
                        ],
                    )
                })
                .collect(),
        });
        layers.push(LayerData {
            name: "coverage_areas".into(),
            geometry_type: OGRwkbGeometryType::wkbMultiPolygon,
            columns: cols(&[
                ("kind", ColumnType::Text),
                ("kind_zh", ColumnType::Text),
                ("circle", ColumnType::Text),
                ("radius_m", ColumnType::Real),
                ("is_kind_circle", ColumnType::Int),
                ("area_m2", ColumnType::Real),
            ]),
            rows: n
                .coverage_areas
                .iter()
                .filter(|c| !c.area.0.is_empty())
                .map(|c| {
                    (
                        Geometry::MultiPolygon(c.area.clone()),
                        vec![
                            Value::Text(c.kind.code().into()),
                            Value::Text(c.kind.name_zh().into()),
                            Value::Text(c.circle.clone()),
                            Value::Real(c.radius_m),
                            Value::Int((profile.circle_of(c.kind).name == c.circle) as i64),
                            Value::Real(geo::Area::unsigned_area(&c.area)),
                        ],
                    )
                })
                .collect(),
        });
    }

    // residential footprints beyond each kind's circle
    layers.push(LayerData {
        name: "uncovered_areas".into(),
        geometry_type: OGRwkbGeometryType::wkbMultiPolygon,
        columns: cols(&[
            ("kind", ColumnType::Text),
            ("kind_zh", ColumnType::Text),
            ("radius_m", ColumnType::Real),
            ("buildings", ColumnType::Int),
            ("households", ColumnType::Real),
        ]),
        rows: ServiceKind::ALL
            .iter()
            .enumerate()
            .filter_map(|(k, kind)| {
                let out: Vec<usize> = (0..d.buildings.len())
                    .filter(|&i| {
                        d.buildings[i].households.is_some_and(|h| h.0 > 0.0) && a.building_community[i].is_some()
                    })
                    .filter(|&i| !analysis.building_distances[i][k].is_some_and(|m| m.0 <= radius[k]))
                    .collect();
                if out.is_empty() {
                    return None;
                }
                // dissolved: OSM footprints overlap, and a layer of overlapping parts is invalid
                let area = geo::unary_union(out.iter().flat_map(|&i| d.buildings[i].footprint.0.iter()));
                let hh: f64 = out.iter().filter_map(|&i| d.buildings[i].households).map(|h| h.0).sum();
                Some((
                    Geometry::MultiPolygon(area),
                    vec![
                        Value::Text(kind.code().into()),
                        Value::Text(kind.name_zh().into()),
                        Value::Real(radius[k]),
                        Value::Int(out.len() as i64),
                        Value::Real(hh),
                    ],
                ))
            })
            .collect(),
    });
    write_gpkg(path, crs, &layers)
}
