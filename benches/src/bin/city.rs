//! The city-scale run: first the machine's calibration figure (criterion's
//! `monaco/graph+snap+all kinds` median, measured now with `cargo bench`); then for 200,
//! 2,000 and 6,000 communities, generate the synthetic city (`lantu synth`), run
//! `lantu analyze --no-maps` and the default run (maps, PDF and all), and print one table of
//! stage times, wall times, peak memory and output sizes. Beside it, on the very network
//! lantu wrote, an independent baseline: scipy's Dijkstra (`benches/baseline/scipy_network.py`,
//! node-snapped, flat costs, one thread) under Debian's scipy and a pinned current one,
//! measured in the same run.
//!
//! Run: `cargo build --release -p lantu-cli -p lantu-benches && target/release/city [SIZES…]`

use lantu_benches::{lantu, run};
use std::path::Path;
use std::process::Command;

/// One size's results: communities, stage times, wall time, peak memory, maps time, synth time.
struct Row {
    n: usize,
    stages: Vec<(String, f64)>,
    wall: f64,
    peak: f64,
    maps: f64,
    synth: f64,
    /// The default run (maps, PDF and all): wall time, s, and peak memory, MiB.
    default_wall: f64,
    default_peak: f64,
    /// The default run's output: the whole, then its largest parts, bytes.
    sizes: Vec<(String, u64)>,
    /// scipy's graph + snapping + nine searches, s (`None`: not run, and why).
    baseline: Result<f64, String>,
    /// The same with a current scipy (the pinned virtual environment `.venv-baseline`).
    current: Result<f64, String>,
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![200, 2000, 6000] } else { sizes };
    let base = std::env::temp_dir().join("lantu-city-bench");
    let calibration = calibrate();
    match &calibration {
        Ok(ms) => println!(
            "calibration: criterion monaco/graph+snap+all kinds median {ms:.1} ms (PERFORMANCE.md's tables: 27.2 ms)"
        ),
        Err(e) => println!("calibration not measured: {e}"),
    }
    let mut rows: Vec<Row> = Vec::new();
    for &n in &sizes {
        let dir = base.join(format!("city{n}"));
        let out = base.join(format!("out{n}"));
        let t = std::time::Instant::now();
        let status = Command::new(lantu())
            .args(["synth", "--communities", &n.to_string(), "--seed", "1", "--out", dir.to_str().unwrap(), "--force"])
            .output()
            .expect("lantu synth runs");
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let synth = t.elapsed().as_secs_f64();
        let project = dir.join("project.toml");
        let (stages, peak, wall) =
            run(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--force", "--no-maps"]);
        let baseline = scipy_baseline(&out, Path::new("/usr/bin/python3"));
        match &baseline {
            Ok(s) => println!("{n} communities: scipy baseline, Debian's scipy 1.10 (graph, node snapping, nine searches, flat) {s:.2} s"),
            Err(e) => println!("{n} communities: scipy baseline not run: {e}"),
        }
        let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv-baseline/bin/python");
        let current = scipy_baseline(&out, &venv);
        match &current {
            Ok(s) => {
                println!("{n} communities: scipy baseline, scipy 1.17 (benches/baseline/requirements.txt) {s:.2} s")
            }
            Err(e) => println!("{n} communities: scipy 1.17 baseline not run: {e}"),
        }
        let (with_maps, default_peak, default_wall) =
            run(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--force"]);
        let maps = with_maps.iter().find(|s| s.0 == "render maps + blueprint.pdf").map_or(f64::NAN, |s| s.1);
        let sizes = output_sizes(&out);
        println!("{n} communities: synth {synth:.1} s, analyze --no-maps {wall:.1} s, peak {peak:.0} MiB; default run {default_wall:.1} s, peak {default_peak:.0} MiB, maps + PDF {maps:.1} s");
        println!(
            "{n} communities: output {}",
            sizes.iter().map(|(k, v)| format!("{k} {:.0} MB", *v as f64 / 1e6)).collect::<Vec<_>>().join(", ")
        );
        rows.push(Row { n, stages, wall, peak, maps, synth, default_wall, default_peak, sizes, baseline, current });
        let _ = std::fs::remove_dir_all(&out);
        if !Path::new(&dir).exists() {
            continue;
        }
    }
    // one table: stages down, sizes across
    let mut names: Vec<String> = Vec::new();
    for r in &rows {
        for (s, _) in &r.stages {
            if !names.contains(s) {
                names.push(s.clone());
            }
        }
    }
    print!("\n| stage |");
    for r in &rows {
        print!(" {} communities (s) |", r.n);
    }
    print!("\n|---|");
    for _ in &rows {
        print!("---|");
    }
    println!();
    for name in &names {
        print!("| {name} |");
        for r in &rows {
            let v = r.stages.iter().find(|s| &s.0 == name).map_or(f64::NAN, |s| s.1);
            print!(" {v:.2} |");
        }
        println!();
    }
    let line = |label: &str, f: &dyn Fn(&Row) -> String| {
        print!("| {label} |");
        for r in &rows {
            print!(" {} |", f(r));
        }
        println!();
    };
    let sum = |r: &Row, names: &[&str]| -> f64 {
        r.stages.iter().filter(|s| names.contains(&s.0.as_str())).map(|s| s.1).sum()
    };
    // the check builds the graph and its index and snaps every home and facility once for
    // the whole run: it belongs to the network stage
    line("lantu network stage: network check, graph + costs, snap + coverage + gaps, flat, barrier-free", &|r| {
        let stages = ["network check", "graph + costs", "snap + coverage + gaps", "flat comparison", "barrier-free"];
        format!("{:.2}", sum(r, &stages))
    });
    line("scipy baseline (Debian's 1.10): graph, node snapping, nine searches, flat only, one thread", &|r| match &r
        .baseline
    {
        Ok(s) => format!("{s:.2}"),
        Err(_) => "not run".into(),
    });
    line("scipy baseline (1.17, pinned in benches/baseline/requirements.txt): the same job", &|r| match &r.current {
        Ok(s) => format!("{s:.2}"),
        Err(_) => "not run".into(),
    });
    line("lantu network stage ÷ scipy 1.17", &|r| match &r.current {
        Ok(s) => {
            let stages =
                ["network check", "graph + costs", "snap + coverage + gaps", "flat comparison", "barrier-free"];
            format!("{:.2} ×", sum(r, &stages) / s)
        }
        Err(_) => "—".into(),
    });
    line("**end to end, no maps (wall)**", &|r| format!("**{:.1}**", r.wall));
    line("peak memory, no maps (MiB)", &|r| format!("{:.0}", r.peak));
    line("**default run (wall)**: maps, PDF and all", &|r| format!("**{:.1}**", r.default_wall));
    line("render maps + blueprint.pdf (PNG files and the PDF's vector maps at once)", &|r| format!("{:.1}", r.maps));
    line("peak memory, default run (MiB)", &|r| format!("{:.0}", r.default_peak));
    if let Ok(ms) = &calibration {
        line("default run, calibrated s (× 27.2 ms ÷ this machine's figure)", &|r| {
            format!("{:.1}", r.default_wall * 27.2 / ms)
        });
        line("no maps, calibrated s", &|r| format!("{:.1}", r.wall * 27.2 / ms));
    }
    for part in ["output", "layers/", "maps/", "geojson/", "web/", "blueprint.gpkg", "blueprint.pdf"] {
        line(&format!("{part} (MB)"), &|r| {
            r.sizes.iter().find(|s| s.0 == part).map_or("—".into(), |s| format!("{:.0}", s.1 as f64 / 1e6))
        });
    }
    line("lantu synth (s)", &|r| format!("{:.1}", r.synth));
}

/// The machine's calibration figure: `cargo bench` runs criterion's
/// `monaco/graph+snap+all kinds` now, and its median is read from `target/criterion`, ms.
fn calibrate() -> Result<f64, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let o = Command::new(env!("CARGO"))
        .current_dir(&root)
        .args(["bench", "-p", "lantu-benches", "--bench", "network", "--", "^monaco/graph\\+snap\\+all kinds$"])
        .output()
        .map_err(|e| format!("cargo bench: {e}"))?;
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or_default().to_string());
    }
    let file = root.join("target/criterion/monaco/graph+snap+all kinds/new/estimates.json");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?)
            .map_err(|e| e.to_string())?;
    v["median"]["point_estimate"].as_f64().map(|ns| ns / 1e6).ok_or_else(|| "no median in criterion's estimates".into())
}

/// The size of an output folder and of its top-level entries, largest first after the whole.
fn output_sizes(out: &Path) -> Vec<(String, u64)> {
    fn size(p: &Path) -> u64 {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                std::fs::read_dir(p).map(|d| d.filter_map(Result::ok).map(|e| size(&e.path())).sum()).unwrap_or(0)
            }
            Ok(m) => m.len(),
            Err(_) => 0,
        }
    }
    let mut parts: Vec<(String, u64)> = std::fs::read_dir(out)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| {
                    let slash = if e.path().is_dir() { "/" } else { "" };
                    (format!("{}{slash}", e.file_name().to_string_lossy()), size(&e.path()))
                })
                .collect()
        })
        .unwrap_or_default();
    parts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total = parts.iter().map(|p| p.1).sum();
    std::iter::once(("output".to_string(), total)).chain(parts).collect()
}

/// Runs the scipy baseline on the network, buildings and facilities of a lantu output.
fn scipy_baseline(out: &Path, python: &Path) -> Result<f64, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("baseline/scipy_network.py");
    if !python.exists() {
        return Err(format!(
            "{} is missing (/usr/bin/python3 -m venv --system-site-packages .venv-baseline && \
             .venv-baseline/bin/pip install -r benches/baseline/requirements.txt)",
            python.display()
        ));
    }
    let o = Command::new(python)
        .arg(&script)
        .arg(out)
        .output()
        .map_err(|e| format!("{}: {e} (apt-get install python3-scipy python3-gdal)", python.display()))?;
    if !o.status.success() {
        let last = String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or_default().to_string();
        // a venv made by another Python than Debian's does not see python3-gdal
        let hint = if last.contains("'osgeo'") {
            " (apt-get install python3-gdal; make .venv-baseline with Debian's /usr/bin/python3 and --system-site-packages)"
        } else {
            ""
        };
        return Err(format!("{last}{hint}"));
    }
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).map_err(|e| e.to_string())?;
    println!("  scipy: {}", String::from_utf8_lossy(&o.stdout).trim());
    v["total_s"].as_f64().ok_or_else(|| "no total_s in the script's output".into())
}
