//! The build loop of `gloss serve`: the first build, then a rebuild for every batch of
//! changes, each published to the HTTP thread as a new snapshot. A build loads and links
//! the site and reads its static files; its pages are rendered when they are asked for
//! (see [`super::pages`]), and a rebuild keeps the cached pages that cannot differ. A
//! failed build keeps the last good snapshot and shows its errors in the browser; the
//! loop never exits on a content error.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use super::builder::{Builder, Built};
use super::state::{Event, Shared, Snapshot};
use super::watch::{ChangeKind, Watcher, classify};
use crate::driver::BuildOptions;

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

/// How long the watcher waits after the last event on a path before reporting it.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// How long the stream of batches must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(10);

/// When to read a new folder again (see the loop in [`serve`]).
const RECHECK_AFTER: Duration = Duration::from_millis(300);

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
    let t = Instant::now();
    let (mut watcher, events) =
        Watcher::start(root, DEBOUNCE).context("cannot watch the site's folders")?;
    tracing::debug!("serve: watching in {:.2?}", t.elapsed());
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
            let pages = snapshot.pages.as_ref().map_or(0, |g| g.routes.len());
            // The pages first: printing the warnings of a large archive takes seconds
            // (100k bench articles: 104,767 of them), and the preview need not wait.
            shared.publish_build(snapshot, update, Some(Event::Reload));
            tracing::info!(
                "ready in {:.0?}: {pages} pages, rendered when asked for",
                started.elapsed()
            );
            builder.report(diags);
        }
        Built::Failed(text, diags) => {
            builder.report(diags);
            tracing::error!("build failed: the browser shows the errors until they are fixed");
            let empty = Snapshot {
                errors: Some(Arc::clone(&text)),
                ..Snapshot::default()
            };
            shared.publish(empty, Event::Errors(text));
        }
    }
    builder.save_cache();
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
            // The browsers first: printing thousands of warnings takes seconds.
            shared.publish_build(snapshot, update, event);
            let (pages, bytes) = shared.cache().usage();
            tracing::debug!("page cache: {pages} pages, {} KiB", bytes >> 10);
            builder.report(diags);
        }
        Built::Failed(text, diags) => {
            let kept = Snapshot {
                errors: Some(Arc::clone(&text)),
                ..previous.as_ref().clone()
            };
            shared.publish(kept, Event::Errors(text));
            builder.report(diags);
            tracing::error!("rebuild failed: still serving the last good build");
        }
    }
    builder.save_cache();
}
