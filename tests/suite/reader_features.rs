//! What the decred theme shows readers around a page, in the built HTML: "last updated"
//! from git, "edit this page", share previews (Open Graph, Twitter cards). The browser
//! side (switch, copy buttons, previous/next) is in `reader_browser.rs`.

use std::path::Path;
use std::process::Command;

use crate::common::*;

fn git(dir: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

const SITE: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: Reader Site\ndescription: A site for readers.\nbase_url: https://docs.example.org/\nedit_url: https://github.com/o/r/edit/main/content/\n",
    ),
    ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
    (
        "content/guide.md",
        "---\ntitle: Guide\ndescription: How to start.\nimage: /img/guide.png\n---\nSteps.\n",
    ),
    ("content/later.md", "---\ntitle: Later\n---\nNot committed.\n"),
];

#[test]
fn pages_show_their_git_date_edit_link_and_share_tags() {
    let site = SiteTest::from_files(SITE);
    git(site.path(), &["init", "-q"], "2020-01-01T00:00:00Z");
    git(
        site.path(),
        &["add", "site.yaml", "content/_index.md", "content/guide.md"],
        "2021-03-04T10:00:00Z",
    );
    git(
        site.path(),
        &["commit", "-q", "-m", "first"],
        "2021-03-04T10:00:00Z",
    );
    edit_file(&site.join("content/guide.md"), "Steps.", "More steps.");
    git(
        site.path(),
        &["commit", "-q", "-am", "second"],
        "2022-11-12T23:30:00Z",
    );
    let built = site.build_to_temp(&[]);

    let guide = built.read("guide/index.html");
    assert!(
        guide.contains(r#"Last updated <time datetime="2022-11-12">2022-11-12</time>"#),
        "{guide}"
    );
    assert!(guide.contains(r#"href="https://github.com/o/r/edit/main/content/guide.md""#));
    for tag in [
        r#"<meta property="og:title" content="Guide">"#,
        r#"<meta property="og:description" content="How to start.">"#,
        r#"<meta property="og:url" content="https://docs.example.org/guide/">"#,
        r#"<meta property="og:image" content="https://docs.example.org/img/guide.png">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        r#"<link rel="canonical" href="https://docs.example.org/guide/">"#,
    ] {
        assert!(guide.contains(tag), "missing {tag}");
    }
    let home = built.read("index.html");
    assert!(home.contains(r#"<time datetime="2021-03-04">"#));
    // The site's description stands in for a page without one.
    assert!(home.contains(r#"<meta property="og:description" content="A site for readers.">"#));
    // Not committed yet: no date, and no error.
    let later = built.read("later/index.html");
    assert!(!later.contains("Last updated"));
    assert!(later.contains("edit/main/content/later.md"));
    // The same history builds the same pages.
    assert_eq!(site.build_to_temp(&[]).read("guide/index.html"), guide);
}

#[test]
fn outside_git_there_are_no_dates_and_without_edit_url_no_edit_links() {
    let site = SiteTest::from_files(&[
        ("site.yaml", "title: T\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi.\n"),
    ]);
    let built = site.build_to_temp(&[]);
    built.run.expect_success();
    let home = built.read("index.html");
    assert!(!home.contains("Last updated"));
    assert!(!home.contains("Edit this page"));
    assert!(!home.contains("og:image"));
}

/// A page without an `image` of its own is shared with the site's logo.
#[test]
fn og_image_falls_back_to_the_site_logo() {
    let site = SiteTest::from_files(&[
        (
            "site.yaml",
            "title: T\nbase_url: https://docs.example.org/\ntheme:\n  logo: /img/logo.svg\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHi.\n"),
        (
            "content/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let built = site.build_to_temp(&[]);
    built.run.expect_success();
    let home = built.read("index.html");
    assert!(
        home.contains(
            r#"<meta property="og:image" content="https://docs.example.org/img/logo.svg">"#
        ),
        "{home}"
    );
}
