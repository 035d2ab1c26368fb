//! Body conversion for Jekyll and Eleventy posts: the Liquid and Nunjucks tags and
//! filters those sites use inside Markdown become the Markdown gloss renders (an image
//! tag an image, a `url` filter its path), or one of gloss's embed blocks where the tag
//! stands on its own line (a figure include or a captioned image a `figure`, a video
//! embed a `video`; inside a line they stay an image and a link), and
//! everything else of the body is kept byte for byte. A tag it does not know is left in
//! place and reported with its line, so nothing is lost without a word.

use std::collections::BTreeMap;

/// What converting one body did.
#[derive(Debug, Default)]
pub(crate) struct Converted {
    /// The new body.
    pub(crate) text: String,
    /// Each kind of conversion with how often it happened and its first example.
    pub(crate) done: Vec<(&'static str, String)>,
    /// Template syntax left in place: 1-based line and the text.
    pub(crate) left: Vec<(u32, String)>,
}

/// Values a body may refer to (`{{ image }}`), and how to name a team member.
pub(crate) struct Context<'a> {
    /// The post's front-matter `image`, for `{{ image }}` and `{{ image | url }}`.
    pub(crate) image: Option<&'a str>,
    /// The post's summary, for `{{ page.excerpt }}`.
    pub(crate) excerpt: Option<&'a str>,
    /// Author ids to display names, for `{{ "id" | team_link }}`.
    pub(crate) people: &'a BTreeMap<String, String>,
}

/// Stands in for `{` inside `{% raw %}` text while the tags around it are converted, so
/// that the raw text (`{% raw %}{{{% endraw %}`, a literal `{{`) is never read as a tag.
const RAW_BRACE: char = '\u{E000}';

/// Converts `body`.
pub(crate) fn convert(body: &str, cx: &Context<'_>) -> Converted {
    // Liquid runs over the whole file, code blocks too, so `{% raw %}` is resolved first
    // and everywhere; a body that already holds the stand-in character is left alone.
    let protected;
    let body = if body.contains(RAW_BRACE) {
        body
    } else {
        let (text, markers) = resolve_raw(body);
        protected = text;
        if !markers.is_empty() {
            let mut out = convert_protected(&protected, cx);
            let what = "`{% raw %}` markers removed (their text kept)";
            out.done
                .splice(0..0, markers.into_iter().map(|m| (what, m)));
            out.text = out.text.replace(RAW_BRACE, "{");
            return out;
        }
        &protected
    };
    convert_protected(body, cx)
}

/// `body` with each `{% raw %}…{% endraw %}` replaced by its text, the braces in it
/// replaced by [`RAW_BRACE`], and each raw block as written.
/// An unclosed `{% raw %}` keeps the rest of the body raw, as Liquid does.
fn resolve_raw(body: &str) -> (String, Vec<String>) {
    let is = |tag: &str, name: &str| {
        tag.strip_prefix("{%")
            .and_then(|t| t.strip_suffix("%}"))
            .map(|t| t.trim().trim_matches('-').trim() == name)
            .unwrap_or(false)
    };
    let mut out = String::with_capacity(body.len());
    let mut blocks = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find("{%") {
        let Some(len) = rest[open..].find("%}") else {
            break;
        };
        let tag = &rest[open..open + len + 2];
        if !is(tag, "raw") {
            out.push_str(&rest[..open + 2]);
            rest = &rest[open + 2..];
            continue;
        }
        out.push_str(&rest[..open]);
        let inner = &rest[open + tag.len()..];
        let mut end = None;
        let mut at = 0;
        while let Some(i) = inner[at..].find("{%") {
            let s = at + i;
            if let Some(l) = inner[s..].find("%}")
                && is(&inner[s..s + l + 2], "endraw")
            {
                end = Some((s, s + l + 2));
                break;
            }
            at = s + 2;
        }
        let (text_end, after) = end.unwrap_or((inner.len(), inner.len()));
        blocks.push(format!("{tag}{}", &inner[..after]));
        out.extend(
            inner[..text_end]
                .chars()
                .map(|c| if c == '{' { RAW_BRACE } else { c }),
        );
        rest = &inner[after..];
    }
    out.push_str(rest);
    (out, blocks)
}

/// Converts `body`, whose raw text is already protected.
fn convert_protected(body: &str, cx: &Context<'_>) -> Converted {
    let mut out = Converted::default();
    let mut rest = body;
    let mut line = 1u32;
    // Inside ``` or ~~~ fences template syntax is code, shown as written.
    let mut fence: Option<&str> = None;
    while !rest.is_empty() {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let text = &rest[..end];
        let trimmed = text.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            out.text.push_str(text);
            rest = &rest[end..];
            line += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            out.text.push_str(text);
            rest = &rest[end..];
            line += 1;
            continue;
        }
        // `{% comment %}` … `{% endcomment %}`: the source never showed it.
        if trimmed
            .strip_prefix("{%")
            .is_some_and(|t| t.trim_start().starts_with("comment"))
            && let Some(end) = rest.find("endcomment")
            && let Some(close) = rest[end..].find("%}")
        {
            let stop = end + close + 2;
            let skipped = &rest[..stop];
            note(
                &mut out,
                "`{% comment %}` blocks removed",
                skipped.lines().next().unwrap_or(""),
            );
            line += skipped.matches('\n').count() as u32;
            rest = &rest[stop..];
            continue;
        }
        // A tag may span lines (`{% include "x.html",\n image: … %}`): take it whole.
        let (chunk, lines) = match tag_span(rest) {
            Some(len) => (&rest[..len], rest[..len].matches('\n').count() as u32),
            None => (text, u32::from(text.ends_with('\n'))),
        };
        convert_chunk(chunk, line, cx, &mut out);
        rest = &rest[chunk.len()..];
        line += lines;
    }
    out
}

/// The length of the text up to the end of the line on which the tags that open on the
/// first line close, and those that open on the lines taken so close too; `None` when
/// every tag on the first line closes there.
fn tag_span(rest: &str) -> Option<usize> {
    let mut limit = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let mut at = 0;
    let mut extended = false;
    while let Some((open, close)) = find_open(&rest[at..limit]) {
        let start = at + open;
        let Some(e) = rest[start + 2..].find(close) else {
            break;
        };
        let tag_end = start + 2 + e + close.len();
        if tag_end > limit {
            limit = rest[tag_end..]
                .find('\n')
                .map_or(rest.len(), |i| tag_end + i + 1);
            extended = true;
        }
        at = tag_end;
    }
    extended.then_some(limit)
}

/// The first `{%` or `{{` in `s`, with the text that closes it.
fn find_open(s: &str) -> Option<(usize, &'static str)> {
    let a = s.find("{%").map(|i| (i, "%}"));
    let b = s.find("{{").map(|i| (i, "}}"));
    match (a, b) {
        (Some(x), Some(y)) => Some(if x.0 <= y.0 { x } else { y }),
        (x, y) => x.or(y),
    }
}

fn note(out: &mut Converted, what: &'static str, example: &str) {
    out.done.push((what, example.to_string()));
}

/// Converts the tags in one chunk (a line, or the lines a tag spans).
fn convert_chunk(chunk: &str, line: u32, cx: &Context<'_>, out: &mut Converted) {
    let mut rest = chunk;
    while let Some((start, close)) = find_open(rest) {
        let Some(len) = rest[start + 2..].find(close) else {
            break;
        };
        let end = start + 2 + len + close.len();
        let tag = &rest[start..end];
        let inner = tag[2..tag.len() - 2].trim().trim_matches('-').trim();
        out.text.push_str(&rest[..start]);
        let line_of_tag = line + rest[..start].matches('\n').count() as u32;
        // Alone on its line(s): a tag may become a block, indented as it is.
        let alone = (chunk.trim() == tag).then(|| &chunk[..chunk.len() - chunk.trim_start().len()]);
        match convert_tag(tag, inner, close == "%}", alone, cx) {
            Some((what, replacement)) => {
                note(out, what, tag);
                out.text.push_str(&replacement);
            }
            None => {
                out.left.push((line_of_tag, tag.to_string()));
                out.text.push_str(tag);
            }
        }
        rest = &rest[end..];
    }
    out.text.push_str(rest);
}

/// The quoted arguments of a tag (`"a" 'b' "c"`), in order.
fn quoted(s: &str) -> Vec<&str> {
    let mut args = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['"', '\'']) {
        let q = &rest[i..=i];
        let Some(len) = rest[i + 1..].find(q) else {
            break;
        };
        args.push(&rest[i + 1..i + 1 + len]);
        rest = &rest[i + 1 + len + 1..];
    }
    args
}

/// `key: "value"` arguments of an include.
/// `key: "value"` (Eleventy) or `key="value"` (Jekyll) arguments of an include.
fn named<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let at = [format!(" {key}:"), format!(" {key}="), format!(",{key}:")]
        .iter()
        .filter_map(|k| s.find(k.as_str()).map(|i| i + k.len()))
        .min()?;
    quoted(&s[at..]).first().copied()
}

/// The file an include names: `{% include "x.html" %}` or `{% include x.html %}`.
fn include_file(inner: &str) -> &str {
    inner
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .trim_matches(['"', '\'', ','])
}

/// A path as an absolute site path (`assets/x.png` -> `/assets/x.png`); URLs as they are.
fn site_path(p: &str) -> String {
    if p.starts_with('/') || p.contains("://") || p.is_empty() {
        p.to_string()
    } else {
        format!("/{p}")
    }
}

/// What Eleventy's and Jekyll's `url` filters make of a path: repeated slashes at the
/// start collapsed (`//2015/x/` is `/2015/x/`); a full URL as it is.
fn url_path(path: &str) -> String {
    if path.contains("://") {
        return path.to_string();
    }
    let rest = path.trim_start_matches('/');
    if path.starts_with('/') {
        format!("/{rest}")
    } else {
        path.to_string()
    }
}

/// A `figure` block of `fields` (empty ones left out).
fn figure(fields: &[(&str, String)], indent: &str) -> String {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    super::blocks::block("figure", &fields, indent)
}

/// Text safe inside Markdown image alt text or link text.
fn md_text(s: &str) -> String {
    s.replace('[', "\\[").replace(']', "\\]")
}

/// The Markdown for one tag, with the name of the conversion; `None` for a tag gloss
/// does not know (left as it is). `alone`: the indentation of the tag's line when the
/// tag is all of it (then it may become a block).
fn convert_tag(
    tag: &str,
    inner: &str,
    is_block_tag: bool,
    alone: Option<&str>,
    cx: &Context<'_>,
) -> Option<(&'static str, String)> {
    let word = inner.split_whitespace().next().unwrap_or("");
    if is_block_tag {
        return match word {
            "image" if named(inner, "caption").is_some() && alone.is_some() => {
                let a = quoted(inner);
                let alt = named(inner, "alt").or_else(|| a.get(1).copied());
                let fields = [
                    ("image", site_path(a.first()?)),
                    ("alt", alt.unwrap_or("").to_string()),
                    ("caption", named(inner, "caption")?.to_string()),
                ];
                Some((
                    "`{% image %}` with a caption -> `figure` block",
                    figure(&fields, alone?),
                ))
            }
            "image" => {
                let a = quoted(inner);
                // `{% image "src" "width-400px" "alt" %}`: a class, then the alt text.
                let alt = match a.as_slice() {
                    [_, class, alt] if !class.contains(char::is_whitespace) => alt,
                    _ => a.get(1).copied().unwrap_or(""),
                };
                Some((
                    "`{% image %}` -> Markdown image",
                    format!("![{}]({})", md_text(alt), site_path(a.first()?)),
                ))
            }
            "image_with_class" => {
                let a = quoted(inner);
                Some((
                    "`{% image_with_class %}` -> Markdown image",
                    format!("![{}]({})", md_text(a.get(2)?), site_path(a.first()?)),
                ))
            }
            "include" if include_file(inner).contains("figure") && alone.is_some() => {
                let fields = [
                    ("image", site_path(named(inner, "image")?)),
                    ("alt", named(inner, "alt").unwrap_or("").to_string()),
                    ("caption", named(inner, "caption").unwrap_or("").to_string()),
                    ("credit", named(inner, "credit").unwrap_or("").to_string()),
                ];
                Some((
                    "`{% include \"…figure…\" %}` -> `figure` block",
                    figure(&fields, alone?),
                ))
            }
            "include" if include_file(inner).contains("figure") => {
                let image = named(inner, "image")?;
                let alt = named(inner, "alt").unwrap_or("");
                let mut md = format!("![{}]({})", md_text(alt), site_path(image));
                if let Some(caption) = named(inner, "caption") {
                    md.push_str(&format!("\n*{}*", md_text(caption)));
                }
                Some(("`{% include \"…figure…\" %}` -> image and caption", md))
            }
            "include"
                if include_file(inner).contains("testimonial")
                    || include_file(inner).contains("quote") =>
            {
                let quote = named(inner, "quote")?;
                let mut md = format!("> {}", quote.replace('\n', "\n> "));
                if let Some(by) = named(inner, "attribution").or_else(|| named(inner, "name")) {
                    md.push_str(&format!("\n>\n> — {by}"));
                }
                Some(("`{% include \"testimonial…\" %}` -> block quote", md))
            }
            "post_url" => {
                // `{% post_url 2010-07-21-name %}` (or a path to it): the post's slug.
                let name = inner.split_whitespace().nth(1)?.trim_matches(['"', '\'']);
                let stem = name.rsplit('/').next()?.trim_end_matches(".md");
                let slug = stem
                    .get(11..)
                    .filter(|_| stem.as_bytes().get(10) == Some(&b'-'))?;
                Some((
                    "`{% post_url %}` -> `article:` link",
                    format!("article:{slug}"),
                ))
            }
            "capture" | "endcapture" => Some((
                "`{% capture %}` markers removed (the captured text stays where it is written)",
                String::new(),
            )),
            _ => None,
        };
    }
    let _ = tag;
    let (value, filters) = match inner.split_once('|') {
        Some((v, f)) => (v.trim(), f.trim()),
        None => (inner, ""),
    };
    let literal = quoted(value)
        .first()
        .copied()
        .filter(|_| value.starts_with(['"', '\'']));
    let filter = filters.split(':').next().unwrap_or("").trim();
    match (literal, value, filter) {
        (_, "site.baseurl", "") => Some((
            "`{{ site.baseurl }}` removed (links are relative in gloss)",
            String::new(),
        )),
        (None, _, "markdownify") => Some((
            "`{{ captured | markdownify }}` removed (the captured text stays where it is written)",
            String::new(),
        )),
        (None, "page.excerpt", "") => Some((
            "`{{ page.excerpt }}` -> the summary",
            cx.excerpt?.to_string(),
        )),
        (Some(path), _, "url") => Some(("`{{ \"/path/\" | url }}` -> the path", url_path(path))),
        (None, "image" | "page.image", "" | "url") => {
            Some(("`{{ image }}` -> the post's image", site_path(cx.image?)))
        }
        (Some(url), _, "embed")
            if let Some(block) = alone.and_then(|indent| {
                let title = quoted(filters).first().copied().unwrap_or("");
                super::blocks::video(url, title, indent)
            }) =>
        {
            Some((
                "`{{ \"…\" | embed }}` -> `video` block (linked, not framed)",
                block,
            ))
        }
        (Some(url), _, "embed") => {
            let title = quoted(filters).first().copied().unwrap_or("Video");
            let watch = match url.rsplit_once("/embed/") {
                Some((_, id)) if url.contains("youtube") => {
                    format!("https://www.youtube.com/watch?v={id}")
                }
                _ => url.to_string(),
            };
            Some((
                "`{{ \"…\" | embed }}` -> link to the video",
                format!("[▶ {}]({watch})", md_text(title)),
            ))
        }
        (Some(id), _, "team_link") => {
            let name = cx.people.get(id).cloned().unwrap_or_else(|| id.to_string());
            Some(("`{{ \"id\" | team_link }}` -> the person's name", name))
        }
        (Some(_), _, "team_photo") => Some((
            "`{{ \"id\" | team_photo }}` removed (no team photos in the archive)",
            String::new(),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Converted {
        let people = BTreeMap::from([("aaron".to_string(), "Aaron Snow".to_string())]);
        convert(
            body,
            &Context {
                image: Some("/assets/img/x.png"),
                excerpt: Some("Short"),
                people: &people,
            },
        )
    }

    #[test]
    fn known_tags_become_markdown_and_the_rest_is_kept() {
        let c = run(concat!(
            "Intro {% image \"assets/blog/a.jpg\" \"A [photo]\" %} end.\n",
            "{% image_with_class \"assets/b.png\" \"cls\" \"B\" %}\n",
            "See [us]({{ \"//about/\" | url }}) and <img src=\"{{ site.baseurl }}/assets/c.png\">\n",
            "![hero]({{ image | url }})\n",
            "{{ \"https://www.youtube-nocookie.com/embed/jCAhYZdIPp8\" | embed: \"Demo day\" }}\n",
            "Inline {{ \"https://www.youtube-nocookie.com/embed/abc\" | embed: \"Demo\" }}\n",
            "  {% image \"assets/c.jpg\" \"C\" caption: \"A *caption*\" %}\n",
            "{% image \"assets/d.jpg\" \"width-400px\" \"A bar graph\" %}\n",
            "By {{ \"aaron\" | team_link }}.\n",
            "[prev]({{ site.baseurl }}{% post_url 2010-07-21-hello %})\n",
        ));
        assert_eq!(
            c.text,
            concat!(
                "Intro ![A \\[photo\\]](/assets/blog/a.jpg) end.\n",
                "![B](/assets/b.png)\n",
                "See [us](/about/) and <img src=\"/assets/c.png\">\n",
                "![hero](/assets/img/x.png)\n",
                "```video\nyoutube: \"jCAhYZdIPp8\"\ntitle: \"Demo day\"\n```\n",
                "Inline [▶ Demo](https://www.youtube.com/watch?v=abc)\n",
                "  ```figure\n  image: \"/assets/c.jpg\"\n  alt: \"C\"\n  caption: \"A *caption*\"\n  ```\n",
                "![A bar graph](/assets/d.jpg)\n",
                "By Aaron Snow.\n",
                "[prev](article:hello)\n",
            )
        );
        assert!(c.left.is_empty(), "{:?}", c.left);
        assert_eq!(c.done.len(), 12);
    }

    #[test]
    fn a_tag_over_several_lines_and_unknown_tags_with_their_lines() {
        let c = run(concat!(
            "a\n",
            "{% include \"linked-figure.html\",\n",
            "     image: \"/assets/f.png\",\n",
            "     alt: \"F\",\n",
            "     caption: \"Cap\" %}\n",
            "{% for x in y %}\n",
            "b\n",
        ));
        assert_eq!(
            c.text,
            "a\n```figure\nimage: \"/assets/f.png\"\nalt: \"F\"\ncaption: \"Cap\"\n```\n{% for x in y %}\nb\n"
        );
        assert_eq!(c.left, [(6, "{% for x in y %}".to_string())]);
    }

    #[test]
    fn comments_captures_and_testimonials() {
        let c = run(concat!(
            "a\n{% comment %}\nhidden {{ x }}\n{% endcomment %}\nb\n",
            "{% capture body %}\nText\n{% endcapture %}\n<div>{{ body | markdownify }}</div>\n",
            "{% include \"testimonial.html\",\n  quote: \"Great\",\n  attribution: \"A user\" %}\n",
        ));
        assert_eq!(
            c.text,
            "a\n\nb\n\nText\n\n<div></div>\n> Great\n>\n> — A user\n"
        );
        assert!(c.left.is_empty(), "{:?}", c.left);
    }

    #[test]
    fn tags_that_close_on_later_lines_one_after_another() {
        let c = run("<a href=\"{{ site.baseurl\n}}/x\" src=\"{{ site.baseurl\n}}/y\">\nz\n");
        assert_eq!(c.text, "<a href=\"/x\" src=\"/y\">\nz\n");
        assert!(c.left.is_empty(), "{:?}", c.left);
    }

    #[test]
    fn raw_text_is_literal_everywhere_code_included() {
        let c = run(concat!(
            "Use `{% raw %}{{{% endraw %} }}` to mark it.\n",
            "```\nPW={%- raw -%}{{{% endraw %} secret }} {{ site.baseurl }}\n```\n",
            "{% raw %}\n{% image \"a\" \"b\" %}\n{% endraw %}\n",
        ));
        assert_eq!(
            c.text,
            concat!(
                "Use `{{ }}` to mark it.\n",
                "```\nPW={{ secret }} {{ site.baseurl }}\n```\n",
                "\n{% image \"a\" \"b\" %}\n\n",
            )
        );
        assert!(c.left.is_empty(), "{:?}", c.left);
        assert_eq!(c.done.len(), 3);
    }

    #[test]
    fn code_is_shown_as_written() {
        let body = "```\n{{ site.baseurl }} {% image \"a\" \"b\" %}\n```\n";
        let c = run(body);
        assert_eq!(c.text, body);
        assert!(c.done.is_empty() && c.left.is_empty());
    }
}
