//! `manifest.json`: what was read, with which rules and libraries, and what was written.

use crate::error::{OutputError, Result};
use lantu_core::{Analysis, Profile};
use lantu_read::{input_paths, warning_counts, Loaded};
use lantu_write::{library_versions, utc_now, write_manifest, InputFile, LayerCrs, Manifest, SiteChoice};
use std::path::Path;

pub(crate) fn write_run_manifest(
    loaded: &Loaded,
    profile: &Profile,
    analysis: &Analysis,
    stages: &[(String, f64)],
    command: &[String],
    sites: Option<&lantu_core::SitePlan>,
    dir: &Path,
) -> Result<()> {
    let (gdal_version, proj_version) = library_versions();
    let mut outputs = Vec::new();
    list_files(dir, dir, &mut outputs);
    outputs.push("manifest.json".into());
    outputs.sort();
    let m = Manifest {
        lantu_version: env!("CARGO_PKG_VERSION").into(),
        generated_utc: utc_now(),
        command: command.to_vec(),
        inputs: input_paths(&loaded.report).iter().filter_map(|p| InputFile::of(p).ok()).collect(),
        layers_crs: loaded
            .report
            .layers
            .iter()
            .map(|l| LayerCrs {
                layer: l.role.key().into(),
                path: l.path.display().to_string(),
                crs: l.crs.en.clone(),
                converted_from: l.lonlat.filter(|c| *c != lantu_read::GeoCoords::Wgs84).map(|c| c.key().into()),
                datum_suspected: l.of_kind(lantu_read::FindingKind::Datum).next().map(|f| f.text.en.clone()),
            })
            .chain(loaded.report.population.iter().map(|p| LayerCrs {
                layer: "population".into(),
                path: p.path.display().to_string(),
                crs: p.crs.clone(),
                converted_from: None,
                datum_suspected: None,
            }))
            .collect(),
        metric_crs: loaded.report.metric_crs.definition.clone(),
        metric_crs_reason: loaded.report.metric_crs.reason.en.clone(),
        metric: analysis.metric.into(),
        profile: serde_json::to_value(profile)
            .map_err(|e| OutputError::File { path: dir.join("manifest.json"), source: std::io::Error::other(e) })?,
        gdal_version,
        proj_version,
        warnings: warning_counts(&loaded.report),
        errors: loaded.report.errors.iter().map(|e| e.en.clone()).collect(),
        stages: stages.to_vec(),
        outputs,
        sites: sites.map(|p| SiteChoice {
            method: p.method.describe(lantu_core::Lang::En),
            objective: p.objective,
            best_bound: p.upper_bound,
            gap: p.gap_to_bound(),
        }),
    };
    write_manifest(&dir.join("manifest.json"), &m)?;
    Ok(())
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            list_files(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.display().to_string());
        }
    }
}
