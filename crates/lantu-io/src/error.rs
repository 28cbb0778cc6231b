//! Errors of reading and writing, each naming the file, layer, feature and field.

use std::path::PathBuf;

/// The result of lantu-io operations.
pub type Result<T, E = IoError> = std::result::Result<T, E>;

/// Why a file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// The file is missing or no GDAL driver can read it.
    #[error("{path}: cannot open ({message})")]
    Open {
        /// The file.
        path: PathBuf,
        /// GDAL's or the system's reason.
        message: String,
    },
    /// The named layer is not in the file.
    #[error("{path}: no layer {layer:?}; the file has: {available}")]
    UnknownLayer {
        /// The file.
        path: PathBuf,
        /// The layer asked for.
        layer: String,
        /// The layers it has.
        available: String,
    },
    /// The layer has no CRS and the project gives none.
    #[error("{path} layer {layer}: no coordinate reference system; set `crs = \"EPSG:…\"` (or `coords = \"gcj02\"`) for this layer in the project file")]
    NoCrs {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
    },
    /// A table without geometry and without coordinate or WKT columns.
    #[error("{path} layer {layer}: no geometry, and no longitude/latitude (经度/纬度, lon/lat, x/y) or WKT column; name them with x/y or wkt under [<layer>.fields] in the project (fields: {fields})")]
    NoGeometry {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The layer's fields.
        fields: String,
    },
    /// The layer's geometries are of the wrong type for its role.
    #[error("{path} layer {layer}: {role} need {expected} geometries, but the layer holds {found}")]
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
    #[error("{path} layer {layer} feature {feature}: {message}")]
    Feature {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The feature id.
        feature: String,
        /// What is wrong.
        message: String,
    },
    /// The project file is wrong.
    #[error("project {path}: {message}")]
    Project {
        /// The project file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A CRS could not be built or used.
    #[error("CRS {crs}: {message}")]
    Crs {
        /// The definition.
        crs: String,
        /// PROJ's reason.
        message: String,
    },
    /// A raster (DEM) could not be read.
    #[error("{path}: DEM: {message}")]
    Raster {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An output could not be written.
    #[error("{path}: cannot write ({message})")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The output folder exists with other files in it.
    #[error("output folder {path} exists and is not empty; choose another or pass --force to replace it")]
    OutputExists {
        /// The folder.
        path: PathBuf,
    },
    /// The tag table for OpenStreetMap is wrong.
    #[error("OSM tag table {source_name}: {message}")]
    TagTable {
        /// Where it came from.
        source_name: String,
        /// What is wrong.
        message: String,
    },
}
