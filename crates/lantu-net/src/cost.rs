//! What walking an edge costs, in each direction: length, stairs, and slope by Tobler.

use crate::WalkGraph;

/// Directed costs of every edge, as equivalent flat walking metres.
///
/// `forward[e]` is the cost of walking edge `e` from its `a` end to its `b` end,
/// `backward[e]` from `b` to `a`.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeCosts {
    /// a → b.
    pub forward: Vec<f64>,
    /// b → a.
    pub backward: Vec<f64>,
    /// Whether slope was counted (a DEM was given).
    pub with_slope: bool,
}

/// Tobler's hiking function relative to flat ground: how many flat metres one metre at
/// slope `s` (rise over run) is worth.
///
/// Tobler: speed = 6·exp(−3.5·|s + 0.05|) km/h, fastest slightly downhill. lantu never
/// lets a slope make a walk cheaper than on the flat (the factor is at least 1): the
/// elderly and children the rules are about do not hurry down hills, and a planner must
/// not see coverage grow because of terrain.
///
/// ```
/// use lantu_net::tobler_factor;
/// assert_eq!(tobler_factor(0.0), 1.0);
/// assert!((tobler_factor(0.10) - (3.5f64 * 0.10).exp()).abs() < 1e-12); // uphill 10 %: ≈ 1.42
/// assert_eq!(tobler_factor(-0.05), 1.0); // Tobler's fastest slope, clamped to flat
/// assert!(tobler_factor(-0.30) > 1.0); // steep downhill is slow too
/// ```
pub fn tobler_factor(s: f64) -> f64 {
    // exp(3.5·(|s + 0.05| − 0.05)) is the ratio of flat speed to speed at slope s
    (3.5 * ((s + 0.05).abs() - 0.05)).exp().max(1.0)
}

/// The cost of an edge nobody can walk in a profile (stairs without a ramp, a slope too
/// steep for a wheelchair): finite, so that partial edges stay well defined (0 × it is 0),
/// and far beyond any circle, so that no search crosses it.
pub const IMPASSABLE: f64 = 1e12;

/// Heights of the nodes with every bridge and tunnel made a straight deck: the interior
/// nodes of a deck walkway take heights interpolated by length between the walkway's two
/// ends, instead of the ground under them (a bridge over a valley is not a climb down and up).
/// Nodes without a height stay without; a deck whose end has none keeps the ground's.
pub fn deck_heights(g: &WalkGraph, heights: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut out = heights.to_vec();
    let edges = g.edges();
    let mut i = 0;
    while i < edges.len() {
        // the edges of one walkway are consecutive, in order along it
        let mut j = i;
        while j + 1 < edges.len() && edges[j + 1].walkway == edges[i].walkway {
            j += 1;
        }
        if edges[i].deck {
            let run = &edges[i..=j];
            let (start, end) = (run[0].a, run[run.len() - 1].b);
            if let (Some(h0), Some(h1)) = (heights[start.0 as usize], heights[end.0 as usize]) {
                let total: f64 = run.iter().map(|e| e.length.0).sum();
                let mut along = 0.0;
                for e in &run[..run.len() - 1] {
                    along += e.length.0;
                    let f = if total > 0.0 { along / total } else { 0.0 };
                    out[e.b.0 as usize] = Some(h0 + f * (h1 - h0));
                }
            }
        }
        i = j + 1;
    }
    out
}

impl EdgeCosts {
    /// Costs for those who cannot use steps or steep ramps (wheelchairs, walking frames,
    /// prams): stairs are impassable unless they have a ramp, and so is any other segment
    /// steeper than `max_grade` (GB 50763's ramp of 1:12 by default) in either direction;
    /// the rest as [`EdgeCosts::compute`] prices it — stairs with a ramp at the stairs'
    /// price (a ramp winds longer than the flight it runs beside). Never cheaper than the
    /// ordinary walk, so barrier-free coverage never exceeds ordinary coverage.
    pub fn accessible(g: &WalkGraph, heights: Option<&[Option<f64>]>, steps_factor: f64, max_grade: f64) -> EdgeCosts {
        let mut c = EdgeCosts::compute(g, heights, steps_factor);
        for (i, e) in g.edges().iter().enumerate() {
            let too_steep = match heights.map(|h| (h[e.a.0 as usize], h[e.b.0 as usize])) {
                Some((Some(ha), Some(hb))) if e.length.0 > 0.0 && !e.ramp => ((hb - ha) / e.length.0).abs() > max_grade,
                _ => false,
            };
            if (e.steps && !e.ramp) || too_steep {
                c.forward[i] = IMPASSABLE;
                c.backward[i] = IMPASSABLE;
            }
        }
        c
    }

    /// Costs from lengths, stairs and, when `heights` (metres per node, `None` where
    /// unknown) are given, slope. Stairs cost `steps_factor` × length, or Tobler's
    /// factor when that is higher.
    pub fn compute(g: &WalkGraph, heights: Option<&[Option<f64>]>, steps_factor: f64) -> EdgeCosts {
        let mut forward = Vec::with_capacity(g.edge_count());
        let mut backward = Vec::with_capacity(g.edge_count());
        for e in g.edges() {
            let len = e.length.0;
            let (up, down) = match heights.map(|h| (h[e.a.0 as usize], h[e.b.0 as usize])) {
                Some((Some(ha), Some(hb))) if len > 0.0 => {
                    let s = (hb - ha) / len;
                    (tobler_factor(s), tobler_factor(-s))
                }
                _ => (1.0, 1.0),
            };
            let (fa, fb) = if e.steps { (up.max(steps_factor), down.max(steps_factor)) } else { (up, down) };
            forward.push(len * fa);
            backward.push(len * fb);
        }
        EdgeCosts { forward, backward, with_slope: heights.is_some() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{distances_to_sources, EdgeId, NodeId, Snap};
    use geo::{Coord, LineString};
    use lantu_core::{Metres, Walkway};

    /// A valley 60 m deep under x = 200, crossed by a road down and up (y = 0) and by a
    /// bridge (y = 50), both with a vertex every 20 m.
    fn valley() -> (WalkGraph, Vec<Option<f64>>) {
        let line = |y: f64| LineString((0..=20).map(|i| Coord { x: i as f64 * 20.0, y }).collect());
        let way = |y: f64, deck: bool| Walkway {
            source_id: if deck { "bridge".into() } else { "road".into() },
            line: line(y),
            steps: false,
            class: None,
            ramp: false,
            deck,
        };
        let g = WalkGraph::build(&[way(0.0, false), way(50.0, true)], Metres(0.0));
        let h = (0..g.node_count())
            .map(|n| {
                let x = g.coord(NodeId(n as u32)).x;
                Some(100.0 - 60.0 * (std::f64::consts::PI * x / 400.0).sin())
            })
            .collect();
        (g, h)
    }

    fn across(g: &WalkGraph, costs: &EdgeCosts, y: f64) -> f64 {
        // from the west end to the east end of the way at y
        let node = |x: f64| (0..g.node_count() as u32).map(NodeId).find(|&n| g.coord(n) == Coord { x, y }).unwrap();
        let (from, to) = (node(0.0), node(400.0));
        let e = g.edges_at(from)[0];
        let t = if g.edges()[e.0 as usize].a == from { 0.0 } else { 1.0 };
        let source = Snap { edge: EdgeId(e.0), t, at: Coord { x: 0.0, y }, access_m: 0.0, island: false };
        distances_to_sources(g, costs, &[source], 1e9)[to.0 as usize]
    }

    #[test]
    fn a_bridge_over_a_valley_is_as_flat_as_its_deck() {
        let (g, ground) = valley();
        let decked = deck_heights(&g, &ground);
        let flat = EdgeCosts::compute(&g, None, 2.0);
        let hilly = EdgeCosts::compute(&g, Some(&decked), 2.0);
        // the bridge: both ends at 100 m, a level deck: the same as on flat ground
        assert!((across(&g, &hilly, 50.0) - across(&g, &flat, 50.0)).abs() < 1e-9);
        assert!((across(&g, &flat, 50.0) - 400.0).abs() < 1e-9);
        // the road goes down 60 m and up again: dearer
        assert!(across(&g, &hilly, 0.0) > 430.0, "{}", across(&g, &hilly, 0.0));
        // without the deck rule the bridge would be priced as the road
        let undecked = EdgeCosts::compute(&g, Some(&ground), 2.0);
        assert!((across(&g, &undecked, 50.0) - across(&g, &hilly, 0.0)).abs() < 1e-9);
        // and barrier-free, the valley's sides (up to 47 %) are too steep; the deck is not
        let acc = EdgeCosts::accessible(&g, Some(&decked), 2.0, 1.0 / 12.0);
        assert!((across(&g, &acc, 50.0) - 400.0).abs() < 1e-9);
        assert!(across(&g, &acc, 0.0).is_infinite());
    }
}
