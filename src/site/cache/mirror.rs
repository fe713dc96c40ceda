//! What the build cache keeps of a page, in a form serde can write and read back: the
//! pipeline's own types stay free of the cache's needs (a diagnostic's kind, which
//! `check --format json` leaves out, is kept here; a page's bytes are text when they are).

use std::borrow::Cow;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::contributors::Person;
use crate::diagnostics::{Diagnostic, Kind, Severity};
use crate::markdown::facts::Fact;
use crate::markdown::{LinkRecord, RenderedMarkdown, Title, TocEntry};
use crate::output::record::{digest, Digest, OutputRecord};
use crate::output::{Body, OutputFile};
use crate::site::markdown_pass::RenderedPage;
use crate::site::state::PageOut;

#[derive(Serialize, Deserialize, Clone)]
pub(crate) struct CachedDiagnostic {
    error: bool,
    kind: u8,
    pub(crate) path: String,
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    message: String,
    help: Option<String>,
}

/// Every kind, by its number in the cache (`kind_number` gives it).
const KINDS: [Kind; 7] = [
    Kind::BrokenLink,
    Kind::BrokenAnchor,
    Kind::BrokenAbsoluteLink,
    Kind::UnrecognizedLink,
    Kind::NotInNav,
    Kind::NavNotFound,
    Kind::Other,
];

impl From<&Diagnostic> for CachedDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        CachedDiagnostic {
            error: d.is_error(),
            kind: kind_number(d.kind),
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

impl From<CachedDiagnostic> for Diagnostic {
    fn from(d: CachedDiagnostic) -> Self {
        Diagnostic {
            severity: if d.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            kind: KINDS.get(d.kind as usize).copied().unwrap_or(Kind::Other),
            path: d.path,
            line: d.line,
            column: d.column,
            message: d.message,
            help: d.help,
        }
    }
}

/// A match, not a search of `KINDS`, so a new kind cannot compile without a number.
fn kind_number(kind: Kind) -> u8 {
    match kind {
        Kind::BrokenLink => 0,
        Kind::BrokenAnchor => 1,
        Kind::BrokenAbsoluteLink => 2,
        Kind::UnrecognizedLink => 3,
        Kind::NotInNav => 4,
        Kind::NavNotFound => 5,
        Kind::Other => 6,
    }
}

fn diagnostics(list: &[Diagnostic]) -> Vec<CachedDiagnostic> {
    list.iter().map(CachedDiagnostic::from).collect()
}

fn restore(list: Vec<CachedDiagnostic>) -> Vec<Diagnostic> {
    list.into_iter().map(Diagnostic::from).collect()
}

/// A page after Markdown, as [`RenderedPage`]. Made for a page only to be written or
/// hashed (`warm.rs`'s shown key, for every page of every build), it borrows what it can
/// rather than copying it; read back, it owns everything.
#[derive(Serialize, Deserialize)]
pub(crate) struct CachedRendered<'a> {
    html: Cow<'a, str>,
    md_title: Cow<'a, Option<Title>>,
    toc: Cow<'a, [TocEntry]>,
    links: Cow<'a, [LinkRecord]>,
    diagnostics: Vec<CachedDiagnostic>,
    plain_text: Cow<'a, str>,
    facts: Cow<'a, [Fact]>,
    includes: Cow<'a, [String]>,
    title: Cow<'a, str>,
    title_html: Cow<'a, str>,
    icon_html: Cow<'a, str>,
    description: Cow<'a, str>,
    summary: Cow<'a, str>,
    person: Cow<'a, Option<Person>>,
    avatar: Cow<'a, Option<String>>,
}

impl<'a> CachedRendered<'a> {
    pub(crate) fn new(r: &'a RenderedPage) -> Self {
        let m = &r.markdown;
        CachedRendered {
            html: Cow::Borrowed(&m.html),
            md_title: Cow::Borrowed(&m.title),
            toc: Cow::Borrowed(&m.toc),
            links: Cow::Borrowed(&m.links),
            diagnostics: diagnostics(&m.diagnostics),
            plain_text: Cow::Borrowed(&m.plain_text),
            facts: Cow::Borrowed(&m.facts),
            includes: Cow::Borrowed(&m.includes),
            title: Cow::Borrowed(&r.title),
            title_html: Cow::Borrowed(&r.title_html),
            icon_html: Cow::Borrowed(&r.icon_html),
            description: Cow::Borrowed(&r.description),
            summary: Cow::Borrowed(&r.summary),
            person: Cow::Borrowed(&r.person),
            avatar: Cow::Borrowed(&r.avatar),
        }
    }

    /// The page as it was before the blog's lists and the tags were added to it.
    pub(crate) fn undecorated(r: &'a RenderedPage, html: &'a str, diagnostics: usize) -> Self {
        let mut page = CachedRendered::new(r);
        page.html = Cow::Borrowed(html);
        page.diagnostics.truncate(diagnostics);
        page
    }

    /// Takes the HTML out (it is kept apart: `lazy.rs`), leaving none.
    pub(crate) fn take_html(&mut self) -> Cow<'a, str> {
        std::mem::take(&mut self.html)
    }

    /// The parts kept apart (`lazy.rs`): `html`, taken before, and the plain text and
    /// links, taken out (leaving none).
    pub(crate) fn take_body(&mut self, html: Cow<'a, str>) -> super::lazy::Body<'a> {
        super::lazy::Body {
            html,
            plain_text: std::mem::take(&mut self.plain_text),
            links: std::mem::take(&mut self.links),
        }
    }

    pub(crate) fn into_page(self) -> RenderedPage {
        RenderedPage {
            markdown: RenderedMarkdown {
                html: self.html.into_owned(),
                title: self.md_title.into_owned(),
                toc: self.toc.into_owned(),
                links: self.links.into_owned(),
                diagnostics: restore(self.diagnostics),
                plain_text: self.plain_text.into_owned(),
                facts: self.facts.into_owned(),
                includes: self.includes.into_owned(),
            },
            title: self.title.into_owned(),
            title_html: self.title_html.into_owned(),
            icon_html: self.icon_html.into_owned(),
            description: self.description.into_owned(),
            summary: self.summary.into_owned(),
            person: self.person.into_owned(),
            avatar: self.avatar.into_owned(),
        }
    }
}

/// A file's bytes: where they lie in the cache file's blob of bodies, the file the build
/// wrote into the output folder (its length and digest: `output::record` says whether
/// it is still there), or the file on disk they are copied from.
#[derive(Serialize, Deserialize)]
enum CachedBody {
    Stored { at: u64, len: u64 },
    Written { len: u64, digest: Digest },
    Copy(std::path::PathBuf),
}

/// The bodies of a cache's files, written after its entries in one run of bytes: read
/// back in one buffer that the loaded files share (a big site's cache is hundreds of
/// megabytes, mostly pages), instead of each page being allocated and copied. A build
/// that writes an output folder keeps only the pages' digests ([`Blob::digests_only`]):
/// the folder holds the bytes.
#[derive(Default)]
pub(crate) struct Blob {
    pub(crate) parts: Vec<Bytes>,
    len: u64,
    digests_only: bool,
}

impl Blob {
    pub(crate) fn digests_only() -> Blob {
        Blob {
            digests_only: true,
            ..Blob::default()
        }
    }

    fn add(&mut self, bytes: &Bytes) -> CachedBody {
        if self.digests_only {
            return CachedBody::Written {
                len: bytes.len() as u64,
                digest: digest(bytes),
            };
        }
        let at = self.len;
        self.len += bytes.len() as u64;
        self.parts.push(bytes.clone());
        CachedBody::Stored {
            at,
            len: bytes.len() as u64,
        }
    }
}

/// Where a cached page's bytes are found again: the cache file's blob, and the previous
/// build's output folder as its record describes it.
pub(crate) struct Bodies<'a> {
    pub(crate) blob: &'a Bytes,
    pub(crate) output: Option<&'a OutputRecord>,
}

/// Why a cached file cannot be used.
enum Unusable {
    /// Its bytes lie outside the blob: the cache is corrupted.
    Corrupted,
    /// The output folder no longer holds it as written: the page is rendered again.
    Gone,
}

#[derive(Serialize, Deserialize)]
struct CachedFile {
    path: String,
    body: CachedBody,
    source: String,
    links: Vec<LinkRecord>,
    template: Option<String>,
}

impl CachedFile {
    fn new(path: &str, f: &OutputFile, blob: &mut Blob) -> Self {
        let body = match &f.body {
            Body::Bytes(b) => blob.add(b),
            Body::Kept(k) => CachedBody::Written {
                len: k.written.len,
                digest: k.written.digest,
            },
            Body::Copy(p) => CachedBody::Copy(p.clone()),
        };
        CachedFile {
            path: path.to_string(),
            body,
            source: f.source.clone(),
            links: f.links.clone(),
            template: f.template.clone(),
        }
    }

    /// The file, its bytes a slice of the blob or the output folder's file.
    fn into_file(self, bodies: &Bodies<'_>) -> Result<(String, OutputFile), Unusable> {
        let blob = bodies.blob;
        let body = match self.body {
            CachedBody::Stored { at, len } => {
                let slice = usize::try_from(at).ok().and_then(|at| {
                    let end = at.checked_add(usize::try_from(len).ok()?)?;
                    blob.get(at..end).map(|_| blob.slice(at..end))
                });
                Body::Bytes(slice.ok_or(Unusable::Corrupted)?)
            }
            CachedBody::Written { len, digest } => {
                let kept = bodies.output.and_then(|r| r.kept(&self.path, len, digest));
                Body::Kept(kept.ok_or(Unusable::Gone)?)
            }
            CachedBody::Copy(p) => Body::Copy(p),
        };
        let file = OutputFile {
            body,
            source: self.source,
            links: self.links,
            template: self.template,
        };
        Ok((self.path, file))
    }
}

/// A page's files after templates, as [`PageOut`].
#[derive(Serialize, Deserialize)]
pub(crate) struct CachedOut {
    result: Result<Vec<CachedFile>, Vec<CachedDiagnostic>>,
    prefix_problems: Vec<CachedDiagnostic>,
    /// What the files were made from ([`PageOut::context`]).
    context: Option<super::Key>,
}

impl CachedOut {
    /// The page's entry; its files' bytes are added to `blob`.
    pub(crate) fn new(out: &PageOut, blob: &mut Blob) -> Self {
        let result = match &out.result {
            Ok(files) => Ok(files
                .iter()
                .map(|(p, f)| CachedFile::new(p, f, blob))
                .collect()),
            Err(problems) => Err(diagnostics(problems)),
        };
        CachedOut {
            result,
            prefix_problems: diagnostics(&out.prefix_problems),
            context: out.context,
        }
    }

    /// The page's files, their bytes slices of the blob or files of the output folder:
    /// `Ok(None)` when one is no longer there as written, `Err` when one lies outside the
    /// blob.
    pub(crate) fn into_out(self, bodies: &Bodies<'_>) -> Result<Option<PageOut>, &'static str> {
        let result = match self.result {
            Ok(files) => {
                let files = files.into_iter().map(|f| f.into_file(bodies));
                match files.collect::<Result<_, _>>() {
                    Ok(files) => Ok(files),
                    Err(Unusable::Gone) => return Ok(None),
                    Err(Unusable::Corrupted) => {
                        return Err("it is corrupted (a page lies outside it)")
                    }
                }
            }
            Err(problems) => Err(restore(problems)),
        };
        Ok(Some(PageOut {
            result,
            prefix_problems: restore(self.prefix_problems),
            context: self.context,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::{kind_number, Blob, Bodies, CachedDiagnostic, CachedFile, Unusable, KINDS};
    use crate::diagnostics::Diagnostic;
    use crate::output::{Body, OutputFile};

    /// A cached page's bytes are a slice of the blob read back, not a copy; a body
    /// outside the blob is refused.
    #[test]
    fn bodies_are_slices_of_the_blob() {
        let mut blob = Blob::default();
        let page = OutputFile::generated(b"<p>page</p>".to_vec(), "content/a.md");
        let other = OutputFile::generated(b"<p>other</p>".to_vec(), "content/b.md");
        let first = CachedFile::new("a/index.html", &page, &mut blob);
        let second = CachedFile::new("b/index.html", &other, &mut blob);
        let bytes: Vec<u8> = blob.parts.concat();
        let read = bytes::Bytes::from(bytes);
        let bodies = Bodies {
            blob: &read,
            output: None,
        };
        let (path, file) = second.into_file(&bodies).ok().unwrap();
        assert_eq!(path, "b/index.html");
        assert_eq!(file.body, other.body);
        let Body::Bytes(b) = &file.body else { panic!() };
        assert_eq!(b.as_ptr(), read[11..].as_ptr(), "shared, not copied");
        assert_eq!(first.into_file(&bodies).ok().unwrap().1, page);
        let outside = CachedFile::new("c.html", &page, &mut blob);
        assert!(matches!(
            outside.into_file(&bodies),
            Err(Unusable::Corrupted)
        ));
    }

    /// A build that writes an output folder keeps digests: the page comes back as the
    /// folder's file while it is there as written, and is rendered again once it is not.
    #[test]
    fn written_bodies_come_back_from_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let mut blob = Blob::digests_only();
        let page = OutputFile::generated(b"<p>page</p>".to_vec(), "content/a.md");
        let cached = || CachedFile::new("a.html", &page, &mut Blob::digests_only());
        assert!(matches!(
            CachedFile::new("a.html", &page, &mut blob).body,
            super::CachedBody::Written { len: 11, .. }
        ));
        assert!(blob.parts.is_empty(), "no bytes kept");
        std::fs::write(dir.path().join("a.html"), b"<p>page</p>").unwrap();
        let written = crate::output::record::written(
            &dir.path().join("a.html"),
            crate::output::record::digest(b"<p>page</p>"),
        )
        .unwrap();
        let record = crate::output::record::OutputRecord {
            folder: dir.path().to_path_buf(),
            files: [("a.html".to_string(), written)].into(),
            verified: false,
        };
        let empty = bytes::Bytes::new();
        let bodies = Bodies {
            blob: &empty,
            output: Some(&record),
        };
        let (_, file) = cached().into_file(&bodies).ok().unwrap();
        assert_eq!(file.body.read().unwrap().as_ref(), b"<p>page</p>");
        let no_record = Bodies {
            blob: &empty,
            output: None,
        };
        assert!(matches!(
            cached().into_file(&no_record),
            Err(Unusable::Gone)
        ));
        std::fs::remove_file(dir.path().join("a.html")).unwrap();
        assert!(matches!(cached().into_file(&bodies), Err(Unusable::Gone)));
    }

    #[test]
    fn every_kind_comes_back() {
        for (n, kind) in KINDS.iter().enumerate() {
            assert_eq!(kind_number(*kind) as usize, n);
            let d = Diagnostic::warning("content/a.md", "m")
                .of_kind(*kind)
                .at(3, 4);
            let back = Diagnostic::from(CachedDiagnostic::from(&d));
            assert_eq!(back, d);
            assert_eq!(back.kind, *kind);
        }
    }
}
