//! Every finding of a [`Report`] as one entry: which rule, how bad, where, what.

use crate::check::against::Against;
use crate::check::content::ContentCheck;
use crate::check::{Finding, LinkKind, Report};
use crate::diagnostics::Severity;

/// A kind of finding, named the same in every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    /// One sentence: what the rule finds.
    pub description: &'static str,
}

const BROKEN_PAGE: Rule = Rule {
    id: "broken-page-link",
    description: "A link to a page of the site that is not there.",
};
const BROKEN_FRAGMENT: Rule = Rule {
    id: "broken-fragment-link",
    description: "A link to an anchor that is not on its page.",
};
const BROKEN_ASSET: Rule = Rule {
    id: "broken-asset-link",
    description: "A link or image to a file of the site that is not there.",
};
const BROKEN_EXTERNAL: Rule = Rule {
    id: "broken-external-link",
    description: "A link to another site that answers with an error.",
};
const UNDECIDED: Rule = Rule {
    id: "undecided-link",
    description: "A link that could not be decided (a timeout, a refusal, a generated page).",
};
const NOT_CHECKED: Rule = Rule {
    id: "file-not-checked",
    description: "A file of the folder that could not be checked.",
};
const REMOVED_URL: Rule = Rule {
    id: "removed-url",
    description: "A URL the published site had that this build no longer has, with no redirect.",
};
const REMOVED_ANCHOR: Rule = Rule {
    id: "removed-anchor",
    description: "An anchor of a page the published site had that the page no longer has.",
};

/// Every rule, in the order SARIF lists them: links, then content checks.
pub fn rules() -> Vec<Rule> {
    let links = [
        BROKEN_PAGE,
        BROKEN_FRAGMENT,
        BROKEN_ASSET,
        BROKEN_EXTERNAL,
        UNDECIDED,
        NOT_CHECKED,
        REMOVED_URL,
        REMOVED_ANCHOR,
    ];
    let content = ContentCheck::ALL.map(content_rule);
    links.into_iter().chain(content).collect()
}

fn content_rule(check: ContentCheck) -> Rule {
    Rule {
        id: check.id(),
        description: check.description(),
    }
}

/// One finding at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'r> {
    pub rule: Rule,
    pub severity: Severity,
    /// Relative to the site root (or the `--html` folder), `/`-separated.
    pub file: &'r str,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Entry<'_> {
    /// `file:line:column`, leaving out what is unknown, after `prefix`.
    pub fn location(&self, prefix: &str) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{prefix}{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{prefix}{}:{l}", self.file),
            _ => format!("{prefix}{}", self.file),
        }
    }
}

/// The report's findings: broken links (errors), undecided ones (warnings), files not
/// checked, content checks' findings, then what `--against` found gone.
pub fn entries(report: &Report) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for f in &report.broken {
        out.push(link_entry(
            f,
            broken_rule(f.kind),
            Severity::Error,
            "broken",
        ));
    }
    for f in &report.unknown {
        out.push(link_entry(f, UNDECIDED, Severity::Warning, "undecided"));
    }
    for d in &report.problems {
        out.push(Entry {
            rule: NOT_CHECKED,
            severity: d.severity,
            file: &d.path,
            line: d.line,
            column: d.column,
            message: d.message.clone(),
        });
    }
    out.extend(site_entries(report));
    out
}

/// The findings about the site rather than its links: content checks' and, with
/// `--against`, the URLs and anchors gone.
pub fn site_entries(report: &Report) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for f in &report.content {
        out.push(Entry {
            rule: content_rule(f.check),
            severity: f.severity,
            file: &f.source_file,
            line: f.line,
            column: f.column,
            message: format!("{} ({})", f.message, f.help),
        });
    }
    if let Some(against) = &report.against {
        against_entries(against, &mut out);
    }
    out
}

/// Removed URLs at the file where the proposed alias goes (else the site's configuration),
/// removed anchors at their page's Markdown: errors with `--strict-urls`.
fn against_entries<'r>(against: &'r Against, out: &mut Vec<Entry<'r>>) {
    let severity = if against.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    for r in &against.removed {
        let file = r
            .proposal
            .as_ref()
            .map_or(&against.config_file, |p| &p.file);
        out.push(Entry {
            rule: REMOVED_URL,
            severity,
            file,
            line: None,
            column: None,
            message: r.message(&against.old),
        });
    }
    for a in &against.removed_anchors {
        out.push(Entry {
            rule: REMOVED_ANCHOR,
            severity,
            file: a.source_file.as_ref().unwrap_or(&against.config_file),
            line: None,
            column: None,
            message: a.message(&against.old),
        });
    }
}

fn broken_rule(kind: LinkKind) -> Rule {
    match kind {
        LinkKind::Page => BROKEN_PAGE,
        LinkKind::Fragment => BROKEN_FRAGMENT,
        LinkKind::Asset => BROKEN_ASSET,
        LinkKind::External => BROKEN_EXTERNAL,
    }
}

fn link_entry<'r>(f: &'r Finding, rule: Rule, severity: Severity, word: &str) -> Entry<'r> {
    Entry {
        rule,
        severity,
        file: &f.source_file,
        line: f.line,
        column: f.column,
        message: crate::check::report::message(f, word),
    }
}
