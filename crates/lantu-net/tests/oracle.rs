//! The engine against a slow, obvious oracle on fixed-seed random networks: snapping by
//! brute force over every segment, distances by plain Dijkstra on an explicit graph in
//! which every snapped point splits its edge.

use geo::{Coord, LineString, Point};
use lantu_core::{DistanceMetric, Metres, Walkway};
use lantu_net::{EdgeCosts, NetworkMetric, WalkGraph};
use std::collections::BinaryHeap;

use lantu_core::SeededRng as Rng;

/// A jittered grid of streets with midpoints, stairs, gaps and crossing "bridges".
fn random_ways(r: &mut Rng, n: usize) -> Vec<Walkway> {
    let spacing = 50.0;
    let mut p = vec![vec![Coord { x: 0.0, y: 0.0 }; n]; n];
    for (i, row) in p.iter_mut().enumerate() {
        for (j, c) in row.iter_mut().enumerate() {
            *c = Coord { x: i as f64 * spacing + r.range(-10.0, 10.0), y: j as f64 * spacing + r.range(-10.0, 10.0) };
        }
    }
    let mut ways = Vec::new();
    let way = |a: Coord, b: Coord, r: &mut Rng| {
        let mid = Coord { x: (a.x + b.x) / 2.0 + r.range(-8.0, 8.0), y: (a.y + b.y) / 2.0 + r.range(-8.0, 8.0) };
        Walkway {
            source_id: String::new(),
            line: LineString(vec![a, mid, b]),
            steps: r.unit() < 0.1,
            class: None,
            ramp: false,
            deck: false,
        }
    };
    for i in 0..n {
        for j in 0..n {
            if i + 1 < n && r.unit() < 0.85 {
                ways.push(way(p[i][j], p[i + 1][j], r));
            }
            if j + 1 < n && r.unit() < 0.85 {
                ways.push(way(p[i][j], p[i][j + 1], r));
            }
            if i + 1 < n && j + 1 < n && r.unit() < 0.1 {
                // a diagonal footbridge: crosses other ways without a junction
                ways.push(Walkway {
                    source_id: String::new(),
                    line: LineString(vec![p[i][j], p[i + 1][j + 1]]),
                    steps: false,
                    class: None,
                    ramp: false,
                    deck: false,
                });
            }
        }
    }
    // islands: short driveways and courtyard paths joined to nothing, inside the grid (where
    // the main network is near) and beyond it (where it is not); their own generator, so
    // that the rest of each test's random sequence is unchanged
    let mut ri = r.fork(0x5eed_15a1);
    let extent = spacing * n as f64;
    for k in 0..n {
        let a = if k % 2 == 0 {
            Coord { x: ri.range(0.0, extent), y: ri.range(0.0, extent) }
        } else {
            Coord { x: extent + ri.range(60.0, 90.0), y: ri.range(0.0, extent) }
        };
        let b = Coord { x: a.x + ri.range(-15.0, 15.0), y: a.y + ri.range(-15.0, 15.0) };
        ways.push(Walkway {
            source_id: "island".into(),
            line: LineString(vec![a, b]),
            steps: false,
            class: None,
            ramp: false,
            deck: false,
        });
    }
    ways
}

/// Share of the length that makes a component part of the main network, in these tests.
const MAIN_SHARE: f64 = 0.05;

/// Which edges are in the main network, worked out independently: components by repeated
/// flooding over the edge list, their lengths, the largest and those above the share.
fn main_edges(g: &WalkGraph) -> Vec<bool> {
    let n = g.node_count();
    let mut comp = vec![usize::MAX; n];
    let mut count = 0;
    for start in 0..n {
        if comp[start] != usize::MAX {
            continue;
        }
        comp[start] = count;
        let mut changed = true;
        while changed {
            changed = false;
            for e in g.edges() {
                let (a, b) = (e.a.0 as usize, e.b.0 as usize);
                if comp[a] == count && comp[b] != count {
                    comp[b] = count;
                    changed = true;
                }
                if comp[b] == count && comp[a] != count {
                    comp[a] = count;
                    changed = true;
                }
            }
        }
        count += 1;
    }
    let mut length = vec![0.0; count];
    for e in g.edges() {
        length[comp[e.a.0 as usize]] += e.length.0;
    }
    let total: f64 = length.iter().sum();
    let largest = length.iter().cloned().fold(0.0, f64::max);
    g.edges()
        .iter()
        .map(|e| {
            let l = length[comp[e.a.0 as usize]];
            l == largest || l >= MAIN_SHARE * total
        })
        .collect()
}

fn seg_point(a: Coord, b: Coord, p: Coord) -> (f64, f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let l2 = dx * dx + dy * dy;
    let t = if l2 > 0.0 { (((p.x - a.x) * dx + (p.y - a.y) * dy) / l2).clamp(0.0, 1.0) } else { 0.0 };
    let q = Coord { x: a.x + t * dx, y: a.y + t * dy };
    (((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt(), t)
}

/// Distances from each snapped origin to the nearest snapped target by plain Dijkstra on an
/// explicit graph: graph nodes, one node per snap point splitting its edge, and a sink that
/// every target reaches by its access walk. `fwd`/`bwd` price each edge a→b and b→a
/// (`INFINITY`: impassable).
fn oracle_distances(
    g: &WalkGraph,
    fwd: &[f64],
    bwd: &[f64],
    o_snaps: &[Option<lantu_net::Snap>],
    t_snaps: &[Option<lantu_net::Snap>],
) -> Vec<Option<f64>> {
    // the oracle's explicit graph: graph nodes, then one node per snap point
    let n = g.node_count();
    let mut splits: Vec<Vec<(f64, usize)>> = vec![Vec::new(); g.edge_count()];
    let mut snap_node = |s: &lantu_net::Snap, id: usize| splits[s.edge.0 as usize].push((s.t, id));
    let o_base = n;
    let t_base = n + o_snaps.len();
    for (i, s) in o_snaps.iter().enumerate() {
        if let Some(s) = s {
            snap_node(s, o_base + i);
        }
    }
    for (i, s) in t_snaps.iter().enumerate() {
        if let Some(s) = s {
            snap_node(s, t_base + i);
        }
    }
    let sink = t_base + t_snaps.len(); // every target reaches the sink by its access walk
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); sink + 1];
    for (ei, e) in g.edges().iter().enumerate() {
        let mut stops: Vec<(f64, usize)> = vec![(0.0, e.a.0 as usize)];
        let mut mids = splits[ei].clone();
        mids.sort_by(|x, y| x.0.total_cmp(&y.0));
        stops.extend(mids);
        stops.push((1.0, e.b.0 as usize));
        for w in stops.windows(2) {
            let frac = w[1].0 - w[0].0;
            // a snap exactly at an end is that node, whatever the edge costs (0 × ∞ is not 0)
            let part = |c: f64| if frac == 0.0 { 0.0 } else { frac * c };
            adj[w[0].1].push((w[1].1, part(fwd[ei])));
            adj[w[1].1].push((w[0].1, part(bwd[ei])));
        }
    }
    for (i, s) in t_snaps.iter().enumerate() {
        if let Some(s) = s {
            adj[t_base + i].push((sink, s.access_m));
        }
    }
    o_snaps
        .iter()
        .enumerate()
        .map(|(i, s)| s.map(|s| s.access_m + dijkstra(&adj, o_base + i)[sink]).filter(|d| d.is_finite()))
        .collect()
}

/// Plain Dijkstra over an adjacency list.
fn dijkstra(adj: &[Vec<(usize, f64)>], from: usize) -> Vec<f64> {
    let mut dist = vec![f64::INFINITY; adj.len()];
    let mut heap = BinaryHeap::new();
    dist[from] = 0.0;
    heap.push(std::cmp::Reverse((0u64, from)));
    while let Some(std::cmp::Reverse((bits, u))) = heap.pop() {
        let d = f64::from_bits(bits);
        if d > dist[u] {
            continue;
        }
        for &(v, c) in &adj[u] {
            if d + c < dist[v] {
                dist[v] = d + c;
                heap.push(std::cmp::Reverse(((d + c).to_bits(), v)));
            }
        }
    }
    dist
}

#[test]
fn engine_agrees_with_plain_dijkstra_on_random_networks() {
    let mut island_snaps = 0;
    let mut main_snaps = 0;
    for seed in 1..=8u64 {
        let mut r = Rng::new(seed);
        let ways = random_ways(&mut r, 12);
        let g = WalkGraph::build(&ways, Metres(0.0));
        let heights: Vec<Option<f64>> = (0..g.node_count()).map(|_| Some(r.range(0.0, 25.0))).collect();
        let with_dem = seed % 2 == 0;
        let costs = EdgeCosts::compute(&g, with_dem.then_some(&heights[..]), 2.0);
        let max_access = 40.0;
        let cutoff = 500.0;
        let mut origins: Vec<Point> =
            (0..60).map(|_| Point::new(r.range(-30.0, 580.0), r.range(-30.0, 580.0))).collect();
        // homes beside the islands beyond the grid, with no main walkway in reach
        origins.extend(ways.iter().filter(|w| w.source_id == "island" && w.line.0[0].x > 600.0).map(|w| {
            let (a, b) = (w.line.0[0], w.line.0[1]);
            Point::new((a.x + b.x) / 2.0 + 3.0, (a.y + b.y) / 2.0)
        }));
        let targets: Vec<Point> = (0..8).map(|_| Point::new(r.range(0.0, 550.0), r.range(0.0, 550.0))).collect();
        let metric = NetworkMetric::new(&g, &costs, Metres(max_access), MAIN_SHARE);
        let o_snaps = metric.snap_all(&origins);
        let t_snaps = metric.snap_all(&targets);

        // snapping against brute force over every segment: the nearest main-network
        // segment within reach, else the nearest island segment within reach
        let main = main_edges(&g);
        for (p, s) in origins.iter().chain(&targets).zip(o_snaps.iter().chain(&t_snaps)) {
            let d: Vec<f64> = g.edges().iter().map(|e| seg_point(g.coord(e.a), g.coord(e.b), p.0).0).collect();
            let best_main = (0..d.len()).filter(|&i| main[i]).map(|i| d[i]).fold(f64::INFINITY, f64::min);
            let best_any = d.iter().cloned().fold(f64::INFINITY, f64::min);
            let (want, island) = if best_main <= max_access { (best_main, false) } else { (best_any, true) };
            match s {
                Some(s) => {
                    assert!((s.access_m - want).abs() < 1e-9, "seed {seed}: snap {} vs {want}", s.access_m);
                    assert_eq!(s.island, island, "seed {seed}");
                    assert_eq!(main[s.edge.0 as usize], !island, "seed {seed}");
                    if island {
                        island_snaps += 1;
                    } else {
                        main_snaps += 1;
                    }
                }
                None => assert!(best_any > max_access, "seed {seed}: {best_any} within reach but not snapped"),
            }
        }

        let got = metric.nearest_snapped(&o_snaps, std::slice::from_ref(&t_snaps), cutoff);

        let oracle = oracle_distances(&g, &costs.forward, &costs.backward, &o_snaps, &t_snaps);
        let mut reached = 0;
        for (i, s) in o_snaps.iter().enumerate() {
            let expected = s.and(oracle[i]).filter(|d| *d <= cutoff);
            let engine = got[0][i].map(|m| m.0);
            reached += engine.is_some() as usize;
            match (engine, expected) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 0.01, "seed {seed} origin {i}: engine {a} oracle {b}"),
                (None, None) => {}
                // exactly at the cut-off, rounding may fall either way
                (a, b) => assert!(
                    a.or(b).is_some_and(|d| (d - cutoff).abs() < 0.01),
                    "seed {seed} origin {i}: engine {a:?} oracle {b:?}"
                ),
            }
            // network distance is never shorter than the straight line to the nearest target
            if let Some(d) = engine {
                let straight = targets
                    .iter()
                    .map(|t| ((t.x() - origins[i].x()).powi(2) + (t.y() - origins[i].y()).powi(2)).sqrt())
                    .fold(f64::INFINITY, f64::min);
                assert!(d >= straight - 1e-9, "seed {seed}: network {d} < straight {straight}");
            }
        }
        assert!(reached >= 20, "seed {seed}: only {reached} origins reached; the test would prove little");
    }
    assert!(island_snaps >= 3 && main_snaps >= 100, "islands {island_snaps}, main {main_snaps}: both rules exercised");
}

#[test]
fn slope_never_shortens_a_walk() {
    let mut r = Rng::new(99);
    let ways = random_ways(&mut r, 10);
    let g = WalkGraph::build(&ways, Metres(0.0));
    let heights: Vec<Option<f64>> = (0..g.node_count()).map(|_| Some(r.range(0.0, 40.0))).collect();
    let flat = EdgeCosts::compute(&g, None, 2.0);
    let hilly = EdgeCosts::compute(&g, Some(&heights), 2.0);
    let origins: Vec<Point> = (0..80).map(|_| Point::new(r.range(0.0, 450.0), r.range(0.0, 450.0))).collect();
    let targets = vec![(0..4).map(|_| Point::new(r.range(0.0, 450.0), r.range(0.0, 450.0))).collect::<Vec<_>>()];
    use lantu_core::DistanceMetric;
    let a = NetworkMetric::new(&g, &flat, Metres(50.0), MAIN_SHARE).nearest(&origins, &targets, Metres(1e9));
    let b = NetworkMetric::new(&g, &hilly, Metres(50.0), MAIN_SHARE).nearest(&origins, &targets, Metres(1e9));
    let mut steeper = 0;
    for (x, y) in a[0].iter().zip(&b[0]) {
        if let (Some(x), Some(y)) = (x, y) {
            assert!(y.0 >= x.0 - 1e-9, "slope made a walk shorter: {} < {}", y.0, x.0);
            steeper += (y.0 > x.0 + 1.0) as usize;
        }
    }
    assert!(steeper > 10, "the hills should cost something ({steeper})");
}

#[test]
fn coverage_never_falls_when_a_circle_grows() {
    let mut r = Rng::new(7);
    let ways = random_ways(&mut r, 10);
    let g = WalkGraph::build(&ways, Metres(0.0));
    let heights: Vec<Option<f64>> = (0..g.node_count()).map(|_| Some(r.range(0.0, 30.0))).collect();
    let costs = EdgeCosts::compute(&g, Some(&heights), 2.0);
    let metric = NetworkMetric::new(&g, &costs, Metres(40.0), MAIN_SHARE);
    let o =
        metric.snap_all(&(0..200).map(|_| Point::new(r.range(0.0, 450.0), r.range(0.0, 450.0))).collect::<Vec<_>>());
    let t = metric.snap_all(&(0..3).map(|_| Point::new(r.range(0.0, 450.0), r.range(0.0, 450.0))).collect::<Vec<_>>());
    let mut last = 0;
    for radius in [100.0, 200.0, 300.0, 500.0, 1000.0] {
        let d = &metric.nearest_snapped(&o, std::slice::from_ref(&t), radius)[0];
        let covered = d.iter().filter(|x| x.is_some()).count();
        assert!(covered >= last, "radius {radius}: {covered} < {last}");
        last = covered;
    }
    assert!(last > 100);
}

/// The barrier-free profile against Dijkstra on a graph built here without the stairs that
/// have no ramp and without segments steeper than 1:12, priced by Tobler: the same
/// distances; and never shorter than the ordinary walk, so coverage can only fall.
#[test]
fn barrier_free_distances_agree_with_dijkstra_that_leaves_out_stairs_and_steep_segments() {
    let grade = 1.0 / 12.0;
    let (mut compared, mut longer, mut lost) = (0, 0, 0);
    for seed in 11..=16u64 {
        let mut r = Rng::new(seed);
        let mut ways = random_ways(&mut r, 12);
        for w in ways.iter_mut().filter(|w| w.steps) {
            w.ramp = r.unit() < 0.3;
        }
        let g = WalkGraph::build(&ways, Metres(0.0));
        // gentle hills with a few steep spots
        let heights: Vec<Option<f64>> = (0..g.node_count())
            .map(|n| {
                let c = g.coord(lantu_net::NodeId(n as u32));
                Some(4.0 * (c.x / 90.0).sin() + 3.0 * (c.y / 70.0).cos() + r.range(0.0, 2.5))
            })
            .collect();
        let ordinary = EdgeCosts::compute(&g, Some(&heights), 2.0);
        let accessible = EdgeCosts::accessible(&g, Some(&heights), 2.0, grade);
        // the oracle's own pricing
        let (mut fwd, mut bwd) = (Vec::new(), Vec::new());
        for e in g.edges() {
            let w = &ways[e.walkway as usize];
            let (ha, hb) = (heights[e.a.0 as usize].unwrap(), heights[e.b.0 as usize].unwrap());
            let s = (hb - ha) / e.length.0;
            // stairs need a ramp; anything else steeper than 1:12 is blocked; a ramp costs
            // what its stairs cost
            let blocked = if w.steps { !w.ramp } else { s.abs() > grade };
            let floor = if w.steps { 2.0 } else { 1.0 };
            fwd.push(if blocked { f64::INFINITY } else { e.length.0 * lantu_net::tobler_factor(s).max(floor) });
            bwd.push(if blocked { f64::INFINITY } else { e.length.0 * lantu_net::tobler_factor(-s).max(floor) });
        }
        let origins: Vec<Point> = (0..80).map(|_| Point::new(r.range(0.0, 550.0), r.range(0.0, 550.0))).collect();
        let targets: Vec<Point> = (0..6).map(|_| Point::new(r.range(0.0, 550.0), r.range(0.0, 550.0))).collect();
        let cutoff = 600.0;
        let acc = NetworkMetric::new(&g, &accessible, Metres(40.0), MAIN_SHARE);
        let ord = NetworkMetric::new(&g, &ordinary, Metres(40.0), MAIN_SHARE);
        let (o, t) = (acc.snap_all(&origins), acc.snap_all(&targets));
        let got = &acc.nearest_snapped(&o, std::slice::from_ref(&t), cutoff)[0];
        let plain = &ord.nearest_snapped(&o, std::slice::from_ref(&t), cutoff)[0];
        let want = oracle_distances(&g, &fwd, &bwd, &o, &t);
        for i in 0..origins.len() {
            let want = want[i].filter(|d| *d <= cutoff);
            match (got[i].map(|m| m.0), want) {
                (Some(a), Some(b)) => {
                    assert!((a - b).abs() < 0.01, "seed {seed} origin {i}: engine {a} oracle {b}");
                    compared += 1;
                }
                (None, None) => {}
                (a, b) => assert!(
                    a.or(b).is_some_and(|d| (d - cutoff).abs() < 0.01),
                    "seed {seed} origin {i}: {a:?} vs {b:?}"
                ),
            }
            match (got[i], plain[i]) {
                (Some(a), Some(p)) => {
                    assert!(a.0 >= p.0 - 1e-9, "seed {seed}: barrier-free {} < ordinary {}", a.0, p.0);
                    longer += (a.0 > p.0 + 1.0) as usize;
                }
                (Some(a), None) => {
                    panic!("seed {seed}: barrier-free reaches ({}) where the ordinary walk does not", a.0)
                }
                (None, Some(_)) => lost += 1,
                (None, None) => {}
            }
        }
    }
    assert!(compared >= 100 && longer >= 10 && lost >= 5, "compared {compared}, longer {longer}, lost {lost}");
}

/// A metric made `with_costs` from another shares its snapping (not its searches) and gives
/// exactly what a fresh metric with those costs gives; a search asked again is not run again
/// and gives the same distances.
#[test]
fn shared_snapping_changes_no_distance() {
    let mut r = Rng::new(21);
    let ways = random_ways(&mut r, 10);
    let g = WalkGraph::build(&ways, Metres(0.0));
    let heights: Vec<Option<f64>> = (0..g.node_count()).map(|_| Some(r.range(0.0, 20.0))).collect();
    let flat = EdgeCosts::compute(&g, None, 2.0);
    let hilly = EdgeCosts::compute(&g, Some(&heights), 2.0);
    let origins: Vec<Point> = (0..100).map(|_| Point::new(r.range(0.0, 450.0), r.range(0.0, 450.0))).collect();
    let targets = vec![(0..4).map(|_| Point::new(r.range(0.0, 450.0), r.range(0.0, 450.0))).collect::<Vec<_>>()];
    let base = NetworkMetric::new(&g, &flat, Metres(40.0), MAIN_SHARE);
    let first = base.nearest(&origins, &targets, Metres(600.0)); // fills the caches
    let shared = base.with_costs(&hilly).nearest(&origins, &targets, Metres(600.0));
    let fresh = NetworkMetric::new(&g, &hilly, Metres(40.0), MAIN_SHARE).nearest(&origins, &targets, Metres(600.0));
    assert_eq!(shared, fresh, "the other costs' metric must search again, not reuse the flat searches");
    assert_ne!(shared, first, "slope changes some distance");
    assert!(shared[0].iter().filter(|d| d.is_some()).count() > 30);
    // the same targets asked again (as the coverage areas do) come from the search cache
    let again = base.nearest(&origins, &targets, Metres(600.0));
    let fresh_flat = NetworkMetric::new(&g, &flat, Metres(40.0), MAIN_SHARE).nearest(&origins, &targets, Metres(600.0));
    assert_eq!(again, fresh_flat);
    let snapped = base.snap_all(&targets[0]);
    assert!(std::sync::Arc::ptr_eq(&base.node_distances(&snapped, 600.0), &base.node_distances(&snapped, 600.0)));
    assert!(!std::sync::Arc::ptr_eq(&base.node_distances(&snapped, 600.0), &base.node_distances(&snapped, 500.0)));
}

/// The network as the check builds it (graph, index, the homes snapped first) measures
/// exactly as a metric built afresh, with any costs.
#[test]
fn a_walkable_network_measures_as_a_fresh_metric() {
    let mut r = Rng::new(33);
    let ways = random_ways(&mut r, 10);
    let heights: Vec<Option<f64>> = {
        let g = WalkGraph::build(&ways, Metres(0.0));
        (0..g.node_count()).map(|_| Some(r.range(0.0, 20.0))).collect()
    };
    let origins: Vec<Point> = (0..100).map(|_| Point::new(r.range(0.0, 450.0), r.range(0.0, 450.0))).collect();
    let targets = vec![(0..4).map(|_| Point::new(r.range(0.0, 450.0), r.range(0.0, 450.0))).collect::<Vec<_>>()];
    let walkable = lantu_net::Walkable::new(WalkGraph::build(&ways, Metres(0.0)), Metres(40.0), MAIN_SHARE);
    let checked = walkable.snap_all(&origins); // the check's snapping, kept for the analyses
    let g = WalkGraph::build(&ways, Metres(0.0));
    for h in [None, Some(&heights[..])] {
        let costs = EdgeCosts::compute(walkable.graph(), h, 2.0);
        let fresh_costs = EdgeCosts::compute(&g, h, 2.0);
        let fresh = NetworkMetric::new(&g, &fresh_costs, Metres(40.0), MAIN_SHARE);
        assert_eq!(
            walkable.metric(&costs).nearest(&origins, &targets, Metres(600.0)),
            fresh.nearest(&origins, &targets, Metres(600.0))
        );
        assert_eq!(walkable.metric(&costs).snap_all(&origins), fresh.snap_all(&origins));
    }
    assert_eq!(
        checked,
        NetworkMetric::new(&g, &EdgeCosts::compute(&g, None, 2.0), Metres(40.0), MAIN_SHARE).snap_all(&origins)
    );
}
