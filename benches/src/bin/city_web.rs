//! The interactive page's first view at city scale, in headless Chromium.
//!
//! ```sh
//! cargo run --release -p lantu-cli -- synth --communities 2000 --seed 7 --out city
//! cargo run --release -p lantu-cli -- analyze city/project.toml --out city-out --no-maps
//! cargo run --release -p lantu-benches --bin city_web -- city-out
//! ```
//! Opens `city-out/web/index.html` from `file://` five times (tests/web/drive_page.py) and
//! prints the time from navigation to the first view drawn (`data-lantu-ready`), median and
//! range, with the page's own marks (script start, map load, first idle).

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).expect("usage: city_web ANALYZE_OUTPUT_DIR"));
    let driver = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/web/drive_page.py");
    let shot = std::env::temp_dir().join("lantu-city-web.png");
    let mut times = Vec::new();
    for run in 0..5 {
        let o = Command::new("python3")
            .arg(&driver)
            .arg(out.join("web/index.html"))
            .arg(&shot)
            .output()
            .expect("python3 runs tests/web/drive_page.py");
        let text = String::from_utf8_lossy(&o.stdout);
        let report: serde_json::Value = serde_json::from_str(text.trim()).expect("the driver prints JSON");
        let seconds = report["seconds"].as_f64().unwrap_or(f64::NAN);
        println!("run {run}: {seconds:.2} s to ready ({}), page marks {}", report["ready"], report["page_times_ms"]);
        times.push(seconds);
    }
    times.sort_by(f64::total_cmp);
    let bytes: u64 = std::fs::read_dir(out.join("web/data"))
        .map_or(0, |d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum());
    println!(
        "first view: median {:.2} s (min {:.2}, max {:.2}); web/data {:.1} MB",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        bytes as f64 / 1e6
    );
}
