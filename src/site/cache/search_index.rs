//! The search index a run made, kept as where each page's part lies in it: the next run
//! takes an unchanged page's part as a slice of the index's file rather than from the
//! cache's segments. At 10,000 pages the parts are tens of megabytes, which every cached
//! build decoded, copied and joined again, and every segment written held.
//!
//! The bytes are those of the file the run wrote: a build's output folder holds it, and
//! `serve` (which writes no folder) keeps a copy in its cache folder. They are checked
//! against the digest of the whole index before any part is used; a file that is not
//! the index recorded (edited by hand, or not written: the build failed after saving the
//! cache) has every page's part made again.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::{Key, KeyHasher};

/// The file `serve`'s cache keeps the index in, beside its index file.
pub(crate) const COPY: &str = "search-index.json";

/// Where each page's part lies in the index, and the index's digest.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IndexRecord {
    digest: Key,
    /// Each part in the index's order: the key of the entry it was made from, its first
    /// byte and its length.
    parts: Vec<(Key, u64, u64)>,
}

fn digest(index: &[u8]) -> Key {
    KeyHasher::new("search index").bytes(index).finish()
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

    /// The parts, slices of `index` (not copied); none when `index` is not the index
    /// recorded.
    pub(crate) fn parts(&self, index: &Bytes) -> Option<Vec<(Key, Bytes)>> {
        if digest(index) != self.digest {
            return None;
        }
        let slice = |at: u64, len: u64| {
            let at = usize::try_from(at).ok()?;
            let end = at.checked_add(usize::try_from(len).ok()?)?;
            index.get(at..end).map(|_| index.slice(at..end))
        };
        (self.parts.iter())
            .map(|&(key, at, len)| Some((key, slice(at, len)?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::IndexRecord;
    use bytes::Bytes;

    fn parts() -> Vec<([u8; 16], Bytes)> {
        vec![
            ([1; 16], Bytes::from_static(b"{\"t\":\"one\"}")),
            ([2; 16], Bytes::from_static(b"{\"t\":\"two\"}")),
        ]
    }

    /// The parts come back as slices of the index; an index that is not the one recorded
    /// gives none.
    #[test]
    fn parts_come_back_from_the_index_they_were_joined_into() {
        let parts = parts();
        let index = Bytes::from(crate::search::join(parts.iter().map(|(_, d)| &d[..])));
        let record = IndexRecord::of(parts.iter(), &index);
        let back = record.parts(&index).unwrap();
        assert_eq!(back, parts);
        assert_eq!(record.joined_len(), index.len());
        assert_eq!(
            back[1].1.as_ptr(),
            index[28..].as_ptr(),
            "shared, not copied"
        );
        let mut edited = index.to_vec();
        edited[10] = b'T';
        assert_eq!(record.parts(&Bytes::from(edited)), None);
        assert_eq!(record.parts(&index.slice(1..)), None);
    }
}
