//! Jekyll and Eleventy sites: posts named `YYYY-MM-DD-slug.md` (in `_posts/`, or the
//! folders an Eleventy collection globs), pages beside them, authors and the site's
//! address in the data files, Liquid tags in bodies ([`super::liquid`]). Each post
//! becomes an article at `/YYYY/MM/DD/slug/`, its URLs under the source's permalink
//! style (and Eleventy's UTC dates) kept as aliases.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::source::{Generator, files, is_markdown, link_fragments};
use super::{Entry, EntryKind, Found, Report, front, liquid};

/// Reads the Jekyll or Eleventy site at `src`; `base_url` (given on the command line)
/// wins over the one its configuration names.
pub(crate) fn read(
    generator: Generator,
    src: &Path,
    base_url: Option<String>,
    report: &mut Report,
) -> Result<Found> {
    let mut found = Found::default();
    let scan = find(generator, src, &mut found)?;
    if let Some(url) = base_url {
        found.base_url = Some(url);
    }
    found.permalink = "/{year}/{month}/{day}/{slug}/".to_string();
    let mut taken: BTreeMap<String, PathBuf> = BTreeMap::new();
    for post in &scan.posts {
        if let Some(e) = post_entry(post, &scan, &found, report, &mut taken)? {
            found.entries.push(e);
        }
    }
    for page in &scan.pages {
        if let Some(e) = page_entry(page, &scan, &found, report)? {
            found.entries.push(e);
        }
    }
    Ok(found)
}

/// The folders of a source whose files are copied to `static/` as they are.
const ASSET_DIRS: [&str; 4] = ["assets", "images", "img", "static"];

/// The posts and pages a Jekyll or Eleventy site holds, and its permalink style.
#[derive(Debug, Default)]
struct Scan {
    posts: Vec<PathBuf>,
    pages: Vec<PathBuf>,
    /// The folder pages' URLs are relative to.
    pages_dir: PathBuf,
    /// Jekyll's `permalink:` style for posts (`/:year/:month/:day/:title/`, `pretty`, …).
    permalink: Option<String>,
}

/// Finds what `src` holds: the site's settings in `found`, its posts and pages.
fn find(generator: Generator, src: &Path, found: &mut Found) -> Result<Scan> {
    let mut scan = Scan::default();
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
        Generator::Hugo | Generator::Zola | Generator::Wordpress => {
            bail!("{generator:?} is no Jekyll site")
        }
    };
    for dir in &posts_dirs {
        let drafts = dir.ends_with("_drafts");
        for f in files(dir).into_iter().filter(|f| is_markdown(f)) {
            let _ = drafts;
            scan.posts.push(f);
        }
    }
    scan.pages_dir = pages_dir.clone();
    let posts_set: std::collections::BTreeSet<&PathBuf> = scan.posts.iter().collect();
    let assets: Vec<PathBuf> = ASSET_DIRS.iter().map(|a| src.join(a)).collect();
    scan.pages = files(&pages_dir)
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
    found.served = vec![src.to_path_buf()];
    for assets in ASSET_DIRS {
        for file in files(&src.join(assets)) {
            let rel = file.strip_prefix(src).unwrap_or(&file).to_path_buf();
            found.assets.push((file, Path::new("static").join(rel)));
        }
        found.asset_dirs.push(format!("{assets}/"));
    }
    for dir in data_dirs.iter().chain([&src.to_path_buf()]) {
        read_people(dir, &mut found.people);
    }
    read_site(src, &data_dirs, found);
    for file in scan.posts.iter().chain(&scan.pages) {
        if let Ok(text) = std::fs::read_to_string(file) {
            link_fragments(&text, &mut found.fragments);
        }
    }
    if generator == Generator::Jekyll && scan.permalink.is_none() {
        // Jekyll's default: `/:categories/:year/:month/:day/:title.html`.
        scan.permalink = Some("date".into());
    }
    Ok(scan)
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

/// The entry of one post; `None` when it is not imported (reported). `taken` holds the
/// article files already given out, lower-cased.
fn post_entry(
    post: &Path,
    scan: &Scan,
    found: &Found,
    report: &mut Report,
    taken: &mut BTreeMap<String, PathBuf>,
) -> Result<Option<Entry>> {
    let (rel, text) = super::source::read(&found.root, post)?;
    let shown = rel.display().to_string();
    let (fm, body, body_line) = split(&text, &rel)?;
    let Some(mut mapped) = mapped(&fm, found, &shown, report) else {
        return Ok(None);
    };
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
        return Ok(None);
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
    if let Some(style) = &scan.permalink {
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
    let body = convert_body(body, body_line, &mapped, found, &shown, report);
    if mapped.title.is_none() {
        mapped.title = Some(slug.replace('-', " "));
    }
    Ok(Some(Entry {
        rel,
        kind: EntryKind::Article { date },
        mapped,
        body,
        body_line,
        file,
        url,
        old_urls,
        bundle: Vec::new(),
    }))
}

/// The body with the Liquid syntax converted, every step counted in `report`.
fn convert_body(
    body: &str,
    body_line: u32,
    mapped: &front::Mapped,
    found: &Found,
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
    report.record(&converted, shown, body_line, |_| String::new());
    converted.text
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

/// The front matter mapped; `None` for `permalink: false` (reported).
fn mapped(
    fm: &crate::load::yaml::Node,
    found: &Found,
    shown: &str,
    report: &mut Report,
) -> Option<front::Mapped> {
    let mapped = front::map(&front::yaml_fields(fm), &found.people);
    if mapped.no_output {
        report.count(
            "`permalink: false` file not imported (the source publishes no page for it)",
            || shown.to_string(),
        );
        return None;
    }
    Some(mapped)
}

/// The entry of one plain page; `None` when it is not imported (reported).
fn page_entry(
    page: &Path,
    scan: &Scan,
    found: &Found,
    report: &mut Report,
) -> Result<Option<Entry>> {
    let (rel, text) = super::source::read(&found.root, page)?;
    let shown = rel.display().to_string();
    let (fm, body, body_line) = split(&text, &rel)?;
    let Some(mut mapped) = mapped(&fm, found, &shown, report) else {
        return Ok(None);
    };
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
            return Ok(None);
        }
        Some(p) => {
            report.left.push(format!(
                "{shown}:1: permalink `{p}` is no page folder: not imported"
            ));
            return Ok(None);
        }
        None => {
            let under = page.strip_prefix(&scan.pages_dir).unwrap_or(page);
            under
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/")
        }
    };
    let body = convert_body(body, body_line, &mapped, found, &shown, report);
    if mapped.title.is_none() {
        mapped.title = Some(path.clone());
    }
    Ok(Some(Entry {
        rel,
        kind: EntryKind::Page,
        mapped,
        body,
        body_line,
        file: Path::new("content/pages").join(format!("{path}.md")),
        url: format!("/{path}/"),
        old_urls: Vec::new(),
        bundle: Vec::new(),
    }))
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
