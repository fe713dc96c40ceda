//! Watching the site's sources: `content/`, `themes/`, `assets/`, `templates/`,
//! `site.yaml` / `mkdocs.yml`, and the folders the configuration adds (an MkDocs
//! project's `docs_dir`, snippet folders and `watch:` list). Events are filtered
//! (hidden folders, `public/`, `.gitignore`d paths, editors' temp and swap files) and
//! passed on (see `burst` for how they are collected into rebuilds).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::layout::SiteLayout;

pub(super) struct SiteWatcher {
    root: PathBuf,
    watcher: Box<dyn Watcher + Send>,
    watched: BTreeSet<PathBuf>,
    /// Source folders relative to the root: the standard ones and the configuration's.
    /// Shared with the event filter, which passes only changes inside them.
    dirs: Arc<RwLock<Vec<PathBuf>>>,
}

impl SiteWatcher {
    /// Starts watching; relevant changed paths are sent to `tx`.
    pub(super) fn start(
        root: &Path,
        poll: bool,
        tx: Sender<Change>,
    ) -> Result<SiteWatcher, notify::Error> {
        let dirs = Arc::new(RwLock::new(SiteLayout::watched_before_config()));
        let filter = Filter::new(root, dirs.clone());
        let handler = move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            // Reads (our own rebuilds open files) are not changes; a close after writing is.
            if let EventKind::Access(kind) = event.kind {
                if kind != AccessKind::Close(AccessMode::Write) {
                    return;
                }
            }
            // The poll watcher sees no opens and closes: its changes are whole ones.
            let writing = if poll {
                Writing::Other
            } else {
                Writing::of(&event.kind)
            };
            for path in event.paths {
                if filter.wanted(&path) {
                    let _ = tx.send(Change { path, writing });
                }
            }
        };
        let mut watcher: Box<dyn Watcher + Send> = if poll {
            // Contents are compared too: the poll watcher keeps modification times in whole
            // seconds, so a save within the second after a scan would go unseen.
            let config = notify::Config::default()
                .with_poll_interval(Duration::from_millis(300))
                .with_compare_contents(true);
            Box::new(notify::PollWatcher::new(handler, config)?)
        } else {
            Box::new(notify::recommended_watcher(handler)?)
        };
        // The root itself, not recursively: `site.yaml`, and folders appearing (target/
        // and the like can be huge and are none of our business).
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let mut w = SiteWatcher {
            root: root.to_path_buf(),
            watcher,
            watched: BTreeSet::new(),
            dirs,
        };
        let all: Vec<PathBuf> = SiteLayout::watched_before_config()
            .iter()
            .map(|d| root.join(d))
            .collect();
        w.refresh(&all);
        Ok(w)
    }

    /// Sets the folders the configuration adds to the standard ones (relative to the
    /// root), watching those that are new and dropping those no longer named.
    pub(super) fn set_extra_dirs(&mut self, extra: &[String]) {
        let mut wanted = SiteLayout::watched_before_config();
        wanted.extend(extra.iter().map(PathBuf::from));
        wanted.sort();
        wanted.dedup();
        let old = match self.dirs.write() {
            Ok(mut dirs) => std::mem::replace(&mut *dirs, wanted.clone()),
            Err(_) => return,
        };
        if old == wanted {
            return;
        }
        for dir in old.iter().filter(|d| !wanted.contains(d)) {
            let abs = self.root.join(dir);
            if self.watched.remove(&abs) {
                let _ = self.watcher.unwatch(&abs);
            }
        }
        let added: Vec<PathBuf> = wanted
            .iter()
            .filter(|d| !old.contains(d))
            .map(|d| self.root.join(d))
            .collect();
        self.refresh(&added);
    }

    /// Watches the source folders named in `changed` again: one may have been created,
    /// or deleted and recreated (inotify then needs a new watch).
    pub(super) fn refresh(&mut self, changed: &[PathBuf]) {
        let dirs = match self.dirs.read() {
            Ok(dirs) => dirs.clone(),
            Err(_) => return,
        };
        for name in dirs {
            let dir = self.root.join(name);
            // The folder itself, or a parent of it, appeared or went away.
            if !changed.iter().any(|c| dir.starts_with(c)) {
                continue;
            }
            if self.watched.remove(&dir) {
                let _ = self.watcher.unwatch(&dir);
            }
            if dir.is_dir() && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok() {
                self.watched.insert(dir);
            }
        }
    }
}

/// A changed path, and what it says of a writer holding the file open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Change {
    pub path: PathBuf,
    pub writing: Writing,
}

/// Whether a change leaves the file open for writing: a file truncated or written in
/// place, or created, is being written until its writer closes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Writing {
    Opened,
    Closed,
    Other,
}

impl Writing {
    fn of(kind: &EventKind) -> Writing {
        match kind {
            EventKind::Modify(ModifyKind::Data(_)) | EventKind::Create(CreateKind::File) => {
                Writing::Opened
            }
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => Writing::Closed,
            _ => Writing::Other,
        }
    }
}

struct Filter {
    root: PathBuf,
    gitignore: Gitignore,
    dirs: Arc<RwLock<Vec<PathBuf>>>,
}

impl Filter {
    fn new(root: &Path, dirs: Arc<RwLock<Vec<PathBuf>>>) -> Filter {
        let mut builder = GitignoreBuilder::new(root);
        // A missing .gitignore is the common case, and a broken one should not stop serving.
        let _ = builder.add(root.join(".gitignore"));
        Filter {
            root: root.to_path_buf(),
            gitignore: builder.build().unwrap_or_else(|_| Gitignore::empty()),
            dirs,
        }
    }

    fn wanted(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        let is_config = rel.components().count() == 1
            && (rel == Path::new(crate::config::CONFIG_FILE)
                || rel == Path::new(crate::config::mkdocs::MKDOCS_FILE));
        // A file in a source folder, or the folder itself (created or removed).
        let in_source_dir = match self.dirs.read() {
            Ok(dirs) => dirs
                .iter()
                .any(|d| rel.starts_with(d) || d.starts_with(rel)),
            Err(_) => false,
        };
        if !(is_config || in_source_dir) {
            return false;
        }
        if rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return false;
        }
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_editor_temp(&name) {
            return false;
        }
        !self
            .gitignore
            .matched_path_or_any_parents(rel, path.is_dir())
            .is_ignore()
    }
}

/// Names editors write next to the file they save (swap files, backups, temp files
/// renamed over the original). The rename's target is reported under the real name.
fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".swpx",
            ".tmp",
            ".temp",
            ".kate-swp",
            ".crswap",
            ".bak",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_temp_hidden_public_and_gitignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "content/scratch/\n*.log\n").unwrap();
        let f = Filter::new(
            dir.path(),
            Arc::new(RwLock::new(SiteLayout::watched_before_config())),
        );
        let p = |s: &str| dir.path().join(s);
        assert!(f.wanted(&p("content/a.md")));
        assert!(f.wanted(&p("site.yaml")));
        assert!(f.wanted(&p("themes/decred/templates/page.html")));
        assert!(f.wanted(&p("assets/css/x.css")));
        assert!(!f.wanted(&p("public/index.html")));
        assert!(!f.wanted(&p("target/debug/x")));
        assert!(!f.wanted(&p("content/.git/x")));
        assert!(!f.wanted(&p("content/.a.md.swp")));
        assert!(!f.wanted(&p("content/a.md~")));
        assert!(!f.wanted(&p("content/4913")));
        assert!(!f.wanted(&p("content/#a.md#")));
        assert!(!f.wanted(&p("content/scratch/x.md")));
        assert!(!f.wanted(&p("content/debug.log")));
        assert!(!f.wanted(Path::new("/elsewhere/content/a.md")));
        assert!(!f.wanted(&p("snips/a.md")));
        f.dirs.write().unwrap().push(PathBuf::from("src/snips"));
        assert!(f.wanted(&p("src/snips/a.md")));
        assert!(f.wanted(&p("src")), "a parent being created or removed");
        assert!(!f.wanted(&p("src/other.md")));
    }
}
