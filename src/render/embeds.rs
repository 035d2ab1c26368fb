//! Figures, videos and social posts in rendered bodies: each placeholder the Markdown
//! stage left (`<!--gloss:embed N-->`) is replaced by the theme's markup for embed `N`,
//! rendered from `embed.html` with the embed's data as `embed`. The theme owns this
//! markup so that a site can override it like any other template.

use std::borrow::Cow;

use tera::{Context, Tera};

use crate::markdown::embeds::Embed;

/// The template that renders one embed.
pub(crate) const TEMPLATE: &str = "embed.html";

/// `html` with each embed's placeholder replaced by its markup; `html` itself when the
/// text has no embeds.
pub(crate) fn splice<'h>(
    tera: &Tera,
    html: &'h str,
    embeds: &[Embed],
    lang: &str,
) -> Result<Cow<'h, str>, tera::Error> {
    const OPEN: &str = "<!--gloss:embed ";
    if embeds.is_empty() {
        return Ok(Cow::Borrowed(html));
    }
    let mut out = String::with_capacity(html.len() + embeds.len() * 512);
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len()..];
        let embed = after
            .split_once("-->")
            .and_then(|(n, tail)| Some((embeds.get(n.parse::<usize>().ok()?)?, tail)));
        match embed {
            Some((embed, tail)) => {
                let mut ctx = Context::new();
                ctx.insert("embed", embed);
                ctx.insert("lang", lang);
                out.push_str(tera.render(TEMPLATE, &ctx)?.trim());
                rest = tail;
            }
            // Not one of gloss's (a comment of trusted raw HTML): kept.
            None => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}
