//! Raw HTML and template syntax in Markdown bodies: what `markdown.html` does with HTML
//! written in a body, and what is worth a warning for a migrated archive.
//!
//! Input: the rendered HTML of a body (sanitising) or its raw HTML and text (counting);
//! output: the cleaned HTML and an [`HtmlReport`], turned into one warning per kind and
//! file by [`HtmlReport::warnings`].
//!
//! `sanitize` runs ammonia over the whole rendered body, not over each raw HTML event:
//! an inline `<span>` and its `</span>` are separate events, and cleaning one alone
//! would close or drop it. Gloss's own markup (marks, side notes, footnotes, heading
//! ids, aligned table cells) is allowed by the same list, so it passes unchanged.

use crate::diag::Code;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use crate::diag::{Diagnostic, Lines};

/// What a body's raw HTML and literal template syntax came to, in byte offsets of the
/// Markdown text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlReport {
    /// Raw HTML tags shown as text (`escape`).
    pub escaped: usize,
    /// Where the first escaped tag is.
    pub escaped_at: Option<usize>,
    /// What the sanitiser removed: `<tag>` or an attribute name, with how often.
    pub removed: BTreeMap<String, usize>,
    /// Where the first raw HTML holding something removed is.
    pub removed_at: Option<usize>,
    /// Liquid, Nunjucks or Hugo template tags left in the text, outside code.
    pub templates: usize,
    /// The first of them: where, and a short form such as `{% image … %}`.
    pub template_first: Option<(usize, String)>,
}

impl HtmlReport {
    /// At most one warning per kind, located at the first occurrence in `lines` (the
    /// body's text, placed in its file).
    pub fn warnings(&self, path: &Path, lines: &Lines<'_>) -> Vec<Diagnostic> {
        let at = |offset: usize| Some(lines.span(offset, offset + 1));
        let mut out = Vec::new();
        if let Some(offset) = self.escaped_at {
            out.push(
                Diagnostic::new(
                    Code::RawHtml,
                    path,
                    at(offset),
                    format!(
                        "{} raw HTML {} escaped (markdown.html: escape)",
                        self.escaped,
                        plural(self.escaped, "tag", "tags")
                    ),
                )
                .with_hint(
                    "they are shown as text; set `markdown.html: sanitize` in site.yaml to keep \
                     tables, figures and links",
                ),
            );
        }
        if let Some(offset) = self.removed_at {
            out.push(self.removed_warning(path, at(offset)));
        }
        if let Some((offset, form)) = &self.template_first {
            let times = match self.templates {
                1 => "once".to_string(),
                n => format!("{n} times"),
            };
            out.push(
                Diagnostic::new(
                    Code::TemplateSyntax,
                    path,
                    at(*offset),
                    format!("literal template syntax left in the body: `{form}` ({times})"),
                )
                .with_hint(
                    "gloss does not run Liquid, Nunjucks or Hugo templates, so readers see it as \
                     written: replace it with Markdown (`![alt](image.png)`, `[text](url)`) or \
                     HTML, or put it in a code span to show it on purpose",
                ),
            );
        }
        out
    }

    fn removed_warning(&self, path: &Path, span: Option<crate::diag::Span>) -> Diagnostic {
        let total: usize = self.removed.values().sum();
        let mut items: Vec<(&String, &usize)> = self.removed.iter().collect();
        items.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let named: Vec<String> = items
            .iter()
            .take(6)
            .map(|(name, n)| format!("`{name}` ×{n}"))
            .collect();
        let more = if items.len() > 6 { ", …" } else { "" };
        let mut hint = format!("removed: {}{more}", named.join(", "));
        if self.removed.contains_key("<iframe>") {
            hint.push_str(
                "; embedded frames (videos, maps, posts) are not kept, so no third party is \
                 contacted when the page is read: link to them instead",
            );
        }
        hint.push_str(
            "; `markdown.html: trust` keeps everything, for bodies you wrote or checked yourself",
        );
        Diagnostic::new(
            Code::RawHtml,
            path,
            span,
            format!(
                "{total} {} removed by the sanitiser (markdown.html: sanitize)",
                plural(total, "tag or attribute", "tags or attributes")
            ),
        )
        .with_hint(hint)
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The allowlist of `sanitize`: what news bodies need (tables, figures, images,
/// details, footnotes, abbreviations, definition lists) and what gloss writes itself.
/// No scripts, styles (but a table cell's `text-align`), event handlers, forms, frames,
/// `target` or URL schemes other than web, mail and phone ones.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["aside", "mark", "section", "figure", "figcaption"])
        .add_tags(["details", "summary", "abbr", "cite", "sup", "sub"])
        .add_clean_content_tags(["iframe", "object", "embed", "noscript", "template"])
        // Marks and notes carry classes and ids; in-page links need the ids as written.
        .add_generic_attributes(["class", "id", "aria-label"])
        .add_generic_attribute_prefixes(["data-"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("abbr", ["title"])
        .add_tag_attributes("time", ["datetime"])
        .add_tag_attributes("details", ["open"])
        // gloss's responsive images; a `srcset` is kept only when every candidate is a
        // path or a web address (ammonia does not check the URLs inside it).
        .add_tag_attributes("img", ["srcset", "sizes"])
        .attribute_filter(|element, attribute, value| {
            let safe = element != "img" || attribute != "srcset" || is_safe_srcset(value);
            safe.then(|| value.into())
        })
        .filter_style_properties(["text-align"].into())
        .url_schemes(["http", "https", "mailto", "tel", "ftp"].into())
        // No `target` survives, so `noopener` adds nothing; and a `nofollow` on every link
        // would also mark the archive's own links.
        .link_rel(None)
        .strip_comments(true);
    b
});

/// True when each candidate of a `srcset` value is a relative path or an http(s) URL.
fn is_safe_srcset(value: &str) -> bool {
    value.split(',').all(|candidate| {
        let url = candidate.split_whitespace().next().unwrap_or("");
        let scheme_end = url.find(['/', '?', '#']).unwrap_or(url.len());
        match url[..scheme_end].rsplit_once(':') {
            None => true,
            Some((scheme, _)) => {
                let scheme = scheme.to_ascii_lowercase();
                scheme == "http" || scheme == "https"
            }
        }
    })
}

/// `html` with everything outside the allowlist removed, and what was removed.
pub(crate) fn sanitize(html: &str) -> (String, BTreeMap<String, usize>) {
    let clean = SANITIZER.clean(html).to_string();
    let removed = removed(&tally(html), &tally(&clean));
    (clean, removed)
}

/// How often each start tag (`<img>`) and attribute of a tag (`<img> onerror`) occurs
/// in `html`. Comments are left out: the sanitiser drops them, but a reader never saw
/// them (an excerpt marker such as Jekyll's `<!-- more -->` is not a loss to report).
fn tally(html: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for tag in tags(html).into_iter().filter(|t| t.name != "!--") {
        let name = format!("<{}>", tag.name);
        for attr in tag.attributes {
            *out.entry(format!("{name} {attr}")).or_insert(0) += 1;
        }
        *out.entry(name).or_insert(0) += 1;
    }
    out
}

/// What `before` has more of than `after`, as `<tag>` or attribute names. The sanitiser
/// also adds what HTML implies (a table's `<tbody>`), so only losses count; and the
/// attributes of a removed tag went with it, so they are not counted again.
fn removed(
    before: &BTreeMap<String, usize>,
    after: &BTreeMap<String, usize>,
) -> BTreeMap<String, usize> {
    let lost = |name: &str| {
        let n = before.get(name).copied().unwrap_or(0);
        n.saturating_sub(after.get(name).copied().unwrap_or(0))
    };
    let mut out = BTreeMap::new();
    for name in before.keys() {
        let (shown, n) = match name.split_once(' ') {
            Some((tag, attr)) => (attr, lost(name).saturating_sub(lost(tag))),
            None => (name.as_str(), lost(name)),
        };
        if n > 0 {
            *out.entry(shown.to_string()).or_insert(0) += n;
        }
    }
    out
}

/// One tag of an HTML text: its lower-case name (`!--` for a comment, `/p` for an end
/// tag), its attribute names and its byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TagSeen {
    /// Lower-case name.
    pub(crate) name: String,
    /// Lower-case attribute names, in order.
    pub(crate) attributes: Vec<String>,
    /// Byte offset of its `<`.
    pub(crate) at: usize,
}

/// The start tags and comments of `html`, read as a browser would tokenise them closely
/// enough to count them: quoted attribute values may hold `>`, and the text of
/// `<script>` and `<style>` is skipped.
pub(crate) fn tags(html: &str) -> Vec<TagSeen> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]) {
        let at = i + lt;
        i = at + 1;
        if html[i..].starts_with("!--") {
            let end = html[i + 3..].find("-->").map_or(b.len(), |e| i + 3 + e + 3);
            out.push(TagSeen {
                name: "!--".into(),
                attributes: Vec::new(),
                at,
            });
            i = end;
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(b.len(), |e| i + e);
        let name = html[i..name_end].to_ascii_lowercase();
        let (attributes, end) = attributes(html, name_end);
        i = end;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = find_ci(html, i, &close).unwrap_or(b.len());
        }
        out.push(TagSeen {
            name,
            attributes,
            at,
        });
    }
    out
}

/// The attribute names of a tag whose name ends at `i`, and where the tag ends.
fn attributes(html: &str, mut i: usize) -> (Vec<String>, usize) {
    let b = html.as_bytes();
    let mut names = Vec::new();
    loop {
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
        {
            i += 1;
        }
        match b.get(i) {
            None => return (names, i),
            Some(b'>') => return (names, i + 1),
            _ => {}
        }
        let end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .map_or(b.len(), |e| i + e)
            .max(i + 1);
        names.push(html[i..end].to_ascii_lowercase());
        i = end;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + e + 2)
            }
            _ => html[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .map_or(b.len(), |e| i + e),
        };
    }
}

fn find_ci(html: &str, from: usize, needle: &str) -> Option<usize> {
    let hay = html.as_bytes();
    let n = needle.as_bytes();
    (from..hay.len().saturating_sub(n.len() - 1))
        .find(|&j| hay[j..j + n.len()].eq_ignore_ascii_case(n))
}

/// How many tags (start, end, comments) a raw HTML fragment holds, and the offset of
/// the first.
pub(crate) fn count_tags(fragment: &str) -> (usize, Option<usize>) {
    let b = fragment.as_bytes();
    let mut first = None;
    let mut n = 0;
    for lt in memchr::memchr_iter(b'<', b) {
        let next = b.get(lt + 1).copied().unwrap_or(b' ');
        let is_tag = next.is_ascii_alphabetic()
            || next == b'!'
            || next == b'?'
            || (next == b'/' && b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic));
        if is_tag {
            n += 1;
            first.get_or_insert(lt);
        }
    }
    (n, first)
}

/// The first tag in `fragment` that `removed` names (by tag or attribute).
pub(crate) fn first_removed(fragment: &str, removed: &BTreeMap<String, usize>) -> Option<usize> {
    tags(fragment)
        .into_iter()
        .find(|t| {
            removed.contains_key(&format!("<{}>", t.name))
                || t.attributes.iter().any(|a| removed.contains_key(a))
        })
        .map(|t| t.at)
}

/// The template openers gloss recognises, each with its closer, longest first.
const TEMPLATE_TAGS: [(&str, &str); 4] =
    [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}"), ("{{", "}}")];

/// How far a closer is looked for: template tags are short, and a lone `{{` in prose
/// should not pair with one paragraphs later.
const TEMPLATE_SPAN: usize = 400;

/// Liquid/Nunjucks (`{% … %}`, `{{ … }}`) and Hugo shortcode (`{{< … >}}`, `{{% … %}}`)
/// tags in `text` outside the byte ranges `code` (code spans and blocks, which may show
/// such syntax on purpose): how many, and the first with its short form.
pub(crate) fn templates(text: &str, code: &[Range<usize>]) -> (usize, Option<(usize, String)>) {
    let b = text.as_bytes();
    let mut n = 0;
    let mut first = None;
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'{', &b[i..]).map(|e| i + e) {
        i = at + 1;
        if code.iter().any(|r| r.contains(&at)) {
            continue;
        }
        let Some(&(open, close)) = TEMPLATE_TAGS
            .iter()
            .find(|(o, _)| text[at..].starts_with(o))
        else {
            continue;
        };
        let inner_start = at + open.len();
        let mut limit = (inner_start + TEMPLATE_SPAN).min(text.len());
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &text[inner_start..limit];
        let Some(end) = window.find(close) else {
            continue;
        };
        let inner = &window[..end];
        if inner.trim().is_empty() || inner.contains("\n\n") {
            continue;
        }
        n += 1;
        first.get_or_insert_with(|| (at, short_form(open, inner, close)));
        i = inner_start + end + close.len();
    }
    (n, first)
}

/// `{% image … %}` for `{% image "a.png" "alt" %}`: the opener, the first word, the closer.
fn short_form(open: &str, inner: &str, close: &str) -> String {
    let mut words = inner.split_whitespace();
    let word = crate::diag::shorten(words.next().unwrap_or(""), 24);
    let more = if words.next().is_some() { " …" } else { "" };
    format!("{open} {word}{more} {close}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitising_keeps_gloss_responsive_images_and_drops_scripts_in_srcset() {
        let html = "<img src=\"b.png\" alt=\"B\" srcset=\"b.480w.png 480w, https://x.org/b.png 960w\" sizes=\"100vw\" width=\"960\" height=\"10\">";
        let (clean, removed) = sanitize(html);
        assert!(removed.is_empty(), "{removed:?}");
        assert!(
            clean.contains("srcset=\"b.480w.png 480w, https://x.org/b.png 960w\""),
            "{clean}"
        );
        let (clean, _) = sanitize("<img src=\"b.png\" srcset=\"b.png 1x, data:x 2x\">");
        assert!(!clean.contains("srcset"), "{clean}");
    }

    #[test]
    fn sanitising_drops_comments_without_reporting_them() {
        let (clean, removed) = sanitize("<p>Lead.</p>\n<!-- more -->\n<p>Rest <!-- x --></p>");
        assert!(!clean.contains("<!--"), "{clean}");
        assert!(removed.is_empty(), "{removed:?}");
    }

    #[test]
    fn sanitising_keeps_news_markup_and_drops_active_content() {
        let html = "<table><thead><tr><th colspan=\"2\" style=\"text-align: center; color: red\">a</th></tr></thead>\
                    <tr><td rowspan=2 onclick=\"x()\">b</td></tr></table>\
                    <figure><img src=\"a.png\" alt=\"A\" width=\"10\" srcset=\"javascript:x 2x\"><figcaption>c</figcaption></figure>\
                    <script>alert(1)</script><iframe src=\"https://www.youtube.com/embed/x\">f</iframe>\
                    <a href=\"javascript:alert(1)\" target=\"_blank\">j</a><span class=\"quote\" id=\"quote-1\" data-quote=\"1\">q</span>\
                    <aside class=\"note\" aria-label=\"Context\">n</aside>";
        let (clean, removed) = sanitize(html);
        for kept in [
            "<th colspan=\"2\" style=\"text-align:center\">",
            "<td rowspan=\"2\">b</td>",
            "<img src=\"a.png\" alt=\"A\" width=\"10\">",
            "<figcaption>c</figcaption>",
            "<span class=\"quote\" id=\"quote-1\" data-quote=\"1\">q</span>",
            "<aside class=\"note\" aria-label=\"Context\">n</aside>",
            "<a>j</a>",
        ] {
            assert!(clean.contains(kept), "{kept} not in {clean}");
        }
        for gone in [
            "script", "alert", "iframe", "youtube", "onclick", "srcset", "target", "color",
        ] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
        let want: BTreeMap<String, usize> = [
            ("<iframe>", 1),
            ("<script>", 1),
            ("href", 1),
            ("onclick", 1),
            ("srcset", 1),
            ("target", 1),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        assert_eq!(removed, want);
    }

    #[test]
    fn tags_are_read_with_quoted_values_comments_and_scripts() {
        let got: Vec<(String, Vec<String>)> =
            tags("a <b x='>' Y=\"1\" z>c</b><!-- <i> --><script>if (a<b) {}</script><br/> 1 < 2")
                .into_iter()
                .map(|t| (t.name, t.attributes))
                .collect();
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            [
                ("b".to_string(), s(&["x", "y", "z"])),
                ("!--".to_string(), vec![]),
                ("script".to_string(), vec![]),
                ("br".to_string(), vec![]),
            ]
        );
        assert_eq!(
            count_tags("x <span>a</span> 1 < 2 <!-- c -->"),
            (3, Some(2))
        );
        assert_eq!(count_tags("a < b"), (0, None));
    }

    #[test]
    fn template_syntax_is_found_outside_code_only() {
        let text = "A {% image \"a.png\" %} b {{ \"/x/\" | url }} c {{< tweet 1 >}} d {{% note %}}x\n\
                    `{% raw %}` e {{ }} f {{ no closer\n\n g {} h";
        let code_at = text.find('`').unwrap_or(0);
        let code = [code_at..code_at + 11, text.len()..text.len()];
        let (n, first) = templates(text, &code);
        assert_eq!(n, 4);
        assert_eq!(first, Some((2, "{% image … %}".to_string())));
        let (_, first) = templates("x {{< tweet >}}", &[]);
        assert_eq!(first, Some((2, "{{< tweet >}}".to_string())));
        assert_eq!(templates("{{ a\n\nb }}", &[]), (0, None));
    }

    #[test]
    fn warnings_name_counts_and_the_first_place() {
        let body = "line one\nsee <b>x</b> {% image %}\n";
        let lines = Lines::new(body, 5);
        let report = HtmlReport {
            escaped: 2,
            escaped_at: Some(13),
            removed: [("<iframe>".to_string(), 2), ("onclick".to_string(), 1)].into(),
            removed_at: Some(13),
            templates: 3,
            template_first: Some((22, "{% image %}".into())),
        };
        let got = report.warnings(Path::new("a.md"), &lines);
        let heads: Vec<String> = got.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            heads,
            [
                "a.md:6:5: warning: 2 raw HTML tags escaped (markdown.html: escape)",
                "a.md:6:5: warning: 3 tags or attributes removed by the sanitiser (markdown.html: sanitize)",
                "a.md:6:14: warning: literal template syntax left in the body: `{% image %}` (3 times)",
            ]
        );
        let hint = got[1].hint.clone().unwrap_or_default();
        assert!(
            hint.starts_with("removed: `<iframe>` ×2, `onclick` ×1; embedded frames"),
            "{hint}"
        );
        assert!(
            got[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("markdown.html: sanitize")
        );
    }
}
