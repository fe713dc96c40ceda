//! Updating the output folder in place, through a journal, when the previous build's
//! record says the folder holds the previous site: only the files that changed are
//! written, instead of a whole new folder of links swapped in (10,000 folders and links
//! for one edited page).
//!
//! The guarantee: at every instant the output folder is the old site, the new one, or
//! the old one part-way to the new one with a *committed* journal beside it, which the
//! next dcrsite run (`build` or `serve`) rolls forward before anything else. So after a
//! kill the next run restores a whole site; a build that fails before its journal is
//! committed leaves the output untouched.
//!
//! The journal is the folder `.NAME.journal` beside the output `NAME`: the new files'
//! bytes (numbered), then the list of changes, `ops`, written under another name and
//! renamed: its presence is the commit. Applying it removes the files the previous
//! manifest lists and the new site lacks (then their folders, once empty), and renames
//! each new file into place, the manifest last; every step may be redone, so a kill
//! while applying is finished by the next run. Nothing is written through an existing
//! file (a rename replaces it), so the previous file's other links keep their bytes.
//! The journal is not synced to disk: like the staging folder it guards against a killed
//! process, not against a power cut.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::plan::Planned;
use super::record::{self, Written};
use super::write::{write_file, MANIFEST};
use super::Output;

/// The list of changes; its presence commits the journal.
const OPS: &str = "ops";
const OPS_UNCOMMITTED: &str = "ops.new";
/// The new manifest's name inside the journal.
const NEW_MANIFEST: &str = "manifest";

/// The journal folder of the output folder `name` inside `parent`.
pub(super) fn folder(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.journal"))
}

/// What to put in place and what to remove.
pub(super) struct Changes<'a> {
    pub(super) output: &'a Output,
    pub(super) planned: &'a [Planned],
    /// The files the output's manifest lists now.
    pub(super) listed: &'a std::collections::HashSet<String>,
    pub(super) manifest: &'a str,
}

/// Writes the journal of `changes` beside `target`, commits it and applies it; returns
/// what the output holds. `Err((error, committed))`: after the commit, the next run
/// finishes the update; before it, the output is untouched (and the journal removed).
pub(super) fn update(
    changes: &Changes<'_>,
    journal: &Path,
    target: &Path,
) -> Result<BTreeMap<String, Written>, (std::io::Error, bool)> {
    let _ = std::fs::remove_dir_all(journal);
    let written = match write_journal(changes, journal) {
        Ok(written) => written,
        Err(e) => {
            let _ = std::fs::remove_dir_all(journal);
            return Err((e, false));
        }
    };
    roll_forward(journal, target).map_err(|e| (e, true))?;
    Ok(written)
}

/// Writes the changed files and the new manifest into `journal`, then commits it.
fn write_journal(
    changes: &Changes<'_>,
    journal: &Path,
) -> std::io::Result<BTreeMap<String, Written>> {
    std::fs::create_dir_all(journal)?;
    let files: Vec<_> = (changes.output.files.iter().zip(changes.planned).enumerate()).collect();
    let written: Vec<(String, Written)> = files
        .par_iter()
        .map(|&(i, ((path, file), planned))| match planned.same {
            Some(same) => Ok((path.clone(), same)),
            None => {
                let at = journal.join(i.to_string());
                write_file(&file.body, &at, path)?;
                Ok((path.clone(), record::written(&at, planned.digest)?))
            }
        })
        .collect::<std::io::Result<_>>()?;
    std::fs::write(journal.join(NEW_MANIFEST), changes.manifest)?;
    let mut ops = String::new();
    let mut gone: Vec<&String> = (changes.listed.iter())
        .filter(|p| !changes.output.files.contains_key(*p))
        .collect();
    gone.sort();
    for path in gone {
        ops.push_str(&format!("del {path}\n"));
    }
    for (i, ((path, _), planned)) in files {
        if planned.same.is_none() {
            ops.push_str(&format!("put {i} {path}\n"));
        }
    }
    ops.push_str(&format!("put {NEW_MANIFEST} {MANIFEST}\n"));
    std::fs::write(journal.join(OPS_UNCOMMITTED), ops)?;
    std::fs::rename(journal.join(OPS_UNCOMMITTED), journal.join(OPS))?;
    Ok(written.into_iter().collect())
}

/// Finishes the update a committed journal at `journal` describes, or drops one that was
/// not committed (the output was not touched yet), then removes it. Nothing to do when
/// there is no journal.
pub(super) fn roll_forward(journal: &Path, target: &Path) -> std::io::Result<()> {
    match std::fs::read_to_string(journal.join(OPS)) {
        Ok(ops) => apply(&ops, journal, target)?,
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    match std::fs::remove_dir_all(journal) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Removals first (a new file may take the place of a folder that empties), then the
/// new files; a removal already done, or a file already moved in, is skipped.
fn apply(ops: &str, journal: &Path, target: &Path) -> std::io::Result<()> {
    for path in ops.lines().filter_map(|l| l.strip_prefix("del ")) {
        match std::fs::remove_file(target.join(path)) {
            // A new file took its folder's place.
            Err(e) if e.kind() == ErrorKind::NotADirectory => {}
            // Gone already: the run that removed it may have been killed before its folders.
            Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
            _ => remove_empty_folders(target, path),
        }
    }
    for put in ops.lines().filter_map(|l| l.strip_prefix("put ")) {
        let Some((name, path)) = put.split_once(' ') else {
            return Err(std::io::Error::other(format!(
                "`{}` is not a dcrsite journal line",
                put
            )));
        };
        let from = journal.join(name);
        if std::fs::symlink_metadata(&from).is_err() {
            continue; // moved in by the run that was killed
        }
        let to = target.join(path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(&from, &to)?;
    }
    Ok(())
}

/// Removes the folders of the removed file `path` that are left empty (dcrsite made
/// them: the output holds nothing it did not write).
fn remove_empty_folders(target: &Path, path: &str) {
    let mut folder = path;
    while let Some((parent, _)) = folder.rsplit_once('/') {
        if std::fs::remove_dir(target.join(parent)).is_err() {
            return;
        }
        folder = parent;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write::write_atomically;
    use crate::output::OutputFile;

    fn output(files: &[(&str, &str)]) -> Output {
        let mut o = Output::default();
        for (p, text) in files {
            let file = OutputFile::generated(text.as_bytes().to_vec(), "test");
            o.insert(p.to_string(), file).unwrap();
        }
        o
    }

    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut found: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                let text = std::fs::read_to_string(e.path()).unwrap();
                (rel.to_string_lossy().replace('\\', "/"), text)
            })
            .collect();
        found.sort();
        found
    }

    const OLD: &[(&str, &str)] = &[
        ("same.html", "same"),
        ("a/b/gone.html", "gone"),
        ("x.html", "1"),
    ];
    const NEW: &[(&str, &str)] = &[("same.html", "same"), ("x.html", "2"), ("a", "a file now")];

    /// The old site written, then the new one's journal written and committed (as a build
    /// killed right after its commit leaves them); returns the output and the journal.
    fn committed(dir: &Path) -> (PathBuf, PathBuf) {
        let out = dir.join("public");
        let record = write_atomically(&output(OLD), &out, false, None).unwrap();
        let new = output(NEW);
        let planned = super::super::plan::plan(&new, &out, Some(&record)).unwrap();
        let listed = super::super::write::manifest_files(&out);
        let manifest = super::super::write::manifest_text(&new);
        let changes = Changes {
            output: &new,
            planned: &planned,
            listed: &listed,
            manifest: &manifest,
        };
        let journal = folder(dir, "public");
        write_journal(&changes, &journal).unwrap();
        (out, journal)
    }

    /// The site a clean write of `NEW` gives.
    fn new_site() -> Vec<(String, String)> {
        let dir = tempfile::tempdir().unwrap();
        write_atomically(&output(NEW), &dir.path().join("public"), false, None).unwrap();
        files(&dir.path().join("public"))
    }

    #[cfg(unix)]
    #[test]
    fn only_changed_files_are_written_and_removed_ones_go_with_their_folders() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let record = write_atomically(&output(OLD), &out, false, None).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (folder_before, same, x) = (inode(""), inode("same.html"), inode("x.html"));
        let new = write_atomically(&output(NEW), &out, false, Some(&record)).unwrap();
        assert_eq!(inode(""), folder_before, "updated in place");
        assert_eq!(inode("same.html"), same, "left as it was");
        assert_ne!(inode("x.html"), x, "replaced, not written through");
        assert_eq!(files(&out), new_site());
        assert_eq!(new.files.len(), 3);
        assert!(!folder(dir.path(), "public").exists(), "journal removed");
    }

    #[test]
    fn a_committed_journal_is_rolled_forward_from_wherever_it_stopped() {
        // Killed right after the commit, and part-way through applying it.
        for done in 0..=4 {
            let dir = tempfile::tempdir().unwrap();
            let (out, journal) = committed(dir.path());
            let ops = std::fs::read_to_string(journal.join(OPS)).unwrap();
            let some: String = ops.lines().take(done).map(|l| format!("{l}\n")).collect();
            apply(&some, &journal, &out).unwrap();
            crate::output::write::finish_interrupted_update(&out).unwrap();
            assert_eq!(files(&out), new_site(), "after {done} steps");
            assert!(!journal.exists());
        }
    }

    #[test]
    fn an_uncommitted_journal_is_dropped_and_the_output_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let (out, journal) = committed(dir.path());
        std::fs::rename(journal.join(OPS), journal.join(OPS_UNCOMMITTED)).unwrap();
        let old = {
            let d = tempfile::tempdir().unwrap();
            write_atomically(&output(OLD), &d.path().join("public"), false, None).unwrap();
            files(&d.path().join("public"))
        };
        assert_eq!(files(&out), old);
        crate::output::write::finish_interrupted_update(&out).unwrap();
        assert_eq!(files(&out), old);
        assert!(!journal.exists());
    }
}
