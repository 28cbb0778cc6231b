//! `lantu compare`: two finished output folders side by side — the change tables and,
//! with maps, a change sheet per street.

use crate::error::Result;
use lantu_core::registry::AREA_GAP;
use lantu_core::{Lang, Profile, Text};
use lantu_write::OutputDir;
use std::path::{Path, PathBuf};

/// What a comparison wrote.
#[derive(Debug)]
pub struct Compared {
    /// Where the folder is.
    pub dir: PathBuf,
    /// Communities compared.
    pub communities: usize,
    /// Area gap closed in all (m²).
    pub area_gap_closed_m2: f64,
    /// Facilities added, removed or changed.
    pub facility_changes: usize,
}

impl Compared {
    /// The result in a sentence.
    pub fn in_words(&self) -> Text {
        let (rows, closed, changes) = (self.communities, self.area_gap_closed_m2, self.facility_changes);
        Text::new(
            format!("比较了 {rows} 个社区：{}合计减少 {closed:.2} m²；设施变化 {changes} 处", AREA_GAP.zh),
            format!(
                "compared {rows} communities: area gaps closed by {closed:.2} m² in all; {changes} facility changes"
            ),
        )
    }
}

/// Compares the blueprints in `old` and `new` and writes the change tables (and, when
/// `dpi` is given, the change sheets) into `out`, then moves it into place.
pub fn write_comparison(
    old: &Path,
    new: &Path,
    profile: &Profile,
    dpi: Option<u32>,
    lang: Lang,
    out: OutputDir,
) -> Result<Compared> {
    let c = lantu_write::compare_blueprints(old, new)?;
    let date = lantu_write::utc_now();
    let area = new.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let title = lantu_write::PrintTitle { area: &area, date: &date[..10] };
    lantu_write::write_comparison(out.path(), &c, profile, title, lang)?;
    if let Some(dpi) = dpi {
        let footnote =
            format!("比较：{} → {}　制图：lantu {}", old.display(), new.display(), env!("CARGO_PKG_VERSION"));
        lantu_render::render_sheets(&out.path().join("maps"), &crate::sheets::change_sheets(&c, &footnote), dpi, lang)?;
    }
    let dir = out.commit()?;
    Ok(Compared {
        dir,
        communities: c.communities.1.len(),
        area_gap_closed_m2: c.area_gap_closed(),
        facility_changes: c.facilities.1.len(),
    })
}
