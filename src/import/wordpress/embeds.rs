//! gloss's embed blocks (issue 15: ```` ```figure ````, ```` ```video ````,
//! ```` ```social ```` fenced blocks whose body is YAML) made from what WordPress
//! stores: attachment images, YouTube/Vimeo/Twitter addresses, a tweet's markup.
//! Values are written as JSON strings (valid YAML), so no quoting question arises.

use serde_json::Value;

use crate::import::front::yaml_line;

/// A fenced block of `kind` with `fields` (`None`s and empty values left out), then
/// `start` (seconds, a number) when given.
fn block_at(kind: &str, fields: &[(&str, Option<&str>)], start: Option<u64>) -> String {
    let mut out = format!("```{kind}\n");
    for (key, value) in fields {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            yaml_line(&mut out, key, &Value::String(v.to_string()));
        }
    }
    if let Some(s) = start {
        yaml_line(&mut out, "start", &Value::from(s));
    }
    out.push_str("```");
    out
}

/// [`block_at`] without a start.
fn block(kind: &str, fields: &[(&str, Option<&str>)]) -> String {
    block_at(kind, fields, None)
}

/// An image: a `figure` block when it has a caption, credit or link, else `![alt](src)`.
pub(crate) fn figure(
    image: &str,
    alt: &str,
    caption: &str,
    credit: &str,
    link: Option<&str>,
) -> String {
    if caption.trim().is_empty() && credit.trim().is_empty() && link.is_none() {
        let alt = alt.replace(['[', ']'], "");
        return format!("![{}]({})", alt.trim(), image.replace(' ', "%20"));
    }
    let mut out = String::from("```figure\n");
    yaml_line(&mut out, "image", &Value::String(image.to_string()));
    // `alt` is kept even when empty: `alt: ""` marks an image decorative.
    yaml_line(&mut out, "alt", &Value::String(alt.trim().to_string()));
    for (key, value) in [("caption", caption), ("credit", credit)] {
        if !value.trim().is_empty() {
            yaml_line(&mut out, key, &Value::String(value.trim().to_string()));
        }
    }
    if let Some(l) = link {
        yaml_line(&mut out, "link", &Value::String(l.to_string()));
    }
    out.push_str("```");
    out
}

/// What an embedded address is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Embed {
    /// A YouTube video id with its start in seconds.
    YouTube(String, Option<u64>),
    Vimeo(String),
    /// A post on Twitter/X: its address (without tracking query) and the handle.
    Tweet(String, String),
}

/// Reads a YouTube, Vimeo or Twitter/X address; `None` for any other.
pub(crate) fn classify(url: &str) -> Option<Embed> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest
        .strip_prefix("www.")
        .or_else(|| rest.strip_prefix("m."))
        .unwrap_or(rest);
    let (host, path) = rest.split_once('/')?;
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .map(str::to_string)
    };
    let id_ok = |id: &str| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let start = || {
        param("t")
            .or_else(|| param("start"))
            .and_then(|t| t.trim_end_matches('s').parse().ok())
    };
    match host {
        "youtube.com" | "youtube-nocookie.com" => {
            let id = match path.split('/').collect::<Vec<_>>().as_slice() {
                ["watch"] => param("v")?,
                ["embed" | "shorts" | "v" | "live", id, ..] => (*id).to_string(),
                _ => return None,
            };
            id_ok(&id).then(|| Embed::YouTube(id, start()))
        }
        "youtu.be" => {
            let id = path.trim_end_matches('/').to_string();
            id_ok(&id).then(|| Embed::YouTube(id, start()))
        }
        "vimeo.com" | "player.vimeo.com" => {
            let id = path.trim_end_matches('/').rsplit('/').next()?.to_string();
            (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(Embed::Vimeo(id))
        }
        "twitter.com" | "x.com" | "mobile.twitter.com" => {
            let parts: Vec<&str> = path.split('/').collect();
            match parts.as_slice() {
                [handle, "status", id, ..] if id.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(Embed::Tweet(
                        format!("https://{host}/{handle}/status/{id}"),
                        (*handle).into(),
                    ))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The block for an embedded address, with a caption (`title` for videos); `None` for
/// an address gloss has no block for.
pub(crate) fn for_url(url: &str, caption: &str) -> Option<String> {
    Some(match classify(url)? {
        Embed::YouTube(id, start) => block_at(
            "video",
            &[("youtube", Some(&id)), ("caption", Some(caption))],
            start,
        ),
        Embed::Vimeo(id) => block("video", &[("vimeo", Some(&id)), ("caption", Some(caption))]),
        Embed::Tweet(url, handle) => social(&Social {
            url,
            handle: format!("@{handle}"),
            ..Social::default()
        }),
    })
}

/// A social post, as a tweet's markup holds it.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Social {
    pub(crate) url: String,
    pub(crate) author: String,
    pub(crate) handle: String,
    /// `YYYY-MM-DD`, or as written when it does not parse.
    pub(crate) date: String,
    /// Inline Markdown.
    pub(crate) text: String,
}

/// The `social` block of `s`.
pub(crate) fn social(s: &Social) -> String {
    block(
        "social",
        &[
            ("url", Some(&s.url)),
            ("author", Some(&s.author)),
            ("handle", Some(&s.handle)),
            ("date", Some(&s.date)),
            ("text", Some(&s.text)),
        ],
    )
}

/// A `video` block for a file of the site (`[video src=…]`, `<video src=…>`).
pub(crate) fn video_file(src: &str, poster: &str, caption: &str) -> String {
    block(
        "video",
        &[
            ("src", Some(src)),
            ("poster", Some(poster)),
            ("caption", Some(caption)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_videos_and_posts() {
        assert_eq!(
            classify("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s"),
            Some(Embed::YouTube("dQw4w9WgXcQ".into(), Some(42)))
        );
        assert_eq!(
            classify("https://youtu.be/dQw4w9WgXcQ"),
            Some(Embed::YouTube("dQw4w9WgXcQ".into(), None))
        );
        assert_eq!(
            classify("https://player.vimeo.com/video/76979871"),
            Some(Embed::Vimeo("76979871".into()))
        );
        assert_eq!(
            classify("https://twitter.com/CityOfRiverside/status/1765?ref_src=twsrc"),
            Some(Embed::Tweet(
                "https://twitter.com/CityOfRiverside/status/1765".into(),
                "CityOfRiverside".into()
            ))
        );
        assert_eq!(classify("https://example.org/watch?v=x"), None);
        assert_eq!(classify("https://vimeo.com/channels/staff"), None);
    }

    #[test]
    fn plain_images_stay_markdown() {
        assert_eq!(
            figure("/a b.jpg", "A [b]", "", "", None),
            "![A b](/a%20b.jpg)"
        );
        assert_eq!(
            figure("/a.jpg", "", "Dusk *over* it", "", None),
            "```figure\nimage: \"/a.jpg\"\nalt: \"\"\ncaption: \"Dusk *over* it\"\n```"
        );
    }
}
