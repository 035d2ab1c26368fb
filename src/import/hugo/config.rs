//! A Hugo site's configuration and the settings its pages share: the configuration file
//! (or `config/_default/`, nested by file name), where content and static files live
//! (the default language's `contentDir`, module mounts), `[permalinks]`, taxonomies,
//! the site's own shortcodes, authors from `data/`, and headless sections.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::super::front;
use super::super::source::{files, front_matter, read_data};

/// The configuration files Hugo reads, first found wins.
const CONFIGS: [&str; 6] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.json",
];

/// The site's configuration as JSON: the first of [`CONFIGS`], else
/// `config/_default/` (its `hugo.*`/`config.*` as the root, every other file under the
/// key of its name, as Hugo merges them).
pub(super) fn config(src: &Path) -> Option<Value> {
    if let Some(v) = CONFIGS.iter().find_map(|c| read_data(&src.join(c))) {
        return Some(v);
    }
    let dir = src.join("config/_default");
    let mut root = serde_json::Map::new();
    let mut found = false;
    for f in files(&dir) {
        let Some(Value::Object(v)) = read_data(&f) else {
            continue;
        };
        found = true;
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem == "hugo" || stem == "config" {
            root.extend(v);
            continue;
        }
        // `languages.en.toml` is `[languages.en]`, `params.toml` is `[params]`.
        let mut at = &mut root;
        let parts: Vec<&str> = stem.split('.').collect();
        for part in &parts[..parts.len() - 1] {
            let next = at
                .entry((*part).to_string())
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            if !next.is_object() {
                *next = Value::Object(serde_json::Map::new());
            }
            let Value::Object(map) = next else {
                unreachable!("just made an object")
            };
            at = map;
        }
        at.insert(parts[parts.len() - 1].to_string(), Value::Object(v));
    }
    found.then_some(Value::Object(root))
}

/// The folder Hugo reads `target` (`content`, `static`) from: the default language's
/// `contentDir`, else a module mount onto it (`[[module.mounts]] source = "content/en"`),
/// else the `key` setting (`contentDir`), else `target` itself.
pub(super) fn mounted<'c>(config: &'c Value, target: &'c str, key: &str) -> &'c str {
    let lang = get_str(config, "defaultContentLanguage").unwrap_or("en");
    let by_language = get(config, "languages")
        .and_then(|l| get(l, lang))
        .and_then(|l| get_str(l, key));
    let mount = get(config, "module")
        .and_then(|m| get(m, "mounts"))
        .and_then(Value::as_array)
        .and_then(|mounts| {
            mounts
                .iter()
                .find(|m| get_str(m, "target") == Some(target))
                .and_then(|m| get_str(m, "source"))
        });
    by_language
        .or(mount)
        .or_else(|| get_str(config, key))
        .unwrap_or(target)
}

/// A key of a JSON object, case-insensitively (Hugo's keys are).
pub(super) fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

pub(super) fn get_str<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    get(v, key).and_then(Value::as_str)
}

/// What the pages of a Hugo site share.
pub(super) struct Site {
    pub(super) lower: bool,
    /// Section -> permalink pattern.
    pub(super) permalinks: BTreeMap<String, String>,
    /// Taxonomy plural names (`tags`, `categories`, `series`).
    pub(super) taxonomies: Vec<String>,
    pub(super) params: Value,
    pub(super) content: PathBuf,
    /// The site's own shortcodes (`layouts/shortcodes/*.html`).
    pub(super) own_shortcodes: Vec<String>,
}

/// The folders whose `_index.md` cascades `build: {render: never}` (or the older
/// `_build`) to every page below it: Hugo publishes none of them.
pub(super) fn headless_sections(files: &[PathBuf], root: &Path) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "_index.md"))
        .filter_map(|f| {
            let (_, text) = super::super::source::read(root, f).ok()?;
            let (fields, _, _) = front_matter(&text, f).ok()?;
            let cascade = fields.iter().find(|(k, _)| k == "cascade")?.1.clone();
            // `cascade` is a map, or a list of maps with targets.
            let maps = match cascade {
                Value::Array(a) => a,
                v => vec![v],
            };
            let never = maps.iter().any(|m| {
                get(m, "build")
                    .or_else(|| get(m, "_build"))
                    .and_then(|b| get_str(b, "render"))
                    .is_some_and(|r| r == "never" || r == "false")
            });
            never.then(|| f.parent().map(Path::to_path_buf)).flatten()
        })
        .collect()
}

/// The shared settings of the site.
pub(super) fn site(src: &Path, config: &Value) -> Site {
    let mut permalinks = BTreeMap::new();
    if let Some(Value::Object(p)) = get(config, "permalinks") {
        for (k, v) in p {
            match v {
                Value::String(s) => {
                    permalinks.insert(k.clone(), s.clone());
                }
                // Hugo 0.120's form: `[permalinks.page] posts = "…"`.
                Value::Object(inner) if k == "page" => {
                    for (s, pat) in inner {
                        if let Some(pat) = pat.as_str() {
                            permalinks.insert(s.clone(), pat.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let taxonomies = match get(config, "taxonomies") {
        Some(Value::Object(t)) => t
            .values()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => vec!["tags".to_string(), "categories".to_string()],
    };
    // The site's layouts, then its theme's; `_shortcodes` is Hugo 0.146's name.
    let theme = get_str(config, "theme").map(|t| src.join("themes").join(t));
    let own_shortcodes = [Some(src.to_path_buf()), theme]
        .into_iter()
        .flatten()
        .flat_map(|d| [d.join("layouts/shortcodes"), d.join("layouts/_shortcodes")])
        .flat_map(|d| files(&d))
        .collect::<Vec<_>>()
        .iter()
        .filter_map(|f| f.file_stem()?.to_str().map(str::to_string))
        .map(|s| s.split('.').next().unwrap_or(&s).to_string())
        .collect();
    Site {
        lower: !get(config, "disablePathToLower")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        permalinks,
        taxonomies,
        params: get(config, "params").cloned().unwrap_or(Value::Null),
        content: src.join(mounted(config, "content", "contentDir")),
        own_shortcodes,
    }
}

/// Author names: `data/authors/<id>.{toml,yaml,json}` and `data/authors.*` (`name`).
pub(super) fn read_people(src: &Path, people: &mut BTreeMap<String, String>) {
    let name = |v: &Value| {
        get_str(v, "name")
            .or_else(|| get_str(v, "displayName"))
            .or_else(|| v.as_str())
            .map(str::to_string)
    };
    for f in files(&src.join("data/authors")) {
        if let (Some(v), Some(id)) = (read_data(&f), f.file_stem().and_then(|s| s.to_str()))
            && let Some(n) = name(&v)
        {
            people.insert(front::topic_id(id), n);
        }
    }
    for ext in ["toml", "yaml", "yml", "json"] {
        if let Some(Value::Object(map)) = read_data(&src.join(format!("data/authors.{ext}"))) {
            for (id, v) in &map {
                if let Some(n) = name(v) {
                    people.insert(front::topic_id(id), n);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `config/_default/`: `hugo.toml` is the root, `languages.en.toml` is
    /// `[languages.en]` (Let's Encrypt's site keeps its `contentDir` there).
    #[test]
    fn config_default_files_nest_by_name() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path().join("config/_default");
        std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
        let put = |name: &str, text: &str| {
            std::fs::write(d.join(name), text).unwrap_or_else(|e| panic!("{e}"));
        };
        put("hugo.toml", "baseURL = \"https://x.example/\"\n");
        put(
            "languages.en.toml",
            "contentDir = \"content/en\"\ntitle = \"X\"\n",
        );
        put("permalinks.yaml", "posts: /:year/:slug/\n");
        let c = config(dir.path()).unwrap_or_else(|| panic!("no config"));
        assert_eq!(get_str(&c, "baseURL"), Some("https://x.example/"));
        assert_eq!(mounted(&c, "content", "contentDir"), "content/en");
        assert_eq!(site(dir.path(), &c).permalinks["posts"], "/:year/:slug/");
    }

    #[test]
    fn content_comes_from_the_language_or_a_module_mount() {
        let mount: Value = serde_json::json!({
            "module": {"mounts": [
                {"source": "assets", "target": "assets"},
                {"source": "content/en", "target": "content"}
            ]}
        });
        assert_eq!(mounted(&mount, "content", "contentDir"), "content/en");
        assert_eq!(mounted(&mount, "static", "staticDir"), "static");
        let lang: Value = serde_json::json!({
            "defaultContentLanguage": "fr",
            "contentDir": "elsewhere",
            "languages": {"fr": {"contentDir": "content/fr"}}
        });
        assert_eq!(mounted(&lang, "content", "contentDir"), "content/fr");
        let plain: Value = serde_json::json!({"contentDir": "posts"});
        assert_eq!(mounted(&Value::Null, "content", "contentDir"), "content");
        assert_eq!(mounted(&plain, "content", "contentDir"), "posts");
    }
}
