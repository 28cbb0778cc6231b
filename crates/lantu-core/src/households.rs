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

/// Floors of a building from its height: height ÷ the profile's storey height, rounded,
/// at least one.
///
/// ```
/// use lantu_core::{floors_from_height, Metres, Profile};
/// let rules = Profile::builtin().households; // 3.0 m a storey
/// assert_eq!(floors_from_height(Metres(18.0), &rules), 6.0);
/// assert_eq!(floors_from_height(Metres(19.6), &rules), 7.0);
/// assert_eq!(floors_from_height(Metres(1.0), &rules), 1.0);
/// ```
pub fn floors_from_height(height: crate::Metres, rules: &HouseholdRules) -> f64 {
    (height.0 / rules.storey_height_m.0).round().max(1.0)
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

/// A community whose count and whose buildings' own counts disagree (see
/// [`derive_households`]): reported by the check with the ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HouseholdMismatch {
    /// The community.
    pub community: crate::CommunityId,
    /// Its own count.
    pub community_households: Households,
    /// The sum of its buildings' own counts, before reconciling.
    pub buildings_households: Households,
    /// Whether the buildings' counts were scaled down to the community's count.
    pub scaled: bool,
}

/// The households of every building and community, given or derived. One rule reconciles
/// the two levels: **a community's own count (above 0) is its total**, and its buildings
/// share it.
///
/// - a building's own count is kept (`Given`), unless the given counts of a community's
///   buildings add up to more than the community's count: then they are scaled down by
///   the same factor to add up to it (and reported), so no figure of homes in reach can
///   exceed the community's households;
/// - in a community with a count, what its buildings do not already hold is spread
///   over its other residential buildings by floor area (`SpreadFromCommunity`);
/// - a community without a count gets the sum of its buildings (`SummedFromBuildings`),
///   those without a count estimated from floor area (`EstimatedFromFloorArea`);
/// - a community count of 0 or below is no total: the community is counted like one
///   without a count (the check warns about the value itself).
///
/// `building_community` is the community of each building ([`crate::Assignment`]).
/// Returns the communities whose buildings' own counts differ from the community's count
/// by more than half a household, with no other building to take the difference.
pub fn derive_households(
    dataset: &mut crate::Dataset,
    building_community: &[Option<crate::CommunityId>],
    rules: &HouseholdRules,
) -> Vec<HouseholdMismatch> {
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
    // the community's own count, when it is a total
    let total = |cm: &crate::Community| {
        cm.households.filter(|h| cm.households_source == HouseholdSource::Given && h.0 > 0.0 && h.0.is_finite())
    };
    let mut mismatches = Vec::new();
    let mut scale = vec![1.0; n];
    for cm in &dataset.communities {
        let i = cm.id.index();
        let Some(t) = total(cm) else { continue };
        let over = given_sum[i] > t.0 + 0.5;
        let under = given_sum[i] > 0.0 && given_sum[i] < t.0 - 0.5 && open_area[i] <= 0.0;
        if over {
            scale[i] = t.0 / given_sum[i];
        }
        if over || under {
            mismatches.push(HouseholdMismatch {
                community: cm.id,
                community_households: t,
                buildings_households: Households(given_sum[i]),
                scaled: over,
            });
        }
    }
    for (b, (c, area)) in dataset.buildings.iter_mut().zip(&located) {
        if b.households_source == HouseholdSource::Given && b.households.is_some() {
            if let (Some(c), Some(h)) = (c, b.households.as_mut()) {
                h.0 *= scale[c.index()];
            }
            continue;
        }
        if area.0 <= 0.0 {
            // not a dwelling (or too small to be one): no households
            b.households = None;
            continue;
        }
        let community = c.map(|c| &dataset.communities[c.index()]);
        match community.and_then(total) {
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
        if total(cm).is_none() && counted[i] {
            cm.households = Some(Households(sums[i]));
            cm.households_source = HouseholdSource::SummedFromBuildings;
        }
    }
    mismatches
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

    #[test]
    fn building_counts_above_the_community_count_are_scaled_to_it_and_reported() {
        let rules = Profile::builtin().households;
        // C0 gives 100 households, its two buildings 600 + 400; C1 gives 500, its only
        // building 50; C2 gives 0 (no total), its building 70
        let mut d = Dataset {
            communities: vec![
                community(0, 0.0, Some(100.0)),
                community(1, 100.0, Some(500.0)),
                community(2, 200.0, Some(0.0)),
            ],
            buildings: vec![
                building(0, 10.0, 10.0, 2.0, Some(600.0)),
                building(1, 30.0, 10.0, 2.0, Some(400.0)),
                building(2, 110.0, 10.0, 2.0, Some(50.0)),
                building(3, 210.0, 10.0, 2.0, Some(70.0)),
            ],
            ..Default::default()
        };
        let located = Assignment::compute(&d).building_community;
        let m = derive_households(&mut d, &located, &rules);
        assert_eq!(d.buildings[0].households, Some(Households(60.0)));
        assert_eq!(d.buildings[1].households, Some(Households(40.0)));
        assert_eq!(d.buildings[2].households, Some(Households(50.0)), "below the count: kept");
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[0].community, m[0].buildings_households, m[0].scaled),
            (CommunityId(0), Households(1000.0), true)
        );
        assert_eq!((m[1].community, m[1].buildings_households, m[1].scaled), (CommunityId(1), Households(50.0), false));
        assert_eq!(d.communities[2].households, Some(Households(70.0)));
        assert_eq!(d.communities[2].households_source, HouseholdSource::SummedFromBuildings);
        // no community's buildings hold more than the community
        for c in &d.communities {
            let sum: f64 = d
                .buildings
                .iter()
                .zip(&located)
                .filter(|(_, l)| **l == Some(c.id))
                .filter_map(|(b, _)| b.households)
                .map(|h| h.0)
                .sum();
            assert!(sum <= c.households.unwrap().0 + 1e-9, "{}: {sum}", c.code);
        }
    }
}
