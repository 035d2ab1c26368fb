//! Stage 4, write: puts the rendered files into the output folder, touching only files
//! whose bytes changed and removing files an earlier build wrote that are gone now.
//!
//! gloss never deletes or overwrites a file it did not write: a manifest of the files
//! gloss wrote, kept outside the output in `.gloss/` ([`Ledger`]), says which are its
//! own, and a folder holding anything else is refused, as is an output path that would
//! contain or sit inside the site's sources. A record is never trusted to name a place:
//! an entry that is not a path inside the output ([`OutPath`]) is ignored, a stale file
//! is removed only when it still holds the bytes gloss recorded, and never through a
//! symlink.

mod ledger;
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
use crate::routes::OutPath;
use ledger::TEMP;
pub(crate) use ledger::replace_file;
pub use ledger::{BOOKKEEPING, LEGACY_LOCK, LEGACY_MANIFEST, Ledger, bookkeeping_dir, cache_dir};
pub use lock::{LOCK_WAIT, OutputLock, lock_output};
pub use safety::{OutputError, check_output_dir, resolve_output};

const MANIFEST_HEADER: &str =
    "# gloss manifest v3: files written by gloss (xxh3-128, bytes, mtime ns, path); do not edit";

/// Prefix of the staging folder a build writes new files into before moving them into
/// place; one left by an interrupted build is removed by the next.
const STAGING: &str = ".gloss-staging";

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

/// The files gloss wrote into an output folder, each with the stamps it may have: one
/// normally, two while a commit replaces it (old and new), none for entries of the
/// oldest manifests (unverifiable: rewritten, never deleted).
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    pub(crate) files: HashMap<OutPath, Vec<Stamp>>,
    /// The fingerprint of the sources of the build (see `driver::fingerprint`): the
    /// output is that build's as long as the files are intact.
    pub(crate) sources: Option<u128>,
    /// The hash of that build's warnings (the ledger's `warnings` file), which a build
    /// that finds the output up to date shows again; none recorded means none given.
    pub(crate) warnings: Option<u128>,
    /// The hash of the record of what the build that wrote these files read (the
    /// ledger's `state` file, see [`previous_state`]); only a completed commit sets it.
    pub(crate) state: Option<u128>,
}

impl Manifest {
    /// True when gloss wrote `path` (relative, `/`-separated).
    pub(crate) fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Reads a manifest's text. An entry that is not a path inside the output (`..`, an
    /// absolute path: a forged or damaged record) is left out and reported once.
    fn parse(text: &str) -> Manifest {
        let stamped =
            text.starts_with("# gloss manifest v2") || text.starts_with("# gloss manifest v3");
        let sources = text
            .lines()
            .find_map(|l| l.strip_prefix("# sources "))
            .and_then(|h| u128::from_str_radix(h.trim(), 16).ok());
        let hash_line = |prefix: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .and_then(|h| u128::from_str_radix(h.trim(), 16).ok())
        };
        let state = hash_line("# state ");
        let warnings = hash_line("# warnings ");
        let mut files: HashMap<OutPath, Vec<Stamp>> = HashMap::new();
        let mut ignored: Vec<&str> = Vec::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (path, stamp) = if stamped {
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
                (path.unwrap_or(line), stamp)
            } else {
                (line, None)
            };
            match OutPath::new(path) {
                Ok(p) => {
                    let stamps = files.entry(p).or_default();
                    stamps.extend(stamp);
                }
                Err(_) => ignored.push(path),
            }
        }
        if let Some(first) = ignored.first() {
            tracing::warn!(
                "ignored {} record(s) of gloss's manifest that name no file inside the output, e.g. `{first}`: such files are never deleted",
                ignored.len()
            );
        }
        Manifest {
            files,
            sources,
            warnings,
            state,
        }
    }

    fn to_text(&self) -> String {
        let mut paths: Vec<(&OutPath, &Vec<Stamp>)> = self.files.iter().collect();
        paths.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut text = String::with_capacity(paths.len() * 100);
        text.push_str(MANIFEST_HEADER);
        text.push('\n');
        if let Some(h) = self.sources {
            text.push_str(&format!("# sources {h:032x}\n"));
        }
        if let Some(h) = self.warnings {
            text.push_str(&format!("# warnings {h:032x}\n"));
        }
        if let Some(h) = self.state {
            text.push_str(&format!("# state {h:032x}\n"));
        }
        for (path, stamps) in paths {
            if stamps.is_empty() {
                text.push_str(&format!("- - - {path}\n"));
            }
            for s in stamps {
                text.push_str(&format!(
                    "{:032x} {} {} {path}\n",
                    s.hash, s.len, s.mtime_ns
                ));
            }
        }
        text
    }
}

/// Reads the manifest of the output folder of `ledger`; `None` when there is none.
pub(crate) fn read_manifest(ledger: &Ledger) -> Result<Option<Manifest>> {
    Ok(ledger.read()?.map(|text| Manifest::parse(&text)))
}

fn write_manifest(ledger: &Ledger, manifest: &Manifest) -> Result<()> {
    ledger.write(&manifest.to_text())
}

/// The file at `rel` inside `out` when gloss may remove it: every folder on the way is
/// a real folder (not a symlink) and the file is a regular file. `None` otherwise.
fn own_file(out: &Path, rel: &OutPath) -> Option<PathBuf> {
    if !rel
        .folders()
        .all(|f| std::fs::symlink_metadata(out.join(f)).is_ok_and(|m| m.is_dir()))
    {
        return None;
    }
    let at = out.join(rel.as_str());
    std::fs::symlink_metadata(&at).ok()?.is_file().then_some(at)
}

/// True when the file at `path` holds the bytes of one of `stamps`: its size and time
/// are those recorded, or (touched since) its bytes hash to a recorded hash.
fn still_ours(path: &Path, stamps: &[Stamp]) -> bool {
    if stamps.iter().any(|s| s.holds(path)) {
        return true;
    }
    std::fs::read(path).is_ok_and(|bytes| {
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        stamps
            .iter()
            .any(|s| s.hash == hash && s.len == bytes.len() as u64)
    })
}

fn content_bytes(c: &Content) -> Result<std::borrow::Cow<'_, [u8]>> {
    Ok(match c {
        Content::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
        Content::Embedded(s) => std::borrow::Cow::Borrowed(s),
        Content::File(p) => std::borrow::Cow::Owned(
            read_plain_file(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
        Content::Stream(s) => std::borrow::Cow::Owned(s.to_bytes()?),
    })
}

/// The bytes of a static file to publish: a regular file (not a FIFO), read at the
/// place its path resolves to now. The walk checked where its symlinks lead; the file
/// is opened without following a final symlink, so a link swapped in between the
/// resolution and the read is not read through.
fn read_plain_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut file = crate::load::open_no_follow(&std::fs::canonicalize(path)?)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A file of this build, as [`Writer::put`] left it.
struct Entry {
    path: OutPath,
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
    ledger: Ledger,
    staging: PathBuf,
    old: Manifest,
    next: AtomicUsize,
    entries: Mutex<Vec<Entry>>,
    committed: bool,
}

impl Writer {
    /// Starts a write into the output folder of `ledger`, creating it if needed.
    pub fn begin(ledger: &Ledger) -> Result<Writer> {
        let out = ledger.out();
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        let old = read_manifest(ledger)?.unwrap_or_default();
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
            ledger: ledger.clone(),
            staging,
            old,
            next: AtomicUsize::new(0),
            entries: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// Takes one file of the build. Its path must be inside the output ([`OutPath`]):
    /// this is the last guard before the disk, whatever made the path.
    pub fn put(&self, output: Output) -> Result<()> {
        let path = OutPath::new(&output.path).map_err(|why| {
            anyhow::anyhow!(
                "refusing to write `{}`: {why}, outside the output",
                output.path
            )
        })?;
        if let Content::Stream(stream) = &output.content {
            return self.put_stream(path, stream);
        }
        let bytes = content_bytes(&output.content)?;
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let target = self.out.join(path.as_str());
        let entry = match self.in_place(&path, hash, &target) {
            Some(stamp) => Entry {
                path,
                stamp,
                staged: Staged::No,
            },
            None => {
                let (staged, at) = self.staged_place(&path, &target);
                let meta = write_new(&at, &bytes)
                    .with_context(|| format!("cannot write {}", target.display()))?;
                Entry {
                    path,
                    stamp: Stamp::of(hash, &meta),
                    staged,
                }
            }
        };
        drop(bytes);
        self.push(entry);
        Ok(())
    }

    /// Takes a file made piece by piece: its pieces go straight into the staging
    /// folder, hashed on the way, so it is never held whole in memory; when the hash
    /// shows the file in place already holds those bytes, the staged copy is removed
    /// and the file left alone, as [`Writer::put`] does.
    fn put_stream(&self, path: OutPath, stream: &crate::render::Stream) -> Result<()> {
        let target = self.out.join(path.as_str());
        let (staged, at) = self.staged_place(&path, &target);
        let (hash, meta) = write_new_streamed(&at, stream)
            .with_context(|| format!("cannot write {}", target.display()))?;
        let entry = match self.in_place(&path, hash, &target) {
            Some(stamp) => {
                std::fs::remove_file(&at)
                    .with_context(|| format!("cannot remove {}", at.display()))?;
                Entry {
                    path,
                    stamp,
                    staged: Staged::No,
                }
            }
            None => Entry {
                path,
                stamp: Stamp::of(hash, &meta),
                staged,
            },
        };
        self.push(entry);
        Ok(())
    }

    /// The stamp of the previous build's file at `path` when it is still in place and
    /// holds the bytes of `hash`.
    fn in_place(&self, path: &OutPath, hash: u128, target: &Path) -> Option<Stamp> {
        self.old
            .files
            .get(path)
            .and_then(|stamps| stamps.iter().find(|s| s.hash == hash && s.holds(target)))
            .copied()
    }

    /// Where a new file for `path` waits in the staging folder until the commit.
    fn staged_place(&self, path: &OutPath, target: &Path) -> (Staged, PathBuf) {
        // A real folder, not a link to one (the output check refused links).
        let folder_exists = target
            .parent()
            .is_some_and(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()));
        if folder_exists {
            let n = self.next.fetch_add(1, Ordering::Relaxed);
            let at = self
                .staging
                .join(format!("{STAGED_FILES}/{:02x}/{n}", n % STAGED_SHARDS));
            (Staged::Alone(at.clone()), at)
        } else {
            let at = self.staging.join(STAGED_TREE).join(path.as_str());
            (Staged::InTree, at)
        }
    }

    fn push(&self, entry: Entry) {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(entry);
    }

    /// Keeps the file at `path` of the previous build, as it is, when it still holds the
    /// bytes gloss recorded; false otherwise (the caller gives the file instead).
    pub fn keep(&self, path: &str) -> bool {
        self.keep_if(path, None)
    }

    /// [`Writer::keep`], when the bytes recorded are those whose xxh3-128 hash is `hash`
    /// (a file that the caller knows by its bytes, not by what the previous build read).
    pub fn keep_same(&self, path: &str, hash: u128) -> bool {
        self.keep_if(path, Some(hash))
    }

    fn keep_if(&self, path: &str, hash: Option<u128>) -> bool {
        let Ok(path) = OutPath::new(path) else {
            return false;
        };
        let target = self.out.join(path.as_str());
        let Some(stamp) = self
            .old
            .files
            .get(&path)
            .and_then(|stamps| {
                stamps
                    .iter()
                    .find(|s| hash.is_none_or(|h| s.hash == h) && s.holds(&target))
            })
            .copied()
        else {
            return false;
        };
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Entry {
                path,
                stamp,
                staged: Staged::No,
            });
        true
    }

    /// Moves the staged files into place, removes files of the previous build that this
    /// one did not make, and records the new manifest, with `skip` when the output is
    /// exactly what the sources give (see [`up_to_date`]), and `state` (what the build
    /// read, for [`previous_state`]).
    pub fn commit(mut self, skip: Option<Skip<'_>>, state: Option<&[u8]>) -> Result<WriteStats> {
        let entries = std::mem::take(
            &mut *self
                .entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        // Until this write completes, both old and new files count as gloss's, each with
        // the stamps of both versions, so an interrupted build never leaves files the
        // next build would call foreign or could not prove its own.
        let mut manifest = Manifest {
            files: self.old.files.clone(),
            ..Manifest::default()
        };
        for e in entries.iter().filter(|e| e.staged != Staged::No) {
            manifest
                .files
                .entry(e.path.clone())
                .or_default()
                .push(e.stamp);
        }
        write_manifest(&self.ledger, &manifest)?;
        let new_files: std::collections::HashSet<&str> =
            entries.iter().map(|e| e.path.as_str()).collect();
        let new_folders: std::collections::HashSet<&str> =
            entries.iter().flat_map(|e| e.path.folders()).collect();
        let mut stale: Vec<(&OutPath, &Vec<Stamp>)> = self
            .old
            .files
            .iter()
            .filter(|(p, _)| !new_files.contains(p.as_str()))
            .collect();
        stale.sort_unstable_by(|a, b| a.0.cmp(b.0));
        // A stale file where a new folder goes, or in a folder where a new file goes,
        // must go first: the new one cannot be moved in beside it.
        let (blocking, stale): (Vec<_>, Vec<_>) = stale.into_iter().partition(|(p, _)| {
            new_folders.contains(p.as_str()) || p.folders().any(|f| new_files.contains(f))
        });
        let mut stats = WriteStats::default();
        let journal = Journal::new(self.staging.join(BACKUP));
        let published = self.publish(&entries, &blocking, &journal);
        if let Err(e) = published {
            // Put the previous output back, file by file, as it was.
            journal.undo();
            write_manifest(
                &self.ledger,
                &Manifest {
                    files: std::mem::take(&mut self.old.files),
                    ..Manifest::default()
                },
            )?;
            let unchanged = format!("{} was not changed", self.out.display());
            return Err(e.context(format!("the build could not be published: {unchanged}")));
        }
        stats.removed += journal.removed();
        for e in &entries {
            if e.staged != Staged::No {
                stats.written += 1;
            } else {
                stats.unchanged += 1;
            }
        }
        self.remove_stale(&stale, &mut stats)?;
        let new: HashMap<OutPath, Vec<Stamp>> = entries
            .into_iter()
            .map(|e| (e.path, vec![e.stamp]))
            .collect();
        // The record files first: the manifest written next is what makes them count.
        let record = |path: PathBuf, bytes: &[u8]| -> Result<u128> {
            replace_file(&path, bytes)?;
            Ok(xxhash_rust::xxh3::xxh3_128(bytes))
        };
        let state = state
            .map(|bytes| record(self.ledger.state_path(), bytes))
            .transpose()?;
        let warnings = match &skip {
            Some(s) if !s.warnings.is_empty() => {
                Some(record(self.ledger.warnings_path(), s.warnings)?)
            }
            _ => None,
        };
        write_manifest(
            &self.ledger,
            &Manifest {
                files: new,
                sources: skip.map(|s| s.sources),
                warnings,
                state,
            },
        )?;
        self.ledger.remove_legacy();
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.staging);
        Ok(stats)
    }

    /// Moves the staged files into place and the `blocking` stale files out of the way,
    /// every step recorded in `journal` so that a failure can be undone.
    fn publish(
        &self,
        entries: &[Entry],
        blocking: &[(&OutPath, &Vec<Stamp>)],
        journal: &Journal,
    ) -> Result<()> {
        for (rel, stamps) in blocking {
            if let Some(path) = own_file(&self.out, rel).filter(|p| still_ours(p, stamps)) {
                journal.set_aside(&path)?;
                remove_empty_parents(&self.out, &path);
            }
        }
        let tree = self.staging.join(STAGED_TREE);
        if tree.is_dir() {
            move_into(&tree, &self.out, journal)?;
        }
        entries.par_iter().try_for_each(|e| match &e.staged {
            Staged::Alone(from) => journal.place(from, &self.out.join(e.path.as_str())),
            Staged::No | Staged::InTree => Ok(()),
        })
    }

    /// Removes files of the previous build that this one does not make: only those that
    /// are regular files, reached through real folders, holding the bytes gloss recorded.
    /// Any other is left in place with a warning (it is no longer gloss's).
    fn remove_stale(
        &self,
        stale: &[(&OutPath, &Vec<Stamp>)],
        stats: &mut WriteStats,
    ) -> Result<()> {
        for (rel, stamps) in stale {
            let Some(path) = own_file(&self.out, rel) else {
                if std::fs::symlink_metadata(self.out.join(rel.as_str())).is_ok() {
                    tracing::warn!(
                        "left `{rel}` in {}: gloss recorded it, but it is not a plain file reached through plain folders",
                        self.out.display()
                    );
                }
                continue;
            };
            if !still_ours(&path, stamps) {
                tracing::warn!(
                    "left `{rel}` in {}: its bytes are not those gloss wrote there; move or delete it yourself",
                    self.out.display()
                );
                continue;
            }
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
        Ok(())
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
    let mut file = create_new(path)?;
    file.write_all(bytes)?;
    file.metadata()
}

/// Creates `path` as [`write_new`] does, holding the pieces of `stream` written one
/// after the other through a buffer; returns the hash of the bytes and the metadata.
fn write_new_streamed(
    path: &Path,
    stream: &crate::render::Stream,
) -> std::io::Result<(u128, std::fs::Metadata)> {
    /// Hashes what passes through on its way to the file.
    struct Hashing<W> {
        inner: W,
        hash: xxhash_rust::xxh3::Xxh3,
    }
    impl<W: std::io::Write> std::io::Write for Hashing<W> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = self.inner.write(buf)?;
            self.hash.update(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.inner.flush()
        }
    }
    let file = create_new(path)?;
    let mut out = Hashing {
        inner: std::io::BufWriter::with_capacity(1 << 20, file),
        hash: xxhash_rust::xxh3::Xxh3::new(),
    };
    stream.0.write_to(&mut out)?;
    out.flush()?;
    let hash = out.hash.digest128();
    let file = out.inner.into_inner().map_err(|e| e.into_error())?;
    Ok((hash, file.metadata()?))
}

/// Creates `path`, a new file (0644), and the folders above it when they are missing.
fn create_new(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
    // Most pages are the first file in their folder: try the file first, and make the
    // folder only when it is missing (one system call in the common case).
    let file = match options.open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            options.open(path)?
        }
        other => other?,
    };
    Ok(file)
}

/// Moves everything in the folder `from` into the folder `to`: an entry `to` lacks moves
/// with one rename (a whole new folder at once), a folder both have is merged, a file
/// replaces the one in `to`. Subfolders are merged in parallel.
fn move_into(from: &Path, to: &Path, journal: &Journal) -> Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(from)
        .and_then(|d| d.collect())
        .with_context(|| format!("cannot read {}", from.display()))?;
    entries.par_iter().try_for_each(|entry| {
        let target = to.join(entry.file_name());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let target_is_dir = std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir());
        if is_dir && target_is_dir {
            move_into(&entry.path(), &target, journal)
        } else {
            journal.place(&entry.path(), &target)
        }
    })
}

/// In the staging folder: the previous versions of replaced files, kept until the
/// commit completes so a failed one can put them back.
const BACKUP: &str = "backup";

/// One step of a commit, and how to undo it.
#[derive(Debug)]
enum Step {
    /// Something new was moved to `at` (a file, or a whole new folder).
    Placed(PathBuf),
    /// The file at `at` is being replaced; its previous version waits at `backup`.
    Replaced { at: PathBuf, backup: PathBuf },
    /// The file at `at` was moved out of the way to `backup`.
    SetAside { at: PathBuf, backup: PathBuf },
}

/// The steps of a commit so far, so that a commit that fails halfway (an I/O error
/// after some renames) leaves the previous output exactly as it was.
struct Journal {
    backups: PathBuf,
    next: AtomicUsize,
    steps: Mutex<Vec<Step>>,
}

impl Journal {
    fn new(backups: PathBuf) -> Journal {
        Journal {
            backups,
            next: AtomicUsize::new(0),
            steps: Mutex::new(Vec::new()),
        }
    }

    fn record(&self, step: Step) {
        self.steps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(step);
    }

    /// A fresh place for a previous version, spread over subfolders.
    fn backup_path(&self) -> Result<PathBuf> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let dir = self.backups.join(format!("{:02x}", n % STAGED_SHARDS));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(dir.join(n.to_string()))
    }

    /// Moves `from` to `to`, keeping the file `to` replaces. The old file is kept by a
    /// second name (a hard link; a copy where the file system has none), so `to` is
    /// replaced by one rename and is never missing, even under a kill.
    fn place(&self, from: &Path, to: &Path) -> Result<()> {
        fail_for_tests(&self.next)?;
        let replaces = std::fs::symlink_metadata(to).is_ok_and(|m| m.is_file());
        if replaces {
            let backup = self.backup_path()?;
            std::fs::hard_link(to, &backup)
                .or_else(|_| std::fs::copy(to, &backup).map(|_| ()))
                .with_context(|| format!("cannot keep the previous {}", to.display()))?;
            self.record(Step::Replaced {
                at: to.to_path_buf(),
                backup,
            });
        }
        std::fs::rename(from, to).with_context(|| format!("cannot write {}", to.display()))?;
        if !replaces {
            self.record(Step::Placed(to.to_path_buf()));
        }
        Ok(())
    }

    /// Moves the stale file at `path` out of the way.
    fn set_aside(&self, path: &Path) -> Result<()> {
        let backup = self.backup_path()?;
        std::fs::rename(path, &backup)
            .with_context(|| format!("cannot remove stale {}", path.display()))?;
        self.record(Step::SetAside {
            at: path.to_path_buf(),
            backup,
        });
        Ok(())
    }

    /// How many stale files were set aside (removed, once the commit completes).
    fn removed(&self) -> usize {
        self.steps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter(|s| matches!(s, Step::SetAside { .. }))
            .count()
    }

    /// Undoes every step, newest first. Best effort: a step that cannot be undone is
    /// reported, and the rest are still undone.
    fn undo(&self) {
        let steps = std::mem::take(
            &mut *self
                .steps
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for step in steps.into_iter().rev() {
            let undone = match &step {
                Step::Placed(at) if at.is_dir() => std::fs::remove_dir_all(at),
                Step::Placed(at) => std::fs::remove_file(at),
                Step::Replaced { at, backup } => std::fs::rename(backup, at),
                Step::SetAside { at, backup } => at
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::rename(backup, at)),
            };
            if let Err(e) = undone {
                tracing::error!("cannot undo {step:?}: {e}");
            }
        }
    }
}

/// Lets tests make the Nth move of a commit fail (`GLOSS_TEST_FAIL_COMMIT=N`), to check
/// that a failed commit is undone; debug builds only (`cfg!` folds it away in release).
fn fail_for_tests(counter: &AtomicUsize) -> Result<()> {
    if cfg!(debug_assertions)
        && let Some(n) = std::env::var("GLOSS_TEST_FAIL_COMMIT")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        && counter.fetch_add(1, Ordering::Relaxed) >= n
    {
        anyhow::bail!("GLOSS_TEST_FAIL_COMMIT is set");
    }
    Ok(())
}

/// Removes what killed builds left in `out`: staging folders and the temporary file of
/// a manifest being written (only gloss creates such names). Safe only while no other
/// build writes into `out`, which [`lock_output`] ensures.
pub fn remove_leftovers(out: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(out) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", out.display())),
    };
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

/// Writes `outputs` into the output folder of `ledger` (already checked with
/// [`check_output_dir`]).
pub fn write(outputs: &[Output], ledger: &Ledger) -> Result<WriteStats> {
    let writer = Writer::begin(ledger)?;
    outputs.par_iter().try_for_each(|o| writer.put(o.clone()))?;
    writer.commit(None, None)
}

/// What the build that wrote the files of `ledger`'s output folder read (the `state` it
/// committed), when its manifest names it and the record is intact; `None` otherwise.
pub fn previous_state(ledger: &Ledger) -> Option<Vec<u8>> {
    let hash = read_manifest(ledger).ok()??.state?;
    let path = ledger.state_path();
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    (xxhash_rust::xxh3::xxh3_128(&bytes) == hash).then_some(bytes)
}

/// What lets the next build skip its work ([`Writer::commit`]).
#[derive(Debug, Clone, Copy)]
pub struct Skip<'a> {
    /// The fingerprint of the sources (see `driver::fingerprint`).
    pub sources: u128,
    /// The build's warnings, as the build command records them (empty: none).
    pub warnings: &'a [u8],
}

/// When the output folder of `ledger` holds, intact, the output of a build from
/// sources with fingerprint `sources`: its number of files and the warnings that build
/// recorded (empty when none); `None` otherwise, also when the warnings record is gone
/// or damaged (the build must run to show them).
pub fn up_to_date(ledger: &Ledger, sources: u128) -> Option<(usize, Vec<u8>)> {
    let manifest = read_manifest(ledger).ok()??;
    if manifest.sources != Some(sources) {
        return None;
    }
    let warnings = match manifest.warnings {
        None => Vec::new(),
        Some(hash) => {
            let path = ledger.warnings_path();
            let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            let bytes = std::fs::read(&path).ok().filter(|_| is_file)?;
            (xxhash_rust::xxh3::xxh3_128(&bytes) == hash).then_some(bytes)?
        }
    };
    let out = ledger.out();
    let intact = manifest.files.par_iter().all(|(path, stamps)| {
        let at = out.join(path.as_str());
        stamps.iter().any(|s| s.holds(&at))
    });
    intact.then_some((manifest.files.len(), warnings))
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
