//! Writing the Output to disk atomically: into a hidden sibling folder first, swapped
//! into place only when everything is written, so a failed or killed build never leaves
//! a half-written site where the old one was. When the previous build's record says the
//! folder holds its site, only the changed files are written, in place, through a
//! journal the next run rolls forward after a kill (see `journal`).
//!
//! The output folder is dcrsite's alone, and dcrsite never deletes what it did not write:
//! - [`validate_output_dir`] refuses folders whose replacement would destroy sources,
//!   a repository or more: the site root, source folders, hidden folders, `/`, `$HOME`;
//! - every build lists the files it wrote in [`MANIFEST`] inside the output; an existing
//!   folder holding anything else is replaced only with `force`, and one holding a `.git`
//!   never;
//! - an output that is a symlink is written through: the new site is staged beside the
//!   symlink's real target and swapped in there, so the symlink stays a symlink;
//! - the write holds an advisory lock (`flock`) on the folder the site is swapped in: a
//!   second build writing there at the same time fails with a clear message, and staging
//!   folders are removed as stale only under the lock, when no build can be using them.

use std::collections::{BTreeMap, HashSet};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::journal;
use super::plan::{self, Planned};
use super::record::{self, OutputRecord, Written};
use super::spool::Spool;
use super::{Body, Output, OutputFile};
use crate::diagnostics::Diagnostic;

/// The file, inside the output, listing the files the build wrote (one `/`-separated
/// path a line, after `#` comment lines).
pub(crate) const MANIFEST: &str = ".dcrsite-manifest";

const MANIFEST_HEADER: &str = "# dcrsite wrote this folder: the files below, one a line. The next build\n# replaces the folder only if it holds nothing else (or with --force).\n";

/// Why the site could not be written.
#[derive(Debug)]
pub(crate) struct WriteError {
    pub diagnostic: Diagnostic,
    /// The output folder is exactly as it was before the build.
    pub output_untouched: bool,
}

impl WriteError {
    fn untouched(diagnostic: Diagnostic) -> WriteError {
        WriteError {
            diagnostic,
            output_untouched: true,
        }
    }
}

/// Refuses output folders whose replacement would destroy sources or the system: one
/// that is, contains or lies inside `.git`, a hidden folder of the project, or a source
/// folder (`source_dirs`, relative to `root` or absolute: see `SiteLayout::source_dirs`); one
/// that is or contains the site root or the home folder; `/`; a file. A symlinked output
/// is judged by where it points. `--force` lifts none of these.
pub(crate) fn validate_output_dir(
    root: &Path,
    out: &Path,
    source_dirs: &[String],
) -> Result<(), Diagnostic> {
    let real = real_path(out);
    let refuse = |why: String| {
        Diagnostic::error(
            out.display().to_string(),
            format!("refusing to write the site here{}: {why}", through(out, &real)),
        )
        .with_help("pass --output with a folder of its own, such as `public` (--force does not change this)")
    };
    let root = absolute(root);
    if real.parent().is_none() {
        return Err(refuse("it is the file system root".into()));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = absolute(Path::new(&home));
        if home == real {
            return Err(refuse("it is your home folder".into()));
        }
        if home.starts_with(&real) {
            return Err(refuse(format!(
                "it contains your home folder `{}`",
                home.display()
            )));
        }
    }
    if root.starts_with(&real) {
        return Err(refuse("it is the site root or contains it".into()));
    }
    if real
        .ancestors()
        .any(|a| a.file_name() == Some(".git".as_ref()))
    {
        return Err(refuse(
            "it is a repository's `.git` folder or lies inside one".into(),
        ));
    }
    if let Ok(rel) = real.strip_prefix(&root) {
        let mut hidden = PathBuf::new();
        for c in rel.components() {
            hidden.push(c);
            if c.as_os_str().to_string_lossy().starts_with('.') {
                let what = if hidden == rel { "is" } else { "lies inside" };
                return Err(refuse(format!(
                    "it {what} the hidden folder `{}/` of the project",
                    hidden.display()
                )));
            }
        }
    }
    for dir in source_dirs {
        let source = absolute(&root.join(dir));
        // The root itself or a folder around it (a snippet `base_path` of `.`): the
        // site root's rule applies, and `public/` inside it is fine.
        if root.starts_with(&source) {
            continue;
        }
        let shown = format!("`{}/`", dir.trim_end_matches('/'));
        if real == source {
            return Err(refuse(format!("it is the source folder {shown}")));
        }
        if real.starts_with(&source) {
            return Err(refuse(format!("it is inside the source folder {shown}")));
        }
        if source.starts_with(&real) {
            return Err(refuse(format!("it contains the source folder {shown}")));
        }
    }
    if real.exists() && !real.is_dir() {
        return Err(refuse("a file with that name exists".into()));
    }
    Ok(())
}

/// ` (through the symlink, into `/srv/www`)` when `out` is a symlink to `real`.
fn through(out: &Path, real: &Path) -> String {
    if out.is_symlink() {
        format!(" (through the symlink, into `{}`)", real.display())
    } else {
        String::new()
    }
}

/// Where the site really goes: `path` made absolute, with symlinks followed, including
/// one at the end whose target does not exist yet (`public -> ../deploy`).
pub(crate) fn real_path(path: &Path) -> PathBuf {
    let mut real = absolute(path);
    // A live symlink is resolved by `absolute`; a dangling one is followed here.
    for _ in 0..40 {
        match std::fs::read_link(&real) {
            Ok(target) => {
                let from = real.parent().unwrap_or(Path::new("/")).to_path_buf();
                real = absolute(&from.join(target));
            }
            Err(_) => break,
        }
    }
    real
}

/// The path made absolute and free of `.`/`..` (symlinks resolved where it exists).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(c) = path.canonicalize() {
        return c;
    }
    let joined = std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    // Resolve symlinks of the existing part (e.g. /tmp → /private/tmp).
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return out,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Writes `output` to `out_dir` (through it, when it is a symlink), replacing what was
/// there only once all is written, and only if dcrsite wrote all of it or `force` is set.
///
/// `record` is what the previous build wrote there (see `record`): a file it lists as
/// unchanged with the same bytes is linked without being read. Returns this build's record.
#[cfg(test)]
pub(crate) fn write_atomically(
    output: &Output,
    out_dir: &Path,
    force: bool,
    record: Option<&OutputRecord>,
) -> Result<OutputRecord, WriteError> {
    prepare(output, out_dir, force, record, None, false)?.commit()
}

/// The first half of writing the site: everything that leaves the output folder as it
/// was (the lock taken, the new site written into a staging folder beside it, or the
/// files to change found). [`Prepared::commit`] puts the site in place; dropped
/// instead, it leaves the output as it was and removes the staging folder.
///
/// When the new site is written whole and `spool` holds its pages and nothing else
/// (see `spool`), the spool is the staging folder: its pages are not written again.
///
/// `vouched`: the build's start found that the output folder holds exactly the files
/// its manifest lists (`build/unchanged.rs`'s `Survey`), so it is not listed again to
/// find others, when the folder is to be updated in place or left as it is (neither
/// removes anything the manifest does not list). A folder to be replaced whole is
/// always listed.
pub(crate) fn prepare<'a>(
    output: &'a Output,
    out_dir: &Path,
    force: bool,
    record: Option<&OutputRecord>,
    spool: Option<&Spool>,
    vouched: bool,
) -> Result<Prepared<'a>, WriteError> {
    refuse_manifest_as_output(output)?;
    let dest = Destination::of(out_dir)?;
    std::fs::create_dir_all(&dest.parent)
        .map_err(|e| dest.io_err("cannot create the output's parent folder", e))?;
    let lock = dest.lock()?;
    let journal = journal::folder(&dest.parent, &dest.name);
    let journal_left = std::fs::symlink_metadata(journal).is_ok();
    dest.finish_interrupted_update()?;
    let in_place = !force && record.is_some() && dest.target.is_dir();
    let refusal = if vouched && in_place && !journal_left {
        None
    } else {
        refusal_to_replace(&dest.target, force)
            .map_err(|e| dest.io_err("cannot read the existing output folder", e))?
    };
    if let Some((why, help)) = refusal {
        return Err(WriteError::untouched(
            Diagnostic::error(
                &dest.shown,
                format!(
                    "refusing to replace this folder{}: {why}",
                    through(out_dir, &dest.target)
                ),
            )
            .with_help(help),
        ));
    }
    if lock.is_held() {
        remove_stale_temporaries(&dest.parent, &dest.name);
    }
    let planned = plan::plan(output, &dest.target, record)
        .map_err(|e| dest.io_err("cannot read the site's files", e))?;
    let manifest = manifest_text(output);
    let (step, touched) = match record {
        // Nothing changed: the folder is the new site already.
        Some(record)
            if !force && plan::already_written(&planned, Some(record), &dest.target, &manifest) =>
        {
            (Step::Done(record.files.clone()), Some(Vec::new()))
        }
        Some(record) if in_place => {
            let touched = touched_in_place(output, &planned, record);
            (Step::InPlace { planned, manifest }, Some(touched))
        }
        _ => {
            let tree = Tree {
                output,
                planned: &planned,
                manifest: &manifest,
                recorded: record.is_some(),
            };
            let (staging, files) = dest.stage(&tree, spool)?;
            (Step::Swap { staging, files }, None)
        }
    };
    Ok(Prepared {
        dest,
        _lock: lock,
        output,
        step,
        touched,
    })
}

/// The files an update in place puts or removes in the output folder: those not
/// already there as `planned`, those of the previous build's `record` the site no
/// longer has, and the manifest.
fn touched_in_place(output: &Output, planned: &[Planned], record: &OutputRecord) -> Vec<String> {
    let put = (output.files.keys().zip(planned))
        .filter(|(_, planned)| planned.same.is_none())
        .map(|(path, _)| path.clone());
    let gone = (record.files.keys()).filter(|path| !output.files.contains_key(*path));
    (put.chain(gone.cloned()))
        .chain([MANIFEST.to_string()])
        .collect()
}

/// The site ready to be put in place (see [`prepare`]); the output's lock is held
/// until it is dropped.
pub(crate) struct Prepared<'a> {
    dest: Destination,
    _lock: OutputLock,
    output: &'a Output,
    step: Step,
    /// See [`Prepared::touched`].
    touched: Option<Vec<String>>,
}

enum Step {
    /// The output folder already is the new site.
    Done(BTreeMap<String, Written>),
    /// The changed files are written into the output in place (see `journal`).
    InPlace {
        planned: Vec<Planned>,
        manifest: String,
    },
    /// The new site is whole in `staging`, to be swapped in.
    Swap {
        staging: PathBuf,
        files: BTreeMap<String, Written>,
    },
}

impl Prepared<'_> {
    /// The files (relative to the output folder) the commit puts or removes when it
    /// updates the folder in place (none when it is the site already); `None` when it
    /// swaps a new folder in.
    pub(crate) fn touched(&self) -> Option<&[String]> {
        self.touched.as_deref()
    }

    /// Puts the new site in place; returns this build's record.
    pub(crate) fn commit(mut self) -> Result<OutputRecord, WriteError> {
        // Left `Done`, the dropped value has no staging folder to remove.
        let files = match std::mem::replace(&mut self.step, Step::Done(BTreeMap::new())) {
            Step::Done(files) => Ok(files),
            Step::InPlace { planned, manifest } => self.dest.update_in_place(&journal::Changes {
                output: self.output,
                planned: &planned,
                listed: &manifest_files(&self.dest.target),
                manifest: &manifest,
            }),
            Step::Swap { staging, files } => self.dest.swap(&staging).map(|()| files),
        };
        files.map(|files| OutputRecord {
            folder: self.dest.target.clone(),
            files,
            verified: false,
        })
    }
}

impl Drop for Prepared<'_> {
    fn drop(&mut self) {
        if let Step::Swap { staging, .. } = &self.step {
            let _ = std::fs::remove_dir_all(staging);
        }
    }
}

/// Finishes the update in place of `out_dir` that a killed build left (see `journal`),
/// before anything else reads or replaces the folder. Skipped while another build holds
/// the folder's lock: that build finishes it.
pub(crate) fn finish_interrupted_update(out_dir: &Path) -> Result<(), WriteError> {
    let dest = Destination::of(out_dir)?;
    if std::fs::symlink_metadata(journal::folder(&dest.parent, &dest.name)).is_err() {
        return Ok(());
    }
    match OutputLock::acquire(&dest.parent) {
        Ok(Some(_lock)) => dest.finish_interrupted_update(),
        _ => Ok(()),
    }
}

/// Whether an update in place of the output folder `out_dir` (a real path) was left
/// unfinished: its journal is still there.
pub(crate) fn update_unfinished(out_dir: &Path) -> bool {
    Destination::of(out_dir).map_or(true, |dest| {
        std::fs::symlink_metadata(journal::folder(&dest.parent, &dest.name)).is_ok()
    })
}

/// What [`prepare`] does before it writes, for a build that found the output
/// folder already the site (`build/unchanged.rs`): it fails while another build writes
/// there, and removes the staging folders builds that were killed left.
pub(crate) fn claim_unchanged(out_dir: &Path) -> Result<(), WriteError> {
    let dest = Destination::of(out_dir)?;
    let lock = dest.lock()?;
    if lock.is_held() {
        remove_stale_temporaries(&dest.parent, &dest.name);
    }
    Ok(())
}

/// The list of files written into the output's manifest.
pub(super) fn manifest_text(output: &Output) -> String {
    let mut manifest = String::from(MANIFEST_HEADER);
    for path in output.files.keys() {
        manifest.push_str(path);
        manifest.push('\n');
    }
    manifest
}

/// What to write: the files, what `plan` found of each, the manifest, and whether the
/// previous build's record was there (without it, a file the previous output may
/// hold unchanged is compared by reading it).
struct Tree<'a> {
    output: &'a Output,
    planned: &'a [Planned],
    manifest: &'a str,
    recorded: bool,
}

/// A page or asset may not take the name of dcrsite's own list of written files.
fn refuse_manifest_as_output(output: &Output) -> Result<(), WriteError> {
    match output.files.get(MANIFEST) {
        Some(file) => Err(WriteError::untouched(
            Diagnostic::error(
                &file.source,
                format!("the output file `{MANIFEST}` is dcrsite's own list of the files it wrote"),
            )
            .with_help("rename this file"),
        )),
        None => Ok(()),
    }
}

/// Where the site goes: the real output folder (a symlinked output is written through)
/// and the folder beside it where the new site is staged, then swapped in.
struct Destination {
    /// The output as the user gave it, for messages.
    shown: String,
    target: PathBuf,
    name: String,
    parent: PathBuf,
}

impl Destination {
    fn of(out_dir: &Path) -> Result<Destination, WriteError> {
        let shown = out_dir.display().to_string();
        let target = real_path(out_dir);
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .map(String::from);
        let parent = target.parent().map(Path::to_path_buf);
        let (Some(name), Some(parent)) = (name, parent) else {
            return Err(WriteError::untouched(Diagnostic::error(
                &shown,
                "output path has no folder name",
            )));
        };
        Ok(Destination {
            shown,
            target,
            name,
            parent,
        })
    }

    fn io_err(&self, what: &str, e: std::io::Error) -> WriteError {
        WriteError::untouched(
            Diagnostic::error(&self.shown, format!("{what}: {e}")).with_help(format!(
                "dcrsite writes the new site beside the output folder, then swaps it in: \
                 check that `{}` exists and is writable",
                self.parent.display()
            )),
        )
    }

    /// Takes the lock on the parent folder, or says another build holds it.
    fn lock(&self) -> Result<OutputLock, WriteError> {
        match OutputLock::acquire(&self.parent) {
            Ok(Some(lock)) => Ok(lock),
            Ok(None) => Err(WriteError::untouched(
                Diagnostic::error(
                    &self.shown,
                    format!(
                        "another dcrsite build is writing into `{}` right now",
                        self.parent.display()
                    ),
                )
                .with_help("wait for it to finish, then build again"),
            )),
            Err(e) => Err(self.io_err("cannot open the output's parent folder", e)),
        }
    }

    /// Rolls forward the journal of an update in place that was killed (see `journal`).
    fn finish_interrupted_update(&self) -> Result<(), WriteError> {
        let journal = journal::folder(&self.parent, &self.name);
        journal::roll_forward(&journal, &self.target).map_err(|e| WriteError {
            diagnostic: self.unfinished(&journal, e),
            output_untouched: false,
        })
    }

    fn unfinished(&self, journal: &Path, e: std::io::Error) -> Diagnostic {
        Diagnostic::error(
            &self.shown,
            format!(
                "cannot finish updating the output folder in place: {e}; what is left to do is in `{}`",
                journal.display()
            ),
        )
        .with_help("fix the cause (permissions, disk space), then build again: the next build finishes the update first")
    }

    /// Updates the target in place, through a journal (see `journal`).
    fn update_in_place(
        &self,
        changes: &journal::Changes<'_>,
    ) -> Result<BTreeMap<String, Written>, WriteError> {
        let journal = journal::folder(&self.parent, &self.name);
        journal::update(changes, &journal, &self.target).map_err(|(e, committed)| {
            if committed {
                WriteError {
                    diagnostic: self.unfinished(&journal, e),
                    output_untouched: false,
                }
            } else {
                self.io_err("cannot write the site", e)
            }
        })
    }

    /// Writes the site into a staging folder beside the target: the spool, when it
    /// holds the site's pages and nothing else, or a new folder. Returns the folder and
    /// what was written.
    fn stage(
        &self,
        tree: &Tree<'_>,
        spool: Option<&Spool>,
    ) -> Result<(PathBuf, BTreeMap<String, Written>), WriteError> {
        let spool = spool.filter(|s| s.holds_only(kept_in(tree.output, s.dir())));
        let staging = match spool {
            Some(spool) => spool.dir().to_path_buf(),
            None => {
                let staging =
                    (self.parent).join(format!(".{}.tmp-{}", self.name, std::process::id()));
                // A folder of this name is a dead build's that had the same process id.
                let _ = std::fs::remove_dir_all(&staging);
                staging
            }
        };
        write_tree(tree, &staging, &self.target)
            .map(|files| (staging.clone(), files))
            .map_err(|e| {
                // The spool goes with the build: its pages may still be read till then.
                if spool.is_none() {
                    let _ = std::fs::remove_dir_all(&staging);
                }
                self.io_err("cannot write the site", e)
            })
    }

    /// Swaps the site written into `staging` in place of the target.
    fn swap(&self, staging: &Path) -> Result<(), WriteError> {
        swap_into_place(staging, &self.target).map_err(|e| {
            let _ = std::fs::remove_dir_all(staging);
            match e.moved_to {
                None => self.io_err("cannot move the new site into place", e.error),
                Some(old) => self.moved_aside(e.error, &old),
            }
        })
    }

    /// The swap failed after the previous site was moved out of the way.
    fn moved_aside(&self, error: std::io::Error, old: &Path) -> WriteError {
        WriteError {
            diagnostic: Diagnostic::error(
                &self.shown,
                format!(
                    "cannot move the new site into place: {error}; the previous site is now in `{}`",
                    old.display()
                ),
            )
            .with_help(format!(
                "move `{}` back to `{}`, or build again (the next build removes it)",
                old.display(),
                self.target.display()
            )),
            output_untouched: false,
        }
    }
}

/// An advisory lock on the folder the site is swapped in, held while writing.
enum OutputLock {
    #[cfg(unix)]
    Held(#[allow(dead_code)] std::fs::File),
    /// The file system (or platform) has no `flock`: the build goes on unlocked, and
    /// leaves staging folders it finds, since it cannot tell whether they are live.
    Unavailable,
}

impl OutputLock {
    fn is_held(&self) -> bool {
        match self {
            #[cfg(unix)]
            OutputLock::Held(_) => true,
            OutputLock::Unavailable => false,
        }
    }

    /// `None` when another process holds it.
    fn acquire(dir: &Path) -> std::io::Result<Option<OutputLock>> {
        #[cfg(unix)]
        {
            use rustix::fs::{flock, FlockOperation};
            let file = std::fs::File::open(dir)?;
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => Ok(Some(OutputLock::Held(file))),
                Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(None),
                Err(_) => Ok(Some(OutputLock::Unavailable)),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            Ok(Some(OutputLock::Unavailable))
        }
    }
}

/// Why the existing folder at `dir` may not be replaced, with help: it holds a `.git`
/// (never), or files dcrsite did not write, by its manifest (unless `force`). `None`
/// when there is no folder, it is empty, or dcrsite wrote all of it.
fn refusal_to_replace(dir: &Path, force: bool) -> std::io::Result<Option<(String, String)>> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
        Ok(m) if !m.is_dir() => {
            return Ok(Some((
                "a file with that name exists".into(),
                "pass --output with a folder of its own, such as `public`".into(),
            )))
        }
        Ok(_) => {}
    }
    let (files, folders) = read_manifest(dir);
    let mut foreign = Vec::new();
    let mut foreign_count = 0usize;
    let walk = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by(crate::content::walk::by_name);
    for entry in walk {
        let entry = entry.map_err(std::io::Error::from)?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if entry.file_name() == ".git" {
            return Ok(Some((
                format!(
                    "it holds a git repository (`{rel}`), which replacing the folder would delete"
                ),
                "dcrsite replaces the whole output folder on every build, so it cannot be a \
                 repository's working copy (--force does not change this); build into a folder \
                 of its own and copy the site from there"
                    .into(),
            )));
        }
        let ours = if entry.file_type().is_dir() {
            folders.contains(&rel)
        } else {
            // dcrsite writes regular files only (no symlinks).
            entry.file_type().is_file() && (rel == MANIFEST || files.contains(&rel))
        };
        if !ours {
            foreign_count += 1;
            if foreign.len() < 3 {
                foreign.push(format!("`{rel}`"));
            }
        }
    }
    if foreign_count == 0 || force {
        return Ok(None);
    }
    let more = match foreign_count - foreign.len() {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    Ok(Some((
        format!(
            "it is not empty and dcrsite did not write {}{more}",
            foreign.join(", ")
        ),
        "dcrsite replaces the whole output folder on every build. Move those files away \
         (files the site needs belong in its source folders), choose a new or empty \
         --output, or pass --force to replace the folder and everything in it"
            .into(),
    )))
}

/// The files a previous build listed in `dir`'s manifest, and the folders holding them.
/// Both are empty when there is no manifest.
pub(super) fn read_manifest(dir: &Path) -> (HashSet<String>, HashSet<String>) {
    let files = manifest_files(dir);
    let folders = files
        .iter()
        .flat_map(|f| f.match_indices('/').map(|(i, _)| f[..i].to_string()))
        .collect();
    (files, folders)
}

/// The files a previous build listed in `dir`'s manifest (none when there is none),
/// without the folders [`read_manifest`] adds: an update in place needs only these, and
/// at 10,000 pages the folders were 30,000 strings made for nothing.
pub(super) fn manifest_files(dir: &Path) -> HashSet<String> {
    let path = dir.join(MANIFEST);
    let text = match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => std::fs::read_to_string(&path).unwrap_or_default(),
        _ => String::new(),
    };
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Removes staging folders left by builds that were killed (`.public.tmp-123`,
/// `.public.old-123`, `.public.spool-123`). Called only under the lock: no live build is using them.
fn remove_stale_temporaries(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        let stale = prefixes.iter().any(|p| {
            n.strip_prefix(p.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        if stale || super::spool::is_stale(n, name) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes every file of the tree into `dir`, then the manifest listing them; returns what
/// was written. A page already at its place in `dir` (the spool) is left as it is. A file the site at `previous` (the output about to be replaced) already
/// holds with the same bytes is linked from there: known from the plan without reading
/// it, or, with no record, by comparing its bytes. A link takes no page-cache pages and
/// no disk blocks (most of a build's system time), and the previous site's folder,
/// removed after the swap, leaves the one copy; a file is never written through a link,
/// which would change the previous one.
fn write_tree(
    tree: &Tree<'_>,
    dir: &Path,
    previous: &Path,
) -> std::io::Result<BTreeMap<String, Written>> {
    std::fs::create_dir_all(dir)?;
    // The pages already in `dir` (the spool as staging folder) have their folders.
    let mut folders: Vec<&str> = (tree.output.files.iter())
        .filter(|(path, file)| !is_at(file, &dir.join(path)))
        .filter_map(|(p, _)| p.rsplit_once('/').map(|(d, _)| d))
        .collect();
    folders.dedup();
    for folder in folders {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    let files: Vec<_> = tree.output.files.iter().zip(tree.planned).collect();
    let written: Vec<(String, Written)> = files
        .par_iter()
        .map(|&((path, file), planned)| {
            let target = dir.join(path);
            if let Body::Kept(kept) = &file.body {
                if kept.path == target {
                    return Ok((path.clone(), kept.written));
                }
            }
            let before = previous.join(path);
            let linked = match (&planned.same, &file.body) {
                (Some(_), _) => std::fs::hard_link(&before, &target).is_ok(),
                (None, Body::Bytes(bytes)) if !tree.recorded => {
                    holds(&before, bytes) && std::fs::hard_link(&before, &target).is_ok()
                }
                _ => false,
            };
            if !linked {
                write_file(&file.body, &target, path)?;
            }
            Ok((path.clone(), record::written(&target, planned.digest)?))
        })
        .collect::<std::io::Result<_>>()?;
    std::fs::write(dir.join(MANIFEST), tree.manifest)?;
    Ok(written.into_iter().collect())
}

/// Whether `file` is a page already put at `at` (see `spool`).
fn is_at(file: &OutputFile, at: &Path) -> bool {
    matches!(&file.body, Body::Kept(kept) if kept.path == at)
}

/// How many of `output`'s files are pages put at their own path in the folder `dir`.
fn kept_in(output: &Output, dir: &Path) -> usize {
    (output.files.iter())
        .filter(|(path, file)| is_at(file, &dir.join(path)))
        .count()
}

/// Writes one file's bytes at `target` (`path` in the output).
pub(super) fn write_file(body: &Body, target: &Path, path: &str) -> std::io::Result<()> {
    match body {
        Body::Bytes(bytes) => std::fs::write(target, bytes),
        Body::Copy(from) => std::fs::copy(from, target).map(|_| ()),
        // A page put in the build's spool (see `spool`): linked, not copied.
        Body::Kept(kept) if kept.path != target && kept.written.still_at(&kept.path) => {
            std::fs::hard_link(&kept.path, target)
                .or_else(|_| std::fs::copy(&kept.path, target).map(|_| ()))
        }
        // Checked when the build started, the file no longer holds the page's bytes.
        Body::Kept(kept) => Err(std::io::Error::other(format!(
            "`{path}` in the output folder changed while the site was being built (it was `{}`); build again",
            kept.path.display()
        ))),
    }
}

/// Whether `path` is a regular file (not a link) whose bytes are `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return false;
    }
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut buf = [0u8; 64 * 1024];
    let mut at = 0;
    loop {
        match file.read(&mut buf) {
            Ok(0) => return at == bytes.len(),
            Ok(n) if bytes.get(at..at + n) == Some(&buf[..n]) => at += n,
            _ => return false,
        }
    }
}

/// Why the new site is not in place, and where the previous one went if it is no longer
/// at the output (moving it back failed).
struct SwapError {
    error: std::io::Error,
    moved_to: Option<PathBuf>,
}

impl From<std::io::Error> for SwapError {
    fn from(error: std::io::Error) -> Self {
        SwapError {
            error,
            moved_to: None,
        }
    }
}

/// Puts `staging` at `out_dir`. On Linux an existing folder is exchanged in one atomic
/// step (renameat2 RENAME_EXCHANGE), so `out_dir` is always a complete site. Elsewhere
/// (or where the file system cannot exchange) the previous site is moved aside first,
/// and moved back if the new one cannot take its place.
fn swap_into_place(staging: &Path, out_dir: &Path) -> Result<(), SwapError> {
    if std::fs::symlink_metadata(out_dir).is_err() {
        return Ok(std::fs::rename(staging, out_dir)?);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, staging, CWD, out_dir, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous site. Should removing it fail, the site is
            // in place all the same, and the next build removes it as stale.
            let _ = remove_tree(staging);
            return Ok(());
        }
    }
    let old = staging.with_file_name(
        staging
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(".public.tmp")
            .replacen(".tmp-", ".old-", 1),
    );
    std::fs::rename(out_dir, &old)?;
    if let Err(error) = std::fs::rename(staging, out_dir) {
        return Err(match std::fs::rename(&old, out_dir) {
            Ok(()) => error.into(),
            Err(_) => SwapError {
                error,
                moved_to: Some(old),
            },
        });
    }
    let _ = remove_tree(&old);
    Ok(())
}

/// Removes the previous site once it is out of the way, its top-level entries in
/// parallel: for small sites this unlinking was a visible part of a whole build.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    entries.par_iter().try_for_each(|path| {
        if path.is_dir() && !path.is_symlink() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        }
    })?;
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        let mut o = Output::default();
        for (p, text) in files {
            o.insert(
                p.to_string(),
                OutputFile::generated(text.as_bytes().to_vec(), "test"),
            )
            .unwrap();
        }
        o
    }

    /// Unchanged files are the previous site's, linked; changed ones are written anew,
    /// never through a link (which would change the previous file too).
    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_from_the_previous_site() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = output(&[("same.html", "same"), ("a/changed.html", "one")]);
        write_atomically(&first, &out, false, None).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (same, changed) = (inode("same.html"), inode("a/changed.html"));
        let kept = dir.path().join("kept.html");
        std::fs::hard_link(out.join("a/changed.html"), &kept).unwrap();
        let second = output(&[("same.html", "same"), ("a/changed.html", "two")]);
        write_atomically(&second, &out, false, None).unwrap();
        assert_eq!(inode("same.html"), same, "linked");
        assert_ne!(inode("a/changed.html"), changed, "written anew");
        assert_eq!(
            std::fs::read_to_string(out.join("a/changed.html")).unwrap(),
            "two"
        );
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "one");
        // Same length, other bytes: compared, not trusted.
        let third = output(&[("same.html", "SAME"), ("a/changed.html", "two")]);
        write_atomically(&third, &out, false, None).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("same.html")).unwrap(),
            "SAME"
        );
    }

    /// With the previous build's record, an output that holds every file unchanged is
    /// left as it is (not swapped); one that lost a file, or a new site, is swapped in.
    #[cfg(unix)]
    #[test]
    fn an_unchanged_output_is_left_in_place() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let asset = dir.path().join("logo.svg");
        std::fs::write(&asset, "<svg/>").unwrap();
        let mut site = output(&[("index.html", "home"), ("a/index.html", "a")]);
        let copied = OutputFile {
            body: Body::Copy(asset.clone()),
            ..OutputFile::generated(Vec::new(), "assets/logo.svg")
        };
        site.insert("logo.svg".into(), copied).unwrap();
        let first = write_atomically(&site, &out, false, None).unwrap();
        assert_eq!(first.files.len(), 3, "copied files are recorded too");
        let folder = || std::fs::metadata(&out).unwrap().ino();
        let before = folder();
        let second = write_atomically(&site, &out, false, Some(&first)).unwrap();
        assert_eq!(folder(), before, "nothing written, nothing swapped");
        assert_eq!(second.files, first.files);
        // A file deleted by hand: written again, in place (see `journal`), the others
        // left as they are.
        let home = std::fs::metadata(out.join("index.html")).unwrap().ino();
        std::fs::remove_file(out.join("a/index.html")).unwrap();
        let third = write_atomically(&site, &out, false, Some(&second)).unwrap();
        assert_eq!(folder(), before);
        assert_eq!(
            std::fs::metadata(out.join("index.html")).unwrap().ino(),
            home
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a"
        );
        // The asset changed at its source: copied anew.
        std::fs::write(&asset, "<svg></svg>").unwrap();
        write_atomically(&site, &out, false, Some(&third)).unwrap();
        let logo = std::fs::read_to_string(out.join("logo.svg")).unwrap();
        assert_eq!(logo, "<svg></svg>");
    }

    /// A clean build's spool is the staging folder: its pages are swapped in as they
    /// are (same files), the spool's name is gone after, and the previous site stays
    /// until the commit. A spool holding a file the site does not have is not used.
    #[cfg(unix)]
    #[test]
    fn the_spool_holding_the_pages_is_swapped_in() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&output(&[("old.html", "old")]), &out, false, None).unwrap();
        let spool = Spool::create(&out).unwrap();
        let mut pages = vec![("a/index.html".to_string(), page("a"))];
        spool.put(&mut pages);
        let mut site = output(&[("style.css", "css")]);
        site.insert(pages[0].0.clone(), pages[0].1.clone()).unwrap();
        let spooled = std::fs::metadata(spool.dir().join("a/index.html")).unwrap();
        let prepared = prepare(&site, &out, false, None, Some(&spool), false).unwrap();
        assert!(
            out.join("old.html").exists(),
            "nothing in place before the commit"
        );
        prepared.commit().unwrap();
        let linked = std::fs::metadata(out.join("a/index.html")).unwrap();
        assert_eq!(linked.ino(), spooled.ino(), "the spooled file itself");
        assert_eq!(
            std::fs::read_to_string(out.join("style.css")).unwrap(),
            "css"
        );
        assert!(!out.join("old.html").exists());
        assert!(!spool.dir().exists(), "the spool is the site now");
        drop(spool);
        assert!(
            out.join("a/index.html").exists(),
            "the spool's end leaves the site"
        );
        // A spooled page the site does not have: a staging folder of its own.
        let spool = Spool::create(&out).unwrap();
        let mut pages = vec![
            ("a/index.html".to_string(), page("a2")),
            ("gone/index.html".to_string(), page("gone")),
        ];
        spool.put(&mut pages);
        let mut site = output(&[]);
        site.insert(pages[0].0.clone(), pages[0].1.clone()).unwrap();
        write_with_spool(&site, &out, &spool);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a2"
        );
        assert!(!out.join("gone").exists(), "{:?}", read_manifest(&out).0);
        assert!(
            spool.dir().join("gone/index.html").exists(),
            "left to the spool"
        );
    }

    /// A page's file as the templates give it.
    fn page(text: &str) -> OutputFile {
        OutputFile::generated(text.as_bytes().to_vec(), "content/a.md")
    }

    fn write_with_spool(site: &Output, out: &Path, spool: &Spool) {
        prepare(site, out, false, None, Some(spool), false)
            .unwrap()
            .commit()
            .unwrap();
    }

    #[test]
    fn replaces_old_site_and_cleans_stale_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &output(&[("index.html", "one"), ("a/index.html", "a")]),
            &out,
            false,
            None,
        )
        .unwrap();
        std::fs::create_dir(dir.path().join(".public.tmp-999999")).unwrap();
        write_atomically(&output(&[("index.html", "two")]), &out, false, None).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists(), "files of the old site are gone");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn a_failed_swap_leaves_the_previous_site_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        // The staging folder vanished: neither the exchange nor the rename can succeed.
        let missing = dir.path().join(".public.tmp-1");
        assert!(swap_into_place(&missing, &out).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let dirs = crate::layout::SiteLayout::default().source_dirs();
        let validate = |out: &Path| validate_output_dir(root, out, &dirs);
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(validate(root).is_err());
        assert!(validate(&root.join("content/out")).is_err());
        assert!(validate(&root.join("..")).is_err());
        assert!(validate(Path::new("/")).is_err());
        std::fs::write(root.join("file"), "x").unwrap();
        assert!(validate(&root.join("file")).is_err());
        assert!(validate(&root.join("public")).is_ok());
    }

    #[test]
    fn source_folders_are_refused_around_and_inside_but_not_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("src/docs")).unwrap();
        let dirs: Vec<String> = [".", "src/docs", "../shared", "assets/"]
            .iter()
            .map(|d| d.to_string())
            .collect();
        let why = |out: &str| {
            validate_output_dir(&root, &root.join(out), &dirs)
                .err()
                .map(|d| d.message)
        };
        for (out, refusal) in [
            ("public", None),
            ("src", Some("it contains the source folder `src/docs/`")),
            ("src/docs", Some("it is the source folder `src/docs/`")),
            (
                "src/docs/x",
                Some("it is inside the source folder `src/docs/`"),
            ),
            (
                "../shared/x",
                Some("it is inside the source folder `../shared/`"),
            ),
            ("assets", Some("it is the source folder `assets/`")),
            (
                ".cache",
                Some("it is the hidden folder `.cache/` of the project"),
            ),
            (
                "a/.b/c",
                Some("it lies inside the hidden folder `a/.b/` of the project"),
            ),
        ] {
            assert_eq!(
                why(out),
                refusal.map(|r| format!("refusing to write the site here: {r}")),
                "{out}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_symlink_leads_to_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("site")).unwrap();
        std::os::unix::fs::symlink("../deploy", base.join("site/public")).unwrap();
        assert_eq!(real_path(&base.join("site/public")), base.join("deploy"));
    }

    /// A folder vouched for (`build/unchanged.rs`'s survey) is not listed when it is
    /// updated in place, which removes nothing the manifest does not list; one to be
    /// replaced whole is listed all the same, and its foreign files refused.
    #[test]
    fn a_folder_replaced_whole_is_listed_though_vouched_for() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = output(&[("index.html", "one"), ("a/index.html", "a")]);
        let record = write_atomically(&site, &out, false, None).unwrap();
        std::fs::write(out.join("a/mine.txt"), "x").unwrap();
        let refused = |record: Option<&OutputRecord>, force: bool| {
            let prepared = prepare(&site, &out, force, record, None, true);
            prepared.err().map(|e| e.diagnostic.message)
        };
        let foreign = refused(None, false).expect("no record: replaced whole");
        assert!(foreign.contains("did not write `a/mine.txt`"), "{foreign}");
        std::fs::create_dir(out.join(".git")).unwrap();
        let git = refused(Some(&record), true).expect("forced: replaced whole");
        assert!(git.contains("git repository"), "{git}");
        assert_eq!(refused(Some(&record), false), None, "in place: not listed");
        assert_eq!(
            std::fs::read_to_string(out.join("a/mine.txt")).unwrap(),
            "x"
        );
    }

    #[test]
    fn only_folders_dcrsite_wrote_all_of_are_replaced_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = output(&[("index.html", "one"), ("a/b/index.html", "b")]);
        write_atomically(&site, &out, false, None).unwrap();
        assert!(refusal_to_replace(&out, false).unwrap().is_none());
        std::fs::write(out.join("a/mine.txt"), "x").unwrap();
        let (why, help) = refusal_to_replace(&out, false).unwrap().unwrap();
        assert_eq!(
            why,
            "it is not empty and dcrsite did not write `a/mine.txt`"
        );
        assert!(help.contains("--force"), "{help}");
        assert!(refusal_to_replace(&out, true).unwrap().is_none());
        let err = write_atomically(&site, &out, false, None).unwrap_err();
        assert!(err.output_untouched);
        assert_eq!(
            std::fs::read_to_string(out.join("a/mine.txt")).unwrap(),
            "x"
        );
        std::fs::create_dir(out.join(".git")).unwrap();
        let (why, _) = refusal_to_replace(&out, true).unwrap().unwrap();
        assert!(why.contains("git repository (`.git`)"), "{why}");
    }
}
