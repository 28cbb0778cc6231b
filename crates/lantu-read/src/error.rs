//! Errors of reading, each naming the file, layer, feature and field.

use lantu_core::{Lang, Localized, Text};
use std::path::PathBuf;

/// The result of reading.
pub type Result<T, E = IoError> = std::result::Result<T, E>;

/// The underlying cause of an error (GDAL's, PROJ's, the system's, or lantu's words when
/// there is no other), printed after the error by `{:#}`.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// The file is missing or no GDAL driver can read it.
    Open {
        /// The file.
        path: PathBuf,
        /// GDAL's or the system's reason.
        #[source]
        source: Cause,
    },
    /// The named layer is not in the file.
    UnknownLayer {
        /// The file.
        path: PathBuf,
        /// The layer asked for.
        layer: String,
        /// The layers it has.
        available: String,
    },
    /// The layer has no CRS and the project gives none.
    NoCrs {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
    },
    /// A table without geometry and without coordinate or WKT columns.
    NoGeometry {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The layer's fields.
        fields: String,
    },
    /// The layer's geometries are of the wrong type for its role.
    WrongGeometryType {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The role of the layer (communities, ...).
        role: String,
        /// What is needed.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A feature could not be read.
    Feature {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The feature id.
        feature: String,
        /// What is wrong.
        message: Text,
    },
    /// A plan of projects cannot be used.
    Plan {
        /// The plan file.
        path: PathBuf,
        /// What is wrong.
        message: Text,
    },
    /// A plan's coordinates are projected or WKT and neither the file nor the caller names
    /// their CRS.
    PlanNoCrs {
        /// The plan file.
        path: PathBuf,
    },
    /// A layer beside the main ones (population grid, land use) cannot be used.
    SideLayer {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: Text,
    },
    /// The project file is wrong.
    Project {
        /// The project file.
        path: PathBuf,
        /// What is wrong.
        message: Text,
    },
    /// A CRS could not be built or used.
    Crs {
        /// The definition.
        crs: String,
        /// PROJ's reason.
        #[source]
        source: Cause,
    },
    /// A raster (DEM) could not be read.
    Raster {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        source: Cause,
    },
    /// The text of a layer is in neither the declared encoding nor GBK.
    Encoding {
        /// The file.
        path: PathBuf,
        /// What its .cpg declares, if any.
        declared: Option<String>,
    },
    /// The tag table for OpenStreetMap is wrong.
    TagTable {
        /// Where it came from.
        source_name: String,
        /// What is wrong.
        message: Text,
    },
}

impl Localized for IoError {
    fn message(&self, lang: Lang) -> String {
        use IoError::*;
        let (zh, en) = match self {
            Open { path, .. } => {
                let p = path.display();
                (format!("{p}：无法打开"), format!("{p}: cannot open"))
            }
            UnknownLayer { path, layer, available } => {
                let p = path.display();
                (
                    format!("{p}：文件中没有图层 {layer:?}，现有图层：{available}"),
                    format!("{p}: no layer {layer:?}; the file has: {available}"),
                )
            }
            NoCrs { path, layer } => {
                let p = path.display();
                (
                    format!("{p} 图层 {layer}：没有坐标系，请在项目文件中为该图层设置 crs = \"EPSG:…\"（或 coords = \"gcj02\"，或坐标系文件 crs = \"….prj\"）"),
                    format!("{p} layer {layer}: no coordinate reference system; set `crs = \"EPSG:…\"` (or `coords = \"gcj02\"`, or a CRS file `crs = \"….prj\"`) for this layer in the project file"),
                )
            }
            NoGeometry { path, layer, fields } => {
                let p = path.display();
                (
                    format!("{p} 图层 {layer}：没有几何，也没有经纬度（经度/纬度、lon/lat、x/y）或 WKT 列；请在项目文件的 [<图层>.fields] 中用 x/y 或 wkt 指明（字段：{fields}）"),
                    format!("{p} layer {layer}: no geometry, and no longitude/latitude (经度/纬度, lon/lat, x/y) or WKT column; name them with x/y or wkt under [<layer>.fields] in the project (fields: {fields})"),
                )
            }
            WrongGeometryType { path, layer, role, expected, found } => {
                let p = path.display();
                (
                    format!("{p} 图层 {layer} 的几何类型不符：{role} 需要 {expected}，图层中是 {found}"),
                    format!("{p} layer {layer}: {role} need {expected} geometries, but the layer holds {found}"),
                )
            }
            Feature { path, layer, feature, message } => {
                let p = path.display();
                (
                    format!("{p} 图层 {layer} 要素 {feature}：{}", message.zh),
                    format!("{p} layer {layer} feature {feature}: {}", message.en),
                )
            }
            Plan { path, message } => {
                let p = path.display();
                (
                    format!("{p}：规划项目表无法使用：{}", message.zh),
                    format!("{p}: the plan cannot be used: {}", message.en),
                )
            }
            PlanNoCrs { path } => {
                let p = path.display();
                (
                    format!("{p}：规划项目表的坐标系未知，请指定（EPSG:…）"),
                    format!("{p}: the plan's CRS is unknown: name it (EPSG:…)"),
                )
            }
            SideLayer { path, message } => {
                let p = path.display();
                (format!("{p}：{}", message.zh), format!("{p}: {}", message.en))
            }
            Project { path, message } => {
                let p = path.display();
                (format!("项目文件 {p}：{}", message.zh), format!("project {p}: {}", message.en))
            }
            Crs { crs, .. } => (format!("坐标系 {crs}"), format!("CRS {crs}")),
            Raster { path, .. } => {
                let p = path.display();
                (format!("{p}：数字高程模型（DEM）无法使用"), format!("{p}: the DEM cannot be used"))
            }
            Encoding { path, declared } => {
                let p = path.display();
                (
                    format!(
                        "{p}：属性文本的编码无法识别{}；请在项目文件中为该图层设置 encoding = \"…\"（如 \"GBK\"、\"GB18030\"、\"Big5\"）",
                        declared.as_ref().map_or(String::new(), |d| format!("（.cpg 声明 {d}，但文本不是 {d}）"))
                    ),
                    format!(
                        "{p}: the attributes are in an encoding lantu cannot recognise{}; set encoding = \"…\" (e.g. \"GBK\", \"GB18030\", \"Big5\") for this layer in the project file",
                        declared.as_ref().map_or(String::new(), |d| format!(" (the .cpg says {d}, but the text is not {d})"))
                    ),
                )
            }
            TagTable { source_name, message } => (
                format!("OSM 标签表 {source_name}：{}", message.zh),
                format!("OSM tag table {source_name}: {}", message.en),
            ),
        };
        lang.pick(zh, en)
    }
}

lantu_core::display_in_chinese!(IoError);
