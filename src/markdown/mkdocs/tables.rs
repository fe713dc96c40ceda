//! Tables as Python-Markdown's `tables` extension writes them: the alignment is a
//! `style="text-align: left;"` (with its `;`; `align="left"` with `use_align_attribute`), and a table without body rows gets one
//! row of empty cells (unaligned). Pipes inside code spans of a table row stay in the code (see
//! [`protect_code_pipes`], run by the pre-pass), as Python-Markdown splits cells.

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd};

type Events<'a> = Vec<(Event<'a>, usize)>;

/// A column's alignment as an attribute: `style="text-align: …;"`, or `align="…"` when
/// `use_align_attribute` asks for the legacy attribute; nothing for an unaligned one.
pub(super) fn align_attr(a: Option<&Alignment>, legacy: bool) -> Option<(&'static str, String)> {
    let side = match a {
        Some(Alignment::Left) => "left",
        Some(Alignment::Center) => "center",
        Some(Alignment::Right) => "right",
        _ => return None,
    };
    Some(match legacy {
        true => ("align", side.to_string()),
        false => ("style", format!("text-align: {side};")),
    })
}

fn cell(tag: &str, a: Option<&Alignment>, legacy: bool) -> String {
    match align_attr(a, legacy) {
        Some((name, value)) => format!(r#"<{tag} {name}="{value}">"#),
        None => format!("<{tag}>"),
    }
}

/// The cells' start tags written with Python-Markdown's style (cells the attribute list
/// pass already wrote are left as they are), and an empty row in a table without any.
pub(super) fn events(events: Events<'_>, align_attribute: bool) -> Events<'_> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::Table(_))))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut aligns: Vec<Alignment> = Vec::new();
    let (mut in_head, mut column, mut rows) = (false, 0, 0);
    for (event, at) in events {
        match &event {
            Event::Start(Tag::Table(a)) => (aligns, rows) = (a.clone(), 0),
            Event::Start(Tag::TableHead) => (in_head, column) = (true, 0),
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => (column, rows) = (0, rows + 1),
            Event::End(TagEnd::TableCell) => column += 1,
            Event::Start(Tag::TableCell) => {
                let tag = if in_head { "th" } else { "td" };
                out.push((
                    Event::Html(CowStr::from(cell(tag, aligns.get(column), align_attribute))),
                    at,
                ));
                continue;
            }
            Event::End(TagEnd::Table) if rows == 0 => {
                // Python-Markdown's empty row has no alignment.
                let cells = "<td></td>".repeat(aligns.len().max(1));
                out.push((Event::Html(CowStr::from(format!("<tr>{cells}</tr>\n"))), at));
            }
            _ => {}
        }
        out.push((event, at));
    }
    out
}

/// The pre-pass's part: in each table (a header row, a delimiter row and the rows after
/// them up to a blank line; fenced code skipped) pipes inside code spans are escaped.
pub(super) fn protect_pipes(lines: &mut [super::Line]) {
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].text.trim_start();
        if let Some(fence) = super::fence_open(t) {
            let close = (i + 1..lines.len()).find(|&j| super::fence_closes(&lines[j].text, fence));
            i = close.map_or(lines.len(), |c| c + 1);
            continue;
        }
        if i + 1 < lines.len()
            && lines[i].text.contains('|')
            && is_delimiter_row(&lines[i + 1].text)
        {
            let end = (i + 2..lines.len())
                .find(|&j| super::is_blank(&lines[j].text))
                .unwrap_or(lines.len());
            for line in lines[i..end].iter_mut() {
                if let Some(new) = protect_code_pipes(&line.text) {
                    line.shift -= (new.len() - line.text.len()) as isize;
                    line.text = new;
                }
            }
            borders(&mut lines[i..end]);
            i = end;
            continue;
        }
        i += 1;
    }
}

/// Python-Markdown's reading of a table's edges where GFM's differs: without a pipe
/// before the header, a row's leading pipe starts an empty first cell; a one-column
/// table needs a pipe in every row, or it is no table (its delimiter row escaped).
fn borders(table: &mut [super::Line]) {
    let border = table[0].text.trim_start().starts_with('|');
    if !border {
        for line in table[2..].iter_mut() {
            if let Some(at) = line
                .text
                .find(|c: char| c != ' ')
                .filter(|&at| line.text[at..].starts_with('|'))
            {
                line.text.insert(at, '|');
                line.shift -= 1;
            }
        }
    }
    let one_column = !table[1].text.trim().trim_matches('|').contains('|');
    if one_column && table[2..].iter().any(|l| !l.text.contains('|')) {
        let delimiter = &mut table[1];
        delimiter.shift -= delimiter.text.matches('|').count() as isize;
        delimiter.text = delimiter.text.replace('|', "\\|");
    }
}

/// `| :--- | ---: |`: cells of dashes with optional colons, with at least one pipe.
fn is_delimiter_row(line: &str) -> bool {
    let t = line.trim();
    t.contains('|')
        && t.contains('-')
        && t.trim_matches('|').split('|').all(|c| {
            let c = c.trim();
            let c = c.strip_prefix(':').unwrap_or(c);
            let c = c.strip_suffix(':').unwrap_or(c);
            !c.is_empty() && c.bytes().all(|b| b == b'-')
        })
}

/// In a table row (a line with `|`), `|` inside a code span becomes `\|`, which the
/// table parser reads as a pipe of the cell's text: Python-Markdown does not split
/// cells inside code. A backslash outside code escapes the next character.
pub(super) fn protect_code_pipes(line: &str) -> Option<String> {
    if !line.contains('`') || !line.contains('|') {
        return None;
    }
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 4);
    let (mut i, mut changed) = (0, false);
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => {
                let next = i + 1 + utf8_len(b[i + 1]);
                out.push_str(&line[i..next]);
                i = next;
            }
            b'`' => {
                let n = b[i..].iter().take_while(|&&c| c == b'`').count();
                let Some(close) = closing_run(b, i + n, n) else {
                    out.push_str(&line[i..i + n]);
                    i += n;
                    continue;
                };
                let code = &line[i + n..close];
                changed |= code.contains('|');
                out.push_str(&line[i..i + n]);
                out.push_str(&code.replace('|', "\\|"));
                out.push_str(&line[close..close + n]);
                i = close + n;
            }
            _ => {
                let next = i + utf8_len(b[i]);
                out.push_str(&line[i..next]);
                i = next;
            }
        }
    }
    changed.then_some(out)
}

/// Where a run of exactly `n` backticks starts at or after `from`.
fn closing_run(b: &[u8], from: usize, n: usize) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        if b[i] == b'`' {
            let m = b[i..].iter().take_while(|&&c| c == b'`').count();
            if m == n {
                return Some(i);
            }
            i += m;
        } else {
            i += 1;
        }
    }
    None
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_align_attribute_writes_the_legacy_attribute() {
        let yml = "site_name: x\nmarkdown_extensions:\n  - attr_list\n  - tables:\n      use_align_attribute: true\n";
        let d = crate::markdown::mkdocs::testing::dialect_from_yml(yml);
        let md = "| a | b {: .c } | c |\n|:--|:-:|---|\n| 1 | 2 | 3 |\n";
        let html = crate::markdown::tests::render_dialect(md, &d, 0).html;
        for cell in [
            r#"<th align="left">a</th>"#,
            r#"<th align="center" class="c">b</th>"#,
            "<th>c</th>",
            r#"<td align="left">1</td>"#,
            r#"<td align="center">2</td>"#,
            "<td>3</td>",
        ] {
            assert!(html.contains(cell), "{cell} in {html}");
        }
    }

    #[test]
    fn pipes_in_code_spans_are_escaped_and_escaped_backticks_open_none() {
        let p = |l: &str| protect_code_pipes(l);
        assert_eq!(
            p("word 1 | `word |2` | w").as_deref(),
            Some(r"word 1 | `word \|2` | w")
        );
        assert_eq!(
            p("w |`` some | code `` | m").as_deref(),
            Some(r"w |`` some \| code `` | m")
        );
        assert_eq!(p(r"w | \`word 2 | w"), None);
        assert_eq!(p("w | `word 2 | w"), None);
    }
}
