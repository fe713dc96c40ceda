//! Where an element with `markdown` ends, as md_in_html's extractor reads it. Inside
//! such an element only block-level tags nest, and only those opened at a line's start
//! or right after their parent's start tag: any other tag is text, so its end tag may
//! close the element (`<div markdown>a<div>b</div>` ends at the first `</div>`). A `<p>`
//! is closed by the next block-level element opened; an element never closed runs to
//! the end of the text.

use super::super::htmlscan::{
    comment_end, find_ignore_case, is_block_level, start_tag, tag_name, StartTag, CDATA_CONTENT,
};

/// Where the element `open` starts is closed: the start of its end tag and the byte
/// after it (both the next element's start when a `<p>` is closed by it, both the end of
/// the text when it is never closed).
pub(in super::super) fn close(text: &str, open: &StartTag) -> (usize, usize) {
    close_noting(text, open, &mut Vec::new())
}

/// `close`, noting where the start tags of the elements nested in it are (md_in_html
/// drops their `markdown` attributes, not those of tags read as text).
pub(in super::super) fn close_noting(
    text: &str,
    open: &StartTag,
    opened: &mut Vec<(usize, usize)>,
) -> (usize, usize) {
    // Each open element, and whether nothing came since its start tag.
    let mut stack = vec![(open.name.clone(), true)];
    let mut p = open.end;
    while let Some(k) = text[p..].find('<') {
        let at = p + k;
        if k > 0 {
            text_seen(&mut stack);
        }
        let rest = &text[at..];
        p = if rest.starts_with("</") && rest[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            let name = tag_name(&rest[2..]).to_ascii_lowercase();
            let Some(gt) = rest.find('>') else {
                text_seen(&mut stack);
                p = at + 2;
                continue;
            };
            if !is_block_level(&name) || !stack.iter().any(|(t, _)| *t == name) {
                text_seen(&mut stack);
            } else if pop_to(&mut stack, &name) {
                return (at, at + gt + 1);
            }
            at + gt + 1
        } else if rest.starts_with("<!--") {
            text_seen(&mut stack);
            comment_end(text, at).unwrap_or(at + 1)
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            text_seen(&mut stack);
            rest.find('>').map_or(at + 1, |gt| at + gt + 1)
        } else {
            match start_tag(text, at) {
                Some(tag) if opens(text, at, &tag, &stack) => {
                    if pop_to(&mut stack, "p") {
                        return (at, at);
                    }
                    stack.push((tag.name.clone(), true));
                    opened.push((at, tag.end));
                    skip_cdata(text, &tag)
                }
                Some(tag) => {
                    text_seen(&mut stack);
                    tag.end
                }
                None => {
                    text_seen(&mut stack);
                    at + 1
                }
            }
        };
    }
    (text.len(), text.len())
}

/// Whether the start tag at `at` opens a nested element: a block-level one at a line's
/// start (up to three spaces in) or right after its parent's start tag; `<hr>` at a
/// line's start is an element of its own, no parent.
fn opens(text: &str, at: usize, tag: &StartTag, stack: &[(String, bool)]) -> bool {
    if !is_block_level(&tag.name) || tag.self_closing {
        return false;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |k| k + 1);
    let at_line_start = at - line_start <= 3 && text[line_start..at].trim().is_empty();
    if at_line_start {
        return tag.name != "hr";
    }
    stack.last().is_some_and(|(_, fresh)| *fresh)
}

/// Text (or markup read as text) came: the innermost element has started.
fn text_seen(stack: &mut [(String, bool)]) {
    if let Some(top) = stack.last_mut() {
        top.1 = false;
    }
}

/// Closes `name` and the elements opened inside it, when it is open; whether that
/// emptied the stack.
fn pop_to(stack: &mut Vec<(String, bool)>, name: &str) -> bool {
    if let Some(at) = stack.iter().rposition(|(t, _)| t == name) {
        stack.truncate(at);
        return stack.is_empty();
    }
    false
}

/// After a `<script>` or `<style>` start tag, its content is not markup: the position of
/// its end tag. After another tag, its end.
fn skip_cdata(text: &str, tag: &StartTag) -> usize {
    if !CDATA_CONTENT.contains(&tag.name.as_str()) {
        return tag.end;
    }
    find_ignore_case(text, tag.end, &format!("</{}", tag.name)).unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each element with its body as Python-Markdown 3.11.3's md_in_html reads it (None:
    /// never closed).
    #[test]
    fn where_elements_with_markdown_close() {
        let cases: &[(&str, Option<&str>)] = &[
            ("<div markdown>a</div>b", Some("a")),
            ("<div markdown><div>a</div></div>", Some("<div>a</div>")),
            ("<div markdown>a<div>b</div></div>", Some("a<div>b")),
            (
                "<div markdown>\n<div>x</div>a<div>b</div>\n</div>",
                Some("\n<div>x</div>a<div>b"),
            ),
            ("<div markdown>\n<span>a</div></span>", Some("\n<span>a")),
            ("<p markdown>a\n<p markdown>b", Some("a\n")),
            ("<div markdown>\n\n<div>\n\nb\n\n</div>", None),
            (
                "<div markdown>\n<script>\n</div>\n</script>\n</div>",
                Some("\n<script>\n</div>\n</script>\n"),
            ),
            (
                "<div markdown><!-- </div> --></div>",
                Some("<!-- </div> -->"),
            ),
            // After a child closes, its parent has still seen no text of its own.
            (
                "<div markdown><div>a</div><div>b</div></div>",
                Some("<div>a</div><div>b</div>"),
            ),
        ];
        for (text, want) in cases {
            let tag = start_tag(text, 0).unwrap();
            let (from, to) = close(text, &tag);
            let got = (to > from || from < text.len()).then(|| &text[tag.end..from]);
            assert_eq!(got, *want, "{text:?}");
        }
    }
}
