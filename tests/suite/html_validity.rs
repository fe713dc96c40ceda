//! Every page dcrsite writes is valid HTML, as judged by the real Nu HTML checker
//! (npm `vnu-jar`, run with the machine's Java).

use std::process::Command;

use crate::common::*;

/// Runs the Nu checker over every page of `public`, which must hold at least
/// `min_pages` HTML files (so an empty build cannot pass).
fn assert_valid_html(public: &std::path::Path, min_pages: usize) {
    let Some(vnu) = tool("vnu-jar/build/dist/vnu.jar") else {
        return;
    };
    let out = Command::new("java")
        .args([
            "-jar",
            vnu.to_str().unwrap(),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "gnu",
        ])
        .arg(public)
        .output()
        .expect("java runs the Nu HTML checker");
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "the Nu HTML checker found errors:\n{report}"
    );
    let pages = snapshot(public)
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .count();
    assert!(pages >= min_pages, "checked {pages} pages");
}

#[test]
fn bundled_site_is_valid_html() {
    assert_valid_html(SiteTest::repo().build_to_temp(&[]).path(), 6);
}

#[test]
fn fixture_site_with_every_feature_is_valid_html() {
    let public = SiteTest::fixture("basic").build_to_temp(&[
        "--drafts",
        "--base-url",
        "https://example.org/docs/",
    ]);
    assert_valid_html(public.path(), 6);
}

#[test]
fn mkdocs_fixture_is_valid_html() {
    let public =
        SiteTest::fixture("mkdocs").build_to_temp(&["--base-url", "https://example.org/docs/"]);
    assert_valid_html(public.path(), 6);
}

#[test]
fn new_site_from_init_is_valid_html() {
    let public = SiteTest::init("docs").build_to_temp(&[]);
    assert_valid_html(public.path(), 4);
}
