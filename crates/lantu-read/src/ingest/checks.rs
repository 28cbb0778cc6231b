//! Checks over the whole dataset: what was lost, implausible values, duplicates, the network.

use super::*;

/// A layer that keeps less than `min_share` of its features cannot be analysed: what is
/// left would mislead (a whole layer in the wrong CRS, swapped axes, broken geometries).
pub(super) fn too_much_lost(r: &LayerReport, min_share: f64) -> Option<Text> {
    if r.read == 0 || r.kept as f64 >= min_share * r.read as f64 {
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
        let (given, buildings) = (m.community_households.0, m.buildings_households.0);
        let ratio = buildings / given;
        let text = if m.scaled {
            Text::new(
                format!("社区户数 {given:.0}，其建筑户数之和 {buildings:.0}（{ratio:.2} 倍）：以社区户数为准，建筑户数按比例缩减为合计 {given:.0}"),
                format!("the community gives {given:.0} households, its buildings {buildings:.0} ({ratio:.2}×): the community's count is the total, the buildings' counts were scaled down to add up to it"),
            )
        } else {
            Text::new(
                format!("社区户数 {given:.0}，其建筑户数之和仅 {buildings:.0}（{ratio:.2} 倍），且无其他住宅建筑可分摊差额：面积按社区户数计算，步行覆盖按建筑户数计算"),
                format!("the community gives {given:.0} households, its buildings only {buildings:.0} ({ratio:.2}×) and no other residential building takes the rest: area rules use the community's count, walking coverage the buildings'"),
            )
        };
        r.find(FindingKind::HouseholdsMismatch, Some(&c.code), field.as_deref(), text);
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
