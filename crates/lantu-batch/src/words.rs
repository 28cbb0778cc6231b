//! What `lantu batch` says when it is done, in the user's language.

use crate::{Merge, Split};
use lantu_core::Lang;
use std::path::Path;

/// The lines `lantu batch split` prints: the areas, the border and what was left out.
pub fn split_in_words(s: &Split, dir: &Path, lang: Lang) -> String {
    let mut out = lang.pick(
        format!(
            "已拆分为 {} 个区域（设施保留区外 {:.0} 米，步行道 {:.0} 米）：",
            s.areas.len(),
            s.border_m,
            s.walkway_border_m
        ),
        format!(
            "split into {} areas (facilities kept within {:.0} m of each, walkways within {:.0} m):",
            s.areas.len(),
            s.border_m,
            s.walkway_border_m
        ),
    );
    for a in &s.areas {
        out.push_str(&lang.pick(
            format!(
                "\n  {} {}：社区 {}，建筑 {}，设施 {}，步行路段 {}，闲置资源 {}；预计内存 {} MiB",
                a.code, a.name, a.communities, a.buildings, a.facilities, a.walkways, a.candidates, a.memory_mib
            ),
            format!(
                "\n  {} {}: {} communities, {} buildings, {} facilities, {} walkway segments, {} idle buildings; about {} MiB",
                a.code, a.name, a.communities, a.buildings, a.facilities, a.walkways, a.candidates, a.memory_mib
            ),
        ));
    }
    if !s.without_area.is_empty() {
        let first: Vec<&str> = s.without_area.iter().take(5).map(String::as_str).collect();
        out.push_str(&lang.pick(
            format!("\n警告：{} 个社区无法归入区域，已略去（{} …）", s.without_area.len(), first.join("、")),
            format!(
                "\nwarning: {} communities fall into no area and were left out ({} …)",
                s.without_area.len(),
                first.join(", ")
            ),
        ));
    }
    if s.candidates_outside > 0 {
        let n = s.candidates_outside;
        out.push_str(&lang.pick(
            format!("\n警告：{n} 处闲置资源不在任何区域的社区内，已略去"),
            format!("\nwarning: {n} idle buildings lie in no area's community and were left out"),
        ));
    }
    for (layer, n) in &s.without_geometry {
        out.push_str(&lang.pick(
            format!("\n警告：{layer} 图层 {n} 个要素没有可用的几何，已略去"),
            format!("\nwarning: {n} features of the {layer} layer have no usable geometry and were left out"),
        ));
    }
    out.push_str(&lang.pick(
        format!("\n清单：{}", dir.join("batch.csv").display()),
        format!("\nmanifest: {}", dir.join("batch.csv").display()),
    ));
    out
}

/// The lines `lantu batch merge` prints.
pub fn merge_in_words(m: &Merge, dir: &Path, lang: Lang) -> String {
    let communities: usize = m.areas.iter().map(|a| a.communities).sum();
    let failing: usize = m.areas.iter().map(|a| a.failing).sum();
    let mut out = lang.pick(
        format!(
            "已汇总 {} 个区域、{} 个社区（未达标 {}）；跨区域试点排名 {} 个（因区县名额略过 {} 个）",
            m.areas.len(),
            communities,
            failing,
            m.pilots,
            m.skipped_by_quota
        ),
        format!(
            "merged {} areas, {} communities ({} failing); {} pilots ranked across the areas ({} passed over for their district's quota)",
            m.areas.len(),
            communities,
            failing,
            m.pilots,
            m.skipped_by_quota
        ),
    );
    if !m.short_of_candidates.is_empty() {
        out.push_str(&lang.pick(
            format!(
                "\n警告：区域 {} 的试点候选少于每区名额（请用更大的 --pilots 重新分析这些区域）",
                m.short_of_candidates.join("、")
            ),
            format!(
                "\nwarning: areas {} have fewer pilot candidates than the quota (analyse them again with a larger --pilots)",
                m.short_of_candidates.join(", ")
            ),
        ));
    }
    out.push_str(&lang.pick(
        format!("\n汇总已写入 {}（网页：{}）", dir.display(), dir.join("index.html").display()),
        format!("\nsummary written to {} (page: {})", dir.display(), dir.join("index.html").display()),
    ));
    out
}
