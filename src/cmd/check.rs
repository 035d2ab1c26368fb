//! `gloss check`: every error and warning, without writing output.

use std::path::Path;

use anyhow::Result;

use super::{BuildOptions, Outcome, check_root, print_diagnostics, tally};

/// `gloss check [--strict]`: builds in memory and reports; with `strict`, warnings fail.
pub fn check(root: &Path, strict: bool, options: &BuildOptions) -> Result<Outcome> {
    check_root(root)?;
    let (built, diags) = super::build_site(root, options);
    let failed = diags.has_errors() || (strict && diags.warning_count() > 0);
    let summary = tally(&diags);
    print_diagnostics(root, diags.sorted());
    if failed {
        tracing::error!("check failed: {summary}");
        return Ok(super::Outcome::ContentErrors);
    }
    let articles = built.map_or(0, |b| b.archive.articles.len());
    tracing::info!("checked {articles} articles: {summary}");
    Ok(Outcome::Success)
}
