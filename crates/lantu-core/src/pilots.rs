//! Choosing pilot communities (择优拟定试点社区建设名单) and what each would build, cost and
//! receive — the figures of its 申报方案 (technical indicators, investment, financing).
//!
//! A community's pilot score is `need_weight × need + (1 − need_weight) × feasibility`:
//! need is its priority score; feasibility the weighted share of (a) an idle building of at
//! least the complex minimum within reach, or an existing complex to extend, (b) a planned
//! project in it, (c) its size (households, full at `households_full`). Communities with
//! no households or no need are not chosen. Quotas per district and per street are kept
//! by skipping a community whose district or street is full.

use crate::{
    district_code, in_town, Analysis, Assignment, CandidateId, CommunityId, CostBasis, Dataset, DistanceMetric,
    FacilityId, Lang, Plan, PlannedProject, Profile, ProjectSite, ServiceKind, SquareMetres, SupportItem, Text, Yuan,
};
use geo::{BoundingRect, Distance, Euclidean, InteriorPoint, Point};
use std::collections::BTreeMap;

/// How many pilots, with which quotas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PilotRequest {
    /// Pilot communities to choose.
    pub count: usize,
    /// At most this many per district.
    pub per_district: Option<usize>,
    /// At most this many per street.
    pub per_street: Option<usize>,
}

/// Where a pilot's complex would be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PilotSite {
    /// A project of a plan: (plan, project).
    Planned(usize, usize),
    /// Extending the community's existing complex (改扩建).
    Extend(FacilityId),
    /// Converting an idle building (存量转型).
    Convert(CandidateId),
    /// New build, site to be found (选址待定).
    NewBuild,
}

/// What a pilot would build.
#[derive(Clone, Debug, PartialEq)]
pub struct PilotBuild {
    /// Where.
    pub site: PilotSite,
    /// The point the figures after the works place it at.
    pub location: Point,
    /// The functions it adds to meet the configuration rule (一老一小 first).
    pub kinds_to_add: Vec<ServiceKind>,
    /// The kinds the new or extended floor area serves.
    pub kinds: Vec<ServiceKind>,
    /// New floor area (新建、改扩建), m².
    pub new_build: SquareMetres,
    /// Existing floor area fitted out (存量转型), m².
    pub renovation: SquareMetres,
    /// The complex's floor area after the works, m².
    pub complex_area: SquareMetres,
    /// Small idle buildings converted into stations beside the complex (插花式).
    pub stations: Vec<Station>,
}

/// A small idle building a pilot converts into a station (插花式) beside its complex, where
/// the complex alone leaves the community's old and young out of reach.
#[derive(Clone, Debug, PartialEq)]
pub struct Station {
    /// The idle building.
    pub candidate: CandidateId,
    /// The core kinds it hosts.
    pub kinds: Vec<ServiceKind>,
    /// The floor area it takes (its kinds' site areas), m².
    pub area: SquareMetres,
    /// The community's people its kinds bring newly within reach.
    pub people: f64,
}

impl PilotBuild {
    /// Floor area added, m².
    pub fn added_area(&self) -> SquareMetres {
        self.new_build + self.renovation
    }

    /// Existing floor area fitted out, the complex's and its stations', m².
    pub fn renovation_with_stations(&self) -> SquareMetres {
        self.stations.iter().fold(self.renovation, |sum, s| sum + s.area)
    }
}

/// Investment and financing of a pilot.
#[derive(Clone, Debug, PartialEq)]
pub struct Investment {
    /// New floor area × the assumed new-build unit cost.
    pub new_build: Yuan,
    /// Renovated floor area × the assumed renovation unit cost.
    pub renovation: Yuan,
    /// The total (the plan's own cost when the site is a costed planned project).
    pub total: Yuan,
    /// Whether the total rests on the profile's assumed unit costs.
    pub assumed_unit_costs: bool,
    /// 以奖代补 from the support policy.
    pub subsidy: Yuan,
    /// Which support item.
    pub support_item: SupportItem,
    /// The rest: local funds (地方自筹).
    pub local_funds: Yuan,
}

/// One pilot community.
#[derive(Clone, Debug, PartialEq)]
pub struct Pilot {
    /// The community.
    pub community: CommunityId,
    /// 1 = first.
    pub rank: u32,
    /// Among those to start by 2025.
    pub by_2025: bool,
    /// Its district code, when known.
    pub district: Option<String>,
    /// Need: its priority score.
    pub need: f64,
    /// Feasibility, 0–1.
    pub feasibility: f64,
    /// The pilot score.
    pub score: f64,
    /// What it would build.
    pub build: PilotBuild,
    /// What it would cost and receive.
    pub investment: Investment,
    /// Why it was chosen.
    pub reason: Text,
}

/// The choice.
#[derive(Clone, Debug, PartialEq)]
pub struct PilotSelection {
    /// The pilots, in rank order.
    pub pilots: Vec<Pilot>,
    /// Communities that could have been chosen but for a full quota.
    pub skipped_by_quota: usize,
    /// Communities eligible at all (households and need).
    pub eligible: usize,
}

impl PilotSelection {
    /// The pilots' builds as a plan (project ids `pilot:<community code>`), to compute the
    /// figures after the works.
    pub fn as_plan(&self, d: &Dataset) -> Plan {
        let complexes =
            self.pilots.iter().filter(|p| !p.build.kinds.is_empty() && p.build.added_area().0 > 0.0).map(|p| {
                let c = d.community(p.community);
                PlannedProject {
                    source_id: format!("pilot:{}", c.code),
                    name: format!("{} 试点综合体", c.name),
                    kinds: p.build.kinds.clone(),
                    floor_area: Some(p.build.added_area()),
                    complex: p.build.complex_area.0 > 0.0,
                    project_type: String::new(),
                    year: None,
                    cost: Some(p.investment.total),
                    location: p.build.location,
                    site: ProjectSite::Point,
                }
            });
        let stations = self.pilots.iter().flat_map(|p| {
            let c = d.community(p.community);
            p.build.stations.iter().enumerate().map(move |(n, s)| PlannedProject {
                source_id: format!("pilot:{}:station{}", c.code, n + 1),
                name: format!("{} 服务站{}", c.name, n + 1),
                kinds: s.kinds.clone(),
                floor_area: Some(s.area),
                complex: false,
                project_type: String::new(),
                year: None,
                cost: None,
                location: d.candidates[s.candidate.index()].location,
                site: ProjectSite::Point,
            })
        });
        Plan { name: "pilots".into(), projects: complexes.chain(stations).collect() }
    }
}

/// The order pilot candidates are taken in, each given as `(score, need, community code)`:
/// the higher score first, then the higher need, then the code (so the order is total).
/// [`select_pilots`] ranks by it, and so does a ranking across areas (`lantu batch merge`).
///
/// ```
/// use lantu_core::pilot_order;
/// use std::cmp::Ordering;
/// assert_eq!(pilot_order((0.9, 0.5, "b"), (0.8, 0.9, "a")), Ordering::Less);
/// assert_eq!(pilot_order((0.9, 0.5, "b"), (0.9, 0.6, "a")), Ordering::Greater);
/// assert_eq!(pilot_order((0.9, 0.5, "a"), (0.9, 0.5, "b")), Ordering::Less);
/// ```
pub fn pilot_order(x: (f64, f64, &str), y: (f64, f64, &str)) -> std::cmp::Ordering {
    y.0.total_cmp(&x.0).then(y.1.total_cmp(&x.1)).then_with(|| x.2.cmp(y.2))
}

/// How many of `count` pilots start by 2025: the profile's share, rounded up.
pub fn pilots_by_2025(profile: &Profile, count: usize) -> usize {
    if profile.pilot.communities_total > 0 {
        (count as f64 * profile.pilot.communities_by_2025 as f64 / profile.pilot.communities_total as f64).ceil()
            as usize
    } else {
        0
    }
}

/// Chooses pilot communities (see the module's description).
///
/// `metric` measures the walks from an idle building to the homes: of the buildings that can
/// hold a pilot's complex, the one whose new functions bring the most of the community's
/// people they serve within reach is chosen.
#[allow(clippy::too_many_arguments)]
pub fn select_pilots(
    d: &Dataset,
    a: &Assignment,
    analysis: &Analysis,
    profile: &Profile,
    metric: &dyn DistanceMetric,
    plans: &[&Plan],
    plan_communities: &[Vec<Option<CommunityId>>],
    request: PilotRequest,
) -> PilotSelection {
    let rules = &profile.pilot;
    let people_per_hh = crate::people::people_per_household(d, a, &analysis.communities);
    let setting = Setting { d, a, analysis, profile, metric, plans, plan_communities, people_per_hh };
    let reach = candidates_in_reach(d, profile);
    let min_complex = profile.complex.min_area_m2.0;
    struct Scored {
        c: usize,
        need: f64,
        feasibility: f64,
        score: f64,
        site_ok: bool,
        planned: bool,
    }
    let wsum = (rules.feasibility_site + rules.feasibility_plan + rules.feasibility_households).max(1e-9);
    let mut scored: Vec<Scored> = analysis
        .communities
        .iter()
        .enumerate()
        .filter(|(_, f)| f.households.is_some_and(|h| h.0 > 0.0) && f.priority_score > 0.0)
        .map(|(c, f)| {
            let big_site =
                reach[c].iter().any(|&(s, _)| d.candidates[s].floor_area.is_some_and(|x| x.0 >= min_complex));
            let site_ok = big_site || f.largest_complex.0 > 0.0;
            let planned = plan_communities.iter().flatten().any(|pc| *pc == Some(CommunityId::from_index(c)));
            let size = (f.households.map_or(0.0, |h| h.0) / rules.households_full).min(1.0);
            let feasibility = (rules.feasibility_site * site_ok as u8 as f64
                + rules.feasibility_plan * planned as u8 as f64
                + rules.feasibility_households * size)
                / wsum;
            let need = f.priority_score;
            let score = rules.need_weight * need + (1.0 - rules.need_weight) * feasibility;
            Scored { c, need, feasibility, score, site_ok, planned }
        })
        .collect();
    let eligible = scored.len();
    scored.sort_by(|x, y| {
        pilot_order((x.score, x.need, &d.communities[x.c].code), (y.score, y.need, &d.communities[y.c].code))
    });
    let by_2025 = pilots_by_2025(profile, request.count);
    let (mut per_district, mut per_street) = (BTreeMap::<String, usize>::new(), BTreeMap::<String, usize>::new());
    let mut centres_taken: BTreeMap<String, bool> = BTreeMap::new();
    // idle buildings a pilot converts: no other pilot's station takes them
    let mut converted = std::collections::BTreeSet::new();
    let mut pilots = Vec::new();
    let mut skipped_by_quota = 0;
    for s in &scored {
        if pilots.len() >= request.count {
            break;
        }
        let community = &d.communities[s.c];
        let district = district_code(community);
        let street = a.community_street[s.c].map(|id| d.streets[id.index()].code.clone());
        let district_key = district.clone().unwrap_or_default();
        let street_key = street.clone().unwrap_or_default();
        let full = request.per_district.is_some_and(|m| per_district.get(&district_key).copied().unwrap_or(0) >= m)
            || request.per_street.is_some_and(|m| per_street.get(&street_key).copied().unwrap_or(0) >= m);
        if full {
            skipped_by_quota += 1;
            continue;
        }
        *per_district.entry(district_key).or_default() += 1;
        *per_street.entry(street_key.clone()).or_default() += 1;
        let id = CommunityId::from_index(s.c);
        let mut build = pilot_build(&setting, &reach[s.c], id);
        if let PilotSite::Convert(cand) = build.site {
            converted.insert(cand.index());
        }
        if !matches!(build.site, PilotSite::Planned(..)) {
            build.stations = stations(&setting, &reach[s.c], id, &build, &mut converted);
        }
        let taken = centres_taken.entry(street_key).or_insert(false);
        let investment = investment(profile, plans, &build, in_town(community), *taken);
        if investment.support_item == SupportItem::StreetCentre
            || investment.support_item == SupportItem::TownshipCentre
        {
            *taken = true;
        }
        let reason = reason(d, analysis, profile, s.c, s.site_ok, s.planned, &build);
        pilots.push(Pilot {
            community: id,
            rank: pilots.len() as u32 + 1,
            by_2025: pilots.len() < by_2025,
            district,
            need: s.need,
            feasibility: s.feasibility,
            score: s.score,
            build,
            investment,
            reason,
        });
    }
    PilotSelection { pilots, skipped_by_quota, eligible }
}

/// Per community, the idle buildings within `site_reach_m` of it (index, metres; 0 inside),
/// nearest first.
fn candidates_in_reach(d: &Dataset, profile: &Profile) -> Vec<Vec<(usize, f64)>> {
    use rstar::{primitives::GeomWithData, RTree, AABB};
    let tree: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        d.candidates.iter().enumerate().map(|(i, c)| GeomWithData::new([c.location.x(), c.location.y()], i)).collect(),
    );
    let r = profile.pilot.site_reach_m.0;
    d.communities
        .iter()
        .map(|c| {
            let Some(b) = c.boundary.bounding_rect() else { return Vec::new() };
            let env = AABB::from_corners([b.min().x - r, b.min().y - r], [b.max().x + r, b.max().y + r]);
            let mut v: Vec<(usize, f64)> = tree
                .locate_in_envelope(&env)
                .map(|e| (e.data, Euclidean.distance(&d.candidates[e.data].location, &c.boundary)))
                .filter(|(_, dist)| *dist <= r)
                .collect();
            v.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
            v
        })
        .collect()
}

/// The functions to add to meet the configuration rule: missing core (一老一小) kinds
/// first, then other kinds that count as functions, least covered first.
pub fn functions_to_add(d: &Dataset, analysis: &Analysis, profile: &Profile, c: CommunityId) -> Vec<ServiceKind> {
    let f = &analysis.communities[c.index()];
    let kinds = &profile.kinds;
    let coverage = |k: ServiceKind| f.coverage[k.index()].unwrap_or(0.0);
    let by_need = |mut v: Vec<ServiceKind>| {
        v.sort_by(|x, y| coverage(*x).total_cmp(&coverage(*y)).then(x.index().cmp(&y.index())));
        v
    };
    let missing_core = by_need(kinds.all().filter(|k| kinds.def(*k).core && !f.functions.contains(k)).collect());
    let mut add: Vec<ServiceKind> =
        missing_core.into_iter().take(f.core_required.saturating_sub(f.core_functions_count) as usize).collect();
    if d.community(c).centralised {
        let have = f.functions_count as usize + add.len();
        let others = by_need(
            kinds
                .all()
                .filter(|k| kinds.def(*k).counts_as_function() && !f.functions.contains(k) && !add.contains(k))
                .collect(),
        );
        add.extend(others.into_iter().take((profile.functions.min_functions as usize).saturating_sub(have)));
    }
    add
}

/// Which of two places to build in is the better one for a complex: a complex before
/// anything else, then the larger floor area.
fn complex_then_area(x: (bool, Option<SquareMetres>), y: (bool, Option<SquareMetres>)) -> std::cmp::Ordering {
    let area = |a: Option<SquareMetres>| a.map_or(0.0, |a| a.0);
    x.0.cmp(&y.0).then(area(x.1).total_cmp(&area(y.1)))
}

/// What the choice of every pilot works from.
struct Setting<'a> {
    d: &'a Dataset,
    a: &'a Assignment,
    analysis: &'a Analysis,
    profile: &'a Profile,
    metric: &'a dyn DistanceMetric,
    plans: &'a [&'a Plan],
    plan_communities: &'a [Vec<Option<CommunityId>>],
    /// Per building, per group: people per household ([`crate::people::people_per_household`]).
    people_per_hh: Vec<[f64; 4]>,
}

impl Setting<'_> {
    /// The people kind `k` serves in building `b`.
    fn people(&self, b: usize, k: ServiceKind) -> f64 {
        let group = self.profile.kinds.def(k).serves as usize;
        self.d.buildings[b].households.map_or(0.0, |h| h.0 * self.people_per_hh[b][group])
    }

    /// Community `c`'s homes (its buildings with households) and, per point, the homes within
    /// the largest circle of it (index among the homes, metres), over the run's walks.
    fn walks_to_homes(&self, c: CommunityId, points: &[Point]) -> (Vec<usize>, Vec<Vec<(u32, f32)>>) {
        let d = self.d;
        let homes: Vec<usize> = (0..d.buildings.len())
            .filter(|&b| {
                self.a.building_community[b] == Some(c) && d.buildings[b].households.is_some_and(|h| h.0 > 0.0)
            })
            .collect();
        let buildings: Vec<crate::Building> = homes.iter().map(|&b| d.buildings[b].clone()).collect();
        let hits = crate::reach_buildings(self.metric, &buildings, points, self.profile.largest_radius());
        (homes, hits)
    }

    /// Whether a walk of `dist` metres is within kind `k`'s circle.
    fn within(&self, k: ServiceKind, dist: f32) -> bool {
        self.analysis.circles[k.index()].covers(Some(crate::Metres(dist as f64)))
    }
}

/// What community `c` would build, with the idle buildings within its reach.
fn pilot_build(setting: &Setting, reach: &[(usize, f64)], c: CommunityId) -> PilotBuild {
    let Setting { d, a, analysis, profile, plans, plan_communities, .. } = *setting;
    let community = d.community(c);
    let f = &analysis.communities[c.index()];
    // a planned project in the community: the pilot is that project (complexes, then the
    // largest)
    let planned = plan_communities
        .iter()
        .enumerate()
        .flat_map(|(pi, cs)| cs.iter().enumerate().filter(|(_, pc)| **pc == Some(c)).map(move |(j, _)| (pi, j)))
        .max_by(|&(p1, j1), &(p2, j2)| {
            let (x, y) = (&plans[p1].projects[j1], &plans[p2].projects[j2]);
            complex_then_area((x.complex, x.floor_area), (y.complex, y.floor_area)).then((p2, j2).cmp(&(p1, j1)))
        });
    if let Some((pi, j)) = planned {
        let p = &plans[pi].projects[j];
        let area = p.floor_area.unwrap_or(SquareMetres::ZERO);
        let renovation = CostBasis::of_type(&p.project_type) == Some(CostBasis::Renovation);
        // what the project adds, not what the rule would ask for
        let adds =
            p.kinds.iter().copied().filter(|k| profile.kinds.def(*k).counts_as_function() && !f.functions.contains(k));
        return PilotBuild {
            site: PilotSite::Planned(pi, j),
            location: p.location,
            kinds_to_add: adds.collect(),
            kinds: p.kinds.clone(),
            new_build: if renovation { SquareMetres::ZERO } else { area },
            renovation: if renovation { area } else { SquareMetres::ZERO },
            complex_area: if p.complex { area } else { SquareMetres::ZERO },
            stations: Vec::new(),
        };
    }
    let kinds_to_add = functions_to_add(d, analysis, profile, c);
    let gap = f.area_gap.map_or(0.0, |g| g.0);
    let target = if !community.centralised {
        0.0
    } else if community.capable {
        profile.complex.preferred_area_m2.0
    } else {
        profile.complex.min_area_m2.0
    };
    let mut kinds = kinds_to_add.clone();
    if kinds.is_empty() {
        // the rule is met: the floor area serves the least covered core kind
        let core = profile.kinds.core();
        let cov = |k: &ServiceKind| f.coverage[k.index()].unwrap_or(0.0);
        if let Some(k) = core.iter().min_by(|x, y| cov(x).total_cmp(&cov(y)).then(x.index().cmp(&y.index()))) {
            kinds.push(*k);
        }
    }
    let rooms: f64 = kinds.iter().map(|k| profile.kinds.def(*k).site_area_m2.map_or(0.0, |a| a.0)).sum();
    let existing = f.largest_complex.0;
    let complex_facility = (community.centralised && existing > 0.0)
        .then(|| {
            d.facilities.iter().filter(|x| a.facility_community[x.id.index()] == Some(c)).max_by(|x, y| {
                complex_then_area((x.complex, x.floor_area), (y.complex, y.floor_area))
                    .then(y.id.index().cmp(&x.id.index()))
            })
        })
        .flatten();
    if let Some(fac) = complex_facility {
        let add = gap.max(target - existing).max(rooms).max(0.0);
        return PilotBuild {
            site: PilotSite::Extend(fac.id),
            location: fac.location,
            kinds_to_add,
            kinds,
            new_build: SquareMetres(add),
            renovation: SquareMetres::ZERO,
            complex_area: SquareMetres(existing + add),
            stations: Vec::new(),
        };
    }
    let need = gap.max(target).max(rooms);
    let fits = |s: &&(usize, f64)| d.candidates[s.0].floor_area.is_some_and(|x| x.0 >= need);
    let with_area = |s: &&(usize, f64)| d.candidates[s.0].floor_area.is_some_and(|x| x.0 > 0.0);
    // of those that fit, the one reaching most of the people its kinds serve (the nearest
    // on a tie: `reach` is nearest first and `max_by` keeps the last of equals, so reversed)
    let fitting: Vec<&(usize, f64)> = reach.iter().filter(fits).collect();
    let reached = people_reached(setting, c, &kinds, &fitting.iter().map(|s| s.0).collect::<Vec<_>>());
    let best = fitting.iter().zip(&reached).rev().max_by(|x, y| x.1.total_cmp(y.1)).map(|(s, _)| *s);
    let chosen = best.or_else(|| {
        reach.iter().filter(with_area).max_by(|x, y| {
            let (ax, ay) =
                (d.candidates[x.0].floor_area.map_or(0.0, |a| a.0), d.candidates[y.0].floor_area.map_or(0.0, |a| a.0));
            ax.total_cmp(&ay).then(y.0.cmp(&x.0))
        })
    });
    let complex_area = |area: f64| SquareMetres(if target > 0.0 { area } else { 0.0 });
    match chosen {
        Some(&(s, _)) => {
            let held = d.candidates[s].floor_area.map_or(0.0, |a| a.0);
            let renovation = held.min(need);
            PilotBuild {
                site: PilotSite::Convert(CandidateId::from_index(s)),
                location: d.candidates[s].location,
                kinds_to_add,
                kinds,
                new_build: SquareMetres(need - renovation),
                renovation: SquareMetres(renovation),
                complex_area: complex_area(need),
                stations: Vec::new(),
            }
        }
        None => PilotBuild {
            site: PilotSite::NewBuild,
            location: community.boundary.interior_point().unwrap_or_else(|| Point::new(f64::NAN, f64::NAN)),
            kinds_to_add,
            kinds,
            new_build: SquareMetres(need),
            renovation: SquareMetres::ZERO,
            complex_area: complex_area(need),
            stations: Vec::new(),
        },
    }
}

/// The stations (插花式) pilot `c` adds beside its complex `build`: small idle buildings within
/// its reach, not converted by another pilot, each hosting the core kinds (at most
/// `sites.max_kinds_small`, their site areas fitting) that bring most of the community's
/// people they serve newly within reach — while a core kind is below
/// `pilot.station_core_target` of its people and the best station brings at least
/// `pilot.min_station_people`.
fn stations(
    setting: &Setting,
    reach: &[(usize, f64)],
    c: CommunityId,
    build: &PilotBuild,
    converted: &mut std::collections::BTreeSet<usize>,
) -> Vec<Station> {
    let Setting { d, analysis, profile, .. } = *setting;
    let rules = &profile.pilot;
    let kinds = &profile.kinds;
    let core: Vec<ServiceKind> = kinds.core().into_iter().filter(|k| kinds.def(*k).site_area_m2.is_some()).collect();
    let sites: Vec<usize> = reach
        .iter()
        .map(|s| s.0)
        .filter(|s| {
            !converted.contains(s) && d.candidates[*s].floor_area.is_some_and(|x| x.0 >= rules.min_station_m2.0)
        })
        .collect();
    if rules.max_stations == 0 || core.is_empty() || sites.is_empty() {
        return Vec::new();
    }
    // the walks from each site and, last, from the complex
    let mut points: Vec<Point> = sites.iter().map(|&s| d.candidates[s].location).collect();
    points.push(build.location);
    let (homes, hits) = setting.walks_to_homes(c, &points);
    if homes.is_empty() {
        return Vec::new();
    }
    let f = &analysis.communities[c.index()];
    let group = |k: ServiceKind| f.people.of(kinds.def(k).serves).unwrap_or(0.0);
    let people = |i: usize, k: ServiceKind| setting.people(homes[i], k);
    let within = |k: ServiceKind, dist: f32| setting.within(k, dist);
    // what each home has now, and with the complex
    let mut covered: Vec<u64> = homes
        .iter()
        .map(|&b| core.iter().filter(|k| analysis.covered(b, **k)).fold(0u64, |m, k| m | 1 << k.index()))
        .collect();
    for &(i, dist) in &hits[sites.len()] {
        for k in build.kinds.iter().filter(|k| core.contains(k) && within(**k, dist)) {
            covered[i as usize] |= 1 << k.index();
        }
    }
    let share = |covered: &[u64], k: ServiceKind| {
        let reached: f64 = (0..homes.len()).filter(|&i| covered[i] & (1 << k.index()) != 0).map(|i| people(i, k)).sum();
        reached / group(k)
    };
    let mut out: Vec<Station> = Vec::new();
    let mut used = vec![false; sites.len()];
    while out.len() < rules.max_stations as usize {
        if core.iter().all(|&k| group(k) <= 0.0 || share(&covered, k) >= rules.station_core_target) {
            break;
        }
        let mut best: Option<(usize, Vec<ServiceKind>, f64, f64)> = None;
        for (j, &s) in sites.iter().enumerate().filter(|(j, _)| !used[*j]) {
            let gains: Vec<f64> = core
                .iter()
                .map(|&k| {
                    let bit = 1 << k.index();
                    hits[j]
                        .iter()
                        .filter(|(i, dist)| covered[*i as usize] & bit == 0 && within(k, *dist))
                        .map(|(i, _)| people(*i as usize, k))
                        .sum()
                })
                .collect();
            let mut order: Vec<usize> = (0..core.len()).filter(|&x| gains[x] > 0.0).collect();
            order.sort_by(|&x, &y| gains[y].total_cmp(&gains[x]).then(x.cmp(&y)));
            let room = d.candidates[s].floor_area.map_or(0.0, |x| x.0);
            let (mut chosen, mut area, mut gain) = (Vec::new(), 0.0, 0.0);
            for x in order {
                let need = kinds.def(core[x]).site_area_m2.map_or(0.0, |a| a.0);
                if chosen.len() < profile.sites.max_kinds_small as usize && area + need <= room {
                    chosen.push(core[x]);
                    area += need;
                    gain += gains[x];
                }
            }
            if gain > best.as_ref().map_or(0.0, |b| b.2) + 1e-9 {
                best = Some((j, chosen, gain, area));
            }
        }
        let Some((j, mut chosen, gain, area)) = best.filter(|b| b.2 >= rules.min_station_people) else { break };
        chosen.sort();
        for &(i, dist) in &hits[j] {
            for k in chosen.iter().filter(|k| within(**k, dist)) {
                covered[i as usize] |= 1 << k.index();
            }
        }
        used[j] = true;
        converted.insert(sites[j]);
        out.push(Station {
            candidate: CandidateId::from_index(sites[j]),
            kinds: chosen,
            area: SquareMetres(area),
            people: gain,
        });
    }
    out
}

/// Per idle building of `sites`, the people of community `c` that `kinds` there would bring
/// newly within their circles (each kind's own group: the old for elderly care …).
fn people_reached(setting: &Setting, c: CommunityId, kinds: &[ServiceKind], sites: &[usize]) -> Vec<f64> {
    if sites.len() < 2 || kinds.is_empty() {
        return vec![0.0; sites.len()];
    }
    let points: Vec<Point> = sites.iter().map(|&s| setting.d.candidates[s].location).collect();
    let (homes, hits) = setting.walks_to_homes(c, &points);
    hits.iter()
        .map(|hits| {
            let mut people = 0.0;
            for &(i, dist) in hits {
                let b = homes[i as usize];
                for &k in kinds.iter().filter(|k| setting.within(**k, dist) && !setting.analysis.covered(b, **k)) {
                    people += setting.people(b, k);
                }
            }
            people
        })
        .collect()
}

fn investment(profile: &Profile, plans: &[&Plan], build: &PilotBuild, town: bool, centre_taken: bool) -> Investment {
    let new_build = Yuan(build.new_build.0 * profile.costs.new_build_yuan_per_m2.0);
    let renovation = Yuan(build.renovation_with_stations().0 * profile.costs.renovation_yuan_per_m2.0);
    let (total, assumed) = match build.site {
        PilotSite::Planned(p, j) => match plans[p].projects[j].cost {
            Some(c) => (c, false),
            None => (new_build + renovation, true),
        },
        _ => (new_build + renovation, true),
    };
    let area = if build.complex_area.0 > 0.0 { build.complex_area } else { build.added_area() };
    let (subsidy, support_item) = profile.support.amount(profile, &build.kinds, area, town, centre_taken);
    let subsidy = Yuan(subsidy.0.min(total.0));
    Investment {
        new_build,
        renovation,
        total,
        assumed_unit_costs: assumed,
        subsidy,
        support_item,
        local_funds: Yuan((total.0 - subsidy.0).max(0.0)),
    }
}

fn reason(
    d: &Dataset,
    analysis: &Analysis,
    profile: &Profile,
    c: usize,
    site_ok: bool,
    planned: bool,
    build: &PilotBuild,
) -> Text {
    let f = &analysis.communities[c];
    let gap = f.area_gap.map_or(0.0, |g| g.0);
    let core_missing = f.core_required.saturating_sub(f.core_functions_count);
    let uncovered = f.uncovered_households.0;
    let mut zh = vec![format!(
        "需求 {:.2}：{} {:.0} m²，一老一小缺 {} 项，{:.0} 户生活圈内无一老一小服务",
        f.priority_score,
        crate::registry::AREA_GAP.zh,
        gap,
        core_missing,
        uncovered
    )];
    let mut en = vec![format!(
        "need {:.2}: area gap {:.0} m², {} core kinds missing, {:.0} households without a core service in reach",
        f.priority_score, gap, core_missing, uncovered
    )];
    match build.site {
        PilotSite::Planned(..) => {
            zh.push("已有规划项目".into());
            en.push("a planned project".into());
        }
        PilotSite::Extend(id) => {
            zh.push(format!("可扩建现有综合体（{}，{:.0} m²）", d.facilities[id.index()].name, f.largest_complex.0));
            en.push(format!(
                "its complex can be extended ({}, {:.0} m²)",
                d.facilities[id.index()].name,
                f.largest_complex.0
            ));
        }
        PilotSite::Convert(s) => {
            let cand = &d.candidates[s.index()];
            let area = cand.floor_area.map_or(0.0, |a| a.0);
            zh.push(format!("可改造闲置资源 {}（{:.0} m²）", cand.name, area));
            en.push(format!("idle building {} ({:.0} m²) to convert", cand.name, area));
        }
        PilotSite::NewBuild => {
            zh.push("无可用闲置资源，需新建（选址待定）".into());
            en.push("no idle building in reach: new build, site to be found".into());
        }
    }
    if planned && !matches!(build.site, PilotSite::Planned(..)) {
        zh.push("有规划项目".into());
        en.push("a planned project".into());
    }
    if !site_ok && profile.complex.min_area_m2.0 > 0.0 {
        zh.push(format!("附近无 ≥{:.0} m² 的闲置资源", profile.complex.min_area_m2.0));
        en.push(format!("no idle building of ≥ {:.0} m² nearby", profile.complex.min_area_m2.0));
    }
    if !build.kinds_to_add.is_empty() {
        zh.push(format!("补充 {}", profile.kinds.names(&build.kinds_to_add, Lang::Zh)));
        en.push(format!("adds {}", profile.kinds.names(&build.kinds_to_add, Lang::En)));
    }
    Text::new(zh.join("；"), en.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{candidate, community, home, square};
    use crate::*;

    /// One 1,200 m community with its homes in its west half and two idle buildings large
    /// enough for its complex: one at its eastern edge (listed first), one among the homes.
    /// The pilot converts the one among the homes, which brings its old and young within reach.
    #[test]
    fn the_pilot_converts_the_idle_building_that_reaches_most_of_its_people() {
        let mut d = Dataset::default();
        let c = community(0, 1200.0, square(0.0, 0.0, 1200.0));
        d.communities.push(Community { code: "500103001001".into(), street_code: Some("500103001".into()), ..c });
        for i in 0..6u32 {
            d.buildings.push(home(i, square(100.0 + 60.0 * i as f64, 500.0, 20.0)));
        }
        for (i, x) in [1150.0, 300.0].into_iter().enumerate() {
            d.candidates.push(candidate(i as u32, Some(900.0), Point::new(x, 510.0)));
        }
        let p = Profile::builtin();
        let a = Assignment::compute(&d);
        derive_households(&mut d, &a.building_community, &p.households, None);
        let analysis = analyze(&d, &a, &p, &crate::Euclidean);
        let request = PilotRequest { count: 1, per_district: None, per_street: None };
        let s = select_pilots(&d, &a, &analysis, &p, &crate::Euclidean, &[], &[], request);
        assert_eq!(s.pilots.len(), 1);
        assert_eq!(s.pilots[0].build.site, PilotSite::Convert(CandidateId(1)), "{:?}", s.pilots[0].build);
    }

    /// A 2,000 m community with homes at its west and east ends and one idle building large
    /// enough for the complex, in the west: the complex there leaves the east's old out of
    /// reach, so a small idle building in the east becomes a station for them; with
    /// `max_stations = 0` there is none.
    #[test]
    fn a_station_brings_in_the_homes_the_complex_leaves_out() {
        let mut d = Dataset::default();
        let c = community(0, 1200.0, square(0.0, 0.0, 2000.0));
        d.communities.push(Community { code: "500103001001".into(), street_code: Some("500103001".into()), ..c });
        for i in 0..6u32 {
            let x = if i < 3 { 100.0 + 60.0 * i as f64 } else { 1700.0 + 60.0 * (i - 3) as f64 };
            d.buildings.push(home(i, square(x, 1000.0, 20.0)));
        }
        d.candidates.push(candidate(0, Some(900.0), Point::new(160.0, 1010.0)));
        d.candidates.push(candidate(1, Some(400.0), Point::new(1760.0, 1010.0)));
        let mut p = Profile::builtin();
        let a = Assignment::compute(&d);
        derive_households(&mut d, &a.building_community, &p.households, None);
        let analysis = analyze(&d, &a, &p, &crate::Euclidean);
        let request = PilotRequest { count: 1, per_district: None, per_street: None };
        let s = select_pilots(&d, &a, &analysis, &p, &crate::Euclidean, &[], &[], request);
        let build = &s.pilots[0].build;
        assert_eq!(build.site, PilotSite::Convert(CandidateId(0)), "{build:?}");
        assert_eq!(build.stations.len(), 1, "{build:?}");
        let station = &build.stations[0];
        assert_eq!(station.candidate, CandidateId(1));
        let kind = |code| p.kinds.by_code(code).unwrap();
        // of the core kinds, the two that bring the most people: elderly care and the canteen
        // (the east's old, twice) before infant care (its infants, far fewer)
        assert_eq!(station.kinds, vec![kind("elderly_care"), kind("canteen")]);
        assert_eq!(station.area, SquareMetres(320.0), "the two kinds' site areas");
        let old = analysis.communities[0].people.of(TargetGroup::Elderly).unwrap();
        assert!((station.people - 2.0 * old / 2.0).abs() < 1e-6, "{} vs {old}", station.people);
        // the station is in the pilots' plan, and its renovation in the investment
        let plan = s.as_plan(&d);
        assert_eq!(plan.projects.len(), 2);
        assert_eq!(plan.projects[1].source_id, "pilot:500103001001:station1");
        p.pilot.max_stations = 0;
        let s = select_pilots(&d, &a, &analysis, &p, &crate::Euclidean, &[], &[], request);
        assert!(s.pilots[0].build.stations.is_empty());
    }
}
