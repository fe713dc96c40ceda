//! Accessibility: axe-core in Debian's chromium over every page of the bundled site and
//! the feature fixture, light and dark: no violation of serious or critical impact.

use std::process::Command;

use crate::common::*;

fn assert_accessible(public: &std::path::Path) {
    let (Some(_), Some(_)) = (
        tool("axe-core/axe.min.js"),
        tool("playwright-core/package.json"),
    ) else {
        return;
    };
    if !std::path::Path::new("/usr/bin/chromium").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is missing: .ci/run must install it"
        );
        eprintln!("skipping: /usr/bin/chromium is not installed");
        return;
    }
    let out = Command::new("node")
        .arg(repo_root().join("tools/axe-check.mjs"))
        .arg(public)
        .output()
        .expect("node runs the axe checker");
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "accessibility problems:\n{report}");
    assert!(report.contains("page views checked"), "{report}");
}

#[test]
fn bundled_site_has_no_serious_accessibility_violations() {
    assert_accessible(SiteTest::repo().build_to_temp(&[]).path());
}

#[test]
fn feature_fixture_has_no_serious_accessibility_violations() {
    let public = SiteTest::fixture("basic").build_to_temp(&["--drafts"]);
    assert_accessible(public.path());
}

#[test]
fn mkdocs_fixture_has_no_serious_accessibility_violations() {
    // Admonitions, collapsible blocks, content tabs and footnotes, in the built-in theme.
    assert_accessible(SiteTest::fixture("mkdocs").build_to_temp(&[]).path());
}
