//! `admonition` (`!!! note "Title"`) and `pymdownx.details` (`??? note`, `???+ note`):
//! an indented Markdown body in a `<div class="admonition …">` or a `<details>`.

use super::out::Out;
use super::{capitalize, indent_of, indented_body, walk, Ctx, Line};

/// A marker line read: `!!!` or `???` (open or not), its classes and title.
#[derive(Debug, PartialEq)]
pub(super) struct Marker<'t> {
    /// None for `!!!`; Some(open) for `???` / `???+`.
    pub details: Option<bool>,
    /// Lower case, single spaces.
    pub classes: String,
    /// As written; None when there is none (`!!! note`).
    pub title: Option<&'t str>,
    /// Byte column (0-based) of the title in the marker text.
    pub title_at: usize,
}

fn is_class_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// `t` read as `!!! ?classes( "title")? *` (admonition's and details' regular expression).
pub(super) fn parse(t: &str, admonition: bool, details: bool) -> Option<Marker<'_>> {
    let (kind, rest) = if let Some(r) = t.strip_prefix("!!!").filter(|_| admonition) {
        (None, r)
    } else if let Some(r) = t.strip_prefix("???+").filter(|_| details) {
        (Some(true), r)
    } else if let Some(r) = t.strip_prefix("???").filter(|_| details) {
        (Some(false), r)
    } else {
        return None;
    };
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let body = rest.trim_end_matches(' ');
    let (head, title) = match body
        .find(" \"")
        .or_else(|| body.starts_with('"').then_some(0))
    {
        Some(q) if body.ends_with('"') && body.len() > q + 1 => {
            let open = q + body[q..].find('"')?;
            (
                &body[..q],
                Some((open + 1, &body[open + 1..body.len() - 1])),
            )
        }
        _ => (body, None),
    };
    let words: Vec<&str> = head.split(' ').filter(|w| !w.is_empty()).collect();
    let head_ok = head.is_empty() || !head.starts_with(' ');
    if !head_ok || !words.iter().all(|w| w.chars().all(is_class_char)) {
        return None;
    }
    // `!!!` needs a class; `???` a class or a title.
    if words.is_empty() && (kind.is_none() || title.is_none()) {
        return None;
    }
    let offset = t.len() - rest.len();
    Some(Marker {
        details: kind,
        classes: words.join(" ").to_lowercase(),
        title_at: title.map_or(0, |(at, _)| offset + at),
        title: title.map(|(_, s)| s),
    })
}

/// An admonition or a collapsible block starting at line `i`.
pub(super) fn try_block(
    lines: &[Line],
    i: usize,
    cx: &mut Ctx<'_>,
    out: &mut Out,
) -> Option<usize> {
    let line = &lines[i];
    let indent = indent_of(&line.text);
    let m = parse(&line.text[indent..], cx.d.admonition, cx.d.details)?;
    let (body, next) = indented_body(lines, i + 1, indent);
    let body = walk(body, cx);
    let first = m.classes.split(' ').next().unwrap_or("");
    let title_col = indent + m.title_at + 1;
    let mut html = out.html(line, indent);
    match m.details {
        None => {
            html.tag(&format!(r#"<div class="admonition {}">"#, m.classes));
            let title = m.title.map_or_else(|| capitalize(first), str::to_string);
            if !title.is_empty() {
                html.tag(r#"<p class="admonition-title">"#)
                    .inline(&title, title_col)
                    .tag("</p>");
            }
            html.body(body, false).tag("</div>").end();
        }
        Some(open) => {
            let class = if m.classes.is_empty() {
                String::new()
            } else {
                format!(r#" class="{}""#, m.classes)
            };
            let open = if open { r#" open="open""# } else { "" };
            html.tag(&format!("<details{class}{open}><summary>"));
            let title = m.title.map_or_else(|| capitalize(first), str::to_string);
            match heading(&title, cx.d.blocks.saneheaders) {
                Some(h) => html.markdown_line(&h),
                None => html.inline(&title, title_col),
            };
            html.tag("</summary>")
                .body(body, false)
                .tag("</details>")
                .end();
        }
    }
    Some(next)
}

/// A summary that is a heading (`### Title`), as a Markdown heading line; without
/// `saneheaders` `#Title` is one too.
pub(super) fn heading(title: &str, saneheaders: bool) -> Option<String> {
    let level = title.len() - title.trim_start_matches('#').len();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &title[level..];
    if saneheaders && !rest.starts_with(' ') {
        return None;
    }
    let text = rest.trim_end_matches('#').trim();
    Some(format!("{} {}", "#".repeat(level), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_as_python_markdown_reads_them() {
        let m = parse("!!!Note \"x *y*\"", true, true).unwrap();
        assert_eq!(
            (m.classes.as_str(), m.title, m.title_at),
            ("note", Some("x *y*"), 9)
        );
        let m = parse("???+ a  B", true, true).unwrap();
        assert_eq!(
            (m.details, m.classes.as_str(), m.title),
            (Some(true), "a b", None)
        );
        let m = parse("??? \"Only\"", true, true).unwrap();
        assert_eq!((m.classes.as_str(), m.title), ("", Some("Only")));
        assert!(parse("!!! \"Only\"", true, true).is_none());
        assert!(parse("!!! a.b", true, true).is_none());
        assert!(parse("??? note", true, false).is_none());
        let m = parse("!!! note \"\"", true, true).unwrap();
        assert_eq!(m.title, Some(""));
    }

    #[test]
    fn summaries_that_are_headings() {
        assert_eq!(heading("### Head ##", false).as_deref(), Some("### Head"));
        assert_eq!(heading("#Head", false).as_deref(), Some("# Head"));
        assert_eq!(heading("#Head", true), None);
        assert_eq!(heading("Head", false), None);
    }
}
