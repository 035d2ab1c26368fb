//! Paths of the site in bodies: root-relative ones (`/assets/x.png`, `/about/`) and
//! ones relative to the page (`chart.png`, `data/x.csv`), looked up among the files the
//! site writes (its pages, `static/`, and the files of page bundles) and written relative
//! to the page, so the site works under any sub-path. A relative path is looked for
//! beside the page first (a bundle's files are published there), then from the root (a
//! file of `static/`). A missing image or file is an error at its place.

use super::{Targets, Text};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::markdown::{GlossLink, Resolved};
use crate::routes::dirs::{href, root_prefix};

impl Targets<'_> {
    /// A root-relative `/path` (its `#fragment` or `?query` kept) written relative to
    /// the page, when it names a file of the site or a page's folder. Else a file (a
    /// path with an extension) is an error and a page a warning, and the link stays as
    /// written (it works only at the host's root).
    pub(super) fn site_path(
        &self,
        link: &GlossLink<'_>,
        at: &Text<'_>,
        prefix: &str,
        diags: &mut Diagnostics,
    ) -> Option<Resolved> {
        if let Some(url) = self.relative_site_path(link.target, prefix) {
            let path = link.target.split(['#', '?']).next().unwrap_or("");
            let out = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            return Some(self.image_at(link, at, &out, url, diags));
        }
        let written = format!("/{}", link.target);
        let span = at.place().span(&link.range, &written);
        let path = link.target.split(['#', '?']).next().unwrap_or("");
        let is_file = std::path::Path::new(path).extension().is_some() && !path.ends_with(".html");
        let d = if is_file {
            Diagnostic::new(Code::MissingFile, at.path, span, format!("`{written}` is not a file of this site"))
                .with_hint("put the file under static/ at that path (static/assets/x.png is /assets/x.png), or link to it with its full https:// address")
        } else {
            Diagnostic::new(
                Code::MissingPage,
                at.path,
                span,
                format!(
                    "`{written}` names no page of this site; the link works only at the host's root"
                ),
            )
            .with_hint("link to the page with `article:SLUG`, or write its full https:// address")
        };
        diags.push(d);
        None
    }

    /// A path relative to the page (`chart.png`, `data/x.csv`, `../../about/`): a file
    /// beside the page (a bundle's) stays as written; else a file of the site at that
    /// path from the root (`static/`) is written relative to the page. An image or a
    /// document not found either way is an error; other links stay as written (they may
    /// name pages gloss does not know of).
    pub(super) fn page_path(
        &self,
        link: &GlossLink<'_>,
        at: &Text<'_>,
        prefix: &str,
        diags: &mut Diagnostics,
    ) -> Option<Resolved> {
        let cut = link.target.find(['#', '?']).unwrap_or(link.target.len());
        let (path, rest) = link.target.split_at(cut);
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let folder = crate::routes::dirs::page_folder(at.dir);
        if let Some(beside) = join(folder, &decoded) {
            if self.has_file(&beside) {
                return Some(self.image_at(link, at, &beside, link.target.to_string(), diags));
            }
            if self.has_file(&format!("{beside}/index.html")) {
                return None;
            }
        }
        if !decoded.starts_with("../") && self.has_file(decoded.as_ref()) {
            let url = format!("{prefix}{}{rest}", crate::routes::dirs::encode(&decoded));
            return Some(self.image_at(link, at, &decoded, url, diags));
        }
        if !link.is_image && !is_document(&decoded) {
            return None;
        }
        let what = if link.is_image { "image" } else { "file" };
        let span = at.place().span(&link.range, link.target);
        diags.push(
            Diagnostic::new(
                Code::MissingFile,
                at.path,
                span,
                format!("the {what} `{path}` is not a file of this site"),
            )
            .with_hint(format!(
                "put it beside the text (an article as `my-story/index.md` in a folder of its own, with `{path}` beside it), or under static/ (static/{path}), or give its full https:// address"
            )),
        );
        None
    }

    /// `url`, the resolved URL of the file `out` of the site, with an image's size and
    /// copies (see [`crate::link::images::responsive`]) when the link is an image; the
    /// image is noted as shown, so its copies are made. A file that cannot be read as
    /// the image its name says is a warning at the link, and is shown as is.
    fn image_at(
        &self,
        link: &GlossLink<'_>,
        at: &Text<'_>,
        out: &str,
        url: String,
        diags: &mut Diagnostics,
    ) -> Resolved {
        if !link.is_image {
            return url.into();
        }
        let rasters = &self.articles.rasters;
        match crate::link::images::responsive(rasters, self.images, out, at.dir) {
            None => url.into(),
            Some(Ok(attrs)) => {
                at.images.borrow_mut().push(out.to_string());
                Resolved {
                    url,
                    image: Some(attrs),
                }
            }
            Some(Err(why)) => {
                let written = if link.scheme == crate::markdown::SITE_PATH {
                    format!("/{}", link.target)
                } else {
                    link.target.to_string()
                };
                let span = at.place().span(&link.range, &written);
                diags.push(crate::link::images::unreadable(
                    at.path, span, &written, &why,
                ));
                url.into()
            }
        }
    }

    /// `path` (root-relative without its `/`, maybe with `#fragment` or `?query`)
    /// relative to a page whose way back to the root is `prefix`, when it names a file
    /// of the site or a page's folder.
    fn relative_site_path(&self, target: &str, prefix: &str) -> Option<String> {
        let cut = target.find(['#', '?']).unwrap_or(target.len());
        let (path, rest) = target.split_at(cut);
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        if !path.is_empty() && !path.ends_with('/') && self.has_file(path.as_ref()) {
            return Some(format!(
                "{prefix}{}{rest}",
                crate::routes::dirs::encode(&path)
            ));
        }
        let dir = if path.is_empty() || path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        self.has_file(&format!("{dir}index.html"))
            .then(|| format!("{prefix}{}{rest}", href(&dir, self.pretty)))
    }

    /// Root-relative `src="/…"` and `href="/…"` of raw HTML in `html` (gloss itself
    /// writes none) made relative to the page at `dir`, where they name a file or page
    /// of the site; others stay as written.
    pub(super) fn relative_raw_paths(&self, html: String, dir: &str) -> String {
        if !html.contains("=\"/") {
            return html;
        }
        let prefix = root_prefix(dir);
        let mut out = String::with_capacity(html.len());
        let mut rest = html.as_str();
        while let Some(i) = rest.find("=\"/") {
            let attr_start = rest[..i]
                .rfind(|c: char| c.is_whitespace())
                .map_or(0, |k| k + 1);
            let attr = &rest[attr_start..i];
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
            let end = rest.find('"').unwrap_or(rest.len());
            let value = &rest[..end];
            let target = value.strip_prefix('/').filter(|v| !v.starts_with('/'));
            let unescaped = target.map(|t| t.replace("&amp;", "&"));
            match unescaped.and_then(|t| self.relative_site_path(&t, &prefix)) {
                Some(url) if attr == "src" || attr == "href" => {
                    let _ = pulldown_cmark_escape::escape_href(&mut out, &url);
                }
                _ => out.push_str(value),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

/// `path` (relative, `/`-separated) from the output folder `folder` (`""` or ending in
/// `/`), with `.` and `..` worked out; `None` when it climbs above the output or names a
/// folder.
fn join(folder: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty() && !path.ends_with('/')).then(|| parts.join("/"))
}

/// File kinds a link names as a file to download, not a page: a missing one is an error,
/// as a missing image is. Other relative links (`other.md`, `../about/`) may name pages
/// gloss does not know of and stay as written.
const DOCUMENTS: &[&str] = &[
    "avif", "csv", "doc", "docx", "epub", "gif", "geojson", "jpeg", "jpg", "json", "m4a", "mp3",
    "mp4", "odp", "ods", "odt", "ogg", "pdf", "png", "ppt", "pptx", "svg", "tsv", "txt", "wav",
    "webm", "webp", "xls", "xlsx", "zip",
];

fn is_document(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DOCUMENTS.contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_joined_inside_the_output() {
        assert_eq!(
            join("articles/a/", "chart.png").as_deref(),
            Some("articles/a/chart.png")
        );
        assert_eq!(
            join("articles/a/", "./data/x.csv").as_deref(),
            Some("articles/a/data/x.csv")
        );
        assert_eq!(
            join("articles/a/", "../../feed.xml").as_deref(),
            Some("feed.xml")
        );
        assert_eq!(join("articles/a/", "../../../x.png"), None);
        assert_eq!(join("", "x.png").as_deref(), Some("x.png"));
        assert_eq!(join("a/", "b/"), None);
        assert!(is_document("report.PDF") && !is_document("other.md") && !is_document("x"));
    }
}
