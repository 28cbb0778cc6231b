//! One-page sheets: a map on the left, figures on the right — the pilot community's
//! 一社区一方案 sheet and the change map of a street.

use crate::map::{draw_star, north_arrow, page_frame_and_texts, scale_bar, Page, View, BLACK_RGB};
use crate::paint::{Layer, Painter, Raster};
use crate::RenderError;
use geo::{BoundingRect, Coord, InteriorPoint, MultiPolygon, Point, Rect};
use lantu_core::Lang;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};

/// An area on a sheet's map.
pub struct SheetArea {
    /// The outline, in metres (any metric CRS).
    pub shape: MultiPolygon,
    /// Its fill.
    pub fill: (u8, u8, u8),
    /// Drawn with a thick outline: what the sheet is about.
    pub focus: bool,
    /// Its label (empty: none).
    pub label: String,
}

/// A point on a sheet's map.
pub struct SheetPoint {
    /// Where, in the areas' CRS.
    pub at: Point,
    /// Its colour.
    pub colour: (u8, u8, u8),
    /// A star (a site to build) rather than a dot.
    pub star: bool,
}

/// A line of the figures panel: text, and whether it is a heading.
pub struct SheetLine {
    /// The text.
    pub text: String,
    /// A heading (bold, larger).
    pub heading: bool,
}

/// One sheet.
pub struct Sheet {
    /// File name under the directory.
    pub file: String,
    /// Title.
    pub title: String,
    /// The line under the title.
    pub subtitle: String,
    /// The map: areas, then points.
    pub areas: Vec<SheetArea>,
    /// Points.
    pub points: Vec<SheetPoint>,
    /// What the map is framed on (`None`: every area).
    pub extent: Option<Rect>,
    /// The legend: colour, text, star.
    pub legend: Vec<((u8, u8, u8), String, bool)>,
    /// The figures panel.
    pub lines: Vec<SheetLine>,
    /// The footnote.
    pub footnote: String,
    /// A note in red at the top right (e.g. 合成示例数据).
    pub note: Option<String>,
}

/// Longitude/latitude to local metres (equirectangular about `lat0`): enough to draw a
/// street, not to measure.
pub fn lonlat_to_local(m: &MultiPolygon, lat0: f64) -> MultiPolygon {
    use geo::MapCoords;
    let k = lat0.to_radians().cos();
    m.map_coords(|c| Coord { x: c.x * 111_320.0 * k, y: c.y * 110_540.0 })
}

fn union(a: Rect, b: Rect) -> Rect {
    Rect::new(
        Coord { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
        Coord { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
    )
}

/// Draws the sheets into `dir` (A4 landscape at `dpi`) and returns their paths.
pub fn render_sheets(dir: &Path, sheets: &[Sheet], dpi: u32, lang: Lang) -> Result<Vec<PathBuf>, RenderError> {
    use rayon::prelude::*;
    crate::chinese_font()?;
    std::fs::create_dir_all(dir).map_err(|e| RenderError::write(dir, e))?;
    sheets.par_iter().map(|s| draw_sheet(dir, s, dpi, lang)).collect()
}

/// A sheet's page and its map frame: the map takes the left 60 %, the figures the rest.
pub(crate) fn sheet_page(dpi: u32) -> (Page, (f64, f64, f64, f64)) {
    let page = Page::new(dpi);
    let frame = (page.mm(8.0), page.mm(24.0), page.mm(175.0), page.h as f64 - page.mm(16.0));
    (page, frame)
}

fn draw_sheet(dir: &Path, s: &Sheet, dpi: u32, lang: Lang) -> Result<PathBuf, RenderError> {
    let (page, frame) = sheet_page(dpi);
    let mut raster = Raster::new(page.w, page.h, frame);
    paint_sheet(s, dpi, lang, &mut raster)?;
    let path = dir.join(&s.file);
    raster.canvas.write_png(&path, dpi).map_err(|e| RenderError::write(&path, e))?;
    Ok(path)
}

/// Draws one sheet: its areas, their outlines, points and labels, the frame and texts, the
/// figures and the legend.
pub(crate) fn paint_sheet(s: &Sheet, dpi: u32, lang: Lang, p: &mut dyn Painter) -> Result<(), RenderError> {
    let (page, frame) = sheet_page(dpi);
    let extent = s
        .extent
        .or_else(|| s.areas.iter().filter_map(|a| a.shape.bounding_rect()).reduce(union))
        .unwrap_or_else(|| Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }));
    let view = View::fit(extent, frame);
    p.begin_group();
    for a in &s.areas {
        p.area(&view.poly(&a.shape), a.fill, 0.85);
    }
    p.end_group();
    let in_map = |q: (i32, i32)| (q.0 - frame.0 as i32, q.1 - frame.1 as i32);
    let at = |q: (i32, i32)| (q.0 as f64, q.1 as f64);
    p.begin_group();
    for a in &s.areas {
        let width = if a.focus { 4.0 } else { 1.0 };
        for poly in &a.shape.0 {
            let ring: Vec<(f64, f64)> = poly.exterior().coords().map(|c| view.px(*c).x_y()).collect();
            p.line(Layer::Map, &ring, (60, 60, 60), width)?;
        }
    }
    p.end_group();
    let (fw, fh) = ((frame.2 - frame.0) as i32, (frame.3 - frame.1) as i32);
    let outside = |q: (i32, i32)| {
        let q = in_map(q);
        q.0 < 0 || q.1 < 0 || q.0 > fw || q.1 > fh
    };
    for pt in &s.points {
        let q = view.pi(pt.at.0);
        if outside(q) {
            continue;
        }
        if pt.star {
            draw_star(p, Layer::Map, q, page.mm(3.0), pt.colour)?;
        } else {
            p.circle(Layer::Map, at(q), page.mm(1.0), pt.colour, true)?;
        }
    }
    let font = page.font(8.0);
    for a in s.areas.iter().filter(|a| !a.label.is_empty()) {
        let Some(c) = a.shape.interior_point() else { continue };
        let q = view.pi(c.0);
        if outside(q) {
            continue;
        }
        for (i, line) in a.label.lines().enumerate() {
            let centre = Pos::new(HPos::Center, VPos::Center);
            p.text(Layer::Map, line, at((q.0, q.1 + i as i32 * page.mm(3.5) as i32)), &font, BLACK_RGB, centre)?;
        }
    }
    page_frame_and_texts(p, &page, frame, &s.title, &s.subtitle, &s.footnote)?;
    if let Some(note) = &s.note {
        let top_right = Pos::new(HPos::Right, VPos::Top);
        let corner = at(((page.w as f64 - page.mm(8.0)) as i32, page.mm(6.0) as i32));
        p.text(Layer::Page, &format!("【{note}】"), corner, &page.font(12.0), (200, 30, 30), top_right)?;
    }
    scale_bar(p, &page, &view, frame, lang)?;
    north_arrow(p, &page, frame, lang)?;
    // the figures panel
    let x = (frame.2 + page.mm(6.0)) as i32;
    let mut y = frame.1 as i32;
    for l in &s.lines {
        let (size, colour) = if l.heading { (10.5, BLACK_RGB) } else { (8.0, (30, 30, 30)) };
        if l.heading && y > frame.1 as i32 {
            y += page.mm(1.5) as i32;
        }
        p.text(Layer::Page, &l.text, at((x, y)), &page.font(size), colour, Pos::default())?;
        y += page.mm(if l.heading { 6.0 } else { 4.6 }) as i32;
    }
    // legend under the figures
    y += page.mm(3.0) as i32;
    for (c, text, star) in &s.legend {
        let (cx, cy) = (x + page.mm(3.0) as i32, y + page.mm(1.8) as i32);
        if *star {
            draw_star(p, Layer::Page, (cx, cy), page.mm(2.2), *c)?;
        } else {
            p.rect(Layer::Page, at((x, y)), at((x + page.mm(6.0) as i32, y + page.mm(3.6) as i32)), *c, 1.0)?;
        }
        p.text(Layer::Page, text, at((x + page.mm(8.0) as i32, y)), &page.font(7.5), BLACK_RGB, Pos::default())?;
        y += page.mm(5.0) as i32;
    }
    Ok(())
}
