//! The walking network at city scale: a synthetic network of about 400,000 nodes and
//! 500,000 edges, 500,000 buildings and 86,000 facilities; prints each stage's time and
//! the peak memory. Run: `cargo run --release -p lantu-benches --bin city_network`.

use lantu_benches::{peak_memory_mib, synthetic_city};
use lantu_core::Profile;
use lantu_net::{EdgeCosts, NetworkMetric, WalkGraph};
use std::time::Instant;

fn main() {
    let p = Profile::builtin();
    let side: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(640);
    let (ways, buildings, facilities) = synthetic_city(side, 0.61, 500_000, 86_000, 7);
    let base = peak_memory_mib();
    println!(
        "synthetic city: {} ways, {} buildings, {} facilities; threads {}",
        ways.len(),
        buildings.len(),
        facilities.iter().map(Vec::len).sum::<usize>(),
        rayon::current_num_threads()
    );
    let t = Instant::now();
    let g = WalkGraph::build(&ways, p.network.join_tolerance_m);
    let t_graph = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let costs = EdgeCosts::compute(&g, None, p.walking.steps_factor);
    let metric = NetworkMetric::new(&g, &costs, p.network.max_access_m, p.network.main_component_share);
    let o = metric.snap_all(&buildings);
    let f: Vec<_> = facilities.iter().map(|k| metric.snap_all(k)).collect();
    let t_snap = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let d = metric.nearest_snapped(&o, &f, p.largest_radius().0);
    let t_dist = t.elapsed().as_secs_f64();
    let reached = d.iter().flatten().filter(|x| x.is_some()).count();
    // all circles: every kind's three circles come from the same distances
    let t = Instant::now();
    let mut covered = [[0usize; 3]; 9];
    for (k, dk) in d.iter().enumerate() {
        for (c, circle) in p.walking.circles.iter().enumerate() {
            covered[k][c] = dk.iter().filter(|x| x.is_some_and(|m| m.0 <= circle.radius_m.0)).count();
        }
    }
    let t_circles = t.elapsed().as_secs_f64();
    println!("| stage | time (s) |\n|---|---|");
    println!("| graph build ({} nodes, {} edges) | {t_graph:.3} |", g.node_count(), g.edge_count());
    println!("| costs + snapping (buildings and facilities) | {t_snap:.3} |");
    println!("| distances, 9 kinds (multi-source Dijkstra, cut-off {} m) | {t_dist:.3} |", p.largest_radius().0);
    println!("| coverage of every kind and circle | {t_circles:.3} |");
    println!("| **total** | **{:.3}** |", t_graph + t_snap + t_dist + t_circles);
    println!(
        "peak memory: {:.0} MiB (of which inputs {:.0} MiB); reached pairs {reached}; {} covered within 5 min by {}",
        peak_memory_mib(),
        base,
        covered[0][0],
        p.kinds.code(lantu_core::ServiceKind::from_index(0))
    );
}
