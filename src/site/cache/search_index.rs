//! The search index a run made, kept as where each page's part lies in it: the next run
//! takes an unchanged page's part from the index's file rather than from the cache's
//! segments. At 10,000 pages the parts are tens of megabytes, which every cached build
//! decoded, copied and joined again, and every segment written held.
//!
//! The bytes are those of the file the run wrote: a build's output folder holds it, and
//! `serve` (which writes no folder) keeps a copy in its cache folder. A file the output
//! folder's record vouches for (as written, with the digest recorded here) is not read
//! whole: the runs of parts the new index takes from it are read straight into the new
//! index, so a one-edit build holds one index, not two. Any other file is read whole and
//! checked against the digest before any part is used; a file that is not the index
//! recorded (edited by hand, or not written: the build failed after saving the cache)
//! has every page's part made again.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::Key;
use crate::output::record::{digest, Digest};

/// The file `serve`'s cache keeps the index in, beside its index file.
pub(crate) const COPY: &str = "search-index.json";

/// Where each page's part lies in the index, and the index's digest.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IndexRecord {
    /// The digest the output folder's record gives the file (`output::record::digest`).
    digest: Digest,
    /// Each part in the index's order: the key of the entry it was made from, its first
    /// byte and its length.
    parts: Vec<(Key, u64, u64)>,
}

/// The index the last run wrote, found again as the one recorded.
pub(crate) enum LastIndex {
    /// Read whole (its digest checked).
    Read(Bytes),
    /// Vouched for by the output folder's record: read in the runs of parts taken.
    OnDisk(File),
}

/// A part of a new index: the last index's bytes at `at`, or new ones.
#[derive(Clone, Copy)]
pub(crate) enum Piece<'a> {
    Last { at: u64, len: u64 },
    New(&'a [u8]),
}

impl Piece<'_> {
    pub(crate) fn len(&self) -> usize {
        match self {
            Piece::Last { len, .. } => *len as usize,
            Piece::New(bytes) => bytes.len(),
        }
    }
}

impl IndexRecord {
    /// The record of `index`, made by `search::join` of `parts` in that order.
    pub(crate) fn of<'a>(
        parts: impl Iterator<Item = &'a (Key, Bytes)> + Clone,
        index: &[u8],
    ) -> Self {
        let spans = crate::search::spans(parts.clone().map(|(_, doc)| doc.len()));
        let parts = (parts.zip(spans))
            .map(|((key, _), (at, len))| (*key, at as u64, len as u64))
            .collect();
        IndexRecord {
            digest: digest(index),
            parts,
        }
    }

    /// The length of the index the parts were joined into.
    pub(crate) fn joined_len(&self) -> usize {
        let end =
            (self.parts.last()).map_or(crate::search::HEAD.len() as u64, |&(_, at, len)| at + len);
        end as usize + crate::search::TAIL.len()
    }

    /// The digest of the index the parts were joined into.
    pub(crate) fn digest(&self) -> Digest {
        self.digest
    }

    /// Each part's key and where it lies in the index.
    pub(crate) fn parts(&self) -> impl Iterator<Item = (Key, Piece<'static>)> + '_ {
        (self.parts.iter()).map(|&(key, at, len)| (key, Piece::Last { at, len }))
    }

    /// The index at `path` when it is the one recorded; `vouched` when the output
    /// folder's record says the file is there as written with this record's digest (it
    /// is then not read here).
    pub(crate) fn open(&self, path: &Path, vouched: bool) -> Option<LastIndex> {
        let len = self.joined_len() as u64;
        if vouched {
            let file = File::open(path).ok()?;
            let same = file.metadata().ok()?.len() == len;
            return same.then_some(LastIndex::OnDisk(file));
        }
        let bytes = std::fs::read(path).ok()?;
        let same = bytes.len() as u64 == len && digest(&bytes) == self.digest;
        same.then(|| LastIndex::Read(bytes.into()))
    }
}

impl LastIndex {
    /// Appends the bytes from `at` to `end` to `out`; `Err` when the index is shorter.
    fn copy(&mut self, at: u64, end: u64, out: &mut Vec<u8>) -> std::io::Result<()> {
        let short = || std::io::Error::from(std::io::ErrorKind::UnexpectedEof);
        match self {
            LastIndex::Read(bytes) => {
                let range = usize::try_from(at).ok().zip(usize::try_from(end).ok());
                let slice = range.and_then(|(at, end)| bytes.get(at..end));
                out.extend_from_slice(slice.ok_or_else(short)?);
            }
            LastIndex::OnDisk(file) => {
                file.seek(SeekFrom::Start(at))?;
                let want = end.checked_sub(at).ok_or_else(short)?;
                // Into the spare room the caller reserved: no zeroing, no copy.
                super::store::read_appending(file, want, out)?;
            }
        }
        Ok(())
    }
}

/// The index of `pieces` in order, the bytes `search::join` makes of them, sized once;
/// the last index's pieces are read from `last`, neighbours there (a part and the one
/// after it, with the comma between) in one run. `Err` when `last` cannot give them.
pub(crate) fn join<'a>(
    pieces: impl Iterator<Item = &'a Piece<'a>> + Clone,
    mut last: Option<&mut LastIndex>,
) -> std::io::Result<Vec<u8>> {
    use crate::search::{HEAD, TAIL};
    let (count, len) = (pieces.clone()).fold((0, 0), |(n, len), p| (n + 1, len + p.len()));
    let mut out = Vec::with_capacity(HEAD.len() + len + usize::max(count, 1) - 1 + TAIL.len());
    out.extend_from_slice(HEAD);
    // The run of the last index's bytes not yet copied: its first byte and its end.
    let mut run: Option<(u64, u64)> = None;
    let missing = || std::io::Error::new(std::io::ErrorKind::NotFound, "no last index");
    for (i, piece) in pieces.enumerate() {
        if let (Piece::Last { at, len }, Some((_, end))) = (piece, &mut run) {
            if *at == *end + 1 {
                *end = at + len;
                continue;
            }
        }
        if let Some((at, end)) = run.take() {
            last.as_deref_mut()
                .ok_or_else(missing)?
                .copy(at, end, &mut out)?;
        }
        if i > 0 {
            out.push(b',');
        }
        match piece {
            Piece::Last { at, len } => run = Some((*at, at + len)),
            Piece::New(bytes) => out.extend_from_slice(bytes),
        }
    }
    if let Some((at, end)) = run {
        last.ok_or_else(missing)?.copy(at, end, &mut out)?;
    }
    out.extend_from_slice(TAIL);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{join, IndexRecord, LastIndex, Piece};
    use bytes::Bytes;

    fn parts() -> Vec<([u8; 16], Bytes)> {
        vec![
            ([1; 16], Bytes::from_static(b"{\"t\":\"one\"}")),
            ([2; 16], Bytes::from_static(b"{\"t\":\"two\"}")),
            ([3; 16], Bytes::from_static(b"{\"t\":\"three\"}")),
        ]
    }

    /// A new index made of the last one's parts (read in runs, from the file or from
    /// memory) and new parts is the index `search::join` makes of the same parts; an
    /// index that is not the one recorded is not used.
    #[test]
    fn a_new_index_takes_the_last_ones_parts() {
        let dir = tempfile::tempdir().unwrap();
        let parts = parts();
        let index = crate::search::join(parts.iter().map(|(_, d)| &d[..]));
        let path = dir.path().join("search-index.json");
        std::fs::write(&path, &index).unwrap();
        let record = IndexRecord::of(parts.iter(), &index);
        assert_eq!(record.joined_len(), index.len());
        let last: Vec<Piece> = record.parts().map(|(_, piece)| piece).collect();
        let new = b"{\"t\":\"new\"}";
        // The first two in one run, a new part, the first again, the third.
        let pieces = [&last[0], &last[1], &Piece::New(new), &last[0], &last[2]];
        let docs = [&parts[0].1[..], &parts[1].1, new, &parts[0].1, &parts[2].1];
        let expected = crate::search::join(docs.into_iter());
        for vouched in [true, false] {
            let mut file = record.open(&path, vouched).unwrap();
            assert_eq!(matches!(file, LastIndex::OnDisk(_)), vouched);
            let made = join(pieces.into_iter(), Some(&mut file)).unwrap();
            assert_eq!(
                String::from_utf8(made.clone()).unwrap(),
                String::from_utf8(expected.clone()).unwrap()
            );
            assert_eq!(made.capacity(), made.len(), "sized once");
        }
        assert!(join([&last[1]].into_iter(), None).is_err());
        let mut edited = index.clone();
        edited[10] = b'T';
        std::fs::write(&path, &edited).unwrap();
        assert!(
            record.open(&path, false).is_none(),
            "not the index recorded"
        );
        std::fs::write(&path, &index[1..]).unwrap();
        assert!(record.open(&path, true).is_none(), "not its length");
    }
}
