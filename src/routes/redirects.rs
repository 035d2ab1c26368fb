//! Old URLs kept: an `aliases:` entry of an article or page is normalised here into the
//! output file of its redirect page, and the redirects are listed in the `_redirects`
//! format Netlify and Cloudflare Pages read.
//!
//! An alias is a path on this site, as the old site served it: `/2014/03/12/coming-soon/`
//! or `2014/03/12/coming-soon` (a folder: its `index.html`), `/old/page.html` (a file:
//! that file). Anything that is not such a path (`..`, `//`, a URL with a host, a query)
//! is refused with the reason, so no alias can lead outside the output.

use super::OutPath;
use super::dirs::encode;

/// Why an alias is not a path of this site.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AliasProblem {
    /// Nothing but slashes or white space.
    #[error("it is empty")]
    Empty,
    /// `https://host/...` or `//host/...`: another site's address.
    #[error("it is a URL with a host, not a path of this site")]
    Url,
    /// A `?query` or `#fragment`: a static host serves files, not those.
    #[error("it has a `{0}`: a static host cannot serve a query or a fragment as a page")]
    QueryOrFragment(char),
    /// A `%` not followed by two hex digits, or escapes that are not UTF-8.
    #[error("it has a broken percent escape")]
    Escape,
    /// The decoded path is no path inside the output.
    #[error("{0}")]
    Path(super::PathProblem),
}

/// The output file an alias's redirect page is written to: `<alias>/index.html` for a
/// folder, the alias itself when it ends in `.html` or `.htm`. Percent escapes are
/// decoded (`/caf%C3%A9/` is the folder `café/`).
pub fn alias_path(alias: &str) -> Result<OutPath, AliasProblem> {
    let alias = alias.trim();
    let lower = alias.to_ascii_lowercase();
    if alias.starts_with("//") || lower.contains("://") || lower.starts_with("mailto:") {
        return Err(AliasProblem::Url);
    }
    if let Some(c) = alias.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(AliasProblem::QueryOrFragment(c));
    }
    let decoded = percent_encoding::percent_decode_str(alias)
        .decode_utf8()
        .map_err(|_| AliasProblem::Escape)?;
    if has_broken_escape(alias) {
        return Err(AliasProblem::Escape);
    }
    let path = decoded.strip_prefix('/').unwrap_or(&decoded);
    if path.trim_matches('/').is_empty() {
        return Err(AliasProblem::Empty);
    }
    let is_file = !path.ends_with('/') && {
        let last = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        last.ends_with(".html") || last.ends_with(".htm")
    };
    let file = if is_file {
        path.to_string()
    } else {
        format!("{}/index.html", path.strip_suffix('/').unwrap_or(path))
    };
    OutPath::new(&file).map_err(AliasProblem::Path)
}

/// True when a `%` is not followed by two hex digits (`percent_decode` keeps those as
/// written, which would make a file named `%zz`).
fn has_broken_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// The URL path a host serves `file` at, from the site root: a folder's `index.html`
/// as the folder (`a/b/index.html` -> `a/b/`), any other file as itself; encoded.
pub fn served_path(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => encode(dir),
        _ => encode(file),
    }
}

/// The `_redirects` file (Netlify, Cloudflare Pages): one `FROM TO 301` line per
/// `(alias file, target dir)`, both paths from the host's root. `prefix` is the path of
/// `base_url` (`/` at a domain's root, `/archive/` under a sub-path), put before both.
pub fn redirects_file<'a>(
    prefix: &str,
    redirects: impl Iterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut out = String::from(
        "# Written by gloss from the `aliases:` of articles and pages: old path, new path.\n",
    );
    for (from, to) in redirects {
        out.push_str(&format!(
            "{prefix}{} {prefix}{} 301\n",
            served_path(from),
            encode(to)
        ));
    }
    out
}

/// The path of `base_url` (`https://x.org/archive/` -> `/archive/`), `/` without one.
pub fn base_path(base_url: &str) -> &str {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .unwrap_or(base_url);
    rest.find('/').map_or("/", |i| &rest[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(alias: &str) -> String {
        alias_path(alias)
            .unwrap_or_else(|e| panic!("{alias}: {e}"))
            .as_str()
            .to_string()
    }

    #[test]
    fn aliases_become_output_files() {
        assert_eq!(
            ok("/2014/03/12/coming-soon/"),
            "2014/03/12/coming-soon/index.html"
        );
        assert_eq!(
            ok("2014/03/12/coming-soon"),
            "2014/03/12/coming-soon/index.html"
        );
        assert_eq!(ok("/old/page.html"), "old/page.html");
        assert_eq!(ok("/old/Page.HTM"), "old/Page.HTM");
        assert_eq!(ok(" /a/ "), "a/index.html");
        assert_eq!(ok("/caf%C3%A9/"), "café/index.html");
        assert_eq!(ok("/my%20post"), "my post/index.html");
        assert_eq!(ok("/v1.2/notes"), "v1.2/notes/index.html");
    }

    #[test]
    fn aliases_that_are_no_path_of_the_site_are_refused() {
        use super::super::PathProblem;
        let err = |a: &str| alias_path(a).err();
        assert_eq!(err("https://old.example.org/a/"), Some(AliasProblem::Url));
        assert_eq!(err("//old.example.org/a/"), Some(AliasProblem::Url));
        assert_eq!(
            err("/a/../../etc/"),
            Some(AliasProblem::Path(PathProblem::Parent))
        );
        assert_eq!(
            err("/a//b/"),
            Some(AliasProblem::Path(PathProblem::EmptySegment))
        );
        assert_eq!(
            err("/a/%2e%2e/%2e%2e/x/"),
            Some(AliasProblem::Path(PathProblem::Parent))
        );
        assert_eq!(err("/"), Some(AliasProblem::Empty));
        assert_eq!(err(""), Some(AliasProblem::Empty));
        assert_eq!(err("/a?p=1"), Some(AliasProblem::QueryOrFragment('?')));
        assert_eq!(err("/a/#x"), Some(AliasProblem::QueryOrFragment('#')));
        assert_eq!(err("/100%/"), Some(AliasProblem::Escape));
        assert_eq!(err("/%ff/"), Some(AliasProblem::Escape));
        assert!(err("/a\\..\\b/").is_some());
    }

    #[test]
    fn the_redirects_file_lists_served_paths_under_the_base_path() {
        let lines = redirects_file(
            "/",
            [
                ("2014/03/coming-soon/index.html", "articles/coming-soon/"),
                ("old/page.html", "about/"),
                ("my post/index.html", "articles/café/"),
            ]
            .into_iter(),
        );
        assert!(
            lines.ends_with(
                "\n/2014/03/coming-soon/ /articles/coming-soon/ 301\n/old/page.html /about/ 301\n/my%20post/ /articles/caf%C3%A9/ 301\n"
            ),
            "{lines}"
        );
        let sub = redirects_file("/archive/", [("a/index.html", "b/")].into_iter());
        assert!(sub.ends_with("\n/archive/a/ /archive/b/ 301\n"), "{sub}");
        assert_eq!(base_path("https://x.org/"), "/");
        assert_eq!(base_path("https://x.org/archive/"), "/archive/");
        assert_eq!(base_path("http://x.org:8080/a/b/"), "/a/b/");
    }
}
