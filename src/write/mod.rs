//! Stage 4, write: puts the rendered files into the output folder, touching only files
//! whose bytes changed and removing files an earlier build wrote that are gone now.
//!
//! gloss never deletes or overwrites a file it did not write: the output folder keeps a
//! manifest (`.gloss-manifest`) of the files gloss wrote, and a folder holding anything
//! else is refused, as is an output path that would contain or sit inside the site's
//! sources.

mod lock;
mod safety;

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::render::{Content, Output};
pub use lock::{LOCK, LOCK_WAIT, OutputLock, lock_output};
pub use safety::{OutputError, check_output_dir};

/// Name of the manifest file in the output folder.
pub const MANIFEST: &str = ".gloss-manifest";
const MANIFEST_HEADER: &str =
    "# gloss manifest v2: files written by gloss (xxh3-128, bytes, mtime ns, path); do not edit";

/// Prefix of the staging folder a build writes new files into before moving them into
/// place; one left by an interrupted build is removed by the next.
const STAGING: &str = ".gloss-staging";

/// Prefix of the temporary file the manifest is written through; one left by a killed
/// build is removed by the next.
const TEMP: &str = ".gloss-tmp-";

/// In the staging folder: new folders of the output, laid out as they will be published.
const STAGED_TREE: &str = "tree";
/// In the staging folder: files whose folder the output already has, one by one, spread
/// over this many subfolders (a folder of 10^5 files makes every create slower).
const STAGED_FILES: &str = "files";
const STAGED_SHARDS: usize = 256;

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

/// How a file looked when gloss wrote it: enough to know, without reading it, that it
/// still holds the bytes of a given hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    hash: u128,
    len: u64,
    mtime_ns: u128,
}

impl Stamp {
    fn of(hash: u128, meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            hash,
            len: meta.len(),
            mtime_ns: mtime_ns(meta),
        }
    }

    /// True when `path` is still the file this stamp was taken of (same size and
    /// modification time), so it still holds the bytes of `self.hash`.
    fn holds(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path)
            .is_ok_and(|m| m.is_file() && Stamp::of(self.hash, &m) == *self)
    }
}

fn mtime_ns(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// The files gloss wrote into an output folder, with their stamps (`None` for entries
/// of an older manifest, or of a write that did not finish).
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    pub(crate) files: HashMap<String, Option<Stamp>>,
    /// The fingerprint of the sources of a build that had no warnings (see
    /// `cmd::fingerprint`): the output is that build's as long as the files are intact.
    pub(crate) sources: Option<u128>,
}

impl Manifest {
    /// True when gloss wrote `path` (relative, `/`-separated).
    pub(crate) fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    fn parse(text: &str) -> Manifest {
        let v2 = text.starts_with("# gloss manifest v2");
        let sources = text
            .lines()
            .find_map(|l| l.strip_prefix("# sources "))
            .and_then(|h| u128::from_str_radix(h.trim(), 16).ok());
        let files = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|line| {
                if !v2 {
                    return (line.to_string(), None);
                }
                let mut parts = line.splitn(4, ' ');
                let (hash, len, mtime, path) =
                    (parts.next(), parts.next(), parts.next(), parts.next());
                let stamp = (|| {
                    Some(Stamp {
                        hash: u128::from_str_radix(hash?, 16).ok()?,
                        len: len?.parse().ok()?,
                        mtime_ns: mtime?.parse().ok()?,
                    })
                })();
                (path.unwrap_or(line).to_string(), stamp)
            })
            .collect();
        Manifest { files, sources }
    }

    fn to_text(&self) -> String {
        let mut paths: Vec<(&String, &Option<Stamp>)> = self.files.iter().collect();
        paths.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut text = String::with_capacity(paths.len() * 100);
        text.push_str(MANIFEST_HEADER);
        text.push('\n');
        if let Some(h) = self.sources {
            text.push_str(&format!("# sources {h:032x}\n"));
        }
        for (path, stamp) in paths {
            let line = match stamp {
                Some(s) => format!("{:032x} {} {} {path}\n", s.hash, s.len, s.mtime_ns),
                None => format!("- - - {path}\n"),
            };
            text.push_str(&line);
        }
        text
    }
}

/// Reads the manifest of `out`; `None` when there is none.
pub(crate) fn read_manifest(out: &Path) -> Result<Option<Manifest>> {
    match std::fs::read_to_string(out.join(MANIFEST)) {
        Ok(text) => Ok(Some(Manifest::parse(&text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", out.join(MANIFEST).display())),
    }
}

fn write_manifest(out: &Path, manifest: &Manifest) -> Result<()> {
    replace_file(&out.join(MANIFEST), manifest.to_text().as_bytes())
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a reader never sees
/// half a file.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP);
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

/// A file of this build, as [`Writer::put`] left it.
struct Entry {
    path: String,
    /// Its stamp once in place.
    stamp: Stamp,
    staged: Staged,
}

/// Where a file of this build waits until [`Writer::commit`].
#[derive(Debug, PartialEq, Eq)]
enum Staged {
    /// Nowhere: the file on disk already has its bytes.
    No,
    /// At its own relative path in the staged tree: its folder is new, and commit moves
    /// each new folder into place with one rename.
    InTree,
    /// Alone, at this path: its folder exists, so commit moves the file itself (a staged
    /// copy of the folder would cost a folder made and removed for nothing).
    Alone(PathBuf),
}

/// Writes one build into an output folder (already checked with [`check_output_dir`],
/// and locked with [`lock_output`] when another build could write into it).
///
/// Files arrive one by one from any thread ([`Writer::put`]) as they are rendered, so no
/// build holds the whole site in memory. A file whose bytes are already in place (same
/// hash, size and modification time as the manifest records) is left alone; any other
/// goes into a staging folder. Nothing in the output changes until [`Writer::commit`]
/// moves the staged files into place and removes the stale ones; a build that fails
/// before (or a `Writer` dropped without committing) leaves the output as it was.
pub struct Writer {
    out: PathBuf,
    staging: PathBuf,
    old: Manifest,
    next: AtomicUsize,
    entries: Mutex<Vec<Entry>>,
    committed: bool,
}

impl Writer {
    /// Starts a write into `out`, creating it if needed.
    pub fn begin(out: &Path) -> Result<Writer> {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        let old = read_manifest(out)?.unwrap_or_default();
        remove_leftovers(out)?;
        let staging = tempfile::Builder::new()
            .prefix(STAGING)
            .tempdir_in(out)
            .with_context(|| format!("cannot create a folder in {}", out.display()))?
            .keep();
        for shard in 0..STAGED_SHARDS {
            let dir = staging.join(format!("{STAGED_FILES}/{shard:02x}"));
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Ok(Writer {
            out: out.to_path_buf(),
            staging,
            old,
            next: AtomicUsize::new(0),
            entries: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// Takes one file of the build.
    pub fn put(&self, output: Output) -> Result<()> {
        let bytes = content_bytes(&output.content)?;
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let target = self.out.join(&output.path);
        let in_place = self
            .old
            .files
            .get(&output.path)
            .copied()
            .flatten()
            .filter(|s| s.hash == hash && s.holds(&target));
        let entry = match in_place {
            Some(stamp) => Entry {
                path: output.path,
                stamp,
                staged: Staged::No,
            },
            None => {
                let folder_exists = target.parent().is_some_and(Path::is_dir);
                let (staged, at) = if folder_exists {
                    let n = self.next.fetch_add(1, Ordering::Relaxed);
                    let at = self
                        .staging
                        .join(format!("{STAGED_FILES}/{:02x}/{n}", n % STAGED_SHARDS));
                    (Staged::Alone(at.clone()), at)
                } else {
                    let at = self.staging.join(STAGED_TREE).join(&output.path);
                    (Staged::InTree, at)
                };
                let meta = write_new(&at, &bytes)
                    .with_context(|| format!("cannot write {}", target.display()))?;
                Entry {
                    path: output.path,
                    stamp: Stamp::of(hash, &meta),
                    staged,
                }
            }
        };
        drop(bytes);
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(entry);
        Ok(())
    }

    /// Moves the staged files into place, removes files of the previous build that this
    /// one did not make, and records the new manifest, with the fingerprint of the
    /// sources when the output is exactly what they give.
    pub fn commit(mut self, sources: Option<u128>) -> Result<WriteStats> {
        let entries = std::mem::take(
            &mut *self
                .entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        // Until this write completes, both old and new files count as gloss's, so an
        // interrupted build never leaves files the next build would call foreign. A file
        // about to be replaced has no stamp: the next build writes it again.
        let mut manifest = Manifest {
            files: self.old.files.clone(),
            sources: None,
        };
        for e in entries.iter().filter(|e| e.staged != Staged::No) {
            manifest.files.insert(e.path.clone(), None);
        }
        write_manifest(&self.out, &manifest)?;
        let tree = self.staging.join(STAGED_TREE);
        if tree.is_dir() {
            move_into(&tree, &self.out)?;
        }
        entries.par_iter().try_for_each(|e| match &e.staged {
            Staged::Alone(from) => {
                let to = self.out.join(&e.path);
                std::fs::rename(from, &to).with_context(|| format!("cannot write {}", to.display()))
            }
            Staged::No | Staged::InTree => Ok(()),
        })?;
        let mut stats = WriteStats::default();
        for e in &entries {
            if e.staged != Staged::No {
                stats.written += 1;
            } else {
                stats.unchanged += 1;
            }
        }
        let new: HashMap<String, Option<Stamp>> = entries
            .into_iter()
            .map(|e| (e.path, Some(e.stamp)))
            .collect();
        let mut stale: Vec<&String> = self
            .old
            .files
            .keys()
            .filter(|p| !new.contains_key(*p))
            .collect();
        stale.sort_unstable();
        for path in stale {
            let path = self.out.join(path);
            match std::fs::remove_file(&path) {
                Ok(()) => stats.removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("cannot remove stale {}", path.display()));
                }
            }
            remove_empty_parents(&self.out, &path);
        }
        write_manifest(
            &self.out,
            &Manifest {
                files: new,
                sources,
            },
        )?;
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.staging);
        Ok(stats)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build: the staged files were never published.
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Creates `path` (a new file, 0644, and the folders above it) holding `bytes`; returns
/// its metadata.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<std::fs::Metadata> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
    // Most pages are the first file in their folder: try the file first, and make the
    // folder only when it is missing (one system call in the common case).
    let mut file = match options.open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            options.open(path)?
        }
        other => other?,
    };
    file.write_all(bytes)?;
    file.metadata()
}

/// Moves everything in the folder `from` into the folder `to`: an entry `to` lacks moves
/// with one rename (a whole new folder at once), a folder both have is merged, a file
/// replaces the one in `to`. Subfolders are merged in parallel.
fn move_into(from: &Path, to: &Path) -> Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(from)
        .and_then(|d| d.collect())
        .with_context(|| format!("cannot read {}", from.display()))?;
    entries.par_iter().try_for_each(|entry| {
        let target = to.join(entry.file_name());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let target_is_dir = std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir());
        if is_dir && target_is_dir {
            move_into(&entry.path(), &target)
        } else {
            std::fs::rename(entry.path(), &target)
                .with_context(|| format!("cannot write {}", target.display()))
        }
    })
}

/// Removes what killed builds left in `out`: staging folders and the temporary file of
/// a manifest being written (only gloss creates such names). Safe only while no other
/// build writes into `out`, which [`lock_output`] ensures.
pub fn remove_leftovers(out: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_str().unwrap_or_default();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let removed = if kind.is_dir() && name.starts_with(STAGING) {
            std::fs::remove_dir_all(entry.path())
        } else if kind.is_file() && name.starts_with(TEMP) {
            std::fs::remove_file(entry.path())
        } else {
            continue;
        };
        match removed {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot remove {}", entry.path().display()));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Writes `outputs` into `out` (already checked with [`check_output_dir`]).
pub fn write(outputs: &[Output], out: &Path) -> Result<WriteStats> {
    let writer = Writer::begin(out)?;
    outputs.par_iter().try_for_each(|o| writer.put(o.clone()))?;
    writer.commit(None)
}

/// The number of files in `out` when it holds, intact, the output of a build from sources
/// with fingerprint `sources`; `None` otherwise.
pub fn up_to_date(out: &Path, sources: u128) -> Option<usize> {
    let manifest = read_manifest(out).ok()??;
    if manifest.sources != Some(sources) {
        return None;
    }
    let intact = manifest
        .files
        .par_iter()
        .all(|(path, stamp)| stamp.is_some_and(|s| s.holds(&out.join(path))));
    intact.then_some(manifest.files.len())
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
