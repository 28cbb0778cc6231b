//! The output folder of one analysis: check, blueprint, layers, tables, page, maps, PDF,
//! 申报方案 and manifest, in that order, into a temporary folder moved into place at the end.

use crate::error::{OutputError, Result};
use crate::events::{Events, Stages};
use crate::notes::{area_name, source_note, sources};
use crate::{book, manifest, sheets};
use lantu_core::{Lang, Plan, Profile, Text};
use lantu_engine::{Blueprint, Inputs, Options};
use lantu_read::Loaded;
use lantu_write::{
    blueprint_layers, geojson_left_out, utc_now, write_blueprint, write_inputs_gpkg, write_tables, GridTracer,
    OutputDir, TableNotes,
};
use std::path::PathBuf;

/// Sites recommended when none are asked for: 10, when there are 1 to 1,000 candidates.
pub const DEFAULT_SITES: lantu_engine::SitesWanted = lantu_engine::SitesWanted::Default { count: 10, up_to: 1_000 };

/// Coverage areas are traced for every circle (not only each kind's own) up to this many
/// walkways: quick for a district, minutes for a city (then a front door asks for them).
const ALL_CIRCLES_UP_TO: usize = 100_000;
/// … and up to this many facilities (straight-line areas are a disc per facility).
const ALL_CIRCLES_FACILITIES_UP_TO: usize = 20_000;

/// Whether every circle's coverage area is traced unless asked: when the network (and the
/// discs of straight-line kinds) are few enough for it to be quick.
pub fn all_circles_by_default(d: &lantu_core::Dataset) -> bool {
    d.walkways.len() <= ALL_CIRCLES_UP_TO && d.facilities.len() <= ALL_CIRCLES_FACILITIES_UP_TO
}

/// What is written beside the blueprint, and how.
#[derive(Clone, Debug)]
pub struct OutputOptions {
    /// Language of titles, labels and documents.
    pub lang: Lang,
    /// Draw the PNG maps, the pilot sheets and `blueprint.pdf`.
    pub maps: bool,
    /// Map resolution, dots per inch of an A4 landscape page.
    pub dpi: u32,
    /// Also write `inputs.gpkg`, the normalised input layers.
    pub inputs_gpkg: bool,
    /// The command that asked for the run, as recorded in `manifest.json`.
    pub command: Vec<String>,
}

/// How a run ended.
pub enum Written {
    /// The check found the data cannot be analysed: nothing was written.
    CannotAnalyse,
    /// The folder is in place.
    Folder {
        /// Where it is.
        dir: PathBuf,
        /// The blueprint it holds.
        blueprint: Box<Blueprint>,
        /// Every stage's wall-clock seconds: reading, the engine's, the outputs'.
        stages: Vec<(String, f64)>,
    },
}

/// Checks, analyses and writes everything into `out`, then moves it into place.
///
/// The check report goes to `check.txt` first; when it says the data cannot be analysed,
/// nothing else is written and `out` is dropped (no folder is left behind).
pub fn write_outputs(
    loaded: &Loaded,
    profile: &Profile,
    plans: &[Plan],
    options: &Options,
    output: &OutputOptions,
    events: &dyn Events,
    out: OutputDir,
) -> Result<Written> {
    let lang = output.lang;
    let report = crate::check_report(&loaded.report, &profile.kinds, lang);
    let check = out.path().join("check.txt");
    std::fs::write(&check, &report).map_err(|source| OutputError::File { path: check, source })?;
    if !loaded.report.can_analyse() {
        return Ok(Written::CannotAnalyse);
    }
    let d = &loaded.dataset;
    if options.pilots.as_ref().is_some_and(|p| p.per_district.is_some())
        && d.communities.iter().all(|c| lantu_core::district_code(c).is_none())
    {
        return Err(OutputError::NoDistricts);
    }
    let inputs = Inputs {
        dataset: d,
        assignment: &loaded.assignment,
        heights: loaded.dem.as_ref().map(|g| g as &dyn lantu_engine::GroundHeights),
        plans,
        walkable: loaded.walkable.as_ref(),
    };
    let bp = lantu_engine::run(&inputs, profile, options, &GridTracer, events)?;
    for o in &bp.plans {
        for w in o.effects.iter().flat_map(|e| &e.warnings) {
            events.warn(w);
        }
    }
    let mut clock = Stages::start(events);

    // the blueprint's layers, then the GeoPackage (one writer, one core) side by side
    // with the tables and the report
    clock.begin("生成图层", "layers");
    let layers = blueprint_layers(d, &loaded.assignment, &bp, profile, lang);
    clock.lap("layers");
    let sources = sources(loaded, lang);
    let date = utc_now();
    let day = &date[..10];
    let area = area_name(loaded, lang);
    let source = source_note(loaded, lang);
    // the page, the GeoPackage and the QGIS project carry the area's name, as the PDF does
    let title = &if lang == Lang::Zh { format!("{area} 一张蓝图") } else { format!("{area}: the blueprint") };
    let notes = TableNotes {
        note: loaded.note.as_deref(),
        sources: &sources,
        title: lantu_write::PrintTitle { area: &area, date: day },
    };
    clock.begin("写出 GeoPackage、GeoJSON 与表格", "writing GeoPackage, GeoJSON and tables");
    let (written, tabled) = rayon::join(
        || write_blueprint(out.path(), title, &loaded.report.metric_crs, &layers, &profile.kinds, lang),
        || write_tables(out.path(), d, &loaded.assignment, &bp, profile, &notes, lang),
    );
    written?;
    tabled?;
    lantu_write::write_registry(out.path(), &layers, &profile.kinds)?;
    clock.lap("write GeoPackage + GeoJSON + tables");
    let left_out = geojson_left_out(&layers);
    for l in &left_out {
        // where the layer is instead: its own FlatGeobuf file, or the GeoPackage
        let source = lantu_write::layer_source(l);
        let file = source.trim_start_matches("./").split('|').next().unwrap_or("blueprint.gpkg");
        events.say(&Text::new(
            format!("图层 {l} 要素过多，未导出 GeoJSON（见 {file}）"),
            format!("layer {l} has too many features for GeoJSON: see {file}"),
        ));
    }
    // the interactive page, from the GeoJSON just written (no second reprojection)
    clock.begin("交互地图网页", "web page");
    let mut web = lantu_web::WebMeta::new(
        title.to_string(),
        day.to_string(),
        source.clone(),
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
    if output.inputs_gpkg {
        write_inputs_gpkg(
            &out.path().join("inputs.gpkg"),
            d,
            &loaded.assignment.building_community,
            &profile.kinds,
            &loaded.report.metric_crs,
        )?;
        clock.lap("inputs.gpkg");
    }

    let maps = out.path().join("maps");
    if output.maps {
        clock.begin("绘制地图", "maps");
        let map_data = lantu_render::MapData {
            dataset: d,
            assignment: &loaded.assignment,
            analysis: &bp.analysis,
            profile,
            coverage_areas: &bp.coverage_areas,
            plan: bp.sites.sites().map(|s| &s.plan),
            projects: bp.plans.iter().flat_map(|o| &o.plan.projects).collect(),
        };
        let map_options = lantu_render::MapOptions {
            dpi: output.dpi,
            lang,
            source_note: source.clone(),
            crs_note: loaded.report.metric_crs.label(),
            date: day.to_string(),
            metric: bp.analysis.metric.to_string(),
            note: loaded.note.clone(),
        };
        let drawings = lantu_render::Maps::new(&map_data, &map_options)?;
        // the pages made of a map and figures: one per pilot, and the book of everything
        let (sources, crs) = (&source, loaded.report.metric_crs.label());
        let version = env!("CARGO_PKG_VERSION");
        let footnote = Text::new(
            format!("数据来源：{sources}　坐标系：{crs}　投资单价为假设值（配置文件 costs），以奖代补按支持政策清单第 21 项　制图：lantu {version}　日期：{day}"),
            format!("Data: {sources}   CRS: {crs}   unit costs are assumptions (profile costs); support per the policy list, item 21   made with lantu {version}   {day}"),
        );
        let ctx = sheets::Pages {
            d,
            before: &bp.analysis,
            profile,
            note: loaded.note.as_deref(),
            footnote: footnote.get(lang),
            lang,
        };
        let pages = bp.pilots.as_ref().map(|o| sheets::pilot_sheets(&ctx, o, &bp.plans)).unwrap_or_default();
        let book = book::book(&ctx, &bp, &area, day, &maps, &drawings);
        let figures = lantu_render::Figures { maps: &drawings, sheets: &pages };
        let pdf = out.path().join("blueprint.pdf");
        // the maps and sheets drawn twice at once: as PNG files, and as vectors in the PDF
        // (which reads none of the files)
        let (drawn, book_written) = rayon::join(
            || {
                let drawn = drawings.render(&maps)?;
                lantu_render::render_sheets(&maps, &pages, output.dpi, lang)?;
                Ok::<_, lantu_render::RenderError>(drawn)
            },
            || lantu_render::write_book_pdf(&pdf, &book, &figures),
        );
        let drawn = drawn?;
        book_written?;
        clock.lap("render maps + blueprint.pdf");
        events.say(&Text::new(format!("地图: {}", drawn.len()), format!("maps: {}", drawn.len())));
    }
    // the 申报方案 draft, with the maps when they were drawn
    let docx = lantu_write::application_docx_path(out.path(), &area);
    let docs = docx.parent().expect("docs/").to_path_buf();
    std::fs::create_dir_all(&docs).map_err(|source| OutputError::File { path: docs, source })?;
    lantu_write::write_application_docx(
        &docx,
        &lantu_write::ApplicationInput {
            dataset: d,
            blueprint: &bp,
            profile,
            area: &area,
            date: day,
            note: loaded.note.as_deref(),
            maps: output.maps.then_some(maps.as_path()),
        },
    )?;
    clock.lap("申报方案 docx");

    let stages: Vec<(String, f64)> = loaded
        .timings
        .iter()
        .cloned()
        .chain(bp.stages.iter().map(|(n, t)| (n.to_string(), *t)))
        .chain(clock.laps.iter().map(|(n, t)| (n.to_string(), *t)))
        .collect();
    let sites = bp.sites.sites().map(|s| &s.plan);
    manifest::write_run_manifest(loaded, profile, &bp.analysis, &stages, &output.command, sites, out.path())?;
    let dir = out.commit()?;
    Ok(Written::Folder { dir, blueprint: Box::new(bp), stages })
}

/// Reads the plans of projects to compare (`--plan` on the command line), telling
/// `events` what each holds and what was skipped.
pub fn read_plans(
    loaded: &Loaded,
    profile: &Profile,
    paths: &[PathBuf],
    plan_crs: Option<&str>,
    events: &dyn Events,
) -> Result<Vec<Plan>> {
    let mut plans = Vec::new();
    for path in paths {
        let read = lantu_read::read_plan(
            path,
            plan_crs,
            &loaded.report.metric_crs,
            &loaded.dataset,
            &profile.kinds,
            &profile.checks,
        )?;
        for w in &read.warnings {
            events.warn(w);
        }
        let n = read.plan.projects.len();
        events.say(&Text::new(
            format!("规划项目 {}: {n}", path.display()),
            format!("planned projects {}: {n}", path.display()),
        ));
        plans.push(read.plan);
    }
    Ok(plans)
}
