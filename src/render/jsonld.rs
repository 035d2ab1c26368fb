//! JSON-LD (schema.org) for each kind of page, serialised to a string that is safe
//! inside `<script type="application/ld+json">`.
//!
//! Each schema.org type is a struct (its `@type` the variant name of [`Schema`]), written
//! straight to text: no intermediate JSON tree is built for the 10^5 pages of an archive.

use serde::Serialize;

use super::views::Shared;
use crate::link::{ArticleEntry, Entity, EntityKind};
use crate::model::AnnotationKind;

/// A top-level JSON-LD object: the schema.org context and one thing.
#[derive(Serialize)]
pub(crate) struct Document<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(flatten)]
    thing: Schema<'a>,
}

impl<'a> From<Schema<'a>> for Document<'a> {
    fn from(thing: Schema<'a>) -> Self {
        Document {
            context: "https://schema.org",
            thing,
        }
    }
}

/// The schema.org types gloss writes; the variant is the `@type`.
#[derive(Serialize)]
#[serde(tag = "@type", rename_all_fields = "camelCase")]
pub(crate) enum Schema<'a> {
    NewsArticle {
        headline: &'a str,
        url: &'a str,
        date_published: &'a str,
        date_modified: &'a str,
        description: &'a str,
        /// The article's language (BCP 47).
        in_language: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        dateline: Option<&'a str>,
        /// The lead image's absolute URL (boxed: the variant stays within clippy's
        /// size bound of the others).
        #[serde(skip_serializing_if = "Option::is_none")]
        image: Option<Box<str>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        author: Vec<Schema<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        about: Vec<Schema<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        mentions: Vec<Schema<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        citation: Vec<Schema<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        has_part: Vec<Schema<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        review: Vec<Schema<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        correction: Vec<Schema<'a>>,
    },
    /// A correction of the article's text (a `correction` annotation).
    CorrectionComment {
        /// The note as plain text.
        text: String,
        date_published: &'a str,
        /// The note in the article page.
        url: String,
    },
    Person {
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        job_title: Option<&'a str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        same_as: Vec<String>,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        alternate_name: &'a [String],
    },
    /// A topic.
    Thing {
        name: &'a str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        same_as: Vec<String>,
    },
    Organization {
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<&'a str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        same_as: Vec<String>,
    },
    /// A source the article cites.
    CreativeWork {
        /// The source's entry in the article page's list of sources, so a quote can
        /// name its source by reference instead of repeating it.
        #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        archived_at: Option<&'a str>,
        /// The outlet that published it.
        #[serde(skip_serializing_if = "Option::is_none")]
        publisher: Option<Box<Schema<'a>>>,
        /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
        #[serde(skip_serializing_if = "Option::is_none")]
        date_published: Option<String>,
    },
    Quotation {
        text: &'a str,
        spoken_by_character: Box<Schema<'a>>,
        url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        date_created: Option<String>,
        /// The source that reports the quote: a reference to one of the article's
        /// `citation`s (a node of the same document).
        #[serde(skip_serializing_if = "Option::is_none")]
        is_based_on: Option<NodeRef>,
        /// The language of `text`, when known apart from the article's.
        #[serde(skip_serializing_if = "Option::is_none")]
        in_language: Option<&'a str>,
        /// The words as said, when `text` translates them: a `Quotation` in their
        /// language.
        #[serde(skip_serializing_if = "Option::is_none")]
        translation_of_work: Option<Box<Schema<'a>>>,
    },
    ClaimReview {
        /// The fact-check's note in the article page.
        url: String,
        /// The claim as stated (`claim:`), else the annotated passage.
        #[serde(skip_serializing_if = "Option::is_none")]
        claim_reviewed: Option<&'a str>,
        /// The article's date: the review is published with it.
        date_published: &'a str,
        item_reviewed: Box<Schema<'a>>,
        /// The site that publishes the review.
        author: Box<Schema<'a>>,
        review_rating: Box<Schema<'a>>,
    },
    Claim {
        /// Who made the claim.
        #[serde(skip_serializing_if = "Option::is_none")]
        author: Option<Box<Schema<'a>>>,
        /// Where the claim was made: the fact-check's sources, as references to the
        /// article's `citation`s.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        appearance: Vec<NodeRef>,
    },
    Rating {
        alternate_name: &'a str,
    },
    ProfilePage {
        url: String,
        name: &'a str,
        main_entity: Box<Schema<'a>>,
    },
    CollectionPage {
        url: String,
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        main_entity: Option<Box<Schema<'a>>>,
    },
    ItemList {
        item_list_element: Vec<Schema<'a>>,
    },
    ListItem {
        position: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<&'a str>,
        /// A breadcrumb's page.
        #[serde(skip_serializing_if = "Option::is_none")]
        item: Option<String>,
    },
    BreadcrumbList {
        item_list_element: Vec<Schema<'a>>,
    },
    WebPage {
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    },
}

/// A reference to a node defined elsewhere in the same JSON-LD document (`{"@id": …}`).
#[derive(Serialize)]
pub(crate) struct NodeRef {
    #[serde(rename = "@id")]
    id: String,
}

impl<'a> Schema<'a> {
    /// A `Person` known by name (and page) only.
    fn person(name: &'a str, url: Option<String>) -> Schema<'a> {
        Schema::Person {
            name,
            url,
            job_title: None,
            same_as: Vec::new(),
            alternate_name: &[],
        }
    }
}

/// Serialises `doc`, escaping `<` so no `</script>` can close the element early.
pub(crate) fn to_script<'a>(doc: impl Into<Document<'a>>) -> String {
    let doc = doc.into();
    // Serialising structs of strings cannot fail; an empty object is still valid JSON-LD.
    let text = serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into());
    // Most pages have no `<` in their JSON-LD: no second copy for them.
    if text.contains('<') {
        text.replace('<', "\\u003c")
    } else {
        text
    }
}

/// The `@id`/`url` of a part of the article page: a fragment alone. A relative IRI
/// resolves against the page that holds the script (JSON-LD 1.1, section 4.1.2), so
/// `#source-a` is `<article URL>#source-a` without the article's URL written out again
/// for each citation, quote and review (issue 19).
fn fragment(id: &str) -> String {
    format!("#{id}")
}

/// `NewsArticle` with its quotes (`Quotation`) and fact-checks (`ClaimReview`).
pub(crate) fn article<'a, 's: 'a>(s: &Shared<'s>, i: usize, url: &'a str) -> Schema<'a> {
    let archive: &'a crate::link::Archive = s.archive;
    let e: &'a ArticleEntry = &archive.articles[i];
    let a = &e.article;
    let person = |p: usize| {
        let p = &archive.people[p];
        Schema::person(&p.name, Some(s.url(&p.dir)))
    };
    let source_id = |k: &crate::model::SourceKey| fragment(&format!("source-{k}"));
    let citation = a
        .sources
        .iter()
        .map(|(k, src)| {
            let mut work = source_work(s, e, k, src);
            if let Schema::CreativeWork { id, .. } = &mut work {
                *id = Some(source_id(k));
            }
            work
        })
        .collect();
    let has_part = a
        .quotes
        .iter()
        .enumerate()
        .map(|(j, q)| {
            let based_on = || {
                q.source
                    .as_ref()
                    .and_then(|k| a.sources.get_key_value(&k.value))
                    .map(|(k, _)| NodeRef { id: source_id(k) })
            };
            let original = q.original.as_ref().map(|o| {
                Box::new(Schema::Quotation {
                    text: &o.text.value,
                    spoken_by_character: Box::new(person(e.quote_speakers[j])),
                    url: fragment(&q.fragment()),
                    date_created: q.said.map(|d| d.to_string()),
                    is_based_on: based_on(),
                    in_language: Some(&o.language.value),
                    translation_of_work: None,
                })
            });
            Schema::Quotation {
                text: &q.text.value,
                spoken_by_character: Box::new(person(e.quote_speakers[j])),
                url: fragment(&q.fragment()),
                date_created: q.said.map(|d| d.to_string()),
                is_based_on: based_on(),
                in_language: None,
                translation_of_work: original,
            }
        })
        .collect();
    let review = claim_reviews(s, e);
    Schema::NewsArticle {
        headline: &a.title,
        url,
        date_published: &a.date.rfc3339,
        date_modified: &a.updated.as_ref().unwrap_or(&a.date).rfc3339,
        description: &e.summary,
        in_language: a.language_or(&archive.config.language),
        dateline: a.dateline.as_deref(),
        image: a
            .image
            .as_ref()
            .map(|img| super::views::image_view(archive, e, img).url.into()),
        author: a
            .authors
            .iter()
            .zip(&e.authors)
            .map(|(name, person)| match person {
                Some(p) => {
                    let p = &archive.people[*p];
                    Schema::person(&p.name, Some(s.url(&p.dir)))
                }
                None => Schema::person(name, None),
            })
            .collect(),
        about: e
            .topics
            .iter()
            .map(|&t| Schema::Thing {
                name: &archive.topics[t].name,
                same_as: Vec::new(),
            })
            .collect(),
        mentions: e.mentions.iter().map(|&p| person(p)).collect(),
        citation,
        has_part,
        review,
        correction: corrections(s, e),
    }
}

/// The article's `correction` annotations as `CorrectionComment`s.
fn corrections<'a>(s: &Shared<'_>, e: &'a ArticleEntry) -> Vec<Schema<'a>> {
    let a = &e.article;
    a.annotations
        .iter()
        .filter(|n| n.kind == AnnotationKind::Correction)
        .map(|n| Schema::CorrectionComment {
            text: super::sources::plain_note(&n.note, &s.archive.config),
            date_published: &a.correction_date(n).rfc3339,
            url: fragment(&n.fragment()),
        })
        .collect()
}

/// A source of article `e` as a `CreativeWork`: its title, URLs, outlet (as publisher)
/// and publication date.
fn source_work<'a, 's: 'a>(
    s: &Shared<'s>,
    e: &'a ArticleEntry,
    key: &'a crate::model::SourceKey,
    src: &'a crate::model::Source,
) -> Schema<'a> {
    let outlet = e
        .article
        .sources
        .get_index_of(key)
        .and_then(|j| e.source_outlets[j]);
    Schema::CreativeWork {
        id: None,
        name: src.title.as_deref().unwrap_or(key.as_str()),
        url: src.url.as_deref(),
        archived_at: src.archived.as_deref(),
        publisher: outlet.map(|o| {
            Box::new(Schema::Organization {
                name: &s.archive.outlets[o].name,
                url: None,
                same_as: Vec::new(),
            })
        }),
        date_published: src.published.map(|d| d.to_string()),
    }
}

/// A `ClaimReview` per rated fact-check of article `e` (at `url`): the claim as stated
/// (else the passage), the claimant, where the claim appeared (the fact-check's sources,
/// else the source of the quote holding the passage), the rating, and the site as author.
/// A fact-check without a rating has none (a warning when loading says so).
fn claim_reviews<'a, 's: 'a>(s: &Shared<'s>, e: &'a ArticleEntry) -> Vec<Schema<'a>> {
    let a = &e.article;
    let config = &s.archive.config;
    let sources_of = |n: &'a crate::model::Annotation| -> Vec<&'a crate::model::SourceKey> {
        if !n.sources.is_empty() {
            return n.sources.iter().map(|k| &k.value).collect();
        }
        let on = n.on.as_ref().map_or("", |o| o.value.as_str());
        a.quotes
            .iter()
            .filter(|q| crate::link::passage_in(&q.text.value, on))
            .filter_map(|q| q.source.as_ref().map(|k| &k.value))
            .take(1)
            .collect()
    };
    a.annotations
        .iter()
        .zip(&e.claimants)
        .filter(|(n, _)| n.kind == AnnotationKind::FactCheck)
        .filter_map(|(n, claimant)| {
            let rating = n.verdict.rating.as_deref()?;
            // Every source of a fact-check is one of the article's `citation`s: named
            // by its `@id`, not written out a second time.
            let appearance = sources_of(n)
                .into_iter()
                .filter_map(|k| a.sources.get_key_value(k))
                .map(|(k, _)| NodeRef {
                    id: fragment(&format!("source-{k}")),
                })
                .collect();
            Some(Schema::ClaimReview {
                url: fragment(&n.fragment()),
                claim_reviewed: n
                    .verdict
                    .claim
                    .as_deref()
                    .or(n.on.as_ref().map(|o| o.value.as_str())),
                date_published: &a.date.rfc3339,
                item_reviewed: Box::new(Schema::Claim {
                    author: claimant.map(|p| {
                        let p = &s.archive.people[p];
                        Box::new(Schema::person(&p.name, Some(s.url(&p.dir))))
                    }),
                    appearance,
                }),
                author: Box::new(Schema::Organization {
                    name: &config.title,
                    url: Some(&config.base_url),
                    same_as: Vec::new(),
                }),
                review_rating: Box::new(Schema::Rating {
                    alternate_name: rating,
                }),
            })
        })
        .collect()
}

/// `Person`, `Thing` (topic) or `Organization` (outlet), on a `ProfilePage`/`CollectionPage` at `url`
/// (the entity's page, or one of its further pages).
pub(crate) fn entity<'a>(e: &'a Entity, url: String) -> Schema<'a> {
    let mut same_as = Vec::new();
    let mut aliases: &[String] = &[];
    if let Some(p) = &e.profile {
        same_as.extend(
            p.wikidata
                .iter()
                .map(|q| format!("https://www.wikidata.org/wiki/{q}")),
        );
        same_as.extend(p.links.iter().cloned());
        same_as.extend(p.url.iter().cloned());
        aliases = &p.aliases;
    }
    let name = e.name.as_str();
    let (main, person) = match e.kind {
        EntityKind::Person => (
            Schema::Person {
                name,
                url: None,
                job_title: e.role.as_deref(),
                same_as,
                alternate_name: aliases,
            },
            true,
        ),
        EntityKind::Topic => (Schema::Thing { name, same_as }, false),
        EntityKind::Outlet => (
            Schema::Organization {
                name,
                url: None,
                same_as,
            },
            false,
        ),
    };
    let main_entity = Box::new(main);
    if person {
        Schema::ProfilePage {
            url,
            name,
            main_entity,
        }
    } else {
        Schema::CollectionPage {
            url,
            name,
            main_entity: Some(main_entity),
        }
    }
}

/// A `CollectionPage` at `dir` listing `items` (absolute URLs), if any.
pub(crate) fn collection<'a>(
    s: &Shared<'_>,
    dir: &str,
    name: &'a str,
    items: &'a [String],
) -> Schema<'a> {
    let main_entity = (!items.is_empty()).then(|| {
        Box::new(Schema::ItemList {
            item_list_element: items
                .iter()
                .enumerate()
                .map(|(i, url)| Schema::ListItem {
                    position: i + 1,
                    url: Some(url),
                    name: None,
                    item: None,
                })
                .collect(),
        })
    });
    Schema::CollectionPage {
        url: s.url(dir),
        name,
        main_entity,
    }
}

/// A `BreadcrumbList` of `(name, absolute URL)`, from the home page down to the page
/// at `here`. A last crumb that is that page has no `item`: its URL is the page's own,
/// written already, and consumers take the containing page's URL for it (as Google's
/// breadcrumb documentation says). Page 2 of a list keeps the `item` of page 1.
pub(crate) fn breadcrumbs<'a>(trail: &[(&'a str, String)], here: &str) -> Schema<'a> {
    Schema::BreadcrumbList {
        item_list_element: trail
            .iter()
            .enumerate()
            .map(|(i, (name, url))| Schema::ListItem {
                position: i + 1,
                url: None,
                name: Some(name),
                item: (i + 1 < trail.len() || url != here).then(|| url.clone()),
            })
            .collect(),
    }
}

/// A plain `WebPage`.
pub(crate) fn web_page(name: &str, url: Option<String>) -> Schema<'_> {
    Schema::WebPage { name, url }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_can_close_the_script_element() {
        let name = "a </script><script>alert(1)</script>";
        let out = to_script(web_page(name, None));
        assert!(!out.contains('<'), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(back["name"], name, "still the same text");
        assert_eq!(
            to_script(web_page("b", None)),
            r#"{"@context":"https://schema.org","@type":"WebPage","name":"b"}"#
        );
    }

    #[test]
    fn types_are_variant_names_and_fields_are_camel_case() {
        let out = to_script(Schema::CreativeWork {
            id: Some("https://p.example/#source-a".into()),
            name: "n",
            url: Some("https://e.example/"),
            archived_at: Some("https://a.example/"),
            publisher: None,
            date_published: None,
        });
        assert_eq!(
            out,
            r#"{"@context":"https://schema.org","@type":"CreativeWork","@id":"https://p.example/#source-a","name":"n","url":"https://e.example/","archivedAt":"https://a.example/"}"#
        );
        // A reference to a node of the same document is its `@id` alone.
        assert_eq!(
            serde_json::to_string(&NodeRef {
                id: "https://p.example/#source-a".into()
            })
            .ok()
            .as_deref(),
            Some(r#"{"@id":"https://p.example/#source-a"}"#)
        );
    }
}
