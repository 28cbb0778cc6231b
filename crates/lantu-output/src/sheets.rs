//! The pages made of a map and figures: one per pilot community (一社区一方案), the pilots'
//! overview, and the change map of each street (`lantu compare`).

use lantu_core::registry::AREA_GAP;
use lantu_core::{district_name, Analysis, Dataset, Lang, Profile};
use lantu_engine::{PilotOutcome, PlanOutcome};
use lantu_render::{Sheet, SheetArea, SheetLine, SheetPoint};

const GREY: (u8, u8, u8) = (235, 235, 235);
const PILOT_2025: (u8, u8, u8) = (33, 113, 181);
const PILOT_LATER: (u8, u8, u8) = (158, 202, 225);
const SITE: (u8, u8, u8) = (255, 200, 0);

fn line(text: String) -> SheetLine {
    SheetLine { text, heading: false }
}
fn heading(text: &str) -> SheetLine {
    SheetLine { text: text.to_string(), heading: true }
}

/// Splits text into lines of at most `n` characters, between words where there are spaces
/// (English) and between any two characters otherwise (Chinese).
fn wrap(text: &str, n: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut word = String::new();
    let flush = |lines: &mut Vec<String>, word: &mut String| {
        let last = lines.last_mut().expect("one line at least");
        if last.chars().count() + word.trim_end().chars().count() > n && !last.is_empty() {
            lines.push(String::new());
        }
        lines.last_mut().expect("one line at least").push_str(word);
        word.clear();
    };
    for c in text.chars() {
        word.push(c);
        if c == ' ' || !c.is_ascii() {
            flush(&mut lines, &mut word);
        }
    }
    flush(&mut lines, &mut word);
    lines.into_iter().map(|l| l.trim_end().to_string()).filter(|l| !l.is_empty()).collect()
}

/// Yuan in 万元 for Chinese pages, in yuan for English ones.
fn wan(yuan: f64, lang: Lang) -> String {
    if lang == Lang::Zh {
        format!("{:.1} 万元", yuan / 10_000.0)
    } else {
        format!("{yuan:.0} yuan")
    }
}

/// What every page of a run shares.
pub struct Pages<'a> {
    /// The dataset.
    pub d: &'a Dataset,
    /// The analysis without plans or pilots.
    pub before: &'a Analysis,
    /// The rules.
    pub profile: &'a Profile,
    /// The project's note (e.g. 合成示例数据).
    pub note: Option<&'a str>,
    /// Sources, CRS, date.
    pub footnote: &'a str,
    /// Language of titles.
    pub lang: Lang,
}

/// The one-page sheet of each pilot community and the pilots' overview map.
pub fn pilot_sheets(ctx: &Pages, o: &PilotOutcome, plans: &[PlanOutcome]) -> Vec<Sheet> {
    let mut sheets: Vec<Sheet> = o.selection.pilots.iter().map(|p| pilot_page(ctx, o, p, plans)).collect();
    sheets.push(pilots_overview(ctx, o));
    sheets
}

/// 一社区一方案: the pilot's community in its street, its site, and its figures.
fn pilot_page(ctx: &Pages, o: &PilotOutcome, p: &lantu_core::Pilot, plans: &[PlanOutcome]) -> Sheet {
    let Pages { d, before, profile, note, footnote, lang } = *ctx;
    let zh = lang == Lang::Zh;
    let kinds = &profile.kinds;
    {
        let c = d.community(p.community);
        let (b, a) = (&before.communities[p.community.index()], &o.after.communities[p.community.index()]);
        let street = b.street;
        let areas: Vec<SheetArea> = before
            .communities
            .iter()
            .filter(|f| f.street == street || f.id == p.community)
            .map(|f| SheetArea {
                shape: d.community(f.id).boundary.clone(),
                fill: if f.id == p.community { PILOT_LATER } else { GREY },
                focus: f.id == p.community,
                label: d.community(f.id).name.clone(),
            })
            .collect();
        let extent = geo::BoundingRect::bounding_rect(&c.boundary).map(|r| {
            let pad = r.width().max(r.height()) * 0.6;
            geo::Rect::new(
                geo::Coord { x: r.min().x - pad, y: r.min().y - pad },
                geo::Coord { x: r.max().x + pad, y: r.max().y + pad },
            )
        });
        let mut points: Vec<SheetPoint> = d
            .facilities
            .iter()
            .filter(|f| extent.is_some_and(|e| geo::Intersects::intersects(&e, &f.location)))
            .map(|f| SheetPoint { at: f.location, colour: kinds.rgb(f.kinds[0]), star: false })
            .collect();
        points.push(SheetPoint { at: p.build.location, colour: SITE, star: true });
        for s in &p.build.stations {
            points.push(SheetPoint { at: d.candidates[s.candidate.index()].location, colour: SITE, star: true });
        }
        let inv = &p.investment;
        let build = &p.build;
        // Chinese or English text of the page
        let t = |zh_text: String, en_text: String| lang.pick(zh_text, en_text);
        let site = lantu_engine::site_in_words(build.site, d, plans, lang);
        let cov = |x: &lantu_core::CommunityFigures| {
            kinds
                .core()
                .iter()
                .map(|k| format!("{} {:.0}%", kinds.name(*k, lang), x.coverage[k.index()].unwrap_or(0.0) * 100.0))
                .collect::<Vec<_>>()
                .join(lang.pick("，", ", "))
        };
        let (hh, required, per100) =
            (b.households.map_or(0.0, |h| h.0), b.area_required.map_or(0.0, |x| x.0), b.area_standard.0);
        let (have, gap, gap_after) =
            (b.facility_area.0, b.area_gap.map_or(0.0, |x| x.0), a.area_gap.map_or(0.0, |x| x.0));
        let wrap_at = lang.pick(34, 60);
        let mut lines = vec![
            heading(&t("技术指标".into(), "Technical indicators".into())),
            line(t(
                format!(
                    "户数 {hh:.0} 户{}；应有面积 {required:.0} m²（每百户 {per100:.0} m²）",
                    if b.households_estimated { "（估算）" } else { "" }
                ),
                format!(
                    "{hh:.0} households{}; {required:.0} m² required ({per100:.0} m² per 100)",
                    if b.households_estimated { " (estimated)" } else { "" }
                ),
            )),
            line(t(
                format!("现有面积 {have:.0} m²；缺口 {gap:.0} m² → 建成后 {gap_after:.0} m²"),
                format!("{have:.0} m² today; gap {gap:.0} m² → {gap_after:.0} m² after"),
            )),
            line(t(
                format!("综合体 {:.0} m² → {:.0} m²（{site}）", b.largest_complex.0, build.complex_area.0),
                format!("complex {:.0} m² → {:.0} m² ({site})", b.largest_complex.0, build.complex_area.0),
            )),
            line(t(
                format!(
                    "功能 {} 项（一老一小 {} 项）→ {}",
                    b.functions_count,
                    b.core_functions_count,
                    if a.config_ok { "达标" } else { "仍不达标" }
                ),
                format!(
                    "{} functions ({} core) → {}",
                    b.functions_count,
                    b.core_functions_count,
                    if a.config_ok { "rule met" } else { "rule still not met" }
                ),
            )),
        ];
        if !build.kinds_to_add.is_empty() {
            let names = kinds.names(&build.kinds_to_add, lang);
            lines.push(line(t(format!("补充功能：{names}"), format!("functions to add: {names}"))));
        }
        let stations = lantu_engine::stations_in_words(build, d, kinds, lang);
        if !stations.is_empty() {
            let stations = t(format!("插花式服务站：{stations}"), format!("stations: {stations}"));
            lines.extend(wrap(&stations, wrap_at).into_iter().map(line));
        }
        lines.push(line(t("一老一小覆盖率（建设前）：".into(), "core coverage before:".into())));
        lines.extend(wrap(&cov(b), wrap_at).into_iter().map(line));
        lines.push(line(t("建设后：".into(), "after:".into())));
        lines.extend(wrap(&cov(a), wrap_at).into_iter().map(line));
        let (u0, u1) = (b.uncovered_households.0, a.uncovered_households.0);
        lines.push(line(t(
            format!("生活圈内无一老一小服务 {u0:.0} 户 → {u1:.0} 户"),
            format!("households without a core service in reach: {u0:.0} → {u1:.0}"),
        )));
        lines.push(heading(&t("投资估算（单价为假设值）".into(), "Investment (assumed unit costs)".into())));
        let (nb, rn, total) = (build.new_build.0, build.renovation_with_stations().0, wan(inv.total.0, lang));
        lines.push(line(t(
            format!("新建 {nb:.0} m²，改造 {rn:.0} m²：合计 {total}"),
            format!("new {nb:.0} m², renovated {rn:.0} m²: {total}"),
        )));
        if inv.assumed_unit_costs {
            let (cn, cr) = (profile.costs.new_build_yuan_per_m2.0, profile.costs.renovation_yuan_per_m2.0);
            lines.push(line(t(
                format!("假设单价：新建 {cn:.0}、改造 {cr:.0} 元/m²（配置文件 costs）"),
                format!("assumed: new build {cn:.0}, renovation {cr:.0} yuan/m² (profile costs)"),
            )));
        }
        lines.push(heading(&t("资金筹措".into(), "Financing".into())));
        let (item, subsidy, local) =
            (inv.support_item.name(lang), wan(inv.subsidy.0, lang), wan(inv.local_funds.0, lang));
        lines.push(line(t(format!("以奖代补（{item}）：{subsidy}"), format!("support ({item}): {subsidy}"))));
        lines.push(line(t(format!("地方自筹：{local}"), format!("local funds: {local}"))));
        lines.push(heading(&t("入选理由".into(), "Why".into())));
        lines.extend(wrap(p.reason.get(lang), wrap_at).into_iter().take(6).map(line));
        let district = p.district.as_deref().and_then(district_name).unwrap_or("");
        Sheet {
            file: format!("pilot_{}.png", lantu_engine::style::code_file_stem(&c.code)),
            title: if zh {
                format!("试点社区：{}（第 {} 位{}）", c.name, p.rank, if p.by_2025 { "，2025 年前启动" } else { "" })
            } else {
                format!("Pilot {}: {}{}", p.rank, c.name, if p.by_2025 { " (start by 2025)" } else { "" })
            },
            subtitle: {
                let street = street.map(|s| d.streets[s.index()].name.as_str()).unwrap_or("");
                t(
                    format!(
                        "{district} {street} · 需求 {:.2} · 可行性 {:.2} · 试点得分 {:.2} · 一社区一方案",
                        p.need, p.feasibility, p.score
                    ),
                    format!(
                        "{district} {street} · need {:.2} · feasibility {:.2} · score {:.2}",
                        p.need, p.feasibility, p.score
                    ),
                )
            },
            areas,
            points,
            extent,
            legend: vec![
                (PILOT_LATER, t("试点社区".into(), "pilot community".into()), false),
                (GREY, t("同街道其他社区".into(), "other communities of the street".into()), false),
                (SITE, t("综合体与服务站选址".into(), "sites of the complex and stations".into()), true),
            ],
            lines,
            footnote: footnote.to_string(),
            note: note.map(str::to_string),
        }
    }
}

/// Every pilot on one map, by batch, with the totals.
fn pilots_overview(ctx: &Pages, o: &PilotOutcome) -> Sheet {
    let Pages { d, before, note, footnote, lang, .. } = *ctx;
    let ranks: std::collections::HashMap<_, _> = o.selection.pilots.iter().map(|p| (p.community, p)).collect();
    let areas = before
        .communities
        .iter()
        .map(|f| SheetArea {
            shape: d.community(f.id).boundary.clone(),
            fill: match ranks.get(&f.id) {
                Some(p) if p.by_2025 => PILOT_2025,
                Some(_) => PILOT_LATER,
                None => GREY,
            },
            focus: false,
            label: ranks.get(&f.id).map(|p| p.rank.to_string()).unwrap_or_default(),
        })
        .collect();
    let total: f64 = o.selection.pilots.iter().map(|p| p.investment.total.0).sum();
    let subsidy: f64 = o.selection.pilots.iter().map(|p| p.investment.subsidy.0).sum();
    let first = o.selection.pilots.iter().filter(|p| p.by_2025).count();
    let t = |zh_text: String, en_text: String| lang.pick(zh_text, en_text);
    let (n, eligible, skipped) = (o.selection.pilots.len(), o.selection.eligible, o.selection.skipped_by_quota);
    let (total_s, subsidy_s, local_s) = (wan(total, lang), wan(subsidy, lang), wan(total - subsidy, lang));
    let mut lines = vec![
        heading(&t("试点名单".into(), "Pilots".into())),
        line(t(
            format!("试点社区 {n} 个，其中 2025 年前启动 {first} 个"),
            format!("{n} pilots, {first} to start by 2025"),
        )),
        line(t(
            format!("符合条件的社区 {eligible} 个；因名额限制跳过 {skipped} 个"),
            format!("{eligible} communities eligible; {skipped} skipped for full quotas"),
        )),
        line(t(format!("投资估算合计 {total_s}（假设单价）"), format!("investment {total_s} (assumed unit costs)"))),
        line(t(
            format!("以奖代补合计 {subsidy_s}，地方自筹 {local_s}"),
            format!("support {subsidy_s}, local funds {local_s}"),
        )),
        heading(&t("前 15 位".into(), "First 15".into())),
    ];
    for p in o.selection.pilots.iter().take(15) {
        lines.push(line(format!("{:>3}. {}（{:.2}）", p.rank, d.community(p.community).name, p.score)));
    }
    Sheet {
        file: "pilots.png".into(),
        title: lang.pick("试点社区名单".into(), "Pilot communities".into()),
        subtitle: t(
            "按需求（优先级得分）与可行性（闲置资源或现有综合体、规划项目、社区规模）择优；数字为排序".into(),
            "chosen by need (the priority score) and feasibility (an idle building or a complex, a plan, size); numbers are ranks".into(),
        ),
        areas,
        points: Vec::new(),
        extent: None,
        legend: vec![
            (PILOT_2025, "2025 年前启动".into(), false),
            (PILOT_LATER, "其后启动".into(), false),
            (GREY, "其他社区".into(), false),
        ],
        lines,
        footnote: footnote.to_string(),
        note: note.map(str::to_string),
    }
}

/// The change map of each street (`lantu compare`): communities by the area gap closed.
pub fn change_sheets(c: &lantu_write::Comparison, footnote: &str) -> Vec<Sheet> {
    let lat0 = c
        .street_maps
        .values()
        .flat_map(|s| s.1.iter())
        .find_map(|x| geo::BoundingRect::bounding_rect(&x.boundary))
        .map_or(30.0, |r| r.center().y);
    c.street_maps
        .iter()
        .map(|(code, (name, communities))| {
            let closed: f64 = communities.iter().filter_map(|x| x.gap_closed).sum();
            let areas = communities
                .iter()
                .map(|x| SheetArea {
                    shape: lantu_render::lonlat_to_local(&x.boundary, lat0),
                    fill: match x.gap_closed {
                        Some(g) if g > 0.005 => (116, 196, 118),
                        Some(g) if g < -0.005 => (239, 101, 72),
                        Some(_) => (230, 230, 230),
                        None => (250, 250, 250),
                    },
                    focus: false,
                    label: format!("{}\n{}", x.name, x.gap_closed.map_or("—".into(), |g| format!("{g:+.0} m²"))),
                })
                .collect();
            let mut lines =
                vec![heading(&format!("{}变化", AREA_GAP.zh)), line(format!("本街道合计弥补 {closed:.0} m²"))];
            let gap = |g: Option<f64>| g.map_or(String::new(), |g| format!("{g:.2}"));
            for x in communities.iter().take(20) {
                let added = if x.functions_added.is_empty() { "—" } else { &x.functions_added };
                lines.push(line(format!("{}：{} → {} m²；新增功能 {added}", x.name, gap(x.gap_old), gap(x.gap_new))));
            }
            Sheet {
                file: format!("change_{}.png", lantu_engine::style::code_file_stem(code)),
                title: format!("{name} 变化：{}与功能", AREA_GAP.zh),
                subtitle: "绿色：缺口减少；红色：缺口增加；灰色：不变".into(),
                areas,
                points: Vec::new(),
                extent: None,
                legend: vec![
                    ((116, 196, 118), "缺口减少".into(), false),
                    ((239, 101, 72), "缺口增加".into(), false),
                    ((230, 230, 230), "不变".into(), false),
                ],
                lines,
                footnote: footnote.to_string(),
                note: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_keeps_english_words_whole_and_breaks_chinese_anywhere() {
        assert_eq!(wrap("elderly care 0%, community canteen 0%", 18), ["elderly care 0%,", "community canteen", "0%"]);
        assert_eq!(wrap("养老服务站点一二三四五", 4), ["养老服务", "站点一二", "三四五"]);
    }
}
