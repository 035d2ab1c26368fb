//! The shared writer of `gloss import`: writes every [`Entry`] a generator's module
//! produced (articles, pages, the files of their bundles), the topic and person
//! profiles their front matter names, the assets and `site.yaml`, each file created new
//! and never over anything. The passes every source needs run here, on the entries'
//! bodies: root-relative files the source lacks, heading ids the source's links name,
//! links to pages the import does not bring, old URLs as aliases, the lead image.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde_json::Value;

use super::{Entry, EntryKind, Found, Report, front};

/// Writes `found` into `dest` (empty).
pub(crate) fn write(found: Found, dest: &Path, report: &mut Report) -> Result<()> {
    let mut out = Out::new(dest);
    let mut topics: BTreeMap<String, String> = BTreeMap::new();
    for entry in &found.entries {
        write_entry(entry, &found, &mut out, report, &mut topics)?;
    }
    for (id, name) in std::mem::take(&mut out.people) {
        out.urls.insert(format!("/people/{id}/"));
        let mut text = String::from("---\n");
        front::yaml_line(&mut text, "name", &Value::String(name));
        text.push_str("---\n");
        out.put(
            &Path::new("content/people").join(format!("{id}.md")),
            text.as_bytes(),
        )?;
        report.people += 1;
    }
    for (id, name) in &topics {
        out.urls.insert(format!("/topics/{id}/"));
        let name = found.topic_names.get(id).unwrap_or(name);
        let mut text = String::from("---\n");
        front::yaml_line(&mut text, "name", &Value::String(name.clone()));
        text.push_str("---\n");
        out.put(
            &Path::new("content/topics").join(format!("{id}.md")),
            text.as_bytes(),
        )?;
        report.topics += 1;
    }
    link_pages_left_behind(&mut out, &found, report)?;
    for (from, to) in &found.assets {
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        out.put(to, &bytes)?;
        report.assets += 1;
    }
    out.put(Path::new("site.yaml"), site_yaml(&found).as_bytes())?;
    out.put(Path::new(".gitignore"), b"public/\n.gloss/\n")?;
    Ok(())
}

/// The new site's `site.yaml`: the source's title and URL, its permalink scheme, and raw
/// HTML sanitised (imported bodies hold tables, figures and embeds).
fn site_yaml(found: &Found) -> String {
    let mut t = String::new();
    if let Some(title) = &found.title {
        front::yaml_line(&mut t, "title", &Value::String(title.clone()));
    }
    if let Some(d) = &found.description {
        front::yaml_line(&mut t, "description", &Value::String(d.clone()));
    }
    if let Some(url) = &found.base_url {
        front::yaml_line(&mut t, "base_url", &Value::String(url.clone()));
    }
    t.push_str(&format!("permalinks:\n  article: {}\n", found.permalink));
    t.push_str("markdown:\n  html: sanitize\n");
    t
}

/// Writes one article or page, with the files of its bundle beside it.
fn write_entry(
    entry: &Entry,
    found: &Found,
    out: &mut Out<'_>,
    report: &mut Report,
    topics: &mut BTreeMap<String, String>,
) -> Result<()> {
    let shown = entry.rel.display().to_string();
    // Two source pages the generator published at one URL (`Foo.md` and `foo.md` both
    // lower-cased, a `url:` given twice): the first keeps it.
    let key = entry.file.to_string_lossy().to_lowercase();
    if let Some(first) = out.files.get(&key) {
        report.left.push(format!(
            "{shown}:1: same URL `{}` as {first}: not imported",
            entry.url
        ));
        return Ok(());
    }
    out.files.insert(key, shown.clone());
    let m = &entry.mapped;
    for what in &m.notes {
        report.count(what, || shown.clone());
    }
    // Raw-HTML embeds (tweets, video iframes) are the same in every generator's bodies.
    let html = super::blocks::convert_html(&entry.body);
    for (what, example) in &html.done {
        report.count(what, || format!("{shown}: {}", super::one_line(example)));
    }
    let (text, repaired) = super::blocks::repair_attribute_quotes(&html.text);
    if let Some(tag) = repaired {
        report.count(
            "inner `\"` of an HTML attribute value written `&quot;` (else the tag shows as text)",
            || format!("{shown}: {}", super::one_line(&tag)),
        );
    }
    let body = missing_files(&text, entry.body_line, found, &shown, report);
    let body = keep_heading_ids(&body, found, &shown, report);
    let mut t = String::from("---\n");
    let title = m.title.clone().unwrap_or_default();
    front::yaml_line(&mut t, "title", &Value::String(title));
    let mut aliases = Vec::new();
    if let EntryKind::Article { date } = &entry.kind {
        front::yaml_line(&mut t, "date", &Value::String(date.clone()));
        if let Some(u) = &m.updated {
            front::yaml_line(&mut t, "updated", &Value::String(u.clone()));
        }
    }
    if let Some(s) = &m.summary {
        front::yaml_line(&mut t, "summary", &Value::String(s.clone()));
    }
    if let EntryKind::Article { .. } = &entry.kind {
        if !m.authors.is_empty() {
            front::yaml_line(&mut t, "authors", &Value::from(m.authors.clone()));
        }
        if !m.topics.is_empty() {
            let ids: Vec<String> = m.topics.iter().map(|(i, _)| i.clone()).collect();
            front::yaml_line(&mut t, "topics", &Value::from(ids));
        }
        if m.draft {
            t.push_str("draft: true\n");
        }
        aliases = aliases_of(&entry.url, entry.old_urls.clone(), &shown, report);
        if !aliases.is_empty() {
            front::yaml_line(&mut t, "aliases", &Value::from(aliases.clone()));
        }
        if let Some(image) = lead_image(entry, &body, found, &shown, report) {
            front::yaml_line(&mut t, "image", &image);
        }
        for (id, name) in &m.topics {
            topics.entry(id.clone()).or_insert_with(|| name.clone());
        }
        for (id, name) in &m.people {
            out.people.entry(id.clone()).or_insert_with(|| name.clone());
        }
    }
    if !m.extra.is_empty() {
        let extra: serde_json::Map<String, Value> = m.extra.clone().into_iter().collect();
        front::yaml_line(&mut t, "extra", &Value::Object(extra));
    }
    t.push_str("---\n");
    t.push_str(&body);
    out.urls.insert(entry.url.clone());
    out.urls.extend(aliases);
    out.put_text(&entry.file, &t)?;
    let folder = entry.file.parent().unwrap_or(Path::new(""));
    for (from, to) in &entry.bundle {
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        out.put(&folder.join(to), &bytes)?;
        report.count("bundle file copied beside its article", || {
            format!("{shown}: {}", to.display())
        });
    }
    match entry.kind {
        EntryKind::Article { .. } => report.articles += 1,
        EntryKind::Page => report.pages += 1,
    }
    Ok(())
}

/// Writes the new site's files: each created new, never over anything.
pub(crate) struct Out<'a> {
    dest: &'a Path,
    /// The Markdown files written, for the pass over their links.
    texts: Vec<PathBuf>,
    /// The entries' files written, lower-cased, with the source file each came from.
    files: BTreeMap<String, String>,
    /// The URL paths of the new site's pages (`/2014/03/12/x/`), aliases included.
    urls: std::collections::BTreeSet<String>,
    /// The people bylines name, by id, with their names: each gets a profile.
    pub(crate) people: BTreeMap<String, String>,
}

impl<'a> Out<'a> {
    pub(crate) fn new(dest: &'a Path) -> Out<'a> {
        let urls = [
            "/",
            "/archive/",
            "/people/",
            "/topics/",
            "/outlets/",
            "/quotes/",
            "/search/",
        ]
        .iter()
        .map(|u| (*u).to_string())
        .collect();
        Out {
            dest,
            texts: Vec::new(),
            files: BTreeMap::new(),
            urls,
            people: BTreeMap::new(),
        }
    }

    /// Writes a Markdown file of the new site (articles, pages), kept for the link pass.
    pub(crate) fn put_text(&mut self, rel: &Path, text: &str) -> Result<()> {
        self.put(rel, text.as_bytes())?;
        self.texts.push(rel.to_path_buf());
        Ok(())
    }

    /// Writes the profile `content/KIND/ID.md` (`people`, `topics`) named `name`, with
    /// `body` (Markdown) under its front matter.
    pub(crate) fn put_profile(
        &mut self,
        kind: &str,
        id: &str,
        name: &str,
        body: &str,
    ) -> Result<()> {
        self.urls.insert(format!("/{kind}/{id}/"));
        let mut text = String::from("---\n");
        front::yaml_line(&mut text, "name", &Value::String(name.to_string()));
        text.push_str("---\n");
        text.push_str(body);
        self.put(
            &Path::new("content").join(kind).join(format!("{id}.md")),
            text.as_bytes(),
        )
    }

    /// Writes a file of the new site, created new (never over anything).
    pub(crate) fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<()> {
        use std::io::Write as _;
        if let Some(parent) = rel.parent() {
            crate::cmd::create_dirs(self.dest, parent)?;
        }
        let path = self.dest.join(rel);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(bytes)
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

/// The fragments the source's links name (`](#frag)`, `](/post/#frag)`, `href="…#frag"`,
/// in any post or page) that name no heading of this body as gloss makes ids (GitHub's
/// way) but one as the source's generator did (its slugger may turn `.` into `-`, say):
/// that heading gets the source's id written out (`## Title {#frag}`), so the links keep
/// working. Matched on letters and digits alone, or as Zola's slugger makes ids.
fn keep_heading_ids(text: &str, found: &Found, shown: &str, report: &mut Report) -> String {
    let alnum = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let fragments = &found.fragments;
    if fragments.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut fence = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        if trimmed.trim_start().starts_with("```") || trimmed.trim_start().starts_with("~~~") {
            fence = !fence;
        }
        let heading = trimmed
            .strip_prefix('#')
            .map(|h| h.trim_start_matches('#'))
            .filter(|h| !fence && h.starts_with(' ') && !trimmed.ends_with('}'));
        let Some(title) = heading.map(str::trim) else {
            out.push_str(line);
            continue;
        };
        // The heading as a reader sees it: link targets are no part of its id.
        let visible = front::plain_text(title);
        let github = crate::markdown::headings::github_slug(&visible);
        // Zola's ids are the `slug` crate's (emoji and accents transliterated: `🦀` is
        // `crab`), which letters and digits alone do not match.
        let zola = slug::slugify(&visible);
        let wanted = fragments.iter().find(|f| {
            **f != github
                && (alnum(f) == alnum(&visible) || **f == zola)
                && !fragments.contains(&github)
        });
        match wanted {
            Some(frag) if crate::model::is_slug(frag) => {
                out.push_str(trimmed);
                out.push_str(&format!(" {{#{frag}}}"));
                out.push_str(&line[trimmed.len()..]);
                report.count(
                    "heading id kept as the source's links name it (`{#id}`)",
                    || format!("{shown}: {title} {{#{frag}}}"),
                );
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// Root-relative paths to files (`/assets/x.png`, in Markdown or HTML) that the source
/// does not hold: linked to the original site when its URL is known (the page keeps
/// showing the image there), else left and listed.
fn missing_files(
    text: &str,
    body_line: u32,
    found: &Found,
    shown: &str,
    report: &mut Report,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut line = body_line;
    // The last three: the paths of the embed blocks the conversions wrote.
    while let Some(i) = [
        "](/",
        "src=\"/",
        "href=\"/",
        "image: \"/",
        "poster: \"/",
        "src: \"/",
    ]
    .iter()
    .filter_map(|m| rest.find(m).map(|i| i + m.len() - 1))
    .min()
    {
        let before = &rest[..i];
        line += before.matches('\n').count() as u32;
        out.push_str(before);
        rest = &rest[i..];
        let end = rest
            .find([')', '"', ' ', '#', '?', '\n'])
            .unwrap_or(rest.len());
        let path = &rest[..end];
        let file = path.trim_start_matches('/');
        let is_file = !path.starts_with("//")
            && std::path::Path::new(file).extension().is_some()
            && !file.ends_with(".html");
        let missing = is_file
            && !found.serves(file)
            && found
                .asset_dirs
                .iter()
                .any(|d| file.starts_with(d.as_str()));
        match (&found.base_url, missing) {
            (Some(base), true) => {
                out.push_str(&format!("{base}{file}"));
                report.count(
                    "file the source does not have linked to the original site",
                    || format!("{shown}:{line}: {path}"),
                );
            }
            (None, true) => {
                report
                    .left
                    .push(format!("{shown}:{line}: `{path}` is not in the source"));
                out.push_str(path);
            }
            (_, false) => out.push_str(path),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Root-relative links of the written articles and pages to pages the new site does not
/// have (the source's other pages, not imported): `/tags/x/` to the topic `x` when the
/// site has it, else to the original site when its URL is known, else left and listed.
/// Only files this import wrote are rewritten.
fn link_pages_left_behind(out: &mut Out<'_>, found: &Found, report: &mut Report) -> Result<()> {
    for rel in out.texts.clone() {
        let path = out.dest.join(&rel);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let shown = rel.display().to_string();
        let mut new = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(i) = ["](/", "href=\"/"]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| i + m.len() - 1))
            .min()
        {
            new.push_str(&rest[..i]);
            rest = &rest[i..];
            let end = rest
                .find([')', '"', ' ', '#', '?', '\n'])
                .unwrap_or(rest.len());
            let link = &rest[..end];
            let is_page = !link.starts_with("//")
                && std::path::Path::new(link.trim_end_matches('/'))
                    .extension()
                    .is_none_or(|e| e == "html");
            let url = if link.ends_with('/') || link.ends_with(".html") {
                link.to_string()
            } else {
                format!("{link}/")
            };
            let known =
                out.urls.contains(&url) || out.urls.iter().any(|u| u.eq_ignore_ascii_case(&url));
            if !is_page || known {
                new.push_str(link);
            } else if let Some(topic) = url
                .strip_prefix("/tags/")
                .map(|t| format!("/topics/{}/", front::topic_id(t.trim_end_matches('/'))))
                .filter(|t| out.urls.contains(t))
            {
                report.count("`/tags/x/` link -> the topic's page", || {
                    format!("{shown}: {link}")
                });
                new.push_str(&topic);
            } else if let Some(base) = &found.base_url {
                report.count(
                    "link to a page the import does not bring -> the original site",
                    || format!("{shown}: {link}"),
                );
                new.push_str(&format!("{base}{}", link.trim_start_matches('/')));
            } else {
                report.left.push(format!(
                    "{shown}: link to `{link}`, a page the import does not bring"
                ));
                new.push_str(link);
            }
            rest = &rest[end..];
        }
        new.push_str(rest);
        if new != text {
            // This run's own file, just written: replaced whole.
            std::fs::write(&path, new)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}

/// The old URLs of a post that are not its new one, as aliases; one that differs from
/// it only by case cannot be kept (one file on case-insensitive file systems) and is
/// reported.
pub(crate) fn aliases_of(
    url: &str,
    old: Vec<String>,
    shown: &str,
    report: &mut Report,
) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for o in old {
        let o = if o.ends_with('/') || o.contains('.') {
            o
        } else {
            format!("{o}/")
        };
        let o = if o.starts_with('/') {
            o
        } else {
            format!("/{o}")
        };
        if o == url || kept.contains(&o) {
            continue;
        }
        if o.to_lowercase() == url.to_lowercase() {
            report.left.push(format!(
                "{shown}:1: old URL `{o}` differs from the new `{url}` only by case: not kept as an alias (hosts that ignore case serve the article there)"
            ));
            continue;
        }
        report.count("old URL kept as an alias (a redirect page)", || {
            format!("{shown}: {o} -> {url}")
        });
        kept.push(o);
    }
    kept
}

/// The post's lead image as gloss's `image: {src, alt, caption}`: a path of the site
/// when the source has the file, else its address on the original site (when known),
/// else none (listed). Without an `image_alt`, the text alternative the body gives the
/// same image is its alt (sources often use the lead image as the first figure too).
fn lead_image(
    entry: &Entry,
    body: &str,
    found: &Found,
    shown: &str,
    report: &mut Report,
) -> Option<Value> {
    let mapped = &entry.mapped;
    let src = mapped.image.as_deref()?.trim();
    let in_bundle = |p: &str| entry.bundle.iter().any(|(_, to)| to == Path::new(p));
    let src = if src.contains("://") || in_bundle(src) {
        src.to_string()
    } else {
        let file = src.trim_start_matches('/');
        if found.serves(file) {
            format!("/{file}")
        } else if let Some(base) = &found.base_url {
            report.count(
                "lead image the source does not have -> the original site",
                || format!("{shown}: {src}"),
            );
            format!("{base}{file}")
        } else {
            report.left.push(format!(
                "{shown}:1: lead image `{src}` is not in the source: left out"
            ));
            return None;
        }
    };
    let mut map = serde_json::Map::new();
    let body_alt = alt_in_body(body, &src);
    map.insert("src".into(), Value::String(src));
    if let Some(alt) = &mapped.image_alt {
        map.insert("alt".into(), Value::String(alt.clone()));
    } else if let Some(alt) = body_alt {
        report.count(
            "lead image's alt taken from the body's use of the same image",
            || format!("{shown}: {alt}"),
        );
        map.insert("alt".into(), Value::String(alt));
    }
    if let Some(caption) = &mapped.image_caption {
        map.insert("caption".into(), Value::String(caption.clone()));
    }
    Some(Value::Object(map))
}

/// The alt text of the first Markdown image in `body` showing `src` (the same path, with
/// or without its leading `/`), when it has one.
fn alt_in_body(body: &str, src: &str) -> Option<String> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let want = src.trim_start_matches('/');
    let mut inside: Option<String> = None;
    for event in pulldown_cmark::Parser::new(body) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                inside = (dest_url.trim_start_matches('/') == want).then(String::new);
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(a) = inside.as_mut() {
                    a.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some(a) = inside.take()
                    && !a.trim().is_empty()
                {
                    return Some(a.trim().to_string());
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_image_takes_its_alt_from_the_body() {
        let body = "![](/a.png)\n\n![A *phone* in `hand`](/assets/in-hand.jpg \"t\")\n";
        let alt = |src| alt_in_body(body, src);
        assert_eq!(
            alt("/assets/in-hand.jpg").as_deref(),
            Some("A phone in hand")
        );
        assert_eq!(
            alt("assets/in-hand.jpg").as_deref(),
            Some("A phone in hand")
        );
        assert_eq!(alt("/a.png"), None);
        assert_eq!(alt("/b.png"), None);
    }

    /// A bundle's lead image (Hugo's `images = ["cover.png"]` beside `index.md`) stays
    /// relative to the article; one the source lacks, with no address to link, is left
    /// out and listed.
    #[test]
    fn a_bundle_lead_image_stays_beside_its_article() {
        let mut entry = Entry {
            rel: PathBuf::from("content/posts/x/index.md"),
            kind: EntryKind::Article {
                date: "2020-01-02".into(),
            },
            mapped: front::Mapped {
                image: Some("cover.png".into()),
                ..front::Mapped::default()
            },
            body: String::new(),
            body_line: 1,
            file: PathBuf::from("content/articles/posts/x/index.md"),
            url: "/posts/x/".into(),
            old_urls: Vec::new(),
            bundle: vec![(
                PathBuf::from("/src/x/cover.png"),
                PathBuf::from("cover.png"),
            )],
        };
        let found = Found::default();
        let mut report = Report::default();
        assert_eq!(
            lead_image(&entry, "", &found, "x", &mut report),
            Some(serde_json::json!({"src": "cover.png"}))
        );
        entry.bundle.clear();
        assert_eq!(lead_image(&entry, "", &found, "x", &mut report), None);
        assert_eq!(
            report.left,
            ["x:1: lead image `cover.png` is not in the source: left out"]
        );
    }

    /// The source's links name heading ids as its generator made them: by letters and
    /// digits (`v1.2` -> `v1-2`), or as Zola's slugger does (emoji transliterated).
    #[test]
    fn heading_ids_the_source_links_name_are_kept() {
        let mut found = Found::default();
        found.fragments.insert("release-v1-2".into());
        found.fragments.insert("unsound-issues-crab".into());
        let mut report = Report::default();
        let text = "## Release v1.2\n\n## Unsound issues (\u{1f980})\n\n## Other\n";
        assert_eq!(
            keep_heading_ids(text, &found, "x.md", &mut report),
            "## Release v1.2 {#release-v1-2}\n\n## Unsound issues (\u{1f980}) {#unsound-issues-crab}\n\n## Other\n"
        );
    }
}
