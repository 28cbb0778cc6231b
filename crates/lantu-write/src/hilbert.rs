//! The Hilbert order of FlatGeobuf's packed R-tree, with each feature's key worked out once.
//!
//! `flatgeobuf::packed_r_tree::hilbert_sort` works out both keys inside the comparison, about
//! forty times per feature for a city's half a million buildings. The key is the position of
//! the box's centre on a Hilbert curve of 2¹⁶ × 2¹⁶ cells over the extent (the public-domain
//! branch-free construction of rawrunprotected/hilbert_curves, which the crate uses too);
//! the order is the crate's — descending key, ties in input order — so the files keep their
//! bytes (tested against the crate's sort).

use flatgeobuf::packed_r_tree::NodeItem;

/// Cells along each side of the curve, less one.
const HILBERT_MAX: u32 = (1 << 16) - 1;

/// The index of the cell (x, y), both below 2¹⁶, along the Hilbert curve.
fn hilbert(x: u32, y: u32) -> u32 {
    // the curve's state after each level, for all levels at once (prefix scans on bits)
    let (mut a, mut b) = (x ^ y, 0xFFFF ^ (x ^ y));
    let (mut c, mut d) = (0xFFFF ^ (x | y), x & (y ^ 0xFFFF));
    let step1 = (a | (b >> 1), (a >> 1) ^ a, ((c >> 1) ^ (b & (d >> 1))) ^ c, ((a & (c >> 1)) ^ (d >> 1)) ^ d);
    (a, b, c, d) = step1;
    for shift in [2, 4] {
        (a, b, c, d) = (
            (a & (a >> shift)) ^ (b & (b >> shift)),
            (a & (b >> shift)) ^ (b & ((a ^ b) >> shift)),
            c ^ (a & (c >> shift)) ^ (b & (d >> shift)),
            d ^ (b & (c >> shift)) ^ ((a ^ b) & (d >> shift)),
        );
    }
    let (c, d) = (c ^ ((a & (c >> 8)) ^ (b & (d >> 8))), d ^ ((b & (c >> 8)) ^ ((a ^ b) & (d >> 8))));
    let (a, b) = (c ^ (c >> 1), d ^ (d >> 1));
    let i0 = x ^ y;
    let i1 = b | (0xFFFF ^ (i0 | a));
    (interleave(i1) << 1) | interleave(i0)
}

/// The 16 low bits of `v` spread to the even bits.
fn interleave(mut v: u32) -> u32 {
    v = (v | (v << 8)) & 0x00FF_00FF;
    v = (v | (v << 4)) & 0x0F0F_0F0F;
    v = (v | (v << 2)) & 0x3333_3333;
    (v | (v << 1)) & 0x5555_5555
}

/// The Hilbert key of a box's centre within `extent`.
fn key(r: &NodeItem, extent: &NodeItem) -> u32 {
    let x = (HILBERT_MAX as f64 * ((r.min_x + r.max_x) / 2.0 - extent.min_x) / extent.width()).floor() as u32;
    let y = (HILBERT_MAX as f64 * ((r.min_y + r.max_y) / 2.0 - extent.min_y) / extent.height()).floor() as u32;
    hilbert(x, y)
}

/// Sorts the items as `flatgeobuf::packed_r_tree::hilbert_sort` does: descending Hilbert key,
/// equal keys in their input order.
pub(crate) fn hilbert_sort(items: &mut [NodeItem], extent: &NodeItem) {
    items.sort_by_cached_key(|n| std::cmp::Reverse(key(n, extent)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantu_core::SeededRng;

    #[test]
    fn the_order_is_the_crates_on_random_boxes_with_ties() {
        let mut rng = SeededRng::new(16);
        for round in 0..20 {
            let n = 1 + rng.below(3000);
            let mut items: Vec<NodeItem> = (0..n)
                .map(|i| {
                    // a coarse grid of centres in some rounds, so that many keys are equal
                    let (x, y) = if round % 2 == 0 {
                        (rng.below(8) as f64 * 100.0, rng.below(8) as f64 * 100.0)
                    } else {
                        (rng.range(-5e5, 5e5), rng.range(3e6, 3.2e6))
                    };
                    let (w, h) = (rng.range(0.0, 50.0), rng.range(0.0, 50.0));
                    NodeItem { min_x: x, min_y: y, max_x: x + w, max_y: y + h, offset: i as u64 }
                })
                .collect();
            let extent = flatgeobuf::packed_r_tree::calc_extent(&items);
            let mut theirs = items.clone();
            flatgeobuf::packed_r_tree::hilbert_sort(&mut theirs, &extent);
            hilbert_sort(&mut items, &extent);
            let order = |v: &[NodeItem]| v.iter().map(|n| n.offset).collect::<Vec<_>>();
            assert_eq!(order(&items), order(&theirs), "round {round}, {n} boxes");
        }
    }

    #[test]
    fn the_curve_starts_at_the_origin_and_visits_every_cell_of_a_small_square_once() {
        assert_eq!(hilbert(0, 0), 0);
        // the 2¹⁶ curve restricted to the 4 × 4 corner: 16 distinct keys
        let mut keys: Vec<u32> = (0..4).flat_map(|x| (0..4).map(move |y| hilbert(x, y))).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 16);
    }
}
