//! Loads the theme: Tera templates, translation files and static files. The default
//! theme is embedded in the binary; a theme folder on disk and the site's own
//! `templates/` (and `i18n/`) override single files (and single strings).

use crate::diag::Code;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Config;

macro_rules! embedded {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $dir, "/", $name)))),*]
    };
}

/// The default theme's templates, compiled in.
const TEMPLATES: &[(&str, &str)] = embedded!("templates":
    "base.html", "components.html", "index.html", "article.html", "entities.html", "entity.html",
    "quotes.html", "archive.html", "archive_list.html", "page.html", "404.html",
    "search.html", "redirect.html", "source.html", "corrections.html", "embed.html", "mark.html",
    "feed.xml", "sitemap.xml",
);

/// The default theme's static files, compiled in (as bytes: the favicon's fallback is a
/// binary ICO).
const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "favicon.ico",
        include_bytes!("../../themes/default/static/favicon.ico"),
    ),
];

/// Where a theme file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Compiled into the binary.
    Embedded(&'static [u8]),
    /// A file on disk.
    File(PathBuf),
}

/// The loaded theme.
pub struct Theme {
    /// All templates, parsed.
    pub tera: Tera,
    /// The interface strings of every language, for templates and render's own titles.
    pub i18n: std::sync::Arc<super::i18n::Translations>,
    /// Theme static files by output path.
    pub statics: BTreeMap<String, Source>,
    /// A hash of every template's name and text: equal for a theme that renders alike.
    pub fingerprint: u128,
}

fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::load::is_ignored(&e.file_name().to_string_lossy())
        });
    walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect()
}

/// Loads the theme named in `config` for the site at `root`.
pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
    let mut diags = Diagnostics::new();
    let theme_dir = root.join("themes").join(&config.theme);
    if config.theme != "default" && !theme_dir.is_dir() {
        let hint = format!(
            "create themes/{}/templates/, or remove `theme:` to use the built-in default theme",
            config.theme
        );
        diags.push(
            Diagnostic::new(
                Code::Template,
                "site.yaml",
                None,
                format!("theme `{}` not found", config.theme),
            )
            .with_hint(hint),
        );
        return Err(diags);
    }
    // A theme folder or `templates/` that is a symlink out of the site would publish
    // files from there.
    for (dir, what) in [
        (&theme_dir, format!("theme `{}`", config.theme)),
        (&root.join("templates"), "`templates/`".to_string()),
    ] {
        if dir.is_dir()
            && let (Ok(real), Ok(root_real)) = (dir.canonicalize(), root.canonicalize())
            && !real.starts_with(&root_real)
        {
            diags.push(
                Diagnostic::new(
                    Code::Template,
                    "site.yaml",
                    None,
                    format!("{what} is a link to `{}`, outside the site", real.display()),
                )
                .with_hint(
                    "copy it into the site: gloss reads and publishes only the site's own files",
                ),
            );
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut templates: BTreeMap<String, (String, PathBuf)> = TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                (
                    text.to_string(),
                    PathBuf::from(format!("themes/default/templates/{name}")),
                ),
            )
        })
        .collect();
    for dir in [theme_dir.join("templates"), root.join("templates")] {
        for (name, path) in files_under(&dir) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    templates.insert(name, (text, rel));
                }
                Err(e) => diags.push(Diagnostic::new(
                    Code::Template,
                    rel,
                    None,
                    format!("cannot read template: {e}"),
                )),
            }
        }
    }
    let i18n = match super::i18n::Translations::load(root, &theme_dir, &config.language) {
        Ok(t) => std::sync::Arc::new(t),
        Err(d) => {
            diags.extend(d);
            std::sync::Arc::default()
        }
    };
    let fingerprint = {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (name, (text, _)) in &templates {
            for part in [name.as_bytes(), b"\0", text.as_bytes(), b"\0"] {
                h.update(part);
            }
        }
        // The interface strings render as the templates do.
        h.update(format!("{i18n:?}").as_bytes());
        h.digest128()
    };
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    super::i18n::register(&mut tera, &i18n);
    if let Err(e) = tera.add_raw_templates(
        templates
            .iter()
            .map(|(name, (text, _))| (name.as_str(), text.as_str())),
    ) {
        let path = template_path(&e, &templates).unwrap_or_else(|| PathBuf::from("templates"));
        diags.push(
            Diagnostic::new(
                Code::Template,
                path,
                None,
                format!("template error: {}", one_line(&e)),
            )
            .with_hint("fix the template syntax; see https://keats.github.io/tera/docs/"),
        );
    }
    let mut statics: BTreeMap<String, Source> = STATIC
        .iter()
        .map(|(n, t)| (n.to_string(), Source::Embedded(t)))
        .collect();
    for (name, path) in files_under(&theme_dir.join("static")) {
        statics.insert(name, Source::File(path));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Theme {
        tera,
        i18n,
        statics,
        fingerprint,
    })
}

/// The error text without Tera's trailing detail lines.
pub(crate) fn one_line(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn template_path(
    e: &tera::Error,
    templates: &BTreeMap<String, (String, PathBuf)>,
) -> Option<PathBuf> {
    let text = one_line(e);
    templates
        .iter()
        .find(|(name, _)| text.contains(name.as_str()))
        .map(|(_, (_, p))| p.clone())
}

/// Where the template `name` was loaded from, for error messages.
pub(crate) fn describe(root: &Path, config: &Config, name: &str) -> PathBuf {
    for dir in [
        PathBuf::from("templates"),
        Path::new("themes").join(&config.theme).join("templates"),
    ] {
        if root.join(&dir).join(name).is_file() {
            return dir.join(name);
        }
    }
    Path::new("themes/default/templates").join(name)
}
