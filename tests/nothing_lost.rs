//! Bad input, second round (issue 24): nothing the user has is lost, nothing damaged is
//! read as whole, no wrong figure leaves with exit 0, and what `check` passes `analyze`
//! finishes. Each test is the regression test of one numbered finding.

use crate::common;
use common::*;
use std::path::{Path, PathBuf};

/// The hand-worked case copied into `dir` (its CSVs and project files), so that a test may
/// change a copy; returns its project file.
fn handworked_into(dir: &Path) -> PathBuf {
    for e in std::fs::read_dir(fixture("handworked")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    dir.join("project.toml")
}

fn handworked(dir: &TempDir) -> PathBuf {
    handworked_into(dir.path())
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let o = lantu(args);
    let (out, err) = texts(&o);
    assert!(!err.contains("panicked"), "panic: {err}");
    (o.status.code(), out, err)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file below `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(root).unwrap().display().to_string());
            if p.is_dir() {
                walk(root, &p, out);
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

/// A column of a CSV lantu wrote, by name.
fn column(csv_path: &Path, name: &str) -> Vec<String> {
    let mut r = csv::Reader::from_path(csv_path).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    let i = h.iter().position(|x| x == name).unwrap_or_else(|| panic!("{name} in {h:?}"));
    r.records().map(|x| x.unwrap()[i].to_string()).collect()
}

// 1. --out that is, holds or lies inside an input
#[test]
fn out_over_the_inputs_is_refused_even_with_force() {
    let d = TempDir::new("nl-inputs");
    let t = d.path().join("t");
    std::fs::create_dir(&t).unwrap();
    let project = handworked_into(&t);
    let before = listing(&t);
    for out in [t.clone(), d.path().to_path_buf(), t.join("facilities.csv"), t.join("project.toml")] {
        for force in [true, false] {
            let mut args = vec!["analyze", s(&project), "--out", s(&out), "--no-maps"];
            if force {
                args.push("--force");
            }
            let (code, _, err) = run(&args);
            assert_eq!(code, Some(1), "{}: {err}", out.display());
            assert!(err.contains("输出位置与输入") && err.contains("重叠"), "{err}");
        }
    }
    assert_eq!(listing(&t), before, "the inputs are untouched");
    // a folder inside the project's folder is fine
    let (code, _, err) = run(&["analyze", s(&project), "--out", s(&t.join("out")), "--no-maps"]);
    assert_eq!(code, Some(0), "{err}");
    // compare A B --out A
    let (code, _, err) =
        run(&["compare", s(&t.join("out")), s(&t.join("out")), "--out", s(&t.join("out")), "--force", "--no-maps"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(t.join("out/manifest.json").exists());
    let (code, _, err) =
        run(&["compare", s(&t.join("out")), s(&t.join("out")), "--out", s(&t.join("out/sub")), "--no-maps"]);
    assert_eq!(code, Some(1), "inside a compared folder: {err}");
}

// 2. --force keeps what appeared in the folder during the run
#[test]
fn a_file_written_into_a_forced_folder_during_the_run_is_kept() {
    let d = TempDir::new("nl-force");
    let project = handworked(&d);
    let out = d.path().join("X");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("old.txt"), "old").unwrap();
    let lock = d.path().join(".X.lantu-lock");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_lantu"))
        .args(["analyze", s(&project), "--out", s(&out), "--force", "--dpi", "100"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !lock.exists() {
        assert!(start.elapsed().as_secs() < 60, "the run never took its lock");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    std::fs::write(out.join("important.txt"), "n").unwrap();
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(std::fs::read_to_string(out.join("important.txt")).unwrap(), "n", "{err}");
    assert_eq!(std::fs::read_to_string(out.join("old.txt")).unwrap(), "old");
    assert!(err.contains("未覆盖") && err.contains("X.lantu-"), "{err}");
}

// 3. damaged files are errors, never shorter layers
#[test]
fn truncated_and_flipped_files_are_errors_naming_file_and_feature() {
    let d = TempDir::new("nl-damaged");
    let src = fixture("chongqing");
    for ext in ["shp", "shx", "dbf", "prj", "cpg", "fgb"] {
        std::fs::copy(src.join(format!("communities.{ext}")), d.path().join(format!("c.{ext}"))).unwrap();
    }
    let whole_check = |p: &str| {
        run(&[
            "check",
            &d.write("p.toml", &format!("[communities]\npath = \"{p}\"\n")).display().to_string(),
            "--lang",
            "en",
        ])
    };
    let (code, _, err) = whole_check("c.shp");
    assert_eq!(code, Some(0), "the fixture itself reads: {err}");
    // a .dbf cut short
    let dbf = std::fs::read(d.path().join("c.dbf")).unwrap();
    std::fs::write(d.path().join("c.dbf"), &dbf[..dbf.len() - 100]).unwrap();
    let (code, out, err) = whole_check("c.shp");
    assert_eq!(code, Some(1), "{out}");
    assert!(err.contains("c.shp") && err.contains("feature #") && err.contains("damaged or truncated"), "{err}");
    // a FlatGeobuf cut short, and one with flipped bytes in its features
    let fgb = std::fs::read(d.path().join("c.fgb")).unwrap();
    std::fs::write(d.path().join("c.fgb"), &fgb[..fgb.len() * 2 / 3]).unwrap();
    let (code, out, err) = whole_check("c.fgb");
    assert_eq!(code, Some(1), "{out}");
    assert!(err.contains("c.fgb") && err.contains("feature #"), "{err}");
    let mut flipped = fgb.clone();
    let n = flipped.len();
    for b in &mut flipped[n - 120..n - 60] {
        *b ^= 0xA5;
    }
    std::fs::write(d.path().join("c.fgb"), &flipped).unwrap();
    let (code, out, err) = whole_check("c.fgb");
    assert_ne!(code, Some(0), "{out}{err}");
    assert!(err.contains("c.fgb"), "{err}");
}

// 4 and 10. file names from codes and names: unique, and short enough
#[test]
fn street_and_pilot_codes_that_differ_only_by_a_slash_get_two_maps() {
    let d = TempDir::new("nl-maps");
    let project = handworked(&d);
    let c = std::fs::read_to_string(d.path().join("communities.csv")).unwrap();
    let c = c.replace(",S1,", ",S/1,").replace(",S2,", ",S_1,").replace("\nA,", "\nP/1,").replace("\nB,", "\nP_1,");
    std::fs::write(d.path().join("communities.csv"), c).unwrap();
    let f = std::fs::read_to_string(d.path().join("facilities.csv")).unwrap().replace("B;C", "P_1;C");
    std::fs::write(d.path().join("facilities.csv"), f).unwrap();
    // a project name of 90 CJK characters (270 bytes)
    let name = "重庆市渝中区社区嵌入式服务设施建设试点".repeat(5);
    let p = std::fs::read_to_string(&project).unwrap().replace("name = \"hand-worked\"", &format!("name = \"{name}\""));
    std::fs::write(&project, p).unwrap();
    let out = d.path().join("out");
    let (code, _, err) = run(&["analyze", s(&project), "--out", s(&out), "--dpi", "50", "--pilots", "4"]);
    assert_eq!(code, Some(0), "{err}");
    let maps: Vec<String> = listing(&out.join("maps"));
    let streets: Vec<&String> = maps.iter().filter(|m| m.starts_with("street_")).collect();
    assert_eq!(streets.len(), 2, "{maps:?}");
    let pilots: Vec<&String> = maps.iter().filter(|m| m.starts_with("pilot_P")).collect();
    assert_eq!(pilots.len(), 2, "{maps:?}");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    for m in streets.iter().chain(&pilots) {
        assert!(manifest.contains(&format!("maps/{m}")), "{m} not in the manifest");
    }
    let docs = listing(&out.join("docs"));
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert!(docs[0].len() < 200 && docs[0].starts_with("申报方案_重庆市"), "{docs:?}");
}

// 5. .cpg values other than UTF-8 on a GBK Shapefile
#[test]
fn wrong_cpg_values_on_a_gbk_shapefile_are_overruled_by_the_bytes() {
    let d = TempDir::new("nl-cpg");
    let src = fixture("chongqing");
    for ext in ["shp", "shx", "dbf", "prj"] {
        std::fs::copy(src.join(format!("communities.{ext}")), d.path().join(format!("c.{ext}"))).unwrap();
    }
    let project = d.write("p.toml", "[communities]\npath = \"c.shp\"\n");
    for cpg in ["1252", "LATIN1", "System", "BIG5", "", "garbage\u{1}", "88591"] {
        std::fs::write(d.path().join("c.cpg"), cpg).unwrap();
        let (code, out, err) = run(&["check", s(&project), "--lang", "en"]);
        assert_eq!(code, Some(0), "{cpg:?}: {out}{err}");
        assert!(out.contains("read as GBK"), "{cpg:?}: {out}");
        assert!(out.contains("households ← 户数") && out.contains("name ← 社区名称"), "{cpg:?}: {out}");
    }
    // a right declaration is kept and named
    std::fs::write(d.path().join("c.cpg"), "936").unwrap();
    let (code, out, _) = run(&["check", s(&project), "--lang", "en"]);
    assert_eq!(code, Some(0));
    assert!(!out.contains("read as GBK") && out.contains("households ← 户数"), "{out}");
}

// 6. no uncovered count above its total
#[test]
fn building_households_above_the_community_are_reconciled_and_warned() {
    let d = TempDir::new("nl-households");
    let project = handworked(&d);
    // 甲社区 (A) gives 1000 households; its buildings BA2 and BA3 give 600 + 400: make them 6,000 + 4,000
    let b = std::fs::read_to_string(d.path().join("buildings.csv")).unwrap();
    let b = b.replace("BA2,住宅,600,", "BA2,住宅,6000,").replace("BA3,住宅,400,", "BA3,住宅,4000,");
    std::fs::write(d.path().join("buildings.csv"), b).unwrap();
    let out = d.path().join("out");
    let (code, stdout, err) = run(&["analyze", s(&project), "--out", s(&out), "--no-maps", "--lang", "en"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(stdout.contains("the community gives 1000 households, its buildings 10000 (10.00×)"), "{stdout}");
    for table in ["communities.csv", "streets.csv"] {
        let p = out.join("tables").join(table);
        let total = column(&p, "households");
        let uncovered = column(&p, "uncovered_households");
        for (t, u) in total.iter().zip(&uncovered) {
            let u: f64 = u.parse().unwrap();
            let t: f64 = t.parse().unwrap_or(0.0);
            assert!(u <= t + 1e-6, "{table}: {u} uncovered of {t}");
        }
    }
}

// 7. implausible values are said
#[test]
fn implausible_values_in_layers_plans_and_the_dem_are_said() {
    let d = TempDir::new("nl-implausible");
    let project = handworked(&d);
    let b = std::fs::read_to_string(d.path().join("buildings.csv")).unwrap();
    let b = b.replace("BB1,住宅,500,", "BB1,住宅,1000000000000,");
    std::fs::write(d.path().join("buildings.csv"), b).unwrap();
    let f = std::fs::read_to_string(d.path().join("facilities.csv")).unwrap();
    std::fs::write(d.path().join("facilities.csv"), f.replace("托育服务,200,", "托育服务,1e308,")).unwrap();
    let c = std::fs::read_to_string(d.path().join("communities.csv")).unwrap();
    std::fs::write(d.path().join("communities.csv"), c.replace(",300,否,是,", ",0.5,否,是,")).unwrap();
    let (code, out, err) = run(&["check", s(&project), "--lang", "en"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("1e12 households, more than 3000") && !out.contains("not a whole number"), "{out}");
    assert!(out.contains("floor area 1e308 m², more than 100000 m² (checks.max_floor_area_m2)"), "{out}");
    assert!(out.contains("0.5 households: fewer than one"), "{out}");
    // a DEM of 10^30 m
    let dem = d.path().join("dem.tif");
    write_dem(&dem, 1e30);
    let (code, _, err) = run(&["check", s(&project), "--dem", s(&dem), "--lang", "en"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("dem.tif") && err.contains("outside -500…9000 m"), "{err}");
    write_dem(&dem, f32::NAN as f64);
    let (code, _, err) = run(&["check", s(&project), "--dem", s(&dem), "--lang", "en"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("every cell is no-data") && !err.contains("inf"), "{err}");
}

/// A 10 × 10 GeoTIFF in EPSG:4545 over the hand-worked case, every cell `height` (NaN:
/// every cell no-data).
fn write_dem(path: &Path, height: f64) {
    use gdal::raster::Buffer;
    let _ = std::fs::remove_file(path);
    let driver = gdal::DriverManager::get_driver_by_name("GTiff").unwrap();
    let mut ds = driver.create_with_band_type::<f32, _>(path, 10, 10, 1).unwrap();
    ds.set_geo_transform(&[499_900.0, 400.0, 0.0, 3_272_100.0, 0.0, -400.0]).unwrap();
    ds.set_spatial_ref(&gdal::spatial_ref::SpatialRef::from_epsg(4545).unwrap()).unwrap();
    let mut band = ds.rasterband(1).unwrap();
    if height.is_nan() {
        band.set_no_data_value(Some(-9999.0)).unwrap();
    }
    let v = if height.is_nan() { -9999.0 } else { height as f32 };
    band.write((0, 0), (10, 10), &mut Buffer::new((10, 10), vec![v; 100])).unwrap();
}

// 8. a geographic metric CRS
#[test]
fn a_metric_crs_not_in_metres_is_refused() {
    let d = TempDir::new("nl-metric");
    let project = handworked(&d);
    for (crs, says) in [("EPSG:4326", "not a projected CRS"), ("EPSG:999999", "no CRS with EPSG code 999999")] {
        let p = std::fs::read_to_string(&project)
            .unwrap()
            .replace("metric_crs = \"EPSG:4545\"", &format!("metric_crs = \"{crs}\""));
        let q = d.write("q.toml", &p);
        let (code, _, err) = run(&["check", s(&q), "--lang", "en"]);
        assert_eq!(code, Some(1));
        assert!(err.contains(&format!("metric_crs = \"{crs}\"")) && err.contains(says), "{err}");
    }
    let (code, _, err) = run(&["check", s(&project), "--metric-crs", "EPSG:4490"]);
    assert_eq!(code, Some(1), "{err}");
    // a layer's own bad crs names the layer, not metric_crs
    let p = std::fs::read_to_string(&project)
        .unwrap()
        .replace("path = \"buildings.csv\"\ncrs = \"EPSG:4545\"", "path = \"buildings.csv\"\ncrs = \"EPSG:nonsense\"");
    let q = d.write("q.toml", &p);
    let (code, out, err) = run(&["check", s(&q), "--lang", "en"]);
    assert_eq!(code, Some(1));
    // among the verdict's errors, with the other layers checked and reported
    assert!(
        out.contains("buildings.csv") && out.contains("crs = \"EPSG:nonsense\"") && !out.contains("metric_crs"),
        "{out}{err}"
    );
    assert!(out.contains("[communities]") && out.contains("verdict: the data cannot be analysed"), "{out}");
}

// 9. small silent ones
#[test]
fn ambiguous_numbers_plan_values_and_overlaps_are_said() {
    let d = TempDir::new("nl-small");
    let project = handworked(&d);
    let c = std::fs::read_to_string(d.path().join("communities.csv")).unwrap();
    // "1,5" households for 丁社区 (D), and 戊社区 (E) redrawn over 甲社区 (A)
    let c = c.replace(",300,否,是,", ",\"1,5\",否,是,");
    let mut lines: Vec<String> = c.lines().map(str::to_string).collect();
    let e = lines.iter().position(|l| l.starts_with("E,")).unwrap();
    let wkt_start = lines[e].find("\"POLYGON").unwrap();
    lines[e] = format!(
        "{}\"POLYGON ((500500 3270000, 501000 3270000, 501000 3270500, 500500 3270500, 500500 3270000))\"",
        &lines[e][..wkt_start]
    );
    std::fs::write(d.path().join("communities.csv"), lines.join("\n") + "\n").unwrap();
    let (code, out, err) = run(&["check", s(&project), "--lang", "en"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("1,5") && out.contains("a comma separates thousands only"), "{out}");
    assert!(out.contains("overlaps community E by 100.0% of the smaller one"), "{out}");
    // a plan: year, latitude 106.5, negative area
    let plan = d.write(
        "plan_bad.csv",
        "编号,项目名称,服务类型,建筑面积,年份,经度,纬度\nQ1,年份错,养老服务,100,99999999999,106.5,29.5\nQ2,纬度错,养老服务,100,2025,29.5,106.5\nQ3,面积负,养老服务,-50,2025,106.5,29.5\n",
    );
    let out_dir = d.path().join("out");
    let (code, stdout, err) = run(&[
        "analyze",
        s(&d.path().join("project.toml")),
        "--out",
        s(&out_dir),
        "--no-maps",
        "--plan",
        s(&plan),
        "--lang",
        "en",
    ]);
    let all = format!("{stdout}{err}");
    assert_eq!(code, Some(0), "{all}");
    assert!(all.contains("year 99999999999 is not a whole year"), "{all}");
    assert!(all.contains("may be swapped: skipped"), "{all}");
    assert!(all.contains("floor area -50 is not above 0"), "{all}");
    let projects = std::fs::read_to_string(out_dir.join("tables/projects.csv")).unwrap();
    assert!(!projects.contains("2147483647") && !projects.contains("Q2"), "{projects}");
    // compare with a table holding NaN writes no NaN
    let comm = out_dir.join("tables/communities.csv");
    let t = std::fs::read_to_string(&comm).unwrap();
    let first_row_gap = t.lines().nth(1).unwrap().to_string();
    let mut cells: Vec<String> = first_row_gap.split(',').map(str::to_string).collect();
    cells[11] = "NaN".into();
    std::fs::write(&comm, t.replace(&first_row_gap, &cells.join(","))).unwrap();
    let (code, _, err) = run(&["compare", s(&out_dir), s(&out_dir), "--out", s(&d.path().join("cmp")), "--no-maps"]);
    assert_eq!(code, Some(0), "{err}");
    let change = std::fs::read_to_string(d.path().join("cmp/tables/change.csv")).unwrap();
    assert!(!change.to_lowercase().contains("nan"), "{change}");
}

// 11. text longer than Excel allows
#[test]
fn a_name_longer_than_excel_allows_is_cut_in_the_xlsx_only() {
    let d = TempDir::new("nl-long");
    let project = handworked(&d);
    let long = "长".repeat(40_000);
    let c =
        std::fs::read_to_string(d.path().join("communities.csv")).unwrap().replace(",甲社区,", &format!(",{long},"));
    std::fs::write(d.path().join("communities.csv"), c).unwrap();
    let out = d.path().join("out");
    let (code, _, err) = run(&["analyze", s(&project), "--out", s(&out), "--no-maps"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(column(&out.join("tables/communities.csv"), "community_name").contains(&long));
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("report.xlsx")).unwrap();
    let sheet = wb.worksheet_range("社区").unwrap();
    let cut = sheet.rows().flat_map(|r| r.iter()).map(|c| c.to_string()).find(|c| c.starts_with("长长长")).unwrap();
    assert_eq!(cut.chars().count(), 32_767);
    assert!(cut.contains("已截断"));
}

// 12. coordinates off the Earth
#[test]
fn coordinates_off_the_earth_are_rejected_per_feature_in_check() {
    let d = TempDir::new("nl-far");
    let project = handworked(&d);
    let f = std::fs::read_to_string(d.path().join("facilities.csv")).unwrap();
    std::fs::write(d.path().join("facilities.csv"), f.replace("POINT (501000 3270300)", "POINT (1e300 3270300)"))
        .unwrap();
    let (code, out, err) = run(&["check", s(&project), "--lang", "en"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("lie off the Earth") && out.contains("F3"), "{out}");
    let (code, _, err) = run(&["analyze", s(&project), "--out", s(&d.path().join("out")), "--no-maps"]);
    assert_eq!(code, Some(0), "check passed, so analyze finishes: {err}");
}

// 13. thousands of threads
#[test]
fn threads_beyond_the_machine_are_capped_and_said() {
    let d = TempDir::new("nl-threads");
    let project = handworked(&d);
    let (code, _, err) = run(&[
        "analyze",
        s(&project),
        "--out",
        s(&d.path().join("out")),
        "--no-maps",
        "--threads",
        "100000",
        "--lang",
        "en",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("--threads 100000 is out of range"), "{err}");
}

// 14. a huge invalid outline is repaired by structure, and said so
#[test]
fn an_invalid_outline_above_the_vertex_limit_is_repaired_by_structure() {
    let d = TempDir::new("nl-repair");
    let project = handworked(&d);
    // a self-intersecting outline of 3,000 vertices around 甲社区 (A), with a limit of 1,000
    let n = 3000;
    let pts: Vec<String> = (0..=n)
        .map(|i| {
            let a = std::f64::consts::TAU * (i % n) as f64 / n as f64;
            let r = 400.0 + 80.0 * (a * 997.0).sin();
            format!("{:.3} {:.3}", 500_500.0 + r * (a * 3.0).cos(), 3_270_500.0 + r * (a * 3.0).sin())
        })
        .collect();
    let c = std::fs::read_to_string(d.path().join("communities.csv")).unwrap();
    let a_line = c.lines().find(|l| l.starts_with("A,")).unwrap();
    let wkt_start = a_line.find("\"POLYGON").unwrap();
    let new_line = format!("{}\"POLYGON (({}))\"", &a_line[..wkt_start], pts.join(", "));
    std::fs::write(d.path().join("communities.csv"), c.replace(a_line, &new_line)).unwrap();
    let profile = d.write("limit.toml", "[checks]\nmax_repair_vertices = 1000\n");
    let (code, out, err) = run(&["--profile", s(&profile), "check", s(&project), "--lang", "en"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("repaired by its structure (3001 vertices"), "{out}");
}

// 15. formulas in CSV cells
#[test]
fn names_that_look_like_formulas_are_escaped_in_the_csv_tables() {
    let d = TempDir::new("nl-formula");
    let project = handworked(&d);
    let c = std::fs::read_to_string(d.path().join("communities.csv")).unwrap();
    let c = c.replace(",甲社区,", ",\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",").replace(",乙社区,", ",@SUM(A1),");
    std::fs::write(d.path().join("communities.csv"), c).unwrap();
    let out = d.path().join("out");
    let (code, _, err) = run(&["analyze", s(&project), "--out", s(&out), "--no-maps"]);
    assert_eq!(code, Some(0), "{err}");
    let names = column(&out.join("tables/communities.csv"), "community_name");
    assert!(
        names.contains(&"'=HYPERLINK(\"http://x\",\"y\")".to_string()) && names.contains(&"'@SUM(A1)".to_string()),
        "{names:?}"
    );
    let gaps = column(&out.join("tables/communities.csv"), "area_gap_m2");
    assert!(gaps.iter().all(|g| !g.starts_with('\'')), "numbers stay numbers");
    // the XLSX keeps the text as it is
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("report.xlsx")).unwrap();
    let sheet = wb.worksheet_range("社区").unwrap();
    assert!(sheet
        .rows()
        .flat_map(|r| r.iter())
        .any(|c| matches!(c, calamine::Data::String(t) if t == "=HYPERLINK(\"http://x\",\"y\")")));
    // and compare reads the escaped names back as they were
    let (code, _, err) = run(&["compare", s(&out), s(&out), "--out", s(&d.path().join("cmp")), "--no-maps"]);
    assert_eq!(code, Some(0), "{err}");
    let change = column(&d.path().join("cmp/tables/change.csv"), "community_name");
    assert!(change.contains(&"'=HYPERLINK(\"http://x\",\"y\")".to_string()), "{change:?}");
}

// 16. network paths
#[test]
fn network_paths_are_refused_and_outside_paths_documented() {
    let d = TempDir::new("nl-remote");
    for path in [
        "/vsicurl/http://127.0.0.1:9/c.geojson",
        "/vsizip//vsicurl/http://127.0.0.1:9/c.zip",
        "https://example.org/c.geojson",
    ] {
        let p = d.write("p.toml", &format!("[communities]\npath = \"{path}\"\n"));
        let (code, _, err) = run(&["check", s(&p), "--lang", "en"]);
        assert_eq!(code, Some(1), "{path}");
        assert!(err.contains("local files only"), "{path}: {err}");
    }
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(readme.contains("may lie outside the project's folder"), "the README says paths may leave the folder");
}

// 17 and 19. damaged files of each format, and the small messages
#[test]
fn damaged_files_of_each_format_are_called_damaged_in_chinese_first() {
    let d = TempDir::new("nl-corrupt");
    for (file, bytes) in [
        ("c.gpkg", b"SQLite format 3\0 but then nothing".to_vec()),
        ("c.geojson", b"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":".to_vec()),
        ("c.xlsx", b"PK\x03\x04 broken zip".to_vec()),
        ("c.fgb", b"fgb\x03fgb\x01\x00\x00\x00\x00".to_vec()),
    ] {
        std::fs::write(d.path().join(file), bytes).unwrap();
        let p = d.write("p.toml", &format!("[communities]\npath = \"{file}\"\n"));
        let (code, _, err) = run(&["check", s(&p)]);
        assert_eq!(code, Some(1), "{file}");
        assert!(err.contains(file) && err.contains("已损坏"), "{file}: {err}");
        assert!(!err.contains("NULL pointer") && !err.contains("CPL error"), "{file}: {err}");
    }
    // a block of an .osm.pbf damaged inside (its framing whole)
    let mut pbf = std::fs::read(monaco("monaco.osm.pbf")).unwrap();
    for b in &mut pbf[800_000..800_040] {
        *b ^= 0x5A;
    }
    std::fs::write(d.path().join("bad.osm.pbf"), pbf).unwrap();
    let (code, _, err) = run(&["check", "--osm", s(&d.path().join("bad.osm.pbf"))]);
    assert_eq!(code, Some(1));
    assert!(err.contains("bad.osm.pbf") && err.contains("已损坏") && !err.contains("administrative"), "{err}");
    // a damaged DEM
    let project = handworked_into(d.path());
    d.write("dem.tif", "II*\0 not a GeoTIFF");
    let (code, _, err) = run(&["check", s(&project), "--dem", s(&d.path().join("dem.tif"))]);
    assert_eq!(code, Some(1));
    assert!(err.contains("dem.tif") && err.contains("已损坏或不是 GeoTIFF"), "{err}");
    // an empty path, a symbolic link loop
    let p = d.write("p.toml", "[communities]\npath = \"\"\n");
    let (_, _, err) = run(&["check", s(&p)]);
    assert!(err.contains("[communities] path") && err.contains("路径为空"), "{err}");
    std::os::unix::fs::symlink(d.path().join("loop2.gpkg"), d.path().join("loop1.gpkg")).unwrap();
    std::os::unix::fs::symlink(d.path().join("loop1.gpkg"), d.path().join("loop2.gpkg")).unwrap();
    let p = d.write("p.toml", "[communities]\npath = \"loop1.gpkg\"\n");
    let (_, _, err) = run(&["check", s(&p)]);
    assert!(err.contains("循环") && err.contains("loop"), "{err}");
    // clap's errors get a Chinese line
    let (code, _, err) = run(&["analyze", "--bogus"]);
    assert_eq!(code, Some(2));
    assert!(err.starts_with("lantu: 错误: 未知的参数：--bogus"), "{err}");
    // a compared folder that is no blueprint
    let (a, b) = (d.path().join("a"), d.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let (code, _, err) = run(&["compare", s(&a), s(&b), "--out", s(&d.path().join("x"))]);
    assert_eq!(code, Some(1));
    assert!(err.contains("无法比较") && !err.contains("plan"), "{err}");
}

// 18 and 19. swapped axes and projected numbers under a WGS 84 .prj; an empty part
#[test]
fn swapped_and_mislabelled_polygons_are_named_and_empty_parts_dropped() {
    let d = TempDir::new("nl-axes");
    d.write(
        "c.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A","households":10},"geometry":{"type":"Polygon","coordinates":[[[29.50,106.50],[29.50,106.51],[29.51,106.51],[29.51,106.50],[29.50,106.50]]]}}]}"#,
    );
    let p = d.write("p.toml", "[communities]\npath = \"c.geojson\"\n");
    let (code, out, err) = run(&["check", s(&p)]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(format!("{out}{err}").contains("经纬度可能颠倒"), "{out}{err}");
    d.write(
        "c.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A","households":10},"geometry":{"type":"Polygon","coordinates":[[[500000,3270000],[501000,3270000],[501000,3271000],[500000,3270000]]]}}]}"#,
    );
    let (code, out, err) = run(&["check", s(&p), "--lang", "en"]);
    assert_eq!(code, Some(1));
    assert!(format!("{out}{err}").contains("look projected (metres)"), "{out}{err}");
    // a MultiPolygon with one EMPTY part keeps its other part
    d.write(
        "c.csv",
        "code,households,WKT\nA,10,\"MULTIPOLYGON (((500000 3270000, 501000 3270000, 501000 3271000, 500000 3270000)), EMPTY)\"\n",
    );
    let p = d.write("p.toml", "[communities]\npath = \"c.csv\"\ncrs = \"EPSG:4545\"\n");
    let (code, out, err) = run(&["check", s(&p), "--lang", "en"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("empty parts dropped"), "{out}");
    // a WKT that does not parse is named as such, not as an empty geometry
    d.write(
        "c.csv",
        "code,households,WKT\nA,10,\"POLYGON ((500000 3270000, 501000 3270000, 501000 3271000\"\nB,10,\"POLYGON ((500000 3270000, 501000 3270000, 501000 3271000, 500000 3270000))\"\n",
    );
    let (code, out, err) = run(&["check", s(&p), "--lang", "en"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("WKT column WKT does not parse as a geometry") && out.contains("— features A"), "{out}");
}

// 19. an output folder that cannot be made: the error names --out, not the hidden lock
#[test]
fn an_unwritable_parent_names_the_output_not_the_lock() {
    let d = TempDir::new("nl-ro");
    let project = handworked(&d);
    // a parent that is a file: no one (root neither) can make a folder in it
    d.write("file", "x");
    let (code, _, err) = run(&["analyze", s(&project), "--out", s(&d.path().join("file/out")), "--no-maps"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("file") && !err.contains("lantu-lock") && !err.contains("partial"), "{err}");
}
