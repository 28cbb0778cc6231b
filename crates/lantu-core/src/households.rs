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
pub fn estimate_floor_area(
    footprint: SquareMetres,
    floors: Option<f64>,
    rules: &HouseholdRules,
) -> SquareMetres {
    if footprint.0 < rules.min_residential_footprint_m2.0 {
        return SquareMetres::ZERO;
    }
    let floors = floors
        .filter(|f| f.is_finite() && *f > 0.0)
        .unwrap_or(rules.default_floors);
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
        assert_eq!(
            estimate_floor_area(SquareMetres(100.0), Some(-2.0), &r),
            SquareMetres(100.0 * r.default_floors)
        );
        assert_eq!(
            households_from_floor_area(SquareMetres(1000.0), &r),
            Households(1000.0 / r.floor_area_per_household_m2.0)
        );
    }
}
