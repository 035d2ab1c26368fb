//! Builds the [`Archive`]: entity vectors, each article's resolved references, and the
//! indexes (quotes, per-entity lists, the archive by year and month).

use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use super::entities::{Known, Registry};
use super::{Archive, ArticleEntry, Entity, EntityKind, Month, NoteRef, PageEntry, QuoteRef, Year};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{AnnotationKind, Article, Config, Page, QuoteStatus, StaticFile};

fn entities(kind: EntityKind, map: super::entities::KnownMap) -> Vec<Entity> {
    // Sorted by id: order is decided here, never inherited from the hash map.
    let mut known: Vec<(String, Known)> = map.into_iter().collect();
    known.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    known
        .into_iter()
        .map(|(id, known)| Entity {
            kind,
            name: known.name(&id),
            role: known.role(),
            dir: crate::routes::dirs::entity_dir(kind.folder(), &id),
            id,
            profile: known.profile,
            bio_html: String::new(),
            articles: Vec::new(),
            quotes: Vec::new(),
            written: Vec::new(),
            quoted_in: 0,
            mentioned_in: 0,
            ratings: Vec::new(),
            related: Vec::new(),
        })
        .collect()
}

/// Id -> position; a hash map, as it is only looked up, never iterated.
fn index_of(list: &[Entity]) -> foldhash::HashMap<String, usize> {
    list.iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect()
}

/// Pushes `v` unless already present (lists here are short).
fn push_unique(list: &mut Vec<usize>, v: usize) {
    if !list.contains(&v) {
        list.push(v);
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    root: PathBuf,
    config: Config,
    articles: Vec<std::sync::Arc<Article>>,
    reg: Registry,
    pages: Vec<Page>,
    statics: Vec<StaticFile>,
    diags: &mut Diagnostics,
) -> Archive {
    let t = std::time::Instant::now();
    let mut people = entities(EntityKind::Person, reg.people);
    let mut topics = entities(EntityKind::Topic, reg.topics);
    let mut outlets = entities(EntityKind::Outlet, reg.outlets);
    tracing::debug!("indexes: entities {:.2?}", t.elapsed());
    let t = std::time::Instant::now();
    let (pi, ti, oi) = (index_of(&people), index_of(&topics), index_of(&outlets));
    // Every id was registered from these same articles, so lookups cannot miss.
    let lookup = |m: &foldhash::HashMap<String, usize>, id: &str| m.get(id).copied().unwrap_or(0);
    let entries: Vec<ArticleEntry> = articles
        .into_par_iter()
        .map(|article| {
            let mut e = ArticleEntry {
                dir: crate::routes::dirs::article_dir(&config, &article),
                body: Default::default(),
                summary: String::new(),
                speakers: Vec::new(),
                mentions: Vec::new(),
                authors: article
                    .authors
                    .iter()
                    .map(|a| crate::model::is_slug(a).then(|| lookup(&pi, a)))
                    .collect(),
                quote_speakers: article
                    .quotes
                    .iter()
                    .map(|q| lookup(&pi, q.speaker.value.as_str()))
                    .collect(),
                topics: Vec::new(),
                outlets: Vec::new(),
                source_outlets: article
                    .sources
                    .values()
                    .map(|s| s.outlet.as_ref().map(|o| lookup(&oi, o.value.as_str())))
                    .collect(),
                claimants: article
                    .annotations
                    .iter()
                    .map(|n| {
                        n.verdict
                            .claimant
                            .as_ref()
                            .map(|c| lookup(&pi, c.value.as_str()))
                    })
                    .collect(),
                quote_checks: Vec::new(),
                article,
            };
            for s in &e.article.speakers {
                push_unique(&mut e.speakers, lookup(&pi, s.id.value.as_str()));
            }
            for m in &e.article.mentions {
                push_unique(&mut e.mentions, lookup(&pi, m.value.as_str()));
            }
            for t in &e.article.topics {
                push_unique(&mut e.topics, lookup(&ti, t.value.as_str()));
            }
            for o in e.article.sources.values().filter_map(|s| s.outlet.as_ref()) {
                push_unique(&mut e.outlets, lookup(&oi, o.value.as_str()));
            }
            e
        })
        .collect();
    tracing::debug!("indexes: entries {:.2?}", t.elapsed());
    let t = std::time::Instant::now();
    let mut quotes = Vec::new();
    let (mut disputed, mut misattributed) = (Vec::new(), Vec::new());
    let mut topic_people: foldhash::HashMap<(usize, usize), usize> = Default::default();
    for (i, e) in entries.iter().enumerate() {
        let quoted: BTreeSet<usize> = e
            .speakers
            .iter()
            .chain(&e.quote_speakers)
            .copied()
            .collect();
        let claimant_ids: Vec<usize> = e.claimants.iter().flatten().copied().collect();
        let involved: BTreeSet<usize> = quoted
            .iter()
            .chain(&e.mentions)
            .chain(&claimant_ids)
            .copied()
            .collect();
        for &p in &involved {
            people[p].articles.push(i);
            if quoted.contains(&p) {
                people[p].quoted_in += 1;
            } else {
                people[p].mentioned_in += 1;
            }
            for &t in &e.topics {
                *topic_people.entry((t, p)).or_default() += 1;
            }
        }
        for &p in e.authors.iter().flatten() {
            if !people[p].written.contains(&i) {
                people[p].written.push(i);
            }
        }
        for &t in &e.topics {
            topics[t].articles.push(i);
        }
        for &o in &e.outlets {
            outlets[o].articles.push(i);
        }
        for (j, &p) in e.quote_speakers.iter().enumerate() {
            let q = QuoteRef {
                article: i,
                index: j,
            };
            quotes.push(q);
            match e.article.quotes[j].status {
                QuoteStatus::Disputed => disputed.push(q),
                QuoteStatus::Misattributed => misattributed.push(q),
                QuoteStatus::Sourced => {}
            }
            people[p].quotes.push(q);
            for &t in &e.topics {
                topics[t].quotes.push(q);
            }
        }
        for (j, (n, c)) in e.article.annotations.iter().zip(&e.claimants).enumerate() {
            let (Some(c), Some(rating), AnnotationKind::FactCheck) = (c, &n.verdict.rating, n.kind)
            else {
                continue;
            };
            let p = &mut people[*c];
            let note = NoteRef {
                article: i,
                index: j,
            };
            match p.ratings.iter_mut().find(|(r, _)| r == rating) {
                Some((_, notes)) => notes.push(note),
                None => p.ratings.push((rating.clone(), vec![note])),
            }
        }
    }
    // Sorted, so the lists are built in the same order whatever the hashing.
    let mut topic_people: Vec<((usize, usize), usize)> = topic_people.into_iter().collect();
    topic_people.sort_unstable();
    for ((t, p), n) in topic_people {
        topics[t].related.push((p, n));
        people[p].related.push((t, n));
    }
    for e in people.iter_mut().chain(topics.iter_mut()) {
        e.related.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        e.ratings
            .sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    }
    tracing::debug!("indexes: lists {:.2?}", t.elapsed());
    let years = archive_by_date(&entries);
    let pages = place_pages(pages, diags);
    let mut archive = Archive {
        root,
        config,
        articles: entries.into_iter().map(Arc::new).collect(),
        people: Arc::new(people),
        topics: Arc::new(topics),
        outlets: Arc::new(outlets),
        quotes,
        disputed,
        misattributed,
        years,
        pages,
        statics,
        redirects: Vec::new(),
        outbound: Vec::new(),
        lookup: Default::default(),
    };
    archive.lookup = Arc::new(super::body::lookup_of(&archive));
    archive
}

fn archive_by_date(entries: &[ArticleEntry]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let d = e.article.date.date;
        if years.last().is_none_or(|y| y.year != d.year()) {
            years.push(Year {
                year: d.year(),
                months: Vec::new(),
            });
        }
        let Some(year) = years.last_mut() else {
            continue;
        };
        if year.months.last().is_none_or(|m| m.month != d.month()) {
            year.months.push(Month {
                month: d.month(),
                articles: Vec::new(),
            });
        }
        if let Some(m) = year.months.last_mut() {
            m.articles.push(i);
        }
    }
    years
}

/// The pages with their folders; one in a folder gloss writes itself is an error. (A
/// page at an article's URL is found with every other clash by the output-path check.)
fn place_pages(pages: Vec<Page>, diags: &mut Diagnostics) -> Vec<PageEntry> {
    let mut out = Vec::new();
    for page in pages {
        let dir = format!("{}/", page.url_path);
        let top = page.url_path.split('/').next().unwrap_or("");
        if crate::routes::plan::RESERVED.contains(&top) {
            diags.push(
                Diagnostic::error(
                    &page.path,
                    None,
                    format!("page URL `/{dir}` collides with gloss's own `/{top}/` pages"),
                )
                .with_hint("move the page to another folder or name under content/pages/"),
            );
            continue;
        }
        out.push(PageEntry {
            page,
            dir,
            body_html: String::new(),
            toc: Vec::new(),
        });
    }
    out
}
