//! The driver: runs load -> link -> render for `gloss build`, `gloss check` and `gloss
//! serve` alike (as mdBook's `MDBook::build` does), and owns what one run hands the next:
//! the loader, the rendered bodies, the parsed theme, the previous archive and the
//! record of what the last render made. Commands only choose where the files go (the
//! writer, nothing, or the preview's snapshot) and print; serve never calls back into
//! the command layer.
//!
//! Input: a site folder and [`BuildOptions`]. Output: a linked [`Archive`] with every
//! diagnostic, then its files through a [`render::Sink`].

mod cache;
pub(crate) mod fingerprint;
pub mod heap;
pub(crate) mod progress;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::link::{self, Archive, BodyCache};
use crate::load::{self, LoadOptions, Loader, ParseCache};
use crate::model::{Article, Site};
use crate::render::theme::{self, Theme};
use crate::render::{self, RenderError, Sink};
use progress::Progress;

/// Options of `build` (and of `check` and `serve`, which build without writing).
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Override `base_url`.
    pub base_url: Option<String>,
    /// Show progress on the terminal (stderr is a terminal and not `--quiet`).
    pub progress: bool,
    /// Neither read nor write the build cache (`--no-cache`): a clean build.
    pub no_cache: bool,
}

/// Runs the stages of one site, again and again for `serve`, keeping what the next run
/// can reuse. A fresh driver and one that has run before give the same archive and the
/// same files for the same sources.
pub(crate) struct Driver {
    root: PathBuf,
    options: BuildOptions,
    /// Made on the first run; `serve` updates it with the changed paths.
    loader: Option<Loader>,
    /// The persistent build cache, opened on the first run (unless `no_cache`).
    store: Option<Arc<cache::Store>>,
    /// The cache was saved since the loader read every file.
    saved: bool,
    bodies: BodyCache,
    /// The parsed theme; `None` until the first run and after a template or config
    /// change. Shared, so `serve` renders pages with it on other threads.
    theme: Option<Arc<Theme>>,
    /// The archive of the last good run; `None` forces a full render. Shared with the
    /// pages `serve` renders on request.
    previous: Option<Arc<Archive>>,
    /// What `link` reported for `previous`, for the fast path.
    previous_diags: Diagnostics,
    /// The part keys of `/annotations.jsonld` of the build whose archive
    /// [`Driver::previous`] rebuilt, from the build cache.
    previous_parts: Option<render::PartKeys>,
    /// The last run succeeded, so `previous` and `previous_diags` match the loader state
    /// before the latest changes.
    can_patch: bool,
    /// Articles (paths relative to the root) that are all the latest changes touched;
    /// `None` when they touched anything else.
    edited_articles: Option<Vec<PathBuf>>,
}

/// What the latest changes of the site touched, as `serve` classified them.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// Paths of sources (content, static files, site.yaml) to read again.
    pub(crate) sources: Vec<PathBuf>,
    /// Templates or site.yaml changed: the theme is parsed again and every page rendered.
    pub(crate) theme: bool,
    /// Article files edited in place (relative to the root), when they are all the
    /// changes touched.
    pub(crate) edited_articles: Option<Vec<PathBuf>>,
}

impl Driver {
    /// A driver for the site at `root`; nothing is read yet.
    pub(crate) fn new(root: &Path, options: BuildOptions) -> Driver {
        Driver {
            root: root.to_path_buf(),
            options,
            loader: None,
            store: None,
            saved: false,
            bodies: BodyCache::default(),
            theme: None,
            previous: None,
            previous_diags: Diagnostics::new(),
            previous_parts: None,
            can_patch: false,
            edited_articles: None,
        }
    }

    /// The loader, once a run made it.
    pub(crate) fn loader(&self) -> Option<&Loader> {
        self.loader.as_ref()
    }

    /// Takes in what changed since the last run (`serve`).
    pub(crate) fn apply(&mut self, changes: Changes) {
        if changes.theme {
            self.theme = None;
            self.previous = None;
        }
        self.edited_articles = changes
            .edited_articles
            .filter(|r| !r.is_empty() && self.previous.is_some());
        if let Some(loader) = &mut self.loader {
            let cache = self.store.as_deref().map(|s| s as &dyn ParseCache);
            loader.update(&changes.sources, cache);
        }
    }

    /// Loads and links the site and parses the theme. The archive comes back unless
    /// there are errors; the diagnostics (warnings included) either way.
    pub(crate) fn link(&mut self, progress: &Progress) -> (Option<Archive>, Diagnostics) {
        progress.stage("loading");
        let t = Instant::now();
        if self.loader.is_none() {
            if !self.options.no_cache {
                self.store = cache::Store::open(&self.root).map(Arc::new);
            }
            // Bodies go to the build cache, or without one to a scratch store: either
            // way their HTML is not held in memory (README, Performance).
            let spill = self
                .store
                .clone()
                .or_else(|| cache::Store::scratch(&self.root).map(Arc::new));
            if let Some(store) = spill {
                self.bodies = BodyCache::with_store(store);
            }
            let cache = self.store.as_deref().map(|s| s as &dyn ParseCache);
            let options = LoadOptions {
                drafts: self.options.drafts,
            };
            self.loader = Some(Loader::new(&self.root, options, cache));
            if let Some(store) = &self.store {
                tracing::debug!("load: {} files parsed anew", store.missed());
            }
        }
        let Some(loader) = &self.loader else {
            unreachable!("the loader was made above")
        };
        let (mut site, mut diags) = loader.site();
        tracing::debug!("load: {:.2?} ({})", t.elapsed(), memory());
        apply_base_url(&mut site, &self.options, &mut diags);
        progress.stage("linking");
        let t = Instant::now();
        let (archive, link_diags) = match self.relink(&site) {
            Some(done) => done,
            None => link::link_with(site, &mut self.bodies),
        };
        self.edited_articles = None;
        diags.extend(link_diags.clone());
        tracing::debug!("link: {:.2?} ({})", t.elapsed(), memory());
        if self.theme.is_none() {
            match theme::load(&self.root, &archive.config) {
                Ok(t) => self.theme = Some(Arc::new(t)),
                Err(d) => diags.extend(d),
            }
        }
        if diags.has_errors() || self.theme.is_none() {
            self.can_patch = false;
            return (None, diags);
        }
        self.previous_diags = link_diags;
        (Some(archive), diags)
    }

    /// The fast path: the previous archive with the edited articles put in.
    fn relink(&mut self, site: &Site) -> Option<(Archive, Diagnostics)> {
        let rels = self.edited_articles.as_ref().filter(|_| self.can_patch)?;
        let previous = self.previous.as_ref()?;
        let changed: Vec<Arc<Article>> = rels
            .iter()
            .map(|rel| site.articles.iter().find(|a| &a.path == rel).cloned())
            .collect::<Option<_>>()?;
        let done = link::relink(
            previous,
            &self.previous_diags,
            &changed,
            &site.copies,
            &mut self.bodies,
        );
        tracing::debug!(
            "link: fast path {}",
            if done.is_some() {
                "taken"
            } else {
                "not possible"
            }
        );
        done
    }

    /// Forgets the rendered bodies kept in memory for the next run (a one-shot build has
    /// none): the archive and the body store hold what render reads.
    pub(crate) fn forget_bodies(&mut self) {
        self.bodies.forget();
    }

    /// Stores what this run parsed in the build cache. The first save after a full read
    /// also drops the entries of files that are gone or changed (after
    /// [`Driver::previous`], which may need them).
    pub(crate) fn save_cache(&mut self) {
        if let Some(store) = &self.store {
            store.save(!self.saved);
            self.saved = true;
        }
    }

    /// Makes the resized copies of the archive's images, removing the cache's unused
    /// ones when `prune` (see [`crate::resize::make`]). An image cache that cannot be
    /// made is an error of `build` (`Err`); `serve` takes the originals instead.
    pub(crate) fn resize(
        &self,
        archive: &mut Archive,
        progress: &Progress,
        prune: bool,
    ) -> anyhow::Result<Diagnostics> {
        progress.stage("resizing images");
        let t = Instant::now();
        let d = crate::resize::make(archive, prune)?;
        tracing::debug!("resize: {:.2?} ({})", t.elapsed(), memory());
        Ok(d)
    }

    /// Renders every page and static file of `archive` into `sink` (`build`, `check`);
    /// with `previous` (the archive the sink's files came from, see
    /// [`Driver::previous`]), only the pages that can differ from it.
    ///
    /// `state` is this run's [`Driver::state`]: the part keys of `/annotations.jsonld`
    /// are kept in the cache under it, for the next build's [`Driver::previous`].
    pub(crate) fn render_into(
        &self,
        archive: &Archive,
        previous: Option<&Archive>,
        state: Option<&[u8]>,
        sink: &dyn Sink,
    ) -> Result<usize, RenderError> {
        let parts = previous.and(self.previous_parts.as_ref());
        let rendered = render::render_into(archive, self.theme()?, previous, parts, sink);
        if let (Some(store), Some(state), Ok((_, made))) = (&self.store, state, &rendered) {
            // Not made again: the file is the previous build's, and so are its parts.
            if let Some(keys) = made.as_ref().or(parts)
                && let Ok(bytes) = postcard::to_stdvec(keys)
            {
                link::BodyStore::put(store.as_ref(), parts_key(state), bytes);
            }
        }
        // What the render kept in the store (the parts of `/annotations.jsonld` and
        // their keys) is written now, for the next run; the parsed files were saved
        // before.
        if let Some(store) = &self.store {
            store.save(false);
        }
        rendered.map(|(files, _)| files)
    }

    /// What this run read, for the next run's [`Driver::previous`]: everything that
    /// decides every page at once (this gloss, the theme, site.yaml with the options),
    /// and a hash of each file. `None` before a successful link.
    pub(crate) fn state(&self, archive: &Archive) -> Option<Vec<u8>> {
        let state = State {
            global: self.global(archive)?,
            files: self.loader.as_ref()?.state(),
        };
        postcard::to_stdvec(&state).ok()
    }

    fn global(&self, archive: &Archive) -> Option<u128> {
        let theme = self.theme.as_ref()?;
        let config = serde_json::to_string(&archive.config).ok()?;
        let text = format!(
            "{}\0{:032x}\0{config}\0{}",
            cache::identity(),
            theme.fingerprint,
            self.options.drafts
        );
        Some(xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
    }

    /// The archive of an earlier run whose [`Driver::state`] was `state`, rebuilt from
    /// the build cache: this run's files, with those that changed since taken back as
    /// they were. `None` when it cannot be rebuilt exactly enough (another gloss, theme,
    /// site.yaml or options; a changed file that is not Markdown, or not in the cache):
    /// then every page is rendered.
    ///
    /// When only articles changed, in place and keeping what the indexes are built from,
    /// it is `archive` with those articles put back (their bodies from the cache), as
    /// serve patches an archive ([`link::relink`]): its cost follows the changed
    /// articles, not the site. Otherwise the earlier site is linked in full.
    pub(crate) fn previous(&mut self, state: &[u8], archive: &Archive) -> Option<Archive> {
        let t = Instant::now();
        // Read before the cache is saved (which drops the entries this run did not use).
        self.previous_parts = self.store.as_deref().and_then(|store| {
            let bytes = link::BodyStore::get(store, parts_key(state))?;
            postcard::from_bytes(&bytes).ok()
        });
        let state: State = postcard::from_bytes(state).ok()?;
        if Some(state.global) != self.global(archive) {
            tracing::debug!("incremental: the theme, site.yaml, options or gloss changed");
            return None;
        }
        let store = self.store.as_deref()?;
        let Some(loader) = self.loader.as_ref()?.before(&state.files, store) else {
            tracing::debug!("incremental: a changed file is not in the cache");
            return None;
        };
        tracing::debug!("incremental: the earlier files in {:.2?}", t.elapsed());
        let now = self.loader.as_ref()?;
        let patched = now.articles_changed_since(&loader).and_then(|rels| {
            let then: Vec<Arc<Article>> = rels
                .iter()
                .map(|rel| loader.article(rel))
                .collect::<Option<_>>()?;
            let copies = loader.copies();
            let diags = Diagnostics::new();
            link::relink(archive, &diags, &then, &copies, &mut self.bodies).map(|(a, _)| a)
        });
        tracing::debug!(
            "incremental: {} at {:.2?}",
            if patched.is_some() {
                "patched"
            } else {
                "cannot patch"
            },
            t.elapsed()
        );
        let previous = match patched {
            Some(p) => p,
            None => {
                let (mut site, mut diags) = loader.site();
                apply_base_url(&mut site, &self.options, &mut diags);
                link::link_with(site, &mut self.bodies).0
            }
        };
        tracing::debug!(
            "incremental: previous archive rebuilt in {:.2?}",
            t.elapsed()
        );
        Some(previous)
    }

    fn theme(&self) -> Result<&Theme, RenderError> {
        self.theme
            .as_deref()
            .ok_or_else(|| RenderError::Sink(anyhow::anyhow!("render before a successful link")))
    }

    /// The parsed theme, shared (`serve` renders pages with it on its own threads);
    /// `None` before a successful link.
    pub(crate) fn shared_theme(&self) -> Option<Arc<Theme>> {
        self.theme.clone()
    }

    /// Keeps `archive` as the previous one: the next run patches and renders against it.
    /// Shared: `serve` keeps rendering its pages on request.
    pub(crate) fn succeeded(&mut self, archive: Arc<Archive>) {
        self.previous = Some(archive);
        self.can_patch = true;
    }

    /// The run failed after linking: the next one cannot patch, its changes being
    /// relative to a failed state.
    pub(crate) fn failed(&mut self) {
        self.can_patch = false;
    }
}

/// The cache key of the part keys of `/annotations.jsonld` made by the build whose
/// [`Driver::state`] is `state`: the same files, gloss, theme and options give the same
/// archive and so the same parts, whichever output folder the build wrote.
fn parts_key(state: &[u8]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(b"annotations.jsonld part keys\0");
    h.update(state);
    h.digest128()
}

/// What a run read ([`Driver::state`]), kept beside the output's manifest.
#[derive(serde::Serialize, serde::Deserialize)]
struct State {
    /// A hash of what decides every page: gloss, theme, site.yaml and the options.
    global: u128,
    /// Every file read, with the hash of what it held.
    files: Vec<(PathBuf, u128)>,
}

/// Overrides `base_url` with `--base-url` (or the preview's address).
pub fn apply_base_url(site: &mut Site, options: &BuildOptions, diags: &mut Diagnostics) {
    let Some(url) = &options.base_url else { return };
    match load::normalise_base_url(url) {
        Some(u) => site.config.base_url = u,
        None => diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                "--base-url",
                None,
                format!("`{url}` is not an absolute http(s) URL"),
            )
            .with_hint("write e.g. `--base-url https://archive.example.org/`"),
        ),
    }
}

/// Resident and peak memory of this process, for the debug log (Linux only).
pub(crate) fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?".to_string(), |v| v.trim().to_string())
    };
    let rss = format!("RSS {}, peak {}", field("VmRSS:"), field("VmHWM:"));
    match heap::figures() {
        Some((live, peak)) => format!("{rss}; heap live {} MB, peak {} MB", live >> 20, peak >> 20),
        None => rss,
    }
}
