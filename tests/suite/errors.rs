//! Error messages: each names file:line, says what is wrong and how to fix it, exits 1.

use crate::common::*;

const CONFIG: &str = "title: T\nicons:\n  dir: img/icons\n  class: dcr-icon\n";
const ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"></svg>\n";

/// A site with `CONFIG`, an icon and `files`, whose build must fail (exit 1) and write
/// nothing.
fn failing(files: &[(&str, &str)]) -> Run {
    let site = SiteTest::new()
        .files(&[("site.yaml", CONFIG), ("assets/img/icons/Code.svg", ICON)])
        .files(files)
        .theme();
    let run = site.run(["build"]);
    run.expect_code(1);
    assert!(
        !site.exists("public"),
        "a failed first build writes nothing"
    );
    run
}

#[test]
fn bad_yaml_names_the_markdown_line() {
    let run = failing(&[("content/a.md", "---\ntitle: A\nicon: Code: x\n---\nbody\n")]);
    assert!(
        run.stderr
            .contains("content/a.md:3:11: error: invalid YAML"),
        "{}",
        run.stderr
    );
}

#[test]
fn tab_indentation_is_explained() {
    let run = failing(&[("content/a.md", "---\ntitle: A\naliases:\n\t- /x/\n---\n")]);
    assert!(run.stderr.contains("content/a.md:4:"), "{}", run.stderr);
    assert!(run.stderr.contains("tabs"), "{}", run.stderr);
}

#[test]
fn wrong_type_names_the_line() {
    let run = failing(&[("content/a.md", "---\ntitle: A\nweight: heavy\n---\n")]);
    assert!(
        run.stderr
            .contains("content/a.md:3:9: error: invalid YAML: invalid type"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_front_matter_field_suggests_the_known_one() {
    let run = failing(&[("content/a.md", "---\ntitle: A\nicno: Code\n---\n")]);
    assert!(
        run.stderr
            .contains("content/a.md:3:1: error: unknown field `icno`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: did you mean `icon`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(" 3 | icno: Code"),
        "source line shown: {}",
        run.stderr
    );
}

#[test]
fn unknown_icon_in_front_matter_and_heading() {
    let run = failing(&[(
        "content/a.md",
        "---\ntitle: A\nicon: Cde\n---\n\n## Heading {icon=Coed}\n",
    )]);
    assert!(
        run.stderr
            .contains("content/a.md:3:7: error: unknown icon `Cde`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/a.md:6:13: error: unknown icon `Coed`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `Code`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_template_names_the_front_matter_line() {
    let run = failing(&[("content/a.md", "---\ntitle: A\ntemplate: pgae.html\n---\n")]);
    assert!(
        run.stderr
            .contains("content/a.md:3:11: error: template `pgae.html` not found"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `page.html`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_site_yaml_key_suggests() {
    let site = SiteTest::from_files(&[("site.yaml", "title: T\nbase_ulr: https://x.org/\n")]);
    let run = site.run(["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("site.yaml:2:1: error: unknown field `base_ulr`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `base_url`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_errors_name_the_template() {
    let site = SiteTest::from_files(&[
        ("site.yaml", CONFIG),
        ("content/a.md", "x"),
        ("templates/page.html", "<p>\n{{ page.nope }}\n</p>\n"),
    ]);
    let run = site.run(["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "templates/page.html:2:4: error: template variable `page.nope` is not defined"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("page.nope"), "{}", run.stderr);
    let site = SiteTest::from_files(&[
        ("site.yaml", CONFIG),
        ("content/a.md", "x"),
        ("templates/page.html", "<p>\n{% if %}\n"),
    ]);
    let run = site.run(["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("templates/page.html:2:"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_problem_is_reported_and_numbered() {
    let run = failing(&[
        ("content/a.md", "---\ntitel: A\n---\n"),
        ("content/b.md", "---\nicon: Nope\n---\n"),
        ("content/c.md", "---\nweight: x\n---\n[dead](nowhere.md)\n"),
    ]);
    for expected in [
        "content/a.md:2:1: error: unknown field `titel`",
        "content/b.md:2:7: error: unknown icon `Nope`",
        "content/c.md:2:9: error: invalid YAML",
        "(error 1 of 3)",
        "(error 3 of 3)",
        "error: build failed: 3 errors",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing `{expected}` in:\n{}",
            run.stderr
        );
    }
}

#[test]
fn missing_site_yaml_and_root() {
    let site = SiteTest::from_files(&[("content/a.md", "x")]);
    let run = site.run(["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("site.yaml: error: cannot read site.yaml"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--root"), "{}", run.stderr);
    // A folder that is not a site gets nothing of dcrsite's: no cache folder either.
    assert!(!site.root().join(".dcrsite-cache").exists());
    let run = dcrsite(&["build", "--root", "/nonexistent/site/root"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2_and_help_works() {
    let run = dcrsite(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = dcrsite(&["build", "--help"]);
    assert_eq!(run.code, 0);
    for flag in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(run.stdout.contains(flag), "{}", run.stdout);
    }
}
