//! Placeholders: where a body's HTML leaves room for the theme's markup. The Markdown
//! stage writes a token for each figure, video or social post and for each piece of an
//! annotation mark (the opening and closing markup of a quote or passage, what follows
//! it, the side note after its paragraph); once the HTML is final (sanitised where it
//! must be) [`comment`] turns each token into an HTML comment, and the render stage
//! replaces each comment with what the theme's templates write for it. Link keeps the
//! data, the theme the markup, so a site can restyle either by overriding a template.
//!
//! Tokens are Unicode noncharacters around a short ASCII name: no Markdown renders to
//! them, the sanitiser keeps them, and [`forged`] takes them out of an author's text
//! so that a body cannot make one of its own.

use std::borrow::Cow;

/// Opens and closes a token.
const TOKEN: (char, char) = ('\u{FDD0}', '\u{FDD1}');

/// The token of embed `n`; [`comment`] makes it `<!--gloss:embed n-->`.
pub(crate) fn embed_token(n: usize) -> String {
    format!("{}{n}{}", TOKEN.0, TOKEN.1)
}

/// The comment where the theme's markup of embed `n` goes.
pub fn embed_comment(n: usize) -> String {
    format!("<!--gloss:embed {n}-->")
}

/// Which piece of a mark a placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The opening markup of the mark's first piece (which carries its id).
    First,
    /// The opening markup of every later piece (a passage split by emphasis or a link).
    Open,
    /// The closing markup of every piece.
    Close,
    /// What follows the passage inline (a quote's attribution, a note's marker).
    After,
    /// What follows the block that holds the passage's end (a side note).
    Block,
}

impl Part {
    const ALL: [Part; 5] = [
        Part::First,
        Part::Open,
        Part::Close,
        Part::After,
        Part::Block,
    ];

    /// The part's name in a placeholder comment.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::First => "first",
            Part::Open => "open",
            Part::Close => "close",
            Part::After => "after",
            Part::Block => "block",
        }
    }

    fn parse(s: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The token of `part` of mark `target` (ASCII letters, digits and `.`: which quote or
/// annotation it is, as the stage that made the mark names it); [`comment`] makes it
/// `<!--gloss:mark TARGET PART-->`.
pub(crate) fn mark_token(target: &str, part: Part) -> String {
    debug_assert!(is_target(target), "mark target `{target}`");
    format!("{}m {target} {}{}", TOKEN.0, part.as_str(), TOKEN.1)
}

fn is_target(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

/// `html` with each token turned into its comment.
pub(crate) fn comment(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find(TOKEN.0) {
        out.push_str(&rest[..i]);
        let after = &rest[i + TOKEN.0.len_utf8()..];
        let Some(j) = after.find(TOKEN.1) else {
            out.push_str(after);
            return out;
        };
        let name = &after[..j];
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str("<!--gloss:embed ");
            out.push_str(name);
            out.push_str("-->");
        } else if let Some(m) = name.strip_prefix("m ") {
            out.push_str("<!--gloss:mark ");
            out.push_str(m);
            out.push_str("-->");
        }
        rest = &after[j + TOKEN.1.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// `text` with the characters of tokens replaced by U+FFFD, so that what an author
/// writes never reads as a placeholder.
pub(crate) fn forged(text: &str) -> Option<String> {
    text.contains([TOKEN.0, TOKEN.1])
        .then(|| text.replace([TOKEN.0, TOKEN.1], "\u{FFFD}"))
}

/// One placeholder comment of a rendered body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder<'h> {
    /// Embed `n` of the text.
    Embed(usize),
    /// `part` of the mark named `target`.
    Mark {
        /// Which quote or annotation, as the stage that made it names it.
        target: &'h str,
        /// Which piece of its markup.
        part: Part,
    },
}

/// `html` with each placeholder comment replaced by what `fill` writes for it, or
/// `html` itself when it has none. A comment that is not one of gloss's (raw HTML an
/// author trusted) stays as it is.
pub fn fill<'h, E>(
    html: &'h str,
    mut fill: impl FnMut(Placeholder<'_>, &mut String) -> Result<(), E>,
) -> Result<Cow<'h, str>, E> {
    const OPEN: &str = "<!--gloss:";
    let Some(first) = html.find(OPEN) else {
        return Ok(Cow::Borrowed(html));
    };
    let mut out = String::with_capacity(html.len() * 2);
    out.push_str(&html[..first]);
    let mut rest = &html[first..];
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len()..];
        let parsed = after
            .split_once("-->")
            .and_then(|(name, tail)| Some((parse(name)?, tail)));
        match parsed {
            Some((p, tail)) => {
                fill(p, &mut out)?;
                rest = tail;
            }
            None => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

fn parse(name: &str) -> Option<Placeholder<'_>> {
    if let Some(n) = name.strip_prefix("embed ") {
        return n.parse().ok().map(Placeholder::Embed);
    }
    let (target, part) = name.strip_prefix("mark ")?.split_once(' ')?;
    Some(Placeholder::Mark {
        target: is_target(target).then_some(target)?,
        part: Part::parse(part)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(html: &str) -> String {
        fill(html, |p, out| {
            out.push_str(&match p {
                Placeholder::Embed(n) => format!("[embed {n}]"),
                Placeholder::Mark { target, part } => format!("[{target} {}]", part.as_str()),
            });
            Ok::<_, ()>(())
        })
        .map(Cow::into_owned)
        .unwrap_or_default()
    }

    #[test]
    fn tokens_become_comments_and_comments_are_filled() {
        let html = format!(
            "<p>{}words{}{}</p>{}",
            mark_token("q0", Part::First),
            mark_token("q0", Part::Close),
            mark_token("n12", Part::After),
            embed_token(3)
        );
        let commented = comment(&html);
        assert_eq!(
            commented,
            "<p><!--gloss:mark q0 first-->words<!--gloss:mark q0 close--><!--gloss:mark n12 after--></p><!--gloss:embed 3-->"
        );
        assert_eq!(
            filled(&commented),
            "<p>[q0 first]words[q0 close][n12 after]</p>[embed 3]"
        );
    }

    #[test]
    fn comments_that_are_not_gloss_placeholders_are_kept() {
        for html in [
            "<!-- an author's comment -->",
            "<!--gloss:mark q0 sideways-->",
            "<!--gloss:mark q<0 first-->",
            "<!--gloss:embed x-->",
            "<!--gloss:",
        ] {
            assert_eq!(filled(html), html);
        }
    }

    #[test]
    fn an_author_cannot_write_a_token() {
        let text = "a \u{FDD0}m q0 first\u{FDD1} b";
        let clean = forged(text).unwrap_or_default();
        assert_eq!(comment(&clean), clean);
        assert!(forged("plain").is_none());
    }
}
