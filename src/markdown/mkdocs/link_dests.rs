//! Inline link and image destinations as Python-Markdown reads them. Its
//! `LinkInlineProcessor.getLink` takes spaces in a URL (`[a](http://x.org/Dawn of War)`),
//! unbalanced parentheses (`[a](http://x.org/( "t")`) and a title glued to the URL
//! (`[a](/x"t")`, `[a](/x'"t")`), where CommonMark reads no link or another URL. Such a
//! destination is rewritten to the CommonMark form of what Python-Markdown reads,
//! `(<href> "title")`; destinations CommonMark reads the same way stay as written.
//! Its reference links also take one space between the brackets (`[text] [id]`) when
//! `id` is defined: the space goes.

use std::collections::HashSet;

use super::Line;

/// Python-Markdown's backslash escapes (`markdown.Markdown.ESCAPED_CHARS`).
const ESCAPED: &str = "\\`*_{}[]()>#+-.!";

/// A destination to rewrite: line, byte range of `(…)`, the CommonMark form.
type Edit = (usize, std::ops::Range<usize>, String);

/// Rewrites the link destinations of `lines` pulldown-cmark would read otherwise.
pub(super) fn normalize(lines: &mut [Line]) {
    let mut edits: Vec<Edit> = Vec::new();
    let mut labels = None;
    for (i, line) in lines.iter().enumerate() {
        if line.text.contains("](") || line.text.contains("] [") {
            let labels = labels.get_or_insert_with(|| defined(lines));
            let found = line_edits(&line.text, labels);
            edits.extend(found.into_iter().map(|(r, s)| (i, r, s)));
        }
    }
    if edits.is_empty() {
        return;
    }
    let code = code_ranges(lines);
    for (i, range, with) in edits.into_iter().rev() {
        if code
            .iter()
            .any(|(l, r)| *l == i && r.contains(&range.start))
        {
            continue;
        }
        // Columns after the edit move a little; a line keeps one shift (its start's).
        lines[i].text.replace_range(range, &with);
    }
}

/// The rewrites one line needs: the byte range of each `(…)` and its CommonMark form.
fn line_edits(text: &str, labels: &HashSet<String>) -> Vec<(std::ops::Range<usize>, String)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let cs: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut edits = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        if cs[i] == '\\' {
            i += 2;
            continue;
        }
        if cs[i] == '[' {
            if let Some(close) = text_end(&cs, i + 1) {
                if let Some(space) = spaced_reference(&cs, close, labels) {
                    edits.push((byte(space)..byte(space + 1), String::new()));
                } else if cs.get(close) == Some(&'(') {
                    if let Some((href, title, end)) = get_link(&cs, close + 1) {
                        let written: String = cs[close..end].iter().collect();
                        let form = commonmark(&href, title.as_deref());
                        if !same(&written, &form) {
                            edits.push((byte(close)..byte(end), form));
                        }
                    }
                }
            }
        }
        i += 1;
    }
    edits
}

/// Where the space of `[text] [id]` is, when `close` is past the first `]`, one space
/// and a `[id]` follow and `id` is defined (`ReferenceInlineProcessor.RE_LINK`).
fn spaced_reference(cs: &[char], close: usize, labels: &HashSet<String>) -> Option<usize> {
    if cs.get(close) != Some(&' ') || cs.get(close + 1) != Some(&'[') {
        return None;
    }
    let end = close + 2 + cs[close + 2..].iter().position(|&c| c == ']')?;
    let id: String = cs[close + 2..end].iter().collect();
    (!id.is_empty() && labels.contains(&label(&id))).then_some(close)
}

/// A reference's label as Python-Markdown stores it: lower case, white space collapsed.
fn label(id: &str) -> String {
    id.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The labels the page's reference definitions (`[id]: url`) define.
fn defined(lines: &[Line]) -> HashSet<String> {
    let mut labels = HashSet::new();
    for line in lines {
        let t = line.text.trim_start();
        let Some(rest) = t.strip_prefix('[') else {
            continue;
        };
        if let Some((id, after)) = rest.split_once(']') {
            if after.starts_with(':') && !id.trim().is_empty() {
                labels.insert(label(id));
            }
        }
    }
    labels
}

/// Python-Markdown's `getText`: the index just past the `]` closing the text that
/// starts at `from`, nested brackets counted.
fn text_end(cs: &[char], from: usize) -> Option<usize> {
    let mut depth = 1;
    for (i, &c) in cs.iter().enumerate().skip(from) {
        match c {
            ']' => depth -= 1,
            '[' => depth += 1,
            _ => {}
        }
        if depth == 0 {
            return Some(i + 1);
        }
    }
    None
}

/// Whether pulldown-cmark reads `written` as it reads `form` (the same text, or the
/// title in single quotes).
fn same(written: &str, form: &str) -> bool {
    if written == form {
        return true;
    }
    let plain = |s: &str| s.replace('\'', "\"");
    !form.contains('\'') && !written.contains('"') && plain(written) == form
}

/// `(<href> "title")`, escaped so CommonMark reads back exactly `href` and `title`;
/// `(href)` when the URL needs no brackets.
fn commonmark(href: &str, title: Option<&str>) -> String {
    let plain = !href.is_empty()
        && !href
            .chars()
            .any(|c| c.is_whitespace() || "<>()\"'\\&".contains(c) || c.is_control());
    let mut s = String::from("(");
    if plain {
        s.push_str(href);
    } else {
        s.push('<');
        for c in href.chars() {
            if "<>\\".contains(c) {
                s.push('\\');
            }
            s.push(c);
        }
        s.push('>');
    }
    if let Some(t) = title {
        s.push_str(" \"");
        for c in t.chars() {
            if "\"\\".contains(c) {
                s.push('\\');
            }
            s.push(c);
        }
        s.push('"');
    }
    s.push(')');
    s
}

/// Python-Markdown's `unescape` of a backslash escape: `\*` is `*`, `\:` stays.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(&n) = it.peek().filter(|n| ESCAPED.contains(**n)) {
                out.push(n);
                it.next();
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Python-Markdown's `getLink` on the text after `(`: the href, the title and the index
/// just past the closing `)`.
fn get_link(cs: &[char], from: usize) -> Option<(String, Option<String>, usize)> {
    let mut i = from;
    while cs.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    if let Some(found) = angle_link(cs, i) {
        return Some(found);
    }
    let (href, title, end) = bracketed(cs, i)?;
    let title = title.map(|t| {
        let t = unescape(t.trim());
        dequote(&t)
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect()
    });
    Some((unescape(&href).trim().to_string(), title, end))
}

fn dequote(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

/// `<href> "title")`: `RE_LINK`'s first group, from `at`.
fn angle_link(cs: &[char], at: usize) -> Option<(String, Option<String>, usize)> {
    if cs.get(at) != Some(&'<') {
        return None;
    }
    let close = at + 1 + cs[at + 1..].iter().position(|&c| c == '>' || c == '<')?;
    if cs[close] != '>' {
        return None;
    }
    let href: String = cs[at + 1..close].iter().collect();
    let skip = |mut i: usize| {
        while cs.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        i
    };
    let mut i = skip(close + 1);
    let mut title = None;
    if let Some(&q) = cs.get(i).filter(|&&c| c == '"' || c == '\'') {
        let end = i + 1 + cs[i + 1..].iter().position(|&c| c == q)?;
        title = Some(cs[i + 1..end].iter().collect::<String>());
        i = skip(end + 1);
    }
    if cs.get(i) != Some(&')') {
        return None;
    }
    let title = title.map(|t| {
        unescape(t.trim())
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect()
    });
    Some((unescape(href.trim()), title, i + 1))
}

/// The bracket and quote tracking of `getLink` (its second branch), from `start`: the
/// raw href, the raw title and the index past the `)`.
fn bracketed(cs: &[char], start: usize) -> Option<(String, Option<String>, usize)> {
    let text = |a: usize, b: usize| cs[a..b].iter().collect::<String>();
    let (mut count, mut backtrack) = (1i32, 1i32);
    let mut index = start;
    let mut last_bracket: Option<usize> = None;
    let mut quote: Option<char> = None;
    let (mut start_quote, mut exit_quote) = (0usize, None::<usize>);
    let mut alt: Option<char> = None;
    let (mut start_alt, mut exit_alt) = (0usize, None::<usize>);
    let mut ignore = false;
    let mut last = '\0';
    for &c in &cs[start..] {
        match c {
            '(' if !ignore => count += 1,
            '(' if backtrack > 0 => backtrack -= 1,
            ')' => {
                if (exit_quote.is_some() && quote == Some(last))
                    || (exit_alt.is_some() && alt == Some(last))
                {
                    count = 0;
                } else if !ignore {
                    count -= 1;
                } else if backtrack > 0 {
                    backtrack -= 1;
                    if backtrack == 0 {
                        last_bracket = Some(index + 1);
                    }
                }
            }
            '"' | '\'' => {
                if quote.is_none() {
                    ignore = true;
                    backtrack = count;
                    count = 1;
                    start_quote = index + 1;
                    quote = Some(c);
                } else if Some(c) != quote && alt.is_none() {
                    start_alt = index + 1;
                    alt = Some(c);
                } else if Some(c) == quote {
                    exit_quote = Some(index + 1);
                } else if Some(c) == alt {
                    exit_alt = Some(index + 1);
                }
            }
            _ => {}
        }
        index += 1;
        if count == 0 {
            return Some(match (exit_quote, exit_alt) {
                (Some(e), _) if quote == Some(last) => (
                    text(start, start_quote - 1),
                    Some(text(start_quote, e - 1)),
                    index,
                ),
                (_, Some(e)) if alt == Some(last) => (
                    text(start, start_alt - 1),
                    Some(text(start_alt, e - 1)),
                    index,
                ),
                _ => (text(start, index - 1), None, index),
            });
        }
        if c != ' ' {
            last = c;
        }
    }
    // `[test](link"notitle)`: the title never closed; the brackets did.
    let end = last_bracket.filter(|_| backtrack == 0)?;
    Some((text(start, end - 1), None, end))
}

/// The lines and byte ranges pulldown-cmark reads as code or raw HTML (found by parsing
/// the text once, only on pages with a destination to rewrite).
fn code_ranges(lines: &[Line]) -> Vec<(usize, std::ops::Range<usize>)> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut starts = Vec::with_capacity(lines.len());
    let mut text = String::new();
    for line in lines {
        starts.push(text.len());
        text.push_str(&line.text);
        text.push('\n');
    }
    let at = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let mut out = Vec::new();
    for (event, range) in Parser::new(&text).into_offset_iter() {
        if matches!(
            event,
            Event::Code(_)
                | Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
        ) {
            // A range may cover several lines: each gets its part.
            let (first, last) = (at(range.start), at(range.end.saturating_sub(1)));
            for l in first..=last {
                let (s, e) = (starts[l], starts[l] + lines[l].text.len());
                out.push((l, range.start.max(s) - s..range.end.min(e + 1) - s));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(text: &str) -> String {
        Line::after(text, normalize)
    }

    /// Each input with the (href, title) markdown 3.11.3 gives it.
    #[test]
    fn destinations_are_read_as_python_markdown_reads_them() {
        let cases: [(&str, &str, Option<&str>); 9] = [
            (
                "[a](http://x.org/Dawn of War)",
                "http://x.org/Dawn of War",
                None,
            ),
            ("[a](/x 'T')", "/x", Some("T")),
            ("[a](/x'\"t\")", "/x'", Some("t")),
            ("[a](/x(\"t)\")", "/x(", Some("t)")),
            ("[a](/x( \"t\")", "/x(", Some("t")),
            ("[a](link\"notitle)", "link\"notitle", None),
            ("[a](/s '\"q\" 't')", "/s", Some("\"q\" 't")),
            ("[a](<a b> 't')", "a b", Some("t")),
            (
                "[a](/q?go:G\\:1 \"/q?go:G\\:1\")",
                "/q?go:G\\:1",
                Some("/q?go:G\\:1"),
            ),
        ];
        for (md, href, title) in cases {
            let cs: Vec<char> = md.chars().collect();
            let open = md.find("](").unwrap() + 2;
            let (h, t, end) = get_link(&cs, md[..open].chars().count()).expect(md);
            assert_eq!(
                (h.as_str(), t.as_deref(), end),
                (href, title, cs.len()),
                "{md}"
            );
        }
    }

    #[test]
    fn only_destinations_commonmark_reads_otherwise_are_rewritten() {
        assert_eq!(
            normalized("[a](/x) ![b](/y \"t\") [c](/z 'u')"),
            "[a](/x) ![b](/y \"t\") [c](/z 'u')"
        );
        assert_eq!(
            normalized("x [a](http://x.org/( \"t\") y\n![i](a b.png)"),
            "x [a](<http://x.org/(> \"t\") y\n![i](<a b.png>)"
        );
        assert_eq!(
            normalized("`[a](b c)`\n\n    [a](b c)"),
            "`[a](b c)`\n\n    [a](b c)"
        );
        assert_eq!(
            normalized("[a](/x\"t\") \\[b](c d)"),
            "[a](/x \"t\") \\[b](c d)"
        );
    }
}
