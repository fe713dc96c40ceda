//! `dcrsite init`: a new site that builds, checks and previews as it is, and never
//! overwrites anything.

use crate::common::*;

#[test]
fn a_new_site_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("team-docs");
    let root = site.to_str().unwrap();
    let run = dcrsite(&["init", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in [
        "site.yaml",
        "content/_index.md",
        "content/guide/writing-pages.md",
    ] {
        assert!(run.stdout.contains(file), "{}", run.stdout);
        assert!(site.join(file).is_file(), "{file}");
    }
    assert!(run.stdout.contains(&format!("dcrsite serve --root {root}")));
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(yaml.contains("title: \"Team docs\""), "{yaml}");

    // No themes/ folder: the built-in theme renders it, without a single warning.
    let site = SiteTest::at(&site).build();
    let built = site.last();
    assert!(!built.stderr.contains("warning"), "{}", built.stderr);
    let page = site.read("public/guide/writing-pages/index.html");
    assert!(page.contains(r#"<h2 id="links">"#), "{page}");
    // Its icons are styled by the theme (`dcr-icon`), in the title's heading and the TOC.
    assert!(
        page.contains(r#"<img class="dcr-icon" src="/img/icons/Code.svg" alt="">"#),
        "{page}"
    );
    let check = site.run(["check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(check.stdout.contains("no broken links"), "{}", check.stdout);
}

#[test]
fn init_refuses_a_folder_that_holds_a_site_and_keeps_a_gitignore() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path().to_str().unwrap();
    std::fs::write(site.path().join(".gitignore"), "target/\n").unwrap();
    assert_eq!(dcrsite(&["init", root]).code, 0);
    assert_eq!(
        std::fs::read_to_string(site.path().join(".gitignore")).unwrap(),
        "target/\n",
        "an existing .gitignore is kept"
    );
    std::fs::write(site.path().join("content/_index.md"), "# Mine\n").unwrap();
    let again = dcrsite(&["init", root]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("error: refusing to create a site here: site.yaml already exists"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("content/_index.md")).unwrap(),
        "# Mine\n",
        "nothing is overwritten"
    );
    // An MkDocs project is a site too.
    let mkdocs = SiteTest::fixture("mkdocs");
    let run = dcrsite(&["init", mkdocs.path().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("mkdocs.yml already exists"),
        "{}",
        run.stderr
    );
}
