//! A WordPress body (HTML, classic or Gutenberg) made into gloss Markdown: Gutenberg's
//! `<!-- wp:… -->` comments removed (embed blocks read first, reusable blocks
//! inlined), shortcodes converted
//! (`[caption]` to a figure, `[embed]`, `[youtube]`, `[vimeo]` and bare YouTube/Vimeo
//! addresses to videos, `[gallery]` to figures of its images, `[video]` to a video of a
//! file), tweets to social posts with their text, `<figure>`s and YouTube/Vimeo iframes
//! to blocks, image addresses to the copied uploads, links to the site's own posts
//! made relative; then wpautop and the Markdown conversion of [`super::html`].
//! Every step is counted; what it cannot convert is listed with its body line.

use std::collections::BTreeMap;

use super::embeds;
use super::html::{attr, autop, tag_name, to_markdown};
use super::media::{Attachment, Uploads};

/// What a body refers to outside itself.
pub(crate) struct Context<'a> {
    pub(crate) attachments: &'a BTreeMap<u64, Attachment>,
    /// The post's id (a `[gallery]` without ids shows the images attached to it).
    pub(crate) post_id: u64,
    /// Old paths of the site's posts and pages (`/2024/03/x/`) to their new ones.
    pub(crate) links: &'a BTreeMap<String, String>,
    /// The topics the site will have (`/category/x/` and `/tag/x/` links go there).
    pub(crate) topics: &'a std::collections::BTreeSet<String>,
    /// Authors' logins to person ids (`/author/login/` links go to their pages).
    pub(crate) people: &'a BTreeMap<String, String>,
    /// The blog's address (`https://x.org/`).
    pub(crate) base: &'a str,
    pub(crate) converter: &'a htmd::HtmlToMarkdown,
    /// The reusable blocks (`wp_block` items) by id, their content as stored.
    pub(crate) reusable: &'a BTreeMap<u64, String>,
}

/// A converted body.
#[derive(Debug, Default)]
pub(crate) struct Converted {
    pub(crate) text: String,
    /// Each conversion, with an example.
    pub(crate) done: Vec<(String, String)>,
    /// What stayed as it was: (body line, what).
    pub(crate) left: Vec<(u32, String)>,
}

/// Work in progress: the text, the blocks made so far (as placeholders in the text).
pub(super) struct Pass<'a, 'u> {
    pub(super) ctx: &'a Context<'a>,
    uploads: &'u mut Uploads,
    original: &'a str,
    blocks: Vec<String>,
    out: Converted,
}

/// A placeholder standing for block `n` until Markdown is written: letters and digits
/// only, so no converter escapes it, on a paragraph of its own.
fn placeholder(n: usize) -> String {
    format!("\n\nGLOSSEMBED{n}X\n\n")
}

impl Pass<'_, '_> {
    /// Stands `block` in the text; returns its placeholder.
    pub(super) fn put(&mut self, block: String) -> String {
        self.blocks.push(block);
        placeholder(self.blocks.len() - 1)
    }

    /// Counts a conversion.
    pub(super) fn done(&mut self, what: &str, example: &str) {
        self.out
            .done
            .push((what.to_string(), crate::import::one_line(example)));
    }

    /// Lists `what`, found at `needle` of the original body.
    fn left(&mut self, needle: &str, what: String) {
        let line = self
            .original
            .find(needle)
            .map_or(1, |i| self.original[..i].matches('\n').count() as u32 + 1);
        self.out.left.push((line, what));
    }
}

/// Converts `html`, the body of a post or page.
pub(crate) fn convert(html: &str, ctx: &Context<'_>, uploads: &mut Uploads) -> Converted {
    let text = html.replace("\r\n", "\n");
    let mut p = Pass {
        ctx,
        uploads,
        original: html,
        blocks: Vec::new(),
        out: Converted::default(),
    };
    let text = gutenberg(&text, &mut p);
    let text = super::tweets::convert(&text, &mut p);
    let text = super::shortcodes::convert(&text, &mut p_handle(&mut p));
    let text = figures(&text, &mut p);
    let text = iframes(&text, &mut p);
    let text = bare_urls(&text, &mut p);
    let text = addresses(&text, &mut p);
    let (md, kept) = to_markdown(&autop(&text), ctx.converter);
    if kept > 0 {
        p.out.done.push((
            "HTML block kept as HTML (tables, classes, sup, …)".into(),
            format!("{kept} in this body"),
        ));
    }
    let mut md = md;
    for (n, block) in p.blocks.iter().enumerate().rev() {
        md = md.replace(&format!("GLOSSEMBED{n}X"), block);
    }
    p.out.text = md;
    p.out
}

/// The part of a pass shortcodes see.
pub(crate) struct Handle<'p, 'a, 'u> {
    pass: &'p mut Pass<'a, 'u>,
}

fn p_handle<'p, 'a, 'u>(p: &'p mut Pass<'a, 'u>) -> Handle<'p, 'a, 'u> {
    Handle { pass: p }
}

impl Handle<'_, '_, '_> {
    /// Stands `block` in the text; returns its placeholder.
    pub(crate) fn put(&mut self, block: String) -> String {
        self.pass.put(block)
    }
    /// Counts a conversion.
    pub(crate) fn done(&mut self, what: &str, example: &str) {
        self.pass.done(what, example);
    }
    /// Lists what stays, found at `needle` of the original body.
    pub(crate) fn left(&mut self, needle: &str, what: String) {
        self.pass.left(needle, what);
    }
    /// The attachments of the export.
    pub(crate) fn attachments(&self) -> &BTreeMap<u64, Attachment> {
        self.pass.ctx.attachments
    }
    /// The post's id.
    pub(crate) fn post_id(&self) -> u64 {
        self.pass.ctx.post_id
    }
    /// The address an image of the body gets in the new site.
    pub(crate) fn media(&mut self, url: &str) -> String {
        self.pass.uploads.map(url)
    }
    /// Inline HTML (a caption) as inline Markdown.
    pub(crate) fn inline(&self, html: &str) -> String {
        inline(html, self.pass.ctx.converter)
    }
}

/// Inline HTML as one line of Markdown.
pub(super) fn inline(html: &str, converter: &htmd::HtmlToMarkdown) -> String {
    let md = converter
        .convert(&format!("<p>{}</p>", html.trim()))
        .unwrap_or_else(|_| html.to_string());
    md.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes Gutenberg's block comments; an embed block (`wp:embed`, the older
/// `wp:core-embed/…`) becomes gloss's block for its address.
fn gutenberg(text: &str, p: &mut Pass<'_, '_>) -> String {
    gutenberg_at(text, p, &mut Vec::new())
}

/// [`gutenberg`] inside the reusable blocks `chain` (a block that includes itself,
/// directly or not, is not inlined again).
fn gutenberg_at(text: &str, p: &mut Pass<'_, '_>, chain: &mut Vec<u64>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
        let comment = &rest[..end];
        let inner = comment.strip_prefix("<!--").unwrap_or(comment);
        // An unclosed comment runs to the end of the body.
        let inner = inner.strip_suffix("-->").unwrap_or(inner).trim();
        rest = &rest[end..];
        if let Some(open) = inner.strip_prefix("wp:") {
            let name = open.split_whitespace().next().unwrap_or("");
            let attrs = open[name.len()..].trim().trim_end_matches('/').trim();
            if name == "embed" || name.starts_with("core-embed/") {
                let close = format!("<!-- /wp:{name} -->");
                let (inside, after) = match rest.find(&close) {
                    Some(c) => (&rest[..c], &rest[c + close.len()..]),
                    None => ("", rest),
                };
                embed_block(comment, attrs, inside, p, &mut out);
                rest = after;
                continue;
            }
            if name == "block" && reusable_block(comment, attrs, p, chain, &mut out) {
                continue;
            }
            p.done("Gutenberg block comment removed", comment);
        } else if inner.starts_with("/wp:") {
            // The closing half of a block already counted.
        } else if inner == "more" || inner.starts_with("more ") || inner == "nextpage" {
            p.done("`<!--more-->` / `<!--nextpage-->` marker removed", comment);
        } else {
            out.push_str(comment);
        }
    }
    out.push_str(rest);
    out
}

/// Inlines the reusable block `<!-- wp:block {"ref":N} /-->` names (its own blocks
/// converted too); false, and listed, when the export lacks it or it includes itself.
fn reusable_block(
    comment: &str,
    attrs: &str,
    p: &mut Pass<'_, '_>,
    chain: &mut Vec<u64>,
    out: &mut String,
) -> bool {
    let id = serde_json::from_str::<serde_json::Value>(attrs)
        .ok()
        .and_then(|v| v.get("ref").and_then(serde_json::Value::as_u64));
    let found = id
        .filter(|id| !chain.contains(id))
        .and_then(|id| p.ctx.reusable.get(&id).map(|c| (id, c)));
    let Some((id, content)) = found else {
        p.left(
            comment,
            format!(
                "reusable block `{}` is not in the export (or includes itself): left out",
                crate::import::one_line(comment)
            ),
        );
        return false;
    };
    p.done(
        "reusable block (`wp:block`) -> its content, inlined",
        comment,
    );
    chain.push(id);
    let inner = gutenberg_at(content, p, chain);
    chain.pop();
    out.push_str("\n\n");
    out.push_str(&inner);
    out.push_str("\n\n");
    true
}

fn embed_block(comment: &str, attrs: &str, inside: &str, p: &mut Pass<'_, '_>, out: &mut String) {
    let json: serde_json::Value = serde_json::from_str(attrs).unwrap_or_default();
    let url = json
        .get("url")
        .and_then(|u| u.as_str())
        .map(str::to_string)
        .or_else(|| {
            inside
                .lines()
                .map(str::trim)
                .find(|l| l.starts_with("http"))
                .map(str::to_string)
        })
        .unwrap_or_default();
    let caption = between(inside, "<figcaption", "</figcaption>")
        .map(|c| inline(c.split_once('>').map_or(c, |(_, t)| t), p.ctx.converter))
        .unwrap_or_default();
    match embeds::for_url(&url, &caption) {
        Some(block) => {
            let what = match embeds::classify(&url) {
                Some(embeds::Embed::Tweet(..)) => {
                    p.left(
                        comment,
                        format!("tweet {url}: the export holds only its address; add its `text:` to the social block"),
                    );
                    "Gutenberg embed block -> `social` block"
                }
                _ => "Gutenberg embed block -> `video` block",
            };
            p.done(what, &url);
            let ph = p.put(block);
            out.push_str(&ph);
        }
        None => {
            p.left(
                comment,
                format!("embed of {url}: no gloss block for it, kept as a link"),
            );
            out.push_str(&format!("\n\n<p><a href=\"{url}\">{url}</a></p>\n\n"));
        }
    }
}

/// The text between `open` and `close` (both excluded), if present.
fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let i = text.find(open)? + open.len();
    let j = text[i..].find(close)? + i;
    Some(&text[i..j])
}

/// A `<figure>` holding one image (a block editor image, a classic `wp-caption`)
/// becomes a figure block; one holding anything else (a table, a gallery) stays.
fn figures(text: &str, p: &mut Pass<'_, '_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<figure") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(close) = rest.find("</figure>") else {
            break;
        };
        let fig = &rest[..close + "</figure>".len()];
        let images = fig.matches("<img").count();
        let other = ["<table", "<figure", "<video", "<iframe"]
            .iter()
            .any(|t| fig[1..].contains(t));
        match image_parts(fig).filter(|_| images == 1 && !other) {
            Some((src, alt, link)) => {
                let caption = between(fig, "<figcaption", "</figcaption>")
                    .map(|c| inline(c.split_once('>').map_or(c, |(_, t)| t), p.ctx.converter))
                    .unwrap_or_default();
                let src = p.uploads.map(&src);
                let link = link.map(|l| p.uploads.map(&l));
                p.done("`<figure>` image -> `figure` block", &src);
                let ph = p.put(embeds::figure(&src, &alt, &caption, "", link.as_deref()));
                out.push_str(&ph);
            }
            None => out.push_str(fig),
        }
        rest = &rest[fig.len()..];
    }
    out.push_str(rest);
    out
}

/// The first image of `html`: its source, alt text and the link around it, if any.
pub(crate) fn image_parts(html: &str) -> Option<(String, String, Option<String>)> {
    let i = html.find("<img")?;
    let end = html[i..].find('>').map_or(html.len(), |e| i + e + 1);
    let img = &html[i..end];
    let src = attr(img, "src")?;
    let alt = super::media::decode_entities(&attr(img, "alt").unwrap_or_default());
    let link = html[..i]
        .rfind("<a ")
        .and_then(|a| attr(&html[a..i], "href"))
        .filter(|l| l != &src);
    Some((src, alt, link))
}

/// YouTube and Vimeo iframes become video blocks (gloss embeds no third party); others
/// are listed (the sanitiser removes them).
fn iframes(text: &str, p: &mut Pass<'_, '_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<iframe") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest
            .find("</iframe>")
            .map_or_else(|| rest.find('>').map_or(rest.len(), |e| e + 1), |e| e + 9);
        let frame = &rest[..end];
        let src = attr(frame, "src").unwrap_or_default();
        let title = attr(frame, "title").unwrap_or_default();
        match embeds::for_url(&src, &title) {
            Some(block) => {
                p.done("YouTube/Vimeo iframe -> `video` block", &src);
                let ph = p.put(block);
                out.push_str(&ph);
            }
            None => {
                p.left(
                    frame,
                    format!("iframe of `{src}`: markdown.html: sanitize removes it"),
                );
                out.push_str(frame);
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A YouTube, Vimeo or Twitter address alone on its line is an oEmbed in WordPress.
fn bare_urls(text: &str, p: &mut Pass<'_, '_>) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let t = t
            .strip_prefix("<p>")
            .and_then(|t| t.strip_suffix("</p>"))
            .unwrap_or(t);
        match embeds::for_url(t, "").filter(|_| !t.contains(' ') && tag_name(t).is_none()) {
            Some(block) => {
                if let Some(embeds::Embed::Tweet(..)) = embeds::classify(t) {
                    p.left(
                        t,
                        format!("tweet {t}: the export holds only its address; add its `text:` to the social block"),
                    );
                }
                p.done("address alone on a line (oEmbed) -> embed block", t);
                let ph = p.put(block);
                out.push_str(&ph);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Image sources and links to the uploads become the copied files' paths (or stay on
/// the original site); links to the site's own posts and pages become their new paths.
fn addresses(text: &str, p: &mut Pass<'_, '_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = ["src=\"", "href=\""]
        .iter()
        .filter_map(|m| rest.find(m).map(|i| i + m.len()))
        .min()
    {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find('"').unwrap_or(rest.len());
        let url = &rest[..end];
        if url.contains("/wp-content/uploads/") {
            out.push_str(&p.uploads.map(url));
        } else if let Some(new) =
            super::permalinks::path_of(url, p.ctx.base).and_then(|path| p.ctx.links.get(&path))
        {
            p.done("link to the site's own post or page -> its new path", url);
            out.push_str(new);
        } else if let Some(new) =
            super::permalinks::path_of(url, p.ctx.base).and_then(|path| archive_page(&path, p.ctx))
        {
            p.done(
                "link to a category, tag or author archive -> the topic's or person's page",
                url,
            );
            out.push_str(&new);
        } else {
            out.push_str(url);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The gloss page of a WordPress archive page: `/category/parent/x/` and `/tag/x/` the
/// topic `x`, `/author/login/` the author's person page (when the site has them).
fn archive_page(path: &str, ctx: &Context<'_>) -> Option<String> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["category", .., name] | ["tag", name] => {
            let id = super::plan::topic_id(name, name);
            ctx.topics.contains(&id).then(|| format!("/topics/{id}/"))
        }
        ["author", login] => ctx
            .people
            .get(*login)
            .filter(|id| !id.is_empty())
            .map(|id| format!("/people/{id}/")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(html: &str) -> Converted {
        let reusable = BTreeMap::from([(
            7,
            "<!-- wp:paragraph -->\n<p>Tips: call <strong>311</strong>.</p>\n<!-- /wp:paragraph -->\n<!-- wp:block {\"ref\":7} /-->".to_string(),
        )]);
        let (attachments, links, topics, people) = Default::default();
        let converter = super::super::html::converter();
        let ctx = Context {
            attachments: &attachments,
            post_id: 1,
            links: &links,
            topics: &topics,
            people: &people,
            base: "https://x.example/",
            converter: &converter,
            reusable: &reusable,
        };
        convert(html, &ctx, &mut Uploads::default())
    }

    #[test]
    fn unknown_shortcodes_are_listed_at_their_line() {
        let out = run("One.\n\nTwo [sic] and [poll id=\"3\"] here.\n\n[[caption]]");
        assert_eq!(
            out.left,
            [(3, "shortcode `[poll id=\"3\"]` left as written".to_string())]
        );
        assert!(out.text.contains(r"\[caption\]"), "{}", out.text);
    }

    #[test]
    fn reusable_blocks_are_inlined_once_and_missing_ones_listed() {
        let out =
            run("Before.\n\n<!-- wp:block {\"ref\":7} /-->\n\n<!-- wp:block {\"ref\":9} /-->");
        // Block 7 includes itself: inlined up to the depth limit, then listed.
        assert!(
            out.text.starts_with("Before.\n\nTips: call **311**."),
            "{}",
            out.text
        );
        assert!(!out.text.contains("<!--"), "{}", out.text);
        assert!(
            out.left.iter().any(|(line, what)| *line == 5
                && what == "reusable block `<!-- wp:block {\"ref\":9} /-->` is not in the export (or includes itself): left out"),
            "{:?}",
            out.left
        );
    }

    proptest! {
        // Bodies are user data: no slice of them may panic, whatever they hold.
        #[test]
        fn any_body_converts_without_panicking(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", ">", "[", "]", "\"", "'", "=", "/", "\n", "\n\n", " ", "é", "—", "a",
                    "<!--", "-->", "<!-- wp:embed {\"url\":\"https://youtu.be/x\"} -->",
                    "<!-- /wp:embed -->", "[caption id=\"attachment_1\"]", "[/caption]",
                    "<img src=\"/wp-content/uploads/a.jpg\" alt=\"x\">", "<figure>", "</figure>",
                    "<blockquote class=\"twitter-tweet\">", "</blockquote>", "<p>", "</p>",
                    "<pre>", "</pre>", "<table>", "</table>", "[gallery]", "[embed]",
                    "https://vimeo.com/1", "<iframe src=\"https://youtu.be/y\">", "&mdash;",
                    "<a href=\"https://x.example/?p=1\">", "</a>", "<script>", "</script>",
                ]),
                0..40,
            )
        ) {
            let _ = run(&parts.concat());
        }
    }
}
