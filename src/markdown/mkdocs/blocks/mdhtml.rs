//! `md_in_html`: an HTML element whose start tag has a `markdown` attribute
//! (`<div markdown>`, `markdown="1"`, `"block"`, `"span"`) holds Markdown, read as blocks
//! or, for `span` and the tags whose content is inline (`p`, `h1`, `td`, …), as inline
//! text. The attribute goes; the element stays.

use super::htmlscan::is_block_level;
use super::out::Out;
use super::{dedent, indent_of, walk, Ctx, Line};

pub(super) mod joined;
pub(super) mod scan;

/// Tags whose content Python-Markdown reads as inline text under `markdown="1"`.
pub(super) const SPAN_TAGS: &[&str] = &[
    "address", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "legend", "li", "p", "summary",
    "td", "th",
];

/// A start tag alone on its line: the tag name, the tag without its `markdown`
/// attribute, and the attribute's value ("1" when it has none). Only a block-level
/// element holds Markdown; on another (`<span>`, `<a-b>`), `markdown` is an attribute.
pub(super) fn start_tag(t: &str) -> Option<(String, String, String)> {
    let rest = t.strip_prefix('<')?;
    let name_len = rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
            .len();
    let name = rest[..name_len].to_ascii_lowercase();
    let end = rest.find('>')?;
    if !is_block_level(&name)
        || !rest[name_len..].starts_with([' ', '\t', '>'])
        || !rest[end + 1..].trim().is_empty()
        || rest[..end].ends_with('/')
    {
        return None;
    }
    let attrs = &rest[name_len..end];
    let at = attrs.find(" markdown")?;
    let after = &attrs[at + 9..];
    let (value, len) = if let Some(v) = after.strip_prefix('=') {
        let q = v.chars().next()?;
        if q == '"' || q == '\'' {
            let close = v[1..].find(q)? + 1;
            (v[1..close].to_string(), 9 + 1 + close + 1)
        } else {
            let close = v.find(' ').unwrap_or(v.len());
            (v[..close].to_string(), 9 + 1 + close)
        }
    } else if after.is_empty() || after.starts_with(' ') {
        ("1".to_string(), 9)
    } else {
        return None;
    };
    let kept = format!("<{name}{}{}>", &attrs[..at], &attrs[at + len..]);
    Some((name, kept, value))
}

/// The line holding the `</name>` closing the element opened at line `i` (same-name
/// elements inside paired), and the byte column of that closing tag.
fn find_close(lines: &[Line], i: usize, name: &str) -> Option<(usize, usize)> {
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    for (j, line) in lines.iter().enumerate().skip(i + 1) {
        let lower = line.text.to_ascii_lowercase();
        let mut at = 0;
        while at < lower.len() {
            let rest = &lower[at..];
            if rest.starts_with(&close) {
                if depth == 0 {
                    return Some((j, at));
                }
                depth -= 1;
                at += close.len();
            } else if rest.starts_with(&open) && rest[open.len()..].starts_with([' ', '>', '\t']) {
                depth += 1;
                at += open.len();
            } else {
                at += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    None
}

/// An element with a `markdown` attribute starting at line `i`.
pub(super) fn try_block(
    lines: &[Line],
    i: usize,
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> Option<usize> {
    if !cx.d.blocks.md_in_html || cx.inline_body {
        return None;
    }
    if let Some(j) = cx.raw.take() {
        let next = joined::try_block(lines, i, &j, cx, out);
        let in_text = j.in_text(j.starts[i]);
        cx.raw = Some(j);
        if next.is_some() || in_text {
            return next;
        }
    }
    // Elsewhere (an element indented in a list item, in an admonition's body), by lines.

    let line = &lines[i];
    let indent = indent_of(&line.text);
    let (name, kept, value) = start_tag(line.text[indent..].trim_end())?;
    let (end, col) = find_close(lines, i, &name)?;
    let mut body: Vec<Line> = lines[i + 1..end]
        .iter()
        .map(|l| dedent(l, indent))
        .collect();
    let before_close = &lines[end].text[..col];
    if !before_close.trim().is_empty() {
        body.push(dedent(
            &lines[end].derived(before_close.to_string()),
            indent,
        ));
    }
    let inline = value == "span" || value != "block" && SPAN_TAGS.contains(&name.as_str());
    let mut html = out.html(line, indent);
    html.tag(&kept);
    if inline {
        html.body_inline(body).tag(&format!("</{name}>"));
        html.tag(super::super::markers::INLINE_END);
    } else {
        cx.raw_next = Some(super::level::Level::Page);
        html.body(walk(body, cx), false).tag(&format!("</{name}>"));
    }
    html.end();
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_tags_with_markdown() {
        let (n, kept, v) = start_tag(r#"<div class="a" markdown="1" id="b">"#).unwrap();
        assert_eq!(
            (n.as_str(), kept.as_str(), v.as_str()),
            ("div", r#"<div class="a" id="b">"#, "1")
        );
        assert_eq!(start_tag("<div markdown>").unwrap().1, "<div>");
        assert_eq!(start_tag("<p markdown=span>").unwrap().2, "span");
        assert!(start_tag("<div>").is_none());
        assert!(start_tag("<div markdown>text").is_none());
        assert!(start_tag("<span markdown>").is_none());
        assert!(start_tag("<a-b markdown>").is_none());
    }
}
