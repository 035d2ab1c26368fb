//! `gloss serve`: see [`crate::serve`].

use std::path::Path;

use anyhow::Result;

use super::check_root;
use crate::serve::{self, ServeOptions};

/// Serves the site at `root` until Ctrl-C.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<()> {
    check_root(root)?;
    serve::serve(root, options)
}
