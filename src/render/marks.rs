//! Annotation marks in rendered texts: each placeholder the Markdown stage left for a
//! piece of a quote or annotated passage (`<!--gloss:mark TARGET PART-->`, see
//! [`crate::markdown::placeholders`]) becomes the theme's markup, rendered from
//! `mark.html` with the mark's data; embeds are filled on the same pass. The link stage
//! decides where marks go and keeps their data; the theme owns how they look.
//!
//! Targets name what a mark stands for: in an article, `qJ` is quote `J`, `oJ` its
//! original wording and `nJ` annotation `J`; on an archived copy's page, `cA.J` is the quote `J` of article `A`
//! found in the copy and `dA.J` the copy's passage closest to it when it differs.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::json;
use tera::Context;

use super::views::{ArticleLink, Shared};
use crate::link::QuoteRef;
use crate::markdown::embeds::Embed;
use crate::markdown::placeholders::{self, Part, Placeholder};

/// The template that renders one piece of a mark.
pub(crate) const TEMPLATE: &str = "mark.html";

/// What `mark.html` gets for the marked words, to be cut out of its output: a
/// noncharacter, which no data of a mark holds.
const WORDS: &str = "\u{FDD4}";

/// What the marks of one text stand for: the page they are shown on decides.
#[derive(Clone, Copy)]
pub(crate) enum Owner {
    /// A text without marks (a plain page, a profile).
    None,
    /// Article `i`'s body.
    Article(usize),
    /// Archived copy `i`'s text.
    Copy(usize),
}

/// A text (`html` with placeholders) with the theme's markup for each embed and mark
/// in place; `html` itself when it has none. `feed`: for a feed, whose reader has no
/// style sheet; `lang`: the language of the page's interface strings.
pub(crate) fn fill<'h>(
    s: &Shared<'_>,
    html: &'h str,
    embeds: &[Embed],
    owner: Owner,
    feed: bool,
    lang: &str,
) -> Result<Cow<'h, str>, tera::Error> {
    let mut marks = Marks {
        s,
        owner,
        feed,
        lang,
        seen: Vec::new(),
    };
    placeholders::fill(html, |p, out| match p {
        Placeholder::Embed(n) => match embeds.get(n) {
            Some(e) => {
                out.push_str(super::embeds::render(s.tera(), e, lang)?.trim());
                Ok(())
            }
            None => Ok(()),
        },
        Placeholder::Mark { target, part } => marks.push(target, part, out),
    })
}

/// The marks of one text met so far, with the markup already rendered for them.
struct Marks<'s, 'a> {
    s: &'s Shared<'a>,
    owner: Owner,
    feed: bool,
    lang: &'s str,
    seen: Vec<Seen>,
}

/// One mark's data and the markup of its words, rendered once per text.
struct Seen {
    target: String,
    data: Option<tera::Value>,
    /// Opening and closing markup of the first piece.
    first: Option<(String, String)>,
    /// Opening and closing markup of every later piece.
    later: Option<(String, String)>,
}

impl Marks<'_, '_> {
    fn push(&mut self, target: &str, part: Part, out: &mut String) -> Result<(), tera::Error> {
        let k = match self.seen.iter().position(|m| m.target == target) {
            Some(k) => k,
            None => {
                let data = self.data(target);
                self.seen.push(Seen {
                    target: target.to_string(),
                    data,
                    first: None,
                    later: None,
                });
                self.seen.len() - 1
            }
        };
        let (owner, s, feed, lang) = (self.owner, self.s, self.feed, self.lang);
        let Seen {
            data, first, later, ..
        } = &mut self.seen[k];
        // A target the page does not know (not one the link stage wrote) shows nothing.
        let Some(data) = data.as_ref() else {
            return Ok(());
        };
        let render = |part: &str, first: bool| -> Result<String, tera::Error> {
            let mut ctx = Context::new();
            ctx.insert("mark", data);
            ctx.insert("part", part);
            ctx.insert("first", &first);
            ctx.insert("words", WORDS);
            ctx.insert("feed", &feed);
            ctx.insert("lang", lang);
            ctx.insert("root", &root_of(s, owner));
            s.tera().render(TEMPLATE, &ctx)
        };
        let words = |first: bool| -> Result<(String, String), tera::Error> {
            let html = render("words", first)?;
            match html.split_once(WORDS) {
                Some((open, close)) if !close.contains(WORDS) => {
                    Ok((open.trim_start().to_string(), close.trim_end().to_string()))
                }
                _ => Err(tera::Error::message(format!(
                    "{TEMPLATE} must write `words` exactly once for `part == \"words\"` (mark `{target}`)"
                ))),
            }
        };
        match part {
            Part::First | Part::Open => {
                let cell = if part == Part::First { first } else { later };
                if cell.is_none() {
                    *cell = Some(words(part == Part::First)?);
                }
                if let Some((open, _)) = cell {
                    out.push_str(open);
                }
            }
            // Every piece closes as the first one does: a theme that closes the first
            // piece otherwise than the later ones is not supported.
            Part::Close => {
                if first.is_none() && later.is_none() {
                    *first = Some(words(true)?);
                }
                if let Some((_, close)) = first.as_ref().or(later.as_ref()) {
                    out.push_str(close);
                }
            }
            Part::After => out.push_str(render("after", false)?.trim()),
            Part::Block => out.push_str(render("block", false)?.trim()),
        }
        Ok(())
    }

    /// The data of mark `target` as `mark.html` sees it (`{type, data}`).
    fn data(&self, target: &str) -> Option<tera::Value> {
        let s = self.s;
        let (kind, rest) = target.split_at_checked(1)?;
        let value = match (self.owner, kind) {
            (Owner::Article(i), "q" | "o") => {
                let index: usize = rest.parse().ok()?;
                let e = &s.archive.articles[i];
                let quote = e.article.quotes.get(index)?;
                let data = s.quote(QuoteRef { article: i, index });
                if kind == "q" {
                    json!({"type": "quote", "data": data, "anchor": quote.fragment(), "wording_lang": ""})
                } else {
                    // The original wording takes the quote's id when it stands alone.
                    let both = e.body.both_in_body.get(index).copied().unwrap_or(false);
                    let anchor = if both {
                        format!("{}-original", quote.fragment())
                    } else {
                        quote.fragment()
                    };
                    let lang = quote
                        .original
                        .as_ref()
                        .map_or("", |o| o.language.value.as_str());
                    json!({"type": "quote", "data": data, "anchor": anchor, "wording_lang": lang})
                }
            }
            (Owner::Article(i), "n") => {
                let j: usize = rest.parse().ok()?;
                let e = &s.archive.articles[i];
                (j < e.article.annotations.len()).then_some(())?;
                json!({"type": "note", "data": super::article::annotation_view(s, i, j)})
            }
            (Owner::Copy(c), "c") => {
                let q = quote_ref(rest)?;
                json!({"type": "copy_quote", "data": copy_quote(s, c, q)?})
            }
            (Owner::Copy(_), "d") => {
                let q = quote_ref(rest)?;
                let e = s.archive.articles.get(q.article)?;
                let quote = e.article.quotes.get(q.index)?;
                json!({"type": "copy_differs", "data": {
                    "id": format!("differs-{}", crate::link::copy_mark_id(&e.article, quote)),
                    "article": quote_link(s, q),
                }})
            }
            _ => return None,
        };
        Some(tera::Value::from_serializable(&value))
    }
}

/// Prefix from the page showing the text to the site root.
fn root_of(s: &Shared<'_>, owner: Owner) -> String {
    let dir = match owner {
        Owner::Article(i) => &s.archive.articles[i].dir,
        Owner::Copy(c) => &s.archive.copies[c].dir,
        Owner::None => return String::new(),
    };
    crate::routes::dirs::root_prefix(dir)
}

/// `A.J` as a quote reference.
fn quote_ref(s: &str) -> Option<QuoteRef> {
    let (a, j) = s.split_once('.')?;
    Some(QuoteRef {
        article: a.parse().ok()?,
        index: j.parse().ok()?,
    })
}

/// A link to quote `q` in its article.
fn quote_link<'a>(s: &Shared<'a>, q: QuoteRef) -> ArticleLink<'a> {
    let e = &s.archive.articles[q.article];
    let mut link = s.article_link(q.article);
    link.href = format!("{}#{}", link.href, e.article.quotes[q.index].fragment());
    link
}

/// A quote found in an archived copy, as its mark shows it.
#[derive(Serialize)]
struct CopyQuote<'a> {
    /// The mark's id in the copy's page.
    id: String,
    /// Who said it.
    speaker: &'a str,
    /// Each article that takes the quote (the same words of the same speaker) from the
    /// copy, linked to the quote there, in article order.
    articles: Vec<ArticleLink<'a>>,
}

fn copy_quote<'a>(s: &Shared<'a>, c: usize, q: QuoteRef) -> Option<CopyQuote<'a>> {
    let a = s.archive;
    let e = a.articles.get(q.article)?;
    let quote = e.article.quotes.get(q.index)?;
    let group = *e.quote_groups.get(q.index)?;
    let articles = a.copies[c]
        .found
        .iter()
        .filter(|r| a.articles[r.article].quote_groups.get(r.index) == Some(&group))
        .map(|&r| quote_link(s, r))
        .collect();
    Some(CopyQuote {
        id: crate::link::copy_mark_id(&e.article, quote),
        speaker: &a.people[*e.quote_speakers.get(q.index)?].name,
        articles,
    })
}

/// Whether a note's HTML holds only paragraphs of inline content, so that it may also
/// stand inside a paragraph (as the margin copy of a side note).
pub(crate) fn holds_only_paragraphs(html: &str) -> bool {
    const BLOCKS: [&str; 18] = [
        "<ul",
        "<ol",
        "<li",
        "<blockquote",
        "<pre",
        "<table",
        "<div",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<hr",
        "<figure",
        "<dl",
        "<aside",
        "<section",
    ];
    !BLOCKS.iter().any(|b| html.contains(b))
}
