//! Stage 2, link: resolves every id and reference of the loaded [`Site`], renders bodies
//! (resolving `person:`-style links), and builds the indexes the pages show. Output: an
//! immutable [`Archive`] in which relations are indexes into its sorted vectors.
//!
//! Order is decided here, once: articles newest first (date, then slug), entities by id.

mod anchors;
mod body;
mod copies;
mod entities;
pub(crate) use entities::name_from_id;
mod fragments;
mod hints;
pub(crate) mod images;
mod indexes;
mod languages;
mod naming;
mod near_ids;
mod redirects;
mod relink;
mod sources;

pub(crate) use crate::text::contains as passage_in;
pub use body::BodyCache;
pub use fragments::{Outbound, PageIds};
pub use hints::{DiffKind, DiffWords};
pub use redirects::Redirect;
pub use relink::relink;
pub(crate) use sources::mark_id as copy_mark_id;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::Diagnostics;
pub use crate::markdown::headings::TocEntry;
use crate::model::{Article, Config, Page, Profile, Site, StaticFile};

/// A quote, by the article it is in and its 0-based position in that article's `quotes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuoteRef {
    /// Index into [`Archive::articles`].
    pub article: usize,
    /// Index into that article's `quotes`.
    pub index: usize,
}

/// An annotation, by the article it is in and its 0-based position in that article's
/// `annotations` (a rated fact-check on its claimant's page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NoteRef {
    /// Index into [`Archive::articles`].
    pub article: usize,
    /// Index into that article's `annotations`.
    pub index: usize,
}

/// An article with everything resolved.
#[derive(Debug, Clone)]
pub struct ArticleEntry {
    /// The article as loaded.
    pub article: std::sync::Arc<Article>,
    /// Its folder in the output, e.g. `articles/slug/`.
    pub dir: String,
    /// Rendered body, notes and anchoring results (shared with the serve cache).
    pub body: Arc<RenderedBody>,
    /// Front-matter summary, else the body's first paragraph.
    pub summary: String,
    /// Indexes into [`Archive::people`] of the speakers, in order written.
    pub speakers: Vec<usize>,
    /// Indexes into [`Archive::people`] of the mentions.
    pub mentions: Vec<usize>,
    /// Per byline (`article.authors`, in order): the person it names, when it is a
    /// person id (`dana-whitfield`) rather than a name (`Archive desk`).
    pub authors: Vec<Option<usize>>,
    /// Per quote: index into [`Archive::people`] of its speaker.
    pub quote_speakers: Vec<usize>,
    /// Indexes into [`Archive::topics`].
    pub topics: Vec<usize>,
    /// Indexes into [`Archive::outlets`] of the outlets its sources cite, first use first.
    pub outlets: Vec<usize>,
    /// Per source (in order): index into [`Archive::outlets`] of its outlet.
    pub source_outlets: Vec<Option<usize>>,
    /// Per annotation: index into [`Archive::people`] of its claimant.
    pub claimants: Vec<Option<usize>>,
    /// Per quote: how it compares with its source's archived copy.
    pub quote_checks: Vec<QuoteCheck>,
    /// Per quote: index into [`Archive::quotes`] (and [`Archive::appearances`]) of the
    /// distinct quote it is an appearance of: the same speaker and the same words, as
    /// matching folds them, are one quote in every article that uses it.
    pub quote_groups: Vec<usize>,
    /// The other-language versions of the article (`translations:`, either way
    /// round), as indexes into [`Archive::articles`], by language tag.
    pub translations: Vec<usize>,
}

/// What rendering an article's Markdown produced. The HTML (the bulk of it) is kept out
/// of memory when the link stage has a [`BodyStore`]: pages read it with
/// [`Archive::body`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RenderedBody {
    /// The body's HTML and embeds, or where the body store keeps them.
    #[serde(skip)]
    pub(crate) texts: Texts,
    /// A hash of the HTML and embeds: equal fingerprints, equal texts (what tells a
    /// changed body from an unchanged one without reading either).
    pub fingerprint: u128,
    /// Rendered annotation notes, in order.
    pub notes_html: Vec<String>,
    /// Per quote: true when it was found and marked in the text (`#quote-N` exists),
    /// in its words or in its original wording.
    pub quote_in_body: Vec<bool>,
    /// Per quote: true when both its words and its original wording are marked (the
    /// original as `#quote-N-original`).
    pub both_in_body: Vec<bool>,
    /// Per annotation: its number on marker and note, in the reading order of the
    /// marked passages; `None` when its passage is not marked.
    pub note_numbers: Vec<Option<usize>>,
    /// Per person of the article whose name is in its text: the first sentence naming
    /// them, by ascending person index. People the text never names have no entry.
    pub namings: Vec<Naming>,
    /// The body's headings as a table of contents.
    pub toc: Vec<TocEntry>,
    /// Every id of the article's page, for `article:slug#fragment` links.
    pub ids: PageIds,
    /// The body's and notes' links to fragments of articles, checked after every body
    /// is rendered.
    pub outbound: Vec<Outbound>,
    /// The output paths of the raster images the body and notes show.
    pub images: Vec<String>,
}

/// The text of a rendered body, as pages show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyTexts {
    /// The body as HTML, quotes and annotated passages marked.
    pub html: String,
    /// The body's figures, videos and social posts: the theme renders each where
    /// the HTML holds its placeholder.
    pub embeds: Vec<crate::markdown::embeds::Embed>,
}

/// Where a body's [`BodyTexts`] are.
#[derive(Debug, Clone)]
pub(crate) enum Texts {
    /// In memory (no body store, or a body with embeds, which the store does not keep).
    Inline(Arc<BodyTexts>),
    /// In the body store, under this key (a hash of everything the body is made from).
    Stored(u128),
}

impl Default for Texts {
    fn default() -> Self {
        Texts::Inline(Arc::default())
    }
}

impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Texts::Inline(a), Texts::Inline(b)) => a == b,
            // The key hashes what the body is made from: equal keys, equal bodies.
            (Texts::Stored(a), Texts::Stored(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Texts {}

/// Where the link stage keeps rendered bodies out of memory until render reads them
/// (the build cache, or a scratch file for this run): bytes by a 128-bit key.
pub(crate) trait BodyStore: Send + Sync + std::fmt::Debug {
    /// The bytes stored under `key`, if any (checked against their checksum).
    fn get(&self, key: u128) -> Option<Vec<u8>>;
    /// Stores `value` under `key`.
    fn put(&self, key: u128, value: Vec<u8>);
    /// The bytes of a part of a whole-site file (render's share of
    /// `/annotations.jsonld` per article) kept under `key` by this run or an earlier
    /// one, if any; a store that keeps no parts has none.
    fn get_part(&self, _key: u128) -> Option<Vec<u8>> {
        None
    }
    /// True when a part is kept under `key` and its bytes are intact (without
    /// decompressing them).
    fn has_part(&self, key: u128) -> bool {
        self.get_part(key).is_some()
    }
    /// Keeps a part under `key` for this run and later ones; gives `value` back when the
    /// store keeps no parts (the caller holds it instead).
    fn put_part(&self, _key: u128, value: Vec<u8>) -> Option<Vec<u8>> {
        Some(value)
    }
    /// Drops, at the next save, every part not in `keys` (the parts the whole-site file
    /// was just made of: the others are stale).
    fn retain_parts(&self, _keys: std::collections::HashSet<u128>) {}
    /// True when the store keeps what the search index puts for later runs.
    fn keeps_search(&self) -> bool {
        false
    }
    /// What the search index kept under `key` by an earlier run (or this one), if any.
    fn get_search(&self, _key: u128) -> Option<Vec<u8>> {
        None
    }
    /// Keeps `value` under `key` for the search index of a later run; false when the
    /// store keeps nothing for later runs (then the index is made whole each time).
    fn put_search(&self, _key: u128, _value: &[u8]) -> bool {
        false
    }
    /// Drops, at the next save, every search entry not in `keys` (what the index was
    /// just made of).
    fn retain_search(&self, _keys: std::collections::HashSet<u128>) {}
}

/// The body store of an archive, and the first body it failed to give back.
#[derive(Debug, Default)]
pub(crate) struct Bodies {
    pub(crate) store: Option<Arc<dyn BodyStore>>,
    /// The article whose stored body could not be read back (a damaged disk): the
    /// render that asked for it fails instead of publishing an empty body.
    lost: std::sync::Mutex<Option<PathBuf>>,
}

/// The sentence of an article's text that names a person, for the person's page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Naming {
    /// Index into [`Archive::people`]. Stable while the body is cached: the cache key
    /// covers every entity's id and name and every person's aliases.
    pub person: usize,
    /// The sentence as the reader sees it, white space tidied, cut to about 300
    /// characters around the name (with `…` where cut). Plain text, not HTML.
    pub sentence: Box<str>,
    /// Byte range of the name as written (full name, alias or surname) in `sentence`.
    pub name: std::ops::Range<usize>,
}

/// How a quote compares with the archived copy of its source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QuoteCheck {
    /// The source has no archived copy.
    Unchecked,
    /// Every fragment of the quote is in the copy.
    Matches {
        /// The copy's name (`sources/...`).
        copy: String,
    },
    /// The quote is not in the copy.
    Differs {
        /// The copy's name (`sources/...`).
        copy: String,
        /// The copy's closest passage, if any is close.
        closest: Option<String>,
        /// The quote's words against that passage's.
        diff: Option<Vec<DiffWords>>,
    },
}

/// What kind of entity an [`Entity`] is; decides its folder and fields.
pub use crate::model::ProfileKind as EntityKind;

/// A person, topic or outlet, with its index entries.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Person, topic or outlet.
    pub kind: EntityKind,
    /// The id.
    pub id: String,
    /// Display name (profile, else inline, else derived from the id).
    pub name: String,
    /// A person's role (profile, else the first inline one).
    pub role: Option<String>,
    /// The profile, if the site has one.
    pub profile: Option<Profile>,
    /// Rendered profile body.
    pub bio_html: String,
    /// Its folder in the output, e.g. `people/nayib-bukele/`.
    pub dir: String,
    /// Articles that involve it, newest first.
    pub articles: Vec<usize>,
    /// For people: their quotes; for topics: quotes in its articles. Newest first, each
    /// appearance of a quote used in several articles.
    pub quotes: Vec<QuoteRef>,
    /// How many distinct quotes `quotes` holds (a quote in three articles counts once).
    pub distinct_quotes: usize,
    /// For people: the articles they wrote (`authors:` naming their id), newest first.
    pub written: Vec<usize>,
    /// For people: number of articles quoting them.
    pub quoted_in: usize,
    /// For people: number of articles naming them without quoting them.
    pub mentioned_in: usize,
    /// For people: the fact-check ratings of their claims, each with the rated
    /// fact-checks (newest first); the most frequent rating first.
    pub ratings: Vec<(String, Vec<NoteRef>)>,
    /// Related entities with counts: a person's topics, a topic's people.
    pub related: Vec<(usize, usize)>,
}

/// One month of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// 1-12.
    pub month: i8,
    /// Articles, newest first.
    pub articles: Vec<usize>,
}

/// One year of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    /// The year.
    pub year: i16,
    /// Months with articles, newest first.
    pub months: Vec<Month>,
}

/// The indexes of one language of a site whose articles are in several: its articles
/// and, per entity kind, the entities of those articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageIndex {
    /// The canonical tag (`es`, `pt-BR`).
    pub tag: String,
    /// The folder of its indexes, from [`crate::routes::dirs::language_dir`] (`es/`).
    pub dir: String,
    /// Its articles, newest first (indexes into [`Archive::articles`]).
    pub articles: Vec<usize>,
    /// Its articles by year and month, newest first.
    pub years: Vec<Year>,
    /// Per kind (people, topics, outlets): the entities its articles name, by id, each
    /// with the number of its articles naming them.
    pub entities: [Vec<(usize, usize)>; 3],
}

impl LanguageIndex {
    /// The entities of `kind` in this language, each with its count of articles.
    pub fn entities_of(&self, kind: EntityKind) -> &[(usize, usize)] {
        &self.entities[kind as usize]
    }
}

/// A plain page with its body rendered.
#[derive(Debug, Clone)]
pub struct PageEntry {
    /// The page as loaded.
    pub page: Page,
    /// Its folder in the output.
    pub dir: String,
    /// Rendered body.
    pub body_html: String,
    /// The body's figures, videos and social posts (see [`RenderedBody::embeds`]).
    pub embeds: Vec<crate::markdown::embeds::Embed>,
    /// The body's headings as a table of contents.
    pub toc: Vec<TocEntry>,
}

/// A correction annotation, for the corrections page and feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRef {
    /// Index into [`Archive::articles`].
    pub article: usize,
    /// Index into that article's `annotations`.
    pub index: usize,
    /// When the text was corrected: the correction's `date:`, else the article's
    /// `updated`, else its `date`.
    pub date: crate::model::Published,
}

/// An archived copy of a source (`copy:`) with a page of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyEntry {
    /// Its name, as `copy:` writes it (`sources/x.md`, under `content/`).
    pub name: String,
    /// Its folder in the output: `sources/<path under content/sources/ without the
    /// extension>/`.
    pub dir: String,
    /// The sources citing it, in article order: (index into [`Archive::articles`],
    /// position in that article's `sources`).
    pub citations: Vec<(usize, usize)>,
    /// The text as HTML, each quote found in it marked and linked to its articles.
    pub html: String,
    /// The quotes taken from it and found in it, in article order.
    pub found: Vec<QuoteRef>,
    /// The quotes attributed to it that it does not hold (flagged), in article order.
    pub differing: Vec<QuoteRef>,
}

/// The linked archive: everything render needs, nothing it must look up elsewhere.
#[derive(Debug, Clone)]
pub struct Archive {
    /// The site's root folder.
    pub root: PathBuf,
    /// site.yaml.
    pub config: Config,
    /// Articles, newest first. Shared, so a rebuild that changes one article (`gloss
    /// serve`) copies pointers, not the site.
    pub articles: Vec<Arc<ArticleEntry>>,
    /// People by id.
    pub people: Arc<Vec<Entity>>,
    /// Topics by id.
    pub topics: Arc<Vec<Entity>>,
    /// Outlets by id.
    pub outlets: Arc<Vec<Entity>>,
    /// Every distinct quote, newest first: its newest appearance (the same speaker and
    /// words in several articles are one quote).
    pub quotes: Vec<QuoteRef>,
    /// Parallel to `quotes`: every appearance of that quote, newest first (the first is
    /// the quote itself).
    pub appearances: Vec<Vec<QuoteRef>>,
    /// The disputed quotes, newest first (`/quotes/disputed/`).
    pub disputed: Vec<QuoteRef>,
    /// The misattributed quotes, newest first (`/quotes/misattributed/`).
    pub misattributed: Vec<QuoteRef>,
    /// Years, newest first.
    pub years: Vec<Year>,
    /// Per language, by tag, when the articles are in more than one (else empty).
    pub languages: Vec<LanguageIndex>,
    /// Plain pages by URL.
    pub pages: Vec<PageEntry>,
    /// Every correction annotation, newest first (by its date, then article order).
    pub corrections: Vec<CorrectionRef>,
    /// Archived copies that sources cite, by name: each has a page.
    pub copies: Vec<CopyEntry>,
    /// Static files of the site.
    pub statics: Vec<StaticFile>,
    /// Old paths (`aliases:`) and the pages they lead to.
    pub redirects: Vec<Redirect>,
    /// The links of plain pages and profiles to fragments of articles (articles keep
    /// theirs with their bodies).
    pub outbound: Vec<Outbound>,
    /// The raster images plain pages and profiles show (articles keep theirs with their
    /// bodies), by output path.
    pub page_images: Vec<String>,
    /// The resized copies of the images shown, in path order.
    pub variants: Vec<images::Variant>,
    /// Article slugs and what every body depends on, for rendering bodies.
    pub(crate) lookup: Arc<Lookup>,
    /// Where the bodies' HTML is kept ([`Archive::body`]).
    pub(crate) bodies: Arc<Bodies>,
}

/// What rendering a body looks up besides its own article; the same for every body of
/// an archive, so built once.
#[derive(Debug, Default)]
pub(crate) struct Lookup {
    /// Article key (path under `content/articles/` without `.md`) -> folder in the
    /// output, for `article:2024/report` links.
    pub(crate) articles: BTreeMap<String, String>,
    /// Every file of the output the link stage knows (pages and the site's static files,
    /// `/`-separated), for root-relative links in bodies (`/assets/x.png`, `/about/`).
    pub(crate) site_files: std::collections::BTreeSet<String>,
    /// The size of each raster image of the site, by output path.
    pub(crate) rasters: BTreeMap<String, crate::model::Raster>,
    /// Article slug -> the keys of the articles with that file stem, for
    /// `article:report` links (more than one: the link must say which).
    pub(crate) slugs: BTreeMap<String, Vec<String>>,
    /// A fingerprint of the names and options every body depends on; a cached body is
    /// reused only under the same fingerprint.
    pub(crate) environment: u64,
    /// A fingerprint of the link targets (every article's key and folder, every output
    /// path): a body depends only on those it looked up (`body::deps`), or on all of
    /// them when a hint compared its link with every slug.
    pub(crate) targets: u64,
}

impl Archive {
    /// The quotes of `status` that get a list of their own, newest first: the disputed
    /// and the misattributed ones (the sourced ones are nearly all of `/quotes/`).
    pub fn quotes_with(&self, status: crate::model::QuoteStatus) -> &[QuoteRef] {
        use crate::model::QuoteStatus;
        match status {
            QuoteStatus::Disputed => &self.disputed,
            QuoteStatus::Misattributed => &self.misattributed,
            QuoteStatus::Sourced => &[],
        }
    }

    /// The HTML and embeds of article `i`'s body, read from the body store when they
    /// are kept there. A stored body that cannot be read back gives an empty text and
    /// is recorded ([`Archive::lost_body`]): the render fails rather than publish it.
    pub fn body(&self, i: usize) -> Arc<BodyTexts> {
        let e = &self.articles[i];
        match &e.body.texts {
            Texts::Inline(t) => Arc::clone(t),
            Texts::Stored(key) => match body::fetch(&self.bodies, *key) {
                Some(t) => Arc::new(t),
                None => {
                    let mut lost = self
                        .bodies
                        .lost
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    lost.get_or_insert_with(|| e.article.path.clone());
                    Arc::default()
                }
            },
        }
    }

    /// The first article whose stored body [`Archive::body`] could not read back.
    pub fn lost_body(&self) -> Option<PathBuf> {
        self.bodies
            .lost
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The entities of one kind.
    pub fn entities(&self, kind: EntityKind) -> &[Entity] {
        match kind {
            EntityKind::Person => &self.people,
            EntityKind::Topic => &self.topics,
            EntityKind::Outlet => &self.outlets,
        }
    }
}

/// Links the loaded site. Every problem found is in the returned diagnostics; the archive
/// is complete enough to render even when there are errors (callers decide).
pub fn link(site: Site) -> (Archive, Diagnostics) {
    link_with(site, &mut BodyCache::default())
}

/// [`link`], reusing the bodies in `cache` that nothing changed (`gloss serve`).
pub fn link_with(site: Site, cache: &mut BodyCache) -> (Archive, Diagnostics) {
    let mut diags = Diagnostics::new();
    let Site {
        root,
        config,
        mut articles,
        profiles,
        pages,
        copies,
        statics,
        bundle_files,
    } = site;
    // Two articles may share a slug (in two folders): the path decides between them.
    // Two that share a URL are found by the output-path check, naming both.
    articles.sort_by(|a, b| {
        b.date
            .instant
            .cmp(&a.date.instant)
            .then_with(|| a.slug.cmp(&b.slug))
            .then_with(|| a.path.cmp(&b.path))
    });
    let t = std::time::Instant::now();
    let registry = entities::Registry::build(&articles, profiles, &copies, &mut diags);
    tracing::debug!("link: registry {:.2?}", t.elapsed());
    let t = std::time::Instant::now();
    // The near-miss check only warns: it runs beside the indexes (seconds each at 10^5
    // articles), its warnings kept before theirs, as when they ran one after the other.
    let profiled = near_ids::Profiled::of(&registry);
    let listed = articles.clone();
    let mut index_diags = Diagnostics::new();
    let (near, mut archive) = std::thread::scope(|s| {
        let near = s.spawn(|| {
            let t = std::time::Instant::now();
            let mut near = Diagnostics::new();
            near_ids::check(&listed, &profiled, &mut near);
            tracing::debug!("link: near-miss ids {:.2?}", t.elapsed());
            near
        });
        let archive = indexes::build(
            root,
            config,
            articles,
            registry,
            pages,
            &copies,
            statics,
            bundle_files,
            &mut index_diags,
        );
        (near.join(), archive)
    });
    match near {
        Ok(near) => diags.extend(near),
        Err(panic) => std::panic::resume_unwind(panic),
    }
    diags.extend(index_diags);
    tracing::debug!("link: near-miss ids and indexes {:.2?}", t.elapsed());
    let t = std::time::Instant::now();
    let options = crate::markdown::MarkdownOptions::of(&archive.config);
    // Before bodies: anchoring marks the quotes that differ from their source.
    copies::check_all(&mut archive.articles, &copies, options, &mut diags);
    sources::render_all(&mut archive, &copies, options);
    tracing::debug!("link: copies {:.2?}", t.elapsed());
    let t = std::time::Instant::now();
    archive.bodies = cache.bodies();
    body::render_all(&mut archive, &mut diags, cache);
    diags.extend(fragments::check_outbound(&archive));
    diags.extend(images::all(&archive.articles, &archive.lookup.site_files));
    tracing::debug!("link: bodies {:.2?}", t.elapsed());
    archive.redirects = redirects::collect(&archive);
    archive.variants = images::all_variants(&archive);
    (archive, diags)
}

#[cfg(test)]
mod tests;
