//! The text of an article body that search indexes and shows snippets from: the body
//! HTML as the page serves it, read as a reader sees it, cut into blocks (paragraphs,
//! list items, headings, cells), so that a snippet is a sentence of one block and a
//! phrase never runs from one block into the next.
//!
//! Left out, because they are not the article's words: code blocks (`<pre>`), scripts
//! and styles, comments (embed placeholders among them), and what gloss adds around
//! the archived text: note markers, side notes, a quote's speaker link and its
//! differs-from-source flag. Annotations are indexed nowhere: they are the archive's
//! words, not the article's.

use super::super::selectors::{entity, tag_end};

/// Start tags whose whole element is left out, with the element's name.
const SKIPPED: &[(&str, &str)] = &[
    ("<pre", "pre"),
    ("<script", "script"),
    ("<style", "style"),
    ("<sup class=\"note-ref", "sup"),
    ("<span class=\"sidenote", "span"),
    ("<aside class=\"sidenote", "aside"),
    ("<span class=\"quote-by", "span"),
    ("<a class=\"quote-flag", "a"),
];

/// Elements that start and end a block of text.
const BLOCKS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
    "div",
    "br",
    "hr",
    "ul",
    "ol",
    "table",
    "tr",
    "section",
    "figure",
];

/// The blocks of visible text of `html`, each with its white space collapsed, empty
/// ones dropped, in document order.
pub(super) fn blocks(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block = String::new();
    let mut space = false;
    let mut rest = html;
    let push = |block: &mut String, c: char, space: &mut bool| {
        if c.is_whitespace() {
            *space = true;
        } else {
            if *space && !block.is_empty() {
                block.push(' ');
            }
            *space = false;
            block.push(c);
        }
    };
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let is_tag = c == '<'
            && rest[1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!');
        if is_tag {
            if let Some(&(_, name)) = SKIPPED.iter().find(|(open, _)| rest.starts_with(open)) {
                rest = &rest[element_len(rest, name).unwrap_or(rest.len())..];
                continue;
            }
            let end = tag_end(rest);
            let name: String = rest[1..end]
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            rest = &rest[end..];
            if BLOCKS.contains(&name.as_str()) {
                if !block.is_empty() {
                    out.push(std::mem::take(&mut block));
                }
                space = false;
            }
        } else if c == '&'
            && let Some(end) = rest.bytes().take(34).position(|b| b == b';')
            && let Some(decoded) = entity(&rest[1..end])
        {
            push(&mut block, decoded, &mut space);
            rest = &rest[end + 1..];
        } else {
            push(&mut block, c, &mut space);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !block.is_empty() {
        out.push(block);
    }
    out
}

/// The length of the `tag` element `html` starts with, same-name elements nested in it
/// included; `None` when it is not closed.
fn element_len(html: &str, tag: &str) -> Option<usize> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut depth = 0usize;
    let mut at = 1;
    loop {
        let closing = html[at..].find(&close)? + at;
        // Another element of the name opened before this close (`<span` but not `<spanx`).
        let opening = html[at..closing]
            .match_indices(&open)
            .map(|(k, _)| k + at)
            .find(|&k| matches!(html.as_bytes().get(k + open.len()), Some(b' ' | b'>')));
        match opening {
            Some(k) => {
                depth += 1;
                at = k + open.len();
            }
            None if depth == 0 => return Some(closing + close.len()),
            None => {
                depth -= 1;
                at = closing + close.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_blocks_and_inline_markup_is_text() {
        let html = "<h2 id=\"x\">The <em>vote</em></h2>\n<p>Ramos &amp; Bukele\n said <a href=\"#\">so</a>.</p><ul><li>one</li><li>two</li></ul>";
        assert_eq!(
            blocks(html),
            ["The vote", "Ramos & Bukele said so.", "one", "two"]
        );
    }

    #[test]
    fn code_notes_and_what_gloss_adds_are_left_out() {
        let html = concat!(
            "<p>We <mark class=\"quote\" id=\"quote-1\">will continue</mark>",
            "<span class=\"quote-by\"><a href=\"p\">Nayib Bukele</a></span>",
            "<a class=\"quote-flag\" href=\"#\">differs from source</a>",
            "<sup class=\"note-ref\"><a class=\"to-margin\" href=\"#side-b\">1</a></sup>",
            "<span class=\"sidenote sidenote-margin\" id=\"side-b\"><span class=\"note-p\">A <span>note</span></span></span> here.</p>",
            "<aside class=\"sidenote\" id=\"note-b\"><p>The note</p></aside>",
            "<pre><code>let secret = 1;</code></pre><!--gloss:embed 0--><p>End</p>",
        );
        assert_eq!(blocks(html), ["We will continue here.", "End"]);
    }
}
