//! # lantu-render: the maps of the blueprint
//!
//! [`render_maps`] draws, on A4 landscape at a chosen dpi, one "一张蓝图" per street
//! (communities coloured by area-gap class, facilities by kind, walking coverage of the
//! core kinds, homes without a core service in reach, candidate sites), an overview,
//! and one coverage map per kind — each with a Chinese (or English) title, legend,
//! true-metre scale bar, north arrow, and a note of data source, CRS and date.
//! [`Maps`] holds what each map shows, drawn as PNG files ([`Maps::render`]) and, through
//! the same drawing code, as vector paths and text in [`write_book_pdf`]'s book (the
//! `Painter` of `paint.rs`: pixels or PDF).
//! [`chinese_font`] finds the font with the Chinese glyphs the labels need.
#![deny(missing_docs)]

mod font;
mod map;
mod paint;
mod pdf;
mod raster;
mod sheet;

pub use font::chinese_font;
pub use map::{render_maps, MapData, MapOptions, Maps};
pub use pdf::{write_book_pdf, Book, BookTable, Figures, StreetPage};
pub use raster::Canvas;
pub use sheet::{lonlat_to_local, render_sheets, Sheet, SheetArea, SheetLine, SheetPoint};

use std::path::PathBuf;

/// Why a map could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// No font with Chinese glyphs (what fontconfig or the font file said).
    NoChineseFont(String),
    /// Drawing failed (what the drawing library said).
    Draw(String),
    /// The file could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The disk (or quota) is full.
    DiskFull {
        /// The file.
        path: PathBuf,
    },
}

impl lantu_core::Localized for RenderError {
    fn message(&self, lang: lantu_core::Lang) -> String {
        match self {
            RenderError::NoChineseFont(why) => lang.pick(
                format!("没有含中文字形的字体（{why}），请安装 fonts-wqy-microhei"),
                format!("no font with Chinese glyphs ({why}); install Debian's fonts-wqy-microhei"),
            ),
            RenderError::Draw(why) => lang.pick(format!("绘制地图失败：{why}"), format!("drawing a map: {why}")),
            RenderError::Write { path, message } => {
                let p = path.display();
                lang.pick(format!("{p}：无法写入（{message}）"), format!("{p}: cannot write ({message})"))
            }
            RenderError::DiskFull { path } => {
                let p = path.display();
                lang.pick(format!("{p}：磁盘空间不足，无法写入"), format!("{p}: the disk is full: cannot write"))
            }
        }
    }
}

lantu_core::display_in_chinese!(RenderError);

impl RenderError {
    /// A write error from the system, naming the file; a full disk is said so.
    pub fn write(path: &std::path::Path, e: std::io::Error) -> RenderError {
        if lantu_core::is_disk_full(&e) {
            RenderError::DiskFull { path: path.to_path_buf() }
        } else {
            RenderError::Write { path: path.to_path_buf(), message: e.to_string() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_device_is_called_a_full_disk_and_named() {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let e = f.write_all(&[0u8; 4096]).and_then(|_| f.flush()).unwrap_err();
        let msg = RenderError::write(std::path::Path::new("/dev/full"), e).to_string();
        assert!(msg.contains("磁盘空间不足") && msg.contains("/dev/full"), "{msg}");
    }
}
