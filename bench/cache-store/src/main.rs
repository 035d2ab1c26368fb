//! Files-by-hash folder against one redb file for the build cache: writes N values of
//! SIZE bytes each way, reads them back, and updates one entry in redb.
//! `cargo run --release -- N SIZE DIR` (DIR is emptied first).

use redb::{ReadableDatabase, ReadableTable};
use std::time::Instant;
use std::path::Path;
use rayon::prelude::*;
const T: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("e");
fn value(i: u64, n: usize) -> Vec<u8> { (0..n).map(|k| ((i as usize * 31 + k * 7) % 251) as u8).collect() }
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args[1].parse().unwrap();
    let size: usize = args[2].parse().unwrap();
    let dir = Path::new(&args[3]);
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let keys: Vec<[u8;16]> = (0..n).map(|i| xxhash_rust::xxh3::xxh3_128(&i.to_le_bytes()).to_le_bytes()).collect();
    // files by hash
    let t = Instant::now();
    let fdir = dir.join("files");
    for s in 0..256 { std::fs::create_dir_all(fdir.join(format!("{s:02x}"))).unwrap(); }
    keys.par_iter().enumerate().for_each(|(i, k)| {
        let name = format!("{:02x}/{}", k[0], k.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let tmp = fdir.join(format!("{name}.tmp"));
        std::fs::write(&tmp, value(i as u64, size)).unwrap();
        std::fs::rename(&tmp, fdir.join(name)).unwrap();
    });
    println!("files write {:?}", t.elapsed());
    let t = Instant::now();
    let total: usize = keys.par_iter().map(|k| {
        let name = format!("{:02x}/{}", k[0], k.iter().map(|b| format!("{b:02x}")).collect::<String>());
        std::fs::read(fdir.join(name)).unwrap().len()
    }).sum();
    println!("files read {:?} {total}", t.elapsed());
    // redb
    let t = Instant::now();
    let db = redb::Database::create(dir.join("cache.redb")).unwrap();
    let tx = db.begin_write().unwrap();
    { let mut tab = tx.open_table(T).unwrap();
      for (i, k) in keys.iter().enumerate() { tab.insert(&k[..], &value(i as u64, size)[..]).unwrap(); } }
    tx.commit().unwrap();
    println!("redb write {:?}", t.elapsed());
    drop(db);
    let t = Instant::now();
    let db = redb::Database::open(dir.join("cache.redb")).unwrap();
    let tx = db.begin_read().unwrap();
    let tab = tx.open_table(T).unwrap();
    let total: usize = keys.iter().map(|k| tab.get(&k[..]).unwrap().unwrap().value().len()).sum();
    println!("redb read {:?} {total}", t.elapsed());
    // redb: update 1 entry
    drop(tab); drop(tx);
    let t = Instant::now();
    let tx = db.begin_write().unwrap();
    { let mut tab = tx.open_table(T).unwrap(); tab.insert(&keys[0][..], &value(7, size)[..]).unwrap(); }
    tx.commit().unwrap();
    println!("redb update one {:?}", t.elapsed());
    let sz = std::fs::metadata(dir.join("cache.redb")).unwrap().len();
    println!("redb size {sz}");
}
