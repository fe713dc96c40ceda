//! Raw HTML blocks as Python-Markdown reads them (see `htmlscan` for where one ends):
//! unlike CommonMark's, a block runs past blank lines to its closing tag, and text after
//! the closing tag on its line is a paragraph of its own. The block is written as a
//! `RAW_OPEN` block (kept as written, blank lines as `BLANK`).
//!
//! Python-Markdown finds raw blocks in the whole page before any block is read, so only
//! tags at the page's own line starts count (a body indented under `!!!` is not one);
//! `Ctx::raw` holds the level's text when the level is the page or an `md_in_html` body.

use super::super::markers::{BLANK, PARA, RAW_OPEN};
use super::htmlscan::{extent, is_block_level, Extent};
use super::out::Out;
use super::{indent_of, is_blank, Ctx, Line};

/// A level's lines joined by new lines, and where each line starts.
pub(in super::super) struct Joined {
    pub(super) text: String,
    pub(super) starts: Vec<usize>,
}

impl Joined {
    pub(super) fn new(lines: &[Line]) -> Joined {
        let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(lines.len());
        for (k, l) in lines.iter().enumerate() {
            if k > 0 {
                text.push('\n');
            }
            starts.push(text.len());
            text.push_str(&l.text);
        }
        Joined { text, starts }
    }

    /// The line holding byte `pos`.
    pub(super) fn line_of(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }

    /// The end of the line holding byte `pos`.
    pub(super) fn line_end(&self, pos: usize) -> usize {
        self.text[pos..]
            .find('\n')
            .map_or(self.text.len(), |k| pos + k)
    }
}

/// A raw block (or raw blocks one after another on a line) starting at line `i`.
pub(super) fn try_block(
    lines: &[Line],
    i: usize,
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> Option<usize> {
    let j = cx.raw.as_ref()?;
    let indent = indent_of(&lines[i].text);
    let t = &lines[i].text[indent..];
    if indent > 3 || !t.starts_with('<') || cx.d.critic.is_some() && is_critic_tag(t) {
        return None;
    }
    let after_blank = out.lines.last().is_none_or(|l| is_blank(&l.text));
    let mut pos = j.starts[i] + indent;
    let mut end = match extent(&j.text, pos) {
        Extent::Raw(_) if !after_blank && inline_comment(&j.text, pos) => {
            return Some(copy_with(lines, i, indent, PARA, out))
        }
        Extent::Raw(end) => end,
        Extent::Text => return Some(copy_with(lines, i, indent, "\\", out)),
        // Inline markup stays in its paragraph, where CommonMark may start an HTML block.
        Extent::Inline if !alone_block_tag(lines, i, t) => {
            return Some(copy_with(lines, i, indent, PARA, out))
        }
        Extent::Inline => return None,
    };
    if !after_blank {
        out.lines.push(lines[i].derived(String::new()));
    }
    loop {
        write_raw_and_fences(lines, j, pos, end, out);
        let eol = j.line_end(end);
        let tail = &j.text[end..eol];
        let next = j.line_of(eol) + 1;
        if tail.trim().is_empty() {
            return Some(next);
        }
        // Text after the block on its line: another raw block, or a paragraph's start.
        pos = end + tail.len() - tail.trim_start().len();
        if tail.trim_start().starts_with('<') {
            if let Extent::Raw(e) = extent(&j.text, pos) {
                end = e;
                continue;
            }
        }
        let k = j.line_of(pos);
        let col = pos - j.starts[k];
        let tail = &j.text[pos..eol];
        let para = if tail.starts_with('<') && !alone_block_tag(lines, k, tail) {
            PARA
        } else {
            ""
        };
        let mut line = lines[k].derived(format!("{para}{tail}"));
        line.shift = lines[k].shift + col as isize;
        out.copy(&line);
        return Some(next);
    }
}

/// Whether `t` (on line `i`) is a tag (start or end) of a block-level element alone in
/// its paragraph: Python-Markdown writes it without `<p>`, as CommonMark does.
fn alone_block_tag(lines: &[Line], i: usize, t: &str) -> bool {
    let t = t.trim_end();
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
/// the paragraph (Python-Markdown's `inline_close_follows`).
fn inline_comment(text: &str, pos: usize) -> bool {
    if !text[pos..].starts_with("<!--") {
        return false;
    }
    let para_start = text[..pos].rfind("\n\n").map_or(0, |k| k + 2);
    let Some(end) = super::htmlscan::comment_end(text, pos) else {
        return false;
    };
    let para_end = text[end..].find("\n\n").map_or(text.len(), |k| end + k);
    let after = text[end..para_end].to_ascii_lowercase();
    open_inline_tags(&text[para_start..pos])
        .iter()
        .any(|t| after.contains(&format!("</{t}")))
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

/// Line `i` copied with `prefix` before its markup: `\` for text Python reads as text
/// (an unclosed comment), `PARA` for inline markup that must stay in a paragraph.
fn copy_with(lines: &[Line], i: usize, indent: usize, prefix: &str, out: &mut Out) -> usize {
    let l = &lines[i];
    let text = format!("{}{prefix}{}", &l.text[..indent], &l.text[indent..]);
    let mut line = l.derived(text);
    line.shift = l.shift - prefix.len() as isize;
    out.copy(&line);
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

/// The first fence in `text[from..to]` that Python-Markdown's fenced_code reads: three or
/// more backticks or tildes at a line's start, closed by the same fence on a later line
/// (then only spaces). Gives the opening line's start and the closing line's start.
fn next_fence(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let starts = |a: usize| {
        text[a..to]
            .match_indices('\n')
            .map(move |(k, _)| a + k + 1)
            .filter(move |&p| p < to)
    };
    for open in starts(from) {
        let line = &text[open..text[open..].find('\n').map_or(text.len(), |k| open + k)];
        let Some(marker) = line.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let fence_len = line.len() - line.trim_start_matches(marker).len();
        if fence_len < 3 {
            continue;
        }
        let fence = &line[..fence_len];
        let closed = starts(open).find(|&p| {
            let l = &text[p..text[p..].find('\n').map_or(text.len(), |k| p + k)];
            l.strip_prefix(fence)
                .is_some_and(|rest| rest.trim_end_matches(' ').is_empty())
        });
        if let Some(close) = closed {
            return Some((open, close));
        }
    }
    None
}

/// The raw HTML from byte `from` to `to`, as a `RAW_OPEN` block and a blank line.
pub(super) fn write_raw(lines: &[Line], j: &Joined, from: usize, to: usize, out: &mut Out) {
    out.other();
    let first = j.line_of(from);
    out.lines.push(lines[first].derived(RAW_OPEN.to_string()));
    let mut at = from;
    for piece in j.text[from..to].split('\n') {
        let k = j.line_of(at);
        let text = if piece.trim().is_empty() {
            BLANK.to_string()
        } else {
            piece.to_string()
        };
        let mut line = lines[k].derived(text);
        line.shift = lines[k].shift + (at - j.starts[k]) as isize;
        out.lines.push(line);
        at += piece.len() + 1;
    }
    out.lines.push(lines[first].derived(String::new()));
    out.other();
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
            ("*a*\n</hr>\n*b*", "<p><em>a</em></hr><em>b</em></p>"),
            ("<hr></hr>\n*b*", "<hr><p></hr><em>b</em></p>"),
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
