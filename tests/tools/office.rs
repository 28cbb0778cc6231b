//! The documents planners hand in, read back by independent programs: the XLSX's print
//! settings (its XML) and a 20-community district's 社区 sheet printed by LibreOffice; the
//! 申报方案 DOCX read by python-docx and converted by LibreOffice; blueprint.pdf's pages,
//! fonts and text by poppler. LibreOffice (`libreoffice-calc`, `libreoffice-writer`),
//! poppler-utils and python3-docx are installed by the README's first command and CI; these
//! tests fail saying so without them.

use crate::common;
use common::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use tools::{need, Tool};

fn run_ok(args: &[&str]) -> String {
    let o = lantu(args);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "lantu {args:?}\n{out}\n{err}");
    out
}

/// Converts a document to PDF with headless LibreOffice into `dir`; returns the PDF.
fn to_pdf(file: &Path, dir: &Path) -> PathBuf {
    need(&[Tool::LibreOffice]);
    let profile = dir.join("lo-profile");
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .expect("soffice runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = dir.join(file.with_extension("pdf").file_name().unwrap());
    assert!(pdf.exists(), "LibreOffice wrote no PDF for {}", file.display());
    pdf
}

fn pdf_pages(pdf: &Path) -> usize {
    need(&[Tool::Poppler]);
    let o = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&o.stdout).to_string();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).map(|n| n.trim().parse().unwrap()).unwrap_or(0)
}

fn pdf_text(pdf: &Path, page: Option<usize>) -> String {
    need(&[Tool::Poppler]);
    let mut c = Command::new("pdftotext");
    if let Some(p) = page {
        c.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let o = c.arg("-layout").arg(pdf).arg("-").output().expect("pdftotext runs");
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn zip_entry(file: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap_or_else(|e| panic!("{name} in {}: {e}", file.display())).read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_xlsx_prints_landscape_fitted_with_repeated_headers() {
    let dir = TempDir::new("docs-xlsx");
    let city = dir.path().join("city");
    run_ok(&["synth", "--communities", "20", "--seed", "3", "--out", city.to_str().unwrap()]);
    let out = dir.path().join("out");
    let project = city.join("project.toml");
    run_ok(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps", "--sites", "0"]);
    let xlsx = out.join("report.xlsx");
    let workbook = zip_entry(&xlsx, "xl/workbook.xml");
    let sheets = workbook.matches("<sheet ").count();
    assert!(sheets >= 4, "{workbook}");
    for i in 1..=sheets {
        let xml = zip_entry(&xlsx, &format!("xl/worksheets/sheet{i}.xml"));
        assert!(xml.contains(r#"orientation="landscape""#), "sheet {i} not landscape");
        assert!(
            xml.contains(r#"fitToPage="1""#) && xml.contains(r#"fitToHeight="0""#),
            "sheet {i} not fitted to width"
        );
        assert!(xml.contains("&amp;P") && xml.contains("<oddHeader>"), "sheet {i}: no page numbers or header");
        assert!(xml.contains("合成城市 20"), "sheet {i}: the header names the area");
        // repeated header row: a print-titles name per sheet
        assert!(
            workbook.contains(&format!(r#"name="_xlnm.Print_Titles" localSheetId="{}""#, i - 1)),
            "sheet {i}: header row not repeated"
        );
    }
    // the wide 社区 sheet goes on A3 (paperSize 8), the narrow 说明 sheet on A4 (9)
    assert!(zip_entry(&xlsx, "xl/worksheets/sheet1.xml").contains(r#"paperSize="8""#));
    assert!(zip_entry(&xlsx, &format!("xl/worksheets/sheet{sheets}.xml")).contains(r#"paperSize="9""#));
    // printed by LibreOffice: the 社区 sheet of the 20 communities on at most 2 pages, its
    // header row on every one
    let pdf = to_pdf(&xlsx, dir.path());
    let pages = pdf_pages(&pdf);
    let community_pages: Vec<usize> =
        (1..=pages).filter(|&p| pdf_text(&pdf, Some(p)).trim_start().starts_with("社区 ")).collect();
    assert!(
        !community_pages.is_empty() && community_pages.len() <= 2,
        "社区 sheet printed on pages {community_pages:?}"
    );
    for p in community_pages {
        assert!(pdf_text(&pdf, Some(p)).contains("社区代码"), "page {p} lacks the header row");
    }
}

fn handworked_with_pilots(dir: &TempDir) -> PathBuf {
    let out = dir.path().join("out");
    let project = fixture("handworked/project_sites.toml");
    run_ok(&[
        "analyze",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--pilots",
        "3",
        "--sites",
        "2",
        "--dpi",
        "100",
    ]);
    out
}

#[test]
fn the_application_draft_reads_back_with_its_headings_tables_and_maps() {
    need(&[Tool::PythonDocx]);
    let dir = TempDir::new("docs-docx");
    let out = handworked_with_pilots(&dir);
    let docx = out.join("docs/申报方案_hand-worked__with_candidate_sites.docx");
    assert!(docx.exists(), "{}", docx.display());
    let o = Command::new("/usr/bin/python3").arg(root().join("tests/docs/check_docx.py")).arg(&docx).output().unwrap();
    assert!(o.status.success(), "python-docx (apt-get install python3-docx): {}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let headings: Vec<(String, String)> = v["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h[0].as_str().unwrap().to_string(), h[1].as_str().unwrap().to_string()))
        .collect();
    for section in [
        "一、实施范围",
        "二、建设目标",
        "三、现状与缺口",
        "四、功能配置",
        "五、选址与建设项目",
        "六、技术指标",
        "七、投资估算和资金筹措",
        "八、运营保障",
        "九、保障机制",
    ] {
        assert!(
            headings.iter().any(|(style, text)| style == "Heading 1" && text == section),
            "{section}: {headings:?}"
        );
    }
    assert!(headings.iter().any(|(s, t)| s == "Heading 1" && t.starts_with("附件")));
    for pilot in ["1. 丁社区", "2. 乙社区", "3. 甲社区"] {
        assert!(headings.iter().any(|(s, t)| s == "Heading 2" && t == pilot), "{pilot}: {headings:?}");
    }
    // the table of communities: every area gap equals communities.csv
    let tables = v["tables"].as_array().unwrap();
    let gaps = tables
        .iter()
        .find(|t| t[0].as_array().unwrap().iter().any(|c| c == "面积缺口（㎡）"))
        .expect("a table of the communities' gaps");
    let header: Vec<&str> = gaps[0].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let (code_i, gap_i) = (
        header.iter().position(|h| *h == "社区代码").unwrap(),
        header.iter().position(|h| *h == "面积缺口（㎡）").unwrap(),
    );
    let mut csv = csv::Reader::from_path(out.join("tables/communities.csv")).unwrap();
    let cols: Vec<String> =
        csv.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    let (cc, cg) = (
        cols.iter().position(|c| c == "community_code").unwrap(),
        cols.iter().position(|c| c == "area_gap_m2").unwrap(),
    );
    let from_csv: std::collections::BTreeMap<String, String> =
        csv.records().map(|r| r.unwrap()).map(|r| (r[cc].to_string(), r[cg].to_string())).collect();
    assert_eq!(gaps.as_array().unwrap().len() - 1, from_csv.len());
    for row in &gaps.as_array().unwrap()[1..] {
        let (code, gap) = (row[code_i].as_str().unwrap(), row[gap_i].as_str().unwrap());
        let want = &from_csv[code];
        assert_eq!(if want.is_empty() { "—" } else { want.as_str() }, gap, "{code}");
    }
    // the overview and one page per pilot as pictures; the planner's places marked
    assert_eq!(v["pictures"].as_u64().unwrap(), 1 + 3);
    assert!(v["placeholders"].as_u64().unwrap() >= 4);
    // LibreOffice opens it and lays it out
    let pdf = to_pdf(&docx, dir.path());
    assert!(pdf_pages(&pdf) >= 4);
    let text = pdf_text(&pdf, None);
    assert!(text.contains("投资估算和资金筹措") && text.contains("【待补充】"), "{text}");
}

#[test]
fn the_blueprint_pdf_has_every_page_and_chinese_text() {
    let dir = TempDir::new("docs-pdf");
    let out = handworked_with_pilots(&dir);
    let pdf = out.join("blueprint.pdf");
    // cover + overview + tables (communities, streets, pilots: one page each) + 2 streets + 3 pilots
    assert_eq!(pdf_pages(&pdf), 1 + 1 + 3 + 2 + 3);
    let cover = pdf_text(&pdf, Some(1));
    assert!(cover.contains("一张蓝图") && cover.contains("目录") && cover.contains("社区排序表"), "{cover}");
    let table = pdf_text(&pdf, Some(3));
    assert!(table.contains("丁社区") && table.contains("第 3 页，共 10 页"), "{table}");
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout).to_string();
    assert!(fonts.contains("WenQuanYi") && fonts.lines().skip(2).all(|l| l.contains(" yes ")), "embedded: {fonts}");
    // the maps are vectors and text, not pictures: a street's page (6) and a pilot's (10)
    // carry their legend or figures, north arrow and sources as text, and the PDF has no image
    for (page, word) in [(6, "图例"), (10, "技术指标")] {
        let text = pdf_text(&pdf, Some(page));
        assert!(text.contains(word) && text.contains("北") && text.contains("数据来源"), "page {page}: {text}");
    }
    let images = Command::new("pdfimages").arg("-list").arg(&pdf).output().expect("pdfimages runs");
    let images = String::from_utf8_lossy(&images.stdout).to_string();
    assert_eq!(images.lines().count(), 2, "only the header of `pdfimages -list`: {images}");
    // without maps there is no PDF (it is made of them), and no failure
    let bare = dir.path().join("bare");
    let project = fixture("handworked/project.toml");
    run_ok(&["analyze", project.to_str().unwrap(), "--out", bare.to_str().unwrap(), "--no-maps"]);
    assert!(!bare.join("blueprint.pdf").exists());
    assert!(bare.join("docs").read_dir().unwrap().count() == 1, "the draft is written without maps too");
}

/// The PDF marks estimated households and shows them whole (the district's grid households:
/// 303.3 and 260.0, 563 in all), as every other output does (`district::estimates_are_marked_in_every_output`).
#[test]
fn estimates_are_marked_in_the_pdf() {
    let dir = TempDir::new("district-pdf-marks");
    let target = dir.path().join("out");
    let o = lantu(&["analyze", fixture("district/project.toml").to_str().unwrap(), "--out", target.to_str().unwrap()]);
    assert!(o.status.success(), "{}", texts(&o).1);
    let pdf = pdf_text(&target.join("blueprint.pdf"), None);
    for text in ["户数含估算（2 个社区：按人口格网估算 2）", "带 * 的户数为估算", "303*", "260*", "563*"]
    {
        assert!(pdf.contains(text), "PDF lacks {text}:\n{pdf}");
    }
    assert!(!pdf.contains("303.3"), "whole households in the PDF");
}
