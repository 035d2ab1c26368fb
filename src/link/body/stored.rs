//! Rendered bodies in the body store ([`BodyStore`]): the key a body is kept under (a
//! hash of everything it is made from), the bytes kept (its HTML first, then what the
//! link stage reads of it), and reading them back.

use std::hash::Hash as _;
use std::sync::Arc;

use super::{BodyResult, BodyStore};
use crate::diag::Diagnostics;
use crate::link::{ArticleEntry, Bodies, BodyTexts, RenderedBody, Texts};

/// The body store's key of one article's body: the file it was read from and
/// `key_of` (everything else the body is made from); `None` when the file is unknown.
pub(super) fn stored_key(e: &ArticleEntry, key: u64) -> Option<u128> {
    use std::hash::Hasher as _;
    let source = e.article.source_hash;
    if source == 0 {
        return None;
    }
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.write(b"body\0");
    h.write_u128(source);
    h.write_u64(key);
    Some(h.digest128())
}

/// A stored body: its HTML first (what pages read), then the rest of what rendering
/// produced (what the link stage reads).
type Stored<'a> = (
    &'a str,
    RenderedBody,
    &'a str,
    Diagnostics,
    super::deps::Deps,
);

/// The body stored under `key` with its texts left in the store; `None` when it is not
/// there or does not decode (then it is rendered again).
pub(super) fn load_stored(store: &dyn BodyStore, key: u128) -> Option<BodyResult> {
    let bytes = store.get(key)?;
    let (_, mut body, first_paragraph, diags, deps): Stored<'_> =
        postcard::from_bytes(&bytes).ok()?;
    body.texts = Texts::Stored(key);
    Some(BodyResult {
        body: Arc::new(body),
        first_paragraph: first_paragraph.to_string(),
        diags,
        deps,
    })
}

/// Moves the HTML of `r` into `store` under `key`, with what the link stage needs to
/// reuse it in a later run. A body with embeds stays in memory: the store does not keep
/// embeds (their template view is not a format the store reads back).
pub(super) fn spill(store: &dyn BodyStore, key: u128, r: &mut BodyResult) {
    let Some(body) = Arc::get_mut(&mut r.body) else {
        return;
    };
    let Texts::Inline(texts) = &body.texts else {
        return;
    };
    if !texts.embeds.is_empty() {
        return;
    }
    let html = texts.html.clone();
    let stored = (
        html.as_str(),
        &*body,
        r.first_paragraph.as_str(),
        &r.diags,
        &r.deps,
    );
    match postcard::to_stdvec(&stored) {
        Ok(bytes) => {
            store.put(key, bytes);
            body.texts = Texts::Stored(key);
        }
        Err(e) => tracing::debug!("cannot store a body: {e}"),
    }
}

/// The texts of the body stored under `key`.
pub(crate) fn fetch(bodies: &Bodies, key: u128) -> Option<BodyTexts> {
    let bytes = bodies.store.as_ref()?.get(key)?;
    let (html, _): (&str, &[u8]) = postcard::take_from_bytes(&bytes).ok()?;
    Some(BodyTexts {
        html: html.to_string(),
        embeds: Vec::new(),
    })
}

/// A hash of a body's texts, for [`RenderedBody::fingerprint`].
pub(super) fn fingerprint(texts: &BodyTexts) -> u128 {
    use std::hash::Hasher as _;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.write(texts.html.as_bytes());
    texts.embeds.hash(&mut h);
    h.digest128()
}
