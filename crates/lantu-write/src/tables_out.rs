//! Every table of a blueprint: `tables/*.csv` and `report.xlsx`, from one [`Blueprint`].

use crate::plan_tables::{
    application_columns, application_rows, pilot_columns, pilot_rows, plan_before_after_columns,
    plan_before_after_rows, project_columns, project_rows,
};
use crate::tables::{
    before_after_columns, before_after_rows, codes, community_rows, community_table, facility_columns, facility_rows,
    site_columns, site_rows, street_rows, street_table, write_csv, Rows,
};
use crate::xlsx::{write_report_xlsx, Sheet};
use crate::{Result, WriteError};
use lantu_core::{Assignment, Dataset, Lang, Profile};
use lantu_engine::Blueprint;
use std::path::Path;

/// What the tables say beside the figures.
pub struct TableNotes<'a> {
    /// The project's note (e.g. 合成示例数据), on every row as `data_note` and in the XLSX.
    pub note: Option<&'a str>,
    /// The data sources (file, what was read from it) for the XLSX's 说明 sheet.
    pub sources: &'a [(String, String)],
    /// The area and date in the header of every printed page.
    pub title: crate::PrintTitle<'a>,
}

/// Writes `tables/communities.csv`, `streets.csv`, `facilities.csv` (and with sites
/// `sites.csv`, `sites_before_after.csv`) and `report.xlsx` into `dir`.
pub fn write_tables(
    dir: &Path,
    d: &Dataset,
    assignment: &Assignment,
    bp: &Blueprint,
    profile: &Profile,
    notes: &TableNotes,
    lang: Lang,
) -> Result<()> {
    let analysis = &bp.analysis;
    let kinds = &analysis.kinds;
    let tables = dir.join("tables");
    std::fs::create_dir_all(&tables).map_err(|e| WriteError::write(&tables, e))?;
    let note = notes.note;
    let snaps = bp.network.as_ref().map(|n| n.facility_snaps.as_slice());
    let (fac_cols, fac_rows) = noted(facility_columns(), facility_rows(d, assignment, analysis, snaps), note);
    write_csv(&tables.join("facilities.csv"), &fac_cols, &fac_rows)?;
    let (com_table, str_table) = (community_table(kinds), street_table(kinds));
    let com = community_rows(d, analysis, &com_table, lang);
    let strs = street_rows(d, analysis, &str_table, lang);
    let (com_cols, com_rows) = noted(codes(&com_table), Rows::from_vec(&com), note);
    write_csv(&tables.join("communities.csv"), &com_cols, &com_rows)?;
    let (str_cols, str_rows) = noted(codes(&str_table), Rows::from_vec(&strs), note);
    write_csv(&tables.join("streets.csv"), &str_cols, &str_rows)?;
    let sites = bp.sites.sites();
    let site_tables =
        sites.map(|s| (site_rows(d, &s.plan, &s.after, lang), before_after_rows(d, analysis, &s.after, lang)));
    let (site_cols, site_rows_) = match &site_tables {
        Some((site, before_after)) => {
            let (cols, rows) = noted(site_columns(kinds), Rows::from_vec(site), note);
            write_csv(&tables.join("sites.csv"), &cols, &rows)?;
            let (ba_cols, ba) = noted(before_after_columns(kinds), Rows::from_vec(before_after), note);
            write_csv(&tables.join("sites_before_after.csv"), &ba_cols, &ba)?;
            (cols, rows)
        }
        None => (Vec::new(), Rows::new(0, |_| Vec::new())),
    };
    let sources: Vec<(String, String)> = note
        .map(|n| (lang.pick("数据说明", "data note").to_string(), n.to_string()))
        .into_iter()
        .chain(notes.sources.iter().cloned())
        .collect();
    let mut sheets = vec![
        Sheet { name_zh: "社区", name_en: "Communities", columns: &com_cols, rows: &com_rows },
        Sheet { name_zh: "街道", name_en: "Streets", columns: &str_cols, rows: &str_rows },
        Sheet { name_zh: "设施", name_en: "Facilities", columns: &fac_cols, rows: &fac_rows },
    ];
    if sites.is_some() {
        sheets.push(Sheet { name_zh: "建议选址", name_en: "Sites", columns: &site_cols, rows: &site_rows_ });
    }
    // planned projects: each project, and the figures before and after each plan
    let afters: Vec<&lantu_core::Analysis> = bp.plans.iter().map(|o| &o.after).collect();
    let plan_tables = (!bp.plans.is_empty())
        .then(|| (project_rows(d, &bp.plans, profile, lang), plan_before_after_rows(d, analysis, &afters, lang)));
    let mut plan_cols = (Vec::new(), Vec::new());
    let mut plan_data = (Rows::new(0, |_| Vec::new()), Rows::new(0, |_| Vec::new()));
    if let Some((projects, before_after)) = &plan_tables {
        let (cols, rows) = noted(project_columns(kinds), Rows::from_vec(projects), note);
        write_csv(&tables.join("projects.csv"), &cols, &rows)?;
        let (ba_cols, ba) = noted(plan_before_after_columns(kinds, bp.plans.len()), Rows::from_vec(before_after), note);
        write_csv(&tables.join("plan_before_after.csv"), &ba_cols, &ba)?;
        plan_cols = (cols, ba_cols);
        plan_data = (rows, ba);
    }
    if plan_tables.is_some() {
        sheets.push(Sheet {
            name_zh: "规划项目",
            name_en: "Planned projects",
            columns: &plan_cols.0,
            rows: &plan_data.0,
        });
        sheets.push(Sheet {
            name_zh: "规划前后",
            name_en: "Plan before-after",
            columns: &plan_cols.1,
            rows: &plan_data.1,
        });
    }
    // pilots and their 申报方案 figures
    let pilot_tables = bp
        .pilots
        .as_ref()
        .map(|o| (pilot_rows(d, o, &bp.plans, analysis, lang), application_rows(d, o, analysis, profile, lang)));
    let mut pilot_cols = (Vec::new(), Vec::new());
    let mut pilot_data = (Rows::new(0, |_| Vec::new()), Rows::new(0, |_| Vec::new()));
    if let Some((pilots, application)) = &pilot_tables {
        let (cols, rows) = noted(pilot_columns(kinds), Rows::from_vec(pilots), note);
        write_csv(&tables.join("pilots.csv"), &cols, &rows)?;
        let (app_cols, app) = noted(application_columns(kinds), Rows::from_vec(application), note);
        write_csv(&tables.join("application.csv"), &app_cols, &app)?;
        pilot_cols = (cols, app_cols);
        pilot_data = (rows, app);
    }
    if pilot_tables.is_some() {
        sheets.push(Sheet { name_zh: "试点名单", name_en: "Pilots", columns: &pilot_cols.0, rows: &pilot_data.0 });
        sheets.push(Sheet {
            name_zh: "申报方案", name_en: "Application", columns: &pilot_cols.1, rows: &pilot_data.1
        });
    }
    write_report_xlsx(&dir.join("report.xlsx"), &sheets, profile, &sources, notes.title, lang)
}

/// A table with the project's note (e.g. 合成示例数据) as a last column `data_note` on every
/// row, so that no table of made-up data can pass for real; unchanged without a note.
fn noted<'a>(mut columns: Vec<String>, rows: Rows<'a>, note: Option<&str>) -> (Vec<String>, Rows<'a>) {
    match note {
        Some(note) => {
            columns.push("data_note".into());
            (columns, rows.with_last(note.to_string()))
        }
        None => (columns, rows),
    }
}
