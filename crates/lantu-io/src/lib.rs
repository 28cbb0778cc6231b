//! # lantu-io: everything that touches files
//!
//! - [`Project`]: the project file naming each input layer; [`load_project`] reads it
//!   into a validated [`lantu_core::Dataset`] in one metric CRS, with a [`CheckReport`].
//! - [`load_osm`]: the same from an OpenStreetMap `.osm.pbf`, by a [`TagTable`].
//! - [`read_layer`]: any GDAL vector layer (GeoPackage, Shapefile in UTF-8 or GBK,
//!   GeoJSON, FlatGeobuf, CSV/XLSX with coordinate or WKT columns) into owned geometries.
//! - [`MetricCrs`] and [`ReprojectSpec`]: the CGCS2000 Gauss-Krüger or UTM zone of the
//!   data, and PROJ reprojection into it; [`GeoCoords`]: GCJ-02/BD-09 to WGS 84.
//! - [`read_dem`]: a DEM raster into an owned grid.
//! - [`write_inputs_gpkg`], [`write_csv`] and [`OutputDir`]: atomic outputs.
//!
//! GDAL datasets are read on one thread into owned data; everything after that is
//! plain Rust that runs in parallel.
#![deny(missing_docs)]

mod areas;
mod blueprint;
mod columns;
mod crs;
mod dbf;
mod dem;
mod error;
mod fields;
pub mod gcj02;
mod ingest;
mod join;
mod manifest;
mod osm;
mod outdir;
mod output;
mod project;
mod qgis;
mod report;
mod synth;
mod tables;
mod tables_out;
mod vector;
mod xlsx;

pub use areas::{widen_lines, GridTracer};
pub use blueprint::{blueprint_layers, geojson_left_out, write_blueprint, GEOJSON_MAX_FEATURES};
pub use columns::{column_label, ColumnLabel};
pub use crs::{MetricCrs, ReprojectSpec, Reprojector};
pub use dbf::{sniff_shapefile_encoding, DbfEncoding};
pub use dem::{read_dem, sample_heights, DemGrid};
pub use error::{IoError, Result};
pub use fields::{FieldMap, FieldRole};
pub use gcj02::GeoCoords;
pub use ingest::{load_project, Loaded};
pub use join::{normalise_code, normalise_name, JoinSource};
pub use manifest::{
    input_files, library_versions, peak_memory_mib, utc_now, warning_counts, write_manifest, InputFile, Manifest,
};
pub use osm::{load_osm, parse_other_tags, OsmOptions, TagTable, Tags, BUILTIN_OSM_TAGS};
pub use outdir::{remove_unfinished_outputs, OutputDir};
pub use output::{inputs_layers, write_geojson, write_gpkg, write_inputs_gpkg, ColumnType, LayerData};
pub use project::{DemSource, LayerRole, LayerSource, Project};
pub use qgis::{layer_qml, layer_title, write_layer_styles, write_qgis_project, ProjectLayer};
pub use report::{CheckReport, DemSummary, Finding, FindingKind, JoinReport, LayerReport, NetworkSummary};
pub use synth::{generate as synth_city, SynthOptions, SynthSummary};
pub use tables::{
    before_after_columns, before_after_rows, community_columns, community_rows, facility_columns, facility_rows,
    site_columns, site_rows, street_columns, street_rows, write_csv, Rows,
};
pub use tables_out::{write_tables, TableNotes};
pub use vector::{layer_names, read_layer, RawFeature, RawLayer, ReadOptions, Value};
pub use xlsx::{write_report_xlsx, Sheet};

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
