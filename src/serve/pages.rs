//! Pages rendered on request: the preview renders a page when a browser asks for it and
//! keeps it in a cache within a memory budget, least recently used out first, instead of
//! rendering the whole site before the first page.
//!
//! Input: the [`Generation`] a snapshot serves (a linked archive, its theme and routes)
//! and request paths. Output: page bytes, rendered on worker threads of their own (the
//! HTTP thread never renders, the build loop never waits for a request), or the
//! diagnostic of a template that failed. A rebuild keeps the cached pages that cannot
//! differ and drops the rest (see [`PageCache::advance`]).

use std::collections::{HashSet, VecDeque};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::diag::{self, Diagnostics};
use crate::link::Archive;
use crate::render::on_demand::{Renderer, Routes, is_search_file};
use crate::render::theme::Theme;

/// The memory budget of rendered pages when none is given: 256 MiB.
pub const DEFAULT_BUDGET: usize = 256 << 20;

/// Bookkeeping bytes counted per cached page besides its path and bytes (the map's
/// entry, the list links, the reference counts).
const ENTRY_COST: usize = 96;

/// How many of the pages served last a rebuild looks at, cached or not, to decide
/// whether to reload the browsers.
const RECENT: usize = 32;

/// A worker idle this long drops the archive it rendered from, so an archive replaced
/// by a rebuild is not kept alive by a worker waiting for requests.
const IDLE: Duration = Duration::from_secs(1);

/// One successful build, as the pages of a snapshot are rendered from it.
pub struct Generation {
    /// Counts builds; cached pages belong to one.
    pub(crate) number: u64,
    /// The linked archive.
    pub(crate) archive: Arc<Archive>,
    /// The theme it was rendered with.
    pub(crate) theme: Arc<Theme>,
    /// Its pages by path.
    pub(crate) routes: Arc<Routes>,
}

impl std::fmt::Debug for Generation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generation")
            .field("number", &self.number)
            .field("pages", &self.routes.len())
            .finish_non_exhaustive()
    }
}

/// The pages of one generation rendered so far, within a budget of bytes.
pub(crate) struct PageCache {
    budget: usize,
    used: usize,
    generation: u64,
    pages: lru::LruCache<String, Arc<[u8]>>,
    /// The pages served last, newest last, whether still cached or not.
    recent: VecDeque<String>,
}

fn cost(path: &str, bytes: &[u8]) -> usize {
    path.len() + bytes.len() + ENTRY_COST
}

impl PageCache {
    /// An empty cache that holds at most `budget` bytes.
    pub(crate) fn new(budget: usize) -> PageCache {
        PageCache {
            budget,
            used: 0,
            generation: 0,
            pages: lru::LruCache::unbounded(),
            recent: VecDeque::new(),
        }
    }

    /// The page at `path` of `generation`, if cached (it becomes the most recent).
    pub(crate) fn get(&mut self, generation: u64, path: &str) -> Option<Arc<[u8]>> {
        if generation != self.generation {
            return None;
        }
        self.pages.get(path).cloned()
    }

    /// Keeps the page at `path` of `generation` (nothing when the cache has moved on to
    /// another generation), then drops the least recently used pages until the cache
    /// is within its budget: a page larger than the budget is served but not kept.
    pub(crate) fn insert(&mut self, generation: u64, path: &str, bytes: Arc<[u8]>) {
        if generation != self.generation {
            return;
        }
        self.used += cost(path, &bytes);
        if let Some(old) = self.pages.put(path.to_owned(), bytes) {
            self.used -= cost(path, &old);
        }
        while self.used > self.budget {
            let Some((p, b)) = self.pages.pop_lru() else {
                break;
            };
            self.used -= cost(&p, &b);
        }
    }

    /// Notes that the page at `path` was served.
    pub(crate) fn served(&mut self, path: &str) {
        self.recent.retain(|p| p != path);
        self.recent.push_back(path.to_owned());
        if self.recent.len() > RECENT {
            self.recent.pop_front();
        }
    }

    /// The paths of the cached pages, most recently used first, and of the pages served
    /// last that are no longer cached.
    pub(crate) fn held(&self) -> (Vec<String>, Vec<String>) {
        let cached: Vec<String> = self.pages.iter().map(|(p, _)| p.clone()).collect();
        let gone = self
            .recent
            .iter()
            .filter(|p| !self.pages.contains(p.as_str()))
            .cloned()
            .collect();
        (cached, gone)
    }

    /// Moves on to `generation`: keeps the cached pages of `keep` (they cannot differ),
    /// drops the others (pages cached since [`PageCache::held`] among them), and puts
    /// in the pages rendered from the new generation already.
    pub(crate) fn advance(
        &mut self,
        generation: u64,
        keep: &HashSet<String>,
        fresh: Vec<(String, Arc<[u8]>)>,
    ) {
        let old = std::mem::replace(&mut self.pages, lru::LruCache::unbounded());
        self.used = 0;
        self.generation = generation;
        // Least recently used first, so the kept pages keep their order of use.
        for (path, bytes) in old {
            if keep.contains(&path) {
                self.used += cost(&path, &bytes);
                self.pages.put(path, bytes);
            }
        }
        for (path, bytes) in fresh {
            self.insert(generation, &path, bytes);
        }
    }

    /// The number of cached pages and the bytes they count for.
    pub(crate) fn usage(&self) -> (usize, usize) {
        (self.pages.len(), self.used)
    }
}

/// What a worker answers for a path.
#[derive(Debug)]
pub(crate) enum Reply {
    /// The page's bytes.
    Page(Arc<[u8]>),
    /// No page of the site is there.
    Missing,
    /// Its template failed: the errors as the terminal shows them.
    Failed(Arc<str>),
}

struct Request {
    generation: Arc<Generation>,
    path: String,
    reply: oneshot::Sender<Reply>,
}

/// The threads that render pages on request.
pub(crate) struct Renders {
    requests: mpsc::Sender<Request>,
}

impl Renders {
    /// Starts `threads` workers that keep what they render in `cache`.
    pub(crate) fn start(cache: Arc<Mutex<PageCache>>, threads: usize) -> Renders {
        let (requests, rx) = mpsc::channel();
        let rx = Arc::new(Mutex::new(rx));
        // One search index at a time: it is made whole, and the next request finds it.
        let search = Arc::new(Mutex::new(()));
        for n in 0..threads.max(1) {
            let (rx, cache, search) = (Arc::clone(&rx), Arc::clone(&cache), Arc::clone(&search));
            let spawned = std::thread::Builder::new()
                .name(format!("gloss-render-{n}"))
                .spawn(move || work(&rx, &cache, &search));
            if let Err(e) = spawned {
                tracing::error!("cannot start a render thread: {e}");
            }
        }
        Renders { requests }
    }

    /// Renders the page at `path` of `generation` on a worker.
    pub(crate) async fn render(&self, generation: Arc<Generation>, path: &str) -> Reply {
        let (reply, answer) = oneshot::channel();
        let request = Request {
            generation,
            path: path.to_owned(),
            reply,
        };
        if self.requests.send(request).is_err() {
            return Reply::Failed("the render threads stopped".into());
        }
        answer
            .await
            .unwrap_or_else(|_| Reply::Failed("the page's render stopped".into()))
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A worker: answers requests with one [`Renderer`] while they are for the same
/// generation (its cards are made once), a new one when the generation changes.
fn work(rx: &Mutex<Receiver<Request>>, cache: &Mutex<PageCache>, search: &Mutex<()>) {
    let mut next = None;
    loop {
        let first = match next.take() {
            Some(r) => r,
            None => match lock(rx).recv() {
                Ok(r) => r,
                Err(_) => return,
            },
        };
        let generation = Arc::clone(&first.generation);
        let g = &*generation;
        let renderer = Renderer::new(&g.archive, &g.theme, &g.routes);
        let mut request = first;
        loop {
            let reply = answer(&renderer, g, &request.path, cache, search);
            // The browser may have gone.
            let _ = request.reply.send(reply);
            match lock(rx).recv_timeout(IDLE) {
                Ok(r) if Arc::ptr_eq(&r.generation, &generation) => request = r,
                Ok(r) => {
                    next = Some(r);
                    break;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

fn answer(
    renderer: &Renderer<'_>,
    g: &Generation,
    path: &str,
    cache: &Mutex<PageCache>,
    search: &Mutex<()>,
) -> Reply {
    // Another worker may have rendered it meanwhile.
    if let Some(bytes) = lock(cache).get(g.number, path) {
        return Reply::Page(bytes);
    }
    if !g.routes.contains(path) && is_search_file(path) {
        let _one = lock(search);
        if let Some(bytes) = lock(cache).get(g.number, path) {
            return Reply::Page(bytes);
        }
        let t = std::time::Instant::now();
        let files = match renderer.search() {
            Ok(f) => f,
            Err(e) => return Reply::Failed(format!("cannot make the search index: {e:#}").into()),
        };
        tracing::debug!(
            "serve: search index {:.2?} ({} files)",
            t.elapsed(),
            files.len()
        );
        let mut wanted = None;
        let mut cache = lock(cache);
        for o in files {
            let crate::render::Content::Bytes(b) = o.content else {
                continue;
            };
            let b: Arc<[u8]> = b.into();
            if o.path == path {
                wanted = Some(Arc::clone(&b));
            } else {
                cache.insert(g.number, &o.path, b);
            }
        }
        // Last, so a budget smaller than the index keeps at least the file asked for.
        return match wanted {
            Some(b) => {
                cache.insert(g.number, path, Arc::clone(&b));
                Reply::Page(b)
            }
            None => Reply::Missing,
        };
    }
    let t = std::time::Instant::now();
    match renderer.render(path) {
        None => Reply::Missing,
        Some(Ok(bytes)) => {
            tracing::debug!("serve: rendered {path} in {:.2?}", t.elapsed());
            let bytes: Arc<[u8]> = bytes.into();
            lock(cache).insert(g.number, path, Arc::clone(&bytes));
            Reply::Page(bytes)
        }
        Some(Err(d)) => {
            let diags: Diagnostics = std::iter::once(d).collect();
            diag::print(&g.archive.root, diags.clone().sorted());
            Reply::Failed(errors_text(diags, &g.archive.root))
        }
    }
}

/// Diagnostics as the overlay shows them: the counts, then the errors before the
/// warnings, as the terminal prints them.
pub(crate) fn errors_text(diags: Diagnostics, root: &Path) -> Arc<str> {
    let mut list = diags.clone().sorted();
    // Errors first: they are why the page is stale, and must not sit below the fold
    // under a file's warnings. The first line counts both (see `inject::entries`).
    list.sort_by_key(|d| d.severity);
    format!("{}\n{}", diags.tally(), diag::render(&list, root, false)).into()
}

/// A size in bytes as `--page-cache` takes it: a number with an optional `K`, `M` or
/// `G` (powers of 1024; `B` and `iB` accepted after them), e.g. `256M`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'K' | 'k')) => (&t[..i], 10),
        Some((i, 'M' | 'm')) => (&t[..i], 20),
        Some((i, 'G' | 'g')) => (&t[..i], 30),
        _ => (t, 0),
    };
    let n: usize = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write e.g. `256M`, `1G` or `64K`"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Arc<[u8]> {
        vec![b'x'; n].into()
    }

    #[test]
    fn sizes_parse_with_their_units() {
        for (text, want) in [
            ("256M", 256 << 20),
            ("1G", 1 << 30),
            ("64K", 64 << 10),
            ("64KiB", 64 << 10),
            ("10kB", 10 << 10),
            ("12345", 12345),
            ("0", 0),
        ] {
            assert_eq!(parse_size(text), Ok(want), "{text}");
        }
        for bad in ["", "M", "1.5G", "-1M", "12X"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_least_recently_used_pages_go_first_within_the_budget() {
        let each = cost("a", &page(100));
        let mut cache = PageCache::new(3 * each);
        for p in ["a", "b", "c"] {
            cache.insert(0, p, page(100));
        }
        assert!(cache.get(0, "a").is_some(), "a is now the most recent");
        cache.insert(0, "d", page(100));
        assert!(cache.get(0, "b").is_none(), "b was the least recently used");
        for p in ["a", "c", "d"] {
            assert!(cache.get(0, p).is_some(), "{p}");
        }
        assert_eq!(cache.usage(), (3, 3 * each));
        // A page larger than the whole budget is not kept, and takes nothing with it
        // but what it must.
        cache.insert(0, "huge", page(10 * each));
        assert_eq!(cache.usage(), (0, 0));
        // Another generation's pages are neither found nor kept.
        cache.insert(0, "a", page(100));
        assert!(cache.get(1, "a").is_none());
        cache.insert(1, "b", page(100));
        assert_eq!(cache.usage(), (1, each));
    }

    #[test]
    fn a_rebuild_keeps_what_cannot_differ_and_puts_in_what_it_rendered() {
        let mut cache = PageCache::new(DEFAULT_BUDGET);
        for p in ["a", "b", "c"] {
            cache.insert(0, p, page(10));
            cache.served(p);
        }
        let (held, gone) = cache.held();
        assert_eq!(held, ["c", "b", "a"], "most recent first");
        assert!(gone.is_empty());
        let keep: HashSet<String> = ["a".to_string(), "c".to_string()].into();
        cache.advance(1, &keep, vec![("b".into(), page(20))]);
        assert!(cache.get(0, "a").is_none(), "the old generation is gone");
        assert_eq!(cache.get(1, "b").map(|b| b.len()), Some(20));
        assert_eq!(cache.get(1, "a").map(|b| b.len()), Some(10));
        cache.advance(2, &HashSet::new(), Vec::new());
        let (held, gone) = cache.held();
        assert!(held.is_empty());
        assert_eq!(gone, ["a", "b", "c"], "served, oldest first");
    }
}
