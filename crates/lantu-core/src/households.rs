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

/// One community's households as each source gives them, before calibration: the
/// check compares them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CommunitySources {
    /// The community.
    pub community: crate::CommunityId,
    /// Its own count (a total above 0).
    pub given: Option<Households>,
    /// The population grid's people in it ÷ persons per household.
    pub grid: Option<Households>,
    /// Its residential floor area ÷ m² per household.
    pub floor_area: Option<Households>,
}

/// How an estimate compares with the given counts overall, and whether it was scaled by
/// that factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    /// The estimate: [`HouseholdSource::FromPopulationGrid`] or
    /// [`HouseholdSource::EstimatedFromFloorArea`].
    pub source: crate::HouseholdSource,
    /// Σ given ÷ Σ estimate over the communities that have both.
    pub factor: f64,
    /// How many communities that is.
    pub communities: usize,
    /// Whether the estimates were scaled by `factor`: some community has no count to
    /// take instead, and `rules.calibrate_estimates` is on.
    pub applied: bool,
}

/// What [`derive_households`] found besides the figures it set: the check prints it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HouseholdDerivation {
    /// Communities whose buildings' own counts disagree with the community's.
    pub mismatches: Vec<HouseholdMismatch>,
    /// Every community's figure by each source it has.
    pub sources: Vec<CommunitySources>,
    /// The factors the estimates were scaled by (empty when no community has both a
    /// count and an estimate, or the profile says not to).
    pub calibration: Vec<Calibration>,
    /// The grid's people per building and community, when a grid was given.
    pub grid: Option<crate::GridPeople>,
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
///   over its other residential buildings (`SpreadFromCommunity`) by the grid's people
///   where a population grid is given and places people in them, else by floor area;
/// - a community without a count gets the sum of its buildings, those without a count
///   estimated from the grid (people ÷ persons per household, `FromPopulationGrid`) or,
///   off the grid or without one, from floor area (`EstimatedFromFloorArea`); a
///   community with grid people but no home gets them as households all the same;
/// - each estimate is scaled by Σ given ÷ Σ estimate over the communities that have a
///   count and that estimate ([`Calibration`], unless `rules.calibrate_estimates` is off
///   or every community has a count), so that estimated and given communities are
///   counted alike;
/// - a community count of 0 or below is no total: the community is counted like one
///   without a count (the check warns about the value itself).
///
/// A community without a count takes the source that gives most of its households.
/// `building_community` is the community of each building ([`crate::Assignment`]).
pub fn derive_households(
    dataset: &mut crate::Dataset,
    building_community: &[Option<crate::CommunityId>],
    rules: &HouseholdRules,
    grid: Option<&crate::PopulationGrid>,
) -> HouseholdDerivation {
    use crate::HouseholdSource;
    use geo::Area;
    use rayon::prelude::*;

    let floor_area: Vec<f64> = dataset
        .buildings
        .par_iter()
        .map(|b| {
            if b.residential {
                estimate_floor_area(SquareMetres(b.footprint.unsigned_area()), b.floors, rules).0
            } else {
                0.0
            }
        })
        .collect();
    let people = grid.map(|g| crate::spread_people(g, &floor_area, building_community, &dataset.communities));
    let building_people = |b: usize| people.as_ref().and_then(|p| p.building[b]);

    let n = dataset.communities.len();
    let (mut given_sum, mut open_area, mut open_people, mut all_area) =
        (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for (bi, (b, c)) in dataset.buildings.iter().zip(building_community).enumerate() {
        let Some(c) = c else { continue };
        all_area[c.index()] += floor_area[bi];
        match (b.households, b.households_source) {
            (Some(h), HouseholdSource::Given) => given_sum[c.index()] += h.0,
            _ if floor_area[bi] > 0.0 => {
                open_area[c.index()] += floor_area[bi];
                open_people[c.index()] += building_people(bi).unwrap_or(0.0);
            }
            _ => {}
        }
    }
    // the community's own count, when it is a total
    let total = |cm: &crate::Community| {
        cm.households.filter(|h| cm.households_source == HouseholdSource::Given && h.0 > 0.0 && h.0.is_finite())
    };
    let positive = |h: f64| (h > 0.0).then_some(Households(h));
    let sources: Vec<CommunitySources> = dataset
        .communities
        .iter()
        .map(|cm| {
            let i = cm.id.index();
            CommunitySources {
                community: cm.id,
                given: total(cm),
                grid: people.as_ref().and_then(|p| positive(p.community[i] / rules.persons_per_household)),
                floor_area: positive(all_area[i] / rules.floor_area_per_household_m2.0),
            }
        })
        .collect();
    // calibration is for the communities without a count: with none, nothing is scaled
    let some_without_count = dataset.communities.iter().any(|c| total(c).is_none());
    let calibrate = |source: HouseholdSource, estimate: fn(&CommunitySources) -> Option<Households>| {
        let (mut given, mut estimated, mut count) = (0.0, 0.0, 0);
        for s in &sources {
            if let (Some(g), Some(e)) = (s.given, estimate(s)) {
                (given, estimated, count) = (given + g.0, estimated + e.0, count + 1);
            }
        }
        (count > 0 && estimated > 0.0).then(|| Calibration {
            source,
            factor: given / estimated,
            communities: count,
            applied: rules.calibrate_estimates && some_without_count,
        })
    };
    let calibration: Vec<Calibration> = [
        calibrate(HouseholdSource::FromPopulationGrid, |s| s.grid),
        calibrate(HouseholdSource::EstimatedFromFloorArea, |s| s.floor_area),
    ]
    .into_iter()
    .flatten()
    .collect();
    let factor = |source: HouseholdSource| {
        calibration.iter().find(|c| c.source == source && c.applied).map_or(1.0, |c| c.factor)
    };
    let (grid_factor, floor_factor) =
        (factor(HouseholdSource::FromPopulationGrid), factor(HouseholdSource::EstimatedFromFloorArea));

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
    let totals: Vec<Option<Households>> = dataset.communities.iter().map(total).collect();
    for (bi, (b, c)) in dataset.buildings.iter_mut().zip(building_community).enumerate() {
        if b.households_source == HouseholdSource::Given && b.households.is_some() {
            if let (Some(c), Some(h)) = (c, b.households.as_mut()) {
                h.0 *= scale[c.index()];
            }
            continue;
        }
        let area = floor_area[bi];
        if area <= 0.0 {
            // not a dwelling (or too small to be one): no households
            b.households = None;
            continue;
        }
        let ci = c.map(|c| c.index());
        match ci.and_then(|i| totals[i].map(|t| (i, t))) {
            Some((i, total)) if open_area[i] > 0.0 => {
                let rest = (total.0 - given_sum[i]).max(0.0);
                let share = if open_people[i] > 0.0 {
                    building_people(bi).unwrap_or(0.0) / open_people[i]
                } else {
                    area / open_area[i]
                };
                b.households = Some(Households(rest * share));
                b.households_source = HouseholdSource::SpreadFromCommunity;
            }
            _ => match building_people(bi) {
                Some(p) => {
                    b.households = Some(Households(p / rules.persons_per_household * grid_factor));
                    b.households_source = HouseholdSource::FromPopulationGrid;
                }
                None => {
                    b.households =
                        Some(Households(households_from_floor_area(SquareMetres(area), rules).0 * floor_factor));
                    b.households_source = HouseholdSource::EstimatedFromFloorArea;
                }
            },
        }
    }
    // communities without a total: the sum of their buildings, by the source that gives most
    let mut sums = vec![0.0; n];
    let mut by_source = vec![[0.0f64; 3]; n];
    let mut counted = vec![false; n];
    for (b, c) in dataset.buildings.iter().zip(building_community) {
        if let (Some(c), Some(h)) = (c, b.households) {
            sums[c.index()] += h.0;
            counted[c.index()] = true;
            let slot = match b.households_source {
                HouseholdSource::FromPopulationGrid => 1,
                HouseholdSource::EstimatedFromFloorArea => 2,
                _ => 0,
            };
            by_source[c.index()][slot] += h.0;
        }
    }
    for (i, cm) in dataset.communities.iter_mut().enumerate() {
        if totals[i].is_some() {
            continue;
        }
        let homeless_grid = people.as_ref().map_or(0.0, |p| p.community[i]);
        if counted[i] {
            cm.households = Some(Households(sums[i]));
            let [given, grid, floor] = by_source[i];
            cm.households_source = if grid >= given && grid >= floor && grid > 0.0 {
                HouseholdSource::FromPopulationGrid
            } else if floor > given {
                HouseholdSource::EstimatedFromFloorArea
            } else {
                HouseholdSource::SummedFromBuildings
            };
        } else if homeless_grid > 0.0 {
            cm.households = Some(Households(homeless_grid / rules.persons_per_household * grid_factor));
            cm.households_source = HouseholdSource::FromPopulationGrid;
        }
    }
    HouseholdDerivation { mismatches, sources, calibration, grid: people }
}

#[cfg(test)]
mod derive_tests {
    use super::*;
    use crate::*;

    use crate::test_support::square;
    fn community(i: u32, x0: f64, households: Option<f64>) -> Community {
        let c = crate::test_support::community(i, 0.0, square(x0, 0.0, 100.0));
        Community { households: households.map(Households), ..c }
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
        let mut rules = Profile::builtin().households; // 100 m² per household
        rules.calibrate_estimates = false; // the rule for spreading alone
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
        derive_households(&mut d, &located, &rules, None);
        // C0: 90 - 30 = 60 spread 1:2 over 200 and 400 m²
        assert_eq!(d.buildings[1].households, Some(Households(20.0)));
        assert_eq!(d.buildings[2].households, Some(Households(40.0)));
        assert_eq!(d.buildings[2].households_source, HouseholdSource::SpreadFromCommunity);
        assert_eq!(d.communities[0].households, Some(Households(90.0)));
        assert_eq!(d.buildings[3].households, Some(Households(20.0)));
        assert_eq!(d.communities[1].households, Some(Households(20.0)));
        assert_eq!(d.communities[1].households_source, HouseholdSource::EstimatedFromFloorArea);
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
        let m = derive_households(&mut d, &located, &rules, None).mismatches;
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

    /// A community with no count on a grid: households = its cell's people ÷ 2.45, shared
    /// by floor area; a second community whose count is given gets its count spread by
    /// the grid's people, not by floor area; the sources are reported side by side.
    #[test]
    fn grid_people_become_households_and_spread_given_counts() {
        let mut rules = Profile::builtin().households;
        rules.calibrate_estimates = false;
        let mut d = Dataset {
            communities: vec![community(0, 0.0, None), community(1, 100.0, Some(100.0))],
            buildings: vec![
                building(0, 10.0, 10.0, 2.0, None),  // 200 m², cell 0
                building(1, 30.0, 10.0, 4.0, None),  // 400 m², cell 0
                building(2, 110.0, 10.0, 3.0, None), // 300 m², cell 1 (60 people)
                building(3, 150.0, 10.0, 3.0, None), // 300 m², cell 2 (180 people)
            ],
            ..Default::default()
        };
        let grid = PopulationGrid {
            people: vec![490.0, 60.0, 180.0],
            anchors: vec![geo::point!(x: 50., y: 50.), geo::point!(x: 125., y: 50.), geo::point!(x: 175., y: 50.)],
            building_cell: vec![Some(0), Some(0), Some(1), Some(2)],
        };
        let located = Assignment::compute(&d).building_community;
        let r = derive_households(&mut d, &located, &rules, Some(&grid));
        let hh = |b: usize| d.buildings[b].households.unwrap().0;
        // 490 people ÷ 2.45 = 200 households, 1:2 by floor area
        assert!((hh(0) - 200.0 / 3.0).abs() < 1e-9 && (hh(1) - 400.0 / 3.0).abs() < 1e-9);
        assert_eq!(d.buildings[0].households_source, HouseholdSource::FromPopulationGrid);
        assert!((d.communities[0].households.unwrap().0 - 200.0).abs() < 1e-9);
        assert_eq!(d.communities[0].households_source, HouseholdSource::FromPopulationGrid);
        // C1's 100 households by the grid's 60 : 180 people, not its equal floor areas
        assert!((hh(2) - 25.0).abs() < 1e-9 && (hh(3) - 75.0).abs() < 1e-9);
        assert_eq!(d.buildings[2].households_source, HouseholdSource::SpreadFromCommunity);
        let s = r.sources[1];
        assert_eq!(s.given, Some(Households(100.0)));
        assert!((s.grid.unwrap().0 - 240.0 / 2.45).abs() < 1e-9);
        assert_eq!(s.floor_area, Some(Households(6.0)));
        assert!(r.calibration.iter().all(|c| !c.applied));
    }

    /// Two identical communities, one with its count (20), one without: the floor-area
    /// estimate runs 5 × high (100 where the count says 20), so it is scaled by 0.2 and
    /// the second community gets 20 as well, not 100.
    #[test]
    fn estimates_are_calibrated_to_the_given_counts() {
        let rules = Profile::builtin().households; // 100 m² a household
        let mut d = Dataset {
            communities: vec![community(0, 0.0, Some(20.0)), community(1, 100.0, None)],
            buildings: vec![building(0, 10.0, 50.0, 4.0, None), building(1, 110.0, 50.0, 4.0, None)],
            ..Default::default()
        };
        let located = Assignment::compute(&d).building_community;
        let r = derive_households(&mut d, &located, &rules, None);
        assert_eq!(
            r.calibration,
            vec![Calibration {
                source: HouseholdSource::EstimatedFromFloorArea,
                factor: 0.2,
                communities: 1,
                applied: true
            }]
        );
        assert_eq!(d.communities[1].households, Some(Households(20.0)));
        assert_eq!(d.communities[1].households_source, HouseholdSource::EstimatedFromFloorArea);
        // without calibration the estimate stands
        let mut raw = rules.clone();
        raw.calibrate_estimates = false;
        d.communities[1].households = None;
        d.communities[1].households_source = HouseholdSource::Given;
        let r = derive_households(&mut d, &located, &raw, None);
        assert!(!r.calibration[0].applied);
        assert_eq!(d.communities[1].households, Some(Households(100.0)));
    }
}
