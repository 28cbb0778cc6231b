//! `lantu demo`: everything lantu can do, on an embedded example — by default a small
//! synthetic Chongqing-like district (households, floor areas, complexes, 有条件 and 集中建设
//! flags that make the rules differ from community to community, marked 合成示例数据
//! everywhere), or the real Monaco extract (`--example monaco`).

use crate::flags::{DemoArgs, ExampleArg};
use anyhow::Context;
use lantu_core::{Lang, Profile};
use lantu_read::{load_osm, load_project, OsmOptions, Project, TagTable};
use std::path::PathBuf;

/// The Monaco example, embedded so the binary runs it from anywhere.
const MONACO_PBF: &[u8] = include_bytes!("../../../data/examples/monaco/monaco.osm.pbf");
const MONACO_DEM: &[u8] = include_bytes!("../../../data/examples/monaco/N43E007.hgt.zip");
/// Monaco's wards (quartiers) are `admin_level=10`.
const MONACO_ADMIN_LEVEL: u8 = 10;
/// The synthetic district: a few streets of real central-Chongqing names, a few seconds' run.
const SYNTH_COMMUNITIES: usize = 36;
/// Its seed: the same district every time.
const SYNTH_SEED: u64 = 2024;

/// A private folder for the example's files, removed when dropped.
fn example_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix("lantu-example-").tempdir()
}

/// Writes the embedded Monaco example to a private folder and returns its two files.
fn unpack_monaco(lang: Lang) -> anyhow::Result<(PathBuf, PathBuf, tempfile::TempDir)> {
    let dir = example_dir()?;
    let pbf = dir.path().join("monaco.osm.pbf");
    let dem = dir.path().join("N43E007.hgt.zip");
    let cannot =
        |p: &PathBuf| lang.pick(format!("{}：无法写入", p.display()), format!("{}: cannot write", p.display()));
    std::fs::write(&pbf, MONACO_PBF).with_context(|| cannot(&pbf))?;
    std::fs::write(&dem, MONACO_DEM).with_context(|| cannot(&dem))?;
    Ok((pbf, dem, dir))
}

/// Pilot communities the synthetic district's demo chooses (unless `--pilots` says otherwise).
const DEMO_PILOTS: usize = 6;

/// Runs the demo.
pub fn run(args: &DemoArgs, profile: &Profile, lang: Lang) -> anyhow::Result<u8> {
    crate::pipeline::set_threads(&args.run, lang)?;
    let out = crate::output_dir(&args.out, args.run.force, &args.run.plans, lang)?;
    let (loaded, _keep) = match args.example {
        ExampleArg::Monaco => {
            let (pbf, dem, keep) = unpack_monaco(lang)?;
            let opts = OsmOptions {
                admin_level: MONACO_ADMIN_LEVEL,
                tags: TagTable::builtin(),
                dem: Some(dem),
                population: None,
                metric_crs: None,
            };
            (load_osm(&pbf, &opts, profile)?, keep)
        }
        ExampleArg::Chongqing => {
            let keep = example_dir()?;
            let opts = lantu_synth::SynthOptions {
                communities: SYNTH_COMMUNITIES,
                seed: SYNTH_SEED,
                kinds: profile.kinds.clone(),
            };
            let s = lantu_synth::generate(keep.path(), &opts)?;
            let project = Project::load(&s.project)?;
            (load_project(&project, profile)?, keep)
        }
    };
    // the demo also shows what lantu read, normalised, and (for the Chongqing-like
    // district) the pilot step: a few pilot communities with their 申报方案 figures
    let pilots = match args.example {
        ExampleArg::Chongqing => args.run.pilots.or(Some(Some(DEMO_PILOTS))),
        ExampleArg::Monaco => args.run.pilots,
    };
    let run = crate::flags::RunArgs { inputs_gpkg: true, pilots, ..args.run.clone() };
    crate::pipeline::run(&loaded, profile, &run, lang, out)
}
