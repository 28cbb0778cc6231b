//! Everything the page says in words: the column headers it shows (from the output
//! registry) and its own controls, in both languages. Written into `data/meta.js`; the
//! page's script holds no label.

use lantu_core::registry::{column_label, column_short, layer_title, AREA_GAP_PER_100HH};
use lantu_core::{Kinds, Lang};
use serde::Serialize;
use std::collections::BTreeMap;

/// A label in both languages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Word {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

fn w(zh: &str, en: &str) -> Word {
    Word { zh: zh.into(), en: en.into() }
}

/// The columns the page's table and panel show.
const PAGE_COLUMNS: &[&str] = &[
    "priority_rank",
    "priority_score",
    "community_code",
    "community_name",
    "street_name",
    "households",
    "facility_area_m2",
    "area_per_100hh_m2",
    "area_standard_m2",
    "area_required_m2",
    "area_gap_m2",
    "largest_complex_m2",
    "functions_count",
    "config_ok",
    "config_reason",
    "uncovered_households",
    "remarks",
    "population",
    "people_elderly",
    "people_infants",
    "people_children",
    "pilot_rank",
    "site_type",
    "site_name",
    "build",
];

/// The page's columns: `short` heads the table, `full` (with its unit) labels the panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageColumn {
    /// The table's header.
    pub short: Word,
    /// The panel's label.
    pub full: Word,
}

/// The registry's labels of the columns the page shows.
pub fn page_columns(kinds: &Kinds) -> BTreeMap<String, PageColumn> {
    // and each capacity kind's places per 1,000
    let places = kinds.defs().iter().filter(|d| d.capacity.is_some()).map(|d| format!("places_per_1000_{}", d.code));
    // each kind's coverage of households and of the people it serves (the colouring), and
    // the pilots' people coverage before and after their builds
    let coverage =
        kinds.defs().iter().flat_map(|d| [format!("coverage_{}", d.code), format!("coverage_people_{}", d.code)]);
    let pilots = kinds.core().into_iter().flat_map(|k| {
        let c = kinds.code(k);
        [format!("coverage_people_before_{c}"), format!("coverage_people_after_{c}")]
    });
    PAGE_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(places)
        .chain(coverage)
        .chain(pilots)
        .map(|code| {
            let code = code.as_str();
            let (s, f) = (column_short(code, kinds), column_label(code, kinds));
            (code.to_string(), PageColumn { short: Word { zh: s.zh, en: s.en }, full: Word { zh: f.zh, en: f.en } })
        })
        .collect()
}

/// The words of the page's own controls, legend and notes.
pub fn page_words() -> BTreeMap<&'static str, Word> {
    let layer = |code: &str| Word { zh: layer_title(code, Lang::Zh).into(), en: layer_title(code, Lang::En).into() };
    BTreeMap::from([
        ("search", w("搜索社区名称或代码", "search a community by name or code")),
        ("allStreets", w("全部街道", "all streets")),
        ("allRules", w("全部社区", "all communities")),
        ("failArea", w("面积不达标", "failing the area rule")),
        ("failComplex", w("综合体不达标", "failing the complex rule")),
        ("failConfig", w("功能配置不达标", "failing the function rule")),
        ("failAny", w("任一不达标", "failing any rule")),
        ("toggle", w("English", "中文")),
        ("people", w("一老一小人口", "people by age")),
        ("places", w("服务容量（每千人）", "places per 1,000")),
        ("functions", w("服务功能", "functions")),
        ("coverage", w("步行覆盖率", "walking coverage")),
        ("uncoveredHh", w("无一老一小服务的住户", "households with no core service")),
        ("barrierFree", w("无障碍", "barrier-free")),
        ("estimated", w("（估算）", " (estimated)")),
        ("ok", w("达标", "met")),
        ("notOk", w("不达标", "not met")),
        ("gapLegend", w(AREA_GAP_PER_100HH.zh, AREA_GAP_PER_100HH.en)),
        ("noHouseholds", w("户数缺失", "no households")),
        ("facilities", layer("facilities")),
        ("coverageOf", w("覆盖范围", "coverage area")),
        ("none", w("不显示", "none")),
        ("ownCircle", w("本类生活圈", "own circle")),
        ("uncoveredLayer", w("无一老一小服务（或所选服务）的住宅", "homes with no core service (or the picked one)")),
        ("base", w("底图", "base")),
        ("buildings", layer("buildings")),
        ("network", layer("network")),
        ("sites", w("闲置资源", "idle buildings")),
        ("recommended", w("建议改造（序号）", "recommended (rank)")),
        ("otherSites", w("其他闲置资源", "other candidates")),
        ("leftOut", w("数据量过大未显示（见 blueprint.gpkg）：", "too large to show (see blueprint.gpkg): ")),
        ("source", w("数据来源", "source")),
        ("crs", w("坐标系", "CRS")),
        ("date", w("日期", "date")),
        ("metric", w("度量", "metric")),
        ("streets", w("街道边界", "street boundaries")),
        ("m2", w("㎡", "m²")),
        ("meetsMin", w("≥ 最小规模", "≥ minimum")),
        ("belowMin", w("< 最小规模", "< minimum")),
        ("close", w("关闭", "close")),
        ("kindCount", w("项", "")),
        ("colon", w("：", ": ")),
        ("listSep", w("、", ", ")),
        ("legend", w("图例", "Legend")),
        ("pilots", layer("pilots")),
        ("fromTiles", w("（矢量瓦片）", " (vector tiles)")),
        ("pilot", w("试点社区", "pilot community")),
        ("pilotBuild", w("试点建设及建成效果", "the pilot's build and what it brings")),
        ("beforeAfter", w("建设前 → 建成后", "before → after")),
        ("colourBy", w("社区着色", "colour communities by")),
        ("byGap", w("面积缺口", "area gap")),
        ("byHouseholds", w("覆盖率（按户）", "coverage (households)")),
        ("byPeople", w("覆盖率（按服务人群）", "coverage (people served)")),
        ("householdsShort", w("户", "households")),
        ("peopleShort", w("人", "people")),
        ("noWebgl", w("此浏览器无法显示地图（需要 WebGL）：", "this browser cannot show the map (WebGL is needed): ")),
    ])
}
