//! From loaded inputs to the outputs in a folder: what `analyze` and `demo` share.

use crate::flags::{MetricArg, RunArgs};
use crate::print;
use anyhow::{bail, Context};
use lantu_core::ServiceKind;
use lantu_core::{analyze, Analysis, Euclidean, Lang, Profile};
use lantu_io::{
    before_after_columns, before_after_rows, blueprint_layers, community_columns, community_rows, facility_columns,
    facility_rows, geojson_left_out, input_files, library_versions, sample_heights, site_columns, site_rows,
    street_columns, street_rows, utc_now, warning_counts, widen_lines, write_blueprint, write_csv, write_inputs_gpkg,
    write_manifest, write_report_xlsx, CoverageArea, Loaded, Manifest, NetworkOutputs, OutputDir, Rows, Sheet,
};
use lantu_net::{reached_lines, EdgeCosts, NetworkMetric, Snap, WalkGraph};
use rayon::prelude::*;

/// Sites recommended when candidates exist and `--sites` is not given.
const DEFAULT_SITES: usize = 10;
/// … as long as there are no more candidates than this.
const DEFAULT_SITES_UP_TO: usize = 1_000;
/// Coverage areas are traced for every circle (not only each kind's own) up to this many
/// walkways: quick for a district, minutes for a city (then `--all-circles` asks for them).
const ALL_CIRCLES_UP_TO: usize = 100_000;

/// Sets rayon's worker count once, before any parallel work.
pub fn set_threads(run: &RunArgs) -> anyhow::Result<()> {
    if let Some(n) = run.threads {
        rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global().context("cannot set the thread count")?;
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

/// Runs the analysis with the metric asked for (network by default when walkways exist),
/// recording its stages (graph, coverage, flat comparison) in `clock`. With a DEM, the
/// network coverage is also computed on flat ground for comparison.
fn run_analysis_timed(
    loaded: &Loaded,
    profile: &Profile,
    choice: Option<MetricArg>,
    clock: &mut Stages,
) -> anyhow::Result<(Analysis, Option<Network>)> {
    let d = &loaded.dataset;
    let a = &loaded.assignment;
    let choice = choice.unwrap_or(if d.walkways.is_empty() { MetricArg::Euclidean } else { MetricArg::Network });
    match choice {
        MetricArg::Euclidean => {
            let analysis = analyze(d, a, profile, &Euclidean);
            clock.lap("coverage + gaps");
            Ok((analysis, None))
        }
        MetricArg::Network => {
            if d.walkways.is_empty() {
                bail!("--metric network needs a walkways layer (项目文件中无 [walkways] 图层)");
            }
            let graph = WalkGraph::build(&d.walkways, profile.network.join_tolerance_m);
            let heights = match &loaded.dem {
                Some(dem) => {
                    let coords: Vec<geo::Coord> =
                        (0..graph.node_count() as u32).map(|n| graph.coord(lantu_net::NodeId(n))).collect();
                    // bridges and tunnels slope as straight decks, not as the ground under them
                    Some(lantu_net::deck_heights(&graph, &sample_heights(dem, &coords)?))
                }
                None => None,
            };
            let steps = profile.walking.steps_factor;
            let costs = EdgeCosts::compute(&graph, heights.as_deref(), steps);
            clock.lap("graph + costs");
            // one index and one snapping for the slope, flat and barrier-free runs
            let metric =
                NetworkMetric::new(&graph, &costs, profile.network.max_access_m, profile.network.main_component_share);
            let mut analysis = analyze(d, a, profile, &metric);
            clock.lap("snap + coverage + gaps");
            if heights.is_some() {
                let flat_costs = EdgeCosts::compute(&graph, None, steps);
                let flat = analyze(d, a, profile, &metric.with_costs(&flat_costs));
                for (c, f) in analysis.communities.iter_mut().zip(flat.communities) {
                    c.coverage_flat = Some(f.coverage);
                }
                clock.lap("flat comparison");
            }
            // barrier-free: no stairs without a ramp, nothing steeper than the profile's grade
            let acc_costs =
                EdgeCosts::accessible(&graph, heights.as_deref(), steps, profile.walking.accessible_max_grade);
            let accessible = analyze(d, a, profile, &metric.with_costs(&acc_costs));
            drop(metric);
            analysis.add_accessible(accessible, profile);
            clock.lap("barrier-free");
            Ok((analysis, Some(Network { graph, costs })))
        }
    }
}

/// Prints the check, runs the analysis and writes everything into `out`, then moves
/// it into place. Returns the exit status. Errors name `--out`, not the temporary folder.
pub fn run(loaded: &Loaded, profile: &Profile, run: &RunArgs, lang: Lang, out: OutputDir) -> anyhow::Result<u8> {
    let (temp, target) = (out.path().display().to_string(), out.target().display().to_string());
    write_all(loaded, profile, run, lang, out)
        .map_err(|e| anyhow::anyhow!("{}", format!("{e:#}").replace(&temp, &target)))
}

fn write_all(loaded: &Loaded, profile: &Profile, run: &RunArgs, lang: Lang, out: OutputDir) -> anyhow::Result<u8> {
    let mut clock = Stages::start();
    let report = print::check_report(&loaded.report, lang);
    print!("{report}");
    std::fs::write(out.path().join("check.txt"), &report).context("cannot write check.txt")?;
    if !loaded.report.can_analyse() {
        return Ok(crate::EXIT_CANNOT); // `out` is dropped: nothing is left behind
    }
    let d = &loaded.dataset;
    let (analysis, network) = run_analysis_timed(loaded, profile, run.metric, &mut clock)?;
    // with candidate sites, a recommendation is part of the blueprint unless --sites 0
    // (by default for up to DEFAULT_SITES_UP_TO candidates: a city's thousands take seconds)
    let by_default = !d.candidates.is_empty() && d.candidates.len() <= DEFAULT_SITES_UP_TO;
    let wanted = run.sites.unwrap_or(if by_default { DEFAULT_SITES } else { 0 });
    if run.sites.is_none() && !by_default && !d.candidates.is_empty() {
        let zh = lang == Lang::Zh;
        println!(
            "{} {} {}",
            if zh { "闲置资源" } else { "candidate sites:" },
            d.candidates.len(),
            if zh { "处：用 --sites K 推荐改造选址" } else { "; pass --sites K for recommendations" }
        );
    }
    let sites = match run.sites {
        _ if wanted > 0 && !d.candidates.is_empty() => {
            Some(crate::sites::plan(loaded, profile, &analysis, network.as_ref(), wanted))
        }
        Some(k) if k > 0 => {
            println!(
                "{}",
                if lang == Lang::Zh {
                    "无闲置资源（候选选址），不作选址推荐"
                } else {
                    "no candidate sites: no recommendation"
                }
            );
            None
        }
        _ => None,
    };
    clock.lap("sites");
    // every circle's area when the network is small enough for it to be quick
    let all_circles = run.all_circles || d.walkways.len() <= ALL_CIRCLES_UP_TO;
    let extra = network.as_ref().map(|n| network_outputs(loaded, profile, n, all_circles));
    let outputs = match (&network, &extra) {
        (Some(n), Some((bs, fs, areas))) => Some(NetworkOutputs {
            graph: &n.graph,
            costs: &n.costs,
            building_snaps: bs,
            facility_snaps: fs,
            coverage_areas: areas,
        }),
        _ => None,
    };
    clock.lap("coverage areas");

    // the blueprint's layers, then the GeoPackage (one writer, one core) side by side
    // with the tables and the report
    let plan = sites.as_ref().map(|s| &s.plan);
    let layers = blueprint_layers(d, &loaded.assignment, &analysis, profile, outputs.as_ref(), plan, lang);
    clock.lap("layers");
    let title = if lang == Lang::Zh { "lantu 一张蓝图" } else { "lantu blueprint" };
    let (written, tabled) = rayon::join(
        || write_blueprint(out.path(), title, &loaded.report.metric_crs, &layers, lang),
        || -> anyhow::Result<()> {
            // tables
            let tables = out.path().join("tables");
            std::fs::create_dir_all(&tables).with_context(|| format!("{}: cannot create", tables.display()))?;
            let note = loaded.note.as_deref();
            let (fac_cols, fac_rows) = noted(
                facility_columns(),
                facility_rows(d, &loaded.assignment, &analysis, extra.as_ref().map(|e| e.1.as_slice())),
                note,
            );
            write_csv(&tables.join("facilities.csv"), &fac_cols, &fac_rows)?;
            let (com, strs) = (community_rows(d, &analysis, lang), street_rows(d, &analysis, lang));
            let (com_cols, com_rows) = noted(community_columns(), Rows::from_vec(&com), note);
            write_csv(&tables.join("communities.csv"), &com_cols, &com_rows)?;
            let (str_cols, str_rows) = noted(street_columns(), Rows::from_vec(&strs), note);
            write_csv(&tables.join("streets.csv"), &str_cols, &str_rows)?;
            let site_tables = sites
                .as_ref()
                .map(|s| (site_rows(d, &s.plan, &s.after, lang), before_after_rows(d, &analysis, &s.after, lang)));
            let (site_cols, site_rows_) = match &site_tables {
                Some((site, before_after)) => {
                    let (cols, rows) = noted(site_columns(), Rows::from_vec(site), note);
                    write_csv(&tables.join("sites.csv"), &cols, &rows)?;
                    let (ba_cols, ba) = noted(before_after_columns(), Rows::from_vec(before_after), note);
                    write_csv(&tables.join("sites_before_after.csv"), &ba_cols, &ba)?;
                    (cols, rows)
                }
                None => (Vec::new(), Rows::new(0, |_| Vec::new())),
            };
            let sources: Vec<(String, String)> = note
                .map(|n| (if lang == Lang::Zh { "数据说明" } else { "data note" }.to_string(), n.to_string()))
                .into_iter()
                .chain(loaded.report.layers.iter().map(|l| {
                    (l.path.display().to_string(), format!("{} · {} · {}", l.role.key(), l.layer, l.crs.get(lang)))
                }))
                .chain(loaded.report.joins.iter().map(|j| {
                    let fields: Vec<String> = j.fields.iter().map(|(r, c)| format!("{r} ← {c}")).collect();
                    (j.path.display().to_string(), format!("communities.join · {} · {}", j.sheet, fields.join(", ")))
                }))
                .collect();
            write_report_xlsx(
                &out.path().join("report.xlsx"),
                &[
                    Sheet { name_zh: "社区", name_en: "Communities", columns: &com_cols, rows: &com_rows },
                    Sheet { name_zh: "街道", name_en: "Streets", columns: &str_cols, rows: &str_rows },
                    Sheet { name_zh: "设施", name_en: "Facilities", columns: &fac_cols, rows: &fac_rows },
                ]
                .into_iter()
                .chain(sites.is_some().then_some(Sheet {
                    name_zh: "建议选址",
                    name_en: "Sites",
                    columns: &site_cols,
                    rows: &site_rows_,
                }))
                .collect::<Vec<_>>(),
                profile,
                &sources,
                lang,
            )?;
            Ok(())
        },
    );
    written?;
    tabled?;
    clock.lap("write GeoPackage + GeoJSON + tables");

    for l in geojson_left_out(&layers) {
        let zh = lang == Lang::Zh;
        println!(
            "{} {l} {}",
            if zh { "图层" } else { "layer" },
            if zh {
                "要素过多，未导出 GeoJSON（见 blueprint.gpkg）"
            } else {
                "has too many features for GeoJSON: see blueprint.gpkg"
            }
        );
    }
    if run.inputs_gpkg {
        write_inputs_gpkg(
            &out.path().join("inputs.gpkg"),
            d,
            &loaded.assignment.building_community,
            &loaded.report.metric_crs,
        )?;
        clock.lap("inputs.gpkg");
    }

    if !run.no_maps {
        let areas: &[CoverageArea] = extra.as_ref().map_or(&[], |e| e.2.as_slice());
        let source_note = source_note(loaded);
        let maps = lantu_render::render_maps(
            &out.path().join("maps"),
            &lantu_render::MapData {
                dataset: d,
                assignment: &loaded.assignment,
                analysis: &analysis,
                profile,
                coverage_areas: areas,
                plan,
            },
            &lantu_render::MapOptions {
                dpi: run.dpi,
                lang,
                source_note,
                crs_note: loaded.report.metric_crs.label(),
                date: utc_now()[..10].to_string(),
                metric: analysis.metric.to_string(),
                note: loaded.note.clone(),
            },
        )?;
        clock.lap("render maps");
        let label = if lang == Lang::Zh { "地图" } else { "maps" };
        println!("{label}: {}", maps.len());
    }

    print!("{}", print::summary(d, &analysis, lang));
    if let Some(s) = &sites {
        print!("{}", print::sites_summary(d, &s.plan, &analysis, &s.after, lang));
    }
    let label = if lang == Lang::Zh { "用时" } else { "time" };
    let all: Vec<(String, f64)> =
        loaded.timings.iter().cloned().chain(clock.0.iter().map(|(n, t)| (n.to_string(), *t))).collect();
    println!("  {label}: {}", all.iter().map(|(n, t)| format!("{n} {t:.2} s")).collect::<Vec<_>>().join(", "));
    println!("  {}: {:.0} MiB", if lang == Lang::Zh { "内存峰值" } else { "peak memory" }, lantu_io::peak_memory_mib());
    write_run_manifest(loaded, profile, &analysis, &clock, out.path())?;
    let dir = out.commit()?;
    let msg = if lang == Lang::Zh { "输出已写入" } else { "outputs written to" };
    println!("{msg} {}", dir.display());
    Ok(crate::EXIT_OK)
}

fn write_run_manifest(
    loaded: &Loaded,
    profile: &Profile,
    analysis: &Analysis,
    clock: &Stages,
    dir: &std::path::Path,
) -> anyhow::Result<()> {
    let (gdal_version, proj_version) = library_versions();
    let mut outputs = Vec::new();
    list_files(dir, dir, &mut outputs);
    outputs.push("manifest.json".into());
    outputs.sort();
    let m = Manifest {
        lantu_version: env!("CARGO_PKG_VERSION").into(),
        generated_utc: utc_now(),
        command: std::env::args().collect(),
        inputs: input_files(&loaded.report),
        metric_crs: loaded.report.metric_crs.definition.clone(),
        metric_crs_reason: loaded.report.metric_crs.reason.en.clone(),
        metric: analysis.metric.into(),
        profile: serde_json::to_value(profile).context("profile as JSON")?,
        gdal_version,
        proj_version,
        warnings: warning_counts(&loaded.report),
        errors: loaded.report.errors.iter().map(|e| e.en.clone()).collect(),
        stages: loaded.timings.iter().cloned().chain(clock.0.iter().map(|(n, t)| (n.to_string(), *t))).collect(),
        outputs,
    };
    write_manifest(&dir.join("manifest.json"), &m)?;
    Ok(())
}

fn list_files(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
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

/// Where buildings and facilities joined the network, and the coverage area of every
/// kind for its own circle, or for every circle with `all_circles` (reached parts of
/// walkways, widened by the profile's buffer).
fn network_outputs(
    loaded: &Loaded,
    profile: &Profile,
    n: &Network,
    all_circles: bool,
) -> (Vec<Option<Snap>>, Vec<Option<Snap>>, Vec<CoverageArea>) {
    let d = &loaded.dataset;
    let metric =
        NetworkMetric::new(&n.graph, &n.costs, profile.network.max_access_m, profile.network.main_component_share);
    let origins: Vec<geo::Point> = d.buildings.iter().map(|b| b.origin()).collect();
    let building_snaps = metric.snap_all(&origins);
    let facility_snaps = metric.snap_all(&d.facilities.iter().map(|f| f.location).collect::<Vec<_>>());
    let cutoff = profile.largest_radius().0;
    let buffer = profile.network.coverage_buffer_m.0;
    let areas = ServiceKind::ALL
        .par_iter()
        .flat_map(|kind| {
            let targets: Vec<Option<Snap>> = d
                .facilities
                .iter()
                .zip(&facility_snaps)
                .filter(|(f, _)| f.kinds.contains(kind))
                .map(|(_, s)| *s)
                .collect();
            let (node_dist, on_edge) = metric.node_distances(&targets, cutoff);
            let own = &profile.circle_of(*kind).name;
            profile
                .walking
                .circles
                .par_iter()
                .filter(|c| all_circles || &c.name == own)
                .map(|c| CoverageArea {
                    kind: *kind,
                    circle: c.name.clone(),
                    radius_m: c.radius_m.0,
                    area: widen_lines(
                        &reached_lines(&n.graph, &n.costs, &node_dist, &on_edge, c.radius_m.0),
                        buffer,
                        buffer / 2.0,
                    )
                    .expect("GDAL polygonizes an in-memory raster"),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    (building_snaps, facility_snaps, areas)
}

/// A table with the project's note (e.g. 合成示例数据) as a last column `data_note` on every
/// row, so that no table of made-up data can pass for real; unchanged without a note.
fn noted<'a>(mut columns: Vec<String>, rows: Rows<'a>, note: Option<&str>) -> (Vec<String>, Rows<'a>) {
    match note {
        Some(note) => {
            columns.push("data_note".into());
            (columns, rows.with_last(note.to_string()))
        }
        None => (columns, rows),
    }
}

/// Wall-clock time of each stage, for the run summary.
pub struct Stages(Vec<(&'static str, f64)>, std::time::Instant);

impl Stages {
    fn start() -> Stages {
        Stages(Vec::new(), std::time::Instant::now())
    }
    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.0.push((name, (now - self.1).as_secs_f64()));
        self.1 = now;
    }
}

/// The data source note on maps: OSM's attribution, or the input files' names.
fn source_note(loaded: &Loaded) -> String {
    let mut names: Vec<String> = Vec::new();
    for l in &loaded.report.layers {
        let n = if l.driver == "OSM" {
            "© OpenStreetMap contributors (ODbL)".to_string()
        } else {
            l.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
        };
        if !names.contains(&n) {
            names.push(n);
        }
    }
    if let Some(dem) = &loaded.report.dem {
        names.push(format!(
            "DEM {}",
            dem.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
        ));
    }
    names.join(", ")
}
