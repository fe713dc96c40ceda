//! The unchanged build (`.dcrsite-cache/inputs.bin`): a `build` that finds every input
//! as the last build recorded it renders nothing and gives the last build's warnings
//! again; after each kind of change it builds, and writes a clean build's files.
//!
//! Whether a build was the unchanged one is told by the record: an unchanged build
//! leaves `inputs.bin` as it is, any other removes it and writes it anew.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::changes::CHANGE_CASES;
use crate::common::{committed_basic_site, edit_file as edit, git_at, snapshot, Run, SiteTest};

type Env<'a> = &'a [(&'a str, &'a str)];
/// A change by name.
type Change = (&'static str, fn(&Path));

/// `dcrsite build --root ROOT EXTRA…` with `env` set.
fn build(root: &Path, env: Env, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dcrsite"))
        .args(["build", "--root", root.to_str().unwrap()])
        .args(extra)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .expect("run dcrsite");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The record as `lstat` sees it (its inode and times move when it is written anew).
fn record(root: &Path) -> Option<(u64, std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(root.join(".dcrsite-cache/inputs.bin")).ok()?;
    Some((
        meta.len(),
        meta.modified().unwrap(),
        std::os::unix::fs::MetadataExt::ino(&meta),
    ))
}

/// Builds, telling whether the build was the unchanged one.
fn build_seeing(root: &Path, env: Env) -> (Run, bool) {
    let before = record(root);
    let run = build(root, env, &[]);
    let unchanged = before.is_some() && record(root) == before;
    (run, unchanged)
}

/// Builds until a build is the unchanged one (a file written in the same tick of the
/// clock as a build's scan is not trusted, so the builds right after a change render);
/// returns it.
fn settle(root: &Path, env: Env) -> Run {
    for _ in 0..6 {
        std::thread::sleep(Duration::from_millis(30));
        let (run, unchanged) = build_seeing(root, env);
        run.expect_success();
        if unchanged {
            return run;
        }
    }
    panic!("no build was the unchanged one");
}

/// A clean build's output files and stderr (into a folder of its own, without the cache).
fn clean(root: &Path, env: Env) -> (Vec<(String, Vec<u8>)>, String) {
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("out");
    let run = build(
        root,
        env,
        &["--no-cache", "--output", folder.to_str().unwrap()],
    );
    run.expect_success();
    (snapshot(&folder), run.stderr)
}

fn output_of(root: &Path) -> std::path::PathBuf {
    if root.join("mkdocs.yml").exists() {
        root.join("site")
    } else {
        root.join("public")
    }
}

/// Builds `site` until the record is trusted, applies `change`, then builds with `env`:
/// that build must render, and write what a clean build writes, with its warnings; so
/// must the unchanged build after it.
fn check_change(name: &str, site: &SiteTest, change: impl FnOnce(&Path), env: Env) {
    let root = site.path();
    build(root, &[], &[]).expect_success();
    settle(root, &[]);
    change(root);
    let (run, unchanged) = build_seeing(root, env);
    run.expect_success();
    assert!(!unchanged, "{name}: the change is seen");
    let (files, stderr) = clean(root, env);
    assert!(
        snapshot(&output_of(root)) == files,
        "{name}: a clean build's files"
    );
    assert_eq!(run.stderr, stderr, "{name}: a clean build's warnings");
    let again = settle(root, env);
    assert!(
        snapshot(&output_of(root)) == files,
        "{name}: unchanged since"
    );
    assert_eq!(
        again.stderr, stderr,
        "{name}: unchanged since, the same warnings"
    );
}

#[test]
fn every_change_kind_of_the_shared_table_is_seen() {
    for case in CHANGE_CASES {
        let site = (case.site)();
        check_change(case.name, &site, |root| drop((case.change)(root)), &[]);
    }
}

#[test]
fn an_asset_a_static_file_an_icon_and_a_new_folder_are_seen() {
    let changes: [Change; 4] = [
        ("asset", |r| {
            std::fs::write(r.join("assets/extra.css"), "p{}").unwrap()
        }),
        ("static file", |r| {
            edit(&r.join("content/people/anna.svg"), "<svg", "<svg id=\"x\"")
        }),
        ("icon", |r| {
            edit(
                &r.join("assets/img/icons/Code.svg"),
                "<svg",
                "<svg id=\"y\"",
            )
        }),
        ("new folder", |r| {
            std::fs::create_dir(r.join("content/empty")).unwrap()
        }),
    ];
    for (name, change) in changes {
        check_change(name, &SiteTest::fixture("basic"), change, &[]);
    }
}

#[test]
fn mkdocs_yml_is_seen() {
    let site = SiteTest::fixture("mkdocs");
    let change = |r: &Path| {
        let text = std::fs::read_to_string(r.join("mkdocs.yml")).unwrap();
        std::fs::write(
            r.join("mkdocs.yml"),
            text.replacen("site_name: ", "site_name: New ", 1),
        )
        .unwrap()
    };
    check_change("mkdocs.yml", &site, change, &[]);
}

/// Only the time moves: the file is read again, and the output is the same.
#[test]
fn a_touch_is_seen() {
    let touch = |r: &Path| {
        let file = std::fs::File::options()
            .append(true)
            .open(r.join("content/guide.md"));
        let now = std::time::SystemTime::now();
        file.unwrap().set_modified(now).unwrap();
    };
    check_change("touch", &SiteTest::fixture("basic"), touch, &[]);
}

/// A `DCRSITE_` variable a template reads, and one `!ENV` in mkdocs.yml reads.
#[test]
fn environment_variables_are_seen() {
    let site = SiteTest::fixture("basic").edit(
        "templates/special.html",
        "</",
        "{{ get_env(name=\"DCRSITE_STAMP_TEST\", default=\"unset\") }}</",
    );
    check_change(
        "DCRSITE_ variable",
        &site,
        |_| {},
        &[("DCRSITE_STAMP_TEST", "set")],
    );
    let site = SiteTest::fixture("mkdocs").edit(
        "mkdocs.yml",
        "site_name: Fixture Docs",
        "site_name: !ENV [STAMP_NAME, Fixture Docs]",
    );
    check_change(
        "!ENV variable",
        &site,
        |_| {},
        &[("STAMP_NAME", "Other Docs")],
    );
}

/// An output file edited or removed by hand, or a file added there: the build does
/// what it would do without the record (restores the files; refuses a foreign one).
#[test]
fn a_changed_output_folder_is_seen() {
    let public = |r: &Path| r.join("public");
    let changes: [Change; 2] = [
        ("edited", |r| {
            edit(&r.join("public/guide/index.html"), "<", "<!-- -->\n<")
        }),
        ("removed", |r| {
            std::fs::remove_file(r.join("public/index.html")).unwrap()
        }),
    ];
    for (name, change) in changes {
        check_change(name, &SiteTest::fixture("basic"), change, &[]);
    }
    for added in ["mine.txt", "guide/mine.txt"] {
        let site = SiteTest::fixture("basic");
        let root = site.path();
        build(root, &[], &[]).expect_success();
        settle(root, &[]);
        std::fs::write(public(root).join(added), "mine").unwrap();
        build(root, &[], &[])
            .expect_code(1)
            .expect_stderr_contains(&format!("dcrsite did not write `{added}`"));
    }
}

/// A page edited: the build updates the output in place without listing it again (its
/// folders are as the last build recorded them), and the next build still refuses a
/// file added since, in a folder that update wrote into or in one it did not.
#[test]
fn a_file_added_after_an_update_in_place_is_refused() {
    for added in ["mine.txt", "guide/mine.txt", "sub/page/mine.txt"] {
        let site = SiteTest::fixture("basic");
        let root = site.path();
        build(root, &[], &[]).expect_success();
        settle(root, &[]);
        let guide = root.join("content/guide.md");
        edit(&guide, "Set things up.", "Set things up now.");
        build(root, &[], &[]).expect_success();
        std::thread::sleep(Duration::from_millis(30));
        std::fs::write(root.join("public").join(added), "mine").unwrap();
        edit(&guide, "Set things up now.", "Set things up today.");
        build(root, &[], &[])
            .expect_code(1)
            .expect_stderr_contains(&format!("dcrsite did not write `{added}`"));
        let kept = std::fs::read_to_string(root.join("public").join(added));
        assert_eq!(kept.unwrap(), "mine", "{added}");
    }
}

/// A commit that changes no file's text still changes the page dates from git.
#[test]
fn a_new_commit_is_seen() {
    let Some(site) = committed_basic_site() else {
        return;
    };
    let amend = |r: &Path| {
        let args = ["commit", "-q", "--amend", "--no-edit", "--reset-author"];
        assert!(git_at(r, &args, "2025-06-01T00:00:00Z"));
    };
    check_change("amended commit", &site, amend, &[]);
}

/// The unchanged build prints the last build's warnings, exits as it did, and counts
/// the same pages and files; `--no-cache` and other options are builds of their own.
#[test]
fn an_unchanged_build_gives_the_same_warnings() {
    let site = SiteTest::fixture("basic");
    let root = site.path();
    let first = build(root, &[], &[]);
    first.expect_success();
    assert!(first.stderr.contains("warning"), "{}", first.stderr);
    let again = settle(root, &[]);
    assert_eq!(again.stderr, first.stderr);
    let counts = |run: &Run| run.stdout.split(" in ").next().unwrap().to_string();
    assert_eq!(counts(&again), counts(&first));
    let before = record(root);
    build(root, &[], &["--base-url", "https://example.org/x/"]).expect_success();
    assert_ne!(record(root), before, "another base URL renders");
}

/// `strict: true` with warnings MkDocs reports at info level: the unchanged build
/// passes and warns as the build before it.
#[test]
fn a_strict_build_is_given_again_as_it_was() {
    let site = SiteTest::fixture("mkdocs").append("mkdocs.yml", "strict: true\n");
    let root = site.path();
    let first = build(root, &[], &[]);
    let again = settle_or_failing(root, &first);
    assert_eq!((again.code, again.stderr), (first.code, first.stderr));
}

/// A failing build records nothing: every build after it fails the same way.
fn settle_or_failing(root: &Path, first: &Run) -> Run {
    if first.code == 0 {
        return settle(root, &[]);
    }
    std::thread::sleep(Duration::from_millis(30));
    assert!(record(root).is_none(), "a failed build records nothing");
    build(root, &[], &[])
}
