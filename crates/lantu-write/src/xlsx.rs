//! `report.xlsx`: the tables for planners, with Chinese sheet names and headers, units,
//! a frozen header row, number formats, failing cells marked, and a 说明 sheet.

use crate::columns::{column_label, column_type};
use crate::{ColumnType, Result, WriteError};
use lantu_core::{Kinds, Lang, Profile};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet};
use std::path::Path;

/// Data rows an XLSX sheet can hold (below its header row).
pub const XLSX_MAX_ROWS: usize = 1_048_575;

/// One sheet's content: column codes and text rows (as in the CSV tables).
pub struct Sheet<'a> {
    /// Chinese sheet name.
    pub name_zh: &'a str,
    /// English sheet name.
    pub name_en: &'a str,
    /// Column codes.
    pub columns: &'a [String],
    /// Rows of text cells.
    pub rows: &'a crate::Rows<'a>,
}

/// What every printed page says in its header: the area and the date.
#[derive(Clone, Copy, Debug)]
pub struct PrintTitle<'a> {
    /// The area's name (a project's name, a district).
    pub area: &'a str,
    /// The date of the run (YYYY-MM-DD).
    pub date: &'a str,
}

/// Sheets with more columns than this are printed on A3 rather than A4.
const A4_MAX_COLUMNS: usize = 20;
/// Rows scanned to hide the columns that are empty throughout (a city's facilities are not).
const SCAN_EMPTY_UP_TO: usize = 20_000;

/// Print settings of a sheet: landscape, fitted to one page wide (A4, or A3 for a wide
/// sheet), the header row repeated on every page, the sheet's title with the area and the
/// date in the page header, page numbers in the footer.
fn print_setup(
    ws: &mut Worksheet,
    name: &str,
    columns: usize,
    title: PrintTitle,
    lang: Lang,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(if columns > A4_MAX_COLUMNS { 8 } else { 9 }); // 8: A3, 9: A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    // & starts a code in Excel's header language: a literal one is &&
    let esc = |t: &str| t.replace('&', "&&");
    ws.set_header(format!("&L&\"-,Bold\"{}&C{}&R{}", esc(name), esc(title.area), esc(title.date)));
    ws.set_footer(lang.pick("&C第 &P 页，共 &N 页", "&CPage &P of &N"));
    Ok(())
}

/// Whether a cell fails a rule and should be marked.
fn failing(code: &str, cell: &str) -> bool {
    let v: f64 = match cell.parse() {
        Ok(v) => v,
        Err(_) => return false,
    };
    match code {
        "area_gap_m2"
        | "uncovered_households"
        | "uncovered_households_accessible"
        | "communities_failing_area"
        | "communities_failing_complex"
        | "communities_failing_config" => v > 0.0,
        "config_ok" | "complex_meets_min" => v == 0.0,
        c if c.starts_with("coverage_") => v < 0.5,
        _ => false,
    }
}

/// Sensible widths: names and reasons wide, figures narrow (their headers wrap).
fn column_width(code: &str) -> f64 {
    match code {
        "config_reason" | "remarks" | "reason" | "build" | "warnings" | "investment_basis" => 30.0,
        "community_name" | "street_name" | "name" | "site_name" | "functions" | "kinds" | "kinds_zh" => 16.0,
        _ if column_type(code) == ColumnType::Text => 12.0,
        _ => 9.0,
    }
}

fn number_format(code: &str) -> &'static str {
    if code.starts_with("coverage_") {
        "0.0%"
    } else if code.ends_with("_m2") || code.ends_with("_m") || code == "priority_score" {
        "#,##0.00"
    } else if code == "households" || code.starts_with("uncovered_households") {
        // a person reads households whole (the CSV keeps the decimals)
        "#,##0"
    } else {
        "0"
    }
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, kinds: &Kinds, lang: Lang) -> Result<(), rust_xlsxwriter::XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDCE6F1))
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let bad = Color::RGB(0xF8CBAD);
    for (c, code) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, column_label(code, kinds).header(lang), &header)?;
        ws.set_column_width(c as u16, column_width(code))?;
    }
    ws.set_row_height(0, 45)?;
    // columns empty throughout (no DEM: no flat coverage) are hidden: they would only widen
    // the printed page
    if sheet.rows.len() <= SCAN_EMPTY_UP_TO {
        let mut filled = vec![false; sheet.columns.len()];
        for row in sheet.rows.iter() {
            for (f, cell) in filled.iter_mut().zip(&row) {
                *f |= !cell.is_empty();
            }
        }
        for (c, f) in filled.iter().enumerate() {
            if !f && !sheet.rows.is_empty() {
                ws.set_column_hidden(c as u16)?;
            }
        }
    }
    // an XLSX sheet holds 1,048,576 rows; the CSV beside it holds them all
    let shown = sheet.rows.len().min(XLSX_MAX_ROWS);
    // each column's formats made once (plain and failing; text, and numbers with the
    // column's number format), not once per cell: a city's sheets have a million cells
    let formats: Vec<[Format; 6]> = sheet
        .columns
        .iter()
        .map(|code| {
            let failing = Format::new().set_background_color(bad);
            let number = number_format(code);
            // an estimated count shows its mark, as in the PDF and the DOCX; the value stays a number
            let marked = format!("{number}\"{}\"", lantu_engine::style::ESTIMATE_MARK);
            [
                Format::new(),
                failing.clone(),
                Format::new().set_num_format(number),
                failing.clone().set_num_format(number),
                Format::new().set_num_format(&marked),
                failing.set_num_format(&marked),
            ]
        })
        .collect();
    let estimated_at = sheet.columns.iter().position(|c| *c == "households_estimated");
    for (r, row) in sheet.rows.iter().take(shown).enumerate() {
        let r = r as u32 + 1;
        for (c, ((cell, code), f)) in row.iter().zip(sheet.columns).zip(&formats).enumerate() {
            let c = c as u16;
            if cell.is_empty() {
                continue;
            }
            let failing = failing(code, cell) as usize;
            let estimated = *code == "households" && estimated_at.is_some_and(|i| row.get(i).is_some_and(|v| v == "1"));
            match (column_type(code), cell.parse::<f64>()) {
                (ColumnType::Int | ColumnType::Real, Ok(v)) if v.is_finite() => {
                    ws.write_number_with_format(r, c, v, &f[2 + 2 * estimated as usize + failing])?
                }
                _ => ws.write_string_with_format(r, c, excel_text(cell), &f[failing])?,
            };
        }
    }
    // the comparisons (flat ground, barrier-free) are grouped and collapsed: one click
    // opens them, and the printed page keeps to the main figures
    for prefix in ["coverage_flat_", "coverage_accessible_"] {
        let cols: Vec<usize> =
            sheet.columns.iter().enumerate().filter(|(_, c)| c.starts_with(prefix)).map(|(i, _)| i).collect();
        if let (Some(&first), Some(&last)) = (cols.first(), cols.last()) {
            if last - first + 1 == cols.len() {
                ws.group_columns_collapsed(first as u16, last as u16)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if shown > 0 {
        ws.autofilter(0, 0, shown as u32, sheet.columns.len().saturating_sub(1) as u16)?;
    }
    Ok(())
}

/// Writes the report. `sources` are (file, description) pairs for the 说明 sheet.
pub fn write_report_xlsx(
    path: &Path,
    sheets: &[Sheet],
    profile: &Profile,
    sources: &[(String, String)],
    title: PrintTitle,
    lang: Lang,
) -> Result<()> {
    let err = |e: rust_xlsxwriter::XlsxError| match e {
        rust_xlsxwriter::XlsxError::IoError(io) => WriteError::write(path, io),
        e => WriteError::Write { path: path.to_path_buf(), source: e.into() },
    };
    let mut wb = Workbook::new();
    for s in sheets {
        // rows stream to a temporary file: a million facilities do not sit in memory twice
        let ws = wb.add_worksheet_with_constant_memory().map_err(err)?;
        let name = lang.pick(s.name_zh, s.name_en);
        ws.set_name(name).map_err(err)?;
        write_sheet(ws, s, &profile.kinds, lang).map_err(err)?;
        print_setup(ws, name, s.columns.len(), title, lang).map_err(err)?;
    }
    // 说明: what each column means, the profile in force, the data sources
    let ws = wb.add_worksheet();
    let about = lang.pick("说明", "About");
    ws.set_name(about).map_err(err)?;
    print_setup(ws, about, 4, title, lang).map_err(err)?;
    let bold = Format::new().set_bold();
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut r = 0u32;
    let put = |ws: &mut Worksheet,
               r: &mut u32,
               cells: &[&str],
               f: Option<&Format>|
     -> Result<(), rust_xlsxwriter::XlsxError> {
        for (c, v) in cells.iter().enumerate() {
            match f {
                Some(f) => ws.write_string_with_format(*r, c as u16, excel_text(v), f)?,
                None => ws.write_string(*r, c as u16, excel_text(v))?,
            };
        }
        *r += 1;
        Ok(())
    };
    put(
        ws,
        &mut r,
        &[t(
            "lantu（蓝图）社区嵌入式服务设施缺口分析",
            "lantu (blueprint): gaps in community embedded service facilities",
        )],
        Some(&bold),
    )
    .map_err(err)?;
    put(ws, &mut r, &[t("规则", "rules"), lang.pick(&profile.title_zh, &profile.title_en)], None).map_err(err)?;
    r += 1;
    for sh in sheets.iter().filter(|sh| sh.rows.len() > XLSX_MAX_ROWS) {
        let msg = if lang == Lang::Zh {
            format!(
                "工作表「{}」共 {} 行，超过 XLSX 上限，仅含前 {XLSX_MAX_ROWS} 行；完整数据见 tables/ 下的 CSV",
                sh.name_zh,
                sh.rows.len()
            )
        } else {
            format!("sheet {} has {} rows, more than XLSX holds: only the first {XLSX_MAX_ROWS} are here; the CSV under tables/ has them all", sh.name_en, sh.rows.len())
        };
        put(ws, &mut r, &[t("注意", "note"), &msg], Some(&bold)).map_err(err)?;
    }
    if sheets.iter().any(|s| s.name_en == "Application" || s.name_en == "Planned projects") {
        let msg = if lang == Lang::Zh {
            format!(
                "投资估算所用单价为假设值（配置文件 costs：新建 {:.0} 元/㎡，改造 {:.0} 元/㎡），不是实际造价，请按本地造价核定",
                profile.costs.new_build_yuan_per_m2.0, profile.costs.renovation_yuan_per_m2.0
            )
        } else {
            format!(
                "investment estimates use assumed unit costs (profile costs: new build {:.0} yuan/m², renovation {:.0} yuan/m²), not actual costs; replace them with local cost data",
                profile.costs.new_build_yuan_per_m2.0, profile.costs.renovation_yuan_per_m2.0
            )
        };
        put(ws, &mut r, &[t("注意", "note"), &msg], Some(&bold)).map_err(err)?;
    }
    put(ws, &mut r, &[t("工作表", "sheet"), t("列", "column"), t("代码", "code"), t("含义", "meaning")], Some(&bold))
        .map_err(err)?;
    for s in sheets {
        for code in s.columns {
            let l = column_label(code, &profile.kinds);
            put(ws, &mut r, &[lang.pick(s.name_zh, s.name_en), l.header(lang), code, l.about(lang)], None)
                .map_err(err)?;
        }
    }
    r += 1;
    put(ws, &mut r, &[t("规则配置（profile）", "profile values used")], Some(&bold)).map_err(err)?;
    let table =
        toml::Table::try_from(profile).map_err(|e| WriteError::Write { path: path.to_path_buf(), source: e.into() })?;
    let mut flat = Vec::new();
    flatten("", &toml::Value::Table(table), &mut flat);
    for (k, v) in &flat {
        put(ws, &mut r, &["", k, v], None).map_err(err)?;
    }
    r += 1;
    put(ws, &mut r, &[t("数据来源", "data sources")], Some(&bold)).map_err(err)?;
    for (file, about) in sources {
        put(ws, &mut r, &["", file, about], None).map_err(err)?;
    }
    ws.set_column_width(0, 14).map_err(err)?;
    ws.set_column_width(1, 28).map_err(err)?;
    ws.set_column_width(2, 30).map_err(err)?;
    ws.set_column_width(3, 70).map_err(err)?;
    // zipped in memory first (the rows' temporary files are read into it): a full disk then
    // fails our write, which says so, not the ZIP writer's drop
    let bytes = wb.save_to_buffer().map_err(err)?;
    crate::output::write_via_partial(path, |w| {
        use std::io::Write;
        w.write_all(&bytes).map_err(|e| WriteError::write(path, e))
    })
}

fn flatten(prefix: &str, v: &toml::Value, out: &mut Vec<(String, String)>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        toml::Value::Array(a) if a.iter().all(|x| x.is_table()) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), x, out);
            }
        }
        other => out.push((prefix.to_string(), other.to_string().trim_matches('"').to_string())),
    }
}

/// The most characters Excel keeps in a cell.
const EXCEL_MAX_CHARS: usize = 32_767;

/// Text as a cell can hold it: longer text (a name or alias of 40,000 characters) is cut,
/// saying so at its end, instead of failing the whole report at the last step. The CSV
/// tables keep the whole text.
fn excel_text(cell: &str) -> std::borrow::Cow<'_, str> {
    const NOTE: &str =
        "……（超出 Excel 单元格长度，已截断，全文见 CSV / cut at Excel's cell limit; the CSV has it all）";
    if cell.chars().count() <= EXCEL_MAX_CHARS {
        return std::borrow::Cow::Borrowed(cell);
    }
    let keep = EXCEL_MAX_CHARS - NOTE.chars().count();
    std::borrow::Cow::Owned(cell.chars().take(keep).chain(NOTE.chars()).collect())
}

#[cfg(test)]
mod cell_tests {
    use super::*;

    #[test]
    fn text_beyond_excels_limit_is_cut_with_a_note() {
        let long = "社".repeat(40_000);
        let cut = excel_text(&long);
        assert_eq!(cut.chars().count(), EXCEL_MAX_CHARS);
        assert!(cut.ends_with("CSV has it all）"));
        assert_eq!(excel_text("解放碑社区"), "解放碑社区");
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write_string(0, 0, excel_text(&long)).unwrap();
        assert!(wb.add_worksheet().write_string(0, 0, long.as_str()).is_err(), "the limit is Excel's");
    }
}
