//! `gloss new article TITLE`: a new article file with its front matter filled in, created
//! as [`create`] does (never over a file, never through a symlink).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use unicode_normalization::UnicodeNormalization as _;

use super::check_root;
use super::create::{self, Created};
use crate::load::files_under;
use crate::model::ProfileKind;

/// The text of a new article dated `date`: the required keys, `draft: true`, and every
/// other key once, commented out, with an example that passes `gloss check` as it is
/// once uncommented (a test does that). No key is written empty: `summary: ""` would
/// turn off the default summary (the first paragraph).
pub(crate) fn article_text(title: &str, date: &str) -> String {
    format!(
        r#"---
title: {title}
date: {date}                  # YYYY-MM-DD, or RFC 3339 with a time: 2026-11-28T14:30:00-05:00
draft: true                       # built only with --drafts; remove to publish
# Uncomment what the article needs (remove the `# `); each key is shown once.
# updated: {date}             # the last change, on or after `date`
# dateline: Riverton
# summary: "One or two sentences."   # default: the first paragraph
# authors: [Archive desk]         # names, or person ids with a profile in content/people/
# topics: [water-supply]          # topic ids: a-z, 0-9 and -, as a list [a, b]
# sources:                        # a key of your choice -> where the article's facts come from
#   report:
#     outlet: riverton-courier    # an outlet id (content/outlets/<id>.md is optional)
#     title: "The report's headline"
#     url: https://example.org/report
#     published: {date}
#     archived: https://web.archive.org/web/2026/https://example.org/report
# speakers: [jane-doe]            # people quoted here; or - {{ id: jane-doe, role: Mayor }}
# mentions: [john-roe]            # people named but not quoted
# quotes:
#   - speaker: jane-doe           # one of `speakers`, or a person with a profile
#     text: "verbatim"            # as the body has it (`…` skips words)
#     source: report              # a key of `sources`
#     said: {date}            # YYYY, YYYY-MM or YYYY-MM-DD
# annotations:
#   - on: "in Markdown"           # a passage of the body, exactly as written there
#     kind: fact-check            # context | fact-check | opinion | correction | note
#     rating: Misleading          # fact-check only: a short verdict
#     note: "Markdown text of the annotation."
#     sources: [report]
---
The article text, verbatim, in Markdown.
"#,
        title = crate::load::yaml::quoted(title)
    )
}

/// The text of a new profile of `kind` for `id`: its name from the id, the other keys
/// commented out.
pub(crate) fn profile_text(kind: ProfileKind, id: &str) -> String {
    let name = crate::load::yaml::quoted(&crate::link::name_from_id(id));
    let (more, body) = match kind {
        ProfileKind::Person => (
            "# role: Mayor of Riverton\n# aliases: [J. Doe]              # other names the text uses for them\n# wikidata: Q42\n# links: [https://example.org/about]\n",
            "A short biography, in Markdown.",
        ),
        ProfileKind::Topic => ("", "What the topic covers, in Markdown."),
        ProfileKind::Outlet => (
            "# url: https://example.org/\n",
            "About the outlet, in Markdown.",
        ),
    };
    format!("---\nname: {name}   # as pages show it\n{more}---\n{body}\n")
}

/// Creates the profile `content/{people,topics,outlets}/<id>.md` and returns its path;
/// refused for an id that is not a slug, or when a file is there.
pub fn new_profile(root: &Path, kind: ProfileKind, id: &str) -> Result<PathBuf> {
    check_root(root)?;
    if !crate::model::is_slug(id) || !id.chars().any(|c| c.is_ascii_lowercase()) {
        bail!(
            "invalid id `{id}`\nhint: ids use only lower-case letters a-z, digits and `-`, with a letter: write `{}`",
            slug::slugify(id)
        );
    }
    let folder = match kind {
        ProfileKind::Person => "people",
        ProfileKind::Topic => "topics",
        ProfileKind::Outlet => "outlets",
    };
    let dir = PathBuf::from(format!("content/{folder}"));
    let rel = dir.join(format!("{id}.md"));
    create::dirs(root, &dir)?;
    if create::file(root, &rel, &profile_text(kind, id))? == Created::Kept {
        bail!(
            "{} already exists\nhint: edit that file, or choose another id",
            rel.display()
        );
    }
    tracing::info!("created {}", rel.display());
    Ok(rel)
}

/// Creates `content/articles/<year>/<slug>.md` and returns its path. Refused when an
/// article anywhere under `content/articles/` has that slug (see [`same_slug`]), or
/// something is at the path already (a dangling symlink too: see [`create`]).
pub fn new_article(root: &Path, title: &str) -> Result<PathBuf> {
    check_root(root)?;
    let slug = slug::slugify(title);
    if slug.is_empty() {
        bail!(
            "cannot make a file name from the title `{title}`\nhint: use a title with letters or digits"
        );
    }
    if let Some(existing) = find_slug(root, &slug) {
        bail!(
            "an article with the slug `{slug}` exists: {}\nhint: an article's slug is its \
             file name, so choose a different title, or edit that file",
            existing.display()
        );
    }
    let today = jiff::ZonedDateTime::now().date();
    let dir = PathBuf::from(format!("content/articles/{:04}", today.year()));
    let rel = dir.join(format!("{slug}.md"));
    create::dirs(root, &dir)?;
    if create::file(root, &rel, &article_text(title, &today.to_string()))? == Created::Kept {
        bail!(
            "{} already exists (not an article file gloss reads: a folder or a link)\nhint: \
             choose a different title, or move that away",
            rel.display()
        );
    }
    tracing::info!(
        "created {} (a draft: set `draft: false` to publish, or build with --drafts)",
        rel.display()
    );
    Ok(rel)
}

/// The first article under `content/articles/` (relative to `root`) whose slug is the
/// same as `slug` once both are folded (see [`same_slug`]); broken links count.
fn find_slug(root: &Path, slug: &str) -> Option<PathBuf> {
    let articles = root.join("content/articles");
    files_under(&articles).find_map(|item| {
        let path = match &item {
            Ok(e) if e.file_type().is_dir() => return None,
            Ok(e) => e.path(),
            // A broken link or a loop: its name is taken all the same.
            Err(e) => e.path()?,
        };
        let stem = path.file_name()?.to_str()?.strip_suffix(".md")?;
        same_slug(stem, slug).then(|| path.strip_prefix(root).unwrap_or(path).to_path_buf())
    })
}

/// True when two slugs name the same file on a case-insensitive or normalising file
/// system (macOS, Windows): equal after Unicode NFC and lower-casing.
fn same_slug(a: &str, b: &str) -> bool {
    let fold = |s: &str| s.nfc().collect::<String>().to_lowercase();
    fold(a) == fold(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_that_collide_on_some_file_systems_are_the_same() {
        assert!(same_slug("court-ruling", "court-ruling"));
        assert!(same_slug("Court-Ruling", "court-ruling"));
        // `é` composed and decomposed (macOS stores names decomposed).
        assert!(same_slug("caf\u{e9}", "Cafe\u{301}"));
        assert!(!same_slug("court-ruling", "court-rulings"));
    }
}
