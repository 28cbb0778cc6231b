//! Where a building's walks start: its best entrance when entrances are known (a hillside
//! building's door matters more than its middle), else a point inside its footprint.

use crate::{Building, DistanceMetric, Euclidean, KindDef, Kinds, Metres};
use geo::{Distance, Euclidean as Plane, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;

/// Every origin of every building and the building it belongs to: its entrances, or one
/// point inside its footprint (not-a-number when the footprint has none, which no metric
/// reaches).
pub fn building_origins(buildings: &[Building]) -> (Vec<Point>, Vec<u32>) {
    let mut points = Vec::with_capacity(buildings.len());
    let mut owner = Vec::with_capacity(buildings.len());
    for (i, b) in buildings.iter().enumerate() {
        if b.entrances.is_empty() {
            points.push(b.origin());
            owner.push(i as u32);
        } else {
            points.extend(b.entrances.iter().copied());
            owner.extend(std::iter::repeat_n(i as u32, b.entrances.len()));
        }
    }
    (points, owner)
}

/// Per target set, per building: the distance from its best origin (see [`building_origins`]).
pub fn nearest_from_buildings(
    metric: &dyn DistanceMetric,
    buildings: &[Building],
    targets: &[Vec<Point>],
    cutoff: Metres,
) -> Vec<Vec<Option<Metres>>> {
    let (points, owner) = building_origins(buildings);
    metric
        .nearest(&points, targets, cutoff)
        .into_iter()
        .map(|per_origin| {
            let mut best: Vec<Option<Metres>> = vec![None; buildings.len()];
            for (o, d) in per_origin.into_iter().enumerate() {
                let slot = &mut best[owner[o] as usize];
                if let Some(d) = d {
                    if slot.is_none_or(|s| d.0 < s.0) {
                        *slot = Some(d);
                    }
                }
            }
            best
        })
        .collect()
}

/// Per kind, per building: the distance to the nearest of the kind's `targets`, measured
/// with `metric`, or in a straight line for kinds reached through the air
/// ([`KindMetric::Euclidean`]).
pub fn nearest_by_kind(
    metric: &dyn DistanceMetric,
    kinds: &Kinds,
    buildings: &[Building],
    targets: &[Vec<Point>],
    cutoff: Metres,
) -> Vec<Vec<Option<Metres>>> {
    let by_air: Vec<bool> = kinds.defs().iter().map(KindDef::by_air).collect();
    if !by_air.contains(&true) {
        return nearest_from_buildings(metric, buildings, targets, cutoff);
    }
    let pick = |air: bool| -> Vec<Vec<Point>> {
        targets.iter().zip(&by_air).map(|(t, &a)| if a == air { t.clone() } else { Vec::new() }).collect()
    };
    let walked = nearest_from_buildings(metric, buildings, &pick(false), cutoff);
    let flown = nearest_from_buildings(&Euclidean, buildings, &pick(true), cutoff);
    walked.into_iter().zip(flown).zip(&by_air).map(|((w, f), &air)| if air { f } else { w }).collect()
}

/// Per site, the buildings within `cutoff` of it from their best origin, with the distance,
/// sorted by building index (the shape of [`DistanceMetric::reach`], by building).
pub fn reach_buildings(
    metric: &dyn DistanceMetric,
    buildings: &[Building],
    sites: &[Point],
    cutoff: Metres,
) -> Vec<Vec<(u32, f32)>> {
    let (points, owner) = building_origins(buildings);
    metric
        .reach(&points, sites, cutoff)
        .into_iter()
        .map(|hits| {
            let mut by_building: Vec<(u32, f32)> = hits.into_iter().map(|(o, d)| (owner[o as usize], d)).collect();
            // owners of sorted origins are sorted: keep the nearest origin of each building
            by_building.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            by_building.dedup_by_key(|x| x.0);
            by_building
        })
        .collect()
}

/// Per site, the buildings within reach of it, walking and (when a kind is reached through
/// the air and the run walks) in a straight line: see [`SiteReach::for_kind`].
pub fn site_reach(
    metric: &dyn DistanceMetric,
    kinds: &Kinds,
    buildings: &[Building],
    sites: &[Point],
    cutoff: Metres,
) -> SiteReach {
    let walk = reach_buildings(metric, buildings, sites, cutoff);
    let any_air = kinds.defs().iter().any(KindDef::by_air);
    let air =
        (any_air && metric.name() != Euclidean.name()).then(|| reach_buildings(&Euclidean, buildings, sites, cutoff));
    SiteReach { walk, air, by_air: kinds.defs().iter().map(KindDef::by_air).collect() }
}

/// Which buildings each candidate site reaches (building index, metres, sorted by index).
#[derive(Clone, Debug, PartialEq)]
pub struct SiteReach {
    walk: Vec<Vec<(u32, f32)>>,
    air: Option<Vec<Vec<(u32, f32)>>>,
    by_air: Vec<bool>,
}

impl SiteReach {
    /// The reach of every site for kind `k`: through the air for kinds that are reached so.
    pub fn for_kind(&self, k: crate::ServiceKind) -> &[Vec<(u32, f32)>] {
        match &self.air {
            Some(air) if self.by_air[k.index()] => air,
            _ => &self.walk,
        }
    }
    /// The walking reach of every site (for kinds reached on foot).
    pub fn walking(&self) -> &[Vec<(u32, f32)>] {
        &self.walk
    }
}

/// Gives each entrance point to the building whose footprint it lies in or on, within
/// `tolerance_m` of it (entrances are drawn on the outline); the nearest wins, then the
/// smaller index. Returns the indices of the points that found no building.
pub fn attach_entrances(buildings: &mut [Building], entrances: &[Point], tolerance_m: f64) -> Vec<usize> {
    let tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> = RTree::bulk_load(
        buildings
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let r = geo::BoundingRect::bounding_rect(&b.footprint)?;
                Some(GeomWithData::new(
                    Rectangle::from_corners(
                        [r.min().x - tolerance_m, r.min().y - tolerance_m],
                        [r.max().x + tolerance_m, r.max().y + tolerance_m],
                    ),
                    i,
                ))
            })
            .collect(),
    );
    let mut lost = Vec::new();
    for (pi, p) in entrances.iter().enumerate() {
        let best = tree
            .locate_all_at_point(&[p.x(), p.y()])
            .map(|c| (Plane.distance(p, &buildings[c.data].footprint), c.data))
            .filter(|(d, _)| *d <= tolerance_m)
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        match best {
            Some((_, i)) => buildings[i].entrances.push(*p),
            None => lost.push(pi),
        }
    }
    lost
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BuildingId, Euclidean, HouseholdSource};
    use geo::{polygon, MultiPolygon};

    fn building(i: usize, x0: f64, entrances: Vec<Point>) -> Building {
        Building {
            id: BuildingId::from_index(i),
            source_id: format!("B{i}"),
            footprint: MultiPolygon(vec![
                polygon![(x: x0, y: 0.0), (x: x0 + 40.0, y: 0.0), (x: x0 + 40.0, y: 40.0), (x: x0, y: 40.0)],
            ]),
            residential: true,
            floors: None,
            households: None,
            households_source: HouseholdSource::Given,
            compound: None,
            entrances,
            point_inside: Default::default(),
        }
    }

    #[test]
    fn the_best_entrance_counts_and_a_building_without_one_starts_inside() {
        // a facility east of both buildings; B0's east door is 10 m from it
        let mut b = vec![building(0, 0.0, vec![]), building(1, 100.0, vec![])];
        let lost =
            attach_entrances(&mut b, &[Point::new(40.0, 20.0), Point::new(0.0, 20.0), Point::new(70.0, 20.0)], 1.0);
        assert_eq!(lost, vec![2], "a point 30 m from every outline finds no building");
        assert_eq!(b[0].entrances.len(), 2);
        let targets = vec![vec![Point::new(50.0, 20.0)]];
        let d = nearest_from_buildings(&Euclidean, &b, &targets, Metres(1000.0));
        assert_eq!(d[0][0], Some(Metres(10.0)), "the east door, not the west one or the middle");
        let inside = b[1].origin();
        assert_eq!(d[0][1], Some(Metres(Plane.distance(&inside, &Point::new(50.0, 20.0)))));
        let r = reach_buildings(&Euclidean, &b, &[Point::new(50.0, 20.0)], Metres(1000.0));
        assert_eq!(r[0].iter().map(|x| x.0).collect::<Vec<_>>(), vec![0, 1], "one entry per building");
        assert_eq!(r[0][0].1, 10.0);
    }
}
