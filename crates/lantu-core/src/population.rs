//! People from a population grid (WorldPop, LandScan, 七普 grid tables) spread to homes.
//!
//! A grid says how many people live in each cell, not in which building. They are spread
//! over the residential floor area standing in the cell; the people of a cell with no
//! home in it are counted to the community its centre lies in and spread over that
//! community's homes on the grid (a 100 m cell rarely matches a footprint exactly).

use crate::{CommunityId, CommunityLocator};

/// People counted on cells (raster cells, grid polygons or points) and where the
/// buildings stand on them, in the metric CRS.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PopulationGrid {
    /// People of each cell (finite, not negative).
    pub people: Vec<f64>,
    /// Where a cell's people stay when no home stands in it: its centre.
    pub anchors: Vec<geo::Point>,
    /// The cell each building stands in (by its point inside), `None` off the grid (for
    /// a grid of points, the nearest point within their spacing).
    pub building_cell: Vec<Option<u32>>,
}

/// The grid's people per building and per community (see [`spread_people`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GridPeople {
    /// People living in each building; `None` for a building off the grid.
    pub building: Vec<Option<f64>>,
    /// People of each community: its buildings' share plus the people of cells with no
    /// home whose centre lies in it.
    pub community: Vec<f64>,
    /// People of the grid in no community.
    pub outside: f64,
    /// People of the whole grid.
    pub total: f64,
}

/// Spreads the grid's people over the residential floor area (m², 0 for a building that
/// is not a home) of each cell, then the people of cells with no home over the homes of
/// the community the cell's centre lies in that stand in cells with people.
///
/// ```
/// use geo::{point, polygon, MultiPolygon};
/// use lantu_core::{spread_people, Community, CommunityId, HouseholdSource, PopulationGrid};
/// let square = MultiPolygon(vec![polygon![(x: 0., y: 0.), (x: 200., y: 0.), (x: 200., y: 100.), (x: 0., y: 100.)]]);
/// let community = Community {
///     id: CommunityId(0), code: "C0".into(), name: "C0".into(), street_code: None, street_name: None,
///     households: None, households_source: HouseholdSource::Given, population: None, elderly: None,
///     infants: None, children: None, capable: false, centralised: true, boundary: square,
/// };
/// // cell 0 holds 300 people and two homes of 1,000 and 2,000 m²; cell 1 holds 60 people
/// // and no home: they go to the community and are spread 1:2 as well
/// let grid = PopulationGrid {
///     people: vec![300.0, 60.0],
///     anchors: vec![point!(x: 50., y: 50.), point!(x: 150., y: 50.)],
///     building_cell: vec![Some(0), Some(0)],
/// };
/// let located = [Some(CommunityId(0)), Some(CommunityId(0))];
/// let p = spread_people(&grid, &[1000.0, 2000.0], &located, &[community]);
/// assert_eq!(p.building, vec![Some(120.0), Some(240.0)]);
/// assert_eq!(p.community, vec![360.0]);
/// ```
pub fn spread_people(
    grid: &PopulationGrid,
    floor_area_m2: &[f64],
    building_community: &[Option<CommunityId>],
    communities: &[crate::Community],
) -> GridPeople {
    let cells = grid.people.len();
    let mut cell_area = vec![0.0; cells];
    for (b, cell) in grid.building_cell.iter().enumerate() {
        if let Some(cell) = cell {
            cell_area[*cell as usize] += floor_area_m2[b];
        }
    }
    let mut building: Vec<Option<f64>> = grid
        .building_cell
        .iter()
        .enumerate()
        .map(|(b, cell)| {
            let cell = (*cell)? as usize;
            let area = cell_area[cell];
            Some(if area > 0.0 { grid.people[cell] * floor_area_m2[b] / area } else { 0.0 })
        })
        .collect();
    // cells with people and no home: to the community their centre lies in
    let n = communities.len();
    let mut loose = vec![0.0; n];
    let mut outside = 0.0;
    let locator = CommunityLocator::new(communities);
    for (cell, &people) in grid.people.iter().enumerate() {
        if people > 0.0 && cell_area[cell] <= 0.0 {
            match locator.locate(grid.anchors[cell]) {
                Some(c) => loose[c.index()] += people,
                None => outside += people,
            }
        }
    }
    // over the homes in cells the grid says people live in: a home in an empty cell
    // (often a factory taken for a home) stays empty
    let mut home_area = vec![0.0; n];
    for ((cell, c), area) in grid.building_cell.iter().zip(building_community).zip(floor_area_m2) {
        if let (Some(cell), Some(c)) = (cell, c) {
            if grid.people[*cell as usize] > 0.0 {
                home_area[c.index()] += area;
            }
        }
    }
    let mut community = vec![0.0; n];
    for ((people, c), area) in building.iter_mut().zip(building_community).zip(floor_area_m2) {
        match (people.as_mut(), c) {
            (Some(p), Some(c)) => {
                let i = c.index();
                if home_area[i] > 0.0 && *p > 0.0 {
                    *p += loose[i] * area / home_area[i];
                }
                community[i] += *p;
            }
            (Some(p), None) => outside += *p,
            _ => {}
        }
    }
    for i in 0..n {
        if home_area[i] <= 0.0 {
            community[i] += loose[i];
        }
    }
    GridPeople { building, community, outside, total: grid.people.iter().sum() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Community;
    use geo::point;

    fn community(i: u32, x0: f64) -> Community {
        Community {
            households: None,
            ..crate::test_support::community(i, 0.0, crate::test_support::square(x0, 0.0, 100.0))
        }
    }

    /// Two communities of one cell each plus a cell outside: C0's cell has a home and a
    /// factory (floor area 0: not a home); C1's cell has no home but a building off the
    /// grid; the third cell lies in no community.
    #[test]
    fn people_stay_in_their_cell_or_community_and_none_are_lost() {
        let grid = PopulationGrid {
            people: vec![100.0, 40.0, 7.0],
            anchors: vec![point!(x: 50., y: 50.), point!(x: 150., y: 50.), point!(x: 500., y: 50.)],
            building_cell: vec![Some(0), Some(0), None],
        };
        let located = [Some(CommunityId(0)), Some(CommunityId(0)), Some(CommunityId(1))];
        let p = spread_people(&grid, &[800.0, 0.0, 500.0], &located, &[community(0, 0.0), community(1, 100.0)]);
        assert_eq!(p.building, vec![Some(100.0), Some(0.0), None]);
        assert_eq!(p.community, vec![100.0, 40.0], "C1 keeps its cell's people without a home on the grid");
        assert_eq!(p.outside, 7.0);
        assert_eq!(p.total, 147.0);
        assert_eq!(p.community.iter().sum::<f64>() + p.outside, p.total);
    }
}
