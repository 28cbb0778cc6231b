//! What can go wrong in a batch, with the file and the thing that was wrong.

use lantu_core::{Lang, Localized};
use std::path::{Path, PathBuf};

/// A batch error.
#[derive(Debug)]
pub enum BatchError {
    /// Reading an input failed.
    Read(Box<lantu_read::IoError>),
    /// Writing an output failed.
    Write(Box<lantu_write::WriteError>),
    /// A file could not be read or written.
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The field to split by is not in the communities layer.
    NoField {
        /// The communities file.
        path: PathBuf,
        /// The field asked for.
        field: String,
        /// The fields there are.
        available: String,
    },
    /// The border is negative or not a number.
    BadBorder(f64),
    /// No community has an area (no division code, or the field is empty everywhere).
    NoAreas,
    /// A table or manifest of an area's output could not be read.
    Table {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl std::error::Error for BatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BatchError::Read(e) => Some(e.as_ref()),
            BatchError::Write(e) => Some(e.as_ref()),
            BatchError::File { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Localized for BatchError {
    fn message(&self, lang: Lang) -> String {
        match self {
            BatchError::Read(e) => e.message(lang),
            BatchError::Write(e) => e.message(lang),
            BatchError::File { path, source } => lang.pick(
                format!("{}：无法读写（{source}）", path.display()),
                format!("{}: cannot be read or written ({source})", path.display()),
            ),
            BatchError::NoField { path, field, available } => lang.pick(
                format!("{}：社区图层没有字段 {field:?}，无法按它拆分（现有字段：{available}）", path.display()),
                format!(
                    "{}: the communities have no field {field:?} to split by (fields: {available})",
                    path.display()
                ),
            ),
            BatchError::BadBorder(m) => lang.pick(
                format!("--border {m}：边界距离须为不小于 0 的米数"),
                format!("--border {m}: the border must be a distance of 0 m or more"),
            ),
            BatchError::NoAreas => lang.pick(
                "没有社区能归入区域（无 12 位区划代码，或拆分字段全为空）：无从拆分".to_string(),
                "no community falls into an area (no 12-digit division code, or the field is empty): nothing to split"
                    .to_string(),
            ),
            BatchError::Table { path, message } => lang.pick(
                format!("{}：无法读取（{message}）", path.display()),
                format!("{}: cannot be read ({message})", path.display()),
            ),
        }
    }
}

lantu_core::display_in_chinese!(BatchError);

impl From<lantu_read::IoError> for BatchError {
    fn from(e: lantu_read::IoError) -> Self {
        BatchError::Read(Box::new(e))
    }
}

impl From<lantu_write::WriteError> for BatchError {
    fn from(e: lantu_write::WriteError) -> Self {
        BatchError::Write(Box::new(e))
    }
}

impl BatchError {
    pub(crate) fn file(path: &Path, source: std::io::Error) -> BatchError {
        BatchError::File { path: path.to_path_buf(), source }
    }
    pub(crate) fn table(path: &Path, message: impl std::fmt::Display) -> BatchError {
        BatchError::Table { path: path.to_path_buf(), message: message.to_string() }
    }
}

/// A batch result.
pub type Result<T, E = BatchError> = std::result::Result<T, E>;
