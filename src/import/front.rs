//! Front matter of another generator's post, mapped to gloss's: `tags` and `categories`
//! become topics (ids slugged, original names kept for the topic profiles), `excerpt`
//! or `description` the summary, author ids bylines (names from the site's data),
//! dates gloss's forms, keys case-folded, and everything without an equivalent goes
//! under `extra:` unchanged. Written as YAML whose values are JSON scalars and flow
//! collections (YAML is a superset of JSON), so quoting is never a question.

use std::collections::BTreeMap;

use serde_json::Value;

/// Front matter as read: keys in the source's order, values as JSON (YAML, TOML and JSON
/// front matter all become this, so one mapping serves every generator).
pub(crate) type Fields = [(String, Value)];

/// A post's front matter, mapped.
#[derive(Debug, Default)]
pub(crate) struct Mapped {
    pub(crate) title: Option<String>,
    /// `YYYY-MM-DD` or RFC 3339.
    pub(crate) date: Option<String>,
    pub(crate) updated: Option<String>,
    pub(crate) summary: Option<String>,
    /// Bylines: person ids for authors the source's data names, else names as written.
    pub(crate) authors: Vec<String>,
    /// The people those ids are, with their names (for their profiles).
    pub(crate) people: Vec<(String, String)>,
    /// Topic ids with their original names.
    pub(crate) topics: Vec<(String, String)>,
    /// Jekyll's categories as written (they also make its URLs).
    pub(crate) categories: Vec<String>,
    pub(crate) draft: bool,
    /// The post's own `permalink:`, if any.
    pub(crate) permalink: Option<String>,
    /// `permalink: false`: the source never wrote this file out (data for other pages).
    pub(crate) no_output: bool,
    /// Old paths: `redirect_from`, `aliases`.
    pub(crate) old_paths: Vec<String>,
    /// The lead image's path or address (`image`, `featured_image`, `hero_image`).
    pub(crate) image: Option<String>,
    /// Its text alternative (`image_alt`).
    pub(crate) image_alt: Option<String>,
    /// Its caption (`image_caption`, `image_figcaption`).
    pub(crate) image_caption: Option<String>,
    /// Everything else, by key.
    pub(crate) extra: BTreeMap<String, Value>,
    /// Which source keys became which gloss keys (for the report).
    pub(crate) renamed: Vec<(&'static str, String)>,
    /// Other changes to values, for the report.
    pub(crate) notes: Vec<&'static str>,
}

/// A scalar as text (numbers and booleans as written).
pub(crate) fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A scalar or a list of scalars as a list.
pub(crate) fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        Value::String(s) => s
            .split([',', ' '])
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect(),
        _ => text(v).into_iter().collect(),
    }
}

/// The entries of YAML front matter (a map; anything else has none).
pub(crate) fn yaml_fields(fm: &crate::load::yaml::Node) -> Vec<(String, Value)> {
    match &fm.kind {
        crate::load::yaml::Kind::Map(entries) => entries
            .iter()
            .map(|(k, v)| (k.name.clone(), crate::load::yaml::to_json(v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// A date as gloss writes it: `YYYY-MM-DD`, or RFC 3339 for a time of day. Jekyll's
/// `2014-03-12 10:11:00 -0400` becomes `2014-03-12T10:11:00-04:00`; `None` when the text
/// is no date gloss can read.
pub(crate) fn date(s: &str) -> Option<String> {
    let s = s.trim();
    // `…Z` is UTC: read as the offset `+00:00`.
    if let Some(utc) = s.strip_suffix('Z').or_else(|| s.strip_suffix('z'))
        && utc.len() > 10
    {
        return date(&format!("{utc}+00:00")).map(|d| d.replace("+00:00", "Z"));
    }
    if jiff::civil::Date::strptime("%Y-%m-%d", s).is_ok() {
        return Some(s.to_string());
    }
    let with_offset = [
        "%Y-%m-%dT%H:%M:%S%:z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M %z",
    ];
    for form in with_offset {
        if let Ok(p) = jiff::fmt::strtime::parse(form, s)
            && let (Ok(dt), Some(offset)) = (p.to_datetime(), p.offset())
        {
            let secs = offset.seconds();
            let (sign, secs) = if secs < 0 { ('-', -secs) } else { ('+', secs) };
            let (h, m) = (secs / 3600, secs % 3600 / 60);
            return Some(format!(
                "{}{sign}{h:02}:{m:02}",
                dt.strftime("%Y-%m-%dT%H:%M:%S")
            ));
        }
    }
    for form in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(dt) = jiff::civil::DateTime::strptime(form, s) {
            return Some(dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
    }
    None
}

/// A summary as the plain text gloss shows it: HTML tags dropped, the common entities
/// decoded, Markdown links reduced to their text.
pub(crate) fn plain_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['<', '[']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // A tag opens with a letter, `/` or `!`; `a < b` is text.
        let tag = rest.starts_with('<')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        if rest.starts_with('<') && !tag {
            out.push('<');
            rest = &rest[1..];
        } else if tag {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
        } else if let Some(close) = rest.find("](")
            && let Some(end) = rest[close..].find(')')
            && !rest[1..close].contains('[')
        {
            out.push_str(&rest[1..close]);
            rest = &rest[close + end + 1..];
        } else {
            out.push('[');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

/// The topic id of a tag name: its slug (`How we work` -> `how-we-work`).
pub(crate) fn topic_id(name: &str) -> String {
    slug::slugify(name)
}

/// Maps the front matter `fm`. `people` names author ids.
pub(crate) fn map(fm: &Fields, people: &BTreeMap<String, String>) -> Mapped {
    let mut m = Mapped::default();
    for (key, value) in fm {
        let folded = key.to_lowercase();
        let renamed = |m: &mut Mapped, to: &'static str| {
            if key != to {
                m.renamed.push((to, key.clone()));
            }
        };
        match folded.as_str() {
            "title" => {
                if let Some(t) = text(value) {
                    let plain = plain_text(&t);
                    if plain != t {
                        m.notes
                            .push("HTML or Markdown in a title -> its text (titles are plain)");
                    }
                    m.title = Some(plain);
                }
                renamed(&mut m, "title");
            }
            "date" => match text(value).as_deref().and_then(date) {
                Some(d) => m.date = Some(d),
                None => {
                    m.extra.insert(key.clone(), value.clone());
                }
            },
            "updated" | "last_modified_at" | "lastmod" | "modified" => {
                if let Some(d) = text(value).as_deref().and_then(date) {
                    m.updated = Some(d);
                    renamed(&mut m, "updated");
                }
            }
            "excerpt" | "description" | "summary" if m.summary.is_none() => {
                m.summary = text(value)
                    .map(|s| plain_text(&s))
                    .filter(|s| !s.trim().is_empty());
                renamed(&mut m, "summary");
            }
            "tags" | "categories" | "category" => {
                if folded != "tags" {
                    m.categories.extend(list(value));
                }
                for name in list(value) {
                    let id = topic_id(&name);
                    if !id.is_empty() && !m.topics.iter().any(|(i, _)| *i == id) {
                        m.topics.push((id, name));
                    }
                }
                renamed(&mut m, "topics");
            }
            "author" | "authors" => {
                for id in list(value) {
                    match people.get(&id) {
                        Some(name) if !topic_id(&id).is_empty() => {
                            let person = topic_id(&id);
                            m.authors.push(person.clone());
                            m.people.push((person, name.clone()));
                        }
                        _ => m.authors.push(id),
                    }
                }
                renamed(&mut m, "authors");
            }
            "draft" | "published" => {
                let is_draft = matches!(value, Value::Bool(b) if *b == (folded == "draft"));
                m.draft |= is_draft;
            }
            "permalink" => match value {
                Value::Bool(false) => m.no_output = true,
                _ => m.permalink = text(value),
            },
            "redirect_from" | "aliases" => {
                m.old_paths.extend(list(value));
                renamed(&mut m, "aliases");
            }
            "image" | "featured_image" | "hero_image" if m.image.is_none() => {
                m.image = text(value);
                renamed(&mut m, "image");
            }
            "image_alt" => m.image_alt = text(value).map(|t| plain_text(&t)),
            // Captions are plain text in gloss: a link in one keeps its words.
            "image_caption" | "image_figcaption" => {
                m.image_caption = text(value).map(|t| plain_text(&t));
            }
            _ => {
                m.extra.insert(key.clone(), value.clone());
            }
        }
    }
    m
}

/// `key: value` lines of YAML, the value as JSON (a valid YAML flow value).
pub(crate) fn yaml_line(out: &mut String, key: &str, value: &Value) {
    out.push_str(key);
    out.push_str(": ");
    out.push_str(&value.to_string());
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_other_generators() {
        assert_eq!(date("2014-03-12").as_deref(), Some("2014-03-12"));
        assert_eq!(
            date("2014-03-12T10:11:00-04:00").as_deref(),
            Some("2014-03-12T10:11:00-04:00")
        );
        assert_eq!(
            date("2014-03-12 10:11:00 -0400").as_deref(),
            Some("2014-03-12T10:11:00-04:00")
        );
        assert_eq!(
            date("2014-03-12 10:11").as_deref(),
            Some("2014-03-12T10:11:00Z")
        );
        assert_eq!(date("March 3"), None);
    }

    #[test]
    fn a_less_than_sign_is_text_not_a_tag() {
        assert_eq!(plain_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(
            plain_text("writing for action <em>and</em> flexibility"),
            "writing for action and flexibility"
        );
    }

    #[test]
    fn summaries_become_plain_text() {
        assert_eq!(
            plain_text("Some <a href=\"x\">great</a> [coverage](http://y) &amp; more [sic]"),
            "Some great coverage & more [sic]"
        );
    }

    #[test]
    fn front_matter_maps_to_gloss_keys() {
        let text = "Title: Hello\ndate: 2014-03-12 10:11:00 -0400\nexcerpt: Short\ndescription: Long\ntags: [How we work, design]\nauthors: [aaron, zed]\nredirect_from: [/old/]\nlayout: post\n";
        let node = crate::load::yaml::parse(text, std::path::Path::new("x.md"), 1)
            .unwrap_or_else(|d| panic!("{}", d.message));
        let people = BTreeMap::from([("aaron".to_string(), "Aaron Snow".to_string())]);
        let m = map(&yaml_fields(&node), &people);
        assert_eq!(m.title.as_deref(), Some("Hello"));
        assert_eq!(m.date.as_deref(), Some("2014-03-12T10:11:00-04:00"));
        assert_eq!(m.summary.as_deref(), Some("Short"));
        assert_eq!(
            m.topics,
            [
                ("how-we-work".to_string(), "How we work".to_string()),
                ("design".into(), "design".into())
            ]
        );
        assert_eq!(m.authors, ["aaron", "zed"]);
        assert_eq!(m.people, [("aaron".to_string(), "Aaron Snow".to_string())]);
        assert_eq!(m.old_paths, ["/old/"]);
        assert_eq!(
            m.extra.keys().collect::<Vec<_>>(),
            ["description", "layout"]
        );
    }
}
