//! Parsed files from the build cache ([`ParseCache`]): the key of a Markdown file, its
//! parse result rebuilt from stored bytes (a profile's or page's body taken from the text
//! read), and the loader as an earlier run had it, for the driver's incremental build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::walk::Entry;
use super::{Loaded, Loader, frontmatter};
use crate::diag::Diagnostics;

/// Parsed Markdown files kept between runs (the driver's build cache), by a hash of the
/// file's path, kind and text: a file read back with the same bytes is not parsed again.
/// Values are opaque bytes; one that does not decode is parsed again, never trusted.
pub(crate) trait ParseCache: Sync {
    /// The bytes stored under `key`, if any.
    fn get(&self, key: u128) -> Option<Vec<u8>>;
    /// Stores `value` under `key` (kept when the run ends well).
    fn put(&self, key: u128, value: Vec<u8>);
    /// As [`ParseCache::get`], for a lookup whose miss is no file parsed anew (the
    /// stamps of `stamps`): not counted as one.
    fn peek(&self, key: u128) -> Option<Vec<u8>> {
        self.get(key)
    }
}

/// What the cache keeps of a parsed file: everything but the Markdown body, which is
/// the rest of the file.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) enum Parsed {
    Article(Arc<crate::model::Article>),
    Profile(crate::model::Profile),
    Page(crate::model::Page),
    Nothing,
}

impl Loader {
    /// The loader as it was when its files were `before` (a [`Loader::state`]): the
    /// Markdown files that changed or went away since are taken back from `cache`,
    /// without their bodies (the text is gone; what the body made counts as changed).
    /// `None` when a file of then is not in the cache, or is not Markdown.
    pub(crate) fn before(
        &self,
        before: &[(PathBuf, u128)],
        cache: &dyn ParseCache,
    ) -> Option<Loader> {
        let then: BTreeMap<&Path, u128> = before.iter().map(|(p, k)| (p.as_path(), *k)).collect();
        let mut files = self.files.clone();
        for (rel, key) in &self.keys {
            if then.get(rel.as_path()) != Some(key) {
                files.remove(rel);
            }
        }
        for (rel, key) in &then {
            if self.keys.get(*rel) == Some(key) {
                continue;
            }
            let (parsed, diags): (Parsed, Diagnostics) =
                postcard::from_bytes(&cache.get(*key)?).ok()?;
            let loaded = match parsed {
                Parsed::Article(mut a) => {
                    // The build cache keeps its rendered body under this key.
                    Arc::make_mut(&mut a).source_hash = *key;
                    Loaded::Article(a)
                }
                Parsed::Profile(p) => Loaded::Profile(p),
                Parsed::Page(p) => Loaded::Page(p),
                Parsed::Nothing => Loaded::Nothing,
            };
            files.insert(rel.to_path_buf(), (loaded, diags));
        }
        Some(Loader {
            root: self.root.clone(),
            options: self.options,
            config: self.config.clone(),
            walk_diags: self.walk_diags.clone(),
            files,
            keys: then
                .into_iter()
                .map(|(p, k)| (p.to_path_buf(), k))
                .collect(),
        })
    }
}

impl Loader {
    /// The files of `self` and `other` that differ (or are in one only), when each is an
    /// article file in both: their paths. `None` when any other file differs.
    pub(crate) fn articles_changed_since(&self, other: &Loader) -> Option<Vec<PathBuf>> {
        if self.keys.len() != other.keys.len() || self.config != other.config {
            return None;
        }
        let mut changed = Vec::new();
        for ((rel, key), (other_rel, other_key)) in self.keys.iter().zip(&other.keys) {
            if rel != other_rel {
                return None;
            }
            if key == other_key {
                continue;
            }
            // Warnings do not stop a patch (a fifth of the bench corpus's articles have
            // some); an error means the file is not the article it was.
            let is_article = |l: &Loader| matches!(l.files.get(rel), Some((Loaded::Article(_), d)) if !d.has_errors());
            if !is_article(self) || !is_article(other) {
                return None;
            }
            changed.push(rel.clone());
        }
        Some(changed)
    }

    /// The article read from `rel`, if that file is one.
    pub(crate) fn article(&self, rel: &Path) -> Option<Arc<crate::model::Article>> {
        match self.files.get(rel) {
            Some((Loaded::Article(a), _)) => Some(Arc::clone(a)),
            _ => None,
        }
    }

    /// The archived copies of sources read.
    pub(crate) fn copies(&self) -> Vec<crate::model::SourceCopy> {
        self.files
            .values()
            .filter_map(|(l, _)| match l {
                Loaded::Copy(c) => Some(c.clone()),
                _ => None,
            })
            .collect()
    }
}

/// The cache key of a Markdown file: its path, kind and (normalised) text.
pub(super) fn parse_key(entry: &Entry, text: &str) -> u128 {
    use std::hash::Hasher as _;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.write(entry.rel.as_os_str().as_encoded_bytes());
    h.write(format!("\0{:?}\0", entry.kind).as_bytes());
    h.write(text.as_bytes());
    h.digest128()
}

/// A file's parse result rebuilt from the cache's `bytes`, with a profile's or page's
/// body taken from its `text` (an article's is read again when rendered); `None` when
/// the bytes do not decode (a damaged entry: parsed again).
pub(super) fn from_cache(bytes: &[u8], entry: &Entry, text: &str) -> Option<(Loaded, Diagnostics)> {
    let (parsed, diags): (Parsed, Diagnostics) = match postcard::from_bytes(bytes) {
        Ok(v) => v,
        Err(e) => {
            tracing::debug!("cached parse of {} unreadable: {e}", entry.rel.display());
            return None;
        }
    };
    let body = || {
        frontmatter::split(text, &entry.rel)
            .ok()
            .map(|s| s.body.to_string())
    };
    let loaded = match parsed {
        Parsed::Article(a) => Loaded::Article(a),
        Parsed::Profile(mut p) => {
            p.body = body()?;
            Loaded::Profile(p)
        }
        Parsed::Page(mut p) => {
            p.body = body()?;
            Loaded::Page(p)
        }
        Parsed::Nothing => Loaded::Nothing,
    };
    Some((loaded, diags))
}
