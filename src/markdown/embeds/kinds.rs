//! Reading each kind of block, `figure`, `video` and `social`, from its YAML map: the
//! keys each takes, their types, and the paths and Markdown in them resolved and
//! rendered as the body's own.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, LinkType};

use super::{
    Block, Embed, FIGURE_KEYS, Figure, Image, Resolve, SOCIAL_KEYS, Social, VIDEO_KEYS, Video,
    clock, seconds, video_id,
};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::yaml::{Fields, Node, Reader};
use crate::markdown::{GlossLink, HeadingIds, MarkdownOptions};

/// The state of reading one block.
pub(super) struct Cx<'a, 'r> {
    pub(super) block: &'a Block,
    pub(super) text: &'a str,
    pub(super) options: MarkdownOptions,
    pub(super) resolve: &'a mut Resolve<'r>,
    /// Problems already at Markdown ranges.
    pub(super) located: Vec<(Range<usize>, Diagnostic)>,
}

impl Cx<'_, '_> {
    pub(super) fn embed(&mut self, node: &Node, diags: &mut Diagnostics) -> Option<Embed> {
        let mut r = Reader {
            path: Path::new(""),
            diags,
        };
        let what = format!("a `{}` block", self.block.kind);
        let entries = r.map(node, &what)?;
        let known: &[&str] = match self.block.kind {
            "figure" => &FIGURE_KEYS,
            "video" => &VIDEO_KEYS,
            _ => &SOCIAL_KEYS,
        };
        let f = r.fields(entries, known, &what);
        match self.block.kind {
            "figure" => self.figure(&f, &mut r).map(Embed::Figure),
            "video" => self.video(&f, &mut r).map(Embed::Video),
            _ => self.social(&f, &mut r).map(Embed::Social),
        }
    }

    /// A problem of the block as a whole, at its opening fence.
    fn at_fence(&mut self, d: Diagnostic) {
        self.located.push((self.block.fence(self.text), d));
    }

    fn figure(&mut self, f: &Fields<'_>, r: &mut Reader<'_>) -> Option<Figure> {
        let caption = f.get("caption").and_then(|n| self.markdown(n, r, true));
        let credit = f.get("credit").and_then(|n| r.text(n, "`credit`"));
        let link = f.get("link").and_then(|n| self.link(n, r));
        let alt = f.get("alt").and_then(|n| r.text(n, "`alt`"));
        let Some(node) = f.get("image") else {
            self.at_fence(
                Diagnostic::new(Code::MissingKey, "", None, "a `figure` block without `image:`")
                    .with_hint("name the image in the block: `image: /images/bridge.jpg`, with `alt:` saying what it shows"),
            );
            return None;
        };
        let image = self.image(node, alt.unwrap_or_default(), "`image`", r)?;
        if image.alt.trim().is_empty() {
            let range = self
                .block
                .source_range(f.key("image").map_or(node.span, |k| k.span));
            self.located.push((
                range,
                Diagnostic::new(Code::MissingAlt, "", None, "a figure without a text alternative").with_hint(
                    "add `alt:` saying what the image shows; screen readers read nothing for an image without one",
                ),
            ));
        }
        Some(Figure {
            image,
            caption,
            credit,
            link,
        })
    }

    fn video(&mut self, f: &Fields<'_>, r: &mut Reader<'_>) -> Option<Video> {
        let title = f.get("title").and_then(|n| r.text(n, "`title`"));
        let caption = f.get("caption").and_then(|n| self.markdown(n, r, true));
        let start = f.get("start").and_then(|n| seconds(n, r));
        let alt = title.clone().unwrap_or_default();
        let poster = f
            .get("poster")
            .and_then(|n| self.image(n, alt, "`poster`", r));
        let sources: Vec<&str> = ["youtube", "vimeo", "src"]
            .into_iter()
            .filter(|k| f.get(k).is_some())
            .collect();
        let hint = "write one of `youtube: ID`, `vimeo: ID` or `src: /videos/file.mp4`";
        let (service, node) = match sources.as_slice() {
            [one] => (*one, f.get(one)?),
            [] => {
                self.at_fence(
                    Diagnostic::new(
                        Code::MissingKey,
                        "",
                        None,
                        "a `video` block without `youtube:`, `vimeo:` or `src:`",
                    )
                    .with_hint(hint),
                );
                return None;
            }
            [_, second, ..] => {
                let key = f.key(second)?;
                r.error(
                    Code::InvalidValue,
                    key.span,
                    format!(
                        "a `video` block takes one of `youtube`, `vimeo` and `src`, not {}",
                        crate::diag::list(sources.iter().copied())
                    ),
                    Some(format!("{hint}; keep the others in another block")),
                );
                return None;
            }
        };
        let mut video = Video {
            service: if service == "src" { "file" } else { service },
            service_name: None,
            id: None,
            src: None,
            href: String::new(),
            title,
            caption,
            poster,
            start,
            start_text: start.map(clock),
        };
        match service {
            "youtube" | "vimeo" => {
                let id = video_id(service, node, r)?;
                video.service_name = Some(if service == "youtube" {
                    "YouTube"
                } else {
                    "Vimeo"
                });
                video.href = match (service, start) {
                    ("youtube", Some(s)) => format!("https://www.youtube.com/watch?v={id}&t={s}s"),
                    ("youtube", None) => format!("https://www.youtube.com/watch?v={id}"),
                    (_, Some(s)) => format!("https://vimeo.com/{id}#t={s}s"),
                    (_, None) => format!("https://vimeo.com/{id}"),
                };
                video.id = Some(id);
            }
            _ => {
                let file = self.image(node, String::new(), "`src`", r)?;
                // A media fragment: the browser starts there, no script needed.
                video.src = Some(match start {
                    Some(s) => format!("{}#t={s}", file.src),
                    None => file.src.clone(),
                });
                video.href = file.src;
            }
        }
        Some(video)
    }

    fn social(&mut self, f: &Fields<'_>, r: &mut Reader<'_>) -> Option<Social> {
        let author = f.get("author").and_then(|n| r.text(n, "`author`"));
        let handle = f.get("handle").and_then(|n| r.text(n, "`handle`"));
        let text = f.get("text").and_then(|n| self.markdown(n, r, false));
        let archived = f.get("archived").and_then(|n| r.web_url(n, "`archived`"));
        let image = f
            .get("image")
            .and_then(|n| self.image(n, String::new(), "`image`", r));
        let (date, date_iso) = match f.get("date").map(|n| (n, r.text(n, "`date`"))) {
            Some((n, Some(value))) => match crate::load::dates::published(&value) {
                Some(p) => {
                    let iso = if value.trim().len() == 10 {
                        p.date.to_string()
                    } else {
                        p.rfc3339
                    };
                    (Some(p.date.to_string()), Some(iso))
                }
                None => {
                    r.error(
                        Code::InvalidDate,
                        n.span,
                        format!("invalid `date` `{value}`"),
                        Some(crate::load::dates::PUBLISHED_FORMS.to_string()),
                    );
                    (None, None)
                }
            },
            _ => (None, None),
        };
        let Some(node) = f.get("url") else {
            self.at_fence(
                Diagnostic::new(
                    Code::MissingKey,
                    "",
                    None,
                    "a `social` block without `url:`",
                )
                .with_hint(
                    "give the address of the original post: `url: https://x.com/18F/status/123`",
                ),
            );
            return None;
        };
        let url = r.web_url(node, "`url`")?;
        let site = url
            .split_once("://")
            .map_or("", |(_, rest)| rest)
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("");
        let site = site
            .strip_prefix("www.")
            .unwrap_or(site)
            .to_ascii_lowercase();
        Some(Social {
            url,
            site,
            author,
            handle,
            date,
            date_iso,
            text,
            archived,
            image,
        })
    }

    /// An image (or video file) path: an `http(s)` address as written, else resolved as
    /// a body image's `src` is (relative to the page for a file of the site; a missing
    /// file an error at the value).
    fn image(&mut self, node: &Node, alt: String, what: &str, r: &mut Reader<'_>) -> Option<Image> {
        let value = r.text(node, what)?;
        let value = value.trim();
        let scheme = value
            .split_once(':')
            .map(|(s, _)| s)
            .filter(|s| !s.contains('/'));
        let is_external = matches!(
            scheme.map(str::to_ascii_lowercase).as_deref(),
            Some("http" | "https")
        );
        if value.is_empty() || (scheme.is_some() && !is_external) {
            r.error(
                Code::InvalidValue, node.span,
                format!("{what} must be a path of the site or an `https://` address"),
                Some("write a path as `![]()` takes it: `/images/bridge.jpg` (a file under static/), a path relative to the article, or `https://…`".into()),
            );
            return None;
        }
        let range = self.value_range(node);
        let (src, sized) = crate::markdown::image_src(
            self.text,
            CowStr::Borrowed(value),
            range,
            LinkType::Inline,
            self.options,
            self.resolve,
        );
        Some(Image {
            src: src.into_string(),
            alt,
            is_external,
            sized,
        })
    }

    /// A link destination, resolved as a Markdown link's (`/path`, `article:slug`, …).
    fn link(&mut self, node: &Node, r: &mut Reader<'_>) -> Option<String> {
        let value = r.text(node, "`link`")?;
        let range = self.value_range(node);
        let dest = crate::markdown::rewrite_dest(
            self.text,
            CowStr::Borrowed(value.trim()),
            range,
            LinkType::Inline,
            self.options,
            self.resolve,
            false,
        );
        Some(dest.0.into_string())
    }

    /// Markdown text as HTML: one paragraph unwrapped when `inline` (a caption).
    fn markdown(&mut self, node: &Node, r: &mut Reader<'_>, inline: bool) -> Option<String> {
        let value = r.text(node, if inline { "`caption`" } else { "`text`" })?;
        // Links are placed within the value: the YAML may have moved its text about
        // (quotes, folded lines), so a link is looked for there, not at an exact offset.
        let range = self.value_range(node);
        let nested = MarkdownOptions {
            embeds: false,
            ..self.options
        };
        let resolve = &mut *self.resolve;
        let rendered = crate::markdown::render(&value, nested, HeadingIds::Off, &mut |link| {
            resolve(&GlossLink {
                range: range.clone(),
                ..link.clone()
            })
        });
        let html = rendered.html.trim_end();
        let single = html
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
            .filter(|h| !h.contains("<p>"));
        Some(match single {
            Some(inner) if inline => inner.to_string(),
            _ => html.to_string(),
        })
    }

    /// The Markdown range of a value, to the end of the block for text over lines.
    fn value_range(&self, node: &Node) -> Range<usize> {
        let start = self.block.source_range(node.span).start;
        start..self.block.range.end.max(start)
    }
}
