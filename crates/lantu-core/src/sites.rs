//! Site recommendations (盘活存量): which idle buildings to convert, and to what.
//!
//! The objective, for a set of sites each given a set of kinds:
//! - **coverage**: the people each kind serves (its `serves` group: the old for elderly
//!   care, infants for infant care …) newly within its circle of a site that hosts it, each
//!   weighted by `base_need` + their community's priority score;
//! - **configuration**: per community, the missing core (一老一小) functions that the
//!   sites in it supply, as a share of those its rule asks for, times its weighted
//!   residents;
//! - **area**: per community, the floor-area gap the sites in it close, as a share of the
//!   required area, times its weighted residents.
//!
//! All three are monotone and submodular, so greedy selection with lazy evaluation is
//! sound and a bound holds: f(OPT) ≤ f(S) + the sum of the K largest marginal gains with
//! respect to S, and f(OPT) ≤ 2 f(S) (greedy on a matroid). A local pass then swaps
//! each chosen site for the best unchosen one while that raises f.

use crate::{
    Analysis, Assignment, CandidateId, CommunityId, Dataset, PerKind, Profile, ServiceKind, SiteReach, SquareMetres,
};
use std::collections::{BTreeSet, BinaryHeap};

/// A site to convert, in the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ChosenSite {
    /// The candidate.
    pub candidate: CandidateId,
    /// 1 = convert first.
    pub rank: u32,
    /// The kinds to place there.
    pub kinds: Vec<ServiceKind>,
    /// Its marginal contribution to the objective, in the order chosen.
    pub gain: f64,
    /// Households newly within reach, per kind.
    pub new_households: PerKind<f64>,
    /// People of each kind's group newly within reach, per kind.
    pub new_people: PerKind<f64>,
    /// The community it stands in.
    pub community: Option<CommunityId>,
    /// Floor-area gap it closes in its community, m².
    pub area_gap_closed: SquareMetres,
    /// Core kinds it adds to its community.
    pub core_added: Vec<ServiceKind>,
    /// Subsidy estimate from the support-policy amounts, yuan.
    pub subsidy_yuan: f64,
}

/// The recommendation.
#[derive(Clone, Debug, PartialEq)]
pub struct SitePlan {
    /// The sites, in rank order.
    pub sites: Vec<ChosenSite>,
    /// The objective reached.
    pub objective: f64,
    /// An upper bound on the best objective any K sites could reach.
    pub upper_bound: f64,
    /// Candidates that cannot host any kind (no floor area, or too small), by id.
    pub unusable: Vec<CandidateId>,
    /// Whether selection stopped because every community meets its rules.
    pub all_rules_met: bool,
}

impl SitePlan {
    /// The relative gap to the bound, 0–1 (0: provably optimal).
    pub fn gap_to_bound(&self) -> f64 {
        if self.upper_bound > 0.0 {
            (self.upper_bound - self.objective) / self.upper_bound
        } else {
            0.0
        }
    }
}

/// What the objective needs to know, precomputed.
pub struct SiteProblem<'a> {
    /// Per building: its weight (households × need) and the kinds already covering it.
    weight: Vec<f64>,
    covered: Vec<u64>,
    /// Per building, per target group: its people per household (the community's group
    /// over its buildings' households), so that `weight × people_per_hh` is weighted people.
    people_per_hh: Vec<[f64; 4]>,
    /// Per kind: the group it serves.
    kind_group: Vec<usize>,
    /// Per candidate, per kind: buildings within reach (building, distance).
    reach: &'a SiteReach,
    /// Per candidate: its community and floor area.
    site_community: Vec<Option<CommunityId>>,
    site_area: Vec<f64>,
    /// The kind sets (bit per kind) each candidate can host.
    options: Vec<Vec<u64>>,
    /// Per community: weighted households, core missing, core required, gap, required area.
    c_weight: Vec<f64>,
    c_core_present: Vec<u64>,
    c_core_required: Vec<u32>,
    c_gap: Vec<f64>,
    c_required: Vec<f64>,
    circles: PerKind<crate::Circle>,
    core_mask: u64,
    kinds: usize,
}

/// The changing part: what the chosen sites already supply.
#[derive(Clone)]
struct State {
    covered: Vec<u64>, // per building: kinds covered (bit per kind)
    c_core: Vec<u64>,  // per community: core kinds present
    c_area_added: Vec<f64>,
}

fn bits(kinds: u64) -> impl Iterator<Item = usize> {
    (0..64).filter(move |k| kinds & (1 << k) != 0)
}

fn mask(kinds: &[ServiceKind]) -> u64 {
    kinds.iter().fold(0u64, |m, k| m | (1 << k.index()))
}

impl<'a> SiteProblem<'a> {
    /// Sets up the problem. `reach` lists, per kind and candidate, the buildings (index,
    /// distance) from which the candidate is within the largest circle
    /// ([`crate::site_reach`]).
    pub fn new(
        d: &Dataset,
        a: &Assignment,
        analysis: &Analysis,
        profile: &'a Profile,
        reach: &'a SiteReach,
    ) -> SiteProblem<'a> {
        let rules = &profile.sites;
        let kinds = &profile.kinds;
        let need = |c: Option<CommunityId>| {
            rules.base_need + c.map_or(0.0, |c| analysis.communities[c.index()].priority_score)
        };
        let weight = d
            .buildings
            .iter()
            .zip(&a.building_community)
            .map(|(b, c)| if c.is_some() { b.households.map_or(0.0, |h| h.0) * need(*c) } else { 0.0 })
            .collect();
        let f = &analysis.communities;
        let people_per_hh = crate::people::people_per_household(d, a, f);
        let covered = (0..d.buildings.len())
            .map(|b| kinds.all().filter(|k| analysis.covered(b, *k)).fold(0u64, |m, k| m | (1 << k.index())))
            .collect();
        let core_mask = mask(&kinds.core());
        // every set of the convertible kinds (those with a floor area), in the order of
        // their bit masks
        let convertible: Vec<(usize, f64)> =
            kinds.defs().iter().enumerate().filter_map(|(k, def)| Some((k, def.site_area_m2?.0))).collect();
        let subsets: Vec<(u64, u32, f64)> = (1u64..1 << convertible.len())
            .map(|s| {
                let picked: Vec<(usize, f64)> = bits(s).map(|i| convertible[i]).collect();
                let m = picked.iter().fold(0u64, |m, (k, _)| m | (1 << k));
                (m, s.count_ones(), picked.iter().map(|(_, a)| a).sum::<f64>())
            })
            .collect();
        let site_area: Vec<f64> = d.candidates.iter().map(|c| c.floor_area.map_or(0.0, |a| a.0)).collect();
        let options = site_area
            .iter()
            .map(|&area| {
                let max_kinds = if area >= profile.complex.min_area_m2.0 { u32::MAX } else { rules.max_kinds_small };
                subsets.iter().filter(|(_, n, need)| *n <= max_kinds && *need <= area).map(|(m, _, _)| *m).collect()
            })
            .collect();
        SiteProblem {
            weight,
            covered,
            people_per_hh,
            kind_group: kinds.defs().iter().map(|k| k.serves as usize).collect(),
            reach,
            site_community: a.candidate_community.clone(),
            site_area,
            options,
            c_weight: f
                .iter()
                .map(|c| c.people.of(crate::TargetGroup::All).unwrap_or(0.0) * need(Some(c.id)))
                .collect(),
            c_core_present: f.iter().map(|c| mask(&c.functions) & core_mask).collect(),
            c_core_required: f.iter().map(|c| c.core_required).collect(),
            c_gap: f.iter().map(|c| c.area_gap.map_or(0.0, |g| g.0)).collect(),
            c_required: f.iter().map(|c| c.area_required.map_or(0.0, |g| g.0)).collect(),
            circles: profile.circles_by_kind(),
            core_mask,
            kinds: kinds.len(),
        }
    }

    fn empty_state(&self) -> State {
        State {
            covered: self.covered.clone(),
            c_core: self.c_core_present.clone(),
            c_area_added: vec![0.0; self.c_weight.len()],
        }
    }

    /// Per kind, the weighted people of its group newly in reach of site `c` given `s`.
    fn coverage_gains(&self, c: usize, s: &State) -> Vec<f64> {
        let mut g = vec![0.0; self.kinds];
        for (k, gk) in g.iter_mut().enumerate() {
            let kind = ServiceKind::from_index(k);
            let group = self.kind_group[k];
            for &(b, dist) in &self.reach.for_kind(kind)[c] {
                let b = b as usize;
                let w = self.weight[b] * self.people_per_hh[b][group];
                if w > 0.0 && s.covered[b] & (1 << k) == 0 && self.circles[k].covers(Some(crate::Metres(dist as f64))) {
                    *gk += w;
                }
            }
        }
        g
    }

    /// The configuration and area terms of putting `kinds` at site `c` given `s`.
    fn community_gain(&self, c: usize, kinds: u64, s: &State) -> f64 {
        let Some(cm) = self.site_community[c] else { return 0.0 };
        let i = cm.index();
        let req = self.c_core_required[i].max(1) as f64;
        let missing = |present: u64| (self.c_core_required[i] as f64 - present.count_ones() as f64).max(0.0);
        let config = (missing(s.c_core[i]) - missing(s.c_core[i] | (kinds & self.core_mask))) / req;
        let gap_left = (self.c_gap[i] - s.c_area_added[i]).max(0.0);
        let area = if self.c_required[i] > 0.0 { self.site_area[c].min(gap_left) / self.c_required[i] } else { 0.0 };
        self.c_weight[i] * (config + area)
    }

    /// The best kinds for site `c` given `s`, and the marginal gain.
    fn best(&self, c: usize, s: &State) -> (u64, f64) {
        let cov = self.coverage_gains(c, s);
        let mut best = (0u64, 0.0f64);
        for &opt in &self.options[c] {
            let g: f64 = bits(opt).map(|k| cov[k]).sum::<f64>() + self.community_gain(c, opt, s);
            if g > best.1 + 1e-12 {
                best = (opt, g);
            }
        }
        best
    }

    fn apply(&self, c: usize, kinds: u64, s: &mut State) {
        for k in bits(kinds) {
            for &(b, dist) in &self.reach.for_kind(ServiceKind::from_index(k))[c] {
                if self.circles[k].covers(Some(crate::Metres(dist as f64))) {
                    s.covered[b as usize] |= 1 << k;
                }
            }
        }
        if let Some(cm) = self.site_community[c] {
            s.c_core[cm.index()] |= kinds & self.core_mask;
            s.c_area_added[cm.index()] += self.site_area[c];
        }
    }

    /// The objective of sites with given kinds, from scratch (for tests and checks).
    pub fn objective(&self, plan: &[(CandidateId, Vec<ServiceKind>)]) -> f64 {
        let mut s = self.empty_state();
        let mut total = 0.0;
        for (c, kinds) in plan {
            let m = mask(kinds);
            let cov = self.coverage_gains(c.index(), &s);
            total += bits(m).map(|k| cov[k]).sum::<f64>() + self.community_gain(c.index(), m, &s);
            self.apply(c.index(), m, &mut s);
        }
        total
    }

    /// The kind sets candidate `c` can host.
    pub fn options(&self, c: CandidateId) -> Vec<Vec<ServiceKind>> {
        self.options[c.index()].iter().map(|&m| bits(m).map(ServiceKind::from_index).collect()).collect()
    }

    fn rules_met(&self, s: &State) -> bool {
        (0..self.c_weight.len()).all(|i| {
            let core_ok = s.c_core[i].count_ones() >= self.c_core_required[i];
            let area_ok = self.c_gap[i] - s.c_area_added[i] <= 1e-9;
            core_ok && area_ok
        })
    }

    /// Greedy with lazy evaluation, then one pass of swaps; at most `k` sites.
    pub fn solve(&self, k: usize) -> (Vec<(usize, u64)>, f64, f64, bool) {
        let n = self.site_area.len();
        let empty = self.empty_state();
        let initial: Vec<f64> = (0..n).map(|c| self.best(c, &empty).1).collect();
        let key = |g: f64| (g * 1e6).round() as i64; // total order with ties by candidate id
        let mut heap: BinaryHeap<(i64, std::cmp::Reverse<usize>)> =
            (0..n).filter(|&c| initial[c] > 0.0).map(|c| (key(initial[c]), std::cmp::Reverse(c))).collect();
        let mut state = empty.clone();
        let mut chosen: Vec<(usize, u64)> = Vec::new();
        let mut all_met = self.rules_met(&state);
        while chosen.len() < k && !all_met {
            let Some((_, std::cmp::Reverse(c))) = heap.pop() else { break };
            let (kinds, g) = self.best(c, &state);
            if g <= 0.0 {
                continue;
            }
            if heap.peek().is_none_or(|top| key(g) >= top.0) {
                self.apply(c, kinds, &mut state);
                chosen.push((c, kinds));
                all_met = self.rules_met(&state);
            } else {
                heap.push((key(g), std::cmp::Reverse(c)));
            }
        }
        // local improvement: swap a chosen site for a better unchosen one
        let mut improved = true;
        let mut rounds = 0;
        while improved && rounds < 3 && !chosen.is_empty() {
            improved = false;
            rounds += 1;
            for i in 0..chosen.len() {
                let mut s = empty.clone();
                for (j, &(c, kinds)) in chosen.iter().enumerate() {
                    if j != i {
                        self.apply(c, kinds, &mut s);
                    }
                }
                let (ci, _) = chosen[i];
                let (best_kinds_i, gain_i) = self.best(ci, &s);
                let taken: BTreeSet<usize> = chosen.iter().map(|x| x.0).collect();
                // lazy search: initial gains bound every later gain (submodularity)
                let mut order: Vec<usize> =
                    (0..n).filter(|c| !taken.contains(c) && initial[*c] > gain_i + 1e-9).collect();
                order.sort_by(|x, y| initial[*y].total_cmp(&initial[*x]).then(x.cmp(y)));
                let mut best: Option<(usize, u64, f64)> = None;
                for c in order {
                    if best.is_some_and(|b| initial[c] <= b.2) {
                        break;
                    }
                    let (kinds, g) = self.best(c, &s);
                    if g > gain_i + 1e-9 && best.is_none_or(|b| g > b.2) {
                        best = Some((c, kinds, g));
                    }
                }
                match best {
                    Some((c, kinds, _)) => {
                        chosen[i] = (c, kinds);
                        improved = true;
                    }
                    None => chosen[i] = (ci, best_kinds_i),
                }
            }
        }
        // the final plan, re-evaluated in order
        let mut s = empty.clone();
        let mut total = 0.0;
        let mut plan = Vec::new();
        for &(c, _) in &chosen {
            let (kinds, g) = self.best(c, &s);
            if g <= 0.0 {
                continue;
            }
            total += g;
            self.apply(c, kinds, &mut s);
            plan.push((c, kinds));
        }
        // the bound
        let taken: BTreeSet<usize> = plan.iter().map(|x| x.0).collect();
        let mut gains: Vec<f64> = (0..n).filter(|c| !taken.contains(c)).map(|c| self.best(c, &s).1).collect();
        gains.sort_by(|a, b| b.total_cmp(a));
        let online = total + gains.iter().take(k).sum::<f64>();
        let bound = online.min(2.0 * total).max(total);
        (plan, total, bound, self.rules_met(&s))
    }
}

/// Recommends up to `k` sites (or fewer, once every community meets its rules).
pub fn recommend_sites(
    d: &Dataset,
    a: &Assignment,
    analysis: &Analysis,
    profile: &Profile,
    reach: &SiteReach,
    k: usize,
) -> SitePlan {
    let p = SiteProblem::new(d, a, analysis, profile, reach);
    let (plan, objective, upper_bound, all_rules_met) = p.solve(k);
    let mut s = p.empty_state();
    let sites = plan
        .iter()
        .enumerate()
        .map(|(rank, &(c, kinds))| {
            let cov_before = s.covered.clone();
            let gain = p
                .coverage_gains(c, &s)
                .iter()
                .enumerate()
                .filter(|(k, _)| kinds & (1 << k) != 0)
                .map(|(_, g)| g)
                .sum::<f64>()
                + p.community_gain(c, kinds, &s);
            let community = p.site_community[c];
            let gap_closed = community
                .map_or(0.0, |cm| p.site_area[c].min((p.c_gap[cm.index()] - s.c_area_added[cm.index()]).max(0.0)));
            let core_added: Vec<ServiceKind> = community
                .map(|cm| bits(kinds & p.core_mask & !s.c_core[cm.index()]).map(ServiceKind::from_index).collect())
                .unwrap_or_default();
            p.apply(c, kinds, &mut s);
            let (mut new_households, mut new_people) = (vec![0.0; p.kinds], vec![0.0; p.kinds]);
            for k in 0..p.kinds {
                for &(b, _) in &reach.for_kind(ServiceKind::from_index(k))[c] {
                    let b = b as usize;
                    if a.building_community[b].is_some()
                        && s.covered[b] & (1 << k) != 0
                        && cov_before[b] & (1 << k) == 0
                    {
                        let hh = d.buildings[b].households.map_or(0.0, |h| h.0);
                        new_households[k] += hh;
                        new_people[k] += hh * p.people_per_hh[b][p.kind_group[k]];
                    }
                }
            }
            let kinds_v: Vec<ServiceKind> = bits(kinds).map(ServiceKind::from_index).collect();
            let (subsidy, _) = profile.support.amount(profile, &kinds_v, SquareMetres(p.site_area[c]), false, false);
            ChosenSite {
                candidate: CandidateId::from_index(c),
                rank: rank as u32 + 1,
                kinds: kinds_v,
                gain,
                new_households,
                new_people,
                community,
                area_gap_closed: SquareMetres(gap_closed),
                core_added,
                subsidy_yuan: subsidy.0,
            }
        })
        .collect();
    let unusable = (0..p.site_area.len()).filter(|&c| p.options[c].is_empty()).map(CandidateId::from_index).collect();
    SitePlan { sites, objective, upper_bound, unusable, all_rules_met }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{candidate, community, home, square};
    use crate::*;
    use geo::Point;

    /// Four 600 m communities, homes, a few facilities and `n` candidates.
    fn instance(seed: u64, n: usize, max_area: f64) -> (Dataset, Assignment, Analysis, Profile) {
        let mut r = SeededRng::new(seed);
        let mut d = Dataset::default();
        for i in 0..4u32 {
            let boundary = square((i % 2) as f64 * 600.0, (i / 2) as f64 * 600.0, 600.0);
            let households = r.range(200.0, 800.0).round();
            d.communities.push(Community {
                capable: i == 1,
                centralised: i != 2,
                ..community(i, households, boundary)
            });
        }
        for i in 0..60u32 {
            d.buildings.push(home(i, square(r.range(0.0, 1180.0), r.range(0.0, 1180.0), 15.0)));
        }
        let kinds = Profile::builtin().kinds;
        for (i, code) in ["fitness", "health", "elderly_care"].into_iter().enumerate() {
            let k = kinds.by_code(code).unwrap();
            d.facilities.push(Facility {
                id: FacilityId(i as u32),
                source_id: format!("F{i}"),
                name: format!("F{i}"),
                kinds: vec![k],
                floor_area: Some(SquareMetres(100.0)),
                capacity: None,
                complex: false,
                shared_by: vec![],
                location: Point::new(r.range(0.0, 1200.0), r.range(0.0, 1200.0)),
                footprint: None,
            });
        }
        for i in 0..n {
            let area = (i != 0).then(|| r.range(100.0, max_area).round());
            d.candidates.push(candidate(i as u32, area, Point::new(r.range(0.0, 1200.0), r.range(0.0, 1200.0))));
        }
        let mut p = Profile::builtin();
        let defs: Vec<KindDef> =
            p.kinds.defs().iter().cloned().map(|k| KindDef { site_area_m2: Some(SquareMetres(250.0)), ..k }).collect();
        p.kinds = Kinds::new(defs);
        p.sites.max_kinds_small = 1;
        let a = Assignment::compute(&d);
        derive_households(&mut d, &a.building_community, &p.households, None);
        let analysis = analyze(&d, &a, &p, &Euclidean);
        (d, a, analysis, p)
    }

    fn exhaustive(p: &SiteProblem, n: usize, k: usize) -> f64 {
        fn rec(
            p: &SiteProblem,
            n: usize,
            k: usize,
            start: usize,
            plan: &mut Vec<(CandidateId, Vec<ServiceKind>)>,
            best: &mut f64,
        ) {
            *best = best.max(p.objective(plan));
            if plan.len() == k {
                return;
            }
            for c in start..n {
                for opt in p.options(CandidateId(c as u32)) {
                    plan.push((CandidateId(c as u32), opt));
                    rec(p, n, k, c + 1, plan, best);
                    plan.pop();
                }
            }
        }
        let mut best = 0.0;
        rec(p, n, k, 0, &mut Vec::new(), &mut best);
        best
    }

    #[test]
    fn greedy_against_exhaustive_search_and_the_bound_holds() {
        for (seed, n, k, max_area) in [
            (1, 10, 1, 700.0),
            (2, 10, 2, 700.0),
            (3, 8, 2, 700.0),
            (4, 7, 3, 560.0),
            (5, 10, 2, 560.0),
            (6, 6, 3, 700.0),
        ] {
            let (d, a, analysis, profile) = instance(seed, n, max_area);
            let sites: Vec<Point> = d.candidates.iter().map(|c| c.location).collect();
            let reach = site_reach(&Euclidean, &profile.kinds, &d.buildings, &sites, profile.largest_radius());
            let plan = recommend_sites(&d, &a, &analysis, &profile, &reach, k);
            let p = SiteProblem::new(&d, &a, &analysis, &profile, &reach);
            let opt = exhaustive(&p, n, k);
            let got = p.objective(&plan.sites.iter().map(|s| (s.candidate, s.kinds.clone())).collect::<Vec<_>>());
            assert!((got - plan.objective).abs() < 1e-6, "seed {seed}: reported {} recomputed {got}", plan.objective);
            assert!(got <= opt + 1e-6, "seed {seed}: better than exhaustive? {got} > {opt}");
            assert!(plan.upper_bound >= opt - 1e-6, "seed {seed}: bound {} below the optimum {opt}", plan.upper_bound);
            assert!(got >= 0.5 * opt - 1e-9, "seed {seed}: {got} < half of {opt}");
            assert!(plan.sites.len() <= k);
            assert!(plan.unusable.contains(&CandidateId(0)), "a candidate without floor area is reported");
            eprintln!("seed {seed}: greedy {got:.2} optimum {opt:.2} bound {:.2}", plan.upper_bound);
        }
    }

    /// Two communities alike in every home, one of retirees and one of young families, each
    /// with one candidate in its middle that could host elderly care only: the one site
    /// asked for goes where it reaches more old people, and says how many.
    #[test]
    fn a_site_among_the_old_reaches_more_of_them_than_one_among_young_families() {
        let mut d = Dataset::default();
        for i in 0..2u32 {
            let elderly = Some(if i == 0 { 100.0 } else { 400.0 });
            let c = community(i, 400.0, square(i as f64 * 2000.0, 0.0, 600.0));
            d.communities.push(Community { population: Some(1000.0), elderly, ..c });
            for j in 0..4u32 {
                d.buildings.push(home(i * 4 + j, square(i as f64 * 2000.0 + 100.0 + 100.0 * j as f64, 280.0, 15.0)));
            }
            d.candidates.push(candidate(i, Some(200.0), Point::new(i as f64 * 2000.0 + 300.0, 300.0)));
        }
        let mut p = Profile::builtin();
        let defs: Vec<KindDef> = p
            .kinds
            .defs()
            .iter()
            .cloned()
            .map(|k| KindDef { site_area_m2: (k.code == "elderly_care").then_some(SquareMetres(200.0)), ..k })
            .collect();
        p.kinds = Kinds::new(defs);
        let a = Assignment::compute(&d);
        derive_households(&mut d, &a.building_community, &p.households, None);
        let analysis = analyze(&d, &a, &p, &Euclidean);
        let sites: Vec<Point> = d.candidates.iter().map(|c| c.location).collect();
        let reach = site_reach(&Euclidean, &p.kinds, &d.buildings, &sites, p.largest_radius());
        let plan = recommend_sites(&d, &a, &analysis, &p, &reach, 1);
        assert_eq!(plan.sites.len(), 1);
        let site = &plan.sites[0];
        assert_eq!(site.candidate, CandidateId(1), "the retirees' community: {plan:?}");
        let elderly = p.kinds.by_code("elderly_care").unwrap().index();
        assert_eq!(site.new_households[elderly], 400.0, "every home of the community is within 5 minutes");
        assert!((site.new_people[elderly] - 400.0).abs() < 1e-9, "its 400 old people: {:?}", site.new_people);
    }
}
