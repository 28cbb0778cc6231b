//! Coverage areas that follow the streets: the reached parts of edges, widened.
//!
//! Not hulls of reached nodes, which jump across rivers, cliffs and walls: only the
//! walkways themselves, up to the point where the walk reaches the circle's length.

use crate::{EdgeCosts, Snap, WalkGraph};
use geo::algorithm::buffer::{BufferStyle, LineCap, LineJoin};
use geo::{Buffer, Coord, LineString, MultiLineString, MultiPolygon};
use std::collections::HashMap;

/// The parts of every edge from which the nearest source is within `radius` (walking
/// towards it), as line pieces. `node_dist` comes from [`crate::distances_to_sources`]
/// with a cut-off of at least `radius`; `on_edge` lists the sources lying on each edge.
pub fn reached_lines(
    g: &WalkGraph,
    costs: &EdgeCosts,
    node_dist: &[f64],
    on_edge: &HashMap<u32, Vec<Snap>>,
    radius: f64,
) -> MultiLineString {
    let mut pieces: Vec<(u32, LineString)> = Vec::new();
    for (i, e) in g.edges().iter().enumerate() {
        let (da, db) = (node_dist[e.a.0 as usize], node_dist[e.b.0 as usize]);
        let (fw, bw) = (costs.forward[i], costs.backward[i]);
        let mut spans: Vec<(f64, f64)> = Vec::new();
        if da <= radius {
            spans.push((0.0, if bw > 0.0 { ((radius - da) / bw).min(1.0) } else { 1.0 }));
        }
        if db <= radius {
            spans.push((if fw > 0.0 { (1.0 - (radius - db) / fw).max(0.0) } else { 0.0 }, 1.0));
        }
        for s in on_edge.get(&(i as u32)).map_or(&[][..], Vec::as_slice) {
            let left = radius - s.access_m;
            if left >= 0.0 {
                let lo = if fw > 0.0 { s.t - left / fw } else { 0.0 };
                let hi = if bw > 0.0 { s.t + left / bw } else { 1.0 };
                spans.push((lo.max(0.0), hi.min(1.0)));
            }
        }
        if spans.is_empty() {
            continue;
        }
        spans.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
        let mut merged: Vec<(f64, f64)> = Vec::new();
        for (lo, hi) in spans {
            match merged.last_mut() {
                Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        let (a, b) = (g.coord(e.a), g.coord(e.b));
        let at = |t: f64| Coord { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
        for (lo, hi) in merged {
            if hi <= lo {
                continue;
            }
            let (start, end) = (at(lo), at(hi));
            // continue the previous piece when this one starts where it ended (consecutive
            // segments of one walkway): fewer, longer lines buffer much faster
            match pieces.last_mut() {
                Some((w, line)) if *w == e.walkway && line.0.last() == Some(&start) => line.0.push(end),
                _ => pieces.push((e.walkway, LineString(vec![start, end]))),
            }
        }
    }
    MultiLineString(pieces.into_iter().map(|(_, l)| l).collect())
}

/// The reached lines widened by `half_width` on each side and unioned into valid polygons.
pub fn widen(lines: &MultiLineString, half_width: f64) -> MultiPolygon {
    if lines.0.is_empty() {
        return MultiPolygon(vec![]);
    }
    // round caps and joins, 8 segments per half circle: smooth enough at 30 m, and fast
    let angle = std::f64::consts::PI / 8.0;
    lines.buffer_with_style(
        BufferStyle::new(half_width).line_cap(LineCap::Round(angle)).line_join(LineJoin::Round(angle)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{distances_to_sources, EdgeId};
    use geo::{line_string, Area};
    use lantu_core::{Metres, Walkway};

    #[test]
    fn a_straight_street_is_reached_to_the_radius_on_both_sides() {
        let ways = vec![Walkway {
            source_id: "s".into(),
            line: line_string![(x: 0.0, y: 0.0), (x: 1000.0, y: 0.0)],
            steps: false,
            class: None,
            ramp: false,
            deck: false,
        }];
        let g = WalkGraph::build(&ways, Metres(0.0));
        let costs = EdgeCosts::compute(&g, None, 2.0);
        // a facility in the middle, right on the street
        let s = Snap { edge: EdgeId(0), t: 0.5, at: Coord { x: 500.0, y: 0.0 }, access_m: 0.0, island: false };
        let nd = distances_to_sources(&g, &costs, &[s], 1000.0);
        let on_edge = HashMap::from([(0u32, vec![s])]);
        let lines = reached_lines(&g, &costs, &nd, &on_edge, 300.0);
        let total: f64 = lines.0.iter().map(|l| geo::Length::length(&geo::Euclidean, l)).sum::<f64>();
        assert!((total - 600.0).abs() < 1e-9, "{total}");
        let area = widen(&lines, 30.0).unsigned_area();
        // a 600 × 60 band with round caps: 36,000 + π·30²
        // a 600 × 60 band with round caps: 36,000 + π·30² (less a little for the polygonal caps)
        assert!((area - (36_000.0 + std::f64::consts::PI * 900.0)).abs() < 150.0, "{area}");
    }
}
