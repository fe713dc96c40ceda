//! `--format junit`: JUnit XML, the test report GitLab, Jenkins and Azure Pipelines read.
//! Each file with findings is a test suite and each finding a test case named by its
//! `file:line:column`: an error is a failure, a warning a skipped case (shown, not
//! failing). A clean check is one passing case, so the report is never empty.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{entries, Entry};
use crate::check::report::summary;
use crate::check::Report;
use crate::diagnostics::Severity;

/// The JUnit XML of `report`; `prefix` is put before every path.
pub fn junit(report: &Report, prefix: &str) -> String {
    let entries = entries(report);
    let mut files: BTreeMap<&str, Vec<&Entry<'_>>> = BTreeMap::new();
    for e in &entries {
        files.entry(e.file).or_default().push(e);
    }
    let failures = entries.iter().filter(|e| e.severity == Severity::Error);
    let skipped = entries.len() - failures.clone().count();
    let summary = summary(report);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let tests = entries.len().max(1);
    let _ = writeln!(
        out,
        "<testsuites name=\"dcrsite check\" tests=\"{tests}\" failures=\"{}\" errors=\"0\" skipped=\"{skipped}\">",
        failures.count()
    );
    if entries.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"dcrsite check\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n    <testcase classname=\"dcrsite\" name=\"{}\"/>\n  </testsuite>",
            escape(&summary)
        );
    }
    for (file, list) in files {
        suite(&mut out, &format!("{prefix}{file}"), &list, prefix);
    }
    out.push_str("</testsuites>\n");
    out
}

fn suite(out: &mut String, file: &str, list: &[&Entry<'_>], prefix: &str) {
    let failures = list
        .iter()
        .filter(|e| e.severity == Severity::Error)
        .count();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{}\">",
        escape(file),
        list.len(),
        list.len() - failures
    );
    for e in list {
        let location = e.location(prefix);
        let _ = write!(
            out,
            "    <testcase classname=\"{}\" name=\"{} {}\" file=\"{}\"",
            escape(file),
            escape(&location),
            e.rule.id,
            escape(file)
        );
        if let Some(line) = e.line {
            let _ = write!(out, " line=\"{line}\"");
        }
        let text = format!("{location}: {}", e.message);
        let _ = match e.severity {
            Severity::Error => writeln!(
                out,
                ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                e.rule.id,
                escape(&e.message),
                escape(&text)
            ),
            Severity::Warning => writeln!(
                out,
                ">\n      <skipped message=\"warning: {}\"/>\n      <system-out>{}</system-out>\n    </testcase>",
                escape(&e.message),
                escape(&text)
            ),
        };
    }
    out.push_str("  </testsuite>\n");
}

/// XML text and attribute escaping; characters XML 1.0 cannot hold are dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            escape("a<b>&\"c'\u{1}\nd"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;d"
        );
    }
}
