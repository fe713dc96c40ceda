//! Nothing is lost: a build killed with SIGKILL at any moment leaves `public/` as the
//! complete old site, the complete new one, or (a build from the cache updates the
//! folder in place) the old one part-way to the new one beside a committed journal,
//! `.public.journal`; the next run, even a build that then fails, first makes it the
//! whole new site. So after every kill, the next run yields exactly the old or the new
//! site, and the next build cleans up the staging folders killed builds leave behind.

#![cfg(unix)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;

/// A site big enough that a build takes a noticeable moment.
fn write_site(root: &Path, marker: &str) {
    std::fs::create_dir_all(root.join("content/docs")).unwrap();
    std::fs::write(root.join("site.yaml"), "title: Kill test\n").unwrap();
    for i in 0..120 {
        let body = format!(
            "---\ntitle: Page {i}\n---\n{marker}\n\n## Section\n\n```rust\nfn f{i}() -> u32 {{ {i} }}\n```\n\nSee [next](p{}.md).\n",
            (i + 1) % 120
        );
        std::fs::write(root.join(format!("content/docs/p{i}.md")), body).unwrap();
    }
}

fn digest(dir: &Path) -> Vec<(String, Vec<u8>)> {
    if dir.exists() {
        snapshot(dir)
    } else {
        Vec::new()
    }
}

#[test]
fn killed_builds_never_leave_a_partial_site() {
    let site = SiteTest::new().theme();
    let reference = tempfile::tempdir().unwrap();
    let (a, b) = (
        reference_build(&site, "Version A.", &reference.path().join("a")),
        reference_build(&site, "Version B.", &reference.path().join("b")),
    );
    assert_ne!(a, b);
    let mut rounds = Rounds {
        build_time: timed_build(&site),
        seed: 0x2545_f491_4f6c_dd1d,
        kills: 0,
        part_way: 0,
    };
    // 16 rounds, more while too few builds were caught mid-way: on a loaded machine the
    // timed build may have been slower than the rounds.
    for round in 0..48 {
        if round >= 16 && rounds.kills >= 6 {
            break;
        }
        rounds.kill_one(&site, round, [&a, &b]);
    }
    let (kills, part_way) = (rounds.kills, rounds.part_way);
    eprintln!("{kills} builds killed, {part_way} part-way through an update in place");
    assert!(
        kills >= 6,
        "only {kills} builds were killed mid-way; the test did not exercise much"
    );
    staging_folders_are_cleaned_up(&site);
}

/// One of the two complete states `public/` may ever hold: the site with `marker`,
/// built into `folder`.
fn reference_build(site: &SiteTest, marker: &str, folder: &Path) -> Vec<(String, Vec<u8>)> {
    write_site(site.path(), marker);
    site.run(["build", "--output", folder.to_str().unwrap()])
        .expect_success();
    digest(folder)
}

/// A round's build, timed: one version replacing the other in public/ with the cache
/// (faster than a build into a new folder), so the kill moments spread over it.
fn timed_build(site: &SiteTest) -> Duration {
    site.run(["build"]).expect_success();
    write_site(site.path(), "Version A.");
    let started = Instant::now();
    site.run(["build"]).expect_success();
    started.elapsed()
}

/// The kill rounds: when to kill, and what was caught.
struct Rounds {
    /// How long a build takes, as far as the rounds have seen.
    build_time: Duration,
    /// xorshift state: a spread of kill moments across the whole build, reproducible.
    seed: u64,
    kills: usize,
    /// Kills that left `public/` part-way through an update in place.
    part_way: usize,
}

impl Rounds {
    /// Builds the other version and kills the build at a moment of the seed's choosing;
    /// then `public/` must be one of `sites` or completed by the journal, and after the
    /// next run (a build that fails) one of `sites`, without a journal.
    fn kill_one(&mut self, site: &SiteTest, round: usize, sites: [&Vec<(String, Vec<u8>)>; 2]) {
        let marker = ["Version B.", "Version A."][round % 2];
        write_site(site.path(), marker);
        let delay = self.next_delay();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dcrsite"))
            .args(["build", "--root", site.path().to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            self.kills += 1;
        } else {
            // It finished before the kill: aim earlier from now on.
            self.build_time = self.build_time.mul_f64(0.85);
        }
        child.wait().unwrap();
        let public = site.path().join("public");
        let journal = site.path().join(".public.journal");
        let now = digest(&public);
        if !sites.contains(&&now) {
            assert!(
                journal.exists(),
                "round {round}: public/ is neither the old nor the new site, and no journal completes it (killed after {delay:?})"
            );
            self.part_way += 1;
        }
        // The next run, a build that fails (its configuration does not load), completes
        // the site first and then leaves it as it is.
        std::fs::write(site.path().join("site.yaml"), "title: [unclosed\n").unwrap();
        site.run(["build"]).expect_code(1);
        std::fs::write(site.path().join("site.yaml"), "title: Kill test\n").unwrap();
        let now = digest(&public);
        assert!(
            sites.contains(&&now),
            "round {round}: after the next run, public/ is neither the old nor the new site (killed after {delay:?})"
        );
        assert!(!journal.exists(), "round {round}: the journal is left");
    }

    /// A moment within 1.2 times the build's time.
    fn next_delay(&mut self) -> Duration {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        self.build_time
            .mul_f64((self.seed % 1000) as f64 / 1000.0 * 1.2)
    }
}

/// The staging folders killed builds left beside `public/` are gone after a build.
fn staging_folders_are_cleaned_up(site: &SiteTest) {
    let staging_left = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public."))
        .count();
    site.run(["build"]).expect_success();
    let after: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(
        after.is_empty(),
        "stale staging folders remain: {after:?} (before the clean build: {staging_left})"
    );
}
