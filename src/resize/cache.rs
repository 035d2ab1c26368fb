//! The cache of resized copies, `.gloss/images/` beside `site.yaml`, kept across builds
//! so a rebuild makes no copy twice. An entry is named by its key (a hash of the
//! original's bytes, the width, the quality and the pipeline's version) and a hash of its
//! own bytes: `<key>-<sum>.<ext>`. An entry whose bytes do not match its sum (cut short,
//! edited, or a stray file) is ignored, removed and made again; the cache is never
//! trusted over the sources. Like the build records, it is never read or written through
//! a symlink (see [`crate::write::Ledger`]). A build that made every copy of the site
//! prunes the entries it did not use (as Zola prunes its processed images), so the
//! folder holds what the site shows, not every width an image ever had.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Result;

/// The cache's folder under the bookkeeping folder.
pub const CACHE_DIR: &str = "images";

/// The key of a copy `width` pixels wide at `quality` of an image whose bytes hash to
/// `hash`, made by pipeline version `pipeline`.
pub(super) fn key(hash: u128, width: u32, quality: u8, pipeline: u32) -> String {
    format!("{hash:032x}-{width}w-q{quality}-v{pipeline}")
}

/// The entries found when the build began.
pub(super) struct Cache {
    dir: PathBuf,
    /// Key -> (file name, the hash its bytes must have).
    entries: HashMap<String, (String, u64)>,
    /// The keys this build read or stored.
    used: Mutex<HashSet<String>>,
}

impl Cache {
    /// Opens (creating it when missing) the cache of the site at `root`.
    pub(super) fn open(root: &Path) -> Result<Cache> {
        let dir = crate::write::cache_dir(root, CACHE_DIR)?;
        let mut entries = HashMap::new();
        if let Ok(list) = std::fs::read_dir(&dir) {
            for item in list.flatten() {
                let is_file = item.file_type().is_ok_and(|t| t.is_file());
                let name = item.file_name();
                let Some(name) = name.to_str().filter(|_| is_file) else {
                    continue;
                };
                if let Some((key, sum)) = parse(name) {
                    entries.insert(key.to_string(), (name.to_string(), sum));
                }
            }
        }
        Ok(Cache {
            dir,
            entries,
            used: Mutex::default(),
        })
    }

    /// Opens the cache of the site at `root` only when its folder is there already.
    pub(super) fn existing(root: &Path) -> Result<Option<Cache>> {
        let dir = crate::write::bookkeeping_dir(root).join(CACHE_DIR);
        let is_dir = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir());
        is_dir.then(|| Cache::open(root)).transpose()
    }

    /// Removes the entries found at opening that this build neither read nor stored;
    /// returns how many. Only entry names are touched (a stray file or a symlink in the
    /// folder stays: the listing skipped them).
    pub(super) fn prune(&self) -> usize {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut removed = 0;
        for (key, (name, _)) in &self.entries {
            if !used.contains(key) && std::fs::remove_file(self.dir.join(name)).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    fn mark_used(&self, key: &str) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.insert(key.to_string());
    }

    /// The file of the entry `key`, when there is one and its bytes are whole; a broken
    /// one is removed.
    pub(super) fn get(&self, key: &str) -> Option<PathBuf> {
        let (name, sum) = self.entries.get(key)?;
        let path = self.dir.join(name);
        let whole = crate::load::open_no_follow(&path)
            .and_then(|mut f| {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut bytes).map(|_| bytes)
            })
            .is_ok_and(|bytes| xxhash_rust::xxh3::xxh3_64(&bytes) == *sum);
        if whole {
            self.mark_used(key);
            return Some(path);
        }
        tracing::debug!("images: cache entry {name} is damaged: made again");
        let _ = std::fs::remove_file(&path);
        None
    }

    /// Stores `bytes` as the entry `key` (through a temporary file and a rename) and
    /// returns its file.
    pub(super) fn put(&self, key: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf> {
        let sum = xxhash_rust::xxh3::xxh3_64(bytes);
        let path = self.dir.join(format!("{key}-{sum:016x}.{ext}"));
        crate::write::replace_file(&path, bytes)?;
        self.mark_used(key);
        Ok(path)
    }
}

/// The key and sum of an entry's file name, `<key>-<sum>.<ext>`.
fn parse(name: &str) -> Option<(&str, u64)> {
    let (stem, _ext) = name.rsplit_once('.')?;
    let (key, sum) = stem.rsplit_once('-')?;
    if sum.len() != 16 {
        return None;
    }
    Some((key, u64::from_str_radix(sum, 16).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_content_width_quality_and_pipeline() {
        let k = key(1, 480, 82, 1);
        assert_eq!(k, "00000000000000000000000000000001-480w-q82-v1");
        for other in [
            key(2, 480, 82, 1),
            key(1, 960, 82, 1),
            key(1, 480, 80, 1),
            key(1, 480, 82, 2),
        ] {
            assert_ne!(k, other);
        }
        let name = format!("{k}-00000000000000ff.png");
        assert_eq!(parse(&name), Some((k.as_str(), 255)));
        assert_eq!(parse("stray.png"), None);
    }

    #[test]
    fn a_damaged_entry_is_not_used_and_is_removed() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cache = Cache::open(root.path()).unwrap_or_else(|e| panic!("{e}"));
        let k = key(7, 480, 82, 1);
        let path = cache
            .put(&k, "png", b"copy")
            .unwrap_or_else(|e| panic!("{e}"));
        let cache = Cache::open(root.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cache.get(&k), Some(path.clone()));
        std::fs::write(&path, b"cop").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cache.get(&k), None);
        assert!(!path.exists());
    }

    #[test]
    fn pruning_removes_only_the_entries_this_build_did_not_use() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cache = Cache::open(root.path()).unwrap_or_else(|e| panic!("{e}"));
        let (kept, gone) = (key(1, 480, 82, 1), key(2, 480, 82, 1));
        let kept_path = cache
            .put(&kept, "png", b"a")
            .unwrap_or_else(|e| panic!("{e}"));
        let gone_path = cache
            .put(&gone, "png", b"b")
            .unwrap_or_else(|e| panic!("{e}"));
        let stray = cache.dir.join("notes.txt");
        std::fs::write(&stray, b"mine").unwrap_or_else(|e| panic!("{e}"));
        let cache = Cache::open(root.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(cache.get(&kept).is_some());
        let new = key(3, 480, 82, 1);
        let new_path = cache
            .put(&new, "png", b"c")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cache.prune(), 1);
        assert!(kept_path.exists() && new_path.exists() && stray.exists());
        assert!(!gone_path.exists());
    }
}
