//! "Last updated" dates from git: one `git log` over the whole history gives every
//! file's newest commit, so a site of thousands of pages costs one process, not one per
//! page. The date is the commit's author date, so the same history always gives the
//! same dates. Outside a git repository (or without git) there are simply no dates.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// Site-root-relative path (`/` separators) → the newest author date (Unix seconds) of a
/// commit that touched it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GitDates {
    dates: HashMap<String, i64>,
}

impl GitDates {
    /// Reads the history of the repository holding `root`, paths relative to `root`.
    pub(crate) fn read(root: &Path) -> GitDates {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            // Unquoted paths, so non-ASCII names match the content's.
            .args(["-c", "core.quotePath=off", "log", "--relative"])
            .args(["--no-renames", "--name-only", "--format=%x00%at"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output();
        match output {
            Ok(out) if out.status.success() => parse(&String::from_utf8_lossy(&out.stdout)),
            _ => GitDates::default(),
        }
    }

    /// The date `path` (relative to the site root) was last committed, as `YYYY-MM-DD`
    /// (UTC).
    pub(crate) fn date_of(&self, path: &str) -> Option<String> {
        self.dates.get(path).map(|&t| iso_date(t))
    }
}

/// `git log --name-only --format=%x00%at` output: each commit is a NUL, its date, and
/// the files it touched, one a line.
fn parse(log: &str) -> GitDates {
    let mut dates: HashMap<String, i64> = HashMap::new();
    for commit in log.split('\0').skip(1) {
        let mut lines = commit.lines();
        let Some(Ok(time)) = lines.next().map(|l| l.trim().parse::<i64>()) else {
            continue;
        };
        for path in lines.filter(|l| !l.is_empty()) {
            // The newest date wins whatever order the history lists commits in.
            let newest = dates.entry(path.to_string()).or_insert(time);
            *newest = (*newest).max(time);
        }
    }
    GitDates { dates }
}

/// Unix seconds → `YYYY-MM-DD` in UTC (Howard Hinnant's days-to-civil algorithm).
fn iso_date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str], date: &str) {
        let status = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .stdout(Stdio::null())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    fn commit(dir: &Path, file: &str, text: &str, date: &str) {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        git(dir, &["add", "."], date);
        git(dir, &["commit", "-q", "-m", file], date);
    }

    #[test]
    fn each_file_gets_its_newest_commit_date_from_one_pass() {
        let repo = tempfile::tempdir().unwrap();
        git(repo.path(), &["init", "-q"], "2020-01-01T00:00:00Z");
        commit(
            repo.path(),
            "site/content/a.md",
            "a",
            "2021-03-04T10:00:00Z",
        );
        commit(
            repo.path(),
            "site/content/b ü.md",
            "b",
            "2022-05-06T23:59:59Z",
        );
        commit(
            repo.path(),
            "site/content/a.md",
            "a2",
            "2023-07-08T00:00:01Z",
        );
        commit(repo.path(), "other/c.md", "c", "2024-01-01T00:00:00Z");
        let dates = GitDates::read(&repo.path().join("site"));
        assert_eq!(dates.date_of("content/a.md").as_deref(), Some("2023-07-08"));
        assert_eq!(
            dates.date_of("content/b ü.md").as_deref(),
            Some("2022-05-06")
        );
        assert_eq!(dates.date_of("other/c.md"), None, "outside the site");
        assert_eq!(dates.date_of("content/new.md"), None);
        // The same history gives the same dates.
        assert_eq!(dates, GitDates::read(&repo.path().join("site")));
    }

    #[test]
    fn outside_a_repository_there_are_no_dates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "a").unwrap();
        let dates = GitDates::read(dir.path());
        assert_eq!(dates, GitDates::default());
    }

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(951_782_400), "2000-02-29");
        assert_eq!(iso_date(1_709_251_199), "2024-02-29");
        assert_eq!(iso_date(-1), "1969-12-31");
    }
}
