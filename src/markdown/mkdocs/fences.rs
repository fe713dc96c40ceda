//! Fences Python-Markdown does not read as code. Its `fenced_code` (which MkDocs always
//! loads) and pymdownx.superfences need a closing fence; CommonMark closes an unclosed
//! fence at the end of its container, so `~~~a~~b~~c` on its own would be an empty code
//! block where MkDocs has text (and pymdownx.tilde's `~~`). Such an opening fence gets a
//! backslash before it, which makes it text for pulldown-cmark too; the inline pass
//! knows that backslash (`is_fence_escape`) and reads the fence characters as text.

use super::markers::RAW_OPEN;
use super::{fence_closes, fence_open, indent_of, is_blank, Line};

/// Escapes the opening fences in `lines` that no later line closes. Lines indented by
/// four or more columns are left alone: they may be code already (an indented block).
pub(crate) fn escape_unclosed_fences(lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        if lines[i].text.trim_start() == RAW_OPEN {
            // Raw HTML is written as it is: a fence there is text, never escaped.
            while i < lines.len() && !is_blank(&lines[i].text) {
                i += 1;
            }
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
        match (i + 1..lines.len()).find(|&j| fence_closes(&lines[j].text, fence)) {
            Some(close) => i = close + 1,
            None => {
                lines[i].text.insert(indent, '\\');
                // Columns after the backslash are one further from the author's.
                lines[i].shift -= 1;
                i += 1;
            }
        }
    }
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
        Line::after(text, escape_unclosed_fences)
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
    }

    #[test]
    fn the_inline_pass_knows_the_backslash() {
        let src = "x\n  \\~~~a~~\n\\~~x";
        assert!(is_fence_escape(src, 5));
        assert!(!is_fence_escape(src, 13), "two tildes are no fence");
        assert!(!is_fence_escape(src, 0));
    }
}
