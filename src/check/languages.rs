//! `check` on a multilingual site: pages and broken links per language, told apart by
//! the folder each language's pages are in (`es/…`; the default language's at the root).

use serde::Serialize;

use super::{Finding, Report};
use crate::config::Config;

/// One language's share of the check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageCount {
    pub code: String,
    /// HTML files of the language checked.
    pub pages: usize,
    /// Broken links on them.
    pub broken: usize,
}

/// The counts per language of a site's report (none for a site of one language).
pub(super) fn count<'a>(
    config: &Config,
    html: impl Iterator<Item = &'a str>,
    report: &Report,
) -> Vec<LanguageCount> {
    let default = config.languages.iter().find(|l| l.default);
    let Some(default) = default else {
        return Vec::new();
    };
    let language_of = |path: &str| {
        let first = path.split('/').next().unwrap_or("");
        config
            .other_languages()
            .find(|l| l.code == first && path.contains('/'))
            .unwrap_or(default)
            .code
            .clone()
    };
    let mut counts: Vec<LanguageCount> = config
        .languages
        .iter()
        .map(|l| LanguageCount {
            code: l.code.clone(),
            pages: 0,
            broken: 0,
        })
        .collect();
    let mut add = |path: &str, pages: usize, broken: usize| {
        let code = language_of(path);
        if let Some(c) = counts.iter_mut().find(|c| c.code == code) {
            c.pages += pages;
            c.broken += broken;
        }
    };
    for path in html {
        add(path, 1, 0);
    }
    for Finding { source, .. } in &report.broken {
        add(source, 0, 1);
    }
    counts
}

/// `en 55 pages, es 55 pages (2 broken)`.
pub(super) fn summary(counts: &[LanguageCount]) -> String {
    counts
        .iter()
        .map(|c| match c.broken {
            0 => format!("{} {} pages", c.code, c.pages),
            n => format!("{} {} pages ({n} broken)", c.code, c.pages),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
