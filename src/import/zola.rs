//! Zola sites: `config.toml` (`base_url`, `title`, `taxonomies`, `slugify.paths`),
//! `content/` with `+++` TOML front matter (`[taxonomies]`, `[extra]`, `slug`, `path`,
//! `aliases`, `date`/`updated`, `draft`), `_index.md` sections, co-located assets
//! (`post/index.md` with its files), and `static/`. Each dated page becomes an article at
//! the URL Zola gave it (its `path`, else its section folders and its slug), so the new
//! site keeps it; undated pages become pages. In bodies, internal links
//! `@/blog/post.md#frag` become `article:` links, the `youtube`, `vimeo`, `gist` and
//! `figure` shortcodes gloss constructs; the site's own shortcodes
//! (`templates/shortcodes/`) are left and listed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde_json::Value;

use super::liquid::Converted;
use super::source::{bundle_files, files, front_matter, is_markdown, link_fragments, read_data};
use super::urls::{ZolaSlugify, zola_dated, zola_slug, zola_url};
use super::{Entry, EntryKind, Found, Report, front, shortcodes};

/// What the pages of a Zola site share.
struct Site {
    slugify: ZolaSlugify,
    content: PathBuf,
    /// The site's own shortcodes (`templates/shortcodes/*.html|md`).
    own_shortcodes: Vec<String>,
}

/// Reads the Zola site at `src`; `base_url` (given on the command line) wins over the
/// configuration's.
pub(crate) fn read(src: &Path, base_url: Option<String>, report: &mut Report) -> Result<Found> {
    let Some(config) = read_data(&src.join("config.toml")) else {
        bail!("no Zola site at `{}`: it has no config.toml", src.display());
    };
    let s = |k: &str| config.get(k).and_then(Value::as_str).map(str::to_string);
    let slugify = match config
        .get("slugify")
        .and_then(|v| v.get("paths"))
        .and_then(Value::as_str)
    {
        Some("safe") => ZolaSlugify::Safe,
        Some("off") => ZolaSlugify::Off,
        _ => ZolaSlugify::On,
    };
    let site = Site {
        slugify,
        content: src.join("content"),
        own_shortcodes: files(&src.join("templates/shortcodes"))
            .iter()
            .filter_map(|f| f.file_stem()?.to_str().map(str::to_string))
            .collect(),
    };
    let mut found = Found {
        root: src.to_path_buf(),
        title: s("title"),
        description: s("description"),
        base_url: base_url
            .or_else(|| s("base_url").and_then(|u| crate::load::normalise_base_url(&u))),
        permalink: "/{path}/".to_string(),
        ..Found::default()
    };
    let static_dir = src.join("static");
    for file in files(&static_dir) {
        let rel = file
            .strip_prefix(&static_dir)
            .unwrap_or(&file)
            .to_path_buf();
        if rel.components().count() > 1
            && let Some(top) = rel.components().next()
        {
            let dir = format!("{}/", top.as_os_str().to_string_lossy());
            if !found.asset_dirs.contains(&dir) {
                found.asset_dirs.push(dir);
            }
        }
        found.assets.push((file, Path::new("static").join(rel)));
    }
    found.served = vec![static_dir];
    let mut pages: Vec<(Entry, String)> = Vec::new();
    for file in files(&site.content).into_iter().filter(|f| is_markdown(f)) {
        if let Some(p) = page(&file, &site, &found, report)? {
            pages.push(p);
        }
    }
    for (e, _) in &pages {
        link_fragments(&e.body, &mut found.fragments);
    }
    let targets: BTreeMap<String, String> = pages
        .iter()
        .map(|(e, path)| {
            let t = match e.kind {
                EntryKind::Article { .. } => format!("article:{}", e.url.trim_matches('/')),
                EntryKind::Page => e.url.clone(),
            };
            (path.clone(), t)
        })
        .collect();
    for (mut e, _) in pages {
        convert(&mut e, &site, &targets, report);
        found.entries.push(e);
    }
    Ok(found)
}

/// Removes `key` from `fields`, returning its value.
fn take(fields: &mut Vec<(String, Value)>, key: &str) -> Option<Value> {
    let i = fields.iter().position(|(k, _)| k == key)?;
    Some(fields.remove(i).1)
}

/// Reads one content file: its entry and its path under `content/` (what `@/` links
/// name); `None` when gloss keeps nothing of it (reported).
fn page(
    file: &Path,
    site: &Site,
    found: &Found,
    report: &mut Report,
) -> Result<Option<(Entry, String)>> {
    let (rel, text) = super::source::read(&found.root, file)?;
    let shown = rel.display().to_string();
    let in_content = file.strip_prefix(&site.content).unwrap_or(file);
    let parts: Vec<String> = in_content
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let content_path = parts.join("/");
    let (name, dirs) = parts
        .split_last()
        .map_or(("", &[][..]), |(n, d)| (n.as_str(), d));
    let (mut fields, body, body_line) = front_matter(&text, &rel)?;
    // Zola's `[taxonomies]`: tags and categories are topics, authors people.
    let mut has_author_terms = false;
    if let Some(Value::Object(tax)) = take(&mut fields, "taxonomies") {
        for (k, v) in tax {
            has_author_terms |= k == "authors";
            let key = if k == "authors" { "authors" } else { "tags" };
            match fields.iter_mut().find(|(f, _)| f == key) {
                Some((_, Value::Array(a))) => a.extend(v.as_array().cloned().unwrap_or_default()),
                _ => fields.push((key.to_string(), v)),
            }
            report.count(&format!("`taxonomies.{k}` -> `{key}`"), || shown.clone());
        }
    }
    let extra = take(&mut fields, "extra");
    if name == "_index.md" {
        let path = dirs.join("/");
        let title = fields
            .iter()
            .find(|(k, _)| k == "title")
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string);
        if body.trim().is_empty() || path.is_empty() {
            report.count(
                "section page without text not imported (gloss makes its own indexes)",
                || shown.clone(),
            );
            return Ok(None);
        }
        // `sort_by`, `transparent`, `page_template`, `paginate_by` order and lay out
        // Zola's lists, which gloss's indexes replace.
        for k in [
            "sort_by",
            "transparent",
            "page_template",
            "paginate_by",
            "template",
        ] {
            take(&mut fields, k);
        }
        let mut mapped = front::map(&fields, &found.people);
        mapped.title = Some(title.unwrap_or_else(|| path.clone()));
        let url = format!("/{path}/");
        let entry = Entry {
            rel,
            kind: EntryKind::Page,
            mapped,
            body: body.to_string(),
            body_line,
            file: PathBuf::from(format!("content/pages/{path}.md")),
            url,
            old_urls: Vec::new(),
            bundle: Vec::new(),
        };
        return Ok(Some((entry, content_path)));
    }
    let (base, sections, bundle) = super::source::place(name, dirs);
    let (file_date, base) = match zola_dated(&base) {
        Some((d, rest)) => (Some(d.to_string()), rest.to_string()),
        None => (None, base),
    };
    let slug = take(&mut fields, "slug").and_then(|v| front::text(&v));
    let path = take(&mut fields, "path").and_then(|v| front::text(&v));
    let aliases = take(&mut fields, "aliases")
        .map(|v| front::list(&v))
        .unwrap_or_default();
    let mut mapped = front::map(&fields, &found.people);
    for (to, from) in std::mem::take(&mut mapped.renamed) {
        report.count(&format!("front matter `{from}` -> `{to}`"), || {
            shown.clone()
        });
    }
    if let Some(Value::Object(extra)) = extra {
        mapped.extra.extend(extra);
    }
    // Zola's `authors` taxonomy gave each author a page: each becomes a person.
    if has_author_terms {
        for a in std::mem::take(&mut mapped.authors) {
            let id = front::topic_id(&a);
            if id.is_empty() {
                mapped.authors.push(a);
            } else {
                mapped.people.push((id.clone(), a));
                mapped.authors.push(id);
            }
        }
    }
    let slug = zola_slug(slug.as_deref().unwrap_or(&base), site.slugify);
    let url = zola_url(path.as_deref(), sections, &slug);
    if mapped.title.is_none() {
        mapped.title = Some(base.replace('-', " "));
    }
    let date = mapped
        .date
        .clone()
        .or_else(|| {
            file_date.inspect(|_| report.count("date taken from the file name", || shown.clone()))
        })
        .or_else(|| {
            dated_path(&url).inspect(|_| {
                report.count("date taken from the URL (`/YYYY/MM/DD/…`)", || {
                    format!("{shown}: {url}")
                })
            })
        });
    let bundle_files = if bundle {
        let what = "Markdown file among co-located assets";
        bundle_files(file, &found.root, what, report)
    } else {
        Vec::new()
    };
    let key = url.trim_matches('/').to_string();
    let (kind, file) = match date {
        Some(date) if bundle => (
            EntryKind::Article { date },
            format!("content/articles/{key}/index.md"),
        ),
        Some(date) => (
            EntryKind::Article { date },
            format!("content/articles/{key}.md"),
        ),
        // A page with co-located assets is a folder of `content/pages/` too.
        None if bundle => (EntryKind::Page, format!("content/pages/{key}/index.md")),
        None => (EntryKind::Page, format!("content/pages/{key}.md")),
    };
    let old_urls = aliases
        .iter()
        .map(|a| super::urls::clean(&format!("/{}", a.trim_start_matches('/'))))
        .collect();
    let entry = Entry {
        rel,
        kind,
        mapped,
        body: body.to_string(),
        body_line,
        file: PathBuf::from(file),
        url,
        old_urls,
        bundle: bundle_files,
    };
    Ok(Some((entry, content_path)))
}

/// Converts one body: shortcodes, `@/` links, the summary divider.
fn convert(e: &mut Entry, site: &Site, targets: &BTreeMap<String, String>, report: &mut Report) {
    let shown = e.rel.display().to_string();
    let mut c = shortcodes_of(&e.body);
    let text = std::mem::take(&mut c.text);
    c.text = internal_links(&text, targets, &mut c);
    report.record(&c, &shown, e.body_line, |tag| {
        let name = tag
            .trim_start_matches(['{', '%', ' ', '(', ']'])
            .split(['(', ' '])
            .next()
            .unwrap_or("");
        if site.own_shortcodes.iter().any(|s| s == name) {
            format!(" (the site's own shortcode, templates/shortcodes/{name})")
        } else {
            String::new()
        }
    });
    e.body = c.text;
    super::source::summary_divider(e, &shown, report);
}

/// `](@/blog/post.md#frag)` links to the page they name (`article:PATH#frag`, or a
/// page's URL); one naming no imported page is left and listed.
fn internal_links(text: &str, targets: &BTreeMap<String, String>, c: &mut Converted) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut line = 1u32;
    while let Some(i) = rest.find("](@/") {
        out.push_str(&rest[..i + 2]);
        line += rest[..i].matches('\n').count() as u32;
        rest = &rest[i + 2..];
        let end = rest.find([')', ' ', '\n']).unwrap_or(rest.len());
        let link = &rest[..end];
        let (path, frag) = link[2..]
            .split_once('#')
            .map_or((&link[2..], ""), |(p, f)| (p, f));
        match targets.get(path) {
            Some(t) => {
                out.push_str(t);
                if !frag.is_empty() {
                    out.push('#');
                    out.push_str(frag);
                }
                c.done.push((
                    "`@/` internal link -> a link gloss resolves",
                    link.to_string(),
                ));
            }
            None => {
                c.left.push((line, format!("{link} (no imported page)")));
                out.push_str(link);
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Zola's shortcode calls, `{{ name(k=v, …) }}` and `{% name(k=v) %}body{% end %}`:
/// the known ones converted, the rest left with their lines.
fn shortcodes_of(body: &str) -> Converted {
    let mut out = Converted::default();
    let mut rest = body;
    let mut line = 1u32;
    while let Some(i) = [rest.find("{{"), rest.find("{%")]
        .into_iter()
        .flatten()
        .min()
    {
        out.text.push_str(&rest[..i]);
        line += rest[..i].matches('\n').count() as u32;
        rest = &rest[i..];
        let close = if rest.starts_with("{{") { "}}" } else { "%}" };
        let Some(len) = rest[2..].find(close).map(|e| e + 4) else {
            break;
        };
        let tag = &rest[..len];
        let inner = tag[2..len - 2].trim();
        // `{{/* x() */}}`: the literal text Zola shows.
        if let Some(lit) = inner.strip_prefix("/*").and_then(|t| t.strip_suffix("*/")) {
            out.text.push_str(&format!("{}{}{}", &tag[..2], lit, close));
            out.done
                .push(("escaped shortcode -> its literal text", tag.into()));
            line += tag.matches('\n').count() as u32;
            rest = &rest[len..];
            continue;
        }
        let call = inner
            .find('(')
            .filter(|_| inner.ends_with(')'))
            .map(|p| (inner[..p].trim(), args(&inner[p + 1..inner.len() - 1])));
        let Some((name, args)) = call.filter(|(n, _)| is_ident(n)) else {
            // Not a shortcode call: text to Zola, as to gloss.
            out.text.push_str(tag);
            line += tag.matches('\n').count() as u32;
            rest = &rest[len..];
            continue;
        };
        // A body shortcode runs to `{% end %}`.
        let (inner_body, whole) = if close == "%}" {
            match rest[len..].find("{% end %}") {
                Some(e) => (Some(&rest[len..len + e]), len + e + "{% end %}".len()),
                None => (None, len),
            }
        } else {
            (None, len)
        };
        let arg = |k: &str| args.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let s = |v: Option<&str>| Value::String(v.unwrap_or("").to_string());
        let converted: Option<(&'static str, String)> = match name {
            "youtube" | "vimeo" => arg("id").map(|id| {
                let what = if name == "youtube" {
                    "`youtube()` -> `video` block"
                } else {
                    "`vimeo()` -> `video` block"
                };
                (what, shortcodes::block("video", &[(name, s(Some(id)))]))
            }),
            "gist" => arg("url").map(|u| ("`gist()` -> link to the gist", format!("[Gist]({u})"))),
            "figure" => arg("src").or(arg("path")).map(|src| {
                let caption = arg("caption").or(inner_body.map(str::trim));
                let fields = [
                    ("image", s(Some(src))),
                    ("alt", s(arg("alt"))),
                    ("caption", s(caption)),
                    ("credit", s(arg("credit"))),
                ];
                (
                    "`figure()` -> `figure` block",
                    shortcodes::block("figure", &fields),
                )
            }),
            _ => None,
        };
        let start = rest;
        match converted {
            Some((what, text)) => {
                rest = super::source::splice(&mut out.text, &text, &rest[whole..]);
                out.done.push((what, tag.to_string()));
            }
            None => {
                out.left.push((line, tag.to_string()));
                out.text.push_str(tag);
                rest = &rest[len..];
            }
        }
        line += start[..start.len() - rest.len()].matches('\n').count() as u32;
    }
    out.text.push_str(rest);
    out
}

/// The date a URL path holds as `/YYYY/MM/DD/` before its last part (`/2019/09/30/x/`,
/// `/inside-rust/2019/11/11/x/`, as blogs that set `path` write them), `YYYY-MM-DD`.
fn dated_path(url: &str) -> Option<String> {
    let parts: Vec<&str> = url.split('/').filter(|p| !p.is_empty()).collect();
    parts.windows(4).find_map(|w| {
        let (y, m, d) = (w[0], w[1], w[2]);
        let date = format!("{y}-{m}-{d}");
        (y.len() == 4 && m.len() == 2 && d.len() == 2)
            .then_some(())
            .and_then(|()| jiff::civil::Date::strptime("%Y-%m-%d", &date).ok())
            .map(|_| date)
    })
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `k="v", n=3, b=true` arguments, values as text.
fn args(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().trim_start_matches(',').trim().to_string();
        rest = rest[eq + 1..].trim_start();
        let (value, len) = match rest.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => {
                let end = rest[1..].find(q).map_or(rest.len(), |e| e + 1);
                (rest[1..end].to_string(), (end + 1).min(rest.len()))
            }
            _ => {
                let end = rest.find(',').unwrap_or(rest.len());
                (rest[..end].trim().to_string(), end)
            }
        };
        out.push((key, value));
        rest = rest[len..]
            .trim_start()
            .trim_start_matches(',')
            .trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_shortcodes_become_blocks_and_links() {
        let c = shortcodes_of(concat!(
            "Intro.\n",
            "{{ youtube(id=\"abc\", autoplay=true) }}\n",
            "{% figure(src=\"map.png\", alt=\"The map\") %}The *flood* map{% end %}\n",
            "{{ gist(url=\"https://gist.github.com/a/1\") }}\n",
            "{{ chart(data=\"x.csv\") }}\n",
            "{{/* youtube(id=\"x\") */}}\n",
        ));
        assert_eq!(
            c.text,
            concat!(
                "Intro.\n",
                "```video\nyoutube: \"abc\"\n```\n",
                "```figure\nimage: \"map.png\"\nalt: \"The map\"\ncaption: \"The *flood* map\"\n```\n",
                "[Gist](https://gist.github.com/a/1)\n",
                "{{ chart(data=\"x.csv\") }}\n",
                "{{ youtube(id=\"x\") }}\n",
            )
        );
        assert_eq!(c.left.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [5]);
        let targets = BTreeMap::from([("blog/a.md".to_string(), "article:blog/a".to_string())]);
        let mut c = Converted::default();
        assert_eq!(
            internal_links("[a](@/blog/a.md#x) [b](@/nope.md)", &targets, &mut c),
            "[a](article:blog/a#x) [b](@/nope.md)"
        );
        assert_eq!(c.left.len(), 1);
    }

    #[test]
    fn dates_from_dated_paths() {
        assert_eq!(
            dated_path("/2019/09/30/Async-await-hits-beta/").as_deref(),
            Some("2019-09-30")
        );
        assert_eq!(dated_path("/2019/09/30/"), None);
        assert_eq!(dated_path("/blog/2019/x/"), None);
        assert_eq!(
            dated_path("/inside-rust/2019/11/11/compiler-team-meeting/").as_deref(),
            Some("2019-11-11")
        );
        assert_eq!(dated_path("/2019/13/30/x/"), None);
    }
}
