//! A cached build does not read the Markdown files the scan of its inputs finds as the
//! last build read them: their front matter comes from the build cache, and their body
//! is read (and checked against the cache's digest) only when the page is rendered
//! again. Each kind of change below must still be read, and give a clean build's files.

use std::path::Path;
use std::time::Duration;

use crate::common::{changes, edit_file as edit, snapshot, SiteTest};

use dcrsite::build::BuildSummary;
use dcrsite::site::BuildOptions;

/// `dcrsite build` of `root` with the cache, in this process (to see its `CacheUse`).
fn build(root: &Path) -> BuildSummary {
    let options = BuildOptions {
        root: root.to_path_buf(),
        cache: Some(root.join(".dcrsite-cache")),
        ..BuildOptions::default()
    };
    dcrsite::build::build(&options, None, false).expect("the site builds")
}

/// Builds until a build is the unchanged one: its inputs' record is then trusted (a
/// file written in the same tick of the clock as a build's scan is not), so the next
/// build knows which files are as the last one read them.
fn settle(root: &Path) {
    for _ in 0..6 {
        std::thread::sleep(Duration::from_millis(30));
        if build(root).unchanged {
            return;
        }
    }
    panic!("no build was the unchanged one");
}

/// The files of a clean build of `site` (no cache, a folder of its own).
fn clean_output(site: &SiteTest) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("out");
    site.run(["build", "--no-cache", "--output", folder.to_str().unwrap()])
        .expect_success();
    snapshot(&folder)
}

/// Settles `site`, applies `change`, builds from the cache: `reused` pages were taken
/// from the cache without reading their file, no warning about the cache, and the
/// output is a clean build's.
fn check(name: &str, site: &SiteTest, output: &str, change: impl FnOnce(&Path), reused: usize) {
    let root = site.path();
    build(root);
    settle(root);
    change(root);
    let summary = build(root);
    assert!(!summary.unchanged, "{name}: the change is seen");
    assert_eq!(summary.cache_warning, None, "{name}");
    assert_eq!(
        summary.cache_use.sources_reused, reused,
        "{name}: files not read"
    );
    assert!(
        snapshot(&root.join(output)) == clean_output(site),
        "{name}: a clean build's files"
    );
}

/// The basic site has ten pages with a file (and a draft, not built).
const BASIC_PAGES: usize = 10;

#[test]
fn an_edited_renamed_or_retitled_page_is_read_again_and_the_others_are_not() {
    type Change = fn(&Path);
    let cases: [(&str, Change, usize); 4] = [
        (
            "a body edit",
            |r| {
                edit(
                    &r.join("content/sub/page.md"),
                    "Raw HTML stays.",
                    "Raw HTML, edited.",
                )
            },
            BASIC_PAGES - 1,
        ),
        (
            "a front matter edit",
            |r| {
                edit(
                    &r.join("content/guide.md"),
                    "title: The guide",
                    "title: The handbook",
                )
            },
            BASIC_PAGES - 1,
        ),
        (
            "a rename",
            |r| std::fs::rename(r.join("content/renamed.md"), r.join("content/moved.md")).unwrap(),
            BASIC_PAGES - 1,
        ),
        // Every page's Markdown is rendered again: every body is read, none of the
        // files parsed again.
        (
            "a new page",
            |r| std::fs::write(r.join("content/new.md"), "# New\n\nFresh.\n").unwrap(),
            BASIC_PAGES,
        ),
    ];
    for (name, change, reused) in cases {
        let site = SiteTest::fixture("basic");
        check(name, &site, "public", change, reused);
    }
}

/// A page whose file is unchanged but whose included file changed is rendered again
/// from its body, read then (its front matter still from the cache).
#[test]
fn a_page_whose_snippet_changed_is_rendered_from_its_file() {
    let site = changes::includes();
    let change = |r: &Path| {
        edit(
            &r.join("parts/nested.md"),
            "Nested words.",
            "Nested, edited.",
        )
    };
    check("a nested snippet", &site, "site", change, 5);
}
