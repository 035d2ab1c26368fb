//! The export's attachments and where their files go: with `--uploads DIR` (a copy of
//! the site's `wp-content/uploads`) each file a post uses is copied to
//! `static/wp-content/uploads/…` at the same path and linked there; without it, or for a
//! file the folder lacks, the image stays at its address on the original site and is
//! listed in the report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// An attachment item: a file of the media library.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attachment {
    /// `wp:attachment_url`.
    pub(crate) url: String,
    /// The attachment's caption (its excerpt), HTML.
    pub(crate) caption: String,
    /// `_wp_attachment_image_alt`.
    pub(crate) alt: String,
    /// The post it was uploaded to (0: none).
    pub(crate) parent: u64,
    /// The address of its own page (`<link>`).
    pub(crate) link: String,
}

/// Where the import finds uploaded files, and which it used.
#[derive(Debug, Default)]
pub(crate) struct Uploads {
    /// The `--uploads` folder.
    pub(crate) dir: Option<PathBuf>,
    /// The site's address, for paths written root-relative on the old site.
    pub(crate) site: String,
    /// Paths under the uploads folder to copy (`2024/03/x.jpg`).
    pub(crate) copied: BTreeSet<String>,
    /// Addresses left on the original site, with how often they are used.
    pub(crate) remote: BTreeMap<String, usize>,
}

impl Uploads {
    /// The address `url` (an uploaded file, absolute or root-relative) gets in the new
    /// site: `/wp-content/uploads/…` when the uploads folder has the file, else the
    /// original address. Addresses of other sites are returned as they are.
    pub(crate) fn map(&mut self, url: &str) -> String {
        let Some(i) = url.find("/wp-content/uploads/") else {
            return url.to_string();
        };
        let rel = url[i + "/wp-content/uploads/".len()..]
            .split(['?', '#'])
            .next()
            .unwrap_or("");
        let decoded = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
        let safe = !decoded.split('/').any(|p| p.is_empty() || p == "..");
        if let Some(dir) = &self.dir
            && safe
            && dir.join(decoded.as_ref()).is_file()
        {
            self.copied.insert(decoded.into_owned());
            return format!("/wp-content/uploads/{rel}");
        }
        let absolute = if url.starts_with('/') && !url.starts_with("//") {
            format!("{}{}", self.site.trim_end_matches('/'), url)
        } else {
            url.to_string()
        };
        *self.remote.entry(absolute.clone()).or_default() += 1;
        absolute
    }
}

/// Character references and HTML entities in plain text (titles, alt text, captions as
/// WordPress stores them, `It&#8217;s`) decoded; an unknown one stays as written.
pub(crate) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let decoded = end.filter(|e| rest[*e..].starts_with(';')).and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse().ok().and_then(char::from_u32)
            } else {
                None
            };
            let text = match c {
                Some(c) => Some(c.to_string()),
                None => quick_xml::escape::resolve_html5_entity(name).map(str::to_string),
            };
            text.map(|t| (t, e + 1))
        });
        match decoded {
            Some((t, len)) => {
                out.push_str(&t);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_in_plain_text() {
        assert_eq!(
            decode_entities("It&#8217;s &amp; &nbsp;x &#x2014; AT&T &bogus;"),
            "It\u{2019}s & \u{a0}x \u{2014} AT&T &bogus;"
        );
    }

    #[test]
    fn uploads_found_are_copied_others_stay_remote() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(dir.path().join("2024/03")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("2024/03/a.jpg"), b"x").unwrap_or_else(|e| panic!("{e}"));
        let mut u = Uploads {
            dir: Some(dir.path().to_path_buf()),
            site: "https://x.example/".into(),
            ..Uploads::default()
        };
        assert_eq!(
            u.map("https://x.example/wp-content/uploads/2024/03/a.jpg?w=300"),
            "/wp-content/uploads/2024/03/a.jpg"
        );
        assert_eq!(
            u.map("/wp-content/uploads/2024/03/gone.jpg"),
            "https://x.example/wp-content/uploads/2024/03/gone.jpg"
        );
        assert_eq!(
            u.map("https://x.example/wp-content/uploads/../../etc/passwd"),
            "https://x.example/wp-content/uploads/../../etc/passwd"
        );
        assert_eq!(u.copied.iter().collect::<Vec<_>>(), ["2024/03/a.jpg"]);
        assert_eq!(u.remote.len(), 2);
    }
}
