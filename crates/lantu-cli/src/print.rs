//! The check report as text, in Chinese or English.

use lantu_core::{Kinds, Lang};
use lantu_read::{CheckReport, FindingKind, LayerRole};
use std::collections::BTreeMap;
use std::fmt::Write;

/// How many feature ids to list per group before "…".
const IDS_SHOWN: usize = 10;

fn t<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::Zh {
        zh
    } else {
        en
    }
}

/// Formats a number with thousands separators.
pub fn thousands(n: f64) -> String {
    let s = format!("{:.0}", n.abs());
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// The whole report.
pub fn check_report(r: &CheckReport, kinds: &Kinds, lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", t(lang, "== lantu 数据检查 ==", "== lantu data check =="));
    let _ = writeln!(
        o,
        "{} {} — {}",
        t(lang, "度量坐标系:", "metric CRS:"),
        r.metric_crs.definition,
        r.metric_crs.reason.get(lang)
    );
    for l in &r.layers {
        let role = if lang == Lang::Zh {
            format!("{}（{}）", l.role.name_zh(), l.role.key())
        } else {
            l.role.key().to_string()
        };
        let _ =
            writeln!(o, "\n[{role}] {} · {} · {} {}", l.path.display(), l.layer, t(lang, "驱动", "driver"), l.driver);
        let (comma, semi) = (t(lang, "，", ", "), t(lang, "；", "; "));
        let _ = writeln!(
            o,
            "  {} {}{comma}{} {}{semi}{} {}",
            t(lang, "读取", "read"),
            thousands(l.read as f64),
            t(lang, "保留", "kept"),
            thousands(l.kept as f64),
            t(lang, "坐标系", "CRS"),
            l.crs.get(lang)
        );
        if !l.fields.is_empty() {
            let fields: Vec<String> = l
                .fields
                .iter()
                .map(|(role, name, explicit)| {
                    format!(
                        "{} ← {}{}",
                        role.key(),
                        name,
                        if *explicit { t(lang, "（映射）", " (mapped)") } else { "" }
                    )
                })
                .collect();
            let _ = writeln!(o, "  {} {}", t(lang, "字段:", "fields:"), fields.join(", "));
        }
        for (label, n) in &l.counts {
            let _ = writeln!(o, "  {}: {}", label.get(lang), thousands(*n));
        }
        if l.role == LayerRole::Facilities && !l.per_kind.is_empty() {
            let _ = writeln!(o, "  {}", t(lang, "各服务类型设施数:", "facilities per kind:"));
            for k in kinds.all() {
                let count = l.per_kind.get(&k).copied().unwrap_or(0);
                let _ = writeln!(o, "    {:<20} {:<10} {:>6}", kinds.code(k), kinds.name(k, lang), count);
            }
        }
        let mut groups: BTreeMap<FindingKind, Vec<&lantu_read::Finding>> = BTreeMap::new();
        for f in &l.findings {
            groups.entry(f.kind).or_default().push(f);
        }
        for (kind, items) in groups {
            if kind == FindingKind::UnknownKind {
                let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
                for f in &items {
                    *counts.entry(f.text.get(lang)).or_default() += 1;
                }
                let list: Vec<String> = counts.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
                let field = items[0].field.as_deref().unwrap_or("");
                let _ = writeln!(
                    o,
                    "  ! {} ({} {field}): {}",
                    kind.heading().get(lang),
                    t(lang, "字段", "field"),
                    list.join(", ")
                );
                continue;
            }
            if kind == FindingKind::Note {
                for f in items {
                    let _ = writeln!(o, "  · {}", f.text.get(lang));
                }
                continue;
            }
            let _ = writeln!(o, "  ! {} {}:", kind.heading().get(lang), items.len());
            // one line per distinct message, with the feature ids it concerns
            let mut by_text: BTreeMap<(String, Option<String>), Vec<String>> = BTreeMap::new();
            for f in &items {
                by_text
                    .entry((f.text.get(lang).to_string(), f.field.clone()))
                    .or_default()
                    .push(f.feature.clone().unwrap_or_default());
            }
            for ((text, field), ids) in by_text {
                let ids: Vec<&String> = ids.iter().filter(|i| !i.is_empty()).collect();
                let shown: Vec<&str> = ids.iter().take(IDS_SHOWN).map(|s| s.as_str()).collect();
                let more =
                    if ids.len() > IDS_SHOWN { format!(" …(+{})", ids.len() - IDS_SHOWN) } else { String::new() };
                let field = field.map(|f| format!(" [{} {f}]", t(lang, "字段", "field"))).unwrap_or_default();
                if shown.is_empty() {
                    let _ = writeln!(o, "    {text}{field}");
                } else {
                    let _ =
                        writeln!(o, "    {text}{field} — {} {}{more}", t(lang, "要素", "features"), shown.join(", "));
                }
            }
        }
    }
    for j in &r.joins {
        let by =
            if j.by == "code" { t(lang, "按社区代码", "by code") } else { t(lang, "按社区名称", "by name") };
        let _ = writeln!(o, "\n[{}] {} · {} · {by}", t(lang, "关联属性表", "joined table"), j.path.display(), j.sheet);
        let fields: Vec<String> = j.fields.iter().map(|(role, col)| format!("{role} ← {col}")).collect();
        let _ = writeln!(
            o,
            "  {} {}{}{} {}{}{} {}",
            t(lang, "行", "rows"),
            j.rows,
            t(lang, "，", ", "),
            t(lang, "匹配社区", "communities matched"),
            j.matched,
            t(lang, "；", "; "),
            t(lang, "字段:", "fields:"),
            fields.join(", ")
        );
        let list = |o: &mut String, head: &str, items: &[String]| {
            if !items.is_empty() {
                let shown: Vec<&str> = items.iter().take(IDS_SHOWN).map(String::as_str).collect();
                let more =
                    if items.len() > IDS_SHOWN { format!(" …(+{})", items.len() - IDS_SHOWN) } else { String::new() };
                let _ = writeln!(o, "  ! {head} {}: {}{more}", items.len(), shown.join("; "));
            }
        };
        list(&mut o, t(lang, "无对应行的社区", "communities without a row"), &j.communities_without_row);
        list(
            &mut o,
            t(lang, "无对应社区的行（行号）", "rows matching no community (row numbers)"),
            &j.rows_without_community,
        );
        list(&mut o, t(lang, "无法唯一对应的行（错误）", "rows with no unique match (error)"), &j.ambiguous);
        let won = t(
            lang,
            "图层与关联表都有值且不同时，取关联表的值",
            "where the layer and the table both give a value and they differ, the table's is used",
        );
        if j.overridden.is_empty() {
            let _ = writeln!(o, "  · {won}{}", t(lang, "（本次无不同）", " (none differ here)"));
        } else {
            list(&mut o, won, &j.overridden);
        }
    }
    if let Some(n) = &r.network {
        let _ = writeln!(o, "\n[{}]", t(lang, "步行网络连通性", "walking network connectivity"));
        let (comma, semi, open, close) =
            (t(lang, "，", ", "), t(lang, "；", "; "), t(lang, "（", " ("), t(lang, "）", ")"));
        let _ = writeln!(
            o,
            "  {} {}{open}{} {}{close}{comma}{} {:.1} km",
            t(lang, "步行道", "walkways"),
            thousands(n.walkways as f64),
            t(lang, "台阶", "steps"),
            thousands(n.steps as f64),
            t(lang, "总长", "total"),
            n.length.0 / 1000.0
        );
        let _ = writeln!(
            o,
            "  {} {}{comma}{} {}{semi}{} {}{open}{} {}{close}",
            t(lang, "节点", "nodes"),
            thousands(n.nodes as f64),
            t(lang, "路段", "segments"),
            thousands(n.edges as f64),
            t(lang, "端点接合", "ends joined"),
            n.joined_ends,
            t(lang, "断头", "dead ends"),
            thousands(n.dangling as f64)
        );
        let _ = writeln!(
            o,
            "  {} {}{}{} {:.1}%{comma}{} {}{open}{:.1} km{close}",
            t(lang, "连通分量", "connected components"),
            n.components,
            t(lang, "：", ": "),
            t(lang, "最大分量占总长", "largest holds"),
            n.largest_share * 100.0,
            t(lang, "孤岛", "islands"),
            n.islands,
            n.islands_length.0 / 1000.0
        );
        let _ = writeln!(
            o,
            "  {}: {} {}{comma}{} {}{semi}{}: {} {}{comma}{} {}",
            t(
                lang,
                "接入孤立路段（接入距离内无主网络步行道）",
                "joining an island (no main-network walkway within reach)"
            ),
            t(lang, "建筑", "buildings"),
            thousands(n.buildings_on_islands as f64),
            t(lang, "设施", "facilities"),
            thousands(n.facilities_on_islands as f64),
            t(
                lang,
                "离网（接入距离内无步行道，无步行距离）",
                "off-network (no walkway within reach: no walking distance)"
            ),
            t(lang, "建筑", "buildings"),
            thousands(n.buildings_off_network as f64),
            t(lang, "设施", "facilities"),
            thousands(n.facilities_off_network as f64),
        );
    }
    if let Some(d) = &r.dem {
        let _ = writeln!(
            o,
            "\n[DEM] {} · {}×{} · {} · {:.0}–{:.0} m · {} {:.0}%",
            d.path.display(),
            d.width,
            d.height,
            d.crs,
            d.min_m,
            d.max_m,
            t(lang, "覆盖社区", "covers communities"),
            d.covers_share * 100.0
        );
        if d.edges_without_height > 0 {
            let _ = writeln!(
                o,
                "  ! {} {} / {}{}",
                t(
                    lang,
                    "端点超出 DEM 范围或无数据的步行路段（无高程，按平地计坡度）",
                    "walkway segments with an end outside the DEM or on no-data (no height: costed as flat)"
                ),
                thousands(d.edges_without_height as f64),
                thousands(d.edges as f64),
                t(lang, " 段", " segments"),
            );
        }
    }
    if let Some(p) = &r.population {
        let form = match p.form {
            lantu_read::PopulationForm::Raster { width, height, cell } => {
                format!(
                    "{} {width}×{height} · {} {}×{}",
                    t(lang, "栅格", "raster"),
                    t(lang, "像元", "cell"),
                    cell.0,
                    cell.1
                )
            }
            lantu_read::PopulationForm::Points => t(lang, "点", "points").to_string(),
            lantu_read::PopulationForm::Polygons => t(lang, "面", "polygons").to_string(),
        };
        let field = p.field.as_deref().map(|f| format!(" · {} {f}", t(lang, "字段", "field"))).unwrap_or_default();
        let _ = writeln!(
            o,
            "\n[{}] {} · {form} · {}{field}",
            t(lang, "人口格网", "population grid"),
            p.path.display(),
            p.crs
        );
        let _ = writeln!(
            o,
            "  {} {} {} {} · {} {} · {} {} · {} {}",
            t(lang, "有人口的格网", "cells with people"),
            thousands(p.cells as f64),
            t(lang, "人口", "people"),
            thousands(p.people.round()),
            t(lang, "计入社区", "in communities"),
            thousands(p.in_communities.round()),
            t(lang, "不在任何社区", "in no community"),
            thousands(p.outside.round()),
            t(lang, "格网上的建筑", "buildings on the grid"),
            thousands(p.buildings_on_grid as f64),
        );
        if p.densest_per_km2 > lantu_read::MAX_PLAUSIBLE_PER_KM2 {
            let d = thousands(p.densest_per_km2.round());
            let _ = writeln!(
                o,
                "  ! {}",
                if lang == Lang::Zh {
                    format!("最密的像元折合每平方千米 {d} 人，远超任何城市：该栅格可能是人口密度（人/平方千米，如 WorldPop 的 pd 产品）而不是每像元人数（ppp），户数将成倍偏高")
                } else {
                    format!("the densest cell comes to {d} people per km², beyond any city: the raster may hold a density (people per km², e.g. WorldPop's pd products), not people per cell (ppp); households would come out many times too high")
                }
            );
        }
        if p.rejected > 0 {
            let _ = writeln!(
                o,
                "  ! {} {}",
                t(
                    lang,
                    "数值不是人口（负数或无法读取）、按 0 计的格网",
                    "cells whose value cannot be people (negative or unreadable), counted as 0"
                ),
                thousands(p.rejected as f64)
            );
        }
    }
    let hh = thousands(r.total_households);
    let est = if r.households_estimated { t(lang, "（含估算）", " (includes estimates)") } else { "" };
    let _ = writeln!(o, "\n{} {hh}{est}", t(lang, "总户数:", "total households:"));
    if r.can_analyse() {
        let _ = writeln!(o, "{}", t(lang, "结论: 数据可以分析。", "verdict: the data can be analysed."));
    } else {
        let _ = writeln!(o, "{}", t(lang, "结论: 数据无法分析：", "verdict: the data cannot be analysed:"));
        for e in &r.errors {
            let _ = writeln!(o, "  ✗ {}", e.get(lang));
        }
    }
    o
}

/// A short summary of the analysis for the terminal.
pub fn summary(d: &lantu_core::Dataset, a: &lantu_core::Analysis, lang: Lang) -> String {
    let mut o = String::new();
    let n = a.communities.len();
    let fail_area = a.communities.iter().filter(|c| c.area_gap.is_some_and(|g| g.0 > 0.0)).count();
    let fail_config = a.communities.iter().filter(|c| !c.config_ok).count();
    let fail_complex = a.communities.iter().filter(|c| !c.complex_meets_min).count();
    let _ = writeln!(o, "\n{} ({})", t(lang, "== 缺口分析 ==", "== gap analysis =="), a.metric);
    let _ = writeln!(
        o,
        "  {} {n}: {} {fail_area}, {} {fail_complex}, {} {fail_config}",
        t(lang, "社区", "communities"),
        t(lang, "面积不达标", "below area standard"),
        t(lang, "综合体不足", "complex below minimum"),
        t(lang, "功能配置不达标", "failing the function rule")
    );
    let mut top: Vec<&lantu_core::CommunityFigures> = a.communities.iter().collect();
    top.sort_by_key(|c| c.priority_rank);
    let _ = writeln!(o, "  {}", t(lang, "优先序前 5:", "top 5 by priority:"));
    for c in top.iter().take(5) {
        let cm = d.community(c.id);
        let _ = writeln!(o, "    {:>3}. {} {} ({:.3})", c.priority_rank, cm.code, cm.name, c.priority_score);
    }
    o
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
    let _ = writeln!(o, "\n{}", t(lang, "== 闲置资源改造选址建议 ==", "== recommended sites =="));
    let _ = writeln!(
        o,
        "  {} {}，{} {:.1}，{} {:.1}（{} {:.1}%）{}",
        t(lang, "选址", "sites"),
        plan.sites.len(),
        t(lang, "目标值", "objective"),
        plan.objective,
        t(lang, "上界", "upper bound"),
        plan.upper_bound,
        t(lang, "差距至多", "gap at most"),
        plan.gap_to_bound() * 100.0,
        if plan.all_rules_met { t(lang, "；所有社区已达标", "; every community meets its rules") } else { "" }
    );
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
            kinds.join(t(lang, "、", ", ")),
            t(lang, "新增覆盖户数", "households newly in reach"),
            s.new_households.iter().sum::<f64>()
        );
    }
    let unc = |a: &lantu_core::Analysis| a.communities.iter().map(|c| c.uncovered_households.0).sum::<f64>();
    let ok = |a: &lantu_core::Analysis| a.communities.iter().filter(|c| c.config_ok).count();
    let _ = writeln!(
        o,
        "  {} {:.0} → {:.0}；{} {} → {}",
        t(lang, "未覆盖户数", "uncovered households"),
        unc(before),
        unc(after),
        t(lang, "功能达标社区", "communities meeting the function rule"),
        ok(before),
        ok(after)
    );
    if !plan.unusable.is_empty() {
        let _ = writeln!(
            o,
            "  {} {}",
            t(lang, "无法使用的候选（无面积或过小）:", "unusable candidates (no or too little floor area):"),
            plan.unusable.len()
        );
    }
    o
}

/// What became of site recommendations, when it needs saying.
pub fn site_outcome(outcome: &lantu_engine::SiteOutcome, lang: Lang) {
    let zh = lang == Lang::Zh;
    match outcome {
        lantu_engine::SiteOutcome::TooManyCandidates(n) => println!(
            "{} {n} {}",
            if zh { "闲置资源" } else { "candidate sites:" },
            if zh { "处：用 --sites K 推荐改造选址" } else { "; pass --sites K for recommendations" }
        ),
        lantu_engine::SiteOutcome::NoCandidates => println!(
            "{}",
            if zh {
                "无闲置资源（候选选址），不作选址推荐"
            } else {
                "no candidate sites: no recommendation"
            }
        ),
        _ => {}
    }
}

/// A layer too large for GeoJSON.
pub fn geojson_left_out(layer: &str, lang: Lang) {
    // where the layer is instead: its own FlatGeobuf file, or the GeoPackage
    let source = lantu_write::layer_source(layer);
    let file = source.trim_start_matches("./").split('|').next().unwrap_or("blueprint.gpkg");
    if lang == Lang::Zh {
        println!("图层 {layer} 要素过多，未导出 GeoJSON（见 {file}）");
    } else {
        println!("layer {layer} has too many features for GeoJSON: see {file}");
    }
}

/// Shows the run's progress as asked: a spinner line on a terminal (each stage ticked off
/// with its time), JSON lines on stderr for callers, or nothing.
pub struct ProgressPrinter {
    json: bool,
    bar: Option<indicatif::ProgressBar>,
    zh: bool,
    /// The label of the binary's stage under way (for its tick line).
    current: std::cell::RefCell<Option<String>>,
    /// The engine's stages finished and planned, for `done` and `total` in JSON lines.
    counts: std::cell::Cell<(usize, usize)>,
}

impl ProgressPrinter {
    /// A printer for `--progress`.
    pub fn new(arg: crate::flags::ProgressArg, lang: Lang) -> ProgressPrinter {
        use crate::flags::ProgressArg;
        use std::io::IsTerminal;
        let bar = match arg {
            ProgressArg::Bar => true,
            ProgressArg::Auto => std::io::stderr().is_terminal(),
            ProgressArg::None | ProgressArg::Json => false,
        };
        let bar = bar.then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            if let Ok(style) = indicatif::ProgressStyle::with_template("  {spinner} {msg} {elapsed}") {
                b.set_style(style);
            }
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        ProgressPrinter {
            json: arg == ProgressArg::Json,
            bar,
            zh: lang == Lang::Zh,
            current: Default::default(),
            counts: Default::default(),
        }
    }

    /// A stage of the binary's own (writing, maps) begins.
    pub fn begin(&self, zh: &str, en: &str) {
        let label = if self.zh { zh } else { en }.to_string();
        if let Some(b) = &self.bar {
            b.set_message(label.clone());
        }
        *self.current.borrow_mut() = Some(label);
    }

    /// The binary's stage under way ended (named `name` when it was not begun).
    pub fn lap(&self, name: &str, secs: f64) {
        let label = self.current.borrow_mut().take().unwrap_or_else(|| name.to_string());
        self.done(&label, secs);
    }

    /// A stage ended after `secs`.
    pub fn done(&self, name: &str, secs: f64) {
        if let Some(b) = &self.bar {
            let line = format!("  ✓ {name} {secs:.2} s");
            // piped (a log file), the spinner is hidden: the ticks become plain lines
            if b.is_hidden() {
                eprintln!("{line}");
            } else {
                b.println(line);
            }
        }
    }

    /// Clears the progress line before the summary.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for ProgressPrinter {
    fn drop(&mut self) {
        // an error ends the run early: leave no spinner behind on the terminal
        self.finish();
    }
}

impl lantu_engine::Progress for ProgressPrinter {
    fn event(&self, event: &lantu_engine::Event) {
        match event {
            lantu_engine::Event::Started(s) => {
                if let Some(b) = &self.bar {
                    b.set_message(if self.zh { s.name_zh() } else { s.name() });
                }
            }
            lantu_engine::Event::Finished(s, secs) => self.done(if self.zh { s.name_zh() } else { s.name() }, *secs),
        }
        let (mut done, total) = self.counts.get();
        if let lantu_engine::Event::Finished(..) = event {
            done += 1;
            self.counts.set((done, total));
        }
        if !self.json {
            return;
        }
        let line = match event {
            lantu_engine::Event::Started(s) => serde_json::json!({
                "stage": s.name(), "stage_zh": s.name_zh(), "event": "started", "done": done, "total": total
            }),
            lantu_engine::Event::Finished(s, secs) => serde_json::json!({
                "stage": s.name(), "stage_zh": s.name_zh(), "event": "finished", "seconds": (secs * 1000.0).round() / 1000.0,
                "done": done, "total": total
            }),
        };
        eprintln!("{line}");
    }

    fn planned(&self, stages: usize) {
        self.counts.set((0, stages));
    }
}

/// A warning line on stderr, in the user's language.
pub fn warning(w: &lantu_core::Text, lang: Lang) {
    let label = if lang == Lang::Zh { "警告" } else { "warning" };
    eprintln!("{label}: {}", w.get(lang));
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_groups_digits() {
        assert_eq!(super::thousands(23336.0), "23,336");
        assert_eq!(super::thousands(999.0), "999");
        assert_eq!(super::thousands(-1234567.0), "-1,234,567");
    }
}
