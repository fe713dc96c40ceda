//! What the build's link check read of each page, kept in the build cache folder
//! (`links-NN.bin`) so the next build does not parse a page whose HTML is byte for byte the
//! same again: on a cached build of an unchanged site, parsing every page was most of the
//! check's time.
//!
//! An entry is used only for the same path and the same SHA-256 of the HTML (and of this
//! extractor's format), so it is exactly what parsing would give; the checking itself
//! (resolving links against this build's files and every page's anchors) is redone on
//! every build, so a link on an unchanged page to an anchor that went is still reported.
//! A memo that cannot be read is not worth a warning: it is only a shortcut, and the
//! build cache beside it says when the cache is being ignored.
//!
//! The memo is split in shards by page path (`links-NN.bin`): a build that parsed one
//! page anew rewrites that page's shard, not the whole memo (tens of megabytes on a big
//! site). Each entry stands on its own (its key is the HTML's digest), so shards written
//! by different builds can be mixed safely.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::extract::{self, Document};
use crate::output::record::{digest, Digest};
use crate::site::{cache_store as store, CacheKey as Key, KeyHasher};

/// The shards' files inside the cache folder: `links-00.bin` to `links-63.bin`.
pub(crate) const FILE: &str = "links";
/// How many shards: a few pages' worth of a 10,000-page site each, few files on a small one.
const SHARDS: usize = 64;
/// Changes whenever `extract` finds something else in the same HTML.
const EXTRACTOR: &str = "extract 1, by output digest";

#[derive(Serialize, Deserialize, Default)]
struct Entries(BTreeMap<String, (Key, Document)>);

/// One shard's part of this build: the pages parsed anew and the paths taken from the
/// previous build's shard.
#[derive(Default)]
struct Fresh {
    parsed: Entries,
    reused: BTreeSet<String>,
}

/// The previous build's parses, and this build's as they are made.
pub struct ParseMemo {
    /// By shard, each entry taken out (not copied) when it is used.
    previous: Vec<Mutex<Entries>>,
    /// How many entries each shard had.
    counts: Vec<usize>,
    fresh: Vec<Mutex<Fresh>>,
}

/// The file of shard `shard` in the cache folder `dir`.
fn shard_file(dir: &Path, shard: usize) -> PathBuf {
    dir.join(format!("{FILE}-{shard:02}.bin"))
}

/// Shard `shard` as the cache folder `dir` holds it; empty when it cannot be used.
fn read_shard(dir: &Path, shard: usize) -> Entries {
    let read = store::read::<Entries>(&shard_file(dir, shard));
    read.ok().flatten().unwrap_or_default()
}

impl ParseMemo {
    /// The memo in the cache folder `dir`; a shard that cannot be used is empty.
    pub fn load(dir: &Path) -> ParseMemo {
        let previous: Vec<Entries> = (0..SHARDS)
            .into_par_iter()
            .map(|shard| read_shard(dir, shard))
            .collect();
        ParseMemo {
            counts: previous.iter().map(|e| e.0.len()).collect(),
            previous: previous.into_iter().map(Mutex::new).collect(),
            fresh: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    /// The links and anchors of the page at `path` whose HTML is `html`.
    pub(super) fn parse(&self, path: &str, html: &[u8]) -> Document {
        let key = key(digest(html));
        if let Some(doc) = self.reuse(path, key) {
            return doc;
        }
        // lol_html only fails on resource limits; such a page has nothing checkable.
        let doc = extract::parse(html, true).unwrap_or_default();
        let mut fresh = self.fresh[store::shard_of(path, SHARDS)].lock().unwrap();
        fresh.parsed.0.insert(path.to_string(), (key, doc.clone()));
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
        let shard = store::shard_of(path, SHARDS);
        let mut previous = self.previous[shard].lock().unwrap();
        if previous.0.get(path).is_none_or(|(k, _)| *k != key) {
            return None;
        }
        let (_, doc) = previous.0.remove(path)?;
        drop(previous);
        self.fresh[shard]
            .lock()
            .unwrap()
            .reused
            .insert(path.to_string());
        Some(doc)
    }

    /// Writes this build's parses for the next one: the shards that changed, each whole.
    /// A shard that cannot be written is left out silently: the next build parses again.
    pub fn save(self, dir: &Path) {
        let shards = self.counts.into_par_iter().zip(self.fresh);
        shards.enumerate().for_each(|(shard, (count, fresh))| {
            let fresh = fresh.into_inner().unwrap();
            if fresh.parsed.0.is_empty() && fresh.reused.len() == count {
                return; // Every entry taken again, none added: the file is as it should be.
            }
            let mut entries = match fresh.reused.is_empty() {
                true => Entries::default(),
                false => read_shard(dir, shard),
            };
            entries.0.retain(|path, _| fresh.reused.contains(path));
            entries.0.extend(fresh.parsed.0);
            let path = shard_file(dir, shard);
            if entries.0.is_empty() {
                let _ = std::fs::remove_file(path);
            } else {
                let _ = store::write(&path, &entries);
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
    use super::{shard_file, ParseMemo, SHARDS};
    use crate::site::cache_store::shard_of;

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
        let memo = ParseMemo::load(dir.path());
        for (path, html) in &pages {
            memo.parse(path, html);
        }
        memo.save(dir.path());
        let files = |dir: &std::path::Path| -> Vec<Option<std::time::SystemTime>> {
            (0..SHARDS)
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
        let memo = ParseMemo::load(dir.path());
        let changed = &pages[7].0;
        for (path, html) in &pages {
            let html = if path == changed {
                b"<p>new</p>".to_vec()
            } else {
                html.clone()
            };
            memo.parse(path, &html);
        }
        memo.save(dir.path());
        let after = files(dir.path());
        let rewritten: Vec<usize> = (0..SHARDS).filter(|&s| before[s] != after[s]).collect();
        assert_eq!(rewritten, vec![shard_of(changed, SHARDS)]);
        let memo = ParseMemo::load(dir.path());
        for (path, html) in &pages[..7] {
            let digest = crate::output::record::digest(html);
            assert!(memo.known(path, digest).is_some(), "{path}");
        }
        let new = crate::output::record::digest(b"<p>new</p>");
        assert!(memo.known(changed, new).is_some());
    }

    /// A page that is gone is dropped from its shard.
    #[test]
    fn a_page_no_longer_checked_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let memo = ParseMemo::load(dir.path());
        let (a, b) = (page(1), page(2));
        memo.parse(&a.0, &a.1);
        memo.parse(&b.0, &b.1);
        memo.save(dir.path());
        let memo = ParseMemo::load(dir.path());
        memo.parse(&a.0, &a.1);
        memo.save(dir.path());
        let memo = ParseMemo::load(dir.path());
        let digest = crate::output::record::digest(&b.1);
        assert!(memo.known(&b.0, digest).is_none());
        assert!(memo
            .known(&a.0, crate::output::record::digest(&a.1))
            .is_some());
    }
}
