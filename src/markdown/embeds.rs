//! Figures, videos and social posts (issue 15): fenced blocks with the info string
//! `figure`, `video` or `social` whose body is YAML. Input: the block's text and where
//! each of its lines sits in the Markdown; output: a structured [`Embed`] (paths
//! resolved as body images' are, captions and post texts rendered as Markdown) and the
//! problems found, each at a byte range of the Markdown.
//!
//! The Markdown stage leaves a placeholder where each block stands and the render stage
//! puts the theme's markup there (`embed.html`), so a site can override it: the markup
//! is the theme's, the data is gloss's. The YAML is not text of the page, so quotes and
//! annotations never anchor inside it.

use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use super::{GlossLink, MarkdownOptions};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::load::yaml::{self, Kind, Node, Reader};

/// The info strings of the blocks read here.
pub const KINDS: [&str; 3] = ["figure", "video", "social"];

const FIGURE_KEYS: [&str; 5] = ["image", "alt", "caption", "credit", "link"];
const VIDEO_KEYS: [&str; 7] = [
    "youtube", "vimeo", "src", "title", "caption", "poster", "start",
];
const SOCIAL_KEYS: [&str; 7] = [
    "url", "author", "handle", "date", "text", "archived", "image",
];

/// A figure, video or social post of a text, as templates see it (`embed.kind` says
/// which).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Embed {
    /// A ```` ```figure ```` block.
    Figure(Figure),
    /// A ```` ```video ```` block.
    Video(Video),
    /// A ```` ```social ```` block.
    Social(Social),
}

/// An image of an embed, its address found as a body image's is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Image {
    /// What `src` takes: relative to the page for a file of the site, else as written.
    pub src: String,
    /// Text alternative (`""` when not given).
    pub alt: String,
    /// True for an `http(s)://` address: the reader's browser asks that host for it.
    pub is_external: bool,
    /// Its size and resized copies (`srcset`, `sizes`, `width`, `height`), when known.
    pub sized: Option<super::ImageAttrs>,
}

/// A figure: an image with its caption and credit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Figure {
    /// The image.
    pub image: Image,
    /// The caption as HTML (inline Markdown rendered), if any.
    pub caption: Option<String>,
    /// Who made the image, as text.
    pub credit: Option<String>,
    /// Where the image links to, resolved as a Markdown link's destination.
    pub link: Option<String>,
}

/// A video: on YouTube or Vimeo (linked, never framed), or a file of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Video {
    /// `youtube`, `vimeo` or `file`.
    pub service: &'static str,
    /// `YouTube` or `Vimeo`; none for a file.
    pub service_name: Option<&'static str>,
    /// The video's id on its service.
    pub id: Option<String>,
    /// The file `<video>` plays (a `#t=` fragment added for `start`).
    pub src: Option<String>,
    /// Where "watch" links go: the video's page on its service, or the file.
    pub href: String,
    /// The title, as text.
    pub title: Option<String>,
    /// The caption as HTML, if any.
    pub caption: Option<String>,
    /// A still shown before it plays (its `alt` is the title).
    pub poster: Option<Image>,
    /// Where it starts, in seconds.
    pub start: Option<u32>,
    /// `start` as `m:ss` or `h:mm:ss`.
    pub start_text: Option<String>,
}

/// A social post, its text kept in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Social {
    /// The original post.
    pub url: String,
    /// The host of `url`, without `www.` (`x.com`, `mastodon.social`).
    pub site: String,
    /// Who wrote it.
    pub author: Option<String>,
    /// Their handle, as written (`@18F`).
    pub handle: Option<String>,
    /// When, as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// When, for `<time datetime>`: the date, or the RFC 3339 date-time as written.
    pub date_iso: Option<String>,
    /// The post's text as HTML (Markdown rendered).
    pub text: Option<String>,
    /// An archived copy of the post.
    pub archived: Option<String>,
    /// An image of the post.
    pub image: Option<Image>,
}

/// A block being read: its kind, its text and where that text is in the Markdown.
#[derive(Debug)]
pub(super) struct Block {
    kind: &'static str,
    /// The byte range of the whole block (fences included) in the Markdown.
    range: Range<usize>,
    content: String,
    /// `(offset in content, offset in the Markdown)` where each piece of text starts.
    pieces: Vec<(usize, usize)>,
}

/// The kind of a fenced block's info string, if it is one of [`KINDS`].
pub(super) fn kind_of(info: &str) -> Option<&'static str> {
    KINDS.iter().copied().find(|k| *k == info.trim())
}

impl Block {
    /// A block of `kind` starting at `range` of the Markdown.
    pub(super) fn new(kind: &'static str, range: Range<usize>) -> Self {
        Block {
            kind,
            range,
            content: String::new(),
            pieces: Vec::new(),
        }
    }

    /// Adds a piece of the block's text, found at `range` of the Markdown.
    pub(super) fn push(&mut self, text: &str, range: &Range<usize>) {
        self.pieces.push((self.content.len(), range.start));
        self.content.push_str(text);
    }

    /// The Markdown offset of content offset `at`.
    fn source_offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|&(c, _)| c <= at);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((c, s)) => s + (at - c),
            None => self.range.start,
        }
    }

    /// The Markdown byte range of `span` (1-based line and column in the content).
    fn source_range(&self, span: Span) -> Range<usize> {
        let mut line_start = 0;
        for _ in 1..span.line {
            match self.content[line_start..].find('\n') {
                Some(i) => line_start += i + 1,
                None => break,
            }
        }
        let line = &self.content[line_start..];
        let char_at = |n: usize| line.char_indices().nth(n).map_or(line.len(), |(i, _)| i);
        let col = span.col.saturating_sub(1) as usize;
        let start = line_start + char_at(col);
        let end = line_start + char_at(col + span.len.max(1) as usize);
        self.source_offset(start)..self.source_offset(end.max(start))
    }

    /// The range of the opening fence's line, for problems of the block as a whole.
    fn fence(&self, text: &str) -> Range<usize> {
        let line = text.get(self.range.clone()).unwrap_or("");
        let end = line.find('\n').unwrap_or(line.len());
        self.range.start..self.range.start + end
    }
}

/// What reading a block gives: the embed (none when its problems leave nothing to
/// show) and the problems, each with its byte range in the Markdown.
pub(super) struct Read {
    pub(super) embed: Option<Embed>,
    pub(super) problems: Vec<(Range<usize>, Diagnostic)>,
}

/// Resolves links and paths of the Markdown being rendered (see [`super::render`]).
type Resolve<'r> = dyn FnMut(&GlossLink<'_>) -> Option<super::Resolved> + 'r;

/// Reads one block of `text` (the Markdown being rendered).
pub(super) fn read(
    block: &Block,
    text: &str,
    options: MarkdownOptions,
    resolve: &mut Resolve<'_>,
) -> Read {
    let mut diags = Diagnostics::new();
    let mut cx = kinds::Cx {
        block,
        text,
        options,
        resolve,
        located: Vec::new(),
    };
    let embed = match yaml::parse(&block.content, Path::new(""), 1) {
        Ok(node) => cx.embed(&node, &mut diags),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let mut problems = std::mem::take(&mut cx.located);
    for mut d in diags.sorted() {
        let range = match d.span.take() {
            Some(span) => block.source_range(span),
            None => block.fence(text),
        };
        problems.push((range, d));
    }
    problems.sort_by_key(|(r, _)| r.start);
    Read { embed, problems }
}

/// A start time in whole seconds.
fn seconds(node: &Node, r: &mut Reader<'_>) -> Option<u32> {
    if let Kind::Int(n) = node.kind
        && let Ok(s) = u32::try_from(n)
    {
        return Some(s);
    }
    let hint = match &node.kind {
        Kind::Str(s) => from_clock(s).map_or_else(
            || "write the start in seconds, e.g. `start: 90`".to_string(),
            |n| format!("write the start in seconds: `start: {n}`"),
        ),
        _ => "write the start in seconds, e.g. `start: 90`".to_string(),
    };
    r.error(
        Code::InvalidValue,
        node.span,
        "`start` must be a whole number of seconds",
        Some(hint),
    );
    None
}

/// `1:30` or `1:02:03` in seconds.
fn from_clock(s: &str) -> Option<u32> {
    let parts: Vec<u32> = s
        .trim()
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [m, s] => Some(m * 60 + s),
        [h, m, s] => Some(h * 3600 + m * 60 + s),
        _ => None,
    }
}

/// `seconds` as `m:ss`, or `h:mm:ss` from an hour on.
fn clock(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The id of a video on `service`; an address of the video is an error whose hint gives
/// the id to write.
fn video_id(service: &str, node: &Node, r: &mut Reader<'_>) -> Option<String> {
    let what = format!("`{service}`");
    let value = r.text(node, &what)?;
    let value = value.trim();
    let is_id = |v: &str| is_video_id(service, v);
    if is_id(value) {
        return Some(value.to_string());
    }
    let from_url = id_in_url(service, value).filter(|id| is_id(id));
    let hint = match from_url {
        Some(id) => format!("write the video's id, not its address: `{service}: {id}`"),
        None if service == "youtube" => "write the video's id: the 11 characters after `watch?v=` in its address, e.g. `youtube: dQw4w9WgXcQ`".to_string(),
        None => "write the video's id: the number in its address, e.g. `vimeo: 76979871`".to_string(),
    };
    r.error(
        Code::InvalidValue,
        node.span,
        format!("invalid {what} id `{value}`"),
        Some(hint),
    );
    None
}

/// True when `id` has the form of a video id on `service` (`youtube`: 11 letters,
/// digits, `-` or `_`; `vimeo`: a number).
pub fn is_video_id(service: &str, id: &str) -> bool {
    match service {
        "youtube" => {
            id.len() == 11
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        _ => !id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// The id of a YouTube or Vimeo video in one of its addresses (`watch?v=ID`,
/// `youtu.be/ID`, `/embed/ID`, `vimeo.com/ID`, `player.vimeo.com/video/ID`).
pub fn id_in_url(service: &str, url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host
        .strip_prefix("www.")
        .unwrap_or(host)
        .to_ascii_lowercase();
    let first = |p: &str| p.split(['?', '#', '&', '/']).next().map(str::to_string);
    let id = match service {
        "youtube" => {
            if host == "youtu.be" {
                first(path)
            } else if !host.ends_with("youtube.com") && !host.ends_with("youtube-nocookie.com") {
                None
            } else if let Some(q) = path.split_once('?').map(|(_, q)| q) {
                q.split('&')
                    .find_map(|kv| kv.strip_prefix("v="))
                    .and_then(first)
                    .or_else(|| embedded(path))
            } else {
                embedded(path)
            }
        }
        _ if host.ends_with("vimeo.com") => path
            .split(['/', '?', '#'])
            .find(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string),
        _ => None,
    };
    fn embedded(path: &str) -> Option<String> {
        let mut parts = path.split(['/', '?', '#']);
        while let Some(p) = parts.next() {
            if matches!(p, "embed" | "v" | "shorts" | "live") {
                return parts.next().filter(|id| !id.is_empty()).map(str::to_string);
            }
        }
        None
    }
    id.filter(|i| !i.is_empty())
}

mod kinds;
#[cfg(test)]
mod tests;
