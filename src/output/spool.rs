//! A build's pages put on disk as soon as they are rendered, so that the whole site's
//! HTML is never held in memory at once (with every page's Markdown, kept until the build
//! cache is written, it was most of a clean build's peak memory).
//!
//! The spool is a hidden folder beside the output (`.public.spool-PID`), never the output
//! itself: a failed build leaves the previous site as it was. Each page is put at its own
//! path in the output (`a/b/index.html`), so that when the whole site is written anew
//! the spool is the staging folder swapped into place (see `write`): no page is linked
//! or moved a second time. A spooled file is a [`Body::Kept`] of the spool's file; an
//! update in place links it into the output. The spool is removed when the build ends,
//! whatever its end (after a swap, its name holds the previous site or nothing).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::record::{self, Kept};
use super::{Body, OutputFile};

const INFIX: &str = ".spool-";

/// The spool folder of one build; removed when dropped.
#[derive(Debug)]
pub struct Spool {
    dir: PathBuf,
    /// How many files were put into it.
    count: AtomicUsize,
}

impl Spool {
    /// An empty spool beside the output folder `out_dir` (its real path); none when it
    /// cannot be made (the pages are then held in memory, as without one).
    pub fn create(out_dir: &Path) -> Option<Spool> {
        let name = out_dir.file_name()?.to_str()?;
        let dir = out_dir.with_file_name(format!(".{name}{INFIX}{}", std::process::id()));
        // A folder of this name is a dead build's that had the same process id.
        let _ = std::fs::remove_dir_all(&dir);
        // Not `create_dir_all`: a build that fails leaves no new parent folder behind.
        std::fs::create_dir(&dir).ok()?;
        Some(Spool {
            dir,
            count: AtomicUsize::new(0),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Puts the bytes of one page's files (output path, file) into the spool: each
    /// becomes a [`Body::Kept`] of its spooled file. A file that cannot be written, or
    /// whose path another file took already, keeps its bytes (a path taken twice is
    /// reported when the Output is assembled).
    pub(crate) fn put(&self, files: &mut [(String, OutputFile)]) {
        for (path, file) in files.iter_mut() {
            let Body::Bytes(bytes) = &file.body else {
                continue;
            };
            let at = self.dir.join(path);
            let digest = record::digest(bytes);
            let written = write_new(&at, bytes).and_then(|()| record::written(&at, digest));
            if let Ok(written) = written {
                self.count.fetch_add(1, Ordering::Relaxed);
                file.body = Body::Kept(Kept { path: at, written });
            }
        }
    }

    /// Whether the spool holds exactly the `kept` files of an Output that are in it
    /// (then it is the whole site's pages, and nothing else).
    pub(crate) fn holds_only(&self, kept: usize) -> bool {
        self.count.load(Ordering::Relaxed) == kept
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes a new file at `at` (never over one that is there), with its parent folders.
fn write_new(at: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = at.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(at)?;
    file.write_all(bytes)
}

/// Whether `file_name`, in the output's parent folder, is the spool of a build of the
/// output `name` that is no longer running (a killed build leaves its spool).
pub(super) fn is_stale(file_name: &str, name: &str) -> bool {
    let Some(pid) = file_name.strip_prefix(&format!(".{name}{INFIX}")) else {
        return false;
    };
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    // Another build into the same folder may still be rendering into its spool.
    pid != std::process::id() && !is_running(pid)
}

/// Whether process `pid` runs (a signal could be sent to it, or it is another user's).
/// Where that cannot be told it is taken to run: its spool is left, not removed.
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    let pid = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw);
    let Some(pid) = pid else {
        return true;
    };
    rustix::process::test_kill_process(pid) != Err(rustix::io::Errno::SRCH)
}

#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spooled_pages_are_kept_files_and_the_spool_goes_with_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spool = Spool::create(&out).unwrap();
        let spool_dir = spool.dir().to_path_buf();
        assert_eq!(spool_dir.parent(), Some(dir.path()), "beside the output");
        let mut files = vec![(
            "a/index.html".to_string(),
            OutputFile::generated(b"<p>a</p>".to_vec(), "content/a.md"),
        )];
        spool.put(&mut files);
        let Body::Kept(kept) = &files[0].1.body else {
            panic!("not spooled: {:?}", files[0].1.body);
        };
        assert_eq!(
            kept.path,
            spool_dir.join("a/index.html"),
            "at its output path"
        );
        assert_eq!(std::fs::read(&kept.path).unwrap(), b"<p>a</p>");
        assert_eq!(kept.written.digest, record::digest(b"<p>a</p>"));
        assert_eq!(files[0].1.body.read().unwrap().as_ref(), b"<p>a</p>");
        assert!(spool.holds_only(1));
        // A second file at the same path (a clash, reported when the Output is
        // assembled) keeps its bytes and leaves the first one's file as it was.
        let mut again = files.clone();
        again[0].1.body = Body::bytes(b"<p>b</p>".to_vec());
        spool.put(&mut again);
        assert_eq!(again[0].1.body, Body::bytes(b"<p>b</p>".to_vec()));
        assert_eq!(files[0].1.body.read().unwrap().as_ref(), b"<p>a</p>");
        assert!(spool.holds_only(1));
        drop(spool);
        assert!(!spool_dir.exists(), "removed when the build ends");
        assert!(!out.exists(), "the output is not touched");
    }

    #[test]
    fn only_a_dead_builds_spool_is_stale() {
        let own = format!(".public{INFIX}{}", std::process::id());
        assert!(!is_stale(&own, "public"));
        assert!(!is_stale(".public.tmp-1", "public"));
        assert!(!is_stale(".site.spool-4194399", "public"));
        #[cfg(unix)]
        {
            assert!(is_stale(".public.spool-4194399", "public"));
            assert!(!is_stale(".public.spool-1", "public"), "pid 1 runs");
            let mut child = std::process::Command::new("sleep")
                .arg("30")
                .spawn()
                .unwrap();
            let spool = format!(".public{INFIX}{}", child.id());
            assert!(!is_stale(&spool, "public"), "a running build's");
            child.kill().unwrap();
            child.wait().unwrap();
            assert!(is_stale(&spool, "public"), "a dead build's");
        }
    }
}
