//! Runs several tests read, made once per test binary: the default demo and the Monaco
//! demo. A test that reads one must not change it (each writes its own files beside it
//! under its own name, if any).

use super::{lantu, texts};
use std::path::PathBuf;
use std::sync::OnceLock;

/// A finished shared run.
pub struct Run {
    /// Its output folder.
    pub out: PathBuf,
    /// What it printed.
    pub stdout: String,
}

type Cell = OnceLock<Result<Run, String>>;

/// One shared run: `args` with `--out` the folder, made on first use; panics (in every
/// test that asks) when the run failed.
fn shared(cell: &'static Cell, name: &str, args: &[&str]) -> &'static Run {
    let made = cell.get_or_init(|| {
        let out = std::env::temp_dir().join(format!("lantu-test-shared-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let mut all: Vec<&str> = args.to_vec();
        let o = out.to_string_lossy().into_owned();
        all.extend(["--out", &o]);
        let run = lantu(&all);
        let (stdout, stderr) = texts(&run);
        match run.status.code() {
            Some(0) => Ok(Run { out, stdout }),
            code => Err(format!("lantu {all:?} ended with {code:?}:\n{stdout}\n{stderr}")),
        }
    });
    match made {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// `lantu demo`: the synthetic district, with its stdout.
pub fn demo() -> &'static Run {
    static CELL: Cell = OnceLock::new();
    shared(&CELL, "demo", &["demo"])
}

/// `lantu demo --example monaco --sites 3`: Monaco with its DEM and three sites.
pub fn monaco_demo() -> &'static Run {
    static CELL: Cell = OnceLock::new();
    shared(&CELL, "monaco-demo", &["demo", "--example", "monaco", "--sites", "3"])
}

/// A synthetic city of 500 communities (seed 3) analysed with `--no-maps --sites 0`: its
/// buildings and walkways (over 100,000 features) are left out of the page's GeoJSON, as a
/// real city's are.
pub fn city() -> &'static Run {
    static CELL: Cell = OnceLock::new();
    let made = CELL.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("lantu-test-shared-city-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (input, out) = (dir.join("input"), dir.join("city"));
        let synth = lantu(&["synth", "--communities", "500", "--seed", "3", "--out", input.to_str().unwrap()]);
        if synth.status.code() != Some(0) {
            return Err(format!("lantu synth: {:?}", texts(&synth)));
        }
        let project = input.join("project.toml");
        let args = ["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps", "--sites", "0"];
        let run = lantu(&args);
        let (stdout, stderr) = texts(&run);
        match run.status.code() {
            Some(0) => Ok(Run { out, stdout }),
            code => Err(format!("lantu {args:?} ended with {code:?}:\n{stdout}\n{stderr}")),
        }
    });
    match made {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}
