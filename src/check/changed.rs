//! `check --changed-since REF`: the lines of the site's files that changed since a git
//! revision (committed, staged or not, and files git does not track yet), so a pull
//! request's check fetches only the external links it touched.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use super::CheckError;

/// Changed lines per file, paths relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedLines {
    files: HashMap<String, Vec<(usize, usize)>>,
}

/// Stands for "every line" of a new, untracked file.
const WHOLE_FILE: (usize, usize) = (1, usize::MAX);

impl ChangedLines {
    /// What changed in the site folder `root` since `reference`, by `git`.
    pub fn since(root: &Path, reference: &str) -> Result<ChangedLines, CheckError> {
        if reference.starts_with('-') {
            return Err(bad(reference, "a revision cannot start with `-`".into()));
        }
        let diff = git(
            root,
            &[
                "diff",
                "--unified=0",
                "--no-color",
                "--no-ext-diff",
                "--relative",
                reference,
                "--",
            ],
        )
        .map_err(|e| bad(reference, e))?;
        let mut changed = parse_diff(&diff);
        let untracked = git(root, &["ls-files", "--others", "--exclude-standard"])
            .map_err(|e| bad(reference, e))?;
        for path in untracked.lines().filter(|l| !l.is_empty()) {
            changed.files.insert(path.to_string(), vec![WHOLE_FILE]);
        }
        Ok(changed)
    }

    /// Whether line `line` of `file` changed; a place without a line counts when any
    /// line of its file changed.
    pub fn contains(&self, file: &str, line: Option<usize>) -> bool {
        let Some(ranges) = self.files.get(file) else {
            return false;
        };
        match line {
            None => !ranges.is_empty(),
            Some(l) => ranges.iter().any(|&(from, to)| (from..=to).contains(&l)),
        }
    }
}

fn bad(reference: &str, message: String) -> CheckError {
    CheckError::BadChangedSince(format!("`{reference}`: {message}"))
}

/// Runs git in `dir`; its output, or what went wrong.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-c")
        .arg("core.quotepath=off")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.lines().next().unwrap_or("git failed").to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The new side's line ranges of a `--unified=0` diff, by file.
fn parse_diff(diff: &str) -> ChangedLines {
    let mut changed = ChangedLines::default();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            current = path
                .trim_matches('"')
                .strip_prefix("b/")
                .map(str::to_string);
            if let Some(file) = &current {
                changed.files.entry(file.clone()).or_default();
            }
        } else if let (Some(hunk), Some(file)) = (line.strip_prefix("@@ "), &current) {
            if let Some(range) = new_range(hunk) {
                changed.files.entry(file.clone()).or_default().push(range);
            }
        }
    }
    changed
}

/// `-3,2 +5,4 @@ …` → lines 5 to 8; a hunk that only removes lines adds none.
fn new_range(hunk: &str) -> Option<(usize, usize)> {
    let new = hunk.split(' ').find_map(|part| part.strip_prefix('+'))?;
    let (start, count) = match new.split_once(',') {
        Some((s, c)) => (s.parse::<usize>().ok()?, c.parse::<usize>().ok()?),
        None => (new.parse::<usize>().ok()?, 1),
    };
    (count > 0).then(|| (start, start + count - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_new_side_of_hunks() {
        let diff = "diff --git a/content/a.md b/content/a.md\n--- a/content/a.md\n+++ b/content/a.md\n@@ -3 +3 @@ x\n-old\n+new\n@@ -10,2 +11,3 @@\n+a\n@@ -20,4 +23,0 @@\n--- /dev/null\n+++ b/content/new file.md\n@@ -0,0 +1,2 @@\n+x\n+y\n--- a/content/gone.md\n+++ /dev/null\n@@ -1 +0,0 @@\n";
        let c = parse_diff(diff);
        assert!(c.contains("content/a.md", Some(3)));
        assert!(!c.contains("content/a.md", Some(4)));
        assert!(c.contains("content/a.md", Some(11)) && c.contains("content/a.md", Some(13)));
        assert!(!c.contains("content/a.md", Some(14)) && !c.contains("content/a.md", Some(23)));
        assert!(c.contains("content/new file.md", Some(2)));
        assert!(c.contains("content/a.md", None));
        assert!(!c.contains("content/other.md", None));
        assert!(!c.contains("content/gone.md", Some(1)));
    }
}
