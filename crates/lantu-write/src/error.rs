//! Why an output could not be written, each naming the file or folder.

use lantu_core::{Lang, Localized, Text};
use lantu_read::{Cause, IoError};
use std::path::{Path, PathBuf};

/// The result of writing.
pub type Result<T, E = WriteError> = std::result::Result<T, E>;

/// Why an output could not be written (or an output folder read back).
#[derive(Debug)]
pub enum WriteError {
    /// An input (a plan, a layer to copy) could not be read.
    Read(Box<IoError>),
    /// A file or folder could not be written.
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        source: Cause,
    },
    /// The disk (or quota) is full.
    DiskFull {
        /// The file or folder.
        path: PathBuf,
    },
    /// The output folder is the working folder or one of its parents.
    OutputIsWorkingFolder {
        /// The folder.
        path: PathBuf,
    },
    /// Another run is writing the same output folder.
    OutputBusy {
        /// The folder.
        path: PathBuf,
        /// The other run's process id.
        pid: u32,
    },
    /// The output folder was created, filled or replaced by someone else during the run.
    OutputChanged {
        /// The folder.
        path: PathBuf,
        /// Where the finished outputs were kept.
        kept: PathBuf,
    },
    /// The output folder is, holds or lies inside one of the run's inputs.
    OutputHoldsInput {
        /// The output folder.
        path: PathBuf,
        /// The input it overlaps.
        input: PathBuf,
    },
    /// The output folder exists with other files in it.
    OutputExists {
        /// The folder.
        path: PathBuf,
    },
    /// A folder given to `compare` is not a lantu output, or the two cannot be compared.
    Compare {
        /// The folder or file.
        path: PathBuf,
        /// What is wrong.
        message: Text,
    },
}

impl WriteError {
    /// A write error from the system, naming the file; a full disk is said so.
    pub fn write(path: &Path, e: std::io::Error) -> WriteError {
        if lantu_core::is_disk_full(&e) {
            WriteError::DiskFull { path: path.to_path_buf() }
        } else {
            WriteError::Write { path: path.to_path_buf(), source: e.into() }
        }
    }

    /// A write error from GDAL (whose messages do not say why, e.g. "… returned error: '6'"):
    /// a full disk is recognised by the free space left where `path` is written.
    pub fn gdal_write(path: &Path, cause: impl Into<Cause>) -> WriteError {
        if disk_nearly_full(path) {
            WriteError::DiskFull { path: path.to_path_buf() }
        } else {
            WriteError::Write { path: path.to_path_buf(), source: cause.into() }
        }
    }
}

impl From<IoError> for WriteError {
    fn from(e: IoError) -> WriteError {
        WriteError::Read(Box::new(e))
    }
}

impl Localized for WriteError {
    fn message(&self, lang: Lang) -> String {
        use WriteError::*;
        let (zh, en) = match self {
            Read(e) => return e.message(lang),
            Write { path, .. } => {
                let p = path.display();
                (format!("{p}：无法写入"), format!("{p}: cannot write"))
            }
            DiskFull { path } => {
                let p = path.display();
                (format!("{p}：磁盘空间不足，无法写入"), format!("{p}: the disk is full: cannot write"))
            }
            OutputIsWorkingFolder { path } => {
                let p = path.display();
                (
                    format!("{p}：不能输出到当前文件夹或其上级文件夹，请另起一个新文件夹"),
                    format!("{p}: cannot write into the working folder or a folder above it; name a new folder"),
                )
            }
            OutputBusy { path, pid } => {
                let p = path.display();
                (
                    format!("{p}：另一个 lantu 进程（{pid}）正在写入该输出文件夹，请等待其结束或另选文件夹"),
                    format!("{p}: another lantu run (process {pid}) is writing this output folder; wait for it or choose another"),
                )
            }
            OutputChanged { path, kept } => {
                let (p, k) = (path.display(), kept.display());
                (
                    format!("{p}：运行期间该文件夹被创建或改动，未覆盖；本次结果保存在 {k}"),
                    format!("{p}: the folder was created or changed while lantu ran, so it was not replaced; this run's outputs are in {k}"),
                )
            }
            OutputHoldsInput { path, input } => {
                let (p, i) = (path.display(), input.display());
                (
                    format!("{p}：输出位置与输入 {i} 重叠（是它、包含它或位于其中），覆盖会删除输入，已拒绝"),
                    format!("{p}: the output is, holds or lies inside the input {i}; replacing it would delete the input, so it is refused"),
                )
            }
            OutputExists { path } => {
                let p = path.display();
                (
                    format!("{p}：输出位置已存在，且不是空文件夹"),
                    format!("{p}: the output already exists and is not an empty folder; choose another or replace it"),
                )
            }
            Compare { path, message } => {
                let p = path.display();
                (format!("{p}：无法比较：{}", message.zh), format!("{p}: cannot compare: {}", message.en))
            }
        };
        lang.pick(zh, en)
    }
}

lantu_core::display_in_chinese!(WriteError);

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // the reading error speaks for itself: its causes follow it
            WriteError::Read(e) => e.source(),
            WriteError::Write { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// Whether the file system holding `path` (or its nearest existing parent) has less than
/// 1 MiB free: then a failed write is a full disk.
pub(crate) fn disk_nearly_full(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut p = path;
        while !p.exists() {
            match p.parent() {
                Some(q) if !q.as_os_str().is_empty() => p = q,
                _ => return false,
            }
        }
        let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else { return false };
        let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
            return false;
        }
        (s.f_bavail as u128) * (s.f_frsize as u128) < 1 << 20
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_device_is_called_a_full_disk_and_named() {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let e = f.write_all(&[0u8; 4096]).and_then(|_| f.flush()).unwrap_err();
        let e = WriteError::write(Path::new("/dev/full"), e);
        assert!(matches!(e, WriteError::DiskFull { .. }), "{e:?}");
        let msg = e.message(Lang::En);
        assert!(msg.contains("the disk is full") && msg.contains("/dev/full"), "{msg}");
        assert!(e.to_string().contains("磁盘空间不足"), "{e}");
    }
}
