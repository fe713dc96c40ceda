//! Tight and loose per item, as Python-Markdown decides it: pulldown-cmark decides per
//! list, so the paragraphs the list pass wrote in items are taken out of their `<p>` (an
//! item's bare text) or put in one.

use pulldown_cmark::{Event, Tag, TagEnd};

/// What an open tag is to this pass.
enum Frame {
    /// An item, and whether this pass opened a `<p>` in it.
    Item(bool),
    /// A paragraph left out (its end goes too).
    Dropped,
    Other,
}

/// `events` (offsets into `src`) with the paragraphs directly in items that `paras`
/// names (by the output line they start at) wrapped in `<p>` or bare, as it says.
pub(crate) fn apply<'a>(
    events: Vec<(Event<'a>, usize)>,
    src: &str,
    paras: &[(usize, bool)],
) -> Vec<(Event<'a>, usize)> {
    if paras.is_empty() {
        return events;
    }
    // (A char pattern searches by memchr, not byte by byte.)
    let newlines: Vec<usize> = src.match_indices('\n').map(|(i, _)| i).collect();
    let wrapped = |offset: usize| {
        let line = newlines.partition_point(|&n| n < offset);
        let k = paras.binary_search_by_key(&line, |&(l, _)| l).ok()?;
        Some(paras[k].1)
    };
    let mut out = Vec::with_capacity(events.len() + 16);
    let mut stack: Vec<Frame> = Vec::new();
    for (event, at) in events {
        let inline = is_inline(&event);
        if let Some(Frame::Item(open)) = stack.last_mut() {
            if inline && !*open && wrapped(at) == Some(true) {
                *open = true;
                out.push((Event::Start(Tag::Paragraph), at));
            } else if !inline && *open {
                *open = false;
                out.push((Event::End(TagEnd::Paragraph), at));
            }
        }
        match &event {
            Event::Start(Tag::Item) => stack.push(Frame::Item(false)),
            Event::Start(Tag::Paragraph)
                if matches!(stack.last(), Some(Frame::Item(_))) && wrapped(at) == Some(false) =>
            {
                stack.push(Frame::Dropped);
                continue;
            }
            Event::Start(_) => stack.push(Frame::Other),
            Event::End(_) => {
                if let Some(Frame::Dropped) = stack.pop() {
                    continue;
                }
            }
            _ => {}
        }
        out.push((event, at));
    }
    out
}

/// Whether `event` is inline content (what a paragraph holds).
fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::TaskListMarker(_) => true,
        _ => false,
    }
}
