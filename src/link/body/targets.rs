//! Where gloss's link schemes lead (`person:`, `topic:`, `outlet:`, `article:`,
//! `source:`, `quote:`, images): the ids of the archive a text's links resolve against,
//! and the did-you-mean hints of unknown targets, bounded per text.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::Path;

use super::super::fragments::{Outbound, Place};
use super::super::{Archive, ArticleEntry, Entity, Lookup};
use crate::diag::{self, Code, Diagnostic, Diagnostics};
use crate::markdown::{self, GlossLink, Resolved};
use crate::model::Article;
use crate::routes::dirs::{href, root_prefix};

/// Where each id leads, for resolving links.
#[derive(Clone, Copy)]
pub(super) struct Targets<'a> {
    pub(super) people: &'a [Entity],
    pub(super) topics: &'a [Entity],
    pub(super) outlets: &'a [Entity],
    pub(super) articles: &'a Lookup,
    pub(super) pretty: bool,
    /// The widths of images' resized copies.
    pub(super) images: &'a crate::model::ImageOptions,
    /// The site's language (BCP 47): the sentence rules of articles that name none.
    pub(super) language: &'a str,
    /// Where the article body being rendered notes what it looks up (a lock only to be
    /// shareable: one thread renders one body) of the other
    /// articles and the site's files (see [`super::deps`]); `None` for other texts.
    pub(super) used: Option<&'a std::sync::Mutex<super::deps::Recorder>>,
}

impl<'a> Targets<'a> {
    pub(super) fn of(archive: &'a Archive) -> Self {
        Targets {
            people: &archive.people,
            topics: &archive.topics,
            outlets: &archive.outlets,
            articles: &archive.lookup,
            pretty: archive.config.pretty_urls,
            images: &archive.config.images,
            language: &archive.config.language,
            used: None,
        }
    }

    /// True when the site writes the file `path`; noted as looked up.
    pub(super) fn has_file(&self, path: &str) -> bool {
        super::deps::file(self.used, path);
        self.articles.site_files.contains(path)
    }
}

/// The folder of entity `id` in `list` (sorted by id).
pub(super) fn entity_dir<'a>(list: &'a [Entity], id: &str) -> Option<&'a str> {
    list.binary_search_by(|e| e.id.as_str().cmp(id))
        .ok()
        .map(|i| list[i].dir.as_str())
}

/// The Markdown being rendered and where it sits in its file.
pub(super) struct Text<'a> {
    pub(super) path: &'a Path,
    /// The Markdown, by lines from the file line it starts on; `None` when positions are
    /// unknown.
    pub(super) located: Option<&'a diag::Lines<'a>>,
    /// The page it is shown on.
    pub(super) dir: &'a str,
    /// The article, for `source:` and `quote:` links.
    pub(super) article: Option<&'a ArticleEntry>,
    /// The hints given so far for unknown targets, shared by an article and its notes.
    pub(super) suggest: &'a Suggest,
    /// The `article:slug#fragment` links found so far, checked once every body is
    /// rendered.
    pub(super) outbound: &'a RefCell<Vec<Outbound>>,
    /// The output paths of the raster images shown so far, whose copies are made.
    pub(super) images: &'a RefCell<Vec<String>>,
}

impl Text<'_> {
    pub(super) fn place(&self) -> Place<'_> {
        Place {
            path: self.path,
            located: self.located,
        }
    }
}

/// Comparisons of unknown link targets with known ids that one text may make for its
/// did-you-mean hints: beyond them, hints list a few ids without looking for the closest.
pub(super) const COMPARISONS: usize = 1_000_000;

/// The hints of one text's unknown link targets: each distinct target is compared with
/// the known ids once, and the comparisons are bounded ([`COMPARISONS`]), so thousands of
/// broken links do not cost links times ids.
#[derive(Debug, Default)]
pub(in crate::link) struct Suggest {
    hints: RefCell<HashMap<String, String>>,
    compared: Cell<usize>,
}

impl Suggest {
    /// The hint for unknown `scheme:target`, among the `known` ids of `what`.
    pub(super) fn hint<'a>(
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
    pub(in crate::link) fn hint_keyed<'a>(
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
    pub(super) fn split_fragment<'t>(&self, target: &'t str) -> (&'t str, &'t str) {
        let known = |t: &str| {
            super::deps::name(self.used, t);
            self.articles.slugs.contains_key(t) || self.articles.articles.contains_key(t)
        };
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

    pub(super) fn resolve(
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
                        super::super::near_ids::link_hint(
                            &a.article,
                            link.scheme,
                            link.target,
                            |id| list.iter().any(|e| e.id == id && e.profile.is_some()),
                        )
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
    pub(super) fn article(
        &self,
        target: &str,
        link: &GlossLink<'_>,
        at: &Text<'_>,
    ) -> Result<(&'a str, &'a str), (bool, String)> {
        let lookup = self.articles;
        let used = self.used;
        super::deps::name(used, target);
        let dir = |key: &str| {
            super::deps::name(used, key);
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
                super::deps::broad(used);
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
pub(super) fn quote_fragment(a: &Article, target: &str) -> Result<String, String> {
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

pub(super) fn hint_for<'a>(
    target: &str,
    known: impl Iterator<Item = &'a str> + Clone,
    what: &str,
) -> String {
    match diag::did_you_mean(target, known.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => known_list(known, what),
    }
}

/// The first few known ids, for a hint.
pub(super) fn known_list<'a>(known: impl Iterator<Item = &'a str>, what: &str) -> String {
    let few: Vec<&str> = known.take(8).collect();
    format!(
        "known {what}: {}{}",
        diag::list(few.iter().copied()),
        if few.len() == 8 { ", ..." } else { "" }
    )
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
