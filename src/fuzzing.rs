//! Entry points for the fuzz targets in `fuzz/` and their regression tests
//! (`tests/it/fuzz_regressions.rs`). Not part of the public API.
//!
//! Each function takes arbitrary bytes and runs one path of the pipeline on them; none
//! may panic, whatever the bytes. The loader reads files, so the targets that go
//! through it write a tiny site into a [`Workspace`] (a folder made once per fuzzing
//! process, in `/dev/shm` when there is one) and call [`crate::load::load`] on it: the
//! same code a build runs, file reading and UTF-8 checks included.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::markdown::{self, GlossLink, MarkdownOptions, marks};

/// A site folder the targets rewrite for every input.
pub struct Workspace {
    dir: tempfile::TempDir,
}

/// What one run found (for tests and for keeping the optimiser honest).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Errors reported by load and link.
    pub errors: usize,
    /// Warnings reported by load and link.
    pub warnings: usize,
    /// Bytes of output produced (HTML, rendered diagnostics).
    pub output_len: usize,
    /// Each diagnostic's path and headline, in order.
    pub messages: Vec<String>,
}

impl Outcome {
    fn from_diags(diags: &Diagnostics, root: &Path) -> Self {
        let sorted = diags.clone().sorted();
        // Printing the diagnostics quotes the files' lines: part of every run too.
        let printed = crate::diag::render(&sorted, root, false);
        Outcome {
            errors: diags.error_count(),
            warnings: diags.warning_count(),
            output_len: printed.len(),
            messages: sorted
                .iter()
                .map(|d| format!("{}: {}", d.path.display(), d.headline()))
                .collect(),
        }
    }
}

const PERSON: &str =
    "---\nname: Pat Doe\nrole: Minister\naliases: [Pat]\n---\nPat Doe is a [minister](topic:t).\n";
const TOPIC: &str = "---\nname: Tee\n---\nAbout [tee](person:p).\n";
const OUTLET: &str = "---\nname: The Outlet\nurl: https://outlet.example/\n---\n";
const ARTICLE: &str = "---\ntitle: Fixed\ndate: 2025-01-02\nspeakers: [p]\ntopics: [t]\nsources:\n  s: { outlet: o, title: S }\nquotes:\n  - { speaker: p, text: \"hello world\", source: s }\n---\nShe said \"hello world\" to [Pat](person:p), [see](quote:1).\n";

impl Workspace {
    /// Makes an empty site folder (removed when dropped).
    pub fn new() -> std::io::Result<Self> {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = tempfile::Builder::new()
            .prefix("gloss-fuzz-")
            .tempdir_in(base)?;
        let ws = Workspace { dir };
        for sub in [
            "content/articles",
            "content/people",
            "content/topics",
            "content/outlets",
            "content/pages",
            "content/sources",
        ] {
            std::fs::create_dir_all(ws.root().join(sub))?;
        }
        Ok(ws)
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `files` (path relative to the root, content; `None` removes the file).
    fn write(&self, files: &[(&str, Option<&[u8]>)]) {
        for (rel, content) in files {
            let path: PathBuf = self.root().join(rel);
            match content {
                Some(c) => std::fs::write(&path, c).expect("fuzz workspace is writable"),
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
    }

    /// Writes the files a target varies (`None` removes one) around the fixed ones they
    /// may link to (`person:p`, `topic:t`, `outlet:o`, `article:fixed`), then loads and
    /// links the site.
    fn run(&self, v: Varied<'_>) -> Outcome {
        self.write(&[
            ("site.yaml", v.site_yaml),
            ("content/articles/fuzz.md", v.article),
            ("content/articles/fixed.md", Some(ARTICLE.as_bytes())),
            ("content/people/p.md", Some(PERSON.as_bytes())),
            ("content/people/q.md", v.profile),
            ("content/topics/t.md", Some(TOPIC.as_bytes())),
            ("content/outlets/o.md", Some(OUTLET.as_bytes())),
            ("content/pages/fuzz.md", v.page),
            ("content/sources/s.md", v.source),
        ]);
        self.load_and_link()
    }

    fn load_and_link(&self) -> Outcome {
        let (site, mut diags) = crate::load::load(self.root(), Default::default());
        let (archive, link_diags) = crate::link::link(site);
        diags.extend(link_diags);
        let mut out = Outcome::from_diags(&diags, self.root());
        out.output_len += (0..archive.articles.len())
            .map(|i| archive.body(i).html.len())
            .sum::<usize>();
        out
    }

    /// Target `front_matter`: `data` as the whole file of an article, a person profile
    /// and a page (front matter and body), loaded, validated and linked with a few fixed
    /// files it may refer to (`person:p`, `topic:t`, `outlet:o`, `article:fixed`).
    pub fn front_matter(&self, data: &[u8]) -> Outcome {
        self.run(Varied {
            site_yaml: None,
            article: Some(data),
            profile: Some(data),
            page: Some(data),
            source: None,
        })
    }

    /// Target `site_yaml`: `data` as `site.yaml`, with one fixed article to link (its
    /// permalink, base URL and Markdown options come from the config).
    pub fn site_yaml(&self, data: &[u8]) -> Outcome {
        self.run(Varied {
            site_yaml: Some(data),
            article: None,
            profile: None,
            page: None,
            source: None,
        })
    }

    /// Target `anchoring`: an article built from `data` (see [`anchoring_article`]):
    /// its body, quotes and annotation passages come from the input, the rest is fixed
    /// and valid, so the input reaches Markdown rendering, link resolution, quote and
    /// passage anchoring and the check of quotes against an archived copy.
    pub fn anchoring(&self, data: &[u8]) -> Outcome {
        let (site_yaml, article, copy) = anchoring_article(data);
        self.run(Varied {
            site_yaml: Some(site_yaml.as_bytes()),
            article: Some(article.as_bytes()),
            profile: None,
            page: None,
            source: copy.as_deref().map(str::as_bytes),
        })
    }
}

/// The files of the workspace a target writes from its input.
struct Varied<'a> {
    site_yaml: Option<&'a [u8]>,
    article: Option<&'a [u8]>,
    /// A person profile (`content/people/q.md`).
    profile: Option<&'a [u8]>,
    page: Option<&'a [u8]>,
    /// The archived copy of source `s`.
    source: Option<&'a [u8]>,
}

/// A YAML double-quoted scalar holding exactly `s`.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\U{:08x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The files of the `anchoring` target: `(site.yaml, article, archived copy)`.
///
/// The first byte picks the Markdown options (bit 0 smart punctuation, bit 1 raw HTML).
/// The rest, read as UTF-8 (lossily), is split at NUL characters: the first part is
/// the body, and each later part adds, by its first character, a quote (`q`), an
/// annotation passage on the second occurrence (`2`), a fact-check (`f`), the archived
/// copy of source `s` (`c`) or, for anything else, an annotation passage (`on:`) whose
/// note is the same text (rendered as Markdown too).
pub fn anchoring_article(data: &[u8]) -> (String, String, Option<String>) {
    let (flags, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let site_yaml = format!(
        "title: Fuzz\nbase_url: https://fuzz.example/\nmarkdown:\n  smart_punctuation: {}\n  unsafe_html: {}\n",
        flags & 1 != 0,
        flags & 2 != 0
    );
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split('\0');
    let body = parts.next().unwrap_or_default();
    let mut quotes = Vec::new();
    let mut annotations = Vec::new();
    let mut copy = None;
    for part in parts {
        let mut chars = part.chars();
        let tag = chars.next();
        let value = chars.as_str();
        match tag {
            Some('q') => quotes.push(format!(
                "  - speaker: p\n    text: {}\n    source: s\n",
                yaml_quoted(value)
            )),
            Some('c') => copy = Some(value.to_string()),
            Some('2') => annotations.push(format!(
                "  - on: {}\n    occurrence: 2\n    kind: context\n    note: {}\n",
                yaml_quoted(value),
                yaml_quoted(value)
            )),
            Some('f') => annotations.push(format!(
                "  - on: {}\n    kind: fact-check\n    rating: False\n    claimant: p\n    note: {}\n    sources: [s]\n",
                yaml_quoted(value),
                yaml_quoted(value)
            )),
            _ => annotations.push(format!(
                "  - on: {}\n    kind: context\n    note: {}\n    sources: [s]\n",
                yaml_quoted(part),
                yaml_quoted(part)
            )),
        }
    }
    let copy_line = if copy.is_some() {
        "    copy: sources/s.md\n"
    } else {
        ""
    };
    let mut article = format!(
        "---\ntitle: Fuzz\ndate: 2025-03-04\ntopics: [t]\nspeakers: [p]\nmentions: [q]\nsources:\n  s:\n    outlet: o\n    title: The source\n    url: https://outlet.example/a\n{copy_line}"
    );
    if !quotes.is_empty() {
        article.push_str("quotes:\n");
        article.extend(quotes);
    }
    if !annotations.is_empty() {
        article.push_str("annotations:\n");
        article.extend(annotations);
    }
    article.push_str("---\n");
    article.push_str(body);
    (site_yaml, article, copy)
}

/// Target `markdown`: Markdown rendering alone, in memory. The first byte picks the
/// options (bit 0 smart punctuation, bit 1 raw HTML trusted, else bit 2 sanitised, bit 3 embeds); the rest, up to the first NUL
/// byte, is the Markdown; the bytes after it are pairs of 16-bit offsets, each a passage
/// of the visible text to mark (moved back to character boundaries, as anchoring's
/// marks are). Every gloss link resolves (or not, by its target's length) to a URL.
pub fn markdown(data: &[u8]) -> Outcome {
    let (flags, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let options = MarkdownOptions {
        smart_punctuation: flags & 1 != 0,
        html: match flags & 6 {
            0 => markdown::HtmlMode::Escape,
            4 => markdown::HtmlMode::Sanitize,
            _ => markdown::HtmlMode::Trust,
        },
        embeds: flags & 8 != 0,
    };
    let (text, spec) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let text = String::from_utf8_lossy(text);
    let mut resolve = |l: &GlossLink<'_>| {
        (!l.target.len().is_multiple_of(3)).then(|| format!("/{}/{}/", l.scheme, l.target).into())
    };
    let mut anchor = |model: &marks::TextModel| {
        let len = model.text.len();
        if len == 0 {
            return Vec::new();
        }
        let boundary = |raw: usize| {
            let mut at = raw % (len + 1);
            while !model.text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        spec.chunks_exact(4)
            .enumerate()
            .map(|(i, c)| {
                let a = boundary(usize::from(u16::from_le_bytes([c[0], c[1]])));
                let b = boundary(usize::from(u16::from_le_bytes([c[2], c[3]])));
                marks::Mark {
                    start: a.min(b),
                    end: a.max(b),
                    first_open: format!("<mark id=\"m{i}\">"),
                    open: "<mark>".into(),
                    close: "</mark>".into(),
                    after: format!("<sup>{i}</sup>"),
                    after_block: format!("<aside>{i}</aside>"),
                }
            })
            .collect()
    };
    let rendered = markdown::render_marked(
        &text,
        options,
        markdown::HeadingIds::On(&|id| id.starts_with("m")),
        &mut resolve,
        &mut anchor,
    );
    let plain = markdown::render_plain(&text, options);
    let visible = markdown::visible_text(&text, options);
    Outcome {
        output_len: rendered.html.len()
            + rendered.first_paragraph.len()
            + plain.html.len()
            + visible.len(),
        ..Outcome::default()
    }
}
