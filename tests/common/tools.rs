//! The programs some tests open lantu's outputs with — real QGIS, headless Chromium,
//! LibreOffice, poppler, python-docx — and the one check that they are there. A test that
//! needs one fails loudly without it, naming the Debian package; it never passes by
//! skipping. Those tests live under `tests/tools/`, so that no arithmetic test needs them.

use std::path::Path;
use std::process::Command;

/// A program a test opens lantu's outputs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// QGIS with its Python bindings (`/usr/bin/python3 -c 'import qgis.core'`).
    Qgis,
    /// Headless Chromium.
    Chromium,
    /// LibreOffice (`soffice`), Calc and Writer.
    LibreOffice,
    /// poppler-utils (`pdftotext`, `pdfinfo`, `pdffonts`, `pdfimages`).
    Poppler,
    /// python-docx for Debian's Python.
    PythonDocx,
    /// PySAL's `access` package in the virtual environment `.venv-access` (the reference
    /// E2SFCA), pinned in `tests/access/requirements.txt`.
    PysalAccess,
    /// Dask distributed in the virtual environment `.venv-batch`, pinned in
    /// `batch/requirements.txt` (the batch driver's engine).
    DaskBatch,
}

impl Tool {
    /// The Debian packages that provide it.
    pub fn packages(self) -> &'static str {
        match self {
            Tool::Qgis => "qgis python3-qgis",
            Tool::Chromium => "chromium",
            Tool::LibreOffice => "libreoffice-calc libreoffice-writer",
            Tool::Poppler => "poppler-utils",
            Tool::PythonDocx => "python3-docx",
            Tool::PysalAccess | Tool::DaskBatch => "python3-venv",
        }
    }

    fn present(self) -> bool {
        let python = |module: &str| {
            Command::new("/usr/bin/python3")
                .args(["-c", &format!("import {module}")])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        let program = |name: &str| {
            Command::new("sh").args(["-c", &format!("command -v {name}")]).output().is_ok_and(|o| o.status.success())
        };
        match self {
            Tool::Qgis => python("qgis.core"),
            Tool::Chromium => Path::new("/usr/lib/chromium/chromium").exists() || program("chromium"),
            Tool::LibreOffice => program("soffice"),
            Tool::Poppler => program("pdftotext") && program("pdfinfo") && program("pdffonts") && program("pdfimages"),
            Tool::PythonDocx => python("docx"),
            Tool::PysalAccess => {
                Command::new(access_python()).args(["-c", "import access"]).output().is_ok_and(|o| o.status.success())
            }
            Tool::DaskBatch => Command::new(batch_python())
                .args(["-c", "import distributed"])
                .output()
                .is_ok_and(|o| o.status.success()),
        }
    }
}

/// The Python of the virtual environment that holds PySAL's `access`.
pub fn access_python() -> std::path::PathBuf {
    super::root().join(".venv-access/bin/python")
}

/// The Python of the virtual environment that holds the batch driver's Dask.
pub fn batch_python() -> std::path::PathBuf {
    super::root().join(".venv-batch/bin/python")
}

/// Fails the test, saying what to install, unless every tool in `tools` is there.
pub fn need(tools: &[Tool]) {
    let missing: Vec<Tool> = tools.iter().copied().filter(|t| !t.present()).collect();
    assert!(
        missing.is_empty(),
        "this test opens lantu's outputs with {missing:?}, which this machine lacks: \
         apt-get install {} (Debian 12; the README's first command installs them, and makes \
         .venv-access with tests/access/requirements.txt and .venv-batch with batch/requirements.txt)",
        missing.iter().map(|t| t.packages()).collect::<Vec<_>>().join(" ")
    );
}
