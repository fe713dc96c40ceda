//! Block-level extensions of the pre-pass. The driver here walks the lines of one level
//! (the page, or the dedented body of a block); a line that starts a construct one of the
//! submodules knows is handed to it, which consumes the construct's lines and writes HTML
//! around its Markdown body (itself walked again, one level deeper). Other lines are
//! copied.
//!
//! - `admonition`: `!!!` admonitions and `???` collapsible blocks;
//! - `tabbed`: `===` content tabs (and the tab-set HTML `///  tab` shares);
//! - `deflist`: `def_list` definition lists; `abbr` definitions are read here too;
//! - `generic`: `pymdownx.blocks` (`/// name | argument`);
//! - `mdhtml`: `md_in_html` (`<div markdown>`);
//! - `rawhtml` (with `htmlscan`): raw HTML blocks as Python-Markdown reads them;
//! - `out`: the output lines, what the last block was, and the HTML writer they share.

mod admonition;
mod deflist;
mod generic;
mod htmlscan;
mod item_html;
mod level;
mod mdhtml;
mod out;
mod rawhtml;
mod tabbed;

use super::{fence_closes, fence_open, indent_of, is_blank, Dialect, Line};
pub use generic::{BlockKind, BlockType, GenericBlocks};
use out::Out;

/// Block extensions a project enabled, beyond `admonition`, `pymdownx.details` and
/// `pymdownx.tabbed` (which `Dialect` has of old), with their options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extensions {
    pub def_list: bool,
    pub abbr: bool,
    /// `abbr`'s `glossary`: abbreviations every page has before its own definitions.
    pub abbr_glossary: Vec<(String, String)>,
    /// `tables`' `use_align_attribute`: a cell's alignment as `align="left"`, not a style.
    pub tables_align_attribute: bool,
    pub md_in_html: bool,
    /// `pymdownx.saneheaders`: `#Title` (no space) is not a heading in titles.
    pub saneheaders: bool,
    /// `sane_lists`: ordered and bullet items do not continue each other's lists, and an
    /// ordered list keeps its first number.
    pub sane_lists: bool,
    /// `pymdownx.tabbed`'s `alternate_style`.
    pub tabbed_alternate: bool,
    /// `pymdownx.snippets`' `auto_append`: files appended to every page (glossaries).
    pub snippet_auto_append: Vec<String>,
    /// `pymdownx.quotes` is listed (not rendered): it keeps quotes parted by blank lines
    /// apart, so they are not joined as Python-Markdown's own quotes are.
    pub separate_quotes: bool,
    /// `pymdownx.blocks.*`.
    pub generic: GenericBlocks,
}

/// Deeper nesting than this is left as written (hostile input must not exhaust the stack).
const MAX_BLOCK_DEPTH: usize = 32;

/// What the walk keeps for the whole page: the dialect and the tab-set counters.
pub(super) struct Ctx<'d> {
    pub d: &'d Dialect,
    /// `pymdownx.tabbed`'s sets so far (their ids are `__tabbed_N_M`).
    pub tab_sets: usize,
    /// `pymdownx.blocks.tab`'s, counted apart as pymdownx does.
    pub block_tab_sets: usize,
    pub depth: usize,
    /// The text of the level being walked when raw HTML blocks are read there (the page,
    /// an `md_in_html` body), see `rawhtml`.
    pub raw: Option<level::Joined>,
    /// Whether the next level walked reads raw HTML blocks, and which level it is.
    pub raw_next: Option<level::Level>,
    /// Walking the body of a `/// html` block whose content is inline: Python-Markdown
    /// stashed its raw HTML whole before, so `md_in_html` reads none of it.
    pub inline_body: bool,
    /// The level being walked is a definition's body (`deflist`): Python-Markdown's
    /// `def_list` indent processor, which sees through `<dl>`, reads its blocks.
    pub in_definition: bool,
    /// The next level walked is a definition's body.
    pub definition_next: bool,
}

/// The page's lines with every block construct rewritten.
pub(super) fn run(lines: Vec<Line>, d: &Dialect) -> Vec<Line> {
    let mut cx = Ctx {
        d,
        tab_sets: 0,
        block_tab_sets: 0,
        depth: 0,
        raw: None,
        raw_next: Some(level::Level::Page),
        inline_body: false,
        in_definition: false,
        definition_next: false,
    };
    walk(lines, &mut cx)
}

/// One level: the constructs in `lines` rewritten, nested ones included.
pub(super) fn walk(lines: Vec<Line>, cx: &mut Ctx<'_>) -> Vec<Line> {
    if cx.depth > MAX_BLOCK_DEPTH {
        return lines;
    }
    cx.depth += 1;
    let raw = cx
        .raw_next
        .take()
        .map(|level| level::Joined::new(&lines, level));
    let outer = std::mem::replace(&mut cx.raw, raw);
    let definition = std::mem::take(&mut cx.definition_next);
    let outer_definition = std::mem::replace(&mut cx.in_definition, definition);
    let mut out = Out::with_capacity(lines.len() + 8);
    let mut i = 0;
    while i < lines.len() {
        i = step(&lines, i, cx, &mut out);
    }
    cx.raw = outer;
    cx.in_definition = outer_definition;
    cx.depth -= 1;
    out.finish()
}

/// Handles the construct starting at line `i` (or copies the line); returns the next line.
fn step(lines: &[Line], i: usize, cx: &mut Ctx<'_>, out: &mut Out) -> usize {
    let line = &lines[i];
    if is_blank(&line.text) {
        out.blank(line);
        return i + 1;
    }
    let indent = indent_of(&line.text);
    let t = &line.text[indent..];
    if let Some(f) = fence_open(t) {
        return copy_fence(lines, i, f, out);
    }
    if t == super::markers::RAW_OPEN {
        return copy_until_blank(lines, i, out);
    }
    if !may_start_block(lines, i, indent) {
        return copy_text(lines, i, cx, out);
    }
    let handlers: [Handler; 8] = [
        item_html::try_block,
        mdhtml::try_block,
        rawhtml::try_block,
        admonition::try_block,
        tabbed::try_block,
        generic::try_block,
        deflist::try_abbr,
        deflist::try_block,
    ];
    for handler in handlers {
        if let Some(next) = handler(lines, i, cx, out) {
            return next;
        }
    }
    copy_text(lines, i, cx, out)
}

/// Line `i`, which starts no construct, copied (see `level::Joined::read_as_text`).
fn copy_text(lines: &[Line], i: usize, cx: &mut Ctx<'_>, out: &mut Out) -> usize {
    out.copy(&lines[i]);
    if let Some(j) = cx.raw.as_mut() {
        j.read_as_text(j.starts[i]);
    }
    i + 1
}

/// A construct's handler: given the line it may start at, the index after it, or None
/// (nothing written) when the line does not start one.
type Handler = fn(&[Line], usize, &mut Ctx<'_>, &mut Out) -> Option<usize>;

/// A fenced code block, copied as it is.
fn copy_fence(lines: &[Line], mut i: usize, f: (char, usize), out: &mut Out) -> usize {
    // A fence four columns deeper than the opening one is code, not the end (an example
    // of nested fences inside a fence), for superfences and CommonMark alike.
    let deepest = indent_of(&lines[i].text) + 3;
    out.copy(&lines[i]);
    i += 1;
    while i < lines.len() {
        out.copy(&lines[i]);
        i += 1;
        let t = &lines[i - 1].text;
        if indent_of(t) <= deepest && fence_closes(t, f) {
            break;
        }
    }
    i
}

/// A raw HTML block the HTML pass marked (it has no blank line inside).
fn copy_until_blank(lines: &[Line], mut i: usize, out: &mut Out) -> usize {
    out.other();
    while i < lines.len() && !is_blank(&lines[i].text) {
        out.copy(&lines[i]);
        i += 1;
    }
    out.other();
    i
}

/// Whether a block may start at line `i`, indented by `indent`: up to three spaces, or
/// more inside a list item (the nearest less indented list item above, past the item's
/// own indented paragraph lines, is one whose content starts at or before `indent`).
/// Elsewhere four spaces make code.
fn may_start_block(lines: &[Line], i: usize, indent: usize) -> bool {
    if indent < 4 {
        return true;
    }
    for line in lines[..i].iter().rev() {
        if is_blank(&line.text) {
            continue;
        }
        let above = indent_of(&line.text);
        if above < indent {
            match list_content_column(&line.text) {
                Some(c) => return c <= indent,
                // A paragraph line of an item (`  more text`): the item is further up.
                None if above > 0 => continue,
                None => return false,
            }
        }
    }
    false
}

/// The column Python-Markdown reads the blocks of the list item line `i` is in from (it
/// dedents an item's blocks by four spaces per level: `- a` at 0 or `    - b` at 4 give
/// 4 and 8), when line `i` is indented by four or more and such an item is above it.
pub(super) fn item_column(lines: &[Line], i: usize) -> Option<usize> {
    let indent = indent_of(&lines[i].text);
    if indent < 4 {
        return None;
    }
    for (k, line) in lines[..i].iter().enumerate().rev() {
        let above = indent_of(&line.text);
        if is_blank(&line.text) || above >= indent {
            continue;
        }
        // An item only in a block that starts with one (`text\n    - b` is a paragraph).
        let start = lines[..k]
            .iter()
            .rposition(|l| is_blank(&l.text))
            .map_or(0, |b| b + 1);
        match list_content_column(&line.text) {
            Some(_) if list_content_column(&lines[start].text).is_some() => {
                return Some(above / 4 * 4 + 4)
            }
            Some(_) => return None,
            // A paragraph line of an item (`  more text`): the item is further up.
            None if above > 0 => continue,
            None => return None,
        }
    }
    None
}

/// The column a list item's content starts at (`- a`: 2, `10. b`: 4), or None when the
/// line is no list item.
pub(super) fn list_content_column(text: &str) -> Option<usize> {
    let indent = indent_of(text);
    let t = &text[indent..];
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = if digits > 0 {
        let rest = &t[digits..];
        (rest.starts_with(['.', ')'])).then_some(digits + 1)?
    } else if t.starts_with(['-', '*', '+']) {
        1
    } else {
        return None;
    };
    let rest = &t[marker..];
    if rest.is_empty() {
        return Some(indent + marker + 1);
    }
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    (spaces > 0).then_some(indent + marker + spaces.min(4))
}

/// `lines` (a body read without its indentation) put back at `pad` columns.
pub(super) fn indent_by(lines: Vec<Line>, pad: usize) -> Vec<Line> {
    if pad == 0 {
        return lines;
    }
    let spaces = " ".repeat(pad);
    lines
        .into_iter()
        .map(|l| {
            if l.text.is_empty() {
                l
            } else {
                Line {
                    text: format!("{spaces}{}", l.text),
                    src: l.src,
                    shift: l.shift - pad as isize,
                }
            }
        })
        .collect()
}

/// The body of a block whose marker line is indented by `indent`: from line `from`, the
/// lines that are blank or indented by four more, without the trailing blank ones, read
/// without their indentation. Returns them and the index after them.
pub(super) fn indented_body(lines: &[Line], from: usize, indent: usize) -> (Vec<Line>, usize) {
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
        .map(|l| dedent(l, indent + 4))
        .collect();
    (body, last_content)
}

/// `line` without its first `n` columns (a blank line becomes empty).
pub(super) fn dedent(line: &Line, n: usize) -> Line {
    if is_blank(&line.text) {
        return Line {
            text: String::new(),
            src: line.src,
            shift: 0,
        };
    }
    let n = n.min(indent_of(&line.text));
    Line {
        text: line.text[n..].to_string(),
        src: line.src,
        shift: line.shift + n as isize,
    }
}

/// Python's `str.title()`: each run of letters starts upper case, the rest lower.
pub(super) fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut after_letter = false;
    for c in s.chars() {
        if after_letter {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        after_letter = c.is_alphabetic();
    }
    out
}

/// Python's `str.capitalize()`: the first character upper case, the rest lower.
pub(super) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        Line::numbered(text)
    }

    #[test]
    fn blocks_start_at_three_spaces_or_inside_list_items() {
        let l = lines("para\n\n    code\n- item\n\n    inside\n10. x\n\n     deep");
        assert!(may_start_block(&l, 0, 0));
        assert!(!may_start_block(&l, 2, 4));
        assert!(may_start_block(&l, 5, 4));
        assert!(may_start_block(&l, 8, 5));
        assert_eq!(list_content_column("  - a"), Some(4));
        assert_eq!(list_content_column("1) a"), Some(3));
        assert_eq!(list_content_column("-a"), None);
    }

    #[test]
    fn a_fence_indented_four_columns_deeper_does_not_close_the_fence() {
        let text = "```\n    ``` c\n    x\n    ```\n\n=== \"D\"\n    y\n```\n";
        let d = Dialect {
            tabbed: true,
            ..Dialect::default()
        };
        let out: Vec<String> = run(Line::numbered(text), &d)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(out.join("\n"), text, "all of it is code");
    }

    #[test]
    fn a_block_in_a_list_item_after_the_items_paragraph_lines() {
        let text = "- item\n  more text:\n\n    !!! note\n        body\n";
        let lines = Line::numbered(text);
        assert!(may_start_block(&lines, 3, 4), "the item's block");
        let text = "para\n  more text:\n\n    !!! note\n";
        assert!(
            !may_start_block(&Line::numbered(text), 3, 4),
            "code, not in an item"
        );
    }

    #[test]
    fn python_title_and_capitalize() {
        assert_eq!(title_case("custom2x my-type"), "Custom2X My-Type");
        assert_eq!(capitalize("nOTE"), "Note");
    }

    #[test]
    fn bodies_are_read_without_their_indentation() {
        let l = lines("!!! note\n    a\n\n        b\n\nafter");
        let (body, next) = indented_body(&l, 1, 0);
        let texts: Vec<&str> = body.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "", "    b"]);
        assert_eq!((body[0].shift, next), (4, 4));
        let back = indent_by(body, 2);
        assert_eq!((back[0].text.as_str(), back[0].shift), ("  a", 2));
    }
}
