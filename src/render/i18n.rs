//! Interface strings: the theme's translation files (`i18n/<tag>.toml`), chosen by the
//! language of each page, and the Tera functions that read them (`t`, `lang_attrs`) and
//! the `human_date` filter.
//!
//! Input: the default theme's files (compiled in), a theme folder's `i18n/` and the
//! site's `i18n/`, each file overriding the keys it sets, as templates override
//! templates. Output: a [`Translations`] shared by the templates and by render's own
//! titles (month pages, JSON-LD names, feed titles), so no visitor-facing English is
//! written in Rust. A key is looked up in the page's tag, its primary language, then
//! English (see [`crate::lang::fallbacks`]); a key in none of them is a template error.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::diag::{Code, Diagnostic, Diagnostics, Span};

/// The default theme's translation files, compiled in.
const SHIPPED: &[(&str, &str)] = &[
    ("en", include_str!("../../themes/default/i18n/en.toml")),
    ("es", include_str!("../../themes/default/i18n/es.toml")),
    ("ar", include_str!("../../themes/default/i18n/ar.toml")),
];

/// The plural categories a plural string may give (CLDR's).
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One interface string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// Text with `{name}` placeholders.
    Text(String),
    /// Per plural category, for a string with a count (`{count}`); `other` is required.
    Plural(BTreeMap<String, String>),
}

/// Every interface string of the theme and site, by canonical tag (as
/// [`crate::lang::canonical`] writes it, so page tags match without folding), then key.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    tables: BTreeMap<String, BTreeMap<String, Entry>>,
    /// The site's language, for templates that name none.
    site: String,
}

impl Translations {
    /// Loads the shipped files, then `theme_dir/i18n/` (a theme on disk) and
    /// `root/i18n/` (the site's), each key replacing the one before.
    pub fn load(root: &Path, theme_dir: &Path, site_language: &str) -> Result<Self, Diagnostics> {
        let mut t = Translations {
            tables: BTreeMap::new(),
            site: site_language.to_string(),
        };
        let mut diags = Diagnostics::new();
        for (tag, text) in SHIPPED {
            let path = PathBuf::from(format!("themes/default/i18n/{tag}.toml"));
            t.add(tag, text, &path, &mut diags);
        }
        for dir in [theme_dir.join("i18n"), root.join("i18n")] {
            let Ok(read) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = read
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| !crate::load::is_ignored(n))
                })
                .collect();
            files.sort();
            for path in files {
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                let tag = match crate::lang::canonical(stem) {
                    Ok(tag) => tag,
                    Err(bad) => {
                        let hint = bad.suggestion.map_or(
                            "name a translation file after its language: `es.toml`, `pt-BR.toml`"
                                .to_string(),
                            |s| format!("rename it `{s}.toml`"),
                        );
                        diags.push(
                            Diagnostic::new(
                                Code::Template,
                                rel,
                                None,
                                format!("`{stem}` is not a language tag: {}", bad.problem),
                            )
                            .with_hint(hint),
                        );
                        continue;
                    }
                };
                match std::fs::read_to_string(&path) {
                    Ok(text) => t.add(&tag, &text, &rel, &mut diags),
                    Err(e) => diags.push(Diagnostic::new(
                        Code::Unreadable,
                        rel,
                        None,
                        format!("cannot read translation file: {e}"),
                    )),
                }
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(t)
    }

    /// Adds the keys of one file (`path` for errors), replacing those already there.
    fn add(&mut self, tag: &str, text: &str, path: &Path, diags: &mut Diagnostics) {
        let table: toml::Table = match toml::from_str(text) {
            Ok(t) => t,
            Err(e) => {
                let span = e
                    .span()
                    .map(|r| Span::from_offsets(text, 1, r.start, r.end.max(r.start + 1)));
                diags.push(
                    Diagnostic::new(
                        Code::Template,
                        path,
                        span,
                        format!("invalid translation file: {}", e.message()),
                    )
                    .with_hint("write one `key = \"text\"` per line, and a table of plural forms (`[key]` with `one = \"…\"` and `other = \"…\"`) for a string with a count"),
                );
                return;
            }
        };
        let into = self.tables.entry(tag.to_string()).or_default();
        for (key, value) in table {
            let entry = match value {
                toml::Value::String(s) => Entry::Text(s),
                toml::Value::Table(forms) => {
                    let mut map = BTreeMap::new();
                    let mut bad = None;
                    for (cat, v) in forms {
                        match v {
                            toml::Value::String(s) if CATEGORIES.contains(&cat.as_str()) => {
                                map.insert(cat, s);
                            }
                            _ => bad = Some(cat),
                        }
                    }
                    if let Some(cat) =
                        bad.or_else(|| (!map.contains_key("other")).then(|| "other".to_string()))
                    {
                        diags.push(
                            Diagnostic::new(
                                Code::Template,
                                path,
                                None,
                                format!("plural string `{key}` has a bad or missing form `{cat}`"),
                            )
                            .with_hint(format!(
                                "give text for the plural categories of the language, `other` at least: {}",
                                crate::diag::list(CATEGORIES)
                            )),
                        );
                        continue;
                    }
                    Entry::Plural(map)
                }
                other => {
                    diags.push(
                        Diagnostic::new(
                            Code::Template,
                            path,
                            None,
                            format!(
                                "translation `{key}` must be text, found {}",
                                other.type_str()
                            ),
                        )
                        .with_hint("write `key = \"text\"`"),
                    );
                    continue;
                }
            };
            into.insert(key, entry);
        }
    }

    /// The plural forms of `key` in `lang` by category (a text's one form as `other`).
    pub fn forms(&self, lang: &str, key: &str) -> BTreeMap<String, String> {
        match self.entry(lang, key) {
            Some(Entry::Plural(forms)) => forms.clone(),
            Some(Entry::Text(s)) => BTreeMap::from([("other".to_string(), s.clone())]),
            None => BTreeMap::new(),
        }
    }

    /// `key` in `lang`, its shorter tags, then English ([`crate::lang::fallbacks`]),
    /// without allocating: every visible string of every page comes through here.
    fn entry(&self, lang: &str, key: &str) -> Option<&Entry> {
        let mut tag = lang;
        loop {
            if let Some(e) = self.tables.get(tag).and_then(|t| t.get(key)) {
                return Some(e);
            }
            match tag.rsplit_once('-') {
                Some((shorter, _)) => tag = shorter,
                None => break,
            }
        }
        self.tables.get(crate::lang::DEFAULT)?.get(key)
    }

    /// True when some file of `lang`'s fallbacks has `key`.
    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.entry(lang, key).is_some()
    }

    /// The string `key` in `lang`: for a plural string, the form of `count`'s category
    /// (else `other`); `{count}` and each `{name}` of `args` filled in.
    pub fn text(
        &self,
        lang: &str,
        key: &str,
        count: Option<u64>,
        args: &[(&str, &str)],
    ) -> Result<String, String> {
        let entry = self.entry(lang, key).ok_or_else(|| {
            format!("no translation `{key}` for `{lang}` (nor its fallbacks, English included)")
        })?;
        let template = match entry {
            Entry::Text(s) => s.as_str(),
            Entry::Plural(forms) => {
                let cat = crate::lang::plural(lang, count.unwrap_or(0));
                forms
                    .get(cat)
                    .or_else(|| forms.get("other"))
                    .map_or("", String::as_str)
            }
        };
        let mut out = template.to_string();
        if let Some(n) = count {
            out = out.replace("{count}", &n.to_string());
        }
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        Ok(out)
    }

    /// [`Self::text`] without arguments; the key itself when no file has it (for
    /// render's own titles, which the shipped English always has).
    pub fn get(&self, lang: &str, key: &str) -> String {
        self.text(lang, key, None, &[])
            .unwrap_or_else(|_| key.to_string())
    }

    /// The name of month `m` (1-12) in `lang`.
    pub fn month(&self, lang: &str, m: i8) -> String {
        self.get(lang, &format!("month_{}", m.clamp(1, 12)))
    }

    /// The name of a language in that language (`language_name` of its file), else its
    /// tag: links to translations name each language as its readers do.
    pub fn language_name(&self, tag: &str) -> String {
        let primary = crate::lang::primary(tag);
        crate::lang::fallbacks(tag)
            .iter()
            .filter(|t| crate::lang::primary(t) == primary)
            .find_map(
                |t| match self.tables.get(t.as_str())?.get("language_name")? {
                    Entry::Text(s) => Some(s.clone()),
                    Entry::Plural(_) => None,
                },
            )
            .unwrap_or_else(|| tag.to_string())
    }

    /// "23 December 2025", "December 2025" or "2025" for `YYYY-MM-DD`, `YYYY-MM` or
    /// `YYYY` in `lang` (the file's `date_day` and `date_month` patterns and month
    /// names); an RFC 3339 date-time reads as its date; `None` for anything else.
    pub fn human_date(&self, lang: &str, date: &str) -> Option<String> {
        let (year, month, day) = super::dates::parts(date)?;
        let Some(month) = month else {
            return Some(year.to_string());
        };
        let name = self.month(lang, month);
        let year = year.to_string();
        Some(match day {
            None => self
                .text(
                    lang,
                    "date_month",
                    None,
                    &[("month", &name), ("year", &year)],
                )
                .unwrap_or_else(|_| format!("{name} {year}")),
            Some(d) => self
                .text(
                    lang,
                    "date_day",
                    None,
                    &[("day", &d.to_string()), ("month", &name), ("year", &year)],
                )
                .unwrap_or_else(|_| format!("{d} {name} {year}")),
        })
    }
}

/// The language of the page (or component) being rendered: `lang=` when given, else the
/// `lang` of its context (components take it as `@lang`); `None` means the site's. A
/// [`Value`] rather than a `String`: a tag is short enough to be stored inline, so this
/// allocates nothing, and it runs for every visible string of every page.
fn page_lang(kwargs: &Kwargs, state: &State) -> Option<Value> {
    if let Ok(Some(v)) = kwargs.get::<Value>("lang")
        && v.as_str().is_some()
    {
        return Some(v);
    }
    state
        .get::<Value>("lang")
        .ok()
        .flatten()
        .filter(|v| v.as_str().is_some())
}

/// Every string without a count for each tag that has a file, its fallbacks resolved,
/// as template values made once: most `t(key=…)` calls take no argument, and each is
/// then one look-up and a reference-counted clone instead of a walk through the
/// fallbacks, a copy of the text and a new value (measured in README, Benchmarks).
#[derive(Debug, Default)]
struct Resolved(HashMap<String, HashMap<String, Value>>);

impl Resolved {
    fn new(t: &Translations) -> Self {
        let keys: BTreeSet<&str> = t
            .tables
            .values()
            .flat_map(|table| table.keys().map(String::as_str))
            .collect();
        let tags = t
            .tables
            .keys()
            .map(|tag| {
                let strings = keys
                    .iter()
                    .filter_map(|key| match t.entry(tag, key)? {
                        Entry::Text(s) => Some((key.to_string(), Value::from(s.as_str()))),
                        Entry::Plural(_) => None,
                    })
                    .collect();
                (tag.clone(), strings)
            })
            .collect();
        Resolved(tags)
    }

    /// `key` in `lang` when `lang` has a file of its own and the string needs no count.
    fn get(&self, lang: &str, key: &str) -> Option<Value> {
        self.0.get(lang)?.get(key).cloned()
    }
}

/// ` lang="…"` (and ` dir="…"` when the direction changes) for an element whose text is
/// in `of`, when that differs from the page's language; else nothing. Tags are
/// validated BCP 47 (letters, digits, `-`), so the attributes need no escaping.
struct LangAttrs(Arc<Translations>);

impl tera::Function<tera::TeraResult<Value>> for LangAttrs {
    fn call(&self, kwargs: Kwargs, state: &State) -> tera::TeraResult<Value> {
        let of: Option<&str> = kwargs.get("of")?;
        let page = page_lang(&kwargs, state);
        let page = page
            .as_ref()
            .and_then(Value::as_str)
            .unwrap_or(&self.0.site);
        let Some(of) = of.filter(|o| !o.is_empty() && !o.eq_ignore_ascii_case(page)) else {
            return Ok(Value::from(""));
        };
        let safe = of.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !safe {
            return Err(tera::Error::message(format!(
                "`{of}` is not a language tag"
            )));
        }
        let mut attrs = format!(" lang=\"{of}\"");
        if crate::lang::dir(of) != crate::lang::dir(page) {
            attrs.push_str(&format!(" dir=\"{}\"", crate::lang::dir(of)));
        }
        Ok(Value::from(attrs))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Registers `t`, `lang_attrs` and `human_date` on `tera`:
/// - `{{ t(key="quotes") }}`, `{{ t(key="quoted_times", count=3) }}`,
///   `{{ t(key="articles_by", name=entity.name) }}`: the string in the page's language;
/// - `{{ lang_attrs(of=a.lang) }}`: ` lang="es"` on an element in another language;
/// - `{{ a.date | human_date }}`: the date in words, in the page's language.
pub(crate) fn register(tera: &mut Tera, translations: &Arc<Translations>) {
    let t = Arc::clone(translations);
    let resolved = Resolved::new(translations);
    tera.register_function("t", move |kwargs: Kwargs, state: &State| {
        let key: &str = kwargs.must_get("key")?;
        let lang = page_lang(&kwargs, state);
        let lang = lang.as_ref().and_then(Value::as_str).unwrap_or(&t.site);
        let plain = kwargs
            .iter()
            .all(|(name, _)| matches!(name.as_str(), Some("key" | "lang")));
        if plain && let Some(v) = resolved.get(lang, key) {
            return Ok(v);
        }
        let count: Option<i64> = kwargs.get("count")?;
        let mut args: Vec<(String, String)> = Vec::new();
        for (name, value) in kwargs.iter() {
            let name = name.to_string();
            if !matches!(name.as_str(), "key" | "lang" | "count") {
                args.push((name, value.to_string()));
            }
        }
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let count = count.map(|c| c.max(0) as u64);
        t.text(lang, key, count, &args)
            .map(Value::from)
            .map_err(tera::Error::message)
    });
    tera.register_function("lang_attrs", LangAttrs(Arc::clone(translations)));
    let t = Arc::clone(translations);
    tera.register_filter(
        "human_date",
        move |value: &str, kwargs: Kwargs, state: &State| {
            let lang = page_lang(&kwargs, state);
            let lang = lang.as_ref().and_then(Value::as_str).unwrap_or(&t.site);
            t.human_date(lang, value)
                .unwrap_or_else(|| value.to_string())
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Translations {
        let mut t = Translations {
            tables: BTreeMap::new(),
            site: "en".into(),
        };
        let mut diags = Diagnostics::new();
        for (tag, text) in SHIPPED {
            t.add(tag, text, Path::new(tag), &mut diags);
        }
        assert!(diags.is_empty(), "{diags:?}");
        t
    }

    #[test]
    fn strings_follow_the_page_language_with_fallbacks() {
        let t = shipped();
        assert_eq!(t.get("en", "quotes"), "Quotes");
        assert_eq!(t.get("es", "quotes"), "Citas");
        assert_eq!(t.get("es-MX", "quotes"), "Citas", "primary language");
        assert_eq!(t.get("fr", "quotes"), "Quotes", "English last");
        assert_eq!(t.get("ar", "quotes"), "اقتباسات");
        assert!(t.text("en", "no-such-key", None, &[]).is_err());
    }

    #[test]
    fn plural_forms_by_category() {
        let t = shipped();
        let q = |lang, n| {
            t.text(lang, "quoted_times", Some(n), &[])
                .unwrap_or_default()
        };
        assert_eq!(q("en", 1), "Quoted 1 time");
        assert_eq!(q("en", 3), "Quoted 3 times");
        assert_eq!(q("es", 1), "Citado 1 vez");
        assert_eq!(q("es", 4), "Citado 4 veces");
        // Arabic has six categories; each of the shipped forms is reached.
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100].iter().map(|&n| q("ar", n)).collect();
        let distinct: std::collections::BTreeSet<&String> = forms.iter().collect();
        assert_eq!(distinct.len(), 6, "{forms:?}");
    }

    #[test]
    fn dates_in_the_page_language() {
        let t = shipped();
        assert_eq!(
            t.human_date("en", "2025-12-23").as_deref(),
            Some("23 December 2025")
        );
        assert_eq!(
            t.human_date("es", "2025-12-23").as_deref(),
            Some("23 de diciembre de 2025")
        );
        assert_eq!(
            t.human_date("es", "2025-12").as_deref(),
            Some("diciembre de 2025")
        );
        assert_eq!(
            t.human_date("ar", "2025-12-23").as_deref(),
            Some("23 ديسمبر 2025")
        );
        assert_eq!(t.human_date("en", "2025").as_deref(), Some("2025"));
        assert_eq!(t.human_date("en", "soon"), None);
    }

    #[test]
    fn a_site_file_overrides_single_keys() {
        let mut t = shipped();
        let mut diags = Diagnostics::new();
        t.add(
            "es",
            "quotes = \"Declaraciones\"\n",
            Path::new("i18n/es.toml"),
            &mut diags,
        );
        assert!(diags.is_empty());
        assert_eq!(t.get("es", "quotes"), "Declaraciones");
        assert_eq!(t.get("es", "people"), "Personas", "other keys stay");
        t.add(
            "es",
            "quotes = [1]\n[x]\none = \"a\"\n",
            Path::new("i18n/es.toml"),
            &mut diags,
        );
        assert_eq!(diags.error_count(), 2, "{diags:?}");
    }

    /// Renders `t(key=KEY)` in a page of `lang` through Tera, as templates call it.
    fn through_tera(t: &Arc<Translations>, lang: &str, call: &str) -> String {
        let mut tera = Tera::default();
        register(&mut tera, t);
        tera.add_raw_template("t.txt", call)
            .expect("a valid template");
        let mut ctx = tera::Context::new();
        ctx.insert("lang", lang);
        tera.render("t.txt", &ctx).expect("renders")
    }

    #[test]
    fn resolved_strings_equal_the_lookup_with_fallbacks() {
        // The precomputed table is what `t` answers from; it must say exactly what the
        // fallback walk says, in every shipped language and one that has no file.
        let t = Arc::new(shipped());
        let resolved = Resolved::new(&t);
        let keys: BTreeSet<&String> = t.tables.values().flat_map(|m| m.keys()).collect();
        for tag in ["en", "es", "ar"] {
            for key in &keys {
                if let Some(Entry::Text(_)) = t.entry(tag, key) {
                    let v = resolved.get(tag, key).expect("every text is resolved");
                    assert_eq!(
                        v.as_str(),
                        t.text(tag, key, None, &[]).ok().as_deref(),
                        "{tag} {key}"
                    );
                } else {
                    assert!(
                        resolved.get(tag, key).is_none(),
                        "plural `{key}` needs a count"
                    );
                }
            }
        }
        assert!(
            resolved.get("es-MX", "quotes").is_none(),
            "no file: the slow path"
        );
        assert_eq!(through_tera(&t, "es", r#"{{ t(key="quotes") }}"#), "Citas");
        assert_eq!(
            through_tera(&t, "es-MX", r#"{{ t(key="quotes") }}"#),
            "Citas"
        );
        assert_eq!(
            through_tera(&t, "en", r#"{{ t(key="quotes", lang="ar") }}"#),
            "اقتباسات"
        );
        assert_eq!(
            through_tera(&t, "en", r#"{{ t(key="quoted_times", count=3) }}"#),
            "Quoted 3 times"
        );
        assert_eq!(
            through_tera(&t, "es", r#"{{ t(key="more_from", month="mayo") }}"#),
            t.text("es", "more_from", None, &[("month", "mayo")])
                .unwrap_or_default()
        );
    }

    #[test]
    fn languages_are_named_in_themselves() {
        let t = shipped();
        assert_eq!(t.language_name("es"), "Español");
        assert_eq!(t.language_name("ar"), "العربية");
        assert_eq!(t.language_name("en-GB"), "English");
        assert_eq!(
            t.language_name("fr"),
            "fr",
            "no file: the tag, not English's name"
        );
    }
}
