//! # lantu-web: the blueprint as an interactive map page that opens offline
//!
//! [`write_web`] writes `DIR/web/`: `index.html` with the page's script and style, the
//! vendored MapLibre GL JS (`vendor/`, with its licence), and the blueprint's layers as
//! `data/<layer>.js` — GeoJSON (RFC 7946, WGS 84, as written to `DIR/geojson/`) wrapped in a
//! script call, because a page opened from `file://` may load scripts but not fetch files.
//! No server, no internet: government intranets have neither.
//!
//! Layers too large for GeoJSON (a city's buildings and walkways, see the writers'
//! `GEOJSON_MAX_FEATURES`) are left out of the page and named in its legend.
#![deny(missing_docs)]

mod rebuild;
mod words;
pub use rebuild::rebuild_web;
pub use words::{page_columns, page_words, PageColumn, Word};

use lantu_core::{Kinds, Lang};
use lantu_engine::style::{gap_class_label, GAP_CLASSES};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The MapLibre GL JS version embedded (see `vendor/maplibre-gl/README.md`).
pub const MAPLIBRE_VERSION: &str = "4.7.1";

const MAPLIBRE_JS: &[u8] = include_bytes!("../vendor/maplibre-gl/maplibre-gl.js");
const MAPLIBRE_CSS: &[u8] = include_bytes!("../vendor/maplibre-gl/maplibre-gl.css");
const MAPLIBRE_LICENSE: &[u8] = include_bytes!("../vendor/maplibre-gl/LICENSE.txt");
const INDEX_HTML: &str = include_str!("../page/index.html");
const APP_JS: &str = include_str!("../page/app.js");
const STYLE_CSS: &str = include_str!("../page/style.css");

/// One data file of the page: which GeoJSON layer it comes from, which features and
/// properties it keeps, and whether the first view needs it (else it loads after).
struct Part {
    /// The data file and the page's source name.
    name: &'static str,
    /// The GeoJSON layer it is made from.
    layer: &'static str,
    /// Properties kept (`None`: all; a district's buildings carry dozens the page never reads).
    keep: Option<&'static [&'static str]>,
    /// Features kept, by their `kind`: only this one (`Some(true)`), all others (`Some(false)`).
    core_kind: Option<bool>,
    /// Loaded after the first view is drawn.
    deferred: bool,
}

/// The page's data, bottom to top. At city scale the first view must stay small: base
/// layers, coverage areas and the per-kind uncovered homes come after it.
const PARTS: [Part; 10] = [
    Part { name: "buildings", layer: "buildings", keep: Some(&["residential"]), core_kind: None, deferred: true },
    Part { name: "network", layer: "network", keep: Some(&["steps"]), core_kind: None, deferred: true },
    Part { name: "communities", layer: "communities", keep: None, core_kind: None, deferred: false },
    Part {
        name: "coverage_areas",
        layer: "coverage_areas",
        keep: Some(&["kind", "circle", "is_kind_circle"]),
        core_kind: None,
        deferred: true,
    },
    Part {
        name: "uncovered_core",
        layer: "uncovered_areas",
        keep: Some(&["kind", "households", "buildings"]),
        core_kind: Some(true),
        deferred: false,
    },
    Part {
        name: "uncovered_kinds",
        layer: "uncovered_areas",
        keep: Some(&["kind", "households", "buildings"]),
        core_kind: Some(false),
        deferred: true,
    },
    Part { name: "streets", layer: "streets", keep: None, core_kind: None, deferred: false },
    Part { name: "facilities", layer: "facilities", keep: Some(&["name", "kinds"]), core_kind: None, deferred: false },
    Part { name: "candidates", layer: "candidates", keep: None, core_kind: None, deferred: false },
    Part { name: "pilots", layer: "pilots", keep: None, core_kind: None, deferred: false },
];

/// Layers larger than this load after the first view: a city's 83,000 facilities take
/// seconds to draw as dots that no one can tell apart at the city's scale.
const FIRST_VIEW_MAX_BYTES: usize = 2_000_000;

/// The `kind` of the uncovered-homes feature with no core (一老一小) kind in reach.
const CORE_KIND: &str = "core";

/// Why the page could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A folder's page (its `web/data/meta.js`) cannot be read to write it again.
    NotAPage {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl lantu_core::Localized for WebError {
    fn message(&self, lang: Lang) -> String {
        match self {
            WebError::Io { path, .. } => {
                let p = path.display();
                lang.pick(format!("{p}：网页输出失败"), format!("{p}: cannot write the web page"))
            }
            WebError::NotAPage { path, .. } => {
                let p = path.display();
                lang.pick(
                    format!("{p}：不是 lantu 输出的网页，无法重建"),
                    format!("{p}: not a lantu output's page, cannot write it again"),
                )
            }
        }
    }
}

lantu_core::display_in_chinese!(WebError);

/// What the page says about the run (title, legend, sources).
#[derive(Clone, Debug, Serialize)]
pub struct WebMeta {
    /// The page's title.
    pub title: String,
    /// The day the blueprint was made, `YYYY-MM-DD`.
    pub date: String,
    /// Where the data came from.
    pub source: String,
    /// The working CRS, as a label.
    pub crs: String,
    /// The metric (`network`, `euclidean`).
    pub metric: String,
    /// The project's note (e.g. 合成示例数据), shown in red.
    pub note: Option<String>,
    /// The language the page opens in (`zh`, `en`); `?lang=` overrides it.
    pub lang: String,
    /// The service kinds, in order.
    pub kinds: Vec<WebKind>,
    /// Area-gap classes: upper bound (m² per 100 households), colour, labels.
    pub gap_classes: Vec<WebGapClass>,
    /// Layers left out of the page because they are too large, with their feature counts.
    pub left_out: Vec<String>,
    /// Base layers the page loads after its first view (`data/<layer>.js`).
    pub deferred: Vec<String>,
    /// Features per layer the page holds (communities, facilities, …).
    pub counts: std::collections::BTreeMap<String, usize>,
    /// The headers of the columns the page shows, from the output registry.
    pub columns: std::collections::BTreeMap<String, words::PageColumn>,
    /// The words of the page's controls and legend.
    pub words: std::collections::BTreeMap<&'static str, words::Word>,
}

/// A service kind as the page shows it.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct WebKind {
    /// Stable code.
    pub code: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// `#rrggbb`.
    pub colour: String,
    /// A core (一老一小) kind.
    pub core: bool,
    /// Its circle's distance, m.
    pub radius_m: f64,
}

/// A gap class of the communities' colouring.
#[derive(Clone, Debug, Serialize)]
pub struct WebGapClass {
    /// Upper bound, m² per 100 households.
    pub upper: f64,
    /// `#rrggbb`.
    pub colour: String,
    /// Label in Chinese.
    pub zh: String,
    /// Label in English.
    pub en: String,
}

impl WebMeta {
    /// The kinds and gap classes of a run; the other fields as given.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        title: String,
        date: String,
        source: String,
        crs: String,
        metric: String,
        note: Option<String>,
        lang: Lang,
        kinds: &Kinds,
        radii_m: &[f64],
    ) -> WebMeta {
        let hex = |(r, g, b): (u8, u8, u8)| format!("#{r:02x}{g:02x}{b:02x}");
        WebMeta {
            title,
            date,
            source,
            crs,
            metric,
            note,
            lang: lang.pick("zh", "en").into(),
            kinds: kinds
                .all()
                .map(|k| WebKind {
                    code: kinds.code(k).into(),
                    zh: kinds.name(k, Lang::Zh).into(),
                    en: kinds.name(k, Lang::En).into(),
                    colour: hex(kinds.rgb(k)),
                    core: kinds.def(k).core,
                    radius_m: radii_m.get(k.index()).copied().unwrap_or(0.0),
                })
                .collect(),
            gap_classes: GAP_CLASSES
                .iter()
                .enumerate()
                .map(|(i, (upper, colour))| WebGapClass {
                    upper: *upper,
                    colour: hex(*colour),
                    zh: gap_class_label(i, Lang::Zh),
                    en: gap_class_label(i, Lang::En),
                })
                .collect(),
            left_out: Vec::new(),
            deferred: Vec::new(),
            counts: Default::default(),
            columns: words::page_columns(kinds),
            words: words::page_words(),
        }
    }
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WebSummary {
    /// The layers on the page.
    pub layers: Vec<String>,
    /// Bytes of data written.
    pub data_bytes: u64,
}

/// Writes `dir/web/` from the GeoJSON files in `geojson_dir` (`<layer>.geojson`).
pub fn write_web(dir: &Path, geojson_dir: &Path, meta: &WebMeta) -> Result<WebSummary, WebError> {
    let web = dir.join("web");
    let write = |rel: &str, bytes: &[u8]| -> Result<(), WebError> {
        let path = web.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| WebError::Io { path: parent.into(), source })?;
        }
        std::fs::write(&path, bytes).map_err(|source| WebError::Io { path, source })
    };
    write("vendor/maplibre-gl.js", MAPLIBRE_JS)?;
    write("vendor/maplibre-gl.css", MAPLIBRE_CSS)?;
    write("vendor/LICENSE-maplibre-gl.txt", MAPLIBRE_LICENSE)?;
    write("app.js", APP_JS.as_bytes())?;
    write("style.css", STYLE_CSS.as_bytes())?;
    // each data file on its own (they are independent), then the page in the parts' order
    let parts: Vec<Option<(usize, Option<usize>)>> = PARTS
        .par_iter()
        .map(|part| -> Result<_, WebError> {
            let path = geojson_dir.join(format!("{}.geojson", part.layer));
            if !path.exists() {
                return Ok(None);
            }
            let text = std::fs::read(&path).map_err(|source| WebError::Io { path: path.clone(), source })?;
            let count = (part.name == part.layer).then(|| feature_count(&text));
            let text = if part.keep.is_some() || part.core_kind.is_some() {
                trim(&text, part).map_err(|e| WebError::Io { path: path.clone(), source: e.into() })?
            } else {
                text
            };
            let mut js = Vec::with_capacity(text.len() + 64);
            js.extend_from_slice(format!("LANTU.addLayer({:?}, ", part.name).as_bytes());
            js.extend_from_slice(&text);
            js.extend_from_slice(b");\n");
            write(&format!("data/{}.js", part.name), &js)?;
            Ok(Some((js.len(), count)))
        })
        .collect::<Result<_, _>>()?;
    let mut summary = WebSummary::default();
    let mut scripts = String::new();
    let mut meta = meta.clone();
    for (part, written) in PARTS.iter().zip(parts) {
        let Some((bytes, count)) = written else { continue };
        if let Some(count) = count {
            meta.counts.insert(part.layer.to_string(), count);
        }
        summary.data_bytes += bytes as u64;
        summary.layers.push(part.name.to_string());
        // a large layer waits for the first view (the communities never do: they are it)
        if part.deferred || (bytes > FIRST_VIEW_MAX_BYTES && part.name != "communities") {
            meta.deferred.push(part.name.to_string());
        } else {
            scripts.push_str(&format!("<script src=\"data/{}.js\"></script>\n", part.name));
        }
    }
    let meta_js =
        format!("LANTU.setMeta({});\n", serde_json::to_string(&meta).expect("the page's metadata always serialises"));
    write("data/meta.js", meta_js.as_bytes())?;
    let index = INDEX_HTML
        .replace("@@TITLE@@", &html_escape(&meta.title))
        .replace("@@LANG@@", &meta.lang)
        .replace("@@DATA_SCRIPTS@@", &scripts);
    write("index.html", index.as_bytes())?;
    Ok(summary)
}

/// Features in a GeoJSON text written by lantu (one `"type":"Feature"` each; GDAL's
/// spaced form counted too).
fn feature_count(geojson: &[u8]) -> usize {
    [&b"\"type\":\"Feature\""[..], &b"\"type\": \"Feature\""[..]]
        .iter()
        .map(|needle| geojson.windows(needle.len()).filter(|w| w == needle).count())
        .sum()
}

/// A GeoJSON feature collection as the page needs it: its name and features.
#[derive(serde::Deserialize)]
struct Collection<'a> {
    #[serde(default)]
    name: Option<String>,
    #[serde(borrow)]
    features: Vec<Feature<'a>>,
}

/// A feature: its properties by name and its geometry (the bulk of the bytes), all kept
/// as written: the page only chooses which to keep.
#[derive(serde::Deserialize)]
struct Feature<'a> {
    #[serde(default, borrow)]
    properties: Option<Properties<'a>>,
    #[serde(borrow)]
    geometry: Option<&'a serde_json::value::RawValue>,
}

/// A feature's properties in the order written, each value as written: a list, not a map
/// (a district's buildings have forty properties each, of which the page keeps one).
struct Properties<'a>(Vec<(std::borrow::Cow<'a, str>, &'a serde_json::value::RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Properties<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Properties<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a GeoJSON properties object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Properties<'a>, M::Error> {
                let mut all = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(entry) =
                    map.next_entry::<std::borrow::Cow<'a, str>, &'a serde_json::value::RawValue>()?
                {
                    all.push(entry);
                }
                Ok(Properties(all))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// The GeoJSON with only the features and properties a part keeps. Geometries are copied
/// as they are: parsing and printing every coordinate again took most of the page's time.
fn trim(geojson: &[u8], part: &Part) -> Result<Vec<u8>, serde_json::Error> {
    let (name, features) = match feature_lines(geojson) {
        // a feature per line, as lantu writes them: the lines trimmed side by side
        Some((head, lines)) => match trim_lines(head, &lines, part) {
            Ok(trimmed) => trimmed,
            Err(_) => trim_whole(geojson, part)?,
        },
        None => trim_whole(geojson, part)?,
    };
    let mut out = Vec::with_capacity(features.iter().map(Vec::len).sum::<usize>() + 64);
    out.extend_from_slice(br#"{"type":"FeatureCollection","#);
    if let Some(name) = &name {
        out.extend_from_slice(br#""name":"#);
        serde_json::to_writer(&mut out, name)?;
        out.push(b',');
    }
    out.extend_from_slice(br#""features":["#);
    for (i, f) in features.iter().filter(|f| !f.is_empty()).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(f);
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

/// A collection's name and its kept features, trimmed, in runs joined by commas (an empty
/// run holds no feature).
type Trimmed = (Option<String>, Vec<Vec<u8>>);

/// The collection parsed whole, for GeoJSON laid out in any other way.
fn trim_whole(geojson: &[u8], part: &Part) -> Result<Trimmed, serde_json::Error> {
    let collection: Collection = serde_json::from_slice(geojson)?;
    let mut run = Vec::with_capacity(geojson.len());
    for f in collection.features {
        trim_feature(f, part, &mut run)?;
    }
    Ok((collection.name, vec![run]))
}

/// The features of one line each, a thousand lines to a task.
fn trim_lines(head: &[u8], lines: &[&[u8]], part: &Part) -> Result<Trimmed, serde_json::Error> {
    // the head closed as an empty collection gives the name
    let closed = [head, b"]}"].concat();
    let empty: Collection = serde_json::from_slice(&closed)?;
    let runs = lines
        .par_chunks(1000)
        .map(|chunk| {
            let mut run = Vec::new();
            for line in chunk {
                trim_feature(serde_json::from_slice(line)?, part, &mut run)?;
            }
            Ok(run)
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()?;
    Ok((empty.name, runs))
}

/// The first line and the feature lines (without their commas) of a collection written a
/// feature per line — `{"type":"FeatureCollection",…,"features":[`, one line per feature,
/// `]}` —, or `None` when it is laid out otherwise.
fn feature_lines(geojson: &[u8]) -> Option<(&[u8], Vec<&[u8]>)> {
    let text = geojson.strip_suffix(b"\n").unwrap_or(geojson);
    let head_end = text.iter().position(|&b| b == b'\n')?;
    let (head, body) = (&text[..head_end], text[head_end + 1..].strip_suffix(b"]}")?);
    if !head.ends_with(br#""features":["#) {
        return None;
    }
    let lines: Vec<&[u8]> = match body.strip_suffix(b"\n") {
        None if body.is_empty() => Vec::new(),
        None => return None,
        Some(body) => body.split(|&b| b == b'\n').map(|l| l.strip_suffix(b",").unwrap_or(l)).collect(),
    };
    Some((head, lines))
}

/// One feature with the properties a part keeps, appended to `run` after a comma if it
/// holds a feature already; nothing when the part leaves it out.
fn trim_feature(f: Feature, part: &Part, run: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    let mut props = f.properties.map(|p| p.0).unwrap_or_default();
    if let Some(core) = part.core_kind {
        let kind = props.iter().find(|(k, _)| k == "kind");
        let kind = kind.and_then(|(_, v)| serde_json::from_str::<&str>(v.get()).ok());
        if (kind == Some(CORE_KIND)) != core {
            return Ok(());
        }
    }
    if let Some(keep) = part.keep {
        props.retain(|(k, _)| keep.contains(&k.as_ref()));
    }
    // by name, as a JSON object map writes them
    let props: std::collections::BTreeMap<_, _> = props.into_iter().collect();
    if !run.is_empty() {
        run.push(b',');
    }
    run.extend_from_slice(br#"{"type":"Feature","properties":"#);
    serde_json::to_writer(&mut *run, &props)?;
    run.extend_from_slice(br#","geometry":"#);
    run.extend_from_slice(f.geometry.map_or("null", |g| g.get()).as_bytes());
    run.push(b'}');
    Ok(())
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_wraps_each_layer_and_embeds_maplibre() {
        let dir = std::env::temp_dir().join(format!("lantu-web-unit-{}", std::process::id()));
        let gj = dir.join("geojson");
        std::fs::create_dir_all(&gj).unwrap();
        std::fs::write(gj.join("communities.geojson"), r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
        let profile = lantu_core::Profile::builtin();
        let meta = WebMeta::new(
            "<t>".into(),
            "2026-11-27".into(),
            "src".into(),
            "EPSG:4545".into(),
            "network".into(),
            None,
            Lang::Zh,
            &profile.kinds,
            &[300.0; 9],
        );
        let s = write_web(&dir, &gj, &meta).unwrap();
        assert_eq!(s.layers, vec!["communities".to_string()]);
        let uncovered = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"core","households":3.0,"radius_m":null},"geometry":null},{"type":"Feature","properties":{"kind":"canteen","households":5.0},"geometry":null}]}"#;
        std::fs::write(gj.join("uncovered_areas.geojson"), uncovered).unwrap();
        write_web(&dir, &gj, &meta).unwrap();
        let core = std::fs::read_to_string(dir.join("web/data/uncovered_core.js")).unwrap();
        assert!(core.contains("\"core\"") && !core.contains("canteen") && !core.contains("radius_m"), "{core}");
        let kinds = std::fs::read_to_string(dir.join("web/data/uncovered_kinds.js")).unwrap();
        assert!(kinds.contains("canteen") && !kinds.contains("\"core\""), "{kinds}");
        let index = std::fs::read_to_string(dir.join("web/index.html")).unwrap();
        assert!(index.contains("data/uncovered_core.js") && !index.contains("data/uncovered_kinds.js"), "deferred");
        let js = std::fs::read_to_string(dir.join("web/data/communities.js")).unwrap();
        assert!(js.starts_with("LANTU.addLayer(\"communities\", {") && js.ends_with(");\n"));
        let index = std::fs::read_to_string(dir.join("web/index.html")).unwrap();
        assert!(index.contains("&lt;t&gt;") && index.contains("data/communities.js"));
        assert!(
            dir.join("web/vendor/maplibre-gl.js").exists() && dir.join("web/vendor/LICENSE-maplibre-gl.txt").exists()
        );
        let meta = std::fs::read_to_string(dir.join("web/data/meta.js")).unwrap();
        assert!(meta.contains("\"elderly_care\"") && meta.contains("#e41a1c"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_feature_per_line_is_trimmed_as_the_whole_collection_is() {
        let feature = |i: usize| {
            let kind = ["core", "canteen", "health"][i % 3];
            format!(
                r#"{{"type":"Feature","properties":{{"kind":"{kind}","households":{i}.5,"name":"设施 {i}, \"a\"","residential":{},"steps":0,"buildings":{i}}},"geometry":{{"type":"Point","coordinates":[106.{i},29.5]}}}}"#,
                i % 2
            )
        };
        // 2,500 features: more than one task of lines; also one, and none
        for n in [0, 1, 2_500] {
            let features: Vec<String> = (0..n).map(feature).collect();
            let by_line = format!(
                "{{\"type\":\"FeatureCollection\",\"name\":\"layer\",\"features\":[\n{}{}]}}\n",
                features.join(",\n"),
                if n > 0 { "\n" } else { "" }
            );
            let one_line =
                format!(r#"{{"type":"FeatureCollection","name":"layer","features":[{}]}}"#, features.join(","));
            assert_eq!(feature_lines(by_line.as_bytes()).map(|(_, l)| l.len()), Some(n), "{n} features");
            assert!(feature_lines(one_line.as_bytes()).is_none() || n == 0);
            for part in &PARTS {
                let (a, b) = (trim(by_line.as_bytes(), part).unwrap(), trim(one_line.as_bytes(), part).unwrap());
                assert_eq!(
                    String::from_utf8(a).unwrap(),
                    String::from_utf8(b).unwrap(),
                    "{} with {n} features",
                    part.name
                );
            }
        }
        // what the page keeps of one line
        let one = format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}", feature(4));
        let kept = String::from_utf8(trim(one.as_bytes(), &PARTS[0]).unwrap()).unwrap();
        assert_eq!(
            kept,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"residential":0},"geometry":{"type":"Point","coordinates":[106.4,29.5]}}]}"#
        );
        // a line that is not a feature: the whole text is parsed, and its error reported
        let broken = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\n]}";
        assert!(trim(broken.as_bytes(), &PARTS[0]).is_err());
    }
}
