//! The build cache keeps values between opens, and ignores (and replaces) a cache it
//! cannot trust: damaged values, garbage files, another gloss's cache.

use super::*;
use crate::load::ParseCache as _;

fn site() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn file(root: &Path) -> PathBuf {
    root.join(".gloss/cache").join(FILE)
}

fn open(root: &Path) -> Store {
    Store::open(root).unwrap_or_else(|| panic!("no store"))
}

#[test]
fn values_put_are_found_by_a_later_open() {
    let dir = site();
    let store = open(dir.path());
    assert_eq!(store.get(7), None);
    store.put(7, b"seven".to_vec());
    store.save(true);
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.get(7).as_deref(), Some(&b"seven"[..]));
    assert_eq!(store.missed(), 0);
}

#[test]
fn a_full_run_drops_the_entries_it_did_not_use() {
    let dir = site();
    let store = open(dir.path());
    store.put(1, b"one".to_vec());
    store.put(2, b"two".to_vec());
    store.save(true);
    drop(store);
    let store = open(dir.path());
    assert!(store.get(1).is_some());
    store.save(true);
    drop(store);
    let store = open(dir.path());
    assert!(store.get(1).is_some());
    assert_eq!(store.get(2), None, "unused entries are dropped");
}

#[test]
fn a_garbage_file_is_replaced_by_a_new_cache() {
    let dir = site();
    drop(open(dir.path()));
    std::fs::write(file(dir.path()), b"not a database at all").unwrap_or_else(|e| panic!("{e}"));
    let store = open(dir.path());
    assert_eq!(store.get(1), None);
    store.put(1, b"one".to_vec());
    store.save(true);
    drop(store);
    assert!(open(dir.path()).get(1).is_some());
}

#[test]
fn a_truncated_file_is_replaced_by_a_new_cache() {
    let dir = site();
    let store = open(dir.path());
    for k in 0..200u128 {
        store.put(k, vec![7; 1000]);
    }
    store.save(true);
    drop(store);
    let bytes = std::fs::read(file(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(file(dir.path()), &bytes[..bytes.len() / 3]).unwrap_or_else(|e| panic!("{e}"));
    let store = open(dir.path());
    // Whatever survives must be whole: a value is its checksum's or nothing.
    for k in 0..200u128 {
        if let Some(v) = store.get(k) {
            assert_eq!(v, vec![7; 1000]);
        }
    }
}

#[test]
fn a_damaged_value_is_a_miss() {
    let dir = site();
    let store = open(dir.path());
    let tx = store.db.begin_write().unwrap_or_else(|e| panic!("{e}"));
    {
        let mut t = tx.open_table(PARSED).unwrap_or_else(|e| panic!("{e}"));
        t.insert(5, &b"\0\0\0\0\0\0\0\0bytes"[..])
            .unwrap_or_else(|e| panic!("{e}"));
        t.insert(6, &b"ab"[..]).unwrap_or_else(|e| panic!("{e}"));
    }
    tx.commit().unwrap_or_else(|e| panic!("{e}"));
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.get(5), None);
    assert_eq!(store.get(6), None);
    assert_eq!(store.missed(), 2);
}

#[test]
fn another_gloss_s_cache_is_emptied() {
    let dir = site();
    let db = redb::Database::create({
        std::fs::create_dir_all(dir.path().join(".gloss/cache")).unwrap_or_else(|e| panic!("{e}"));
        file(dir.path())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let tx = db.begin_write().unwrap_or_else(|e| panic!("{e}"));
    {
        let mut meta = tx.open_table(META).unwrap_or_else(|e| panic!("{e}"));
        meta.insert("made-by", "1 gloss 0.0.1 0123")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut t = tx.open_table(PARSED).unwrap_or_else(|e| panic!("{e}"));
        let value = b"old";
        let mut stored = xxhash_rust::xxh3::xxh3_64(value).to_le_bytes().to_vec();
        stored.extend_from_slice(value);
        t.insert(1, stored.as_slice())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    tx.commit().unwrap_or_else(|e| panic!("{e}"));
    drop(db);
    let store = open(dir.path());
    assert_eq!(store.get(1), None, "a foreign cache's entries are not used");
}

#[cfg(unix)]
#[test]
fn a_cache_file_that_is_a_link_is_not_used() {
    let dir = site();
    let elsewhere = site();
    std::fs::create_dir_all(dir.path().join(".gloss/cache")).unwrap_or_else(|e| panic!("{e}"));
    let target = elsewhere.path().join("db");
    std::os::unix::fs::symlink(&target, file(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    assert!(Store::open(dir.path()).is_none());
    assert!(!target.exists(), "nothing written through the link");
}

#[test]
fn a_value_is_found_before_and_after_its_batch_is_written() {
    let dir = site();
    let store = open(dir.path());
    store.put(1, b"one".to_vec());
    // Not written yet: found among the entries waiting.
    assert_eq!(store.get(1).as_deref(), Some(&b"one"[..]));
    // A batch's worth of entries is written at once, without waiting for `save`
    // (counted compressed: bytes that do not compress).
    let big: Vec<u8> = (0..BATCH / 4 + 1)
        .map(|i| xxhash_rust::xxh3::xxh3_64(&i.to_le_bytes()) as u8)
        .collect();
    for k in 10..14 {
        store.put(k, big.clone());
    }
    assert!(
        store
            .fresh
            .lock()
            .map(|f| f.entries.is_empty())
            .unwrap_or(false)
    );
    assert_eq!(store.get(1).as_deref(), Some(&b"one"[..]));
    assert_eq!(store.get(13).map(|v| v.len()), Some(big.len()));
}

#[test]
fn a_scratch_store_is_deleted_when_dropped_and_is_not_the_cache() {
    let dir = site();
    let store = Store::scratch(dir.path()).unwrap_or_else(|| panic!("no scratch store"));
    store.put(1, b"one".to_vec());
    store.save(true);
    assert_eq!(store.get(1).as_deref(), Some(&b"one"[..]));
    let path = store.path.clone();
    assert!(path.is_file());
    drop(store);
    assert!(!path.exists(), "the scratch file is removed");
    assert!(!file(dir.path()).exists(), "the build cache is not made");
}

/// Entries are kept compressed (the cache of 10^5 articles was 1.8 GB of HTML as is),
/// and come back as they were put.
#[test]
fn entries_are_stored_compressed() {
    let dir = site();
    let store = open(dir.path());
    let html: Vec<u8> = "<p>Some words of a body, <em>marked</em> and linked.</p>\n"
        .repeat(150_000)
        .into_bytes();
    store.put(9, html.clone());
    store.save(true);
    drop(store);
    let on_disk = std::fs::metadata(file(dir.path()))
        .unwrap_or_else(|e| panic!("{e}"))
        .len();
    assert!(on_disk < html.len() as u64 / 4, "{on_disk} bytes on disk");
    let store = open(dir.path());
    assert_eq!(store.get(9), Some(html));
}
