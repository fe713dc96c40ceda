//! Every page dcrsite writes is valid HTML, as judged by the real Nu HTML checker
//! (npm `vnu-jar`, run with the machine's Java).

mod common;

use std::process::Command;

use common::*;

fn assert_valid_html(public: &std::path::Path) {
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
    assert!(pages > 5, "checked {pages} pages");
}

#[test]
fn bundled_site_is_valid_html() {
    let (_guard, public) = build_to_temp(&repo_root(), &[]);
    assert_valid_html(&public);
}

#[test]
fn fixture_site_with_every_feature_is_valid_html() {
    let site = fixture("basic");
    let (_guard, public) = build_to_temp(
        site.path(),
        &["--drafts", "--base-url", "https://example.org/docs/"],
    );
    assert_valid_html(&public);
}

#[test]
fn mkdocs_fixture_is_valid_html() {
    let site = mkdocs_fixture();
    let (_guard, public) = build_to_temp(site.path(), &["--base-url", "https://example.org/docs/"]);
    assert_valid_html(&public);
}
