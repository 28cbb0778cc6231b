//! Planned projects, pilot communities, the 申报方案 figures and `lantu compare` on the
//! hand-worked case: every figure checked here is worked on paper in
//! tests/fixtures/handworked/README.md ("Plans and pilots").

use crate::common;
use common::*;

use crate::common::csv_rows_by as table;

fn run_ok(args: &[&str]) -> (String, String) {
    let o = lantu(args);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "lantu {args:?}\n{out}\n{err}");
    (out, err)
}

fn analyze(dir: &TempDir, name: &str, project: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = dir.path().join(name);
    let project = fixture(project);
    let mut args = vec!["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--sites", "0"];
    args.extend_from_slice(extra);
    run_ok(&args);
    out
}

#[track_caller]
fn close(got: &str, want: f64) {
    let v: f64 = got.parse().unwrap_or_else(|_| panic!("not a number: {got:?}"));
    assert!((v - want).abs() < 0.006, "got {v}, want {want}");
}

/// The hand-worked case with its plan and two pilots, maps at 60 dpi: (output, stdout, stderr).
pub(crate) fn plan_run(dir: &TempDir) -> (std::path::PathBuf, String, String) {
    let plan = fixture("handworked/plan.csv");
    let out = dir.path().join("out");
    let project = fixture("handworked/project_sites.toml");
    let (stdout, stderr) = run_ok(&[
        "analyze",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--sites",
        "0",
        "--dpi",
        "60",
        "--plan",
        plan.to_str().unwrap(),
        "--plan-crs",
        "EPSG:4545",
        "--pilots",
        "2",
    ]);
    (out, stdout, stderr)
}

#[test]
fn a_small_plan_by_hand() {
    let dir = TempDir::new("plan-by-hand");
    let plan = fixture("handworked/plan.csv");
    let (out, stdout, stderr) = plan_run(&dir);
    // P5 has no location: skipped, named by file and row; P3 helps nobody; P4 does not fit S3
    assert!(stderr.contains("plan.csv 第 5 行：没有位置"), "{stderr}");
    assert!(stderr.contains("规划项目 P3（甲社区健身点）不改善任何社区"), "{stderr}");
    assert!(stderr.contains("规划项目 P4（丙社区托育点）的面积 200 m² 超过闲置资源 S3可用的 150 m²"), "{stderr}");
    assert!(stdout.contains("plan.csv: 4"), "{stdout}");

    let p = table(&out.join("tables/projects.csv"), "source_id");
    assert_eq!(p.len(), 4);
    let p1 = &p["P1"];
    assert_eq!(p1["community_code"], "D");
    for k in ["elderly_care", "infant_care", "canteen"] {
        close(&p1[&format!("new_{k}_hh")], 300.0);
    }
    close(&p1["new_households"], 900.0);
    assert_eq!(p1["functions_added"], "elderly_care;infant_care;canteen");
    close(&p1["area_gap_filled_m2"], 90.0);
    close(&p1["cost_yuan"], 650.0 * 1500.0); // 存量转型 at the assumed renovation unit cost
    assert_eq!(p1["cost_assumed"], "1");
    let p2 = &p["P2"];
    close(&p2["new_elderly_care_hh"], 500.0);
    close(&p2["area_gap_filled_m2"], 233.33);
    close(&p2["cost_yuan"], 1_200_000.0); // 120 万元 given
    assert_eq!(p2["cost_assumed"], "0");
    close(&p["P3"]["new_households"], 0.0);
    assert!(p["P3"]["warnings"].contains("不改善任何社区"));
    close(&p["P3"]["cost_yuan"], 100.0 * 4000.0);
    close(&p["P4"]["new_infant_care_hh"], 400.0);
    assert!(p["P4"]["warnings"].contains("150 m²"));

    let ba = table(&out.join("tables/plan_before_after.csv"), "code");
    let (a, b, c, d) = (&ba["A"], &ba["B"], &ba["C"], &ba["D"]);
    close(&a["before_facility_area_m2"], 750.0);
    close(&a["after1_facility_area_m2"], 850.0);
    assert_eq!(a["before_config_ok"], a["after1_config_ok"]);
    close(&b["before_area_gap_m2"], 233.33);
    close(&b["after1_area_gap_m2"], 0.0);
    assert_eq!((b["before_config_ok"].as_str(), b["after1_config_ok"].as_str()), ("0", "1"));
    close(&b["after1_uncovered_households"], 0.0);
    close(&b["after1_coverage_elderly_care"], 1.0);
    close(&c["after1_coverage_infant_care"], 1.0);
    assert_eq!(c["after1_config_ok"], "1");
    close(&d["after1_area_gap_m2"], 0.0);
    close(&d["after1_largest_complex_m2"], 650.0);
    assert_eq!(d["after1_functions"], "elderly_care;infant_care;canteen");
    close(&d["after1_uncovered_households"], 0.0);
    let (s1, s2) = (&ba["S1"], &ba["S2"]);
    close(&s1["after1_area_gap_m2"], 0.0);
    close(&s1["after1_coverage_elderly_care"], 1100.0 / 1500.0);
    close(&s1["after1_uncovered_households"], 400.0);
    assert_eq!(s2["after1_config_ok"], "2");
    close(&s2["after1_coverage_canteen"], 300.0 / 700.0);
    close(&s2["after1_facility_area_m2"], 1043.33);

    // the projects in the GeoPackage, the XLSX and on the maps
    let layers =
        std::process::Command::new("ogrinfo").args(["-q", "-so"]).arg(out.join("blueprint.gpkg")).output().unwrap();
    assert!(String::from_utf8_lossy(&layers.stdout).contains("planned_projects (Point)"));
    use calamine::{open_workbook, Reader, Xlsx};
    let wb: Xlsx<_> = open_workbook(out.join("report.xlsx")).unwrap();
    assert!(wb.sheet_names().iter().any(|n| n == "规划项目") && wb.sheet_names().iter().any(|n| n == "规划前后"));
    assert!(check_maps(&out.join("maps"), 60) >= 10);
    let layers = String::from_utf8_lossy(&layers.stdout).to_string();
    assert!(layers.contains("pilots (Multi Polygon)"), "{layers}");

    // the same plan as a GeoPackage that declares its CRS (no --plan-crs), made by ogr2ogr
    let gpkg = dir.path().join("plan.gpkg");
    let o = std::process::Command::new("ogr2ogr")
        .args(["-f", "GPKG", "-a_srs", "EPSG:4545", "-oo", "GEOM_POSSIBLE_NAMES=WKT", "-oo", "KEEP_GEOM_COLUMNS=NO"])
        .arg(&gpkg)
        .arg(&plan)
        .output()
        .expect("ogr2ogr (gdal-bin) runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let again =
        analyze(&dir, "gpkg", "handworked/project_sites.toml", &["--no-maps", "--plan", gpkg.to_str().unwrap()]);
    let q = table(&again.join("tables/projects.csv"), "source_id");
    for (id, row) in &p {
        for col in ["community_code", "new_households", "functions_added", "area_gap_filled_m2", "cost_yuan"] {
            assert_eq!(q[id][col], row[col], "{id} {col}");
        }
    }
}

#[test]
fn two_plans_give_one_column_set_each() {
    let dir = TempDir::new("plans-two");
    let (a, b) = (fixture("handworked/plan.csv"), fixture("handworked/plan_b.csv"));
    let out = analyze(
        &dir,
        "out",
        "handworked/project_sites.toml",
        &["--no-maps", "--plan", a.to_str().unwrap(), "--plan", b.to_str().unwrap(), "--plan-crs", "EPSG:4545"],
    );
    let ba = table(&out.join("tables/plan_before_after.csv"), "code");
    // plan B builds only P2: B's gap is closed, D's is not
    close(&ba["B"]["after2_area_gap_m2"], 0.0);
    close(&ba["D"]["after2_area_gap_m2"], 90.0);
    close(&ba["D"]["after1_area_gap_m2"], 0.0);
    let p = std::fs::read_to_string(out.join("tables/projects.csv")).unwrap();
    assert_eq!(p.lines().filter(|l| l.starts_with("2,plan_b,")).count(), 1, "{p}");
}

#[test]
fn pilots_and_their_application_figures_by_hand() {
    let dir = TempDir::new("pilots-by-hand");
    let out = analyze(
        &dir,
        "out",
        "handworked/project_sites.toml",
        &["--pilots", "3", "--pilots-per-street", "1", "--dpi", "60"],
    );
    let pilots = table(&out.join("tables/pilots.csv"), "community_code");
    // D (S2) and B (S1) fill both streets' quota: A and C are skipped
    assert_eq!(pilots.keys().collect::<Vec<_>>(), ["B", "D"]);
    let (d, b) = (&pilots["D"], &pilots["B"]);
    assert_eq!((d["pilot_rank"].as_str(), b["pilot_rank"].as_str()), ("1", "2"));
    close(&d["feasibility"], 0.59);
    close(&d["pilot_score"], 0.836);
    close(&b["feasibility"], 0.15);
    close(&b["pilot_score"], 0.47);
    assert_eq!((d["by_2025"].as_str(), b["by_2025"].as_str()), ("1", "1"));
    assert_eq!((d["site_id"].as_str(), b["site_id"].as_str()), ("S1", "S2"));

    let app = table(&out.join("tables/application.csv"), "community_code");
    let (d, b) = (&app["D"], &app["B"]);
    assert_eq!(d["functions_to_add"], "elderly_care;infant_care;child_after_school");
    close(&d["renovation_m2"], 600.0);
    close(&d["complex_area_after_m2"], 600.0);
    close(&d["investment_yuan"], 900_000.0);
    assert_eq!(d["support_item"], "社区养老服务站");
    close(&d["subsidy_yuan"], 200_000.0);
    close(&d["local_funds_yuan"], 700_000.0);
    assert_eq!(d["config_ok_after"], "1");
    close(&d["coverage_after_elderly_care"], 1.0);
    close(&d["uncovered_households_after"], 0.0);
    close(&b["new_build_m2"], 500.0);
    close(&b["renovation_m2"], 300.0);
    close(&b["complex_area_after_m2"], 800.0);
    close(&b["investment_yuan"], 500.0 * 4000.0 + 300.0 * 1500.0);
    assert_eq!(b["support_item"], "街道养老服务中心");
    close(&b["subsidy_yuan"], 2_000_000.0);
    close(&b["local_funds_yuan"], 450_000.0);
    // the sums against the policy amounts: one street centre (200 万) and one community
    // station (20 万); investment = support + local funds
    let sum = |col: &str| app.values().map(|r| r[col].parse::<f64>().unwrap()).sum::<f64>();
    assert_eq!(sum("subsidy_yuan"), 2_000_000.0 + 200_000.0);
    assert_eq!(sum("investment_yuan"), sum("subsidy_yuan") + sum("local_funds_yuan"));
    // unit costs are flagged as assumptions
    assert!(d["investment_basis"].contains("假设单价"));
    // one page per pilot, and the overview
    for f in ["pilot_D.png", "pilot_B.png", "pilots.png"] {
        assert!(out.join("maps").join(f).exists(), "{f}");
    }
    assert!(check_maps(&out.join("maps"), 60) >= 3);

    // without quotas the third is A: extend its complex for the least covered core kind
    let out = analyze(&dir, "noquota", "handworked/project_sites.toml", &["--pilots", "3", "--no-maps"]);
    let app = table(&out.join("tables/application.csv"), "community_code");
    let a = &app["A"];
    assert_eq!(a["pilot_rank"], "3");
    close(&a["new_build_m2"], 100.0);
    close(&a["complex_area_after_m2"], 750.0);
    close(&a["subsidy_yuan"], 0.0);
    let pilots = table(&out.join("tables/pilots.csv"), "community_code");
    assert_eq!(pilots["A"]["by_2025"], "0", "ceil(3 × 50 / 100) = 2 start by 2025");

    // codes A–E name no district: a district quota is refused, saying why, and nothing is written
    let project = fixture("handworked/project_sites.toml");
    let refused = dir.path().join("refused");
    let o = lantu(&[
        "analyze",
        project.to_str().unwrap(),
        "--out",
        refused.to_str().unwrap(),
        "--pilots",
        "2",
        "--pilots-per-district",
        "1",
    ]);
    let err = texts(&o).1;
    assert_ne!(o.status.code(), Some(0));
    assert!(err.contains("无法得知区县") && err.contains("--pilots-per-street"), "{err}");
    assert!(!refused.exists());
}

#[test]
fn compare_agrees_with_plan_before_after() {
    let dir = TempDir::new("compare-plan");
    let plan = fixture("handworked/plan.csv");
    let old = analyze(
        &dir,
        "old",
        "handworked/project_sites.toml",
        &["--no-maps", "--plan", plan.to_str().unwrap(), "--plan-crs", "EPSG:4545"],
    );
    // a year later the plan's projects are facilities
    let new = analyze(&dir, "new", "handworked/project_planned.toml", &["--no-maps"]);
    let cmp = dir.path().join("cmp");
    let (stdout, _) = run_ok(&[
        "compare",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--out",
        cmp.to_str().unwrap(),
        "--dpi",
        "60",
    ]);
    assert!(stdout.contains("比较了 5 个社区"), "{stdout}");
    let ba = table(&old.join("tables/plan_before_after.csv"), "code");
    let change = table(&cmp.join("tables/change.csv"), "community_code");
    let streets = table(&cmp.join("tables/change_streets.csv"), "street_code");
    let kinds: Vec<String> =
        change["A"].keys().filter_map(|k| k.strip_prefix("coverage_new_")).map(String::from).collect();
    assert_eq!(kinds.len(), 9);
    for (code, row) in change.iter().chain(streets.iter()) {
        let ba = &ba[code];
        assert_eq!(row["area_gap_new_m2"], ba["after1_area_gap_m2"], "{code}");
        assert_eq!(row["area_gap_old_m2"], ba["before_area_gap_m2"], "{code}");
        assert_eq!(row["config_ok_new"], ba["after1_config_ok"], "{code}");
        assert_eq!(row["uncovered_households_new"], ba["after1_uncovered_households"], "{code}");
        for k in &kinds {
            assert_eq!(row[&format!("coverage_new_{k}")], ba[&format!("after1_coverage_{k}")], "{code} {k}");
        }
    }
    assert_eq!(change["D"]["functions_added"], "canteen;elderly_care;infant_care");
    close(&change["B"]["area_gap_closed_m2"], 233.33);
    let fac = std::fs::read_to_string(cmp.join("tables/facility_changes.csv")).unwrap();
    assert_eq!(fac.lines().filter(|l| l.starts_with("opened,")).count(), 4, "{fac}");
    assert!(cmp.join("change.xlsx").exists());
    assert!(check_maps(&cmp.join("maps"), 60) == 2, "one change map per street");

    // a blueprint made with other rules, or of another area, is refused with what differs
    let p = dir.write("stricter.toml", "[area]\nper_100_households_m2 = 40.0\n");
    let other = dir.path().join("other");
    let project = fixture("handworked/project_planned.toml");
    run_ok(&[
        "--profile",
        p.to_str().unwrap(),
        "analyze",
        project.to_str().unwrap(),
        "--out",
        other.to_str().unwrap(),
        "--no-maps",
    ]);
    let o = lantu(&[
        "compare",
        old.to_str().unwrap(),
        other.to_str().unwrap(),
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    let err = texts(&o).1;
    assert_ne!(o.status.code(), Some(0));
    assert!(err.contains("规则配置不同") && err.contains("area.per_100_households_m2: 30.0 → 40.0"), "{err}");
    assert!(!dir.path().join("x").exists(), "no half-written output");
    // without 戊社区 (E): another area
    let communities = std::fs::read_to_string(fixture("handworked/communities.csv")).unwrap();
    let fewer: String = communities.lines().filter(|l| !l.starts_with("E,")).map(|l| format!("{l}\n")).collect();
    let c = dir.write("communities.csv", &fewer);
    let f = |n: &str| fixture(&format!("handworked/{n}")).display().to_string();
    let project = dir.write(
        "fewer.toml",
        &format!(
            "metric_crs = \"EPSG:4545\"\n[communities]\npath = {:?}\ncrs = \"EPSG:4545\"\n[buildings]\npath = {:?}\ncrs = \"EPSG:4545\"\n[facilities]\npath = {:?}\ncrs = \"EPSG:4545\"\n",
            c.display().to_string(),
            f("buildings.csv"),
            f("facilities.csv")
        ),
    );
    let fewer_out = dir.path().join("fewer");
    run_ok(&["analyze", project.to_str().unwrap(), "--out", fewer_out.to_str().unwrap(), "--no-maps"]);
    let o = lantu(&[
        "compare",
        old.to_str().unwrap(),
        fewer_out.to_str().unwrap(),
        "--out",
        dir.path().join("y").to_str().unwrap(),
    ]);
    let err = texts(&o).1;
    assert_ne!(o.status.code(), Some(0));
    assert!(err.contains("范围不同") && err.contains("（E）"), "{err}");
}
