//! Service kinds as data: the profile lists them ([`KindDef`]), a [`ServiceKind`] names one
//! by its position in that list, and [`Kinds`] answers names, codes, colours and parsing.
//!
//! Chongqing's built-in profile lists the pilot's nine kinds; a district adds its own (a
//! 低空起降点, a 菜市场) in its profile, and every table, layer, legend and map follows.

use crate::{Lang, SquareMetres, TargetGroup, Text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One service kind of a profile, by its position in the profile's list of kinds.
///
/// The position orders every table; the stable code (`elderly_care`) is what data holds
/// and is found through [`Kinds::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceKind(u8);

impl ServiceKind {
    /// The position of the kind in its profile's list (for per-kind arrays).
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The kind at a position of the list.
    ///
    /// # Panics
    /// Beyond [`Kinds::MAX`].
    pub fn from_index(i: usize) -> ServiceKind {
        assert!(i < Kinds::MAX, "kind index {i} beyond {}", Kinds::MAX);
        ServiceKind(i as u8)
    }
}

/// How a kind is reached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindMetric {
    /// By the run's way of measuring: the walking network when there is one.
    #[default]
    Walk,
    /// Through the air, in a straight line (drone pads, radio, sirens).
    Euclidean,
}

/// One kind as the profile declares it (`[[kinds]]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    /// Stable code used in data and column names, e.g. `elderly_care`.
    pub code: String,
    /// Chinese name, e.g. 养老服务.
    pub zh: String,
    /// English name for `--lang en`.
    pub en: String,
    /// Further names met in survey tables, matched after codes and names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A core kind (一老一小) of the function rule.
    #[serde(default)]
    pub core: bool,
    /// Counts towards the "≥ N functions" rule.
    #[serde(default)]
    pub counts_for_functions: bool,
    /// Its facilities' floor area counts towards the community's service area.
    #[serde(default)]
    pub counts_for_area: bool,
    /// The walking circle (`walking.circles` name) within which it must be reached.
    pub circle: String,
    /// How it is reached.
    #[serde(default)]
    pub metric: KindMetric,
    /// Colour on maps and in QGIS styles, `#rrggbb`.
    pub colour: String,
    /// Floor area it needs in a converted idle building; kinds without one are not
    /// proposed for conversion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_area_m2: Option<SquareMetres>,
    /// Whom it serves: its coverage and places are counted among these people.
    #[serde(default)]
    pub serves: TargetGroup,
    /// Its facilities counted by what they can take (`[kinds.capacity]`); kinds without
    /// one are counted by floor area and reach only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<CapacityRule>,
}

/// How a kind's facilities are counted by their places, and the target the places are held
/// against.
///
/// ```toml
/// [kinds.capacity]
/// unit = "托位"
/// per_m2 = 0.11                 # where a facility gives floor area only: 1 place per 9 m²
/// target_per_1000 = 4.5         # places per 1,000 …
/// per = "population"            # … residents ("group": per 1,000 of the kind's own group)
/// source = "《“十四五”公共服务规划》：2025 年每千人口拥有 3 岁以下婴幼儿托位数 4.5 个"
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityRule {
    /// The unit of a place (床位, 托位, 座位).
    pub unit: String,
    /// Places per m² of floor area, for facilities that give no capacity (an estimate,
    /// flagged as such).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_m2: Option<f64>,
    /// The target, places per 1,000 people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_per_1000: Option<f64>,
    /// Whom the target counts per 1,000.
    #[serde(default)]
    pub per: PlacesPer,
    /// Where the target (and the per-m² default) comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The people a places-per-1,000 figure is counted against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlacesPer {
    /// The kind's own group (60+ for elderly care).
    #[default]
    Group,
    /// Every resident (the national 托位 target counts per 1,000 people).
    Population,
}

impl KindDef {
    /// Whether the kind is reached through the air, in a straight line, whatever the run's
    /// way of measuring.
    pub fn by_air(&self) -> bool {
        self.metric == KindMetric::Euclidean
    }

    /// Whether the kind counts towards the "≥ N functions" rule: the core (一老一小) kinds
    /// always do, the others when the profile says so.
    pub fn counts_as_function(&self) -> bool {
        self.core || self.counts_for_functions
    }
}

/// The kinds of a profile, in order.
///
/// ```
/// use lantu_core::{Lang, Profile};
/// let kinds = &Profile::builtin().kinds;
/// let canteen = kinds.parse("社区食堂").unwrap();
/// assert_eq!(kinds.code(canteen), "canteen");
/// assert_eq!(kinds.name(canteen, Lang::Zh), "社区助餐");
/// assert_eq!(kinds.len(), 9);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Kinds(Vec<KindDef>);

impl Kinds {
    /// The most kinds a profile may list (kind sets are bit masks of a `u64`).
    pub const MAX: usize = 64;

    /// A catalogue of these definitions (checked by [`crate::Profile`]'s validation).
    pub fn new(defs: Vec<KindDef>) -> Kinds {
        Kinds(defs)
    }

    /// How many kinds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list is empty (a valid profile's never is).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every kind, in order.
    pub fn all(&self) -> impl ExactSizeIterator<Item = ServiceKind> + Clone + '_ {
        (0..self.0.len()).map(ServiceKind::from_index)
    }

    /// The definitions, in order.
    pub fn defs(&self) -> &[KindDef] {
        &self.0
    }

    /// The definition of a kind.
    pub fn def(&self, k: ServiceKind) -> &KindDef {
        &self.0[k.index()]
    }

    /// The stable code, e.g. `elderly_care`.
    pub fn code(&self, k: ServiceKind) -> &str {
        &self.def(k).code
    }

    /// The name in a language.
    pub fn name(&self, k: ServiceKind, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.def(k).zh,
            Lang::En => &self.def(k).en,
        }
    }

    /// The Chinese name.
    pub fn zh(&self, k: ServiceKind) -> &str {
        &self.def(k).zh
    }

    /// The colour as red, green, blue.
    pub fn rgb(&self, k: ServiceKind) -> (u8, u8, u8) {
        parse_colour(&self.def(k).colour).unwrap_or((128, 128, 128))
    }

    /// The core (一老一小) kinds, in order.
    pub fn core(&self) -> Vec<ServiceKind> {
        self.all().filter(|k| self.def(*k).core).collect()
    }

    /// The kind with this code.
    pub fn by_code(&self, code: &str) -> Option<ServiceKind> {
        self.all().find(|k| self.code(*k) == code)
    }

    /// Codes joined by `;`, as data holds them.
    pub fn codes(&self, kinds: &[ServiceKind]) -> String {
        kinds.iter().map(|k| self.code(*k)).collect::<Vec<_>>().join(";")
    }

    /// Names joined by `、` (Chinese) or `, `.
    pub fn names(&self, kinds: &[ServiceKind], lang: Lang) -> String {
        let sep = lang.pick("、", ", ");
        kinds.iter().map(|k| self.name(*k, lang)).collect::<Vec<_>>().join(sep)
    }

    /// Parses a kind from its code, its Chinese or English name, or an alias.
    /// Whitespace and case are ignored. Returns `None` for anything else.
    pub fn parse(&self, text: &str) -> Option<ServiceKind> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let lower = normalise(t);
        self.all().find(|k| {
            let d = self.def(*k);
            d.code == lower
                || d.zh == t
                || normalise(&d.en) == lower
                || d.aliases.iter().any(|a| a == t || normalise(a) == lower)
        })
    }

    /// Splits a field that lists several kinds (`养老服务;社区助餐`, `a,b`, `a、b`) and
    /// parses each. Returns the kinds found, in order, and the pieces that named no kind.
    pub fn parse_list(&self, text: &str) -> (Vec<ServiceKind>, Vec<String>) {
        let mut kinds = Vec::new();
        let mut unknown = Vec::new();
        for piece in text.split([';', ',', '，', '、', '/', '|', '；']).map(str::trim).filter(|p| !p.is_empty()) {
            match self.parse(piece) {
                Some(k) if !kinds.contains(&k) => kinds.push(k),
                Some(_) => {}
                None => unknown.push(piece.to_string()),
            }
        }
        kinds.sort();
        (kinds, unknown)
    }

    /// What is wrong with the list, if anything: empty or too long, bad codes or colours,
    /// two kinds answering to the same name.
    pub(crate) fn problems(&self) -> Option<Text> {
        if self.0.is_empty() {
            return Some(Text::new("kinds：规则配置中没有任何服务类型", "kinds: the profile lists no service kind"));
        }
        if self.0.len() > Self::MAX {
            return Some(Text::new(
                format!("kinds：共 {} 类服务，最多 {} 类", self.0.len(), Self::MAX),
                format!("kinds: {} kinds, at most {}", self.0.len(), Self::MAX),
            ));
        }
        let mut seen: Vec<(String, &str)> = Vec::new();
        for d in &self.0 {
            let ok = !d.code.is_empty()
                && d.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && d.code.starts_with(|c: char| c.is_ascii_lowercase());
            if !ok {
                return Some(Text::new(
                    format!("kinds：代码 {:?} 只能由小写字母、数字和下划线组成（a–z、0–9、_）", d.code),
                    format!("kinds: code {:?} is not snake_case (a–z, 0–9, _)", d.code),
                ));
            }
            if d.zh.trim().is_empty() || d.en.trim().is_empty() {
                return Some(Text::new(
                    format!("kinds.{}：zh 和 en 名称不能为空", d.code),
                    format!("kinds.{}: zh and en names must not be empty", d.code),
                ));
            }
            if parse_colour(&d.colour).is_none() {
                return Some(Text::new(
                    format!("kinds.{}：颜色 {:?} 不是 #rrggbb 形式", d.code, d.colour),
                    format!("kinds.{}: colour {:?} is not #rrggbb", d.code, d.colour),
                ));
            }
            if let Some(c) = &d.capacity {
                let bad = |v: Option<f64>| v.is_some_and(|v| !(v.is_finite() && v > 0.0 && v <= 1e6));
                if c.unit.trim().is_empty() || bad(c.per_m2) || bad(c.target_per_1000) {
                    return Some(Text::new(
                        format!("kinds.{}.capacity：unit 不能为空，per_m2 与 target_per_1000 须大于 0", d.code),
                        format!(
                            "kinds.{}.capacity: unit must not be empty, per_m2 and target_per_1000 must be above 0",
                            d.code
                        ),
                    ));
                }
            }
            let names = [d.code.clone(), normalise(&d.zh), normalise(&d.en)]
                .into_iter()
                .chain(d.aliases.iter().map(|a| normalise(a)));
            for n in names {
                if let Some((_, other)) = seen.iter().find(|(s, c)| *s == n && *c != d.code) {
                    return Some(Text::new(
                        format!("kinds：{n:?} 同时指 {other} 和 {}", d.code),
                        format!("kinds: {n:?} names both {other} and {}", d.code),
                    ));
                }
                if !seen.iter().any(|(s, _)| *s == n) {
                    seen.push((n, &d.code));
                }
            }
        }
        None
    }
}

/// `#rrggbb` as red, green, blue.
fn parse_colour(s: &str) -> Option<(u8, u8, u8)> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some((c(0)?, c(2)?, c(4)?))
}

fn normalise(s: &str) -> String {
    s.trim().to_lowercase().replace(['-', ' ', '\''], "_")
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "kind #{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Lang, Profile};

    #[test]
    fn every_kind_round_trips_through_code_and_names() {
        let kinds = Profile::builtin().kinds;
        for k in kinds.all() {
            assert_eq!(kinds.parse(kinds.code(k)), Some(k));
            assert_eq!(kinds.parse(kinds.name(k, Lang::Zh)), Some(k));
            assert_eq!(kinds.parse(kinds.name(k, Lang::En)), Some(k), "{}", kinds.name(k, Lang::En));
        }
    }

    #[test]
    fn lists_split_on_chinese_and_latin_separators() {
        let kinds = Profile::builtin().kinds;
        let (found, unknown) = kinds.parse_list("养老服务、社区助餐;托育，篮球场");
        assert_eq!(kinds.codes(&found), "elderly_care;infant_care;canteen");
        assert_eq!(unknown, vec!["篮球场".to_string()]);
    }

    #[test]
    fn unknown_text_is_not_a_guess() {
        let kinds = Profile::builtin().kinds;
        assert_eq!(kinds.parse("swimming"), None);
        assert_eq!(kinds.parse("  "), None);
    }

    #[test]
    fn colours_are_read_from_hex() {
        assert_eq!(super::parse_colour("#e41a1c"), Some((228, 26, 28)));
        assert_eq!(super::parse_colour("e41a1c"), None);
        assert_eq!(super::parse_colour("#e41a1"), None);
    }
}
