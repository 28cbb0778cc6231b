//! Small objects for the unit tests of several modules.

use crate::*;
use geo::{polygon, MultiPolygon, Point};

/// A square of side `s` with its lower left corner at (`x`, `y`).
pub fn square(x: f64, y: f64, s: f64) -> MultiPolygon {
    MultiPolygon(vec![polygon![(x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s)]])
}

/// A community of the tests, with its households and boundary.
pub fn community(i: u32, households: f64, boundary: MultiPolygon) -> Community {
    Community {
        id: CommunityId(i),
        code: format!("C{i}"),
        name: format!("C{i}"),
        street_code: None,
        street_name: None,
        households: Some(Households(households)),
        households_source: HouseholdSource::Given,
        population: None,
        elderly: None,
        infants: None,
        children: None,
        capable: false,
        centralised: true,
        boundary,
    }
}

/// A six-storey home of the tests; its households come from its community.
pub fn home(i: u32, footprint: MultiPolygon) -> Building {
    Building {
        id: BuildingId(i),
        source_id: format!("B{i}"),
        footprint,
        residential: true,
        floors: Some(6.0),
        households: None,
        households_source: HouseholdSource::Given,
        compound: None,
        entrances: vec![],
        point_inside: Default::default(),
    }
}

/// A candidate of the tests.
pub fn candidate(i: u32, floor_area: Option<f64>, location: Point) -> CandidateSite {
    CandidateSite {
        id: CandidateId(i),
        source_id: format!("S{i}"),
        name: format!("S{i}"),
        floor_area: floor_area.map(SquareMetres),
        owner: None,
        location,
        footprint: None,
    }
}
