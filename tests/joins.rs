//! Households and community attributes joined from the district's own tables
//! (`[[communities.join]]`): by name with the usual differences, by code stored as numbers
//! or in scientific notation — the same communities.csv as with the counts in the layer —
//! and every missing, extra, ambiguous and overriding row reported.

use crate::common;
use common::*;

fn analyze(dir: &TempDir, project: &str) -> String {
    let out = dir.path().join(project);
    let p = fixture(&format!("joins/{project}.toml"));
    let o = lantu(&["analyze", p.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps", "--lang", "en"]);
    let (stdout, stderr) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{project}: {stdout}\n{stderr}");
    std::fs::read_to_string(out.join("tables/communities.csv")).unwrap()
}

#[test]
fn joined_counts_give_the_same_table_as_counts_in_the_layer() {
    let dir = TempDir::new("joins");
    let reference = analyze(&dir, "project_layer");
    assert!(reference.contains(",1200.0,0,"), "given, not estimated: {reference}");
    for project in ["project_by_name", "project_by_code", "project_by_code_csv"] {
        assert_eq!(analyze(&dir, project), reference, "{project}");
    }
    // the sheet's source is named in the XLSX 说明 sheet, the file in the manifest
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("project_by_name/report.xlsx")).unwrap();
    let about = wb.worksheet_range("About").unwrap();
    assert!(
        about
            .rows()
            .flatten()
            .any(|c| c.to_string().contains("communities.join · 户数 · capable ← 是否有条件, households ← 总户数")),
        "the join is a source in the About sheet"
    );
    let manifest = std::fs::read_to_string(dir.path().join("project_by_name/manifest.json")).unwrap();
    assert!(manifest.contains("households_by_name.xlsx"), "{manifest}");
}

#[test]
fn missing_extra_ambiguous_and_overriding_rows_are_reported() {
    let p = fixture("joins/project_flawed.toml");
    let o = lantu(&["check", p.to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(1), "an ambiguous row stops the analysis\n{out}\n{err}");
    for want in [
        "[joined table]",
        "rows 5, communities matched 3",
        "communities without a row 3: 500103001002 较场口社区",
        "rows matching no community (row numbers) 1: 6 (不存在社区)",
        "rows with no unique match (error) 1: 4 (新村社区) → 500103002002 新村社区 / 500103003001 新村社区",
        "the table's is used 1: 500103002001 七星岗社区 households: 1500 → 1600",
        "households_flawed.xlsx: 1 row(s) match more than one community",
    ] {
        assert!(out.contains(want), "{want:?} missing from\n{out}");
    }
}

#[test]
fn a_join_naming_a_missing_column_or_role_is_refused_clearly() {
    let d = TempDir::new("join-errors");
    for f in ["communities_bare.geojson", "households_by_code.xlsx"] {
        std::fs::copy(fixture(&format!("joins/{f}")), d.path().join(f)).unwrap();
    }
    let head = "[communities]\npath = \"communities_bare.geojson\"\n[[communities.join]]\npath = \"households_by_code.xlsx\"\n";
    for (rest, want) in [
        (
            "key = \"代码\"\nfields = { households = \"总户数\" }\n",
            "no column \"代码\" in the table; it has: 社区代码, 总户数, 是否有条件",
        ),
        ("key = \"社区代码\"\nfields = { floors = \"总户数\" }\n", "\"floors\" is not a community attribute"),
        ("fields = { households = \"总户数\" }\n", "give either key"),
    ] {
        let p = d.write("p.toml", &format!("{head}{rest}"));
        let o = lantu(&["check", p.to_str().unwrap(), "--lang", "en"]);
        let (_, err) = texts(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("households_by_code.xlsx") && err.contains(want), "{want}: {err}");
    }
}
