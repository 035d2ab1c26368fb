//! Builds the [`Archive`]: entity vectors, each article's resolved references, and the
//! indexes (quotes, per-entity lists, the archive by year and month).

use crate::diag::Code;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use super::entities::{Known, Registry};
use super::{
    Archive, ArticleEntry, CorrectionRef, Entity, EntityKind, Month, NoteRef, PageEntry, QuoteRef,
    Year,
};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{
    AnnotationKind, Article, BundleFile, Config, Page, QuoteStatus, SourceCopy, StaticFile,
};

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
            distinct_quotes: 0,
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
    copies: &[SourceCopy],
    statics: Vec<StaticFile>,
    bundle_files: Vec<BundleFile>,
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
                quote_groups: Vec::new(),
                translations: Vec::new(),
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
    // The words of every quote as matching folds them: equal words of one speaker are
    // one quote, however many articles use it.
    let keys: Vec<Vec<String>> = entries
        .par_iter()
        .map(|e| {
            e.article
                .quotes
                .iter()
                .map(|q| crate::text::quote_key(&q.text.value))
                .collect()
        })
        .collect();
    let mut groups: foldhash::HashMap<(usize, &str), usize> = Default::default();
    let mut topic_groups: foldhash::HashSet<(usize, usize)> = Default::default();
    let mut quote_groups: Vec<Vec<usize>> = Vec::with_capacity(entries.len());
    let mut appearances: Vec<Vec<QuoteRef>> = Vec::new();
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
        quote_groups.push(Vec::with_capacity(e.quote_speakers.len()));
        for (j, &p) in e.quote_speakers.iter().enumerate() {
            let q = QuoteRef {
                article: i,
                index: j,
            };
            // Articles come newest first: a quote's first appearance is its newest.
            let status = e.article.quotes[j].status;
            let g = *groups.entry((p, keys[i][j].as_str())).or_insert_with(|| {
                quotes.push(q);
                appearances.push(Vec::new());
                people[p].distinct_quotes += 1;
                // One quote, one line in the lists by status too.
                match status {
                    QuoteStatus::Disputed => disputed.push(q),
                    QuoteStatus::Misattributed => misattributed.push(q),
                    QuoteStatus::Sourced => {}
                }
                quotes.len() - 1
            });
            appearances[g].push(q);
            quote_groups
                .last_mut()
                .expect("pushed for this article")
                .push(g);
            people[p].quotes.push(q);
            for &t in &e.topics {
                topics[t].quotes.push(q);
                if topic_groups.insert((t, g)) {
                    topics[t].distinct_quotes += 1;
                }
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
    drop(groups);
    let mut entries = entries;
    for (e, g) in entries.iter_mut().zip(quote_groups) {
        e.quote_groups = g;
    }
    let years = archive_by_date(&entries);
    let translations = super::languages::translations(&entries, &config.language, diags);
    for (e, t) in entries.iter_mut().zip(translations) {
        e.translations = t;
    }
    let languages =
        super::languages::indexes(&entries, &config.language, [&people, &topics, &outlets]);
    let copies = super::sources::place(&entries, copies);
    let corrections = corrections(&entries);
    let pages = place_pages(pages, diags);
    let mut statics = statics;
    statics.extend(place_bundle_files(bundle_files, &entries, &pages));
    let mut archive = Archive {
        root,
        config,
        articles: entries.into_iter().map(Arc::new).collect(),
        people: Arc::new(people),
        topics: Arc::new(topics),
        outlets: Arc::new(outlets),
        quotes,
        appearances,
        disputed,
        misattributed,
        years,
        languages,
        pages,
        copies,
        corrections,
        statics,
        redirects: Vec::new(),
        outbound: Vec::new(),
        page_images: Vec::new(),
        variants: Vec::new(),
        lookup: Default::default(),
        bodies: Default::default(),
    };
    archive.lookup = Arc::new(super::body::lookup_of(&archive));
    archive
}

/// Every correction, newest first: by date, then in article order (newest article
/// first) and annotation order.
fn corrections(entries: &[ArticleEntry]) -> Vec<CorrectionRef> {
    let mut out: Vec<CorrectionRef> = entries
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            let a = &e.article;
            a.annotations
                .iter()
                .enumerate()
                .filter(|(_, n)| n.kind == AnnotationKind::Correction)
                .map(move |(j, n)| CorrectionRef {
                    article: i,
                    index: j,
                    date: a.correction_date(n).clone(),
                })
        })
        .collect();
    // Stable: equal dates keep article and annotation order.
    out.sort_by_key(|c| std::cmp::Reverse(c.date.instant));
    out
}

fn archive_by_date(entries: &[ArticleEntry]) -> Vec<Year> {
    let all: Vec<usize> = (0..entries.len()).collect();
    by_date(entries, &all)
}

/// The years and months of the articles `ids` (indexes into `entries`, newest first).
pub(super) fn by_date(entries: &[ArticleEntry], ids: &[usize]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for &i in ids {
        let e = &entries[i];
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
/// The files of page bundles as static files beside their pages (the output path comes
/// from [`crate::routes::dirs::bundle_file`], and is claimed with every other). Files of
/// an article or page that did not load are left out: its own errors say why.
fn place_bundle_files(
    files: Vec<BundleFile>,
    articles: &[ArticleEntry],
    pages: &[PageEntry],
) -> Vec<StaticFile> {
    let dirs: std::collections::HashMap<&std::path::Path, &str> = articles
        .iter()
        .map(|e| (e.article.path.as_path(), e.dir.as_str()))
        .chain(
            pages
                .iter()
                .map(|p| (p.page.path.as_path(), p.dir.as_str())),
        )
        .collect();
    files
        .into_iter()
        .filter_map(|f| {
            let dir = dirs.get(f.owner.as_path())?;
            Some(StaticFile {
                out_path: crate::routes::dirs::bundle_file(dir, &f.rel),
                from: f.from,
                raster: f.raster,
            })
        })
        .collect()
}

fn place_pages(pages: Vec<Page>, diags: &mut Diagnostics) -> Vec<PageEntry> {
    let mut out = Vec::new();
    for page in pages {
        let dir = format!("{}/", page.url_path);
        let top = page.url_path.split('/').next().unwrap_or("");
        if crate::routes::plan::RESERVED.contains(&top) {
            diags.push(
                Diagnostic::new(
                    Code::UrlCollision,
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
            embeds: Vec::new(),
            toc: Vec::new(),
        });
    }
    out
}
