//! The page's files, confined to the folder's `web/`: no `..`, no absolute path, no link
//! that leads out of it.

use std::path::{Component, Path, PathBuf};

/// The file `rel` (as decoded from the URL) under `root` (canonical), or `None` when it is
/// not a plain file inside `root` — `..`, an absolute path, a drive or a symbolic link that
/// leads out all count as not found.
pub fn confined(root: &Path, rel: &str) -> Option<PathBuf> {
    if rel.contains('\0') || rel.contains('\\') {
        return None;
    }
    let rel = Path::new(rel);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    // the real path, links resolved, must still be inside
    let full = root.join(rel).canonicalize().ok()?;
    (full.starts_with(root) && full.is_file()).then_some(full)
}

/// The media type of a page file.
pub fn media_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_files_inside_the_root_are_served() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("web");
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::write(root.join("index.html"), "<p>").unwrap();
        std::fs::write(root.join("data/a.js"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let root = root.canonicalize().unwrap();
        assert!(confined(&root, "index.html").is_some());
        assert!(confined(&root, "data/a.js").is_some());
        for bad in ["../secret.txt", "data/../../secret.txt", "/etc/passwd", "", "data", "x\0", "..\\secret.txt"] {
            assert!(confined(&root, bad).is_none(), "{bad:?}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("out.txt")).unwrap();
            assert!(confined(&root, "out.txt").is_none(), "a link out of the folder");
        }
    }
}
