//! A fixed-seed mutation harness over the fixtures, format by format: each case replaces
//! one input of a project that passes `check` by a damaged copy (cut short, bytes flipped,
//! header zeroed, emptied, under another format's extension, a very long string, an extreme
//! number) and runs `lantu check` (every eighth case `lantu analyze`). For every case:
//!
//! - no panic, and exit 0 or 1 only (no crash, no signal);
//! - `analyze` leaves an output folder only on exit 0, and never a hidden partial folder;
//! - where the mutation damages a format whose header declares its feature count
//!   (Shapefile, FlatGeobuf, GeoPackage), exit 0 means every feature was read.
//!
//! `cargo test` runs 320 cases (about a minute); the long run, whose last result TESTING.md
//! records, takes more and may use a release binary:
//! `LANTU_MUTATIONS=5000 LANTU_BIN=target/release/lantu cargo test -p lantu-cli --test mutations -- --nocapture`.

use crate::common;
use common::*;
use lantu_core::SeededRng;
use std::path::PathBuf;

/// A project the harness damages: its files (copied from the repository) and which of
/// them each mutation may replace.
struct Base {
    name: &'static str,
    /// (destination name, source) of every file the project reads.
    files: Vec<(String, PathBuf)>,
    /// The project file's text.
    project: String,
    /// Extra arguments of `check` (e.g. `--dem dem.tif`).
    args: Vec<&'static str>,
    /// The files to damage, each with the role of its layer (for the read count).
    targets: Vec<(&'static str, &'static str)>,
}

/// The binary under test: `LANTU_BIN` for the long run, else the one cargo built.
fn binary() -> PathBuf {
    std::env::var_os("LANTU_BIN").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_lantu")), PathBuf::from)
}

fn bases() -> Vec<Base> {
    let cq = |n: &str| fixture(&format!("chongqing/{n}"));
    let hw = |n: &str| fixture(&format!("handworked/{n}"));
    let jn = |n: &str| fixture(&format!("joins/{n}"));
    let cq_files = || {
        let mut v: Vec<(String, PathBuf)> = ["shp", "shx", "dbf", "prj", "cpg"]
            .iter()
            .map(|e| (format!("communities.{e}"), cq(&format!("communities.{e}"))))
            .collect();
        v.extend(
            ["communities.fgb", "buildings.gpkg", "facilities_gcj02.csv", "facilities_gcj02.xlsx"]
                .iter()
                .map(|n| (n.to_string(), cq(n))),
        );
        v.push(("dem.tif".into(), fixture("monaco_dem.tif")));
        v.push(("profile.toml".into(), fixture("profiles/drone_pad.toml")));
        v
    };
    vec![
        Base {
            name: "survey (Shapefile, GeoPackage, CSV)",
            files: cq_files(),
            project: "name = \"渝中区示例\"\nprofile = \"profile.toml\"\n[communities]\npath = \"communities.shp\"\n[buildings]\npath = \"buildings.gpkg\"\n[facilities]\npath = \"facilities_gcj02.csv\"\ncoords = \"gcj02\"\n".into(),
            args: vec!["--dem", "dem.tif"],
            targets: vec![
                ("communities.shp", "communities"),
                ("communities.dbf", "communities"),
                ("communities.shx", "communities"),
                ("buildings.gpkg", "buildings"),
                ("facilities_gcj02.csv", "facilities"),
                ("dem.tif", "dem"),
                ("profile.toml", "profile"),
                ("project.toml", "project"),
            ],
        },
        Base {
            name: "survey (FlatGeobuf, XLSX)",
            files: cq_files(),
            project: "[communities]\npath = \"communities.fgb\"\n[facilities]\npath = \"facilities_gcj02.xlsx\"\ncoords = \"gcj02\"\n".into(),
            args: vec![],
            targets: vec![("communities.fgb", "communities"), ("facilities_gcj02.xlsx", "facilities")],
        },
        Base {
            name: "joins (GeoJSON, XLSX join)",
            files: ["communities_bare.geojson", "households_by_code.xlsx", "facilities.csv"]
                .iter()
                .map(|n| (n.to_string(), jn(n)))
                .collect(),
            project: std::fs::read_to_string(jn("project_by_code.toml")).unwrap(),
            args: vec![],
            targets: vec![
                ("communities_bare.geojson", "communities"),
                ("households_by_code.xlsx", "join"),
                ("facilities.csv", "facilities"),
            ],
        },
        Base {
            name: "hand-worked (WKT CSV, plan)",
            files: ["communities.csv", "buildings.csv", "facilities.csv", "candidates.csv", "plan.csv"]
                .iter()
                .map(|n| (n.to_string(), hw(n)))
                .collect(),
            project: std::fs::read_to_string(hw("project_sites.toml")).unwrap(),
            args: vec![],
            targets: vec![
                ("communities.csv", "communities"),
                ("buildings.csv", "buildings"),
                ("candidates.csv", "candidates"),
                ("plan.csv", "plan"),
            ],
        },
    ]
}

/// How a file is damaged.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mutation {
    Truncate,
    FlipBytes,
    ZeroHeader,
    Empty,
    WrongExtension,
    LongString,
    ExtremeNumber,
}

const MUTATIONS: [Mutation; 7] = [
    Mutation::Truncate,
    Mutation::FlipBytes,
    Mutation::ZeroHeader,
    Mutation::Empty,
    Mutation::WrongExtension,
    Mutation::LongString,
    Mutation::ExtremeNumber,
];

impl Mutation {
    /// Whether the mutation damages the data (rather than changing a value).
    fn damages(self) -> bool {
        matches!(self, Mutation::Truncate | Mutation::FlipBytes | Mutation::ZeroHeader | Mutation::Empty)
    }

    /// The damaged bytes, and the name to write them under.
    fn apply(self, name: &str, bytes: &[u8], rng: &mut SeededRng) -> (String, Vec<u8>) {
        let mut b = bytes.to_vec();
        let n = b.len().max(1);
        match self {
            Mutation::Truncate => b.truncate(rng.below(n)),
            Mutation::FlipBytes => {
                for _ in 0..1 + rng.below(16) {
                    let i = rng.below(n).min(b.len().saturating_sub(1));
                    if let Some(x) = b.get_mut(i) {
                        *x ^= 1 + rng.below(255) as u8;
                    }
                }
            }
            Mutation::ZeroHeader => b.iter_mut().take(100).for_each(|x| *x = 0),
            Mutation::Empty => b.clear(),
            Mutation::WrongExtension => {
                let others = ["gpkg", "shp", "geojson", "fgb", "xlsx", "csv", "tif"];
                let ext = others[rng.below(others.len())];
                let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
                return (format!("{stem}.{ext}"), b);
            }
            Mutation::LongString | Mutation::ExtremeNumber => {
                let Ok(text) = String::from_utf8(b.clone()) else {
                    // binary formats: a run of flipped bytes instead
                    return Mutation::FlipBytes.apply(name, bytes, rng);
                };
                let tokens: Vec<(usize, usize)> = token_spans(&text, self == Mutation::ExtremeNumber);
                if tokens.is_empty() {
                    return (name.to_string(), b);
                }
                let (s, e) = tokens[rng.below(tokens.len())];
                let with = if self == Mutation::LongString {
                    ["社", "X", "\u{202e}", "\""][rng.below(4)].repeat(20_000 + rng.below(30_000))
                } else {
                    ["1e308", "-1e308", "NaN", "inf", "1e-300", "0", "-1", "99999999999999999999", "1e300"]
                        [rng.below(9)]
                    .to_string()
                };
                b = format!("{}{}{}", &text[..s], with, &text[e..]).into_bytes();
            }
        }
        (name.to_string(), b)
    }
}

/// Byte spans of numbers (or of words) in a text file.
fn token_spans(text: &str, numbers: bool) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let part = if numbers { c.is_ascii_digit() || c == '.' } else { c.is_alphanumeric() };
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    spans
}

/// Features read of a layer, as `check --lang en` prints them (`read 5, kept 5`).
fn features_read(report: &str, role: &str) -> Option<usize> {
    let mut lines = report.lines().skip_while(|l| !l.starts_with(&format!("[{role}]")));
    lines.next()?;
    let line = lines.next()?;
    line.trim().strip_prefix("read ")?.split(',').next()?.trim().parse().ok()
}

/// One case's outcome.
struct Outcome {
    base: &'static str,
    target: String,
    mutation: Mutation,
    code: Option<i32>,
    problem: Option<String>,
}

fn run_case(case: usize, seed: u64, originals: &[Option<usize>]) -> Outcome {
    let bases = bases();
    let mut rng = SeededRng::new(seed).fork(case as u64);
    let bi = case % bases.len();
    let base = &bases[bi];
    let (target, role) = base.targets[rng.below(base.targets.len())];
    let mutation = MUTATIONS[rng.below(MUTATIONS.len())];
    let dir = TempDir::new(&format!("mut-{case}"));
    for (name, src) in &base.files {
        std::fs::copy(src, dir.path().join(name)).unwrap();
    }
    let mut project = base.project.clone();
    let original: Vec<u8> = if target == "project.toml" {
        project.clone().into_bytes()
    } else {
        std::fs::read(dir.path().join(target)).unwrap()
    };
    let (name, bytes) = mutation.apply(target, &original, &mut rng);
    if target == "project.toml" {
        project = String::from_utf8_lossy(&bytes).into_owned();
    } else {
        if name != target {
            std::fs::remove_file(dir.path().join(target)).unwrap();
            project = project.replace(target, &name);
        }
        std::fs::write(dir.path().join(&name), &bytes).unwrap();
    }
    let project_file = dir.write("project.toml", &project);
    let analyze = case % 8 == 7;
    let out = dir.path().join("out");
    let mut args: Vec<String> = if analyze {
        vec!["analyze".into(), project_file.display().to_string(), "--out".into(), out.display().to_string()]
    } else {
        vec!["check".into(), project_file.display().to_string()]
    };
    args.extend(["--no-maps", "--sites", "0"].iter().filter(|_| analyze).map(|s| s.to_string()));
    args.extend(base.args.iter().map(|a| {
        if *a == "dem.tif" {
            dir.path().join(a).display().to_string()
        } else {
            a.to_string()
        }
    }));
    if target == "plan.csv" && analyze {
        args.extend(["--plan".to_string(), dir.path().join(&name).display().to_string()]);
    }
    args.extend(["--lang".into(), "en".into()]);
    let o = std::process::Command::new(binary()).args(&args).output().unwrap();
    let (stdout, stderr) = texts(&o);
    let code = o.status.code();
    let mut problem = None;
    if stderr.contains("panicked") {
        problem = Some(format!("panic: {stderr}"));
    } else if !matches!(code, Some(0) | Some(1)) {
        problem = Some(format!("exit {code:?}: {stderr}"));
    } else if analyze && (code == Some(0)) != out.exists() {
        problem = Some(format!("exit {code:?} but output folder present: {}", out.exists()));
    } else if std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains(".partial-"))
    {
        problem = Some("a partial folder was left".into());
    } else if code == Some(0) && mutation.damages() && counted_format(&name) {
        let read = features_read(&stdout, role);
        if read.is_some() && read < originals[bi * 16 + base.targets.iter().position(|t| t.0 == target).unwrap()] {
            problem = Some(format!("exit 0 with {read:?} features of {role} read: {stdout}"));
        }
    }
    Outcome { base: base.name, target: name, mutation, code, problem }
}

/// Formats whose header declares their feature count.
fn counted_format(name: &str) -> bool {
    [".shp", ".dbf", ".shx", ".fgb", ".gpkg"].iter().any(|e| name.ends_with(e))
}

/// The features each target's layer holds undamaged.
fn original_counts() -> Vec<Option<usize>> {
    let mut counts = vec![None; bases().len() * 16];
    for (bi, base) in bases().iter().enumerate() {
        let dir = TempDir::new(&format!("mut-base-{bi}"));
        for (name, src) in &base.files {
            std::fs::copy(src, dir.path().join(name)).unwrap();
        }
        let p = dir.write("project.toml", &base.project);
        let mut args: Vec<String> = vec!["check".into(), p.display().to_string(), "--lang".into(), "en".into()];
        args.extend(base.args.iter().map(|a| {
            if *a == "dem.tif" {
                dir.path().join(a).display().to_string()
            } else {
                a.to_string()
            }
        }));
        let o = std::process::Command::new(binary()).args(&args).output().unwrap();
        let (out, err) = texts(&o);
        assert_eq!(o.status.code(), Some(0), "the undamaged {} project passes check: {out}{err}", base.name);
        for (ti, (_, role)) in base.targets.iter().enumerate() {
            counts[bi * 16 + ti] = features_read(&out, role);
        }
    }
    counts
}

#[test]
fn damaged_inputs_never_panic_never_lose_features_and_never_leave_half_outputs() {
    let cases: usize = std::env::var("LANTU_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(320);
    let seed = 2024;
    let originals = std::sync::Arc::new(original_counts());
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(8);
    let start = std::time::Instant::now();
    let outcomes: Vec<Outcome> = (0..workers)
        .map(|_| {
            let (next, originals) = (next.clone(), originals.clone());
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                loop {
                    let case = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if case >= cases {
                        break mine;
                    }
                    mine.push(run_case(case, seed, &originals));
                }
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    // the summary: per base and mutation, how many cases passed check (0) or were refused (1)
    let mut table: std::collections::BTreeMap<(String, String), (usize, usize)> = Default::default();
    for o in &outcomes {
        let e = table.entry((o.base.to_string(), format!("{:?}", o.mutation))).or_default();
        if o.code == Some(0) {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    println!("{cases} mutated cases (seed {seed}) in {:.0} s", start.elapsed().as_secs_f64());
    println!("| project | mutation | exit 0 | exit 1 |\n|---|---|---|---|");
    for ((b, m), (ok, refused)) in &table {
        println!("| {b} | {m} | {ok} | {refused} |");
    }
    let problems: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.problem.as_ref().map(|p| format!("{} / {} / {:?}: {p}", o.base, o.target, o.mutation)))
        .collect();
    assert!(problems.is_empty(), "{} of {cases} cases failed:\n{}", problems.len(), problems.join("\n\n"));
    assert_eq!(outcomes.len(), cases);
}
