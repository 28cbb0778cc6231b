//! POI exports (高德 Amap, 百度 Baidu) as facilities: each row classed by the shipped table
//! `data/poi/poi-types.csv` — first by words in its name (长者食堂, 托育 …), then by its type
//! path (`医疗保健服务;诊所;诊所`, `运动健身;健身中心`) — as a service kind, as not a service
//! (shops, offices: most of a dump), or as unmatched.
//!
//! ```
//! use lantu_core::Profile;
//! use lantu_read::{PoiClass, PoiTable};
//! let kinds = Profile::builtin().kinds;
//! let table = PoiTable::builtin();
//! let class = |t: &str, n: &str| table.classify(t, n, &kinds);
//! assert!(matches!(class("医疗保健服务;诊所;诊所", "渝中区诊所"), PoiClass::Service(k, _) if kinds.def(k[0]).code == "health"));
//! assert!(matches!(class("餐饮服务;中餐厅;中餐厅", "长者食堂"), PoiClass::Service(k, _) if kinds.def(k[0]).code == "canteen"));
//! assert!(matches!(class("科教文化服务;学校;幼儿园", "七星岗幼儿园"), PoiClass::NotService(_)));
//! assert!(matches!(class("购物服务;便利店;便利店", "便利店"), PoiClass::NotService(_)));
//! assert!(matches!(class("未知类;其他", "某处"), PoiClass::Unmatched(_)));
//! ```

use lantu_core::{Kinds, ServiceKind};

/// The table shipped with lantu.
const BUILTIN: &str = include_str!("../../../data/poi/poi-types.csv");

/// How a rule looks at a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Match {
    /// The pattern is a word in the POI's name.
    Name,
    /// The pattern begins the POI's type path.
    Type,
}

/// One row of the table.
#[derive(Clone, Debug)]
struct Rule {
    by: Match,
    pattern: String,
    /// A kind's code; `None`: not a service.
    kind: Option<String>,
}

/// The POI table: name rules, then type rules, in the file's order; the first match wins.
#[derive(Clone, Debug)]
pub struct PoiTable(Vec<Rule>);

/// What a POI is.
#[derive(Clone, Debug, PartialEq)]
pub enum PoiClass {
    /// A service of these kinds, by this rule (`name 长者食堂`, `type 医疗保健服务`).
    Service(Vec<ServiceKind>, String),
    /// Not a service (a shop, an office): its top-level type.
    NotService(String),
    /// No rule matched: its type path up to the second level.
    Unmatched(String),
}

impl PoiTable {
    /// The shipped table, `data/poi/poi-types.csv`.
    pub fn builtin() -> PoiTable {
        PoiTable::parse(BUILTIN).expect("the shipped POI table parses (tested)")
    }

    /// Parses a table of `match,pattern,kind,note` rows (`match`: name or type; `kind`: a
    /// kind's code or `none`).
    pub fn parse(text: &str) -> Result<PoiTable, String> {
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let mut rules = Vec::new();
        for (i, row) in r.records().enumerate() {
            let row = row.map_err(|e| format!("POI table row {}: {e}", i + 2))?;
            let by = match row.get(0).map(str::trim) {
                Some("name") => Match::Name,
                Some("type") => Match::Type,
                other => return Err(format!("POI table row {}: match must be name or type, not {other:?}", i + 2)),
            };
            let pattern = row.get(1).unwrap_or("").trim().to_string();
            if pattern.is_empty() {
                return Err(format!("POI table row {}: empty pattern", i + 2));
            }
            let kind = row.get(2).map(str::trim).filter(|k| *k != "none").map(str::to_string);
            rules.push(Rule { by, pattern, kind });
        }
        // name rules first: 长者食堂 under 餐饮服务 is a canteen
        rules.sort_by_key(|r| r.by == Match::Type);
        Ok(PoiTable(rules))
    }

    /// The table with the profile's rows ([`lantu_core::Profile::poi_rules`]): each replaces
    /// a row of the same match and pattern, or is added; the profile's come first.
    pub fn with_rules(mut self, rules: &[lantu_core::PoiRule]) -> PoiTable {
        let mine: Vec<Rule> = rules
            .iter()
            .map(|r| Rule {
                by: if r.by == "type" { Match::Type } else { Match::Name },
                pattern: r.pattern.trim().to_string(),
                kind: (r.kind != "none").then(|| r.kind.clone()),
            })
            .collect();
        self.0.retain(|s| !mine.iter().any(|m| m.by == s.by && m.pattern == s.pattern));
        let mut all = mine;
        all.append(&mut self.0);
        // name rules first, each group's own order kept (the profile's before the shipped)
        all.sort_by_key(|r| r.by == Match::Type);
        PoiTable(all)
    }

    /// Classes one POI by its type path (several joined by `|` are tried in turn) and name.
    /// Rules naming a kind the profile does not have are passed over.
    pub fn classify(&self, type_path: &str, name: &str, kinds: &Kinds) -> PoiClass {
        let types: Vec<&str> = type_path.split('|').map(str::trim).filter(|t| !t.is_empty()).collect();
        for rule in &self.0 {
            let hit = match rule.by {
                Match::Name => name.contains(&rule.pattern),
                Match::Type => types.iter().any(|t| t.starts_with(&rule.pattern)),
            };
            if !hit {
                continue;
            }
            match &rule.kind {
                Some(code) => {
                    if let Some(k) = kinds.by_code(code) {
                        let by = if rule.by == Match::Name { "name" } else { "type" };
                        return PoiClass::Service(vec![k], format!("{by} {}", rule.pattern));
                    }
                }
                // the first rule that matches decides, "not a service" too
                None => return PoiClass::NotService(rule.pattern.clone()),
            }
        }
        let first = types.first().copied().unwrap_or("");
        PoiClass::Unmatched(first.split(';').take(2).collect::<Vec<_>>().join(";"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_parses_and_names_only_built_in_kinds() {
        let kinds = lantu_core::Profile::builtin().kinds;
        let t = PoiTable::builtin();
        assert!(t.0.len() > 50);
        for r in &t.0 {
            if let Some(k) = &r.kind {
                assert!(kinds.by_code(k).is_some(), "{k}");
            }
        }
        assert!(PoiTable::parse("match,pattern,kind,note\nnear,x,health,\n").is_err());
    }

    #[test]
    fn the_profiles_rows_come_first_and_replace_the_shipped_ones() {
        let kinds = lantu_core::Profile::builtin().kinds;
        let rule = |by: &str, pattern: &str, kind: &str| lantu_core::PoiRule {
            by: by.into(),
            pattern: pattern.into(),
            kind: kind.into(),
            note: String::new(),
        };
        let t = PoiTable::builtin().with_rules(&[
            rule("name", "颐养中心", "elderly_care"),
            rule("name", "长者食堂", "none"),
            rule("type", "购物服务;便民商店", "housekeeping"),
        ]);
        let class = |ty: &str, name: &str| match t.classify(ty, name, &kinds) {
            PoiClass::Service(k, by) => format!("{} {by}", kinds.def(k[0]).code),
            other => format!("{other:?}"),
        };
        assert_eq!(class("生活服务;生活服务场所", "康宁颐养中心"), "elderly_care name 颐养中心");
        assert_eq!(class("餐饮服务;快餐厅", "示例长者食堂"), "NotService(\"长者食堂\")");
        assert_eq!(class("购物服务;便民商店/便利店", "便民店"), "housekeeping type 购物服务;便民商店");
        assert_eq!(class("购物服务;超级市场", "超市"), "NotService(\"购物服务\")");
    }

    #[test]
    fn names_win_over_types_and_several_types_are_tried() {
        let kinds = lantu_core::Profile::builtin().kinds;
        let t = PoiTable::builtin();
        let code = |c: PoiClass| match c {
            PoiClass::Service(k, _) => kinds.def(k[0]).code.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(
            code(t.classify("生活服务;生活服务场所;生活服务场所", "解放碑社区日间照料中心", &kinds)),
            "elderly_care"
        );
        assert_eq!(code(t.classify("体育休闲服务;运动场馆;健身中心", "力美健", &kinds)), "fitness");
        assert_eq!(code(t.classify("科教文化服务;图书馆;图书馆", "渝中区图书馆", &kinds)), "culture");
        assert_eq!(code(t.classify("运动健身;健身中心", "某健身房", &kinds)), "fitness");
        assert_eq!(code(t.classify("购物服务;便利店|医疗保健服务;诊所", "社区诊所", &kinds)), "health");
        assert_eq!(
            code(t.classify("科教文化服务;学校;小学", "人和街小学", &kinds)),
            "NotService(\"科教文化服务;学校\")"
        );
        assert_eq!(code(t.classify("科教文化服务;培训机构", "七色光托管班", &kinds)), "child_after_school");
    }
}
