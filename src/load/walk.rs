//! Walks `content/` and `static/` and classifies each file by where it lives.

use crate::diag::Code;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::ProfileKind;

/// What a file under the site is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileKind {
    Article {
        slug: String,
    },
    Profile {
        kind: ProfileKind,
        id: String,
    },
    Page {
        url_path: String,
    },
    Copy {
        name: String,
    },
    Static {
        out_path: String,
    },
    /// A file under `content/articles/` or `content/pages/` that is not Markdown: a file
    /// of the page bundle it is in, if any (decided once every file is known).
    Beside,
}

/// A file to load, relative to the site root.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) rel: PathBuf,
    pub(crate) kind: FileKind,
}

/// The folders of a site a build reads (besides `site.yaml`).
pub const SOURCE_DIRS: [&str; 5] = ["content", "static", "templates", "themes", "i18n"];

/// True for files editors and tools leave behind: hidden files, backups and swap files.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "4913"
}

/// Lists the files of `content/` and `static/`, sorted by path.
pub(crate) fn walk(root: &Path) -> (Vec<Entry>, Diagnostics) {
    walk_under(root, &[Path::new("content"), Path::new("static")])
}

/// Everything under `dir` that a build reads, in file-name order: symlinks followed,
/// editors' leftovers skipped (with the folders they are in).
pub(crate) fn files_under(
    dir: &Path,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> + use<> {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
}

/// Lists the files under the given folders of the site (relative to `root`), sorted.
pub(crate) fn walk_under(root: &Path, tops: &[&Path]) -> (Vec<Entry>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut entries = Vec::new();
    for top in tops {
        let top = *top;
        let dir = root.join(top);
        if !dir.is_dir() {
            continue;
        }
        let inside = Inside::new(root);
        // The folder itself may be a link out of the site: then none of it is read.
        if let Some(d) = inside.outside_link(&dir) {
            diags.push(d);
            continue;
        }
        // A symlinked folder that leads out of the site: what is under it is skipped.
        let mut skipping: Option<PathBuf> = None;
        for item in files_under(&dir) {
            let path = match &item {
                Ok(e) => Some(e.path()),
                Err(e) => e.path(),
            };
            if let (Some(skip), Some(path)) = (&skipping, path) {
                if path.starts_with(skip) {
                    continue;
                }
                skipping = None;
            }
            if let Ok(e) = &item
                && e.depth() > 0
                && e.path_is_symlink()
                && let Some(d) = inside.outside_link(e.path())
            {
                diags.push(d);
                if e.file_type().is_dir() {
                    skipping = Some(e.path().to_path_buf());
                }
                continue;
            }
            let entry = match item {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .and_then(|p| p.strip_prefix(root).ok())
                        .unwrap_or(Path::new(top));
                    let why = if e.loop_ancestor().is_some() {
                        "symlink loop".to_string()
                    } else {
                        e.to_string()
                    };
                    diags.push(Diagnostic::new(
                        Code::Unreadable,
                        path,
                        None,
                        format!("cannot read: {why}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let Some(parts) = utf8_parts(rel) else {
                diags.push(
                    Diagnostic::new(
                        Code::SkippedFile,
                        rel,
                        None,
                        "skipped: the file name is not valid UTF-8",
                    )
                    .with_hint("rename the file"),
                );
                continue;
            };
            if let Some(kind) = classify(&parts, &mut diags, rel) {
                entries.push(Entry {
                    rel: rel.to_path_buf(),
                    kind,
                });
            }
        }
    }
    (entries, diags)
}

/// Where symlinks may lead: the site. A link out of it is not followed, so a stray or
/// planted link (a file, or a whole `content/` or `static/`) cannot publish a file from
/// outside the site.
pub(crate) struct Inside {
    root: PathBuf,
    canonical: Vec<PathBuf>,
}

impl Inside {
    /// The site at `root`. A folder walked may not lead elsewhere either: a `static/`
    /// committed as a link to a home folder would publish it.
    pub(crate) fn new(root: &Path) -> Inside {
        let canonical = std::fs::canonicalize(root).into_iter().collect();
        Inside {
            root: root.to_path_buf(),
            canonical,
        }
    }

    /// The warning for `path` (a symlink, or a path through one) when it resolves to a
    /// place outside the site; `None` when it stays inside or does not resolve (a broken
    /// link is reported when it is read).
    pub(crate) fn outside_link(&self, path: &Path) -> Option<Diagnostic> {
        let target = std::fs::canonicalize(path).ok()?;
        if self.canonical.iter().any(|c| target.starts_with(c)) {
            return None;
        }
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        Some(
            Diagnostic::new(
                Code::SkippedFile,
                rel,
                None,
                format!(
                    "skipped: symlink to `{}`, outside the site",
                    target.display()
                ),
            )
            .with_hint("copy the file into the site, or link to a place inside it"),
        )
    }
}

/// Opens `path` for reading; on Unix a final symlink is refused (`O_NOFOLLOW`) and a FIFO
/// does not block the reader (`O_NONBLOCK`; it is then refused as no regular file).
pub(crate) fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The entry of one file (relative to the site root), or `None` when gloss does not read
/// it; problems with its name go to `diags`.
pub(crate) fn entry_of(rel: &Path, diags: &mut Diagnostics) -> Option<Entry> {
    let parts = utf8_parts(rel)?;
    if parts.iter().any(|p| is_ignored(p)) {
        return None;
    }
    classify(&parts, diags, rel).map(|kind| Entry {
        rel: rel.to_path_buf(),
        kind,
    })
}

fn utf8_parts(rel: &Path) -> Option<Vec<&str>> {
    rel.components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect()
}

fn stem(name: &str) -> &str {
    name.strip_suffix(".md").unwrap_or(name)
}

/// The stem of a Markdown file name with another extension than `.md` (`.markdown`,
/// `.MD`, `.mdown`, …), which editors and other generators use and gloss skips.
fn other_markdown(name: &str) -> Option<&str> {
    let (stem, ext) = name.rsplit_once('.')?;
    let known = ["md", "markdown", "mdown", "mkd", "mkdn", "mdwn"];
    (ext != "md" && !stem.is_empty() && known.iter().any(|k| ext.eq_ignore_ascii_case(k)))
        .then_some(stem)
}

fn classify(parts: &[&str], diags: &mut Diagnostics, rel: &Path) -> Option<FileKind> {
    let is_md = parts.last().is_some_and(|n| n.ends_with(".md"));
    match parts {
        ["static", rest @ ..] => Some(FileKind::Static {
            out_path: rest.join("/"),
        }),
        // A bundle, `slug/index.md`, is named by its folder (as in Hugo and Zola).
        ["content", "articles", .., folder, "index.md"] => Some(FileKind::Article {
            slug: unicode_normalization::UnicodeNormalization::nfc(*folder).collect(),
        }),
        // NFC: a name typed on macOS (NFD on disk) and the same name typed elsewhere
        // are one slug, one URL.
        ["content", "articles", .., name] if is_md => Some(FileKind::Article {
            slug: unicode_normalization::UnicodeNormalization::nfc(stem(name)).collect(),
        }),
        ["content", "sources", rest @ ..] => Some(FileKind::Copy {
            name: format!("sources/{}", rest.join("/")),
        }),
        ["content", "pages", dirs @ .., name] if is_md => {
            let mut path: Vec<&str> = dirs.to_vec();
            if stem(name) != "index" || path.is_empty() {
                path.push(stem(name));
            }
            Some(FileKind::Page {
                url_path: path.join("/"),
            })
        }
        ["content", folder @ ("people" | "topics" | "outlets"), name] if is_md => {
            let kind = match *folder {
                "people" => ProfileKind::Person,
                "topics" => ProfileKind::Topic,
                _ => ProfileKind::Outlet,
            };
            let id = stem(name).to_string();
            if !crate::model::is_slug(&id) {
                let hint = format!(
                    "name profile files by their id, e.g. `{}.md`",
                    slug::slugify(&id)
                );
                diags.push(
                    Diagnostic::new(
                        Code::InvalidId,
                        rel,
                        None,
                        format!("invalid id `{id}` in file name"),
                    )
                    .with_hint(hint),
                );
                return None;
            }
            Some(FileKind::Profile { kind, id })
        }
        [
            "content",
            "articles" | "pages" | "people" | "topics" | "outlets",
            ..,
            name,
        ] if other_markdown(name).is_some() => {
            let stem = other_markdown(name).unwrap_or(name);
            diags.push(
                Diagnostic::new(
                    Code::SkippedFile,
                    rel,
                    None,
                    format!(
                        "skipped: gloss reads only files ending in `.md`, not `{}`",
                        &name[stem.len()..]
                    ),
                )
                .with_hint(format!("rename it to `{stem}.md`")),
            );
            None
        }
        ["content", "articles" | "pages", ..] => Some(FileKind::Beside),
        _ => {
            let hint = "articles go in content/articles/, profiles in content/{people,topics,outlets}/, pages in content/pages/, archived copies in content/sources/";
            diags.push(
                Diagnostic::new(
                    Code::SkippedFile,
                    rel,
                    None,
                    "ignored: not a place gloss reads content from",
                )
                .with_hint(hint),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".hidden.md",
            "a.md~",
            ".#a.md",
            "a.md.swp",
            "#a.md#",
            "4913",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("a.md"));
    }

    #[test]
    fn markdown_under_other_extensions_is_named() {
        assert_eq!(other_markdown("a.markdown"), Some("a"));
        assert_eq!(other_markdown("Report.MD"), Some("Report"));
        assert_eq!(other_markdown("x.y.Markdown"), Some("x.y"));
        assert_eq!(other_markdown("a.md"), None);
        assert_eq!(other_markdown("photo.jpg"), None);
        assert_eq!(other_markdown(".md"), None);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_site_are_not_followed() {
        use std::os::unix::fs::symlink;
        let base = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (root, outside) = (base.path().join("site"), base.path().join("outside"));
        let articles = root.join("content/articles");
        for dir in [&articles, &outside] {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        }
        for file in [articles.join("a.md"), outside.join("secret.md")] {
            std::fs::write(file, "x").unwrap_or_else(|e| panic!("{e}"));
        }
        for (target, link) in [
            (outside.join("secret.md"), "leak.md"),
            (outside.clone(), "dir"),
            (articles.join("a.md"), "b.md"),
        ] {
            symlink(target, articles.join(link)).unwrap_or_else(|e| panic!("{e}"));
        }
        let (entries, diags) = walk(&root);
        let rels: Vec<_> = entries.iter().map(|e| e.rel.clone()).collect();
        assert_eq!(
            rels,
            [
                PathBuf::from("content/articles/a.md"),
                PathBuf::from("content/articles/b.md")
            ]
        );
        let warned: Vec<_> = diags.iter().map(|d| (d.path.clone(), d.severity)).collect();
        assert_eq!(
            warned,
            [
                (
                    PathBuf::from("content/articles/dir"),
                    crate::diag::Severity::Warning
                ),
                (
                    PathBuf::from("content/articles/leak.md"),
                    crate::diag::Severity::Warning
                ),
            ]
        );
        assert!(diags.iter().all(|d| d.message.contains("outside the site")));
    }

    #[test]
    fn classify_by_place() {
        let mut d = Diagnostics::new();
        let r = Path::new("x");
        assert_eq!(
            classify(&["content", "articles", "2025", "a.md"], &mut d, r),
            Some(FileKind::Article { slug: "a".into() })
        );
        assert_eq!(
            classify(&["content", "articles", "2025", "a", "index.md"], &mut d, r),
            Some(FileKind::Article { slug: "a".into() })
        );
        assert_eq!(
            classify(&["content", "articles", "index.md"], &mut d, r),
            Some(FileKind::Article {
                slug: "index".into()
            })
        );
        assert_eq!(
            classify(&["content", "articles", "a", "img", "x.png"], &mut d, r),
            Some(FileKind::Beside)
        );
        assert_eq!(
            classify(&["content", "pages", "help", "faq.md"], &mut d, r),
            Some(FileKind::Page {
                url_path: "help/faq".into()
            })
        );
        assert_eq!(
            classify(&["content", "pages", "help", "index.md"], &mut d, r),
            Some(FileKind::Page {
                url_path: "help".into()
            })
        );
        assert_eq!(
            classify(&["content", "people", "a-b.md"], &mut d, r),
            Some(FileKind::Profile {
                kind: ProfileKind::Person,
                id: "a-b".into()
            })
        );
        assert!(d.is_empty());
        assert_eq!(classify(&["content", "people", "A B.md"], &mut d, r), None);
        assert!(d.has_errors());
    }
}
