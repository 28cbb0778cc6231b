//! From loaded inputs to the outputs in a folder (what `analyze` and `demo` share): the
//! flags become the engine's and the output's options, `lantu-output` does the rest.

use crate::flags::{MetricArg, RunArgs};
use crate::print;
use anyhow::Context;
use lantu_core::{Lang, PilotRequest, Profile};
use lantu_engine::{MetricChoice, Options, SitesWanted};
use lantu_output::{OutputError, OutputOptions, Written};
use lantu_read::Loaded;
use lantu_write::OutputDir;

/// Sets rayon's worker count once, before any parallel work.
pub fn set_threads(run: &RunArgs, lang: Lang) -> anyhow::Result<()> {
    if let Some(asked) = run.threads {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // a few per core: more only cost memory and switching
        let n = asked.clamp(1, cores.max(1) * 4);
        if n != asked {
            eprintln!("lantu: {}", lantu_output::threads_clamped(asked, cores, n).get(lang));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context(lang.pick("无法设置线程数", "cannot set the thread count"))?;
    }
    Ok(())
}

/// Prints the check, runs the analysis and writes everything into `out`, then moves
/// it into place. Returns the exit status. Errors name `--out`, not the temporary folder.
pub fn run(loaded: &Loaded, profile: &Profile, run: &RunArgs, lang: Lang, out: OutputDir) -> anyhow::Result<u8> {
    let (temp, target) = (out.path().display().to_string(), out.target().display().to_string());
    print!("{}", lantu_output::check_report(&loaded.report, &profile.kinds, lang));
    let progress = print::ProgressPrinter::new(run.progress, lang);
    let plans = lantu_output::read_plans(loaded, profile, &run.plans, run.plan_crs.as_deref(), &progress)
        .map_err(|e| explain(e, &temp, &target, lang))?;
    let d = &loaded.dataset;
    let options = Options {
        metric: run.metric.map(|m| match m {
            MetricArg::Euclidean => MetricChoice::Euclidean,
            MetricArg::Network => MetricChoice::Network,
        }),
        sites: match run.sites {
            Some(k) => SitesWanted::Count(k),
            None => lantu_output::DEFAULT_SITES,
        },
        all_circles: run.all_circles || lantu_output::all_circles_by_default(d),
        pilots: run.pilots.map(|n| PilotRequest {
            count: n.unwrap_or(profile.pilot.communities_total as usize),
            per_district: run.pilots_per_district,
            per_street: run.pilots_per_street,
        }),
    };
    let output = OutputOptions {
        lang,
        maps: !run.no_maps,
        dpi: run.dpi,
        inputs_gpkg: run.inputs_gpkg,
        command: std::env::args().collect(),
    };
    let written = lantu_output::write_outputs(loaded, profile, &plans, &options, &output, &progress, out)
        .map_err(|e| explain(e, &temp, &target, lang))?;
    let Written::Folder { dir, blueprint: bp, stages } = written else {
        return Ok(crate::EXIT_CANNOT); // nothing is left behind
    };
    progress.finish();
    lantu_output::site_outcome_line(&bp.sites, lang).inspect(|l| println!("{l}"));
    print!("{}", lantu_output::summary(d, &bp.analysis, lang));
    if let Some(s) = bp.sites.sites() {
        print!("{}", lantu_output::sites_summary(d, &s.plan, &bp.analysis, &s.after, lang));
    }
    print!("{}", lantu_output::timings(&stages, lantu_write::peak_memory_mib(), lang));
    println!("{} {}", lang.pick("输出已写入", "outputs written to"), dir.display());
    Ok(crate::EXIT_OK)
}

/// The library's error in the binary's words: the flag that led to it named, and `--out`
/// for the temporary folder.
fn explain(e: OutputError, temp: &str, target: &str, lang: Lang) -> anyhow::Error {
    let words = lantu_output::error_in_words(&e, lang).replace(temp, target);
    let use_streets = lang.pick("；请用 --pilots-per-street", "; use --pilots-per-street");
    match e {
        OutputError::NoDistricts => anyhow::anyhow!("--pilots-per-district: {words}{use_streets}"),
        OutputError::Io(e) if matches!(*e, lantu_read::IoError::PlanNoCrs { .. }) => {
            anyhow::anyhow!("{words}: --plan-crs EPSG:…")
        }
        _ => anyhow::anyhow!("{words}"),
    }
}
