//! Walking coverage: distance from every building to the nearest facility of each kind,
//! with the way of measuring passed in as a value ([`DistanceMetric`]).

use crate::Metres;
use geo::Point;
use rayon::prelude::*;
use rstar::RTree;

/// A way of measuring the walk from homes to services.
///
/// One coverage routine takes any metric: [`Euclidean`] here, the walking network in
/// `lantu-net`. Implementations must be deterministic.
pub trait DistanceMetric: Sync {
    /// A short name for outputs (`euclidean`, `network`).
    fn name(&self) -> &'static str;

    /// For each target set (one per service kind), for each origin, the distance to the
    /// nearest target of the set, or `None` beyond `cutoff` (or unreachable).
    fn nearest(&self, origins: &[Point], targets: &[Vec<Point>], cutoff: Metres) -> Vec<Vec<Option<Metres>>>;

    /// For each site, the origins from which it is within `cutoff`, with the distance
    /// (origin index, metres), sorted by origin index. Used to weigh candidate sites.
    fn reach(&self, origins: &[Point], sites: &[Point], cutoff: Metres) -> Vec<Vec<(u32, f32)>>;
}

/// Straight-line distance, through an R-tree of the facilities of each kind.
///
/// ```
/// use lantu_core::{DistanceMetric, Euclidean, Metres};
/// use geo::Point;
/// let homes = [Point::new(0.0, 0.0), Point::new(100.0, 0.0)];
/// let d = Euclidean.nearest(&homes, &[vec![Point::new(30.0, 40.0)]], Metres(100.0));
/// assert_eq!(d[0], vec![Some(Metres(50.0)), Some(Metres(80.62257748298549))]);
/// let d = Euclidean.nearest(&homes, &[vec![Point::new(30.0, 40.0)]], Metres(60.0));
/// assert_eq!(d[0][1], None); // beyond the cut-off
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Euclidean;

impl DistanceMetric for Euclidean {
    fn name(&self) -> &'static str {
        "euclidean"
    }

    fn nearest(&self, origins: &[Point], targets: &[Vec<Point>], cutoff: Metres) -> Vec<Vec<Option<Metres>>> {
        targets
            .par_iter()
            .map(|pts| {
                let tree = RTree::bulk_load(pts.iter().map(|p| [p.x(), p.y()]).collect());
                origins
                    .par_iter()
                    .map(|o| {
                        let q = [o.x(), o.y()];
                        let n = tree.nearest_neighbor(&q)?;
                        let d = ((n[0] - q[0]).powi(2) + (n[1] - q[1]).powi(2)).sqrt();
                        (d <= cutoff.0).then_some(Metres(d))
                    })
                    .collect()
            })
            .collect()
    }

    fn reach(&self, origins: &[Point], sites: &[Point], cutoff: Metres) -> Vec<Vec<(u32, f32)>> {
        let tree: RTree<rstar::primitives::GeomWithData<[f64; 2], u32>> = RTree::bulk_load(
            origins
                .iter()
                .enumerate()
                .filter(|(_, o)| o.x().is_finite() && o.y().is_finite())
                .map(|(i, o)| rstar::primitives::GeomWithData::new([o.x(), o.y()], i as u32))
                .collect(),
        );
        sites
            .par_iter()
            .map(|s| {
                let q = [s.x(), s.y()];
                let mut v: Vec<(u32, f32)> = tree
                    .locate_within_distance(q, cutoff.0 * cutoff.0)
                    .map(|o| (o.data, ((o.geom()[0] - q[0]).powi(2) + (o.geom()[1] - q[1]).powi(2)).sqrt() as f32))
                    .collect();
                v.sort_unstable_by_key(|x| x.0);
                v
            })
            .collect()
    }
}
