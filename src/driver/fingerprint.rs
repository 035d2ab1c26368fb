//! The fingerprint of everything a build reads: `gloss build` skips a site whose sources,
//! options and gloss binary are as they were for the output's last build (showing that
//! build's warnings again), the way `make` trusts modification times.
//!
//! The "racy git" rule applies as for the loader's stamps (`load::stamps`): a file
//! modified less than [`RACY`] before the fingerprint was taken may be edited again
//! within the same clock tick, keeping its size and time, after the build read it; such
//! a fingerprint is not recorded, so the next build runs instead of being skipped.

use std::hash::Hasher as _;
use std::path::Path;

use super::BuildOptions;
use crate::load::{SOURCE_DIRS, files_under};

/// How long before the fingerprint a source must have been modified for the
/// fingerprint to be trusted by a later build: the coarsest file system time gloss
/// expects (FAT keeps two seconds), as in `load::stamps`.
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

/// The state of a site's sources, as [`sources`] read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    /// A hash over the path, size and modification time of every source file, the
    /// build options and the running binary.
    pub hash: u128,
    /// Whether every source was modified more than [`RACY`] before the fingerprint was
    /// taken, so that a later build may trust it to skip.
    pub settled: bool,
}

/// The fingerprint of the site at `root` (`site.yaml`, and what is under content/,
/// static/, templates/ and themes/), the build options and the running binary; `None`
/// when something cannot be read.
pub(crate) fn sources(root: &Path, options: &BuildOptions) -> Option<Fingerprint> {
    let taken = std::time::SystemTime::now();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut newest = std::time::UNIX_EPOCH;
    let mut stamp = |path: &Path, meta: &std::fs::Metadata| {
        h.write(path.as_os_str().as_encoded_bytes());
        h.write_u64(meta.len());
        let modified = meta.modified().ok()?;
        newest = newest.max(modified);
        h.write_u128(
            modified
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?
                .as_nanos(),
        );
        Some(())
    };
    let config = root.join("site.yaml");
    // No site.yaml (the defaults) is a state of its own.
    if let Ok(meta) = std::fs::metadata(&config) {
        stamp(&config, &meta)?;
    }
    for dir in SOURCE_DIRS {
        for entry in files_under(&root.join(dir)) {
            let entry = match entry {
                Ok(e) => e,
                // A missing folder is part of the state; anything else is not readable.
                Err(e)
                    if e.io_error()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
                {
                    continue;
                }
                Err(_) => return None,
            };
            if entry.file_type().is_file() {
                stamp(entry.path(), &entry.metadata().ok()?)?;
            }
        }
    }
    h.write_u8(u8::from(options.drafts));
    h.write(options.base_url.as_deref().unwrap_or("").as_bytes());
    // The binary is not a source an editor saves twice in a tick: its time is not racy.
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    h.write(exe.as_os_str().as_encoded_bytes());
    h.write_u64(meta.len());
    let built = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    h.write_u128(built.as_nanos());
    Some(Fingerprint {
        hash: h.digest128(),
        settled: settled(newest, taken),
    })
}

/// Whether a source last modified at `newest` is old enough at `taken` for a stamp of
/// it to be trusted (a time in the future is not).
fn settled(newest: std::time::SystemTime, taken: std::time::SystemTime) -> bool {
    taken.duration_since(newest).is_ok_and(|age| age > RACY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn a_source_modified_within_two_seconds_or_in_the_future_is_not_settled() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(settled(now - Duration::from_secs(3), now));
        assert!(!settled(now - Duration::from_millis(1_999), now));
        assert!(!settled(now, now));
        assert!(!settled(now + Duration::from_secs(60), now));
    }
}
