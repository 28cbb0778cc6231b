//! Checks over the whole dataset: what was lost, implausible values, duplicates, the network.

use super::*;

/// A layer that keeps less than `min_share` of its features cannot be analysed: what is
/// left would mislead (a whole layer in the wrong CRS, swapped axes, broken geometries).
pub(super) fn too_much_lost(r: &LayerReport, min_share: f64) -> Option<Text> {
    let read = r.read.saturating_sub(r.out_of_scope);
    if read == 0 || r.kept as f64 >= min_share * read as f64 {
        return None;
    }
    let swapped = r.of_kind(FindingKind::OutOfRange).any(|f| f.text.en.contains("swapped"));
    let (hint_zh, hint_en) = if swapped {
        ("经纬度可能颠倒", "longitude and latitude look swapped")
    } else {
        ("见上方被剔除的要素", "see the rejected features above")
    };
    Some(Text::new(
        format!(
            "{} 图层 {}：{} 个要素仅保留 {} 个（低于 {:.0}%），{hint_zh}",
            r.path.display(),
            r.layer,
            r.read,
            r.kept,
            min_share * 100.0
        ),
        format!(
            "{} layer {}: only {} of {} features kept (below {:.0}%): {hint_en}",
            r.path.display(),
            r.layer,
            r.kept,
            r.read,
            min_share * 100.0
        ),
    ))
}

/// Values beyond the profile's `[checks]` thresholds: warned about with counts (typos,
/// units in the wrong place), not changed.
pub(super) fn implausible_values(dataset: &Dataset, reports: &mut [LayerReport], checks: &lantu_core::CheckThresholds) {
    use geo::{Area, Length};
    if let Some(r) = report_of(reports, LayerRole::Communities) {
        let field = r.field(FieldRole::Households).map(str::to_string);
        for c in &dataset.communities {
            match c.households {
                Some(h)
                    if c.households_source == lantu_core::HouseholdSource::Given
                        && h.0 > checks.max_households_per_community =>
                {
                    r.find(
                        FindingKind::Implausible,
                        Some(&c.code),
                        field.as_deref(),
                        Text::new(
                            format!(
                                "户数超过 {}（checks.max_households_per_community）",
                                checks.max_households_per_community
                            ),
                            format!(
                                "more than {} households (checks.max_households_per_community)",
                                checks.max_households_per_community
                            ),
                        ),
                    );
                }
                _ => {}
            }
        }
    }
    if let Some(r) = report_of(reports, LayerRole::Communities) {
        let field = r.field(FieldRole::Households).map(str::to_string);
        for c in dataset.communities.iter().filter(|c| c.households_source == lantu_core::HouseholdSource::Given) {
            if let Some(t) = c.households.and_then(|h| odd_count(h.0)) {
                r.find(FindingKind::Implausible, Some(&c.code), field.as_deref(), t);
            }
        }
    }
    if let Some(r) = report_of(reports, LayerRole::Buildings) {
        let households = r.field(FieldRole::Households).map(str::to_string);
        let floors = r.field(FieldRole::Floors).map(str::to_string);
        for b in dataset.buildings.iter() {
            let given = b.households.filter(|_| b.households_source == lantu_core::HouseholdSource::Given);
            if let Some(h) = given {
                if let Some(t) = odd_count(h.0) {
                    r.find(FindingKind::Implausible, Some(&b.source_id), households.as_deref(), t);
                } else if h.0 > checks.max_households_per_building {
                    let max = checks.max_households_per_building;
                    r.find(
                        FindingKind::Implausible,
                        Some(&b.source_id),
                        households.as_deref(),
                        Text::new(
                            format!("户数 {} 超过 {max}（checks.max_households_per_building）", shown(h.0)),
                            format!("{} households, more than {max} (checks.max_households_per_building)", shown(h.0)),
                        ),
                    );
                }
            }
            if let Some(n) = b.floors.filter(|n| *n > checks.max_floors) {
                let max = checks.max_floors;
                r.find(
                    FindingKind::Implausible,
                    Some(&b.source_id),
                    floors.as_deref(),
                    Text::new(
                        format!("层数 {} 超过 {max}（checks.max_floors）：若为高度（米），请换算为层数", shown(n)),
                        format!("{} floors, more than {max} (checks.max_floors): if this is a height in metres, convert it to floors", shown(n)),
                    ),
                );
            }
        }
    }
    let too_large = |area: Option<SquareMetres>| area.filter(|a| a.0 > checks.max_floor_area_m2);
    let floor_area_text = |a: SquareMetres| {
        let max = checks.max_floor_area_m2;
        Text::new(
            format!("建筑面积 {} ㎡ 超过 {max} ㎡（checks.max_floor_area_m2）", shown(a.0)),
            format!("floor area {} m², more than {max} m² (checks.max_floor_area_m2)", shown(a.0)),
        )
    };
    if let Some(r) = report_of(reports, LayerRole::Facilities) {
        let field = r.field(FieldRole::FloorArea).map(str::to_string);
        for f in &dataset.facilities {
            if let Some(a) = too_large(f.floor_area) {
                r.find(FindingKind::Implausible, Some(&f.source_id), field.as_deref(), floor_area_text(a));
            }
        }
    }
    if let Some(r) = report_of(reports, LayerRole::Candidates) {
        let field = r.field(FieldRole::FloorArea).map(str::to_string);
        for c in &dataset.candidates {
            if let Some(a) = too_large(c.floor_area) {
                r.find(FindingKind::Implausible, Some(&c.source_id), field.as_deref(), floor_area_text(a));
            }
        }
    }
    if let Some(r) = report_of(reports, LayerRole::Communities) {
        overlapping_communities(dataset, checks.max_community_overlap_share, r);
    }
    if let Some(r) = report_of(reports, LayerRole::Buildings) {
        for b in &dataset.buildings {
            if b.footprint.unsigned_area() > checks.max_building_footprint_m2 {
                r.find(
                    FindingKind::Implausible,
                    Some(&b.source_id),
                    None,
                    Text::new(
                        format!(
                            "基底面积超过 {} ㎡（checks.max_building_footprint_m2）",
                            checks.max_building_footprint_m2
                        ),
                        format!(
                            "footprint larger than {} m² (checks.max_building_footprint_m2)",
                            checks.max_building_footprint_m2
                        ),
                    ),
                );
            }
        }
    }
    if let Some(r) = report_of(reports, LayerRole::Walkways) {
        for w in &dataset.walkways {
            if geo::Euclidean.length(&w.line) > checks.max_walkway_length_m {
                r.find(
                    FindingKind::Implausible,
                    Some(&w.source_id),
                    None,
                    Text::new(
                        format!("单条步行道长于 {} 米（checks.max_walkway_length_m）", checks.max_walkway_length_m),
                        format!(
                            "a single walkway longer than {} m (checks.max_walkway_length_m)",
                            checks.max_walkway_length_m
                        ),
                    ),
                );
            }
        }
    }
}

/// Communities whose buildings' own counts disagree with the community's count, with the
/// ratio and what was done (the rule is [`lantu_core::derive_households`]'s).
pub(super) fn households_mismatches(
    dataset: &Dataset,
    mismatches: &[lantu_core::HouseholdMismatch],
    r: &mut LayerReport,
) {
    let field = r.field(FieldRole::Households).map(str::to_string);
    for m in mismatches {
        let c = dataset.community(m.community);
        let ratio = m.buildings_households.0 / m.community_households.0;
        let (given, buildings) = (shown(m.community_households.0), shown(m.buildings_households.0));
        let text = if m.scaled {
            Text::new(
                format!("社区户数 {given}，其建筑户数之和 {buildings}（{ratio:.2} 倍）：以社区户数为准，建筑户数按比例缩减为合计 {given}"),
                format!("the community gives {given} households, its buildings {buildings} ({ratio:.2}×): the community's count is the total, the buildings' counts were scaled down to add up to it"),
            )
        } else {
            Text::new(
                format!("社区户数 {given}，其建筑户数之和仅 {buildings}（{ratio:.2} 倍），且无其他住宅建筑可分摊差额：面积按社区户数计算，步行覆盖按建筑户数计算"),
                format!("the community gives {given} households, its buildings only {buildings} ({ratio:.2}×) and no other residential building takes the rest: area rules use the community's count, walking coverage the buildings'"),
            )
        };
        r.find(FindingKind::HouseholdsMismatch, Some(&c.code), field.as_deref(), text);
    }
}

/// Where two sources give a community's households (its count, the population grid, the
/// floor-area estimate), the ratio of each pair beyond the profile's band; then how the
/// estimates were calibrated and which source each community's figure came from.
pub(super) fn households_sources(
    dataset: &Dataset,
    derived: &lantu_core::HouseholdDerivation,
    rules: &lantu_core::HouseholdRules,
    r: &mut LayerReport,
) {
    let band = rules.max_source_ratio;
    let name = |s: HouseholdSource| s.label();
    let overall =
        |source: HouseholdSource| derived.calibration.iter().find(|c| c.source == source).map_or(1.0, |c| c.factor);
    let mut compared = 0;
    for s in &derived.sources {
        let pairs = [
            (s.given, HouseholdSource::Given, s.grid, HouseholdSource::FromPopulationGrid),
            (s.given, HouseholdSource::Given, s.floor_area, HouseholdSource::EstimatedFromFloorArea),
            (
                s.grid.filter(|_| s.given.is_none()),
                HouseholdSource::FromPopulationGrid,
                s.floor_area,
                HouseholdSource::EstimatedFromFloorArea,
            ),
        ];
        let mut counted = false;
        for (a, sa, b, sb) in pairs {
            let (Some(a), Some(b)) = (a, b) else { continue };
            counted = true;
            // against the given count, the estimate after its overall factor: an estimate
            // that runs high throughout is one factor (the calibration), and the
            // communities that stray from it are what the planner must look at
            let f = if sa == HouseholdSource::Given { overall(sb) } else { 1.0 };
            let ratio = b.0 * f / a.0;
            if ratio > band || ratio < 1.0 / band {
                let (na, nb) = (name(sa), name(sb));
                let (a, b) = (shown(a.0.round()), shown(b.0.round()));
                let text = if f != 1.0 {
                    Text::new(
                        format!("{} {a} 户，{} {b} 户（按全域比例 × {f:.2}）：相差 {ratio:.1} 倍", na.zh, nb.zh),
                        format!("{} {a} households, {} {b} (× {f:.2}, its overall ratio): {ratio:.1}×", na.en, nb.en),
                    )
                } else {
                    Text::new(
                        format!("{} {a} 户，{} {b} 户：相差 {ratio:.1} 倍", na.zh, nb.zh),
                        format!("{} {a} households, {} {b}: {ratio:.1}×", na.en, nb.en),
                    )
                };
                r.find(FindingKind::HouseholdSources, Some(&dataset.community(s.community).code), None, text);
            }
        }
        compared += counted as usize;
    }
    if compared > 0 {
        r.counts.push((
            Text::new("有两种户数来源可比较的社区", "communities with two sources of households to compare"),
            compared as f64,
        ));
    }
    for c in &derived.calibration {
        let l = c.source.label();
        if !c.applied {
            r.find(
                FindingKind::Note,
                None,
                None,
                Text::new(
                    format!("给定户数合计为{}的 {:.2} 倍（{} 个社区）；各社区都有户数，估算未使用", l.zh, c.factor, c.communities),
                    format!("the given households come to {:.2} × those {} ({} communities); every community gives its count, so the estimate is not used", c.factor, l.en, c.communities),
                ),
            );
            continue;
        }
        r.find(
            FindingKind::Assumption,
            None,
            None,
            Text::new(
                format!(
                    "估算户数已按给定户数校准：{} × {:.2}（依据 {} 个同时有给定户数与该估算的社区；households.calibrate_estimates = false 可关闭）",
                    l.zh, c.factor, c.communities
                ),
                format!(
                    "estimated households calibrated to the given counts: {} × {:.2} (from {} communities with both; households.calibrate_estimates = false turns it off)",
                    l.en, c.factor, c.communities
                ),
            ),
        );
    }
    for (source, n) in HouseholdSource::tally(&dataset.communities) {
        let label = source.label();
        r.counts
            .push((Text::new(format!("户数来源：{}", label.zh), format!("households source: {}", label.en)), n as f64));
    }
}

/// A number as a person reads it in a warning: whole numbers without decimals, the very
/// large and very small in scientific notation (`1e308`, not 309 digits).
pub(super) fn shown(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e9 || v.abs() < 1e-3) {
        format!("{v:e}")
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}

/// A given household count that cannot be one: below one household, or not whole.
fn odd_count(h: f64) -> Option<Text> {
    let v = shown(h);
    if h < 1.0 {
        Some(Text::new(format!("户数 {v} 少于 1 户"), format!("{v} households: fewer than one")))
    } else if h.fract() != 0.0 {
        Some(Text::new(format!("户数 {v} 不是整数"), format!("{v} households: not a whole number")))
    } else {
        None
    }
}

/// Pairs of communities that overlap by more than `max_share` of the smaller one's area:
/// homes and facilities in the overlap belong to only one of them.
pub(super) fn overlapping_communities(dataset: &Dataset, max_share: f64, r: &mut LayerReport) {
    use geo::{Area, BooleanOps, BoundingRect, Contains};
    let mut by_x: Vec<(usize, Rect)> =
        dataset.communities.iter().enumerate().filter_map(|(i, c)| Some((i, c.boundary.bounding_rect()?))).collect();
    by_x.sort_by(|a, b| a.1.min().x.total_cmp(&b.1.min().x).then(a.0.cmp(&b.0)));
    // candidate pairs: boxes that overlap (a sweep along x)
    let mut pairs = Vec::new();
    for (k, (i, a)) in by_x.iter().enumerate() {
        for (j, b) in by_x[k + 1..].iter().take_while(|(_, b)| b.min().x < a.max().x) {
            if b.min().y < a.max().y && a.min().y < b.max().y {
                pairs.push(((*i).min(*j), (*i).max(*j)));
            }
        }
    }
    pairs.sort_unstable();
    let found: Vec<(usize, usize, f64)> = pairs
        .par_iter()
        .filter_map(|&(i, j)| {
            let (a, b) = (&dataset.communities[i].boundary, &dataset.communities[j].boundary);
            // neighbours share edges but no vertex lies inside the other: skip them cheaply
            let inside = |p: &geo::MultiPolygon, q: &geo::MultiPolygon| {
                p.0.iter().flat_map(|poly| poly.exterior().0.iter()).any(|c| q.contains(&geo::Point::from(*c)))
            };
            if !inside(a, b) && !inside(b, a) {
                return None;
            }
            let smaller = a.unsigned_area().min(b.unsigned_area());
            let share = a.intersection(b).unsigned_area() / smaller.max(f64::MIN_POSITIVE);
            (share > max_share).then_some((i, j, share))
        })
        .collect();
    let field = r.field(FieldRole::Code).map(str::to_string);
    for (i, j, share) in found {
        let (a, b) = (&dataset.communities[i], &dataset.communities[j]);
        r.find(
            FindingKind::Implausible,
            Some(&a.code),
            field.as_deref(),
            Text::new(
                format!("与社区 {} 重叠，重叠面积占较小者的 {:.1}%（checks.max_community_overlap_share）：重叠处的建筑与设施只计入其中一个社区", b.code, share * 100.0),
                format!("overlaps community {} by {:.1}% of the smaller one (checks.max_community_overlap_share): homes and facilities there count for one of them only", b.code, share * 100.0),
            ),
        );
    }
}

/// `shared_by` codes that no community has (a typo such as `B;Z`): the facility's area is
/// split among the communities that exist only, and the check says which codes were not found.
pub(super) fn unknown_shared_by(dataset: &Dataset, reports: &mut [LayerReport]) {
    let Some(r) = report_of(reports, LayerRole::Facilities) else { return };
    let codes: std::collections::HashSet<&str> = dataset.communities.iter().map(|c| c.code.as_str()).collect();
    let field = r.field(FieldRole::SharedBy).map(str::to_string);
    for f in &dataset.facilities {
        let unknown: Vec<&str> = f.shared_by.iter().map(String::as_str).filter(|c| !codes.contains(c)).collect();
        if !unknown.is_empty() {
            let list = unknown.join("、");
            r.find(
                FindingKind::UnknownCode,
                Some(&f.source_id),
                field.as_deref(),
                Text::new(
                    format!("共享社区代码 {list} 不存在：面积只在存在的社区间分摊"),
                    format!(
                        "shared_by code(s) {} match no community: the area is split among the others only",
                        unknown.join(", ")
                    ),
                ),
            );
        }
    }
}

pub(super) fn report_of(reports: &mut [LayerReport], role: LayerRole) -> Option<&mut LayerReport> {
    reports.iter_mut().find(|r| r.role == role)
}

pub(super) fn duplicate_ids<'a>(r: &mut LayerReport, ids: impl Iterator<Item = &'a str>) {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids {
        *count.entry(id).or_default() += 1;
    }
    for (id, n) in count.into_iter().filter(|(_, n)| *n > 1) {
        r.find(
            FindingKind::DuplicateId,
            Some(id),
            None,
            Text::new(format!("编号 {id} 出现 {n} 次"), format!("id {id} occurs {n} times")),
        );
    }
}

pub(super) fn summarise_network(dataset: &Dataset, walkable: &lantu_net::Walkable) -> NetworkSummary {
    let walkways = &dataset.walkways;
    let g = walkable.graph();
    // where homes and facilities join the network, by the analysis's own rule (and kept
    // for it: the analysis snaps the same points)
    let count = |points: Vec<geo::Point>| -> (usize, usize) {
        let snaps = walkable.snap_all(&points);
        (snaps.iter().flatten().filter(|s| s.island).count(), snaps.iter().filter(|s| s.is_none()).count())
    };
    let (buildings_on_islands, buildings_off_network) = count(dataset.buildings.iter().map(|b| b.origin()).collect());
    let (facilities_on_islands, facilities_off_network) =
        count(dataset.facilities.iter().map(|f| f.location).collect());
    let comps = g.components();
    let total = g.total_length().0.max(f64::MIN_POSITIVE);
    let largest = comps.list().first().map_or(0.0, |c| c.length.0);
    NetworkSummary {
        walkways: walkways.len(),
        steps: walkways.iter().filter(|w| w.steps).count(),
        length: g.total_length(),
        nodes: g.node_count(),
        edges: g.edge_count(),
        components: comps.count(),
        largest_share: largest / total,
        islands: comps.count().saturating_sub(1),
        islands_length: lantu_core::Metres(total - largest),
        dangling: g.dangling_nodes().count(),
        joined_ends: g.joined_ends(),
        buildings_on_islands,
        buildings_off_network,
        facilities_on_islands,
        facilities_off_network,
    }
}

/// A point layer read as longitude/latitude whose points sit about one GCJ-02 (or BD-09)
/// offset away from the buildings (or, without buildings, the walkways): the median
/// distance from its points to the nearest building (its point inside) or walkway is compared as given and as if the
/// other datum were declared, and a clear win for the other datum is said with both
/// medians. Over a district the offset is a near-constant shift (it varies by metres
/// over kilometres), so it is measured once at the communities' centre.
pub(super) fn mixed_datums(dataset: &Dataset, metric: &MetricCrs, reports: &mut [LayerReport]) {
    use geo::{Distance, Euclidean};
    use rstar::{primitives::GeomWithData, RTree};
    let reference_role = if !dataset.buildings.is_empty() { LayerRole::Buildings } else { LayerRole::Walkways };
    const POINT_LAYERS: [LayerRole; 3] = [LayerRole::Facilities, LayerRole::Candidates, LayerRole::Entrances];
    // only longitude/latitude layers can carry the other datum: none, nothing to index
    if !reports.iter().any(|r| POINT_LAYERS.contains(&r.role) && r.role != reference_role && r.lonlat.is_some()) {
        return;
    }
    let mut lines: Vec<geo::Line> = Vec::new();
    if reference_role == LayerRole::Buildings {
        // each building by its point inside (a segment of no length): a city's half a
        // million footprints would index millions of edges for a median
        lines.extend(dataset.buildings.iter().map(|b| geo::Line::new(b.origin().0, b.origin().0)));
    } else {
        for w in &dataset.walkways {
            lines.extend(w.line.lines());
        }
    }
    if lines.is_empty() {
        return;
    }
    let tree = RTree::bulk_load(lines.into_iter().map(|l| GeomWithData::new(l, ())).collect());
    let Some(extent) = dataset.communities.iter().filter_map(|c| c.boundary.bounding_rect()).reduce(union_rect) else {
        return;
    };
    let centre = extent.center();
    // the centre in longitude/latitude and the way back, built once for every hypothesis
    let centre_lonlat =
        ReprojectSpec { from: metric.definition.clone(), coords: GeoCoords::Wgs84, to: "EPSG:4326".into() }
            .build()
            .ok()
            .and_then(|r| r.coord(centre).ok());
    let back = ReprojectSpec { from: "EPSG:4326".into(), coords: GeoCoords::Wgs84, to: metric.definition.clone() }
        .build()
        .ok();
    let shift = |datum: GeoCoords| -> Option<geo::Coord> {
        let ll = centre_lonlat?;
        let (lon, lat) = datum.to_wgs84(ll.x, ll.y);
        let c = back.as_ref()?.coord(geo::Coord { x: lon, y: lat }).ok()?;
        let d = c - centre;
        // outside China the formulas do not shift
        (d.x.hypot(d.y) > 50.0).then_some(d)
    };
    let median_distance = |points: &[geo::Point], by: geo::Coord| -> f64 {
        let mut d: Vec<f64> = points
            .iter()
            .map(|p| {
                let q = geo::Point::from(p.0 + by);
                tree.nearest_neighbor(&q).map_or(f64::INFINITY, |l| Euclidean.distance(&l.geom().clone(), &q))
            })
            .collect();
        d.sort_by(f64::total_cmp);
        d[d.len() / 2]
    };
    for role in POINT_LAYERS {
        if role == reference_role {
            continue;
        }
        let all: Vec<geo::Point> = match role {
            LayerRole::Facilities => dataset.facilities.iter().map(|f| f.location).collect(),
            LayerRole::Candidates => dataset.candidates.iter().map(|c| c.location).collect(),
            _ => dataset.buildings.iter().flat_map(|b| b.entrances.iter().copied()).collect(),
        };
        // a median needs no more than a few thousand points: every k-th, deterministically
        let step = all.len().div_ceil(4000).max(1);
        let points: Vec<geo::Point> = all.into_iter().step_by(step).collect();
        let Some(r) = reports.iter_mut().find(|r| r.role == role) else { continue };
        let Some(declared) = r.lonlat else { continue };
        if points.len() < 5 {
            continue;
        }
        // the hypotheses: the other datum than the one declared
        let alternatives: Vec<(GeoCoords, geo::Coord)> = match declared {
            GeoCoords::Wgs84 => {
                [GeoCoords::Gcj02, GeoCoords::Bd09].into_iter().filter_map(|d| Some((d, shift(d)?))).collect()
            }
            // declared GCJ-02 or BD-09 and converted: the points if they were WGS 84 after all
            other => shift(other).map(|d| vec![(GeoCoords::Wgs84, -d)]).unwrap_or_default(),
        };
        let as_given = median_distance(&points, geo::Coord::zero());
        let best = alternatives
            .into_iter()
            .map(|(datum, by)| (datum, median_distance(&points, by)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let Some((datum, other)) = best else { continue };
        // a clear margin: the other datum halves the median and saves more than 30 m
        if !(other < 0.5 * as_given && as_given - other > 30.0) {
            continue;
        }
        let reference =
            if reference_role == LayerRole::Buildings { ("建筑", "buildings") } else { ("步行道", "walkways") };
        let name = |d: GeoCoords| match d {
            GeoCoords::Wgs84 => "WGS 84",
            GeoCoords::Gcj02 => "GCJ-02（火星）",
            GeoCoords::Bd09 => "BD-09（百度）",
        };
        let name_en = |d: GeoCoords| match d {
            GeoCoords::Wgs84 => "WGS 84",
            GeoCoords::Gcj02 => "GCJ-02",
            GeoCoords::Bd09 => "BD-09",
        };
        let key = GeoCoords::key;
        let (advice_zh, advice_en) = if datum == GeoCoords::Wgs84 {
            (
                format!("该图层可能不是 {}坐标而是 WGS 84：请去掉 coords = \"{}\"", name(declared), key(declared)),
                format!("this layer may be WGS 84, not {}: remove coords = \"{}\"", name_en(declared), key(declared)),
            )
        } else {
            (
                format!("该图层可能是 {}坐标：请设置 coords = \"{}\"", name(datum), key(datum)),
                format!("this layer may be in {} coordinates: set coords = \"{}\"", name_en(datum), key(datum)),
            )
        };
        r.find(
            FindingKind::Datum,
            None,
            None,
            Text::new(
                format!(
                    "{advice_zh}（点到最近{}的距离中位数：按现设置 {:.0} 米，按 {} {:.0} 米）",
                    reference.0,
                    as_given,
                    name(datum),
                    other
                ),
                format!(
                    "{advice_en} (median distance from its points to the nearest {}: {:.0} m as set, {:.0} m as {})",
                    reference.1,
                    as_given,
                    other,
                    key(datum)
                ),
            ),
        );
    }
}
