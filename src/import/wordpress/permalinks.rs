//! The site's permalink structure, inferred from its posts' links (the export does not
//! carry the `permalink_structure` option): each link's path is read back into
//! WordPress tags (`/%year%/%monthnum%/%day%/%postname%/`) and the most common
//! structure wins. When gloss's `permalinks.article` can spell it, the new site keeps
//! the same URLs; otherwise the dated default is used and each old link is an alias.

use std::collections::BTreeMap;

/// What a post's link may be made of.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Post<'a> {
    /// `YYYY-MM-DD HH:MM:SS`, local time (WordPress dates permalinks locally).
    pub(crate) date: &'a str,
    /// `wp:post_name`, as the export spells it (percent-encoded when not ASCII).
    pub(crate) name: &'a str,
    pub(crate) id: u64,
    /// The nicenames of the post's categories.
    pub(crate) categories: &'a [String],
}

/// The path of `link` under the blog's address `base` (`https://x.org/news/`), with its
/// query (`/?p=12`); `None` for a link elsewhere.
pub(crate) fn path_of(link: &str, base: &str) -> Option<String> {
    let strip = |u: &str| {
        u.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .to_string()
    };
    let (link, base) = (strip(link), strip(base));
    let base = base.trim_end_matches('/');
    let rest = link.strip_prefix(base)?;
    if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')) {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or("");
    Some(if rest.starts_with('/') {
        rest.to_string()
    } else {
        format!("/{rest}")
    })
}

/// The structure `path` follows for `post`: each part that is the post's year, month,
/// day, name, id or one of its categories becomes that tag, others stay as written.
pub(crate) fn structure_of(path: &str, post: &Post<'_>) -> Option<String> {
    if path.contains('?') || post.date.len() < 10 {
        return None;
    }
    let (y, m, d) = (&post.date[..4], &post.date[5..7], &post.date[8..10]);
    let id = post.id.to_string();
    let name = post.name.to_lowercase();
    let mut out = String::new();
    // Date parts come in order: in March 3rd's `/2024/03/03/`, the second `03` is the day.
    let mut month_seen = false;
    for part in path.trim_start_matches('/').split('/') {
        if part.is_empty() {
            continue;
        }
        out.push('/');
        let (stem, ext) = match part.rsplit_once('.') {
            Some((s, e)) if e == "html" || e == "htm" || e == "php" => (s, Some(e)),
            _ => (part, None),
        };
        let tag = match stem {
            s if !name.is_empty() && s.to_lowercase() == name => "%postname%",
            s if s == id => "%post_id%",
            s if s == y => "%year%",
            s if s == m && !month_seen => {
                month_seen = true;
                "%monthnum%"
            }
            s if s == d => "%day%",
            s if post.categories.iter().any(|c| c == s) => "%category%",
            s => s,
        };
        out.push_str(tag);
        if let Some(e) = ext {
            out.push('.');
            out.push_str(e);
        }
    }
    if path.ends_with('/') {
        out.push('/');
    }
    Some(out)
}

/// The most common of `structures` (ties: the first in name order, so the same export
/// always gives the same answer).
pub(crate) fn infer(structures: impl IntoIterator<Item = String>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for s in structures {
        *counts.entry(s).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(s, _)| s)
}

/// gloss's `permalinks.article` for a WordPress structure, when it has one: the date
/// tags, `%postname%` as `{slug}` and plain parts, ending in a folder.
pub(crate) fn gloss_pattern(structure: &str) -> Option<String> {
    if !structure.ends_with('/') || !structure.contains("%postname%") {
        return None;
    }
    let mut out = String::new();
    for part in structure.trim_matches('/').split('/') {
        out.push('/');
        out.push_str(match part {
            "%year%" => "{year}",
            "%monthnum%" => "{month}",
            "%day%" => "{day}",
            "%postname%" => "{slug}",
            p if !p.is_empty() && crate::model::is_slug(p) => p,
            _ => return None,
        });
    }
    out.push('/');
    Some(out)
}

/// The path `pattern` (gloss's) gives a post dated `date` (`YYYY-MM-DD…`) named `slug`.
pub(crate) fn expand(pattern: &str, date: &str, slug: &str) -> String {
    pattern
        .replace("{year}", &date[..4])
        .replace("{month}", &date[5..7])
        .replace("{day}", &date[8..10])
        .replace("{slug}", slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post<'a>(cats: &'a [String]) -> Post<'a> {
        Post {
            date: "2024-03-05 09:30:00",
            name: "levee-budget",
            id: 101,
            categories: cats,
        }
    }

    #[test]
    fn paths_under_the_blog_address() {
        let base = "https://ledger.example/";
        assert_eq!(
            path_of("https://ledger.example/2024/03/x/", base).as_deref(),
            Some("/2024/03/x/")
        );
        assert_eq!(
            path_of("http://www.ledger.example/?p=12", base).as_deref(),
            Some("/?p=12")
        );
        assert_eq!(
            path_of(
                "https://ledger.example/news/a/",
                "https://ledger.example/news"
            )
            .as_deref(),
            Some("/a/")
        );
        assert_eq!(path_of("https://other.example/a/", base), None);
        assert_eq!(path_of("https://ledger.examples/a/", base), None);
    }

    #[test]
    fn structures_read_back_from_links() {
        let cats = ["news".to_string()];
        let p = post(&cats);
        let s = |path: &str| structure_of(path, &p);
        assert_eq!(
            s("/2024/03/05/levee-budget/").as_deref(),
            Some("/%year%/%monthnum%/%day%/%postname%/")
        );
        assert_eq!(
            s("/2024/03/levee-budget/").as_deref(),
            Some("/%year%/%monthnum%/%postname%/")
        );
        assert_eq!(s("/archives/101").as_deref(), Some("/archives/%post_id%"));
        assert_eq!(
            s("/news/levee-budget/").as_deref(),
            Some("/%category%/%postname%/")
        );
        assert_eq!(
            s("/blog/levee-budget.html").as_deref(),
            Some("/blog/%postname%.html")
        );
        assert_eq!(s("/?p=101"), None);
        let march_3rd = Post {
            date: "2024-03-03 10:00:00",
            ..p
        };
        assert_eq!(
            structure_of("/2024/03/03/levee-budget/", &march_3rd).as_deref(),
            Some("/%year%/%monthnum%/%day%/%postname%/")
        );
    }

    #[test]
    fn the_most_common_structure_wins() {
        let found = ["/%postname%/", "/%year%/%postname%/", "/%postname%/"];
        assert_eq!(
            infer(found.iter().map(|s| s.to_string())).as_deref(),
            Some("/%postname%/")
        );
        assert_eq!(infer(Vec::new()), None);
    }

    #[test]
    fn structures_gloss_can_spell() {
        let g = gloss_pattern;
        assert_eq!(
            g("/%year%/%monthnum%/%day%/%postname%/").as_deref(),
            Some("/{year}/{month}/{day}/{slug}/")
        );
        assert_eq!(g("/blog/%postname%/").as_deref(), Some("/blog/{slug}/"));
        assert_eq!(g("/%category%/%postname%/"), None);
        assert_eq!(g("/archives/%post_id%"), None);
        assert_eq!(g("/%postname%.html"), None);
        assert_eq!(
            expand("/{year}/{month}/{slug}/", "2024-03-05 09:30:00", "x"),
            "/2024/03/x/"
        );
    }
}
