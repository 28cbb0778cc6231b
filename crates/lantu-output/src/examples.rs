//! The embedded examples `lantu demo` runs: a small synthetic Chongqing-like district
//! (households, floor areas, complexes, 有条件 and 集中建设 flags that make the rules differ
//! from community to community, marked 合成示例数据 everywhere), or the real Monaco extract.

use crate::error::{OutputError, Result};
use lantu_core::Profile;
use lantu_read::{load_osm, load_project, Loaded, OsmOptions, Project, TagTable};

/// The Monaco example, embedded so the binary runs it from anywhere.
const MONACO_PBF: &[u8] = include_bytes!("../../../data/examples/monaco/monaco.osm.pbf");
const MONACO_DEM: &[u8] = include_bytes!("../../../data/examples/monaco/N43E007.hgt.zip");
/// Monaco's wards (quartiers) are `admin_level=10`.
const MONACO_ADMIN_LEVEL: u8 = 10;
/// The synthetic district: a few streets of real central-Chongqing names, a few seconds' run.
const SYNTH_COMMUNITIES: usize = 36;
/// Its seed: the same district every time.
const SYNTH_SEED: u64 = 2024;

/// An embedded example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Example {
    /// The synthetic Chongqing-like district.
    Chongqing,
    /// Monaco (OpenStreetMap, households estimated).
    Monaco,
}

/// Writes the example's files into a private folder (removed when the returned guard is
/// dropped) and reads them.
pub fn load_example(example: Example, profile: &Profile) -> Result<(Loaded, tempfile::TempDir)> {
    let dir = tempfile::Builder::new()
        .prefix("lantu-example-")
        .tempdir()
        .map_err(|e| OutputError::File { path: std::env::temp_dir(), source: e })?;
    let loaded = match example {
        Example::Monaco => {
            let pbf = dir.path().join("monaco.osm.pbf");
            let dem = dir.path().join("N43E007.hgt.zip");
            for (path, bytes) in [(&pbf, MONACO_PBF), (&dem, MONACO_DEM)] {
                std::fs::write(path, bytes).map_err(|e| OutputError::File { path: path.clone(), source: e })?;
            }
            let opts = OsmOptions {
                admin_level: MONACO_ADMIN_LEVEL,
                tags: TagTable::builtin(),
                dem: Some(dem),
                population: None,
                metric_crs: None,
            };
            load_osm(&pbf, &opts, profile)?
        }
        Example::Chongqing => {
            let opts = lantu_synth::SynthOptions {
                communities: SYNTH_COMMUNITIES,
                seed: SYNTH_SEED,
                kinds: profile.kinds.clone(),
                cities: 1,
            };
            let s = lantu_synth::generate(dir.path(), &opts)?;
            load_project(&Project::load(&s.project)?, profile)?
        }
    };
    Ok((loaded, dir))
}
