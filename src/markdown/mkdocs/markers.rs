//! Markers the block pre-pass leaves in the text, acted on in the event pass:
//!
//! - `RAW_OPEN` starts a raw HTML block kept as written, in which `BLANK` stands for a
//!   blank line (a blank line would end the HTML block for pulldown-cmark);
//! - `TIGHT` at the end of an HTML run: the paragraph after it is inline content of the
//!   element (a title, a term, a tight definition), so its `<p>` goes;
//! - `INLINE` … `INLINE_END`: every paragraph between is inline content (an HTML block
//!   whose content is span-level);
//! - `DEFINE` … `DEFINE_END`: `/// define`'s content, whose paragraphs become terms and
//!   whose list items become definitions;
//! - `TITLE_HEADING` ending a heading: an admonition's title (see `inline::attributes`);
//! - abbreviation definitions (see `abbr`).
//!
//! Markers are HTML comments or a made-up tag, so a page rendered without this pass
//! still shows nothing of them.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Dialect;

pub(super) const RAW_OPEN: &str = "<dcr-raw>";
pub(super) const BLANK: &str = "<!--dcr:blank-->";
pub(super) const TIGHT: &str = "<!--dcr:tight-->";
pub(super) const INLINE: &str = "<!--dcr:inline-->";
pub(super) const INLINE_END: &str = "<!--dcr:/inline-->";
pub(super) const DEFINE: &str = "<!--dcr:define-->";
pub(super) const DEFINE_END: &str = "<!--dcr:/define-->";
/// Starts a line of inline markup that CommonMark would read as an HTML block but
/// Python-Markdown as a paragraph's text (`<span>` alone on its line); taken out of the
/// text again. A private-use character: no line starting with it starts a block.
pub(super) const PARA: &str = "\u{E000}";
/// Ends a heading that is an admonition's title: it gets the `admonition-title` class.
pub(super) const TITLE_HEADING: &str = "<!--dcr:admonition-title-->";

type Events<'a> = Vec<(Event<'a>, usize)>;

/// The event pass for the markers (see the module comment).
pub(super) fn events<'a>(events: Events<'a>, d: &Dialect) -> Events<'a> {
    let events = super::abbr::apply(events, d);
    let events = unwrap_paragraphs(events);
    define_lists(events)
}

/// What a marker in an HTML line asks for.
#[derive(Debug, PartialEq)]
enum Ask {
    Nothing,
    Tight,
    Inline,
    InlineEnd,
}

/// The line without the markers in it, and what they ask for.
fn strip_markers(html: &str) -> (Option<String>, Ask) {
    if !html.contains("<!--dcr:") && !html.contains(RAW_OPEN) {
        return (None, Ask::Nothing);
    }
    let trimmed = html.trim();
    if trimmed == RAW_OPEN {
        return (Some(String::new()), Ask::Nothing);
    }
    if trimmed == BLANK {
        return (Some("\n".to_string()), Ask::Nothing);
    }
    let ask = if trimmed.ends_with(TIGHT) {
        Ask::Tight
    } else if trimmed.contains(INLINE_END) {
        Ask::InlineEnd
    } else if trimmed.ends_with(INLINE) {
        Ask::Inline
    } else {
        Ask::Nothing
    };
    let mut text = html.to_string();
    for m in [TIGHT, INLINE, INLINE_END] {
        text = text.replace(m, "");
    }
    if ask == Ask::Tight {
        // The inline content follows the tag on the same line, as Python-Markdown writes it.
        text.truncate(text.trim_end_matches('\n').len());
    }
    (Some(text), ask)
}

/// Raw-block and blank markers taken out; the paragraphs `TIGHT` and `INLINE` ask for
/// unwrapped.
fn unwrap_paragraphs(events: Events<'_>) -> Events<'_> {
    let mut out = Vec::with_capacity(events.len());
    // The next paragraph is unwrapped (`TIGHT`), or all until `INLINE_END` (`INLINE`).
    let mut tight = false;
    let mut inline = 0usize;
    let mut unwrapping = false;
    // pulldown-cmark gives the indentation of an HTML block in a list item as text before
    // it; the block's HTML goes without it, as Python-Markdown writes it.
    let mut html_started = false;
    for (event, offset) in events {
        let html_start = std::mem::take(&mut html_started);
        match event {
            Event::Text(t) if html_start && t.trim().is_empty() => {}
            Event::Text(t) if t.contains(PARA) => {
                let t = t.replace(PARA, "");
                if !t.is_empty() {
                    out.push((Event::Text(CowStr::from(t)), offset));
                }
            }
            Event::Code(t) if t.contains(PARA) => {
                out.push((Event::Code(CowStr::from(t.replace(PARA, ""))), offset));
            }
            Event::Html(html) => {
                let (text, ask) = strip_markers(&html);
                match ask {
                    Ask::Tight => tight = true,
                    Ask::Inline => inline += 1,
                    Ask::InlineEnd => inline = inline.saturating_sub(1),
                    Ask::Nothing => {}
                }
                match text {
                    Some(t) if t.is_empty() => {}
                    Some(t) => out.push((Event::Html(CowStr::from(t)), offset)),
                    None => out.push((Event::Html(html), offset)),
                }
            }
            Event::Start(Tag::Paragraph) if tight || inline > 0 => {
                tight = false;
                unwrapping = true;
            }
            Event::End(TagEnd::Paragraph) if unwrapping => {
                unwrapping = false;
                if inline > 0 {
                    // Paragraphs of inline content stay apart by a line break in the source.
                    out.push((Event::Html(CowStr::Borrowed("\n")), offset));
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                html_started = true;
                out.push((event, offset))
            }
            Event::End(TagEnd::HtmlBlock) => out.push((event, offset)),
            Event::Start(_) => {
                tight = false;
                out.push((event, offset));
            }
            other => out.push((other, offset)),
        }
    }
    out
}

/// `/// define`'s content: at its top level, paragraphs become `<dt>`, list items `<dd>`
/// (their lists go), other blocks are wrapped in a `<dt>`; HTML stays as it is.
fn define_lists(events: Events<'_>) -> Events<'_> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(h) if h.contains(DEFINE)))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    // Per open define: the nesting depth inside it, and whether a top-level list is open.
    let mut stack: Vec<(usize, bool)> = Vec::new();
    for (event, offset) in events {
        let html = |s: &'static str| (Event::Html(CowStr::Borrowed(s)), offset);
        match &event {
            Event::Html(h) if h.contains(DEFINE_END) => {
                stack.pop();
                out.push((Event::Html(CowStr::from(h.replace(DEFINE_END, ""))), offset));
                continue;
            }
            Event::Html(h) if h.contains(DEFINE) => {
                out.push((Event::Html(CowStr::from(h.replace(DEFINE, ""))), offset));
                stack.push((0, false));
                continue;
            }
            _ => {}
        }
        let Some((depth, in_list)) = stack.last_mut() else {
            out.push((event, offset));
            continue;
        };
        match &event {
            Event::Start(tag) => {
                *depth += 1;
                match (tag, *depth, *in_list) {
                    (Tag::List(_), 1, _) => *in_list = true,
                    (Tag::Item, 2, true) => out.push(html("<dd>")),
                    (Tag::Paragraph, 1, _) => out.push(html("<dt>")),
                    (Tag::HtmlBlock, 1, _) => out.push((event, offset)),
                    (_, 1, _) => {
                        out.push(html("<dt>"));
                        out.push((event, offset));
                    }
                    _ => out.push((event, offset)),
                }
            }
            Event::End(end) => {
                match (end, *depth, *in_list) {
                    (TagEnd::List(_), 1, true) => *in_list = false,
                    (TagEnd::Item, 2, true) => out.push(html("</dd>")),
                    (TagEnd::Paragraph, 1, _) => out.push(html("</dt>")),
                    (TagEnd::HtmlBlock, 1, _) => out.push((event.clone(), offset)),
                    (_, 1, _) => {
                        out.push((event.clone(), offset));
                        out.push(html("</dt>"));
                    }
                    _ => out.push((event.clone(), offset)),
                }
                *depth = depth.saturating_sub(1);
            }
            _ => out.push((event, offset)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_of(md: &str) -> String {
        let parsed: Events<'_> = pulldown_cmark::Parser::new(md)
            .into_offset_iter()
            .map(|(e, r)| (e, r.start))
            .collect();
        let d = Dialect::default();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events(parsed, &d).into_iter().map(|(e, _)| e));
        html
    }

    #[test]
    fn tight_unwraps_the_next_paragraph_only() {
        let html = html_of("<dd><!--dcr:tight-->\n\nterm *x*\n\npara\n\n</dd>\n");
        assert_eq!(html, "<dd>term <em>x</em>\n<p>para</p>\n</dd>\n");
    }

    #[test]
    fn raw_blocks_keep_their_blank_lines() {
        let html = html_of("<dcr-raw>\n<div>\n<!--dcr:blank-->\n*x*\n</div>\n");
        assert_eq!(html, "<div>\n\n*x*\n</div>\n");
    }

    #[test]
    fn inline_content_loses_every_paragraph() {
        let html = html_of("<div><!--dcr:inline-->\n\na\n\nb\n\n</div><!--dcr:/inline-->\n");
        assert_eq!(html, "<div>\na\nb\n</div>\n");
    }

    #[test]
    fn define_makes_terms_and_definitions() {
        let html = html_of(
            "<dl><!--dcr:define-->\n\nApple\n\n- fruit\n- tree\n\n> q\n\n</dl><!--dcr:/define-->\n",
        );
        assert_eq!(
            html,
            "<dl>\n<dt>Apple</dt><dd>fruit</dd><dd>tree</dd><dt>\n<blockquote>\n<p>q</p>\n</blockquote>\n</dt></dl>\n"
        );
    }
}
