//! `gloss check`: every error and warning, without writing output.

use std::path::Path;

use anyhow::Result;

use super::{BuildOptions, Outcome, check_root, tally};
use crate::diag::Format;

/// `gloss check [--strict] [--format F]`: builds in memory and reports in `format`;
/// with `strict`, warnings fail.
pub fn check(root: &Path, strict: bool, format: Format, options: &BuildOptions) -> Result<Outcome> {
    check_root(root)?;
    let (linked, mut diags) = super::link_site(root, options);
    // Render too (into nothing): template errors are errors of the site.
    if let Some(l) = linked.as_ref().filter(|_| !diags.has_errors())
        && let Err(e) = crate::render::render_into(&l.archive, &l.theme, &Discard)
    {
        match e {
            crate::render::RenderError::Problems(d) => diags.extend(d),
            crate::render::RenderError::Sink(e) => return Err(e),
        }
    }
    let failed = diags.has_errors() || (strict && diags.warning_count() > 0);
    let summary = tally(&diags);
    super::report(root, diags.sorted(), format, failed);
    if failed {
        tracing::error!("check failed: {summary}");
        return Ok(super::Outcome::ContentErrors);
    }
    let articles = linked.map_or(0, |l| l.archive.articles.len());
    tracing::info!("checked {articles} articles: {summary}");
    Ok(Outcome::Success)
}

/// Renders into nothing: `check` wants the template errors, not the files.
struct Discard;

impl crate::render::Sink for Discard {
    fn put(&self, _output: crate::render::Output) -> Result<()> {
        Ok(())
    }
}
