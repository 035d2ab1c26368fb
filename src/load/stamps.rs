//! Loading without reading unchanged files: the build cache records, per article file,
//! its size, modification time and inode (its "stamp") with the hash of the bytes it
//! held, so a later run takes an article whose stamp is the same from the cache
//! without opening the file, as git trusts its index.
//!
//! The "racy git" rule keeps this exact: a stamp is trusted only when the file's
//! modification time is more than [`RACY`] older than the start of the run that
//! recorded it. A file written in the same second as that run read it (a file system
//! that keeps whole seconds gives both the same time) is read again, however its stamp
//! compares. The stamp is taken before the file is read, so an edit while it is read
//! leaves a stamp that no longer matches.

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use super::Loaded;
use super::cached::{ParseCache, Parsed};
use super::walk::{Entry, FileKind};
use crate::diag::Diagnostics;

/// How much older than the recording run's start a file's modification time must be
/// for its stamp to be trusted: the coarsest file system time gloss expects (FAT keeps
/// two seconds).
const RACY: u128 = 2_000_000_000;

/// What a file's metadata says of it, without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Stamp {
    len: u64,
    /// Nanoseconds since the Unix epoch.
    mtime: u128,
    /// The inode (0 where there is none): a file replaced by a rename gets a new one.
    ino: u64,
}

/// A stamp as a run recorded it: the stamp, the hash of the file's bytes (its parse
/// cache key) and when that run started (nanoseconds since the epoch).
#[derive(serde::Serialize, serde::Deserialize)]
struct Record {
    stamp: Stamp,
    key: u128,
    run_start: u128,
}

/// Nanoseconds since the epoch of `t` (0 before it).
pub(super) fn nanos(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

/// The stamp of the file at `path`, if its metadata can be read.
pub(super) fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let ino = 0;
    Some(Stamp {
        len: meta.len(),
        mtime: nanos(meta.modified().ok()?),
        ino,
    })
}

/// The cache key of the record of the file at `rel`.
fn record_key(rel: &Path) -> u128 {
    use std::hash::Hasher as _;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.write(b"stamp\0");
    h.write(rel.as_os_str().as_encoded_bytes());
    h.digest128()
}

/// True for the files whose stamps are recorded and trusted: articles, the bulk of a
/// site (a profile's or page's body is held, so its file is read anyway).
pub(super) fn applies(entry: &Entry) -> bool {
    matches!(entry.kind, FileKind::Article { .. })
}

/// The article at `entry`, taken from `cache` without reading its file, when the stamp
/// recorded for it matches and is trusted; with its diagnostics and key.
pub(super) fn unchanged(
    root: &Path,
    entry: &Entry,
    cache: &dyn ParseCache,
) -> Option<(Loaded, Diagnostics, u128)> {
    if !applies(entry) {
        return None;
    }
    let bytes = cache.peek(record_key(&entry.rel))?;
    let record: Record = postcard::from_bytes(&bytes).ok()?;
    if record.stamp.mtime.saturating_add(RACY) >= record.run_start {
        return None;
    }
    if stamp(&root.join(&entry.rel))? != record.stamp {
        return None;
    }
    let (parsed, diags): (Parsed, Diagnostics) =
        postcard::from_bytes(&cache.peek(record.key)?).ok()?;
    let loaded = match parsed {
        Parsed::Article(mut a) => {
            Arc::make_mut(&mut a).source_hash = record.key;
            Loaded::Article(a)
        }
        Parsed::Nothing => Loaded::Nothing,
        Parsed::Profile(_) | Parsed::Page(_) => return None,
    };
    // The record stays (a lookup that finds an entry keeps it), for the next run to
    // trust on the same terms.
    Some((loaded, diags, record.key))
}

/// Records that the file at `entry`, whose stamp was `stamp` before it was read in the
/// run that started at `run_start`, held the bytes of parse key `key`.
pub(super) fn record(
    cache: &dyn ParseCache,
    entry: &Entry,
    stamp: Stamp,
    key: u128,
    run_start: u128,
) {
    let record = Record {
        stamp,
        key,
        run_start,
    };
    if let Ok(bytes) = postcard::to_stdvec(&record) {
        cache.put(record_key(&entry.rel), bytes);
    }
}
