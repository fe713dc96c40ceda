//! Finds the runs in the event stream: each block's inline content, and inside it the
//! content of links and emphasis (Python-Markdown builds those first and processes
//! their text apart). Code blocks and images pass through untouched.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::run::{is_inline_end, is_inline_leaf, is_inline_tag, Events, Run};

/// An open container: the event that opened it (none for a block's own content).
struct Frame<'a> {
    start: Option<(Event<'a>, usize)>,
    run: Run<'a>,
}

/// How runs are read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct How {
    /// `\ ` is an escaped space.
    pub escape_space: bool,
    /// Emphasis and strong go back to their `*`/`_` (betterem pairs them itself).
    pub emphasis_as_text: bool,
}

/// Calls `process` on every run of `events` and puts what it returns in its place.
pub(crate) fn runs<'a>(
    events: Events<'a>,
    src: &str,
    how: How,
    process: &mut dyn FnMut(Run<'a>) -> Events<'a>,
) -> Events<'a> {
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    let mut frames: Vec<Frame<'a>> = Vec::new();
    // The delimiter character of each open emphasis turned back into text.
    let mut emphasis: Vec<char> = Vec::new();
    let mut verbatim: Option<(Events<'a>, usize)> = None;
    for (event, offset) in events {
        // Inside a code block or an image: kept as it is.
        if let Some((held, depth)) = &mut verbatim {
            match &event {
                Event::Start(Tag::Image { .. }) => *depth += 1,
                Event::End(TagEnd::Image) => *depth -= 1,
                _ => {}
            }
            let done = matches!(event, Event::End(TagEnd::CodeBlock)) || *depth == 0;
            held.push((event, offset));
            if done {
                let (held, _) = verbatim.take().expect("held");
                match frames.last_mut() {
                    Some(f) if !matches!(held[0].0, Event::Start(Tag::CodeBlock(_))) => {
                        f.run.push_atom(held, offset)
                    }
                    _ => out.extend(held),
                }
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                close_all(&mut frames, &mut out, process);
                verbatim = Some((vec![(event, offset)], usize::MAX));
            }
            Event::Start(Tag::Image { .. }) => {
                top(&mut frames, offset);
                verbatim = Some((vec![(event, offset)], 1));
            }
            Event::Start(Tag::Emphasis | Tag::Strong) if how.emphasis_as_text => {
                let c = match src.as_bytes().get(offset) {
                    Some(b'_') => '_',
                    _ => '*',
                };
                let n = if matches!(event, Event::Start(Tag::Strong)) {
                    2
                } else {
                    1
                };
                emphasis.push(c);
                top(&mut frames, offset).push_delimiters(c, n, offset);
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong) if how.emphasis_as_text => {
                let c = emphasis.pop().unwrap_or('*');
                let n = if event == Event::End(TagEnd::Strong) {
                    2
                } else {
                    1
                };
                top(&mut frames, offset).push_delimiters(c, n, offset);
            }
            Event::Start(ref tag) if is_inline_tag(tag) => {
                let in_link = top(&mut frames, offset).in_link || matches!(tag, Tag::Link { .. });
                frames.push(Frame {
                    start: Some((event, offset)),
                    run: Run {
                        in_link,
                        ..Run::new(offset)
                    },
                });
            }
            Event::End(ref end) if is_inline_end(end) && frames.len() > 1 => {
                let frame = frames.pop().expect("more than one");
                let mut held = vec![frame.start.expect("an inline frame")];
                held.extend(process(frame.run));
                held.push((event, offset));
                let parent = frames.last_mut().expect("a parent");
                parent.run.push_atom(held, offset);
            }
            Event::Text(t) => top(&mut frames, offset).push_text(t, offset, src, how.escape_space),
            Event::SoftBreak => top(&mut frames, offset).push_newline(offset),
            ref e if is_inline_leaf(e) => {
                top(&mut frames, offset).push_atom(vec![(event, offset)], offset)
            }
            _ => {
                close_all(&mut frames, &mut out, process);
                out.push((event, offset));
            }
        }
    }
    if let Some((held, _)) = verbatim {
        out.extend(held);
    }
    close_all(&mut frames, &mut out, process);
    out
}

/// The run being filled, opened at `offset` when there is none.
fn top<'a, 'f>(frames: &'f mut Vec<Frame<'a>>, offset: usize) -> &'f mut Run<'a> {
    if frames.is_empty() {
        frames.push(Frame {
            start: None,
            run: Run::new(offset),
        });
    }
    &mut frames.last_mut().expect("just made sure").run
}

/// Processes the open runs (innermost first, unclosed ones kept as they were opened).
fn close_all<'a>(
    frames: &mut Vec<Frame<'a>>,
    out: &mut Events<'a>,
    process: &mut dyn FnMut(Run<'a>) -> Events<'a>,
) {
    while let Some(frame) = frames.pop() {
        let mut held: Events<'a> = frame.start.into_iter().collect();
        held.extend(process(frame.run));
        match frames.last_mut() {
            Some(parent) => {
                let offset = parent.run.offset;
                parent.run.push_atom(held, offset);
            }
            None => out.extend(held),
        }
    }
}
