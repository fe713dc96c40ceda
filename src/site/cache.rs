//! The persistent build cache: what one `build` (or `serve` start) rendered, kept in the
//! cache folder so the next one redoes only what changed.
//!
//! It keeps each page's Markdown result and its files after templates, with keys of what
//! they were made from. The next load renders a page's Markdown again only when its text
//! or something every page's Markdown depends on changed (the dcrsite version, the
//! options, the configuration, the icons, the set of pages and files); and it decides
//! which pages' templates to render again with the planner `serve` uses (`plan.rs`), fed
//! with what differs from the cached run: templates by name, the asset manifest,
//! navigation, and the pages whose data templates see changed. Everything else comes from
//! the cache, and the Output is assembled as in a clean build, so it is the same bytes.
//!
//! `store` is a file's format (refused whole when truncated, corrupted or foreign): the
//! entries, then the pages' bytes in one blob read back as one buffer the pages share,
//! then the pages' HTML, plain text and links, read only for the pages rendered again or
//! whose segment is written again (`lazy`);
//! `segments` the cache's files (an index and the pages in 64 segments, so one page's
//! change rewrites one segment); `mirror` the serde forms of the pipeline's types;
//! `state/warm.rs` the loading. A `build` keeps no bytes of the pages it writes into the
//! output folder, only their digests: the folder holds them, and `output::record` tells
//! whether it still does.

pub(crate) mod early;
pub(crate) mod inputs;
pub(crate) mod lazy;
mod mirror;
pub(crate) mod search_index;
pub(crate) mod segments;
pub(crate) mod source;
pub(crate) mod store;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;
use std::io::Write;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

pub(crate) use mirror::{Blob, Bodies, CachedDiagnostic, CachedOut, CachedRendered};

use crate::site::markdown_pass::RenderedPage;
use crate::site::state::PageOut;

/// A digest of some inputs (xxh3, 128 bits: the cache guards against stale results, not
/// tampering, and hashing every page's inputs with SHA-256 was a tenth of a cached build).
pub(crate) type Key = [u8; 16];

/// What the cache's index file holds (the pages are in its segments).
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct Snapshot {
    /// Everything a page's Markdown depends on besides its own text.
    pub(crate) markdown: Key,
    /// Each template's file and text, by name.
    pub(crate) templates: BTreeMap<String, Key>,
    /// What every template sees besides pages: the asset manifest, `DCRSITE_*` variables.
    pub(crate) template_env: Key,
    /// The navigation, as every page shows part of it.
    pub(crate) nav: Key,
    /// The stamp of each segment's file (`segments`), none for a segment without pages.
    pub(crate) segments: Vec<Option<Key>>,
    /// Where each page's part lies in the search index the run made; none without one.
    pub(crate) search: Option<search_index::IndexRecord>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct CachedPage<'a> {
    /// The page's file as loaded (front matter and body).
    pub(crate) source: Key,
    /// The files it included as they were on disk (see `includes_key`).
    pub(crate) includes: Key,
    /// Its Markdown result before the blog and tags plugins add to it, but its HTML,
    /// plain text and links.
    pub(crate) markdown: CachedRendered<'a>,
    /// Its HTML, plain text and links, in the segment's rest.
    pub(crate) body: lazy::Span,
    /// What its templates see of it: the final Markdown result, the file, its git date.
    pub(crate) shown: Key,
    /// Its files after templates; none when the templates did not load.
    pub(crate) out: Option<CachedOut>,
    /// What its file gave when it was read, for a build that finds it unchanged.
    pub(crate) parse: Option<source::CachedSource>,
}

/// The previous run's cache as loaded, each page's results taken out as they are reused.
pub(crate) struct Previous {
    pub(crate) markdown: Key,
    pub(crate) templates: BTreeMap<String, Key>,
    pub(crate) template_env: Key,
    pub(crate) nav: Key,
    /// The stamps of the segments' files, as the index names them.
    pub(crate) segments: Vec<Option<Key>>,
    /// Where each page's part lies in the search index the run made.
    pub(crate) search: Option<search_index::IndexRecord>,
    /// The output folder's record vouches for that index's file (`search_index`).
    pub(crate) search_vouched: bool,
    /// By path under the content folder (hashed: merging the segments' sorted maps moved
    /// every page's entry again and again).
    /// Boxed: an entry is a kilobyte, and moving 10,000 of them from each segment's list
    /// into the map touched ten megabytes more than the pages themselves.
    pub(crate) pages: HashMap<String, Box<PreviousPage>>,
}

pub(crate) struct PreviousPage {
    pub(crate) source: Key,
    /// The files it included as they were on disk (see `includes_key`).
    pub(crate) includes: Key,
    pub(crate) shown: Key,
    /// Its Markdown result, with no HTML, plain text and links: those are `body`'s.
    pub(crate) markdown: Option<RenderedPage>,
    pub(crate) body: lazy::LazyBody,
    pub(crate) out: Option<PageOut>,
    /// Its Markdown result and its files were taken for this run: its entry is the same
    /// (when `shown` is too), and its segment need not be written again for it.
    pub(crate) taken: (bool, bool),
    /// What its file gave when it was read.
    pub(crate) parse: Option<source::CachedSource>,
    /// The segment it was read from (`segments::assign`).
    pub(crate) segment: usize,
}

/// A segment's pages, by path under the content folder.
pub(crate) type SegmentPages = Vec<(String, Box<PreviousPage>)>;

/// A segment's pages as read (`store::read_with_rest`): the pages' files are slices of
/// the blob, or files of the previous build's output folder, which `bodies.output`
/// describes; a page whose file is no longer there as written has none (its templates
/// are rendered again). `Err` when a file lies outside the blob.
fn previous_pages(
    (segment, pages): (usize, Vec<(String, CachedPage<'static>)>),
    bodies: &Bodies<'_>,
    rest: &std::sync::Arc<store::Rest>,
) -> Result<SegmentPages, String> {
    let mut previous = Vec::with_capacity(pages.len());
    for (path, page) in pages {
        let out = match page.out {
            Some(out) => out.into_out(bodies)?,
            None => None,
        };
        let page = Box::new(PreviousPage {
            source: page.source,
            includes: page.includes,
            shown: page.shown,
            markdown: Some(page.markdown.into_page()),
            body: lazy::LazyBody::new(page.body, std::sync::Arc::clone(rest)),
            out,
            taken: (false, false),
            parse: page.parse,
            segment,
        });
        previous.push((path, page));
    }
    Ok(previous)
}

/// Builds a [`Key`]: each part is written unambiguously (lengths, separators).
pub(crate) struct KeyHasher(Xxh3);

impl KeyHasher {
    pub(crate) fn new(what: &str) -> KeyHasher {
        let mut h = KeyHasher(Xxh3::new());
        h.text(what);
        h
    }

    pub(crate) fn text(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// A value by its `Debug` form: for the pipeline's types that hold no hash map, so
    /// the form is the same from run to run.
    pub(crate) fn debug(&mut self, value: &impl Debug) -> &mut Self {
        // Debug escapes NUL inside strings, so a NUL ends the value unambiguously.
        let _ = write!(Feed(&mut self.0), "{value:?}\0");
        self
    }

    /// A value by its serde form.
    pub(crate) fn serialized(&mut self, value: &impl Serialize) -> &mut Self {
        let _ = bincode::serialize_into(Feed(&mut self.0), value);
        self.0.update(&[0]);
        self
    }

    /// A value by its serde form; `None` when it cannot be written (bincode refuses
    /// flattened fields and sequences of unknown length): a key is never made from part
    /// of a value.
    pub(crate) fn checked(&mut self, value: &impl Serialize) -> Option<&mut Self> {
        bincode::serialize_into(Feed(&mut self.0), value).ok()?;
        self.0.update(&[0]);
        Some(self)
    }

    pub(crate) fn finish(&self) -> Key {
        self.0.digest128().to_le_bytes()
    }
}

/// Writes into the hasher.
struct Feed<'a>(&'a mut Xxh3);

impl std::io::Write for Feed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
