//! Unit tests of the write stage.

use std::time::Duration;

use super::*;

fn out(path: &str, text: &str) -> Output {
    Output {
        path: path.into(),
        content: Content::Bytes(text.as_bytes().to_vec()),
    }
}

#[test]
fn writes_only_changes_and_removes_stale_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    let first = write(&[out("a/index.html", "A"), out("b/index.html", "B")], &o)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        first,
        WriteStats {
            written: 2,
            unchanged: 0,
            removed: 0
        }
    );
    let second = write(&[out("a/index.html", "A2")], &o).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        second,
        WriteStats {
            written: 1,
            unchanged: 0,
            removed: 1
        }
    );
    assert!(!o.join("b").exists(), "stale folder removed");
    assert_eq!(
        std::fs::read_to_string(o.join("a/index.html")).unwrap_or_default(),
        "A2"
    );
    let third = write(&[out("a/index.html", "A2")], &o).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        third,
        WriteStats {
            written: 0,
            unchanged: 1,
            removed: 0
        }
    );
}

#[test]
fn refuses_unsafe_output_folders() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/articles")).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        check_output_dir(root, root),
        Err(OutputError::ContainsSite { .. })
    ));
    assert!(matches!(
        check_output_dir(root, &root.join("..")),
        Err(OutputError::ContainsSite { .. })
    ));
    assert!(matches!(
        check_output_dir(root, &root.join("content/x")),
        Err(OutputError::InsideSources { .. })
    ));
    assert!(check_output_dir(root, &root.join("public")).is_ok());
    std::fs::create_dir_all(root.join("public")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join("public/notes.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        check_output_dir(root, &root.join("public")),
        Err(OutputError::ForeignFiles { .. })
    ));
}

#[cfg(unix)]
#[test]
fn a_symlink_into_content_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/articles")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(root.join("content/articles"), root.join("public"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        check_output_dir(root, &root.join("public")),
        Err(OutputError::InsideSources { .. })
    ));
}

#[cfg(unix)]
#[test]
fn written_files_are_world_readable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    write(&[out("index.html", "x")], &o).unwrap_or_else(|e| panic!("{e}"));
    let mode = std::fs::metadata(o.join("index.html"))
        .map(|m| m.permissions().mode())
        .unwrap_or(0);
    assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
}

#[test]
fn a_hand_edited_output_file_is_written_again() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    write(&[out("a/index.html", "AAAA")], &o).unwrap_or_else(|e| panic!("{e}"));
    // Same length, other bytes: only the modification time tells.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(o.join("a/index.html"), "BBBB").unwrap_or_else(|e| panic!("{e}"));
    let stats = write(&[out("a/index.html", "AAAA")], &o).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stats.written, 1);
    assert_eq!(
        std::fs::read_to_string(o.join("a/index.html")).unwrap_or_default(),
        "AAAA"
    );
}

#[test]
fn nothing_changes_until_commit_and_an_abandoned_write_leaves_no_trace() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    write(&[out("a/index.html", "A")], &o).unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read_to_string(o.join(MANIFEST)).unwrap_or_default();
    {
        let w = Writer::begin(&o).unwrap_or_else(|e| panic!("{e}"));
        w.put(out("a/index.html", "changed"))
            .unwrap_or_else(|e| panic!("{e}"));
        w.put(out("b/index.html", "new"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(o.join("a/index.html")).unwrap_or_default(),
            "A",
            "published before commit"
        );
        assert!(!o.join("b").exists());
        // Dropped without commit: a failed build.
    }
    let names: Vec<String> = std::fs::read_dir(&o)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n == "a" || n == MANIFEST),
        "left behind: {names:?}"
    );
    assert_eq!(
        std::fs::read_to_string(o.join(MANIFEST)).unwrap_or_default(),
        before
    );
}

#[test]
fn the_staging_folder_of_a_killed_build_is_not_foreign_and_goes_away() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap_or_else(|e| panic!("{e}"));
    let o = root.join("public");
    write(&[out("a/index.html", "A")], &o).unwrap_or_else(|e| panic!("{e}"));
    // What a build killed between put and commit leaves.
    let staging = o.join(".gloss-stagingXYZ");
    std::fs::create_dir_all(&staging).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(staging.join(".gloss-tmp-0"), "half").unwrap_or_else(|e| panic!("{e}"));
    assert!(check_output_dir(root, &o).is_ok());
    write(&[out("a/index.html", "A")], &o).unwrap_or_else(|e| panic!("{e}"));
    assert!(!staging.exists());
}

#[test]
fn manifests_of_the_first_format_are_still_read() {
    let m = Manifest::parse(
        "# gloss manifest v1: files written by gloss; do not edit\na/index.html\nb c/x.html\n",
    );
    assert!(m.contains("a/index.html") && m.contains("b c/x.html"));
    let v2 = Manifest::parse(&m.to_text());
    assert!(v2.contains("b c/x.html"), "paths with spaces survive");
}

#[test]
fn new_folders_new_files_in_old_folders_and_nested_folders_all_land() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    write(&[out("index.html", "home"), out("a/index.html", "A")], &o)
        .unwrap_or_else(|e| panic!("{e}"));
    let files = [
        out("index.html", "home 2"),    // replaced in the output's own folder
        out("a/index.html", "A"),       // unchanged
        out("a/extra.json", "{}"),      // new file in an existing folder
        out("a/b/c/index.html", "ABC"), // new folders inside an existing one
        out("d/index.html", "D"),       // a new top-level folder...
        out("d/e/index.html", "DE"),    // ...with a subfolder
    ];
    let stats = write(&files, &o).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((stats.written, stats.unchanged), (5, 1));
    for f in &files {
        let Content::Bytes(bytes) = &f.content else {
            unreachable!()
        };
        assert_eq!(
            std::fs::read(o.join(&f.path)).unwrap_or_default(),
            *bytes,
            "{}",
            f.path
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&o)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with(STAGING))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn a_locked_output_makes_another_build_wait_then_refuse_with_a_hint() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    let first = lock_output(&o, Duration::ZERO).unwrap_or_else(|e| panic!("{e}"));
    assert!(!first.waited);
    // flock locks belong to an open file: a second open conflicts even in one process.
    let started = std::time::Instant::now();
    let err = lock_output(&o, Duration::from_millis(200))
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert!(
        err.contains(&format!("(pid {})", std::process::id()))
            && err.contains("is still writing into")
            && err.contains("hint: wait for it to finish"),
        "{err}"
    );
    drop(first);
    let second = lock_output(&o, Duration::from_secs(5)).unwrap_or_else(|e| panic!("{e}"));
    assert!(!second.waited);
}

#[test]
fn the_lock_file_and_a_killed_builds_leftovers_are_not_foreign() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap_or_else(|e| panic!("{e}"));
    let o = root.join("public");
    write(&[out("a/index.html", "A")], &o).unwrap_or_else(|e| panic!("{e}"));
    drop(lock_output(&o, Duration::ZERO).unwrap_or_else(|e| panic!("{e}")));
    // A staging folder as a build killed while rendering leaves it, and the temporary
    // file of a manifest being written.
    let staging = o.join(".gloss-staging1a2b");
    for f in ["files/00/0", "files/01/1", "tree/b/index.html"] {
        let p = staging.join(f);
        std::fs::create_dir_all(p.parent().unwrap_or(&staging)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&p, "x").unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(o.join(".gloss-tmp-AbC"), "half a manifest").unwrap_or_else(|e| panic!("{e}"));
    let checked = check_output_dir(root, &o);
    assert!(checked.is_ok(), "{checked:?}");
    write(&[out("a/index.html", "A")], &o).unwrap_or_else(|e| panic!("{e}"));
    let mut names: Vec<String> = std::fs::read_dir(&o)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [LOCK, MANIFEST, "a"]);
}
