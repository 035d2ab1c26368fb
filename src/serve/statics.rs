//! Static files read into the preview's snapshot when it is built. The HTTP thread never
//! opens a file: it serves the bytes read here, so a file edited, deleted or swapped for
//! a symlink after the build is served as the build saw it until the next rebuild.
//!
//! Input: a static file's path (from the render stage) and its previous body. Output: its
//! body, or why it is left out. A file whose size, modification time and inode are those
//! of the previous build keeps the previous (shared) bytes, so a rebuild reads only the
//! files that changed. A symlink is read through only while it stays inside the site,
//! the rule the loader applies when it walks `static/` ([`crate::load::Inside`]).

use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::state::{Body, Stamp};
use crate::diag::Diagnostic;
use crate::load::Inside;

/// Why a static file is not in the snapshot.
#[derive(Debug)]
pub(crate) enum Skip {
    /// It is (or passes through) a symlink that leads out of the site: the loader's
    /// warning for it.
    Outside(Diagnostic),
    /// It is gone, or cannot be read (the next rebuild sees what happened to it).
    Unreadable(io::Error),
}

/// What [`body`] found.
#[derive(Debug)]
pub(crate) enum Found {
    /// The file is as the previous build read it: keep its body.
    Same,
    /// Read again with the same bytes (the previous ones, shared) and a new stamp.
    Restamped(Body),
    /// New bytes.
    Changed(Body),
}

/// The static file at `from` compared with its `previous` body: unchanged when the batch
/// did not `touch` it and its stamp is the same, else read now.
pub(crate) fn body(
    from: &Path,
    previous: Option<&Body>,
    touched: bool,
    inside: &Inside,
) -> Result<Found, Skip> {
    let old = match previous {
        Some(Body::Static {
            bytes,
            from: f,
            stamp,
        }) if f == from => Some((bytes, *stamp)),
        _ => None,
    };
    let meta = std::fs::symlink_metadata(from).map_err(Skip::Unreadable)?;
    if let Some((_, stamp)) = old
        && !touched
        && meta.is_file()
        && Stamp::of(&meta) == stamp
    {
        return Ok(Found::Same);
    }
    let (bytes, stamp) = read(from, inside)?;
    Ok(match old {
        Some((old, _)) if old[..] == bytes[..] => {
            Found::Restamped(static_body(Arc::clone(old), from, stamp))
        }
        _ => Found::Changed(static_body(bytes.into(), from, stamp)),
    })
}

fn static_body(bytes: Arc<[u8]>, from: &Path, stamp: Stamp) -> Body {
    Body::Static {
        bytes,
        from: from.to_path_buf(),
        stamp,
    }
}

/// Reads `from` unless a symlink on its way leads out of the site. The check resolves
/// the path; the file is then opened at the resolved path without following a final
/// symlink, so one swapped in between is not read through either.
fn read(from: &Path, inside: &Inside) -> Result<(Vec<u8>, Stamp), Skip> {
    if let Some(outside) = inside.outside_link(from) {
        return Err(Skip::Outside(outside));
    }
    let resolved: PathBuf = std::fs::canonicalize(from).map_err(Skip::Unreadable)?;
    let mut file = crate::load::open_no_follow(&resolved).map_err(Skip::Unreadable)?;
    let meta = file.metadata().map_err(Skip::Unreadable)?;
    if !meta.is_file() {
        return Err(Skip::Unreadable(io::Error::other("not a regular file")));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(Skip::Unreadable)?;
    Ok((bytes, Stamp::of(&meta)))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Site {
        _dir: tempfile::TempDir,
        root: PathBuf,
        outside: PathBuf,
    }

    fn site() -> Site {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("static")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("static/a.txt"), "inside").unwrap_or_else(|e| panic!("{e}"));
        let outside = dir.path().join("secret.txt");
        std::fs::write(&outside, "TOP-SECRET").unwrap_or_else(|e| panic!("{e}"));
        Site {
            _dir: dir,
            root,
            outside,
        }
    }

    fn inside(site: &Site) -> Inside {
        Inside::new(&site.root)
    }

    /// The body `body` gives, with whether it is a change; `previous` when the same.
    fn read_body(s: &Site, from: &Path, previous: Option<&Body>, touched: bool) -> (Body, bool) {
        match body(from, previous, touched, &inside(s)) {
            Ok(Found::Same) => (
                previous.cloned().unwrap_or_else(|| panic!("no previous")),
                false,
            ),
            Ok(Found::Restamped(b)) => (b, false),
            Ok(Found::Changed(b)) => (b, true),
            Err(e) => panic!("{e:?}"),
        }
    }

    fn bytes_of(body: &Body) -> &[u8] {
        body.bytes()
    }

    #[test]
    fn an_unchanged_file_keeps_its_shared_bytes() {
        let s = site();
        let a = s.root.join("static/a.txt");
        let (first, changed) = read_body(&s, &a, None, false);
        assert!(changed);
        assert_eq!(bytes_of(&first), b"inside");
        assert!(matches!(
            body(&a, Some(&first), false, &inside(&s)),
            Ok(Found::Same)
        ));
        // Touched (or replaced by a rename) with the same bytes: read again, the bytes
        // still shared, no change.
        let tmp = s.root.join("static/a.txt.new");
        std::fs::write(&tmp, "inside").unwrap_or_else(|e| panic!("{e}"));
        std::fs::rename(&tmp, &a).unwrap_or_else(|e| panic!("{e}"));
        for touched in [false, true] {
            match body(&a, Some(&first), touched, &inside(&s)) {
                Ok(Found::Restamped(b)) => assert!(Arc::ptr_eq(first.bytes(), b.bytes())),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_file_edited_without_an_event_is_read_again() {
        let s = site();
        let a = s.root.join("static/a.txt");
        let (first, _) = read_body(&s, &a, None, false);
        std::fs::write(&a, "edited, longer").unwrap_or_else(|e| panic!("{e}"));
        let (next, changed) = read_body(&s, &a, Some(&first), false);
        assert!(changed);
        assert_eq!(bytes_of(&next), b"edited, longer");
        assert_eq!(
            bytes_of(&first),
            b"inside",
            "the old snapshot keeps its bytes"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_site_is_not_read() {
        let s = site();
        let a = s.root.join("static/a.txt");
        let (first, _) = read_body(&s, &a, None, false);
        std::fs::remove_file(&a).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(&s.outside, &a).unwrap_or_else(|e| panic!("{e}"));
        for previous in [None, Some(&first)] {
            match body(&a, previous, false, &inside(&s)) {
                Err(Skip::Outside(d)) => {
                    let text = format!("{}: {}", d.path.display(), d.message);
                    assert!(
                        text.starts_with("static/a.txt: skipped: symlink to `")
                            && text.ends_with("secret.txt`, outside the site"),
                        "{text}"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_inside_the_site_is_read_as_the_loader_reads_it() {
        let s = site();
        std::fs::write(s.root.join("shared.txt"), "shared").unwrap_or_else(|e| panic!("{e}"));
        let link = s.root.join("static/link.txt");
        std::os::unix::fs::symlink(s.root.join("shared.txt"), &link)
            .unwrap_or_else(|e| panic!("{e}"));
        let (b, _) = read_body(&s, &link, None, false);
        assert_eq!(bytes_of(&b), b"shared");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_does_not_block_and_is_left_out() {
        let s = site();
        let fifo = s.root.join("static/pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(status.success());
        assert!(matches!(
            body(&fifo, None, false, &inside(&s)),
            Err(Skip::Unreadable(_))
        ));
    }
}
