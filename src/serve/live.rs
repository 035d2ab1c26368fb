//! The build loop of `gloss serve`: the first build, then a rebuild for every batch of
//! changes, each published to the HTTP thread as a new snapshot. A build loads and links
//! the site and reads its static files; its pages are rendered when they are asked for
//! (see [`super::pages`]), and a rebuild keeps the cached pages that cannot differ. A
//! failed build keeps the last good snapshot and shows its errors in the browser; the
//! loop never exits on a content error.

use crate::diag::Code;
use std::collections::{BTreeSet, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use rayon::prelude::*;

use super::pages::{Generation, errors_text};
use super::state::{Body, CacheUpdate, Event, Shared, Snapshot};
use super::statics::{self, Found, Skip};
use super::watch::{ChangeKind, Watcher, classify};
use crate::diag::{self, Diagnostic, Diagnostics};
use crate::driver::progress::Progress;
use crate::driver::{BuildOptions, Changes, Driver};
use crate::load::{Inside, Loader};
use crate::render::on_demand::{self, Renderer, is_search_file};
use crate::render::{Content, Output};

/// Options of `gloss serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind.
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Neither read nor update the build cache.
    pub no_cache: bool,
    /// The bytes of rendered pages kept in memory (see [`super::pages`]).
    pub budget: usize,
}

/// How many of the cached pages a rebuild renders again at once, most recently used
/// first (the page open in the browser among them): it finds a template that fails
/// before the build is published, and the reload finds them ready.
const EAGER: usize = 16;

/// How long the watcher waits after the last event on a path before reporting it.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// How long the stream of batches must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(10);

/// When to read a new folder again (see the loop in [`serve`]).
const RECHECK_AFTER: Duration = Duration::from_millis(300);

/// Builds the site through the [`Driver`] and turns the result into a snapshot. The
/// driver keeps what the last build loaded and linked, so a rebuild reads only changed
/// files and renders only the bodies whose inputs changed; pages are rendered on request.
struct Builder {
    root: PathBuf,
    driver: Driver,
    /// Every path the latest batch changed (a static file among them is read again even
    /// if its stamp looks the same).
    touched: BTreeSet<PathBuf>,
}

/// What a build changed, for the browsers.
#[derive(Debug, Default)]
struct Changed {
    /// Every page may differ.
    all: bool,
    /// Some page may differ.
    pages: bool,
    /// The files that changed (static files) or may show something else (pages cached
    /// or served lately).
    files: Vec<String>,
}

/// The outcome of one build.
enum Built {
    /// A new snapshot, what becomes of the cached pages, and what changed.
    Good(Snapshot, CacheUpdate, Changed, Diagnostics),
    /// The errors, as text.
    Failed(Arc<str>, Diagnostics),
}

impl Builder {
    fn new(root: &Path, options: BuildOptions) -> Builder {
        Builder {
            root: root.to_path_buf(),
            driver: Driver::new(root, options),
            touched: BTreeSet::new(),
        }
    }

    /// Files read so far that are gone now (see [`Loader::vanished`]).
    fn vanished(&self) -> Vec<PathBuf> {
        self.driver
            .loader()
            .map(Loader::vanished)
            .unwrap_or_default()
    }

    /// Number of files the last build read.
    fn files_read(&self) -> usize {
        self.driver.loader().map_or(0, Loader::len)
    }

    /// Takes in a batch of changed paths.
    fn apply(&mut self, paths: &[PathBuf]) {
        // notify's debouncer drops every event of a path it saw created and removed in
        // one window (an editor's atomic save, then a delete), so a file read before can
        // vanish unannounced; a soak test of 1,000 random changes caught it.
        let mut paths = paths.to_vec();
        paths.extend(self.vanished());
        let paths = paths.as_slice();
        tracing::debug!("{} changed paths", paths.len());
        self.touched = paths.iter().cloned().collect();
        let kinds: BTreeSet<ChangeKind> = paths
            .iter()
            .map(|p| classify(&self.root, None, p))
            .collect();
        // Only edits of existing article files can take the fast path.
        let articles = Path::new("content/articles");
        let edited_articles: Option<Vec<PathBuf>> = paths
            .iter()
            .map(|p| {
                let rel = p.strip_prefix(&self.root).ok()?;
                (rel.starts_with(articles)
                    && p.is_file()
                    && rel.extension().is_some_and(|e| e == "md"))
                .then(|| rel.to_path_buf())
            })
            .collect();
        let sources: Vec<PathBuf> = paths
            .iter()
            .filter(|p| {
                matches!(
                    classify(&self.root, None, p),
                    ChangeKind::Content | ChangeKind::Static | ChangeKind::Config
                )
            })
            .cloned()
            .collect();
        self.driver.apply(Changes {
            sources,
            theme: kinds.contains(&ChangeKind::Templates) || kinds.contains(&ChangeKind::Config),
            edited_articles,
        });
    }

    fn build(&mut self, shared: &Shared) -> Built {
        let previous = shared.current();
        let t = Instant::now();
        let (archive, mut diags) = self.driver.link(&Progress::new(false));
        self.driver.save_cache();
        tracing::debug!("load + link: {:.2?}", t.elapsed());
        let (Some(mut archive), Some(theme)) = (archive, self.driver.shared_theme()) else {
            return self.failed(diags);
        };
        let t = Instant::now();
        match self.driver.resize(&mut archive, &Progress::new(false)) {
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
        let g = &*generation;
        let renderer = Renderer::new(&g.archive, &g.theme, &g.routes);
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

/// Runs `gloss serve` until Ctrl-C.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<()> {
    // Watch events carry absolute paths; classify them against an absolute root.
    let root = &root
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", root.display()))?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("cannot install the Ctrl-C handler")?;
    // Bind first: the preview's absolute URLs (feeds, canonical, the 404 page) use the
    // server's own address, as Zola and Hugo do, so no link leaves the preview.
    // Watch before the first build, so no change made while it runs is missed, and
    // before the URL is printed, so a change made as soon as it is shown is seen.
    let (mut watcher, events) =
        Watcher::start(root, DEBOUNCE).context("cannot watch the site's folders")?;
    let shared = Shared::with_budget(Snapshot::default(), options.budget);
    let server = super::http::start(
        SocketAddr::new(options.bind, options.port),
        Arc::clone(&shared),
    )?;
    let url = format!("http://{}/", server.addr);
    let mut builder = Builder::new(
        root,
        BuildOptions {
            drafts: options.drafts,
            base_url: Some(url.clone()),
            progress: false,
            no_cache: options.no_cache,
        },
    );
    let started = Instant::now();
    match builder.build(&shared) {
        Built::Good(snapshot, update, _, diags) => {
            diag::print(root, diags.sorted());
            let pages = snapshot.pages.as_ref().map_or(0, |g| g.routes.len());
            tracing::info!(
                "ready in {:.0?}: {pages} pages, rendered when asked for",
                started.elapsed()
            );
            shared.publish_build(snapshot, update, Some(Event::Reload));
        }
        Built::Failed(text, diags) => {
            diag::print(root, diags.sorted());
            tracing::error!("build failed: the browser shows the errors until they are fixed");
            let empty = Snapshot {
                errors: Some(Arc::clone(&text)),
                ..Snapshot::default()
            };
            shared.publish(empty, Event::Errors(text));
        }
    }
    if !options.bind.is_loopback() {
        tracing::warn!(
            "warning: serving on {} makes the preview reachable from other machines, \
             and it answers requests for any host name",
            options.bind
        );
    }
    tracing::info!("serving {} at {url} (Ctrl-C to stop)", root.display());
    if options.open
        && let Err(e) = opener::open(&url)
    {
        tracing::warn!("cannot open a browser: {e}");
    }
    // New folders, to read again a moment later: files written into a folder before
    // the recursive watch reaches it raise no event (inotify adds that watch itself).
    let mut recheck: Vec<(Instant, PathBuf)> = Vec::new();
    // The debouncer loses a file saved atomically and deleted within one window (see
    // `Builder::apply`); when nothing else happens, a sweep finds it: every second, or
    // every 10 s per 100,000 files read (a `stat` each).
    let mut last_sweep = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let batch = match events.recv_timeout(Duration::from_millis(100)) {
            Ok(batch) => batch,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                let due: Vec<PathBuf> = recheck
                    .iter()
                    .filter(|(t, _)| *t <= now)
                    .map(|(_, p)| p.clone())
                    .collect();
                if !due.is_empty() {
                    recheck.retain(|(t, _)| *t > now);
                    builder.apply(&due);
                    rebuild(&mut builder, &shared);
                }
                let every = Duration::from_millis(1000.max(builder.files_read() as u64 / 10));
                if now.duration_since(last_sweep) >= every {
                    last_sweep = now;
                    let gone = builder.vanished();
                    if !gone.is_empty() {
                        tracing::debug!("{} files gone without an event", gone.len());
                        builder.apply(&gone);
                        rebuild(&mut builder, &shared);
                    }
                }
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut paths: Vec<PathBuf> = match batch {
            Ok(events) => events
                .into_iter()
                .filter(|e| is_change(&e.event.kind))
                .flat_map(|e| e.event.paths)
                .collect(),
            Err(errors) => {
                for e in errors {
                    tracing::warn!("watch error: {e}");
                }
                vec![root.join("content")]
            }
        };
        // The debouncer settles each path on its own, so a burst over many files (a git
        // checkout) arrives as several batches: take them all until the stream is quiet.
        while let Ok(more) = events.recv_timeout(QUIET) {
            if let Ok(more) = more {
                paths.extend(
                    more.into_iter()
                        .filter(|e| is_change(&e.event.kind))
                        .flat_map(|e| e.event.paths),
                );
            }
        }
        paths.extend(watcher.watch_new_dirs());
        let kind = paths
            .iter()
            .map(|p| classify(root, None, p))
            .max()
            .unwrap_or(ChangeKind::Ignored);
        if kind == ChangeKind::Ignored {
            continue;
        }
        let later = Instant::now() + RECHECK_AFTER;
        for dir in paths
            .iter()
            .filter(|p| p.is_dir() && classify(root, None, p) != ChangeKind::Ignored)
        {
            recheck.retain(|(_, p)| p != dir);
            recheck.push((later, dir.clone()));
        }
        builder.apply(&paths);
        rebuild(&mut builder, &shared);
    }
    tracing::info!("stopping");
    server.shutdown();
    Ok(())
}

/// True for events that can change what a build reads. Reads (access events) are not
/// changes: counting them would make every rebuild, which reads files, trigger another.
fn is_change(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match kind {
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Any
        | EventKind::Other => true,
    }
}

/// One rebuild: publish the new snapshot, or the errors over the last good one.
fn rebuild(builder: &mut Builder, shared: &Shared) {
    let started = Instant::now();
    let previous = shared.current();
    match builder.build(shared) {
        Built::Good(snapshot, update, changed, diags) => {
            diag::print(&builder.root, diags.sorted());
            let was_failing = previous.errors.is_some();
            let files = &changed.files;
            let event = if changed.all {
                tracing::info!("rebuilt in {:.0?}: every page", started.elapsed());
                Some(Event::Reload)
            } else if files.is_empty() && !changed.pages && !was_failing {
                tracing::debug!("rebuilt in {:.0?}: nothing changed", started.elapsed());
                None
            } else {
                tracing::info!(
                    "rebuilt in {:.0?}: {} files changed",
                    started.elapsed(),
                    files.len()
                );
                let css_only =
                    !was_failing && !changed.pages && files.iter().all(|p| p.ends_with(".css"));
                Some(if css_only { Event::Css } else { Event::Reload })
            };
            shared.publish_build(snapshot, update, event);
            let (pages, bytes) = shared.cache().usage();
            tracing::debug!("page cache: {pages} pages, {} KiB", bytes >> 10);
        }
        Built::Failed(text, diags) => {
            diag::print(&builder.root, diags.sorted());
            tracing::error!("rebuild failed: still serving the last good build");
            let kept = Snapshot {
                errors: Some(Arc::clone(&text)),
                ..previous.as_ref().clone()
            };
            shared.publish(kept, Event::Errors(text));
        }
    }
}

#[cfg(test)]
mod tests;
