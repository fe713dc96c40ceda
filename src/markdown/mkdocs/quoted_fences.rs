//! pymdownx.superfences' fences in block quotes. Its pre-pass takes an opening fence after
//! `>` markers, and then any line whose first columns (as wide as the opener's prefix) are
//! spaces and no more markers, as a line of the code: `> ```\n  Test\n  ```` is a quote
//! holding a code block, where CommonMark ends the quote at `  Test`. A closed fence's
//! lines get the opener's prefix here, so pulldown-cmark reads the quote as superfences
//! does; a fence superfences abandons (a deeper quote, a line indented less, a shallower
//! line after a blank one) is left as it stands.

use super::fences::raw_html_end;
use super::{fence_open, Line};

/// What superfences counts as a fence's prefix (tabs are expanded by now).
const PREFIX: [char; 2] = [' ', '>'];

/// Gives the lines of each closed fence opened in a quote the opener's prefix.
pub(super) fn align(lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        if let Some(end) = raw_html_end(lines, i) {
            // Raw HTML is written as it stands.
            i = end;
            continue;
        }
        let Some((ws, fence)) = opener(&lines[i].text) else {
            i += 1;
            continue;
        };
        match closing(lines, i, &ws, &fence) {
            Some(end) => {
                if ws.contains('>') {
                    for line in &mut lines[i + 1..=end] {
                        prefix(line, &ws);
                    }
                }
                i = end + 1;
            }
            None => i += 1,
        }
    }
}

/// The prefix and the fence (`` ``` ``, `~~~~`) of an opening line.
fn opener(text: &str) -> Option<(String, String)> {
    let rest = text.trim_start_matches(PREFIX);
    let (c, n) = fence_open(rest)?;
    Some((
        text[..text.len() - rest.len()].to_string(),
        c.to_string().repeat(n),
    ))
}

/// A line's prefix (prefix characters, at most `width` of them) and what follows.
fn split(text: &str, width: usize) -> (&str, &str) {
    let len = text
        .char_indices()
        .take(width)
        .find(|&(_, c)| !PREFIX.contains(&c))
        .map_or(text.len().min(width), |(k, _)| k);
    text.split_at(len)
}

/// The line that closes the fence opened at `open`, by superfences' rules for a quoted
/// fence (`eval_quoted`); None where it abandons it. Unquoted fences close at the first
/// line that is the fence alone, as they do in superfences.
fn closing(lines: &[Line], open: usize, ws: &str, fence: &str) -> Option<usize> {
    let level = ws.matches('>').count();
    let mut after_blank = false;
    for (j, line) in lines.iter().enumerate().skip(open + 1) {
        let (lws, content) = split(&line.text, ws.len());
        let quoted = lws.matches('>').count();
        if level == 0 {
            if content.trim_end() == fence {
                return Some(j);
            }
            continue;
        }
        if quoted > level {
            return None;
        }
        if content.is_empty() {
            after_blank = true;
            continue;
        }
        if lws.len() < ws.len() || (after_blank && quoted < level) {
            return None;
        }
        if content.trim_end_matches([' ', '\t']) == fence {
            return Some(j);
        }
        after_blank = false;
    }
    None
}

/// `line` with its prefix replaced by the opener's, `ws`.
fn prefix(line: &mut Line, ws: &str) {
    let (lws, content) = split(&line.text, ws.len());
    if lws == ws {
        return;
    }
    let new = if content.is_empty() {
        ws.trim_end().to_string()
    } else {
        format!("{ws}{content}")
    };
    line.shift += lws.len() as isize - ws.len() as isize;
    line.text = new;
}

#[cfg(test)]
mod tests {
    use super::super::testing::assert_shapes;
    use crate::markdown::mkdocs::Dialect;

    /// (source, the HTML markdown 3.11.3 with pymdownx.superfences 13.1.2 makes of it)
    const SHAPES: &[(&str, &str)] = &[
        ("> ```\n  Test\n  ```\n", "<blockquote>\n<div class=\"highlight\"><pre><span></span><code>Test\n</code></pre></div>\n</blockquote>"),
        ("- a\n\n    > ```\n    > Test\n      more\n    > ```\n", "<ul>\n<li>\n<p>a</p>\n<blockquote>\n<div class=\"highlight\"><pre><span></span><code>Test\nmore\n</code></pre></div>\n</blockquote>\n</li>\n</ul>"),
        ("> > ```\n> > a\n  > b\n> > ```\n", "<blockquote>\n<blockquote>\n<div class=\"highlight\"><pre><span></span><code>a\nb\n</code></pre></div>\n</blockquote>\n</blockquote>"),
        ("> ```\n> a\n\n> b\n  c\n> ```\n", "<blockquote>\n<div class=\"highlight\"><pre><span></span><code>a\n\nb\nc\n</code></pre></div>\n</blockquote>"),
        ("> ```\n> a\n> ```\n", "<blockquote>\n<div class=\"highlight\"><pre><span></span><code>a\n</code></pre></div>\n</blockquote>"),
        ("~~~\n> ```\n  a\n~~~\n", "<div class=\"highlight\"><pre><span></span><code>&gt; ```\n  a\n</code></pre></div>"),
    ];

    #[test]
    fn quoted_fences_hold_the_lines_superfences_gives_them() {
        let yml = "site_name: x\nmarkdown_extensions:\n  - pymdownx.superfences\n";
        let d: Dialect = super::super::testing::dialect_from_yml(yml);
        assert_shapes(SHAPES.iter().map(|&(src, expected)| {
            let got = crate::markdown::tests::render_dialect(src, &d, 0).html;
            (format!("{src:?}"), got, expected)
        }));
    }

    #[test]
    fn a_rewritten_line_keeps_its_source_columns() {
        let lines = super::super::Line::numbered("> ```\n  Test\n  ```");
        let mut lines = lines;
        super::align(&mut lines);
        assert_eq!(lines[1].text, "> Test");
        assert_eq!(lines[1].shift, 0, "`Test` is at column 3 in both");
    }
}
