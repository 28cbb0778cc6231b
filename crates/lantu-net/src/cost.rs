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

impl EdgeCosts {
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
