//! A cached page's HTML, plain text and links, kept outside its segment's checked part
//! (`store::Rest`) and read only for a page whose templates are rendered again or whose
//! segment is written again: they are most of a big site's cache (at 10,000 pages the
//! plain text alone was 44 % of what every cached build decoded), and a build that
//! changed one page needs none of them for the others. The search index takes an
//! unchanged page's part from the cache by the digest of its plain text ([`Span`]
//! keeps it). Each page's record is checked against its digest when it is read; one
//! that does not match is never used (the cache is then ignored with a warning).

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::store::{self, Rest};
use super::{Key, KeyHasher};
use crate::markdown::{LinkRecord, RenderedMarkdown};

/// The digest a page's HTML is checked by, and that its shown key is made from.
pub(crate) fn html_digest(html: &str) -> Key {
    KeyHasher::new("html").text(html).finish()
}

/// The digest of a page's plain text, that its part of the search index is known by.
pub(crate) fn text_digest(text: &str) -> Key {
    KeyHasher::new("plain text").text(text).finish()
}

/// The digest of a page's Markdown result but its HTML (`CachedRendered` without it),
/// that its shown key is made from.
pub(crate) fn rest_digest(light: &impl Serialize) -> Key {
    KeyHasher::new("rendered").serialized(light).finish()
}

/// The parts of a page's Markdown result kept outside the checked part.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct Body<'a> {
    pub(crate) html: Cow<'a, str>,
    pub(crate) plain_text: Cow<'a, str>,
    pub(crate) links: Cow<'a, [LinkRecord]>,
}

impl Body<'_> {
    /// Puts the parts into the page's Markdown result.
    pub(crate) fn fill(self, markdown: &mut RenderedMarkdown) {
        markdown.html = self.html.into_owned();
        markdown.plain_text = self.plain_text.into_owned();
        markdown.links = self.links.into_owned();
    }
}

/// Where a page's [`Body`] lies in its segment's rest and the digest it is checked by;
/// the digests of its HTML and plain text, and of the rest of its Markdown result as
/// written ([`rest_digest`]), so that the shown key and search part of a page taken
/// from the cache are found without reading it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    at: u64,
    len: u64,
    digest: Key,
    html: Key,
    text: Key,
    rendered: Key,
}

/// The bodies of the pages of a segment being written, one after another.
#[derive(Default)]
pub(crate) struct RestWriter {
    pub(crate) parts: Vec<Vec<u8>>,
    len: u64,
}

impl RestWriter {
    /// Adds a page's body (the rest of its Markdown result's digest is `rendered`);
    /// returns where it lies.
    pub(crate) fn add(&mut self, body: &Body<'_>, rendered: Key) -> std::io::Result<Span> {
        let bytes = store::encode(body)?;
        let span = Span {
            at: self.len,
            len: bytes.len() as u64,
            digest: record_digest(&bytes),
            html: html_digest(&body.html),
            text: text_digest(&body.plain_text),
            rendered,
        };
        self.len += span.len;
        self.parts.push(bytes);
        Ok(span)
    }
}

fn record_digest(bytes: &[u8]) -> Key {
    KeyHasher::new("page body").bytes(bytes).finish()
}

/// A cached page's body, not read yet.
#[derive(Clone, Debug)]
pub(crate) struct LazyBody {
    span: Span,
    rest: Arc<Rest>,
}

impl LazyBody {
    pub(crate) fn new(span: Span, rest: Arc<Rest>) -> LazyBody {
        LazyBody { span, rest }
    }

    /// The digest of the HTML as written.
    pub(crate) fn html_digest(&self) -> Key {
        self.span.html
    }

    /// The digest of the plain text as written.
    pub(crate) fn text_digest(&self) -> Key {
        self.span.text
    }

    /// The digest the rest of the page's Markdown result was written with.
    pub(crate) fn rendered(&self) -> Key {
        self.span.rendered
    }

    /// The body, read and checked; `Err(why)` when the file no longer holds it as
    /// written.
    pub(crate) fn load(&self) -> Result<Body<'static>, String> {
        let bytes = (self.rest.read(self.span.at, self.span.len))
            .map_err(|e| format!("a page's HTML and text cannot be read ({e})"))?;
        let corrupted =
            || "it is corrupted (a page's HTML or text does not match its digest)".to_string();
        if record_digest(&bytes) != self.span.digest {
            return Err(corrupted());
        }
        store::decode(&bytes).ok_or_else(corrupted)
    }
}

#[cfg(test)]
mod tests {
    use super::{Body, LazyBody, RestWriter};
    use crate::site::cache::store;
    use std::sync::Arc;

    fn body(html: &'static str, text: &'static str) -> Body<'static> {
        Body {
            html: html.into(),
            plain_text: text.into(),
            links: Vec::new().into(),
        }
    }

    /// Each page's body reads back from the file's rest; a flipped byte in it is found,
    /// and the part before it is not touched by the reading.
    #[test]
    fn bodies_read_back_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("build-00.bin");
        let mut rest = RestWriter::default();
        let pages = [body("<p>one</p>", "one"), body("<h1>two</h1>", "two")];
        let spans: Vec<_> = pages
            .iter()
            .map(|page| rest.add(page, [0; 16]).unwrap())
            .collect();
        store::write_with_rest(&path, &spans, &[], &rest.parts).unwrap();
        let read = || {
            let (spans, _, file) = store::read_with_rest::<Vec<super::Span>>(&path)
                .unwrap()
                .unwrap();
            let file = Arc::new(file);
            let lazy = |i: usize| LazyBody::new(spans[i], Arc::clone(&file));
            (lazy(0), lazy(1))
        };
        let (first, second) = read();
        assert_eq!(second.text_digest(), super::text_digest("two"));
        let loaded = second.load().unwrap();
        assert_eq!(
            (&*loaded.html, &*loaded.plain_text),
            ("<h1>two</h1>", "two")
        );
        assert_eq!(first.load().unwrap().html, "<p>one</p>");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let (first, second) = read();
        assert_eq!(first.load().unwrap().plain_text, "one");
        let err = second.load().err().unwrap();
        assert!(err.contains("does not match its digest"), "{err}");
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        let err = read().1.load().err().unwrap();
        assert!(err.contains("cannot be read"), "{err}");
    }
}
