//! Coverage areas: per kind and circle, the reached parts of walkways widened into
//! polygons (or, for kinds reached through the air, discs around their facilities).

use crate::{CoverageArea, EngineError};
use geo::{Coord, LineString, MultiLineString, MultiPolygon};
use lantu_core::{Dataset, Profile, ServiceKind};
use lantu_net::{reached_lines, NetworkMetric, Snap};
use rayon::prelude::*;

/// Turns lines into areas: every point within `half_width` of a line, on a grid of
/// `cell` metres. The writing crate implements it by rasterising and tracing with GDAL.
pub trait AreaTracer: Sync {
    /// The lines widened by `half_width` on each side (a line of one point: a disc).
    fn widen(
        &self,
        lines: &MultiLineString,
        half_width: f64,
        cell: f64,
    ) -> Result<MultiPolygon, Box<dyn std::error::Error + Send + Sync>>;
}

/// The coverage area of every kind for its own circle, or for every circle with
/// `all_circles`: for walking kinds the walkways reached within the circle widened by the
/// profile's buffer, for straight-line kinds discs of the circle's radius.
pub fn coverage_areas(
    d: &Dataset,
    profile: &Profile,
    network: Option<(&NetworkMetric, &[Option<Snap>])>,
    all_circles: bool,
    tracer: &dyn AreaTracer,
) -> Result<Vec<CoverageArea>, EngineError> {
    let kinds = &profile.kinds;
    let buffer = profile.network.coverage_buffer_m.0;
    let cutoff = profile.largest_radius().0;
    let jobs: Vec<ServiceKind> = kinds.all().collect();
    let per_kind: Vec<Result<Vec<CoverageArea>, EngineError>> = jobs
        .par_iter()
        .map(|&kind| {
            let by_air = kinds.def(kind).by_air();
            let own = &profile.circle_of(kind).name;
            let circles: Vec<_> = profile.walking.circles.iter().filter(|c| all_circles || &c.name == own).collect();
            let facilities = d.facilities.iter().enumerate().filter(|(_, f)| f.kinds.contains(&kind));
            let trace = |lines: MultiLineString, half: f64, cell: f64, circle: &str| {
                tracer.widen(&lines, half, cell).map_err(|source| EngineError::Tracing {
                    kind: kinds.code(kind).to_string(),
                    circle: circle.to_string(),
                    source,
                })
            };
            match network {
                Some((metric, facility_snaps)) if !by_air => {
                    let targets: Vec<Option<Snap>> = facilities.map(|(i, _)| facility_snaps[i]).collect();
                    let found = metric.node_distances(&targets, cutoff);
                    let (node_dist, on_edge) = (&found.0, &found.1);
                    circles
                        .par_iter()
                        .map(|c| {
                            let lines = reached_lines(metric.graph(), metric.costs(), node_dist, on_edge, c.radius_m.0);
                            let area = trace(lines, buffer, buffer / 2.0, &c.name)?;
                            Ok(CoverageArea { kind, circle: c.name.clone(), radius_m: c.radius_m.0, area })
                        })
                        .collect()
                }
                // straight-line reach: a disc around every facility
                _ => {
                    let points: Vec<Coord> = facilities.map(|(_, f)| f.location.0).collect();
                    circles
                        .par_iter()
                        .map(|c| {
                            let lines = MultiLineString(points.iter().map(|p| LineString(vec![*p, *p])).collect());
                            let area = trace(lines, c.radius_m.0, buffer / 2.0, &c.name)?;
                            Ok(CoverageArea { kind, circle: c.name.clone(), radius_m: c.radius_m.0, area })
                        })
                        .collect()
                }
            }
        })
        .collect();
    let mut out = Vec::new();
    for r in per_kind {
        out.extend(r?);
    }
    Ok(out)
}
