//! Runs several tests read, made once per test binary: the default demo and the Monaco
//! demo. A test that reads one must not change it (each writes its own files beside it
//! under its own name, if any).

use super::{lantu, texts};
use std::path::{Path, PathBuf};
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
    made_once(cell, || {
        let out = shared_dir(name);
        let o = out.to_string_lossy().into_owned();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--out", &o]);
        finished(&all, out)
    })
}

/// This test binary's folder for the shared run `name`, empty. A static is never dropped,
/// so the folders of earlier test binaries (their process gone) are removed here instead.
fn shared_dir(name: &str) -> PathBuf {
    let tmp = std::env::temp_dir();
    for e in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file.strip_prefix("lantu-test-shared-").and_then(|r| r.rsplit('-').next()) else { continue };
        if pid.parse::<u32>().is_ok_and(|p| p != std::process::id() && !Path::new(&format!("/proc/{p}")).exists()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
    let dir = tmp.join(format!("lantu-test-shared-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `make`'s run, made on the first call; panics (in every test that asks) when it failed.
fn made_once(cell: &'static Cell, make: impl FnOnce() -> Result<Run, String>) -> &'static Run {
    match cell.get_or_init(make) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// Runs `lantu args…`; the run with its output folder `out`, or what it said when it failed.
fn finished(args: &[&str], out: PathBuf) -> Result<Run, String> {
    let run = lantu(args);
    let (stdout, stderr) = texts(&run);
    match run.status.code() {
        Some(0) => Ok(Run { out, stdout }),
        code => Err(format!("lantu {args:?} ended with {code:?}:\n{stdout}\n{stderr}")),
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
    made_once(&CELL, || {
        let dir = shared_dir("city");
        let (input, out) = (dir.join("input"), dir.join("city"));
        finished(&["synth", "--communities", "500", "--seed", "3", "--out", input.to_str().unwrap()], input.clone())?;
        let project = input.join("project.toml");
        finished(
            &["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps", "--sites", "0"],
            out.clone(),
        )
    })
}
