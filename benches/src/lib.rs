//! Shared pieces of lantu's benchmarks: the Monaco example loaded once, a synthetic
//! city-scale network, and peak-memory readings.

use geo::{Coord, InteriorPoint, LineString, Point};
use lantu_core::{Metres, Profile, SeededRng as Rng, Walkway};
use std::path::PathBuf;

/// The embedded Monaco example, `data/examples/monaco/`.
pub fn monaco_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/examples/monaco")
}

/// Monaco's walkways, building points and facility points per kind (read once, outside timing).
pub fn monaco_inputs() -> (Vec<Walkway>, Vec<Point>, Vec<Vec<Point>>) {
    lantu_read::init_gdal();
    let opts = lantu_read::OsmOptions {
        admin_level: 10,
        tags: lantu_read::TagTable::builtin(),
        dem: None,
        population: None,
        metric_crs: None,
    };
    let profile = Profile::builtin();
    let l = lantu_read::load_osm(&monaco_dir().join("monaco.osm.pbf"), &opts, &profile).expect("Monaco loads");
    let d = l.dataset;
    let buildings = d.buildings.iter().filter_map(|b| b.footprint.interior_point()).collect();
    let facilities = profile
        .kinds
        .all()
        .map(|k| d.facilities.iter().filter(|f| f.kinds.contains(&k)).map(|f| f.location).collect())
        .collect();
    (d.walkways, buildings, facilities)
}

/// A synthetic city network: a jittered `side × side` grid of junctions 50 m apart,
/// each link present with probability `p`, one in ten a stairway; buildings and
/// facilities at random positions over it.
pub fn synthetic_city(
    side: usize,
    p: f64,
    buildings: usize,
    facilities: usize,
    seed: u64,
) -> (Vec<Walkway>, Vec<Point>, Vec<Vec<Point>>) {
    let mut r = Rng::new(seed);
    let spacing = 50.0;
    let node: Vec<Coord> = (0..side * side)
        .map(|i| Coord {
            x: (i % side) as f64 * spacing + r.range(-12.0, 12.0),
            y: (i / side) as f64 * spacing + r.range(-12.0, 12.0),
        })
        .collect();
    let mut ways = Vec::new();
    for i in 0..side {
        for j in 0..side {
            let a = node[j * side + i];
            for (di, dj) in [(1, 0), (0, 1)] {
                if i + di < side && j + dj < side && r.unit() < p {
                    let b = node[(j + dj) * side + i + di];
                    ways.push(Walkway {
                        source_id: String::new(),
                        line: LineString(vec![a, b]),
                        steps: r.unit() < 0.1,
                        class: None,
                        ramp: false,
                        deck: false,
                    });
                }
            }
        }
    }
    let extent = side as f64 * spacing;
    let pts = |n: usize, r: &mut Rng| {
        (0..n).map(|_| Point::new(r.range(0.0, extent), r.range(0.0, extent))).collect::<Vec<_>>()
    };
    let b = pts(buildings, &mut r);
    let f = (0..KINDS).map(|_| pts(facilities / KINDS, &mut r)).collect();
    (ways, b, f)
}

/// Facility sets of a synthetic city (as many as the built-in profile's kinds).
pub const KINDS: usize = 9;

/// Everything the network coverage does: graph, costs, snapping, all kinds' distances.
pub fn network_coverage(ways: &[Walkway], buildings: &[Point], facilities: &[Vec<Point>], profile: &Profile) -> usize {
    use lantu_core::DistanceMetric;
    let g = lantu_net::WalkGraph::build(ways, profile.network.join_tolerance_m);
    let costs = lantu_net::EdgeCosts::compute(&g, None, profile.walking.steps_factor);
    let metric =
        lantu_net::NetworkMetric::new(&g, &costs, profile.network.max_access_m, profile.network.main_component_share);
    let d = metric.nearest(buildings, facilities, profile.largest_radius());
    d.iter().flatten().filter(|x| x.is_some_and(|m: Metres| m.0 > 0.0)).count()
}

pub use lantu_write::peak_memory_mib;

/// `lantu`, beside this binary in the target folder.
pub fn lantu() -> PathBuf {
    let me = std::env::current_exe().expect("own path");
    me.parent().expect("target folder").join("lantu")
}

/// Runs lantu and returns its stage times (name → seconds), peak memory (MiB) and wall time.
pub fn run(args: &[&str]) -> (Vec<(String, f64)>, f64, f64) {
    let t = std::time::Instant::now();
    let out = std::process::Command::new(lantu()).args(args).args(["--lang", "en"]).output().expect("lantu runs");
    let wall = t.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "lantu {args:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let mut stages = Vec::new();
    let mut peak = f64::NAN;
    for line in stdout.lines() {
        if let Some(rest) = line.trim().strip_prefix("time: ") {
            for part in rest.split(", ") {
                if let Some((name, secs)) = part.rsplit_once(' ').and_then(|(a, _)| a.rsplit_once(' ')) {
                    stages.push((name.to_string(), secs.parse().unwrap_or(f64::NAN)));
                }
            }
        }
        if let Some(rest) = line.trim().strip_prefix("peak memory: ") {
            peak = rest.trim_end_matches(" MiB").parse().unwrap_or(f64::NAN);
        }
    }
    (stages, peak, wall)
}
