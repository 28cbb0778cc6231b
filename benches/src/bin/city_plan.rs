//! Plans and pilots at city scale: the synthetic city (default 2,000 communities), a plan of
//! 200 projects in its idle buildings, and `--pilots 100 --pilots-per-district 12`, timed
//! against the plain analysis (both `--no-maps`, whole processes).
//!
//! Run: `cargo build --release -p lantu-cli -p lantu-benches && target/release/city_plan [N]`

use lantu_benches::{lantu, run};
use std::io::Write;
use std::process::Command;

const KINDS: [&str; 6] = [
    "养老服务、社区助餐",
    "托育服务",
    "儿童托管、文化休闲",
    "养老服务、托育服务、社区助餐",
    "健康服务",
    "体育健身、儿童游憩",
];

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let base = std::env::temp_dir().join("lantu-city-plan-bench");
    let city = base.join(format!("city{n}"));
    let s = Command::new(lantu())
        .args(["synth", "--communities", &n.to_string(), "--seed", "7", "--out", city.to_str().unwrap(), "--force"])
        .output()
        .expect("lantu synth runs");
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    // 200 projects in idle buildings spread over the city (by row id), kinds and types rotating
    let candidates = std::fs::read_to_string(city.join("candidates_gcj02.csv")).expect("candidates");
    let count = candidates.lines().count() - 1;
    let plan = base.join("plan.csv");
    let mut f = std::fs::File::create(&plan).expect("plan file");
    writeln!(f, "编号,项目名称,服务类型,建筑面积,综合体,项目类型,年份,所在建筑").unwrap();
    for i in 0..200 {
        let row = i * count / 200 + 1;
        let (area, complex) = if i % 4 == 0 { (700, "是") } else { (250, "否") };
        let kind = KINDS[i % KINDS.len()];
        let ty = if i % 3 == 0 { "新建" } else { "存量转型" };
        writeln!(f, "P{i},项目{i},{kind},{area},{complex},{ty},{},{row}", 2025 + i % 3).unwrap();
    }
    drop(f);
    let project = city.join("project.toml");
    let out = base.join("out");
    let plain = ["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--force", "--no-maps"];
    let (_, _, wall_plain) = run(&plain);
    let mut with: Vec<&str> = plain.to_vec();
    with.extend(["--plan", plan.to_str().unwrap(), "--pilots", "100", "--pilots-per-district", "12"]);
    let (stages, _, wall_with) = run(&with);
    let stage = |name: &str| stages.iter().find(|s| s.0 == name).map_or(f64::NAN, |s| s.1);
    let pilots = std::fs::read_to_string(out.join("tables/pilots.csv")).expect("pilots.csv").lines().count() - 1;
    println!("| {n} communities | s |");
    println!("|---|---|");
    println!("| analyze --no-maps (wall) | {wall_plain:.1} |");
    println!(
        "| the same with a plan of 200 projects and --pilots 100 --pilots-per-district 12 (wall) | {wall_with:.1} |"
    );
    println!("| **difference** | **{:.1}** |", wall_with - wall_plain);
    println!("| stage: plans (200 projects: effects + the analysis again) | {:.2} |", stage("plans"));
    println!("| stage: pilots (choice + the analysis again) | {:.2} |", stage("pilots"));
    println!("pilots chosen: {pilots}");
    let _ = std::fs::remove_dir_all(&out);
}
