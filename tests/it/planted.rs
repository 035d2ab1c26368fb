//! Issue 14: a repository someone else controls can commit symlinks in place of the
//! site's own folders and files. None of them makes gloss read, publish or write
//! outside the site (or the folder the user names with `--output`).
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::util::{Site, article, tree};

/// A site with one article, and a folder outside it holding a secret.
fn setup() -> (Site, tempfile::TempDir) {
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "Body.\n"));
    let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        outside.path().join("b.md"),
        article("", "SECRET article.\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (site, outside)
}

fn published(out: &Path) -> String {
    tree(out)
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect()
}

#[test]
fn a_static_or_content_folder_linked_outside_is_not_read() {
    let (site, outside) = setup();
    symlink(outside.path(), site.path().join("static")).unwrap_or_else(|e| panic!("{e}"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("static: warning: skipped: symlink to"),
        "{}",
        run.stderr
    );
    assert!(
        !published(&site.path().join("public")).contains("SECRET"),
        "a static file from outside was published"
    );
    // The whole `content/` a link to a folder of articles elsewhere.
    let articles = outside.path().join("articles");
    std::fs::create_dir_all(&articles).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(outside.path().join("b.md"), articles.join("b.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_dir_all(site.path().join("content")).unwrap_or_else(|e| panic!("{e}"));
    symlink(outside.path(), site.path().join("content")).unwrap_or_else(|e| panic!("{e}"));
    let run = site.run(&["build"]);
    assert!(
        run.stderr.contains("content: warning: skipped: symlink to"),
        "{}",
        run.stderr
    );
    assert!(
        !published(&site.path().join("public")).contains("SECRET"),
        "an article from outside was published"
    );
}

#[test]
fn a_site_yaml_linked_outside_is_not_read() {
    let (site, outside) = setup();
    std::fs::write(outside.path().join("config.yaml"), "title: SECRET\n")
        .unwrap_or_else(|e| panic!("{e}"));
    symlink(
        outside.path().join("config.yaml"),
        site.path().join("site.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("site.yaml: warning: skipped: symlink to"),
        "{}",
        run.stderr
    );
    assert!(!published(&site.path().join("public")).contains("SECRET"));
}

#[test]
fn templates_linked_outside_are_refused() {
    let (site, outside) = setup();
    std::fs::write(outside.path().join("404.html"), "SECRET").unwrap_or_else(|e| panic!("{e}"));
    symlink(outside.path(), site.path().join("templates")).unwrap_or_else(|e| panic!("{e}"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("`templates/` is a link to"),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_default_output_linked_outside_is_refused_unless_named() {
    let (site, outside) = setup();
    let elsewhere = outside.path().join("www");
    std::fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
    symlink(&elsewhere, site.path().join("public")).unwrap_or_else(|e| panic!("{e}"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("it is a symlink to") && run.stderr.contains("--output"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_dir(&elsewhere)
            .map(Iterator::count)
            .unwrap_or(9),
        0
    );
    // Named on purpose, it is the user's choice.
    let named = elsewhere.to_string_lossy().into_owned();
    let run = site.run(&["build", "--output", &named]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(elsewhere.join("index.html").is_file());
}
