//! The 申报方案 draft (`docs/申报方案_<area>.docx`): per district the sections of the
//! management measures (实施范围、建设目标、现状与缺口、功能配置、选址与项目、技术指标、投资估算
//! 和资金筹措、运营保障、保障机制) filled with lantu's figures, real Word tables and the maps at
//! print resolution, headings in Word's heading styles (a navigable outline), and 【待补充】
//! where only the planner can write. Then one appendix per pilot community.

use crate::{Result, WriteError};
use docx_rs::{
    AlignmentType, Docx, Footer, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, Style, StyleType, Table,
    TableCell, TableRow, WidthType,
};
use lantu_core::registry::{column_label, column_short, AREA_GAP};
use lantu_core::{district_code, district_name, functions_to_add, CommunityId, Dataset, Lang, Profile};
use lantu_engine::Blueprint;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the draft is made from.
pub struct ApplicationInput<'a> {
    /// The objects.
    pub dataset: &'a Dataset,
    /// The run.
    pub blueprint: &'a Blueprint,
    /// The rules.
    pub profile: &'a Profile,
    /// The area's name.
    pub area: &'a str,
    /// The date of the run.
    pub date: &'a str,
    /// The project's note (e.g. 合成示例数据).
    pub note: Option<&'a str>,
    /// The maps folder (`None`: drawn without maps).
    pub maps: Option<&'a Path>,
}

/// The placeholder for what only the planner can write.
pub const TO_FILL: &str = "【待补充】";

/// A4 portrait in twentieths of a point; text width 15.9 cm.
const A4: (u32, u32) = (11906, 16838);
const TEXT_WIDTH_EMU: u32 = 5_724_000; // 15.9 cm

fn fonts() -> RunFonts {
    RunFonts::new().east_asia("宋体").ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn heading_style(id: &str, name: &str, level: usize, size: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .bold()
        .size(size)
        .fonts(RunFonts::new().east_asia("黑体").ascii("Arial").hi_ansi("Arial"))
        .outline_lvl(level)
}

fn para(text: impl Into<String>) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).fonts(fonts()))
}

fn heading(level: usize, text: impl Into<String>) -> Paragraph {
    Paragraph::new().style(&format!("Heading{level}")).add_run(Run::new().add_text(text))
}

/// A placeholder paragraph: what the planner must write, in red.
fn to_fill(what: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(TO_FILL).color("C00000").bold().fonts(fonts()))
        .add_run(Run::new().add_text(what).color("C00000").fonts(fonts()))
}

/// A Word table: header row shaded, widths in twips.
fn table(header: &[String], rows: &[Vec<String>], widths: &[usize]) -> Table {
    let cell = |text: &str, w: usize, head: bool| {
        let run = Run::new().add_text(text).size(18).fonts(fonts());
        let mut c = TableCell::new()
            .add_paragraph(Paragraph::new().add_run(if head { run.bold() } else { run }))
            .width(w, WidthType::Dxa);
        if head {
            c = c.shading(docx_rs::Shading::new().fill("DCE6F1"));
        }
        c
    };
    let mut out = vec![TableRow::new(header.iter().zip(widths).map(|(h, w)| cell(h, *w, true)).collect())];
    for r in rows {
        out.push(TableRow::new(r.iter().zip(widths).map(|(v, w)| cell(v, *w, false)).collect()));
    }
    Table::new(out).set_grid(widths.to_vec())
}

/// A PNG of the maps folder as an inline picture the text's width.
fn picture(path: &Path) -> Result<Option<Paragraph>> {
    let Ok(bytes) = std::fs::read(path) else { return Ok(None) };
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let info = decoder
        .read_info()
        .map_err(|e| WriteError::Write { path: path.to_path_buf(), source: e.to_string().into() })?;
    let (w, h) = (info.info().width, info.info().height);
    let height = (TEXT_WIDTH_EMU as f64 * h as f64 / w as f64) as u32;
    let pic = Pic::new_with_dimensions(bytes, w, h).size(TEXT_WIDTH_EMU, height);
    Ok(Some(Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_image(pic))))
}

/// Whole numbers and two decimals, as in the CSV tables.
fn n0(x: f64) -> String {
    crate::tables::num(x, 0)
}
fn n2(x: f64) -> String {
    crate::tables::num(x, 2)
}

/// Writes the draft to `path` (through a temporary file).
pub fn write_application_docx(path: &Path, input: &ApplicationInput) -> Result<()> {
    let (d, bp, profile) = (input.dataset, input.blueprint, input.profile);
    let a = &bp.analysis;
    let kinds = &profile.kinds;
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(1440).bottom(1440).left(1418).right(1418))
        .default_fonts(fonts())
        .default_size(24)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .bold()
                .size(36)
                .align(AlignmentType::Center)
                .fonts(RunFonts::new().east_asia("黑体")),
        )
        .add_style(heading_style("Heading1", "heading 1", 0, 32))
        .add_style(heading_style("Heading2", "heading 2", 1, 28))
        .add_style(heading_style("Heading3", "heading 3", 2, 24))
        .footer(
            Footer::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).add_page_num(PageNum::new())),
        );
    doc = doc
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(format!("{} 城市社区嵌入式服务设施建设试点申报方案（草稿）", input.area))),
        )
        .add_paragraph(para(format!(
            "依据：{}。本稿由 lantu {} 于 {} 根据数据生成，红色“{TO_FILL}”处须由编制单位填写；投资估算所用单价为假设值（配置文件 costs），须按本地造价核定。",
            profile.title_zh,
            env!("CARGO_PKG_VERSION"),
            input.date
        )));
    if let Some(note) = input.note {
        doc = doc.add_paragraph(
            Paragraph::new().add_run(Run::new().add_text(format!("【{note}】")).color("C00000").bold().fonts(fonts())),
        );
    }
    // communities by district (the first six digits of the division code)
    let mut districts: BTreeMap<String, Vec<CommunityId>> = BTreeMap::new();
    for c in &d.communities {
        districts.entry(district_code(c).unwrap_or_default()).or_default().push(c.id);
    }
    let several = districts.len() > 1;
    for (code, ids) in &districts {
        let name = district_name(code).map(str::to_string).unwrap_or_else(|| {
            if code.is_empty() {
                input.area.to_string()
            } else {
                code.clone()
            }
        });
        let level = if several {
            doc = doc.add_paragraph(heading(1, name.clone()));
            2
        } else {
            1
        };
        doc = district_sections(doc, input, ids, &name, level)?;
    }
    if let Some(o) = &bp.pilots {
        doc = doc.add_paragraph(heading(1, "附件：试点社区一社区一方案").page_break_before(true));
        for p in &o.selection.pilots {
            let c = d.community(p.community);
            let (b, after) = (&a.communities[p.community.index()], &o.after.communities[p.community.index()]);
            let title = heading(2, format!("{}. {}", p.rank, c.name));
            doc = doc.add_paragraph(if p.rank > 1 { title.page_break_before(true) } else { title });
            let site = lantu_engine::site_in_words(p.build.site, d, &bp.plans, Lang::Zh);
            let rows = vec![
                vec![
                    "户数".to_string(),
                    lantu_engine::style::households_shown(
                        Some(b.households.map_or(0.0, |h| h.0)),
                        b.households_estimated,
                    ),
                ],
                vec!["应有面积（㎡）".into(), n2(b.area_required.map_or(0.0, |x| x.0))],
                vec!["现有面积（㎡）".into(), n2(b.facility_area.0)],
                vec![
                    format!("{}：建设前 → 建设后", column_label("area_gap_m2", kinds).zh),
                    format!("{} → {}", n2(b.area_gap.map_or(0.0, |x| x.0)), n2(after.area_gap.map_or(0.0, |x| x.0))),
                ],
                vec![
                    "综合体（㎡）：现状 → 建成后".into(),
                    format!("{} → {}", n0(b.largest_complex.0), n0(p.build.complex_area.0)),
                ],
                vec!["选址".into(), site],
                vec!["插花式服务站".into(), {
                    let s = lantu_engine::stations_in_words(&p.build, d, kinds, Lang::Zh);
                    if s.is_empty() {
                        "无".into()
                    } else {
                        s
                    }
                }],
                vec!["需补充功能".into(), kinds.names(&p.build.kinds_to_add, Lang::Zh)],
                vec![
                    "新建 / 改造面积（㎡）".into(),
                    format!("{} / {}", n0(p.build.new_build.0), n0(p.build.renovation_with_stations().0)),
                ],
                vec!["投资估算（元，假设单价）".into(), n0(p.investment.total.0)],
                vec![
                    format!("以奖代补（{}）（元）", p.investment.support_item.name(Lang::Zh)),
                    n0(p.investment.subsidy.0),
                ],
                vec!["地方自筹（元）".into(), n0(p.investment.local_funds.0)],
                vec![
                    "生活圈内无一老一小服务的户数：建设前 → 建设后".into(),
                    format!("{} → {}", n0(b.uncovered_households.0), n0(after.uncovered_households.0)),
                ],
                vec!["入选理由".into(), p.reason.get(Lang::Zh).to_string()],
            ];
            doc = doc.add_table(table(&["指标".into(), "数值".into()], &rows, &[3600, 5400]));
            if let Some(maps) = input.maps {
                let file = maps.join(format!("pilot_{}.png", lantu_engine::style::code_file_stem(&c.code)));
                if let Some(p) = picture(&file)? {
                    doc = doc.add_paragraph(p);
                }
            }
            doc = doc
                .add_paragraph(heading(3, "运营保障"))
                .add_paragraph(to_fill("运营主体、服务内容与价格、运营补贴、考核方式。"));
        }
    }
    // packed in memory first: a full disk then fails our write, which says so, not the
    // ZIP writer's drop (which prints its own debug line)
    let mut packed = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut packed)
        .map_err(|e| WriteError::Write { path: path.to_path_buf(), source: e.to_string().into() })?;
    crate::output::write_via_partial(path, |w| {
        use std::io::Write;
        w.write_all(packed.get_ref()).map_err(|e| WriteError::write(path, e))
    })
}

/// The sections of one district's plan, headings at `level`.
fn district_sections(
    mut doc: Docx,
    input: &ApplicationInput,
    ids: &[CommunityId],
    name: &str,
    level: usize,
) -> Result<Docx> {
    let (d, bp, profile) = (input.dataset, input.blueprint, input.profile);
    let a = &bp.analysis;
    let figures: Vec<&lantu_core::CommunityFigures> = {
        let mut v: Vec<_> = ids.iter().map(|c| &a.communities[c.index()]).collect();
        v.sort_by_key(|f| f.priority_rank);
        v
    };
    let households: f64 = figures.iter().filter_map(|f| f.households.map(|h| h.0)).sum();
    let gap: f64 = figures.iter().filter_map(|f| f.area_gap.map(|g| g.0)).sum();
    let failing_area = figures.iter().filter(|f| f.area_gap.is_some_and(|g| g.0 > 0.0)).count();
    let failing_config = figures.iter().filter(|f| !f.config_ok).count();
    let mut streets: BTreeMap<String, (usize, f64, bool)> = BTreeMap::new();
    for f in &figures {
        let e = streets.entry(f.street_code_and_name(d).1).or_default();
        e.0 += 1;
        e.1 += f.households.map_or(0.0, |h| h.0);
        e.2 |= f.households_estimated;
    }
    // estimated households are said in the sentence and marked in every table
    let estimates = lantu_engine::style::households_note(ids.iter().map(|c| d.community(*c)), Lang::Zh)
        .map(|n| format!("；{n}，表中以 {} 标注", lantu_engine::style::ESTIMATE_MARK))
        .unwrap_or_default();
    doc = doc.add_paragraph(heading(level, "一、实施范围")).add_paragraph(para(format!(
        "{name}共 {} 个街道（镇）、{} 个社区，{:.0} 户{estimates}。",
        streets.len(),
        figures.len(),
        households
    )));
    let rows: Vec<Vec<String>> = streets
        .iter()
        .map(|(s, (n, h, estimated))| {
            vec![s.clone(), n.to_string(), lantu_engine::style::households_shown(Some(*h), *estimated)]
        })
        .collect();
    doc = doc.add_table(table(&["街道".into(), "社区数".into(), "户数".into()], &rows, &[4000, 2500, 2500]));

    doc = doc.add_paragraph(heading(level, "二、建设目标")).add_paragraph(para(format!(
        "到试点期末，每个社区综合服务设施面积达到每百户 {:.0} ㎡（有条件的 {:.0} ㎡）以上，集中建设的社区嵌入式服务设施建筑面积一般不小于 {:.0} ㎡、有条件的不小于 {:.0} ㎡，服务功能不少于 {} 项，其中一老一小功能不少于 {} 项。",
        profile.area.per_100_households_m2.0,
        profile.area.per_100_households_capable_m2.0,
        profile.complex.min_area_m2.0,
        profile.complex.preferred_area_m2.0,
        profile.functions.min_functions,
        profile.functions.min_core
    )));
    if let Some(o) = &bp.pilots {
        let here: Vec<_> = o.selection.pilots.iter().filter(|p| ids.contains(&p.community)).collect();
        doc = doc.add_paragraph(para(format!(
            "拟定试点社区 {} 个，其中 2025 年前启动 {} 个（名单见附件）。",
            here.len(),
            here.iter().filter(|p| p.by_2025).count()
        )));
    }
    doc = doc.add_paragraph(to_fill("分年度建设目标与进度安排。"));

    doc = doc.add_paragraph(heading(level, "三、现状与缺口")).add_paragraph(para(format!(
        "{g}合计 {gap:.2} ㎡；面积未达标社区 {failing_area} 个，功能配置未达标社区 {failing_config} 个。各社区按优先级排序如下（{g}与 tables/communities.csv 一致）：",
        g = AREA_GAP.zh
    )));
    let header: Vec<String> = [
        "priority_rank",
        "community_code",
        "community_name",
        "households",
        "area_per_100hh_m2",
        "area_gap_m2",
        "config_ok",
    ]
    .iter()
    .map(|c| column_short(c, &profile.kinds).zh)
    .collect();
    let rows: Vec<Vec<String>> = figures
        .iter()
        .map(|f| {
            let c = d.community(f.id);
            vec![
                f.priority_rank.to_string(),
                c.code.clone(),
                c.name.clone(),
                lantu_engine::style::households_shown(f.households.map(|h| h.0), f.households_estimated),
                f.area_per_100hh.map_or("—".into(), |x| n2(x.0)),
                f.area_gap.map_or("—".into(), |x| n2(x.0)),
                if f.config_ok { "是" } else { "否" }.into(),
            ]
        })
        .collect();
    doc = doc.add_table(table(&header, &rows, &[800, 1700, 1700, 1100, 1300, 1300, 1100]));
    if let Some(p) = input.maps.map(|m| m.join("overview.png")).map(|p| picture(&p)).transpose()?.flatten() {
        doc = doc.add_paragraph(p).add_paragraph(
            para(format!("图：全域总览（各社区每百户服务设施{}）", AREA_GAP.zh)).align(AlignmentType::Center),
        );
    }

    doc = doc
        .add_paragraph(heading(level, "四、功能配置"))
        .add_paragraph(para("功能配置未达标的社区需补充的服务功能（一老一小优先，其余按覆盖率由低到高）："));
    let rows: Vec<Vec<String>> = figures
        .iter()
        .filter(|f| !f.config_ok && f.households.is_some())
        .map(|f| {
            let c = d.community(f.id);
            vec![
                c.name.clone(),
                profile.kinds.names(&f.functions, Lang::Zh),
                profile.kinds.names(&functions_to_add(d, a, profile, f.id), Lang::Zh),
            ]
        })
        .collect();
    if rows.is_empty() {
        doc = doc.add_paragraph(para("各社区功能配置均已达标。"));
    } else {
        doc =
            doc.add_table(table(&["社区".into(), "现有功能".into(), "需补充功能".into()], &rows, &[2200, 3400, 3400]));
    }

    doc = doc.add_paragraph(heading(level, "五、选址与建设项目"));
    let mut any = false;
    for o in &bp.plans {
        let rows: Vec<Vec<String>> = o
            .plan
            .projects
            .iter()
            .zip(&o.effects)
            .filter(|(_, e)| e.community.is_some_and(|c| ids.contains(&c)))
            .map(|(p, e)| {
                vec![
                    p.name.clone(),
                    e.community.map(|c| d.community(c).name.clone()).unwrap_or_default(),
                    p.project_type.clone(),
                    profile.kinds.names(&p.kinds, Lang::Zh),
                    p.floor_area.map_or("—".into(), |x| n0(x.0)),
                ]
            })
            .collect();
        if !rows.is_empty() {
            any = true;
            doc = doc.add_paragraph(para(format!("规划项目（{}）：", o.plan.name))).add_table(table(
                &["项目".into(), "社区".into(), "类型".into(), "功能".into(), "面积（㎡）".into()],
                &rows,
                &[2200, 1600, 1400, 2600, 1200],
            ));
        }
    }
    if let Some(s) = bp.sites.sites() {
        let rows: Vec<Vec<String>> = s
            .plan
            .sites
            .iter()
            .filter(|x| x.community.is_some_and(|c| ids.contains(&c)))
            .map(|x| {
                let c = &d.candidates[x.candidate.index()];
                vec![
                    x.rank.to_string(),
                    c.name.clone(),
                    profile.kinds.names(&x.kinds, Lang::Zh),
                    n0(x.new_households.iter().sum()),
                ]
            })
            .collect();
        if !rows.is_empty() {
            any = true;
            doc = doc.add_paragraph(para("建议盘活的闲置资源：")).add_table(table(
                &["顺序".into(), "闲置资源".into(), "拟设功能".into(), "新增覆盖户数".into()],
                &rows,
                &[900, 3200, 3300, 1600],
            ));
        }
    }
    if !any {
        doc = doc.add_paragraph(to_fill("建设项目清单（补改、转型、划转、配建）。"));
    }

    doc = doc.add_paragraph(heading(level, "六、技术指标"));
    let required: f64 = figures.iter().filter_map(|f| f.area_required.map(|x| x.0)).sum();
    let existing: f64 = figures.iter().map(|f| f.facility_area.0).sum();
    doc = doc.add_table(table(
        &["指标".into(), "数值".into()],
        &[
            vec!["户数".into(), n0(households)],
            vec!["应有服务设施面积（㎡）".into(), n2(required)],
            vec!["现有服务设施面积（㎡）".into(), n2(existing)],
            vec![column_label("area_gap_m2", &profile.kinds).zh, n2(gap)],
            vec!["功能配置未达标社区（个）".into(), failing_config.to_string()],
        ]
        .into_iter()
        .chain(people_indicators(&figures, profile))
        .collect::<Vec<_>>(),
        &[5000, 4000],
    ));

    doc = doc.add_paragraph(heading(level, "七、投资估算和资金筹措"));
    match &bp.pilots {
        Some(o) => {
            let here: Vec<_> = o.selection.pilots.iter().filter(|p| ids.contains(&p.community)).collect();
            let rows: Vec<Vec<String>> = here
                .iter()
                .map(|p| {
                    vec![
                        d.community(p.community).name.clone(),
                        n0(p.investment.total.0),
                        p.investment.support_item.name(Lang::Zh).to_string(),
                        n0(p.investment.subsidy.0),
                        n0(p.investment.local_funds.0),
                    ]
                })
                .collect();
            let sum = |f: &dyn Fn(&lantu_core::Pilot) -> f64| here.iter().map(|p| f(p)).sum::<f64>();
            doc = doc
                .add_paragraph(para(format!(
                    "投资估算按假设单价（新建 {:.0} 元/㎡、改造 {:.0} 元/㎡，配置文件 costs）计算，须按本地造价核定；以奖代补按支持政策清单第 21 项（街道养老服务中心 {:.0} 万元、乡镇养老服务中心 {:.0} 万元、社区养老服务站 {:.0} 万元）。合计投资 {:.0} 元，以奖代补 {:.0} 元，地方自筹 {:.0} 元。",
                    profile.costs.new_build_yuan_per_m2.0,
                    profile.costs.renovation_yuan_per_m2.0,
                    profile.support.street_elderly_centre_yuan / 1e4,
                    profile.support.township_elderly_centre_yuan / 1e4,
                    profile.support.community_elderly_station_yuan / 1e4,
                    sum(&|p| p.investment.total.0),
                    sum(&|p| p.investment.subsidy.0),
                    sum(&|p| p.investment.local_funds.0)
                )))
                .add_table(table(
                    &["试点社区".into(), "投资估算（元）".into(), "以奖代补项目".into(), "以奖代补（元）".into(), "地方自筹（元）".into()],
                    &rows,
                    &[2000, 1800, 2000, 1600, 1600],
                ));
        }
        None => doc = doc.add_paragraph(to_fill("投资估算与资金来源（选择试点社区后自动估算）。")),
    }
    doc = doc.add_paragraph(to_fill("其他资金来源（社会资本、专项债等）。"));

    doc = doc
        .add_paragraph(heading(level, "八、运营保障"))
        .add_paragraph(to_fill("运营主体的选择方式、服务内容与收费、普惠性安排、运营补贴与考核。"))
        .add_paragraph(heading(level, "九、保障机制"))
        .add_paragraph(to_fill("组织领导、部门分工、用地与房屋保障、监督评估（考核评估、动态调整）。"));
    Ok(doc)
}

/// The path of the draft for an area: `docs/申报方案_<area>.docx`.
pub fn application_docx_path(dir: &Path, area: &str) -> PathBuf {
    dir.join("docs").join(format!("申报方案_{}.docx", lantu_engine::style::file_stem(area)))
}
/// The 技术指标 rows of 一老一小 as people: the old, infants and children of the area, the
/// share of each core kind's people within its circle, and each kind's places per 1,000
/// against its target (达标 / 未达标, with the target's source).
fn people_indicators(figures: &[&lantu_core::CommunityFigures], profile: &Profile) -> Vec<Vec<String>> {
    use lantu_core::{PlacesPer, TargetGroup};
    let total = |g: TargetGroup| figures.iter().filter_map(|f| f.people.of(g)).sum::<f64>();
    let mut rows = vec![
        vec![format!("{} 岁及以上老年人口（人）", profile.groups.elderly_age), n0(total(TargetGroup::Elderly))],
        vec!["0–3 岁婴幼儿（人）".into(), n0(total(TargetGroup::Infants))],
        vec!["6–12 岁儿童（人）".into(), n0(total(TargetGroup::Children))],
    ];
    for k in profile.kinds.all() {
        let def = profile.kinds.def(k);
        if !def.core || def.serves == TargetGroup::All {
            continue;
        }
        let group = total(def.serves);
        let reached: f64 = figures.iter().filter_map(|f| f.people_in_reach[k.index()]).sum();
        if group > 0.0 {
            let share = reached / group * 100.0;
            rows.push(vec![
                column_label(&format!("coverage_people_{}", def.code), &profile.kinds).zh,
                format!("{share:.1}%"),
            ]);
        }
        let Some(rule) = &def.capacity else { continue };
        let base = |f: &&lantu_core::CommunityFigures| match rule.per {
            PlacesPer::Population => f.people.of(TargetGroup::All),
            PlacesPer::Group => f.people.of(def.serves),
        };
        let people: f64 = figures.iter().filter(|f| f.places_per_1000[k.index()].is_some()).filter_map(base).sum();
        let held: f64 = figures.iter().filter_map(|f| Some(f.places_per_1000[k.index()]? * base(f)? / 1000.0)).sum();
        if people <= 0.0 {
            continue;
        }
        let per_1000 = 1000.0 * held / people;
        let verdict = match rule.target_per_1000 {
            Some(t) => format!(
                "（目标 {t}，{}；{}）",
                if per_1000 >= t { "达标" } else { "未达标" },
                rule.source.as_deref().unwrap_or("")
            ),
            None => String::new(),
        };
        rows.push(vec![
            column_label(&format!("places_per_1000_{}", def.code), &profile.kinds).zh,
            format!("{}{verdict}", n2(per_1000)),
        ]);
    }
    rows
}
