//! MkDocs' `validation:` settings: how loud each kind of problem MkDocs checks is
//! (`warn`, `info`, `ignore`). dcrsite honours a level written in `mkdocs.yml` for its
//! matching warnings, told apart by their [`Kind`]: `warn` keeps the warning, `info` and
//! `ignore` drop it (dcrsite has no info level; MkDocs' info lines do not count under
//! `strict` either). Kinds left unset keep dcrsite's warning.
//!
//! `validation.omitted_files` (or `absolute_links`) written directly under `validation`
//! applies to both `nav` and `links`, as MkDocs propagates it.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::mkdocs::MKDOCS_FILE;
use crate::diagnostics::{Diagnostic, Kind};

/// How loud a kind of problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Warn,
    Info,
    Ignore,
}

/// The levels `validation:` sets, by the kind of dcrsite warning each governs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validation {
    levels: BTreeMap<Kind, Level>,
}

/// `(section, key)` of `validation:` → the kind of warning it governs.
const SETTINGS: &[(&str, &str, Kind)] = &[
    ("nav", "omitted_files", Kind::NotInNav),
    ("nav", "not_found", Kind::NavNotFound),
    ("links", "not_found", Kind::BrokenLink),
    ("links", "absolute_links", Kind::BrokenAbsoluteLink),
    ("links", "unrecognized_links", Kind::UnrecognizedLink),
    ("links", "anchors", Kind::BrokenAnchor),
];

impl Validation {
    /// Reads `validation:` from mkdocs.yml's YAML; unusable levels are warned about
    /// (MkDocs refuses them) and left unset.
    pub fn read(root: &Value, text: &str, warnings: &mut Vec<Diagnostic>) -> Validation {
        let mut v = Validation::default();
        let Some(section) = root.get("validation") else {
            return v;
        };
        for &(part, key, kind) in SETTINGS {
            // The section's own key wins over the one propagated from `validation:`.
            let written = section
                .get(part)
                .and_then(|p| p.get(key))
                .or_else(|| section.get(key));
            let Some(written) = written else { continue };
            match written.as_str().and_then(level) {
                Some(level) => {
                    v.levels.insert(kind, level);
                }
                None => warnings.push(
                    Diagnostic::warning(
                        MKDOCS_FILE,
                        format!("validation `{key}` must be `warn`, `info` or `ignore`; ignored"),
                    )
                    .at_position(crate::diagnostics::position_of(text, &format!("{key}:"))),
                ),
            }
        }
        v
    }

    /// The level set for warnings of `kind`, if any.
    pub fn level(&self, kind: Kind) -> Option<Level> {
        self.levels.get(&kind).copied()
    }

    /// Whether a warning of `kind` fails a build under `strict: true`: MkDocs' strict
    /// mode counts what it logs at warning level, so a kind `validation:` leaves unset
    /// counts only if MkDocs warns about it by default (pages missing from the nav,
    /// anchors, absolute and unrecognized links are info). dcrsite's other warnings count.
    pub fn fails_strict(&self, kind: Kind) -> bool {
        let mkdocs_default = match kind {
            Kind::NotInNav
            | Kind::BrokenAnchor
            | Kind::BrokenAbsoluteLink
            | Kind::UnrecognizedLink => Level::Info,
            Kind::NavNotFound | Kind::BrokenLink | Kind::Other => Level::Warn,
        };
        self.level(kind).unwrap_or(mkdocs_default) == Level::Warn
    }

    /// Drops the warnings whose kind `validation:` sets to `info` or `ignore`.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics
            .retain(|d| d.is_error() || matches!(self.level(d.kind), None | Some(Level::Warn)));
    }
}

fn level(word: &str) -> Option<Level> {
    match word {
        "warn" => Some(Level::Warn),
        "info" => Some(Level::Info),
        "ignore" => Some(Level::Ignore),
        // `absolute_links: relative_to_docs` (MkDocs 1.6) resolves `/x.md` against the
        // docs: the links are checked, so their warnings stay.
        "relative_to_docs" => Some(Level::Warn),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> (Validation, Vec<Diagnostic>) {
        let root: Value = serde_yaml::from_str(yaml).unwrap();
        let mut w = Vec::new();
        (Validation::read(&root, yaml, &mut w), w)
    }

    #[test]
    fn levels_by_section_and_propagated() {
        let (v, w) = read("validation:\n  omitted_files: ignore\n  links:\n    anchors: info\n    not_found: warn\n");
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(v.level(Kind::NotInNav), Some(Level::Ignore));
        assert_eq!(v.level(Kind::BrokenAnchor), Some(Level::Info));
        assert_eq!(v.level(Kind::BrokenLink), Some(Level::Warn));
        assert_eq!(v.level(Kind::UnrecognizedLink), None);
        let (v, _) =
            read("validation:\n  absolute_links: ignore\n  nav:\n    omitted_files: warn\n");
        assert_eq!(v.level(Kind::BrokenAbsoluteLink), Some(Level::Ignore));
        assert_eq!(v.level(Kind::NotInNav), Some(Level::Warn));
    }

    #[test]
    fn apply_drops_info_and_ignore_only_for_their_kind() {
        let (v, _) =
            read("validation:\n  links:\n    anchors: ignore\n    unrecognized_links: info\n");
        let mut ds = vec![
            Diagnostic::warning("docs/a.md", "anchor").of_kind(Kind::BrokenAnchor),
            Diagnostic::warning("docs/a.md", "unrecognized").of_kind(Kind::UnrecognizedLink),
            Diagnostic::warning("docs/a.md", "file").of_kind(Kind::BrokenLink),
            Diagnostic::warning("docs/a.md", "other"),
        ];
        v.apply(&mut ds);
        let left: Vec<&str> = ds.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(left, ["file", "other"]);
    }

    #[test]
    fn strict_counts_what_mkdocs_logs_at_warning_level() {
        let (v, _) = read("site_name: x\n");
        assert!(v.fails_strict(Kind::BrokenLink) && v.fails_strict(Kind::Other));
        assert!(v.fails_strict(Kind::NavNotFound));
        assert!(!v.fails_strict(Kind::BrokenAnchor) && !v.fails_strict(Kind::NotInNav));
        assert!(!v.fails_strict(Kind::UnrecognizedLink));
        let (v, _) = read("validation:\n  anchors: warn\n  links:\n    not_found: info\n");
        assert!(v.fails_strict(Kind::BrokenAnchor));
        assert!(!v.fails_strict(Kind::BrokenLink));
    }

    #[test]
    fn a_bad_level_is_warned_at_its_line() {
        let (v, w) = read("site_name: x\nvalidation:\n  links:\n    anchors: loud\n");
        assert_eq!(v.level(Kind::BrokenAnchor), None);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(4));
        assert!(w[0].message.contains("`anchors`"), "{}", w[0].message);
    }
}
