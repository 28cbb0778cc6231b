//! `lantu analyze --osm` and `lantu demo` on Monaco: complete tables, flagged estimates,
//! the same bytes on any thread count.

mod common;
use common::*;

fn run(dir: &TempDir, name: &str, threads: Option<&str>) -> (String, String) {
    let out = dir.path().join(name);
    let pbf = shared("monaco/monaco.osm.pbf");
    let mut args = vec!["analyze", "--osm", pbf.to_str().unwrap(), "--out", out.to_str().unwrap()];
    if let Some(t) = threads {
        args.extend_from_slice(&["--threads", t]);
    }
    let o = lantu(&args);
    let (stdout, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{err}");
    let read = |f: &str| std::fs::read_to_string(out.join("tables").join(f)).unwrap();
    (read("communities.csv"), read("streets.csv"))
}

#[test]
fn monaco_tables_are_complete_flagged_and_deterministic() {
    let dir = TempDir::new("monaco-analyze");
    let (communities, streets) = run(&dir, "default", None);
    let lines: Vec<&str> = communities.lines().collect();
    assert_eq!(lines.len(), 1 + 9, "a row for every ward");
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    for row in &lines[1..] {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells[col("households_estimated")], "1", "{row}");
        assert!(cells[col("households")].parse::<f64>().unwrap() > 0.0, "{row}");
        assert!(!cells[col("coverage_fitness")].is_empty(), "{row}");
        assert!(!cells[col("priority_rank")].is_empty(), "{row}");
    }
    assert_eq!(streets.lines().count(), 2, "Monaco is the one street: {streets}");
    let (c1, s1) = run(&dir, "one-thread", Some("1"));
    assert_eq!(communities, c1);
    assert_eq!(streets, s1);
}
