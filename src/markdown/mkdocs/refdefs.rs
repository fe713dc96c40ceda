//! Link reference definitions inside a paragraph. Python-Markdown's reference processor
//! takes `[label]: url "title"` out of any block, wherever the line is; CommonMark reads
//! one only where a paragraph could start, so `text\n[a]: /x` stays visible text there,
//! and so do the links that use it. Such a definition is taken out of its line and put
//! at the end of the page (references are page-wide in both), each appended line keeping
//! the body line it came from, so diagnostics keep their line numbers.
//!
//! What is left where the line was follows Python-Markdown: in a tight list item the
//! lines around it are one text (the line goes); elsewhere they are two paragraphs (the
//! line becomes blank, a quote keeping its `>` markers).

use super::{fence_closes, fence_open, indent_of, item_content, Line};

/// `lines` with every in-paragraph reference definition moved to the end.
pub(super) fn hoist(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut hoisted: Vec<Line> = Vec::new();
    let mut fence = None;
    let mut lines = lines.into_iter().peekable();
    while let Some(line) = lines.next() {
        let (prefix, rest) = split_quote(&line.text);
        let body = rest.trim_start_matches(' ');
        if let Some(open) = fence {
            if fence_closes(body, open) {
                fence = None;
            }
            out.push(line);
            continue;
        }
        if let Some(open) = fence_open(body) {
            fence = Some(open);
            out.push(line);
            continue;
        }
        let how = is_definition(body).then(|| in_paragraph(&out, prefix, rest));
        let Some(Some(how)) = how else {
            out.push(line);
            continue;
        };
        let column = line.text.len() - body.len();
        hoisted.push(Line {
            text: body.trim_end().to_string(),
            src: line.src,
            shift: line.shift + column as isize,
        });
        // A title on the next line alone is the definition's (Python-Markdown's RE).
        if let Some(title) = lines.next_if(|l| {
            let t = split_quote(&l.text).1.trim();
            !t.is_empty() && is_title(t)
        }) {
            let text = split_quote(&title.text).1.trim().to_string();
            hoisted.push(title.derived(text));
        }
        if how == Leave::Blank {
            out.push(line.derived(prefix.trim_end().to_string()));
        }
    }
    if !hoisted.is_empty() {
        let last = hoisted[0].src;
        out.push(Line {
            text: String::new(),
            src: last,
            shift: 0,
        });
        out.extend(hoisted);
    }
    out
}

/// What replaces a hoisted definition's line.
#[derive(Debug, PartialEq)]
enum Leave {
    /// Nothing: the text before and after is one (a tight list item).
    Nothing,
    /// A blank line: two paragraphs.
    Blank,
}

/// The leading `>` markers (and the spaces among them) of `text`, and the rest.
fn split_quote(text: &str) -> (&str, &str) {
    let mut end = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'>') {
        if bytes[i] == b'>' {
            end = i + 1;
            if bytes.get(i + 1) == Some(&b' ') {
                end = i + 2;
            }
        }
        i += 1;
    }
    text.split_at(end)
}

/// Whether a line with quote prefix `prefix` and text `rest` continues a paragraph of
/// the lines before it (`out`), and if so what its line becomes once the definition in
/// it is taken out.
fn in_paragraph(out: &[Line], prefix: &str, rest: &str) -> Option<Leave> {
    let same = |l: &Line| split_quote(&l.text).0.trim_end() == prefix.trim_end();
    let text = |l: &Line| split_quote(&l.text).1.to_string();
    let prev = out.last().filter(|l| same(l)).map(text)?;
    let lead = prev.trim_start();
    if lead.is_empty() || lead.starts_with(['#', '<', '|']) || fence_open(lead).is_some() {
        return None;
    }
    // The paragraph's first line (the nearest list item's, in one): its content column
    // bounds the definition's indent.
    let start = out
        .iter()
        .rposition(|l| !same(l) || text(l).trim().is_empty());
    let run = start.map_or(0, |s| s + 1);
    let first_at = (run..out.len())
        .rev()
        .find(|&i| item_content(&text(&out[i]), true).is_some())
        .unwrap_or(run);
    let start = first_at.checked_sub(1);
    let first = text(&out[first_at]);
    let marker = item_content(&first, true);
    let column = marker.unwrap_or_else(|| indent_of(&first));
    if indent_of(rest) > column + 3 {
        return None;
    }
    let Some(_) = marker else {
        return Some(Leave::Blank);
    };
    // A list item is loose when a blank line parts it from the item before it.
    let before = out[..first_at].iter().rev();
    let mut before = before.skip_while(|l| text(l).trim().is_empty());
    let adjacent = start.is_some_and(|s| !text(&out[s]).trim().is_empty()) || first_at == 0;
    let loose = !adjacent
        && before.next().is_some_and(|l| {
            let t = text(l);
            indent_of(&t) > 0 || item_content(&t, true).is_some()
        });
    Some(if loose { Leave::Blank } else { Leave::Nothing })
}

/// Whether `text` (its indentation taken off) is a whole definition as Python-Markdown's
/// reference processor reads one: `[label]:`, a destination without spaces, and an
/// optional title in quotes or parentheses, on one line.
fn is_definition(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('[') else {
        return false;
    };
    let Some(close) = rest.find(']') else {
        return false;
    };
    let label = &rest[..close];
    if label.trim().is_empty() || label.contains('[') {
        return false;
    }
    let Some(rest) = rest[close + 1..].trim_start_matches(' ').strip_prefix(':') else {
        return false;
    };
    let rest = rest.trim_start_matches(' ');
    let url_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if url_end == 0 {
        return false;
    }
    let title = rest[url_end..].trim();
    title.is_empty() || is_title(title)
}

fn is_title(t: &str) -> bool {
    let (open, close) = match t.as_bytes()[0] {
        b'"' => ('"', '"'),
        b'\'' => ('\'', '\''),
        b'(' => ('(', ')'),
        _ => return false,
    };
    t.len() >= 2 && t.starts_with(open) && t.ends_with(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hoisted(text: &str) -> (String, Vec<usize>) {
        let lines = hoist(Line::numbered(text));
        let text = lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        (text, lines.iter().map(|l| l.src).collect())
    }

    #[test]
    fn a_definition_after_paragraph_text_moves_to_the_end() {
        let (text, src) = hoisted("para\n[a]: /x \"T\"\nmore\n\n[l][a]");
        assert_eq!(text, "para\n\nmore\n\n[l][a]\n\n[a]: /x \"T\"");
        assert_eq!(src.last(), Some(&2), "the definition keeps its line");
    }

    /// markdown 3.11.3 takes both definitions, `[b]` with the title on its own line.
    #[test]
    fn definitions_one_after_another_stay_with_their_titles() {
        let md = "[a]: http://example.com/a\n[b]: http://example.com/b\n\"Title\"";
        assert_eq!(
            hoisted(md).0,
            "[a]: http://example.com/a\n\n\n[b]: http://example.com/b\n\"Title\""
        );
    }

    #[test]
    fn in_a_tight_list_item_the_text_around_stays_one() {
        let (text, _) = hoisted("Text\n\n* a\n  [a]: /x\n  c\n* d");
        assert_eq!(text, "Text\n\n* a\n  c\n* d\n\n[a]: /x");
        let (text, _) = hoisted("* z\n\n* a\n  [a]: /x\n  c");
        assert_eq!(text, "* z\n\n* a\n\n  c\n\n[a]: /x", "a loose item splits");
    }

    #[test]
    fn quotes_keep_their_markers_and_code_is_left_alone() {
        let (text, _) = hoisted("> q\n> [a]: /x\n> r");
        assert_eq!(text, "> q\n>\n> r\n\n[a]: /x");
        for kept in [
            "```\np\n[a]: /x\n```",
            "para\n    [a]: /x",
            "para\n[a]: </x y>",
            "[a]: /x\n",
            "# H\n[a]: /x",
            "para\n[a]:",
        ] {
            assert_eq!(hoisted(kept).0, kept);
        }
    }

    #[test]
    fn definition_shapes() {
        assert!(is_definition("[a b]: https://x.org/y 'T'"));
        assert!(is_definition("[a]:/x (T)"));
        assert!(!is_definition("[a]: /x T"));
        assert!(!is_definition("[]: /x"));
        assert!(!is_definition("[a] /x"));
    }
}
