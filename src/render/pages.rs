//! The page plan: every output page of DESIGN.md §5, with its folder, template and the
//! view it is rendered from.

use pulldown_cmark_escape::escape_html;
use serde_json::json;
use tera::Context;

use super::jsonld;
use super::views::Shared;
use crate::link::{EntityKind, Month, Naming, NoteRef, QuoteRef, Year};
use crate::model::QuoteStatus;
use crate::routes::dirs::{QUOTES, pager_dir, quote_status_dir, root_prefix};
use crate::routes::plan::{Job, Listing, QUOTE_FILTERS, dir, page_range, pages_for};

/// How many of a person's own articles their page lists.
pub(crate) const WRITTEN_SHOWN: usize = 20;

/// How many related entities (a person's topics, a topic's people) a page lists.
pub(crate) const RELATED_SHOWN: usize = 30;

/// Items of page `k` (1-based).
pub(crate) fn slice<T>(items: &[T], k: usize, per_page: usize) -> &[T] {
    &items[page_range(items.len(), k, per_page)]
}

/// Articles on page `k` of the list made of `months` (a year's, or one month).
pub(crate) fn months_page(months: &[Month], k: usize, per_page: usize) -> Vec<usize> {
    let total = months.iter().map(|m| m.articles.len()).sum();
    let shown = page_range(total, k, per_page);
    months
        .iter()
        .flat_map(|m| m.articles.iter().copied())
        .skip(shown.start)
        .take(shown.len())
        .collect()
}

fn cards(s: &Shared<'_>, ids: &[usize]) -> Vec<tera::Value> {
    ids.iter().map(|&i| s.card_value(i)).collect()
}

fn quotes(s: &Shared<'_>, refs: &[QuoteRef]) -> Vec<tera::Value> {
    refs.iter().map(|&q| s.quote_value(q)).collect()
}

/// The sentence naming `person` among an article's `namings`, as HTML with the name in
/// `<mark>`, or `None` when the text does not name them.
fn naming_html(namings: &[Naming], person: usize) -> Option<String> {
    let n = namings.iter().find(|n| n.person == person)?;
    let s = &n.sentence;
    let (before, name, after) = (
        s.get(..n.name.start)?,
        s.get(n.name.clone())?,
        s.get(n.name.end..)?,
    );
    let mut html = String::with_capacity(s.len() + 16);
    let _ = escape_html(&mut html, before);
    html.push_str("<mark>");
    let _ = escape_html(&mut html, name);
    html.push_str("</mark>");
    let _ = escape_html(&mut html, after);
    Some(html)
}

/// The template and page-specific context of an HTML job, added to `ctx`; an error
/// when the theme's embed template fails on a body.
pub(crate) fn context(
    s: &Shared<'_>,
    job: Job,
    ctx: &mut Context,
) -> Result<&'static str, tera::Error> {
    let a = s.archive;
    let per = a.config.paginate;
    let d = dir(s.archive, job).unwrap_or_default();
    let lang = page_lang(s, job);
    ctx.insert("root", &root_prefix(&d));
    ctx.insert("canonical", &s.url(&d));
    ctx.insert("lang", lang);
    ctx.insert("dir", crate::lang::dir(lang));
    let alternates = super::languages::alternates(s, job);
    if !alternates.is_empty() {
        ctx.insert("alternates", &alternates);
    }
    Ok(match job {
        Job::Home(k) => {
            let n = a.articles.len();
            let page: Vec<usize> = page_range(n, k, per).collect();
            article_list(s, ctx, &page, n, k, "", &a.config.title);
            let counts = json!({"articles": a.articles.len(), "people": a.people.len(), "quotes": a.quotes.len(), "topics": a.topics.len(), "outlets": a.outlets.len()});
            ctx.insert("counts", &counts);
            ctx.insert("indexes", &super::languages::index_links(s, None));
            ctx.insert("language", &None::<&str>);
            "index.html"
        }
        Job::Language(l, listing) => {
            super::languages::listing(s, l, listing, &d, ctx);
            match listing {
                Listing::Home(_) => "index.html",
                Listing::Archive => "archive.html",
                Listing::Year(..) | Listing::Month(..) => "archive_list.html",
                Listing::Entities(_) => "entities.html",
                Listing::Feed => unreachable!("not an HTML page"),
            }
        }
        Job::Article(i) => {
            super::article::insert(s, i, ctx)?;
            "article.html"
        }
        Job::EntityIndex(kind) => {
            let all: Vec<(usize, usize)> = a
                .entities(kind)
                .iter()
                .enumerate()
                .map(|(i, e)| (i, e.articles.len()))
                .collect();
            entity_index(s, ctx, kind, &all, &d, lang);
            "entities.html"
        }
        Job::Entity(kind, i, k) => {
            let e = &a.entities(kind)[i];
            let page_articles = slice(&e.articles, k, per);
            ctx.insert("entity", &s.entity(e));
            ctx.insert("kind", kind.folder());
            ctx.insert("bio", &e.bio_html);
            ctx.insert("bio_lang", lang);
            ctx.insert("page_title", &e.name);
            ctx.insert("articles", &cards(s, page_articles));
            // A person's own articles (bylines naming them): the newest, on the first page.
            let written: &[usize] = if k == 1 {
                &e.written[..e.written.len().min(WRITTEN_SHOWN)]
            } else {
                &[]
            };
            ctx.insert("written", &cards(s, written));
            ctx.insert("written_total", &e.written.len());
            ctx.insert(
                "pager",
                &s.pager(&e.dir, k, pages_for(e.articles.len(), per)),
            );
            // Quotes of the articles on this page, so long lists paginate with them. Both
            // lists are in article order and the page is a run of the entity's articles,
            // so its quotes are a run too.
            let shown: Vec<QuoteRef> = match (page_articles.first(), page_articles.last()) {
                (Some(&first), Some(&last)) => {
                    let from = e.quotes.partition_point(|q| q.article < first);
                    let to = e.quotes.partition_point(|q| q.article <= last);
                    e.quotes[from..to].to_vec()
                }
                _ => Vec::new(),
            };
            // Sourced quotes go under their article's card; the others get a list apart.
            let status = |q: &QuoteRef| a.articles[q.article].article.quotes[q.index].status;
            let (sourced, mut other): (Vec<QuoteRef>, Vec<QuoteRef>) = shown
                .into_iter()
                .partition(|q| status(q) == QuoteStatus::Sourced);
            // The list apart shows a quote once, with the other articles that use it.
            let group = |q: &QuoteRef| a.articles[q.article].quote_groups.get(q.index).copied();
            let mut seen = std::collections::BTreeSet::new();
            other.retain(|q| seen.insert(group(q)));
            let article_quotes: Vec<Vec<tera::Value>> = page_articles
                .iter()
                .map(|&i| {
                    let of = |q: &&QuoteRef| q.article == i;
                    sourced
                        .iter()
                        .filter(of)
                        .map(|&q| s.quote_line(q))
                        .collect()
                })
                .collect();
            ctx.insert("article_quotes", &article_quotes);
            // On a person's page, per card: the sentence of the article that names them.
            let namings: Vec<Option<String>> = if kind == EntityKind::Person {
                page_articles
                    .iter()
                    .map(|&j| naming_html(&a.articles[j].body.namings, i))
                    .collect()
            } else {
                Vec::new()
            };
            ctx.insert("namings", &namings);
            ctx.insert("disputed_quotes", &quotes(s, &other));
            ctx.insert("ratings", &ratings(s, &e.ratings));
            let related_kind = if kind == EntityKind::Person {
                EntityKind::Topic
            } else {
                EntityKind::Person
            };
            // The most frequent ones: a topic of a large archive has thousands of people.
            let related: Vec<_> = e
                .related
                .iter()
                .take(RELATED_SHOWN)
                .map(|&(j, n)| (s.entity(&a.entities(related_kind)[j]), n))
                .map(|(mut l, n)| {
                    l.count = n;
                    l
                })
                .collect();
            ctx.insert("related", &related);
            ctx.insert("related_total", &e.related.len());
            ctx.insert("stats", &json!({"articles": e.articles.len(), "quotes": e.distinct_quotes, "quoted_in": e.quoted_in, "mentioned_in": e.mentioned_in}));
            let profile = e.profile.as_ref().map(|p| json!({"aliases": p.aliases, "wikidata": p.wikidata, "links": p.links, "url": p.url, "extra": p.extra}));
            ctx.insert("profile", &profile);
            ctx.insert("feed", &s.href(&format!("{}feed.xml", e.dir)));
            // Page k names its own URL (`d`), not page 1's.
            ctx.insert("jsonld", &jsonld::to_script(jsonld::entity(e, s.url(&d))));
            let (home, index) = (s.t(lang, "home"), s.t(lang, kind.folder()));
            let trail = [
                (home.as_str(), s.url("")),
                (index.as_str(), s.url(&format!("{}/", kind.folder()))),
                (e.name.as_str(), s.url(&e.dir)),
            ];
            ctx.insert(
                "breadcrumbs_jsonld",
                &jsonld::to_script(jsonld::breadcrumbs(&trail, &s.url(&d))),
            );
            "entity.html"
        }
        Job::Quotes(k) => {
            quote_list(s, ctx, None, k, &d, lang);
            "quotes.html"
        }
        Job::QuotesWith(status, k) => {
            quote_list(s, ctx, Some(status), k, &d, lang);
            "quotes.html"
        }
        Job::ArchiveIndex => {
            archive_index(s, ctx, &a.years, "", &d, lang);
            "archive.html"
        }
        Job::Year(y, k) => {
            year_or_month(s, ctx, &a.years, "", (y, None, k), lang);
            "archive_list.html"
        }
        Job::Month(y, m, k) => {
            year_or_month(s, ctx, &a.years, "", (y, Some(m), k), lang);
            "archive_list.html"
        }
        Job::Page(i) => {
            let p = &a.pages[i];
            ctx.insert("page_title", &p.page.title);
            let body = s.body_in(&p.body_html, &p.embeds, lang)?;
            ctx.insert("page", &json!({"title": p.page.title, "summary": p.page.summary, "body": body, "toc": p.toc, "heading_count": crate::link::TocEntry::count(&p.toc), "extra": p.page.extra}));
            ctx.insert(
                "jsonld",
                &jsonld::to_script(jsonld::web_page(&p.page.title, Some(s.url(&d)))),
            );
            "page.html"
        }
        Job::SourceCopy(i) => {
            super::sources::copy_context(s, i, ctx)?;
            "source.html"
        }
        Job::Corrections(k) => {
            super::sources::corrections_context(s, k, ctx);
            "corrections.html"
        }
        Job::Search => {
            let title = s.t(lang, "search");
            ctx.insert("page_title", &title);
            ctx.insert("search_strings", &super::languages::search_strings(s, lang));
            ctx.insert(
                "jsonld",
                &jsonld::to_script(jsonld::web_page(&title, Some(s.url(&d)))),
            );
            "search.html"
        }
        Job::NotFound => {
            // Served for any missing path, so links must not be relative to this file.
            ctx.insert("root", &a.config.base_url);
            let title = s.t(lang, "not_found");
            ctx.insert("page_title", &title);
            ctx.insert("jsonld", &jsonld::to_script(jsonld::web_page(&title, None)));
            "404.html"
        }
        Job::Feed(_)
        | Job::CorrectionsFeed
        | Job::Sitemap(_)
        | Job::Annotations
        | Job::Redirect(_)
        | Job::Redirects => {
            unreachable!("not an HTML page")
        }
    })
}

/// Adds page `k` (holding the articles `page`) of a list of `total` articles whose first
/// page is at `base`, with its title and JSON-LD: the shape of the home page and the
/// archive's year and month pages.
pub(crate) fn article_list(
    s: &Shared<'_>,
    ctx: &mut Context,
    page: &[usize],
    total: usize,
    k: usize,
    base: &str,
    title: &str,
) {
    let per = s.archive.config.paginate;
    ctx.insert("articles", &cards(s, page));
    ctx.insert("pager", &s.pager(base, k, pages_for(total, per)));
    ctx.insert("page_title", title);
    let items: Vec<String> = page
        .iter()
        .map(|&i| s.url(&s.archive.articles[i].dir))
        .collect();
    let dir = pager_dir(base, k);
    ctx.insert(
        "jsonld",
        &jsonld::to_script(jsonld::collection(s, &dir, title, &items)),
    );
}

/// Adds page `k` of the list of every quote (`status` none) or of the quotes of one
/// status, with `filters`: a link to each list (every quote, then each status that has
/// quotes) with its count, the one shown marked `is_current`. No script: each filter is
/// a page of its own.
fn quote_list(
    s: &Shared<'_>,
    ctx: &mut Context,
    status: Option<QuoteStatus>,
    k: usize,
    d: &str,
    lang: &str,
) {
    let a = s.archive;
    let per = a.config.paginate;
    let (list, base, title) = match status {
        None => (a.quotes.as_slice(), QUOTES.to_string(), s.t(lang, "quotes")),
        Some(st) => (
            a.quotes_with(st),
            quote_status_dir(st),
            s.t(lang, &format!("{}_quotes", st.as_str())),
        ),
    };
    ctx.insert("quotes", &quotes(s, slice(list, k, per)));
    ctx.insert("pager", &s.pager(&base, k, pages_for(list.len(), per)));
    ctx.insert("status", &status);
    let mut filters = vec![
        json!({"key": "all", "title": s.t(lang, "filter_all"), "href": s.href(QUOTES), "count": a.quotes.len(), "is_current": status.is_none()}),
    ];
    for st in QUOTE_FILTERS {
        let n = a.quotes_with(st).len();
        if n > 0 {
            filters.push(json!({"key": st, "title": s.t(lang, &format!("filter_{}", st.as_str())), "status": st, "href": s.href(&quote_status_dir(st)), "count": n, "is_current": status == Some(st)}));
        }
    }
    ctx.insert("filters", &filters);
    ctx.insert(
        "jsonld",
        &jsonld::to_script(jsonld::collection(s, d, &title, &[])),
    );
    ctx.insert("page_title", &title);
}

/// A person's fact-check tally: per rating, its count and each rated claim (the claim
/// as stated, else the passage), linking to the fact-check's note in its article.
fn ratings(s: &Shared<'_>, ratings: &[(String, Vec<NoteRef>)]) -> Vec<serde_json::Value> {
    let a = s.archive;
    ratings
        .iter()
        .map(|(rating, notes)| {
            let claims: Vec<_> = notes
                .iter()
                .map(|r| {
                    let e = &a.articles[r.article];
                    let n = &e.article.annotations[r.index];
                    let claim = n.verdict.claim.as_deref().or(n.on.as_ref().map(|o| o.value.as_str()));
                    json!({"claim": claim, "href": format!("{}#{}", s.href(&e.dir), n.fragment()), "article": s.article_link(r.article)})
                })
                .collect();
            json!({"rating": rating, "count": notes.len(), "claims": claims})
        })
        .collect()
}

/// The language of the page of `job`: its article's, page's or profile's, a language
/// index's own, else the site's.
pub(crate) fn page_lang<'a>(s: &Shared<'a>, job: Job) -> &'a str {
    let a = s.archive;
    let site = a.config.language.as_str();
    match job {
        Job::Article(i) => s.lang_of(i),
        Job::Entity(kind, i, _) => a.entities(kind)[i]
            .profile
            .as_ref()
            .and_then(|p| p.language.as_deref())
            .unwrap_or(site),
        Job::Page(i) => a.pages[i].page.language.as_deref().unwrap_or(site),
        Job::Language(l, _) => &a.languages[l].tag,
        _ => site,
    }
}

/// "December 2025" in `lang`.
pub(crate) fn month_title(s: &Shared<'_>, lang: &str, year: i16, month: i8) -> String {
    let date = format!("{year:04}-{month:02}");
    s.i18n.human_date(lang, &date).unwrap_or(date)
}

/// The A-Z index of the entities `list` of `kind` (each an index and its count of
/// articles), at `d`, titled in `lang`.
pub(crate) fn entity_index(
    s: &Shared<'_>,
    ctx: &mut Context,
    kind: EntityKind,
    list: &[(usize, usize)],
    d: &str,
    lang: &str,
) {
    let all = s.archive.entities(kind);
    let mut links: Vec<_> = list
        .iter()
        .map(|&(i, n)| {
            let mut l = s.entity(&all[i]);
            l.count = n;
            l
        })
        .collect();
    links.sort_by(|x, y| {
        x.name
            .to_lowercase()
            .cmp(&y.name.to_lowercase())
            .then(x.id.cmp(y.id))
    });
    let title = s.t(lang, kind.folder());
    let items: Vec<String> = list.iter().map(|&(i, _)| s.url(&all[i].dir)).collect();
    ctx.insert(
        "jsonld",
        &jsonld::to_script(jsonld::collection(s, d, &title, &items)),
    );
    ctx.insert("entities", &links);
    ctx.insert("kind", kind.folder());
    ctx.insert("page_title", &title);
}

/// The archive index of `years`, whose pages are under `prefix` (`""`, or a language's
/// folder), at `d`.
pub(crate) fn archive_index(
    s: &Shared<'_>,
    ctx: &mut Context,
    years: &[Year],
    prefix: &str,
    d: &str,
    lang: &str,
) {
    use crate::routes::dirs::{month_dir, year_dir};
    let per = s.archive.config.paginate;
    let years: Vec<_> = years
        .iter()
        .map(|y| {
            // Each month's articles, as many as its own first page shows.
            let months: Vec<_> = y.months.iter().map(|m| {
                let shown: Vec<_> = m.articles.iter().take(per).map(|&i| s.article_link(i)).collect();
                json!({"month": m.month, "name": s.i18n.month(lang, m.month), "title": month_title(s, lang, y.year, m.month), "count": m.articles.len(), "href": s.href(&format!("{prefix}{}", month_dir(y.year, m.month))), "articles": shown})
            }).collect();
            json!({"year": y.year, "href": s.href(&format!("{prefix}{}", year_dir(y.year))), "count": y.months.iter().map(|m| m.articles.len()).sum::<usize>(), "months": months})
        })
        .collect();
    let title = s.t(lang, "archive");
    ctx.insert("years", &years);
    ctx.insert("page_title", &title);
    ctx.insert(
        "jsonld",
        &jsonld::to_script(jsonld::collection(s, d, &title, &[])),
    );
}

/// Page `k` of year `y` (or of its month `m`) of `years`, whose pages are under
/// `prefix`.
pub(crate) fn year_or_month(
    s: &Shared<'_>,
    ctx: &mut Context,
    years: &[Year],
    prefix: &str,
    (y, m, k): (usize, Option<usize>, usize),
    lang: &str,
) {
    use crate::routes::dirs::{ARCHIVE, month_dir, year_dir};
    let per = s.archive.config.paginate;
    let year = &years[y];
    let (months, title, base) = match m {
        Some(m) => {
            let month = &year.months[m];
            (
                std::slice::from_ref(month),
                month_title(s, lang, year.year, month.month),
                format!("{prefix}{}", month_dir(year.year, month.month)),
            )
        }
        None => (
            year.months.as_slice(),
            format!("{:04}", year.year),
            format!("{prefix}{}", year_dir(year.year)),
        ),
    };
    let total = months.iter().map(|m| m.articles.len()).sum();
    let page = months_page(months, k, per);
    article_list(s, ctx, &page, total, k, &base, &title);
    ctx.insert(
        "year",
        &json!({"year": year.year, "href": s.href(&format!("{prefix}{}", year_dir(year.year)))}),
    );
    ctx.insert("month", &m.map(|m| year.months[m].month));
    ctx.insert("home_href", &s.href(prefix));
    ctx.insert("archive_href", &s.href(&format!("{prefix}{ARCHIVE}")));
    let months: Vec<_> = year.months.iter().map(|m| json!({"month": m.month, "name": s.i18n.month(lang, m.month), "count": m.articles.len(), "href": s.href(&format!("{prefix}{}", month_dir(year.year, m.month)))})).collect();
    ctx.insert("months", &months);
}
