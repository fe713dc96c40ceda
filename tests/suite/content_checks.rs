//! `check`'s content checks on the `content` fixture, which marks each expected finding
//! on its line (`expect CHECK`): every finding at its Markdown place, in every output
//! format, at the level site.yaml or mkdocs.yml's `validation:` sets.

use std::collections::BTreeSet;

use serde_json::Value;
use walkdir::WalkDir;

use crate::common::*;

/// (file, line, check)
type Expected = BTreeSet<(String, u64, String)>;

/// Every `<!-- expect CHECK -->` (or, in front matter, `# expect CHECK`) mark of the
/// fixture's content files.
fn expected(site: &SiteTest) -> Expected {
    let mut out = BTreeSet::new();
    for entry in WalkDir::new(site.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = entry.path().strip_prefix(site.path()).unwrap();
        let rel = rel.to_str().unwrap().replace('\\', "/");
        for (i, line) in read(entry.path()).lines().enumerate() {
            let mark = ["<!-- expect ", "# expect "]
                .iter()
                .find_map(|m| line.split_once(m).map(|(_, rest)| rest));
            if let Some(mark) = mark {
                let check: String = mark
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                    .collect();
                out.insert((rel.clone(), i as u64 + 1, check));
            }
        }
    }
    out
}

fn from_json(report: &Value) -> Expected {
    report["content"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|f| {
                    (
                        f["source_file"].as_str().unwrap().to_string(),
                        f["line"].as_u64().unwrap(),
                        f["check"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_marked_problem_is_found_at_its_place_and_nothing_else() {
    let site = SiteTest::fixture("content");
    let want = expected(&site);
    let checks: BTreeSet<&str> = want.iter().map(|(_, _, c)| c.as_str()).collect();
    assert_eq!(
        checks.len(),
        6,
        "the fixture lost a kind of check: {checks:?}"
    );
    let run = site.run(["check", "--format", "json"]);
    // `image_alt: error` in the fixture's site.yaml fails the check.
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["broken"], serde_json::json!([]), "{report:#}");
    assert_eq!(from_json(&report), want);
    for f in report["content"].as_array().unwrap() {
        let error = f["check"] == "image-without-alt";
        assert_eq!(
            f["severity"],
            if error { "error" } else { "warning" },
            "{f}"
        );
        assert!(f["column"].as_u64().unwrap() >= 1);
        assert!(!f["help"].as_str().unwrap().is_empty());
    }
    // Columns: a heading at its `#`, an empty link at its `[`, a bare URL at its first
    // character, a duplicate front-matter title at its value.
    let at = |file: &str, line: u64| {
        let f = report["content"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["source_file"] == file && f["line"] == line)
            .unwrap();
        f["column"].as_u64().unwrap()
    };
    assert_eq!(at("content/headings.md", 6), 1);
    assert_eq!(at("content/media.md", 11), 7);
    assert_eq!(at("content/media.md", 17), 14);
    assert_eq!(at("content/guide/install.md", 2), 8);
}

#[test]
fn content_findings_reach_every_format() {
    let site = SiteTest::fixture("content");
    let want = expected(&site);
    let sarif = site.run(["check", "--format", "sarif"]).json();
    let got: Expected = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let at = &r["locations"][0]["physicalLocation"];
            (
                at["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                at["region"]["startLine"].as_u64().unwrap(),
                r["ruleId"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    let rules: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for (_, _, check) in &want {
        assert!(
            rules.contains(&check.as_str()),
            "{check} not among {rules:?}"
        );
    }
    let junit = site.run(["check", "--format", "junit"]).stdout;
    let github = site.run(["check", "--format", "github"]).stdout;
    let human = site.run(["check"]).stdout;
    for (file, line, check) in &want {
        assert!(
            junit.contains(&format!("name=\"{file}:{line}:")) && junit.contains(check),
            "{file}:{line} {check} not in\n{junit}"
        );
        assert!(
            github.contains(&format!("file={file},line={line},"))
                && github.contains(&format!("title={check}::")),
            "{file}:{line} {check} not in\n{github}"
        );
        assert!(human.contains(&format!(" {check}: ")), "{human}");
    }
    assert_eq!(junit.matches("<failure ").count(), 2, "{junit}");
    assert!(
        human.contains("2 content errors, 7 content warnings"),
        "{human}"
    );
}

#[test]
fn each_check_can_be_turned_off_or_made_an_error_in_site_yaml() {
    let site = SiteTest::fixture("content").edit(
        "site.yaml",
        "    image_alt: error\n",
        "    image_alt: off\n    bare_urls: error\n    heading_levels: off\n",
    );
    let run = site.run(["check", "--format", "json"]);
    run.expect_code(1);
    let report = run.json();
    let found = from_json(&report);
    let want: Expected = expected(&site)
        .into_iter()
        .filter(|(_, _, c)| c != "image-without-alt" && c != "skipped-heading-level")
        .collect();
    assert_eq!(found, want);
    let errors: Vec<&Value> = report["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["check"], "bare-url");
    // Only warnings: the check passes.
    let site = site.edit("site.yaml", "    bare_urls: error\n", "");
    site.run(["check"]).expect_success();
    // A misspelt check is an error of site.yaml, not silently ignored.
    let site = site.edit(
        "site.yaml",
        "    heading_levels: off\n",
        "    headings: off\n",
    );
    site.run(["check"])
        .expect_code(2)
        .expect_stderr_contains("headings");
}

#[test]
fn mkdocs_validation_sets_the_levels() {
    let site = SiteTest::from_files(&[
        (
            "mkdocs.yml",
            "site_name: Docs\nvalidation:\n  content:\n    heading_levels: ignore\n    image_alt: error\n    bare_urls: warn\n",
        ),
        (
            "docs/index.md",
            "# Docs\n\n#### Deep\n\n![](a.png)\n\nSee https://example.org/x.\n",
        ),
        ("docs/a.png", "png"),
    ]);
    let run = site.run(["check", "--format", "json"]);
    run.expect_code(1);
    let report = run.json();
    let found: Vec<(String, u64, String, String)> = report["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["source_file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["check"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "docs/index.md".into(),
                5,
                "image-without-alt".into(),
                "error".into()
            ),
            (
                "docs/index.md".into(),
                7,
                "bare-url".into(),
                "warning".into()
            ),
        ]
    );
}

/// dcrdocs, as the issue counted it: 98 skipped heading levels and one image without alt
/// text, and nothing else.
#[test]
fn dcrdocs_content_findings() {
    let Some(shared) = shared_dir() else { return };
    let root = shared.join("corpora/dcrdocs");
    let run = dcrsite(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report = run.json();
    let count = |check: &str| {
        report["content"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check"] == check)
            .count()
    };
    assert_eq!(count("skipped-heading-level"), 98);
    assert_eq!(count("image-without-alt"), 1);
    assert_eq!(report["content"].as_array().unwrap().len(), 99);
}
