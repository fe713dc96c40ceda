//! Input signatures, as make, cargo and git keep them: every file under the site root
//! with its length, modification and change times, inode and device, taken with one
//! `lstat` each and no reading. Two scans with the same entries saw the same files,
//! unless one was changed within the same tick of the file system's clock as the
//! scan that recorded it (git's "racy" entries): [`Sig::racy`] tells those, and they
//! are never trusted.
//!
//! A scan gives up (`None`) at anything it cannot vouch for: a symlink (its target
//! may change without the link changing), an entry it cannot read, a file on another
//! device than the clock marker (its clock and granularity may differ).

use std::path::Path;

use serde::{Deserialize, Serialize};

/// One file as `lstat` saw it. Times are nanoseconds since the Unix epoch.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Sig {
    len: u64,
    mtime: i128,
    ctime: i128,
    inode: u64,
    dev: u64,
    mode: u32,
}

impl Sig {
    #[cfg(unix)]
    pub(crate) fn of(meta: &std::fs::Metadata) -> Sig {
        use std::os::unix::fs::MetadataExt;
        let ns = |secs: i64, nanos: i64| i128::from(secs) * 1_000_000_000 + i128::from(nanos);
        Sig {
            len: meta.len(),
            mtime: ns(meta.mtime(), meta.mtime_nsec()),
            ctime: ns(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            dev: meta.dev(),
            mode: meta.mode(),
        }
    }

    /// The signature of the file at `path` (not followed through a link).
    #[cfg(unix)]
    pub(crate) fn at(path: &Path) -> Option<Sig> {
        std::fs::symlink_metadata(path).ok().map(|m| Sig::of(&m))
    }

    /// Without `lstat`'s times and inodes there is nothing to vouch with.
    #[cfg(not(unix))]
    pub(crate) fn at(_: &Path) -> Option<Sig> {
        None
    }

    /// Modified or changed at or after `marker` (a time from the same file system's
    /// clock, taken before this signature): a later change within the same tick may
    /// leave every field as it is, so the file's signature proves nothing.
    pub(crate) fn racy(&self, marker: i128) -> bool {
        self.mtime >= marker || self.ctime >= marker
    }

    /// The later of its modification and change times.
    pub(crate) fn latest(&self) -> i128 {
        self.mtime.max(self.ctime)
    }

    pub(crate) fn dev(&self) -> u64 {
        self.dev
    }

    pub(crate) fn modified(&self) -> i128 {
        self.mtime
    }
}

/// What a path is: a file with its signature, or a folder (its own times change with
/// every editor's temporary file, so only its presence counts), or anything else.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    File(Sig),
    Folder,
    Other,
}

/// One path under the scanned folder (its bytes, `/`-separated) and what it is.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    #[serde(with = "serde_bytes")]
    pub(crate) path: Vec<u8>,
    pub(crate) kind: Kind,
}

/// Every entry under `root` in a stable order (by path, bytewise), less those
/// `skip` names (given the entry's path), each checked to be on device `dev`. `None`
/// when any entry is a symlink, cannot be read or lies on another device.
#[cfg(unix)]
pub(crate) fn scan(root: &Path, dev: u64, skip: &dyn Fn(&Path) -> bool) -> Option<Vec<Entry>> {
    use std::os::unix::ffi::OsStrExt;
    let walk = walkdir::WalkDir::new(root)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| !skip(e.path()));
    let mut entries = Vec::new();
    for entry in walk {
        let entry = entry.ok()?;
        let meta = entry.metadata().ok()?;
        let kind = if meta.file_type().is_symlink() {
            return None;
        } else if meta.is_file() {
            Kind::File(Sig::of(&meta))
        } else if meta.is_dir() {
            Kind::Folder
        } else {
            Kind::Other
        };
        if std::os::unix::fs::MetadataExt::dev(&meta) != dev {
            return None;
        }
        let rel = entry.path().strip_prefix(root).ok()?;
        entries.push(Entry {
            path: rel.as_os_str().as_bytes().to_vec(),
            kind,
        });
    }
    // Sorted once at the end: walkdir's sorting by name, folder by folder, takes each
    // name from its path again at every comparison (a twentieth of a one-edit build).
    entries.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Some(entries)
}

#[cfg(not(unix))]
pub(crate) fn scan(_: &Path, _: u64, _: &dyn Fn(&Path) -> bool) -> Option<Vec<Entry>> {
    None
}

/// The files two scans saw with the same signature (paths relative to the scanned
/// folder): a file the earlier scan did not find racy is, for the later one, as it was
/// then (any change since would have moved its change time past that scan's marker).
#[derive(Debug, Default)]
pub(crate) struct SameFiles(std::collections::HashSet<Vec<u8>>);

impl SameFiles {
    /// The files of `now` that `before` (a scan none of whose files was racy) holds
    /// with the same signature.
    pub(crate) fn between(before: &[Entry], now: &[Entry]) -> SameFiles {
        let before: std::collections::HashMap<&[u8], &Kind> = (before.iter())
            .map(|e| (e.path.as_slice(), &e.kind))
            .collect();
        let same = now.iter().filter(|e| {
            matches!(e.kind, Kind::File(_)) && before.get(e.path.as_slice()) == Some(&&e.kind)
        });
        SameFiles(same.map(|e| e.path.clone()).collect())
    }

    /// `paths` (relative, `/`-separated) said to be the same, whatever they hold.
    #[cfg(test)]
    pub(crate) fn claiming(paths: &[&str]) -> SameFiles {
        SameFiles(paths.iter().map(|p| p.as_bytes().to_vec()).collect())
    }

    /// Whether the file at `path` (relative to the scanned folder) is one of them.
    #[cfg(unix)]
    pub(crate) fn contains(&self, path: &Path) -> bool {
        use std::os::unix::ffi::OsStrExt;
        let mut parts = Vec::new();
        for part in path.components() {
            match part {
                std::path::Component::Normal(name) => parts.push(name.as_bytes()),
                std::path::Component::CurDir => {}
                _ => return false,
            }
        }
        self.0.contains(&parts.join(&b'/'))
    }

    #[cfg(not(unix))]
    pub(crate) fn contains(&self, _: &Path) -> bool {
        false
    }
}

/// Whether any file of `entries` is racy against `marker` (see [`Sig::racy`]).
pub(crate) fn any_racy(entries: &[Entry], marker: i128) -> bool {
    entries
        .iter()
        .any(|e| matches!(e.kind, Kind::File(sig) if sig.racy(marker)))
}

/// Writes the clock marker at `path` and returns its modification time: the file
/// system's own "now", to which every file scanned after it is compared
/// ([`Sig::racy`]), and the device it lies on.
pub(crate) fn mark(path: &Path) -> Option<(i128, u64)> {
    // Only the cache folder itself is made: a site root that is not there stays so.
    if let Some(dir) = path.parent() {
        match std::fs::create_dir(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return None,
            _ => {}
        }
    }
    // A write always moves the modification time (truncating an empty file may not).
    std::fs::write(path, b"the time of the last build's scan of its inputs\n").ok()?;
    let sig = Sig::at(path)?;
    Some((sig.modified(), sig.dev()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<Entry> {
        let (_, dev) = mark(&dir.join(".marker")).unwrap();
        scan(dir, dev, &|p| p.ends_with(".marker")).expect("scanned")
    }

    /// Each kind of change shows in the scan: an edit of the same length, a new file,
    /// a removed one, a new folder, a `touch`, a rename, a change of mode.
    #[test]
    fn every_change_shows() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/a.md"), "one").unwrap();
        std::fs::write(root.join("b.md"), "two").unwrap();
        let first = files(root);
        assert_eq!(first.len(), 3, "{first:?}");
        assert_eq!(files(root), first, "nothing changed");
        let changes: [(&str, &dyn Fn()); 6] = [
            ("edit", &|| {
                std::fs::write(root.join("b.md"), "owt").unwrap()
            }),
            ("new", &|| std::fs::write(root.join("c.md"), "").unwrap()),
            ("removed", &|| {
                std::fs::remove_file(root.join("c.md")).unwrap()
            }),
            ("folder", &|| std::fs::create_dir(root.join("d")).unwrap()),
            ("touch", &|| {
                let f = std::fs::File::options()
                    .append(true)
                    .open(root.join("b.md"));
                f.unwrap()
                    .set_modified(std::time::SystemTime::now())
                    .unwrap();
            }),
            ("rename", &|| {
                std::fs::write(root.join("sub/x"), "one").unwrap();
                std::fs::rename(root.join("sub/x"), root.join("sub/a.md")).unwrap();
            }),
        ];
        let mut before = first;
        for (what, change) in changes {
            std::thread::sleep(std::time::Duration::from_millis(15));
            change();
            let after = files(root);
            assert_ne!(after, before, "{what}");
            before = after;
        }
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::Permissions::from_mode(0o600);
        std::fs::set_permissions(root.join("b.md"), perms).unwrap();
        assert_ne!(files(root), before, "mode");
    }

    /// The same files give the same entries in the same order, whatever order the
    /// folders list them in (here: made in opposite orders).
    #[test]
    fn the_order_is_the_paths_whatever_the_folders_order() {
        let names = ["b.md", "a-c.md", "a/z.md", "a/b.md", "ä.md", "c/d/e.md"];
        let made = |names: &mut dyn Iterator<Item = &&str>| {
            let dir = tempfile::tempdir().unwrap();
            for name in names {
                let path = dir.path().join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, "x").unwrap();
            }
            let paths: Vec<Vec<u8>> = files(dir.path()).into_iter().map(|e| e.path).collect();
            (dir, paths)
        };
        let (_one, forward) = made(&mut names.iter());
        let (_two, backward) = made(&mut names.iter().rev());
        assert_eq!(forward, backward);
        let mut sorted = forward.clone();
        sorted.sort();
        assert_eq!(forward, sorted);
        assert_eq!(
            forward.len(),
            names.len() + 3,
            "the files and the folders a, c, c/d"
        );
    }

    /// An entry's path is written as its length and its bytes, as a `Vec<u8>` encoded
    /// byte by byte was: records written before read the same.
    #[test]
    fn a_path_is_encoded_as_its_length_and_bytes() {
        let entry = Entry {
            path: b"a/b.md".to_vec(),
            kind: Kind::Folder,
        };
        let as_bytes = bincode::serialize(&entry).unwrap();
        let as_sequence = bincode::serialize(&(entry.path.iter().collect::<Vec<_>>(), &entry.kind));
        assert_eq!(as_bytes, as_sequence.unwrap());
        let back: Entry = bincode::deserialize(&as_bytes).unwrap();
        assert_eq!(back, entry);
    }

    #[test]
    fn a_symlink_or_skipped_entry() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/HEAD"), "x").unwrap();
        let (_, dev) = mark(&root.join("m")).unwrap();
        let skip = |p: &Path| p.ends_with(".git") || p.ends_with("m");
        assert_eq!(scan(root, dev, &skip), Some(Vec::new()), "skipped");
        std::os::unix::fs::symlink("a", root.join("link")).unwrap();
        assert_eq!(scan(root, dev, &skip), None, "a symlink is not vouched for");
        std::fs::remove_file(root.join("link")).unwrap();
        assert_eq!(scan(root, dev + 1, &skip), Some(Vec::new()));
        std::fs::write(root.join("f"), "x").unwrap();
        assert_eq!(scan(root, dev + 1, &skip), None, "another device");
    }

    /// A file written after the marker is racy; one written before it is not.
    #[test]
    fn racy_against_the_marker() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("old"), "x").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(30));
        let (marker, _) = mark(&root.join("m")).unwrap();
        std::fs::write(root.join("new"), "x").unwrap();
        let old = Sig::at(&root.join("old")).unwrap();
        let new = Sig::at(&root.join("new")).unwrap();
        assert!(!old.racy(marker));
        assert!(new.racy(marker));
        let entry = |sig| Entry {
            path: b"p".to_vec(),
            kind: Kind::File(sig),
        };
        assert!(!any_racy(&[entry(old)], marker));
        assert!(any_racy(&[entry(old), entry(new)], marker));
    }
}
