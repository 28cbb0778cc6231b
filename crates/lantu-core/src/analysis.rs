//! The gap analysis: floor area, complexes, functions, walking coverage and priority,
//! per community and per street.

use crate::{
    Assignment, Circle, CommunityId, Dataset, DistanceMetric, Households, Kinds, Lang, Metres, People, Profile,
    ServiceKind, SquareMetres, StreetId, TargetGroup, Text,
};
use std::collections::HashMap;

/// Per kind, in the order of the profile's kinds (index with [`ServiceKind::index`]).
pub type PerKind<T> = Vec<T>;

/// The distance from every building to the nearest facility of every kind (`None`
/// beyond the largest circle or unreachable), stored kind by kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BuildingDistances {
    by_kind: Vec<Vec<Option<Metres>>>,
}

impl BuildingDistances {
    /// From one list per kind, each with one entry per building.
    pub fn new(by_kind: Vec<Vec<Option<Metres>>>) -> BuildingDistances {
        BuildingDistances { by_kind }
    }
    /// The distance from building `b` (index) to kind `k`.
    pub fn get(&self, b: usize, k: ServiceKind) -> Option<Metres> {
        self.by_kind[k.index()][b]
    }
    /// Every building's distance to kind `k`.
    pub fn of_kind(&self, k: ServiceKind) -> &[Option<Metres>] {
        &self.by_kind[k.index()]
    }
}

/// Everything the analysis found about one community.
#[derive(Clone, Debug, PartialEq)]
pub struct CommunityFigures {
    /// The community.
    pub id: CommunityId,
    /// Its street.
    pub street: Option<StreetId>,
    /// Households (given or estimated).
    pub households: Option<Households>,
    /// Whether `households` is an estimate.
    pub households_estimated: bool,
    /// Where the households came from (given, grid, floor area, the buildings' sum).
    pub households_source: crate::HouseholdSource,
    /// Service floor area counted for the community (shared facilities split).
    pub facility_area: SquareMetres,
    /// Floor area per 100 households; `None` without households.
    pub area_per_100hh: Option<SquareMetres>,
    /// The standard that applies, per 100 households (30, or 80 where 有条件).
    pub area_standard: SquareMetres,
    /// Floor area the standard asks for.
    pub area_required: Option<SquareMetres>,
    /// How much floor area is missing (0 when met); `None` without households.
    pub area_gap: Option<SquareMetres>,
    /// The largest complex (a facility marked as complex, or facilities in one building).
    pub largest_complex: SquareMetres,
    /// Largest complex ≥ the minimum (600 m²).
    pub complex_meets_min: bool,
    /// Largest complex ≥ the preferred size (800 m²).
    pub complex_meets_preferred: bool,
    /// Kinds present (own and shared facilities).
    pub functions: Vec<ServiceKind>,
    /// How many of the counted function kinds are present.
    pub functions_count: u32,
    /// How many core (一老一小) kinds are present.
    pub core_functions_count: u32,
    /// How many core kinds the rule that applies asks for.
    pub core_required: u32,
    /// Whether the configuration rule holds.
    pub config_ok: bool,
    /// Why it does not.
    pub config_reason: Option<Text>,
    /// Share (0–1) of the households within each kind's circle; `None` without households.
    pub coverage: PerKind<Option<f64>>,
    /// Its people, all and per target group (given, or estimated from shares).
    pub people: People,
    /// Per kind: the people of the group it serves within its circle.
    pub people_in_reach: PerKind<Option<f64>>,
    /// Per kind: their share of that group (0–1).
    pub coverage_people: PerKind<Option<f64>>,
    /// Per kind counted by capacity: places per 1,000 people (E2SFCA, see
    /// [`crate::add_places`]); `None` for other kinds, before it is added or without people.
    pub places_per_1000: PerKind<Option<f64>>,
    /// The same on flat ground (no slope), when the network was priced with a DEM.
    pub coverage_flat: Option<PerKind<Option<f64>>>,
    /// The same barrier-free (no stairs without a ramp, nothing steeper than the profile's
    /// grade), when the walking network was used.
    pub coverage_accessible: Option<PerKind<Option<f64>>>,
    /// Households with no core kind within its circle.
    pub uncovered_households: Households,
    /// The same barrier-free, when computed.
    pub uncovered_households_accessible: Option<Households>,
    /// The priority score (higher: more in need).
    pub priority_score: f64,
    /// 1 = most in need.
    pub priority_rank: u32,
    /// Remarks (why a figure is empty).
    pub remarks: Vec<Text>,
}

impl CommunityFigures {
    /// The code and name of the community's street: the street it was assigned to, else
    /// what its own row says (empty when neither).
    pub fn street_code_and_name(&self, d: &Dataset) -> (String, String) {
        let c = d.community(self.id);
        let s = self.street.map(|s| &d.streets[s.index()]);
        (
            s.map(|s| s.code.clone()).or_else(|| c.street_code.clone()).unwrap_or_default(),
            s.map(|s| s.name.clone()).or_else(|| c.street_name.clone()).unwrap_or_default(),
        )
    }
}

/// The figures of one street, rolled up from its communities.
#[derive(Clone, Debug, PartialEq)]
pub struct StreetFigures {
    /// The street (`None`: communities with no street).
    pub id: Option<StreetId>,
    /// Its communities.
    pub communities: Vec<CommunityId>,
    /// Households.
    pub households: Households,
    /// Whether any household count is an estimate.
    pub households_estimated: bool,
    /// Facility floor area.
    pub facility_area: SquareMetres,
    /// Floor area per 100 households (over communities with households).
    pub area_per_100hh: Option<SquareMetres>,
    /// Floor area the standards ask for.
    pub area_required: SquareMetres,
    /// Sum of the communities' gaps (a surplus in one does not fill another's gap).
    pub area_gap: SquareMetres,
    /// Communities below their area standard.
    pub fail_area: u32,
    /// Communities whose largest complex is below the minimum.
    pub fail_complex: u32,
    /// Communities failing the configuration rule.
    pub fail_config: u32,
    /// Household-weighted coverage per kind.
    pub coverage: PerKind<Option<f64>>,
    /// The same barrier-free, when computed.
    pub coverage_accessible: Option<PerKind<Option<f64>>>,
    /// Households with no core kind in reach.
    pub uncovered_households: Households,
    /// Its people, summed over its communities.
    pub people: People,
    /// Per kind: the people of its group within its circle.
    pub people_in_reach: PerKind<Option<f64>>,
    /// Per kind: their share of the group (0–1).
    pub coverage_people: PerKind<Option<f64>>,
    /// Per kind counted by capacity: places per 1,000 people (E2SFCA).
    pub places_per_1000: PerKind<Option<f64>>,
}

impl StreetFigures {
    /// The street's boundary: given, or dissolved from its communities (`None` for the
    /// row of communities without a street).
    pub fn boundary(&self, d: &Dataset) -> Option<geo::MultiPolygon> {
        if let Some(b) = self.id.and_then(|id| d.streets[id.index()].boundary.clone()) {
            return Some(b);
        }
        if self.communities.is_empty() || self.id.is_none() {
            return None;
        }
        Some(geo::unary_union(self.communities.iter().flat_map(|c| d.community(*c).boundary.0.iter())))
    }
}

/// The result of [`analyze`].
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// The metric used (`euclidean`, `network`).
    pub metric: &'static str,
    /// The service kinds of the profile the analysis ran with.
    pub kinds: Kinds,
    /// The circle of each kind.
    pub circles: PerKind<Circle>,
    /// Per building, per kind: distance to the nearest facility.
    pub building_distances: BuildingDistances,
    /// Per community.
    pub communities: Vec<CommunityFigures>,
    /// Per street, then one row for communities without a street if any.
    pub streets: Vec<StreetFigures>,
    /// Per facility: the floor area counted for each community (shared ones split).
    pub facility_shares: Vec<Vec<(CommunityId, SquareMetres)>>,
    /// Per building, per kind: the barrier-free distance, when computed.
    pub building_distances_accessible: Option<BuildingDistances>,
    /// Per kind counted by capacity, how its facilities' places were counted (after
    /// [`crate::add_places`]).
    pub places: PerKind<Option<crate::PlacesCount>>,
}

impl Analysis {
    /// Whether building `b` (index) has kind `k` within the kind's circle.
    pub fn covered(&self, b: usize, k: ServiceKind) -> bool {
        self.circles[k.index()].covers(self.building_distances.get(b, k))
    }

    /// The same barrier-free, when computed.
    pub fn covered_accessible(&self, b: usize, k: ServiceKind) -> Option<bool> {
        let d = self.building_distances_accessible.as_ref()?;
        Some(self.circles[k.index()].covers(d.get(b, k)))
    }

    /// Adds the figures of the same analysis run barrier-free (`accessible`: the walking
    /// network priced for wheelchairs, walking frames and prams). With
    /// `priority.use_accessible`, the priority follows the barrier-free uncovered
    /// households (the other terms are the same in both runs).
    pub fn add_accessible(&mut self, accessible: Analysis, profile: &Profile) {
        for (c, a) in self.communities.iter_mut().zip(&accessible.communities) {
            c.coverage_accessible = Some(a.coverage.clone());
            c.uncovered_households_accessible = Some(a.uncovered_households);
            if profile.priority.use_accessible {
                c.priority_score = a.priority_score;
                c.priority_rank = a.priority_rank;
            }
        }
        for (s, a) in self.streets.iter_mut().zip(&accessible.streets) {
            s.coverage_accessible = Some(a.coverage.clone());
        }
        self.building_distances_accessible = Some(accessible.building_distances);
    }
}

/// Runs the gap analysis on a dataset whose households are derived
/// ([`crate::derive_households`]) and whose objects are assigned.
pub fn analyze(d: &Dataset, a: &Assignment, profile: &Profile, metric: &dyn DistanceMetric) -> Analysis {
    let kinds = &profile.kinds;
    let areas = floor_areas(d, a, kinds);
    let largest_complex = largest_complexes(d, a);
    // walking distances from each building's best entrance, or a point inside it
    let targets: Vec<Vec<geo::Point>> = kinds
        .all()
        .map(|k| d.facilities.iter().filter(|f| f.kinds.contains(&k)).map(|f| f.location).collect())
        .collect();
    let building_distances =
        BuildingDistances::new(crate::nearest_by_kind(metric, kinds, &d.buildings, &targets, profile.largest_radius()));
    let circles = profile.circles_by_kind();
    let reach = households_in_reach(d, a, kinds, &circles, &building_distances);
    let mut communities = community_figures(d, a, profile, &areas, &largest_complex, &reach);
    rank_by_priority(&mut communities, d, profile, &reach.all);
    let streets = street_figures(d, &communities, &reach, kinds);
    Analysis {
        metric: metric.name(),
        kinds: kinds.clone(),
        circles,
        building_distances,
        communities,
        streets,
        facility_shares: areas.facility_shares,
        building_distances_accessible: None,
        places: vec![None; kinds.len()],
    }
}

/// Per community: the counted floor area and the kinds present; per facility its shares.
struct FloorAreas {
    area: Vec<f64>,
    kinds_present: Vec<Vec<ServiceKind>>,
    facility_shares: Vec<Vec<(CommunityId, SquareMetres)>>,
}

/// Floor area and functions, with shared facilities split by households.
fn floor_areas(d: &Dataset, a: &Assignment, kinds: &Kinds) -> FloorAreas {
    let n = d.communities.len();
    let code_index: HashMap<&str, CommunityId> = d.communities.iter().map(|c| (c.code.as_str(), c.id)).collect();
    let hh = |c: CommunityId| d.community(c).households.map_or(0.0, |h| h.0);
    let mut area = vec![0.0; n];
    let mut kinds_present: Vec<Vec<ServiceKind>> = vec![Vec::new(); n];
    let mut facility_shares = Vec::with_capacity(d.facilities.len());
    for (f, host) in d.facilities.iter().zip(&a.facility_community) {
        let mut sharers: Vec<CommunityId> = host.iter().copied().collect();
        for code in &f.shared_by {
            if let Some(&c) = code_index.get(code.as_str()) {
                if !sharers.contains(&c) {
                    sharers.push(c);
                }
            }
        }
        let counts = f.kinds.iter().any(|k| kinds.def(*k).counts_for_area);
        let total_area = f.floor_area.map_or(0.0, |a| a.0);
        let weight_sum: f64 = sharers.iter().map(|&c| hh(c)).sum();
        let mut shares = Vec::new();
        for &c in &sharers {
            let share = if weight_sum > 0.0 { hh(c) / weight_sum } else { 1.0 / sharers.len() as f64 };
            let part = if counts { total_area * share } else { 0.0 };
            area[c.index()] += part;
            shares.push((c, SquareMetres(part)));
            for k in &f.kinds {
                if !kinds_present[c.index()].contains(k) {
                    kinds_present[c.index()].push(*k);
                }
            }
        }
        facility_shares.push(shares);
    }
    FloorAreas { area, kinds_present, facility_shares }
}

/// The largest complex per community: marked facilities, and facilities sharing a building.
fn largest_complexes(d: &Dataset, a: &Assignment) -> Vec<f64> {
    let n = d.communities.len();
    let mut largest_complex = vec![0.0f64; n];
    let mut by_building: HashMap<usize, (f64, usize, Option<CommunityId>)> = HashMap::new();
    for ((f, host), building) in d.facilities.iter().zip(&a.facility_community).zip(&a.facility_building) {
        let fa = f.floor_area.map_or(0.0, |a| a.0);
        if let (true, Some(c)) = (f.complex, host) {
            largest_complex[c.index()] = largest_complex[c.index()].max(fa);
        }
        if let Some(b) = building {
            let e = by_building.entry(b.index()).or_insert((0.0, 0, *host));
            e.0 += fa;
            e.1 += 1;
        }
    }
    for (total, count, host) in by_building.values() {
        if let (true, Some(c)) = (*count >= 2, host) {
            largest_complex[c.index()] = largest_complex[c.index()].max(*total);
        }
    }
    largest_complex
}

/// Households per community: all, within each kind's circle, and with no core kind in reach.
struct Reach {
    all: Vec<f64>,
    by_kind: Vec<Vec<f64>>,
    uncovered: Vec<f64>,
}

fn households_in_reach(
    d: &Dataset,
    a: &Assignment,
    kinds: &Kinds,
    circles: &[Circle],
    distances: &BuildingDistances,
) -> Reach {
    let (n, nk) = (d.communities.len(), kinds.len());
    let core = kinds.core();
    let covered = |b: usize, k: ServiceKind| circles[k.index()].covers(distances.get(b, k));
    let mut r = Reach { all: vec![0.0; n], by_kind: vec![vec![0.0; nk]; n], uncovered: vec![0.0; n] };
    for (bi, (b, c)) in d.buildings.iter().zip(&a.building_community).enumerate() {
        let (Some(c), Some(h)) = (c, b.households) else {
            continue;
        };
        r.all[c.index()] += h.0;
        for (k, slot) in kinds.all().zip(r.by_kind[c.index()].iter_mut()) {
            if covered(bi, k) {
                *slot += h.0;
            }
        }
        if !core.iter().any(|k| covered(bi, *k)) {
            r.uncovered[c.index()] += h.0;
        }
    }
    r
}

/// Every community's figures against the rules (priority still to rank).
fn community_figures(
    d: &Dataset,
    a: &Assignment,
    profile: &Profile,
    areas: &FloorAreas,
    largest_complex: &[f64],
    reach: &Reach,
) -> Vec<CommunityFigures> {
    let kinds = &profile.kinds;
    let nk = kinds.len();
    let core = kinds.core();
    let (area, kinds_present) = (&areas.area, &areas.kinds_present);
    let (all_hh, cov_hh, uncovered) = (&reach.all, &reach.by_kind, &reach.uncovered);
    let rules = &profile.functions;
    let function_kinds: Vec<ServiceKind> = kinds.all().filter(|k| kinds.def(*k).counts_as_function()).collect();
    d.communities
        .iter()
        .map(|c| {
            let i = c.id.index();
            let standard =
                if c.capable { profile.area.per_100_households_capable_m2 } else { profile.area.per_100_households_m2 };
            let households = c.households.filter(|h| h.0 > 0.0);
            let people = People::of_community(c, households, &profile.groups, profile.households.persons_per_household);
            let mut remarks = Vec::new();
            if households.is_none() {
                remarks.push(Text::new(
                    "户数缺失或不大于 0：每百户面积与缺口无法计算",
                    "households missing or not above 0: area per 100 households and the gap cannot be computed",
                ));
            }
            let required = households.map(|h| standard * (h.0 / 100.0));
            let mut functions = kinds_present[i].clone();
            functions.sort();
            let present: Vec<ServiceKind> = functions.iter().copied().filter(|k| function_kinds.contains(k)).collect();
            let core_present: Vec<ServiceKind> = functions.iter().copied().filter(|k| core.contains(k)).collect();
            let core_required = if c.centralised { rules.min_core } else { rules.min_core_non_centralised };
            let (config_ok, config_reason) = config_rule(c.centralised, &present, &core_present, profile);
            let coverage: PerKind<Option<f64>> =
                (0..nk).map(|k| (all_hh[i] > 0.0).then(|| cov_hh[i][k] / all_hh[i])).collect();
            if all_hh[i] <= 0.0 {
                remarks.push(Text::new(
                    "社区内无有户数的住宅建筑：步行覆盖无法计算",
                    "no residential building with households in the community: walking coverage cannot be computed",
                ));
            }
            CommunityFigures {
                id: c.id,
                street: a.community_street.get(i).copied().flatten(),
                households,
                households_estimated: c.households_source.is_estimated(),
                households_source: c.households_source,
                facility_area: SquareMetres(area[i]),
                area_per_100hh: households.map(|h| SquareMetres(area[i] / h.0 * 100.0)),
                area_standard: standard,
                area_required: required,
                area_gap: required.map(|r| SquareMetres((r.0 - area[i]).max(0.0))),
                largest_complex: SquareMetres(largest_complex[i]),
                complex_meets_min: largest_complex[i] >= profile.complex.min_area_m2.0,
                complex_meets_preferred: largest_complex[i] >= profile.complex.preferred_area_m2.0,
                functions,
                functions_count: present.len() as u32,
                core_functions_count: core_present.len() as u32,
                core_required,
                config_ok,
                config_reason,
                people_in_reach: kinds
                    .all()
                    .map(|k| {
                        let group = people.of(kinds.def(k).serves)?;
                        (all_hh[i] > 0.0).then(|| group * cov_hh[i][k.index()] / all_hh[i])
                    })
                    .collect(),
                coverage_people: kinds
                    .all()
                    .map(|k| {
                        let group = people.of(kinds.def(k).serves).filter(|g| *g > 0.0)?;
                        (all_hh[i] > 0.0).then(|| cov_hh[i][k.index()] / all_hh[i]).filter(|_| group > 0.0)
                    })
                    .collect(),
                people,
                places_per_1000: vec![None; nk],
                coverage,
                coverage_flat: None,
                coverage_accessible: None,
                uncovered_households: Households(uncovered[i]),
                uncovered_households_accessible: None,
                priority_score: 0.0,
                priority_rank: 0,
                remarks,
            }
        })
        .collect()
}

/// The priority score of every community and its rank (1 = most in need).
fn rank_by_priority(communities: &mut [CommunityFigures], d: &Dataset, profile: &Profile, all_hh: &[f64]) {
    let n = communities.len();
    let w = &profile.priority;
    for f in communities.iter_mut() {
        let gap_share = match (f.area_gap, f.area_required) {
            (Some(g), Some(r)) if r.0 > 0.0 => (g.0 / r.0).min(1.0),
            _ => 0.0,
        };
        let missing_core = f.core_required.saturating_sub(f.core_functions_count) as f64;
        let core_share = if f.core_required > 0 { (missing_core / f.core_required as f64).min(1.0) } else { 0.0 };
        let hh_total = all_hh[f.id.index()];
        let uncovered_share = if hh_total > 0.0 { f.uncovered_households.0 / hh_total } else { 0.0 };
        f.priority_score =
            w.weight_area_gap * gap_share + w.weight_missing_core * core_share + w.weight_uncovered * uncovered_share;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| {
        let (a, b) = (&communities[x], &communities[y]);
        b.priority_score
            .total_cmp(&a.priority_score)
            .then(b.households.map_or(0.0, |h| h.0).total_cmp(&a.households.map_or(0.0, |h| h.0)))
            .then(d.communities[x].code.cmp(&d.communities[y].code))
    });
    for (rank, &i) in order.iter().enumerate() {
        communities[i].priority_rank = rank as u32 + 1;
    }
}

/// Street figures rolled up from their communities, then a row for those with no street.
fn street_figures(d: &Dataset, communities: &[CommunityFigures], reach: &Reach, kinds: &Kinds) -> Vec<StreetFigures> {
    let nk = kinds.len();
    let profile_groups: Vec<TargetGroup> = kinds.defs().iter().map(|k| k.serves).collect();
    let (all_hh, cov_hh) = (&reach.all, &reach.by_kind);
    let mut street_ids: Vec<Option<StreetId>> = d.streets.iter().map(|s| Some(s.id)).collect();
    if communities.iter().any(|c| c.street.is_none()) {
        street_ids.push(None);
    }
    street_ids
        .into_iter()
        .map(|sid| {
            let members: Vec<&CommunityFigures> = communities.iter().filter(|c| c.street == sid).collect();
            let households: f64 = members.iter().filter_map(|c| c.households).map(|h| h.0).sum();
            let area_with_hh: f64 = members.iter().filter(|c| c.households.is_some()).map(|c| c.facility_area.0).sum();
            let sum_hh: f64 = members.iter().map(|c| all_hh[c.id.index()]).sum();
            StreetFigures {
                id: sid,
                communities: members.iter().map(|c| c.id).collect(),
                households: Households(households),
                households_estimated: members.iter().any(|c| c.households_estimated),
                facility_area: members.iter().map(|c| c.facility_area).sum(),
                area_per_100hh: (households > 0.0).then(|| SquareMetres(area_with_hh / households * 100.0)),
                area_required: members.iter().filter_map(|c| c.area_required).sum(),
                area_gap: members.iter().filter_map(|c| c.area_gap).sum(),
                fail_area: members.iter().filter(|c| c.area_gap.is_some_and(|g| g.0 > 0.0)).count() as u32,
                fail_complex: members.iter().filter(|c| !c.complex_meets_min).count() as u32,
                fail_config: members.iter().filter(|c| !c.config_ok).count() as u32,
                coverage: (0..nk)
                    .map(|k| {
                        (sum_hh > 0.0).then(|| members.iter().map(|c| cov_hh[c.id.index()][k]).sum::<f64>() / sum_hh)
                    })
                    .collect(),
                coverage_accessible: None,
                uncovered_households: members.iter().map(|c| c.uncovered_households).sum(),
                people: People::sum(members.iter().map(|c| &c.people)),
                people_in_reach: (0..nk).map(|k| sum_some(members.iter().map(|c| c.people_in_reach[k]))).collect(),
                coverage_people: (0..nk)
                    .map(|k| {
                        let group = profile_groups[k];
                        let people = sum_some(members.iter().map(|c| c.people.of(group)));
                        let reached = sum_some(members.iter().map(|c| c.people_in_reach[k]));
                        Some(reached? / people.filter(|p| *p > 0.0)?)
                    })
                    .collect(),
                places_per_1000: vec![None; nk],
            }
        })
        .collect()
}

/// The sum of the values that are there; `None` when none is.
fn sum_some(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values.flatten().fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}

/// "（养老服务、社区助餐）" — empty when there are none.
fn kind_list(all: &Kinds, kinds: &[ServiceKind], lang: Lang) -> String {
    if kinds.is_empty() {
        return String::new();
    }
    let (open, close) = lang.pick(("（", "）"), (" (", ")"));
    format!("{open}{}{close}", all.names(kinds, lang))
}

/// Whether the function rule holds, and why not (in both languages).
fn config_rule(
    centralised: bool,
    present: &[ServiceKind],
    core_present: &[ServiceKind],
    profile: &Profile,
) -> (bool, Option<Text>) {
    let r = &profile.functions;
    let mut zh = Vec::new();
    let mut en = Vec::new();
    let min_core = if centralised { r.min_core } else { r.min_core_non_centralised };
    if centralised && (present.len() as u32) < r.min_functions {
        zh.push(format!(
            "功能不足：仅有 {} 项{}，需 ≥{} 项",
            present.len(),
            kind_list(&profile.kinds, present, Lang::Zh),
            r.min_functions
        ));
        en.push(format!(
            "too few functions: only {}{}, at least {} needed",
            present.len(),
            kind_list(&profile.kinds, present, Lang::En),
            r.min_functions
        ));
    }
    if (core_present.len() as u32) < min_core {
        let (pz, pe) = if centralised {
            ("", "")
        } else {
            ("暂不具备集中建设条件，", "without conditions for centralised building, ")
        };
        zh.push(format!(
            "{pz}一老一小功能不足：仅有 {} 项{}，需 ≥{} 项",
            core_present.len(),
            kind_list(&profile.kinds, core_present, Lang::Zh),
            min_core
        ));
        en.push(format!(
            "{pe}too few core (elderly/child) functions: only {}{}, at least {} needed",
            core_present.len(),
            kind_list(&profile.kinds, core_present, Lang::En),
            min_core
        ));
    }
    if zh.is_empty() {
        (true, None)
    } else {
        (false, Some(Text::new(zh.join("；"), en.join("; "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::*;
    use geo::{polygon, MultiPolygon, Point};

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon {
        MultiPolygon(vec![polygon![(x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s)]])
    }

    /// A 4×4 grid of 500 m communities, random buildings and facilities, some shared.
    fn random_dataset(seed: u64) -> Dataset {
        let mut r = SeededRng::new(seed);
        let mut d = Dataset::default();
        for i in 0..16 {
            let (x, y) = ((i % 4) as f64 * 500.0, (i / 4) as f64 * 500.0);
            d.communities.push(Community {
                id: CommunityId(i),
                code: format!("C{i:02}"),
                name: format!("C{i:02}"),
                street_code: Some(format!("S{}", i / 8)),
                street_name: Some(format!("S{}", i / 8)),
                households: (r.unit() > 0.2).then(|| Households(r.range(100.0, 3000.0).round())),
                households_source: HouseholdSource::Given,
                population: None,
                elderly: None,
                infants: None,
                children: None,
                capable: r.unit() > 0.7,
                centralised: r.unit() > 0.2,
                boundary: square(x, y, 500.0),
            });
        }
        for i in 0..300 {
            d.buildings.push(Building {
                id: BuildingId(i),
                source_id: format!("B{i}"),
                footprint: square(r.range(-50.0, 2000.0), r.range(-50.0, 2000.0), r.range(8.0, 30.0)),
                residential: r.unit() > 0.15,
                floors: Some(r.range(1.0, 30.0).round()),
                households: (r.unit() > 0.8).then(|| Households(r.range(5.0, 200.0).round())),
                households_source: HouseholdSource::Given,
                compound: None,
                entrances: vec![],
                point_inside: Default::default(),
            });
        }
        for i in 0..40 {
            let kinds: Vec<ServiceKind> = Profile::builtin().kinds.all().filter(|_| r.unit() > 0.75).collect();
            if kinds.is_empty() {
                continue;
            }
            let shared_by = if r.unit() > 0.8 { vec![format!("C{:02}", (r.unit() * 16.0) as u32)] } else { vec![] };
            d.facilities.push(Facility {
                id: FacilityId(d.facilities.len() as u32),
                source_id: format!("F{i}"),
                name: format!("F{i}"),
                kinds,
                floor_area: (r.unit() > 0.1).then(|| SquareMetres(r.range(20.0, 900.0).round())),
                capacity: None,
                complex: r.unit() > 0.8,
                shared_by,
                location: Point::new(r.range(-100.0, 2100.0), r.range(-100.0, 2100.0)),
                footprint: None,
            });
        }
        d.streets = vec![
            Street { id: StreetId(0), code: "S0".into(), name: "S0".into(), boundary: None },
            Street { id: StreetId(1), code: "S1".into(), name: "S1".into(), boundary: None },
        ];
        d
    }

    fn prepared(seed: u64) -> (Dataset, Assignment) {
        let mut d = random_dataset(seed);
        let a = Assignment::compute(&d);
        derive_households(&mut d, &a.building_community, &Profile::builtin().households, None);
        (d, a)
    }

    #[test]
    fn barrier_free_figures_join_the_analysis_and_steer_priority_only_when_asked() {
        let (d, a) = prepared(3);
        let p = Profile::builtin();
        let mut ordinary = analyze(&d, &a, &p, &Euclidean);
        // a shorter reach stands in for the barrier-free walk
        let mut shorter = p.clone();
        for c in shorter.walking.circles.iter_mut() {
            c.radius_m = c.radius_m * 0.4;
        }
        let barrier_free = analyze(&d, &a, &shorter, &Euclidean);
        let ranks = |x: &Analysis| x.communities.iter().map(|c| c.priority_rank).collect::<Vec<_>>();
        assert_ne!(ranks(&ordinary), ranks(&barrier_free), "the test needs a ranking that moves");
        let before = ranks(&ordinary);
        ordinary.add_accessible(barrier_free.clone(), &p);
        assert_eq!(ranks(&ordinary), before, "priority unchanged unless the profile asks");
        for (c, b) in ordinary.communities.iter().zip(&barrier_free.communities) {
            assert_eq!(c.coverage_accessible.as_ref(), Some(&b.coverage));
            assert_eq!(c.uncovered_households_accessible, Some(b.uncovered_households));
        }
        assert!(ordinary.streets.iter().all(|s| s.coverage_accessible.is_some()));
        assert!(ordinary.building_distances_accessible.is_some());
        let mut asks = p.clone();
        asks.priority.use_accessible = true;
        let mut steered = analyze(&d, &a, &p, &Euclidean);
        steered.add_accessible(barrier_free.clone(), &asks);
        assert_eq!(ranks(&steered), ranks(&barrier_free));
    }

    #[test]
    fn no_uncovered_count_exceeds_its_total_anywhere() {
        for seed in 1..21 {
            let mut d = random_dataset(seed);
            // every other city: buildings that claim ten times as many households
            if seed % 2 == 0 {
                for b in d.buildings.iter_mut() {
                    b.households = b.households.map(|h| Households(h.0 * 10.0));
                }
            }
            let a = Assignment::compute(&d);
            derive_households(&mut d, &a.building_community, &Profile::builtin().households, None);
            let x = analyze(&d, &a, &Profile::builtin(), &Euclidean);
            for c in &x.communities {
                let total = c.households.map_or(0.0, |h| h.0);
                assert!(
                    c.uncovered_households.0 <= total + 1e-6,
                    "seed {seed} {:?}: {} of {total}",
                    c.id,
                    c.uncovered_households.0
                );
            }
            for s in &x.streets {
                assert!(s.uncovered_households.0 <= s.households.0 + 1e-6, "seed {seed} {:?}", s.id);
            }
        }
    }

    #[test]
    fn coverage_never_falls_when_a_circle_grows() {
        for seed in 1..6 {
            let (d, a) = prepared(seed);
            let p = Profile::builtin();
            let before = analyze(&d, &a, &p, &Euclidean);
            let mut bigger = p.clone();
            for c in bigger.walking.circles.iter_mut() {
                c.radius_m = c.radius_m * 1.5;
            }
            let after = analyze(&d, &a, &bigger, &Euclidean);
            for (x, y) in before.communities.iter().zip(&after.communities) {
                for k in 0..p.kinds.len() {
                    assert!(
                        y.coverage[k].unwrap_or(0.0) >= x.coverage[k].unwrap_or(0.0),
                        "seed {seed}, {:?} kind {k}",
                        x.id
                    );
                }
                assert!(y.uncovered_households.0 <= x.uncovered_households.0 + 1e-9);
            }
        }
    }

    #[test]
    fn adding_a_facility_never_raises_a_gap() {
        for seed in 1..6 {
            let (mut d, _) = prepared(seed);
            let p = Profile::builtin();
            let a = Assignment::compute(&d);
            let before = analyze(&d, &a, &p, &Euclidean);
            let mut r = SeededRng::new(seed * 7919);
            d.facilities.push(Facility {
                id: FacilityId(d.facilities.len() as u32),
                source_id: "NEW".into(),
                name: "NEW".into(),
                kinds: ["elderly_care", "canteen"].map(|c| p.kinds.by_code(c).unwrap()).to_vec(),
                floor_area: Some(SquareMetres(r.range(50.0, 700.0))),
                capacity: None,
                complex: false,
                shared_by: vec![],
                location: Point::new(r.range(0.0, 2000.0), r.range(0.0, 2000.0)),
                footprint: None,
            });
            let a = Assignment::compute(&d);
            let after = analyze(&d, &a, &p, &Euclidean);
            for (x, y) in before.communities.iter().zip(&after.communities) {
                if let (Some(gx), Some(gy)) = (x.area_gap, y.area_gap) {
                    assert!(gy.0 <= gx.0 + 1e-9, "seed {seed}: gap rose {} -> {}", gx.0, gy.0);
                }
                assert!(y.core_functions_count >= x.core_functions_count);
                for k in 0..p.kinds.len() {
                    assert!(y.coverage[k].unwrap_or(0.0) >= x.coverage[k].unwrap_or(0.0));
                }
            }
        }
    }

    #[test]
    fn households_add_up_and_every_facility_is_counted_once() {
        for seed in 1..6 {
            let (d, a) = prepared(seed);
            let result = analyze(&d, &a, &Profile::builtin(), &Euclidean);
            // a community's given households are exactly spread over its buildings
            for c in &d.communities {
                let in_c: Vec<&Building> = d
                    .buildings
                    .iter()
                    .zip(&a.building_community)
                    .filter(|(_, bc)| **bc == Some(c.id))
                    .map(|(b, _)| b)
                    .collect();
                let spread = in_c.iter().any(|b| b.households_source == HouseholdSource::SpreadFromCommunity);
                if c.households_source == HouseholdSource::Given && spread {
                    let sum: f64 = in_c.iter().filter_map(|b| b.households).map(|h| h.0).sum();
                    let given: f64 = in_c
                        .iter()
                        .filter(|b| b.households_source == HouseholdSource::Given)
                        .filter_map(|b| b.households)
                        .map(|h| h.0)
                        .sum();
                    let expected = c.households.unwrap().0.max(given);
                    assert!(
                        (sum - expected).abs() < 1e-6 * expected.max(1.0),
                        "seed {seed} {}: {sum} vs {expected}",
                        c.code
                    );
                }
            }
            // streets sum the communities
            let total: f64 = result.communities.iter().filter_map(|c| c.households).map(|h| h.0).sum();
            let streets: f64 = result.streets.iter().map(|s| s.households.0).sum();
            assert!((total - streets).abs() < 1e-6, "seed {seed}");
            // each facility's area is counted exactly once over its communities, or reported as outside
            for ((f, shares), host) in d.facilities.iter().zip(&result.facility_shares).zip(&a.facility_community) {
                let counted: f64 = shares.iter().map(|s| s.1 .0).sum();
                if shares.is_empty() {
                    assert!(host.is_none(), "a facility with no share must lie outside every community");
                } else {
                    assert!((counted - f.floor_area.map_or(0.0, |x| x.0)).abs() < 1e-9, "seed {seed} {}", f.source_id);
                }
            }
            let facility_total: f64 = result.facility_shares.iter().flatten().map(|s| s.1 .0).sum();
            let community_total: f64 = result.communities.iter().map(|c| c.facility_area.0).sum();
            assert!((facility_total - community_total).abs() < 1e-6);
        }
    }

    #[test]
    fn euclidean_matches_brute_force() {
        let mut r = SeededRng::new(42);
        let origins: Vec<Point> = (0..500).map(|_| Point::new(r.range(0.0, 3000.0), r.range(0.0, 3000.0))).collect();
        let targets: Vec<Vec<Point>> = (0..3)
            .map(|k| (0..(k * 20)).map(|_| Point::new(r.range(0.0, 3000.0), r.range(0.0, 3000.0))).collect())
            .collect();
        let got = Euclidean.nearest(&origins, &targets, Metres(600.0));
        for (k, ts) in targets.iter().enumerate() {
            for (o, g) in origins.iter().zip(&got[k]) {
                let best = ts
                    .iter()
                    .map(|t| ((t.x() - o.x()).powi(2) + (t.y() - o.y()).powi(2)).sqrt())
                    .fold(f64::INFINITY, f64::min);
                let expected = (best <= 600.0).then_some(best);
                assert_eq!(g.map(|m| m.0), expected);
            }
        }
    }
}
