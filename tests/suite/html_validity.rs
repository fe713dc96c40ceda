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

/// The Nu checker's errors in `public` (GNU format: `"file:PATH":LINE.COL-…: error: …`).
fn nu_errors(public: &std::path::Path) -> Option<Vec<String>> {
    let vnu = tool("vnu-jar/build/dist/vnu.jar")?;
    let out = Command::new("java")
        .args(["-jar", vnu.to_str().unwrap(), "--errors-only"])
        .args(["--skip-non-html", "--format", "gnu"])
        .arg(public)
        .output()
        .expect("java runs the Nu HTML checker");
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    Some(report.lines().map(str::to_string).collect())
}

/// Whether a Nu error is in what the page's Markdown wrote (its title and content, from
/// the `<h1>` to `</article>`), not in the theme's markup around it.
fn in_content(error: &str) -> bool {
    let Some(rest) = error.strip_prefix("\"file:") else {
        return false;
    };
    let Some((file, place)) = rest.split_once("\":") else {
        return false;
    };
    let line: usize = place.split('.').next().unwrap().parse().unwrap();
    let text = read(std::path::Path::new(file));
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
    match (line_of("class=\"dcr-title\""), line_of("</article>")) {
        (Some(start), Some(end)) => (start..=end).contains(&line),
        _ => false,
    }
}

/// The decred documentation (../shared), every page: no error in the theme's markup. Its
/// Markdown's own errors (headings that skip a level, an image without `alt` in a
/// title) are the content's, counted but not failed.
#[test]
fn dcrdocs_build_has_no_theme_errors() {
    let Some(shared) = shared_dir() else { return };
    let root = shared.join("corpora/dcrdocs");
    if !root.join("mkdocs.yml").is_file() {
        return;
    }
    let built = SiteTest::at(&root).build_to_temp(&[]);
    let Some(errors) = nu_errors(built.path()) else {
        return;
    };
    let (content, theme): (Vec<&String>, Vec<&String>) = errors
        .iter()
        .filter(|e| !e.trim().is_empty())
        .partition(|e| in_content(e));
    assert!(
        theme.is_empty(),
        "the theme's markup has errors:\n{theme:#?}"
    );
    eprintln!(
        "dcrdocs: {} Nu errors in the pages' own Markdown",
        content.len()
    );
    let pages = snapshot(built.path())
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .count();
    assert!(pages >= 140, "checked {pages} pages");
}

#[test]
fn new_site_from_init_is_valid_html() {
    let public = SiteTest::init("docs").build_to_temp(&[]);
    assert_valid_html(public.path(), 4);
}

#[test]
fn every_theme_setting_and_feature_is_valid_html() {
    let public = crate::theme_settings::mkdocs_site().build_to_temp(&[]);
    assert_valid_html(public.path(), 4);
}

/// Inline scripts hold no `<` before a letter, `/` or `!`. That is valid HTML (script
/// data), but link checkers with a simpler tokenizer (lychee 0.24.2) read `j<P.length` as
/// a tag and then find no link on the rest of the page, so they checked nothing.
#[test]
fn inline_scripts_read_as_text_by_simple_tokenizers() {
    let public = SiteTest::repo().build_to_temp(&[]);
    let tag_like = regex::Regex::new(r"<[A-Za-z/!]").unwrap();
    let inline = scraper::Selector::parse("script:not([src])").unwrap();
    let mut scripts = 0;
    for (path, bytes) in snapshot(public.path()) {
        if !path.ends_with(".html") {
            continue;
        }
        let page = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        for script in page.select(&inline) {
            let text: String = script.text().collect();
            scripts += 1;
            let found = tag_like.find(&text).map(|m| &text[m.start()..]);
            assert!(found.is_none(), "{path}: an inline script has {found:?}");
        }
    }
    assert!(scripts > 0, "the bundled site has inline scripts to check");
}
