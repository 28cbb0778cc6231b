//! 一老一小 counted as people: the default demo's district with a joined 七普-style table
//! (`tests/fixtures/census/`, made-up figures with the census's columns) carries the groups,
//! the people within reach and the places per 1,000 in its tables, and they add up.

use crate::common;
use common::*;
use std::collections::BTreeMap;

/// communities.csv or streets.csv as rows of column → value.
fn table(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> =
        r.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    r.records().map(|x| header.iter().cloned().zip(x.unwrap().iter().map(str::to_string)).collect()).collect()
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row.get(col).unwrap_or_else(|| panic!("no column {col}")).parse().unwrap_or_else(|_| panic!("{col}: {row:?}"))
}

/// The demo's district (36 communities, seed 2024) analysed with the census table joined.
fn district_with_census(dir: &TempDir) -> std::path::PathBuf {
    let city = dir.path().join("city");
    let o = lantu(&["synth", "--communities", "36", "--seed", "2024", "--out", city.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    std::fs::copy(fixture("census/census_by_community.csv"), city.join("census.csv")).unwrap();
    let project = std::fs::read_to_string(city.join("project.toml")).unwrap();
    let join = "\n[[communities.join]]\npath = \"census.csv\"\nkey = \"社区代码\"\nfields = { population = \"常住人口\", elderly = \"60岁及以上\", infants = \"0-3岁\", children = \"6-12岁\" }\n";
    // the join belongs to the [communities] table: put it right after that table's keys
    let start = project.find("[communities]").unwrap() + 1;
    let at = project[start..].find("\n[").map_or(project.len(), |i| start + i);
    std::fs::write(city.join("project.toml"), format!("{}{join}{}", &project[..at], &project[at..])).unwrap();
    let out = dir.path().join("out");
    let o = lantu(&[
        "analyze",
        city.join("project.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-maps",
        "--sites",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    out
}

#[test]
fn a_joined_census_table_gives_people_their_reach_and_places_that_add_up() {
    let dir = TempDir::new("people");
    let out = district_with_census(&dir);
    let census: BTreeMap<String, BTreeMap<String, String>> =
        table(&fixture("census/census_by_community.csv")).into_iter().map(|r| (r["社区代码"].clone(), r)).collect();
    let communities = table(&out.join("tables/communities.csv"));
    assert_eq!(communities.len(), 36);
    for c in &communities {
        let given = &census[&c["community_code"]];
        // the groups are the table's, not estimates
        assert_eq!(num(c, "people_elderly"), num(given, "60岁及以上"), "{c:?}");
        assert_eq!(num(c, "people_infants"), num(given, "0-3岁"));
        assert_eq!(num(c, "people_children"), num(given, "6-12岁"));
        assert_eq!(num(c, "population"), num(given, "常住人口"));
        assert_eq!(c["people_estimated"], "0");
        // spread like households: the old within reach are the old × the household coverage
        let old = num(c, "people_elderly");
        let reached = num(c, "people_in_reach_elderly_care");
        assert!((reached - old * num(c, "coverage_elderly_care")).abs() <= 0.05 + old * 1e-4, "{c:?}");
        // the target verdict follows the figure
        let places = num(c, "places_per_1000_infant_care");
        assert_eq!(c["places_target_met_infant_care"], if places >= 4.5 { "1" } else { "0" }, "{c:?}");
    }
    // two communities of nearly the same size with different age mixes reach different numbers
    // of old people with the same share of their homes
    let mut by_size: Vec<&BTreeMap<String, String>> = communities.iter().collect();
    by_size.sort_by(|a, b| num(a, "households").total_cmp(&num(b, "households")));
    let mixes: Vec<f64> = by_size.iter().map(|c| num(c, "people_elderly") / num(c, "population")).collect();
    let pair = (1..by_size.len()).find(|&i| {
        let (a, b) = (by_size[i - 1], by_size[i]);
        num(b, "households") / num(a, "households") < 1.05 && (mixes[i] - mixes[i - 1]).abs() > 0.05
    });
    let i = pair.expect("two communities of about equal size with different age mixes");
    assert_ne!(
        num(by_size[i], "people_elderly") / num(by_size[i], "households"),
        num(by_size[i - 1], "people_elderly") / num(by_size[i - 1], "households")
    );
    // streets: the old within reach over the old, not the household share
    let streets = table(&out.join("tables/streets.csv"));
    let mut differs = false;
    for s in &streets {
        let members: Vec<_> = communities.iter().filter(|c| c["street_code"] == s["street_code"]).collect();
        let old: f64 = members.iter().map(|c| num(c, "people_elderly")).sum();
        let reached: f64 = members.iter().map(|c| num(c, "people_in_reach_elderly_care")).sum();
        assert!((num(s, "coverage_people_elderly_care") - reached / old).abs() < 1e-3, "{s:?}");
        differs |= (num(s, "coverage_people_elderly_care") - num(s, "coverage_elderly_care")).abs() > 1e-3;
        // places per 1,000 residents of the street: its communities' places over its residents
        let residents: f64 = members.iter().map(|c| num(c, "population")).sum();
        let held: f64 =
            members.iter().map(|c| num(c, "places_per_1000_infant_care") * num(c, "population") / 1000.0).sum();
        assert!((num(s, "places_per_1000_infant_care") - 1000.0 * held / residents).abs() < 0.05, "{s:?}");
    }
    assert!(differs, "with different age mixes a street's people coverage is not its household coverage");
    // no place is counted twice: the places held by all communities are at most the places
    // the infant-care facilities have (floor area × 0.11 where no capacity is given)
    let facilities = table(&out.join("tables/facilities.csv"));
    let total: f64 = facilities
        .iter()
        .filter(|f| f["kinds"].split(';').any(|k| k == "infant_care"))
        .map(|f| num(f, "floor_area_m2") * 0.11)
        .sum();
    let held: f64 =
        communities.iter().map(|c| num(c, "places_per_1000_infant_care") * num(c, "population") / 1000.0).sum();
    assert!(total > 0.0 && held > 0.0 && held <= total * 1.001, "held {held} of {total} places");
}

/// Metres from a WGS 84 point to a polygon (0 inside), on a local equirectangular plane
/// centred on the point (good to a metre over a district); geo measures.
fn metres_to(p: (f64, f64), polygons: &geo::MultiPolygon) -> f64 {
    use geo::{Distance, Euclidean, MapCoords};
    let k = (p.1.to_radians().cos() * 111_320.0, 110_540.0);
    let local = polygons.map_coords(|c| geo::coord! { x: (c.x - p.0) * k.0, y: (c.y - p.1) * k.1 });
    Euclidean.distance(&geo::Point::new(0.0, 0.0), &local)
}

/// The default demo's first pilot: the old and infants its build (complex and 插花式
/// stations) brings within reach are at least what its complex alone would at the best
/// single idle building able to hold it (each such building within `pilot.site_reach_m` =
/// 500 m, given as a plan of its own and compared in plan_before_after.csv), and the old
/// within reach are more than without stations (`pilot.max_stations = 0`).
#[test]
fn the_first_pilot_reaches_at_least_the_best_single_site_and_more_with_its_stations() {
    let demo = &common::outputs::demo().out;
    let pilot = table(&demo.join("tables/pilots.csv")).into_iter().find(|r| r["pilot_rank"] == "1").unwrap();
    let application = table(&demo.join("tables/application.csv")).into_iter().find(|r| r["pilot_rank"] == "1").unwrap();
    let code = pilot["community_code"].clone();
    let complex_m2 = num(&application, "complex_area_after_m2");
    let kinds = lantu_core::Profile::builtin().kinds;
    let names: Vec<String> =
        application["functions_to_add"].split(';').map(|c| kinds.def(kinds.by_code(c).unwrap()).zh.clone()).collect();
    assert!(names.len() >= 2, "the complex adds 一老一小: {names:?}");

    // the idle buildings within 500 m of the community that can hold the complex
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(demo.join(format!("geojson/{name}.geojson"))).unwrap()).unwrap()
    };
    let community = read("communities");
    let boundary = community["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["community_code"] == code.as_str())
        .unwrap();
    let geometry: geojson::Geometry = serde_json::from_value(boundary["geometry"].clone()).unwrap();
    let polygons = geo::MultiPolygon::try_from(geometry).unwrap();
    let candidates = read("candidates");
    let pool: Vec<String> = candidates["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["floor_area_m2"].as_f64().unwrap_or(0.0) >= complex_m2)
        .filter(|f| {
            let c = &f["geometry"]["coordinates"];
            metres_to((c[0].as_f64().unwrap(), c[1].as_f64().unwrap()), &polygons) <= 500.0
        })
        .map(|f| f["properties"]["source_id"].as_str().unwrap().to_string())
        .collect();
    assert!(pool.len() >= 2, "more than one building to choose from: {pool:?}");
    println!("idle buildings able to hold the complex within 500 m: {pool:?}");

    let dir = TempDir::new("pilot-best-single");
    let mut args: Vec<String> = ["demo", "--no-maps", "--out"].map(String::from).to_vec();
    args.push(dir.path().join("plans").display().to_string());
    for (i, id) in pool.iter().enumerate() {
        let plan = dir.path().join(format!("single_{i}.csv"));
        let header = "编号,项目名称,服务类型,建筑面积,综合体,项目类型,年份,投资（万元）,所在建筑,WKT";
        let row = format!("S{i},综合体 {id},{},{complex_m2},是,存量转型,2025,,{id},", names.join("、"));
        std::fs::write(&plan, format!("{header}\n{row}\n")).unwrap();
        args.extend(["--plan".to_string(), plan.display().to_string()]);
    }
    let o = lantu(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    let compared = table(&dir.path().join("plans/tables/plan_before_after.csv"));
    let row = compared.iter().find(|r| r["level"] == "community" && r["code"] == code).unwrap();
    let stations = table(&dir.path().join("plans/tables/pilots.csv"));
    assert_eq!(stations.iter().find(|r| r["pilot_rank"] == "1").unwrap()["community_code"], code);

    let profile = dir.path().join("no_stations.toml");
    std::fs::write(&profile, "[pilot]\nmax_stations = 0\n").unwrap();
    let bare = dir.path().join("bare");
    let o = lantu(&["demo", "--no-maps", "--out", bare.to_str().unwrap(), "--profile", profile.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    let without = table(&bare.join("tables/pilots.csv")).into_iter().find(|r| r["pilot_rank"] == "1").unwrap();
    assert_eq!(without["community_code"], code);

    for kind in ["elderly_care", "infant_care"] {
        let best_single = (1..=pool.len())
            .map(|n| num(row, &format!("after{n}_coverage_people_{kind}")))
            .fold(f64::NEG_INFINITY, f64::max);
        let with_stations = num(&pilot, &format!("coverage_people_after_{kind}"));
        let complex_only = num(&without, &format!("coverage_people_after_{kind}"));
        println!(
            "{kind}: best single {best_single:.4}, complex alone {complex_only:.4}, with stations {with_stations:.4}"
        );
        assert!(
            complex_only >= best_single - 1e-4,
            "{kind}: the pilot's complex {complex_only} < best single {best_single}"
        );
        assert!(
            with_stations >= complex_only - 1e-4,
            "{kind}: stations lower coverage? {with_stations} < {complex_only}"
        );
    }
    let old = |r: &BTreeMap<String, String>| num(r, "coverage_people_after_elderly_care");
    assert!(
        old(&pilot) > old(&without) + 0.01,
        "a station brings more of the old: {} vs {}",
        old(&pilot),
        old(&without)
    );
}
