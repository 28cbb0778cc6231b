//! The tables of planned projects and pilot communities: `projects.csv`,
//! `plan_before_after.csv`, `pilots.csv` and `application.csv` (the 申报方案 figures).

use crate::tables::{flag, num, opt};
use lantu_core::{district_name, Analysis, CommunityFigures, Dataset, Kinds, Lang, PilotSite, Profile, StreetFigures};
use lantu_engine::style::no_street_name;
use lantu_engine::{PilotOutcome, PlanOutcome};

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Column names of `projects.csv`: every project of every plan and what it does on its own.
pub fn project_columns(kinds: &Kinds) -> Vec<String> {
    let mut c = strs(&[
        "plan",
        "plan_name",
        "source_id",
        "name",
        "project_type",
        "year",
        "kinds",
        "kinds_zh",
        "floor_area_m2",
        "complex",
        "community_code",
        "community_name",
        "new_households",
    ]);
    c.extend(crate::tables::kind_columns(kinds, "new_", "_hh"));
    c.extend(strs(&["functions_added", "area_gap_filled_m2", "cost_yuan", "cost_assumed", "warnings"]));
    c
}

/// The rows of `projects.csv`.
pub fn project_rows(d: &Dataset, plans: &[PlanOutcome], profile: &Profile, lang: Lang) -> Vec<Vec<String>> {
    let kinds = &profile.kinds;
    let sep = lang.pick("；", "; ");
    let mut rows = Vec::new();
    for (n, o) in plans.iter().enumerate() {
        for (p, e) in o.plan.projects.iter().zip(&o.effects) {
            let c = e.community.map(|c| d.community(c));
            let cost = p.cost_estimate(profile);
            let mut row = vec![
                (n + 1).to_string(),
                o.plan.name.clone(),
                p.source_id.clone(),
                p.name.clone(),
                p.project_type.clone(),
                p.year.map(|y| y.to_string()).unwrap_or_default(),
                kinds.codes(&p.kinds),
                kinds.names(&p.kinds, Lang::Zh),
                opt(p.floor_area.map(|a| a.0), 2),
                flag(p.complex),
                c.map(|c| c.code.clone()).unwrap_or_default(),
                c.map(|c| c.name.clone()).unwrap_or_default(),
                num(e.new_households.iter().sum(), 1),
            ];
            row.extend(e.new_households.iter().map(|h| num(*h, 1)));
            row.push(kinds.codes(&e.functions_added));
            row.push(num(e.gap_filled.0, 2));
            row.push(opt(cost.map(|c| c.0 .0), 0));
            row.push(cost.map(|c| flag(c.1)).unwrap_or_default());
            row.push(e.warnings.iter().map(|w| w.get(lang)).collect::<Vec<_>>().join(sep));
            rows.push(row);
        }
    }
    rows
}

/// The figures compared before and after, per community and street.
const COMPARED: [&str; 6] =
    ["area_gap_m2", "largest_complex_m2", "functions", "config_ok", "uncovered_households", "facility_area_m2"];

/// Column names of `plan_before_after.csv`: the figures without any plan, then one set
/// per plan (`after1_…`, `after2_…`, in the order the plans were given).
pub fn plan_before_after_columns(kinds: &Kinds, plans: usize) -> Vec<String> {
    let mut c = strs(&["level", "code", "name", "households"]);
    let set = |prefix: &str| {
        let mut v: Vec<String> = COMPARED.iter().map(|f| format!("{prefix}{f}")).collect();
        v.extend(kinds.all().map(|k| format!("{prefix}coverage_{}", kinds.code(k))));
        v.extend(grouped(kinds).map(|k| format!("{prefix}coverage_people_{}", kinds.code(k))));
        v
    };
    c.extend(set("before_"));
    for n in 1..=plans {
        c.extend(set(&format!("after{n}_")));
    }
    c
}

fn community_set(f: &CommunityFigures, kinds: &Kinds) -> Vec<String> {
    let mut v = vec![
        opt(f.area_gap.map(|g| g.0), 2),
        num(f.largest_complex.0, 2),
        kinds.codes(&f.functions),
        flag(f.config_ok),
        num(f.uncovered_households.0, 1),
        num(f.facility_area.0, 2),
    ];
    v.extend(f.coverage.iter().map(|c| opt(*c, 4)));
    v.extend(grouped(kinds).map(|k| opt(f.coverage_people[k.index()], 4)));
    v
}

/// The kinds serving one group (the old, infants, children), whose people coverage the
/// compared sets carry beside the households'.
fn grouped(kinds: &Kinds) -> impl Iterator<Item = lantu_core::ServiceKind> + '_ {
    kinds.all().filter(|k| kinds.def(*k).serves != lantu_core::TargetGroup::All)
}

fn street_set(s: &StreetFigures, kinds: &Kinds) -> Vec<String> {
    let mut v = vec![
        num(s.area_gap.0, 2),
        String::new(),
        String::new(),
        (s.communities.len() as u32 - s.fail_config).to_string(),
        num(s.uncovered_households.0, 1),
        num(s.facility_area.0, 2),
    ];
    v.extend(s.coverage.iter().map(|c| opt(*c, 4)));
    v.extend(grouped(kinds).map(|k| opt(s.coverage_people[k.index()], 4)));
    debug_assert_eq!(v.len(), COMPARED.len() + kinds.len() + grouped(kinds).count());
    v
}

/// The rows of `plan_before_after.csv` (or of any before/after set of analyses): per
/// community in input order, then per street. For streets `config_ok` counts the
/// communities meeting the rule.
pub fn plan_before_after_rows(d: &Dataset, before: &Analysis, afters: &[&Analysis], lang: Lang) -> Vec<Vec<String>> {
    let kinds = &before.kinds;
    let mut rows = Vec::new();
    for (i, b) in before.communities.iter().enumerate() {
        let c = d.community(b.id);
        let mut row = vec!["community".to_string(), c.code.clone(), c.name.clone(), opt(b.households.map(|h| h.0), 1)];
        row.extend(community_set(b, kinds));
        for a in afters {
            row.extend(community_set(&a.communities[i], kinds));
        }
        rows.push(row);
    }
    for (i, b) in before.streets.iter().enumerate() {
        let (code, name) = match b.id {
            Some(id) => (d.streets[id.index()].code.clone(), d.streets[id.index()].name.clone()),
            None => (String::new(), no_street_name(lang).into()),
        };
        let mut row = vec!["street".to_string(), code, name, num(b.households.0, 1)];
        row.extend(street_set(b, kinds));
        for a in afters {
            row.extend(street_set(&a.streets[i], kinds));
        }
        rows.push(row);
    }
    rows
}

/// Column names of `pilots.csv`.
pub fn pilot_columns(kinds: &Kinds) -> Vec<String> {
    let mut c = strs(&[
        "pilot_rank",
        "by_2025",
        "community_code",
        "community_name",
        "street_code",
        "street_name",
        "district_code",
        "district_name",
        "households",
        "need",
        "feasibility",
        "pilot_score",
        "site_type",
        "site_id",
        "site_name",
        "build",
        "reason",
    ]);
    // what the build (complex and stations) brings the old and the young it is for
    for k in kinds.core() {
        c.push(format!("coverage_people_before_{}", kinds.code(k)));
        c.push(format!("coverage_people_after_{}", kinds.code(k)));
    }
    c
}

fn site_type(site: PilotSite, lang: Lang) -> &'static str {
    match (site, lang) {
        (PilotSite::Planned(..), Lang::Zh) => "规划项目",
        (PilotSite::Planned(..), Lang::En) => "planned project",
        (PilotSite::Extend(_), Lang::Zh) => "改扩建现有综合体",
        (PilotSite::Extend(_), Lang::En) => "extend the existing complex",
        (PilotSite::Convert(_), Lang::Zh) => "存量转型（闲置资源）",
        (PilotSite::Convert(_), Lang::En) => "convert an idle building",
        (PilotSite::NewBuild, Lang::Zh) => "新建（选址待定）",
        (PilotSite::NewBuild, Lang::En) => "new build (site to be found)",
    }
}

/// The rows of `pilots.csv`.
pub fn pilot_rows(
    d: &Dataset,
    o: &PilotOutcome,
    plans: &[PlanOutcome],
    before: &Analysis,
    lang: Lang,
) -> Vec<Vec<String>> {
    let kinds = &before.kinds;
    o.selection
        .pilots
        .iter()
        .map(|p| {
            let f = &before.communities[p.community.index()];
            let c = d.community(p.community);
            let (street_code, street_name) = f.street_code_and_name(d);
            let (site_id, site_name) = lantu_engine::site_id_and_name(p.build.site, d, plans);
            let b = &p.build;
            let build = if lang == Lang::Zh {
                format!(
                    "新增建筑面积 {:.0} m²（新建 {:.0}，改造 {:.0}），综合体 {:.0} m²；服务：{}",
                    b.added_area().0,
                    b.new_build.0,
                    b.renovation.0,
                    b.complex_area.0,
                    kinds.names(&b.kinds, Lang::Zh)
                )
            } else {
                format!(
                    "add {:.0} m² (new {:.0}, renovated {:.0}), complex {:.0} m²; serving {}",
                    b.added_area().0,
                    b.new_build.0,
                    b.renovation.0,
                    b.complex_area.0,
                    kinds.names(&b.kinds, Lang::En)
                )
            };
            let stations = lantu_engine::stations_in_words(b, d, kinds, lang);
            let build = if stations.is_empty() {
                build
            } else {
                format!("{build}{}{stations}", lang.pick("；插花式服务站：", "; stations: "))
            };
            vec![
                p.rank.to_string(),
                flag(p.by_2025),
                c.code.clone(),
                c.name.clone(),
                street_code,
                street_name,
                p.district.clone().unwrap_or_default(),
                p.district.as_deref().and_then(district_name).unwrap_or_default().to_string(),
                opt(f.households.map(|h| h.0), 1),
                num(p.need, 4),
                num(p.feasibility, 4),
                num(p.score, 4),
                site_type(b.site, lang).to_string(),
                site_id,
                site_name,
                build,
                p.reason.get(lang).to_string(),
            ]
            .into_iter()
            .chain(kinds.core().into_iter().flat_map(|k| {
                let after = &o.after.communities[p.community.index()];
                [opt(f.coverage_people[k.index()], 4), opt(after.coverage_people[k.index()], 4)]
            }))
            .collect()
        })
        .collect()
}

/// Column names of `application.csv`: the 申报方案 figures per pilot community.
pub fn application_columns(kinds: &Kinds) -> Vec<String> {
    let mut c = strs(&[
        "pilot_rank",
        "community_code",
        "community_name",
        "street_name",
        "households",
        "area_required_m2",
        "facility_area_m2",
        "area_gap_m2",
        "largest_complex_m2",
        "complex_action",
        "complex_area_after_m2",
        "functions",
        "functions_to_add",
        "config_ok_after",
        "area_gap_after_m2",
        "uncovered_households",
        "uncovered_households_after",
    ]);
    for k in kinds.all() {
        c.push(format!("coverage_before_{}", kinds.code(k)));
        c.push(format!("coverage_after_{}", kinds.code(k)));
    }
    c.extend(strs(&[
        "new_build_m2",
        "renovation_m2",
        "unit_cost_new_build_yuan_m2",
        "unit_cost_renovation_yuan_m2",
        "investment_yuan",
        "investment_basis",
        "support_item",
        "subsidy_yuan",
        "local_funds_yuan",
    ]));
    c
}

/// The rows of `application.csv`.
pub fn application_rows(
    d: &Dataset,
    o: &PilotOutcome,
    before: &Analysis,
    profile: &Profile,
    lang: Lang,
) -> Vec<Vec<String>> {
    let kinds = &before.kinds;
    o.selection
        .pilots
        .iter()
        .map(|p| {
            let (b, a) = (&before.communities[p.community.index()], &o.after.communities[p.community.index()]);
            let c = d.community(p.community);
            let inv = &p.investment;
            let mut row = vec![
                p.rank.to_string(),
                c.code.clone(),
                c.name.clone(),
                b.street_code_and_name(d).1,
                opt(b.households.map(|h| h.0), 1),
                opt(b.area_required.map(|x| x.0), 2),
                num(b.facility_area.0, 2),
                opt(b.area_gap.map(|x| x.0), 2),
                num(b.largest_complex.0, 2),
                site_type(p.build.site, lang).to_string(),
                num(p.build.complex_area.0, 2),
                kinds.codes(&b.functions),
                kinds.codes(&p.build.kinds_to_add),
                flag(a.config_ok),
                opt(a.area_gap.map(|x| x.0), 2),
                num(b.uncovered_households.0, 1),
                num(a.uncovered_households.0, 1),
            ];
            for k in 0..kinds.len() {
                row.push(opt(b.coverage[k], 4));
                row.push(opt(a.coverage[k], 4));
            }
            row.extend([
                num(p.build.new_build.0, 2),
                num(p.build.renovation_with_stations().0, 2),
                num(profile.costs.new_build_yuan_per_m2.0, 0),
                num(profile.costs.renovation_yuan_per_m2.0, 0),
                num(inv.total.0, 0),
                match (inv.assumed_unit_costs, lang) {
                    (true, Lang::Zh) => "假设单价估算（配置文件 costs，请按本地造价核定）".into(),
                    (true, Lang::En) => "assumed unit costs (profile costs; replace with local cost data)".into(),
                    (false, Lang::Zh) => "规划项目给定投资".into(),
                    (false, Lang::En) => "cost given in the plan".into(),
                },
                inv.support_item.name(lang).to_string(),
                num(inv.subsidy.0, 0),
                num(inv.local_funds.0, 0),
            ]);
            row
        })
        .collect()
}
