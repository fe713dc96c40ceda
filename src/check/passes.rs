//! The link check over a set of pages, in two passes: every page is read once for its
//! links and anchors, then links to fragments of other pages are decided once every
//! page's anchors are known. Links to other sites go to [`external`] when asked for.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use url::Url;

use super::changed::ChangedLines;
use super::external::{self, ExternalCause, ExternalOptions, Outcome};
use super::extract::{self, Document, HtmlLink};
use super::memo::ParseMemo;
use super::provenance::{self, Blame, Place};
use super::resolve::{self, FragmentTarget, Resolved, SharedTargets, Site, Unbuilt};
use super::{CheckError, CheckOptions, Finding, LinkKind, Reason, Report};
use crate::diagnostics::LinkCause;
use crate::output::{Output, OutputFile};
use crate::site::{CacheKey as Key, KeyHasher};

/// What is being checked.
pub(super) enum Input<'a> {
    Output {
        output: &'a Output,
        blame: &'a Blame<'a>,
        /// The previous build's parses, by the HTML's hash (see `memo`).
        memo: Option<&'a ParseMemo>,
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

    /// The bytes of the page at `path`, or why they cannot be read, naming the page.
    fn read(&self, path: &str) -> Result<Cow<'_, [u8]>, CheckError> {
        let read = match self {
            Input::Output { output, .. } => match output.get(path) {
                Some(f) => f.body.read(),
                None => Err(std::io::ErrorKind::NotFound.into()),
            },
            Input::Dir { dir, .. } => std::fs::read(dir.join(path)).map(Cow::Owned),
        };
        read.map_err(|source| CheckError::Read {
            path: self.error_path(path),
            source,
        })
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
    Broken(LinkKind, LinkCause),
    External(Url),
}

/// What the first pass keeps of a page once its links are resolved: its anchors, and
/// the links that are broken, external, or wait for another page's anchors. The page's
/// links themselves are dropped, so memory grows with the anchors of the site, not with
/// every link of every page.
struct PagePass<'p> {
    path: &'p str,
    anchors: HashSet<String>,
    /// The plugin whose generated content the page lacks (see `Document::generated`).
    generated: Option<String>,
    /// Links counted as checked.
    count: usize,
    pending: Vec<Pending>,
    /// Links (by index in the page) to a fragment of another page.
    deferred: Vec<(usize, FragmentTarget)>,
}

/// Checks every HTML file of `input`; `base_path` and `base_url` say where the site is
/// served.
pub(super) fn run(
    input: &Input<'_>,
    base_path: String,
    base_url: Option<Url>,
    options: &CheckOptions,
    unbuilt: Unbuilt,
) -> Result<Report, CheckError> {
    let paths = input.paths();
    let files: HashSet<String> = paths.iter().map(|p| p.to_string()).collect();
    let html: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| resolve::is_html(p))
        .collect();
    let pages = Pages {
        input,
        site: Site {
            files: &files,
            base_path,
            base_url,
            unbuilt,
        },
        external: options.external.is_some(),
        shared: SharedTargets::default(),
    };
    let passes: Vec<PagePass<'_>> = html
        .par_iter()
        .map(|&path| pages.first_pass(path))
        .collect::<Result<_, CheckError>>()?;
    let anchors: HashMap<&str, Anchors<'_>> = passes
        .iter()
        .map(|p| (p.path, (&p.anchors, p.generated.as_deref())))
        .collect();
    let late: Vec<Vec<Pending>> = passes
        .par_iter()
        .filter(|p| !p.deferred.is_empty())
        .map(|p| pages.second_pass(p, &anchors))
        .collect::<Result<_, CheckError>>()?;

    let mut report = Report::default();
    report.checked.pages = html.len();
    let per_page = passes
        .into_iter()
        .map(|p| (p.count, p.pending))
        .chain(late.into_iter().map(|pending| (0, pending)));
    let externals = record_broken(&mut report, per_page);
    if let (Some(ext), false) = (&options.external, externals.is_empty()) {
        check_externals(&mut report, externals, ext, options.changed.as_ref())?;
    }
    sort_findings(&mut report);
    Ok(report)
}

/// A page's anchors, and the plugin whose generated content it lacks.
type Anchors<'p> = (&'p HashSet<String>, Option<&'p str>);

/// One page's part of a check of some pages (`check_pages`): what the build keeps of it
/// to tell whether the next build must check it again (`verdict`).
pub(super) struct PageOutcome<'p> {
    pub(super) path: &'p str,
    /// Its anchors as links of other pages see them ([`anchors_key`]).
    pub(super) anchors: Key,
    /// The other pages whose anchors its links to fragments were decided with, each with
    /// its [`anchors_key`] then.
    pub(super) looked_up: Vec<(String, Key)>,
    /// Its broken links, in the order a whole check reports them.
    pub(super) broken: Vec<Finding>,
}

/// Checks the internal links of the pages `paths` of `input` only (every other file of
/// the site is a target): the same findings as [`run`] for these pages, by page. Pages
/// that their links name with a fragment are read for their anchors.
pub(super) fn check_pages<'p>(
    input: &Input<'_>,
    site: Site<'_>,
    paths: &[&'p str],
) -> Result<Vec<PageOutcome<'p>>, CheckError> {
    let pages = Pages {
        input,
        site,
        external: false,
        shared: SharedTargets::default(),
    };
    let passes: Vec<PagePass<'p>> = paths
        .par_iter()
        .map(|&path| pages.first_pass(path))
        .collect::<Result<_, CheckError>>()?;
    let checked: HashSet<&str> = paths.iter().copied().collect();
    let mut targets: Vec<&str> = (passes.iter())
        .flat_map(|p| p.deferred.iter().map(|(_, t)| t.file.as_str()))
        .filter(|file| !checked.contains(file))
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let read: Vec<(&str, Document)> = targets
        .par_iter()
        .map(|&file| Ok((file, pages.parse(file)?)))
        .collect::<Result<_, CheckError>>()?;
    let anchors: HashMap<&str, Anchors<'_>> = (passes.iter())
        .map(|p| (p.path, (&p.anchors, p.generated.as_deref())))
        .chain(
            read.iter()
                .map(|(f, d)| (*f, (&d.anchors, d.generated.as_deref()))),
        )
        .collect();
    passes
        .par_iter()
        .map(|p| pages.outcome(p, &anchors))
        .collect()
}

/// What a page's links to fragments see of it: its anchors and the plugin whose
/// generated content it lacks, as a key (`None`: no such page).
pub(super) fn anchors_key(anchors: Option<Anchors<'_>>) -> Key {
    let mut h = KeyHasher::new("anchors");
    if let Some((ids, generated)) = anchors {
        let mut ids: Vec<&String> = ids.iter().collect();
        ids.sort_unstable();
        h.debug(&generated);
        for id in ids {
            h.text(id);
        }
    }
    h.finish()
}

/// The pages being checked and the site their links resolve in.
struct Pages<'a> {
    input: &'a Input<'a>,
    site: Site<'a>,
    /// Links to other sites are checked, so counted and kept for HTTP.
    external: bool,
    /// Links resolved once for every page.
    shared: SharedTargets,
}

impl Pages<'_> {
    fn parse(&self, path: &str) -> Result<Document, CheckError> {
        if let Input::Output {
            output,
            memo: Some(memo),
            ..
        } = self.input
        {
            let known = output.get(path).and_then(|f| f.body.known_digest());
            if let Some(doc) = known.and_then(|digest| memo.known(path, digest)) {
                return Ok(doc);
            }
        }
        let bytes = self.input.read(path)?;
        if let Input::Output {
            memo: Some(memo), ..
        } = self.input
        {
            return Ok(memo.parse(path, &bytes));
        }
        // lol_html only fails on resource limits; such a page has nothing checkable.
        Ok(extract::parse_unplaced(&bytes, true).unwrap_or_default())
    }

    /// Pass 1: the page read once (its links not placed: see `pending_of`); links to
    /// other sites, missing files and fragments of the page itself are decided here,
    /// fragments of other pages deferred.
    fn first_pass<'p>(&self, path: &'p str) -> Result<PagePass<'p>, CheckError> {
        let doc = self.parse(path)?;
        let base = self.site.document_base(path, &doc);
        let mut count = 0;
        let mut found: Vec<(usize, PendingVerdict)> = Vec::new();
        let mut deferred = Vec::new();
        for (i, link) in doc.links.iter().enumerate() {
            let resolved = match self.shared.resolve(&self.site, &base, &link.url) {
                Resolved::Fragment(target) if target.file == path => {
                    target.verdict(Some(&doc.anchors), doc.generated.as_deref())
                }
                other => other,
            };
            match resolved {
                Resolved::Skip => {}
                Resolved::External(_) if !self.external => {}
                Resolved::Ok => count += 1,
                Resolved::Fragment(target) => {
                    count += 1;
                    deferred.push((i, target));
                }
                Resolved::Broken { kind, cause } => {
                    count += 1;
                    found.push((i, PendingVerdict::Broken(kind, cause)));
                }
                Resolved::External(url) => {
                    count += 1;
                    found.push((i, PendingVerdict::External(url)));
                }
            }
        }
        let pending = self.pending_of(path, &doc, found)?;
        Ok(PagePass {
            path,
            anchors: doc.anchors,
            generated: doc.generated,
            count,
            pending,
            deferred,
        })
    }

    /// Pass 2: the page's links to fragments of other pages, now that every page's
    /// anchors are known. Only a page with such a broken link is read again, to place it.
    fn second_pass(
        &self,
        page: &PagePass<'_>,
        anchors: &HashMap<&str, Anchors<'_>>,
    ) -> Result<Vec<Pending>, CheckError> {
        let found: Vec<(usize, PendingVerdict)> = page
            .deferred
            .iter()
            .filter_map(|(i, target)| {
                let (ids, generated) = match anchors.get(target.file.as_str()) {
                    Some(&(ids, generated)) => (Some(ids), generated),
                    None => (None, None),
                };
                match target.verdict(ids, generated) {
                    Resolved::Broken { kind, cause } => {
                        Some((*i, PendingVerdict::Broken(kind, cause)))
                    }
                    _ => None,
                }
            })
            .collect();
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let doc = self.parse(page.path)?;
        self.pending_of(page.path, &doc, found)
    }

    /// Page `page`'s part of [`check_pages`], once the anchors of the pages it links to
    /// with a fragment are known.
    fn outcome<'p>(
        &self,
        page: &PagePass<'p>,
        anchors: &HashMap<&str, Anchors<'_>>,
    ) -> Result<PageOutcome<'p>, CheckError> {
        let late = match page.deferred.is_empty() {
            true => Vec::new(),
            false => self.second_pass(page, anchors)?,
        };
        let mut report = Report::default();
        let pending = page.pending.iter().chain(&late);
        for p in pending {
            if let PendingVerdict::Broken(kind, cause) = &p.verdict {
                if !cause.is_undecided() {
                    report
                        .broken
                        .push(finding(p, *kind, Reason::Link(cause.clone())));
                }
            }
        }
        sort_findings(&mut report);
        let mut looked_up: Vec<&str> = page.deferred.iter().map(|(_, t)| t.file.as_str()).collect();
        looked_up.sort_unstable();
        looked_up.dedup();
        let looked_up = looked_up
            .into_iter()
            .map(|file| (file.to_string(), anchors_key(anchors.get(file).copied())));
        Ok(PageOutcome {
            path: page.path,
            anchors: anchors_key(Some((&page.anchors, page.generated.as_deref()))),
            looked_up: looked_up.collect(),
            broken: report.broken,
        })
    }

    /// The links at `found` (indexes into `doc.links`, ascending) of page `path`, each
    /// placed where it was written. Only these links get a position, from the page's HTML
    /// read again.
    fn pending_of(
        &self,
        path: &str,
        doc: &Document,
        found: Vec<(usize, PendingVerdict)>,
    ) -> Result<Vec<Pending>, CheckError> {
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let html = self.input.read(path)?;
        let wanted: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
        let positions = extract::positions(&html, &doc.links, &wanted);
        let links: Vec<HtmlLink> = (wanted.iter().zip(positions))
            .map(|(&i, (line, column))| HtmlLink {
                line,
                column,
                ..doc.links[i].clone()
            })
            .collect();
        let places = self.places_of(path, doc, &wanted, &links);
        Ok((found.into_iter().zip(links).zip(places))
            .map(|(((_, verdict), link), place)| Pending {
                source: path.to_string(),
                place,
                link,
                verdict,
            })
            .collect())
    }

    /// Source places of `links`, the links at `wanted` of page `path` placed in its HTML:
    /// the Markdown or template they came from for a rendered site, the HTML itself for a
    /// folder.
    fn places_of(
        &self,
        path: &str,
        doc: &Document,
        wanted: &[usize],
        links: &[HtmlLink],
    ) -> Vec<Place> {
        match (self.input, self.input.output_file(path)) {
            (Input::Output { blame, .. }, Some(file)) => {
                let aligned = provenance::align(&doc.links, &file.links, &self.site.base_path);
                (wanted.iter().zip(links))
                    .map(|(&i, link)| {
                        let record = aligned[i].and_then(|r| file.links.get(r));
                        blame.place(file, link, record)
                    })
                    .collect()
            }
            _ => links
                .iter()
                .map(|link| Place {
                    file: path.to_string(),
                    line: Some(link.line),
                    column: Some(link.column),
                    from_template: false,
                })
                .collect(),
        }
    }
}

/// Counts the checked links and records the broken ones; returns the links to other
/// sites, still to check.
fn record_broken(
    report: &mut Report,
    per_page: impl Iterator<Item = (usize, Vec<Pending>)>,
) -> Vec<(Pending, Url)> {
    let mut externals = Vec::new();
    for (count, pending) in per_page {
        report.checked.links += count;
        for p in pending {
            match &p.verdict {
                PendingVerdict::Broken(kind, cause) => {
                    let list = if cause.is_undecided() {
                        &mut report.unknown
                    } else {
                        &mut report.broken
                    };
                    list.push(finding(&p, *kind, Reason::Link(cause.clone())))
                }
                PendingVerdict::External(url) => {
                    let url = url.clone();
                    externals.push((p, url));
                }
            }
        }
    }
    externals
}

/// Checks the links to other sites over HTTP (each URL once) and records what is broken
/// or undecided. Excluded URLs are not counted as checked.
fn check_externals(
    report: &mut Report,
    externals: Vec<(Pending, Url)>,
    options: &ExternalOptions,
    changed: Option<&ChangedLines>,
) -> Result<(), CheckError> {
    let mut wanted: BTreeMap<Url, bool> = BTreeMap::new();
    let mut kept = Vec::new();
    for (p, url) in externals {
        if options.is_excluded(&url) {
            report.checked.links -= 1;
            continue;
        }
        if changed.is_some_and(|c| !c.contains(&p.place.file, p.place.line)) {
            report.checked.links -= 1;
            report.checked.unchanged_external += 1;
            continue;
        }
        let key = external::without_fragment(&url);
        *wanted.entry(key).or_default() |= url.fragment().is_some_and(|f| !f.is_empty());
        kept.push((p, url));
    }
    report.checked.external = wanted.len();
    let checked = external::check_urls(&wanted, options)?;
    report.warnings.extend(checked.warnings);
    for (p, url) in kept {
        let outcome = checked.outcomes.get(&external::without_fragment(&url));
        record_external(report, &p, &url, outcome);
    }
    Ok(())
}

/// Files one external link under broken or unknown by what checking its URL found.
fn record_external(report: &mut Report, p: &Pending, url: &Url, outcome: Option<&Outcome>) {
    let cause = match outcome {
        Some(Outcome::Ok { anchors }) => match external::fragment_cause(url, anchors.as_deref()) {
            None => return,
            Some(cause) => cause,
        },
        Some(Outcome::Failed(cause)) => cause.clone(),
        None => ExternalCause::NotChecked,
    };
    let list = if cause.is_broken() {
        &mut report.broken
    } else {
        &mut report.unknown
    };
    list.push(finding(p, LinkKind::External, Reason::External(cause)));
}

/// Findings in the order an author fixes them: by file, then place.
fn sort_findings(report: &mut Report) {
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
}

fn finding(p: &Pending, kind: LinkKind, reason: Reason) -> Finding {
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
