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
//! `store` is the file's format (refused whole when truncated, corrupted or foreign);
//! `mirror` the serde forms of the pipeline's types; `state/warm.rs` the loading.

mod mirror;
pub(crate) mod store;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::io::Write;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub(crate) use mirror::{CachedOut, CachedRendered};

use crate::site::markdown_pass::RenderedPage;
use crate::site::state::PageOut;

/// A SHA-256 of some inputs.
pub(crate) type Key = [u8; 32];

/// What the cache file holds. Borrowed when written, owned when read.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct Snapshot<'a> {
    /// Everything a page's Markdown depends on besides its own text.
    pub(crate) markdown: Key,
    /// Each template's file and text, by name.
    pub(crate) templates: BTreeMap<String, Key>,
    /// What every template sees besides pages: the asset manifest, `DCRSITE_*` variables.
    pub(crate) template_env: Key,
    /// The navigation, as every page shows part of it.
    pub(crate) nav: Key,
    /// By path under the content folder.
    #[serde(borrow)]
    pub(crate) pages: BTreeMap<String, CachedPage<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct CachedPage<'a> {
    /// The page's file as loaded (front matter and body).
    pub(crate) source: Key,
    /// Its Markdown result before the blog and tags plugins add to it.
    #[serde(borrow)]
    pub(crate) markdown: CachedRendered<'a>,
    /// What its templates see of it: the final Markdown result, the file, its git date.
    pub(crate) shown: Key,
    /// Its files after templates; none when the templates did not load.
    #[serde(borrow)]
    pub(crate) out: Option<CachedOut<'a>>,
}

/// The previous run's cache as loaded, each page's results taken out as they are reused.
pub(crate) struct Previous {
    pub(crate) markdown: Key,
    pub(crate) templates: BTreeMap<String, Key>,
    pub(crate) template_env: Key,
    pub(crate) nav: Key,
    pub(crate) pages: BTreeMap<String, PreviousPage>,
}

pub(crate) struct PreviousPage {
    pub(crate) source: Key,
    pub(crate) shown: Key,
    pub(crate) markdown: Option<RenderedPage>,
    pub(crate) out: Option<PageOut>,
}

impl Previous {
    /// Decodes a cache file's payload (`store::read_payload`). The pages' files point
    /// into `payload` rather than being copied: they are most of it.
    pub(crate) fn decode(payload: &Bytes) -> Result<Previous, String> {
        let snapshot: Snapshot = store::decode(payload)?;
        let pages = snapshot.pages.into_iter().map(|(path, page)| {
            let page = PreviousPage {
                source: page.source,
                shown: page.shown,
                markdown: Some(page.markdown.into_page()),
                out: page.out.map(|out| out.into_out(payload)),
            };
            (path, page)
        });
        Ok(Previous {
            markdown: snapshot.markdown,
            templates: snapshot.templates,
            template_env: snapshot.template_env,
            nav: snapshot.nav,
            pages: pages.collect(),
        })
    }
}

/// Builds a [`Key`]: each part is written unambiguously (lengths, separators).
pub(crate) struct KeyHasher(Sha256);

impl KeyHasher {
    pub(crate) fn new(what: &str) -> KeyHasher {
        let mut h = KeyHasher(Sha256::new());
        h.text(what);
        h
    }

    pub(crate) fn text(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// A value by its `Debug` form: for the pipeline's types that hold no hash map, so
    /// the form is the same from run to run.
    pub(crate) fn debug(&mut self, value: &impl Debug) -> &mut Self {
        // Debug escapes NUL inside strings, so a NUL ends the value unambiguously.
        let _ = write!(self.0, "{value:?}\0");
        self
    }

    /// A value by its serde form.
    pub(crate) fn serialized(&mut self, value: &impl Serialize) -> &mut Self {
        let _ = bincode::serialize_into(&mut self.0, value);
        self.0.update([0]);
        self
    }

    pub(crate) fn finish(&self) -> Key {
        self.0.clone().finalize().into()
    }
}
