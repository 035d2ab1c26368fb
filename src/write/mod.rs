//! Stage 4, write: puts the rendered files into the output folder, touching only files
//! whose bytes changed and removing files an earlier build wrote that are gone now.
//!
//! gloss never deletes or overwrites a file it did not write: the output folder keeps a
//! manifest (`.gloss-manifest`) of the files gloss wrote, and a folder holding anything
//! else is refused, as is an output path that would contain or sit inside the site's
//! sources.

mod safety;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::render::{Content, Output};
pub use safety::{OutputError, check_output_dir};

/// Name of the manifest file in the output folder.
pub const MANIFEST: &str = ".gloss-manifest";
const MANIFEST_HEADER: &str = "# gloss manifest v1: files written by gloss; do not edit";

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files whose bytes changed or that are new.
    pub written: usize,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Stale files of an earlier build that were removed.
    pub removed: usize,
}

/// Reads the manifest of `out`; `None` when there is none.
pub(crate) fn read_manifest(out: &Path) -> Result<Option<BTreeSet<String>>> {
    match std::fs::read_to_string(out.join(MANIFEST)) {
        Ok(text) => Ok(Some(
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(str::to_string)
                .collect(),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", out.join(MANIFEST).display())),
    }
}

fn write_manifest(out: &Path, files: &BTreeSet<String>) -> Result<()> {
    let mut text = String::with_capacity(files.len() * 40);
    text.push_str(MANIFEST_HEADER);
    text.push('\n');
    for f in files {
        text.push_str(f);
        text.push('\n');
    }
    replace_file(&out.join(MANIFEST), text.as_bytes())
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a reader never sees
/// half a file.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gloss-tmp-");
    // Temporary files are private (0600); published files must be readable by a web server.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn content_bytes(c: &Content) -> Result<std::borrow::Cow<'_, [u8]>> {
    Ok(match c {
        Content::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
        Content::Embedded(s) => std::borrow::Cow::Borrowed(s.as_bytes()),
        Content::File(p) => std::borrow::Cow::Owned(
            std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
    })
}

/// True when the file at `path` already holds exactly `bytes`.
fn is_unchanged(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Writes `outputs` into `out` (already checked with [`check_output_dir`]).
pub fn write(outputs: &[Output], out: &Path) -> Result<WriteStats> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let old = read_manifest(out)?.unwrap_or_default();
    let new: BTreeSet<String> = outputs.iter().map(|o| o.path.clone()).collect();
    // Until this write completes, both old and new files count as gloss's, so an
    // interrupted build never leaves files the next build would call foreign.
    write_manifest(out, &old.union(&new).cloned().collect())?;
    let dirs: BTreeSet<PathBuf> = outputs
        .iter()
        .filter_map(|o| Path::new(&o.path).parent().map(Path::to_path_buf))
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(out.join(d))
            .with_context(|| format!("cannot create {}", out.join(d).display()))?;
    }
    let results: Vec<Result<bool>> = outputs
        .par_iter()
        .map(|o| {
            let path = out.join(&o.path);
            let bytes = content_bytes(&o.content)?;
            if is_unchanged(&path, &bytes) {
                return Ok(false);
            }
            replace_file(&path, &bytes)?;
            Ok(true)
        })
        .collect();
    let mut stats = WriteStats::default();
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    for stale in old.difference(&new) {
        let path = out.join(stale);
        match std::fs::remove_file(&path) {
            Ok(()) => stats.removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("cannot remove stale {}", path.display()));
            }
        }
        remove_empty_parents(out, &path);
    }
    write_manifest(out, &new)?;
    Ok(stats)
}

/// Removes the folders above `path` that became empty, up to `out`.
fn remove_empty_parents(out: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests;
