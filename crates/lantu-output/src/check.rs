//! The check report (`check.txt` and what `lantu check` prints), in Chinese or English.

use lantu_core::{Kinds, Lang};
use lantu_read::{CheckReport, FindingKind, LayerRole};
use std::collections::BTreeMap;
use std::fmt::Write;

/// How many feature ids to list per group before "…".
const IDS_SHOWN: usize = 10;

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
    let _ = writeln!(o, "{}", lang.pick("== lantu 数据检查 ==", "== lantu data check =="));
    let _ = writeln!(
        o,
        "{} {} — {}",
        lang.pick("度量坐标系:", "metric CRS:"),
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
            writeln!(o, "\n[{role}] {} · {} · {} {}", l.path.display(), l.layer, lang.pick("驱动", "driver"), l.driver);
        let (comma, semi) = (lang.pick("，", ", "), lang.pick("；", "; "));
        let _ = writeln!(
            o,
            "  {} {}{comma}{} {}{semi}{} {}",
            lang.pick("读取", "read"),
            thousands(l.read as f64),
            lang.pick("保留", "kept"),
            thousands(l.kept as f64),
            lang.pick("坐标系", "CRS"),
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
                        if *explicit { lang.pick("（映射）", " (mapped)") } else { "" }
                    )
                })
                .collect();
            let _ = writeln!(o, "  {} {}", lang.pick("字段:", "fields:"), fields.join(", "));
        }
        for (label, n) in &l.counts {
            let _ = writeln!(o, "  {}: {}", label.get(lang), thousands(*n));
        }
        if l.role == LayerRole::Facilities && !l.per_kind.is_empty() {
            let _ = writeln!(o, "  {}", lang.pick("各服务类型设施数:", "facilities per kind:"));
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
                    lang.pick("字段", "field"),
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
                let field = field.map(|f| format!(" [{} {f}]", lang.pick("字段", "field"))).unwrap_or_default();
                if shown.is_empty() {
                    let _ = writeln!(o, "    {text}{field}");
                } else {
                    let _ =
                        writeln!(o, "    {text}{field} — {} {}{more}", lang.pick("要素", "features"), shown.join(", "));
                }
            }
        }
    }
    for j in &r.joins {
        let by = if j.by == "code" {
            lang.pick("按社区代码", "by code")
        } else {
            lang.pick("按社区名称", "by name")
        };
        let _ =
            writeln!(o, "\n[{}] {} · {} · {by}", lang.pick("关联属性表", "joined table"), j.path.display(), j.sheet);
        let fields: Vec<String> = j.fields.iter().map(|(role, col)| format!("{role} ← {col}")).collect();
        let _ = writeln!(
            o,
            "  {} {}{}{} {}{}{} {}",
            lang.pick("行", "rows"),
            j.rows,
            lang.pick("，", ", "),
            lang.pick("匹配社区", "communities matched"),
            j.matched,
            lang.pick("；", "; "),
            lang.pick("字段:", "fields:"),
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
        list(&mut o, lang.pick("无对应行的社区", "communities without a row"), &j.communities_without_row);
        list(
            &mut o,
            lang.pick("无对应社区的行（行号）", "rows matching no community (row numbers)"),
            &j.rows_without_community,
        );
        list(&mut o, lang.pick("无法唯一对应的行（错误）", "rows with no unique match (error)"), &j.ambiguous);
        let won = lang.pick(
            "图层与关联表都有值且不同时，取关联表的值",
            "where the layer and the table both give a value and they differ, the table's is used",
        );
        if j.overridden.is_empty() {
            let _ = writeln!(o, "  · {won}{}", lang.pick("（本次无不同）", " (none differ here)"));
        } else {
            list(&mut o, won, &j.overridden);
        }
    }
    if let Some(n) = &r.network {
        let _ = writeln!(o, "\n[{}]", lang.pick("步行网络连通性", "walking network connectivity"));
        let (comma, semi, open, close) =
            (lang.pick("，", ", "), lang.pick("；", "; "), lang.pick("（", " ("), lang.pick("）", ")"));
        let _ = writeln!(
            o,
            "  {} {}{open}{} {}{close}{comma}{} {:.1} km",
            lang.pick("步行道", "walkways"),
            thousands(n.walkways as f64),
            lang.pick("台阶", "steps"),
            thousands(n.steps as f64),
            lang.pick("总长", "total"),
            n.length.0 / 1000.0
        );
        let _ = writeln!(
            o,
            "  {} {}{comma}{} {}{semi}{} {}{open}{} {}{close}",
            lang.pick("节点", "nodes"),
            thousands(n.nodes as f64),
            lang.pick("路段", "segments"),
            thousands(n.edges as f64),
            lang.pick("端点接合", "ends joined"),
            n.joined_ends,
            lang.pick("断头", "dead ends"),
            thousands(n.dangling as f64)
        );
        let _ = writeln!(
            o,
            "  {} {}{}{} {:.1}%{comma}{} {}{open}{:.1} km{close}",
            lang.pick("连通分量", "connected components"),
            n.components,
            lang.pick("：", ": "),
            lang.pick("最大分量占总长", "largest holds"),
            n.largest_share * 100.0,
            lang.pick("孤岛", "islands"),
            n.islands,
            n.islands_length.0 / 1000.0
        );
        let _ = writeln!(
            o,
            "  {}: {} {}{comma}{} {}{semi}{}: {} {}{comma}{} {}",
            lang.pick(
                "接入孤立路段（接入距离内无主网络步行道）",
                "joining an island (no main-network walkway within reach)"
            ),
            lang.pick("建筑", "buildings"),
            thousands(n.buildings_on_islands as f64),
            lang.pick("设施", "facilities"),
            thousands(n.facilities_on_islands as f64),
            lang.pick(
                "离网（接入距离内无步行道，无步行距离）",
                "off-network (no walkway within reach: no walking distance)"
            ),
            lang.pick("建筑", "buildings"),
            thousands(n.buildings_off_network as f64),
            lang.pick("设施", "facilities"),
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
            lang.pick("覆盖社区", "covers communities"),
            d.covers_share * 100.0
        );
        if d.edges_without_height > 0 {
            let _ = writeln!(
                o,
                "  ! {} {} / {}{}",
                lang.pick(
                    "端点超出 DEM 范围或无数据的步行路段（无高程，按平地计坡度）",
                    "walkway segments with an end outside the DEM or on no-data (no height: costed as flat)"
                ),
                thousands(d.edges_without_height as f64),
                thousands(d.edges as f64),
                lang.pick(" 段", " segments"),
            );
        }
    }
    if let Some(p) = &r.population {
        let form = match p.form {
            lantu_read::PopulationForm::Raster { width, height, cell } => {
                format!(
                    "{} {width}×{height} · {} {}×{}",
                    lang.pick("栅格", "raster"),
                    lang.pick("像元", "cell"),
                    cell.0,
                    cell.1
                )
            }
            lantu_read::PopulationForm::Points => lang.pick("点", "points").to_string(),
            lantu_read::PopulationForm::Polygons => lang.pick("面", "polygons").to_string(),
        };
        let field = p.field.as_deref().map(|f| format!(" · {} {f}", lang.pick("字段", "field"))).unwrap_or_default();
        let _ = writeln!(
            o,
            "\n[{}] {} · {form} · {}{field}",
            lang.pick("人口格网", "population grid"),
            p.path.display(),
            p.crs
        );
        let _ = writeln!(
            o,
            "  {} {} {} {} · {} {} · {} {} · {} {}",
            lang.pick("有人口的格网", "cells with people"),
            thousands(p.cells as f64),
            lang.pick("人口", "people"),
            thousands(p.people.round()),
            lang.pick("计入社区", "in communities"),
            thousands(p.in_communities.round()),
            lang.pick("不在任何社区", "in no community"),
            thousands(p.outside.round()),
            lang.pick("格网上的建筑", "buildings on the grid"),
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
                lang.pick(
                    "数值不是人口（负数或无法读取）、按 0 计的格网",
                    "cells whose value cannot be people (negative or unreadable), counted as 0"
                ),
                thousands(p.rejected as f64)
            );
        }
    }
    let hh = thousands(r.total_households);
    let est = if r.households_estimated { lang.pick("（含估算）", " (includes estimates)") } else { "" };
    let _ = writeln!(o, "\n{} {hh}{est}", lang.pick("总户数:", "total households:"));
    if r.can_analyse() {
        let _ = writeln!(o, "{}", lang.pick("结论: 数据可以分析。", "verdict: the data can be analysed."));
    } else {
        let _ = writeln!(o, "{}", lang.pick("结论: 数据无法分析：", "verdict: the data cannot be analysed:"));
        for e in &r.errors {
            let _ = writeln!(o, "  ✗ {}", e.get(lang));
        }
    }
    o
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
