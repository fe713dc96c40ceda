//! Tabs as Python-Markdown reads them: its first pre-pass expands every tab of the page
//! (`str.expandtabs(4)`), in code blocks and code spans too, so a tab is never seen later.

/// `line` with each tab replaced by the spaces up to the next multiple of four columns.
/// Columns are characters, as Python counts them.
pub(super) fn expand(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let pad = 4 - column % 4;
            out.extend(std::iter::repeat_n(' ', pad));
            column += pad;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::markdown::mkdocs::Dialect;

    /// (source, the HTML Python-Markdown 3.11.3 makes of it, `extensions=['fenced_code']`);
    /// compared exactly in `<pre>`, where white space is what is tested.
    const SHAPES: &[(&str, &str)] = &[
        ("\t+\tx\n\t\ty\n", "<pre><code>+   x\n    y\n</code></pre>"),
        ("    a\tb\n    ab\tc\n", "<pre><code>a   b\nab  c\n</code></pre>"),
        ("```\nx\ty\n```\n", "<pre><code>x   y\n</code></pre>"),
        ("`a\tb`", "<p><code>a  b</code></p>"),
        ("And:\n\n\t+\tthis is an example list item\n\t\tindented with tabs\n", "<p>And:</p>\n<pre><code>+   this is an example list item\n    indented with tabs\n</code></pre>"),
    ];

    #[test]
    fn tabs_expand_to_four_column_stops_as_python_markdown_expands_them() {
        let d = Dialect {
            enabled: true,
            ..Dialect::default()
        };
        let wrong: Vec<String> = SHAPES
            .iter()
            .filter_map(|&(src, expected)| {
                let got = crate::markdown::tests::render_dialect(src, &d, 0).html;
                let got = got.replace(r#"<pre class="highlight">"#, "<pre>");
                (got.trim() != expected)
                    .then(|| format!("{src:?}\n  expected {expected:?}\n  got      {got:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn expand_pads_to_the_next_stop_from_the_line_start() {
        assert_eq!(super::expand("\t"), "    ");
        assert_eq!(super::expand("ab\tc"), "ab  c");
        assert_eq!(super::expand("abcd\te"), "abcd    e");
        assert_eq!(super::expand("  \t\tx"), "        x");
        assert_eq!(
            super::expand("é\tx"),
            "é   x",
            "a column is a character, not a byte"
        );
    }
}
