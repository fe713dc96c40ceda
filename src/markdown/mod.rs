//! Markdown → HTML: pulldown-cmark with dcrsite's render passes
//! (heading ids and TOC, icons, link rewriting with provenance, alerts, highlighting).

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::icons::IconSet;

pub mod highlight;

pub use highlight::Highlighter;

/// What a relative link in Markdown turns into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkResolution {
    /// A link to site content: write this root-relative URL instead (`/guide/#setup`).
    Rewritten(String),
    /// Not ours to touch (external, `mailto:`, a pure `#fragment`, an absolute path, …).
    Unchanged,
    /// Looks like a link to site content but nothing is there.
    Broken { reason: String },
}

/// Resolves links written in Markdown against the site's content.
pub trait LinkResolver: Sync {
    /// `from` is the linking file relative to `content/` (`a/b.md`); `href` as written.
    fn resolve(&self, from: &str, href: &str) -> LinkResolution;
}

/// Everything the renderer needs besides the text.
pub struct RenderOptions<'a> {
    /// The Markdown file relative to the site root, for diagnostics (`content/a/b.md`).
    pub source_path: &'a str,
    /// The same file relative to `content/`, for link resolution (`a/b.md`).
    pub content_path: &'a str,
    /// Lines before the body in the file (front matter), so positions are file positions.
    pub line_offset: usize,
    pub icons: &'a IconSet,
    pub links: &'a dyn LinkResolver,
    pub highlighter: &'a Highlighter,
    pub smart_punctuation: bool,
}

/// A link or image reference found in the Markdown, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkRecord {
    /// The URL as it appears in the rendered HTML `href`/`src`.
    pub target: String,
    /// The URL as the author wrote it.
    pub written: String,
    pub line: usize,
    pub column: usize,
    pub is_image: bool,
}

/// The page title taken from a leading `# heading`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Title {
    /// Words only: no markup, no icon (for `<title>`, nav, search).
    pub text: String,
    /// Inner HTML of the heading as written (raw legacy icon markup kept), without the
    /// `{icon=…}` icon, which is in `icon_html`.
    pub html: String,
    pub icon_html: Option<String>,
}

/// One heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    /// Words only.
    pub text: String,
    /// The heading's icon (from `{icon=…}` or legacy raw `<img class=…>`), if any.
    pub icon_html: Option<String>,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, Default)]
pub struct RenderedMarkdown {
    pub html: String,
    /// The leading `#` heading, removed from `html`, when the document starts with one.
    pub title: Option<Title>,
    pub toc: Vec<TocEntry>,
    pub links: Vec<LinkRecord>,
    pub diagnostics: Vec<Diagnostic>,
    /// Plain text of the body (for descriptions and search).
    pub plain_text: String,
}

/// Renders one Markdown body.
pub fn render(markdown: &str, opts: &RenderOptions<'_>) -> RenderedMarkdown {
    // Placeholder until the render passes land: plain CommonMark.
    let _ = opts;
    let parser = pulldown_cmark::Parser::new(markdown);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    RenderedMarkdown {
        html,
        ..Default::default()
    }
}
