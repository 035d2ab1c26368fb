//! Renders every Markdown text of the archive (article bodies, annotation notes, profile
//! bios, pages) and resolves gloss's link schemes in them to relative URLs
//! ([`targets`]). An unknown target is a located error with a suggestion.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::anchors::{self, Anchored};
use super::fragments::{self, Place};
use super::{Archive, ArticleEntry, Bodies, BodyTexts, Lookup, RenderedBody, Texts};
use crate::diag::{self, Diagnostics};
use crate::markdown::{self, HeadingIds, MarkdownOptions};

mod deps;
mod paths;
mod stored;
mod targets;
use crate::model::Article;
pub(super) use stored::fetch;
use stored::{fingerprint, load_stored, spill, stored_key};
pub(super) use targets::Suggest;
use targets::{Targets, Text};

/// Rendered article bodies kept between builds (`gloss serve`), by file (two articles
/// may share a slug). An entry is reused while its article is the same shared value and
/// nothing it depends on changed. With a [`BodyStore`], bodies are also looked up there
/// by a hash of everything they are made from (a later process's build cache), and
/// their HTML is kept there instead of in memory.
#[derive(Debug, Default)]
pub struct BodyCache {
    entries: HashMap<std::path::PathBuf, CachedBody>,
    store: Option<Arc<dyn BodyStore>>,
}

/// Where rendered bodies are kept out of memory (see [`super::BodyStore`]).
pub(crate) use super::BodyStore;

impl BodyCache {
    /// A cache that keeps bodies in `store` and looks them up there.
    pub(crate) fn with_store(store: Arc<dyn BodyStore>) -> BodyCache {
        BodyCache {
            entries: HashMap::new(),
            store: Some(store),
        }
    }

    /// Forgets the bodies kept in memory (a one-shot build that frees its articles'
    /// Markdown); the body store keeps its own.
    pub(crate) fn forget(&mut self) {
        self.entries.clear();
    }

    /// The body store, for the archive's pages to read the bodies from.
    pub(crate) fn bodies(&self) -> Arc<Bodies> {
        Arc::new(Bodies {
            store: self.store.clone(),
            lost: Default::default(),
        })
    }

    /// The diagnostics of the cached body of the article at `path`, if any.
    pub(crate) fn diagnostics(&self, path: &Path) -> Option<&Diagnostics> {
        self.entries.get(path).map(|c| &c.result.diags)
    }
}

#[derive(Debug)]
struct CachedBody {
    article: Arc<Article>,
    key: u64,
    result: BodyResult,
}

/// Everything rendering one article's Markdown produces.
#[derive(Debug, Clone)]
struct BodyResult {
    body: Arc<RenderedBody>,
    first_paragraph: String,
    diags: Diagnostics,
    /// What it looked up of the other articles and the site's files.
    deps: deps::Deps,
}

/// The archive's [`Lookup`]: article folders by slug, a fingerprint of what every body
/// depends on besides its own article (people's names, for quote and claimant links,
/// and aliases, for naming sentences; the Markdown options; images), and one of the
/// link targets, of which each body depends only on those it looked up.
pub(crate) fn lookup_of(archive: &Archive) -> Lookup {
    let mut h = DefaultHasher::new();
    let mut targets = DefaultHasher::new();
    for e in archive
        .people
        .iter()
        .chain(archive.topics.iter())
        .chain(archive.outlets.iter())
    {
        (&e.id, &e.name, &e.dir).hash(&mut h);
        // A person's aliases decide which sentence names them.
        if let Some(p) = &e.profile {
            p.aliases.hash(&mut h);
        }
    }
    for e in &archive.articles {
        (&e.article.key, &e.dir).hash(&mut targets);
    }
    let c = &archive.config;
    // The language picks the sentence rules of the naming sentences. Not `base_url`:
    // bodies hold relative links only, so `gloss serve` (whose base URL is its own
    // address) reuses the bodies a `gloss build` stored, and the other way round.
    (c.smart_punctuation, c.html, c.pretty_urls, &c.language).hash(&mut h);
    let mut slugs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in &archive.articles {
        slugs
            .entry(e.article.slug.0.clone())
            .or_default()
            .push(e.article.key.clone());
    }
    for keys in slugs.values_mut() {
        keys.sort();
    }
    let site_files: std::collections::BTreeSet<String> = crate::routes::plan::plan(archive)
        .into_iter()
        .map(|job| crate::routes::plan::out_path(archive, job))
        .chain(archive.statics.iter().map(|s| s.out_path.clone()))
        .collect();
    site_files.hash(&mut targets);
    // An image's size and copies are written into the bodies that show it.
    let rasters: BTreeMap<String, crate::model::Raster> = archive
        .statics
        .iter()
        .filter_map(|s| Some((s.out_path.clone(), s.raster.clone()?)))
        .collect();
    (&rasters, &c.images).hash(&mut h);
    Lookup {
        articles: archive
            .articles
            .iter()
            .map(|e| (e.article.key.clone(), e.dir.clone()))
            .collect(),
        site_files,
        rasters,
        slugs,
        environment: h.finish(),
        targets: targets.finish(),
    }
}

/// The cache key of one article's body: the environment, its folder (its relative
/// links start there) and its quote checks.
fn key_of(env: u64, e: &ArticleEntry) -> u64 {
    let mut h = DefaultHasher::new();
    (
        env,
        &e.dir,
        &e.quote_checks,
        &e.claimants,
        &e.quote_speakers,
    )
        .hash(&mut h);
    (&e.speakers, &e.mentions).hash(&mut h);
    h.finish()
}

/// Renders one article's body and notes, anchoring its quotes and annotations.
fn render_article(
    root: &Path,
    e: &ArticleEntry,
    targets: &Targets<'_>,
    options: MarkdownOptions,
    people: &[super::Entity],
) -> BodyResult {
    let mut d = Diagnostics::new();
    let lookup = targets.articles;
    let used = std::sync::Mutex::new(deps::Recorder::default());
    let targets = &Targets {
        used: Some(&used),
        ..*targets
    };
    let a = &e.article;
    // Read here, on a cache miss only, and dropped with this function: no stage holds
    // every body's Markdown at once.
    let source = match crate::load::read_body(root, a) {
        Ok(text) => text,
        Err(why) => {
            d.push(why);
            String::new()
        }
    };
    let lines = diag::Lines::new(&source, a.body_line);
    let suggest = Suggest::default();
    let outbound = RefCell::new(Vec::new());
    let images = RefCell::new(Vec::new());
    let at = Text {
        path: &a.path,
        located: Some(&lines),
        dir: &e.dir,
        article: Some(e),
        suggest: &suggest,
        outbound: &outbound,
        images: &images,
    };
    // Notes first: anchoring puts them beside their passages. Their headings get no ids:
    // a note is shown inside the body, not a section of it.
    let note_texts: Vec<markdown::Rendered> = a
        .annotations
        .iter()
        .map(|n| {
            let at = Text {
                located: None,
                ..at
            };
            // A note is shown inside the body: its fenced blocks stay code.
            let options = MarkdownOptions {
                embeds: false,
                ..options
            };
            render_text(targets, options, &n.note, HeadingIds::Off, &at, &mut d)
        })
        .collect();
    let notes: Vec<String> = note_texts.iter().map(|n| n.html.clone()).collect();
    let reserved = fragments::article_reserved(a);
    let cx = anchors::Context {
        entry: e,
        people,
        language: a.language_or(targets.language),
    };
    let mut anchored = Anchored::default();
    let mut anchor_diags = Diagnostics::new();
    let mut body = markdown::render_marked(
        &source,
        options,
        HeadingIds::On(&|id| reserved.contains(id)),
        &mut |link| targets.resolve(link, &at, &mut d),
        &mut |model| {
            anchored = anchors::anchor(model, &cx, &mut anchor_diags);
            std::mem::take(&mut anchored.marks)
        },
    );
    d.extend(anchor_diags);
    super::images::missing_alt(&body, &at.place(), &mut d);
    embed_problems(&mut body, &at.place(), &mut d);
    body.html = targets.relative_raw_paths(std::mem::take(&mut body.html), &e.dir);
    let page_ids = fragments::article_ids(a, &body, &anchored);
    fragments::check_explicit(&body, &|id| reserved.contains(id), &at.place(), &mut d);
    fragments::check_local(&body, &page_ids, &at.place(), &suggest, &mut d);
    let unlocated = Place {
        path: &a.path,
        located: None,
    };
    for note in &note_texts {
        fragments::check_local(note, &page_ids, &unlocated, &suggest, &mut d);
    }
    for w in body.report.warnings(&a.path, &lines) {
        d.push(w);
    }
    // Kept until the end of the build: no spare capacity (it was a third of the size).
    let mut html = body.html;
    html.shrink_to_fit();
    let texts = BodyTexts {
        html,
        embeds: body.embeds,
    };
    BodyResult {
        body: Arc::new(RenderedBody {
            fingerprint: fingerprint(&texts),
            texts: Texts::Inline(Arc::new(texts)),
            notes_html: notes,
            quote_in_body: anchored.quote_in_body,
            both_in_body: anchored.both_in_body,
            note_numbers: anchored.numbers,
            namings: anchored.namings,
            toc: markdown::headings::toc(&body.headings),
            ids: page_ids,
            outbound: outbound.into_inner(),
            images: images.into_inner(),
        }),
        first_paragraph: body.first_paragraph,
        diags: d,
        deps: deps::Recorder::finish(used, lookup),
    }
}

fn render_text(
    t: &Targets<'_>,
    options: MarkdownOptions,
    markdown: &str,
    ids: HeadingIds<'_>,
    at: &Text<'_>,
    diags: &mut Diagnostics,
) -> markdown::Rendered {
    let mut body = markdown::render(markdown, options, ids, &mut |link| {
        t.resolve(link, at, diags)
    });
    body.html = t.relative_raw_paths(std::mem::take(&mut body.html), at.dir);
    body
}

/// The problems of a text's figures, videos and social posts, placed in its file.
fn embed_problems(body: &mut markdown::Rendered, at: &Place<'_>, diags: &mut Diagnostics) {
    for (range, mut d) in body.embed_problems.drain(..) {
        d.path = at.path.to_path_buf();
        d.span = at.located.map(|lines| lines.span(range.start, range.end));
        diags.push(d);
    }
}

/// Renders the body of a profile or plain page, shown on a page whose theme writes
/// `theme_ids`, and checks its heading ids and same-page links.
fn render_page_text(
    t: &Targets<'_>,
    options: MarkdownOptions,
    markdown: &str,
    theme_ids: &[&str],
    at: &Text<'_>,
    diags: &mut Diagnostics,
) -> markdown::Rendered {
    let reserved = |id: &str| theme_ids.contains(&id);
    let mut body = render_text(t, options, markdown, HeadingIds::On(&reserved), at, diags);
    let ids = fragments::page_ids(&body, theme_ids);
    super::images::missing_alt(&body, &at.place(), diags);
    embed_problems(&mut body, &at.place(), diags);
    fragments::check_explicit(&body, &reserved, &at.place(), diags);
    fragments::check_local(&body, &ids, &at.place(), at.suggest, diags);
    body
}

/// Renders all Markdown of the archive in place.
pub(crate) fn render_all(archive: &mut Archive, diags: &mut Diagnostics, cache: &mut BodyCache) {
    render_some(archive, diags, cache, None);
}

/// Renders the bodies of the articles at `only` (all when `None`), through the cache.
/// With `only`, the cache keeps its other entries.
pub(crate) fn render_some(
    archive: &mut Archive,
    diags: &mut Diagnostics,
    cache: &mut BodyCache,
    only: Option<&[usize]>,
) {
    let options = MarkdownOptions::of(&archive.config);
    let targets = Targets::of(archive);
    let people = &archive.people;
    let env = archive.lookup.environment;
    let lookup = &archive.lookup;
    let cached = &*cache;
    let selected: Vec<usize> = match only {
        Some(ids) => ids.to_vec(),
        None => (0..archive.articles.len()).collect(),
    };
    let store = cache.store.as_deref();
    let anew = std::sync::atomic::AtomicUsize::new(0);
    let rendered: Vec<(u64, BodyResult)> = selected
        .par_iter()
        .map(|&i| {
            let e = &archive.articles[i];
            let key = key_of(env, e);
            if let Some(c) = cached.entries.get(&e.article.path)
                && c.key == key
                && Arc::ptr_eq(&c.article, &e.article)
                && c.result.deps.hold(lookup)
            {
                return (key, c.result.clone());
            }
            let stored = store.zip(stored_key(e, key));
            if let Some(r) = stored
                .and_then(|(store, k)| load_stored(store, k))
                .filter(|r| r.deps.hold(lookup))
            {
                return (key, r);
            }
            anew.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut r = render_article(&archive.root, e, &targets, options, people);
            if let Some((store, k)) = stored {
                spill(store, k, &mut r);
            }
            (key, r)
        })
        .collect();
    tracing::debug!(
        "link: {} of {} bodies rendered anew",
        anew.into_inner(),
        selected.len()
    );
    let mut fresh = HashMap::with_capacity(rendered.len());
    for (&i, (key, r)) in selected.iter().zip(rendered) {
        let e = Arc::make_mut(&mut archive.articles[i]);
        e.body = Arc::clone(&r.body);
        e.summary = e
            .article
            .summary
            .clone()
            .unwrap_or_else(|| r.first_paragraph.clone());
        diags.extend(r.diags.clone());
        fresh.insert(
            e.article.path.clone(),
            CachedBody {
                article: Arc::clone(&e.article),
                key,
                result: r,
            },
        );
    }
    if only.is_some() {
        // A patch of a few articles: profiles and pages are as they were.
        cache.entries.extend(fresh);
        return;
    }
    cache.entries = fresh;
    // Rendered first, then stored: the targets borrow the entity lists.
    let targets = Targets::of(archive);
    let outbound = RefCell::new(Vec::new());
    let images = RefCell::new(Vec::new());
    let bios: Vec<Option<String>> = archive
        .people
        .iter()
        .chain(archive.topics.iter())
        .chain(archive.outlets.iter())
        .map(|e| {
            let p = e.profile.as_ref()?;
            let suggest = Suggest::default();
            let at = Text {
                path: &p.path,
                located: None,
                dir: &e.dir,
                article: None,
                suggest: &suggest,
                outbound: &outbound,
                images: &images,
            };
            let theme_ids = &fragments::ENTITY_THEME_IDS;
            // Profiles show no embeds (yet): their fenced blocks stay code.
            let options = MarkdownOptions {
                embeds: false,
                ..options
            };
            Some(render_page_text(&targets, options, &p.body, theme_ids, &at, diags).html)
        })
        .collect();
    let pages: Vec<markdown::Rendered> = archive
        .pages
        .iter()
        .map(|page| {
            let p = &page.page;
            let lines = diag::Lines::new(&p.body, p.body_line);
            let suggest = Suggest::default();
            let at = Text {
                path: &p.path,
                located: Some(&lines),
                dir: &page.dir,
                article: None,
                suggest: &suggest,
                outbound: &outbound,
                images: &images,
            };
            let theme_ids = &fragments::PAGE_THEME_IDS;
            let rendered = render_page_text(&targets, options, &p.body, theme_ids, &at, diags);
            for w in rendered.report.warnings(&p.path, &lines) {
                diags.push(w);
            }
            rendered
        })
        .collect();
    let mut bios = bios.into_iter();
    for list in [
        &mut archive.people,
        &mut archive.topics,
        &mut archive.outlets,
    ] {
        for (e, bio) in Arc::make_mut(list).iter_mut().zip(bios.by_ref()) {
            if let Some(html) = bio {
                e.bio_html = html;
            }
        }
    }
    for (page, body) in archive.pages.iter_mut().zip(pages) {
        page.toc = markdown::headings::toc(&body.headings);
        page.body_html = body.html;
        page.embeds = body.embeds;
    }
    archive.outbound = outbound.into_inner();
    archive.page_images = images.into_inner();
}
