//! Which pages a change touches: compares two linked archives and answers, per page,
//! whether its view can differ. Used by `gloss serve` to render only those pages; a
//! test compares the result with a clean build.
//!
//! Anything that shows on every page or in many views (site.yaml, the plain pages in the
//! footer, an entity's name) makes every page count as changed. Otherwise a page is
//! rendered again when it shows a changed article, or a changed entity, or when its
//! window of a list holds other articles (by file) than before: an added or removed
//! article shifts the pages after it in each list that holds it, not the others.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::feeds::FEED_ENTRIES;
use super::pages::{months_page, slice};
use super::views::Shared;
use crate::link::{Archive, ArticleEntry, CopyEntry, Entity, EntityKind, QuoteRef, Year};
use crate::routes::plan::{Job, Listing, QUOTE_FILTERS, page_range, pages_for};

/// What differs between two archives.
pub(crate) struct Changes {
    /// New indexes of articles whose page differs.
    articles: BTreeSet<usize>,
    /// The list of articles (by file, in order) differs: the lists that hold articles
    /// may show other windows (the fields below say which pages), and the pages that
    /// list every article (the archive index, each language's lists) change.
    order: bool,
    /// Pages of the home list whose window holds other articles than before.
    home_shifted: BTreeSet<usize>,
    /// The feed's entries are other articles than before.
    feed_shifted: bool,
    /// Per (year, month; 0 for the year's own list), the pages whose window holds other
    /// articles than before, for the years whose months keep their counts (the others
    /// are in `years_moved`).
    years_shifted: HashMap<(i16, i8), BTreeSet<usize>>,
    /// Per list of quotes (every quote, then each of [`QUOTE_FILTERS`]), the pages whose
    /// window holds other quotes (or other appearances of them) than before.
    quotes_shifted: [BTreeSet<usize>; 3],
    /// New indexes of entities whose own page differs, per kind (person, topic, outlet).
    entities: [BTreeSet<usize>; 3],
    /// The number of quotes of a list differs: every list of quotes shows each count.
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
    /// The years whose months' counts may differ (an article moved to another month,
    /// or came or went): every page of those years and their months shows the months'
    /// list with their counts.
    years_moved: BTreeSet<i16>,
}

/// Marks an article of the new archive that the old one did not have, in the map from
/// new indexes to old ones.
const NEW: usize = usize::MAX;

/// The pages (1-based, `per` items each) of a list whose window differs from `old`'s
/// to `new`: a position whose items are not `same`, or that one list lacks; every page
/// when the number of pages differs, since each page's pager shows it.
fn shifted<T>(old: &[T], new: &[T], per: usize, same: impl Fn(&T, &T) -> bool) -> BTreeSet<usize> {
    let pages = pages_for(new.len(), per);
    if pages_for(old.len(), per) != pages {
        return (1..=pages).collect();
    }
    (0..old.len().max(new.len()))
        .filter(|&j| match (old.get(j), new.get(j)) {
            (Some(o), Some(n)) => !same(o, n),
            _ => true,
        })
        .map(|j| j / per + 1)
        .collect()
}

/// True when two lists hold the same items in the same order, `same` comparing an old
/// item with a new one.
fn same_list<T>(old: &[T], new: &[T], same: impl Fn(&T, &T) -> bool) -> bool {
    old.len() == new.len() && old.iter().zip(new).all(|(o, n)| same(o, n))
}

/// Compares what the old and new archive hold by article index, through the map from
/// each new article's index to its old one (its file's; [`NEW`] for an added one).
struct Renumbered<'a> {
    old_of: &'a [usize],
}

impl Renumbered<'_> {
    /// True when new article `new` is old article `old`.
    fn article(&self, old: usize, new: usize) -> bool {
        self.old_of.get(new) == Some(&old)
    }

    fn articles(&self, old: &[usize], new: &[usize]) -> bool {
        same_list(old, new, |&o, &n| self.article(o, n))
    }

    fn quote(&self, old: &QuoteRef, new: &QuoteRef) -> bool {
        old.index == new.index && self.article(old.article, new.article)
    }

    fn quotes(&self, old: &[QuoteRef], new: &[QuoteRef]) -> bool {
        same_list(old, new, |o, n| self.quote(o, n))
    }

    /// True when an entity's page can differ: what it lists, as files, and its own data.
    fn entity_differs(&self, a: &Entity, b: &Entity) -> bool {
        let notes = |o: &crate::link::NoteRef, n: &crate::link::NoteRef| {
            o.index == n.index && self.article(o.article, n.article)
        };
        !self.articles(&a.articles, &b.articles)
            || !self.articles(&a.written, &b.written)
            || !self.quotes(&a.quotes, &b.quotes)
            || a.distinct_quotes != b.distinct_quotes
            || a.quoted_in != b.quoted_in
            || a.mentioned_in != b.mentioned_in
            || !same_list(&a.ratings, &b.ratings, |(ro, o), (rn, n)| {
                ro == rn && same_list(o, n, notes)
            })
            || a.related != b.related
            || a.bio_html != b.bio_html
            || a.profile != b.profile
    }

    /// True when an archived copy's page can differ (its citations hold article indexes).
    fn copy_differs(&self, a: &CopyEntry, b: &CopyEntry) -> bool {
        a.name != b.name
            || a.dir != b.dir
            || a.html != b.html
            || !same_list(&a.citations, &b.citations, |&(oa, os), &(na, ns)| {
                os == ns && self.article(oa, na)
            })
            || !self.quotes(&a.found, &b.found)
            || !self.quotes(&a.differing, &b.differing)
    }

    /// True when the corrections, in order, are the same (each by article, position and
    /// date).
    fn same_corrections(&self, old: &Archive, new: &Archive) -> bool {
        same_list(&old.corrections, &new.corrections, |o, n| {
            o.index == n.index && o.date == n.date && self.article(o.article, n.article)
        })
    }

    /// Per year of `new` whose months keep their counts, the shifted pages of its list and
    /// of each month's (see [`Changes::years_shifted`]); the other years go to `moved`.
    fn years(
        &self,
        old: &[Year],
        new: &[Year],
        per: usize,
        moved: &mut BTreeSet<i16>,
    ) -> HashMap<(i16, i8), BTreeSet<usize>> {
        let counts = |y: &Year| {
            y.months
                .iter()
                .map(|m| (m.month, m.articles.len()))
                .collect::<Vec<_>>()
        };
        let flat = |y: &Year| {
            y.months
                .iter()
                .flat_map(|m| m.articles.iter().copied())
                .collect::<Vec<usize>>()
        };
        let same = |o: &usize, n: &usize| self.article(*o, *n);
        let mut shifts = HashMap::new();
        for y in new {
            match old.iter().find(|o| o.year == y.year) {
                Some(o) if counts(o) == counts(y) => {
                    shifts.insert((y.year, 0), shifted(&flat(o), &flat(y), per, same));
                    for (om, nm) in o.months.iter().zip(&y.months) {
                        let pages = shifted(&om.articles, &nm.articles, per, same);
                        shifts.insert((y.year, nm.month), pages);
                    }
                }
                _ => {
                    moved.insert(y.year);
                }
            }
        }
        shifts.retain(|_, pages| !pages.is_empty());
        shifts
    }
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
        // By file: an article added or removed without translations changes none.
        fn versions(a: &Archive) -> Vec<(&std::path::Path, Vec<&std::path::Path>)> {
            a.articles
                .iter()
                .filter(|e| !e.translations.is_empty())
                .map(|e| {
                    let of = |&t: &usize| a.articles[t].article.path.as_path();
                    (
                        e.article.path.as_path(),
                        e.translations.iter().map(of).collect(),
                    )
                })
                .collect()
        }
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
        // Each new article's old index, by file; the same order (an edit in place) is
        // position by position.
        let old_of: Vec<usize> = if order {
            let by_path: HashMap<&std::path::Path, usize> = old
                .articles
                .iter()
                .enumerate()
                .map(|(i, e)| (e.article.path.as_path(), i))
                .collect();
            new.articles
                .iter()
                .map(|e| {
                    by_path
                        .get(e.article.path.as_path())
                        .copied()
                        .unwrap_or(NEW)
                })
                .collect()
        } else {
            (0..new.articles.len()).collect()
        };
        let map = Renumbered { old_of: &old_of };
        // A quote of one article taken up by another shows on both pages.
        let same_appearances = !order && old.appearances == new.appearances;
        for (i, e) in new.articles.iter().enumerate() {
            match old.articles.get(old_of[i]) {
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
                old.articles.get(old_of[i]).is_none_or(|o| {
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
        // Entity lists hold article indexes: compared through the new order.
        let mut entities: [BTreeSet<usize>; 3] = Default::default();
        for kind in [EntityKind::Person, EntityKind::Topic, EntityKind::Outlet] {
            let (o, n) = (old.entities(kind), new.entities(kind));
            if !order && std::ptr::eq(o, n) {
                continue;
            }
            for (i, e) in n.iter().enumerate() {
                if map.entity_differs(&o[i], e) {
                    entities[kind_index(kind)].insert(i);
                    // Aliases are indexed; names and roles change every page anyway.
                    search |= o[i].profile != e.profile;
                }
            }
        }
        // Every list of quotes shows the counts of the others (its filters); with the
        // same counts, a page changes when its window holds other quotes or appearances.
        let quote_counts = |a: &Archive| (a.quotes.len(), a.disputed.len(), a.misattributed.len());
        let quotes = quote_counts(old) != quote_counts(new);
        let per = new.config.paginate;
        let quotes_shifted = if quotes {
            Default::default()
        } else {
            let same = |o: &QuoteRef, n: &QuoteRef| map.quote(o, n);
            [
                shifted(&old.appearances, &new.appearances, per, |o, n| {
                    map.quotes(o, n)
                }),
                shifted(&old.disputed, &new.disputed, per, same),
                shifted(&old.misattributed, &new.misattributed, per, same),
            ]
        };
        debug_assert_eq!(QUOTE_FILTERS.len() + 1, quotes_shifted.len());
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
        let copies = if copy_dirs(old) != copy_dirs(new) {
            (0..new.copies.len()).collect()
        } else {
            (0..new.copies.len())
                .filter(|&i| map.copy_differs(&old.copies[i], &new.copies[i]))
                .collect()
        };
        let corrections = !map.same_corrections(old, new);
        // The windows of the lists of articles, when articles came, went or moved.
        let (home_shifted, feed_shifted, years_shifted) = if order {
            let all = |a: &Archive| (0..a.articles.len()).collect::<Vec<usize>>();
            let same = |o: &usize, n: &usize| map.article(*o, *n);
            let home = shifted(&all(old), &all(new), per, same);
            let feed = |a: &Archive| a.articles.len().min(FEED_ENTRIES);
            let feed = !map.articles(&all(old)[..feed(old)], &all(new)[..feed(new)]);
            let years = map.years(&old.years, &new.years, per, &mut years_moved);
            (home, feed, years)
        } else {
            Default::default()
        };
        sitemap |= pages_of(old.corrections.len()) != pages_of(new.corrections.len());
        Some(Changes {
            copies,
            corrections,
            articles,
            order,
            home_shifted,
            feed_shifted,
            years_shifted,
            quotes_shifted,
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
            home_shifted,
            feed_shifted,
            years_shifted,
            quotes_shifted,
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
            && home_shifted.is_empty()
            && years_shifted.is_empty()
            && quotes_shifted.iter().all(BTreeSet::is_empty)
            && years_moved.is_empty()
            && entities.iter().all(BTreeSet::is_empty)
            && pages.is_empty()
            && copies.is_empty()
            && ![
                *order,
                *feed_shifted,
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

    /// True when page `k` of the list of year `year`'s month `month` (0: of the year)
    /// shows other articles than before.
    fn year_shifted(&self, year: i16, month: i8, k: usize) -> bool {
        self.years_moved.contains(&year)
            || self
                .years_shifted
                .get(&(year, month))
                .is_some_and(|pages| pages.contains(&k))
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
                self.counts
                    || self.home_shifted.contains(&k)
                    || self.shows_changed_in(page_range(a.articles.len(), k, per))
            }
            Job::Year(y, k) => {
                let year = &a.years[y];
                self.year_shifted(year.year, 0, k)
                    || self.shows_changed(&months_page(&year.months, k, per))
            }
            Job::Month(y, m, k) => {
                let (year, month) = (&a.years[y], &a.years[y].months[m]);
                self.year_shifted(year.year, month.month, k)
                    || self.shows_changed(slice(&month.articles, k, per))
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
                self.feed_shifted || self.shows_changed_in(0..a.articles.len().min(FEED_ENTRIES))
            }
            Job::Quotes(k) => {
                // Each quote with the other articles that use it.
                let shown: Vec<usize> = slice(&a.appearances, k, per)
                    .iter()
                    .flatten()
                    .map(|q| q.article)
                    .collect();
                self.quotes || self.quotes_shifted[0].contains(&k) || self.shows_changed(&shown)
            }
            Job::QuotesWith(status, k) => {
                // Its window; a list of no filter (none is made) counts as shifted.
                let shifted = QUOTE_FILTERS
                    .iter()
                    .position(|&st| st == status)
                    .is_none_or(|i| self.quotes_shifted[i + 1].contains(&k));
                let shown: Vec<usize> = slice(a.quotes_with(status), k, per)
                    .iter()
                    .map(|q| q.article)
                    .collect();
                self.quotes || shifted || self.shows_changed(&shown)
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
