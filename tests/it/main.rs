//! Integration tests: build small fixture sites in temporary folders with the real
//! `gloss` binary and check the output and the diagnostics.

mod anchoring;
mod browser;
mod build;
mod collisions;
mod exports;
mod fuzz_regressions;
mod hostile;
mod ids;
mod init_new;
mod interrupt;
mod migrate;
mod planted;
mod raw_html;
mod rules;
mod safety;
mod sanitise;
mod serve_http;
mod serve_live;
mod snapshots;
mod util;
mod validators;
