//! The output folder: built under a hidden temporary name beside `--out`, guarded by a
//! lock, and renamed into place as the very last step — only over what was validated at
//! the start. Interrupted runs leave nothing that a later run does not clear.

use crate::{Result, WriteError};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary folders and locks of this process not yet committed: what a signal handler
/// removes ([`remove_unfinished_outputs`]).
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary output folder and lock of this process that has not been
/// committed. For the binary's SIGINT/SIGTERM handler, just before it exits.
pub fn remove_unfinished_outputs() {
    let paths = match UNFINISHED.lock() {
        Ok(mut g) => std::mem::take(&mut *g),
        Err(p) => std::mem::take(&mut *p.into_inner()),
    };
    for p in paths {
        let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
    }
}

fn track(p: &Path) {
    if let Ok(mut g) = UNFINISHED.lock() {
        g.push(p.to_path_buf());
    }
}

fn untrack(p: &Path) {
    if let Ok(mut g) = UNFINISHED.lock() {
        g.retain(|q| q != p);
    }
}

/// What stood at the target when the run began.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    /// Nothing: the target must still be absent at the end.
    Nothing,
    /// An empty folder (identified by device and inode): it may be replaced only if it is
    /// still that folder and still empty.
    EmptyFolder(FileId),
    /// Something, replaced because `--force` was given: only if it is still the same,
    /// with the same contents (nothing added, removed or changed inside it meanwhile).
    Forced(FileId, Contents),
}

/// What a forced target held when the run began: every entry below it (not following
/// symbolic links) with its identity, size and modification time.
type Contents = std::collections::BTreeMap<PathBuf, (FileId, u64, i128)>;

fn contents(root: &Path) -> Contents {
    fn walk(root: &Path, dir: &Path, out: &mut Contents) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(m) = std::fs::symlink_metadata(&p) else { continue };
            let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
            out.insert(rel, stamp(&m));
            if m.is_dir() {
                walk(root, &p, out);
            }
        }
    }
    let mut out = Contents::new();
    if let Ok(m) = std::fs::symlink_metadata(root) {
        out.insert(PathBuf::new(), stamp(&m));
        if m.is_dir() {
            walk(root, root, &mut out);
        }
    }
    out
}

fn stamp(m: &std::fs::Metadata) -> (FileId, u64, i128) {
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    // a folder's own size and time change when entries come and go: its entries tell that
    let len = if m.is_dir() { 0 } else { m.len() };
    let mtime = if m.is_dir() { 0 } else { mtime };
    (id_of(m), len, mtime)
}

/// Device and inode of a file: tells "the same folder" from "a new one with that name".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct FileId(u64, u64);

fn file_id(p: &Path) -> Option<FileId> {
    std::fs::symlink_metadata(p).ok().map(|m| id_of(&m))
}

fn id_of(m: &std::fs::Metadata) -> FileId {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        FileId(m.dev(), m.ino())
    }
    #[cfg(not(unix))]
    {
        FileId(m.len(), 0)
    }
}

/// Whether a process with this id is running (on systems without a way to tell: yes).
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // kill(pid, 0) sends nothing; it fails with ESRCH when there is no such process
        let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// An output folder built under a temporary name and renamed into place on
/// [`OutputDir::commit`]; dropped without commit, it leaves nothing behind.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    temp: PathBuf,
    lock: PathBuf,
    found: Found,
    cleared: Vec<PathBuf>,
    committed: bool,
}

impl OutputDir {
    /// Prepares to write `target`, before anything is read. Refused, `force` or not: the
    /// working folder or one of its parents (`--out .`); a target that is, holds or lies
    /// inside one of `inputs` (the run's input files and folders, which the replacement
    /// would delete); a target another run is writing (its lock is held by a live process).
    /// Refused without `force`: an existing non-empty `target`. Temporary folders and locks
    /// left for this target by runs that died are removed (see [`OutputDir::cleared`]).
    pub fn create(target: &Path, force: bool, inputs: &[PathBuf]) -> Result<OutputDir> {
        let name = match target.file_name() {
            Some(n) if n != "." && n != ".." => n.to_string_lossy().into_owned(),
            _ => return Err(WriteError::OutputIsWorkingFolder { path: target.to_path_buf() }),
        };
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| WriteError::write(parent, e))?;
        if let (Ok(t), Ok(cwd)) = (target.canonicalize(), std::env::current_dir().and_then(|c| c.canonicalize())) {
            if cwd.starts_with(&t) {
                return Err(WriteError::OutputIsWorkingFolder { path: target.to_path_buf() });
            }
        }
        if let Some(input) = overlapping_input(target, parent, &name, inputs) {
            return Err(WriteError::OutputHoldsInput { path: target.to_path_buf(), input });
        }
        let found = match file_id(target) {
            None => Found::Nothing,
            Some(id) => {
                let empty_dir = target.is_dir()
                    && !target.is_symlink()
                    && std::fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false);
                if empty_dir {
                    Found::EmptyFolder(id)
                } else if force {
                    Found::Forced(id, contents(target))
                } else {
                    return Err(WriteError::OutputExists { path: target.to_path_buf() });
                }
            }
        };
        let lock = parent.join(format!(".{name}.lantu-lock"));
        let cleared = take_lock(&lock, target)?;
        let mut out = OutputDir {
            target: target.to_path_buf(),
            temp: parent.join(format!(".{name}.partial-{}", std::process::id())),
            lock,
            found,
            cleared,
            committed: false,
        };
        track(&out.lock);
        out.cleared.extend(clear_stale(parent, &name));
        if out.temp.exists() {
            let _ = std::fs::remove_dir_all(&out.temp);
        }
        std::fs::create_dir_all(&out.temp).map_err(|e| WriteError::write(&out.target, e))?;
        track(&out.temp);
        Ok(out)
    }

    /// Where to write now (the temporary folder).
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Where the output goes (`--out`).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Leftovers of interrupted runs removed when this folder was prepared.
    pub fn cleared(&self) -> &[PathBuf] {
        &self.cleared
    }

    /// Moves the finished output into place and returns its path: the last step of a run.
    /// Only what was validated at the start is replaced; if the target changed meanwhile
    /// (created, filled, swapped), nothing is replaced and the finished output is kept
    /// beside it under a visible name given in the error.
    pub fn commit(mut self) -> Result<PathBuf> {
        let now = file_id(&self.target);
        let unchanged = match &self.found {
            Found::Nothing => now.is_none(),
            // remove_dir fails on a folder that is no longer empty: nothing is lost
            Found::EmptyFolder(id) => now == Some(*id) && std::fs::remove_dir(&self.target).is_ok(),
            // what `--force` agreed to replace, and nothing that appeared since
            Found::Forced(id, before) => now == Some(*id) && contents(&self.target) == *before,
        };
        if !unchanged {
            let kept = self.keep_aside();
            return Err(WriteError::OutputChanged { path: self.target.clone(), kept });
        }
        if let Found::Forced(..) = self.found {
            let old = self.temp.with_extension("old");
            std::fs::rename(&self.target, &old).map_err(|e| WriteError::write(&self.target, e))?;
            track(&old);
            if let Err(e) = std::fs::rename(&self.temp, &self.target) {
                let _ = std::fs::rename(&old, &self.target); // put the old one back
                return Err(WriteError::write(&self.target, e));
            }
            let _ = if old.is_dir() { std::fs::remove_dir_all(&old) } else { std::fs::remove_file(&old) };
            untrack(&old);
        } else {
            std::fs::rename(&self.temp, &self.target).map_err(|e| WriteError::write(&self.target, e))?;
        }
        untrack(&self.temp);
        self.committed = true;
        Ok(self.target.clone())
    }

    /// Renames the finished temporary folder to a visible sibling name and returns it.
    fn keep_aside(&mut self) -> PathBuf {
        let name = self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let kept = self.temp.with_file_name(format!("{name}.lantu-{}", std::process::id()));
        if std::fs::rename(&self.temp, &kept).is_ok() {
            untrack(&self.temp);
            self.committed = true;
            kept
        } else {
            self.temp.clone()
        }
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp);
            untrack(&self.temp);
        }
        let _ = std::fs::remove_file(&self.lock);
        untrack(&self.lock);
    }
}

/// The first of `inputs` that `target` is, holds, or lies inside (both resolved through
/// symbolic links; the target need not exist yet). Inputs that do not exist are skipped:
/// nothing of theirs can be lost.
fn overlapping_input(target: &Path, parent: &Path, name: &str, inputs: &[PathBuf]) -> Option<PathBuf> {
    let t = target.canonicalize().or_else(|_| parent.canonicalize().map(|p| p.join(name))).ok()?;
    inputs.iter().find_map(|input| {
        let i = input.canonicalize().ok()?;
        (t == i || i.starts_with(&t) || t.starts_with(&i)).then(|| input.clone())
    })
}

/// Takes the lock file of a target (created exclusively, holding this process's id).
/// A lock whose process is gone is taken over (and returned as cleared).
fn take_lock(lock: &Path, target: &Path) -> Result<Vec<PathBuf>> {
    use std::io::Write;
    let mut cleared = Vec::new();
    for _ in 0..2 {
        match std::fs::OpenOptions::new().write(true).create_new(true).open(lock) {
            Ok(mut f) => {
                let _ = writeln!(f, "{}", std::process::id());
                return Ok(cleared);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let pid = std::fs::read_to_string(lock).ok().and_then(|s| s.trim().parse::<u32>().ok());
                match pid {
                    Some(pid) if pid != std::process::id() && process_alive(pid) => {
                        return Err(WriteError::OutputBusy { path: target.to_path_buf(), pid });
                    }
                    _ => {
                        // its run died (or the lock is unreadable, i.e. half-written by a run that died)
                        std::fs::remove_file(lock).map_err(|e| WriteError::write(target, e))?;
                        cleared.push(lock.to_path_buf());
                    }
                }
            }
            // the hidden lock is lantu's business: the error names the folder the user gave
            Err(e) => return Err(WriteError::write(target, e)),
        }
    }
    Err(WriteError::OutputBusy { path: target.to_path_buf(), pid: 0 })
}

/// Removes `.NAME.partial-PID` folders (and their `.old` twins) of processes that are gone.
fn clear_stale(parent: &Path, name: &str) -> Vec<PathBuf> {
    let prefix = format!(".{name}.partial-");
    let mut cleared = Vec::new();
    let Ok(entries) = std::fs::read_dir(parent) else { return cleared };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else { continue };
        let Ok(pid) = rest.trim_end_matches(".old").parse::<u32>() else { continue };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let p = e.path();
        let removed = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
        if removed.is_ok() {
            cleared.push(p);
        }
    }
    cleared.sort();
    cleared
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tests share the process-wide list of unfinished outputs: one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn scratch(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("lantu-outdir-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    #[test]
    fn a_folder_created_during_the_run_is_not_replaced() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let s = scratch("created");
        let target = s.join("out");
        let out = OutputDir::create(&target, false, &[]).unwrap();
        std::fs::write(out.path().join("result.txt"), "new").unwrap();
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("important.txt"), "n").unwrap();
        let e = out.commit().unwrap_err();
        assert!(matches!(e, WriteError::OutputChanged { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(target.join("important.txt")).unwrap(), "n");
        let WriteError::OutputChanged { kept, .. } = e else { unreachable!() };
        assert_eq!(std::fs::read_to_string(kept.join("result.txt")).unwrap(), "new");
        std::fs::remove_dir_all(s).unwrap();
    }

    #[test]
    fn an_empty_folder_filled_during_the_run_is_not_replaced() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let s = scratch("filled");
        let target = s.join("out");
        std::fs::create_dir(&target).unwrap();
        let out = OutputDir::create(&target, false, &[]).unwrap();
        std::fs::write(target.join("important.txt"), "n").unwrap();
        assert!(matches!(out.commit(), Err(WriteError::OutputChanged { .. })));
        assert_eq!(std::fs::read_to_string(target.join("important.txt")).unwrap(), "n");
        std::fs::remove_dir_all(s).unwrap();
    }

    #[test]
    fn a_forced_folder_swapped_during_the_run_is_not_replaced() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let s = scratch("swapped");
        let target = s.join("out");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.txt"), "old").unwrap();
        let out = OutputDir::create(&target, true, &[]).unwrap();
        std::fs::rename(&target, s.join("moved")).unwrap();
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("important.txt"), "n").unwrap();
        assert!(matches!(out.commit(), Err(WriteError::OutputChanged { .. })));
        assert!(target.join("important.txt").exists());
        // while an unchanged forced folder is replaced
        let out = OutputDir::create(&target, true, &[]).unwrap();
        std::fs::write(out.path().join("result.txt"), "new").unwrap();
        out.commit().unwrap();
        assert!(!target.join("important.txt").exists() && target.join("result.txt").exists());
        std::fs::remove_dir_all(s).unwrap();
    }

    #[test]
    fn a_second_run_to_the_same_folder_is_refused_while_the_first_holds_the_lock() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let s = scratch("busy");
        let target = s.join("out");
        let first = OutputDir::create(&target, false, &[]).unwrap();
        // another process holds the lock: write a live pid (our parent's, which runs)
        std::fs::write(&first.lock, format!("{}\n", std::os::unix::process::parent_id())).unwrap();
        let e = OutputDir::create(&target, true, &[]).unwrap_err();
        assert!(matches!(e, WriteError::OutputBusy { .. }), "{e}");
        drop(first);
        assert!(!s.join(".out.lantu-lock").exists(), "the lock goes with the run");
        OutputDir::create(&target, false, &[]).unwrap();
        std::fs::remove_dir_all(s).unwrap();
    }

    #[test]
    fn leftovers_of_dead_runs_are_cleared_and_reported() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let s = scratch("stale");
        let target = s.join("out");
        // a pid far above Linux's pid_max: no such process
        let dead = 4_194_399;
        std::fs::create_dir_all(s.join(format!(".out.partial-{dead}/tables"))).unwrap();
        std::fs::write(s.join(".out.lantu-lock"), format!("{dead}\n")).unwrap();
        std::fs::create_dir_all(s.join(".other.partial-1")).unwrap(); // not ours to judge: another target
        let out = OutputDir::create(&target, false, &[]).unwrap();
        assert_eq!(out.cleared().len(), 2, "{:?}", out.cleared());
        assert!(!s.join(format!(".out.partial-{dead}")).exists());
        assert!(s.join(".other.partial-1").exists());
        drop(out);
        std::fs::remove_dir_all(s).unwrap();
    }

    #[test]
    fn the_working_folder_and_its_parents_are_refused() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        for t in [".", "..", "./"] {
            assert!(
                matches!(OutputDir::create(Path::new(t), true, &[]), Err(WriteError::OutputIsWorkingFolder { .. })),
                "{t}"
            );
        }
        let cwd = std::env::current_dir().unwrap();
        assert!(matches!(OutputDir::create(&cwd, true, &[]), Err(WriteError::OutputIsWorkingFolder { .. })));
    }

    #[test]
    fn a_forced_folder_that_gained_a_file_during_the_run_is_not_replaced() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let s = scratch("gained");
        let target = s.join("out");
        std::fs::create_dir_all(target.join("tables")).unwrap();
        std::fs::write(target.join("tables/old.csv"), "old").unwrap();
        let out = OutputDir::create(&target, true, &[]).unwrap();
        std::fs::write(out.path().join("result.txt"), "new").unwrap();
        std::fs::write(target.join("important.txt"), "n").unwrap();
        let e = out.commit().unwrap_err();
        let WriteError::OutputChanged { kept, .. } = e else { panic!("{e}") };
        assert_eq!(std::fs::read_to_string(target.join("important.txt")).unwrap(), "n");
        assert_eq!(std::fs::read_to_string(kept.join("result.txt")).unwrap(), "new");
        // a file changed deep inside counts as well
        std::fs::remove_file(target.join("important.txt")).unwrap();
        let out = OutputDir::create(&target, true, &[]).unwrap();
        std::fs::write(target.join("tables/old.csv"), "edited by hand").unwrap();
        assert!(matches!(out.commit(), Err(WriteError::OutputChanged { .. })));
        assert_eq!(std::fs::read_to_string(target.join("tables/old.csv")).unwrap(), "edited by hand");
        std::fs::remove_dir_all(s).unwrap();
    }

    #[test]
    fn a_target_that_is_holds_or_lies_inside_an_input_is_refused_even_with_force() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let s = scratch("inputs");
        let project = s.join("t");
        std::fs::create_dir_all(&project).unwrap();
        let layer = project.join("facilities.csv");
        std::fs::write(&layer, "x").unwrap();
        let gdb = s.join("layers.gdb");
        std::fs::create_dir_all(&gdb).unwrap();
        let inputs = vec![project.join("project.toml"), layer.clone(), gdb.clone()];
        std::fs::write(&inputs[0], "x").unwrap();
        for target in [project.clone(), s.clone(), layer.clone(), gdb.join("out"), project.join("./facilities.csv")] {
            for force in [false, true] {
                let e = OutputDir::create(&target, force, &inputs).unwrap_err();
                assert!(matches!(e, WriteError::OutputHoldsInput { .. }), "{}: {e}", target.display());
            }
        }
        // through a symbolic link to the project's folder
        std::os::unix::fs::symlink(&project, s.join("link")).unwrap();
        assert!(OutputDir::create(&s.join("link"), true, &inputs).is_err());
        assert!(layer.exists() && inputs[0].exists());
        // a new folder beside or under the project's folder is fine
        OutputDir::create(&project.join("out"), true, &inputs).unwrap();
        OutputDir::create(&s.join("out"), true, &inputs).unwrap();
        std::fs::remove_dir_all(s).unwrap();
    }

    #[test]
    fn signals_remove_what_is_unfinished() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let s = scratch("signal");
        let out = OutputDir::create(&s.join("out"), false, &[]).unwrap();
        let temp = out.path().to_path_buf();
        assert!(temp.exists());
        remove_unfinished_outputs();
        assert!(!temp.exists() && !s.join(".out.lantu-lock").exists());
        std::mem::forget(out);
        std::fs::remove_dir_all(s).unwrap();
    }
}
