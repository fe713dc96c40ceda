//! An MkDocs project's `exclude_docs`, `not_in_nav` and `draft_docs`: gitignore-style
//! patterns (MkDocs reads them with pathspec's gitwildmatch) over paths in `docs_dir`,
//! matched here by the `ignore` crate's gitignore matcher.
//!
//! - excluded files are neither built nor copied. MkDocs always excludes `.*` (the
//!   content walk skips hidden files already) and `/templates/`, before the project's own
//!   patterns, so a `!` pattern can bring a template folder back;
//! - `not_in_nav` pages get no "not in the nav" warning;
//! - draft files are built only with `--drafts` (MkDocs: only by `serve`).

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// MkDocs' exclusions before `exclude_docs` (`.*` is left to the content walk).
const DEFAULT_EXCLUDE: &str = "/templates/";

/// The patterns as written in mkdocs.yml (each a block of lines).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocsPatterns {
    pub exclude_docs: String,
    pub not_in_nav: String,
    pub draft_docs: String,
}

/// The three sets of patterns, ready to match paths relative to `docs_dir`.
#[derive(Debug, Clone)]
pub struct DocsRules {
    exclude: Gitignore,
    not_in_nav: Gitignore,
    drafts: Gitignore,
}

impl DocsRules {
    /// The matchers, and a message for each pattern that cannot be read.
    pub fn new(patterns: &DocsPatterns) -> (DocsRules, Vec<String>) {
        let mut bad = Vec::new();
        let exclude = format!("{DEFAULT_EXCLUDE}\n{}", patterns.exclude_docs);
        let rules = DocsRules {
            exclude: matcher("exclude_docs", &exclude, &mut bad),
            not_in_nav: matcher("not_in_nav", &patterns.not_in_nav, &mut bad),
            drafts: matcher("draft_docs", &patterns.draft_docs, &mut bad),
        };
        (rules, bad)
    }

    /// Neither built nor copied.
    pub fn excluded(&self, path: &str) -> bool {
        matches(&self.exclude, path)
    }

    /// Left out of the nav on purpose: no warning.
    pub fn not_in_nav(&self, path: &str) -> bool {
        matches(&self.not_in_nav, path)
    }

    /// Built only with `--drafts`.
    pub fn draft(&self, path: &str) -> bool {
        matches(&self.drafts, path)
    }
}

fn matcher(key: &str, lines: &str, bad: &mut Vec<String>) -> Gitignore {
    let mut builder = GitignoreBuilder::new("");
    for line in lines.lines() {
        if let Err(e) = builder.add_line(None, line) {
            bad.push(format!("{key}: pattern `{line}` cannot be read: {e}"));
        }
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

/// `path` (a file, `/`-separated, relative to docs_dir) or a folder above it matches.
fn matches(rules: &Gitignore, path: &str) -> bool {
    rules.matched_path_or_any_parents(path, false).is_ignore()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(exclude: &str, not_in_nav: &str, drafts: &str) -> DocsRules {
        let (r, bad) = DocsRules::new(&DocsPatterns {
            exclude_docs: exclude.into(),
            not_in_nav: not_in_nav.into(),
            draft_docs: drafts.into(),
        });
        assert!(bad.is_empty(), "{bad:?}");
        r
    }

    #[test]
    fn gitignore_patterns_as_mkdocs_reads_them() {
        let r = rules("*.py\n/api/\n!api/keep.md\n", "orphan*.md\n", "drafts/\n");
        assert!(r.excluded("hooks.py") && r.excluded("a/b/x.py"));
        assert!(r.excluded("api/x.md"));
        assert!(!r.excluded("sub/api/x.md"), "anchored at docs_dir");
        assert!(!r.excluded("index.md"));
        assert!(r.not_in_nav("orphan1.md") && r.not_in_nav("a/orphan2.md"));
        assert!(!r.not_in_nav("other.md"));
        assert!(r.draft("drafts/d.md") && !r.draft("d.md"));
    }

    #[test]
    fn templates_are_excluded_unless_brought_back() {
        assert!(rules("", "", "").excluded("templates/x.html"));
        assert!(!rules("", "", "").excluded("a/templates/x.html"));
        assert!(!rules("!/templates/\n", "", "").excluded("templates/x.html"));
    }
}
