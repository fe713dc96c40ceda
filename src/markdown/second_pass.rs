//! Pass 2 of rendering Markdown, over the parsed events: headings get their ids (the
//! leading `#` heading becomes the title and the rest the table of contents), code
//! blocks are highlighted, alerts get their markup, task-list boxes a name, and the
//! page's words are collected for descriptions and search.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::headings::Headings;
use super::text::Words;
use super::{alerts, mkdocs, Positions, RenderOptions, Title, TocEntry};
use crate::diagnostics::Diagnostic;

/// What the pass reads besides the events.
pub(super) struct Context<'r> {
    pub(super) opts: &'r RenderOptions<'r>,
    pub(super) positions: &'r Positions<'r>,
}

/// The events to write as HTML, and what was taken out of them.
pub(super) struct Shaped<'e> {
    pub(super) events: Vec<Event<'e>>,
    pub(super) title: Option<Title>,
    pub(super) toc: Vec<TocEntry>,
    pub(super) plain_text: String,
}

/// Runs the pass over `events` (each with its byte offset in the text of `text_len`
/// bytes it was parsed from).
pub(super) fn run<'e>(
    events: Vec<(Event<'e>, usize)>,
    headings: Headings<'e>,
    text_len: usize,
    context: &Context<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Shaped<'e> {
    let mut pass = SecondPass {
        context,
        diagnostics,
        headings,
        out: Vec::with_capacity(events.len() + 16),
        plain: Words::with_capacity(text_len),
        code: None,
        code_blocks: 0,
        image_depth: 0,
    };
    for (index, (event, offset)) in events.into_iter().enumerate() {
        pass.event(event, index == 0, offset);
    }
    pass.finish()
}

struct SecondPass<'e, 'c> {
    context: &'c Context<'c>,
    diagnostics: &'c mut Vec<Diagnostic>,
    headings: Headings<'e>,
    out: Vec<Event<'e>>,
    plain: Words,
    /// The open code block: a fenced block's info string, and its text so far.
    code: Option<(Option<CowStr<'e>>, String)>,
    /// Highlighted blocks so far on an MkDocs page (their line ids count them).
    code_blocks: usize,
    /// Images open around the current event: their alt text is not the page's words.
    image_depth: usize,
}

impl<'e> SecondPass<'e, '_> {
    /// One event; `first` when it is the document's first.
    fn event(&mut self, event: Event<'e>, first: bool, offset: usize) {
        if self.headings.is_open() {
            return self.in_heading(event);
        }
        if self.code.is_some() {
            return self.in_code(event);
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.headings.start(
                level,
                id,
                classes,
                attrs,
                first && level == HeadingLevel::H1,
                offset,
                self.context.opts,
                self.context.positions,
                self.diagnostics,
            ),
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((info, String::new()));
            }
            event => self.other(event),
        }
    }

    /// An event inside an open heading: kept until the heading ends.
    fn in_heading(&mut self, event: Event<'e>) {
        if let Event::End(TagEnd::Heading(_)) = event {
            self.end_heading();
        } else {
            self.headings.push(event, self.context.opts.icons.class());
        }
    }

    fn end_heading(&mut self) {
        let opts = self.context.opts;
        (self.headings).end(&mut self.out, &mut self.plain, opts, self.diagnostics);
    }

    /// An event inside an open code block: its text is kept until the block ends.
    fn in_code(&mut self, event: Event<'e>) {
        match event {
            Event::Text(t) => {
                if let Some((_, text)) = &mut self.code {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => self.end_code(),
            _ => {}
        }
    }

    /// The open code block ends: highlighted, and its text is among the page's words.
    fn end_code(&mut self) {
        let Some((info, text)) = self.code.take() else {
            return;
        };
        let html = self.code_html(info, &text);
        self.plain.space();
        self.plain.push(&text);
        self.plain.space();
        self.out.push(Event::Html(CowStr::from(html)));
    }

    /// A code block's HTML: on MkDocs pages as pymdownx writes it, elsewhere dcrsite's.
    fn code_html(&mut self, info: Option<CowStr<'e>>, text: &str) -> String {
        let opts = self.context.opts;
        match opts.mkdocs.filter(|d| d.enabled) {
            Some(d) => {
                let blocks = &mut self.code_blocks;
                mkdocs::code::block(d, info.as_deref(), text, opts.highlighter, blocks)
            }
            None => {
                let lang = info.and_then(fence_language);
                opts.highlighter.code_block(lang.as_deref(), text)
            }
        }
    }

    /// Any other event: alerts and task-list boxes get their markup, text goes to the
    /// page's words (blocks separating them), the rest is written as it is.
    fn other(&mut self, event: Event<'e>) {
        match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                self.plain.space();
                self.out.push(Event::Html(CowStr::from(alerts::open(kind))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.plain.space();
                self.out.push(Event::Html(CowStr::Borrowed(alerts::CLOSE)));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if self.image_depth == 0 {
                    self.plain.push(t);
                }
                self.out.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.plain.space();
                self.out.push(event);
            }
            Event::TaskListMarker(done) => {
                // pulldown's bare checkbox has no accessible name; say what it shows.
                self.out.push(Event::Html(CowStr::Borrowed(if done {
                    r#"<input type="checkbox" disabled checked aria-label="Done"> "#
                } else {
                    r#"<input type="checkbox" disabled aria-label="Not done"> "#
                })));
            }
            Event::Start(ref tag) => {
                if matches!(tag, Tag::Image { .. }) {
                    self.image_depth += 1;
                }
                if !is_inline(tag.to_end()) {
                    self.plain.space();
                }
                self.out.push(event);
            }
            Event::End(end) => {
                if end == TagEnd::Image {
                    self.image_depth = self.image_depth.saturating_sub(1);
                }
                if !is_inline(end) {
                    self.plain.space();
                }
                self.out.push(event);
            }
            _ => self.out.push(event),
        }
    }

    fn finish(mut self) -> Shaped<'e> {
        // Unterminated constructs cannot come out of the parser, but never lose text.
        if self.headings.is_open() {
            self.end_heading();
        }
        if let Some((info, text)) = self.code.take() {
            let html = self.code_html(info, &text);
            self.out.push(Event::Html(CowStr::from(html)));
        }
        let (title, toc) = self.headings.finish();
        Shaped {
            events: self.out,
            title,
            toc,
            plain_text: self.plain.finish(),
        }
    }
}

/// The language of a fenced code block: the info string's first word
/// (`rust,ignore` and `rust {.class}` give `rust`).
fn fence_language(info: CowStr<'_>) -> Option<CowStr<'_>> {
    let lang = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("");
    if lang.is_empty() {
        None
    } else if lang.len() == info.len() {
        Some(info)
    } else {
        Some(CowStr::from(lang.to_string()))
    }
}

/// Tags inside a line of text, which do not separate words.
pub(crate) fn is_inline(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}
