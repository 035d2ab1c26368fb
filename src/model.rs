//! The archive as plain data: what `load` reads from files and `link` resolves.
//!
//! No I/O and no behaviour beyond small accessors. Cross-references are ids; the maps
//! that resolve them are built by `link`.

use std::fmt;
use std::path::PathBuf;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::diag::Span;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

id_type! {
    /// A person's id, a slug such as `nayib-bukele`.
    PersonId,
    /// A topic's id, a slug such as `cecot`.
    TopicId,
    /// An outlet's id, a slug such as `fox-news`.
    OutletId,
    /// An article's slug: its file stem.
    Slug,
    /// A key of an article's `sources` map.
    SourceKey,
}

/// True when `s` is a valid id: `[a-z0-9-]+`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A calendar date as written in front matter.
pub type Date = jiff::civil::Date;

/// When an article was published or updated: a date, or an RFC 3339 date-time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// The calendar date as written (local to the writer).
    pub date: Date,
    /// The instant; midnight UTC for a date without a time.
    pub instant: jiff::Timestamp,
    /// RFC 3339 form for feeds and JSON-LD.
    pub rfc3339: String,
}

/// A possibly partial date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a quote's `said`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    /// Year.
    pub year: i16,
    /// Month 1-12, if given.
    pub month: Option<i8>,
    /// Day of month, if given (only with a month).
    pub day: Option<i8>,
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// An article's lead image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadImage {
    /// Where the image is: a path of the site (`assets/x.png`, no leading `/`) or an
    /// http(s) address, with where `src` was written.
    pub src: Located<String>,
    /// True when `src` was written with a leading `/`: a file from the site's root only,
    /// never one beside the article.
    pub is_root_relative: bool,
    /// Its text alternative; `None` when not given (a warning), `""` for a decorative one.
    pub alt: Option<String>,
    /// A caption shown under it.
    pub caption: Option<String>,
    /// Who made it.
    pub credit: Option<String>,
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written in the article's file.
    pub span: Span,
}

impl<T> Located<T> {
    /// The same place with the value converted.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            span: self.span,
        }
    }
}

/// What becomes of raw HTML in Markdown bodies (`markdown.html` in `site.yaml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HtmlMode {
    /// Shown as text (the default): nothing the editor did not write as Markdown runs.
    #[default]
    Escape,
    /// Kept through an allowlist of tags and attributes (for imported bodies).
    Sanitize,
    /// Passed through as written (`unsafe_html: true`).
    Trust,
}

impl HtmlMode {
    /// The values `markdown.html` accepts, as written.
    pub const NAMES: [&'static str; 3] = ["escape", "sanitize", "trust"];

    /// The mode named `name` in `site.yaml`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "escape" => Some(HtmlMode::Escape),
            "sanitize" => Some(HtmlMode::Sanitize),
            "trust" => Some(HtmlMode::Trust),
            _ => None,
        }
    }
}

/// The site's configuration (`site.yaml`), every key with its default filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-line description of the site.
    pub description: String,
    /// Absolute URL of the deployed site, ending in `/`.
    pub base_url: String,
    /// The site's language (a canonical BCP 47 tag): `<html lang>` of every page
    /// whose content names no other.
    pub language: String,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Items per index page.
    pub paginate: usize,
    /// Article URL pattern, e.g. `/articles/{slug}/`.
    pub article_permalink: String,
    /// Curly quotes and dashes in Markdown.
    pub smart_punctuation: bool,
    /// What becomes of raw HTML in Markdown (`markdown.html`).
    pub html: HtmlMode,
    /// Page links end in `/` instead of `/index.html`.
    pub pretty_urls: bool,
    /// Feed entries carry the article's whole text (`feeds.full_text`), not only the
    /// summary.
    pub feeds_full_text: bool,
    /// Resized copies of the site's raster images (`images:`).
    pub images: ImageOptions,
    /// Free map handed to templates.
    pub extra: serde_json::Value,
}

/// `images:` of site.yaml: the widths of the resized copies of each raster image.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ImageOptions {
    /// Widths in pixels, ascending, without repeats; empty turns variants off. An image
    /// gets the widths below its own (never upscaled).
    pub widths: Vec<u32>,
    /// JPEG quality, 1 to 100 (PNG and WebP copies are lossless).
    pub quality: u8,
    /// The `sizes` attribute of every responsive image; `None`: the image's width, at
    /// most the default theme's text column ([`TEXT_COLUMN`] pixels), else the screen's.
    pub sizes: Option<String>,
}

/// The width of the default theme's text column in CSS pixels (70ch), for `sizes`.
pub const TEXT_COLUMN: u32 = 720;

impl Default for ImageOptions {
    fn default() -> Self {
        ImageOptions {
            widths: vec![480, 960, 1600],
            quality: 82,
            sizes: None,
        }
    }
}

/// A raster image of the site (JPEG, PNG or WebP, by its name's extension) as its header
/// gives it, read when the site is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Raster {
    /// Its size as shown, in pixels (a JPEG's EXIF orientation applied).
    Size {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// It cannot be read as an image of its kind: why.
    Unreadable(String),
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "gloss archive".into(),
            description: String::new(),
            base_url: "http://127.0.0.1:1111/".into(),
            language: "en".into(),
            theme: "default".into(),
            paginate: 50,
            article_permalink: "/articles/{slug}/".into(),
            smart_punctuation: true,
            html: HtmlMode::Escape,
            pretty_urls: false,
            feeds_full_text: false,
            images: ImageOptions::default(),
            extra: serde_json::Value::Object(Default::default()),
        }
    }
}

/// One source an article draws on (a key of its `sources`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Publisher id, if given.
    pub outlet: Option<Located<OutletId>>,
    /// Title of the source.
    pub title: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// Publication date.
    pub published: Option<PartialDate>,
    /// URL of an archived copy (e.g. the Wayback Machine).
    pub archived: Option<String>,
    /// Path of an archived text under `content/` (boxed: few sources have one, and
    /// every source of the archive is held).
    pub copy: Option<Box<Located<String>>>,
    /// The language of the source's text (and of its copy), a BCP 47 tag (boxed, as
    /// `copy`).
    pub language: Option<Box<Located<String>>>,
}

/// A person as an article lists them in `speakers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// The person.
    pub id: Located<PersonId>,
    /// Display name given inline.
    pub name: Option<String>,
    /// Role given inline (e.g. "former U.S. Secretary of State").
    pub role: Option<String>,
}

/// How well a quote is attributed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum QuoteStatus {
    /// Attributed to the speaker by the source (the default).
    #[default]
    Sourced,
    /// The attribution is contested.
    Disputed,
    /// Known to be wrongly attributed.
    Misattributed,
}

impl Quote {
    /// The quote's fragment id in its article page, `quote-{id}`.
    pub fn fragment(&self) -> String {
        format!("quote-{}", self.id)
    }
}

impl QuoteStatus {
    /// The accepted spellings, in order.
    pub const NAMES: [&'static str; 3] = ["sourced", "disputed", "misattributed"];

    /// The spelling in front matter, CSS classes and URLs (`/quotes/disputed/`).
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A quote in an article's front matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Its id within the article: `id:` as written, else derived from the speaker and
    /// the first words (see `load::ids`). The fragment is `quote-{id}`.
    pub id: String,
    /// Who said it.
    pub speaker: Located<PersonId>,
    /// The words, as the article gives them.
    pub text: Located<String>,
    /// The article's source it comes from.
    pub source: Option<Located<SourceKey>>,
    /// When it was said.
    pub said: Option<PartialDate>,
    /// Attribution status.
    pub status: QuoteStatus,
    /// The language of its words (`language:`, a canonical BCP 47 tag), when it differs
    /// from its article's; `None`: the article's.
    pub language: Option<String>,
    /// The words as said, in their language, when `text` is a translation (boxed:
    /// most quotes have none, and every quote of the archive is held).
    pub original: Option<Box<Original>>,
}

/// A quote's words in the language they were said in (`original:`), beside the
/// translation its `text` gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Original {
    /// Their language, a BCP 47 tag.
    pub language: Located<String>,
    /// The words.
    pub text: Located<String>,
}

/// What an annotation says about its passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnnotationKind {
    /// Background the reader needs.
    Context,
    /// A check of a claim, optionally with a rating.
    FactCheck,
    /// Marks opinion presented as reporting.
    Opinion,
    /// A correction of the text.
    Correction,
    /// Any other note.
    Note,
}

impl AnnotationKind {
    /// The accepted spellings, in order.
    pub const NAMES: [&'static str; 5] = ["context", "fact-check", "opinion", "correction", "note"];

    /// The kind for a spelling in `NAMES`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "context" => Self::Context,
            "fact-check" => Self::FactCheck,
            "opinion" => Self::Opinion,
            "correction" => Self::Correction,
            "note" => Self::Note,
            _ => return None,
        })
    }

    /// The spelling used in front matter and CSS classes.
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The W3C Web Annotation motivation of this kind.
    pub fn motivation(self) -> &'static str {
        [
            "describing",
            "assessing",
            "classifying",
            "editing",
            "commenting",
        ][self as usize]
    }

    /// The label readers see.
    pub fn label(self) -> &'static str {
        ["Context", "Fact check", "Opinion", "Correction", "Note"][self as usize]
    }
}

impl Annotation {
    /// The fragment id of the annotation's note, `note-{id}`.
    pub fn fragment(&self) -> String {
        format!("note-{}", self.id)
    }
}

/// Extra fields only a fact-check carries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Verdict {
    /// A short verdict such as "Misquoted".
    pub rating: Option<String>,
    /// Whose claim is rated.
    pub claimant: Option<Located<PersonId>>,
    /// The claim as its claimant stated it (`claim:`), for ClaimReview's
    /// `claimReviewed`; the annotated passage stands in when it is not given.
    pub claim: Option<String>,
}

/// An annotation: a note on a passage of the body, or on the whole article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Its id within the article: `id:` as written, else derived from the first words
    /// of `on` (or of the note). The fragments are `note-{id}` and `passage-{id}`.
    pub id: String,
    /// The passage it is anchored to; `None` for a note on the whole article.
    pub on: Option<Located<String>>,
    /// Which occurrence of `on` is meant, 1-based, when it occurs more than once.
    pub occurrence: Option<Located<u32>>,
    /// What kind of note it is.
    pub kind: AnnotationKind,
    /// The note, in Markdown.
    pub note: String,
    /// Sources backing the note.
    pub sources: Vec<Located<SourceKey>>,
    /// Rating, claimant and claim; only for fact-checks.
    pub verdict: Verdict,
    /// When the text was corrected; only for corrections (`date:`; boxed, as
    /// [`Quote::original`]).
    pub date: Option<Box<Located<Published>>>,
}

/// An article, validated but not yet linked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// File stem (NFC). Two articles in different folders may share it when their
    /// permalinks differ; `key` is unique.
    pub slug: Slug,
    /// Source file, relative to the site root.
    pub path: PathBuf,
    /// The path under `content/articles/` without `.md`, `/`-separated, NFC
    /// (`2024/report`): unique in the site; `article:2024/report` links and the
    /// `{path}` permalink token use it.
    pub key: String,
    /// Old paths kept as redirects (`aliases:`): each the output file of its redirect
    /// page (`2014/03/old/index.html`, `old/page.html`), where it was written.
    pub aliases: Vec<Located<String>>,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: Published,
    /// Last update, if any.
    pub updated: Option<Published>,
    /// Place of the dateline.
    pub dateline: Option<String>,
    /// Summary given in front matter.
    pub summary: Option<String>,
    /// Byline.
    pub authors: Vec<String>,
    /// The lead image (`image:`), for the article's page, its cards, `og:image` and
    /// JSON-LD (boxed, as [`Quote::original`]).
    pub image: Option<Box<LeadImage>>,
    /// Topics, in the order written.
    pub topics: Vec<Located<TopicId>>,
    /// Built only with `--drafts`.
    pub draft: bool,
    /// Sources by key, in the order written.
    pub sources: IndexMap<SourceKey, Source>,
    /// People quoted.
    pub speakers: Vec<Speaker>,
    /// People named but not quoted.
    pub mentions: Vec<Located<PersonId>>,
    /// Quotes, in the order written (`quote:N` links count 1-based in this order).
    pub quotes: Vec<Quote>,
    /// Annotations, in the order written.
    pub annotations: Vec<Annotation>,
    /// Free map for templates.
    #[serde(with = "json_text")]
    pub extra: serde_json::Value,
    /// The article's language (`language:`, a canonical BCP 47 tag); `None`: the
    /// site's.
    pub language: Option<Located<String>>,
    /// Its other-language versions (`translations:`), each a slug or a path under
    /// `content/articles/` as written; resolved by link.
    pub translations: Vec<Located<String>>,
    /// Line of the file on which the body starts. The Markdown body itself is not held:
    /// the link stage reads it from the file again when it renders the body
    /// (`load::read_body`, checked against `source_hash`), so memory does not grow with
    /// the archive's text (README, Performance).
    pub body_line: u32,
    /// A hash of the file the article was read from (its path and bytes), set by the
    /// loader; 0 when unknown. Equal hashes, equal articles: the build cache keys the
    /// article's rendered body by it.
    #[serde(skip)]
    pub source_hash: u128,
}

impl Article {
    /// The article's language: its own `language:`, else the site's (`site`).
    pub fn language_or<'a>(&'a self, site: &'a str) -> &'a str {
        self.language.as_ref().map_or(site, |l| l.value.as_str())
    }

    /// When annotation `n` (a correction) corrected the text: its `date:`, else the
    /// article's `updated`, else its `date`.
    pub fn correction_date<'a>(&'a self, n: &'a Annotation) -> &'a Published {
        n.date
            .as_ref()
            .map(|d| &d.value)
            .or(self.updated.as_ref())
            .unwrap_or(&self.date)
    }
}

/// Which kind of profile a file describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ProfileKind {
    /// `content/people/<id>.md`.
    Person,
    /// `content/topics/<id>.md`.
    Topic,
    /// `content/outlets/<id>.md`.
    Outlet,
}

/// A profile of a person, topic or outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The kind of entity.
    pub kind: ProfileKind,
    /// The entity's id (the file stem).
    pub id: String,
    /// Source file, relative to the site root.
    pub path: PathBuf,
    /// Display name.
    pub name: Option<String>,
    /// A person's role.
    pub role: Option<String>,
    /// Other names of a person.
    pub aliases: Vec<String>,
    /// A person's Wikidata id (`Q…`).
    pub wikidata: Option<String>,
    /// A person's links.
    pub links: Vec<String>,
    /// An outlet's home page.
    pub url: Option<String>,
    /// The language of the profile's text (`language:`); `None`: the site's.
    pub language: Option<String>,
    /// Markdown description (not in the build cache, as [`Article::body`]).
    #[serde(skip)]
    pub body: String,
    /// Free map for templates.
    #[serde(with = "json_text")]
    pub extra: serde_json::Value,
}

/// A plain page (`content/pages/**`), rendered at its path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// URL path without slashes at either end, e.g. `about` or `help/faq`.
    pub url_path: String,
    /// Source file, relative to the site root.
    pub path: PathBuf,
    /// Title.
    pub title: String,
    /// Summary for metadata.
    pub summary: Option<String>,
    /// Built only with `--drafts`.
    pub draft: bool,
    /// Old paths kept as redirects (`aliases:`), as [`Article::aliases`].
    pub aliases: Vec<Located<String>>,
    /// The page's language (`language:`); `None`: the site's.
    pub language: Option<String>,
    /// Markdown body (not in the build cache, as [`Article::body`]).
    #[serde(skip)]
    pub body: String,
    /// Line of the file on which the body starts.
    pub body_line: u32,
    /// Free map for templates.
    #[serde(with = "json_text")]
    pub extra: serde_json::Value,
}

/// An archived copy of a source (`content/sources/**`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCopy {
    /// Path relative to `content/`, as `copy:` names it.
    pub name: String,
    /// The text.
    pub text: String,
}

/// A file copied verbatim into the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Path in the output, with `/` separators.
    pub out_path: String,
    /// Where to read it from.
    pub from: PathBuf,
    /// For a JPEG, PNG or WebP image, its size (or why it cannot be read).
    pub raster: Option<Raster>,
}

/// A file beside an article's or page's `index.md` (a page bundle, as Hugo and Zola call
/// it), published beside that page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    /// The `index.md` of the article or page it belongs to, relative to the site root.
    pub owner: PathBuf,
    /// Its path inside the bundle's folder, `/`-separated (`chart.png`, `data/x.csv`).
    pub rel: String,
    /// Where to read it from.
    pub from: PathBuf,
    /// For a JPEG, PNG or WebP image, its size (or why it cannot be read).
    pub raster: Option<Raster>,
}

/// The folder of a page bundle: the folder of `path` when it is an `index.md` in a folder
/// of its own under `content/articles/` or `content/pages/` (not those folders
/// themselves); `None` for any other file.
pub fn bundle_dir(path: &std::path::Path) -> Option<&std::path::Path> {
    if path.file_name()? != "index.md" {
        return None;
    }
    let dir = path.parent()?;
    let top = [
        std::path::Path::new("content/articles"),
        std::path::Path::new("content/pages"),
    ];
    (top.iter().any(|t| dir.starts_with(t) && dir != *t)).then_some(dir)
}

/// Everything `load` read: validated per file, not yet cross-checked.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// The site's root folder.
    pub root: PathBuf,
    /// site.yaml.
    pub config: Config,
    /// Articles sorted by path (shared, so a rebuild copies none of them).
    pub articles: Vec<std::sync::Arc<Article>>,
    /// Profiles sorted by kind and id.
    pub profiles: Vec<Profile>,
    /// Pages sorted by URL.
    pub pages: Vec<Page>,
    /// Archived copies by name.
    pub copies: Vec<SourceCopy>,
    /// Static files of the site (theme files are added by render).
    pub statics: Vec<StaticFile>,
    /// Files of page bundles, by path (placed beside their pages by link).
    pub bundle_files: Vec<BundleFile>,
}

/// `extra:` maps in the build cache: as JSON text, since the cache's compact format
/// does not describe its own types, which a free map needs.
mod json_text {
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &serde_json::Value, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<serde_json::Value, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every article, quote, annotation and source of the archive is held at once: the
    /// fields most of them leave out are boxed, so that they cost a pointer, not their
    /// size (issue 19, bounded memory).
    #[test]
    fn held_types_stay_small() {
        let sizes = [
            ("Quote", std::mem::size_of::<Quote>(), 184),
            ("Annotation", std::mem::size_of::<Annotation>(), 232),
            ("Source", std::mem::size_of::<Source>(), 136),
            ("Article", std::mem::size_of::<Article>(), 624),
        ];
        for (name, size, most) in sizes {
            assert!(size <= most, "{name} is {size} bytes, more than {most}");
        }
    }
}
