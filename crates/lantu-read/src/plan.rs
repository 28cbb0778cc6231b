//! Reading a plan of projects (`--plan`): a GeoPackage, Shapefile or table (CSV, XLSX)
//! whose rows are projects placed by a point or polygon, by longitude/latitude or WKT
//! columns, or by the id of a building or idle building of the analysis.

use crate::fields::{FieldMap, FieldRole};
use crate::vector::{read_layer, RawFeature, ReadOptions, Value};
use crate::{IoError, MetricCrs, ReprojectSpec, Result};
use geo::{Geometry, InteriorPoint};
use lantu_core::{Dataset, Kinds, Plan, PlannedProject, ProjectSite, SquareMetres, Text, Yuan};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The roles a plan's fields may carry, in the order they are recognised.
pub const PLAN_ROLES: &[FieldRole] = &[
    FieldRole::Id,
    FieldRole::Name,
    FieldRole::ProjectType,
    FieldRole::Service,
    FieldRole::FloorArea,
    FieldRole::Complex,
    FieldRole::Year,
    FieldRole::Cost,
    FieldRole::Site,
];

/// A plan read, and what was skipped or doubtful in it (each naming the file, the row and
/// the field).
#[derive(Clone, Debug)]
pub struct PlanRead {
    /// The plan.
    pub plan: Plan,
    /// Warnings: rows skipped, values not understood.
    pub warnings: Vec<Text>,
}

/// Reads a plan. `crs` overrides the file's CRS (for a table of WKT or x/y in metres);
/// longitude/latitude columns are WGS 84. Projects are placed in `dataset`'s metric CRS.
pub fn read_plan(
    path: &Path,
    crs: Option<&str>,
    metric: &MetricCrs,
    dataset: &Dataset,
    kinds: &Kinds,
    checks: &lantu_core::CheckThresholds,
) -> Result<PlanRead> {
    let options = |attributes_only| ReadOptions { attributes_only, ..Default::default() };
    let raw = match read_layer(path, &options(false)) {
        Err(IoError::NoGeometry { .. }) => read_layer(path, &options(true))?,
        other => other?,
    };
    let (map, _) = FieldMap::resolve(PLAN_ROLES, &raw.fields, &BTreeMap::new());
    let file = path.display().to_string();
    let plan_error = |message: Text| IoError::Plan { path: path.to_path_buf(), message };
    if map.get(FieldRole::Service).is_none() {
        let fields = raw.fields.join(", ");
        return Err(plan_error(Text::new(
            format!("没有服务类型列（如“服务类型”“功能”）；现有字段：{fields}"),
            format!("no column of service kinds (服务类型, 功能, service); fields: {fields}"),
        )));
    }
    let has_geometry = raw.features.iter().any(|f| f.geometry.is_some());
    let reprojector = if has_geometry {
        let from = match (crs, &raw.crs) {
            (Some(c), _) => c.to_string(),
            (None, Some(c)) => c.clone(),
            (None, None) if crate::ingest::table_with_lonlat(&raw, &BTreeMap::new()) => "EPSG:4326".to_string(),
            (None, None) => return Err(IoError::PlanNoCrs { path: path.to_path_buf() }),
        };
        let spec = ReprojectSpec { from, coords: crate::GeoCoords::Wgs84, to: metric.definition.clone() };
        let lonlat = crate::crs::is_geographic(&spec);
        Some((spec.build()?, lonlat))
    } else {
        None
    };
    let by_id = SiteIds::new(dataset);
    let mut warnings = Vec::new();
    let mut projects = Vec::new();
    for f in &raw.features {
        let row = Row { f, map: &map, file: &file };
        match row.project(kinds, &by_id, reprojector.as_ref(), checks, &mut warnings) {
            Some(p) => projects.push(p),
            None => continue,
        }
    }
    if projects.is_empty() {
        let n = raw.features.len();
        return Err(plan_error(Text::new(
            format!("没有可用的项目（{n} 行均被跳过）"),
            format!("no usable project ({n} rows, all skipped)"),
        )));
    }
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "plan".into());
    Ok(PlanRead { plan: Plan { name, projects }, warnings })
}

/// The years a plan's project can be built in: anything else is a typo (99999999999 would
/// otherwise become 2147483647).
const PLAN_YEARS: std::ops::RangeInclusive<f64> = 1949.0..=2100.0;

/// Idle buildings and buildings by their ids (idle buildings first: a project usually
/// converts one).
struct SiteIds(HashMap<String, (ProjectSite, geo::Point)>);

impl SiteIds {
    fn new(d: &Dataset) -> SiteIds {
        let mut m = HashMap::new();
        for b in &d.buildings {
            m.insert(b.source_id.clone(), (ProjectSite::Building(b.id), b.origin()));
        }
        for c in &d.candidates {
            m.insert(c.source_id.clone(), (ProjectSite::Candidate(c.id), c.location));
        }
        SiteIds(m)
    }
}

struct Row<'a> {
    f: &'a RawFeature,
    map: &'a FieldMap,
    file: &'a str,
}

impl Row<'_> {
    fn value(&self, role: FieldRole) -> Option<&Value> {
        self.map.get(role).map(|i| &self.f.values[i])
    }
    fn text(&self, role: FieldRole) -> Option<String> {
        self.value(role).and_then(Value::text)
    }
    fn field(&self, role: FieldRole) -> &str {
        self.map.name(role).unwrap_or("")
    }
    fn warn(&self, warnings: &mut Vec<Text>, role: Option<FieldRole>, zh: String, en: String) {
        let field = role.map(|r| self.field(r)).unwrap_or("");
        let (fz, fe) = if field.is_empty() {
            (String::new(), String::new())
        } else {
            (format!(" 字段 {field}"), format!(" field {field}"))
        };
        warnings.push(Text::new(
            format!("{} 第 {} 行{fz}：{zh}", self.file, self.f.fid),
            format!("{} row {}{fe}: {en}", self.file, self.f.fid),
        ));
    }
    fn number(&self, role: FieldRole, warnings: &mut Vec<Text>) -> Option<f64> {
        match self.value(role)?.number() {
            Ok(v) => v,
            Err(t) => {
                self.warn(
                    warnings,
                    Some(role),
                    format!("不是数字：{}，按空值处理", t.zh),
                    format!("not a number: {}, taken as empty", t.en),
                );
                None
            }
        }
    }

    fn project(
        &self,
        kinds: &Kinds,
        sites: &SiteIds,
        reprojector: Option<&(crate::Reprojector, bool)>,
        checks: &lantu_core::CheckThresholds,
        warnings: &mut Vec<Text>,
    ) -> Option<PlannedProject> {
        let id = self.text(FieldRole::Id).unwrap_or_else(|| self.f.fid.clone());
        let (parsed, unknown) = kinds.parse_list(&self.text(FieldRole::Service).unwrap_or_default());
        for u in &unknown {
            self.warn(
                warnings,
                Some(FieldRole::Service),
                format!("未知服务类型 {u:?}，已忽略"),
                format!("unknown service kind {u:?}, ignored"),
            );
        }
        if parsed.is_empty() {
            self.warn(
                warnings,
                Some(FieldRole::Service),
                "没有可识别的服务类型，已跳过".into(),
                "no known service kind: skipped".into(),
            );
            return None;
        }
        let site_id = self.text(FieldRole::Site);
        let site = match &site_id {
            Some(s) => match sites.0.get(s) {
                Some(site) => Some(*site),
                None => {
                    self.warn(
                        warnings,
                        Some(FieldRole::Site),
                        format!("编号 {s:?} 不是任何建筑或闲置资源"),
                        format!("{s:?} is not the id of any building or idle building"),
                    );
                    None
                }
            },
            None => None,
        };
        // longitude/latitude beyond ±180/±90 (纬度 = 106.5: the columns swapped) place nothing
        let out_of_range = reprojector.is_some_and(|r| r.1)
            && self.f.geometry.as_ref().is_some_and(|g| {
                use geo::CoordsIter;
                g.coords_iter().any(|c| !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y))
            });
        if out_of_range {
            self.warn(
                warnings,
                None,
                "经纬度超出范围（经度 ±180°、纬度 ±90°），经纬度可能颠倒，已跳过".into(),
                "longitude/latitude out of range (±180°, ±90°); longitude and latitude may be swapped: skipped".into(),
            );
            return None;
        }
        let mut location = self.f.geometry.as_ref().and_then(|g| {
            let mut g = g.clone();
            reprojector?.0.geometry(&mut g).ok()?;
            match g {
                Geometry::Point(p) => Some(p),
                other => other.interior_point(),
            }
        });
        if location.is_none() {
            location = site.map(|s| s.1);
        }
        let Some(location) = location else {
            self.warn(
                warnings,
                None,
                "没有位置（无几何、坐标，所在建筑编号也无法对应），已跳过".into(),
                "no location (no geometry or coordinates, and no building id that matches): skipped".into(),
            );
            return None;
        };
        let floor_area = match self.number(FieldRole::FloorArea, warnings) {
            Some(a) if a <= 0.0 => {
                self.warn(
                    warnings,
                    Some(FieldRole::FloorArea),
                    format!("建筑面积 {a} 不是正数，按未知处理"),
                    format!("floor area {a} is not above 0: taken as unknown"),
                );
                None
            }
            Some(a) if a > checks.max_floor_area_m2 => {
                let max = checks.max_floor_area_m2;
                self.warn(
                    warnings,
                    Some(FieldRole::FloorArea),
                    format!("建筑面积 {a} ㎡ 超过 {max} ㎡（checks.max_floor_area_m2），请核实"),
                    format!("floor area {a} m² is more than {max} m² (checks.max_floor_area_m2): please check"),
                );
                Some(SquareMetres(a))
            }
            a => a.map(SquareMetres),
        };
        let complex = match self.value(FieldRole::Complex).map(Value::flag) {
            Some(Ok(v)) => v.unwrap_or(false),
            Some(Err(t)) => {
                self.warn(
                    warnings,
                    Some(FieldRole::Complex),
                    format!("不是“是/否”：{t:?}"),
                    format!("not a yes/no value: {t:?}"),
                );
                false
            }
            None => false,
        };
        let year = match self.number(FieldRole::Year, warnings) {
            Some(y) if PLAN_YEARS.contains(&y) && y.fract() == 0.0 => Some(y as i32),
            Some(y) => {
                let (a, b) = (PLAN_YEARS.start(), PLAN_YEARS.end());
                self.warn(
                    warnings,
                    Some(FieldRole::Year),
                    format!("年份 {y} 不是 {a}–{b} 之间的整数年份，按空值处理"),
                    format!("year {y} is not a whole year between {a} and {b}: taken as empty"),
                );
                None
            }
            None => None,
        };
        let in_wan = self.field(FieldRole::Cost).contains('万');
        let cost = self.number(FieldRole::Cost, warnings).map(|c| Yuan(if in_wan { c * 10_000.0 } else { c }));
        Some(PlannedProject {
            name: self.text(FieldRole::Name).unwrap_or_else(|| id.clone()),
            source_id: id,
            kinds: parsed,
            floor_area,
            complex,
            project_type: self.text(FieldRole::ProjectType).unwrap_or_default(),
            year,
            cost,
            location,
            site: site.map_or(ProjectSite::Point, |s| s.0),
        })
    }
}
