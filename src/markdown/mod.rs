//! Markdown to HTML with pulldown-cmark, as every stage that shows Markdown needs it:
//! site options applied, raw HTML escaped, sanitised or trusted (see [`html`]), and
//! gloss's own link schemes (`person:`, `topic:`, ...) handed to a resolver that
//! returns the real URL.

pub mod embeds;
pub mod headings;
pub mod html;
pub mod marks;
pub mod placeholders;

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

pub use crate::model::HtmlMode;

/// How to render Markdown; from `site.yaml`.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Curly quotes, dashes and ellipses.
    pub smart_punctuation: bool,
    /// What becomes of raw HTML.
    pub html: HtmlMode,
    /// Whether ```` ```figure ````, ```` ```video ```` and ```` ```social ```` blocks are
    /// embeds (see [`embeds`]); else they are code, as in texts shown inside others.
    pub embeds: bool,
}

impl MarkdownOptions {
    /// The options `site.yaml` sets.
    pub fn of(config: &crate::model::Config) -> Self {
        MarkdownOptions {
            smart_punctuation: config.smart_punctuation,
            html: config.html,
            embeds: true,
        }
    }
}

/// The link schemes gloss resolves inside bodies.
pub const SCHEMES: [&str; 6] = ["person", "topic", "outlet", "source", "article", "quote"];

/// A gloss link found in a body: `[text](scheme:target)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossLink<'a> {
    /// One of [`SCHEMES`].
    pub scheme: &'a str,
    /// What follows the colon.
    pub target: &'a str,
    /// Byte range of the whole link in the Markdown text.
    pub range: Range<usize>,
    /// True for an image (`![alt](dest)`), false for a link.
    pub is_image: bool,
}

/// What a resolver makes of a link: the URL to write, and for an image of the site with
/// resized variants, what the `<img>` gets besides `src`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The URL, relative to the page.
    pub url: String,
    /// `srcset`, `sizes`, `width` and `height` of an image, when it has them.
    pub image: Option<ImageAttrs>,
}

impl From<String> for Resolved {
    fn from(url: String) -> Self {
        Resolved { url, image: None }
    }
}

/// The attributes of a responsive `<img>` besides `src` and `alt` (see
/// [`crate::link::images`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ImageAttrs {
    /// Candidates, `URL 480w, URL 960w, …`, URLs relative to the page; empty when the
    /// image has no copies (it is no wider than the smallest).
    pub srcset: String,
    /// The `sizes` attribute (empty without `srcset`).
    pub sizes: String,
    /// Intrinsic width in pixels (of the original).
    pub width: u32,
    /// Intrinsic height in pixels.
    pub height: u32,
}

/// What rendering a body produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Plain text of the first paragraph (the default summary).
    pub first_paragraph: String,
    /// The headings with their ids, in document order (none with [`HeadingIds::Off`]).
    pub headings: Vec<headings::Heading>,
    /// The names of the footnotes, which are ids of the HTML as well.
    pub footnotes: Vec<String>,
    /// Links to a fragment of the same page, `[x](#fragment)`: the fragment as written
    /// (without `#`, not empty) and the link's byte range in the Markdown.
    pub fragment_links: Vec<(String, Range<usize>)>,
    /// The byte ranges of images with no text alternative (`![](x.png)`).
    pub images_without_alt: Vec<Range<usize>>,
    /// Raw HTML escaped or removed, and template syntax left in the text.
    pub report: html::HtmlReport,
    /// The figures, videos and social posts, in order: the HTML holds
    /// [`placeholders::embed_comment`]`(n)` where the theme's markup for the `n`th goes.
    pub embeds: Vec<embeds::Embed>,
    /// Problems of those blocks, each at a byte range of the Markdown (the
    /// diagnostic's path and span are left for the caller to fill).
    pub embed_problems: Vec<(Range<usize>, crate::diag::Diagnostic)>,
}

/// Which ids the headings of a text get.
#[derive(Clone, Copy)]
pub enum HeadingIds<'a> {
    /// None: the text is shown inside another one (annotation notes) or not at all.
    Off,
    /// GitHub-style ids (see [`headings`]), none of them one that `taken` holds: the ids
    /// the page has besides this text's.
    On(&'a dyn Fn(&str) -> bool),
}

fn parser_options(o: MarkdownOptions) -> Options {
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if o.smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    opts
}

/// The scheme a root-relative path (`/assets/x.png`, `/about/`) is handed to the resolver
/// under, with the path after the first `/` as its target: gloss writes it relative to
/// the page, so the site works under any sub-path.
pub const SITE_PATH: &str = "site";

/// True for `/path` (not `//host`, a URL without its scheme).
pub fn is_root_relative(dest: &str) -> bool {
    dest.starts_with('/') && !dest.starts_with("//")
}

/// The scheme a relative path (`chart.png`, `data/x.csv`, `../other/`) is handed to the
/// resolver under, with the path as written as its target: gloss looks for it beside the
/// page (a bundle's files), then from the root (`static/`).
pub const PAGE_PATH: &str = "relative";

/// True for a path relative to the page: no scheme (`https:`, `mailto:`), not `/…`,
/// `//host`, `#fragment` or `?query` alone.
pub fn is_page_relative(dest: &str) -> bool {
    let path_end = dest.find(['/', '?', '#']).unwrap_or(dest.len());
    !dest.is_empty() && !dest.starts_with(['/', '#', '?']) && !dest[..path_end].contains(':')
}

/// Splits `scheme:target` if the scheme is one of gloss's.
pub fn gloss_link(dest: &str) -> Option<(&str, &str)> {
    let (scheme, target) = dest.split_once(':')?;
    SCHEMES.contains(&scheme).then_some((scheme, target))
}

fn is_dangerous_url(dest: &str) -> bool {
    let lower: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// Renders `text`. Each gloss link is passed to `resolve`, which returns the URL to use
/// (or `None` to leave the link inert, after reporting the problem itself).
pub fn render(
    text: &str,
    options: MarkdownOptions,
    ids: HeadingIds<'_>,
    resolve: &mut dyn FnMut(&GlossLink<'_>) -> Option<Resolved>,
) -> Rendered {
    render_marked(text, options, ids, resolve, &mut |_| Vec::new())
}

/// Renders `text` like [`render`], then wraps the passages `anchor` picks in the body's
/// visible text (see [`marks`]).
pub fn render_marked(
    text: &str,
    options: MarkdownOptions,
    ids: HeadingIds<'_>,
    resolve: &mut dyn FnMut(&GlossLink<'_>) -> Option<Resolved>,
    anchor: &mut dyn FnMut(&marks::TextModel) -> Vec<marks::Mark>,
) -> Rendered {
    let parser = Parser::new_ext(text, parser_options(options)).into_offset_iter();
    let mut first_paragraph = String::new();
    let mut paragraph_state = 0u8; // 0 before the first paragraph, 1 inside it, 2 after
    let mut events: Vec<Event<'_>> = Vec::with_capacity(text.len() / 16);
    // Byte range of each event, for the headings' ranges.
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(text.len() / 16);
    let mut fragment_links = Vec::new();
    let mut images_without_alt = Vec::new();
    // The open image and whether text (its alt) came since.
    let mut image: Option<(Range<usize>, bool)> = None;
    let mut footnotes = Vec::new();
    // The responsive attributes of each image, in document order.
    let mut image_attrs: Vec<Option<ImageAttrs>> = Vec::new();
    let mut raw = RawHtml::default();
    let mut block: Option<embeds::Block> = None;
    let mut embed_list = Vec::new();
    let mut embed_problems = Vec::new();
    for (event, range) in parser {
        if let Some(b) = &mut block {
            match event {
                Event::Text(t) => b.push(&t, &range),
                Event::End(TagEnd::CodeBlock) => {
                    let read = embeds::read(b, text, options, resolve);
                    embed_problems.extend(read.problems);
                    if let Some(e) = read.embed {
                        let mut token = placeholders::embed_token(embed_list.len());
                        token.push('\n');
                        embed_list.push(e);
                        events.push(Event::Html(CowStr::Boxed(token.into_boxed_str())));
                        ranges.push(range);
                    }
                    block = None;
                }
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event
            && options.embeds
            && let Some(kind) = embeds::kind_of(info)
        {
            block = Some(embeds::Block::new(kind, range));
            continue;
        }
        match &event {
            Event::Start(Tag::Paragraph) if paragraph_state == 0 => paragraph_state = 1,
            Event::End(TagEnd::Paragraph) if paragraph_state == 1 => paragraph_state = 2,
            Event::Text(t) | Event::Code(t) if paragraph_state == 1 => first_paragraph.push_str(t),
            Event::SoftBreak | Event::HardBreak if paragraph_state == 1 => {
                first_paragraph.push(' ')
            }
            Event::Start(Tag::FootnoteDefinition(name)) => footnotes.push(name.to_string()),
            _ => {}
        }
        raw.see(&event, &range);
        match &event {
            Event::Start(Tag::Image { .. }) => image = Some((range.clone(), false)),
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some((_, has_text)) = &mut image {
                    *has_text = true;
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((r, false)) = image.take() {
                    images_without_alt.push(r);
                }
            }
            _ => {}
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Some(fragment) = dest_url.strip_prefix('#').filter(|f| !f.is_empty()) {
                    fragment_links.push((fragment.to_string(), range.clone()));
                }
                let (dest_url, _) = rewrite_dest(
                    text,
                    dest_url,
                    range.clone(),
                    link_type,
                    options,
                    resolve,
                    false,
                );
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (dest_url, attrs) =
                    image_src(text, dest_url, range.clone(), link_type, options, resolve);
                image_attrs.push(attrs);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Html(html) | Event::InlineHtml(html) if options.html == HtmlMode::Escape => {
                Event::Text(html)
            }
            other => other,
        };
        let event = unforged(event);
        if !push_merged(&mut events, event) {
            ranges.push(range);
        }
    }
    let headings = match ids {
        HeadingIds::On(taken) => headings::assign(
            &mut events,
            &mut ranges,
            text,
            taken,
            options.html == HtmlMode::Trust,
        ),
        HeadingIds::Off => {
            headings::strip(&mut events);
            Vec::new()
        }
    };
    let model = marks::TextModel::new(&events);
    let found = anchor(&model);
    let mut events = marks::apply(events, &model, &found);
    if image_attrs.iter().any(Option::is_some) {
        events = sized_images(events, &image_attrs);
    }
    let mut html = String::with_capacity(text.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let report = raw.finish(text, options.html, &mut html);
    if !embed_list.is_empty() || !found.is_empty() {
        html = placeholders::comment(&html);
    }
    Rendered {
        html,
        first_paragraph: first_paragraph.trim().to_string(),
        headings,
        footnotes,
        fragment_links,
        images_without_alt,
        report,
        embeds: embed_list,
        embed_problems,
    }
}

/// `event` without the characters of placeholder tokens in its text: an author's
/// text never stands for the theme's markup.
fn unforged(event: Event<'_>) -> Event<'_> {
    fn clean(t: CowStr<'_>) -> CowStr<'_> {
        match placeholders::forged(&t) {
            Some(c) => CowStr::Boxed(c.into_boxed_str()),
            None => t,
        }
    }
    match event {
        Event::Text(t) => Event::Text(clean(t)),
        Event::Code(t) => Event::Code(clean(t)),
        Event::Html(t) => Event::Html(clean(t)),
        Event::InlineHtml(t) => Event::InlineHtml(clean(t)),
        other => other,
    }
}

/// What a body holds besides Markdown, noted while its events pass: raw HTML (with
/// its place) and code (where template syntax may be shown on purpose).
#[derive(Default)]
struct RawHtml {
    fragments: Vec<Range<usize>>,
    code: Vec<Range<usize>>,
    code_block_start: Option<usize>,
}

impl RawHtml {
    fn see(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Html(_) | Event::InlineHtml(_) => self.fragments.push(range.clone()),
            Event::Code(_) => self.code.push(range.clone()),
            Event::Start(Tag::CodeBlock(_)) => self.code_block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                let start = self.code_block_start.take().unwrap_or(range.start);
                self.code.push(start..range.end);
            }
            _ => {}
        }
    }

    /// The report, sanitising `html` in place in `sanitize` mode. A body without raw
    /// HTML holds only gloss's own markup, so it skips the sanitiser's parse.
    fn finish(self, text: &str, mode: HtmlMode, out: &mut String) -> html::HtmlReport {
        let (templates, template_first) = html::templates(text, &self.code);
        let mut report = html::HtmlReport {
            templates,
            template_first,
            ..Default::default()
        };
        let source = |r: &Range<usize>| text.get(r.clone()).unwrap_or("");
        match mode {
            HtmlMode::Trust => {}
            HtmlMode::Escape => {
                for r in &self.fragments {
                    let (n, first) = html::count_tags(source(r));
                    report.escaped += n;
                    if let Some(at) = first {
                        report.escaped_at.get_or_insert(r.start + at);
                    }
                }
            }
            HtmlMode::Sanitize if !self.fragments.is_empty() => {
                let (clean, removed) = html::sanitize(out);
                *out = clean;
                report.removed_at = self
                    .fragments
                    .iter()
                    .find_map(|r| html::first_removed(source(r), &removed).map(|at| r.start + at));
                // A removal no single fragment shows (a tag split over two lines of an
                // HTML block) is placed at the first fragment, so it is still reported.
                if !removed.is_empty() && report.removed_at.is_none() {
                    report.removed_at = self.fragments.first().map(|r| r.start);
                }
                report.removed = removed;
            }
            HtmlMode::Sanitize => {}
        }
        report
    }
}

/// The text a reader sees of `text` rendered (for archived copies).
pub fn visible_text(text: &str, options: MarkdownOptions) -> String {
    let mut visible = String::new();
    render_marked(
        text,
        options,
        HeadingIds::Off,
        &mut |_| None,
        &mut |model| {
            visible = model.text.clone();
            Vec::new()
        },
    );
    visible
}

/// Appends `event`, merging consecutive text so a passage is one run of visible text.
/// True when merged (no new event).
fn push_merged<'a>(events: &mut Vec<Event<'a>>, event: Event<'a>) -> bool {
    if let (Some(Event::Text(prev)), Event::Text(next)) = (events.last_mut(), &event) {
        let mut joined = prev.to_string();
        joined.push_str(next);
        *prev = CowStr::Boxed(joined.into_boxed_str());
        return true;
    }
    events.push(event);
    false
}

/// Where an image's `src` points: a path of the site resolved like a link's (relative
/// to the page, a missing file an error, with its responsive copies), a script URL
/// dropped, anything else as written. Body images and embeds (figures, posters, video
/// files) all take theirs here.
pub(crate) fn image_src<'a>(
    text: &str,
    dest: CowStr<'a>,
    range: Range<usize>,
    link_type: LinkType,
    options: MarkdownOptions,
    resolve: &mut dyn FnMut(&GlossLink<'_>) -> Option<Resolved>,
) -> (CowStr<'a>, Option<ImageAttrs>) {
    if is_root_relative(&dest) || is_page_relative(&dest) {
        rewrite_dest(text, dest, range, link_type, options, resolve, true)
    } else if options.html != HtmlMode::Trust && is_dangerous_url(&dest) {
        (CowStr::Borrowed(""), None)
    } else {
        (dest, None)
    }
}

/// The images of `events` that have responsive attributes (`attrs`, one entry per image
/// in document order) as one `<img>` each, written as pulldown-cmark writes an image
/// (`src`, `alt` from the image's text, `title`) plus `srcset`, `sizes`, `width` and
/// `height`.
fn sized_images<'a>(events: Vec<Event<'a>>, attrs: &[Option<ImageAttrs>]) -> Vec<Event<'a>> {
    use pulldown_cmark_escape::{escape_href, escape_html};
    let mut out = Vec::with_capacity(events.len());
    let mut images = attrs.iter();
    let mut events = events.into_iter();
    while let Some(event) = events.next() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &event
        else {
            out.push(event);
            continue;
        };
        let Some(Some(a)) = images.next() else {
            out.push(event);
            continue;
        };
        let mut alt = String::new();
        let mut depth = 0usize;
        for inner in events.by_ref() {
            match inner {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                    alt.push_str(&t)
                }
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        let mut img = String::from("<img src=\"");
        let _ = escape_href(&mut img, dest_url);
        img.push_str("\" alt=\"");
        let _ = escape_html(&mut img, &alt);
        img.push('"');
        if !title.is_empty() {
            img.push_str(" title=\"");
            let _ = escape_html(&mut img, title);
            img.push('"');
        }
        if !a.srcset.is_empty() {
            img.push_str(" srcset=\"");
            let _ = escape_html(&mut img, &a.srcset);
            img.push_str("\" sizes=\"");
            let _ = escape_html(&mut img, &a.sizes);
            img.push('"');
        }
        img.push_str(&format!(
            " width=\"{}\" height=\"{}\" />",
            a.width, a.height
        ));
        out.push(Event::InlineHtml(CowStr::Boxed(img.into_boxed_str())));
    }
    out
}

fn rewrite_dest<'a>(
    text: &str,
    dest: CowStr<'a>,
    range: Range<usize>,
    link_type: LinkType,
    options: MarkdownOptions,
    resolve: &mut dyn FnMut(&GlossLink<'_>) -> Option<Resolved>,
    is_image: bool,
) -> (CowStr<'a>, Option<ImageAttrs>) {
    let site = is_root_relative(&dest).then(|| (SITE_PATH, &dest[1..]));
    let relative = is_page_relative(&dest).then_some((PAGE_PATH, &*dest));
    if let Some((scheme, target)) = site.or(relative).or_else(|| gloss_link(&dest)) {
        let range = if matches!(link_type, LinkType::Inline) {
            range
        } else {
            range.start..range.end.min(text.len())
        };
        let link = GlossLink {
            scheme,
            target,
            range,
            is_image,
        };
        return match resolve(&link) {
            Some(r) => (CowStr::Boxed(r.url.into_boxed_str()), r.image),
            // A path the resolver does not know stays as written.
            None if scheme == SITE_PATH || scheme == PAGE_PATH => {
                (CowStr::Boxed(dest.to_string().into_boxed_str()), None)
            }
            None => (CowStr::Borrowed("#"), None),
        };
    }
    if options.html != HtmlMode::Trust && is_dangerous_url(&dest) {
        return (CowStr::Borrowed("#"), None);
    }
    (dest, None)
}

/// Renders Markdown that has no gloss links to resolve (profiles, notes, pages).
pub fn render_plain(text: &str, options: MarkdownOptions) -> Rendered {
    render(text, options, HeadingIds::On(&|_| false), &mut |_| None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAFE: MarkdownOptions = MarkdownOptions {
        smart_punctuation: true,
        html: HtmlMode::Escape,
        embeds: true,
    };

    #[test]
    fn raw_html_is_escaped_by_default() {
        let r = render_plain("Hi <script>alert(1)</script> there\n\n<div>x</div>\n", SAFE);
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
        assert!(!r.html.contains("<div>"), "{}", r.html);
        let open = MarkdownOptions {
            html: HtmlMode::Trust,
            ..SAFE
        };
        assert!(
            render_plain("<div>x</div>\n", open)
                .html
                .contains("<div>x</div>")
        );
    }

    #[test]
    fn javascript_urls_are_dropped() {
        let r = render_plain("[x](javascript:alert(1)) [y]( JavaScript:alert(1))", SAFE);
        assert!(
            !r.html.to_ascii_lowercase().contains("javascript"),
            "{}",
            r.html
        );
    }

    #[test]
    fn script_urls_in_every_markdown_spelling_are_dropped() {
        // Entities, case, tabs, autolinks, reference links and images: pulldown-cmark
        // decodes the destination before `is_dangerous_url` sees it.
        let text = "[a](&#106;avascript:alert(1)) [b](java&#x09;script:alert(1)) \
                    [c](JaVaScRiPt:alert(1)) <javascript:alert(1)> [d][r] \
                    ![e](data:image/svg+xml,x) [f](vbscript:x) [g](DATA:text/html,x)\n\n\
                    [r]: javascript:alert(1)\n";
        let html = render_plain(text, SAFE).html.to_ascii_lowercase();
        // An autolink's text still shows the URL; no attribute holds it.
        for bad in ["\"javascript:", "\"vbscript:", "\"data:"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("<a href=\"#\">a</a>"), "{html}");
    }

    #[test]
    fn gloss_links_are_resolved_with_their_range() {
        let text = "See [Bukele](person:nayib-bukele) now.";
        let mut seen = Vec::new();
        let r = render(text, SAFE, HeadingIds::Off, &mut |l| {
            seen.push((l.scheme.to_string(), l.target.to_string(), l.range.clone()));
            Some(String::from("../../people/nayib-bukele/").into())
        });
        assert_eq!(
            seen,
            [("person".to_string(), "nayib-bukele".to_string(), 4..33)]
        );
        assert!(
            r.html
                .contains(r#"<a href="../../people/nayib-bukele/">Bukele</a>"#),
            "{}",
            r.html
        );
    }

    #[test]
    fn first_paragraph_and_extensions() {
        let r = render_plain(
            "# T\n\nFirst *para* \"here\".\n\nSecond.\n\n| a |\n|---|\n| b |\n\n~~x~~ [^1]\n\n[^1]: note\n",
            SAFE,
        );
        assert_eq!(r.first_paragraph, "First para “here”.");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("footnote"));
    }
}
