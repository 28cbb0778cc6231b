//! Raw features into model objects, layer by layer, with every finding reported.

use super::*;

/// Gives entrances to the buildings they stand on, reports the ones that found none
/// (in `own`) and how many buildings now start their walks at an entrance (in the
/// buildings' report).
pub(crate) fn attach_entrance_points(
    dataset: &mut Dataset,
    points: &[(String, geo::Point)],
    own: &mut LayerReport,
    reports: &mut [LayerReport],
) {
    let locations: Vec<geo::Point> = points.iter().map(|p| p.1).collect();
    let lost = lantu_core::attach_entrances(&mut dataset.buildings, &locations, ENTRANCE_TOLERANCE_M);
    for &i in &lost {
        own.find(
            FindingKind::Rejected,
            Some(&points[i].0),
            None,
            Text::new(
                "出入口不在任何建筑轮廓上（1 米内），未使用",
                "entrance on no building outline (within 1 m): not used",
            ),
        );
    }
    let with = dataset.buildings.iter().filter(|b| !b.entrances.is_empty()).count();
    own.counts.push((Text::new("落在建筑上的出入口", "entrances on a building"), (points.len() - lost.len()) as f64));
    if let Some(r) = report_of(reports, LayerRole::Buildings) {
        r.counts
            .push((Text::new("从出入口起算步行距离的建筑", "buildings whose walks start at an entrance"), with as f64));
    }
}

/// Reading values of one feature through the field map, reporting what cannot be read.
pub(crate) struct Ctx<'a> {
    pub map: &'a FieldMap,
    pub report: &'a mut LayerReport,
}

impl Ctx<'_> {
    fn value<'v>(&self, f: &'v RawFeature, role: FieldRole) -> Option<&'v Value> {
        self.map.get(role).map(|i| &f.values[i])
    }
    fn text(&self, f: &RawFeature, role: FieldRole) -> Option<String> {
        self.value(f, role).and_then(Value::text)
    }
    fn number(&mut self, f: &RawFeature, role: FieldRole, id: &str) -> Option<f64> {
        match self.value(f, role)?.number() {
            Ok(v) => v,
            Err(t) => {
                let field = self.map.name(role).map(str::to_string);
                let (kind, zh, en) = if role == FieldRole::Households {
                    (
                        FindingKind::HouseholdsInvalid,
                        format!("户数不是数字：{}", t.zh),
                        format!("households is not a number: {}", t.en),
                    )
                } else if role == FieldRole::FloorArea {
                    (
                        FindingKind::FloorAreaInvalid,
                        format!("面积不是数字：{}", t.zh),
                        format!("floor area is not a number: {}", t.en),
                    )
                } else {
                    (FindingKind::BadValue, format!("不是数字：{}", t.zh), format!("not a number: {}", t.en))
                };
                self.report.find(kind, Some(id), field.as_deref(), Text::new(zh, en));
                None
            }
        }
    }
    fn flag(&mut self, f: &RawFeature, role: FieldRole, id: &str) -> Option<bool> {
        match self.value(f, role)?.flag() {
            Ok(v) => v,
            Err(t) => {
                let field = self.map.name(role).map(str::to_string);
                self.report.find(
                    FindingKind::BadValue,
                    Some(id),
                    field.as_deref(),
                    Text::new(format!("不是“是/否”：{t:?}"), format!("not a yes/no value: {t:?}")),
                );
                None
            }
        }
    }
    pub(super) fn id(&self, f: &RawFeature) -> String {
        self.text(f, FieldRole::Id).unwrap_or_else(|| f.fid.clone())
    }
    /// The geometry if usable for the role, else reports the feature as rejected.
    pub(super) fn geometry<'g>(&mut self, f: &'g RawFeature, id: &str, role: LayerRole) -> Option<&'g Geometry> {
        // a repaired geometry carries how it was repaired
        if let (true, Some(_), Some(how)) = (f.repaired, &f.geometry, &f.problem) {
            self.report.find(FindingKind::Repaired, Some(id), None, how.clone());
        }
        match &f.geometry {
            None => {
                let why = f.problem.clone().unwrap_or_else(|| Text::new("无几何", "no geometry"));
                let kind = if f.out_of_range { FindingKind::OutOfRange } else { FindingKind::Rejected };
                self.report.find(kind, Some(id), None, why);
                None
            }
            Some(g) if !allowed(role).0.contains(&family(g).unwrap_or(Family::Point)) || family(g).is_none() => {
                self.report.find(
                    FindingKind::Rejected,
                    Some(id),
                    None,
                    Text::new(
                        format!("几何类型不符：需要{}", allowed(role).1),
                        format!("wrong geometry type: {} needed", allowed(role).1),
                    ),
                );
                None
            }
            Some(g) => Some(g),
        }
    }
}

pub(super) fn positive_households(ctx: &mut Ctx, f: &RawFeature, id: &str, required: bool) -> Option<Households> {
    let field = ctx.map.name(FieldRole::Households).map(str::to_string);
    match ctx.number(f, FieldRole::Households, id) {
        Some(h) if h > 0.0 => Some(Households(h)),
        Some(h) => {
            ctx.report.find(
                FindingKind::HouseholdsInvalid,
                Some(id),
                field.as_deref(),
                Text::new(format!("户数为 {h}，须大于 0"), format!("households is {h}; it must be above 0")),
            );
            None
        }
        // a layer without a households field is said once, for the layer
        None if field.is_none() && required => None,
        None => {
            if required
                && !ctx
                    .report
                    .findings
                    .iter()
                    .any(|x| x.kind == FindingKind::HouseholdsInvalid && x.feature.as_deref() == Some(id))
            {
                let (zh, en) = if field.is_none() {
                    ("图层无户数字段".to_string(), "the layer has no households field".to_string())
                } else {
                    ("户数为空".to_string(), "households is empty".to_string())
                };
                ctx.report.find(FindingKind::HouseholdsMissing, Some(id), field.as_deref(), Text::new(zh, en));
            }
            None
        }
    }
}

pub(super) fn build_communities(features: &[RawFeature], ctx: &mut Ctx, fatal: &mut Vec<Text>) -> Vec<Community> {
    let mut out: Vec<Community> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    let code_field = ctx.map.name(FieldRole::Code).map(str::to_string);
    if code_field.is_none() {
        ctx.report.find(
            FindingKind::Mapping,
            None,
            None,
            Text::new(
                "图层无社区代码字段（社区代码/code 等）：社区代码以要素编号代替，无法与街道、共享社区和其他年份的数据对应；请在 [communities.fields] 中指定 code = \"…\"",
                "the layer has no community code field (社区代码, code, …): codes are the feature numbers, which match no street, shared_by or other year's data; name it with code = \"…\" under [communities.fields]",
            ),
        );
    }
    for f in features {
        let code = match ctx.text(f, FieldRole::Code) {
            Some(c) => c,
            None => {
                if code_field.is_some() {
                    ctx.report.find(
                        FindingKind::BadValue,
                        Some(&f.fid),
                        code_field.as_deref(),
                        Text::new("社区代码为空：以要素编号代替", "community code empty: the feature number stands in"),
                    );
                }
                f.fid.clone()
            }
        };
        let Some(g) = ctx.geometry(f, &code, LayerRole::Communities) else {
            continue;
        };
        let boundary = polygons(g);
        if let Some(first) = seen.insert(code.clone(), f.fid.clone()) {
            let field = ctx.map.name(FieldRole::Code).map(str::to_string);
            ctx.report.find(
                FindingKind::DuplicateId,
                Some(&code),
                field.as_deref(),
                Text::new(
                    format!("社区代码 {code} 重复（要素 {first} 与 {}）", f.fid),
                    format!("community code {code} occurs twice (features {first} and {})", f.fid),
                ),
            );
            fatal.push(Text::new(
                format!("{}：社区代码 {code} 重复，无法区分社区", ctx.report.path.display()),
                format!("{}: community code {code} is not unique", ctx.report.path.display()),
            ));
            continue;
        }
        let households = positive_households(ctx, f, &code, true);
        let capable = ctx.flag(f, FieldRole::Capable, &code).unwrap_or(false);
        let centralised = ctx.flag(f, FieldRole::Centralised, &code).unwrap_or(true);
        let population = ctx.number(f, FieldRole::Population, &code);
        let mut people = |role| ctx.number(f, role, &code).filter(|v: &f64| *v >= 0.0);
        let (elderly, infants, children) =
            (people(FieldRole::Elderly), people(FieldRole::Infants), people(FieldRole::Children));
        out.push(Community {
            id: CommunityId::from_index(out.len()),
            name: ctx.text(f, FieldRole::Name).unwrap_or_else(|| code.clone()),
            code,
            street_code: ctx.text(f, FieldRole::StreetCode),
            street_name: ctx.text(f, FieldRole::StreetName),
            households,
            households_source: HouseholdSource::Given,
            population,
            elderly,
            infants,
            children,
            capable,
            centralised,
            boundary,
        });
    }
    if ctx.map.name(FieldRole::Households).is_none() && !out.is_empty() {
        ctx.report.find(
            FindingKind::HouseholdsMissing,
            None,
            None,
            Text::new(
                format!("图层无户数字段：{} 个社区的户数全部为估算（人口格网或住宅建筑面积，见“户数来源”）", out.len()),
                format!("the layer has no households field: the households of all {} communities are estimates (from the population grid or floor area; see \"households source\")", out.len()),
            ),
        );
    }
    ctx.report.kept = out.len();
    out
}

pub(super) fn build_streets(features: &[RawFeature], ctx: &mut Ctx) -> Vec<Street> {
    let mut out = Vec::new();
    for f in features {
        let code = ctx
            .text(f, FieldRole::StreetCode)
            .or_else(|| ctx.text(f, FieldRole::Code))
            .unwrap_or_else(|| f.fid.clone());
        let Some(g) = ctx.geometry(f, &code, LayerRole::Streets) else {
            continue;
        };
        let name =
            ctx.text(f, FieldRole::StreetName).or_else(|| ctx.text(f, FieldRole::Name)).unwrap_or_else(|| code.clone());
        out.push(Street { id: StreetId::from_index(out.len()), code, name, boundary: Some(polygons(g)) });
    }
    ctx.report.kept = out.len();
    out
}

/// Whether a building use names housing.
pub(crate) fn is_residential_use(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "住宅",
        "居住",
        "住房",
        "公寓",
        "宿舍",
        "宅基地",
        "residential",
        "apartments",
        "house",
        "dormitory",
        "detached",
        "terrace",
        "bungalow",
    ]
    .iter()
    .any(|k| t.contains(k))
        || is_residential_code(text.trim())
}

/// A land-use code of homes: GB 50137-2011's R, R1–R3 and their housing classes R11, R21,
/// R31 (R12, R22, R32 are the service land inside residential areas), and the 2023
/// 国土空间调查、规划、用途管制用地用海分类's 07 居住用地, 0701 城镇住宅用地 and 0703 农村宅基地
/// with their subclasses (0702 and 0704 are community service land).
///
/// ```ignore
/// assert!(is_residential_code("R2") && is_residential_code("070101") && !is_residential_code("R22"));
/// ```
fn is_residential_code(code: &str) -> bool {
    let c = code.to_ascii_uppercase();
    match c.strip_prefix('R') {
        Some(rest) => matches!(rest, "" | "1" | "2" | "3" | "11" | "21" | "31"),
        None => {
            c.chars().all(|ch| ch.is_ascii_digit())
                && (c == "07" || c.starts_with("0701") || c.starts_with("0703"))
                && c.len() <= 6
        }
    }
}

#[cfg(test)]
mod use_tests {
    use super::*;

    #[test]
    fn land_use_codes_of_homes() {
        for yes in ["R", "R2", "r21", "07", "0701", "070102", "0703", "住宅用地", "二类居住用地", "apartments"]
        {
            assert!(is_residential_use(yes), "{yes}");
        }
        for no in ["R22", "R12", "M1", "B1", "0702", "0704", "08", "0601", "工业用地", "商业", "R2X", "07010101"]
        {
            assert!(!is_residential_use(no), "{no}");
        }
    }
}

pub(super) fn build_buildings(
    features: &[RawFeature],
    rules: &lantu_core::HouseholdRules,
    landuse: bool,
    ctx: &mut Ctx,
) -> Vec<Building> {
    let has_use = ctx.map.get(FieldRole::Use).is_some();
    let mut out = Vec::new();
    let (mut from_height, mut disagree, mut given_floors) = (0usize, 0usize, Vec::new());
    for f in features {
        let id = ctx.id(f);
        let Some(g) = ctx.geometry(f, &id, LayerRole::Buildings) else {
            continue;
        };
        let residential =
            if has_use { ctx.text(f, FieldRole::Use).is_some_and(|u| is_residential_use(&u)) } else { true };
        let given = ctx.number(f, FieldRole::Floors, &id).filter(|v| *v > 0.0);
        let height = ctx.number(f, FieldRole::Height, &id).filter(|v| *v > 0.0);
        let by_height = height.map(|h| lantu_core::floors_from_height(lantu_core::Metres(h), rules));
        given_floors.extend(given);
        // floors given win; a height fills the buildings without them
        let floors = match (given, by_height) {
            (Some(fl), Some(fh)) => {
                disagree += ((fl - fh).abs() > 1.0) as usize;
                Some(fl)
            }
            (None, Some(fh)) => {
                from_height += 1;
                Some(fh)
            }
            (fl, None) => fl,
        };
        let households = positive_households(ctx, f, &id, false);
        out.push(Building {
            id: BuildingId::from_index(out.len()),
            source_id: id,
            footprint: polygons(g),
            residential,
            floors,
            households,
            households_source: HouseholdSource::Given,
            compound: ctx.text(f, FieldRole::Compound),
            entrances: vec![],
            point_inside: Default::default(),
        });
    }
    let residential = out.iter().filter(|b| b.residential).count();
    ctx.report.counts.push((Text::new("住宅建筑", "residential buildings"), residential as f64));
    if !has_use && !landuse {
        // said once, loudly: factories, schools and malls become homes and take households
        let max = rules.max_residential_footprint_m2.0;
        let large = out.iter().filter(|b| geo::Area::unsigned_area(&b.footprint) > max).count();
        ctx.report.find(
            FindingKind::Assumption,
            None,
            None,
            Text::new(
                format!("没有用途字段：全部 {} 栋建筑都按住宅计算户数（工厂、学校、商场也算作住宅），其中 {large} 栋基底面积超过 {max} ㎡（households.max_residential_footprint_m2），很可能不是住宅。请在项目文件 [buildings.fields] 中映射用途字段（use = \"…\"）", out.len()),
                format!("no use field: all {} buildings are counted as homes (factories, schools and malls too), {large} of them with a footprint above {max} m² (households.max_residential_footprint_m2), likely not homes. Map a use field (use = \"…\") under [buildings.fields] in the project", out.len()),
            ),
        );
    }
    let storey = rules.storey_height_m.0;
    if ctx.map.get(FieldRole::Height).is_some() {
        ctx.report.counts.push((
            Text::new(
                format!("层数由高度换算的建筑（每层 {storey} 米）"),
                format!("buildings with floors from their height ({storey} m a storey)"),
            ),
            from_height as f64,
        ));
    }
    if disagree > 0 {
        let field = ctx.map.name(FieldRole::Floors).map(str::to_string);
        ctx.report.find(
            FindingKind::Implausible,
            None,
            field.as_deref(),
            Text::new(
                format!("{disagree} 栋建筑的层数与高度（每层 {storey} 米）相差超过 1 层：按层数计算"),
                format!("{disagree} buildings whose floors and height ({storey} m a storey) differ by more than one floor: their floors are used"),
            ),
        );
    }
    if let Some(t) = floors_look_like_metres(&given_floors, storey, ctx.map.name(FieldRole::Floors)) {
        let field = ctx.map.name(FieldRole::Floors).map(str::to_string);
        ctx.report.find(FindingKind::Implausible, None, field.as_deref(), t);
    }
    ctx.report.kept = out.len();
    out
}

pub(super) fn build_facilities(
    features: &[RawFeature],
    fields: &[String],
    known: &Kinds,
    poi_rules: &[lantu_core::PoiRule],
    ctx: &mut Ctx,
) -> Vec<Facility> {
    let mut out = Vec::new();
    let service_field = ctx.map.name(FieldRole::Service).map(str::to_string);
    // a POI export (高德 type, 百度 tag) with no service field: classed by the POI table
    let poi = (service_field.is_none() && ctx.map.get(FieldRole::PoiType).is_some())
        .then(|| crate::PoiTable::builtin().with_rules(poi_rules));
    let mut poi_tally = PoiTally::default();
    if let Some(field) = ctx.map.name(FieldRole::PoiType).filter(|_| poi.is_some()) {
        let field = field.to_string();
        ctx.report.find(
            FindingKind::Note,
            None,
            None,
            Text::new(
                format!("POI 导出（类型字段 {field}）：按 data/poi/poi-types.csv{} 归类，先看名称关键词，再看类型", if poi_rules.is_empty() { String::new() } else { format!("及配置文件的 {} 条 poi_rules", poi_rules.len()) }),
                format!("a POI export (type field {field}): classed by data/poi/poi-types.csv{}, by words in the name first, then by type", if poi_rules.is_empty() { String::new() } else { format!(" and the profile's {} poi_rules", poi_rules.len()) }),
            ),
        );
    } else if service_field.is_none() {
        // said once for the layer, not as an unknown "" for every row
        let fields = fields.join(", ");
        ctx.report.find(
            FindingKind::Mapping,
            None,
            None,
            Text::new(
                format!("未找到服务类型字段（如“服务类型”“功能”“service”）：设施无法归类，均未计入。请在项目文件 [facilities.fields] 中写 service = \"…\"（现有字段：{fields}）"),
                format!("no service-kind field found (such as 服务类型, 功能, service): no facility can be classed, none is counted. Name it with service = \"…\" under [facilities.fields] in the project (fields: {fields})"),
            ),
        );
    }
    for f in features {
        let id = ctx.id(f);
        let Some(g) = ctx.geometry(f, &id, LayerRole::Facilities) else {
            continue;
        };
        let Some((location, footprint)) = location(g) else {
            continue;
        };
        let raw_kinds = ctx.text(f, FieldRole::Service).unwrap_or_default();
        let (kinds, unknown) = match &poi {
            Some(table) => {
                let type_path = ctx.text(f, FieldRole::PoiType).unwrap_or_default();
                let name = ctx.text(f, FieldRole::Name).unwrap_or_default();
                match table.classify(&type_path, &name, known) {
                    crate::PoiClass::Service(kinds, rule) => {
                        for k in &kinds {
                            *poi_tally.by_rule.entry((k.index(), rule.clone())).or_default() += 1;
                        }
                        (kinds, Vec::new())
                    }
                    crate::PoiClass::NotService(top) => {
                        *poi_tally.not_services.entry(top).or_default() += 1;
                        continue;
                    }
                    crate::PoiClass::Unmatched(t) => {
                        *poi_tally.unmatched.entry(t).or_default() += 1;
                        continue;
                    }
                }
            }
            None => known.parse_list(&raw_kinds),
        };
        for u in unknown {
            ctx.report.find(FindingKind::UnknownKind, Some(&id), service_field.as_deref(), Text::new(u.clone(), u));
        }
        if kinds.is_empty() && service_field.is_none() {
            continue;
        }
        if kinds.is_empty() {
            ctx.report.find(
                FindingKind::NoKind,
                Some(&id),
                service_field.as_deref(),
                Text::new(
                    format!("服务类型 {raw_kinds:?} 无法识别，设施未计入"),
                    format!("service {raw_kinds:?} names no known kind; facility not counted"),
                ),
            );
            continue;
        }
        let area_field = ctx.map.name(FieldRole::FloorArea).map(str::to_string);
        let floor_area = match ctx.number(f, FieldRole::FloorArea, &id) {
            Some(a) if a > 0.0 => Some(SquareMetres(a)),
            Some(a) => {
                ctx.report.find(
                    FindingKind::FloorAreaInvalid,
                    Some(&id),
                    area_field.as_deref(),
                    Text::new(format!("面积为 {a}，须大于 0"), format!("floor area is {a}; it must be above 0")),
                );
                None
            }
            // a layer without a floor-area field (a POI export) is said once, below
            None if area_field.is_none() => None,
            None => {
                // a value that is not a number was reported just now (the last finding):
                // looking further back would make a layer without areas quadratic
                let said = ctx.report.findings.last().is_some_and(|x| {
                    x.kind == FindingKind::FloorAreaInvalid && x.feature.as_deref() == Some(id.as_str())
                });
                if !said {
                    ctx.report.find(
                        FindingKind::FloorAreaInvalid,
                        Some(&id),
                        area_field.as_deref(),
                        Text::new("无建筑面积", "no floor area"),
                    );
                }
                None
            }
        };
        for k in &kinds {
            *ctx.report.per_kind.entry(*k).or_default() += 1;
        }
        let capacity = match ctx.number(f, FieldRole::Capacity, &id) {
            Some(c) if c >= 0.0 => Some(c),
            Some(c) => {
                let field = ctx.map.name(FieldRole::Capacity).map(str::to_string);
                ctx.report.find(
                    FindingKind::BadValue,
                    Some(&id),
                    field.as_deref(),
                    Text::new(format!("容量为 {c}，不能为负"), format!("capacity is {c}; it cannot be negative")),
                );
                None
            }
            None => None,
        };
        let shared_by = ctx
            .text(f, FieldRole::SharedBy)
            .map(|s| s.split([';', ',', '，', '、']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect())
            .unwrap_or_default();
        out.push(Facility {
            id: FacilityId::from_index(out.len()),
            source_id: id.clone(),
            name: ctx.text(f, FieldRole::Name).unwrap_or(id),
            complex: ctx.flag(f, FieldRole::Complex, &f.fid).unwrap_or(false),
            kinds,
            floor_area,
            capacity,
            shared_by,
            location,
            footprint,
        });
    }
    if poi.is_some() {
        poi_tally.report(known, ctx);
    }
    if ctx.map.name(FieldRole::FloorArea).is_none() && !out.is_empty() {
        ctx.report.find(
            FindingKind::FloorAreaInvalid,
            None,
            None,
            Text::new(
                format!("图层没有建筑面积字段（如“建筑面积”“面积”“area”）：{} 个设施按 0 ㎡ 计入面积指标，功能和步行覆盖照常计入。请补充面积，或在 [facilities.fields] 中写 floor_area = \"…\"", out.len()),
                format!("the layer has no floor-area field (建筑面积, 面积, area …): its {} facilities count 0 m² in the area rules; their functions and walking coverage count as usual. Add the areas, or name the field with floor_area = \"…\" in [facilities.fields]", out.len()),
            ),
        );
    }
    ctx.report.kept = out.len();
    out
}

pub(super) fn build_walkways(features: &[RawFeature], unwalkable: &[String], ctx: &mut Ctx) -> Vec<Walkway> {
    let mut out = Vec::new();
    let mut dropped: BTreeMap<String, usize> = BTreeMap::new();
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    for f in features {
        let id = ctx.id(f);
        let Some(g) = ctx.geometry(f, &id, LayerRole::Walkways) else {
            continue;
        };
        let class = ctx.text(f, FieldRole::Class);
        if let Some(c) = &class {
            if unwalkable.iter().any(|u| u.eq_ignore_ascii_case(c)) {
                *dropped.entry(c.clone()).or_default() += 1;
                continue;
            }
            *classes.entry(c.clone()).or_default() += 1;
        }
        let access = ctx.text(f, FieldRole::Access).unwrap_or_default().to_lowercase();
        if ["no", "private", "禁止", "禁行"].contains(&access.as_str()) {
            ctx.report.find(
                FindingKind::Note,
                Some(&id),
                None,
                Text::new("禁止步行，未计入", "no foot access; left out"),
            );
            continue;
        }
        let steps = ctx.flag(f, FieldRole::Steps, &id).unwrap_or(false)
            || class.as_deref().is_some_and(|c| c == "steps" || c.contains("台阶") || c.contains("梯道"));
        let lines: Vec<geo::LineString> = match g {
            Geometry::LineString(l) => vec![l.clone()],
            Geometry::MultiLineString(m) => m.0.clone(),
            Geometry::Line(l) => vec![geo::LineString::from(vec![l.start, l.end])],
            _ => vec![],
        };
        let ramp = ctx.flag(f, FieldRole::Ramp, &id).unwrap_or(false);
        // a bridge or tunnel: flagged (是/1/bridge/tunnel), or a class that says so
        let deck = ctx.text(f, FieldRole::Deck).is_some_and(|v| {
            let v = v.to_lowercase();
            !["否", "0", "no", "false", "n"].contains(&v.as_str())
        }) || class
            .as_deref()
            .is_some_and(|c| c == "bridge" || c == "tunnel" || c.contains('桥') || c.contains("隧道"));
        for line in lines {
            out.push(Walkway { source_id: id.clone(), line, steps, class: class.clone(), ramp, deck });
        }
    }
    if !dropped.is_empty() {
        let list: Vec<String> = dropped.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
        let n: usize = dropped.values().sum();
        // not walkways at all: they do not count against the share kept
        ctx.report.out_of_scope = n;
        ctx.report.counts.push((
            Text::new(
                format!("不可步行的道路等级，未计入（network.unwalkable_classes）：{}", list.join("、")),
                format!("road classes no one walks along, left out (network.unwalkable_classes): {}", list.join(", ")),
            ),
            n as f64,
        ));
    }
    if let Some(t) = car_like(&out, &classes, ctx.map.name(FieldRole::Class)) {
        ctx.report.find(FindingKind::Assumption, None, ctx.map.name(FieldRole::Class), t);
    }
    ctx.report.kept = out.len();
    out
}

/// Words of the classes people walk on (OSM's and Chinese surveys').
const PEDESTRIAN_CLASSES: [&str; 14] = [
    "footway",
    "path",
    "pedestrian",
    "steps",
    "living_street",
    "track",
    "人行",
    "步行",
    "步道",
    "梯道",
    "台阶",
    "绿道",
    "小路",
    "巷",
];

/// A walking network that looks drawn for cars: no class a person walks on and no steps
/// (a car-navigation export). Walking distances along it run longer than on foot in a
/// mountain city, and its stairways and short cuts are missing.
fn car_like(walkways: &[Walkway], classes: &BTreeMap<String, usize>, field: Option<&str>) -> Option<Text> {
    let pedestrian = |c: &str| PEDESTRIAN_CLASSES.iter().any(|p| c.to_lowercase().contains(p));
    if walkways.len() < 20 || walkways.iter().any(|w| w.steps) || classes.keys().any(|c| pedestrian(c)) {
        return None;
    }
    let mut seen: Vec<(&String, &usize)> = classes.iter().collect();
    seen.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let seen: Vec<String> = seen.iter().take(5).map(|(c, n)| format!("{c} ×{n}")).collect();
    let what = match field {
        None => ("没有道路等级字段".to_string(), "it has no class field".to_string()),
        Some(f) => (
            format!("等级字段 {f} 中只有 {}", seen.join("、")),
            format!("its class field {f} holds only {}", seen.join(", ")),
        ),
    };
    Some(Text::new(
        format!("步行网络像是为汽车绘制的（{}，没有人行道、步道或台阶）：在山地城市，沿车行道算出的步行距离偏长，且缺少梯道与捷径，覆盖率会偏低。建议使用 OSM 的人行道（highway=footway/steps/path）或区县自己的步行网络", what.0),
        format!("the walking network looks drawn for cars ({}; no footway, path or steps): in a mountain city walking distances along roadways run long and miss stairways and short cuts, so coverage comes out low. Prefer OSM's footways (highway=footway/steps/path) or the district's own pedestrian network", what.1),
    ))
}

pub(super) fn build_candidates(features: &[RawFeature], ctx: &mut Ctx) -> Vec<CandidateSite> {
    let mut out = Vec::new();
    for f in features {
        let id = ctx.id(f);
        let Some(g) = ctx.geometry(f, &id, LayerRole::Candidates) else {
            continue;
        };
        let Some((location, footprint)) = location(g) else {
            continue;
        };
        let floor_area = ctx.number(f, FieldRole::FloorArea, &id).filter(|a| *a > 0.0).map(SquareMetres);
        out.push(CandidateSite {
            id: CandidateId::from_index(out.len()),
            source_id: id.clone(),
            name: ctx.text(f, FieldRole::Name).unwrap_or(id),
            floor_area,
            owner: ctx.text(f, FieldRole::Owner),
            location,
            footprint,
        });
    }
    ctx.report.kept = out.len();
    out
}

/// Streets from the communities' street codes and names (no boundary yet).
pub(super) fn streets_from_communities(communities: &[Community]) -> Vec<Street> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for c in communities {
        if let Some(key) = c.street_code.clone().or_else(|| c.street_name.clone()) {
            seen.entry(key)
                .or_insert_with(|| c.street_name.clone().or_else(|| c.street_code.clone()).unwrap_or_default());
        }
    }
    seen.into_iter()
        .enumerate()
        .map(|(i, (code, name))| Street { id: StreetId::from_index(i), code, name, boundary: None })
        .collect()
}

/// A floors field whose values look like heights in metres: most of them multiples of 3
/// above 30, or above 100 (a building of 33, 36, 45 floors is rare; one of 33, 36, 45 m is
/// not). The warning names the field and how to map it as a height instead.
pub(super) fn floors_look_like_metres(floors: &[f64], storey_m: f64, field: Option<&str>) -> Option<Text> {
    let metre_like = floors.iter().filter(|&&f| (f > 30.0 && f % 3.0 == 0.0) || f > 100.0).count();
    if floors.len() < 3 || metre_like * 2 <= floors.len() {
        return None;
    }
    let field = field.unwrap_or("floors");
    Some(Text::new(
        format!(
            "层数字段 {field} 的数值多像高度（米）：{metre_like}/{} 栋为 30 以上的 3 的倍数或超过 100。若为高度，请在项目文件 [buildings.fields] 中写 height = \"{field}\"（按每层 {storey_m} 米换算层数）",
            floors.len()
        ),
        format!(
            "the floors field {field} looks like heights in metres: {metre_like} of {} values are multiples of 3 above 30 or above 100. If they are heights, map the field as height = \"{field}\" under [buildings.fields] in the project ({storey_m} m a storey)",
            floors.len()
        ),
    ))
}

#[cfg(test)]
mod height_tests {
    use super::*;

    #[test]
    fn floors_that_look_like_metres_are_told_from_floors() {
        assert!(floors_look_like_metres(&[33.0, 36.0, 45.0, 18.0], 3.0, Some("层数")).is_some());
        assert!(floors_look_like_metres(&[120.0, 150.0, 6.0], 3.0, None).is_some());
        assert!(floors_look_like_metres(&[6.0, 33.0, 18.0, 11.0], 3.0, None).is_none(), "one tower among homes");
        assert!(floors_look_like_metres(&[33.0, 36.0], 3.0, None).is_none(), "too few to judge");
    }
}

/// What the POI table made of a layer: kinds by rule, not-services and unmatched by type.
#[derive(Default)]
struct PoiTally {
    by_rule: BTreeMap<(usize, String), usize>,
    not_services: BTreeMap<String, usize>,
    unmatched: BTreeMap<String, usize>,
}

impl PoiTally {
    /// Per kind how many POIs matched and by which rule; not-services counted by type (and
    /// kept out of the share of features kept: a dump is mostly shops); the ten most frequent
    /// unmatched types with counts.
    fn report(&self, known: &Kinds, ctx: &mut Ctx) {
        for ((k, rule), n) in &self.by_rule {
            let code = &known.def(lantu_core::ServiceKind::from_index(*k)).code;
            ctx.report
                .counts
                .push((Text::new(format!("POI → {code}（{rule}）"), format!("POI → {code} ({rule})")), *n as f64));
        }
        let not_services: usize = self.not_services.values().sum();
        ctx.report.out_of_scope = not_services;
        if not_services > 0 {
            ctx.report.counts.push((
                Text::new(
                    "不是服务设施的 POI（商店、公司等，未计入）",
                    "POIs that are not services (shops, offices …; left out)",
                ),
                not_services as f64,
            ));
        }
        let mut unmatched: Vec<(&String, &usize)> = self.unmatched.iter().collect();
        unmatched.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        if !unmatched.is_empty() {
            let top: Vec<String> = unmatched.iter().take(10).map(|(t, n)| format!("{t} ×{n}")).collect();
            let total: usize = self.unmatched.values().sum();
            ctx.report.find(
                FindingKind::NoKind,
                None,
                ctx.map.name(FieldRole::PoiType),
                Text::new(
                    format!("{total} 个 POI 的类型未能归类（未计入），最多的：{}。可在 data/poi/poi-types.csv 的格式下补充规则", top.join("、")),
                    format!("{total} POIs of types no rule classes (left out), the most frequent: {}. Rules can be added in the form of data/poi/poi-types.csv", top.join(", ")),
                ),
            );
        }
    }
}
