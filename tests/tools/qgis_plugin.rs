//! The QGIS plugin (`qgis/lantu_qgis`) in real QGIS: installed from its ZIP, its Processing
//! algorithms run on the survey and hand-worked fixtures and on a memory layer, Cancel tried
//! on a synthetic city; then the blueprint project's view, render and street atlas
//! (`tests/qgis/test_plugin.py`, `tests/qgis/check_atlas.py`). Needs `qgis` and
//! `python3-qgis`; fails saying so without them.

use crate::common;
use common::*;
use std::path::Path;
use std::process::Command;

fn require_qgis() {
    tools::need(&[tools::Tool::Qgis]);
}

fn qgis_python(script: &str, args: &[&Path]) -> String {
    let runtime = std::env::temp_dir().join(format!("lantu-xdg-{}", std::process::id()));
    std::fs::create_dir_all(&runtime).unwrap();
    let o = Command::new("/usr/bin/python3")
        .arg(root().join("tests/qgis").join(script))
        .args(args)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", &runtime)
        .output()
        .expect("python3 runs");
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    stdout
}

#[test]
fn the_plugin_runs_lantu_from_processing_and_cancel_leaves_nothing() {
    require_qgis();
    let dir = TempDir::new("qgis-plugin");
    let zip = dir.path().join("lantu_qgis.zip");
    let o = Command::new("python3").arg(root().join("qgis/build_zip.py")).arg(&zip).output().unwrap();
    assert!(o.status.success(), "build_zip.py: {:?}", texts(&o));
    // what `lantu analyze` writes for the survey fixture's project file
    let reference = dir.path().join("reference");
    let project = fixture("chongqing/project.toml");
    let o = lantu(&["analyze", project.to_str().unwrap(), "--out", reference.to_str().unwrap(), "--sites", "0"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    let city = dir.path().join("city");
    let o = lantu(&["synth", "--communities", "300", "--seed", "3", "--out", city.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_lantu"));
    let out = qgis_python("test_plugin.py", &[&zip, bin, &work, &reference, &city.join("project.toml")]);
    println!("{out}");
    assert!(out.contains("all plugin checks passed"), "{out}");
}

#[test]
fn the_blueprint_project_opens_on_the_communities_and_prints_a_street_atlas() {
    require_qgis();
    let dir = TempDir::new("qgis-atlas");
    let out = &outputs::demo().out;
    let pages = dir.path().join("pages");
    let report = qgis_python("check_atlas.py", &[out, &pages]);
    println!("{report}");
    assert!(report.contains("all atlas checks passed"), "{report}");
    // the synthetic district has two streets: two pages
    let n = std::fs::read_dir(&pages)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("street_"))
        .count();
    assert_eq!(n, 2, "{report}");
}
