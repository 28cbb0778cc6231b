//! The E2SFCA against an independent implementation: PySAL's `access` package (its
//! `enhanced_two_stage_fca` with a step weight function) on the very cost matrix lantu used,
//! a fixed-seed synthetic district of 600 homes and 40 facilities: every home's places per
//! person agree to 1e-9. The package lives in `.venv-access` (pinned in
//! `tests/access/requirements.txt`; the README's first command and CI make it); this test
//! fails saying so without it.

use crate::common;
use common::*;
use lantu_core::{e2sfca, AccessRules, DistanceMetric, Euclidean, Metres, SeededRng};
use std::fmt::Write;
use tools::{access_python, need, Tool};

#[test]
fn e2sfca_agrees_with_pysal_access_on_a_synthetic_district() {
    need(&[Tool::PysalAccess]);
    let mut rng = SeededRng::new(26);
    let point = |rng: &mut SeededRng| geo::Point::new(rng.range(0.0, 3000.0), rng.range(0.0, 3000.0));
    let homes: Vec<geo::Point> = (0..600).map(|_| point(&mut rng)).collect();
    let people: Vec<f64> = (0..600).map(|_| rng.range(1.0, 300.0).round()).collect();
    let sites: Vec<geo::Point> = (0..40).map(|_| point(&mut rng)).collect();
    let places: Vec<f64> = (0..40).map(|_| rng.range(5.0, 60.0).round()).collect();
    let rules = AccessRules::default();
    let speed = 60.0; // m per minute, the profile's
                      // lantu: the same reach as add_places takes, weighted by minutes
    let reach = Euclidean.reach(&homes, &sites, Metres(rules.max_minutes() * speed));
    let weighted: Vec<Vec<(u32, f64)>> = reach
        .iter()
        .map(|hits| hits.iter().map(|&(o, m)| (o, rules.weight(m as f64 / speed))).filter(|(_, w)| *w > 0.0).collect())
        .collect();
    let ours = e2sfca(&places, &weighted, &people);
    assert!(ours.iter().filter(|a| **a > 0.0).count() > 300, "most homes reach a facility");

    // the reference, on the same numbers
    let dir = TempDir::new("pysal");
    let mut demand = String::from("id,people\n");
    for (i, p) in people.iter().enumerate() {
        writeln!(demand, "{i},{p}").unwrap();
    }
    let mut supply = String::from("id,places\n");
    for (j, s) in places.iter().enumerate() {
        writeln!(supply, "{},{s}", 1000 + j).unwrap();
    }
    let mut cost = String::from("origin,dest,minutes\n");
    for (j, hits) in reach.iter().enumerate() {
        for &(o, m) in hits {
            writeln!(cost, "{o},{},{:.17e}", 1000 + j, m as f64 / speed).unwrap();
        }
    }
    let mut steps = String::from("minutes,weight\n");
    for s in &rules.decay {
        writeln!(steps, "{},{}", s.minutes, s.weight).unwrap();
    }
    for (name, text) in [("demand.csv", &demand), ("supply.csv", &supply), ("cost.csv", &cost), ("steps.csv", &steps)] {
        dir.write(name, text);
    }
    let script = root().join("tests/access/pysal_e2sfca.py");
    let o = std::process::Command::new(access_python()).arg(&script).arg(dir.path()).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(dir.path().join("access.csv")).unwrap();
    let theirs: Vec<f64> = text.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse().unwrap()).collect();
    assert_eq!(theirs.len(), ours.len());
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0), "home {i}: lantu {a}, PySAL {b}");
    }
}
