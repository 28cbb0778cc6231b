//! Multi-source Dijkstra from every facility of a kind, cut off at the largest circle,
//! and the network distance metric that plugs into lantu-core's coverage.

use crate::{EdgeCosts, NodeId, SegmentIndex, Snap, WalkGraph};
use geo::Point;
use lantu_core::{DistanceMetric, Metres};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Distances *to* the nearest source from every node (walking towards the sources),
/// `f64::INFINITY` beyond `cutoff`.
///
/// Sources are snapped points: each seeds both ends of its edge with the cost of the
/// partial walk from that end to it, plus its access walk.
pub fn distances_to_sources(g: &WalkGraph, costs: &EdgeCosts, sources: &[Snap], cutoff: f64) -> Vec<f64> {
    distances_with(g, costs, &Inbound::new(g, costs), sources, cutoff)
}

fn distances_with(g: &WalkGraph, costs: &EdgeCosts, inbound: &Inbound, sources: &[Snap], cutoff: f64) -> Vec<f64> {
    let mut dist = vec![f64::INFINITY; g.node_count()];
    search(g, costs, inbound, sources, cutoff, &mut dist);
    dist
}

/// Every node's walks in from its neighbours, priced, in one array: for node `n`, each
/// neighbour `v` with the cost of walking `v → n`, in the order of
/// [`WalkGraph::edges_at`] — so a search relaxes them in the same order as over the edges
/// and finds the same distances to the bit, reading one array instead of the edge, its
/// ends and its cost at three places in memory.
pub(crate) struct Inbound {
    offsets: Vec<u32>,
    from: Vec<u32>,
    cost: Vec<f64>,
}

impl Inbound {
    pub(crate) fn new(g: &WalkGraph, costs: &EdgeCosts) -> Inbound {
        let mut offsets = Vec::with_capacity(g.node_count() + 1);
        let mut from = Vec::with_capacity(2 * g.edge_count());
        let mut cost = Vec::with_capacity(2 * g.edge_count());
        offsets.push(0);
        for n in 0..g.node_count() as u32 {
            for &eid in g.edges_at(NodeId(n)) {
                let e = g.edges()[eid.0 as usize];
                // walking from the neighbour v to n
                let (v, c) = if e.a.0 == n {
                    (e.b.0, costs.backward[eid.0 as usize])
                } else {
                    (e.a.0, costs.forward[eid.0 as usize])
                };
                from.push(v);
                cost.push(c);
            }
            offsets.push(from.len() as u32);
        }
        Inbound { offsets, from, cost }
    }
}

/// The search behind [`distances_to_sources`], into a buffer that is `INFINITY` wherever
/// the caller has not set it; returns the nodes it set, so that a caller reusing the
/// buffer (one search per candidate site) can reset just those.
fn search(
    g: &WalkGraph,
    costs: &EdgeCosts,
    inbound: &Inbound,
    sources: &[Snap],
    cutoff: f64,
    dist: &mut [f64],
) -> Vec<u32> {
    let mut touched = Vec::new();
    // non-negative f64 order like their bits: a cheap Ord key for the heap
    let mut heap: BinaryHeap<Reverse<(u64, u32)>> = BinaryHeap::new();
    let mut push = |dist: &mut [f64], heap: &mut BinaryHeap<Reverse<(u64, u32)>>, n: u32, d: f64| {
        if d <= cutoff && d < dist[n as usize] {
            if dist[n as usize].is_infinite() {
                touched.push(n);
            }
            dist[n as usize] = d;
            heap.push(Reverse((d.to_bits(), n)));
        }
    };
    for s in sources {
        let e = g.edges()[s.edge.0 as usize];
        let i = s.edge.0 as usize;
        // from a to the point: t of the a→b cost; from b: (1 − t) of the b→a cost
        push(dist, &mut heap, e.a.0, s.access_m + s.t * costs.forward[i]);
        push(dist, &mut heap, e.b.0, s.access_m + (1.0 - s.t) * costs.backward[i]);
    }
    while let Some(Reverse((bits, n))) = heap.pop() {
        let d = f64::from_bits(bits);
        if d > dist[n as usize] {
            continue;
        }
        let (lo, hi) = (inbound.offsets[n as usize] as usize, inbound.offsets[n as usize + 1] as usize);
        for (&v, &c) in inbound.from[lo..hi].iter().zip(&inbound.cost[lo..hi]) {
            push(dist, &mut heap, v, d + c);
        }
    }
    touched
}

/// The network distance from a snapped origin to the nearest source, given the node
/// distances and the sources on the origin's own edge.
pub fn origin_distance(g: &WalkGraph, costs: &EdgeCosts, node_dist: &[f64], o: &Snap, same_edge: &[Snap]) -> f64 {
    let i = o.edge.0 as usize;
    let e = g.edges()[i];
    let via_a = o.t * costs.backward[i] + node_dist[e.a.0 as usize];
    let via_b = (1.0 - o.t) * costs.forward[i] + node_dist[e.b.0 as usize];
    let mut best = via_a.min(via_b);
    for s in same_edge {
        let along = if s.t >= o.t { (s.t - o.t) * costs.forward[i] } else { (o.t - s.t) * costs.backward[i] };
        best = best.min(along + s.access_m);
    }
    o.access_m + best
}

/// Snaps already made, by the points they were made for: snapping does not depend on
/// costs, so the slope, flat and barrier-free runs over one graph snap each point set once.
type SnapCache = std::sync::Arc<std::sync::Mutex<HashMap<(u64, usize), std::sync::Arc<Vec<Option<Snap>>>>>>;

/// The node distances to a set of targets and the targets on each edge, as
/// [`NetworkMetric::node_distances`] gives them.
pub type NodeDistances = std::sync::Arc<(Vec<f64>, HashMap<u32, Vec<Snap>>)>;

/// Searches already run by one metric, keyed by their targets and cut-off: the coverage
/// areas (and an analysis asked twice) walk from the same facilities as the analysis.
/// Not shared with [`NetworkMetric::with_costs`]: other costs, other distances.
type SearchCache = std::sync::Mutex<HashMap<(u64, usize, u64), NodeDistances>>;

/// Where points join one graph: its segment index, the access limit and the snaps made
/// (a point set snapped before is not snapped again). Shared, by cloning, by the network
/// as checked and by every metric priced on it.
#[derive(Clone)]
struct Snapper {
    index: std::sync::Arc<SegmentIndex>,
    max_access_m: f64,
    cache: SnapCache,
}

impl Snapper {
    fn new(graph: &WalkGraph, max_access_m: Metres, main_share: f64) -> Snapper {
        Snapper {
            index: std::sync::Arc::new(SegmentIndex::new(graph, main_share)),
            max_access_m: max_access_m.0,
            cache: SnapCache::default(),
        }
    }

    fn snap_all(&self, points: &[Point]) -> Vec<Option<Snap>> {
        self.snap_shared(points).as_ref().clone()
    }

    /// The snaps of `points`, shared with the cache: a city's half a million homes are
    /// snapped once and then handed out without a copy to every metric that walks from them.
    fn snap_shared(&self, points: &[Point]) -> std::sync::Arc<Vec<Option<Snap>>> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for p in points {
            (p.x().to_bits(), p.y().to_bits()).hash(&mut h);
        }
        let key = (h.finish(), points.len());
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let found: std::sync::Arc<Vec<Option<Snap>>> =
            std::sync::Arc::new(points.par_iter().map(|p| self.index.snap(*p, self.max_access_m)).collect());
        if let Ok(mut c) = self.cache.lock() {
            c.insert(key, found.clone());
        }
        found
    }
}

/// A walking network ready to be measured on: its graph, its segment index and the
/// snaps made on it. Built once when the inputs are checked (which snaps every home and
/// facility to count those on islands) and handed to the analyses, which then neither
/// build the graph and index again nor snap the same points again.
#[derive(Clone)]
pub struct Walkable {
    graph: std::sync::Arc<WalkGraph>,
    snapper: Snapper,
}

impl std::fmt::Debug for Walkable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Walkable")
            .field("nodes", &self.graph.node_count())
            .field("edges", &self.graph.edge_count())
            .field("max_access_m", &self.snapper.max_access_m)
            .finish()
    }
}

impl Walkable {
    /// The graph with its index: points farther than `max_access_m` from every edge are
    /// off-network; points join the main network (components with at least `main_share`
    /// of the length) when it is within reach (see [`SegmentIndex`]).
    pub fn new(graph: WalkGraph, max_access_m: Metres, main_share: f64) -> Walkable {
        let snapper = Snapper::new(&graph, max_access_m, main_share);
        Walkable { graph: std::sync::Arc::new(graph), snapper }
    }

    /// The graph.
    pub fn graph(&self) -> &std::sync::Arc<WalkGraph> {
        &self.graph
    }

    /// Where each point joins the network (`None`: off-network), each point set once.
    pub fn snap_all(&self, points: &[Point]) -> Vec<Option<Snap>> {
        self.snapper.snap_all(points)
    }

    /// The metric with `costs` on this network, sharing its index and snaps.
    pub fn metric<'c>(&'c self, costs: &'c EdgeCosts) -> NetworkMetric<'c> {
        NetworkMetric {
            graph: &self.graph,
            costs,
            snapper: self.snapper.clone(),
            searches: SearchCache::default(),
            inbound: Default::default(),
        }
    }
}

/// Walking distance over the network: the [`DistanceMetric`] that lantu-core's
/// coverage takes in place of the straight line.
pub struct NetworkMetric<'g> {
    graph: &'g WalkGraph,
    costs: &'g EdgeCosts,
    snapper: Snapper,
    searches: SearchCache,
    /// The costs laid out for searching, made at the first search.
    inbound: std::sync::OnceLock<Inbound>,
}

impl<'g> NetworkMetric<'g> {
    /// The graph it walks.
    pub fn graph(&self) -> &'g WalkGraph {
        self.graph
    }

    /// The costs it walks with.
    pub fn costs(&self) -> &'g EdgeCosts {
        self.costs
    }

    /// The costs laid out for searching (made once, at the first search).
    fn inbound(&self) -> &Inbound {
        self.inbound.get_or_init(|| Inbound::new(self.graph, self.costs))
    }

    /// A metric over `graph` with `costs`; points farther than `max_access_m` from every
    /// edge are off-network (no distance rather than a false one); points join the main
    /// network (components with at least `main_share` of the length) when it is within
    /// `max_access_m`, an island only otherwise (see [`SegmentIndex`]).
    pub fn new(graph: &'g WalkGraph, costs: &'g EdgeCosts, max_access_m: Metres, main_share: f64) -> NetworkMetric<'g> {
        let snapper = Snapper::new(graph, max_access_m, main_share);
        NetworkMetric { graph, costs, snapper, searches: SearchCache::default(), inbound: Default::default() }
    }

    /// The same graph, index and snaps priced by other `costs` (flat ground, barrier-free):
    /// points snapped by one are not snapped again by the other.
    pub fn with_costs<'c>(&self, costs: &'c EdgeCosts) -> NetworkMetric<'c>
    where
        'g: 'c,
    {
        NetworkMetric {
            graph: self.graph,
            costs,
            snapper: self.snapper.clone(),
            searches: SearchCache::default(),
            inbound: Default::default(),
        }
    }

    /// Where each point joins the network (`None`: off-network). A point set snapped
    /// before by this metric or one made [`NetworkMetric::with_costs`] is not snapped again.
    pub fn snap_all(&self, points: &[Point]) -> Vec<Option<Snap>> {
        self.snapper.snap_all(points)
    }

    /// The node distances to the nearest of `targets` and the targets on each edge. The
    /// same targets and cut-off asked again are not searched again.
    pub fn node_distances(&self, targets: &[Option<Snap>], cutoff: f64) -> NodeDistances {
        use std::hash::{Hash, Hasher};
        let sources: Vec<Snap> = targets.iter().flatten().copied().collect();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for s in &sources {
            (s.edge.0, s.t.to_bits(), s.access_m.to_bits(), s.at.x.to_bits(), s.at.y.to_bits()).hash(&mut h);
        }
        let key = (h.finish(), sources.len(), cutoff.to_bits());
        if let Some(hit) = self.searches.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let mut on_edge: HashMap<u32, Vec<Snap>> = HashMap::new();
        for s in &sources {
            on_edge.entry(s.edge.0).or_default().push(*s);
        }
        let found =
            std::sync::Arc::new((distances_with(self.graph, self.costs, self.inbound(), &sources, cutoff), on_edge));
        if let Ok(mut c) = self.searches.lock() {
            c.insert(key, found.clone());
        }
        found
    }

    /// Distances from snapped origins to the nearest of snapped targets, per kind.
    pub fn nearest_snapped<T: AsRef<[Option<Snap>]> + Sync>(
        &self,
        origins: &[Option<Snap>],
        targets: &[T],
        cutoff: f64,
    ) -> Vec<Vec<Option<Metres>>> {
        targets
            .par_iter()
            .map(|t| {
                let t = t.as_ref();
                if t.iter().all(Option::is_none) {
                    return vec![None; origins.len()];
                }
                let found = self.node_distances(t, cutoff);
                let (node_dist, on_edge) = (&found.0, &found.1);
                // most homes share no edge with a target: a bit per edge spares their lookups
                let mut with_targets = vec![false; self.graph.edge_count()];
                for e in on_edge.keys() {
                    with_targets[*e as usize] = true;
                }
                origins
                    .par_iter()
                    .map(|o| {
                        let o = o.as_ref()?;
                        let same = if with_targets[o.edge.0 as usize] {
                            on_edge.get(&o.edge.0).map_or(&[][..], Vec::as_slice)
                        } else {
                            &[][..]
                        };
                        let d = origin_distance(self.graph, self.costs, node_dist, o, same);
                        (d <= cutoff).then_some(Metres(d))
                    })
                    .collect()
            })
            .collect()
    }
}

impl DistanceMetric for NetworkMetric<'_> {
    fn name(&self) -> &'static str {
        "network"
    }

    fn reach(&self, origins: &[Point], sites: &[Point], cutoff: Metres) -> Vec<Vec<(u32, f32)>> {
        let o = self.snapper.snap_shared(origins);
        let s = self.snapper.snap_shared(sites);
        // origins on each edge, to find those near the nodes a search touched
        let mut by_edge: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, snap) in o.iter().enumerate() {
            if let Some(snap) = snap {
                by_edge.entry(snap.edge.0).or_default().push(i as u32);
            }
        }
        let inbound = self.inbound();
        s.par_iter()
            .map_init(
                || vec![f64::INFINITY; self.graph.node_count()],
                |dist, site| {
                    let Some(site) = site else { return Vec::new() };
                    let touched = search(self.graph, self.costs, inbound, std::slice::from_ref(site), cutoff.0, dist);
                    let mut edges: Vec<u32> =
                        touched.iter().flat_map(|&n| self.graph.edges_at(NodeId(n)).iter().map(|e| e.0)).collect();
                    edges.push(site.edge.0);
                    edges.sort_unstable();
                    edges.dedup();
                    let mut out = Vec::new();
                    for e in edges {
                        for &oi in by_edge.get(&e).map_or(&[][..], Vec::as_slice) {
                            let os = o[oi as usize].expect("indexed because snapped");
                            let same = if os.edge == site.edge { std::slice::from_ref(site) } else { &[] };
                            let d = origin_distance(self.graph, self.costs, dist, &os, same);
                            if d <= cutoff.0 {
                                out.push((oi, d as f32));
                            }
                        }
                    }
                    for &n in &touched {
                        dist[n as usize] = f64::INFINITY;
                    }
                    out.sort_unstable_by_key(|x| x.0);
                    out
                },
            )
            .collect()
    }

    fn nearest(&self, origins: &[Point], targets: &[Vec<Point>], cutoff: Metres) -> Vec<Vec<Option<Metres>>> {
        let o = self.snapper.snap_shared(origins);
        let t: Vec<std::sync::Arc<Vec<Option<Snap>>>> =
            targets.iter().map(|pts| self.snapper.snap_shared(pts)).collect();
        let t: Vec<&[Option<Snap>]> = t.iter().map(|v| v.as_slice()).collect();
        self.nearest_snapped(&o, &t, cutoff.0)
    }
}
