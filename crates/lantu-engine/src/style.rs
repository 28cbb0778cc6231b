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

/// A code or name made safe for a file name (`maps/street_<code>.png`, `pilot_<code>.png`,
/// `申报方案_<area>.docx`): letters (Chinese too), digits, `-` and `_`; anything else `_`.
pub fn file_stem(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}
