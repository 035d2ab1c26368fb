//! WordPress shortcodes (`[name attr="v"]`, `[name]…[/name]`): `[caption]` becomes a
//! figure, `[embed]`, `[youtube]`, `[vimeo]` and `[tweet]` a video or social block,
//! `[video]` a video of a file, `[gallery]` a figure per image. Any other shortcode is
//! left as written and listed; bracketed words that are no shortcode (`[sic]`, `[1]`)
//! are text. `[[name]]`, WordPress's escape, is the literal `[name]`.

use super::body::{Handle, image_parts};
use super::embeds;
use super::html::attr;

/// A shortcode found in the text.
struct Found<'t> {
    name: &'t str,
    /// The opening tag, brackets included.
    open: &'t str,
    /// The enclosed content of `[name]…[/name]`, if closed.
    content: Option<&'t str>,
    /// Bytes from the `[` to the end of the whole shortcode.
    len: usize,
}

/// Reads a shortcode at the start of `s` (which starts with `[`).
fn read(s: &str) -> Option<Found<'_>> {
    let body = &s[1..];
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(body.len());
    let name = &body[..name_len];
    if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let after = body[name_len..].chars().next()?;
    if !(after == ']' || after == ' ' || after == '/') {
        return None;
    }
    // The closing `]`, outside quotes.
    let mut quote = None;
    let mut end = None;
    for (i, c) in body.char_indices().skip(name_len) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ']') => {
                end = Some(i + 2);
                break;
            }
            (None, '[') | (_, '\n') if quote.is_none() => return None,
            _ => {}
        }
    }
    let open_len = end?;
    let open = &s[..open_len];
    let close = format!("[/{name}]");
    let self_closing = open.ends_with("/]");
    let (content, len) = match s[open_len..].find(&close).filter(|_| !self_closing) {
        Some(c) => (Some(&s[open_len..open_len + c]), open_len + c + close.len()),
        None => (None, open_len),
    };
    Some(Found {
        name,
        open,
        content,
        len,
    })
}

/// Shortcodes WordPress and its common plugins register; listed when left even without
/// attributes or a closing tag.
const KNOWN: &[&str] = &[
    "audio",
    "playlist",
    "contact-form",
    "contact-form-7",
    "gravityform",
    "instagram",
    "soundcloud",
    "googlemaps",
    "wpvideo",
    "ngg",
    "su_button",
    "et_pb_section",
    "vc_row",
];

/// Converts the shortcodes of `text`.
pub(crate) fn convert(text: &str, h: &mut Handle<'_, '_, '_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(inner) = rest.strip_prefix("[[")
            && let Some(e) = inner.find("]]")
        {
            out.push_str(&rest[1..e + 3]);
            rest = &rest[e + 4..];
            continue;
        }
        let Some(sc) = read(rest) else {
            out.push('[');
            rest = &rest[1..];
            continue;
        };
        match one(&sc, h) {
            Some(replacement) => out.push_str(&replacement),
            None => {
                let looks_like_one = sc.content.is_some()
                    || sc.open.contains('=')
                    || sc.open.ends_with("/]")
                    || KNOWN.contains(&sc.name);
                if looks_like_one {
                    h.left(
                        sc.open,
                        format!(
                            "shortcode `{}` left as written",
                            crate::import::one_line(sc.open)
                        ),
                    );
                }
                out.push_str(&rest[..sc.len]);
            }
        }
        rest = &rest[sc.len..];
    }
    out.push_str(rest);
    out
}

/// The replacement of one shortcode, `None` when it stays.
fn one(sc: &Found<'_>, h: &mut Handle<'_, '_, '_>) -> Option<String> {
    match sc.name {
        "caption" | "wp_caption" => caption(sc, h),
        "embed" | "youtube" | "vimeo" | "tweet" => {
            let url = sc
                .content
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .or_else(|| attr(sc.open, "url"))
                .or_else(|| {
                    // `[youtube https://…]`, Jetpack's positional form.
                    sc.open
                        .trim_matches(['[', ']'])
                        .split_whitespace()
                        .nth(1)
                        .map(str::to_string)
                })?;
            let url = if sc.name == "vimeo" && url.bytes().all(|b| b.is_ascii_digit()) {
                format!("https://vimeo.com/{url}")
            } else {
                url
            };
            let block = embeds::for_url(&url, "")?;
            if let Some(embeds::Embed::Tweet(..)) = embeds::classify(&url) {
                h.left(
                    sc.open,
                    format!("tweet {url}: the export holds only its address; add its `text:` to the social block"),
                );
            }
            h.done(&format!("`[{}]` -> embed block", sc.name), sc.open);
            Some(h.put(block))
        }
        "video" => {
            let src = ["src", "mp4", "webm", "ogv"]
                .iter()
                .find_map(|k| attr(sc.open, k))?;
            let src = h.media(&src);
            let poster = attr(sc.open, "poster")
                .map(|p| h.media(&p))
                .unwrap_or_default();
            h.done("`[video]` -> `video` block", sc.open);
            Some(h.put(embeds::video_file(&src, &poster, "")))
        }
        "gallery" => gallery(sc, h),
        _ => None,
    }
}

/// `[caption id="attachment_12" …]<a href><img …></a> Text[/caption]`.
fn caption(sc: &Found<'_>, h: &mut Handle<'_, '_, '_>) -> Option<String> {
    let content = sc.content?;
    let (src, mut alt, link) = image_parts(content)?;
    // The caption is what follows the image (and its link), or the old `caption=` form.
    let after = content
        .rfind("</a>")
        .filter(|_| link.is_some())
        .map(|e| e + 4)
        .or_else(|| {
            content
                .find("<img")
                .and_then(|i| content[i..].find('>').map(|e| i + e + 1))
        })
        .unwrap_or(0);
    let text = attr(sc.open, "caption").unwrap_or_else(|| content[after..].to_string());
    let id = attr(sc.open, "id").and_then(|i| {
        i.strip_prefix("attachment_")
            .and_then(|n| n.parse::<u64>().ok())
    });
    if alt.is_empty()
        && let Some(a) = id.and_then(|i| h.attachments().get(&i))
    {
        alt = a.alt.clone();
    }
    let caption = h.inline(&text);
    let src = h.media(&src);
    let link = link.map(|l| h.media(&l));
    h.done("`[caption]` -> `figure` block", sc.open);
    Some(h.put(embeds::figure(&src, &alt, &caption, "", link.as_deref())))
}

/// `[gallery ids="1,2"]`: a figure per image; without `ids`, the images attached to the
/// post, as WordPress shows them.
fn gallery(sc: &Found<'_>, h: &mut Handle<'_, '_, '_>) -> Option<String> {
    let ids: Vec<u64> = match attr(sc.open, "ids").or_else(|| attr(sc.open, "include")) {
        Some(list) => list
            .split(',')
            .filter_map(|i| i.trim().parse().ok())
            .collect(),
        None => {
            let post = h.post_id();
            h.attachments()
                .iter()
                .filter(|(_, a)| a.parent == post && a.parent != 0)
                .map(|(id, _)| *id)
                .collect()
        }
    };
    let found: Vec<(u64, super::media::Attachment)> = ids
        .iter()
        .filter_map(|i| h.attachments().get(i).map(|a| (*i, a.clone())))
        .collect();
    let missing: Vec<String> = ids
        .iter()
        .filter(|i| !h.attachments().contains_key(i))
        .map(u64::to_string)
        .collect();
    if found.is_empty() {
        h.left(
            sc.open,
            format!(
                "`{}`: none of its images is in the export",
                crate::import::one_line(sc.open)
            ),
        );
        return None;
    }
    if !missing.is_empty() {
        h.left(
            sc.open,
            format!(
                "`{}`: attachments {} are not in the export, left out",
                crate::import::one_line(sc.open),
                missing.join(", ")
            ),
        );
    }
    let mut blocks = Vec::new();
    for (_, a) in &found {
        let src = h.media(&a.url);
        let caption = h.inline(&a.caption);
        blocks.push(embeds::figure(&src, &a.alt, &caption, "", None));
    }
    h.done("`[gallery]` -> a figure per image", sc.open);
    Some(
        blocks
            .into_iter()
            .map(|b| h.put(b))
            .collect::<Vec<_>>()
            .concat(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_are_read_with_their_content() {
        let sc = read("[caption id=\"a_1\" title=\"x ] y\"]<img/> Text[/caption] after")
            .unwrap_or_else(|| panic!("not read"));
        assert_eq!(sc.name, "caption");
        assert_eq!(sc.open, "[caption id=\"a_1\" title=\"x ] y\"]");
        assert_eq!(sc.content, Some("<img/> Text"));
        assert_eq!(
            sc.len,
            "[caption id=\"a_1\" title=\"x ] y\"]<img/> Text[/caption]".len()
        );
        let sc = read("[gallery ids=\"1,2\" /] more").unwrap_or_else(|| panic!("not read"));
        assert_eq!((sc.name, sc.content), ("gallery", None));
        // Bracketed text that is no shortcode.
        assert!(read("[1]").is_none());
        assert!(read("[sic]").is_some_and(|s| s.content.is_none() && !s.open.contains('=')));
        assert!(read("[see below\nthis]").is_none());
    }
}
