//! Assigning points to communities with an R-tree over community envelopes.

use crate::{Community, CommunityId};
use geo::{BoundingRect, Contains, Intersects, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// An R-tree over community boundaries, built once and queried from many threads.
///
/// A point inside one community's interior goes to that community. A point exactly
/// on a boundary shared by several goes to the one with the smallest community code
/// (then the smallest id), so the result does not depend on input order.
///
/// ```
/// use lantu_core::{CommunityLocator, Community, CommunityId, HouseholdSource};
/// use geo::{polygon, MultiPolygon, Point};
/// let square = |x0: f64, code: &str, id| Community {
///     id: CommunityId(id), code: code.into(), name: code.into(), street_code: None,
///     street_name: None, households: None, households_source: HouseholdSource::Given,
///     population: None, capable: false, centralised: true,
///     boundary: MultiPolygon(vec![polygon![(x: x0, y: 0.0), (x: x0 + 10.0, y: 0.0),
///         (x: x0 + 10.0, y: 10.0), (x: x0, y: 10.0)]]),
/// };
/// let locator = CommunityLocator::new(&[square(0.0, "B", 0), square(10.0, "A", 1)]);
/// assert_eq!(locator.locate(Point::new(5.0, 5.0)), Some(CommunityId(0)));
/// // on the shared edge x = 10: the smaller code, "A", wins
/// assert_eq!(locator.locate(Point::new(10.0, 5.0)), Some(CommunityId(1)));
/// assert_eq!(locator.locate(Point::new(50.0, 5.0)), None);
/// ```
pub struct CommunityLocator {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    boundaries: Vec<MultiPolygon>,
    codes: Vec<String>,
}

impl CommunityLocator {
    /// Builds the index over the communities' boundaries.
    pub fn new(communities: &[Community]) -> CommunityLocator {
        let entries = communities
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let r = c.boundary.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        CommunityLocator {
            tree: RTree::bulk_load(entries),
            boundaries: communities.iter().map(|c| c.boundary.clone()).collect(),
            codes: communities.iter().map(|c| c.code.clone()).collect(),
        }
    }

    /// The community a point belongs to, or `None` when it lies outside all of them.
    pub fn locate(&self, p: Point) -> Option<CommunityId> {
        let env = AABB::from_point([p.x(), p.y()]);
        let mut on_boundary: Option<usize> = None;
        for entry in self.tree.locate_in_envelope_intersecting(&env) {
            let i = entry.data;
            let b = &self.boundaries[i];
            if b.contains(&p) {
                return Some(CommunityId::from_index(i));
            }
            if b.intersects(&p) {
                let better = match on_boundary {
                    None => true,
                    Some(j) => (&self.codes[i], i) < (&self.codes[j], j),
                };
                if better {
                    on_boundary = Some(i);
                }
            }
        }
        on_boundary.map(CommunityId::from_index)
    }
}
