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
use crate::output::{Body, OutputFile};
use crate::site::markdown_pass::RenderedPage;
use crate::site::state::PageOut;

#[derive(Serialize, Deserialize, Clone)]
pub(crate) struct CachedDiagnostic {
    error: bool,
    kind: u8,
    path: String,
    line: Option<usize>,
    column: Option<usize>,
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

/// A page after Markdown, as [`RenderedPage`].
#[derive(Serialize, Deserialize)]
pub(crate) struct CachedRendered<'a> {
    #[serde(borrow)]
    html: Cow<'a, str>,
    md_title: Option<Title>,
    toc: Vec<TocEntry>,
    links: Vec<LinkRecord>,
    diagnostics: Vec<CachedDiagnostic>,
    #[serde(borrow)]
    plain_text: Cow<'a, str>,
    facts: Vec<Fact>,
    title: String,
    title_html: String,
    icon_html: String,
    description: String,
    summary: String,
    person: Option<Person>,
    avatar: Option<String>,
}

impl<'a> CachedRendered<'a> {
    pub(crate) fn new(r: &'a RenderedPage) -> Self {
        let m = &r.markdown;
        CachedRendered {
            html: Cow::Borrowed(&m.html),
            md_title: m.title.clone(),
            toc: m.toc.clone(),
            links: m.links.clone(),
            diagnostics: diagnostics(&m.diagnostics),
            plain_text: Cow::Borrowed(&m.plain_text),
            facts: m.facts.clone(),
            title: r.title.clone(),
            title_html: r.title_html.clone(),
            icon_html: r.icon_html.clone(),
            description: r.description.clone(),
            summary: r.summary.clone(),
            person: r.person.clone(),
            avatar: r.avatar.clone(),
        }
    }

    /// The page as it was before the blog's lists and the tags were added to it.
    pub(crate) fn undecorated(r: &'a RenderedPage, html: &'a str, diagnostics: usize) -> Self {
        let mut page = CachedRendered::new(r);
        page.html = Cow::Borrowed(html);
        page.diagnostics.truncate(diagnostics);
        page
    }

    pub(crate) fn into_page(self) -> RenderedPage {
        RenderedPage {
            markdown: RenderedMarkdown {
                html: self.html.into_owned(),
                title: self.md_title,
                toc: self.toc,
                links: self.links,
                diagnostics: restore(self.diagnostics),
                plain_text: self.plain_text.into_owned(),
                facts: self.facts,
            },
            title: self.title,
            title_html: self.title_html,
            icon_html: self.icon_html,
            description: self.description,
            summary: self.summary,
            person: self.person,
            avatar: self.avatar,
        }
    }
}

#[derive(Serialize, Deserialize)]
enum CachedBody<'a> {
    Text(#[serde(borrow)] Cow<'a, str>),
    Bytes(Cow<'a, [u8]>),
    Copy(std::path::PathBuf),
}

#[derive(Serialize, Deserialize)]
struct CachedFile<'a> {
    path: String,
    #[serde(borrow)]
    body: CachedBody<'a>,
    source: String,
    links: Vec<LinkRecord>,
    template: Option<String>,
}

impl<'a> CachedFile<'a> {
    fn new(path: &str, f: &'a OutputFile) -> Self {
        let body = match &f.body {
            Body::Bytes(b) => match std::str::from_utf8(b) {
                Ok(text) => CachedBody::Text(Cow::Borrowed(text)),
                Err(_) => CachedBody::Bytes(Cow::Borrowed(b)),
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

    /// The file, its bytes pointing into `payload` when they were decoded from it.
    fn into_file(self, payload: &Bytes) -> (String, OutputFile) {
        let body = match self.body {
            CachedBody::Text(t) => Body::Bytes(shared(payload, t.as_bytes())),
            CachedBody::Bytes(b) => Body::Bytes(shared(payload, &b)),
            CachedBody::Copy(p) => Body::Copy(p),
        };
        let file = OutputFile {
            body,
            source: self.source,
            links: self.links,
            template: self.template,
        };
        (self.path, file)
    }
}

/// `bytes` as a slice of `payload` when they lie inside it (no copy), else copied.
fn shared(payload: &Bytes, bytes: &[u8]) -> Bytes {
    let inside = payload.as_ptr_range();
    let range = bytes.as_ptr_range();
    if !bytes.is_empty() && inside.start <= range.start && range.end <= inside.end {
        payload.slice_ref(bytes)
    } else {
        Bytes::copy_from_slice(bytes)
    }
}

/// A page's files after templates, as [`PageOut`].
#[derive(Serialize, Deserialize)]
pub(crate) struct CachedOut<'a> {
    #[serde(borrow)]
    result: Result<Vec<CachedFile<'a>>, Vec<CachedDiagnostic>>,
    prefix_problems: Vec<CachedDiagnostic>,
}

impl<'a> CachedOut<'a> {
    pub(crate) fn new(out: &'a PageOut) -> Self {
        let result = match &out.result {
            Ok(files) => Ok(files.iter().map(|(p, f)| CachedFile::new(p, f)).collect()),
            Err(problems) => Err(diagnostics(problems)),
        };
        CachedOut {
            result,
            prefix_problems: diagnostics(&out.prefix_problems),
        }
    }

    /// The page's files; their bytes point into `payload` when decoded from it.
    pub(crate) fn into_out(self, payload: &Bytes) -> PageOut {
        PageOut {
            result: match self.result {
                Ok(files) => Ok(files.into_iter().map(|f| f.into_file(payload)).collect()),
                Err(problems) => Err(restore(problems)),
            },
            prefix_problems: restore(self.prefix_problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{kind_number, shared, CachedDiagnostic, KINDS};
    use crate::diagnostics::Diagnostic;

    /// A page decoded from the cache shares the cache's buffer; other bytes are copied.
    #[test]
    fn bytes_inside_the_payload_are_shared_not_copied() {
        let payload = bytes::Bytes::from(b"header<p>page</p>trailer".to_vec());
        let inside = shared(&payload, &payload[6..17]);
        assert_eq!(&inside[..], b"<p>page</p>");
        assert_eq!(inside.as_ptr(), payload[6..].as_ptr());
        let elsewhere = b"<p>page</p>".to_vec();
        let copied = shared(&payload, &elsewhere);
        assert_eq!(&copied[..], b"<p>page</p>");
        assert_ne!(copied.as_ptr(), elsewhere.as_ptr());
        assert!(shared(&payload, b"").is_empty());
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
