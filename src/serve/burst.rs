//! Collecting change events into bursts, one rebuild each: a burst of saves, or an
//! editor's write-temp-then-rename, is one rebuild. A file written in place (truncated,
//! then written in pieces, as code generators, `git checkout` and rsync do) is not read
//! until its writer has closed it, and what a rebuild made of it is not published until
//! it has been still for [`SETTLE`] ([`STREAM_SETTLE`], before it is read, when it is
//! rewritten again and again), so a browser never sees it half-written. The rebuild runs
//! while a saved file settles: the wait does not add to save-to-reload time.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

use super::settle;
use super::watch::{Change, Writing};

/// Quiet time that ends a burst of events. Short: it adds directly to save-to-reload time.
pub(crate) const QUIET: Duration = Duration::from_millis(15);
/// A changed file is read only once it has not changed for this long, whatever its
/// events said: a file system busy writing makes a truncation or a write visible before
/// its event, and a writer paused between truncating and writing leaves an empty file
/// that looks saved.
const SETTLE: Duration = Duration::from_millis(30);
/// A file rewritten in place again within [`STREAM`] of its last rewrite belongs to a
/// stream of writes (a generator, a checkout): it must be still for this long.
const STREAM_SETTLE: Duration = Duration::from_millis(250);
const STREAM: Duration = Duration::from_secs(2);
/// A file of such a stream seen empty must stay empty this long: a truncation the file
/// system is slow to finish shows it empty with no event, no new change time and no
/// open file to tell (ext4 writing back the old contents can take seconds).
const EMPTY_STREAM_SETTLE: Duration = Duration::from_secs(1);
/// A burst never delays a rebuild longer than this (a tool writing files non-stop).
const MAX_WAIT: Duration = Duration::from_millis(400);

/// A burst of changes, collected.
pub(crate) struct Batch {
    pub(crate) paths: Vec<PathBuf>,
    /// It ended with [`QUIET`] time without events and no file open for writing;
    /// otherwise [`MAX_WAIT`] cut it short while files were still being written.
    pub(crate) quiet: bool,
}

/// Reads the watcher's changes; remembers, from one burst to the next, which files are
/// open for writing and which changes arrived while a rebuild ran.
pub(crate) struct Bursts {
    rx: Receiver<Change>,
    /// Files written in place or created whose writer has not closed them yet.
    open: BTreeSet<PathBuf>,
    /// Paths that changed since the last batch was taken: they start the next one.
    pending: BTreeSet<PathBuf>,
    /// When each file's last write in place began (its first event while not open).
    rewritten: HashMap<PathBuf, Instant>,
    /// Files whose last write began within [`STREAM`] of the one before: decided once,
    /// at a write's first event, so that one save's own events (the truncation, then each
    /// write) never make it a stream, and kept for the rebuild's own settle check.
    streaming: BTreeSet<PathBuf>,
    /// Since when each file of a batch has been seen empty.
    empty_since: HashMap<PathBuf, Instant>,
}

impl Bursts {
    pub(crate) fn new(rx: Receiver<Change>) -> Bursts {
        Bursts {
            rx,
            open: BTreeSet::new(),
            pending: BTreeSet::new(),
            rewritten: HashMap::new(),
            streaming: BTreeSet::new(),
            empty_since: HashMap::new(),
        }
    }

    fn add(&mut self, change: Change) {
        match change.writing {
            Writing::Opened if !self.open.contains(&change.path) => {
                let now = Instant::now();
                let again = self.rewritten.insert(change.path.clone(), now);
                if again.is_some_and(|t| now.duration_since(t) < STREAM) {
                    self.streaming.insert(change.path.clone());
                } else {
                    self.streaming.remove(&change.path);
                }
                self.open.insert(change.path.clone());
            }
            Writing::Opened => {}
            Writing::Closed => {
                self.open.remove(&change.path);
            }
            Writing::Other => {}
        }
        self.pending.insert(change.path);
    }

    /// Blocks until something changed, then collects the burst. `None` once the
    /// watcher is gone.
    pub(crate) fn next_batch(&mut self) -> Option<Batch> {
        if self.pending.is_empty() {
            let first = self.rx.recv().ok()?;
            self.add(first);
        }
        let started = Instant::now();
        let mut quiet = false;
        let mut wait = QUIET;
        while started.elapsed() < MAX_WAIT {
            match self.rx.recv_timeout(wait) {
                Ok(change) => {
                    self.add(change);
                    wait = QUIET;
                }
                Err(RecvTimeoutError::Timeout) if !self.open.is_empty() => wait = QUIET,
                // A file left to settle no longer than a saved one must may be read now:
                // what the rebuild makes of it waits in `settle` before it is published,
                // so the rebuild runs while the file settles instead of after.
                Err(RecvTimeoutError::Timeout) => match self.unsettled(&self.pending_paths()) {
                    Some(left) if left > SETTLE => wait = left,
                    _ => {
                        quiet = true;
                        break;
                    }
                },
                Err(RecvTimeoutError::Disconnected) => {
                    quiet = true;
                    break;
                }
            }
        }
        Some(Batch {
            paths: std::mem::take(&mut self.pending).into_iter().collect(),
            quiet,
        })
    }

    /// How long until every file of `paths` has been still for its settle time, if one
    /// has not yet. An empty file must have been seen empty for [`STREAM_SETTLE`]: a
    /// truncation can show the file empty while the file system still works on it, its
    /// change time and event yet to come.
    fn unsettled(&mut self, paths: &[PathBuf]) -> Option<Duration> {
        let (now, clock) = (Instant::now(), SystemTime::now());
        let mut longest = None;
        for p in paths {
            let Some(look) = settle::look(p, clock) else {
                self.empty_since.remove(p);
                continue;
            };
            let streaming = self.streaming.contains(p)
                && self
                    .rewritten
                    .get(p)
                    .is_some_and(|t| now.duration_since(*t) < STREAM);
            let needed = if streaming { STREAM_SETTLE } else { SETTLE };
            let mut left = look.age.and_then(|age| needed.checked_sub(age));
            if look.len == 0 {
                let since = *self.empty_since.entry(p.clone()).or_insert(now);
                let needed = if streaming {
                    EMPTY_STREAM_SETTLE
                } else {
                    STREAM_SETTLE
                };
                left = left.max(needed.checked_sub(now.duration_since(since)));
            } else {
                self.empty_since.remove(p);
            }
            // Written in place lately: a writer may be at it again with nothing to show
            // yet (its truncation still under way). Its close will be an event.
            if (streaming || look.len == 0) && settle::open_for_writing(p) {
                left = left.max(Some(QUIET));
            }
            longest = longest.max(left.filter(|l| !l.is_zero()));
        }
        longest
    }

    /// Waits until every file of `batch` has been still for its settle time, or until a
    /// change arrives (it starts the next batch; [`Bursts::changed_since`] sees it).
    /// A batch may be taken before its files settle, so that the rebuild runs meanwhile;
    /// its result is published only after this.
    pub(crate) fn settle(&mut self, batch: &Batch) {
        let started = Instant::now();
        while let Some(left) = self.unsettled(&batch.paths) {
            if started.elapsed() >= MAX_WAIT {
                return; // `changed_since` finds it unsettled and takes it again
            }
            match self.rx.recv_timeout(left) {
                Ok(change) => return self.add(change),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Whether anything changed since `batch` was taken: an event arrived, or (when the
    /// batch was cut short by a stream of writes) one arrives within [`QUIET`], or a
    /// file of the batch has not been still for its settle time (its event may be late).
    /// What changed starts the next batch.
    pub(crate) fn changed_since(&mut self, batch: &Batch) -> bool {
        while let Ok(change) = self.rx.try_recv() {
            self.add(change);
        }
        if self.pending.is_empty() && !batch.quiet {
            if let Ok(change) = self.rx.recv_timeout(QUIET) {
                self.add(change);
            }
        }
        if self.unsettled(&batch.paths).is_some() {
            self.pending.extend(batch.paths.iter().cloned());
        }
        // Forget old rewrites, so the map stays as small as the files being written.
        let now = Instant::now();
        self.rewritten
            .retain(|_, t| now.duration_since(*t) < STREAM);
        let rewritten = &self.rewritten;
        self.streaming.retain(|p| rewritten.contains_key(p));
        !self.pending.is_empty()
    }

    fn pending_paths(&self) -> Vec<PathBuf> {
        self.pending.iter().cloned().collect()
    }

    /// Adds paths seen to change some other way (their event may still be on its way).
    pub(crate) fn requeue(&mut self, paths: Vec<PathBuf>) {
        self.pending.extend(paths);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(p: &str, writing: Writing) -> Change {
        Change {
            path: PathBuf::from(p),
            writing,
        }
    }

    /// A file written in place stays in the burst until its writer closes it, however
    /// long the writer pauses; a batch cut by MAX_WAIT is not quiet.
    #[test]
    fn a_burst_waits_for_files_open_for_writing() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut bursts = Bursts::new(rx);
        let writer = std::thread::spawn(move || {
            tx.send(change("a.md", Writing::Opened)).unwrap();
            std::thread::sleep(QUIET * 4);
            tx.send(change("b.md", Writing::Other)).unwrap();
            std::thread::sleep(QUIET * 4);
            tx.send(change("a.md", Writing::Closed)).unwrap();
            // Held open past MAX_WAIT: the batch ends, not quiet.
            tx.send(change("c.md", Writing::Opened)).unwrap();
            std::thread::sleep(MAX_WAIT * 3);
            tx.send(change("c.md", Writing::Closed)).unwrap();
            tx
        });
        let first = bursts.next_batch().unwrap();
        assert_eq!(first.paths, ["a.md", "b.md", "c.md"].map(PathBuf::from));
        assert!(!first.quiet);
        // c.md is still open in the next burst, until it is closed.
        let tx = writer.join().unwrap();
        let second = bursts.next_batch().unwrap();
        assert_eq!(second.paths, [PathBuf::from("c.md")]);
        assert!(second.quiet);
        drop(tx);
    }

    #[test]
    fn changes_during_a_rebuild_start_the_next_batch() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut bursts = Bursts::new(rx);
        let quiet = Batch {
            paths: Vec::new(),
            quiet: true,
        };
        let cut_short = Batch {
            paths: Vec::new(),
            quiet: false,
        };
        assert!(!bursts.changed_since(&quiet));
        tx.send(change("a.md", Writing::Other)).unwrap();
        tx.send(change("a.md", Writing::Other)).unwrap();
        assert!(bursts.changed_since(&quiet));
        // A write that follows at once is waited for.
        let late = std::thread::spawn(move || {
            std::thread::sleep(QUIET / 4);
            tx.send(change("b.md", Writing::Other)).unwrap();
            tx
        });
        bursts.pending.clear();
        assert!(bursts.changed_since(&cut_short));
        let _tx = late.join().unwrap();
        bursts.requeue(vec![PathBuf::from("c.md")]);
        let batch = bursts.next_batch().unwrap();
        assert_eq!(batch.paths, ["b.md", "c.md"].map(PathBuf::from));
    }

    /// One save's own events (the truncation, then each write) are one rewrite, not a
    /// stream: the file needs only SETTLE; a second save soon after is a stream.
    #[test]
    fn a_single_save_is_not_a_stream_a_second_one_soon_after_is() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let (_tx, rx) = std::sync::mpsc::channel();
        let mut bursts = Bursts::new(rx);
        let save = |bursts: &mut Bursts, text: &str| {
            std::fs::write(&file, text).unwrap();
            for _ in 0..3 {
                bursts.add(change(file.to_str().unwrap(), Writing::Opened));
            }
            bursts.add(change(file.to_str().unwrap(), Writing::Closed));
            bursts
                .unsettled(std::slice::from_ref(&file))
                .unwrap_or_default()
        };
        assert!(save(&mut bursts, "x") <= SETTLE);
        assert!(save(&mut bursts, "y") > SETTLE);
    }

    /// A saved file (written, then closed) is taken once events are quiet, before it has
    /// been still for SETTLE; `settle` then waits until it has, or until it changes again.
    #[test]
    fn a_saved_file_is_taken_before_it_settles_and_published_after() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let (tx, rx) = std::sync::mpsc::channel();
        let mut bursts = Bursts::new(rx);
        std::fs::write(&file, "x").unwrap();
        for writing in [Writing::Opened, Writing::Closed] {
            tx.send(change(file.to_str().unwrap(), writing)).unwrap();
        }
        let batch = bursts.next_batch().unwrap();
        assert_eq!(batch.paths, std::slice::from_ref(&file));
        assert!(batch.quiet);
        assert!(
            bursts.unsettled(&batch.paths).is_some(),
            "taken before it settled"
        );
        bursts.settle(&batch);
        assert!(bursts.unsettled(&batch.paths).is_none());
        assert!(!bursts.changed_since(&batch));
        // Saved again while the rebuild runs: settle returns at its event, which starts
        // the next batch.
        std::fs::write(&file, "y").unwrap();
        tx.send(change(file.to_str().unwrap(), Writing::Opened))
            .unwrap();
        bursts.settle(&batch);
        assert!(bursts.changed_since(&batch));
    }

    /// A file of the batch that changed just now may be mid-write even though its
    /// event has not arrived: the rebuild that read it is not trusted.
    #[test]
    fn a_file_changed_just_now_is_not_settled() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "x").unwrap();
        let (_tx, rx) = std::sync::mpsc::channel();
        let mut bursts = Bursts::new(rx);
        let batch = Batch {
            paths: vec![file.clone()],
            quiet: true,
        };
        assert!(bursts.changed_since(&batch));
        assert_eq!(bursts.pending, BTreeSet::from([file.clone()]));
        bursts.pending.clear();
        std::thread::sleep(SETTLE * 2);
        assert!(!bursts.changed_since(&batch));
        // Emptied: it must have been seen empty for longer, whatever its change time.
        std::fs::write(&file, "").unwrap();
        std::thread::sleep(SETTLE * 2);
        assert!(bursts.changed_since(&batch));
        bursts.pending.clear();
        std::thread::sleep(STREAM_SETTLE);
        assert!(!bursts.changed_since(&batch));
        bursts.pending.clear();
        // Rewritten in place again and again: it must be still for longer.
        bursts.rewritten.insert(file.clone(), Instant::now());
        bursts.streaming.insert(file.clone());
        std::fs::write(&file, "y").unwrap();
        std::thread::sleep(SETTLE * 2);
        assert!(bursts.changed_since(&batch));
    }
}
