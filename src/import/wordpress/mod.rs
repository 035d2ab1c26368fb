//! `gloss import wordpress EXPORT.xml DEST`: a WordPress export (WXR) as a gloss site.
//!
//! Two streaming passes over the export ([`wxr`]): the first keeps only what other
//! items refer to (attachments, each post's and page's name, date, link and parent),
//! from which the permalink structure is inferred ([`permalinks`]) and every new path
//! and old URL planned ([`plan`]); the second converts each post and page as it is read
//! ([`body`]) and writes it, so no body is held longer than its own conversion. Then
//! the topic and person profiles, the uploads ([`media`]) and `site.yaml`.

mod body;
mod dates;
mod embeds;
mod html;
mod media;
mod permalinks;
mod plan;
mod shortcodes;
mod tweets;
mod wxr;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result};
use serde_json::Value;

use super::{Out, Report, front};
use media::{Uploads, decode_entities};
use plan::Plan;

/// Imports the export at `export` into `dest` (already checked new or empty).
/// `uploads` is a copy of the site's `wp-content/uploads`; `base_url` overrides the
/// export's own address.
pub(crate) fn import(
    export: &Path,
    dest: &Path,
    uploads: Option<&Path>,
    base_url: Option<&str>,
) -> Result<Report> {
    let shown = export
        .file_name()
        .map_or_else(|| "export.xml".into(), |n| n.to_string_lossy().into_owned());
    let mut report = Report::default();
    let mut plan = Plan::default();
    let channel = wxr::read(export, |item| {
        plan.note(item);
        Ok(())
    })?;
    if let Some(url) = base_url
        && crate::load::normalise_base_url(url).is_none()
    {
        anyhow::bail!(
            "`{url}` is not an absolute http(s) URL\nhint: write e.g. `--base-url https://example.org/`"
        );
    }
    let base = base_url
        .map(str::to_string)
        .or_else(|| Some(channel.blog_url.clone()).filter(|b| !b.is_empty()))
        .unwrap_or_else(|| channel.link.clone());
    // The export read whole once: nothing is created for a file gloss cannot read.
    super::make_empty(dest)?;
    let plan = plan.finish(&base, &channel, &shown, &mut report);
    let mut uploads = Uploads {
        dir: uploads.map(Path::to_path_buf),
        site: base.clone(),
        ..Uploads::default()
    };
    let converter = html::converter();
    let mut out = Out::new(dest);
    let mut topics: BTreeMap<String, String> = BTreeMap::new();
    let mut w = Writer {
        plan: &plan,
        channel: &channel,
        shown: &shown,
        base: &base,
        converter: &converter,
        uploads: &mut uploads,
        out: &mut out,
        report: &mut report,
        topics: &mut topics,
    };
    wxr::read(export, |item| w.item(item))?;
    write_profiles(&mut out, &channel, &topics, &mut report)?;
    copy_uploads(&plan, &mut uploads, &mut out, &mut report)?;
    let mut yaml = String::new();
    let title = decode_entities(&channel.title);
    if !title.is_empty() {
        front::yaml_line(&mut yaml, "title", &Value::String(title));
    }
    let description = decode_entities(&channel.description);
    if !description.is_empty() {
        front::yaml_line(&mut yaml, "description", &Value::String(description));
    }
    if let Some(url) = crate::load::normalise_base_url(&base) {
        front::yaml_line(&mut yaml, "base_url", &Value::String(url));
    }
    yaml.push_str(&format!("permalinks:\n  article: {}\n", plan.pattern));
    yaml.push_str("markdown:\n  html: sanitize\n");
    out.put(Path::new("site.yaml"), yaml.as_bytes())?;
    out.put(Path::new(".gitignore"), b"public/\n.gloss/\n")?;
    Ok(report)
}

/// Topic profiles (the original names, a category's description as the body) and
/// person profiles (authors' display names; no e-mail address is written anywhere).
fn write_profiles(
    out: &mut Out<'_>,
    channel: &wxr::Channel,
    topics: &BTreeMap<String, String>,
    report: &mut Report,
) -> Result<()> {
    for (id, name) in std::mem::take(&mut out.people) {
        out.put_profile("people", &id, &name, "")?;
        report.people += 1;
    }
    for (id, name) in topics {
        let description = channel
            .terms
            .iter()
            .find(|t| plan::topic_id(&t.nicename, &t.name) == *id)
            .map(|t| t.description.trim())
            .filter(|d| !d.is_empty())
            .map(|d| format!("{d}\n"))
            .unwrap_or_default();
        out.put_profile("topics", id, name, &description)?;
        report.topics += 1;
    }
    Ok(())
}

/// Copies the uploaded files the site uses, and every attachment's file, to
/// `static/wp-content/uploads/`; lists the images left on the original site.
fn copy_uploads(
    plan: &Plan,
    uploads: &mut Uploads,
    out: &mut Out<'_>,
    report: &mut Report,
) -> Result<()> {
    for a in plan.attachments.values() {
        uploads.map(&a.url);
    }
    if let Some(dir) = uploads.dir.clone() {
        for rel in &uploads.copied {
            let from = dir.join(rel);
            let bytes =
                std::fs::read(&from).with_context(|| format!("cannot read {}", from.display()))?;
            out.put(&Path::new("static/wp-content/uploads").join(rel), &bytes)?;
            report.assets += 1;
        }
    }
    let why = if uploads.dir.is_some() {
        "not in the --uploads folder"
    } else {
        "no --uploads folder given"
    };
    for (url, n) in &uploads.remote {
        report.left.push(format!(
            "{url}: linked on the original site ({why}; used {n}×)"
        ));
    }
    Ok(())
}

/// The second pass: writes each post and page as it is read.
struct Writer<'a, 'd> {
    plan: &'a Plan,
    channel: &'a wxr::Channel,
    shown: &'a str,
    base: &'a str,
    converter: &'a htmd::HtmlToMarkdown,
    uploads: &'a mut Uploads,
    out: &'a mut Out<'d>,
    report: &'a mut Report,
    topics: &'a mut BTreeMap<String, String>,
}

impl Writer<'_, '_> {
    fn item(&mut self, item: wxr::Item) -> Result<()> {
        let Some(planned) = self.plan.items.get(&item.id) else {
            return Ok(());
        };
        let at = format!("{}:{}", self.shown, item.line);
        let converted = body::convert(
            &item.content,
            &body::Context {
                attachments: &self.plan.attachments,
                post_id: item.id,
                links: &self.plan.links,
                topics: &self.plan.topic_ids,
                people: &self.plan.people,
                base: self.base,
                converter: self.converter,
                reusable: &self.plan.reusable,
            },
            self.uploads,
        );
        let file = planned.file.clone();
        let shown_file = file.display().to_string();
        for (what, example) in &converted.done {
            self.report
                .count(what, || format!("{shown_file}: {example}"));
        }
        for (line, what) in &converted.left {
            let line = item.content_line.max(item.line) + line - 1;
            self.report
                .left
                .push(format!("{}:{line}: {shown_file}: {what}", self.shown));
        }
        for _ in 0..item.comments {
            self.report.count(
                "comment dropped (gloss archives articles, not comments)",
                || at.clone(),
            );
        }
        let text = self.front_matter(&item, planned) + &converted.text;
        self.out.put_text(&file, &text)?;
        if planned.is_page {
            self.report.pages += 1;
        } else {
            self.report.articles += 1;
        }
        Ok(())
    }

    /// The file's front matter, `---` lines included.
    fn front_matter(&mut self, item: &wxr::Item, planned: &plan::Planned) -> String {
        let mut t = String::from("---\n");
        let title = decode_entities(item.title.trim());
        let title = if title.is_empty() {
            planned.slug.replace('-', " ")
        } else {
            title
        };
        front::yaml_line(&mut t, "title", &Value::String(title));
        let mut extra = serde_json::Map::new();
        extra.insert("wordpress_id".into(), Value::from(item.id));
        if !planned.is_page {
            front::yaml_line(&mut t, "date", &Value::String(planned.date.clone()));
            if let Some(u) = dates::updated(item, &planned.date) {
                front::yaml_line(&mut t, "updated", &Value::String(u));
            }
        }
        let summary = front::plain_text(&decode_entities(&item.excerpt));
        let summary = summary.split_whitespace().collect::<Vec<_>>().join(" ");
        if !summary.is_empty() {
            front::yaml_line(&mut t, "summary", &Value::String(summary));
        }
        if !planned.is_page {
            self.authors_and_topics(item, &mut t, &mut extra);
        }
        if planned.is_draft {
            t.push_str("draft: true\n");
        }
        if !planned.aliases.is_empty() {
            front::yaml_line(&mut t, "aliases", &Value::from(planned.aliases.clone()));
        }
        if !planned.is_page
            && let Some(image) = self.lead_image(item)
        {
            front::yaml_line(&mut t, "image", &image);
        }
        if item.is_sticky {
            extra.insert("sticky".into(), Value::Bool(true));
        }
        let meta: serde_json::Map<String, Value> = item
            .meta
            .iter()
            .filter(|(k, _)| !k.starts_with('_'))
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        if !meta.is_empty() {
            extra.insert("meta".into(), Value::Object(meta));
        }
        front::yaml_line(&mut t, "extra", &Value::Object(extra));
        t.push_str("---\n");
        t
    }

    /// `authors:` (person ids from the display names) and `topics:` (categories and
    /// tags by nicename); other taxonomies go under `extra`.
    fn authors_and_topics(
        &mut self,
        item: &wxr::Item,
        t: &mut String,
        extra: &mut serde_json::Map<String, Value>,
    ) {
        if !item.creator.is_empty() {
            let (id, name) = plan::person(self.channel, &item.creator);
            if id.is_empty() {
                front::yaml_line(t, "authors", &Value::from(vec![name]));
            } else {
                front::yaml_line(t, "authors", &Value::from(vec![id.clone()]));
                self.out.people.entry(id).or_insert(name);
            }
        }
        let mut ids: Vec<String> = Vec::new();
        let mut others: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for term in &item.terms {
            let name = decode_entities(&term.name);
            match term.domain.as_str() {
                "category" | "post_tag" => {
                    let id = plan::topic_id(&term.nicename, &name);
                    if id == "uncategorized" {
                        self.report.count(
                            "category `Uncategorized` (WordPress's default) dropped",
                            || format!("{}:{}", self.shown, item.line),
                        );
                        continue;
                    }
                    if !id.is_empty() && !ids.contains(&id) {
                        self.topics.entry(id.clone()).or_insert(name);
                        ids.push(id);
                    }
                }
                other => others
                    .entry(other.to_string())
                    .or_default()
                    .push(Value::String(name)),
            }
        }
        if !ids.is_empty() {
            front::yaml_line(t, "topics", &Value::from(ids));
        }
        for (domain, names) in others {
            extra.insert(domain, Value::Array(names));
        }
    }

    /// The lead image from `_thumbnail_id`: the attachment's file, alt and caption.
    fn lead_image(&mut self, item: &wxr::Item) -> Option<Value> {
        let id: u64 = item.meta("_thumbnail_id")?.trim().parse().ok()?;
        let Some(a) = self.plan.attachments.get(&id) else {
            self.report.left.push(format!(
                "{}:{}: featured image {id} is not in the export: left out",
                self.shown, item.line
            ));
            return None;
        };
        let mut map = serde_json::Map::new();
        map.insert("src".into(), Value::String(self.uploads.map(&a.url)));
        map.insert("alt".into(), Value::String(decode_entities(&a.alt)));
        let caption = front::plain_text(&decode_entities(&a.caption));
        if !caption.trim().is_empty() {
            map.insert("caption".into(), Value::String(caption.trim().to_string()));
        }
        self.report
            .count("featured image (`_thumbnail_id`) -> lead `image`", || {
                format!("{}:{}: {}", self.shown, item.line, a.url)
            });
        Some(Value::Object(map))
    }
}
