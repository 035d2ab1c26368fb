//! Where each page lives in the output, and how pages link to each other.
//!
//! Every page has a *dir*: its folder relative to the output root, `""` for the home page
//! or `people/nayib-bukele/`. Links are always relative (`../../people/x/`), so the site
//! works under any sub-path and from `file://`; with `pretty_urls: false` (the default)
//! they end in `index.html`, which a browser needs to open a folder from disk. Links and
//! absolute URLs are percent-encoded (a slug `a#b` or `100%` is a folder name, not a
//! fragment or an escape), dirs stay as the file system spells them.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::model::{Article, Config};

/// What a path segment of a URL must encode (RFC 3986 `pchar` keeps the rest): controls,
/// space, `"` `#` `%` `<` `>` `?` `[` `\` `]` `^` `` ` `` `{` `|` `}` and every byte
/// above ASCII (the sitemap protocol wants ASCII URLs).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `dir` (or a file path) as it goes into a URL: each segment percent-encoded.
pub fn encode(dir: &str) -> String {
    utf8_percent_encode(dir, SEGMENT).to_string()
}

/// The folder of the archive's index.
pub const ARCHIVE: &str = "archive/";

/// The folder of a year of the archive.
pub fn year_dir(year: i16) -> String {
    format!("archive/{year:04}/")
}

/// The folder of a month of the archive.
pub fn month_dir(year: i16, month: i8) -> String {
    format!("archive/{year:04}/{month:02}/")
}

/// The folder of a person, topic or outlet: `<folder>/<id>/`.
pub fn entity_dir(folder: &str, id: &str) -> String {
    format!("{folder}/{id}/")
}

/// The dir of an article, from the permalink pattern.
pub(crate) fn article_dir(config: &Config, article: &Article) -> String {
    let d = article.date.date;
    let path = config
        .article_permalink
        .replace("{year}", &format!("{:04}", d.year()))
        .replace("{month}", &format!("{:02}", d.month()))
        .replace("{day}", &format!("{:02}", d.day()))
        .replace("{slug}", article.slug.as_str());
    path.trim_start_matches('/').to_string()
}

/// The href of `dir` from the site root: `dir` itself, plus `index.html` unless pretty,
/// percent-encoded.
pub fn href(dir: &str, pretty: bool) -> String {
    if pretty || dir.ends_with(".html") || dir.ends_with(".xml") {
        encode(dir)
    } else {
        format!("{}index.html", encode(dir))
    }
}

/// The absolute URL of `dir` under `base_url` (which ends in `/`), percent-encoded.
pub fn url(base_url: &str, dir: &str) -> String {
    format!("{base_url}{}", encode(dir))
}

/// The relative prefix that leads from the page at `dir` back to the site root.
pub fn root_prefix(dir: &str) -> String {
    let depth = dir.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The dir of page `n` (1-based) of a paginated list whose first page is at `dir`.
pub fn pager_dir(dir: &str, n: usize) -> String {
    if n <= 1 {
        dir.to_string()
    } else {
        format!("{dir}page/{n}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_prefixes() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("people/"), "../");
        assert_eq!(root_prefix("articles/a-b/"), "../../");
        assert_eq!(href("people/x/", false), "people/x/index.html");
        assert_eq!(href("people/x/", true), "people/x/");
        assert_eq!(href("", false), "index.html");
        assert_eq!(pager_dir("quotes/", 3), "quotes/page/3/");
        assert_eq!(pager_dir("", 2), "page/2/");
    }

    /// Issue 14: a file named `a#b.md` or `100%.md` is linked as a folder, not a
    /// fragment or an escape; spaces and non-ASCII are encoded for feeds and sitemaps.
    #[test]
    fn links_and_urls_are_percent_encoded() {
        assert_eq!(href("articles/a#b/", false), "articles/a%23b/index.html");
        assert_eq!(href("articles/100%/", true), "articles/100%25/");
        assert_eq!(
            href("articles/my file/", false),
            "articles/my%20file/index.html"
        );
        assert_eq!(
            url("https://x.org/", "articles/café?/"),
            "https://x.org/articles/caf%C3%A9%3F/"
        );
        assert_eq!(
            href("people/nayib-bukele/", false),
            "people/nayib-bukele/index.html"
        );
        assert_eq!(encode("a/b_c.d~e-f"), "a/b_c.d~e-f");
    }
}
