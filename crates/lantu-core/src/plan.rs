//! Planned projects (补改、转型、划转、配建): what a district intends to build, and what it
//! achieves — the whole analysis is run again with the projects as facilities.

use crate::{
    Analysis, Assignment, BuildingId, CandidateId, CommunityId, Dataset, Facility, FacilityId, HouseholdRules, PerKind,
    Profile, ServiceKind, SiteReach, SquareMetres, Text, Yuan,
};
use geo::{Area, Point};

/// Where a project stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectSite {
    /// A point given in the plan.
    Point,
    /// In an existing building of the buildings layer.
    Building(BuildingId),
    /// In an idle building of the candidates layer.
    Candidate(CandidateId),
}

/// How a project is paid for per square metre: building new or renovating what stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostBasis {
    /// 新建、配建、改扩建: new floor area.
    NewBuild,
    /// 存量转型、划转、补改、改造: existing floor area fitted out.
    Renovation,
}

impl CostBasis {
    /// The basis of a project type as planners write it (`新建`, `存量转型`, `new`, …);
    /// `None` for a type that says neither.
    pub fn of_type(project_type: &str) -> Option<CostBasis> {
        let t = project_type.trim().to_lowercase();
        const RENOVATION: [&str; 8] = ["转型", "划转", "补改", "改造", "盘活", "renovat", "conver", "transfer"];
        const NEW: [&str; 5] = ["新建", "配建", "扩建", "new", "exten"];
        if RENOVATION.iter().any(|w| t.contains(w)) {
            Some(CostBasis::Renovation)
        } else if NEW.iter().any(|w| t.contains(w)) {
            Some(CostBasis::NewBuild)
        } else {
            None
        }
    }

    /// The profile's unit cost for this basis (an assumption of the user's, not a fact).
    pub fn unit_cost(self, profile: &Profile) -> Yuan {
        match self {
            CostBasis::NewBuild => profile.costs.new_build_yuan_per_m2,
            CostBasis::Renovation => profile.costs.renovation_yuan_per_m2,
        }
    }
}

/// One planned project.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedProject {
    /// The plan row's id.
    pub source_id: String,
    /// Name, e.g. 解放碑社区综合服务中心.
    pub name: String,
    /// The kinds it will serve (at least one).
    pub kinds: Vec<ServiceKind>,
    /// Floor area, if given.
    pub floor_area: Option<SquareMetres>,
    /// Planned as an embedded service complex (综合体).
    pub complex: bool,
    /// Type as written (新建, 改扩建, 存量转型…).
    pub project_type: String,
    /// Year it is to open.
    pub year: Option<i32>,
    /// Cost, when known.
    pub cost: Option<Yuan>,
    /// Where it stands.
    pub location: Point,
    /// What it stands in.
    pub site: ProjectSite,
}

impl PlannedProject {
    /// The cost given, else the floor area at the profile's unit cost for its type
    /// (`true`: estimated from the assumed unit cost).
    pub fn cost_estimate(&self, profile: &Profile) -> Option<(Yuan, bool)> {
        if let Some(c) = self.cost {
            return Some((c, false));
        }
        let basis = CostBasis::of_type(&self.project_type)?;
        let area = self.floor_area?;
        Some((Yuan(area.0 * basis.unit_cost(profile).0), true))
    }

    /// As a facility of the dataset (id `plan:<source id>`).
    pub fn as_facility(&self, id: FacilityId) -> Facility {
        Facility {
            id,
            source_id: format!("plan:{}", self.source_id),
            name: self.name.clone(),
            kinds: self.kinds.clone(),
            floor_area: self.floor_area,
            capacity: None,
            complex: self.complex,
            shared_by: Vec::new(),
            location: self.location,
            footprint: None,
        }
    }
}

/// A list of projects, named after its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Short name (the file's stem), for column names: `plan_<name>_…`.
    pub name: String,
    /// The projects.
    pub projects: Vec<PlannedProject>,
}

impl Plan {
    /// The dataset with the projects added as facilities, and its assignment (buildings,
    /// candidates and streets as before; facilities assigned again).
    pub fn apply(&self, d: &Dataset, a: &Assignment) -> (Dataset, Assignment) {
        let mut after = d.clone();
        for p in &self.projects {
            let id = FacilityId::from_index(after.facilities.len());
            after.facilities.push(p.as_facility(id));
        }
        let mut assignment = a.clone();
        assignment.extend_facilities(&after);
        (after, assignment)
    }
}

/// The floor area a building holds: its footprint times its floors (or the profile's
/// default floors).
pub fn building_floor_area(d: &Dataset, b: BuildingId, rules: &HouseholdRules) -> SquareMetres {
    let b = &d.buildings[b.index()];
    SquareMetres(b.footprint.unsigned_area() * b.floors.unwrap_or(rules.default_floors))
}

/// What one project does for the communities, judged against the analysis without the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectEffect {
    /// The community it stands in.
    pub community: Option<CommunityId>,
    /// Households newly within each of its kinds' circles (counted once per kind, as if it
    /// were the only project).
    pub new_households: PerKind<f64>,
    /// Kinds it adds to its community's functions.
    pub functions_added: Vec<ServiceKind>,
    /// Floor area it adds where its community has a gap, m² (at most the gap).
    pub gap_filled: SquareMetres,
    /// Warnings: it helps no community, or does not fit its building.
    pub warnings: Vec<Text>,
}

impl ProjectEffect {
    /// Whether it brings anything: households newly in reach, a function its community
    /// lacked, or floor area where there is a gap.
    pub fn helps(&self) -> bool {
        self.new_households.iter().any(|h| *h > 0.0) || !self.functions_added.is_empty() || self.gap_filled.0 > 0.0
    }
}

/// The effect of each project on its own, against `before`. `reach` holds each project's
/// reach (sites in project order, [`crate::site_reach`]); `community` each project's
/// community.
pub fn project_effects(
    d: &Dataset,
    a: &Assignment,
    before: &Analysis,
    profile: &Profile,
    plan: &Plan,
    reach: &SiteReach,
    community: &[Option<CommunityId>],
) -> Vec<ProjectEffect> {
    let kinds = &profile.kinds;
    plan.projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut new_households = vec![0.0; kinds.len()];
            for &k in &p.kinds {
                let circle = &before.circles[k.index()];
                for &(b, dist) in &reach.for_kind(k)[i] {
                    let b = b as usize;
                    if a.building_community[b].is_some()
                        && circle.covers(Some(crate::Metres(dist as f64)))
                        && !before.covered(b, k)
                    {
                        new_households[k.index()] += d.buildings[b].households.map_or(0.0, |h| h.0);
                    }
                }
            }
            let figures = community[i].map(|c| &before.communities[c.index()]);
            let functions_added: Vec<ServiceKind> = figures
                .map(|f| {
                    p.kinds
                        .iter()
                        .copied()
                        .filter(|k| kinds.def(*k).counts_as_function() && !f.functions.contains(k))
                        .collect()
                })
                .unwrap_or_default();
            let counts_for_area = p.kinds.iter().any(|k| kinds.def(*k).counts_for_area);
            let gap_filled = match (figures.and_then(|f| f.area_gap), p.floor_area) {
                (Some(gap), Some(area)) if counts_for_area => SquareMetres(gap.0.min(area.0)),
                _ => SquareMetres::ZERO,
            };
            let mut effect = ProjectEffect {
                community: community[i],
                new_households,
                functions_added,
                gap_filled,
                warnings: vec![],
            };
            if !effect.helps() {
                effect.warnings.push(Text::new(
                    format!(
                        "规划项目 {}（{}）不改善任何社区：其服务类型在所在位置已覆盖，所在社区不缺这些功能，也无{}",
                        p.source_id,
                        p.name,
                        crate::registry::AREA_GAP.zh
                    ),
                    format!(
                        "planned project {} ({}) helps no community: its kinds are already covered where it stands, \
                         its community has them and no area gap",
                        p.source_id, p.name
                    ),
                ));
            }
            if let Some(w) = fit_warning(d, p, profile) {
                effect.warnings.push(w);
            }
            effect
        })
        .collect()
}

/// A warning when a project's floor area exceeds what its building or idle building holds.
fn fit_warning(d: &Dataset, p: &PlannedProject, profile: &Profile) -> Option<Text> {
    let area = p.floor_area?;
    let (holds, what_zh, what_en) = match p.site {
        ProjectSite::Point => return None,
        ProjectSite::Building(b) => (
            building_floor_area(d, b, &profile.households),
            format!("建筑 {}", d.buildings[b.index()].source_id),
            format!("building {}", d.buildings[b.index()].source_id),
        ),
        ProjectSite::Candidate(c) => {
            let cand = &d.candidates[c.index()];
            (cand.floor_area?, format!("闲置资源 {}", cand.source_id), format!("idle building {}", cand.source_id))
        }
    };
    (area.0 > holds.0 + 1e-6).then(|| {
        Text::new(
            format!(
                "规划项目 {}（{}）的面积 {:.0} m² 超过{}可用的 {:.0} m²",
                p.source_id, p.name, area.0, what_zh, holds.0
            ),
            format!(
                "planned project {} ({}) needs {:.0} m², more than the {:.0} m² of {}",
                p.source_id, p.name, area.0, holds.0, what_en
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_types_map_to_a_cost_basis() {
        assert_eq!(CostBasis::of_type("新建"), Some(CostBasis::NewBuild));
        assert_eq!(CostBasis::of_type("改扩建"), Some(CostBasis::NewBuild));
        assert_eq!(CostBasis::of_type("存量转型"), Some(CostBasis::Renovation));
        assert_eq!(CostBasis::of_type("划转"), Some(CostBasis::Renovation));
        assert_eq!(CostBasis::of_type("Conversion"), Some(CostBasis::Renovation));
        assert_eq!(CostBasis::of_type("其他"), None);
    }
}
