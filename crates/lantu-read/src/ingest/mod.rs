//! From a project file to a validated [`Dataset`] in one metric CRS, with a report:
//! [`crs`] chooses and applies the CRS, [`geometry`] checks geometry families, [`features`]
//! builds model objects, [`checks`] looks over the whole dataset.

use crate::dem::{read_dem_summary, DemGrid};
use crate::fields::{FieldMap, FieldRole};
use crate::report::{CheckReport, FindingKind, LayerReport, NetworkSummary};
use crate::vector::{read_layer, RawFeature, RawLayer, ReadOptions, Value};
use crate::{GeoCoords, IoError, LayerRole, LayerSource, MetricCrs, Project, ReprojectSpec, Result};
use geo::{BoundingRect, Geometry, InteriorPoint, MultiPolygon, Point, Rect};
use lantu_core::{
    derive_households, Assignment, Building, BuildingId, CandidateId, CandidateSite, Community, CommunityId, Dataset,
    Facility, FacilityId, HouseholdSource, Households, Kinds, Profile, SquareMetres, Street, StreetId, Text, Walkway,
};
use lantu_net::WalkGraph;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

mod checks;
mod crs;
mod features;
mod geometry;
mod landuse;
pub(crate) mod population;
mod side;

use checks::*;
use crs::*;
pub(crate) use crs::{table_with_lonlat, union_rect};
pub(crate) use features::attach_entrance_points;
use features::*;
use geometry::*;
pub(crate) use geometry::{location, polygons};

/// The inputs of an analysis, read, checked and in one metric CRS.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The model objects.
    pub dataset: Dataset,
    /// What reading found.
    pub report: CheckReport,
    /// The DEM, when given.
    pub dem: Option<DemGrid>,
    /// Where every building, facility and candidate belongs.
    pub assignment: Assignment,
    /// Seconds taken by each stage of loading (read, reproject, …).
    pub timings: Vec<(String, f64)>,
    /// The project's note for every table, sheet and map (e.g. 合成示例数据).
    pub note: Option<String>,
    /// The area's name for titles (the project's `name`, or the OSM file's name).
    pub name: Option<String>,
    /// The walking network as the check built and snapped it, for the analyses to reuse
    /// (`None` without walkways).
    pub walkable: Option<lantu_net::Walkable>,
}

/// A layer read and reprojected, waiting to be turned into model objects.
pub(crate) struct Staged {
    pub raw: RawLayer,
    pub report: LayerReport,
    pub source: ReprojectSpec,
    /// The layer's field mapping, with the columns joined tables set.
    pub explicit: std::collections::BTreeMap<String, String>,
}

/// Reads every layer of a project, reprojects it and builds the dataset.
pub fn load_project(project: &Project, profile: &Profile) -> Result<Loaded> {
    let start = std::time::Instant::now();
    // each layer from its own file (a GDAL dataset per thread), side by side; results and
    // errors in the roles' order, whichever finishes first
    let roles: Vec<LayerRole> = LayerRole::ALL.into_iter().filter(|r| project.layer(*r).is_some()).collect();
    let read: Vec<Result<StagedLayer>> = roles.par_iter().map(|&role| stage_layer(project, role, profile)).collect();
    let mut staged: Vec<(LayerRole, Staged)> = Vec::new();
    let (mut join_reports, mut join_errors) = (Vec::new(), Vec::new());
    for (role, r) in roles.into_iter().zip(read) {
        let (st, reports, errors) = match r {
            // a layer whose CRS cannot be known or used is reported with the others'
            // findings; only the communities, which choose the metric CRS, stop the check
            Err(e @ (IoError::NoCrs { .. } | IoError::Crs { .. })) if role != LayerRole::Communities => {
                let mut text = e.to_string();
                let mut cause = std::error::Error::source(&e);
                while let Some(c) = cause {
                    text.push_str(&format!(": {c}"));
                    cause = c.source();
                }
                join_errors.push(Text::new(text.clone(), text));
                continue;
            }
            r => r?,
        };
        join_reports.extend(reports);
        join_errors.extend(errors);
        staged.push((role, st));
    }
    let communities = &staged.iter().find(|s| s.0 == LayerRole::Communities).expect("validated by Project::load").1;
    let metric = match &project.metric_crs {
        Some(def) => MetricCrs::named(def)?,
        None => choose_metric_crs(&communities.raw, &communities.source)?,
    };

    let mut timings = vec![("read".to_string(), start.elapsed().as_secs_f64())];
    let mut reproject = 0.0;
    let mut dataset = Dataset::default();
    let mut reports = Vec::new();
    let mut fatal = join_errors;
    let model_start = std::time::Instant::now();
    for (role, mut st) in staged {
        st.source.to = metric.definition.clone();
        let t = std::time::Instant::now();
        reproject_layer(&mut st)?;
        reproject += t.elapsed().as_secs_f64();
        check_geometry_family(role, &st)?;
        let (map, problems) = FieldMap::resolve(FieldRole::for_layer(role), &st.raw.fields, &st.explicit);
        for p in problems {
            st.report.find(
                FindingKind::Mapping,
                None,
                None,
                Text::new(format!("字段映射：{p}"), format!("field mapping: {p}")),
            );
        }
        st.report.fields = map.chosen.iter().map(|(r, (_, name, explicit))| (*r, name.clone(), *explicit)).collect();
        st.report.read = st.raw.features.len();
        let mut ctx = Ctx { map: &map, report: &mut st.report };
        match role {
            LayerRole::Communities => dataset.communities = build_communities(&st.raw.features, &mut ctx, &mut fatal),
            LayerRole::Streets => dataset.streets = build_streets(&st.raw.features, &mut ctx),
            LayerRole::Buildings => {
                dataset.buildings =
                    build_buildings(&st.raw.features, &profile.households, project.landuse.is_some(), &mut ctx)
            }
            LayerRole::Facilities => {
                dataset.facilities =
                    build_facilities(&st.raw.features, &st.raw.fields, &profile.kinds, &profile.poi_rules, &mut ctx)
            }
            LayerRole::Walkways => {
                dataset.walkways = build_walkways(&st.raw.features, &profile.network.unwalkable_classes, &mut ctx)
            }
            LayerRole::Candidates => dataset.candidates = build_candidates(&st.raw.features, &mut ctx),
            LayerRole::Entrances => {
                let points: Vec<(String, geo::Point)> = st
                    .raw
                    .features
                    .iter()
                    .filter_map(|f| {
                        let id = ctx.id(f);
                        match ctx.geometry(f, &id, LayerRole::Entrances)? {
                            Geometry::Point(p) => Some((id, *p)),
                            Geometry::MultiPoint(m) => m.0.first().map(|p| (id, *p)),
                            _ => None,
                        }
                    })
                    .collect();
                ctx.report.kept = points.len();
                attach_entrance_points(&mut dataset, &points, &mut st.report, &mut reports);
            }
        }
        fatal.extend(too_much_lost(&st.report, profile.checks.min_share_kept));
        reports.push(st.report);
    }
    let dem_path = project.dem.as_ref().map(|d| project.resolve(&d.path));
    timings.push(("reproject".to_string(), reproject));
    timings.push(("validate".to_string(), model_start.elapsed().as_secs_f64() - reproject));
    if let Some(src) = &project.landuse {
        if let Some(r) = report_of(&mut reports, LayerRole::Buildings) {
            landuse::apply_landuse(project, src, &metric, &mut dataset, r)?;
        }
    }
    let t = std::time::Instant::now();
    let population = match &project.population {
        Some(src) => Some(population::read_population(
            &project.resolve(&src.path),
            &with_crs_file_read(project, src)?,
            &metric,
            &dataset,
        )?),
        None => None,
    };
    if population.is_some() {
        timings.push(("population".to_string(), t.elapsed().as_secs_f64()));
    }
    let mut loaded = finish(dataset, reports, metric, Grids { dem: dem_path, population }, fatal, profile, timings)?;
    loaded.report.landuse = project.landuse.as_ref().map(|l| project.resolve(&l.path));
    loaded.report.project_files =
        std::iter::once(project.file.clone()).chain(project.profile.as_ref().map(|p| project.resolve(p))).collect();
    loaded.note = project.note.clone();
    loaded.name = project.name.clone();
    loaded.report.joins = join_reports;
    Ok(loaded)
}

/// A layer read, with the reports and errors of the tables joined to it.
type StagedLayer = (Staged, Vec<crate::report::JoinReport>, Vec<Text>);

/// Reads one layer of the project (with the tables joined to it) and notes its CRS.
fn stage_layer(project: &Project, role: LayerRole, profile: &Profile) -> Result<StagedLayer> {
    let src = project.layer(role).expect("only roles the project gives are staged");
    let (mut join_reports, mut join_errors) = (Vec::new(), Vec::new());
    let path = project.resolve(&src.path);
    let mut raw = read_layer(&path, &ReadOptions::of(src, Some(profile.checks.max_repair_vertices as usize)))?;
    let (from, coords, crs_text) = source_crs(&raw, &with_crs_file_read(project, src)?)?;
    // attribute tables joined to the communities: their values become the layer's
    let mut explicit = src.fields.clone();
    for join in &src.join {
        let (layer_map, _) = FieldMap::resolve(FieldRole::for_layer(role), &raw.fields, &explicit);
        let by_role = layer_map.chosen.iter().map(|(r, (i, _, _))| (*r, *i)).collect();
        let joined = crate::join::apply_join(&mut raw, join, &project.resolve(&join.path), &by_role)?;
        explicit.extend(joined.mapping);
        join_reports.push(joined.report);
        join_errors.extend(joined.errors);
    }
    let source = ReprojectSpec { from, coords, to: String::new() };
    if crate::crs::is_geographic(&source) {
        // before the metric CRS is chosen from the data: an outlier must not move it
        reject_out_of_range(&mut raw);
    }
    let mut report = LayerReport::new(role, path, raw.layer.clone(), raw.driver.clone());
    report.crs = crs_text;
    report.lonlat = crate::crs::is_geographic(&source).then_some(source.coords);
    for n in &raw.notes {
        report.find(FindingKind::Note, None, None, n.clone());
    }
    for w in &raw.warnings {
        report.find(FindingKind::Encoding, None, None, w.clone());
    }
    Ok((Staged { raw, report, source, explicit }, join_reports, join_errors))
}

/// A layer whose `crs` names a file (`crs = "buildings.prj"`, relative to the project)
/// gets the file's text (WKT, ESRI or OGC) as its CRS; `EPSG:…`, WKT and PROJ strings
/// stay as they are.
fn with_crs_file_read(project: &Project, src: &LayerSource) -> Result<LayerSource> {
    let mut src = src.clone();
    if let Some(crs) = &src.crs {
        let lower = crs.trim().to_ascii_lowercase();
        let path = project.resolve(std::path::Path::new(crs.trim()));
        if lower.ends_with(".prj") || lower.ends_with(".wkt") || (!crs.contains('[') && path.is_file()) {
            let text = std::fs::read_to_string(&path).map_err(|e| IoError::Project {
                path: project.file.clone(),
                message: Text::new(
                    format!("crs = {crs:?}：无法读取该坐标系文件：{e}"),
                    format!("crs = {crs:?}: cannot read the CRS file: {e}"),
                ),
            })?;
            src.crs = Some(text.trim().to_string());
        }
    }
    Ok(src)
}

/// Entrances (points on building outlines) within this of an outline belong to it.
pub(crate) const ENTRANCE_TOLERANCE_M: f64 = 1.0;

/// The geometry family a role needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Point,
    Line,
    Polygon,
}

/// The gridded inputs beside the layers: the DEM (read in [`finish`]) and the population
/// grid (read already, on the buildings).
pub(crate) struct Grids {
    /// The DEM file.
    pub dem: Option<PathBuf>,
    /// The population grid and what it holds.
    pub population: Option<(lantu_core::PopulationGrid, crate::report::PopulationSummary)>,
}

/// The checks that need every layer: households, containment, streets, network, DEM.
pub(crate) fn finish(
    mut dataset: Dataset,
    mut reports: Vec<LayerReport>,
    metric: MetricCrs,
    grids: Grids,
    mut errors: Vec<Text>,
    profile: &Profile,
    mut timings: Vec<(String, f64)>,
) -> Result<Loaded> {
    let t = std::time::Instant::now();
    if dataset.communities.is_empty() {
        errors.push(Text::new("没有可用的社区边界", "no usable community boundary"));
    }
    // each building's point inside, found once here on both cores: the check, the
    // analyses and the layers all start from it
    dataset.buildings.par_iter().for_each(|b| {
        b.origin();
    });
    let mut assignment = Assignment::compute(&dataset);
    // the values as given are judged before households are reconciled and derived
    implausible_values(&dataset, &mut reports, &profile.checks);
    let (grid, mut population) = grids.population.unzip();
    let derived = derive_households(&mut dataset, &assignment.building_community, &profile.households, grid.as_ref());
    if let (Some(summary), Some(people)) = (population.as_mut(), derived.grid.as_ref()) {
        summary.in_communities = people.community.iter().sum();
        summary.outside = people.outside;
    }
    if let Some(r) = report_of(&mut reports, LayerRole::Communities) {
        households_mismatches(&dataset, &derived.mismatches, r);
        households_sources(&dataset, &derived, &profile.households, r);
    }
    unknown_shared_by(&dataset, &mut reports);
    mixed_datums(&dataset, &metric, &mut reports);

    if let Some(r) = report_of(&mut reports, LayerRole::Buildings) {
        for (b, c) in dataset.buildings.iter().zip(&assignment.building_community) {
            if c.is_none() {
                r.find(
                    FindingKind::Outside,
                    Some(&b.source_id),
                    None,
                    Text::new("建筑不在任何社区内", "building outside every community"),
                );
            }
        }
        let estimated =
            dataset.buildings.iter().filter(|b| b.households.is_some() && b.households_source.is_estimated()).count();
        r.counts.push((Text::new("户数为估算的建筑", "buildings with estimated households"), estimated as f64));
    }
    let facility_outside: Vec<String> = dataset
        .facilities
        .iter()
        .zip(&assignment.facility_community)
        .filter(|(_, c)| c.is_none())
        .map(|(f, _)| f.source_id.clone())
        .collect();
    if let Some(r) = report_of(&mut reports, LayerRole::Facilities) {
        for id in facility_outside {
            r.find(
                FindingKind::Outside,
                Some(&id),
                None,
                Text::new(
                    "设施不在任何社区内（仍计入步行覆盖）",
                    "facility outside every community (still counted for walking coverage)",
                ),
            );
        }
        duplicate_ids(r, dataset.facilities.iter().map(|f| f.source_id.as_str()));
    }
    let candidate_outside: Vec<String> = dataset
        .candidates
        .iter()
        .zip(&assignment.candidate_community)
        .filter(|(_, c)| c.is_none())
        .map(|(c, _)| c.source_id.clone())
        .collect();
    if let Some(r) = report_of(&mut reports, LayerRole::Candidates) {
        for id in candidate_outside {
            r.find(
                FindingKind::Outside,
                Some(&id),
                None,
                Text::new("闲置资源不在任何社区内", "candidate outside every community"),
            );
        }
    }
    if let Some(r) = report_of(&mut reports, LayerRole::Buildings) {
        duplicate_ids(r, dataset.buildings.iter().map(|b| b.source_id.as_str()));
    }
    if let Some(r) = report_of(&mut reports, LayerRole::Communities) {
        for c in &dataset.communities {
            if c.households.is_none() {
                r.find(FindingKind::HouseholdsMissing, Some(&c.code), None, Text::new(
                    "户数缺失且无住宅建筑可估算：每百户面积将为空",
                    "households missing and no residential building to estimate from: area per 100 households will be empty",
                ));
            }
        }
    }
    if dataset.streets.is_empty() {
        dataset.streets = streets_from_communities(&dataset.communities);
        assignment.community_street = Assignment::compute_streets(&dataset);
    }
    timings.push(("assign".to_string(), t.elapsed().as_secs_f64()));
    let t = std::time::Instant::now();
    // one graph, index and snapping for the connectivity report, the DEM's coverage of the
    // network and then the analyses
    let walkable = (!dataset.walkways.is_empty()).then(|| {
        let graph = WalkGraph::build(&dataset.walkways, profile.network.join_tolerance_m);
        lantu_net::Walkable::new(graph, profile.network.max_access_m, profile.network.main_component_share)
    });
    let graph = walkable.as_ref().map(|w| w.graph().as_ref());
    let network = walkable.as_ref().map(|w| summarise_network(&dataset, w));
    // a declared walkways layer with no usable line must not quietly become straight lines
    let walkways_unusable = report_of(&mut reports, LayerRole::Walkways).filter(|_| dataset.walkways.is_empty()).map(|r| {
        Text::new(
            format!("{}：步行网络图层没有可用的线要素（空图层或全部被剔除），无法按步行网络分析；如需按直线距离分析，请选用直线距离度量（euclidean）", r.path.display()),
            format!("{}: the walkways layer has no usable line (empty, or every feature rejected), so the walking network cannot be used; choose the straight-line metric (euclidean) instead", r.path.display()),
        )
    });
    errors.extend(walkways_unusable.clone());
    timings.push(("network check".to_string(), t.elapsed().as_secs_f64()));
    let t = std::time::Instant::now();
    let (dem, dem_summary) = match grids.dem {
        Some(p) => {
            let (grid, mut summary) = read_dem_summary(&p, &dataset, &metric)?;
            if let Some(g) = graph {
                // segments with an end the DEM does not cover are costed as flat: say how many
                let coords: Vec<geo::Coord> =
                    (0..g.node_count() as u32).map(|n| g.coord(lantu_net::NodeId(n))).collect();
                let h = crate::sample_heights(&grid, &coords)?;
                summary.edges = g.edge_count();
                summary.edges_without_height =
                    g.edges().iter().filter(|e| h[e.a.0 as usize].is_none() || h[e.b.0 as usize].is_none()).count();
            }
            (Some(grid), Some(summary))
        }
        None => (None, None),
    };
    let households_estimated = dataset.communities.iter().any(|c| c.households_source.is_estimated());
    let total_households = dataset.communities.iter().filter_map(|c| c.households).map(|h| h.0).sum();
    timings.push(("dem".to_string(), t.elapsed().as_secs_f64()));
    Ok(Loaded {
        dataset,
        report: CheckReport {
            layers: reports,
            metric_crs: metric,
            network,
            dem: dem_summary,
            population,
            landuse: None,
            project_files: Vec::new(),
            errors,
            households_estimated,
            total_households,
            walkways_unusable,
            joins: Vec::new(),
        },
        dem,
        assignment,
        timings,
        note: None,
        name: None,
        walkable,
    })
}
