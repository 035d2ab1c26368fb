//! The collision check: every output file of a site with what makes it ([`Claim`]),
//! checked as a whole before anything is rendered, so `gloss check` and `gloss build`
//! report clashes with both sources named, and a build never fails halfway through
//! publishing on a path two sources share.

use crate::diag::Code;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization as _;

use super::OutPath;
use crate::diag::{Diagnostic, Diagnostics, Span};

/// Where an output file comes from, for the messages of [`check_claims`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file of the site (an article, page, profile or static file), relative to the
    /// site root.
    File(PathBuf),
    /// A static file of the theme (its path as shown to the user).
    Theme(PathBuf),
    /// A redirect page for an old path listed in `aliases:` of this article or page
    /// (relative to the site root).
    Alias(PathBuf),
    /// A page gloss makes, described (`the page of person \`x\``).
    Generated(String),
}

impl Origin {
    fn describe(&self) -> String {
        match self {
            Origin::File(p) => format!("`{}`", p.display()),
            Origin::Alias(p) => format!("an alias in `{}`", p.display()),
            Origin::Theme(p) => format!("the theme's `{}`", p.display()),
            Origin::Generated(what) => what.clone(),
        }
    }

    /// The file a problem is reported at: a file of the site before one of the theme;
    /// a generated page has none.
    fn file(&self) -> Option<&Path> {
        match self {
            Origin::File(p) | Origin::Alias(p) | Origin::Theme(p) => Some(p),
            Origin::Generated(_) => None,
        }
    }
}

/// One output file and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Its path in the output, `/`-separated.
    pub path: String,
    /// What makes it.
    pub origin: Origin,
    /// Where in its file it is asked for (an alias's value), when known.
    pub span: Option<Span>,
}

/// What to do about two sources of one output path (`same`), or of two paths that are
/// one file on some systems (a permalink cannot tell case twins apart).
fn hint(here: &Claim, other: &Claim, same: bool) -> &'static str {
    let is_article = |c: &Claim| match &c.origin {
        Origin::File(p) => p.starts_with("content/articles"),
        _ => false,
    };
    match (&here.origin, &other.origin) {
        (Origin::Alias(_), _) | (_, Origin::Alias(_)) => {
            "remove or change the alias: an old path can lead to one page only"
        }
        (_, Origin::Generated(_)) => "rename or move the file: gloss makes that page",
        _ if same && is_article(here) && is_article(other) => {
            "rename one of the two files, or tell them apart in `permalinks.article` of site.yaml (e.g. with `{year}` or `{path}`)"
        }
        _ => "rename or move one of the two files",
    }
}

/// The folders under which gloss writes files of names it chooses (the search index):
/// nothing else may have a file there.
const GENERATED_FOLDERS: &[&str] = &["search/t/", "search/d/", "search/b/"];

/// Checks every output file of a site before anything is rendered: each path lies
/// inside the output, no two sources make the same path, or paths that differ only by
/// case or Unicode normalisation (one file on macOS and Windows), and no path is a file
/// for one source and a folder for another. Each problem is an error at the source that
/// can move (a site file before a theme file before a generated page), naming the other.
pub fn check_claims(claims: &[Claim]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut valid: Vec<&Claim> = Vec::with_capacity(claims.len());
    for c in claims {
        match OutPath::new(&c.path) {
            Ok(_) => valid.push(c),
            Err(why) => diags.push(
                Diagnostic::new(
                    Code::UrlCollision,
                    c.origin.file().unwrap_or(Path::new("site.yaml")),
                    c.span,
                    format!(
                        "the output path `{}` of {} is not inside the output: {why}",
                        c.path,
                        c.origin.describe()
                    ),
                )
                .with_hint("rename the file, or fix the permalink pattern in site.yaml"),
            ),
        }
    }
    valid.sort_by(|a, b| a.path.cmp(&b.path));
    let clash = |diags: &mut Diagnostics, a: &Claim, b: &Claim, what: String| {
        // Reported at the one that can move: an alias (at its value), a site file, else
        // a theme file.
        let rank = |c: &Claim| match c.origin {
            Origin::Alias(_) => 0,
            Origin::File(_) => 1,
            Origin::Theme(_) => 2,
            Origin::Generated(_) => 3,
        };
        let (here, other) = if rank(b) <= rank(a) { (b, a) } else { (a, b) };
        let at = here.origin.file().unwrap_or(Path::new("site.yaml"));
        diags.push(
            Diagnostic::new(
                Code::UrlCollision,
                at,
                here.span,
                format!(
                    "{what}: {} and {}",
                    here.origin.describe(),
                    other.origin.describe()
                ),
            )
            .with_hint(hint(here, other, a.path == b.path)),
        );
    };
    for pair in valid.windows(2) {
        if pair[0].path == pair[1].path {
            clash(
                &mut diags,
                pair[0],
                pair[1],
                format!("two sources make `{}`", pair[0].path),
            );
        }
    }
    valid.dedup_by(|b, a| a.path == b.path);
    let mut folded: HashMap<String, &Claim> = HashMap::with_capacity(valid.len());
    let mut folders: HashMap<&str, &Claim> = HashMap::with_capacity(valid.len());
    for &c in &valid {
        let fold: String = c.path.nfc().flat_map(char::to_lowercase).collect();
        if let Some(first) = folded.get(&fold) {
            clash(
                &mut diags,
                first,
                c,
                format!(
                    "`{}` and `{}` differ only by case or Unicode normalisation (one file on macOS and Windows)",
                    first.path, c.path
                ),
            );
        } else {
            folded.insert(fold, c);
        }
        for folder in c.path.match_indices('/').map(|(i, _)| &c.path[..i]) {
            folders.entry(folder).or_insert(c);
        }
    }
    for &c in &valid {
        if let Some(inside) = folders.get(c.path.as_str()) {
            clash(
                &mut diags,
                c,
                inside,
                format!(
                    "`{}` would be both a file and the folder of `{}`",
                    c.path, inside.path
                ),
            );
        }
        if !matches!(c.origin, Origin::Generated(_))
            && let Some(folder) = GENERATED_FOLDERS.iter().find(|f| c.path.starts_with(*f))
        {
            diags.push(
                Diagnostic::new(
                    Code::UrlCollision,
                    c.origin.file().unwrap_or(Path::new("site.yaml")),
                    c.span,
                    format!(
                        "{} would be written into `{folder}`, which holds gloss's search index",
                        c.origin.describe()
                    ),
                )
                .with_hint("move the file to another folder"),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(path: &str, origin: Origin) -> Claim {
        Claim {
            path: path.into(),
            origin,
            span: None,
        }
    }

    fn file(p: &str) -> Origin {
        Origin::File(PathBuf::from(p))
    }

    fn messages(claims: &[Claim]) -> Vec<String> {
        check_claims(claims)
            .iter()
            .map(|d| format!("{}: {}", d.path.display(), d.message))
            .collect()
    }

    #[test]
    fn two_sources_of_one_path_are_found_with_both_named() {
        let got = messages(&[
            claim("help/index.html", file("content/pages/help.md")),
            claim("about/index.html", file("content/pages/about.md")),
            claim("help/index.html", file("content/pages/help/index.md")),
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("two sources make `help/index.html`"),
            "{got:?}"
        );
        assert!(
            got[0].contains("content/pages/help.md")
                && got[0].contains("content/pages/help/index.md"),
            "{got:?}"
        );
        // Against a generated page or a theme file: reported at the site's file.
        let got = messages(&[
            claim("feed.xml", Origin::Generated("the site's feed".into())),
            claim("feed.xml", file("static/feed.xml")),
            claim(
                "style.css",
                Origin::Theme("themes/t/static/style.css".into()),
            ),
            claim("style.css", Origin::Generated("x".into())),
        ]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("static/feed.xml: two sources make `feed.xml`"),
            "{got:?}"
        );
        assert!(got[1].starts_with("themes/t/static/style.css:"), "{got:?}");
    }

    #[test]
    fn a_file_against_a_folder_and_case_twins_are_found() {
        let got = messages(&[
            claim("help", file("static/help")),
            claim("help/index.html", file("content/pages/help.md")),
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("`help` would be both a file and the folder of `help/index.html`"),
            "{got:?}"
        );
        let got = messages(&[
            claim("articles/Café/index.html", file("content/articles/Café.md")),
            claim(
                "articles/cafe\u{301}/index.html",
                file("content/articles/cafe\u{301}.md"),
            ),
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("differ only by case or Unicode normalisation"),
            "{got:?}"
        );
    }

    #[test]
    fn escapes_and_the_search_folders_are_errors_at_their_source() {
        let got = messages(&[
            claim("victim/x/index.html", file("content/articles/x.md")),
            claim("../victim/x/index.html", file("content/articles/y.md")),
            claim("search/t/ab.json", file("static/search/t/ab.json")),
            claim(
                "search/t/ab.json",
                Origin::Generated("the search index".into()),
            ),
        ]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got.iter().any(|m| m
                .starts_with("content/articles/y.md: the output path `../victim/x/index.html`")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|m| m.contains("holds gloss's search index")),
            "{got:?}"
        );
    }
}
