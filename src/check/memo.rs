//! What the build's link check read of each page, kept in the build cache folder
//! (`links.bin`) so the next build does not parse a page whose HTML is byte for byte the
//! same again: on a cached build of an unchanged site, parsing every page was most of the
//! check's time.
//!
//! An entry is used only for the same path and the same SHA-256 of the HTML (and of this
//! extractor's format), so it is exactly what parsing would give; the checking itself
//! (resolving links against this build's files and every page's anchors) is redone on
//! every build, so a link on an unchanged page to an anchor that went is still reported.
//! A memo that cannot be read is not worth a warning: it is only a shortcut, and the
//! build cache beside it says when the cache is being ignored.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::extract::{self, Document};
use crate::output::record::{digest, Digest};
use crate::site::{cache_store as store, CacheKey as Key, KeyHasher};

/// The file inside the cache folder.
pub(crate) const FILE: &str = "links.bin";
/// Changes whenever `extract` finds something else in the same HTML.
const EXTRACTOR: &str = "extract 1, by output digest";

#[derive(Serialize, Deserialize, Default)]
struct Entries(BTreeMap<String, (Key, Document)>);

/// The previous build's parses, and this build's as they are made.
pub struct ParseMemo {
    previous: Entries,
    fresh: Mutex<Entries>,
    /// Some page was parsed anew (a miss): the file is written again.
    missed: Mutex<bool>,
}

impl ParseMemo {
    /// The memo in the cache folder `dir`; empty when there is none or it cannot be used.
    pub fn load(dir: &Path) -> ParseMemo {
        let previous = store::read::<Entries>(&dir.join(FILE))
            .ok()
            .flatten()
            .unwrap_or_default();
        ParseMemo {
            previous,
            fresh: Mutex::new(Entries::default()),
            missed: Mutex::new(false),
        }
    }

    /// The links and anchors of the page at `path` whose HTML is `html`.
    pub(super) fn parse(&self, path: &str, html: &[u8]) -> Document {
        let key = key(digest(html));
        let doc = match self.previous.0.get(path) {
            Some((k, doc)) if *k == key => doc.clone(),
            _ => {
                *self.missed.lock().unwrap() = true;
                // lol_html only fails on resource limits; such a page has nothing checkable.
                extract::parse(html, true).unwrap_or_default()
            }
        };
        self.keep(path, key, &doc);
        doc
    }

    /// The previous build's parse of the page at `path` whose HTML has the digest `digest`,
    /// if it has one: the page need not be read.
    pub(super) fn known(&self, path: &str, digest: Digest) -> Option<Document> {
        let key = key(digest);
        let doc = self
            .previous
            .0
            .get(path)
            .filter(|(k, _)| *k == key)?
            .1
            .clone();
        self.keep(path, key, &doc);
        Some(doc)
    }

    fn keep(&self, path: &str, key: Key, doc: &Document) {
        let mut fresh = self.fresh.lock().unwrap();
        fresh.0.insert(path.to_string(), (key, doc.clone()));
    }

    /// Writes this build's parses for the next one, unless they are the previous ones.
    /// A memo that cannot be written is left out silently: the next build parses again.
    pub fn save(self, dir: &Path) {
        let fresh = self.fresh.into_inner().unwrap();
        let missed = self.missed.into_inner().unwrap();
        if !missed && fresh.0.keys().eq(self.previous.0.keys()) {
            return;
        }
        let _ = store::write(&dir.join(FILE), &fresh);
    }
}

/// An entry's key: the HTML's digest, with the extractor's format.
fn key(digest: Digest) -> Key {
    KeyHasher::new(EXTRACTOR).bytes(&digest).finish()
}
