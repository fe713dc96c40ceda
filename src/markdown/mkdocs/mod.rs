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
//!
//! One file a job: `snippets`, `variables`, `blocks` and `attrs` (heading attribute
//! lists) for the pre-pass, `inline` for the event pass; this file runs the pre-pass and
//! holds the line bookkeeping they share.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

mod abbr;
pub(crate) mod annotations;
mod attrs;
mod blocks;
pub mod code;
mod critic;
mod em_strong;
mod fence_info;
mod fenced_code_info;
mod fences;
pub mod generated;
mod hash_headings;
mod include_variants;
mod includes;
mod inline;
mod link_dests;
pub(crate) mod link_html;
mod lists;
mod macros;
mod markers;
pub(crate) mod mdx_include;
mod paragraph_lines;
mod quoted_fences;
mod quotes;
mod reads;
mod refdefs;
mod snippet_syntax;
mod snippets;
pub(crate) mod tab_ids;
mod tables;
mod tabs;
#[cfg(test)]
pub(crate) mod testing;
pub mod toc;
mod variables;

pub use blocks::{BlockKind, BlockType, Extensions, GenericBlocks};
/// smartsymbols' options, in pymdownx's order (also the options dcrsite honours).
pub(crate) use inline::symbols::ALL as SMARTSYMBOLS;
use snippets::expand_snippets;
use variables::substitute_variables;

pub use critic::Critic;
pub(crate) use reads::relative as relative_path;

/// Reads the options of extension `name` handled by the page passes (the inline
/// extensions, critic) into `d`; false when it is none of theirs.
pub(crate) fn configure_inline(d: &mut Dialect, name: &str, options: &serde_yaml::Value) -> bool {
    if name == "pymdownx.critic" {
        d.critic = Some(Critic::read(options));
        return true;
    }
    inline::configure(d, name, options)
}

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
    /// `dedent_subsections`: line ranges and sections lose their common indentation.
    pub snippet_dedent: bool,
    /// Snippet folders relative to the project root.
    pub snippet_base: Vec<String>,
    pub toc_permalink: bool,
    /// The permalink's text when `permalink` is a string (`&para;` when it is `true`).
    pub toc_permalink_text: Option<String>,
    /// How `toc` makes heading ids (its `slugify` and `separator` options).
    pub toc_ids: super::slugs::TocIds,
    /// `toc`'s other options: permalink markup, `anchorlink`, `baselevel`, `[TOC]`.
    pub toc: toc::TocMarkup,
    /// `extra` from mkdocs.yml: `{{ name }}` in pages is replaced by its value.
    pub variables: serde_json::Value,
    /// The project root, to find snippets (set when the site is loaded).
    pub root: PathBuf,
    /// Directives of plugins dcrsite cannot run, shown as placeholders.
    pub generated: generated::Generators,
    /// Block extensions besides the three above (`def_list`, `abbr`, `md_in_html`,
    /// `pymdownx.blocks.*`, …) and their options.
    pub blocks: Extensions,
    /// Options of the inline extensions (caret, tilde, mark …).
    pub inline: inline::Options,
    /// pymdownx.highlight's and superfences' options, for code blocks (see `code`).
    pub code: code::CodeOptions,
    /// pymdownx.critic and its mode.
    pub critic: Option<Critic>,
    /// `markdown_include_variants`' `{* … *}` source includes.
    pub include_variants: bool,
    /// mdx_include's `{!path!}` includes.
    pub mdx_include: bool,
    /// mdx_include's options.
    pub mdx: mdx_include::MdxOptions,
    /// The macros plugin (or Zensical's macros extension): `{% if %}`/`{% for %}` blocks.
    pub macros: bool,
    /// pymdownx.tabbed's `slugify` (and `combine_header_slug`), when set.
    pub tab_ids: Option<tab_ids::TabIds>,
    /// The `footnotes` extension and its options, when listed.
    pub footnotes: Option<super::FootnoteOptions>,
}

/// The event pass: list items tight or loose as the list pass found them (`list_items`,
/// see `lists`), `inline`'s (noting what a reader should hear about, such as an unknown
/// emoji), then the markers the block pre-pass left (see `markers`).
pub(crate) fn events<'a>(
    events: Vec<(pulldown_cmark::Event<'a>, usize)>,
    d: &Dialect,
    src: &str,
    list_items: &[(usize, bool)],
    notes: &mut Vec<inline::Note>,
) -> Vec<(pulldown_cmark::Event<'a>, usize)> {
    let events = lists::items::apply(events, src, list_items);
    let events = match d.inline.betterem {
        Some(_) => events,
        None => em_strong::nest(events, src),
    };
    let align_attribute = d.blocks.tables_align_attribute;
    tables::events(
        markers::events(inline::events(events, d, src, notes), d),
        align_attribute,
    )
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
    /// `text`'s lines, numbered from 1, unshifted (for the passes' unit tests).
    #[cfg(test)]
    fn numbered(text: &str) -> Vec<Line> {
        text.split('\n')
            .enumerate()
            .map(|(i, t)| Line {
                text: t.to_string(),
                src: i + 1,
                shift: 0,
            })
            .collect()
    }

    /// `text`'s lines after the in-place pass `pass`, joined again (for the passes' unit
    /// tests).
    #[cfg(test)]
    fn after(text: &str, pass: impl FnOnce(&mut [Line])) -> String {
        let mut lines = Line::numbered(text);
        pass(&mut lines);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        texts.join("\n")
    }

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
    /// The files the page looked at to include (see `reads`), relative to the root.
    pub includes: Vec<String>,
    /// Per list item the list pass wrote: its output line, whether it is loose.
    pub list_items: Vec<(usize, bool)>,
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

pub(crate) fn preprocess(
    body: &str,
    d: &Dialect,
    at: &Where<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Pre {
    let ((text, map, list_items), includes) =
        reads::collecting(&d.root, || rewrite(body, d, at, diagnostics));
    Pre {
        text,
        map,
        includes,
        list_items,
    }
}

/// The pre-pass proper: the text, its line map and the list items' looseness.
fn rewrite(
    body: &str,
    d: &Dialect,
    at: &Where<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, Vec<(usize, isize)>, lists::Looseness) {
    let lines: Vec<Line> = body
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            let text = tabs::expand(l);
            // The shift is the leading white space's: columns past a later tab are off.
            let lead = |t: &str| t.len() - t.trim_start_matches([' ', '\t']).len();
            Line {
                shift: lead(l) as isize - lead(&text) as isize,
                text,
                src: i + 1,
            }
        })
        .collect();
    let mut lines = if d.snippets {
        let lines = abbr::append_glossaries(lines, d);
        expand_snippets(lines, d, at, diagnostics)
    } else {
        lines
    };
    if d.include_variants || d.mdx_include {
        lines = includes::expand(lines, d, at, diagnostics);
    }
    if d.macros {
        lines = macros::render_blocks(lines, d, at, diagnostics);
    }
    substitute_variables(&mut lines, d, at, diagnostics);
    // What snippets, includes and macros brought in: Python expands tabs after them.
    for line in lines.iter_mut().filter(|l| l.text.contains('\t')) {
        line.text = tabs::expand(&line.text);
    }
    let lines = match d.critic {
        Some(mode) => critic::apply(lines, mode),
        None => lines,
    };
    let mut lines = generated::placeholders(lines, &d.generated);
    if d.code.superfences {
        quoted_fences::align(&mut lines);
    }
    let mut lines = blocks::run(lines, d);
    hash_headings::normalize(&mut lines, d.blocks.saneheaders);
    paragraph_lines::normalize(&mut lines);
    let (mut lines, list_items) = lists::normalize(lines, d.blocks.sane_lists);
    if !d.blocks.separate_quotes {
        quotes::join(&mut lines);
    }
    link_dests::normalize(&mut lines);
    fences::escape_unclosed_fences(&mut lines, !d.code.superfences);
    let mut lines = refdefs::hoist(lines);
    tables::protect_pipes(&mut lines);
    let mut text = String::with_capacity(body.len() + body.len() / 8);
    let mut map = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&line.text);
        map.push((line.src, line.shift));
    }
    (text, map, list_items)
}

fn indent_of(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// The column where the content of the list item `text` starts: its indentation, a
/// marker (`*`, `-`, `+`, `1.`, `1)`) and the spaces after it. With `lone`, a marker
/// alone on its line is an item too (its content at the line's end).
fn item_content(text: &str, lone: bool) -> Option<usize> {
    let body = text.trim_start_matches(' ');
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let width = match body.as_bytes().get(digits)? {
        b'*' | b'-' | b'+' if digits == 0 => 1,
        b'.' | b')' if digits > 0 => digits + 1,
        _ => return None,
    };
    let after = &body[width..];
    let spaces = indent_of(after);
    (spaces > 0 || lone && after.is_empty()).then(|| text.len() - after.len() + spaces)
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
            blocks: Extensions {
                tabbed_alternate: true,
                ..Extensions::default()
            },
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

    /// `body` through the pre-pass, pulldown-cmark and the event pass, new lines taken out.
    fn html(body: &str) -> String {
        let (p, _) = pre(body);
        let parsed = pulldown_cmark::Parser::new(&p.text)
            .into_offset_iter()
            .map(|(e, r)| (e, r.start))
            .collect();
        let mut html = String::new();
        let evs = events(parsed, &dialect(), &p.text, &p.list_items, &mut Vec::new());
        pulldown_cmark::html::push_html(&mut html, evs.into_iter().map(|(e, _)| e));
        html.replace('\n', "")
    }

    #[test]
    fn admonition_becomes_html_around_dedented_markdown_with_line_map() {
        let body = "x\n\n!!! warning \"Be careful\"\n\n    Body *text*.\n    More.\n\nafter\n";
        let (p, _) = pre(body);
        let lines: Vec<&str> = p.text.lines().collect();
        let body_at = lines.iter().position(|l| *l == "Body *text*.").unwrap();
        assert_eq!(p.map[body_at], (5, 4), "line 5, four columns removed");
        let title = lines.iter().position(|l| *l == "Be careful").unwrap();
        assert_eq!(p.map[title], (3, 13), "the title is at line 3, column 14");
        let after = lines.iter().position(|l| *l == "after").unwrap();
        assert_eq!(p.map[after].0, 8);
        assert_eq!(
            html(body),
            r#"<p>x</p><div class="admonition warning"><p class="admonition-title">Be careful</p><p>Body <em>text</em>.More.</p></div><p>after</p>"#
        );
    }

    /// Python-Markdown's reference processor takes a definition out of any paragraph
    /// (checked against markdown 3.11.3 with attr_list): the links using it render, the
    /// definition never shows.
    #[test]
    fn reference_definitions_inside_paragraphs_are_taken_out() {
        assert_eq!(
            html("para\n[a]: /x \"T\"\nmore\n\n[l][a]"),
            r#"<p>para</p><p>more</p><p><a href="/x" title="T">l</a></p>"#
        );
        assert_eq!(
            html("* item one\n  [l][a]{ .b }\n  [a]: /x\n"),
            r#"<ul><li>item one<a class="b" href="/x">l</a></li></ul>"#
        );
        assert_eq!(
            html("> q\n> [a]: /x\n\n[l][a]"),
            r#"<blockquote><p>q</p></blockquote><p><a href="/x">l</a></p>"#
        );
        assert_eq!(
            html("* a\n    * b\n      [a]: /x\n      c\n\n[l][a]"),
            r#"<ul><li>a<ul><li>bc</li></ul></li></ul><p><a href="/x">l</a></p>"#
        );
    }

    #[test]
    fn details_tabs_and_nesting() {
        let h = html("???+ note\n    inner\n\n    !!! tip \"\"\n        deep\n");
        assert_eq!(
            h,
            r#"<details class="note" open="open"><summary>Note</summary><p>inner</p><div class="admonition tip"><p>deep</p></div></details>"#
        );
        let h = html("=== \"A\"\n    one\n\n=== \"B\"\n    two\n\nout\n");
        assert!(h.contains(r#"data-tabs="1:2""#), "{h}");
        assert!(h.contains(r#"<label for="__tabbed_1_2">B</label>"#));
        assert_eq!(h.matches(r#"<div class="tabbed-block">"#).count(), 2);
        assert!(h.ends_with("</div></div></div><p>out</p>"), "{h}");
    }

    #[test]
    fn variables_everywhere_and_unknown_ones_warned_outside_code() {
        let (p, d) = pre("v{{ ver }} `{{ n.m }}` {{ nope }}\n```\n{{ ver }} {{ x }}\n```\n");
        assert!(p.text.starts_with("v1.2.3 `5` {{ nope }}"), "{}", p.text);
        assert!(p.text.contains("```\n1.2.3 {{ x }}\n```"), "{}", p.text);
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
    fn tabs_in_a_snippet_are_expanded_as_the_page_s_are() {
        // pymdownx includes before Python-Markdown expands tabs: `a   b` in the reference.
        let (_dir, d) = snippets_in(&[("t.md", "```\na\tb\n```\n")]);
        let w = Where {
            source_path: "docs/a.md",
            line_offset: 0,
        };
        let p = preprocess("--8<-- \"t.md\"\n", &d, &w, &mut Vec::new());
        assert!(p.text.contains("```\na   b\n```"), "{:?}", p.text);
    }

    #[test]
    fn block_form_snippets_include_each_file_listed() {
        let (_dir, d) = snippets_in(&[("one.md", "First part.\n"), ("two.md", "Second part.\n")]);
        let mut diags = Vec::new();
        let w = Where {
            source_path: "docs/a.md",
            line_offset: 0,
        };
        let body = "Intro.\n\n--8<--\none.md\n\n;two.md\n  two.md\nmissing.md\n--8<--\n\nEnd.\n\n--8<--\nnot closed\n";
        let p = preprocess(body, &d, &w, &mut diags);
        let first = p.text.find("First part.").expect("one.md included");
        let second = p
            .text
            .find("  Second part.")
            .expect("two.md included at its name's indentation");
        assert!(first < second, "{}", p.text);
        assert_eq!(
            p.text.matches("Second part.").count(),
            1,
            "`;two.md` is commented out"
        );
        assert!(!p.text.contains("one.md"), "{}", p.text);
        assert!(p.text.contains("End."));
        // As in pymdownx, an unclosed block reads file names to the end of the page.
        assert!(!p.text.contains("not closed"), "{}", p.text);
        assert!(!p.text.contains("--8<--"), "{}", p.text);
        let firsts: Vec<String> = diags
            .iter()
            .map(|d| d.to_string().lines().next().unwrap().to_string())
            .collect();
        assert_eq!(
            firsts,
            [
                "docs/a.md:8:1: error: snippet `missing.md` not found",
                "docs/a.md:14:1: error: snippet `not closed` not found"
            ]
        );
    }

    #[test]
    fn snippet_lines_and_sections_are_selected_as_pymdownx_selects_them() {
        let file = "a\n  # --8<-- [start:s]\n  b\n  # ;--8<-- [end:s]\n  # --8<-- [end:s]\nc\n";
        let (_dir, d) = snippets_in(&[("f.py", file)]);
        let d = Dialect {
            snippet_dedent: true,
            ..d
        };
        let w = Where {
            source_path: "docs/a.md",
            line_offset: 0,
        };
        let mut diags = Vec::new();
        let body = "-8<- \"f.py:s\"\n---8<--- 'f.py:6:6'\n--8<-- \"f.py:nope\"\n;--8<-- \"f.py\"\n";
        let p = preprocess(body, &d, &w, &mut diags);
        assert!(
            p.text
                .starts_with("b\n# --8<-- [end:s]\nc\n\n--8<-- \"f.py\""),
            "{}",
            p.text
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            diags[0].to_string().lines().next().unwrap(),
            "docs/a.md:3:1: error: snippet section `nope` not found in `f.py`"
        );
    }

    /// `preprocess` of `body` (as docs/a.md) in a thread that must finish within a
    /// minute: a hang fails the test instead of stalling the suite.
    fn preprocess_within_a_minute(body: &str, d: Dialect) -> (Pre, Vec<Diagnostic>) {
        let body = body.to_string();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut diags = Vec::new();
            let w = Where {
                source_path: "docs/a.md",
                line_offset: 0,
            };
            let p = preprocess(&body, &d, &w, &mut diags);
            let _ = tx.send((p, diags));
        });
        rx.recv_timeout(std::time::Duration::from_secs(60))
            .expect("snippets expanded within a minute")
    }

    fn first_lines(diags: &[Diagnostic]) -> Vec<String> {
        diags
            .iter()
            .map(|d| d.to_string().lines().next().unwrap().to_string())
            .collect()
    }

    #[test]
    fn include_cycles_are_skipped_and_warned_at_their_line() {
        let eight = |name: &str| format!("--8<-- \"{name}\"\n").repeat(8);
        // A snippet that includes itself eight times, twice from the page.
        let (_dir, d) = snippets_in(&[("self.md", &format!("Self text.\n{}", eight("self.md")))]);
        let (p, diags) = preprocess_within_a_minute("--8<-- \"self.md\"\n--8<-- \"self.md\"\n", d);
        assert_eq!(p.text.matches("Self text.").count(), 2, "{}", p.text);
        let lines = first_lines(&diags);
        assert_eq!(lines.len(), 8, "one warning a line: {lines:#?}");
        assert_eq!(
            lines[0],
            "s/self.md:2:1: warning: snippet include cycle: docs/a.md:1 → s/self.md:2 → s/self.md; the include is skipped, as pymdownx does"
        );
        assert!(
            lines[7].starts_with("s/self.md:9:1: warning:"),
            "{}",
            lines[7]
        );
        assert!(diags.iter().all(|d| !d.is_error()));
        // Two snippets that include each other, eight times each; a block-form include.
        let (_dir, d) = snippets_in(&[
            ("a.md", &format!("A text.\n{}", eight("b.md"))),
            (
                "b.md",
                &format!("B text.\n--8<--\n{}--8<--\n", "  a.md\n".repeat(8)),
            ),
        ]);
        let (p, diags) = preprocess_within_a_minute("x\n  --8<-- \"a.md\"\n", d);
        assert_eq!(p.text.matches("A text.").count(), 1, "{}", p.text);
        assert_eq!(p.text.matches("  B text.").count(), 8, "{}", p.text);
        let lines = first_lines(&diags);
        assert_eq!(lines.len(), 8, "{lines:#?}");
        assert!(
            lines[0].starts_with("s/b.md:3:3: warning: snippet include cycle: docs/a.md:2 → s/a.md:2 → s/b.md:3 → s/a.md;"),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn snippets_that_multiply_stop_at_the_budget() {
        // f0 includes f1 eight times, f1 includes f2 eight times … 8^6 copies of the leaf.
        let files: Vec<(String, String)> = (0..6)
            .map(|i| {
                (
                    format!("f{i}.md"),
                    format!("--8<-- \"f{}.md\"\n", i + 1).repeat(8),
                )
            })
            .chain([("f6.md".to_string(), "Leaf.\n".to_string())])
            .collect();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let (_dir, d) = snippets_in(&refs);
        let (p, diags) = preprocess_within_a_minute("--8<-- \"f0.md\"\n", d);
        let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{diags:#?}");
        let first = errors[0].to_string();
        assert!(
            first.contains("error: more than 10000 snippet includes in docs/a.md (docs/a.md:1 → s/f0.md:1 → s/f1.md:"),
            "{first}"
        );
        assert!(p.text.matches("Leaf.").count() < 10_000);
        // Text: a 1 MiB snippet included 40 times passes 32 MiB.
        let big = "x".repeat(1023) + "\n";
        let (_dir, d) = snippets_in(&[("big.md", &big.repeat(1024))]);
        let (_, diags) = preprocess_within_a_minute(&"--8<-- \"big.md\"\n".repeat(40), d);
        let lines = first_lines(&diags);
        assert_eq!(
            lines,
            ["docs/a.md:33:1: error: snippets add more than 32 MiB to docs/a.md (docs/a.md:33 → s/big.md)"]
        );
    }

    #[test]
    fn problems_inside_a_snippet_are_placed_in_the_snippet() {
        let (_dir, d) = snippets_in(&[("outer.md", "text\n  --8<-- \"gone.md\"\n")]);
        let (_, diags) = preprocess_within_a_minute("    --8<-- \"outer.md\"\n", d);
        assert_eq!(
            first_lines(&diags),
            ["s/outer.md:2:3: error: snippet `gone.md` not found"]
        );
    }

    fn render(md: &str) -> crate::markdown::RenderedMarkdown {
        let mut d = Dialect {
            math: true,
            ..dialect()
        };
        d.inline.arithmatex.generic = true;
        crate::markdown::tests::render_dialect(md, &d, 2)
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
            html.contains(r#"<p class="wide" id="p1">A para</p>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<td class="cell" style="text-align: right;">c</td>"#),
            "{html}"
        );
        assert!(html.contains(r#"id="custom""#), "{html}");
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

#[cfg(test)]
mod footnote_tests {
    use super::*;

    fn render(md: &str, footnotes: bool) -> String {
        let d = Dialect {
            enabled: true,
            footnotes: footnotes.then(Default::default),
            ..Dialect::default()
        };
        crate::markdown::tests::render_dialect(md, &d, 0).html
    }

    #[test]
    fn footnotes_only_with_the_extension_as_python_markdown_reads_them() {
        let md = "a[^1]\n\n[^1]: https://x.example/\n";
        assert_eq!(
            render(md, false),
            "<p>a<a href=\"https://x.example/\">^1</a></p>\n"
        );
        let html = render(md, true);
        assert!(
            html.starts_with(
                r##"<p>a<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>"##
            ),
            "{html}"
        );
        assert!(html.contains(r#"<div class="footnote">"#), "{html}");
    }
}
