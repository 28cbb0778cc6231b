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
    /// Joined to an island (a small piece of network cut off from the main network),
    /// because no main-network segment lay within reach.
    pub island: bool,
}

/// An R-tree over the graph's segments, knowing which belong to the main network.
pub struct SegmentIndex {
    tree: RTree<GeomWithData<Line, u32>>,
    main: Vec<bool>,
}

impl SegmentIndex {
    /// Indexes every edge of the graph. The main network is every connected component
    /// holding at least `main_share` of the network's length (and always the largest):
    /// a point joins an island (a driveway, a courtyard path whose link is missing) only
    /// when no main-network segment lies within reach.
    pub fn new(g: &WalkGraph, main_share: f64) -> SegmentIndex {
        let lines = g
            .edges()
            .iter()
            .enumerate()
            .map(|(i, e)| GeomWithData::new(Line::new(g.coord(e.a), g.coord(e.b)), i as u32))
            .collect();
        let comps = g.components();
        let total = g.total_length().0;
        let main_comp: Vec<bool> =
            comps.list().iter().enumerate().map(|(rank, c)| rank == 0 || c.length.0 >= main_share * total).collect();
        let main = g.edges().iter().map(|e| main_comp[comps.of(e.a) as usize]).collect();
        SegmentIndex { tree: RTree::bulk_load(lines), main }
    }

    /// The nearest point on the nearest main-network edge within `max_access_m`, else on
    /// the nearest edge of any island within it. Ties between equally near edges go to
    /// the smallest edge id, so the result is deterministic.
    pub fn snap(&self, p: Point, max_access_m: f64) -> Option<Snap> {
        let q = [p.x(), p.y()];
        if !(q[0].is_finite() && q[1].is_finite()) {
            return None;
        }
        let max2 = max_access_m * max_access_m;
        let mut any: Option<(f64, u32, &Line)> = None;
        let mut main: Option<(f64, u32, &Line)> = None;
        let better = |best: &Option<(f64, u32, &Line)>, d2: f64, id: u32| match best {
            None => true,
            Some((bd2, bi, _)) => d2 == *bd2 && id < *bi,
        };
        for (seg, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&p) {
            if d2 > max2 || main.is_some_and(|(bd2, _, _)| d2 > bd2) {
                break;
            }
            if better(&any, d2, seg.data) {
                any = Some((d2, seg.data, seg.geom()));
            }
            if self.main[seg.data as usize] && better(&main, d2, seg.data) {
                main = Some((d2, seg.data, seg.geom()));
            }
        }
        let island = main.is_none();
        let (d2, edge, line) = main.or(any)?;
        let (a, b) = (line.start, line.end);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 { (((q[0] - a.x) * dx + (q[1] - a.y) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
        Some(Snap {
            edge: EdgeId(edge),
            t,
            at: Coord { x: a.x + t * dx, y: a.y + t * dy },
            access_m: d2.sqrt(),
            island,
        })
    }
}
