//! One-page sheets: a map on the left, figures on the right — the pilot community's
//! 一社区一方案 sheet and the change map of a street.

use crate::map::{draw_error, draw_star, north_arrow, page_frame_and_texts, rgb, scale_bar, Page, View};
use crate::raster::Canvas;
use crate::RenderError;
use geo::{BoundingRect, Coord, InteriorPoint, MultiPolygon, Point, Rect};
use lantu_core::Lang;
use plotters::prelude::*;
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

fn draw_sheet(dir: &Path, s: &Sheet, dpi: u32, lang: Lang) -> Result<PathBuf, RenderError> {
    let page = Page::new(dpi);
    // the map takes the left 60 %, the figures the rest
    let frame = (page.mm(8.0), page.mm(24.0), page.mm(175.0), page.h as f64 - page.mm(16.0));
    let extent = s
        .extent
        .or_else(|| s.areas.iter().filter_map(|a| a.shape.bounding_rect()).reduce(union))
        .unwrap_or_else(|| Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }));
    let view = View::fit(extent, frame);
    let clip = (frame.0 as i64, frame.1 as i64, frame.2 as i64, frame.3 as i64);
    let mut canvas = Canvas::new(page.w, page.h);
    for a in &s.areas {
        canvas.fill(&view.poly(&a.shape), a.fill, 0.85, clip);
    }
    {
        let root = BitMapBackend::with_buffer(&mut canvas.rgb, (page.w, page.h)).into_drawing_area();
        let err = draw_error;
        let map = root
            .clone()
            .shrink((frame.0 as i32, frame.1 as i32), ((frame.2 - frame.0) as u32, (frame.3 - frame.1) as u32));
        let off = |p: (i32, i32)| (p.0 - frame.0 as i32, p.1 - frame.1 as i32);
        for a in &s.areas {
            let width = if a.focus { 4 } else { 1 };
            for poly in &a.shape.0 {
                let ring: Vec<(i32, i32)> = poly.exterior().coords().map(|c| off(view.pi(*c))).collect();
                map.draw(&PathElement::new(ring, ShapeStyle::from(&RGBColor(60, 60, 60)).stroke_width(width)))
                    .map_err(err)?;
            }
        }
        let (fw, fh) = ((frame.2 - frame.0) as i32, (frame.3 - frame.1) as i32);
        for p in &s.points {
            let at = off(view.pi(p.at.0));
            if at.0 < 0 || at.1 < 0 || at.0 > fw || at.1 > fh {
                continue;
            }
            if p.star {
                draw_star(&map, at, page.mm(3.0), &rgb(p.colour)).map_err(err)?;
            } else {
                map.draw(&Circle::new(at, page.mm(1.0) as i32, ShapeStyle::from(&rgb(p.colour)).filled()))
                    .map_err(err)?;
            }
        }
        let font = page.font(8.0);
        for a in s.areas.iter().filter(|a| !a.label.is_empty()) {
            let Some(c) = a.shape.interior_point() else { continue };
            let (x, y) = off(view.pi(c.0));
            if x < 0 || y < 0 || x > (frame.2 - frame.0) as i32 || y > (frame.3 - frame.1) as i32 {
                continue;
            }
            for (i, line) in a.label.lines().enumerate() {
                let style = font.color(&BLACK).pos(Pos::new(HPos::Center, VPos::Center));
                map.draw(&Text::new(line.to_string(), (x, y + i as i32 * page.mm(3.5) as i32), style)).map_err(err)?;
            }
        }
        page_frame_and_texts(&root, &page, frame, &s.title, &s.subtitle, &s.footnote)?;
        if let Some(note) = &s.note {
            let style = page.font(12.0).color(&RGBColor(200, 30, 30)).pos(Pos::new(HPos::Right, VPos::Top));
            root.draw(&Text::new(
                format!("【{note}】"),
                ((page.w as f64 - page.mm(8.0)) as i32, page.mm(6.0) as i32),
                style,
            ))
            .map_err(err)?;
        }
        scale_bar(&root, &page, &view, frame, lang).map_err(err)?;
        north_arrow(&root, &page, frame, lang).map_err(err)?;
        // the figures panel
        let x = (frame.2 + page.mm(6.0)) as i32;
        let mut y = frame.1 as i32;
        for l in &s.lines {
            let (size, colour) = if l.heading { (10.5, BLACK) } else { (8.0, RGBColor(30, 30, 30)) };
            if l.heading && y > frame.1 as i32 {
                y += page.mm(1.5) as i32;
            }
            root.draw(&Text::new(l.text.clone(), (x, y), page.font(size).color(&colour))).map_err(err)?;
            y += page.mm(if l.heading { 6.0 } else { 4.6 }) as i32;
        }
        // legend under the figures
        y += page.mm(3.0) as i32;
        for (c, text, star) in &s.legend {
            let (cx, cy) = (x + page.mm(3.0) as i32, y + page.mm(1.8) as i32);
            if *star {
                draw_star(&root, (cx, cy), page.mm(2.2), &rgb(*c)).map_err(err)?;
            } else {
                root.draw(&Rectangle::new(
                    [(x, y), (x + page.mm(6.0) as i32, y + page.mm(3.6) as i32)],
                    ShapeStyle::from(&rgb(*c)).filled(),
                ))
                .map_err(err)?;
            }
            root.draw(&Text::new(text.clone(), (x + page.mm(8.0) as i32, y), page.font(7.5).color(&BLACK)))
                .map_err(err)?;
            y += page.mm(5.0) as i32;
        }
        root.present().map_err(err)?;
    }
    let path = dir.join(&s.file);
    canvas.write_png(&path, dpi).map_err(|e| RenderError::write(&path, e))?;
    Ok(path)
}
