//! `gloss build`: the whole pipeline, writing only when every stage succeeded.
//!
//! A build locks its output folder ([`write::lock_output`], a lock kept in `.gloss/`),
//! so a second build into it waits for the first. Ctrl-C (SIGINT, and SIGTERM or SIGHUP) stops a build at once
//! before it writes, abandons rendering (removing the staging folder) while it renders,
//! and lets the commit finish while it publishes: an interrupted build leaves the output
//! either as it was or as the finished build, never in between. A build killed outright
//! (SIGKILL) can leave a mix of old and new files, each one whole, and a staging folder
//! that the next build removes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Result;

use super::{Outcome, check_root, tally};
use crate::driver::progress::Progress;
use crate::driver::{self, BuildOptions, Driver};
use crate::render::{self, RenderError};
use crate::write;

/// Where `build` renders to: the writer's staging folder, counting pages as they go.
struct Publish<'a> {
    writer: write::Writer,
    pages: AtomicUsize,
    progress: &'a Progress,
}

impl render::Sink for Publish<'_> {
    fn expect(&self, files: usize) {
        self.progress.count("rendering", files);
    }

    fn put(&self, output: render::Output) -> Result<()> {
        if INTERRUPTED.load(Ordering::SeqCst) {
            anyhow::bail!("interrupted");
        }
        if output.path.ends_with(".html") {
            let before = self.pages.fetch_add(1, Ordering::Relaxed);
            // Lets tests check what a bug in the middle of a build leaves behind; debug
            // builds only (`cfg!` folds the check away in release builds).
            if cfg!(debug_assertions)
                && before == 3
                && std::env::var_os("GLOSS_TEST_PANIC").is_some()
            {
                panic!("GLOSS_TEST_PANIC is set");
            }
        }
        self.progress.inc();
        self.writer.put(output)
    }

    fn keep(&self, path: &str) -> bool {
        self.writer.keep(path)
    }

    fn keep_same(&self, path: &str, hash: u128) -> bool {
        self.writer.keep_same(path, hash)
    }
}

/// `gloss build`.
pub fn build(
    root: &Path,
    output: Option<&Path>,
    options: &BuildOptions,
    format: crate::diag::Format,
) -> Result<Outcome> {
    check_root(root)?;
    let started = Instant::now();
    let out: PathBuf = output.map_or_else(|| root.join("public"), Path::to_path_buf);
    if output.is_none() {
        default_output_stays_inside(root, &out)?;
    }
    let check = |out: &Path| {
        write::check_output_dir(root, out).map_err(|e| anyhow::anyhow!("{e}\nhint: {}", e.hint()))
    };
    // Checked before anything is created: a refused path stays untouched.
    let mut out = check(&out)?;
    let created = !out.exists();
    handle_interrupts();
    let ledger = write::Ledger::of(root, &out);
    let lock = write::lock_output(&ledger, write::LOCK_WAIT)?;
    if lock.waited {
        // The build we waited for changed the folder.
        out = check(&out)?;
    }
    // Now, not only when writing: a build found up to date must not leave a killed
    // build's staging folder to be published.
    write::remove_leftovers(&out)?;
    tracing::debug!("output folder checked: {:.2?}", started.elapsed());
    let sources = driver::fingerprint::sources(root, options);
    let skipped = sources
        .and_then(|s| write::up_to_date(&ledger, s.hash))
        .and_then(|(files, warnings)| Some((files, recorded_warnings(&warnings)?)));
    if let Some((files, warnings)) = skipped {
        // The warnings of the build that made this output, as that build showed them.
        super::report(root, warnings, format, false);
        tracing::info!(
            "nothing changed since the last build: {files} files in {} are up to date ({:.2?})",
            out.display(),
            started.elapsed()
        );
        return Ok(Outcome::Success);
    }
    let progress = Progress::new(options.progress);
    let mut driver = Driver::new(root, options.clone());
    let (mut linked, mut diags) = driver.link(&progress);
    driver.forget_bodies();
    if let Some(archive) = &mut linked {
        diags.extend(driver.resize(archive, &progress, true)?);
    }
    // The archive the output's files were rendered from, rebuilt from the cache: only
    // the pages that differ from it are rendered again.
    let previous = linked
        .as_ref()
        .zip(write::previous_state(&ledger))
        .and_then(|(archive, state)| driver.previous(&state, archive));
    driver.save_cache();
    let state = linked.as_ref().and_then(|a| driver.state(a));
    let mut written = None;
    if let Some(archive) = &linked {
        // Pages go to the writer as they are rendered; it publishes them only on commit.
        let t = Instant::now();
        // From here a signal must not kill the build at once: the writer has a staging
        // folder to remove.
        PHASE.store(STAGING, Ordering::SeqCst);
        if INTERRUPTED.load(Ordering::SeqCst) {
            exit_interrupted("the output folder was not changed");
        }
        let publish = Publish {
            writer: write::Writer::begin(&ledger)?,
            pages: AtomicUsize::new(0),
            progress: &progress,
        };
        let rendered = driver.render_into(archive, previous.as_ref(), state.as_deref(), &publish);
        drop(previous);
        if INTERRUPTED.load(Ordering::SeqCst) {
            drop(publish); // removes the staging folder
            exit_interrupted("the output folder was not changed");
        }
        match rendered {
            Ok(files) => {
                tracing::debug!("render + stage: {:.2?} ({})", t.elapsed(), driver::memory());
                progress.stage("writing");
                let t = Instant::now();
                let pages = publish.pages.into_inner();
                // A build skipped next time shows these warnings again.
                let warnings = if diags.is_empty() {
                    Some(Vec::new())
                } else {
                    serde_json::to_vec(&diags.clone().sorted()).ok()
                };
                // A fingerprint of sources saved just now may miss a second save in the
                // same clock tick: not recorded, so the next build runs.
                let skip = sources
                    .filter(|s| s.settled)
                    .map(|s| s.hash)
                    .zip(warnings.as_deref())
                    .map(|(sources, warnings)| write::Skip { sources, warnings });
                // A signal now waits for the commit: stopping halfway through its renames
                // would leave a mix of old and new pages.
                PHASE.store(COMMITTING, Ordering::SeqCst);
                let stats = publish.writer.commit(skip, state.as_deref())?;
                PHASE.store(IDLE, Ordering::SeqCst);
                tracing::debug!("write: {:.2?}", t.elapsed());
                if INTERRUPTED.load(Ordering::SeqCst) {
                    exit_interrupted("the build was published first, the output is complete");
                }
                written = Some((pages, files, stats));
            }
            Err(RenderError::Problems(d)) => diags.extend(d),
            Err(RenderError::Sink(e)) => {
                // The writer removed its staging folder when `publish` was dropped.
                let unchanged = format!("{} was not changed", out.display());
                return Err(e.context(format!("the build stopped before publishing: {unchanged}")));
            }
        }
        PHASE.store(IDLE, Ordering::SeqCst);
    }
    drop(lock);
    if created && written.is_none() {
        // A failed first build leaves no output folder (the writer may have made it).
        let _ = std::fs::remove_dir(&out);
    }
    progress.finish();
    let summary = tally(&diags);
    let failed = linked.is_none() || written.is_none();
    super::report(root, diags.sorted(), format, failed);
    let (Some(archive), Some((pages, files, stats))) = (linked, written) else {
        tracing::error!("build failed: {summary}; the output folder was not changed");
        return Ok(Outcome::ContentErrors);
    };
    tracing::info!(
        "built {} articles, {pages} pages, {files} files in {:.2?} -> {} ({} written, {} unchanged, {} removed)",
        archive.articles.len(),
        started.elapsed(),
        out.display(),
        stats.written,
        stats.unchanged,
        stats.removed,
    );
    Ok(Outcome::Success)
}

/// The warnings a build recorded for the next one to show (see [`write::Skip`]);
/// `None` when the record does not read back (then the build runs).
fn recorded_warnings(bytes: &[u8]) -> Option<Vec<crate::diag::Diagnostic>> {
    if bytes.is_empty() {
        return Some(Vec::new());
    }
    serde_json::from_slice(bytes).ok()
}

/// The default output `public/` must be the site's own folder: one committed as a
/// symlink to elsewhere would make gloss write where the user never said. (`--output`
/// may point anywhere the refusals allow: the user chose it.)
fn default_output_stays_inside(root: &Path, out: &Path) -> Result<()> {
    let is_link = std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(());
    }
    let target = write::resolve_output(out);
    if target.starts_with(write::resolve_output(root)) {
        return Ok(());
    }
    anyhow::bail!(
        "refusing to write into `{}`: it is a symlink to `{}`, outside the site\nhint: pass `--output {}` to build there on purpose, or remove the link",
        out.display(),
        target.display(),
        target.display()
    )
}

/// What a signal does now: see [`on_interrupt`].
static PHASE: AtomicU8 = AtomicU8::new(IDLE);
/// Nothing of this build is on disk: a signal ends the process at once.
const IDLE: u8 = 0;
/// Rendering into the staging folder: a signal makes the next file fail, and the build
/// removes the staging folder and exits.
const STAGING: u8 = 1;
/// Publishing: a signal waits for the commit to finish.
const COMMITTING: u8 = 2;
/// Set by the first signal.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Routes Ctrl-C, SIGTERM and SIGHUP to [`on_interrupt`] (once per process).
fn handle_interrupts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Another handler in this process (only `serve` sets one) keeps the signals'
        // default, which is as safe as a kill: the next build cleans up.
        if let Err(e) = ctrlc::set_handler(on_interrupt) {
            tracing::debug!("no signal handler: {e}");
        }
    });
}

/// What a signal does, by [`PHASE`]; a second signal ends the process whatever it does.
fn on_interrupt() {
    let again = INTERRUPTED.swap(true, Ordering::SeqCst);
    // The process exits from this thread; the main thread's work is dropped, as under a
    // kill.
    match PHASE.load(Ordering::SeqCst) {
        IDLE => exit_interrupted("the output folder was not changed"),
        STAGING if again => exit_interrupted(
            "the output folder was not changed; the next build removes the staging folder",
        ),
        _ if again => exit_interrupted(
            "the output folder may hold a mix of old and new files, each whole; run `gloss build` again",
        ),
        _ => {}
    }
}

/// Ends the process as an interrupted command does (exit code 130, as shells report
/// SIGINT), saying what became of the output.
fn exit_interrupted(what: &str) -> ! {
    eprintln!("gloss build interrupted: {what}");
    std::process::exit(130)
}
