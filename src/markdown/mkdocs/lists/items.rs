//! Tight and loose per item, as Python-Markdown decides it: pulldown-cmark decides per
//! list, so the paragraphs of the items the list pass wrote are taken out (a tight item's
//! text is bare) or put in (a loose item's text is a `<p>`).

use pulldown_cmark::{Event, Tag, TagEnd};

/// What an open tag is to this pass.
enum Frame {
    /// An item: Some(loose) when the list pass wrote it; whether a `<p>` was opened.
    Item(Option<bool>, bool),
    /// A paragraph of a tight item, left out (its end goes too).
    Dropped,
    Other,
}

/// `events` (offsets into `src`) with each item in `items` (output line, loose) tight
/// or loose as the list pass found it.
pub(crate) fn apply<'a>(
    events: Vec<(Event<'a>, usize)>,
    src: &str,
    items: &[(usize, bool)],
) -> Vec<(Event<'a>, usize)> {
    if items.is_empty() {
        return events;
    }
    let newlines: Vec<usize> = src
        .bytes()
        .enumerate()
        .filter_map(|(i, b)| (b == b'\n').then_some(i))
        .collect();
    let looseness = |offset: usize| {
        let line = newlines.partition_point(|&n| n < offset);
        items
            .binary_search_by_key(&line, |&(l, _)| l)
            .ok()
            .map(|k| items[k].1)
    };
    let mut out = Vec::with_capacity(events.len() + 16);
    let mut stack: Vec<Frame> = Vec::new();
    for (event, at) in events {
        let inline = is_inline(&event);
        let block = !inline && !matches!(event, Event::End(_));
        if let Some(Frame::Item(Some(loose), open)) = stack.last_mut() {
            if inline && *loose && !*open {
                *open = true;
                out.push((Event::Start(Tag::Paragraph), at));
            } else if (block || matches!(event, Event::End(TagEnd::Item))) && *open {
                *open = false;
                out.push((Event::End(TagEnd::Paragraph), at));
            }
        }
        match &event {
            Event::Start(Tag::Item) => stack.push(Frame::Item(looseness(at), false)),
            Event::Start(Tag::Paragraph)
                if matches!(stack.last(), Some(Frame::Item(Some(false), _))) =>
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
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::TaskListMarker(_) => true,
        _ => false,
    }
}
