//! What is served: each output folder's layers, read once, in WGS 84, with an R-tree.

use crate::ServeError;
use geo::{BoundingRect, Geometry};
use lantu_core::Lang;
use lantu_read::{read_layer, ReadOptions, ReprojectSpec, Value};
use rayon::prelude::*;
use rstar::{RTree, RTreeObject, AABB};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// One served feature: its id (1-based, the layer's order), attribute values, geometry (WGS 84).
pub struct Feature {
    /// 1-based id within its collection.
    pub id: u64,
    /// Its attribute values, in the order of [`Collection::fields`] (the names are held once
    /// per layer: a city's million features with their names each took gigabytes).
    pub values: Box<[Json]>,
    /// Longitude/latitude.
    pub geometry: Geometry,
    /// Its bounding box (min lon, min lat, max lon, max lat).
    pub bbox: [f64; 4],
}

/// A feature's box in the R-tree, with its index in the collection.
pub(crate) struct Boxed {
    env: AABB<[f64; 2]>,
    pub index: usize,
}

impl RTreeObject for Boxed {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

/// One layer of one folder, as a collection.
pub struct Collection {
    /// Its id in the API (`communities`, or `demo_communities` when several folders are served).
    pub id: String,
    /// The layer's code (`communities`).
    pub layer: String,
    /// Its attribute names.
    pub fields: Vec<String>,
    /// The folder's short name.
    pub folder: String,
    /// Chinese and English titles, from the output registry.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// Its features, in the layer's order.
    pub features: Vec<Feature>,
    pub(crate) tree: RTree<Boxed>,
    /// The extent of all features.
    pub extent: [f64; 4],
}

impl Collection {
    /// Indices of the features whose box meets `bbox`, in the layer's order.
    pub fn in_bbox(&self, bbox: [f64; 4]) -> Vec<usize> {
        let env = AABB::from_corners([bbox[0], bbox[1]], [bbox[2], bbox[3]]);
        let mut v: Vec<usize> = self.tree.locate_in_envelope_intersecting(&env).map(|b| b.index).collect();
        v.sort_unstable();
        v
    }
}

/// One served output folder.
pub struct Folder {
    /// Its short name (the folder's name, made safe for URLs).
    pub slug: String,
    /// The folder, canonical.
    pub dir: PathBuf,
    /// Its page folder (`web/`), canonical, when it has one.
    pub web: Option<PathBuf>,
}

/// Everything served.
pub struct Catalog {
    /// The folders, in the order given.
    pub folders: Vec<Folder>,
    /// Every layer of every folder.
    pub collections: Vec<Collection>,
}

/// The layers of an output folder: those of `blueprint.gpkg`, then the large ones kept
/// beside it in `layers/*.fgb` (a city's buildings and walkways).
fn layer_files(dir: &Path) -> Result<Vec<(PathBuf, String)>, ServeError> {
    let gpkg = dir.join("blueprint.gpkg");
    if !gpkg.is_file() {
        return Err(ServeError::NotAnOutput { dir: dir.to_path_buf() });
    }
    let mut out: Vec<(PathBuf, String)> = lantu_read::layer_names(&gpkg)
        .map_err(|e| ServeError::Read { path: gpkg.clone(), message: e.to_string() })?
        .into_iter()
        .filter(|n| n != "layer_styles")
        .map(|n| (gpkg.clone(), n))
        .collect();
    if let Ok(entries) = std::fs::read_dir(dir.join("layers")) {
        let mut fgb: Vec<PathBuf> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "fgb")).collect();
        fgb.sort();
        for p in fgb {
            let name = p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            if !out.iter().any(|(_, n)| *n == name) {
                out.push((p, name));
            }
        }
    }
    Ok(out)
}

fn slug_of(dir: &Path) -> String {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let s: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    if s.is_empty() {
        "out".into()
    } else {
        s
    }
}

fn json_value(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Int(i) => Json::from(*i),
        Value::Real(x) if x.is_finite() => Json::from(*x),
        Value::Real(_) => Json::Null,
        Value::Text(t) => Json::from(t.clone()),
    }
}

fn read_collection(folder: &str, path: &Path, layer: &str, prefix: bool) -> Result<Collection, ServeError> {
    let read_err = |message: String| ServeError::Read { path: path.to_path_buf(), message };
    let raw = read_layer(path, &ReadOptions { layer: Some(layer), ..Default::default() })
        .map_err(|e| read_err(format!("{layer}: {e}")))?;
    let mut features: Vec<(Box<[Json]>, Option<Geometry>)> =
        raw.features.into_iter().map(|f| (f.values.iter().map(json_value).collect(), f.geometry)).collect();
    if let Some(crs) = &raw.crs {
        let spec = ReprojectSpec { from: crs.clone(), coords: lantu_read::GeoCoords::Wgs84, to: "EPSG:4326".into() };
        spec.for_each_chunk(&mut features, |r, (_, g)| {
            if let Some(geom) = g {
                if r.geometry(geom).is_err() {
                    *g = None;
                }
            }
        })
        .map_err(|e| read_err(format!("{layer}: {e}")))?;
    }
    let features: Vec<Feature> = features
        .into_iter()
        .filter_map(|(values, g)| Some((values, g?)))
        .enumerate()
        .filter_map(|(i, (values, geometry))| {
            let r = geometry.bounding_rect()?;
            let bbox = [r.min().x, r.min().y, r.max().x, r.max().y];
            Some(Feature { id: i as u64 + 1, values, geometry, bbox })
        })
        .collect();
    let tree = RTree::bulk_load(
        features
            .iter()
            .enumerate()
            .map(|(index, f)| Boxed { env: AABB::from_corners([f.bbox[0], f.bbox[1]], [f.bbox[2], f.bbox[3]]), index })
            .collect(),
    );
    let extent = features.iter().fold([f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY], |e, f| {
        [e[0].min(f.bbox[0]), e[1].min(f.bbox[1]), e[2].max(f.bbox[2]), e[3].max(f.bbox[3])]
    });
    let title = |lang| match lantu_core::registry::layer_title(layer, lang) {
        "" => layer.to_string(),
        t => t.to_string(),
    };
    Ok(Collection {
        id: if prefix { format!("{folder}_{layer}") } else { layer.to_string() },
        layer: layer.to_string(),
        fields: raw.fields,
        folder: folder.to_string(),
        title_zh: title(Lang::Zh),
        title_en: title(Lang::En),
        features,
        tree,
        extent,
    })
}

impl Catalog {
    /// Reads every layer of every folder (each a finished output with `blueprint.gpkg`).
    pub fn load(dirs: &[PathBuf]) -> Result<Catalog, ServeError> {
        let mut folders: Vec<Folder> = Vec::new();
        for d in dirs {
            let dir = d.canonicalize().map_err(|e| ServeError::Read { path: d.clone(), message: e.to_string() })?;
            let mut slug = slug_of(&dir);
            while folders.iter().any(|f| f.slug == slug) {
                slug.push('_');
            }
            let web = dir.join("web").canonicalize().ok().filter(|w| w.starts_with(&dir) && w.is_dir());
            folders.push(Folder { slug, dir, web });
        }
        let prefix = folders.len() > 1;
        let mut jobs = Vec::new();
        for f in &folders {
            for (path, layer) in layer_files(&f.dir)? {
                jobs.push((f.slug.clone(), path, layer));
            }
        }
        // one GDAL dataset per layer and thread: datasets are not shared between threads
        let collections = jobs
            .par_iter()
            .map(|(slug, path, layer)| read_collection(slug, path, layer, prefix))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Catalog { folders, collections })
    }

    /// The index of the collection with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.collections.iter().position(|c| c.id == id)
    }

    /// The collection with this id.
    pub fn collection(&self, id: &str) -> Option<&Collection> {
        self.index_of(id).map(|i| &self.collections[i])
    }
}
