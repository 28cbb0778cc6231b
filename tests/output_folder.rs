//! The output folder is the user's: a run never removes or replaces what it did not
//! validate, concurrent runs are refused, interrupted runs leave nothing behind (or
//! nothing that the next run does not clear), and `--out .` is refused before reading.

use crate::common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A small synthetic city to analyse: a run of a few seconds.
fn city(dir: &TempDir) -> PathBuf {
    let out = dir.path().join("city");
    let o = lantu(&["synth", "--communities", "30", "--seed", "5", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    out.join("project.toml")
}

fn spawn(project: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_lantu"))
        .args(["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for(p: &Path) {
    let start = Instant::now();
    while !p.exists() {
        assert!(start.elapsed() < Duration::from_secs(60), "{} never appeared", p.display());
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn finish(c: Child) -> (Option<i32>, String) {
    let o = c.wait_with_output().unwrap();
    let (out, err) = texts(&o);
    (o.status.code(), format!("{out}\n{err}"))
}

fn partials(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial-") || n.ends_with(".lantu-lock"))
        .collect()
}

#[test]
fn a_folder_made_during_the_run_is_kept_and_a_second_run_is_refused() {
    let dir = TempDir::new("outdir-race");
    let project = city(&dir);
    let x = dir.path().join("X");
    let first = spawn(&project, &x);
    wait_for(&dir.path().join(".X.lantu-lock"));
    // a second run to the same folder, while the first runs
    let second = lantu(&["analyze", project.to_str().unwrap(), "--out", x.to_str().unwrap(), "--force"]);
    let (o2, e2) = texts(&second);
    assert_eq!(second.status.code(), Some(1), "{o2}\n{e2}");
    assert!(e2.contains("另一个 lantu 进程"), "{e2}");
    // someone makes X and puts a file in it
    std::fs::create_dir(&x).unwrap();
    std::fs::write(x.join("important.txt"), "n").unwrap();
    let (code, text) = finish(first);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("未覆盖"), "{text}");
    assert_eq!(std::fs::read_to_string(x.join("important.txt")).unwrap(), "n", "the user's file survives");
    let kept = dir
        .path()
        .join(format!("X.lantu-{}", text.split("X.lantu-").nth(1).unwrap().split_whitespace().next().unwrap()));
    assert!(kept.join("tables/communities.csv").exists(), "the finished run is kept at {}", kept.display());
    assert!(partials(dir.path()).is_empty(), "{:?}", partials(dir.path()));
}

#[test]
fn sigint_and_sigterm_remove_the_partial_folder_and_kill_9_leftovers_are_cleared_next_time() {
    let dir = TempDir::new("outdir-signals");
    let project = city(&dir);
    for signal in ["-INT", "-TERM", "-KILL"] {
        let out = dir.path().join("out");
        let child = spawn(&project, &out);
        let partial = dir.path().join(format!(".out.partial-{}", child.id()));
        wait_for(&partial);
        std::thread::sleep(Duration::from_millis(300)); // let it write something
        let k = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
        assert!(k.success());
        let (code, text) = finish(child);
        assert!(!out.exists(), "{signal}: no output");
        if signal == "-KILL" {
            assert!(partial.exists(), "kill -9 cannot be caught: the leftover stays until the next run");
            let o = lantu(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps"]);
            let (stdout, stderr) = texts(&o);
            assert_eq!(o.status.code(), Some(0), "{stdout}\n{stderr}");
            assert!(stderr.contains("已清除中断运行留下的临时文件"), "{stderr}");
            assert!(!partial.exists());
        } else {
            assert_eq!(code, Some(130), "{signal}: {text}");
            assert!(text.contains("已中断"), "{text}");
        }
        assert!(partials(dir.path()).is_empty(), "{signal}: {:?}", partials(dir.path()));
        let _ = std::fs::remove_dir_all(&out);
    }
}

#[test]
fn out_dot_is_refused_before_anything_is_read() {
    let dir = TempDir::new("outdir-dot");
    for out in [".", "..", dir.path().to_str().unwrap()] {
        // the project does not exist: the refusal must come first
        let o = Command::new(env!("CARGO_BIN_EXE_lantu"))
            .args(["analyze", "missing.toml", "--out", out])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let (_, stderr) = texts(&o);
        assert_eq!(o.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("不能输出到当前文件夹"), "{out}: {stderr}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn write_errors_name_the_output_folder_not_the_temporary_one() {
    let dir = TempDir::new("outdir-names");
    let project = city(&dir);
    let out = dir.path().join("result");
    let child = spawn(&project, &out);
    let partial = dir.path().join(format!(".result.partial-{}", child.id()));
    wait_for(&partial.join("check.txt"));
    // the tables folder cannot be made: a file stands where it goes
    std::fs::write(partial.join("tables"), "x").unwrap();
    let (code, text) = finish(child);
    assert_eq!(code, Some(1), "{text}");
    let named = out.join("tables").display().to_string();
    assert!(text.contains(&named) && !text.contains(".partial-"), "{text}");
    assert!(!out.exists() && !partial.exists(), "nothing half-written is left");
}

/// `lantu web DIR` writes an output's page again without re-running: from a page of an
/// older version (its script replaced, its meta without the registry's words and labels)
/// it gives back, byte for byte, the page the run wrote; a folder that is not an output is
/// refused and keeps what it had.
#[test]
fn lantu_web_writes_the_page_again_as_the_run_did() {
    let dir = TempDir::new("web-again");
    let out = dir.path().join("out");
    let project = fixture("handworked/project.toml");
    let o = lantu(&["analyze", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "--no-maps"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    let files = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut all = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    all.push((p.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&p).unwrap()));
                }
            }
        }
        all.sort();
        all
    };
    let written = files(&out.join("web"));
    // an older page: another script, a meta without the words and column labels
    std::fs::write(out.join("web/app.js"), "/* an older page */").unwrap();
    let meta = std::fs::read_to_string(out.join("web/data/meta.js")).unwrap();
    let mut old: serde_json::Value =
        serde_json::from_str(meta.trim().strip_prefix("LANTU.setMeta(").unwrap().strip_suffix(");").unwrap()).unwrap();
    old.as_object_mut().unwrap().retain(|k, _| k != "words" && k != "columns");
    std::fs::write(out.join("web/data/meta.js"), format!("LANTU.setMeta({old});\n")).unwrap();
    let o = lantu(&["web", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{:?}", texts(&o));
    assert!(files(&out.join("web")) == written, "the page written again differs from the run's");
    assert!(!out.join(".web-rebuild").exists() && !out.join(".web-old").exists(), "no leftovers");
    // not an output: refused, nothing changed
    let other = dir.path().join("other");
    std::fs::create_dir_all(other.join("web/data")).unwrap();
    std::fs::write(other.join("web/data/meta.js"), "var x = 1;").unwrap();
    let o = lantu(&["--lang", "en", "web", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(texts(&o).1.contains("not a lantu output's page"), "{:?}", texts(&o));
    assert_eq!(std::fs::read_to_string(other.join("web/data/meta.js")).unwrap(), "var x = 1;");
}
