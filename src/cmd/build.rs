//! `gloss build`: the whole pipeline, writing only when every stage succeeded.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use super::{Outcome, check_root, print_diagnostics, tally};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{self, Archive};
use crate::load::{self, LoadOptions};
use crate::render::{self, Output, theme};
use crate::write;

/// Options of `build` (and of `check`, which builds without writing).
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Override `base_url`.
    pub base_url: Option<String>,
}

/// A site rendered in memory.
pub struct Built {
    /// The linked archive.
    pub archive: Archive,
    /// Every output file.
    pub outputs: Vec<Output>,
}

/// Runs load, link and render. Returns the rendered site unless there are errors; the
/// diagnostics (warnings included) come back either way.
pub fn build_site(root: &Path, options: &BuildOptions) -> (Option<Built>, Diagnostics) {
    let (mut site, mut diags) = load::load(
        root,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    apply_base_url(&mut site, options, &mut diags);
    let t = Instant::now();
    let (archive, link_diags) = link::link(site);
    diags.extend(link_diags);
    tracing::debug!("link: {:.2?}", t.elapsed());
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
    let t = Instant::now();
    let rendered = render::render(&archive, &theme);
    tracing::debug!("render: {:.2?}", t.elapsed());
    match rendered {
        Ok(outputs) => (Some(Built { archive, outputs }), diags),
        Err(d) => {
            diags.extend(d);
            (None, diags)
        }
    }
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

/// `gloss build`.
pub fn build(root: &Path, output: Option<&Path>, options: &BuildOptions) -> Result<Outcome> {
    check_root(root)?;
    let started = Instant::now();
    let out: PathBuf = output.map_or_else(|| root.join("public"), Path::to_path_buf);
    let out = write::check_output_dir(root, &out)
        .map_err(|e| anyhow::anyhow!("{e}\nhint: {}", e.hint()))?;
    let (built, diags) = build_site(root, options);
    let failed = diags.has_errors();
    let summary = tally(&diags);
    print_diagnostics(root, diags.sorted());
    let Some(built) = built.filter(|_| !failed) else {
        tracing::error!("build failed: {summary}; the output folder was not changed");
        return Ok(Outcome::ContentErrors);
    };
    let t = Instant::now();
    let stats = write::write(&built.outputs, &out)?;
    tracing::debug!("write: {:.2?}", t.elapsed());
    let pages = built
        .outputs
        .iter()
        .filter(|o| o.path.ends_with(".html"))
        .count();
    tracing::info!(
        "built {} articles, {pages} pages, {} files in {:.2?} -> {} ({} written, {} unchanged, {} removed)",
        built.archive.articles.len(),
        built.outputs.len(),
        started.elapsed(),
        out.display(),
        stats.written,
        stats.unchanged,
        stats.removed,
    );
    Ok(Outcome::Success)
}
