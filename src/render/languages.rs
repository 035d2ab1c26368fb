//! The views of a multilingual archive: an article's links to its other-language
//! versions, the `hreflang` alternates of a page, and the lists of one language (its
//! home, archive and indexes under `es/`).
//!
//! Input: the archive's translation groups and [`crate::link::LanguageIndex`]es; output:
//! template values. A site in one language has no language lists and no alternates,
//! so its pages are what they were.

use serde::Serialize;
use serde_json::json;
use tera::Context;

use super::pages::{archive_index, article_list, entity_index, year_or_month};
use super::views::Shared;
use crate::link::EntityKind;
use crate::routes::dirs::ARCHIVE;
use crate::routes::plan::{Job, Listing, page_range};

/// One other-language version of an article, as its page links it.
#[derive(Debug, Serialize)]
pub(crate) struct TranslationView<'a> {
    /// Its language's tag.
    lang: &'a str,
    /// `ltr` or `rtl`.
    dir: &'static str,
    /// The language's name in itself (`Español`).
    name: String,
    /// Its headline.
    title: &'a str,
    /// Href from the root.
    href: String,
}

/// The other-language versions of article `i`, by tag.
pub(crate) fn translations<'a>(s: &Shared<'a>, i: usize) -> Vec<TranslationView<'a>> {
    let a = s.archive;
    a.articles[i]
        .translations
        .iter()
        .map(|&j| TranslationView {
            lang: s.lang_of(j),
            dir: crate::lang::dir(s.lang_of(j)),
            name: s.i18n.language_name(s.lang_of(j)),
            title: &a.articles[j].article.title,
            href: s.href(&a.articles[j].dir),
        })
        .collect()
}

/// A `<link rel="alternate" hreflang>` of a page.
#[derive(Debug, Serialize)]
pub(crate) struct Alternate {
    /// The tag, or `x-default`.
    lang: String,
    /// Absolute URL.
    url: String,
}

/// The versions of the page of `job` in every language it has, itself included, and
/// `x-default` (the version in the site's language, else the first): an article with
/// translations, and on a multilingual site the home page, the archive index and the
/// indexes of people, topics and outlets with each language's. Empty otherwise.
pub(crate) fn alternates(s: &Shared<'_>, job: Job) -> Vec<Alternate> {
    let a = s.archive;
    let site = a.config.language.as_str();
    let mut versions: Vec<(String, String)> = match job {
        Job::Article(i) if !a.articles[i].translations.is_empty() => {
            let mut group: Vec<usize> = a.articles[i].translations.clone();
            group.push(i);
            let mut v: Vec<(String, String)> = group
                .iter()
                .map(|&j| (s.lang_of(j).to_string(), s.url(&a.articles[j].dir)))
                .collect();
            v.sort();
            let default = v
                .iter()
                .find(|(l, _)| l == site)
                .or(v.first())
                .map(|(_, u)| u.clone());
            if let Some(u) = default {
                v.push(("x-default".into(), u));
            }
            return v
                .into_iter()
                .map(|(lang, url)| Alternate { lang, url })
                .collect();
        }
        _ if a.languages.is_empty() => return Vec::new(),
        Job::Home(1) | Job::Language(_, Listing::Home(1)) => language_versions(s, ""),
        Job::ArchiveIndex | Job::Language(_, Listing::Archive) => language_versions(s, ARCHIVE),
        Job::EntityIndex(kind) | Job::Language(_, Listing::Entities(kind)) => {
            language_versions(s, &format!("{}/", kind.folder()))
        }
        _ => return Vec::new(),
    };
    // The lists of every language together: the site's own, not one language's.
    let all = versions.remove(0).1;
    versions.push(("x-default".into(), s.url(&all)));
    versions
        .into_iter()
        .map(|(lang, url)| Alternate { lang, url })
        .collect()
}

/// The all-languages page at `rest` (first, its dir) and each language's version of it
/// (tag, absolute URL).
fn language_versions(s: &Shared<'_>, rest: &str) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), rest.to_string())];
    v.extend(
        s.archive
            .languages
            .iter()
            .map(|l| (l.tag.clone(), s.url(&format!("{}{rest}", l.dir)))),
    );
    v
}

/// The indexes a home page links to, each `{key, href}`: the site's, or under
/// language `l`'s folder those it has (its archive, people, topics and outlets; the
/// quotes and search are the site's).
pub(crate) fn index_links(s: &Shared<'_>, l: Option<usize>) -> Vec<serde_json::Value> {
    let prefix = l.map_or("", |l| s.archive.languages[l].dir.as_str());
    [
        ("articles", prefix.to_string()),
        ("people", format!("{prefix}people/")),
        ("quotes", "quotes/".to_string()),
        ("topics", format!("{prefix}topics/")),
        ("outlets", format!("{prefix}outlets/")),
        ("archive", format!("{prefix}{ARCHIVE}")),
        ("search", "search/".to_string()),
    ]
    .into_iter()
    .map(|(key, dir)| json!({"key": key, "href": s.href(&dir)}))
    .collect()
}

/// The context of a list of language `l` at `d`.
pub(crate) fn listing(s: &Shared<'_>, l: usize, listing: Listing, d: &str, ctx: &mut Context) {
    let a = s.archive;
    let lang = &a.languages[l];
    let tag = lang.tag.as_str();
    let per = a.config.paginate;
    ctx.insert("feed_href", &format!("{}feed.xml", lang.dir));
    match listing {
        Listing::Home(k) => {
            let page = &lang.articles[page_range(lang.articles.len(), k, per)];
            article_list(
                s,
                ctx,
                page,
                lang.articles.len(),
                k,
                &lang.dir,
                &a.config.title,
            );
            let quotes: usize = lang
                .articles
                .iter()
                .map(|&i| a.articles[i].article.quotes.len())
                .sum();
            let counts = json!({"articles": lang.articles.len(), "people": lang.entities_of(EntityKind::Person).len(), "quotes": quotes, "topics": lang.entities_of(EntityKind::Topic).len(), "outlets": lang.entities_of(EntityKind::Outlet).len()});
            ctx.insert("counts", &counts);
            ctx.insert("indexes", &index_links(s, Some(l)));
            ctx.insert("language", tag);
            ctx.insert("language_name", &s.i18n.language_name(tag));
        }
        Listing::Archive => archive_index(s, ctx, &lang.years, &lang.dir, d, tag),
        Listing::Year(y, k) => year_or_month(s, ctx, &lang.years, &lang.dir, (y, None, k), tag),
        Listing::Month(y, m, k) => {
            year_or_month(s, ctx, &lang.years, &lang.dir, (y, Some(m), k), tag);
        }
        Listing::Entities(kind) => entity_index(s, ctx, kind, lang.entities_of(kind), d, tag),
        Listing::Feed => {}
    }
}

/// The strings `search.js` shows, in `lang`, as the JSON of the search form's
/// `data-i18n` (the script has English of its own for a theme without it).
pub(crate) fn search_strings(s: &Shared<'_>, lang: &str) -> String {
    let keys = [
        "search_kind_article",
        "search_kind_person",
        "search_kind_topic",
        "search_kind_outlet",
        "search_quote_n",
        "search_too_short",
        "search_nothing",
        "search_failed",
        "search_the_filters",
        "search_up_to",
    ];
    let mut map = serde_json::Map::new();
    for key in keys {
        map.insert(key.into(), s.t(lang, key).into());
    }
    // The plural forms of the count by CLDR category: the script picks one with the
    // browser's `Intl.PluralRules` for the page's language.
    map.insert(
        "search_results".into(),
        serde_json::to_value(s.i18n.forms(lang, "search_results")).unwrap_or_default(),
    );
    serde_json::Value::Object(map).to_string()
}
