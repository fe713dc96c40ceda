//! Helpers for integration tests: fixture sites in temporary folders and the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, or `None` (with a message) when it is absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared is not present beside the repository");
        None
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of `tests/sites/NAME` in a temporary folder, with the repository's decred theme
/// unless the fixture brings its own `themes/`.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/sites").join(name), dir.path());
    with_theme(dir.path());
    dir
}

/// Adds the repository's theme to a site folder that has none.
pub fn with_theme(site: &Path) {
    if !site.join("themes").exists() {
        copy_dir(
            &repo_root().join("themes/decred"),
            &site.join("themes/decred"),
        );
    }
}

/// Writes `files` (path → text) into a new temporary site with the decred theme.
pub fn site_from(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    with_theme(dir.path());
    dir
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the real `dcrsite` binary and checks it did not panic.
pub fn dcrsite(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dcrsite"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run dcrsite");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "dcrsite panicked:\n{}",
        run.stderr
    );
    run
}

/// `dcrsite build --root SITE` plus `extra` arguments.
pub fn build(site: &Path, extra: &[&str]) -> Run {
    let root = site.to_str().unwrap();
    let mut args = vec!["build", "--root", root];
    args.extend_from_slice(extra);
    dcrsite(&args)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A test tool installed by `.ci/run` (under `tools/node_modules`). Absent locally, the
/// test skips with a message; under CI (`CI` set) its absence is a failure, so a broken
/// install can never turn the suite green by skipping.
pub fn tool(relative: &str) -> Option<PathBuf> {
    let path = repo_root().join("tools/node_modules").join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing: .ci/run must install it (npm ci --prefix tools)",
            path.display()
        );
    }
    eprintln!(
        "skipping: {} is not installed (run `npm ci --prefix tools`)",
        path.display()
    );
    None
}

/// Builds a site into a temporary folder and returns (guard, output folder).
pub fn build_to_temp(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = dcrsite(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (out, public)
}

/// A temporary site with the repository's theme, icons and site.yaml, but no content.
pub fn repo_site_without_content() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = repo_root();
    // Sites made from this one carry other pages; an explicit nav would name missing ones.
    let mut config: serde_yaml::Mapping =
        serde_yaml::from_str(&read(&root.join("site.yaml"))).unwrap();
    config.remove("nav");
    std::fs::write(
        dir.path().join("site.yaml"),
        serde_yaml::to_string(&config).unwrap(),
    )
    .unwrap();
    copy_dir(&root.join("assets"), &dir.path().join("assets"));
    copy_dir(&root.join("themes"), &dir.path().join("themes"));
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    dir
}
