//! The blueprints of the demo, of Monaco and of a plan with pilots opened and rendered by
//! real QGIS (`tests/qgis/check_blueprint.py`): every layer valid and styled as the
//! registry says, the project's CRS, a render with ink.

use crate::common;
use common::*;

#[test]
fn the_demo_blueprint_opens_in_real_qgis() {
    let qgis = check_in_qgis(&outputs::demo().out);
    assert!(qgis.contains("layers checked"), "{qgis}");
}

#[test]
fn the_monaco_blueprint_opens_in_real_qgis() {
    let qgis = check_in_qgis(&outputs::monaco_demo().out);
    assert!(qgis.contains("layers checked"), "{qgis}");
}

/// The planned_projects and pilots layers load in real QGIS with their styles.
#[test]
fn the_plan_and_pilot_layers_load_in_real_qgis() {
    let dir = TempDir::new("plan-in-qgis");
    let (out, _, _) = crate::plans::plan_run(&dir);
    check_in_qgis(&out);
}

/// QGIS opens a collection of `lantu serve` through its OGC API – Features provider (as the
/// "OGC API – Features" connection does), reads every feature and renders it.
#[test]
fn qgis_opens_a_served_collection_through_ogc_api_features() {
    tools::need(&[tools::Tool::Qgis]);
    let out = &outputs::demo().out;
    let server = crate::serve::serve(out);
    let png = out.join("qgis-oapif.png");
    let r = qgis_script("open_oapif.py", &[server.addr.as_str(), "communities", png.to_str().unwrap()]);
    let communities = csv::Reader::from_path(out.join("tables/communities.csv")).unwrap().records().count();
    assert_eq!(r["count"].as_u64(), Some(communities as u64), "{r}");
    assert!(r["crs"] == "EPSG:4326" || r["crs"] == "OGC:CRS84", "longitude/latitude: {r}");
    assert_eq!(r["title"], lantu_core::registry::layer_title("communities", lantu_core::Lang::Zh), "{r}");
    assert!(r["inked"].as_u64().unwrap() > 1000, "{r}");
}

/// The plugin's menu entry stores a running `lantu serve` as an OGC API – Features
/// connection that QGIS lists and opens a collection from (`lantu_qgis.connection`, in a
/// QGIS profile of its own).
#[test]
fn the_plugin_adds_a_served_blueprint_as_an_ogc_api_connection() {
    tools::need(&[tools::Tool::Qgis]);
    let out = &outputs::demo().out;
    let server = crate::serve::serve(out);
    let profile = TempDir::new("qgis-profile");
    let plugins = root().join("qgis");
    let r = qgis_script(
        "check_connection.py",
        &[plugins.to_str().unwrap(), &server.addr, profile.path().to_str().unwrap()],
    );
    let pilots = csv::Reader::from_path(out.join("tables/pilots.csv")).unwrap().records().count();
    assert_eq!(r["count"].as_u64(), Some(pilots as u64), "{r}");
    assert_eq!(r["name"], format!("lantu {}", server.addr), "{r}");
}

/// Runs `tests/qgis/SCRIPT ARGS…` in headless QGIS; returns the JSON object it printed last.
fn qgis_script(script: &str, args: &[&str]) -> serde_json::Value {
    let stdout = qgis_python(script, args);
    serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}
