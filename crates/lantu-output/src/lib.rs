//! # lantu-output: the finished output folder, for every front door
//!
//! [`write_outputs`] takes what [`lantu_read`] loaded, the rules and the engine's options,
//! runs the engine and writes the folder a planner opens: `check.txt`, `blueprint.gpkg`
//! with its QGIS styles and project, GeoJSON and FlatGeobuf layers, the tables (CSV, XLSX),
//! `registry.json` (every layer and column described once, from
//! [`lantu_engine::registry`]), the interactive page, the PNG maps and pilot sheets,
//! `blueprint.pdf`, the 申报方案 draft (DOCX) and `manifest.json` — into a temporary
//! folder that is moved into place only when everything is written. [`write_comparison`]
//! does the same for two finished folders (`lantu compare`).
//!
//! The command line, the QGIS plugin (through the command line) and batch runs produce the
//! same folder through these functions; a front door only parses its options, listens to
//! [`Events`] and reports errors.
#![deny(missing_docs)]

mod assemble;
mod book;
mod check;
mod compare;
mod error;
mod events;
mod examples;
mod manifest;
mod notes;
mod sheets;
mod summary;

pub use assemble::{all_circles_by_default, read_plans, write_outputs, OutputOptions, Written, DEFAULT_SITES};
pub use check::{check_report, thousands};
pub use compare::{write_comparison, Compared};
pub use error::{error_in_words, message_of, OutputError, Result};
pub use events::{progress_json_line, threads_clamped, Events, Silent};
pub use examples::{load_example, Example};
pub use notes::area_name;
pub use summary::{site_outcome_line, sites_summary, summary, timings};
