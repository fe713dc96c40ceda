//! Walking `content/`: every Markdown page and every other file, in a stable order.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    Markdown,
    /// Any other file, copied to the same place in the output.
    Static,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to `content/`, `/`-separated (`a/b.md`).
    pub content_path: String,
    pub abs_path: PathBuf,
    pub kind: FileKind,
}

/// Lists the files under `content_dir`. Hidden files and folders are skipped; symlinks
/// are followed but may not leave the site root, and loops are errors.
pub fn walk(content_dir: &Path, site_root: &Path) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if !content_dir.is_dir() {
        return (files, problems);
    }
    let canonical_root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems.push(walk_error(&err, site_root));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let shown = display_path(entry.path(), site_root);
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) => {}
                Ok(target) => {
                    problems.push(
                        Diagnostic::error(&shown, format!("symlink points outside the site root, to {}", target.display()))
                            .with_help("copy the file into the site, or point the link at a file inside the site folder"),
                    );
                    continue;
                }
                Err(e) => {
                    problems.push(Diagnostic::error(&shown, format!("broken symlink: {e}")));
                    continue;
                }
            }
        }
        let Ok(rel) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        let Some(content_path) = to_slash_path(rel) else {
            problems.push(
                Diagnostic::error(&shown, "file name is not valid UTF-8")
                    .with_help("rename the file using UTF-8 characters"),
            );
            continue;
        };
        let kind = if content_path.ends_with(".md") || content_path.ends_with(".markdown") {
            FileKind::Markdown
        } else {
            FileKind::Static
        };
        files.push(SourceFile {
            content_path,
            abs_path: entry.path().to_path_buf(),
            kind,
        });
    }
    (files, problems)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().map(|n| n.starts_with('.')).unwrap_or(false)
}

fn walk_error(err: &walkdir::Error, site_root: &Path) -> Diagnostic {
    let shown = err
        .path()
        .map(|p| display_path(p, site_root))
        .unwrap_or_else(|| "content".to_string());
    if let Some(ancestor) = err.loop_ancestor() {
        return Diagnostic::error(
            shown,
            format!(
                "symlink loop: this folder links back to {}",
                display_path(ancestor, site_root)
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

/// `path` relative to the site root for messages, `/`-separated.
pub fn display_path(path: &Path, site_root: &Path) -> String {
    let rel = path.strip_prefix(site_root).unwrap_or(path);
    to_slash_path(rel).unwrap_or_else(|| rel.to_string_lossy().into_owned())
}

fn to_slash_path(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        parts.push(c.as_os_str().to_str()?);
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_pages_and_static_files_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("b/.git")).unwrap();
        std::fs::write(content.join("b/z.md"), "z").unwrap();
        std::fs::write(content.join("b/.git/x.md"), "x").unwrap();
        std::fs::write(content.join("a.md"), "a").unwrap();
        std::fs::write(content.join("b/img.png"), "png").unwrap();
        let (files, problems) = walk(&content, dir.path());
        assert!(problems.is_empty());
        let names: Vec<_> = files
            .iter()
            .map(|f| (f.content_path.as_str(), f.kind.clone()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("a.md", FileKind::Markdown),
                ("b/img.png", FileKind::Static),
                ("b/z.md", FileKind::Markdown)
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_and_escape_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "s").unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("loop")).unwrap();
        std::os::unix::fs::symlink(&content, content.join("loop/back")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.md"), content.join("s.md")).unwrap();
        let (files, problems) = walk(&content, dir.path());
        assert!(files.is_empty(), "{files:?}");
        let messages: Vec<_> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            messages.iter().any(|m| m.contains("symlink loop")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("content/s.md: error: symlink points outside")),
            "{messages:?}"
        );
    }
}
