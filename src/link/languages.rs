//! Languages of the archive: resolves each article's `translations:` into groups of
//! versions of one article, and, for a site whose articles are in more than one
//! language, builds each language's indexes (its articles, by date, and the people,
//! topics and outlets of those articles).
//!
//! Input: the article entries (newest first) and the entities with their article lists;
//! output: per article the indexes of its other versions, and [`LanguageIndex`]es.
//! Translations are symmetric and transitive, as Hugo's `translationKey` groups are:
//! naming a version on one side is enough.

use std::collections::BTreeMap;

use super::{ArticleEntry, Entity, LanguageIndex};
use crate::diag::{self, Code, Diagnostic, Diagnostics};

/// The effective language of each entry: its `language:`, else the site's.
fn language_of<'a>(e: &'a ArticleEntry, site: &'a str) -> &'a str {
    e.article.language_or(site)
}

/// The entry that `written` names: an article's path under `content/articles/`
/// (`2025/offer`), else its file name when one article has it; else the hint.
fn resolve(
    written: &str,
    keys: &BTreeMap<&str, usize>,
    slugs: &BTreeMap<&str, Vec<usize>>,
    entries: &[ArticleEntry],
) -> Result<usize, String> {
    let written = written.trim_start_matches("article:");
    let written = written.strip_suffix(".md").unwrap_or(written);
    if let Some(&i) = keys.get(written) {
        return Ok(i);
    }
    match slugs.get(written).map(Vec::as_slice) {
        Some([i]) => Ok(*i),
        Some(many) => {
            let paths: Vec<&str> = many
                .iter()
                .map(|&i| entries[i].article.key.as_str())
                .collect();
            Err(format!(
                "{} articles have the file name `{written}.md`: name one by its path under content/articles/, {}",
                many.len(),
                diag::list(paths)
            ))
        }
        None => {
            let known = slugs.keys().copied().chain(keys.keys().copied());
            Err(match diag::did_you_mean(written, known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "write the file name of another article (without `.md`), or its path under content/articles/".into(),
            })
        }
    }
}

/// Per entry, the other versions of it (indexes into `entries`), ordered by language
/// tag. Problems (an unknown article, the article itself, two versions in one
/// language) are errors at the `translations:` entry.
pub(crate) fn translations(
    entries: &[ArticleEntry],
    site: &str,
    diags: &mut Diagnostics,
) -> Vec<Vec<usize>> {
    let n = entries.len();
    if entries.iter().all(|e| e.article.translations.is_empty()) {
        return vec![Vec::new(); n];
    }
    let keys: BTreeMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.article.key.as_str(), i))
        .collect();
    let mut slugs: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        slugs.entry(e.article.slug.as_str()).or_default().push(i);
    }
    // Union-find over the named pairs: a group is every version of one article.
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut named: Vec<(usize, usize, &crate::model::Located<String>)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        for t in &e.article.translations {
            match resolve(&t.value, &keys, &slugs, entries) {
                Ok(j) if j == i => diags.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        &e.article.path,
                        Some(t.span),
                        format!("article `{}` names itself as its translation", t.value),
                    )
                    .with_hint("list the other-language versions of this article, not the article"),
                ),
                Ok(j) => {
                    named.push((i, j, t));
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
                Err(hint) => diags.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        &e.article.path,
                        Some(t.span),
                        format!("unknown article `{}` in `translations`", t.value),
                    )
                    .with_hint(hint),
                ),
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut out = vec![Vec::new(); n];
    for members in groups.values().filter(|m| m.len() > 1) {
        // One version per language: the first (newest) keeps it, the others are errors
        // at the entry that brought them in.
        let mut by_language: BTreeMap<&str, usize> = BTreeMap::new();
        for &m in members {
            let tag = language_of(&entries[m], site);
            if let Some(&first) = by_language.get(tag) {
                // Where `m` was named (or names another): the place to fix.
                let (at, span) = named
                    .iter()
                    .find(|(i, j, _)| *i == m || *j == m)
                    .map_or((m, None), |&(i, _, t)| (i, Some(t.span)));
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        &entries[at].article.path,
                        span,
                        format!(
                            "two versions in `{tag}`: `{}` and `{}` are translations of one article",
                            entries[m].article.key, entries[first].article.key
                        ),
                    )
                    .with_hint("an article has one version per language: give each version its own `language:`, or remove one from `translations`"),
                );
                continue;
            }
            by_language.insert(tag, m);
        }
        for &m in by_language.values() {
            out[m] = by_language.values().copied().filter(|&o| o != m).collect();
        }
    }
    out
}

/// The per-language indexes of a site whose articles are in more than one language,
/// by tag; empty for a one-language site (whose URLs then stay as they are).
pub(crate) fn indexes(
    entries: &[ArticleEntry],
    site: &str,
    kinds: [&[Entity]; 3],
) -> Vec<LanguageIndex> {
    let mut tags: Vec<&str> = entries.iter().map(|e| language_of(e, site)).collect();
    tags.sort_unstable();
    tags.dedup();
    if tags.len() < 2 {
        return Vec::new();
    }
    let slot: BTreeMap<&str, usize> = tags.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let of: Vec<usize> = entries
        .iter()
        .map(|e| slot.get(language_of(e, site)).copied().unwrap_or(0))
        .collect();
    let mut out: Vec<LanguageIndex> = tags
        .iter()
        .map(|t| LanguageIndex {
            tag: t.to_string(),
            dir: crate::routes::dirs::language_dir(t),
            articles: Vec::new(),
            years: Vec::new(),
            entities: Default::default(),
        })
        .collect();
    for (i, &l) in of.iter().enumerate() {
        out[l].articles.push(i);
    }
    for l in &mut out {
        l.years = super::indexes::by_date(entries, &l.articles);
    }
    for (k, list) in kinds.iter().enumerate() {
        for (i, e) in list.iter().enumerate() {
            let mut counts = vec![0usize; out.len()];
            for &a in &e.articles {
                counts[of[a]] += 1;
            }
            for (l, &c) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
                out[l].entities[k].push((i, c));
            }
        }
    }
    out
}
