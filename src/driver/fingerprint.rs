//! The fingerprint of everything a build reads: `gloss build` skips a site whose sources,
//! options and gloss binary are as they were for the output's last build (showing that
//! build's warnings again), the way `make` trusts modification times.

use std::hash::Hasher as _;
use std::path::Path;

use super::BuildOptions;
use crate::load::{SOURCE_DIRS, files_under};

/// A hash over the path, size and modification time of every source file of the site
/// at `root` (`site.yaml`, and what is under content/, static/, templates/ and themes/),
/// the build options and the running binary; `None` when something cannot be read.
pub(crate) fn sources(root: &Path, options: &BuildOptions) -> Option<u128> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut stamp = |path: &Path, meta: &std::fs::Metadata| {
        h.write(path.as_os_str().as_encoded_bytes());
        h.write_u64(meta.len());
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        h.write_u128(mtime.as_nanos());
        Some(())
    };
    let exe = std::env::current_exe().ok()?;
    stamp(&exe, &std::fs::metadata(&exe).ok()?)?;
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
    Some(h.digest128())
}
