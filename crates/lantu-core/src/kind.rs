//! The nine service kinds of the 2024 Chongqing pilot, with stable English codes.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One of the everyday services the pilot asks for.
///
/// The code (`elderly_care`, ...) is stable and is what lantu writes into data;
/// the Chinese name is what planners read.
///
/// ```
/// use lantu_core::ServiceKind;
/// assert_eq!(ServiceKind::parse("养老服务"), Some(ServiceKind::ElderlyCare));
/// assert_eq!(ServiceKind::parse("canteen"), Some(ServiceKind::Canteen));
/// assert_eq!(ServiceKind::Canteen.name_zh(), "社区助餐");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// 养老服务
    ElderlyCare,
    /// 托育服务
    InfantCare,
    /// 儿童托管
    ChildAfterSchool,
    /// 社区助餐
    Canteen,
    /// 家政便民
    Housekeeping,
    /// 健康服务
    Health,
    /// 体育健身
    Fitness,
    /// 文化休闲
    Culture,
    /// 儿童游憩
    ChildrenPlay,
}

impl ServiceKind {
    /// All nine kinds, in the order of the seed document (and of every table).
    pub const ALL: [ServiceKind; 9] = [
        ServiceKind::ElderlyCare,
        ServiceKind::InfantCare,
        ServiceKind::ChildAfterSchool,
        ServiceKind::Canteen,
        ServiceKind::Housekeeping,
        ServiceKind::Health,
        ServiceKind::Fitness,
        ServiceKind::Culture,
        ServiceKind::ChildrenPlay,
    ];

    /// The position of the kind in [`ServiceKind::ALL`] (for per-kind arrays).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name in a language.
    pub fn name(self, lang: crate::Lang) -> &'static str {
        match lang {
            crate::Lang::Zh => self.name_zh(),
            crate::Lang::En => self.name_en(),
        }
    }

    /// The stable code used in data, e.g. `elderly_care`.
    pub fn code(self) -> &'static str {
        match self {
            ServiceKind::ElderlyCare => "elderly_care",
            ServiceKind::InfantCare => "infant_care",
            ServiceKind::ChildAfterSchool => "child_after_school",
            ServiceKind::Canteen => "canteen",
            ServiceKind::Housekeeping => "housekeeping",
            ServiceKind::Health => "health",
            ServiceKind::Fitness => "fitness",
            ServiceKind::Culture => "culture",
            ServiceKind::ChildrenPlay => "children_play",
        }
    }

    /// The Chinese name used by the seed document.
    pub fn name_zh(self) -> &'static str {
        match self {
            ServiceKind::ElderlyCare => "养老服务",
            ServiceKind::InfantCare => "托育服务",
            ServiceKind::ChildAfterSchool => "儿童托管",
            ServiceKind::Canteen => "社区助餐",
            ServiceKind::Housekeeping => "家政便民",
            ServiceKind::Health => "健康服务",
            ServiceKind::Fitness => "体育健身",
            ServiceKind::Culture => "文化休闲",
            ServiceKind::ChildrenPlay => "儿童游憩",
        }
    }

    /// An English name for `--lang en`.
    pub fn name_en(self) -> &'static str {
        match self {
            ServiceKind::ElderlyCare => "elderly care",
            ServiceKind::InfantCare => "infant care",
            ServiceKind::ChildAfterSchool => "after-school care",
            ServiceKind::Canteen => "community canteen",
            ServiceKind::Housekeeping => "housekeeping",
            ServiceKind::Health => "health",
            ServiceKind::Fitness => "fitness",
            ServiceKind::Culture => "culture and leisure",
            ServiceKind::ChildrenPlay => "children's play",
        }
    }

    /// Further names met in survey tables, matched after codes and official names.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            ServiceKind::ElderlyCare => &["养老", "养老服务站", "养老服务中心", "日间照料", "elderly"],
            ServiceKind::InfantCare => &["托育", "托儿所", "托育园", "infant", "childcare"],
            ServiceKind::ChildAfterSchool => &["托管", "儿童托管服务", "四点半课堂", "after_school"],
            ServiceKind::Canteen => &["助餐", "老年食堂", "社区食堂", "助餐点", "食堂"],
            ServiceKind::Housekeeping => &["家政", "便民", "家政服务", "便民服务"],
            ServiceKind::Health => &["健康", "卫生", "医疗", "卫生服务站", "社区卫生服务站"],
            ServiceKind::Fitness => &["体育", "健身", "运动", "sport", "sports"],
            ServiceKind::Culture => &["文化", "休闲", "文化活动室", "图书室", "文化站"],
            ServiceKind::ChildrenPlay => &["儿童游乐", "游憩", "儿童乐园", "playground", "play"],
        }
    }

    /// Parses a kind from its code, its Chinese or English name, or a common alias.
    /// Whitespace and case are ignored. Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<ServiceKind> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let norm = |s: &str| s.to_lowercase().replace(['-', ' ', '\''], "_");
        let lower = norm(t);
        Self::ALL.into_iter().find(|k| {
            k.code() == lower
                || k.name_zh() == t
                || norm(k.name_en()) == lower
                || k.aliases().iter().any(|a| *a == t || *a == lower)
        })
    }

    /// Splits a field that lists several kinds (`养老服务;社区助餐`, `a,b`, `a、b`) and
    /// parses each. Returns the kinds found and the pieces that named no kind.
    pub fn parse_list(text: &str) -> (Vec<ServiceKind>, Vec<String>) {
        let mut kinds = Vec::new();
        let mut unknown = Vec::new();
        for piece in text.split([';', ',', '，', '、', '/', '|', '；']).map(str::trim).filter(|p| !p.is_empty()) {
            match Self::parse(piece) {
                Some(k) if !kinds.contains(&k) => kinds.push(k),
                Some(_) => {}
                None => unknown.push(piece.to_string()),
            }
        }
        kinds.sort();
        (kinds, unknown)
    }
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error of [`ServiceKind::from_str`]: the text named no service kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown service kind {0:?} (expected one of the nine codes or their Chinese names)")]
pub struct UnknownKind(pub String);

impl FromStr for ServiceKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        ServiceKind::parse(s).ok_or_else(|| UnknownKind(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_code_and_chinese_name() {
        for k in ServiceKind::ALL {
            assert_eq!(ServiceKind::parse(k.code()), Some(k));
            assert_eq!(ServiceKind::parse(k.name_zh()), Some(k));
            assert_eq!(ServiceKind::parse(k.name_en()), Some(k), "{}", k.name_en());
        }
    }

    #[test]
    fn lists_split_on_chinese_and_latin_separators() {
        let (kinds, unknown) = ServiceKind::parse_list("养老服务、社区助餐;托育，篮球场");
        assert_eq!(kinds, vec![ServiceKind::ElderlyCare, ServiceKind::InfantCare, ServiceKind::Canteen]);
        assert_eq!(unknown, vec!["篮球场".to_string()]);
    }

    #[test]
    fn unknown_text_is_an_error_not_a_guess() {
        assert!("swimming".parse::<ServiceKind>().is_err());
        assert_eq!(ServiceKind::parse("  "), None);
    }
}
