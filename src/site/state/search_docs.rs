//! The search index from each page's part (`search::doc`), a part taken again when the
//! page's entry is the same as one already made: by the build cache's previous run, or by
//! `serve`'s previous assembly. The pages' words were most of an unchanged cached build.

use std::collections::{HashMap, HashSet};

use bytes::Bytes;
use rayon::prelude::*;

use super::SiteState;
use crate::output::OutputFile;
use crate::search::{self, Entry};
use crate::site::cache::lazy::{text_digest, LazyBody};
use crate::site::cache::{Key, KeyHasher};

/// The source the search index's file is marked with.
pub(super) const INDEX_SOURCE: &str = "generated: search index";

/// A page's part of the search index, with the key of the entry it was made from: its
/// bytes shared, not copied, with the index it was taken from (`cache::search_index`).
pub(crate) type SearchPart = (Key, Bytes);

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
    pub(super) fn search_index(
        &self,
        known: &[Option<SearchPart>],
    ) -> Option<(OutputFile, Vec<Option<SearchPart>>)> {
        self.search_index_with(known, &[])
    }

    /// [`Self::search_index`] where `lazy` holds, by page, the bodies left in the build
    /// cache: such a page's part must be in `known` ([`Self::load_unknown_search_texts`]).
    pub(super) fn search_index_with(
        &self,
        known: &[Option<SearchPart>],
        lazy: &[Option<LazyBody>],
    ) -> Option<(OutputFile, Vec<Option<SearchPart>>)> {
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

    /// Reads from the build cache the body of each page that left it there and whose
    /// part of the search index the cache does not hold (a part is made from the text);
    /// `Err(why)` as [`Self::load_html`].
    pub(super) fn load_unknown_search_texts(&mut self) -> Result<(), String> {
        if !self.config.search.enabled {
            return Ok(());
        }
        let known: HashSet<&Key> = self.search_parts.iter().flatten().map(|(k, _)| k).collect();
        let lazy = &self.lazy_bodies;
        let unknown: Vec<bool> = (0..self.pages.len())
            .map(|i| {
                let left = lazy.get(i).is_some_and(Option::is_some);
                left && self
                    .search_entry(i, lazy)
                    .is_some_and(|(_, key)| !known.contains(&key))
            })
            .collect();
        self.load_html(|i| unknown[i])
    }
}
