//! What the planner asks of the disk and the cached state about a changed content
//! path: whether it is a loaded page or file, whether it still exists, whether it failed
//! to load.

use std::path::{Path, PathBuf};

use super::SiteState;
use crate::content::inside::Inside;
use crate::site::plan::{FileFacts, Lookup, PageFacts};

impl Lookup for SiteState {
    fn page(&self, content_path: &str) -> PageFacts {
        let file = self.content_file(content_path);
        PageFacts {
            index: self
                .content
                .pages
                .iter()
                .position(|p| p.content_path == content_path),
            is_file: file.is_file(),
            leads_outside: leads_outside(self.root(), &file),
            failed_to_load: self.content_problem_at(content_path),
        }
    }

    fn file(&self, content_path: &str) -> FileFacts {
        let file = self.content_file(content_path);
        FileFacts {
            is_file: file.is_file(),
            exists: file.exists(),
            leads_outside: leads_outside(self.root(), &file),
            copied: self
                .content
                .static_files
                .iter()
                .any(|f| f.content_path == content_path),
            known: self.knows_content_path(content_path),
            failed_to_load: self.content_problem_at(content_path),
        }
    }

    /// Any page that includes snippets may include the changed one, or include it
    /// through another.
    fn snippet_includers(&self) -> Vec<usize> {
        self.content
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.body.text().contains("--8<--"))
            .map(|(i, _)| i)
            .collect()
    }
}

impl SiteState {
    /// The pages that looked at the file at `path` (absolute, or relative to the root as
    /// given) to include it: snippets, `{!…!}`, `{*…*}`.
    pub(super) fn includers_of(&self, path: &Path) -> impl Iterator<Item = usize> + '_ {
        let relative = crate::markdown::included_path(self.root(), path);
        self.pages.iter().enumerate().filter_map(move |(i, p)| {
            let found = relative.as_ref()?;
            p.markdown.includes.contains(found).then_some(i)
        })
    }

    /// Every file pages looked at to include, and the folder of each (relative to the
    /// root): `serve` watches them.
    pub fn included_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = Vec::new();
        for path in self.pages.iter().flat_map(|p| &p.markdown.includes) {
            paths.push(path.clone());
            if let Some((folder, _)) = path.rsplit_once('/') {
                paths.push(folder.to_string());
            }
        }
        paths.sort();
        paths.dedup();
        paths
    }

    /// Where a path relative to the content folder is on disk.
    fn content_file(&self, content_path: &str) -> PathBuf {
        self.root()
            .join(self.config.layout().content())
            .join(content_path)
    }

    /// Whether a problem of loading the content is at `path` (relative to content/) or
    /// inside it: such a file was never loaded, yet its going away changes the site.
    fn content_problem_at(&self, path: &str) -> bool {
        let shown = format!(
            "{}/{path}",
            self.config.layout().content().trim_end_matches('/')
        );
        let folder = format!("{shown}/");
        self.content_problems
            .iter()
            .any(|d| d.path == shown || d.path.starts_with(&folder))
    }

    /// Whether `path` (relative to content/) is a known page or file, or a folder holding one.
    fn knows_content_path(&self, path: &str) -> bool {
        let folder = format!("{path}/");
        self.content
            .pages
            .iter()
            .map(|p| p.content_path.as_str())
            .chain(
                self.content
                    .static_files
                    .iter()
                    .map(|f| f.content_path.as_str()),
            )
            .any(|p| p == path || p.starts_with(&folder))
    }
}

/// Whether a changed file now leads outside the site root (a file replaced by a link):
/// then only a full content walk, which reports it, may take it in.
fn leads_outside(root: &Path, path: &Path) -> bool {
    Inside::new(root).check(path).is_err()
}
