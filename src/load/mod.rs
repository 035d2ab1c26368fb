//! Stage 1, load: reads `site.yaml`, walks `content/` and `static/`, and validates every
//! file on its own. Output: a [`Site`] of plain data, plus every problem found.
//!
//! Files are read and parsed in parallel; results are collected in path order so the
//! outcome does not depend on thread timing.

mod article;
mod config;
mod dates;
mod frontmatter;
mod profile;
mod walk;
pub(crate) mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{ProfileKind, Site, Slug, SourceCopy};
pub use walk::is_ignored;
use walk::{Entry, FileKind};

pub use config::normalise_base_url;

/// Options that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep articles and pages marked `draft: true`.
    pub drafts: bool,
}

/// Loads the site at `root`. The site is returned even when there are errors, so that
/// later stages can report their problems too; callers stop before writing.
pub fn load(root: &Path, options: LoadOptions) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::new();
    let config = config::load(root, &mut diags);
    let (entries, walk_diags) = walk::walk(root);
    diags.extend(walk_diags);
    let loaded: Vec<(Loaded, Diagnostics)> =
        entries.par_iter().map(|e| load_file(root, e)).collect();
    let mut site = Site {
        root: root.to_path_buf(),
        config,
        ..Site::default()
    };
    for (item, file_diags) in loaded {
        diags.extend(file_diags);
        match item {
            Loaded::Article(a) if options.drafts || !a.draft => site.articles.push(*a),
            Loaded::Profile(p) => site.profiles.push(p),
            Loaded::Page(p) if options.drafts || !p.draft => site.pages.push(p),
            Loaded::Copy(c) => site.copies.push(c),
            Loaded::Static(s) => site.statics.push(s),
            Loaded::Article(_) | Loaded::Page(_) | Loaded::Nothing => {}
        }
    }
    site.profiles
        .sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    site.pages.sort_by(|a, b| a.url_path.cmp(&b.url_path));
    (site, diags)
}

enum Loaded {
    Article(Box<crate::model::Article>),
    Profile(crate::model::Profile),
    Page(crate::model::Page),
    Copy(SourceCopy),
    Static(crate::model::StaticFile),
    Nothing,
}

fn load_file(root: &Path, entry: &Entry) -> (Loaded, Diagnostics) {
    let mut diags = Diagnostics::new();
    if let FileKind::Static { out_path } = &entry.kind {
        let file = crate::model::StaticFile {
            out_path: out_path.clone(),
            from: root.join(&entry.rel),
        };
        return (Loaded::Static(file), diags);
    }
    let text = match read_text(root, &entry.rel) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return (Loaded::Nothing, diags);
        }
    };
    let loaded = parse_file(&entry.rel, &entry.kind, &text, &mut diags).unwrap_or(Loaded::Nothing);
    (loaded, diags)
}

fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(rel))
        .map_err(|e| Diagnostic::error(rel, None, format!("cannot read file: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(frontmatter::normalise(text)),
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let span = crate::diag::Span::from_offsets(&before, 1, before.len(), before.len());
            Err(Diagnostic::error(
                rel,
                Some(span),
                format!("file is not valid UTF-8 (byte {valid})"),
            )
            .with_hint("save the file as UTF-8"))
        }
    }
}

fn parse_file(rel: &Path, kind: &FileKind, text: &str, diags: &mut Diagnostics) -> Option<Loaded> {
    let split = match frontmatter::split(text, rel) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let front = match split.yaml.map(|y| yaml::parse(y, rel, split.yaml_line)) {
        Some(Ok(node)) => Some(node),
        Some(Err(d)) => {
            diags.push(d);
            return None;
        }
        None => None,
    };
    let mut r = yaml::Reader { path: rel, diags };
    match kind {
        FileKind::Article { slug } => {
            let Some(front) = front else {
                let hint = "start the file with a front matter block: `---`, `title: ...`, `date: YYYY-MM-DD`, `---`";
                r.diags.push(
                    Diagnostic::error(
                        rel,
                        Some(crate::diag::Span::new(1, 1, 1)),
                        "article has no front matter",
                    )
                    .with_hint(hint),
                );
                return None;
            };
            let body = article::Body {
                text: split.body,
                line: split.body_line,
            };
            let a = article::read(&mut r, &front, Slug(slug.clone()), body)?;
            Some(Loaded::Article(Box::new(a)))
        }
        FileKind::Profile { kind, id } => {
            profile::read_profile(&mut r, front.as_ref(), *kind, id.clone(), split.body)
                .map(Loaded::Profile)
        }
        FileKind::Page { url_path } => {
            let Some(front) = front else {
                let hint = "start the file with `---`, `title: ...`, `---`";
                r.diags.push(
                    Diagnostic::error(
                        rel,
                        Some(crate::diag::Span::new(1, 1, 1)),
                        "page has no front matter",
                    )
                    .with_hint(hint),
                );
                return None;
            };
            profile::read_page(
                &mut r,
                &front,
                url_path.clone(),
                split.body,
                split.body_line,
            )
            .map(Loaded::Page)
        }
        FileKind::Copy { name } => Some(Loaded::Copy(SourceCopy {
            name: name.clone(),
            text: text.to_string(),
        })),
        FileKind::Static { .. } => None,
    }
}

/// The content folder of a site.
pub fn content_dir(root: &Path) -> PathBuf {
    root.join("content")
}

#[cfg(test)]
mod tests;

impl ProfileKind {
    /// The folder of `content/` such profiles live in, and of the output.
    pub fn folder(self) -> &'static str {
        match self {
            ProfileKind::Person => "people",
            ProfileKind::Topic => "topics",
            ProfileKind::Outlet => "outlets",
        }
    }
}
