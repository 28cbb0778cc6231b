//! Places per person: the enhanced two-step floating catchment area (E2SFCA; Luo & Qi 2009).
//!
//! Step 1: each facility's places are divided among the people it reaches, each weighted by
//! the decay of their walk: `R_j = S_j / Σ_i D_i W(t_ij)`. Step 2: each home sums the ratios
//! of the facilities it reaches, weighted the same way: `A_i = Σ_j R_j W(t_ij)`. The places a
//! home's people hold, `D_i A_i`, add up over all homes to the places of the facilities that
//! reach anyone: a facility shared by three communities is divided among them, never counted
//! three times.

use crate::{Analysis, Assignment, Dataset, DistanceMetric, Euclidean, Metres, PlacesPer, Profile};
use serde::{Deserialize, Serialize};

/// One step of the distance decay: a walk of up to `minutes` counts with `weight`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecayStep {
    /// The walk's upper bound, minutes.
    pub minutes: f64,
    /// Its weight (0–1).
    pub weight: f64,
}

/// How places are shared out (`[access]` of the profile).
///
/// The default steps, 1.00 within 5 minutes, 0.68 within 10 and 0.22 within 15, are Luo and
/// Qi's (2009) Gaussian weights for three zones, with the zones at the pilot's 5-, 10- and
/// 15-minute circles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessRules {
    /// The steps, by increasing minutes; beyond the last a facility is out of reach.
    pub decay: Vec<DecayStep>,
}

impl Default for AccessRules {
    fn default() -> AccessRules {
        let step = |minutes, weight| DecayStep { minutes, weight };
        AccessRules { decay: vec![step(5.0, 1.0), step(10.0, 0.68), step(15.0, 0.22)] }
    }
}

impl AccessRules {
    /// The weight of a walk of `minutes` (0 beyond the last step).
    ///
    /// ```
    /// use lantu_core::AccessRules;
    /// let r = AccessRules::default();
    /// assert_eq!((r.weight(0.0), r.weight(5.0), r.weight(7.5), r.weight(15.0), r.weight(15.1)), (1.0, 1.0, 0.68, 0.22, 0.0));
    /// ```
    pub fn weight(&self, minutes: f64) -> f64 {
        self.decay.iter().find(|s| minutes <= s.minutes).map_or(0.0, |s| s.weight)
    }

    /// The longest walk that counts, minutes.
    pub fn max_minutes(&self) -> f64 {
        self.decay.iter().map(|s| s.minutes).fold(0.0, f64::max)
    }
}

/// Places per person at each origin (home): the E2SFCA accessibility `A_i`.
///
/// `capacity[j]` are facility `j`'s places; `reach[j]` the origins within its catchment, with
/// the weight of their walk (0 < w ≤ 1), sorted by origin; `demand[i]` the people at origin
/// `i`. A facility that reaches no one with demand shares nothing. Deterministic: sums run in
/// facility order.
///
/// ```
/// use lantu_core::e2sfca;
/// // one facility of 10 places reaching two homes of 30 and 10 people at full weight:
/// let a = e2sfca(&[10.0], &[vec![(0, 1.0), (1, 1.0)]], &[30.0, 10.0]);
/// assert_eq!(a, vec![0.25, 0.25]); // 10 places / 40 people
/// ```
pub fn e2sfca(capacity: &[f64], reach: &[Vec<(u32, f64)>], demand: &[f64]) -> Vec<f64> {
    let mut access = vec![0.0; demand.len()];
    for (s, hits) in capacity.iter().zip(reach) {
        let weighted: f64 = hits.iter().map(|&(i, w)| demand[i as usize] * w).sum();
        if weighted <= 0.0 || !s.is_finite() || *s <= 0.0 {
            continue;
        }
        let ratio = s / weighted;
        for &(i, w) in hits {
            access[i as usize] += ratio * w;
        }
    }
    access
}

/// How a kind's facilities were counted by [`add_places`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlacesCount {
    /// Facilities that gave their places.
    pub given: usize,
    /// Facilities whose places were estimated from floor area (`per_m2`).
    pub estimated: usize,
    /// Facilities with neither: they hold no places here.
    pub unknown: usize,
    /// All places counted.
    pub places: f64,
    /// Of them, the places held by the people within reach (the rest reach no one).
    pub held: f64,
}

/// Adds places per 1,000 people to every community and street of `analysis`, for each kind
/// counted by capacity (`[kinds.capacity]`): E2SFCA over the walks `metric` measures (a
/// straight line for kinds reached through the air), with the profile's decay, the demand
/// being each home's people of the kind's group. How each kind's facilities were counted is
/// kept in [`Analysis::places`].
pub fn add_places(
    analysis: &mut Analysis,
    d: &Dataset,
    a: &Assignment,
    profile: &Profile,
    metric: &dyn DistanceMetric,
) {
    let kinds = &profile.kinds;
    let speed = profile.walking.speed_m_per_min.0;
    let cutoff = Metres(profile.access.max_minutes() * speed);
    let people_per_hh = crate::people::people_per_household(d, a, &analysis.communities);
    // the walks from each facility of a kind counted by capacity, searched once however many
    // such kinds it serves (straight lines for the kinds reached through the air)
    let walks = |air: bool| {
        let wanted: Vec<usize> = (0..d.facilities.len())
            .filter(|&f| {
                d.facilities[f].kinds.iter().any(|k| kinds.def(*k).capacity.is_some() && kinds.def(*k).by_air() == air)
            })
            .collect();
        let points: Vec<geo::Point> = wanted.iter().map(|&f| d.facilities[f].location).collect();
        let by: &dyn DistanceMetric = if air { &Euclidean } else { metric };
        let hits = crate::reach_buildings(by, &d.buildings, &points, cutoff);
        let mut of_facility: Vec<Option<Vec<(u32, f32)>>> = vec![None; d.facilities.len()];
        for (f, h) in wanted.into_iter().zip(hits) {
            of_facility[f] = Some(h);
        }
        of_facility
    };
    let (walked, flown) = (walks(false), walks(true));
    let mut counts = vec![None; kinds.len()];
    for k in kinds.all() {
        let def = kinds.def(k);
        let Some(rule) = &def.capacity else { continue };
        let mut count = PlacesCount::default();
        let (mut sites, mut capacity) = (Vec::new(), Vec::new());
        for f in d.facilities.iter().filter(|f| f.kinds.contains(&k)) {
            let places = match (f.capacity, rule.per_m2, f.floor_area) {
                (Some(c), _, _) => {
                    count.given += 1;
                    c
                }
                (None, Some(per), Some(area)) => {
                    count.estimated += 1;
                    per * area.0
                }
                _ => {
                    count.unknown += 1;
                    continue;
                }
            };
            count.places += places;
            sites.push(f.id.index());
            capacity.push(places);
        }
        let searched = if def.by_air() { &flown } else { &walked };
        let reach: Vec<Vec<(u32, f64)>> = sites
            .iter()
            .map(|&f| {
                searched[f]
                    .iter()
                    .flatten()
                    .map(|&(b, m)| (b, profile.access.weight(m as f64 / speed)))
                    .filter(|(_, w)| *w > 0.0)
                    .collect()
            })
            .collect();
        let group = def.serves;
        let demand: Vec<f64> = d
            .buildings
            .iter()
            .zip(&people_per_hh)
            .map(|(b, per_hh)| b.households.map_or(0.0, |h| h.0 * per_hh[group as usize]))
            .collect();
        let access = e2sfca(&capacity, &reach, &demand);
        let mut held = vec![0.0; d.communities.len()];
        for ((acc, dem), c) in access.iter().zip(&demand).zip(&a.building_community) {
            if let Some(c) = c {
                held[c.index()] += acc * dem;
            }
        }
        count.held = held.iter().sum();
        let base = |p: &crate::People| match rule.per {
            PlacesPer::Population => p.of(crate::TargetGroup::All),
            PlacesPer::Group => p.of(group),
        };
        for c in analysis.communities.iter_mut() {
            c.places_per_1000[k.index()] =
                base(&c.people).filter(|b| *b > 0.0).map(|b| 1000.0 * held[c.id.index()] / b);
        }
        for s in analysis.streets.iter_mut() {
            let people: f64 = s.communities.iter().filter_map(|c| base(&analysis.communities[c.index()].people)).sum();
            let places: f64 = s.communities.iter().map(|c| held[c.index()]).sum();
            s.places_per_1000[k.index()] = (people > 0.0).then(|| 1000.0 * places / people);
        }
        counts[k.index()] = Some(count);
    }
    analysis.places = counts;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked on paper:
    /// facility X (20 places) reaches homes 1 (100 people, 3 min) and 2 (50 people, 8 min);
    /// facility Y (10 places) reaches home 2 (8 min) and home 3 (200 people, 12 min).
    #[test]
    fn two_facilities_three_homes_by_hand() {
        let rules = AccessRules::default();
        let w = |m| rules.weight(m);
        let reach = vec![vec![(0, w(3.0)), (1, w(8.0))], vec![(1, w(8.0)), (2, w(12.0))]];
        let a = e2sfca(&[20.0, 10.0], &reach, &[100.0, 50.0, 200.0]);
        // R_X = 20 / (100·1 + 50·0.68) = 20 / 134; R_Y = 10 / (50·0.68 + 200·0.22) = 10 / 78
        let (rx, ry) = (20.0 / 134.0, 10.0 / 78.0);
        let want = [rx, rx * 0.68 + ry * 0.68, ry * 0.22];
        for (got, want) in a.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        // every place is held by someone: Σ D_i A_i = 30
        let held: f64 = a.iter().zip([100.0, 50.0, 200.0]).map(|(a, d)| a * d).sum();
        assert!((held - 30.0).abs() < 1e-9, "{held}");
    }

    #[test]
    fn a_facility_reaching_no_one_shares_nothing_and_nothing_is_divided_by_zero() {
        let a = e2sfca(&[5.0, 7.0], &[vec![], vec![(0, 1.0)]], &[0.0]);
        assert_eq!(a, vec![0.0]);
        let a = e2sfca(&[5.0], &[vec![(0, 1.0), (1, 0.5)]], &[0.0, 10.0]);
        assert_eq!(a, vec![1.0, 0.5]); // 5 / (10·0.5) = 1 place per weighted person
    }
}
