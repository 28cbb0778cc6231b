//! Finding the font the labels are drawn with, and checking it has Chinese glyphs:
//! the generic "sans-serif" often resolves to a font without them and prints boxes.

use crate::RenderError;
use font_kit::family_name::FamilyName;
use font_kit::properties::Properties;
use font_kit::source::SystemSource;
use lantu_engine::style::LABEL_FONT;

/// The family and file of the label font, after checking that it draws the Chinese
/// characters lantu's maps use (not a fallback font that would print boxes).
pub fn chinese_font() -> Result<(String, String), RenderError> {
    let handle = SystemSource::new()
        .select_best_match(&[FamilyName::Title(LABEL_FONT.into())], &Properties::new())
        .map_err(|e| RenderError::NoChineseFont(format!("{LABEL_FONT}: {e}")))?;
    let font = handle.load().map_err(|e| RenderError::NoChineseFont(e.to_string()))?;
    let family = font.family_name();
    if family != LABEL_FONT {
        return Err(RenderError::NoChineseFont(format!("{LABEL_FONT} not installed; fontconfig offered {family}")));
    }
    for ch in "一张蓝图社区服务设施养老托育缺口图例北米".chars() {
        if font.glyph_for_char(ch).is_none_or(|g| g == 0) {
            return Err(RenderError::NoChineseFont(format!("{family} lacks the glyph {ch}")));
        }
    }
    let file = match &handle {
        font_kit::handle::Handle::Path { path, .. } => path.display().to_string(),
        font_kit::handle::Handle::Memory { .. } => "(memory)".into(),
    };
    Ok((family, file))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_label_font_has_chinese_glyphs() {
        let (family, file) = super::chinese_font().expect("fonts-wqy-microhei is installed");
        assert_eq!(family, "WenQuanYi Micro Hei");
        assert!(file.contains("wqy"), "{file}");
    }
}
