//! `def_list` definition lists (`Term` then `: definition`) as Python-Markdown reads them,
//! and `abbr` definition lines (`*[HTML]: Hyper Text Markup Language`), which the block
//! pass turns into markers for the event pass.

use super::out::{OpenList, Out};
use super::{indent_of, is_blank, walk, Ctx, Line};
use crate::markdown::mkdocs::abbr;

/// An abbreviation definition at line `i` (its title may be on the next line).
pub(super) fn try_abbr(lines: &[Line], i: usize, cx: &mut Ctx<'_>, out: &mut Out) -> Option<usize> {
    if !cx.d.blocks.abbr {
        return None;
    }
    let line = &lines[i];
    let (name, title) = abbr::definition(&line.text)?;
    let (title, next) = match title {
        Some(t) => (t.to_string(), i + 1),
        None => {
            let t = lines.get(i + 1).map(|l| l.text.trim())?;
            (t.to_string(), i + 2)
        }
    };
    if name.is_empty() || title.is_empty() {
        return None;
    }
    out.other();
    out.lines.push(line.derived(abbr::marker(name, &title)));
    Some(next)
}

/// `: definition` (up to three spaces before the colon past `base`, the column of the
/// container it is in, one to three after): its text and the byte column of the text.
fn definition_start(t: &str, base: usize) -> Option<(&str, usize)> {
    let indent = indent_of(t);
    let rest = t[indent..].strip_prefix(':')?;
    let spaces = (rest.len() - rest.trim_start_matches(' ').len()).min(3);
    if !(base..base + 4).contains(&indent) || spaces == 0 {
        return None;
    }
    // Trailing spaces are kept: two before a continuation line make a line break.
    Some((&rest[spaces..], indent + 1 + spaces))
}

/// The body of a definition starting at line `i`: its first line's text, the rest of the
/// block (lazy lines, or lines indented by four), then the indented blocks after it.
/// Returns the body, whether blocks came after blank lines, and the next line. `base`: the
/// column of the container the definition is in (a list item's content, or 0); `blocks`:
/// whether indented blocks after it are the definition's.
fn definition_body(
    lines: &[Line],
    i: usize,
    (text, at): (&str, usize),
    (base, blocks): (usize, bool),
) -> (Vec<Line>, bool, usize) {
    let first = &lines[i];
    let mut head = first.derived(text.to_string());
    head.shift = first.shift + at as isize;
    let mut body = vec![head];
    let mut j = i + 1;
    let lazy = lines.get(j).is_some_and(|l| {
        let t = &l.text;
        !is_blank(t) && indent_of(t) <= base + 3 && !t.trim_start().starts_with(':')
    });
    while j < lines.len() && !is_blank(&lines[j].text) {
        if !lazy && indent_of(&lines[j].text) < base + 4 {
            return (body, false, j);
        }
        body.push(super::dedent(&lines[j], base + if lazy { 0 } else { 4 }));
        j += 1;
    }
    if !blocks {
        return (body, false, j);
    }
    let (more, next) = super::indented_body(lines, j, base);
    if more.iter().all(|l| l.text.is_empty()) {
        return (body, false, j);
    }
    body.push(first.derived(String::new()));
    body.extend(more.into_iter().skip_while(|l| l.text.is_empty()));
    (body, true, next)
}

/// A definition at line `i`: its terms are the paragraph before it.
pub(super) fn try_block(
    lines: &[Line],
    i: usize,
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> Option<usize> {
    if !cx.d.blocks.def_list {
        return None;
    }
    let line = &lines[i];
    // In a list item Python-Markdown reads the item's blocks from its content column.
    let base = super::item_column(lines, i).unwrap_or(0);
    let start = definition_start(&line.text, base)?;
    let (terms, list, loose) = if let Some((terms, list)) = out.take_open_paragraph() {
        (terms, list, false)
    } else if let Some((terms, list)) = out.take_last_paragraph() {
        (terms, list, true)
    } else if let Some(list) = out.open_list() {
        (Vec::new(), Some(list), list.last_loose)
    } else {
        return None;
    };
    // In an item of a list at this level, Python-Markdown's own list indent processor
    // reads the blocks after the definition: it does not see through `<dl>`, so they are
    // the item's (where four more spaces make code). In a definition's body `def_list`'s
    // processor reads them, and they are the definition's.
    let blocks = base == 0 || cx.in_definition;
    let (body, more, next) = definition_body(lines, i, start, (base, blocks));
    let tight = !loose && !more;
    cx.definition_next = true;
    let body = walk(body, cx);
    if let Some(list) = list {
        out.reopen(list);
    }
    let mut html = out.html(line, base);
    if list.is_none() {
        html.tag("<dl>");
    }
    for term in terms.iter().filter(|t| !is_blank(&t.text)) {
        let indent = indent_of(&term.text);
        html.tag("<dt>")
            .inline_at(term, term.text.trim(), indent + 1)
            .tag("</dt>");
    }
    html.tag("<dd>").body(body, tight).tag("</dd>");
    let close = html.close_with("</dl>");
    out.last = super::out::Last::DefList(OpenList {
        close,
        last_loose: !tight,
    });
    Some(next)
}

#[cfg(test)]
mod shapes;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definition_lines() {
        assert_eq!(definition_start(": a b", 0), Some(("a b", 2)));
        assert_eq!(definition_start("   :   x", 0), Some(("x", 7)));
        assert_eq!(definition_start(":x", 0), None);
        assert_eq!(definition_start(":     x", 0), Some(("  x", 4)));
        assert_eq!(definition_start("    : x", 0), None);
    }
}
