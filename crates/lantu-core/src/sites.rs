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
//!
//! Where the problem is small enough (`sites.exact_max_variables`), the same objective is
//! then solved exactly as a mixed-integer programme ([`exact`]) starting from the greedy
//! plan; the plan reports which method gave it, the best bound and the gap.

mod exact;

use crate::{
    Analysis, Assignment, CandidateId, CommunityId, Dataset, PerKind, Profile, ServiceKind, SiteReach, SquareMetres,
};
use exact::ExactRun;
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
    /// How the plan was found.
    pub method: SiteMethod,
}

/// How a site plan was found.
#[derive(Clone, Debug, PartialEq)]
pub enum SiteMethod {
    /// Branch and bound over the mixed-integer programme of the objective; `proven`: the
    /// plan is optimal (gap 0), otherwise the search stopped (`stopped`) with a plan better
    /// than greedy's and the bound it had proven.
    Exact {
        /// Variables of the programme.
        variables: usize,
        /// Branch-and-bound nodes solved.
        nodes: u64,
        /// Whether optimality is proven.
        proven: bool,
        /// Why the search stopped before proving it, when it did.
        stopped: Option<ExactStop>,
    },
    /// Greedy selection with lazy evaluation and swaps; `exact` says why the exact solver's
    /// answer is not the plan (`None`: it was not asked for).
    Greedy {
        /// Why the exact solver did not decide.
        exact: Option<ExactStop>,
    },
}

/// Why the exact solver did not prove its plan optimal, or gave none.
#[derive(Clone, Debug, PartialEq)]
pub enum ExactStop {
    /// The programme would have more variables than `sites.exact_max_variables`.
    TooLarge {
        /// Its variables.
        variables: usize,
        /// The limit.
        limit: usize,
    },
    /// It solved `sites.exact_node_limit` nodes without closing the gap.
    NodeLimit {
        /// Nodes solved.
        nodes: u64,
    },
    /// It ran `sites.exact_seconds` without closing the gap (a result that depends on the
    /// machine's speed).
    TimeLimit {
        /// The limit, s.
        seconds: f64,
    },
    /// Its best plan was no better than greedy's.
    NoBetter,
    /// The solver failed.
    Failed {
        /// The solver's message.
        message: String,
    },
}

impl SiteMethod {
    /// In the planner's words.
    pub fn describe(&self, lang: crate::Lang) -> String {
        let why = |e: &ExactStop| match e {
            ExactStop::TooLarge { variables, limit } => lang.pick(
                format!("规模 {variables} 个变量超过 sites.exact_max_variables = {limit}"),
                format!("{variables} variables exceed sites.exact_max_variables = {limit}"),
            ),
            ExactStop::NodeLimit { nodes } => lang.pick(
                format!("已求解 {nodes} 个分支节点（sites.exact_node_limit），未证明最优"),
                format!("{nodes} branch-and-bound nodes solved (sites.exact_node_limit) without proof"),
            ),
            ExactStop::TimeLimit { seconds } => lang.pick(
                format!("达到时间上限 {seconds} 秒（sites.exact_seconds；结果随机器速度而异）"),
                format!("time limit of {seconds} s reached (sites.exact_seconds; the result depends on the machine)"),
            ),
            ExactStop::NoBetter => {
                lang.pick("精确求解未找到更优方案", "the exact solver found no better plan").to_string()
            }
            ExactStop::Failed { message } => {
                lang.pick(format!("求解器出错：{message}"), format!("the solver failed: {message}"))
            }
        };
        match self {
            SiteMethod::Exact { variables, nodes, proven: true, .. } => lang.pick(
                format!("精确求解（混合整数规划，{variables} 个变量，{nodes} 个节点），已证明最优"),
                format!("exact (mixed-integer programme, {variables} variables, {nodes} nodes), proven optimal"),
            ),
            SiteMethod::Exact { variables, nodes, stopped, .. } => {
                let w = stopped.as_ref().map(why).unwrap_or_default();
                lang.pick(
                    format!("精确求解（{variables} 个变量，{nodes} 个节点），优于贪心但未证明最优：{w}"),
                    format!(
                        "exact ({variables} variables, {nodes} nodes), better than greedy, not proven optimal: {w}"
                    ),
                )
            }
            SiteMethod::Greedy { exact: None } => {
                lang.pick("贪心 + 交换（未启用精确求解）", "greedy + swaps (exact solver off)").to_string()
            }
            SiteMethod::Greedy { exact: Some(e) } => {
                lang.pick(format!("贪心 + 交换；{}", why(e)), format!("greedy + swaps; {}", why(e)))
            }
        }
    }
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
    /// Per kind: the floor area a site needs to host it (None: not proposed).
    kind_site_area: Vec<Option<f64>>,
    complex_min_m2: f64,
    rules: crate::profile::SiteRules,
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
            kind_site_area: kinds.defs().iter().map(|k| k.site_area_m2.map(|a| a.0)).collect(),
            complex_min_m2: profile.complex.min_area_m2.0,
            rules: rules.clone(),
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

    /// The marginal gain of putting `kinds` at site `c` given `s`.
    fn gain(&self, c: usize, kinds: u64, s: &State) -> f64 {
        let cov = self.coverage_gains(c, s);
        bits(kinds).map(|k| cov[k]).sum::<f64>() + self.community_gain(c, kinds, s)
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
        self.value(plan.iter().map(|(c, kinds)| (c.index(), mask(kinds))))
    }

    /// The objective of sites (candidate, kinds as bits), from scratch.
    fn value(&self, plan: impl IntoIterator<Item = (usize, u64)>) -> f64 {
        let mut s = self.empty_state();
        let mut total = 0.0;
        for (c, m) in plan {
            total += self.gain(c, m, &s);
            self.apply(c, m, &mut s);
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

    /// The plan for at most `k` sites: greedy, then the exact solver where the profile asks
    /// for it and the problem is small enough; the better plan, in rank order, with the
    /// tighter bound.
    fn solve(&self, k: usize) -> Solved {
        let (greedy, objective, bound, all_met) = self.greedy(k);
        if !self.rules.exact || greedy.is_empty() {
            return Solved { plan: greedy, objective, bound, all_met, method: SiteMethod::Greedy { exact: None } };
        }
        let limits = exact::Limits {
            max_variables: self.rules.exact_max_variables as usize,
            node_limit: self.rules.exact_node_limit as u64,
            seconds: self.rules.exact_seconds,
        };
        let run = match exact::solve(self, k, &greedy, &limits) {
            Ok(run) => run,
            Err(why) => {
                let method = SiteMethod::Greedy { exact: Some(why) };
                return Solved { plan: greedy, objective, bound, all_met, method };
            }
        };
        let (exact_plan, exact_objective, s) = self.in_rank_order(&run.plan);
        let better = exact_objective > objective + 1e-9 * objective.abs().max(1.0);
        // on a tie greedy's plan stays (the same tables as before), proven optimal or not
        let (plan, objective, all_met) =
            if better { (exact_plan, exact_objective, self.rules_met(&s)) } else { (greedy, objective, all_met) };
        let bound = if run.proven { objective } else { bound.min(run.bound).max(objective) };
        let ExactRun { variables, nodes, proven, stopped, .. } = run;
        let method = if proven || better {
            SiteMethod::Exact { variables, nodes, proven, stopped }
        } else {
            SiteMethod::Greedy { exact: Some(stopped.unwrap_or(ExactStop::NoBetter)) }
        };
        Solved { plan, objective, bound, all_met, method }
    }

    /// Orders sites by their marginal gain (the largest first, as greedy would), drops kinds
    /// and sites that add nothing; returns them, the objective and the state they leave.
    fn in_rank_order(&self, sites: &[(usize, u64)]) -> (Vec<(usize, u64)>, f64, State) {
        let mut left: Vec<(usize, u64)> = sites.to_vec();
        let mut s = self.empty_state();
        let mut plan = Vec::new();
        let mut total = 0.0;
        while !left.is_empty() {
            let (i, g) = left
                .iter()
                .enumerate()
                .map(|(i, &(c, kinds))| (i, self.gain(c, kinds, &s)))
                .fold((0, f64::NEG_INFINITY), |best, x| if x.1 > best.1 + 1e-12 { x } else { best });
            let (c, mut kinds) = left.remove(i);
            if g <= 0.0 {
                continue;
            }
            // a kind whose removal costs nothing, given every other site, is not proposed
            for k in bits(kinds) {
                let fewer = kinds & !(1 << k);
                if fewer != 0 {
                    let others = || plan.iter().chain(left.iter()).copied();
                    let with = self.value(others().chain([(c, kinds)]));
                    if self.value(others().chain([(c, fewer)])) >= with - 1e-9 * with.abs().max(1.0) {
                        kinds = fewer;
                    }
                }
            }
            total += self.gain(c, kinds, &s);
            self.apply(c, kinds, &mut s);
            plan.push((c, kinds));
        }
        (plan, total, s)
    }

    /// Greedy with lazy evaluation, then one pass of swaps; at most `k` sites.
    fn greedy(&self, k: usize) -> (Vec<(usize, u64)>, f64, f64, bool) {
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
    let Solved { plan, objective, bound: upper_bound, all_met: all_rules_met, method } = p.solve(k);
    let mut s = p.empty_state();
    let sites = plan
        .iter()
        .enumerate()
        .map(|(rank, &(c, kinds))| {
            let cov_before = s.covered.clone();
            let gain = p.gain(c, kinds, &s);
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
    SitePlan { sites, objective, upper_bound, unusable, all_rules_met, method }
}

/// A plan with what is known of it.
struct Solved {
    plan: Vec<(usize, u64)>,
    objective: f64,
    bound: f64,
    all_met: bool,
    method: SiteMethod,
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
            let (d, a, analysis, mut profile) = instance(seed, n, max_area);
            profile.sites.exact = false;
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
            assert_eq!(plan.method, SiteMethod::Greedy { exact: None });
        }
    }

    /// The exact solver against brute force (every subset of candidates, every kind set of
    /// each): the same objective, proven, gap 0 — on instances where greedy falls short too.
    #[test]
    fn the_exact_solver_equals_brute_force_and_proves_it() {
        let mut greedy_short = 0;
        for seed in 1..=14u64 {
            let (n, k, max_area) =
                (6 + (seed % 5) as usize, 1 + (seed % 3) as usize, [560.0, 700.0][seed as usize % 2]);
            let (d, a, analysis, mut profile) = instance(seed, n, max_area);
            let sites: Vec<Point> = d.candidates.iter().map(|c| c.location).collect();
            let reach = site_reach(&Euclidean, &profile.kinds, &d.buildings, &sites, profile.largest_radius());
            let p = SiteProblem::new(&d, &a, &analysis, &profile, &reach);
            let opt = exhaustive(&p, n, k);
            let plan = recommend_sites(&d, &a, &analysis, &profile, &reach, k);
            let got = p.objective(&plan.sites.iter().map(|s| (s.candidate, s.kinds.clone())).collect::<Vec<_>>());
            assert!((got - opt).abs() <= 1e-6 * opt.max(1.0), "seed {seed}: exact {got} vs brute force {opt}");
            assert!((plan.objective - got).abs() <= 1e-6 * opt.max(1.0), "seed {seed}: reported {}", plan.objective);
            assert!(plan.gap_to_bound().abs() < 1e-9, "seed {seed}: gap {}", plan.gap_to_bound());
            assert!(matches!(plan.method, SiteMethod::Exact { proven: true, .. }), "seed {seed}: {:?}", plan.method);
            profile.sites.exact = false;
            let greedy = recommend_sites(&d, &a, &analysis, &profile, &reach, k);
            greedy_short += (greedy.objective < opt - 1e-6) as u32;
            eprintln!("seed {seed}: n {n} k {k} optimum {opt:.3} greedy {:.3} {:?}", greedy.objective, plan.method);
        }
        assert!(greedy_short > 0, "some instance where greedy is not optimal, so the test can tell them apart");
    }

    /// A programme above `sites.exact_max_variables` is not built: greedy's plan, with why.
    #[test]
    fn too_large_a_programme_falls_back_to_greedy_and_says_so() {
        let (d, a, analysis, mut profile) = instance(3, 8, 700.0);
        profile.sites.exact_max_variables = 5;
        let sites: Vec<Point> = d.candidates.iter().map(|c| c.location).collect();
        let reach = site_reach(&Euclidean, &profile.kinds, &d.buildings, &sites, profile.largest_radius());
        let plan = recommend_sites(&d, &a, &analysis, &profile, &reach, 2);
        match &plan.method {
            SiteMethod::Greedy { exact: Some(ExactStop::TooLarge { variables, limit: 5 }) } => assert!(*variables > 5),
            m => panic!("{m:?}"),
        }
        assert!(plan.method.describe(Lang::Zh).contains("sites.exact_max_variables = 5"));
        assert!(!plan.sites.is_empty());
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
