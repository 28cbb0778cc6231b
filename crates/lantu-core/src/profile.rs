//! The profile: every number of the rules, read from TOML, never written in code.
//!
//! The built-in profile is `data/profiles/chongqing-2024.toml`, embedded in the binary.
//! A user file overrides any value of it, key by key ([`Profile::with_overrides`]).

use crate::{
    AccessRules, GroupShares, Kinds, Lang, Localized, Metres, MetresPerMinute, Minutes, ServiceKind, SquareMetres,
    Text, Yuan,
};
use serde::{Deserialize, Serialize};

/// The text of the built-in profile `chongqing-2024`.
pub const BUILTIN_CHONGQING_2024: &str = include_str!("../../../data/profiles/chongqing-2024.toml");

/// The rules a community is checked against (see `data/profiles/chongqing-2024.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short name, e.g. `chongqing-2024`.
    pub name: String,
    /// Title in Chinese.
    pub title_zh: String,
    /// Title in English.
    pub title_en: String,
    /// Floor area per 100 households.
    pub area: AreaRules,
    /// Embedded service complexes (综合体).
    pub complex: ComplexRules,
    /// The mix of functions.
    pub functions: FunctionRules,
    /// Walking circles and speed.
    pub walking: WalkingRules,
    /// Building the walking network.
    pub network: NetworkRules,
    /// Estimating households from buildings.
    pub households: HouseholdRules,
    /// Support-policy amounts for budget estimates.
    pub support: SupportAmounts,
    /// Pilot scale and how pilot communities are chosen.
    pub pilot: PilotScale,
    /// Unit costs for investment estimates: the user's assumptions, flagged in every output.
    pub costs: CostAssumptions,
    /// Site recommendations.
    pub sites: SiteRules,
    /// Weights of the priority score.
    pub priority: PriorityWeights,
    /// Thresholds of `lantu check`: what is implausible, what is too much lost.
    pub checks: CheckThresholds,
    /// Shares of the old, infants and children in the population, where a community's own
    /// row does not give them (`[groups]`).
    #[serde(default)]
    pub groups: GroupShares,
    /// How a facility's places are shared among the people within its walk (`[access]`).
    #[serde(default)]
    pub access: AccessRules,
    /// The service kinds, in the order of every table (`[[kinds]]`).
    pub kinds: Kinds,
    /// Rows added to the shipped POI table (`data/poi/poi-types.csv`), tried before its
    /// own; a row with the same `match` and `pattern` as a shipped one replaces it
    /// (`[[poi_rules]]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub poi_rules: Vec<PoiRule>,
}

/// One POI classification rule of the profile (see [`Profile::poi_rules`]).
///
/// ```toml
/// [[poi_rules]]
/// match = "name"           # a word in the POI's name, or "type": the start of its type path
/// pattern = "颐养中心"
/// kind = "elderly_care"    # a kind's code, or "none": not a service
/// note = "本区的养老机构多以颐养中心为名"
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoiRule {
    /// `name` or `type`.
    #[serde(rename = "match")]
    pub by: String,
    /// The word or type-path start.
    pub pattern: String,
    /// A kind's code, or `none`.
    pub kind: String,
    /// Why, for whoever reads the profile.
    #[serde(default)]
    pub note: String,
}

/// Thresholds of the input check: values beyond them are warned about, with counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckThresholds {
    /// More households than this in one community is implausible (a typo, a unit error).
    pub max_households_per_community: f64,
    /// A building footprint larger than this is implausible, m².
    pub max_building_footprint_m2: f64,
    /// A single walkway longer than this is implausible, m.
    pub max_walkway_length_m: f64,
    /// More households than this in one building is implausible.
    pub max_households_per_building: f64,
    /// More floors than this is implausible (the tallest towers have about 160).
    pub max_floors: f64,
    /// A facility, idle building or planned project with more floor area than this is
    /// implausible, m².
    pub max_floor_area_m2: f64,
    /// Two communities overlapping by more than this share of the smaller one are reported.
    pub max_community_overlap_share: f64,
    /// Invalid geometries with more vertices than this are repaired by their structure
    /// (seconds) instead of line by line (minutes for tens of thousands of vertices).
    pub max_repair_vertices: f64,
    /// A layer that keeps less than this share of its features cannot be analysed.
    pub min_share_kept: f64,
}

/// Floor area per 100 households (每百户面积).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaRules {
    /// Standard for every community, m² per 100 households.
    pub per_100_households_m2: SquareMetres,
    /// Standard for communities marked 有条件, m² per 100 households.
    pub per_100_households_capable_m2: SquareMetres,
}

/// Complex size rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplexRules {
    /// 一般不应小于, m².
    pub min_area_m2: SquareMetres,
    /// 有条件的不宜小于, m².
    pub preferred_area_m2: SquareMetres,
}

/// The configuration rule of functions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionRules {
    /// How many kinds that count as functions a centralised community needs.
    pub min_functions: u32,
    /// How many core kinds a centralised community needs.
    pub min_core: u32,
    /// How many core kinds a community without conditions for centralised building needs.
    pub min_core_non_centralised: u32,
}

/// One walking circle (生活圈).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Circle {
    /// Name, e.g. `5min`.
    pub name: String,
    /// Walking time.
    pub minutes: Minutes,
    /// Walking distance that stands for it.
    pub radius_m: Metres,
}

impl Circle {
    /// The coverage rule, the one place it is written: a home is covered by a kind when the
    /// nearest facility of the kind is at most the circle's distance away.
    ///
    /// ```
    /// use lantu_core::{Metres, Profile};
    /// let p = Profile::builtin();
    /// let elderly = p.kinds.by_code("elderly_care").unwrap();
    /// let circle = p.circle_of(elderly); // 5 minutes, 300 m
    /// assert!(circle.covers(Some(Metres(300.0))));
    /// assert!(!circle.covers(Some(Metres(300.5))));
    /// assert!(!circle.covers(None)); // unreachable
    /// ```
    pub fn covers(&self, distance: Option<Metres>) -> bool {
        distance.is_some_and(|d| d.0 <= self.radius_m.0)
    }
}

/// Walking rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkingRules {
    /// Walking speed.
    pub speed_m_per_min: MetresPerMinute,
    /// Cost factor of stairs.
    pub steps_factor: f64,
    /// Barrier-free walking (wheelchairs, walking frames, prams): segments steeper than
    /// this grade (rise over run) are impassable, as are stairs without a ramp.
    pub accessible_max_grade: f64,
    /// The circles, smallest first.
    pub circles: Vec<Circle>,
}

/// Network building settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkRules {
    /// Ends closer than this are joined.
    pub join_tolerance_m: Metres,
    /// Farther than this from the network is off-network.
    pub max_access_m: Metres,
    /// Half-width of coverage areas around reached walkways.
    pub coverage_buffer_m: Metres,
    /// Uncovered homes closer than twice this form one uncovered area.
    pub uncovered_join_m: Metres,
    /// Connected parts of the network holding at least this share of its length (and
    /// always the largest) are the main network; homes join an island only when no main
    /// walkway is within `max_access_m`.
    pub main_component_share: f64,
    /// Road classes no one walks along (motorways, urban expressways): walkways of these
    /// classes are left out and counted by the check. Compared ignoring case.
    pub unwalkable_classes: Vec<String>,
}

/// Household estimation settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdRules {
    /// Residential floor area per household.
    pub floor_area_per_household_m2: SquareMetres,
    /// Floors assumed when missing.
    pub default_floors: f64,
    /// Smallest footprint counted as a dwelling.
    pub min_residential_footprint_m2: SquareMetres,
    /// Height of one storey, m: floors = height ÷ this, rounded, where a building gives its
    /// height but no floors.
    pub storey_height_m: Metres,
    /// A footprint above this is unlikely to be a home: counted in the check's warning when
    /// buildings give no use.
    pub max_residential_footprint_m2: SquareMetres,
    /// Persons per household: a population grid's people ÷ this = households.
    pub persons_per_household: f64,
    /// Where two sources give a community's households (its count, the grid, the
    /// floor-area estimate), the check warns when their ratio leaves 1/this … this.
    pub max_source_ratio: f64,
    /// Scale each estimate (grid, floor area) by the ratio of the given counts to it over
    /// the communities that have both, so that no community ranks higher only because its
    /// households come from a source that runs high.
    pub calibrate_estimates: bool,
}

/// Support-policy amounts (以奖代补), yuan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportAmounts {
    /// The code of the kind whose converted sites receive the elderly-care amounts below
    /// (empty: none).
    pub subsidised_kind: String,
    /// Per street elderly-care centre.
    pub street_elderly_centre_yuan: f64,
    /// Per community elderly-care station.
    pub community_elderly_station_yuan: f64,
    /// Per township elderly-care centre.
    pub township_elderly_centre_yuan: f64,
}

impl SupportAmounts {
    /// The 以奖代补 amount for a facility serving `kinds` with `area`, the one place the
    /// rule is written: a facility hosting the subsidised kind is a centre when it reaches
    /// the preferred complex size (a township's centre in a town, 镇/乡, else a street's),
    /// else a community station; nothing without the subsidised kind. `centre_taken`: the
    /// street already has its centre (one per street), so this one is a station.
    pub fn amount(
        &self,
        profile: &Profile,
        kinds: &[ServiceKind],
        area: SquareMetres,
        in_town: bool,
        centre_taken: bool,
    ) -> (Yuan, SupportItem) {
        let Some(k) = profile.kinds.by_code(&self.subsidised_kind) else { return (Yuan::ZERO, SupportItem::None) };
        if !kinds.contains(&k) {
            return (Yuan::ZERO, SupportItem::None);
        }
        if area.0 >= profile.complex.preferred_area_m2.0 && !centre_taken {
            if in_town {
                (Yuan(self.township_elderly_centre_yuan), SupportItem::TownshipCentre)
            } else {
                (Yuan(self.street_elderly_centre_yuan), SupportItem::StreetCentre)
            }
        } else {
            (Yuan(self.community_elderly_station_yuan), SupportItem::CommunityStation)
        }
    }
}

/// Which support item (支持政策清单第 21 项) an amount is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SupportItem {
    /// No support.
    None,
    /// 街道养老服务中心.
    StreetCentre,
    /// 乡镇养老服务中心.
    TownshipCentre,
    /// 社区养老服务站.
    CommunityStation,
}

impl SupportItem {
    /// The item's name.
    pub fn name(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (SupportItem::None, crate::Lang::Zh) => "无",
            (SupportItem::None, crate::Lang::En) => "none",
            (SupportItem::StreetCentre, crate::Lang::Zh) => "街道养老服务中心",
            (SupportItem::StreetCentre, crate::Lang::En) => "street elderly-care centre",
            (SupportItem::TownshipCentre, crate::Lang::Zh) => "乡镇养老服务中心",
            (SupportItem::TownshipCentre, crate::Lang::En) => "township elderly-care centre",
            (SupportItem::CommunityStation, crate::Lang::Zh) => "社区养老服务站",
            (SupportItem::CommunityStation, crate::Lang::En) => "community elderly-care station",
        }
    }
}

/// Pilot scale and the choice of pilot communities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PilotScale {
    /// Pilot communities city-wide.
    pub communities_total: u32,
    /// Started by 2025.
    pub communities_by_2025: u32,
    /// Weight of need (the priority score) in the pilot score; feasibility has the rest.
    pub need_weight: f64,
    /// Feasibility: weight of an idle building of at least the complex minimum within
    /// reach, or an existing complex to extend.
    pub feasibility_site: f64,
    /// Feasibility: weight of a planned project in the community.
    pub feasibility_plan: f64,
    /// Feasibility: weight of the community's size (households up to `households_full`).
    pub feasibility_households: f64,
    /// Households at which the size part of feasibility is full.
    pub households_full: f64,
    /// An idle building this close to a community (straight line from its boundary; 0:
    /// inside) is within its reach.
    pub site_reach_m: Metres,
    /// Most small idle buildings a pilot converts into stations (插花式) beside its complex.
    #[serde(default = "PilotScale::default_max_stations")]
    pub max_stations: u32,
    /// The smallest idle building a station takes, m².
    #[serde(default = "PilotScale::default_min_station_m2")]
    pub min_station_m2: SquareMetres,
    /// Stations are added until every core kind reaches this share (0–1) of the people it
    /// serves in the community …
    #[serde(default = "PilotScale::default_station_core_target")]
    pub station_core_target: f64,
    /// … or the best station would bring fewer of them than this within reach.
    #[serde(default = "PilotScale::default_min_station_people")]
    pub min_station_people: f64,
}

impl PilotScale {
    fn default_max_stations() -> u32 {
        2
    }
    fn default_min_station_m2() -> SquareMetres {
        SquareMetres(100.0)
    }
    fn default_station_core_target() -> f64 {
        0.8
    }
    fn default_min_station_people() -> f64 {
        50.0
    }
}

/// Unit costs for investment estimates (元/m²). They are the user's assumptions — the
/// built-in values are placeholders to be replaced by local cost data — and every output
/// that uses them says so.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostAssumptions {
    /// New build (新建、改扩建), yuan per m² of floor area.
    pub new_build_yuan_per_m2: Yuan,
    /// Renovating existing floor area (存量转型、划转), yuan per m².
    pub renovation_yuan_per_m2: Yuan,
}

/// How idle buildings are converted in site recommendations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRules {
    /// Most kinds a site below the complex minimum hosts.
    pub max_kinds_small: u32,
    /// Weight every household has, plus its community's priority score.
    pub base_need: f64,
    /// Smallest floor area of an OSM candidate, m².
    pub min_candidate_area_m2: SquareMetres,
    /// Solve the choice exactly (a mixed-integer programme) where it is small enough.
    #[serde(default = "SiteRules::default_exact")]
    pub exact: bool,
    /// The largest programme, in variables, the exact solver takes on.
    #[serde(default = "SiteRules::default_exact_max_variables")]
    pub exact_max_variables: u32,
    /// Branch-and-bound nodes the exact solver may solve (the same answer on every machine).
    #[serde(default = "SiteRules::default_exact_node_limit")]
    pub exact_node_limit: u32,
    /// Seconds the exact solver may take at most, a safety net (when it stops there, the
    /// answer depends on the machine and the run says so).
    #[serde(default = "SiteRules::default_exact_seconds")]
    pub exact_seconds: f64,
}

impl SiteRules {
    fn default_exact() -> bool {
        true
    }
    fn default_exact_max_variables() -> u32 {
        20_000
    }
    fn default_exact_node_limit() -> u32 {
        10_000
    }
    fn default_exact_seconds() -> f64 {
        30.0
    }
}

/// Weights of the priority score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityWeights {
    /// Weight of the area gap.
    pub weight_area_gap: f64,
    /// Weight of missing core functions.
    pub weight_missing_core: f64,
    /// Weight of uncovered households.
    pub weight_uncovered: f64,
    /// Count households as uncovered by their barrier-free reach (when the walking network
    /// is used) instead of the ordinary walk.
    pub use_accessible: bool,
}

/// Why a profile could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The TOML did not parse or did not fit the profile's shape.
    Invalid {
        /// Where the text came from.
        source_name: String,
        /// What is wrong.
        message: Text,
    },
    /// A value outside the range the rules allow.
    OutOfRange {
        /// Where the text came from.
        source_name: String,
        /// The key, dotted (`network.coverage_buffer_m`).
        key: String,
        /// Its line in the user's file, when the user set it.
        line: Option<usize>,
        /// The value found.
        value: String,
        /// The allowed range, e.g. `5 – 500`.
        range: String,
        /// Why the range is what it is, when it depends on another value.
        why: Option<Box<Text>>,
    },
}

impl Localized for ProfileError {
    fn message(&self, lang: Lang) -> String {
        match self {
            ProfileError::Invalid { source_name, message } => {
                format!("{} {source_name}: {}", lang.pick("规则配置", "profile"), message.get(lang))
            }
            ProfileError::OutOfRange { source_name, key, line, value, range, why } => {
                let line = line.map_or(String::new(), |l| lang.pick(format!("，第 {l} 行"), format!(", line {l}")));
                let why = why.as_ref().map_or(String::new(), |w| format!(" ({})", w.get(lang)));
                lang.pick(
                    format!("规则配置 {source_name}{line}：{key} = {value} 超出允许范围 {range}{why}"),
                    format!("profile {source_name}{line}: {key} = {value} is outside the allowed range {range}{why}"),
                )
            }
        }
    }
}

crate::display_in_chinese!(ProfileError);

/// The allowed range of every number of a profile: key, lowest, highest (both inclusive).
/// README's profile section lists the same table (a test checks that every key is there).
pub const PROFILE_RANGES: &[(&str, f64, f64)] = &[
    ("area.per_100_households_m2", 0.1, 1_000.0),
    ("area.per_100_households_capable_m2", 0.1, 1_000.0),
    ("complex.min_area_m2", 0.0, 100_000.0),
    ("complex.preferred_area_m2", 0.0, 100_000.0),
    ("functions.min_functions", 0.0, 100.0),
    ("functions.min_core", 0.0, 100.0),
    ("functions.min_core_non_centralised", 0.0, 100.0),
    ("walking.speed_m_per_min", 10.0, 200.0),
    ("walking.steps_factor", 1.0, 20.0),
    ("walking.accessible_max_grade", 0.01, 0.5),
    ("walking.circles.minutes", 0.1, 120.0),
    ("walking.circles.radius_m", 1.0, 5_000.0),
    ("network.join_tolerance_m", 0.0, 20.0),
    ("network.max_access_m", 1.0, 2_000.0),
    ("network.coverage_buffer_m", 5.0, 500.0),
    ("network.uncovered_join_m", 1.0, 500.0),
    ("network.main_component_share", 0.0, 1.0),
    ("households.floor_area_per_household_m2", 10.0, 1_000.0),
    ("households.default_floors", 1.0, 200.0),
    ("households.min_residential_footprint_m2", 0.0, 10_000.0),
    ("households.storey_height_m", 2.0, 6.0),
    ("households.max_residential_footprint_m2", 100.0, 1_000_000.0),
    ("households.persons_per_household", 1.0, 10.0),
    ("households.max_source_ratio", 1.0, 100.0),
    ("support.street_elderly_centre_yuan", 0.0, 1e10),
    ("support.community_elderly_station_yuan", 0.0, 1e10),
    ("support.township_elderly_centre_yuan", 0.0, 1e10),
    ("pilot.communities_total", 0.0, 100_000.0),
    ("pilot.communities_by_2025", 0.0, 100_000.0),
    ("pilot.need_weight", 0.0, 1.0),
    ("pilot.feasibility_site", 0.0, 100.0),
    ("pilot.feasibility_plan", 0.0, 100.0),
    ("pilot.feasibility_households", 0.0, 100.0),
    ("pilot.households_full", 1.0, 1e6),
    ("pilot.site_reach_m", 0.0, 10_000.0),
    ("pilot.max_stations", 0.0, 10.0),
    ("pilot.min_station_m2", 1.0, 100_000.0),
    ("pilot.station_core_target", 0.0, 1.0),
    ("pilot.min_station_people", 0.0, 1_000_000.0),
    ("costs.new_build_yuan_per_m2", 0.0, 1e6),
    ("costs.renovation_yuan_per_m2", 0.0, 1e6),
    ("kinds.site_area_m2", 1.0, 100_000.0),
    ("sites.max_kinds_small", 1.0, 100.0),
    ("sites.base_need", 0.0, 100.0),
    ("sites.min_candidate_area_m2", 0.0, 1_000_000.0),
    ("sites.exact_max_variables", 0.0, 10_000_000.0),
    ("sites.exact_node_limit", 0.0, 100_000_000.0),
    ("sites.exact_seconds", 0.1, 86_400.0),
    ("priority.weight_area_gap", 0.0, 100.0),
    ("priority.weight_missing_core", 0.0, 100.0),
    ("priority.weight_uncovered", 0.0, 100.0),
    ("groups.elderly_age", 60.0, 65.0),
    ("groups.elderly_60_share", 0.0, 1.0),
    ("groups.elderly_65_share", 0.0, 1.0),
    ("groups.infants_share", 0.0, 1.0),
    ("groups.children_share", 0.0, 1.0),
    ("access.decay.minutes", 0.1, 120.0),
    ("access.decay.weight", 0.0, 1.0),
    ("checks.max_households_per_community", 1.0, 1e7),
    ("checks.max_building_footprint_m2", 1.0, 1e8),
    ("checks.max_walkway_length_m", 1.0, 1e6),
    ("checks.max_households_per_building", 1.0, 1e6),
    ("checks.max_floors", 1.0, 1000.0),
    ("checks.max_floor_area_m2", 1.0, 1e8),
    ("checks.max_community_overlap_share", 0.0, 1.0),
    ("checks.max_repair_vertices", 100.0, 1e7),
    ("checks.min_share_kept", 0.0, 1.0),
];

impl Profile {
    /// The built-in `chongqing-2024` profile.
    pub fn builtin() -> Profile {
        Self::parse(BUILTIN_CHONGQING_2024, "chongqing-2024 (built in)").expect("the built-in profile is valid")
    }

    /// Parses a complete profile from TOML text.
    pub fn parse(text: &str, source_name: &str) -> Result<Profile, ProfileError> {
        let p: Profile = toml::from_str(text).map_err(|e| ProfileError::Invalid {
            source_name: source_name.to_string(),
            message: Text::verbatim(e.to_string()),
        })?;
        p.validate(source_name, text)?;
        Ok(p)
    }

    /// This profile with the keys of `overrides` (TOML text, any subset of the keys)
    /// replacing its own. Unknown keys and wrong types are errors.
    ///
    /// `[[kinds]]` entries are matched by code: an existing code changes that kind's keys,
    /// a new code adds a kind at the end; `replace_kinds = true` replaces the whole list.
    pub fn with_overrides(&self, overrides: &str, source_name: &str) -> Result<Profile, ProfileError> {
        let invalid = |message: Text| ProfileError::Invalid { source_name: source_name.to_string(), message };
        let mut base = toml::Table::try_from(self).map_err(|e| invalid(Text::verbatim(e.to_string())))?;
        // parse errors cite lines of the user's own text
        let mut user: toml::Table = toml::from_str(overrides).map_err(|e| invalid(Text::verbatim(e.to_string())))?;
        let replace_kinds = match user.remove("replace_kinds") {
            None => false,
            Some(toml::Value::Boolean(b)) => b,
            Some(other) => {
                return Err(invalid(Text::new(
                    format!("replace_kinds = {other}：应为 true 或 false"),
                    format!("replace_kinds = {other}: expected true or false"),
                )))
            }
        };
        if let Some(kinds) = user.remove("kinds") {
            let toml::Value::Array(entries) = kinds else {
                return Err(invalid(Text::new(
                    "kinds 须为 [[kinds]] 表的列表",
                    "kinds must be a list of [[kinds]] tables",
                )));
            };
            merge_kinds(&mut base, entries, replace_kinds).map_err(invalid)?;
        } else if replace_kinds {
            return Err(invalid(Text::new(
                "replace_kinds = true，但文件中没有 [[kinds]]",
                "replace_kinds = true but the file lists no [[kinds]]",
            )));
        }
        merge(&mut base, user);
        // deserialised from the merged table, not from re-serialised text, so that no
        // error cites a line of a text the user never saw; the key is named instead
        let p = Profile::deserialize(toml::Value::Table(base)).map_err(|e| {
            let msg = e.to_string();
            let line = locate_error(&msg, overrides);
            invalid(match line {
                Some(l) => Text::new(format!("第 {l} 行：{}", msg.trim()), format!("line {l}: {}", msg.trim())),
                None => Text::verbatim(msg.trim()),
            })
        })?;
        p.validate(source_name, overrides)?;
        Ok(p)
    }

    /// The profile as TOML text.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a profile always serialises")
    }

    /// The circle a kind must be reached within.
    pub fn circle_of(&self, kind: ServiceKind) -> &Circle {
        let name = &self.kinds.def(kind).circle;
        self.walking.circles.iter().find(|c| &c.name == name).expect("validated: every kind names an existing circle")
    }

    /// The circle of every kind, in the kinds' order.
    pub fn circles_by_kind(&self) -> Vec<Circle> {
        self.kinds.all().map(|k| self.circle_of(k).clone()).collect()
    }

    /// The largest circle radius (the cut-off of every search).
    pub fn largest_radius(&self) -> Metres {
        self.walking.circles.iter().map(|c| c.radius_m).fold(Metres::ZERO, |a, b| if b.0 > a.0 { b } else { a })
    }

    /// Every number within [`PROFILE_RANGES`], and the values that depend on each other
    /// in order. `text` is the user's TOML, for line numbers.
    fn validate(&self, source_name: &str, text: &str) -> Result<(), ProfileError> {
        let fail = |message: Text| Err(ProfileError::Invalid { source_name: source_name.to_string(), message });
        let out_of_range = |key: &str, value: f64, lo: f64, hi: f64, why: Option<Text>| ProfileError::OutOfRange {
            source_name: source_name.to_string(),
            key: key.to_string(),
            line: line_of(text, key),
            value: format!("{value}"),
            range: format!("{lo} – {hi}"),
            why: why.map(Box::new),
        };
        if self.walking.circles.is_empty() {
            return fail(Text::new("walking.circles 为空", "walking.circles is empty"));
        }
        if let Some(problem) = self.kinds.problems() {
            return fail(problem);
        }
        for d in self.kinds.defs() {
            if !self.walking.circles.iter().any(|c| c.name == d.circle) {
                let circles = self.walking.circles.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ");
                return fail(Text::new(
                    format!("kinds.{}：生活圈 {:?} 不在 walking.circles（{circles}）中", d.code, d.circle),
                    format!("kinds.{}: circle {:?} is not one of walking.circles ({circles})", d.code, d.circle),
                ));
            }
        }
        for (i, r) in self.poi_rules.iter().enumerate() {
            if !matches!(r.by.as_str(), "name" | "type") {
                return fail(Text::new(
                    format!("poi_rules[{i}]：match = {:?} 须为 \"name\" 或 \"type\"", r.by),
                    format!("poi_rules[{i}]: match = {:?} must be \"name\" or \"type\"", r.by),
                ));
            }
            if r.pattern.trim().is_empty() {
                return fail(Text::new(
                    format!("poi_rules[{i}]：pattern 为空"),
                    format!("poi_rules[{i}]: the pattern is empty"),
                ));
            }
            if r.kind != "none" && self.kinds.by_code(&r.kind).is_none() {
                return fail(Text::new(
                    format!("poi_rules[{i}]：kind = {:?} 既不是服务类型代码，也不是 \"none\"", r.kind),
                    format!("poi_rules[{i}]: kind = {:?} is neither a kind's code nor \"none\"", r.kind),
                ));
            }
        }
        let s = &self.support.subsidised_kind;
        if !s.is_empty() && self.kinds.by_code(s).is_none() {
            return fail(Text::new(
                format!("support.subsidised_kind = {s:?} 不是服务类型代码"),
                format!("support.subsidised_kind = {s:?} is not the code of a kind"),
            ));
        }
        let convertible = self.kinds.defs().iter().filter(|d| d.site_area_m2.is_some()).count();
        if convertible > MAX_CONVERTIBLE_KINDS {
            return fail(Text::new(
                format!("kinds：{convertible} 类服务设有 site_area_m2，最多 {MAX_CONVERTIBLE_KINDS} 类可建议改建"),
                format!(
                    "kinds: {convertible} kinds have a site_area_m2; at most {MAX_CONVERTIBLE_KINDS} can be proposed for conversion"
                ),
            ));
        }
        for (key, value) in self.numbers() {
            let (lo, hi) = range_of(&key);
            if !(value.is_finite() && value >= lo && value <= hi) {
                return Err(out_of_range(&key, value, lo, hi, None));
            }
        }
        // values bounded by others
        let core_kinds = self.kinds.defs().iter().filter(|d| d.core).count();
        let function_kinds = self.kinds.defs().iter().filter(|d| d.counts_as_function()).count();
        let bounded: [(&str, f64, f64, f64, Text); 7] = [
            (
                "area.per_100_households_capable_m2",
                self.area.per_100_households_capable_m2.0,
                self.area.per_100_households_m2.0,
                range_of("area.per_100_households_capable_m2").1,
                Text::new("不低于 area.per_100_households_m2", "not below area.per_100_households_m2"),
            ),
            (
                "complex.preferred_area_m2",
                self.complex.preferred_area_m2.0,
                self.complex.min_area_m2.0,
                range_of("complex.preferred_area_m2").1,
                Text::new("不低于 complex.min_area_m2", "not below complex.min_area_m2"),
            ),
            (
                "functions.min_functions",
                self.functions.min_functions as f64,
                0.0,
                function_kinds as f64,
                Text::new(
                    format!("{function_kinds} 类服务计为功能"),
                    format!("{function_kinds} kinds count as functions"),
                ),
            ),
            (
                "functions.min_core",
                self.functions.min_core as f64,
                0.0,
                core_kinds as f64,
                Text::new(format!("{core_kinds} 类为核心服务"), format!("{core_kinds} kinds are core")),
            ),
            (
                "functions.min_core_non_centralised",
                self.functions.min_core_non_centralised as f64,
                0.0,
                core_kinds as f64,
                Text::new(format!("{core_kinds} 类为核心服务"), format!("{core_kinds} kinds are core")),
            ),
            (
                "pilot.communities_by_2025",
                self.pilot.communities_by_2025 as f64,
                0.0,
                self.pilot.communities_total as f64,
                Text::new("不超过 pilot.communities_total", "not above pilot.communities_total"),
            ),
            (
                "sites.max_kinds_small",
                self.sites.max_kinds_small as f64,
                1.0,
                self.kinds.len() as f64,
                Text::new(format!("共 {} 类服务", self.kinds.len()), format!("{} kinds", self.kinds.len())),
            ),
        ];
        for (key, value, lo, hi, why) in bounded {
            if !(value >= lo && value <= hi) {
                return Err(out_of_range(key, value, lo, hi, Some(why)));
            }
        }
        let p = &self.priority;
        if p.weight_area_gap + p.weight_missing_core + p.weight_uncovered <= 0.0 {
            return Err(out_of_range(
                "priority.weight_area_gap",
                p.weight_area_gap,
                0.0,
                100.0,
                Some(Text::new("三项权重之和须大于 0", "the three weights must not all be 0")),
            ));
        }
        if !matches!(self.groups.elderly_age, 60 | 65) {
            return fail(Text::new("groups.elderly_age 须为 60 或 65", "groups.elderly_age must be 60 or 65"));
        }
        if self.access.decay.is_empty() || self.access.decay.windows(2).any(|w| w[1].minutes <= w[0].minutes) {
            return fail(Text::new(
                "access.decay 不能为空，且各级 minutes 须递增",
                "access.decay must not be empty and its minutes must increase",
            ));
        }
        let mut names: Vec<&str> = self.walking.circles.iter().map(|c| c.name.as_str()).collect();
        names.sort();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return fail(Text::new(
                "walking.circles：两个生活圈同名",
                "walking.circles: two circles have the same name",
            ));
        }
        Ok(())
    }

    /// Every number of the profile with its dotted key (list entries share their key).
    fn numbers(&self) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = vec![
            ("area.per_100_households_m2".into(), self.area.per_100_households_m2.0),
            ("area.per_100_households_capable_m2".into(), self.area.per_100_households_capable_m2.0),
            ("complex.min_area_m2".into(), self.complex.min_area_m2.0),
            ("complex.preferred_area_m2".into(), self.complex.preferred_area_m2.0),
            ("functions.min_functions".into(), self.functions.min_functions as f64),
            ("functions.min_core".into(), self.functions.min_core as f64),
            ("functions.min_core_non_centralised".into(), self.functions.min_core_non_centralised as f64),
            ("walking.speed_m_per_min".into(), self.walking.speed_m_per_min.0),
            ("walking.steps_factor".into(), self.walking.steps_factor),
            ("walking.accessible_max_grade".into(), self.walking.accessible_max_grade),
            ("network.join_tolerance_m".into(), self.network.join_tolerance_m.0),
            ("network.max_access_m".into(), self.network.max_access_m.0),
            ("network.coverage_buffer_m".into(), self.network.coverage_buffer_m.0),
            ("network.uncovered_join_m".into(), self.network.uncovered_join_m.0),
            ("network.main_component_share".into(), self.network.main_component_share),
            ("households.floor_area_per_household_m2".into(), self.households.floor_area_per_household_m2.0),
            ("households.default_floors".into(), self.households.default_floors),
            ("households.min_residential_footprint_m2".into(), self.households.min_residential_footprint_m2.0),
            ("households.storey_height_m".into(), self.households.storey_height_m.0),
            ("households.max_residential_footprint_m2".into(), self.households.max_residential_footprint_m2.0),
            ("households.persons_per_household".into(), self.households.persons_per_household),
            ("households.max_source_ratio".into(), self.households.max_source_ratio),
            ("support.street_elderly_centre_yuan".into(), self.support.street_elderly_centre_yuan),
            ("support.community_elderly_station_yuan".into(), self.support.community_elderly_station_yuan),
            ("support.township_elderly_centre_yuan".into(), self.support.township_elderly_centre_yuan),
            ("pilot.communities_total".into(), self.pilot.communities_total as f64),
            ("pilot.communities_by_2025".into(), self.pilot.communities_by_2025 as f64),
            ("pilot.need_weight".into(), self.pilot.need_weight),
            ("pilot.feasibility_site".into(), self.pilot.feasibility_site),
            ("pilot.feasibility_plan".into(), self.pilot.feasibility_plan),
            ("pilot.feasibility_households".into(), self.pilot.feasibility_households),
            ("pilot.households_full".into(), self.pilot.households_full),
            ("pilot.site_reach_m".into(), self.pilot.site_reach_m.0),
            ("pilot.max_stations".into(), self.pilot.max_stations as f64),
            ("pilot.min_station_m2".into(), self.pilot.min_station_m2.0),
            ("pilot.station_core_target".into(), self.pilot.station_core_target),
            ("pilot.min_station_people".into(), self.pilot.min_station_people),
            ("costs.new_build_yuan_per_m2".into(), self.costs.new_build_yuan_per_m2.0),
            ("costs.renovation_yuan_per_m2".into(), self.costs.renovation_yuan_per_m2.0),
            ("sites.max_kinds_small".into(), self.sites.max_kinds_small as f64),
            ("sites.base_need".into(), self.sites.base_need),
            ("sites.min_candidate_area_m2".into(), self.sites.min_candidate_area_m2.0),
            ("sites.exact_max_variables".into(), self.sites.exact_max_variables as f64),
            ("sites.exact_node_limit".into(), self.sites.exact_node_limit as f64),
            ("sites.exact_seconds".into(), self.sites.exact_seconds),
            ("priority.weight_area_gap".into(), self.priority.weight_area_gap),
            ("priority.weight_missing_core".into(), self.priority.weight_missing_core),
            ("priority.weight_uncovered".into(), self.priority.weight_uncovered),
            ("checks.max_households_per_community".into(), self.checks.max_households_per_community),
            ("checks.max_building_footprint_m2".into(), self.checks.max_building_footprint_m2),
            ("checks.max_walkway_length_m".into(), self.checks.max_walkway_length_m),
            ("checks.max_households_per_building".into(), self.checks.max_households_per_building),
            ("checks.max_floors".into(), self.checks.max_floors),
            ("checks.max_floor_area_m2".into(), self.checks.max_floor_area_m2),
            ("checks.max_community_overlap_share".into(), self.checks.max_community_overlap_share),
            ("checks.max_repair_vertices".into(), self.checks.max_repair_vertices),
            ("checks.min_share_kept".into(), self.checks.min_share_kept),
            ("groups.elderly_age".into(), self.groups.elderly_age as f64),
            ("groups.elderly_60_share".into(), self.groups.elderly_60_share),
            ("groups.elderly_65_share".into(), self.groups.elderly_65_share),
            ("groups.infants_share".into(), self.groups.infants_share),
            ("groups.children_share".into(), self.groups.children_share),
        ];
        for s in &self.access.decay {
            v.push(("access.decay.minutes".into(), s.minutes));
            v.push(("access.decay.weight".into(), s.weight));
        }
        for c in &self.walking.circles {
            v.push(("walking.circles.minutes".into(), c.minutes.0));
            v.push(("walking.circles.radius_m".into(), c.radius_m.0));
        }
        for d in self.kinds.defs() {
            if let Some(a) = d.site_area_m2 {
                v.push((format!("kinds.{}.site_area_m2", d.code), a.0));
            }
        }
        v
    }
}

/// The range of a key of [`PROFILE_RANGES`].
/// A kind's value (`kinds.canteen.site_area_m2`) has the range of `kinds.site_area_m2`.
fn range_of(key: &str) -> (f64, f64) {
    let find = |key: &str| PROFILE_RANGES.iter().find(|(k, _, _)| *k == key).map(|(_, lo, hi)| (*lo, *hi));
    let of_kind = || {
        let rest = key.strip_prefix("kinds.")?;
        find(&format!("kinds.{}", rest.rsplit_once('.')?.1))
    };
    find(key).or_else(of_kind).unwrap_or((f64::MIN, f64::MAX))
}

/// At most this many kinds may have a `site_area_m2`: site selection weighs every subset
/// of them for each candidate (2¹² = 4,096).
pub const MAX_CONVERTIBLE_KINDS: usize = 12;

/// The line (1-based) of a dotted key in TOML text: `key = …` under the table `[a.b]`
/// (or `[[a.b]]`), or written out as `b.key = …` under `[a]`, or in an inline table
/// `key = { k = … }`.
fn line_of(text: &str, dotted: &str) -> Option<usize> {
    if let Some(rest) = dotted.strip_prefix("kinds.") {
        return kind_line_of(text, rest);
    }
    let (table, key) = dotted.rsplit_once('.')?;
    let mut current = String::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.split('#').next().unwrap_or("").trim();
        if let Some(h) = l.strip_prefix('[') {
            current = h.trim_start_matches('[').trim_end_matches(']').trim().to_string();
            continue;
        }
        let Some((lhs, rhs)) = l.split_once('=') else { continue };
        let lhs = lhs.trim();
        let full = if current.is_empty() { lhs.to_string() } else { format!("{current}.{lhs}") };
        if full == dotted || (full == table && rhs.contains(key)) {
            return Some(i + 1);
        }
    }
    None
}

/// The line of `key` in the `[[kinds]]` block whose code is `code` (`rest` is `code.key`).
fn kind_line_of(text: &str, rest: &str) -> Option<usize> {
    let (code, key) = rest.rsplit_once('.')?;
    let mut in_block = false;
    let mut code_matches = false;
    let mut candidate = None;
    for (i, raw) in text.lines().enumerate() {
        let l = raw.split('#').next().unwrap_or("").trim();
        if l.starts_with('[') {
            if in_block && code_matches && candidate.is_some() {
                return candidate;
            }
            in_block = l == "[[kinds]]";
            code_matches = false;
            candidate = None;
            continue;
        }
        let Some((lhs, rhs)) = l.split_once('=') else { continue };
        if !in_block {
            continue;
        }
        match lhs.trim() {
            "code" => code_matches = rhs.trim().trim_matches('"') == code,
            k if k == key => candidate = Some(i + 1),
            _ => {}
        }
    }
    (in_block && code_matches).then_some(candidate).flatten()
}

/// The line of the key a deserialisation error names (toml says e.g. "… in `area.x`").
fn locate_error(message: &str, text: &str) -> Option<usize> {
    let mut parts = message.rsplit('`');
    parts.next()?;
    line_of(text, parts.next()?)
}

/// The user's `[[kinds]]` into the base list: by code, or instead of it.
fn merge_kinds(base: &mut toml::Table, entries: Vec<toml::Value>, replace: bool) -> Result<(), Text> {
    let list = match base.get_mut("kinds") {
        Some(toml::Value::Array(list)) => list,
        _ => return Err(Text::new("基础规则配置中没有服务类型", "the base profile has no kinds")),
    };
    if replace {
        list.clear();
    }
    for entry in entries {
        let toml::Value::Table(user) = entry else {
            return Err(Text::new("每个 [[kinds]] 条目须为表", "every [[kinds]] entry must be a table"));
        };
        let Some(code) = user.get("code").and_then(|c| c.as_str()).map(str::to_string) else {
            return Err(Text::new("有一个 [[kinds]] 条目没有 code", "a [[kinds]] entry has no code"));
        };
        let existing = list.iter_mut().find_map(|v| match v {
            toml::Value::Table(t) if t.get("code").and_then(|c| c.as_str()) == Some(code.as_str()) => Some(t),
            _ => None,
        });
        match existing {
            Some(t) => merge(t, user),
            None => list.push(toml::Value::Table(user)),
        }
    }
    Ok(())
}

fn merge(base: &mut toml::Table, user: toml::Table) {
    for (k, v) in user {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(u)) => merge(b, u),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profile_holds_the_seed_numbers() {
        let p = Profile::builtin();
        assert_eq!(p.area.per_100_households_m2, SquareMetres(30.0));
        assert_eq!(p.area.per_100_households_capable_m2, SquareMetres(80.0));
        assert_eq!(p.complex.min_area_m2, SquareMetres(600.0));
        assert_eq!(p.complex.preferred_area_m2, SquareMetres(800.0));
        assert_eq!(p.functions.min_functions, 3);
        assert_eq!(p.functions.min_core, 2);
        assert_eq!(p.kinds.len(), 9);
        assert_eq!(p.kinds.core().len(), 4);
        let kind = |code| p.kinds.by_code(code).unwrap();
        assert_eq!(p.circle_of(kind("fitness")).radius_m, Metres(1000.0));
        assert_eq!(p.circle_of(kind("elderly_care")).radius_m, Metres(300.0));
        assert_eq!(p.largest_radius(), Metres(1000.0));
    }

    #[test]
    fn overrides_replace_single_keys_and_keep_the_rest() {
        let p = Profile::builtin().with_overrides("[area]\nper_100_households_m2 = 35.0\n", "user.toml").unwrap();
        assert_eq!(p.area.per_100_households_m2, SquareMetres(35.0));
        assert_eq!(p.area.per_100_households_capable_m2, SquareMetres(80.0));
        assert_eq!(p.complex, Profile::builtin().complex);
    }

    #[test]
    fn unknown_keys_and_bad_circles_are_errors_naming_the_file() {
        let e = Profile::builtin()
            .with_overrides("[area]\nper_100_households = 35.0\n", "user.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("user.toml") && e.contains("per_100_households"), "{e}");
        let e = Profile::builtin()
            .with_overrides("[[kinds]]\ncode = \"fitness\"\ncircle = \"20min\"\n", "u.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("20min"), "{e}");
    }

    #[test]
    fn impossible_values_name_the_file_the_key_its_line_and_the_range() {
        let cases = [
            ("[network]\ncoverage_buffer_m = -30\n", "network.coverage_buffer_m", 2),
            ("[network]\ncoverage_buffer_m = 0\n", "network.coverage_buffer_m", 2),
            ("# a comment\n[network]\ncoverage_buffer_m = 0.01\n", "network.coverage_buffer_m", 3),
            ("[network]\nmax_access_m = -1\n", "network.max_access_m", 2),
            ("[priority]\nweight_area_gap = -0.4\n", "priority.weight_area_gap", 2),
            ("[functions]\nmin_core = 7\n", "functions.min_core", 2),
            ("[complex]\nmin_area_m2 = 900.0\n", "complex.preferred_area_m2", 0),
            ("[area]\nper_100_households_capable_m2 = 20.0\n", "area.per_100_households_capable_m2", 2),
            ("[walking]\nsteps_factor = 0.5\n", "walking.steps_factor", 2),
            ("[[kinds]]\ncode = \"canteen\"\nsite_area_m2 = 0.0\n", "kinds.canteen.site_area_m2", 3),
            (
                "[priority]\nweight_area_gap = 0\nweight_missing_core = 0\nweight_uncovered = 0\n",
                "priority.weight_area_gap",
                2,
            ),
        ];
        for (text, key, line) in cases {
            let e = Profile::builtin().with_overrides(text, "mine.toml").unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains("mine.toml") && msg.contains(key) && msg.contains("超出允许范围"), "{text}: {msg}");
            match e {
                ProfileError::OutOfRange { line: l, range, .. } => {
                    assert_eq!(l, (line > 0).then_some(line), "{text}: {msg}");
                    assert!(range.contains('–'), "{range}");
                }
                _ => panic!("{text}: {msg}"),
            }
        }
    }

    #[test]
    fn user_kinds_change_add_or_replace_the_list() {
        let base = Profile::builtin();
        let drone = "[[kinds]]\ncode = \"drone_pad\"\nzh = \"低空起降点\"\nen = \"drone pad\"\n\
                     aliases = [\"起降场\"]\ncircle = \"15min\"\nmetric = \"euclidean\"\ncolour = \"#5b6ee1\"\n";
        let p = base.with_overrides(drone, "mine.toml").unwrap();
        assert_eq!(p.kinds.len(), 10);
        let pad = p.kinds.parse("起降场").unwrap();
        assert_eq!((pad.index(), p.kinds.code(pad)), (9, "drone_pad"));
        assert_eq!(p.kinds.def(pad).metric, crate::KindMetric::Euclidean);
        assert!(!p.kinds.def(pad).core && !p.kinds.def(pad).counts_for_area);
        assert_eq!(p.circle_of(pad).radius_m, Metres(1000.0));
        // the nine keep their order and values
        assert_eq!(&p.kinds.defs()[..9], base.kinds.defs());

        let p = base.with_overrides("[[kinds]]\ncode = \"fitness\"\ncircle = \"10min\"\n", "m.toml").unwrap();
        assert_eq!(p.circle_of(p.kinds.by_code("fitness").unwrap()).radius_m, Metres(500.0));
        assert_eq!(p.kinds.len(), 9);

        // the rules must still fit the new list: no core kind left for min_core = 2
        let only = format!("replace_kinds = true\n[support]\nsubsidised_kind = \"\"\n{drone}");
        let e = base.with_overrides(&only, "m.toml").unwrap_err().to_string();
        assert!(e.contains("functions.min_functions") || e.contains("functions.min_core"), "{e}");
        let only = format!(
            "replace_kinds = true\n[support]\nsubsidised_kind = \"\"\n[sites]\nmax_kinds_small = 1\n[functions]\n\
             min_core = 0\nmin_functions = 0\nmin_core_non_centralised = 0\n{drone}"
        );
        let p = base.with_overrides(&only, "m.toml").unwrap();
        assert_eq!(p.kinds.len(), 1);
    }

    #[test]
    fn bad_kinds_are_errors_naming_the_kind() {
        let cases = [
            (
                "[[kinds]]\ncode = \"Drone Pad\"\nzh = \"a\"\nen = \"b\"\ncircle = \"5min\"\ncolour = \"#000000\"\n",
                "snake_case",
            ),
            (
                "[[kinds]]\ncode = \"pad\"\nzh = \"养老服务\"\nen = \"b\"\ncircle = \"5min\"\ncolour = \"#000000\"\n",
                "names both",
            ),
            ("[[kinds]]\ncode = \"pad\"\nzh = \"a\"\nen = \"b\"\ncircle = \"7min\"\ncolour = \"#000000\"\n", "7min"),
            ("[[kinds]]\ncode = \"pad\"\nzh = \"a\"\nen = \"b\"\ncircle = \"5min\"\ncolour = \"blue\"\n", "#rrggbb"),
            ("[[kinds]]\ncode = \"pad\"\nzh = \"a\"\nen = \"b\"\ncolour = \"#000000\"\n", "circle"),
            ("[[kinds]]\nzh = \"a\"\n", "no code"),
        ];
        for (text, want) in cases {
            let e = Profile::builtin().with_overrides(text, "mine.toml").unwrap_err().message(Lang::En);
            assert!(e.contains("mine.toml") && e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn type_errors_cite_the_users_line_not_a_merged_text() {
        let text = "\n\n[network]\nmax_access_m = \"far\"\n";
        let e = Profile::builtin().with_overrides(text, "mine.toml").unwrap_err().message(Lang::En);
        assert!(e.contains("line 4") && e.contains("max_access_m"), "{e}");
        let zh = Profile::builtin().with_overrides(text, "mine.toml").unwrap_err().to_string();
        assert!(zh.contains("第 4 行") && !zh.contains("line 4"), "{zh}");
        assert!(!e.contains("line 1") && !e.contains("line 5"), "{e}");
    }

    #[test]
    fn every_range_is_documented_in_the_readme_and_the_builtin_values_are_inside() {
        let readme = include_str!("../../../README.md");
        for (key, lo, hi) in PROFILE_RANGES {
            let row = format!("| `{key}` | {lo} – {hi} |");
            assert!(readme.contains(&row), "README's profile table lacks {row}");
        }
        Profile::builtin().validate("builtin", "").unwrap();
    }

    #[test]
    fn printed_profile_parses_back_identically() {
        let p = Profile::builtin();
        assert_eq!(Profile::parse(&p.to_toml(), "round trip").unwrap(), p);
    }
}
