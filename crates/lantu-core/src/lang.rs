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
    /// Words lantu does not translate (a parser's, GDAL's, a file's own) in both versions.
    ///
    /// ```
    /// use lantu_core::{Lang, Text};
    /// let t = Text::verbatim("expected `=`");
    /// assert_eq!(t.get(Lang::Zh), t.get(Lang::En));
    /// ```
    pub fn verbatim(s: impl Into<String>) -> Text {
        let s = s.into();
        Text { zh: s.clone(), en: s }
    }
    /// The version in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl std::fmt::Display for Text {
    /// The Chinese version: lantu's first language, where no language was chosen.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.zh)
    }
}

/// An error a person reads, said in the language they chose.
///
/// Every error type of lantu's libraries implements it; its `Display` is the Chinese
/// message (lantu's first language). A front door that knows the user's language asks each
/// error of a chain for its [`message`](Localized::message); causes that are not lantu's
/// (GDAL's, the system's) are shown as they come.
///
/// ```
/// use lantu_core::{Lang, Localized};
/// #[derive(Debug)]
/// struct NoKinds;
/// impl Localized for NoKinds {
///     fn message(&self, lang: Lang) -> String {
///         lang.pick("没有服务类型", "no service kinds").into()
///     }
/// }
/// assert_eq!(NoKinds.message(Lang::En), "no service kinds");
/// ```
pub trait Localized {
    /// The message in `lang`, without its causes.
    fn message(&self, lang: Lang) -> String;
}

/// `Display` for types that are [`Localized`]: their Chinese message, lantu's first language
/// (a front door that knows the user's language asks for [`Localized::message`] instead).
///
/// ```
/// use lantu_core::{Lang, Localized};
/// struct NoKinds;
/// impl Localized for NoKinds {
///     fn message(&self, lang: Lang) -> String {
///         lang.pick("没有服务类型", "no service kinds").into()
///     }
/// }
/// lantu_core::display_in_chinese!(NoKinds);
/// assert_eq!(NoKinds.to_string(), "没有服务类型");
/// ```
#[macro_export]
macro_rules! display_in_chinese {
    ($($t:ty),+ $(,)?) => {
        $(impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&$crate::Localized::message(self, $crate::Lang::Zh))
            }
        })+
    };
}

/// lantu's own words as the cause of an error, where there is no GDAL, PROJ or system error
/// to carry: said in the chosen language like the error above it.
///
/// ```
/// use lantu_core::{Lang, Localized, Reason, Text};
/// let cause: Box<dyn std::error::Error + Send + Sync> = Reason::new("文件不存在", "no such file").into();
/// let r = cause.downcast_ref::<Reason>().unwrap();
/// assert_eq!(r.message(Lang::En), "no such file");
/// assert_eq!(cause.to_string(), "文件不存在");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason(pub Text);

impl Reason {
    /// A reason from its two versions.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Reason {
        Reason(Text::new(zh, en))
    }
}

/// Whether a system error says the disk (or the user's quota) is full: every writer calls
/// such a failure a full disk, naming its file, rather than passing on the system's words.
///
/// ```
/// let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
/// assert!(lantu_core::is_disk_full(&full));
/// assert!(!lantu_core::is_disk_full(&std::io::Error::from(std::io::ErrorKind::PermissionDenied)));
/// ```
pub fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded)
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.zh)
    }
}

impl std::error::Error for Reason {}

impl Localized for Reason {
    fn message(&self, lang: Lang) -> String {
        self.0.get(lang).to_string()
    }
}

impl From<Text> for Reason {
    fn from(t: Text) -> Reason {
        Reason(t)
    }
}
