//! Creating the files of `gloss init` and `gloss new` safely: a file is created only
//! where nothing is (`create_new`, `O_EXCL`, which does not follow a final symlink,
//! dangling or not), so an existing file is never replaced and a planted symlink never
//! written through; a folder gloss creates files in is a real folder, or a symlink that
//! stays inside the site (as the loader follows them), never one that leads elsewhere.

use std::io::Write as _;
use std::path::{Component, Path};

use anyhow::{Context as _, Result, bail};

/// What [`file`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Created {
    /// The file is new.
    Added,
    /// Something (a file, a folder, a symlink) is already at the path: left as it is.
    Kept,
}

/// Creates the folders of `rel` (relative to `base`, the site) that are missing; an
/// existing one must be a folder, or a symlink to a folder inside `base`.
pub(crate) fn dirs(base: &Path, rel: &Path) -> Result<()> {
    let mut path = base.to_path_buf();
    let mut shown = std::path::PathBuf::new();
    for part in rel.components() {
        let Component::Normal(part) = part else {
            bail!("`{}` is not a plain relative path", rel.display());
        };
        path.push(part);
        shown.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) if meta.is_symlink() => link_inside(base, &path, &shown)?,
            Ok(_) => bail!(
                "`{}` is a file, not a folder\nhint: move it away, then run the command again",
                shown.display()
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir(&path)
                .with_context(|| format!("cannot create {}", path.display()))?,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", path.display()));
            }
        }
    }
    Ok(())
}

/// Accepts the symlink at `path` only when it leads to a folder inside `base`.
fn link_inside(base: &Path, path: &Path, shown: &Path) -> Result<()> {
    let target = std::fs::canonicalize(path).ok();
    let inside = std::fs::canonicalize(base).ok();
    match (target, inside) {
        (Some(target), Some(inside)) if target.starts_with(&inside) && target.is_dir() => Ok(()),
        (target, _) => {
            let to = target.map_or_else(
                || "nothing (a broken link)".to_owned(),
                |t| format!("`{}`", t.display()),
            );
            bail!(
                "`{}` is a symlink to {to}, outside the site: gloss does not create files \
                 through it\nhint: replace the link with a folder, or point it inside the site",
                shown.display()
            )
        }
    }
}

/// Creates `base/rel` holding `text`, unless something is already at that path (then
/// it is left untouched, a symlink not followed). Its folders must exist (see [`dirs`]).
pub(crate) fn file(base: &Path, rel: &Path, text: &str) -> Result<Created> {
    let path = base.join(rel);
    let mut out = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(Created::Kept),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.sync_all()) {
        // Ours alone (it was created just now): a half-written file would pass for a
        // finished one next time, and be kept.
        drop(out);
        let _ = std::fs::remove_file(&path);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(Created::Added)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_file_is_created_once_and_then_kept() {
        let dir = tmp();
        let rel = Path::new("a/b/c.txt");
        dirs(dir.path(), Path::new("a/b")).unwrap_or_else(|e| panic!("{e:#}"));
        let first = file(dir.path(), rel, "one").unwrap_or_else(|e| panic!("{e:#}"));
        let second = file(dir.path(), rel, "two").unwrap_or_else(|e| panic!("{e:#}"));
        assert_eq!((first, second), (Created::Added, Created::Kept));
        let text = std::fs::read_to_string(dir.path().join(rel)).unwrap_or_default();
        assert_eq!(text, "one");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_written_through() {
        let dir = tmp();
        let outside = tmp();
        let target = outside.path().join("target");
        // Dangling, then to an existing file.
        std::os::unix::fs::symlink(&target, dir.path().join("x")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            file(dir.path(), Path::new("x"), "planted").ok(),
            Some(Created::Kept)
        );
        assert!(!target.exists());
        std::fs::write(&target, "theirs").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            file(dir.path(), Path::new("x"), "planted").ok(),
            Some(Created::Kept)
        );
        assert_eq!(
            std::fs::read_to_string(&target).unwrap_or_default(),
            "theirs"
        );
    }

    #[cfg(unix)]
    #[test]
    fn folders_linked_out_of_the_site_are_refused() {
        let dir = tmp();
        let outside = tmp();
        std::fs::create_dir(dir.path().join("in")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(dir.path().join("in"), dir.path().join("alias"))
            .unwrap_or_else(|e| panic!("{e}"));
        let err = dirs(dir.path(), Path::new("out/new")).map_err(|e| format!("{e:#}"));
        assert!(
            err.as_ref().is_err_and(
                |e| e.starts_with("`out` is a symlink to `") && e.contains("outside the site")
            ),
            "{err:?}"
        );
        assert!(!outside.path().join("new").exists());
        // A link inside the site is used, as the loader follows it.
        dirs(dir.path(), Path::new("alias/new")).unwrap_or_else(|e| panic!("{e:#}"));
        assert!(dir.path().join("in/new").is_dir());
        std::fs::write(dir.path().join("f"), "").unwrap_or_else(|e| panic!("{e}"));
        assert!(dirs(dir.path(), Path::new("f/g")).is_err());
    }
}
