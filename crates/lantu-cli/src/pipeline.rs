//! From loaded inputs to the outputs in a folder: what `analyze` and `demo` share.

use crate::flags::{MetricArg, RunArgs};
use crate::print;
use anyhow::Context;
use lantu_core::{Analysis, Lang, PilotRequest, Plan, Profile};
use lantu_engine::{Inputs, MetricChoice, Options, SitesWanted};
use lantu_read::{input_paths, read_plan, warning_counts, Loaded};
use lantu_write::{
    blueprint_layers, geojson_left_out, library_versions, utc_now, write_blueprint, write_inputs_gpkg, write_manifest,
    write_tables, GridTracer, InputFile, Manifest, OutputDir, TableNotes,
};

/// Sites recommended when candidates exist and `--sites` is not given.
const DEFAULT_SITES: usize = 10;
/// … as long as there are no more candidates than this.
const DEFAULT_SITES_UP_TO: usize = 1_000;
/// Coverage areas are traced for every circle (not only each kind's own) up to this many
/// walkways: quick for a district, minutes for a city (then `--all-circles` asks for them).
const ALL_CIRCLES_UP_TO: usize = 100_000;
/// … and up to this many facilities (straight-line areas are a disc per facility).
const ALL_CIRCLES_FACILITIES_UP_TO: usize = 20_000;

/// Sets rayon's worker count once, before any parallel work.
pub fn set_threads(run: &RunArgs, lang: Lang) -> anyhow::Result<()> {
    if let Some(asked) = run.threads {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let n = asked.clamp(1, max_threads(cores));
        if n != asked {
            eprintln!(
                "lantu: {}",
                lantu_core::Text::new(
                    format!("--threads {asked} 超出范围：本机 {cores} 核，改用 {n} 个线程（结果与线程数无关）"),
                    format!("--threads {asked} is out of range: this machine has {cores} cores, using {n} threads (results do not depend on the thread count)"),
                )
                .get(lang)
            );
        }
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global().context("cannot set the thread count")?;
    }
    Ok(())
}

/// The most worker threads worth starting: a few per core (more only cost memory and
/// switching; thousands take longer than one).
fn max_threads(cores: usize) -> usize {
    cores.max(1) * 4
}

/// Prints the check, runs the analysis and writes everything into `out`, then moves
/// it into place. Returns the exit status. Errors name `--out`, not the temporary folder.
pub fn run(loaded: &Loaded, profile: &Profile, run: &RunArgs, lang: Lang, out: OutputDir) -> anyhow::Result<u8> {
    let (temp, target) = (out.path().display().to_string(), out.target().display().to_string());
    write_all(loaded, profile, run, lang, out)
        .map_err(|e| anyhow::anyhow!("{}", format!("{e:#}").replace(&temp, &target)))
}

fn write_all(loaded: &Loaded, profile: &Profile, run: &RunArgs, lang: Lang, out: OutputDir) -> anyhow::Result<u8> {
    let report = print::check_report(&loaded.report, &profile.kinds, lang);
    print!("{report}");
    std::fs::write(out.path().join("check.txt"), &report).context("cannot write check.txt")?;
    if !loaded.report.can_analyse() {
        return Ok(crate::EXIT_CANNOT); // `out` is dropped: nothing is left behind
    }
    let d = &loaded.dataset;
    if run.pilots_per_district.is_some() && d.communities.iter().all(|c| lantu_core::district_code(c).is_none()) {
        anyhow::bail!(
            "--pilots-per-district：社区代码不是 12 位区划代码、街道代码也不是 9 位，无法得知区县 / no community has a \
             12-digit division code (or a 9-digit street code), so districts are unknown; use --pilots-per-street"
        );
    }
    let plans = read_plans(loaded, profile, run, lang)?;
    let inputs = Inputs {
        dataset: d,
        assignment: &loaded.assignment,
        heights: loaded.dem.as_ref().map(|g| g as &dyn lantu_engine::GroundHeights),
        plans: &plans,
        walkable: loaded.walkable.as_ref(),
    };
    let options = Options {
        metric: run.metric.map(|m| match m {
            MetricArg::Euclidean => MetricChoice::Euclidean,
            MetricArg::Network => MetricChoice::Network,
        }),
        sites: match run.sites {
            Some(k) => SitesWanted::Count(k),
            None => SitesWanted::Default { count: DEFAULT_SITES, up_to: DEFAULT_SITES_UP_TO },
        },
        // every circle's area when the network (and the discs of straight-line kinds) are
        // few enough for it to be quick
        all_circles: run.all_circles
            || (d.walkways.len() <= ALL_CIRCLES_UP_TO && d.facilities.len() <= ALL_CIRCLES_FACILITIES_UP_TO),
        pilots: run.pilots.map(|n| PilotRequest {
            count: n.unwrap_or(profile.pilot.communities_total as usize),
            per_district: run.pilots_per_district,
            per_street: run.pilots_per_street,
        }),
    };
    let progress = print::ProgressPrinter::new(run.progress, lang);
    let bp = lantu_engine::run(&inputs, profile, &options, &GridTracer, &progress)?;
    print::site_outcome(&bp.sites, lang);
    for o in &bp.plans {
        for w in o.effects.iter().flat_map(|e| &e.warnings) {
            print::warning(w, lang);
        }
    }
    let mut clock = Stages::start(&progress);

    // the blueprint's layers, then the GeoPackage (one writer, one core) side by side
    // with the tables and the report
    progress.begin("生成图层", "layers");
    let layers = blueprint_layers(d, &loaded.assignment, &bp, profile, lang);
    clock.lap("layers");
    let sources = sources(loaded, lang);
    let date = utc_now();
    let area = area_name(loaded, lang);
    // the page, the GeoPackage and the QGIS project carry the area's name, as the PDF does
    let title = &if lang == Lang::Zh { format!("{area} 一张蓝图") } else { format!("{area}: the blueprint") };
    let notes = TableNotes {
        note: loaded.note.as_deref(),
        sources: &sources,
        title: lantu_write::PrintTitle { area: &area, date: &date[..10] },
    };
    progress.begin("写出 GeoPackage、GeoJSON 与表格", "writing GeoPackage, GeoJSON and tables");
    let (written, tabled) = rayon::join(
        || write_blueprint(out.path(), title, &loaded.report.metric_crs, &layers, &profile.kinds, lang),
        || write_tables(out.path(), d, &loaded.assignment, &bp, profile, &notes, lang),
    );
    written?;
    tabled?;
    clock.lap("write GeoPackage + GeoJSON + tables");
    let left_out = geojson_left_out(&layers);
    for l in &left_out {
        print::geojson_left_out(l, lang);
    }
    // the interactive page, from the GeoJSON just written (no second reprojection)
    progress.begin("交互地图网页", "web page");
    let mut web = lantu_web::WebMeta::new(
        title.to_string(),
        date[..10].to_string(),
        source_note(loaded, lang),
        loaded.report.metric_crs.label(),
        bp.analysis.metric.to_string(),
        loaded.note.clone(),
        lang,
        &bp.analysis.kinds,
        &bp.analysis.circles.iter().map(|c| c.radius_m.0).collect::<Vec<_>>(),
    );
    web.left_out = left_out;
    lantu_web::write_web(out.path(), &out.path().join("geojson"), &web)?;
    clock.lap("web page");
    if run.inputs_gpkg {
        write_inputs_gpkg(
            &out.path().join("inputs.gpkg"),
            d,
            &loaded.assignment.building_community,
            &profile.kinds,
            &loaded.report.metric_crs,
        )?;
        clock.lap("inputs.gpkg");
    }

    if !run.no_maps {
        progress.begin("绘制地图", "maps");
        let maps = lantu_render::render_maps(
            &out.path().join("maps"),
            &lantu_render::MapData {
                dataset: d,
                assignment: &loaded.assignment,
                analysis: &bp.analysis,
                profile,
                coverage_areas: &bp.coverage_areas,
                plan: bp.sites.sites().map(|s| &s.plan),
                projects: bp.plans.iter().flat_map(|o| &o.plan.projects).collect(),
            },
            &lantu_render::MapOptions {
                dpi: run.dpi,
                lang,
                source_note: source_note(loaded, lang),
                crs_note: loaded.report.metric_crs.label(),
                date: date[..10].to_string(),
                metric: bp.analysis.metric.to_string(),
                note: loaded.note.clone(),
            },
        )?;
        // the pages made of a map and figures: one per pilot, and the book of everything
        let (sources, crs, day) = (source_note(loaded, lang), loaded.report.metric_crs.label(), &date[..10]);
        let version = env!("CARGO_PKG_VERSION");
        let footnote = if lang == Lang::Zh {
            format!("数据来源：{sources}　坐标系：{crs}　投资单价为假设值（配置文件 costs），以奖代补按支持政策清单第 21 项　制图：lantu {version}　日期：{day}")
        } else {
            format!("Data: {sources}   CRS: {crs}   unit costs are assumptions (profile costs); support per the policy list, item 21   made with lantu {version}   {day}")
        };
        let ctx = crate::sheets::Pages {
            d,
            before: &bp.analysis,
            profile,
            note: loaded.note.as_deref(),
            footnote: &footnote,
            lang,
        };
        if let Some(o) = &bp.pilots {
            let pages = crate::sheets::pilot_sheets(&ctx, o, &bp.plans);
            lantu_render::render_sheets(&out.path().join("maps"), &pages, run.dpi, lang)?;
        }
        clock.lap("render maps");
        let book = crate::book::book(&ctx, &bp, &area, &date[..10], &out.path().join("maps"));
        lantu_render::write_book_pdf(&out.path().join("blueprint.pdf"), &book)?;
        clock.lap("blueprint.pdf");
        let label = if lang == Lang::Zh { "地图" } else { "maps" };
        println!("{label}: {}", maps.len());
    }
    // the 申报方案 draft, with the maps when they were drawn
    let docx = lantu_write::application_docx_path(out.path(), &area);
    std::fs::create_dir_all(docx.parent().expect("docs/")).context("cannot create docs/")?;
    let maps = out.path().join("maps");
    lantu_write::write_application_docx(
        &docx,
        &lantu_write::ApplicationInput {
            dataset: d,
            blueprint: &bp,
            profile,
            area: &area,
            date: &date[..10],
            note: loaded.note.as_deref(),
            maps: (!run.no_maps).then_some(maps.as_path()),
        },
    )?;
    clock.lap("申报方案 docx");

    progress.finish();
    print!("{}", print::summary(d, &bp.analysis, lang));
    if let Some(s) = bp.sites.sites() {
        print!("{}", print::sites_summary(d, &s.plan, &bp.analysis, &s.after, lang));
    }
    let label = if lang == Lang::Zh { "用时" } else { "time" };
    let all: Vec<(String, f64)> = loaded
        .timings
        .iter()
        .cloned()
        .chain(bp.stages.iter().map(|(n, t)| (n.to_string(), *t)))
        .chain(clock.0.iter().map(|(n, t)| (n.to_string(), *t)))
        .collect();
    println!("  {label}: {}", all.iter().map(|(n, t)| format!("{n} {t:.2} s")).collect::<Vec<_>>().join(", "));
    println!(
        "  {}: {:.0} MiB",
        if lang == Lang::Zh { "内存峰值" } else { "peak memory" },
        lantu_write::peak_memory_mib()
    );
    write_run_manifest(loaded, profile, &bp.analysis, &all, out.path())?;
    let dir = out.commit()?;
    let msg = if lang == Lang::Zh { "输出已写入" } else { "outputs written to" };
    println!("{msg} {}", dir.display());
    Ok(crate::EXIT_OK)
}

/// Reads every `--plan`, printing what was skipped.
fn read_plans(loaded: &Loaded, profile: &Profile, run: &RunArgs, lang: Lang) -> anyhow::Result<Vec<Plan>> {
    let mut plans = Vec::new();
    for path in &run.plans {
        let read = read_plan(
            path,
            run.plan_crs.as_deref(),
            &loaded.report.metric_crs,
            &loaded.dataset,
            &profile.kinds,
            &profile.checks,
        )?;
        for w in &read.warnings {
            print::warning(w, lang);
        }
        let label = if lang == Lang::Zh { "规划项目" } else { "planned projects" };
        println!("{label} {}: {}", path.display(), read.plan.projects.len());
        plans.push(read.plan);
    }
    Ok(plans)
}

/// The area's name for titles: the project's name, else the OSM file's.
pub fn area_name(loaded: &Loaded, lang: Lang) -> String {
    loaded.name.clone().unwrap_or_else(|| if lang == Lang::Zh { "分析范围".into() } else { "study area".into() })
}

/// The data sources for the XLSX: every layer and joined table read.
fn sources(loaded: &Loaded, lang: Lang) -> Vec<(String, String)> {
    loaded
        .report
        .layers
        .iter()
        .map(|l| (l.path.display().to_string(), format!("{} · {} · {}", l.role.key(), l.layer, l.crs.get(lang))))
        .chain(loaded.report.joins.iter().map(|j| {
            let fields: Vec<String> = j.fields.iter().map(|(r, c)| format!("{r} ← {c}")).collect();
            (j.path.display().to_string(), format!("communities.join · {} · {}", j.sheet, fields.join(", ")))
        }))
        .collect()
}

fn write_run_manifest(
    loaded: &Loaded,
    profile: &Profile,
    analysis: &Analysis,
    stages: &[(String, f64)],
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
        inputs: input_paths(&loaded.report).iter().filter_map(|p| InputFile::of(p).ok()).collect(),
        layers_crs: loaded
            .report
            .layers
            .iter()
            .map(|l| lantu_write::LayerCrs {
                layer: l.role.key().into(),
                path: l.path.display().to_string(),
                crs: l.crs.en.clone(),
                converted_from: l.lonlat.filter(|c| *c != lantu_read::GeoCoords::Wgs84).map(|c| c.key().into()),
                datum_suspected: l.of_kind(lantu_read::FindingKind::Datum).next().map(|f| f.text.en.clone()),
            })
            .chain(loaded.report.population.iter().map(|p| lantu_write::LayerCrs {
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
        profile: serde_json::to_value(profile).context("profile as JSON")?,
        gdal_version,
        proj_version,
        warnings: warning_counts(&loaded.report),
        errors: loaded.report.errors.iter().map(|e| e.en.clone()).collect(),
        stages: stages.to_vec(),
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

/// Wall-clock time of each stage, for the run summary and the progress line.
pub struct Stages<'p>(Vec<(&'static str, f64)>, std::time::Instant, &'p print::ProgressPrinter);

impl<'p> Stages<'p> {
    fn start(progress: &'p print::ProgressPrinter) -> Stages<'p> {
        Stages(Vec::new(), std::time::Instant::now(), progress)
    }
    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        let secs = (now - self.1).as_secs_f64();
        self.0.push((name, secs));
        self.2.lap(name, secs);
        self.1 = now;
    }
}

/// The data source note on maps, the page and the documents: OSM's attribution, or the
/// input files' names; then what the estimated households are, when any are.
fn source_note(loaded: &Loaded, lang: Lang) -> String {
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
    if let Some(p) = &loaded.report.population {
        let file = p.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        names.push(format!("{} {file}", if lang == Lang::Zh { "人口格网" } else { "population grid" }));
    }
    let mut note = names.join(", ");
    if let Some(h) = lantu_engine::style::households_note(&loaded.dataset.communities, lang) {
        note.push_str(if lang == Lang::Zh { "；" } else { "; " });
        note.push_str(&h);
    }
    note
}
