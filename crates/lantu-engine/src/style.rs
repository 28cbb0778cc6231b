//! What the GIS styles and the maps draw alike, so that a layer in QGIS and a PNG map
//! show the same classes in the same colours. Kinds' colours are the profile's.

use lantu_core::Lang;

/// The font of labels: Debian's fonts-wqy-microhei has the Chinese glyphs.
pub const LABEL_FONT: &str = "WenQuanYi Micro Hei";

/// Area-gap classes per 100 households (m²): upper bounds and colours, for the
/// communities' graduated style and the maps.
pub const GAP_CLASSES: [(f64, (u8, u8, u8)); 5] = [
    (0.0, (26, 150, 65)),
    (10.0, (255, 255, 178)),
    (20.0, (254, 204, 92)),
    (40.0, (253, 141, 60)),
    (1e9, (215, 25, 28)),
];

/// The label of gap class `i`.
pub fn gap_class_label(i: usize, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match i {
        0 => (if zh { "达标" } else { "meets the standard" }).into(),
        4 => format!("> {:.0} ㎡/{}", GAP_CLASSES[3].0, if zh { "百户" } else { "100 hh" }),
        _ => format!("{:.0}–{:.0} ㎡/{}", GAP_CLASSES[i - 1].0, GAP_CLASSES[i].0, if zh { "百户" } else { "100 hh" }),
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

/// A code or name made safe and unique for a file name (`maps/street_<code>.png`,
/// `pilot_<code>.png`, `申报方案_<area>.docx`): letters (Chinese too), digits, `-` and `_`
/// are kept. A name that had to be changed (other characters became `_`) or shortened (to
/// [`FILE_STEM_MAX_BYTES`] bytes, by bytes, as file systems count) gets `_` and a short
/// hash of the name itself, so that `S/1` and `S_1`, or two long names alike at the start,
/// never write the same file.
///
/// ```
/// use lantu_engine::style::file_stem;
/// assert_eq!(file_stem("500103001"), "500103001");
/// assert_ne!(file_stem("S/1"), file_stem("S_1"));
/// assert!(file_stem("S/1").starts_with("S_1_"));
/// let long = "很长的项目名称".repeat(20);
/// assert!(file_stem(&long).len() <= 80 && file_stem(&long) != file_stem(&format!("{long}甲")));
/// ```
pub fn file_stem(name: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if safe == name && !safe.is_empty() && safe.len() <= FILE_STEM_MAX_BYTES {
        return safe;
    }
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(name.as_bytes()).iter().take(4).map(|b| format!("{b:02x}")).collect();
    let mut cut = FILE_STEM_MAX_BYTES - hash.len() - 1;
    while !safe.is_char_boundary(cut.min(safe.len())) {
        cut -= 1;
    }
    format!("{}_{hash}", &safe[..cut.min(safe.len())])
}

/// The longest file stem [`file_stem`] makes, in bytes: with a prefix such as `申报方案_`
/// and a suffix such as `.docx.partial` a file name stays well below the 255 bytes file
/// systems allow.
pub const FILE_STEM_MAX_BYTES: usize = 80;
