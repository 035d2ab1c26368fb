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

/// The folder of the list of every quote.
pub const QUOTES: &str = "quotes/";

/// The folder of the list of the quotes of one status: `quotes/disputed/`.
pub fn quote_status_dir(status: crate::model::QuoteStatus) -> String {
    format!("{QUOTES}{}/", status.as_str())
}

/// The folder of a year of the archive.
pub fn year_dir(year: i16) -> String {
    format!("archive/{year:04}/")
}

/// The folder of a month of the archive.
pub fn month_dir(year: i16, month: i8) -> String {
    format!("archive/{year:04}/{month:02}/")
}

/// The folder of the indexes of one language of a multilingual site: its tag in lower
/// case (`es/`, `pt-br/`), as Hugo and Zola place a language's pages.
pub fn language_dir(tag: &str) -> String {
    format!("{}/", tag.to_ascii_lowercase())
}

/// The folder of a person, topic or outlet: `<folder>/<id>/`.
pub fn entity_dir(folder: &str, id: &str) -> String {
    format!("{folder}/{id}/")
}

/// The placeholders of `permalinks.article`, each with what it stands for.
pub const PERMALINK_TOKENS: &[&str] = &[
    "{year}",
    "{month}",
    "{day}",
    "{slug}",
    "{name}",
    "{slugified}",
    "{path}",
    "{folder}",
];

/// What the placeholders of a permalink stand for, for one article.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tokens<'a> {
    /// The date, `YYYY`, `MM`, `DD`.
    pub(crate) date: (i16, i8, i8),
    /// The file stem (`{slug}`).
    pub(crate) slug: &'a str,
    /// The path under `content/articles/` without `.md` (`{path}`).
    pub(crate) path: &'a str,
}

/// `{name}`: the file stem without a leading `YYYY-MM-DD-` (Jekyll's and Eleventy's
/// dated file names), or the whole stem when nothing follows the date.
fn undated(stem: &str) -> &str {
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..11].iter().enumerate().all(|(i, &c)| match i {
            4 | 7 | 10 => c == b'-',
            _ => c.is_ascii_digit(),
        });
    if dated { &stem[11..] } else { stem }
}

/// `{slugified}`: the file stem lower-cased, each run of white space a hyphen (Hugo's
/// default URLs: `My Post.md` -> `my-post`).
fn slugified(stem: &str) -> String {
    stem.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Expands `pattern` in one pass (a file named `{year}.md` stays `{year}`); an empty
/// `{folder}` takes one of the slashes around it with it. Unknown placeholders are kept as
/// written (site.yaml's check refuses them).
pub(crate) fn expand(pattern: &str, t: &Tokens<'_>) -> String {
    let mut out = String::with_capacity(pattern.len() + t.path.len());
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(len) = rest[i..].find('}').map(|e| e + 1) else {
            break;
        };
        let token = &rest[i..i + len];
        let mut after = &rest[i + len..];
        let (year, month, day) = t.date;
        match token {
            "{year}" => out.push_str(&format!("{year:04}")),
            "{month}" => out.push_str(&format!("{month:02}")),
            "{day}" => out.push_str(&format!("{day:02}")),
            "{slug}" => out.push_str(t.slug),
            "{name}" => out.push_str(undated(t.slug)),
            "{slugified}" => out.push_str(&slugified(t.slug)),
            "{path}" => out.push_str(t.path),
            "{folder}" => match t.path.rsplit_once('/') {
                Some((folder, _)) => out.push_str(folder),
                // At the top: `/x/{folder}/{slug}/` is `/x/{slug}/`.
                None if out.ends_with('/') && after.starts_with('/') => after = &after[1..],
                None => {}
            },
            other => out.push_str(other),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The dir of an article, from the permalink pattern.
pub(crate) fn article_dir(config: &Config, article: &Article) -> String {
    let d = article.date.date;
    let tokens = Tokens {
        date: (d.year(), d.month(), d.day()),
        slug: article.slug.as_str(),
        path: &article.key,
    };
    expand(&config.article_permalink, &tokens)
        .trim_start_matches('/')
        .to_string()
}

/// The folder that relative URLs on the page at `dir` resolve against: `dir` itself for
/// a page folder (`articles/x/`), the folder of a page file (`2014/03/x.html`).
pub(crate) fn page_folder(dir: &str) -> &str {
    &dir[..dir.rfind('/').map_or(0, |i| i + 1)]
}

/// The output path of the file `rel` (`/`-separated) of the bundle of the page at `dir`:
/// beside the page, so the page's relative links to it work as written.
pub(crate) fn bundle_file(dir: &str, rel: &str) -> String {
    format!("{}{rel}", page_folder(dir))
}

/// The output path of the copy `width` pixels wide of the image at output path `image`:
/// beside it, the width before the extension (`chart.png` -> `chart.960w.png`), so it
/// keeps the image's format and folder.
pub(crate) fn variant_file(image: &str, width: u32) -> String {
    let name_start = image.rfind('/').map_or(0, |i| i + 1);
    match image[name_start..].rfind('.') {
        Some(dot) if dot > 0 => {
            let dot = name_start + dot;
            format!("{}.{width}w{}", &image[..dot], &image[dot..])
        }
        _ => format!("{image}.{width}w"),
    }
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
    fn copies_of_an_image_sit_beside_it_in_its_format() {
        assert_eq!(
            variant_file("articles/x/chart.png", 960),
            "articles/x/chart.960w.png"
        );
        assert_eq!(variant_file("a.b/photo.JPG", 480), "a.b/photo.480w.JPG");
        assert_eq!(variant_file("x.y.jpeg", 480), "x.y.480w.jpeg");
    }

    fn dir_of(pattern: &str, slug: &str, path: &str) -> String {
        expand(
            pattern,
            &Tokens {
                date: (2014, 3, 9),
                slug,
                path,
            },
        )
    }

    /// Issue 15: the placeholders that reproduce Jekyll's, Eleventy's and Hugo's URLs.
    #[test]
    fn permalink_tokens_expand() {
        let dated = ("2014-03-12-coming-soon", "blog/2014-03-12-coming-soon");
        assert_eq!(
            dir_of("/{year}/{month}/{day}/{name}/", dated.0, dated.1),
            "/2014/03/09/coming-soon/"
        );
        assert_eq!(
            dir_of("/{slug}/", dated.0, dated.1),
            "/2014-03-12-coming-soon/"
        );
        assert_eq!(dir_of("/{path}/", "report", "2024/report"), "/2024/report/");
        assert_eq!(
            dir_of(
                "/posts/{folder}/{slugified}/",
                "My  Big Post",
                "2014/03/My  Big Post"
            ),
            "/posts/2014/03/my-big-post/"
        );
        // At the top of content/articles/, `{folder}` is empty and leaves no `//`.
        assert_eq!(dir_of("/x/{folder}/{slug}/", "a", "a"), "/x/a/");
        // Not a dated name: kept whole.
        assert_eq!(
            dir_of("/{name}/", "2014-03-12", "2014-03-12"),
            "/2014-03-12/"
        );
        assert_eq!(
            dir_of("/{name}/", "2014-3-12-x", "2014-3-12-x"),
            "/2014-3-12-x/"
        );
        // Expanded once: a file name with braces is not expanded again.
        assert_eq!(dir_of("/a/{slug}/", "{year}", "{year}"), "/a/{year}/");
    }

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
