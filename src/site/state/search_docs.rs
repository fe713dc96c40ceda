//! The search index from each page's part (`search::doc`), a part taken again when the
//! page's entry is the same as one already made: by the build cache's previous run, or by
//! `serve`'s previous assembly. The pages' words were most of an unchanged cached build.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::SiteState;
use crate::output::OutputFile;
use crate::search::{self, Entry};
use crate::site::cache::{Key, KeyHasher};

/// A page's part of the search index, with the key of the entry it was made from.
pub(crate) type SearchPart = (Key, Arc<str>);

/// The key of what a page's part is made from.
fn entry_key(e: &Entry<'_>) -> Key {
    KeyHasher::new("search part")
        .text(e.title)
        .text(e.url)
        .serialized(&e.toc)
        .text(e.text)
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
        if !self.config.search.enabled {
            return None;
        }
        let known: HashMap<&Key, &Arc<str>> =
            known.iter().flatten().map(|(k, doc)| (k, doc)).collect();
        // A fallback page is in the language's index too (a reader searching there
        // finds it), marked with the language its words are in.
        let default = self.config.languages.iter().find(|l| l.default);
        let default = default.map(|l| l.code.as_str());
        let parts: Vec<Option<SearchPart>> = (self.content.pages.par_iter())
            .zip(&self.pages)
            .map(|(page, r)| {
                if page.front.search_exclude {
                    return None;
                }
                let entry = Entry {
                    title: &r.title,
                    url: &page.url,
                    toc: &r.markdown.toc,
                    text: &r.markdown.plain_text,
                    language: default.filter(|_| page.fallback),
                };
                let key = entry_key(&entry);
                let doc = match known.get(&key) {
                    Some(doc) => Arc::clone(doc),
                    None => search::doc(&entry).into(),
                };
                Some((key, doc))
            })
            .collect();
        let index = search::join(parts.iter().flatten().map(|(_, doc)| &**doc));
        let file = OutputFile::generated(index, "generated: search index");
        Some((file, parts))
    }
}
