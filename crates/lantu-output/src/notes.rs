//! What the outputs say about their sources: the area's name, the files read, the note on
//! maps and pages.

use lantu_core::Lang;
use lantu_read::Loaded;

/// The area's name for titles: the project's name, else the OSM file's.
pub fn area_name(loaded: &Loaded, lang: Lang) -> String {
    loaded.name.clone().unwrap_or_else(|| lang.pick("分析范围".into(), "study area".into()))
}

/// The data sources for the XLSX: every layer and joined table read.
pub(crate) fn sources(loaded: &Loaded, lang: Lang) -> Vec<(String, String)> {
    loaded
        .report
        .layers
        .iter()
        .map(|l| (l.path.display().to_string(), format!("{} · {} · {}", l.role.key(), l.layer, l.crs.get(lang))))
        .chain(loaded.report.joins.iter().map(|j| {
            let fields: Vec<String> = j.fields.iter().map(|(r, c)| format!("{r} ← {c}")).collect();
            (j.path.display().to_string(), format!("communities.join · {} · {}", j.sheet, fields.join(", ")))
        }))
        .collect()
}

/// The data source note on maps, the page and the documents: OSM's attribution, or the
/// input files' names; then what the estimated households are, when any are.
pub(crate) fn source_note(loaded: &Loaded, lang: Lang) -> String {
    let mut names: Vec<String> = Vec::new();
    for l in &loaded.report.layers {
        let n = if l.driver == "OSM" {
            "© OpenStreetMap contributors (ODbL)".to_string()
        } else {
            l.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
        };
        if !names.contains(&n) {
            names.push(n);
        }
    }
    if let Some(dem) = &loaded.report.dem {
        names.push(format!(
            "DEM {}",
            dem.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
        ));
    }
    if let Some(p) = &loaded.report.population {
        let file = p.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        names.push(format!("{} {file}", lang.pick("人口格网", "population grid")));
    }
    let mut note = names.join(", ");
    if let Some(h) = lantu_engine::style::households_note(&loaded.dataset.communities, lang) {
        note.push_str(lang.pick("；", "; "));
        note.push_str(&h);
    }
    note
}
