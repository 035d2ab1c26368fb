//! WordPress bodies are HTML whose paragraphs are often only implied by blank lines
//! (`wpautop` adds the `<p>`s when the page is served). [`autop`] applies those
//! semantics; [`to_markdown`] then turns each top-level block into what renders right
//! in gloss: simple HTML (paragraphs, links, emphasis, headings, lists, images, block
//! quotes, code) into Markdown through htmd, which escapes `*`, `_` and the like in
//! text; anything richer (tables, `div`s, `span`s with classes, `sup`, iframes) stays
//! HTML, written without blank lines or indentation so Markdown keeps it one HTML block
//! and never reads an indented line as code.

/// Elements WordPress treats as blocks (its `$allblocks`, plus `figure` and `video`).
#[rustfmt::skip]
const BLOCKS: &[&str] = &[
    "table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th",
    "div", "dl", "dd", "dt", "ul", "ol", "li", "pre", "form", "map", "area", "blockquote",
    "address", "math", "style", "p", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "fieldset",
    "legend", "section", "article", "aside", "hgroup", "header", "footer", "nav", "figure",
    "figcaption", "details", "menu", "summary", "iframe", "video", "audio", "object",
    "script",
];

/// Tags Markdown has a form for; a block holding only these becomes Markdown.
#[rustfmt::skip]
const SIMPLE: &[&str] = &[
    "p", "a", "em", "i", "strong", "b", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
    "ol", "li", "img", "blockquote", "code", "pre", "hr",
];

/// Attributes Markdown keeps (others, such as `class` or `style`, keep the block HTML).
const SIMPLE_ATTRS: &[&str] = &["href", "src", "alt", "title", "lang", "dir"];

/// The tag name at the start of `s` (`<div class…` -> `div`, `</p>` -> `p`).
pub(crate) fn tag_name(s: &str) -> Option<&str> {
    let s = s.strip_prefix('<')?;
    let s = s.strip_prefix('/').unwrap_or(s);
    let end = s
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(s.len());
    (end > 0).then(|| &s[..end])
}

fn is_block_tag(s: &str) -> bool {
    tag_name(s).is_some_and(|t| BLOCKS.contains(&t.to_ascii_lowercase().as_str()))
}

/// The value of attribute `name` in a tag or shortcode's text (`"`, `'` or unquoted).
pub(crate) fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| i + from) {
        from = i + name.len();
        let before = lower[..i].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        return Some(match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or("").to_string(),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>' || c == ']')
                .next()
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string(),
        });
    }
    None
}

/// WordPress's `wpautop`: blank lines separate paragraphs, text not inside a block
/// element is wrapped in `<p>`, single newlines inside a paragraph are `<br>`; `<pre>`
/// is left alone.
pub(crate) fn autop(text: &str) -> String {
    // Block tags stand apart: a blank line before each opening and after each closing.
    let mut spaced = String::with_capacity(text.len() + 64);
    let mut rest = text;
    let mut depth_pre = 0usize;
    while let Some(i) = rest.find('<') {
        spaced.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name = tag_name(tag).map(str::to_ascii_lowercase);
        let closing = tag.starts_with("</");
        if name.as_deref() == Some("pre") {
            if closing {
                depth_pre = depth_pre.saturating_sub(1);
            } else {
                depth_pre += 1;
            }
        }
        if depth_pre == 0 && is_block_tag(tag) && !(name.as_deref() == Some("pre") && closing) {
            if closing {
                spaced.push_str(tag);
                spaced.push_str("\n\n");
            } else {
                spaced.push_str("\n\n");
                spaced.push_str(tag);
            }
        } else if name.as_deref() == Some("pre") && closing {
            spaced.push_str(tag);
            spaced.push_str("\n\n");
        } else {
            spaced.push_str(tag);
        }
        rest = &rest[end..];
    }
    spaced.push_str(rest);
    let mut out = String::with_capacity(spaced.len() + 64);
    for piece in paragraphs(&spaced) {
        let p = piece.trim();
        if p.is_empty() {
            continue;
        }
        if p.starts_with('<') && is_block_tag(p) || p.starts_with("<!--") {
            out.push_str(p);
        } else {
            out.push_str("<p>");
            out.push_str(&p.replace('\n', "<br />\n"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

/// `text` split at blank lines, a `<pre>…</pre>` never split.
fn paragraphs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let b = text.as_bytes();
    let mut in_pre = false;
    while i < b.len() {
        // Bytes, not `&text[i..]`: `i` steps through the middle of characters.
        if b[i..].starts_with(b"<pre") {
            in_pre = true;
        } else if b[i..].starts_with(b"</pre>") {
            in_pre = false;
        } else if !in_pre && b[i] == b'\n' {
            let mut j = i + 1;
            while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\r') {
                j += 1;
            }
            if j < b.len() && b[j] == b'\n' {
                out.push(&text[start..i]);
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out.push(&text[start..]);
    out
}

/// The top-level blocks of `html` (as [`autop`] leaves it: blocks apart by blank lines).
fn top_blocks(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html.trim_start();
    while !rest.is_empty() {
        let end = match tag_name(rest).filter(|_| is_block_tag(rest) && !rest.starts_with("</")) {
            Some(name) => matching_end(rest, &name.to_ascii_lowercase()),
            None => rest.find("\n\n").unwrap_or(rest.len()),
        };
        let end = end.max(1).min(rest.len());
        out.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    out
}

/// The end (exclusive) of the element opening `s`, counting nested ones of its name.
fn matching_end(s: &str, name: &str) -> usize {
    let lower = s.to_ascii_lowercase();
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut i = 0;
    while i < lower.len() {
        let r = &lower[i..];
        if r.starts_with(&close) {
            depth = depth.saturating_sub(1);
            i += close.len();
            if depth == 0 {
                return i;
            }
            continue;
        }
        if r.starts_with(&open)
            && r[open.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == '>' || c == '/' || c.is_whitespace())
        {
            depth += 1;
            // A void element (`<hr>`, `<img …/>`) closes itself.
            let end = r.find('>').map_or(r.len(), |e| e + 1);
            if matches!(name, "hr" | "img" | "br") || r[..end].ends_with("/>") {
                depth -= 1;
                if depth == 0 {
                    return i + end;
                }
            }
            i += end;
            continue;
        }
        i += r.chars().next().map_or(1, char::len_utf8);
    }
    s.find("\n\n").unwrap_or(s.len())
}

/// True when every tag of `html` is one Markdown has, with attributes it keeps.
fn is_simple(html: &str) -> bool {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        if tag.starts_with("<!--") {
            return false;
        }
        let Some(name) = tag_name(tag).map(str::to_ascii_lowercase) else {
            rest = &rest[1..];
            continue;
        };
        if !SIMPLE.contains(&name.as_str()) {
            return false;
        }
        if !tag.starts_with("</") && !attrs_are_simple(tag, &name) {
            return false;
        }
        rest = &rest[end..];
    }
    true
}

/// The attribute names of `tag` are all ones Markdown keeps.
fn attrs_are_simple(tag: &str, name: &str) -> bool {
    let inner = tag[1 + name.len()..]
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut rest = inner;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return true;
        }
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..end].to_ascii_lowercase();
        rest = rest[end..].trim_start();
        let mut value = "";
        if let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start();
            (value, rest) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => v[1..]
                    .find(q)
                    .map_or((&v[1..], ""), |e| (&v[1..e + 1], &v[e + 2..])),
                _ => v
                    .find(char::is_whitespace)
                    .map_or((v, ""), |e| (&v[..e], &v[e..])),
            };
        }
        let kept = SIMPLE_ATTRS.contains(&key.as_str())
            || key == "class" && value.split_whitespace().all(is_editor_class);
        if !kept {
            return false;
        }
    }
}

/// The classes WordPress's editors add for their own styles (`wp-block-heading`,
/// `wp-image-12`, `aligncenter`, `size-large`, `has-text-align-center`): dropping them
/// loses nothing a gloss theme uses, so they do not keep a block HTML.
fn is_editor_class(class: &str) -> bool {
    ["wp-", "has-", "is-", "align", "size-"]
        .iter()
        .any(|p| class.starts_with(p))
}

/// HTML kept as HTML: no blank lines (one Markdown HTML block) and no indentation (no
/// code block), but `<pre>` contents as written.
fn compact(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_pre = false;
    for line in html.lines() {
        let opens = line.contains("<pre");
        let t = if in_pre { line } else { line.trim_start() };
        if in_pre || !t.trim().is_empty() {
            out.push_str(t);
            out.push('\n');
        }
        if opens && !line.contains("</pre>") {
            in_pre = true;
        } else if line.contains("</pre>") {
            in_pre = false;
        }
    }
    out.trim_end().to_string()
}

/// `html` (after [`autop`]) as gloss Markdown: simple blocks converted, others kept.
/// Returns the text and how many blocks stayed HTML.
pub(crate) fn to_markdown(html: &str, converter: &htmd::HtmlToMarkdown) -> (String, usize) {
    let mut out = String::with_capacity(html.len());
    let mut kept = 0;
    for block in top_blocks(html) {
        let md = if is_simple(block) {
            converter.convert(block).unwrap_or_else(|_| compact(block))
        } else {
            kept += 1;
            compact(block)
        };
        if md.trim().is_empty() {
            continue;
        }
        out.push_str(md.trim_end());
        out.push_str("\n\n");
    }
    (out.trim_end().to_string() + "\n", kept)
}

/// The converter gloss uses: ATX headings, `-` bullets, fenced code.
pub(crate) fn converter() -> htmd::HtmlToMarkdown {
    htmd::HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            hr_style: htmd::options::HrStyle::Dashes,
            ..Default::default()
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_paragraphs() {
        assert_eq!(
            autop("One line\nand its next.\n\nTwo.\n<h2>Head</h2>\nThree"),
            "<p>One line<br />\nand its next.</p>\n\n<p>Two.</p>\n\n<h2>Head</h2>\n\n<p>Three</p>\n\n"
        );
    }

    #[test]
    fn text_beyond_ascii() {
        assert_eq!(
            autop("Café — naïve\n\n<pre>ü</pre>"),
            "<p>Café — naïve</p>\n\n<pre>ü</pre>\n\n"
        );
    }

    #[test]
    fn pre_is_never_split_or_wrapped() {
        let out = autop("<pre>a\n\n    b</pre>\nafter");
        assert_eq!(out, "<pre>a\n\n    b</pre>\n\n<p>after</p>\n\n");
    }

    #[test]
    fn simple_html_becomes_markdown_and_rich_html_stays() {
        let c = converter();
        let html = autop(
            "Rate is 5*3 and snake_case.\n\n<table class=\"x\">\n  <tr>\n\n    <td>1</td>\n  </tr>\n</table>\n\n<ul>\n<li><a href=\"/a\">A</a></li>\n</ul>",
        );
        let (md, kept) = to_markdown(&html, &c);
        assert_eq!(kept, 1);
        assert!(md.contains(r"5\*3 and snake\_case"), "{md}");
        assert!(
            md.contains("<table class=\"x\">\n<tr>\n<td>1</td>\n</tr>\n</table>"),
            "{md}"
        );
        assert!(md.contains("- [A](/a)"), "{md}");
        let (md, kept) = to_markdown(
            "<h2 class=\"wp-block-heading\">Gauges</h2>\n\n<p class=\"lede\">Kept</p>",
            &c,
        );
        assert_eq!(
            (md.as_str(), kept),
            ("## Gauges\n\n<p class=\"lede\">Kept</p>\n", 1)
        );
    }

    #[test]
    fn attributes_of_tags_and_shortcodes() {
        assert_eq!(
            attr("<img class='a' src=\"/x.jpg\" alt=\"A b\">", "src").as_deref(),
            Some("/x.jpg")
        );
        assert_eq!(attr("[gallery ids=1,2]", "ids").as_deref(), Some("1,2"));
        assert_eq!(attr("<img data-src=\"y\">", "src"), None);
    }
}
