//! Which idle buildings to convert, and the figures after converting them.

use crate::Sites;
use lantu_core::{
    analyze, recommend_sites, site_reach, Assignment, Dataset, DistanceMetric, Facility, FacilityId, Profile,
};

/// Recommends up to `k` sites with the metric of the analysis (`before`), converts them
/// into facilities and runs the analysis again.
pub fn plan_sites(
    d: &Dataset,
    assignment: &Assignment,
    profile: &Profile,
    before: &lantu_core::Analysis,
    metric: &dyn DistanceMetric,
    k: usize,
) -> Sites {
    let sites: Vec<geo::Point> = d.candidates.iter().map(|c| c.location).collect();
    let reach = site_reach(metric, &profile.kinds, &d.buildings, &sites, profile.largest_radius());
    let plan = recommend_sites(d, assignment, before, profile, &reach, k);
    // after: the chosen sites become facilities, and everything is computed again
    let mut converted = d.clone();
    for s in &plan.sites {
        let c = &d.candidates[s.candidate.index()];
        converted.facilities.push(Facility {
            id: FacilityId::from_index(converted.facilities.len()),
            source_id: format!("site:{}", c.source_id),
            name: c.name.clone(),
            kinds: s.kinds.clone(),
            floor_area: c.floor_area,
            capacity: None,
            complex: c.floor_area.is_some_and(|a| a.0 >= profile.complex.min_area_m2.0),
            shared_by: Vec::new(),
            location: c.location,
            footprint: c.footprint.clone(),
        });
    }
    let mut a: Assignment = assignment.clone();
    a.extend_facilities(&converted);
    let after = analyze(&converted, &a, profile, metric);
    Sites { plan, after }
}
