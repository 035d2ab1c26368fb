//! Hugo sites: the configuration (`hugo.toml|yaml|json`, `config.*`, or the files of
//! `config/_default/`), `content/` with TOML, YAML or JSON front matter, page bundles
//! (`post/x/index.md` with its files), `_index.md` section and taxonomy term pages,
//! `data/authors`, and `static/`. Each dated page becomes an article at the URL Hugo gave
//! it (its `url`, its section's `[permalinks]` pattern, else its path lower-cased and
//! hyphenated), so the new site keeps it (`permalinks.article: /{path}/`); its aliases,
//! relative ones resolved as Hugo does, become gloss's. Undated pages become pages.
//! Shortcodes are converted by [`super::shortcodes`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde_json::Value;

mod config;

use config::{Site, get, get_str, headless_sections, mounted, read_people, site};

use super::source::{bundle_files, files, front_matter, is_markdown, link_fragments};
use super::urls::{HugoPage, clean, hugo_alias, hugo_path, hugo_permalink};
use super::{Entry, EntryKind, Found, Report, front, shortcodes};

/// One content file, its URL known, its body not yet converted.
struct Page {
    entry: Entry,
    /// The path under `content/`, `/`-separated (`posts/x/index.md`).
    content_path: String,
    fields: Vec<(String, Value)>,
}

/// Reads the Hugo site at `src`; `base_url` (given on the command line) wins over the
/// configuration's `baseURL`.
pub(crate) fn read(src: &Path, base_url: Option<String>, report: &mut Report) -> Result<Found> {
    let Some(config) = config::config(src) else {
        bail!(
            "no Hugo site at `{}`: it has no hugo.toml, config.toml (or .yaml, .json) or config/_default/",
            src.display()
        );
    };
    let site = site(src, &config);
    let lang = get_str(&config, "defaultContentLanguage").unwrap_or("en");
    let language = get(&config, "languages")
        .and_then(|l| get(l, lang))
        .cloned()
        .unwrap_or(Value::Null);
    let mut found = Found {
        root: src.to_path_buf(),
        title: get_str(&config, "title")
            .or_else(|| get_str(&language, "title"))
            .map(str::to_string),
        description: get_str(&site.params, "description")
            .or_else(|| get(&language, "params").and_then(|p| get_str(p, "description")))
            .map(|d| front::plain_text(d).trim().to_string()),
        base_url: base_url
            .or_else(|| get_str(&config, "baseURL").and_then(crate::load::normalise_base_url)),
        permalink: "/{path}/".to_string(),
        ..Found::default()
    };
    let static_dir = src.join(mounted(&config, "static", "staticDir"));
    for file in files(&static_dir) {
        let rel = file
            .strip_prefix(&static_dir)
            .unwrap_or(&file)
            .to_path_buf();
        if let Some(top) = rel
            .components()
            .next()
            .filter(|_| rel.components().count() > 1)
        {
            let dir = format!("{}/", top.as_os_str().to_string_lossy());
            if !found.asset_dirs.contains(&dir) {
                found.asset_dirs.push(dir);
            }
        }
        found.assets.push((file, Path::new("static").join(rel)));
    }
    found.served = vec![static_dir];
    read_people(src, &mut found.people);
    let content = files(&site.content);
    let headless = headless_sections(&content, &found.root);
    let mut pages = Vec::new();
    for file in content.into_iter().filter(|f| is_markdown(f)) {
        if let Some(dir) = headless.iter().find(|d| file.starts_with(d)) {
            let shown = dir
                .strip_prefix(&found.root)
                .unwrap_or(dir)
                .display()
                .to_string();
            report.count(
                "page of a headless section (`cascade: build: render: never`) not imported",
                || shown,
            );
            continue;
        }
        if let Some(p) = page(&file, &site, &mut found, report)? {
            pages.push(p);
        }
    }
    for p in &pages {
        link_fragments(&p.entry.body, &mut found.fragments);
    }
    let targets = targets(&pages);
    let people = found.people.clone();
    for mut p in pages {
        convert(&mut p, &site, &targets, report);
        let authors: Vec<String> = std::mem::take(&mut p.entry.mapped.authors);
        for a in authors {
            let id = front::topic_id(&a);
            match people.get(&id).or_else(|| people.get(&a)) {
                Some(name) => {
                    p.entry.mapped.people.push((id.clone(), name.clone()));
                    p.entry.mapped.authors.push(id);
                }
                None => p.entry.mapped.authors.push(a),
            }
        }
        found.entries.push(p.entry);
    }
    Ok(found)
}

/// Removes `key` (any case) from `fields`, returning its value.
fn take(fields: &mut Vec<(String, Value)>, key: &str) -> Option<Value> {
    let i = fields
        .iter()
        .position(|(k, _)| k.eq_ignore_ascii_case(key))?;
    Some(fields.remove(i).1)
}

/// Reads one content file into a [`Page`]; `None` when it publishes nothing gloss keeps
/// (reported).
fn page(file: &Path, site: &Site, found: &mut Found, report: &mut Report) -> Result<Option<Page>> {
    let (rel, text) = super::source::read(&found.root, file)?;
    let shown = rel.display().to_string();
    let in_content = file.strip_prefix(&site.content).unwrap_or(file);
    let parts: Vec<String> = in_content
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let (name, dirs) = parts
        .split_last()
        .map_or(("", &[][..]), |(n, d)| (n.as_str(), d));
    let (mut fields, body, body_line) = front_matter(&text, &rel)?;
    let title = fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("title"))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_string);
    if name == "_index.md" {
        return Ok(section(
            &shown, dirs, title, body, body_line, fields, site, found, report,
        ));
    }
    let headless = take(&mut fields, "headless").and_then(|v| v.as_bool()) == Some(true);
    let build = take(&mut fields, "build").or_else(|| take(&mut fields, "_build"));
    let never = build
        .as_ref()
        .and_then(|b| get_str(b, "render"))
        .is_some_and(|r| r == "never" || r == "false");
    if headless || never {
        report.count(
            "headless page (`headless`, `build.render: never`) not imported",
            || shown.clone(),
        );
        return Ok(None);
    }
    let (base_name, sections, bundle) = super::source::place(name, dirs);
    let slug = take(&mut fields, "slug").and_then(|v| front::text(&v));
    let url_field = take(&mut fields, "url").and_then(|v| front::text(&v));
    let aliases = take(&mut fields, "aliases")
        .map(|v| front::list(&v))
        .unwrap_or_default();
    if !fields.iter().any(|(k, _)| k.eq_ignore_ascii_case("date")) {
        for other in ["publishDate", "pubdate", "published"] {
            if let Some(v) = take(&mut fields, other).filter(|v| v.is_string()) {
                report.count(&format!("front matter `{other}` -> `date`"), || {
                    shown.clone()
                });
                fields.push(("date".to_string(), v));
                break;
            }
        }
    }
    lead_image_fields(&mut fields);
    // One author as a string is one name (`author: Sam Lee`), not a list of words.
    for (k, v) in fields.iter_mut() {
        if (k == "author" || k == "authors") && v.is_string() {
            *v = Value::Array(vec![v.clone()]);
        }
    }
    // Custom taxonomies are topics too, as tags and categories are.
    for tax in &site.taxonomies {
        if !["tags", "categories", "authors"].contains(&tax.as_str())
            && let Some(v) = take(&mut fields, tax)
        {
            fields.push(("tags".to_string(), v));
        }
    }
    let mut mapped = front::map(&fields, &found.people);
    for (to, from) in std::mem::take(&mut mapped.renamed) {
        report.count(&format!("front matter `{from}` -> `{to}`"), || {
            shown.clone()
        });
    }
    let date = mapped.date.clone();
    let title = mapped.title.clone().unwrap_or_else(|| base_name.clone());
    mapped.title = Some(title.clone());
    let date_prefix = date.as_deref().map(|d| d.get(..10).unwrap_or(d));
    let hugo = HugoPage {
        date: date_prefix,
        slug: slug.as_deref(),
        title: &title,
        base_name: &base_name,
        sections,
    };
    let section = sections.first().map_or("", String::as_str);
    let url = match (&url_field, site.permalinks.get(section)) {
        (Some(u), _) => clean(u),
        (None, Some(pattern)) => match hugo_permalink(pattern, &hugo, site.lower) {
            Some(u) => u,
            None => {
                report.left.push(format!(
                    "{shown}:1: permalink pattern `{pattern}` has a token gloss does not know: the post keeps its path"
                ));
                default_url(&hugo, site.lower)
            }
        },
        (None, None) => default_url(&hugo, site.lower),
    };
    let (new_url, mut old_urls) = match url.strip_suffix(".html") {
        Some(stem) => (format!("{stem}/"), vec![url.clone()]),
        None if url.ends_with('/') => (url.clone(), Vec::new()),
        None => (format!("{url}/"), Vec::new()),
    };
    old_urls.extend(aliases.iter().map(|a| hugo_alias(a, &url)));
    let path = new_url.trim_matches('/').to_string();
    if path.is_empty() {
        report
            .left
            .push(format!("{shown}:1: page at the site's root: not imported"));
        return Ok(None);
    }
    let bundle_files = if bundle {
        let what = "Markdown file in a bundle (a resource Hugo does not publish)";
        bundle_files(file, &found.root, what, report)
    } else {
        Vec::new()
    };
    let (kind, file) = match date {
        Some(date) => {
            let file = if bundle {
                format!("content/articles/{path}/index.md")
            } else {
                format!("content/articles/{path}.md")
            };
            (EntryKind::Article { date }, file)
        }
        // A page bundle is a folder of `content/pages/` too.
        None if bundle => (EntryKind::Page, format!("content/pages/{path}/index.md")),
        None => (EntryKind::Page, format!("content/pages/{path}.md")),
    };
    let content_path = parts.join("/");
    Ok(Some(Page {
        entry: Entry {
            rel,
            kind,
            mapped,
            body: body.to_string(),
            body_line,
            file: PathBuf::from(file),
            url: new_url,
            old_urls,
            bundle: bundle_files,
        },
        content_path,
        fields,
    }))
}

/// Hugo's URL for a page without `url` or a permalink pattern: its section folders and
/// its slug (or file name), made a path.
fn default_url(page: &HugoPage<'_>, lower: bool) -> String {
    let last = page
        .slug
        .map_or_else(|| page.base_name.to_string(), str::to_string);
    let mut parts: Vec<&str> = page.sections.iter().map(String::as_str).collect();
    parts.push(&last);
    clean(&format!("/{}/", hugo_path(&parts.join("/"), lower)))
}

/// `images = [x]`, `featured_image`, `cover.image` (with `alt`, `caption`) as the
/// `image`, `image_alt`, `image_caption` gloss's mapping reads.
fn lead_image_fields(fields: &mut Vec<(String, Value)>) {
    if fields.iter().any(|(k, _)| k == "image") {
        return;
    }
    if let Some(v) = take(fields, "images") {
        if let Some(first) = front::list(&v).into_iter().next() {
            fields.push(("image".into(), Value::String(first)));
        }
    } else if let Some(cover) = take(fields, "cover") {
        for (from, to) in [
            ("image", "image"),
            ("alt", "image_alt"),
            ("caption", "image_caption"),
        ] {
            if let Some(v) = get_str(&cover, from).filter(|s| !s.is_empty()) {
                fields.push((to.into(), Value::String(v.to_string())));
            }
        }
    }
}

/// An `_index.md`: a taxonomy term page names its topic or person; a section page with
/// text becomes a page at the section's URL; one without text is Hugo's generated list,
/// which gloss's indexes replace.
#[allow(clippy::too_many_arguments)]
fn section(
    shown: &str,
    dirs: &[String],
    title: Option<String>,
    body: &str,
    body_line: u32,
    fields: Vec<(String, Value)>,
    site: &Site,
    found: &mut Found,
    report: &mut Report,
) -> Option<Page> {
    if let [tax, term] = dirs
        && site.taxonomies.contains(tax)
    {
        let name = title.unwrap_or_else(|| term.clone());
        let id = front::topic_id(term);
        if tax == "authors" {
            found.people.insert(id, name);
            report.count("author term page -> the person's name", || {
                shown.to_string()
            });
        } else {
            found.topic_names.insert(id, name);
            report.count("taxonomy term page -> the topic's name", || {
                shown.to_string()
            });
        }
        return None;
    }
    let path = hugo_path(&dirs.join("/"), site.lower);
    if body.trim().is_empty() || path.is_empty() || site.taxonomies.contains(&path) {
        report.count(
            "section or taxonomy list page without text not imported (gloss makes its own indexes)",
            || shown.to_string(),
        );
        return None;
    }
    let mut mapped = front::map(&fields, &found.people);
    mapped.title = Some(title.unwrap_or_else(|| path.clone()));
    Some(Page {
        entry: Entry {
            rel: PathBuf::from(shown),
            kind: EntryKind::Page,
            mapped,
            body: body.to_string(),
            body_line,
            file: PathBuf::from(format!("content/pages/{path}.md")),
            url: format!("/{path}/"),
            old_urls: Vec::new(),
            bundle: Vec::new(),
        },
        content_path: format!("{}/_index.md", dirs.join("/")),
        fields: Vec::new(),
    })
}

/// What `ref`/`relref` of each page's paths links to: `article:PATH` for an article,
/// its root-relative URL for a page. Keyed by the path under `content/` (with and
/// without `.md`, a bundle also by its folder) and by the bare file name.
fn targets(pages: &[Page]) -> BTreeMap<String, String> {
    let mut t = BTreeMap::new();
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in pages {
        let target = match p.entry.kind {
            EntryKind::Article { .. } => {
                let key = p.entry.url.trim_matches('/');
                format!("article:{key}")
            }
            EntryKind::Page => p.entry.url.clone(),
        };
        let path = p.content_path.clone();
        let no_ext = path.trim_end_matches(".md").to_string();
        let folder = no_ext
            .strip_suffix("/index")
            .or_else(|| no_ext.strip_suffix("/_index"))
            .map(str::to_string);
        for k in [Some(path.clone()), Some(no_ext.clone()), folder.clone()]
            .into_iter()
            .flatten()
        {
            t.insert(k, target.clone());
        }
        let name = folder
            .as_deref()
            .unwrap_or(&no_ext)
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string();
        by_name.entry(name).or_default().push(target);
    }
    // A bare name (`ref "x.md"`) finds the one page of that name, as Hugo does.
    for (name, list) in by_name {
        if let [only] = list.as_slice() {
            t.entry(name).or_insert_with(|| only.clone());
        }
    }
    t
}

/// Converts the body of `p`: shortcodes, the summary divider.
fn convert(p: &mut Page, site: &Site, targets: &BTreeMap<String, String>, report: &mut Report) {
    let shown = p.entry.rel.display().to_string();
    let resolve = |r: &str| {
        let (path, frag) = r.split_once('#').map_or((r, ""), |(p, f)| (p, f));
        let key = path.trim_matches('/').trim_end_matches(".md");
        let key = key
            .strip_suffix("/index")
            .or(key.strip_suffix("/_index"))
            .unwrap_or(key);
        let target = targets
            .get(key)
            .or_else(|| targets.get(key.rsplit('/').next().unwrap_or(key)))?;
        Some(if frag.is_empty() {
            target.clone()
        } else {
            format!("{target}#{frag}")
        })
    };
    let fields = &p.fields;
    let params = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f.eq_ignore_ascii_case(k))
            .map(|(_, v)| v)
            .or_else(|| get(&site.params, k))
            .and_then(front::text)
    };
    let c = shortcodes::convert(
        &p.entry.body,
        &shortcodes::Context {
            resolve: &resolve,
            params: &params,
        },
    );
    report.record(&c, &shown, p.entry.body_line, |tag| {
        let name = tag
            .trim_start_matches(['{', '<', '%', ' '])
            .split(|ch: char| ch.is_whitespace() || ch == '>' || ch == '%')
            .next()
            .unwrap_or("");
        if site.own_shortcodes.iter().any(|s| s == name) {
            format!(" (the site's own shortcode, in its layouts: `{name}`)")
        } else {
            String::new()
        }
    });
    p.entry.body = c.text;
    super::source::summary_divider(&mut p.entry, &shown, report);
}
