//! `gloss import GENERATOR SRC DEST`: reads another generator's site (never writing into
//! it) and writes a gloss site into an empty `DEST`: posts as articles with their front
//! matter mapped ([`front`]) and their bodies kept verbatim but for the template tags
//! gloss cannot render ([`liquid`]), tags as topic profiles, pages, and assets under
//! `static/`; every old URL kept as the article's own or as an alias. Returns a
//! [`Report`]: each transformation with its count and first example, and every place
//! it could not convert, by file and line. The same source gives the same site.
//!
//! Supported now: Jekyll and Eleventy (posts named `YYYY-MM-DD-slug.md`, Liquid tags),
//! and WordPress exports ([`wordpress`]: `SRC` is the export's XML file).

mod front;
mod liquid;
mod source;
mod wordpress;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

pub use source::Generator;

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// Posts written as articles.
    pub articles: usize,
    /// Plain pages written.
    pub pages: usize,
    /// Topic profiles written.
    pub topics: usize,
    /// Person profiles written (authors the source's data names).
    pub people: usize,
    /// Asset files copied under `static/`.
    pub assets: usize,
    /// Each transformation: how often, and its first example (`file:line: text`).
    pub transforms: BTreeMap<String, (usize, String)>,
    /// What was left as it was, `file:line: what`.
    pub left: Vec<String>,
}

impl Report {
    fn count(&mut self, what: &str, example: impl FnOnce() -> String) {
        let entry = self
            .transforms
            .entry(what.to_string())
            .or_insert_with(|| (0, example()));
        entry.0 += 1;
    }

    /// The report as the terminal shows it.
    pub fn to_text(&self) -> String {
        let mut t = format!(
            "imported {} articles, {} pages, {} topics, {} people, {} assets\n",
            self.articles, self.pages, self.topics, self.people, self.assets
        );
        t.push_str("transformations:\n");
        for (what, (n, example)) in &self.transforms {
            t.push_str(&format!("  {n:>6}  {what}\n          e.g. {example}\n"));
        }
        if self.left.is_empty() {
            t.push_str("left as it was: nothing\n");
        } else {
            t.push_str(&format!("left as it was ({}):\n", self.left.len()));
            for l in &self.left {
                t.push_str(&format!("  {l}\n"));
            }
        }
        t
    }
}

/// Imports the site at `src`, made with `generator`, into `dest` (absent or empty).
/// `base_url` is the address the source was served at, when its configuration does not
/// say (it becomes `base_url`, and files the source lacks link there). `uploads` is a
/// WordPress site's `wp-content/uploads` folder (WordPress only).
pub fn import(
    generator: Generator,
    src: &Path,
    dest: &Path,
    base_url: Option<&str>,
    uploads: Option<&Path>,
) -> Result<Report> {
    let src_real = std::fs::canonicalize(src)
        .with_context(|| format!("cannot read the source site {}", src.display()))?;
    let dest_real = crate::write::resolve_output(dest);
    if dest_real.starts_with(&src_real) || src_real.starts_with(&dest_real) {
        bail!(
            "refusing to import `{}` into `{}`: one holds the other\nhint: import into a new folder outside the source",
            src.display(),
            dest.display()
        );
    }
    if generator == Generator::Wordpress {
        return wordpress::import(&src_real, dest, uploads, base_url);
    }
    if uploads.is_some() {
        bail!(
            "`--uploads` is for WordPress exports\nhint: a {generator:?} site's files are found in the site itself"
        );
    }
    // What the source holds first: nothing is created for a source gloss cannot read.
    let mut found = source::find(generator, &src_real)?;
    if let Some(url) = base_url {
        found.base_url = Some(crate::load::normalise_base_url(url).ok_or_else(|| {
            anyhow::anyhow!("`{url}` is not an absolute http(s) URL\nhint: write e.g. `--base-url https://example.org/`")
        })?);
    }
    make_empty(dest)?;
    let mut report = Report::default();
    let mut out = Out::new(dest);
    let mut topics: BTreeMap<String, String> = BTreeMap::new();
    let mut taken: BTreeMap<String, PathBuf> = BTreeMap::new();
    for post in &found.posts {
        import_post(
            &src_real,
            post,
            &found,
            &mut out,
            &mut report,
            &mut topics,
            &mut taken,
        )?;
    }
    for page in &found.pages {
        import_page(&src_real, page, &found, &mut out, &mut report)?;
    }
    for (id, name) in std::mem::take(&mut out.people) {
        out.put_profile("people", &id, &name, "")?;
        report.people += 1;
    }
    for (id, name) in &topics {
        out.put_profile("topics", id, name, "")?;
        report.topics += 1;
    }
    link_pages_left_behind(&mut out, &found, &mut report)?;
    for asset in &found.assets {
        let rel = asset.strip_prefix(&src_real).unwrap_or(asset);
        let bytes =
            std::fs::read(asset).with_context(|| format!("cannot read {}", asset.display()))?;
        out.put(&Path::new("static").join(rel), &bytes)?;
        report.assets += 1;
    }
    out.put(Path::new("site.yaml"), site_yaml(&found).as_bytes())?;
    out.put(Path::new(".gitignore"), b"public/\n.gloss/\n")?;
    Ok(report)
}

/// Creates `dest`, or checks that it is empty: an import never writes over files.
fn make_empty(dest: &Path) -> Result<()> {
    match std::fs::read_dir(dest).map(|mut d| d.next().is_some()) {
        Ok(true) => bail!(
            "refusing to import into `{}`: it is not empty\nhint: name a new or empty folder; gloss never writes over files",
            dest.display()
        ),
        Ok(false) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(dest)
            .with_context(|| format!("cannot create {}", dest.display()))?,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dest.display())),
    }
    Ok(())
}

/// The new site's `site.yaml`: the source's title and URL, its permalink scheme, and raw
/// HTML sanitised (imported bodies hold tables, figures and embeds).
fn site_yaml(found: &source::Found) -> String {
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
    t.push_str("permalinks:\n  article: /{year}/{month}/{day}/{slug}/\n");
    t.push_str("markdown:\n  html: sanitize\n");
    t
}

/// Writes the new site's files: each created new, never over anything.
struct Out<'a> {
    dest: &'a Path,
    /// The Markdown files written, for the pass over their links.
    texts: Vec<PathBuf>,
    /// The URL paths of the new site's pages (`/2014/03/12/x/`), aliases included.
    urls: std::collections::BTreeSet<String>,
    /// The people bylines name, by id, with their names: each gets a profile.
    people: BTreeMap<String, String>,
}

impl<'a> Out<'a> {
    fn new(dest: &'a Path) -> Out<'a> {
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
            urls,
            people: BTreeMap::new(),
        }
    }

    /// Writes a Markdown file of the new site (articles, pages), kept for the link pass.
    fn put_text(&mut self, rel: &Path, text: &str) -> Result<()> {
        self.put(rel, text.as_bytes())?;
        self.texts.push(rel.to_path_buf());
        Ok(())
    }

    /// Writes the profile `content/KIND/ID.md` (`people`, `topics`) named `name`, with
    /// `body` (Markdown) under its front matter.
    fn put_profile(&mut self, kind: &str, id: &str, name: &str, body: &str) -> Result<()> {
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

    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<()> {
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

/// `YYYY-MM-DD-slug` -> (`YYYY-MM-DD`, `slug`).
fn dated_name(stem: &str) -> Option<(&str, &str)> {
    let date = stem.get(..10)?;
    let rest = stem.get(10..)?.strip_prefix('-')?;
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
        .then_some((date, rest))
}

/// A file name's date with a one-digit day or month padded (`2024-12-5` -> `2024-12-05`).
fn loose_dated_name(stem: &str) -> Option<(String, &str)> {
    if let Some((d, s)) = dated_name(stem) {
        return Some((d.to_string(), s));
    }
    let mut parts = stem.splitn(4, '-');
    let (y, m, d, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let num =
        |s: &str, n: usize| s.len() <= n && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (y.len() == 4 && num(y, 4) && num(m, 2) && num(d, 2))
        .then(|| (format!("{y}-{m:0>2}-{d:0>2}"), rest))
}

/// A post's URL under Jekyll's `permalink` style (its named styles, or a pattern of
/// `:year`, `:month`, `:day`, `:i_month`, `:i_day`, `:title`, `:slug`, `:categories`).
fn jekyll_url(style: &str, date: &str, slug: &str, categories: &[String]) -> Option<String> {
    let pattern = match style {
        "date" => "/:categories/:year/:month/:day/:title.html",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title.html",
        "none" => "/:categories/:title.html",
        p if p.starts_with('/') => p,
        _ => return None,
    };
    if pattern.contains(":y_day") {
        return None;
    }
    let cats: Vec<String> = categories.iter().map(|c| front::topic_id(c)).collect();
    let url = pattern
        .replace(":categories", &cats.join("/"))
        .replace(":year", &date[..4])
        .replace(":i_month", date[5..7].trim_start_matches('0'))
        .replace(":month", &date[5..7])
        .replace(":i_day", date[8..10].trim_start_matches('0'))
        .replace(":day", &date[8..10])
        .replace(":title", slug)
        .replace(":slug", slug)
        .replace(":output_ext", ".html");
    let mut clean = String::from("/");
    clean.push_str(
        &url.split('/')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("/"),
    );
    if url.ends_with('/') {
        clean.push('/');
    }
    Some(clean)
}

/// The day in UTC of an RFC 3339 date-time, when it is not the day written.
fn utc_day(date: &str) -> Option<String> {
    let ts: jiff::Timestamp = date.parse().ok()?;
    let day = ts.strftime("%Y-%m-%d").to_string();
    (day != date[..10]).then_some(day)
}

/// The URL path `/YYYY/MM/DD/slug/` of a post dated `date` (its first 10 characters).
fn dated_url(date: &str, slug: &str) -> String {
    format!("/{}/{}/{}/{slug}/", &date[..4], &date[5..7], &date[8..10])
}

#[allow(clippy::too_many_arguments)]
fn import_post(
    src: &Path,
    post: &Path,
    found: &source::Found,
    out: &mut Out<'_>,
    report: &mut Report,
    topics: &mut BTreeMap<String, String>,
    taken: &mut BTreeMap<String, PathBuf>,
) -> Result<()> {
    let rel = post.strip_prefix(src).unwrap_or(post).to_path_buf();
    let shown = rel.display().to_string();
    let text =
        std::fs::read_to_string(post).with_context(|| format!("cannot read {}", post.display()))?;
    let text = crate::load::normalise_text(text);
    let (fm, body, body_line) = split(&text, &rel)?;
    let mut mapped = front::map(&fm, &found.people);
    if mapped.no_output {
        report.count(
            "`permalink: false` file not imported (the source publishes no page for it)",
            || shown.clone(),
        );
        return Ok(());
    }
    for (to, from) in std::mem::take(&mut mapped.renamed) {
        report.count(&format!("front matter `{from}` -> `{to}`"), || {
            shown.clone()
        });
    }
    let stem = post.file_stem().and_then(|s| s.to_str()).unwrap_or("post");
    let (file_date, slug) = match loose_dated_name(stem) {
        Some((d, s)) => (Some(d), s.to_string()),
        None => (None, stem.to_string()),
    };
    let date = mapped.date.clone().or_else(|| file_date.clone());
    let Some(date) = date else {
        report.left.push(format!(
            "{shown}:1: no date (front matter or file name): not imported"
        ));
        return Ok(());
    };
    if mapped.date.is_none() {
        report.count("date taken from the file name", || shown.clone());
    }
    // The post's URL: its own permalink when dated like the scheme, else the scheme's.
    let mut slug = slug;
    let mut old_urls: Vec<String> = Vec::new();
    if let Some(p) = &mapped.permalink {
        let parts: Vec<&str> = p.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            [y, m, d, s]
                if format!("{y}-{m}-{d}") == date[..10]
                    && crate::routes::OutPath::new(s).is_ok() =>
            {
                slug = (*s).to_string();
            }
            _ => old_urls.push(p.clone()),
        }
    }
    let url = dated_url(&date, &slug);
    if let Some(style) = &found.permalink {
        let categories: Vec<String> = mapped.categories.clone();
        if let Some(old) = jekyll_url(style, &date, &slug, &categories) {
            old_urls.push(old);
        }
    }
    if let Some(fd) = &file_date {
        let by_file = dated_url(fd, &slug);
        if by_file != url {
            old_urls.push(by_file);
        }
    }
    // Eleventy dates a URL in UTC: a post written late in its own time zone had the next
    // (or previous) day in its URL there.
    if let Some(utc) = utc_day(&date) {
        old_urls.push(dated_url(&utc, &slug));
    }
    // Eleventy strips only a `YYYY-MM-DD-` prefix from the file name (`2024-12-5-x.md`
    // keeps its whole name as the slug).
    if dated_name(stem).is_none() && file_date.is_some() {
        old_urls.push(dated_url(&date, stem));
    }
    old_urls.extend(mapped.old_paths.iter().cloned());
    // One file per slug and year; a second post with the same slug in a year goes in
    // its month's folder.
    let year = &date[..4];
    let mut file = PathBuf::from(format!("content/articles/{year}/{slug}.md"));
    if taken.contains_key(&file.to_string_lossy().to_lowercase()) {
        file = PathBuf::from(format!("content/articles/{year}/{}/{slug}.md", &date[5..7]));
    }
    taken.insert(file.to_string_lossy().to_lowercase(), rel.clone());
    let aliases = aliases_of(&url, old_urls, &shown, report);
    let aliases_written = aliases.clone();
    let converted = convert_body(body, body_line, &mapped, found, &shown, report);
    for (id, name) in &mapped.topics {
        topics.entry(id.clone()).or_insert_with(|| name.clone());
    }
    for (id, name) in &mapped.people {
        out.people.entry(id.clone()).or_insert_with(|| name.clone());
    }
    let mut t = String::from("---\n");
    let title = mapped
        .title
        .clone()
        .unwrap_or_else(|| slug.replace('-', " "));
    front::yaml_line(&mut t, "title", &Value::String(title));
    front::yaml_line(&mut t, "date", &Value::String(date.clone()));
    if let Some(u) = &mapped.updated {
        front::yaml_line(&mut t, "updated", &Value::String(u.clone()));
    }
    if let Some(s) = &mapped.summary {
        front::yaml_line(&mut t, "summary", &Value::String(s.clone()));
    }
    if !mapped.authors.is_empty() {
        front::yaml_line(&mut t, "authors", &Value::from(mapped.authors.clone()));
    }
    if !mapped.topics.is_empty() {
        let ids: Vec<String> = mapped.topics.iter().map(|(i, _)| i.clone()).collect();
        front::yaml_line(&mut t, "topics", &Value::from(ids));
    }
    if mapped.draft {
        t.push_str("draft: true\n");
    }
    if !aliases.is_empty() {
        front::yaml_line(&mut t, "aliases", &Value::from(aliases));
    }
    if let Some(image) = lead_image(&mapped, found, &shown, report) {
        front::yaml_line(&mut t, "image", &image);
    }
    if !mapped.extra.is_empty() {
        let extra: serde_json::Map<String, Value> = mapped.extra.into_iter().collect();
        front::yaml_line(&mut t, "extra", &Value::Object(extra));
    }
    t.push_str("---\n");
    t.push_str(&converted);
    out.urls.insert(url.clone());
    out.urls.extend(aliases_written);
    out.put_text(&file, &t)?;
    report.articles += 1;
    Ok(())
}

/// The body with the template syntax converted and the images and files that the
/// source does not have linked to the original site (when its URL is known), every
/// step counted in `report`.
fn convert_body(
    body: &str,
    body_line: u32,
    mapped: &front::Mapped,
    found: &source::Found,
    shown: &str,
    report: &mut Report,
) -> String {
    let converted = liquid::convert(
        body,
        &liquid::Context {
            image: mapped.image.as_deref(),
            excerpt: mapped.summary.as_deref(),
            people: &found.people,
        },
    );
    for (what, example) in &converted.done {
        report.count(what, || format!("{shown}: {}", one_line(example)));
    }
    for (line, tag) in &converted.left {
        report.left.push(format!(
            "{shown}:{}: {}",
            body_line + line - 1,
            one_line(tag)
        ));
    }
    let text = missing_files(&converted.text, body_line, found, shown, report);
    keep_heading_ids(&text, found, shown, report)
}

/// The fragments the source's links name (`](#frag)`, `](/post/#frag)`, `href="…#frag"`,
/// in any post or page) that name no heading of this body as gloss makes ids (GitHub's
/// way) but one as the source's generator did (its slugger may turn `.` into `-`, say):
/// that heading gets the source's id written out (`## Title {#frag}`), so the links keep
/// working. Matched on letters and digits alone.
fn keep_heading_ids(text: &str, found: &source::Found, shown: &str, report: &mut Report) -> String {
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
        let wanted = fragments
            .iter()
            .find(|f| **f != github && alnum(f) == alnum(&visible) && !fragments.contains(&github));
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
    found: &source::Found,
    shown: &str,
    report: &mut Report,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut line = body_line;
    while let Some(i) = ["](/", "src=\"/", "href=\"/"]
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
            && !found.root.join(file).is_file()
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
fn link_pages_left_behind(
    out: &mut Out<'_>,
    found: &source::Found,
    report: &mut Report,
) -> Result<()> {
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
fn aliases_of(url: &str, old: Vec<String>, shown: &str, report: &mut Report) -> Vec<String> {
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
/// else none (listed).
fn lead_image(
    mapped: &front::Mapped,
    found: &source::Found,
    shown: &str,
    report: &mut Report,
) -> Option<Value> {
    let src = mapped.image.as_deref()?.trim();
    let src = if src.contains("://") {
        src.to_string()
    } else {
        let file = src.trim_start_matches('/');
        if found.root.join(file).is_file() {
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
    map.insert("src".into(), Value::String(src));
    if let Some(alt) = &mapped.image_alt {
        map.insert("alt".into(), Value::String(alt.clone()));
    }
    if let Some(caption) = &mapped.image_caption {
        map.insert("caption".into(), Value::String(caption.clone()));
    }
    Some(Value::Object(map))
}

/// The text of a tag on one line, shortened, for the report.
fn one_line(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

/// Splits a source file into its front matter (a map node), its body and the body's
/// first line.
fn split<'t>(text: &'t str, rel: &Path) -> Result<(crate::load::yaml::Node, &'t str, u32)> {
    let s = crate::load::split_front_matter(text, rel)
        .map_err(|d| anyhow::anyhow!("{}: {}", rel.display(), d.message))?;
    let node = crate::load::yaml::parse(s.yaml.unwrap_or(""), rel, s.yaml_line)
        .map_err(|d| anyhow::anyhow!("{}: {}", rel.display(), d.message))?;
    Ok((node, s.body, s.body_line))
}

fn import_page(
    src: &Path,
    page: &Path,
    found: &source::Found,
    out: &mut Out<'_>,
    report: &mut Report,
) -> Result<()> {
    let rel = page.strip_prefix(src).unwrap_or(page).to_path_buf();
    let shown = rel.display().to_string();
    let text =
        std::fs::read_to_string(page).with_context(|| format!("cannot read {}", page.display()))?;
    let text = crate::load::normalise_text(text);
    let (fm, body, body_line) = split(&text, &rel)?;
    let mapped = front::map(&fm, &found.people);
    if mapped.no_output {
        report.count(
            "`permalink: false` file not imported (the source publishes no page for it)",
            || shown.clone(),
        );
        return Ok(());
    }
    // The page's URL: its permalink, else its path under the pages folder.
    let path = match mapped.permalink.as_deref().map(|p| p.trim_matches('/')) {
        Some(p) if !p.is_empty() && crate::routes::OutPath::new(p).is_ok() && !p.contains('.') => {
            p.to_string()
        }
        Some(p @ ("404.html" | "feed.xml" | "sitemap.xml")) => {
            report.count(
                &format!("`{p}` page not imported (gloss makes its own)"),
                || shown.clone(),
            );
            return Ok(());
        }
        Some(p) => {
            report.left.push(format!(
                "{shown}:1: permalink `{p}` is no page folder: not imported"
            ));
            return Ok(());
        }
        None => {
            let under = page.strip_prefix(&found.pages_dir).unwrap_or(page);
            under
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/")
        }
    };
    let converted = convert_body(body, body_line, &mapped, found, &shown, report);
    let mut t = String::from("---\n");
    let title = mapped.title.clone().unwrap_or_else(|| path.clone());
    front::yaml_line(&mut t, "title", &Value::String(title));
    if let Some(s) = &mapped.summary {
        front::yaml_line(&mut t, "summary", &Value::String(s.clone()));
    }
    if !mapped.extra.is_empty() {
        let extra: serde_json::Map<String, Value> = mapped.extra.into_iter().collect();
        front::yaml_line(&mut t, "extra", &Value::Object(extra));
    }
    t.push_str("---\n");
    t.push_str(&converted);
    let file = Path::new("content/pages").join(format!("{path}.md"));
    out.urls.insert(format!("/{path}/"));
    out.put_text(&file, &t)?;
    report.pages += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_file_names() {
        assert_eq!(
            dated_name("2014-03-12-coming-soon"),
            Some(("2014-03-12", "coming-soon"))
        );
        assert_eq!(dated_name("coming-soon"), None);
        assert_eq!(
            loose_dated_name("2024-12-5-18f-project-defaults"),
            Some(("2024-12-05".to_string(), "18f-project-defaults"))
        );
        assert_eq!(
            dated_url("2014-03-12T10:11:00-04:00", "x"),
            "/2014/03/12/x/"
        );
    }
}
