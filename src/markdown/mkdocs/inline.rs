//! The event pass: attribute lists after inline elements and at the end of blocks,
//! `^^ins^^`, `~sub~`/`^sup^`, emoji and icon shortcodes, math for client-side rendering.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::attrs::{parse_attrs, trailing_attrs, Attrs};
use super::Dialect;
use crate::icons::html_escape;

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
}
