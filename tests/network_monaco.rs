//! Monaco's per-building network distances against an independent computation: a graph
//! built here from the OSM ways (exact shared vertices), snapping by brute force over
//! every segment, and a plain Dijkstra per building on a graph where the building's and
//! the facilities' snap points split their edges.

use crate::common;
use common::*;
use geo::{Coord, InteriorPoint};
use lantu_core::{DistanceMetric, Metres, Profile};
use lantu_net::{EdgeCosts, NetworkMetric, WalkGraph};
use lantu_read::{load_osm, OsmOptions, TagTable};
use std::collections::{BinaryHeap, HashMap};

/// The nearest point on the nearest segment of the main network within `max_access`, else
/// on the nearest segment of any island (brute force over every segment).
fn snap(segs: &[(usize, usize, f64)], main: &[bool], pts: &[Coord], p: Coord, max_access: f64) -> (usize, f64, f64) {
    let main_best = nearest(segs, pts, p, |i| main[i]);
    if main_best.2 <= max_access {
        main_best
    } else {
        nearest(segs, pts, p, |_| true)
    }
}

/// Which segments form the main network: components (by union-find here) holding at least
/// `share` of the length, and the largest.
fn main_segments(segs: &[(usize, usize, f64)], pts: &[Coord], share: f64) -> Vec<bool> {
    let mut parent: Vec<usize> = (0..pts.len()).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            x = p[x];
        }
        x
    }
    for &(a, b, _) in segs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra] = rb;
    }
    let mut length: HashMap<usize, f64> = HashMap::new();
    let len = |s: &(usize, usize, f64)| ((pts[s.0].x - pts[s.1].x).powi(2) + (pts[s.0].y - pts[s.1].y).powi(2)).sqrt();
    for s in segs {
        *length.entry(root(&mut parent, s.0)).or_default() += len(s);
    }
    let total: f64 = length.values().sum();
    let largest = length.values().cloned().fold(0.0, f64::max);
    segs.iter()
        .map(|s| {
            let l = length[&root(&mut parent, s.0)];
            l == largest || l >= share * total
        })
        .collect()
}

fn nearest(segs: &[(usize, usize, f64)], pts: &[Coord], p: Coord, keep: impl Fn(usize) -> bool) -> (usize, f64, f64) {
    let mut best = (usize::MAX, 0.0, f64::INFINITY);
    for (i, &(a, b, _)) in segs.iter().enumerate().filter(|(i, _)| keep(*i)) {
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
    lantu_read::init_gdal();
    let profile = Profile::builtin();
    let opts = OsmOptions { admin_level: 10, tags: TagTable::builtin(), dem: None, population: None, metric_crs: None };
    let l = load_osm(&monaco("monaco.osm.pbf"), &opts, &profile).unwrap();
    let d = &l.dataset;
    let steps_factor = profile.walking.steps_factor;
    let max_access = profile.network.max_access_m.0;
    let cutoff = profile.largest_radius().0;

    // the engine
    let g = WalkGraph::build(&d.walkways, profile.network.join_tolerance_m);
    assert_eq!(g.joined_ends(), 0, "this check assumes junctions at exactly shared vertices");
    let costs = EdgeCosts::compute(&g, None, steps_factor);
    let metric = NetworkMetric::new(&g, &costs, profile.network.max_access_m, profile.network.main_component_share);
    let kind = profile.kinds.by_code("health").unwrap();
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
    let main = main_segments(&segs, &pts, profile.network.main_component_share);
    let fac_snaps: Vec<(usize, f64, f64)> =
        facilities.iter().map(|f| snap(&segs, &main, &pts, f.0, max_access)).filter(|s| s.2 <= max_access).collect();
    let mut compared = 0;
    for (i, b) in buildings.iter().enumerate() {
        let bs = snap(&segs, &main, &pts, b.0, max_access);
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

/// Before homes joined the main network first, 133 of Monaco's buildings snapped to
/// islands (driveways, courtyard paths whose link is missing) and 85 of them got no
/// distance to any kind, though 122 lie within 200 m of the main network. Now those join
/// the main network and every one of them is reached.
#[test]
fn buildings_within_reach_of_the_main_network_no_longer_strand_on_islands() {
    lantu_read::init_gdal();
    let profile = Profile::builtin();
    let opts = OsmOptions { admin_level: 10, tags: TagTable::builtin(), dem: None, population: None, metric_crs: None };
    let l = load_osm(&monaco("monaco.osm.pbf"), &opts, &profile).unwrap();
    let d = &l.dataset;
    let g = WalkGraph::build(&d.walkways, profile.network.join_tolerance_m);
    let costs = EdgeCosts::compute(&g, None, profile.walking.steps_factor);
    let max = profile.network.max_access_m;
    let share = profile.network.main_component_share;
    // the old rule: the nearest segment of any component (every component counted as main)
    let nearest_any = lantu_net::SegmentIndex::new(&g, 0.0);
    let metric = NetworkMetric::new(&g, &costs, max, share);
    let comps = g.components();
    let total = g.total_length().0;
    let main_comp = |e: lantu_net::EdgeId| {
        let c = comps.of(g.edges()[e.0 as usize].a) as usize;
        c == 0 || comps.list()[c].length.0 >= share * total
    };
    let origins: Vec<geo::Point> = d.buildings.iter().map(|b| b.footprint.interior_point().unwrap()).collect();
    let new_snaps = metric.snap_all(&origins);
    let mut was_island = 0;
    let mut moved = Vec::new();
    let mut still_island = 0;
    for (i, p) in origins.iter().enumerate() {
        let Some(old) = nearest_any.snap(*p, max.0) else { continue };
        if main_comp(old.edge) {
            continue;
        }
        was_island += 1;
        let new = new_snaps[i].expect("the old rule reached a walkway, so the new one does");
        assert_eq!(new.island, !main_comp(new.edge));
        if new.island {
            still_island += 1;
        } else {
            moved.push(i);
        }
    }
    assert!(was_island >= 100, "{was_island} buildings snapped to islands under the old rule");
    assert!(moved.len() * 10 >= was_island * 8, "{} of {was_island} now join the main network", moved.len());
    let targets: Vec<Vec<Option<lantu_net::Snap>>> = Profile::builtin()
        .kinds
        .all()
        .map(|k| {
            metric
                .snap_all(&d.facilities.iter().filter(|f| f.kinds.contains(&k)).map(|f| f.location).collect::<Vec<_>>())
        })
        .collect();
    let moved_snaps: Vec<Option<lantu_net::Snap>> = moved.iter().map(|&i| new_snaps[i]).collect();
    let dist = metric.nearest_snapped(&moved_snaps, &targets, profile.largest_radius().0);
    // each building still without a distance is explained: its nearest facility is farther
    // than the largest circle by the network (searched here without the cut-off), or its
    // part of the main network holds no facility at all
    let cutoff = profile.largest_radius().0;
    let unreached: Vec<usize> = (0..moved.len()).filter(|&j| dist.iter().all(|k| k[j].is_none())).collect();
    let uncut = metric.nearest_snapped(&unreached.iter().map(|&j| moved_snaps[j]).collect::<Vec<_>>(), &targets, 1e9);
    let (mut far, mut no_facility) = (0, 0);
    for (u, &j) in unreached.iter().enumerate() {
        let best = uncut.iter().filter_map(|k| k[u]).map(|m| m.0).fold(f64::INFINITY, f64::min);
        if best.is_finite() {
            assert!(best > cutoff, "building {} is {best:.0} m away yet unreached", d.buildings[moved[j]].source_id);
            far += 1;
        } else {
            no_facility += 1;
        }
    }
    eprintln!(
        "old rule: {was_island} on islands; now {} on the main network: all reached but {far} whose nearest facility is more than {cutoff} m away by the network and {no_facility} on a part with no facility; {still_island} still on islands (no main walkway within {} m)",
        moved.len(),
        max.0
    );
}
