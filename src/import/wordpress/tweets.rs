//! Tweets as WordPress keeps them (`<blockquote class="twitter-tweet">` with the text,
//! then Twitter's `widgets.js`) become `social` blocks with their text, author, handle,
//! date and address; the script, a third-party request, goes.

use super::body::{Pass, inline};
use super::embeds::{self, Social};
use super::html::attr;

/// `<blockquote class="twitter-tweet">` becomes a `social` block with the tweet's text,
/// author, handle, date and address; Twitter's `widgets.js` script goes.
pub(super) fn convert(text: &str, p: &mut Pass<'_, '_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<blockquote") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let open_end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let class = attr(&rest[..open_end], "class").unwrap_or_default();
        let Some(close) = rest
            .find("</blockquote>")
            .filter(|_| class.contains("twitter-tweet"))
        else {
            out.push_str(&rest[..open_end]);
            rest = &rest[open_end..];
            continue;
        };
        let inner = &rest[open_end..close];
        let tweet = read_tweet(inner, p.ctx.converter);
        p.done("tweet markup -> `social` block with its text", &tweet.url);
        let ph = p.put(embeds::social(&tweet));
        out.push_str(&ph);
        rest = &rest[close + "</blockquote>".len()..];
    }
    out.push_str(rest);
    // The script only loads Twitter's widget (a third-party request).
    let mut cleaned = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("<script") {
        cleaned.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find("</script>").map_or(tail.len(), |e| e + 9);
        let script = &tail[..end];
        if script.contains("platform.twitter.com") {
            p.done("Twitter's widgets.js script removed", script);
        } else {
            cleaned.push_str(script);
        }
        rest = &tail[end..];
    }
    cleaned.push_str(rest);
    cleaned
}

/// A tweet's parts from its blockquote: `<p>TEXT</p>&mdash; Name (@handle) <a
/// href="…/status/1">March 3, 2024</a>`.
fn read_tweet(inner: &str, converter: &htmd::HtmlToMarkdown) -> Social {
    let (para, tail) = match (inner.find("<p"), inner.rfind("</p>")) {
        (Some(s), Some(e)) if e > s => {
            let body = &inner[s..e];
            let body = body.split_once('>').map_or(body, |(_, b)| b);
            (body, &inner[e + 4..])
        }
        _ => ("", inner),
    };
    let mut s = Social {
        text: inline(para, converter),
        ..Social::default()
    };
    if let Some(a) = tail.rfind("<a ") {
        let tag_end = tail[a..].find('>').map_or(tail.len(), |e| a + e + 1);
        let href = attr(&tail[a..tag_end], "href").unwrap_or_default();
        s.url = href.split('?').next().unwrap_or("").to_string();
        let date = tail[tag_end..].split("</a>").next().unwrap_or("").trim();
        s.date = jiff::civil::Date::strptime("%B %d, %Y", date)
            .map(|d| d.to_string())
            .unwrap_or_else(|_| date.to_string());
        let who = super::media::decode_entities(&tail[..a]);
        let who = who.trim().trim_start_matches(['—', '-']).trim();
        if let Some((name, handle)) = who.rsplit_once('(') {
            s.author = name.trim().to_string();
            s.handle = handle.trim_end_matches(')').trim().to_string();
        } else {
            s.author = who.to_string();
        }
    }
    s
}
