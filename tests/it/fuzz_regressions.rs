//! Regression tests for the fuzz targets in `fuzz/` (see fuzz/README.md): every seed of
//! their corpora and every crasher they found runs through the same entry point as the
//! target (`gloss::fuzzing`), which must not panic.

use std::path::{Path, PathBuf};

use gloss::fuzzing::{self, Outcome, Workspace};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `target` on `data` in a fresh workspace.
fn run(target: &str, data: &[u8]) -> Outcome {
    let ws = Workspace::new().expect("fuzz workspace");
    match target {
        "front_matter" => ws.front_matter(data),
        "site_yaml" => ws.site_yaml(data),
        "anchoring" => ws.anchoring(data),
        "markdown" => fuzzing::markdown(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// Every file of `dir`, sorted (none when the folder does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file());
    files.sort();
    files
}

/// The seed corpora still run cleanly, and a valid sample article loads without errors.
#[test]
fn fuzz_seed_corpora_do_not_panic() {
    let mut ran = 0;
    for target in ["front_matter", "site_yaml", "anchoring", "markdown"] {
        let ws = Workspace::new().expect("fuzz workspace");
        for path in files(&manifest_dir().join("fuzz/corpus").join(target)) {
            let data = std::fs::read(&path).expect("read seed");
            let _ = match target {
                "front_matter" => ws.front_matter(&data),
                "site_yaml" => ws.site_yaml(&data),
                "anchoring" => ws.anchoring(&data),
                _ => fuzzing::markdown(&data),
            };
            ran += 1;
        }
    }
    assert!(ran > 20, "only {ran} seeds found");
}

#[test]
fn fuzz_entry_points_report_errors() {
    // A valid article and the fixed files: no errors in the articles (the same text as
    // a profile and a page has keys those do not allow).
    let ok = run(
        "front_matter",
        b"---\ntitle: T\ndate: 2025-01-01\nmentions: [p]\n---\nBody [P](person:p).\n",
    );
    let in_articles: Vec<_> = ok
        .messages
        .iter()
        .filter(|m| m.starts_with("content/articles"))
        .collect();
    assert!(in_articles.is_empty(), "{ok:?}");
    assert!(ok.errors > 0, "a page has no `date`: {ok:?}");
    // Not UTF-8: an error, not a panic.
    let bad = run("front_matter", b"---\ntitle: \xff\n---\n");
    assert!(bad.errors > 0, "{bad:?}");
    let bad = run("site_yaml", b"paginate: [\n");
    assert!(bad.errors > 0, "{bad:?}");
    // A quote and a passage that are in the body anchor cleanly; a quote that is not (and
    // is nothing like the body) is no problem (issue 17), a passage that is not an error.
    let ok = run(
        "anchoring",
        b"\x01She said hello world.\0qhello world\0said",
    );
    assert_eq!((ok.errors, ok.warnings), (0, 0), "{ok:?}");
    let bad = run("anchoring", b"\x01She said hello world.\0qgoodbye\0nowhere");
    assert_eq!((bad.errors, bad.warnings), (1, 0), "{bad:?}");
}

/// Each crasher the fuzzers found, under tests/data/fuzz/<target>/: no panic.
#[test]
fn fuzz_crashers_do_not_panic() {
    for target in ["front_matter", "site_yaml", "anchoring", "markdown"] {
        for path in files(&manifest_dir().join("tests/data/fuzz").join(target)) {
            let data = std::fs::read(&path).expect("read crasher");
            let _ = run(target, &data);
        }
    }
}
