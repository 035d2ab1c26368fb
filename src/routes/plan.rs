//! The page plan: every file of DESIGN.md §5 that gloss generates, as a [`Job`], with
//! the folder or path it is written to and what makes it. The one table of page kinds:
//! render walks it to render pages, the collision check to claim their paths.

use super::dirs::{ARCHIVE, QUOTES, month_dir, pager_dir, quote_status_dir, year_dir};
use super::{Claim, Origin};
use crate::link::{Archive, EntityKind};
use crate::model::QuoteStatus;

/// The top-level names gloss writes itself: folders of its index pages and its own
/// files. A page there, or an article permalink starting with one of the folders, would
/// collide with them.
pub(crate) const RESERVED: &[&str] = &[
    "people",
    "topics",
    "outlets",
    "quotes",
    "archive",
    "page",
    "search",
    "feed.xml",
    "sitemap.xml",
    "404.html",
    "annotations.jsonld",
    "sources",
    "corrections",
];

/// Most URLs one sitemap file may list (the sitemap protocol's limit).
pub(crate) const SITEMAP_URLS: usize = 50_000;

/// Into how many files a sitemap of `urls` pages is split: 0 when `sitemap.xml` holds
/// them all, else the number of `sitemap-K.xml` parts that `sitemap.xml` indexes.
pub(crate) fn sitemap_parts(urls: usize) -> usize {
    if urls <= SITEMAP_URLS {
        0
    } else {
        urls.div_ceil(SITEMAP_URLS)
    }
}

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Job {
    Home(usize),
    Article(usize),
    EntityIndex(EntityKind),
    Entity(EntityKind, usize, usize),
    Quotes(usize),
    /// Page `k` of the quotes of one status (disputed or misattributed), only when
    /// there are any.
    QuotesWith(QuoteStatus, usize),
    ArchiveIndex,
    Year(usize, usize),
    Month(usize, usize, usize),
    Page(usize),
    /// The page of [`Archive::copies`]`[i]`, an archived copy of a source.
    SourceCopy(usize),
    /// Page `k` of `/corrections/`, every correction newest first (only when there are
    /// any).
    Corrections(usize),
    /// `/corrections/feed.xml`, the newest corrections (only when there are any).
    CorrectionsFeed,
    /// `/search/`, the page the search index is read from.
    Search,
    NotFound,
    Feed(Option<(EntityKind, usize)>),
    /// `sitemap.xml` (0), or part `k` of a sitemap split in files of
    /// [`SITEMAP_URLS`] (then `sitemap.xml` is their index).
    Sitemap(usize),
    Annotations,
    /// The redirect page of [`Archive::redirects`]`[i]`, at the old path.
    Redirect(usize),
    /// `_redirects`, the same redirects for Netlify and Cloudflare Pages (only when
    /// there are any).
    Redirects,
    /// A list of [`Archive::languages`]`[l]`, under that language's folder (only for a
    /// site whose articles are in more than one language).
    Language(usize, Listing),
}

/// The lists each language of a multilingual site gets, under its folder (`es/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Listing {
    /// Page `k` of its newest articles: `es/`, `es/page/2/`.
    Home(usize),
    /// Its archive index: `es/archive/`.
    Archive,
    /// Page `k` of a year of its archive (index into the language's years).
    Year(usize, usize),
    /// Page `k` of a month of its archive.
    Month(usize, usize, usize),
    /// The index of the people, topics or outlets its articles name: `es/people/`.
    Entities(EntityKind),
    /// Its Atom feed: `es/feed.xml`.
    Feed,
}

/// The folder of the corrections page.
pub(crate) const CORRECTIONS: &str = "corrections/";
/// The statuses whose quotes have a list of their own ([`Job::QuotesWith`]).
pub(crate) const QUOTE_FILTERS: [QuoteStatus; 2] =
    [QuoteStatus::Disputed, QuoteStatus::Misattributed];

/// The file of [`Job::Redirects`].
pub(crate) const REDIRECTS_FILE: &str = "_redirects";

/// Number of pages needed for `n` items.
pub(crate) fn pages_for(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

/// Positions that page `k` (1-based) of a list of `n` items shows.
pub(crate) fn page_range(n: usize, k: usize, per_page: usize) -> std::ops::Range<usize> {
    let start = ((k - 1) * per_page).min(n);
    start..(start + per_page).min(n)
}

/// Every page of the site, in a fixed order.
pub(crate) fn plan(a: &Archive) -> Vec<Job> {
    let per = a.config.paginate;
    let mut jobs = Vec::new();
    jobs.extend((1..=pages_for(a.articles.len(), per)).map(Job::Home));
    jobs.extend((0..a.articles.len()).map(Job::Article));
    for kind in [EntityKind::Person, EntityKind::Topic, EntityKind::Outlet] {
        jobs.push(Job::EntityIndex(kind));
        for (i, e) in a.entities(kind).iter().enumerate() {
            jobs.extend((1..=pages_for(e.articles.len(), per)).map(|k| Job::Entity(kind, i, k)));
            jobs.push(Job::Feed(Some((kind, i))));
        }
    }
    jobs.extend((1..=pages_for(a.quotes.len(), per)).map(Job::Quotes));
    for status in QUOTE_FILTERS {
        let n = a.quotes_with(status).len();
        if n > 0 {
            jobs.extend((1..=pages_for(n, per)).map(|k| Job::QuotesWith(status, k)));
        }
    }
    jobs.push(Job::ArchiveIndex);
    for (y, year) in a.years.iter().enumerate() {
        let count = year.months.iter().map(|m| m.articles.len()).sum();
        jobs.extend((1..=pages_for(count, per)).map(|k| Job::Year(y, k)));
        for (m, month) in year.months.iter().enumerate() {
            jobs.extend((1..=pages_for(month.articles.len(), per)).map(|k| Job::Month(y, m, k)));
        }
    }
    jobs.extend((0..a.pages.len()).map(Job::Page));
    jobs.extend((0..a.copies.len()).map(Job::SourceCopy));
    if !a.corrections.is_empty() {
        jobs.extend((1..=pages_for(a.corrections.len(), per)).map(Job::Corrections));
    }
    for (l, lang) in a.languages.iter().enumerate() {
        let listing = |x| Job::Language(l, x);
        jobs.extend((1..=pages_for(lang.articles.len(), per)).map(|k| listing(Listing::Home(k))));
        jobs.push(listing(Listing::Archive));
        for (y, year) in lang.years.iter().enumerate() {
            let count = year.months.iter().map(|m| m.articles.len()).sum();
            jobs.extend((1..=pages_for(count, per)).map(|k| listing(Listing::Year(y, k))));
            for (m, month) in year.months.iter().enumerate() {
                jobs.extend(
                    (1..=pages_for(month.articles.len(), per))
                        .map(|k| listing(Listing::Month(y, m, k))),
                );
            }
        }
        for kind in [EntityKind::Person, EntityKind::Topic, EntityKind::Outlet] {
            jobs.push(listing(Listing::Entities(kind)));
        }
    }
    jobs.push(Job::Search);
    let pages = jobs.iter().filter(|&&j| is_page(j)).count();
    jobs.extend([Job::NotFound, Job::Feed(None), Job::Annotations]);
    jobs.extend((0..a.languages.len()).map(|l| Job::Language(l, Listing::Feed)));
    if !a.corrections.is_empty() {
        jobs.push(Job::CorrectionsFeed);
    }
    jobs.extend((0..=sitemap_parts(pages)).map(Job::Sitemap));
    jobs.extend((0..a.redirects.len()).map(Job::Redirect));
    if !a.redirects.is_empty() {
        jobs.push(Job::Redirects);
    }
    jobs
}

/// True for the jobs that make an HTML page listed in the sitemap (those [`dir`] places).
pub(crate) fn is_page(job: Job) -> bool {
    !matches!(
        job,
        Job::NotFound
            | Job::Feed(_)
            | Job::CorrectionsFeed
            | Job::Sitemap(_)
            | Job::Annotations
            | Job::Redirect(_)
            | Job::Redirects
            | Job::Language(_, Listing::Feed)
    )
}

/// The output folder of an HTML job, or the file path of any other job.
pub(crate) fn out_path(a: &Archive, job: Job) -> String {
    match dir(a, job) {
        Some(d) => format!("{d}index.html"),
        None => match job {
            Job::NotFound => "404.html".into(),
            Job::Feed(None) => "feed.xml".into(),
            Job::Feed(Some((kind, i))) => format!("{}feed.xml", a.entities(kind)[i].dir),
            Job::CorrectionsFeed => format!("{CORRECTIONS}feed.xml"),
            Job::Sitemap(0) => "sitemap.xml".into(),
            Job::Sitemap(k) => format!("sitemap-{k}.xml"),
            Job::Redirect(i) => a.redirects[i].path.clone(),
            Job::Redirects => REDIRECTS_FILE.into(),
            Job::Language(l, _) => format!("{}feed.xml", a.languages[l].dir),
            _ => "annotations.jsonld".into(),
        },
    }
}

/// What makes the file of `job`, for the collision check: the site file it renders, or
/// a description of the page gloss makes.
fn origin(a: &Archive, job: Job) -> Origin {
    match job {
        Job::Article(i) => Origin::File(a.articles[i].article.path.clone()),
        Job::Page(i) => Origin::File(a.pages[i].page.path.clone()),
        Job::SourceCopy(i) => Origin::File(std::path::Path::new("content").join(&a.copies[i].name)),
        Job::Redirect(i) => Origin::Alias(a.redirects[i].source.clone()),
        Job::Redirects => Origin::Generated(format!(
            "gloss's `{REDIRECTS_FILE}` (the `aliases:` of articles and pages)"
        )),
        Job::Entity(kind, i, 1) if a.entities(kind)[i].profile.is_some() => Origin::File(
            a.entities(kind)[i]
                .profile
                .as_ref()
                .map(|p| p.path.clone())
                .unwrap_or_default(),
        ),
        Job::Entity(kind, i, k) => Origin::Generated(format!(
            "page {k} of the list of `{}` in `/{}/`",
            a.entities(kind)[i].id,
            kind.folder()
        )),
        other => Origin::Generated(format!("gloss's page `/{}`", out_path(a, other))),
    }
}

/// The output file of `job` with what makes it, for the collision check.
pub(crate) fn claim(a: &Archive, job: Job) -> Claim {
    Claim {
        path: out_path(a, job),
        origin: origin(a, job),
        span: match job {
            Job::Redirect(i) => Some(a.redirects[i].span),
            _ => None,
        },
    }
}

/// The folder of an HTML page; `None` for files that are not `index.html` pages.
pub(crate) fn dir(a: &Archive, job: Job) -> Option<String> {
    Some(match job {
        Job::Home(k) => pager_dir("", k),
        Job::Article(i) => a.articles[i].dir.clone(),
        Job::EntityIndex(kind) => format!("{}/", kind.folder()),
        Job::Entity(kind, i, k) => pager_dir(&a.entities(kind)[i].dir, k),
        Job::Quotes(k) => pager_dir(QUOTES, k),
        Job::QuotesWith(status, k) => pager_dir(&quote_status_dir(status), k),
        Job::ArchiveIndex => ARCHIVE.into(),
        Job::Year(y, k) => pager_dir(&year_dir(a.years[y].year), k),
        Job::Month(y, m, k) => {
            pager_dir(&month_dir(a.years[y].year, a.years[y].months[m].month), k)
        }
        Job::Page(i) => a.pages[i].dir.clone(),
        Job::SourceCopy(i) => a.copies[i].dir.clone(),
        Job::Corrections(k) => pager_dir(CORRECTIONS, k),
        Job::Search => "search/".into(),
        Job::Language(l, listing) => {
            let lang = &a.languages[l];
            let base = &lang.dir;
            match listing {
                Listing::Home(k) => pager_dir(base, k),
                Listing::Archive => format!("{base}{ARCHIVE}"),
                Listing::Year(y, k) => {
                    pager_dir(&format!("{base}{}", year_dir(lang.years[y].year)), k)
                }
                Listing::Month(y, m, k) => {
                    let year = &lang.years[y];
                    pager_dir(
                        &format!("{base}{}", month_dir(year.year, year.months[m].month)),
                        k,
                    )
                }
                Listing::Entities(kind) => format!("{base}{}/", kind.folder()),
                Listing::Feed => return None,
            }
        }
        _ => return None,
    })
}
