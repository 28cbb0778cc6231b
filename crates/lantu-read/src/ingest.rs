//! From a project file to a validated [`Dataset`] in one metric CRS, with a report.

use crate::dem::{read_dem_summary, DemGrid};
use crate::fields::{FieldMap, FieldRole};
use crate::report::{CheckReport, FindingKind, LayerReport, NetworkSummary};
use crate::vector::{read_layer, RawFeature, RawLayer, ReadOptions, Value};
use crate::{GeoCoords, IoError, LayerRole, LayerSource, MetricCrs, Project, ReprojectSpec, Result};
use geo::{BoundingRect, Geometry, InteriorPoint, MultiPolygon, Point, Rect};
use lantu_core::{
    derive_households, Assignment, Building, BuildingId, CandidateId, CandidateSite, Community, CommunityId, Dataset,
    Facility, FacilityId, HouseholdSource, Households, Kinds, Profile, SquareMetres, Street, StreetId, Text, Walkway,
};
use lantu_net::WalkGraph;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// The inputs of an analysis, read, checked and in one metric CRS.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The model objects.
    pub dataset: Dataset,
    /// What reading found.
    pub report: CheckReport,
    /// The DEM, when given.
    pub dem: Option<DemGrid>,
    /// Where every building, facility and candidate belongs.
    pub assignment: Assignment,
    /// Seconds taken by each stage of loading (read, reproject, …).
    pub timings: Vec<(String, f64)>,
    /// The project's note for every table, sheet and map (e.g. 合成示例数据).
    pub note: Option<String>,
}

/// A layer read and reprojected, waiting to be turned into model objects.
pub(crate) struct Staged {
    pub raw: RawLayer,
    pub report: LayerReport,
    pub source: ReprojectSpec,
    /// The layer's field mapping, with the columns joined tables set.
    pub explicit: std::collections::BTreeMap<String, String>,
}

/// Reads every layer of a project, reprojects it and builds the dataset.
pub fn load_project(project: &Project, profile: &Profile) -> Result<Loaded> {
    let start = std::time::Instant::now();
    let mut staged: Vec<(LayerRole, Staged)> = Vec::new();
    let (mut join_reports, mut join_errors) = (Vec::new(), Vec::new());
    for role in LayerRole::ALL {
        let Some(src) = project.layer(role) else {
            continue;
        };
        let path = project.resolve(&src.path);
        let mut raw = read_layer(
            &path,
            &ReadOptions {
                layer: src.layer.as_deref(),
                encoding: src.encoding.as_deref(),
                fields: Some(&src.fields),
                filter: None,
                attributes_only: false,
            },
        )?;
        let (from, coords, crs_text) = source_crs(&raw, src)?;
        // attribute tables joined to the communities: their values become the layer's
        let mut explicit = src.fields.clone();
        for join in &src.join {
            let (layer_map, _) = FieldMap::resolve(FieldRole::for_layer(role), &raw.fields, &explicit);
            let by_role = layer_map.chosen.iter().map(|(r, (i, _, _))| (*r, *i)).collect();
            let joined = crate::join::apply_join(&mut raw, join, &project.resolve(&join.path), &by_role)?;
            explicit.extend(joined.mapping);
            join_reports.push(joined.report);
            join_errors.extend(joined.errors);
        }
        let source = ReprojectSpec { from, coords, to: String::new() };
        if crate::crs::is_geographic(&source) {
            // before the metric CRS is chosen from the data: an outlier must not move it
            reject_out_of_range(&mut raw);
        }
        let mut report = LayerReport::new(role, path, raw.layer.clone(), raw.driver.clone());
        report.crs = crs_text;
        for n in &raw.notes {
            report.find(FindingKind::Note, None, None, n.clone());
        }
        for w in &raw.warnings {
            report.find(FindingKind::Encoding, None, None, w.clone());
        }
        staged.push((role, Staged { raw, report, source, explicit }));
    }
    let communities = &staged.iter().find(|s| s.0 == LayerRole::Communities).expect("validated by Project::load").1;
    let metric = match &project.metric_crs {
        Some(def) => MetricCrs::named(def)?,
        None => choose_metric_crs(&communities.raw, &communities.source)?,
    };

    let mut timings = vec![("read".to_string(), start.elapsed().as_secs_f64())];
    let mut reproject = 0.0;
    let mut dataset = Dataset::default();
    let mut reports = Vec::new();
    let mut fatal = join_errors;
    let model_start = std::time::Instant::now();
    for (role, mut st) in staged {
        st.source.to = metric.definition.clone();
        let t = std::time::Instant::now();
        reproject_layer(&mut st)?;
        reproject += t.elapsed().as_secs_f64();
        check_geometry_family(role, &st)?;
        let (map, problems) = FieldMap::resolve(FieldRole::for_layer(role), &st.raw.fields, &st.explicit);
        for p in problems {
            st.report.find(
                FindingKind::Mapping,
                None,
                None,
                Text::new(format!("字段映射：{p}"), format!("field mapping: {p}")),
            );
        }
        st.report.fields = map.chosen.iter().map(|(r, (_, name, explicit))| (*r, name.clone(), *explicit)).collect();
        st.report.read = st.raw.features.len();
        let mut ctx = Ctx { map: &map, report: &mut st.report };
        match role {
            LayerRole::Communities => dataset.communities = build_communities(&st.raw.features, &mut ctx, &mut fatal),
            LayerRole::Streets => dataset.streets = build_streets(&st.raw.features, &mut ctx),
            LayerRole::Buildings => dataset.buildings = build_buildings(&st.raw.features, &mut ctx),
            LayerRole::Facilities => dataset.facilities = build_facilities(&st.raw.features, &profile.kinds, &mut ctx),
            LayerRole::Walkways => dataset.walkways = build_walkways(&st.raw.features, &mut ctx),
            LayerRole::Candidates => dataset.candidates = build_candidates(&st.raw.features, &mut ctx),
            LayerRole::Entrances => {
                let points: Vec<(String, geo::Point)> = st
                    .raw
                    .features
                    .iter()
                    .filter_map(|f| {
                        let id = ctx.id(f);
                        match ctx.geometry(f, &id, LayerRole::Entrances)? {
                            Geometry::Point(p) => Some((id, *p)),
                            Geometry::MultiPoint(m) => m.0.first().map(|p| (id, *p)),
                            _ => None,
                        }
                    })
                    .collect();
                ctx.report.kept = points.len();
                attach_entrance_points(&mut dataset, &points, &mut st.report, &mut reports);
            }
        }
        fatal.extend(too_much_lost(&st.report, profile.checks.min_share_kept));
        reports.push(st.report);
    }
    let dem_path = project.dem.as_ref().map(|d| project.resolve(&d.path));
    timings.push(("reproject".to_string(), reproject));
    timings.push(("validate".to_string(), model_start.elapsed().as_secs_f64() - reproject));
    let mut loaded = finish(dataset, reports, metric, dem_path, fatal, profile, timings)?;
    loaded.note = project.note.clone();
    loaded.report.joins = join_reports;
    Ok(loaded)
}

/// The CRS a layer's coordinates are in, and how that was decided.
fn source_crs(raw: &RawLayer, src: &LayerSource) -> Result<(String, GeoCoords, Text)> {
    let coords = src.coords.unwrap_or(GeoCoords::Wgs84);
    if coords != GeoCoords::Wgs84 {
        let name = if coords == GeoCoords::Gcj02 { "GCJ-02" } else { "BD-09" };
        return Ok((
            "EPSG:4326".into(),
            coords,
            Text::new(
                format!("{name} 经纬度（项目文件声明），已按公式转换为 WGS 84"),
                format!("{name} longitude/latitude (declared in the project), converted to WGS 84 by formula"),
            ),
        ));
    }
    if let Some(crs) = &src.crs {
        return Ok((
            crs.clone(),
            coords,
            Text::new(format!("{crs}（项目文件指定）"), format!("{crs} (set in the project)")),
        ));
    }
    if let Some(crs) = &raw.crs {
        let label = raw.crs_label.clone().unwrap_or_else(|| crs.clone());
        return Ok((
            crs.clone(),
            coords,
            Text::new(format!("{label}（文件声明）"), format!("{label} (declared by the file)")),
        ));
    }
    let table_with_lonlat = raw.geometry_type == "None" && {
        let (m, _) = FieldMap::resolve(&[FieldRole::X, FieldRole::Y], &raw.fields, &src.fields);
        let names = [m.name(FieldRole::X), m.name(FieldRole::Y)];
        names.iter().all(|n| {
            n.is_some_and(|n| {
                ["经度", "纬度", "lon", "lat", "lng", "longitude", "latitude", "long"]
                    .contains(&n.to_lowercase().as_str())
            })
        })
    };
    if table_with_lonlat {
        return Ok((
            "EPSG:4326".into(),
            coords,
            Text::new(
                "EPSG:4326（经纬度列，未声明坐标系，按 WGS 84 读取；若为高德/腾讯坐标请设置 coords = \"gcj02\"）",
                "EPSG:4326 (longitude/latitude columns, no CRS declared, read as WGS 84; set coords = \"gcj02\" for Amap/Tencent data)",
            ),
        ));
    }
    Err(IoError::NoCrs { path: raw.path.clone(), layer: raw.layer.clone() })
}

/// The rectangle covering both.
pub(crate) fn union_rect(a: Rect, b: Rect) -> Rect {
    Rect::new(
        geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
        geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
    )
}

fn choose_metric_crs(raw: &RawLayer, source: &ReprojectSpec) -> Result<MetricCrs> {
    let rect = raw.features.iter().filter_map(|f| f.geometry.as_ref()?.bounding_rect()).reduce(union_rect).ok_or_else(
        || IoError::Open {
            path: raw.path.clone(),
            source: format!("layer {}: no usable geometry to place the data", raw.layer).into(),
        },
    )?;
    let to_wgs = ReprojectSpec { to: "EPSG:4326".into(), ..source.clone() }.build()?;
    let c = to_wgs.coord(rect.center()).map_err(|m| IoError::Crs { crs: source.from.clone(), source: m.into() })?;
    Ok(MetricCrs::for_centre(c.x, c.y))
}

/// Entrances (points on building outlines) within this of an outline belong to it.
pub(crate) const ENTRANCE_TOLERANCE_M: f64 = 1.0;

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

/// Drops features whose longitude/latitude is out of range (PROJ would wrap longitude 500
/// to 140° E); names a likely swap of the axes (经纬度可能颠倒).
fn reject_out_of_range(raw: &mut RawLayer) {
    use geo::CoordsIter;
    for f in &mut raw.features {
        let Some(g) = &f.geometry else { continue };
        let mut bad = false;
        let mut swapped = true;
        for c in g.coords_iter() {
            let ok = (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y);
            if !ok {
                bad = true;
                swapped &= (-90.0..=90.0).contains(&c.x) && (-180.0..=180.0).contains(&c.y);
            }
        }
        if bad {
            let first = g.coords_iter().next().unwrap_or(geo::coord! { x: f64::NAN, y: f64::NAN });
            f.problem = Some(if swapped {
                Text::new(
                    "经纬度可能颠倒（x 列像纬度、y 列像经度）：请交换经度与纬度",
                    "longitude and latitude look swapped (x looks like a latitude, y like a longitude): swap them",
                )
            } else {
                Text::new(
                    format!("坐标超出经纬度范围（经度 −180～180，纬度 −90～90），如 ({}, {})", first.x, first.y),
                    format!(
                        "coordinates out of range (longitude −180…180, latitude −90…90), e.g. ({}, {})",
                        first.x, first.y
                    ),
                )
            });
            f.geometry = None;
            f.out_of_range = true;
        }
    }
}

/// A layer that keeps less than `min_share` of its features cannot be analysed: what is
/// left would mislead (a whole layer in the wrong CRS, swapped axes, broken geometries).
fn too_much_lost(r: &LayerReport, min_share: f64) -> Option<Text> {
    if r.read == 0 || r.kept as f64 >= min_share * r.read as f64 {
        return None;
    }
    let swapped = r.of_kind(FindingKind::OutOfRange).any(|f| f.text.en.contains("swapped"));
    let (hint_zh, hint_en) = if swapped {
        ("经纬度可能颠倒", "longitude and latitude look swapped")
    } else {
        ("见上方被剔除的要素", "see the rejected features above")
    };
    Some(Text::new(
        format!(
            "{} 图层 {}：{} 个要素仅保留 {} 个（低于 {:.0}%），{hint_zh}",
            r.path.display(),
            r.layer,
            r.read,
            r.kept,
            min_share * 100.0
        ),
        format!(
            "{} layer {}: only {} of {} features kept (below {:.0}%): {hint_en}",
            r.path.display(),
            r.layer,
            r.kept,
            r.read,
            min_share * 100.0
        ),
    ))
}

fn reproject_layer(st: &mut Staged) -> Result<()> {
    st.source.build()?; // fail early, on this thread, with a clear message
    let spec = st.source.clone();
    // a PROJ transformation takes milliseconds to set up: one per chunk of features, not
    // one per piece of work rayon splits off (that was most of a small district's run)
    let chunk = (st.raw.features.len() / (rayon::current_num_threads() * 2)).max(4096);
    st.raw.features.par_chunks_mut(chunk).for_each(|features| {
        let r = spec.build().expect("built once above");
        for f in features {
            if let Some(g) = f.geometry.as_mut() {
                if let Err(m) = r.geometry(g) {
                    f.geometry = None;
                    f.problem = Some(Text::new(
                        format!("坐标无法转换：{m}"),
                        format!("coordinates could not be reprojected: {m}"),
                    ));
                }
            }
        }
    });
    Ok(())
}

/// The geometry family a role needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Point,
    Line,
    Polygon,
}

fn family(g: &Geometry) -> Option<Family> {
    match g {
        Geometry::Point(_) | Geometry::MultiPoint(_) => Some(Family::Point),
        Geometry::LineString(_) | Geometry::MultiLineString(_) | Geometry::Line(_) => Some(Family::Line),
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => {
            Some(Family::Polygon)
        }
        Geometry::GeometryCollection(gc) => {
            // MakeValid may return collections: take the highest dimension present
            let fams: Vec<Family> = gc.iter().filter_map(family).collect();
            [Family::Polygon, Family::Line, Family::Point].into_iter().find(|f| fams.contains(f))
        }
    }
}

fn allowed(role: LayerRole) -> (&'static [Family], &'static str) {
    match role {
        LayerRole::Communities | LayerRole::Streets | LayerRole::Buildings => (&[Family::Polygon], "polygon"),
        LayerRole::Walkways => (&[Family::Line], "line"),
        LayerRole::Facilities | LayerRole::Candidates => (&[Family::Point, Family::Polygon], "point or polygon"),
        LayerRole::Entrances => (&[Family::Point], "point"),
    }
}

fn check_geometry_family(role: LayerRole, st: &Staged) -> Result<()> {
    let (ok, expected) = allowed(role);
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    let mut any_ok = false;
    let mut any = false;
    for f in &st.raw.features {
        if let Some(g) = &f.geometry {
            any = true;
            match family(g) {
                Some(fam) if ok.contains(&fam) => any_ok = true,
                fam => *found.entry(format!("{fam:?}").to_lowercase()).or_default() += 1,
            }
        }
    }
    if any && !any_ok {
        return Err(IoError::WrongGeometryType {
            path: st.raw.path.clone(),
            layer: st.raw.layer.clone(),
            role: role.key().into(),
            expected: expected.into(),
            found: found.keys().cloned().collect::<Vec<_>>().join(", ").replace("some(", "").replace(')', ""),
        });
    }
    Ok(())
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
                        format!("户数不是数字：{t:?}"),
                        format!("households is not a number: {t:?}"),
                    )
                } else if role == FieldRole::FloorArea {
                    (
                        FindingKind::FloorAreaInvalid,
                        format!("面积不是数字：{t:?}"),
                        format!("floor area is not a number: {t:?}"),
                    )
                } else {
                    (FindingKind::BadValue, format!("不是数字：{t:?}"), format!("not a number: {t:?}"))
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
    fn id(&self, f: &RawFeature) -> String {
        self.text(f, FieldRole::Id).unwrap_or_else(|| f.fid.clone())
    }
    /// The geometry if usable for the role, else reports the feature as rejected.
    fn geometry<'g>(&mut self, f: &'g RawFeature, id: &str, role: LayerRole) -> Option<&'g Geometry> {
        if f.repaired {
            self.report.find(
                FindingKind::Repaired,
                Some(id),
                None,
                Text::new("无效几何已用 MakeValid 修复", "invalid geometry repaired with MakeValid"),
            );
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

/// The polygonal part of a geometry as a multipolygon.
pub(crate) fn polygons(g: &Geometry) -> MultiPolygon {
    match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        Geometry::Rect(r) => MultiPolygon(vec![r.to_polygon()]),
        Geometry::Triangle(t) => MultiPolygon(vec![t.to_polygon()]),
        Geometry::GeometryCollection(gc) => MultiPolygon(gc.iter().flat_map(|g| polygons(g).0).collect()),
        _ => MultiPolygon(vec![]),
    }
}

/// A point standing for a point or polygon feature, and the footprint if polygonal.
pub(crate) fn location(g: &Geometry) -> Option<(Point, Option<MultiPolygon>)> {
    match g {
        Geometry::Point(p) => Some((*p, None)),
        Geometry::MultiPoint(mp) => mp.0.first().map(|p| (*p, None)),
        _ => {
            let m = polygons(g);
            let p = m.interior_point()?;
            Some((p, Some(m)))
        }
    }
}

fn positive_households(ctx: &mut Ctx, f: &RawFeature, id: &str, required: bool) -> Option<Households> {
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

fn build_communities(features: &[RawFeature], ctx: &mut Ctx, fatal: &mut Vec<Text>) -> Vec<Community> {
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
        out.push(Community {
            id: CommunityId::from_index(out.len()),
            name: ctx.text(f, FieldRole::Name).unwrap_or_else(|| code.clone()),
            code,
            street_code: ctx.text(f, FieldRole::StreetCode),
            street_name: ctx.text(f, FieldRole::StreetName),
            households,
            households_source: HouseholdSource::Given,
            population,
            capable,
            centralised,
            boundary,
        });
    }
    ctx.report.kept = out.len();
    out
}

fn build_streets(features: &[RawFeature], ctx: &mut Ctx) -> Vec<Street> {
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
    ["住宅", "居住", "住房", "公寓", "宿舍", "residential", "apartments", "house", "dormitory", "detached", "terrace"]
        .iter()
        .any(|k| t.contains(k))
}

fn build_buildings(features: &[RawFeature], ctx: &mut Ctx) -> Vec<Building> {
    let has_use = ctx.map.get(FieldRole::Use).is_some();
    if !has_use {
        ctx.report.find(
            FindingKind::Note,
            None,
            None,
            Text::new("无用途字段：全部建筑按住宅计", "no use field: every building counted as residential"),
        );
    }
    let mut out = Vec::new();
    for f in features {
        let id = ctx.id(f);
        let Some(g) = ctx.geometry(f, &id, LayerRole::Buildings) else {
            continue;
        };
        let residential =
            if has_use { ctx.text(f, FieldRole::Use).is_some_and(|u| is_residential_use(&u)) } else { true };
        let floors = ctx.number(f, FieldRole::Floors, &id).filter(|v| *v > 0.0);
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
        });
    }
    let residential = out.iter().filter(|b| b.residential).count();
    ctx.report.counts.push((Text::new("住宅建筑", "residential buildings"), residential as f64));
    ctx.report.kept = out.len();
    out
}

fn build_facilities(features: &[RawFeature], known: &Kinds, ctx: &mut Ctx) -> Vec<Facility> {
    let mut out = Vec::new();
    let service_field = ctx.map.name(FieldRole::Service).map(str::to_string);
    for f in features {
        let id = ctx.id(f);
        let Some(g) = ctx.geometry(f, &id, LayerRole::Facilities) else {
            continue;
        };
        let Some((location, footprint)) = location(g) else {
            continue;
        };
        let raw_kinds = ctx.text(f, FieldRole::Service).unwrap_or_default();
        let (kinds, unknown) = known.parse_list(&raw_kinds);
        for u in unknown {
            ctx.report.find(FindingKind::UnknownKind, Some(&id), service_field.as_deref(), Text::new(u.clone(), u));
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
            None => {
                if !ctx
                    .report
                    .findings
                    .iter()
                    .any(|x| x.kind == FindingKind::FloorAreaInvalid && x.feature.as_deref() == Some(id.as_str()))
                {
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
            shared_by,
            location,
            footprint,
        });
    }
    ctx.report.kept = out.len();
    out
}

fn build_walkways(features: &[RawFeature], ctx: &mut Ctx) -> Vec<Walkway> {
    let mut out = Vec::new();
    for f in features {
        let id = ctx.id(f);
        let Some(g) = ctx.geometry(f, &id, LayerRole::Walkways) else {
            continue;
        };
        let class = ctx.text(f, FieldRole::Class);
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
    ctx.report.kept = out.len();
    out
}

fn build_candidates(features: &[RawFeature], ctx: &mut Ctx) -> Vec<CandidateSite> {
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

/// The checks that need every layer: households, containment, streets, network, DEM.
pub(crate) fn finish(
    mut dataset: Dataset,
    mut reports: Vec<LayerReport>,
    metric: MetricCrs,
    dem_path: Option<PathBuf>,
    mut errors: Vec<Text>,
    profile: &Profile,
    mut timings: Vec<(String, f64)>,
) -> Result<Loaded> {
    let t = std::time::Instant::now();
    if dataset.communities.is_empty() {
        errors.push(Text::new("没有可用的社区边界", "no usable community boundary"));
    }
    let mut assignment = Assignment::compute(&dataset);
    derive_households(&mut dataset, &assignment.building_community, &profile.households);
    unknown_shared_by(&dataset, &mut reports);
    implausible_values(&dataset, &mut reports, &profile.checks);

    if let Some(r) = report_of(&mut reports, LayerRole::Buildings) {
        for (b, c) in dataset.buildings.iter().zip(&assignment.building_community) {
            if c.is_none() {
                r.find(
                    FindingKind::Outside,
                    Some(&b.source_id),
                    None,
                    Text::new("建筑不在任何社区内", "building outside every community"),
                );
            }
        }
        let estimated =
            dataset.buildings.iter().filter(|b| b.households.is_some() && b.households_source.is_estimated()).count();
        r.counts.push((Text::new("户数为估算的建筑", "buildings with estimated households"), estimated as f64));
    }
    let facility_outside: Vec<String> = dataset
        .facilities
        .iter()
        .zip(&assignment.facility_community)
        .filter(|(_, c)| c.is_none())
        .map(|(f, _)| f.source_id.clone())
        .collect();
    if let Some(r) = report_of(&mut reports, LayerRole::Facilities) {
        for id in facility_outside {
            r.find(
                FindingKind::Outside,
                Some(&id),
                None,
                Text::new(
                    "设施不在任何社区内（仍计入步行覆盖）",
                    "facility outside every community (still counted for walking coverage)",
                ),
            );
        }
        duplicate_ids(r, dataset.facilities.iter().map(|f| f.source_id.as_str()));
    }
    let candidate_outside: Vec<String> = dataset
        .candidates
        .iter()
        .zip(&assignment.candidate_community)
        .filter(|(_, c)| c.is_none())
        .map(|(c, _)| c.source_id.clone())
        .collect();
    if let Some(r) = report_of(&mut reports, LayerRole::Candidates) {
        for id in candidate_outside {
            r.find(
                FindingKind::Outside,
                Some(&id),
                None,
                Text::new("闲置资源不在任何社区内", "candidate outside every community"),
            );
        }
    }
    if let Some(r) = report_of(&mut reports, LayerRole::Buildings) {
        duplicate_ids(r, dataset.buildings.iter().map(|b| b.source_id.as_str()));
    }
    if let Some(r) = report_of(&mut reports, LayerRole::Communities) {
        for c in &dataset.communities {
            if c.households.is_none() {
                r.find(FindingKind::HouseholdsMissing, Some(&c.code), None, Text::new(
                    "户数缺失且无住宅建筑可估算：每百户面积将为空",
                    "households missing and no residential building to estimate from: area per 100 households will be empty",
                ));
            }
        }
    }
    if dataset.streets.is_empty() {
        dataset.streets = streets_from_communities(&dataset.communities);
        assignment.community_street = Assignment::compute_streets(&dataset);
    }
    timings.push(("assign".to_string(), t.elapsed().as_secs_f64()));
    let t = std::time::Instant::now();
    // one graph for the connectivity report and the DEM's coverage of the network
    let graph =
        (!dataset.walkways.is_empty()).then(|| WalkGraph::build(&dataset.walkways, profile.network.join_tolerance_m));
    let network = graph.as_ref().map(|g| summarise_network(&dataset, g, profile));
    // a declared walkways layer with no usable line must not quietly become straight lines
    let walkways_unusable = report_of(&mut reports, LayerRole::Walkways).filter(|_| dataset.walkways.is_empty()).map(|r| {
        Text::new(
            format!("{}：步行网络图层没有可用的线要素（空图层或全部被剔除），无法按步行网络分析；如需按直线距离分析，请加 --metric euclidean", r.path.display()),
            format!("{}: the walkways layer has no usable line (empty, or every feature rejected), so the walking network cannot be used; pass --metric euclidean for straight-line distances", r.path.display()),
        )
    });
    errors.extend(walkways_unusable.clone());
    timings.push(("network check".to_string(), t.elapsed().as_secs_f64()));
    let t = std::time::Instant::now();
    let (dem, dem_summary) = match dem_path {
        Some(p) => {
            let (grid, mut summary) = read_dem_summary(&p, &dataset, &metric)?;
            if let Some(g) = &graph {
                // segments with an end the DEM does not cover are costed as flat: say how many
                let coords: Vec<geo::Coord> =
                    (0..g.node_count() as u32).map(|n| g.coord(lantu_net::NodeId(n))).collect();
                let h = crate::sample_heights(&grid, &coords)?;
                summary.edges = g.edge_count();
                summary.edges_without_height =
                    g.edges().iter().filter(|e| h[e.a.0 as usize].is_none() || h[e.b.0 as usize].is_none()).count();
            }
            (Some(grid), Some(summary))
        }
        None => (None, None),
    };
    let households_estimated = dataset.communities.iter().any(|c| c.households_source.is_estimated());
    let total_households = dataset.communities.iter().filter_map(|c| c.households).map(|h| h.0).sum();
    timings.push(("dem".to_string(), t.elapsed().as_secs_f64()));
    Ok(Loaded {
        dataset,
        report: CheckReport {
            layers: reports,
            metric_crs: metric,
            network,
            dem: dem_summary,
            errors,
            households_estimated,
            total_households,
            walkways_unusable,
            joins: Vec::new(),
        },
        dem,
        assignment,
        timings,
        note: None,
    })
}

/// Values beyond the profile's `[checks]` thresholds: warned about with counts (typos,
/// units in the wrong place), not changed.
fn implausible_values(dataset: &Dataset, reports: &mut [LayerReport], checks: &lantu_core::CheckThresholds) {
    use geo::{Area, Length};
    if let Some(r) = report_of(reports, LayerRole::Communities) {
        let field = r.field(FieldRole::Households).map(str::to_string);
        for c in &dataset.communities {
            match c.households {
                Some(h)
                    if c.households_source == lantu_core::HouseholdSource::Given
                        && h.0 > checks.max_households_per_community =>
                {
                    r.find(
                        FindingKind::Implausible,
                        Some(&c.code),
                        field.as_deref(),
                        Text::new(
                            format!(
                                "户数超过 {}（checks.max_households_per_community）",
                                checks.max_households_per_community
                            ),
                            format!(
                                "more than {} households (checks.max_households_per_community)",
                                checks.max_households_per_community
                            ),
                        ),
                    );
                }
                _ => {}
            }
        }
    }
    if let Some(r) = report_of(reports, LayerRole::Buildings) {
        for b in &dataset.buildings {
            if b.footprint.unsigned_area() > checks.max_building_footprint_m2 {
                r.find(
                    FindingKind::Implausible,
                    Some(&b.source_id),
                    None,
                    Text::new(
                        format!(
                            "基底面积超过 {} ㎡（checks.max_building_footprint_m2）",
                            checks.max_building_footprint_m2
                        ),
                        format!(
                            "footprint larger than {} m² (checks.max_building_footprint_m2)",
                            checks.max_building_footprint_m2
                        ),
                    ),
                );
            }
        }
    }
    if let Some(r) = report_of(reports, LayerRole::Walkways) {
        for w in &dataset.walkways {
            if geo::Euclidean.length(&w.line) > checks.max_walkway_length_m {
                r.find(
                    FindingKind::Implausible,
                    Some(&w.source_id),
                    None,
                    Text::new(
                        format!("单条步行道长于 {} 米（checks.max_walkway_length_m）", checks.max_walkway_length_m),
                        format!(
                            "a single walkway longer than {} m (checks.max_walkway_length_m)",
                            checks.max_walkway_length_m
                        ),
                    ),
                );
            }
        }
    }
}

/// `shared_by` codes that no community has (a typo such as `B;Z`): the facility's area is
/// split among the communities that exist only, and the check says which codes were not found.
fn unknown_shared_by(dataset: &Dataset, reports: &mut [LayerReport]) {
    let Some(r) = report_of(reports, LayerRole::Facilities) else { return };
    let codes: std::collections::HashSet<&str> = dataset.communities.iter().map(|c| c.code.as_str()).collect();
    let field = r.field(FieldRole::SharedBy).map(str::to_string);
    for f in &dataset.facilities {
        let unknown: Vec<&str> = f.shared_by.iter().map(String::as_str).filter(|c| !codes.contains(c)).collect();
        if !unknown.is_empty() {
            let list = unknown.join("、");
            r.find(
                FindingKind::UnknownCode,
                Some(&f.source_id),
                field.as_deref(),
                Text::new(
                    format!("共享社区代码 {list} 不存在：面积只在存在的社区间分摊"),
                    format!(
                        "shared_by code(s) {} match no community: the area is split among the others only",
                        unknown.join(", ")
                    ),
                ),
            );
        }
    }
}

fn report_of(reports: &mut [LayerReport], role: LayerRole) -> Option<&mut LayerReport> {
    reports.iter_mut().find(|r| r.role == role)
}

fn duplicate_ids<'a>(r: &mut LayerReport, ids: impl Iterator<Item = &'a str>) {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids {
        *count.entry(id).or_default() += 1;
    }
    for (id, n) in count.into_iter().filter(|(_, n)| *n > 1) {
        r.find(
            FindingKind::DuplicateId,
            Some(id),
            None,
            Text::new(format!("编号 {id} 出现 {n} 次"), format!("id {id} occurs {n} times")),
        );
    }
}

/// Streets from the communities' street codes and names (no boundary yet).
fn streets_from_communities(communities: &[Community]) -> Vec<Street> {
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

fn summarise_network(dataset: &Dataset, g: &WalkGraph, profile: &Profile) -> NetworkSummary {
    let walkways = &dataset.walkways;
    // where homes and facilities join the network, by the analysis's own rule
    let index = lantu_net::SegmentIndex::new(g, profile.network.main_component_share);
    let max = profile.network.max_access_m.0;
    let count = |points: Vec<geo::Point>| -> (usize, usize) {
        let snaps: Vec<Option<lantu_net::Snap>> = points.par_iter().map(|p| index.snap(*p, max)).collect();
        (snaps.iter().flatten().filter(|s| s.island).count(), snaps.iter().filter(|s| s.is_none()).count())
    };
    let (buildings_on_islands, buildings_off_network) = count(dataset.buildings.iter().map(|b| b.origin()).collect());
    let (facilities_on_islands, facilities_off_network) =
        count(dataset.facilities.iter().map(|f| f.location).collect());
    let comps = g.components();
    let total = g.total_length().0.max(f64::MIN_POSITIVE);
    let largest = comps.list().first().map_or(0.0, |c| c.length.0);
    NetworkSummary {
        walkways: walkways.len(),
        steps: walkways.iter().filter(|w| w.steps).count(),
        length: g.total_length(),
        nodes: g.node_count(),
        edges: g.edge_count(),
        components: comps.count(),
        largest_share: largest / total,
        islands: comps.count().saturating_sub(1),
        islands_length: lantu_core::Metres(total - largest),
        dangling: g.dangling_nodes().count(),
        joined_ends: g.joined_ends(),
        buildings_on_islands,
        buildings_off_network,
        facilities_on_islands,
        facilities_off_network,
    }
}
