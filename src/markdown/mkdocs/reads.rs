//! The files a page's Markdown looked at besides its own text: snippets, mdx_include's
//! `{!path!}` and markdown_include_variants' `{* path *}` files, each looked up whether
//! it exists or not (one appearing changes the page too). The build cache and `serve`
//! render a page again when one of them changes.
//!
//! Kept per thread, because the lookups happen deep inside passes that only see the
//! dialect; a page's pre-pass runs on one thread from start to end.

use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};

thread_local! {
    static READS: RefCell<Option<Vec<PathBuf>>> = const { RefCell::new(None) };
}

/// Notes that the pre-pass running on this thread looked at `path`.
pub(super) fn note(path: &Path) {
    READS.with(|r| {
        if let Some(reads) = r.borrow_mut().as_mut() {
            reads.push(path.to_path_buf());
        }
    });
}

/// Runs `f`, and returns with its result the files it looked at inside `root`, as paths
/// relative to it (`/`-separated, sorted, each once).
pub(super) fn collecting<T>(root: &Path, f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let outer = READS.with(|r| r.borrow_mut().replace(Vec::new()));
    let value = f();
    let reads = READS.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    let mut paths: Vec<String> = reads
        .unwrap_or_default()
        .iter()
        .filter_map(|p| relative(root, p))
        .collect();
    paths.sort();
    paths.dedup();
    (value, paths)
}

/// `path` relative to `root`, with `.` and `..` taken out; `None` outside it.
pub(crate) fn relative(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let mut parts: Vec<&str> = Vec::new();
    for c in rest.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_inside_the_root_are_kept_relative_and_once() {
        let root = Path::new("proj");
        let ((), paths) = collecting(root, || {
            note(&root.join("docs/../snips/a.md"));
            note(&root.join("snips/a.md"));
            note(Path::new("elsewhere/b.md"));
            note(&root.join("../c.md"));
        });
        assert_eq!(paths, ["snips/a.md"]);
        let ((), none) = collecting(root, || ());
        assert!(none.is_empty());
    }
}
