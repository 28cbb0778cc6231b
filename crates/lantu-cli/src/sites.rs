//! `--sites K`: which idle buildings to convert, and the figures after converting them.

use crate::pipeline::Network;
use lantu_core::{
    analyze, recommend_sites, Analysis, Assignment, DistanceMetric, Euclidean, Facility, FacilityId, Profile, SitePlan,
};
use lantu_io::Loaded;
use lantu_net::NetworkMetric;

/// The plan and the analysis with the chosen sites converted into facilities.
pub struct Sites {
    /// The recommendation.
    pub plan: SitePlan,
    /// The figures after conversion.
    pub after: Analysis,
}

/// Recommends up to `k` sites with the same distance metric as the analysis.
pub fn plan(loaded: &Loaded, profile: &Profile, before: &Analysis, network: Option<&Network>, k: usize) -> Sites {
    let d = &loaded.dataset;
    let net_metric = network.map(|n| {
        NetworkMetric::new(&n.graph, &n.costs, profile.network.max_access_m, profile.network.main_component_share)
    });
    let metric: &dyn DistanceMetric = match &net_metric {
        Some(m) => m,
        None => &Euclidean,
    };
    let sites: Vec<geo::Point> = d.candidates.iter().map(|c| c.location).collect();
    let reach = lantu_core::reach_buildings(metric, &d.buildings, &sites, profile.largest_radius());
    let plan = recommend_sites(d, &loaded.assignment, before, profile, &reach, k);
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
            complex: c.floor_area.is_some_and(|a| a.0 >= profile.complex.min_area_m2.0),
            shared_by: Vec::new(),
            location: c.location,
            footprint: c.footprint.clone(),
        });
    }
    let mut a: Assignment = loaded.assignment.clone();
    let again = Assignment::compute(&converted);
    a.facility_community = again.facility_community;
    a.facility_building = again.facility_building;
    let after = analyze(&converted, &a, profile, metric);
    Sites { plan, after }
}
