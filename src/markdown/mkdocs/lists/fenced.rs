//! Fenced code as the list pass steps over it: the pass's loops read lines one at a time
//! and must not take a fence's content for list markers, quotes, headings or rules.

use super::{fence_closes, fence_open, Line, P};

/// Where a line stands against fenced code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Fenced {
    /// In a fence opened on an earlier line (its closing line included).
    Inside,
    /// It opens a fence.
    Opens,
    /// Neither: a line the pass reads for what it is.
    Outside,
}

/// The lines `b` (of `lines`), each with its text and where it stands against fences.
pub(super) fn fenced<'b>(
    lines: &'b [Line],
    b: &'b [P],
) -> impl Iterator<Item = (P, &'b str, Fenced)> + 'b {
    b.iter().scan(None, move |fence, &p| {
        let t = &lines[p.i].text[p.start..];
        let at = match *fence {
            Some(f) => {
                if fence_closes(t, f) {
                    *fence = None;
                }
                Fenced::Inside
            }
            None => {
                *fence = fence_open(t.trim_start());
                match fence {
                    Some(_) => Fenced::Opens,
                    None => Fenced::Outside,
                }
            }
        };
        Some((p, t, at))
    })
}
