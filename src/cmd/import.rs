//! `gloss import GENERATOR SRC DEST`: see [`crate::import`]. Prints the report.

use std::path::Path;

use anyhow::Result;

use super::Outcome;
use crate::import::Generator;

/// Imports `src` (made with `generator`) into `dest` and prints the report on stderr.
pub fn import(
    generator: Generator,
    src: &Path,
    dest: &Path,
    base_url: Option<&str>,
    uploads: Option<&Path>,
) -> Result<Outcome> {
    let report = crate::import::import(generator, src, dest, base_url, uploads)?;
    eprint!("{}", report.to_text());
    tracing::info!(
        "imported into {}: run `gloss check --root {}` next",
        dest.display(),
        dest.display()
    );
    Ok(Outcome::Success)
}
