//! The planner's objects, in a metric CRS, owned and ready for analysis.
//!
//! These are what the readers of `lantu-read` produce after validation: geometries are
//! valid and non-empty, texts decoded, kinds parsed. Algorithms trust them.

use crate::{BuildingId, CandidateId, CommunityId, FacilityId, Households, ServiceKind, SquareMetres, StreetId};
use geo::{LineString, MultiPolygon, Point};
use serde::{Deserialize, Serialize};

/// Where a household count came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HouseholdSource {
    /// Given in the input layer.
    Given,
    /// Estimated from residential floor area (footprint × floors ÷ m² per household).
    EstimatedFromFloorArea,
    /// Spread from the community's count over its residential buildings by floor area.
    SpreadFromCommunity,
    /// Summed from the buildings of the community (most of them given).
    SummedFromBuildings,
    /// Estimated from a population grid's people (÷ persons per household).
    FromPopulationGrid,
}

impl HouseholdSource {
    /// Whether the count is an estimate (flagged in every output).
    pub fn is_estimated(self) -> bool {
        self != HouseholdSource::Given
    }

    /// The stable code written in tables and layers (`households_source`).
    pub fn code(self) -> &'static str {
        match self {
            HouseholdSource::Given => "given",
            HouseholdSource::EstimatedFromFloorArea => "floor_area",
            HouseholdSource::SpreadFromCommunity => "spread",
            HouseholdSource::SummedFromBuildings => "buildings",
            HouseholdSource::FromPopulationGrid => "grid",
        }
    }

    /// How many of `communities` with households take them from each source, in the order
    /// of the sources' codes (the check's counts and every output's note on estimates).
    pub fn tally<'a>(communities: impl IntoIterator<Item = &'a Community>) -> Vec<(HouseholdSource, usize)> {
        let mut by: std::collections::BTreeMap<&str, (HouseholdSource, usize)> = Default::default();
        for c in communities.into_iter().filter(|c| c.households.is_some()) {
            by.entry(c.households_source.code()).or_insert((c.households_source, 0)).1 += 1;
        }
        by.into_values().collect()
    }

    /// What the source is, in the planner's words.
    pub fn label(self) -> crate::Text {
        use crate::Text;
        match self {
            HouseholdSource::Given => Text::new("给定户数", "given count"),
            HouseholdSource::EstimatedFromFloorArea => {
                Text::new("按住宅建筑面积估算", "estimated from residential floor area")
            }
            HouseholdSource::SpreadFromCommunity => {
                Text::new("社区户数按楼分摊", "the community's count shared over its buildings")
            }
            HouseholdSource::SummedFromBuildings => Text::new("楼栋户数汇总", "summed from the buildings' counts"),
            HouseholdSource::FromPopulationGrid => Text::new("按人口格网估算", "estimated from the population grid"),
        }
    }
}

/// A residents' community (社区), the unit the rules apply to.
#[derive(Clone, Debug, PartialEq)]
pub struct Community {
    /// Index in the dataset.
    pub id: CommunityId,
    /// Official code (12-digit in China), or the source feature's id.
    pub code: String,
    /// Name, e.g. 解放碑社区.
    pub name: String,
    /// Code of the street (街道) it belongs to, if given.
    pub street_code: Option<String>,
    /// Name of the street, if given.
    pub street_name: Option<String>,
    /// Household count (户数), if known.
    pub households: Option<Households>,
    /// Where `households` came from.
    pub households_source: HouseholdSource,
    /// Resident population, if given.
    pub population: Option<f64>,
    /// People aged 60 and over, if given (a joined 七普 table).
    pub elderly: Option<f64>,
    /// Infants aged 0–3, if given.
    pub infants: Option<f64>,
    /// Children aged 6–12, if given.
    pub children: Option<f64>,
    /// Marked 有条件: the 80 m² per 100 households standard applies.
    pub capable: bool,
    /// `false` when marked 暂不具备集中建设条件: the non-centralised rule applies.
    pub centralised: bool,
    /// Boundary.
    pub boundary: MultiPolygon,
}

/// A street (街道, sub-district): a group of communities.
#[derive(Clone, Debug, PartialEq)]
pub struct Street {
    /// Index in the dataset.
    pub id: StreetId,
    /// Official code (9-digit in China), or the name when no code is given.
    pub code: String,
    /// Name.
    pub name: String,
    /// Boundary, when given or dissolved from its communities.
    pub boundary: Option<MultiPolygon>,
}

/// A building footprint.
#[derive(Clone, Debug, PartialEq)]
pub struct Building {
    /// Index in the dataset.
    pub id: BuildingId,
    /// The source feature's id (FID or OSM id), for reports.
    pub source_id: String,
    /// Footprint.
    pub footprint: MultiPolygon,
    /// Whether people live in it.
    pub residential: bool,
    /// Floors above ground, if given.
    pub floors: Option<f64>,
    /// Households, if given or estimated.
    pub households: Option<Households>,
    /// Where `households` came from.
    pub households_source: HouseholdSource,
    /// Residential compound (小区), if given.
    pub compound: Option<String>,
    /// Entrances (doors on the outline), when known: walks start at the best one.
    pub entrances: Vec<geo::Point>,
    /// A point inside `footprint`, found on first use by [`Building::origin`] and kept:
    /// finding it walks the whole outline, and a run asks for it once per analysis (with
    /// slope, on flat ground, barrier-free), for the check and for the layers. Build with
    /// `Default::default()`; the footprint must not change once it is filled.
    pub point_inside: std::sync::OnceLock<Option<geo::Point>>,
}

impl Building {
    /// The point that stands for the building where one point is needed (its snap in the
    /// layers, the check's island count): its first entrance, else a point inside its
    /// footprint, else not-a-number (which no metric reaches). Coverage uses every
    /// entrance ([`crate::building_origins`]).
    pub fn origin(&self) -> geo::Point {
        use geo::InteriorPoint;
        self.entrances
            .first()
            .copied()
            .or_else(|| *self.point_inside.get_or_init(|| self.footprint.interior_point()))
            .unwrap_or_else(|| geo::Point::new(f64::NAN, f64::NAN))
    }
}

/// An existing service facility.
#[derive(Clone, Debug, PartialEq)]
pub struct Facility {
    /// Index in the dataset.
    pub id: FacilityId,
    /// The source feature's id, for reports.
    pub source_id: String,
    /// Name.
    pub name: String,
    /// The kinds it serves (at least one).
    pub kinds: Vec<ServiceKind>,
    /// Floor area, if given.
    pub floor_area: Option<SquareMetres>,
    /// Places (床位, 托位, 座位), if given.
    pub capacity: Option<f64>,
    /// Marked as an embedded service complex (综合体).
    pub complex: bool,
    /// Codes of the communities that share it (跨社区), if given.
    pub shared_by: Vec<String>,
    /// Where it is (the point given, or a point inside the footprint).
    pub location: Point,
    /// Footprint, when the input is a polygon.
    pub footprint: Option<MultiPolygon>,
}

/// An idle building that could host services (闲置资源).
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateSite {
    /// Index in the dataset.
    pub id: CandidateId,
    /// The source feature's id.
    pub source_id: String,
    /// Name.
    pub name: String,
    /// Usable floor area, if given.
    pub floor_area: Option<SquareMetres>,
    /// Owner type (国有, ...), if given.
    pub owner: Option<String>,
    /// Where it is.
    pub location: Point,
    /// Footprint, when the input is a polygon.
    pub footprint: Option<MultiPolygon>,
}

/// A walkable line (road, path, stairway).
#[derive(Clone, Debug, PartialEq)]
pub struct Walkway {
    /// The source feature's id.
    pub source_id: String,
    /// Geometry.
    pub line: LineString,
    /// Whether it is a stairway (台阶).
    pub steps: bool,
    /// Road class, e.g. `footway`, if given.
    pub class: Option<String>,
    /// Stairs with a ramp beside them: passable barrier-free.
    pub ramp: bool,
    /// A bridge or tunnel: it slopes as a straight deck between its ends, not as the ground.
    pub deck: bool,
}

/// All input layers of one analysis, in one metric CRS.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    /// Communities.
    pub communities: Vec<Community>,
    /// Streets.
    pub streets: Vec<Street>,
    /// Buildings.
    pub buildings: Vec<Building>,
    /// Facilities.
    pub facilities: Vec<Facility>,
    /// Candidate sites.
    pub candidates: Vec<CandidateSite>,
    /// Walkways.
    pub walkways: Vec<Walkway>,
}

impl Dataset {
    /// The community with this id. Panics on an id from another dataset.
    pub fn community(&self, id: CommunityId) -> &Community {
        &self.communities[id.index()]
    }
    /// The community with this id, if it exists.
    pub fn maybe_community(&self, id: CommunityId) -> Option<&Community> {
        self.communities.get(id.index())
    }
}
