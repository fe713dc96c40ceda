//! Printing diagnostics for people: `path:line:column: error: message`, the source line
//! with a caret, the hint, and a running number so every problem can be counted.

use std::fmt::Write;
use std::path::Path;

use super::{Diagnostic, Severity};

/// All diagnostics, numbered per severity (`error 2 of 5`), as one text block.
pub fn render_all(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let (mut e, mut w) = (0, 0);
    let mut out = String::new();
    for d in diagnostics {
        let (n, total) = match d.severity {
            Severity::Error => {
                e += 1;
                (e, errors)
            }
            Severity::Warning => {
                w += 1;
                (w, warnings)
            }
        };
        out.push_str(&render(d, root, color, n, total));
    }
    out
}

/// One diagnostic with context.
pub fn render(d: &Diagnostic, root: &Path, color: bool, number: usize, total: usize) -> String {
    let (kind, paint) = match d.severity {
        Severity::Error => ("error", "\x1b[1;31m"),
        Severity::Warning => ("warning", "\x1b[1;33m"),
    };
    let mut out = String::new();
    if color {
        let _ = writeln!(
            out,
            "\x1b[1m{}\x1b[0m: {paint}{kind}\x1b[0m: {}",
            d.location(),
            d.message
        );
    } else {
        let _ = writeln!(out, "{}: {kind}: {}", d.location(), d.message);
    }
    if let Some(line) = d.line {
        if let Some(text) = source_line(&root.join(&d.path), line) {
            let gutter = line.to_string();
            let _ = writeln!(out, " {gutter} | {text}");
            if let Some(col) = d.column {
                let pad: String = text
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = writeln!(out, " {} | {pad}^", " ".repeat(gutter.len()));
            }
        }
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  help: {help}");
    }
    if total > 1 {
        let _ = writeln!(out, "  ({kind} {number} of {total})");
    }
    out
}

/// Line `line` (1-based) of a text file, if it can be read; long lines are shortened.
fn source_line(path: &Path, line: usize) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() > 64 * 1024 * 1024 {
        return None;
    }
    let text = String::from_utf8_lossy(&bytes);
    let l = text.lines().nth(line - 1)?.trim_end_matches('\r');
    Some(if l.chars().count() > 200 {
        l.chars().take(200).collect::<String>() + "…"
    } else {
        l.to_string()
    })
}

/// ` with 2 warnings` (or nothing), for summary lines.
pub fn warning_suffix(diagnostics: &[Diagnostic]) -> String {
    match diagnostics.iter().filter(|d| !d.is_error()).count() {
        0 => String::new(),
        1 => " with 1 warning".to_string(),
        n => format!(" with {n} warnings"),
    }
}

/// `error: build failed: 3 errors, 1 warning; the previous output is untouched`.
pub fn failure_line(what: &str, diagnostics: &[Diagnostic]) -> String {
    format!(
        "{}; the previous output is untouched",
        failure_summary(what, diagnostics)
    )
}

/// `error: build failed: 3 errors, 1 warning`.
pub fn failure_summary(what: &str, diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "error: {what} failed: {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_source_line_caret_help_and_number() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "---\nicon: Cod\n---\n").unwrap();
        let d = Diagnostic::error("content/a.md", "unknown icon `Cod`")
            .at(2, 7)
            .with_help("did you mean `Code`?");
        let text = render(&d, dir.path(), false, 1, 2);
        assert_eq!(
            text,
            "content/a.md:2:7: error: unknown icon `Cod`\n 2 | icon: Cod\n   |       ^\n  help: did you mean `Code`?\n  (error 1 of 2)\n"
        );
    }
}
