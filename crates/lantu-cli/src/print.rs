//! What the command line prints: progress, warnings and the few lines of a run.

use lantu_core::{Lang, Text};

/// Shows the run's progress as asked: a spinner line on a terminal (each stage ticked off
/// with its time), JSON lines on stderr for callers, or nothing.
pub struct ProgressPrinter {
    json: bool,
    bar: Option<indicatif::ProgressBar>,
    lang: Lang,
    /// The label of the binary's stage under way (for its tick line).
    current: std::cell::RefCell<Option<String>>,
    /// The engine's stages finished and planned, for `done` and `total` in JSON lines.
    counts: std::cell::Cell<(usize, usize)>,
}

impl ProgressPrinter {
    /// A printer for `--progress`.
    pub fn new(arg: crate::flags::ProgressArg, lang: Lang) -> ProgressPrinter {
        use crate::flags::ProgressArg;
        use std::io::IsTerminal;
        let bar = match arg {
            ProgressArg::Bar => true,
            ProgressArg::Auto => std::io::stderr().is_terminal(),
            ProgressArg::None | ProgressArg::Json => false,
        };
        let bar = bar.then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            if let Ok(style) = indicatif::ProgressStyle::with_template("  {spinner} {msg} {elapsed}") {
                b.set_style(style);
            }
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        ProgressPrinter {
            json: arg == ProgressArg::Json,
            bar,
            lang,
            current: Default::default(),
            counts: Default::default(),
        }
    }

    /// A stage ended after `secs`.
    pub fn done(&self, name: &str, secs: f64) {
        if let Some(b) = &self.bar {
            let line = format!("  ✓ {name} {secs:.2} s");
            // piped (a log file), the spinner is hidden: the ticks become plain lines
            if b.is_hidden() {
                eprintln!("{line}");
            } else {
                b.println(line);
            }
        }
    }

    /// Clears the progress line before the summary.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for ProgressPrinter {
    fn drop(&mut self) {
        // an error ends the run early: leave no spinner behind on the terminal
        self.finish();
    }
}

impl lantu_engine::Progress for ProgressPrinter {
    fn event(&self, event: &lantu_engine::Event) {
        match event {
            lantu_engine::Event::Started(s) => {
                if let Some(b) = &self.bar {
                    b.set_message(self.lang.pick(s.name_zh(), s.name()));
                }
            }
            lantu_engine::Event::Finished(s, secs) => self.done(self.lang.pick(s.name_zh(), s.name()), *secs),
        }
        let (mut done, total) = self.counts.get();
        if let lantu_engine::Event::Finished(..) = event {
            done += 1;
            self.counts.set((done, total));
        }
        if !self.json {
            return;
        }
        let line = lantu_output::progress_json_line(event, done, total);
        eprintln!("{line}");
    }

    fn planned(&self, stages: usize) {
        self.counts.set((0, stages));
    }
}

impl lantu_output::Events for ProgressPrinter {
    fn begin(&self, stage: &Text) {
        let label = stage.get(self.lang).to_string();
        if let Some(b) = &self.bar {
            b.set_message(label.clone());
        }
        *self.current.borrow_mut() = Some(label);
    }

    fn lap(&self, name: &str, secs: f64) {
        let label = self.current.borrow_mut().take().unwrap_or_else(|| name.to_string());
        self.done(&label, secs);
    }

    fn say(&self, line: &Text) {
        println!("{}", line.get(self.lang));
    }

    fn warn(&self, w: &Text) {
        eprintln!("{}: {}", self.lang.pick("警告", "warning"), w.get(self.lang));
    }
}
