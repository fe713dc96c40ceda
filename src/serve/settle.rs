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

/// Whether another process holds `path` open for writing right now (Linux: from
/// `/proc/*/fdinfo`; elsewhere never known, so `false`). A truncation that the file
/// system takes seconds to finish shows the file empty with its change time and event
/// yet to come: only the open file tells that a writer is at it.
#[cfg(target_os = "linux")]
pub(crate) fn open_for_writing(path: &std::path::Path) -> bool {
    let Ok(target) = path.canonicalize() else {
        return false;
    };
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return false;
    };
    let own = std::process::id().to_string();
    procs
        .flatten()
        .filter(|p| {
            p.file_name()
                .to_str()
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()) && n != own)
        })
        .any(|p| holds_for_writing(&p.path(), &target))
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn open_for_writing(_path: &std::path::Path) -> bool {
    false
}

/// Whether process folder `proc_dir` (`/proc/PID`) has `target` open for writing.
#[cfg(target_os = "linux")]
fn holds_for_writing(proc_dir: &std::path::Path, target: &std::path::Path) -> bool {
    // O_ACCMODE's bits: 0 is read-only, 1 write-only, 2 read-write.
    const ACCESS_MODE: u32 = 0o3;
    let Ok(fds) = std::fs::read_dir(proc_dir.join("fd")) else {
        return false; // another user's process, or gone
    };
    fds.flatten().any(|fd| {
        if std::fs::read_link(fd.path()).ok().as_deref() != Some(target) {
            return false;
        }
        let info = std::fs::read_to_string(proc_dir.join("fdinfo").join(fd.file_name()));
        info.ok()
            .and_then(|i| {
                i.lines()
                    .find_map(|l| l.strip_prefix("flags:").map(str::trim).map(String::from))
            })
            .and_then(|f| u32::from_str_radix(&f, 8).ok())
            .is_some_and(|flags| flags & ACCESS_MODE != 0)
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

    /// A child process holding the file open for writing is seen; once it has closed
    /// it, or when it only reads it, it is not.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_process_writing_the_file_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("page.md");
        std::fs::write(&file, "x").unwrap();
        assert!(!open_for_writing(&file));
        for (redirect, writing) in [(">>", true), ("<", false)] {
            let mut child = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("exec 3{redirect}\"$1\"; echo ready; read line",))
                .arg("sh")
                .arg(&file)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let mut ready = String::new();
            std::io::BufRead::read_line(
                &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
                &mut ready,
            )
            .unwrap();
            assert_eq!(open_for_writing(&file), writing, "{redirect}");
            drop(child.stdin.take());
            child.wait().unwrap();
        }
        assert!(!open_for_writing(&file));
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
