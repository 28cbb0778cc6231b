//! What a check report names, for the run's manifest.

use crate::CheckReport;
use std::collections::BTreeMap;

/// The input files a report names (unique, in order).
pub fn input_paths(report: &CheckReport) -> Vec<std::path::PathBuf> {
    let mut seen = Vec::new();
    let layers = report.layers.iter().map(|l| l.path.clone());
    let joins = report.joins.iter().map(|j| j.path.clone());
    let grids = report
        .dem
        .iter()
        .map(|d| d.path.clone())
        .chain(report.population.iter().map(|p| p.path.clone()))
        .chain(report.landuse.iter().cloned())
        .chain(report.project_files.iter().cloned());
    for p in layers.chain(joins).chain(grids) {
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen
}

/// Findings counted per layer and kind, for the manifest.
pub fn warning_counts(report: &CheckReport) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for l in &report.layers {
        for f in &l.findings {
            *out.entry(l.role.key().to_string()).or_default().entry(format!("{:?}", f.kind)).or_default() += 1;
        }
    }
    out
}
