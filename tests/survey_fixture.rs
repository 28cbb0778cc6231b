//! The Chinese-survey-style fixture: GBK Shapefile (EPSG:4545), GCJ-02 CSV, EPSG:4490 GeoPackage.

use crate::common;
use common::*;
use lantu_core::{CommunityLocator, Profile};
use lantu_read::{load_project, FindingKind, LayerRole, Project};

fn expected_communities() -> Vec<String> {
    let text = std::fs::read_to_string(fixture("chongqing/facilities_gcj02.csv")).unwrap();
    text.lines().skip(1).map(|l| l.rsplit(',').next().unwrap().to_string()).collect()
}

#[test]
fn names_decode_and_gcj02_points_land_in_their_community() {
    lantu_read::init_gdal();
    let project = Project::load(&fixture("chongqing/project.toml")).unwrap();
    let l = load_project(&project, &Profile::builtin()).unwrap();
    assert_eq!(l.report.metric_crs.definition, "EPSG:4545", "Yuzhong (106.58°E) lies nearest CM 108°E");
    let names: Vec<&str> = l.dataset.communities.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["解放碑社区", "较场口社区", "七星岗社区"]);
    let c0 = &l.dataset.communities[0];
    assert_eq!(c0.street_name.as_deref(), Some("解放碑街道"));
    assert_eq!(c0.households.unwrap().0, 1200.0);
    assert!(c0.capable && !l.dataset.communities[1].capable);
    // 400 m squares: check the area in the metric CRS (hand-worked: 160,000 m² ± 1%)
    let area = geo::Area::unsigned_area(&c0.boundary);
    assert!((area - 160_000.0).abs() < 1_600.0, "{area}");
    let locator = CommunityLocator::new(&l.dataset.communities);
    let found: Vec<String> = l
        .dataset
        .facilities
        .iter()
        .map(|f| l.dataset.community(locator.locate(f.location).unwrap()).code.clone())
        .collect();
    assert_eq!(found, expected_communities());
    assert_eq!(Profile::builtin().kinds.codes(&l.dataset.facilities[0].kinds), "elderly_care;infant_care;canteen");
    assert_eq!(l.dataset.facilities[0].floor_area.unwrap().0, 650.0);
    // buildings in EPSG:4490 land inside communities too
    assert!(l.assignment.building_community.iter().all(Option::is_some));
    assert_eq!(l.dataset.buildings.iter().filter(|b| b.residential).count(), 3);
}

#[test]
fn without_the_gcj02_declaration_points_are_off_by_hundreds_of_metres() {
    lantu_read::init_gdal();
    let mut project = Project::load(&fixture("chongqing/project.toml")).unwrap();
    project.facilities.as_mut().unwrap().coords = None;
    let l = load_project(&project, &Profile::builtin()).unwrap();
    let note = l.report.layer(LayerRole::Facilities).unwrap().crs.en.clone();
    assert!(note.contains("read as WGS 84") && note.contains("gcj02"), "{note}");
    let locator = CommunityLocator::new(&l.dataset.communities);
    let found: Vec<Option<String>> = l
        .dataset
        .facilities
        .iter()
        .map(|f| locator.locate(f.location).map(|c| l.dataset.community(c).code.clone()))
        .collect();
    let expected: Vec<Option<String>> = expected_communities().into_iter().map(Some).collect();
    assert_ne!(found, expected, "the fixture must be sensitive to the GCJ-02 shift");
}

#[test]
fn gbk_shapefile_without_cpg_is_detected_and_said() {
    lantu_read::init_gdal();
    let dir = TempDir::new("gbk");
    for ext in ["shp", "shx", "dbf", "prj"] {
        std::fs::copy(fixture(&format!("chongqing/communities.{ext}")), dir.path().join(format!("communities.{ext}")))
            .unwrap();
    }
    dir.write("project.toml", "[communities]\npath = \"communities.shp\"\n");
    let l = load_project(&Project::load(&dir.path().join("project.toml")).unwrap(), &Profile::builtin()).unwrap();
    assert_eq!(l.dataset.communities[0].name, "解放碑社区");
    let notes: Vec<String> =
        l.report.layer(LayerRole::Communities).unwrap().of_kind(FindingKind::Note).map(|f| f.text.en.clone()).collect();
    assert!(notes.iter().any(|n| n.contains("detected GBK")), "{notes:?}");
    let o = lantu(&["check", dir.path().join("project.toml").to_str().unwrap()]);
    let (out, _) = texts(&o);
    assert!(out.contains("检测为 GBK 编码"), "{out}");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn the_same_layers_read_from_xlsx_flatgeobuf_and_a_geotiff_dem() {
    lantu_read::init_gdal();
    let dir = TempDir::new("formats");
    let path = |f: &str| fixture(f).display().to_string();
    dir.write(
        "project.toml",
        &format!(
            "[communities]\npath = \"{}\"\n[facilities]\npath = \"{}\"\ncoords = \"gcj02\"\n[dem]\npath = \"{}\"\n",
            path("chongqing/communities.fgb"),
            path("chongqing/facilities_gcj02.xlsx"),
            path("monaco_dem.tif"),
        ),
    );
    let l = load_project(&Project::load(&dir.path().join("project.toml")).unwrap(), &Profile::builtin()).unwrap();
    let mut names: Vec<&str> = l.dataset.communities.iter().map(|c| c.name.as_str()).collect();
    names.sort(); // FlatGeobuf's spatial index reorders features
    assert_eq!(names, ["七星岗社区", "解放碑社区", "较场口社区"]);
    let locator = CommunityLocator::new(&l.dataset.communities);
    let found: Vec<String> = l
        .dataset
        .facilities
        .iter()
        .map(|f| l.dataset.community(locator.locate(f.location).unwrap()).code.clone())
        .collect();
    assert_eq!(found, expected_communities());
    assert_eq!(l.dataset.facilities[0].floor_area.unwrap().0, 650.0);
    // the DEM is Monaco's: it reads, and says it covers none of these communities
    let dem = l.report.dem.as_ref().unwrap();
    assert_eq!((dem.width, dem.height), (60, 40));
    assert_eq!(dem.covers_share, 0.0);
    assert!(dem.min_m >= -20.0 && dem.max_m < 1200.0, "{dem:?}");
}

/// A 高德 (Amap) POI export used as-is (`tests/fixtures/poi/`: the real column layout
/// `id,name,type,typecode,address,location`, made-up POIs in GCJ-02): 25 rows, of which by
/// hand 11 are services (5 health by type, 2 fitness, 1 canteen, 1 elderly care and 1 infant
/// care by name, 1 culture by type), 12 are not (a 幼儿园, shops, restaurants, companies) and
/// 2 of a type no rule classes. The verdict passes: the not-services do not count against
/// the share kept.
#[test]
fn an_amap_poi_export_is_classed_by_type_and_name() {
    let project = fixture("poi/project.toml");
    let o = lantu(&["check", project.to_str().unwrap(), "--lang", "en"]);
    let (out, err) = texts(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    for line in [
        "read 25, kept 11",
        "poi_type ← type",
        "POI → health (type 医疗保健服务): 3",
        "POI → health (type 医疗保健服务;综合医院): 1",
        "POI → canteen (name 长者食堂): 1",
        "POI → elderly_care (name 日间照料): 1",
        "POI → infant_care (name 托育): 1",
        "POI → fitness (name 健身): 2",
        "POI → culture (type 科教文化服务): 1",
        "POIs that are not services (shops, offices …; left out): 12",
        "2 POIs of types no rule classes (left out), the most frequent: 通行设施;临街院门 ×2",
        "points built from the \"longitude,latitude\" column location",
        "verdict: the data can be analysed",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    assert!(!out.contains("幼儿园") && !out.contains("service \"\""), "{out}");
    let dir = TempDir::new("amap");
    let target = dir.path().join("out");
    let o = lantu(&["analyze", project.to_str().unwrap(), "--out", target.to_str().unwrap(), "--no-maps"]);
    assert!(o.status.success(), "{}", texts(&o).1);
    let facilities = std::fs::read_to_string(target.join("tables/facilities.csv")).unwrap();
    assert_eq!(facilities.lines().count(), 1 + 11, "{facilities}");
}
