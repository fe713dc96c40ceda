//! Lines Python-Markdown reads as paragraph text where CommonMark starts a block. Its
//! block parser looks at a block (the lines between blank lines) as a whole: a list
//! starts only where a block starts, so `Text:\n- item` is one paragraph; a `#` heading
//! must start its line (` # H` is text); an item needs content after its marker
//! (a lone `*` is text, `* *` is an item showing `*`). Such a marker is escaped
//! (`\- item`, ` \# H`) so pulldown-cmark reads the text Python-Markdown shows.

use super::{fence_closes, fence_open, indent_of, Line};

/// What the current block started as.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Block {
    /// After a blank line (or a heading, which is a block of its own).
    Start,
    /// A paragraph whose first line is indented this much.
    Paragraph(usize),
    List(usize),
    /// Indented code, raw HTML, a table, a quote's lines at another depth …: left alone.
    Other,
}

/// Escapes the markers of `lines` CommonMark would read as block starts.
pub(super) fn normalize(lines: &mut [Line]) {
    let mut fence = None;
    let mut block = Block::Start;
    let mut in_list = false;
    let mut depth = 0;
    for line in lines.iter_mut() {
        let (prefix, quotes) = quote_prefix(&line.text);
        let rest = &line.text[prefix..];
        if let Some(f) = fence {
            if fence_closes(rest, f) {
                fence = None;
            }
            continue;
        }
        if quotes != depth {
            (depth, block) = (quotes, Block::Start);
        }
        if rest.trim().is_empty() {
            block = Block::Start;
            continue;
        }
        let indent = indent_of(rest);
        let body = &rest[indent..];
        // In a list, a fence indented to an item's content is one too (not text to escape).
        if indent < 4 || in_list {
            fence = fence_open(body);
            if fence.is_some() {
                block = Block::Other;
                continue;
            }
        }
        let escape_at = match block {
            Block::Start => {
                let (next, at) = start(body, indent, in_list);
                block = next;
                in_list = match next {
                    Block::List(_) => true,
                    Block::Paragraph(_) | Block::Start if indent < 4 => false,
                    _ => in_list,
                };
                at
            }
            Block::Paragraph(base) => {
                let rel = indent.saturating_sub(base);
                if body.starts_with('#') && rel == 0 {
                    block = Block::Start;
                }
                let interrupts =
                    indent < base + 4 && list_marker(body).is_some() && !is_thematic_break(body);
                if interrupts {
                    Some(marker_escape(body))
                } else {
                    hash_after_space(body, rel).then_some(0)
                }
            }
            Block::List(base) => {
                if body.starts_with('#') && indent == base {
                    block = Block::Start;
                }
                lone_inner_marker(body)
            }
            Block::Other => None,
        };
        if let Some(at) = escape_at {
            line.text.insert(prefix + indent + at, '\\');
        } else if matches!(block, Block::List(_)) {
            if let Some(gap) = wide_gap(body) {
                let from = prefix + indent + gap.start + 1;
                line.text.replace_range(from..prefix + indent + gap.end, "");
                line.shift += (gap.len() - 1) as isize;
            }
        }
    }
}

/// The kind of block a first line starts, and where to escape it.
fn start(body: &str, indent: usize, in_list: bool) -> (Block, Option<usize>) {
    if indent >= if in_list { 8 } else { 4 } || body.starts_with(['<', '|']) {
        return (Block::Other, None);
    }
    if matches!(body.trim_end(), "*" | "-" | "+") {
        return (Block::Paragraph(indent), Some(0));
    }
    if list_marker(body).is_some() && !is_thematic_break(body) {
        return (Block::List(indent), lone_inner_marker(body));
    }
    if body.starts_with('#') {
        if hash_after_space(body, indent % 4) {
            return (Block::Paragraph(indent), Some(0));
        }
        return (Block::Start, None);
    }
    (Block::Paragraph(indent), None)
}

/// ` # H`: a `#` heading indented by one to three spaces is text to Python-Markdown.
fn hash_after_space(body: &str, indent: usize) -> bool {
    (1..4).contains(&indent) && body.starts_with('#')
}

/// Where to put the backslash that makes a list marker text: before `*`, or before
/// the `.` of `1.`.
fn marker_escape(marker: &str) -> usize {
    marker.len()
        - marker
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len()
}

/// The width of the list marker `body` starts with (`*`, `-`, `+`, `1.`, `1)`), when a
/// space, a tab or the line's end follows it.
pub(super) fn list_marker(body: &str) -> Option<usize> {
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let width = match body.as_bytes().get(digits)? {
        b'*' | b'-' | b'+' if digits == 0 => 1,
        b'.' | b')' if (1..10).contains(&digits) => digits + 1,
        _ => return None,
    };
    let after = &body[width..];
    (after.is_empty() || after.starts_with([' ', '\t'])).then_some(width)
}

/// In an item line, where a lone marker as its whole content is (`* *`, `- 1.`): text
/// to Python-Markdown, an empty nested list to CommonMark.
fn lone_inner_marker(body: &str) -> Option<usize> {
    let width = list_marker(body)?;
    let content = body[width..].trim();
    let lone = matches!(content, "*" | "-" | "+")
        || (content.ends_with('.')
            && content[..content.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_digit())
            && content.len() > 1);
    let at = body.len() - body[width..].trim_start().len();
    (lone && !is_thematic_break(body)).then(|| at + marker_escape(&body[at..]))
}

/// The spaces after an item's marker when there are five or more before its text:
/// CommonMark reads that text as indented code, Python-Markdown as the item's text.
fn wide_gap(body: &str) -> Option<std::ops::Range<usize>> {
    let width = list_marker(body)?;
    let after = &body[width..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    (spaces >= 5 && !after.trim().is_empty()).then_some(width..width + spaces)
}

/// CommonMark's thematic break (`* * *`, `---`, any spaces or tabs between): a line
/// pulldown-cmark reads as a rule, not a list item, so its marker needs no escape. Looser
/// than the rule the list pass splits blocks at (`lists::is_python_markdown_rule`, at most
/// two spaces between): here the question is how pulldown-cmark reads the line.
fn is_thematic_break(body: &str) -> bool {
    let t: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3 && ['*', '-', '_'].iter().any(|&c| t.chars().all(|x| x == c))
}

/// The byte length of the `>` markers (with a space after each) starting `text`, and
/// how many there are.
fn quote_prefix(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let (mut i, mut end, mut n) = (0, 0, 0);
    while i < b.len() && (b[i] == b' ' || b[i] == b'>') && i < end + 4 {
        if b[i] == b'>' {
            n += 1;
            end = i + 1 + usize::from(b.get(i + 1) == Some(&b' '));
            i = end;
        } else {
            i += 1;
        }
    }
    (end, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(text: &str) -> String {
        Line::after(text, normalize)
    }

    /// Each input is shown as markdown 3.11.3 shows it (see the module comment); the
    /// rewritten text makes pulldown-cmark show the same.
    #[test]
    fn markers_python_markdown_reads_as_text_are_escaped() {
        let cases = [
            ("Text:\n- a\n * b\n1. c", "Text:\n\\- a\n \\* b\n1\\. c"),
            (" # H\ntext\n   ## I", " \\# H\ntext\n   \\## I"),
            ("* *\n\n*\n\n- -\n\n- 1.", "* \\*\n\n\\*\n\n- \\-\n\n- 1\\."),
            ("> a\n> - b", "> a\n> \\- b"),
            ("- a\n\n    para\n    - sub", "- a\n\n    para\n    \\- sub"),
            ("*     five\n* one\n1.      six", "* five\n* one\n1. six"),
        ];
        for (md, want) in cases {
            assert_eq!(normalized(md), want, "{md}");
        }
    }

    #[test]
    fn lists_code_headings_and_rules_stay() {
        let same = [
            "- a\n  b\n- c\n    - d",
            "para\n\n    code\n    - x",
            "# H\n- a",
            "para\n* * *",
            "```\ntext\n- x\n```",
            "- a\n\n    para\n    # h\n    - sub",
            "<div>\n - x\n</div>",
            "* item\n\n    ```\n    * not item\n    ```",
        ];
        for md in same {
            assert_eq!(normalized(md), md);
        }
    }
}
