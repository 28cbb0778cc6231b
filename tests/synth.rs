//! `lantu synth`: the same seed gives the same bytes, and the city passes `lantu check`
//! and `lantu analyze`.

use crate::common;
use common::*;

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn same_seed_same_bytes_and_the_city_analyses() {
    let dir = TempDir::new("synth");
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    for (out, seed) in [(&a, "7"), (&b, "7"), (&c, "8")] {
        let o = lantu(&["synth", "--communities", "40", "--seed", seed, "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    }
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert_eq!(
        fa.iter().map(|f| &f.0).collect::<Vec<_>>(),
        [
            "buildings.gpkg",
            "candidates_gcj02.csv",
            "communities.gpkg",
            "dem.tif",
            "facilities_gcj02.csv",
            "project.toml",
            "walkways.gpkg"
        ]
    );
    for (x, y) in fa.iter().zip(&fb) {
        assert!(x.1 == y.1, "{} differs between two runs with the same seed", x.0);
    }
    assert!(fa.iter().zip(&fc).any(|(x, y)| x.1 != y.1), "another seed gives another city");

    let project = a.join("project.toml");
    let o = lantu(&["check", project.to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(out.contains("metric CRS: EPSG:4545"), "{out}");
    assert!(out.contains("GCJ-02"), "{out}");
    assert!(out.contains("stairways") || out.contains("steps"), "{out}");
    let result = dir.path().join("result");
    let o =
        lantu(&["analyze", project.to_str().unwrap(), "--out", result.to_str().unwrap(), "--no-maps", "--sites", "5"]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    let csv = std::fs::read_to_string(result.join("tables/communities.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 40);
    // real names and codes of Chongqing's central districts
    assert!(csv.contains(",5001"), "official codes: {}", &csv[..400.min(csv.len())]);
    assert!(result.join("tables/sites.csv").exists());
}
