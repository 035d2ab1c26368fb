//! Unit tests of the write stage.

use std::path::Path;
use std::time::Duration;

use super::*;

/// The records of the output folder `o`, kept beside it (as `.gloss/` beside a site).
fn books(o: &Path) -> Ledger {
    Ledger::of(o.parent().unwrap_or(o), o)
}

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
    let first = write(
        &[out("a/index.html", "A"), out("b/index.html", "B")],
        &books(&o),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        first,
        WriteStats {
            written: 2,
            unchanged: 0,
            removed: 0
        }
    );
    let second = write(&[out("a/index.html", "A2")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
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
    let third = write(&[out("a/index.html", "A2")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
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
    write(&[out("index.html", "x")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    let mode = std::fs::metadata(o.join("index.html"))
        .map(|m| m.permissions().mode())
        .unwrap_or(0);
    assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
}

#[test]
fn a_hand_edited_output_file_is_written_again() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    write(&[out("a/index.html", "AAAA")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    // Same length, other bytes: only the modification time tells.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(o.join("a/index.html"), "BBBB").unwrap_or_else(|e| panic!("{e}"));
    let stats = write(&[out("a/index.html", "AAAA")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
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
    write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read_to_string(books(&o).manifest_path()).unwrap_or_default();
    {
        let w = Writer::begin(&books(&o)).unwrap_or_else(|e| panic!("{e}"));
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
    assert!(names.iter().all(|n| n == "a"), "left behind: {names:?}");
    assert_eq!(
        std::fs::read_to_string(books(&o).manifest_path()).unwrap_or_default(),
        before
    );
}

#[test]
fn the_staging_folder_of_a_killed_build_is_not_foreign_and_goes_away() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap_or_else(|e| panic!("{e}"));
    let o = root.join("public");
    write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    // What a build killed between put and commit leaves.
    let staging = o.join(".gloss-stagingXYZ");
    std::fs::create_dir_all(&staging).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(staging.join(".gloss-tmp-0"), "half").unwrap_or_else(|e| panic!("{e}"));
    assert!(check_output_dir(root, &o).is_ok());
    write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
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
    write(
        &[out("index.html", "home"), out("a/index.html", "A")],
        &books(&o),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let files = [
        out("index.html", "home 2"),    // replaced in the output's own folder
        out("a/index.html", "A"),       // unchanged
        out("a/extra.json", "{}"),      // new file in an existing folder
        out("a/b/c/index.html", "ABC"), // new folders inside an existing one
        out("d/index.html", "D"),       // a new top-level folder...
        out("d/e/index.html", "DE"),    // ...with a subfolder
    ];
    let stats = write(&files, &books(&o)).unwrap_or_else(|e| panic!("{e}"));
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
    let first = lock_output(&books(&o), Duration::ZERO).unwrap_or_else(|e| panic!("{e}"));
    assert!(!first.waited);
    // flock locks belong to an open file: a second open conflicts even in one process.
    let started = std::time::Instant::now();
    let err = lock_output(&books(&o), Duration::from_millis(200))
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
    let second = lock_output(&books(&o), Duration::from_secs(5)).unwrap_or_else(|e| panic!("{e}"));
    assert!(!second.waited);
}

#[test]
fn the_lock_file_and_a_killed_builds_leftovers_are_not_foreign() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap_or_else(|e| panic!("{e}"));
    let o = root.join("public");
    write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    drop(lock_output(&books(&o), Duration::ZERO).unwrap_or_else(|e| panic!("{e}")));
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
    write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    let mut names: Vec<String> = std::fs::read_dir(&o)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a"]);
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Issue 14: a record naming a place outside the output, or reached through a symlink,
/// never makes gloss delete anything.
#[cfg(unix)]
#[test]
fn forged_records_never_delete_outside_the_output() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let base = dir.path();
    let o = base.join("site/public");
    let victim_dir = base.join("victim");
    std::fs::create_dir_all(&victim_dir).unwrap_or_else(|e| panic!("{e}"));
    let victim = victim_dir.join("precious.txt");
    std::fs::write(&victim, "precious").unwrap_or_else(|e| panic!("{e}"));
    write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    // A link inside the output to the victim's folder, and records naming the victim
    // by `..`, by an absolute path and through the link, each with the victim's stamp.
    std::os::unix::fs::symlink(&victim_dir, o.join("link")).unwrap_or_else(|e| panic!("{e}"));
    let meta = std::fs::metadata(&victim).unwrap_or_else(|e| panic!("{e}"));
    let stamp = Stamp::of(xxhash_rust::xxh3::xxh3_128(b"precious"), &meta);
    let line = |p: &str| format!("{:032x} {} {} {p}\n", stamp.hash, stamp.len, stamp.mtime_ns);
    let mut forged = read(&books(&o).manifest_path());
    for p in [
        "../victim/precious.txt".to_string(),
        "../../victim/precious.txt".to_string(),
        victim.display().to_string(),
        "link/precious.txt".to_string(),
    ] {
        forged.push_str(&line(&p));
    }
    books(&o).write(&forged).unwrap_or_else(|e| panic!("{e}"));
    let m = read_manifest(&books(&o))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_default();
    assert!(
        !m.contains("../victim/precious.txt"),
        "`..` records are dropped"
    );
    // The link is foreign to the output check even though a record names a path in it.
    std::fs::remove_file(o.join("link")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&victim_dir, o.join("link")).unwrap_or_else(|e| panic!("{e}"));
    write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&victim), "precious", "the victim survived");
}

/// A stale file whose bytes are no longer those gloss wrote is left in place.
#[test]
fn a_stale_file_changed_by_hand_is_not_deleted() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    write(
        &[out("a/index.html", "A"), out("b/index.html", "B")],
        &books(&o),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(o.join("b/index.html"), "my notes").unwrap_or_else(|e| panic!("{e}"));
    let stats = write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stats.removed, 0);
    assert_eq!(read(&o.join("b/index.html")), "my notes");
}

/// Issue 14: the output holds the site only; an output written by an older gloss (its
/// manifest and lock inside) is migrated: its files stay gloss's, the two files go.
#[test]
fn bookkeeping_lives_beside_the_site_and_old_outputs_are_migrated() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap_or_else(|e| panic!("{e}"));
    let o = root.join("public");
    write(
        &[out("a/index.html", "A"), out("b/index.html", "B")],
        &books(&o),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let names = |o: &Path| -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(o)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&o), ["a", "b"]);
    assert!(root.join(".gloss/.gitignore").is_file());
    // What an older gloss left: the manifest and lock inside the output.
    let text = read(&books(&o).manifest_path());
    std::fs::write(o.join(LEGACY_MANIFEST), text).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(o.join(LEGACY_LOCK), "").unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_dir_all(root.join(".gloss")).unwrap_or_else(|e| panic!("{e}"));
    let checked = check_output_dir(root, &o);
    assert!(checked.is_ok(), "{checked:?}");
    let stats = write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (stats.unchanged, stats.removed),
        (1, 1),
        "the old records were used"
    );
    assert_eq!(names(&o), ["a"]);
}

/// Issue 14: gloss writes its records only through plain folders and files.
#[cfg(unix)]
#[test]
fn planted_links_in_the_bookkeeping_are_refused_not_written_through() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let base = dir.path();
    let (root, elsewhere) = (base.join("site"), base.join("elsewhere"));
    for d in [&root, &elsewhere] {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
    }
    let o = root.join("public");
    std::os::unix::fs::symlink(&elsewhere, root.join(".gloss")).unwrap_or_else(|e| panic!("{e}"));
    let err = write(&[out("a/index.html", "A")], &books(&o))
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
    assert!(err.contains("it is not a folder"), "{err}");
    assert_eq!(
        std::fs::read_dir(&elsewhere)
            .map(Iterator::count)
            .unwrap_or(9),
        0
    );
    // A lock file replaced by a link to a file outside.
    std::fs::remove_file(root.join(".gloss")).unwrap_or_else(|e| panic!("{e}"));
    write(&[out("a/index.html", "A")], &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    let target = elsewhere.join("target.txt");
    std::fs::write(&target, "keep").unwrap_or_else(|e| panic!("{e}"));
    let lock = books(&o).lock_path();
    let _ = std::fs::remove_file(&lock);
    std::os::unix::fs::symlink(&target, &lock).unwrap_or_else(|e| panic!("{e}"));
    assert!(lock_output(&books(&o), Duration::ZERO).is_err());
    assert_eq!(read(&target), "keep");
    // An old lock left in the output as a link is foreign there.
    std::fs::remove_file(&lock).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&target, o.join(LEGACY_LOCK)).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        check_output_dir(&root, &o),
        Err(OutputError::ForeignFiles { .. })
    ));
    assert_eq!(read(&target), "keep");
}

/// Issue 14: `--output` is judged where the file system will put it.
#[test]
fn output_paths_are_resolved_as_the_file_system_will() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("static")).unwrap_or_else(|e| panic!("{e}"));
    for (spelling, inside) in [
        ("nothere/../static/gen", "static"),
        ("templates", "templates"),
        ("themes/x", "themes"),
        ("nothere/../../site/content/x", "content"),
        (".gloss", ".gloss"),
        ("./.gloss/outputs", ".gloss"),
    ] {
        let got = check_output_dir(&root, &root.join(spelling));
        assert_eq!(
            got,
            Err(OutputError::InsideSources {
                out: root.join(spelling),
                inside: inside.into()
            }),
            "{spelling}"
        );
    }
    assert!(matches!(
        check_output_dir(&root, &root.join("nothere/..")),
        Err(OutputError::ContainsSite { .. })
    ));
    assert_eq!(
        resolve_output(&root.join("a/b/../../public")),
        resolve_output(&root).join("public")
    );
}

/// A file where the previous build had a folder, and the other way round.
#[test]
fn a_file_can_replace_a_folder_of_the_previous_build_and_back() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    write(&[out("help/index.html", "H"), out("x", "X")], &books(&o))
        .unwrap_or_else(|e| panic!("{e}"));
    write(
        &[out("help", "file"), out("x/index.html", "XX")],
        &books(&o),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&o.join("help")), "file");
    assert_eq!(read(&o.join("x/index.html")), "XX");
    write(&[out("help/index.html", "H"), out("x", "X")], &books(&o))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(&o.join("help/index.html")), "H");
    assert_eq!(read(&o.join("x")), "X");
}

#[test]
fn a_path_outside_the_output_is_never_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("site/public");
    for bad in ["../escaped.html", "/tmp/abs.html", "a/../../b.html"] {
        let err = write(&[out(bad, "x")], &books(&o))
            .err()
            .map(|e| format!("{e:#}"))
            .unwrap_or_default();
        assert!(err.contains("outside the output"), "{bad}: {err}");
    }
    assert!(!dir.path().join("site/escaped.html").exists());
    assert!(!dir.path().join("b.html").exists());
}

/// A site moved to another folder, its output inside it, keeps its records: the next
/// build finds its own files, not foreign ones.
#[test]
fn a_moved_site_keeps_the_records_of_its_output() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap_or_else(|e| panic!("{e}"));
    let o = root.join("public");
    write(&[out("a/index.html", "A")], &Ledger::of(&root, &o)).unwrap_or_else(|e| panic!("{e}"));
    let moved = dir.path().join("renamed");
    std::fs::rename(&root, &moved).unwrap_or_else(|e| panic!("{e}"));
    let o = moved.join("public");
    let checked = check_output_dir(&moved, &o);
    assert!(checked.is_ok(), "{checked:?}");
    let stats = write(&[out("b/index.html", "B")], &Ledger::of(&moved, &o))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stats.removed, 1, "the old page is known as gloss's");
}

/// A file made in pieces: each piece written as it comes.
struct Pieces(Vec<&'static str>);

impl crate::render::Pieces for Pieces {
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        for p in &self.0 {
            out.write_all(p.as_bytes())?;
        }
        Ok(())
    }
}

fn streamed(path: &str, pieces: Vec<&'static str>) -> Output {
    Output {
        path: path.into(),
        content: Content::Stream(crate::render::Stream(std::sync::Arc::new(Pieces(pieces)))),
    }
}

/// A streamed file is written piece by piece with the bytes of its pieces, counts as
/// unchanged (left alone, nothing staged) when the file in place holds them, and is
/// written again when they change; at a new folder and at an existing one alike.
#[test]
fn streamed_files_are_written_only_when_their_bytes_change() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = dir.path().join("public");
    let files = |a: Vec<&'static str>| {
        vec![
            streamed("annotations.jsonld", a.clone()),
            streamed("deep/new/file.json", a),
        ]
    };
    let first =
        write(&files(vec!["[", "1,", "2", "]"]), &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.written, 2);
    for p in ["annotations.jsonld", "deep/new/file.json"] {
        assert_eq!(
            std::fs::read_to_string(o.join(p)).unwrap_or_default(),
            "[1,2]"
        );
    }
    let mtime = std::fs::metadata(o.join("annotations.jsonld"))
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_millis(20));
    // The same bytes in other pieces: nothing written.
    let second = write(&files(vec!["[1", ",2]"]), &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((second.written, second.unchanged), (0, 2));
    let after = std::fs::metadata(o.join("annotations.jsonld"))
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mtime, after, "an unchanged file is left alone");
    let third = write(&files(vec!["[1,2,3]"]), &books(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((third.written, third.unchanged), (2, 0));
    assert_eq!(
        std::fs::read_to_string(o.join("annotations.jsonld")).unwrap_or_default(),
        "[1,2,3]"
    );
    // No staged copy is left behind.
    let left: Vec<_> = std::fs::read_dir(&o)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(STAGING))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
