//! Unit tests of the write stage.

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
