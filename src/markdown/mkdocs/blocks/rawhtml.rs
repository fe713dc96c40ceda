//! Raw HTML blocks as Python-Markdown reads them (see `htmlscan` for where one ends):
//! unlike CommonMark's, a block runs past blank lines to its closing tag, and text after
//! the closing tag on its line is a paragraph of its own. The block is written as a
//! `RAW_OPEN` block (kept as written, blank lines as `BLANK`).
//!
//! Python-Markdown finds raw blocks in the whole page before any block is read, so only
//! tags at the page's own line starts count (a body indented under `!!!` is not one);
//! `Ctx::raw` holds the level's text when the level is the page or an `md_in_html` body.

use std::ops::Range;

use super::super::markers::{BLANK, PARA, RAW_OPEN};
use super::htmlscan::{comment_end, is_block_level, Extent};
use super::level::{After, Joined, MdElement};
use super::mdhtml::joined::without_markdown_attrs;
use super::out::Out;
use super::{fence_open, indent_of, is_blank, Ctx, Line};

/// A raw block (or raw blocks one after another on a line) starting at line `i`.
pub(super) fn try_block(
    lines: &[Line],
    i: usize,
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> Option<usize> {
    let j = cx.raw.as_mut()?;
    let indent = indent_of(&lines[i].text);
    let t = &lines[i].text[indent..];
    if indent > 3 || !t.starts_with('<') || cx.d.critic.is_some() && is_critic_tag(t) {
        return None;
    }
    let after_blank = out.lines.last().is_none_or(|l| is_blank(&l.text));
    let mut pos = j.starts[i] + indent;
    if j.in_text(pos) {
        // Inside a comment an earlier line of text opened: text, as step copies it.
        if after_blank && alone_block_tag(lines, i, t) {
            return None;
        }
        return Some(copy_as_text(lines, i, indent, PARA, j, out));
    }
    let mut end = match j.extent(pos) {
        Extent::Raw(_) if !after_blank && inline_comment(&j.text, pos) => {
            return Some(copy_as_text(lines, i, indent, PARA, j, out))
        }
        Extent::Raw(end) => end,
        Extent::Text => return Some(copy_as_text(lines, i, indent, "\\", j, out)),
        // Inline markup stays in its paragraph, where CommonMark may start an HTML block.
        Extent::Inline if !after_blank || !alone_block_tag(lines, i, t) => {
            return Some(copy_as_text(lines, i, indent, PARA, j, out))
        }
        Extent::Inline => return None,
    };
    if !after_blank {
        out.lines.push(lines[i].derived(String::new()));
    }
    loop {
        match j.md_element(pos) {
            Some(e) => write_md_element(lines, j, pos, &e, out),
            None => write_raw_and_fences(lines, j, pos, end, out),
        }
        let (eol, next) = match j.after(end) {
            After::Line(next) => return Some(next),
            After::Tail { pos: at, eol, next } => {
                pos = at;
                (eol, next)
            }
        };
        // Text after the block on its line: another raw block, or a paragraph's start.
        if j.text[pos..].starts_with('<') && j.tail_may_open(i, &j.text[end..eol]) {
            if let Extent::Raw(e) = j.extent(pos) {
                end = e;
                continue;
            }
        }
        write_tail(lines, j, pos..eol, out);
        j.read_as_text(pos);
        return Some(next);
    }
}

/// The text in `tail` (after markup on its line) written as a paragraph's line: in a
/// `<p>` when it starts with a tag, unless that tag is a block-level one alone.
pub(super) fn write_tail(lines: &[Line], j: &Joined, tail: Range<usize>, out: &mut Out) {
    let k = j.line_of(tail.start);
    let col = tail.start - j.starts[k];
    let tail = &j.text[tail];
    let para = if tail.starts_with('<') && !alone_block_tag(lines, k, tail) {
        PARA
    } else {
        ""
    };
    let mut line = lines[k].derived(format!("{para}{tail}"));
    line.shift = lines[k].shift + col as isize;
    out.copy(&line);
}

/// Whether `t` (on line `i`) is a tag (start or end) of a block-level element, or a
/// comment, alone in its paragraph: Python-Markdown writes it without `<p>`, as
/// CommonMark does.
pub(super) fn alone_block_tag(lines: &[Line], i: usize, t: &str) -> bool {
    let t = t.trim_end();
    if t.starts_with("<!--") && comment_end(t, 0) == Some(t.len()) {
        return lines.get(i + 1).is_none_or(|l| is_blank(&l.text));
    }
    let name = t[1..].trim_start_matches('/');
    let n = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    t.find('>') == Some(t.len() - 1)
        && is_block_level(&name[..n].to_ascii_lowercase())
        && lines.get(i + 1).is_none_or(|l| is_blank(&l.text))
}

/// Whether the comment at `pos` (on a paragraph's later line) is inside an inline
/// element opened earlier in the paragraph and closed later in it: then it is part of
/// the paragraph (Python-Markdown's `inline_close_follows`), unless it holds a blank line.
fn inline_comment(text: &str, pos: usize) -> bool {
    if !text[pos..].starts_with("<!--") {
        return false;
    }
    let Some(end) = comment_end(text, pos) else {
        return false;
    };
    if first_blank_line(&text[pos..end]).is_some() {
        return false;
    }
    let para_start = last_blank_line_end(&text[..pos]);
    let para_end = first_blank_line(&text[end..]).map_or(text.len(), |k| end + k);
    let after = text[end..para_end].to_ascii_lowercase();
    open_inline_tags(&text[para_start..pos])
        .iter()
        .any(|t| after.contains(&format!("</{t}")))
}

/// Where the first blank line (a new line, spaces or tabs, a new line) in `s` starts.
fn first_blank_line(s: &str) -> Option<usize> {
    s.match_indices('\n')
        .map(|(k, _)| k)
        .find(|&k| s[k + 1..].trim_start_matches([' ', '\t']).starts_with('\n'))
}

/// Where the text after the last blank line in `s` starts (0 when there is none).
fn last_blank_line_end(s: &str) -> usize {
    s.rmatch_indices('\n')
        .map(|(k, _)| k + 1)
        .find(|&k| s[..k - 1].trim_end_matches([' ', '\t']).ends_with('\n'))
        .unwrap_or(0)
}

/// The inline (not block-level, not void) tags opened in `text` and not closed there.
fn open_inline_tags(text: &str) -> Vec<String> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "img", "input", "link", "meta", "param", "source",
        "track", "wbr",
    ];
    let mut open: Vec<String> = Vec::new();
    let mut p = 0;
    while let Some(k) = text[p..].find('<') {
        p += k + 1;
        let close = text[p..].starts_with('/');
        let name = &text[p + usize::from(close)..];
        let n = name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len());
        let name = name[..n].to_ascii_lowercase();
        if name.is_empty() || is_block_level(&name) || VOID.contains(&name.as_str()) {
            continue;
        }
        if !close {
            open.push(name);
        } else if let Some(at) = open.iter().rposition(|t| *t == name) {
            open.truncate(at);
        }
    }
    open
}

/// A tag pymdownx.critic writes (`<ins class="critic">`, `</del>`, …): it stashes them
/// before raw HTML is read, so they are not the author's HTML; critic's pass leaves them
/// for CommonMark to read.
fn is_critic_tag(t: &str) -> bool {
    let name = t[1..].trim_start_matches('/');
    ["del", "ins", "mark", "span"]
        .iter()
        .any(|n| name.starts_with(n) && name[n.len()..].starts_with([' ', '>']))
}

/// Line `i` copied as text, with `prefix` before its markup: `\` for text Python reads
/// as text (an unclosed comment), `PARA` for inline markup that must stay in a paragraph.
fn copy_as_text(
    lines: &[Line],
    i: usize,
    indent: usize,
    prefix: &str,
    j: &mut Joined,
    out: &mut Out,
) -> usize {
    let l = &lines[i];
    let text = format!("{}{prefix}{}", &l.text[..indent], &l.text[indent..]);
    let mut line = l.derived(text);
    line.shift = l.shift - prefix.len() as isize;
    out.copy(&line);
    j.read_as_text(j.starts[i] + indent);
    i + 1
}

/// The raw HTML from byte `from` to `to`, with each fenced code block in it taken out as
/// Markdown: Python-Markdown's fenced_code (and pymdownx.superfences) reads fences before
/// raw HTML is read, so a fence inside `<details>` is code, not raw text.
fn write_raw_and_fences(lines: &[Line], j: &Joined, from: usize, to: usize, out: &mut Out) {
    let mut at = from;
    while let Some((open, close)) = next_fence(&j.text, at, to) {
        if !j.text[at..open].trim().is_empty() {
            write_raw(lines, j, at, open - 1, out);
        }
        let (first, last) = (j.line_of(open), j.line_of(close));
        out.other();
        for line in &lines[first..=last] {
            out.copy(line);
        }
        out.lines.push(lines[last].derived(String::new()));
        out.other();
        at = (j.line_end(close) + 1).min(to);
    }
    if !j.text[at..to].trim().is_empty() {
        write_raw(lines, j, at, to, out);
    }
}

/// The first fence in `text[from..to]` that Python-Markdown's fenced_code reads: an
/// opening fence (`fence_open`) at a line's start, closed by exactly the same fence on a
/// later line (then only spaces: a longer fence does not close it). Gives the opening
/// line's start and the closing line's start.
fn next_fence(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let starts = |a: usize| {
        text[a..to]
            .match_indices('\n')
            .map(move |(k, _)| a + k + 1)
            .filter(move |&p| p < to)
    };
    let line_at = |p: usize| &text[p..text[p..].find('\n').map_or(text.len(), |k| p + k)];
    for open in starts(from) {
        let line = line_at(open);
        let Some((_, n)) = fence_open(line) else {
            continue;
        };
        let fence = &line[..n];
        let closed = starts(open).find(|&p| {
            line_at(p)
                .strip_prefix(fence)
                .is_some_and(|rest| rest.trim_end_matches(' ').is_empty())
        });
        if let Some(close) = closed {
            return Some((open, close));
        }
    }
    None
}

/// An element kept as written in an md_in_html body from `from`, as html.parser's tree
/// writes it: without the `markdown` attributes of the elements nested in it, with its
/// end tag when the text has none.
fn write_md_element(lines: &[Line], j: &Joined, from: usize, e: &MdElement, out: &mut Out) {
    let to = from + j.text[from..e.end].trim_end().len();
    write_raw_edited(lines, j, (from, to), &e.opened, out);
    if let Some(end_tag) = &e.end_tag {
        let k = j.line_of(to);
        out.other();
        out.lines.push(lines[k].derived(RAW_OPEN.to_string()));
        out.lines.push(lines[k].derived(end_tag.clone()));
        out.lines.push(lines[k].derived(String::new()));
        out.other();
    }
}

/// The raw HTML from byte `from` to `to`, as a `RAW_OPEN` block and a blank line.
pub(super) fn write_raw(lines: &[Line], j: &Joined, from: usize, to: usize, out: &mut Out) {
    write_raw_edited(lines, j, (from, to), &[], out);
}

/// `write_raw`, the start tags at `drop_markdown` without their `markdown` attributes.
fn write_raw_edited(
    lines: &[Line],
    j: &Joined,
    (from, to): (usize, usize),
    drop_markdown: &[(usize, usize)],
    out: &mut Out,
) {
    out.other();
    let first = j.line_of(from);
    out.lines.push(lines[first].derived(RAW_OPEN.to_string()));
    let mut at = from;
    for piece in j.text[from..to].split('\n') {
        let k = j.line_of(at);
        let text = if piece.trim().is_empty() {
            BLANK.to_string()
        } else {
            without_markdown_in(piece, at, drop_markdown)
        };
        let mut line = lines[k].derived(text);
        line.shift = lines[k].shift + (at - j.starts[k]) as isize;
        out.lines.push(line);
        at += piece.len() + 1;
    }
    out.lines.push(lines[first].derived(String::new()));
    out.other();
}

/// `piece` (from byte `at`) with the `markdown` attributes of the tags at `spans` (those
/// inside it) taken out.
fn without_markdown_in(piece: &str, at: usize, spans: &[(usize, usize)]) -> String {
    let end = at + piece.len();
    let mut out = String::with_capacity(piece.len());
    let mut p = at;
    for &(s, e) in spans.iter().filter(|(s, e)| *s >= at && *e <= end) {
        out.push_str(&piece[p - at..s - at]);
        out.push_str(&without_markdown_attrs(&piece[s - at..e - at]));
        p = e;
    }
    out.push_str(&piece[p - at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::super::Dialect;

    fn render(md: &str) -> String {
        let d = Dialect {
            enabled: true,
            ..Dialect::default()
        };
        crate::markdown::tests::render_dialect(md, &d, 0)
            .html
            .replace('\n', "")
    }

    /// Each input with Python-Markdown 3.11.3's output (new lines taken out).
    #[test]
    fn raw_blocks_as_python_markdown_renders_them() {
        let cases = [
            (
                "<div>\n\n*x*\n\n</div>\n*after*",
                "<div>*x*</div><p><em>after</em></p>",
            ),
            (
                "Some *text*.\n<p>*Raw*</p>\nMore *text*.",
                "<p>Some <em>text</em>.</p><p>*Raw*</p><p>More <em>text</em>.</p>",
            ),
            ("<p>*foo*</p>*bar*", "<p>*foo*</p><p><em>bar</em></p>"),
            ("<!-- *foo* -->*bar*", "<!-- *foo* --><p><em>bar</em></p>"),
            (
                "<!-- unclosed\n\n*not* a comment",
                "<p>&lt;!-- unclosed</p><p><em>not</em> a comment</p>",
            ),
            ("<!invalid>", "<p>&lt;!invalid&gt;</p>"),
            ("*a*\n<hr>\n*b*", "<p><em>a</em></p><hr><p><em>b</em></p>"),
            ("<span>\n*x*\n</span>", "<p><span><em>x</em></span></p>"),
            (
                "<span>\n<!-- c --></span>",
                "<p><span><!-- c --></span></p>",
            ),
            // A comment holding a blank line is a block even inside an inline element;
            // a blank line after it ends the paragraph the element's end tag would close.
            (
                "<span>\n<!--\nmulti\n\nline\n-->\n</span>",
                "<p><span></p><!--multiline--><p></span></p>",
            ),
            (
                "<span>a\n<!-- c -->\n \n</span>",
                "<p><span>a</p><!-- c --><p></span></p>",
            ),
            ("*a*\n</hr>\n*b*", "<p><em>a</em></hr><em>b</em></p>"),
            ("a\n</div>\n\nb", "<p>a</div></p><p>b</p>"),
            ("<hr></hr>\n*b*", "<hr><p></hr><em>b</em></p>"),
            // A comment opened inside a line of text is text up to its close, however
            // the lines it spans start.
            (
                "a <!-- b\n\n<div>\n*x*\n</div>\n\n-->\n\n<div>\n*y*\n</div>",
                "<p>a &lt;!-- b</p><p><div><em>x</em></div></p><p>--&gt;</p><div>*y*</div>",
            ),
            (
                "`</` <!-- `<!--`\n\n<!-- and `<!--`\n\n<!-- Real -->\n\n<!-- x",
                "<p><code>&lt;/</code> &lt;!-- <code>&lt;!--</code></p><p>&lt;!-- and <code>&lt;!--</code></p><!-- Real --><p>&lt;!-- x</p>",
            ),
            // Fences inside raw HTML are code (dcrsite's `<pre>` carries its highlighter's
            // class, which the conformance comparison leaves aside).
            (
                "<details>\n```\nBegone *x*\n```\n</details>",
                "<details><pre class=\"highlight\"><code>Begone *x*</code></pre></details>",
            ),
            (
                "<div>\n~~~~\na\n~~~\n~~~~\n<b>after</b>\n</div>",
                "<div><pre class=\"highlight\"><code>a~~~</code></pre><b>after</b></div>",
            ),
            // A backtick in a backtick fence's info string makes it no fence.
            (
                "<div>\n``` a`b\nx *y*\n```\n</div>",
                "<div>``` a`bx *y*```</div>",
            ),
            (
                "<div><div>a</div>\n\nb</div><div>c</div>\n*d*",
                "<div><div>a</div>b</div><div>c</div><p><em>d</em></p>",
            ),
        ];
        for (md, want) in cases {
            assert_eq!(render(md), want, "{md:?}");
        }
    }
}
