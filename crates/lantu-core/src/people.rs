//! 一老一小 counted as people: whom each kind serves, and how many of them live in each
//! community and each home.
//!
//! A community's old, infants and school children come from its own row (a joined 七普
//! table: `elderly`, `infants`, `children`, `population`), else from its population (given,
//! or households × persons per household) times the profile's city-wide shares (Chongqing's
//! 2020 census by default). Within a community they are spread over its homes like its
//! households: a building with a tenth of the households holds a tenth of the old.

use crate::{Community, Households, Lang, Text};
use serde::{Deserialize, Serialize};

/// Whom a kind serves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetGroup {
    /// Everyone (people; households where the kind counts them).
    #[default]
    All,
    /// The old: 60 and over (65 and over where the profile says so).
    Elderly,
    /// Infants, 0–3.
    Infants,
    /// School children, 6–12.
    Children,
}

impl TargetGroup {
    /// Every group, in the order of tables.
    pub const ALL: [TargetGroup; 4] =
        [TargetGroup::All, TargetGroup::Elderly, TargetGroup::Infants, TargetGroup::Children];

    /// The stable code used in column names (`people_elderly`).
    pub fn code(self) -> &'static str {
        match self {
            TargetGroup::All => "all",
            TargetGroup::Elderly => "elderly",
            TargetGroup::Infants => "infants",
            TargetGroup::Children => "children",
        }
    }

    /// The group's name, with its ages.
    pub fn name(self, groups: &GroupShares, lang: Lang) -> String {
        match self {
            TargetGroup::All => lang.pick("常住人口", "residents").into(),
            TargetGroup::Elderly => {
                lang.pick(format!("{} 岁及以上老年人", groups.elderly_age), format!("people {}+", groups.elderly_age))
            }
            TargetGroup::Infants => lang.pick("0–3 岁婴幼儿", "infants 0–3").into(),
            TargetGroup::Children => lang.pick("6–12 岁儿童", "children 6–12").into(),
        }
    }
}

/// The profile's city-wide shares of each group in the population, used where a community's
/// own row does not give the group (`[groups]`).
///
/// Defaults: Chongqing's 2020 census (第七次全国人口普查) by district, weighted by the 38
/// districts' population (32,054,159): 60+ 21.87 %, 65+ 17.08 % (both as published for the
/// city), 0–3 3.76 % (under 1, and three quarters of the 1–4 band), 6–12 7.75 % (four fifths
/// of the 5–9 band, three fifths of the 10–14 band); bands spread evenly over their years.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupShares {
    /// The age from which people count as old: 60 (the pilot's 老年人) or 65.
    pub elderly_age: u32,
    /// Share of the population aged 60 and over.
    pub elderly_60_share: f64,
    /// Share aged 65 and over.
    pub elderly_65_share: f64,
    /// Share aged 0–3.
    pub infants_share: f64,
    /// Share aged 6–12.
    pub children_share: f64,
    /// Where the shares come from, for the outputs' notes.
    pub source: String,
}

impl Default for GroupShares {
    fn default() -> GroupShares {
        GroupShares {
            elderly_age: 60,
            elderly_60_share: 0.2187,
            elderly_65_share: 0.1708,
            infants_share: 0.0376,
            children_share: 0.0775,
            source: "重庆市第七次全国人口普查（2020）分区县年龄结构，按人口加权".into(),
        }
    }
}

impl GroupShares {
    /// The share of `group` in the population (1 for everyone).
    pub fn share(&self, group: TargetGroup) -> f64 {
        match group {
            TargetGroup::All => 1.0,
            TargetGroup::Elderly if self.elderly_age >= 65 => self.elderly_65_share,
            TargetGroup::Elderly => self.elderly_60_share,
            TargetGroup::Infants => self.infants_share,
            TargetGroup::Children => self.children_share,
        }
    }
}

/// How many people of each group live in one community, and whether that is an estimate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct People {
    /// Per group, in the order of [`TargetGroup::ALL`]; `None` without households or population.
    pub count: [Option<f64>; 4],
    /// Per group, whether the count is an estimate (from shares or households).
    pub estimated: [bool; 4],
}

impl People {
    /// The people of `group`.
    pub fn of(&self, group: TargetGroup) -> Option<f64> {
        self.count[group as usize]
    }

    /// The people of several communities together: counts summed over those that have them
    /// (`None` when none has), estimated when any is.
    pub fn sum<'a>(all: impl Iterator<Item = &'a People>) -> People {
        let mut p = People::default();
        for one in all {
            for g in 0..4 {
                if let Some(n) = one.count[g] {
                    p.count[g] = Some(p.count[g].unwrap_or(0.0) + n);
                }
                p.estimated[g] |= one.estimated[g];
            }
        }
        p
    }

    /// A community's people: its own figures where given, else its population (given, or
    /// `households × persons_per_household`) times the shares.
    ///
    /// ```
    /// use lantu_core::{Community, CommunityId, GroupShares, HouseholdSource, Households, People, TargetGroup};
    /// let mut c = Community {
    ///     id: CommunityId(0), code: "A".into(), name: "甲".into(), street_code: None, street_name: None,
    ///     households: Some(Households(1000.0)), households_source: HouseholdSource::Given, population: None,
    ///     elderly: Some(600.0), infants: None, children: None,
    ///     capable: false, centralised: true, boundary: geo::MultiPolygon(vec![]),
    /// };
    /// let p = People::of_community(&c, c.households, &GroupShares::default(), 2.5);
    /// assert_eq!(p.of(TargetGroup::All), Some(2500.0)); // 1,000 households × 2.5
    /// assert_eq!(p.of(TargetGroup::Elderly), Some(600.0)); // given
    /// assert!((p.of(TargetGroup::Infants).unwrap() - 2500.0 * 0.0376).abs() < 1e-9);
    /// c.population = Some(2000.0);
    /// let p = People::of_community(&c, c.households, &GroupShares::default(), 2.5);
    /// assert_eq!(p.of(TargetGroup::All), Some(2000.0));
    /// assert!(!p.estimated[TargetGroup::All as usize] && p.estimated[TargetGroup::Infants as usize]);
    /// ```
    pub fn of_community(
        c: &Community,
        households: Option<Households>,
        shares: &GroupShares,
        persons_per_household: f64,
    ) -> People {
        let given_population = c.population.filter(|p| p.is_finite() && *p > 0.0);
        let population = given_population.or(households.filter(|h| h.0 > 0.0).map(|h| h.0 * persons_per_household));
        let mut p = People::default();
        for g in TargetGroup::ALL {
            let own = match g {
                TargetGroup::All => given_population,
                TargetGroup::Elderly => c.elderly,
                TargetGroup::Infants => c.infants,
                TargetGroup::Children => c.children,
            }
            .filter(|v| v.is_finite() && *v >= 0.0);
            p.count[g as usize] = own.or(population.map(|n| n * shares.share(g)));
            p.estimated[g as usize] = own.is_none();
        }
        p
    }
}

/// Per building, per group (in the order of [`TargetGroup::ALL`]): its community's people of
/// the group per household of the community's buildings — the one place where people are
/// spread over the homes like the households. A building's people of a group are its
/// households × this; 0 outside every community or where its community's buildings hold no
/// households.
pub(crate) fn people_per_household(
    d: &crate::Dataset,
    a: &crate::Assignment,
    communities: &[crate::CommunityFigures],
) -> Vec<[f64; 4]> {
    let mut households = vec![0.0; d.communities.len()];
    for (b, c) in d.buildings.iter().zip(&a.building_community) {
        if let (Some(c), Some(h)) = (c, b.households) {
            households[c.index()] += h.0;
        }
    }
    a.building_community
        .iter()
        .map(|c| {
            let mut r = [0.0; 4];
            if let Some(c) = c.filter(|c| households[c.index()] > 0.0) {
                for g in TargetGroup::ALL {
                    r[g as usize] = communities[c.index()].people.of(g).unwrap_or(0.0) / households[c.index()];
                }
            }
            r
        })
        .collect()
}

/// A sentence saying where the group figures came from, for notes.
pub fn groups_note(shares: &GroupShares) -> Text {
    let pct = |g| format!("{:.2} %", shares.share(g) * 100.0);
    let (e, i, c) = (pct(TargetGroup::Elderly), pct(TargetGroup::Infants), pct(TargetGroup::Children));
    let age = shares.elderly_age;
    Text::new(
        format!(
            "未给出分年龄人口的社区，按常住人口（缺失时为户数 × 户均人口）乘以比例估算：{age} 岁及以上 {e}，0–3 岁 {i}，6–12 岁 {c}（{}）",
            shares.source
        ),
        format!(
            "where a community gives no age groups, its population (or households × persons per household) times: {age}+ {e}, 0–3 {i}, 6–12 {c} ({})",
            shares.source
        ),
    )
}
