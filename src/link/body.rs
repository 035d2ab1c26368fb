//! Renders every Markdown text of the archive (article bodies, annotation notes, profile
//! bios, pages) and resolves gloss's link schemes in them to relative URLs. An unknown
//! target is a located error with a suggestion.

use crate::diag::Code;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::anchors::{self, Anchored};
use super::fragments::{self, Outbound, Place};
use super::{Archive, ArticleEntry, Bodies, BodyTexts, Entity, Lookup, RenderedBody, Texts};
use crate::diag::{self, Diagnostic, Diagnostics};
use crate::markdown::{self, GlossLink, HeadingIds, MarkdownOptions, Resolved};

mod paths;
mod stored;
use crate::model::Article;
use crate::routes::dirs::{href, root_prefix};
pub(super) use stored::fetch;
use stored::{fingerprint, load_stored, spill, stored_key};

/// Where each id leads, for resolving links.
struct Targets<'a> {
    people: &'a [Entity],
    topics: &'a [Entity],
    outlets: &'a [Entity],
    articles: &'a Lookup,
    pretty: bool,
    /// The widths of images' resized copies.
    images: &'a crate::model::ImageOptions,
    /// The site's language (BCP 47): the sentence rules of articles that name none.
    language: &'a str,
}

impl<'a> Targets<'a> {
    fn of(archive: &'a Archive) -> Self {
        Targets {
            people: &archive.people,
            topics: &archive.topics,
            outlets: &archive.outlets,
            articles: &archive.lookup,
            pretty: archive.config.pretty_urls,
            images: &archive.config.images,
            language: &archive.config.language,
        }
    }
}

/// The folder of entity `id` in `list` (sorted by id).
fn entity_dir<'a>(list: &'a [Entity], id: &str) -> Option<&'a str> {
    list.binary_search_by(|e| e.id.as_str().cmp(id))
        .ok()
        .map(|i| list[i].dir.as_str())
}

/// The Markdown being rendered and where it sits in its file.
struct Text<'a> {
    path: &'a Path,
    /// The Markdown, by lines from the file line it starts on; `None` when positions are
    /// unknown.
    located: Option<&'a diag::Lines<'a>>,
    /// The page it is shown on.
    dir: &'a str,
    /// The article, for `source:` and `quote:` links.
    article: Option<&'a ArticleEntry>,
    /// The hints given so far for unknown targets, shared by an article and its notes.
    suggest: &'a Suggest,
    /// The `article:slug#fragment` links found so far, checked once every body is
    /// rendered.
    outbound: &'a RefCell<Vec<Outbound>>,
    /// The output paths of the raster images shown so far, whose copies are made.
    images: &'a RefCell<Vec<String>>,
}

impl Text<'_> {
    fn place(&self) -> Place<'_> {
        Place {
            path: self.path,
            located: self.located,
        }
    }
}

/// Comparisons of unknown link targets with known ids that one text may make for its
/// did-you-mean hints: beyond them, hints list a few ids without looking for the closest.
const COMPARISONS: usize = 1_000_000;

/// The hints of one text's unknown link targets: each distinct target is compared with
/// the known ids once, and the comparisons are bounded ([`COMPARISONS`]), so thousands of
/// broken links do not cost links times ids.
#[derive(Debug, Default)]
pub(super) struct Suggest {
    hints: RefCell<HashMap<String, String>>,
    compared: Cell<usize>,
}

impl Suggest {
    /// The hint for unknown `scheme:target`, among the `known` ids of `what`.
    fn hint<'a>(
        &self,
        link: &GlossLink<'_>,
        known: impl ExactSizeIterator<Item = &'a str> + Clone,
        what: &str,
    ) -> String {
        let key = format!("{}:{}", link.scheme, link.target);
        self.hint_keyed(&key, link.target, known, what)
    }

    /// The hint for unknown `target` among the `known` ids of `what`, given once per
    /// `key` (the link as written).
    pub(super) fn hint_keyed<'a>(
        &self,
        key: &str,
        target: &str,
        known: impl ExactSizeIterator<Item = &'a str> + Clone,
        what: &str,
    ) -> String {
        if let Some(hint) = self.hints.borrow().get(key) {
            return hint.clone();
        }
        let cost = self.compared.get().saturating_add(known.len());
        let hint = if cost <= COMPARISONS {
            self.compared.set(cost);
            hint_for(target, known, what)
        } else {
            format!(
                "{} (no closest one looked for: this text has too many unknown link targets)",
                known_list(known, what)
            )
        };
        self.hints
            .borrow_mut()
            .insert(key.to_string(), hint.clone());
        hint
    }
}

impl Targets<'_> {
    /// `slug#fragment` split into slug and fragment (empty without one). A slug may
    /// itself hold `#` (the file `a#b.md`): a known slug is taken whole first, then at
    /// each `#` from the left the first prefix that is a known slug.
    fn split_fragment<'t>(&self, target: &'t str) -> (&'t str, &'t str) {
        let known =
            |t: &str| self.articles.slugs.contains_key(t) || self.articles.articles.contains_key(t);
        if known(target) {
            return (target, "");
        }
        let mut splits = target
            .match_indices('#')
            .map(|(i, _)| (&target[..i], &target[i + 1..]));
        let first = splits.clone().next();
        splits
            .find(|(slug, _)| known(slug))
            .or(first)
            .unwrap_or((target, ""))
    }

    fn resolve(
        &self,
        link: &GlossLink<'_>,
        at: &Text<'_>,
        diags: &mut Diagnostics,
    ) -> Option<Resolved> {
        let prefix = root_prefix(at.dir);
        let to = |dir: &str| format!("{prefix}{}", href(dir, self.pretty));
        let entity = |list: &[Entity], what: &str| -> Result<String, String> {
            match entity_dir(list, link.target) {
                Some(dir) => Ok(to(dir)),
                None => Err(at
                    .article
                    .and_then(|a| {
                        super::near_ids::link_hint(&a.article, link.scheme, link.target, |id| {
                            list.iter().any(|e| e.id == id && e.profile.is_some())
                        })
                    })
                    .unwrap_or_else(|| {
                        at.suggest
                            .hint(link, list.iter().map(|e| e.id.as_str()), what)
                    })),
            }
        };
        let mut problem = "unknown";
        let result = match link.scheme {
            "person" | "topic" | "outlet" | "source" | "quote" if link.target.contains('#') => {
                Err(format!(
                    "only `article:` links take a `#fragment`; write `{}:{}`, or link an id of this page as `#id`",
                    link.scheme,
                    link.target.split('#').next().unwrap_or_default()
                ))
            }
            "person" => entity(self.people, "people"),
            "topic" => entity(self.topics, "topics"),
            "outlet" => entity(self.outlets, "outlets"),
            "article" => {
                let (slug, fragment) = self.split_fragment(link.target);
                match self.article(slug, link, at) {
                    Ok((_, dir)) if fragment.is_empty() => Ok(to(dir)),
                    Ok((key, dir)) => {
                        at.outbound.borrow_mut().push(Outbound {
                            path: at.path.to_path_buf(),
                            span: at
                                .place()
                                .span(&link.range, &format!("article:{}", link.target)),
                            slug: slug.to_string(),
                            key: key.to_string(),
                            fragment: fragment.to_string(),
                        });
                        Ok(format!("{}#{fragment}", to(dir)))
                    }
                    Err((ambiguous, hint)) => {
                        if ambiguous {
                            problem = "ambiguous";
                        }
                        Err(hint)
                    }
                }
            }
            "source" => match at.article {
                Some(a) => match a
                    .article
                    .sources
                    .get_index_of(&crate::model::SourceKey(link.target.to_string()))
                {
                    Some(_) => Ok(format!("#source-{}", link.target)),
                    None => Err(at.suggest.hint(
                        link,
                        a.article.sources.keys().map(|k| k.as_str()),
                        "sources of this article",
                    )),
                },
                None => Err("`source:` links work only in articles".into()),
            },
            "quote" => match at.article {
                Some(a) => quote_fragment(&a.article, link.target),
                None => Err("`quote:` links work only in articles".into()),
            },
            markdown::SITE_PATH => return self.site_path(link, at, &prefix, diags),
            markdown::PAGE_PATH => return self.page_path(link, at, &prefix, diags),
            _ => Err(format!("use one of {}", diag::list(markdown::SCHEMES))),
        };
        match result {
            Ok(url) => Some(url.into()),
            Err(hint) => {
                let written = format!("{}:{}", link.scheme, link.target);
                let span = at.place().span(&link.range, &written);
                diags.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        at.path,
                        span,
                        format!("{problem} link target `{written}`"),
                    )
                    .with_hint(hint),
                );
                None
            }
        }
    }
}

impl<'a> Targets<'a> {
    /// The folder of `article:SLUG` (the one article with that file stem) or
    /// `article:PATH` (its path under `content/articles/` without `.md`); else whether
    /// the slug is ambiguous, and the hint.
    fn article(
        &self,
        target: &str,
        link: &GlossLink<'_>,
        at: &Text<'_>,
    ) -> Result<(&'a str, &'a str), (bool, String)> {
        let lookup = self.articles;
        let dir = |key: &str| {
            lookup
                .articles
                .get_key_value(key)
                .map(|(k, d)| (k.as_str(), d.as_str()))
        };
        match lookup.slugs.get(target).map(Vec::as_slice) {
            Some([key]) => dir(key).ok_or((false, String::new())),
            Some(keys) => {
                let paths: Vec<String> = keys.iter().map(|k| format!("article:{k}")).collect();
                Err((
                    true,
                    format!(
                        "{} articles have the file name `{}.md`: link to one by its path under content/articles/, {}",
                        keys.len(),
                        target,
                        diag::list(paths.iter().map(String::as_str))
                    ),
                ))
            }
            None => dir(target).ok_or_else(|| {
                let hint = at.suggest.hint_keyed(
                    &format!("article:{}", link.target),
                    target,
                    lookup.slugs.keys().map(String::as_str),
                    "article slugs",
                );
                (false, hint)
            }),
        }
    }
}

/// `#quote-ID` for `quote:ID` (a quote's id) or `quote:N` (its position in this file):
/// the marked sentence, or the list entry when the quote is not in the text.
fn quote_fragment(a: &Article, target: &str) -> Result<String, String> {
    let by_position = || {
        let n = target.parse::<usize>().ok()?;
        a.quotes.get(n.checked_sub(1)?)
    };
    match a
        .quotes
        .iter()
        .find(|q| q.id == target)
        .or_else(by_position)
    {
        Some(q) => Ok(format!("#{}", q.fragment())),
        None if a.quotes.is_empty() => Err("this article has no quotes".into()),
        None => Err(
            match diag::did_you_mean(target, a.quotes.iter().map(|q| q.id.as_str())) {
                Some(best) => format!("did you mean `quote:{best}`?"),
                None => format!(
                    "write a quote's id (`quote:{}`) or its number, `quote:1` to `quote:{}`",
                    a.quotes[0].id,
                    a.quotes.len()
                ),
            },
        ),
    }
}

fn hint_for<'a>(target: &str, known: impl Iterator<Item = &'a str> + Clone, what: &str) -> String {
    match diag::did_you_mean(target, known.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => known_list(known, what),
    }
}

/// The first few known ids, for a hint.
fn known_list<'a>(known: impl Iterator<Item = &'a str>, what: &str) -> String {
    let few: Vec<&str> = known.take(8).collect();
    format!(
        "known {what}: {}{}",
        diag::list(few.iter().copied()),
        if few.len() == 8 { ", ..." } else { "" }
    )
}

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
}

/// The archive's [`Lookup`]: article folders by slug, and a fingerprint of what every
/// body depends on besides its own article: link targets, people's names (quote and
/// claimant links) and aliases (naming sentences), the Markdown options.
pub(crate) fn lookup_of(archive: &Archive) -> Lookup {
    let mut h = DefaultHasher::new();
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
        (&e.article.key, &e.dir).hash(&mut h);
    }
    let c = &archive.config;
    // The language picks the sentence rules of the naming sentences.
    (
        c.smart_punctuation,
        c.html,
        c.pretty_urls,
        &c.base_url,
        &c.language,
    )
        .hash(&mut h);
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
    site_files.hash(&mut h);
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
    }
}

/// The cache key of one article's body: the environment and its quote checks.
fn key_of(env: u64, e: &ArticleEntry) -> u64 {
    let mut h = DefaultHasher::new();
    (env, &e.quote_checks, &e.claimants, &e.quote_speakers).hash(&mut h);
    (&e.speakers, &e.mentions).hash(&mut h);
    h.finish()
}

/// Renders one article's body and notes, anchoring its quotes and annotations.
fn render_article(
    e: &ArticleEntry,
    targets: &Targets<'_>,
    options: MarkdownOptions,
    people: &[super::Entity],
) -> BodyResult {
    let mut d = Diagnostics::new();
    let a = &e.article;
    let lines = diag::Lines::new(&a.body, a.body_line);
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
        &a.body,
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
            {
                return (key, c.result.clone());
            }
            let stored = store.zip(stored_key(e, key));
            if let Some(r) = stored.and_then(|(store, k)| load_stored(store, k)) {
                return (key, r);
            }
            anew.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut r = render_article(e, &targets, options, people);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_stop_comparing_once_a_text_has_compared_enough() {
        let known = ["jane-doe", "john-roe"];
        let link = |target| GlossLink {
            scheme: "person",
            target,
            range: 0..1,
            is_image: false,
        };
        let suggest = Suggest::default();
        assert_eq!(
            suggest.hint(&link("jane-do"), known.iter().copied(), "people"),
            "did you mean `jane-doe`?"
        );
        suggest.compared.set(COMPARISONS - 1);
        // Asked again: the first answer, at no cost.
        assert_eq!(
            suggest.hint(&link("jane-do"), known.iter().copied(), "people"),
            "did you mean `jane-doe`?"
        );
        assert_eq!(
            suggest.hint(&link("john-ro"), known.iter().copied(), "people"),
            "known people: `jane-doe`, `john-roe` (no closest one looked for: this text has too many unknown link targets)"
        );
    }
}
