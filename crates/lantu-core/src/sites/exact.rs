//! The exact site choice: the objective of [`SiteProblem`] as a mixed-integer programme
//! (a maximal-covering location problem with the community terms), solved by branch and
//! bound with the pure-Rust `microlp` solver.
//!
//! Variables, all in [0, 1]:
//! - `x[c]` (binary): candidate `c` is converted; `s[c,k]` (binary): it hosts kind `k`;
//!   `s[c,k] ≤ x[c] ≤ Σₖ s[c,k]`, `Σₖ area(k)·s[c,k] ≤ area(c)`, below the complex minimum
//!   `Σₖ s[c,k] ≤ max_kinds_small`, and `Σ x ≤ K`;
//! - `y[g]`: the homes of one cover group — the homes that kind `k` does not reach today and
//!   that the same candidates would reach — are newly within reach: `y[g] ≤ Σ_{c∈g} s[c,k]`,
//!   worth the group's weighted people;
//! - per community, `z[i,k] ≤ Σ_{c in i} s[c,k]` for each core kind it lacks, `u[i] ≤ Σₖ z[i,k]`
//!   and `u[i] ≤` the functions still missing (worth weighted residents ÷ functions required),
//!   and `a[i] ≤ Σ_{c in i} area(c)·x[c]`, `a[i] ≤` its area gap (worth weighted residents ÷
//!   the required area).
//!
//! Its optimum is the best [`SiteProblem::objective`] of any K sites: coverage is a union,
//! and the configuration and area terms telescope to min(what the sites add, what is missing).
//! Homes that the same candidates reach are one variable, so the programme grows with the
//! candidates, not with the homes. The greedy plan is the starting incumbent, so the answer
//! is never worse than greedy's; the node limit keeps the result the same on every machine.

use super::{bits, SiteProblem, State};
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, TerminationReason, Variable};
use std::collections::BTreeMap;
use std::time::Duration;

/// What the branch and bound gave.
pub(super) struct ExactRun {
    /// The sites and their kinds (bit per kind), in candidate order.
    pub plan: Vec<(usize, u64)>,
    /// The best proven upper bound on the objective.
    pub bound: f64,
    /// Whether the plan is proven optimal (gap 0).
    pub proven: bool,
    /// Why the search stopped early, when it did.
    pub stopped: Option<super::ExactStop>,
    /// Variables of the programme.
    pub variables: usize,
    /// Branch-and-bound nodes solved.
    pub nodes: u64,
}

/// Limits of one exact solve.
pub(super) struct Limits {
    pub max_variables: usize,
    pub node_limit: u64,
    pub seconds: f64,
}

/// The programme's variables, by what they stand for.
struct Model {
    problem: Problem,
    sites: Vec<SiteVars>,
    /// Per cover group: (kind, the candidates reaching it, y).
    groups: Vec<(usize, Vec<usize>, Variable)>,
    communities: Vec<CommunityVars>,
}

/// A kept candidate's variables.
struct SiteVars {
    candidate: usize,
    /// x: converted.
    converted: Variable,
    /// s per kind it can host.
    hosts: Vec<(usize, Variable)>,
}

/// A community's variables (one with a kept candidate).
struct CommunityVars {
    community: usize,
    /// z per core kind it lacks and a candidate in it can host.
    lacking: Vec<(usize, Variable)>,
    /// u: core functions added, capped by those missing.
    functions: Option<Variable>,
    /// a: floor area added, capped by the gap.
    area: Option<Variable>,
}

impl Model {
    fn variables(&self) -> usize {
        self.sites.iter().map(|s| 1 + s.hosts.len()).sum::<usize>()
            + self.groups.len()
            + self
                .communities
                .iter()
                .map(|c| c.lacking.len() + c.functions.is_some() as usize + c.area.is_some() as usize)
                .sum::<usize>()
    }
}

/// Kinds (bit per kind) that candidate `c` can host in some option.
fn hostable(p: &SiteProblem, c: usize) -> u64 {
    p.options[c].iter().fold(0, |m, o| m | o)
}

/// Homes not yet reached by kind `k`, grouped by the kept candidates that would reach them
/// (hosting `k`): per group (kind, candidates), its summed weighted people. `keep` is sorted.
fn cover_groups(p: &SiteProblem, keep: &[usize]) -> BTreeMap<(usize, Vec<usize>), f64> {
    // (kind, home, candidate), sorted: each (kind, home)'s candidates in a row, in order
    let mut reached: Vec<(u8, u32, u32)> = Vec::new();
    for &c in keep {
        for k in bits(hostable(p, c)) {
            let kind = crate::ServiceKind::from_index(k);
            for &(b, dist) in &p.reach.for_kind(kind)[c] {
                let w = p.weight[b as usize] * p.people_per_hh[b as usize][p.kind_group[k]];
                if w > 0.0
                    && p.covered[b as usize] & (1 << k) == 0
                    && p.circles[k].covers(Some(crate::Metres(dist as f64)))
                {
                    reached.push((k as u8, b, c as u32));
                }
            }
        }
    }
    reached.sort_unstable();
    reached.dedup();
    let mut groups: BTreeMap<(usize, Vec<usize>), f64> = BTreeMap::new();
    for run in reached.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
        let (k, b) = (run[0].0 as usize, run[0].1 as usize);
        let cs: Vec<usize> = run.iter().map(|x| x.2 as usize).collect();
        *groups.entry((k, cs)).or_default() += p.weight[b] * p.people_per_hh[b][p.kind_group[k]];
    }
    groups
}

fn build(p: &SiteProblem, keep: &[usize], k_sites: usize, groups_reached: BTreeMap<(usize, Vec<usize>), f64>) -> Model {
    let mut problem = Problem::new(OptimizationDirection::Maximize);
    let mut sites = Vec::new();
    for &c in keep {
        let x = problem.add_binary_var(0.0);
        let kinds: Vec<(usize, Variable)> = bits(hostable(p, c)).map(|k| (k, problem.add_binary_var(0.0))).collect();
        for &(_, s) in &kinds {
            problem.add_constraint([(s, 1.0), (x, -1.0)], ComparisonOp::Le, 0.0);
        }
        let mut any: Vec<(Variable, f64)> = kinds.iter().map(|&(_, s)| (s, -1.0)).collect();
        any.push((x, 1.0));
        problem.add_constraint(any, ComparisonOp::Le, 0.0);
        let area: Vec<(Variable, f64)> =
            kinds.iter().map(|&(k, s)| (s, p.kind_site_area[k].unwrap_or(f64::INFINITY))).collect();
        problem.add_constraint(area, ComparisonOp::Le, p.site_area[c]);
        if p.site_area[c] < p.complex_min_m2 {
            let count: Vec<(Variable, f64)> = kinds.iter().map(|&(_, s)| (s, 1.0)).collect();
            problem.add_constraint(count, ComparisonOp::Le, p.rules.max_kinds_small as f64);
        }
        sites.push(SiteVars { candidate: c, converted: x, hosts: kinds });
    }
    let all: Vec<(Variable, f64)> = sites.iter().map(|s| (s.converted, 1.0)).collect();
    problem.add_constraint(all, ComparisonOp::Le, k_sites as f64);
    let site_kind = |c: usize, k: usize| -> Option<Variable> {
        let i = keep.binary_search(&c).ok()?;
        sites[i].hosts.iter().find(|(kk, _)| *kk == k).map(|(_, s)| *s)
    };
    let mut groups = Vec::new();
    for ((k, cs), w) in groups_reached {
        let y = problem.add_var(w, (0.0, 1.0));
        let mut row: Vec<(Variable, f64)> = cs.iter().filter_map(|&c| site_kind(c, k)).map(|s| (s, -1.0)).collect();
        row.push((y, 1.0));
        problem.add_constraint(row, ComparisonOp::Le, 0.0);
        groups.push((k, cs, y));
    }
    let mut by_community: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &c in keep {
        if let Some(cm) = p.site_community[c] {
            by_community.entry(cm.index()).or_default().push(c);
        }
    }
    let mut communities = Vec::new();
    for (i, cs) in by_community {
        let missing = (p.c_core_required[i] as f64 - p.c_core_present[i].count_ones() as f64).max(0.0);
        let mut zs = Vec::new();
        let mut u = None;
        if missing > 0.0 {
            let lacking = p.core_mask & !p.c_core_present[i];
            for k in bits(lacking) {
                let hosts: Vec<Variable> = cs.iter().filter_map(|&c| site_kind(c, k)).collect();
                if hosts.is_empty() {
                    continue;
                }
                let z = problem.add_var(0.0, (0.0, 1.0));
                let mut row: Vec<(Variable, f64)> = hosts.iter().map(|&s| (s, -1.0)).collect();
                row.push((z, 1.0));
                problem.add_constraint(row, ComparisonOp::Le, 0.0);
                zs.push((k, z));
            }
            if !zs.is_empty() {
                let req = p.c_core_required[i].max(1) as f64;
                let uv = problem.add_var(p.c_weight[i] / req, (0.0, missing));
                let mut row: Vec<(Variable, f64)> = zs.iter().map(|&(_, z)| (z, -1.0)).collect();
                row.push((uv, 1.0));
                problem.add_constraint(row, ComparisonOp::Le, 0.0);
                u = Some(uv);
            }
        }
        let mut a = None;
        if p.c_required[i] > 0.0 && p.c_gap[i] > 0.0 {
            let av = problem.add_var(p.c_weight[i] / p.c_required[i], (0.0, p.c_gap[i]));
            let mut row: Vec<(Variable, f64)> =
                cs.iter().map(|&c| (sites[keep.binary_search(&c).expect("kept")].converted, -p.site_area[c])).collect();
            row.push((av, 1.0));
            problem.add_constraint(row, ComparisonOp::Le, 0.0);
            a = Some(av);
        }
        communities.push(CommunityVars { community: i, lacking: zs, functions: u, area: a });
    }
    Model { problem, sites, groups, communities }
}

/// The programme's values for a plan, so that the greedy plan starts the search.
fn values_of(p: &SiteProblem, m: &Model, plan: &[(usize, u64)]) -> Vec<(Variable, f64)> {
    let chosen: BTreeMap<usize, u64> = plan.iter().copied().collect();
    let hosts = |c: usize, k: usize| chosen.get(&c).is_some_and(|kinds| kinds & (1 << k) != 0);
    let mut v = Vec::new();
    for site in &m.sites {
        v.push((site.converted, chosen.contains_key(&site.candidate) as u8 as f64));
        for &(k, s) in &site.hosts {
            v.push((s, hosts(site.candidate, k) as u8 as f64));
        }
    }
    for (k, cs, y) in &m.groups {
        v.push((*y, cs.iter().any(|&c| hosts(c, *k)) as u8 as f64));
    }
    for cv in &m.communities {
        let i = cv.community;
        let in_it = |c: usize| p.site_community[c].map(|cm| cm.index()) == Some(i);
        let mut added = 0.0;
        for &(k, z) in &cv.lacking {
            let on = chosen.keys().any(|&c| in_it(c) && hosts(c, k));
            added += on as u8 as f64;
            v.push((z, on as u8 as f64));
        }
        if let Some(u) = cv.functions {
            let missing = (p.c_core_required[i] as f64 - p.c_core_present[i].count_ones() as f64).max(0.0);
            v.push((u, added.min(missing)));
        }
        if let Some(a) = cv.area {
            let area: f64 = chosen.keys().filter(|&&c| in_it(c)).map(|&c| p.site_area[c]).sum();
            v.push((a, area.min(p.c_gap[i])));
        }
    }
    v
}

/// Solves the programme for at most `k_sites` sites, starting from `greedy`.
pub(super) fn solve(
    p: &SiteProblem,
    k_sites: usize,
    greedy: &[(usize, u64)],
    limits: &Limits,
) -> Result<ExactRun, super::ExactStop> {
    let empty: State = p.empty_state();
    // a candidate that adds nothing alone adds nothing beside others (the objective is submodular)
    let keep: Vec<usize> =
        (0..p.site_area.len()).filter(|&c| !p.options[c].is_empty() && p.best(c, &empty).1 > 0.0).collect();
    // the candidates' side first (cheap): a city's thousands of candidates stop here
    let on_sites: usize = keep.iter().map(|&c| 1 + hostable(p, c).count_ones() as usize).sum();
    if on_sites > limits.max_variables {
        return Err(super::ExactStop::TooLarge { variables: on_sites, limit: limits.max_variables });
    }
    let groups = cover_groups(p, &keep);
    if on_sites + groups.len() > limits.max_variables {
        return Err(super::ExactStop::TooLarge { variables: on_sites + groups.len(), limit: limits.max_variables });
    }
    let model = build(p, &keep, k_sites, groups);
    let variables = model.variables();
    if variables > limits.max_variables {
        return Err(super::ExactStop::TooLarge { variables, limit: limits.max_variables });
    }
    let mut options = SolveOptions::default();
    options.node_limit = Some(limits.node_limit);
    options.time_limit = Some(Duration::from_secs_f64(limits.seconds));
    options.warm_start = Some(values_of(p, &model, greedy));
    let outcome = model.problem.solve_with(options).map_err(|e| super::ExactStop::Failed { message: e.to_string() })?;
    let stats = outcome.stats();
    let stopped = match outcome.termination_reason() {
        TerminationReason::ProvenOptimal | TerminationReason::MipGap => None,
        TerminationReason::NodeLimit => Some(super::ExactStop::NodeLimit { nodes: stats.nodes_solved }),
        TerminationReason::TimeLimit => Some(super::ExactStop::TimeLimit { seconds: limits.seconds }),
        other => Some(super::ExactStop::Failed { message: format!("{other:?}") }),
    };
    let Some(solution) = outcome.solution() else {
        return Err(stopped.unwrap_or(super::ExactStop::Failed { message: "no solution".into() }));
    };
    let on = |v: Variable| solution.var_value_raw(v) > 0.5;
    let plan: Vec<(usize, u64)> = model
        .sites
        .iter()
        .filter(|site| on(site.converted))
        .map(|site| (site.candidate, site.hosts.iter().filter(|(_, s)| on(*s)).fold(0u64, |m, (k, _)| m | (1 << k))))
        .filter(|(_, kinds)| *kinds != 0)
        .collect();
    let proven = solution.status() == microlp::SolutionStatus::Optimal;
    let bound = if proven { solution.objective() } else { stats.best_bound.unwrap_or(f64::INFINITY) };
    Ok(ExactRun { plan, bound, proven, stopped, variables, nodes: stats.nodes_solved })
}
