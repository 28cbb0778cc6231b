//! Estimating households from residential floor area, where no count is given.

use crate::{HouseholdRules, Households, SquareMetres};

/// Residential floor area of a building: footprint × floors (the profile's default
/// floors where none are given). Zero for footprints below the dwelling minimum.
///
/// ```
/// use lantu_core::{estimate_floor_area, Profile, SquareMetres};
/// let rules = Profile::builtin().households;
/// assert_eq!(estimate_floor_area(SquareMetres(200.0), Some(6.0), &rules), SquareMetres(1200.0));
/// // no floors given: the profile's default (4) is used
/// assert_eq!(estimate_floor_area(SquareMetres(200.0), None, &rules), SquareMetres(800.0));
/// ```
pub fn estimate_floor_area(footprint: SquareMetres, floors: Option<f64>, rules: &HouseholdRules) -> SquareMetres {
    if footprint.0 < rules.min_residential_footprint_m2.0 {
        return SquareMetres::ZERO;
    }
    let floors = floors.filter(|f| f.is_finite() && *f > 0.0).unwrap_or(rules.default_floors);
    footprint * floors
}

/// Households living in `floor_area` of housing, by the profile's m² per household.
pub fn households_from_floor_area(floor_area: SquareMetres, rules: &HouseholdRules) -> Households {
    Households(floor_area.0 / rules.floor_area_per_household_m2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;

    #[test]
    fn sheds_hold_no_households_and_bad_floors_fall_back() {
        let r = Profile::builtin().households;
        assert_eq!(estimate_floor_area(SquareMetres(10.0), Some(3.0), &r), SquareMetres::ZERO);
        assert_eq!(estimate_floor_area(SquareMetres(100.0), Some(-2.0), &r), SquareMetres(100.0 * r.default_floors));
        assert_eq!(
            households_from_floor_area(SquareMetres(1000.0), &r),
            Households(1000.0 / r.floor_area_per_household_m2.0)
        );
    }
}

/// The households of every building and community, given or derived:
///
/// - a building's own count is kept (`Given`);
/// - in a community with a count, what its buildings do not already hold is spread
///   over its other residential buildings by floor area (`SpreadFromCommunity`);
/// - a community without a count gets the sum of its buildings (`SummedFromBuildings`),
///   those without a count estimated from floor area (`EstimatedFromFloorArea`).
///
/// `building_community` is the community of each building ([`crate::Assignment`]).
pub fn derive_households(
    dataset: &mut crate::Dataset,
    building_community: &[Option<crate::CommunityId>],
    rules: &HouseholdRules,
) {
    use crate::HouseholdSource;
    use geo::Area;
    use rayon::prelude::*;

    let located: Vec<(Option<crate::CommunityId>, SquareMetres)> = dataset
        .buildings
        .par_iter()
        .zip(building_community)
        .map(|(b, &community)| {
            let floor_area = if b.residential {
                estimate_floor_area(SquareMetres(b.footprint.unsigned_area()), b.floors, rules)
            } else {
                SquareMetres::ZERO
            };
            (community, floor_area)
        })
        .collect();

    let n = dataset.communities.len();
    let mut given_sum = vec![0.0; n];
    let mut open_area = vec![0.0; n];
    for (b, (c, area)) in dataset.buildings.iter().zip(&located) {
        let Some(c) = c else { continue };
        match (b.households, b.households_source) {
            (Some(h), HouseholdSource::Given) => given_sum[c.index()] += h.0,
            _ => open_area[c.index()] += area.0,
        }
    }
    for (b, (c, area)) in dataset.buildings.iter_mut().zip(&located) {
        if b.households_source == HouseholdSource::Given && b.households.is_some() {
            continue;
        }
        if area.0 <= 0.0 {
            // not a dwelling (or too small to be one): no households
            b.households = None;
            continue;
        }
        let community = c.map(|c| &dataset.communities[c.index()]);
        match community.and_then(|cm| cm.households.filter(|_| cm.households_source == HouseholdSource::Given)) {
            Some(total) if open_area[c.unwrap().index()] > 0.0 => {
                let ci = c.unwrap().index();
                let rest = (total.0 - given_sum[ci]).max(0.0);
                b.households = Some(Households(rest * area.0 / open_area[ci]));
                b.households_source = HouseholdSource::SpreadFromCommunity;
            }
            _ => {
                b.households = Some(households_from_floor_area(*area, rules));
                b.households_source = HouseholdSource::EstimatedFromFloorArea;
            }
        }
    }
    let mut sums = vec![0.0; n];
    let mut counted = vec![false; n];
    for (b, (c, _)) in dataset.buildings.iter().zip(&located) {
        if let (Some(c), Some(h)) = (c, b.households) {
            sums[c.index()] += h.0;
            counted[c.index()] = true;
        }
    }
    for (i, cm) in dataset.communities.iter_mut().enumerate() {
        if cm.households.is_none() && counted[i] {
            cm.households = Some(Households(sums[i]));
            cm.households_source = HouseholdSource::SummedFromBuildings;
        }
    }
}

#[cfg(test)]
mod derive_tests {
    use super::*;
    use crate::*;
    use geo::{polygon, MultiPolygon};

    fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon {
        MultiPolygon(vec![
            polygon![(x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size)],
        ])
    }
    fn community(i: u32, x0: f64, households: Option<f64>) -> Community {
        Community {
            id: CommunityId(i),
            code: format!("C{i}"),
            name: format!("C{i}"),
            street_code: None,
            street_name: None,
            households: households.map(Households),
            households_source: HouseholdSource::Given,
            population: None,
            capable: false,
            centralised: true,
            boundary: square(x0, 0.0, 100.0),
        }
    }
    fn building(i: u32, x0: f64, size: f64, floors: f64, households: Option<f64>) -> Building {
        Building {
            id: BuildingId(i),
            source_id: i.to_string(),
            footprint: square(x0, 10.0, size),
            residential: true,
            floors: Some(floors),
            households: households.map(Households),
            households_source: HouseholdSource::Given,
            compound: None,
            entrances: vec![],
            point_inside: Default::default(),
        }
    }

    #[test]
    fn spread_sum_and_estimate_by_hand() {
        let rules = Profile::builtin().households; // 100 m² per household
        let mut d = Dataset {
            communities: vec![community(0, 0.0, Some(90.0)), community(1, 100.0, None)],
            buildings: vec![
                building(0, 10.0, 10.0, 2.0, Some(30.0)), // given 30 in C0
                building(1, 30.0, 10.0, 2.0, None),       // 200 m² in C0
                building(2, 50.0, 10.0, 4.0, None),       // 400 m² in C0
                building(3, 110.0, 20.0, 5.0, None),      // 2000 m² in C1 -> 20 households
                building(4, 500.0, 20.0, 5.0, None),      // outside
            ],
            ..Default::default()
        };
        let located = Assignment::compute(&d).building_community;
        assert_eq!(
            located,
            vec![Some(CommunityId(0)), Some(CommunityId(0)), Some(CommunityId(0)), Some(CommunityId(1)), None]
        );
        derive_households(&mut d, &located, &rules);
        // C0: 90 - 30 = 60 spread 1:2 over 200 and 400 m²
        assert_eq!(d.buildings[1].households, Some(Households(20.0)));
        assert_eq!(d.buildings[2].households, Some(Households(40.0)));
        assert_eq!(d.buildings[2].households_source, HouseholdSource::SpreadFromCommunity);
        assert_eq!(d.communities[0].households, Some(Households(90.0)));
        assert_eq!(d.buildings[3].households, Some(Households(20.0)));
        assert_eq!(d.communities[1].households, Some(Households(20.0)));
        assert_eq!(d.communities[1].households_source, HouseholdSource::SummedFromBuildings);
        assert!(d.communities[1].households_source.is_estimated());
    }
}
