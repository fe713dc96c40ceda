//! What the build's link check read of each page, kept in the build cache folder
//! (`links-NN.bin`) so the next build does not parse a page whose HTML is byte for byte the
//! same again: on a cached build of an unchanged site, parsing every page was most of the
//! check's time.
//!
//! An entry is used only for the same path and the same SHA-256 of the HTML (and of this
//! extractor's format), so it is exactly what parsing would give. Whether a page is
//! checked again at all is `verdict`'s to say (a page whose links reach an anchor that
//! went is); a page checked again, or whose anchors another page's links need, is read
//! from here. A memo that cannot be read is not worth a warning: it is only a shortcut,
//! and the build cache beside it says when the cache is being ignored.
//!
//! The memo is split in shards (`links-NN.bin`): a build that parsed one page anew
//! rewrites that page's shard, not the whole memo (tens of megabytes on a big site). A
//! page's shard is the number of the build cache segment its page is kept in
//! (`Rendered::places`), so the pages one title change renders again, neighbours in the
//! navigation, share a few shards; a file that is no page's goes by its path's hash.
//! Each entry stands on its own (its key is the HTML's digest), so shards written by
//! different builds can be mixed safely.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::extract::{self, Document};
use crate::output::record::{digest, Digest};
use crate::site::{cache_store as store, CacheKey as Key, KeyHasher};

/// The shards' files inside the cache folder: `links-00.bin` to `links-63.bin` (one per
/// 32 pages, up to 64: `store::shard_count`). Shards of a build that split the site in
/// another number are mixed safely too: an entry found in another shard than its page's
/// is only a miss.
pub(crate) const FILE: &str = "links";
/// Changes whenever `extract` finds something else in the same HTML.
const EXTRACTOR: &str = "extract 2, unplaced, by output digest";

/// A shard's entries by page path: each parse's key and the parse encoded on its own, so
/// that a build reads a shard's index and decodes only the parses it uses (the pages a
/// title change checks again link all over the site, and decoding each whole shard those
/// links lead to was a tenth of such a build), and writes the others back as they were.
#[derive(Default)]
struct Entries(BTreeMap<String, (Key, Bytes)>);

/// A shard's file: the entries' paths, keys and lengths, in order, their parses one after
/// another in the file's blob.
#[derive(Serialize, Deserialize)]
struct Index(Vec<(String, Key, u64)>);

impl Entries {
    /// The entries of a shard's file, slices of the blob it was read with; `None` when
    /// the index and the blob do not agree.
    fn from_file(index: Index, blob: &Bytes) -> Option<Entries> {
        let mut at = 0usize;
        let mut entries = BTreeMap::new();
        for (path, key, len) in index.0 {
            let end = at.checked_add(usize::try_from(len).ok()?)?;
            entries.insert(path, (key, blob.get(at..end).map(|_| blob.slice(at..end))?));
            at = end;
        }
        (at == blob.len()).then_some(Entries(entries))
    }

    /// What [`Self::from_file`] reads back: the index, and the parses to write after it.
    fn to_file(&self) -> (Index, Vec<Bytes>) {
        let index = (self.0.iter())
            .map(|(path, (key, doc))| (path.clone(), *key, doc.len() as u64))
            .collect();
        (
            Index(index),
            self.0.values().map(|(_, doc)| doc.clone()).collect(),
        )
    }
}

/// One shard's part of this build: the pages parsed anew, and whether any entry was
/// taken out of the previous build's shard.
#[derive(Default)]
struct Fresh {
    parsed: Entries,
    reused: bool,
}

/// The previous build's parses, and this build's as they are made.
pub struct ParseMemo {
    dir: PathBuf,
    /// By shard, read on first use (a build that checks a few pages again reads a few
    /// shards), each entry taken out (not copied) when it is used.
    previous: Vec<OnceLock<Mutex<Entries>>>,
    fresh: Vec<Mutex<Fresh>>,
    /// Pages' HTML files by their shard number (`Rendered::places`).
    places: Arc<HashMap<String, usize>>,
}

impl ParseMemo {
    /// A page's place, or its path's hash. A page gone is looked for by its path's hash
    /// too: kept elsewhere, its entry stays until that shard is written again, and can
    /// only be used again for the same path and HTML, whose parse it is.
    fn shard_of(&self, path: &str) -> usize {
        let shards = self.fresh.len();
        match self.places.get(path) {
            Some(&place) => place % shards,
            None => store::shard_of(path, shards),
        }
    }
}

/// The file of shard `shard` in the cache folder `dir`.
fn shard_file(dir: &Path, shard: usize) -> PathBuf {
    dir.join(format!("{FILE}-{shard:02}.bin"))
}

/// Shard `shard` as the cache folder `dir` holds it; empty when it cannot be used.
fn read_shard(dir: &Path, shard: usize) -> Entries {
    let read = store::read_with_blob::<Index>(&shard_file(dir, shard));
    let entries = read.ok().flatten();
    entries
        .and_then(|(index, blob)| Entries::from_file(index, &blob))
        .unwrap_or_default()
}

/// Writes `entries` as shard file `path`.
fn write_shard(path: &Path, entries: &Entries) -> std::io::Result<()> {
    let (index, docs) = entries.to_file();
    store::write_with_blob(path, &index, &docs)
}

impl ParseMemo {
    /// The memo in the cache folder `dir` for a site of `pages` pages placed as `places`
    /// says; a shard that cannot be used is empty.
    pub fn load(dir: &Path, pages: usize, places: Arc<HashMap<String, usize>>) -> ParseMemo {
        let shards = store::shard_count(pages);
        ParseMemo {
            dir: dir.to_path_buf(),
            previous: (0..shards).map(|_| OnceLock::new()).collect(),
            fresh: (0..shards).map(|_| Mutex::default()).collect(),
            places,
        }
    }

    /// The previous build's entries of shard `shard`, read now if not yet.
    fn shard(&self, shard: usize) -> &Mutex<Entries> {
        self.previous[shard].get_or_init(|| Mutex::new(read_shard(&self.dir, shard)))
    }

    /// The links and anchors of the page at `path` whose HTML is `html`.
    pub(super) fn parse(&self, path: &str, html: &[u8]) -> Document {
        let key = key(digest(html));
        if let Some(doc) = self.reuse(path, key) {
            return doc;
        }
        // lol_html only fails on resource limits; such a page has nothing checkable.
        let doc = extract::parse_unplaced(html, true).unwrap_or_default();
        // A parse that cannot be encoded is not kept: the next build parses again.
        if let Ok(encoded) = store::encode(&doc) {
            let mut fresh = self.fresh[self.shard_of(path)].lock().unwrap();
            (fresh.parsed.0).insert(path.to_string(), (key, Bytes::from(encoded)));
        }
        doc
    }

    /// The previous build's parse of the page at `path` whose HTML has the digest `digest`,
    /// if it has one: the page need not be read.
    pub(super) fn known(&self, path: &str, digest: Digest) -> Option<Document> {
        self.reuse(path, key(digest))
    }

    /// The previous build's parse of the page at `path` if it had this key, taken out
    /// and noted as taken (`save` reads it back from the file if its shard changed).
    fn reuse(&self, path: &str, key: Key) -> Option<Document> {
        let shard = self.shard_of(path);
        let mut previous = self.shard(shard).lock().unwrap();
        if previous.0.get(path).is_none_or(|(k, _)| *k != key) {
            return None;
        }
        let (_, encoded) = previous.0.remove(path)?;
        drop(previous);
        self.fresh[shard].lock().unwrap().reused = true;
        store::decode(&encoded)
    }

    /// Writes this build's parses for the next one: the shards that changed, each whole,
    /// keeping only the pages of `live` (this build's pages). A shard holding one of
    /// `gone` (the previous build's pages that this one has not) is written again without
    /// it; so is a shard read for this build that holds a page not `live`. A shard that
    /// cannot be written is left out silently: the next build parses again.
    pub fn save(self, dir: &Path, live: &HashSet<&str>, gone: &[&str]) {
        let shards = self.fresh.len();
        // Left by a build that split the site in more shards: never read again.
        (shards..store::MAX_SHARDS).for_each(|s| {
            let _ = std::fs::remove_file(shard_file(dir, s));
        });
        let mut emptied = vec![false; shards];
        for path in gone {
            emptied[self.shard_of(path)] = true;
        }
        let shards = self.previous.into_par_iter().zip(self.fresh);
        shards.enumerate().for_each(|(shard, (previous, fresh))| {
            let fresh = fresh.into_inner().unwrap();
            let left = previous.into_inner().map(|e| e.into_inner().unwrap());
            let dead = |entries: &Entries| entries.0.keys().any(|p| !live.contains(p.as_str()));
            if fresh.parsed.0.is_empty() && !emptied[shard] && !left.as_ref().is_some_and(dead) {
                return; // Nothing added, nothing to drop: the file is as it should be.
            }
            let mut entries = match left {
                Some(left) if !fresh.reused => left,
                _ => read_shard(dir, shard),
            };
            entries.0.retain(|path, _| live.contains(path.as_str()));
            entries.0.extend(fresh.parsed.0);
            let path = shard_file(dir, shard);
            if entries.0.is_empty() {
                let _ = std::fs::remove_file(path);
            } else {
                let _ = write_shard(&path, &entries);
            }
        });
    }
}

/// An entry's key: the HTML's digest, with the extractor's format.
fn key(digest: Digest) -> Key {
    KeyHasher::new(EXTRACTOR).bytes(&digest).finish()
}

#[cfg(test)]
mod tests {
    use super::{shard_file, ParseMemo};
    use crate::site::cache_store::{shard_count, shard_of};
    use std::collections::HashSet;

    fn page(n: usize) -> (String, Vec<u8>) {
        let html = format!("<a href=\"/p{n}/\">p</a><h2 id=\"s{n}\">S</h2>");
        (format!("p{n}/index.html"), html.into_bytes())
    }

    /// One page changed: its shard is written again, the others are left as they are,
    /// and every page is known to the next build.
    #[test]
    fn only_the_changed_pages_shard_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let pages: Vec<_> = (0..1000).map(page).collect();
        let shards = shard_count(pages.len());
        assert!(shards > 20, "{shards}");
        let memo = ParseMemo::load(dir.path(), pages.len(), Default::default());
        for (path, html) in &pages {
            memo.parse(path, html);
        }
        let live: HashSet<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
        memo.save(dir.path(), &live, &[]);
        let files = |dir: &std::path::Path| -> Vec<Option<std::time::SystemTime>> {
            (0..shards)
                .map(|s| {
                    std::fs::metadata(shard_file(dir, s))
                        .and_then(|m| m.modified())
                        .ok()
                })
                .collect()
        };
        let before = files(dir.path());
        assert!(
            before.iter().all(Option::is_some),
            "1,000 pages fill every shard"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        let memo = ParseMemo::load(dir.path(), pages.len(), Default::default());
        let changed = &pages[7].0;
        for (path, html) in &pages {
            let html = if path == changed {
                b"<p>new</p>".to_vec()
            } else {
                html.clone()
            };
            memo.parse(path, &html);
        }
        memo.save(dir.path(), &live, &[]);
        let after = files(dir.path());
        let rewritten: Vec<usize> = (0..shards).filter(|&s| before[s] != after[s]).collect();
        assert_eq!(rewritten, vec![shard_of(changed, shards)]);
        let memo = ParseMemo::load(dir.path(), pages.len(), Default::default());
        for (path, html) in &pages[..7] {
            let digest = crate::output::record::digest(html);
            assert!(memo.known(path, digest).is_some(), "{path}");
        }
        let new = crate::output::record::digest(b"<p>new</p>");
        assert!(memo.known(changed, new).is_some());
    }

    /// A shard file whose index names more bytes than its blob holds (or fewer) is no
    /// shard: nothing in it is used.
    #[test]
    fn a_shard_whose_index_and_parses_disagree_is_not_used() {
        use super::{Entries, Index};
        let blob = bytes::Bytes::from_static(b"0123456789");
        let index = |lens: &[u64]| {
            Index(
                lens.iter()
                    .map(|&l| (format!("p{l}"), [0; 16], l))
                    .collect(),
            )
        };
        assert!(Entries::from_file(index(&[4, 6]), &blob).is_some());
        assert!(Entries::from_file(index(&[4, 7]), &blob).is_none());
        assert!(Entries::from_file(index(&[4, 5]), &blob).is_none());
        assert!(Entries::from_file(index(&[u64::MAX, 1]), &blob).is_none());
    }

    /// A page that is gone is dropped from its shard.
    #[test]
    fn a_page_no_longer_checked_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let memo = ParseMemo::load(dir.path(), 2, Default::default());
        let (a, b) = (page(1), page(2));
        memo.parse(&a.0, &a.1);
        memo.parse(&b.0, &b.1);
        memo.save(dir.path(), &HashSet::from([&*a.0, &*b.0]), &[]);
        let memo = ParseMemo::load(dir.path(), 2, Default::default());
        memo.parse(&a.0, &a.1);
        memo.save(dir.path(), &HashSet::from([&*a.0]), &[&b.0]);
        let memo = ParseMemo::load(dir.path(), 2, Default::default());
        let digest = crate::output::record::digest(&b.1);
        assert!(memo.known(&b.0, digest).is_none());
        assert!(memo
            .known(&a.0, crate::output::record::digest(&a.1))
            .is_some());
    }
}
