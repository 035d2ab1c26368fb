//! `gloss new article TITLE`: a new article file with its front matter filled in.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::check_root;

/// A YAML double-quoted scalar (JSON strings are valid YAML).
pub(crate) fn yaml_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The text of a new article dated `date`.
pub(crate) fn article_text(title: &str, date: &str) -> String {
    format!(
        "---\ntitle: {}\ndate: {date}\ndraft: true\nsummary: \"\"\ntopics: []\nsources: {{}}\nspeakers: []\nmentions: []\nquotes: []\nannotations: []\n---\nThe article text, verbatim, in Markdown.\n",
        yaml_quote(title)
    )
}

/// Creates `content/articles/<year>/<slug>.md` and returns its path.
pub fn new_article(root: &Path, title: &str) -> Result<PathBuf> {
    check_root(root)?;
    let slug = slug::slugify(title);
    if slug.is_empty() {
        bail!(
            "cannot make a file name from the title `{title}`\nhint: use a title with letters or digits"
        );
    }
    let today = jiff::ZonedDateTime::now().date();
    let rel = PathBuf::from(format!("content/articles/{:04}/{slug}.md", today.year()));
    let path = root.join(&rel);
    if path.exists() {
        bail!(
            "{} already exists\nhint: choose another title, or edit that file",
            rel.display()
        );
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&path, article_text(title, &today.to_string()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    tracing::info!(
        "created {} (a draft: set `draft: false` to publish, or build with --drafts)",
        rel.display()
    );
    Ok(rel)
}
