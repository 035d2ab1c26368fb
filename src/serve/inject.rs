//! What `gloss serve` adds to the pages it serves: the live-reload script and the error
//! overlay, inserted before `</body>` of every HTML response; and the content type of
//! each file. `gloss build` output never contains any of it.

use std::sync::LazyLock;

use axum::http::HeaderValue;

use super::http::EVENTS_PATH;

/// The id of the error overlay, shared by the static element and the script.
const OVERLAY_ID: &str = "gloss-overlay";
/// Styles of the overlay (no quotes: they go into HTML attributes and JS strings).
const OVERLAY_STYLE: &str = "position:fixed;top:0;left:0;right:0;z-index:2147483647;\
max-height:70vh;overflow:auto;box-sizing:border-box;margin:0;padding:12px 48px 12px 16px;\
background:#1e1e1e;color:#ffc0c0;border-bottom:4px solid #e5484d;text-align:left;\
box-shadow:0 2px 12px rgba(0,0,0,.4);font:13px/1.5 ui-monospace,Menlo,Consolas,monospace";
const TITLE_STYLE: &str = "margin:0 0 4px;color:#fff;font-weight:bold";
const COUNT_STYLE: &str = "margin:0 0 8px;color:#fff";
/// An entry: its headline wraps, the quoted line and its marker scroll sideways rather
/// than wrap (a wrapped `^^^^` no longer points at anything), even at 375 px.
const ENTRY_STYLE: &str = "margin:0 0 6px";
const ERROR_STYLE: &str = "cursor:pointer;color:#ffb4b4;word-break:break-word";
const WARNING_STYLE: &str = "cursor:pointer;color:#ffe08a;word-break:break-word";
const PRE_STYLE: &str = "margin:0;white-space:pre;overflow-x:auto;font:inherit;\
color:#ddd;background:none;border:0;padding:0 0 0 1em";
const BUTTON_STYLE: &str = "position:absolute;top:6px;right:10px;border:0;background:none;\
color:#fff;font:22px/1 sans-serif;cursor:pointer";
const OVERLAY_TITLE: &str = "gloss: the last build failed; this page is from the last good build";

/// The live-reload script. Overlay text goes in with `textContent`, never as HTML.
/// `__NAME__` placeholders are filled in once, by [`SCRIPT`].
const SCRIPT_TEMPLATE: &str = r#"<script>(function(){
var ID='__ID__';
function hide(){var o=document.getElementById(ID);if(o)o.parentNode.removeChild(o);}
function el(t,css,text){var e=document.createElement(t);e.style.cssText=css;
if(text!==undefined)e.textContent=text;return e;}
// As `entries` in inject.rs: the first line counts, each headline opens an entry.
function show(text){hide();
var lines=text.split('\n'),d=el('div','__BOX__'),b=el('button','__BUTTON__','\u00d7'),pre=null;
d.id=ID;d.setAttribute('role','alert');b.type='button';b.title='dismiss (Esc)';b.onclick=hide;
d.appendChild(b);d.appendChild(el('p','__TITLE_STYLE__','__TITLE__'));
d.appendChild(el('p','__COUNT__',lines[0]));
for(var i=1;i<lines.length;i++){var l=lines[i],m=/^\S.*?: (error|warning): /.exec(l);
if(m){var x=el('details','__ENTRY__');x.open=true;
x.appendChild(el('summary',m[1]==='error'?'__ERROR__':'__WARNING__',l));
pre=el('pre','__PRE__','');x.appendChild(pre);d.appendChild(x);}
else{if(!pre){pre=el('pre','__PRE__','');d.appendChild(pre);}
pre.textContent+=(pre.textContent?'\n':'')+l;}}
(document.body||document.documentElement).appendChild(d);}
document.addEventListener('keydown',function(e){if(e.key==='Escape')hide();});
if(!window.EventSource)return;
var es,lost=false;try{es=new EventSource('__EVENTS__');}catch(e){return;}
// Back after losing the server (a restarted `gloss serve`): the site may have changed.
es.onerror=function(){lost=true;};es.onopen=function(){if(lost)location.reload();};
es.addEventListener('reload',function(){hide();location.reload();});
es.addEventListener('css',function(){var v=String(Date.now()),
ls=document.querySelectorAll('link[rel~=stylesheet]');
for(var i=0;i<ls.length;i++){try{var u=new URL(ls[i].href,location.href);
if(u.origin!==location.origin)continue;u.searchParams.set('v',v);ls[i].href=u.href;}catch(e){}}});
es.addEventListener('errors',function(e){show(e.data);});
es.addEventListener('ok',hide);
})();</script>
"#;

/// [`SCRIPT_TEMPLATE`] with its placeholders filled in.
static SCRIPT: LazyLock<String> = LazyLock::new(|| {
    SCRIPT_TEMPLATE
        .replace("__ID__", OVERLAY_ID)
        .replace("__BOX__", OVERLAY_STYLE)
        .replace("__TITLE_STYLE__", TITLE_STYLE)
        .replace("__TITLE__", OVERLAY_TITLE)
        .replace("__BUTTON__", BUTTON_STYLE)
        .replace("__PRE__", PRE_STYLE)
        .replace("__COUNT__", COUNT_STYLE)
        .replace("__ENTRY__", ENTRY_STYLE)
        .replace("__ERROR__", ERROR_STYLE)
        .replace("__WARNING__", WARNING_STYLE)
        .replace("__EVENTS__", EVENTS_PATH)
});

pub(crate) fn is_html(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// The `Content-Type` for a file key, from its extension; text types say UTF-8.
pub(crate) fn content_type(key: &str) -> HeaderValue {
    if is_html(key) {
        return HeaderValue::from_static("text/html; charset=utf-8");
    }
    let ext = key
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    let essence = match ext.as_deref() {
        // mime_guess says `text/xml`; feeds and sitemaps are application XML.
        Some("xml") => "application/xml",
        _ => mime_guess::from_path(key)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    let is_text = essence.starts_with("text/")
        || matches!(
            essence,
            "application/xml" | "application/json" | "application/ld+json"
        );
    let value = if is_text {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_owned()
    };
    HeaderValue::try_from(value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

/// `html` with the overlay (if `errors`) and the script inserted before its last
/// `</body>`, or at its end if it has none.
pub(crate) fn inject(html: &[u8], errors: Option<&str>) -> Vec<u8> {
    let needle = b"</body";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let overlay = errors.map(overlay).unwrap_or_default();
    let mut out = Vec::with_capacity(html.len() + overlay.len() + SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(overlay.as_bytes());
    out.extend_from_slice(SCRIPT.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The overlay's text split as it shows it: the first line (the counts), then each
/// diagnostic's headline (`path:line:col: error: …`) with the lines under it, errors and
/// warnings as the build listed them (errors first). Lines before any headline form an
/// entry without one.
fn entries(text: &str) -> (&str, Vec<(Option<&str>, String)>) {
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or_default();
    let mut out: Vec<(Option<&str>, String)> = Vec::new();
    for line in lines {
        if severity(line).is_some() {
            out.push((Some(line), String::new()));
            continue;
        }
        if out.is_empty() {
            out.push((None, String::new()));
        }
        if let Some((_, body)) = out.last_mut() {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(line);
        }
    }
    (first, out)
}

/// `error` or `warning` when `line` is a diagnostic's headline.
fn severity(line: &str) -> Option<&'static str> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let error = line.find(": error: ");
    let warning = line.find(": warning: ");
    match (error, warning) {
        (Some(e), Some(w)) if w < e => Some("warning"),
        (Some(_), _) => Some("error"),
        (None, Some(_)) => Some("warning"),
        (None, None) => None,
    }
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The static error overlay (the script builds the same one from events): counts at
/// the top, then each diagnostic as an open `<details>`, collapsible without script.
fn overlay(errors: &str) -> String {
    let (counts, list) = entries(errors);
    let mut items = String::with_capacity(errors.len() + 64 * list.len());
    for (headline, body) in &list {
        if let Some(h) = headline {
            let style = match severity(h) {
                Some("warning") => WARNING_STYLE,
                _ => ERROR_STYLE,
            };
            items.push_str(&format!(
                "<details open style=\"{ENTRY_STYLE}\"><summary style=\"{style}\">{}</summary><pre style=\"{PRE_STYLE}\">{}</pre></details>",
                esc(h),
                esc(body)
            ));
        } else {
            items.push_str(&format!("<pre style=\"{PRE_STYLE}\">{}</pre>", esc(body)));
        }
    }
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"{OVERLAY_STYLE}\">\
         <button type=\"button\" title=\"dismiss (Esc)\" style=\"{BUTTON_STYLE}\" \
         onclick=\"this.parentNode.parentNode.removeChild(this.parentNode)\">&#215;</button>\
         <p style=\"{TITLE_STYLE}\">{OVERLAY_TITLE}</p><p style=\"{COUNT_STYLE}\">{}</p>{items}</div>\n",
        esc(counts)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "1 error, 1 warning\n\
        a.md:3:1: error: unknown key `x`\n  |\n3 | x: 1\n  | ^\n  = hint: remove it\n\
        b.md: warning: skipped: `b.MD`\n  = hint: rename it";

    #[test]
    fn the_overlay_text_splits_into_counts_and_entries() {
        let (counts, list) = entries(TEXT);
        assert_eq!(counts, "1 error, 1 warning");
        assert_eq!(
            list,
            [
                (
                    Some("a.md:3:1: error: unknown key `x`"),
                    "  |\n3 | x: 1\n  | ^\n  = hint: remove it".to_string()
                ),
                (
                    Some("b.md: warning: skipped: `b.MD`"),
                    "  = hint: rename it".to_string()
                ),
            ]
        );
    }

    #[test]
    fn the_static_overlay_has_counts_then_collapsible_entries() {
        let html = overlay(TEXT);
        let counts = html.find("1 error, 1 warning</p>").unwrap_or(usize::MAX);
        let error = html
            .find("<summary style=\"cursor:pointer;color:#ffb4b4")
            .unwrap_or(0);
        let warning = html
            .find("<summary style=\"cursor:pointer;color:#ffe08a")
            .unwrap_or(0);
        assert!(counts < error && error < warning, "{html}");
        assert_eq!(html.matches("<details open").count(), 2, "{html}");
        assert!(html.contains("white-space:pre;overflow-x:auto"), "{html}");
    }
}
