//! Stage 3, render: turns the linked [`Archive`] into output files in memory, through the
//! theme's Tera templates. Output: every file of the site with its bytes (or where to copy
//! them from); nothing touches the disk here.
//!
//! Site-wide values are serialised once into a base context; each page clones it and adds
//! its own view. Pages render in parallel and are collected in plan order.

mod annotations;
pub(crate) use annotations::PartKeys;
mod article;
mod dates;
mod embeds;
mod feeds;
pub mod i18n;
mod incremental;
mod jsonld;
mod languages;
mod marks;
pub(crate) mod on_demand;
mod pages;
mod search;
mod selectors;
mod sources;
pub mod theme;
pub mod views;

pub(crate) use selectors::entity;

use crate::diag::Code;
use std::collections::BTreeSet;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::Context;

use crate::diag::{Diagnostic, Diagnostics};
use crate::link::Archive;
use crate::routes::plan::{self, Job};
use crate::routes::{Claim, Origin};
use theme::Theme;
use views::{Shared, SiteView};

/// The bytes of an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Rendered in memory.
    Bytes(Vec<u8>),
    /// A file compiled into the binary.
    Embedded(&'static [u8]),
    /// A file on disk, copied as is.
    File(PathBuf),
    /// Made piece by piece as it is written, for a file too large to hold whole
    /// (`/annotations.jsonld`).
    Stream(Stream),
}

/// The bytes of a file made piece by piece ([`Content::Stream`]).
pub trait Pieces: Send + Sync {
    /// Writes the whole file to `out`; may be called more than once, with the same
    /// bytes each time.
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()>;
}

/// A file's [`Pieces`], shared; two are equal when they are the same one.
#[derive(Clone)]
pub struct Stream(pub std::sync::Arc<dyn Pieces>);

impl Stream {
    /// The whole file in memory (the preview's page cache holds it so).
    pub fn to_bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.0.write_to(&mut out)?;
        Ok(out)
    }
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stream(..)")
    }
}

impl PartialEq for Stream {
    fn eq(&self, other: &Stream) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Stream {}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path in the output folder, `/`-separated.
    pub path: String,
    /// What to write there.
    pub content: Content,
}

/// Why a render stopped.
#[derive(Debug)]
pub enum RenderError {
    /// Problems of the site found while rendering: output paths that collide or leave
    /// the output (found before any page is rendered), or templates that failed on some
    /// pages (one diagnostic per broken template).
    Problems(Diagnostics),
    /// The sink could not take a file (a write error).
    Sink(anyhow::Error),
}

/// Renders every page and lists every static file, in memory. Template errors are
/// diagnostics.
pub fn render(archive: &Archive, theme: &Theme) -> Result<Vec<Output>, Diagnostics> {
    render_changed(archive, theme, None).map(|(outputs, _)| outputs)
}

/// Receives the files of a render, from any thread.
pub trait Sink: Sync {
    /// Called once before the first file, with the number of pages and feeds to come
    /// (static files follow them).
    fn expect(&self, _files: usize) {}
    /// Takes one file.
    fn put(&self, output: Output) -> anyhow::Result<()>;
    /// Keeps the file at `path` as the previous render made it, instead of taking it
    /// again: true when the sink still holds it intact; false (the default) and the
    /// page is rendered.
    fn keep(&self, _path: &str) -> bool {
        false
    }
    /// True when the sink keeps every file of the previous render it is not given again
    /// (a snapshot patched in memory), so a search index that did not change is not
    /// rebuilt; false when each file must be given or kept.
    fn holds_previous(&self) -> bool {
        false
    }
    /// Keeps the file at `path` of the previous render when it holds exactly the bytes
    /// whose xxh3-128 hash is `hash`; false (the default) and the file is given again.
    fn keep_same(&self, _path: &str, _hash: u128) -> bool {
        false
    }
}

/// Renders every page and static file of the site into `sink`, each file as soon as it
/// is rendered, so the site is never held in memory as a whole; with `previous` (the
/// archive the sink's files were rendered from), a page that cannot differ from its
/// previous render is kept ([`Sink::keep`]) instead; `parts`, the part keys of
/// `/annotations.jsonld` that `previous`'s build made it of. Returns the number of files
/// given and, when `/annotations.jsonld` was made, the part keys it was made of.
pub(crate) fn render_into(
    archive: &Archive,
    theme: &Theme,
    previous: Option<&Archive>,
    parts: Option<&PartKeys>,
    sink: &dyn Sink,
) -> Result<(usize, Option<PartKeys>), RenderError> {
    struct Counting<'a>(&'a dyn Sink, std::sync::atomic::AtomicUsize);
    impl Sink for Counting<'_> {
        fn expect(&self, files: usize) {
            self.0.expect(files);
        }
        fn put(&self, output: Output) -> anyhow::Result<()> {
            self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.0.put(output)
        }
        fn keep(&self, path: &str) -> bool {
            self.0.keep(path)
        }
        fn holds_previous(&self) -> bool {
            self.0.holds_previous()
        }
        fn keep_same(&self, path: &str, hash: u128) -> bool {
            self.0.keep_same(path, hash)
        }
    }
    let counting = Counting(sink, 0.into());
    let (_, made) = run(archive, theme, previous, parts, &counting, false)?;
    Ok((counting.1.into_inner(), made))
}

/// Renders the pages that differ from those of `previous` (every page without it), plus
/// the static files, in memory. Also returns the output path of every page of the site,
/// rendered or not, so a caller holding the previous outputs can assemble the whole
/// site; `None` instead when the site has the same pages and static files as `previous`.
pub fn render_changed(
    archive: &Archive,
    theme: &Theme,
    previous: Option<&Archive>,
) -> Result<(Vec<Output>, Option<Vec<String>>), Diagnostics> {
    struct Collect(std::sync::Mutex<Vec<Output>>);
    impl Sink for Collect {
        fn put(&self, output: Output) -> anyhow::Result<()> {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(output);
            Ok(())
        }
        // The caller patches the previous snapshot, which holds every page not given.
        fn keep(&self, _path: &str) -> bool {
            true
        }
        fn holds_previous(&self) -> bool {
            true
        }
    }
    let collect = Collect(Default::default());
    let paths = run(archive, theme, previous, None, &collect, true).map(|(paths, _)| paths);
    let paths = match paths {
        Ok(p) => p,
        Err(RenderError::Problems(d)) => return Err(d),
        Err(RenderError::Sink(e)) => unreachable!("collecting in memory cannot fail: {e}"),
    };
    let mut outputs = collect
        .0
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Rendered in parallel: put them in a fixed order.
    outputs.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok((outputs, paths))
}

/// The render: plans the pages, keeps those that differ from `previous`, renders them in
/// parallel and hands each file to `sink`; then the static files. With `list_paths`,
/// also returns every output path (see [`render_changed`]); without, `Some` of an empty
/// list when the set of files may have changed (a path per page is not held for
/// nothing).
fn run(
    archive: &Archive,
    theme: &Theme,
    previous: Option<&Archive>,
    parts: Option<&PartKeys>,
    sink: &dyn Sink,
    list_paths: bool,
) -> Result<(Option<Vec<String>>, Option<PartKeys>), RenderError> {
    let t = std::time::Instant::now();
    let mut shared = Shared::new(archive, &theme.tera, &theme.i18n);
    let base = base_context(archive, theme);
    let all = plan::plan(archive);
    let changes = previous.and_then(|old| {
        incremental::Changes::between(old, archive).map(|c| {
            let same = old.statics == archive.statics && old.variants == archive.variants;
            (c, same)
        })
    });
    let all_paths = || -> Vec<String> {
        if !list_paths {
            return Vec::new();
        }
        all.iter()
            .map(|&job| plan::out_path(archive, job))
            .collect()
    };
    let paths: Option<Vec<String>> = match &changes {
        Some((c, same_statics)) if c.same_pages() && *same_statics => None,
        _ => Some(all_paths()),
    };
    // Before anything is rendered: every output path inside the output, no two sources
    // of one. Checked again whenever the set of files may have changed.
    if paths.is_some() {
        let t = std::time::Instant::now();
        let problems = crate::routes::check_claims(&claims(&shared, &all, theme));
        tracing::debug!("render: output paths checked {:.2?}", t.elapsed());
        if problems.has_errors() {
            return Err(RenderError::Problems(problems));
        }
    }
    let jobs: Vec<Job> = match &changes {
        Some((changes, _)) => all
            .iter()
            .copied()
            .filter(|&job| {
                changes.affects(&shared, job) || !sink.keep(&plan::out_path(archive, job))
            })
            .collect(),
        None => all.clone(),
    };
    tracing::debug!(
        "render: plan {:.2?} ({} of {} pages)",
        t.elapsed(),
        jobs.len(),
        all.len()
    );
    // Which pages, when they are few (tests check that a change renders only them).
    if changes.is_some() && jobs.len() <= 200 {
        let paths: Vec<String> = jobs.iter().map(|&j| plan::out_path(archive, j)).collect();
        tracing::debug!("render: pages planned: {}", paths.join(" "));
    }
    sink.expect(jobs.len());
    // `/annotations.jsonld` is rendered after the pages, from the selectors each article
    // page took from the body it rendered.
    let (last, jobs): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(|&j| j == Job::Annotations);
    if !last.is_empty() {
        shared.keep_annotation_lines(theme.fingerprint);
        // A part whose article page shows nothing changed is the previous build's.
        if let (Some((changes, _)), Some(parts)) = (&changes, parts) {
            let unchanged: Vec<bool> = (0..archive.articles.len())
                .map(|i| !changes.affects(&shared, Job::Article(i)))
                .collect();
            shared.know_parts(parts, |i| unchanged[i]);
        }
    }
    let shared = shared;
    let all = &all;
    // The search index covers every article: written again whenever what it holds
    // changed, beside the pages (it is a few percent of their work).
    let want_search = paths.is_some()
        || changes.as_ref().is_none_or(|(c, _)| c.affects_search())
        || !sink.holds_previous();
    let index_search = || -> anyhow::Result<Vec<String>> {
        if !want_search {
            return Ok(Vec::new());
        }
        let t = std::time::Instant::now();
        let written = search::index(&shared, &|o| sink.put(o), &|p, h| sink.keep_same(p, h))?;
        tracing::debug!(
            "render: search index {:.2?} ({} files)",
            t.elapsed(),
            written.len()
        );
        Ok(written)
    };
    let sink_error: std::sync::Mutex<Option<anyhow::Error>> = std::sync::Mutex::new(None);
    let render_one = |job: Job| -> Option<Diagnostic> {
        let output = match render_job(archive, theme, &shared, &base, all, job) {
            Ok(o) => o,
            Err(d) => return Some(d),
        };
        if let Err(e) = sink.put(output) {
            sink_error
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get_or_insert(e);
        }
        None
    };
    let render_pages = || -> Vec<Diagnostic> {
        let mut failed: Vec<Diagnostic> =
            jobs.par_iter().filter_map(|&job| render_one(job)).collect();
        failed.extend(last.iter().filter_map(|&job| render_one(job)));
        failed
    };
    let (failed, search_paths) = rayon::join(render_pages, index_search);
    tracing::debug!("render: pages {:.2?}", t.elapsed());
    if let Some(e) = sink_error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(RenderError::Sink(e));
    }
    // Report each broken template once, not once per page.
    let mut seen = BTreeSet::new();
    let diags: Diagnostics = failed
        .into_iter()
        .collect::<Diagnostics>()
        .sorted()
        .into_iter()
        .filter(|d| seen.insert(d.path.clone()))
        .collect();
    if diags.has_errors() {
        return Err(RenderError::Problems(diags));
    }
    let search_paths = search_paths.map_err(RenderError::Sink)?;
    // A page that showed a body the store could not give back must not be published.
    if let Some(path) = archive.lost_body() {
        return Err(RenderError::Sink(anyhow::anyhow!(
            "cannot read the rendered body of {} back from the build cache (a damaged disk?); build again with --no-cache",
            path.display()
        )));
    }
    let mut paths = paths;
    if let Some(p) = paths.as_mut().filter(|_| list_paths) {
        p.extend(search_paths);
    }
    for o in statics(archive, theme) {
        sink.put(o).map_err(RenderError::Sink)?;
    }
    Ok((paths, shared.take_made_parts()))
}

/// The context every page starts from: the site-wide values, serialised once.
fn base_context(archive: &Archive, theme: &Theme) -> Context {
    let mut base = Context::new();
    base.insert("site", &SiteView::new(archive, &theme.i18n));
    // What every page has unless its own view says otherwise (pages::context does).
    base.insert("lang", &archive.config.language);
    base.insert("dir", crate::lang::dir(&archive.config.language));
    base.insert("feed_href", "feed.xml");
    base.insert("alternates", &Vec::<serde_json::Value>::new());
    base
}

/// Renders one page or file of the plan.
fn render_job(
    archive: &Archive,
    theme: &Theme,
    shared: &Shared<'_>,
    base: &Context,
    all: &[Job],
    job: Job,
) -> Result<Output, Diagnostic> {
    let mut ctx = base.clone();
    let template = match job {
        Job::Feed(of) => {
            let of = match of {
                None => feeds::FeedOf::Site,
                Some((kind, i)) => feeds::FeedOf::Entity(kind, i),
            };
            feeds::feed_context(shared, of, &mut ctx)
                .map_err(|e| embed_error(archive, shared, job, &e))?;
            "feed.xml"
        }
        Job::Language(l, crate::routes::plan::Listing::Feed) => {
            feeds::feed_context(shared, feeds::FeedOf::Language(l), &mut ctx)
                .map_err(|e| embed_error(archive, shared, job, &e))?;
            "feed.xml"
        }
        Job::CorrectionsFeed => {
            sources::corrections_feed_context(shared, &mut ctx);
            "feed.xml"
        }
        Job::Sitemap(part) => {
            // Every HTML page of the site, rendered now or not.
            let urls: Vec<(String, Option<&str>)> = all
                .iter()
                .filter_map(|&job| {
                    let dir = plan::dir(shared.archive, job)?;
                    let lastmod = match job {
                        Job::Article(i) => Some(shared.updated_iso(i)),
                        _ => None,
                    };
                    Some((shared.url(&dir), lastmod))
                })
                .collect();
            feeds::sitemap_context(shared, &urls, part, &mut ctx);
            "sitemap.xml"
        }
        Job::Redirect(i) => {
            feeds::redirect_context(shared, i, &mut ctx);
            "redirect.html"
        }
        Job::Redirects => {
            return Ok(Output {
                path: plan::out_path(shared.archive, job),
                content: Content::Bytes(feeds::redirects_file(shared).into_bytes()),
            });
        }
        Job::Annotations => {
            let t = std::time::Instant::now();
            let content = Content::Stream(
                annotations::collection(shared, theme.fingerprint)
                    .map_err(|e| embed_error(archive, shared, job, &e))?,
            );
            tracing::debug!("render: annotations.jsonld {:.2?}", t.elapsed());
            return Ok(Output {
                path: plan::out_path(shared.archive, job),
                content,
            });
        }
        _ => pages::context(shared, job, &mut ctx)
            .map_err(|e| embed_error(archive, shared, job, &e))?,
    };
    let mut bytes = Vec::with_capacity(16 * 1024);
    theme
        .tera
        .render_to(template, &ctx, &mut bytes)
        .map_err(|e| {
            let path = theme::describe(&archive.root, &archive.config, template);
            Diagnostic::new(
                Code::Template,
                path,
                None,
                format!(
                    "cannot render `{}`: {}",
                    plan::out_path(shared.archive, job),
                    theme::one_line(&e)
                ),
            )
            .with_hint(
                "check the template against the variables listed in README.md, section Theming",
            )
        })?;
    Ok(Output {
        path: plan::out_path(shared.archive, job),
        content: Content::Bytes(bytes),
    })
}

/// The error of the theme's embed or mark template on page `job` (Tera names the
/// template in the error: the mark template's errors mention it, the embed's do not).
fn embed_error(archive: &Archive, shared: &Shared<'_>, job: Job, e: &tera::Error) -> Diagnostic {
    let text = theme::one_line(e);
    let (template, what) = if text.contains(marks::TEMPLATE) {
        (marks::TEMPLATE, "the quotes and annotations")
    } else {
        (embeds::TEMPLATE, "a figure, video or social post")
    };
    let path = theme::describe(&archive.root, &archive.config, template);
    Diagnostic::new(
        crate::diag::Code::Template,
        path,
        None,
        format!(
            "cannot render {what} of `{}`: {text}",
            plan::out_path(shared.archive, job),
        ),
    )
    .with_hint("check the template against the variables listed in README.md, section Theming")
}

/// The static files of the theme and the site; a site static file replaces a theme one
/// of the same path. (Clashes with generated files are errors of [`claims`] before.)
fn statics(archive: &Archive, theme: &Theme) -> Vec<Output> {
    let site: BTreeSet<&str> = archive
        .statics
        .iter()
        .map(|s| s.out_path.as_str())
        .collect();
    let mut outputs = Vec::new();
    for (path, source) in &theme.statics {
        if site.contains(path.as_str()) {
            continue;
        }
        let content = match source {
            theme::Source::Embedded(text) => Content::Embedded(text),
            theme::Source::File(p) => Content::File(p.clone()),
        };
        outputs.push(Output {
            path: path.clone(),
            content,
        });
    }
    for s in &archive.statics {
        outputs.push(Output {
            path: s.out_path.clone(),
            content: Content::File(s.from.clone()),
        });
    }
    // A copy not made (its image could not be decoded) is the original, so every
    // `srcset` candidate is there.
    for v in &archive.variants {
        outputs.push(Output {
            path: v.out_path.clone(),
            content: Content::File(v.made.clone().unwrap_or_else(|| v.from.clone())),
        });
    }
    outputs
}

/// Every file a render writes, with what makes it: the pages and feeds of the plan,
/// the search index's entry file, the site's static files and the theme's that the site
/// does not replace.
fn claims(shared: &Shared<'_>, plan: &[Job], theme: &Theme) -> Vec<Claim> {
    let archive = shared.archive;
    let mut claims: Vec<Claim> = plan
        .iter()
        .map(|&job| plan::claim(shared.archive, job))
        .collect();
    claims.push(Claim {
        path: search::META.into(),
        origin: Origin::Generated("gloss's search index".into()),
        span: None,
    });
    let site: BTreeSet<&str> = archive
        .statics
        .iter()
        .map(|s| s.out_path.as_str())
        .collect();
    for s in &archive.statics {
        let rel = s.from.strip_prefix(&archive.root).unwrap_or(&s.from);
        claims.push(Claim {
            path: s.out_path.clone(),
            origin: Origin::File(rel.to_path_buf()),
            span: None,
        });
    }
    for v in &archive.variants {
        claims.push(Claim {
            path: v.out_path.clone(),
            origin: Origin::Generated(format!("gloss's {}-pixel copy of `{}`", v.width, v.source)),
            span: None,
        });
    }
    for (path, source) in theme
        .statics
        .iter()
        .filter(|(p, _)| !site.contains(p.as_str()))
    {
        let shown = match source {
            theme::Source::Embedded(_) => PathBuf::from("themes/default/static").join(path),
            theme::Source::File(p) => p.strip_prefix(&archive.root).unwrap_or(p).to_path_buf(),
        };
        claims.push(Claim {
            path: path.clone(),
            origin: Origin::Theme(shown),
            span: None,
        });
    }
    claims
}
