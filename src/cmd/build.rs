//! `gloss build`: the whole pipeline, writing only when every stage succeeded.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Result;

use super::progress::Progress;
use super::{Outcome, check_root, print_diagnostics, tally};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{self, Archive};
use crate::load::{self, LoadOptions};
use crate::render::theme::{self, Theme};
use crate::render::{self, RenderError};
use crate::write;

/// Options of `build` (and of `check`, which builds without writing).
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Override `base_url`.
    pub base_url: Option<String>,
    /// Show progress on the terminal (stderr is a terminal and not `--quiet`).
    pub progress: bool,
}

/// A site loaded and linked, with its theme: ready to render.
pub struct Linked {
    /// The linked archive.
    pub archive: Archive,
    /// The parsed theme.
    pub theme: Theme,
}

/// Runs load and link and parses the theme. Returns them unless there are errors; the
/// diagnostics (warnings included) come back either way.
pub fn link_site(root: &Path, options: &BuildOptions) -> (Option<Linked>, Diagnostics) {
    link_site_with(root, options, &Progress::new(false))
}

fn link_site_with(
    root: &Path,
    options: &BuildOptions,
    progress: &Progress,
) -> (Option<Linked>, Diagnostics) {
    progress.stage("loading");
    let t = Instant::now();
    let (mut site, mut diags) = load::load(
        root,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    tracing::debug!("load: {:.2?} ({})", t.elapsed(), memory());
    apply_base_url(&mut site, options, &mut diags);
    progress.stage("linking");
    let t = Instant::now();
    let (archive, link_diags) = link::link(site);
    diags.extend(link_diags);
    tracing::debug!("link: {:.2?} ({})", t.elapsed(), memory());
    let theme = match theme::load(root, &archive.config) {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d);
            return (None, diags);
        }
    };
    if diags.has_errors() {
        return (None, diags);
    }
    (Some(Linked { archive, theme }), diags)
}

/// Overrides `base_url` with `--base-url` (or the preview's address).
pub fn apply_base_url(
    site: &mut crate::model::Site,
    options: &BuildOptions,
    diags: &mut Diagnostics,
) {
    let Some(url) = &options.base_url else { return };
    match load::normalise_base_url(url) {
        Some(u) => site.config.base_url = u,
        None => diags.push(
            Diagnostic::error(
                "--base-url",
                None,
                format!("`{url}` is not an absolute http(s) URL"),
            )
            .with_hint("write e.g. `--base-url https://archive.example.org/`"),
        ),
    }
}

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
        if output.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.progress.inc();
        self.writer.put(output)
    }
}

/// `gloss build`.
pub fn build(root: &Path, output: Option<&Path>, options: &BuildOptions) -> Result<Outcome> {
    check_root(root)?;
    let started = Instant::now();
    let out: PathBuf = output.map_or_else(|| root.join("public"), Path::to_path_buf);
    let out = write::check_output_dir(root, &out)
        .map_err(|e| anyhow::anyhow!("{e}\nhint: {}", e.hint()))?;
    tracing::debug!("output folder checked: {:.2?}", started.elapsed());
    let sources = super::fingerprint::sources(root, options);
    if let Some(files) = sources.and_then(|s| write::up_to_date(&out, s)) {
        tracing::info!(
            "nothing changed since the last build: {files} files in {} are up to date ({:.2?})",
            out.display(),
            started.elapsed()
        );
        return Ok(Outcome::Success);
    }
    let progress = Progress::new(options.progress);
    let (linked, mut diags) = link_site_with(root, options, &progress);
    let mut linked = linked.filter(|_| !diags.has_errors());
    if let Some(l) = &mut linked {
        l.archive.drop_markdown();
    }
    let mut written = None;
    if let Some(Linked { archive, theme }) = &linked {
        // Pages go to the writer as they are rendered; it publishes them only on commit.
        let t = Instant::now();
        let publish = Publish {
            writer: write::Writer::begin(&out)?,
            pages: AtomicUsize::new(0),
            progress: &progress,
        };
        match render::render_into(archive, theme, &publish) {
            Ok(files) => {
                tracing::debug!("render + stage: {:.2?} ({})", t.elapsed(), memory());
                progress.stage("writing");
                let t = Instant::now();
                let pages = publish.pages.into_inner();
                // Only a build without warnings may be skipped next time: a skipped build
                // would not show them again.
                let clean = diags.is_empty();
                let stats = publish.writer.commit(sources.filter(|_| clean))?;
                tracing::debug!("write: {:.2?}", t.elapsed());
                written = Some((pages, files, stats));
            }
            Err(RenderError::Templates(d)) => diags.extend(d),
            Err(RenderError::Sink(e)) => return Err(e),
        }
    }
    progress.finish();
    let summary = tally(&diags);
    print_diagnostics(root, diags.sorted());
    let (Some(linked), Some((pages, files, stats))) = (linked, written) else {
        tracing::error!("build failed: {summary}; the output folder was not changed");
        return Ok(Outcome::ContentErrors);
    };
    tracing::info!(
        "built {} articles, {pages} pages, {files} files in {:.2?} -> {} ({} written, {} unchanged, {} removed)",
        linked.archive.articles.len(),
        started.elapsed(),
        out.display(),
        stats.written,
        stats.unchanged,
        stats.removed,
    );
    Ok(Outcome::Success)
}

/// Resident and peak memory of this process, for the debug log (Linux only).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?".to_string(), |v| v.trim().to_string())
    };
    format!("RSS {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
