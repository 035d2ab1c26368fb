//! `gloss check`: every error and warning, without writing output.

use std::path::Path;

use anyhow::Result;

use super::{Outcome, check_root, tally};
use crate::diag::Format;
use crate::driver::progress::Progress;
use crate::driver::{BuildOptions, Driver};

/// `gloss check [--strict] [--format F]`: builds in memory and reports in `format`;
/// with `strict`, warnings fail.
pub fn check(root: &Path, strict: bool, format: Format, options: &BuildOptions) -> Result<Outcome> {
    check_root(root)?;
    let mut driver = Driver::new(root, options.clone());
    let (archive, mut diags) = driver.link(&Progress::new(false));
    driver.save_cache();
    // Render too (into nothing): template errors are errors of the site.
    if let Some(archive) = &archive
        && let Err(e) = driver.render_into(archive, None, None, &Discard)
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
    let articles = archive.map_or(0, |a| a.articles.len());
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
