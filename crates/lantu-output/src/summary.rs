//! The analysis in a few lines, for the terminal and the log.

use lantu_core::Lang;
use std::fmt::Write;

/// A short summary of the analysis for the terminal.
pub fn summary(d: &lantu_core::Dataset, a: &lantu_core::Analysis, lang: Lang) -> String {
    let mut o = String::new();
    let n = a.communities.len();
    let fail_area = a.communities.iter().filter(|c| c.area_gap.is_some_and(|g| g.0 > 0.0)).count();
    let fail_config = a.communities.iter().filter(|c| !c.config_ok).count();
    let fail_complex = a.communities.iter().filter(|c| !c.complex_meets_min).count();
    let _ = writeln!(o, "\n{} ({})", lang.pick("== 缺口分析 ==", "== gap analysis =="), a.metric);
    let _ = writeln!(
        o,
        "  {} {n}: {} {fail_area}, {} {fail_complex}, {} {fail_config}",
        lang.pick("社区", "communities"),
        lang.pick("面积不达标", "below area standard"),
        lang.pick("综合体不足", "complex below minimum"),
        lang.pick("功能配置不达标", "failing the function rule")
    );
    let mut top: Vec<&lantu_core::CommunityFigures> = a.communities.iter().collect();
    top.sort_by_key(|c| c.priority_rank);
    let _ = writeln!(o, "  {}", lang.pick("优先序前 5:", "top 5 by priority:"));
    for c in top.iter().take(5) {
        let cm = d.community(c.id);
        let _ = writeln!(o, "    {:>3}. {} {} ({:.3})", c.priority_rank, cm.code, cm.name, c.priority_score);
    }
    o
}

/// What became of site recommendations, when it needs saying (too many candidates to
/// choose among by default, or none).
pub fn site_outcome_line(outcome: &lantu_engine::SiteOutcome, lang: Lang) -> Option<String> {
    let line = match outcome {
        lantu_engine::SiteOutcome::TooManyCandidates(n) => lang.pick(
            format!("闲置资源 {n} 处：用 --sites K 推荐改造选址"),
            format!("candidate sites: {n}; pass --sites K for recommendations"),
        ),
        lantu_engine::SiteOutcome::NoCandidates => {
            lang.pick("无闲置资源（候选选址），不作选址推荐", "no candidate sites: no recommendation").to_string()
        }
        _ => return None,
    };
    Some(line)
}

/// The recommended sites, for the terminal.
pub fn sites_summary(
    d: &lantu_core::Dataset,
    plan: &lantu_core::SitePlan,
    before: &lantu_core::Analysis,
    after: &lantu_core::Analysis,
    lang: Lang,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "\n{}", lang.pick("== 闲置资源改造选址建议 ==", "== recommended sites =="));
    let _ = writeln!(
        o,
        "  {} {}，{} {:.1}，{} {:.1}（{} {:.1}%）{}",
        lang.pick("选址", "sites"),
        plan.sites.len(),
        lang.pick("目标值", "objective"),
        plan.objective,
        lang.pick("最优上界", "best bound"),
        plan.upper_bound,
        lang.pick("差距至多", "gap at most"),
        plan.gap_to_bound() * 100.0,
        if plan.all_rules_met {
            lang.pick("；所有社区已达标", "; every community meets its rules")
        } else {
            ""
        }
    );
    let _ = writeln!(o, "  {}{}", lang.pick("求解：", "solved by: "), plan.method.describe(lang));
    for s in &plan.sites {
        let c = &d.candidates[s.candidate.index()];
        let kinds: Vec<&str> = s.kinds.iter().map(|k| after.kinds.name(*k, lang)).collect();
        let _ = writeln!(
            o,
            "    {:>3}. {} {}（{:.0} ㎡）→ {}；{} {:.0}",
            s.rank,
            c.source_id,
            c.name,
            c.floor_area.map_or(0.0, |a| a.0),
            kinds.join(lang.pick("、", ", ")),
            lang.pick("新增覆盖户数", "households newly in reach"),
            s.new_households.iter().sum::<f64>()
        );
    }
    let unc = |a: &lantu_core::Analysis| a.communities.iter().map(|c| c.uncovered_households.0).sum::<f64>();
    let ok = |a: &lantu_core::Analysis| a.communities.iter().filter(|c| c.config_ok).count();
    let _ = writeln!(
        o,
        "  {} {:.0} → {:.0}；{} {} → {}",
        lang.pick("未覆盖户数", "uncovered households"),
        unc(before),
        unc(after),
        lang.pick("功能达标社区", "communities meeting the function rule"),
        ok(before),
        ok(after)
    );
    if !plan.unusable.is_empty() {
        let _ = writeln!(
            o,
            "  {} {}",
            lang.pick("无法使用的候选（无面积或过小）:", "unusable candidates (no or too little floor area):"),
            plan.unusable.len()
        );
    }
    o
}

/// Each stage's wall-clock time and the peak memory, for the end of a run.
pub fn timings(stages: &[(String, f64)], peak_mib: f64, lang: Lang) -> String {
    let list: Vec<String> = stages.iter().map(|(n, t)| format!("{n} {t:.2} s")).collect();
    format!(
        "  {}: {}\n  {}: {peak_mib:.0} MiB\n",
        lang.pick("用时", "time"),
        list.join(", "),
        lang.pick("内存峰值", "peak memory")
    )
}
