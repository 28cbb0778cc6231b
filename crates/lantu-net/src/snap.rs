//! Joining buildings and facilities to the network: the nearest point on the nearest
//! edge (not the nearest node), and the access walk to it.

use crate::{EdgeId, WalkGraph};
use geo::{Coord, Line, Point};
use rstar::primitives::GeomWithData;
use rstar::RTree;

/// Where a point joined the network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snap {
    /// The edge.
    pub edge: EdgeId,
    /// Position along the edge from its `a` end, 0–1.
    pub t: f64,
    /// The joining point.
    pub at: Coord,
    /// Length of the straight access walk from the point to the edge, m.
    pub access_m: f64,
}

/// An R-tree over the graph's segments.
pub struct SegmentIndex {
    tree: RTree<GeomWithData<Line, u32>>,
}

impl SegmentIndex {
    /// Indexes every edge of the graph.
    pub fn new(g: &WalkGraph) -> SegmentIndex {
        let lines = g
            .edges()
            .iter()
            .enumerate()
            .map(|(i, e)| GeomWithData::new(Line::new(g.coord(e.a), g.coord(e.b)), i as u32))
            .collect();
        SegmentIndex { tree: RTree::bulk_load(lines) }
    }

    /// The nearest point on the nearest edge, if within `max_access_m`. Ties between
    /// equally near edges go to the smallest edge id, so the result is deterministic.
    pub fn snap(&self, p: Point, max_access_m: f64) -> Option<Snap> {
        let q = [p.x(), p.y()];
        if !(q[0].is_finite() && q[1].is_finite()) {
            return None;
        }
        let mut best: Option<(f64, u32, &Line)> = None;
        for cand in self.tree.nearest_neighbor_iter_with_distance_2(&p) {
            let (seg, d2) = cand;
            if let Some((bd2, bi, _)) = best {
                if d2 > bd2 {
                    break;
                }
                if seg.data >= bi {
                    continue;
                }
            }
            best = Some((d2, seg.data, seg.geom()));
        }
        let (d2, edge, line) = best?;
        let access = d2.sqrt();
        if access > max_access_m {
            return None;
        }
        let (a, b) = (line.start, line.end);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 { (((q[0] - a.x) * dx + (q[1] - a.y) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
        Some(Snap { edge: EdgeId(edge), t, at: Coord { x: a.x + t * dx, y: a.y + t * dy }, access_m: access })
    }
}
