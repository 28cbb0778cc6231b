//! The blueprint as one PDF (`blueprint.pdf`): a cover with the contents, the overview map,
//! the ranked tables, a page per street (its map and its communities) and each pilot's
//! page — A4 landscape, the Chinese font embedded (subset), numbered pages and bookmarks.
//! The maps and sheets are drawn as vectors and text ([`Figures`]), not embedded as pictures.

use crate::map::{Maps, Page};
use crate::paint::Vector;
use crate::sheet::{paint_sheet, sheet_page};
use crate::{RenderError, Sheet};
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use lantu_core::Lang;
use std::path::{Path, PathBuf};

/// A4 landscape, points.
const PAGE: (f32, f32) = (841.89, 595.28);
const MARGIN: f32 = 36.0;
/// Table rows on one page.
const ROWS_PER_PAGE: usize = 28;

/// A table for the PDF: header, rows, relative column widths, right-aligned columns.
pub struct BookTable {
    /// The title above it.
    pub title: String,
    /// Column headers.
    pub header: Vec<String>,
    /// Relative widths.
    pub widths: Vec<f32>,
    /// Whether each column holds figures (right-aligned).
    pub numeric: Vec<bool>,
    /// Rows of text.
    pub rows: Vec<Vec<String>>,
}

impl BookTable {
    /// Pages the table takes.
    pub fn pages(&self) -> usize {
        self.rows.len().div_ceil(ROWS_PER_PAGE).max(1)
    }
}

/// A street's page: its map and its communities.
pub struct StreetPage {
    /// Title (the street's name).
    pub title: String,
    /// The street's map (`maps/street_<code>.png`).
    pub map: PathBuf,
    /// Its communities.
    pub table: BookTable,
}

/// What the book's maps are drawn from, as vectors: the run's maps, and the sheets (drawn
/// at the maps' dpi and in their language).
pub struct Figures<'a> {
    /// The run's maps.
    pub maps: &'a Maps<'a>,
    /// The sheets (the pilots' pages).
    pub sheets: &'a [Sheet],
}

/// Everything the PDF holds.
pub struct Book {
    /// The cover's title.
    pub title: String,
    /// The line under it (the rules, the area).
    pub subtitle: String,
    /// Date of the run.
    pub date: String,
    /// The project's note (e.g. 合成示例数据), in red on the cover.
    pub note: Option<String>,
    /// Key figures on the cover.
    pub summary: Vec<String>,
    /// `maps/overview.png`.
    pub overview: PathBuf,
    /// The ranked tables.
    pub tables: Vec<BookTable>,
    /// One page per street.
    pub streets: Vec<StreetPage>,
    /// Each pilot's page: (title, `maps/pilot_<code>.png`).
    pub pilots: Vec<(String, PathBuf)>,
    /// Language of the fixed texts.
    pub lang: Lang,
}

impl Book {
    /// Pages: the cover, the overview, the tables, the streets, the pilots.
    pub fn page_count(&self) -> usize {
        2 + self.tables.iter().map(BookTable::pages).sum::<usize>() + self.streets.len() + self.pilots.len()
    }
}

fn colour(r: u8, g: u8, b: u8) -> Fill {
    Fill { paint: rgb::Color::new(r, g, b).into(), opacity: NormalizedF32::ONE, rule: Default::default() }
}

/// Width of a text in the label font, estimated: CJK characters one em, others about half.
fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum::<f32>() * size
}

/// The text cut to fit `width`, with an ellipsis.
fn fit(text: &str, size: f32, width: f32) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&out, size) + text_width(&c.to_string(), size) + size > width {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

struct Writer {
    font: Font,
    lang: Lang,
    total: usize,
}

impl Writer {
    fn text(&self, s: &mut Surface, x: f32, y: f32, size: f32, text: &str, fill: Fill) {
        s.set_fill(Some(fill));
        s.draw_text(Point::from_xy(x, y), self.font.clone(), size, text, false, TextDirection::Auto);
    }
    /// A box (x, y, width, height), filled and/or outlined.
    fn rect(&self, s: &mut Surface, (x, y, w, h): (f32, f32, f32, f32), fill: Option<Fill>, stroke: bool) {
        let mut pb = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(x, y, w, h) {
            pb.push_rect(r);
        }
        let Some(path) = pb.finish() else { return };
        s.set_fill(fill);
        s.set_stroke(stroke.then(|| Stroke {
            paint: rgb::Color::new(150, 150, 150).into(),
            width: 0.5,
            ..Default::default()
        }));
        s.draw_path(&path);
        s.set_stroke(None);
    }
    fn footer(&self, s: &mut Surface, page: usize, title: &str) {
        let grey = colour(90, 90, 90);
        let label = if self.lang == Lang::Zh {
            format!("第 {page} 页，共 {} 页", self.total)
        } else {
            format!("page {page} of {}", self.total)
        };
        self.text(s, PAGE.0 / 2.0 - text_width(&label, 8.0) / 2.0, PAGE.1 - 16.0, 8.0, &label, grey.clone());
        self.text(s, MARGIN, PAGE.1 - 16.0, 8.0, &fit(title, 8.0, 300.0), grey);
    }
    /// The map saved as `path` scaled into the box (x, y, w, h), keeping its proportions,
    /// drawn as vectors from `figures` (an error when they have no map of that name).
    #[allow(clippy::too_many_arguments)]
    fn figure(
        &self,
        s: &mut Surface,
        figures: &Figures,
        path: &Path,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    ) -> Result<(), RenderError> {
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or_default();
        let maps = figures.maps;
        if maps.has(file) {
            let (page, frame) = maps.page();
            return self.vector(s, &page, frame, (x, y, w, h), |p| maps.paint_file(file, p));
        }
        let Some(sheet) = figures.sheets.iter().find(|sh| sh.file == file) else {
            return Err(RenderError::Draw(format!("{}: no map or sheet of that name to draw", path.display())));
        };
        let (dpi, lang) = (maps.options().dpi, maps.options().lang);
        let (page, frame) = sheet_page(dpi);
        self.vector(s, &page, frame, (x, y, w, h), |p| paint_sheet(sheet, dpi, lang, p))
    }
    /// A page of `page`'s pixels drawn by `paint` into the box, keeping its proportions.
    fn vector<F>(
        &self,
        s: &mut Surface,
        page: &Page,
        frame: (f64, f64, f64, f64),
        (x, y, w, h): (f32, f32, f32, f32),
        paint: F,
    ) -> Result<(), RenderError>
    where
        F: FnOnce(&mut Vector) -> Result<(), RenderError>,
    {
        let scale = (w / page.w as f32).min(h / page.h as f32);
        s.push_transform(&Transform::from_row(scale, 0.0, 0.0, scale, x, y));
        let mut v = Vector::new(s, self.font.clone(), frame);
        let drawn = paint(&mut v);
        v.finish();
        s.pop();
        drawn
    }
    /// The table's header and `rows` from (x, y), `w` wide, in `size` points.
    fn table(&self, s: &mut Surface, t: &BookTable, rows: &[Vec<String>], (x, y, w): (f32, f32, f32), size: f32) {
        let total: f32 = t.widths.iter().sum();
        let widths: Vec<f32> = t.widths.iter().map(|v| v / total * w).collect();
        let row_h = size * 1.75;
        self.rect(s, (x, y, w, row_h * 1.2), Some(colour(220, 230, 241)), true);
        let mut cx = x;
        for (h, cw) in t.header.iter().zip(&widths) {
            self.text(s, cx + 2.0, y + row_h * 0.85, size, &fit(h, size, cw - 4.0), colour(0, 0, 0));
            cx += cw;
        }
        let mut ry = y + row_h * 1.2;
        for (i, row) in rows.iter().enumerate() {
            if i % 2 == 1 {
                self.rect(s, (x, ry, w, row_h), Some(colour(245, 245, 245)), false);
            }
            let mut cx = x;
            for ((cell, cw), numeric) in row.iter().zip(&widths).zip(&t.numeric) {
                let text = fit(cell, size, cw - 4.0);
                let tx = if *numeric { cx + cw - 2.0 - text_width(&text, size) } else { cx + 2.0 };
                self.text(s, tx, ry + row_h * 0.72, size, &text, colour(20, 20, 20));
                cx += cw;
            }
            ry += row_h;
        }
        self.rect(s, (x, y, w, ry - y), None, true);
    }
}

/// Writes the book to `path` (through a temporary file, renamed when complete). Returns the
/// number of pages.
pub fn write_book_pdf(path: &Path, book: &Book, figures: &Figures) -> Result<usize, RenderError> {
    let (_, file) = crate::chinese_font()?;
    let data = std::fs::read(&file).map_err(|e| RenderError::NoChineseFont(format!("{file}: {e}")))?;
    let font = Font::new(data.into(), 0).ok_or_else(|| RenderError::NoChineseFont(format!("{file}: not a font")))?;
    let zh = book.lang == Lang::Zh;
    let w = Writer { font, lang: book.lang, total: book.page_count() };
    let mut doc = Document::new();
    let mut outline = Outline::new();
    let settings = || PageSettings::from_wh(PAGE.0, PAGE.1).expect("A4");
    let dest = |page: usize| XyzDestination::new(page - 1, Point::from_xy(0.0, 0.0));

    // the contents: (title, first page)
    let mut contents: Vec<(String, usize)> = vec![(book.lang.pick("全域总览图", "Overview map").into(), 2)];
    let mut next = 3;
    for t in &book.tables {
        contents.push((t.title.clone(), next));
        next += t.pages();
    }
    if !book.streets.is_empty() {
        contents.push((book.lang.pick("各街道一张蓝图", "The streets").into(), next));
        next += book.streets.len();
    }
    if !book.pilots.is_empty() {
        contents.push((book.lang.pick("试点社区一社区一方案", "Pilot communities").into(), next));
    }

    // 1: the cover and contents
    {
        let mut page = doc.start_page_with(settings());
        let mut s = page.surface();
        w.rect(&mut s, (0.0, 0.0, PAGE.0, 120.0), Some(colour(33, 113, 181)), false);
        w.text(&mut s, MARGIN, 62.0, 26.0, &book.title, colour(255, 255, 255));
        w.text(&mut s, MARGIN, 96.0, 12.0, &book.subtitle, colour(230, 240, 250));
        let mut y = 160.0;
        if let Some(note) = &book.note {
            w.text(&mut s, MARGIN, y, 14.0, &format!("【{note}】"), colour(200, 30, 30));
            y += 28.0;
        }
        for line in &book.summary {
            w.text(&mut s, MARGIN, y, 11.0, line, colour(20, 20, 20));
            y += 19.0;
        }
        let cx = PAGE.0 / 2.0 + 20.0;
        w.text(&mut s, cx, 160.0, 14.0, book.lang.pick("目录", "Contents"), colour(0, 0, 0));
        let mut ty = 188.0;
        for (title, p) in &contents {
            w.text(&mut s, cx, ty, 11.0, &fit(title, 11.0, 300.0), colour(20, 20, 20));
            let num = p.to_string();
            w.text(&mut s, PAGE.0 - MARGIN - text_width(&num, 11.0), ty, 11.0, &num, colour(20, 20, 20));
            ty += 20.0;
        }
        w.text(
            &mut s,
            MARGIN,
            PAGE.1 - 40.0,
            9.0,
            &format!("lantu {} · {}", env!("CARGO_PKG_VERSION"), book.date),
            colour(90, 90, 90),
        );
        w.footer(&mut s, 1, &book.title);
        s.finish();
        page.finish();
    }
    outline.push_child(OutlineNode::new(book.lang.pick("封面与目录", "Cover and contents").into(), dest(1)));

    // 2: the overview map
    {
        let mut page = doc.start_page_with(settings());
        let mut s = page.surface();
        w.figure(&mut s, figures, &book.overview, MARGIN / 2.0, MARGIN / 2.0, PAGE.0 - MARGIN, PAGE.1 - MARGIN - 12.0)?;
        w.footer(&mut s, 2, &contents[0].0);
        s.finish();
        page.finish();
    }
    outline.push_child(OutlineNode::new(contents[0].0.clone(), dest(2)));

    let mut n = 3;
    for t in &book.tables {
        outline.push_child(OutlineNode::new(t.title.clone(), dest(n)));
        for (i, chunk) in t.rows.chunks(ROWS_PER_PAGE).enumerate().chain(t.rows.is_empty().then_some((0, &[][..]))) {
            let mut page = doc.start_page_with(settings());
            let mut s = page.surface();
            let title =
                if i == 0 { t.title.clone() } else { format!("{}（{}）", t.title, book.lang.pick("续", "cont.")) };
            w.text(&mut s, MARGIN, MARGIN + 8.0, 15.0, &title, colour(0, 0, 0));
            w.table(&mut s, t, chunk, (MARGIN, MARGIN + 22.0, PAGE.0 - 2.0 * MARGIN), 8.0);
            w.footer(&mut s, n, &t.title);
            s.finish();
            page.finish();
            n += 1;
        }
    }
    if !book.streets.is_empty() {
        let mut node = OutlineNode::new(book.lang.pick("各街道一张蓝图", "The streets").into(), dest(n));
        for sp in &book.streets {
            let mut page = doc.start_page_with(settings());
            let mut s = page.surface();
            let map_w = PAGE.0 * 0.66;
            w.figure(&mut s, figures, &sp.map, MARGIN / 2.0, MARGIN / 2.0, map_w, PAGE.1 - MARGIN)?;
            let tx = MARGIN / 2.0 + map_w + 8.0;
            w.text(&mut s, tx, MARGIN + 8.0, 12.0, &fit(&sp.title, 12.0, PAGE.0 - tx - MARGIN / 2.0), colour(0, 0, 0));
            let rows = &sp.table.rows[..sp.table.rows.len().min(ROWS_PER_PAGE)];
            w.table(&mut s, &sp.table, rows, (tx, MARGIN + 20.0, PAGE.0 - tx - MARGIN / 2.0), 7.0);
            if sp.table.rows.len() > rows.len() {
                let more = sp.table.rows.len() - rows.len();
                let text = if zh {
                    format!("另有 {more} 个社区见社区表")
                } else {
                    format!("{more} more in the table of communities")
                };
                w.text(&mut s, tx, PAGE.1 - 40.0, 7.0, &text, colour(90, 90, 90));
            }
            w.footer(&mut s, n, &sp.title);
            s.finish();
            page.finish();
            node.push_child(OutlineNode::new(sp.title.clone(), dest(n)));
            n += 1;
        }
        outline.push_child(node);
    }
    if !book.pilots.is_empty() {
        let mut node = OutlineNode::new(book.lang.pick("试点社区", "Pilot communities").into(), dest(n));
        for (title, png) in &book.pilots {
            let mut page = doc.start_page_with(settings());
            let mut s = page.surface();
            w.figure(&mut s, figures, png, MARGIN / 2.0, MARGIN / 2.0, PAGE.0 - MARGIN, PAGE.1 - MARGIN - 12.0)?;
            w.footer(&mut s, n, title);
            s.finish();
            page.finish();
            node.push_child(OutlineNode::new(title.clone(), dest(n)));
            n += 1;
        }
        outline.push_child(node);
    }
    doc.set_outline(outline);
    doc.set_metadata(
        Metadata::new()
            .title(book.title.clone())
            .creator(format!("lantu {}", env!("CARGO_PKG_VERSION")))
            .language(book.lang.pick("zh-CN", "en").into()),
    );
    let bytes = doc.finish().map_err(|e| RenderError::Draw(format!("PDF: {e:?}")))?;
    let tmp = path.with_extension("pdf.partial");
    std::fs::write(&tmp, bytes).map_err(|e| RenderError::write(path, e))?;
    std::fs::rename(&tmp, path).map_err(|e| RenderError::write(path, e))?;
    Ok(n - 1)
}
