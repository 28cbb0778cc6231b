//! Planned projects and pilot communities: the analysis run again with the projects (or
//! the pilots' builds) as facilities, with the metric of the analysis.

use lantu_core::{
    analyze, project_effects, select_pilots, site_reach, Analysis, Assignment, CommunityId, Dataset, DistanceMetric,
    Lang, PilotBuild, PilotRequest, PilotSelection, PilotSite, Plan, Profile, ProjectEffect,
};

/// What one plan achieves.
pub struct PlanOutcome {
    /// The plan.
    pub plan: Plan,
    /// Each project's community and effect on its own, with its warnings.
    pub effects: Vec<ProjectEffect>,
    /// The whole analysis with every project built.
    pub after: Analysis,
}

/// The pilot communities and the figures once their builds are done.
pub struct PilotOutcome {
    /// The choice.
    pub selection: PilotSelection,
    /// The pilots' builds as projects (`pilot:<code>`), as the figures after place them.
    pub builds: Plan,
    /// The whole analysis with every pilot's build done.
    pub after: Analysis,
}

/// Runs the analysis with each plan's projects built.
pub fn plan_outcomes(
    d: &Dataset,
    a: &Assignment,
    profile: &Profile,
    before: &Analysis,
    metric: &dyn DistanceMetric,
    plans: &[Plan],
) -> Vec<PlanOutcome> {
    plans
        .iter()
        .map(|plan| {
            let points: Vec<geo::Point> = plan.projects.iter().map(|p| p.location).collect();
            let reach = site_reach(metric, &profile.kinds, &d.buildings, &points, profile.largest_radius());
            let (after, communities) = built(d, a, profile, metric, plan);
            let effects = project_effects(d, a, before, profile, plan, &reach, &communities);
            PlanOutcome { plan: plan.clone(), effects, after }
        })
        .collect()
}

/// Chooses the pilots (the plans' projects, placed in their communities by
/// [`plan_outcomes`], count for feasibility) and runs the analysis with their builds done.
pub fn pilot_outcome(
    d: &Dataset,
    a: &Assignment,
    profile: &Profile,
    before: &Analysis,
    metric: &dyn DistanceMetric,
    plans: &[PlanOutcome],
    request: PilotRequest,
) -> PilotOutcome {
    let plan_list: Vec<&Plan> = plans.iter().map(|o| &o.plan).collect();
    let plan_communities: Vec<Vec<_>> = plans.iter().map(|o| o.effects.iter().map(|e| e.community).collect()).collect();
    let selection = select_pilots(d, a, before, profile, metric, &plan_list, &plan_communities, request);
    let builds = selection.as_plan(d);
    let (after, _) = built(d, a, profile, metric, &builds);
    PilotOutcome { selection, builds, after }
}

/// The id and name of a pilot's site: the planned project (`plan:<id>`), the complex to
/// extend or the idle building to convert; empty for a new build whose site is to be found.
pub fn site_id_and_name(site: PilotSite, d: &Dataset, plans: &[PlanOutcome]) -> (String, String) {
    match site {
        PilotSite::Planned(i, j) => {
            let x = &plans[i].plan.projects[j];
            (format!("plan:{}", x.source_id), x.name.clone())
        }
        PilotSite::Extend(f) => (d.facilities[f.index()].source_id.clone(), d.facilities[f.index()].name.clone()),
        PilotSite::Convert(c) => (d.candidates[c.index()].source_id.clone(), d.candidates[c.index()].name.clone()),
        PilotSite::NewBuild => (String::new(), String::new()),
    }
}

/// How and where a pilot builds, in words (pages, the 申报方案 draft): 改造闲置资源 X …
pub fn site_in_words(site: PilotSite, d: &Dataset, plans: &[PlanOutcome], lang: Lang) -> String {
    let (_, n) = site_id_and_name(site, d, plans);
    match (site, lang) {
        (PilotSite::Planned(..), Lang::Zh) => format!("规划项目 {n}"),
        (PilotSite::Planned(..), Lang::En) => format!("planned project {n}"),
        (PilotSite::Extend(_), Lang::Zh) => format!("扩建现有综合体 {n}"),
        (PilotSite::Extend(_), Lang::En) => format!("extend the existing complex {n}"),
        (PilotSite::Convert(_), Lang::Zh) => format!("改造闲置资源 {n}"),
        (PilotSite::Convert(_), Lang::En) => format!("convert idle building {n}"),
        (PilotSite::NewBuild, Lang::Zh) => "新建，选址待定".into(),
        (PilotSite::NewBuild, Lang::En) => "new build, site to be found".into(),
    }
}

/// A pilot's stations (插花式) in words: each idle building, its kinds, floor area and the people
/// it brings within reach; empty when it has none.
pub fn stations_in_words(build: &PilotBuild, d: &Dataset, kinds: &lantu_core::Kinds, lang: Lang) -> String {
    build
        .stations
        .iter()
        .map(|s| {
            let name = &d.candidates[s.candidate.index()].name;
            let (k, area, people) = (kinds.names(&s.kinds, lang), s.area.0, s.people);
            lang.pick(
                format!("{name}（{k}，{area:.0} m²，新覆盖 {people:.0} 人）"),
                format!("{name} ({k}, {area:.0} m², {people:.0} more people in reach)"),
            )
        })
        .collect::<Vec<_>>()
        .join(lang.pick("；", "; "))
}

/// The whole analysis with a plan's projects built, with the analysis' metric, and the
/// community each project stands in (as the built dataset assigns it).
fn built(
    d: &Dataset,
    a: &Assignment,
    profile: &Profile,
    metric: &dyn DistanceMetric,
    plan: &Plan,
) -> (Analysis, Vec<Option<CommunityId>>) {
    let (built, assignment) = plan.apply(d, a);
    let communities = assignment.facility_community[d.facilities.len()..].to_vec();
    (analyze(&built, &assignment, profile, metric), communities)
}
