//! Tracing a 0/1 grid into polygons: each 4-connected region of marked cells becomes one
//! polygon whose rings run along cell edges, with its holes.
//!
//! Every boundary edge is walked with the region on its right (in row-down grid
//! coordinates), so each ring knows its region from its first edge, and outer rings and
//! holes tell themselves apart by their turning sense: no point-in-polygon test joins holes
//! to shells. Where two marked cells touch only at a corner the walk turns right, keeping
//! them apart (4-connectivity). A ring that still passes a corner twice (a region closing
//! around a hole that reaches out through a corner) is cut there into a shell and a hole
//! touching it at one point, as OGC validity wants. One pass over the grid and its edges:
//! GDAL's polygonizer (3.6) spent 0.1–0.3 s a grid assembling a city's areas.

/// A grid corner: (column, row), row 0 at the top.
pub(crate) type Corner = (u32, u32);

/// One traced region: its outer ring and its holes, each closed (last corner = first).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TracedRegion {
    pub(crate) exterior: Vec<Corner>,
    pub(crate) holes: Vec<Vec<Corner>>,
}

// directions in grid coordinates (x right, y down)
const EAST: u8 = 0;
const SOUTH: u8 = 1;
const WEST: u8 = 2;
const NORTH: u8 = 3;

/// The regions of the marked cells (`grid[row * w + col] != 0`), in the order of their first
/// cell in the grid, rings without collinear corners.
pub(crate) fn trace_regions(grid: &[u8], w: usize, h: usize) -> Vec<TracedRegion> {
    assert_eq!(grid.len(), w * h, "the grid has w × h cells");
    let (label, regions) = label_regions(grid, w, h);
    let mut rings: Vec<Vec<Vec<Corner>>> = vec![Vec::new(); regions];
    let marked = |col: i64, row: i64| -> bool {
        col >= 0 && row >= 0 && (col as usize) < w && (row as usize) < h && grid[row as usize * w + col as usize] != 0
    };
    // the four cells around corner (c, r): north-west, north-east, south-west, south-east
    let around = |c: u32, r: u32| -> (bool, bool, bool, bool) {
        let (c, r) = (c as i64, r as i64);
        (marked(c - 1, r - 1), marked(c, r - 1), marked(c - 1, r), marked(c, r))
    };
    // the edge leaving corner (c, r) in direction d, if it is a boundary edge
    let edge = |c: u32, r: u32, d: u8| -> bool {
        let (nw, ne, sw, se) = around(c, r);
        match d {
            EAST => se && !ne,
            SOUTH => sw && !se,
            WEST => nw && !sw,
            _ => ne && !nw,
        }
    };
    // the marked cell on the right of that edge: its region owns the ring
    let cell_right = |c: u32, r: u32, d: u8| -> usize {
        let (c, r) = (c as usize, r as usize);
        match d {
            EAST => r * w + c,
            SOUTH => r * w + c - 1,
            WEST => (r - 1) * w + c - 1,
            _ => (r - 1) * w + c,
        }
    };
    let corners_w = w + 1;
    // zeroed, so that only the pages a ring passes are ever written (a city's grid has tens
    // of millions of corners, mostly far from any marked cell)
    let mut used = vec![0u8; corners_w * (h + 1)];
    // rows without a marked cell: no corner between two of them starts an edge
    let row_marked: Vec<bool> = (0..h).map(|row| grid[row * w..(row + 1) * w].iter().any(|&v| v != 0)).collect();
    for r in 0..=h as u32 {
        let (above, below) = (r > 0 && row_marked[r as usize - 1], (r as usize) < h && row_marked[r as usize]);
        if !above && !below {
            continue;
        }
        for c in 0..=w as u32 {
            if around(c, r) == (false, false, false, false) {
                continue; // no marked cell at this corner: no edge leaves it
            }
            for d in [EAST, SOUTH, WEST, NORTH] {
                if used[r as usize * corners_w + c as usize] & (1 << d) != 0 || !edge(c, r, d) {
                    continue;
                }
                let region = label[cell_right(c, r, d)] as usize - 1;
                let mut ring: Vec<Corner> = Vec::new();
                let (mut at, mut dir) = ((c, r), d);
                loop {
                    used[at.1 as usize * corners_w + at.0 as usize] |= 1 << dir;
                    ring.push(at);
                    at = match dir {
                        EAST => (at.0 + 1, at.1),
                        SOUTH => (at.0, at.1 + 1),
                        WEST => (at.0 - 1, at.1),
                        _ => (at.0, at.1 - 1),
                    };
                    // right turn first (keeps cells touching at a corner apart), then straight,
                    // then left; a boundary edge never turns back
                    let next = [(dir + 1) % 4, dir, (dir + 3) % 4]
                        .into_iter()
                        .find(|&n| edge(at.0, at.1, n))
                        .expect("a boundary ring is closed");
                    if at == (c, r) && next == d {
                        break;
                    }
                    dir = next;
                }
                ring.push((c, r));
                rings[region].extend(split_at_repeats(drop_straight(ring)));
            }
        }
    }
    rings
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|rings| {
            let (mut shells, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| twice_area(r) > 0);
            // a 4-connected region has one outer boundary; cutting pinched rings keeps it one
            debug_assert_eq!(shells.len(), 1, "one outer ring per region");
            shells.sort_by_key(|s| std::cmp::Reverse(twice_area(s).unsigned_abs()));
            let exterior = shells.swap_remove(0);
            TracedRegion { exterior, holes: shells.into_iter().chain(holes).collect() }
        })
        .collect()
}

/// Labels the 4-connected regions of marked cells in grid order, from 1 (0: unmarked), and
/// counts them. Zero for unmarked keeps the labels' untouched pages unwritten: a label per
/// cell of a city-wide grid is hundreds of megabytes, few of them marked.
fn label_regions(grid: &[u8], w: usize, h: usize) -> (Vec<u32>, usize) {
    let mut label = vec![0u32; w * h];
    let mut next = 0u32;
    let mut stack = Vec::new();
    for start in 0..w * h {
        if grid[start] == 0 || label[start] != 0 {
            continue;
        }
        next += 1;
        label[start] = next;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (row, col) = (i / w, i % w);
            let around = [
                (col > 0).then(|| i - 1),
                (col + 1 < w).then(|| i + 1),
                (row > 0).then(|| i - w),
                (row + 1 < h).then(|| i + w),
            ];
            for j in around.into_iter().flatten() {
                if grid[j] != 0 && label[j] == 0 {
                    label[j] = next;
                    stack.push(j);
                }
            }
        }
    }
    (label, next as usize)
}

/// Twice the signed area in grid coordinates (row down): positive for a ring walked with
/// its region on the right around the outside (an outer ring), negative around a hole.
fn twice_area(ring: &[Corner]) -> i64 {
    ring.windows(2).map(|p| p[0].0 as i64 * p[1].1 as i64 - p[1].0 as i64 * p[0].1 as i64).sum()
}

/// The ring (closed) with only the corners where it turns.
fn drop_straight(ring: Vec<Corner>) -> Vec<Corner> {
    let n = ring.len() - 1; // closed: last == first
    let turns = |i: usize| {
        let (a, b, c) = (ring[(i + n - 1) % n], ring[i], ring[(i + 1) % n]);
        let cross = (b.0 as i64 - a.0 as i64) * (c.1 as i64 - b.1 as i64)
            - (b.1 as i64 - a.1 as i64) * (c.0 as i64 - b.0 as i64);
        cross != 0
    };
    let mut out: Vec<Corner> = (0..n).filter(|&i| turns(i)).map(|i| ring[i]).collect();
    out.push(out[0]);
    out
}

/// A closed ring cut wherever it passes a corner twice, into closed rings that do not.
///
/// One pass: the path so far is a stack of corners, none twice; a corner already on it
/// closes the loop from its first visit, which is cut off (a city's coverage area has rings
/// of a hundred thousand corners pinched at thousands of places).
fn split_at_repeats(ring: Vec<Corner>) -> Vec<Vec<Corner>> {
    let mut path: Vec<Corner> = Vec::with_capacity(ring.len());
    let mut on_path: std::collections::HashMap<Corner, usize> = std::collections::HashMap::with_capacity(ring.len());
    let mut out = Vec::new();
    for &p in &ring[..ring.len() - 1] {
        if let Some(&i) = on_path.get(&p) {
            // path[i..] is a loop through p; p stays on the path for what goes on
            let mut inner: Vec<Corner> = path.drain(i..).collect();
            for q in &inner {
                on_path.remove(q);
            }
            inner.push(inner[0]);
            out.push(inner);
        }
        on_path.insert(p, path.len());
        path.push(p);
    }
    path.push(path[0]);
    out.push(path);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&str]) -> (Vec<u8>, usize, usize) {
        (rows.iter().flat_map(|r| r.bytes().map(|b| b - b'0')).collect(), rows[0].len(), rows.len())
    }

    #[test]
    fn a_square_with_a_hole() {
        let (g, w, h) = grid(&["0000", "0111", "0101", "0111"]);
        let r = trace_regions(&g, w, h);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].exterior.len(), 5, "four corners, closed: {:?}", r[0].exterior);
        assert_eq!(r[0].holes, vec![vec![(2, 2), (2, 3), (3, 3), (3, 2), (2, 2)]]);
        assert_eq!(twice_area(&r[0].exterior) / 2 + twice_area(&r[0].holes[0]) / 2, 8);
    }

    #[test]
    fn cells_touching_at_a_corner_are_two_regions() {
        let (g, w, h) = grid(&["10", "01"]);
        let r = trace_regions(&g, w, h);
        assert_eq!(r.len(), 2);
        assert!(r.iter().all(|r| r.exterior.len() == 5 && r.holes.is_empty()));
    }

    /// Cells in the region, from its rings.
    fn cells(r: &TracedRegion) -> i64 {
        (twice_area(&r.exterior) + r.holes.iter().map(|h| twice_area(h)).sum::<i64>()) / 2
    }

    fn no_ring_repeats_a_corner(r: &TracedRegion) {
        for ring in std::iter::once(&r.exterior).chain(&r.holes) {
            let mut c = ring[..ring.len() - 1].to_vec();
            c.sort_unstable();
            c.dedup();
            assert_eq!(c.len(), ring.len() - 1, "no ring passes a corner twice: {ring:?}");
        }
    }

    #[test]
    fn a_ring_pinched_at_a_corner_becomes_a_shell_and_a_touching_hole() {
        // the empty centre reaches the outside through the corner (2, 2)
        let (g, w, h) = grid(&["111", "101", "110"]);
        let r = trace_regions(&g, w, h);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].holes.len(), 1, "{r:?}");
        assert_eq!(cells(&r[0]), 7);
        no_ring_repeats_a_corner(&r[0]);
    }

    #[test]
    fn holes_touching_at_a_corner_stay_two_holes() {
        let (g, w, h) = grid(&["1110", "1011", "1101", "0111"]);
        let r = trace_regions(&g, w, h);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].holes.len(), 2, "{r:?}");
        assert_eq!(cells(&r[0]), 12);
        no_ring_repeats_a_corner(&r[0]);
    }

    /// The cut as first written: scan, cut the first loop, start again. Slow, obvious.
    fn split_by_rescanning(ring: Vec<Corner>) -> Vec<Vec<Corner>> {
        let mut open: Vec<Corner> = ring[..ring.len() - 1].to_vec();
        let mut out = Vec::new();
        'cut: loop {
            for j in 0..open.len() {
                if let Some(i) = open[..j].iter().position(|q| *q == open[j]) {
                    let mut inner: Vec<Corner> = open.drain(i..j).collect();
                    inner.push(inner[0]);
                    out.push(inner);
                    continue 'cut;
                }
            }
            break;
        }
        open.push(open[0]);
        out.push(open);
        out
    }

    #[test]
    fn one_pass_cuts_the_loops_the_rescanning_cut_finds_on_random_walks() {
        let mut rng = lantu_core::SeededRng::new(27);
        for _ in 0..300 {
            // a closed random walk on a small lattice: it passes corners many times
            let mut p: Corner = (5, 5);
            let mut ring = vec![p];
            for _ in 0..(4 + (rng.unit() * 60.0) as usize) {
                let step = (rng.unit() * 4.0) as u32;
                p = match step {
                    0 => (p.0 + 1, p.1),
                    1 => (p.0.saturating_sub(1), p.1),
                    2 => (p.0, p.1 + 1),
                    _ => (p.0, p.1.saturating_sub(1)),
                };
                if ring.last() != Some(&p) {
                    ring.push(p);
                }
            }
            ring.push(ring[0]);
            assert_eq!(split_at_repeats(ring.clone()), split_by_rescanning(ring.clone()), "{ring:?}");
        }
    }
}
