//! gloss never deletes or overwrites a file it did not write.

use crate::util::{Site, article};

fn site() -> Site {
    let site = Site::new();
    site.file("content/articles/a.md", &article("", "Body.\n"));
    site
}

#[test]
fn foreign_files_in_the_output_survive_and_the_build_is_refused() {
    let site = site();
    site.file("public/CNAME", "archive.example.org\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("holds files gloss did not write: `CNAME`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("public/CNAME")).unwrap_or_default(),
        "archive.example.org\n"
    );
    assert!(!site.path().join("public/index.html").exists());
}

#[test]
fn a_file_added_to_gloss_output_later_is_protected_too() {
    let site = site();
    let out = site.build_ok(&[]);
    site.file("public/articles/a/notes.txt", "mine");
    assert_eq!(site.run(&["build"]).code, 2);
    assert!(out.join("articles/a/notes.txt").is_file());
}

#[test]
fn output_paths_that_hold_the_sources_are_refused() {
    let site = site();
    for bad in [".", "..", "content", "content/articles/out"] {
        let run = site.run(&["build", "--output", bad]);
        assert_eq!(run.code, 2, "--output {bad} was accepted:\n{}", run.stderr);
        assert!(run.stderr.contains("refusing to write"), "{}", run.stderr);
    }
    assert!(site.path().join("content/articles/a.md").is_file());
}

#[cfg(unix)]
#[test]
fn a_symlink_into_content_is_refused() {
    let site = site();
    std::os::unix::fs::symlink(site.path().join("content"), site.path().join("public"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(site.path().join("content/articles/a.md").is_file());
}
