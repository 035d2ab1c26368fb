//! Hints for the front-matter keys other generators (Jekyll, Eleventy, Hugo, Zola,
//! WordPress exports) use, so that an imported archive's first `gloss check` says what
//! to write instead of only "unknown key".
//!
//! Input: an unknown key, its value and the keys the map accepts; output: a hint, or
//! `None` to fall back on the did-you-mean by edit distance. A mapping is offered only
//! where its gloss key is accepted (`tags` -> `topics` in an article, not in a source).

use super::yaml::{Kind, Node};

/// Keys other generators use for what gloss calls by another name.
const RENAMED: &[(&str, &str)] = &[
    ("tags", "topics"),
    ("categories", "topics"),
    ("keywords", "topics"),
    ("excerpt", "summary"),
    ("description", "summary"),
    ("author", "authors"),
    ("lastmod", "updated"),
    ("last_modified", "updated"),
    ("modified", "updated"),
    ("updated_at", "updated"),
    ("pubdate", "date"),
    ("publishdate", "date"),
    ("redirect_from", "aliases"),
    ("lang", "language"),
    ("locale", "language"),
];

/// Keys with no gloss equivalent, and what gloss does instead.
const NO_EQUIVALENT: &[(&str, &str)] = &[
    (
        "layout",
        "gloss has no per-page layout: every article is rendered with the theme's article \
         template; move it under `extra:` if a template should read it",
    ),
    (
        "permalink",
        "gloss builds an article's URL from its file name and `permalinks.article` in \
         site.yaml: rename the file to the slug you want, or set that pattern",
    ),
    (
        "slug",
        "the slug is the file name (`<slug>.md`): rename the file instead",
    ),
    (
        "image",
        "gloss has no lead-image key here: move it under `extra:` (`extra: { image: … }`) for \
         a template to use",
    ),
    (
        "redirect_from",
        "gloss does not redirect old paths here: move the list under `extra:` so it is kept",
    ),
    (
        "aliases",
        "gloss does not redirect old paths here: move the list under `extra:` so it is kept",
    ),
    (
        "translationkey",
        "gloss names an article's other-language versions with `translations:` (their \
         file names, on one version: the others follow): write e.g. \
         `translations: [post-es, post-fr]`",
    ),
];

/// A hint for the unknown `key` (holding `value`) of a map that accepts `known`.
pub(crate) fn hint(key: &str, value: &Node, known: &[&str]) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    if let Some(same) = known.iter().find(|k| normalised(k) == normalised(key)) {
        return Some(if lower == *same {
            format!("keys are lower-case in gloss: write `{same}`")
        } else {
            format!("gloss spells it `{same}`")
        });
    }
    if lower == "published"
        && let Kind::Bool(b) = value.kind
        && known.contains(&"draft")
    {
        return Some(if b {
            "gloss publishes every file that is not a draft: remove `published: true`".into()
        } else {
            "gloss marks unpublished files as drafts: write `draft: true`".into()
        });
    }
    let renamed = RENAMED
        .iter()
        .find(|(from, to)| *from == lower && known.contains(to));
    if let Some(&(_, to)) = renamed {
        return Some(renamed_hint(&lower, to, value));
    }
    let instead = NO_EQUIVALENT.iter().find(|(from, _)| *from == lower);
    instead.map(|(_, what)| what.to_string())
}

/// `baseURL` and `base_url` compare equal: case and `_`/`-` do not matter.
fn normalised(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn renamed_hint(from: &str, to: &str, value: &Node) -> String {
    match to {
        "topics" => {
            let mut ids: Vec<String> = Vec::new();
            for name in names(value, true) {
                let id = slug::slugify(&name);
                if !id.is_empty() && !ids.contains(&id) {
                    ids.push(id);
                }
            }
            format!(
                "gloss calls them `topics`, with slugs as ids (a topic's page gets its name \
                 from `content/topics/<id>.md`): write `topics: [{}]`",
                ids.join(", ")
            )
        }
        "authors" => {
            let list: Vec<String> = names(value, false).iter().map(|n| flow_item(n)).collect();
            format!(
                "gloss takes a list of `authors`: write `authors: [{}]`",
                list.join(", ")
            )
        }
        "summary" => format!(
            "gloss calls it `summary` (shown in lists, feeds and link previews; by default the \
             first paragraph): rename `{from}` to `summary`"
        ),
        "aliases" => format!("gloss calls them `aliases`: rename `{from}` to `aliases`"),
        _ => format!("gloss calls it `{to}`: rename `{from}` to `{to}`"),
    }
}

/// The names a value lists: a list's items, or a text split at commas (and, for tags,
/// at spaces, as Jekyll reads `tags: a b`).
fn names(value: &Node, split_words: bool) -> Vec<String> {
    let scalar = |n: &Node| match &n.kind {
        Kind::Str(s) => Some(s.clone()),
        Kind::Int(i) => Some(i.to_string()),
        _ => None,
    };
    match &value.kind {
        Kind::Seq(items) => items.iter().filter_map(scalar).collect(),
        Kind::Str(s) if s.contains(',') => s.split(',').map(|p| p.trim().to_string()).collect(),
        Kind::Str(s) if split_words => s.split_whitespace().map(String::from).collect(),
        _ => scalar(value).into_iter().collect(),
    }
}

/// `name` as an item of a YAML flow list, quoted when it would not read back as written.
fn flow_item(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '\''))
        && !name.starts_with([' ', '-', '\''])
        && !name.ends_with(' ');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    const ARTICLE: &[&str] = &[
        "title", "date", "updated", "summary", "authors", "topics", "draft", "extra",
    ];

    fn node(kind: Kind) -> Node {
        Node {
            kind,
            span: Span::new(1, 1, 1),
        }
    }

    fn text(s: &str) -> Node {
        node(Kind::Str(s.into()))
    }

    fn list(items: &[&str]) -> Node {
        node(Kind::Seq(items.iter().map(|s| text(s)).collect()))
    }

    fn hint_of(key: &str, value: Node) -> String {
        hint(key, &value, ARTICLE).unwrap_or_else(|| panic!("no hint for {key}"))
    }

    #[test]
    fn tags_and_categories_become_topic_slugs() {
        let h = hint_of("tags", list(&["Open Source", "design", "open source"]));
        assert!(h.ends_with("write `topics: [open-source, design]`"), "{h}");
        let h = hint_of("categories", text("news 18F"));
        assert!(h.ends_with("write `topics: [news, 18f]`"), "{h}");
        let h = hint_of("tags", text("Open Data, APIs"));
        assert!(h.ends_with("write `topics: [open-data, apis]`"), "{h}");
        assert!(hint("tags", &text("x"), &["title", "extra"]).is_none());
    }

    #[test]
    fn excerpt_description_and_author_name_their_gloss_keys() {
        for key in ["excerpt", "description"] {
            let h = hint_of(key, text("A summary"));
            assert!(
                h.contains("`summary`") && h.contains(&format!("rename `{key}`")),
                "{h}"
            );
        }
        let h = hint_of("author", text("Jane Doe"));
        assert!(h.ends_with("write `authors: [Jane Doe]`"), "{h}");
        let h = hint_of("author", list(&["A, B", "C"]));
        assert!(h.ends_with("write `authors: [\"A, B\", C]`"), "{h}");
        assert!(hint_of("lastmod", text("2025-01-01")).contains("`updated`"));
    }

    #[test]
    fn case_and_spelling_differences() {
        assert_eq!(
            hint_of("Title", text("x")),
            "keys are lower-case in gloss: write `title`"
        );
        assert_eq!(
            hint("baseURL", &text("x"), &["base_url", "title"]).as_deref(),
            Some("gloss spells it `base_url`")
        );
    }

    #[test]
    fn keys_without_an_equivalent_say_what_gloss_does() {
        assert!(hint_of("layout", text("post")).contains("move it under `extra:`"));
        assert!(hint_of("permalink", text("/x/")).contains("permalinks.article"));
        assert!(hint_of("image", text("a.png")).contains("`extra:`"));
        assert!(hint_of("redirect_from", list(&["/a/"])).contains("`extra:`"));
        let with_aliases = ["title", "aliases", "extra"];
        assert_eq!(
            hint("redirect_from", &list(&["/a/"]), &with_aliases).as_deref(),
            Some("gloss calls them `aliases`: rename `redirect_from` to `aliases`")
        );
        assert!(hint_of("published", node(Kind::Bool(false))).contains("`draft: true`"));
        assert!(hint("hero", &text("x"), ARTICLE).is_none());
        // Issue 18: Hugo's and Zola's language keys.
        let article = ["title", "language", "translations", "extra"];
        assert_eq!(
            hint("lang", &text("es"), &article).as_deref(),
            Some("gloss calls it `language`: rename `lang` to `language`")
        );
        assert!(
            hint("translationKey", &text("x"), &article)
                .is_some_and(|h| h.contains("`translations: [post-es, post-fr]`"))
        );
    }
}
