//! `manifest.json`: what a run read, with which rules and software, what it warned
//! about, and how long each stage took.

use crate::{IoError, Result, WriteError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// One input file.
#[derive(Clone, Debug, Serialize)]
pub struct InputFile {
    /// The path as given.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

impl InputFile {
    /// Reads and hashes a file.
    pub fn of(path: &Path) -> Result<InputFile> {
        let bytes = std::fs::read(path).map_err(|e| IoError::Open { path: path.to_path_buf(), source: e.into() })?;
        let hash = Sha256::digest(&bytes);
        Ok(InputFile {
            path: path.display().to_string(),
            bytes: bytes.len() as u64,
            sha256: hash.iter().map(|b| format!("{b:02x}")).collect(),
        })
    }
}

/// How one input layer's coordinates were taken.
#[derive(Clone, Debug, Serialize)]
pub struct LayerCrs {
    /// The layer's role (`communities`, `facilities` …).
    pub layer: String,
    /// The file.
    pub path: String,
    /// The CRS, and whether it was declared by the file, a `.prj` beside it or the project.
    pub crs: String,
    /// The conversion applied before PROJ: `gcj02` or `bd09` (to WGS 84), or none.
    pub converted_from: Option<String>,
    /// What the check suspects of the layer's datum (points about one GCJ-02 offset from
    /// the buildings), if anything.
    pub datum_suspected: Option<String>,
}

/// The manifest of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    /// lantu's version.
    pub lantu_version: String,
    /// When, UTC (ISO 8601).
    pub generated_utc: String,
    /// The command line.
    pub command: Vec<String>,
    /// Input files.
    pub inputs: Vec<InputFile>,
    /// Each layer's CRS as declared or detected, and any conversion.
    pub layers_crs: Vec<LayerCrs>,
    /// The metric CRS and why.
    pub metric_crs: String,
    /// Why that CRS.
    pub metric_crs_reason: String,
    /// How distances were measured.
    pub metric: String,
    /// The profile in force.
    pub profile: serde_json::Value,
    /// GDAL's version.
    pub gdal_version: String,
    /// PROJ's version.
    pub proj_version: String,
    /// Findings per layer and kind: counts.
    pub warnings: BTreeMap<String, BTreeMap<String, usize>>,
    /// Problems that stopped the analysis.
    pub errors: Vec<String>,
    /// Seconds per stage.
    pub stages: Vec<(String, f64)>,
    /// Files written, relative to the output folder.
    pub outputs: Vec<String>,
    /// How the recommended sites were chosen, when they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sites: Option<SiteChoice>,
}

/// How the recommended sites were chosen: the method and how close to the best possible.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteChoice {
    /// The method, in English (e.g. "exact (…), proven optimal").
    pub method: String,
    /// The objective the plan reaches.
    pub objective: f64,
    /// The best bound on any plan's objective.
    pub best_bound: f64,
    /// (bound − objective) ÷ bound: 0 when the plan is proven optimal.
    pub gap: f64,
}

/// GDAL's and PROJ's versions.
pub fn library_versions() -> (String, String) {
    let gdal = gdal::version::version_info("RELEASE_NAME");
    let proj = proj::Proj::new_known_crs("EPSG:4326", "EPSG:3857", None)
        .ok()
        .and_then(|p| p.lib_info().ok())
        .map(|i| i.version)
        .unwrap_or_default();
    (gdal, proj)
}

/// The current time, UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_now() -> String {
    utc(std::time::SystemTime::now())
}

/// A time as `YYYY-MM-DDTHH:MM:SSZ`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// assert_eq!(lantu_write::utc(UNIX_EPOCH + Duration::from_secs(1_733_529_600)), "2024-12-07T00:00:00Z");
/// ```
pub fn utc(t: std::time::SystemTime) -> String {
    let secs = t.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // civil from days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Writes the manifest as pretty JSON.
pub fn write_manifest(path: &Path, m: &Manifest) -> Result<()> {
    let text = serde_json::to_string_pretty(m)
        .map_err(|e| WriteError::Write { path: path.to_path_buf(), source: e.into() })?;
    std::fs::write(path, text).map_err(|e| WriteError::write(path, e))
}

/// The process's peak resident memory so far, MiB (Linux `VmHWM`; NaN elsewhere).
pub fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
