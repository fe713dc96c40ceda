//! Fences Python-Markdown does not read as code. Its `fenced_code` (which MkDocs always
//! loads) and pymdownx.superfences need a closing fence; CommonMark closes an unclosed
//! fence at the end of its container, so `~~~a~~b~~c` on its own would be an empty code
//! block where MkDocs has text (and pymdownx.tilde's `~~`). Such an opening fence gets a
//! backslash before it, which makes it text for pulldown-cmark too; the inline pass
//! knows that backslash (`is_fence_escape`) and reads the fence characters as text.

use super::fenced_code_info;
use super::markers::RAW_OPEN;
use super::{fence_closes, fence_open, indent_of, is_blank, Line};

/// Where the raw HTML block that line `i` opens ends (its first blank line, or the end),
/// when it opens one: the block passes write raw HTML as it stands, so passes over fences
/// step over it.
pub(super) fn raw_html_end(lines: &[Line], i: usize) -> Option<usize> {
    if lines[i].text.trim_start() != RAW_OPEN {
        return None;
    }
    let blank = lines[i..].iter().position(|l| is_blank(&l.text));
    Some(blank.map_or(lines.len(), |k| i + k))
}

/// Escapes the opening fences in `lines` that no later line closes. Lines indented by
/// four or more columns are left alone: they may be code already (an indented block).
/// With `fenced_code` (no superfences), an opening line whose info string fenced_code
/// refuses (`fenced_code_info`) is no fence either when its closing line opens a fence
/// that a later line closes: fenced_code goes on looking from the next line, so that
/// closing line opens. (Closed by nothing later, the two lines are a code span, which
/// the code pass writes for the fence CommonMark reads.)
pub(crate) fn escape_unclosed_fences(lines: &mut [Line], fenced_code: bool) {
    let mut i = 0;
    while i < lines.len() {
        if let Some(end) = raw_html_end(lines, i) {
            // Raw HTML is written as it is: a fence there is text, never escaped.
            i = end;
            continue;
        }
        let indent = indent_of(&lines[i].text);
        let Some(fence) = (indent < 4)
            .then(|| fence_open(&lines[i].text[indent..]))
            .flatten()
        else {
            i += 1;
            continue;
        };
        let closes =
            |from: usize, fence| (from..lines.len()).find(|&j| fence_closes(&lines[j].text, fence));
        let info = &lines[i].text[indent + fence.1..];
        match closes(i + 1, fence) {
            Some(close)
                if fenced_code
                    && fenced_code_info::parse(info.trim()).is_none()
                    && fence_open(lines[close].text.trim_start_matches(' '))
                        .is_some_and(|f| closes(close + 1, f).is_some()) =>
            {
                escape(&mut lines[i], indent);
                i = close;
            }
            Some(close) => i = close + 1,
            None => {
                escape(&mut lines[i], indent);
                i += 1;
            }
        }
    }
}

/// A backslash before the fence at `indent`, which makes it text for CommonMark.
fn escape(line: &mut Line, indent: usize) {
    line.text.insert(indent, '\\');
    // Columns after the backslash are one further from the author's.
    line.shift -= 1;
}

/// Whether the text at `at` in `src` follows a backslash `escape_unclosed_fences` put
/// there: one at the start of a line (up to three spaces in) before three or more
/// backticks or tildes.
pub(crate) fn is_fence_escape(src: &str, at: usize) -> bool {
    let Some(head) = src.get(..at).and_then(|h| h.strip_suffix('\\')) else {
        return false;
    };
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    let indent = &head[line_start..];
    let rest = &src[at..];
    indent.len() < 4
        && indent.bytes().all(|b| b == b' ')
        && (rest.starts_with("~~~") || rest.starts_with("```"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        Line::after(text, |lines| escape_unclosed_fences(lines, true))
    }

    #[test]
    fn only_unclosed_fences_are_escaped() {
        assert_eq!(escaped("~~~a~~b~~c ~ d~~"), "\\~~~a~~b~~c ~ d~~");
        assert_eq!(escaped("```py\ncode\n```\n~~~"), "```py\ncode\n```\n\\~~~");
        assert_eq!(
            escaped("~~~\n```\n~~~~\n  ```x"),
            "~~~\n```\n~~~~\n  \\```x",
            "a fence inside a closed one is code; an indented one is escaped after its indent"
        );
        assert_eq!(escaped("    ```\n    code"), "    ```\n    code");
        let raw = "<dcr-raw>\n<div>\n```\n</div>\n\n```";
        assert_eq!(escaped(raw), "<dcr-raw>\n<div>\n```\n</div>\n\n\\```");
        assert_eq!(
            escaped("<dcr-raw>\n```\ncode\n\n~~~"),
            "<dcr-raw>\n```\ncode\n\n\\~~~",
            "raw HTML is written as it stands (Python-Markdown 3.11.3 keeps the fence)"
        );
    }

    /// Python-Markdown 3.11.3's fenced_code: a mismatched `}` makes the first line text
    /// and its closing fence the opening of the next block; a refused line closed by
    /// nothing later stays a fence for CommonMark (the code pass writes a code span).
    #[test]
    fn a_line_fenced_code_refuses_is_no_fence() {
        assert_eq!(
            escaped("``` { a=\"{}\" } }\n# h\n```\n```\ntest\n```"),
            "\\``` { a=\"{}\" } }\n# h\n```\n```\ntest\n\\```"
        );
        assert_eq!(
            escaped("```python foo\ncode\n```"),
            "```python foo\ncode\n```"
        );
    }

    #[test]
    fn the_inline_pass_knows_the_backslash() {
        let src = "x\n  \\~~~a~~\n\\~~x";
        assert!(is_fence_escape(src, 5));
        assert!(!is_fence_escape(src, 13), "two tildes are no fence");
        assert!(!is_fence_escape(src, 0));
    }
}
