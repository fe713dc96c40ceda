//! `pymdownx.tabbed` content tabs (`=== "Title"`), and the tab-set HTML that
//! `pymdownx.blocks.tab` writes the same way.

use super::out::Out;
use super::{indent_of, indented_body, is_blank, walk, Ctx, Line};

/// One tab of a set: its title (inline Markdown at `title_col` of `origin`), whether it is
/// the one `+` selects, and its rewritten body.
pub(super) struct Tab {
    pub origin: Line,
    pub title: String,
    pub title_col: usize,
    pub select: bool,
    pub body: Vec<Line>,
}

/// `=== "Title"` with its flags (`+`: selected, `!`: starts a new set), or None.
fn parse(t: &str) -> Option<(bool, bool, usize, &str)> {
    let rest = t.strip_prefix("===")?;
    let flags = rest.len() - rest.trim_start_matches(['+', '!']).len();
    let (flag, rest) = rest.split_at(flags);
    if !matches!(flag, "" | "+" | "!" | "+!" | "!+") {
        return None;
    }
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    let quoted = rest[spaces..].trim_end_matches(' ');
    if spaces == 0 || quoted.len() < 2 || !quoted.starts_with('"') || !quoted.ends_with('"') {
        return None;
    }
    let at = 3 + flags + spaces + 1;
    Some((
        flag.contains('+'),
        flag.contains('!'),
        at,
        &quoted[1..quoted.len() - 1],
    ))
}

/// A set of content tabs starting at line `i`: this `===` tab and the ones after it at the
/// same indentation (blank lines between), up to one with `!`.
pub(super) fn try_block(
    lines: &[Line],
    i: usize,
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> Option<usize> {
    if !cx.d.tabbed {
        return None;
    }
    let indent = indent_of(&lines[i].text);
    parse(&lines[i].text[indent..])?;
    // Sets are numbered in the order they start, outer before inner.
    cx.tab_sets += 1;
    let n = cx.tab_sets;
    let mut tabs = Vec::new();
    let mut next = i;
    loop {
        let line = &lines[next];
        let Some((select, _, at, title)) = parse(&line.text[indent..]) else {
            break;
        };
        let (body, after) = indented_body(lines, next + 1, indent);
        tabs.push(Tab {
            origin: line.clone(),
            title: title.to_string(),
            title_col: indent + at + 1,
            select,
            body: walk(body, cx),
        });
        next = after;
        let mut j = after;
        while j < lines.len() && is_blank(&lines[j].text) {
            j += 1;
        }
        let goes_on = lines
            .get(j)
            .filter(|l| indent_of(&l.text) == indent)
            .and_then(|l| parse(&l.text[indent..]))
            .is_some_and(|(_, new_set, ..)| !new_set);
        if !goes_on {
            break;
        }
        next = j;
    }
    write_set(out, indent, n, tabs, cx.d.blocks.tabbed_alternate);
    Some(next)
}

/// The HTML of tab set number `n` (`__tabbed_N_M` ids) at `pad` columns.
pub(super) fn write_set(out: &mut Out, pad: usize, n: usize, tabs: Vec<Tab>, alternate: bool) {
    let count = tabs.len();
    let selected = tabs.iter().rposition(|t| t.select).unwrap_or(0);
    let input = |k: usize| {
        let checked = if k == selected {
            r#" checked="checked""#
        } else {
            ""
        };
        format!(
            r#"<input{checked} id="__tabbed_{n}_{}" name="__tabbed_{n}" type="radio" />"#,
            k + 1
        )
    };
    let label = |k: usize| format!(r#"<label for="__tabbed_{n}_{}">"#, k + 1);
    let set_class = if alternate {
        "tabbed-set tabbed-alternate"
    } else {
        "tabbed-set"
    };
    let first = tabs[0].origin.clone();
    let mut html = out.html(&first, pad);
    html.tag(&format!(
        r#"<div class="{set_class}" data-tabs="{n}:{count}">"#
    ));
    if alternate {
        for k in 0..count {
            html.tag(&input(k));
        }
        html.tag(r#"<div class="tabbed-labels">"#);
        for (k, t) in tabs.iter().enumerate() {
            html.tag(&label(k))
                .inline_at(&t.origin, &t.title, t.title_col)
                .tag("</label>");
        }
        html.tag(r#"</div><div class="tabbed-content">"#);
        for t in tabs {
            html.tag(r#"<div class="tabbed-block">"#)
                .body(t.body, false)
                .tag("</div>");
        }
        html.tag("</div>");
    } else {
        for (k, t) in tabs.into_iter().enumerate() {
            html.tag(&input(k)).tag(&label(k));
            html.inline_at(&t.origin, &t.title, t.title_col);
            html.tag(r#"</label><div class="tabbed-content">"#)
                .body(t.body, false)
                .tag("</div>");
        }
    }
    html.tag("</div>").end();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_markers() {
        assert_eq!(parse("=== \"A\""), Some((false, false, 5, "A")));
        assert_eq!(parse("===+! \"B c\"  "), Some((true, true, 7, "B c")));
        assert_eq!(parse("===\"A\""), None);
        assert_eq!(parse("=== A"), None);
        assert_eq!(parse("===? \"A\""), None);
    }
}
