//! The commands. `build`, `check` and `serve` run the stages through one
//! [`crate::driver::Driver`], each as far as it needs; every command prints problems
//! through [`crate::diag`] and returns an [`Outcome`] that `main` maps to the exit code.

mod build;
mod check;
mod create;
mod import;
mod init;
mod new;
mod serve;

use std::path::Path;

pub use crate::driver::{BuildOptions, apply_base_url};
pub use build::build;
pub use check::check;
pub(crate) use create::dirs as create_dirs;
pub use import::import;
pub use init::init;
pub use new::{new_article, new_profile};
pub use serve::serve;

use crate::diag::{self, Diagnostic, Diagnostics};

/// How a command ended, besides I/O failures (which are `Err` and exit with 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything worked: exit 0.
    Success,
    /// The content has errors (or warnings under `--strict`): exit 1.
    ContentErrors,
}

/// Replaces Rust's panic message and backtrace hint with one that says gloss has a bug
/// and what to do. A panic unwinds: a build's staging folder is removed on the way out,
/// so the output folder keeps the last complete build.
pub fn report_panics() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error in gloss {}: {what}{at}\n\
             hint: this is a bug in gloss, not a problem with your content; please report it \
             with the command you ran and, if you can, the files it read. The output folder \
             keeps the last complete build.",
            env!("CARGO_PKG_VERSION")
        );
    }));
}

/// Prints diagnostics to stderr, coloured on a terminal.
pub fn print_diagnostics(root: &Path, diags: Vec<Diagnostic>) {
    diag::print(root, diags);
}

/// Prints diagnostics in `format`: for people on stderr, or one JSON document or GitHub
/// workflow commands on stdout; `failed` is whether the run exits with 1.
pub fn report(root: &Path, diags: Vec<Diagnostic>, format: diag::Format, failed: bool) {
    match format {
        diag::Format::Human => print_diagnostics(root, diags),
        diag::Format::Json => print!("{}", diag::json(&diags, failed)),
        diag::Format::Github => print!("{}", diag::github(&diags, root)),
    }
}

/// One line counting errors and warnings, e.g. `2 errors, 1 warning`.
pub fn tally(diags: &Diagnostics) -> String {
    diags.tally()
}

/// Checks that `root` looks like a site, so a mistyped `--root` fails clearly.
pub fn check_root(root: &Path) -> anyhow::Result<()> {
    if root.join("site.yaml").is_file() || root.join("content").is_dir() {
        return Ok(());
    }
    anyhow::bail!(
        "no gloss site at `{}`: it has neither site.yaml nor content/\nhint: run `gloss init` to create one, or pass `--root DIR`",
        root.display()
    )
}
