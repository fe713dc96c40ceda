//! `--format sarif`: a SARIF 2.1.0 log, which GitHub code scanning shows on the lines of
//! a pull request. One run, dcrsite its tool, one result per finding at its Markdown
//! `file:line:column` (relative to the repository through `%SRCROOT%`).

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Map, Value};

use super::{entries, rules, Entry, Rule};
use crate::check::Report;
use crate::diagnostics::Severity;

/// The schema the log says it follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base every result's file is relative to: the repository, for GitHub.
const SRCROOT: &str = "%SRCROOT%";

/// What a relative URI reference cannot hold as is (RFC 3986); `/` stays a separator.
const URI_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The SARIF log of `report`; `prefix` is put before every path (see
/// [`path_prefix`](super::path_prefix)).
pub fn sarif(report: &Report, prefix: &str) -> String {
    let entries = entries(report);
    let rules = rules();
    let results: Vec<Value> = entries.iter().map(|e| result(e, &rules, prefix)).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver(&rules) },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

fn driver(rules: &[Rule]) -> Value {
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": r.description },
            })
        })
        .collect();
    json!({
        "name": "dcrsite",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://github.com/decred/dcrsite",
        "rules": rules,
    })
}

fn result(e: &Entry<'_>, rules: &[Rule], prefix: &str) -> Value {
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({ "uri": uri(prefix, e.file), "uriBaseId": SRCROOT }),
    );
    if let Some(line) = e.line {
        let mut region = json!({ "startLine": line });
        if let Some(column) = e.column {
            region["startColumn"] = json!(column);
        }
        physical.insert("region".into(), region);
    }
    let level = match e.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    json!({
        "ruleId": e.rule.id,
        "ruleIndex": rules.iter().position(|r| r.id == e.rule.id),
        "level": level,
        "message": { "text": e.message },
        "locations": [{ "physicalLocation": physical }],
    })
}

/// A file path as a relative URI reference.
fn uri(prefix: &str, path: &str) -> String {
    utf8_percent_encode(&format!("{prefix}{path}"), URI_PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("docs/", "content/a b#c.md"),
            "docs/content/a%20b%23c.md"
        );
        assert_eq!(uri("", "content/ünï.md"), "content/%C3%BCn%C3%AF.md");
    }
}
