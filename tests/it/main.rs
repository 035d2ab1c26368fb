//! Integration tests: build small fixture sites in temporary folders with the real
//! `gloss` binary and check the output and the diagnostics.

mod anchoring;
mod browser;
mod build;
mod bundles;
mod cache;
mod collisions;
mod diagnostic_formats;
mod editor;
mod embeds;
mod exports;
mod feeds;
mod fuzz_regressions;
mod headings;
mod hostile;
mod ids;
mod images;
mod import;
mod indexes;
mod init_new;
mod interrupt;
mod migrate;
mod planted;
mod raw_html;
mod redirects;
mod rules;
mod safety;
mod sanitise;
mod serve_http;
mod serve_live;
mod side_notes;
mod snapshots;
mod sources;
mod urls;
mod util;
mod validators;
