//! From loaded inputs to the outputs in a folder: what `analyze` and `demo` share.

use crate::flags::{MetricArg, RunArgs};
use crate::print;
use anyhow::Context;
use lantu_core::{analyze, DistanceMetric, Euclidean, Lang, Profile};
use lantu_io::{write_inputs_gpkg, write_tables, Loaded, OutputDir};

/// Sets rayon's worker count once, before any parallel work.
pub fn set_threads(run: &RunArgs) -> anyhow::Result<()> {
    if let Some(n) = run.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot set the thread count")?;
    }
    Ok(())
}

/// Prints the check, runs the analysis and writes everything into `out`, then moves
/// it into place. Returns the exit status.
pub fn run(
    loaded: &Loaded,
    profile: &Profile,
    run: &RunArgs,
    lang: Lang,
    out: OutputDir,
) -> anyhow::Result<u8> {
    let report = print::check_report(&loaded.report, lang);
    print!("{report}");
    std::fs::write(out.path().join("check.txt"), &report).context("cannot write check.txt")?;
    if !loaded.report.can_analyse() {
        return Ok(crate::EXIT_CANNOT); // `out` is dropped: nothing is left behind
    }
    let metric: &dyn DistanceMetric = match run.metric {
        MetricArg::Euclidean => &Euclidean,
    };
    let analysis = analyze(&loaded.dataset, &loaded.assignment, profile, metric);
    write_tables(&out.path().join("tables"), &loaded.dataset, &analysis, lang)?;
    write_inputs_gpkg(
        &out.path().join("inputs.gpkg"),
        &loaded.dataset,
        &loaded.assignment.building_community,
        &loaded.report.metric_crs,
    )?;
    print!("{}", print::summary(&loaded.dataset, &analysis, lang));
    let dir = out.commit()?;
    let msg = if lang == Lang::Zh {
        "输出已写入"
    } else {
        "outputs written to"
    };
    println!("{msg} {}", dir.display());
    Ok(crate::EXIT_OK)
}
