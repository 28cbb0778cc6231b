//! Many areas in one go: `lantu batch split` writes one project per area from one set of
//! layers (a city's districts, a province's cities), a driver runs `lantu analyze` on each
//! (see `batch/` for the Dask one), and `lantu batch merge` puts the areas' blueprints side
//! by side in one summary folder.
#![deny(missing_docs)]

mod error;
mod memory;
mod merge;
mod split;
mod words;

pub use error::{BatchError, Result};
pub use memory::estimate_peak_mib;
pub use merge::{area_folders, merge, Merge, MergeOptions, MergedArea, TextTable};
pub use split::{largest_circle_m, split, Area, AreaKey, Split, SplitOptions, MANIFEST_COLUMNS};
pub use words::{merge_in_words, split_in_words};
