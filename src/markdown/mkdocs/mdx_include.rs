//! mdx_include (1.4.2): `{!path!}` replaced by the file's lines, as its preprocessor does
//! it: every include of a line (`\{!…!}` kept as text), `{!path[ln:3-8,10]!}` slices
//! (parts joined by `line_slice_separator`), `{!>path!}` (every included line prefixed
//! with the text before the include), and included files expanded in turn
//! (`recurs_local`, `{!+…!}` / `{!-…!}`; paths from `base_path`, or from the including
//! file with `recursive_relative_path`). A file read ends with an empty line, as the
//! extension's `(text + "\n").splitlines()` gives.
//!
//! Unlike the extension, nothing outside the project is read: such an include is an
//! error at its line and column. A circular include is an error there too (a warning
//! with `allow_circular_inclusion`, which includes the file once more without
//! expanding it, as the extension does); and the includes of a page are bounded in
//! number, depth and size, so fan-out is an error at the include, never a hang.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

use super::{Dialect, Line, Where};
use crate::content::inside::Inside;
use crate::diagnostics::Diagnostic;

/// Pages include at most this many files (nested ones counted).
const MAX_INCLUDES: usize = 2_000;
/// Includes nest at most this deep.
const MAX_DEPTH: usize = 32;
/// Includes add at most this many bytes to a page.
const MAX_BYTES: usize = 64 << 20;

/// mdx_include's options that change what a page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct MdxOptions {
    /// Where paths are read from, relative to the project folder.
    pub base_path: String,
    /// `Some(true)`: included files are expanded unless `{!-…!}`; `None`: only `{!+…!}`.
    pub recurs_local: Option<bool>,
    pub allow_local: bool,
    pub truncate_on_failure: bool,
    pub allow_circular_inclusion: bool,
    pub recursive_relative_path: bool,
    pub line_slice_separator: Vec<String>,
}

impl Default for MdxOptions {
    fn default() -> Self {
        MdxOptions {
            base_path: ".".into(),
            recurs_local: Some(true),
            allow_local: true,
            truncate_on_failure: true,
            allow_circular_inclusion: false,
            recursive_relative_path: false,
            line_slice_separator: vec![String::new(), String::new()],
        }
    }
}

impl MdxOptions {
    /// The options as mkdocs.yml sets them (others keep their defaults); `get` gives an
    /// option's value, its YAML tag taken off.
    pub(crate) fn read<'v>(get: impl Fn(&str) -> Option<&'v Value>) -> MdxOptions {
        let mut o = MdxOptions::default();
        let flag = |k: &str, default: bool| get(k).and_then(Value::as_bool).unwrap_or(default);
        if let Some(p) = get("base_path").and_then(Value::as_str) {
            o.base_path = p.to_string();
        }
        match get("recurs_local") {
            Some(Value::Null) => o.recurs_local = None,
            Some(Value::Bool(b)) => o.recurs_local = Some(*b),
            _ => {}
        }
        o.allow_local = flag("allow_local", true);
        o.truncate_on_failure = flag("truncate_on_failure", true);
        o.allow_circular_inclusion = flag("allow_circular_inclusion", false);
        o.recursive_relative_path = flag("recursive_relative_path", false);
        if let Some(Value::Sequence(s)) = get("line_slice_separator") {
            let s = s.iter().map(|v| v.as_str().unwrap_or_default().to_string());
            o.line_slice_separator = s.collect();
        }
        o
    }
}

/// One `{!…!}` in a line: where it is and what it asks.
struct Include<'a> {
    start: usize,
    end: usize,
    escaped: bool,
    recurse: Option<char>,
    indent: bool,
    path: &'a str,
    slice: Option<&'a str>,
}

/// The includes of `text`, in order, as the extension's regex finds them.
fn find(text: &str) -> Vec<Include<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("{!").map(|i| i + from) {
        match parse(text, at) {
            Some(inc) => {
                from = inc.end;
                out.push(inc);
            }
            None => from = at + 2,
        }
    }
    out
}

fn parse(text: &str, at: usize) -> Option<Include<'_>> {
    let close = text[at + 2..].find("!}")? + at + 2;
    let mut inner = &text[at + 2..close];
    let recurse = inner.chars().next().filter(|c| matches!(c, '+' | '-'));
    inner = &inner[recurse.map_or(0, |_| 1)..];
    let indent = inner.starts_with('>');
    inner = inner.strip_prefix('>').unwrap_or(inner);
    // The encoding after `|` is not followed: files are read as UTF-8.
    let inner = inner.split_once('|').map_or(inner, |(p, _)| p).trim();
    let (path, slice) = match inner.split_once("[ln:") {
        Some((p, s)) => (p.trim_end(), Some(s.strip_suffix(']')?)),
        None => (inner, None),
    };
    if path.is_empty() || path.contains(['[', ']', '|']) {
        return None;
    }
    let escaped = at > 0 && text.as_bytes()[at - 1] == b'\\';
    Some(Include {
        start: if escaped { at - 1 } else { at },
        end: close + 2,
        escaped,
        recurse,
        indent,
        path,
        slice,
    })
}

/// The walk over one page: budgets, and the chain of files being included.
pub(super) struct Expander<'a, 'w> {
    d: &'a Dialect,
    at: &'a Where<'w>,
    diagnostics: &'a mut Vec<Diagnostic>,
    count: usize,
    bytes: usize,
    chain: Vec<PathBuf>,
    exhausted: bool,
    /// The column of the page's include being expanded.
    column: usize,
}

impl<'a, 'w> Expander<'a, 'w> {
    pub(super) fn new(
        d: &'a Dialect,
        at: &'a Where<'w>,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Expander {
            d,
            at,
            diagnostics,
            count: 0,
            bytes: 0,
            chain: Vec::new(),
            exhausted: false,
            column: 1,
        }
    }

    /// `lines` of the page with every include expanded.
    pub(super) fn page(&mut self, lines: Vec<Line>) -> Vec<Line> {
        let mut out = Vec::with_capacity(lines.len());
        for line in lines {
            let texts = self.texts(&line.text, &line, None);
            out.extend(texts.into_iter().map(|t| line.derived(t)));
        }
        out
    }

    /// The lines `text` becomes (`line` is the page line it came from, for messages;
    /// `parent` the included file it is in).
    fn texts(&mut self, text: &str, line: &Line, parent: Option<&Path>) -> Vec<String> {
        let includes = find(text);
        if includes.is_empty() {
            return vec![text.to_string()];
        }
        let mut out: Vec<String> = Vec::new();
        let mut c = 0;
        for inc in includes {
            let whole = &text[inc.start..inc.end];
            let got = if inc.escaped {
                vec![whole[1..].to_string()]
            } else {
                // Nested includes are reported at the page's include that led to them.
                if parent.is_none() {
                    self.column = inc.start + 1;
                }
                self.include(&inc, line, self.column, parent)
                    .unwrap_or_else(|| self.failed(whole))
            };
            let before = &text[c..inc.start];
            if let Some(last) = out.last_mut().filter(|_| !got.is_empty()) {
                last.push_str(before);
                last.push_str(&got[0]);
                out.extend(got.into_iter().skip(1));
            } else if got.is_empty() {
                out.push(before.to_string());
            } else if inc.indent {
                out.extend(got.iter().map(|g| format!("{before}{g}")));
            } else {
                out.push(format!("{before}{}", got[0]));
                out.extend(got.into_iter().skip(1));
            }
            c = inc.end;
        }
        if let Some(last) = out.last_mut() {
            last.push_str(&text[c..]);
        }
        out
    }

    fn failed(&self, whole: &str) -> Vec<String> {
        if self.d.mdx.truncate_on_failure {
            Vec::new()
        } else {
            vec![whole.to_string()]
        }
    }

    /// The lines one include brings (expanded), or `None` when it failed (reported).
    fn include(
        &mut self,
        inc: &Include<'_>,
        line: &Line,
        column: usize,
        parent: Option<&Path>,
    ) -> Option<Vec<String>> {
        let o = &self.d.mdx;
        if inc.path.contains("://") || !o.allow_local || self.exhausted {
            if inc.path.contains("://") {
                let m = format!("remote include `{}` is not fetched by dcrsite", inc.path);
                self.warn(line, column, m, "copy the file into the project");
            }
            return None;
        }
        let file = match parent.filter(|_| o.recursive_relative_path) {
            Some(p) => p.parent().unwrap_or(Path::new("")).join(inc.path),
            None => self.d.root.join(&o.base_path).join(inc.path),
        };
        super::reads::note(&file);
        let inside = match super::reads::relative(&self.d.root, &file) {
            None => Err("it is outside the project folder".to_string()),
            Some(_) => Inside::new(&self.d.root)
                .check(&file)
                .map_err(|outside| outside.message()),
        };
        if let Err(why) = inside {
            let m = format!("include `{}` refused: {why}", inc.path);
            self.error(
                line,
                column,
                m,
                "include only files inside the project folder",
            );
            return None;
        }
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                let m = format!("include `{}` left out: cannot read it: {e}", inc.path);
                let help = "give a path from the project folder (where mkdocs.yml is)";
                self.warn(line, column, m, help);
                return None;
            }
        };
        self.count += 1;
        self.bytes = self.bytes.saturating_add(text.len());
        if self.count > MAX_INCLUDES || self.bytes > MAX_BYTES || self.chain.len() >= MAX_DEPTH {
            self.exhausted = true;
            let m = format!("includes of this page stop at `{}`: more than {MAX_INCLUDES} files, {} MiB or {MAX_DEPTH} levels", inc.path, MAX_BYTES >> 20);
            self.error(line, column, m, "include fewer files, or break the chain");
            return None;
        }
        let mut lines: Vec<String> = format!("{text}\n").lines().map(String::from).collect();
        if let Some(slice) = inc.slice {
            lines = sliced(lines, slice, &o.line_slice_separator);
        }
        let recurse = match o.recurs_local {
            Some(true) => inc.recurse != Some('-'),
            Some(false) => false,
            None => inc.recurse == Some('+'),
        };
        if !recurse {
            return Some(lines);
        }
        Some(self.nested(lines, file, inc, line, column))
    }

    /// An included file's lines with their own includes expanded, unless that would
    /// include a file inside itself.
    fn nested(
        &mut self,
        lines: Vec<String>,
        file: PathBuf,
        inc: &Include<'_>,
        line: &Line,
        column: usize,
    ) -> Vec<String> {
        let normal = normalized(&file);
        if self.chain.contains(&normal) {
            let names: Vec<String> = self.chain.iter().map(|p| self.shown(p)).collect();
            let m = format!(
                "circular include: `{}` includes itself (through {})",
                inc.path,
                names.join(" → ")
            );
            if self.d.mdx.allow_circular_inclusion {
                self.warn(
                    line,
                    column,
                    m,
                    "allow_circular_inclusion includes it once more, unexpanded",
                );
                return lines;
            }
            self.error(
                line,
                column,
                m,
                "break the cycle, or set mdx_include's allow_circular_inclusion",
            );
            return Vec::new();
        }
        self.chain.push(normal);
        let mut out = Vec::with_capacity(lines.len());
        for text in &lines {
            out.extend(self.texts(text, line, Some(&file)));
        }
        self.chain.pop();
        out
    }

    fn shown(&self, p: &Path) -> String {
        super::reads::relative(&normalized(&self.d.root), p)
            .unwrap_or_else(|| p.display().to_string())
    }

    fn warn(&mut self, line: &Line, column: usize, message: String, help: &str) {
        let (l, c) = self.at.at(line, column);
        let d = Diagnostic::warning(self.at.source_path, message).at(l, c);
        self.diagnostics.push(d.with_help(help));
    }

    fn error(&mut self, line: &Line, column: usize, message: String, help: &str) {
        let (l, c) = self.at.at(line, column);
        let d = Diagnostic::error(self.at.source_path, message).at(l, c);
        self.diagnostics.push(d.with_help(help));
    }
}

/// `path` with `.` and `..` taken out (without asking the disk).
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The lines `slice` names (`3-8`, `3`, `8-`, parts joined by `separator`).
fn sliced(lines: Vec<String>, slice: &str, separator: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in slice.split(',').enumerate() {
        if i > 0 {
            out.extend(separator.iter().cloned());
        }
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let a = a.trim().parse::<usize>().unwrap_or(1).max(1);
        let b = b
            .trim()
            .parse::<usize>()
            .unwrap_or(lines.len())
            .min(lines.len());
        out.extend(lines.iter().take(b).skip(a - 1).cloned());
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A project holding `files`, with mdx_include on (and `d`'s other switches as
    /// `set` leaves them): the texts of the lines `run` makes of it, and its warnings.
    /// The include tests of `includes` share it.
    pub(in crate::markdown::mkdocs) fn in_project(
        files: &[(&str, &str)],
        set: impl FnOnce(&mut Dialect),
        run: impl FnOnce(&Dialect, &Where<'_>, &mut Vec<Diagnostic>) -> Vec<Line>,
    ) -> (Vec<String>, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut d = Dialect {
            mdx_include: true,
            root: dir.path().to_path_buf(),
            ..Dialect::default()
        };
        set(&mut d);
        let at = Where {
            source_path: "docs/p.md",
            line_offset: 0,
        };
        let mut diags = Vec::new();
        let lines = run(&d, &at, &mut diags);
        (lines.into_iter().map(|l| l.text).collect(), diags)
    }

    /// What `page` becomes in a project holding `files` with `mdx`; the expected lines
    /// were checked against mdx_include 1.4.2 with markdown 3.11.3.
    fn expand(
        files: &[(&str, &str)],
        page: &str,
        mdx: MdxOptions,
    ) -> (Vec<String>, Vec<Diagnostic>) {
        let run = |d: &Dialect, at: &Where<'_>, diags: &mut Vec<Diagnostic>| {
            Expander::new(d, at, diags).page(Line::numbered(page))
        };
        in_project(files, |d| d.mdx = mdx, run)
    }

    const FILES: &[(&str, &str)] = &[
        ("a.md", "one\ntwo\n"),
        ("b.md", "A {!sub/c.md!} B\n"),
        ("sub/c.md", "deep\n"),
        ("sub/r.md", "rel {!c.md!}\n"),
        ("d.md", "cyc {!d.md!}\n"),
    ];

    fn lines(page: &str) -> Vec<String> {
        let (lines, diags) = expand(FILES, page, MdxOptions::default());
        assert!(diags.is_empty(), "{diags:?}");
        lines
    }

    #[test]
    fn every_include_of_a_line_nested_and_escaped() {
        assert_eq!(lines("x {!a.md!} y"), ["x one", "two", " y"]);
        assert_eq!(lines("{!b.md!}"), ["A deep", " B", ""]);
        assert_eq!(lines("{!-b.md!}"), ["A {!sub/c.md!} B", ""]);
        assert_eq!(
            lines("{!a.md!} and {!sub/c.md!}"),
            ["one", "two", " and deep", ""]
        );
        assert_eq!(lines("    {!>a.md!}"), ["    one", "    two", "    "]);
        assert_eq!(lines("\\{!a.md!} {!a.md[ln:2]!}"), ["{!a.md!} two"]);
    }

    #[test]
    fn options_change_what_is_included() {
        let off = MdxOptions {
            recurs_local: Some(false),
            ..MdxOptions::default()
        };
        assert_eq!(expand(FILES, "{!+b.md!}", off).0, ["A {!sub/c.md!} B", ""]);
        let neutral = MdxOptions {
            recurs_local: None,
            ..MdxOptions::default()
        };
        assert_eq!(expand(FILES, "{!+b.md!}", neutral).0, ["A deep", " B", ""]);
        let relative = MdxOptions {
            recursive_relative_path: true,
            ..MdxOptions::default()
        };
        assert_eq!(
            expand(FILES, "{!sub/r.md!}", relative).0,
            ["rel deep", "", ""]
        );
        let kept = MdxOptions {
            truncate_on_failure: false,
            ..MdxOptions::default()
        };
        let (kept, diags) = expand(FILES, "{!nope.md!}", kept);
        assert_eq!((kept, diags.len()), (vec!["{!nope.md!}".to_string()], 1));
        let sep = MdxOptions {
            line_slice_separator: vec!["---".into()],
            ..MdxOptions::default()
        };
        assert_eq!(
            expand(FILES, "{!a.md[ln:1,2]!}", sep).0,
            ["one", "---", "two"]
        );
        let based = MdxOptions {
            base_path: "sub".into(),
            ..MdxOptions::default()
        };
        assert_eq!(expand(FILES, "{!c.md!}", based).0, ["deep", ""]);
    }

    #[test]
    fn a_cycle_is_an_error_at_the_include_unless_allowed() {
        let (_, diags) = expand(FILES, "text\nsee {!d.md!}", MdxOptions::default());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            diags[0].to_string().lines().next().unwrap(),
            "docs/p.md:2:5: error: circular include: `d.md` includes itself (through d.md)"
        );
        let allow = MdxOptions {
            allow_circular_inclusion: true,
            ..MdxOptions::default()
        };
        let (lines, diags) = expand(FILES, "{!d.md!}", allow);
        assert_eq!(lines, ["cyc cyc {!d.md!}", "", ""]);
        assert!(diags[0].to_string().contains("warning: circular include"));
    }

    #[test]
    fn nothing_outside_the_project_is_read() {
        let (lines, diags) = expand(FILES, "a {!../secret.md!}", MdxOptions::default());
        assert_eq!(lines, ["a "]);
        let first = diags[0].to_string();
        assert!(
            first.starts_with("docs/p.md:1:3: error: include `../secret.md` refused"),
            "{first}"
        );
    }

    #[test]
    fn fan_out_stops_with_an_error_not_a_hang() {
        // Each file includes the next one four times: 4^12 includes if nothing stopped it.
        let names: Vec<String> = (0..13).map(|i| format!("f{i}.md")).collect();
        let texts: Vec<String> = (0..13)
            .map(|i| match names.get(i + 1) {
                Some(n) => format!("{{!{n}!}}{{!{n}!}}\n{{!{n}!}}{{!{n}!}}\n"),
                None => "leaf\n".to_string(),
            })
            .collect();
        let files: Vec<(&str, &str)> = names
            .iter()
            .zip(&texts)
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let started = std::time::Instant::now();
        let (_, diags) = expand(&files, "x\n{!f0.md!}", MdxOptions::default());
        assert!(started.elapsed().as_secs() < 20);
        assert_eq!(diags.len(), 1, "one error, then no more includes");
        assert!(
            diags[0]
                .to_string()
                .starts_with("docs/p.md:2:1: error: includes of this page stop at"),
            "{}",
            diags[0]
        );
    }
}
