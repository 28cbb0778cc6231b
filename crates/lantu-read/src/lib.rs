//! # lantu-read: everything lantu reads
//!
//! - [`Project`]: the project file naming each input layer; [`load_project`] reads it
//!   into a validated [`lantu_core::Dataset`] in one metric CRS, with a [`CheckReport`].
//! - [`load_osm`]: the same from an OpenStreetMap `.osm.pbf`, by a [`TagTable`].
//! - [`read_layer`]: any GDAL vector layer (GeoPackage, Shapefile in UTF-8 or GBK,
//!   GeoJSON, FlatGeobuf, CSV/XLSX with coordinate or WKT columns) into owned geometries.
//! - [`MetricCrs`] and [`ReprojectSpec`]: the CGCS2000 Gauss-Krüger or UTM zone of the
//!   data, and PROJ reprojection into it; [`GeoCoords`]: GCJ-02/BD-09 to WGS 84.
//! - [`read_dem`]: a DEM raster into an owned grid.
//! - [`CheckReport`]: what reading found, per layer and feature, for `lantu check`.
//!
//! Writing is `lantu-write`'s job; the synthetic city lives in `lantu-synth`.
//!
//! GDAL datasets are read on one thread into owned data; everything after that is
//! plain Rust that runs in parallel.
#![deny(missing_docs)]

mod crs;
mod dbf;
mod dem;
mod error;
mod fields;
pub mod gcj02;
mod ingest;
mod join;
mod osm;
mod plan;
mod poi;
mod project;
mod report;
mod report_files;
mod vector;

pub use crs::{MetricCrs, ReprojectSpec, Reprojector};
pub use dbf::{sniff_shapefile_encoding, DbfEncoding};
pub use dem::{read_dem, sample_heights, DemGrid};
pub use error::{Cause, IoError, Result};
pub use fields::{FieldMap, FieldRole};
pub use gcj02::{wgs84_to_gcj02, GeoCoords};
pub use ingest::{load_project, Loaded};
pub use join::{normalise_code, normalise_name, JoinSource};
pub use osm::{load_osm, parse_other_tags, OsmOptions, TagTable, Tags, BUILTIN_OSM_TAGS};
pub use plan::{read_plan, PlanRead, PLAN_ROLES};
pub use poi::{PoiClass, PoiTable};
pub use project::{DemSource, LayerRole, LayerSource, Project};
pub use report::{
    CheckReport, DemSummary, Finding, FindingKind, JoinReport, LayerReport, NetworkSummary, PopulationForm,
    PopulationSummary, MAX_PLAUSIBLE_PER_KM2,
};
pub use report_files::{input_paths, warning_counts};
pub use vector::{layer_names, read_layer, RawFeature, RawLayer, ReadOptions, Value};

/// Prepares GDAL for lantu: all drivers, no `.aux.xml` side files, and GDAL's own
/// messages kept off the terminal (lantu reports problems itself). Call once at start.
pub fn init_gdal() {
    let _ = gdal::config::set_config_option("GDAL_PAM_ENABLED", "NO");
    let _ = gdal::config::set_config_option("OGR_GEOMETRY_ACCEPT_UNCLOSED_RING", "NO");
    // planners' sheets have a header row; GDAL's guess fails when every cell is text
    let _ = gdal::config::set_config_option("OGR_XLSX_HEADERS", "FORCE");
    let _ = gdal::config::set_config_option("OGR_ODS_HEADERS", "FORCE");
    // outputs are built in a temporary folder and renamed when complete, so SQLite need
    // not sync each transaction to disk: GeoPackages are written several times faster
    let _ = gdal::config::set_config_option("OGR_SQLITE_SYNCHRONOUS", "OFF");
    let _ = gdal::config::set_config_option("OGR_SQLITE_CACHE", "512");
    gdal::config::set_error_handler(|_, _, _| {});
}
