//! The first pass's findings turned into the new site's plan: which items are
//! imported (posts as articles, pages as pages, drafts kept as drafts, the rest
//! counted), each one's file, slug, date with the site's UTC offset, new path and old
//! URLs (aliases), and the map from old paths to new ones that bodies' links use.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::dates::{is_datetime, offset, rfc3339};
use super::media::{Attachment, decode_entities};
use super::permalinks::{self, Post};
use super::wxr::{Channel, Item};
use crate::import::Report;

/// gloss's dated scheme, for a structure it cannot spell.
const DEFAULT_PATTERN: &str = "/{year}/{month}/{day}/{slug}/";

/// What the first pass keeps of a post or page (no body).
#[derive(Debug)]
struct Seen {
    id: u64,
    is_page: bool,
    status: String,
    name: String,
    title: String,
    date: String,
    date_gmt: String,
    link: String,
    parent: u64,
    has_password: bool,
    line: u32,
    categories: Vec<String>,
}

/// An item to write.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub(crate) file: PathBuf,
    pub(crate) slug: String,
    /// RFC 3339 with the site's offset (articles).
    pub(crate) date: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) is_page: bool,
    pub(crate) is_draft: bool,
}

/// The import's plan.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    seen: Vec<Seen>,
    /// Items not imported, by kind (`nav_menu_item`, `revision`, a trashed post, …).
    skipped: BTreeMap<String, (usize, String)>,
    /// Custom post types, with the first item's line.
    custom: BTreeMap<String, (usize, u32)>,
    pub(crate) attachments: BTreeMap<u64, Attachment>,
    /// Items to write, by WordPress id.
    pub(crate) items: BTreeMap<u64, Planned>,
    /// Old paths (`/2024/03/x/`, `/?p=12`) to new ones.
    pub(crate) links: BTreeMap<String, String>,
    /// gloss's `permalinks.article`.
    pub(crate) pattern: String,
    /// The topics the imported posts use (each gets a page).
    pub(crate) topic_ids: std::collections::BTreeSet<String>,
    /// The logins of the imported posts' authors, to their person ids (after
    /// [`Plan::finish`]).
    pub(crate) people: BTreeMap<String, String>,
    /// Reusable blocks (`wp_block` items) by id: their content, inlined where used.
    pub(crate) reusable: BTreeMap<u64, String>,
}

/// The person id and name of the author `login`: the display name the export gives,
/// slugged (`ana` -> `ana-ruiz`), else the login. The id is empty when the name has no
/// letters or digits.
pub(crate) fn person(channel: &Channel, login: &str) -> (String, String) {
    let name = channel
        .authors
        .iter()
        .find(|a| a.login == login)
        .map(|a| decode_entities(&a.display_name))
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| login.to_string());
    (crate::import::front::topic_id(&name), name)
}

/// A topic id: the term's nicename (decoded) when it is one, else its name slugged.
pub(crate) fn topic_id(nicename: &str, name: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(nicename).decode_utf8_lossy();
    if crate::model::is_slug(&decoded) {
        decoded.into_owned()
    } else {
        crate::import::front::topic_id(if decoded.is_empty() { name } else { &decoded })
    }
}

impl Plan {
    /// Keeps what later items need of `item` (first pass).
    pub(crate) fn note(&mut self, item: Item) {
        match item.post_type.as_str() {
            "attachment" => {
                let a = Attachment {
                    url: item.attachment_url.clone(),
                    caption: item.excerpt.clone(),
                    alt: item
                        .meta("_wp_attachment_image_alt")
                        .unwrap_or("")
                        .to_string(),
                    parent: item.parent,
                    link: item.link.clone(),
                };
                self.attachments.insert(item.id, a);
            }
            "post" | "page"
                if matches!(item.status.as_str(), "trash" | "auto-draft" | "inherit") =>
            {
                let e = self
                    .skipped
                    .entry(format!(
                        "{} with status `{}` not imported",
                        item.post_type, item.status
                    ))
                    .or_insert((0, format!("line {}", item.line)));
                e.0 += 1;
            }
            "post" | "page" => {
                if item.post_type == "post" {
                    self.people.insert(item.creator.clone(), String::new());
                    for t in &item.terms {
                        let id = topic_id(&t.nicename, &t.name);
                        if matches!(t.domain.as_str(), "category" | "post_tag")
                            && id != "uncategorized"
                            && !id.is_empty()
                        {
                            self.topic_ids.insert(id);
                        }
                    }
                }
                self.seen.push(Seen {
                    id: item.id,
                    is_page: item.post_type == "page",
                    status: item.status.clone(),
                    name: item.post_name.clone(),
                    title: decode_entities(&item.title),
                    // A post without a local date (some exports) has its UTC one.
                    date: if is_datetime(&item.post_date) {
                        item.post_date.clone()
                    } else {
                        item.post_date_gmt.clone()
                    },
                    date_gmt: item.post_date_gmt.clone(),
                    link: item.link.clone(),
                    parent: item.parent,
                    has_password: !item.password.is_empty(),
                    line: item.line,
                    categories: item
                        .terms
                        .iter()
                        .filter(|t| t.domain == "category")
                        .map(|t| t.nicename.clone())
                        .collect(),
                });
            }
            "wp_block" => {
                self.reusable.insert(item.id, item.content);
            }
            kind @ ("nav_menu_item"
            | "revision"
            | "wp_navigation"
            | "wp_template"
            | "wp_template_part"
            | "wp_global_styles"
            | "custom_css"
            | "customize_changeset"
            | "oembed_cache"
            | "user_request"
            | "wp_font_family"
            | "wp_font_face") => {
                let e = self
                    .skipped
                    .entry(format!(
                        "`{kind}` item not imported (site machinery, not content)"
                    ))
                    .or_insert((0, format!("line {}", item.line)));
                e.0 += 1;
            }
            other => {
                let e = self
                    .custom
                    .entry(other.to_string())
                    .or_insert((0, item.line));
                e.0 += 1;
            }
        }
    }

    /// Plans every item (after the first pass). `base` is the blog's address.
    pub(crate) fn finish(
        mut self,
        base: &str,
        channel: &Channel,
        shown: &str,
        report: &mut Report,
    ) -> Plan {
        for (login, id) in &mut self.people {
            *id = person(channel, login).0;
        }
        for (what, (n, example)) in std::mem::take(&mut self.skipped) {
            for _ in 0..n {
                report.count(&what, || format!("{shown}: {example}"));
            }
        }
        for (kind, (n, line)) in std::mem::take(&mut self.custom) {
            report.left.push(format!(
                "{shown}:{line}: {n} item(s) of the custom post type `{kind}` not imported"
            ));
        }
        // The site's usual offset, for drafts that have no GMT date yet.
        let offsets: Vec<i64> = self
            .seen
            .iter()
            .filter_map(|s| offset(&s.date, &s.date_gmt))
            .collect();
        let site_offset = permalinks::infer(offsets.iter().map(|o| format!("{o:+08}")))
            .and_then(|o| o.parse::<i64>().ok());
        let structures = self
            .seen
            .iter()
            .filter(|s| !s.is_page && s.status == "publish" && is_datetime(&s.date))
            .filter_map(|s| {
                let path = permalinks::path_of(&s.link, base)?;
                permalinks::structure_of(
                    &path,
                    &Post {
                        date: &s.date,
                        name: &s.name,
                        id: s.id,
                        categories: &s.categories,
                    },
                )
            });
        let structure = permalinks::infer(structures);
        self.pattern = structure
            .as_deref()
            .and_then(permalinks::gloss_pattern)
            .unwrap_or_else(|| DEFAULT_PATTERN.to_string());
        if let Some(s) = &structure {
            report.count(
                &format!(
                    "permalink structure `{s}` -> `permalinks.article: {}`",
                    self.pattern
                ),
                || format!("{shown}: inferred from the posts' links"),
            );
        }
        let pages: BTreeMap<u64, (String, u64)> = self
            .seen
            .iter()
            .filter(|s| s.is_page)
            .map(|s| (s.id, (slug_of(s), s.parent)))
            .collect();
        let mut taken: std::collections::BTreeSet<String> = Default::default();
        let seen = std::mem::take(&mut self.seen);
        for s in &seen {
            if !is_datetime(&s.date) {
                report.left.push(format!(
                    "{shown}:{}: `{}` has no date WordPress could write (`{}`): not imported",
                    s.line, s.title, s.date
                ));
                continue;
            }
            let planned = self.plan_one(s, &pages, site_offset, base, shown, report, &mut taken);
            self.items.insert(s.id, planned);
        }
        self.attachment_pages(base, report);
        self
    }

    /// An attachment's own page (`/2024/03/15/post/photo/`, WordPress shows the image
    /// there) redirects to the published post it belongs to.
    fn attachment_pages(&mut self, base: &str, report: &mut Report) {
        for a in self.attachments.values() {
            let Some(parent) = self.items.get_mut(&a.parent).filter(|p| !p.is_draft) else {
                continue;
            };
            let Some(path) = permalinks::path_of(&a.link, base).filter(|p| !p.contains('?')) else {
                continue;
            };
            let mut path = percent_encoding::percent_decode_str(&path)
                .decode_utf8_lossy()
                .into_owned();
            if !path.ends_with('/') && !path.contains('.') {
                path.push('/');
            }
            if parent.aliases.contains(&path) || path == "/" {
                continue;
            }
            report.count("attachment page -> a redirect to its post", || {
                format!("{}: {path}", parent.file.display())
            });
            parent.aliases.push(path);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn plan_one(
        &mut self,
        s: &Seen,
        pages: &BTreeMap<u64, (String, u64)>,
        site_offset: Option<i64>,
        base: &str,
        shown: &str,
        report: &mut Report,
        taken: &mut std::collections::BTreeSet<String>,
    ) -> Planned {
        let at = format!("{shown}:{}", s.line);
        let mut slug = slug_of(s);
        let date = rfc3339(&s.date, offset(&s.date, &s.date_gmt).or(site_offset));
        let (file, url) = if s.is_page {
            let mut path = vec![slug.clone()];
            let mut parent = s.parent;
            // A chain of parents, never a loop (a broken export may have one).
            while let Some((name, up)) = pages.get(&parent).filter(|_| path.len() < 16) {
                path.insert(0, name.clone());
                parent = *up;
            }
            let path = path.join("/");
            (
                PathBuf::from(format!("content/pages/{path}.md")),
                format!("/{path}/"),
            )
        } else {
            if !taken.insert(slug.clone()) {
                slug = format!("{slug}-{}", s.id);
                taken.insert(slug.clone());
            }
            (
                PathBuf::from(format!("content/articles/{}/{slug}.md", &date[..4])),
                permalinks::expand(&self.pattern, &date, &slug),
            )
        };
        let old = permalinks::path_of(&s.link, base);
        let mut olds = Vec::new();
        match &old {
            Some(p) if p.contains('?') => {
                report.count(
                    "`?p=ID` address (a query, which no static host serves as a path): id kept as `extra.wordpress_id`",
                    || format!("{at}: {p}"),
                );
            }
            Some(p) if s.status == "publish" => olds.push(
                percent_encoding::percent_decode_str(p)
                    .decode_utf8_lossy()
                    .into_owned(),
            ),
            _ => {}
        }
        let aliases = crate::import::aliases_of(&url, olds, &file.display().to_string(), report);
        if let Some(p) = old {
            self.links.insert(p, url.clone());
        }
        let query = if s.is_page { "page_id" } else { "p" };
        self.links
            .insert(format!("/?{query}={}", s.id), url.clone());
        let is_draft = match s.status.as_str() {
            "publish" if s.has_password => {
                report.left.push(format!(
                    "{at}: `{}` is password-protected: imported as a draft (gloss has no passwords)",
                    s.title
                ));
                true
            }
            "publish" => false,
            status => {
                report.count(&format!("status `{status}` -> `draft: true`"), || {
                    format!("{at}: {}", s.title)
                });
                true
            }
        };
        Planned {
            file,
            slug,
            date,
            aliases,
            is_page: s.is_page,
            is_draft,
        }
    }
}

/// A post's slug: its `post_name` decoded when it makes a clean path part, else
/// slugged; a draft without one is named from its title (or its id).
fn slug_of(s: &Seen) -> String {
    let decoded = percent_encoding::percent_decode_str(&s.name)
        .decode_utf8_lossy()
        .into_owned();
    let clean = !decoded.is_empty()
        && !decoded.contains(['/', '\\', ' ', '.', '?', '#', '%'])
        && decoded.to_lowercase() == decoded;
    if clean {
        return decoded;
    }
    let from = if decoded.is_empty() {
        &s.title
    } else {
        &decoded
    };
    let slug = crate::import::front::topic_id(from);
    if slug.is_empty() {
        format!("post-{}", s.id)
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_ids_from_nicenames() {
        assert_eq!(topic_id("city-council", "City Council"), "city-council");
        assert_eq!(topic_id("caf%c3%a9", "Café"), "cafe");
        assert_eq!(topic_id("", "Local News"), "local-news");
    }
}
