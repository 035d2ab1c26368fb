//! Walking a source site, as every generator's module does: its files (hidden entries,
//! build outputs and symlinks skipped), which are Markdown, and the fragments its links
//! name.

use std::path::{Path, PathBuf};

/// The generators `gloss import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Generator {
    /// Jekyll: `_config.yml`, `_posts/`, `_data/`.
    Jekyll,
    /// Eleventy with Jekyll-style posts: `.eleventy.js`, a posts folder, `data/` or `_data/`.
    Eleventy,
    /// Hugo (not yet supported).
    Hugo,
    /// Zola (not yet supported).
    Zola,
}

/// Folders a generator's build never reads as content.
const SKIPPED: &[&str] = &[
    "node_modules",
    "_site",
    "public",
    ".git",
    "vendor",
    ".jekyll-cache",
];

/// The files under `dir` (sorted), skipping hidden entries, build outputs and symlinks
/// (an import reads the source's own files only).
pub(crate) fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || SKIPPED.contains(&name.as_ref()))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    out.sort();
    out
}

/// A source file's path relative to `root`, and its text (BOM and CRLF normalised).
pub(crate) fn read(root: &Path, path: &Path) -> anyhow::Result<(PathBuf, String)> {
    use anyhow::Context as _;
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok((rel, crate::load::normalise_text(text)))
}

/// True for a Markdown file (`.md`, `.markdown`).
pub(crate) fn is_markdown(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["md", "markdown"].contains(&e.to_ascii_lowercase().as_str()))
}

/// The fragments links in `text` name: every `#frag` right after the end of a path
/// (`/`), a template tag (`}}`, as in `{{ "/x/" | url }}#frag`) or the opening of a link
/// (`(`, `"`). A few more than the links name do no harm: they only keep a heading's
/// source id when its text matches.
pub(crate) fn link_fragments(text: &str, into: &mut std::collections::BTreeSet<String>) {
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('#') {
        if i == 0 || !matches!(bytes[i - 1], b'/' | b'}' | b'(' | b'"') {
            continue;
        }
        let rest = &text[i + 1..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        if end > 0 {
            into.insert(rest[..end].to_string());
        }
    }
}
