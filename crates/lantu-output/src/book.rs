//! `blueprint.pdf`: the run's maps and ranked tables as one document (see lantu-render's
//! `write_book_pdf`), assembled from the analysis.

use lantu_core::registry::AREA_GAP;
use lantu_core::{Analysis, CommunityFigures, Dataset, Lang};
use lantu_engine::style::no_street_name;
use lantu_engine::Blueprint;
use lantu_render::{Book, BookTable, StreetPage};
use std::path::Path;

fn f0(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.0}"))
}

fn yes(zh: bool, ok: bool) -> String {
    match (zh, ok) {
        (true, true) => "是".into(),
        (true, false) => "否".into(),
        (false, true) => "yes".into(),
        (false, false) => "no".into(),
    }
}

/// A column's short header, from the registry.
fn header(code: &str, kinds: &lantu_core::Kinds, zh: bool) -> String {
    lantu_core::registry::column_short(code, kinds).header(if zh { Lang::Zh } else { Lang::En }).to_string()
}

fn community_row(d: &Dataset, f: &CommunityFigures, zh: bool) -> Vec<String> {
    let c = d.community(f.id);
    let (_, street) = f.street_code_and_name(d);
    vec![
        f.priority_rank.to_string(),
        c.name.clone(),
        street,
        lantu_engine::style::households_shown(f.households.map(|h| h.0), f.households_estimated),
        f.area_per_100hh.map_or("—".into(), |a| format!("{:.1}", a.0)),
        f0(f.area_gap.map(|g| g.0)),
        format!("{:.0}", f.largest_complex.0),
        f.functions_count.to_string(),
        format!("{}/{}", f.core_functions_count, f.core_required),
        yes(zh, f.config_ok),
        format!("{:.0}", f.uncovered_households.0),
        format!("{:.2}", f.priority_score),
    ]
}

fn communities_table(
    d: &Dataset,
    a: &Analysis,
    ids: Option<&[lantu_core::CommunityId]>,
    title: String,
    zh: bool,
) -> BookTable {
    let mut order: Vec<&CommunityFigures> =
        a.communities.iter().filter(|f| ids.is_none_or(|ids| ids.contains(&f.id))).collect();
    order.sort_by_key(|f| f.priority_rank);
    BookTable {
        title,
        header: [
            "priority_rank",
            "community_name",
            "street_name",
            "households",
            "area_per_100hh_m2",
            "area_gap_m2",
            "largest_complex_m2",
            "functions_count",
            "core_functions_count",
            "config_ok",
            "uncovered_households",
            "priority_score",
        ]
        .iter()
        .map(|c| header(c, &a.kinds, zh))
        .collect(),
        widths: vec![0.6, 1.6, 1.4, 0.8, 1.0, 0.9, 1.0, 0.7, 0.7, 0.7, 0.9, 0.7],
        numeric: vec![true, false, false, true, true, true, true, true, true, false, true, true],
        rows: order.into_iter().map(|f| community_row(d, f, zh)).collect(),
    }
}

/// The book of a run whose maps are in `maps`.
pub fn book(
    ctx: &crate::sheets::Pages,
    bp: &Blueprint,
    area: &str,
    date: &str,
    maps: &Path,
    drawings: &lantu_render::Maps,
) -> Book {
    let crate::sheets::Pages { d, profile, note, lang, .. } = *ctx;
    let zh = lang == Lang::Zh;
    let a = &bp.analysis;
    let hh: f64 = a.communities.iter().filter_map(|f| f.households.map(|h| h.0)).sum();
    let gap: f64 = a.communities.iter().filter_map(|f| f.area_gap.map(|g| g.0)).sum();
    let failing_area = a.communities.iter().filter(|f| f.area_gap.is_some_and(|g| g.0 > 0.0)).count();
    let failing_config = a.communities.iter().filter(|f| !f.config_ok).count();
    let mut summary = if zh {
        vec![
            format!("社区 {} 个，街道 {} 个，户数 {:.0}", a.communities.len(), a.streets.len(), hh),
            format!("{}合计 {gap:.0} ㎡；面积不达标社区 {failing_area} 个", AREA_GAP.zh),
            format!("功能配置不达标社区 {failing_config} 个"),
        ]
    } else {
        vec![
            format!("{} communities, {} streets, {hh:.0} households", a.communities.len(), a.streets.len()),
            format!("{} {gap:.0} m² in all; {failing_area} communities below the area standard", AREA_GAP.en),
            format!("{failing_config} communities failing the function rule"),
        ]
    };
    // estimated households: said on the cover, marked in the tables
    let estimates = lantu_engine::style::households_note(&d.communities, lang);
    if let Some(n) = &estimates {
        summary.push(format!("{n}{}", lang.pick("；表中带 * 的户数为估算", "; marked * in the tables")));
    }
    let marked = |title: String| match &estimates {
        Some(_) if zh => match title.strip_suffix('）') {
            Some(open) => format!("{open}；{}）", lantu_engine::style::estimate_mark_legend(lang)),
            None => format!("{title}（{}）", lantu_engine::style::estimate_mark_legend(lang)),
        },
        Some(_) => format!("{title} ({})", lantu_engine::style::estimate_mark_legend(lang)),
        None => title,
    };
    let mut tables = vec![communities_table(
        d,
        a,
        None,
        marked(lang.pick("社区排序表（按优先级）", "Communities by priority").to_string()),
        zh,
    )];
    tables.push(BookTable {
        title: marked(lang.pick("街道汇总表", "Streets").to_string()),
        header: [
            "street_name",
            "communities",
            "households",
            "area_per_100hh_m2",
            "area_gap_m2",
            "communities_failing_area",
            "communities_failing_complex",
            "communities_failing_config",
            "uncovered_households",
        ]
        .iter()
        .map(|c| header(c, &profile.kinds, zh))
        .collect(),
        widths: vec![1.6, 0.7, 0.9, 1.0, 1.0, 0.8, 0.8, 0.8, 0.9],
        numeric: vec![false, true, true, true, true, true, true, true, true],
        rows: a
            .streets
            .iter()
            .map(|s| {
                vec![
                    s.id.map(|id| d.streets[id.index()].name.clone()).unwrap_or_else(|| no_street_name(lang).into()),
                    s.communities.len().to_string(),
                    lantu_engine::style::households_shown(Some(s.households.0), s.households_estimated),
                    s.area_per_100hh.map_or("—".into(), |x| format!("{:.1}", x.0)),
                    format!("{:.0}", s.area_gap.0),
                    s.fail_area.to_string(),
                    s.fail_complex.to_string(),
                    s.fail_config.to_string(),
                    format!("{:.0}", s.uncovered_households.0),
                ]
            })
            .collect(),
    });
    let mut pilots = Vec::new();
    if let Some(o) = &bp.pilots {
        let total: f64 = o.selection.pilots.iter().map(|p| p.investment.total.0).sum();
        let subsidy: f64 = o.selection.pilots.iter().map(|p| p.investment.subsidy.0).sum();
        summary.push(if zh {
            format!(
                "试点社区 {} 个：投资估算 {:.1} 万元（假设单价），以奖代补 {:.1} 万元",
                o.selection.pilots.len(),
                total / 1e4,
                subsidy / 1e4
            )
        } else {
            format!(
                "{} pilots: investment {total:.0} yuan (assumed unit costs), support {subsidy:.0} yuan",
                o.selection.pilots.len()
            )
        });
        tables.push(BookTable {
            title: lang.pick("试点社区名单", "Pilot communities").to_string(),
            header: vec![
                lang.pick("序", "rank").to_string(),
                lang.pick("社区", "community").to_string(),
                lang.pick("2025年前", "by 2025").to_string(),
                lang.pick("得分", "score").to_string(),
                lang.pick("新增面积（㎡）", "added (m²)").to_string(),
                lang.pick("综合体（㎡）", "complex (m²)").to_string(),
                lang.pick("投资估算（万元）", "investment (10k yuan)").to_string(),
                lang.pick("以奖代补（万元）", "support (10k yuan)").to_string(),
                lang.pick("补充功能", "functions to add").to_string(),
            ],
            widths: vec![0.5, 1.6, 0.7, 0.6, 0.9, 0.9, 1.1, 1.1, 2.4],
            numeric: vec![true, false, false, true, true, true, true, true, false],
            rows: o
                .selection
                .pilots
                .iter()
                .map(|p| {
                    vec![
                        p.rank.to_string(),
                        d.community(p.community).name.clone(),
                        yes(zh, p.by_2025),
                        format!("{:.2}", p.score),
                        format!("{:.0}", p.build.added_area().0),
                        format!("{:.0}", p.build.complex_area.0),
                        format!("{:.1}", p.investment.total.0 / 1e4),
                        format!("{:.1}", p.investment.subsidy.0 / 1e4),
                        profile.kinds.names(&p.build.kinds_to_add, lang),
                    ]
                })
                .collect(),
        });
        for p in &o.selection.pilots {
            let c = d.community(p.community);
            let file = maps.join(format!("pilot_{}.png", lantu_engine::style::code_file_stem(&c.code)));
            pilots.push((format!("{} {}", lang.pick("试点", "Pilot"), c.name), file));
        }
    }
    let streets = a
        .streets
        .iter()
        .filter_map(|s| {
            let (code, name) = match s.id {
                Some(id) => (d.streets[id.index()].code.clone(), d.streets[id.index()].name.clone()),
                None => ("none".to_string(), no_street_name(lang).to_string()),
            };
            let file = format!("street_{}.png", lantu_engine::style::code_file_stem(&code));
            let map = maps.join(&file);
            drawings.has(&file).then(|| StreetPage {
                title: name.clone(),
                map,
                table: {
                    let mut t = communities_table(d, a, Some(&s.communities), marked(name), zh);
                    // rank, community, households, gap, rule met
                    let keep = [0usize, 1, 3, 5, 9];
                    t.header = keep.iter().map(|&i| t.header[i].clone()).collect();
                    t.widths = vec![0.6, 1.8, 0.9, 0.9, 0.7];
                    t.numeric = vec![true, false, true, true, false];
                    t.rows = t.rows.iter().map(|r| keep.iter().map(|&i| r[i].clone()).collect()).collect();
                    t
                },
            })
        })
        .collect();
    Book {
        title: if zh { format!("{area} 一张蓝图") } else { format!("{area}: the blueprint") },
        subtitle: format!(
            "{} · {}",
            lang.pick(&profile.title_zh, &profile.title_en),
            lang.pick("社区嵌入式服务设施缺口分析", "gaps in community embedded service facilities")
        ),
        date: date.to_string(),
        note: note.map(str::to_string),
        summary,
        overview: maps.join("overview.png"),
        tables,
        streets,
        pilots,
        lang,
    }
}
