//! `md_in_html` where raw HTML blocks are read (the page, an `md_in_html` body), as
//! Python-Markdown's extractor reads it: the element may share its line with its
//! content, its closing tag and what follows (`<div markdown>*a*</div><div>b</div>`),
//! its end is the end tag closing it (nested elements counted), and an element with
//! `markdown` alone (`<hr markdown>`) is written without the attribute.

use super::super::super::markers::{INLINE_END, PARA};
use super::super::htmlscan::{self, Extent, StartTag};
use super::super::level::{After, Joined, Level};
use super::super::out::Out;
use super::super::rawhtml::{write_raw, write_tail};
use super::super::{dedent, indent_of, is_blank, walk, Ctx, Line};
use super::{scan, start_tag, SPAN_TAGS};

/// A start tag with a `markdown` attribute (not `"0"`) at `pos`: the tag, its name, the
/// tag without the attribute, and the attribute's value.
fn md_tag(j: &Joined, pos: usize) -> Option<(StartTag, String, String, String)> {
    let tag = htmlscan::start_tag(&j.text, pos)?;
    let raw = &j.text[pos..tag.end];
    let t = if tag.self_closing {
        format!("{}>", raw[..raw.len() - 2].trim_end())
    } else {
        raw.to_string()
    };
    if t.contains('\n') {
        return None;
    }
    let (name, kept, value) = start_tag(&t)?;
    (value != "0").then_some((tag, name, kept, value))
}

/// Elements with `markdown` (and raw blocks after them on their line) from line `i`.
pub(super) fn try_block(
    lines: &[Line],
    i: usize,
    j: &Joined,
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> Option<usize> {
    let indent = indent_of(&lines[i].text);
    let mut pos = j.starts[i] + indent;
    if indent > 3
        || !lines[i].text[indent..].starts_with('<')
        || j.in_text(pos)
        || !starts_md(j, pos)
    {
        return None;
    }
    if out.lines.last().is_some_and(|l| !is_blank(&l.text)) {
        out.lines.push(lines[i].derived(String::new()));
    }
    loop {
        let end = match md_tag(j, pos) {
            Some(tag) => element(lines, j, pos, tag, cx, out),
            None => match j.extent(pos) {
                Extent::Raw(end) => {
                    write_raw(lines, j, pos, end, out);
                    end
                }
                _ => unreachable!("only raw blocks are read after an element"),
            },
        };
        let (eol, next) = match j.after(end) {
            After::Line(next) => return Some(next),
            After::Tail { pos: at, eol, next } => {
                pos = at;
                (eol, next)
            }
        };
        let more = j.tail_may_open(i, &j.text[end..eol])
            && j.text[pos..].starts_with('<')
            && (md_tag(j, pos).is_some() || matches!(j.extent(pos), Extent::Raw(_)));
        if more {
            continue;
        }
        write_tail(lines, j, pos..eol, out);
        return Some(next);
    }
}

/// Whether an element with `markdown` starts at `pos`, or follows raw blocks there on
/// their last line (`<div></div><div markdown>`: Python-Markdown reads the tail of a raw
/// block as it reads a line's start).
fn starts_md(j: &Joined, mut pos: usize) -> bool {
    loop {
        if md_tag(j, pos).is_some() {
            return true;
        }
        let Extent::Raw(end) = j.extent(pos) else {
            return false;
        };
        let eol = j.line_end(end);
        let tail = &j.text[end..eol];
        if !j.tail_may_open(j.line_of(pos), tail) || !tail.trim_start().starts_with('<') {
            return false;
        }
        let tail = tail.trim_start();
        pos = eol - tail.len();
    }
}

/// The element starting at `pos` written; returns the byte after its end tag.
fn element(
    lines: &[Line],
    j: &Joined,
    pos: usize,
    (tag, name, kept, value): (StartTag, String, String, String),
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> usize {
    let k = j.line_of(pos);
    let indent = indent_of(&lines[k].text);
    let mut html = out.html(&lines[k], indent);
    html.tag(&kept);
    if tag.self_closing || name == "hr" {
        html.end();
        return tag.end;
    }
    let (close_at, end) = scan::close(&j.text, &tag);
    let body = body_lines(lines, j, tag.end, close_at, indent);
    let inline = value == "span" || value != "block" && SPAN_TAGS.contains(&name.as_str());
    if inline {
        html.body_inline(span_body(body)).tag(&format!("</{name}>"));
        html.tag(INLINE_END);
    } else {
        let fresh = j.text[tag.end..close_at].starts_with('<');
        cx.raw_next = Some(Level::MdBody { fresh });
        html.body(walk(body, cx), false).tag(&format!("</{name}>"));
    }
    html.end();
    end
}

/// The lines of the text from `from` to `to`, the first and last without white space
/// alone, later lines without the element's indentation.
fn body_lines(lines: &[Line], j: &Joined, from: usize, to: usize, indent: usize) -> Vec<Line> {
    let mut body = Vec::new();
    let mut at = from;
    for piece in j.text[from..to].split('\n') {
        let k = j.line_of(at);
        let col = at - j.starts[k];
        let mut line = lines[k].derived(piece.to_string());
        line.shift = lines[k].shift + col as isize;
        body.push(if col == 0 {
            dedent(&line, indent)
        } else {
            line
        });
        at += piece.len() + 1;
    }
    if body.first().is_some_and(|l| is_blank(&l.text)) {
        body.remove(0);
    }
    if body.last().is_some_and(|l| is_blank(&l.text)) {
        body.pop();
    }
    body
}

/// Inline content: an element inside is inline too (its `markdown` goes), and a line
/// starting with a tag stays text of the paragraph.
fn span_body(body: Vec<Line>) -> Vec<Line> {
    body.into_iter()
        .map(|mut l| {
            l.text = without_markdown_attrs(&l.text);
            if l.text.trim_start().starts_with('<') {
                l.text = format!("{PARA}{}", l.text.trim_start());
            }
            l
        })
        .collect()
}

/// `text` with the `markdown` attributes of its tags taken out.
pub(in super::super) fn without_markdown_attrs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(k) = rest.find(" markdown") {
        let (before, after) = rest.split_at(k);
        out.push_str(before);
        let in_tag = out.rfind('<') > out.rfind('>');
        let attr = &after[9..];
        let len = match attr.strip_prefix('=') {
            Some(v) if v.starts_with(['"', '\'']) => v[1..].find(&v[..1]).map(|e| 9 + 1 + e + 2),
            Some(v) => Some(9 + 1 + v.find([' ', '>', '/']).unwrap_or(v.len())),
            None if attr.starts_with([' ', '>', '/']) || attr.is_empty() => Some(9),
            None => None,
        };
        match len.filter(|_| in_tag) {
            Some(n) => rest = &after[n..],
            None => {
                out.push(' ');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::mkdocs::{Dialect, Extensions};

    fn render(md: &str) -> String {
        let d = Dialect {
            enabled: true,
            blocks: Extensions {
                md_in_html: true,
                ..Extensions::default()
            },
            ..Dialect::default()
        };
        crate::markdown::tests::render_dialect(md, &d, 0)
            .html
            .replace('\n', "")
    }

    /// Each input with Python-Markdown 3.11.3's output (md_in_html, new lines taken out).
    #[test]
    fn elements_as_python_markdown_renders_them() {
        let cases = [
            (
                r#"<div markdown="1">*foo*</div>"#,
                "<div><p><em>foo</em></p></div>",
            ),
            (
                r#"<div class="a" markdown><div class="b" markdown>**foo**</div><div class="c">*no*</div></div>"#,
                r#"<div class="a"><div class="b"><p><strong>foo</strong></p></div><div class="c">*no*</div></div>"#,
            ),
            (
                "<div markdown=\"span\">\n<div markdown=\"block\">*foo*</div>\n</div>",
                "<div><div><em>foo</em></div></div>",
            ),
            ("✅ *a*", "<p>✅ <em>a</em></p>"),
            // Inside an element with `markdown`, a block-level tag after text is text.
            (
                "<div markdown>\n<div class=\"c\"></div>A<div class=\"c\"></div>\n</div>",
                "<div><div class=\"c\"></div><p>A<div class=\"c\"></p></div></div>",
            ),
            (
                r#"<div class="a" markdown>**b**<div markdown>**c**</div></div>"#,
                r#"<div class="a"><p><strong>b</strong><div markdown><strong>c</strong></p></div></div>"#,
            ),
            // Elements without `markdown` in a body end by the same rules, lose the
            // `markdown` of the elements nested in them, and get the end tag they lack.
            (
                "<div markdown>\n<div>a<div>b</div>c</div>\n</div>",
                "<div><div>a<div>b</div><p>c</p></div></div>",
            ),
            (
                "<div markdown>\n<p>a\n<p>b\n</div>",
                "<div><p>a</p><p>b</p></div>",
            ),
            (
                "<div markdown>\n<div>\n<div markdown>\n*x*\n</div>\n</div>\n</div>",
                "<div><div><div>*x*</div></div></div>",
            ),
            (
                "<div markdown>\n<div>a</div><div>b</div>\n</div>",
                "<div><div>a</div><p><div>b</p></div></div>",
            ),
            (
                "<div markdown><div>a</div><div>b</div></div>",
                "<div><div>a</div><div>b</div></div>",
            ),
            // A `<p>` is closed by the next block-level element; an unclosed element
            // runs to the end.
            (
                "<div markdown=\"1\">\n<p markdown=\"1\">_a_\n<p markdown=\"1\">_b_\n</div>",
                "<div><p><em>a</em></p><p><em>b</em></p></div>",
            ),
            (
                "<div markdown=\"1\">\n\n_a_\n\n<div class=\"u\">\n\n_b_\n\n</div>",
                "<div><p><em>a</em></p><div class=\"u\">_b_</div></div>",
            ),
            (
                "<div></div><div markdown=\"1\">\n_a_\n</div>",
                "<div></div><div><p><em>a</em></p></div>",
            ),
            (
                "<span markdown>\n*a*\n</span>",
                "<p><span markdown><em>a</em></span></p>",
            ),
            (
                "<a-b markdown>\n\n*a*\n\n</a-b>",
                "<p><a-b markdown></p><p><em>a</em></p><p></a-b></p>",
            ),
            (
                "*a*\n<hr markdown=\"1\">\n*b*",
                "<p><em>a</em></p><hr><p><em>b</em></p>",
            ),
        ];
        for (md, want) in cases {
            assert_eq!(render(md), want, "{md:?}");
        }
    }

    /// An element indented in a list item (as MkDocs Material's docs write figures) is
    /// still read by lines: its Markdown is rendered, never left as text.
    #[test]
    fn an_element_indented_in_a_list_item_is_still_read() {
        let html = render("1. a\n\n     <figure markdown>\n     ![i](i.png)\n     </figure>");
        assert!(html.contains(r#"<img src="i.png" alt="i""#), "{html}");
        assert!(!html.contains("]("), "{html}");
    }

    #[test]
    fn markdown_attributes_go_from_tags_only() {
        assert_eq!(
            without_markdown_attrs(r#"<div markdown="block" id=x>some markdown</div>"#),
            "<div id=x>some markdown</div>"
        );
        assert_eq!(without_markdown_attrs("<p markdown>a</p>"), "<p>a</p>");
    }
}
