//! Writing the Output to disk atomically: into a hidden sibling folder first, swapped
//! into place only when everything is written, so a failed or killed build never leaves
//! a half-written site where the old one was.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Body, Output};
use crate::diagnostics::Diagnostic;

/// Source folders the output may never be, nor be inside.
const SOURCE_DIRS: &[&str] = &["content", "themes", "assets", "templates"];

/// Refuses output folders whose replacement would destroy sources or the system.
pub fn validate_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: String| {
        Diagnostic::error(
            out.display().to_string(),
            format!("refusing to write the site here: {why}"),
        )
        .with_help("pass --output with a folder of its own, such as `public`")
    };
    let root = absolute(root);
    let out_abs = absolute(out);
    if out_abs.parent().is_none() {
        return Err(refuse("it is the file system root".into()));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if out_abs == absolute(&home) {
            return Err(refuse("it is your home folder".into()));
        }
    }
    if root.starts_with(&out_abs) {
        return Err(refuse("it is the site root or contains it".into()));
    }
    for dir in SOURCE_DIRS {
        if out_abs.starts_with(root.join(dir)) {
            return Err(refuse(format!("it is inside the source folder `{dir}/`")));
        }
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return Err(refuse("a file with that name exists".into()));
    }
    Ok(())
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

/// Writes `output` to `out_dir`, replacing what was there only once all is written.
pub fn write_atomically(output: &Output, out_dir: &Path) -> Result<(), Diagnostic> {
    let shown = out_dir.display().to_string();
    let io_err = |what: &str, e: std::io::Error| {
        Diagnostic::error(&shown, format!("{what}: {e}"))
            .with_help("check that the output folder's parent exists and is writable")
    };
    let name = out_dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Diagnostic::error(&shown, "output path has no folder name"))?
        .to_string();
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .map_err(|e| io_err("cannot create the output's parent folder", e))?;
    remove_stale_temporaries(&parent, &name);

    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let written = write_tree(output, &staging);
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io_err("cannot write the site", e));
    }
    swap_into_place(&staging, out_dir).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staging);
        io_err("cannot move the new site into place", e)
    })
}

/// Removes staging folders left by builds that were killed (`.public.tmp-123`).
fn remove_stale_temporaries(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let tmp_prefix = format!(".{name}.tmp-");
    let old_prefix = format!(".{name}.old-");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        if n.starts_with(&tmp_prefix) || n.starts_with(&old_prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn write_tree(output: &Output, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut folders: Vec<&str> = output
        .files
        .keys()
        .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
        .collect();
    folders.dedup();
    for folder in folders {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    output.files.par_iter().try_for_each(|(path, file)| {
        let target = dir.join(path);
        match &file.body {
            Body::Bytes(bytes) => std::fs::write(&target, bytes),
            Body::Copy(from) => std::fs::copy(from, &target).map(|_| ()),
        }
    })
}

/// Puts `staging` at `out_dir`. On Linux an existing folder is exchanged in one atomic
/// step (renameat2 RENAME_EXCHANGE), so `out_dir` is always a complete site.
fn swap_into_place(staging: &Path, out_dir: &Path) -> std::io::Result<()> {
    if !out_dir.exists() {
        return std::fs::rename(staging, out_dir);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, staging, CWD, out_dir, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous site.
            return remove_tree(staging);
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
    std::fs::rename(staging, out_dir)?;
    remove_tree(&old)
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
    use crate::output::OutputFile;

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

    #[test]
    fn replaces_old_site_and_cleans_stale_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &output(&[("index.html", "one"), ("a/index.html", "a")]),
            &out,
        )
        .unwrap();
        std::fs::create_dir(dir.path().join(".public.tmp-999999")).unwrap();
        write_atomically(&output(&[("index.html", "two")]), &out).unwrap();
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
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(validate_output_dir(root, root).is_err());
        assert!(validate_output_dir(root, &root.join("content/out")).is_err());
        assert!(validate_output_dir(root, &root.join("..")).is_err());
        assert!(validate_output_dir(root, Path::new("/")).is_err());
        std::fs::write(root.join("file"), "x").unwrap();
        assert!(validate_output_dir(root, &root.join("file")).is_err());
        assert!(validate_output_dir(root, &root.join("public")).is_ok());
    }
}
