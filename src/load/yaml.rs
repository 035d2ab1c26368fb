//! A YAML document as a tree of located nodes, and typed readers over it that report
//! every problem (unknown keys, wrong types) as a [`Diagnostic`] instead of stopping.
//!
//! serde-saphyr parses; we keep the generic tree rather than derive typed structs so that
//! one file yields all its errors at once, each at the exact line and column.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diag::{self, Diagnostic, Diagnostics, Span};

/// A YAML value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The value.
    pub(crate) kind: Kind,
    /// 1-based line and column within the YAML text, and the value's length.
    pub(crate) span: Span,
}

/// The shape of a YAML value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its place.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key {
    pub(crate) name: String,
    pub(crate) span: Span,
}

impl Kind {
    fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "nothing",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) | Kind::Float(_) => "a number",
            Kind::Str(_) => "text",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a map",
        }
    }
}

fn to_span<T>(s: &Spanned<T>, len: usize) -> Span {
    let loc = s.referenced;
    Span::new(loc.line() as u32, loc.column() as u32, len as u32)
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Kind>::deserialize(d)?;
        let len = match &spanned.value {
            Kind::Str(s) => s.chars().count(),
            Kind::Map(_) | Kind::Seq(_) => 1,
            other => scalar_text(other).chars().count(),
        };
        Ok(Node {
            span: to_span(&spanned, len),
            kind: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
        Ok(Kind::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
        Ok(Kind::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Kind, E> {
        Ok(Kind::Int(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Kind, E> {
        Ok(Kind::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_none<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        d.deserialize_any(KindVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(Kind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Spanned<String>>()? {
            let key = Key {
                span: to_span(&k, k.value.chars().count()),
                name: k.value,
            };
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Kind::Map(entries))
    }
}

fn scalar_text(kind: &Kind) -> String {
    match kind {
        Kind::Bool(b) => b.to_string(),
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => f.to_string(),
        Kind::Str(s) => s.clone(),
        Kind::Null | Kind::Seq(_) | Kind::Map(_) => String::new(),
    }
}

/// Parses a YAML document. A syntax error comes back as one located diagnostic.
/// `first_line` is the file line of the document's first line.
pub(crate) fn parse(text: &str, path: &Path, first_line: u32) -> Result<Node, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Node {
            kind: Kind::Map(Vec::new()),
            span: Span::new(first_line, 1, 1),
        });
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
    };
    match serde_saphyr::from_str_with_options::<Node>(text, options) {
        Ok(mut node) => {
            shift(&mut node, first_line - 1);
            Ok(node)
        }
        Err(e) => {
            let span = e.location().filter(|l| l.line() > 0).map(|l| {
                Span::new(
                    l.line() as u32 + first_line - 1,
                    l.column().max(1) as u32,
                    1,
                )
            });
            let message = yaml_message(&e.without_snippet().to_string());
            Err(Diagnostic::error(path, span, format!("invalid YAML: {message}")).with_hint(
                "check the indentation and quote values that contain `: `, `#` or start with a special character",
            ))
        }
    }
}

/// serde-saphyr appends the position to its messages; we print positions ourselves.
fn yaml_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw);
    let trimmed = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    trimmed.trim().trim_end_matches('.').to_string()
}

fn shift(node: &mut Node, by: u32) {
    node.span.line += by;
    match &mut node.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        Kind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            k.span.line += by;
            shift(v, by);
        }),
        _ => {}
    }
}

/// Reads typed values out of nodes, pushing a diagnostic for each problem.
pub(crate) struct Reader<'a> {
    /// The file being read, relative to the site root.
    pub(crate) path: &'a Path,
    /// Where problems go.
    pub(crate) diags: &'a mut Diagnostics,
}

impl Reader<'_> {
    /// Records an error at `span`.
    pub(crate) fn error(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::error(self.path, Some(span), message);
        d.hint = hint;
        self.diags.push(d);
    }

    /// The entries of a map node; anything else is an error.
    pub(crate) fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Key, Node)]> {
        match &node.kind {
            Kind::Map(entries) => Some(entries),
            other => {
                let found = other.describe();
                self.error(
                    node.span,
                    format!("{what} must be a map, found {found}"),
                    None,
                );
                None
            }
        }
    }

    /// Checks a map's keys against `known` and returns a lookup over it.
    pub(crate) fn fields<'n>(
        &mut self,
        entries: &'n [(Key, Node)],
        known: &[&str],
        what: &str,
    ) -> Fields<'n> {
        for (key, _) in entries {
            if !known.contains(&key.name.as_str()) {
                let mut hint = format!(
                    "known keys of {what}: {}",
                    diag::list(known.iter().copied())
                );
                if let Some(best) = diag::did_you_mean(&key.name, known.iter().copied()) {
                    hint = format!("did you mean `{best}`? {hint}");
                }
                let message = format!("unknown key `{}` in {what}", key.name);
                self.error(key.span, message, Some(hint));
            }
        }
        Fields { entries }
    }

    /// A text value. Numbers and booleans are taken as their text.
    pub(crate) fn text(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            Kind::Str(s) => Some(s.clone()),
            k @ (Kind::Int(_) | Kind::Float(_) | Kind::Bool(_)) => Some(scalar_text(k)),
            other => {
                let found = other.describe();
                self.error(
                    node.span,
                    format!("{what} must be text, found {found}"),
                    None,
                );
                None
            }
        }
    }

    /// A boolean value.
    pub(crate) fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.kind {
            Kind::Bool(b) => Some(*b),
            _ => {
                let hint = Some("write `true` or `false`".to_string());
                self.error(node.span, format!("{what} must be `true` or `false`"), hint);
                None
            }
        }
    }

    /// A list of nodes; a single scalar counts as a one-item list.
    pub(crate) fn list<'n>(&mut self, node: &'n Node, what: &str) -> Vec<&'n Node> {
        match &node.kind {
            Kind::Seq(items) => items.iter().collect(),
            Kind::Null => Vec::new(),
            Kind::Str(_) => vec![node],
            other => {
                let found = other.describe();
                let hint = Some(format!(
                    "write `{what}: [a, b]` or one item per line with `- `"
                ));
                self.error(
                    node.span,
                    format!("{what} must be a list, found {found}"),
                    hint,
                );
                Vec::new()
            }
        }
    }

    /// A list of texts.
    pub(crate) fn text_list(&mut self, node: &Node, what: &str) -> Vec<String> {
        let items = self.list(node, what);
        items
            .into_iter()
            .filter_map(|n| self.text(n, what))
            .collect()
    }

    /// An id: text matching `[a-z0-9-]+`.
    pub(crate) fn id(&mut self, node: &Node, what: &str) -> Option<(String, Span)> {
        let text = self.text(node, what)?;
        if crate::model::is_slug(&text) {
            return Some((text, node.span));
        }
        let suggestion = slug::slugify(&text);
        let hint = if suggestion.is_empty() {
            "ids use only lower-case letters a-z, digits and `-`".to_string()
        } else {
            format!("ids use only lower-case letters a-z, digits and `-`: write `{suggestion}`")
        };
        self.error(node.span, format!("invalid {what} `{text}`"), Some(hint));
        None
    }

    /// A free map for templates, converted to JSON.
    pub(crate) fn extra(&mut self, node: &Node) -> serde_json::Value {
        if self.map(node, "`extra`").is_none() {
            return serde_json::Value::Object(Default::default());
        }
        to_json(node)
    }
}

/// Converts a node to JSON (for `extra`).
pub(crate) fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Int(i) => {
            i64::try_from(*i).map_or_else(|_| Value::String(i.to_string()), Value::from)
        }
        Kind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Kind::Str(s) => Value::String(s.clone()),
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// Lookup of a map's fields by name.
pub(crate) struct Fields<'n> {
    entries: &'n [(Key, Node)],
}

impl<'n> Fields<'n> {
    /// The value of `name`, unless absent or null.
    pub(crate) fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, v)| k.name == name && v.kind != Kind::Null)
            .map(|(_, v)| v)
    }

    /// The key node of `name`, for errors about the key itself.
    pub(crate) fn key(&self, name: &str) -> Option<&'n Key> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(k, _)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        parse(text, Path::new("t.md"), 2).unwrap_or_else(|d| panic!("{}", d.headline()))
    }

    #[test]
    fn spans_are_shifted_to_file_lines() {
        let node = parse_ok("title: Hello\ntopics: [a, b]\n");
        let Kind::Map(entries) = node.kind else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.span, Span::new(2, 1, 5));
        assert_eq!(entries[0].1.span, Span::new(2, 8, 5));
        let Kind::Seq(items) = &entries[1].1.kind else {
            panic!("not a seq")
        };
        assert_eq!(items[1].span, Span::new(3, 13, 1));
    }

    #[test]
    fn on_and_yes_stay_text() {
        let node = parse_ok("on: on\nx: yes\n");
        let Kind::Map(entries) = node.kind else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.name, "on");
        assert_eq!(entries[0].1.kind, Kind::Str("on".into()));
        assert_eq!(entries[1].1.kind, Kind::Str("yes".into()));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse("title: [unclosed\n", Path::new("t.md"), 2).err();
        let err = err.unwrap_or_else(|| panic!("expected an error"));
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        assert_eq!(err.span.map(|s| s.line >= 2), Some(true));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        assert!(parse("a: 1\na: 2\n", Path::new("t.md"), 1).is_err());
    }
}
