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
