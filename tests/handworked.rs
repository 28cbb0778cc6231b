//! The hand-worked case (tests/fixtures/handworked/README.md): every figure on paper.

mod common;
use common::*;

fn analyze_into(dir: &TempDir, name: &str, extra: &[&str]) -> (String, String, String) {
    let out = dir.path().join(name);
    let project = fixture("handworked/project.toml");
    let mut args = vec!["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = lantu(&args);
    let (stdout, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{err}");
    let read = |f: &str| std::fs::read_to_string(out.join("tables").join(f)).unwrap();
    (read("communities.csv"), read("streets.csv"), stdout)
}

#[test]
fn hand_worked_tables_match_exactly() {
    let dir = TempDir::new("handworked");
    let (communities, streets, stdout) = analyze_into(&dir, "out", &[]);
    let expected = |f: &str| std::fs::read_to_string(fixture(&format!("handworked/{f}"))).unwrap();
    assert_eq!(communities, expected("expected_communities.csv"));
    assert_eq!(streets, expected("expected_streets.csv"));
    // bad input in the case is reported: unknown kind, no floor area, zero households
    assert!(stdout.contains("篮球场 ×1") && stdout.contains("要素 F6"), "{stdout}");
    assert!(stdout.contains("无建筑面积 [字段 建筑面积] — 要素 F7"), "{stdout}");
    assert!(stdout.contains("户数为 0，须大于 0 [字段 户数] — 要素 E"), "{stdout}");
}

#[test]
fn thread_count_does_not_change_a_byte() {
    let dir = TempDir::new("handworked-threads");
    let one = analyze_into(&dir, "one", &["--threads", "1"]);
    let many = analyze_into(&dir, "many", &["--threads", "4"]);
    assert_eq!((one.0, one.1), (many.0, many.1));
}

#[test]
fn english_tables_keep_codes_and_translate_reasons() {
    let dir = TempDir::new("handworked-en");
    let (communities, _, _) = analyze_into(&dir, "en", &["--lang", "en"]);
    assert!(
        communities.contains("too few core (elderly/child) functions: only 1 (infant care), at least 2 needed"),
        "{communities}"
    );
    assert!(communities.contains("infant_care;culture;children_play"));
}

#[test]
fn progress_json_reports_every_stage_of_the_engine() {
    let dir = TempDir::new("handworked-progress");
    let out = dir.path().join("out");
    let project = fixture("handworked/project.toml");
    let o = lantu(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--progress", "json"]);
    let (stdout, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{err}");
    let events: Vec<serde_json::Value> =
        err.lines().filter(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).collect();
    let stages: Vec<(&str, &str)> =
        events.iter().map(|e| (e["stage"].as_str().unwrap(), e["event"].as_str().unwrap())).collect();
    // no walkways: straight-line coverage, sites (none asked), coverage areas
    for stage in ["coverage + gaps", "sites", "coverage areas"] {
        assert!(stages.contains(&(stage, "started")) && stages.contains(&(stage, "finished")), "{stage}: {err}");
    }
    assert!(events.iter().all(|e| e["stage_zh"].is_string()));
    assert!(events.iter().filter(|e| e["event"] == "finished").all(|e| e["seconds"].as_f64().unwrap() >= 0.0));
    // stages counted: each finished line one more done, the last one all of them
    let finished: Vec<&serde_json::Value> = events.iter().filter(|e| e["event"] == "finished").collect();
    let total = finished[0]["total"].as_u64().unwrap();
    assert_eq!(total as usize, finished.len(), "{err}");
    for (i, e) in finished.iter().enumerate() {
        assert_eq!((e["done"].as_u64(), e["total"].as_u64()), (Some(i as u64 + 1), Some(total)), "{err}");
    }
    assert_eq!(events[0]["done"].as_u64(), Some(0));
    // without the option, nothing of it (stderr is no terminal here: no progress line either)
    let quiet = lantu(&["analyze", project.to_str().unwrap(), "--out", dir.path().join("q").to_str().unwrap()]);
    assert!(!texts(&quiet).1.contains("\"stage\"") && !texts(&quiet).1.contains('✓'));
    // a person's progress line: each stage ticked off with its time, in Chinese
    let bar = lantu(&[
        "analyze",
        project.to_str().unwrap(),
        "--out",
        dir.path().join("b").to_str().unwrap(),
        "--progress",
        "bar",
    ]);
    let err = texts(&bar).1;
    for stage in ["✓ 直线覆盖与缺口", "✓ 覆盖范围", "✓ 生成图层", "✓ 交互地图网页"] {
        assert!(err.contains(stage), "{stage}: {err}");
    }
}
