//! `lantu web DIR`: the page of a finished output folder written again by this version
//! (its script, style, library and words), from the folder's GeoJSON and what the old page
//! said about the run — without running the analysis again.

use crate::{write_web, WebError, WebKind, WebMeta, WebSummary};
use lantu_core::Lang;
use std::path::{Path, PathBuf};

/// What a page of any version says about its run (the part that does not come from the
/// registry or the GeoJSON).
#[derive(serde::Deserialize)]
struct Said {
    title: String,
    date: String,
    source: String,
    crs: String,
    metric: String,
    #[serde(default)]
    note: Option<String>,
    lang: String,
    kinds: Vec<WebKind>,
    #[serde(default)]
    left_out: Vec<String>,
}

/// Why an old page cannot be read.
fn unreadable(path: &Path, why: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> WebError {
    WebError::NotAPage { path: path.to_path_buf(), source: why.into() }
}

/// Writes `dir/web/` again from `dir/geojson/` and the run's description in the old
/// `dir/web/data/meta.js`, with this version's page, words and column labels. The new page
/// is written beside the old one and takes its place only when complete.
pub fn rebuild_web(dir: &Path) -> Result<WebSummary, WebError> {
    let meta_js = dir.join("web/data/meta.js");
    let text = std::fs::read_to_string(&meta_js).map_err(|e| unreadable(&meta_js, e))?;
    let json = text
        .trim()
        .strip_prefix("LANTU.setMeta(")
        .and_then(|t| t.strip_suffix(");"))
        .ok_or_else(|| unreadable(&meta_js, "not a lantu page's data/meta.js (LANTU.setMeta(…);)"))?;
    let said: Said = serde_json::from_str(json).map_err(|e| unreadable(&meta_js, e))?;
    let geojson = dir.join("geojson");
    if !geojson.join("communities.geojson").exists() {
        return Err(unreadable(&geojson, "no communities.geojson: not a lantu output folder"));
    }
    let lang = if said.lang == "en" { Lang::En } else { Lang::Zh };
    // the run's kinds, as its manifest recorded its profile: their labels (places per 1,000
    // of the kinds counted by capacity) are the run's; none from a folder without it
    let kinds = std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
        .and_then(|m| serde_json::from_value::<lantu_core::Kinds>(m.get("profile")?.get("kinds")?.clone()).ok())
        .unwrap_or_else(|| lantu_core::Kinds::new(vec![]));
    let mut meta =
        WebMeta::new(said.title, said.date, said.source, said.crs, said.metric, said.note, lang, &kinds, &[]);
    meta.kinds = said.kinds;
    meta.left_out = said.left_out;
    // the new page in a folder of its own first: a failure leaves the old page as it was
    let staging = dir.join(".web-rebuild");
    let _ = std::fs::remove_dir_all(&staging);
    let summary = write_web(&staging, &geojson, &meta)?;
    let (new, old, gone) = (staging.join("web"), dir.join("web"), dir.join(".web-old"));
    let io = |path: PathBuf| move |source| WebError::Io { path, source };
    let _ = std::fs::remove_dir_all(&gone);
    std::fs::rename(&old, &gone).map_err(io(old.clone()))?;
    if let Err(e) = std::fs::rename(&new, &old) {
        let _ = std::fs::rename(&gone, &old);
        return Err(WebError::Io { path: old, source: e });
    }
    let _ = std::fs::remove_dir_all(&gone);
    let _ = std::fs::remove_dir_all(&staging);
    Ok(summary)
}
