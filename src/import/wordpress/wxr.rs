//! Streams a WordPress export (WXR, the XML of Tools > Export) with quick-xml, one
//! element at a time, handing each `<item>` to a callback as soon as it closes: an
//! export of hundreds of MB is never held whole. The channel's own entries (authors,
//! categories, tags, the site's addresses) come back in [`Channel`].
//!
//! Elements are matched by their qualified names (`wp:post_id`, `content:encoded`):
//! every WXR version (1.0 to 1.2) binds the same prefixes, only the namespace URIs'
//! version numbers differ.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use quick_xml::events::Event;

/// A term of a post: `<category domain="post_tag" nicename="x">Name</category>`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Term {
    /// `category`, `post_tag`, or a custom taxonomy.
    pub(crate) domain: String,
    pub(crate) nicename: String,
    pub(crate) name: String,
}

/// A user of the site (`<wp:author>`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Author {
    pub(crate) login: String,
    pub(crate) display_name: String,
}

/// A category or tag declared by the channel, with its description.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChannelTerm {
    pub(crate) nicename: String,
    pub(crate) name: String,
    pub(crate) description: String,
}

/// The site-wide part of an export.
#[derive(Debug, Default)]
pub(crate) struct Channel {
    pub(crate) title: String,
    pub(crate) link: String,
    pub(crate) description: String,
    /// `wp:base_blog_url`: where the blog's permalinks start.
    pub(crate) blog_url: String,
    pub(crate) authors: Vec<Author>,
    pub(crate) terms: Vec<ChannelTerm>,
}

/// One `<item>`: a post, page, attachment, menu item, revision, ….
#[derive(Debug, Default)]
pub(crate) struct Item {
    pub(crate) title: String,
    pub(crate) link: String,
    pub(crate) creator: String,
    pub(crate) content: String,
    pub(crate) excerpt: String,
    pub(crate) id: u64,
    /// Local time, `YYYY-MM-DD HH:MM:SS`.
    pub(crate) post_date: String,
    /// UTC, or `0000-00-00 00:00:00` for a draft never published.
    pub(crate) post_date_gmt: String,
    pub(crate) modified_gmt: String,
    pub(crate) post_name: String,
    pub(crate) status: String,
    pub(crate) parent: u64,
    pub(crate) post_type: String,
    pub(crate) password: String,
    pub(crate) is_sticky: bool,
    pub(crate) attachment_url: String,
    pub(crate) terms: Vec<Term>,
    pub(crate) meta: Vec<(String, String)>,
    pub(crate) comments: usize,
    /// The line of the export where the item opens, for the report.
    pub(crate) line: u32,
    /// The line where its `content:encoded` opens (body lines count from there).
    pub(crate) content_line: u32,
}

impl Item {
    /// The value of the post meta `key`, if set.
    pub(crate) fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the export at `path`, calling `each` for every item in order; returns the
/// channel's entries (complete only once the whole file is read).
pub(crate) fn read(path: &Path, mut each: impl FnMut(Item) -> Result<()>) -> Result<Channel> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read the export {}", path.display()))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
    let mut state = State::default();
    let mut buf = Vec::new();
    let mut seen_rss = false;
    let mut line = 1u32;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            anyhow::anyhow!(
                "{}: byte {}: not well-formed XML: {e}",
                path.display(),
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                seen_rss |= name == "rss";
                state.open(&name, &e, line);
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                state.open(&name, &e, line);
                if let Some(item) = state.close(&name) {
                    each(item)?;
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if let Some(item) = state.close(&name) {
                    each(item)?;
                }
            }
            Event::Text(t) => state.text.push_str(&t.decode()?),
            Event::CData(t) => state.text.push_str(&t.decode()?),
            Event::GeneralRef(r) => {
                let name = r.decode()?;
                match r.resolve_char_ref()? {
                    Some(c) => state.text.push(c),
                    None => match quick_xml::escape::resolve_html5_entity(&name) {
                        Some(s) => state.text.push_str(s),
                        None => {
                            state.text.push('&');
                            state.text.push_str(&name);
                            state.text.push(';');
                        }
                    },
                }
            }
            Event::Eof => break,
            _ => {}
        }
        // Every byte of the file but `<`, `>` and CDATA markers passes through `buf`,
        // so its newlines count the lines.
        line += memchr::memchr_iter(b'\n', &buf).count() as u32;
        buf.clear();
    }
    if !seen_rss {
        bail!(
            "{} is no WordPress export: it has no <rss> element\nhint: export the site with Tools > Export > All content",
            path.display()
        );
    }
    Ok(state.channel)
}

/// Where the reader is: the open elements, the text since the last one opened, and the
/// item, author or term being filled in.
#[derive(Default)]
struct State {
    stack: Vec<String>,
    text: String,
    channel: Channel,
    item: Option<Item>,
    author: Option<Author>,
    term: Option<ChannelTerm>,
    meta_key: String,
}

impl State {
    fn open(&mut self, name: &str, e: &quick_xml::events::BytesStart<'_>, line: u32) {
        self.text.clear();
        match name {
            "item" => {
                self.item = Some(Item {
                    line,
                    ..Item::default()
                });
            }
            "content:encoded" => {
                if let Some(item) = &mut self.item {
                    item.content_line = line;
                }
            }
            "wp:author" if self.item.is_none() => self.author = Some(Author::default()),
            "wp:category" | "wp:tag" if self.item.is_none() => {
                self.term = Some(ChannelTerm::default());
            }
            "category" if self.item.is_some() => {
                let attr = |key: &[u8]| {
                    e.try_get_attribute(key)
                        .ok()
                        .flatten()
                        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                        .unwrap_or_default()
                };
                let term = Term {
                    domain: attr(b"domain"),
                    nicename: attr(b"nicename"),
                    name: String::new(),
                };
                if let Some(item) = &mut self.item {
                    item.terms.push(term);
                }
            }
            _ => {}
        }
        self.stack.push(name.to_string());
    }

    /// Closes `name`; returns the item when it was `</item>`.
    fn close(&mut self, name: &str) -> Option<Item> {
        self.stack.pop();
        let text = std::mem::take(&mut self.text);
        let parent = self.stack.last().map(String::as_str).unwrap_or("");
        if name == "item" {
            return self.item.take();
        }
        if let Some(item) = &mut self.item {
            // Comments' own fields are not the post's.
            if parent == "wp:comment" || self.stack.iter().any(|s| s == "wp:comment") {
                return None;
            }
            let num = |t: &str| t.trim().parse::<u64>().unwrap_or(0);
            match name {
                "title" => item.title = text,
                "link" => item.link = text.trim().to_string(),
                "dc:creator" => item.creator = text.trim().to_string(),
                "content:encoded" => item.content = text,
                "excerpt:encoded" => item.excerpt = text,
                "wp:post_id" => item.id = num(&text),
                "wp:post_date" => item.post_date = text.trim().to_string(),
                "wp:post_date_gmt" => item.post_date_gmt = text.trim().to_string(),
                "wp:post_modified_gmt" => item.modified_gmt = text.trim().to_string(),
                "wp:post_name" => item.post_name = text.trim().to_string(),
                "wp:status" => item.status = text.trim().to_string(),
                "wp:post_parent" => item.parent = num(&text),
                "wp:post_type" => item.post_type = text.trim().to_string(),
                "wp:post_password" => item.password = text,
                "wp:is_sticky" => item.is_sticky = text.trim() == "1",
                "wp:attachment_url" => item.attachment_url = text.trim().to_string(),
                "category" => {
                    if let Some(t) = item.terms.last_mut() {
                        t.name = text.trim().to_string();
                    }
                }
                "wp:meta_key" => self.meta_key = text,
                "wp:meta_value" => item.meta.push((std::mem::take(&mut self.meta_key), text)),
                "wp:comment" => item.comments += 1,
                _ => {}
            }
            return None;
        }
        if let Some(author) = &mut self.author {
            match name {
                "wp:author_login" => author.login = text.trim().to_string(),
                "wp:author_display_name" => author.display_name = text.trim().to_string(),
                "wp:author" => {
                    let a = std::mem::take(author);
                    self.author = None;
                    self.channel.authors.push(a);
                }
                _ => {}
            }
            return None;
        }
        if let Some(term) = &mut self.term {
            match name {
                "wp:category_nicename" | "wp:tag_slug" => term.nicename = text.trim().into(),
                "wp:cat_name" | "wp:tag_name" => term.name = text.trim().to_string(),
                "wp:category_description" | "wp:tag_description" => term.description = text,
                "wp:category" | "wp:tag" => {
                    let t = std::mem::take(term);
                    self.term = None;
                    self.channel.terms.push(t);
                }
                _ => {}
            }
            return None;
        }
        if parent == "channel" {
            match name {
                "title" => self.channel.title = text.trim().to_string(),
                "link" => self.channel.link = text.trim().to_string(),
                "description" => self.channel.description = text.trim().to_string(),
                "wp:base_blog_url" => self.channel.blog_url = text.trim().to_string(),
                _ => {}
            }
        }
        None
    }
}
