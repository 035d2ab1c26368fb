//! One page at a time, for `gloss serve`: the routes of a site (every output path of the
//! plan with the job that makes it, listed without rendering anything), what a rebuild
//! means for the pages rendered from the archive before it (through
//! [`incremental::Changes`], the test `render_into` uses), and a [`Renderer`] that
//! renders one page by its path.
//!
//! Input: a linked archive and the theme. Output: the bytes of one page, or every file of
//! the search index. Pages go through the same `render_job` as `gloss build`'s, with the
//! same base context and plan, so a page rendered here has the bytes the build writes.

use std::sync::Arc;

use tera::Context;

use super::incremental::Changes;
use super::theme::Theme;
use super::views::Shared;
use super::{Output, base_context, claims, render_job, search, statics};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::Archive;
use crate::routes::plan::{self, Job};

/// Every page and feed of a site by its output path.
pub(crate) struct Routes {
    /// The plan, in its order (the sitemap lists it).
    plan: Vec<Job>,
    /// Each output path with its job's position in `plan`, sorted by path.
    paths: Vec<(Box<str>, u32)>,
}

impl Routes {
    /// The routes of `archive`'s plan.
    pub(crate) fn new(archive: &Archive) -> Routes {
        let plan = plan::plan(archive);
        let mut paths: Vec<(Box<str>, u32)> = plan
            .iter()
            .enumerate()
            .map(|(i, &job)| {
                let i = u32::try_from(i).expect("fewer than 4 billion pages");
                (plan::out_path(archive, job).into_boxed_str(), i)
            })
            .collect();
        paths.sort_unstable();
        Routes { plan, paths }
    }

    /// The number of pages and feeds.
    pub(crate) fn len(&self) -> usize {
        self.paths.len()
    }

    fn job(&self, path: &str) -> Option<Job> {
        let at = self.paths.binary_search_by(|(p, _)| (**p).cmp(path)).ok()?;
        Some(self.plan[self.paths[at].1 as usize])
    }

    /// True when a page or feed of the plan is at `path`.
    pub(crate) fn contains(&self, path: &str) -> bool {
        self.job(path).is_some()
    }

    /// One path of each kind of page (the first of the plan's), whose render finds a
    /// broken template: what `serve` renders after a template change. The sitemap and
    /// `/annotations.jsonld`, which hold the whole site, are left to their requests.
    pub(crate) fn samples(&self, archive: &Archive) -> Vec<String> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for &job in &self.plan {
            if matches!(job, Job::Sitemap(_) | Job::Annotations) {
                continue;
            }
            let kind = std::mem::discriminant(&job);
            if !seen.contains(&kind) {
                seen.push(kind);
                out.push(plan::out_path(archive, job));
            }
        }
        out
    }
}

/// True for the files of the search index (made all at once, by [`Renderer::search`]).
pub(crate) fn is_search_file(path: &str) -> bool {
    path.starts_with("search/") && path != "search/index.html"
}

/// A linked archive made ready to render on request.
pub(crate) struct Prepared {
    /// Its routes: the previous ones when no page appeared, moved or went away.
    pub(crate) routes: Arc<Routes>,
    /// Every static file of the site and the theme (the site's replace the theme's).
    pub(crate) statics: Vec<Output>,
    /// What differs from the archive before; `None` when every page may.
    changes: Option<Changes>,
}

/// Lists the routes and static files of `archive`; with `before` (the archive the
/// pages held so far were rendered from, with its routes), also what differs from it.
/// The output paths are checked as `gloss build` checks them (collisions, escapes),
/// whenever the set of files may have changed.
pub(crate) fn prepare(
    archive: &Archive,
    theme: &Theme,
    before: Option<(&Archive, &Arc<Routes>)>,
) -> Result<Prepared, Diagnostics> {
    let changes = before.and_then(|(old, _)| Changes::between(old, archive));
    let same_files = before
        .is_some_and(|(old, _)| old.statics == archive.statics && old.variants == archive.variants);
    let routes = match (&changes, before) {
        (Some(c), Some((_, routes))) if c.same_pages() && same_files => Arc::clone(routes),
        _ => {
            let routes = Routes::new(archive);
            let shared = Shared::new(archive, &theme.tera, &theme.i18n);
            let problems = crate::routes::check_claims(&claims(&shared, &routes.plan, theme));
            if problems.has_errors() {
                return Err(problems);
            }
            Arc::new(routes)
        }
    };
    Ok(Prepared {
        routes,
        statics: statics(archive, theme),
        changes,
    })
}

impl Prepared {
    /// True when every page may differ from its render from the archive before.
    pub(crate) fn changes_all(&self) -> bool {
        self.changes.is_none()
    }

    /// True when some page may differ from its render from the archive before (every
    /// page, or any one).
    pub(crate) fn changes_any(&self) -> bool {
        self.changes.as_ref().is_none_or(|c| !c.is_empty())
    }

    /// True when the file at `path`, rendered from the archive before, may differ now
    /// (or is gone); `renderer` renders the new archive.
    pub(crate) fn affects(&self, renderer: &Renderer<'_>, path: &str) -> bool {
        let Some(changes) = &self.changes else {
            return true;
        };
        match self.routes.job(path) {
            Some(job) => changes.affects(&renderer.shared, job),
            None if is_search_file(path) => changes.affects_search(),
            None => true,
        }
    }
}

/// Renders pages of one archive by path; cards and the base context are made once and
/// shared by every page it renders.
pub(crate) struct Renderer<'a> {
    theme: &'a Theme,
    routes: &'a Routes,
    shared: Shared<'a>,
    base: Context,
}

impl<'a> Renderer<'a> {
    /// A renderer of `archive`'s pages, whose `routes` they are.
    pub(crate) fn new(archive: &'a Archive, theme: &'a Theme, routes: &'a Routes) -> Self {
        Renderer {
            theme,
            routes,
            shared: Shared::new(archive, &theme.tera, &theme.i18n),
            base: base_context(archive, theme),
        }
    }

    /// The bytes of the page or feed at `path`; `None` when no page of the plan is
    /// there. A template that fails is a diagnostic, as in `gloss build`.
    pub(crate) fn render(&self, path: &str) -> Option<Result<Vec<u8>, Diagnostic>> {
        let job = self.routes.job(path)?;
        let archive = self.shared.archive;
        let output = render_job(
            archive,
            self.theme,
            &self.shared,
            &self.base,
            &self.routes.plan,
            job,
        );
        Some(output.and_then(|o| match o.content {
            super::Content::Bytes(b) => Ok(b),
            super::Content::Embedded(b) => Ok(b.to_vec()),
            // The preview's page cache holds it whole, within its budget.
            super::Content::Stream(s) => s.to_bytes().map_err(|e| {
                Diagnostic::new(
                    crate::diag::Code::Unreadable,
                    crate::write::BOOKKEEPING,
                    None,
                    format!("cannot make `{path}`: {e}"),
                )
            }),
            // Pages are rendered; only static files are copied.
            super::Content::File(_) => unreachable!("a job renders its page"),
        }))
    }

    /// Every file of the search index, as `gloss build` writes them.
    pub(crate) fn search(&self) -> anyhow::Result<Vec<Output>> {
        let files = std::sync::Mutex::new(Vec::new());
        search::index(
            &self.shared,
            &|o| {
                files
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(o);
                Ok(())
            },
            // Every file is wanted.
            &|_, _| false,
        )?;
        Ok(files
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests;
