//! Hugo shortcodes in bodies, `{{< name args >}}` and `{{% name args %}}` (named or
//! positional arguments, self-closing or paired with `{{< /name >}}`), become gloss
//! constructs: `figure` a `figure` block, `youtube`/`vimeo` a `video` block,
//! `tweet`/`x`/`instagram` a `social` block, `ref`/`relref` a link gloss resolves,
//! `highlight` a fenced code block, `gist` a link, `param` its value; `comment` is
//! removed. Escaped ones (`{{</* x */>}}`) become the literal text Hugo showed. Any other
//! shortcode (the site's own, in `layouts/shortcodes/`) is left as written and listed
//! with its line. The embed blocks are the fenced `figure`/`video`/`social` blocks of
//! issue 15, written by [`block`].

use serde_json::Value;

use super::liquid::Converted;

/// What a body's shortcodes may refer to.
pub(crate) struct Context<'a> {
    /// The link target for `ref`/`relref` of a path (`post.md`, `/posts/x`), with any
    /// `#fragment` kept; `None` when no imported page is that one.
    pub(crate) resolve: &'a dyn Fn(&str) -> Option<String>,
    /// `param` values: the page's front matter, then the site's `params`.
    pub(crate) params: &'a dyn Fn(&str) -> Option<String>,
}

/// A fenced embed block (`figure`, `video`, `social`) with its fields, each a YAML
/// value written as JSON (always valid YAML, never a quoting question); empty fields
/// are left out.
pub(crate) fn block(kind: &str, fields: &[(&str, Value)]) -> String {
    let mut t = format!("```{kind}\n");
    for (k, v) in fields {
        let empty = matches!(v, Value::Null) || v.as_str().is_some_and(str::is_empty);
        if !empty {
            super::front::yaml_line(&mut t, k, v);
        }
    }
    t.push_str("```\n");
    t
}

/// One shortcode call as written.
#[derive(Debug, Default)]
struct Call {
    name: String,
    /// Named (`Some(key)`) and positional (`None`) arguments, in order.
    args: Vec<(Option<String>, String)>,
    /// `{{< x />}}`.
    closed: bool,
}

impl Call {
    /// The argument named `key`, else the positional one at `pos`.
    fn arg(&self, key: &str, pos: usize) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k.as_deref() == Some(key))
            .or_else(|| self.args.iter().filter(|(k, _)| k.is_none()).nth(pos))
            .map(|(_, v)| v.as_str())
    }

    fn named(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k.as_deref() == Some(key))
            .map(|(_, v)| v.as_str())
    }
}

/// The length of the tag that opens `s` (`{{< … >}}` or `{{% … %}}`), quotes respected.
fn tag_len(s: &str) -> Option<usize> {
    let close = if s.starts_with("{{<") { ">}}" } else { "%}}" };
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(3) {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '`' => quote = Some(c),
            None if s[i..].starts_with(close) => return Some(i + 3),
            None => {}
        }
    }
    None
}

/// Parses the inside of a tag (between `{{<` and `>}}`).
fn parse(inner: &str) -> Call {
    let mut call = Call::default();
    let mut rest = inner.trim();
    if let Some(r) = rest.strip_suffix('/') {
        call.closed = true;
        rest = r.trim_end();
    }
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    call.name = rest[..end].to_string();
    rest = rest[end..].trim_start();
    while !rest.is_empty() {
        let mut key = None;
        if let Some(eq) = rest.find('=')
            && !rest[..eq].contains([' ', '"', '`'])
            && eq > 0
        {
            key = Some(rest[..eq].to_string());
            rest = &rest[eq + 1..];
        }
        let (value, len) = match rest.chars().next() {
            Some(q @ ('"' | '`')) => {
                let body = &rest[1..];
                let mut value = String::new();
                let mut end = body.len();
                let mut chars = body.char_indices();
                while let Some((i, c)) = chars.next() {
                    if c == '\\' && q == '"' {
                        if let Some((_, n)) = chars.next() {
                            value.push(n);
                        }
                    } else if c == q {
                        end = i;
                        break;
                    } else {
                        value.push(c);
                    }
                }
                (value, (end + 2).min(rest.len()))
            }
            _ => {
                let e = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (rest[..e].to_string(), e)
            }
        };
        call.args.push((key, value));
        rest = rest[len..].trim_start();
    }
    call
}

/// Converts the shortcodes of `body`.
pub(crate) fn convert(body: &str, cx: &Context<'_>) -> Converted {
    let mut out = Converted::default();
    let mut rest = body;
    let mut line = 1u32;
    while let Some(i) = rest.find("{{<").into_iter().chain(rest.find("{{%")).min() {
        let before = &rest[..i];
        out.text.push_str(before);
        line += before.matches('\n').count() as u32;
        rest = &rest[i..];
        let Some(len) = tag_len(rest) else {
            out.left
                .push((line, super::one_line(&rest[..rest.len().min(80)])));
            break;
        };
        let tag = &rest[..len];
        let inner = &tag[3..len - 3];
        // `{{</* x */>}}`: the literal shortcode, as Hugo's docs show one.
        if let Some(lit) = inner
            .trim_start()
            .strip_prefix("/*")
            .and_then(|t| t.trim_end().strip_suffix("*/"))
        {
            let (open, close) = (&tag[..3], &tag[len - 3..]);
            out.text.push_str(&format!("{open}{lit}{close}"));
            out.done
                .push(("escaped shortcode -> its literal text", tag.into()));
            rest = &rest[len..];
            continue;
        }
        let call = parse(inner);
        // A paired shortcode's inner text and closing tag.
        let paired = (!call.closed)
            .then(|| closing(&rest[len..], &call.name))
            .flatten();
        let (inner_text, whole) = match paired {
            Some((at, close_len)) => (Some(&rest[len..len + at]), len + at + close_len),
            None => (None, len),
        };
        let at_line = line;
        let start = rest;
        match convert_call(&call, inner_text, cx) {
            Some((what, text)) => {
                rest = super::source::splice(&mut out.text, &text, &rest[whole..]);
                out.done.push((what, tag.to_string()));
            }
            None => {
                // A closing tag of one left as written is no second problem.
                if !call.name.starts_with('/') {
                    out.left.push((at_line, tag.to_string()));
                }
                out.text.push_str(tag);
                rest = &rest[len..];
            }
        }
        let consumed = &start[..start.len() - rest.len()];
        line += consumed.matches('\n').count() as u32;
    }
    out.text.push_str(rest);
    out
}

/// Where `{{< /name >}}` (or `{{% /name %}}`) closes a shortcode opened just before
/// `s`: its offset and length, nested pairs of the same name skipped.
fn closing(s: &str, name: &str) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut at = 0;
    while let Some(i) = s[at..]
        .find("{{<")
        .into_iter()
        .chain(s[at..].find("{{%"))
        .min()
    {
        let start = at + i;
        let len = tag_len(&s[start..])?;
        let inner = s[start + 3..start + len - 3].trim();
        if let Some(closed) = inner.strip_prefix('/') {
            if closed.trim() == name {
                if depth == 0 {
                    return Some((start, len));
                }
                depth -= 1;
            }
        } else if parse(inner).name == name && !inner.ends_with('/') {
            depth += 1;
        }
        at = start + len;
    }
    None
}

/// The gloss text of one shortcode, with what the report calls the conversion; `None`
/// for one gloss cannot convert.
fn convert_call(
    call: &Call,
    inner: Option<&str>,
    cx: &Context<'_>,
) -> Option<(&'static str, String)> {
    let s = |v: Option<&str>| Value::String(v.unwrap_or("").to_string());
    match call.name.as_str() {
        "figure" => {
            let src = call.arg("src", 0)?;
            let caption = call.named("caption").or(call.named("title"));
            let credit = match (call.named("attr"), call.named("attrlink")) {
                (Some(a), Some(l)) => Some(format!("[{a}]({l})")),
                (a, _) => a.map(str::to_string),
            };
            let alt = call.named("alt").unwrap_or("");
            if caption.is_none() && credit.is_none() && call.named("link").is_none() {
                return Some(("`figure` -> image", format!("![{alt}]({src})")));
            }
            let fields = [
                ("image", s(Some(src))),
                ("alt", s(Some(alt))),
                ("caption", s(caption)),
                ("credit", s(credit.as_deref())),
                ("link", s(call.named("link"))),
            ];
            Some(("`figure` -> `figure` block", block("figure", &fields)))
        }
        "youtube" | "vimeo" => {
            let id = call.arg("id", 0)?;
            let start = call
                .named("start")
                .and_then(|v| v.parse::<u64>().ok())
                .map_or(Value::Null, Value::from);
            let fields = [
                (call.name.as_str(), s(Some(id))),
                ("title", s(call.named("title"))),
                ("start", start),
            ];
            let what = if call.name == "youtube" {
                "`youtube` -> `video` block"
            } else {
                "`vimeo` -> `video` block"
            };
            Some((what, block("video", &fields)))
        }
        "tweet" | "x" => {
            let id = call.arg("id", 0)?;
            let user = call.named("user");
            let url = match user {
                Some(u) => format!("https://x.com/{u}/status/{id}"),
                None => format!("https://twitter.com/i/status/{id}"),
            };
            let handle = user.map(|u| format!("@{u}"));
            let fields = [("url", s(Some(&url))), ("handle", s(handle.as_deref()))];
            Some((
                "`tweet`/`x` -> `social` block (its text is unknown offline: add `text:` from the original)",
                block("social", &fields),
            ))
        }
        "instagram" => {
            let id = call.arg("id", 0)?;
            let url = format!("https://www.instagram.com/p/{id}/");
            Some((
                "`instagram` -> `social` block (its text is unknown offline: add `text:` from the original)",
                block("social", &[("url", s(Some(&url)))]),
            ))
        }
        "ref" | "relref" => {
            let target = call.arg("path", 0)?;
            Some((
                "`ref`/`relref` -> a link gloss resolves",
                (cx.resolve)(target)?,
            ))
        }
        "highlight" => {
            let code = inner?;
            let lang = call.arg("lang", 0).unwrap_or("");
            let code = code.strip_prefix('\n').unwrap_or(code);
            let fence = if code.contains("```") { "~~~~" } else { "```" };
            let nl = if code.ends_with('\n') { "" } else { "\n" };
            Some((
                "`highlight` -> fenced code",
                format!("{fence}{lang}\n{code}{nl}{fence}\n"),
            ))
        }
        "gist" => {
            let user = call.arg("user", 0)?;
            let id = call.arg("id", 1)?;
            let file = call.arg("file", 2);
            let url = format!("https://gist.github.com/{user}/{id}");
            let label =
                file.map_or_else(|| format!("{user}/{id}"), |f| format!("{user}/{id}: {f}"));
            Some((
                "`gist` -> link to the gist",
                format!("[Gist {label}]({url})"),
            ))
        }
        "param" => {
            let key = call.arg("name", 0)?;
            Some(("`param` -> its value", (cx.params)(key)?))
        }
        "comment" => inner.map(|_| ("`comment` removed", String::new())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Converted {
        let resolve = |p: &str| {
            p.trim_start_matches('/')
                .starts_with("posts/bridge")
                .then(|| "article:bridge".to_string())
        };
        let params = |k: &str| (k == "city").then(|| "Springfield".to_string());
        convert(
            body,
            &Context {
                resolve: &resolve,
                params: &params,
            },
        )
    }

    #[test]
    fn figures_videos_and_posts_become_blocks() {
        let c = run(concat!(
            "Intro.\n",
            "{{< figure src=\"bridge.png\" alt=\"The bridge\" caption=\"The *old* bridge\" attr=\"City archive\" attrlink=\"https://example.org\" >}}\n",
            "{{< figure src=\"/img/plain.png\" alt=\"Plain\" >}}\n",
            "{{< youtube id=\"abc123\" title=\"Opening\" start=\"30\" >}}\n",
            "{{< vimeo 42 >}}\n",
            "{{< tweet user=\"city\" id=\"99\" >}}\n",
            "{{< instagram BxYz >}}\n",
        ));
        assert_eq!(
            c.text,
            concat!(
                "Intro.\n",
                "```figure\nimage: \"bridge.png\"\nalt: \"The bridge\"\ncaption: \"The *old* bridge\"\ncredit: \"[City archive](https://example.org)\"\n```\n",
                "![Plain](/img/plain.png)\n",
                "```video\nyoutube: \"abc123\"\ntitle: \"Opening\"\nstart: 30\n```\n",
                "```video\nvimeo: \"42\"\n```\n",
                "```social\nurl: \"https://x.com/city/status/99\"\nhandle: \"@city\"\n```\n",
                "```social\nurl: \"https://www.instagram.com/p/BxYz/\"\n```\n",
            )
        );
        assert!(c.left.is_empty(), "{:?}", c.left);
    }

    #[test]
    fn refs_code_params_comments_and_unknown_shortcodes() {
        let c = run(concat!(
            "See [the bridge]({{< ref \"posts/bridge.md#history\" >}}) in {{< param city >}}.\n",
            "{{< highlight go \"linenos=table\" >}}\nfmt.Println(\"hi\")\n{{< /highlight >}}\n",
            "{{% comment %}}note to self{{% /comment %}}\n",
            "{{< gist spf13 7896402 >}}\n",
            "{{< notice warning >}}Careful{{< /notice >}}\n",
            "{{< ref \"missing.md\" >}}\n",
            "Shown: {{</* youtube x */>}}\n",
        ));
        assert_eq!(
            c.text,
            concat!(
                "See [the bridge](article:bridge) in Springfield.\n",
                "```go\nfmt.Println(\"hi\")\n```\n",
                "[Gist spf13/7896402](https://gist.github.com/spf13/7896402)\n",
                "{{< notice warning >}}Careful{{< /notice >}}\n",
                "{{< ref \"missing.md\" >}}\n",
                "Shown: {{< youtube x >}}\n",
            )
        );
        let left: Vec<u32> = c.left.iter().map(|(l, _)| *l).collect();
        assert_eq!(left, [7, 8], "{:?}", c.left);
    }
}
