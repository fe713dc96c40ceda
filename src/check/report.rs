//! Printing a [`Report`]: for people (grouped by source file, a template link broken on
//! every page shown once), as JSON (the contract in DESIGN.md), or as GitHub annotations.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Finding, Report};

/// `--format json`: one object, `checked`, `broken` and `unknown`.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// `--format github`: one workflow command per link, `error` for broken, `warning` for
/// unknown, so the annotations appear on the pull request's diff.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for (level, findings) in [("error", &report.broken), ("warning", &report.unknown)] {
        for f in findings {
            let mut props = format!("file={}", escape_property(&f.source_file));
            if let Some(line) = f.line {
                let _ = write!(props, ",line={line}");
            }
            if let Some(col) = f.column {
                let _ = write!(props, ",col={col}");
            }
            let _ = write!(props, ",title={}", escape_property(&title(f)));
            let _ = writeln!(out, "::{level} {props}::{}", escape_data(&message(f)));
        }
    }
    for d in &report.problems {
        let level = if d.is_error() { "error" } else { "warning" };
        let _ = writeln!(
            out,
            "::{level} file={},title=file not checked::{}",
            escape_property(&d.path),
            escape_data(&d.message)
        );
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn title(f: &Finding) -> String {
    format!("broken {} link", f.kind.as_str())
}

fn message(f: &Finding) -> String {
    let mut m = format!("broken link `{}`: {}", f.target, f.reason);
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
    let external = if c.external > 0 {
        format!(", {} external URLs", c.external)
    } else {
        String::new()
    };
    let languages = if report.languages.is_empty() {
        String::new()
    } else {
        format!(" ({})", super::languages::summary(&report.languages))
    };
    format!(
        "{broken}{by_kind}{unknown}{not_checked}; checked {} links in {} pages{languages}{external}",
        c.links, c.pages
    )
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
            },
            broken: vec![
                f("a/index.html", "content/a.md", Some(4), "x/"),
                f("a/index.html", "t/templates/base.html", Some(9), "/x/"),
                f("b/index.html", "t/templates/base.html", Some(9), "/x/"),
                f("index.html", "t/templates/base.html", Some(9), "/x/"),
            ],
            unknown: vec![],
            problems: vec![],
            warnings: vec![],
            languages: vec![],
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
        let text = github(&r);
        assert_eq!(
            text.lines().next().unwrap(),
            "::error file=content/a.md,line=4,col=3,title=broken page link::broken link `a,b%25`: no page or file at /x/ (in a/index.html)"
        );
    }
}
