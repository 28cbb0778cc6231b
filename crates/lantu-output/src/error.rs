//! Why an output folder could not be written.

use std::path::PathBuf;

/// Why the outputs could not be written; each keeps its cause for `{:#}`.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Reading a plan, or writing a layer, table, document or the manifest.
    #[error(transparent)]
    Io(#[from] lantu_read::IoError),
    /// The engine could not produce a blueprint.
    #[error(transparent)]
    Engine(#[from] lantu_engine::EngineError),
    /// A map, sheet or the PDF could not be drawn or written.
    #[error(transparent)]
    Render(#[from] lantu_render::RenderError),
    /// The interactive page could not be written.
    #[error(transparent)]
    Web(#[from] lantu_web::WebError),
    /// A file or folder of the output could not be written.
    #[error("{path}: 无法写入 / cannot write")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        #[source]
        source: std::io::Error,
    },
    /// Pilots were asked per district, but no community names its district.
    #[error("社区代码不是 12 位区划代码、街道代码也不是 9 位，无法得知区县，请按街道限定试点数 / no community has a 12-digit division code (or a 9-digit street code), so districts are unknown: limit pilots per street instead")]
    NoDistricts,
}

/// The result of writing outputs.
pub type Result<T, E = OutputError> = std::result::Result<T, E>;
