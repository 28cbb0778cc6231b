//! Progress a caller can observe: every stage of a run as it starts and ends.

/// A stage of [`crate::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Straight-line coverage and the gap analysis (no walking network).
    Straight,
    /// Building the walking network and pricing its edges.
    Network,
    /// Snapping homes and facilities, walking coverage and the gap analysis.
    Coverage,
    /// The same on flat ground (with a DEM).
    Flat,
    /// The same barrier-free.
    BarrierFree,
    /// Site recommendations and the figures after conversion.
    Sites,
    /// Coverage areas per kind and circle.
    CoverageAreas,
    /// Planned projects: the figures with each plan built.
    Plans,
    /// Pilot communities and the figures once built.
    Pilots,
}

impl Stage {
    /// A short stable name (English), as printed in timings and progress lines.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Straight => "coverage + gaps",
            Stage::Network => "graph + costs",
            Stage::Coverage => "snap + coverage + gaps",
            Stage::Flat => "flat comparison",
            Stage::BarrierFree => "barrier-free",
            Stage::Sites => "sites",
            Stage::CoverageAreas => "coverage areas",
            Stage::Plans => "plans",
            Stage::Pilots => "pilots",
        }
    }

    /// The Chinese name, for progress bars.
    pub fn name_zh(self) -> &'static str {
        match self {
            Stage::Straight => "直线覆盖与缺口",
            Stage::Network => "构建步行网络",
            Stage::Coverage => "步行覆盖与缺口",
            Stage::Flat => "平地对比",
            Stage::BarrierFree => "无障碍覆盖",
            Stage::Sites => "闲置资源选址",
            Stage::CoverageAreas => "覆盖范围",
            Stage::Plans => "规划项目",
            Stage::Pilots => "试点社区",
        }
    }
}

/// Something that happened during a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A stage began.
    Started(Stage),
    /// A stage ended after this many seconds.
    Finished(Stage, f64),
}

/// Observes a run (a progress bar, a JSON line per event, a QGIS feedback object).
/// Called from the thread that runs the engine.
pub trait Progress {
    /// One event.
    fn event(&self, event: &Event);

    /// How many stages the run will go through, told once before the first.
    fn planned(&self, _stages: usize) {}
}

/// Observes nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn event(&self, _: &Event) {}
}

/// Times stages and tells the observer.
pub(crate) struct Clock<'p> {
    progress: &'p dyn Progress,
    pub stages: Vec<(Stage, f64)>,
}

impl<'p> Clock<'p> {
    pub fn new(progress: &'p dyn Progress) -> Clock<'p> {
        Clock { progress, stages: Vec::new() }
    }

    /// Runs `f` as stage `stage`.
    pub fn stage<T>(&mut self, stage: Stage, f: impl FnOnce() -> T) -> T {
        self.progress.event(&Event::Started(stage));
        let start = std::time::Instant::now();
        let out = f();
        let secs = start.elapsed().as_secs_f64();
        self.stages.push((stage, secs));
        self.progress.event(&Event::Finished(stage, secs));
        out
    }
}
