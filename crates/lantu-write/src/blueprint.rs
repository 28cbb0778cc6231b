//! The blueprint GeoPackage: the analysis as GIS layers in the metric CRS.
//!
//! Layers: `communities` (every column of communities.csv), `buildings` (households,
//! distances `dist_<kind>_m`, `covered_<kind>`, `snap_m`), `facilities` (`snap_m`),
//! and with the walking network `network` (every edge with its costs and component),
//! `coverage_areas` (per kind and circle) and `uncovered_areas` (per kind).

use crate::columns::{column_type, typed_row};
use crate::output::{ColumnType, GeometryKind, LayerData};
use crate::tables::{codes, community_rows, community_table, kind_columns, street_rows, street_table};
use crate::{MetricCrs, Result, Value};
use geo::{BoundingRect, Geometry, LineString};
use lantu_core::{Assignment, Dataset, Kinds, Lang, Profile};
use lantu_engine::Blueprint;
use rayon::prelude::*;
use std::path::Path;

/// Columns typed as the registry says.
fn cols(codes: &[&str]) -> Vec<(String, ColumnType)> {
    codes.iter().map(|c| (c.to_string(), column_type(c))).collect()
}
fn real(x: Option<f64>) -> Value {
    x.map_or(Value::Null, Value::Real)
}

/// The blueprint's layers, in the metric CRS.
pub fn blueprint_layers(d: &Dataset, a: &Assignment, bp: &Blueprint, profile: &Profile, lang: Lang) -> Vec<LayerData> {
    let make = Layers { d, a, bp, profile, lang };
    let mut out = Vec::new();
    make.communities(&mut out);
    make.streets(&mut out);
    make.buildings(&mut out);
    make.facilities(&mut out);
    make.network(&mut out);
    make.coverage_areas(&mut out);
    make.candidates(&mut out);
    make.uncovered_areas(&mut out);
    make.planned_projects(&mut out);
    make.pilots(&mut out);
    out
}

/// What every layer is made from.
struct Layers<'a> {
    d: &'a Dataset,
    a: &'a Assignment,
    bp: &'a Blueprint,
    profile: &'a Profile,
    lang: Lang,
}

impl Layers<'_> {
    /// Every project of every plan, with what it does on its own (like projects.csv).
    fn planned_projects(&self, out: &mut Vec<LayerData>) {
        if self.bp.plans.is_empty() {
            return;
        }
        let header = crate::plan_tables::project_columns(&self.profile.kinds);
        let rows = crate::plan_tables::project_rows(self.d, &self.bp.plans, self.profile, self.lang);
        let points = self.bp.plans.iter().flat_map(|o| o.plan.projects.iter().map(|p| Geometry::Point(p.location)));
        out.push(LayerData {
            name: "planned_projects".into(),
            geometry_type: GeometryKind::Point,
            columns: header.iter().map(|h| (h.clone(), crate::columns::column_type(h))).collect(),
            rows: points.zip(rows).map(|(g, row)| (g, typed_row(&header, row))).collect(),
        });
    }

    /// The pilot communities (like pilots.csv), on their boundaries.
    fn pilots(&self, out: &mut Vec<LayerData>) {
        let Some(o) = &self.bp.pilots else { return };
        let header = crate::plan_tables::pilot_columns(&self.bp.analysis.kinds);
        let rows = crate::plan_tables::pilot_rows(self.d, o, &self.bp.plans, &self.bp.analysis, self.lang);
        out.push(LayerData {
            name: "pilots".into(),
            geometry_type: GeometryKind::MultiPolygon,
            columns: header.iter().map(|h| (h.clone(), crate::columns::column_type(h))).collect(),
            rows: o
                .selection
                .pilots
                .iter()
                .zip(rows)
                .map(|(p, row)| {
                    (Geometry::MultiPolygon(self.d.community(p.community).boundary.clone()), typed_row(&header, row))
                })
                .collect(),
        });
    }

    /// The code of a community, or null for none.
    fn code(&self, c: Option<lantu_core::CommunityId>) -> Value {
        c.map_or(Value::Null, |c| Value::Text(self.d.community(c).code.clone()))
    }

    /// The communities, typed like communities.csv, in priority order.
    fn communities(&self, out: &mut Vec<LayerData>) {
        let d = self.d;
        let lang = self.lang;
        let analysis = &self.bp.analysis;
        let table = community_table(&analysis.kinds);
        let header = codes(&table);
        let mut order: Vec<&lantu_core::CommunityFigures> = analysis.communities.iter().collect();
        order.sort_by_key(|c| c.priority_rank);
        out.push(LayerData {
            name: "communities".into(),
            geometry_type: GeometryKind::MultiPolygon,
            columns: header.iter().map(|h| (h.clone(), crate::columns::column_type(h))).collect(),
            rows: order
                .iter()
                .zip(community_rows(d, analysis, &table, lang))
                .map(|(f, row)| (Geometry::MultiPolygon(d.community(f.id).boundary.clone()), typed_row(&header, row)))
                .collect(),
        });
    }

    /// The streets, typed like streets.csv.
    fn streets(&self, out: &mut Vec<LayerData>) {
        let d = self.d;
        let lang = self.lang;
        let analysis = &self.bp.analysis;
        let table = street_table(&analysis.kinds);
        let header = codes(&table);
        out.push(LayerData {
            name: "streets".into(),
            geometry_type: GeometryKind::MultiPolygon,
            columns: header.iter().map(|h| (h.clone(), crate::columns::column_type(h))).collect(),
            rows: analysis
                .streets
                .par_iter()
                .zip(street_rows(d, analysis, &table, lang))
                .filter_map(|(s, row)| Some((Geometry::MultiPolygon(s.boundary(d)?), typed_row(&header, row))))
                .collect(),
        });
    }

    /// Buildings with their distances and coverage per kind.
    fn buildings(&self, out: &mut Vec<LayerData>) {
        let a = self.a;
        let analysis = &self.bp.analysis;
        let kinds = &self.bp.analysis.kinds;
        let network = self.bp.network.as_ref();
        let mut bcols = cols(&[
            "source_id",
            "community_code",
            "residential",
            "households",
            "households_estimated",
            "households_source",
            "snap_m",
            "snap_island",
        ]);
        bcols.extend(kind_columns(kinds, "dist_", "_m").map(|c| (c.clone(), column_type(&c))));
        bcols.extend(kind_columns(kinds, "covered_", "").map(|c| (c.clone(), column_type(&c))));
        let accessible = analysis.building_distances_accessible.as_ref();
        if accessible.is_some() {
            bcols.extend(kind_columns(kinds, "dist_accessible_", "_m").map(|c| (c.clone(), column_type(&c))));
        }
        out.push(LayerData {
            name: "buildings".into(),
            geometry_type: GeometryKind::MultiPolygon,
            columns: bcols,
            rows: self
                .d
                .buildings
                .par_iter()
                .enumerate()
                .map(|(i, b)| {
                    let dist = &analysis.building_distances;
                    let mut v = vec![
                        Value::Text(b.source_id.clone()),
                        self.code(a.building_community[i]),
                        Value::Int(b.residential as i64),
                        real(b.households.map(|h| h.0)),
                        Value::Int((b.households.is_some() && b.households_source.is_estimated()) as i64),
                        b.households.map_or(Value::Null, |_| Value::Text(b.households_source.code().into())),
                        real(network.and_then(|n| n.building_snaps[i]).map(|s| s.access_m)),
                        network.and_then(|n| n.building_snaps[i]).map_or(Value::Null, |s| Value::Int(s.island as i64)),
                    ];
                    v.extend(kinds.all().map(|k| real(dist.get(i, k).map(|m| m.0))));
                    v.extend(kinds.all().map(|k| Value::Int(analysis.covered(i, k) as i64)));
                    if let Some(acc) = accessible {
                        v.extend(kinds.all().map(|k| real(acc.get(i, k).map(|m| m.0))));
                    }
                    (Geometry::MultiPolygon(b.footprint.clone()), v)
                })
                .collect(),
        });
    }

    /// Facilities with where they joined the network.
    fn facilities(&self, out: &mut Vec<LayerData>) {
        let a = self.a;
        let kinds = &self.bp.analysis.kinds;
        let network = self.bp.network.as_ref();
        out.push(LayerData {
            name: "facilities".into(),
            geometry_type: GeometryKind::Point,
            columns: cols(&[
                "source_id",
                "name",
                "kinds",
                "kinds_zh",
                "floor_area_m2",
                "complex",
                "community_code",
                "snap_m",
                "snap_island",
            ]),
            rows: self
                .d
                .facilities
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    (
                        Geometry::Point(f.location),
                        vec![
                            Value::Text(f.source_id.clone()),
                            Value::Text(f.name.clone()),
                            Value::Text(kinds.codes(&f.kinds)),
                            Value::Text(kinds.names(&f.kinds, Lang::Zh)),
                            real(f.floor_area.map(|a| a.0)),
                            Value::Int(f.complex as i64),
                            self.code(a.facility_community[i]),
                            real(network.and_then(|n| n.facility_snaps[i]).map(|s| s.access_m)),
                            network
                                .and_then(|n| n.facility_snaps[i])
                                .map_or(Value::Null, |s| Value::Int(s.island as i64)),
                        ],
                    )
                })
                .collect(),
        });
    }

    /// The walking network, edge by edge with its costs and component.
    fn network(&self, out: &mut Vec<LayerData>) {
        let d = self.d;
        if let Some(n) = self.bp.network.as_ref() {
            let comps = n.graph.components();
            out.push(LayerData {
                name: "network".into(),
                geometry_type: GeometryKind::LineString,
                columns: cols(&[
                    "edge_id",
                    "node_a",
                    "node_b",
                    "source_id",
                    "class",
                    "steps",
                    "length_m",
                    "cost_ab_m",
                    "cost_ba_m",
                    "component",
                ]),
                rows: n
                    .graph
                    .edges()
                    .par_iter()
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
        }
    }

    /// Coverage areas per kind and circle.
    fn coverage_areas(&self, out: &mut Vec<LayerData>) {
        let (bp, analysis) = (self.bp, &self.bp.analysis);
        let kinds = &analysis.kinds;
        if !bp.coverage_areas.is_empty() {
            out.push(LayerData {
                name: "coverage_areas".into(),
                geometry_type: GeometryKind::MultiPolygon,
                columns: cols(&["kind", "kind_zh", "circle", "radius_m", "is_kind_circle", "area_m2"]),
                rows: bp
                    .coverage_areas
                    .iter()
                    .filter(|c| !c.area.0.is_empty())
                    .map(|c| {
                        (
                            Geometry::MultiPolygon(c.area.clone()),
                            vec![
                                Value::Text(kinds.code(c.kind).into()),
                                Value::Text(kinds.zh(c.kind).into()),
                                Value::Text(c.circle.clone()),
                                Value::Real(c.radius_m),
                                Value::Int((analysis.circles[c.kind.index()].name == c.circle) as i64),
                                Value::Real(geo::Area::unsigned_area(&c.area)),
                            ],
                        )
                    })
                    .collect(),
            });
        }
    }

    /// Candidate sites with their rank and kinds when recommended.
    fn candidates(&self, out: &mut Vec<LayerData>) {
        let d = self.d;
        let a = self.a;
        let kinds = &self.bp.analysis.kinds;
        let plan = self.bp.sites.sites().map(|s| &s.plan);
        if !d.candidates.is_empty() {
            out.push(LayerData {
                name: "candidates".into(),
                geometry_type: GeometryKind::Point,
                columns: cols(&[
                    "source_id",
                    "name",
                    "floor_area_m2",
                    "owner",
                    "community_code",
                    "site_rank",
                    "kinds",
                    "kinds_zh",
                    "new_households",
                    "area_gap_closed_m2",
                    "subsidy_yuan",
                ]),
                rows: d
                    .candidates
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let site = plan.and_then(|p| p.sites.iter().find(|s| s.candidate.index() == i));
                        let site_kinds = |zh: bool| {
                            site.map_or(Value::Null, |s| {
                                Value::Text(if zh { kinds.names(&s.kinds, Lang::Zh) } else { kinds.codes(&s.kinds) })
                            })
                        };
                        (
                            Geometry::Point(c.location),
                            vec![
                                Value::Text(c.source_id.clone()),
                                Value::Text(c.name.clone()),
                                real(c.floor_area.map(|a| a.0)),
                                c.owner.clone().map_or(Value::Null, Value::Text),
                                self.code(a.candidate_community[i]),
                                site.map_or(Value::Null, |s| Value::Int(s.rank as i64)),
                                site_kinds(false),
                                site_kinds(true),
                                real(site.map(|s| s.new_households.iter().sum())),
                                real(site.map(|s| s.area_gap_closed.0)),
                                real(site.map(|s| s.subsidy_yuan)),
                            ],
                        )
                    })
                    .collect(),
            });
        }
    }

    /// Residential footprints beyond each kind's circle, dissolved into areas.
    fn uncovered_areas(&self, out: &mut Vec<LayerData>) {
        let d = self.d;
        let a = self.a;
        let profile = self.profile;
        let analysis = &self.bp.analysis;
        let kinds = &self.bp.analysis.kinds;
        out.push(LayerData {
            name: "uncovered_areas".into(),
            geometry_type: GeometryKind::MultiPolygon,
            columns: cols(&["kind", "kind_zh", "radius_m", "buildings", "households"]),
            // per kind, then one row (kind `core`) for homes with no core (一老一小) kind in reach
            rows: {
                // the homes that count and their outlines' boxes, found once for every kind
                let homes: Vec<(usize, geo::Rect)> = (0..d.buildings.len())
                    .into_par_iter()
                    .filter(|&i| {
                        d.buildings[i].households.is_some_and(|h| h.0 > 0.0) && a.building_community[i].is_some()
                    })
                    .filter_map(|i| Some((i, d.buildings[i].footprint.bounding_rect()?)))
                    .collect();
                kinds
                    .all()
                    .map(Some)
                    .chain(std::iter::once(None))
                    .collect::<Vec<_>>()
                    .into_par_iter()
                    .filter_map(|kind| {
                        let core = kinds.core();
                        let beyond = |i: usize| match kind {
                            Some(k) => !analysis.covered(i, k),
                            None => !core.iter().any(|k| analysis.covered(i, *k)),
                        };
                        let (out, boxes): (Vec<usize>, Vec<geo::Rect>) =
                            homes.iter().filter(|(i, _)| beyond(*i)).copied().unzip();
                        if out.is_empty() || (kind.is_none() && core.is_empty()) {
                            return None;
                        }
                        // dissolved into areas: homes near each other form one area (traced on a grid of
                        // twice the joining distance: an overview product, and cheap at city scale)
                        let join = profile.network.uncovered_join_m.0;
                        let area = crate::areas::widen_boxes(&boxes, join, 2.0 * join).ok()?;
                        let hh: f64 = out.iter().filter_map(|&i| d.buildings[i].households).map(|h| h.0).sum();
                        let (code, zh, radius) = match kind {
                            Some(k) => {
                                (kinds.code(k), kinds.zh(k), Value::Real(analysis.circles[k.index()].radius_m.0))
                            }
                            None => (CORE_UNCOVERED, "一老一小", Value::Null),
                        };
                        Some((
                            Geometry::MultiPolygon(area),
                            vec![
                                Value::Text(code.into()),
                                Value::Text(zh.into()),
                                radius,
                                Value::Int(out.len() as i64),
                                Value::Real(hh),
                            ],
                        ))
                    })
                    .collect()
            },
        });
    }
}

/// The `kind` of the uncovered-areas row of homes with no core (一老一小) kind in reach.
pub const CORE_UNCOVERED: &str = "core";

/// Layers with more features are left out of the GeoJSON export (they stay in the
/// GeoPackage): a city's 500,000 buildings make a GeoJSON of half a gigabyte that no web
/// map loads, and take most of a run's time to write.
pub const GEOJSON_MAX_FEATURES: usize = 100_000;

/// Writes `blueprint.gpkg` and `geojson/<layer>.geojson` (RFC 7946, WGS 84) into `dir`;
/// returns the layers left out of the GeoJSON export (see [`GEOJSON_MAX_FEATURES`]).
pub fn write_blueprint(
    dir: &Path,
    title: &str,
    crs: &MetricCrs,
    layers: &[LayerData],
    kinds: &Kinds,
    lang: Lang,
) -> Result<()> {
    let gj = dir.join("geojson");
    std::fs::create_dir_all(&gj).map_err(|e| crate::WriteError::write(&gj, e))?;
    // the GeoPackage (one file, written in order) and the GeoJSON files (one dataset each)
    // are independent: write them side by side
    let (gpkg, geojson) = rayon::join(
        || write_gpkg_with_styles(dir, title, crs, layers, kinds, lang),
        || {
            layers
                .par_iter()
                .filter(|l| l.rows.len() <= GEOJSON_MAX_FEATURES)
                .try_for_each(|l| crate::output::write_geojson(&gj.join(format!("{}.geojson", l.name)), crs, l))
        },
    );
    gpkg?;
    geojson
}

/// The layers [`write_blueprint`] leaves out of the GeoJSON export.
pub fn geojson_left_out(layers: &[LayerData]) -> Vec<String> {
    layers.iter().filter(|l| l.rows.len() > GEOJSON_MAX_FEATURES).map(|l| l.name.clone()).collect()
}

/// The big derived layers, one feature per building or walkway segment: written as
/// FlatGeobuf files (`layers/<name>.fgb`, with their packed R-tree and a `.qml` default
/// style beside them) in parallel with the GeoPackage of the planner-facing layers. A
/// city's 500,000 buildings took 9 s in the GeoPackage (its R-tree built on closing),
/// under 3 s in FlatGeobuf; `blueprint.qgs` opens them all in one step.
pub const SEPARATE_LAYERS: [&str; 2] = ["buildings", "network"];

/// Where a layer is, relative to the output folder, as QGIS names a data source.
pub fn layer_source(name: &str) -> String {
    if SEPARATE_LAYERS.contains(&name) {
        format!("./layers/{name}.fgb")
    } else {
        format!("./blueprint.gpkg|layername={name}")
    }
}

fn write_gpkg_with_styles(
    dir: &Path,
    title: &str,
    crs: &MetricCrs,
    layers: &[LayerData],
    kinds: &Kinds,
    lang: Lang,
) -> Result<()> {
    let gpkg = dir.join("blueprint.gpkg");
    let field_names = |l: &LayerData| l.columns.iter().map(|c| c.0.clone()).collect::<Vec<_>>();
    let (in_gpkg, separate): (Vec<&LayerData>, Vec<&LayerData>) =
        layers.iter().partition(|l| !SEPARATE_LAYERS.contains(&l.name.as_str()));
    let folder = dir.join("layers");
    if !separate.is_empty() {
        std::fs::create_dir_all(&folder).map_err(|e| crate::WriteError::write(&folder, e))?;
    }
    let (gpkg_done, separate_done) = rayon::join(
        || {
            crate::output::write_gpkg_refs(&gpkg, crs, &in_gpkg)?;
            let styles: Vec<(String, String)> = in_gpkg
                .iter()
                .filter_map(|l| Some((l.name.clone(), crate::qgis::layer_qml(&l.name, &field_names(l), kinds, lang)?)))
                .collect();
            crate::qgis::write_layer_styles(&gpkg, &styles)
        },
        || {
            separate.par_iter().try_for_each(|l| {
                crate::output::write_flatgeobuf(&folder.join(format!("{}.fgb", l.name)), crs, l)?;
                // QGIS takes a .qml beside a file as the layer's default style
                match crate::qgis::layer_qml(&l.name, &field_names(l), kinds, lang) {
                    Some(qml) => {
                        let path = folder.join(format!("{}.qml", l.name));
                        std::fs::write(&path, qml).map_err(|e| crate::WriteError::write(&path, e))
                    }
                    None => Ok(()),
                }
            })
        },
    );
    gpkg_done?;
    separate_done?;
    let fields: Vec<Vec<String>> = layers.iter().map(field_names).collect();
    let project_layers: Vec<crate::qgis::ProjectLayer> = layers
        .iter()
        .zip(&fields)
        .map(|(l, f)| crate::qgis::ProjectLayer {
            table: &l.name,
            source: layer_source(&l.name),
            fields: f,
            geometry: match l.geometry_type {
                GeometryKind::Point => "Point",
                GeometryKind::LineString => "Line",
                _ => "Polygon",
            },
            visible: lantu_core::registry::layer(&l.name).is_none_or(|e| e.visible),
        })
        .collect();
    // open on the communities
    let extent = layers
        .iter()
        .find(|l| l.name == "communities")
        .and_then(|l| geo::GeometryCollection(l.rows.iter().map(|r| r.0.clone()).collect()).bounding_rect());
    crate::qgis::write_qgis_project(&dir.join("blueprint.qgs"), title, crs, extent, &project_layers, kinds, lang)?;
    Ok(())
}
