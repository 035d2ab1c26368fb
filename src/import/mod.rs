//! `gloss import GENERATOR SRC DEST`: reads another generator's site (never writing into
//! it) and writes a gloss site into an empty `DEST`. Each generator has its module
//! ([`jekyll`] for Jekyll and Eleventy, [`hugo`], [`zola`]) that finds the source's posts and pages the way
//! that generator does and turns each into one [`Entry`]: front matter mapped
//! ([`front`]), body with the generator's template syntax converted, its new file and
//! URL, its old URLs and the files of its bundle. The shared writer ([`write`]) then
//! writes every entry, the topic and person profiles, the assets and `site.yaml`, and
//! runs the passes common to every source (files the source lacks, heading ids, links
//! to pages left behind, aliases). Returns a [`Report`]: each transformation with its
//! count and first example, and every place it could not convert, by file and line. The
//! same source gives the same site.

mod blocks;
mod front;
mod hugo;
mod jekyll;
mod liquid;
mod shortcodes;
mod source;
mod urls;
mod wordpress;
mod write;
mod zola;

pub(crate) use write::{Out, aliases_of};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

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

    /// Records what converting one body did: each conversion counted with its first
    /// example, each place left listed at its line of the source file (`body_line` is the
    /// body's first), with what `why` adds about the tag (where the site defines it).
    fn record(
        &mut self,
        c: &liquid::Converted,
        shown: &str,
        body_line: u32,
        why: impl Fn(&str) -> String,
    ) {
        for (what, example) in &c.done {
            self.count(what, || format!("{shown}: {}", one_line(example)));
        }
        for (line, tag) in &c.left {
            self.left.push(format!(
                "{shown}:{}: {}{}",
                body_line + line - 1,
                one_line(tag),
                why(tag)
            ));
        }
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

/// What a source site holds, as its generator's module read it: the site's settings,
/// every post and page as an [`Entry`], and the files copied as they are.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// The source's folder (resolved).
    pub(crate) root: PathBuf,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    /// The address the source was served at, with a trailing `/`.
    pub(crate) base_url: Option<String>,
    /// Author ids to display names.
    pub(crate) people: BTreeMap<String, String>,
    /// Topic ids to the names the source gave them (its taxonomy term pages), beside the
    /// names posts use.
    pub(crate) topic_names: BTreeMap<String, String>,
    /// The folders whose files the source served at its root (Jekyll: the site itself;
    /// Hugo and Zola: `static/`): a root-relative `/x.png` is a file of the source when one
    /// of them holds `x.png`.
    pub(crate) served: Vec<PathBuf>,
    /// The top folders of root-relative paths that name files (`assets/`, …): such a
    /// path no served folder holds is a file the source lacks.
    pub(crate) asset_dirs: Vec<String>,
    /// Files copied into the new site as they are: the source file, and its path in the
    /// new site (under `static/`).
    pub(crate) assets: Vec<(PathBuf, PathBuf)>,
    /// Every fragment the posts' and pages' links name (`#frag`, a text fragment
    /// `:~:text=…` cut off), to keep the headings' ids the source made.
    pub(crate) fragments: std::collections::BTreeSet<String>,
    /// The new site's `permalinks.article`.
    pub(crate) permalink: String,
    /// The posts and pages, in the order they are written.
    pub(crate) entries: Vec<Entry>,
}

impl Found {
    /// True when the source served a file at the root-relative path `file` (no leading
    /// `/`).
    pub(crate) fn serves(&self, file: &str) -> bool {
        !file.is_empty() && self.served.iter().any(|d| d.join(file).is_file())
    }
}

/// What an entry becomes in the new site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EntryKind {
    /// An article dated `date` (`YYYY-MM-DD` or RFC 3339).
    Article {
        /// Its date, as gloss writes it.
        date: String,
    },
    /// A plain page.
    Page,
}

/// One post or page of the source, ready for the shared writer: the intermediate every
/// generator's module produces.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The source file, relative to the source's folder (as the report names it).
    pub(crate) rel: PathBuf,
    /// Article or page.
    pub(crate) kind: EntryKind,
    /// Its front matter, mapped; `title` is always set.
    pub(crate) mapped: front::Mapped,
    /// The body with the generator's syntax converted (every step already counted).
    pub(crate) body: String,
    /// The line of the source file the body starts on.
    pub(crate) body_line: u32,
    /// The new site's file (`content/articles/…/x.md`, `content/pages/about.md`).
    pub(crate) file: PathBuf,
    /// Its URL path in the new site (`/posts/x/`).
    pub(crate) url: String,
    /// The URLs it had in the source, that are not `url`: they become aliases.
    pub(crate) old_urls: Vec<String>,
    /// Files of its bundle: the source file, and its path relative to the new file's
    /// folder.
    pub(crate) bundle: Vec<(PathBuf, PathBuf)>,
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
    let base_url = match base_url {
        Some(url) => Some(crate::load::normalise_base_url(url).ok_or_else(|| {
            anyhow::anyhow!("`{url}` is not an absolute http(s) URL\nhint: write e.g. `--base-url https://example.org/`")
        })?),
        None => None,
    };
    // What the source holds first: nothing is created for a source gloss cannot read.
    let mut report = Report::default();
    let found = match generator {
        Generator::Jekyll | Generator::Eleventy => {
            jekyll::read(generator, &src_real, base_url, &mut report)?
        }
        Generator::Hugo => hugo::read(&src_real, base_url, &mut report)?,
        Generator::Zola => zola::read(&src_real, base_url, &mut report)?,
        Generator::Wordpress => unreachable!("read above"),
    };
    make_empty(dest)?;
    write::write(found, dest, &mut report)?;
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

/// The text of a tag on one line, shortened, for the report.
pub(crate) fn one_line(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}
