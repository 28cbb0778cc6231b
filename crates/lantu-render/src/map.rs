//! The maps: per street the 一张蓝图, an overview, and a coverage map per kind.

use crate::paint::{Layer, Painter, Raster, Rgb};
use crate::RenderError;
use geo::{BoundingRect, Coord, InteriorPoint, MapCoords, MultiPolygon, Rect};
use lantu_core::registry::{AREA_GAP, AREA_GAP_PER_100HH};
use lantu_core::{Analysis, Assignment, CommunityId, Dataset, Lang, Profile, ServiceKind};
use lantu_engine::style::{gap_class_label, no_street_name, GAP_CLASSES, LABEL_FONT};
use lantu_engine::CoverageArea;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};

/// How the maps are drawn and annotated.
#[derive(Clone, Debug)]
pub struct MapOptions {
    /// Dots per inch of the A4 landscape page.
    pub dpi: u32,
    /// Language of titles and legends.
    pub lang: Lang,
    /// Data sources, for the note.
    pub source_note: String,
    /// The CRS, for the note.
    pub crs_note: String,
    /// The date, for the note.
    pub date: String,
    /// How distances were measured (`network`, `euclidean`).
    pub metric: String,
    /// The project's note (e.g. 合成示例数据), drawn in red beside the title of every map.
    pub note: Option<String>,
}

/// What the maps show.
pub struct MapData<'a> {
    /// The dataset.
    pub dataset: &'a Dataset,
    /// Its assignment.
    pub assignment: &'a Assignment,
    /// The analysis.
    pub analysis: &'a Analysis,
    /// The rules (circles).
    pub profile: &'a Profile,
    /// Coverage areas per kind and circle (network runs only).
    pub coverage_areas: &'a [CoverageArea],
    /// Recommended sites, when asked for.
    pub plan: Option<&'a lantu_core::SitePlan>,
    /// Planned projects (`--plan`), drawn as blue triangles on the street maps and the overview.
    pub projects: Vec<&'a lantu_core::PlannedProject>,
}

const A4_MM: (f64, f64) = (297.0, 210.0);
/// More walkways than this in view are not drawn: on an A4 page they merge into grey.
const DENSE_WALKWAYS: usize = 60_000;
/// More buildings than this in view: only the highlighted (uncovered) ones are drawn.
const DENSE_BUILDINGS: usize = 120_000;

/// The page: sizes in pixels from millimetres and points at the chosen dpi.
pub(crate) struct Page {
    pub(crate) dpi: f64,
    pub(crate) w: u32,
    pub(crate) h: u32,
}

impl Page {
    pub(crate) fn new(dpi: u32) -> Page {
        let dpi = dpi as f64;
        Page { dpi, w: (A4_MM.0 / 25.4 * dpi).round() as u32, h: (A4_MM.1 / 25.4 * dpi).round() as u32 }
    }
    pub(crate) fn mm(&self, mm: f64) -> f64 {
        mm / 25.4 * self.dpi
    }
    pub(crate) fn pt(&self, pt: f64) -> f64 {
        pt / 72.0 * self.dpi
    }
    pub(crate) fn font(&self, pt: f64) -> FontDesc<'static> {
        (LABEL_FONT, self.pt(pt)).into_font()
    }
    /// The map frame: (x0, y0, x1, y1) in pixels.
    pub(crate) fn frame(&self) -> (f64, f64, f64, f64) {
        (self.mm(8.0), self.mm(24.0), self.w as f64 - self.mm(72.0), self.h as f64 - self.mm(16.0))
    }
}

/// World (metric CRS) → pixels, north up, same scale on both axes.
#[derive(Clone, Copy)]
pub(crate) struct View {
    pub(crate) scale: f64, // pixels per metre
    ox: f64,
    oy: f64,
    cx: f64,
    cy: f64,
}

impl View {
    pub(crate) fn fit(world: Rect, frame: (f64, f64, f64, f64)) -> View {
        let (fw, fh) = (frame.2 - frame.0, frame.3 - frame.1);
        let (ww, wh) = (world.width().max(1.0) * 1.08, world.height().max(1.0) * 1.08);
        let scale = (fw / ww).min(fh / wh);
        View {
            scale,
            ox: (frame.0 + frame.2) / 2.0,
            oy: (frame.1 + frame.3) / 2.0,
            cx: world.center().x,
            cy: world.center().y,
        }
    }
    pub(crate) fn px(&self, c: Coord) -> Coord {
        Coord { x: self.ox + (c.x - self.cx) * self.scale, y: self.oy - (c.y - self.cy) * self.scale }
    }
    pub(crate) fn pi(&self, c: Coord) -> (i32, i32) {
        let p = self.px(c);
        (p.x.round() as i32, p.y.round() as i32)
    }
    pub(crate) fn poly(&self, m: &MultiPolygon) -> MultiPolygon {
        m.map_coords(|c| self.px(c))
    }
}

/// One legend entry.
enum Key {
    Fill((u8, u8, u8), f64),
    Dot((u8, u8, u8)),
    Heading,
    Star,
    Triangle,
}

/// Homes the ordinary walk reaches but the barrier-free one does not.
const SHORTFALL: (u8, u8, u8) = (245, 140, 0);

struct Job {
    file: String,
    title: String,
    subtitle: String,
    extent: Rect,
    focus: Vec<CommunityId>,
    coverage: Vec<(ServiceKind, f64)>, // kinds shown as areas, with alpha
    facility_kinds: Vec<ServiceKind>,
    uncovered_kinds: Vec<ServiceKind>, // residential buildings beyond these kinds' circles
    gap_fill: bool,
    /// Homes the ordinary walk reaches for this kind but the barrier-free one does not.
    accessible_shortfall: Option<ServiceKind>,
    /// Beside each community's name, the share of the people this kind serves (the old,
    /// infants, children) within its circle: the coverage view by people.
    people_share: Option<ServiceKind>,
}

impl Job {
    /// Whether a community is one the map is about (the others are grey context).
    fn in_focus(&self, c: CommunityId) -> bool {
        self.focus.contains(&c)
    }
}

fn extent_of(d: &Dataset, ids: &[CommunityId]) -> Option<Rect> {
    ids.iter().filter_map(|c| d.community(*c).boundary.bounding_rect()).reduce(|a, b| {
        Rect::new(
            Coord { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            Coord { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}

/// Draws every map into `dir` and returns their paths, sorted.
pub fn render_maps(dir: &Path, data: &MapData, opts: &MapOptions) -> Result<Vec<PathBuf>, RenderError> {
    Maps::new(data, opts)?.render(dir)
}

/// The maps of a run: what each shows, ready to be drawn as PNG files ([`Maps::render`])
/// or as vectors on the PDF's pages ([`crate::write_book_pdf`]).
pub struct Maps<'a> {
    data: &'a MapData<'a>,
    opts: &'a MapOptions,
    jobs: Vec<Job>,
    index: Index,
    /// Each street's boundary (the union of its communities' when the data give none),
    /// worked out once for every map that draws it.
    street_boundaries: Vec<Option<MultiPolygon>>,
    /// The bounding box of every polygon of every coverage area: a street's map fills only
    /// the few dozen of a city's thousands that reach into its frame.
    area_boxes: Vec<Vec<Option<Rect>>>,
}

impl<'a> Maps<'a> {
    /// The maps of `data`; an error when no font has the Chinese glyphs the labels need.
    pub fn new(data: &'a MapData<'a>, opts: &'a MapOptions) -> Result<Maps<'a>, RenderError> {
        // labels must not turn into boxes: refuse to draw without a font that has the glyphs
        crate::chinese_font()?;
        use rayon::prelude::*;
        let street_boundaries = data.analysis.streets.par_iter().map(|s| s.boundary(data.dataset)).collect();
        let area_boxes =
            data.coverage_areas.par_iter().map(|a| a.area.0.iter().map(|p| p.bounding_rect()).collect()).collect();
        let index = Index::new(data.dataset);
        Ok(Maps { data, opts, jobs: jobs(data, opts), index, street_boundaries, area_boxes })
    }

    /// Draws every map into `dir` as PNG and returns their paths, sorted.
    pub fn render(&self, dir: &Path) -> Result<Vec<PathBuf>, RenderError> {
        use rayon::prelude::*;
        std::fs::create_dir_all(dir).map_err(|e| RenderError::write(dir, e))?;
        let mut paths: Vec<PathBuf> =
            self.jobs.par_iter().map(|job| self.draw_png(dir, job)).collect::<Result<Vec<_>, _>>()?;
        paths.sort();
        Ok(paths)
    }

    /// Whether one of these maps is saved as `file` (a street with no community boundary
    /// has none).
    pub fn has(&self, file: &str) -> bool {
        self.jobs.iter().any(|j| j.file == file)
    }

    /// How the maps are drawn (dpi, language, notes).
    pub(crate) fn options(&self) -> &MapOptions {
        self.opts
    }

    /// The page the maps are drawn on, and its map frame.
    pub(crate) fn page(&self) -> (Page, (f64, f64, f64, f64)) {
        let page = Page::new(self.opts.dpi);
        let frame = page.frame();
        (page, frame)
    }

    /// Paints the map saved as `file` (nothing when none is: see [`Maps::has`]).
    pub(crate) fn paint_file(&self, file: &str, p: &mut dyn Painter) -> Result<(), RenderError> {
        match self.jobs.iter().find(|j| j.file == file) {
            Some(job) => self.paint(job, p),
            None => Ok(()),
        }
    }

    fn draw_png(&self, dir: &Path, job: &Job) -> Result<PathBuf, RenderError> {
        let (page, frame) = self.page();
        let mut raster = Raster::new(page.w, page.h, frame);
        self.paint(job, &mut raster)?;
        let path = dir.join(&job.file);
        raster.canvas.write_png(&path, self.opts.dpi).map_err(|e| RenderError::write(&path, e))?;
        Ok(path)
    }
}

/// What each map shows: a street's 一张蓝图 each, the overview, a map of reach per kind
/// and of barrier-free reach per core kind.
fn jobs(data: &MapData, opts: &MapOptions) -> Vec<Job> {
    let d = data.dataset;
    let lang = opts.lang;
    let all: Vec<CommunityId> = d.communities.iter().map(|c| c.id).collect();
    let Some(all_extent) = extent_of(d, &all) else { return Vec::new() };
    let kinds = &data.analysis.kinds;
    let core: Vec<ServiceKind> = kinds.core();
    let mut jobs = Vec::new();
    for s in &data.analysis.streets {
        let Some(extent) = extent_of(d, &s.communities) else { continue };
        let (code, name) = match s.id {
            Some(id) => (d.streets[id.index()].code.clone(), d.streets[id.index()].name.clone()),
            None => ("none".into(), no_street_name(lang).to_string()),
        };
        jobs.push(Job {
            file: format!("street_{}.png", lantu_engine::style::code_file_stem(&code)),
            title: lang.pick(format!("{name} 一张蓝图：社区嵌入式服务设施"), format!("{name}: the blueprint of embedded service facilities")),
            subtitle: if lang == Lang::Zh {
                format!("社区按{}着色；半透明为一老一小服务的步行覆盖范围；红色为生活圈内无一老一小服务的住宅", AREA_GAP_PER_100HH.zh)
            } else {
                "communities by area gap per 100 households; shaded: walking reach of the core services; red: homes with no core service in reach".into()
            },
            extent,
            focus: s.communities.clone(),
            coverage: core.iter().map(|k| (*k, 0.22)).collect(),
            facility_kinds: kinds.all().collect(),
            uncovered_kinds: core.clone(),
            gap_fill: true,
            accessible_shortfall: None,
            people_share: None,
        });
    }
    jobs.push(Job {
        file: "overview.png".into(),
        title: lang.pick(
            format!("全域总览：各社区每百户服务设施{}", AREA_GAP.zh),
            "Overview: service floor area gap per 100 households".into(),
        ),
        subtitle: lang.pick("粗线为街道边界".into(), "thick lines: street boundaries".into()),
        extent: all_extent,
        focus: all.clone(),
        coverage: vec![],
        facility_kinds: kinds.all().collect(),
        uncovered_kinds: vec![],
        gap_fill: true,
        accessible_shortfall: None,
        people_share: None,
    });
    for k in kinds.all() {
        let c = &data.analysis.circles[k.index()];
        let by_air = kinds.def(k).by_air();
        let (name_zh, name_en) = (kinds.name(k, Lang::Zh), kinds.name(k, Lang::En));
        jobs.push(Job {
            file: format!("coverage_{}.png", kinds.code(k)),
            title: match (lang == Lang::Zh, by_air) {
                (true, false) => {
                    format!("{name_zh}步行覆盖（{}生活圈，{:.0} 米）", c.name.replace("min", " 分钟"), c.radius_m.0)
                }
                (true, true) => format!("{name_zh}直线覆盖（{:.0} 米）", c.radius_m.0),
                (false, false) => format!("Walking coverage: {name_en} ({} circle, {:.0} m)", c.name, c.radius_m.0),
                (false, true) => format!("Straight-line coverage: {name_en} ({:.0} m)", c.radius_m.0),
            },
            subtitle: {
                let reach: String = match (lang == Lang::Zh, by_air) {
                    (true, false) => "着色为可步行到达的范围；红色为生活圈内无此服务的住宅".into(),
                    (true, true) => "着色为直线距离可达的范围；红色为范围内无此服务的住宅".into(),
                    (false, false) => "shaded: within walking reach; red: homes without this service in reach".into(),
                    (false, true) => {
                        "shaded: within straight-line reach; red: homes without this service in reach".into()
                    }
                };
                match group_words(kinds.def(k).serves) {
                    Some((zh, en)) => lang.pick(
                        format!("{reach}；社区名旁为本社区{zh}在范围内的比例"),
                        format!("{reach}; beside each community's name, the share of its {en} in reach"),
                    ),
                    None => reach,
                }
            },
            extent: all_extent,
            focus: all.clone(),
            coverage: vec![(k, 0.4)],
            facility_kinds: vec![k],
            uncovered_kinds: vec![k],
            gap_fill: false,
            accessible_shortfall: None,
            people_share: group_words(kinds.def(k).serves).map(|_| k),
        });
    }
    // where barrier-free reach (no stairs without a ramp, no steep slopes) falls short of
    // the ordinary walk, for each core (一老一小) kind
    if data.analysis.building_distances_accessible.is_some() {
        for k in core.iter().copied() {
            let c = &data.analysis.circles[k.index()];
            jobs.push(Job {
                file: format!("accessible_{}.png", kinds.code(k)),
                title: lang.pick(format!("{}无障碍步行覆盖（{:.0} 米）：轮椅、助行器与婴儿车可达的差距", kinds.zh(k), c.radius_m.0), format!("Barrier-free reach: {} ({:.0} m) for wheelchairs, walking frames and prams", kinds.name(k, Lang::En), c.radius_m.0)),
                subtitle: if lang == Lang::Zh {
                    "橙色：普通步行可达、无障碍步行不可达的住宅（无坡道台阶或坡度过陡）；红色：均不可达".into()
                } else {
                    "orange: homes in reach on foot but not barrier-free (stairs without a ramp, steep slopes); red: in reach of neither".into()
                },
                extent: all_extent,
                focus: all.clone(),
                coverage: vec![(k, 0.3)],
                facility_kinds: vec![k],
                uncovered_kinds: vec![k],
                gap_fill: false,
                accessible_shortfall: Some(k),
                people_share: None,
            });
        }
    }
    jobs
}

/// R-trees over building and walkway envelopes, so that each map touches only what it shows
/// (a city has hundreds of street maps and half a million buildings).
struct Index {
    /// Each community's bounding box, by its index.
    communities: Vec<Option<Rect>>,
    buildings: rstar::RTree<rstar::primitives::GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, usize>>,
    walkways: rstar::RTree<rstar::primitives::GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, usize>>,
}

impl Index {
    fn new(d: &Dataset) -> Index {
        use rstar::primitives::{GeomWithData, Rectangle};
        let entry = |r: Rect, i: usize| {
            GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i)
        };
        Index {
            communities: d.communities.iter().map(|c| c.boundary.bounding_rect()).collect(),
            buildings: rstar::RTree::bulk_load(
                d.buildings
                    .iter()
                    .enumerate()
                    .filter_map(|(i, b)| Some(entry(b.footprint.bounding_rect()?, i)))
                    .collect(),
            ),
            walkways: rstar::RTree::bulk_load(
                d.walkways.iter().enumerate().filter_map(|(i, w)| Some(entry(w.line.bounding_rect()?, i))).collect(),
            ),
        }
    }

    /// The indices of the items whose envelopes meet the rectangle, in input order.
    fn within(
        tree: &rstar::RTree<rstar::primitives::GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, usize>>,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
    ) -> Vec<usize> {
        let mut v: Vec<usize> = tree
            .locate_in_envelope_intersecting(&rstar::AABB::from_corners([x0, y0], [x1, y1]))
            .map(|e| e.data)
            .collect();
        v.sort_unstable();
        v
    }
}

impl Maps<'_> {
    /// Draws one map: areas first, then lines, points, labels, the frame and its texts.
    fn paint(&self, job: &Job, p: &mut dyn Painter) -> Result<(), RenderError> {
        let (data, opts, index) = (self.data, self.opts, &self.index);
        let lang = opts.lang;
        let page = Page::new(opts.dpi);
        let frame = page.frame();
        let view = View::fit(job.extent, frame);

        // what the frame shows, in world coordinates: everything else is skipped
        let (wx0, wy1) = ((frame.0 - view.ox) / view.scale + view.cx, (view.oy - frame.1) / view.scale + view.cy);
        let (wx1, wy0) = ((frame.2 - view.ox) / view.scale + view.cx, (view.oy - frame.3) / view.scale + view.cy);
        fill_areas(p, job, data, &self.area_boxes, &view, index, (wx0, wy0, wx1, wy1));
        let streets = &self.street_boundaries;
        draw_features(p, job, data, streets, &view, &page, frame, index, (wx0, wy0, wx1, wy1))?;
        draw_community_labels(p, job, data, &view, &page, frame)?;

        // the note first, on the subtitle's line; then frame, title, subtitle, sources
        if let Some(note) = &opts.note {
            // at the top right, on the subtitle's line (titles run long), where a reader
            // cannot miss that the data are not real
            let at = (frame.2 as i32 as f64, page.mm(14.0) as i32 as f64);
            p.text(
                Layer::Page,
                &format!("【{note}】"),
                at,
                &page.font(12.0),
                (200, 30, 30),
                Pos::new(HPos::Right, VPos::Top),
            )?;
        }
        let sources = lang.pick(
            format!(
                "数据来源：{}　坐标系：{}　距离：{}　制图：lantu {}　日期：{}",
                opts.source_note,
                opts.crs_note,
                metric_name(&opts.metric, lang),
                env!("CARGO_PKG_VERSION"),
                opts.date
            ),
            format!(
                "Data: {}   CRS: {}   distance: {}   made with lantu {}   {}",
                opts.source_note,
                opts.crs_note,
                metric_name(&opts.metric, lang),
                env!("CARGO_PKG_VERSION"),
                opts.date
            ),
        );
        page_frame_and_texts(p, &page, frame, &job.title, &job.subtitle, &sources)?;

        scale_bar(p, &page, &view, frame, lang)?;
        north_arrow(p, &page, frame, lang)?;

        let keys = legend_keys(job, data, lang);
        let lx = (frame.2 + page.mm(5.0)) as i32;
        let mut ly = frame.1 as i32;
        let at = |x: i32, y: i32| (x as f64, y as f64);
        let top_left = Pos::default();
        p.text(Layer::Page, lang.pick("图例", "Legend"), at(lx, ly), &page.font(11.0), BLACK_RGB, top_left)?;
        ly += page.mm(7.0) as i32;
        let sw = page.mm(6.0) as i32;
        let sh = page.mm(3.6) as i32;
        for (key, label) in keys {
            match key {
                Key::Heading => {
                    ly += page.mm(1.5) as i32;
                    p.text(Layer::Page, &label, at(lx, ly), &page.font(8.5), BLACK_RGB, top_left)?;
                    ly += page.mm(5.0) as i32;
                    continue;
                }
                Key::Fill(c, alpha) => {
                    let mixed = (mix(c.0, alpha), mix(c.1, alpha), mix(c.2, alpha));
                    p.rect(Layer::Page, at(lx, ly), at(lx + sw, ly + sh), mixed, 1.0)?;
                    p.frame(Layer::Page, at(lx, ly), at(lx + sw, ly + sh), (90, 90, 90), 1.0)?;
                }
                Key::Dot(c) => p.circle(Layer::Page, at(lx + sw / 2, ly + sh / 2), page.mm(1.2), c, true)?,
                Key::Star => draw_star(p, Layer::Page, (lx + sw / 2, ly + sh / 2), page.mm(2.2), (255, 200, 0))?,
                Key::Triangle => draw_triangle(p, Layer::Page, (lx + sw / 2, ly + sh / 2), page.mm(1.8))?,
            }
            p.text(Layer::Page, &label, at(lx + sw + page.mm(2.0) as i32, ly), &page.font(7.5), BLACK_RGB, top_left)?;
            ly += page.mm(5.0) as i32;
        }
        Ok(())
    }
}

/// Black, for lines and text.
pub(crate) const BLACK_RGB: Rgb = (0, 0, 0);

/// What every page has: the map's frame, the title and the line under it at the top, the
/// sources at the bottom (maps and one-page sheets alike).
pub(crate) fn page_frame_and_texts(
    p: &mut dyn Painter,
    page: &Page,
    frame: (f64, f64, f64, f64),
    title: &str,
    subtitle: &str,
    footnote: &str,
) -> Result<(), RenderError> {
    let corner = |x: f64, y: f64| (x as i32 as f64, y as i32 as f64);
    p.frame(Layer::Page, corner(frame.0, frame.1), corner(frame.2, frame.3), BLACK_RGB, 2.0)?;
    let grey = (60, 60, 60);
    let left = page.mm(8.0) as i32 as f64;
    let top_left = Pos::default();
    p.text(Layer::Page, title, (left, page.mm(6.0) as i32 as f64), &page.font(16.0), BLACK_RGB, top_left)?;
    p.text(Layer::Page, subtitle, (left, page.mm(15.0) as i32 as f64), &page.font(8.5), grey, top_left)?;
    let bottom = (page.h as f64 - page.mm(11.0)) as i32 as f64;
    p.text(Layer::Page, footnote, (left, bottom), &page.font(6.5), grey, top_left)
}

fn metric_name(metric: &str, lang: Lang) -> &'static str {
    match (metric, lang == Lang::Zh) {
        ("network", true) => "步行网络距离",
        ("network", false) => "walking network",
        (_, true) => "直线距离",
        (_, false) => "straight line",
    }
}

/// A page pixel in the coordinates of the map area that starts at the frame's corner.
fn in_frame(frame: (f64, f64, f64, f64), p: (i32, i32)) -> (i32, i32) {
    (p.0 - frame.0 as i32, p.1 - frame.1 as i32)
}

fn mix(v: u8, alpha: f64) -> u8 {
    (255.0 + (v as f64 - 255.0) * alpha).round() as u8
}

/// Community names where they fit inside the frame, without overlapping each other.
/// The words for the group a kind serves (the registry's), when it serves one, not everyone.
fn group_words(serves: lantu_core::TargetGroup) -> Option<(&'static str, &'static str)> {
    let t = lantu_core::registry::group_term(serves);
    (serves != lantu_core::TargetGroup::All).then_some((t.zh, t.en))
}

/// A community's label: its name, and on a coverage map by people the share of the
/// kind's people within reach (– where the community has none of them).
fn community_label(name: &str, people_share: Option<Option<f64>>) -> String {
    match people_share {
        Some(Some(share)) => format!("{name} · {:.0}%", share * 100.0),
        Some(None) => format!("{name} · –"),
        None => name.to_string(),
    }
}

fn draw_community_labels(
    p: &mut dyn Painter,
    job: &Job,
    data: &MapData,
    view: &View,
    page: &Page,
    frame: (f64, f64, f64, f64),
) -> Result<(), RenderError> {
    let (d, a) = (data.dataset, data.analysis);
    let off = |p: (i32, i32)| in_frame(frame, p);
    // back from the map area's pixels to the page's
    let on_page = |x: i32, y: i32| ((x + frame.0 as i32) as f64, (y + frame.1 as i32) as f64);
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    let font = page.font(if job.focus.len() > 30 { 6.0 } else { 8.0 });
    let mut order: Vec<&lantu_core::CommunityFigures> = a.communities.iter().filter(|f| job.in_focus(f.id)).collect();
    order.sort_by_key(|f| f.priority_rank); // the most in need get their label first
    for f in order {
        let c = d.community(f.id);
        let Some(inner) = c.boundary.interior_point() else { continue };
        let (x, y) = off(view.pi(inner.0));
        let text = community_label(&c.name, job.people_share.map(|k| f.coverage_people[k.index()]));
        let (tw, th) = font.box_size(&text).map_err(crate::paint::draw_error)?;
        // a little room around the text: box_size is tight, and a label must stay readable
        let (hw, hh) = (tw as i32 * 11 / 20 + 4, th as i32 / 2 + 3);
        let rect = (x - hw, y - hh, x + hw, y + hh);
        let inside =
            rect.0 >= 0 && rect.1 >= 0 && rect.2 <= (frame.2 - frame.0) as i32 && rect.3 <= (frame.3 - frame.1) as i32;
        if !inside || placed.iter().any(|q| rect.0 < q.2 && q.0 < rect.2 && rect.1 < q.3 && q.1 < rect.3) {
            continue;
        }
        placed.push(rect);
        p.rect(Layer::Map, on_page(rect.0, rect.1), on_page(rect.2, rect.3), (255, 255, 255), 0.7)?;
        p.text(Layer::Map, &text, on_page(x, y), &font, BLACK_RGB, Pos::new(HPos::Center, VPos::Center))?;
    }
    Ok(())
}

/// Walkways, community and street outlines, facilities and candidate sites, on the map area.
#[allow(clippy::too_many_arguments)]
fn draw_features(
    p: &mut dyn Painter,
    job: &Job,
    data: &MapData,
    street_boundaries: &[Option<MultiPolygon>],
    view: &View,
    page: &Page,
    frame: (f64, f64, f64, f64),
    index: &Index,
    world: (f64, f64, f64, f64),
) -> Result<(), RenderError> {
    let d = data.dataset;
    let (wx0, wy0, wx1, wy1) = world;
    let thin = page.mm(0.15).max(1.0);
    let walkways: Vec<&lantu_core::Walkway> =
        Index::within(&index.walkways, wx0, wy0, wx1, wy1).into_iter().map(|i| &d.walkways[i]).collect();
    // a network denser than the page can show is left out (the coverage areas show it)
    let walkways = if walkways.len() > DENSE_WALKWAYS { Vec::new() } else { walkways };
    let line = |l: &geo::LineString| -> Vec<(f64, f64)> { l.0.iter().map(|c| view.px(*c).x_y()).collect() };
    // lines over lines of their own kind: the outlines drawn over every walkway, the
    // streets' over the communities'
    p.begin_group();
    for w in walkways {
        p.line(Layer::Map, &line(&w.line), (170, 170, 170), thin)?;
    }
    p.end_group();
    p.begin_group();
    // outlines that stay out of the frame by more than their width and a few pixels are
    // not drawn
    let margin = (page.mm(0.35) + 4.0) / view.scale;
    for c in &d.communities {
        if !reaches(&index.communities[c.id.index()], world, margin) {
            continue;
        }
        let w = if job.in_focus(c.id) { page.mm(0.35) } else { page.mm(0.2) };
        for poly in &c.boundary {
            p.line(Layer::Map, &line(poly.exterior()), (80, 80, 80), w.max(1.0))?;
        }
    }
    for poly in street_boundaries.iter().flatten().flatten() {
        p.line(Layer::Map, &line(poly.exterior()), BLACK_RGB, page.mm(0.8))?;
    }
    p.end_group();
    let r = page.mm(0.9);
    let (fw, fh) = ((frame.2 - frame.0) as i32, (frame.3 - frame.1) as i32);
    // plotters pins points outside the area to its edge: leave them out instead
    let visible = |q: (i32, i32)| {
        let q = in_frame(frame, q);
        q.0 >= 0 && q.1 >= 0 && q.0 <= fw && q.1 <= fh
    };
    let at = |q: (i32, i32)| (q.0 as f64, q.1 as f64);
    // facilities: their dots, then every white ring over them
    p.begin_group();
    for f in &d.facilities {
        let Some(k) = f.kinds.iter().find(|k| job.facility_kinds.contains(k)) else { continue };
        let q = view.pi(f.location.0);
        if !visible(q) {
            continue;
        }
        p.marker(at(q), r, data.analysis.kinds.rgb(*k), (255, 255, 255))?;
    }
    p.end_group();
    for (i, c) in d.candidates.iter().enumerate() {
        let q = view.pi(c.location.0);
        if !visible(q) {
            continue;
        }
        let site = data.plan.and_then(|plan| plan.sites.iter().find(|s| s.candidate.index() == i));
        match site {
            Some(s) => {
                draw_star(p, Layer::Map, q, page.mm(3.2), (255, 200, 0))?;
                let label = at((q.0 + page.mm(3.0) as i32, q.1));
                let left_middle = Pos::new(HPos::Left, VPos::Center);
                p.text(Layer::Map, &format!("#{}", s.rank), label, &page.font(8.0), BLACK_RGB, left_middle)?;
            }
            None => draw_star(p, Layer::Map, q, page.mm(1.8), (200, 200, 200))?,
        }
    }
    if job.gap_fill {
        for project in &data.projects {
            let q = view.pi(project.location.0);
            if visible(q) {
                draw_triangle(p, Layer::Map, q, page.mm(2.4))?;
            }
        }
    }
    Ok(())
}

/// A planned project: a blue triangle.
fn draw_triangle(p: &mut dyn Painter, layer: Layer, c: (i32, i32), r: f64) -> Result<(), RenderError> {
    let r = r as i32;
    let pts: Vec<(f64, f64)> = [(c.0, c.1 - r), (c.0 + r, c.1 + r * 3 / 4), (c.0 - r, c.1 + r * 3 / 4)]
        .iter()
        .map(|q| (q.0 as f64, q.1 as f64))
        .collect();
    p.polygon(layer, &pts, (33, 113, 181))?;
    let outline: Vec<(f64, f64)> = pts.iter().copied().chain(std::iter::once(pts[0])).collect();
    p.line(layer, &outline, (255, 255, 255), 1.0)
}

/// Whether a bounding box reaches into the world window (x0, y0, x1, y1) or within `margin`
/// of it.
fn reaches(r: &Option<Rect>, (x0, y0, x1, y1): (f64, f64, f64, f64), margin: f64) -> bool {
    r.is_some_and(|r| {
        r.max().x >= x0 - margin && r.min().x <= x1 + margin && r.max().y >= y0 - margin && r.min().y <= y1 + margin
    })
}

/// The filled areas, with lantu's own filler (holes, transparency): communities by gap,
/// coverage areas, then buildings (homes out of reach highlighted) within `world`.
fn fill_areas(
    p: &mut dyn Painter,
    job: &Job,
    data: &MapData,
    area_boxes: &[Vec<Option<Rect>>],
    view: &View,
    index: &Index,
    world: (f64, f64, f64, f64),
) {
    let (d, a) = (data.dataset, data.analysis);
    let (wx0, wy0, wx1, wy1) = world;
    // what reaches into the frame, with a margin of a few pixels: both painters leave out
    // anything further anyway, so leaving it out here changes no pixel and no path
    let margin = 4.0 / view.scale;
    p.begin_group(); // communities do not overlap
    for f in &a.communities {
        if !reaches(&index.communities[f.id.index()], world, margin) {
            continue;
        }
        let fill = match (job.gap_fill && job.in_focus(f.id), lantu_engine::style::community_gap_class(f)) {
            (true, Some(i)) => (GAP_CLASSES[i].1, 0.6),
            (true, None) => ((200, 200, 200), 0.6),
            _ => ((235, 235, 235), 1.0),
        };
        p.area(&view.poly(&d.community(f.id).boundary), fill.0, fill.1);
    }
    p.end_group();
    let kinds = &a.kinds;
    for (kind, alpha) in &job.coverage {
        let circle = &a.circles[kind.index()].name;
        for (area, boxes) in data.coverage_areas.iter().zip(area_boxes) {
            if area.kind != *kind || &area.circle != circle {
                continue;
            }
            let in_frame: Vec<geo::Polygon> = area
                .area
                .0
                .iter()
                .zip(boxes)
                .filter(|(_, b)| reaches(b, world, margin))
                .map(|(poly, _)| poly.clone())
                .collect();
            p.area(&view.poly(&MultiPolygon(in_frame)), kinds.rgb(*kind), *alpha);
        }
    }
    let in_view = Index::within(&index.buildings, wx0, wy0, wx1, wy1);
    // at city scale, half a million grey footprints are a texture, not information
    let draw_other_buildings = in_view.len() <= DENSE_BUILDINGS;
    p.begin_group(); // nor do buildings
    for i in in_view {
        let b = &d.buildings[i];
        let Some(br) = b.footprint.bounding_rect() else { continue };
        let homes = b.households.is_some_and(|h| h.0 > 0.0) && data.assignment.building_community[i].is_some();
        let uncovered =
            homes && !job.uncovered_kinds.is_empty() && job.uncovered_kinds.iter().all(|k| !a.covered(i, *k));
        let short =
            homes && !uncovered && job.accessible_shortfall.is_some_and(|k| a.covered_accessible(i, k) == Some(false));
        if !uncovered && !short && !draw_other_buildings {
            continue;
        }
        // on a map of reach, the homes in reach are told apart from buildings that are no homes
        let covered_home = homes && !uncovered && !short && !job.uncovered_kinds.is_empty();
        let colour = if short {
            SHORTFALL
        } else if uncovered {
            (215, 25, 28)
        } else if covered_home {
            COVERED_HOME
        } else {
            (150, 150, 150)
        };
        let alpha = if uncovered || short {
            0.9
        } else if covered_home {
            0.7
        } else {
            0.5
        };
        if br.width() * view.scale < 2.0 && br.height() * view.scale < 2.0 {
            // smaller than two pixels: a dot is what the eye sees anyway
            p.dot(view.px(br.center()), colour, alpha);
        } else {
            p.area(&view.poly(&b.footprint), colour, alpha);
        }
    }
    p.end_group();
}

/// Homes with the map's services in reach, on a map of reach: darker than the grey of
/// buildings that are no homes.
const COVERED_HOME: (u8, u8, u8) = (70, 90, 120);

/// The legend of a map: what its fills, dots and stars mean.
fn legend_keys(job: &Job, data: &MapData, lang: Lang) -> Vec<(Key, String)> {
    let (d, kinds) = (data.dataset, &data.analysis.kinds);
    let radius = |k: ServiceKind| data.analysis.circles[k.index()].radius_m.0;
    let mut keys: Vec<(Key, String)> = Vec::new();
    if job.gap_fill {
        keys.push((Key::Heading, AREA_GAP_PER_100HH.get(lang).into()));
        for (i, (_, colour)) in GAP_CLASSES.iter().enumerate() {
            keys.push((Key::Fill(*colour, 0.6), gap_class_label(i, lang)));
        }
        keys.push((Key::Fill((200, 200, 200), 0.6), lang.pick("户数缺失".into(), "no households".into())));
    }
    if !job.coverage.is_empty() && !data.coverage_areas.is_empty() {
        keys.push((Key::Heading, lang.pick("步行覆盖范围".into(), "walking reach".into())));
        for (k, alpha) in &job.coverage {
            let label = lang.pick(
                format!("{}（{:.0} 米）", kinds.zh(*k), radius(*k)),
                format!("{} ({:.0} m)", kinds.name(*k, lang), radius(*k)),
            );
            keys.push((Key::Fill(kinds.rgb(*k), *alpha + 0.1), label));
        }
    }
    keys.push((Key::Heading, lang.pick("服务设施".into(), "facilities".into())));
    for k in &job.facility_kinds {
        keys.push((Key::Dot(kinds.rgb(*k)), kinds.name(*k, lang).to_string()));
    }
    if job.accessible_shortfall.is_some() {
        keys.push((
            Key::Fill(SHORTFALL, 0.9),
            lang.pick("无障碍步行不可达的住宅".into(), "homes out of barrier-free reach".into()),
        ));
    }
    if !job.uncovered_kinds.is_empty() {
        keys.push((
            Key::Fill((215, 25, 28), 0.9),
            lang.pick("生活圈内无服务的住宅".into(), "homes without the service in reach".into()),
        ));
    }
    let other = if job.uncovered_kinds.is_empty() {
        lang.pick("建筑", "buildings")
    } else {
        keys.push((
            Key::Fill(COVERED_HOME, 0.7),
            lang.pick("生活圈内有服务的住宅".into(), "homes with the service in reach".into()),
        ));
        lang.pick("非住宅建筑", "buildings that are not homes")
    };
    keys.push((Key::Fill((150, 150, 150), 0.5), other.into()));
    if !d.candidates.is_empty() {
        let label = match (data.plan.is_some(), lang == Lang::Zh) {
            (true, true) => "建议改造选址（#顺序）",
            (true, false) => "recommended sites (#rank)",
            (false, true) => "闲置资源（候选）",
            (false, false) => "candidate sites",
        };
        keys.push((Key::Star, label.into()));
    }
    if job.gap_fill && !data.projects.is_empty() {
        keys.push((Key::Triangle, lang.pick("规划项目".into(), "planned projects".into())));
    }
    keys
}

/// A star: a candidate site, or a recommended one (larger, yellow).
pub(crate) fn draw_star(
    p: &mut dyn Painter,
    layer: Layer,
    c: (i32, i32),
    r: f64,
    colour: Rgb,
) -> Result<(), RenderError> {
    let pts: Vec<(f64, f64)> = (0..10)
        .map(|i| {
            let rr = if i % 2 == 0 { r } else { r * 0.45 };
            let a = std::f64::consts::PI / 5.0 * i as f64 - std::f64::consts::FRAC_PI_2;
            ((c.0 + (rr * a.cos()) as i32) as f64, (c.1 + (rr * a.sin()) as i32) as f64)
        })
        .collect();
    p.polygon(layer, &pts, colour)?;
    let mut outline = pts;
    outline.push(outline[0]);
    p.line(layer, &outline, BLACK_RGB, 1.0)
}

/// A scale bar of a round length, about a fifth of the frame, in true metres (the map is
/// drawn in the metric CRS at one scale on both axes).
pub(crate) fn scale_bar(
    p: &mut dyn Painter,
    page: &Page,
    view: &View,
    frame: (f64, f64, f64, f64),
    lang: Lang,
) -> Result<(), RenderError> {
    let target = (frame.2 - frame.0) / 5.0 / view.scale;
    let nice = [1.0, 2.0, 5.0];
    let mut len = 1.0;
    'outer: for exp in 0..8 {
        for n in nice {
            let v = n * 10f64.powi(exp);
            if v > target {
                break 'outer;
            }
            len = v;
        }
    }
    let px = (len * view.scale) as i32;
    let x0 = (frame.0 + page.mm(5.0)) as i32;
    let y0 = (frame.3 - page.mm(7.0)) as i32;
    let h = page.mm(1.6) as i32;
    let label = if len >= 1000.0 {
        format!("{} km", len / 1000.0)
    } else {
        lang.pick(format!("{len:.0} 米"), format!("{len:.0} m"))
    };
    let f = page.font(7.0);
    let label_x = x0 + px - page.mm(3.0) as i32;
    // the light box ends just past the bar or its label, whichever reaches further
    let label_w = f.box_size(&label).map_or(page.mm(8.0) as u32, |(w, _)| w) as i32;
    let right = (x0 + px).max(label_x + label_w) + 6;
    let at = |x: i32, y: i32| (x as f64, y as f64);
    p.rect(Layer::Page, at(x0 - 6, y0 - page.mm(5.5) as i32), at(right, y0 + h + 6), (255, 255, 255), 0.8)?;
    for i in 0..4 {
        let (a, b) = (x0 + px * i / 4, x0 + px * (i + 1) / 4);
        let colour = if i % 2 == 0 { BLACK_RGB } else { (255, 255, 255) };
        p.rect(Layer::Page, at(a, y0), at(b, y0 + h), colour, 1.0)?;
    }
    p.frame(Layer::Page, at(x0, y0), at(x0 + px, y0 + h), BLACK_RGB, 1.0)?;
    p.text(Layer::Page, "0", at(x0, y0 - page.mm(4.0) as i32), &f, BLACK_RGB, Pos::default())?;
    p.text(Layer::Page, &label, at(label_x, y0 - page.mm(4.0) as i32), &f, BLACK_RGB, Pos::default())
}

/// A north arrow in the top-right corner of the frame (grid north of the metric CRS).
pub(crate) fn north_arrow(
    p: &mut dyn Painter,
    page: &Page,
    frame: (f64, f64, f64, f64),
    lang: Lang,
) -> Result<(), RenderError> {
    let cx = (frame.2 - page.mm(8.0)) as i32;
    let top = (frame.1 + page.mm(4.0)) as i32;
    let h = page.mm(10.0) as i32;
    let w = page.mm(3.5) as i32;
    let at = |x: i32, y: i32| (x as f64, y as f64);
    p.polygon(Layer::Page, &[at(cx, top), at(cx - w, top + h), at(cx, top + h * 3 / 4)], BLACK_RGB)?;
    p.polygon(Layer::Page, &[at(cx, top), at(cx + w, top + h), at(cx, top + h * 3 / 4)], (255, 255, 255))?;
    p.line(
        Layer::Page,
        &[at(cx, top), at(cx + w, top + h), at(cx, top + h * 3 / 4), at(cx - w, top + h), at(cx, top)],
        BLACK_RGB,
        1.0,
    )?;
    let centre_top = Pos::new(HPos::Center, VPos::Top);
    p.text(Layer::Page, lang.pick("北", "N"), at(cx, top + h + 2), &page.font(9.0), BLACK_RGB, centre_top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_coverage_map_by_people_labels_each_community_with_its_share() {
        assert_eq!(community_label("沧白路社区", Some(Some(0.2928))), "沧白路社区 · 29%");
        assert_eq!(community_label("沧白路社区", Some(None)), "沧白路社区 · –");
        assert_eq!(community_label("沧白路社区", None), "沧白路社区");
        // the maps of kinds serving one group say whose share it is; others keep the name
        assert_eq!(group_words(lantu_core::TargetGroup::Elderly), Some(("老年人", "old people")));
        assert_eq!(group_words(lantu_core::TargetGroup::All), None);
    }
}
