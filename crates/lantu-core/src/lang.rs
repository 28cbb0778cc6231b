//! Chinese first, English on request: the language of messages, tables and maps.

use serde::{Deserialize, Serialize};

/// The language lantu speaks to the user.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

/// A message in both languages, chosen when shown.
///
/// ```
/// use lantu_core::{Lang, Text};
/// let t = Text::new("户数缺失", "households missing");
/// assert_eq!(t.get(Lang::Zh), "户数缺失");
/// assert_eq!(t.get(Lang::En), "households missing");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A message from its two versions.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }
    /// The version in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}
