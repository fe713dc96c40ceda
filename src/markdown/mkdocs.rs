//! The MkDocs Markdown dialect (Python-Markdown + pymdownx), as a text pre-pass and an
//! event pass around pulldown-cmark:
//!
//! - pre-pass, on lines: snippets (`--8<-- "file.md"`), `{{ variables }}` from `extra`
//!   (not inside fenced code), `{: …}` attribute lists on headings, admonitions
//!   (`!!!`), collapsible blocks (`???`, `???+`) and content tabs (`===`). Indented
//!   bodies become HTML blocks around dedented Markdown. Every output line remembers the
//!   body line it came from and how many columns were removed, so diagnostics keep
//!   pointing at the author's file:line:column.
//! - event pass: attribute lists after images, links, emphasis and code
//!   (`![](x.svg){ .dcr-icon }`) and at the end of paragraphs, list items and table
//!   cells; `^^ins^^`; math for client-side rendering.

use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::diagnostics::Diagnostic;
use crate::icons::html_escape;

/// Which MkDocs extensions a project enabled (see `config::mkdocs`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dialect {
    pub enabled: bool,
    pub admonition: bool,
    pub details: bool,
    pub tabbed: bool,
    pub attr_list: bool,
    pub tilde: bool,
    pub caret: bool,
    pub math: bool,
    pub emoji: bool,
    pub snippets: bool,
    pub snippet_check_paths: bool,
    /// Snippet folders relative to the project root.
    pub snippet_base: Vec<String>,
    pub toc_permalink: bool,
    /// How `toc` makes heading ids (its `slugify` and `separator` options).
    pub toc_ids: super::slugs::TocIds,
    /// `extra` from mkdocs.yml: `{{ name }}` in pages is replaced by its value.
    pub variables: serde_json::Value,
    /// The project root, to find snippets (set when the site is loaded).
    pub root: PathBuf,
}

/// One line of the transformed text and where it came from.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    /// 1-based line in the body.
    src: usize,
    /// Columns to add to a column in `text` to get the column in the source line.
    shift: isize,
}

impl Line {
    fn derived(&self, text: String) -> Line {
        Line {
            text,
            src: self.src,
            shift: 0,
        }
    }
}

/// The transformed body and, per output line, (body line, column shift).
pub(crate) struct Pre {
    pub text: String,
    pub map: Vec<(usize, isize)>,
}

/// Context for messages: the file and the lines before the body.
pub(crate) struct Where<'a> {
    pub source_path: &'a str,
    pub line_offset: usize,
}

impl Where<'_> {
    fn at(&self, line: &Line, column: usize) -> (usize, usize) {
        (
            line.src + self.line_offset,
            (column as isize + line.shift).max(1) as usize,
        )
    }
}

const MAX_SNIPPET_DEPTH: usize = 8;

pub(crate) fn preprocess(
    body: &str,
    d: &Dialect,
    at: &Where<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Pre {
    let lines: Vec<Line> = body
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            // Leading tabs count as four columns, as Python-Markdown reads them.
            let tabs = l.len() - l.trim_start_matches('\t').len();
            Line {
                text: format!("{}{}", "    ".repeat(tabs), &l[tabs..]),
                src: i + 1,
                shift: -3 * tabs as isize,
            }
        })
        .collect();
    let mut lines = if d.snippets {
        expand_snippets(lines, d, at, 0, diagnostics)
    } else {
        lines
    };
    substitute_variables(&mut lines, d, at, diagnostics);
    if d.attr_list {
        for line in &mut lines {
            heading_attr_colon(&mut line.text);
        }
    }
    let mut tab_sets = 0;
    let lines = blocks(lines, d, &mut tab_sets, 0);
    let mut text = String::with_capacity(body.len() + body.len() / 8);
    let mut map = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&line.text);
        map.push((line.src, line.shift));
    }
    Pre { text, map }
}

fn indent_of(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// `--8<-- "file.md"` lines replaced by the file's lines (at the same indentation), and
/// the block form: file names, one per line, between two `--8<--` lines.
fn expand_snippets(
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
            let name = name.to_string();
            let prefix = line.text[..indent].to_string();
            let place = (&line, indent, prefix.as_str());
            out.extend(include_snippet(&name, place, d, at, depth, diagnostics));
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

/// An opening fence (```` ``` ```` or `~~~`): its character and length.
fn fence_open(t: &str) -> Option<(char, usize)> {
    let c = t.chars().next().filter(|&c| c == '`' || c == '~')?;
    let n = t.len() - t.trim_start_matches(c).len();
    (n >= 3 && !(c == '`' && t[n..].contains('`'))).then_some((c, n))
}

fn fence_closes(t: &str, (c, n): (char, usize)) -> bool {
    let t = t.trim();
    t.len() >= n && t.chars().all(|x| x == c)
}

/// `{{ name }}` → the value of `name` in `extra`, outside fenced code.
fn substitute_variables(
    lines: &mut [Line],
    d: &Dialect,
    at: &Where<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut fence: Option<(char, usize)> = None;
    for line in lines.iter_mut() {
        let t = line.text.trim_start();
        if let Some(f) = fence {
            if fence_closes(t, f) {
                fence = None;
            }
            continue;
        }
        if let Some(f) = fence_open(t) {
            fence = Some(f);
            continue;
        }
        if !line.text.contains("{{") {
            continue;
        }
        let mut out = String::with_capacity(line.text.len());
        let mut rest = line.text.as_str();
        let mut consumed = 0;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let inner = rest[start + 2..start + len].trim();
            out.push_str(&rest[..start]);
            let is_name = !inner.is_empty()
                && inner
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'));
            match is_name.then(|| lookup(&d.variables, inner)).flatten() {
                Some(value) => out.push_str(&value),
                None => {
                    if is_name {
                        let (l, c) = at.at(line, line.text[..consumed + start].chars().count() + 1);
                        diagnostics.push(
                            Diagnostic::warning(
                                at.source_path,
                                format!("unknown variable `{inner}`"),
                            )
                            .at(l, c)
                            .with_help("define it under `extra:` in mkdocs.yml"),
                        );
                    }
                    out.push_str(&rest[start..start + len + 2]);
                }
            }
            consumed += start + len + 2;
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        line.text = out;
    }
}

/// The value of `a.b` (also written `extra.a.b` or `config.extra.a.b`) as text.
fn lookup(vars: &serde_json::Value, name: &str) -> Option<String> {
    let name = name
        .strip_prefix("config.extra.")
        .or_else(|| name.strip_prefix("extra."))
        .unwrap_or(name);
    let mut v = vars;
    for part in name.split('.') {
        v = v.get(part)?;
    }
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        _ => None,
    }
}

/// `## Title {: #id .c }` → `## Title { #id .c }`, the form pulldown-cmark reads.
fn heading_attr_colon(text: &mut String) {
    let t = text.trim_start();
    if !(t.starts_with('#') && t.trim_end().ends_with('}')) {
        return;
    }
    if let Some(i) = text.rfind("{:") {
        text.replace_range(i..i + 2, "{");
    }
}

enum Marker {
    /// `!!!` (open = None) or `???` / `???+` (open = Some).
    Box {
        classes: Vec<String>,
        title: Option<String>,
        details: Option<bool>,
    },
    Tab {
        title: String,
        /// `===!`: starts a new tab set.
        new_set: bool,
    },
}

fn parse_marker(t: &str, d: &Dialect) -> Option<Marker> {
    let (kind, rest) = if let Some(r) = t.strip_prefix("!!!").filter(|_| d.admonition) {
        ("!", r)
    } else if let Some(r) = t.strip_prefix("???+").filter(|_| d.details) {
        ("+", r)
    } else if let Some(r) = t.strip_prefix("???").filter(|_| d.details) {
        ("?", r)
    } else if let Some(r) = t.strip_prefix("===").filter(|_| d.tabbed) {
        ("=", r)
    } else {
        return None;
    };
    let (flag, rest) = match rest.chars().next() {
        Some(c @ ('!' | '+')) if kind == "=" => (Some(c), &rest[1..]),
        _ => (None, rest),
    };
    if !rest.starts_with(' ') {
        return None;
    }
    let rest = rest.trim();
    let (head, title) = match rest.find('"') {
        Some(q) => {
            let end = rest.rfind('"').filter(|&e| e > q)?;
            (&rest[..q], Some(rest[q + 1..end].to_string()))
        }
        None => (rest, None),
    };
    let classes: Vec<String> = head.split_whitespace().map(str::to_lowercase).collect();
    if kind == "=" {
        return classes.is_empty().then(|| Marker::Tab {
            title: title.unwrap_or_default(),
            new_set: flag == Some('!'),
        });
    }
    if classes.is_empty()
        || !classes.iter().all(|c| {
            c.chars()
                .all(|x| x.is_alphanumeric() || x == '-' || x == '_')
        })
    {
        return None;
    }
    Some(Marker::Box {
        title,
        details: match kind {
            "+" => Some(true),
            "?" => Some(false),
            _ => None,
        },
        classes,
    })
}

/// The indented body of a block whose marker is at `indent`: lines from `from` that are
/// blank or indented by four more. Returns the body (trailing blanks left out) and the
/// index after it.
fn collect_body(lines: &[Line], from: usize, indent: usize) -> (Vec<Line>, usize) {
    let mut end = from;
    let mut last_content = from;
    while end < lines.len() {
        let t = &lines[end].text;
        if is_blank(t) {
            end += 1;
        } else if indent_of(t) >= indent + 4 {
            end += 1;
            last_content = end;
        } else {
            break;
        }
    }
    let body = lines[from..last_content]
        .iter()
        .map(|l| {
            if is_blank(&l.text) {
                Line {
                    text: String::new(),
                    src: l.src,
                    shift: 0,
                }
            } else {
                Line {
                    text: format!("{}{}", &l.text[..indent], &l.text[indent + 4..]),
                    src: l.src,
                    shift: l.shift + 4,
                }
            }
        })
        .collect();
    (body, last_content)
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Deeper nesting than this is left as written (hostile input must not exhaust the stack).
const MAX_BLOCK_DEPTH: usize = 32;

/// Admonitions, collapsible blocks and tabs (nested ones too) as HTML around Markdown.
fn blocks(lines: Vec<Line>, d: &Dialect, tab_sets: &mut usize, depth: usize) -> Vec<Line> {
    if depth > MAX_BLOCK_DEPTH {
        return lines;
    }
    let mut out: Vec<Line> = Vec::with_capacity(lines.len() + 8);
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let indent = indent_of(&line.text);
        let t = &line.text[indent..];
        if let Some(f) = fence_open(t) {
            out.push(line.clone());
            i += 1;
            while i < lines.len() {
                out.push(lines[i].clone());
                i += 1;
                if fence_closes(&lines[i - 1].text, f) {
                    break;
                }
            }
            continue;
        }
        let Some(marker) = parse_marker(t, d) else {
            out.push(line.clone());
            i += 1;
            continue;
        };
        let pad = " ".repeat(indent);
        let emit = |out: &mut Vec<Line>, text: String| out.push(line.derived(text));
        match marker {
            Marker::Box {
                classes,
                title,
                details,
            } => {
                let (body, next) = collect_body(&lines, i + 1, indent);
                let title = title.unwrap_or_else(|| title_case(&classes[0]));
                let classes = classes.join(" ");
                let (open, close) = match details {
                    None => {
                        let head = if title.is_empty() {
                            String::new()
                        } else {
                            format!(r#"<p class="admonition-title">{}</p>"#, html_escape(&title))
                        };
                        (
                            format!(r#"{pad}<div class="admonition {classes}">{head}"#),
                            format!("{pad}</div>"),
                        )
                    }
                    Some(open) => {
                        let summary = if title.is_empty() {
                            title_case(classes.split(' ').next().unwrap_or("Details"))
                        } else {
                            title
                        };
                        (
                            format!(
                                r#"{pad}<details class="{classes}"{}><summary>{}</summary>"#,
                                if open { " open" } else { "" },
                                html_escape(&summary)
                            ),
                            format!("{pad}</details>"),
                        )
                    }
                };
                emit(&mut out, open);
                emit(&mut out, String::new());
                out.extend(blocks(body, d, tab_sets, depth + 1));
                emit(&mut out, String::new());
                emit(&mut out, close);
                emit(&mut out, String::new());
                i = next;
            }
            Marker::Tab { title, .. } => {
                // The whole set: this tab and the `===` tabs that follow at this indent.
                let mut tabs = Vec::new();
                let (body, mut next) = collect_body(&lines, i + 1, indent);
                tabs.push((title, body));
                loop {
                    let mut j = next;
                    while j < lines.len() && is_blank(&lines[j].text) {
                        j += 1;
                    }
                    let Some(l) = lines.get(j).filter(|l| indent_of(&l.text) == indent) else {
                        break;
                    };
                    match parse_marker(&l.text[indent..], d) {
                        Some(Marker::Tab {
                            title,
                            new_set: false,
                        }) => {
                            let (body, after) = collect_body(&lines, j + 1, indent);
                            tabs.push((title, body));
                            next = after;
                        }
                        _ => break,
                    }
                }
                *tab_sets += 1;
                let n = *tab_sets;
                let mut head = format!(
                    r#"{pad}<div class="tabbed-set tabbed-alternate" data-tabs="{n}:{}">"#,
                    tabs.len()
                );
                for k in 1..=tabs.len() {
                    head.push_str(&format!(
                        r#"<input type="radio" name="__tabbed_{n}" id="__tabbed_{n}_{k}"{}>"#,
                        if k == 1 { " checked" } else { "" }
                    ));
                }
                head.push_str(r#"<div class="tabbed-labels">"#);
                for (k, (title, _)) in tabs.iter().enumerate() {
                    head.push_str(&format!(
                        r#"<label for="__tabbed_{n}_{}">{}</label>"#,
                        k + 1,
                        html_escape(title)
                    ));
                }
                head.push_str(r#"</div><div class="tabbed-content">"#);
                emit(&mut out, head);
                for (_, body) in tabs {
                    emit(&mut out, format!(r#"{pad}<div class="tabbed-block">"#));
                    emit(&mut out, String::new());
                    out.extend(blocks(body, d, tab_sets, depth + 1));
                    emit(&mut out, String::new());
                    emit(&mut out, format!("{pad}</div>"));
                }
                emit(&mut out, format!("{pad}</div></div>"));
                emit(&mut out, String::new());
                i = next;
            }
        }
    }
    out
}

/// Parses an attribute list `{: .a #b k="v" }` at the start of `s`; returns the HTML
/// attributes (` class="a" id="b" k="v"`) and the length consumed.
pub(crate) fn parse_attrs(s: &str) -> Option<(Attrs, usize)> {
    let inner_start = if s.starts_with("{:") {
        2
    } else if s.starts_with('{') {
        1
    } else {
        return None;
    };
    let end = s.find('}')?;
    let inner = &s[inner_start..end];
    let mut attrs = Attrs::default();
    let mut rest = inner.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let tok_end = if let Some(eq) = rest
            .find('=')
            .filter(|&e| !rest[..e].contains(char::is_whitespace) && !rest.starts_with(['.', '#']))
        {
            // key="value with spaces" / key=value
            let after = &rest[eq + 1..];
            let (value, len) = if let Some(q) = after.strip_prefix('"') {
                let e = q.find('"')?;
                (&q[..e], e + 2)
            } else {
                let e = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..e], e)
            };
            let key = &rest[..eq];
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':')
            {
                return None;
            }
            attrs.other.push((key.to_string(), value.to_string()));
            eq + 1 + len
        } else {
            let e = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let tok = &rest[..e];
            let valid = |n: &str| {
                !n.is_empty()
                    && n.chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ':')
            };
            if let Some(c) = tok.strip_prefix('.').filter(|c| valid(c)) {
                attrs.classes.push(c.to_string());
            } else if let Some(id) = tok.strip_prefix('#').filter(|c| valid(c)) {
                attrs.id = Some(id.to_string());
            } else {
                return None;
            }
            e
        };
        rest = rest[tok_end..].trim_start();
    }
    Some((attrs, end + 1))
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Attrs {
    pub classes: Vec<String>,
    pub id: Option<String>,
    pub other: Vec<(String, String)>,
}

impl Attrs {
    fn html(&self, extra_style: Option<&str>) -> String {
        let mut s = String::new();
        if let Some(id) = &self.id {
            s.push_str(&format!(r#" id="{}""#, html_escape(id)));
        }
        if !self.classes.is_empty() {
            s.push_str(&format!(
                r#" class="{}""#,
                html_escape(&self.classes.join(" "))
            ));
        }
        for (k, v) in &self.other {
            if k == "style" && extra_style.is_some() {
                continue;
            }
            s.push_str(&format!(r#" {k}="{}""#, html_escape(v)));
        }
        if let Some(style) = extra_style {
            s.push_str(&format!(r#" style="{style}""#));
        }
        s
    }
}

/// The trailing attribute list of `text` (`… {: .c }`): where it starts and its attributes.
fn trailing_attrs(text: &str) -> Option<(usize, Attrs)> {
    let t = text.trim_end();
    if !t.ends_with('}') {
        return None;
    }
    let start = t.rfind('{')?;
    let (attrs, len) = parse_attrs(&t[start..])?;
    (start + len == t.len()).then_some((start, attrs))
}

/// The event pass (see the module comment). `events` come from the parser with their
/// byte offsets; links are already resolved.
/// `src` is the text the events were parsed from (their offsets point into it).
pub(crate) fn events<'a>(
    events: Vec<(Event<'a>, usize)>,
    d: &Dialect,
    src: &str,
) -> Vec<(Event<'a>, usize)> {
    let mut out: Vec<(Event<'a>, usize)> = Vec::with_capacity(events.len());
    // Start indices (in `out`) of open inline elements and blocks attributes may target.
    let mut open: Vec<usize> = Vec::new();
    let mut last_closed: Option<(usize, usize)> = None;
    // Table state, to rewrite a cell's start tag as pulldown-cmark would have written it.
    let mut alignments: Vec<pulldown_cmark::Alignment> = Vec::new();
    let (mut in_head, mut cell) = (false, 0usize);
    // Adjacent text events (the parser splits text at `{`, `^`, `:` …) are one text for
    // attribute lists, scripts and shortcodes.
    let mut merged: Vec<(Event<'a>, usize)> = Vec::with_capacity(events.len());
    for (event, offset) in events {
        if let (Event::Text(t), Some((Event::Text(prev), _))) = (&event, merged.last_mut()) {
            let mut joined = prev.to_string();
            joined.push_str(t);
            *prev = CowStr::from(joined);
            continue;
        }
        merged.push((event, offset));
    }
    for (event, offset) in merged {
        match &event {
            Event::Start(Tag::Table(a)) => {
                alignments = a.clone();
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                cell = 0;
            }
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => cell = 0,
            _ => {}
        }
        match event {
            Event::InlineMath(m) if d.math => out.push((
                Event::InlineHtml(CowStr::from(format!(
                    r#"<span class="arithmatex">\({}\)</span>"#,
                    html_escape(&m)
                ))),
                offset,
            )),
            Event::DisplayMath(m) if d.math => out.push((
                Event::InlineHtml(CowStr::from(format!(
                    r#"<span class="arithmatex arithmatex--display">\[{}\]</span>"#,
                    html_escape(&m)
                ))),
                offset,
            )),
            Event::Start(tag) => {
                open.push(out.len());
                out.push((Event::Start(tag), offset));
            }
            Event::End(end) => {
                let start = open.pop();
                if d.attr_list
                    && matches!(end, TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell)
                {
                    if let (Some(s), Some((Event::Text(t), _))) = (start, out.last()) {
                        if let Some((at, attrs)) = trailing_attrs(t) {
                            let kept = t[..at].trim_end().to_string();
                            out.pop();
                            if kept.is_empty() {
                                if matches!(out.last(), Some((Event::SoftBreak, _))) {
                                    out.pop();
                                }
                            } else {
                                out.push((Event::Text(CowStr::from(kept)), offset));
                            }
                            let html = match end {
                                TagEnd::Paragraph => format!("<p{}>", attrs.html(None)),
                                TagEnd::Item => format!("<li{}>", attrs.html(None)),
                                _ => {
                                    let style = match alignments.get(cell) {
                                        Some(pulldown_cmark::Alignment::Left) => {
                                            Some("text-align: left")
                                        }
                                        Some(pulldown_cmark::Alignment::Center) => {
                                            Some("text-align: center")
                                        }
                                        Some(pulldown_cmark::Alignment::Right) => {
                                            Some("text-align: right")
                                        }
                                        _ => None,
                                    };
                                    let tag = if in_head { "th" } else { "td" };
                                    format!("<{tag}{}>", attrs.html(style))
                                }
                            };
                            out[s].0 = Event::Html(CowStr::from(html));
                        }
                    }
                }
                if end == TagEnd::TableCell {
                    cell += 1;
                }
                last_closed = start.map(|s| (s, out.len()));
                out.push((Event::End(end), offset));
                // pulldown-cmark reads `^^ins^^` as a superscript; pymdownx.caret as <ins>.
                if d.caret && end == TagEnd::Superscript {
                    if let Some(s) = start {
                        let at = out[s].1;
                        if src.get(at..).is_some_and(|t| t.starts_with("^^")) {
                            out[s].0 = Event::InlineHtml(CowStr::Borrowed("<ins>"));
                            let last = out.len() - 1;
                            out[last].0 = Event::InlineHtml(CowStr::Borrowed("</ins>"));
                        }
                    }
                }
            }
            Event::Text(t) if d.attr_list && t.starts_with('{') => {
                let target = match (last_closed, out.last()) {
                    (Some((s, e)), _) if e + 1 == out.len() => Some((s, e)),
                    (_, Some((Event::Code(_), _))) => Some((out.len() - 1, out.len() - 1)),
                    _ => None,
                };
                match (target, parse_attrs(&t)) {
                    (Some((s, e)), Some((attrs, len))) if apply_inline(&mut out, s, e, &attrs) => {
                        let rest = &t[len..];
                        if !rest.is_empty() {
                            out.push((Event::Text(CowStr::from(rest.to_string())), offset));
                        }
                    }
                    _ => out.push((Event::Text(t), offset)),
                }
            }
            Event::Text(t) if (d.caret && t.contains('^')) || (d.tilde && t.contains('~')) => {
                for piece in scripts(t, d) {
                    match piece {
                        Event::Text(t) => push_with_shortcodes(&mut out, t, offset),
                        other => out.push((other, offset)),
                    }
                }
            }
            Event::Text(t) if t.contains(':') => push_with_shortcodes(&mut out, t, offset),
            other => out.push((other, offset)),
        }
    }
    out
}

/// Superscripts and subscripts inside words (`x^2^`, `H~2~O`, `GF(2^m^)`), which
/// pymdownx.caret/tilde allow and pulldown-cmark does not (it needs word boundaries):
/// a run without spaces between two `^` (or `~`) becomes `<sup>` (or `<sub>`).
fn scripts<'a>(t: CowStr<'a>, d: &Dialect) -> Vec<Event<'a>> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest: &str = &t;
    while let Some(i) = rest.find(|c| (c == '^' && d.caret) || (c == '~' && d.tilde)) {
        let mark = &rest[i..i + 1];
        let after = &rest[i + 1..];
        let inner_end = after.find(mark);
        match inner_end {
            Some(e)
                if e > 0
                    && !after[..e].contains(char::is_whitespace)
                    && !after[..e].contains(['^', '~']) =>
            {
                text.push_str(&rest[..i]);
                if !text.is_empty() {
                    pieces.push(Event::Text(CowStr::from(std::mem::take(&mut text))));
                }
                let tag = if mark == "^" { "sup" } else { "sub" };
                pieces.push(Event::InlineHtml(CowStr::from(format!(
                    "<{tag}>{}</{tag}>",
                    html_escape(&after[..e])
                ))));
                rest = &after[e + 1..];
            }
            _ => {
                text.push_str(&rest[..=i]);
                rest = after;
            }
        }
    }
    if pieces.is_empty() {
        return vec![Event::Text(t)];
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Event::Text(CowStr::from(text)));
    }
    pieces
}

/// Icon shortcode prefixes: pymdownx.emoji with Material's icon sets, and the older
/// `fontawesome_markdown` (`:fa-cloud:`).
const ICON_PREFIXES: &[&str] = &["fa-", "material-", "fontawesome-", "octicons-", "simple-"];

/// The icon shortcode (`:material-check:`) starting at the start of `s`: its name.
fn shortcode(s: &str) -> Option<&str> {
    let rest = s.strip_prefix(':')?;
    let end = rest.find(':')?;
    let name = &rest[..end];
    (ICON_PREFIXES
        .iter()
        .any(|p| name.starts_with(p) && name.len() > p.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    .then_some(name)
}

/// Text with icon shortcodes turned into empty, hidden icon elements: dcrsite ships
/// none of those icon fonts, so they degrade to nothing visible rather than to
/// `:fa-cloud:` in the text (and in heading ids, which MkDocs computes without them).
fn push_with_shortcodes<'a>(out: &mut Vec<(Event<'a>, usize)>, t: CowStr<'a>, offset: usize) {
    let mut rest: &str = &t;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    let mut text = String::new();
    while let Some(i) = rest.find(':') {
        match shortcode(&rest[i..]) {
            Some(name) => {
                text.push_str(&rest[..i]);
                if !text.is_empty() {
                    pieces.push(Event::Text(CowStr::from(std::mem::take(&mut text))));
                }
                pieces.push(Event::InlineHtml(CowStr::from(format!(
                    r#"<span class="dcr-shortcode-icon {}" aria-hidden="true"></span>"#,
                    html_escape(name)
                ))));
                rest = &rest[i + name.len() + 2..];
            }
            None => {
                text.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
            }
        }
    }
    if pieces.is_empty() {
        out.push((Event::Text(t), offset));
        return;
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Event::Text(CowStr::from(text)));
    }
    out.extend(pieces.into_iter().map(|e| (e, offset)));
}

/// Puts `attrs` on the inline element spanning `out[s..=e]`. False when it cannot take
/// attributes (the text then stays as written).
fn apply_inline(out: &mut Vec<(Event<'_>, usize)>, s: usize, e: usize, attrs: &Attrs) -> bool {
    let a = attrs.html(None);
    let (open, close) = match &out[s].0 {
        Event::Code(code) => {
            let html = format!("<code{a}>{}</code>", html_escape(code));
            out[s].0 = Event::InlineHtml(CowStr::from(html));
            return true;
        }
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => {
            let mut alt = String::new();
            for (ev, _) in &out[s + 1..e] {
                if let Event::Text(t) | Event::Code(t) = ev {
                    alt.push_str(t);
                }
            }
            let title = if title.is_empty() {
                String::new()
            } else {
                format!(r#" title="{}""#, html_escape(title))
            };
            let html = format!(
                r#"<img src="{}" alt="{}"{title}{a} />"#,
                html_escape(dest_url),
                html_escape(&alt)
            );
            out.truncate(s + 1);
            out[s].0 = Event::InlineHtml(CowStr::from(html));
            return true;
        }
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) => {
            let title = if title.is_empty() {
                String::new()
            } else {
                format!(r#" title="{}""#, html_escape(title))
            };
            (
                format!(r#"<a href="{}"{title}{a}>"#, html_escape(dest_url)),
                "</a>".to_string(),
            )
        }
        Event::Start(Tag::Emphasis) => (format!("<em{a}>"), "</em>".into()),
        Event::Start(Tag::Strong) => (format!("<strong{a}>"), "</strong>".into()),
        Event::Start(Tag::Strikethrough) => (format!("<del{a}>"), "</del>".into()),
        Event::Start(Tag::Superscript) => (format!("<sup{a}>"), "</sup>".into()),
        Event::Start(Tag::Subscript) => (format!("<sub{a}>"), "</sub>".into()),
        _ => return false,
    };
    out[s].0 = Event::InlineHtml(CowStr::from(open));
    out[e].0 = Event::InlineHtml(CowStr::from(close));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialect() -> Dialect {
        Dialect {
            enabled: true,
            admonition: true,
            details: true,
            tabbed: true,
            attr_list: true,
            caret: true,
            tilde: true,
            variables: serde_json::json!({"ver": "1.2.3", "n": {"m": 5}}),
            ..Dialect::default()
        }
    }

    fn pre(body: &str) -> (Pre, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let w = Where {
            source_path: "docs/a.md",
            line_offset: 0,
        };
        (preprocess(body, &dialect(), &w, &mut diags), diags)
    }

    #[test]
    fn admonition_becomes_html_around_dedented_markdown_with_line_map() {
        let (p, _) =
            pre("x\n\n!!! warning \"Be careful\"\n\n    Body *text*.\n    More.\n\nafter\n");
        let lines: Vec<&str> = p.text.lines().collect();
        assert_eq!(
            lines[2],
            r#"<div class="admonition warning"><p class="admonition-title">Be careful</p>"#
        );
        let body = lines.iter().position(|l| *l == "Body *text*.").unwrap();
        assert_eq!(p.map[body], (5, 4), "line 5, four columns removed");
        assert!(lines.contains(&"</div>"));
        let after = lines.iter().position(|l| *l == "after").unwrap();
        assert_eq!(p.map[after].0, 8);
    }

    #[test]
    fn details_tabs_and_nesting() {
        let (p, _) = pre("???+ note\n    inner\n\n    !!! tip \"\"\n        deep\n");
        assert!(p
            .text
            .starts_with(r#"<details class="note" open><summary>Note</summary>"#));
        assert!(p.text.contains(r#"<div class="admonition tip">"#));
        assert!(p.text.contains("\ndeep\n"));
        let (p, _) = pre("=== \"A\"\n    one\n\n=== \"B\"\n    two\n\nout\n");
        assert!(p.text.contains(r#"data-tabs="1:2""#), "{}", p.text);
        assert!(p.text.contains(r#"<label for="__tabbed_1_2">B</label>"#));
        assert_eq!(p.text.matches(r#"<div class="tabbed-block">"#).count(), 2);
        assert!(p.text.trim_end().ends_with("out"));
    }

    #[test]
    fn variables_outside_fenced_code_and_unknown_ones_warned() {
        let (p, d) = pre("v{{ ver }} `{{ n.m }}` {{ nope }}\n```\n{{ ver }}\n```\n");
        assert!(p.text.starts_with("v1.2.3 `5` {{ nope }}"), "{}", p.text);
        assert!(p.text.contains("```\n{{ ver }}\n```"));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (Some(1), Some(24)));
    }

    /// A project whose snippet folder `s` holds `files`, and its dialect (paths checked).
    fn snippets_in(files: &[(&str, &str)]) -> (tempfile::TempDir, Dialect) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("s")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join("s").join(name), text).unwrap();
        }
        let d = Dialect {
            snippets: true,
            snippet_check_paths: true,
            snippet_base: vec!["s".into()],
            root: dir.path().to_path_buf(),
            ..dialect()
        };
        (dir, d)
    }

    #[test]
    fn missing_snippet_is_an_error_at_its_line() {
        let (_dir, d) = snippets_in(&[("ok.md", "!!! note\n    from snippet\n")]);
        let mut diags = Vec::new();
        let w = Where {
            source_path: "docs/a.md",
            line_offset: 2,
        };
        let p = preprocess(
            "a\n  --8<-- \"nope.md\"\n--8<-- \"ok.md\"\n",
            &d,
            &w,
            &mut diags,
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].to_string().lines().next().unwrap(),
            "docs/a.md:4:3: error: snippet `nope.md` not found"
        );
        assert!(p.text.contains("from snippet"));
        assert!(p.text.contains(r#"<div class="admonition note">"#));
    }

    #[test]
    fn block_form_snippets_include_each_file_listed() {
        let (_dir, d) = snippets_in(&[("one.md", "First part.\n"), ("two.md", "Second part.\n")]);
        let mut diags = Vec::new();
        let w = Where {
            source_path: "docs/a.md",
            line_offset: 0,
        };
        let body = "Intro.\n\n--8<--\none.md\n\n;two.md\n  \"two.md\"\nmissing.md\n--8<--\n\nEnd.\n\n--8<--\nnot closed\n";
        let p = preprocess(body, &d, &w, &mut diags);
        let first = p.text.find("First part.").expect("one.md included");
        let second = p.text.find("Second part.").expect("two.md included");
        assert!(first < second, "{}", p.text);
        assert_eq!(
            p.text.matches("Second part.").count(),
            1,
            "`;two.md` is commented out"
        );
        assert!(!p.text.contains("one.md"), "{}", p.text);
        assert!(p.text.contains("End."));
        assert!(
            p.text.contains("--8<--\nnot closed"),
            "an unclosed block stays text"
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            diags[0].to_string().lines().next().unwrap(),
            "docs/a.md:8:1: error: snippet `missing.md` not found"
        );
    }

    #[test]
    fn attribute_lists_parse() {
        let (a, len) = parse_attrs("{: .a #b k=\"v w\" } rest").unwrap();
        assert_eq!(len, 18);
        assert_eq!(a.classes, vec!["a"]);
        assert_eq!(a.id.as_deref(), Some("b"));
        assert_eq!(a.other, vec![("k".into(), "v w".into())]);
        assert!(parse_attrs("{0, ..., n}").is_none());
        assert!(parse_attrs("{}").is_none());
    }

    fn render(md: &str) -> crate::markdown::RenderedMarkdown {
        let d = Dialect {
            math: true,
            ..dialect()
        };
        let resolver = crate::markdown::tests::TestResolver;
        let mut opts = crate::markdown::tests::opts_with(&resolver, 2);
        opts.mkdocs = Some(&d);
        crate::markdown::render(md, &opts)
    }

    #[test]
    fn positions_inside_rewritten_blocks_are_the_authors() {
        let out = render("# T\n\n!!! note\n    see [x](missing.md)\n\n=== \"A\"\n\n    !!! tip\n        and [y](missing.md)\n");
        let at: Vec<(usize, usize)> = out
            .diagnostics
            .iter()
            .map(|d| (d.line.unwrap(), d.column.unwrap()))
            .collect();
        assert_eq!(at, vec![(6, 9), (11, 13)], "{:?}", out.diagnostics);
        assert_eq!(out.links[0].line, 6);
    }

    #[test]
    fn attribute_lists_caret_tilde_and_math_in_rendered_html() {
        let out = render("# ![](i.svg){ .dcr-icon } Title\n\n*m*{: .dcrm } ^^ins^^ x^2^ H~2~O ~~del~~ $a^2$\n\nA para\n{: .wide #p1 }\n\n| h |\n|--:|\n| c {: .cell} |\n\n## Head {: #custom }\n");
        let title = out.title.unwrap();
        assert_eq!(
            title.html,
            r#"<img src="i.svg" alt="" class="dcr-icon" /> Title"#
        );
        assert_eq!(title.text, "Title");
        let html = out.html;
        assert!(html.contains(r#"<em class="dcrm">m</em>"#), "{html}");
        assert!(html.contains("<ins>ins</ins>"), "{html}");
        assert!(
            html.contains("x<sup>2</sup> H<sub>2</sub>O <del>del</del>"),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="arithmatex">\(a^2\)</span>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<p id="p1" class="wide">A para</p>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<td class="cell" style="text-align: right">c</td>"#),
            "{html}"
        );
        assert!(html.contains(r#"id="custom""#), "{html}");
    }

    #[test]
    fn icon_shortcodes_degrade_to_hidden_icons() {
        let mut out = Vec::new();
        push_with_shortcodes(
            &mut out,
            CowStr::from("a :fa-cloud: b :not-icon: :material-x:"),
            0,
        );
        let kinds: Vec<String> = out
            .iter()
            .map(|(e, _)| match e {
                Event::Text(t) => format!("T{t}"),
                Event::InlineHtml(h) => format!("H{h}"),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                "Ta ".to_string(),
                r#"H<span class="dcr-shortcode-icon fa-cloud" aria-hidden="true"></span>"#.into(),
                "T b :not-icon: ".into(),
                r#"H<span class="dcr-shortcode-icon material-x" aria-hidden="true"></span>"#.into(),
            ]
        );
    }

    #[test]
    fn hostile_nesting_does_not_exhaust_the_stack() {
        let deep: String = (0..300)
            .map(|i| format!("{}!!! note\n", " ".repeat(i * 4)))
            .collect();
        let out = render(&deep);
        assert!(out.html.contains(r#"<div class="admonition note">"#));
        let tabs = "=== \"a\"\n".repeat(10_000);
        let _ = render(&tabs);
        let _ =
            render("{{\n}}{{ }}{{.}}{{ a.. }}\n--8<--\n!!!\n???+\n===\n=== \"\n{: .}\n![]({: #x})");
    }
}
