//! Accessibility: axe-core in Debian's chromium over every page of the bundled site and
//! the feature fixture, light and dark: no violation of serious or critical impact.

use std::process::Command;

use crate::common::*;

fn assert_accessible(public: &std::path::Path) {
    assert_accessible_with(public, &[]);
}

/// `assert_accessible` with options of `tools/axe-check.mjs` (`--pages`,
/// `--contrast-without`, `--skip-rules`, `--known`).
fn assert_accessible_with(public: &std::path::Path, options: &[&str]) {
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
        .args(options)
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

/// The one violation of the decred documentation that is its authors', not the theme's:
/// the raw `<img class="dcr-icon">` without `alt` in the first heading of its Markdown.
const DCRDOCS_OWN: &str = "/advanced/secure-cold-wallet-setup/#image-alt";

/// Every page of the decred documentation in the theme, light and dark, with its own
/// colour schemes (`dcrdocs-light`, `dcrdocs-dark` from its extra_css) for everything but
/// colour; the colour rules judge the theme's own colours (the site's stylesheets switched
/// off): the site's link colours are its own choice (#2970ff on white is 4.3:1, as on
/// docs.decred.org). One browser tab, each page loaded once (about 3.5 minutes for the
/// 143 pages on a busy two-core machine).
#[test]
fn dcrdocs_build_has_no_serious_accessibility_violations() {
    let Some(shared) = shared_dir() else { return };
    let root = shared.join("corpora/dcrdocs");
    if !root.join("mkdocs.yml").is_file() {
        return;
    }
    let built = SiteTest::at(&root).build_to_temp(&[]);
    assert_accessible_with(
        built.path(),
        &[
            "--contrast-without",
            "/css/style.css,/css/fonts.css",
            "--known",
            DCRDOCS_OWN,
        ],
    );
}

#[test]
fn every_theme_setting_and_feature_is_accessible() {
    // Tabs, the table of contents in the navigation, back to top, social links, an
    // announcement, a palette of three schemes with the site's own colours.
    assert_accessible(
        crate::theme_settings::mkdocs_site()
            .build_to_temp(&[])
            .path(),
    );
}
