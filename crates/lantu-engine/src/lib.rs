//! # lantu-engine: one run of the analysis, for every front door
//!
//! The command line, the QGIS plugin and the web page all ask the same question: given a
//! loaded [`Dataset`](lantu_core::Dataset) and a [`Profile`](lantu_core::Profile), what is
//! the blueprint? [`run`] answers with one [`Blueprint`] value — the gap analysis (with
//! slope, on flat ground and barrier-free), the walking network it used, coverage areas,
//! and site recommendations with their "after" figures — and reports its stages to a
//! [`Progress`] observer as it goes.
//!
//! The engine reads no file and writes none: ground heights come in through
//! [`GroundHeights`] and coverage areas are traced by an [`AreaTracer`], both supplied by
//! the caller (the reading and writing crates implement them with GDAL and PROJ).
//!
//! [`style`] holds what writers and the renderer draw alike (the gap classes, their
//! labels, the label font).
#![deny(missing_docs)]

mod areas;
mod blueprint;
mod error;
mod plans;
mod progress;
mod run;
mod sites;
pub mod style;

pub use areas::{coverage_areas, AreaTracer};
pub use blueprint::{Blueprint, CoverageArea, NetworkResult, SiteOutcome, Sites};
pub use error::EngineError;
pub use lantu_core::registry;
pub use plans::{
    pilot_outcome, plan_outcomes, site_id_and_name, site_in_words, stations_in_words, PilotOutcome, PlanOutcome,
};
pub use progress::{Event, NoProgress, Progress, Stage};
pub use run::{run, GroundHeights, Inputs, MetricChoice, Options, SitesWanted};
pub use sites::plan_sites;
