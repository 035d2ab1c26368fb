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

#[test]
fn the_file_system_root_and_a_home_folder_are_refused() {
    let site = site();
    let run = site.run(&["build", "--output", "/"]);
    assert_eq!(run.code, 2, "--output / was accepted:\n{}", run.stderr);
    assert!(run.stderr.contains("refusing to write"), "{}", run.stderr);
    // A home folder: dot files gloss did not write.
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(home.path().join(".bashrc"), "# mine\n").unwrap_or_else(|e| panic!("{e}"));
    let out = home.path().to_string_lossy().into_owned();
    let run = site.run(&["build", "--output", &out]);
    assert_eq!(run.code, 2, "a home folder was accepted:\n{}", run.stderr);
    assert!(run.stderr.contains(".bashrc"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(home.path().join(".bashrc")).unwrap_or_default(),
        "# mine\n"
    );
    assert!(!home.path().join("index.html").exists());
}

/// A full disk ends the build with a clear error and leaves the previous output as it
/// was. Needs a small tmpfs: runs as root where `mount` works (as in CI's container),
/// else it says so and returns.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_keeps_the_previous_output() {
    use std::process::Command;
    let disk = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=600k", "tmpfs"])
        .arg(disk.path())
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    }
    struct Unmount<'a>(&'a std::path::Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(disk.path());
    let site = site();
    let out = disk.path().join("public");
    let out_arg = out.to_string_lossy().into_owned();
    site.build_ok(&["--output", &out_arg]);
    let before = crate::util::tree(&out);
    // Far more than the disk holds.
    let long = "A sentence of the archived article, long enough to fill pages. ".repeat(400);
    for n in 0..40 {
        site.file(
            &format!("content/articles/big-{n}.md"),
            &article("", &format!("{long}\n")),
        );
    }
    let run = site.run(&["build", "--output", &out_arg]);
    assert_ne!(run.code, 0, "the build fit in 600 KB?\n{}", run.stderr);
    assert!(
        run.stderr.to_lowercase().contains("no space left")
            && run.stderr.contains("was not changed"),
        "{}",
        run.stderr
    );
    assert_eq!(
        crate::util::tree(&out),
        before,
        "the previous output changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".gloss-staging")
        })
        .collect();
    assert!(leftovers.is_empty(), "staging left: {leftovers:?}");
}

/// A bug (a panic) in the middle of a build: a message saying so instead of a
/// backtrace hint, and the previous output as it was. The panic is set off by
/// `GLOSS_TEST_PANIC` in debug builds only.
#[test]
fn a_panic_mid_build_is_reported_as_a_bug_and_keeps_the_previous_output() {
    if !cfg!(debug_assertions) {
        return;
    }
    let site = site();
    for n in 0..5 {
        site.file(
            &format!("content/articles/p{n}.md"),
            &article("", "Page.\n"),
        );
    }
    let out = site.build_ok(&[]);
    let before = crate::util::tree(&out);
    site.file("site.yaml", "title: Every page changes\n");
    let run = site.run_with(&["build"], &[("GLOSS_TEST_PANIC", "1")]);
    assert_eq!(run.code, 101, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: internal error in gloss")
            && run.stderr.contains("this is a bug in gloss"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{}", run.stderr);
    assert_eq!(
        crate::util::tree(&out),
        before,
        "the previous output changed"
    );
    let staging = std::fs::read_dir(&out)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".gloss-staging")
        });
    assert!(!staging, "a staging folder was left");
}

/// Issue 14: a publish that cannot complete (here the Nth rename of the commit fails,
/// `GLOSS_TEST_FAIL_COMMIT`, debug builds only) is undone: the previous output stays
/// exactly as it was, and the next build succeeds with nothing removed by hand.
#[test]
fn a_commit_that_fails_halfway_is_undone_and_the_next_build_succeeds() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: GLOSS_TEST_FAIL_COMMIT works in debug builds only");
        return;
    }
    let site = site();
    for n in 0..8 {
        site.file(
            &format!("content/articles/p{n}.md"),
            &article("topics: [t]\n", "Page.\n"),
        );
    }
    let out = site.build_ok(&[]);
    let before = crate::util::tree(&out);
    // Every page changes, some go, some come in a new folder, a folder becomes a file.
    site.file("site.yaml", "title: Every page changes\n");
    for n in 0..3 {
        std::fs::remove_file(site.path().join(format!("content/articles/p{n}.md")))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    site.file(
        "content/articles/2031/fresh.md",
        &article("topics: [new]\n", "New.\n"),
    );
    for fail_at in [0, 1, 5, 40] {
        let run = site.run_with(
            &["build"],
            &[("GLOSS_TEST_FAIL_COMMIT", &fail_at.to_string())],
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("the build could not be published")
                && run.stderr.contains("was not changed"),
            "{}",
            run.stderr
        );
        let now = crate::util::tree(&out);
        let differ: Vec<&String> = before
            .keys()
            .chain(now.keys())
            .filter(|p| before.get(*p) != now.get(*p))
            .collect();
        assert!(
            differ.is_empty(),
            "failing at move {fail_at} changed {differ:?}"
        );
        let left: Vec<String> = std::fs::read_dir(&out)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".gloss"))
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
    site.build_ok(&[]);
    let clean = Site::new();
    crate::util::copy_dir(&site.path().join("content"), &clean.path().join("content"));
    clean.file("site.yaml", "title: Every page changes\n");
    let reference = clean.build_ok(&[]);
    assert!(
        crate::util::tree(&out) == crate::util::tree(&reference),
        "differs from a clean build"
    );
}
