//! `lantu demo`: everything lantu can do, on an embedded example (`lantu_output::load_example`)
//! — by default a small synthetic Chongqing-like district, or the real Monaco extract.

use crate::flags::{DemoArgs, ExampleArg};
use lantu_core::{Lang, Profile};
use lantu_output::Example;

/// Pilot communities the synthetic district's demo chooses (unless `--pilots` says otherwise).
const DEMO_PILOTS: usize = 6;

/// Runs the demo.
pub fn run(args: &DemoArgs, profile: &Profile, lang: Lang) -> anyhow::Result<u8> {
    crate::pipeline::set_threads(&args.run, lang)?;
    let out = crate::output_dir(&args.out, args.run.force, &args.run.plans, lang)?;
    let example = match args.example {
        ExampleArg::Monaco => Example::Monaco,
        ExampleArg::Chongqing => Example::Chongqing,
    };
    let (loaded, _keep) = lantu_output::load_example(example, profile)?;
    // the demo also shows what lantu read, normalised, and (for the Chongqing-like
    // district) the pilot step: a few pilot communities with their 申报方案 figures
    let pilots = match args.example {
        ExampleArg::Chongqing => args.run.pilots.or(Some(Some(DEMO_PILOTS))),
        ExampleArg::Monaco => args.run.pilots,
    };
    let run = crate::flags::RunArgs { inputs_gpkg: true, pilots, ..args.run.clone() };
    crate::pipeline::run(&loaded, profile, &run, lang, out)
}
