//! Validates profiles (people, topics, outlets) and plain pages.

use super::article::{aliases, language, required};
use super::yaml::{Node, Reader};
use crate::diag::Code;
use crate::model::{Page, Profile, ProfileKind};

const PERSON_KEYS: &[&str] = &[
    "name", "role", "aliases", "wikidata", "links", "language", "extra",
];
const TOPIC_KEYS: &[&str] = &["name", "language", "extra"];
const OUTLET_KEYS: &[&str] = &["name", "url", "language", "extra"];
const PAGE_KEYS: &[&str] = &["title", "summary", "draft", "aliases", "language", "extra"];

/// Reads a profile; `front` is `None` for a file without front matter.
pub(crate) fn read_profile(
    r: &mut Reader<'_>,
    front: Option<&Node>,
    kind: ProfileKind,
    id: String,
    body: &str,
) -> Option<Profile> {
    let mut profile = Profile {
        kind,
        id,
        path: r.path.to_path_buf(),
        name: None,
        role: None,
        aliases: Vec::new(),
        wikidata: None,
        links: Vec::new(),
        url: None,
        language: None,
        body: body.to_string(),
        extra: serde_json::json!({}),
    };
    let Some(front) = front else {
        return Some(profile);
    };
    let (keys, what) = match kind {
        ProfileKind::Person => (PERSON_KEYS, "a person profile"),
        ProfileKind::Topic => (TOPIC_KEYS, "a topic profile"),
        ProfileKind::Outlet => (OUTLET_KEYS, "an outlet profile"),
    };
    let entries = r.map(front, "the front matter")?;
    let f = r.fields(entries, keys, what);
    profile.name = f.get("name").and_then(|n| r.text(n, "`name`"));
    profile.role = f.get("role").and_then(|n| r.text(n, "`role`"));
    profile.aliases = f
        .get("aliases")
        .map(|n| r.text_list(n, "`aliases`"))
        .unwrap_or_default();
    profile.links = f
        .get("links")
        .map(|n| r.web_url_list(n, "`links`"))
        .unwrap_or_default();
    profile.url = f.get("url").and_then(|n| r.web_url(n, "`url`"));
    profile.language = f.get("language").and_then(|n| language(r, n));
    if let Some(n) = f.get("wikidata") {
        let q = r.text(n, "`wikidata`")?;
        let valid = q.len() > 1 && q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit());
        if !valid {
            let hint = Some("write the item id, e.g. `wikidata: Q42`".to_string());
            r.error(
                Code::InvalidValue,
                n.span,
                format!("invalid Wikidata id `{q}`"),
                hint,
            );
        } else {
            profile.wikidata = Some(q);
        }
    }
    if let Some(n) = f.get("extra") {
        profile.extra = r.extra(n);
    }
    Some(profile)
}

/// Reads a plain page.
pub(crate) fn read_page(
    r: &mut Reader<'_>,
    front: &Node,
    url_path: String,
    body: &str,
    body_line: u32,
) -> Option<Page> {
    let entries = r.map(front, "the front matter")?;
    let f = r.fields(entries, PAGE_KEYS, "a page");
    let title = required(r, &f, "title", "title: \"About\"").and_then(|n| r.text(n, "`title`"));
    Some(Page {
        url_path,
        path: r.path.to_path_buf(),
        title: title?,
        summary: f.get("summary").and_then(|n| r.text(n, "`summary`")),
        draft: f
            .get("draft")
            .and_then(|n| r.bool(n, "`draft`"))
            .unwrap_or(false),
        aliases: aliases(r, &f),
        language: f.get("language").and_then(|n| language(r, n)),
        body: body.to_string(),
        body_line,
        extra: f
            .get("extra")
            .map(|n| r.extra(n))
            .unwrap_or_else(|| serde_json::json!({})),
    })
}
