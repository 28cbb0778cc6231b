//! Bad input: each case gets a clear message naming file, layer, feature and field,
//! the right exit status, and no panic. What the reader found is checked by its kind, feature
//! and field (or the error's variant) through the library; the printed sentence that says it
//! is checked beside, through the command line.

use crate::common;
use common::*;
use lantu_read::{FindingKind, IoError, LayerRole};

/// Reads a project of the given files through the library, as `lantu check` does.
fn read(dir: &TempDir, project: &str) -> Result<lantu_read::Loaded, Box<IoError>> {
    lantu_read::init_gdal();
    let p = dir.write("project.toml", project);
    let project = lantu_read::Project::load(&p)?;
    Ok(lantu_read::load_project(&project, &lantu_core::Profile::builtin())?)
}

/// The error reading a project of the given files gives (it must give one).
fn refused(dir: &TempDir, project: &str) -> IoError {
    match read(dir, project) {
        Ok(_) => panic!("read, but should be refused: {project}"),
        Err(e) => *e,
    }
}

/// The findings about one layer: kind, feature, field.
fn findings(loaded: &lantu_read::Loaded, role: LayerRole) -> Vec<(FindingKind, Option<String>, Option<String>)> {
    let layer = loaded.report.layers.iter().find(|l| l.role == role).expect("the layer was read");
    layer.findings.iter().map(|f| (f.kind, f.feature.clone(), f.field.clone())).collect()
}

/// Whether `found` holds a finding of this kind about this feature and field.
fn has(
    found: &[(FindingKind, Option<String>, Option<String>)],
    kind: FindingKind,
    feature: &str,
    field: Option<&str>,
) -> bool {
    found.iter().any(|(k, f, d)| *k == kind && f.as_deref() == Some(feature) && d.as_deref() == field)
}

/// A GeoJSON FeatureCollection from (properties JSON, geometry JSON) pairs.
fn geojson(features: &[(&str, &str)]) -> String {
    let f: Vec<String> = features
        .iter()
        .map(|(props, geom)| format!(r#"{{"type":"Feature","properties":{props},"geometry":{geom}}}"#))
        .collect();
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, f.join(","))
}

const SQ0: &str =
    r#"{"type":"Polygon","coordinates":[[[7.40,43.72],[7.41,43.72],[7.41,43.73],[7.40,43.73],[7.40,43.72]]]}"#;
const SQ1: &str =
    r#"{"type":"Polygon","coordinates":[[[7.41,43.72],[7.42,43.72],[7.42,43.73],[7.41,43.73],[7.41,43.72]]]}"#;
const SQ2: &str =
    r#"{"type":"Polygon","coordinates":[[[7.42,43.72],[7.43,43.72],[7.43,43.73],[7.42,43.73],[7.42,43.72]]]}"#;
const BOWTIE: &str =
    r#"{"type":"Polygon","coordinates":[[[7.43,43.72],[7.44,43.73],[7.44,43.72],[7.43,43.73],[7.43,43.72]]]}"#;

/// Runs `lantu check` on a project of the given files; returns (exit, stdout, stderr).
fn check(dir: &TempDir, project: &str) -> (Option<i32>, String, String) {
    let p = dir.write("project.toml", project);
    let o = lantu(&["check", p.to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert!(!err.contains("panicked"), "panic: {err}");
    (o.status.code(), out, err)
}

#[test]
fn missing_file_names_the_file() {
    let d = TempDir::new("missing");
    let (code, _, err) = check(&d, "[communities]\npath = \"nowhere.gpkg\"\n");
    assert_eq!(code, Some(1));
    assert!(err.contains("nowhere.gpkg") && err.contains("no such file"), "{err}");
    assert!(!err.contains("文件不存在"), "English only: {err}");
    // the default language is Chinese, and only Chinese: the error and its cause
    let o = lantu(&["check", d.path().join("project.toml").to_str().unwrap()]);
    let (_, err) = texts(&o);
    assert!(err.contains("nowhere.gpkg：无法打开") && err.contains("文件不存在"), "{err}");
    assert!(!err.contains("no such file") && !err.contains("cannot open"), "Chinese only: {err}");
    let e = refused(&d, "[communities]\npath = \"nowhere.gpkg\"\n");
    assert!(matches!(&e, IoError::Open { path, .. } if path.ends_with("nowhere.gpkg")), "{e:?}");
}

#[test]
fn unreadable_file_names_the_file() {
    let d = TempDir::new("unreadable");
    d.write("garbage.gpkg", "this is not a geopackage");
    let (code, _, err) = check(&d, "[communities]\npath = \"garbage.gpkg\"\n");
    assert_eq!(code, Some(1));
    assert!(err.contains("garbage.gpkg") && err.contains("cannot open"), "{err}");
    let e = refused(&d, "[communities]\npath = \"garbage.gpkg\"\n");
    assert!(matches!(&e, IoError::Open { path, .. } if path.ends_with("garbage.gpkg")), "{e:?}");
}

#[test]
fn unknown_layer_lists_the_layers_there_are() {
    let d = TempDir::new("layer");
    d.write("c.geojson", &geojson(&[(r#"{"code":"A","households":10}"#, SQ0)]));
    let (code, _, err) = check(&d, "[communities]\npath = \"c.geojson\"\nlayer = \"wards\"\n");
    assert_eq!(code, Some(1));
    assert!(err.contains("c.geojson") && err.contains("\"wards\"") && err.contains("the file has: c"), "{err}");
    let e = refused(&d, "[communities]\npath = \"c.geojson\"\nlayer = \"wards\"\n");
    assert!(
        matches!(&e, IoError::UnknownLayer { layer, available, .. } if layer == "wards" && available == "c"),
        "{e:?}"
    );
}

#[test]
fn no_crs_and_no_override_asks_for_one() {
    let d = TempDir::new("nocrs");
    d.write("c.csv", "code,households,WKT\nA,10,\"POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))\"\n");
    let (code, _, err) = check(&d, "[communities]\npath = \"c.csv\"\n");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("c.csv")
            && err.contains("layer c")
            && err.contains("no coordinate reference system")
            && err.contains("crs = "),
        "{err}"
    );
    let e = refused(&d, "[communities]\npath = \"c.csv\"\n");
    assert!(matches!(&e, IoError::NoCrs { layer, .. } if layer == "c"), "{e:?}");
    // with the override it reads
    let (code, out, err) = check(&d, "[communities]\npath = \"c.csv\"\ncrs = \"EPSG:4545\"\n");
    assert_eq!(code, Some(0), "{out}{err}");
}

#[test]
fn wrong_geometry_type_is_refused() {
    let d = TempDir::new("geomtype");
    d.write(
        "c.geojson",
        &geojson(&[(r#"{"code":"A","households":10}"#, r#"{"type":"Point","coordinates":[7.4,43.7]}"#)]),
    );
    let (code, _, err) = check(&d, "[communities]\npath = \"c.geojson\"\n");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("c.geojson")
            && err.contains("layer c")
            && err.contains("communities need polygon")
            && err.contains("point"),
        "{err}"
    );
    let e = refused(&d, "[communities]\npath = \"c.geojson\"\n");
    assert!(matches!(&e, IoError::WrongGeometryType { role, .. } if role == "communities"), "{e:?}");
}

#[test]
fn null_empty_and_self_intersecting_geometries_are_reported_by_feature() {
    let d = TempDir::new("geoms");
    d.write(
        "c.geojson",
        &geojson(&[
            (r#"{"code":"OK","households":10}"#, SQ0),
            (r#"{"code":"NULLGEOM","households":10}"#, "null"),
            (r#"{"code":"EMPTY","households":10}"#, r#"{"type":"Polygon","coordinates":[]}"#),
            (r#"{"code":"BOWTIE","households":10}"#, BOWTIE),
        ]),
    );
    let (code, out, _) = check(&d, "[communities]\npath = \"c.geojson\"\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("c.geojson · c"), "file and layer named: {out}");
    assert!(out.contains("geometries repaired 1") && out.contains("BOWTIE"), "{out}");
    assert!(out.contains("features rejected 2"), "{out}");
    assert!(out.contains("null or empty geometry — features NULLGEOM, EMPTY"), "{out}");
    assert!(out.contains("read 4, kept 2"), "{out}");
    let loaded = read(&d, "[communities]\npath = \"c.geojson\"\n").unwrap();
    let found = findings(&loaded, LayerRole::Communities);
    assert!(has(&found, FindingKind::Repaired, "BOWTIE", None), "{found:?}");
    for id in ["NULLGEOM", "EMPTY"] {
        assert!(has(&found, FindingKind::Rejected, id, None), "{id}: {found:?}");
    }
    assert!(!found.iter().any(|(_, f, _)| f.as_deref() == Some("OK")), "{found:?}");
}

#[test]
fn households_missing_non_numeric_zero_and_negative_are_each_reported() {
    let d = TempDir::new("households");
    d.write(
        "c.geojson",
        &geojson(&[
            (r#"{"社区代码":"A","户数":null}"#, SQ0),
            (r#"{"社区代码":"B","户数":"很多"}"#, SQ1),
            (r#"{"社区代码":"C","户数":0}"#, SQ2),
            (r#"{"社区代码":"D","户数":-5}"#, BOWTIE),
        ]),
    );
    let (code, out, _) = check(&d, "[communities]\npath = \"c.geojson\"\n");
    assert_eq!(code, Some(0), "analysable: ratios stay empty, rows say why\n{out}");
    assert!(out.contains("households is empty [field 户数] — features A"), "{out}");
    assert!(out.contains("households is not a number: \"很多\" [field 户数] — features B"), "{out}");
    assert!(out.contains("households is 0; it must be above 0 [field 户数] — features C"), "{out}");
    assert!(out.contains("households is -5; it must be above 0 [field 户数] — features D"), "{out}");
    assert!(out.contains("households missing and no residential building"), "{out}");
    let loaded = read(&d, "[communities]\npath = \"c.geojson\"\n").unwrap();
    let found = findings(&loaded, LayerRole::Communities);
    assert!(has(&found, FindingKind::HouseholdsMissing, "A", Some("户数")), "{found:?}");
    for id in ["B", "C", "D"] {
        assert!(has(&found, FindingKind::HouseholdsInvalid, id, Some("户数")), "{id}: {found:?}");
    }
}

#[test]
fn duplicate_community_codes_cannot_be_analysed() {
    let d = TempDir::new("dup");
    d.write(
        "c.geojson",
        &geojson(&[(r#"{"code":"A","households":10}"#, SQ0), (r#"{"code":"A","households":20}"#, SQ1)]),
    );
    let (code, out, _) = check(&d, "[communities]\npath = \"c.geojson\"\n");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("community code A occurs twice") && out.contains("[field code]"), "{out}");
    assert!(
        out.contains("the data cannot be analysed") && out.contains("c.geojson: community code A is not unique"),
        "{out}"
    );
    let loaded = read(&d, "[communities]\npath = \"c.geojson\"\n").unwrap();
    let found = findings(&loaded, LayerRole::Communities);
    assert!(found.iter().any(|(k, _, f)| *k == FindingKind::DuplicateId && f.as_deref() == Some("code")), "{found:?}");
    assert!(!loaded.report.can_analyse());
}

#[test]
fn unknown_service_kinds_are_counted_and_named() {
    let d = TempDir::new("kinds");
    d.write("c.geojson", &geojson(&[(r#"{"code":"A","households":10}"#, SQ0)]));
    d.write(
        "f.csv",
        "名称,服务类型,建筑面积,lon,lat\n甲,养老服务;篮球场,100,7.405,43.725\n乙,篮球场,50,7.405,43.725\n丙,社区助餐,,7.405,43.725\n",
    );
    let (code, out, _) = check(&d, "[communities]\npath = \"c.geojson\"\n[facilities]\npath = \"f.csv\"\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("unknown service kinds (field 服务类型): 篮球场 ×2"), "{out}");
    assert!(out.contains("no known service kind (dropped) 1") && out.contains("features 2"), "{out}");
    assert!(out.contains("no floor area [field 建筑面积] — features 3"), "{out}");
    assert!(out.contains("read 3, kept 2"), "{out}");
    let loaded = read(&d, "[communities]\npath = \"c.geojson\"\n[facilities]\npath = \"f.csv\"\n").unwrap();
    let found = findings(&loaded, LayerRole::Facilities);
    assert!(
        found.iter().any(|(k, _, f)| *k == FindingKind::UnknownKind && f.as_deref() == Some("服务类型")),
        "{found:?}"
    );
    assert!(
        has(&found, FindingKind::NoKind, "2", Some("服务类型")) || has(&found, FindingKind::NoKind, "2", None),
        "{found:?}"
    );
    assert!(has(&found, FindingKind::FloorAreaInvalid, "3", Some("建筑面积")), "{found:?}");
}

#[test]
fn bad_field_mapping_and_profile_are_clear() {
    let d = TempDir::new("mapping");
    d.write("c.geojson", &geojson(&[(r#"{"code":"A","households":10}"#, SQ0)]));
    let (code, out, _) =
        check(&d, "[communities]\npath = \"c.geojson\"\n[communities.fields]\nhouseholds = \"HH2023\"\n");
    assert_eq!(code, Some(0));
    assert!(out.contains("field mapping: households = \"HH2023\": no such field"), "{out}");
    d.write("bad.toml", "[area]\nper_100_households = 35\n");
    let o = lantu(&["--profile", d.path().join("bad.toml").to_str().unwrap(), "profile"]);
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("bad.toml") && err.contains("per_100_households"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let o = lantu(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    let o = lantu(&["check", "p.toml", "--osm", "x.pbf"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn existing_output_folder_is_refused_without_force() {
    let d = TempDir::new("outdir");
    d.write("keep.txt", "planner's file");
    // the message is in the language asked for, and only in it
    let o = lantu(&["demo", "--out", d.path().to_str().unwrap()]);
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("输出位置已存在") && err.contains("--force 覆盖") && !err.contains("already"), "{err}");
    let o = lantu(&["demo", "--out", d.path().to_str().unwrap(), "--lang", "en"]);
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("already exists and is not an empty folder") && err.contains("pass --force"), "{err}");
    assert!(!err.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "no Chinese in English: {err}");
    assert_eq!(std::fs::read_to_string(d.path().join("keep.txt")).unwrap(), "planner's file");
}

#[test]
fn a_table_without_coordinates_says_which_columns_it_needs() {
    let d = TempDir::new("nocoords");
    d.write("c.geojson", &geojson(&[(r#"{"code":"A","households":10}"#, SQ0)]));
    d.write("f.csv", "名称,服务类型,地址\n甲,养老服务,解放碑\n");
    let (code, _, err) = check(&d, "[communities]\npath = \"c.geojson\"\n[facilities]\npath = \"f.csv\"\n");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("f.csv layer f: no geometry") && err.contains("经度/纬度") && err.contains("名称, 服务类型, 地址"),
        "{err}"
    );
}

#[test]
fn a_folder_given_as_a_layer_is_called_a_folder() {
    let d = TempDir::new("folder-layer");
    std::fs::create_dir(d.path().join("adir")).unwrap();
    let (code, _, err) = check(&d, "[communities]\npath = \"adir\"\n");
    assert_eq!(code, Some(1));
    assert!(err.contains("adir") && err.contains("is a folder") && !err.contains("NULL pointer"), "{err}");
}

#[test]
fn impossible_profile_values_are_refused_by_profile_check_and_analyze_alike() {
    let d = TempDir::new("profile-ranges");
    let project = fixture("handworked/project.toml");
    let cases = [
        ("[network]\ncoverage_buffer_m = -30\n", "network.coverage_buffer_m", "line 2", "5 – 500"),
        ("[network]\ncoverage_buffer_m = 0\n", "network.coverage_buffer_m", "line 2", "5 – 500"),
        ("[network]\ncoverage_buffer_m = 0.01\n", "network.coverage_buffer_m", "line 2", "5 – 500"),
        ("[network]\nmax_access_m = -1\n", "network.max_access_m", "line 2", "1 – 2000"),
        ("[priority]\nweight_area_gap = -0.4\n", "priority.weight_area_gap", "line 2", "0 – 100"),
        ("[functions]\nmin_core = 7\n", "functions.min_core", "line 2", "0 – 4"),
        ("[complex]\npreferred_area_m2 = 500.0\n", "complex.preferred_area_m2", "line 2", "600 – 100000"),
    ];
    for (text, key, line, range) in cases {
        let p = d.write("mine.toml", text);
        let out = d.path().join("out");
        for args in [
            vec!["profile"],
            vec!["check", project.to_str().unwrap()],
            vec!["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap()],
        ] {
            let mut all = vec!["--profile", p.to_str().unwrap()];
            all.extend(args.iter());
            let o = lantu(&all);
            let (_, err) = texts(&o);
            assert_eq!(o.status.code(), Some(1), "{args:?} {text}: {err}");
            assert!(!err.contains("panicked"), "{err}");
            let line = line.replace("line ", "第 ") + " 行";
            for want in ["mine.toml", key, &line, range] {
                assert!(err.contains(want), "{args:?} {text}: {want} missing from {err}");
            }
            assert!(!out.exists(), "nothing written");
        }
    }
}

#[test]
fn a_gbk_shapefile_whose_cpg_says_utf8_is_read_as_gbk_and_said_so() {
    let d = TempDir::new("gbk-cpg-utf8");
    for ext in ["shp", "shx", "dbf", "prj"] {
        std::fs::copy(fixture(&format!("chongqing/communities.{ext}")), d.path().join(format!("c.{ext}"))).unwrap();
    }
    d.write("c.cpg", "UTF-8");
    let (code, out, err) = check(&d, "[communities]\npath = \"c.shp\"\n");
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.contains("says UTF-8 but the attributes are not valid UTF-8: detected GBK"), "{out}");
    // the codes, names and given households survive
    assert!(out.contains("code ← 社区代码") && out.contains("households ← 户数"), "{out}");
    assert!(!out.contains("estimated"), "households are given, not estimated: {out}");
    // the same declared in the project file
    std::fs::remove_file(d.path().join("c.cpg")).unwrap();
    let (code, out, _) = check(&d, "[communities]\npath = \"c.shp\"\nencoding = \"UTF-8\"\n");
    assert_eq!(code, Some(0));
    assert!(out.contains("encoding says UTF-8 but the attributes are not valid UTF-8"), "{out}");
    // bytes that are neither UTF-8 nor GBK: an error asking for the encoding
    let mut dbf = std::fs::read(d.path().join("c.dbf")).unwrap();
    let header = u16::from_le_bytes([dbf[8], dbf[9]]) as usize;
    let at = dbf[header..].iter().position(|&b| b >= 0x80).unwrap() + header;
    dbf[at] = 0xFF; // never valid in UTF-8 or as a GBK lead byte
    std::fs::write(d.path().join("c.dbf"), dbf).unwrap();
    d.write("c.cpg", "UTF-8");
    let (code, _, err) = check(&d, "[communities]\npath = \"c.shp\"\n");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("c.shp") && err.contains("set encoding"), "{err}");
}

#[test]
fn a_missing_code_field_and_unknown_shared_by_codes_are_warned_about() {
    let d = TempDir::new("fallbacks");
    d.write(
        "c.geojson",
        &geojson(&[(r#"{"name":"甲","households":10}"#, SQ0), (r#"{"name":"乙","households":20}"#, SQ1)]),
    );
    let (code, out, _) = check(&d, "[communities]\npath = \"c.geojson\"\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("the layer has no community code field") && out.contains("feature numbers"), "{out}");

    d.write(
        "c2.geojson",
        &geojson(&[(r#"{"code":"A","households":10}"#, SQ0), (r#"{"code":"B","households":20}"#, SQ1)]),
    );
    let point = r#"{"type":"Point","coordinates":[7.405,43.725]}"#;
    d.write(
        "f.geojson",
        &geojson(&[
            (r#"{"id":"F1","service":"elderly_care","floor_area":300,"shared_by":"B;Z"}"#, point),
            (r#"{"id":"F2","service":"canteen","floor_area":100,"shared_by":"B"}"#, point),
        ]),
    );
    let (code, out, _) = check(&d, "[communities]\npath = \"c2.geojson\"\n[facilities]\npath = \"f.geojson\"\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("unknown community codes 1:"), "{out}");
    assert!(
        out.contains("shared_by code(s) Z match no community") && out.contains("[field shared_by] — features F1"),
        "{out}"
    );
}

#[test]
fn a_truncated_pbf_is_called_truncated_and_a_missing_admin_level_lists_those_present() {
    let d = TempDir::new("pbf");
    let whole = std::fs::read(monaco("monaco.osm.pbf")).unwrap();
    let cut = d.path().join("cut.osm.pbf");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let o = lantu(&["check", "--osm", cut.to_str().unwrap(), "--lang", "en"]);
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cut.osm.pbf") && err.contains("truncated or corrupt"), "{err}");
    assert!(!err.contains("admin_level"), "{err}");

    let o = lantu(&["check", "--osm", monaco("monaco.osm.pbf").to_str().unwrap(), "--admin-level", "5"]);
    let (_, err) = texts(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("admin_level=5") && err.contains("现有层级：") && err.contains("10"), "{err}");
}

#[test]
fn an_empty_walkways_layer_is_an_error_unless_straight_lines_are_asked_for() {
    let d = TempDir::new("empty-walkways");
    d.write("c.geojson", &geojson(&[(r#"{"code":"A","households":10}"#, SQ0)]));
    d.write("w.geojson", r#"{"type":"FeatureCollection","features":[]}"#);
    let project = "[communities]\npath = \"c.geojson\"\n[walkways]\npath = \"w.geojson\"\n";
    let (code, out, _) = check(&d, project);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("w.geojson: the walkways layer has no usable line")
            && out.contains("straight-line metric (euclidean)"),
        "{out}"
    );
    let p = d.path().join("project.toml");
    let out_dir = d.path().join("out");
    let o = lantu(&["analyze", p.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{:?}", texts(&o));
    assert!(!out_dir.exists());
    let o = lantu(&["analyze", p.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--metric", "euclidean"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    let csv = std::fs::read_to_string(out_dir.join("tables/communities.csv")).unwrap();
    assert!(csv.contains(",euclidean,"), "{csv}");
}

#[test]
fn out_of_range_coordinates_are_rejected_and_a_swapped_layer_fails_the_verdict() {
    let d = TempDir::new("coords");
    let far = r#"{"type":"Polygon","coordinates":[[[500.0,43.72],[500.01,43.72],[500.01,43.73],[500.0,43.72]]]}"#;
    d.write(
        "c.geojson",
        &geojson(&[
            (r#"{"code":"A","households":10}"#, SQ0),
            (r#"{"code":"B","households":10}"#, SQ1),
            (r#"{"code":"C","households":10}"#, SQ2),
            (r#"{"code":"X","households":10}"#, far),
        ]),
    );
    let (code, out, _) = check(&d, "[communities]\npath = \"c.geojson\"\n");
    assert_eq!(code, Some(0), "3 of 4 kept: analysable\n{out}");
    assert!(out.contains("coordinates out of range (rejected) 1:") && out.contains("(500, 43.72)"), "{out}");
    assert!(out.contains("— features X"), "{out}");

    // facilities with longitude and latitude swapped (Chongqing: 106.5°E 29.5°N)
    d.write("c2.geojson", &geojson(&[(r#"{"code":"A","households":10}"#, SQ0)]));
    d.write(
        "f.csv",
        "name,service,lon,lat\nF1,elderly_care,29.55,106.55\nF2,canteen,29.56,106.56\nF3,health,29.57,106.57\n",
    );
    let (code, out, _) = check(&d, "[communities]\npath = \"c2.geojson\"\n[facilities]\npath = \"f.csv\"\n");
    assert_eq!(code, Some(1), "every facility lost: cannot be analysed\n{out}");
    assert!(out.contains("longitude and latitude look swapped"), "{out}");
    assert!(out.contains("only 0 of 3 features kept"), "{out}");
}

#[test]
fn implausible_households_footprints_and_walkways_are_warned_with_counts() {
    let d = TempDir::new("implausible");
    let huge = r#"{"type":"Polygon","coordinates":[[[7.0,43.0],[7.05,43.0],[7.05,43.03],[7.0,43.03],[7.0,43.0]]]}"#;
    let long = r#"{"type":"LineString","coordinates":[[7.405,43.725],[8.6,43.725]]}"#;
    let short = r#"{"type":"LineString","coordinates":[[7.405,43.725],[7.406,43.725]]}"#;
    d.write(
        "c.geojson",
        &geojson(&[(r#"{"code":"A","households":1000000000000}"#, SQ0), (r#"{"code":"B","households":10}"#, SQ1)]),
    );
    let house = r#"{"type":"Polygon","coordinates":[[[7.4050,43.7250],[7.4052,43.7250],[7.4052,43.7252],[7.4050,43.7252],[7.4050,43.7250]]]}"#;
    d.write("b.geojson", &geojson(&[(r#"{"id":"HUGE"}"#, huge), (r#"{"id":"OK"}"#, house)]));
    d.write("w.geojson", &geojson(&[(r#"{"id":"LONG"}"#, long), (r#"{"id":"SHORT"}"#, short)]));
    let (code, out, _) = check(
        &d,
        "[communities]\npath = \"c.geojson\"\n[buildings]\npath = \"b.geojson\"\n[walkways]\npath = \"w.geojson\"\n",
    );
    assert_eq!(code, Some(0), "warnings, not errors\n{out}");
    assert!(out.contains("more than 50000 households") && out.contains("— features A"), "{out}");
    assert!(out.contains("footprint larger than 200000 m²") && out.contains("— features HUGE"), "{out}");
    assert!(out.contains("a single walkway longer than 20000 m") && out.contains("— features LONG"), "{out}");
    assert_eq!(out.matches("implausible values: please check 1:").count(), 3, "{out}");
}

#[test]
fn a_facilities_layer_without_a_service_field_says_so_once() {
    let d = TempDir::new("no-service");
    d.write("c.geojson", &geojson(&[(r#"{"code":"A","households":10}"#, SQ0)]));
    d.write("f.csv", "name,typecode,lon,lat\n诊所,090300,7.405,43.725\n药店,090601,7.406,43.725\n");
    let (code, out, _) = check(&d, "[communities]\npath = \"c.geojson\"\n[facilities]\npath = \"f.csv\"\n");
    assert_eq!(code, Some(1), "no facility can be counted: {out}");
    assert_eq!(out.matches("no service-kind field found").count(), 1, "{out}");
    assert!(out.contains("fields: name, typecode, lon, lat") && !out.contains("service \"\""), "{out}");
}

#[test]
fn a_car_network_is_named_and_its_motorways_left_out() {
    let d = TempDir::new("car-network");
    d.write("c.geojson", &geojson(&[(r#"{"code":"A","households":10}"#, SQ0)]));
    let lines: Vec<(String, String)> = (0..30)
        .map(|i| {
            let y = 43.7205 + i as f64 * 0.0003;
            let class = if i < 6 {
                "motorway"
            } else if i % 2 == 0 {
                "primary"
            } else {
                "secondary"
            };
            (
                format!(r#"{{"id":"W{i}","fclass":"{class}"}}"#),
                format!(r#"{{"type":"LineString","coordinates":[[7.401,{y}],[7.409,{y}]]}}"#),
            )
        })
        .collect();
    let features: Vec<(&str, &str)> = lines.iter().map(|(p, g)| (p.as_str(), g.as_str())).collect();
    d.write("w.geojson", &geojson(&features));
    let (code, out, err) = check(&d, "[communities]\npath = \"c.geojson\"\n[walkways]\npath = \"w.geojson\"\n");
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("road classes no one walks along, left out (network.unwalkable_classes): motorway ×6"),
        "{out}"
    );
    assert!(
        out.contains(
            "the walking network looks drawn for cars (its class field fclass holds only primary ×12, secondary ×12"
        ),
        "{out}"
    );
    assert!(out.contains("read 30, kept 24"), "{out}");
}
