//! `gloss init [DIR]`: a new site with a sample article. The default theme is built in,
//! so the site needs no theme folder.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use super::new::yaml_quote;

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

/// Creates a site in `dir`, refusing a folder that already holds one.
pub fn init(dir: &Path) -> Result<()> {
    if dir.join("site.yaml").exists() || dir.join("content").exists() {
        bail!(
            "{} already holds a site (site.yaml or content/)\nhint: run `gloss init` in a new folder",
            dir.display()
        );
    }
    let title = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "My archive".into());
    let today = jiff::ZonedDateTime::now().date();
    let files = [
        ("site.yaml", format!("title: {}\ndescription: \"An annotated news archive\"\nbase_url: https://example.org/\nlanguage: en\npaginate: 50\n", yaml_quote(&title))),
        (&*format!("content/articles/{:04}/welcome.md", today.year()), ARTICLE.replace("{date}", &today.to_string())),
        ("content/people/jane-editor.md", "---\nname: Jane Editor\nrole: Archive editor\n---\nA made-up person for the sample article.\n".to_string()),
        ("content/pages/about.md", "---\ntitle: About\n---\nWhat this archive is and how it is kept.\n".to_string()),
        (".gitignore", "public/\n".to_string()),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    tracing::info!(
        "created a new site in {}: run `gloss build` there",
        dir.display()
    );
    Ok(())
}
