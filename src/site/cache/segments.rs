//! The build cache's files: an index (`build.bin`: the keys every page shares, and a
//! stamp for each segment) and the pages in segments (`build-NN.bin`, one per 32 pages
//! up to 64: `store::shard_count`; a folder's neighbours together: [`assign`]), each a `store` file of its own, its pages' HTML,
//! plain text and links in the file's rest (`lazy.rs`). A build that changed one page
//! writes that page's segment and the index, not the whole cache (hundreds of megabytes
//! on a 10,000-page site).
//!
//! The index is written last, and names each segment by a stamp the segment holds, new
//! for each file written: a segment written by a build that was stopped before its index
//! does not match the index, and the cache is then ignored as a whole (with the one
//! warning any untrustworthy cache gets), never read in part.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{previous_pages, store, Blob, Bodies, CachedPage, Key, KeyHasher, Previous};
use super::{SegmentPages, Snapshot};
use crate::output::record::OutputRecord;

/// How many segments a site of `pages` pages has: about 150 pages (4 MB) each at 10,000
/// pages, a few files on a small site (an empty segment has no file).
pub(crate) fn count_for(pages: usize) -> usize {
    store::shard_count(pages)
}

/// One segment's file.
#[derive(Serialize, Deserialize)]
struct Segment<'a> {
    /// The stamp the index names it by.
    stamp: Key,
    /// By path under the content folder.
    pages: BTreeMap<String, CachedPage<'a>>,
}

/// A segment's file as read: its pages in the order written, as a list (bincode writes
/// a map as its length and its pairs, a list of pairs alike), since they go into the
/// cache's one map of pages anyway; building each segment's sorted map first was a
/// tenth of the memory a one-edit build touched.
#[derive(Deserialize)]
struct SegmentRead {
    stamp: Key,
    pages: Vec<(String, CachedPage<'static>)>,
}

/// How far a page looks along the order, either way, to tell whether a run begins at
/// it (see [`assign`]): runs have at least `REACH + 1` pages and about `2 * REACH + 1`
/// on average, several to a segment, so that segments come out about the same size.
const REACH: usize = 8;

/// The segment of `count` each of `paths` (content paths, by page index) is kept in,
/// `order` being the pages as the navigation lists them, siblings together
/// (`Nav::sibling_order`): pages next to each other there, in one folder, share a
/// segment, in runs.
///
/// Why: a change of one page's title or place changes the navigation of its neighbours
/// (the window of entries around it, their "previous" and "next" links), so the pages
/// one change renders again sit in a few segments, not (as when each page was hashed
/// alone) spread over most of them, each rewritten whole.
///
/// A run ends where the folder changes or before a page whose path hashes lower than
/// the paths of the [`REACH`] pages on either side of it (a local minimum), and goes to
/// the segment its first page's path hashes to. So the runs do not depend on positions:
/// a page moved in the order changes the runs near where it left and joined, not every
/// run after it. A local minimum rather than one page in so many: that left runs of any
/// length, and the 25 pages one title change renders again at 10,000 pages fell in up
/// to 7 runs where local minima give at most 4 (2.4 on average, against 2.9).
/// Pages `order` leaves out (not in the navigation) follow in index order.
pub(crate) fn assign(order: &[usize], paths: &[&str], count: usize) -> Vec<usize> {
    let count = count.max(1);
    let mut placed = vec![false; paths.len()];
    let listed: Vec<usize> = (order.iter().copied())
        .filter(|&i| i < paths.len() && !std::mem::replace(&mut placed[i], true))
        .collect();
    let rest = (0..paths.len()).filter(|&i| !placed[i]);
    let sequence: Vec<usize> = listed.into_iter().chain(rest).collect();
    let run_keys: Vec<u64> = sequence.iter().map(|&i| run_key(paths[i])).collect();
    let mut segment_of = vec![0; paths.len()];
    // The folder and segment of the run the last page was in.
    let mut run: Option<(&str, usize)> = None;
    for (at, &i) in sequence.iter().enumerate() {
        let path = paths[i];
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let segment = match run {
            Some((run_folder, segment)) if run_folder == folder && !starts_a_run(&run_keys, at) => {
                segment
            }
            _ => store::shard_of(path, count),
        };
        run = Some((folder, segment));
        segment_of[i] = segment;
    }
    segment_of
}

/// The hash a page's path is compared by to tell where runs begin (seeded, so that it
/// says nothing of the segment `store::shard_of` gives the path).
fn run_key(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(path.as_bytes(), 0x5e9)
}

/// Whether a run begins at place `at` of the order whose pages' run keys are `keys`:
/// its key is lower than those of the [`REACH`] places on either side.
fn starts_a_run(keys: &[u64], at: usize) -> bool {
    let near = at.saturating_sub(REACH)..(at + REACH + 1).min(keys.len());
    near.filter(|&j| j != at).all(|j| keys[j] > keys[at])
}

/// The file of segment `segment` beside the index at `index`.
fn file(index: &Path, segment: usize) -> PathBuf {
    index.with_file_name(format!("build-{segment:02}.bin"))
}

/// The previous run's cache whose index is at `index`, its pages' files found again as
/// `output` says (see [`Bodies`]): `Ok(None)` when there is none, `Err(why)` when the
/// index or any segment it names cannot be trusted.
pub(crate) fn read(
    index: &Path,
    output: Option<&OutputRecord>,
) -> Result<Option<Previous>, String> {
    let Some(snapshot) = store::read::<Snapshot>(index)? else {
        return Ok(None);
    };
    if snapshot.segments.is_empty() || snapshot.segments.len() > store::MAX_SHARDS {
        return Err("it is corrupted (its parts do not add up)".into());
    }
    let parts: Vec<Result<SegmentPages, String>> = (snapshot.segments)
        .par_iter()
        .enumerate()
        .map(|(segment, stamp)| match stamp {
            Some(stamp) => read_segment(index, segment, *stamp, output),
            None => Ok(Vec::new()),
        })
        .collect();
    let parts = parts.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut pages = HashMap::with_capacity(parts.iter().map(Vec::len).sum());
    pages.extend(parts.into_iter().flatten());
    Ok(Some(Previous {
        markdown: snapshot.markdown,
        templates: snapshot.templates,
        template_env: snapshot.template_env,
        nav: snapshot.nav,
        segments: snapshot.segments,
        search: snapshot.search,
        search_vouched: false,
        pages,
    }))
}

fn read_segment(
    index: &Path,
    segment: usize,
    stamp: Key,
    output: Option<&OutputRecord>,
) -> Result<SegmentPages, String> {
    let path = file(index, segment);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let read =
        store::read_with_rest::<SegmentRead>(&path).map_err(|why| format!("{name}: {why}"))?;
    let (part, blob, rest) = read.ok_or_else(|| format!("its part {name} is missing"))?;
    if part.stamp != stamp {
        return Err(format!(
            "its part {name} is not the one it names (a build was stopped while writing it)"
        ));
    }
    previous_pages(
        (segment, part.pages),
        &Bodies {
            blob: &blob,
            output,
        },
        &std::sync::Arc::new(rest),
    )
}

/// Writes segment `segment` of the cache whose index is at `index`; returns the stamp
/// the index is to name it by.
pub(crate) fn write(
    index: &Path,
    segment: usize,
    pages: BTreeMap<String, CachedPage<'_>>,
    blob: &Blob,
    bodies: &[Vec<u8>],
) -> std::io::Result<Key> {
    static WRITTEN: AtomicU64 = AtomicU64::new(0);
    let time = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let stamp = KeyHasher::new("segment")
        .debug(&(std::process::id(), time.unwrap_or_default(), segment))
        .debug(&WRITTEN.fetch_add(1, Ordering::Relaxed))
        .finish();
    let part = Segment { stamp, pages };
    store::write_with_rest(&file(index, segment), &part, &blob.parts, bodies)?;
    Ok(stamp)
}

/// Removes the file of a segment that has no pages now (a leftover is never read: the
/// index names no stamp for it).
pub(crate) fn remove(index: &Path, segment: usize) {
    let _ = std::fs::remove_file(file(index, segment));
}

/// Removes the files of segments `count` and above, left by a run whose site was
/// split in more segments.
pub(crate) fn remove_from(index: &Path, count: usize) {
    (count..store::MAX_SHARDS).for_each(|segment| remove(index, segment));
}

#[cfg(test)]
mod tests {
    use super::{assign, file, read, write, REACH};
    use crate::site::cache::{store, Blob, Snapshot};
    use std::collections::BTreeMap;

    /// An index naming segment 3 by `stamp`.
    fn index_naming(path: &std::path::Path, stamp: [u8; 16]) {
        let mut segments = vec![None; store::MAX_SHARDS];
        segments[3] = Some(stamp);
        let snapshot = Snapshot {
            segments,
            ..Snapshot::default()
        };
        store::write(path, &snapshot).unwrap();
    }

    /// A segment written after its index (a build stopped before writing the index) does
    /// not match it, and the cache is refused; a segment the index names must be there.
    #[test]
    fn a_segment_the_index_does_not_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join(store::FILE);
        let stamp = write(&index, 3, BTreeMap::new(), &Blob::default(), &[]).unwrap();
        index_naming(&index, stamp);
        let previous = read(&index, None).unwrap().unwrap();
        assert_eq!(previous.segments[3], Some(stamp));
        let newer = write(&index, 3, BTreeMap::new(), &Blob::default(), &[]).unwrap();
        assert_ne!(newer, stamp, "each file written has a stamp of its own");
        let err = read(&index, None).err().unwrap();
        assert!(
            err.contains("build-03.bin is not the one it names"),
            "{err}"
        );
        std::fs::remove_file(file(&index, 3)).unwrap();
        let err = read(&index, None).err().unwrap();
        assert!(err.contains("build-03.bin is missing"), "{err}");
    }

    #[test]
    fn a_corrupted_segment_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join(store::FILE);
        let stamp = write(&index, 3, BTreeMap::new(), &Blob::default(), &[]).unwrap();
        index_naming(&index, stamp);
        let path = file(&index, 3);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let err = read(&index, None).err().unwrap();
        assert!(
            err.contains("build-03.bin: it is truncated or corrupted"),
            "{err}"
        );
    }

    fn paths(folder: &str, pages: usize) -> Vec<String> {
        (0..pages).map(|i| format!("{folder}/p{i:03}.md")).collect()
    }

    /// A title change renders again the window of siblings around the page (25 at
    /// most: `nav::MAX_SIBLINGS`): runs are never shorter than `REACH + 1`, so any 25
    /// neighbours fall in at most 4 runs. With one run start in 16 pages by hash, a
    /// window of this folder fell in 5.
    #[test]
    fn any_window_of_neighbours_falls_in_few_runs() {
        let owned = paths("big", 1000);
        let paths: Vec<&str> = owned.iter().map(String::as_str).collect();
        let order: Vec<usize> = (0..1000).collect();
        let segment = assign(&order, &paths, 64);
        let window = crate::content::nav::MAX_SIBLINGS;
        let most = (0..=1000 - window)
            .map(|start| {
                let pages = &segment[start..start + window];
                1 + pages.windows(2).filter(|w| w[0] != w[1]).count()
            })
            .max();
        assert!(most <= Some(4), "{most:?} runs in one window");
    }

    /// Pages next to each other in the order share a segment, in runs; a page moved
    /// in the order moves only the pages of the runs it left and joined; a big
    /// folder is spread over the segments.
    #[test]
    fn neighbours_in_reading_order_share_a_segment() {
        let owned = paths("big", 400);
        let paths: Vec<&str> = owned.iter().map(String::as_str).collect();
        // Reading order unlike path order (by title, say).
        let order: Vec<usize> = (0..400).map(|i| (i * 7) % 400).collect();
        let before = assign(&order, &paths, 16);
        let runs = order
            .windows(2)
            .filter(|w| before[w[0]] != before[w[1]])
            .count()
            + 1;
        assert!(
            (15..=40).contains(&runs),
            "{runs} runs of about {} pages",
            2 * REACH + 1
        );
        let mut used = before.clone();
        used.sort_unstable();
        used.dedup();
        assert!(used.len() >= 10, "{} of 16 segments used", used.len());

        let mut moved = order.clone();
        let page = moved.remove(10);
        moved.insert(300, page);
        let after = assign(&moved, &paths, 16);
        // Only runs near where the page left and joined change: those within reach.
        let near = |at: usize| at.abs_diff(10) <= 5 * REACH || at.abs_diff(300) <= 5 * REACH;
        let far: Vec<usize> = (0..400)
            .filter(|&at| before[moved[at]] != after[moved[at]] && !near(at))
            .collect();
        assert!(
            far.is_empty(),
            "pages far from the move changed segment: {far:?}"
        );
        let changed = (0..400).filter(|&i| before[i] != after[i]).count();
        assert!(changed <= 6 * REACH, "{changed} pages changed segment");

        let unlisted = assign(&order[..100], &paths, 16);
        assert!(unlisted.iter().all(|&s| s < 16), "every page has a segment");
    }
}
