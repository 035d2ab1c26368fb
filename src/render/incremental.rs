//! Which pages a change touches: compares two linked archives and answers, per page,
//! whether its view can differ. Used by `gloss serve` to render only those pages; a
//! test compares the result with a clean build.
//!
//! Anything that shows on every page or in many views (site.yaml, the plain pages in the
//! footer, an entity's name) makes every page count as changed. Otherwise a page is
//! rendered again when it shows a changed article, or a changed entity, or when the order
//! of articles (and so every list's pagination) changed.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::feeds::FEED_ENTRIES;
use super::pages::{months_page, slice};
use super::views::Shared;
use crate::link::{Archive, ArticleEntry, Entity, EntityKind};
use crate::routes::plan::{Job, Listing, page_range, pages_for};

/// What differs between two archives.
pub(crate) struct Changes {
    /// New indexes of articles whose page differs.
    articles: BTreeSet<usize>,
    /// The list of articles (by file, in order) differs: every list page changes.
    order: bool,
    /// New indexes of entities whose own page differs, per kind (person, topic, outlet).
    entities: [BTreeSet<usize>; 3],
    /// The list of quotes differs.
    quotes: bool,
    /// Counts shown on the home page differ.
    counts: bool,
    /// New indexes of plain pages whose body differs.
    pages: BTreeSet<usize>,
    /// Some article's annotations (as JSON-LD) differ.
    annotations: bool,
    /// The sitemap's entries (URLs and dates) differ.
    sitemap: bool,
    /// What the search index holds differs.
    search: bool,
    /// The redirects (old paths, their targets or titles) differ.
    redirects: bool,
    /// Indexes of archived copies whose page differs (their text, quotes or citations).
    copies: BTreeSet<usize>,
    /// The list of corrections (which, in what order, with what dates) differs.
    corrections: bool,
    /// The years of articles that moved to another month (the year before and after)
    /// while the order of articles stayed: the pages of those years and their months
    /// count the months' articles (the months' list on each of them).
    years_moved: BTreeSet<i16>,
}

/// Whether the Web Annotations of an article can differ: they are built from its
/// annotations, date and address, and from its body as served (the selectors).
fn annotations_differ(a: &ArticleEntry, b: &ArticleEntry) -> bool {
    a.article.annotations != b.article.annotations
        || a.article.date != b.article.date
        || a.dir != b.dir
        || a.body.fingerprint != b.body.fingerprint
        || a.body.note_numbers != b.body.note_numbers
}

fn kind_index(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Topic => 1,
        EntityKind::Outlet => 2,
    }
}

fn article_differs(a: &Arc<ArticleEntry>, b: &Arc<ArticleEntry>) -> bool {
    if Arc::ptr_eq(a, b) {
        return false;
    }
    !Arc::ptr_eq(&a.article, &b.article)
        || a.dir != b.dir
        || (!std::sync::Arc::ptr_eq(&a.body, &b.body) && a.body != b.body)
        || a.quote_checks != b.quote_checks
        || a.summary != b.summary
}

/// True when what the search index holds of an article differs (src/render/search/):
/// its text included, so an edit of the body rewrites the index.
fn search_differs(a: &ArticleEntry, b: &ArticleEntry) -> bool {
    fn quotes(e: &ArticleEntry) -> impl Iterator<Item = (&String, &String)> {
        e.article.quotes.iter().map(|q| (&q.text.value, &q.id))
    }
    a.dir != b.dir
        || a.body.fingerprint != b.body.fingerprint
        || a.article.title != b.article.title
        || a.article.date != b.article.date
        || a.summary != b.summary
        || a.speakers != b.speakers
        || a.mentions != b.mentions
        || a.authors != b.authors
        || a.quote_speakers != b.quote_speakers
        || a.topics != b.topics
        || a.outlets != b.outlets
        || !quotes(a).eq(quotes(b))
}

fn entity_differs(a: &Entity, b: &Entity) -> bool {
    a.articles != b.articles
        || a.written != b.written
        || a.quotes != b.quotes
        || a.distinct_quotes != b.distinct_quotes
        || a.quoted_in != b.quoted_in
        || a.mentioned_in != b.mentioned_in
        || a.ratings != b.ratings
        || a.related != b.related
        || a.bio_html != b.bio_html
        || a.profile != b.profile
}

/// Per quote of `e`, every appearance of the same quote (by file and position), which
/// its page lists.
fn appearances_of<'a>(a: &'a Archive, e: &ArticleEntry) -> Vec<Vec<(&'a std::path::Path, usize)>> {
    e.quote_groups
        .iter()
        .map(|&g| {
            a.appearances[g]
                .iter()
                .map(|q| (a.articles[q.article].article.path.as_path(), q.index))
                .collect()
        })
        .collect()
}

/// How a list shows an entity: id, name, role, folder, and the language of its name
/// and role (its profile's).
type Display<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, Option<&'a str>);

/// Display of the entities of one kind: what article pages and lists show of them.
fn display(list: &[Entity]) -> Vec<Display<'_>> {
    list.iter()
        .map(|e| {
            (
                e.id.as_str(),
                e.name.as_str(),
                e.role.as_deref(),
                e.dir.as_str(),
                e.profile.as_ref().and_then(|p| p.language.as_deref()),
            )
        })
        .collect()
}

impl Changes {
    /// The changes from `old` to `new`; `None` when every page must be rendered again.
    pub(crate) fn between(old: &Archive, new: &Archive) -> Option<Changes> {
        if old.config != new.config {
            tracing::debug!("full render: site.yaml changed");
            return None;
        }
        let page_list = |a: &Archive| {
            a.pages
                .iter()
                .map(|p| (p.dir.clone(), p.page.title.clone()))
                .collect::<Vec<_>>()
        };
        if page_list(old) != page_list(new) {
            tracing::debug!("full render: the list of plain pages changed");
            return None;
        }
        // Which articles each language lists, and which are versions of which, decide
        // pages and links all over a multilingual site.
        if old.languages != new.languages {
            tracing::debug!("full render: the languages' lists changed");
            return None;
        }
        let versions = |a: &Archive| {
            a.articles
                .iter()
                .map(|e| (e.article.path.clone(), e.translations.clone()))
                .collect::<Vec<_>>()
        };
        if versions(old) != versions(new) {
            tracing::debug!("full render: the translations of articles changed");
            return None;
        }
        if old.corrections.is_empty() != new.corrections.is_empty() {
            tracing::debug!("full render: the link to the corrections page came or went");
            return None;
        }
        for kind in [EntityKind::Person, EntityKind::Topic, EntityKind::Outlet] {
            let (o, n) = (old.entities(kind), new.entities(kind));
            if !std::ptr::eq(o, n) && display(o) != display(n) {
                tracing::debug!("full render: names of {} changed", kind.folder());
                return None;
            }
        }
        let order = old.articles.len() != new.articles.len()
            || old
                .articles
                .iter()
                .zip(&new.articles)
                .any(|(o, n)| o.article.path != n.article.path);
        let mut articles = BTreeSet::new();
        let mut years_moved = BTreeSet::new();
        let mut annotations = false;
        let mut sitemap = order;
        let mut search = order;
        // The same order (an edit in place): compare position by position.
        let old_by_path: HashMap<&std::path::Path, &Arc<ArticleEntry>> = if order {
            old.articles
                .iter()
                .map(|e| (e.article.path.as_path(), e))
                .collect()
        } else {
            HashMap::new()
        };
        // A quote of one article taken up by another shows on both pages.
        let same_appearances = !order && old.appearances == new.appearances;
        for (i, e) in new.articles.iter().enumerate() {
            let before = if order {
                old_by_path.get(e.article.path.as_path()).copied()
            } else {
                old.articles.get(i)
            };
            match before {
                Some(o)
                    if !article_differs(o, e)
                        && (same_appearances
                            || appearances_of(old, o) == appearances_of(new, e)) => {}
                Some(o) => {
                    articles.insert(i);
                    search |= search_differs(o, e);
                    annotations |= annotations_differ(o, e);
                    sitemap |= o.dir != e.dir
                        || o.article.updated != e.article.updated
                        || o.article.date != e.article.date;
                    let month = |e: &ArticleEntry| {
                        (e.article.date.date.year(), e.article.date.date.month())
                    };
                    if month(o) != month(e) {
                        years_moved.extend([month(o).0, month(e).0]);
                    }
                }
                None => {
                    articles.insert(i);
                    annotations = true;
                    sitemap = true;
                    search = true;
                }
            }
        }
        annotations |= order;
        // A quote's other appearances name their articles (title, link, date): an
        // article shown so that changed changes the pages of the articles sharing a
        // quote with it.
        let shown_elsewhere: Vec<usize> = articles
            .iter()
            .copied()
            .filter(|&i| {
                let e = &new.articles[i];
                let before = if order {
                    old_by_path.get(e.article.path.as_path()).copied()
                } else {
                    old.articles.get(i)
                };
                before.is_none_or(|o| {
                    o.article.title != e.article.title
                        || o.dir != e.dir
                        || o.article.date != e.article.date
                })
            })
            .collect();
        for i in shown_elsewhere {
            for &g in &new.articles[i].quote_groups {
                articles.extend(new.appearances[g].iter().map(|q| q.article));
            }
        }
        // Entity lists hold article indexes; compare them only when the order is the same.
        let mut entities: [BTreeSet<usize>; 3] = Default::default();
        for kind in [EntityKind::Person, EntityKind::Topic, EntityKind::Outlet] {
            let (o, n) = (old.entities(kind), new.entities(kind));
            if !order && std::ptr::eq(o, n) {
                continue;
            }
            for (i, e) in n.iter().enumerate() {
                if order || entity_differs(&o[i], e) {
                    entities[kind_index(kind)].insert(i);
                    // Aliases are indexed; names and roles change every page anyway.
                    search |= o[i].profile != e.profile;
                }
            }
        }
        // Every list of quotes shows the counts of the others (its filters).
        let quotes = order
            || old.quotes != new.quotes
            || old.appearances != new.appearances
            || old.disputed != new.disputed
            || old.misattributed != new.misattributed;
        let count = |a: &Archive| {
            (
                a.articles.len(),
                a.people.len(),
                a.quotes.len(),
                a.topics.len(),
                a.outlets.len(),
            )
        };
        let counts = count(old) != count(new);
        let pages = new
            .pages
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                let o = &old.pages[*i];
                o.body_html != p.body_html
                    || o.embeds != p.embeds
                    || o.toc != p.toc
                    || o.page != p.page
            })
            .map(|(i, _)| i)
            .collect();
        // Entity and page lists are unchanged here (else every page renders), but the
        // number of pages of a paginated list may not be.
        let per = new.config.paginate;
        let pages_of = |n: usize| pages_for(n, per);
        sitemap |= pages_of(old.quotes.len()) != pages_of(new.quotes.len());
        // A list of disputed or misattributed quotes exists only when it has any.
        let status_pages = |a: &Archive| {
            crate::routes::plan::QUOTE_FILTERS.map(|st| {
                (
                    a.quotes_with(st).len().div_ceil(per),
                    a.quotes_with(st).is_empty(),
                )
            })
        };
        sitemap |= status_pages(old) != status_pages(new);
        for kind in [EntityKind::Person, EntityKind::Topic, EntityKind::Outlet] {
            let (o, n) = (old.entities(kind), new.entities(kind));
            sitemap |= o
                .iter()
                .zip(n)
                .any(|(a, b)| pages_of(a.articles.len()) != pages_of(b.articles.len()));
        }
        // Copy pages: a different list moves pages; otherwise compare each (their
        // citations hold article indexes, so a new order changes them all).
        let copy_dirs = |a: &Archive| a.copies.iter().map(|c| c.dir.clone()).collect::<Vec<_>>();
        sitemap |= copy_dirs(old) != copy_dirs(new);
        let copies = if copy_dirs(old) != copy_dirs(new) || order {
            (0..new.copies.len()).collect()
        } else {
            (0..new.copies.len())
                .filter(|&i| old.copies[i] != new.copies[i])
                .collect()
        };
        let corrections = order || old.corrections != new.corrections;
        sitemap |= pages_of(old.corrections.len()) != pages_of(new.corrections.len());
        Some(Changes {
            copies,
            corrections,
            articles,
            order,
            entities,
            quotes,
            counts,
            pages,
            annotations,
            sitemap,
            search,
            redirects: old.redirects != new.redirects,
            years_moved,
        })
    }

    /// True when the search index may differ.
    pub(crate) fn affects_search(&self) -> bool {
        self.search
    }

    /// True when no page of the new site can differ from the old one's.
    pub(crate) fn is_empty(&self) -> bool {
        let Changes {
            articles,
            order,
            entities,
            quotes,
            counts,
            pages,
            annotations,
            sitemap,
            search,
            redirects,
            copies,
            corrections,
            years_moved,
        } = self;
        articles.is_empty()
            && years_moved.is_empty()
            && entities.iter().all(BTreeSet::is_empty)
            && pages.is_empty()
            && copies.is_empty()
            && ![
                *order,
                *quotes,
                *counts,
                *annotations,
                *sitemap,
                *search,
                *redirects,
                *corrections,
            ]
            .contains(&true)
    }

    /// True when the new site has the same pages (output paths) as the old one: no page
    /// moved, appeared or went away, so the sitemap's URLs are the same.
    pub(crate) fn same_pages(&self) -> bool {
        !self.sitemap && !self.redirects
    }

    fn shows_changed(&self, ids: &[usize]) -> bool {
        ids.iter().any(|i| self.articles.contains(i))
    }

    /// True when an article at positions `range` of the archive changed.
    fn shows_changed_in(&self, range: std::ops::Range<usize>) -> bool {
        self.articles.range(range).next().is_some()
    }

    /// True when `job`'s page may differ from the one rendered from the old archive.
    pub(crate) fn affects(&self, s: &Shared<'_>, job: Job) -> bool {
        let a = s.archive;
        let per = a.config.paginate;
        match job {
            // It names its other versions' headlines.
            Job::Article(i) => {
                self.articles.contains(&i) || self.shows_changed(&a.articles[i].translations)
            }
            Job::Language(l, listing) => {
                let lang = &a.languages[l];
                match listing {
                    Listing::Home(k) => {
                        self.order
                            || self.counts
                            || self.shows_changed(slice(&lang.articles, k, per))
                    }
                    Listing::Archive => self.order || !self.articles.is_empty(),
                    Listing::Year(y, k) => {
                        self.order
                            || self.years_moved.contains(&lang.years[y].year)
                            || self.shows_changed(&months_page(&lang.years[y].months, k, per))
                    }
                    Listing::Month(y, m, k) => {
                        self.order
                            || self.years_moved.contains(&lang.years[y].year)
                            || self.shows_changed(slice(&lang.years[y].months[m].articles, k, per))
                    }
                    Listing::Entities(kind) => !self.entities[kind_index(kind)].is_empty(),
                    Listing::Feed => {
                        self.order
                            || self.shows_changed(
                                &lang.articles[..lang.articles.len().min(FEED_ENTRIES)],
                            )
                    }
                }
            }
            Job::Home(k) => {
                self.order
                    || self.counts
                    || self.shows_changed_in(page_range(a.articles.len(), k, per))
            }
            Job::Year(y, k) => {
                self.order
                    || self.years_moved.contains(&a.years[y].year)
                    || self.shows_changed(&months_page(&a.years[y].months, k, per))
            }
            Job::Month(y, m, k) => {
                self.order
                    || self.years_moved.contains(&a.years[y].year)
                    || self.shows_changed(slice(&a.years[y].months[m].articles, k, per))
            }
            // It lists every article's title under its month.
            Job::ArchiveIndex => self.order || !self.articles.is_empty(),
            Job::EntityIndex(kind) => !self.entities[kind_index(kind)].is_empty(),
            Job::Entity(kind, i, k) => {
                let e = &a.entities(kind)[i];
                // Every page of a person shows their tally, with each rated claim.
                let rated = e.ratings.iter().flat_map(|(_, notes)| notes);
                self.entities[kind_index(kind)].contains(&i)
                    || self.shows_changed(slice(&e.articles, k, per))
                    || rated
                        .into_iter()
                        .any(|n| self.articles.contains(&n.article))
            }
            Job::Feed(Some((kind, i))) => {
                let e = &a.entities(kind)[i];
                let shown = &e.articles[..e.articles.len().min(FEED_ENTRIES)];
                self.entities[kind_index(kind)].contains(&i) || self.shows_changed(shown)
            }
            Job::Feed(None) => {
                self.order || self.shows_changed_in(0..a.articles.len().min(FEED_ENTRIES))
            }
            Job::Quotes(k) => {
                // Each quote with the other articles that use it.
                let shown: Vec<usize> = slice(&a.appearances, k, per)
                    .iter()
                    .flatten()
                    .map(|q| q.article)
                    .collect();
                self.quotes || self.shows_changed(&shown)
            }
            Job::QuotesWith(status, k) => {
                let shown: Vec<usize> = slice(a.quotes_with(status), k, per)
                    .iter()
                    .map(|q| q.article)
                    .collect();
                self.quotes || self.shows_changed(&shown)
            }
            Job::Page(i) => self.pages.contains(&i),
            Job::SourceCopy(i) => {
                let citing: Vec<usize> = a.copies[i].citations.iter().map(|c| c.0).collect();
                self.copies.contains(&i) || self.shows_changed(&citing)
            }
            Job::Corrections(k) => {
                let shown: Vec<usize> = slice(&a.corrections, k, per)
                    .iter()
                    .map(|c| c.article)
                    .collect();
                self.corrections || self.shows_changed(&shown)
            }
            Job::CorrectionsFeed => {
                let shown: Vec<usize> = a.corrections[..a.corrections.len().min(FEED_ENTRIES)]
                    .iter()
                    .map(|c| c.article)
                    .collect();
                self.corrections || self.shows_changed(&shown)
            }
            Job::NotFound | Job::Search => false,
            Job::Sitemap(_) => self.sitemap,
            Job::Annotations => self.annotations,
            Job::Redirect(_) | Job::Redirects => self.redirects,
        }
    }
}
