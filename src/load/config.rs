//! Reads `site.yaml` into a [`Config`], every key defaulted, unknown keys rejected.

use crate::diag::Code;
use std::path::Path;

use super::yaml::{self, Node, Reader};
use crate::diag::{self, Diagnostic, Diagnostics};
use crate::model::{Config, HtmlMode};

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "paginate",
    "permalinks",
    "markdown",
    "pretty_urls",
    "feeds",
    "images",
    "extra",
];
const PERMALINK_KEYS: &[&str] = &["article"];
const MARKDOWN_KEYS: &[&str] = &["smart_punctuation", "html", "unsafe_html"];
const FEED_KEYS: &[&str] = &["full_text"];
const IMAGE_KEYS: &[&str] = &["widths", "quality", "sizes"];
/// The widest copy gloss makes, in pixels.
const MAX_WIDTH: i128 = 16_384;
use crate::routes::dirs::PERMALINK_TOKENS as PLACEHOLDERS;
/// The placeholders that tell one article from another: a permalink needs one.
const NAMING: &[&str] = &["{slug}", "{name}", "{slugified}", "{path}"];

/// Parses the text of `site.yaml` (at `path`, relative to the root).
pub(crate) fn read(text: &str, path: &Path, diags: &mut Diagnostics) -> Config {
    let mut config = Config::default();
    let root = match yaml::parse(text, path, 1) {
        Ok(node) => node,
        Err(d) => {
            diags.push(d);
            return config;
        }
    };
    let mut r = Reader { path, diags };
    let Some(entries) = r.map(&root, "site.yaml") else {
        return config;
    };
    let f = r.fields(entries, KEYS, "site.yaml");
    let text_key = |r: &mut Reader<'_>, key: &str, slot: &mut String| {
        if let Some(v) = f.get(key).and_then(|n| r.text(n, &format!("`{key}`"))) {
            *slot = v;
        }
    };
    text_key(&mut r, "title", &mut config.title);
    text_key(&mut r, "description", &mut config.description);
    if let Some(tag) = f
        .get("language")
        .and_then(|n| super::article::language(&mut r, n))
    {
        config.language = tag;
    }
    if let Some(n) = f.get("theme")
        && let Some(name) = r.text(n, "`theme`")
    {
        match check_theme_name(&name) {
            Ok(()) => config.theme = name,
            Err(problem) => r.error(
                Code::InvalidValue,
                n.span,
                format!("invalid theme `{name}`: {problem}"),
                Some("write the name of a folder under `themes/`, e.g. `theme: default`".into()),
            ),
        }
    }
    if let Some(n) = f.get("base_url")
        && let Some(url) = r.text(n, "`base_url`")
    {
        match normalise_base_url(&url) {
            Some(url) => config.base_url = url,
            None => r.error(
                Code::InvalidValue,
                n.span,
                format!("`base_url` must be an absolute http(s) URL, found `{url}`"),
                Some("write e.g. `base_url: https://archive.example.org/`".into()),
            ),
        }
    }
    if let Some(n) = f.get("paginate") {
        match n.kind {
            yaml::Kind::Int(i) if (1..=100_000).contains(&i) => config.paginate = i as usize,
            _ => r.error(
                Code::InvalidValue,
                n.span,
                "`paginate` must be a whole number from 1",
                Some("write e.g. `paginate: 50`".into()),
            ),
        }
    }
    if let Some(n) = f.get("pretty_urls")
        && let Some(b) = r.bool(n, "`pretty_urls`")
    {
        config.pretty_urls = b;
    }
    if let Some(n) = f.get("permalinks") {
        read_permalinks(&mut r, n, &mut config);
    }
    if let Some(n) = f.get("markdown")
        && let Some(entries) = r.map(n, "`markdown`")
    {
        let m = r.fields(entries, MARKDOWN_KEYS, "`markdown`");
        if let Some(b) = m
            .get("smart_punctuation")
            .and_then(|n| r.bool(n, "`smart_punctuation`"))
        {
            config.smart_punctuation = b;
        }
        read_html_mode(&mut r, &m, &mut config);
    }
    if let Some(n) = f.get("feeds")
        && let Some(entries) = r.map(n, "`feeds`")
    {
        let m = r.fields(entries, FEED_KEYS, "`feeds`");
        if let Some(b) = m.get("full_text").and_then(|n| r.bool(n, "`full_text`")) {
            config.feeds_full_text = b;
        }
    }
    if let Some(n) = f.get("images") {
        read_images(&mut r, n, &mut config);
    }
    if let Some(n) = f.get("extra") {
        config.extra = r.extra(n);
    }
    config
}

/// `images: {widths, quality, sizes}`: widths whole numbers of pixels (sorted, repeats
/// dropped; `[]` turns the copies off), quality 1 to 100.
fn read_images(r: &mut Reader<'_>, n: &Node, config: &mut Config) {
    let Some(entries) = r.map(n, "`images`") else {
        return;
    };
    let m = r.fields(entries, IMAGE_KEYS, "`images`");
    if let Some(list) = m.get("widths") {
        let mut widths = Vec::new();
        for item in r.list(list, "`images.widths`") {
            match item.kind {
                yaml::Kind::Int(w) if (1..=MAX_WIDTH).contains(&w) => widths.push(w as u32),
                _ => r.error(
                    crate::diag::Code::InvalidValue,
                    item.span,
                    format!("each of `images.widths` must be a width in pixels from 1 to {MAX_WIDTH}"),
                    Some("write e.g. `widths: [480, 960, 1600]`, or `widths: []` for no resized copies".into()),
                ),
            }
        }
        widths.sort_unstable();
        widths.dedup();
        config.images.widths = widths;
    }
    if let Some(q) = m.get("quality") {
        match q.kind {
            yaml::Kind::Int(v) if (1..=100).contains(&v) => config.images.quality = v as u8,
            _ => r.error(
                crate::diag::Code::InvalidValue,
                q.span,
                "`images.quality` must be a whole number from 1 to 100",
                Some("write e.g. `quality: 82` (JPEG quality of the resized copies)".into()),
            ),
        }
    }
    if let Some(s) = m.get("sizes").and_then(|n| r.text(n, "`images.sizes`")) {
        config.images.sizes = Some(s);
    }
}

/// `markdown.html`, or its old spelling `unsafe_html` (`true` is `trust`); both at once
/// is an error at `unsafe_html`, since they could disagree.
fn read_html_mode(r: &mut Reader<'_>, m: &yaml::Fields<'_>, config: &mut Config) {
    if let Some(n) = m.get("html")
        && let Some(name) = r.text(n, "`markdown.html`")
    {
        match HtmlMode::parse(&name) {
            Some(mode) => config.html = mode,
            None => r.error(
                Code::InvalidValue,
                n.span,
                format!("invalid `markdown.html` value `{name}`"),
                Some(diag::hint_choices("write one of", &name, &HtmlMode::NAMES)),
            ),
        }
    }
    let Some(n) = m.get("unsafe_html") else {
        return;
    };
    if m.get("html").is_some() {
        let span = m.key("unsafe_html").map_or(n.span, |k| k.span);
        r.error(Code::InvalidValue,
            span,
            "both `markdown.html` and `markdown.unsafe_html` are set",
            Some("keep `html` and remove `unsafe_html`, its old spelling (`unsafe_html: true` is `html: trust`)".into()),
        );
        return;
    }
    if let Some(b) = r.bool(n, "`unsafe_html`") {
        config.html = if b { HtmlMode::Trust } else { HtmlMode::Escape };
    }
}

fn read_permalinks(r: &mut Reader<'_>, n: &Node, config: &mut Config) {
    let Some(entries) = r.map(n, "`permalinks`") else {
        return;
    };
    let p = r.fields(entries, PERMALINK_KEYS, "`permalinks`");
    let Some(node) = p.get("article") else { return };
    let Some(pattern) = r.text(node, "`permalinks.article`") else {
        return;
    };
    match check_permalink(&pattern) {
        Ok(()) => config.article_permalink = pattern,
        Err(problem) => r.error(
            Code::InvalidValue,
            node.span,
            format!("invalid article permalink `{pattern}`: {problem}"),
            Some("write a path such as `/articles/{slug}/` or `/{year}/{month}/{slug}/`".into()),
        ),
    }
}

/// A theme is a folder directly under `themes/`: one plain name, so the theme read and
/// published is always the site's own.
fn check_theme_name(name: &str) -> Result<(), String> {
    if name.contains('/') || name.contains('\\') {
        return Err("it must be one folder name, not a path".into());
    }
    crate::routes::OutPath::new(name).map_err(|why| why.to_string())?;
    Ok(())
}

fn check_permalink(p: &str) -> Result<(), String> {
    if !p.starts_with('/') || !p.ends_with('/') {
        return Err("it must start and end with `/`".into());
    }
    // Every expansion must stay inside the output: the placeholders expand to digits,
    // file names and the folders of content/articles/ (each a valid folder name), so
    // checking the pattern with such values in place, nested and at the top, is enough.
    for (slug, path) in [("slug", "a/b/slug"), ("slug", "slug")] {
        let tokens = crate::routes::dirs::Tokens {
            date: (2025, 1, 1),
            slug,
            path,
        };
        let sample = crate::routes::dirs::expand(p, &tokens);
        if let Err(why) = crate::routes::check_dir(&sample[1..]) {
            return Err(format!(
                "{why}; the pages would be written outside the output"
            ));
        }
    }
    if !NAMING.iter().any(|t| p.contains(t)) {
        return Err(format!(
            "it must contain one of {}, or every article would have the same URL",
            crate::diag::list(NAMING.iter().copied())
        ));
    }
    let mut rest = p;
    while let Some(i) = rest.find('{') {
        let end = rest[i..]
            .find('}')
            .map(|e| i + e + 1)
            .ok_or("unclosed `{`")?;
        let name = &rest[i..end];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "unknown placeholder `{name}`; use {}",
                crate::diag::list(PLACEHOLDERS.iter().copied())
            ));
        }
        rest = &rest[end..];
    }
    let first = p.trim_start_matches('/').split('/').next().unwrap_or("");
    if crate::routes::plan::RESERVED.contains(&first) || p == "/{slug}/" {
        return Err("it would collide with gloss's index pages".into());
    }
    Ok(())
}

/// `https://host/path` with a trailing `/`, or `None` when not an absolute http(s) URL.
pub fn normalise_base_url(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    if rest.is_empty() || rest.starts_with('/') || url.contains(char::is_whitespace) {
        return None;
    }
    Some(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// Reads `site.yaml` under `root` if present.
pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> Config {
    let path = Path::new("site.yaml");
    // A `site.yaml` linked to a file outside the site is not read: its text would reach
    // pages and error messages.
    if let Some(d) = super::walk::Inside::new(root).outside_link(&root.join(path)) {
        diags.push(d);
        return Config::default();
    }
    match std::fs::read(root.join(path)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => read(&super::frontmatter::normalise(text), path, diags),
            Err(_) => {
                diags.push(
                    Diagnostic::new(Code::Unreadable, path, None, "site.yaml is not valid UTF-8")
                        .with_hint("save the file as UTF-8"),
                );
                Config::default()
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
        Err(e) => {
            diags.push(Diagnostic::new(
                Code::Unreadable,
                path,
                None,
                format!("cannot read site.yaml: {e}"),
            ));
            Config::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Config, Vec<Diagnostic>) {
        let mut diags = Diagnostics::new();
        let c = read(text, Path::new("site.yaml"), &mut diags);
        (c, diags.sorted())
    }

    #[test]
    fn defaults_and_overrides() {
        let (c, d) = parse(
            "title: T\nbase_url: https://x.org\npaginate: 10\nmarkdown:\n  unsafe_html: true\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.base_url, "https://x.org/");
        assert_eq!(c.paginate, 10);
        assert_eq!(c.html, HtmlMode::Trust);
        assert!(c.smart_punctuation);
        assert_eq!(c.language, "en");
        assert!(!c.feeds_full_text);
        let (c, d) = parse("feeds:\n  full_text: true\n");
        assert!(d.is_empty() && c.feeds_full_text, "{d:?}");
        let (_, d) = parse("feeds:\n  fulltext: true\n");
        assert_eq!(d[0].message, "unknown key `fulltext` in `feeds`");
    }

    #[test]
    fn unknown_keys_list_known_ones() {
        let (_, d) = parse("titel: T\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "unknown key `titel` in site.yaml");
        let hint = d[0].hint.clone().unwrap_or_default();
        assert!(hint.starts_with("did you mean `title`?"), "{hint}");
        assert!(hint.contains("`permalinks`"), "{hint}");
    }

    #[test]
    fn html_mode_and_its_old_spelling() {
        for (yaml, mode) in [
            ("", HtmlMode::Escape),
            ("markdown:\n  html: sanitize\n", HtmlMode::Sanitize),
            ("markdown:\n  html: trust\n", HtmlMode::Trust),
            ("markdown:\n  html: escape\n", HtmlMode::Escape),
            ("markdown:\n  unsafe_html: true\n", HtmlMode::Trust),
            ("markdown:\n  unsafe_html: false\n", HtmlMode::Escape),
        ] {
            let (c, d) = parse(yaml);
            assert!(d.is_empty(), "{yaml}: {d:?}");
            assert_eq!(c.html, mode, "{yaml}");
        }
        let (_, d) = parse("markdown:\n  html: sanitise\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "invalid `markdown.html` value `sanitise`");
        let hint = d[0].hint.clone().unwrap_or_default();
        assert!(hint.contains("did you mean `sanitize`?"), "{hint}");
        let (c, d) = parse("markdown:\n  html: sanitize\n  unsafe_html: true\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].span.map(|s| (s.line, s.col)), d[0].message.as_str()),
            (
                Some((3, 3)),
                "both `markdown.html` and `markdown.unsafe_html` are set"
            )
        );
        assert!(d[0].hint.as_deref().unwrap_or("").contains("keep `html`"));
        assert_eq!(c.html, HtmlMode::Sanitize);
    }

    #[test]
    fn permalink_rules() {
        assert!(check_permalink("/articles/{slug}/").is_ok());
        assert!(check_permalink("/{year}/{month}/{slug}/").is_ok());
        assert!(check_permalink("/articles/{id}/").is_err());
        assert!(check_permalink("/articles/").is_err());
        assert!(check_permalink("/people/{slug}/").is_err());
        for escape in [
            "/../../victim/{slug}/",
            "/a/../../{slug}/",
            "//{slug}/",
            "/./{slug}/",
            "/a\\..\\{slug}/",
        ] {
            assert!(check_permalink(escape).is_err(), "{escape}");
        }
        assert!(check_permalink("/{year}/{month}/{day}/{slug}/").is_ok());
        for good in [
            "/{year}/{month}/{day}/{name}/",
            "/{path}/",
            "/posts/{folder}/{slugified}/",
        ] {
            assert_eq!(check_permalink(good), Ok(()), "{good}");
        }
        let no_name = check_permalink("/{folder}/{year}/")
            .err()
            .unwrap_or_default();
        assert!(no_name.contains("`{path}`"), "{no_name}");
        assert!(check_permalink("/{folder}/../{slug}/").is_err());
    }

    /// Issue 14: a permalink or theme that leaves the site is a located error at its key.
    #[test]
    fn escaping_permalinks_and_themes_are_errors_at_their_values() {
        let (c, d) =
            parse("theme: ../../elsewhere\npermalinks:\n  article: /../../victim/{slug}/\n");
        let got: Vec<String> = d
            .iter()
            .map(|d| format!("{:?} {}", d.span.map(|s| (s.line, s.col)), d.message))
            .collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("Some((1, 8)) invalid theme `../../elsewhere`"),
            "{got:?}"
        );
        assert!(
            got[1].starts_with("Some((3, 12)) invalid article permalink"),
            "{got:?}"
        );
        assert!(got[1].contains("outside the output"), "{got:?}");
        assert_eq!(
            (c.theme.as_str(), c.article_permalink.as_str()),
            ("default", "/articles/{slug}/")
        );
    }

    #[test]
    fn a_theme_is_a_folder_name_not_a_path() {
        for bad in ["../x", "/etc", "a/b", "..", "", "a\\b"] {
            assert!(check_theme_name(bad).is_err(), "{bad}");
        }
        assert!(check_theme_name("default").is_ok() && check_theme_name("my.theme-2").is_ok());
    }
}
