//! What the GIS styles and the maps draw alike, so that a layer in QGIS and a PNG map
//! show the same classes in the same colours. Kinds' colours are the profile's.

use lantu_core::Lang;

/// The font of labels: Debian's fonts-wqy-microhei has the Chinese glyphs.
pub const LABEL_FONT: &str = "WenQuanYi Micro Hei";

/// Area-gap classes per 100 households (m²): upper bounds and colours, for the
/// communities' style by `gap_class` and the maps.
pub const GAP_CLASSES: [(f64, (u8, u8, u8)); 5] = [
    (0.0, (26, 150, 65)),
    (10.0, (255, 255, 178)),
    (20.0, (254, 204, 92)),
    (40.0, (253, 141, 60)),
    (1e9, (215, 25, 28)),
];

/// The gap class of a community (an index into [`GAP_CLASSES`]) from its gap per 100
/// households; `None` without households, drawn grey (户数缺失). Written as the
/// `gap_class` column, so that QGIS, the page and the PNG maps colour by one value.
///
/// ```
/// use lantu_core::SquareMetres;
/// use lantu_engine::style::gap_class;
/// assert_eq!(gap_class(Some(SquareMetres(30.0)), SquareMetres(33.0)), Some(0)); // met
/// assert_eq!(gap_class(Some(SquareMetres(30.0)), SquareMetres(12.0)), Some(2)); // 18 short
/// assert_eq!(gap_class(Some(SquareMetres(80.0)), SquareMetres(0.0)), Some(4));
/// assert_eq!(gap_class(None, SquareMetres(0.0)), None);
/// ```
pub fn gap_class(
    area_standard: Option<lantu_core::SquareMetres>,
    area_per_100hh: lantu_core::SquareMetres,
) -> Option<usize> {
    let gap = (area_standard?.0 - area_per_100hh.0).max(0.0);
    Some(GAP_CLASSES.iter().position(|(upper, _)| gap <= *upper).unwrap_or(GAP_CLASSES.len() - 1))
}

/// The gap class of a community's figures (see [`gap_class`]).
pub fn community_gap_class(f: &lantu_core::CommunityFigures) -> Option<usize> {
    f.area_per_100hh.and_then(|per100| gap_class(Some(f.area_standard), per100))
}

/// The label of gap class `i`.
pub fn gap_class_label(i: usize, lang: Lang) -> String {
    match i {
        0 => (lang.pick("达标", "meets the standard")).into(),
        4 => format!("> {:.0} ㎡/{}", GAP_CLASSES[3].0, lang.pick("百户", "100 hh")),
        _ => format!("{:.0}–{:.0} ㎡/{}", GAP_CLASSES[i - 1].0, GAP_CLASSES[i].0, lang.pick("百户", "100 hh")),
    }
}

/// The name of the row (and map) that gathers communities without a street.
pub fn no_street_name(lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        "（未分配街道）"
    } else {
        "(no street)"
    }
}

/// A name made safe for a file name (`申报方案_<area>.docx`): letters (Chinese too),
/// digits, `-` and `_` are kept, anything else becomes `_`; a name longer than
/// [`FILE_STEM_MAX_BYTES`] (by bytes, as file systems count) is cut and gets `_` and a
/// short hash of the whole name, so that two long names alike at the start stay apart.
///
/// ```
/// use lantu_engine::style::file_stem;
/// assert_eq!(file_stem("渝中区, 2025"), "渝中区__2025");
/// let long = "很长的项目名称".repeat(20);
/// assert!(file_stem(&long).len() <= 80 && file_stem(&long) != file_stem(&format!("{long}甲")));
/// ```
pub fn file_stem(name: &str) -> String {
    let safe = safe_chars(name);
    if safe.len() <= FILE_STEM_MAX_BYTES && !safe.is_empty() {
        safe
    } else {
        with_hash(&safe, name)
    }
}

/// A code made safe and unique for the file of one object among many
/// (`maps/street_<code>.png`, `pilot_<code>.png`): as [`file_stem`], and a code that had to
/// be changed gets the short hash as well, so that `S/1` and `S_1` never write the same file.
///
/// ```
/// use lantu_engine::style::code_file_stem;
/// assert_eq!(code_file_stem("500103001"), "500103001");
/// assert_ne!(code_file_stem("S/1"), code_file_stem("S_1"));
/// assert!(code_file_stem("S/1").starts_with("S_1_"));
/// ```
pub fn code_file_stem(code: &str) -> String {
    let safe = safe_chars(code);
    if safe == code && safe.len() <= FILE_STEM_MAX_BYTES && !safe.is_empty() {
        safe
    } else {
        with_hash(&safe, code)
    }
}

fn safe_chars(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// `safe`, cut at a character boundary to leave room, then `_` and 8 hex digits of the
/// SHA-256 of `original`.
fn with_hash(safe: &str, original: &str) -> String {
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(original.as_bytes()).iter().take(4).map(|b| format!("{b:02x}")).collect();
    let mut cut = (FILE_STEM_MAX_BYTES - hash.len() - 1).min(safe.len());
    while !safe.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash}", &safe[..cut])
}

/// The longest file stem [`file_stem`] and [`code_file_stem`] make, in bytes: with a prefix such as `申报方案_`
/// and a suffix such as `.docx.partial` a file name stays well below the 255 bytes file
/// systems allow.
pub const FILE_STEM_MAX_BYTES: usize = 80;

/// The mark put after an estimated household count in tables a person reads.
pub const ESTIMATE_MARK: &str = "*";

/// What [`ESTIMATE_MARK`] means, for a table's title or note.
pub fn estimate_mark_legend(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("带 {ESTIMATE_MARK} 的户数为估算"),
        Lang::En => format!("households marked {ESTIMATE_MARK} are estimates"),
    }
}

/// A household count as a person reads it: whole, with [`ESTIMATE_MARK`] when estimated.
///
/// ```
/// use lantu_engine::style::households_shown;
/// assert_eq!(households_shown(Some(15530.9), true), "15531*");
/// assert_eq!(households_shown(Some(1200.0), false), "1200");
/// assert_eq!(households_shown(None, false), "—");
/// ```
pub fn households_shown(households: Option<f64>, estimated: bool) -> String {
    match households {
        Some(h) => format!("{h:.0}{}", if estimated { ESTIMATE_MARK } else { "" }),
        None => "—".into(),
    }
}

/// What the estimated household counts among `communities` are, for every document's
/// note: `None` when every count is given.
///
/// ```
/// use lantu_core::{Community, CommunityId, Dataset, HouseholdSource, Households, Lang};
/// use lantu_engine::style::households_note;
/// let c = |i: u32, source| Community {
///     id: CommunityId(i), code: format!("C{i}"), name: String::new(), street_code: None,
///     street_name: None, households: Some(Households(10.0)), households_source: source,
///     population: None, elderly: None, infants: None, children: None, capable: false, centralised: true,
///     boundary: geo::MultiPolygon(vec![]),
/// };
/// let d = Dataset {
///     communities: vec![c(0, HouseholdSource::Given), c(1, HouseholdSource::FromPopulationGrid)],
///     ..Default::default()
/// };
/// assert_eq!(households_note(&d.communities, Lang::Zh).unwrap(), "户数含估算（1 个社区：按人口格网估算 1）");
/// assert_eq!(households_note(&d.communities, Lang::En).unwrap(), "households include estimates (1 community: estimated from the population grid 1)");
/// ```
pub fn households_note<'a>(
    communities: impl IntoIterator<Item = &'a lantu_core::Community>,
    lang: Lang,
) -> Option<String> {
    let estimated: Vec<(lantu_core::HouseholdSource, usize)> =
        lantu_core::HouseholdSource::tally(communities).into_iter().filter(|(s, _)| s.is_estimated()).collect();
    let n: usize = estimated.iter().map(|(_, n)| n).sum();
    if n == 0 {
        return None;
    }
    let parts: Vec<String> = estimated.iter().map(|(s, k)| format!("{} {k}", s.label().get(lang))).collect();
    Some(match lang {
        Lang::Zh => format!("户数含估算（{n} 个社区：{}）", parts.join("，")),
        Lang::En => format!(
            "households include estimates ({n} communit{}: {})",
            if n == 1 { "y" } else { "ies" },
            parts.join(", ")
        ),
    })
}
