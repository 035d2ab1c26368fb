//! The URLs Hugo and Zola gave a page, reproduced exactly so that they become the
//! article's URL or an alias: Hugo's path sanitising and lower-casing, its `[permalinks]`
//! tokens and relative aliases; Zola's section path plus slug under `slugify.paths`.

/// What Hugo's `MakePath` makes of a path: white space becomes `-`, characters other
/// than letters, marks, digits and `./\_-%#+~` are dropped, and (unless
/// `disablePathToLower`) it is lower-cased.
pub(crate) fn hugo_path(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // Hugo turns each space into `-` without collapsing them.
        if c.is_whitespace() || c == '-' {
            out.push('-');
        } else if c.is_alphanumeric() || "./\\_%#+~".contains(c) {
            out.push(c);
        }
    }
    if lower { out.to_lowercase() } else { out }
}

/// Hugo's `urlize` of a title: its path form, lower-cased, repeated `-` kept as Hugo
/// keeps them, `/` removed.
pub(crate) fn hugo_urlize(s: &str) -> String {
    hugo_path(s, true).replace(['/', '\\'], "")
}

/// What Hugo's permalink tokens stand for, for one page.
#[derive(Debug, Default)]
pub(crate) struct HugoPage<'a> {
    /// `YYYY-MM-DD…` (its first 10 characters are used).
    pub(crate) date: Option<&'a str>,
    /// The front matter's `slug`.
    pub(crate) slug: Option<&'a str>,
    pub(crate) title: &'a str,
    /// The file name without extension, or a bundle's folder name.
    pub(crate) base_name: &'a str,
    /// The section folders under `content/` (`["posts", "2020"]`).
    pub(crate) sections: &'a [String],
}

/// `pattern` (`/:year/:month/:slug/`) expanded for `page`; `None` when it uses a token
/// gloss does not know (the report lists it).
pub(crate) fn hugo_permalink(pattern: &str, page: &HugoPage<'_>, lower: bool) -> Option<String> {
    let date = page.date.unwrap_or("0001-01-01");
    let (y, m, d) = (date.get(..4)?, date.get(5..7)?, date.get(8..10)?);
    let title = hugo_urlize(page.title);
    let slug = page.slug.map(hugo_urlize).filter(|s| !s.is_empty());
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let token = &rest[..end];
        rest = &rest[end..];
        let month_index = m.parse::<usize>().ok()?.checked_sub(1)?;
        let value = match token {
            "year" => y.to_string(),
            "month" => m.to_string(),
            "monthname" => jiff::civil::Date::new(2000, i8::try_from(month_index + 1).ok()?, 1)
                .ok()?
                .strftime("%B")
                .to_string()
                .to_lowercase(),
            "day" => d.to_string(),
            "section" => page.sections.first().cloned().unwrap_or_default(),
            "sections" => page.sections.join("/"),
            "title" => title.clone(),
            "slug" | "slug_or_title" => slug.clone().unwrap_or_else(|| title.clone()),
            "filename" | "contentbasename" => page.base_name.to_string(),
            "slugorfilename" | "slugorcontentbasename" => {
                slug.clone().unwrap_or_else(|| page.base_name.to_string())
            }
            _ => return None,
        };
        out.push_str(&value);
    }
    out.push_str(rest);
    Some(clean(&hugo_path(&out, lower)))
}

/// A URL path with one leading `/`, no empty segments, and its trailing `/` (or file
/// name) as written.
pub(crate) fn clean(url: &str) -> String {
    let mut c = String::from("/");
    c.push_str(
        &url.split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect::<Vec<_>>()
            .join("/"),
    );
    if url.ends_with('/') && c.len() > 1 {
        c.push('/');
    }
    c
}

/// A Hugo alias as the path it was published at: an absolute one as written; a relative
/// one on the same level as the page (`old` for `/posts/x/` is `/posts/old/`), as Hugo's
/// `renderAliases` joins it with the page's folder and `..`.
pub(crate) fn hugo_alias(alias: &str, page_url: &str) -> String {
    let alias = alias.trim();
    if alias.starts_with('/') {
        return clean(alias);
    }
    let parent = page_url.trim_end_matches('/');
    let parent = parent.rsplit_once('/').map_or("", |(p, _)| p);
    let mut parts: Vec<&str> = parent.split('/').filter(|p| !p.is_empty()).collect();
    for seg in alias.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut url = format!("/{}", parts.join("/"));
    if alias.ends_with('/') {
        url.push('/');
    }
    url
}

/// Zola's `slugify.paths`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum ZolaSlugify {
    /// `on` (the default): `slug::slugify`, as Zola does.
    #[default]
    On,
    /// `safe`: characters unsafe in a path removed, the rest kept.
    Safe,
    /// `off`: as written.
    Off,
}

/// A Zola page's slug (its front matter's `slug`, else its file or folder name without
/// a date prefix), under `slugify.paths`.
pub(crate) fn zola_slug(s: &str, how: ZolaSlugify) -> String {
    match how {
        ZolaSlugify::On => slug::slugify(s),
        ZolaSlugify::Safe => s
            .trim()
            .chars()
            .filter(|c| !"<>:/|?*#\\()[]\t\r\n\"'".contains(*c))
            .map(|c| if c == ' ' { '_' } else { c })
            .collect(),
        ZolaSlugify::Off => s.to_string(),
    }
}

/// A file or folder name's date prefix (`2020-01-02-x` or `2020-01-02_x`, as Zola reads
/// it) and the rest.
pub(crate) fn zola_dated(name: &str) -> Option<(&str, &str)> {
    let date = name.get(..10)?;
    let rest = name.get(10..)?;
    let rest = rest.strip_prefix('-').or_else(|| rest.strip_prefix('_'))?;
    jiff::civil::Date::strptime("%Y-%m-%d", date)
        .ok()
        .map(|_| (date, rest))
}

/// A Zola page's URL: its `path` if set, else its section folders and its slug.
pub(crate) fn zola_url(path: Option<&str>, sections: &[String], slug: &str) -> String {
    match path {
        Some(p) => clean(&format!("/{}/", p.trim_matches('/'))),
        None => {
            let mut parts: Vec<&str> = sections.iter().map(String::as_str).collect();
            parts.push(slug);
            clean(&format!("/{}/", parts.join("/")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_lower_cases_and_hyphenates_file_names() {
        assert_eq!(
            hugo_path("posts/My First Post", true),
            "posts/my-first-post"
        );
        assert_eq!(hugo_path("Über (draft)!", true), "über-draft");
        assert_eq!(hugo_path("CamelCase", false), "CamelCase");
        assert_eq!(hugo_urlize("Hello, World: a/b"), "hello-world-ab");
    }

    #[test]
    fn hugo_permalink_tokens() {
        let sections = vec!["posts".to_string()];
        let page = HugoPage {
            date: Some("2021-03-04T10:00:00Z"),
            slug: None,
            title: "Bridge Reopens Today",
            base_name: "Bridge_Reopens",
            sections: &sections,
        };
        let p = |pat: &str| hugo_permalink(pat, &page, true);
        assert_eq!(
            p("/:year/:month/:day/:title/").as_deref(),
            Some("/2021/03/04/bridge-reopens-today/")
        );
        assert_eq!(
            p("/:section/:filename/").as_deref(),
            Some("/posts/bridge_reopens/")
        );
        assert_eq!(
            p("/:year/:monthname/:slug/").as_deref(),
            Some("/2021/march/bridge-reopens-today/")
        );
        assert_eq!(
            p("/:sections/:contentbasename/").as_deref(),
            Some("/posts/bridge_reopens/")
        );
        assert_eq!(p("/:weekdayname/:slug/"), None);
        let with_slug = HugoPage {
            slug: Some("Reopened"),
            ..page
        };
        assert_eq!(
            hugo_permalink("/:slug_or_title/", &with_slug, true).as_deref(),
            Some("/reopened/")
        );
    }

    #[test]
    fn hugo_relative_aliases_sit_beside_the_page() {
        assert_eq!(hugo_alias("old-name", "/posts/x/"), "/posts/old-name");
        assert_eq!(hugo_alias("old-name/", "/posts/x/"), "/posts/old-name/");
        assert_eq!(
            hugo_alias("../legacy/x.html", "/posts/x/"),
            "/legacy/x.html"
        );
        assert_eq!(hugo_alias("/abs/path/", "/posts/x/"), "/abs/path/");
    }

    #[test]
    fn zola_paths() {
        assert_eq!(
            zola_dated("2020-01-02_hello"),
            Some(("2020-01-02", "hello"))
        );
        assert_eq!(zola_dated("2020-13-02-hello"), None);
        assert_eq!(zola_slug("Hello World!", ZolaSlugify::On), "hello-world");
        assert_eq!(zola_slug("Hello World?", ZolaSlugify::Safe), "Hello_World");
        assert_eq!(zola_slug("Hello World", ZolaSlugify::Off), "Hello World");
        let sections = vec!["blog".to_string(), "2020".to_string()];
        assert_eq!(zola_url(None, &sections, "x"), "/blog/2020/x/");
        assert_eq!(
            zola_url(Some("elsewhere/y"), &sections, "x"),
            "/elsewhere/y/"
        );
    }
}
