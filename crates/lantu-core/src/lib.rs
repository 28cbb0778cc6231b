//! # lantu-core: the planner's model and the rules, pure and I/O-free
//!
//! - [`ServiceKind`]: the nine service kinds of the 2024 Chongqing pilot, with stable codes.
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
//! Everything here works on owned data in a metric CRS; reading files is `lantu-io`'s job.
#![deny(missing_docs)]

mod analysis;
mod assign;
mod coverage;
mod entrance;
mod households;
mod ids;
mod kind;
mod lang;
mod model;
mod profile;
mod sites;
mod units;

pub use analysis::{analyze, Analysis, CommunityFigures, PerKind, StreetFigures};
pub use assign::{Assignment, CommunityLocator};
pub use coverage::{DistanceMetric, Euclidean};
pub use entrance::{attach_entrances, building_origins, nearest_from_buildings, reach_buildings};
pub use households::{derive_households, estimate_floor_area, households_from_floor_area};
pub use ids::{BuildingId, CandidateId, CommunityId, FacilityId, StreetId};
pub use kind::{ServiceKind, UnknownKind};
pub use lang::{Lang, Text};
pub use model::{Building, CandidateSite, Community, Dataset, Facility, HouseholdSource, Street, Walkway};
pub use profile::{
    AreaRules, CheckThresholds, Circle, ComplexRules, FunctionRules, HouseholdRules, NetworkRules, PilotScale,
    PriorityWeights, Profile, ProfileError, SupportAmounts, WalkingRules, BUILTIN_CHONGQING_2024, PROFILE_RANGES,
};
pub use sites::{recommend_sites, ChosenSite, SitePlan, SiteProblem};
pub use units::{Households, Metres, MetresPerMinute, Minutes, SquareMetres};
