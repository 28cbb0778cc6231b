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
