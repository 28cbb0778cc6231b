//! Monitoring (考核评估、动态调整): two blueprints of the same area — different years, or
//! before and after a plan — compared per community, street and facility.

use crate::tables::{num, opt, Rows};
use crate::{Result, WriteError};
use geo::{Distance, Haversine, MultiPolygon, Point};
use lantu_core::Text;
use lantu_read::{RawFeature, RawLayer, ReadOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A table of one blueprint: header and rows by the first column's key.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(dir: &Path, name: &str) -> Result<Table> {
        let layer = read_part(&dir.join("tables").join(name), true)?;
        let rows = layer
            .features
            .iter()
            .map(|f| f.values.iter().map(|v| crate::csv_cell_read(&v.text().unwrap_or_default()).to_string()).collect())
            .collect();
        let header = layer.fields.iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
        Ok(Table { header, rows })
    }
    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
    fn by(&self, key: &str) -> BTreeMap<String, &Vec<String>> {
        let Some(k) = self.col(key) else { return BTreeMap::new() };
        self.rows.iter().map(|r| (r[k].clone(), r)).collect()
    }
}

/// One blueprint folder, read for comparison.
struct Blueprint {
    dir: PathBuf,
    communities: Table,
    streets: Table,
    facilities: Vec<(String, String, String, Point)>, // source id, name, kinds, location (WGS 84)
    boundaries: BTreeMap<String, MultiPolygon>,       // community code → boundary (WGS 84)
    profile: serde_json::Value,
}

/// A table or layer of an output folder, read by the reader like any input; a missing one
/// means the folder is not a (complete) lantu output.
fn read_part(path: &Path, attributes_only: bool) -> Result<RawLayer> {
    if !path.is_file() {
        return Err(WriteError::Compare {
            path: path.to_path_buf(),
            message: Text::new(
                "缺少该文件，不是完整的 lantu 输出文件夹",
                "missing: not a complete lantu output folder",
            ),
        });
    }
    Ok(lantu_read::read_layer(path, &ReadOptions { attributes_only, ..Default::default() })?)
}

fn read_blueprint(dir: &Path) -> Result<Blueprint> {
    let manifest = dir.join("manifest.json");
    let not_an_output = |e: String| WriteError::Compare {
        path: manifest.clone(),
        message: Text::new(format!("不是 lantu 的输出文件夹：{e}"), format!("not a lantu output folder: {e}")),
    };
    let text = std::fs::read_to_string(&manifest).map_err(|e| not_an_output(e.to_string()))?;
    let m: serde_json::Value = serde_json::from_str(&text).map_err(|e| not_an_output(e.to_string()))?;
    let features = |layer: &str| read_part(&dir.join("geojson").join(format!("{layer}.geojson")), false);
    let prop = |l: &RawLayer, f: &RawFeature, k: &str| {
        l.fields.iter().position(|x| x == k).and_then(|i| f.values[i].text()).unwrap_or_default()
    };
    let mut facilities = Vec::new();
    let layer = features("facilities")?;
    for f in &layer.features {
        let Some(geo::Geometry::Point(p)) = f.geometry else { continue };
        facilities.push((prop(&layer, f, "source_id"), prop(&layer, f, "name"), prop(&layer, f, "kinds"), p));
    }
    let mut boundaries = BTreeMap::new();
    let layer = features("communities")?;
    for f in &layer.features {
        let mp = match &f.geometry {
            Some(geo::Geometry::MultiPolygon(m)) => m.clone(),
            Some(geo::Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
            _ => continue,
        };
        boundaries.insert(prop(&layer, f, "community_code"), mp);
    }
    Ok(Blueprint {
        dir: dir.to_path_buf(),
        communities: Table::read(dir, "communities.csv")?,
        streets: Table::read(dir, "streets.csv")?,
        facilities,
        boundaries,
        profile: m.get("profile").cloned().unwrap_or_default(),
    })
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                flatten(&if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") }, v, out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// Two blueprints compared.
pub struct Comparison {
    /// `change.csv`: per community.
    pub communities: (Vec<String>, Vec<Vec<String>>),
    /// `change_streets.csv`: per street.
    pub streets: (Vec<String>, Vec<Vec<String>>),
    /// `facility_changes.csv`: facilities opened, closed or moved.
    pub facilities: (Vec<String>, Vec<Vec<String>>),
    /// Per street code: its name and its communities.
    pub street_maps: BTreeMap<String, (String, Vec<ChangedCommunity>)>,
}

/// A community on a change map.
#[derive(Clone, Debug)]
pub struct ChangedCommunity {
    /// Its boundary (WGS 84).
    pub boundary: MultiPolygon,
    /// Its name.
    pub name: String,
    /// Area gap in the old and the new blueprint, and how much of it closed (m²).
    pub gap_old: Option<f64>,
    /// See `gap_old`.
    pub gap_new: Option<f64>,
    /// See `gap_old`.
    pub gap_closed: Option<f64>,
    /// Kinds it gained (codes, `;`-separated).
    pub functions_added: String,
}

impl Comparison {
    /// The area gap closed over every community, m².
    pub fn area_gap_closed(&self) -> f64 {
        let Some(i) = self.communities.0.iter().position(|h| h == "area_gap_closed_m2") else { return 0.0 };
        self.communities.1.iter().filter_map(|r| r[i].parse::<f64>().ok()).filter(|v| v.is_finite()).sum()
    }
}

/// Facilities this close (and sharing a kind) are the same one under another id.
const SAME_PLACE_M: f64 = 10.0;

/// Reads and compares two blueprints of the same area made with the same profile; an
/// error says what differs otherwise.
pub fn compare_blueprints(old: &Path, new: &Path) -> Result<Comparison> {
    let (o, n) = (read_blueprint(old)?, read_blueprint(new)?);
    let (mut po, mut pn) = (BTreeMap::new(), BTreeMap::new());
    flatten("", &o.profile, &mut po);
    flatten("", &n.profile, &mut pn);
    let differs: Vec<String> = po
        .keys()
        .chain(pn.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|k| po.get(*k) != pn.get(*k))
        .take(10)
        .map(|k| format!("{k}: {} → {}", po.get(k).map_or("—", |s| s), pn.get(k).map_or("—", |s| s)))
        .collect();
    if !differs.is_empty() {
        return Err(WriteError::Compare {
            path: n.dir.clone(),
            message: Text::new(
                format!("两次分析所用规则配置不同：{}", differs.join("; ")),
                format!("the two were made with different profiles: {}", differs.join("; ")),
            ),
        });
    }
    let (co, cn) = (o.communities.by("community_code"), n.communities.by("community_code"));
    let only_old: Vec<&String> = co.keys().filter(|k| !cn.contains_key(*k)).collect();
    let only_new: Vec<&String> = cn.keys().filter(|k| !co.contains_key(*k)).collect();
    if !only_old.is_empty() || !only_new.is_empty() {
        let list = |v: &[&String]| v.iter().take(10).map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        return Err(WriteError::Compare {
            path: n.dir.clone(),
            message: {
                let (no, od, lo) = (only_old.len(), o.dir.display(), list(&only_old));
                let (nn, nd, ln) = (only_new.len(), n.dir.display(), list(&only_new));
                Text::new(
                    format!("两次分析的范围不同：{no} 个社区只在 {od} 中（{lo}），{nn} 个只在 {nd} 中（{ln}）"),
                    format!(
                        "the two cover different areas: {no} communities only in {od} ({lo}), {nn} only in {nd} ({ln})"
                    ),
                )
            },
        });
    }
    // the kinds of the profile both were made with (the same, checked above), in its order
    let kinds: Vec<String> = o
        .profile
        .get("kinds")
        .and_then(|k| k.as_array())
        .into_iter()
        .flatten()
        .filter_map(|k| k.get("code")?.as_str().map(str::to_string))
        .filter(|code| o.communities.col(&format!("coverage_{code}")).is_some())
        .collect();
    let communities = changes(
        &o.communities,
        &n.communities,
        "community_code",
        &["community_name", "street_code", "street_name"],
        &kinds,
    );
    let streets = changes(&o.streets, &n.streets, "street_code", &["street_name"], &kinds);
    let facilities = facility_changes(&o, &n);
    // per street: the communities coloured by the gap closed
    let mut street_maps: BTreeMap<String, (String, Vec<ChangedCommunity>)> = BTreeMap::new();
    let col = |name: &str| communities.0.iter().position(|h| h == name).expect("a column of change.csv");
    let (si, sn, ni) = (col("street_code"), col("street_name"), col("community_name"));
    let (go, gn, gc, fa) =
        (col("area_gap_old_m2"), col("area_gap_new_m2"), col("area_gap_closed_m2"), col("functions_added"));
    for r in &communities.1 {
        let Some(b) = n.boundaries.get(&r[0]) else { continue };
        let entry = street_maps.entry(r[si].clone()).or_insert_with(|| (r[sn].clone(), Vec::new()));
        entry.1.push(ChangedCommunity {
            boundary: b.clone(),
            name: r[ni].clone(),
            gap_old: r[go].parse().ok(),
            gap_new: r[gn].parse().ok(),
            gap_closed: r[gc].parse().ok(),
            functions_added: r[fa].clone(),
        });
    }
    Ok(Comparison { communities, streets, facilities, street_maps })
}

fn number(row: Option<&&Vec<String>>, i: Option<usize>) -> Option<f64> {
    // "NaN" and "inf" parse as numbers but are none: a damaged table gives blanks, not NaN
    row.and_then(|r| i.and_then(|i| r.get(i))).and_then(|s| s.parse::<f64>().ok()).filter(|v| v.is_finite())
}

fn set(row: Option<&&Vec<String>>, i: Option<usize>) -> BTreeSet<String> {
    row.and_then(|r| i.and_then(|i| r.get(i)))
        .map(|s| s.split(';').filter(|x| !x.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

fn diff(a: Option<f64>, b: Option<f64>, decimals: usize) -> String {
    match (a, b) {
        (Some(a), Some(b)) => num(b - a, decimals),
        _ => String::new(),
    }
}

/// Per row (community or street): the figures before and after and what changed.
fn changes(o: &Table, n: &Table, key: &str, carry: &[&str], kinds: &[String]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = std::iter::once(key).chain(carry.iter().copied()).map(str::to_string).collect();
    for h in [
        "area_gap_old_m2",
        "area_gap_new_m2",
        "area_gap_closed_m2",
        "config_ok_old",
        "config_ok_new",
        "functions_added",
        "functions_lost",
        "uncovered_households_old",
        "uncovered_households_new",
    ] {
        header.push(h.into());
    }
    for k in kinds {
        header.push(format!("coverage_old_{k}"));
        header.push(format!("coverage_new_{k}"));
        header.push(format!("coverage_change_{k}"));
    }
    let (ro, rn) = (o.by(key), n.by(key));
    let keys: BTreeSet<&String> = rn.keys().collect();
    // rows in the new blueprint's order
    let order: Vec<&String> = n.col(key).map(|k| n.rows.iter().map(|r| &r[k]).collect()).unwrap_or_default();
    let rows = order
        .into_iter()
        .filter(|k| keys.contains(k))
        .map(|k| {
            let (a, b) = (ro.get(k), rn.get(k));
            let mut row = vec![k.clone()];
            for c in carry {
                row.push(b.and_then(|r| n.col(c).map(|i| r[i].clone())).unwrap_or_default());
            }
            let (ga, gb) = (number(a, o.col("area_gap_m2")), number(b, n.col("area_gap_m2")));
            row.extend([opt(ga, 2), opt(gb, 2), diff(gb, ga, 2)]);
            // streets count failing communities; communities carry config_ok
            let config = |t: &Table, r: Option<&&Vec<String>>| match t.col("config_ok") {
                Some(i) => number(r, Some(i)),
                None => {
                    let (c, f) = (number(r, t.col("communities")), number(r, t.col("communities_failing_config")));
                    c.zip(f).map(|(c, f)| c - f)
                }
            };
            row.extend([opt(config(o, a), 0), opt(config(n, b), 0)]);
            let (fa, fb) = (set(a, o.col("functions")), set(b, n.col("functions")));
            row.push(fb.difference(&fa).cloned().collect::<Vec<_>>().join(";"));
            row.push(fa.difference(&fb).cloned().collect::<Vec<_>>().join(";"));
            let (ua, ub) = (number(a, o.col("uncovered_households")), number(b, n.col("uncovered_households")));
            row.extend([opt(ua, 1), opt(ub, 1)]);
            for kind in kinds {
                let col = format!("coverage_{kind}");
                let (ca, cb) = (number(a, o.col(&col)), number(b, n.col(&col)));
                row.extend([opt(ca, 4), opt(cb, 4), diff(ca, cb, 4)]);
            }
            row
        })
        .collect();
    (header, rows)
}

/// Facilities matched by id, else by place (within 10 m) and a shared kind.
fn facility_changes(o: &Blueprint, n: &Blueprint) -> (Vec<String>, Vec<Vec<String>>) {
    let header: Vec<String> =
        ["change", "source_id_old", "source_id_new", "name", "kinds"].iter().map(|s| s.to_string()).collect();
    let ids_new: BTreeSet<&String> = n.facilities.iter().map(|f| &f.0).collect();
    let ids_old: BTreeSet<&String> = o.facilities.iter().map(|f| &f.0).collect();
    let shares_kind = |a: &str, b: &str| a.split(';').any(|k| !k.is_empty() && b.split(';').any(|x| x == k));
    let mut rows = Vec::new();
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    for f in o.facilities.iter().filter(|f| !ids_new.contains(&f.0)) {
        let moved = n.facilities.iter().enumerate().find(|(i, g)| {
            !ids_old.contains(&g.0)
                && !taken.contains(i)
                && shares_kind(&f.2, &g.2)
                && Haversine.distance(f.3, g.3) <= SAME_PLACE_M
        });
        match moved {
            Some((i, g)) => {
                taken.insert(i);
                rows.push(vec!["renamed".into(), f.0.clone(), g.0.clone(), g.1.clone(), g.2.clone()]);
            }
            None => rows.push(vec!["closed".into(), f.0.clone(), String::new(), f.1.clone(), f.2.clone()]),
        }
    }
    for (i, g) in n.facilities.iter().enumerate() {
        if !ids_old.contains(&g.0) && !taken.contains(&i) {
            rows.push(vec!["opened".into(), String::new(), g.0.clone(), g.1.clone(), g.2.clone()]);
        }
    }
    (header, rows)
}

/// Writes `tables/change.csv`, `change_streets.csv`, `facility_changes.csv` and
/// `change.xlsx` into `dir`.
pub fn write_comparison(
    dir: &Path,
    c: &Comparison,
    profile: &lantu_core::Profile,
    title: crate::PrintTitle,
    lang: lantu_core::Lang,
) -> Result<()> {
    let tables = dir.join("tables");
    std::fs::create_dir_all(&tables).map_err(|e| WriteError::write(&tables, e))?;
    let rows = [
        ("change.csv", &c.communities, "社区变化", "Communities"),
        ("change_streets.csv", &c.streets, "街道变化", "Streets"),
        ("facility_changes.csv", &c.facilities, "设施增减", "Facilities"),
    ];
    let data: Vec<Rows> = rows.iter().map(|r| Rows::from_vec(&r.1 .1)).collect();
    for (r, d) in rows.iter().zip(&data) {
        crate::write_csv(&tables.join(r.0), &r.1 .0, d)?;
    }
    let sheets: Vec<crate::Sheet> = rows
        .iter()
        .zip(&data)
        .map(|(r, d)| crate::Sheet { name_zh: r.2, name_en: r.3, columns: &r.1 .0, rows: d })
        .collect();
    crate::write_report_xlsx(&dir.join("change.xlsx"), &sheets, profile, &[], title, lang)
}
