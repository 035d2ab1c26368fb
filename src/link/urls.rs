//! Where each page lives in the output, and how pages link to each other.
//!
//! Every page has a *dir*: its folder relative to the output root, `""` for the home page
//! or `people/nayib-bukele/`. Links are always relative (`../../people/x/`), so the site
//! works under any sub-path and from `file://`; with `pretty_urls: false` (the default)
//! they end in `index.html`, which a browser needs to open a folder from disk.

use crate::model::{Article, Config};

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

/// The href of `dir` from the site root: `dir` itself, plus `index.html` unless pretty.
pub fn href(dir: &str, pretty: bool) -> String {
    if pretty || dir.ends_with(".html") || dir.ends_with(".xml") {
        dir.to_string()
    } else {
        format!("{dir}index.html")
    }
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

/// A display name derived from an id: `nayib-bukele` -> `Nayib Bukele`.
pub fn name_from_id(id: &str) -> String {
    id.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
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

    #[test]
    fn names_from_ids() {
        assert_eq!(name_from_id("nayib-bukele"), "Nayib Bukele");
        assert_eq!(name_from_id("x"), "X");
        assert_eq!(name_from_id("a--b"), "A B");
    }
}
