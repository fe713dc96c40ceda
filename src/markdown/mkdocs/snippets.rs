//! Snippets (`pymdownx.snippets`): `--8<-- "file.md"` lines and `--8<--` blocks replaced
//! by the files they name, read from the configured base paths.
//!
//! As in pymdownx, a file already being included (an include cycle, a file including
//! itself) is skipped; dcrsite also warns at the line. The work per page is bounded:
//! snippets that include others several times multiply, so a page may have at most
//! [`MAX_SNIPPET_INCLUDES`] includes and [`MAX_SNIPPET_BYTES`] of snippet text.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::snippet_syntax::{
    dedent, notation, section_marker, select_ranges, select_section, target, Notation, Target,
};
use super::{Dialect, Line, Where};
use crate::content::inside::Inside;
use crate::diagnostics::Diagnostic;

/// Snippets including snippets (all different files) stop here.
const MAX_SNIPPET_DEPTH: usize = 8;
/// Includes in one page, nested ones counted.
pub(super) const MAX_SNIPPET_INCLUDES: usize = 10_000;
/// Text snippets may add to one page (pymdownx's limit for a downloaded snippet).
pub(super) const MAX_SNIPPET_BYTES: usize = 32 * 1024 * 1024;

/// `--8<-- "file.md"` lines replaced by the file's lines (at the same indentation), and
/// the block form: file names, one per line, between two `--8<--` lines.
pub(super) fn expand_snippets(
    lines: Vec<Line>,
    d: &Dialect,
    at: &Where<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Line> {
    let mut expander = Expander {
        d,
        at,
        diagnostics,
        stack: Vec::new(),
        includes: 0,
        bytes: 0,
        exhausted: false,
        reported: HashSet::new(),
    };
    expander.expand(lines, false)
}

/// A snippet file being included.
struct Frame {
    /// The file's real path, to know it when it comes again.
    real: PathBuf,
    /// Its path from the project root, for messages.
    shown: String,
    /// `path:line` of the include that opened it.
    from: String,
    /// Columns its lines were indented by (the include's indentation, outer ones
    /// included).
    prefix: usize,
}

struct Expander<'a, 'w> {
    d: &'a Dialect,
    at: &'a Where<'w>,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Files being included, outermost first (the page itself is not one, as in pymdownx).
    stack: Vec<Frame>,
    includes: usize,
    bytes: usize,
    /// A budget ran out: nothing more is included.
    exhausted: bool,
    /// Places already reported, so a snippet included many times is reported once.
    reported: HashSet<(String, usize, usize)>,
}

/// Where a line that names a snippet is: the page or the snippet file, line, column.
struct Place {
    path: String,
    line: usize,
    column: usize,
}

impl Place {
    fn short(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }
}

impl Expander<'_, '_> {
    /// The lines of the page (no snippet open) or of the innermost snippet, expanded as
    /// pymdownx expands them: include lines, blocks of file names between two markers
    /// (an include line inside a block is dropped), `;` escapes, and section markers
    /// left out (except in a section's own lines).
    fn expand(&mut self, lines: Vec<Line>, in_section: bool) -> Vec<Line> {
        let mut out = Vec::with_capacity(lines.len());
        let mut block = false;
        for (i, line) in lines.into_iter().enumerate() {
            let (indent, name) = match notation(&line.text) {
                Some(Notation::Escaped) => {
                    out.push(line.derived(line.text.replacen(';', "", 1)));
                    continue;
                }
                Some(Notation::Block) => {
                    block = !block;
                    continue;
                }
                Some(Notation::Inline { .. }) if block => continue,
                Some(Notation::Inline { indent, name }) => (indent, name.to_string()),
                None if block => {
                    let indent = line.text.len() - line.text.trim_start_matches([' ', '\t']).len();
                    let name = line.text.trim();
                    if name.is_empty() {
                        out.push(line.derived(String::new()));
                        continue;
                    }
                    (indent, name.to_string())
                }
                None => {
                    match section_marker(&line.text).filter(|_| !in_section) {
                        Some(m) => out.extend(m.unescaped.map(|u| line.derived(u))),
                        None => out.push(line),
                    }
                    continue;
                }
            };
            // `;file.md` is pymdownx's way to comment a name out.
            if name.starts_with(';') {
                continue;
            }
            let place = self.place(i, &line, indent);
            let prefix = super::tabs::expand(&line.text[..indent]);
            out.extend(self.include(&name, &place, &line, &prefix));
        }
        out
    }

    /// Where line `i` of the page or of the innermost snippet is, its name at `indent`.
    fn place(&self, i: usize, line: &Line, indent: usize) -> Place {
        match self.stack.last() {
            None => {
                let (line, column) = self.at.at(line, indent + 1);
                Place {
                    path: self.at.source_path.to_string(),
                    line,
                    column,
                }
            }
            Some(frame) => Place {
                path: frame.shown.clone(),
                line: i + 1,
                column: indent.saturating_sub(frame.prefix) + 1,
            },
        }
    }

    /// `page:3 → parts/a.md:2 → ` … up to `place`.
    fn chain(&self, place: &Place) -> String {
        let mut chain: Vec<String> = self.stack.iter().map(|f| f.from.clone()).collect();
        chain.push(place.short());
        chain.join(" → ")
    }

    /// Records `d` at `place` unless that place was reported already.
    fn report(&mut self, place: &Place, d: Diagnostic) {
        let key = (place.path.clone(), place.line, place.column);
        if self.reported.insert(key) {
            self.diagnostics.push(d.at(place.line, place.column));
        }
    }

    /// The lines of snippet `name` (its selected lines or section), each indented by
    /// `prefix`; nothing (and an error when paths are checked) when it cannot be read,
    /// and nothing (with a warning) when it is already being included.
    fn include(&mut self, name: &str, place: &Place, line: &Line, prefix: &str) -> Vec<Line> {
        if self.exhausted {
            return Vec::new();
        }
        let Some(target) = target(name) else {
            self.missing(name, place);
            return Vec::new();
        };
        let Some(path) = self.find(target.path, place) else {
            return Vec::new();
        };
        let real = path.canonicalize().unwrap_or_else(|_| path.clone());
        let shown = self.shown(&path);
        if let Some(d) = self.refusal(name, &path, &real, &shown, place) {
            self.report(place, d);
            return Vec::new();
        }
        let Some(text) = self.read_within_budgets(name, &path, place, prefix, &shown) else {
            return Vec::new();
        };
        let selected = self.select(&text, &target, place);
        let inner: Vec<Line> = selected
            .into_iter()
            .map(|s| line.derived(format!("{prefix}{s}")))
            .collect();
        self.stack.push(Frame {
            real,
            shown,
            from: place.short(),
            prefix: prefix.len(),
        });
        let expanded = self.expand(inner, target.section.is_some());
        self.stack.pop();
        expanded
    }

    /// The lines of the file's text the target selects (all of them, line ranges, or a
    /// section, dedented with `dedent_subsections`); a section that is not there is
    /// reported with `check_paths`.
    fn select(&mut self, text: &str, target: &Target<'_>, place: &Place) -> Vec<String> {
        // Python reads the file in text mode: every line ending is `\n`, and a final one
        // leaves an empty last line.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let lines: Vec<String> = if text.is_empty() {
            Vec::new()
        } else {
            text.split('\n').map(str::to_string).collect()
        };
        let selected = if lines.is_empty() {
            return lines;
        } else if !target.ranges.is_empty() {
            select_ranges(&lines, &target.ranges)
        } else if let Some(section) = target.section {
            select_section(&lines, section).unwrap_or_else(|| {
                if self.d.snippet_check_paths {
                    let message =
                        format!("snippet section `{section}` not found in `{}`", target.path);
                    let d = Diagnostic::error(&place.path, message).with_help(format!(
                        "mark it in the file with `--8<-- [start:{section}]` and `--8<-- [end:{section}]`"
                    ));
                    self.report(place, d);
                }
                Vec::new()
            })
        } else {
            return lines;
        };
        if self.d.snippet_dedent {
            dedent(selected)
        } else {
            selected
        }
    }

    /// The snippet's file in the first base path that has it, as pymdownx looks: a name
    /// under a folder base path (and still under it once `..` are resolved), or a base
    /// path that is a file named by its file name. Reported (with `check_paths`) when none
    /// has it.
    fn find(&mut self, name: &str, place: &Place) -> Option<PathBuf> {
        let found = self.d.snippet_base.iter().find_map(|b| {
            let base = lexical(&self.d.root.join(b));
            if base.is_dir() {
                let file = lexical(&base.join(name));
                // Looked up, found or not: serve and the build cache render the page again
                // when this path appears, changes or goes.
                super::reads::note(&file);
                (file.starts_with(&base) && file != base && file.is_file()).then_some(file)
            } else if base.is_file() {
                let file = base.parent()?.join(name);
                super::reads::note(&file);
                let same = file.canonicalize().ok()? == base.canonicalize().ok()?;
                same.then_some(file)
            } else {
                None
            }
        });
        if found.is_none() {
            self.missing(name, place);
        }
        found
    }

    /// A snippet that is not there: an error with `check_paths`, as pymdownx fails then.
    fn missing(&mut self, name: &str, place: &Place) {
        if self.d.snippet_check_paths {
            let d = Diagnostic::error(&place.path, format!("snippet `{name}` not found"))
                .with_help(format!(
                    "snippets are read from {} (pymdownx.snippets base_path in mkdocs.yml)",
                    self.d.snippet_base.join(", ")
                ));
            self.report(place, d);
        }
    }

    /// Why the file may not be included here: it leads outside the project, it is
    /// already being included (a cycle: skipped with a warning, as pymdownx skips it),
    /// or snippets nest too deep.
    fn refusal(
        &self,
        name: &str,
        path: &Path,
        real: &Path,
        shown: &str,
        place: &Place,
    ) -> Option<Diagnostic> {
        // A snippet folder may be the project root itself, but what is included may not
        // lead outside it.
        if let Err(outside) = Inside::new(&self.d.root).check(path) {
            let message = format!(
                "snippet `{name}` cannot be included: {}: {}",
                outside.shown,
                outside.message()
            );
            return Some(Diagnostic::error(&place.path, message).with_help(outside.help()));
        }
        if self.stack.iter().any(|f| f.real == real) {
            let message = format!(
                "snippet include cycle: {} → {shown}; the include is skipped, as pymdownx does",
                self.chain(place)
            );
            return Some(Diagnostic::warning(&place.path, message).with_help(
                "a snippet cannot include a file that is already being included: remove this `--8<--` line",
            ));
        }
        if self.stack.len() >= MAX_SNIPPET_DEPTH {
            let message = format!(
                "snippets nest more than {MAX_SNIPPET_DEPTH} files deep: {} → {shown}",
                self.chain(place)
            );
            return Some(
                Diagnostic::error(&place.path, message)
                    .with_help("include the innermost snippets from a shallower file"),
            );
        }
        None
    }

    /// The snippet's text, counted against the page's budgets (includes, bytes).
    fn read_within_budgets(
        &mut self,
        name: &str,
        path: &Path,
        place: &Place,
        prefix: &str,
        shown: &str,
    ) -> Option<String> {
        self.includes += 1;
        if self.includes > MAX_SNIPPET_INCLUDES {
            let message = format!(
                "more than {MAX_SNIPPET_INCLUDES} snippet includes in {}",
                self.at.source_path
            );
            self.exhausted(place, message, shown);
            return None;
        }
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                let d =
                    Diagnostic::error(&place.path, format!("cannot read snippet `{name}`: {e}"));
                self.report(place, d);
                return None;
            }
        };
        let lines = text.lines().count();
        self.bytes = self
            .bytes
            .saturating_add(text.len())
            .saturating_add(lines.saturating_mul(prefix.len()));
        if self.bytes > MAX_SNIPPET_BYTES {
            let message = format!(
                "snippets add more than {} MiB to {}",
                MAX_SNIPPET_BYTES >> 20,
                self.at.source_path
            );
            self.exhausted(place, message, shown);
            return None;
        }
        Some(text)
    }

    /// A budget ran out at `place`: an error naming the chain, and no more includes.
    fn exhausted(&mut self, place: &Place, message: String, shown: &str) -> Vec<Line> {
        let d = Diagnostic::error(
            &place.path,
            format!("{message} ({} → {shown})", self.chain(place)),
        )
        .with_help("snippets that include others several times multiply (8 includes of a file that includes another 8 times make 64): include each file where it is needed");
        self.report(place, d);
        self.exhausted = true;
        Vec::new()
    }

    /// `path` from the project root, `/`-separated.
    fn shown(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.d.root).unwrap_or(path);
        rel.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// `path` with `.` dropped and `..` taking off the component before it, without looking
/// at the file system (Python's `os.path.abspath` on a joined path).
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
