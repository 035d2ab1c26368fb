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
const TITLE_STYLE: &str = "margin:0 0 8px;color:#fff;font-weight:bold";
const PRE_STYLE: &str = "margin:0;white-space:pre-wrap;word-break:break-word;font:inherit;\
color:inherit;background:none;border:0;padding:0";
const BUTTON_STYLE: &str = "position:absolute;top:6px;right:10px;border:0;background:none;\
color:#fff;font:22px/1 sans-serif;cursor:pointer";
const OVERLAY_TITLE: &str = "gloss: the last build failed; this page is from the last good build";

/// The live-reload script. Overlay text goes in with `textContent`, never as HTML.
/// `__NAME__` placeholders are filled in once, by [`SCRIPT`].
const SCRIPT_TEMPLATE: &str = r#"<script>(function(){
var ID='__ID__';
function hide(){var o=document.getElementById(ID);if(o)o.parentNode.removeChild(o);}
function show(text){hide();
var d=document.createElement('div'),h=document.createElement('p'),
b=document.createElement('button'),p=document.createElement('pre');
d.id=ID;d.setAttribute('role','alert');d.style.cssText='__BOX__';
h.style.cssText='__TITLE_STYLE__';h.textContent='__TITLE__';
b.type='button';b.title='dismiss (Esc)';b.textContent='\u00d7';b.style.cssText='__BUTTON__';
b.onclick=hide;p.style.cssText='__PRE__';p.textContent=text;
d.appendChild(b);d.appendChild(h);d.appendChild(p);
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

/// The static error overlay (the script builds the same one from events).
fn overlay(errors: &str) -> String {
    let mut text = String::with_capacity(errors.len() + 64);
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut text, errors);
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"{OVERLAY_STYLE}\">\
         <button type=\"button\" title=\"dismiss (Esc)\" style=\"{BUTTON_STYLE}\" \
         onclick=\"this.parentNode.parentNode.removeChild(this.parentNode)\">&#215;</button>\
         <p style=\"{TITLE_STYLE}\">{OVERLAY_TITLE}</p><pre style=\"{PRE_STYLE}\">{text}</pre></div>\n"
    )
}
