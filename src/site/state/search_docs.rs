//! The search index from each page's part (`search::doc`), a part taken again when the
//! page's entry is the same as one already made: by the build cache's previous run, or by
//! `serve`'s previous assembly. The pages' words were most of an unchanged cached build.

use std::collections::HashMap;

use bytes::Bytes;
use rayon::prelude::*;

use super::SiteState;
use crate::output::OutputFile;
use crate::search::{self, Entry};
use crate::site::cache::lazy::{text_digest, LazyBody};
use crate::site::cache::search_index::{self, IndexRecord, Piece};
use crate::site::cache::{Key, KeyHasher};

/// The source the search index's file is marked with.
pub(super) const INDEX_SOURCE: &str = "generated: search index";

/// A page's part of the search index, with the key of the entry it was made from: its
/// bytes shared, not copied, with the index it was taken from (`cache::search_index`).
pub(crate) type SearchPart = (Key, Bytes);

/// The search index's file, and each page's part (none for a page left out).
pub(crate) type SearchIndex = (OutputFile, Vec<Option<SearchPart>>);

/// The key of what a page's part is made from, its plain text by its digest (`text`):
/// a page whose text stayed in the build cache has its part found again unread.
fn entry_key(e: &Entry<'_>, text: &Key) -> Key {
    KeyHasher::new("search part")
        .text(e.title)
        .text(e.url)
        .serialized(&e.toc)
        .bytes(text)
        .debug(&e.language)
        .finish()
}

impl SiteState {
    /// The search index of the pages as rendered now, unless search is off, and each
    /// page's part (none for a page left out), made again only where `known` has none
    /// of the same entry.
    pub(super) fn search_index(&self, known: &[Option<SearchPart>]) -> Option<SearchIndex> {
        self.search_index_with(known, &[])
    }

    /// [`Self::search_index`] where `lazy` holds, by page, the bodies left in the build
    /// cache: such a page's part must be in `known` ([`Self::search_index_reusing`]).
    pub(super) fn search_index_with(
        &self,
        known: &[Option<SearchPart>],
        lazy: &[Option<LazyBody>],
    ) -> Option<SearchIndex> {
        if !self.config.search.enabled {
            return None;
        }
        let known: HashMap<&Key, &Bytes> =
            known.iter().flatten().map(|(k, doc)| (k, doc)).collect();
        let parts: Vec<Option<SearchPart>> = (0..self.pages.len())
            .into_par_iter()
            .map(|i| {
                let (entry, key) = self.search_entry(i, lazy)?;
                let doc = match known.get(&key) {
                    Some(doc) => Bytes::clone(doc),
                    None => {
                        debug_assert!(lazy.get(i).is_none_or(Option::is_none));
                        Bytes::from(search::doc(&entry))
                    }
                };
                Some((key, doc))
            })
            .collect();
        let index = search::join(parts.iter().flatten().map(|(_, doc)| &doc[..]));
        let file = OutputFile::generated(index, INDEX_SOURCE);
        Some((file, parts))
    }

    /// Page `i`'s entry in the search index and its key; none when the page is left out.
    fn search_entry(&self, i: usize, lazy: &[Option<LazyBody>]) -> Option<(Entry<'_>, Key)> {
        let (page, r) = (&self.content.pages[i], &self.pages[i]);
        if page.front.search_exclude {
            return None;
        }
        // A fallback page is in the language's index too (a reader searching there
        // finds it), marked with the language its words are in.
        let default = self.config.languages.iter().find(|l| l.default);
        let entry = Entry {
            title: &r.title,
            url: &page.url,
            toc: &r.markdown.toc,
            text: &r.markdown.plain_text,
            language: default.map(|l| l.code.as_str()).filter(|_| page.fallback),
        };
        let text = match lazy.get(i) {
            Some(Some(body)) => body.text_digest(),
            _ => text_digest(&r.markdown.plain_text),
        };
        let key = entry_key(&entry, &text);
        Some((entry, key))
    }

    /// The search index and each page's part, the parts of the last run's index
    /// `record` taken again where a page's entry is the same (read from its file, see
    /// `cache::search_index`); the others made, after reading from the build cache the
    /// body of each such page that left it there. `Err(why)` as [`Self::load_html`], or
    /// when the last index cannot give the parts it vouched for.
    pub(super) fn search_index_reusing(
        &mut self,
        record: Option<IndexRecord>,
        vouched: bool,
    ) -> Result<Option<SearchIndex>, String> {
        if !self.config.search.enabled {
            return Ok(None);
        }
        let path = self.search_index_file();
        let last = record
            .as_ref()
            .and_then(|r| Some((r, r.open(path.as_ref()?, vouched)?)));
        let (record, mut last) = last.unzip();
        let known: HashMap<Key, Piece<'static>> =
            record.into_iter().flat_map(IndexRecord::parts).collect();
        let lazy = &self.lazy_bodies;
        let keys: Vec<Option<Key>> = (0..self.pages.len())
            .into_par_iter()
            .map(|i| self.search_entry(i, lazy).map(|(_, key)| key))
            .collect();
        // A part is made from the page's text.
        let unknown: Vec<bool> = (keys.iter())
            .map(|key| key.is_some_and(|key| !known.contains_key(&key)))
            .collect();
        self.load_html(|i| unknown[i])?;
        let made: HashMap<usize, Vec<u8>> = (0..self.pages.len())
            .into_par_iter()
            .filter(|&i| unknown[i])
            .map(|i| {
                let (entry, _) = self.search_entry(i, &[])?;
                Some((i, search::doc(&entry).into_bytes()))
            })
            .flatten()
            .collect();
        let pieces: Vec<Option<Piece>> = (keys.iter().enumerate())
            .map(|(i, key)| match made.get(&i) {
                Some(doc) => Some(Piece::New(doc)),
                None => known.get(&(*key)?).copied(),
            })
            .collect();
        let index = search_index::join(pieces.iter().flatten(), last.as_mut());
        let index =
            Bytes::from(index.map_err(|e| format!("its search index cannot be read: {e}"))?);
        let mut spans = search::spans(pieces.iter().flatten().map(|p| p.len())).into_iter();
        let parts = (keys.iter())
            .map(|key| {
                let key = (*key)?;
                let (at, len) = spans.next()?;
                Some((key, index.slice(at..at + len)))
            })
            .collect();
        Ok(Some((indexed(index), parts)))
    }
}

/// The search index's file, its bytes shared with its parts.
fn indexed(index: Bytes) -> OutputFile {
    OutputFile {
        body: crate::output::Body::Bytes(index),
        ..OutputFile::generated(Vec::new(), INDEX_SOURCE)
    }
}
