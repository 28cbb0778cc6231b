//! The profile: every number of the rules, read from TOML, never written in code.
//!
//! The built-in profile is `data/profiles/chongqing-2024.toml`, embedded in the binary.
//! A user file overrides any value of it, key by key ([`Profile::with_overrides`]).

use crate::{Metres, MetresPerMinute, Minutes, ServiceKind, SquareMetres};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Pilot scale.
    pub pilot: PilotScale,
    /// Site recommendations.
    pub sites: SiteRules,
    /// Weights of the priority score.
    pub priority: PriorityWeights,
}

/// Floor area per 100 households (每百户面积).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaRules {
    /// Standard for every community, m² per 100 households.
    pub per_100_households_m2: SquareMetres,
    /// Standard for communities marked 有条件, m² per 100 households.
    pub per_100_households_capable_m2: SquareMetres,
    /// Kinds whose facilities count towards the area.
    pub counted_kinds: Vec<ServiceKind>,
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
    /// The main kinds of which `min_functions` must be present.
    pub main_kinds: Vec<ServiceKind>,
    /// How many main kinds a centralised community needs.
    pub min_functions: u32,
    /// The core kinds (一老一小).
    pub core_kinds: Vec<ServiceKind>,
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

/// Walking rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkingRules {
    /// Walking speed.
    pub speed_m_per_min: MetresPerMinute,
    /// Cost factor of stairs.
    pub steps_factor: f64,
    /// The circles, smallest first.
    pub circles: Vec<Circle>,
    /// The circle of each kind, by circle name.
    pub kind_circle: BTreeMap<ServiceKind, String>,
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
}

/// Support-policy amounts (以奖代补), yuan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportAmounts {
    /// Per street elderly-care centre.
    pub street_elderly_centre_yuan: f64,
    /// Per community elderly-care station.
    pub community_elderly_station_yuan: f64,
    /// Per township elderly-care centre.
    pub township_elderly_centre_yuan: f64,
}

/// Pilot scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PilotScale {
    /// Pilot communities city-wide.
    pub communities_total: u32,
    /// Started by 2025.
    pub communities_by_2025: u32,
}

/// How idle buildings are converted in site recommendations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRules {
    /// Floor area each kind needs, m².
    pub kind_area_m2: BTreeMap<ServiceKind, SquareMetres>,
    /// Most kinds a site below the complex minimum hosts.
    pub max_kinds_small: u32,
    /// Weight every household has, plus its community's priority score.
    pub base_need: f64,
    /// Smallest floor area of an OSM candidate, m².
    pub min_candidate_area_m2: SquareMetres,
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
}

/// Why a profile could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The TOML did not parse or did not fit the profile's shape.
    #[error("profile {source_name}: {message}")]
    Invalid {
        /// Where the text came from.
        source_name: String,
        /// What is wrong.
        message: String,
    },
}

impl Profile {
    /// The built-in `chongqing-2024` profile.
    pub fn builtin() -> Profile {
        Self::parse(BUILTIN_CHONGQING_2024, "chongqing-2024 (built in)").expect("the built-in profile is valid")
    }

    /// Parses a complete profile from TOML text.
    pub fn parse(text: &str, source_name: &str) -> Result<Profile, ProfileError> {
        let p: Profile = toml::from_str(text)
            .map_err(|e| ProfileError::Invalid { source_name: source_name.to_string(), message: e.to_string() })?;
        p.validate(source_name)?;
        Ok(p)
    }

    /// This profile with the keys of `overrides` (TOML text, any subset of the keys)
    /// replacing its own. Unknown keys and wrong types are errors.
    pub fn with_overrides(&self, overrides: &str, source_name: &str) -> Result<Profile, ProfileError> {
        let invalid = |message: String| ProfileError::Invalid { source_name: source_name.to_string(), message };
        let mut base = toml::Table::try_from(self).map_err(|e| invalid(e.to_string()))?;
        let user: toml::Table = toml::from_str(overrides).map_err(|e| invalid(e.to_string()))?;
        merge(&mut base, user);
        let text = toml::to_string(&base).map_err(|e| invalid(e.to_string()))?;
        Self::parse(&text, source_name)
    }

    /// The profile as TOML text.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a profile always serialises")
    }

    /// The circle a kind must be reached within.
    pub fn circle_of(&self, kind: ServiceKind) -> &Circle {
        let name = &self.walking.kind_circle[&kind];
        self.walking.circles.iter().find(|c| &c.name == name).expect("validated: every kind names an existing circle")
    }

    /// The largest circle radius (the cut-off of every search).
    pub fn largest_radius(&self) -> Metres {
        self.walking.circles.iter().map(|c| c.radius_m).fold(Metres::ZERO, |a, b| if b.0 > a.0 { b } else { a })
    }

    fn validate(&self, source_name: &str) -> Result<(), ProfileError> {
        let fail = |message: String| Err(ProfileError::Invalid { source_name: source_name.to_string(), message });
        if self.walking.circles.is_empty() {
            return fail("walking.circles is empty".into());
        }
        for c in &self.walking.circles {
            if !(c.radius_m.0 > 0.0 && c.radius_m.0.is_finite()) {
                return fail(format!("walking circle {:?}: radius_m must be > 0", c.name));
            }
        }
        for k in ServiceKind::ALL {
            if !self.sites.kind_area_m2.get(&k).is_some_and(|a| a.0 > 0.0) {
                return fail(format!("sites.kind_area_m2 has no positive area for {}", k.code()));
            }
            match self.walking.kind_circle.get(&k) {
                None => return fail(format!("walking.kind_circle has no entry for {}", k.code())),
                Some(name) if !self.walking.circles.iter().any(|c| &c.name == name) => {
                    return fail(format!(
                        "walking.kind_circle.{} names circle {name:?}, which walking.circles does not define",
                        k.code()
                    ))
                }
                Some(_) => {}
            }
        }
        let positive = [
            ("area.per_100_households_m2", self.area.per_100_households_m2.0),
            ("area.per_100_households_capable_m2", self.area.per_100_households_capable_m2.0),
            ("walking.speed_m_per_min", self.walking.speed_m_per_min.0),
            ("walking.steps_factor", self.walking.steps_factor),
            ("households.floor_area_per_household_m2", self.households.floor_area_per_household_m2.0),
            ("households.default_floors", self.households.default_floors),
        ];
        for (key, v) in positive {
            if !(v > 0.0 && v.is_finite()) {
                return fail(format!("{key} must be a positive number, found {v}"));
            }
        }
        Ok(())
    }
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
        assert_eq!(p.functions.main_kinds.len(), 8);
        assert_eq!(p.circle_of(ServiceKind::Fitness).radius_m, Metres(1000.0));
        assert_eq!(p.circle_of(ServiceKind::ElderlyCare).radius_m, Metres(300.0));
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
            .with_overrides("[walking.kind_circle]\nfitness = \"20min\"\n", "u.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("20min"), "{e}");
    }

    #[test]
    fn printed_profile_parses_back_identically() {
        let p = Profile::builtin();
        assert_eq!(Profile::parse(&p.to_toml(), "round trip").unwrap(), p);
    }
}
