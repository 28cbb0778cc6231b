//! Why an output folder could not be written.

use lantu_core::{Lang, Localized};
use std::path::PathBuf;

/// Why the outputs could not be written; each keeps its cause for the chain of reasons.
#[derive(Debug)]
pub enum OutputError {
    /// Reading a plan or an output folder.
    Io(Box<lantu_read::IoError>),
    /// Writing a layer, table, document or the manifest.
    Output(lantu_write::WriteError),
    /// The engine could not produce a blueprint.
    Engine(lantu_engine::EngineError),
    /// A map, sheet or the PDF could not be drawn or written.
    Render(lantu_render::RenderError),
    /// The interactive page could not be written.
    Web(lantu_web::WebError),
    /// A file or folder of the output could not be written.
    File {
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Pilots were asked per district, but no community names its district.
    NoDistricts,
}

impl OutputError {
    /// The error this one wraps, when it only passes another library's on.
    fn inner(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io(e) => Some(e.as_ref()),
            OutputError::Output(e) => Some(e),
            OutputError::Engine(e) => Some(e),
            OutputError::Render(e) => Some(e),
            OutputError::Web(e) => Some(e),
            OutputError::File { .. } | OutputError::NoDistricts => None,
        }
    }
}

impl Localized for OutputError {
    fn message(&self, lang: Lang) -> String {
        match self {
            OutputError::Io(e) => e.message(lang),
            OutputError::Output(e) => e.message(lang),
            OutputError::Engine(e) => e.message(lang),
            OutputError::Render(e) => e.message(lang),
            OutputError::Web(e) => e.message(lang),
            OutputError::File { path, .. } => {
                let p = path.display();
                lang.pick(format!("{p}：无法写入"), format!("{p}: cannot write"))
            }
            OutputError::NoDistricts => lang
                .pick(
                    "社区代码不是 12 位区划代码、街道代码也不是 9 位，无法得知区县，请按街道限定试点数",
                    "no community has a 12-digit division code (or a 9-digit street code), so districts are unknown: limit pilots per street instead",
                )
                .into(),
        }
    }
}

lantu_core::display_in_chinese!(OutputError);

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // a wrapped error speaks for itself (its message is this one's): its causes follow
            OutputError::File { source, .. } => Some(source),
            _ => self.inner().and_then(|e| e.source()),
        }
    }
}

macro_rules! from_library {
    ($($variant:ident($t:ty)),*) => {
        $(impl From<$t> for OutputError {
            fn from(e: $t) -> OutputError {
                OutputError::$variant(e)
            }
        })*
    };
}
impl From<lantu_read::IoError> for OutputError {
    fn from(e: lantu_read::IoError) -> OutputError {
        OutputError::Io(Box::new(e))
    }
}

from_library!(
    Output(lantu_write::WriteError),
    Engine(lantu_engine::EngineError),
    Render(lantu_render::RenderError),
    Web(lantu_web::WebError)
);

/// The result of writing outputs.
pub type Result<T, E = OutputError> = std::result::Result<T, E>;

/// Every message of an error and its causes in `lang`, joined by ": ", as a person reads
/// them: lantu's own errors in the chosen language, the rest (GDAL's, PROJ's, the system's)
/// as they come.
pub fn error_in_words(e: &(dyn std::error::Error + 'static), lang: Lang) -> String {
    let mut parts = Vec::new();
    let mut next = Some(e);
    while let Some(e) = next {
        let m = message_of(e, lang);
        // GDAL repeats its reason in wrappers: say each once
        if !m.is_empty() && parts.last() != Some(&m) {
            parts.push(m);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// One error's own message in `lang`, without its causes.
pub fn message_of(e: &(dyn std::error::Error + 'static), lang: Lang) -> String {
    macro_rules! localized {
        ($($t:ty),*) => {
            $(if let Some(e) = e.downcast_ref::<$t>() {
                return e.message(lang);
            })*
        };
    }
    localized!(
        OutputError,
        lantu_read::IoError,
        lantu_write::WriteError,
        lantu_engine::EngineError,
        lantu_render::RenderError,
        lantu_web::WebError,
        lantu_core::ProfileError,
        lantu_core::Reason
    );
    e.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_is_said_in_the_chosen_language_with_foreign_causes_as_they_come() {
        let e: OutputError = lantu_read::IoError::Open {
            path: "a.gpkg".into(),
            source: lantu_core::Reason::new("文件不存在", "no such file").into(),
        }
        .into();
        assert_eq!(error_in_words(&e, Lang::En), "a.gpkg: cannot open: no such file");
        assert_eq!(error_in_words(&e, Lang::Zh), "a.gpkg：无法打开: 文件不存在");
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied by the system");
        let e = OutputError::File { path: "out/x".into(), source: io };
        assert_eq!(error_in_words(&e, Lang::En), "out/x: cannot write: denied by the system");
        assert!(message_of(&OutputError::NoDistricts, Lang::En).starts_with("no community"));
    }
}
