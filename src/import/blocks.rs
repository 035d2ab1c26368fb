//! gloss's embed blocks (```` ```figure ````, ```` ```video ````, ```` ```social ````) as
//! the importers write them, and the raw HTML embeds of imported bodies converted to
//! them: a Twitter/X `<blockquote class="twitter-tweet">` (with the widget script after
//! it) becomes a `social` block holding the post's text, author, date and address, and a
//! YouTube or Vimeo `<iframe>` a `video` block. Everything else is kept byte for byte.

use serde_json::Value;

use crate::markdown::embeds::{id_in_url, is_video_id};

/// A fenced block of `kind` with `fields` (key, value; empty values left out), each
/// line after the first starting with `indent`, so that it stays inside a list item.
pub(crate) fn block(kind: &str, fields: &[(&str, &str)], indent: &str) -> String {
    let mut out = format!("```{kind}\n");
    for (key, value) in fields.iter().filter(|(_, v)| !v.trim().is_empty()) {
        out.push_str(indent);
        // A JSON string is a YAML double-quoted scalar: any text is safe in it.
        super::front::yaml_line(&mut out, key, &Value::String(value.trim().to_string()));
    }
    out.push_str(indent);
    out.push_str("```");
    out
}

/// A `video` block for a YouTube or Vimeo address (any of their forms); `None` for
/// another address, or one whose id gloss would not take.
pub(crate) fn video(url: &str, title: &str, indent: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let service = if lower.contains("vimeo.com") {
        "vimeo"
    } else if lower.contains("youtu") {
        "youtube"
    } else {
        return None;
    };
    let id = id_in_url(service, url).filter(|id| is_video_id(service, id))?;
    Some(block("video", &[(service, &id), ("title", title)], indent))
}

/// What converting the raw HTML embeds of a body did.
#[derive(Debug, Default)]
pub(crate) struct Converted {
    /// The new body.
    pub(crate) text: String,
    /// Each conversion and its example (the first line of what it replaced).
    pub(crate) done: Vec<(&'static str, String)>,
}

/// Converts the tweets and video iframes of `body` that start a line (outside code
/// fences) into blocks.
pub(crate) fn convert_html(body: &str) -> Converted {
    let mut out = Converted::default();
    if !body.contains("twitter-tweet") && !body.contains("<iframe") {
        out.text = body.to_string();
        return out;
    }
    let mut rest = body;
    let mut fence = false;
    while !rest.is_empty() {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..end];
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        let indent = &line[..line.len() - trimmed.len()];
        let found = if fence {
            None
        } else if trimmed.starts_with("<blockquote") && trimmed.contains("twitter-tweet") {
            tweet(rest, indent)
        } else if trimmed.starts_with("<iframe") {
            iframe(rest, indent)
        } else {
            None
        };
        match found {
            Some((what, replacement, used)) => {
                out.done.push((what, line.trim_end().to_string()));
                out.text.push_str(indent);
                out.text.push_str(&replacement);
                out.text.push('\n');
                rest = &rest[used..];
            }
            None => {
                out.text.push_str(line);
                rest = &rest[end..];
            }
        }
    }
    out
}

/// The `social` block of the tweet `rest` starts with (after `indent`), and the bytes
/// it used (the widget's `<script>` after it and the line break included).
fn tweet(rest: &str, indent: &str) -> Option<(&'static str, String, usize)> {
    let close = rest.find("</blockquote>")?;
    let quote = &rest[..close];
    let mut used = close + "</blockquote>".len();
    // The widget script is a request to Twitter on every view: it goes.
    let after = &rest[used..];
    let gap = after.len() - after.trim_start().len();
    if after.trim_start().starts_with("<script")
        && after.contains("platform.twitter.com")
        && let Some(e) = after.find("</script>")
        && after[..e].contains("platform.twitter.com")
    {
        used += e + "</script>".len();
    } else if gap == 0 && !after.is_empty() && !after.starts_with('\n') {
        // More on the line after the post: not a block of its own.
        return None;
    }
    if rest[used..].starts_with('\n') {
        used += 1;
    }
    let text_start = quote.find("<p")?;
    let text_start = text_start + quote[text_start..].find('>')? + 1;
    let text_end = quote.rfind("</p>")?;
    let text = markdown_of(quote.get(text_start..text_end)?);
    let byline = quote.get(text_end + 4..)?;
    let link_at = byline
        .rmatch_indices("<a")
        .map(|(i, _)| i)
        .find(|&i| byline[i + 2..].starts_with(char::is_whitespace))?;
    let url = attr(&byline[link_at..], "href")?;
    if !url.contains("/status/") {
        return None;
    }
    let date_text = inner_text(&byline[link_at..]);
    let who = decode(&strip_tags(&byline[..link_at]));
    let who = who.trim().trim_start_matches(['—', '-', ' ']).trim();
    let (author, handle) = match who.rsplit_once(" (") {
        Some((name, handle)) => (name.trim(), handle.trim_end_matches(')').trim()),
        None => (who, ""),
    };
    let date = crate::load::dates::from_month_name(&date_text)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let url = url.replace("&amp;", "&");
    let fields = [
        ("url", url.as_str()),
        ("author", author),
        ("handle", handle),
        ("date", date.as_str()),
        ("text", text.as_str()),
    ];
    Some((
        "raw-HTML tweet (`<blockquote class=\"twitter-tweet\">`) -> `social` block",
        block("social", &fields, indent),
        used,
    ))
}

/// The `video` block of the YouTube or Vimeo iframe `rest` starts with.
fn iframe(rest: &str, indent: &str) -> Option<(&'static str, String, usize)> {
    let open_end = rest.find('>')?;
    let open = &rest[..open_end];
    let src = attr(open, "src")?.replace("&amp;", "&");
    let title = attr(open, "title").map(|t| decode(&t)).unwrap_or_default();
    let close = rest.find("</iframe>")?;
    let mut used = close + "</iframe>".len();
    if !rest[used..]
        .trim_start_matches([' ', '\t'])
        .starts_with('\n')
        && used < rest.len()
    {
        return None;
    }
    used += rest[used..].find('\n').map_or(rest.len() - used, |i| i + 1);
    let block = video(&src, &title, indent)?;
    Some((
        "YouTube/Vimeo `<iframe>` -> `video` block (linked, not framed)",
        block,
        used,
    ))
}

/// The value of attribute `name` in a tag (after any white space, line breaks too).
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name).map(|i| from + i) {
        from = i + name.len();
        let before = tag[..i].chars().next_back();
        let after = &tag[from..];
        let quote = after.strip_prefix('=').and_then(|a| a.chars().next());
        if before.is_some_and(char::is_whitespace)
            && let Some(q) = quote.filter(|q| *q == '"' || *q == '\'')
        {
            let value = &after[2..];
            return value.find(q).map(|len| value[..len].to_string());
        }
    }
    None
}

/// The text inside the first element of `html`.
fn inner_text(html: &str) -> String {
    let start = html.find('>').map_or(0, |i| i + 1);
    let end = html.find("</").unwrap_or(html.len());
    decode(html.get(start..end.max(start)).unwrap_or(""))
}

/// `html` without its tags.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A tweet's HTML text as Markdown: links as links, `<br>` as line breaks (two as a new
/// paragraph), other tags dropped, entities decoded.
fn markdown_of(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&decode(&rest[..i]));
        let Some(end) = rest[i..].find('>') else {
            rest = &rest[i..];
            break;
        };
        let tag = &rest[i..i + end + 1];
        rest = &rest[i + end + 1..];
        let name = tag[1..]
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if name == "br" {
            out.push_str("  \n");
        } else if name == "a"
            && let Some(href) = attr(tag, "href")
            && let Some(close) = rest.find("</a>")
        {
            let text = decode(&strip_tags(&rest[..close]));
            let href = href.replace("&amp;", "&");
            out.push_str(&format!(
                "[{}]({href})",
                text.replace('[', "\\[").replace(']', "\\]")
            ));
            rest = &rest[close + 4..];
        }
    }
    out.push_str(&decode(rest));
    // `<br><br>`: a new paragraph.
    out.replace("  \n  \n", "\n\n").trim().to_string()
}

/// The HTML entities of embed code decoded (`&#39;`, `&amp;`, `&mdash;`); an unknown
/// one is kept as written.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let name = tail.find(';').filter(|&e| e <= 10).map(|e| &tail[1..e]);
        match name.and_then(|n| Some((n, crate::render::entity(n)?))) {
            Some((n, c)) => {
                out.push(c);
                rest = &tail[n.len() + 2..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `body` with the double quotes inside double-quoted attribute values of its HTML
/// lines written `&quot;` (`alt="the page called "What is it?" here"`: browsers show
/// that image, Markdown shows the tag as text), and the first tag repaired, if any.
/// A quote closes the value only where an attribute, `>` or `/>` follows it; values
/// with no such quote are left as written.
pub(crate) fn repair_attribute_quotes(body: &str) -> (String, Option<String>) {
    let mut out = String::with_capacity(body.len());
    let mut first = None;
    let mut fence = false;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        let is_tag =
            trimmed.starts_with('<') && trimmed[1..].starts_with(|c: char| c.is_ascii_alphabetic());
        let fixed = if fence || !is_tag {
            None
        } else {
            repair_line(line)
        };
        match fixed {
            Some(fixed) => {
                first.get_or_insert_with(|| line.trim().to_string());
                out.push_str(&fixed);
            }
            None => out.push_str(line),
        }
    }
    (out, first)
}

/// The line with its attribute values' inner quotes escaped, when it had any.
fn repair_line(line: &str) -> Option<String> {
    let closes = |after: &str| {
        let t = after.trim_start();
        t.starts_with('>')
            || t.starts_with("/>")
            || (after.starts_with(char::is_whitespace)
                && t.split_once('=').is_some_and(|(name, _)| {
                    !name.is_empty()
                        && name.chars().all(|c| {
                            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
                        })
                }))
    };
    let mut out = String::with_capacity(line.len() + 16);
    let mut rest = line;
    let mut changed = false;
    while let Some(i) = rest.find("=\"") {
        out.push_str(&rest[..i + 2]);
        rest = &rest[i + 2..];
        let quotes: Vec<usize> = rest.match_indices('"').map(|(q, _)| q).collect();
        let Some(&end) = quotes.iter().find(|&&q| closes(&rest[q + 1..])) else {
            break;
        };
        let value = &rest[..end];
        if value.contains('"') {
            changed = true;
            out.push_str(&value.replace('"', "&quot;"));
        } else {
            out.push_str(value);
        }
        out.push('"');
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_quotes_of_attribute_values_are_escaped() {
        let body = concat!(
            "<img src=\"/a.gif\" alt=\"the page called \"What is it?\" here.\" />\n",
            "<a href=\"x\" title=\"fine\">ok</a>\n",
            "Text with \"quotes\" and <b>tags</b>.\n",
            "```\n<img alt=\"a \"b\" c\">\n```\n",
        );
        let (text, first) = repair_attribute_quotes(body);
        assert_eq!(
            text,
            concat!(
                "<img src=\"/a.gif\" alt=\"the page called &quot;What is it?&quot; here.\" />\n",
                "<a href=\"x\" title=\"fine\">ok</a>\n",
                "Text with \"quotes\" and <b>tags</b>.\n",
                "```\n<img alt=\"a \"b\" c\">\n```\n",
            )
        );
        assert!(first.is_some_and(|f| f.starts_with("<img src")));
        assert_eq!(repair_attribute_quotes("<p>plain</p>\n").1, None);
    }

    #[test]
    fn blocks_quote_every_value_as_yaml() {
        assert_eq!(
            block(
                "figure",
                &[("image", "/a.png"), ("alt", "A: \"b\" #c"), ("caption", "")],
                "  "
            ),
            "```figure\n  image: \"/a.png\"\n  alt: \"A: \\\"b\\\" #c\"\n  ```"
        );
    }

    #[test]
    fn a_tweet_becomes_a_social_block_and_its_script_goes() {
        let body = concat!(
            "Before.\n\n",
            "<blockquote class=\"twitter-tweet\" data-lang=\"en\"><p lang=\"en\" dir=\"ltr\">We&#39;ve rolled out HTTP/2 for <a\nhref=\"https://t.co/4q\">https://t.co/4q</a>!<br><br>Ever forward. <a href=\"https://twitter.com/hashtag/bbd15?src=hash\">#bbd15</a></p>&mdash; 18F (@18F) <a href=\"https://twitter.com/18F/status/671435022667227138\">November 30, 2015</a></blockquote>\n",
            "<script async src=\"https://platform.twitter.com/widgets.js\" charset=\"utf-8\"></script>\n",
            "\nAfter.\n",
        );
        let c = convert_html(body);
        assert_eq!(
            c.text,
            concat!(
                "Before.\n\n",
                "```social\n",
                "url: \"https://twitter.com/18F/status/671435022667227138\"\n",
                "author: \"18F\"\n",
                "handle: \"@18F\"\n",
                "date: \"2015-11-30\"\n",
                "text: \"We've rolled out HTTP/2 for [https://t.co/4q](https://t.co/4q)!\\n\\nEver forward. [#bbd15](https://twitter.com/hashtag/bbd15?src=hash)\"\n",
                "```\n",
                "\nAfter.\n",
            )
        );
        assert_eq!(c.done.len(), 1);
    }

    #[test]
    fn video_iframes_become_video_blocks_and_others_stay() {
        let body = concat!(
            "<iframe width=\"560\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0\" title=\"A &amp; B\" allowfullscreen></iframe>\n",
            "- <iframe src=\"https://player.vimeo.com/video/76979871\"></iframe>\n",
            "<iframe src=\"https://speakerdeck.com/player/1\"></iframe>\n",
            "```\n<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\"></iframe>\n```\n",
        );
        let c = convert_html(body);
        assert_eq!(
            c.text,
            concat!(
                "```video\nyoutube: \"dQw4w9WgXcQ\"\ntitle: \"A & B\"\n```\n",
                "- <iframe src=\"https://player.vimeo.com/video/76979871\"></iframe>\n",
                "<iframe src=\"https://speakerdeck.com/player/1\"></iframe>\n",
                "```\n<iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\"></iframe>\n```\n",
            )
        );
        assert_eq!(c.done.len(), 1);
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode("a &amp; b &#39;c&#x27; &bogus; &"),
            "a & b 'c' &bogus; &"
        );
    }
}
