//! A cached page's HTML, kept outside its segment's checked part (`store::Rest`) and
//! read only for a page whose templates are rendered again: most of a big site's cache
//! is its pages' HTML, which a build that changed one page never looks at. Each page's
//! HTML is checked against its digest when it is read; one that does not match is never
//! used (the cache is then ignored with a warning).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::store::Rest;
use super::{Key, KeyHasher};

/// The digest a page's HTML is checked by, and that its shown key is made from.
pub(crate) fn html_digest(html: &str) -> Key {
    KeyHasher::new("html").text(html).finish()
}

/// The digest of a page's Markdown result but its HTML (`CachedRendered` without it),
/// that its shown key is made from.
pub(crate) fn rest_digest(light: &impl Serialize) -> Key {
    KeyHasher::new("rendered").serialized(light).finish()
}

/// Where a page's HTML lies in its segment's rest, and its digest; and the digest of the
/// rest of its Markdown result as written ([`rest_digest`]), so that the shown key of
/// a page taken from the cache is made without hashing it again.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    at: u64,
    len: u64,
    digest: Key,
    rendered: Key,
}

/// The HTML of the pages of a segment being written, one after another.
#[derive(Default)]
pub(crate) struct RestWriter<'a> {
    pub(crate) parts: Vec<std::borrow::Cow<'a, [u8]>>,
    len: u64,
}

impl<'a> RestWriter<'a> {
    /// Adds a page's HTML of digest `digest` (the rest of its Markdown result's is
    /// `rendered`); returns where it lies.
    pub(crate) fn add(
        &mut self,
        html: std::borrow::Cow<'a, [u8]>,
        digest: Key,
        rendered: Key,
    ) -> Span {
        let span = Span {
            at: self.len,
            len: html.len() as u64,
            digest,
            rendered,
        };
        self.len += span.len;
        self.parts.push(html);
        span
    }
}

/// A cached page's HTML, not read yet.
#[derive(Clone, Debug)]
pub(crate) struct LazyHtml {
    span: Span,
    rest: Arc<Rest>,
}

impl LazyHtml {
    pub(crate) fn new(span: Span, rest: Arc<Rest>) -> LazyHtml {
        LazyHtml { span, rest }
    }

    /// The digest the HTML was written with.
    pub(crate) fn digest(&self) -> Key {
        self.span.digest
    }

    /// The digest the rest of the page's Markdown result was written with.
    pub(crate) fn rendered(&self) -> Key {
        self.span.rendered
    }

    /// The HTML, read and checked; `Err(why)` when the file no longer holds it as
    /// written.
    pub(crate) fn load(&self) -> Result<String, String> {
        let bytes = (self.rest.read(self.span.at, self.span.len))
            .map_err(|e| format!("a page's HTML cannot be read ({e})"))?;
        let html = String::from_utf8(bytes).ok();
        html.filter(|html| html_digest(html) == self.span.digest)
            .ok_or_else(|| "it is corrupted (a page's HTML does not match its digest)".into())
    }
}

#[cfg(test)]
mod tests {
    use super::{html_digest, LazyHtml, RestWriter};
    use crate::site::cache::store;
    use std::sync::Arc;

    /// Each page's HTML reads back from the file's rest; a flipped byte in it is found,
    /// and the part before it is not touched by the reading.
    #[test]
    fn html_reads_back_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("build-00.bin");
        let mut rest = RestWriter::default();
        let pages = ["<p>one</p>", "<h1>two</h1>"];
        let spans: Vec<_> = pages
            .iter()
            .map(|html| rest.add(html.as_bytes().into(), html_digest(html), [0; 16]))
            .collect();
        store::write_with_rest(&path, &spans, &[], &rest.parts).unwrap();
        let read = || {
            let (spans, _, file) = store::read_with_rest::<Vec<super::Span>>(&path)
                .unwrap()
                .unwrap();
            let file = Arc::new(file);
            let lazy = |i: usize| LazyHtml::new(spans[i], Arc::clone(&file));
            (lazy(0), lazy(1))
        };
        let (first, second) = read();
        assert_eq!(second.load().unwrap(), "<h1>two</h1>");
        assert_eq!(first.load().unwrap(), "<p>one</p>");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let (first, second) = read();
        assert_eq!(first.load().unwrap(), "<p>one</p>");
        let err = second.load().unwrap_err();
        assert!(err.contains("does not match its digest"), "{err}");
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        let err = read().1.load().unwrap_err();
        assert!(err.contains("cannot be read"), "{err}");
    }
}
