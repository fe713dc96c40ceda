//! Markdown → HTML: pulldown-cmark with dcrsite's render passes
//! (heading ids and TOC, icons, link rewriting with provenance, alerts, highlighting).

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag};
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, LineIndex, LinkCause};
use crate::icons::IconSet;

mod alerts;
mod contrast;
pub mod facts;
mod find;
mod footnotes;
mod headings;
pub(crate) mod highlight;
mod links;
pub mod mkdocs;
mod second_pass;
pub mod slugs;
mod text;

pub use footnotes::FootnoteOptions;
pub use headings::slugify;
pub use highlight::Highlighter;

/// What a relative link in Markdown turns into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkResolution {
    /// A link to site content: write this root-relative URL instead (`/guide/#setup`).
    Rewritten(String),
    /// Not ours to touch (external, `mailto:`, a pure `#fragment`, an absolute path, …).
    Unchanged,
    /// Looks like a link to site content but nothing is there.
    Broken { cause: LinkCause },
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
    /// The MkDocs dialect, for pages of an MkDocs project.
    pub mkdocs: Option<&'a mkdocs::Dialect>,
}

/// A link or image reference found in the Markdown, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Title {
    /// Words only: no markup, no icon (for `<title>`, nav, search).
    pub text: String,
    /// Inner HTML of the heading as written (raw legacy icon markup kept), without the
    /// `{icon=…}` icon, which is in `icon_html`.
    pub html: String,
    pub icon_html: Option<String>,
    /// The heading's id on MkDocs pages, made as `toc` makes every heading's.
    pub id: Option<String>,
    /// Its other attributes (attr_list's classes and `key=value`s) as HTML
    /// (` class="a" data-x="y"`), empty when it has none.
    pub attrs: String,
}

/// One heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// What `check`'s content checks look at (headings, images, links, bare URLs).
    pub facts: Vec<facts::Fact>,
    /// The files an MkDocs page looked at to include, relative to the project root: when
    /// one changes, the page is rendered again.
    pub includes: Vec<String>,
}

/// A path as [`RenderedMarkdown::includes`] names it: relative to `root`, `/`-separated.
pub fn included_path(root: &std::path::Path, path: &std::path::Path) -> Option<String> {
    mkdocs::relative_path(root, path)
}

/// Renders one Markdown body.
///
/// Phases: the MkDocs dialect's rewrite of the text (MkDocs pages only); the parse, during
/// which links are resolved and explicit heading ids collected; then headings, code
/// blocks, alerts and plain text ([`second_pass`]); then the HTML writer.
pub fn render(markdown: &str, opts: &RenderOptions<'_>) -> RenderedMarkdown {
    let mut diagnostics = Vec::new();
    let dialect = opts.mkdocs.filter(|d| d.enabled);
    let mut pre = dialect.map(|d| preprocess(markdown, d, opts, &mut diagnostics));
    let includes = pre.as_mut().map(|p| std::mem::take(&mut p.includes));
    let markdown = pre.as_ref().map(|p| p.text.as_str()).unwrap_or(markdown);
    let positions = Positions {
        index: LineIndex::new(markdown),
        line_offset: opts.line_offset,
        map: pre.as_ref().map(|p| p.map.as_slice()),
    };
    let mut links = Vec::new();
    let list_items = pre.as_ref().map_or(&[][..], |p| p.list_items.as_slice());
    let (events, explicit_ids) = parse(
        markdown,
        opts,
        &positions,
        list_items,
        &mut links,
        &mut diagnostics,
    );
    let facts = facts::scan(&events, markdown, &positions);
    let headings = headings::Headings::new(
        explicit_ids,
        dialect.map(|d| &d.toc_ids),
        headings::Permalink::of(dialect),
        dialect.map(|d| &d.toc),
    );
    let shaped = second_pass::run(
        events,
        headings,
        markdown.len(),
        &second_pass::Context {
            opts,
            positions: &positions,
        },
        &mut diagnostics,
    );
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2 + 64);
    match dialect {
        Some(_) => {
            pulldown_cmark::html::push_html(&mut html, mkdocs::link_html::write(shaped.events))
        }
        None => pulldown_cmark::html::push_html(&mut html, shaped.events.into_iter()),
    }
    if let Some(t) = dialect.and_then(|d| d.tab_ids.as_ref()) {
        let title_id = shaped.title.as_ref().and_then(|t| t.id.as_deref());
        html = mkdocs::tab_ids::apply(&html, title_id, t);
    }
    if let Some(d) = dialect {
        let title = shaped.title.as_ref();
        let title = title.and_then(|t| Some((1, t.id.as_deref()?, t.text.as_str())));
        if let Some(with_toc) = d.toc.replace_marker(&html, title, &shaped.toc) {
            html = with_toc;
        }
    }
    // Code annotations need a list after a block: nothing runs on pages without one.
    if let Some(d) = dialect.filter(|_| html.contains("</div>\n<ol>")) {
        html = mkdocs::annotations::apply(&html, d.code.annotate);
    }
    RenderedMarkdown {
        html,
        title: shaped.title,
        toc: shaped.toc,
        links,
        diagnostics,
        plain_text: shaped.plain_text,
        facts,
        includes: includes.unwrap_or_default(),
    }
}

/// MkDocs pages are rewritten into CommonMark + HTML first; the line map of the result
/// sends positions in the rewritten text back to the author's file.
fn preprocess(
    markdown: &str,
    dialect: &mkdocs::Dialect,
    opts: &RenderOptions<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> mkdocs::Pre {
    let at = mkdocs::Where {
        source_path: opts.source_path,
        line_offset: opts.line_offset,
    };
    mkdocs::preprocess(markdown, dialect, &at, diagnostics)
}

/// Pass 1: parses `markdown`, rewriting links as they come and reserving explicit heading
/// ids (returned), then applies the MkDocs dialect's and the footnotes' rewrites to the
/// events (each with its byte offset in `markdown`).
fn parse<'m>(
    markdown: &'m str,
    opts: &RenderOptions<'_>,
    positions: &Positions<'_>,
    list_items: &[(usize, bool)],
    links: &mut Vec<LinkRecord>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<(Event<'m>, usize)>, HashSet<String>) {
    let mut events: Vec<(Event<'_>, usize)> = Vec::with_capacity(markdown.len() / 16 + 16);
    for (event, range) in Parser::new_ext(markdown, parser_options(opts)).into_offset_iter() {
        let event = links::rewrite(event, range.start, opts, positions, links, diagnostics);
        events.push((event, range.start));
    }
    if let Some(d) = opts.mkdocs.filter(|d| d.enabled) {
        let mut notes = Vec::new();
        events = mkdocs::events(events, d, markdown, list_items, &mut notes);
        for note in notes {
            let (line, column) = positions.position(note.offset);
            diagnostics.push(
                Diagnostic::warning(opts.source_path, note.message)
                    .at(line, column)
                    .with_help(note.help),
            );
        }
    }
    // After the dialect's pass: MkDocs' attribute lists give ids too.
    let mut explicit_ids = HashSet::new();
    for (i, (event, _)) in events.iter().enumerate() {
        if let Event::Start(Tag::Heading {
            level,
            id: Some(id),
            ..
        }) = event
        {
            let is_title = i == 0 && *level == HeadingLevel::H1;
            if !is_title && !id.is_empty() {
                explicit_ids.insert(id.to_string());
            }
        }
    }
    // MkDocs pages write footnotes as Python-Markdown does; other sites as dcrsite does.
    match opts.mkdocs.filter(|d| d.enabled) {
        Some(d) => {
            if let Some(o) = &d.footnotes {
                for back in footnotes::rewrite_all_python(&mut events, o) {
                    let (line, column) = positions.position(back.at);
                    links.push(LinkRecord {
                        target: back.href.clone(),
                        written: back.href,
                        line,
                        column,
                        is_image: false,
                    });
                }
            }
        }
        None => footnotes::rewrite_all(&mut events),
    }
    (events, explicit_ids)
}

fn parser_options(opts: &RenderOptions<'_>) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if opts.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if let Some(d) = opts.mkdocs.filter(|d| d.enabled) {
        // `~~`, `~` and `^` are the inline pass's (pymdownx.tilde, pymdownx.caret).
        options.remove(Options::ENABLE_STRIKETHROUGH);
        // Python-Markdown's smarty has its own rules; the inline pass applies them.
        options.remove(Options::ENABLE_SMART_PUNCTUATION);
        // Heading attributes are attr_list's, read as it reads them (or text without it).
        options.remove(Options::ENABLE_HEADING_ATTRIBUTES);
        // Without the `footnotes` extension `[^1]: x` is a link reference, as in MkDocs.
        if d.footnotes.is_none() {
            options.remove(Options::ENABLE_FOOTNOTES);
        }
        if d.math {
            options |= Options::ENABLE_MATH;
        }
    }
    options
}

/// Byte offsets of the body to 1-based file lines and columns.
pub(crate) struct Positions<'a> {
    index: LineIndex<'a>,
    line_offset: usize,
    /// For preprocessed text: per line, the body line it came from and the columns the
    /// preprocessing removed.
    map: Option<&'a [(usize, isize)]>,
}

impl Positions<'_> {
    /// The position of `needle` on the line starting at or containing `offset`, or of
    /// `offset` itself when the line lacks it (to point at `icon=` in a heading).
    pub(crate) fn position_on_line(&self, offset: usize, needle: &str) -> (usize, usize) {
        let text = self.index.text();
        let rest = text.get(offset..).unwrap_or("");
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        match line.find(needle) {
            Some(i) => self.position(offset + i),
            None => self.position(offset),
        }
    }

    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let (line, column) = self.index.position(offset);
        match self.map.and_then(|m| m.get(line - 1)) {
            Some(&(src, shift)) => (
                src + self.line_offset,
                (column as isize + shift).max(1) as usize,
            ),
            None => (line + self.line_offset, column),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    use super::*;

    /// `guide.md[#frag]` exists (served at `/guide/`); `missing*` does not; URLs with a
    /// scheme and pure fragments are not the resolver's business.
    pub(crate) struct TestResolver;

    impl LinkResolver for TestResolver {
        fn resolve(&self, from: &str, href: &str) -> LinkResolution {
            assert_eq!(from, "page.md");
            if href.contains(':') || href.starts_with('#') || href.starts_with('/') {
                return LinkResolution::Unchanged;
            }
            let (path, fragment) = match href.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (href, None),
            };
            match path {
                "guide.md" => LinkResolution::Rewritten(match fragment {
                    Some(f) => format!("/guide/#{f}"),
                    None => "/guide/".to_string(),
                }),
                _ => LinkResolution::Broken {
                    cause: LinkCause::NoSuchFile {
                        path: format!("content/{href}"),
                    },
                },
            }
        }
    }

    pub(crate) fn icons() -> &'static IconSet {
        static ICONS: OnceLock<IconSet> = OnceLock::new();
        ICONS.get_or_init(|| {
            let mut icons = BTreeMap::new();
            icons.insert("Code".to_string(), None);
            icons.insert("Introductions".to_string(), None);
            IconSet::from_parts(icons, "/img/dcr-icons", "dcr-icon", false)
        })
    }

    /// `md` rendered with MkDocs dialect `d`, `line_offset` lines of front matter before it.
    pub(crate) fn render_dialect(
        md: &str,
        d: &crate::markdown::mkdocs::Dialect,
        line_offset: usize,
    ) -> RenderedMarkdown {
        let resolver = TestResolver;
        let mut opts = opts_with(&resolver, line_offset);
        opts.mkdocs = Some(d);
        render(md, &opts)
    }

    pub(crate) fn opts_with(resolver: &TestResolver, line_offset: usize) -> RenderOptions<'_> {
        static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
        RenderOptions {
            source_path: "content/page.md",
            content_path: "page.md",
            line_offset,
            icons: icons(),
            links: resolver,
            highlighter: HIGHLIGHTER.get_or_init(Highlighter::new),
            smart_punctuation: false,
            mkdocs: None,
        }
    }

    pub(crate) fn render_with(markdown: &str, opts: &RenderOptions<'_>) -> RenderedMarkdown {
        render(markdown, opts)
    }

    pub(crate) fn render_plain(markdown: &str) -> RenderedMarkdown {
        render(markdown, &opts_with(&TestResolver, 0))
    }

    #[test]
    fn empty_input() {
        let out = render_plain("");
        assert_eq!(out.html, "");
        assert!(out.title.is_none() && out.toc.is_empty() && out.links.is_empty());
        assert_eq!(out.plain_text, "");
    }

    #[test]
    fn raw_html_passes_through() {
        let html = "<div class=\"x\">\n<span>hi</span>\n</div>\n";
        let out = render_plain(html);
        assert_eq!(out.html, html);
        assert_eq!(out.plain_text, "");
        let out = render_plain("a <kbd>Ctrl</kbd> b\n");
        assert_eq!(out.html, "<p>a <kbd>Ctrl</kbd> b</p>\n");
        assert_eq!(out.plain_text, "a Ctrl b");
    }

    #[test]
    fn footnotes() {
        let out = render_plain("Text[^n].\n\n[^n]: The note.\n");
        assert!(
            out.html.contains(
                r##"<sup class="footnote-reference" id="fnref:n"><a href="#fn:n">1</a></sup>"##
            ),
            "{}",
            out.html
        );
        assert!(out
            .html
            .contains(r#"<div class="footnote-definition" id="fn:n">"#));
        // A heading named like a footnote keeps its id: the two never share one.
        let out = render_plain("## Note\n\nText[^note].\n\n[^note]: The note.\n");
        assert!(out.html.contains(r#"<h2 id="note">"#), "{}", out.html);
        assert!(out.html.contains(r#"id="fn:note""#), "{}", out.html);
    }

    #[test]
    fn tables() {
        let out = render_plain("| a | b |\n|---|--:|\n| 1 | 2 |\n");
        assert!(out.html.contains("<table>"), "{}", out.html);
        assert!(out.html.contains("<th>a</th>"));
        assert!(out.html.contains(r#"<td style="text-align: right">2</td>"#));
        assert_eq!(out.plain_text, "a b 1 2");
    }

    #[test]
    fn task_lists_and_strikethrough() {
        let out = render_plain("- [x] done\n- [ ] ~~todo~~\n");
        assert!(
            out.html
                .contains(r#"<input type="checkbox" disabled checked aria-label="Done"> done"#),
            "{}",
            out.html
        );
        assert!(out.html.contains(r#"aria-label="Not done"> <del>"#));
        assert!(out.html.contains("<del>todo</del>"));
        assert_eq!(out.plain_text, "done todo");
    }

    #[test]
    fn smart_punctuation_only_when_asked() {
        let md = "\"Quote\" -- it's...\n";
        let mut opts = opts_with(&TestResolver, 0);
        assert!(render(md, &opts).html.contains("\"Quote\" -- it's..."));
        opts.smart_punctuation = true;
        let html = render(md, &opts).html;
        assert!(html.contains("“Quote” – it’s…"), "{html}");
    }

    #[test]
    fn code_blocks_are_highlighted_or_plain() {
        let md = "```rust,ignore\nlet x = 1;\n```\n\n```nosuch\n<b>\n```\n\n    indented <i>\n";
        let out = render_plain(md);
        assert!(out
            .html
            .contains(r#"<pre class="highlight"><code class="language-rust"><span class="hl-"#));
        assert!(out.html.contains(
            "<pre class=\"highlight\"><code class=\"language-nosuch\">&lt;b&gt;\n</code></pre>"
        ));
        assert!(out
            .html
            .contains("<pre class=\"highlight\"><code>indented &lt;i&gt;\n</code></pre>"));
        assert_eq!(out.plain_text, "let x = 1; <b> indented <i>");
    }

    #[test]
    fn plain_text_is_words_only() {
        let md = "# Title\n\nSome *emph*asis and `code`.\n![alt words](x.png)\n\n- one\n- two\n  - three\n\n<p>raw</p>\n";
        let out = render_plain(md);
        assert_eq!(out.plain_text, "Some emphasis and code. one two three");
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let deep_quotes = ">".repeat(20_000) + " x\n";
        let deep_lists = (0..2_000)
            .map(|i| " ".repeat(i * 2) + "- x\n")
            .collect::<String>();
        let deep_brackets = "[".repeat(20_000) + "x" + &"](y)".repeat(20_000);
        let deep_emph = "*".repeat(20_000) + "x" + &"*".repeat(20_000);
        let weird = "# {icon=}\n## {#}\n### {icon}\n<img class=\"dcr-icon\"\n#### <img class=\n\0\u{feff}\r\n```\u{0}\n";
        let huge = "## Heading\n\nSome [text](guide.md) here.\n\n".repeat(20_000);
        for md in [
            &deep_quotes,
            &deep_lists,
            &deep_brackets,
            &deep_emph,
            weird,
            &huge,
        ] {
            let _ = render_plain(md);
        }
        let out = render_plain(&huge);
        assert_eq!(out.toc.len(), 20_000);
        assert_eq!(out.toc[19_999].id, "heading-19999");
    }
}
