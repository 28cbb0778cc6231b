//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod outputs;
pub mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// A file of the embedded Monaco example, `data/examples/monaco/<rel>`.
pub fn monaco(rel: &str) -> PathBuf {
    let p = root().join("data/examples/monaco").join(rel);
    assert!(p.exists(), "{} is missing from the repository", p.display());
    p
}

/// A file of `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Runs the `lantu` binary.
pub fn lantu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantu")).args(args).output().expect("lantu runs")
}

/// A CSV of lantu's as rows of column → value, keyed by `key` (the byte-order mark dropped).
pub fn csv_rows_by(
    path: &Path,
    key: &str,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> =
        r.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    r.records()
        .map(|rec| {
            let row: std::collections::BTreeMap<String, String> =
                header.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect();
            (row[key].clone(), row)
        })
        .collect()
}

/// stdout and stderr as text.
pub fn texts(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// A fresh temporary folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("lantu-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The RFC 7946 checks on every `*.geojson` in `dir`: parsed by the `geojson` crate, a
/// FeatureCollection, no `crs` member, longitude/latitude in range, rings closed with
/// exteriors counter-clockwise and holes clockwise (the right-hand rule). Returns the
/// number of files and features checked.
pub fn check_geojson_dir(dir: &Path) -> (usize, usize) {
    use geojson::{GeoJson, GeometryValue as G};
    let mut files = 0;
    let mut features = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "geojson"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no GeoJSON in {}", dir.display());
    for path in entries {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let raw: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(raw.get("crs").is_none(), "{name}: RFC 7946 has no crs member");
        let fc = match text.parse::<GeoJson>().unwrap_or_else(|e| panic!("{name}: {e}")) {
            GeoJson::FeatureCollection(fc) => fc,
            _ => panic!("{name}: not a FeatureCollection"),
        };
        fn position(name: &str, p: &geojson::Position) {
            let p = p.as_slice();
            assert!(p.len() == 2 || p.len() == 3, "{name}: position {p:?}");
            assert!((-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1]), "{name}: {p:?} out of range");
        }
        fn ring(name: &str, r: &[geojson::Position], exterior: bool) {
            assert!(r.len() >= 4, "{name}: a ring of {} positions", r.len());
            assert_eq!(r.first(), r.last(), "{name}: ring not closed");
            r.iter().for_each(|p| position(name, p));
            let twice_area: f64 = r.windows(2).map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1]).sum();
            if exterior {
                assert!(twice_area > 0.0, "{name}: exterior ring is not counter-clockwise");
            } else {
                assert!(twice_area < 0.0, "{name}: hole is not clockwise");
            }
        }
        fn polygon(name: &str, rings: &[Vec<geojson::Position>]) {
            for (i, r) in rings.iter().enumerate() {
                ring(name, r, i == 0);
            }
        }
        fn geometry(name: &str, g: &G) {
            match g {
                G::Point { coordinates } => position(name, coordinates),
                G::MultiPoint { coordinates } | G::LineString { coordinates } => {
                    coordinates.iter().for_each(|p| position(name, p))
                }
                G::MultiLineString { coordinates } => coordinates.iter().flatten().for_each(|p| position(name, p)),
                G::Polygon { coordinates } => polygon(name, coordinates),
                G::MultiPolygon { coordinates } => coordinates.iter().for_each(|p| polygon(name, p)),
                G::GeometryCollection { geometries } => geometries.iter().for_each(|g| geometry(name, &g.value)),
            }
        }
        for f in &fc.features {
            if let Some(g) = &f.geometry {
                geometry(&name, &g.value);
            }
        }
        files += 1;
        features += fc.features.len();
    }
    (files, features)
}

/// Reads `report.xlsx` back with an independent reader (calamine): the sheet names, the
/// Chinese headers of the 社区 sheet, and every community's area gap against communities.csv.
pub fn check_report_xlsx(out: &Path) {
    use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
    let path = out.join("report.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let names = wb.sheet_names().to_vec();
    for s in ["社区", "街道", "设施", "说明"] {
        assert!(names.iter().any(|n| n == s), "sheet {s} missing from {names:?}");
    }
    let sheet = wb.worksheet_range("社区").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let at = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("no header {h} in {header:?}"));
    let (code_x, gap_x) = (at("社区代码"), at("面积缺口（㎡）"));
    at("户数（户）");
    let csv = std::fs::read_to_string(out.join("tables/communities.csv")).unwrap();
    let mut lines = csv.lines();
    let cols: Vec<&str> = lines.next().unwrap().trim_start_matches('\u{feff}').split(',').collect();
    let (code_c, gap_c) = (
        cols.iter().position(|c| *c == "community_code").unwrap(),
        cols.iter().position(|c| *c == "area_gap_m2").unwrap(),
    );
    let from_csv: std::collections::BTreeMap<String, f64> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[code_c].to_string(), r[gap_c].parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len() - 1, from_csv.len(), "one XLSX row per community");
    for r in &rows[1..] {
        let code = r[code_x].to_string();
        let gap = r[gap_x].as_f64().unwrap_or_else(|| panic!("area gap of {code} is not a number: {:?}", r[gap_x]));
        let want = from_csv[&code];
        assert!((gap - want).abs() < 0.05, "{code}: XLSX gap {gap}, CSV {want}");
    }
}

/// Every PNG in `dir` decodes, is an A4 landscape page at `dpi`, and is not blank (at least
/// 2 % of sampled pixels not white, and at least 8 distinct colours). Returns how many.
pub fn check_maps(dir: &Path, dpi: u32) -> usize {
    let (w, h) = ((297.0 / 25.4 * dpi as f64).round() as u32, (210.0 / 25.4 * dpi as f64).round() as u32);
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "png") {
            continue;
        }
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&p).unwrap()));
        let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (w, h), "{}: not A4 landscape at {dpi} dpi", p.display());
        let channels = info.color_type.samples();
        let mut coloured = 0usize;
        let mut samples = 0usize;
        let mut colours = std::collections::HashSet::new();
        for y in (0..info.height as usize).step_by(7) {
            for x in (0..info.width as usize).step_by(7) {
                let i = y * info.line_size + x * channels;
                let px = &buf[i..i + channels.min(3)];
                samples += 1;
                if px.iter().any(|&c| c < 245) {
                    coloured += 1;
                }
                colours.insert(px.to_vec());
            }
        }
        assert!(coloured * 50 >= samples, "{}: (almost) blank, {coloured} of {samples} samples", p.display());
        assert!(colours.len() >= 8, "{}: only {} colours", p.display(), colours.len());
        n += 1;
    }
    n
}

/// Opens and renders the blueprint in real QGIS through `tests/qgis/check_blueprint.py`.
/// Fails, saying what to install, when QGIS is not there: this check never passes by skipping.
pub fn check_in_qgis(out: &Path) -> String {
    tools::need(&[tools::Tool::Qgis]);
    let png = out.join("qgis-render.png");
    let stdout = qgis_python("check_blueprint.py", &[out.to_str().unwrap(), png.to_str().unwrap()]);
    assert!(png.exists(), "QGIS wrote no image");
    stdout
}

/// Runs `tests/qgis/SCRIPT ARGS…` with Debian's Python and QGIS, headless; fails with its
/// output unless it succeeds; returns what it printed.
pub fn qgis_python(script: &str, args: &[&str]) -> String {
    let o = Command::new("/usr/bin/python3")
        .arg(root().join("tests/qgis").join(script))
        .args(args)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .output()
        .expect("python3 runs");
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "{script} in QGIS failed:\n{stdout}\n{stderr}");
    stdout
}
