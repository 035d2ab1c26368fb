//! Stage 1, load: reads `site.yaml`, walks `content/` and `static/`, and validates every
//! file on its own. Output: a [`Site`] of plain data, plus every problem found.
//!
//! Files are read and parsed in parallel; results are collected in path order so the
//! outcome does not depend on thread timing.

mod article;
mod bundles;
mod cached;
mod config;
pub(crate) mod dates;
mod foreign;
mod frontmatter;
mod ids;
mod profile;
pub(crate) mod raster;
mod stamps;
mod walk;
pub(crate) mod yaml;
mod yaml_fix;

use crate::diag::Code;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Config, ProfileKind, Site, Slug, SourceCopy};
pub(crate) use cached::ParseCache;
use cached::{Parsed, from_cache, parse_key};
use walk::{Entry, FileKind};
pub(crate) use walk::{Inside, files_under, open_no_follow};
pub use walk::{SOURCE_DIRS, is_ignored};

pub use config::normalise_base_url;
pub(crate) use frontmatter::{normalise as normalise_text, split as split_front_matter};

/// Options that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep articles and pages marked `draft: true`.
    pub drafts: bool,
}

/// Loads the site at `root`. The site is returned even when there are errors, so that
/// later stages can report their problems too; callers stop before writing.
pub fn load(root: &Path, options: LoadOptions) -> (Site, Diagnostics) {
    Loader::new(root, options, None).site()
}

/// Keeps what was loaded, file by file, so that a rebuild re-reads only the files that
/// changed (`gloss serve`). A fresh `Loader` and one updated after changes give the same
/// site for the same files.
pub struct Loader {
    root: PathBuf,
    options: LoadOptions,
    config: (Config, Diagnostics),
    /// Walk problems that belong to no single file (symlink loops, unreadable folders).
    walk_diags: Diagnostics,
    /// Every file read, by path relative to the root (sorted: the walk's order).
    files: BTreeMap<PathBuf, (Loaded, Diagnostics)>,
    /// Per file read, a hash of what it holds ([`Loader::state`]).
    keys: BTreeMap<PathBuf, u128>,
}

impl Loader {
    /// Reads the whole site, taking parsed files from `cache` where their bytes are the
    /// same.
    pub(crate) fn new(root: &Path, options: LoadOptions, cache: Option<&dyn ParseCache>) -> Loader {
        let mut config_diags = Diagnostics::new();
        let config = config::load(root, &mut config_diags);
        let t = std::time::Instant::now();
        let (entries, walk_diags) = walk::walk(root);
        tracing::debug!("load: walk {:.2?} ({} files)", t.elapsed(), entries.len());
        let t = std::time::Instant::now();
        // Before any file is looked at: a file changed after this instant is read again
        // by the next run (see `stamps`).
        let run_start = stamps::nanos(std::time::SystemTime::now());
        let mut loaded: Vec<Option<(Loaded, Diagnostics, u128)>> = match cache {
            Some(c) => entries
                .par_iter()
                .map(|e| stamps::unchanged(root, e, c))
                .collect(),
            None => entries.iter().map(|_| None).collect(),
        };
        let to_read: Vec<usize> = (0..entries.len())
            .filter(|&i| loaded[i].is_none())
            .collect();
        tracing::debug!(
            "load: {} of {} files unchanged by their stamps, not read",
            entries.len() - to_read.len(),
            entries.len()
        );
        let ahead = ReadAhead::default();
        let read: Vec<(Loaded, Diagnostics, u128)> = std::thread::scope(|s| {
            ahead.start(s, root, &entries, &to_read);
            let read = to_read
                .par_iter()
                .map(|&i| load_file(root, &entries[i], cache, Some(run_start)))
                .collect();
            ahead.stop();
            read
        });
        for (&i, r) in to_read.iter().zip(read) {
            loaded[i] = Some(r);
        }
        tracing::debug!("load: files {:.2?}", t.elapsed());
        let mut files = BTreeMap::new();
        let mut keys = BTreeMap::new();
        for (e, (item, diags, key)) in entries.into_iter().zip(loaded.into_iter().flatten()) {
            keys.insert(e.rel.clone(), key);
            files.insert(e.rel, (item, diags));
        }
        Loader {
            root: root.to_path_buf(),
            options,
            config: (config, config_diags),
            walk_diags,
            files,
            keys,
        }
    }

    /// Number of files read.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file was read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Files read earlier that are gone now, as absolute paths. A watcher's events can
    /// miss a removal (see `serve`); checking the files read is cheap (a `stat` each).
    pub fn vanished(&self) -> Vec<PathBuf> {
        self.files
            .keys()
            .map(|rel| self.root.join(rel))
            .filter(|p| std::fs::symlink_metadata(p).is_err())
            .collect()
    }

    /// Re-reads what the changed paths (absolute, or relative to the root) touch: a file,
    /// a folder (added, renamed or deleted), or `site.yaml`.
    pub(crate) fn update(&mut self, changed: &[PathBuf], cache: Option<&dyn ParseCache>) {
        let mut rels: Vec<PathBuf> = changed.iter().filter_map(|p| self.relative(p)).collect();
        rels.sort();
        rels.dedup();
        for rel in rels {
            if rel == Path::new("site.yaml") {
                let mut d = Diagnostics::new();
                let config = config::load(&self.root, &mut d);
                self.config = (config, d);
                continue;
            }
            // Whatever was at or under this path is re-read from scratch; a file read
            // back unchanged keeps its old value, so later stages see it as unchanged.
            let stale: Vec<PathBuf> = self
                .files
                .range(rel.clone()..)
                .map(|(k, _)| k)
                .take_while(|k| k.starts_with(&rel))
                .cloned()
                .collect();
            let mut old: BTreeMap<PathBuf, (Loaded, Diagnostics)> = BTreeMap::new();
            for k in stale {
                self.keys.remove(&k);
                if let Some(v) = self.files.remove(&k) {
                    old.insert(k, v);
                }
            }
            let full = self.root.join(&rel);
            let mut diags = Diagnostics::new();
            let outside = walk::Inside::new(&self.root).outside_link(&full);
            let entries = if let Some(d) = outside {
                diags.push(d);
                Vec::new()
            } else if full.is_dir() {
                let (entries, d) = walk::walk_under(&self.root, &[rel.as_path()]);
                diags.extend(d);
                entries
            } else if full.is_file() {
                walk::entry_of(&rel, &mut diags).into_iter().collect()
            } else {
                Vec::new()
            };
            let loaded: Vec<(Loaded, Diagnostics, u128)> = entries
                .par_iter()
                .map(|e| load_file(&self.root, e, cache, None))
                .collect();
            for (e, (item, mut d, key)) in entries.into_iter().zip(loaded) {
                self.keys.insert(e.rel.clone(), key);
                d.extend(std::mem::take(&mut diags));
                let value = match old.remove(&e.rel) {
                    Some(prev) if prev.0 == item && prev.1 == d => prev,
                    _ => (item, d),
                };
                self.files.insert(e.rel, value);
            }
            if !diags.is_empty() {
                self.files.insert(rel, (Loaded::Nothing, diags));
            }
        }
    }

    /// What every file read holds, as a hash per path: equal hashes, equal files (a
    /// Markdown file by its bytes, a static file by its path and image size).
    pub(crate) fn state(&self) -> Vec<(PathBuf, u128)> {
        self.keys.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }

    fn relative(&self, p: &Path) -> Option<PathBuf> {
        let rel = if p.is_absolute() {
            p.strip_prefix(&self.root).ok()?
        } else {
            p
        };
        let first = rel.components().next()?.as_os_str().to_str()?;
        matches!(first, "content" | "static" | "site.yaml").then(|| rel.to_path_buf())
    }

    /// The site as it is now, with every problem found.
    pub fn site(&self) -> (Site, Diagnostics) {
        let mut diags = self.config.1.clone();
        diags.extend(self.walk_diags.clone());
        let mut site = Site {
            root: self.root.clone(),
            config: self.config.0.clone(),
            ..Site::default()
        };
        let drafts = self.options.drafts;
        let bundles = bundles::Bundles::of(&self.files);
        for (rel, (item, file_diags)) in &self.files {
            if let Some(d) = bundles.not_an_article(rel) {
                // Part of a bundle (as in Hugo): neither an article nor published, so
                // its own problems do not count.
                diags.push(d);
                continue;
            }
            diags.extend(file_diags.clone());
            match item {
                Loaded::Beside(raster, from) => match bundles.owner(rel) {
                    Some((owner, inside)) if drafts || !bundles.is_draft(&owner) => {
                        site.bundle_files.push(crate::model::BundleFile {
                            owner,
                            rel: inside,
                            from: from.clone(),
                            raster: raster.clone(),
                        })
                    }
                    Some(_) => {}
                    None => diags.push(bundles::unowned(rel)),
                },
                Loaded::Article(a) if drafts || !a.draft => site.articles.push(Arc::clone(a)),
                Loaded::Profile(p) => site.profiles.push(p.clone()),
                Loaded::Page(p) if drafts || !p.draft => site.pages.push(p.clone()),
                Loaded::Copy(c) => site.copies.push(c.clone()),
                Loaded::Static(s) => site.statics.push(s.clone()),
                Loaded::Article(_) | Loaded::Page(_) | Loaded::Nothing => {}
            }
        }
        site.profiles
            .sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
        site.pages.sort_by(|a, b| a.url_path.cmp(&b.url_path));
        (site, diags)
    }
}

/// What one file holds, once validated.
#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Article(Arc<crate::model::Article>),
    Profile(crate::model::Profile),
    Page(crate::model::Page),
    Copy(SourceCopy),
    Static(crate::model::StaticFile),
    /// A file that is not Markdown under `content/articles/` or `content/pages/` (read
    /// from the path held): a file of a page bundle, or ignored.
    Beside(Option<crate::model::Raster>, PathBuf),
    Nothing,
}

/// Threads that read the files to load ahead of the parsers, so that a site not in the
/// page cache (a first build, or one after a large build evicted it) loads at the speed
/// of the disk, not at one blocking read per core: 100k articles from a cold cache took
/// 21 s to load without them.
#[derive(Default)]
struct ReadAhead {
    next: std::sync::atomic::AtomicUsize,
    stopped: std::sync::atomic::AtomicBool,
}

/// How many files are read ahead at once: the disk's queue, not the CPU, is the limit.
const READ_AHEAD_THREADS: usize = 16;

impl ReadAhead {
    /// Starts reading the entries at `which` (in order) on threads of `scope`.
    fn start<'s>(
        &'s self,
        scope: &'s std::thread::Scope<'s, '_>,
        root: &'s Path,
        entries: &'s [Entry],
        which: &'s [usize],
    ) {
        use std::io::Read as _;
        use std::sync::atomic::Ordering;
        for _ in 0..READ_AHEAD_THREADS {
            scope.spawn(move || {
                let mut buf = vec![0; 64 * 1024];
                while !self.stopped.load(Ordering::Relaxed) {
                    let i = self.next.fetch_add(1, Ordering::Relaxed);
                    let Some(entry) = which.get(i).and_then(|&i| entries.get(i)) else {
                        break;
                    };
                    if matches!(entry.kind, FileKind::Static { .. } | FileKind::Beside) {
                        continue;
                    }
                    // Only the page cache keeps what is read; errors are the parser's.
                    if let Ok(mut file) = std::fs::File::open(root.join(&entry.rel)) {
                        while matches!(file.read(&mut buf), Ok(n) if n > 0) {}
                    }
                }
            });
        }
    }

    /// Stops the threads: what they have not read yet, the parsers already have.
    fn stop(&self) {
        self.stopped
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Reads and loads one file; with `run_start`, records an article file's stamp in
/// `cache` for the next run (see `stamps`).
fn load_file(
    root: &Path,
    entry: &Entry,
    cache: Option<&dyn ParseCache>,
    run_start: Option<u128>,
) -> (Loaded, Diagnostics, u128) {
    // Taken before the file is read: an edit while it is read changes the stamp.
    let stamp = run_start
        .filter(|_| cache.is_some() && stamps::applies(entry))
        .and_then(|_| stamps::stamp(&root.join(&entry.rel)));
    let (mut loaded, diags, key) = load_one(root, entry, cache);
    if let (Some(c), Some(stamp), Some(start), Some(key)) = (cache, stamp, run_start, key) {
        stamps::record(c, entry, stamp, key, start);
    }
    if let (Loaded::Article(a), Some(key)) = (&mut loaded, key) {
        Arc::make_mut(a).source_hash = key;
    }
    // Files that are not parsed: by path and what was read of them.
    let key = key.unwrap_or_else(|| {
        let text = format!("{:?}\0{:?}\0{loaded:?}\0{diags:?}", entry.rel, entry.kind);
        xxhash_rust::xxh3::xxh3_128(text.as_bytes())
    });
    (loaded, diags, key)
}

/// One file loaded, with its cache key when it is a Markdown file.
fn load_one(
    root: &Path,
    entry: &Entry,
    cache: Option<&dyn ParseCache>,
) -> (Loaded, Diagnostics, Option<u128>) {
    let mut diags = Diagnostics::new();
    if let FileKind::Static { out_path } = &entry.kind {
        let from = root.join(&entry.rel);
        let file = crate::model::StaticFile {
            out_path: out_path.clone(),
            raster: raster::probe(&from),
            from,
        };
        return (Loaded::Static(file), diags, None);
    }
    if entry.kind == FileKind::Beside {
        let from = root.join(&entry.rel);
        return (Loaded::Beside(raster::probe(&from), from), diags, None);
    }
    let text = match read_text(root, &entry.rel) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return (Loaded::Nothing, diags, None);
        }
    };
    let key = parse_key(entry, &text);
    let cache = match cache {
        Some(c) if !matches!(entry.kind, FileKind::Copy { .. }) => c,
        _ => {
            let loaded =
                parse_file(&entry.rel, &entry.kind, &text, &mut diags).unwrap_or(Loaded::Nothing);
            return (loaded, diags, Some(key));
        }
    };
    if let Some((loaded, diags)) = cache
        .get(key)
        .and_then(|bytes| from_cache(&bytes, entry, &text))
    {
        return (loaded, diags, Some(key));
    }
    let loaded = parse_file(&entry.rel, &entry.kind, &text, &mut diags).unwrap_or(Loaded::Nothing);
    let parsed = match &loaded {
        Loaded::Article(a) => Parsed::Article(Arc::clone(a)),
        Loaded::Profile(p) => Parsed::Profile(p.clone()),
        Loaded::Page(p) => Parsed::Page(p.clone()),
        _ => Parsed::Nothing,
    };
    match postcard::to_stdvec(&(parsed, &diags)) {
        Ok(bytes) => cache.put(key, bytes),
        Err(e) => tracing::debug!("cannot cache {}: {e}", entry.rel.display()),
    }
    (loaded, diags, Some(key))
}

/// The Markdown body of `article` (loaded from the site at `root`), read from its file
/// again: the loader keeps no Markdown. The file must still be the one the article was
/// parsed from (its hash, [`crate::model::Article::source_hash`]): one changed since is
/// an error, never a new body under the old front matter.
pub(crate) fn read_body(
    root: &Path,
    article: &crate::model::Article,
) -> Result<String, Diagnostic> {
    let rel = article.path.as_path();
    let text = read_text(root, rel)?;
    let mut diags = Diagnostics::new();
    let same = walk::entry_of(rel, &mut diags)
        .is_some_and(|e| parse_key(&e, &text) == article.source_hash);
    let changed = || {
        Diagnostic::new(
            Code::Unreadable,
            rel,
            None,
            "the file changed while gloss was building the site",
        )
        .with_hint("build again (`gloss serve` does so by itself)")
    };
    if !same {
        return Err(changed());
    }
    match frontmatter::split(&text, rel) {
        Ok(split) => Ok(split.body.to_string()),
        Err(_) => Err(changed()),
    }
}

fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        Diagnostic::new(
            Code::Unreadable,
            rel,
            None,
            format!("cannot read file: {e}"),
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(frontmatter::normalise(text)),
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            // Editors do not show a BOM: columns on line 1 count from after it.
            let before = before.strip_prefix('\u{feff}').unwrap_or(&before);
            let span = crate::diag::Span::from_offsets(before, 1, before.len(), before.len());
            Err(Diagnostic::new(
                Code::Unreadable,
                rel,
                Some(span),
                format!("file is not valid UTF-8 (byte {valid})"),
            )
            .with_hint("save the file as UTF-8"))
        }
    }
}

fn parse_file(rel: &Path, kind: &FileKind, text: &str, diags: &mut Diagnostics) -> Option<Loaded> {
    let split = match frontmatter::split(text, rel) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let front = match split.yaml.map(|y| yaml::parse(y, rel, split.yaml_line)) {
        Some(Ok(node)) => Some(node),
        Some(Err(d)) => {
            diags.push(d);
            return None;
        }
        None => None,
    };
    let mut r = yaml::Reader { path: rel, diags };
    match kind {
        FileKind::Article { slug } => {
            let Some(front) = front else {
                let hint = "start the file with a front matter block: `---`, `title: ...`, `date: YYYY-MM-DD`, `---`";
                r.diags.push(no_front_matter(rel, "article", hint));
                return None;
            };
            let a = article::read(&mut r, &front, Slug(slug.clone()), split.body_line)?;
            Some(Loaded::Article(Arc::new(a)))
        }
        FileKind::Profile { kind, id } => {
            profile::read_profile(&mut r, front.as_ref(), *kind, id.clone(), split.body)
                .map(Loaded::Profile)
        }
        FileKind::Page { url_path } => {
            let Some(front) = front else {
                let hint = "start the file with `---`, `title: ...`, `---`";
                r.diags.push(no_front_matter(rel, "page", hint));
                return None;
            };
            profile::read_page(
                &mut r,
                &front,
                url_path.clone(),
                split.body,
                split.body_line,
            )
            .map(Loaded::Page)
        }
        FileKind::Copy { name } => Some(Loaded::Copy(SourceCopy {
            name: name.clone(),
            text: text.to_string(),
        })),
        FileKind::Static { .. } | FileKind::Beside => None,
    }
}

/// The error for a file of kind `what` that lacks its required front matter.
fn no_front_matter(rel: &Path, what: &str, hint: &str) -> Diagnostic {
    let span = Some(crate::diag::Span::new(1, 1, 1));
    Diagnostic::new(Code::Yaml, rel, span, format!("{what} has no front matter")).with_hint(hint)
}

#[cfg(test)]
mod tests;

impl ProfileKind {
    /// The folder of `content/` such profiles live in, and of the output.
    pub fn folder(self) -> &'static str {
        match self {
            ProfileKind::Person => "people",
            ProfileKind::Topic => "topics",
            ProfileKind::Outlet => "outlets",
        }
    }
}
