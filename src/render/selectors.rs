//! W3C `TextQuoteSelector`s for `/annotations.jsonld`, taken from the body HTML gloss
//! serves (the theme's figures, videos and posts spliced in) rather than from the text
//! anchoring matched against: the page also holds
//! the note numbers, speaker links and side notes gloss adds, and a strict client
//! (Apache Annotator's text-quote matcher) looks for prefix, exact and suffix in the
//! page's text content. So this reads that text content: tags and their attributes
//! dropped, `script` and `style` contents and comments skipped, entities decoded, white
//! space runs collapsed to one space, and notes where each passage's `<mark>` pieces
//! begin and end.

use std::collections::HashMap;

/// A passage with the text around it, so it can be found again (W3C TextQuoteSelector).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TextQuote {
    /// Up to 32 characters of the page's text before the passage.
    pub(crate) prefix: String,
    /// The passage as the page's text has it (white space collapsed), with any note
    /// number or speaker link gloss placed inside it.
    pub(crate) exact: String,
    /// Up to 32 characters of the page's text after it.
    pub(crate) suffix: String,
}

/// Characters of context kept before and after a passage.
const CONTEXT_CHARS: usize = 32;

/// The text content of `html` so far, white space collapsed.
#[derive(Default)]
struct Content {
    text: String,
    /// White space seen since the last character written.
    space: bool,
}

impl Content {
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space = true;
            return;
        }
        self.flush();
        self.text.push(c);
    }

    /// Appends a run of plain text (no tags, no entities), white space collapsed.
    fn push_str(&mut self, run: &str) {
        for (k, piece) in run.split(char::is_whitespace).enumerate() {
            if k > 0 {
                self.space = true;
            }
            if !piece.is_empty() {
                self.flush();
                self.text.push_str(piece);
            }
        }
    }

    /// Writes the pending space (none at the start, and one only): a passage that
    /// begins after white space does not begin with it.
    fn flush(&mut self) {
        if self.space && !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
        self.space = false;
    }
}

/// The value of attribute `name` in a start tag (`<mark class="…" data-note="…">`).
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let rest = &tag[at..];
    Some(&rest[..rest.find('"')?])
}

/// The character of entity `name` (between `&` and `;`), for those HTML writers use.
pub(crate) fn entity(name: &str) -> Option<char> {
    let number = |s: &str, radix| u32::from_str_radix(s, radix).ok().and_then(char::from_u32);
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        "mdash" => Some('—'),
        "ndash" => Some('–'),
        "hellip" => Some('…'),
        n if n.starts_with("#x") || n.starts_with("#X") => number(&n[2..], 16),
        n if n.starts_with('#') => number(&n[1..], 10),
        _ => None,
    }
}

/// The end of the tag starting at `html[0] == '<'`: after the `>` outside quoted
/// attribute values.
pub(super) fn tag_end(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = 1;
    while let Some(k) = memchr::memchr3(b'>', b'"', b'\'', &bytes[at..]) {
        let k = at + k;
        match bytes[k] {
            b'>' => return k + 1,
            quote => match memchr::memchr(quote, &bytes[k + 1..]) {
                Some(close) => at = k + 1 + close + 1,
                None => return html.len(),
            },
        }
    }
    html.len()
}

/// The selector of each passage in `body_html`, by the ids in `ids` (`data-note` of its
/// `<mark>` pieces); `None` for a passage the HTML does not mark.
pub(crate) fn selectors(body_html: &str, ids: &[Option<&str>]) -> Vec<Option<TextQuote>> {
    if ids.iter().all(Option::is_none) {
        return vec![None; ids.len()];
    }
    let wanted: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .filter_map(|(j, id)| Some(((*id)?, j)))
        .collect();
    let mut ranges: Vec<Option<(usize, usize)>> = vec![None; ids.len()];
    let mut content = Content::default();
    // The open `<mark>` elements: the passage each belongs to, if any.
    let mut marks: Vec<Option<usize>> = Vec::new();
    let mut rest = body_html;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let starts_tag = c == '<'
            && rest[1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!');
        if starts_tag {
            let end = tag_end(rest);
            let tag = &rest[..end];
            rest = &rest[end..];
            if tag.starts_with("<mark") {
                let passage = attribute(tag, "data-note").and_then(|id| wanted.get(id).copied());
                if let Some(j) = passage {
                    content.flush();
                    let at = content.text.len();
                    ranges[j].get_or_insert((at, at));
                }
                marks.push(passage);
            } else if tag.starts_with("</mark") {
                if let Some(Some(j)) = marks.pop()
                    && let Some(r) = &mut ranges[j]
                {
                    r.1 = content.text.len();
                }
            } else {
                for raw in ["<script", "<style"] {
                    if tag.starts_with(raw) {
                        let close = format!("</{}>", &raw[1..]);
                        rest = rest.find(&close).map_or("", |e| &rest[e + close.len()..]);
                    }
                }
            }
        } else if c == '&'
            && let Some(end) = rest.bytes().take(34).position(|b| b == b';')
            && let Some(decoded) = entity(&rest[1..end])
        {
            content.push(decoded);
            rest = &rest[end + 1..];
        } else if c == '<' || c == '&' {
            content.push(c);
            rest = &rest[1..];
        } else {
            // Plain text up to the next tag or entity, at once.
            let end = memchr::memchr2(b'<', b'&', rest.as_bytes()).unwrap_or(rest.len());
            content.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    let text = content.text;
    ranges
        .into_iter()
        .map(|r| {
            let (start, end) = r?;
            let from = text[..start]
                .char_indices()
                .rev()
                .nth(CONTEXT_CHARS - 1)
                .map_or(0, |(i, _)| i);
            let to = text[end..]
                .char_indices()
                .nth(CONTEXT_CHARS)
                .map_or(text.len(), |(i, _)| end + i);
            Some(TextQuote {
                prefix: text[from..start].to_string(),
                exact: text[start..end].to_string(),
                suffix: text[end..to].to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_ends_at_the_first_unquoted_angle_bracket() {
        assert_eq!(tag_end("<a title=\"x>y\" href='>'>z"), 24);
        assert_eq!(tag_end("<br>"), 4);
        assert_eq!(tag_end("<a title=\"open"), 14);
    }

    fn one(html: &str) -> TextQuote {
        selectors(html, &[Some("n")])
            .pop()
            .flatten()
            .unwrap_or_else(|| panic!("no selector in {html}"))
    }

    #[test]
    fn markers_notes_and_breaks_are_part_of_the_text() {
        let html = "<p>Then <mark class=\"passage\" id=\"passage-n\" data-note=\"n\">we <em><mark class=\"passage\" data-note=\"n\">build</mark></em></mark><sup class=\"note-ref\"><a href=\"#note-n\">1</a></sup>\nthe bridge &amp; road.</p>\n<aside class=\"sidenote\">\n<p>A note.</p></aside>\n<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n";
        let s = one(html);
        assert_eq!(s.prefix, "Then ");
        assert_eq!(s.exact, "we build");
        assert_eq!(s.suffix, "1 the bridge & road. A note. a b");
    }

    #[test]
    fn context_is_32_characters_and_attributes_are_not_text() {
        let before = "x".repeat(40);
        let html = format!(
            "<p>{before} <img src=\"a.png\" alt=\"a > b\"><mark data-note=\"n\">p</mark>  {before}</p>"
        );
        let s = one(&html);
        assert_eq!(s.prefix, format!("{} ", "x".repeat(31)));
        assert_eq!(s.exact, "p");
        assert_eq!(s.suffix, format!(" {}", "x".repeat(31)));
    }

    #[test]
    fn white_space_on_both_sides_of_a_piece_is_one_space() {
        let html = "<p><mark data-note=\"n\">Look: </mark><img src=\"x\" alt=\"y\"><mark data-note=\"n\"> and\n see</mark></p>";
        assert_eq!(one(html).exact, "Look: and see");
    }

    #[test]
    fn passages_not_marked_or_not_asked_for_have_none() {
        let html = "<p><mark data-note=\"other\">a</mark> <mark data-note=\"n\">b</mark></p>";
        let got = selectors(html, &[None, Some("missing"), Some("n")]);
        assert_eq!(got[0], None);
        assert_eq!(got[1], None);
        assert_eq!(got[2].as_ref().map(|s| s.prefix.as_str()), Some("a "));
    }
}
