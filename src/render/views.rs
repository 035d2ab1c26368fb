//! The template contract: what each template sees, as borrowed, serialisable views.
//!
//! Every `href` is relative to the site root and must be prefixed with the page's
//! `root` in templates (`{{ root }}{{ person.href }}`), so views can be built once and
//! shared by every page that shows them. `url` fields are absolute (from `base_url`).

use serde::Serialize;

pub(crate) use crate::link::QuoteRef;
use crate::link::{Archive, ArticleEntry, Entity, QuoteCheck};
use crate::model::QuoteStatus;
use crate::routes::dirs::href;

/// Site-wide values every template sees as `site`.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// Site description.
    pub description: &'a str,
    /// Absolute base URL, ending in `/`.
    pub base_url: &'a str,
    /// Language tag.
    pub language: &'a str,
    /// `extra` from site.yaml.
    pub extra: &'a serde_json::Value,
    /// Href of the home page.
    pub home: String,
    /// The main navigation.
    pub nav: Vec<NavLink>,
    /// The plain pages (`content/pages/`), by URL.
    pub pages: Vec<PageLink<'a>>,
    /// Href of the corrections page, when the archive has corrections.
    pub corrections: Option<String>,
    /// The home page of each language of a multilingual site, by tag (empty for a site
    /// in one language).
    pub languages: Vec<LanguageLink>,
}

/// A link to the home page of one language of the site, named in that language.
#[derive(Debug, Serialize)]
pub struct LanguageLink {
    /// The tag (`es`).
    pub lang: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// The language's name in itself (`Español`).
    pub name: String,
    /// Href from the root (`es/index.html`).
    pub href: String,
}

/// A link to a plain page.
#[derive(Debug, Serialize)]
pub struct PageLink<'a> {
    /// The page's title.
    pub title: &'a str,
    /// Href from the root.
    pub href: String,
}

/// One entry of the main navigation.
#[derive(Debug, Serialize)]
pub struct NavLink {
    /// What it leads to (`articles`, `people`, … `search`): the default theme labels it
    /// with the string `nav_<key>` of the page's language.
    pub key: &'static str,
    /// Its label in the site's language.
    pub title: String,
    /// Href from the root.
    pub href: String,
}

impl<'a> SiteView<'a> {
    /// The site-wide view of `archive`, labels in the site's language from `i18n`.
    pub fn new(archive: &'a Archive, i18n: &super::i18n::Translations) -> Self {
        let config = &archive.config;
        let p = config.pretty_urls;
        let pages = archive
            .pages
            .iter()
            .map(|e| PageLink {
                title: &e.page.title,
                href: href(&e.dir, p),
            })
            .collect();
        let nav = [
            ("articles", ""),
            ("people", "people/"),
            ("quotes", "quotes/"),
            ("topics", "topics/"),
            ("outlets", "outlets/"),
            ("archive", crate::routes::dirs::ARCHIVE),
            ("search", "search/"),
        ]
        .into_iter()
        .map(|(key, dir)| NavLink {
            key,
            title: i18n.get(&config.language, &format!("nav_{key}")),
            href: href(dir, p),
        })
        .collect();
        let languages = archive
            .languages
            .iter()
            .map(|l| LanguageLink {
                lang: l.tag.clone(),
                dir: crate::lang::dir(&l.tag),
                name: i18n.language_name(&l.tag),
                href: href(&l.dir, p),
            })
            .collect();
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
            extra: &config.extra,
            home: href("", p),
            nav,
            pages,
            corrections: (!archive.corrections.is_empty())
                .then(|| href(crate::routes::plan::CORRECTIONS, p)),
            languages,
        }
    }
}

/// A link to an entity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityLink<'a> {
    /// Id.
    pub id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Href from the root.
    pub href: String,
    /// A person's role.
    pub role: Option<&'a str>,
    /// The language of its name and role: its profile's `language:`, else the site's.
    pub lang: &'a str,
    /// Number of articles.
    pub count: usize,
}

/// An article as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleCard<'a> {
    /// Headline.
    pub title: &'a str,
    /// The article's language (its `language:`, else the site's).
    pub lang: &'a str,
    /// Href from the root.
    pub href: String,
    /// Absolute URL.
    pub url: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// RFC 3339.
    pub date_iso: &'a str,
    /// RFC 3339 of the last update, else of the date.
    pub updated_iso: &'a str,
    /// Summary text.
    pub summary: &'a str,
    /// Dateline, if any.
    pub dateline: Option<&'a str>,
    /// The lead image, if any.
    pub image: Option<ImageView<'a>>,
    /// The bylines, each linked to the person's page when it names a person.
    pub authors: Vec<Byline<'a>>,
    /// The article's topics, in the order written.
    pub topics: Vec<TopicLink<'a>>,
    /// The ratings of the article's fact-checks, each once, in the order of the
    /// annotations (the card's badge); empty when it has no rated fact-check.
    pub ratings: Vec<&'a str>,
}

/// One byline of an article.
#[derive(Debug, Clone, Serialize)]
pub struct Byline<'a> {
    /// The name as shown.
    pub name: &'a str,
    /// The person's page, from the root, when the byline names a person.
    pub href: Option<String>,
}

/// A topic as a card names it.
#[derive(Debug, Clone, Serialize)]
pub struct TopicLink<'a> {
    /// Display name.
    pub name: &'a str,
    /// The language of its name (its profile's, else the site's).
    pub lang: &'a str,
    /// Href from the root.
    pub href: String,
}

/// An article's lead image as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView<'a> {
    /// Its href: from the site root (prefix it with `root`, like every href) for a file
    /// of the site, else the address as written; see `is_external`.
    pub href: String,
    /// True when `href` is an address elsewhere (not to prefix with `root`).
    pub is_external: bool,
    /// Absolute URL (from `base_url`), for `og:image` and JSON-LD.
    pub url: String,
    /// Text alternative (`""` when not given).
    pub alt: &'a str,
    /// Caption, if any.
    pub caption: Option<&'a str>,
    /// Credit, if any.
    pub credit: Option<&'a str>,
    /// Intrinsic width and height in pixels, for `width` and `height` (no layout shift);
    /// `None` for an address or a file that is no readable JPEG, PNG or WebP.
    pub width: Option<u32>,
    /// See `width`.
    pub height: Option<u32>,
    /// The `srcset` candidates: the resized copies, narrowest first, then the original,
    /// each an href from the root (prefix it with `root`) and a width; empty when the
    /// image has no copies.
    pub srcset: Vec<SrcView>,
    /// The default `sizes` for `srcset` (the theme may write its own).
    pub sizes: String,
}

/// One `srcset` candidate.
#[derive(Debug, Clone, Serialize)]
pub struct SrcView {
    /// Href from the root.
    pub href: String,
    /// Width in pixels (`960` for `960w`).
    pub width: u32,
}

/// The view of an article's lead image.
pub(crate) fn image_view<'a>(
    archive: &Archive,
    e: &ArticleEntry,
    image: &'a crate::model::LeadImage,
) -> ImageView<'a> {
    let src = &image.src.value;
    let is_external = src.contains("://");
    // A missing file is an error of link: the build stops before rendering.
    let found = crate::link::images::lead_image_path(e, &archive.lookup.site_files);
    let options = &archive.config.images;
    let sized = found
        .as_deref()
        .and_then(|p| crate::link::images::candidates(&archive.lookup.rasters, options, p))
        .and_then(Result::ok);
    let path = found.unwrap_or_else(|| src.clone());
    ImageView {
        href: if is_external {
            src.clone()
        } else {
            crate::routes::dirs::encode(&path)
        },
        is_external,
        url: if is_external {
            src.clone()
        } else {
            crate::routes::dirs::url(&archive.config.base_url, &path)
        },
        alt: image.alt.as_deref().unwrap_or(""),
        caption: image.caption.as_deref(),
        credit: image.credit.as_deref(),
        width: sized.as_ref().map(|s| s.size.0),
        height: sized.as_ref().map(|s| s.size.1),
        sizes: match &sized {
            Some(s) if !s.list.is_empty() => crate::link::images::sizes(options, s.size.0),
            _ => String::new(),
        },
        srcset: sized
            .map(|s| {
                s.list
                    .into_iter()
                    .map(|(p, width)| SrcView {
                        href: crate::routes::dirs::encode(&p),
                        width,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A quote as lists and article pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView<'a> {
    /// 1-based position in its article.
    pub n: usize,
    /// The language of its words: its `language:`, else its article's.
    pub lang: &'a str,
    /// The quote's id in its article.
    pub id: &'a str,
    /// Fragment id in the article page, `quote-ID`.
    pub anchor: String,
    /// Href of the quote in its article, from the root: `#quote-ID` is the marked
    /// sentence when the quote is in the text, else its entry in the article's list of
    /// quotes.
    pub href: String,
    /// True when the quote is marked in its article's text; its list entry is then
    /// `#list-quote-ID`.
    pub in_body: bool,
    /// How the quote compares with its source's archived copy.
    pub check: CheckView<'a>,
    /// The words.
    pub text: &'a str,
    /// Who said it.
    pub speaker: EntityLink<'a>,
    /// When, as written (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub said: Option<String>,
    /// `sourced`, `disputed` or `misattributed`.
    pub status: QuoteStatus,
    /// The source's key, title and URL.
    pub source: Option<SourceLink<'a>>,
    /// The article it is in.
    pub article: ArticleLink<'a>,
    /// The other articles that use the same quote (the same speaker and words), newest
    /// first, each linking to the quote there.
    pub also_in: Vec<ArticleLink<'a>>,
    /// The words as said, when `text` translates them.
    pub original: Option<OriginalView<'a>>,
}

/// A quote's words in the language they were said in.
#[derive(Debug, Clone, Serialize)]
pub struct OriginalView<'a> {
    /// Their language, a BCP 47 tag.
    pub language: &'a str,
    /// The words.
    pub text: &'a str,
}

/// A quote as one line under its article in a list (a person's or topic's timeline):
/// the fields of [`QuoteView`] such a line shows.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteLine<'a> {
    /// 1-based position in its article.
    pub n: usize,
    /// The language of its words: its `language:`, else its article's.
    pub lang: &'a str,
    /// Href of the quote in its article, from the root.
    pub href: String,
    /// How the quote compares with its source's archived copy.
    pub check: CheckView<'a>,
    /// The words.
    pub text: &'a str,
    /// Who said it.
    pub speaker: EntityLink<'a>,
    /// `sourced`, `disputed` or `misattributed`.
    pub status: QuoteStatus,
    /// The words as said, when `text` translates them.
    pub original: Option<OriginalView<'a>>,
}

/// The view of a quote's original wording, if it has one.
fn original_view(quote: &crate::model::Quote) -> Option<OriginalView<'_>> {
    quote.original.as_ref().map(|o| OriginalView {
        language: &o.language.value,
        text: &o.text.value,
    })
}

/// A quote's check against the archived copy of its source.
#[derive(Debug, Clone, Serialize)]
pub struct CheckView<'a> {
    /// `unchecked`, `matches` or `differs`.
    pub status: &'static str,
    /// The copy's name, when checked.
    pub copy: Option<&'a str>,
    /// The copy's closest passage, when the quote differs.
    pub closest: Option<&'a str>,
    /// The word diff: runs of words in both, only in the quote, only in the copy.
    pub diff: Option<&'a [crate::link::DiffWords]>,
    /// Href from the root of the copy's page, at the quote (its mark in the copy, or
    /// for a quote that differs, its entry with the diff), when checked.
    pub href: Option<String>,
}

impl<'a> CheckView<'a> {
    fn of(check: Option<&'a QuoteCheck>, href: Option<String>) -> Self {
        let none = CheckView {
            status: "unchecked",
            copy: None,
            closest: None,
            diff: None,
            href,
        };
        match check {
            Some(QuoteCheck::Matches { copy }) => CheckView {
                status: "matches",
                copy: Some(copy),
                ..none
            },
            Some(QuoteCheck::Differs {
                copy,
                closest,
                diff,
            }) => CheckView {
                status: "differs",
                copy: Some(copy),
                closest: closest.as_deref(),
                diff: diff.as_deref(),
                ..none
            },
            _ => none,
        }
    }
}

/// A short link to an article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleLink<'a> {
    /// Headline.
    pub title: &'a str,
    /// The article's language.
    pub lang: &'a str,
    /// Href from the root.
    pub href: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// A source as a quote or annotation cites it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceLink<'a> {
    /// Key in the article's `sources`.
    pub key: &'a str,
    /// Title, else the key.
    pub title: &'a str,
    /// Original URL.
    pub url: Option<&'a str>,
}

/// Links between the pages of a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// 1-based number of this page.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Href of the first page.
    pub first: String,
    /// Href of the last page.
    pub last: String,
    /// Href of the previous page, if any.
    pub prev: Option<String>,
    /// Href of the next page, if any.
    pub next: Option<String>,
}

/// Views shared by every page, built once per build.
pub struct Shared<'a> {
    /// The archive.
    pub archive: &'a Archive,
    /// The theme's templates, for the figures, videos and social posts of bodies.
    tera: &'a tera::Tera,
    /// The interface strings, for the titles render writes itself.
    pub i18n: &'a super::i18n::Translations,
    /// The parts of `/annotations.jsonld` made as the article pages render (`None`
    /// unless [`Self::keep_annotation_lines`]): filling a body's marks once instead of
    /// once for the page and once more for that file halved the bodies' share of a 10k
    /// build (issue 19).
    annotations: Option<super::annotations::Kept>,
    /// Per article, the key of its part of `/annotations.jsonld` when the previous
    /// build made that part and nothing its page shows changed since (empty unless
    /// [`Self::know_parts`]): the part is taken without hashing what it is made from.
    known_parts: Vec<Option<u128>>,
    /// The part keys `/annotations.jsonld` was made of, once it is.
    made_parts: std::sync::Mutex<Option<super::annotations::PartKeys>>,
}

impl<'a> Shared<'a> {
    /// Builds the shared views; `tera` renders the embeds of bodies, `i18n` has the
    /// interface strings.
    pub fn new(
        archive: &'a Archive,
        tera: &'a tera::Tera,
        i18n: &'a super::i18n::Translations,
    ) -> Self {
        Shared {
            archive,
            tera,
            i18n,
            annotations: None,
            known_parts: Vec::new(),
            made_parts: std::sync::Mutex::new(None),
        }
    }

    /// Takes the part keys of `/annotations.jsonld` of the previous build (`before`)
    /// for the articles for which `unchanged` holds.
    pub(crate) fn know_parts(
        &mut self,
        before: &super::annotations::PartKeys,
        unchanged: impl Fn(usize) -> bool,
    ) {
        self.known_parts = (0..self.archive.articles.len())
            .map(|i| {
                unchanged(i)
                    .then(|| before.get(&self.archive.articles[i].article.path))
                    .flatten()
            })
            .collect();
    }

    /// The part key of article `i` known from the previous build, if any.
    pub(crate) fn known_part(&self, i: usize) -> Option<u128> {
        self.known_parts.get(i).copied().flatten()
    }

    /// Records the part keys `/annotations.jsonld` was just made of.
    pub(crate) fn made_parts(&self, keys: super::annotations::PartKeys) {
        *self
            .made_parts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(keys);
    }

    /// The part keys `/annotations.jsonld` was made of by this render, if it was.
    pub(crate) fn take_made_parts(&self) -> Option<super::annotations::PartKeys> {
        self.made_parts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }

    /// Makes each article's part of `/annotations.jsonld` as its page renders: for a
    /// render that writes that file after the article pages; `theme` is the theme's
    /// fingerprint.
    pub(crate) fn keep_annotation_lines(&mut self, theme: u128) {
        self.annotations = Some(super::annotations::Kept::new(self, theme));
    }

    /// Makes article `i`'s part of `/annotations.jsonld`, its selectors taken from
    /// `body`, the body its page shows, when this render keeps them.
    pub(crate) fn keep_annotations(&self, i: usize, body: &str) -> Result<(), tera::Error> {
        match &self.annotations {
            Some(kept) => kept.keep(self, i, body),
            None => Ok(()),
        }
    }

    /// The parts of `/annotations.jsonld` the article pages made, if this render keeps
    /// them.
    pub(crate) fn annotation_parts(&self) -> Option<&super::annotations::Kept> {
        self.annotations.as_ref()
    }

    /// A rendered text without marks (`html` with the placeholders of `embeds`) with
    /// the theme's markup for each figure, video and social post in place, its strings
    /// in the site's language.
    pub fn body<'h>(
        &self,
        html: &'h str,
        embeds: &[crate::markdown::embeds::Embed],
    ) -> Result<std::borrow::Cow<'h, str>, tera::Error> {
        self.body_in(html, embeds, &self.archive.config.language)
    }

    /// [`Self::body`] for a page in `lang` (the embeds' strings in that language).
    pub fn body_in<'h>(
        &self,
        html: &'h str,
        embeds: &[crate::markdown::embeds::Embed],
        lang: &str,
    ) -> Result<std::borrow::Cow<'h, str>, tera::Error> {
        super::marks::fill(self, html, embeds, super::marks::Owner::None, false, lang)
    }

    /// The body of article `i` with the theme's markup for its embeds and marks in
    /// place, its strings in the article's language; `feed`: for a feed, whose reader
    /// shows no style sheet.
    pub fn article_body(
        &self,
        i: usize,
        feed: bool,
    ) -> Result<std::borrow::Cow<'a, str>, tera::Error> {
        let body = self.archive.body(i);
        let filled = super::marks::fill(
            self,
            &body.html,
            &body.embeds,
            super::marks::Owner::Article(i),
            feed,
            self.lang_of(i),
        )?;
        Ok(std::borrow::Cow::Owned(filled.into_owned()))
    }

    /// The theme's templates.
    pub fn tera(&self) -> &'a tera::Tera {
        self.tera
    }
    /// The string `key` of the interface in `lang`.
    pub fn t(&self, lang: &str, key: &str) -> String {
        self.i18n.get(lang, key)
    }

    /// The language of article `i`: its `language:`, else the site's.
    pub fn lang_of(&self, i: usize) -> &'a str {
        self.archive.articles[i]
            .article
            .language_or(&self.archive.config.language)
    }

    /// The language of quote `q`'s words: its `language:`, else its article's.
    pub fn quote_lang(&self, q: QuoteRef) -> &'a str {
        let quote = &self.archive.articles[q.article].article.quotes[q.index];
        quote
            .language
            .as_deref()
            .unwrap_or_else(|| self.lang_of(q.article))
    }

    /// The card of article `i` as a template value, made anew. Not kept: a value per
    /// article held for the whole render was about 3 KB of the peak per article (issue
    /// 19), and making it again for each of the dozen lists that show it costs little
    /// beside rendering its markup.
    pub fn card_value(&self, i: usize) -> tera::Value {
        tera::Value::from_serializable(&self.card(i))
    }

    /// The view of quote `q` as a template value. Not kept: a quote shows on a few
    /// pages only, and keeping them all cost more memory (150 MB at 10k) than it saved.
    pub fn quote_value(&self, q: QuoteRef) -> tera::Value {
        tera::Value::from_serializable(&self.quote(q))
    }

    /// The card of article `i`, made anew: only its template value is kept
    /// ([`Self::card_value`]), since a card held per article for the whole render grew
    /// the peak with the archive.
    pub fn card(&self, i: usize) -> ArticleCard<'a> {
        card(self.archive, &self.archive.articles[i])
    }

    /// RFC 3339 of article `i`'s last update, else of its date.
    pub fn updated_iso(&self, i: usize) -> &'a str {
        let a = &self.archive.articles[i].article;
        a.updated.as_ref().map_or(&a.date.rfc3339, |u| &u.rfc3339)
    }

    /// Href of `dir` under this site's URL style.
    pub fn href(&self, dir: &str) -> String {
        href(dir, self.archive.config.pretty_urls)
    }

    /// Absolute URL of `dir`.
    pub fn url(&self, dir: &str) -> String {
        crate::routes::dirs::url(&self.archive.config.base_url, dir)
    }

    /// The link to an entity.
    pub fn entity(&self, e: &'a Entity) -> EntityLink<'a> {
        EntityLink {
            id: &e.id,
            name: &e.name,
            href: self.href(&e.dir),
            role: e.role.as_deref(),
            lang: entity_lang(e, &self.archive.config.language),
            count: e.articles.len(),
        }
    }

    /// The short link to article `i`.
    pub fn article_link(&self, i: usize) -> ArticleLink<'a> {
        let e = &self.archive.articles[i];
        ArticleLink {
            title: &e.article.title,
            lang: self.lang_of(i),
            href: self.href(&e.dir),
            date: e.article.date.date.to_string(),
        }
    }

    /// The view of one quote.
    pub fn quote(&self, q: QuoteRef) -> QuoteView<'a> {
        let e = &self.archive.articles[q.article];
        let quote = &e.article.quotes[q.index];
        let n = q.index + 1;
        let source = quote.source.as_ref().and_then(|k| {
            let (key, s) = e.article.sources.get_key_value(&k.value)?;
            Some(SourceLink {
                key: key.as_str(),
                title: s.title.as_deref().unwrap_or(key.as_str()),
                url: s.url.as_deref(),
            })
        });
        QuoteView {
            n,
            lang: self.quote_lang(q),
            id: &quote.id,
            anchor: quote.fragment(),
            href: format!("{}#{}", self.href(&e.dir), quote.fragment()),
            in_body: e.body.quote_in_body.get(q.index).copied().unwrap_or(false),
            check: self.check(q),
            text: &quote.text.value,
            speaker: self.entity(&self.archive.people[e.quote_speakers[q.index]]),
            said: quote.said.map(|d| d.to_string()),
            status: quote.status,
            source,
            article: self.article_link(q.article),
            also_in: self.also_in(q),
            original: original_view(quote),
        }
    }

    /// Href from the root of the page of archived copy `name`, if it has one.
    pub fn copy_href(&self, name: &str) -> Option<String> {
        let copies = &self.archive.copies;
        let i = copies
            .binary_search_by(|c| c.name.as_str().cmp(name))
            .ok()?;
        Some(self.href(&copies[i].dir))
    }

    /// The check of quote `q` against its source's copy, linking to the copy's page.
    fn check(&self, q: QuoteRef) -> CheckView<'a> {
        let e = &self.archive.articles[q.article];
        let check = e.quote_checks.get(q.index);
        let href = match check {
            Some(QuoteCheck::Matches { copy } | QuoteCheck::Differs { copy, .. }) => {
                let mark = crate::link::copy_mark_id(&e.article, &e.article.quotes[q.index]);
                let anchor = match check {
                    Some(QuoteCheck::Differs { .. }) => format!("list-differs-{mark}"),
                    _ => mark,
                };
                self.copy_href(copy).map(|h| format!("{h}#{anchor}"))
            }
            _ => None,
        };
        CheckView::of(check, href)
    }

    /// The other appearances of quote `q` (the same quote in other articles), newest
    /// first, each linking to the quote in its article.
    fn also_in(&self, q: QuoteRef) -> Vec<ArticleLink<'a>> {
        let a = self.archive;
        let Some(&g) = a.articles[q.article].quote_groups.get(q.index) else {
            return Vec::new();
        };
        a.appearances[g]
            .iter()
            .filter(|&&other| other != q)
            .map(|&other| {
                let e = &a.articles[other.article];
                let mut link = self.article_link(other.article);
                link.href = format!("{}#{}", link.href, e.article.quotes[other.index].fragment());
                link
            })
            .collect()
    }

    /// The line of quote `q` in a timeline, as a template value.
    pub fn quote_line(&self, q: QuoteRef) -> tera::Value {
        let e = &self.archive.articles[q.article];
        let quote = &e.article.quotes[q.index];
        let n = q.index + 1;
        tera::Value::from_serializable(&QuoteLine {
            n,
            lang: self.quote_lang(q),
            href: format!("{}#{}", self.href(&e.dir), quote.fragment()),
            check: self.check(q),
            text: &quote.text.value,
            speaker: self.entity(&self.archive.people[e.quote_speakers[q.index]]),
            status: quote.status,
            original: original_view(quote),
        })
    }

    /// Pager for page `n` of `total` of a list whose first page is at `dir`.
    pub fn pager(&self, dir: &str, n: usize, total: usize) -> Pager {
        use crate::routes::dirs::pager_dir;
        let at = |k: usize| self.href(&pager_dir(dir, k));
        Pager {
            current: n,
            total,
            first: at(1),
            last: at(total),
            prev: (n > 1).then(|| at(n - 1)),
            next: (n < total).then(|| at(n + 1)),
        }
    }
}

/// The language of an entity's name and profile: its `language:`, else `site`.
fn entity_lang<'a>(e: &'a Entity, site: &'a str) -> &'a str {
    e.profile
        .as_ref()
        .and_then(|p| p.language.as_deref())
        .unwrap_or(site)
}

fn card<'a>(archive: &'a Archive, e: &'a ArticleEntry) -> ArticleCard<'a> {
    let config = &archive.config;
    let a = &e.article;
    let mut ratings: Vec<&str> = Vec::new();
    for n in &a.annotations {
        if let (crate::model::AnnotationKind::FactCheck, Some(r)) = (n.kind, &n.verdict.rating)
            && !ratings.contains(&r.as_str())
        {
            ratings.push(r);
        }
    }
    ArticleCard {
        title: &a.title,
        lang: a.language_or(&config.language),
        href: href(&e.dir, config.pretty_urls),
        url: crate::routes::dirs::url(&config.base_url, &e.dir),
        date: a.date.date.to_string(),
        date_iso: &a.date.rfc3339,
        updated_iso: a.updated.as_ref().map_or(&a.date.rfc3339, |u| &u.rfc3339),
        summary: &e.summary,
        dateline: a.dateline.as_deref(),
        image: a.image.as_ref().map(|i| image_view(archive, e, i)),
        authors: a
            .authors
            .iter()
            .zip(&e.authors)
            .map(|(name, person)| match person {
                Some(p) => Byline {
                    name: &archive.people[*p].name,
                    href: Some(href(&archive.people[*p].dir, config.pretty_urls)),
                },
                None => Byline { name, href: None },
            })
            .collect(),
        topics: e
            .topics
            .iter()
            .map(|&t| TopicLink {
                name: &archive.topics[t].name,
                lang: entity_lang(&archive.topics[t], &config.language),
                href: href(&archive.topics[t].dir, config.pretty_urls),
            })
            .collect(),
        ratings,
    }
}
