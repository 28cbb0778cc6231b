//! The tests that open lantu's outputs with real programs — QGIS, headless Chromium,
//! LibreOffice, poppler, python-docx, PySAL's access — each behind the one check of
//! [`crate::common::tools::need`], which fails loudly when a program is missing. Every other
//! module checks figures only and passes on a machine without these programs.

mod chromium;
mod office;
mod pysal;
mod qgis;
mod qgis_plugin;
