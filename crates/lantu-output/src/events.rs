//! What a front door hears while the outputs are written.

use lantu_core::Text;

/// Observes the writing of an output folder: the engine's stages (as
/// [`lantu_engine::Progress`]), then the output's own, and the lines a person should read.
/// The command line prints them; the QGIS plugin reads the JSON progress lines.
pub trait Events: lantu_engine::Progress {
    /// An output stage (layers, tables, maps …) begins.
    fn begin(&self, stage: &Text);
    /// The stage under way ended after `secs` (`name` is its stable English name).
    fn lap(&self, name: &str, secs: f64);
    /// A line for the user (counts, what was left out).
    fn say(&self, line: &Text);
    /// A warning (a plan's project that cannot be used, …).
    fn warn(&self, warning: &Text);
}

/// Hears nothing: for tests and callers that only want the folder.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl lantu_engine::Progress for Silent {
    fn event(&self, _: &lantu_engine::Event) {}
}

impl Events for Silent {
    fn begin(&self, _: &Text) {}
    fn lap(&self, _: &str, _: f64) {}
    fn say(&self, _: &Text) {}
    fn warn(&self, _: &Text) {}
}

/// Wall-clock time of each output stage, told to the observer as it ends.
pub(crate) struct Stages<'e> {
    pub laps: Vec<(&'static str, f64)>,
    start: std::time::Instant,
    events: &'e dyn Events,
}

impl<'e> Stages<'e> {
    pub fn start(events: &'e dyn Events) -> Stages<'e> {
        Stages { laps: Vec::new(), start: std::time::Instant::now(), events }
    }

    /// The stage `zh`/`en` begins.
    pub fn begin(&mut self, zh: &str, en: &str) {
        self.events.begin(&Text::new(zh, en));
    }

    /// The stage under way ended.
    pub fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        let secs = (now - self.start).as_secs_f64();
        self.laps.push((name, secs));
        self.events.lap(name, secs);
        self.start = now;
    }
}

/// The `--progress json` line of an engine event: what QGIS and the batch driver read.
/// `done` and `total` count the engine's stages finished and planned.
///
/// ```
/// use lantu_engine::{Event, Stage};
/// let line = lantu_output::progress_json_line(&Event::Finished(Stage::Network, 0.3804), 1, 9);
/// let v: serde_json::Value = serde_json::from_str(&line).unwrap();
/// assert_eq!(v["event"], "finished");
/// assert_eq!(v["seconds"], 0.38);
/// assert_eq!((v["done"].as_u64(), v["total"].as_u64()), (Some(1), Some(9)));
/// ```
pub fn progress_json_line(event: &lantu_engine::Event, done: usize, total: usize) -> String {
    let line = match event {
        lantu_engine::Event::Started(s) => serde_json::json!({
            "stage": s.name(), "stage_zh": s.name_zh(), "event": "started", "done": done, "total": total
        }),
        lantu_engine::Event::Finished(s, secs) => serde_json::json!({
            "stage": s.name(), "stage_zh": s.name_zh(), "event": "finished", "seconds": (secs * 1000.0).round() / 1000.0,
            "done": done, "total": total
        }),
    };
    line.to_string()
}

/// What `--threads N` says when N is out of range for the machine's `cores`: it uses `n`.
pub fn threads_clamped(asked: usize, cores: usize, n: usize) -> lantu_core::Text {
    lantu_core::Text::new(
        format!("--threads {asked} 超出范围：本机 {cores} 核，改用 {n} 个线程（结果与线程数无关）"),
        format!("--threads {asked} is out of range: this machine has {cores} cores, using {n} threads (results do not depend on the thread count)"),
    )
}
