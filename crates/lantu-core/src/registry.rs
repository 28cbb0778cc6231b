//! The output registry: every layer and every column of lantu's outputs described once —
//! its code, its labels (Chinese with unit, English; a short form for narrow tables), what
//! it means and how it is typed — and the few terms the documents' sentences are made of.
//! Every writer reads it: CSV/XLSX headers and the 说明 sheet, GeoPackage/FlatGeobuf field
//! types and QGIS aliases and layer titles, the PDF and DOCX tables, the page (through its
//! generated `meta`) and the QGIS plugin (through `registry.json` in the output folder).
//!
//! A new column is added here once; its value is written by the tables module of
//! `lantu-write`, and every output shows it under these labels.
//!
//! ```
//! use lantu_core::{registry, Lang, Profile};
//! let kinds = Profile::builtin().kinds;
//! assert_eq!(registry::column_label("area_gap_m2", &kinds).header(Lang::En), "area gap (m²)");
//! assert_eq!(registry::column_short("households", &kinds).header(Lang::Zh), "户数");
//! assert_eq!(registry::layer_title("communities", Lang::Zh), "社区（面积缺口）");
//! ```

use crate::{Kinds, Lang, TargetGroup};

/// A column's labels.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnLabel {
    /// Chinese header, with unit.
    pub zh: String,
    /// English header, with unit.
    pub en: String,
    /// What it means (Chinese).
    pub about_zh: String,
    /// What it means (English).
    pub about_en: String,
}

impl ColumnLabel {
    /// The header in a language.
    pub fn header(&self, lang: Lang) -> &str {
        if lang == Lang::Zh {
            &self.zh
        } else {
            &self.en
        }
    }
    /// The description in a language.
    pub fn about(&self, lang: Lang) -> &str {
        if lang == Lang::Zh {
            &self.about_zh
        } else {
            &self.about_en
        }
    }
}

fn l(zh: &str, en: &str, about_zh: &str, about_en: &str) -> ColumnLabel {
    ColumnLabel { zh: zh.into(), en: en.into(), about_zh: about_zh.into(), about_en: about_en.into() }
}

/// The labels of a column code of lantu's tables and layers.
pub fn column_label(code: &str, kinds: &Kinds) -> ColumnLabel {
    // the sets of plan_before_after.csv: before_<figure>, after<n>_<figure>
    if let Some((plan, rest)) = plan_set(code) {
        let inner = column_label(rest, kinds);
        let (zh, en) = match plan {
            None => (format!("规划前：{}", inner.zh), format!("before: {}", inner.en)),
            Some(n) => (format!("方案{n}实施后：{}", inner.zh), format!("after plan {n}: {}", inner.en)),
        };
        return ColumnLabel { zh, en, ..inner };
    }
    for kind in kinds.all() {
        let k = kinds.def(kind);
        let c = k.code.as_str();
        let by_air = k.by_air();
        if code == format!("coverage_{c}") {
            return l(
                &format!("{}覆盖率", k.zh),
                &format!("coverage {}", k.en),
                &if by_air {
                    format!("{}直线距离范围内的住户比例（0–1）", k.zh)
                } else {
                    format!("{}步行范围内的住户比例（0–1）", k.zh)
                },
                &if by_air {
                    format!("share of households within straight-line range of {} (0–1)", k.en)
                } else {
                    format!("share of households within walking range of {} (0–1)", k.en)
                },
            );
        }
        if code == format!("coverage_flat_{c}") {
            return l(
                &format!("{}覆盖率（不计坡度）", k.zh),
                &format!("coverage {} (flat)", k.en),
                "同上，但按平地计算步行距离，对比可见坡度的影响",
                "the same on flat ground, to show what slope takes away",
            );
        }
        if code == format!("coverage_accessible_{c}") {
            return l(
                &format!("{}无障碍覆盖率", k.zh),
                &format!("coverage {} (barrier-free)", k.en),
                "同上，但按无障碍步行：无坡道的台阶与陡于规定坡度的路段不可通行",
                "the same walking barrier-free: stairs without a ramp and segments steeper than the profile's grade impassable",
            );
        }
        if code == format!("dist_accessible_{c}_m") {
            return l(
                &format!("至{}无障碍距离（米）", k.zh),
                &format!("barrier-free distance to {} (m)", k.en),
                "无障碍步行到最近该类设施的距离",
                "barrier-free walking distance to the nearest facility of the kind",
            );
        }
        if code == format!("dist_{c}_m") {
            return l(
                &format!("至{}距离（米）", k.zh),
                &format!("distance to {} (m)", k.en),
                if by_air {
                    "到最近该类设施的直线距离，超出最大生活圈时为空"
                } else {
                    "到最近该类设施的步行距离，超出最大生活圈或不在路网上时为空"
                },
                if by_air {
                    "straight-line distance to the nearest facility of the kind; empty beyond the largest circle"
                } else {
                    "walking distance to the nearest facility of the kind; empty beyond the largest circle or off-network"
                },
            );
        }
        let Term { zh: group_zh, en: group_en } = group_term(k.serves);
        if code == format!("people_in_reach_{c}") {
            return l(
                &format!("{}覆盖{group_zh}（人）", k.zh),
                &format!("{group_en} reached by {}", k.en),
                &format!("{}生活圈内的{group_zh}人数（按户数分摊到各楼）", k.zh),
                &format!("{group_en} living within the circle of {} (spread over the homes like households)", k.en),
            );
        }
        if code == format!("coverage_people_{c}") {
            return l(
                &format!("{}{group_zh}覆盖率", k.zh),
                &format!("coverage {} ({group_en})", k.en),
                &format!("{}生活圈内的{group_zh}占本社区{group_zh}的比例（0–1）", k.zh),
                &format!("share of the {group_en} within the circle of {} (0–1)", k.en),
            );
        }
        if code == format!("coverage_people_before_{c}") || code == format!("coverage_people_after_{c}") {
            let after = code.starts_with("coverage_people_after_");
            let (when_zh, when_en) = if after { ("建成后", "after") } else { ("建设前", "before") };
            return l(
                &format!("{when_zh}{}{group_zh}覆盖率", k.zh),
                &format!("coverage {} ({group_en}) {when_en}", k.en),
                &format!("试点建设（综合体及插花式服务站）{when_zh}，{}生活圈内的{group_zh}占本社区{group_zh}的比例（0–1）", k.zh),
                &format!("share of the community's {group_en} within the circle of {} {when_en} the pilot's build (complex and stations) (0–1)", k.en),
            );
        }
        if let Some(rule) = k.capacity.as_ref().filter(|_| code == format!("places_per_1000_{c}")) {
            let (per_zh, per_en) = match rule.per {
                crate::PlacesPer::Population => ("每千常住人口", "per 1,000 residents"),
                crate::PlacesPer::Group => ("每千服务对象", "per 1,000 of the group served"),
            };
            return l(
                &format!("{per_zh}{}{}数", k.zh, rule.unit),
                &format!("{} places {per_en}", k.en),
                &format!(
                    "两步移动搜索法（E2SFCA）：每处设施的{}按步行时间衰减分给其步行范围内的{group_zh}，再按住户汇总；共享设施不重复计算",
                    rule.unit
                ),
                "two-step floating catchment (E2SFCA): each facility's places shared among the people within its walk, weighted by walking time, then summed per home; a shared facility is not counted twice",
            );
        }
        if let Some(rule) = k.capacity.as_ref().filter(|_| code == format!("places_target_met_{c}")) {
            let target = rule.target_per_1000.unwrap_or_default();
            return l(
                &format!("{}{}达标", k.zh, rule.unit),
                &format!("{} places target met", k.en),
                &format!("1 表示每千人{}数达到 {target}（{}）", rule.unit, rule.source.as_deref().unwrap_or("")),
                &format!("1 when places per 1,000 reach {target} ({})", rule.source.as_deref().unwrap_or("")),
            );
        }
        if code == format!("new_{c}_people") {
            return l(
                &format!("新增{}覆盖{group_zh}（人）", k.zh),
                &format!("new {group_en} reached by {}", k.en),
                &format!("该处改造后新进入{}生活圈的{group_zh}", k.zh),
                &format!("{group_en} newly within the circle of {} once the site is converted", k.en),
            );
        }
        if code == format!("new_{c}_hh") {
            return l(&format!("新增{}覆盖户数", k.zh), &format!("new households {}", k.en), "", "");
        }
        if code == format!("coverage_before_{c}") {
            return l(&format!("改造前{}覆盖率", k.zh), &format!("coverage {} before", k.en), "", "");
        }
        if code == format!("coverage_after_{c}") {
            return l(&format!("改造后{}覆盖率", k.zh), &format!("coverage {} after", k.en), "", "");
        }
        if code == format!("covered_{c}") {
            return l(
                &format!("{}已覆盖", k.zh),
                &format!("covered {}", k.en),
                "1 表示在该类服务的生活圈内",
                "1 when within the kind's circle",
            );
        }
    }
    match code {
        "priority_rank" => l("优先序", "priority rank", "1 为最需要补短板的社区（择优依据）", "1 = most in need"),
        "priority_score" => l(
            "优先得分",
            "priority score",
            "0.4×面积缺口比例 + 0.3×一老一小缺项比例 + 0.3×未覆盖住户比例（权重见配置）",
            "weighted area gap, missing core functions and uncovered households (weights in the profile)",
        ),
        "community_code" => l("社区代码", "community code", "社区的统一代码", "the community's code"),
        "population" => l(
            "常住人口（人）",
            "population",
            "给定的常住人口，缺失时为户数 × 户均人口",
            "residents as given, else households × persons per household",
        ),
        "people_elderly" => l(
            "老年人口（人）",
            "people 60+",
            "60 岁（或配置的 65 岁）及以上人口：给定，或常住人口 × 比例",
            "people aged 60 (or the profile's 65) and over: given, or residents × share",
        ),
        "people_infants" => {
            l("0–3 岁婴幼儿（人）", "infants 0–3", "给定，或常住人口 × 比例", "given, or residents × share")
        }
        "people_children" => {
            l("6–12 岁儿童（人）", "children 6–12", "给定，或常住人口 × 比例", "given, or residents × share")
        }
        "people_estimated" => l(
            "人口含估算",
            "people estimated",
            "1 表示常住人口或某一年龄组为估算（户数 × 户均人口，或常住人口 × 七普比例）",
            "1 when residents or an age group are estimated (households × persons per household, or residents × census share)",
        ),
        "community_name" => l("社区名称", "community name", "", ""),
        "street_code" => l("街道代码", "street code", "", ""),
        "street_name" => l("街道名称", "street name", "", ""),
        "communities" => l("社区数", "communities", "街道内社区数", "communities in the street"),
        "households" => l("户数（户）", "households", "给定或估算的户数", "households, given or estimated"),
        "households_source" => l(
            "户数来源",
            "households source",
            "given 给定；grid 人口格网估算；floor_area 住宅建筑面积估算；buildings 楼栋户数汇总；spread 社区户数按楼分摊",
            "given; grid: from the population grid; floor_area: from residential floor area; buildings: summed from the buildings; spread: the community's count shared over its buildings",
        ),
        "households_estimated" => {
            l("户数为估算", "households estimated", "1 表示户数为估算（人口格网、建筑面积或楼栋汇总）", "1 when households are estimated (grid, floor area or the buildings' sum)")
        }
        "facility_area_m2" => l(
            "设施面积（㎡）",
            "facility area (m²)",
            "计入本社区的服务设施建筑面积，共享设施按户数分摊",
            "service floor area counted for the community; shared facilities split by households",
        ),
        "area_per_100hh_m2" => {
            l("每百户面积（㎡）", "area per 100 hh (m²)", "设施面积 ÷ 户数 × 100", "facility area ÷ households × 100")
        }
        "area_standard_m2" => l(
            "面积标准（㎡/百户）",
            "standard (m²/100 hh)",
            "30，有条件社区 80",
            "30, or 80 where the community is marked capable",
        ),
        "area_required_m2" => {
            l("应配面积（㎡）", "required area (m²)", "标准 × 户数 ÷ 100", "standard × households ÷ 100")
        }
        "area_gap_m2" => l(
            "面积缺口（㎡）",
            "area gap (m²)",
            "达到标准尚缺的面积，达标为 0",
            "floor area missing to meet the standard",
        ),
        "gap_class" => l(
            "缺口等级",
            "gap class",
            "每百户面积缺口：0 达标，1 为 0–10，2 为 10–20，3 为 20–40，4 为 40 ㎡以上；空为户数缺失",
            "gap per 100 households: 0 met, 1 up to 10, 2 10–20, 3 20–40, 4 above 40 m²; empty without households",
        ),
        "largest_complex_m2" => l(
            "最大综合体面积（㎡）",
            "largest complex (m²)",
            "标注为综合体的设施，或同一建筑内多个设施面积之和",
            "a facility marked as complex, or facilities in one building",
        ),
        "complex_meets_min" => l(
            "综合体≥600㎡",
            "complex ≥ 600 m²",
            "1 表示最大综合体达到一般要求",
            "1 when the largest complex meets the minimum",
        ),
        "complex_meets_preferred" => {
            l("综合体≥800㎡", "complex ≥ 800 m²", "1 表示达到有条件的要求", "1 when it meets the preferred size")
        }
        "functions" => l("已有功能", "functions", "已有的服务类型代码", "kinds present"),
        "functions_count" => l("功能项数", "functions", "已有功能项数", "functions present"),
        "core_functions_count" => l(
            "一老一小项数",
            "core functions",
            "养老、托育、儿童托管、社区助餐中已有的项数",
            "core (elderly/child) functions present",
        ),
        "core_required" => {
            l("一老一小应有项数", "core required", "适用规则要求的一老一小项数", "core functions the rule asks for")
        }
        "config_ok" => l(
            "功能配置达标",
            "function rule met",
            "1 表示满足“≥3 项且一老一小 ≥2 项”（或非集中建设社区 ≥2 项）",
            "1 when the function rule holds",
        ),
        "config_reason" => l("未达标原因", "why not", "", ""),
        "uncovered_households" => l(
            "未覆盖户数（户）",
            "uncovered households",
            "生活圈内无任何一老一小服务的住户",
            "households with no core service within its circle",
        ),
        "uncovered_households_accessible" => l(
            "无障碍未覆盖户数（户）",
            "uncovered households (barrier-free)",
            "按无障碍步行，生活圈内无任何一老一小服务的住户",
            "households with no core service within its circle, walking barrier-free",
        ),
        "metric" => {
            l("距离度量", "metric", "network 为步行网络距离，euclidean 为直线距离", "network or straight-line distance")
        }
        "remarks" => l("备注", "remarks", "数值为空的原因", "why a figure is empty"),
        "communities_failing_area" => l("面积不达标社区数", "communities below area standard", "", ""),
        "communities_failing_complex" => l("综合体不足社区数", "communities with complex < 600 m²", "", ""),
        "communities_failing_config" => l("功能不达标社区数", "communities failing the function rule", "", ""),
        "source_id" => l("编号", "id", "源数据中的编号", "id in the source data"),
        "name" => l("名称", "name", "", ""),
        "kinds" => l("服务类型代码", "kind codes", "", ""),
        "kinds_zh" => l("服务类型", "kinds", "", ""),
        "floor_area_m2" => l("建筑面积（㎡）", "floor area (m²)", "", ""),
        "counted_area_m2" => {
            l("计入面积（㎡）", "area counted (m²)", "计入各社区的面积之和", "area counted for communities")
        }
        "complex" => l("综合体", "complex", "1 表示标注为综合体", "1 when marked as a complex"),
        "data_note" => l(
            "数据说明",
            "data note",
            "项目文件的说明（如：合成示例数据）",
            "the project's note (e.g. synthetic example data)",
        ),
        "shared_by" => l("共享社区", "shared by", "", ""),
        "snap_island" => l(
            "接入孤立路段",
            "joins an island",
            "1：接入距离内没有主网络步行道，接入了与主网络不连通的小段路网",
            "1: no main-network walkway within reach, joined a piece cut off from the main network",
        ),
        "snap_m" => l(
            "接入路网距离（米）",
            "access to network (m)",
            "到最近步行道的直线接入距离",
            "straight access walk to the nearest walkway",
        ),
        "owner" => l("权属", "owner", "", ""),
        "residential" => l("住宅", "residential", "", ""),
        "site_rank" => l("建议顺序", "site rank", "1 为最先改造", "1 = convert first"),
        "new_households" => l(
            "新增覆盖户数",
            "households newly in reach",
            "各服务类型新增覆盖户数之和",
            "sum over kinds of households newly within reach",
        ),
        "area_gap_closed_m2" => l("弥补面积缺口（㎡）", "area gap closed (m²)", "", ""),
        "core_added" => l("新增一老一小功能", "core functions added", "", ""),
        "community_rules_after" => l("改造后所在社区达标情况", "community rules after", "", ""),
        "subsidy_yuan" => l(
            "补助估算（元）",
            "subsidy estimate (yuan)",
            "按以奖代补标准：≥800㎡ 按街道养老服务中心，其余按社区养老服务站",
            "support policy: street elderly-care centre for sites ≥ 800 m², else community station",
        ),
        "gain" => l(
            "目标增益",
            "objective gain",
            "按需求加权的新增覆盖、功能与面积增益",
            "need-weighted gain in coverage, functions and area",
        ),
        "level" => l("层级", "level", "community 社区 / street 街道", ""),
        "plan" => l("方案序号", "plan", "规划项目表给出的顺序", "the order the plans were given in"),
        "plan_name" => l("方案", "plan name", "规划项目表的文件名", "the plan file's name"),
        "project_type" => {
            l("建设类型", "project type", "新建、改扩建、存量转型等", "new build, extension, conversion…")
        }
        "year" => l("年份", "year", "", ""),
        "functions_added" => {
            l("新增功能", "functions added", "所在社区原来没有的服务类型", "kinds its community lacked")
        }
        "area_gap_filled_m2" => l("弥补面积缺口（㎡）", "area gap filled (m²)", "", ""),
        "cost_yuan" => l(
            "投资（元）",
            "cost (yuan)",
            "规划给定，或按假设单价估算",
            "given in the plan, or from the assumed unit costs",
        ),
        "cost_assumed" => l(
            "按假设单价估算",
            "from assumed unit costs",
            "1：投资按配置文件 costs 中的假设单价估算，不是实际造价",
            "1: estimated from the profile's assumed unit costs, not an actual cost",
        ),
        "warnings" => l("提示", "warnings", "", ""),
        "pilot_rank" => l("试点排序", "pilot rank", "1 为最优先", "1 = first"),
        "by_2025" => {
            l("2025年前启动", "start by 2025", "1：列入 2025 年前启动的批次", "1: among those to start by 2025")
        }
        "district_code" => l("区县代码", "district code", "", ""),
        "district_name" => l("区县", "district", "", ""),
        // `lantu batch merge`: the areas side by side
        "area" => l("区域代码", "area code", "lantu batch split 的区域（默认为区县代码）", "the area of lantu batch split (the district code by default)"),
        "area_name" => l("区域", "area", "", ""),
        "communities_failing_any" => l(
            "未达标社区数",
            "communities failing any rule",
            "面积、综合体或功能配置任一项不达标的社区",
            "communities below their floor-area, complex or configuration rule",
        ),
        "share_failing" => l("未达标社区占比", "share of communities failing", "0–1", "0–1"),
        "pilot_candidates" => l("试点候选数", "pilot candidates", "该区域 pilots.csv 的行数", "rows of the area's pilots.csv"),
        "page" => l("区域网页", "area page", "该区域的交互地图网页（相对链接）", "the area's interactive page (relative link)"),
        "rank" => l("跨区域试点排序", "rank across areas", "1 为最优先；按试点得分、需求分、社区代码", "1 = first; by pilot score, need, community code"),
        "area_rank" => l("区域内试点排序", "rank in its area", "该区域自身分析中的试点排序", "the pilot rank in the area's own run"),
        "need" => l("需求分", "need", "优先级得分（0–1）", "priority score (0–1)"),
        "feasibility" => l(
            "可行性",
            "feasibility",
            "附近有≥600㎡闲置资源或现有综合体、有规划项目、社区规模的加权得分（0–1）",
            "weighted: an idle building ≥ 600 m² or a complex to extend, a planned project, size (0–1)",
        ),
        "pilot_score" => l("试点得分", "pilot score", "需求与可行性加权", "need and feasibility, weighted"),
        "site_type" => l("建设方式", "how", "", ""),
        "site_id" => l("选址编号", "site id", "", ""),
        "site_name" => l("选址", "site", "", ""),
        "build" => l("建设内容", "what to build", "", ""),
        "reason" => l("入选理由", "why", "", ""),
        "complex_action" => l("综合体建设方式", "complex: how", "", ""),
        "complex_area_after_m2" => l("建成后综合体面积（㎡）", "complex after (m²)", "", ""),
        "functions_to_add" => l("需补充功能", "functions to add", "一老一小优先", "core kinds first"),
        "new_build_m2" => l("新建面积（㎡）", "new build (m²)", "", ""),
        "renovation_m2" => l("改造面积（㎡）", "renovated (m²)", "", ""),
        "unit_cost_new_build_yuan_m2" => l(
            "新建单价（元/㎡，假设）",
            "new-build unit cost (yuan/m², assumed)",
            "配置文件 costs.new_build_yuan_per_m2：用户假设，不是实际造价",
            "profile costs.new_build_yuan_per_m2: an assumption, not an actual cost",
        ),
        "unit_cost_renovation_yuan_m2" => l(
            "改造单价（元/㎡，假设）",
            "renovation unit cost (yuan/m², assumed)",
            "配置文件 costs.renovation_yuan_per_m2：用户假设，不是实际造价",
            "profile costs.renovation_yuan_per_m2: an assumption, not an actual cost",
        ),
        "investment_yuan" => l("投资估算（元）", "investment (yuan)", "", ""),
        "investment_basis" => l("估算依据", "basis", "", ""),
        "support_item" => l("以奖代补项目", "support item", "支持政策清单第 21 项", "support policy list, item 21"),
        "local_funds_yuan" => {
            l("地方自筹（元）", "local funds (yuan)", "投资估算减以奖代补", "investment minus support")
        }
        "code" => l("代码", "code", "", ""),
        "area_gap_before_m2" => l("改造前面积缺口（㎡）", "area gap before (m²)", "", ""),
        "area_gap_after_m2" => l("改造后面积缺口（㎡）", "area gap after (m²)", "", ""),
        "config_ok_before" => {
            l("改造前功能达标", "function rule before", "街道行为达标社区数", "for streets: communities meeting it")
        }
        "config_ok_after" => l("改造后功能达标", "function rule after", "", ""),
        "core_functions_before" => l("改造前一老一小项数", "core functions before", "", ""),
        "core_functions_after" => l("改造后一老一小项数", "core functions after", "", ""),
        "uncovered_households_before" => l("改造前未覆盖户数", "uncovered before", "", ""),
        "uncovered_households_after" => l("改造后未覆盖户数", "uncovered after", "", ""),
        "kind" => l("服务类型代码", "kind", "服务类型的代码（core 为一老一小合计）", "the kind's code (core: the 一老一小 kinds together)"),
        "kind_zh" => l("服务类型", "kind name", "", ""),
        "circle" => l("生活圈", "circle", "生活圈名称（如 5 分钟）", "the circle's name (e.g. 5 min)"),
        "radius_m" => l("生活圈距离（米）", "circle distance (m)", "", ""),
        "is_kind_circle" => {
            l("本类生活圈", "own circle", "1 表示该生活圈是该服务类型自身的生活圈", "1 when the circle is the kind's own")
        }
        "area_m2" => l("面积（㎡）", "area (m²)", "", ""),
        "buildings" => l("住宅栋数", "buildings", "范围内的住宅建筑数", "residential buildings in the area"),
        "edge_id" => l("路段编号", "edge id", "", ""),
        "node_a" => l("起点节点", "node a", "", ""),
        "node_b" => l("终点节点", "node b", "", ""),
        "class" => l("道路类型", "class", "源数据的道路类型（如 OSM highway）", "the source's road class (e.g. OSM highway)"),
        "steps" => l("台阶", "stairs", "1 表示台阶", "1 for stairs"),
        "length_m" => l("长度（米）", "length (m)", "", ""),
        "cost_ab_m" => l(
            "正向步行代价（米）",
            "walking cost a→b (m)",
            "计入坡度与台阶后的等效平地距离",
            "the flat-ground distance equal to the walk with its slope and stairs",
        ),
        "cost_ba_m" => l("反向步行代价（米）", "walking cost b→a (m)", "同上，反方向", "the same, the other way"),
        "component" => {
            l("连通分量", "component", "0 为主网络，其余为与主网络不连通的小段路网", "0: the main network; others: pieces cut off from it")
        }
        _ => l(code, code, "", ""),
    }
}

/// A column of one of `plan_before_after.csv`'s sets: `before_<figure>` (`None`) or
/// `after<n>_<figure>` (`Some(n)`), with the figure's own code.
fn plan_set(code: &str) -> Option<(Option<u32>, &str)> {
    if let Some(rest) = code.strip_prefix("before_") {
        return Some((None, rest));
    }
    let (n, rest) = code.strip_prefix("after")?.split_once('_')?;
    Some((Some(n.parse().ok()?), rest))
}

/// The type of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    Text,
    /// 64-bit integer.
    Int,
    /// Real number.
    Real,
}

/// How a column of lantu's tables is typed in GeoPackage and XLSX.
pub fn column_type(code: &str) -> ColumnType {
    if let Some((_, rest)) = plan_set(code) {
        return column_type(rest);
    }
    match code {
        "community_code" | "community_name" | "street_code" | "street_name" | "functions" | "config_reason"
        | "metric" | "remarks" | "source_id" | "name" | "kinds" | "kinds_zh" | "shared_by" | "owner" | "data_note"
        | "plan_name" | "project_type" | "functions_added" | "warnings" | "district_code" | "district_name"
        | "site_type" | "site_id" | "site_name" | "build" | "reason" | "complex_action" | "functions_to_add"
        | "area" | "area_name" | "page" | "investment_basis" | "support_item" | "level" | "code"
        | "households_source" | "kind" | "kind_zh" | "circle" | "class" => ColumnType::Text,
        "priority_rank"
        | "gap_class"
        | "households_estimated"
        | "complex_meets_min"
        | "complex_meets_preferred"
        | "functions_count"
        | "core_functions_count"
        | "core_required"
        | "config_ok"
        | "communities"
        | "communities_failing_area"
        | "communities_failing_complex"
        | "communities_failing_config"
        | "complex"
        | "residential"
        | "edge_id"
        | "node_a"
        | "node_b"
        | "steps"
        | "component"
        | "is_kind_circle"
        | "buildings"
        | "site_rank"
        | "snap_island"
        | "people_estimated"
        | "communities_failing_any"
        | "pilot_candidates"
        | "rank"
        | "area_rank" => ColumnType::Int,
        c if c.starts_with("places_target_met_") => ColumnType::Int,
        c if c.starts_with("covered_") => ColumnType::Int,
        _ => ColumnType::Real,
    }
}

/// The people a target group is, in words (常住人口, 老年人, 婴幼儿, 儿童).
pub fn group_term(group: TargetGroup) -> Term {
    let (zh, en) = match group {
        TargetGroup::All => ("常住人口", "residents"),
        TargetGroup::Elderly => ("老年人", "old people"),
        TargetGroup::Infants => ("婴幼儿", "infants"),
        TargetGroup::Children => ("儿童", "children"),
    };
    Term { zh, en }
}

/// A term the documents' sentences are made of, in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// Chinese.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

impl Term {
    /// The term in a language.
    pub fn get(self, lang: Lang) -> &'static str {
        if lang == Lang::Zh {
            self.zh
        } else {
            self.en
        }
    }
}

/// The floor area missing to meet the standard (the figure of `area_gap_m2`).
pub const AREA_GAP: Term = Term { zh: "面积缺口", en: "area gap" };
/// The area gap per 100 households, by which communities are coloured.
pub const AREA_GAP_PER_100HH: Term = Term { zh: "每百户面积缺口", en: "area gap per 100 households" };

/// A layer of the blueprint (`blueprint.gpkg`, `geojson/`, `layers/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerEntry {
    /// The layer's name in the files.
    pub code: &'static str,
    /// Its title in QGIS, Chinese.
    pub zh: &'static str,
    /// Its title in QGIS, English.
    pub en: &'static str,
    /// Shown when a project opens (a readable first view: communities by gap, streets,
    /// facilities; the rest to switch on).
    pub visible: bool,
}

/// The blueprint's layers, top to bottom as QGIS shows them.
pub const LAYERS: &[LayerEntry] = &[
    LayerEntry { code: "streets", zh: "街道", en: "streets", visible: true },
    LayerEntry { code: "communities", zh: "社区（面积缺口）", en: "communities (area gap)", visible: true },
    LayerEntry { code: "facilities", zh: "服务设施", en: "facilities", visible: true },
    LayerEntry { code: "candidates", zh: "闲置资源（候选）", en: "candidate sites", visible: true },
    LayerEntry { code: "planned_projects", zh: "规划项目", en: "planned projects", visible: true },
    LayerEntry { code: "pilots", zh: "试点社区", en: "pilot communities", visible: true },
    LayerEntry { code: "coverage_areas", zh: "步行覆盖范围", en: "coverage areas", visible: false },
    LayerEntry { code: "uncovered_areas", zh: "未覆盖住宅", en: "uncovered homes", visible: false },
    LayerEntry { code: "network", zh: "步行网络", en: "walking network", visible: false },
    LayerEntry { code: "buildings", zh: "建筑", en: "buildings", visible: false },
];

/// The registry's entry of a layer.
pub fn layer(code: &str) -> Option<&'static LayerEntry> {
    LAYERS.iter().find(|l| l.code == code)
}

/// The title a layer shows in QGIS ("" for a layer the registry does not know).
pub fn layer_title(code: &str, lang: Lang) -> &'static str {
    layer(code).map_or("", |l| lang.pick(l.zh, l.en))
}

/// The short header of a column, for narrow tables (the PDF's, the page's): the full
/// header where there is no shorter one.
pub fn column_short(code: &str, kinds: &Kinds) -> ColumnLabel {
    let short = |zh: &str, en: &str| ColumnLabel { zh: zh.into(), en: en.into(), ..column_label(code, kinds) };
    match code {
        "priority_rank" => short("优先序", "rank"),
        "priority_score" => short("优先级", "priority"),
        "community_name" => short("社区", "community"),
        "street_name" => short("街道", "street"),
        "households" => short("户数", "households"),
        "area_per_100hh_m2" => short("每百户面积（㎡）", "m² per 100 hh"),
        "area_gap_m2" => short("面积缺口（㎡）", "gap (m²)"),
        "largest_complex_m2" => short("最大综合体（㎡）", "complex (m²)"),
        "functions_count" => short("功能项数", "functions"),
        "core_functions_count" => short("一老一小", "core"),
        "config_ok" => short("功能达标", "rule met"),
        "uncovered_households" => short("未覆盖户数", "uncovered hh"),
        "communities_failing_area" => short("面积不达标", "below area"),
        "communities_failing_complex" => short("综合体不足", "no complex"),
        "communities_failing_config" => short("功能不达标", "rule failed"),
        _ => column_label(code, kinds),
    }
}
