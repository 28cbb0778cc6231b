//! Monaco's per-building network distances against an independent computation: a graph
//! built here from the OSM ways (exact shared vertices), snapping by brute force over
//! every segment, and a plain Dijkstra per building on a graph where the building's and
//! the facilities' snap points split their edges.

mod common;
use common::*;
use geo::{Coord, InteriorPoint};
use lantu_core::{DistanceMetric, Metres, Profile, ServiceKind};
use lantu_io::{load_osm, OsmOptions, TagTable};
use lantu_net::{EdgeCosts, NetworkMetric, WalkGraph};
use std::collections::{BinaryHeap, HashMap};

fn snap(segs: &[(usize, usize, f64)], pts: &[Coord], p: Coord) -> (usize, f64, f64) {
    let mut best = (usize::MAX, 0.0, f64::INFINITY);
    for (i, &(a, b, _)) in segs.iter().enumerate() {
        let (a, b) = (pts[a], pts[b]);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let l2 = dx * dx + dy * dy;
        let t = if l2 > 0.0 { (((p.x - a.x) * dx + (p.y - a.y) * dy) / l2).clamp(0.0, 1.0) } else { 0.0 };
        let d = ((a.x + t * dx - p.x).powi(2) + (a.y + t * dy - p.y).powi(2)).sqrt();
        if d < best.2 {
            best = (i, t, d);
        }
    }
    best
}

#[test]
fn monaco_network_distances_match_an_independent_computation() {
    lantu_io::init_gdal();
    let profile = Profile::builtin();
    let opts = OsmOptions { admin_level: 10, tags: TagTable::builtin(), dem: None, metric_crs: None };
    let l = load_osm(&monaco("monaco.osm.pbf"), &opts, &profile).unwrap();
    let d = &l.dataset;
    let steps_factor = profile.walking.steps_factor;
    let max_access = profile.network.max_access_m.0;
    let cutoff = profile.largest_radius().0;

    // the engine
    let g = WalkGraph::build(&d.walkways, profile.network.join_tolerance_m);
    assert_eq!(g.joined_ends(), 0, "this check assumes junctions at exactly shared vertices");
    let costs = EdgeCosts::compute(&g, None, steps_factor);
    let metric = NetworkMetric::new(&g, &costs, profile.network.max_access_m);
    let kind = ServiceKind::Health;
    let facilities: Vec<geo::Point> =
        d.facilities.iter().filter(|f| f.kinds.contains(&kind)).map(|f| f.location).collect();
    let buildings: Vec<geo::Point> = d
        .buildings
        .iter()
        .zip(&l.assignment.building_community)
        .filter(|(b, c)| b.residential && c.is_some())
        .step_by(7)
        .take(150)
        .map(|(b, _)| b.footprint.interior_point().unwrap())
        .collect();
    let engine = &metric.nearest(&buildings, std::slice::from_ref(&facilities), Metres(cutoff))[0];

    // the independent computation
    let mut ids: HashMap<(u64, u64), usize> = HashMap::new();
    let mut pts: Vec<Coord> = Vec::new();
    let mut segs: Vec<(usize, usize, f64)> = Vec::new();
    for w in &d.walkways {
        let mut prev: Option<usize> = None;
        for c in &w.line.0 {
            let n = *ids.entry((c.x.to_bits(), c.y.to_bits())).or_insert_with(|| {
                pts.push(*c);
                pts.len() - 1
            });
            if let Some(p) = prev {
                if p != n {
                    let len = ((pts[p].x - pts[n].x).powi(2) + (pts[p].y - pts[n].y).powi(2)).sqrt();
                    segs.push((p, n, len * if w.steps { steps_factor } else { 1.0 }));
                }
            }
            prev = Some(n);
        }
    }
    let fac_snaps: Vec<(usize, f64, f64)> =
        facilities.iter().map(|f| snap(&segs, &pts, f.0)).filter(|s| s.2 <= max_access).collect();
    let mut compared = 0;
    for (i, b) in buildings.iter().enumerate() {
        let bs = snap(&segs, &pts, b.0);
        let expected = if bs.2 > max_access {
            None
        } else {
            // nodes: graph points, then the building (n), then each facility snap (n+1+j), then a sink
            let n = pts.len();
            let sink = n + 1 + fac_snaps.len();
            let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); sink + 1];
            let mut on_seg: HashMap<usize, Vec<(f64, usize)>> = HashMap::new();
            on_seg.entry(bs.0).or_default().push((bs.1, n));
            for (j, fs) in fac_snaps.iter().enumerate() {
                on_seg.entry(fs.0).or_default().push((fs.1, n + 1 + j));
                adj[n + 1 + j].push((sink, fs.2));
            }
            for (si, &(a, bn, cost)) in segs.iter().enumerate() {
                let mut stops = vec![(0.0, a)];
                if let Some(m) = on_seg.get(&si) {
                    let mut m = m.clone();
                    m.sort_by(|x, y| x.0.total_cmp(&y.0));
                    stops.extend(m);
                }
                stops.push((1.0, bn));
                for w in stops.windows(2) {
                    let c = (w[1].0 - w[0].0) * cost;
                    adj[w[0].1].push((w[1].1, c));
                    adj[w[1].1].push((w[0].1, c));
                }
            }
            let mut dist = vec![f64::INFINITY; sink + 1];
            let mut heap = BinaryHeap::new();
            dist[n] = 0.0;
            heap.push(std::cmp::Reverse((0u64, n)));
            while let Some(std::cmp::Reverse((bits, u))) = heap.pop() {
                let du = f64::from_bits(bits);
                if du > dist[u] || du > cutoff {
                    continue;
                }
                for &(v, c) in &adj[u] {
                    if du + c < dist[v] {
                        dist[v] = du + c;
                        heap.push(std::cmp::Reverse(((du + c).to_bits(), v)));
                    }
                }
            }
            let total = bs.2 + dist[sink];
            (total <= cutoff).then_some(total)
        };
        let got = engine[i].map(|m| m.0);
        match (got, expected) {
            (Some(a), Some(b)) => {
                assert!((a - b).abs() < 0.01, "building {i}: engine {a} independent {b}");
                compared += 1;
            }
            (None, None) => {}
            (a, b) => panic!("building {i}: engine {a:?} independent {b:?}"),
        }
    }
    assert!(compared >= 50, "only {compared} buildings reached a health facility");
}
