//! Writing imported files: a file that is already there with the same bytes is left
//! alone (so importing twice changes nothing), one with other bytes is kept unless the
//! import is forced.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// What happened to each file the import meant to write.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    /// Created, or replaced with `--force`.
    pub written: Vec<PathBuf>,
    /// Already there with the same bytes.
    pub unchanged: Vec<PathBuf>,
    /// Already there with other bytes, and not replaced (no `--force`).
    pub kept: Vec<PathBuf>,
}

impl Written {
    /// Writes `bytes` to `path` unless it holds them already; replaces other bytes only
    /// when `force`. Problems (a file kept, a file not writable) go to `problems`.
    pub(super) fn put(
        &mut self,
        path: &Path,
        bytes: &[u8],
        force: bool,
        problems: &mut Vec<Diagnostic>,
    ) {
        let shown = path.display().to_string();
        match std::fs::read(path) {
            Ok(existing) if existing == bytes => {
                self.unchanged.push(path.to_path_buf());
                return;
            }
            Ok(_) if !force => {
                problems.push(
                    Diagnostic::warning(&shown, "already exists with other contents: kept")
                        .with_help("pass --force to replace it with the imported version"),
                );
                self.kept.push(path.to_path_buf());
                return;
            }
            _ => {}
        }
        let parent = path.parent().unwrap_or(Path::new("."));
        let result = std::fs::create_dir_all(parent).and_then(|()| std::fs::write(path, bytes));
        match result {
            Ok(()) => self.written.push(path.to_path_buf()),
            Err(e) => problems.push(
                Diagnostic::error(&shown, format!("cannot write: {e}"))
                    .with_help("check that the folder is writable"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_unchanged_other_bytes_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.md");
        let mut w = Written::default();
        let mut problems = Vec::new();
        w.put(&path, b"one", false, &mut problems);
        w.put(&path, b"one", false, &mut problems);
        w.put(&path, b"two", false, &mut problems);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("kept"));
        w.put(&path, b"two", true, &mut problems);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            (w.written.len(), w.unchanged.len(), w.kept.len()),
            (2, 1, 1)
        );
    }
}
