//! JSON-LD (schema.org) for each kind of page, serialised to a string that is safe
//! inside `<script type="application/ld+json">`.

use serde_json::{Value, json};

use super::views::Shared;
use crate::link::{ArticleEntry, Entity, EntityKind};
use crate::model::AnnotationKind;

/// Serialises `v`, escaping `<` so no `</script>` can close the element early.
pub(crate) fn to_script(v: &Value) -> String {
    let text = v.to_string();
    // Most pages have no `<` in their JSON-LD: no second copy for them.
    if text.contains('<') {
        text.replace('<', "\\u003c")
    } else {
        text
    }
}

/// `NewsArticle` with its quotes (`Quotation`) and fact-checks (`ClaimReview`).
pub(crate) fn article(s: &Shared<'_>, i: usize) -> Value {
    let e: &ArticleEntry = &s.archive.articles[i];
    let a = &e.article;
    let url = s.url(&e.dir);
    let person = |p: usize| {
        let p = &s.archive.people[p];
        json!({"@type": "Person", "name": p.name, "url": s.url(&p.dir)})
    };
    let citations: Vec<Value> = a
        .sources
        .iter()
        .map(|(k, src)| {
            let mut c = json!({"@type": "CreativeWork", "name": src.title.as_deref().unwrap_or(k.as_str())});
            if let Some(u) = &src.url {
                c["url"] = json!(u);
            }
            if let Some(u) = &src.archived {
                c["archivedAt"] = json!(u);
            }
            c
        })
        .collect();
    let quotes: Vec<Value> = a
        .quotes
        .iter()
        .enumerate()
        .map(|(j, q)| {
            let mut v = json!({"@type": "Quotation", "text": q.text.value, "spokenByCharacter": person(e.quote_speakers[j]), "url": format!("{url}#quote-{}", j + 1)});
            if let Some(d) = q.said {
                v["dateCreated"] = json!(d.to_string());
            }
            v
        })
        .collect();
    let reviews: Vec<Value> = a
        .annotations
        .iter()
        .filter(|n| n.kind == AnnotationKind::FactCheck && n.verdict.rating.is_some())
        .map(|n| {
            let mut claim = json!({"@type": "Claim"});
            if let Some(on) = &n.on {
                claim["text"] = json!(on.value);
            }
            json!({"@type": "ClaimReview", "url": url, "itemReviewed": claim, "author": {"@type": "Organization", "name": s.archive.config.title}, "reviewRating": {"@type": "Rating", "alternateName": n.verdict.rating}})
        })
        .collect();
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "url": url,
        "datePublished": a.date.rfc3339,
        "dateModified": a.updated.as_ref().unwrap_or(&a.date).rfc3339,
        "description": e.summary,
        "about": e.topics.iter().map(|&t| json!({"@type": "Thing", "name": s.archive.topics[t].name})).collect::<Vec<_>>(),
        "mentions": e.mentions.iter().map(|&p| person(p)).collect::<Vec<_>>(),
        "citation": citations,
        "hasPart": quotes,
    });
    if !a.authors.is_empty() {
        v["author"] = json!(
            a.authors
                .iter()
                .map(|n| json!({"@type": "Person", "name": n}))
                .collect::<Vec<_>>()
        );
    }
    if let Some(d) = &a.dateline {
        v["dateline"] = json!(d);
    }
    if !reviews.is_empty() {
        v["review"] = json!(reviews);
    }
    v
}

/// `Person`, `Thing` (topic) or `Organization` (outlet), on a `ProfilePage`/`CollectionPage`.
pub(crate) fn entity(s: &Shared<'_>, e: &Entity) -> Value {
    let url = s.url(&e.dir);
    let mut main = match e.kind {
        EntityKind::Person => json!({"@type": "Person", "name": e.name}),
        EntityKind::Topic => json!({"@type": "Thing", "name": e.name}),
        EntityKind::Outlet => json!({"@type": "Organization", "name": e.name}),
    };
    if let Some(role) = &e.role {
        main["jobTitle"] = json!(role);
    }
    if let Some(p) = &e.profile {
        let mut same_as: Vec<String> = p
            .wikidata
            .iter()
            .map(|q| format!("https://www.wikidata.org/wiki/{q}"))
            .collect();
        same_as.extend(p.links.iter().cloned());
        same_as.extend(p.url.iter().cloned());
        if !same_as.is_empty() {
            main["sameAs"] = json!(same_as);
        }
        if !p.aliases.is_empty() {
            main["alternateName"] = json!(p.aliases);
        }
    }
    let page_type = if e.kind == EntityKind::Person {
        "ProfilePage"
    } else {
        "CollectionPage"
    };
    json!({"@context": "https://schema.org", "@type": page_type, "url": url, "name": e.name, "mainEntity": main})
}

/// A `CollectionPage` listing `items` (absolute URLs).
pub(crate) fn collection(s: &Shared<'_>, dir: &str, name: &str, items: &[String]) -> Value {
    let list: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, u)| json!({"@type": "ListItem", "position": i + 1, "url": u}))
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "url": s.url(dir),
        "name": name,
        "mainEntity": {"@type": "ItemList", "itemListElement": list},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_can_close_the_script_element() {
        let v = json!({"headline": "a </script><script>alert(1)</script>"});
        let out = to_script(&v);
        assert!(!out.contains('<'), "{out}");
        let back: Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(back, v, "still the same JSON");
        assert_eq!(to_script(&json!({"a": "b"})), r#"{"a":"b"}"#);
    }
}
