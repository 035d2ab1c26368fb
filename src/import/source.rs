//! What a source site holds, found the way its generator finds it: the posts, the plain
//! pages, the assets, the people its posts name, and its title and URL.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// The generators `gloss import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Generator {
    /// Jekyll: `_config.yml`, `_posts/`, `_data/`.
    Jekyll,
    /// Eleventy with Jekyll-style posts: `.eleventy.js`, a posts folder, `data/` or `_data/`.
    Eleventy,
    /// Hugo (not yet supported).
    Hugo,
    /// Zola (not yet supported).
    Zola,
    /// WordPress: `SRC` is the export file (Tools > Export), `--uploads` its media.
    Wordpress,
}

/// The parts of a source site an import reads.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) posts: Vec<PathBuf>,
    pub(crate) pages: Vec<PathBuf>,
    /// The folder pages' URLs are relative to.
    pub(crate) pages_dir: PathBuf,
    pub(crate) assets: Vec<PathBuf>,
    /// Author ids to display names.
    pub(crate) people: BTreeMap<String, String>,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) base_url: Option<String>,
    /// The source's folder (resolved).
    pub(crate) root: PathBuf,
    /// The top folders assets are copied from (`assets`, …), with a trailing `/`.
    pub(crate) asset_dirs: Vec<String>,
    /// Every fragment the posts' and pages' links name (`#frag`, a text fragment
    /// `:~:text=…` cut off), to keep the headings' ids the source made.
    pub(crate) fragments: std::collections::BTreeSet<String>,
    /// Jekyll's `permalink:` style for posts (`/:year/:month/:day/:title/`, `pretty`, …).
    pub(crate) permalink: Option<String>,
}

/// The folders of a source whose files are copied to `static/` as they are.
const ASSET_DIRS: [&str; 4] = ["assets", "images", "img", "static"];

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
fn files(dir: &Path) -> Vec<PathBuf> {
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

fn is_markdown(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["md", "markdown"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Finds what `src` holds.
pub(crate) fn find(generator: Generator, src: &Path) -> Result<Found> {
    let mut found = Found::default();
    let (posts_dirs, pages_dir, data_dirs): (Vec<PathBuf>, PathBuf, Vec<PathBuf>) = match generator
    {
        Generator::Jekyll => {
            if !src.join("_config.yml").is_file() && !src.join("_posts").is_dir() {
                bail!(
                    "no Jekyll site at `{}`: it has neither _config.yml nor _posts/",
                    src.display()
                );
            }
            (
                vec![src.join("_posts"), src.join("_drafts")],
                src.to_path_buf(),
                vec![src.join("_data")],
            )
        }
        Generator::Eleventy => {
            let config = [
                "eleventy.config.js",
                ".eleventy.js",
                "eleventy.config.mjs",
                "eleventy.config.cjs",
            ]
            .iter()
            .any(|c| src.join(c).is_file());
            if !config {
                bail!(
                    "no Eleventy site at `{}`: it has no .eleventy.js or eleventy.config.js",
                    src.display()
                );
            }
            let posts = posts_folders(src);
            let pages = ["content/pages", "pages", "src/pages"]
                .iter()
                .map(|p| src.join(p))
                .find(|p| p.is_dir())
                .unwrap_or_else(|| src.to_path_buf());
            (
                posts,
                pages,
                vec![src.join("_data"), src.join("data"), src.join("src/_data")],
            )
        }
        Generator::Wordpress => bail!("a WordPress export is read by import::wordpress"),
        Generator::Hugo | Generator::Zola => bail!(
            "importing from {generator:?} is not supported yet\nhint: gloss imports Jekyll and Eleventy sites today; see README.md, Migrating"
        ),
    };
    for dir in &posts_dirs {
        let drafts = dir.ends_with("_drafts");
        for f in files(dir).into_iter().filter(|f| is_markdown(f)) {
            let _ = drafts;
            found.posts.push(f);
        }
    }
    found.pages_dir = pages_dir.clone();
    let posts_set: std::collections::BTreeSet<&PathBuf> = found.posts.iter().collect();
    let assets: Vec<PathBuf> = ASSET_DIRS.iter().map(|a| src.join(a)).collect();
    found.pages = files(&pages_dir)
        .into_iter()
        .filter(|f| {
            is_markdown(f) && !posts_set.contains(f) && !assets.iter().any(|a| f.starts_with(a))
        })
        .filter(|f| {
            let rel = f.strip_prefix(&pages_dir).unwrap_or(f);
            // Jekyll reads no `_folder` as pages; a README is the repository's, not the site's.
            let hidden = rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('_'));
            let readme = ["readme.md", "license.md", "changelog.md", "contributing.md"]
                .contains(&rel.to_string_lossy().to_lowercase().as_str());
            !hidden && !readme
        })
        .collect();
    found.root = src.to_path_buf();
    for assets in ASSET_DIRS {
        found.assets.extend(files(&src.join(assets)));
        found.asset_dirs.push(format!("{assets}/"));
    }
    for dir in data_dirs.iter().chain([&src.to_path_buf()]) {
        read_people(dir, &mut found.people);
    }
    read_site(src, &data_dirs, &mut found);
    for file in found.posts.iter().chain(&found.pages) {
        if let Ok(text) = std::fs::read_to_string(file) {
            link_fragments(&text, &mut found.fragments);
        }
    }
    if generator == Generator::Jekyll && found.permalink.is_none() {
        // Jekyll's default: `/:categories/:year/:month/:day/:title.html`.
        found.permalink = Some("date".into());
    }
    Ok(found)
}

/// The folders Eleventy's collections read posts from: `getFilteredByGlob('DIR/*.md')`
/// in the site's JavaScript, else the folders named `posts` or `_posts`.
fn posts_folders(src: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for js in files(src)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "js"))
    {
        let Ok(text) = std::fs::read_to_string(&js) else {
            continue;
        };
        let mut rest = text.as_str();
        while let Some(i) = rest.find("getFilteredByGlob(") {
            rest = &rest[i + "getFilteredByGlob(".len()..];
            let Some(q) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else {
                continue;
            };
            let Some(end) = rest[1..].find(q) else {
                continue;
            };
            let glob = &rest[1..1 + end];
            let folder: String = glob
                .split('/')
                .take_while(|p| !p.contains('*'))
                .collect::<Vec<_>>()
                .join("/");
            let dir = src.join(folder.trim_start_matches("./"));
            if glob.ends_with(".md") && dir.is_dir() && !dirs.contains(&dir) && holds_posts(&dir) {
                dirs.push(dir);
            }
        }
    }
    if dirs.is_empty() {
        for f in files(src) {
            if let Some(dir) = f.parent()
                && dir
                    .file_name()
                    .is_some_and(|n| n == "posts" || n == "_posts")
                && !dirs.contains(&dir.to_path_buf())
            {
                dirs.push(dir.to_path_buf());
            }
        }
    }
    dirs.sort();
    dirs
}

/// The fragments links in `text` name: every `#frag` right after the end of a path
/// (`/`), a template tag (`}}`, as in `{{ "/x/" | url }}#frag`) or the opening of a link
/// (`(`, `"`). A few more than the links name do no harm: they only keep a heading's
/// source id when its text matches.
fn link_fragments(text: &str, into: &mut std::collections::BTreeSet<String>) {
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('#') {
        if i == 0 || !matches!(bytes[i - 1], b'/' | b'}' | b'(' | b'"') {
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

/// True when most Markdown files of `dir` are named like posts (`YYYY-MM-DD-slug.md`):
/// a collection of such files is the blog, any other (services, projects) pages.
fn holds_posts(dir: &Path) -> bool {
    let md: Vec<PathBuf> = files(dir).into_iter().filter(|f| is_markdown(f)).collect();
    let dated = md
        .iter()
        .filter(|f| {
            f.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.len() > 11
                    && n.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                    && n.as_bytes()[4] == b'-'
            })
        })
        .count();
    dated * 2 > md.len()
}

/// Author names from the data files: `team_members.csv` (`id`, `full_name` or
/// `first_name` + `last_name`) and `authors.yml` (`id: {name: …}` or `id: Name`).
fn read_people(dir: &Path, people: &mut BTreeMap<String, String>) {
    if let Ok(mut csv) = csv::Reader::from_path(dir.join("team_members.csv")) {
        let headers = csv.headers().cloned().unwrap_or_default();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let (id, full, first, last) = (
            col("id"),
            col("full_name"),
            col("first_name"),
            col("last_name"),
        );
        for row in csv.records().flatten() {
            let get =
                |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("").trim().to_string();
            let key = get(id);
            let name = Some(get(full))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("{} {}", get(first), get(last)).trim().to_string());
            if !key.is_empty() && !name.is_empty() {
                people.entry(key).or_insert(name);
            }
        }
    }
    for file in ["authors.yml", "authors.yaml", "team.yml"] {
        let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
            continue;
        };
        let Ok(node) = crate::load::yaml::parse(&text, Path::new(file), 1) else {
            continue;
        };
        if let crate::load::yaml::Kind::Map(entries) = &node.kind {
            for (k, v) in entries {
                let name = match &v.kind {
                    crate::load::yaml::Kind::Str(s) => Some(s.clone()),
                    crate::load::yaml::Kind::Map(m) => m
                        .iter()
                        .find(|(k, _)| k.name == "name" || k.name == "full_name")
                        .and_then(|(_, v)| match &v.kind {
                            crate::load::yaml::Kind::Str(s) => Some(s.clone()),
                            _ => None,
                        }),
                    _ => None,
                };
                if let Some(n) = name {
                    people.entry(k.name.clone()).or_insert(n);
                }
            }
        }
    }
}

/// The site's title, description and URL from `_config.yml` or a data file `site.yaml`.
fn read_site(src: &Path, data_dirs: &[PathBuf], found: &mut Found) {
    // GitHub Pages' `CNAME` names the host the site was served at.
    if let Ok(host) = std::fs::read_to_string(src.join("CNAME"))
        && let Some(url) = crate::load::normalise_base_url(&format!("https://{}", host.trim()))
    {
        found.base_url = Some(url);
    }
    let main: Vec<PathBuf> = [src.join("_config.yml")]
        .into_iter()
        .chain(data_dirs.iter().flat_map(|d| {
            [
                d.join("site.yaml"),
                d.join("site.yml"),
                d.join("metadata.json"),
            ]
        }))
        .collect();
    // The site's address may sit in any data file (18F: `anchor.yml`'s `site_url`); the
    // others are read for it alone, in name order, after the main ones.
    let others: Vec<PathBuf> = data_dirs
        .iter()
        .flat_map(|d| files(d))
        .filter(|f| f.extension().is_some_and(|e| e == "yml" || e == "yaml") && !main.contains(f))
        .collect();
    let candidates = main
        .iter()
        .map(|p| (p, true))
        .chain(others.iter().map(|p| (p, false)));
    for (path, is_main) in candidates {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(node) = crate::load::yaml::parse(&text, path, 1) else {
            continue;
        };
        let crate::load::yaml::Kind::Map(entries) = &node.kind else {
            continue;
        };
        let get = |key: &str| {
            entries
                .iter()
                .find(|(k, _)| k.name == key)
                .and_then(|(_, v)| match &v.kind {
                    crate::load::yaml::Kind::Str(s) => Some(s.clone()),
                    _ => None,
                })
        };
        if is_main {
            found.title = found
                .title
                .take()
                .or_else(|| get("title").or_else(|| get("name")));
            found.description = found.description.take().or_else(|| get("description"));
        }
        let url = get("url")
            .or_else(|| get("site_url"))
            .or_else(|| get("baseURL"));
        if let Some(u) = url.and_then(|u| crate::load::normalise_base_url(&u)) {
            found.base_url.get_or_insert(u);
        }
    }
}
