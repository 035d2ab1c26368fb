//! A YAML document as a tree of located nodes, and typed readers over it that report
//! every problem (unknown keys, wrong types) as a [`Diagnostic`] instead of stopping.
//!
//! granit-parser (the parser under serde-saphyr) turns the text into events; we build the
//! tree from them directly rather than through serde, which halves the cost of front
//! matter, and keep the generic tree rather than derive typed structs so that one file
//! yields all its errors at once, each at the exact line and column.

use crate::diag::Code;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use granit_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use crate::diag::{self, Diagnostic, Diagnostics, Span};

/// A YAML value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The value.
    pub(crate) kind: Kind,
    /// 1-based line and column within the file, and the value's length.
    pub(crate) span: Span,
}

/// The shape of a YAML value.
///
/// A plain scalar is a number only when its text is the number's own spelling (`12`,
/// `-3`, `2.5`), so that a value read back as text is exactly what the editor wrote
/// (`007`, `3.10` and `1e3` stay text).
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

fn scalar_text(kind: &Kind) -> String {
    match kind {
        Kind::Bool(b) => b.to_string(),
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => f.to_string(),
        Kind::Str(s) => s.clone(),
        Kind::Null | Kind::Seq(_) | Kind::Map(_) => String::new(),
    }
}

/// Values that aliases may add to one document: bounds "billion laughs" expansion.
const ALIAS_BUDGET: usize = 100_000;

/// Bytes of text (strings and keys) that aliases may add to one document: at least this,
/// or [`ALIAS_BYTES_PER_BYTE`] times the document's size. The value bound alone lets a
/// few aliases fan one long string out into hundreds of megabytes.
const ALIAS_BYTES: usize = 1_000_000;

/// Bytes of aliased text allowed per byte of the document, when that is more.
const ALIAS_BYTES_PER_BYTE: usize = 10;

const SYNTAX_HINT: &str = "check the indentation and quote values that contain `: `, `#` or start with a special character";

/// Parses a YAML document. A syntax error comes back as one located diagnostic.
/// `first_line` is the file line of the document's first line.
pub(crate) fn parse(text: &str, path: &Path, first_line: u32) -> Result<Node, Diagnostic> {
    let empty_map = || Node {
        kind: Kind::Map(Vec::new()),
        span: Span::new(first_line, 1, 1),
    };
    if text.trim().is_empty() {
        return Ok(empty_map());
    }
    match Builder::new(first_line - 1).run(text) {
        // A document of only comments is an empty map, like an empty one.
        Ok(Some(node)) if node.kind != Kind::Null => Ok(node),
        Ok(_) => Ok(empty_map()),
        Err(e) => {
            // A rewrite of the line that parses says what to write; else the general hint.
            let parses = |t: &str| Builder::new(first_line - 1).run(t).is_ok();
            let fix = super::yaml_fix::suggest(text, first_line, e.span.line, parses);
            let message = format!("invalid YAML: {}", e.message);
            Err(match fix {
                Some(f) => Diagnostic::new(
                    Code::Yaml,
                    path,
                    Some(f.span.unwrap_or(e.span)),
                    f.message.unwrap_or(message),
                )
                .with_hint(f.hint),
                None => Diagnostic::new(Code::Yaml, path, Some(e.span), message).with_hint(e.hint),
            })
        }
    }
}

/// A problem that stops parsing, at its place in the file.
struct YamlError {
    span: Span,
    message: String,
    hint: &'static str,
}

impl YamlError {
    fn scan(e: &ScanError, line_offset: u32) -> YamlError {
        let m = e.marker();
        let info = e.info();
        let message = info
            .lines()
            .next()
            .unwrap_or(&info)
            .trim()
            .trim_end_matches('.');
        YamlError {
            span: Span::new(m.line() as u32 + line_offset, m.col() as u32 + 1, 1),
            message: message.to_string(),
            hint: SYNTAX_HINT,
        }
    }
}

/// A collection whose end event has not come yet.
enum Open {
    Seq {
        span: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        span: Span,
        anchor: usize,
        entries: Vec<(Key, Node)>,
        /// The key whose value comes next; `true` for a merge key (`<<`).
        key: Option<(Key, bool)>,
        /// Values of merge keys, applied at the end (explicit keys win).
        merges: Vec<Node>,
    },
}

/// Builds the node tree from the parser's events.
struct Builder {
    /// Added to the parser's lines to make file lines.
    line_offset: u32,
    open: Vec<Open>,
    /// Anchored nodes by anchor id, with their number of values and bytes of text.
    anchors: HashMap<usize, (Node, Size)>,
    /// Values and bytes of text aliases added so far.
    aliased: Size,
    root: Option<Node>,
}

impl Builder {
    fn new(line_offset: u32) -> Builder {
        Builder {
            line_offset,
            open: Vec::new(),
            anchors: HashMap::new(),
            aliased: Size::default(),
            root: None,
        }
    }

    fn span(&self, at: &granit_parser::Span, len: usize) -> Span {
        Span::new(
            at.start.line() as u32 + self.line_offset,
            at.start.col() as u32 + 1,
            len as u32,
        )
    }

    fn run(mut self, text: &str) -> Result<Option<Node>, YamlError> {
        let mut documents = 0;
        let byte_budget = ALIAS_BYTES.max(ALIAS_BYTES_PER_BYTE.saturating_mul(text.len()));
        for event in Parser::new_from_str(text) {
            let (event, at) = event.map_err(|e| YamlError::scan(&e, self.line_offset))?;
            match event {
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(YamlError {
                            span: self.span(&at, 1),
                            message: "a second document in one front matter".into(),
                            hint: "front matter is one YAML document: remove the `---` or `...` line inside it",
                        });
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    if self.awaits_key() {
                        let merge = style == ScalarStyle::Plain && value == "<<";
                        let key = Key {
                            span: self.span(&at, value.chars().count()),
                            name: value.into_owned(),
                        };
                        if anchor != 0 {
                            let node = Node {
                                kind: Kind::Str(key.name.clone()),
                                span: key.span,
                            };
                            let size = size(&node);
                            self.anchors.insert(anchor, (node, size));
                        }
                        self.set_key(key, merge);
                    } else {
                        let kind = scalar(value, style, tag.as_deref());
                        let len = match &kind {
                            Kind::Str(s) => s.chars().count(),
                            other => scalar_text(other).chars().count(),
                        };
                        let node = Node {
                            span: self.span(&at, len),
                            kind,
                        };
                        if anchor != 0 {
                            self.anchors.insert(anchor, (node.clone(), size(&node)));
                        }
                        self.add(node)?;
                    }
                }
                Event::SequenceStart(_, anchor, _) => {
                    self.check_not_key(&at)?;
                    self.open.push(Open::Seq {
                        span: self.span(&at, 1),
                        anchor,
                        items: Vec::new(),
                    });
                }
                Event::MappingStart(_, anchor, _) => {
                    self.check_not_key(&at)?;
                    self.open.push(Open::Map {
                        span: self.span(&at, 1),
                        anchor,
                        entries: Vec::new(),
                        key: None,
                        merges: Vec::new(),
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(open) = self.open.pop() else {
                        continue;
                    };
                    let (node, anchor) = self.close(open)?;
                    if anchor != 0 {
                        let size = size(&node);
                        self.anchors.insert(anchor, (node.clone(), size));
                    }
                    self.add(node)?;
                }
                Event::Alias(id) => {
                    let Some((node, added)) = self.anchors.get(&id) else {
                        return Err(YamlError {
                            span: self.span(&at, 1),
                            message: "an alias to an unknown anchor".into(),
                            hint: "define the anchor (`&name`) before its alias (`*name`)",
                        });
                    };
                    self.aliased.values += added.values;
                    self.aliased.bytes += added.bytes;
                    // Checked before the copy: an expansion past the bounds is never built.
                    let too_much = if self.aliased.values > ALIAS_BUDGET {
                        Some(format!("{ALIAS_BUDGET} values"))
                    } else if self.aliased.bytes > byte_budget {
                        Some(format!("{byte_budget} bytes of text"))
                    } else {
                        None
                    };
                    if let Some(bound) = too_much {
                        return Err(YamlError {
                            span: self.span(&at, 1),
                            message: format!("aliases expand to more than {bound}"),
                            hint: "write the values out, or use fewer aliases of aliases",
                        });
                    }
                    let mut node = node.clone();
                    node.span = self.span(&at, node.span.len as usize);
                    if self.awaits_key() {
                        let key = Key {
                            name: scalar_text(&node.kind),
                            span: node.span,
                        };
                        self.set_key(key, false);
                    } else {
                        self.add(node)?;
                    }
                }
                _ => {}
            }
        }
        Ok(self.root)
    }

    fn awaits_key(&self) -> bool {
        matches!(self.open.last(), Some(Open::Map { key: None, .. }))
    }

    fn set_key(&mut self, new: Key, merge: bool) {
        if let Some(Open::Map { key, .. }) = self.open.last_mut() {
            *key = Some((new, merge));
        }
    }

    /// A list or map as a key (`? [a, b]`) has no name to look up.
    fn check_not_key(&self, at: &granit_parser::Span) -> Result<(), YamlError> {
        if !self.awaits_key() {
            return Ok(());
        }
        Err(YamlError {
            span: self.span(at, 1),
            message: "a list or map used as a key".into(),
            hint: "keys are names: write `name: value`",
        })
    }

    /// Puts a finished node into the collection it belongs to.
    fn add(&mut self, node: Node) -> Result<(), YamlError> {
        match self.open.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map {
                entries,
                key,
                merges,
                ..
            }) => match key.take() {
                Some((_, true)) => merges.push(node),
                Some((key, false)) => entries.push((key, node)),
                // A key that is a scalar other than text (a number, `true`): its text.
                None => {
                    *key = Some((
                        Key {
                            name: scalar_text(&node.kind),
                            span: node.span,
                        },
                        false,
                    ))
                }
            },
        }
        Ok(())
    }

    fn close(&self, open: Open) -> Result<(Node, usize), YamlError> {
        Ok(match open {
            Open::Seq {
                span,
                anchor,
                items,
            } => (
                Node {
                    kind: Kind::Seq(items),
                    span,
                },
                anchor,
            ),
            Open::Map {
                span,
                anchor,
                mut entries,
                merges,
                ..
            } => {
                check_duplicates(&entries)?;
                for merged in merges {
                    merge_into(&mut entries, merged)?;
                }
                (
                    Node {
                        kind: Kind::Map(entries),
                        span,
                    },
                    anchor,
                )
            }
        })
    }
}

/// The value of a scalar: `null`, `true`/`false` and numbers only when plain (quoted
/// text is text), and never for a `!!str` tag.
fn scalar(value: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Kind {
    let forced_text = tag.and_then(Tag::core_suffix) == Some("str");
    if style != ScalarStyle::Plain || forced_text {
        return Kind::Str(value.into_owned());
    }
    match &*value {
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        "true" | "True" | "TRUE" => Kind::Bool(true),
        "false" | "False" | "FALSE" => Kind::Bool(false),
        text => number(text).unwrap_or_else(|| Kind::Str(value.into_owned())),
    }
}

/// A number whose text is its own spelling (see [`Kind`]).
fn number(text: &str) -> Option<Kind> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let first = *digits.as_bytes().first()?;
    if !first.is_ascii_digit() {
        return None;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        let canonical = first != b'0' || digits.len() == 1;
        return canonical
            .then(|| text.parse().ok().map(Kind::Int))
            .flatten();
    }
    let float: f64 = text.parse().ok()?;
    (float.is_finite() && float.to_string() == text).then_some(Kind::Float(float))
}

/// What a node adds to a document, for the alias bounds.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    /// Values, the node itself included (a map's keys count as values).
    values: usize,
    /// Bytes of its strings and keys.
    bytes: usize,
}

/// The values and bytes of text of a node.
fn size(node: &Node) -> Size {
    let mut total = Size {
        values: 1,
        bytes: match &node.kind {
            Kind::Str(s) => s.len(),
            _ => 0,
        },
    };
    let mut add = |s: Size| {
        total.values += s.values;
        total.bytes += s.bytes;
    };
    match &node.kind {
        Kind::Seq(items) => items.iter().map(size).for_each(&mut add),
        Kind::Map(entries) => {
            for (k, v) in entries {
                add(Size {
                    values: 1,
                    bytes: k.name.len(),
                });
                add(size(v));
            }
        }
        _ => {}
    }
    total
}

fn check_duplicates(entries: &[(Key, Node)]) -> Result<(), YamlError> {
    let duplicate = |first: &Key, again: &Key| YamlError {
        span: again.span,
        message: format!(
            "duplicate key `{}` (first at line {})",
            again.name, first.span.line
        ),
        hint: "a key may appear once in a map: remove or rename one of them",
    };
    if entries.len() <= 16 {
        for (i, (again, _)) in entries.iter().enumerate() {
            if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.name == again.name) {
                return Err(duplicate(first, again));
            }
        }
        return Ok(());
    }
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].0.name.cmp(&entries[b].0.name).then(a.cmp(&b)));
    match order
        .windows(2)
        .find(|w| entries[w[0]].0.name == entries[w[1]].0.name)
    {
        Some(w) => Err(duplicate(&entries[w[0]].0, &entries[w[1]].0)),
        None => Ok(()),
    }
}

/// Applies a merge key's value (a map or a list of maps): keys the map lacks are added,
/// earlier merged maps winning over later ones.
fn merge_into(entries: &mut Vec<(Key, Node)>, merged: Node) -> Result<(), YamlError> {
    let maps = match merged.kind {
        Kind::Map(m) => vec![m],
        Kind::Seq(items) if items.iter().all(|n| matches!(n.kind, Kind::Map(_))) => items
            .into_iter()
            .filter_map(|n| match n.kind {
                Kind::Map(m) => Some(m),
                _ => None,
            })
            .collect(),
        _ => {
            return Err(YamlError {
                span: merged.span,
                message: "`<<` merges a map or a list of maps".into(),
                hint: "write `<<: *anchor` where `&anchor` names a map",
            });
        }
    };
    for map in maps {
        for (key, value) in map {
            if !entries.iter().any(|(k, _)| k.name == key.name) {
                entries.push((key, value));
            }
        }
    }
    Ok(())
}

/// `value` as a YAML double-quoted scalar that reads back as `value` (a JSON string is
/// one), for files gloss writes and hints that propose a value.
pub(crate) fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
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
    pub(crate) fn error(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let mut d = Diagnostic::new(code, self.path, Some(span), message);
        d.hint = hint;
        self.diags.push(d);
    }

    /// Records a warning at `span` (`code` must be a `W…` code).
    pub(crate) fn warn(&mut self, code: Code, span: Span, message: String, hint: String) {
        debug_assert_eq!(code.severity(), crate::diag::Severity::Warning);
        self.diags
            .push(Diagnostic::new(code, self.path, Some(span), message).with_hint(hint));
    }

    /// The entries of a map node; anything else is an error.
    pub(crate) fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Key, Node)]> {
        match &node.kind {
            Kind::Map(entries) => Some(entries),
            other => {
                let found = other.describe();
                let hint = matches!(other, Kind::Seq(_)).then(|| {
                    "write `key: value` lines indented under it, without `- `".to_string()
                });
                self.error(
                    Code::InvalidValue,
                    node.span,
                    format!("{what} must be a map, found {found}"),
                    hint,
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
        for (key, value) in entries {
            if !known.contains(&key.name.as_str()) {
                let mut hint = format!(
                    "known keys of {what}: {}",
                    diag::list(known.iter().copied())
                );
                if let Some(specific) = super::foreign::hint(&key.name, value, known) {
                    hint = specific;
                } else if let Some(best) = diag::did_you_mean(&key.name, known.iter().copied()) {
                    hint = format!("did you mean `{best}`? {hint}");
                } else if known.contains(&"extra") {
                    hint = format!("{hint}; keep values gloss does not use under `extra:`");
                }
                let message = format!("unknown key `{}` in {what}", key.name);
                self.error(Code::UnknownKey, key.span, message, Some(hint));
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
                    Code::InvalidValue,
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
                self.error(
                    Code::InvalidValue,
                    node.span,
                    format!("{what} must be `true` or `false`"),
                    hint,
                );
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
                    Code::InvalidValue,
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

    /// A web address: text starting with `https://` or `http://`. Anything else (a
    /// `javascript:` or `data:` URL, a bare domain) is an error: themes write these
    /// values into `href`s.
    pub(crate) fn web_url(&mut self, node: &Node, what: &str) -> Option<String> {
        let text = self.text(node, what)?;
        let lower = text
            .trim_start()
            .get(..8)
            .unwrap_or_default()
            .to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            return Some(text.trim().to_string());
        }
        let text = text.trim();
        let hint = if text.contains(':') {
            "write an address starting with `https://`".to_string()
        } else {
            format!("write the whole address, e.g. `https://{text}`")
        };
        self.error(
            Code::InvalidValue,
            node.span,
            format!("{what} must be a web address starting with `https://` or `http://`"),
            Some(hint),
        );
        None
    }

    /// A list of web addresses (see [`Reader::web_url`]).
    pub(crate) fn web_url_list(&mut self, node: &Node, what: &str) -> Vec<String> {
        let items = self.list(node, what);
        items
            .into_iter()
            .filter_map(|n| self.web_url(n, what))
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
        self.error(
            Code::InvalidId,
            node.span,
            format!("invalid {what} `{text}`"),
            Some(hint),
        );
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

    fn parse_err(text: &str) -> Diagnostic {
        parse(text, Path::new("t.md"), 1)
            .err()
            .unwrap_or_else(|| panic!("expected an error for {text:?}"))
    }

    fn map_of(node: Node) -> Vec<(String, Kind)> {
        let Kind::Map(entries) = node.kind else {
            panic!("not a map: {node:?}")
        };
        entries.into_iter().map(|(k, v)| (k.name, v.kind)).collect()
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let err = parse_err("a: 1\nb: 2\na: 3\n");
        assert!(
            err.message.contains("duplicate key `a` (first at line 1)"),
            "{}",
            err.message
        );
        assert_eq!(err.span.map(|s| (s.line, s.col)), Some((3, 1)));
        // Many keys take the sorted path; same verdict.
        let mut big: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        big.push_str("k7: again\n");
        let err = parse_err(&big);
        assert!(
            err.message.contains("duplicate key `k7` (first at line 8)"),
            "{}",
            err.message
        );
        assert_eq!(err.span.map(|s| s.line), Some(41));
    }

    #[test]
    fn numbers_are_numbers_only_when_spelled_as_such() {
        let node = parse_ok("a: 12\nb: -3\nc: 2.5\nd: 007\ne: 3.10\nf: 1e3\ng: '12'\nh: 0x10\n");
        assert_eq!(
            map_of(node),
            vec![
                ("a".into(), Kind::Int(12)),
                ("b".into(), Kind::Int(-3)),
                ("c".into(), Kind::Float(2.5)),
                ("d".into(), Kind::Str("007".into())),
                ("e".into(), Kind::Str("3.10".into())),
                ("f".into(), Kind::Str("1e3".into())),
                ("g".into(), Kind::Str("12".into())),
                ("h".into(), Kind::Str("0x10".into())),
            ]
        );
    }

    #[test]
    fn nulls_booleans_and_tags() {
        let node = parse_ok("a: ~\nb:\nc: True\nd: 'true'\ne: !!str 12\nf: null\n");
        assert_eq!(
            map_of(node),
            vec![
                ("a".into(), Kind::Null),
                ("b".into(), Kind::Null),
                ("c".into(), Kind::Bool(true)),
                ("d".into(), Kind::Str("true".into())),
                ("e".into(), Kind::Str("12".into())),
                ("f".into(), Kind::Null),
            ]
        );
    }

    #[test]
    fn aliases_copy_the_anchored_value_and_merge_keys_fill_missing_keys() {
        let text = "base: &b {name: A, role: x}\nother: *b\nmerged:\n  <<: *b\n  role: y\n";
        let entries = map_of(parse_ok(text));
        assert_eq!(entries[1].1, entries[0].1);
        let Kind::Map(merged) = &entries[2].1 else {
            panic!("not a map")
        };
        let merged: Vec<(&str, &Kind)> = merged
            .iter()
            .map(|(k, v)| (k.name.as_str(), &v.kind))
            .collect();
        assert_eq!(
            merged,
            vec![
                ("role", &Kind::Str("y".into())),
                ("name", &Kind::Str("A".into()))
            ]
        );
    }

    #[test]
    fn alias_expansion_is_bounded() {
        // "Billion laughs": each level doubles ten times over.
        let mut text = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!("l{i}: &l{i} [*l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}, *l{prev}]\n"));
        }
        let err = parse_err(&text);
        assert!(
            err.message.contains("aliases expand to more than"),
            "{}",
            err.message
        );
    }

    #[test]
    fn aliases_fanning_out_a_long_string_are_bounded_in_bytes() {
        // Far under the value bound (11,110 copies), but 11,110 times 2,000 bytes.
        let mut text = format!("s: &s \"{}\"\n", "x".repeat(2_000));
        let mut prev = "s".to_string();
        for level in 0..4 {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
            prev = format!("l{level}");
        }
        let err = parse_err(&text);
        assert!(
            err.message
                .contains("aliases expand to more than 1000000 bytes of text"),
            "{}",
            err.message
        );
        // At the alias that crosses the bound: `l1` holds 200,000 bytes, so the fourth
        // alias of it in `l2` (line 4) makes 1,020,000.
        assert_eq!(err.span.map(|s| (s.line, s.col)), Some((4, 25)), "{err:?}");
        // A few copies of a long string are fine.
        let text = format!("s: &s \"{}\"\nt: [*s, *s, *s]\n", "x".repeat(100_000));
        parse_ok(&text);
    }

    #[test]
    fn odd_documents_are_located_errors() {
        for (text, needle) in [
            ("a: *nowhere\n", "invalid YAML"),
            ("a: 1\n...\n---\nb: 2\n", "a second document"),
            ("? [a, b]\n: c\n", "a list or map used as a key"),
            ("a:\n  <<: [1, 2]\n", "`<<` merges a map"),
        ] {
            let err = parse_err(text);
            assert!(err.message.contains(needle), "{text:?}: {}", err.message);
            assert!(err.span.is_some(), "{text:?} has no place");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_err(&text).message.starts_with("invalid YAML"));
    }

    #[test]
    fn a_document_of_comments_is_an_empty_map() {
        assert_eq!(parse_ok("# nothing yet\n").kind, Kind::Map(Vec::new()));
    }
}
