//! The output folder, table-driven: dcrsite never deletes what it did not write. A
//! symlinked output is written through and stays a symlink; a folder holding files
//! dcrsite did not write is replaced only with `--force`; source folders, hidden folders,
//! `.git` and folders holding the home folder are refused even then; two builds into one
//! output never remove each other's staging folder.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// What must hold in the work folder (which holds the site in `site/`) after the build.
enum Expect {
    /// This path (relative to the work folder) exists.
    Kept(&'static str),
    /// This path does not exist.
    Gone(&'static str),
    /// This path is still a symlink.
    Symlink(&'static str),
    /// This folder holds a built site.
    Built(&'static str),
    /// No staging folder is left beside the site or in the work folder.
    NoStaging,
}
use Expect::*;

struct Case {
    name: &'static str,
    /// Prepares the work folder; the site made by `dcrsite init` is in `site/`.
    setup: fn(&Path),
    /// Arguments after `build --root {root}`; `{root}` and `{work}` are replaced.
    args: &'static [&'static str],
    /// `HOME` for the build, relative to the work folder (else the tests' own).
    home: Option<&'static str>,
    /// How many times the build runs; each run must end with `code`.
    runs: usize,
    code: i32,
    /// Substrings of stderr.
    stderr: &'static [&'static str],
    after: &'static [Expect],
}

const CASE: Case = Case {
    name: "",
    setup: |_| {},
    args: &[],
    home: None,
    runs: 1,
    code: 0,
    stderr: &[],
    after: &[],
};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn append(path: &Path, text: &str) {
    let before = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, before + text).unwrap();
}

/// `deploy/keep` (a file dcrsite did not write) and `site/public -> ../deploy`.
fn symlink_to_deploy_with_keep(w: &Path) {
    write(&w.join("deploy/keep"), "x");
    symlink("../deploy", w.join("site/public")).unwrap();
}

/// Turns the site into an MkDocs project: `docs_dir: src/docs`, snippets from `snips`,
/// and a `watch:` list naming `extra` and `../shared` (outside the site).
fn mkdocs_project(w: &Path) {
    let site = w.join("site");
    std::fs::remove_file(site.join("site.yaml")).unwrap();
    write(
        &site.join("mkdocs.yml"),
        "site_name: Docs\ndocs_dir: src/docs\nwatch:\n  - extra\n  - ../shared\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: snips\n",
    );
    write(&site.join("src/docs/index.md"), "# Home\n");
    write(&site.join("snips/s.md"), "snippet\n");
    write(&site.join("extra/e.txt"), "extra\n");
    write(&w.join("shared/s.txt"), "shared\n");
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "symlinked output holding a file dcrsite did not write",
            setup: symlink_to_deploy_with_keep,
            code: 1,
            stderr: &["deploy", "`keep`"],
            after: &[
                Kept("deploy/keep"),
                Symlink("site/public"),
                Gone("deploy/index.html"),
                NoStaging,
            ],
            ..CASE
        },
        Case {
            name: "symlinked output holding a file dcrsite did not write, with --force",
            setup: symlink_to_deploy_with_keep,
            args: &["--force"],
            after: &[
                Symlink("site/public"),
                Built("deploy"),
                Gone("deploy/keep"),
                NoStaging,
            ],
            ..CASE
        },
        Case {
            name: "symlinked output to an empty folder, built twice",
            setup: |w| {
                std::fs::create_dir(w.join("deploy")).unwrap();
                symlink("../deploy", w.join("site/public")).unwrap();
            },
            runs: 2,
            after: &[Symlink("site/public"), Built("deploy"), NoStaging],
            ..CASE
        },
        Case {
            name: "symlinked output to a folder not made yet",
            setup: |w| symlink("../deploy", w.join("site/public")).unwrap(),
            after: &[Symlink("site/public"), Built("deploy"), NoStaging],
            ..CASE
        },
        Case {
            name: "symlinked output to the site root",
            setup: |w| symlink(".", w.join("site/public")).unwrap(),
            args: &["--force"],
            code: 1,
            stderr: &["site root"],
            after: &[Kept("site/site.yaml"), Symlink("site/public")],
            ..CASE
        },
        Case {
            name: "symlinked output to content/",
            setup: |w| symlink("content", w.join("site/public")).unwrap(),
            args: &["--force"],
            code: 1,
            stderr: &["content"],
            after: &[Kept("site/content/_index.md"), Symlink("site/public")],
            ..CASE
        },
        Case {
            name: "folder holding a file dcrsite did not write",
            setup: |w| write(&w.join("site/public/CNAME"), "example.org"),
            code: 1,
            stderr: &["`CNAME`"],
            after: &[Kept("site/public/CNAME"), Gone("site/public/index.html")],
            ..CASE
        },
        Case {
            name: "folder holding a file dcrsite did not write, with --force",
            setup: |w| write(&w.join("site/public/CNAME"), "example.org"),
            args: &["--force"],
            after: &[Built("site/public"), Gone("site/public/CNAME"), NoStaging],
            ..CASE
        },
        Case {
            name: "empty existing folder",
            setup: |w| std::fs::create_dir(w.join("site/public")).unwrap(),
            after: &[Built("site/public"), NoStaging],
            ..CASE
        },
        Case {
            name: "previous build with a file added by hand",
            setup: |w| {
                SiteTest::at(&w.join("site"))
                    .run(["build"])
                    .expect_success();
                write(&w.join("site/public/guide/notes.txt"), "mine");
            },
            code: 1,
            stderr: &["`guide/notes.txt`"],
            after: &[Kept("site/public/guide/notes.txt"), Built("site/public")],
            ..CASE
        },
        Case {
            name: "output holding a git repository, even with --force",
            setup: |w| write(&w.join("site/public/.git/HEAD"), "ref: refs/heads/main\n"),
            args: &["--force"],
            code: 1,
            stderr: &[".git"],
            after: &[Kept("site/public/.git/HEAD")],
            ..CASE
        },
        Case {
            name: "output is .git",
            setup: |w| write(&w.join("site/.git/HEAD"), "ref: refs/heads/main\n"),
            args: &["--output", "{root}/.git", "--force"],
            code: 1,
            stderr: &[".git"],
            after: &[Kept("site/.git/HEAD")],
            ..CASE
        },
        Case {
            name: "output inside .git",
            setup: |w| write(&w.join("site/.git/HEAD"), "ref: refs/heads/main\n"),
            args: &["--output", "{root}/.git/site"],
            code: 1,
            stderr: &[".git"],
            after: &[Gone("site/.git/site")],
            ..CASE
        },
        Case {
            name: "output inside a hidden folder of the project",
            args: &["--output", "{root}/.cache/site"],
            code: 1,
            stderr: &["hidden folder `.cache/`"],
            after: &[Gone("site/.cache")],
            ..CASE
        },
        Case {
            name: "output contains the home folder",
            setup: |w| write(&w.join("users/me/notes.txt"), "mine"),
            args: &["--output", "{work}/users", "--force"],
            home: Some("users/me"),
            code: 1,
            stderr: &["home folder"],
            after: &[Kept("users/me/notes.txt")],
            ..CASE
        },
        Case {
            name: "output contains the site root",
            args: &["--output", "{work}", "--force"],
            code: 1,
            stderr: &["site root"],
            after: &[Kept("site/site.yaml")],
            ..CASE
        },
        Case {
            name: "output is a source folder, even with --force",
            args: &["--output", "{root}/assets", "--force"],
            code: 1,
            stderr: &["source folder `assets/`"],
            after: &[Kept("site/assets/img/icons/Home.svg")],
            ..CASE
        },
        Case {
            name: "output contains the MkDocs docs_dir",
            setup: mkdocs_project,
            args: &["--output", "{root}/src", "--force"],
            code: 1,
            stderr: &["source folder `src/docs/`"],
            after: &[Kept("site/src/docs/index.md")],
            ..CASE
        },
        Case {
            name: "output inside the MkDocs docs_dir",
            setup: mkdocs_project,
            args: &["--output", "{root}/src/docs/site"],
            code: 1,
            stderr: &["source folder `src/docs/`"],
            after: &[Gone("site/src/docs/site")],
            ..CASE
        },
        Case {
            name: "output is a snippet base_path",
            setup: mkdocs_project,
            args: &["--output", "{root}/snips", "--force"],
            code: 1,
            stderr: &["source folder `snips/`"],
            after: &[Kept("site/snips/s.md")],
            ..CASE
        },
        Case {
            name: "output inside a watch: folder",
            setup: mkdocs_project,
            args: &["--output", "{root}/extra/site"],
            code: 1,
            stderr: &["source folder `extra/`"],
            after: &[Gone("site/extra/site")],
            ..CASE
        },
        Case {
            name: "output is a watch: folder outside the site",
            setup: mkdocs_project,
            args: &["--output", "{work}/shared", "--force"],
            code: 1,
            stderr: &["source folder `../shared/`"],
            after: &[Kept("shared/s.txt")],
            ..CASE
        },
        Case {
            name: "MkDocs project into its default folder, site/ as mkdocs build writes it",
            setup: mkdocs_project,
            after: &[Built("site/site"), Gone("site/public"), NoStaging],
            ..CASE
        },
        Case {
            name: "MkDocs project into its site_dir",
            setup: |w| {
                mkdocs_project(w);
                append(&w.join("site/mkdocs.yml"), "site_dir: build/html\n");
            },
            after: &[Built("site/build/html"), Gone("site/site"), NoStaging],
            ..CASE
        },
        Case {
            name: "MkDocs project: --output wins over site_dir",
            setup: |w| {
                mkdocs_project(w);
                append(&w.join("site/mkdocs.yml"), "site_dir: build/html\n");
            },
            args: &["--output", "{root}/out"],
            after: &[Built("site/out"), Gone("site/build"), NoStaging],
            ..CASE
        },
        Case {
            name: "MkDocs site_dir is the docs_dir, even with --force",
            setup: |w| {
                mkdocs_project(w);
                append(&w.join("site/mkdocs.yml"), "site_dir: src/docs\n");
            },
            args: &["--force"],
            code: 1,
            stderr: &["source folder `src/docs/`"],
            after: &[Kept("site/src/docs/index.md")],
            ..CASE
        },
        Case {
            name: "MkDocs site/ written by mkdocs build is replaced only with --force",
            setup: |w| {
                mkdocs_project(w);
                write(&w.join("site/site/index.html"), "by mkdocs");
            },
            code: 1,
            stderr: &["`index.html`", "--force"],
            after: &[Kept("site/site/index.html")],
            ..CASE
        },
    ]
}

/// Runs the real binary with `HOME` set as asked; checks it did not panic.
fn run(args: &[String], home: Option<&Path>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dcrsite"));
    command.args(args).env("NO_COLOR", "1");
    if let Some(home) = home {
        command.env("HOME", home);
    }
    let out = command.output().expect("run dcrsite");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// A work folder holding a fresh `dcrsite init` site in `site/`.
fn work_with_site() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    // Canonical, so messages and paths compare whatever /tmp is.
    let w = work.path().canonicalize().unwrap();
    let init = dcrsite(&["init", w.join("site").to_str().unwrap()]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    (work, w)
}

fn staging_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
                .collect()
        })
        .unwrap_or_default()
}

fn problems_after(w: &Path, expect: &Expect) -> Option<String> {
    match expect {
        Kept(p) => (!w.join(p).exists()).then(|| format!("{p} is gone")),
        Gone(p) => w.join(p).exists().then(|| format!("{p} exists")),
        Symlink(p) => (!w.join(p).is_symlink()).then(|| format!("{p} is no longer a symlink")),
        Built(p) => {
            (!w.join(p).join("index.html").is_file()).then(|| format!("{p} holds no built site"))
        }
        NoStaging => {
            let left: Vec<String> = [w.to_path_buf(), w.join("site")]
                .iter()
                .flat_map(|d| staging_in(d))
                .collect();
            (!left.is_empty()).then(|| format!("staging folders left: {left:?}"))
        }
    }
}

#[test]
fn output_folder_table() {
    let mut failures = Vec::new();
    for c in cases() {
        let (_guard, w) = work_with_site();
        (c.setup)(&w);
        let root = w.join("site").to_str().unwrap().to_string();
        let work = w.to_str().unwrap().to_string();
        let mut args: Vec<String> = vec!["build".into(), "--root".into(), root.clone()];
        args.extend(
            c.args
                .iter()
                .map(|a| a.replace("{root}", &root).replace("{work}", &work)),
        );
        let home = c.home.map(|h| w.join(h));
        let mut problems = Vec::new();
        let mut last = None;
        for i in 0..c.runs {
            let r = run(&args, home.as_deref());
            if r.code != c.code {
                problems.push(format!(
                    "run {}: exit {} (expected {})",
                    i + 1,
                    r.code,
                    c.code
                ));
            }
            last = Some(r);
        }
        let last = last.unwrap();
        problems.extend(
            c.stderr
                .iter()
                .filter(|s| !last.stderr.contains(*s))
                .map(|s| format!("stderr lacks `{s}`")),
        );
        problems.extend(c.after.iter().filter_map(|e| problems_after(&w, e)));
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n    {}\n    stderr: {}",
                c.name,
                problems.join("\n    "),
                last.stderr.trim().replace('\n', "\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_build_writes_a_manifest_of_its_files() {
    let (_guard, w) = work_with_site();
    let site = SiteTest::at(&w.join("site"));
    site.run(["build"]).expect_success();
    let manifest = site.read("public/.dcrsite-manifest");
    let listed: Vec<&str> = manifest.lines().filter(|l| !l.starts_with('#')).collect();
    let mut on_disk: Vec<String> = site
        .snapshot("public")
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p != ".dcrsite-manifest")
        .collect();
    on_disk.sort();
    assert_eq!(listed, on_disk, "the manifest lists every file written");
    assert!(listed.contains(&"index.html"));
}

/// Holds the lock a build takes on the output's parent folder while it writes.
struct HeldLock(#[allow(dead_code)] std::fs::File);

fn hold_lock(dir: &Path) -> HeldLock {
    let file = std::fs::File::open(dir).unwrap();
    rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
    HeldLock(file)
}

#[test]
fn a_build_never_removes_the_staging_folder_of_a_build_still_writing() {
    let (_guard, w) = work_with_site();
    let site = SiteTest::at(&w.join("site"));
    site.run(["build"]).expect_success();
    let before = site.snapshot("public");
    // Another build is writing: it holds the lock and its staging folder is half full.
    let lock = hold_lock(site.path());
    let site = site.file(".public.tmp-1/index.html", "half");
    site.run(["build"])
        .expect_code(1)
        .expect_stderr_contains("another dcrsite build is writing")
        .expect_stderr_contains("untouched");
    assert_eq!(site.read(".public.tmp-1/index.html"), "half");
    assert_eq!(before, site.snapshot("public"));
    // That build died: its staging folder is now stale and the next build removes it.
    drop(lock);
    site.run(["build"]).expect_success();
    assert!(!site.exists(".public.tmp-1"));
}

#[test]
fn builds_into_one_output_at_once_never_break_each_other() {
    let (_guard, w) = work_with_site();
    let site = SiteTest::at(&w.join("site"));
    site.run(["build"]).expect_success();
    let reference = site.snapshot("public");
    for round in 0..6 {
        let children: Vec<_> = (0..3)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_dcrsite"))
                    .args(["build", "--root", site.path().to_str().unwrap()])
                    .env("NO_COLOR", "1")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || stderr.contains("another dcrsite build is writing"),
                "round {round}: {stderr}"
            );
        }
        assert_eq!(reference, site.snapshot("public"), "round {round}");
        assert!(staging_in(site.path()).is_empty(), "round {round}");
    }
}
