//! Where a map is drawn: pixels for the PNG files ([`Raster`]) or vector paths and text for
//! the PDF ([`Vector`]). The maps and sheets are drawn once, through [`Painter`], so the PDF
//! shows what the PNG shows, crisp at any zoom and a fraction of the size.
//!
//! Coordinates are page pixels at the page's dpi; [`Layer::Map`] is clipped to the map frame.

use crate::raster::Canvas;
use crate::RenderError;
use geo::{BoundingRect, Coord, LineString, MultiPolygon};
use krilla::color::rgb as krgb;
use krilla::geom::{Path as KPath, PathBuilder, Point, Rect as KRect};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// An RGB colour.
pub(crate) type Rgb = (u8, u8, u8);

/// What a drawing is clipped to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Layer {
    /// The map frame.
    Map,
    /// The whole page.
    Page,
}

/// The drawing operations of lantu's maps and sheets.
pub(crate) trait Painter {
    /// Fills polygons (even-odd: holes stay holes) at `alpha` (0–1) on the map.
    fn area(&mut self, polygons: &MultiPolygon, colour: Rgb, alpha: f64);
    /// A feature smaller than a pixel or two, on the map.
    fn dot(&mut self, at: Coord, colour: Rgb, alpha: f64);
    /// A line `width` pixels wide.
    fn line(&mut self, layer: Layer, points: &[(f64, f64)], colour: Rgb, width: f64) -> Result<(), RenderError>;
    /// A circle, filled or outlined one pixel wide.
    fn circle(
        &mut self,
        layer: Layer,
        centre: (f64, f64),
        r: f64,
        colour: Rgb,
        filled: bool,
    ) -> Result<(), RenderError>;
    /// A facility's dot: a filled circle with a ring one pixel wide.
    fn marker(&mut self, centre: (f64, f64), r: f64, colour: Rgb, ring: Rgb) -> Result<(), RenderError> {
        self.circle(Layer::Map, centre, r, colour, true)?;
        self.circle(Layer::Map, centre, r, ring, false)
    }
    /// A filled polygon (a star, a triangle, the north arrow).
    fn polygon(&mut self, layer: Layer, points: &[(f64, f64)], colour: Rgb) -> Result<(), RenderError>;
    /// A filled rectangle between two corners, at `alpha`.
    fn rect(&mut self, layer: Layer, a: (f64, f64), b: (f64, f64), colour: Rgb, alpha: f64) -> Result<(), RenderError>;
    /// A rectangle's outline, `width` pixels wide.
    fn frame(&mut self, layer: Layer, a: (f64, f64), b: (f64, f64), colour: Rgb, width: f64)
        -> Result<(), RenderError>;
    /// Text anchored at `at` by `pos`.
    fn text(
        &mut self,
        layer: Layer,
        text: &str,
        at: (f64, f64),
        font: &FontDesc,
        colour: Rgb,
        pos: Pos,
    ) -> Result<(), RenderError>;
    /// What follows, up to [`Painter::end_group`], are features that do not overlap (or whose
    /// overlaps do not matter): a vector painter may draw those of one style together.
    fn begin_group(&mut self) {}
    /// The end of a group.
    fn end_group(&mut self) {}
}

/// Draws into an RGB canvas: lantu's filler for areas, plotters for lines, points and text.
pub(crate) struct Raster {
    pub(crate) canvas: Canvas,
    frame: (f64, f64, f64, f64),
}

impl Raster {
    /// A white page of `w` × `h` pixels whose map is in `frame` (x0, y0, x1, y1).
    pub(crate) fn new(w: u32, h: u32, frame: (f64, f64, f64, f64)) -> Raster {
        Raster { canvas: Canvas::new(w, h), frame }
    }

    fn clip(&self) -> (i64, i64, i64, i64) {
        (self.frame.0 as i64, self.frame.1 as i64, self.frame.2 as i64, self.frame.3 as i64)
    }

    /// A point in the drawing area of `layer`: the map's starts at the frame's corner.
    fn at(&self, layer: Layer, p: (f64, f64)) -> (i32, i32) {
        let (x, y) = (p.0.round() as i32, p.1.round() as i32);
        match layer {
            Layer::Map => (x - self.frame.0 as i32, y - self.frame.1 as i32),
            Layer::Page => (x, y),
        }
    }

    /// Runs `f` on the drawing area of `layer` over the canvas.
    fn with<F>(&mut self, layer: Layer, f: F) -> Result<(), RenderError>
    where
        F: FnOnce(&DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>) -> Result<(), RenderError>,
    {
        let frame = self.frame;
        let (w, h) = (self.canvas.width, self.canvas.height);
        let root = BitMapBackend::with_buffer(&mut self.canvas.rgb, (w, h)).into_drawing_area();
        let area = match layer {
            Layer::Map => {
                root.shrink((frame.0 as i32, frame.1 as i32), ((frame.2 - frame.0) as u32, (frame.3 - frame.1) as u32))
            }
            Layer::Page => root,
        };
        f(&area)?;
        area.present().map_err(draw_error)
    }
}

/// A drawing error of plotters, as lantu's.
pub(crate) fn draw_error<E: std::fmt::Debug>(e: E) -> RenderError {
    RenderError::Draw(format!("{e:?}"))
}

fn colour((r, g, b): Rgb) -> RGBColor {
    RGBColor(r, g, b)
}

impl Painter for Raster {
    fn area(&mut self, polygons: &MultiPolygon, colour: Rgb, alpha: f64) {
        let clip = self.clip();
        self.canvas.fill(polygons, colour, alpha, clip);
    }
    fn dot(&mut self, at: Coord, colour: Rgb, alpha: f64) {
        let clip = self.clip();
        self.canvas.dot(at.x, at.y, colour, alpha, clip);
    }
    fn line(&mut self, layer: Layer, points: &[(f64, f64)], c: Rgb, width: f64) -> Result<(), RenderError> {
        let pts: Vec<(i32, i32)> = points.iter().map(|p| self.at(layer, *p)).collect();
        self.with(layer, |a| {
            a.draw(&PathElement::new(pts, ShapeStyle::from(&colour(c)).stroke_width(width as u32))).map_err(draw_error)
        })
    }
    fn circle(&mut self, layer: Layer, centre: (f64, f64), r: f64, c: Rgb, filled: bool) -> Result<(), RenderError> {
        let p = self.at(layer, centre);
        let style =
            if filled { ShapeStyle::from(&colour(c)).filled() } else { ShapeStyle::from(&colour(c)).stroke_width(1) };
        self.with(layer, |a| a.draw(&Circle::new(p, r as i32, style)).map_err(draw_error))
    }
    fn polygon(&mut self, layer: Layer, points: &[(f64, f64)], c: Rgb) -> Result<(), RenderError> {
        let pts: Vec<(i32, i32)> = points.iter().map(|p| self.at(layer, *p)).collect();
        self.with(layer, |a| a.draw(&Polygon::new(pts, ShapeStyle::from(&colour(c)).filled())).map_err(draw_error))
    }
    fn rect(&mut self, layer: Layer, a: (f64, f64), b: (f64, f64), c: Rgb, alpha: f64) -> Result<(), RenderError> {
        let (a, b) = (self.at(layer, a), self.at(layer, b));
        // an opaque fill stays an opaque colour: plotters blends only what has an alpha
        let style = if alpha >= 1.0 {
            ShapeStyle::from(&colour(c)).filled()
        } else {
            ShapeStyle::from(&colour(c).mix(alpha)).filled()
        };
        self.with(layer, |area| area.draw(&Rectangle::new([a, b], style)).map_err(draw_error))
    }
    fn frame(&mut self, layer: Layer, a: (f64, f64), b: (f64, f64), c: Rgb, width: f64) -> Result<(), RenderError> {
        let (a, b) = (self.at(layer, a), self.at(layer, b));
        self.with(layer, |area| {
            area.draw(&Rectangle::new([a, b], ShapeStyle::from(&colour(c)).stroke_width(width as u32)))
                .map_err(draw_error)
        })
    }
    fn text(
        &mut self,
        layer: Layer,
        text: &str,
        at: (f64, f64),
        font: &FontDesc,
        c: Rgb,
        pos: Pos,
    ) -> Result<(), RenderError> {
        let p = self.at(layer, at);
        let style = font.color(&colour(c)).pos(pos);
        self.with(layer, |a| a.draw(&Text::new(text.to_string(), p, style)).map_err(draw_error))
    }
}

/// Draws onto a PDF page's surface, in page pixels (the caller sets the transform to points).
pub(crate) struct Vector<'s, 'p> {
    surface: &'s mut Surface<'p>,
    font: Font,
    frame: (f64, f64, f64, f64),
    clipped: bool,
    /// Paths waiting to be drawn, by style: consecutive ones of one style, or in a group all
    /// of one style (a street's thousands of buildings and walkways are a few paths).
    batches: Vec<(Style, PathBuilder)>,
    grouped: bool,
}

/// How a batch of paths is painted.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Style {
    /// Filled (even-odd) in a colour at an alpha.
    Fill(Rgb, f64),
    /// Stroked in a colour, so many pixels wide.
    Stroke(Rgb, f64),
    /// Discs of a colour and diameter: zero-length lines with round caps, two numbers a disc.
    Disc(Rgb, f64),
}

/// Page pixels rounded to a tenth: finer than any printer, and short numbers in the PDF.
fn tenth(v: f64) -> f32 {
    ((v * 10.0).round() / 10.0) as f32
}

fn fill(c: Rgb, alpha: f64) -> Fill {
    Fill {
        paint: krgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::new(alpha.clamp(0.0, 1.0) as f32).unwrap_or(NormalizedF32::ONE),
        rule: FillRule::EvenOdd,
    }
}

fn stroke(c: Rgb, width: f64) -> Stroke {
    Stroke {
        paint: krgb::Color::new(c.0, c.1, c.2).into(),
        width: width as f32,
        line_join: LineJoin::Round,
        ..Default::default()
    }
}

/// A ring clipped to the rectangle (x0, y0, x1, y1) (Sutherland–Hodgman: the rectangle is
/// convex, so what the ring covers inside it is kept, with edges along its sides).
fn clip_ring(ring: &[(f64, f64)], r: (f64, f64, f64, f64)) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = ring.to_vec();
    // each side: inside test and the crossing with the side's line
    type Side = (fn((f64, f64), f64) -> bool, fn((f64, f64), (f64, f64), f64) -> (f64, f64), f64);
    let at_x = |a: (f64, f64), b: (f64, f64), x: f64| (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0));
    let at_y = |a: (f64, f64), b: (f64, f64), y: f64| (a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1), y);
    let sides: [Side; 4] = [
        (|p, v| p.0 >= v, at_x, r.0),
        (|p, v| p.0 <= v, at_x, r.2),
        (|p, v| p.1 >= v, at_y, r.1),
        (|p, v| p.1 <= v, at_y, r.3),
    ];
    for (inside, cross, v) in sides {
        if out.is_empty() {
            break;
        }
        let input = std::mem::take(&mut out);
        let mut prev = *input.last().expect("not empty");
        for &p in &input {
            match (inside(p, v), inside(prev, v)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cross(prev, p, v));
                    out.push(p);
                }
                (false, true) => out.push(cross(prev, p, v)),
                (false, false) => {}
            }
            prev = p;
        }
    }
    out
}

impl<'s, 'p> Vector<'s, 'p> {
    /// Draws on `surface` with `font`, the map in `frame` (page pixels).
    pub(crate) fn new(surface: &'s mut Surface<'p>, font: Font, frame: (f64, f64, f64, f64)) -> Vector<'s, 'p> {
        Vector { surface, font, frame, clipped: false, batches: Vec::new(), grouped: false }
    }

    /// Draws what is pending and leaves the clip: call before the page goes on.
    pub(crate) fn finish(mut self) {
        self.flush();
        if self.clipped {
            self.surface.pop();
        }
    }

    fn flush(&mut self) {
        for (style, pb) in std::mem::take(&mut self.batches) {
            let Some(path) = pb.finish() else { continue };
            match style {
                Style::Fill(c, alpha) => {
                    self.surface.set_stroke(None);
                    self.surface.set_fill(Some(fill(c, alpha)));
                }
                Style::Stroke(c, width) => {
                    self.surface.set_fill(None);
                    self.surface.set_stroke(Some(stroke(c, width)));
                }
                Style::Disc(c, diameter) => {
                    self.surface.set_fill(None);
                    self.surface.set_stroke(Some(Stroke { line_cap: LineCap::Round, ..stroke(c, diameter) }));
                }
            }
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    /// Flushes the pending areas and enters or leaves the map's clip.
    fn enter(&mut self, layer: Layer) {
        self.flush();
        match (layer, self.clipped) {
            (Layer::Map, false) => {
                let f = self.frame;
                let mut pb = PathBuilder::new();
                if let Some(r) = KRect::from_ltrb(f.0 as f32, f.1 as f32, f.2 as f32, f.3 as f32) {
                    pb.push_rect(r);
                }
                if let Some(path) = pb.finish() {
                    self.surface.push_clip_path(&path, &FillRule::NonZero);
                    self.clipped = true;
                }
            }
            (Layer::Page, true) => {
                self.surface.pop();
                self.clipped = false;
            }
            _ => {}
        }
    }

    /// The path builder for map features of this style: the last batch's when it has the
    /// style, in a group any batch of the style, else a new one (after drawing the others,
    /// outside a group, so that what comes later is drawn over what came before).
    fn batch(&mut self, style: Style) -> &mut PathBuilder {
        let found = if self.grouped {
            self.batches.iter().position(|(s, _)| *s == style)
        } else {
            self.batches.last().filter(|(s, _)| *s == style).map(|_| self.batches.len() - 1)
        };
        let i = match found {
            Some(i) => i,
            None => {
                if !self.grouped {
                    self.flush();
                }
                if !self.clipped {
                    self.enter(Layer::Map);
                }
                self.batches.push((style, PathBuilder::new()));
                self.batches.len() - 1
            }
        };
        &mut self.batches[i].1
    }

    fn areas(&mut self, c: Rgb, alpha: f64) -> &mut PathBuilder {
        self.batch(Style::Fill(c, alpha))
    }

    fn path(points: &[(f64, f64)], close: bool) -> Option<KPath> {
        let mut pb = PathBuilder::new();
        trace(&mut pb, points);
        if close {
            pb.close();
        }
        pb.finish()
    }

    fn draw(&mut self, layer: Layer, path: Option<KPath>, fill: Option<Fill>, stroke: Option<Stroke>) {
        self.enter(layer);
        if let Some(path) = path {
            self.surface.set_fill(fill);
            self.surface.set_stroke(stroke);
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }
}

/// Adds the points to the path as one subpath: a move to the first, lines to the rest.
fn trace(pb: &mut PathBuilder, points: &[(f64, f64)]) {
    let Some((first, rest)) = points.split_first() else { return };
    pb.move_to(tenth(first.0), tenth(first.1));
    for q in rest {
        pb.line_to(tenth(q.0), tenth(q.1));
    }
}

/// A ring's points, clipped to `view` when it reaches beyond it, without points closer
/// than a third of a pixel to the last one kept (a city's coverage area has more vertices
/// than a page has pixels along its edge).
fn ring_points(ring: &LineString, view: (f64, f64, f64, f64)) -> Vec<(f64, f64)> {
    let pts: Vec<(f64, f64)> = ring.0.iter().map(|c| (c.x, c.y)).collect();
    let beyond = pts.iter().any(|p| p.0 < view.0 || p.0 > view.2 || p.1 < view.1 || p.1 > view.3);
    let pts = if beyond { clip_ring(&pts, view) } else { pts };
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    // the path is closed anyway: the ring's last point, its first again, is not written
    let open = if pts.len() > 1 && pts.first() == pts.last() { &pts[..pts.len() - 1] } else { &pts[..] };
    for &p in open {
        if kept.last().is_some_and(|q: &(f64, f64)| (p.0 - q.0).abs() < 0.33 && (p.1 - q.1).abs() < 0.33) {
            continue;
        }
        kept.push(p);
    }
    kept
}

impl Painter for Vector<'_, '_> {
    fn begin_group(&mut self) {
        self.flush();
        self.grouped = true;
    }
    fn end_group(&mut self) {
        self.flush();
        self.grouped = false;
    }
    fn area(&mut self, polygons: &MultiPolygon, c: Rgb, alpha: f64) {
        let f = self.frame;
        // a little beyond the frame, so that clipped edges fall outside the clip
        let view = (f.0 - 2.0, f.1 - 2.0, f.2 + 2.0, f.3 + 2.0);
        for p in polygons {
            let Some(b) = p.bounding_rect() else { continue };
            if b.max().x < view.0 || b.min().x > view.2 || b.max().y < view.1 || b.min().y > view.3 {
                continue;
            }
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                let pts = ring_points(ring, view);
                if pts.len() < 3 {
                    continue;
                }
                let pb = self.areas(c, alpha);
                trace(pb, &pts);
                pb.close();
            }
        }
    }
    fn dot(&mut self, at: Coord, c: Rgb, alpha: f64) {
        let f = self.frame;
        if at.x < f.0 || at.y < f.1 || at.x > f.2 || at.y > f.3 {
            return;
        }
        if let Some(r) = KRect::from_xywh(tenth(at.x - 0.5), tenth(at.y - 0.5), 1.0, 1.0) {
            self.areas(c, alpha).push_rect(r);
        }
    }
    fn line(&mut self, layer: Layer, points: &[(f64, f64)], c: Rgb, width: f64) -> Result<(), RenderError> {
        if layer == Layer::Map && points.len() > 1 {
            let f = self.frame;
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for q in points {
                (x0, y0, x1, y1) = (x0.min(q.0), y0.min(q.1), x1.max(q.0), y1.max(q.1));
            }
            if x1 < f.0 - width || x0 > f.2 + width || y1 < f.1 - width || y0 > f.3 + width {
                return Ok(()); // wholly outside the frame
            }
            trace(self.batch(Style::Stroke(c, width)), points);
            return Ok(());
        }
        let path = Vector::path(points, false);
        self.draw(layer, path, None, Some(stroke(c, width)));
        Ok(())
    }
    fn circle(&mut self, layer: Layer, (x, y): (f64, f64), r: f64, c: Rgb, filled: bool) -> Result<(), RenderError> {
        // four cubic arcs
        const K: f32 = 0.552_284_7;
        let (x, y, r) = (tenth(x), tenth(y), r as f32);
        let k = tenth((K * r) as f64);
        let arcs = |pb: &mut PathBuilder| {
            pb.move_to(x + r, y);
            pb.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
            pb.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
            pb.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
            pb.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
            pb.close();
        };
        let style = if filled { Style::Fill(c, 1.0) } else { Style::Stroke(c, 1.0) };
        if layer == Layer::Map {
            arcs(self.batch(style));
            return Ok(());
        }
        let mut pb = PathBuilder::new();
        arcs(&mut pb);
        let (f, s) = match style {
            Style::Fill(c, a) => (Some(fill(c, a)), None),
            Style::Stroke(c, w) | Style::Disc(c, w) => (None, Some(stroke(c, w))),
        };
        self.draw(layer, pb.finish(), f, s);
        Ok(())
    }
    fn marker(&mut self, (x, y): (f64, f64), r: f64, c: Rgb, ring: Rgb) -> Result<(), RenderError> {
        // the ring is a disc half a pixel wider under the dot, half a pixel narrower: in a
        // group all rings are drawn, then all dots
        for (colour, diameter) in [(ring, 2.0 * r + 1.0), (c, 2.0 * r - 1.0)] {
            let pb = self.batch(Style::Disc(colour, diameter));
            pb.move_to(tenth(x), tenth(y));
            pb.line_to(tenth(x), tenth(y));
        }
        Ok(())
    }
    fn polygon(&mut self, layer: Layer, points: &[(f64, f64)], c: Rgb) -> Result<(), RenderError> {
        let path = Vector::path(points, true);
        self.draw(layer, path, Some(fill(c, 1.0)), None);
        Ok(())
    }
    fn rect(&mut self, layer: Layer, a: (f64, f64), b: (f64, f64), c: Rgb, alpha: f64) -> Result<(), RenderError> {
        let path = Vector::path(&[a, (b.0, a.1), b, (a.0, b.1)], true);
        self.draw(layer, path, Some(fill(c, alpha)), None);
        Ok(())
    }
    fn frame(&mut self, layer: Layer, a: (f64, f64), b: (f64, f64), c: Rgb, width: f64) -> Result<(), RenderError> {
        let path = Vector::path(&[a, (b.0, a.1), b, (a.0, b.1)], true);
        self.draw(layer, path, None, Some(stroke(c, width)));
        Ok(())
    }
    fn text(
        &mut self,
        layer: Layer,
        text: &str,
        at: (f64, f64),
        font: &FontDesc,
        c: Rgb,
        pos: Pos,
    ) -> Result<(), RenderError> {
        // placed as plotters places it: the anchor on the text's layout box, an em of
        // `size / 1.24` pixels with its baseline 0.76 em below the box's top
        let ((x0, y0), (x1, y1)) = font.layout_box(text).map_err(draw_error)?;
        let (w, h) = ((x1 - x0) as f64, (y1 - y0) as f64);
        let dx = match pos.h_pos {
            HPos::Left => 0.0,
            HPos::Right => -w,
            HPos::Center => -w / 2.0,
        };
        let dy = match pos.v_pos {
            VPos::Top => 0.0,
            VPos::Center => -h / 2.0,
            VPos::Bottom => -h,
        };
        let em = font.get_size() / 1.24;
        let origin = Point::from_xy(tenth(at.0 + dx), tenth(at.1 + dy + 0.76 * em));
        self.enter(layer);
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(fill(c, 1.0)));
        self.surface.draw_text(origin, self.font.clone(), em as f32, text, false, TextDirection::Auto);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_beyond_the_view_is_cut_at_its_sides() {
        // a square from -10 to 10 cut to the quarter 0..20
        let ring = [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)];
        let cut = clip_ring(&ring, (0.0, 0.0, 20.0, 20.0));
        let area: f64 =
            cut.iter().zip(cut.iter().cycle().skip(1)).map(|(a, b)| a.0 * b.1 - b.0 * a.1).sum::<f64>() / 2.0;
        assert!((area.abs() - 100.0).abs() < 1e-9, "{cut:?}");
        assert!(cut.iter().all(|p| p.0 >= 0.0 && p.1 >= 0.0));
        // wholly outside: nothing
        assert!(clip_ring(&ring, (50.0, 50.0, 60.0, 60.0)).is_empty());
    }

    #[test]
    fn points_closer_than_a_third_of_a_pixel_are_dropped() {
        let ring = LineString::from(vec![(0.0, 0.0), (0.1, 0.1), (5.0, 0.0), (5.0, 5.0), (0.0, 0.0)]);
        let pts = ring_points(&ring, (-100.0, -100.0, 100.0, 100.0));
        assert_eq!(pts, vec![(0.0, 0.0), (5.0, 0.0), (5.0, 5.0)]);
    }
}
