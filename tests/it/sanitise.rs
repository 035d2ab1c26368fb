//! With `markdown.html: escape` (the default) or `sanitize`, no script, event handler, `javascript:`/`vbscript:`/
//! `data:` URL, `<style>`, `<iframe>`, `<form>` (or other active element) reaches the
//! output from Markdown, front matter, profiles, pages, annotation notes or site.yaml.
//!
//! Every payload of `tests/data/xss/payloads.txt` is put into every field; the output is
//! then scanned file by file. HTML goes through a small tokenizer that follows the HTML
//! rules for tags, attributes and comments (no HTML parser crate is a dependency); the
//! theme's own scripts, forms, links and metas are allowed by comparing with a build of
//! the same site without payloads.

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::{Site, tree};

/// The payloads, `\n` and `\t` expanded.
fn payloads() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/xss/payloads.txt");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.replace("\\n", "\n").replace("\\t", "\t"))
        .collect()
}

/// `s` as a YAML double-quoted scalar.
fn yq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The passage every article's annotation and second quote are anchored to.
const ANCHOR: &str = "Anchor passage";

/// Whether `payload` is Markdown with a gloss link (`person:`...), which must name
/// something that exists: the build refuses it (see
/// `payloads_in_gloss_links_are_refused_with_a_diagnostic`).
fn has_gloss_link(payload: &str) -> bool {
    gloss::markdown::SCHEMES
        .iter()
        .any(|s| payload.contains(&format!("]({s}:")))
}

/// Writes one article, person, topic, outlet and page per payload, with the payload in
/// every text field and every Markdown body (but for gloss links in Markdown).
fn write_text_fields(site: &Site, payloads: &[String]) {
    // The image the payloads name (`![x](x)`): a missing one would be an error.
    site.file("static/x", "x");
    for (n, p) in payloads.iter().enumerate() {
        let q = yq(p);
        let p = if has_gloss_link(p) {
            format!("Gloss link {n}.")
        } else {
            p.clone()
        };
        let q_md = yq(&p);
        site.file(
            &format!("content/articles/x{n}.md"),
            &format!(
                "---\ntitle: {q}\ndate: 2025-01-02\ndateline: {q}\nsummary: {q}\nauthors: [{q}]\n\
                 topics: [t{n}]\nspeakers:\n  - p{n}\n  - {{ id: s{n}, name: {q}, role: {q} }}\n\
                 sources:\n  src:\n    outlet: o{n}\n    title: {q}\n    url: https://example.org/{n}\n\
                 quotes:\n  - speaker: p{n}\n    text: {q}\n    source: src\n\
                 \x20 - speaker: s{n}\n    text: \"{ANCHOR}\"\n    source: src\n\
                 annotations:\n  - on: \"{ANCHOR}\"\n    kind: fact-check\n    rating: {q}\n\
                 \x20   claimant: p{n}\n    note: {q_md}\n    sources: [src]\n\
                 \x20 - kind: context\n    note: {q_md}\n---\n\
                 {ANCHOR} here.\n\n{p}\n\nTail.\n"
            ),
        );
        site.file(
            &format!("content/people/p{n}.md"),
            &format!("---\nname: {q}\nrole: {q}\naliases: [{q}]\n---\n{p}\n"),
        );
        site.file(
            &format!("content/topics/t{n}.md"),
            &format!("---\nname: {q}\n---\n{p}\n"),
        );
        site.file(
            &format!("content/outlets/o{n}.md"),
            &format!("---\nname: {q}\n---\n{p}\n"),
        );
        site.file(
            &format!("content/pages/pg{n}.md"),
            &format!("---\ntitle: {q}\nsummary: {q}\n---\n{p}\n"),
        );
    }
}

/// `site.yaml` with `title` and `description` and a `markdown:` section.
fn site_yaml(title: &str, description: &str, markdown: &str) -> String {
    format!(
        "title: {}\ndescription: {}\n{markdown}",
        yq(title),
        yq(description)
    )
}

/// What a payload-free build of a site writes: the theme's own active tags and the XML
/// element names, which the scan then allows.
#[derive(Default)]
struct Baseline {
    signatures: BTreeSet<String>,
    tag_names: BTreeSet<String>,
    xml_names: BTreeSet<String>,
}

impl Baseline {
    /// Builds `site` (already written with harmless text) and records what it holds.
    fn of(site: &Site) -> Baseline {
        let out = site.build_ok(&[]);
        let mut b = Baseline::default();
        for (path, bytes) in tree(&out) {
            let text = String::from_utf8_lossy(&bytes);
            if path.ends_with(".html") {
                let scan = tokenize(&text);
                for t in &scan.tags {
                    b.tag_names.insert(t.name.clone());
                    b.signatures.insert(signature(t));
                }
            } else if path.ends_with(".xml") {
                b.xml_names.extend(xml_names(&text).unwrap_or_default());
            }
        }
        b
    }
}

/// A start tag: lower-case name and attributes (values raw, entities not decoded).
#[derive(Debug)]
struct TagToken {
    name: String,
    attrs: Vec<(String, String)>,
}

/// What the tokenizer found in a page.
#[derive(Default)]
struct Scan {
    tags: Vec<TagToken>,
    /// Contents of `<script type="application/ld+json">` blocks.
    json_blocks: Vec<String>,
    /// Text outside tags, entities decoded.
    text: String,
    problems: Vec<String>,
}

/// Elements whose presence is allowed only as the theme writes them.
const ACTIVE: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "form", "object", "embed", "applet", "base",
    "meta", "link", "svg", "math", "template", "input", "button", "textarea", "select", "keygen",
    "isindex", "noscript", "portal", "param",
];

/// What pulldown-cmark writes for Markdown (besides what the theme has).
const MARKDOWN_TAGS: &[&str] = &[
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "del",
    "sup",
    "div",
    "hr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "span",
    "mark",
    "aside",
];

/// Attributes holding a URL a browser may load or navigate to.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "lowsrc",
    "dynsrc",
    "codebase",
    "cite",
    "ping",
    "manifest",
    "icon",
    "to",
    "from",
    "values",
];

/// The identity of an active tag: its name and attributes, with the values that change
/// from page to page (titles, depth of relative links) left out.
fn signature(t: &TagToken) -> String {
    let mut attrs: Vec<String> = t
        .attrs
        .iter()
        .map(|(k, v)| match k.as_str() {
            "type" | "rel" | "http-equiv" | "method" | "role" | "class" | "name" | "charset" => {
                format!("{k}={v}")
            }
            "src" | "href" | "action" => {
                format!("{k}=…/{}", v.rsplit('/').next().unwrap_or(v))
            }
            _ => k.clone(),
        })
        .collect();
    attrs.sort();
    format!("<{} {}>", t.name, attrs.join(" "))
}

/// Decodes HTML character references as a browser does in attribute values (numeric
/// ones with or without `;`, and the named ones that matter for URLs).
fn decode_entities(s: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("colon", ':'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("nbsp", '\u{a0}'),
        ("lpar", '('),
        ("rpar", ')'),
        ("sol", '/'),
        ("period", '.'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .chars()
                .take_while(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
            if len > 0 {
                let value = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 })
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                out.push(value);
                rest = &digits[len..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
        } else if let Some((name, c)) = NAMED.iter().find(|(name, _)| {
            rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name)
        }) {
            rest = &rest[name.len()..];
            rest = rest.strip_prefix(';').unwrap_or(rest);
            out.push(*c);
            continue;
        }
        out.push('&');
    }
    out.push_str(rest);
    out
}

/// Whether a URL attribute value would run script or load a document from its own text.
fn dangerous_url(raw: &str) -> bool {
    let decoded: String = decode_entities(raw)
        .chars()
        // Browsers drop tabs and newlines anywhere and control characters and spaces at
        // the start; dropping them everywhere is stricter.
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "livescript:", "mocha:"]
        .iter()
        .any(|s| decoded.starts_with(s))
}

/// Tokenizes `html` by the HTML rules for tags, attributes, comments and raw-text
/// elements, and records problems that need no baseline (event handlers, URLs, JSON-LD).
fn tokenize(html: &str) -> Scan {
    let mut scan = Scan::default();
    let lower = html.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
            i += 1;
            continue;
        }
        scan.text.push_str(&decode_entities(&html[text_start..i]));
        if lower[i..].starts_with("<!--") {
            // The theme writes no comments: one in a page came from the content.
            scan.problems
                .push(format!("comment `{}`", excerpt(&html[i..])));
            i = lower[i + 4..]
                .find("-->")
                .map_or(b.len(), |e| i + 4 + e + 3);
        } else if lower[i..].starts_with("<!doctype") {
            i = lower[i..].find('>').map_or(b.len(), |e| i + e + 1);
        } else if next == b'!' || next == b'?' {
            scan.problems
                .push(format!("markup declaration `{}`", excerpt(&html[i..])));
            i = lower[i..].find('>').map_or(b.len(), |e| i + e + 1);
        } else if next == b'/' {
            i = lower[i..].find('>').map_or(b.len(), |e| i + e + 1);
        } else {
            let (tag, end) = match parse_tag(&lower, i + 1) {
                Some(x) => x,
                None => {
                    scan.problems
                        .push(format!("unterminated tag `{}`", excerpt(&html[i..])));
                    break;
                }
            };
            i = end;
            if tag.name == "script" || tag.name == "style" {
                let close = format!("</{}", tag.name);
                let body_end = lower[i..].find(&close).map_or(b.len(), |e| i + e);
                let is_json = tag
                    .attrs
                    .iter()
                    .any(|(k, v)| k == "type" && v == "application/ld+json");
                if is_json {
                    scan.json_blocks.push(html[i..body_end].to_string());
                }
                i = body_end;
            }
            check_attrs(&tag, &mut scan.problems);
            scan.tags.push(tag);
        }
        text_start = i;
    }
    if text_start < html.len() {
        scan.text.push_str(&decode_entities(&html[text_start..]));
    }
    for block in &scan.json_blocks {
        if block.contains("<!--") || block.contains("<script") {
            scan.problems
                .push(format!("JSON-LD holds markup: {}", excerpt(block)));
        }
        if let Err(e) = serde_json::from_str::<serde_json::Value>(block) {
            scan.problems
                .push(format!("JSON-LD does not parse ({e}): {}", excerpt(block)));
        }
    }
    scan
}

/// Parses the start tag whose name begins at `at`; returns it and the offset after `>`.
fn parse_tag(lower: &str, at: usize) -> Option<(TagToken, usize)> {
    let b = lower.as_bytes();
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = at;
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name = lower[at..i].to_string();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            return Some((TagToken { name, attrs }, i + 1));
        }
        let start = i;
        i += 1; // a name may start with `=`
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let key = lower[start..i].to_string();
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let mut value = String::new();
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = lower[i + 1..].find(q as char)? + i + 1;
                    value = lower[i + 1..end].to_string();
                    i = end + 1;
                }
                _ => {
                    let start = i;
                    while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    value = lower[start..i].to_string();
                }
            }
        }
        attrs.push((key, value));
    }
}

/// Event handlers, script URLs and script in styles.
fn check_attrs(tag: &TagToken, problems: &mut Vec<String>) {
    for (k, v) in &tag.attrs {
        if k.starts_with("on") {
            problems.push(format!("event handler `{k}` on <{}>", tag.name));
        }
        let urls: Vec<&str> = match k.as_str() {
            "srcset" => v.split(',').collect(),
            "content" if tag.attrs.iter().any(|(k, _)| k == "http-equiv") => v
                .split_once("url=")
                .map(|(_, u)| vec![u])
                .unwrap_or_default(),
            k if URL_ATTRS.contains(&k) => vec![v.as_str()],
            _ => Vec::new(),
        };
        for u in urls {
            if dangerous_url(u) {
                problems.push(format!("<{} {k}=\"{v}\">", tag.name));
            }
        }
        if k == "style" {
            let d = decode_entities(v).to_ascii_lowercase();
            if ["expression", "javascript:", "url(", "@import", "binding"]
                .iter()
                .any(|s| d.contains(s))
            {
                problems.push(format!("<{} style=\"{v}\">", tag.name));
            }
        }
    }
}

fn excerpt(s: &str) -> String {
    s.chars().take(80).collect()
}

/// The element names of an XML document, or the parse error.
fn xml_names(text: &str) -> Result<BTreeSet<String>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut names = BTreeSet::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                names.insert(String::from_utf8_lossy(e.name().as_ref()).into_owned());
            }
            Ok(Event::Eof) => return Ok(names),
            Err(e) => return Err(format!("at {}: {e}", reader.buffer_position())),
            Ok(_) => {}
        }
    }
}

/// Every problem in the output folder `out`, by file.
fn scan_output(out: &Path, baseline: &Baseline) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, bytes) in tree(out) {
        let text = String::from_utf8_lossy(&bytes);
        let mut report = |p: String| problems.push(format!("{path}: {p}"));
        if path.ends_with(".html") {
            let scan = tokenize(&text);
            scan.problems.into_iter().for_each(&mut report);
            for t in &scan.tags {
                let allowed_name = baseline.tag_names.contains(&t.name)
                    || MARKDOWN_TAGS.contains(&t.name.as_str());
                if !allowed_name {
                    report(format!("unexpected element <{}>", t.name));
                } else if ACTIVE.contains(&t.name.as_str())
                    && !baseline.signatures.contains(&signature(t))
                {
                    report(format!(
                        "active element not written by the theme: {}",
                        signature(t)
                    ));
                }
            }
        } else if path.ends_with(".xml") {
            match xml_names(&text) {
                Ok(names) => {
                    for n in names.difference(&baseline.xml_names) {
                        report(format!("unexpected XML element <{n}>"));
                    }
                }
                Err(e) => report(format!("XML does not parse: {e}")),
            }
        } else if (path.ends_with(".json") || path.ends_with(".jsonld"))
            && let Err(e) = serde_json::from_str::<serde_json::Value>(&text)
        {
            report(format!("JSON does not parse: {e}"));
        }
    }
    problems
}

/// Fails with the first problems, if any.
fn assert_clean(problems: &[String], what: &str) {
    assert!(
        problems.is_empty(),
        "{what}: {} problems, first ones:\n{}",
        problems.len(),
        problems
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The decoded text outside tags of an output page.
fn page_text(out: &Path, rel: &str) -> String {
    let p = out.join(rel);
    let html = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
    tokenize(&html).text
}

/// Passive elements `markdown.html: sanitize` keeps from raw HTML (besides
/// [`MARKDOWN_TAGS`]); none can run anything, and their attributes are still scanned.
const SANITIZED_TAGS: &[&str] = &[
    "details",
    "summary",
    "figure",
    "figcaption",
    "abbr",
    "cite",
    "dl",
    "dt",
    "dd",
    "mark",
    "aside",
    "section",
    "span",
    "div",
    "sup",
    "sub",
    "b",
    "i",
    "u",
    "s",
    "small",
    "q",
    "kbd",
    "samp",
    "var",
    "time",
    "ins",
    "del",
    "caption",
    "col",
    "colgroup",
    "center",
    "big",
    "tt",
];

/// Builds the text-field site with `markdown`, checks it against a payload-free build
/// with the same settings (allowing the elements `passive` too), and returns the site
/// and its output folder.
fn build_and_scan(markdown: &str, passive: &[&str]) -> (Site, std::path::PathBuf) {
    let payloads = payloads();
    let plain: Vec<String> = (0..payloads.len())
        .map(|n| format!("Plain text {n}"))
        .collect();
    let clean = Site::new();
    clean.file("site.yaml", &site_yaml("Archive", "About it", markdown));
    write_text_fields(&clean, &plain);
    let mut baseline = Baseline::of(&clean);
    baseline
        .tag_names
        .extend(passive.iter().map(|t| t.to_string()));

    let site = Site::new();
    site.file(
        "site.yaml",
        &site_yaml(
            "</title><script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            markdown,
        ),
    );
    write_text_fields(&site, &payloads);
    let out = site.build_ok(&[]);
    assert_clean(&scan_output(&out, &baseline), markdown);
    (site, out)
}

#[test]
fn payloads_in_text_fields_and_bodies_stay_inert_and_visible() {
    let markdown = "markdown:\n  unsafe_html: false\n  smart_punctuation: false\n";
    let (_site, out) = build_and_scan(markdown, &[]);
    let payloads = payloads();
    let shown = |s: &str| s.trim().to_string();
    let mut missing = Vec::new();
    let quotes = page_text(&out, "quotes/index.html");
    for (n, p) in payloads.iter().enumerate() {
        let want = shown(p);
        // Titles, datelines, names and roles are plain text: they must be shown as
        // written, not dropped.
        let article = page_text(&out, &format!("articles/x{n}/index.html"));
        let person = page_text(&out, &format!("people/p{n}/index.html"));
        let page = page_text(&out, &format!("pg{n}/index.html"));
        let speaker = page_text(&out, &format!("people/s{n}/index.html"));
        let topic = page_text(&out, &format!("topics/t{n}/index.html"));
        for (what, text) in [
            ("article", &article),
            ("person", &person),
            ("page", &page),
            ("speaker", &speaker),
            ("topic", &topic),
            ("quotes", &quotes),
        ] {
            if !text.contains(&want) {
                missing.push(format!("{what} {n}: `{want}` not shown"));
            }
        }
        // Title, dateline, quote text, rating, the speaker's name and role.
        let times = article.matches(&want).count();
        if times < 6 {
            missing.push(format!("article {n}: `{want}` shown {times} times"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    let home = page_text(&out, "index.html");
    assert!(home.contains("</title><script>alert(1)</script>"), "{home}");
}

#[test]
fn payloads_with_the_default_markdown_settings_stay_inert() {
    build_and_scan("", &[]);
}

/// Issue 15: `sanitize` keeps allowed HTML, so every payload must be cleaned, not escaped.
#[test]
fn payloads_in_sanitize_mode_stay_inert() {
    build_and_scan("markdown:\n  html: sanitize\n", SANITIZED_TAGS);
    build_and_scan(
        "markdown:\n  html: sanitize\n  smart_punctuation: false\n",
        SANITIZED_TAGS,
    );
}

#[test]
fn payloads_in_gloss_links_are_refused_with_a_diagnostic() {
    let payloads: Vec<String> = payloads()
        .into_iter()
        .filter(|p| has_gloss_link(p))
        .collect();
    assert!(!payloads.is_empty());
    let clean = Site::new();
    clean.file(
        "content/articles/a.md",
        &crate::util::article("", "Plain.\n"),
    );
    let baseline = Baseline::of(&clean);
    for p in payloads {
        let site = Site::new();
        site.file("content/articles/a.md", &crate::util::article("", &p));
        let run = site.run(&["build"]);
        // Not every such payload parses as a link; those that do name nothing.
        if run.code == 0 {
            assert_clean(&scan_output(&site.path().join("public"), &baseline), &p);
        } else {
            assert!(
                run.stderr.contains("unknown link target"),
                "{p}: {}",
                run.stderr
            );
        }
    }
}

/// The scanner itself finds what it is meant to find.
#[test]
fn the_scanner_catches_active_content() {
    let baseline = Baseline {
        signatures: BTreeSet::from(["<script type=application/ld+json>".to_string()]),
        tag_names: ["html", "body", "p", "script"].map(String::from).into(),
        xml_names: BTreeSet::new(),
    };
    let bad = [
        "<p>x</p><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<IMG SRC=x OnError=alert(1)>",
        "<img/src=\"x\"/onerror=alert(1)>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href='&#106;avascript:alert(1)'>x</a>",
        "<a href=\" JaVaScRiPt&colon;alert(1)\">x</a>",
        "<a href=data:text/html,x>x</a>",
        "<img srcset=\"a.png 1x, javascript:alert(1) 2x\">",
        "<iframe src=x></iframe>",
        "<form><button>x</button></form>",
        "<svg><a>x</a></svg>",
        "<style>@import 'x';</style>",
        "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
        "<p style=\"width: expression(alert(1))\">x</p>",
        "<p>x<!--<img src=x onerror=alert(1)>--></p>",
        "<script type=\"application/ld+json\">{\"a\": \"</script><script>alert(1)</script>",
        "<p>x <img src=x onerror=alert(1)",
    ];
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for html in bad {
        std::fs::write(dir.path().join("index.html"), html).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !scan_output(dir.path(), &baseline).is_empty(),
            "not caught: {html}"
        );
    }
    let good = "<html><body><p>&lt;script&gt;alert(1)&lt;/script&gt; \
                <a href=\"https://x.org/?a=javascript:1\" title=\"onerror=x\">x</a> \
                <img src=\"x.png\" alt=\"javascript:alert(1)\"></p>\
                <script type=\"application/ld+json\">{\"a\": \"\\u003c/script>\"}</script></body></html>";
    std::fs::write(dir.path().join("index.html"), good).unwrap_or_else(|e| panic!("{e}"));
    assert_clean(&scan_output(dir.path(), &baseline), "good page");
}

#[test]
fn unsafe_html_true_still_builds() {
    let site = Site::new();
    site.file("site.yaml", "markdown:\n  unsafe_html: true\n");
    write_text_fields(&site, &payloads());
    site.build_ok(&[]);
}

/// One article whose source and outlet and person profiles have `url` as their URLs.
fn write_url_fields(site: &Site, n: usize, url: &str) {
    let q = yq(url);
    site.file(
        &format!("content/articles/u{n}.md"),
        &format!(
            "---\ntitle: U{n}\ndate: 2025-01-02\nspeakers: [q{n}]\nsources:\n  src:\n    outlet: w{n}\n\
             \x20   title: Source {n}\n    url: {q}\n    archived: {q}\n\
             quotes:\n  - speaker: q{n}\n    text: Quoted {n}\n    source: src\n---\nQuoted {n}.\n"
        ),
    );
    site.file(
        &format!("content/outlets/w{n}.md"),
        &format!("---\nname: Outlet {n}\nurl: {q}\n---\n"),
    );
    site.file(
        &format!("content/people/q{n}.md"),
        &format!("---\nname: Person {n}\nlinks: [{q}]\n---\n"),
    );
}

#[test]
fn payloads_in_url_fields_are_refused_or_inert() {
    let payloads = payloads();
    let clean = Site::new();
    for n in 0..payloads.len() {
        write_url_fields(&clean, n, &format!("https://example.org/{n}"));
    }
    let baseline = Baseline::of(&clean);
    let site = Site::new();
    for (n, p) in payloads.iter().enumerate() {
        write_url_fields(&site, n, p);
    }
    let run = site.run(&["build"]);
    if run.code == 0 {
        assert_clean(
            &scan_output(&site.path().join("public"), &baseline),
            "URL fields",
        );
        return;
    }
    // Some URLs are refused: then each payload on its own is refused or inert.
    for (n, p) in payloads.iter().enumerate() {
        let one = Site::new();
        write_url_fields(&one, n, p);
        let run = one.run(&["build"]);
        if run.code == 0 {
            assert_clean(&scan_output(&one.path().join("public"), &baseline), p);
        } else {
            assert!(run.stderr.contains("error"), "{p}: {}", run.stderr);
        }
    }
}

/// Front matter URLs must be web (http/https) addresses: anything else is a located
/// error with what to write, in articles and profiles alike.
#[test]
fn front_matter_urls_that_are_not_web_urls_are_located_errors() {
    let site = Site::new();
    write_url_fields(&site, 0, "JaVaScRiPt:alert(1)");
    write_url_fields(&site, 1, "https://example.org/ok");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (file, line, key) in [
        ("content/articles/u0.md", 7, "`url`"),
        ("content/articles/u0.md", 8, "`archived`"),
        ("content/outlets/w0.md", 3, "`url`"),
        ("content/people/q0.md", 3, "`links`"),
    ] {
        let wanted = format!("{key} must be a web address starting with `https://` or `http://`");
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(&wanted) || l.contains(&format!("{file}:{line}"))),
            "{file}:{line} {key}:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("write an address starting with `https://`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("u1.md"), "{}", run.stderr);
    assert!(
        !site.path().join("public/index.html").exists(),
        "nothing published"
    );
}

#[test]
fn payloads_in_site_yaml_stay_inert_and_visible() {
    let markdown = "markdown:\n  smart_punctuation: false\n";
    let body = crate::util::article("", "Body.\n");
    let clean = Site::new();
    clean.file("site.yaml", &site_yaml("Archive", "About it", markdown));
    clean.file("content/articles/a.md", &body);
    let baseline = Baseline::of(&clean);
    // A build takes a while: a dozen payloads at a time, together in one title.
    for chunk in payloads().chunks(12) {
        let title = chunk.join(" ");
        let description = chunk.iter().rev().cloned().collect::<Vec<_>>().join(" ");
        let site = Site::new();
        site.file("site.yaml", &site_yaml(&title, &description, markdown));
        site.file("content/articles/a.md", &body);
        let out = site.build_ok(&[]);
        assert_clean(&scan_output(&out, &baseline), &title);
        let home = page_text(&out, "index.html");
        for p in chunk {
            assert!(home.contains(p.trim()), "`{p}` not shown:\n{home}");
        }
    }
}
