//! Python-Markdown's `#` headings, which CommonMark reads differently: `#Title` with no
//! space is a heading (unless `pymdownx.saneheaders` is on), and closing hashes go even
//! without a space before them (`# Title#`). Such a line is rewritten to the CommonMark
//! form `# Title` for pulldown-cmark; other lines, and those in fenced code, stay.

use super::{fence_closes, fence_open, indent_of, item_content, Line};

/// Rewrites the `#` heading lines of `lines` that CommonMark would read otherwise: at
/// the start of a line or of a list item (`* #Title`). A line after an item's heading
/// is in the item to Python-Markdown (CommonMark ends a heading's item there): it is
/// indented to the item's content. Raw HTML blocks (`<pre>` holding `#!/bin/sh`) stay.
pub(super) fn normalize(lines: &mut [Line], saneheaders: bool) {
    let mut fence = None;
    let mut html = false;
    let mut after_blank = true;
    for i in 0..lines.len() {
        let line = &mut lines[i];
        let indent = indent_of(&line.text);
        if let Some(f) = fence {
            if fence_closes(&line.text, f) {
                fence = None;
            }
            continue;
        }
        if line.text.trim().is_empty() {
            (html, after_blank) = (false, true);
            continue;
        }
        if indent < 4 {
            fence = fence_open(&line.text[indent..]);
            html |= after_blank && line.text[indent..].starts_with('<');
        }
        after_blank = false;
        if fence.is_some() || html || indent > 3 {
            continue;
        }
        let column = match item_content(&line.text, false) {
            Some(c) => c,
            None if indent == 0 => 0,
            None => continue,
        };
        if column > 0 && !line.text[column..].starts_with('#') {
            continue;
        }
        if let Some((text, inserted)) = rewrite(&line.text[column..], saneheaders) {
            line.text = format!("{}{text}", &line.text[..column]);
            line.shift -= inserted;
        }
        if column > 0 && line.text[column..].starts_with('#') {
            indent_lazy_line(lines, i + 1, column);
        }
    }
}

/// Indents line `i` to `column` when it is a lazy line (unindented text) after an
/// item's heading.
fn indent_lazy_line(lines: &mut [Line], i: usize, column: usize) {
    let Some(next) = lines.get_mut(i) else {
        return;
    };
    let t = &next.text;
    let lazy = !t.trim().is_empty()
        && !t.starts_with([' ', '#', '>', '<', '|', '`', '~'])
        && item_content(t, false).is_none();
    if lazy {
        next.text = format!("{}{}", " ".repeat(column), next.text);
        next.shift -= column as isize;
    }
}

/// `text` as a CommonMark heading and the columns added before its title, when Python-
/// Markdown reads it as a heading CommonMark would not read the same way.
fn rewrite(text: &str, saneheaders: bool) -> Option<(String, isize)> {
    // A seventh `#` on is part of the title of a level-6 heading.
    let level = (text.len() - text.trim_start_matches('#').len()).min(6);
    if level == 0 {
        return None;
    }
    let rest = &text[level..];
    let spaced = rest.starts_with([' ', '\t']);
    if saneheaders && !spaced {
        return None;
    }
    let title = python_header(rest).trim();
    if title.is_empty() || (spaced && !rest.trim_end().ends_with('#')) {
        return None; // CommonMark reads it as Python-Markdown does
    }
    let hashes = &text[..level];
    // `#`s left at the end (closing hashes followed by a space) are words to
    // Python-Markdown; CommonMark would drop them unless escaped.
    let kept = title.len() - title.trim_end_matches('#').len();
    let words = &title[..title.len() - kept];
    if kept > 0 && (words.is_empty() || words.ends_with([' ', '\t'])) {
        let closing = &title[words.len()..];
        return Some((format!("{hashes} {words}\\{closing}"), isize::from(!spaced)));
    }
    Some((format!("{hashes} {title}"), isize::from(!spaced)))
}

/// The title Python-Markdown's `HashHeaderProcessor` takes from what follows the
/// opening `#`s: all but the `#`s that end the line (an escaped character, `\#` or
/// `\\`, is read as one: `\\###` is an escaped backslash, then closing hashes).
fn python_header(rest: &str) -> &str {
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() && !b[i..].iter().all(|&c| c == b'#') {
        i += if b[i] == b'\\' && i + 1 < b.len() {
            2
        } else {
            1
        };
    }
    // Only ASCII `#`s follow `i`, so it is on a character boundary when it stops early.
    rest.get(..i.min(b.len())).unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(text: &str, sane: bool) -> String {
        Line::after(text, |lines| normalize(lines, sane))
    }

    #[test]
    fn headings_without_a_space_and_closing_hashes_as_python_markdown_reads_them() {
        assert_eq!(normalized("#V4#", false), "# V4");
        assert_eq!(normalized("##Voting Results:", false), "## Voting Results:");
        assert_eq!(normalized("###**YES**###", false), "### **YES**");
        assert_eq!(normalized("# Foo#", false), "# Foo");
        assert_eq!(normalized("# Foo \\#", false), "# Foo \\#");
        assert_eq!(normalized("para\n#head\nmore", false), "para\n# head\nmore");
        assert_eq!(normalized("# Already fine", false), "# Already fine");
        assert_eq!(normalized("#######foo", false), "###### #foo");
        // Closing hashes followed by a space are words; `\\\\###` is a backslash, closed.
        assert_eq!(normalized("# H1 # ", false), "# H1 \\#");
        assert_eq!(
            normalized("####### H6 ####### ", false),
            "###### # H6 \\#######"
        );
        assert_eq!(normalized("### H3 \\\\###", false), "### H3 \\\\");
        assert_eq!(normalized("# C# ", false), "# C#");
    }

    /// markdown 3.11.3 reads each input's headings as the rewritten text shows them.
    #[test]
    fn headings_in_list_items_take_the_line_after_and_raw_html_stays() {
        assert_eq!(
            normalized(
                "* #Header1\nLine 1-2\n- ### List 1\nEntry 1.1\n\n- a\nb",
                false
            ),
            "* # Header1\n  Line 1-2\n- ### List 1\n  Entry 1.1\n\n- a\nb"
        );
        assert_eq!(
            normalized("a\n\n<pre>\n#!/usr/bin/python\n</pre>\n\n#b", false),
            "a\n\n<pre>\n#!/usr/bin/python\n</pre>\n\n# b"
        );
    }

    #[test]
    fn code_and_indented_lines_stay_saneheaders_wants_the_space() {
        assert_eq!(normalized("```\n#x\n```\n#y", false), "```\n#x\n```\n# y");
        assert_eq!(normalized("    #code", false), "    #code");
        assert_eq!(normalized("#V4#", true), "#V4#");
        assert_eq!(normalized("# Foo#", true), "# Foo");
    }
}
