//! `dcrsite check` over fixture sites: every deliberately broken link is reported at the
//! place it is written, with its kind, and no valid link is reported.

use std::collections::BTreeSet;

use crate::common::*;
use serde_json::Value;

/// `dcrsite check ARGS --format json`: the exit code and the parsed report.
fn check_json(args: &[&str]) -> (Run, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = dcrsite(&all);
    let json = run.json();
    (run, json)
}

/// `dcrsite check --root SITE --format json`: the exit code and the parsed report.
fn check_site_json(site: &SiteTest) -> (Run, Value) {
    let run = site.run(["check", "--format", "json"]);
    let json = run.json();
    (run, json)
}

type Key = (String, Option<u64>, Option<u64>, String);

fn keys(list: &Value) -> BTreeSet<Key> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|f| {
            (
                f["source_file"].as_str().unwrap().to_string(),
                f["line"].as_u64(),
                f["column"].as_u64(),
                f["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn find<'a>(report: &'a Value, source_file: &str, line: u64) -> &'a Value {
    report["broken"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["source_file"] == source_file && f["line"] == line)
        .unwrap_or_else(|| panic!("no finding at {source_file}:{line} in {report:#}"))
}

/// Each `- [broken KIND](…)` / `- ![broken KIND](…)` line of links.md is one expected
/// finding at column 3; `- [ok](…)` lines must not be reported.
fn expected_from_links_md(text: &str) -> (BTreeSet<Key>, usize) {
    let mut broken = BTreeSet::new();
    let mut ok = 0;
    for (i, line) in text.lines().enumerate() {
        let item = line.strip_prefix("- ").map(|l| l.trim_start_matches('!'));
        match item {
            Some(l) if l.starts_with("[broken ") => {
                let kind = l["[broken ".len()..].split(']').next().unwrap();
                broken.insert((
                    "content/links.md".to_string(),
                    Some(i as u64 + 1),
                    Some(3),
                    kind.to_string(),
                ));
            }
            Some(l) if l.starts_with("[ok]") => ok += 1,
            _ => {}
        }
    }
    (broken, ok)
}

#[test]
fn fixture_site_every_broken_link_at_its_place_and_no_valid_one() {
    let site = SiteTest::fixture("links");
    let (run, report) = check_site_json(&site);
    assert_eq!(run.code, 1, "{}", run.stderr);

    let links_md = site.read("content/links.md");
    let (mut expected, ok_count) = expected_from_links_md(&links_md);
    assert!(
        expected.len() >= 20 && ok_count >= 30,
        "the fixture lost links"
    );
    // Raw HTML in Markdown: found at its place in the Markdown file.
    for (line, column, kind) in [(7, 10, "page"), (8, 11, "asset"), (9, 10, "fragment")] {
        expected.insert((
            "content/raw.md".into(),
            Some(line),
            Some(column),
            kind.into(),
        ));
    }
    // Links written by a template: blamed on the template at the line where the URL is
    // written literally, or where an attribute's text around its `{{ … }}` matches; a
    // value the template shows from front matter or site.yaml is blamed there; a URL
    // written nowhere gets the template without a line.
    for (file, line, column, kind) in [
        ("templates/linky.html", Some(7), Some(14), "page"),
        ("templates/linky.html", Some(8), Some(14), "fragment"),
        ("content/templated1.md", Some(5), Some(9), "page"),
        ("site.yaml", Some(9), Some(9), "page"),
        ("templates/linky.html", None, None, "page"),
    ] {
        expected.insert((file.into(), line, column, kind.into()));
    }

    let found = keys(&report["broken"]);
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nreported but valid: {extra:#?}"
    );
    // The template link is broken on both pages that use the template: one entry each.
    let template_entries = report["broken"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["target"] == "/docs/template-missing/")
        .map(|f| f["source"].as_str().unwrap())
        .collect::<BTreeSet<_>>();
    assert_eq!(
        template_entries,
        BTreeSet::from(["templated1/index.html", "templated2/index.html"])
    );

    // The DESIGN.md example: a relative link left as written, resolved as a browser would.
    let line = links_md
        .lines()
        .position(|l| l.contains("(advanced/contributor-compensation)"))
        .unwrap() as u64
        + 1;
    let f = find(&report, "content/links.md", line);
    assert_eq!(f["source"], "links/index.html");
    assert_eq!(f["target"], "advanced/contributor-compensation");
    assert_eq!(f["kind"], "page");
    assert_eq!(
        f["reason"],
        "no page or file at /docs/links/advanced/contributor-compensation"
    );
    // Targets are as written in the HTML (with the base path the build added).
    let line = links_md
        .lines()
        .position(|l| l.contains("(/no-such-page/)"))
        .unwrap() as u64
        + 1;
    assert_eq!(
        find(&report, "content/links.md", line)["target"],
        "/docs/no-such-page/"
    );
    assert_eq!(report["unknown"], serde_json::json!([]));
    assert!(report["checked"]["links"].as_u64().unwrap() > 60);
    assert_eq!(report["checked"]["external"], 0);
    assert!(!site.exists("public"), "check builds in memory only");
}

#[test]
fn html_folder_from_another_generator() {
    let dir = repo_root().join("tests/sites/html");
    let (run, report) = check_json(&[
        "--html",
        dir.to_str().unwrap(),
        "--base-url",
        "https://h.example/docs/",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // (HTML file, the broken URL as written, kind); the line is where the URL is written.
    let expected = [
        ("index.html", "/docs/favicon.ico", "asset"),
        ("index.html", "js/missing.js", "asset"),
        ("index.html", "page.html#Sec-2", "fragment"),
        ("index.html", "nodir/", "page"),
        ("index.html", "/page.html", "page"),
        ("index.html", "https://h.example/docs/nope.html", "page"),
        ("index.html", "img/a@2x.png", "asset"),
        ("index.html", "img/b.png", "asset"),
        ("index.html", "img/a.webp", "asset"),
        ("index.html", "media/poster.jpg", "asset"),
        ("index.html", "media/a.mp3", "asset"),
        ("index.html", "embed.html", "page"),
        ("index.html", "media/x.swf", "asset"),
        ("index.html", "page.html#nope", "fragment"),
        ("page.html", "../outside.html", "page"),
        ("my file.html", "../outside.html", "page"),
        ("mañana.html", "../outside.html", "page"),
        ("gone.html", "moved/", "page"),
        ("based/index.html", "own.html", "page"),
    ];
    let mut want = BTreeSet::new();
    for (file, target, kind) in expected {
        let text = read(&dir.join(file));
        let line = text
            .lines()
            .position(|l| l.contains(target))
            .unwrap_or_else(|| panic!("{target} not in {file}")) as u64
            + 1;
        want.insert((
            file.to_string(),
            Some(line),
            target.to_string(),
            kind.to_string(),
        ));
    }
    let got: BTreeSet<_> = report["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["source"], f["source_file"]);
            assert!(f["column"].as_u64().is_some());
            (
                f["source_file"].as_str().unwrap().to_string(),
                f["line"].as_u64(),
                f["target"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        want,
        "missing: {:#?}\nextra: {:#?}",
        want.difference(&got).collect::<Vec<_>>(),
        got.difference(&want).collect::<Vec<_>>()
    );
    assert_eq!(report["checked"]["pages"], 9);

    // Without the prefix, the same folder is served at the root: `/docs/…` links break.
    let (_, at_root) = check_json(&["--html", dir.to_str().unwrap()]);
    let targets: Vec<&str> = at_root["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["target"].as_str().unwrap())
        .collect();
    assert!(targets.contains(&"/docs/css/site.css"), "{targets:?}");
    assert!(!targets.contains(&"/page.html"), "{targets:?}");
}

#[test]
fn human_and_github_formats() {
    let site = SiteTest::fixture("links");
    let run = site.run(["check"]);
    assert_eq!(run.code, 1);
    // Grouped by the file to fix; the template link once, with its page count.
    assert!(run.stdout.contains("content/links.md\n"), "{}", run.stdout);
    let template_line = run
        .stdout
        .lines()
        .find(|l| l.contains("`/docs/template-missing/`"))
        .unwrap();
    assert!(template_line.contains("on 2 pages"), "{template_line}");
    assert_eq!(run.stdout.matches("`/docs/template-missing/`").count(), 1);
    assert!(run.stdout.lines().last().unwrap().contains("broken links"));
    assert!(
        !run.stdout.contains("\x1b["),
        "no colour when not a terminal"
    );

    let run = site.run(["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    let links_md = site.read("content/links.md");
    let line = links_md
        .lines()
        .position(|l| l.contains("(nope.md)"))
        .unwrap()
        + 1;
    let expected = format!(
        "::error file=content/links.md,line={line},col=3,title=broken page link::broken link `nope.md`: no page or file at /docs/links/nope.md (in links/index.html)"
    );
    assert!(run.stdout.lines().any(|l| l == expected), "{}", run.stdout);
    assert!(run
        .stdout
        .contains("::error file=templates/linky.html,line=8,col=14,title=broken fragment link::"));
    assert!(run
        .stdout
        .contains("::error file=templates/linky.html,title=broken page link::"));
}

#[test]
fn build_warns_once_per_broken_link_and_still_builds() {
    let site = SiteTest::fixture("links").build();
    let run = site.last();
    let links_md = site.read("content/links.md");
    let at = |needle: &str| links_md.lines().position(|l| l.contains(needle)).unwrap() + 1;
    // Found by the Markdown renderer and by the checker: reported once.
    let nope = format!(
        "content/links.md:{}:3: warning: broken link `nope.md`",
        at("(nope.md)")
    );
    assert_eq!(run.stderr.matches(&nope).count(), 1, "{}", run.stderr);
    // Found only by the checker.
    let frag = format!(
        "content/links.md:{}:3: warning: broken link `/docs/guide/#no-such-heading`: no element with id `no-such-heading` on /docs/guide/",
        at("(guide.md#no-such-heading)")
    );
    assert!(run.stderr.contains(&frag), "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/linky.html:7:14: warning: broken link `/docs/template-missing/`: no page or file at /docs/template-missing/ (on 2 pages)"),
        "{}",
        run.stderr
    );
    assert!(site.join("public/links/index.html").is_file());
}

#[test]
fn bundled_site_has_no_broken_links() {
    let (run, report) = check_site_json(&SiteTest::repo());
    assert_eq!(run.code, 0, "{report:#}\n{}", run.stderr);
    assert!(report["checked"]["pages"].as_u64().unwrap() > 10);
    assert!(report["checked"]["links"].as_u64().unwrap() > 100);
}

#[test]
fn seed_page_dead_link_at_its_markdown_line() {
    let Some(shared) = shared_dir() else { return };
    let seed = read(&shared.join("seed/contributing.md"));
    let site = SiteTest::repo_without_content().file("content/contributing.md", &seed);
    let (run, report) = check_site_json(&site);
    assert_eq!(run.code, 1, "{report:#}\n{}", run.stderr);
    let (line, column) = seed
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("[Contributor Compensation](advanced/contributor-compensation)")
                .map(|c| (i as u64 + 1, c as u64 + 1))
        })
        .expect("the seed has the dead link");
    let f = find(&report, "content/contributing.md", line);
    assert_eq!(f["column"], column);
    assert_eq!(f["target"], "advanced/contributor-compensation");
    assert_eq!(
        f["reason"],
        "no page or file at /contributing/advanced/contributor-compensation"
    );
}

#[test]
fn cannot_run_is_exit_2() {
    let run = dcrsite(&["check", "--html", "/nonexistent/dcrsite-check-dir"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a folder"), "{}", run.stderr);
    SiteTest::from_files(&[
        ("site.yaml", "title: T\nbase_urll: x\n"),
        ("content/_index.md", "# H\n"),
    ])
    .run(["check"])
    .expect_code(2)
    .expect_stderr_contains("site.yaml:2");
    SiteTest::from_files(&[
        ("site.yaml", "title: T\ncheck:\n  exclude: ['a[']\n"),
        ("content/_index.md", "# H\n"),
    ])
    .run(["check", "--external"])
    .expect_code(2)
    .expect_stderr_contains("bad exclude pattern `a[`");
}

/// A folder of HTML for `--html`: `index.html` links to `ok.html` and to a missing page.
fn html_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("html")).unwrap();
    let html = dir.path().join("html");
    std::fs::write(
        html.join("index.html"),
        "<a href=\"ok.html\">ok</a>\n<a href=\"missing.html\">broken</a>\n",
    )
    .unwrap();
    std::fs::write(html.join("ok.html"), "<p>ok</p>\n").unwrap();
    dir
}

/// `check --html DIR`: DIR is the site. A file or folder linked to outside it is an error
/// at its path; it is not read, and everything else is still checked.
#[cfg(unix)]
#[test]
fn html_links_outside_the_folder_are_errors() {
    let dir = html_dir();
    let html = dir.path().join("html");
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(
        outside.join("secret.html"),
        "<a href=\"from-outside.html\">x</a>\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("secret.html"), html.join("secret.html")).unwrap();
    std::os::unix::fs::symlink(&outside, html.join("shared")).unwrap();
    // A link inside the folder to a file inside it is fine.
    std::os::unix::fs::symlink(html.join("ok.html"), html.join("alias.html")).unwrap();
    let (run, report) = check_json(&["--html", html.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let problems: Vec<(&str, &str)> = report["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {report:#}"))
        .iter()
        .map(|p| (p["path"].as_str().unwrap(), p["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(problems, [("secret.html", "error"), ("shared", "error")]);
    let targets: Vec<&str> = report["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["missing.html"], "outside files are not read");
    assert_eq!(report["checked"]["pages"], 3, "index, ok and alias");

    let run = dcrsite(&["check", "--html", html.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    for path in ["secret.html", "shared"] {
        assert!(
            run.stderr.contains(&format!(
                "{path}: error: symlink points outside the site root"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("help: "), "{}", run.stderr);
}

/// A file name that is not UTF-8 is reported at its (lossy) path; every other file is
/// still checked.
#[cfg(unix)]
#[test]
fn html_file_name_not_utf8_is_reported_and_the_rest_checked() {
    use std::os::unix::ffi::OsStrExt;
    let dir = html_dir();
    let html = dir.path().join("html");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.html");
    std::fs::write(html.join(name), "<a href=\"nope.html\">x</a>\n").unwrap();
    let (run, report) = check_json(&["--html", html.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let problems = report["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {report:#}"));
    assert_eq!(problems.len(), 1, "{report:#}");
    assert_eq!(problems[0]["path"], "caf\u{fffd}.html");
    assert!(problems[0]["message"]
        .as_str()
        .unwrap()
        .contains("not valid UTF-8"));
    let targets: Vec<&str> = report["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["missing.html"]);
    assert_eq!(report["checked"]["pages"], 2);
    let run = dcrsite(&["check", "--html", html.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("caf\u{fffd}.html: error: file name is not valid UTF-8"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("No such file"), "{}", run.stderr);
}

#[test]
fn mkdocs_extra_css_and_javascript_that_are_missing_are_blamed_on_mkdocs_yml() {
    let more = "extra_css:\n  - css/missing.css\n  - ./css/also-missing.css\nextra_javascript: [js/ok.js, js/gone.js]\n";
    let site = SiteTest::fixture("mkdocs")
        .append("mkdocs.yml", more)
        .file("docs/js/ok.js", "");
    let text = site.read("mkdocs.yml");
    let at = |needle: &str| {
        let (line, column) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.find(needle).map(|c| (i as u64 + 1, c as u64 + 1)))
            .unwrap();
        (Some(line), Some(column))
    };
    let (run, report) = check_site_json(&site);
    assert_eq!(run.code, 1, "{report:#}\n{}", run.stderr);
    let places: BTreeSet<(String, Option<u64>, Option<u64>, String)> = report["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["source_file"].as_str().unwrap().to_string(),
                f["line"].as_u64(),
                f["column"].as_u64(),
                f["target"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<_> = [
        ("css/missing.css", "/css/missing.css"),
        ("./css/also-missing.css", "/css/also-missing.css"),
        ("js/gone.js", "/js/gone.js"),
    ]
    .into_iter()
    .map(|(written, target)| {
        let (line, column) = at(written);
        ("mkdocs.yml".to_string(), line, column, target.to_string())
    })
    .collect();
    assert_eq!(places, expected, "{report:#}");
    // Every page shows them, the 404 page too; each page is one finding.
    let pages = report["checked"]["pages"].as_u64().unwrap() as usize;
    assert_eq!(report["broken"].as_array().unwrap().len(), 3 * pages);
}

#[test]
fn site_yaml_company_links_that_are_broken_are_blamed_on_site_yaml() {
    // site.yaml has no extra_css; the URLs it gives templates (a company's `url` and
    // `logo`) are written as shown, and a broken one is reported at its value.
    let site = SiteTest::from_files(&[
        (
            "site.yaml",
            "title: T\nbase_url: https://x.example/\ncompanies:\n  acme:\n    name: Acme\n    url: /no-acme/\n    logo: /img/acme-missing.svg\n",
        ),
        (
            "content/people/_index.md",
            "---\ntitle: People\ntemplate: contributors.html\n---\n",
        ),
        (
            "content/people/ann.md",
            "---\ntitle: Ann\ngroup: design\ncompany: acme\n---\n",
        ),
    ]);
    let (run, report) = check_site_json(&site);
    assert_eq!(run.code, 1, "{report:#}\n{}", run.stderr);
    let expected: BTreeSet<Key> = [(6, 10, "page"), (7, 11, "asset")]
        .into_iter()
        .map(|(line, column, kind)| {
            (
                "site.yaml".to_string(),
                Some(line),
                Some(column),
                kind.to_string(),
            )
        })
        .collect();
    assert_eq!(keys(&report["broken"]), expected, "{report:#}");
}

#[test]
fn an_inherited_extra_css_entry_that_is_missing_is_blamed_on_the_file_that_has_it() {
    // mkdocs.yml inherits base.yml, whose extra_css it does not replace.
    let site = SiteTest::fixture("mkdocs")
        .append("mkdocs.yml", "INHERIT: config/base.yml\n")
        .file(
            "config/base.yml",
            "site_name: Base\nextra_css:\n  - css/from-base.css\n",
        );
    let (run, report) = check_site_json(&site);
    assert_eq!(run.code, 1, "{report:#}\n{}", run.stderr);
    let pages = report["checked"]["pages"].as_u64().unwrap() as usize;
    let expected: BTreeSet<Key> = [(
        "config/base.yml".to_string(),
        Some(3),
        Some(5),
        "asset".to_string(),
    )]
    .into();
    assert_eq!(keys(&report["broken"]), expected, "{report:#}");
    assert_eq!(report["broken"].as_array().unwrap().len(), pages);
}

#[test]
fn a_footnote_back_link_to_no_reference_is_blamed_on_the_definition() {
    // Python-Markdown links every note back to its references, a note no text cites to
    // `#fnref:label` all the same: broken, and the author fixes it at the definition.
    let page = "# Notes\n\nCited once[^used].\n\n[^used]: Fine.\n\n[^orphan]: Cited nowhere.\n";
    let site = SiteTest::fixture("mkdocs").file("docs/notes.md", page);
    let (run, report) = check_site_json(&site);
    assert_eq!(run.code, 1, "{report:#}\n{}", run.stderr);
    let finding = find(&report, "docs/notes.md", 7);
    assert_eq!(finding["column"], 1, "{finding:#}");
    assert_eq!(finding["target"], "#fnref:orphan", "{finding:#}");
    let elsewhere = report["broken"].as_array().unwrap().iter();
    let on_notes: Vec<_> = elsewhere
        .filter(|f| f["target"].as_str().unwrap_or("").contains("fnref"))
        .collect();
    assert_eq!(on_notes.len(), 1, "only the orphan's back-link: {report:#}");
}
