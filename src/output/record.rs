//! What a build wrote into the output folder, kept in the build cache's folder
//! (`output.bin`): each file's length, modification time and inode right after it was
//! written, and a digest of its bytes. The next build tells from one `stat` that a file
//! it would write again is still there, unchanged, without reading it back: the build
//! cache then keeps no copy of the pages' bytes (the output folder holds them), and the
//! new site links the file instead of writing it.
//!
//! A file edited, replaced or deleted by hand no longer matches (an edit changes the
//! modification time, a replacement the inode): its page is rendered again and the file
//! written anew. The digest is a fast non-cryptographic one (xxh3, 128 bits): it tells
//! outputs apart, it does not guard against tampering.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::site::cache_store as store;

/// The file inside the cache folder.
pub(crate) const FILE: &str = "output.bin";

/// A digest of a file's bytes.
pub type Digest = [u8; 16];

/// The digest of `bytes`.
pub fn digest(bytes: &[u8]) -> Digest {
    xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes()
}

/// A file as it was right after a build wrote it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub len: u64,
    /// Seconds and nanoseconds since the Unix epoch.
    modified: (u64, u32),
    /// 0 where the system has none.
    inode: u64,
    pub digest: Digest,
}

impl Written {
    /// The regular file at `path` as it is now, holding bytes whose digest is `digest`.
    fn stat(path: &Path, digest: Digest) -> std::io::Result<Written> {
        let meta = std::fs::symlink_metadata(path)?;
        Ok(Written {
            len: meta.len(),
            modified: modified(&meta),
            inode: inode(&meta),
            digest,
        })
    }

    /// Whether `path` is still this file: a regular file (not a link) with the same
    /// length, modification time and inode.
    pub(crate) fn still_at(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|meta| {
            meta.is_file()
                && meta.len() == self.len
                && modified(&meta) == self.modified
                && inode(&meta) == self.inode
        })
    }
}

fn modified(meta: &std::fs::Metadata) -> (u64, u32) {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| (d.as_secs(), d.subsec_nanos()))
        .unwrap_or_default()
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// A file of the previous build's output, unchanged since it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    pub path: PathBuf,
    pub written: Written,
}

/// The files one build wrote into the output folder `folder` (its real path).
#[derive(Serialize, Deserialize, Default, Debug)]
pub struct OutputRecord {
    pub folder: PathBuf,
    pub files: BTreeMap<String, Written>,
    /// Every file was found as written by this build's start (`build::unchanged`), so
    /// [`Self::kept`] need not look at each again (10,000 `stat`s at 10,000 pages); a
    /// file edited by hand leaves it false, and each is looked at. Never saved.
    #[serde(skip)]
    pub(crate) verified: bool,
}

impl OutputRecord {
    /// The record in the cache folder `cache` of the output folder `folder` (a real path);
    /// none when there is none, it is of another folder, or it cannot be read (it is only
    /// a shortcut: without it, pages are rendered and written again).
    pub(crate) fn load(cache: &Path, folder: &Path) -> Option<OutputRecord> {
        store::read::<OutputRecord>(&cache.join(FILE))
            .ok()
            .flatten()
            .filter(|r| r.folder == folder)
    }

    /// Writes the record into the cache folder `cache` (atomically, as the build cache).
    pub(crate) fn save(&self, cache: &Path) -> std::io::Result<()> {
        store::write(&cache.join(FILE), self)
    }

    /// The output file `path` (relative), when this record has it with `len` bytes of
    /// digest `digest` and it is still there unchanged.
    pub(crate) fn kept(&self, path: &str, len: u64, digest: Digest) -> Option<Kept> {
        let written = self.files.get(path)?;
        let full = self.folder.join(path);
        let kept = written.len == len
            && written.digest == digest
            && (self.verified || written.still_at(&full));
        kept.then_some(Kept {
            path: full,
            written: *written,
        })
    }
}

/// Records the file just put at `path`, holding bytes of digest `digest`.
pub(crate) fn written(path: &Path, digest: Digest) -> std::io::Result<Written> {
    Written::stat(path, digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_replaced_or_gone_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().to_path_buf();
        std::fs::write(folder.join("a.html"), "one").unwrap();
        let w = written(&folder.join("a.html"), digest(b"one")).unwrap();
        let record = OutputRecord {
            folder: folder.clone(),
            files: [("a.html".to_string(), w)].into(),
            verified: false,
        };
        assert!(record.kept("a.html", 3, digest(b"one")).is_some());
        assert!(
            record.kept("a.html", 3, digest(b"two")).is_none(),
            "other bytes"
        );
        assert!(
            record.kept("b.html", 3, digest(b"one")).is_none(),
            "not recorded"
        );
        // Same length, new bytes, written in place: the modification time moves.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(folder.join("a.html"), "One").unwrap();
        assert!(record.kept("a.html", 3, digest(b"one")).is_none(), "edited");
        std::fs::remove_file(folder.join("a.html")).unwrap();
        assert!(
            record.kept("a.html", 3, digest(b"one")).is_none(),
            "deleted"
        );
    }

    #[test]
    fn a_record_is_of_one_folder() {
        let dir = tempfile::tempdir().unwrap();
        let record = OutputRecord {
            folder: dir.path().join("public"),
            files: BTreeMap::new(),
            verified: false,
        };
        record.save(dir.path()).unwrap();
        assert!(OutputRecord::load(dir.path(), &dir.path().join("public")).is_some());
        assert!(OutputRecord::load(dir.path(), &dir.path().join("site")).is_none());
    }
}
