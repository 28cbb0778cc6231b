//! Many areas in one go: a synthetic province (`lantu synth --cities 3`) split by district,
//! run through the Dask driver under `batch/` on a LocalCluster of two workers — one area's
//! `lantu` killed mid-run and retried, a second run skipping every finished area — and
//! merged; every area's tables as in its own run, every community's coverage as in the run
//! of the whole province.

use crate::common::tools::{batch_python, need, Tool};
use crate::common::{csv_rows_by as rows_by, lantu, root, texts, TempDir};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The options every area's run gets, in the batch and on its own.
const ANALYZE_ARGS: [&str; 5] = ["--no-maps", "--pilots", "3", "--sites", "0"];

fn run_ok(args: &[&str]) -> String {
    let o = lantu(args);
    let (out, err) = texts(&o);
    assert!(o.status.success(), "lantu {args:?} failed:\n{out}\n{err}");
    out
}

/// The `batch.csv` areas: (code, folder).
fn areas(split: &Path) -> Vec<(String, String)> {
    rows_by(&split.join("batch.csv"), "area").into_values().map(|r| (r["area"].clone(), r["folder"].clone())).collect()
}

/// The pid and command line of a running `lantu analyze` of one of `projects`.
fn running_analysis(projects: &[PathBuf]) -> Option<(i32, String)> {
    for e in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else { continue };
        let Ok(cmd) = std::fs::read(e.path().join("cmdline")) else { continue };
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if cmd.contains(" analyze ") && projects.iter().any(|p| cmd.contains(&p.display().to_string())) {
            return Some((pid, cmd));
        }
    }
    None
}

fn driver(split: &Path, runs: &Path, lang: &str) -> Command {
    let mut c = Command::new(batch_python());
    c.current_dir(root().join("batch")).args([
        "-m",
        "lantu_batch",
        "run",
        &split.join("batch.csv").display().to_string(),
        "--out",
        &runs.display().to_string(),
        "--workers",
        "2",
        "--memory-mib",
        "4000",
        "--lantu",
        env!("CARGO_BIN_EXE_lantu"),
        "--analyze-args",
        &ANALYZE_ARGS.join(" "),
        "--lang",
        lang,
    ]);
    c
}

#[test]
fn a_synthetic_province_split_run_on_dask_with_a_killed_task_and_merged_keeps_every_figure() {
    need(&[Tool::DaskBatch]);
    let tmp = TempDir::new("batch");
    let (province, split, runs) = (tmp.path().join("province"), tmp.path().join("split"), tmp.path().join("runs"));
    let s = |p: &Path| p.display().to_string();
    run_ok(&["synth", "--communities", "30", "--seed", "3", "--cities", "3", "--out", &s(&province)]);
    let said = run_ok(&["batch", "split", &s(&province.join("project.toml")), "--out", &s(&split)]);
    assert!(said.contains("已拆分为 6 个区域（设施保留区外 1000 米，步行道 1200 米）"), "{said}");
    let areas = areas(&split);
    let codes: Vec<&str> = areas.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(codes, ["500103", "500104", "500106", "500107", "500109", "500112"]);
    // by any field of the communities: here their street, each area its street's communities
    let by_street = tmp.path().join("by-street");
    run_ok(&["batch", "split", &s(&province.join("project.toml")), "--out", &s(&by_street), "--by", "街道代码"]);
    let streets = rows_by(&by_street.join("batch.csv"), "area");
    assert_eq!(streets.len(), 6, "{streets:?}");
    assert!(streets.values().all(|r| r["communities"] == "15" && r["memory_mib"].parse::<u32>().unwrap() > 250));
    let o = lantu(&[
        "--lang",
        "en",
        "batch",
        "split",
        &s(&province.join("project.toml")),
        "--out",
        &s(&tmp.path().join("x")),
        "--by",
        "区号",
    ]);
    let (_, err) = texts(&o);
    assert!(!o.status.success() && err.contains("communities.gpkg: the communities have no field \"区号\" to split by (fields: 社区代码, 社区名称, 街道代码"), "{err}");
    assert!(!tmp.path().join("x").exists(), "a failed split leaves no folder");

    // the batch, with one lantu killed as soon as one is seen running
    let projects: Vec<PathBuf> = areas.iter().map(|a| split.join(&a.1).join("project.toml")).collect();
    let child =
        driver(&split, &runs, "zh").stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("driver starts");
    let started = Instant::now();
    let killed = loop {
        assert!(started.elapsed() < Duration::from_secs(300), "no lantu analyze seen running");
        if let Some((pid, cmd)) = running_analysis(&projects) {
            let status = Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
            if status.success() {
                break cmd;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "driver failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("完成 6，跳过 0，失败 0"), "{stdout}");
    let killed_area = areas.iter().find(|a| killed.contains(&format!("/{}/project.toml", a.1))).unwrap().0.clone();
    let record = rows_by(&runs.join("runs.csv"), "area");
    assert_eq!(record[&killed_area]["attempts"], "2", "the killed area ran again: {record:?}");
    assert!(record.values().all(|r| r["status"] == "done"), "{record:?}");
    // progress came through from the --progress json lines
    assert!(stdout.contains(&format!("  {killed_area}: 步行覆盖与缺口 (")), "{stdout}");

    // a second run skips every finished area
    let again = driver(&split, &runs, "en").output().unwrap();
    let (stdout2, stderr2) = texts(&again);
    assert!(again.status.success() && stdout2.contains("0 done, 6 skipped, 0 failed"), "{stdout2}\n{stderr2}");
    // … but not one whose input changed
    let facilities = split.join(&areas[1].1).join("facilities.csv");
    let text = std::fs::read_to_string(&facilities).unwrap();
    std::fs::write(&facilities, text.lines().take(text.lines().count() - 1).collect::<Vec<_>>().join("\n") + "\n")
        .unwrap();
    let third = driver(&split, &runs, "en").output().unwrap();
    let (stdout3, _) = texts(&third);
    assert!(stdout3.contains("1 done, 5 skipped, 0 failed"), "{stdout3}");
    assert!(stdout3.contains(&format!("queued {} ", areas[1].0)) && stdout3.contains("changed"), "{stdout3}");
    // splitting the same inputs again gives the same bytes: only the area whose copy was
    // edited (now written afresh) runs again
    run_ok(&["batch", "split", &s(&province.join("project.toml")), "--out", &s(&split), "--force"]);
    let fourth = driver(&split, &runs, "en").output().unwrap();
    let (stdout4, _) = texts(&fourth);
    assert!(stdout4.contains("1 done, 5 skipped, 0 failed"), "{stdout4}");

    // an area run in the batch writes the tables its own run writes, byte for byte
    let mut checked: Vec<&(String, String)> = vec![areas.iter().find(|a| a.0 == killed_area).unwrap()];
    checked.extend(areas.iter().find(|a| a.0 != killed_area));
    for (code, folder) in checked {
        let own = tmp.path().join(format!("own-{code}"));
        let project = split.join(folder).join("project.toml");
        let mut args = vec!["analyze".to_string(), s(&project), "--out".into(), s(&own)];
        args.extend(ANALYZE_ARGS.iter().map(|a| a.to_string()));
        run_ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        for table in ["communities.csv", "streets.csv", "facilities.csv", "pilots.csv"] {
            let (a, b) = (runs.join(folder).join("tables").join(table), own.join("tables").join(table));
            assert_eq!(
                std::fs::read(&a).unwrap(),
                std::fs::read(&b).unwrap(),
                "{code}: {table} differs from its own run"
            );
        }
    }

    // every community's coverage as in the run of the whole province — the border at work
    let whole = tmp.path().join("whole");
    run_ok(&["analyze", &s(&province.join("project.toml")), "--out", &s(&whole), "--no-maps", "--sites", "0"]);
    let whole_rows = rows_by(&whole.join("tables/communities.csv"), "community_code");
    let coverage_columns: Vec<&String> = whole_rows
        .values()
        .next()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("coverage_") || k.starts_with("people_in_reach_"))
        .collect();
    assert!(coverage_columns.len() >= 36, "{coverage_columns:?}");
    let mut compared = 0;
    for (code, folder) in &areas {
        for (community, row) in rows_by(&runs.join(folder).join("tables/communities.csv"), "community_code") {
            for c in &coverage_columns {
                assert_eq!(row[*c], whole_rows[&community][*c], "{code} {community} {c}");
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 90);
    // without the border the edge communities lose what lies across their district's boundary
    let bare = tmp.path().join("bare");
    run_ok(&["batch", "split", &s(&province.join("project.toml")), "--out", &s(&bare), "--border", "0"]);
    let bare_out = tmp.path().join("bare-out");
    let bare_project = bare.join(&areas[0].1).join("project.toml");
    run_ok(&["analyze", &s(&bare_project), "--out", &s(&bare_out), "--no-maps", "--sites", "0"]);
    let differs = rows_by(&bare_out.join("tables/communities.csv"), "community_code")
        .iter()
        .filter(|(community, row)| coverage_columns.iter().any(|c| row[*c] != whole_rows[*community][*c]))
        .count();
    assert!(differs > 0, "a split without a border should lose coverage at the district's edge");

    // merged: every area's rows cell for cell after the area's code and name
    let summary = tmp.path().join("summary");
    let said =
        run_ok(&["batch", "merge", &s(&runs), "--out", &s(&summary), "--pilots", "4", "--pilots-per-district", "1"]);
    assert!(said.contains("已汇总 6 个区域、90 个社区"), "{said}");
    for table in ["communities.csv", "streets.csv"] {
        let merged = std::fs::read_to_string(summary.join("tables").join(table)).unwrap();
        let mut expected = String::new();
        for (code, folder) in &areas {
            let own = std::fs::read_to_string(runs.join(folder).join("tables").join(table)).unwrap();
            let name = rows_by(&split.join("batch.csv"), "area")[code]["name"].clone();
            for line in own.trim_start_matches('\u{feff}').lines().skip(1) {
                expected.push_str(&format!("{code},{name},{line}\n"));
            }
        }
        let body: String = merged.lines().skip(1).map(|l| format!("{l}\n")).collect();
        assert_eq!(body, expected, "{table}");
    }
    let districts = rows_by(&summary.join("tables/districts.csv"), "district_code");
    assert_eq!(districts.keys().map(String::as_str).collect::<Vec<_>>(), codes);
    assert_eq!(districts["500103"]["district_name"], "渝中区");
    let pilots = std::fs::read_to_string(summary.join("tables/pilots.csv")).unwrap();
    let ranked = rows_by(&summary.join("tables/pilots.csv"), "rank");
    assert_eq!(ranked.len(), 4, "{pilots}");
    let per_district: std::collections::BTreeSet<&String> = ranked.values().map(|r| &r["district_code"]).collect();
    assert_eq!(per_district.len(), 4, "one pilot per district: {pilots}");
    let scores: Vec<f64> = (1..=4).map(|i| ranked[&i.to_string()]["pilot_score"].parse().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // the first is the best of every area's own first
    let best = areas
        .iter()
        .map(|a| {
            rows_by(&runs.join(&a.1).join("tables/pilots.csv"), "pilot_rank")["1"]["pilot_score"]
                .parse::<f64>()
                .unwrap()
        })
        .fold(0.0, f64::max);
    assert_eq!(scores[0], best);
    let page = std::fs::read_to_string(summary.join("index.html")).unwrap();
    for (_, folder) in &areas {
        let link = format!("../runs/{folder}/web/index.html");
        assert!(page.contains(&format!("href=\"{link}\"")), "{page}");
        assert!(summary.join(&link).is_file(), "{link}");
    }
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(summary.join("report.xlsx")).unwrap();
    let names = book.sheet_names();
    for sheet in ["区域", "区县", "街道", "社区", "试点排名"] {
        assert!(names.iter().any(|n| n == sheet), "{names:?}");
    }
    // the summary's own columns are described in the registry like every other
    let areas_sheet = book.worksheet_range("区域").unwrap();
    let head: Vec<String> = areas_sheet.rows().take(2).flatten().map(|c| c.to_string()).collect();
    for label in ["区域代码", "未达标社区数", "未达标社区占比", "试点候选数", "区域网页"] {
        assert!(head.iter().any(|h| h.contains(label)), "{label} not in {head:?}");
    }
    for f in ["report.xlsx", "overview.png", "tables/areas.csv"] {
        assert!(std::fs::metadata(summary.join(f)).unwrap().len() > 500, "{f}");
    }
}

/// The driver's own unit tests (`batch/tests`), in its virtual environment.
#[test]
fn the_batch_drivers_own_tests_pass() {
    need(&[Tool::DaskBatch]);
    let o = Command::new(batch_python())
        .current_dir(root().join("batch"))
        .args(["-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v"])
        .output()
        .unwrap();
    let (out, err) = texts(&o);
    assert!(o.status.success() && err.contains("OK"), "{out}\n{err}");
    assert!(err.contains("Ran 8 tests"), "{err}");
}
