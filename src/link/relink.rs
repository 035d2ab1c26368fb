//! The fast path of a rebuild (`gloss serve`): when edited articles keep everything the
//! indexes are built from (their "index signature"), the previous archive's indexes stay
//! right, and only those articles' quote checks and bodies are redone. Anything else
//! returns `None` and the caller links the whole site.

use std::sync::Arc;

use super::{Archive, BodyCache, body, copies, fragments};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::MarkdownOptions;
use crate::model::{Article, SourceCopy};

/// Everything of an article that indexes, entity pages and cross-file checks read.
#[derive(Debug, PartialEq)]
struct Signature<'a> {
    slug: &'a str,
    path: &'a std::path::Path,
    /// The output paths of its redirect pages (checked with every other path).
    aliases: Vec<&'a str>,
    instant: jiff::Timestamp,
    date: crate::model::Date,
    draft: bool,
    speakers: Vec<(&'a str, Option<&'a str>, Option<&'a str>)>,
    mentions: Vec<&'a str>,
    /// Bylines: those that are person ids make people and their lists of articles.
    authors: &'a [String],
    topics: Vec<&'a str>,
    sources: Vec<(&'a str, Option<&'a str>, Option<&'a str>)>,
    /// Speaker, source, words (as `text::quote_key` has them) and status: the words
    /// decide which quotes of other articles are the same quote, the status the lists
    /// of disputed and misattributed quotes.
    quotes: Vec<(&'a str, Option<&'a str>, String, crate::model::QuoteStatus)>,
    /// Kind, claimant, rating, and a correction's date (the corrections page lists it).
    annotations: Vec<NoteSignature<'a>>,
    /// Its language (each language's lists hold it) and its other versions as written.
    language: Option<&'a str>,
    translations: Vec<&'a str>,
}

/// What of an annotation the indexes read: kind, claimant, rating, correction date.
type NoteSignature<'a> = (
    crate::model::AnnotationKind,
    Option<&'a str>,
    Option<&'a str>,
    Option<jiff::Timestamp>,
);

fn signature(a: &Article) -> Signature<'_> {
    Signature {
        slug: a.slug.as_str(),
        path: &a.path,
        aliases: a.aliases.iter().map(|l| l.value.as_str()).collect(),
        authors: &a.authors,
        instant: a.date.instant,
        date: a.date.date,
        draft: a.draft,
        speakers: a
            .speakers
            .iter()
            .map(|s| (s.id.value.as_str(), s.name.as_deref(), s.role.as_deref()))
            .collect(),
        mentions: a.mentions.iter().map(|m| m.value.as_str()).collect(),
        topics: a.topics.iter().map(|t| t.value.as_str()).collect(),
        sources: a
            .sources
            .iter()
            .map(|(k, s)| {
                (
                    k.as_str(),
                    s.outlet.as_ref().map(|o| o.value.as_str()),
                    s.copy.as_ref().map(|c| c.value.as_str()),
                )
            })
            .collect(),
        quotes: a
            .quotes
            .iter()
            .map(|q| {
                (
                    q.speaker.value.as_str(),
                    q.source.as_ref().map(|s| s.value.as_str()),
                    crate::text::quote_key(&q.text.value),
                    q.status,
                )
            })
            .collect(),
        annotations: a
            .annotations
            .iter()
            .map(|n| {
                (
                    n.kind,
                    n.verdict.claimant.as_ref().map(|c| c.value.as_str()),
                    n.verdict.rating.as_deref(),
                    n.date.as_ref().map(|d| d.value.instant),
                )
            })
            .collect(),
        language: a.language.as_ref().map(|l| l.value.as_str()),
        translations: a.translations.iter().map(|t| t.value.as_str()).collect(),
    }
}

/// Removes one diagnostic equal to each of `gone` from `all`.
fn remove_each(all: &mut Vec<Diagnostic>, gone: &[Diagnostic]) {
    for g in gone {
        if let Some(i) = all.iter().position(|d| d == g) {
            all.remove(i);
        }
    }
}

/// The archive of `prev` with `changed` articles put in, or `None` when an article's
/// signature changed (or it is new). `prev_diags` are the diagnostics `link` gave
/// `prev`; the result's diagnostics are what a full `link` would give.
pub fn relink(
    prev: &Archive,
    prev_diags: &Diagnostics,
    changed: &[Arc<Article>],
    copies_list: &[SourceCopy],
    cache: &mut BodyCache,
) -> Option<(Archive, Diagnostics)> {
    let mut positions = Vec::with_capacity(changed.len());
    for a in changed {
        let i = prev
            .articles
            .iter()
            .position(|e| e.article.path == a.path)?;
        if signature(&prev.articles[i].article) != signature(a) {
            return None;
        }
        positions.push(i);
    }
    let options = MarkdownOptions::of(&prev.config);
    let mut diags: Vec<Diagnostic> = prev_diags.iter().cloned().collect();
    // Links to other articles' fragments are checked anew: the targets may have changed.
    remove_each(&mut diags, &fragments::check_outbound(prev).sorted());
    // Cheap: entries and entity lists are shared.
    let mut archive = prev.clone();
    for (&i, a) in positions.iter().zip(changed) {
        // What the old article contributed, to take out of the previous diagnostics.
        let mut old_copies = Diagnostics::new();
        copies::check_all(
            &mut [prev.articles[i].clone()],
            copies_list,
            options,
            &mut old_copies,
        );
        remove_each(&mut diags, &old_copies.sorted());
        let old_image = super::images::problems(&prev.articles[i], &prev.lookup.site_files);
        remove_each(&mut diags, &old_image.sorted());
        if let Some(old_body) = cache.diagnostics(&prev.articles[i].article.path) {
            remove_each(&mut diags, &old_body.clone().sorted());
        }
        Arc::make_mut(&mut archive.articles[i]).article = Arc::clone(a);
        let mut new_copies = Diagnostics::new();
        copies::check_all(
            &mut archive.articles[i..=i],
            copies_list,
            options,
            &mut new_copies,
        );
        diags.extend(new_copies.sorted());
        let new_image = super::images::problems(&archive.articles[i], &archive.lookup.site_files);
        diags.extend(new_image.sorted());
    }
    // Copy pages show the quotes' words and checks, which an edit may change.
    super::sources::render_all(&mut archive, copies_list, options);
    let mut new_bodies = Diagnostics::new();
    body::render_some(&mut archive, &mut new_bodies, cache, Some(&positions));
    diags.extend(new_bodies.sorted());
    archive.redirects = super::redirects::collect(&archive);
    archive.variants = super::images::all_variants(&archive);
    // Only articles changed, no image: copies made for the previous archive stand.
    for v in &mut archive.variants {
        if let Ok(k) = prev
            .variants
            .binary_search_by(|p| p.out_path.as_str().cmp(&v.out_path))
            && prev.variants[k].from == v.from
        {
            v.made.clone_from(&prev.variants[k].made);
        }
    }
    diags.extend(fragments::check_outbound(&archive).sorted());
    Some((archive, diags.into_iter().collect()))
}
