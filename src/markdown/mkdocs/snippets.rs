//! Snippets (`pymdownx.snippets`): `--8<-- "file.md"` lines and `--8<--` blocks replaced
//! by the files they name, read from the configured base paths.

use std::path::Path;

use super::{indent_of, Dialect, Line, Where};
use crate::content::inside::Inside;
use crate::diagnostics::Diagnostic;

/// Snippets including snippets stop here (a snippet that includes itself).
const MAX_SNIPPET_DEPTH: usize = 8;

/// `--8<-- "file.md"` lines replaced by the file's lines (at the same indentation), and
/// the block form: file names, one per line, between two `--8<--` lines.
pub(super) fn expand_snippets(
    lines: Vec<Line>,
    d: &Dialect,
    at: &Where<'_>,
    depth: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    let mut lines = lines.into_iter().peekable();
    while let Some(line) = lines.next() {
        let indent = indent_of(&line.text);
        let t = line.text[indent..].trim_end();
        if let Some(rest) = t.strip_prefix(";--8<--") {
            // pymdownx's escape: the line as written, without the `;`.
            let text = format!("{}--8<--{rest}", &line.text[..indent]);
            out.push(line.derived(text));
            continue;
        }
        let Some(rest) = t.strip_prefix("--8<--") else {
            out.push(line);
            continue;
        };
        let name = snippet_name(rest);
        if !name.is_empty() {
            let place = (&line, indent, &line.text[..indent]);
            out.extend(include_snippet(name, place, d, at, depth, diagnostics));
            continue;
        }
        // The block form. Without a closing `--8<--` the line is left as text.
        let mut block: Vec<Line> = Vec::new();
        let mut closed = false;
        while let Some(next) = lines.peek() {
            if next.text.trim() == "--8<--" {
                closed = true;
                break;
            }
            block.push(lines.next().expect("peeked"));
        }
        if !closed {
            out.push(line);
            out.extend(block);
            continue;
        }
        lines.next(); // the closing `--8<--`
        for entry in block {
            let entry_indent = indent_of(&entry.text);
            let name = snippet_name(&entry.text);
            // Blank lines are skipped and `;file.md` is pymdownx's way to comment one out.
            if name.is_empty() || name.starts_with(';') {
                continue;
            }
            // Included at the block's indentation, not the file name's.
            let place = (&entry, entry_indent, &line.text[..indent]);
            out.extend(include_snippet(name, place, d, at, depth, diagnostics));
        }
    }
    out
}

/// A snippet's file name as written after `--8<--` or on a line of the block form.
fn snippet_name(written: &str) -> &str {
    written
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
}

/// The lines of snippet `name`, each indented by `prefix`; nothing (and an error when
/// paths are checked) when it cannot be read. `line` and `indent` say where the name is
/// written, for errors.
fn include_snippet(
    name: &str,
    (line, indent, prefix): (&Line, usize, &str),
    d: &Dialect,
    at: &Where<'_>,
    depth: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Line> {
    let (l, c) = at.at(line, indent + 1);
    let found = if name.split(['/', '\\']).any(|s| s == "..") || Path::new(name).is_absolute() {
        None
    } else {
        d.snippet_base
            .iter()
            .map(|b| d.root.join(b).join(name))
            .find(|p| p.is_file())
    };
    let Some(path) = found else {
        if d.snippet_check_paths {
            diagnostics.push(
                Diagnostic::error(at.source_path, format!("snippet `{name}` not found"))
                    .at(l, c)
                    .with_help(format!(
                        "snippets are read from {} (pymdownx.snippets base_path in mkdocs.yml)",
                        d.snippet_base.join(", ")
                    )),
            );
        }
        return Vec::new();
    };
    if depth >= MAX_SNIPPET_DEPTH {
        diagnostics.push(
            Diagnostic::error(
                at.source_path,
                format!("snippet `{name}` nests more than {MAX_SNIPPET_DEPTH} levels deep"),
            )
            .at(l, c)
            .with_help("a snippet probably includes itself"),
        );
        return Vec::new();
    }
    // A snippet folder may be the project root itself, but what is included may not lead
    // outside it.
    if let Err(outside) = Inside::new(&d.root).check(&path) {
        diagnostics.push(
            Diagnostic::error(
                at.source_path,
                format!(
                    "snippet `{name}` cannot be included: {}: {}",
                    outside.shown,
                    outside.message()
                ),
            )
            .at(l, c)
            .with_help(outside.help()),
        );
        return Vec::new();
    }
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let inner: Vec<Line> = text
                .lines()
                .map(|s| line.derived(format!("{prefix}{s}")))
                .collect();
            expand_snippets(inner, d, at, depth + 1, diagnostics)
        }
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(at.source_path, format!("cannot read snippet `{name}`: {e}"))
                    .at(l, c),
            );
            Vec::new()
        }
    }
}
