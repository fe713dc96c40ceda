//! `check --format sarif` and `--format junit`: the formats CI systems read, each finding
//! at its Markdown `file:line:column`; SARIF validated against the official SARIF 2.1.0
//! schema (from npm, in tools/) and a stricter one written from the specification
//! (`schemas/`), JUnit read back as XML.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use quick_xml::events::Event;
use quick_xml::XmlVersion;
use serde_json::Value;

use crate::common::*;

fn sarif_schema() -> jsonschema::Validator {
    let path = repo_root().join("tests/suite/schemas/sarif-2.1.0.schema.json");
    let schema: Value = serde_json::from_str(&read(&path)).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// Every way `log` breaks the schema, one line each.
pub(crate) fn schema_errors(log: &Value) -> Vec<String> {
    sarif_schema()
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

type Place = (String, Option<u64>, Option<u64>, String);

/// (file, line, column, rule) of every SARIF result.
fn sarif_places(log: &Value) -> BTreeSet<Place> {
    let results = log["runs"][0]["results"].as_array().unwrap();
    results
        .iter()
        .map(|r| {
            let at = &r["locations"][0]["physicalLocation"];
            (
                at["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                at["region"]["startLine"].as_u64(),
                at["region"]["startColumn"].as_u64(),
                r["ruleId"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The same places from `--format json`, with the rule each SARIF result should have.
fn json_places(report: &Value) -> BTreeSet<Place> {
    let mut places = BTreeSet::new();
    for (list, rule) in [("broken", None), ("unknown", Some("undecided-link"))] {
        for f in report[list].as_array().unwrap() {
            let rule = rule
                .map(str::to_string)
                .unwrap_or_else(|| format!("broken-{}-link", f["kind"].as_str().unwrap()));
            places.insert((
                f["source_file"].as_str().unwrap().replace(' ', "%20"),
                f["line"].as_u64(),
                f["column"].as_u64(),
                rule,
            ));
        }
    }
    places
}

#[test]
fn sarif_is_valid_and_has_every_finding_at_its_markdown_place() {
    let site = SiteTest::fixture("links");
    let run = site.run(["check", "--format", "sarif"]);
    run.expect_code(1);
    let log = run.json();
    let errors = schema_errors(&log);
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    assert_eq!(log["version"], "2.1.0");
    let report = site.run(["check", "--format", "json"]).json();
    let expected = json_places(&report);
    assert!(expected.len() >= 20, "the fixture lost links");
    assert_eq!(sarif_places(&log), expected);
    // Each result names a rule of the driver by id and index, and says what to fix.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let nope = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().contains("`nope.md`"))
        .expect("the nope.md link");
    assert_eq!(nope["level"], "error");
    let index = nope["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], nope["ruleId"]);
    assert_eq!(nope["ruleId"], "broken-page-link");
    let line = site
        .read("content/links.md")
        .lines()
        .position(|l| l.contains("(nope.md)"))
        .unwrap()
        + 1;
    let region = &nope["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], line);
    assert_eq!(region["startColumn"], 3);
}

/// The official SARIF 2.1.0 JSON schema, as shipped in Microsoft's MIT-licensed
/// `@microsoft/jest-sarif` package (installed by `npm ci --prefix tools`).
fn official_sarif_schema() -> Option<jsonschema::Validator> {
    let path = tool("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")?;
    // The schema's `language` patterns (on runs and tool components) have a stray `]`
    // that this validator refuses as a regex; dcrsite writes no `language`, so those
    // patterns are written without it before compiling. Nothing else is changed.
    let schema: Value = serde_json::from_str(&read(&path).replace(
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}?$",
    ))
    .unwrap();
    Some(jsonschema::validator_for(&schema).expect("the official schema compiles"))
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let Some(official) = official_sarif_schema() else {
        return;
    };
    let site = SiteTest::fixture("links");
    let log = site.run(["check", "--format", "sarif"]).json();
    let errors: Vec<String> = official
        .iter_errors(&log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The official schema does catch a broken log (so the pass means something).
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(
        !official.is_valid(&bad),
        "a level SARIF does not define passed"
    );
    let mut bad = log;
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!official.is_valid(&bad), "a line 0 passed");
}

/// The schema is strict enough to catch a malformed log (so a pass means something).
#[test]
fn the_schema_rejects_what_sarif_forbids() {
    let site = SiteTest::fixture("links");
    let good = site.run(["check", "--format", "sarif"]).json();
    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    let mut zero_line = good.clone();
    zero_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    let mut no_message = good.clone();
    no_message["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    let mut unknown_property = good.clone();
    unknown_property["runs"][0]["results"][0]["severity"] = "error".into();
    let mut no_tool_name = good;
    no_tool_name["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    for bad in [
        bad_level,
        zero_line,
        no_message,
        unknown_property,
        no_tool_name,
    ] {
        assert!(!schema_errors(&bad).is_empty(), "accepted: {bad:#}");
    }
}

#[test]
fn a_clean_site_is_an_empty_valid_sarif_log_and_one_passing_junit_case() {
    let site = SiteTest::from_files(&[
        ("site.yaml", "title: T\n"),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\nSee [the guide](guide.md).\n",
        ),
        (
            "content/guide.md",
            "---\ntitle: Guide\n---\n## Steps\n\nBack [home](_index.md).\n",
        ),
    ]);
    let run = site.run(["check", "--format", "sarif"]);
    run.expect_success();
    let log = run.json();
    assert!(schema_errors(&log).is_empty());
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    let run = site.run(["check", "--format", "junit"]);
    run.expect_success();
    let cases = junit_cases(&run.stdout);
    assert_eq!(cases.len(), 1, "{}", run.stdout);
    assert_eq!(cases[0].outcome, "passed");
}

/// One `<testcase>`: its name, file attribute, and `failure`, `skipped` or `passed`
/// with the element's text.
#[derive(Debug)]
struct Case {
    name: String,
    file: Option<String>,
    outcome: String,
    text: String,
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).unwrap().map(|a| {
        a.normalized_value(XmlVersion::Explicit1_0)
            .unwrap()
            .into_owned()
    })
}

/// Parses the whole document (a syntax error fails the test) into its test cases.
fn junit_cases(xml: &str) -> Vec<Case> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases: Vec<Case> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "testcase" => {
                cases.push(Case {
                    name: attr(&e, "name").unwrap(),
                    file: attr(&e, "file"),
                    outcome: "passed".into(),
                    text: String::new(),
                });
                if matches!(reader.read_event(), Ok(Event::End(_))) {
                    continue;
                }
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(e.name().as_ref(), "failure" | "skipped") =>
            {
                let case = cases.last_mut().unwrap();
                case.outcome = e.name().as_ref().to_string();
            }
            Event::Text(t) => {
                if let Some(case) = cases.last_mut() {
                    case.text.push_str(&t.xml_content(XmlVersion::Explicit1_0));
                }
            }
            Event::GeneralRef(r) => {
                let c = r.resolve_char_ref().unwrap().unwrap_or_else(|| {
                    match r.xml_content(XmlVersion::Explicit1_0).as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unknown entity &{other};"),
                    }
                });
                if let Some(case) = cases.last_mut() {
                    case.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    cases
}

#[test]
fn junit_has_a_failing_case_per_broken_link_named_by_its_place() {
    let site = SiteTest::fixture("links");
    let run = site.run(["check", "--format", "junit"]);
    run.expect_code(1);
    let cases = junit_cases(&run.stdout);
    let report = site.run(["check", "--format", "json"]).json();
    let broken = report["broken"].as_array().unwrap().len();
    let unknown = report["unknown"].as_array().unwrap().len();
    assert_eq!(cases.len(), broken + unknown, "{}", run.stdout);
    let failures: Vec<&Case> = cases.iter().filter(|c| c.outcome == "failure").collect();
    assert_eq!(failures.len(), broken);
    let line = site
        .read("content/links.md")
        .lines()
        .position(|l| l.contains("(nope.md)"))
        .unwrap()
        + 1;
    let place = format!("content/links.md:{line}:3");
    let nope = failures
        .iter()
        .find(|c| c.name == format!("{place} broken-page-link") && c.text.contains("`nope.md`"))
        .unwrap_or_else(|| panic!("no case for {place}:\n{}", run.stdout));
    assert!(nope.text.starts_with(&format!("{place}: broken link")));
    assert_eq!(nope.file.as_deref(), Some("content/links.md"));
    // The top element counts what is inside.
    assert!(run.stdout.contains(&format!(
        "<testsuites name=\"dcrsite check\" tests=\"{}\" failures=\"{broken}\"",
        broken + unknown
    )));
}

/// Run from the repository with `--root docs`, paths name the files from the repository
/// (as GitHub and GitLab resolve them), in every machine format.
#[test]
fn paths_are_relative_to_where_the_check_runs() {
    let repo = tempfile::tempdir().unwrap();
    let site = SiteTest::fixture_in("links", repo.path());
    let name = site
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let run_in = |dir: &Path, format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_dcrsite"))
            .args(["check", "--root", &name, "--format", format])
            .current_dir(dir)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let log: Value = serde_json::from_str(&run_in(repo.path(), "sarif")).unwrap();
    let uris: BTreeSet<String> = sarif_places(&log).into_iter().map(|p| p.0).collect();
    assert!(
        uris.contains(&format!("{name}/content/links.md")),
        "{uris:?}"
    );
    assert!(uris.iter().all(|u| u.starts_with(&format!("{name}/"))));
    let github = run_in(repo.path(), "github");
    assert!(github.contains(&format!("::error file={name}/content/links.md,line=")));
    let junit = run_in(repo.path(), "junit");
    assert!(junit.contains(&format!("<testsuite name=\"{name}/content/links.md\"")));
}
