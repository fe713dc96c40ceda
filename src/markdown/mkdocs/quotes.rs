//! Block quotes parted by blank lines, which Python-Markdown reads as one quote: its
//! `BlockQuoteProcessor` adds a block that starts with `>` to the quote just before it
//! (`> a\n\n> b` is one quote of two paragraphs; CommonMark makes two quotes). The blank
//! lines between are given the `>` markers both sides share, so pulldown-cmark reads one.

use super::{fence_closes, fence_open, indent_of, Line};

/// Fills the blank lines between quote blocks of `lines` with their shared markers.
pub(super) fn join(lines: &mut [Line]) {
    let mut fence = None;
    // The markers of the last quoted line of the block, when a quote ends it.
    let mut quote: Option<usize> = None;
    let mut in_block = false;
    let mut blanks: Vec<usize> = Vec::new();
    for i in 0..lines.len() {
        let text = &lines[i].text;
        if let Some(f) = fence {
            if fence_closes(text, f) {
                fence = None;
            }
            continue;
        }
        if text.trim().is_empty() {
            in_block = false;
            if quote.is_some() {
                blanks.push(i);
            }
            continue;
        }
        let indent = indent_of(text);
        let depth = if indent < 4 { markers(text) } else { 0 };
        let opens = if indent < 4 && depth == 0 {
            fence_open(&text[indent..])
        } else {
            None
        };
        if !in_block && !blanks.is_empty() {
            if let Some(before) = quote.filter(|_| depth > 0) {
                let fill = vec![">"; before.min(depth)].join(" ");
                for &b in &blanks {
                    lines[b].text = fill.clone();
                }
            }
        }
        blanks.clear();
        // A quote may start inside a block (`a\n> b`); lazy lines keep it open.
        if depth > 0 {
            quote = Some(depth);
        } else if !in_block || opens.is_some() {
            quote = None;
        }
        in_block = true;
        fence = opens;
    }
}

/// How many `>` markers `text` starts with (up to three spaces before each).
fn markers(text: &str) -> usize {
    let mut rest = text;
    let mut n = 0;
    loop {
        let t = rest.trim_start_matches(' ');
        if rest.len() - t.len() > 3 || !t.starts_with('>') {
            return n;
        }
        n += 1;
        rest = &t[1..];
        rest = rest.strip_prefix(' ').unwrap_or(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(text: &str) -> String {
        Line::after(text, join)
    }

    /// markdown 3.11.3 makes one quote of each input (the nested `> >` ones one inner
    /// quote); the rewritten text makes pulldown-cmark read the same.
    #[test]
    fn quotes_parted_by_blank_lines_are_one() {
        let cases = [
            (
                "> a\n> b\n\n> c\n\n\n\n> d",
                "> a\n> b\n>\n> c\n>\n>\n>\n> d",
            ),
            ("> a\nlazy\n\n> b", "> a\nlazy\n>\n> b"),
            ("a\n> b\n\n> c", "a\n> b\n>\n> c"),
            ("> > a\n\n> > b\n\n> c", "> > a\n> >\n> > b\n>\n> c"),
        ];
        for (md, want) in cases {
            assert_eq!(joined(md), want, "{md}");
        }
    }

    #[test]
    fn other_blocks_between_part_them() {
        for md in [
            "> a\n\nb\n\n> c",
            "```\n> a\n\n> b\n```",
            "    > a\n\n    > b",
        ] {
            assert_eq!(joined(md), md);
        }
        assert_eq!(joined("a\n> b\n\n> c"), "a\n> b\n>\n> c");
    }
}
