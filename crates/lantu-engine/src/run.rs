//! One run: the analysis with the metric asked for, the comparisons, sites and areas.

use crate::progress::Clock;
use crate::{
    coverage_areas, pilot_outcome, plan_outcomes, plan_sites, AreaTracer, Blueprint, EngineError, NetworkResult,
    PilotOutcome, PlanOutcome, Progress, SiteOutcome, Stage,
};
use lantu_core::{
    add_places, analyze, Analysis, Assignment, Dataset, DistanceMetric, Euclidean, PilotRequest, Plan, Profile,
};
use lantu_net::{deck_heights, EdgeCosts, NetworkMetric, NodeId, WalkGraph, Walkable};

/// Heights of the ground, sampled where the engine asks (the nodes of the network), in
/// the dataset's metric CRS. The reading crate implements it for a DEM.
pub trait GroundHeights {
    /// The height at each point, `None` where unknown.
    fn heights_at(&self, points: &[geo::Coord]) -> Result<Vec<Option<f64>>, Box<dyn std::error::Error + Send + Sync>>;
}

/// What a run works on.
pub struct Inputs<'a> {
    /// The objects, in a metric CRS, with households derived.
    pub dataset: &'a Dataset,
    /// Where every building, facility and candidate belongs.
    pub assignment: &'a Assignment,
    /// Ground heights (a DEM), for slopes.
    pub heights: Option<&'a dyn GroundHeights>,
    /// Planned projects, one plan per list.
    pub plans: &'a [Plan],
    /// The walking network as the inputs' check built and snapped it (`lantu_read::Loaded`),
    /// reused rather than built again; `None` builds it from the walkways.
    pub walkable: Option<&'a Walkable>,
}

/// How homes and services are measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricChoice {
    /// Straight lines.
    Euclidean,
    /// The walking network.
    Network,
}

/// How many sites to recommend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SitesWanted {
    /// Exactly this many at most (0: none).
    Count(usize),
    /// The default: `count` when there are candidates but no more than `up_to`.
    Default {
        /// Sites recommended.
        count: usize,
        /// The most candidates for which sites are recommended without being asked.
        up_to: usize,
    },
}

/// The choices of a run.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The metric; `None`: the walking network when there are walkways.
    pub metric: Option<MetricChoice>,
    /// Site recommendations.
    pub sites: SitesWanted,
    /// Coverage areas for every circle, not only each kind's own.
    pub all_circles: bool,
    /// Pilot communities to choose.
    pub pilots: Option<PilotRequest>,
}

/// Runs the analysis and everything around it: the walking network (with slope when
/// heights are given), the same on flat ground and barrier-free, site recommendations,
/// coverage areas. Reports each stage to `progress`.
pub fn run(
    inputs: &Inputs,
    profile: &Profile,
    options: &Options,
    tracer: &dyn AreaTracer,
    progress: &dyn Progress,
) -> Result<Blueprint, EngineError> {
    let d = inputs.dataset;
    let mut clock = Clock::new(progress);
    let choice =
        options.metric.unwrap_or(if d.walkways.is_empty() { MetricChoice::Euclidean } else { MetricChoice::Network });
    // the stages below, in order: the measure (network: graph, coverage, flat ground with
    // heights, barrier-free), sites, plans and pilots when asked, coverage areas
    let measure = match choice {
        MetricChoice::Euclidean => 1,
        MetricChoice::Network => 3 + inputs.heights.is_some() as usize,
    };
    progress.planned(measure + 1 + !inputs.plans.is_empty() as usize + options.pilots.is_some() as usize + 1);
    let (analysis, sites, areas, network, plans) = match choice {
        MetricChoice::Euclidean => {
            let analysis = clock.stage(Stage::Straight, || {
                let mut analysis = analyze(d, inputs.assignment, profile, &Euclidean);
                add_places(&mut analysis, d, inputs.assignment, profile, &Euclidean);
                analysis
            });
            let sites = clock.stage(Stage::Sites, || sites(inputs, profile, options, &analysis, &Euclidean));
            let plans = planned(inputs, profile, options, &analysis, &Euclidean, &mut clock);
            let areas =
                clock.stage(Stage::CoverageAreas, || coverage_areas(d, profile, None, options.all_circles, tracer))?;
            (analysis, sites, areas, None, plans)
        }
        MetricChoice::Network => {
            if d.walkways.is_empty() {
                return Err(EngineError::NoWalkways);
            }
            let (graph, heights, costs) = clock.stage(Stage::Network, || network(inputs, profile))?;
            let on = OnNetwork { graph: &graph, heights: heights.as_deref(), costs: &costs, tracer };
            let (analysis, extras) = on.run(inputs, profile, options, &mut clock);
            let (building_snaps, facility_snaps, sites, areas, plans) = extras;
            let network = NetworkResult { graph, costs, building_snaps, facility_snaps };
            (analysis, sites, areas?, Some(network), plans)
        }
    };
    Ok(Blueprint {
        analysis,
        network,
        coverage_areas: areas,
        sites,
        plans: plans.0,
        pilots: plans.1,
        stages: clock.stages.iter().map(|(s, t)| (s.name(), *t)).collect(),
    })
}

type NetworkExtras = (
    Vec<Option<lantu_net::Snap>>,
    Vec<Option<lantu_net::Snap>>,
    SiteOutcome,
    Result<Vec<crate::CoverageArea>, EngineError>,
    Planned,
);

/// The plans' outcomes and the pilots.
type Planned = (Vec<PlanOutcome>, Option<PilotOutcome>);

/// Each plan built, then the pilots chosen, with the analysis' metric.
fn planned(
    inputs: &Inputs,
    profile: &Profile,
    options: &Options,
    analysis: &Analysis,
    metric: &dyn DistanceMetric,
    clock: &mut Clock,
) -> Planned {
    let (d, a) = (inputs.dataset, inputs.assignment);
    let plans = if inputs.plans.is_empty() {
        Vec::new()
    } else {
        clock.stage(Stage::Plans, || plan_outcomes(d, a, profile, analysis, metric, inputs.plans))
    };
    let pilots = options
        .pilots
        .map(|request| clock.stage(Stage::Pilots, || pilot_outcome(d, a, profile, analysis, metric, &plans, request)));
    (plans, pilots)
}

/// The graph, the ground heights at its nodes (bridges and tunnels as straight decks) and
/// the edge costs.
#[allow(clippy::type_complexity)]
fn network(
    inputs: &Inputs,
    profile: &Profile,
) -> Result<(std::sync::Arc<WalkGraph>, Option<Vec<Option<f64>>>, EdgeCosts), EngineError> {
    let graph = match inputs.walkable {
        Some(w) => w.graph().clone(),
        None => std::sync::Arc::new(WalkGraph::build(&inputs.dataset.walkways, profile.network.join_tolerance_m)),
    };
    let heights = match inputs.heights {
        Some(h) => {
            let coords: Vec<geo::Coord> = (0..graph.node_count() as u32).map(|n| graph.coord(NodeId(n))).collect();
            let ground = h.heights_at(&coords).map_err(EngineError::Heights)?;
            Some(deck_heights(&graph, &ground))
        }
        None => None,
    };
    let costs = EdgeCosts::compute(&graph, heights.as_deref(), profile.walking.steps_factor);
    Ok((graph, heights, costs))
}

/// The walking network, priced, and how areas are traced.
struct OnNetwork<'n> {
    graph: &'n WalkGraph,
    heights: Option<&'n [Option<f64>]>,
    costs: &'n EdgeCosts,
    tracer: &'n dyn AreaTracer,
}

impl OnNetwork<'_> {
    /// Everything on the walking network with one index and one snapping: the analysis,
    /// the flat and barrier-free comparisons, sites and coverage areas.
    fn run(
        &self,
        inputs: &Inputs,
        profile: &Profile,
        options: &Options,
        clock: &mut Clock,
    ) -> (Analysis, NetworkExtras) {
        let (d, a) = (inputs.dataset, inputs.assignment);
        let (graph, steps) = (self.graph, profile.walking.steps_factor);
        let metric = match inputs.walkable {
            // the check's index and snaps (its graph is `graph`)
            Some(w) => w.metric(self.costs),
            None => NetworkMetric::new(
                graph,
                self.costs,
                profile.network.max_access_m,
                profile.network.main_component_share,
            ),
        };
        let mut analysis = clock.stage(Stage::Coverage, || {
            let mut analysis = analyze(d, a, profile, &metric);
            add_places(&mut analysis, d, a, profile, &metric);
            analysis
        });
        if self.heights.is_some() {
            let flat = clock.stage(Stage::Flat, || {
                let flat_costs = EdgeCosts::compute(graph, None, steps);
                analyze(d, a, profile, &metric.with_costs(&flat_costs))
            });
            for (c, f) in analysis.communities.iter_mut().zip(flat.communities) {
                c.coverage_flat = Some(f.coverage);
            }
        }
        // barrier-free: no stairs without a ramp, nothing steeper than the profile's grade
        let accessible = clock.stage(Stage::BarrierFree, || {
            let acc_costs = EdgeCosts::accessible(graph, self.heights, steps, profile.walking.accessible_max_grade);
            analyze(d, a, profile, &metric.with_costs(&acc_costs))
        });
        analysis.add_accessible(accessible, profile);
        let sites = clock.stage(Stage::Sites, || sites(inputs, profile, options, &analysis, &metric));
        let plans = planned(inputs, profile, options, &analysis, &metric, clock);
        let extras = clock.stage(Stage::CoverageAreas, || {
            let origins: Vec<geo::Point> = d.buildings.iter().map(|b| b.origin()).collect();
            let building_snaps = metric.snap_all(&origins);
            let facility_snaps = metric.snap_all(&d.facilities.iter().map(|f| f.location).collect::<Vec<_>>());
            let areas = coverage_areas(d, profile, Some((&metric, &facility_snaps)), options.all_circles, self.tracer);
            (building_snaps, facility_snaps, sites, areas, plans)
        });
        (analysis, extras)
    }
}

/// Site recommendations as the options ask, with the analysis' metric.
fn sites(
    inputs: &Inputs,
    profile: &Profile,
    options: &Options,
    analysis: &Analysis,
    metric: &dyn DistanceMetric,
) -> SiteOutcome {
    let candidates = inputs.dataset.candidates.len();
    let k = match options.sites {
        SitesWanted::Count(0) => return SiteOutcome::NotAsked,
        SitesWanted::Count(_) if candidates == 0 => return SiteOutcome::NoCandidates,
        SitesWanted::Count(k) => k,
        SitesWanted::Default { .. } if candidates == 0 => return SiteOutcome::NotAsked,
        SitesWanted::Default { up_to, .. } if candidates > up_to => return SiteOutcome::TooManyCandidates(candidates),
        SitesWanted::Default { count, .. } => count,
    };
    SiteOutcome::Recommended(Box::new(plan_sites(inputs.dataset, inputs.assignment, profile, analysis, metric, k)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Event, NoProgress, Stage};
    use geo::{polygon, LineString, MultiLineString, MultiPolygon, Point, Rect};
    use lantu_core::*;
    use std::cell::RefCell;

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon {
        MultiPolygon(vec![polygon![(x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s)]])
    }

    /// Two 600 × 600 m communities side by side, a walkway every 100 m both ways, homes in
    /// rows and a few facilities of the core kinds.
    fn district() -> (Dataset, Assignment) {
        let mut d = Dataset::default();
        for i in 0..2u32 {
            d.communities.push(Community {
                id: CommunityId(i),
                code: format!("C{i}"),
                name: format!("C{i}"),
                street_code: Some("S".into()),
                street_name: Some("S".into()),
                households: Some(Households(1000.0)),
                households_source: HouseholdSource::Given,
                population: None,
                elderly: None,
                infants: None,
                children: None,
                capable: false,
                centralised: true,
                boundary: square(i as f64 * 600.0, 0.0, 600.0),
            });
        }
        d.streets = vec![Street { id: StreetId(0), code: "S".into(), name: "S".into(), boundary: None }];
        for k in 0..=12 {
            let v = k as f64 * 100.0;
            for line in [vec![(v, 0.0), (v, 600.0)], vec![(0.0, v.min(600.0)), (1200.0, v.min(600.0))]] {
                if k > 6 && line[0].1 == line[1].1 {
                    continue; // six horizontal lines are enough
                }
                d.walkways.push(Walkway {
                    source_id: format!("W{}", d.walkways.len()),
                    line: LineString::from(line),
                    steps: k == 3,
                    class: None,
                    ramp: false,
                    deck: false,
                });
            }
        }
        for i in 0..24u32 {
            let (x, y) = (30.0 + (i % 12) as f64 * 100.0, 40.0 + (i / 12) as f64 * 300.0);
            d.buildings.push(Building {
                id: BuildingId(i),
                source_id: format!("B{i}"),
                footprint: square(x, y, 20.0),
                residential: true,
                floors: Some(6.0),
                households: None,
                households_source: HouseholdSource::Given,
                compound: None,
                entrances: vec![],
                point_inside: Default::default(),
            });
        }
        let kinds = Profile::builtin().kinds;
        for (i, (code, x, y)) in
            [("elderly_care", 100.0, 100.0), ("infant_care", 700.0, 500.0), ("canteen", 1100.0, 0.0)]
                .into_iter()
                .enumerate()
        {
            d.facilities.push(Facility {
                id: FacilityId(i as u32),
                source_id: format!("F{i}"),
                name: format!("F{i}"),
                kinds: vec![kinds.by_code(code).unwrap()],
                floor_area: Some(SquareMetres(300.0)),
                capacity: None,
                complex: false,
                shared_by: vec![],
                location: Point::new(x, y),
                footprint: None,
            });
        }
        let a = Assignment::compute(&d);
        derive_households(&mut d, &a.building_community, &Profile::builtin().households, None);
        (d, a)
    }

    /// Areas as the lines' boxes widened: enough for the run's bookkeeping.
    struct Boxes;

    impl AreaTracer for Boxes {
        fn widen(
            &self,
            lines: &MultiLineString,
            half_width: f64,
            _cell: f64,
        ) -> Result<MultiPolygon, Box<dyn std::error::Error + Send + Sync>> {
            use geo::BoundingRect;
            Ok(MultiPolygon(
                lines
                    .0
                    .iter()
                    .filter_map(|l| l.bounding_rect())
                    .map(|r| {
                        let pad = geo::coord! { x: half_width, y: half_width };
                        Rect::new(r.min() - pad, r.max() + pad).to_polygon()
                    })
                    .collect(),
            ))
        }
    }

    /// Records every event.
    #[derive(Default)]
    struct Recorder {
        planned: RefCell<Option<usize>>,
        events: RefCell<Vec<Event>>,
    }

    impl Progress for Recorder {
        fn event(&self, event: &Event) {
            self.events.borrow_mut().push(event.clone());
        }
        fn planned(&self, stages: usize) {
            *self.planned.borrow_mut() = Some(stages);
        }
    }

    impl Recorder {
        /// The stages as they ran, checking that each started, then finished, one at a time.
        fn stages(&self) -> Vec<Stage> {
            let events = self.events.borrow();
            assert_eq!(events.len() % 2, 0, "{events:?}");
            events
                .chunks(2)
                .map(|pair| match pair {
                    [Event::Started(a), Event::Finished(b, secs)] if a == b && *secs >= 0.0 => *a,
                    other => panic!("a stage that did not start and finish in turn: {other:?}"),
                })
                .collect()
        }
    }

    fn options(metric: MetricChoice) -> Options {
        Options { metric: Some(metric), sites: SitesWanted::Count(0), all_circles: false, pilots: None }
    }

    #[test]
    fn a_run_tells_its_stages_in_order_and_as_many_as_it_planned() {
        let (d, a) = district();
        let inputs = Inputs { dataset: &d, assignment: &a, heights: None, plans: &[], walkable: None };
        let p = Profile::builtin();
        for (metric, expected) in [
            (MetricChoice::Euclidean, vec![Stage::Straight, Stage::Sites, Stage::CoverageAreas]),
            (
                MetricChoice::Network,
                vec![Stage::Network, Stage::Coverage, Stage::BarrierFree, Stage::Sites, Stage::CoverageAreas],
            ),
        ] {
            let recorder = Recorder::default();
            let bp = run(&inputs, &p, &options(metric), &Boxes, &recorder).unwrap();
            assert_eq!(recorder.stages(), expected, "{metric:?}");
            assert_eq!(*recorder.planned.borrow(), Some(expected.len()), "{metric:?}");
            let named: Vec<&str> = bp.stages.iter().map(|(n, _)| *n).collect();
            assert_eq!(named, expected.iter().map(|s| s.name()).collect::<Vec<_>>());
            assert_eq!(bp.network.is_some(), metric == MetricChoice::Network);
        }
    }

    #[test]
    fn the_runs_figures_are_the_cores_and_the_network_never_reaches_further_than_a_straight_line() {
        let (d, a) = district();
        let inputs = Inputs { dataset: &d, assignment: &a, heights: None, plans: &[], walkable: None };
        let p = Profile::builtin();
        let straight = run(&inputs, &p, &options(MetricChoice::Euclidean), &Boxes, &NoProgress).unwrap();
        let mut core = analyze(&d, &a, &p, &Euclidean);
        lantu_core::add_places(&mut core, &d, &a, &p, &Euclidean);
        assert_eq!(straight.analysis, core, "the engine adds nothing to the core's figures");
        let walked = run(&inputs, &p, &options(MetricChoice::Network), &Boxes, &NoProgress).unwrap();
        let mut less = 0.0;
        for (w, s) in walked.analysis.communities.iter().zip(&straight.analysis.communities) {
            for (cw, cs) in w.coverage.iter().zip(&s.coverage) {
                let (cw, cs) = (cw.unwrap_or(0.0), cs.unwrap_or(0.0));
                assert!(cw <= cs + 1e-9, "a walk reaches no further than a straight line: {cw} > {cs}");
                less += cs - cw;
            }
            // barrier-free (the stairs on x = 300 m impassable) reaches no further than the walk
            for (acc, cw) in w.coverage_accessible.as_ref().unwrap().iter().zip(&w.coverage) {
                assert!(acc.unwrap_or(0.0) <= cw.unwrap_or(0.0) + 1e-9);
            }
        }
        assert!(less > 0.0, "the grid's detours cost some coverage somewhere");
        // the same run twice: the same figures
        let again = run(&inputs, &p, &options(MetricChoice::Network), &Boxes, &NoProgress).unwrap();
        assert_eq!(again.analysis, walked.analysis);
    }
}
