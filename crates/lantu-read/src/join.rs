//! Attribute tables joined to the communities (`[[communities.join]]`): households and
//! judgements as districts have them, in an Excel sheet or CSV keyed by division code or
//! by name, matched the way those tables really differ from the boundary layer.

use crate::fields::FieldRole;
use crate::report::JoinReport;
use crate::vector::{read_layer, RawLayer, ReadOptions, Value};
use crate::{IoError, Result};
use lantu_core::Text;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One table joined to the communities.
///
/// ```toml
/// [[communities.join]]
/// path = "2024年社区户数.xlsx"
/// sheet = "户数"
/// key = "社区代码"          # or: name = "社区名称" to match by name
/// fields = { households = "总户数", capable = "是否有条件" }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinSource {
    /// The table (CSV, XLSX, or any GDAL table), relative to the project file.
    pub path: PathBuf,
    /// The sheet (or layer) of the file; the first when missing.
    pub sheet: Option<String>,
    /// The column holding the community code (match by code).
    pub key: Option<String>,
    /// The column holding the community name (match by name).
    pub name: Option<String>,
    /// The column holding the street name, to tell apart communities of the same name.
    pub street: Option<String>,
    /// What the table brings: community role → column.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// The roles a join may bring.
const JOINABLE: [FieldRole; 10] = [
    FieldRole::Households,
    FieldRole::Population,
    FieldRole::Elderly,
    FieldRole::Infants,
    FieldRole::Children,
    FieldRole::Capable,
    FieldRole::Centralised,
    FieldRole::Name,
    FieldRole::StreetCode,
    FieldRole::StreetName,
];

/// A community code as text, whatever the table made of it: numbers (`500103001001.0`),
/// scientific notation (`5.00103001001E+11`), full-width digits, spaces.
pub fn normalise_code(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::Int(i) => return Some(i.to_string()),
        Value::Real(r) if r.is_finite() && r.fract() == 0.0 && r.abs() < 1e17 => return Some(format!("{r:.0}")),
        Value::Real(r) => r.to_string(),
        Value::Text(s) => s.clone(),
    };
    let s: String = half_width(&s).chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return None;
    }
    if s.contains(['e', 'E']) || s.ends_with(".0") {
        if let Ok(r) = s.parse::<f64>() {
            if r.is_finite() && r.fract() == 0.0 && r.abs() < 1e17 {
                return Some(format!("{r:.0}"));
            }
        }
    }
    Some(s)
}

/// A community (or street) name reduced to what tells it apart: full-width characters made
/// half-width, spaces removed, and the suffixes tables add or drop (社区居民委员会, 居委会,
/// 社区, 街道办事处, 街道, 镇) taken off.
pub fn normalise_name(s: &str) -> String {
    let mut n: String = half_width(s).chars().filter(|c| !c.is_whitespace()).collect();
    for suffix in ["社区居民委员会", "居民委员会", "社区居委会", "居委会", "社区", "街道办事处", "街道办", "街道", "镇"]
    {
        if let Some(stem) = n.strip_suffix(suffix) {
            if !stem.is_empty() {
                n = stem.to_string();
                break;
            }
        }
    }
    n
}

fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// What a join did to the community layer: the columns it set (role → column name in the
/// layer, for the field mapping), its report, and errors that stop the analysis.
pub(crate) struct Joined {
    pub mapping: BTreeMap<String, String>,
    pub report: JoinReport,
    pub errors: Vec<Text>,
}

/// Joins one table into the community layer's raw features. `layer_map` is the layer's own
/// field mapping (role → column), so that the table's values replace the layer's.
pub(crate) fn apply_join(
    raw: &mut RawLayer,
    join: &JoinSource,
    table_path: &Path,
    layer_map: &BTreeMap<FieldRole, usize>,
) -> Result<Joined> {
    let bad = |message: Text| IoError::Project { path: table_path.to_path_buf(), message };
    let table = read_layer(
        table_path,
        &ReadOptions { layer: join.sheet.as_deref(), attributes_only: true, ..Default::default() },
    )?;
    let column = |name: &str| {
        table.fields.iter().position(|f| f == name).ok_or_else(|| {
            let has = table.fields.join(", ");
            bad(Text::new(
                format!("communities.join：表中没有列 {name:?}，现有列：{has}"),
                format!("communities.join: no column {name:?} in the table; it has: {has}"),
            ))
        })
    };
    let (by_code, key_col) = match (&join.key, &join.name) {
        (Some(k), None) => (true, column(k)?),
        (None, Some(n)) => (false, column(n)?),
        _ => {
            return Err(bad(Text::new(
                "communities.join：请给出 key = \"<代码列>\" 或 name = \"<名称列>\" 之一",
                "communities.join: give either key = \"<code column>\" or name = \"<name column>\"",
            )))
        }
    };
    let street_col = join.street.as_deref().map(column).transpose()?;
    let mut fields: Vec<(FieldRole, usize, String)> = Vec::new();
    for (role_key, col) in &join.fields {
        let role = FieldRole::from_key(role_key).filter(|r| JOINABLE.contains(r)).ok_or_else(|| {
            let can = "households, population, elderly, infants, children, capable, centralised, name, street_code, street_name";
            bad(Text::new(
                format!("communities.join：{role_key:?} 不是可由表格带入的社区属性（{can}）"),
                format!("communities.join: {role_key:?} is not a community attribute a table can bring ({can})"),
            ))
        })?;
        fields.push((role, column(col)?, col.clone()));
    }
    if fields.is_empty() {
        return Err(bad(Text::new(
            "communities.join：fields = { households = \"<列>\", … } 没有指定要连接的字段",
            "communities.join: fields = { households = \"<column>\", … } names nothing to join",
        )));
    }

    // the layer's keys
    let layer_role = if by_code { FieldRole::Code } else { FieldRole::Name };
    let Some(&layer_key) = layer_map.get(&layer_role) else {
        return Err(bad(if by_code {
            Text::new(
                "communities.join：社区图层没有可匹配的代码字段",
                "communities.join: the community layer has no code field to match on",
            )
        } else {
            Text::new(
                "communities.join：社区图层没有可匹配的名称字段",
                "communities.join: the community layer has no name field to match on",
            )
        }));
    };
    let layer_street = layer_map.get(&FieldRole::StreetName).copied();
    let keys: Vec<Option<String>> = raw
        .features
        .iter()
        .map(|f| {
            let v = &f.values[layer_key];
            if by_code {
                normalise_code(v)
            } else {
                v.text().map(|t| normalise_name(&t))
            }
        })
        .collect();
    let label_of = |i: usize| -> String {
        let code = layer_map.get(&FieldRole::Code).and_then(|&c| raw.features[i].values[c].text());
        let name = layer_map.get(&FieldRole::Name).and_then(|&c| raw.features[i].values[c].text());
        match (code, name) {
            (Some(c), Some(n)) => format!("{c} {n}"),
            (Some(c), None) => c,
            (None, Some(n)) => n,
            (None, None) => format!("#{}", raw.features[i].fid),
        }
    };
    let labels: Vec<String> = (0..raw.features.len()).map(label_of).collect();
    let label = |i: usize| labels[i].clone();

    let mut report = JoinReport {
        path: table_path.to_path_buf(),
        sheet: table.layer.clone(),
        by: if by_code { "code".into() } else { "name".into() },
        fields: fields.iter().map(|(r, _, c)| (r.key().to_string(), c.clone())).collect(),
        rows: table.features.len(),
        ..Default::default()
    };
    let mut errors = Vec::new();
    let mut row_of: Vec<Option<usize>> = vec![None; raw.features.len()];
    for (r, row) in table.features.iter().enumerate() {
        let row_no = r + 2; // the header is row 1, as a planner counts in Excel
        let shown = row.values[key_col].text().unwrap_or_default();
        let key = if by_code {
            normalise_code(&row.values[key_col])
        } else {
            row.values[key_col].text().map(|t| normalise_name(&t))
        };
        let Some(key) = key else {
            report.rows_without_community.push(format!("{row_no} (—)"));
            continue;
        };
        let mut candidates: Vec<usize> =
            (0..keys.len()).filter(|&i| keys[i].as_deref() == Some(key.as_str())).collect();
        if by_code && candidates.is_empty() {
            // 9-digit and 12-digit codes: a prefix either way, when only one fits
            candidates = (0..keys.len())
                .filter(|&i| {
                    keys[i]
                        .as_ref()
                        .is_some_and(|k| k.len() != key.len() && (k.starts_with(&key) || key.starts_with(k.as_str())))
                })
                .collect();
        }
        if candidates.len() > 1 {
            if let (Some(sc), Some(ls)) = (street_col, layer_street) {
                if let Some(street) = row.values[sc].text().map(|t| normalise_name(&t)) {
                    candidates.retain(|&i| {
                        raw.features[i].values[ls].text().map(|t| normalise_name(&t)).as_deref()
                            == Some(street.as_str())
                    });
                }
            }
        }
        match candidates.as_slice() {
            [] => report.rows_without_community.push(format!("{row_no} ({shown})")),
            [i] => match row_of[*i] {
                Some(first) => {
                    report.ambiguous.push(format!("{row_no} ({shown}) → {} ({})", label(*i), first + 2));
                }
                None => row_of[*i] = Some(r),
            },
            many => report.ambiguous.push(format!(
                "{row_no} ({shown}) → {}",
                many.iter().map(|&i| label(i)).collect::<Vec<_>>().join(" / ")
            )),
        }
    }
    report.matched = row_of.iter().filter(|r| r.is_some()).count();
    report.communities_without_row = (0..row_of.len()).filter(|&i| row_of[i].is_none()).map(label).collect();
    if !report.ambiguous.is_empty() {
        errors.push(Text::new(
            format!("{}：{} 行无法唯一对应社区（见上方关联表报告），请补充街道列（street = …）或改用社区代码", table_path.display(), report.ambiguous.len()),
            format!("{}: {} row(s) match more than one community or one already matched (see the join report above); add a street column (street = …) or match by code", table_path.display(), report.ambiguous.len()),
        ));
    }

    // the values: the table's replace the layer's (said in the report)
    let mut mapping = BTreeMap::new();
    for (role, col, _) in &fields {
        let target = match layer_map.get(role) {
            Some(&k) => k,
            None => {
                let name = format!("{}（关联）", role.key());
                raw.fields.push(name.clone());
                raw.features.iter_mut().for_each(|f| f.values.push(Value::Null));
                raw.fields.len() - 1
            }
        };
        mapping.insert(role.key().to_string(), raw.fields[target].clone());
        for (i, r) in row_of.iter().enumerate() {
            let Some(r) = r else { continue };
            let new = table.features[*r].values[*col].clone();
            let old = &raw.features[i].values[target];
            if let (Some(a), Some(b)) = (old.text(), new.text()) {
                if a != b {
                    report.overridden.push(format!("{} {}: {a} → {b}", label(i), role.key()));
                }
            }
            raw.features[i].values[target] = new;
        }
    }
    Ok(Joined { mapping, report, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(codes: &[&str]) -> RawLayer {
        RawLayer {
            path: "c.geojson".into(),
            layer: "c".into(),
            driver: "GeoJSON".into(),
            fields: vec!["code".into()],
            crs: None,
            crs_label: None,
            geometry_type: "Polygon".into(),
            features: codes
                .iter()
                .enumerate()
                .map(|(i, c)| crate::vector::RawFeature {
                    fid: i.to_string(),
                    geometry: None,
                    values: vec![Value::Text(c.to_string())],
                    repaired: false,
                    problem: None,
                    out_of_range: false,
                })
                .collect(),
            notes: vec![],
            warnings: vec![],
        }
    }

    #[test]
    fn nine_and_twelve_digit_codes_match_as_prefixes_only_when_one_fits() {
        crate::init_gdal();
        let dir = std::env::temp_dir().join(format!("lantu-join-prefix-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let table = dir.join("t.csv");
        // 500103001 fits one community only; 500103002 fits two (ambiguous); 50010300300199 none
        std::fs::write(&table, "code,hh\n500103001,100\n500103002,200\n50010300300199,300\n").unwrap();
        let mut raw = layer(&["500103001001", "500103002001", "500103002002"]);
        let join = JoinSource {
            path: table.clone(),
            key: Some("code".into()),
            fields: [("households".to_string(), "hh".to_string())].into(),
            ..Default::default()
        };
        let map = [(FieldRole::Code, 0usize)].into();
        let j = apply_join(&mut raw, &join, &table, &map).unwrap();
        assert_eq!(j.report.matched, 1);
        assert_eq!(raw.features[0].values[1], Value::Text("100".into()));
        assert_eq!(j.report.ambiguous.len(), 1, "{:?}", j.report.ambiguous);
        assert_eq!(j.report.rows_without_community, vec!["4 (50010300300199)".to_string()]);
        assert_eq!(j.errors.len(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn codes_as_numbers_and_in_scientific_notation_are_the_same_code() {
        let want = Some("500103001001".to_string());
        assert_eq!(normalise_code(&Value::Int(500103001001)), want);
        assert_eq!(normalise_code(&Value::Real(500103001001.0)), want);
        assert_eq!(normalise_code(&Value::Text("5.00103001001E+11".into())), want);
        assert_eq!(normalise_code(&Value::Text(" 500103001001.0 ".into())), want);
        assert_eq!(normalise_code(&Value::Text("５００１０３００１００１".into())), want);
        assert_eq!(normalise_code(&Value::Text("".into())), None);
    }

    #[test]
    fn names_lose_the_suffixes_full_width_and_spaces_that_tables_differ_by() {
        for n in
            ["华一坡社区", "华一坡社区居委会", "华一坡", "华一坡社区居民委员会", " 华一坡社区\u{3000}", "华一坡居委会"]
        {
            assert_eq!(normalise_name(n), "华一坡", "{n:?}");
        }
        assert_eq!(normalise_name("ＡＢ社区"), "AB");
        assert_eq!(normalise_name("解放碑街道"), normalise_name("解放碑街道办事处"));
        assert_eq!(normalise_name("社区"), "社区", "a name is never emptied");
    }
}
