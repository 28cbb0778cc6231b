//! The project file: which file holds which layer, and how to read it.
//!
//! ```toml
//! name = "渝中区"
//! note = "征求意见稿"              # optional; printed on every table, sheet and map
//! metric_crs = "EPSG:4545"        # optional; chosen from the data otherwise
//! profile = "my-rules.toml"        # optional overrides of the built-in profile
//!
//! [communities]
//! path = "communities.shp"
//! encoding = "GBK"                 # optional; detected when missing
//! [communities.fields]
//! households = "HH_2023"           # optional; common names are recognised
//!
//! [facilities]
//! path = "facilities.csv"
//! coords = "gcj02"                 # longitude/latitude in GCJ-02 (or bd09, wgs84)
//!
//! [population]                     # optional: people per cell (WorldPop, LandScan, 七普 grids)
//! path = "chn_ppp_2020_100m.tif"
//!
//! [landuse]                        # optional: 用地性质 polygons where buildings give no use
//! path = "用地现状.shp"
//! ```

use crate::{GeoCoords, IoError, Result};
use lantu_core::Text;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The role a layer plays in the analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LayerRole {
    /// 社区 polygons.
    Communities,
    /// 街道 polygons.
    Streets,
    /// Building footprints.
    Buildings,
    /// Existing service facilities.
    Facilities,
    /// Walkable lines.
    Walkways,
    /// Idle buildings (闲置资源).
    Candidates,
    /// Building entrances (points on the outlines): walks start at the best one.
    Entrances,
}

impl LayerRole {
    /// Every role, in reading order.
    pub const ALL: [LayerRole; 7] = [
        LayerRole::Communities,
        LayerRole::Streets,
        LayerRole::Buildings,
        LayerRole::Facilities,
        LayerRole::Walkways,
        LayerRole::Candidates,
        LayerRole::Entrances,
    ];
    /// The key of the role in the project file and the layer name in outputs.
    pub fn key(self) -> &'static str {
        match self {
            LayerRole::Communities => "communities",
            LayerRole::Streets => "streets",
            LayerRole::Buildings => "buildings",
            LayerRole::Facilities => "facilities",
            LayerRole::Walkways => "walkways",
            LayerRole::Candidates => "candidates",
            LayerRole::Entrances => "entrances",
        }
    }
    /// The Chinese name of the role.
    pub fn name_zh(self) -> &'static str {
        match self {
            LayerRole::Communities => "社区",
            LayerRole::Streets => "街道",
            LayerRole::Buildings => "建筑",
            LayerRole::Facilities => "服务设施",
            LayerRole::Walkways => "步行网络",
            LayerRole::Candidates => "闲置资源",
            LayerRole::Entrances => "建筑出入口",
        }
    }
}

/// How to read one input layer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSource {
    /// The file (relative to the project file).
    pub path: PathBuf,
    /// The layer inside the file; the first (or only) layer when missing.
    pub layer: Option<String>,
    /// Overrides the CRS the file declares, e.g. `EPSG:4545`.
    pub crs: Option<String>,
    /// Longitude/latitude in GCJ-02 or BD-09 (converted to WGS 84 first).
    pub coords: Option<GeoCoords>,
    /// Text encoding of the attributes (Shapefile DBF), e.g. `GBK`.
    pub encoding: Option<String>,
    /// Field mapping: role → field name in the file (see `lantu check`).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Attribute tables joined to this layer (`[[communities.join]]`, communities only).
    #[serde(default)]
    pub join: Vec<crate::join::JoinSource>,
}

/// The DEM raster.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemSource {
    /// GeoTIFF, SRTM `.hgt`, or a `.zip` holding one.
    pub path: PathBuf,
}

/// A project: the input layers of one analysis.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// A name for titles.
    pub name: Option<String>,
    /// A note carried onto every table, sheet and map, e.g. `"合成示例数据"` for made-up
    /// data or `"征求意见稿"` for a draft.
    pub note: Option<String>,
    /// The metric CRS to work in; chosen from the data when missing.
    pub metric_crs: Option<String>,
    /// A profile file overriding the built-in one.
    pub profile: Option<PathBuf>,
    /// 社区 (required).
    pub communities: Option<LayerSource>,
    /// 街道 (optional; otherwise from the communities' street fields).
    pub streets: Option<LayerSource>,
    /// Buildings.
    pub buildings: Option<LayerSource>,
    /// Facilities.
    pub facilities: Option<LayerSource>,
    /// Walkways.
    pub walkways: Option<LayerSource>,
    /// Candidate sites.
    pub candidates: Option<LayerSource>,
    /// Building entrances (points).
    pub entrances: Option<LayerSource>,
    /// DEM.
    pub dem: Option<DemSource>,
    /// A population grid: a raster of people per cell (WorldPop, LandScan) or points or
    /// polygons with a people field (`[population.fields] people = "…"`).
    pub population: Option<LayerSource>,
    /// Land-use polygons (用地性质: GB 50137 R/B/M…, or 国土空间 用地用海 07 …) that tell
    /// homes from other buildings where the buildings give no use.
    pub landuse: Option<LayerSource>,
    /// Where the project file is; relative paths start here.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The project file itself.
    #[serde(skip)]
    pub file: PathBuf,
}

impl Project {
    /// Reads a project file.
    pub fn load(path: &Path) -> Result<Project> {
        let text =
            std::fs::read_to_string(path).map_err(|e| IoError::Open { path: path.to_path_buf(), source: e.into() })?;
        let mut p: Project = toml::from_str(&text)
            .map_err(|e| IoError::Project { path: path.to_path_buf(), message: Text::verbatim(e.to_string()) })?;
        p.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        p.file = path.to_path_buf();
        if p.communities.is_none() {
            return Err(IoError::Project {
                path: path.to_path_buf(),
                message: Text::new(
                    "没有 [communities] 图层：lantu 需要社区边界",
                    "no [communities] layer: lantu needs community boundaries",
                ),
            });
        }
        let empty = |what: String| IoError::Project {
            path: path.to_path_buf(),
            message: Text::new(format!("{what}：路径为空"), format!("{what}: the path is empty")),
        };
        for role in LayerRole::ALL {
            if let Some(l) = p.layer(role) {
                if l.path.as_os_str().is_empty() {
                    return Err(empty(format!("[{}] path", role.key())));
                }
                if l.join.iter().any(|j| j.path.as_os_str().is_empty()) {
                    return Err(empty(format!("[[{}.join]] path", role.key())));
                }
            }
        }
        if p.dem.as_ref().is_some_and(|d| d.path.as_os_str().is_empty()) {
            return Err(empty("[dem] path".into()));
        }
        for (key, grid) in [("population", &p.population), ("landuse", &p.landuse)] {
            let Some(grid) = grid else { continue };
            if grid.path.as_os_str().is_empty() {
                return Err(empty(format!("[{key}] path")));
            }
            if !grid.join.is_empty() {
                return Err(IoError::Project {
                    path: path.to_path_buf(),
                    message: Text::new(
                        format!("[[{key}.join]]：属性表只能连接到社区"),
                        format!("[[{key}.join]]: attribute tables join to the communities only"),
                    ),
                });
            }
        }
        for role in LayerRole::ALL.into_iter().filter(|r| *r != LayerRole::Communities) {
            if p.layer(role).is_some_and(|l| !l.join.is_empty()) {
                return Err(IoError::Project {
                    path: path.to_path_buf(),
                    message: Text::new(
                        format!("[[{}.join]]：属性表只能连接到社区", role.key()),
                        format!("[[{}.join]]: attribute tables join to the communities only", role.key()),
                    ),
                });
            }
        }
        Ok(p)
    }

    /// The source of a layer role, if the project names one.
    pub fn layer(&self, role: LayerRole) -> Option<&LayerSource> {
        match role {
            LayerRole::Communities => self.communities.as_ref(),
            LayerRole::Streets => self.streets.as_ref(),
            LayerRole::Buildings => self.buildings.as_ref(),
            LayerRole::Facilities => self.facilities.as_ref(),
            LayerRole::Walkways => self.walkways.as_ref(),
            LayerRole::Candidates => self.candidates.as_ref(),
            LayerRole::Entrances => self.entrances.as_ref(),
        }
    }

    /// Every file the project reads, resolved: the project file, its profile, each layer
    /// (with a Shapefile's sidecar files) and joined table, and the DEM. An output folder
    /// must not be, hold or lie inside any of them.
    pub fn input_files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.file.clone()];
        files.extend(self.profile.as_ref().map(|p| self.resolve(p)));
        for layer in LayerRole::ALL.into_iter().filter_map(|r| self.layer(r)) {
            let path = self.resolve(&layer.path);
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("shp")) {
                for ext in ["dbf", "shx", "prj", "cpg", "qix", "sbn", "sbx", "DBF", "SHX", "PRJ", "CPG"] {
                    files.push(path.with_extension(ext));
                }
            }
            files.push(path);
            files.extend(layer.join.iter().map(|j| self.resolve(&j.path)));
        }
        files.extend(self.dem.as_ref().map(|d| self.resolve(&d.path)));
        files.extend(self.population.as_ref().map(|d| self.resolve(&d.path)));
        files.extend(self.landuse.as_ref().map(|d| self.resolve(&d.path)));
        files
    }

    /// A path of the project resolved against its folder.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }
}
