//! `gloss init [DIR]`: a new site with a sample article. The default theme is built in,
//! so the site needs no theme folder. Files are created as [`create`] does: never over
//! an existing file, never through a symlink.

use std::path::Path;

use anyhow::{Context as _, Result};

use super::create::{self, Created};
use crate::load::yaml::quoted as yaml_quote;

const ARTICLE: &str = r#"---
title: "Welcome to your archive"
date: {date}
summary: "A sample article showing sources, quotes and annotations."
topics: [getting-started]
sources:
  notes:
    outlet: example-outlet
    title: "Editor's notes"
speakers:
  - { id: jane-editor, role: Archive editor }
quotes:
  - speaker: jane-editor
    text: "Every quote links back to its sentence."
    source: notes
annotations:
  - on: "without editing the text"
    kind: context
    note: "gloss finds the passage in the rendered text and marks it there."
  - kind: note
    note: "Edit or delete this article: it is only an example."
---
Jane, the archive editor, explains how gloss works: “Every quote links back to its sentence.”

Annotations are anchored to passages without editing the text, and every person,
topic and outlet gets a page, like [Jane's](person:jane-editor).
"#;

/// What `.gitignore` must list: the output and gloss's bookkeeping folder.
const IGNORED: [&str; 2] = ["public/", ".gloss/"];

/// Creates a site in `dir`, adding only what is missing: a file already there (a
/// `.gitignore`, `site.yaml`, a README, anything) is kept as it is, and the sample
/// content is added only to a folder without `content/`, so an existing archive gets no
/// sample article. Reports what was added and what was kept.
pub fn init(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let title = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "My archive".into());
    let today = jiff::ZonedDateTime::now().date();
    let mut files = vec![
        (
            "site.yaml".to_owned(),
            format!(
                "title: {}\ndescription: \"An annotated news archive\"\nbase_url: https://example.org/\nlanguage: en\npaginate: 50\n",
                yaml_quote(&title)
            ),
        ),
        (
            ".gitignore".to_owned(),
            IGNORED.map(|l| format!("{l}\n")).concat(),
        ),
    ];
    let has_content = std::fs::symlink_metadata(dir.join("content")).is_ok();
    if !has_content {
        files.extend([
            (format!("content/articles/{:04}/welcome.md", today.year()), ARTICLE.replace("{date}", &today.to_string())),
            ("content/people/jane-editor.md".to_owned(), "---\nname: Jane Editor\nrole: Archive editor\n---\nA made-up person for the sample article.\n".to_owned()),
            ("content/pages/about.md".to_owned(), "---\ntitle: About\n---\nWhat this archive is and how it is kept.\n".to_owned()),
        ]);
    }
    let (mut added, mut kept) = (Vec::new(), Vec::new());
    for (rel, text) in &files {
        let rel = Path::new(rel);
        if let Some(parent) = rel.parent() {
            create::dirs(dir, parent)?;
        }
        match create::file(dir, rel, text)? {
            Created::Added => added.push(rel.display().to_string()),
            Created::Kept => kept.push(rel.display().to_string()),
        }
    }
    if has_content {
        kept.push("content/ (no sample content added)".to_owned());
    }
    if !added.is_empty() {
        tracing::info!("added {}", added.join(", "));
    }
    if !kept.is_empty() {
        tracing::info!("kept {}: gloss never replaces a file", kept.join(", "));
    }
    if kept.iter().any(|k| k == ".gitignore") {
        hint_gitignore(&dir.join(".gitignore"));
    }
    // (`--root . init .` is `./.`; components drop the inner `.`.)
    let shown: std::path::PathBuf = dir.components().collect();
    tracing::info!(
        "{} {}: run `gloss build` there",
        if added.is_empty() {
            "nothing to add in"
        } else {
            "site ready in"
        },
        shown.display()
    );
    Ok(())
}

/// Names the lines of [`IGNORED`] an existing `.gitignore` lacks (it is not changed: the
/// user may order or scope it otherwise). A symlink is not read through.
fn hint_gitignore(path: &Path) {
    let text = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => std::fs::read_to_string(path).unwrap_or_default(),
        _ => String::new(),
    };
    let missing: Vec<&str> = IGNORED
        .into_iter()
        .filter(|want| !text.lines().any(|line| ignores(line, want)))
        .collect();
    if !missing.is_empty() {
        tracing::warn!(
            "hint: .gitignore does not list {}; add {} to keep the output and gloss's \
             bookkeeping out of git",
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(" and "),
            if missing.len() == 1 {
                "that line"
            } else {
                "those lines"
            }
        );
    }
}

/// True when the `.gitignore` line `line` ignores the folder `want` (`public/`) at the
/// top: written with or without the leading or the trailing slash.
fn ignores(line: &str, want: &str) -> bool {
    let line = line.trim();
    let name = want.trim_end_matches('/');
    let line = line.strip_prefix('/').unwrap_or(line);
    line.strip_suffix('/').unwrap_or(line) == name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_lines_that_cover_a_folder() {
        for line in ["public/", "/public/", "public", "/public", "  public/  "] {
            assert!(ignores(line, "public/"), "{line}");
        }
        for line in [
            "# public/",
            "public/*.html",
            "!public/",
            "publics/",
            "a/public/",
        ] {
            assert!(!ignores(line, "public/"), "{line}");
        }
        assert!(ignores(".gloss/", ".gloss/"));
    }
}
