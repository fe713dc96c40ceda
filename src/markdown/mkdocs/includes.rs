//! Source includes of the FastAPI family: `markdown_include_variants`' `{* … *}` lines
//! (see `include_variants`) and mdx_include's `{!path!}` / `{!path[ln:3-8]!}`, replaced
//! by the lines of the file (paths from the project folder, as mdx_include's default
//! `base_path: .` reads them from where `mkdocs build` runs). A file that cannot be read
//! is a warning at the include, which goes (mdx_include's `truncate_on_failure`).

use super::{include_variants, Dialect, Line, Where};
use crate::content::inside::Inside;
use crate::diagnostics::Diagnostic;

/// Pages include at most this many files (variants and mdx_include lines together).
const MAX_INCLUDES: usize = 2_000;

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
    let mut included = Vec::with_capacity(out.len());
    let mut count = 0;
    for line in out {
        match line.text.find("{!") {
            Some(s) if count < MAX_INCLUDES => {
                count += 1;
                included.extend(include(&line, s, d, &mut warn));
            }
            _ => included.push(line),
        }
    }
    included
}

/// `line` with its first `{!…!}` replaced by the file's lines (the text before the
/// include prefixed to the first, the text after it appended to the last).
fn include(
    line: &Line,
    start: usize,
    d: &Dialect,
    warn: &mut impl FnMut(&Line, usize, String),
) -> Vec<Line> {
    let t = &line.text;
    let Some(len) = t[start..].find("!}") else {
        return vec![line.clone()];
    };
    if start > 0 && t.as_bytes()[start - 1] == b'\\' {
        let mut kept = line.clone();
        kept.text.remove(start - 1);
        return vec![kept];
    }
    let inner = t[start + 2..start + len]
        .trim_start_matches(['+', '-'])
        .trim();
    let (path, slice) = match inner.split_once("[ln:") {
        Some((p, s)) => (p.trim(), s.strip_suffix(']')),
        None => (inner, None),
    };
    let file = d.root.join(path);
    let text = match Inside::new(&d.root).check(&file) {
        Err(outside) => Err(format!("{}: {}", outside.shown, outside.message())),
        Ok(()) => std::fs::read_to_string(&file).map_err(|e| format!("cannot read `{path}`: {e}")),
    };
    let mut texts: Vec<String> = match text {
        Ok(text) => sliced(text.lines().collect(), slice),
        Err(why) => {
            warn(line, start + 1, format!("include `{path}` left out: {why}"));
            Vec::new()
        }
    };
    if texts.is_empty() {
        texts.push(String::new());
    }
    texts[0].insert_str(0, &t[..start]);
    if let Some(last) = texts.last_mut() {
        last.push_str(&t[start + len + 2..]);
    }
    texts.into_iter().map(|text| line.derived(text)).collect()
}

/// The lines `slice` names (`3-8`, `3`, `8-`; parts joined by empty lines, as
/// mdx_include's default `line_slice_separator`), all of them without one.
fn sliced(lines: Vec<&str>, slice: Option<&str>) -> Vec<String> {
    let Some(slice) = slice else {
        return lines.into_iter().map(String::from).collect();
    };
    let mut out = Vec::new();
    for (i, part) in slice.split(',').enumerate() {
        if i > 0 {
            out.extend([String::new(), String::new()]);
        }
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let a = a.trim().parse::<usize>().unwrap_or(1).max(1);
        let b = b
            .trim()
            .parse::<usize>()
            .unwrap_or(lines.len())
            .min(lines.len());
        out.extend(lines.iter().take(b).skip(a - 1).map(|s| s.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdx_include_takes_the_lines_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.py"), "one\ntwo\nthree\nfour\n").unwrap();
        let d = Dialect {
            mdx_include: true,
            root: dir.path().to_path_buf(),
            ..Dialect::default()
        };
        let at = Where {
            source_path: "docs/p.md",
            line_offset: 0,
        };
        let mut diags = Vec::new();
        let lines = Line::numbered("x {!a.py[ln:2-3]!} y\n{! a.py !}\n\\{!a.py!}\n{!gone.py!}");
        let out: Vec<String> = expand(lines, &d, &at, &mut diags)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(
            out,
            ["x two", "three y", "one", "two", "three", "four", "{!a.py!}", ""]
        );
        assert_eq!(diags.len(), 1, "the missing file is warned");
        assert_eq!(diags[0].line, Some(4));
    }
}
