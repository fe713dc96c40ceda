//! Source includes of the FastAPI family: `markdown_include_variants`' `{* … *}` lines
//! (see `include_variants`), then mdx_include's `{!path!}` (see `mdx_include`), which
//! the variants' blocks use for the code itself.

use super::{include_variants, mdx_include, Dialect, Line, Where};
use crate::diagnostics::Diagnostic;

pub(super) fn expand(
    lines: Vec<Line>,
    d: &Dialect,
    at: &Where<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Line> {
    let mut warn = |line: &Line, column: usize, message: String| {
        let (l, c) = at.at(line, column);
        diagnostics.push(
            Diagnostic::warning(at.source_path, message)
                .at(l, c)
                .with_help("give a path from the project folder (where mkdocs.yml is)"),
        );
    };
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let generated = d
            .include_variants
            .then(|| include_variants::block(line.text.trim_end(), &d.root))
            .flatten();
        match generated {
            Some(Ok(texts)) => out.extend(texts.into_iter().map(|t| line.derived(t))),
            Some(Err(why)) => {
                warn(&line, 1, format!("source include left as written: {why}"));
                out.push(line);
            }
            None => out.push(line),
        }
    }
    if !d.mdx_include {
        return out;
    }
    mdx_include::Expander::new(d, at, diagnostics).page(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdx_include_takes_the_lines_asked_for() {
        let lines = Line::numbered("x {!a.py[ln:2-3]!} y\n{! a.py !}\n\\{!a.py!}\n{!gone.py!}");
        let (out, diags) = super::mdx_include::tests::in_project(
            &[("a.py", "one\ntwo\nthree\nfour\n")],
            |_| {},
            |d, at, diags| expand(lines, d, at, diags),
        );
        // A whole file ends with an empty line, as mdx_include reads it.
        assert_eq!(
            out,
            ["x two", "three y", "one", "two", "three", "four", "", "{!a.py!}", ""]
        );
        assert_eq!(diags.len(), 1, "the missing file is warned");
        assert_eq!(diags[0].line, Some(4));
    }
}
