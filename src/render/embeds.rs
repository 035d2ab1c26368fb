//! Figures, videos and social posts in rendered bodies: the placeholder the Markdown
//! stage left for embed `N` (`<!--gloss:embed N-->`) is filled (by [`super::marks::fill`])
//! with the theme's markup for it, rendered from `embed.html` with the embed's data as
//! `embed`. The theme owns this markup so that a site can override it like any other
//! template.

use tera::{Context, Tera};

use crate::markdown::embeds::Embed;

/// The template that renders one embed.
pub(crate) const TEMPLATE: &str = "embed.html";

/// The theme's markup of `embed`, its strings in `lang`.
pub(crate) fn render(tera: &Tera, embed: &Embed, lang: &str) -> Result<String, tera::Error> {
    let mut ctx = Context::new();
    ctx.insert("embed", embed);
    ctx.insert("lang", lang);
    tera.render(TEMPLATE, &ctx)
}
