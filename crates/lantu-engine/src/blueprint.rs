//! The result of a run: everything writers, the renderer and printers need.

use geo::MultiPolygon;
use lantu_core::{Analysis, ServiceKind, SitePlan};
use lantu_net::{EdgeCosts, Snap, WalkGraph};

/// The area within reach of one kind's facilities for one circle.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageArea {
    /// The kind.
    pub kind: ServiceKind,
    /// The circle's name (`5min`, …).
    pub circle: String,
    /// The circle's distance.
    pub radius_m: f64,
    /// The area.
    pub area: MultiPolygon,
}

/// The walking network a blueprint was computed on.
pub struct NetworkResult {
    /// The graph (shared with the inputs' check when it built it).
    pub graph: std::sync::Arc<WalkGraph>,
    /// Costs as used (with slope when ground heights were given).
    pub costs: EdgeCosts,
    /// Where each building joined the network (from its interior point).
    pub building_snaps: Vec<Option<Snap>>,
    /// Where each facility joined the network.
    pub facility_snaps: Vec<Option<Snap>>,
}

/// Recommended sites and the figures once they are converted.
pub struct Sites {
    /// The recommendation.
    pub plan: SitePlan,
    /// The analysis with the chosen sites converted into facilities.
    pub after: Analysis,
}

/// What became of site recommendations.
pub enum SiteOutcome {
    /// Sites were recommended.
    Recommended(Box<Sites>),
    /// None asked for (or no candidates and none asked for).
    NotAsked,
    /// Asked for, but the data has no candidate sites.
    NoCandidates,
    /// Not made by default: this many candidates take long (the caller may ask).
    TooManyCandidates(usize),
}

impl SiteOutcome {
    /// The sites, when recommended.
    pub fn sites(&self) -> Option<&Sites> {
        match self {
            SiteOutcome::Recommended(s) => Some(s),
            _ => None,
        }
    }
}

/// One run's result.
pub struct Blueprint {
    /// The gap analysis (with flat and barrier-free figures when the network was used).
    pub analysis: Analysis,
    /// The walking network, when used.
    pub network: Option<NetworkResult>,
    /// Coverage areas per kind and circle (walking network, or straight-line kinds).
    pub coverage_areas: Vec<CoverageArea>,
    /// Site recommendations.
    pub sites: SiteOutcome,
    /// Each plan's outcome, in the order given.
    pub plans: Vec<crate::PlanOutcome>,
    /// The pilot communities, when asked for.
    pub pilots: Option<crate::PilotOutcome>,
    /// Seconds per stage, in order.
    pub stages: Vec<(&'static str, f64)>,
}
