//! One build of `gloss serve`: load and link through the driver, read the static files
//! into the snapshot, and decide what becomes of the pages rendered from the build
//! before (kept, rendered again at once, or dropped until asked for).
//!
//! Input: the driver's latest changes and the current [`Shared`] state. Output: a new
//! [`Snapshot`] with its [`CacheUpdate`] and what changed for the browsers, or the
//! errors as the overlay shows them.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::pages::{Generation, errors_text};
use super::state::{Body, CacheUpdate, Shared, Snapshot};
use super::statics::{self, Found, Skip};
use super::watch::{ChangeKind, classify};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::driver::progress::Progress;
use crate::driver::{BuildOptions, Changes, Driver};
use crate::load::{Inside, Loader};
use crate::render::on_demand::{self, Renderer, is_search_file};
use crate::render::{Content, Output};

/// How many of the cached pages a rebuild renders again at once, most recently used
/// first (the page open in the browser among them): it finds a template that fails
/// before the build is published, and the reload finds them ready.
const EAGER: usize = 16;

/// Builds the site through the [`Driver`] and turns the result into a snapshot. The
/// driver keeps what the last build loaded and linked, so a rebuild reads only changed
/// files and renders only the bodies whose inputs changed; pages are rendered on request.
pub(super) struct Builder {
    pub(super) root: PathBuf,
    driver: Driver,
    /// Every path the latest batch changed (a static file among them is read again even
    /// if its stamp looks the same).
    touched: BTreeSet<PathBuf>,
    /// The diagnostics printed last, sorted.
    printed: Option<Vec<Diagnostic>>,
}

/// What a build changed, for the browsers.
#[derive(Debug, Default)]
pub(super) struct Changed {
    /// Every page may differ.
    pub(super) all: bool,
    /// Some page may differ.
    pub(super) pages: bool,
    /// The files that changed (static files) or may show something else (pages cached
    /// or served lately).
    pub(super) files: Vec<String>,
}

/// The outcome of one build.
pub(super) enum Built {
    /// A new snapshot, what becomes of the cached pages, and what changed.
    Good(Snapshot, CacheUpdate, Changed, Diagnostics),
    /// The errors, as text.
    Failed(Arc<str>, Diagnostics),
}

impl Builder {
    pub(super) fn new(root: &Path, options: BuildOptions) -> Builder {
        Builder {
            root: root.to_path_buf(),
            driver: Driver::new(root, options),
            touched: BTreeSet::new(),
            printed: None,
        }
    }

    /// Prints a build's diagnostics on the terminal, unless they are those printed last
    /// (an archive with thousands of warnings would print them again on every save).
    pub(super) fn report(&mut self, diags: Diagnostics) {
        let tally = diags.tally();
        let sorted = diags.sorted();
        if self.printed.as_ref() == Some(&sorted) {
            if !sorted.is_empty() {
                tracing::info!("{tally}, as before");
            }
            return;
        }
        crate::diag::print(&self.root, sorted.clone());
        self.printed = Some(sorted);
    }

    /// Stores what the last build parsed and rendered in the build cache: after the
    /// build is published, so the first page does not wait for it (the first save
    /// looks through every entry for stale ones: seconds at 100k articles).
    pub(super) fn save_cache(&mut self) {
        let t = Instant::now();
        self.driver.save_cache();
        tracing::debug!("serve: build cache saved in {:.2?}", t.elapsed());
    }

    /// Files read so far that are gone now (see [`Loader::vanished`]).
    pub(super) fn vanished(&self) -> Vec<PathBuf> {
        self.driver
            .loader()
            .map(Loader::vanished)
            .unwrap_or_default()
    }

    /// Number of files the last build read.
    pub(super) fn files_read(&self) -> usize {
        self.driver.loader().map_or(0, Loader::len)
    }

    /// Takes in a batch of changed paths.
    pub(super) fn apply(&mut self, paths: &[PathBuf]) {
        // notify's debouncer drops every event of a path it saw created and removed in
        // one window (an editor's atomic save, then a delete), so a file read before can
        // vanish unannounced; a soak test of 1,000 random changes caught it.
        let mut paths = paths.to_vec();
        paths.extend(self.vanished());
        let changes = changes_of(&self.root, &paths);
        tracing::debug!(
            "{} changed paths, {} of the site",
            paths.len(),
            changes.sources.len()
        );
        // A static file among them is read again whatever its stamp says (a theme's
        // too, which the driver takes in as a template change).
        self.touched = paths
            .into_iter()
            .filter(|p| classify(&self.root, None, p) != ChangeKind::Ignored)
            .collect();
        self.driver.apply(changes);
    }

    pub(super) fn build(&mut self, shared: &Shared) -> Built {
        let previous = shared.current();
        let t = Instant::now();
        let (archive, mut diags) = self.driver.link(&Progress::new(false));
        tracing::debug!("load + link: {:.2?}", t.elapsed());
        let (Some(mut archive), Some(theme)) = (archive, self.driver.shared_theme()) else {
            return self.failed(diags);
        };
        let t = Instant::now();
        match self
            .driver
            .resize(&mut archive, &Progress::new(false), false)
        {
            Ok(d) => diags.extend(d),
            // Without a cache the originals stand in for their copies.
            Err(e) => diags.push(Diagnostic::new(
                crate::diag::Code::UnreadableImage,
                crate::write::BOOKKEEPING,
                None,
                format!("cannot make resized copies of images: {e:#}"),
            )),
        }
        // Pages rendered with a theme that renders alike stay comparable.
        let before = previous
            .pages
            .as_ref()
            .filter(|g| g.theme.fingerprint == theme.fingerprint);
        let mut prepared =
            match on_demand::prepare(&archive, &theme, before.map(|g| (&*g.archive, &g.routes))) {
                Ok(p) => p,
                Err(d) => {
                    diags.extend(d);
                    return self.failed(diags);
                }
            };
        // Symlinks may lead where the loader follows them: inside the site (a theme
        // folder linked from elsewhere is refused when the theme loads).
        let inside = Inside::new(&self.root);
        let disk = Disk {
            root: &self.root,
            touched: &self.touched,
            inside: &inside,
        };
        let (statics, statics_changed) = patch(
            &previous.files,
            std::mem::take(&mut prepared.statics),
            &disk,
            &mut diags,
        );
        let generation = Arc::new(Generation {
            number: previous.pages.as_ref().map_or(0, |g| g.number) + 1,
            archive: Arc::new(archive),
            theme,
            routes: Arc::clone(&prepared.routes),
        });
        tracing::debug!("render: prepared {:.2?}", t.elapsed());
        let g = &*generation;
        let renderer = Renderer::new(&g.archive, &g.theme, &g.routes);
        tracing::debug!("render: renderer {:.2?}", t.elapsed());
        let (held, gone) = shared.cache().held();
        let (stale, keep): (Vec<String>, Vec<String>) = held
            .into_iter()
            .partition(|p| prepared.affects(&renderer, p));
        let mut eager: Vec<String> = stale
            .iter()
            .filter(|p| !is_search_file(p))
            .take(EAGER)
            .cloned()
            .collect();
        // After a template change, a page of each kind too (at the start, a page that
        // fails shows its error when it is asked for).
        if prepared.changes_all() && previous.pages.is_some() {
            for p in g.routes.samples(&g.archive) {
                if !eager.contains(&p) {
                    eager.push(p);
                }
            }
        }
        let rendered: Vec<(String, Result<Vec<u8>, Diagnostic>)> = eager
            .into_par_iter()
            .filter_map(|p| renderer.render(&p).map(|r| (p, r)))
            .collect();
        let mut fresh = Vec::new();
        let mut broken = Diagnostics::new();
        for (path, r) in rendered {
            match r {
                Ok(bytes) => fresh.push((path, bytes.into())),
                Err(d) => broken.push(d),
            }
        }
        if !broken.is_empty() {
            // Each broken template once, not once per page.
            let mut seen = BTreeSet::new();
            diags.extend(
                broken
                    .sorted()
                    .into_iter()
                    .filter(|d| seen.insert(d.path.clone()))
                    .collect(),
            );
            return self.failed(diags);
        }
        let mut files: Vec<String> = stale;
        files.extend(gone.into_iter().filter(|p| prepared.affects(&renderer, p)));
        files.extend(statics_changed);
        files.sort();
        files.dedup();
        let changed = Changed {
            all: prepared.changes_all(),
            pages: prepared.changes_any(),
            files,
        };
        drop(renderer);
        tracing::debug!(
            "render: {:.2?} ({} pages kept, {} rendered)",
            t.elapsed(),
            keep.len(),
            fresh.len()
        );
        self.driver.succeeded(Arc::clone(&generation.archive));
        let snapshot = Snapshot {
            files: statics,
            pages: Some(generation),
            errors: None,
        };
        let update = CacheUpdate {
            keep: keep.into_iter().collect(),
            fresh,
        };
        Built::Good(snapshot, update, changed, diags)
    }

    fn failed(&mut self, diags: Diagnostics) -> Built {
        self.driver.failed();
        Built::Failed(errors_text(diags.clone(), &self.root), diags)
    }
}

/// What a batch of changed paths (absolute) means for the driver. Paths that are no
/// part of the site (a log written beside `site.yaml`, an editor's backup, the output)
/// are left out before anything is decided: one in a batch beside an article edit made
/// every such edit link the whole site (at 10^5 articles, 23 s instead of the fast path's
/// second, while a benchmark's log kept changing in the site's folder).
fn changes_of(root: &Path, paths: &[PathBuf]) -> Changes {
    let site: Vec<(&PathBuf, ChangeKind)> = paths
        .iter()
        .map(|p| (p, classify(root, None, p)))
        .filter(|(_, kind)| *kind != ChangeKind::Ignored)
        .collect();
    // Only edits of existing article files can take the fast path.
    let articles = Path::new("content/articles");
    let edited_articles: Option<Vec<PathBuf>> = site
        .iter()
        .map(|(p, _)| {
            let rel = p.strip_prefix(root).ok()?;
            (rel.starts_with(articles) && p.is_file() && rel.extension().is_some_and(|e| e == "md"))
                .then(|| rel.to_path_buf())
        })
        .collect();
    let theme = site
        .iter()
        .any(|(_, k)| matches!(k, ChangeKind::Templates | ChangeKind::Config));
    let sources = site
        .iter()
        .filter(|(_, k)| {
            matches!(
                k,
                ChangeKind::Content | ChangeKind::Static | ChangeKind::Config
            )
        })
        .map(|(p, _)| (*p).clone())
        .collect();
    Changes {
        sources,
        theme,
        edited_articles,
    }
}

/// How [`patch`] reads static files.
struct Disk<'a> {
    root: &'a Path,
    /// What the batch changed: read again whatever the stamp says.
    touched: &'a BTreeSet<PathBuf>,
    /// Where symlinks may lead.
    inside: &'a Inside,
}

/// The previous snapshot's files with `outputs` (every static file of the new build) put
/// in, and the paths whose bytes changed. A file with the same bytes as before keeps the
/// previous (shared) bytes and does not count as changed; a static file is read into
/// memory here, unless it looks unchanged (see [`statics::body`]), and left out when it
/// cannot be read or is a symlink out of the site (`inside`; the warning goes to
/// `diags`). Files of the previous snapshot not in `outputs` are taken out.
fn patch(
    previous: &imbl::OrdMap<String, Body>,
    outputs: Vec<Output>,
    disk: &Disk<'_>,
    diags: &mut Diagnostics,
) -> (imbl::OrdMap<String, Body>, Vec<String>) {
    // A persistent map: the copy shares the previous snapshot's nodes.
    let mut files = previous.clone();
    let wanted: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    let mut changed: Vec<String> = files
        .keys()
        .filter(|k| !wanted.contains(k.as_str()))
        .cloned()
        .collect();
    for gone in &changed {
        files.remove(gone);
    }
    let mut on_disk = Vec::new();
    for o in outputs {
        let body = match o.content {
            Content::Bytes(b) => match files.get(&o.path) {
                Some(Body::Bytes(old)) if old[..] == b[..] => continue,
                _ => Body::Bytes(b.into()),
            },
            Content::Embedded(s) => match files.get(&o.path) {
                Some(Body::Bytes(old)) if old[..] == *s => continue,
                _ => Body::Bytes(Arc::from(s)),
            },
            Content::File(p) => {
                on_disk.push((o.path, p));
                continue;
            }
            Content::Stream(s) => match s.to_bytes() {
                Ok(b) => match files.get(&o.path) {
                    Some(Body::Bytes(old)) if old[..] == b[..] => continue,
                    _ => Body::Bytes(b.into()),
                },
                Err(e) => {
                    tracing::warn!("cannot make {}: {e}", o.path);
                    continue;
                }
            },
        };
        changed.push(o.path.clone());
        files.insert(o.path, body);
    }
    let found: Vec<(String, PathBuf, Result<Found, Skip>)> = on_disk
        .into_par_iter()
        .map(|(path, from)| {
            let touched = disk.touched.contains(&from);
            let found = statics::body(&from, files.get(&path), touched, disk.inside);
            (path, from, found)
        })
        .collect();
    for (path, from, found) in found {
        match found {
            Ok(Found::Same) => {}
            Ok(Found::Restamped(body)) => {
                files.insert(path, body);
            }
            Ok(Found::Changed(body)) => {
                changed.push(path.clone());
                files.insert(path, body);
            }
            Err(skip) => {
                match skip {
                    Skip::Outside(d) => diags.push(d),
                    // Gone since the walk: the watcher reports it, and the next build
                    // no longer lists it.
                    Skip::Unreadable(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Skip::Unreadable(e) => {
                        let rel = from.strip_prefix(disk.root).unwrap_or(&from);
                        diags.push(Diagnostic::new(
                            Code::Unreadable,
                            rel,
                            None,
                            format!("cannot read: {e}"),
                        ));
                    }
                }
                if files.remove(&path).is_some() {
                    changed.push(path);
                }
            }
        }
    }
    changed.sort();
    (files, changed)
}

#[cfg(test)]
mod tests;
