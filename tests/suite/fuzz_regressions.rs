//! Replays every input that once crashed a fuzz target (`fuzz/`), through the same
//! harness code the fuzzers run, plus the seed inputs. Crashing inputs live in
//! `tests/fuzz_regressions/<target>/`, one file each, named after what they exercise.

use crate::common;

#[path = "../../fuzz/src/lib.rs"]
mod harness;

use std::path::Path;

/// Runs `run` on every file of `tests/fuzz_regressions/<target>/`, `fuzz/seeds/<target>/`
/// and the `more_seeds` folders (relative to the repository); returns how many inputs it
/// ran.
fn replay(target: &str, run: fn(&[u8]), more_seeds: &[&str]) -> usize {
    let root = common::repo_root();
    let mut count = 0;
    let dirs = [
        root.join("tests/fuzz_regressions").join(target),
        root.join("fuzz/seeds").join(target),
    ];
    for dir in dirs
        .into_iter()
        .chain(more_seeds.iter().map(|d| root.join(d)))
    {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && !is_hidden(p))
            .collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let result = std::panic::catch_unwind(|| run(&data));
            assert!(result.is_ok(), "{} crashes {target}", file.display());
            count += 1;
        }
    }
    count
}

fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

#[test]
fn front_matter_inputs() {
    assert!(replay("front_matter", harness::front_matter::run, &[]) > 0);
}

#[test]
fn markdown_inputs() {
    assert!(replay("markdown", harness::markdown::run, &[]) > 0);
}

#[test]
fn check_links_inputs() {
    assert!(
        replay(
            "check_links",
            harness::check_links::run,
            // The checker's HTML fixture doubles as seeds.
            &["tests/sites/html"],
        ) > 0
    );
}
