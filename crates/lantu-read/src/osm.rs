//! OpenStreetMap input: a planner without survey data starts from a `.osm.pbf`.
//!
//! Communities are the administrative boundaries at a chosen `admin_level`; buildings,
//! walkable ways and service POIs follow an editable tag table (`data/osm-tags.toml`).
//! OSM has no household counts: they are estimated from residential floor area and
//! flagged as estimated everywhere.

use crate::ingest::{finish, location, polygons, Grids, Loaded};
use crate::report::{FindingKind, LayerReport};
use crate::vector::{read_layer, RawFeature, RawLayer, ReadOptions};
use crate::{GeoCoords, IoError, LayerRole, MetricCrs, ReprojectSpec, Result};
use geo::{Area, BoundingRect, Contains, InteriorPoint};
use lantu_core::{
    Building, BuildingId, Community, CommunityId, Dataset, Facility, FacilityId, HouseholdSource, Kinds, Profile,
    ServiceKind, Text, Walkway,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The text of the built-in tag table.
pub const BUILTIN_OSM_TAGS: &str = include_str!("../../../data/osm-tags.toml");

/// Which OSM features lantu takes, and as what.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagTable {
    /// Walkable ways.
    pub walkways: WalkwayTags,
    /// Dwellings.
    pub buildings: BuildingTags,
    /// Candidate sites for conversion.
    pub candidates: CandidateTags,
    /// Service kind code → rules (`key=value` or `key=*`).
    pub kinds: BTreeMap<String, Vec<String>>,
}

/// Buildings that could be converted.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateTags {
    /// Rules (`key=value` or `key=*`); a building matching any is a candidate.
    pub tags: Vec<String>,
}

/// Walkable ways.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkwayTags {
    /// Walkable `highway=*` values.
    pub highway: Vec<String>,
    /// `foot`/`access` values that exclude a way.
    pub no_foot: Vec<String>,
    /// `foot` values that allow walking despite `access`.
    pub foot_allowed: Vec<String>,
    /// `highway=*` values that are stairways.
    pub steps: Vec<String>,
}

/// Dwellings.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildingTags {
    /// `building=*` values that are dwellings.
    pub residential: Vec<String>,
    /// Tags that make a building non-residential.
    pub non_residential_tags: Vec<String>,
}

impl TagTable {
    /// The built-in table.
    pub fn builtin() -> TagTable {
        Self::parse(BUILTIN_OSM_TAGS, "osm-tags.toml (built in)").expect("the built-in tag table is valid")
    }
    /// Parses a tag table.
    pub fn parse(text: &str, source_name: &str) -> Result<TagTable> {
        let t: TagTable = toml::from_str(text).map_err(|e| IoError::TagTable {
            source_name: source_name.into(),
            message: Text::verbatim(e.to_string()),
        })?;
        for rule in t.kinds.values().flatten().chain(&t.buildings.non_residential_tags).chain(&t.candidates.tags) {
            if !rule.contains('=') {
                return Err(IoError::TagTable {
                    source_name: source_name.into(),
                    message: Text::new(
                        format!("规则 {rule:?} 不是 key=value 或 key=* 形式"),
                        format!("rule {rule:?} is not key=value or key=*"),
                    ),
                });
            }
        }
        Ok(t)
    }
    /// The kinds (of `known`, the profile's) whose rules match these tags, in order.
    pub fn kinds_of(&self, tags: &Tags, known: &Kinds) -> Vec<ServiceKind> {
        let mut found: Vec<ServiceKind> = self
            .kinds
            .iter()
            .filter(|(_, rules)| rules.iter().any(|r| matches(r, tags)))
            .filter_map(|(code, _)| known.by_code(code))
            .collect();
        found.sort();
        found
    }

    /// The codes of the table that name no kind of the profile.
    pub fn unknown_kinds(&self, known: &Kinds) -> Vec<String> {
        self.kinds.keys().filter(|c| known.by_code(c).is_none()).cloned().collect()
    }
}

/// The tags of one OSM feature.
pub type Tags = HashMap<String, String>;

fn matches(rule: &str, tags: &Tags) -> bool {
    let (k, v) = rule.split_once('=').unwrap_or((rule, "*"));
    tags.get(k.trim()).is_some_and(|have| v.trim() == "*" || have == v.trim())
}

/// Parses GDAL's `other_tags` column (`"k"=>"v","k2"=>"v2"`).
pub fn parse_other_tags(s: &str, into: &mut Tags) {
    let mut rest = s;
    while let Some(start) = rest.find('"') {
        let Some((key, after)) = quoted(&rest[start..]) else {
            break;
        };
        let Some(arrow) = after.find("=>") else { break };
        let Some((value, after)) = quoted(after[arrow + 2..].trim_start()) else {
            break;
        };
        into.insert(key, value);
        rest = after;
    }
}

/// A double-quoted string with backslash escapes, and what follows it.
fn quoted(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.strip_prefix('"')?.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?.1),
            '"' => return Some((out, &s[i + 2..])),
            c => out.push(c),
        }
    }
    None
}

fn tags_of(layer: &RawLayer, f: &RawFeature) -> Tags {
    let mut tags = Tags::new();
    for (name, v) in layer.fields.iter().zip(&f.values) {
        match name.as_str() {
            "other_tags" => {
                if let Some(t) = v.text() {
                    parse_other_tags(&t, &mut tags);
                }
            }
            "osm_id" | "osm_way_id" | "z_order" => {}
            _ => {
                if let Some(t) = v.text() {
                    tags.insert(name.clone(), t);
                }
            }
        }
    }
    tags
}

fn osm_id(layer: &RawLayer, f: &RawFeature) -> String {
    let get = |n: &str| layer.fields.iter().position(|x| x == n).and_then(|i| f.values[i].text());
    match (get("osm_id"), get("osm_way_id")) {
        (Some(r), _) if layer.layer == "multipolygons" => format!("r{r}"),
        (Some(n), _) if layer.layer == "points" => format!("n{n}"),
        (Some(w), _) => format!("w{w}"),
        (None, Some(w)) => format!("w{w}"),
        _ => f.fid.clone(),
    }
}

/// Options of an OSM load.
#[derive(Clone, Debug)]
pub struct OsmOptions {
    /// The `admin_level` of the boundaries that stand for communities.
    pub admin_level: u8,
    /// The tag table.
    pub tags: TagTable,
    /// A DEM to read with it.
    pub dem: Option<PathBuf>,
    /// A population grid to read with it (people per cell, WGS 84 unless it says).
    pub population: Option<PathBuf>,
    /// The metric CRS; chosen from the data when `None`.
    pub metric_crs: Option<String>,
}

/// Reads an OpenStreetMap extract as communities, buildings, walkways and facilities.
pub fn load_osm(path: &Path, opts: &OsmOptions, profile: &Profile) -> Result<Loaded> {
    let start = std::time::Instant::now();
    let unknown = opts.tags.unknown_kinds(&profile.kinds);
    if !unknown.is_empty() {
        return Err(IoError::TagTable {
            source_name: "osm-tags".into(),
            message: Text::new(
                format!("服务类型 {} 不在规则配置中", unknown.join(", ")),
                format!("kinds {} are not kinds of the profile", unknown.join(", ")),
            ),
        });
    }
    check_pbf_framing(path)?;
    let read = |layer: &str, filter: &str| {
        read_layer(
            path,
            &ReadOptions {
                layer: Some(layer),
                filter: Some(filter),
                max_repair_vertices: Some(profile.checks.max_repair_vertices as usize),
                ..Default::default()
            },
        )
    };
    // the three layers side by side: GDAL's OSM driver parses the file once per layer read
    let (polys, (lines, points)) = rayon::join(
        || {
            read("multipolygons", "building IS NOT NULL OR boundary = 'administrative' OR amenity IS NOT NULL OR leisure IS NOT NULL OR shop IS NOT NULL OR craft IS NOT NULL OR other_tags IS NOT NULL")
        },
        || rayon::join(|| read("lines", "highway IS NOT NULL"), || read("points", "other_tags IS NOT NULL")),
    );
    let (mut polys, mut lines, mut points) = (polys?, lines?, points?);
    // the centre of the chosen boundaries fixes the metric CRS
    let metric = osm_metric_crs(path, &polys, opts)?;
    for layer in [&mut polys, &mut lines, &mut points] {
        reproject_from_wgs84(layer, &metric)?;
    }
    let osm = Osm { path, opts, profile };
    let mut dataset = Dataset::default();
    let rc = osm.communities(&polys, &mut dataset);
    let rb = osm.buildings(&polys, &mut dataset);
    let rw = osm.walkways(&lines, &mut dataset);
    let rf = osm.facilities(&points, &polys, &mut dataset);
    let rs = osm.candidates_report(&dataset);
    let (mut re, entrances) = osm.entrances(&points);
    let mut reports = vec![rc, rb, rf, rw, rs];
    crate::ingest::attach_entrance_points(&mut dataset, &entrances, &mut re, &mut reports);
    reports.push(re);
    let mut timings = vec![("read + reproject".to_string(), start.elapsed().as_secs_f64())];
    let t = std::time::Instant::now();
    let population = match &opts.population {
        Some(p) => {
            let src = crate::LayerSource { path: p.clone(), ..Default::default() };
            Some(crate::ingest::population::read_population(p, &src, &metric, &dataset)?)
        }
        None => None,
    };
    if population.is_some() {
        timings.push(("population".to_string(), t.elapsed().as_secs_f64()));
    }
    let mut loaded =
        finish(dataset, reports, metric, Grids { dem: opts.dem.clone(), population }, Vec::new(), profile, timings)?;
    // monaco.osm.pbf → monaco
    loaded.name = path.file_name().map(|f| f.to_string_lossy().split('.').next().unwrap_or_default().to_string());
    Ok(loaded)
}

/// The administrative level of a boundary feature, if it is one.
fn admin_level_of(layer: &RawLayer, f: &RawFeature) -> Option<String> {
    let t = tags_of(layer, f);
    (t.get("boundary").map(String::as_str) == Some("administrative")).then(|| t.get("admin_level").cloned()).flatten()
}

/// The metric CRS: named in the options, or the zone of the chosen boundaries' centre.
fn osm_metric_crs(path: &Path, polys: &RawLayer, opts: &OsmOptions) -> Result<MetricCrs> {
    let admin = opts.admin_level.to_string();
    let level_of = admin_level_of;
    Ok(match &opts.metric_crs {
        Some(def) => MetricCrs::named(def)?,
        None => {
            let rect = polys
                .features
                .iter()
                .filter(|f| level_of(polys, f).as_deref() == Some(admin.as_str()))
                .filter_map(|f| f.geometry.as_ref()?.bounding_rect())
                .reduce(crate::ingest::union_rect)
                .ok_or_else(|| {
                    let mut levels: Vec<u32> =
                        polys.features.iter().filter_map(|f| level_of(polys, f)?.trim().parse().ok()).collect();
                    levels.sort_unstable();
                    levels.dedup();
                    let present = if levels.is_empty() {
                        Text::new("文件中没有任何行政边界", "the file has no administrative boundary at all")
                    } else {
                        let l = levels.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ");
                        Text::new(format!("现有层级：{l}"), format!("levels present: {l}"))
                    };
                    IoError::Open {
                        path: path.to_path_buf(),
                        source: lantu_core::Reason::new(
                            format!("没有 admin_level={admin} 的行政边界（{}），请另选行政层级", present.zh),
                            format!(
                                "no boundary=administrative with admin_level={admin} ({}): choose another admin level",
                                present.en
                            ),
                        )
                        .into(),
                    }
                })?;
            MetricCrs::for_centre(rect.center().x, rect.center().y)
        }
    })
}

/// Every geometry of a layer from WGS 84 into the metric CRS (those that fail are dropped).
fn reproject_from_wgs84(layer: &mut RawLayer, metric: &MetricCrs) -> Result<()> {
    let spec = ReprojectSpec { from: "EPSG:4326".into(), coords: GeoCoords::Wgs84, to: metric.definition.clone() };
    spec.for_each_chunk(&mut layer.features, |r, f| {
        if let Some(g) = f.geometry.as_mut() {
            if r.geometry(g).is_err() {
                f.geometry = None;
            }
        }
    })
}

/// One OSM extract being turned into model objects.
struct Osm<'a> {
    path: &'a Path,
    opts: &'a OsmOptions,
    profile: &'a Profile,
}

impl Osm<'_> {
    fn new_report(&self, role: LayerRole, layer: &str) -> LayerReport {
        let mut r = LayerReport::new(role, self.path.to_path_buf(), layer.to_string(), "OSM".into());
        r.crs = Text::new("EPSG:4326 WGS 84（OSM）", "EPSG:4326 WGS 84 (OSM)");
        r
    }

    /// Communities at the chosen level, each in the most detailed boundary above it (its street).
    fn communities(&self, polys: &RawLayer, dataset: &mut Dataset) -> LayerReport {
        let opts = self.opts;
        let new_report = |role, layer: &str| self.new_report(role, layer);
        let admin = opts.admin_level.to_string();
        let level_of = admin_level_of;
        let mut rc = new_report(
            LayerRole::Communities,
            &format!("multipolygons (boundary=administrative, admin_level={admin})"),
        );
        let mut parents: Vec<(u8, String, String, geo::MultiPolygon)> = Vec::new();
        for f in &polys.features {
            let Some(level) = level_of(polys, f).and_then(|l| l.parse::<u8>().ok()) else {
                continue;
            };
            let tags = tags_of(polys, f);
            let id = osm_id(polys, f);
            let name = tags.get("name:zh").or_else(|| tags.get("name")).cloned().unwrap_or_else(|| id.clone());
            if level == opts.admin_level {
                rc.read += 1;
                match &f.geometry {
                    Some(g) => {
                        if f.repaired {
                            rc.find(
                                FindingKind::Repaired,
                                Some(&id),
                                None,
                                Text::new("无效几何已用 MakeValid 修复", "invalid geometry repaired with MakeValid"),
                            );
                        }
                        dataset.communities.push(Community {
                            id: CommunityId::from_index(dataset.communities.len()),
                            code: id,
                            name,
                            street_code: None,
                            street_name: None,
                            households: None,
                            households_source: HouseholdSource::Given,
                            population: tags.get("population").and_then(|p| p.parse().ok()),
                            elderly: None,
                            infants: None,
                            children: None,
                            capable: false,
                            centralised: true,
                            boundary: polygons(g),
                        });
                    }
                    None => rc.find(
                        FindingKind::Rejected,
                        Some(&id),
                        None,
                        f.problem.clone().unwrap_or_else(|| Text::new("无几何", "no geometry")),
                    ),
                }
            } else if level < opts.admin_level {
                if let Some(g) = &f.geometry {
                    parents.push((level, id, name, polygons(g)));
                }
            }
        }
        dataset.communities.sort_by(|a, b| a.code.cmp(&b.code));
        for (i, c) in dataset.communities.iter_mut().enumerate() {
            c.id = CommunityId::from_index(i);
            // the street: the most detailed boundary above that holds the community
            if let Some(p) = c.boundary.interior_point() {
                if let Some((_, code, name, _)) = parents
                    .iter()
                    .filter(|(_, _, _, b)| b.contains(&p))
                    .max_by_key(|(l, code, _, _)| (*l, std::cmp::Reverse(code.clone())))
                {
                    c.street_code = Some(code.clone());
                    c.street_name = Some(name.clone());
                }
            }
        }
        rc.kept = dataset.communities.len();
        rc.find(
            FindingKind::Note,
            None,
            None,
            Text::new(
                "OSM 无户数：户数由住宅建筑面积估算（已标注为估算）",
                "OSM has no household counts: estimated from residential floor area (flagged as estimated)",
            ),
        );

        rc
    }

    /// Buildings, and the candidate sites among them.
    fn buildings(&self, polys: &RawLayer, dataset: &mut Dataset) -> LayerReport {
        let (opts, profile) = (self.opts, self.profile);
        let new_report = |role, layer: &str| self.new_report(role, layer);
        let mut rb = new_report(LayerRole::Buildings, "multipolygons (building=*)");
        for f in &polys.features {
            let tags = tags_of(polys, f);
            let Some(kind) = tags.get("building") else {
                continue;
            };
            rb.read += 1;
            let id = osm_id(polys, f);
            let Some(g) = &f.geometry else {
                rb.find(
                    FindingKind::Rejected,
                    Some(&id),
                    None,
                    f.problem.clone().unwrap_or_else(|| Text::new("无几何", "no geometry")),
                );
                continue;
            };
            if f.repaired {
                rb.find(
                    FindingKind::Repaired,
                    Some(&id),
                    None,
                    Text::new("无效几何已用 MakeValid 修复", "invalid geometry repaired with MakeValid"),
                );
            }
            let footprint = polygons(g);
            if footprint.unsigned_area() <= 0.0 {
                rb.find(FindingKind::Rejected, Some(&id), None, Text::new("面积为零", "zero area"));
                continue;
            }
            let residential = opts.tags.buildings.residential.iter().any(|v| v == kind)
                && !opts.tags.buildings.non_residential_tags.iter().any(|r| matches(r, &tags));
            let floors = tags.get("building:levels").and_then(|l| l.trim().parse::<f64>().ok()).filter(|l| *l > 0.0);
            if !residential && opts.tags.candidates.tags.iter().any(|r| matches(r, &tags)) {
                let floor_area = footprint.unsigned_area() * floors.unwrap_or(profile.households.default_floors);
                if floor_area >= profile.sites.min_candidate_area_m2.0 {
                    if let Some(location) = footprint.interior_point() {
                        dataset.candidates.push(lantu_core::CandidateSite {
                            id: lantu_core::CandidateId::from_index(dataset.candidates.len()),
                            source_id: id.clone(),
                            name: tags
                                .get("name:zh")
                                .or_else(|| tags.get("name"))
                                .cloned()
                                .unwrap_or_else(|| id.clone()),
                            floor_area: Some(lantu_core::SquareMetres(floor_area)),
                            owner: Some(kind.clone()),
                            location,
                            footprint: Some(footprint.clone()),
                        });
                    }
                }
            }
            dataset.buildings.push(Building {
                id: BuildingId::from_index(dataset.buildings.len()),
                source_id: id,
                footprint,
                residential,
                floors,
                households: None,
                households_source: HouseholdSource::EstimatedFromFloorArea,
                compound: None,
                entrances: vec![],
                point_inside: Default::default(),
            });
        }
        rb.kept = dataset.buildings.len();
        let with_levels = dataset.buildings.iter().filter(|b| b.floors.is_some()).count();
        rb.counts.push((
            Text::new("住宅建筑", "residential buildings"),
            dataset.buildings.iter().filter(|b| b.residential).count() as f64,
        ));
        rb.counts.push((Text::new("有 building:levels 的建筑", "buildings with building:levels"), with_levels as f64));

        rb
    }

    /// Walkable ways, without those closed to pedestrians.
    fn walkways(&self, lines: &RawLayer, dataset: &mut Dataset) -> LayerReport {
        let opts = self.opts;
        let new_report = |role, layer: &str| self.new_report(role, layer);
        let mut rw = new_report(LayerRole::Walkways, "lines (highway=*)");
        let wt = &opts.tags.walkways;
        let mut no_foot = 0;
        for f in &lines.features {
            let tags = tags_of(lines, f);
            let Some(hw) = tags.get("highway") else {
                continue;
            };
            if !wt.highway.contains(hw) {
                continue;
            }
            rw.read += 1;
            let foot = tags.get("foot").map(String::as_str).unwrap_or("");
            let access = tags.get("access").map(String::as_str).unwrap_or("");
            if wt.no_foot.iter().any(|v| v == foot)
                || (wt.no_foot.iter().any(|v| v == access) && !wt.foot_allowed.iter().any(|v| v == foot))
            {
                no_foot += 1;
                continue;
            }
            let id = osm_id(lines, f);
            let Some(geo::Geometry::LineString(line)) = &f.geometry else {
                rw.find(
                    FindingKind::Rejected,
                    Some(&id),
                    None,
                    f.problem.clone().unwrap_or_else(|| Text::new("不是线", "not a line")),
                );
                continue;
            };
            let yes = |k: &str| tags.get(k).is_some_and(|v| v != "no");
            dataset.walkways.push(Walkway {
                source_id: id,
                line: line.clone(),
                steps: wt.steps.contains(hw),
                class: Some(hw.clone()),
                // stairs passable with a wheelchair or a pram: a ramp beside them
                ramp: ["ramp", "ramp:wheelchair", "ramp:stroller"].iter().any(|k| yes(k)),
                deck: yes("bridge") || yes("tunnel"),
            });
        }
        rw.kept = dataset.walkways.len();
        rw.counts.push((
            Text::new("台阶（steps）", "stairways (steps)"),
            dataset.walkways.iter().filter(|w| w.steps).count() as f64,
        ));
        rw.counts.push((Text::new("禁止步行而未计入", "left out, no foot access"), no_foot as f64));

        rw
    }

    /// Facilities from points and polygons, by the tag table.
    fn facilities(&self, points: &RawLayer, polys: &RawLayer, dataset: &mut Dataset) -> LayerReport {
        let (opts, profile) = (self.opts, self.profile);
        let new_report = |role, layer: &str| self.new_report(role, layer);
        let mut rf = new_report(LayerRole::Facilities, "points + multipolygons (tag table)");
        for layer in [points, polys] {
            for f in &layer.features {
                let tags = tags_of(layer, f);
                if layer.layer == "multipolygons" && tags.contains_key("boundary") {
                    continue;
                }
                let kinds = opts.tags.kinds_of(&tags, &profile.kinds);
                if kinds.is_empty() {
                    continue;
                }
                rf.read += 1;
                let id = osm_id(layer, f);
                let Some((location, footprint)) = f.geometry.as_ref().and_then(location) else {
                    rf.find(
                        FindingKind::Rejected,
                        Some(&id),
                        None,
                        f.problem.clone().unwrap_or_else(|| Text::new("无几何", "no geometry")),
                    );
                    continue;
                };
                for k in &kinds {
                    *rf.per_kind.entry(*k).or_default() += 1;
                }
                dataset.facilities.push(Facility {
                    id: FacilityId::from_index(dataset.facilities.len()),
                    name: tags.get("name:zh").or_else(|| tags.get("name")).cloned().unwrap_or_else(|| id.clone()),
                    source_id: id,
                    kinds,
                    floor_area: None,
                    capacity: None,
                    complex: false,
                    shared_by: Vec::new(),
                    location,
                    footprint,
                });
            }
        }
        rf.kept = dataset.facilities.len();
        rf.find(
            FindingKind::Note,
            None,
            None,
            Text::new(
                "OSM 不含设施建筑面积：面积指标需调查数据",
                "OSM gives no facility floor area: area figures need survey data",
            ),
        );

        rf
    }

    /// The report of candidate sites (found among the buildings).
    fn candidates_report(&self, dataset: &Dataset) -> LayerReport {
        let new_report = |role, layer: &str| self.new_report(role, layer);
        let mut rs = new_report(LayerRole::Candidates, "multipolygons (candidate tags)");
        rs.read = dataset.candidates.len();
        rs.kept = dataset.candidates.len();
        rs.find(FindingKind::Note, None, None, Text::new(
            "候选闲置资源取自 OSM 标签（空置、废弃、公共或商业建筑），建筑面积 = 占地 × 层数（缺层数时用默认层数）",
            "candidate sites from OSM tags (vacant, disused, public or commercial buildings); floor area = footprint × floors (default floors when missing)",
        ));
        rs
    }

    /// Entrance nodes: walks start at a building's best one.
    fn entrances(&self, points: &RawLayer) -> (LayerReport, Vec<(String, geo::Point)>) {
        // entrances: nodes tagged entrance=* on building outlines; walks start at the best one
        let mut re = self.new_report(LayerRole::Entrances, "points (entrance=*)");
        let entrances: Vec<(String, geo::Point)> = points
            .features
            .iter()
            .filter(|f| tags_of(points, f).get("entrance").is_some_and(|v| v != "no"))
            .filter_map(|f| match &f.geometry {
                Some(geo::Geometry::Point(p)) => Some((osm_id(points, f), *p)),
                _ => None,
            })
            .collect();
        re.read = entrances.len();
        re.kept = entrances.len();
        (re, entrances)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_tags_parse_with_escapes() {
        let mut t = Tags::new();
        parse_other_tags(r#""amenity"=>"kindergarten","name:fr"=>"L'\"École\"","building:levels"=>"5""#, &mut t);
        assert_eq!(t["amenity"], "kindergarten");
        assert_eq!(t["name:fr"], "L'\"École\"");
        assert_eq!(t["building:levels"], "5");
    }

    #[test]
    fn builtin_tag_table_maps_the_usual_pois() {
        let table = TagTable::builtin();
        let tags = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Tags>();
        let known = Profile::builtin().kinds;
        let codes = |t: &[(&str, &str)]| known.codes(&table.kinds_of(&tags(t), &known));
        assert_eq!(codes(&[("amenity", "kindergarten")]), "infant_care");
        assert_eq!(codes(&[("leisure", "playground")]), "children_play");
        assert_eq!(codes(&[("shop", "bakery")]), "housekeeping");
        assert_eq!(codes(&[("amenity", "bench")]), "");
        assert!(table.unknown_kinds(&known).is_empty());
    }
}

/// Walks the blob framing of an `.osm.pbf` (each blob: a 4-byte length, a BlobHeader whose
/// `datasize` gives the blob's length) without decompressing anything: a file cut short
/// or damaged is refused as such, instead of being read in part without a word (GDAL only
/// logs "An error occurred during the parsing of data" and returns what it got).
fn check_pbf_framing(path: &Path) -> Result<()> {
    let is_pbf = path.to_string_lossy().to_ascii_lowercase().ends_with(".pbf");
    if !is_pbf || !path.is_file() {
        return Ok(()); // .osm XML, or a missing file that the reader names
    }
    let bytes = std::fs::read(path).map_err(|e| IoError::Open { path: path.to_path_buf(), source: e.into() })?;
    pbf_framing(&bytes).map_err(|at| IoError::Open {
        path: path.to_path_buf(),
        source: format!(
            "文件不完整或已损坏（字节 {at} 处，共 {} 字节）/ the file is truncated or corrupt (at byte {at} of {}); download or copy it again",
            bytes.len(),
            bytes.len()
        ).into(),
    })
}

/// `Err(byte offset)` where the framing breaks.
fn pbf_framing(b: &[u8]) -> std::result::Result<(), usize> {
    if b.is_empty() {
        return Err(0);
    }
    let mut pos = 0usize;
    let mut blobs = 0;
    while pos < b.len() {
        let Some(len) = b.get(pos..pos + 4) else { return Err(pos) };
        let header_len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        // BlobHeader is small (type, optional index, datasize); OSM caps it at 64 KiB
        if header_len == 0 || header_len > 64 * 1024 {
            return Err(pos);
        }
        let Some(header) = b.get(pos + 4..pos + 4 + header_len) else { return Err(pos) };
        let (kind, datasize) = blob_header(header).ok_or(pos + 4)?;
        if blobs == 0 && kind != b"OSMHeader" {
            return Err(pos + 4);
        }
        let end = pos + 4 + header_len + datasize;
        if end > b.len() {
            return Err(b.len());
        }
        pos = end;
        blobs += 1;
    }
    Ok(())
}

/// The `type` (field 1) and `datasize` (field 3) of a BlobHeader message.
fn blob_header(h: &[u8]) -> Option<(&[u8], usize)> {
    fn varint(h: &[u8], i: &mut usize) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *h.get(*i)?;
            *i += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    let (mut i, mut kind, mut size) = (0usize, None, None);
    while i < h.len() {
        let key = varint(h, &mut i)?;
        match (key >> 3, key & 7) {
            (3, 0) => size = Some(varint(h, &mut i)? as usize),
            (_, 0) => {
                varint(h, &mut i)?;
            }
            (field, 2) => {
                let n = varint(h, &mut i)? as usize;
                let v = h.get(i..i.checked_add(n)?)?;
                if field == 1 {
                    kind = Some(v);
                }
                i += n;
            }
            _ => return None,
        }
    }
    Some((kind?, size?))
}

#[cfg(test)]
mod framing_tests {
    use super::pbf_framing;

    const MONACO: &[u8] = include_bytes!("../../../data/examples/monaco/monaco.osm.pbf");

    #[test]
    fn a_whole_file_passes_and_any_cut_or_damage_is_found() {
        assert_eq!(pbf_framing(MONACO), Ok(()));
        for cut in [0, 3, 100, 20_000, MONACO.len() / 2, MONACO.len() - 1] {
            assert!(pbf_framing(&MONACO[..cut]).is_err(), "cut at {cut}");
        }
        let mut damaged = MONACO.to_vec();
        damaged[0] = 0x7f; // a header length of 2 GB
        assert!(pbf_framing(&damaged).is_err());
        assert!(pbf_framing(b"<?xml version='1.0'?><osm></osm>").is_err());
    }
}
