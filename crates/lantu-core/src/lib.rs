//! # lantu-core: the planner's model and the rules, pure and I/O-free
//!
//! - [`Kinds`] and [`ServiceKind`]: the service kinds, as the profile lists them (the built-in
//!   Chongqing profile: the pilot's nine), with stable codes, names, circles and colours.
//! - [`Community`], [`Street`], [`Building`], [`Facility`], [`CandidateSite`], [`Walkway`],
//!   gathered in a [`Dataset`] and addressed by typed ids ([`CommunityId`], ...).
//! - [`Profile`]: every number of the rules (30/80 m² per 100 households, 600/800 m²
//!   complexes, the function rule, walking circles), read from TOML.
//! - Units as types: [`Metres`], [`SquareMetres`], [`Minutes`], [`Households`].
//! - [`Assignment`] and [`CommunityLocator`]: which community a building, facility or
//!   site belongs to, and which street a community.
//! - [`analyze`]: the gap analysis — floor area per 100 households, complexes, the
//!   function rule, walking coverage through a [`DistanceMetric`] ([`Euclidean`] or the
//!   network of `lantu-net`), street roll-up and the priority ranking.
//!
//! Everything here works on owned data in a metric CRS; reading files is `lantu-read`'s job.
#![deny(missing_docs)]

mod access;
mod analysis;
mod assign;
mod coverage;
mod district;
mod entrance;
mod households;
mod ids;
mod kind;
mod lang;
mod model;
mod people;
mod pilots;
mod plan;
mod population;
mod profile;
pub mod registry;
mod rng;
mod sites;
#[cfg(test)]
mod test_support;
mod units;

pub use access::{add_places, e2sfca, AccessRules, DecayStep, PlacesCount};
pub use analysis::{analyze, Analysis, BuildingDistances, CommunityFigures, PerKind, StreetFigures};
pub use assign::{Assignment, CommunityLocator};
pub use coverage::{DistanceMetric, Euclidean};
pub use district::{district_code, district_name, district_of_codes, in_town};
pub use entrance::{
    attach_entrances, building_origins, nearest_by_kind, nearest_from_buildings, reach_buildings, site_reach, SiteReach,
};
pub use households::{
    derive_households, estimate_floor_area, floors_from_height, households_from_floor_area, Calibration,
    CommunitySources, HouseholdDerivation, HouseholdMismatch,
};
pub use ids::{BuildingId, CandidateId, CommunityId, FacilityId, StreetId};
pub use kind::{CapacityRule, KindDef, KindMetric, Kinds, PlacesPer, ServiceKind};
pub use lang::{is_disk_full, Lang, Localized, Reason, Text};
pub use model::{Building, CandidateSite, Community, Dataset, Facility, HouseholdSource, Street, Walkway};
pub use people::{groups_note, GroupShares, People, TargetGroup};
pub use pilots::{
    functions_to_add, pilot_order, pilots_by_2025, select_pilots, Investment, Pilot, PilotBuild, PilotRequest,
    PilotSelection, PilotSite, Station,
};
pub use plan::{building_floor_area, project_effects, CostBasis, Plan, PlannedProject, ProjectEffect, ProjectSite};
pub use population::{spread_people, GridPeople, PopulationGrid};
pub use profile::{
    AreaRules, CheckThresholds, Circle, ComplexRules, CostAssumptions, FunctionRules, HouseholdRules, NetworkRules,
    PilotScale, PoiRule, PriorityWeights, Profile, ProfileError, SupportAmounts, SupportItem, WalkingRules,
    BUILTIN_CHONGQING_2024, MAX_CONVERTIBLE_KINDS, PROFILE_RANGES,
};
pub use rng::SeededRng;
pub use sites::{recommend_sites, ChosenSite, ExactStop, SiteMethod, SitePlan, SiteProblem};
pub use units::{Households, Metres, MetresPerMinute, Minutes, SquareMetres, Yuan};
