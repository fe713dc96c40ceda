//! The `check` sink: finds every broken link of a site.
//!
//! Works on the in-memory [`Output`](crate::output::Output) of the pipeline (so links
//! written in Markdown are reported where they were written) or on any folder of built
//! HTML (`--html DIR`). Jobs: [`run`] is the entry of `dcrsite check` (what to check,
//! with which settings), `passes` checks the links of a set of pages, [`extract`] reads
//! links and anchors from HTML, [`resolve`] decides internal links, [`fragment`] whether
//! a fragment names a place on a page (of the site or another), [`provenance`] finds
//! where a link was written, [`external`] checks other sites over HTTP, [`report`] prints
//! the result and `warnings` turns broken links into `build`'s warnings.

pub mod against;
pub mod changed;
pub mod content;
pub mod external;
pub mod extract;
pub mod formats;
pub mod fragment;
pub mod languages;
pub mod memo;
mod passes;
pub mod provenance;
pub mod report;
pub mod resolve;
pub mod run;
mod verdict;
mod warnings;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use url::Url;

use crate::content::inside::Inside;
use crate::content::walk;
use crate::diagnostics::{Diagnostic, LinkCause, Severity};
use crate::site::Rendered;

use external::{ExternalCause, ExternalOptions};
use passes::Input;
use provenance::Blame;

pub use run::{run_check, CheckFailure, CheckOutcome, CheckRun};
pub(crate) use verdict::Scanned;
pub(crate) use warnings::build_warnings;

/// What a broken link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    Page,
    Fragment,
    Asset,
    External,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Page => "page",
            LinkKind::Fragment => "fragment",
            LinkKind::Asset => "asset",
            LinkKind::External => "external",
        }
    }
}

/// One broken (or undecided) link, at the place an author fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The HTML file holding the link, relative to the output root.
    pub source: String,
    /// Where the link is written: Markdown file, template, or (for `--html`) the HTML file.
    pub source_file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The link exactly as written in the HTML.
    pub target: String,
    pub kind: LinkKind,
    pub reason: Reason,
    /// Written in a template (so possibly broken on every page); for grouping.
    #[serde(skip)]
    pub from_template: bool,
}

/// Why a link is broken or undecided; in JSON, its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A link within the site.
    Link(LinkCause),
    /// A link to another site: what its HTTP check found.
    External(ExternalCause),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Link(cause) => cause.fmt(f),
            Reason::External(cause) => cause.fmt(f),
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Checked {
    /// HTML files checked.
    pub pages: usize,
    /// Links checked (internal and external; `mailto:` and the like are not counted).
    pub links: usize,
    /// Distinct external URLs checked over HTTP (0 without `--external`).
    pub external: usize,
    /// Links to other sites not checked as they are on lines `--changed-since` did not
    /// change (not counted in `links`).
    #[serde(skip_serializing_if = "is_zero")]
    pub unchanged_external: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The result of a check: the JSON of `--format json`.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub checked: Checked,
    pub broken: Vec<Finding>,
    /// Links that could not be decided: external ones (timeouts, 429, 403), and ids on
    /// pages part of which a plugin dcrsite cannot run generates.
    pub unknown: Vec<Finding>,
    /// Files of an `--html` folder that were not checked, each an error at its path: a
    /// name that is not UTF-8, a link leading outside the folder, an unreadable entry.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Diagnostic>,
    /// Content checks' findings (not with `--html`, which has no Markdown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<content::ContentFinding>,
    /// `--against OLD`: what the old site published that this one no longer has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub against: Option<against::Against>,
    /// About the check itself, not the site (an external-link cache it could not use):
    /// shown before the report, not part of it.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
    /// A multilingual site: pages and broken links per language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<languages::LanguageCount>,
}

impl Report {
    /// Whether the check found something to fix (exit code 1).
    pub fn failed(&self) -> bool {
        !self.broken.is_empty()
            || self.problems.iter().any(Diagnostic::is_error)
            || self.content.iter().any(|f| f.severity == Severity::Error)
            || self.against.as_ref().is_some_and(against::Against::failed)
    }
}

/// Problems that stop a check from running at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{0}: not a folder")]
    NotAFolder(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("bad exclude pattern `{pattern}`: {message}")]
    BadPattern { pattern: String, message: String },
    #[error("`{0}` is not a usable site URL (expected something like https://example.org/docs/)")]
    BadBaseUrl(String),
    #[error("cannot start the HTTP client: {0}")]
    Http(String),
    /// `--changed-since`'s revision could not be compared with.
    #[error("--changed-since {0}")]
    BadChangedSince(String),
    /// `--against`'s site could not be read.
    #[error("--against: {0}")]
    BadAgainst(String),
}

/// Options for one check.
#[derive(Debug, Default)]
pub struct CheckOptions {
    /// Check links to other sites over HTTP with these settings.
    pub external: Option<ExternalOptions>,
    /// Check links to other sites only on these lines (`--changed-since`).
    pub changed: Option<changed::ChangedLines>,
}

/// Checks the links of a rendered site. `root` is the site folder (to read Markdown
/// sources for positions); templates and the configuration are searched as the site was
/// rendered with them.
pub fn check_rendered(
    rendered: &Rendered,
    root: &Path,
    options: &CheckOptions,
) -> Result<Report, CheckError> {
    check_rendered_with(rendered, root, options, None)
}

/// [`check_rendered`], taking the pages' links and anchors from `memo` where their HTML
/// is unchanged since it was made.
pub fn check_rendered_with(
    rendered: &Rendered,
    root: &Path,
    options: &CheckOptions,
    memo: Option<&memo::ParseMemo>,
) -> Result<Report, CheckError> {
    let (base_url, unbuilt) = (site_url(rendered), unbuilt(rendered));
    let mut report = on_output(rendered, root, memo, |input, base_path| {
        passes::run(input, base_path, base_url, options, unbuilt)
    })?;
    report.content = content::check_content(&rendered.pages, rendered.config.content_checks());
    let html = rendered.output.files.keys().map(String::as_str);
    let html = html.filter(|p| resolve::is_html(p));
    report.languages = languages::count(&rendered.config, html, &report);
    Ok(report)
}

/// The internal links of the HTML pages `paths` of a rendered site only, by page (see
/// [`passes::check_pages`]), taking parses from `memo` as [`check_rendered_with`] does.
fn check_rendered_pages<'p>(
    rendered: &Rendered,
    root: &Path,
    memo: Option<&memo::ParseMemo>,
    paths: &[&'p str],
) -> Result<Vec<passes::PageOutcome<'p>>, CheckError> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let files = rendered.output.files.keys().cloned().collect();
    on_output(rendered, root, memo, |input, base_path| {
        let site = resolve::Site {
            files: &files,
            base_path,
            base_url: site_url(rendered),
            unbuilt: unbuilt(rendered),
        };
        passes::check_pages(input, site, paths)
    })
}

/// Calls `f` with the rendered site's Output as the checker reads it (parses taken from
/// `memo` where the HTML is unchanged) and the site's base path.
fn on_output<R>(
    rendered: &Rendered,
    root: &Path,
    memo: Option<&memo::ParseMemo>,
    f: impl FnOnce(&Input<'_>, String) -> R,
) -> R {
    let base_path = rendered.config.base_path();
    let blame = Blame::new(root, &base_path, &rendered.templates, &rendered.config);
    let input = Input::Output {
        output: &rendered.output,
        blame: &blame,
        memo,
    };
    f(&input, base_path.clone())
}

/// The site's own URL, when it is one links can name (`http`, `https`).
fn site_url(rendered: &Rendered) -> Option<Url> {
    Url::parse(&rendered.config.base_url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

/// What the site's plugins write that the build did not.
fn unbuilt(rendered: &Rendered) -> resolve::Unbuilt {
    let plugins = &rendered.config.plugins;
    resolve::Unbuilt {
        versioned: plugins.versioned,
        pages_by: plugins.pages_by.clone(),
    }
}

/// Checks a folder of built HTML made by any generator. `base_url`, when given, is the URL
/// the folder is served at: its path is the prefix of root-relative links, and absolute
/// links to it are checked as internal.
pub fn check_html_dir(
    dir: &Path,
    base_url: Option<&str>,
    options: &CheckOptions,
) -> Result<Report, CheckError> {
    if !dir.is_dir() {
        return Err(CheckError::NotAFolder(dir.to_path_buf()));
    }
    let (base_path, base_url) = match base_url {
        None => ("/".to_string(), None),
        Some(b) if b.starts_with('/') => (with_slash(b), None),
        Some(b) => {
            let url = Url::parse(&with_slash(b))
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| CheckError::BadBaseUrl(b.to_string()))?;
            (url.path().to_string(), Some(url))
        }
    };
    // The folder is the site: what leads outside it is not read, what cannot be named is
    // reported, and the rest is checked.
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in Inside::new(dir).walk(dir, true) {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                match walk::to_slash_path(rel) {
                    Some(name) => files.push(name),
                    None => problems.push(walk::not_utf8(&walk::display_path(rel, Path::new("")))),
                }
            }
            Ok(_) => {}
            Err(d) => problems.push(d),
        }
    }
    let input = Input::Dir { dir, files };
    let mut report = passes::run(&input, base_path, base_url, options, Default::default())?;
    report.problems = problems;
    Ok(report)
}

fn with_slash(s: &str) -> String {
    if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    }
}
