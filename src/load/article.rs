//! Validates an article's front matter into a [`model::Article`], reporting every broken
//! rule of DESIGN.md §3 that can be checked within the one file.

use crate::diag::Code;
use indexmap::IndexMap;

use super::dates;
use super::ids;
use super::yaml::{Fields, Kind, Node, Reader};
use crate::diag::{self, Span};
use crate::model::{
    self, Annotation, AnnotationKind, Located, Original, OutletId, PersonId, Quote, QuoteStatus,
    Slug, Source, SourceKey, Speaker, TopicId, Verdict,
};

const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "dateline",
    "summary",
    "authors",
    "topics",
    "draft",
    "sources",
    "speakers",
    "mentions",
    "quotes",
    "annotations",
    "aliases",
    "image",
    "language",
    "translations",
    "extra",
];
const IMAGE_KEYS: &[&str] = &["src", "alt", "caption", "credit"];
const SOURCE_KEYS: &[&str] = &[
    "outlet",
    "title",
    "url",
    "published",
    "archived",
    "copy",
    "language",
];
const SPEAKER_KEYS: &[&str] = &["id", "name", "role"];
const QUOTE_KEYS: &[&str] = &[
    "id", "speaker", "text", "source", "said", "status", "language", "original",
];
const ORIGINAL_KEYS: &[&str] = &["language", "text"];
const ANNOTATION_KEYS: &[&str] = &[
    "id",
    "on",
    "kind",
    "note",
    "sources",
    "rating",
    "claimant",
    "claim",
    "occurrence",
    "date",
];

/// Reads an article from its parsed front matter (its body, from line `body_line` of
/// the file, is read again when it is rendered). Returns `None` when a required value is
/// missing or broken; every problem is in `r.diags` either way.
pub(crate) fn read(
    r: &mut Reader<'_>,
    front: &Node,
    slug: Slug,
    body_line: u32,
) -> Option<model::Article> {
    let entries = r.map(front, "the front matter")?;
    let f = r.fields(entries, ARTICLE_KEYS, "an article");
    let title =
        required(r, &f, "title", "title: \"The headline\"").and_then(|n| r.text(n, "`title`"));
    let example = date_in_name(&slug).map_or("date: 2025-12-23".into(), |d| format!("date: {d}"));
    let date = required(r, &f, "date", &example).and_then(|n| published(r, n, "date"));
    let updated = f.get("updated").and_then(|n| published(r, n, "updated"));
    if let (Some(d), Some(u), Some(node)) = (&date, &updated, f.get("updated")) {
        not_before(r, node.span, u, d, "`updated`");
    }
    let sources = f
        .get("sources")
        .map(|n| read_sources(r, n))
        .unwrap_or_default();
    let source_keys: Vec<&str> = sources.keys().map(SourceKey::as_str).collect();
    let (mut quotes, quote_ids): (Vec<Quote>, Vec<_>) = list_items(r, &f, "quotes")
        .into_iter()
        .enumerate()
        .filter_map(|(i, n)| read_quote(r, n, i + 1, &source_keys))
        .unzip();
    settle_ids(r, &mut quotes, quote_ids, "quote", |q| &mut q.id);
    let (mut annotations, note_ids): (Vec<Annotation>, Vec<_>) = list_items(r, &f, "annotations")
        .into_iter()
        .enumerate()
        .filter_map(|(i, n)| read_annotation(r, n, i + 1, &source_keys))
        .unzip();
    if let Some(d) = &date {
        for a in &annotations {
            if let Some(c) = &a.date {
                not_before(r, c.span, &c.value, d, "a correction's `date`");
            }
        }
    }
    settle_ids(r, &mut annotations, note_ids, "annotation", |a| &mut a.id);
    // Every field is read before the required ones are unwrapped, so that one run
    // reports the problems of all of them (a bad `date` does not hide a bad `topics`).
    let aliases = aliases(r, &f);
    let dateline = f.get("dateline").and_then(|n| r.text(n, "`dateline`"));
    let summary = f.get("summary").and_then(|n| r.text(n, "`summary`"));
    let authors = f
        .get("authors")
        .map(|n| r.text_list(n, "`authors`"))
        .unwrap_or_default();
    let image = f.get("image").and_then(|n| lead_image(r, n));
    let topics = ids(r, &f, "topics", "topic id")
        .into_iter()
        .map(|l| l.map(TopicId))
        .collect();
    let draft = f
        .get("draft")
        .and_then(|n| r.bool(n, "`draft`"))
        .unwrap_or(false);
    let speakers = list_items(r, &f, "speakers")
        .into_iter()
        .filter_map(|n| read_speaker(r, n))
        .collect();
    let mentions = ids(r, &f, "mentions", "person id")
        .into_iter()
        .map(|l| l.map(PersonId))
        .collect();
    let extra = f
        .get("extra")
        .map(|n| r.extra(n))
        .unwrap_or_else(|| serde_json::json!({}));
    let language = f.get("language").and_then(|n| located_language(r, n));
    let translations = list_items(r, &f, "translations")
        .into_iter()
        .filter_map(|n| {
            r.text(n, "a translation").map(|value| Located {
                value: value.trim().to_string(),
                span: n.span,
            })
        })
        .collect();
    let article = model::Article {
        slug,
        path: r.path.to_path_buf(),
        key: key_of(r.path),
        aliases,
        title: title?,
        date: date?,
        updated,
        dateline,
        summary,
        authors,
        image: image.map(Box::new),
        topics,
        draft,
        speakers,
        mentions,
        sources,
        quotes,
        annotations,
        extra,
        language,
        translations,
        body_line,
        source_hash: 0,
    };
    Some(article)
}

/// A `language:` value: a well-formed BCP 47 tag, in canonical case (`EN-us` is
/// `en-US`); anything else is an error at the value with the tag to write.
pub(crate) fn language(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    located_language(r, node).map(|l| l.value)
}

fn located_language(r: &mut Reader<'_>, node: &Node) -> Option<Located<String>> {
    let text = r.text(node, "`language`")?;
    match crate::lang::canonical(&text) {
        Ok(tag) => Some(Located {
            value: tag,
            span: node.span,
        }),
        Err(bad) => {
            let hint = match bad.suggestion {
                Some(tag) => format!("write `language: {tag}`"),
                None => "write a BCP 47 language tag: `en`, `es`, `ar`, `pt-BR`, `zh-Hant`".into(),
            };
            r.error(
                Code::InvalidValue,
                node.span,
                format!("invalid language tag `{text}`: {}", bad.problem),
                Some(hint),
            );
            None
        }
    }
}

/// The path of an article under `content/articles/` without `.md` (without `/index.md`
/// for a bundle), `/`-separated and NFC, as its slug is.
fn key_of(path: &std::path::Path) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let rel = path.strip_prefix("content/articles").unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().nfc().collect())
        .collect();
    let joined = parts.join("/");
    // A bundle (`2024/report/index.md`) is keyed by its folder, as its slug is named.
    if crate::model::bundle_dir(path).is_some() {
        return joined
            .strip_suffix("/index.md")
            .unwrap_or(&joined)
            .to_string();
    }
    joined.strip_suffix(".md").unwrap_or(&joined).to_string()
}

/// `aliases:` of an article or page: each old path as the output file of its redirect
/// page (see [`crate::routes::redirects::alias_path`]); a path that is none of this site
/// is an error at its value.
pub(crate) fn aliases(r: &mut Reader<'_>, f: &Fields<'_>) -> Vec<Located<String>> {
    let mut out = Vec::new();
    for n in list_items(r, f, "aliases") {
        let Some(text) = r.text(n, "an alias") else {
            continue;
        };
        match crate::routes::redirects::alias_path(&text) {
            Ok(path) => out.push(Located {
                value: path.as_str().to_string(),
                span: n.span,
            }),
            Err(why) => r.error(Code::InvalidValue,
                n.span,
                format!("invalid alias `{text}`: {why}"),
                Some(
                    "write the old path on this site, e.g. `/2014/03/12/coming-soon/` or `/old/page.html`"
                        .into(),
                ),
            ),
        }
    }
    out
}

/// `image: /assets/x.png` or `image: {src, alt, caption, credit}`: `src` a path of the
/// site (`/assets/x.png` or `assets/x.png`) or an http(s) address. No `alt` is a warning.
fn lead_image(r: &mut Reader<'_>, n: &Node) -> Option<model::LeadImage> {
    let (src_node, fields) = match &n.kind {
        super::yaml::Kind::Map(entries) => {
            let f = r.fields(entries, IMAGE_KEYS, "`image`");
            let Some(src) = f.get("src") else {
                r.error(
                    Code::MissingKey,
                    n.span,
                    "`image` needs `src`",
                    Some("write `image: {src: /assets/photo.jpg, alt: \"What it shows\"}`".into()),
                );
                return None;
            };
            (src, Some(f))
        }
        _ => (n, None),
    };
    let text = r.text(src_node, "`image`")?;
    let lower = text.to_ascii_lowercase();
    let src = if lower.starts_with("https://") || lower.starts_with("http://") {
        text.trim().to_string()
    } else {
        let path = text.trim().trim_start_matches('/');
        match crate::routes::OutPath::new(path) {
            Ok(p) if !text.trim().starts_with("//") && !text.contains(':') => {
                p.as_str().to_string()
            }
            _ => {
                r.error(Code::InvalidValue,
                    src_node.span,
                    format!("`image` must be a path of the site or an http(s) address, found `{text}`"),
                    Some("write e.g. `/assets/photo.jpg` (the file static/assets/photo.jpg) or `https://…`".into()),
                );
                return None;
            }
        }
    };
    let get = |r: &mut Reader<'_>, key: &str| {
        fields
            .as_ref()
            .and_then(|f| f.get(key))
            .and_then(|n| r.text(n, &format!("`image.{key}`")))
    };
    let alt = get(r, "alt");
    if alt.is_none() {
        r.diags.push(
            crate::diag::Diagnostic::new(Code::MissingAlt, r.path, Some(n.span), "the lead image has no `alt` text")
                .with_hint("add `alt:` saying what the image shows, as `image: {src: …, alt: \"…\"}`; `alt: \"\"` marks it as decorative"),
        );
    }
    Some(model::LeadImage {
        is_root_relative: text.trim().starts_with('/'),
        src: model::Located {
            value: src,
            span: src_node.span,
        },
        alt,
        caption: get(r, "caption"),
        credit: get(r, "credit"),
    })
}

/// The value of a required key, or an error at the top of the file naming what to add.
pub(crate) fn required<'n>(
    r: &mut Reader<'_>,
    f: &Fields<'n>,
    key: &str,
    example: &str,
) -> Option<&'n Node> {
    let node = f.get(key);
    if node.is_none() {
        let span = f.key(key).map_or(Span::new(1, 1, 3), |k| k.span);
        r.error(
            Code::MissingKey,
            span,
            format!("missing required key `{key}`"),
            Some(format!("add `{example}` to the front matter")),
        );
    }
    node
}

/// The date a Jekyll-style file name starts with (`2014-03-12-coming-soon`), which
/// imported posts often carry instead of a `date:` key.
fn date_in_name(slug: &Slug) -> Option<String> {
    let head = slug.0.get(..10)?;
    let rest = &slug.0[10..];
    let valid = dates::partial(head).is_some_and(|d| d.day.is_some());
    (valid && (rest.is_empty() || rest.starts_with('-'))).then(|| head.to_string())
}

fn published(r: &mut Reader<'_>, node: &Node, key: &str) -> Option<model::Published> {
    let text = r.text(node, &format!("`{key}`"))?;
    let parsed = dates::published(&text);
    if parsed.is_none() {
        let hint = dates::correction(&text, true).unwrap_or(dates::PUBLISHED_FORMS.into());
        r.error(
            Code::InvalidDate,
            node.span,
            format!("invalid date `{text}` in `{key}`"),
            Some(hint),
        );
    }
    parsed
}

/// Reports `later` (written at `span`) when it is before the article's `date`: an update
/// or a correction cannot precede the publication it changes.
fn not_before(
    r: &mut Reader<'_>,
    span: Span,
    later: &model::Published,
    date: &model::Published,
    what: &str,
) {
    if later.instant < date.instant {
        r.error(
            Code::DateBeforePublication,
            span,
            format!(
                "{what} `{}` is before the article's `date` `{}`",
                later.date, date.date
            ),
            Some(format!(
                "an update or correction comes after publication: write a date on or after {}, or correct `date`",
                date.date
            )),
        );
    }
}

fn partial(r: &mut Reader<'_>, node: &Node, what: &str) -> Option<model::PartialDate> {
    let text = r.text(node, what)?;
    let parsed = dates::partial(&text);
    if parsed.is_none() {
        let hint = dates::correction(&text, false).unwrap_or(dates::PARTIAL_FORMS.into());
        r.error(
            Code::InvalidDate,
            node.span,
            format!("invalid date `{text}` in {what}"),
            Some(hint),
        );
    }
    parsed
}

fn list_items<'n>(r: &mut Reader<'_>, f: &Fields<'n>, key: &str) -> Vec<&'n Node> {
    f.get(key)
        .map(|n| r.list(n, &format!("`{key}`")))
        .unwrap_or_default()
}

fn ids(r: &mut Reader<'_>, f: &Fields<'_>, key: &str, what: &str) -> Vec<Located<String>> {
    // `topics: a, b` is one text in YAML, not a list: say how to write the list.
    if let Some(n) = f.get(key)
        && let Kind::Str(text) = &n.kind
        && text.contains(',')
    {
        let items: Vec<String> = text
            .split(',')
            .map(slug::slugify)
            .filter(|s| !s.is_empty())
            .collect();
        r.error(
            Code::InvalidValue,
            n.span,
            format!("`{key}: {text}` is one text, not a list"),
            Some(format!("write `{key}: [{}]`", items.join(", "))),
        );
        return Vec::new();
    }
    list_items(r, f, key)
        .into_iter()
        .filter_map(|n| r.id(n, what))
        .map(|(value, span)| Located { value, span })
        .collect()
}

fn located_id(r: &mut Reader<'_>, node: &Node, what: &str) -> Option<Located<String>> {
    r.id(node, what)
        .map(|(value, span)| Located { value, span })
}

fn read_sources(r: &mut Reader<'_>, node: &Node) -> IndexMap<SourceKey, Source> {
    let mut out = IndexMap::new();
    let Some(entries) = r.map(node, "`sources`") else {
        return out;
    };
    for (key, value) in entries {
        let what = format!("source `{}`", key.name);
        let Some(fields) = r.map(value, &what) else {
            continue;
        };
        let f = r.fields(fields, SOURCE_KEYS, &what);
        let source = Source {
            outlet: f
                .get("outlet")
                .and_then(|n| located_id(r, n, "outlet id"))
                .map(|l| l.map(OutletId)),
            title: f.get("title").and_then(|n| r.text(n, "`title`")),
            url: f.get("url").and_then(|n| r.web_url(n, "`url`")),
            published: f
                .get("published")
                .and_then(|n| partial(r, n, "`published`")),
            archived: f.get("archived").and_then(|n| r.web_url(n, "`archived`")),
            copy: f.get("copy").and_then(|n| {
                r.text(n, "`copy`").map(|value| {
                    Box::new(Located {
                        value,
                        span: n.span,
                    })
                })
            }),
            language: f
                .get("language")
                .and_then(|n| located_language(r, n))
                .map(Box::new),
        };
        out.insert(SourceKey(key.name.clone()), source);
    }
    out
}

fn read_speaker(r: &mut Reader<'_>, node: &Node) -> Option<Speaker> {
    if let Kind::Map(entries) = &node.kind {
        let f = r.fields(entries, SPEAKER_KEYS, "a speaker");
        let id = match f.get("id") {
            Some(n) => located_id(r, n, "person id"),
            None => {
                let hint = Some("write `{ id: person-id, role: ... }`".to_string());
                r.error(Code::MissingKey, node.span, "speaker has no `id`", hint);
                None
            }
        };
        return Some(Speaker {
            id: id?.map(PersonId),
            name: f.get("name").and_then(|n| r.text(n, "`name`")),
            role: f.get("role").and_then(|n| r.text(n, "`role`")),
        });
    }
    Some(Speaker {
        id: located_id(r, node, "person id")?.map(PersonId),
        name: None,
        role: None,
    })
}

fn source_ref(
    r: &mut Reader<'_>,
    node: &Node,
    what: &str,
    keys: &[&str],
) -> Option<Located<SourceKey>> {
    let text = r.text(node, "a source key")?;
    if !keys.contains(&text.as_str()) {
        let mut hint = format!(
            "sources of this article: {}",
            diag::list(keys.iter().copied())
        );
        if let Some(best) = diag::did_you_mean(&text, keys.iter().copied()) {
            hint.push_str(&format!("; did you mean `{best}`?"));
        } else if keys.is_empty() {
            hint = format!("add `{text}` under `sources:` of this article");
        }
        r.error(
            Code::UnknownSource,
            node.span,
            format!("unknown source `{text}` in {what}"),
            Some(hint),
        );
        return None;
    }
    Some(Located {
        value: SourceKey(text),
        span: node.span,
    })
}

/// The `id:` of a quote or annotation, if written and valid: a slug with a letter (a
/// number would read as a position in `quote:N`).
fn written_id(r: &mut Reader<'_>, f: &Fields<'_>, what: &str) -> Option<(String, Span)> {
    let node = f.get("id")?;
    let (id, span) = r.id(node, &format!("{what} id"))?;
    if id.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        r.error(Code::InvalidId,
            span,
            format!("invalid {what} id `{id}`: it has no letter"),
            Some(format!(
                "an id needs a letter, so that `quote:N` stays the Nth quote: write e.g. `{what}-{}`",
                id.trim_matches('-')
            )),
        );
        return None;
    }
    Some((id, span))
}

/// Gives every item its final id (see [`ids::assign`]) and reports clashes between ids
/// written in front matter, or with another item's default, at the `id:` value.
/// `written` is, per item, the `id:` it has, else its default and `None`.
fn settle_ids<T>(
    r: &mut Reader<'_>,
    items: &mut [T],
    written: Vec<ids::Candidate>,
    what: &str,
    id_of: impl Fn(&mut T) -> &mut String,
) {
    let (final_ids, clashes) = ids::assign(&written);
    for (item, id) in items.iter_mut().zip(final_ids) {
        *id_of(item) = id;
    }
    for c in clashes {
        let (message, hint) = if c.other_default {
            (
                format!(
                    "{what} id `{}` is already the default id of {what} {}",
                    c.id, c.other
                ),
                format!(
                    "{what} {} is published as `{}` (from its words): choose another id here, or give {what} {} an `id:` of its own",
                    c.other, c.id, c.other
                ),
            )
        } else {
            (
                format!(
                    "duplicate {what} id `{}`: {what} {} has it too",
                    c.id, c.other
                ),
                "ids must differ within an article: choose another one".to_string(),
            )
        };
        r.error(Code::InvalidId, c.span, message, Some(hint));
    }
}

fn read_quote(
    r: &mut Reader<'_>,
    node: &Node,
    n: usize,
    keys: &[&str],
) -> Option<(Quote, ids::Candidate)> {
    let what = format!("quote {n}");
    let entries = r.map(node, &what)?;
    let f = r.fields(entries, QUOTE_KEYS, "a quote");
    let written = written_id(r, &f, "quote");
    let speaker =
        required_in(r, &f, node, "speaker", &what).and_then(|n| located_id(r, n, "person id"));
    let text = required_in(r, &f, node, "text", &what).and_then(|n| {
        r.text(n, "`text`").map(|value| Located {
            value,
            span: n.span,
        })
    });
    let source = f.get("source").and_then(|n| source_ref(r, n, &what, keys));
    if f.key("source").is_none() {
        let hint = if keys.is_empty() {
            "add the source under `sources:`, e.g. `sources: {fox: {title: \"The report\"}}`, and name it here with `source: fox`".to_string()
        } else {
            format!(
                "add `source:` naming where it was said: {}",
                diag::list(keys.iter().copied())
            )
        };
        r.warn(
            Code::QuoteWithoutSource,
            f.key("speaker").map_or(node.span, |k| k.span),
            format!("{what} has no `source`"),
            hint,
        );
    }
    let said = f.get("said").and_then(|n| partial(r, n, "`said`"));
    let original = f.get("original").and_then(|n| read_original(r, n, &what));
    let language = f.get("language").and_then(|n| language(r, n));
    let status = match f.get("status") {
        None => QuoteStatus::Sourced,
        Some(n) => {
            let s = r.text(n, "`status`")?;
            match s.as_str() {
                "sourced" => QuoteStatus::Sourced,
                "disputed" => QuoteStatus::Disputed,
                "misattributed" => QuoteStatus::Misattributed,
                _ => {
                    let hint = diag::hint_choices("write one of", &s, &QuoteStatus::NAMES);
                    r.error(
                        Code::InvalidValue,
                        n.span,
                        format!("unknown quote status `{s}`"),
                        Some(hint),
                    );
                    return None;
                }
            }
        }
    };
    let (speaker, text) = (speaker?.map(PersonId), text?);
    let candidate = ids::Candidate::new(written, || {
        ids::default_quote_id(speaker.value.as_str(), &text.value)
    });
    let quote = Quote {
        id: String::new(),
        speaker,
        text,
        source,
        said,
        status,
        original: original.map(Box::new),
        language,
    };
    Some((quote, candidate))
}

/// A quote's `original: {language, text}`.
fn read_original(r: &mut Reader<'_>, node: &Node, quote: &str) -> Option<Original> {
    let what = format!("the original of {quote}");
    let entries = r.map(node, &what)?;
    let f = r.fields(entries, ORIGINAL_KEYS, "a quote's original");
    let language = required_in(r, &f, node, "language", &what).and_then(|n| located_language(r, n));
    let text = required_in(r, &f, node, "text", &what).and_then(|n| {
        r.text(n, "`text`").map(|value| Located {
            value,
            span: n.span,
        })
    });
    Some(Original {
        language: language?,
        text: text?,
    })
}

fn required_in<'n>(
    r: &mut Reader<'_>,
    f: &Fields<'n>,
    parent: &Node,
    key: &str,
    what: &str,
) -> Option<&'n Node> {
    let node = f.get(key);
    if node.is_none() {
        let span = f.key(key).map_or(parent.span, |k| k.span);
        r.error(
            Code::MissingKey,
            span,
            format!("{what} has no `{key}`"),
            Some(format!("add `{key}:` to {what}")),
        );
    }
    node
}

fn read_annotation(
    r: &mut Reader<'_>,
    node: &Node,
    n: usize,
    keys: &[&str],
) -> Option<(Annotation, ids::Candidate)> {
    let what = format!("annotation {n}");
    let entries = r.map(node, &what)?;
    let f = r.fields(entries, ANNOTATION_KEYS, "an annotation");
    let written = written_id(r, &f, "annotation");
    let kind = match f.get("kind") {
        None => AnnotationKind::Note,
        Some(k) => {
            let s = r.text(k, "`kind`")?;
            let Some(kind) = AnnotationKind::parse(&s) else {
                let hint = diag::hint_choices("write one of", &s, &AnnotationKind::NAMES);
                r.error(
                    Code::InvalidValue,
                    k.span,
                    format!("unknown annotation kind `{s}`"),
                    Some(hint),
                );
                return None;
            };
            kind
        }
    };
    let note = required_in(r, &f, node, "note", &what).and_then(|n| r.text(n, "`note`"));
    let on = f.get("on").and_then(|n| {
        r.text(n, "`on`").map(|value| Located {
            value,
            span: n.span,
        })
    });
    if let Some(on) = &on
        && on.value.trim().is_empty()
    {
        r.error(Code::InvalidValue, on.span, format!("empty `on` in {what}"), Some("quote the passage of the body to annotate, or remove `on` for a note on the whole article".into()));
    }
    let occurrence = f.get("occurrence").and_then(|o| match o.kind {
        Kind::Int(i) if i >= 1 && i <= i128::from(u32::MAX) => Some(Located {
            value: i as u32,
            span: o.span,
        }),
        _ => {
            r.error(
                Code::InvalidValue,
                o.span,
                "`occurrence` must be a whole number from 1",
                Some("write `occurrence: 2` for the second time the passage occurs".into()),
            );
            None
        }
    });
    if occurrence.is_some() && on.is_none() {
        let span = f.key("occurrence").map_or(node.span, |k| k.span);
        r.error(
            Code::InvalidValue,
            span,
            format!("`occurrence` without `on` in {what}"),
            Some("add `on:` with the passage, or remove `occurrence`".into()),
        );
    }
    let sources = f
        .get("sources")
        .map(|s| r.list(s, "`sources`"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| source_ref(r, s, &what, keys))
        .collect();
    let verdict = Verdict {
        rating: f.get("rating").and_then(|n| r.text(n, "`rating`")),
        claimant: f
            .get("claimant")
            .and_then(|n| located_id(r, n, "person id"))
            .map(|l| l.map(PersonId)),
        claim: f.get("claim").and_then(|n| r.text(n, "`claim`")),
    };
    let date = f.get("date").and_then(|n| {
        published(r, n, "date").map(|value| Located {
            value,
            span: n.span,
        })
    });
    if kind != AnnotationKind::Correction
        && let Some(k) = f.key("date")
    {
        r.error(
            Code::InvalidValue,
            k.span,
            format!("`date` on a {} annotation", kind.as_str()),
            Some("`date` belongs to `kind: correction` (when the text was corrected); remove it or change the kind".into()),
        );
    }
    if kind == AnnotationKind::FactCheck
        && verdict.rating.is_none()
        && let Some(k) = f.get("kind")
    {
        r.warn(
            Code::FactCheckWithoutRating,
            k.span,
            format!("{what} is a fact-check without a `rating`"),
            "add `rating:` with a short verdict, e.g. `rating: False` or `rating: Misleading`; without one no ClaimReview is published".into(),
        );
    }
    if kind != AnnotationKind::FactCheck {
        for key in ["rating", "claimant", "claim"] {
            if let Some(k) = f.key(key) {
                let hint =
                    format!("`{key}` belongs to `kind: fact-check`; remove it or change the kind");
                r.error(
                    Code::InvalidValue,
                    k.span,
                    format!("`{key}` on a {} annotation", kind.as_str()),
                    Some(hint),
                );
            }
        }
    }
    let note = note?;
    let candidate = ids::Candidate::new(written, || {
        ids::default_note_id(on.as_ref().map(|o| o.value.as_str()), &note)
    });
    let annotation = Annotation {
        id: String::new(),
        on,
        occurrence,
        kind,
        note,
        sources,
        verdict,
        date: date
            .filter(|_| kind == AnnotationKind::Correction)
            .map(Box::new),
    };
    Some((annotation, candidate))
}

#[cfg(test)]
mod key_tests {
    use super::key_of;
    use std::path::Path;

    /// Issue 15: a bundle `…/x/index.md` has its folder's path, as its slug is the
    /// folder's name (`{path}` permalinks and `article:PATH` links name the folder).
    #[test]
    fn a_bundle_is_keyed_by_its_folder() {
        assert_eq!(key_of(Path::new("content/articles/2025/a.md")), "2025/a");
        assert_eq!(
            key_of(Path::new("content/articles/posts/x/index.md")),
            "posts/x"
        );
    }
}
