//! The `check` sink: finds every broken link of a site.
//!
//! Works on the in-memory [`Output`] of the pipeline (so links written in Markdown are
//! reported where they were written) or on any folder of built HTML (`--html DIR`).
//! Jobs: [`extract`] reads links and anchors from HTML, [`resolve`] decides internal
//! links, [`provenance`] finds where a link was written, [`external`] checks other sites
//! over HTTP, [`report`] prints the result.

pub mod external;
pub mod extract;
pub mod provenance;
pub mod report;
pub mod resolve;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use url::Url;

use crate::content::inside::Inside;
use crate::content::walk;
use crate::diagnostics::Diagnostic;
use crate::output::{Output, OutputFile};
use crate::site::Rendered;

use external::{ExternalOptions, Outcome};
use extract::{Document, HtmlLink};
use provenance::{Blame, Place};
use resolve::{FragmentTarget, Resolved, Site};

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
    pub reason: String,
    /// Written in a template (so possibly broken on every page); for grouping.
    #[serde(skip)]
    pub from_template: bool,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Checked {
    /// HTML files checked.
    pub pages: usize,
    /// Links checked (internal and external; `mailto:` and the like are not counted).
    pub links: usize,
    /// Distinct external URLs checked over HTTP (0 without `--external`).
    pub external: usize,
}

/// The result of a check: the JSON of `--format json`.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub checked: Checked,
    pub broken: Vec<Finding>,
    /// External links that could not be decided (timeouts, 429, 403).
    pub unknown: Vec<Finding>,
    /// Files of an `--html` folder that were not checked, each an error at its path: a
    /// name that is not UTF-8, a link leading outside the folder, an unreadable entry.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Diagnostic>,
}

impl Report {
    /// Whether the check found something to fix (exit code 1).
    pub fn failed(&self) -> bool {
        !self.broken.is_empty() || self.problems.iter().any(Diagnostic::is_error)
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
}

/// Options for one check.
#[derive(Debug, Default)]
pub struct CheckOptions {
    /// Check links to other sites over HTTP with these settings.
    pub external: Option<ExternalOptions>,
}

/// Checks the links of a rendered site. `root` is the site folder (to find templates and
/// Markdown sources for positions).
pub fn check_rendered(
    rendered: &Rendered,
    root: &Path,
    options: &CheckOptions,
) -> Result<Report, CheckError> {
    let base_path = rendered.config.base_path();
    let base_url = Url::parse(&rendered.config.base_url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let template_files = provenance::template_files(root, &rendered.config.theme);
    let blame = Blame::new(
        root,
        &base_path,
        &template_files,
        &rendered.config.source_file,
    );
    let input = Input::Output {
        output: &rendered.output,
        blame: &blame,
    };
    run(&input, base_path.clone(), base_url, options)
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
    let mut report = run(&input, base_path, base_url, options)?;
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

/// What is being checked.
enum Input<'a> {
    Output {
        output: &'a Output,
        blame: &'a Blame<'a>,
    },
    Dir {
        dir: &'a Path,
        files: Vec<String>,
    },
}

impl Input<'_> {
    fn paths(&self) -> Vec<&str> {
        match self {
            Input::Output { output, .. } => output.files.keys().map(String::as_str).collect(),
            Input::Dir { files, .. } => files.iter().map(String::as_str).collect(),
        }
    }

    fn read(&self, path: &str) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Input::Output { output, .. } => match output.get(path) {
                Some(f) => f.body.read(),
                None => Err(std::io::ErrorKind::NotFound.into()),
            },
            Input::Dir { dir, .. } => std::fs::read(dir.join(path)).map(Cow::Owned),
        }
    }

    fn output_file(&self, path: &str) -> Option<&OutputFile> {
        match self {
            Input::Output { output, .. } => output.get(path),
            Input::Dir { .. } => None,
        }
    }

    fn error_path(&self, path: &str) -> PathBuf {
        match self {
            Input::Output { .. } => PathBuf::from(path),
            Input::Dir { dir, .. } => dir.join(path),
        }
    }
}

/// A link of a page that needs reporting or an HTTP check.
struct Pending {
    source: String,
    place: Place,
    link: HtmlLink,
    verdict: PendingVerdict,
}

enum PendingVerdict {
    Broken(LinkKind, String),
    External(Url),
}

/// What the first pass keeps of a page once its links are resolved: its anchors, and
/// the links that are broken, external, or wait for another page's anchors. The page's
/// links themselves are dropped, so memory grows with the anchors of the site, not with
/// every link of every page.
struct PagePass<'p> {
    path: &'p str,
    anchors: HashSet<String>,
    /// Links counted as checked.
    count: usize,
    pending: Vec<Pending>,
    /// Links (by index in the page) to a fragment of another page.
    deferred: Vec<(usize, FragmentTarget)>,
}

fn run(
    input: &Input<'_>,
    base_path: String,
    base_url: Option<Url>,
    options: &CheckOptions,
) -> Result<Report, CheckError> {
    let paths = input.paths();
    let files: HashSet<String> = paths.iter().map(|p| p.to_string()).collect();
    let html: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| resolve::is_html(p))
        .collect();
    let site = Site {
        files: &files,
        base_path: base_path.clone(),
        base_url,
    };
    let parse = |path: &str| -> Result<Document, CheckError> {
        let bytes = input.read(path).map_err(|source| CheckError::Read {
            path: input.error_path(path),
            source,
        })?;
        // lol_html only fails on resource limits; such a page has nothing checkable.
        Ok(extract::parse(&bytes, true).unwrap_or_default())
    };
    let pending_of = |path: &str, doc: &Document, found: Vec<(usize, PendingVerdict)>| {
        let places = places_of(input, path, doc, &found, &base_path);
        found
            .into_iter()
            .zip(places)
            .map(|((i, verdict), place)| Pending {
                source: path.to_string(),
                place,
                link: doc.links[i].clone(),
                verdict,
            })
            .collect::<Vec<_>>()
    };

    // Pass 1: every page read once; links to other sites, missing files and fragments of
    // the page itself are decided here.
    let passes: Vec<PagePass<'_>> = html
        .par_iter()
        .map(|&path| {
            let doc = parse(path)?;
            let base = site.document_base(path, &doc);
            let mut count = 0;
            let mut found: Vec<(usize, PendingVerdict)> = Vec::new();
            let mut deferred = Vec::new();
            for (i, link) in doc.links.iter().enumerate() {
                let resolved = match site.resolve(&base, &link.url) {
                    Resolved::Fragment(target) if target.file == path => {
                        target.verdict(Some(&doc.anchors))
                    }
                    other => other,
                };
                match resolved {
                    Resolved::Skip => {}
                    Resolved::Ok => count += 1,
                    Resolved::Fragment(target) => {
                        count += 1;
                        deferred.push((i, target));
                    }
                    Resolved::Broken { kind, reason } => {
                        count += 1;
                        found.push((i, PendingVerdict::Broken(kind, reason)));
                    }
                    Resolved::External(url) => {
                        if options.external.is_some() {
                            count += 1;
                            found.push((i, PendingVerdict::External(url)));
                        }
                    }
                }
            }
            let pending = if found.is_empty() {
                Vec::new()
            } else {
                pending_of(path, &doc, found)
            };
            Ok(PagePass {
                path,
                anchors: doc.anchors,
                count,
                pending,
                deferred,
            })
        })
        .collect::<Result<_, CheckError>>()?;

    // Pass 2: fragments of other pages, now that every page's anchors are known. Only a
    // page with such a broken link is read again, to place it.
    let anchors: HashMap<&str, &HashSet<String>> =
        passes.iter().map(|p| (p.path, &p.anchors)).collect();
    let late: Vec<Vec<Pending>> = passes
        .par_iter()
        .filter(|p| !p.deferred.is_empty())
        .map(|p| {
            let found: Vec<(usize, PendingVerdict)> = p
                .deferred
                .iter()
                .filter_map(|(i, target)| {
                    match target.verdict(anchors.get(target.file.as_str()).copied()) {
                        Resolved::Broken { kind, reason } => {
                            Some((*i, PendingVerdict::Broken(kind, reason)))
                        }
                        _ => None,
                    }
                })
                .collect();
            if found.is_empty() {
                return Ok(Vec::new());
            }
            let doc = parse(p.path)?;
            Ok(pending_of(p.path, &doc, found))
        })
        .collect::<Result<_, CheckError>>()?;
    let per_page = passes
        .into_iter()
        .map(|p| (p.count, p.pending))
        .chain(late.into_iter().map(|pending| (0, pending)));

    let mut report = Report::default();
    report.checked.pages = html.len();
    let mut externals: Vec<(Pending, Url)> = Vec::new();
    for (count, pending) in per_page {
        report.checked.links += count;
        for p in pending {
            match &p.verdict {
                PendingVerdict::Broken(kind, reason) => {
                    report.broken.push(finding(&p, *kind, reason.clone()))
                }
                PendingVerdict::External(url) => {
                    let url = url.clone();
                    externals.push((p, url));
                }
            }
        }
    }

    if let (Some(ext), false) = (&options.external, externals.is_empty()) {
        let mut wanted: BTreeMap<String, bool> = BTreeMap::new();
        let mut kept = Vec::new();
        for (p, url) in externals {
            if ext.is_excluded(&url) {
                report.checked.links -= 1;
                continue;
            }
            let key = external::without_fragment(&url);
            *wanted.entry(key).or_default() |= url.fragment().is_some_and(|f| !f.is_empty());
            kept.push((p, url));
        }
        report.checked.external = wanted.len();
        let outcomes = external::check_urls(&wanted, ext)?;
        for (p, url) in kept {
            let key = external::without_fragment(&url);
            match outcomes.get(&key) {
                Some(Outcome::Ok { anchors }) => {
                    if let Some(reason) = external::fragment_problem(&url, anchors.as_deref()) {
                        match reason {
                            external::FragmentProblem::Missing(r) => {
                                report.broken.push(finding(&p, LinkKind::External, r))
                            }
                            external::FragmentProblem::Unsure(r) => {
                                report.unknown.push(finding(&p, LinkKind::External, r))
                            }
                        }
                    }
                }
                Some(Outcome::Broken(reason)) => {
                    report
                        .broken
                        .push(finding(&p, LinkKind::External, reason.clone()))
                }
                Some(Outcome::Unknown(reason)) => {
                    report
                        .unknown
                        .push(finding(&p, LinkKind::External, reason.clone()))
                }
                None => {
                    report
                        .unknown
                        .push(finding(&p, LinkKind::External, "not checked".to_string()))
                }
            }
        }
    }
    let order = |a: &Finding, b: &Finding| {
        (&a.source_file, a.line, a.column, &a.source, &a.target).cmp(&(
            &b.source_file,
            b.line,
            b.column,
            &b.source,
            &b.target,
        ))
    };
    report.broken.sort_by(order);
    report.unknown.sort_by(order);
    Ok(report)
}

fn finding(p: &Pending, kind: LinkKind, reason: String) -> Finding {
    Finding {
        source: p.source.clone(),
        source_file: p.place.file.clone(),
        line: p.place.line,
        column: p.place.column,
        target: p.link.raw.clone(),
        kind,
        reason,
        from_template: p.place.from_template,
    }
}

/// Source places of the links at `found` (indexes into `doc.links`) of page `path`.
fn places_of(
    input: &Input<'_>,
    path: &str,
    doc: &Document,
    found: &[(usize, PendingVerdict)],
    base_path: &str,
) -> Vec<Place> {
    let html_place = |link: &HtmlLink| Place {
        file: path.to_string(),
        line: Some(link.line),
        column: Some(link.column),
        from_template: false,
    };
    match (input, input.output_file(path)) {
        (Input::Output { blame, .. }, Some(file)) => {
            let aligned = provenance::align(&doc.links, &file.links, base_path);
            found
                .iter()
                .map(|(i, _)| {
                    let record = aligned[*i].and_then(|r| file.links.get(r));
                    blame.place(file, &doc.links[*i], record)
                })
                .collect()
        }
        _ => found
            .iter()
            .map(|(i, _)| html_place(&doc.links[*i]))
            .collect(),
    }
}

/// Broken internal links of a rendered site as build warnings: one per place (a template
/// link broken on many pages is one warning that says how many), leaving out links the
/// Markdown renderer already warned about at the same place.
///
/// `serve` does not run this: it reads every page of the site again, which would cost
/// each rebuild far more than re-rendering the page that changed. So `serve` shows the
/// broken links the renderer finds (relative links in Markdown) and `build` and `check`
/// show them all.
pub fn build_warnings(rendered: &Rendered, root: &Path) -> Vec<Diagnostic> {
    let report = match check_rendered(rendered, root, &CheckOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            return vec![Diagnostic::warning(
                "",
                format!("could not check links: {e}"),
            )]
        }
    };
    let already: HashSet<(&str, Option<usize>, Option<usize>)> = rendered
        .warnings
        .iter()
        .filter(|d| d.is_broken_link())
        .map(|d| (d.path.as_str(), d.line, d.column))
        .collect();
    type Place<'f> = (&'f str, Option<usize>, Option<usize>, &'f str);
    let mut grouped: BTreeMap<Place<'_>, Vec<&Finding>> = BTreeMap::new();
    for f in &report.broken {
        if already.contains(&(f.source_file.as_str(), f.line, f.column)) {
            continue;
        }
        grouped
            .entry((&f.source_file, f.line, f.column, &f.target))
            .or_default()
            .push(f);
    }
    grouped.into_values().map(|group| warning(&group)).collect()
}

/// One warning for the findings of one link at one place, on one page or several.
fn warning(group: &[&Finding]) -> Diagnostic {
    let f = group[0];
    let on = if group.len() > 1 {
        format!(" (on {} pages)", group.len())
    } else {
        format!(" (in {})", f.source)
    };
    let mut d = Diagnostic::broken_link(&f.source_file, &f.target, format!("{}{on}", f.reason));
    d.line = f.line;
    d.column = f.column;
    d
}
