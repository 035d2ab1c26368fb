//! Walking a source site, as every generator's module does: its files (hidden entries,
//! build outputs and symlinks skipped), which are Markdown, and the fragments its links
//! name.

use std::path::{Path, PathBuf};

/// The generators `gloss import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Generator {
    /// Jekyll: `_config.yml`, `_posts/`, `_data/`.
    Jekyll,
    /// Eleventy with Jekyll-style posts: `.eleventy.js`, a posts folder, `data/` or `_data/`.
    Eleventy,
    /// Hugo: `hugo.toml` or `config.*`, `content/`, `data/`, `static/`.
    Hugo,
    /// Zola: `config.toml`, `content/`, `static/`.
    Zola,
    /// WordPress: `SRC` is the export file (Tools > Export), `--uploads` its media.
    Wordpress,
}

/// Folders a generator's build never reads as content.
const SKIPPED: &[&str] = &[
    "node_modules",
    "_site",
    "public",
    ".git",
    "vendor",
    ".jekyll-cache",
];

/// The files under `dir` (sorted), skipping hidden entries, build outputs and symlinks
/// (an import reads the source's own files only).
pub(crate) fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || SKIPPED.contains(&name.as_ref()))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    out.sort();
    out
}

/// A source file's path relative to `root`, and its text (BOM and CRLF normalised).
pub(crate) fn read(root: &Path, path: &Path) -> anyhow::Result<(PathBuf, String)> {
    use anyhow::Context as _;
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok((rel, crate::load::normalise_text(text)))
}

/// True for a Markdown file (`.md`, `.markdown`).
pub(crate) fn is_markdown(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["md", "markdown"].contains(&e.to_ascii_lowercase().as_str()))
}

/// The fragments links in `text` name: every `#frag` right after the end of a path
/// (`/`), a template tag (`}}`, as in `{{ "/x/" | url }}#frag`) or the opening of a link
/// (`(`, `"`), or a reference definition (`[x]: #frag`). A few more than the links name do no harm: they only keep a heading's
/// source id when its text matches.
pub(crate) fn link_fragments(text: &str, into: &mut std::collections::BTreeSet<String>) {
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('#') {
        // A reference definition (`[x]: #frag`) names one too.
        let is_reference = text[..i].ends_with("]: ");
        if i == 0 || !(matches!(bytes[i - 1], b'/' | b'}' | b'(' | b'"') || is_reference) {
            continue;
        }
        let rest = &text[i + 1..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        if end > 0 {
            into.insert(rest[..end].to_string());
        }
    }
}

/// A TOML value as JSON (dates and times as the text TOML writes).
pub(crate) fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

/// A configuration or data file (`.toml`, `.yaml`/`.yml`, `.json`) as JSON; `None` when
/// it is none of those or does not parse.
pub(crate) fn read_data(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    match path.extension()?.to_str()? {
        "toml" => text
            .parse::<toml::Table>()
            .ok()
            .map(|t| toml_to_json(&toml::Value::Table(t))),
        "yaml" | "yml" => crate::load::yaml::parse(&text, path, 1)
            .ok()
            .map(|n| crate::load::yaml::to_json(&n)),
        "json" => serde_json::from_str(&text).ok(),
        _ => None,
    }
}

/// Front matter fields in order, the body, and the line the body starts on.
pub(crate) type Split<'t> = (Vec<(String, serde_json::Value)>, &'t str, u32);

/// Front matter as Hugo and Zola write it (`+++` TOML, `---` YAML, or a JSON object
/// opening the file): its fields in order, the body, and the body's first line.
pub(crate) fn front_matter<'t>(text: &'t str, rel: &Path) -> anyhow::Result<Split<'t>> {
    let lines_in = |s: &str| s.matches('\n').count() as u32;
    if let Some(rest) = text.strip_prefix("+++\n") {
        let end = rest
            .find("\n+++")
            .map(|i| i + 1)
            .or_else(|| rest.starts_with("+++").then_some(0))
            .ok_or_else(|| {
                anyhow::anyhow!("{}: `+++` front matter is not closed", rel.display())
            })?;
        let toml_text = &rest[..end];
        let after = &rest[end + 3..];
        let body = after.strip_prefix('\n').unwrap_or(after);
        let table: toml::Table = toml_text
            .parse()
            .map_err(|e| anyhow::anyhow!("{}: {e}", rel.display()))?;
        let fields = table
            .iter()
            .map(|(k, v)| (k.clone(), toml_to_json(v)))
            .collect();
        let line = 1 + lines_in(&text[..text.len() - body.len()]);
        return Ok((fields, body, line));
    }
    if text.starts_with('{') {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
        if let Some(Ok(serde_json::Value::Object(map))) = stream.next() {
            let after = &text[stream.byte_offset()..];
            let body = after.strip_prefix('\n').unwrap_or(after);
            let line = 1 + lines_in(&text[..text.len() - body.len()]);
            return Ok((map.into_iter().collect(), body, line));
        }
    }
    let s = crate::load::split_front_matter(text, rel)
        .map_err(|d| anyhow::anyhow!("{}: {}", rel.display(), d.message))?;
    let node = crate::load::yaml::parse(s.yaml.unwrap_or(""), rel, s.yaml_line)
        .map_err(|d| anyhow::anyhow!("{}: {}", rel.display(), d.message))?;
    Ok((super::front::yaml_fields(&node), s.body, s.body_line))
}

/// The files of the bundle whose `index.md` is `index`: every file beside it, with its
/// path relative to the bundle's folder. Other Markdown files there are not imported;
/// each is listed in `report` as `what` (`a Markdown file in a bundle`), and why.
pub(crate) fn bundle_files(
    index: &Path,
    root: &Path,
    what: &str,
    report: &mut super::Report,
) -> Vec<(PathBuf, PathBuf)> {
    let Some(dir) = index.parent() else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    for f in files(dir) {
        let rel = f.strip_prefix(dir).unwrap_or(&f).to_path_buf();
        if !is_markdown(&f) {
            kept.push((f, rel));
        } else if rel != Path::new("index.md") {
            let shown = f.strip_prefix(root).unwrap_or(&f).display().to_string();
            report.left.push(format!("{shown}: {what}: not imported"));
        }
    }
    kept
}

/// Splits off a `<!--more-->` summary divider (Hugo's; Zola's `<!-- more -->`): the body
/// without it, and the text before it when the divider was there.
pub(crate) fn more_divider(body: &str) -> Option<(String, String)> {
    let (at, len) = ["<!--more-->", "<!-- more -->"]
        .iter()
        .find_map(|m| body.find(m).map(|i| (i, m.len())))?;
    let before = body[..at].trim().to_string();
    let mut rest = &body[at + len..];
    // A divider on a line of its own goes with its line and the blank line after it.
    if body[..at].ends_with('\n') || at == 0 {
        rest = rest.strip_prefix('\n').unwrap_or(rest);
        if body[..at].ends_with("\n\n") || at == 0 {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        }
    }
    Some((format!("{}{rest}", &body[..at]), before))
}

/// Where a content file sits, as Hugo and Zola read it: its base name (a bundle's folder
/// name for `…/x/index.md`, else the file stem), its section folders, and whether it is
/// a bundle. `name` is the file name, `dirs` the folders above it under `content/`.
pub(crate) fn place<'d>(name: &str, dirs: &'d [String]) -> (String, &'d [String], bool) {
    match dirs.split_last() {
        Some((folder, sections)) if name == "index.md" => (folder.clone(), sections, true),
        _ => {
            let stem = Path::new(name)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(name);
            (stem.to_string(), dirs, false)
        }
    }
}

/// Appends a converted shortcode `text` to `out`, a fenced block on lines of its own;
/// returns what follows it in the source (`after`), without the newline a block or a
/// removed line (`text` empty, alone on its line) takes along.
pub(crate) fn splice<'a>(out: &mut String, text: &str, after: &'a str) -> &'a str {
    let is_block = text.starts_with("```");
    let line_start = out.is_empty() || out.ends_with('\n');
    if is_block && !line_start {
        out.push('\n');
    }
    out.push_str(text);
    if is_block && !after.is_empty() && !after.starts_with('\n') {
        out.push('\n');
    }
    if is_block || (text.is_empty() && line_start) {
        after.strip_prefix('\n').unwrap_or(after)
    } else {
        after
    }
}

/// `<!--more-->`: removed; the text before it is the summary when none is set.
pub(crate) fn summary_divider(entry: &mut super::Entry, shown: &str, report: &mut super::Report) {
    if let Some((body, before)) = more_divider(&entry.body) {
        entry.body = body;
        if entry.mapped.summary.is_none() {
            let plain = super::front::plain_text(&before);
            let flat = plain.split_whitespace().collect::<Vec<_>>().join(" ");
            if !flat.is_empty() {
                entry.mapped.summary = Some(flat);
            }
        }
        report.count("`<!--more-->` summary divider -> `summary`", || {
            shown.to_string()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_links_name() {
        let mut f = std::collections::BTreeSet::new();
        link_fragments(
            "[a](#one) [b](/x/#two) [c]: #three\nissue #4 and a#b stay out\n",
            &mut f,
        );
        assert_eq!(f.into_iter().collect::<Vec<_>>(), ["one", "three", "two"]);
    }

    #[test]
    fn front_matter_in_toml_yaml_and_json() {
        let rel = Path::new("x.md");
        let (f, body, line) =
            front_matter("+++\ntitle = \"A\"\ndate = 2020-01-02\n+++\nBody\n", rel)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f[0], ("title".to_string(), serde_json::json!("A")));
        assert_eq!(f[1], ("date".to_string(), serde_json::json!("2020-01-02")));
        assert_eq!((body, line), ("Body\n", 5));
        let (f, body, line) =
            front_matter("{\"title\": \"B\"}\n\nBody\n", rel).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f[0].1, serde_json::json!("B"));
        assert_eq!((body, line), ("\nBody\n", 2));
        let (f, body, _) =
            front_matter("---\ntitle: C\n---\nBody\n", rel).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f[0].1, serde_json::json!("C"));
        assert_eq!(body, "Body\n");
    }

    #[test]
    fn the_summary_divider_goes_with_its_line() {
        assert_eq!(
            more_divider("Lead.\n\n<!--more-->\n\nRest.\n"),
            Some(("Lead.\n\nRest.\n".to_string(), "Lead.".to_string()))
        );
        assert_eq!(more_divider("No divider."), None);
    }
}
