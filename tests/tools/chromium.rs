//! The interactive page (`DIR/web/index.html`) in headless Chromium from `file://`
//! (`tests/web/drive_page.py` drives it over the DevTools protocol): ready with the counts of
//! the tables, no console errors, a click on a community opens its panel with its figures,
//! the screenshot is not blank. Needs Debian's `chromium`; fails saying so without it.

use crate::common;
use common::*;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> =
        r.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
    r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(str::to_string)).collect()).collect()
}

/// Opens the page, clicks `code`; returns the driver's report.
fn drive(out: &Path, code: &str, query: &str) -> serde_json::Value {
    let name: String = query.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let shot = out.join(format!("web-{}.png", if query.is_empty() { "zh" } else { &name }));
    run_driver(out.join("web/index.html").to_str().unwrap(), &shot, code, query)
}

/// Runs `tests/web/drive_page.py` on a page (a file, or an address `lantu serve` gives),
/// clicking `code` if any; checks the screenshot shows a drawn map; returns the report.
fn run_driver(page: &str, shot: &Path, code: &str, query: &str) -> serde_json::Value {
    tools::need(&[tools::Tool::Chromium]);
    let o = Command::new("python3")
        .arg(root().join("tests/web/drive_page.py"))
        .args([page, shot.to_str().unwrap(), code, query])
        .output()
        .expect("python3 runs");
    let (stdout, stderr) = texts(&o);
    assert!(o.status.success(), "the page never got ready:\n{stdout}\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    // the screenshot shows a drawn map, not a blank page
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let coloured = buf[..info.buffer_size()]
        .chunks(px)
        .step_by(97)
        .filter(|p| {
            let (r, g, b) = (p[0] as i32, p[1] as i32, p[2] as i32);
            (r - g).abs() > 30 || (g - b).abs() > 30 || (r - b).abs() > 30
        })
        .count();
    assert!(coloured > 200, "the screenshot is (almost) without colour: {coloured} samples; {report}");
    report
}

/// Serves `out` with `lantu serve`, opens its page with `query` at the first community in
/// priority, and checks that the buildings and walkways on the map come from the server's
/// vector tiles without a console error; returns the report.
fn served_page_draws_from_tiles(out: &Path, query: &str, shot: &str) -> serde_json::Value {
    tools::need(&[tools::Tool::Chromium]);
    let server = crate::serve::serve(out);
    let landing = crate::serve::get_json(&server.addr, "/?f=json");
    let page = landing["links"].as_array().unwrap().iter().find(|l| l["rel"] == "alternate").unwrap()["href"].clone();
    let first = rows(&out.join("tables/communities.csv")).into_iter().find(|r| r["priority_rank"] == "1").unwrap();
    let query = format!("{query}community={}", first["community_code"]);
    let report = run_driver(page.as_str().unwrap(), &out.join(shot), "", &query);
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "console errors: {report}");
    assert_eq!(report["tiled"], true, "{report}");
    assert!(report["buildings_drawn"].as_u64().unwrap() > 50, "buildings drawn from tiles: {report}");
    assert!(report["network_drawn"].as_u64().unwrap() > 10, "walkways drawn from tiles: {report}");
    report
}

fn check_page(out: &Path, code: &str, figures: &[&str]) -> serde_json::Value {
    let communities = rows(&out.join("tables/communities.csv"));
    let facilities = rows(&out.join("tables/facilities.csv"));
    let report = drive(out, code, "");
    assert_eq!(
        report["ready"].as_str().unwrap(),
        format!("communities={};facilities={}", communities.len(), facilities.len()),
        "{report}"
    );
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "console errors: {report}");
    assert_eq!(report["selected"].as_str(), Some(code), "the click selects the community: {report}");
    let panel = report["panel"].as_str().unwrap();
    let row = communities.iter().find(|r| r["community_code"] == code).unwrap();
    assert!(panel.contains(&row["community_name"]), "{panel}");
    for f in figures {
        assert!(panel.contains(f), "the panel shows {f}: {panel}");
    }
    // the table is in priority order and the clicked row is highlighted
    let first = communities.iter().find(|r| r["priority_rank"] == "1").unwrap();
    assert_eq!(report["table_first"].as_str(), Some(first["community_code"].as_str()), "{report}");
    assert!(report["selected_row"].as_str().unwrap().contains(&row["community_name"]), "{report}");
    report
}

#[test]
fn the_hand_worked_page_shows_every_community_and_its_figures_on_a_click() {
    let dir = TempDir::new("web-handworked");
    let out = dir.path().join("out");
    let project = fixture("handworked/project.toml");
    let o = lantu(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    // 乙社区 (B): 500 households, 166.67 m², 33.33 per 100 against 80, gap 233.33 (README of the case)
    let report = check_page(&out, "B", &["500", "33.33", "80", "233.3", "一老一小功能不足"]);
    assert!(report["legend"].as_str().unwrap().contains("养老服务"), "{report}");
    // in English on ?lang=en
    let en = drive(&out, "B", "?lang=en");
    let panel = en["panel"].as_str().unwrap();
    // under the registry's label of the column
    let label = lantu_core::registry::column_label("area_per_100hh_m2", &lantu_core::Profile::builtin().kinds).en;
    assert!(panel.contains(&label) && panel.contains("233.3"), "{panel}");
    // the offline parts are there: the vendored library and its licence
    assert!(out.join("web/vendor/maplibre-gl.js").exists() && out.join("web/vendor/LICENSE-maplibre-gl.txt").exists());
}

#[test]
fn the_monaco_page_opens_from_file_with_the_osm_data() {
    let out = &outputs::monaco_demo().out;
    let communities = rows(&out.join("tables/communities.csv"));
    let code = communities.iter().find(|r| r["community_name"] == "Monaco-Ville").unwrap()["community_code"].clone();
    let report = check_page(out, &code, &["Monaco-Ville"]);
    println!("Monaco first view: {} s (navigation to ready)", report["seconds"]);
    // base layers load after the first view; they are named in the legend
    assert!(report["legend"].as_str().unwrap().contains("建筑"), "{report}");
}

/// The demo's first pilot on the page: its outline drawn, its panel with the build (complex
/// and stations) and the people coverage of the old and infants before → after, as in
/// pilots.csv; and the communities coloured by the share of old people within reach.
#[test]
fn the_demo_page_shows_the_pilots_builds_and_colours_by_people_coverage() {
    let out = &outputs::demo().out;
    let pilots = rows(&out.join("tables/pilots.csv"));
    let first = pilots.iter().find(|r| r["pilot_rank"] == "1").unwrap();
    let code = first["community_code"].as_str();
    let report = check_page(out, code, &["试点建设及建成效果", "插花式服务站", &first["site_name"]]);
    assert!(report["pilots_drawn"].as_u64().unwrap() > 0, "pilot outlines on the map: {report}");
    let panel = report["panel"].as_str().unwrap();
    let pct = |v: &str| format!("{}%", (v.parse::<f64>().unwrap() * 100.0).round());
    for kind in ["elderly_care", "infant_care"] {
        let (before, after) =
            (&first[&format!("coverage_people_before_{kind}")], &first[&format!("coverage_people_after_{kind}")]);
        let shown = format!("{} → {}", pct(before), pct(after));
        assert!(panel.contains(&shown), "{kind}: {shown} in the panel: {panel}");
        assert!(after.parse::<f64>().unwrap() > before.parse::<f64>().unwrap(), "{kind}: {before} → {after}");
    }
    // coloured by the old within reach of elderly care: the fill reads that column
    let by_people = drive(out, "", "?colour=coverage_people_elderly_care");
    assert!(by_people["fill"].as_str().unwrap().contains("coverage_people_elderly_care"), "{by_people}");
    let label =
        lantu_core::registry::column_label("coverage_people_elderly_care", &lantu_core::Profile::builtin().kinds);
    assert!(by_people["legend"].as_str().unwrap().contains(&label.zh), "{by_people}");
    assert_eq!(by_people["errors"].as_array().unwrap().len(), 0, "{by_people}");
}

/// The demo served by `lantu serve`, its page asked to draw the base layers from the
/// server's vector tiles (`?tiles=1`; a city's page does so for the layers too large for it):
/// at street scale the buildings and walkways on the map come from the tiles.
#[test]
fn the_served_page_draws_buildings_and_walkways_from_vector_tiles() {
    let report = served_page_draws_from_tiles(&outputs::demo().out, "?tiles=1&", "web-served.png");
    assert!(report["legend"].as_str().unwrap().contains("矢量瓦片"), "{report}");
}

/// The served city of 500 communities: its page has no GeoJSON of the buildings and walkways
/// (too many), and draws them from the server's tiles at the first community's scale.
#[test]
fn the_served_city_page_draws_its_buildings_from_tiles() {
    let out = &outputs::city().out;
    let meta = std::fs::read_to_string(out.join("web/data/meta.js")).unwrap();
    assert!(meta.contains("\"left_out\":[\"buildings\",\"network\"]"), "the page itself holds no buildings");
    served_page_draws_from_tiles(out, "?", "web-served-city.png");
}
