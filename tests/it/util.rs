//! Fixture sites and helpers to run gloss on them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A site in a temporary folder.
pub(crate) struct Site {
    dir: tempfile::TempDir,
}

/// What a gloss run printed and returned.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stderr: String,
    pub(crate) stdout: String,
}

impl Site {
    /// An empty site.
    pub(crate) fn new() -> Site {
        Site {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        }
    }

    /// A copy of the repository's sample archive.
    pub(crate) fn sample() -> Site {
        let site = Site::new();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &site.path().join("content"));
        std::fs::copy(repo.join("site.yaml"), site.path().join("site.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        site
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders).
    pub(crate) fn file(&self, rel: &str, text: &str) -> &Site {
        self.bytes(rel, text.as_bytes())
    }

    pub(crate) fn bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(self.path()))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
        self
    }

    /// Dates every source file of the site ten seconds back: a build trusts its record
    /// of the sources to skip the next build only when none was modified within the
    /// last two seconds (a second save in the same clock tick could go unseen).
    pub(crate) fn settle(&self) -> &Site {
        let back = std::time::SystemTime::now() - std::time::Duration::from_secs(10);
        let sources = ["site.yaml", "content", "static", "templates", "themes"];
        for entry in sources
            .iter()
            .flat_map(|dir| walkdir::WalkDir::new(self.path().join(dir)))
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            std::fs::File::options()
                .write(true)
                .open(entry.path())
                .and_then(|f| f.set_modified(back))
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        }
        self
    }

    /// Runs `gloss ARGS` in the site.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs `gloss ARGS` in the site with extra environment variables.
    pub(crate) fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .output()
            .unwrap_or_else(|e| panic!("run gloss: {e}"));
        Run {
            code: out.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        }
    }

    /// `gloss build`, which must succeed.
    pub(crate) fn build_ok(&self, args: &[&str]) -> PathBuf {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        self.path().join("public")
    }

    /// Reads an output file of the default output folder.
    pub(crate) fn read(&self, rel: &str) -> String {
        let p = self.path().join("public").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    }

    /// Reads a file of the site (not of the output).
    pub(crate) fn read_file(&self, rel: &str) -> String {
        let p = self.path().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    }
}

/// Copies a folder recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap_or_else(|e| panic!("{e}"));
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        // Every file: the output holds the site and nothing else (gloss's records live
        // in `.gloss/` beside the site).
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

/// Values of `attr="..."` in an HTML text.
pub(crate) fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// Decodes the entities pulldown-cmark and Tera write in attributes.
pub(crate) fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
}

/// `html` without the contents of its `<pre>` elements.
fn without_code(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<pre") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("</pre>").map_or("", |e| &rest[i + e + 6..]);
    }
    out.push_str(rest);
    out
}

/// Checks every relative link of every HTML page under `out`: the target file exists
/// and, with a `#fragment`, holds that id. Returns the problems found.
pub(crate) fn broken_links(out: &Path) -> Vec<String> {
    let files = tree(out);
    let ids: BTreeMap<&str, BTreeSet<String>> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            (
                p.as_str(),
                attr_values(&String::from_utf8_lossy(b), "id")
                    .into_iter()
                    .map(unescape)
                    .collect(),
            )
        })
        .collect();
    let mut problems = Vec::new();
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && p.as_str() != "404.html")
    {
        let html = String::from_utf8_lossy(bytes);
        // Text in code is shown, not linked (a post may show HTML with `src="…"`).
        let html = without_code(&html);
        let base = Path::new(path).parent().unwrap_or(Path::new(""));
        for raw in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            let link = unescape(raw);
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            if link.starts_with('/') {
                problems.push(format!("{path}: root-relative link `{link}`"));
                continue;
            }
            let (file, fragment) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(f, frag)| (f, Some(frag)));
            // A text fragment (`#:~:text=…`, or after an id) is for the browser to find,
            // not an id of the page.
            let fragment = fragment
                .map(|f| f.split(":~:").next().unwrap_or(""))
                .filter(|f| !f.is_empty());
            // As a browser does: the link's path is percent-decoded into a file name.
            let decoded = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
            let file = decoded.as_ref();
            let mut target = if file.is_empty() {
                PathBuf::from(path)
            } else {
                normalise(&base.join(file))
            };
            if !file.is_empty() && (file.ends_with('/') || out.join(&target).is_dir()) {
                target = target.join("index.html");
            }
            let key = target.to_string_lossy().replace('\\', "/");
            if !files.contains_key(&key) {
                problems.push(format!("{path}: link `{link}` -> missing `{key}`"));
                continue;
            }
            if let Some(frag) = fragment.filter(|f| !f.is_empty())
                && !ids.get(key.as_str()).is_some_and(|set| set.contains(frag))
            {
                problems.push(format!(
                    "{path}: link `{link}` -> no id `{frag}` in `{key}`"
                ));
            }
        }
    }
    problems
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The minimal valid article front matter plus `extra` lines and a body.
pub(crate) fn article(extra: &str, body: &str) -> String {
    format!("---\ntitle: A test\ndate: 2025-01-02\n{extra}---\n{body}")
}

/// Checks that the tags of `html` nest properly; returns the first problem.
pub(crate) fn check_nesting(html: &str) -> Result<(), String> {
    const VOID: &[&str] = &[
        "br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base",
        "embed", "track",
    ];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        if rest.starts_with('!') {
            continue;
        }
        let end = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        if closing {
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("`</{name}>` closes `{other:?}`")),
            }
        } else if name == "script" || name == "style" {
            let close = format!("</{name}>");
            rest = rest.find(&close).map_or("", |e| &rest[e + close.len()..]);
        } else {
            stack.push(name);
        }
    }
    match stack.is_empty() {
        true => Ok(()),
        false => Err(format!("unclosed: {stack:?}")),
    }
}

/// The text of `html` without tags, entities decoded (for the ones gloss writes).
pub(crate) fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// A site generated by `bench/gen_corpus.py` (many people, paginated lists), built into
/// its `public/`.
pub(crate) fn generated(articles: usize) -> (Site, PathBuf) {
    let site = Site::new();
    let corpus = site.path().join("corpus");
    gen_corpus(articles, &corpus);
    succeed(
        Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["build", "--root"])
            .arg(&corpus),
    );
    let out = corpus.join("public");
    (site, out)
}

/// Writes a corpus of `articles` generated by `bench/gen_corpus.py` into `dir`.
pub(crate) fn gen_corpus(articles: usize, dir: &Path) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/gen_corpus.py");
    succeed(
        Command::new("python3")
            .arg(script)
            .args(["--articles", &articles.to_string(), "--out"])
            .arg(dir),
    );
}

/// Runs `command`, which must succeed.
pub(crate) fn succeed(command: &mut Command) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Serves the files under `dir` over HTTP on 127.0.0.1 as a static host would (a
/// folder's `index.html`, `404.html` for what is missing), for as long as the tests run.
/// Browsers do not let pages `fetch` from `file://` URLs.
pub(crate) fn static_server(dir: &Path) -> std::net::SocketAddr {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                // Skip the headers; every response closes the connection.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let target = line.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split(['?', '#']).next().unwrap_or("/");
                let mut file = dir.join(path.trim_start_matches('/'));
                if file.is_dir() {
                    file = file.join("index.html");
                }
                let (status, body, file) = match std::fs::read(&file) {
                    Ok(b) if !path.contains("..") => ("200 OK", b, file),
                    _ => (
                        "404 Not Found",
                        std::fs::read(dir.join("404.html")).unwrap_or_default(),
                        dir.join("404.html"),
                    ),
                };
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("css") => "text/css",
                    Some("js") => "text/javascript",
                    Some("json") | Some("jsonld") => "application/json",
                    Some("xml") => "application/xml",
                    _ => "application/octet-stream",
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let mut stream = &stream;
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    addr
}

/// The JSON-LD blocks of an HTML page, parsed.
pub(crate) fn jsonld_of(html: &str) -> Vec<serde_json::Value> {
    const OPEN: &str = r#"<script type="application/ld+json">"#;
    html.split(OPEN)
        .skip(1)
        .map(|rest| {
            let text = rest.split("</script>").next().unwrap_or_default();
            serde_json::from_str(text).unwrap_or_else(|e| panic!("invalid JSON-LD {e}: {text}"))
        })
        .collect()
}
