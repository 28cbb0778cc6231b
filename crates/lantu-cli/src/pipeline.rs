//! From loaded inputs to the outputs in a folder: what `analyze` and `demo` share.

use crate::flags::{MetricArg, RunArgs};
use crate::print;
use anyhow::{bail, Context};
use lantu_core::{analyze, Analysis, Euclidean, Lang, Profile};
use lantu_io::{sample_heights, write_inputs_gpkg, write_tables, Loaded, OutputDir};
use lantu_net::{EdgeCosts, NetworkMetric, WalkGraph};

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

/// The walking network a result was computed on.
pub struct Network {
    /// The graph.
    pub graph: WalkGraph,
    /// Costs as used (with slope when a DEM was given).
    pub costs: EdgeCosts,
}

/// Runs the analysis with the metric asked for (network by default when walkways exist).
/// With a DEM, the network coverage is also computed on flat ground for comparison.
pub fn run_analysis(
    loaded: &Loaded,
    profile: &Profile,
    choice: Option<MetricArg>,
) -> anyhow::Result<(Analysis, Option<Network>)> {
    let d = &loaded.dataset;
    let a = &loaded.assignment;
    let choice = choice.unwrap_or(if d.walkways.is_empty() {
        MetricArg::Euclidean
    } else {
        MetricArg::Network
    });
    match choice {
        MetricArg::Euclidean => Ok((analyze(d, a, profile, &Euclidean), None)),
        MetricArg::Network => {
            if d.walkways.is_empty() {
                bail!("--metric network needs a walkways layer (项目文件中无 [walkways] 图层)");
            }
            let graph = WalkGraph::build(&d.walkways, profile.network.join_tolerance_m);
            let heights = match &loaded.dem {
                Some(dem) => {
                    let coords: Vec<geo::Coord> = (0..graph.node_count() as u32)
                        .map(|n| graph.coord(lantu_net::NodeId(n)))
                        .collect();
                    Some(sample_heights(dem, &coords)?)
                }
                None => None,
            };
            let steps = profile.walking.steps_factor;
            let costs = EdgeCosts::compute(&graph, heights.as_deref(), steps);
            let mut analysis = analyze(
                d,
                a,
                profile,
                &NetworkMetric::new(&graph, &costs, profile.network.max_access_m),
            );
            if heights.is_some() {
                let flat_costs = EdgeCosts::compute(&graph, None, steps);
                let flat = analyze(
                    d,
                    a,
                    profile,
                    &NetworkMetric::new(&graph, &flat_costs, profile.network.max_access_m),
                );
                for (c, f) in analysis.communities.iter_mut().zip(flat.communities) {
                    c.coverage_flat = Some(f.coverage);
                }
            }
            Ok((analysis, Some(Network { graph, costs })))
        }
    }
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
    let (analysis, _network) = run_analysis(loaded, profile, run.metric)?;
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
