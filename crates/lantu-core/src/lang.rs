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

impl Lang {
    /// Of two versions of a word or message, the one in this language: the one helper over
    /// which lantu chooses its words where a [`Text`] would only be built to be read once.
    ///
    /// ```
    /// use lantu_core::Lang;
    /// assert_eq!(Lang::Zh.pick("户数", "households"), "户数");
    /// assert_eq!(Lang::En.pick(String::from("户数"), String::from("households")), "households");
    /// ```
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
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
