//! The template blocks of the macros plugin (and Zensical's `zensical.extensions.macros`):
//! a `{% if … %}` or `{% for … %}` block, up to its `{% endif %}` / `{% endfor %}`, is
//! rendered with `extra` as its variables, as those render the page as a Jinja template
//! (a name `extra` lacks is false in `if`, so FastAPI-style sponsor blocks vanish where
//! no sponsors are configured). `{{ name }}` outside blocks is `variables`' job. A block
//! that does not render is left as written, with a warning.

use super::{Dialect, Line, Where};
use crate::diagnostics::Diagnostic;

/// Renders the page's `{% if %}` / `{% for %}` blocks.
pub(super) fn render_blocks(
    lines: Vec<Line>,
    d: &Dialect,
    at: &Where<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let Some(end) = opens(&lines[i].text)
            .then(|| block_end(&lines, i))
            .flatten()
        else {
            out.push(lines[i].clone());
            i += 1;
            continue;
        };
        let text: Vec<&str> = lines[i..=end].iter().map(|l| l.text.as_str()).collect();
        match render(&text.join("\n"), &d.variables) {
            Ok(html) => out.extend(html.split('\n').map(|t| lines[i].derived(t.to_string()))),
            Err(e) => {
                let (line, column) = at.at(&lines[i], 1);
                diagnostics.push(
                    Diagnostic::warning(at.source_path, format!("template block left as written: {e}"))
                        .at(line, column)
                        .with_help("the macros plugin renders `{% if %}`/`{% for %}` with the values under `extra:`"),
                );
                out.extend(lines[i..=end].iter().cloned());
            }
        }
        i = end + 1;
    }
    out
}

fn render(text: &str, variables: &serde_json::Value) -> Result<String, String> {
    let context = tera::Context::from_value(match variables {
        serde_json::Value::Object(_) => variables.clone(),
        _ => serde_json::json!({}),
    })
    .map_err(|e| e.to_string())?;
    tera::Tera::one_off(text, &context, false).map_err(|e| {
        let mut why = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            why = format!("{why}: {s}");
            source = s.source();
        }
        why
    })
}

/// Whether a line starts a block: `{% if` or `{% for` (whitespace control allowed).
fn opens(text: &str) -> bool {
    tags(text)
        .next()
        .is_some_and(|(_, k)| k == "if" || k == "for")
        && text.trim_start().starts_with("{%")
}

/// The line that closes the block opened on line `from`.
fn block_end(lines: &[Line], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, line) in lines.iter().enumerate().skip(from) {
        for (_, keyword) in tags(&line.text) {
            match keyword {
                "if" | "for" => depth += 1,
                "endif" | "endfor" => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// The `{% keyword … %}` tags of a line: (offset, keyword).
fn tags(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices("{%").filter_map(move |(i, _)| {
        let rest = text[i + 2..].trim_start_matches('-').trim_start();
        let keyword = rest.split(|c: char| !c.is_alphanumeric()).next()?;
        (!keyword.is_empty()).then_some((i, keyword))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str, extra: serde_json::Value) -> (String, usize) {
        let d = Dialect {
            variables: extra,
            ..Dialect::default()
        };
        let at = Where {
            source_path: "docs/index.md",
            line_offset: 0,
        };
        let mut diags = Vec::new();
        let out: Vec<String> = render_blocks(Line::numbered(text), &d, &at, &mut diags)
            .into_iter()
            .map(|l| l.text)
            .collect();
        (out.join("\n"), diags.len())
    }

    #[test]
    fn blocks_render_with_extra_and_unknown_names_are_false() {
        let page = "a\n{% if sponsors %}\n{% for s in sponsors.gold -%}\n<a href=\"{{ s.url }}\">x</a>\n{% endfor %}\n{% endif %}\nb";
        assert_eq!(
            rendered(page, serde_json::json!({})),
            ("a\n\nb".to_string(), 0)
        );
        let extra = serde_json::json!({"sponsors": {"gold": [{"url": "https://e.org"}]}});
        let (html, _) = rendered(page, extra);
        assert!(html.contains("<a href=\"https://e.org\">x</a>"), "{html}");
        assert_eq!(
            rendered("{% if %}\n{% endif %}", serde_json::json!({})).1,
            1
        );
        assert_eq!(rendered("text {% if x %}", serde_json::json!({})).1, 0);
    }
}
