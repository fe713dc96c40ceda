//! Telling whether a batch's files may have been read while being written, from the
//! files themselves rather than their change events (on a busy machine those can arrive
//! after the rebuild is done): a file that changed while the rebuild ran, or one that
//! changed so recently that a writer may still be at it.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a file looked like on disk: enough to see a rewrite in place (its size, times
/// and inode), or `None` when it was absent.
type Stamp = Option<(u64, i64, i64, i64, i64, u64)>;

/// What a file's metadata says of a writer: its size, and how long ago it changed (by
/// its change time; `None` when that is in the future: another machine's clock says
/// nothing about a writer).
pub(crate) struct Look {
    pub(crate) len: u64,
    pub(crate) age: Option<Duration>,
}

/// `None` when the file is absent.
pub(crate) fn look(path: &PathBuf, now: SystemTime) -> Option<Look> {
    let (len, .., ctime, ctime_nsec, _) = stamp(path)?;
    let changed = u64::try_from(ctime)
        .ok()
        .zip(u32::try_from(ctime_nsec).ok())
        .map(|(secs, nanos)| UNIX_EPOCH + Duration::new(secs, nanos));
    Some(Look {
        len,
        age: changed.and_then(|c| now.duration_since(c).ok()),
    })
}

/// The stamps of a batch's files, taken before a rebuild reads them.
pub(crate) struct Stamps {
    files: Vec<(PathBuf, Stamp)>,
}

fn stamp(path: &PathBuf) -> Stamp {
    let m = std::fs::symlink_metadata(path).ok()?;
    Some((
        m.len(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
        m.ino(),
    ))
}

impl Stamps {
    pub(crate) fn of(paths: &[PathBuf]) -> Stamps {
        Stamps {
            files: paths.iter().map(|p| (p.clone(), stamp(p))).collect(),
        }
    }

    /// The files that are no longer as they were stamped.
    pub(crate) fn changed(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|(p, s)| stamp(p) != *s)
            .map(|(p, _)| p.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_in_place_a_new_file_and_a_removal_are_changes() {
        let dir = tempfile::tempdir().unwrap();
        let (kept, rewritten, created, removed) = (
            dir.path().join("kept"),
            dir.path().join("rewritten"),
            dir.path().join("created"),
            dir.path().join("removed"),
        );
        for p in [&kept, &rewritten, &removed] {
            std::fs::write(p, "one").unwrap();
        }
        let stamps = Stamps::of(&[
            kept.clone(),
            rewritten.clone(),
            created.clone(),
            removed.clone(),
        ]);
        assert!(stamps.changed().is_empty());
        std::fs::write(&rewritten, "").unwrap();
        std::fs::write(&created, "new").unwrap();
        std::fs::remove_file(&removed).unwrap();
        assert_eq!(stamps.changed(), vec![rewritten, created, removed]);
    }

    #[test]
    fn the_age_of_a_change_is_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let (file, missing) = (dir.path().join("file"), dir.path().join("missing"));
        std::fs::write(&file, "xy").unwrap();
        let now = SystemTime::now();
        let later = look(&file, now + Duration::from_secs(10)).unwrap();
        assert_eq!(later.len, 2);
        let age = later.age.unwrap();
        assert!(age >= Duration::from_secs(10) && age < Duration::from_secs(3600));
        assert_eq!(
            look(&file, now - Duration::from_secs(3600)).unwrap().age,
            None
        );
        assert!(look(&missing, now).is_none());
    }
}
