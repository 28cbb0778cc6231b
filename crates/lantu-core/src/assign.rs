//! Assigning buildings, facilities and candidate sites to communities, and communities
//! to streets, with an R-tree over community envelopes.

use crate::{BuildingId, CommunityId, Dataset, StreetId};
use geo::{Area, BooleanOps, BoundingRect, Contains, CoordsIter, InteriorPoint, Intersects, MultiPolygon, Point};
use rayon::prelude::*;
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
///     population: None, elderly: None, infants: None, children: None, capable: false, centralised: true,
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
    pub fn new(communities: &[crate::Community]) -> CommunityLocator {
        let entries = communities
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let r = c.boundary.bounding_rect()?;
                Some(GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i))
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
            if b.intersects(&p) && self.better(i, on_boundary) {
                on_boundary = Some(i);
            }
        }
        on_boundary.map(CommunityId::from_index)
    }

    /// The community a polygon overlaps most (ties: smallest code), or `None` when it
    /// overlaps none.
    ///
    /// Fast paths first: a footprint whose vertices all lie in one community belongs to
    /// it (a building cannot meaningfully straddle a boundary without a vertex across
    /// it); otherwise the overlap areas are computed exactly.
    pub fn locate_polygon(&self, poly: &MultiPolygon) -> Option<CommunityId> {
        let r = poly.bounding_rect()?;
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let candidates: Vec<usize> = self.tree.locate_in_envelope_intersecting(&env).map(|e| e.data).collect();
        if candidates.is_empty() {
            return None;
        }
        for &i in &candidates {
            let b = &self.boundaries[i];
            if poly.coords_iter().all(|c| b.contains(&c)) {
                return Some(CommunityId::from_index(i));
            }
        }
        let mut best: Option<(f64, usize)> = None;
        for &i in &candidates {
            let a = self.boundaries[i].intersection(poly).unsigned_area();
            if a <= 0.0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((ba, bi)) => a > ba || (a == ba && self.better(i, Some(bi))),
            };
            if better {
                best = Some((a, i));
            }
        }
        best.map(|(_, i)| CommunityId::from_index(i))
    }

    fn better(&self, i: usize, than: Option<usize>) -> bool {
        match than {
            None => true,
            Some(j) => (&self.codes[i], i) < (&self.codes[j], j),
        }
    }
}

/// Where every object of a dataset belongs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assignment {
    /// The community of each building (largest overlap).
    pub building_community: Vec<Option<CommunityId>>,
    /// The community of each facility (its location; footprints by largest overlap).
    pub facility_community: Vec<Option<CommunityId>>,
    /// The building that holds each facility's location, if any.
    pub facility_building: Vec<Option<BuildingId>>,
    /// The community of each candidate site.
    pub candidate_community: Vec<Option<CommunityId>>,
    /// The street of each community.
    pub community_street: Vec<Option<StreetId>>,
}

impl Assignment {
    /// Assigns everything, in parallel over owned data.
    ///
    /// Communities go to streets by street code, else by a point inside them lying in
    /// a street's boundary, else by street name.
    pub fn compute(d: &Dataset) -> Assignment {
        let locator = CommunityLocator::new(&d.communities);
        let building_community = d.buildings.par_iter().map(|b| locator.locate_polygon(&b.footprint)).collect();
        let place = |location: Point, footprint: &Option<MultiPolygon>| match footprint {
            Some(f) => locator.locate_polygon(f).or_else(|| locator.locate(location)),
            None => locator.locate(location),
        };
        let candidate_community = d.candidates.par_iter().map(|c| place(c.location, &c.footprint)).collect();
        let (facility_community, facility_building) = place_facilities(d, &locator, &d.facilities);

        let community_street = Self::compute_streets(d);
        Assignment { building_community, facility_community, facility_building, candidate_community, community_street }
    }

    /// Assigns the facilities added to `d` since this assignment was made (a plan's
    /// projects, converted sites); everything else stays as it was.
    pub fn extend_facilities(&mut self, d: &Dataset) {
        let from = self.facility_community.len();
        if from >= d.facilities.len() {
            return;
        }
        let locator = CommunityLocator::new(&d.communities);
        let (community, building) = place_facilities(d, &locator, &d.facilities[from..]);
        self.facility_community.extend(community);
        self.facility_building.extend(building);
    }

    /// The street of each community: by street code, else by a point inside it lying
    /// in a street's boundary, else by street name.
    pub fn compute_streets(d: &Dataset) -> Vec<Option<StreetId>> {
        d.communities
            .iter()
            .map(|c| {
                let by_code = c.street_code.as_ref().and_then(|code| d.streets.iter().find(|s| &s.code == code));
                let by_area = || {
                    let p = c.boundary.interior_point()?;
                    d.streets.iter().find(|s| s.boundary.as_ref().is_some_and(|b| b.intersects(&p)))
                };
                let by_name = || c.street_name.as_ref().and_then(|n| d.streets.iter().find(|s| &s.name == n));
                by_code.or_else(by_area).or_else(by_name).map(|s| s.id)
            })
            .collect()
    }
}

/// The community (by location, footprints by largest overlap) and the building holding
/// the location of each facility.
#[allow(clippy::type_complexity)]
fn place_facilities(
    d: &Dataset,
    locator: &CommunityLocator,
    facilities: &[crate::Facility],
) -> (Vec<Option<CommunityId>>, Vec<Option<BuildingId>>) {
    let community = facilities
        .par_iter()
        .map(|f| match &f.footprint {
            Some(fp) => locator.locate_polygon(fp).or_else(|| locator.locate(f.location)),
            None => locator.locate(f.location),
        })
        .collect();
    let building_tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> = RTree::bulk_load(
        d.buildings
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let r = b.footprint.bounding_rect()?;
                Some(GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i))
            })
            .collect(),
    );
    let building = facilities
        .par_iter()
        .map(|f| {
            let p = f.location;
            building_tree
                .locate_in_envelope_intersecting(&AABB::from_point([p.x(), p.y()]))
                .map(|e| e.data)
                .filter(|&i| d.buildings[i].footprint.intersects(&p))
                .min()
                .map(BuildingId::from_index)
        })
        .collect();
    (community, building)
}
