//! `lantu batch merge`: the areas' blueprints side by side in one summary folder — the
//! communities, streets and districts of every area in one table each (the areas' own rows,
//! cell for cell, after two columns naming the area), an XLSX with a sheet per level, a
//! ranking of pilot candidates across the areas, an overview map of the areas coloured by
//! their share of failing communities, and a page linking to each area's own page.

use crate::error::{BatchError, Result};
use geo::{BoundingRect, Centroid};
use lantu_core::{district_name, district_of_codes, pilot_order, pilots_by_2025, Lang, Profile};
use lantu_render::{lonlat_to_local, render_sheets, Sheet as MapSheet, SheetArea, SheetLine};
use lantu_write::{write_report_xlsx, PrintTitle, Rows, Sheet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How to merge.
#[derive(Clone, Debug)]
pub struct MergeOptions {
    /// Pilot communities to rank across the areas (`None`: every area's candidates).
    pub pilots: Option<usize>,
    /// At most this many of them per district.
    pub pilots_per_district: Option<usize>,
    /// Draw the overview map.
    pub maps: bool,
    /// Its resolution.
    pub dpi: u32,
    /// The language of titles and the page.
    pub lang: Lang,
    /// Where the summary folder will be once written (its links to the areas' pages are
    /// relative to it).
    pub target: PathBuf,
}

impl MergeOptions {
    /// Every candidate ranked, no quota, the overview map at 150 dpi.
    pub fn new(lang: Lang, target: &Path) -> MergeOptions {
        MergeOptions {
            pilots: None,
            pilots_per_district: None,
            maps: true,
            dpi: 150,
            lang,
            target: target.to_path_buf(),
        }
    }
}

/// One area in the summary.
#[derive(Clone, Debug, PartialEq)]
pub struct MergedArea {
    /// Its output folder.
    pub dir: PathBuf,
    /// Its code (the folder's name: the split names folders by area code).
    pub code: String,
    /// Its name (its project's name).
    pub name: String,
    /// Communities.
    pub communities: usize,
    /// Households.
    pub households: f64,
    /// Communities failing the area, complex or configuration rule.
    pub failing: usize,
    /// Rows of its `pilots.csv` (0 without one).
    pub pilot_candidates: usize,
}

impl MergedArea {
    /// The share of its communities that fail any rule (0–1).
    pub fn share_failing(&self) -> f64 {
        if self.communities == 0 {
            0.0
        } else {
            self.failing as f64 / self.communities as f64
        }
    }
}

/// What a merge wrote.
#[derive(Clone, Debug)]
pub struct Merge {
    /// The areas, in the order given.
    pub areas: Vec<MergedArea>,
    /// Pilots ranked across the areas.
    pub pilots: usize,
    /// Candidates passed over because their district's quota was full.
    pub skipped_by_quota: usize,
    /// Areas whose candidates may be too few for the quota (they ran with fewer pilots
    /// than it asks for).
    pub short_of_candidates: Vec<String>,
}

/// A CSV table of an output folder, read as text: header and rows, cells as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextTable {
    /// Column names.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

impl TextTable {
    /// Reads `path` (UTF-8 with or without a byte-order mark).
    pub fn read(path: &Path) -> Result<TextTable> {
        let text = std::fs::read_to_string(path).map_err(|e| BatchError::file(path, e))?;
        let mut r =
            csv::ReaderBuilder::new().flexible(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header = r.headers().map_err(|e| BatchError::table(path, e))?.iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|rec| rec.map(|r| r.iter().map(str::to_string).collect()))
            .collect::<Result<Vec<Vec<String>>, _>>()
            .map_err(|e| BatchError::table(path, e))?;
        Ok(TextTable { header, rows })
    }
    /// The column named `name`.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
    fn cell<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.col(name).and_then(|i| row.get(i)).map_or("", String::as_str)
    }
    fn number(&self, row: &[String], name: &str) -> f64 {
        self.cell(row, name).parse().unwrap_or(0.0)
    }
    /// Writes it as lantu writes tables: UTF-8 with a byte-order mark (for Excel).
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        let err = |e: csv::Error| BatchError::table(path, e);
        w.write_record(&self.header).map_err(err)?;
        for r in &self.rows {
            w.write_record(r).map_err(err)?;
        }
        let bytes = w.into_inner().map_err(|e| BatchError::table(path, e))?;
        std::fs::write(path, bytes).map_err(|e| BatchError::file(path, e))
    }
}

/// The areas' output folders among `dirs`: a folder with `manifest.json` is one; a folder
/// without is searched one level down (a batch's output root), its areas in name order.
pub fn area_folders(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in dirs {
        if d.join("manifest.json").is_file() {
            out.push(d.clone());
            continue;
        }
        let mut inner: Vec<PathBuf> = std::fs::read_dir(d)
            .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.join("manifest.json").is_file()).collect())
            .unwrap_or_default();
        inner.sort();
        out.extend(inner);
    }
    out
}

/// Merges the areas' output folders (see [`area_folders`]) into `out`.
pub fn merge(dirs: &[PathBuf], profile: &Profile, opts: &MergeOptions, out: &Path) -> Result<Merge> {
    let lang = opts.lang;
    let folders = area_folders(dirs);
    if folders.is_empty() {
        let first = dirs.first().cloned().unwrap_or_default();
        return Err(BatchError::table(
            &first,
            lang.pick(
                "没有找到分区的输出文件夹（含 manifest.json）",
                "no area output folder (with manifest.json) found",
            ),
        ));
    }
    let tables = out.join("tables");
    std::fs::create_dir_all(&tables).map_err(|e| BatchError::file(&tables, e))?;
    let mut areas = Vec::new();
    let mut merged: BTreeMap<&str, TextTable> = BTreeMap::new();
    let mut pilot_rows: Vec<(usize, TextTable)> = Vec::new();
    for (i, dir) in folders.iter().enumerate() {
        let code = dir.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let name = area_name(dir).unwrap_or_else(|| code.clone());
        // the area's own figures come from its communities' rows, read once with the merge
        let (mut communities, mut failing, mut households) = (0, 0, 0.0);
        for table in ["communities.csv", "streets.csv"] {
            let t = TextTable::read(&dir.join("tables").join(table))?;
            let m = merged.entry(table).or_default();
            if m.header.is_empty() {
                m.header =
                    ["area", "area_name"].iter().map(|s| s.to_string()).chain(t.header.iter().cloned()).collect();
            } else if m.header[2..] != t.header[..] {
                let first = folders[0].join("tables").join(table);
                return Err(BatchError::table(
                    &dir.join("tables").join(table),
                    lang.pick(
                        format!("列与 {} 不同（规则配置不同？）", first.display()),
                        format!("its columns differ from {} (another profile?)", first.display()),
                    ),
                ));
            }
            if table == "communities.csv" {
                communities = t.rows.len();
                failing = t.rows.iter().filter(|r| fails(&t, r)).count();
                households = t.rows.iter().map(|r| t.number(r, "households")).sum();
            }
            m.rows.extend(t.rows.into_iter().map(|r| [code.clone(), name.clone()].into_iter().chain(r).collect()));
        }
        let pilots = dir.join("tables/pilots.csv");
        let candidates = if pilots.is_file() {
            let t = TextTable::read(&pilots)?;
            let n = t.rows.len();
            pilot_rows.push((i, t));
            n
        } else {
            0
        };
        areas.push(MergedArea {
            dir: dir.clone(),
            code,
            name,
            communities,
            households,
            failing,
            pilot_candidates: candidates,
        });
    }
    let communities = merged.remove("communities.csv").unwrap_or_default();
    let streets = merged.remove("streets.csv").unwrap_or_default();
    let districts = district_rows(&communities, profile);
    let area_table = area_rows(&areas, opts);
    let ranking = rank_pilots(&areas, &pilot_rows, profile, opts);
    communities.write(&tables.join("communities.csv"))?;
    streets.write(&tables.join("streets.csv"))?;
    districts.write(&tables.join("districts.csv"))?;
    area_table.write(&tables.join("areas.csv"))?;
    ranking.table.write(&tables.join("pilots.csv"))?;

    // the sheets borrow the tables' rows: a province's communities are not held twice
    let parts = [
        ("区域", "Areas", &area_table),
        ("区县", "Districts", &districts),
        ("街道", "Streets", &streets),
        ("社区", "Communities", &communities),
        ("试点排名", "Pilot ranking", &ranking.table),
    ];
    let rows: Vec<Rows> = parts.iter().map(|p| Rows::from_vec(&p.2.rows)).collect();
    let sheets: Vec<Sheet> = parts
        .iter()
        .zip(&rows)
        .map(|(p, r)| Sheet { name_zh: p.0, name_en: p.1, columns: &p.2.header, rows: r })
        .collect();
    let title = lang.pick("分区汇总", "Areas summary");
    let sources: Vec<(String, String)> = areas
        .iter()
        .map(|a| (a.dir.display().to_string(), lang.pick(format!("{}（{}）", a.name, a.code), a.name.clone())))
        .collect();
    write_report_xlsx(
        &out.join("report.xlsx"),
        &sheets,
        profile,
        &sources,
        PrintTitle { area: title, date: &lantu_write::utc_now()[..10] },
        lang,
    )?;
    if opts.maps {
        overview_map(&areas, opts, out)?;
    }
    write_page(&areas, &ranking, opts, out)?;
    let short_of_candidates = match opts.pilots_per_district {
        Some(m) => {
            areas.iter().filter(|a| a.pilot_candidates > 0 && a.pilot_candidates < m).map(|a| a.code.clone()).collect()
        }
        None => Vec::new(),
    };
    Ok(Merge { areas, pilots: ranking.table.rows.len(), skipped_by_quota: ranking.skipped, short_of_candidates })
}

/// The area's name: its project's `name` (the project file is the `.toml` its run was
/// given, as `manifest.json` records the command).
fn area_name(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    let m: serde_json::Value = serde_json::from_str(&text).ok()?;
    let project = m["command"].as_array()?.iter().filter_map(|a| a.as_str()).find(|a| a.ends_with(".toml"))?;
    let t: toml::Table = std::fs::read_to_string(project).ok()?.parse().ok()?;
    t.get("name")?.as_str().map(str::to_string)
}

/// Whether a community's row fails the area, complex or configuration rule.
fn fails(t: &TextTable, r: &[String]) -> bool {
    t.number(r, "area_gap_m2") > 0.0 || t.cell(r, "complex_meets_min") == "0" || t.cell(r, "config_ok") == "0"
}

/// The districts rolled up from the communities' rows: households, floor areas and gaps
/// summed, failing communities counted, coverage weighted by households.
fn district_rows(com: &TextTable, profile: &Profile) -> TextTable {
    let kinds: Vec<&str> = profile.kinds.all().map(|k| profile.kinds.code(k)).collect();
    let mut header: Vec<String> = [
        "district_code",
        "district_name",
        "area",
        "communities",
        "households",
        "facility_area_m2",
        "area_per_100hh_m2",
        "area_required_m2",
        "area_gap_m2",
        "communities_failing_area",
        "communities_failing_complex",
        "communities_failing_config",
        "communities_failing_any",
        "share_failing",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(kinds.iter().map(|k| format!("coverage_{k}")));
    let mut groups: BTreeMap<(String, String), Vec<&Vec<String>>> = BTreeMap::new();
    for r in &com.rows {
        let street = com.cell(r, "street_code");
        let district = district_of_codes(com.cell(r, "community_code"), Some(street)).unwrap_or_default();
        groups.entry((district, com.cell(r, "area").to_string())).or_default().push(r);
    }
    let rows = groups
        .into_iter()
        .map(|((district, area), members)| {
            let sum = |name: &str| members.iter().map(|r| com.number(r, name)).sum::<f64>();
            let count = |f: &dyn Fn(&Vec<String>) -> bool| members.iter().filter(|r| f(r)).count();
            let households = sum("households");
            let with_hh: f64 = members
                .iter()
                .filter(|r| !com.cell(r, "households").is_empty())
                .map(|r| com.number(r, "facility_area_m2"))
                .sum();
            let failing = count(&|r| fails(com, r));
            let mut row = vec![
                district.clone(),
                district_name(&district).unwrap_or_default().to_string(),
                area,
                members.len().to_string(),
                format!("{households:.1}"),
                format!("{:.2}", sum("facility_area_m2")),
                if households > 0.0 { format!("{:.2}", with_hh / households * 100.0) } else { String::new() },
                format!("{:.2}", sum("area_required_m2")),
                format!("{:.2}", sum("area_gap_m2")),
                count(&|r| com.number(r, "area_gap_m2") > 0.0).to_string(),
                count(&|r| com.cell(r, "complex_meets_min") == "0").to_string(),
                count(&|r| com.cell(r, "config_ok") == "0").to_string(),
                failing.to_string(),
                format!("{:.4}", failing as f64 / members.len().max(1) as f64),
            ];
            row.extend(kinds.iter().map(|k| {
                let col = format!("coverage_{k}");
                let (mut covered, mut hh) = (0.0, 0.0);
                for r in &members {
                    let (c, h) = (com.cell(r, &col), com.number(r, "households"));
                    if let Ok(c) = c.parse::<f64>() {
                        covered += c * h;
                        hh += h;
                    }
                }
                if hh > 0.0 {
                    format!("{:.4}", covered / hh)
                } else {
                    String::new()
                }
            }));
            row
        })
        .collect();
    TextTable { header, rows }
}

/// One row per area.
fn area_rows(areas: &[MergedArea], opts: &MergeOptions) -> TextTable {
    let header = [
        "area",
        "area_name",
        "communities",
        "households",
        "communities_failing_any",
        "share_failing",
        "pilot_candidates",
        "page",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = areas
        .iter()
        .map(|a| {
            vec![
                a.code.clone(),
                a.name.clone(),
                a.communities.to_string(),
                format!("{:.1}", a.households),
                a.failing.to_string(),
                format!("{:.4}", a.share_failing()),
                a.pilot_candidates.to_string(),
                relative_link(&opts.target, &a.dir.join("web/index.html")),
            ]
        })
        .collect();
    TextTable { header, rows }
}

/// The pilots ranked across the areas.
struct Ranking {
    table: TextTable,
    skipped: usize,
}

/// Every area's pilot candidates (its `pilots.csv`) in one order — [`pilot_order`], the
/// order each area chose its own by — taken with the per-district quota up to the count.
fn rank_pilots(areas: &[MergedArea], tables: &[(usize, TextTable)], profile: &Profile, opts: &MergeOptions) -> Ranking {
    let Some(first) = tables.first() else {
        return Ranking { table: TextTable { header: vec!["rank".into()], rows: Vec::new() }, skipped: 0 };
    };
    let header: Vec<String> = ["rank", "by_2025", "area", "area_name", "area_rank"]
        .iter()
        .map(|s| s.to_string())
        .chain(first.1.header.iter().filter(|h| *h != "pilot_rank" && *h != "by_2025").cloned())
        .collect();
    struct Candidate<'a> {
        area: usize,
        t: &'a TextTable,
        row: &'a Vec<String>,
        score: f64,
        need: f64,
    }
    let mut all: Vec<Candidate> = tables
        .iter()
        .flat_map(|(area, t)| {
            t.rows.iter().map(move |row| Candidate {
                area: *area,
                t,
                row,
                score: t.number(row, "pilot_score"),
                need: t.number(row, "need"),
            })
        })
        .collect();
    all.sort_by(|x, y| {
        pilot_order(
            (x.score, x.need, x.t.cell(x.row, "community_code")),
            (y.score, y.need, y.t.cell(y.row, "community_code")),
        )
    });
    let count = opts.pilots.unwrap_or(all.len());
    let by_2025 = pilots_by_2025(profile, count);
    let mut per_district: BTreeMap<String, usize> = BTreeMap::new();
    let (mut rows, mut skipped) = (Vec::new(), 0);
    for c in all {
        if rows.len() >= count {
            break;
        }
        let district = c.t.cell(c.row, "district_code").to_string();
        let taken = per_district.entry(district).or_default();
        if opts.pilots_per_district.is_some_and(|m| *taken >= m) {
            skipped += 1;
            continue;
        }
        *taken += 1;
        let a = &areas[c.area];
        let mut row = vec![
            (rows.len() + 1).to_string(),
            ((rows.len() < by_2025) as u8).to_string(),
            a.code.clone(),
            a.name.clone(),
        ];
        row.push(c.t.cell(c.row, "pilot_rank").to_string());
        row.extend(
            c.t.header.iter().zip(c.row).filter(|(h, _)| *h != "pilot_rank" && *h != "by_2025").map(|(_, v)| v.clone()),
        );
        rows.push(row);
    }
    Ranking { table: TextTable { header, rows }, skipped }
}

/// The share of failing communities as a colour: five classes from green to red.
const CLASSES: [(f64, (u8, u8, u8), &str); 5] = [
    (0.2, (26, 150, 65), "< 20 %"),
    (0.4, (166, 217, 106), "20–40 %"),
    (0.6, (255, 255, 191), "40–60 %"),
    (0.8, (253, 174, 97), "60–80 %"),
    (f64::INFINITY, (215, 25, 28), "≥ 80 %"),
];

fn class_of(share: f64) -> usize {
    CLASSES.iter().position(|c| share < c.0).unwrap_or(CLASSES.len() - 1)
}

/// `overview.png`: the areas (their communities dissolved) coloured by their share of
/// failing communities, with a line of figures per area.
fn overview_map(areas: &[MergedArea], opts: &MergeOptions, out: &Path) -> Result<()> {
    let lang = opts.lang;
    let mut shapes = Vec::new();
    for a in areas {
        let path = a.dir.join("geojson/communities.geojson");
        let text = std::fs::read_to_string(&path).map_err(|e| BatchError::file(&path, e))?;
        let gj: geojson::FeatureCollection = text.parse().map_err(|e| BatchError::table(&path, e))?;
        let polys: Vec<geo::Polygon> = gj
            .features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .filter_map(|g| geo::Geometry::<f64>::try_from(g.clone()).ok())
            .flat_map(|g| match g {
                geo::Geometry::Polygon(p) => vec![p],
                geo::Geometry::MultiPolygon(m) => m.0,
                _ => Vec::new(),
            })
            .collect();
        shapes.push(geo::unary_union(&polys));
    }
    let lat0 = shapes.iter().filter_map(|s| s.centroid()).map(|c| c.y()).sum::<f64>() / shapes.len().max(1) as f64;
    let areas_drawn: Vec<SheetArea> = areas
        .iter()
        .zip(&shapes)
        .map(|(a, s)| SheetArea {
            shape: lonlat_to_local(s, lat0),
            fill: CLASSES[class_of(a.share_failing())].1,
            focus: false,
            label: format!("{} {:.0}%", a.name, a.share_failing() * 100.0),
        })
        .collect();
    let mut lines = vec![SheetLine {
        text: lang.pick("各区域未达标社区占比", "Share of failing communities").into(),
        heading: true,
    }];
    lines.extend(areas.iter().map(|a| SheetLine {
        text: lang.pick(
            format!("{}：{} / {} 个社区（{:.0}%）", a.name, a.failing, a.communities, a.share_failing() * 100.0),
            format!("{}: {} of {} communities ({:.0} %)", a.name, a.failing, a.communities, a.share_failing() * 100.0),
        ),
        heading: false,
    }));
    let sheet = MapSheet {
        file: "overview.png".into(),
        title: lang.pick("分区总览：未达标社区占比", "Areas overview: share of failing communities").into(),
        subtitle: lang.pick(format!("{} 个区域", areas.len()), format!("{} areas", areas.len())),
        extent: areas_drawn.iter().filter_map(|a| a.shape.bounding_rect()).reduce(|a, b| {
            geo::Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        }),
        areas: areas_drawn,
        points: Vec::new(),
        legend: CLASSES.iter().map(|c| (c.1, c.2.to_string(), false)).collect(),
        lines,
        footnote: lang
            .pick(
                "未达标：面积、综合体或功能配置任一项不达标的社区",
                "failing: a community below its floor-area, complex or configuration rule",
            )
            .into(),
        note: None,
    };
    render_sheets(out, &[sheet], opts.dpi, lang).map_err(|e| BatchError::table(&out.join("overview.png"), e))?;
    Ok(())
}

/// A link from the summary folder (once at `target`) to `to`: relative when both are on
/// the same tree, else absolute.
fn relative_link(target: &Path, to: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (abs(target), abs(to));
    let (f, t): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return to.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".into(); f.len() - common];
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `index.html`: the areas with their figures and a link to each area's page.
fn write_page(areas: &[MergedArea], ranking: &Ranking, opts: &MergeOptions, out: &Path) -> Result<()> {
    let lang = opts.lang;
    let mut rows = String::new();
    for a in areas {
        let link = relative_link(&opts.target, &a.dir.join("web/index.html"));
        rows.push_str(&format!(
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td class=n>{}</td><td class=n>{:.0}</td><td class=n>{}</td><td class=n style=\"background:rgb{:?}\">{:.1}%</td><td class=n>{}</td></tr>\n",
            html(&link),
            html(&a.name),
            html(&a.code),
            a.communities,
            a.households,
            a.failing,
            CLASSES[class_of(a.share_failing())].1,
            a.share_failing() * 100.0,
            a.pilot_candidates
        ));
    }
    let heads = lang.pick(
        ["区域", "代码", "社区", "户数", "未达标社区", "未达标占比", "试点候选"],
        ["Area", "Code", "Communities", "Households", "Failing", "Share failing", "Pilot candidates"],
    );
    let head: String = heads.iter().map(|h| format!("<th>{h}</th>")).collect();
    let map =
        if opts.maps { "<p><img src=\"overview.png\" alt=\"overview\" style=\"max-width:100%\"></p>" } else { "" };
    let title = lang.pick("分区汇总", "Areas summary");
    let files = lang.pick(
        format!(
            "表格：<a href=\"report.xlsx\">report.xlsx</a>、<a href=\"tables/areas.csv\">areas.csv</a>、<a href=\"tables/districts.csv\">districts.csv</a>、<a href=\"tables/streets.csv\">streets.csv</a>、<a href=\"tables/communities.csv\">communities.csv</a>、<a href=\"tables/pilots.csv\">pilots.csv</a>（跨区域试点排名 {} 个）",
            ranking.table.rows.len()
        ),
        format!(
            "Tables: <a href=\"report.xlsx\">report.xlsx</a>, <a href=\"tables/areas.csv\">areas.csv</a>, <a href=\"tables/districts.csv\">districts.csv</a>, <a href=\"tables/streets.csv\">streets.csv</a>, <a href=\"tables/communities.csv\">communities.csv</a>, <a href=\"tables/pilots.csv\">pilots.csv</a> ({} pilots ranked across the areas)",
            ranking.table.rows.len()
        ),
    );
    let page = format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title><link rel=\"icon\" href=\"data:,\">\n<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px}}td.n{{text-align:right}}</style></head>\n<body><h1>{title}</h1>\n<p>{files}</p>\n<table id=\"areas\"><thead><tr>{head}</tr></thead><tbody>\n{rows}</tbody></table>\n{map}\n</body></html>\n",
        lang.pick("zh", "en"),
    );
    let path = out.join("index.html");
    std::fs::write(&path, page).map_err(|e| BatchError::file(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_from_the_summary_to_an_area_page_are_relative() {
        assert_eq!(
            relative_link(Path::new("/b/summary"), Path::new("/b/runs/500103/web/index.html")),
            "../runs/500103/web/index.html"
        );
        assert_eq!(relative_link(Path::new("/b/s"), Path::new("/b/s/x.html")), "x.html");
    }

    #[test]
    fn failing_shares_fall_into_five_classes() {
        assert_eq!(class_of(0.0), 0);
        assert_eq!(class_of(0.2), 1);
        assert_eq!(class_of(0.79), 3);
        assert_eq!(class_of(1.0), 4);
    }
}
