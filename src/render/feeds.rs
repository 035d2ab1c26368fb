//! Machine-readable outputs: Atom feeds, the sitemap (`/annotations.jsonld` is
//! `annotations.rs`'s), and the
//! redirects of old paths (their pages and `_redirects`).

use crate::routes::plan::{SITEMAP_URLS, sitemap_parts};
use serde_json::{Value, json};
use tera::Context;

use super::views::{ArticleCard, Shared};
use crate::link::EntityKind;

/// Entries per feed.
pub(crate) const FEED_ENTRIES: usize = 20;

/// One entry of a feed: the article's card, and with `feeds.full_text` its body as
/// HTML (its links are relative to the article's page: the template gives the entry's
/// content that page as `xml:base`).
#[derive(serde::Serialize)]
struct FeedEntry<'c, 'a> {
    #[serde(flatten)]
    card: ArticleCard<'a>,
    content: Option<std::borrow::Cow<'c, str>>,
}

/// Which feed a feed job makes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FeedOf {
    /// The site's, every language.
    Site,
    /// A person's, topic's or outlet's.
    Entity(EntityKind, usize),
    /// One language's of a multilingual site (index into its languages).
    Language(usize),
}

/// Adds a feed's context; an error when the theme's embed template fails on a body.
pub(crate) fn feed_context(
    s: &Shared<'_>,
    of: FeedOf,
    ctx: &mut Context,
) -> Result<(), tera::Error> {
    let a = s.archive;
    let site = a.config.language.as_str();
    let (title, dir, ids, lang): (String, String, Vec<usize>, &str) = match of {
        FeedOf::Site => (
            a.config.title.clone(),
            String::new(),
            (0..a.articles.len().min(FEED_ENTRIES)).collect(),
            site,
        ),
        FeedOf::Entity(kind, i) => {
            let e = &a.entities(kind)[i];
            let lang = e
                .profile
                .as_ref()
                .and_then(|p| p.language.as_deref())
                .unwrap_or(site);
            (
                s.i18n
                    .text(
                        lang,
                        "feed_of",
                        None,
                        &[("site", &a.config.title), ("name", &e.name)],
                    )
                    .unwrap_or_else(|_| a.config.title.clone()),
                e.dir.clone(),
                e.articles.iter().take(FEED_ENTRIES).copied().collect(),
                lang,
            )
        }
        FeedOf::Language(l) => {
            let language = &a.languages[l];
            let name = s.i18n.language_name(&language.tag);
            (
                s.i18n
                    .text(
                        &language.tag,
                        "feed_in_language",
                        None,
                        &[("site", &a.config.title), ("language", &name)],
                    )
                    .unwrap_or_else(|_| a.config.title.clone()),
                language.dir.clone(),
                language
                    .articles
                    .iter()
                    .take(FEED_ENTRIES)
                    .copied()
                    .collect(),
                language.tag.as_str(),
            )
        }
    };
    ctx.insert("lang", lang);
    let full = a.config.feeds_full_text;
    let entries: Vec<FeedEntry<'_, '_>> = ids
        .iter()
        .map(|&i| {
            Ok(FeedEntry {
                card: s.card(i),
                // A feed reader shows no style sheet: the theme leaves the margin
                // copies of side notes out, which it would show twice.
                content: full.then(|| s.article_body(i, true)).transpose()?,
            })
        })
        .collect::<Result<_, tera::Error>>()?;
    let updated = entries
        .iter()
        .map(|e| e.card.updated_iso)
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    ctx.insert(
        "feed",
        &json!({
            "title": title,
            "id": s.url(&format!("{dir}feed.xml")),
            "self_url": s.url(&format!("{dir}feed.xml")),
            "alternate": s.url(&dir),
            "updated": updated,
        }),
    );
    ctx.insert("entries", &entries);
    Ok(())
}

/// The context of the redirect page of [`crate::link::Archive::redirects`]`[i]`: the
/// page it leads to, relative to the redirect's own folder and absolute.
pub(crate) fn redirect_context(s: &Shared<'_>, i: usize, ctx: &mut Context) {
    let r = &s.archive.redirects[i];
    let here = r.path.rfind('/').map_or("", |k| &r.path[..=k]);
    ctx.insert(
        "redirect",
        &json!({
            "href": format!("{}{}", crate::routes::dirs::root_prefix(here), s.href(&r.to)),
            "url": s.url(&r.to),
            "title": r.title,
        }),
    );
}

/// `_redirects` for Netlify and Cloudflare Pages, under the path of `base_url`.
pub(crate) fn redirects_file(s: &Shared<'_>) -> String {
    let a = s.archive;
    crate::routes::redirects::redirects_file(
        crate::routes::redirects::base_path(&a.config.base_url),
        a.redirects.iter().map(|r| (r.path.as_str(), r.to.as_str())),
    )
}

/// The context of sitemap file `part` (see [`crate::routes::plan::Job::Sitemap`]): `urls` to
/// list, or, for the index of a split sitemap, `sitemaps` (the parts' absolute URLs).
pub(crate) fn sitemap_context(
    s: &Shared<'_>,
    urls: &[(String, Option<&str>)],
    part: usize,
    ctx: &mut Context,
) {
    let parts = sitemap_parts(urls.len());
    if parts > 0 && part == 0 {
        let sitemaps: Vec<String> = (1..=parts)
            .map(|k| s.url(&format!("sitemap-{k}.xml")))
            .collect();
        ctx.insert("sitemaps", &sitemaps);
        ctx.insert("urls", &Vec::<Value>::new());
        return;
    }
    let shown = match part {
        0 => urls,
        k => &urls[((k - 1) * SITEMAP_URLS).min(urls.len())..(k * SITEMAP_URLS).min(urls.len())],
    };
    let list: Vec<Value> = shown
        .iter()
        .map(|(loc, lastmod)| json!({"loc": loc, "lastmod": lastmod}))
        .collect();
    ctx.insert("sitemaps", &Vec::<String>::new());
    ctx.insert("urls", &list);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_splits_only_past_the_protocol_limit() {
        assert_eq!(sitemap_parts(0), 0);
        assert_eq!(sitemap_parts(SITEMAP_URLS), 0);
        assert_eq!(sitemap_parts(SITEMAP_URLS + 1), 2);
        assert_eq!(sitemap_parts(148_431), 3);
    }

    #[test]
    fn the_default_template_writes_an_index_of_the_parts() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let theme = super::super::theme::load(dir.path(), &crate::model::Config::default())
            .unwrap_or_else(|d| panic!("{d:?}"));
        let mut ctx = Context::new();
        ctx.insert(
            "sitemaps",
            &[
                "https://e.example/sitemap-1.xml",
                "https://e.example/sitemap-2.xml",
            ],
        );
        ctx.insert("urls", &Vec::<Value>::new());
        let index = theme
            .tera
            .render("sitemap.xml", &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            index.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex "),
            "{index}"
        );
        assert_eq!(index.matches("<sitemap>").count(), 2, "{index}");
        assert!(
            index.contains("<loc>https://e.example/sitemap-2.xml</loc>"),
            "{index}"
        );
        ctx.insert("sitemaps", &Vec::<String>::new());
        ctx.insert(
            "urls",
            &[json!({"loc": "https://e.example/a/", "lastmod": null})],
        );
        let list = theme
            .tera
            .render("sitemap.xml", &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            list.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset "),
            "{list}"
        );
        assert!(
            list.contains("<url>\n<loc>https://e.example/a/</loc>\n</url>"),
            "{list}"
        );
    }
}
