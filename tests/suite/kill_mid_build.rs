//! Nothing is lost: a build killed with SIGKILL at any moment leaves `public/` as the
//! complete old site, the complete new one, or (a build from the cache updates the
//! folder in place) the old one part-way to the new one beside a committed journal,
//! `.public.journal`; the next run, even a build that then fails, first makes it the
//! whole new site. So after every kill, the next run yields exactly the old or the new
//! site, and the next build cleans up the staging folders killed builds leave behind.

#![cfg(unix)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

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
    let public = site.path().join("public");
    let reference = tempfile::tempdir().unwrap();

    // The two complete states public/ may ever hold.
    write_site(site.path(), "Version A.");
    let reference_a = reference.path().join("a");
    site.run(["build", "--output", reference_a.to_str().unwrap()])
        .expect_success();
    write_site(site.path(), "Version B.");
    let reference_b = reference.path().join("b");
    site.run(["build", "--output", reference_b.to_str().unwrap()])
        .expect_success();
    let (a, b) = (digest(&reference_a), digest(&reference_b));
    assert_ne!(a, b);

    // A round's build, timed: one version replacing the other in public/ with the cache
    // (faster than a build into a new folder), so the kill moments spread over it.
    site.run(["build"]).expect_success();
    write_site(site.path(), "Version A.");
    let started = Instant::now();
    site.run(["build"]).expect_success();
    let mut build_time = started.elapsed();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut kills = 0;
    let journal = site.path().join(".public.journal");
    let mut part_way = 0;
    // 16 rounds, more while too few builds were caught mid-way: on a loaded machine the
    // timed build may have been slower than the rounds.
    for round in 0..48 {
        if round >= 16 && kills >= 6 {
            break;
        }
        write_site(
            site.path(),
            if round % 2 == 0 {
                "Version B."
            } else {
                "Version A."
            },
        );
        // xorshift: a spread of kill moments across the whole build, reproducible.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = build_time.mul_f64((seed % 1000) as f64 / 1000.0 * 1.2);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dcrsite"))
            .args(["build", "--root", site.path().to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        } else {
            // It finished before the kill: aim earlier from now on.
            build_time = build_time.mul_f64(0.85);
        }
        child.wait().unwrap();
        let now = digest(&public);
        if now != a && now != b {
            assert!(
                journal.exists(),
                "round {round}: public/ is neither the old nor the new site, and no journal completes it (killed after {delay:?})"
            );
            part_way += 1;
        }
        // The next run, a build that fails (its configuration does not load), completes
        // the site first and then leaves it as it is.
        std::fs::write(site.path().join("site.yaml"), "title: [unclosed\n").unwrap();
        site.run(["build"]).expect_code(1);
        std::fs::write(site.path().join("site.yaml"), "title: Kill test\n").unwrap();
        let now = digest(&public);
        assert!(
            now == a || now == b,
            "round {round}: after the next run, public/ is neither the old nor the new site (killed after {delay:?})"
        );
        assert!(!journal.exists(), "round {round}: the journal is left");
    }
    eprintln!("{kills} builds killed, {part_way} part-way through an update in place");
    assert!(
        kills >= 6,
        "only {kills} builds were killed mid-way; the test did not exercise much"
    );

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
