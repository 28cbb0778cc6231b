//! `lantu batch split`: one set of layers covering many areas (a city's districts, a
//! province's cities) written as one project per area.
//!
//! Each area gets its own communities, the buildings and idle buildings that belong to
//! them, and the facilities and walkways within a border around it: the largest walking
//! circle for facilities, that plus the farthest a home or facility may be from a walkway
//! (`network.max_access_m`) for walkways. A walk of at most the circle from a home in the
//! area never leaves that border (walking costs are never below the length walked), so a
//! community near the area's edge is covered exactly as in a run of the whole: the
//! facilities across the boundary still count and the walkways to them are still there.
//!
//! Features are copied as the user's files have them — fields, CRS and coordinates (a
//! GCJ-02 table stays a GCJ-02 table) — so the area's project reads them with the same
//! rules; rasters and layers that are not clipped (DEM, population grid, land use,
//! streets, entrances, joined tables) are named by their absolute paths.

use crate::error::{BatchError, Result};
use crate::memory::estimate_peak_mib;
use geo::{BoundingRect, Distance, Euclidean, Geometry};
use lantu_core::{district_code, district_name, Profile};
use lantu_read::{
    read_layer, FieldMap, FieldRole, LayerRole, LayerSource, Loaded, MetricCrs, Project, RawLayer, ReadOptions, Value,
};
use lantu_write::{write_gpkg, ColumnType, GeometryKind, LayerData};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// What makes an area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AreaKey {
    /// The district (区县): the first six digits of the 12-digit community code (or of the
    /// 9-digit street code).
    District,
    /// The value of a field of the communities layer.
    Field(String),
}

impl AreaKey {
    /// `district`, or the name of a field.
    pub fn parse(by: &str) -> AreaKey {
        if by == "district" {
            AreaKey::District
        } else {
            AreaKey::Field(by.to_string())
        }
    }
}

/// How to split.
#[derive(Clone, Debug)]
pub struct SplitOptions {
    /// What makes an area.
    pub by: AreaKey,
    /// The border around each area for facilities; the profile's largest walking circle
    /// when `None`.
    pub border_m: Option<f64>,
}

/// One area of a split.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// Its key: the district code or the field's value.
    pub code: String,
    /// Its name for titles (the district's name, or the field's value).
    pub name: String,
    /// Its folder under the batch folder (also the name its output folder takes).
    pub folder: String,
    /// Communities.
    pub communities: usize,
    /// Households given or estimated.
    pub households: f64,
    /// Buildings.
    pub buildings: usize,
    /// Facilities, those of the border included.
    pub facilities: usize,
    /// Walkway features, those of the border included.
    pub walkways: usize,
    /// Idle buildings.
    pub candidates: usize,
    /// Bytes of its clipped input files.
    pub input_bytes: u64,
    /// The peak memory its run is expected to need (see [`estimate_peak_mib`]).
    pub memory_mib: u64,
}

/// What a split wrote.
#[derive(Clone, Debug)]
pub struct Split {
    /// The areas, in key order.
    pub areas: Vec<Area>,
    /// The border for facilities, m.
    pub border_m: f64,
    /// The border for walkways, m.
    pub walkway_border_m: f64,
    /// Codes of the communities that fall into no area (no key).
    pub without_area: Vec<String>,
    /// Features whose geometry could not be read, per layer, left out of every area.
    pub without_geometry: Vec<(String, usize)>,
    /// Idle buildings in no community (or in one without an area), left out of every area.
    pub candidates_outside: usize,
    /// `batch.csv`.
    pub manifest: PathBuf,
}

/// The layers a split clips; the others are named as they are.
const CLIPPED: [LayerRole; 5] =
    [LayerRole::Communities, LayerRole::Buildings, LayerRole::Facilities, LayerRole::Walkways, LayerRole::Candidates];

/// Splits `loaded` (read from `project` with `profile`) into one project per area under
/// `out`, and writes `out/batch.csv`.
pub fn split(project: &Project, loaded: &Loaded, profile: &Profile, opts: &SplitOptions, out: &Path) -> Result<Split> {
    let d = &loaded.dataset;
    let a = &loaded.assignment;
    // the communities' source layer, read once: for the keys and for the copies
    let community_src = project.layer(LayerRole::Communities).expect("a project has communities");
    let community_path = project.resolve(&community_src.path);
    let raw_communities = read_layer(&community_path, &ReadOptions::of(community_src, max_repair(profile)))?;
    let raw_community_codes = raw_codes(&raw_communities, loaded);
    let keys = community_keys(loaded, &raw_communities, &raw_community_codes, &community_path, &opts.by)?;
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut without_area = Vec::new();
    for (c, key) in keys.iter().enumerate() {
        match key {
            Some(k) => by_key.entry(k.clone()).or_default().push(c),
            None => without_area.push(d.communities[c].code.clone()),
        }
    }
    if by_key.is_empty() {
        return Err(BatchError::NoAreas);
    }
    let codes: Vec<String> = by_key.keys().cloned().collect();
    let mut area_of = vec![None; d.communities.len()];
    for (i, members) in by_key.values().enumerate() {
        for &c in members {
            area_of[c] = Some(i);
        }
    }
    let border_m = opts.border_m.unwrap_or_else(|| largest_circle_m(profile));
    if !(border_m.is_finite() && border_m >= 0.0) {
        return Err(BatchError::BadBorder(border_m));
    }
    let walkway_border_m = border_m + profile.network.max_access_m.0;

    // which model objects each area takes (indices into the dataset's lists)
    let near = Near::new(d, &area_of);
    let n = codes.len();
    let mut chosen: HashMap<LayerRole, Vec<Vec<usize>>> = CLIPPED.iter().map(|r| (*r, vec![Vec::new(); n])).collect();
    let by_community =
        |of: &[Option<lantu_core::CommunityId>], role: LayerRole, chosen: &mut HashMap<_, Vec<Vec<usize>>>| {
            for (x, c) in of.iter().enumerate() {
                if let Some(i) = c.and_then(|c| area_of[c.index()]) {
                    chosen.get_mut(&role).expect("clipped")[i].push(x);
                }
            }
        };
    by_community(&a.building_community, LayerRole::Buildings, &mut chosen);
    by_community(&a.candidate_community, LayerRole::Candidates, &mut chosen);
    for (x, f) in d.facilities.iter().enumerate() {
        for i in near.areas(&Geometry::Point(f.location), border_m) {
            chosen.get_mut(&LayerRole::Facilities).expect("clipped")[i].push(x);
        }
    }
    for (x, w) in d.walkways.iter().enumerate() {
        for i in near.areas(&Geometry::LineString(w.line.clone()), walkway_border_m) {
            chosen.get_mut(&LayerRole::Walkways).expect("clipped")[i].push(x);
        }
    }
    let model_ids = |role: LayerRole| -> Vec<&str> {
        match role {
            LayerRole::Buildings => d.buildings.iter().map(|b| b.source_id.as_str()).collect(),
            LayerRole::Facilities => d.facilities.iter().map(|f| f.source_id.as_str()).collect(),
            LayerRole::Walkways => d.walkways.iter().map(|w| w.source_id.as_str()).collect(),
            LayerRole::Candidates => d.candidates.iter().map(|c| c.source_id.as_str()).collect(),
            _ => Vec::new(),
        }
    };

    // the copies carry the time of the newest input, not of the split: splitting the same
    // inputs again gives the same bytes, and the driver's resume still sees them unchanged
    let newest = project.input_files().iter().filter_map(|p| std::fs::metadata(p).ok()?.modified().ok()).max();
    lantu_write::fix_gpkg_timestamp(&lantu_write::utc(newest.unwrap_or(std::time::UNIX_EPOCH)));
    let folders = folder_names(&codes);
    for f in &folders {
        let dir = out.join(f);
        std::fs::create_dir_all(&dir).map_err(|e| BatchError::file(&dir, e))?;
    }
    let mut counts: Vec<BTreeMap<LayerRole, usize>> = vec![BTreeMap::new(); n];
    let mut files: Vec<BTreeMap<LayerRole, String>> = vec![BTreeMap::new(); n];
    let mut without_geometry = Vec::new();
    for role in CLIPPED {
        let Some(src) = project.layer(role) else { continue };
        let read;
        let raw = if role == LayerRole::Communities {
            &raw_communities
        } else {
            read = read_layer(&project.resolve(&src.path), &ReadOptions::of(src, max_repair(profile)))?;
            &read
        };
        let missing = raw.features.iter().filter(|f| f.geometry.is_none()).count();
        if missing > 0 {
            without_geometry.push((role.key().to_string(), missing));
        }
        let members: Vec<Vec<usize>> = if role == LayerRole::Communities {
            community_features(raw, &raw_community_codes, loaded, &keys, &codes)
        } else {
            let to_raw = match_in_order(&model_ids(role), &raw_ids(raw, role, src));
            chosen[&role]
                .iter()
                .map(|xs| {
                    let set: BTreeSet<usize> = xs.iter().filter_map(|&x| to_raw[x]).collect();
                    set.into_iter().filter(|&j| raw.features[j].geometry.is_some()).collect()
                })
                .collect()
        };
        for (i, features) in members.iter().enumerate() {
            let file = write_copy(raw, role, features, &out.join(&folders[i]))?;
            counts[i].insert(role, features.len());
            files[i].insert(role, file);
        }
    }

    let mut areas = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let dir = out.join(&folders[i]);
        let name = match &opts.by {
            AreaKey::District => district_name(code).map_or_else(|| code.clone(), str::to_string),
            AreaKey::Field(_) => code.clone(),
        };
        write_project(project, &files[i], &name, (border_m, walkway_border_m), &dir)?;
        let input_bytes = files[i].values().map(|f| std::fs::metadata(dir.join(f)).map_or(0, |m| m.len())).sum();
        let count = |r: LayerRole| counts[i].get(&r).copied().unwrap_or(0);
        let members = &by_key[code];
        areas.push(Area {
            code: code.clone(),
            name,
            folder: folders[i].clone(),
            communities: members.len(),
            households: members.iter().filter_map(|&c| d.communities[c].households.map(|h| h.0)).sum(),
            buildings: count(LayerRole::Buildings),
            facilities: count(LayerRole::Facilities),
            walkways: count(LayerRole::Walkways),
            candidates: count(LayerRole::Candidates),
            input_bytes,
            memory_mib: estimate_peak_mib(
                count(LayerRole::Buildings) + count(LayerRole::Facilities) + count(LayerRole::Walkways),
            ),
        });
    }
    let manifest = out.join("batch.csv");
    write_manifest(&manifest, &areas, border_m)?;
    let candidates_outside =
        a.candidate_community.iter().filter(|c| c.and_then(|c| area_of[c.index()]).is_none()).count();
    Ok(Split { areas, border_m, walkway_border_m, without_area, without_geometry, candidates_outside, manifest })
}

/// The largest walking circle of the profile, m.
pub fn largest_circle_m(profile: &Profile) -> f64 {
    profile.walking.circles.iter().map(|c| c.radius_m.0).fold(0.0, f64::max)
}

/// Each community's area key (`None`: it falls into none).
fn community_keys(
    loaded: &Loaded,
    raw: &RawLayer,
    raw_codes: &[String],
    path: &Path,
    by: &AreaKey,
) -> Result<Vec<Option<String>>> {
    let d = &loaded.dataset;
    match by {
        AreaKey::District => Ok(d.communities.iter().map(district_code).collect()),
        AreaKey::Field(field) => {
            let Some(at) = raw.fields.iter().position(|f| f == field) else {
                return Err(BatchError::NoField {
                    path: path.to_path_buf(),
                    field: field.clone(),
                    available: raw.fields.join(", "),
                });
            };
            let mut key_by_code: HashMap<&str, Option<String>> = HashMap::new();
            for (f, code) in raw.features.iter().zip(raw_codes) {
                key_by_code.entry(code.as_str()).or_insert_with(|| f.values[at].text());
            }
            Ok(d.communities.iter().map(|c| key_by_code.get(c.code.as_str()).cloned().flatten()).collect())
        }
    }
}

/// The reader's limit on repairing invalid geometries vertex by vertex, as `analyze` reads.
fn max_repair(profile: &Profile) -> Option<usize> {
    Some(profile.checks.max_repair_vertices as usize)
}

/// Each raw community feature's code as the reader gave it to the community: the values of
/// the field that matches the most communities' codes, else the feature ids (what the
/// reader uses when there is no code field).
fn raw_codes(raw: &RawLayer, loaded: &Loaded) -> Vec<String> {
    let codes: BTreeSet<&str> = loaded.dataset.communities.iter().map(|c| c.code.as_str()).collect();
    let text = |v: &Value| v.text().unwrap_or_default();
    let best = (0..raw.fields.len())
        .map(|i| (raw.features.iter().filter(|f| codes.contains(text(&f.values[i]).as_str())).count(), i))
        .max_by_key(|&(hits, i)| (hits, std::cmp::Reverse(i)));
    let by_fid = raw.features.iter().filter(|f| codes.contains(f.fid.as_str())).count();
    match best {
        Some((hits, i)) if hits > 0 && hits >= by_fid => raw.features.iter().map(|f| text(&f.values[i])).collect(),
        _ => raw.features.iter().map(|f| f.fid.clone()).collect(),
    }
}

/// The raw community features of each area (by the code the reader gave them).
fn community_features(
    raw: &RawLayer,
    raw_codes: &[String],
    loaded: &Loaded,
    keys: &[Option<String>],
    codes: &[String],
) -> Vec<Vec<usize>> {
    let area_by_code: HashMap<&str, usize> = loaded
        .dataset
        .communities
        .iter()
        .zip(keys)
        .filter_map(|(c, k)| Some((c.code.as_str(), codes.binary_search(k.as_ref()?).ok()?)))
        .collect();
    let mut m = vec![Vec::new(); codes.len()];
    for (j, code) in raw_codes.iter().enumerate() {
        if raw.features[j].geometry.is_none() {
            continue;
        }
        if let Some(&i) = area_by_code.get(code.as_str()) {
            m[i].push(j);
        }
    }
    m
}

/// The id the reader gives each raw feature of `role`: its id field's text, else its FID.
fn raw_ids(raw: &RawLayer, role: LayerRole, src: &LayerSource) -> Vec<String> {
    let (map, _) = FieldMap::resolve(FieldRole::for_layer(role), &raw.fields, &src.fields);
    let id_field = map.chosen.get(&FieldRole::Id).map(|c| c.0);
    raw.features.iter().map(|f| id_field.and_then(|i| f.values[i].text()).unwrap_or_else(|| f.fid.clone())).collect()
}

/// The raw feature each model object was read from, by their ids: directly when the raw
/// ids are unique, else walking both lists in order (the reader keeps the file's order,
/// and the parts of a multi-part feature follow each other).
fn match_in_order(model: &[&str], raw: &[String]) -> Vec<Option<usize>> {
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(raw.len());
    let unique = raw.iter().enumerate().all(|(j, id)| index.insert(id.as_str(), j).is_none());
    if unique {
        return model.iter().map(|id| index.get(id).copied()).collect();
    }
    let mut j = 0;
    model
        .iter()
        .map(|id| {
            let start = j;
            while j < raw.len() && raw[j] != *id {
                j += 1;
            }
            if j < raw.len() {
                Some(j)
            } else {
                j = start; // not found: the next object starts where this one did
                None
            }
        })
        .collect()
}

/// The areas' communities indexed, to find the areas within a distance of a feature.
struct Near<'a> {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    boundaries: Vec<Geometry>,
    area_of: &'a [Option<usize>],
}

impl<'a> Near<'a> {
    fn new(d: &'a lantu_core::Dataset, area_of: &'a [Option<usize>]) -> Near<'a> {
        let items = d
            .communities
            .iter()
            .enumerate()
            .filter(|(c, _)| area_of[*c].is_some())
            .filter_map(|(c, com)| {
                let b = com.boundary.bounding_rect()?;
                Some(GeomWithData::new(Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]), c))
            })
            .collect();
        let boundaries = d.communities.iter().map(|c| Geometry::MultiPolygon(c.boundary.clone())).collect();
        Near { tree: RTree::bulk_load(items), boundaries, area_of }
    }

    /// The areas with a community within `dist` of `g`, in order.
    fn areas(&self, g: &Geometry, dist: f64) -> Vec<usize> {
        let Some(b) = g.bounding_rect() else { return Vec::new() };
        let env = AABB::from_corners([b.min().x - dist, b.min().y - dist], [b.max().x + dist, b.max().y + dist]);
        let mut out: Vec<usize> = Vec::new();
        for e in self.tree.locate_in_envelope_intersecting(&env) {
            let area = self.area_of[e.data].expect("only communities with an area are indexed");
            if out.contains(&area) {
                continue;
            }
            if Euclidean.distance(g, &self.boundaries[e.data]) <= dist {
                out.push(area);
            }
        }
        out.sort_unstable();
        out
    }
}

/// Each area's folder: its key as a folder name, with `_2`, `_3` … after keys that come
/// out alike (`a/b` and `a_b`), so that no two areas share a folder.
fn folder_names(codes: &[String]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    codes
        .iter()
        .map(|k| {
            let base = folder_name(k);
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            name
        })
        .collect()
}

/// A folder name for an area key: letters, digits (any script), `-` and `_`; others `_`.
fn folder_name(key: &str) -> String {
    let s: String = key.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if s.is_empty() {
        "_".into()
    } else {
        s
    }
}

/// Whether a layer was read as a table (coordinates or WKT in columns): its copy stays a
/// table, so the area's project reads it as the user's did.
fn is_table(raw: &RawLayer) -> bool {
    matches!(raw.driver.as_str(), "CSV" | "XLSX" | "ODS" | "XLS")
}

/// Writes the features `keep` of `raw` into `dir` as `<role>.csv` (tables) or
/// `<role>.gpkg`, and returns the file's name.
fn write_copy(raw: &RawLayer, role: LayerRole, keep: &[usize], dir: &Path) -> Result<String> {
    if is_table(raw) {
        let name = format!("{}.csv", role.key());
        let path = dir.join(&name);
        let mut w = csv::Writer::from_path(&path).map_err(|e| BatchError::table(&path, e))?;
        w.write_record(&raw.fields).map_err(|e| BatchError::table(&path, e))?;
        for &j in keep {
            let row = raw.features[j].values.iter().map(cell_text);
            w.write_record(row).map_err(|e| BatchError::table(&path, e))?;
        }
        w.flush().map_err(|e| BatchError::file(&path, e))?;
        return Ok(name);
    }
    let name = format!("{}.gpkg", role.key());
    let path = dir.join(&name);
    let columns = raw
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut ty = None;
            for &j in keep {
                ty = match (&raw.features[j].values[i], ty) {
                    (Value::Text(_), _) => Some(ColumnType::Text),
                    (Value::Real(_), Some(ColumnType::Text)) | (Value::Int(_), Some(ColumnType::Text)) => ty,
                    (Value::Real(_), _) => Some(ColumnType::Real),
                    (Value::Int(_), Some(ColumnType::Real)) => ty,
                    (Value::Int(_), _) => Some(ColumnType::Int),
                    (Value::Null, t) => t,
                };
            }
            (f.clone(), ty.unwrap_or(ColumnType::Text))
        })
        .collect::<Vec<_>>();
    let rows = keep
        .iter()
        .filter_map(|&j| {
            let f = &raw.features[j];
            let values = f
                .values
                .iter()
                .zip(&columns)
                .map(|(v, (_, ty))| match (v, ty) {
                    (Value::Int(x), ColumnType::Real) => Value::Real(*x as f64),
                    (Value::Null, _) => Value::Null,
                    (v, ColumnType::Text) if !matches!(v, Value::Text(_)) => Value::Text(cell_text(v)),
                    (v, _) => v.clone(),
                })
                .collect();
            Some((f.geometry.clone()?, values))
        })
        .collect();
    let crs = match raw.crs.as_deref() {
        None => MetricCrs { definition: String::new(), epsg: 0, reason: lantu_core::Text::new("", "") },
        Some(c) => MetricCrs {
            definition: c.to_string(),
            epsg: c.strip_prefix("EPSG:").and_then(|n| n.parse().ok()).unwrap_or(0),
            reason: lantu_core::Text::new("", ""),
        },
    };
    let layer = LayerData { name: role.key().to_string(), geometry_type: GeometryKind::Any, columns, rows };
    write_gpkg(&path, &crs, &[layer])?;
    Ok(name)
}

/// A value as the text a table holds.
fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Int(x) => x.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(s) => s.clone(),
    }
}

/// Writes the area's `project.toml`: the user's project with the clipped layers' paths
/// replaced and every other path made absolute.
fn write_project(
    project: &Project,
    files: &BTreeMap<LayerRole, String>,
    name: &str,
    (border_m, walkway_border_m): (f64, f64),
    dir: &Path,
) -> Result<()> {
    let text = std::fs::read_to_string(&project.file).map_err(|e| BatchError::file(&project.file, e))?;
    let mut t: toml::Table = text.parse().map_err(|e| BatchError::table(&project.file, e))?;
    let absolute = |v: &mut toml::Value| {
        if let Some(p) = v.as_str() {
            let abs =
                std::path::absolute(project.resolve(Path::new(p))).unwrap_or_else(|_| project.resolve(Path::new(p)));
            *v = toml::Value::String(abs.display().to_string());
        }
    };
    t.insert("name".into(), toml::Value::String(name.into()));
    if let Some(p) = t.get_mut("profile") {
        absolute(p);
    }
    for (key, value) in t.iter_mut() {
        let Some(layer) = value.as_table_mut() else { continue };
        let role = LayerRole::ALL.into_iter().find(|r| r.key() == key);
        match role.and_then(|r| files.get(&r)) {
            Some(file) => {
                layer.insert("path".into(), toml::Value::String(file.clone()));
                layer.remove("encoding");
                if file.ends_with(".gpkg") {
                    layer.insert("layer".into(), toml::Value::String(key.clone()));
                } else {
                    layer.remove("layer");
                }
            }
            None => {
                if let Some(p) = layer.get_mut("path") {
                    absolute(p);
                }
            }
        }
        // a CRS given as a file, and the tables joined to the communities
        let crs_is_file = layer.get("crs").and_then(|c| c.as_str()).is_some_and(|c| {
            !c.contains('[') && !c.to_ascii_uppercase().starts_with("EPSG:") && project.resolve(Path::new(c)).is_file()
        });
        if crs_is_file {
            if let Some(c) = layer.get_mut("crs") {
                absolute(c);
            }
        }
        if let Some(joins) = layer.get_mut("join").and_then(|j| j.as_array_mut()) {
            for j in joins.iter_mut().filter_map(|j| j.as_table_mut()) {
                if let Some(p) = j.get_mut("path") {
                    absolute(p);
                }
            }
        }
    }
    let head = format!(
        "# {name}: one area of {}, written by `lantu batch split`.\n# Facilities within {border_m:.0} m and walkways within {walkway_border_m:.0} m of the area are kept, so that walks across its boundary count.\n",
        project.file.display()
    );
    let body = toml::to_string(&t).map_err(|e| BatchError::table(&project.file, e))?;
    let path = dir.join("project.toml");
    std::fs::write(&path, head + &body).map_err(|e| BatchError::file(&path, e))
}

/// The columns of `batch.csv`, which the driver under `batch/` reads.
pub const MANIFEST_COLUMNS: [&str; 13] = [
    "area",
    "name",
    "folder",
    "project",
    "communities",
    "households",
    "buildings",
    "facilities",
    "walkways",
    "candidates",
    "input_mib",
    "memory_mib",
    "border_m",
];

fn write_manifest(path: &Path, areas: &[Area], border_m: f64) -> Result<()> {
    let mut w = csv::Writer::from_path(path).map_err(|e| BatchError::table(path, e))?;
    w.write_record(MANIFEST_COLUMNS).map_err(|e| BatchError::table(path, e))?;
    for a in areas {
        w.write_record([
            a.code.clone(),
            a.name.clone(),
            a.folder.clone(),
            format!("{}/project.toml", a.folder),
            a.communities.to_string(),
            format!("{:.0}", a.households),
            a.buildings.to_string(),
            a.facilities.to_string(),
            a.walkways.to_string(),
            a.candidates.to_string(),
            format!("{:.1}", a.input_bytes as f64 / 1_048_576.0),
            a.memory_mib.to_string(),
            format!("{border_m:.0}"),
        ])
        .map_err(|e| BatchError::table(path, e))?;
    }
    w.flush().map_err(|e| BatchError::file(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_objects_find_their_raw_features_even_when_ids_repeat() {
        let raw: Vec<String> = ["a", "b", "a", "c"].iter().map(|s| s.to_string()).collect();
        // parts of one feature (b twice) map to it; a repeated id maps in order
        assert_eq!(match_in_order(&["a", "b", "b", "a", "c"], &raw), vec![Some(0), Some(1), Some(1), Some(2), Some(3)]);
        assert_eq!(match_in_order(&["x", "c"], &raw), vec![None, Some(3)]);
        let unique: Vec<String> = ["p", "q"].iter().map(|s| s.to_string()).collect();
        assert_eq!(match_in_order(&["q", "p", "z"], &unique), vec![Some(1), Some(0), None]);
    }

    #[test]
    fn keys_that_come_out_alike_get_folders_of_their_own() {
        let codes: Vec<String> = ["a/b", "a_b", "a?b", "渝中区"].iter().map(|s| s.to_string()).collect();
        assert_eq!(folder_names(&codes), ["a_b", "a_b_2", "a_b_3", "渝中区"]);
    }

    #[test]
    fn folder_names_keep_letters_and_digits_of_any_script() {
        assert_eq!(folder_name("500103"), "500103");
        assert_eq!(folder_name("渝中区"), "渝中区");
        assert_eq!(folder_name("../etc/x y"), "___etc_x_y");
        assert_eq!(folder_name(""), "_");
    }
}
