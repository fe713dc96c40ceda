//! The one rule every walk of the site follows: nothing outside the site root is read.
//!
//! A file or folder whose real path (symlinks resolved, folders on the way included) lies
//! outside the root is an error at its path, whichever walker meets it (content, assets,
//! themes and templates, snippets, the `check --html` folder): build, serve and check
//! load the site through the same walkers, so they agree. Links inside the site that
//! point inside it are fine.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::content::walk::display_path;
use crate::diagnostics::Diagnostic;

/// The folder everything read for a site must really lie in.
#[derive(Debug, Clone)]
pub(crate) struct Inside {
    /// The root as given: paths in messages are relative to it.
    root: PathBuf,
    /// Its real path (the root as given when that cannot be resolved).
    real: PathBuf,
}

/// A path that leads outside the root, and the link that takes it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outside {
    /// The link (or the path itself when no link is to blame), relative to the root.
    pub shown: String,
    /// Where it really is.
    pub target: PathBuf,
    /// `shown` is a symlink (otherwise the path names a place outside, e.g. with `..`).
    pub symlink: bool,
    pub is_dir: bool,
}

impl Outside {
    /// What the link is and how to fix it, as an error at the link.
    pub(crate) fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(&self.shown, self.message()).with_help(self.help())
    }

    /// The problem in words, without the path.
    pub(crate) fn message(&self) -> String {
        if self.symlink {
            format!(
                "symlink points outside the site root, to {}",
                self.target.display()
            )
        } else {
            format!("lies outside the site root, at {}", self.target.display())
        }
    }

    pub(crate) fn help(&self) -> &'static str {
        match (self.symlink, self.is_dir) {
            (true, true) => "copy the folder into the site, or remove the link",
            (true, false) => "copy the file into the site, or remove the link",
            (false, _) => "only files inside the site folder are read: move it into the site",
        }
    }
}

impl Inside {
    pub(crate) fn new(root: &Path) -> Inside {
        Inside {
            root: root.to_path_buf(),
            real: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// `Err` when `path` really lies outside the root, naming the link that leads there.
    /// A path that cannot be resolved (missing, a dangling link) is left for its reader to
    /// report.
    pub(crate) fn check(&self, path: &Path) -> Result<(), Outside> {
        let Ok(real) = path.canonicalize() else {
            return Ok(());
        };
        if real.starts_with(&self.real) {
            return Ok(());
        }
        Err(self.culprit(path).unwrap_or_else(|| Outside {
            shown: display_path(path, &self.root),
            is_dir: real.is_dir(),
            target: real,
            symlink: path.is_symlink(),
        }))
    }

    /// The first link on the way from the root to `path` that leads outside the root.
    fn culprit(&self, path: &Path) -> Option<Outside> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let mut at = self.root.clone();
        for part in rel.components() {
            at.push(part);
            if !at.is_symlink() {
                continue;
            }
            let Ok(target) = at.canonicalize() else {
                return None;
            };
            if !target.starts_with(&self.real) {
                return Some(Outside {
                    shown: display_path(&at, &self.root),
                    is_dir: target.is_dir(),
                    target,
                    symlink: true,
                });
            }
        }
        None
    }

    /// The files under `dir` (a folder of the site), sorted by name, symlinks followed.
    /// An entry leading outside the root is an error and is not entered; so is a symlink
    /// loop or an unreadable entry. Hidden files and folders are skipped unless
    /// `with_hidden`.
    pub(crate) fn walk(&self, dir: &Path, with_hidden: bool) -> Walk<'_> {
        Walk {
            inside: self,
            dir: dir.to_path_buf(),
            started: false,
            iter: None,
            with_hidden,
        }
    }
}

/// See [`Inside::walk`].
pub(crate) struct Walk<'a> {
    inside: &'a Inside,
    dir: PathBuf,
    started: bool,
    /// `None` when `dir` itself leads outside.
    iter: Option<walkdir::IntoIter>,
    with_hidden: bool,
}

impl Iterator for Walk<'_> {
    type Item = Result<walkdir::DirEntry, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        if !self.started {
            self.started = true;
            // The folder itself may lie outside (`themes/t` a link to elsewhere).
            if let Err(outside) = self.inside.check(&self.dir) {
                return Some(Err(outside.diagnostic()));
            }
            self.iter = Some(
                WalkDir::new(&self.dir)
                    .follow_links(true)
                    .sort_by(crate::content::walk::by_name)
                    .into_iter(),
            );
        }
        let iter = self.iter.as_mut()?;
        loop {
            let entry = match iter.next()? {
                Ok(entry) => entry,
                Err(err) => return Some(Err(walk_error(&err, &self.inside.root))),
            };
            let is_dir = entry.file_type().is_dir();
            if entry.depth() > 0 {
                // Hidden entries are not read, so where they lead does not matter.
                if !self.with_hidden && is_hidden(entry.file_name()) {
                    if is_dir {
                        iter.skip_current_dir();
                    }
                    continue;
                }
                // Below a folder inside the root, only a link can lead outside.
                if entry.path_is_symlink() {
                    if let Err(outside) = self.inside.check(entry.path()) {
                        if is_dir {
                            iter.skip_current_dir();
                        }
                        return Some(Err(outside.diagnostic()));
                    }
                }
            }
            if !is_dir {
                return Some(Ok(entry));
            }
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn walk_error(err: &walkdir::Error, root: &Path) -> Diagnostic {
    let shown = err
        .path()
        .map(|p| display_path(p, root))
        .unwrap_or_default();
    if let Some(ancestor) = err.loop_ancestor() {
        return Diagnostic::error(
            shown,
            format!(
                "symlink loop: this folder links back to {}",
                display_path(ancestor, root)
            ),
        )
        .with_help("remove the symlink that points at its own parent folder");
    }
    let io = err
        .io_error()
        .map(|e| e.to_string())
        .unwrap_or_else(|| err.to_string());
    Diagnostic::error(shown, format!("cannot read: {io}")).with_help("check the file's permissions")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn walked(inside: &Inside, dir: &Path) -> (Vec<String>, Vec<String>) {
        let (mut files, mut problems) = (Vec::new(), Vec::new());
        for entry in inside.walk(dir, false) {
            match entry {
                Ok(e) => files.push(display_path(e.path(), &inside.root)),
                Err(d) => problems.push(d.to_string()),
            }
        }
        (files, problems)
    }

    #[test]
    fn links_inside_are_followed_and_links_outside_are_errors_not_entered() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("d/real")).unwrap();
        std::fs::create_dir_all(root.join("d/.hidden")).unwrap();
        std::fs::write(root.join("d/real/a.txt"), "a").unwrap();
        std::fs::write(root.join("other.txt"), "o").unwrap();
        std::fs::write(outside.path().join("s.txt"), "secret").unwrap();
        symlink(root.join("d/real"), root.join("d/alias")).unwrap();
        symlink(root.join("other.txt"), root.join("d/other.txt")).unwrap();
        symlink(outside.path().join("s.txt"), root.join("d/s.txt")).unwrap();
        symlink(outside.path(), root.join("d/out")).unwrap();
        // Not walked at all: hidden.
        symlink(outside.path(), root.join("d/.hidden/out")).unwrap();
        let inside = Inside::new(root);
        let (files, problems) = walked(&inside, &root.join("d"));
        assert_eq!(files, ["d/alias/a.txt", "d/other.txt", "d/real/a.txt"]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("d/out: error: symlink points outside the site root, to "));
        assert!(problems[0].contains("help: copy the folder into the site, or remove the link"));
        assert!(problems[1].starts_with("d/s.txt: error: symlink points outside the site root"));
        assert!(problems[1].contains("help: copy the file into the site, or remove the link"));
    }

    #[test]
    fn a_walked_folder_behind_a_link_is_blamed_on_the_link() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(outside.path().join("templates")).unwrap();
        std::fs::write(outside.path().join("templates/a.html"), "a").unwrap();
        std::fs::create_dir(site.path().join("themes")).unwrap();
        symlink(outside.path(), site.path().join("themes/t")).unwrap();
        let inside = Inside::new(site.path());
        let (files, problems) = walked(&inside, &site.path().join("themes/t/templates"));
        assert!(files.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("themes/t: error: symlink points outside"),
            "{problems:?}"
        );
        // A path that names a place outside without a link (`..`) is an error too.
        let up = site.path().join("themes/../..");
        let outside = inside.check(&up).unwrap_err();
        assert!(!outside.symlink);
    }

    #[test]
    fn a_root_given_through_a_link_is_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site/content")).unwrap();
        std::fs::write(dir.path().join("site/content/a.md"), "a").unwrap();
        symlink(dir.path().join("site"), dir.path().join("link")).unwrap();
        let inside = Inside::new(&dir.path().join("link"));
        let (files, problems) = walked(&inside, &dir.path().join("link/content"));
        assert_eq!(files, ["content/a.md"]);
        assert!(problems.is_empty());
    }
}
