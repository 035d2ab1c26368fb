//! Stage 3, render: turns the linked [`Archive`] into output files in memory, through the
//! theme's Tera templates. Output: every file of the site with its bytes (or where to copy
//! them from); nothing touches the disk here.
//!
//! Site-wide values are serialised once into a base context; each page clones it and adds
//! its own view. Pages render in parallel and are collected in plan order.

mod article;
mod feeds;
mod incremental;
mod jsonld;
mod pages;
pub mod theme;
pub mod views;

use std::collections::BTreeSet;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::Context;

use crate::diag::{Diagnostic, Diagnostics};
use crate::link::Archive;
use pages::Job;
use theme::Theme;
use views::{Shared, SiteView};

/// The bytes of an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Rendered in memory.
    Bytes(Vec<u8>),
    /// A file compiled into the binary.
    Embedded(&'static str),
    /// A file on disk, copied as is.
    File(PathBuf),
}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path in the output folder, `/`-separated.
    pub path: String,
    /// What to write there.
    pub content: Content,
}

/// Renders every page and lists every static file. Template errors are diagnostics.
pub fn render(archive: &Archive, theme: &Theme) -> Result<Vec<Output>, Diagnostics> {
    render_changed(archive, theme, None).map(|(outputs, _)| outputs)
}

/// Renders the pages that differ from those of `previous` (every page without it), plus
/// the static files. Also returns the output path of every page of the site, rendered
/// or not, so a caller holding the previous outputs can assemble the whole site; `None`
/// instead when the site has the same pages and static files as `previous`.
pub fn render_changed(
    archive: &Archive,
    theme: &Theme,
    previous: Option<&Archive>,
) -> Result<(Vec<Output>, Option<Vec<String>>), Diagnostics> {
    let t = std::time::Instant::now();
    let shared = Shared::new(archive);
    let mut base = Context::new();
    base.insert("site", &SiteView::new(archive));
    let all = pages::plan(&shared);
    let changes = previous.and_then(|old| {
        incremental::Changes::between(old, archive).map(|c| (c, old.statics == archive.statics))
    });
    let paths: Option<Vec<String>> = match &changes {
        Some((c, same_statics)) if c.same_pages() && *same_statics => None,
        _ => Some(
            all.iter()
                .map(|&job| pages::out_path(&shared, job))
                .collect(),
        ),
    };
    let jobs: Vec<Job> = match &changes {
        Some((changes, _)) => all
            .iter()
            .copied()
            .filter(|&job| changes.affects(&shared, job))
            .collect(),
        None => all.clone(),
    };
    tracing::debug!(
        "render: plan {:.2?} ({} of {} pages)",
        t.elapsed(),
        jobs.len(),
        all.len()
    );
    let jobs = &jobs;
    let all = &all;
    let rendered: Vec<Result<Output, Diagnostic>> = jobs
        .par_iter()
        .map(|&job| {
            let mut ctx = base.clone();
            let template = match job {
                Job::Feed(of) => {
                    feeds::feed_context(&shared, of, &mut ctx);
                    "feed.xml"
                }
                Job::Sitemap => {
                    // Every HTML page of the site, rendered now or not.
                    let urls: Vec<(String, Option<&str>)> = all
                        .iter()
                        .filter_map(|&job| {
                            let dir = pages::dir(&shared, job)?;
                            let lastmod = match job {
                                Job::Article(i) => Some(shared.card(i).updated_iso),
                                _ => None,
                            };
                            Some((shared.url(&dir), lastmod))
                        })
                        .collect();
                    feeds::sitemap_context(&urls, &mut ctx);
                    "sitemap.xml"
                }
                Job::Annotations => {
                    let t = std::time::Instant::now();
                    let content = Content::Bytes(feeds::annotations(&shared));
                    tracing::debug!("render: annotations.jsonld {:.2?}", t.elapsed());
                    return Ok(Output { path: pages::out_path(&shared, job), content });
                }
                _ => pages::context(&shared, job, &mut ctx),
            };
            let mut bytes = Vec::with_capacity(16 * 1024);
            theme.tera.render_to(template, &ctx, &mut bytes).map_err(|e| {
                let path = theme::describe(&archive.root, &archive.config, template);
                Diagnostic::error(path, None, format!("cannot render `{}`: {}", pages::out_path(&shared, job), theme::one_line(&e)))
                    .with_hint("check the template against the variables listed in README.md, section Theming")
            })?;
            Ok(Output { path: pages::out_path(&shared, job), content: Content::Bytes(bytes) })
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut outputs =
        Vec::with_capacity(rendered.len() + theme.statics.len() + archive.statics.len());
    for r in rendered {
        match r {
            Ok(o) => outputs.push(o),
            Err(d) => diags.push(d),
        }
    }
    // Report each broken template once, not once per page.
    let diags: Diagnostics = {
        let mut seen = BTreeSet::new();
        diags
            .sorted()
            .into_iter()
            .filter(|d| seen.insert(d.path.clone()))
            .collect()
    };
    if diags.has_errors() {
        return Err(diags);
    }
    add_statics(archive, theme, &mut outputs)?;
    Ok((outputs, paths))
}

fn add_statics(
    archive: &Archive,
    theme: &Theme,
    outputs: &mut Vec<Output>,
) -> Result<(), Diagnostics> {
    let generated: BTreeSet<String> = outputs.iter().map(|o| o.path.clone()).collect();
    let mut diags = Diagnostics::new();
    let site: BTreeSet<&str> = archive
        .statics
        .iter()
        .map(|s| s.out_path.as_str())
        .collect();
    for (path, source) in &theme.statics {
        if site.contains(path.as_str()) || generated.contains(path) {
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
        if generated.contains(&s.out_path) {
            let rel = s.from.strip_prefix(&archive.root).unwrap_or(&s.from);
            diags.push(
                Diagnostic::error(
                    rel,
                    None,
                    format!("static file would overwrite the generated `{}`", s.out_path),
                )
                .with_hint("rename or move the static file"),
            );
            continue;
        }
        outputs.push(Output {
            path: s.out_path.clone(),
            content: Content::File(s.from.clone()),
        });
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}
