//! Printing a [`Report`]: for people (grouped by source file, a template link broken on
//! every page shown once), as JSON (the contract in DESIGN.md), or as GitHub annotations.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::against::Against;
use super::content::ContentFinding;
use super::formats::Entry;
use super::{Finding, Report};
use crate::diagnostics::Severity;

/// `--format json`: one object, `checked`, `broken` and `unknown`.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// `--format github`: one workflow command per link, `error` for broken, `warning` for
/// unknown, so the annotations appear on the pull request's diff.
/// `prefix` goes before every path (see [`path_prefix`](super::formats::path_prefix)).
pub fn github(report: &Report, prefix: &str) -> String {
    let mut out = String::new();
    for (level, findings) in [("error", &report.broken), ("warning", &report.unknown)] {
        for f in findings {
            let file = format!("{prefix}{}", f.source_file);
            let mut props = format!("file={}", escape_property(&file));
            if let Some(line) = f.line {
                let _ = write!(props, ",line={line}");
            }
            if let Some(col) = f.column {
                let _ = write!(props, ",col={col}");
            }
            let _ = write!(props, ",title={}", escape_property(&title(f)));
            let word = if level == "error" {
                "broken"
            } else {
                "undecided"
            };
            let _ = writeln!(out, "::{level} {props}::{}", escape_data(&message(f, word)));
        }
    }
    for d in &report.problems {
        let level = if d.is_error() { "error" } else { "warning" };
        let _ = writeln!(
            out,
            "::{level} file={},title=file not checked::{}",
            escape_property(&format!("{prefix}{}", d.path)),
            escape_data(&d.message)
        );
    }
    for e in super::formats::site_entries(report) {
        out.push_str(&annotation(&e, prefix));
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// One workflow command for a finding about the site, titled by its rule.
fn annotation(e: &Entry<'_>, prefix: &str) -> String {
    let level = match e.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = format!("file={}", escape_property(&format!("{prefix}{}", e.file)));
    if let Some(line) = e.line {
        let _ = write!(props, ",line={line}");
    }
    if let Some(col) = e.column {
        let _ = write!(props, ",col={col}");
    }
    format!(
        "::{level} {props},title={}::{}\n",
        e.rule.id,
        escape_data(&e.message)
    )
}

fn title(f: &Finding) -> String {
    format!("broken {} link", f.kind.as_str())
}

/// `broken link `x/`: why (in the page)`: `word` says broken or undecided.
pub(crate) fn message(f: &Finding, word: &str) -> String {
    let mut m = format!("{word} link `{}`: {}", f.target, f.reason);
    if f.source_file != f.source {
        let _ = write!(m, " (in {})", f.source);
    }
    m
}

/// GitHub workflow-command escaping of the message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// … and of property values, which also end at `,` and `:`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The closing line: counts of what was checked and found.
pub fn summary(report: &Report) -> String {
    let c = &report.checked;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.broken {
        *kinds.entry(f.kind.as_str()).or_default() += 1;
    }
    let broken = match report.broken.len() {
        0 => "no broken links".to_string(),
        1 => "1 broken link".to_string(),
        n => format!("{n} broken links"),
    };
    let by_kind = if kinds.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            kinds
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let unknown = if report.unknown.is_empty() {
        String::new()
    } else {
        format!(", {} undecided", report.unknown.len())
    };
    let not_checked = match report.problems.len() {
        0 => String::new(),
        1 => ", 1 file not checked".to_string(),
        n => format!(", {n} files not checked"),
    };
    let content = content_counts(report);
    let against = report
        .against
        .as_ref()
        .map(against_counts)
        .unwrap_or_default();
    let mut external = if c.external > 0 {
        format!(", {} external URLs", c.external)
    } else {
        String::new()
    };
    if c.unchanged_external > 0 {
        let _ = write!(
            external,
            " ({} external links on unchanged lines not checked)",
            c.unchanged_external
        );
    }
    format!(
        "{broken}{by_kind}{unknown}{not_checked}{content}{against}; checked {} links in {} pages{external}",
        c.links, c.pages
    )
}

/// `, 1 content error, 98 content warnings` (or nothing).
fn content_counts(report: &Report) -> String {
    let errors = report
        .content
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = report.content.len() - errors;
    let mut out = String::new();
    for (n, word) in [(errors, "error"), (warnings, "warning")] {
        match n {
            0 => {}
            1 => out.push_str(&format!(", 1 content {word}")),
            n => out.push_str(&format!(", {n} content {word}s")),
        }
    }
    out
}

/// `, against old/: 2 of 40 URLs gone, 1 URL covered by a redirect, 1 anchor gone`.
fn against_counts(a: &Against) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let covered = match a.covered.len() {
        0 => String::new(),
        n => format!(", {} covered by a redirect", plural(n, "URL", "URLs")),
    };
    format!(
        ", against {}: {} of {} URLs gone{covered}, {} gone",
        a.old,
        a.removed.len(),
        a.urls,
        plural(a.removed_anchors.len(), "anchor", "anchors"),
    )
}

/// What `--against` found, for people: each gone URL with the alias line to add.
fn human_against(a: &Against, paint: &dyn Fn(&str, &str) -> String, out: &mut String) {
    let (label, code) = if a.strict {
        ("error", "1;31")
    } else {
        ("warning", "1;33")
    };
    if !(a.removed.is_empty() && a.removed_anchors.is_empty() && a.covered.is_empty()) {
        let _ = writeln!(out, "{}", paint("1", &format!("against {}", a.old)));
    }
    for r in &a.removed {
        let _ = writeln!(out, "  {} removed {}", paint(code, label), r.url);
        match &r.proposal {
            Some(p) => {
                let _ = writeln!(
                    out,
                    "           add to {}: {}   ({}% like /{})",
                    p.file, p.line, p.similarity, p.page
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "           no page is alike: add an alias to the page that replaces it"
                );
            }
        }
    }
    for c in &a.covered {
        let _ = writeln!(out, "  covered {} → {}", c.url, c.to);
    }
    for anchor in &a.removed_anchors {
        let renamed = anchor
            .renamed_to
            .as_ref()
            .map(|id| format!(" (renamed to #{id}?)"))
            .unwrap_or_default();
        let file = anchor.source_file.as_deref().unwrap_or("");
        let _ = writeln!(
            out,
            "  {} removed anchor {}{renamed} {file}",
            paint(code, label),
            anchor.url
        );
    }
}

/// The content checks' findings for people, grouped by file.
fn human_content(report: &Report, paint: &dyn Fn(&str, &str) -> String, out: &mut String) {
    let mut files: BTreeMap<&str, Vec<&ContentFinding>> = BTreeMap::new();
    for f in &report.content {
        files.entry(f.source_file.as_str()).or_default().push(f);
    }
    for (file, findings) in files {
        let _ = writeln!(out, "{}", paint("1", file));
        for f in findings {
            let at = match (f.line, f.column) {
                (Some(l), Some(c)) => format!("{l}:{c}"),
                (Some(l), None) => format!("{l}"),
                _ => "-".to_string(),
            };
            let (label, code) = match f.severity {
                Severity::Error => ("error", "1;31"),
                Severity::Warning => ("warning", "1;33"),
            };
            let _ = writeln!(
                out,
                "  {at:<8} {} {}: {}\n           help: {}",
                paint(code, label),
                f.check.id(),
                f.message,
                f.help
            );
        }
    }
}

/// The human report: findings grouped by the file to fix, each place once; a place
/// broken on several pages says on how many.
pub fn human(report: &Report, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    for (label, code, findings) in [
        ("broken", "1;31", &report.broken),
        ("unknown", "1;33", &report.unknown),
    ] {
        // source file → (line, column, target, kind) → findings on each page
        type Place<'a> = (Option<usize>, Option<usize>, &'a str, &'a str);
        let mut files: BTreeMap<&str, BTreeMap<Place<'_>, Vec<&Finding>>> = BTreeMap::new();
        for f in findings.iter() {
            files
                .entry(f.source_file.as_str())
                .or_default()
                .entry((f.line, f.column, f.target.as_str(), f.kind.as_str()))
                .or_default()
                .push(f);
        }
        for (file, places) in files {
            let _ = writeln!(out, "{}", paint("1", file));
            for ((line, column, target, kind), group) in places {
                let at = match (line, column) {
                    (Some(l), Some(c)) => format!("{l}:{c}"),
                    (Some(l), None) => format!("{l}"),
                    _ => "-".to_string(),
                };
                let first = group[0];
                let pages = if group.len() > 1 {
                    format!(
                        " (on {} pages: {}{})",
                        group.len(),
                        group
                            .iter()
                            .take(3)
                            .map(|f| f.source.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        if group.len() > 3 { ", …" } else { "" }
                    )
                } else if first.from_template {
                    format!(" (in {})", first.source)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "  {at:<8} {} {kind} `{target}`: {}{pages}",
                    paint(code, label),
                    first.reason
                );
            }
        }
    }
    human_content(report, &paint, &mut out);
    if let Some(against) = &report.against {
        human_against(against, &paint, &mut out);
    }
    let summary = summary(report);
    let _ = writeln!(
        out,
        "{}",
        if !report.failed() {
            paint("1;32", &summary)
        } else {
            paint("1;31", &summary)
        }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Checked, LinkKind, Reason};
    use super::*;
    use crate::diagnostics::LinkCause;

    fn f(source: &str, file: &str, line: Option<usize>, target: &str) -> Finding {
        Finding {
            source: source.into(),
            source_file: file.into(),
            line,
            column: line.map(|_| 3),
            target: target.into(),
            kind: LinkKind::Page,
            reason: Reason::Link(LinkCause::NoSuchFile { path: "/x/".into() }),
            from_template: file.contains("templates"),
        }
    }

    fn report() -> Report {
        Report {
            checked: Checked {
                pages: 3,
                links: 40,
                external: 0,
                unchanged_external: 0,
            },
            broken: vec![
                f("a/index.html", "content/a.md", Some(4), "x/"),
                f("a/index.html", "t/templates/base.html", Some(9), "/x/"),
                f("b/index.html", "t/templates/base.html", Some(9), "/x/"),
                f("index.html", "t/templates/base.html", Some(9), "/x/"),
            ],
            unknown: vec![],
            problems: vec![],
            content: vec![],
            against: None,
            warnings: vec![],
        }
    }

    #[test]
    fn human_groups_template_breakage() {
        let text = human(&report(), false);
        assert_eq!(
            text,
            "content/a.md\n  4:3      broken page `x/`: no page or file at /x/\nt/templates/base.html\n  9:3      broken page `/x/`: no page or file at /x/ (on 3 pages: a/index.html, b/index.html, index.html)\n4 broken links (4 page); checked 40 links in 3 pages\n"
        );
    }

    #[test]
    fn github_annotations_are_escaped() {
        let mut r = report();
        r.broken.truncate(1);
        r.broken[0].target = "a,b%".into();
        let text = github(&r, "");
        assert_eq!(
            text.lines().next().unwrap(),
            "::error file=content/a.md,line=4,col=3,title=broken page link::broken link `a,b%25`: no page or file at /x/ (in a/index.html)"
        );
    }
}
