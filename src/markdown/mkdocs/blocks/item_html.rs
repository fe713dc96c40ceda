//! HTML that starts a block of a list item after a blank line. Python-Markdown takes raw
//! HTML blocks from the page's left margin only (its `HtmlBlockPreprocessor`, which runs
//! before lists are read), so in an item `<div>x</div>` is text: a paragraph whose tags
//! are inline HTML, `<p><div>x</div></p>`, with Markdown read between them. Its
//! postprocessor unwraps a paragraph that is one block-level tag or a comment alone
//! (`<hr>`, `<div>`), which CommonMark's HTML block writes as it stands: left alone.

use super::super::markers::PARA;
use super::out::Out;
use super::rawhtml::alone_block_tag;
use super::{indent_of, is_blank, item_column, Ctx, Line};

/// The paragraph at line `i` when it starts with a tag, after a blank line in an item:
/// its lines that start with a tag get `PARA`, so that pulldown-cmark reads no HTML
/// block there.
pub(super) fn try_block(lines: &[Line], i: usize, _: &mut Ctx<'_>, out: &mut Out) -> Option<usize> {
    let line = &lines[i];
    let base = item_column(lines, i)?;
    let indent = indent_of(&line.text);
    let t = &line.text[indent..];
    if !(base..base + 4).contains(&indent)
        || i == 0
        || !is_blank(&lines[i - 1].text)
        || !t.starts_with('<')
        || alone_block_tag(lines, i, t)
    {
        return None;
    }
    let end = (i..lines.len())
        .find(|&j| is_blank(&lines[j].text))
        .unwrap_or(lines.len());
    for l in &lines[i..end] {
        let indent = indent_of(&l.text);
        if !l.text[indent..].starts_with('<') {
            out.copy(l);
            continue;
        }
        let mut para = l.derived(format!("{}{PARA}{}", &l.text[..indent], &l.text[indent..]));
        para.shift = l.shift - PARA.len() as isize;
        out.copy(&para);
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use crate::markdown::mkdocs::testing::assert_shapes;
    use crate::markdown::mkdocs::Dialect;

    /// (source, the HTML markdown 3.11.3 makes of it, no extensions)
    const SHAPES: &[(&str, &str)] = &[
        (
            "- a\n\n    <div>x</div>\n",
            "<ul>\n<li>\n<p>a</p>\n<p><div>x</div></p>\n</li>\n</ul>",
        ),
        (
            "- a\n\n    <div>\n    x\n    </div>\n",
            "<ul>\n<li>\n<p>a</p>\n<p><div>\nx\n</div></p>\n</li>\n</ul>",
        ),
        (
            "- a\n\n    <div>x</div>\n\n    b\n",
            "<ul>\n<li>\n<p>a</p>\n<p><div>x</div></p>\n<p>b</p>\n</li>\n</ul>",
        ),
        (
            "1. a\n2. b\n\n    <p>raw</p>\n",
            "<ol>\n<li>a</li>\n<li>\n<p>b</p>\n<p><p>raw</p></p>\n</li>\n</ol>",
        ),
        (
            "- a\n\n    <div></div>\n",
            "<ul>\n<li>\n<p>a</p>\n<p><div></div></p>\n</li>\n</ul>",
        ),
        (
            "- a\n\n    <div>*x*</div>\n",
            "<ul>\n<li>\n<p>a</p>\n<p><div><em>x</em></div></p>\n</li>\n</ul>",
        ),
        (
            "- a\n\n    <span>\n",
            "<ul>\n<li>\n<p>a</p>\n<p><span></p>\n</li>\n</ul>",
        ),
        (
            "- a\n\n    <div>x</div>\n    more\n",
            "<ul>\n<li>\n<p>a</p>\n<p><div>x</div>\nmore</p>\n</li>\n</ul>",
        ),
        (
            "- a\n\n    <!-- c -->\n    <div>\n",
            "<ul>\n<li>\n<p>a</p>\n<p><!-- c -->\n<div></p>\n</li>\n</ul>",
        ),
        (
            "- a\n\n    <hr>\n",
            "<ul>\n<li>\n<p>a</p>\n<hr>\n</li>\n</ul>",
        ),
        (
            "- a\n\n    <div>\n",
            "<ul>\n<li>\n<p>a</p>\n<div>\n</li>\n</ul>",
        ),
        (
            "- a\n\n    <!-- c -->\n",
            "<ul>\n<li>\n<p>a</p>\n<!-- c -->\n</li>\n</ul>",
        ),
        (
            "- a\n    <div>x</div>\n",
            "<ul>\n<li>a\n    <div>x</div></li>\n</ul>",
        ),
        ("<div>x</div>\n", "<div>x</div>"),
    ];

    #[test]
    fn html_in_a_list_item_is_a_paragraph_as_python_markdown_reads_it() {
        let d = Dialect {
            enabled: true,
            ..Dialect::default()
        };
        assert_shapes(SHAPES.iter().map(|&(src, expected)| {
            let got = crate::markdown::tests::render_dialect(src, &d, 0).html;
            (format!("{src:?}"), got, expected)
        }));
    }
}
