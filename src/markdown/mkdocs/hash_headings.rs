//! Python-Markdown's `#` headings, which CommonMark reads differently: `#Title` with no
//! space is a heading (unless `pymdownx.saneheaders` is on), and closing hashes go even
//! without a space before them (`# Title#`). Such a line is rewritten to the CommonMark
//! form `# Title` for pulldown-cmark; other lines, and those in fenced code, stay.

use super::{fence_closes, fence_open, indent_of, Line};

/// Rewrites the `#` heading lines of `lines` that CommonMark would read otherwise.
pub(super) fn normalize(lines: &mut [Line], saneheaders: bool) {
    let mut fence = None;
    for line in lines.iter_mut() {
        let indent = indent_of(&line.text);
        if let Some(f) = fence {
            if fence_closes(&line.text, f) {
                fence = None;
            }
            continue;
        }
        if indent < 4 {
            fence = fence_open(&line.text[indent..]);
        }
        if fence.is_some() || indent > 0 {
            continue;
        }
        if let Some((text, inserted)) = rewrite(&line.text, saneheaders) {
            line.text = text;
            line.shift -= inserted;
        }
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
        let mut lines = Line::numbered(text);
        normalize(&mut lines, sane);
        let out: Vec<String> = lines.into_iter().map(|l| l.text).collect();
        out.join("\n")
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

    #[test]
    fn code_and_indented_lines_stay_saneheaders_wants_the_space() {
        assert_eq!(normalized("```\n#x\n```\n#y", false), "```\n#x\n```\n# y");
        assert_eq!(normalized("    #code", false), "    #code");
        assert_eq!(normalized("#V4#", true), "#V4#");
        assert_eq!(normalized("# Foo#", true), "# Foo");
    }
}
