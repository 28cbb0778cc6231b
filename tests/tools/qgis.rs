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
