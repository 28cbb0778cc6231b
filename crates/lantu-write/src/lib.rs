//! # lantu-write: everything lantu writes
//!
//! - [`blueprint_layers`] and [`write_blueprint`]: a [`lantu_engine::Blueprint`] as the
//!   `blueprint.gpkg` GeoPackage (with QGIS styles in `layer_styles`), RFC 7946 GeoJSON and
//!   a `blueprint.qgs` project.
//! - [`write_tables`]: `tables/*.csv` and `report.xlsx`, with Chinese headers.
//! - [`GridTracer`]: coverage areas traced on a grid with GDAL, for the engine.
//! - [`write_manifest`]: what a run read, used and wrote.
//! - [`OutputDir`]: an output folder that appears complete or not at all.
//!
//! Layers and rows are built in parallel from owned data; each GDAL dataset is written
//! on one thread.
#![deny(missing_docs)]

mod areas;
mod blueprint;
mod columns;
mod compare;
mod docx;
mod error;
mod fgb;
mod geojson_out;
mod hilbert;
mod manifest;
mod outdir;
mod output;
mod plan_tables;
mod qgis;
mod registry_out;
mod tables;
mod tables_out;
mod trace;
mod xlsx;

// the CRS, the attribute value and the error of reading are those of writing too
pub use error::{Result, WriteError};
pub(crate) use lantu_read::{IoError, MetricCrs, Value};

pub use areas::{widen_lines, GridTracer};
pub use blueprint::{
    blueprint_layers, geojson_left_out, layer_source, write_blueprint, CORE_UNCOVERED, GEOJSON_MAX_FEATURES,
};
pub use columns::{column_label, ColumnLabel};
pub use compare::{compare_blueprints, write_comparison, ChangedCommunity, Comparison};
pub use docx::{application_docx_path, write_application_docx, ApplicationInput, TO_FILL};
pub use manifest::{
    library_versions, peak_memory_mib, utc, utc_now, write_manifest, InputFile, LayerCrs, Manifest, SiteChoice,
};
pub use outdir::{remove_unfinished_outputs, OutputDir};
pub use output::{
    fix_gpkg_timestamp, write_geojson, write_gpkg, write_inputs_gpkg, ColumnType, GeometryKind, LayerData,
};
pub use plan_tables::{
    application_columns, application_rows, pilot_columns, pilot_rows, plan_before_after_columns,
    plan_before_after_rows, project_columns, project_rows,
};
pub use qgis::{layer_qml, layer_title};
pub use registry_out::{registry_json, write_registry};
pub use tables::{
    community_columns, community_rows, community_table, csv_cell, csv_cell_read, street_columns, street_rows,
    street_table, write_csv, Column, CommunityCell, CommunityColumn, Rows, StreetCell, StreetColumn,
};
pub use tables_out::{write_tables, TableNotes};
pub use xlsx::{write_report_xlsx, PrintTitle, Sheet};
