//! Every integration test of lantu, one module per area, in one test binary: one link
//! against GDAL and the rest instead of one per file (most of a fresh clone's test time).
//! Run one area with `cargo test -p lantu-cli --test integration handworked::`. The tests
//! that open outputs with QGIS, Chromium or LibreOffice are under `tools::`; everything else
//! checks figures and needs none of them.

mod common;

mod analyze_monaco;
mod bad_input;
mod batch;
mod bridge;
mod check_monaco;
mod chongqing_gcj02;
mod demo;
mod district;
mod entrances;
mod handworked;
mod joins;
mod kinds;
mod large_input;
mod mutations;
mod network_monaco;
mod nothing_lost;
mod output_folder;
mod people;
mod plans;
mod serve;
mod sites;
mod survey_fixture;
mod synth;
mod tools;
