//! The persistent build cache, `.gloss/cache/build.redb` beside `site.yaml`: what a
//! run parsed, kept for the next run in any later process (and on CI, restored), so a
//! build after a one-article edit parses one file instead of every file.
//!
//! Input: byte values by a 128-bit key (see [`crate::load::ParseCache`]). Output: the
//! same bytes in a later run, or nothing. The cache is never trusted over the sources:
//! keys hash the file's path and bytes, each value carries a checksum and must decode,
//! and a cache made by another gloss binary, of another format, or that cannot be read
//! (truncated, garbage, not a database) is set aside with a notice and a new one
//! started. Deleting `.gloss/cache/` is always safe.
//!
//! One redb file rather than a folder of files by hash: the two read alike, but a run
//! that changes one entry commits one small transaction instead of creating a file, a
//! run killed midway leaves the last committed state (redb is transactional), and the
//! site's disk gets one file instead of one per article (README, The build cache).
//!
//! It is also where a run keeps what it need not hold in memory (the rendered bodies'
//! HTML, read back when a page shows them): entries are written in batches of about
//! [`BATCH`] bytes as they come, so memory holds one batch, not the site. With
//! `--no-cache` the same store lives in a scratch file that the run deletes.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, RwLock};

use redb::{ReadableDatabase as _, ReadableTable as _, ReadableTableMetadata as _};

/// Parsed files and rendered bodies: key -> checksum (8 bytes, little-endian xxh3-64 of
/// what follows) + the postcard bytes, LZ4-compressed with their size in front.
const PARSED: redb::TableDefinition<u128, &[u8]> = redb::TableDefinition::new("parsed");
/// Parts of whole-site files (each article's share of `/annotations.jsonld`): key ->
/// checksum + bytes, as in [`PARSED`]. Kept apart because they are pruned otherwise:
/// when the file is made again, to the parts it was made of.
const PARTS: redb::TableDefinition<u128, &[u8]> = redb::TableDefinition::new("parts");
/// What the search index keeps between runs (each document's terms, the shards' postings,
/// the list of both): key -> checksum + bytes, as in [`PARTS`], pruned when the index is
/// made again, to what it was made of (`render::search`'s state).
const SEARCH: redb::TableDefinition<u128, &[u8]> = redb::TableDefinition::new("search");
/// What made the cache: [`FORMAT`] and the gloss binary.
const META: redb::TableDefinition<&str, &str> = redb::TableDefinition::new("meta");

/// The layout of the cache's values; a new layout starts a new cache.
const FORMAT: &str = "2";

/// The cache's file, under the bookkeeping folder.
pub(crate) const FILE: &str = "build.redb";

/// How many bytes of new entries are held before they are written: large enough that
/// a cold build of 10^5 articles commits a few dozen times, small enough that memory
/// does not grow with the site.
const BATCH: usize = 32 << 20;

/// The memory redb may use to cache the file's pages.
const CACHE_BYTES: usize = 16 << 20;

/// The build cache of one site, open for a run.
pub(crate) struct Store {
    path: PathBuf,
    db: redb::Database,
    /// A read view of what is written: every lookup reads it; renewed after each write.
    read: RwLock<Option<redb::ReadOnlyTable<u128, &'static [u8]>>>,
    /// The same for [`PARTS`].
    read_parts: RwLock<Option<redb::ReadOnlyTable<u128, &'static [u8]>>>,
    /// The same for [`SEARCH`].
    read_search: RwLock<Option<redb::ReadOnlyTable<u128, &'static [u8]>>>,
    /// The parts to keep ([`crate::link::BodyStore::retain_parts`]); the others go at
    /// the next write.
    retain: Mutex<Option<HashSet<u128>>>,
    /// The search entries to keep ([`crate::link::BodyStore::retain_search`]).
    retain_search: Mutex<Option<HashSet<u128>>>,
    /// Entries made by this run and not written yet.
    fresh: Mutex<Fresh>,
    /// A scratch store (`--no-cache`): deleted when dropped, never pruned.
    scratch: bool,
    /// Keys this run looked up and found, so entries no file uses any more are dropped.
    used: Mutex<HashSet<u128>>,
    /// Lookups that found nothing usable, for the log.
    missed: std::sync::atomic::AtomicUsize,
}

/// New entries waiting to be written, and their size in bytes.
#[derive(Default)]
struct Fresh {
    entries: HashMap<u128, Vec<u8>>,
    /// New parts ([`PARTS`]).
    parts: HashMap<u128, Vec<u8>>,
    /// New search entries ([`SEARCH`]).
    search: HashMap<u128, Vec<u8>>,
    bytes: usize,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if self.scratch {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Which gloss made a cache: its version and a hash of the running binary, so a
/// rebuilt gloss (whose parser may differ under the same version) starts a new cache.
pub(crate) fn identity() -> String {
    // Lets tests make a cache that looks foreign; debug builds only (`cfg!` folds the
    // check away in release builds).
    if cfg!(debug_assertions)
        && let Some(v) = std::env::var_os("GLOSS_TEST_CACHE_IDENTITY")
    {
        return v.to_string_lossy().into_owned();
    }
    let exe = std::env::current_exe()
        .and_then(std::fs::read)
        .map(|bytes| format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)))
        .unwrap_or_else(|_| "unknown".into());
    format!("gloss {} {exe}", env!("CARGO_PKG_VERSION"))
}

/// How much of the cache file [`read_ahead`] asks for at a time: the kernel reads each
/// request in order, so lookups meet pages already on their way.
const AHEAD_CHUNK: u64 = 16 << 20;

/// Asks the kernel to read the cache file into its page cache, from a thread of its own,
/// while the run looks entries up. A run takes every article's entries from the file
/// (front matter, bodies) in hash order, that is at random places: with the file out of
/// memory (after a reboot, or a large build) and a busy disk, 10^5 articles took 139 s
/// to load, 5.9 s with this (README, Previewing). Pages already cached are not read
/// again; elsewhere than on Linux, nothing is done.
fn read_ahead(path: &Path) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd as _;
        let Ok(file) = std::fs::File::open(path) else {
            return;
        };
        let len = file.metadata().map_or(0, |m| m.len());
        let spawned = std::thread::Builder::new()
            .name("gloss-cache-ahead".into())
            .spawn(move || {
                let mut at = 0;
                while at < len {
                    let n = AHEAD_CHUNK.min(len - at);
                    let (Ok(offset), Ok(count)) =
                        (libc::off_t::try_from(at), libc::off_t::try_from(n))
                    else {
                        return;
                    };
                    // SAFETY: a hint about an open file's pages; it reads nothing into
                    // this process's memory.
                    unsafe {
                        libc::posix_fadvise(
                            file.as_raw_fd(),
                            offset,
                            count,
                            libc::POSIX_FADV_WILLNEED,
                        );
                    }
                    at += n;
                }
            });
        if let Err(e) = spawned {
            tracing::debug!("build cache: cannot read ahead: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

impl Store {
    /// Opens (or starts) the build cache of the site at `root`. `None`, with a warning,
    /// when it cannot be kept there at all: the run goes on without it.
    pub(crate) fn open(root: &Path) -> Option<Store> {
        let dir = match crate::write::cache_dir(root, "cache") {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!("building without the build cache: {e:#}");
                return None;
            }
        };
        let path = dir.join(FILE);
        // Never through a link: the cache is gloss's own file.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            tracing::warn!(
                "building without the build cache: {} is not a plain file (remove it; gloss makes a new one)",
                path.display()
            );
            return None;
        }
        let me = identity();
        match Store::open_at(&path, &me) {
            Ok(store) => {
                read_ahead(&path);
                Some(store)
            }
            Err(why) => {
                tracing::warn!(
                    "ignoring the build cache {}: {why}; starting a new one",
                    path.display()
                );
                let _ = std::fs::remove_file(&path);
                Store::open_at(&path, &me)
                    .map_err(|e| tracing::warn!("building without the build cache: {e}"))
                    .ok()
            }
        }
    }

    /// Opens the database at `path` and checks who made it; an error when it cannot be
    /// read as a cache at all.
    fn open_at(path: &Path, me: &str) -> Result<Store, String> {
        // redb's page cache would otherwise grow to 1 GiB with the bodies written and
        // read: the store is there to keep them out of memory.
        let db = redb::Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(|e| format!("{e}"))?;
        let made_by = Store::made_by(&db).map_err(|e| format!("{e}"))?;
        let expected = format!("{FORMAT} {me}");
        if made_by.as_deref() != Some(expected.as_str()) {
            if let Some(other) = made_by {
                tracing::info!(
                    "the build cache was made by another gloss or cache format (`{other}`): starting a new one"
                );
            }
            let tx = db.begin_write().map_err(|e| format!("{e}"))?;
            tx.delete_table(PARSED).map_err(|e| format!("{e}"))?;
            tx.delete_table(PARTS).map_err(|e| format!("{e}"))?;
            tx.delete_table(SEARCH).map_err(|e| format!("{e}"))?;
            {
                let mut meta = tx.open_table(META).map_err(|e| format!("{e}"))?;
                meta.insert("made-by", expected.as_str())
                    .map_err(|e| format!("{e}"))?;
                tx.open_table(PARSED).map_err(|e| format!("{e}"))?;
                tx.open_table(PARTS).map_err(|e| format!("{e}"))?;
                tx.open_table(SEARCH).map_err(|e| format!("{e}"))?;
            }
            tx.commit().map_err(|e| format!("{e}"))?;
        }
        let read = read_view(&db).map_err(|e| format!("{e}"))?;
        let read_parts = table_view(&db, PARTS);
        let read_search = table_view(&db, SEARCH);
        tracing::debug!(
            "build cache: {} entries in {}",
            read.len().unwrap_or(0),
            path.display()
        );
        Ok(Store {
            path: path.to_path_buf(),
            db,
            read: RwLock::new(Some(read)),
            read_parts: RwLock::new(read_parts),
            read_search: RwLock::new(read_search),
            retain: Mutex::default(),
            retain_search: Mutex::default(),
            fresh: Mutex::default(),
            scratch: false,
            used: Mutex::default(),
            missed: 0.into(),
        })
    }

    /// A store for this run only (`--no-cache`): a new file under `.gloss/spill/`,
    /// deleted when the store is dropped, so a build without the cache still keeps its
    /// rendered bodies out of memory. `None`, with a warning, when it cannot be made:
    /// the bodies stay in memory.
    pub(crate) fn scratch(root: &Path) -> Option<Store> {
        let made = (|| -> anyhow::Result<Store> {
            let dir = crate::write::cache_dir(root, "spill")?;
            let path = dir.join(format!("run-{}.redb", std::process::id()));
            let _ = std::fs::remove_file(&path);
            let mut store = Store::open_at(&path, "scratch").map_err(anyhow::Error::msg)?;
            store.scratch = true;
            Ok(store)
        })();
        made.map_err(|e| tracing::warn!("keeping rendered bodies in memory: {e:#}"))
            .ok()
    }

    /// The `made-by` record of `db`; `None` for a new (empty) database.
    fn made_by(db: &redb::Database) -> Result<Option<String>, redb::Error> {
        let tx = db.begin_read()?;
        let meta = match tx.open_table(META) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(meta.get("made-by")?.map(|v| v.value().to_string()))
    }

    /// Stores what this run made and drops the entries it did not use (when `prune`:
    /// the run read every file of the site). A failure is a warning: the next run
    /// parses those files again.
    pub(crate) fn save(&self, prune: bool) {
        let stale: Vec<u128> = {
            let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
            let read = self.read.read().unwrap_or_else(PoisonError::into_inner);
            match &*read {
                Some(read) if prune && !self.scratch => read
                    .iter()
                    .map(|it| {
                        it.filter_map(Result::ok)
                            .map(|(k, _)| k.value())
                            .filter(|k| !used.contains(k))
                            .collect()
                    })
                    .unwrap_or_default(),
                _ => Vec::new(),
            }
        };
        let mut fresh = self.fresh.lock().unwrap_or_else(PoisonError::into_inner);
        self.write(&mut fresh, &stale);
    }

    /// Writes the entries of `fresh` and removes those of `stale` in one transaction,
    /// then renews the read view. Called with `fresh` locked, so a lookup of an entry
    /// being written waits for it instead of missing it.
    fn write(&self, fresh: &mut Fresh, stale: &[u128]) {
        let retain = self
            .retain
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let retain_search = self
            .retain_search
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if fresh.entries.is_empty()
            && fresh.parts.is_empty()
            && fresh.search.is_empty()
            && stale.is_empty()
            && retain.is_none()
            && retain_search.is_none()
        {
            return;
        }
        let entries = std::mem::take(&mut fresh.entries);
        let parts = std::mem::take(&mut fresh.parts);
        let search = std::mem::take(&mut fresh.search);
        fresh.bytes = 0;
        let saved = (|| -> Result<usize, redb::Error> {
            let tx = self.db.begin_write()?;
            let mut dropped = 0;
            {
                let mut table = tx.open_table(PARSED)?;
                for k in stale {
                    table.remove(k)?;
                }
                for (k, v) in &entries {
                    table.insert(k, v.as_slice())?;
                }
                let mut table = tx.open_table(PARTS)?;
                if let Some(keep) = &retain {
                    let before = table.len()?;
                    table.retain(|k, _| keep.contains(&k) || parts.contains_key(&k))?;
                    dropped = before.saturating_sub(table.len()?);
                }
                for (k, v) in &parts {
                    table.insert(k, v.as_slice())?;
                }
                let mut table = tx.open_table(SEARCH)?;
                if let Some(keep) = &retain_search {
                    table.retain(|k, _| keep.contains(&k) || search.contains_key(&k))?;
                }
                for (k, v) in &search {
                    table.insert(k, v.as_slice())?;
                }
            }
            tx.commit()?;
            Ok(usize::try_from(dropped).unwrap_or(usize::MAX))
        })();
        match saved {
            Ok(dropped) => tracing::debug!(
                "build cache: {} entries stored, {} dropped; {} parts stored, {dropped} dropped",
                entries.len(),
                stale.len(),
                parts.len()
            ),
            Err(e) => {
                tracing::warn!("cannot update the build cache {}: {e}", self.path.display());
                // Kept in memory: this run still finds them.
                fresh.bytes = entries
                    .values()
                    .chain(parts.values())
                    .chain(search.values())
                    .map(Vec::len)
                    .sum();
                fresh.entries = entries;
                fresh.parts = parts;
                fresh.search = search;
                *self.retain.lock().unwrap_or_else(PoisonError::into_inner) = retain;
                *self
                    .retain_search
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = retain_search;
                return;
            }
        }
        *self.read.write().unwrap_or_else(PoisonError::into_inner) = read_view(&self.db).ok();
        *self
            .read_parts
            .write()
            .unwrap_or_else(PoisonError::into_inner) = table_view(&self.db, PARTS);
        *self
            .read_search
            .write()
            .unwrap_or_else(PoisonError::into_inner) = table_view(&self.db, SEARCH);
    }

    /// How many lookups found nothing usable so far.
    pub(crate) fn missed(&self) -> usize {
        self.missed.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A read view of the entries, as the database holds them now.
fn read_view(db: &redb::Database) -> Result<redb::ReadOnlyTable<u128, &'static [u8]>, redb::Error> {
    Ok(db.begin_read()?.open_table(PARSED)?)
}

/// A read view of the parts or the search entries; `None` when the table cannot be read
/// (then nothing is found in it, and each entry is made again).
fn table_view(
    db: &redb::Database,
    table: redb::TableDefinition<u128, &[u8]>,
) -> Option<redb::ReadOnlyTable<u128, &'static [u8]>> {
    db.begin_read().ok()?.open_table(table).ok()
}

/// The tables of values by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Parsed,
    Parts,
    Search,
}

impl Store {
    /// The value stored under `key` in `table`, its checksum checked: written, or waiting
    /// to be.
    fn lookup_in(&self, key: u128, table: Table) -> Option<Vec<u8>> {
        let read = match table {
            Table::Parsed => &self.read,
            Table::Parts => &self.read_parts,
            Table::Search => &self.read_search,
        };
        // The entries waiting first, then the database: a write holds `fresh` until it
        // has renewed the read view, so an entry it moves is found on one side or the
        // other. (The other order missed it while a write ran: found neither in the old
        // view nor, once the write was done, among the entries waiting; serve's pages,
        // rendered while the cache is saved, caught it.)
        let waiting = {
            let fresh = self.fresh.lock().unwrap_or_else(PoisonError::into_inner);
            let entries = match table {
                Table::Parsed => &fresh.entries,
                Table::Parts => &fresh.parts,
                Table::Search => &fresh.search,
            };
            entries.get(&key).cloned()
        };
        let stored = waiting.or_else(|| {
            let read = read.read().unwrap_or_else(PoisonError::into_inner);
            let found = read.as_ref().and_then(|t| t.get(key).ok().flatten());
            found.map(|v| v.value().to_vec())
        })?;
        let (sum, packed) = stored.split_first_chunk::<8>()?;
        // A damaged entry is a miss, not an error: the file is parsed again.
        if u64::from_le_bytes(*sum) != xxhash_rust::xxh3::xxh3_64(packed) {
            return None;
        }
        lz4_flex::decompress_size_prepended(packed).ok()
    }

    /// True when a part is stored under `key` with an intact checksum: what
    /// [`Store::lookup_in`] checks, without copying or decompressing the bytes.
    fn holds_part(&self, key: u128) -> bool {
        let intact = |stored: &[u8]| {
            stored
                .split_first_chunk::<8>()
                .is_some_and(|(sum, packed)| {
                    u64::from_le_bytes(*sum) == xxhash_rust::xxh3::xxh3_64(packed)
                })
        };
        {
            let fresh = self.fresh.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(stored) = fresh.parts.get(&key) {
                return intact(stored);
            }
        }
        let read = self
            .read_parts
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        read.as_ref()
            .and_then(|t| t.get(key).ok().flatten())
            .is_some_and(|v| intact(v.value()))
    }

    fn lookup(&self, key: u128) -> Option<Vec<u8>> {
        self.lookup_in(key, Table::Parsed)
    }

    /// Keeps `value` under `key` in `table`; written once a batch is full, or by
    /// [`Store::save`].
    fn keep_in(&self, key: u128, value: &[u8], table: Table) {
        // Rendered HTML and front matter shrink to about a third (README, The build
        // cache); LZ4 costs a few ms per MB on one core, both ways.
        let packed = lz4_flex::compress_prepend_size(value);
        let mut stored = Vec::with_capacity(packed.len() + 8);
        stored.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&packed).to_le_bytes());
        stored.extend_from_slice(&packed);
        if table == Table::Parsed {
            self.used
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(key);
        }
        let mut fresh = self.fresh.lock().unwrap_or_else(PoisonError::into_inner);
        fresh.bytes += stored.len();
        match table {
            Table::Parsed => fresh.entries.insert(key, stored),
            Table::Parts => fresh.parts.insert(key, stored),
            Table::Search => fresh.search.insert(key, stored),
        };
        if fresh.bytes >= BATCH {
            self.write(&mut fresh, &[]);
        }
    }

    fn keep(&self, key: u128, value: &[u8]) {
        self.keep_in(key, value, Table::Parsed);
    }
}

impl crate::load::ParseCache for Store {
    fn get(&self, key: u128) -> Option<Vec<u8>> {
        let value = self.lookup(key);
        match &value {
            Some(_) => {
                self.used
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key);
            }
            None => {
                self.missed
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        value
    }

    fn put(&self, key: u128, value: Vec<u8>) {
        self.keep(key, &value);
    }

    fn peek(&self, key: u128) -> Option<Vec<u8>> {
        crate::link::BodyStore::get(self, key)
    }
}

impl crate::link::BodyStore for Store {
    fn get(&self, key: u128) -> Option<Vec<u8>> {
        let value = self.lookup(key)?;
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key);
        Some(value)
    }

    fn put(&self, key: u128, value: Vec<u8>) {
        self.keep(key, &value);
    }

    fn get_part(&self, key: u128) -> Option<Vec<u8>> {
        self.lookup_in(key, Table::Parts)
    }

    fn has_part(&self, key: u128) -> bool {
        self.holds_part(key)
    }

    fn put_part(&self, key: u128, value: Vec<u8>) -> Option<Vec<u8>> {
        self.keep_in(key, &value, Table::Parts);
        None
    }

    fn retain_parts(&self, keys: HashSet<u128>) {
        *self.retain.lock().unwrap_or_else(PoisonError::into_inner) = Some(keys);
    }

    fn keeps_search(&self) -> bool {
        // A scratch store lives for one run: what the index keeps is for the next.
        !self.scratch
    }

    fn get_search(&self, key: u128) -> Option<Vec<u8>> {
        self.lookup_in(key, Table::Search)
    }

    fn put_search(&self, key: u128, value: &[u8]) -> bool {
        if self.scratch {
            return false;
        }
        self.keep_in(key, value, Table::Search);
        true
    }

    fn retain_search(&self, keys: HashSet<u128>) {
        *self
            .retain_search
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(keys);
    }
}

#[cfg(test)]
mod tests;
