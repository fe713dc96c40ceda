//! attr_list on events: `{: …}` after an inline element (image, link, emphasis, code)
//! and at the end of a paragraph, list item or table cell; and math for client-side
//! rendering (pymdownx.arithmatex's markup).

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd};

use super::super::attrs::{parse_attrs, trailing_attrs, Attrs};
use super::run::Events;
use crate::icons::html_escape;

/// Where the pass is: open elements and the table cell being written.
#[derive(Default)]
struct State {
    /// Start indices (in the output) of open elements.
    open: Vec<usize>,
    /// The element that closed last: its start and end indices.
    last_closed: Option<(usize, usize)>,
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

/// The pass (see the module comment); `attr_list` and `math` say which parts run.
pub(crate) fn attributes<'a>(events: Events<'a>, attr_list: bool, math: bool) -> Events<'a> {
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    let mut st = State::default();
    for (event, offset) in merge_text(events) {
        st.table(&event);
        match event {
            Event::InlineMath(m) if math => out.push((math_html(&m, false), offset)),
            Event::DisplayMath(m) if math => out.push((math_html(&m, true), offset)),
            Event::Start(tag) => {
                st.open.push(out.len());
                out.push((Event::Start(tag), offset));
            }
            Event::End(end) => {
                let start = st.open.pop();
                if attr_list {
                    if let Some(s) = start {
                        st.block_attrs(&mut out, s, end, offset);
                    }
                }
                if end == TagEnd::TableCell {
                    st.cell += 1;
                }
                st.last_closed = start.map(|s| (s, out.len()));
                out.push((Event::End(end), offset));
            }
            Event::Text(t) if attr_list && t.starts_with('{') => {
                st.inline_attrs(&mut out, t, offset)
            }
            other => out.push((other, offset)),
        }
    }
    out
}

/// Adjacent text events as one (the parser splits text at `{`, `:` …).
fn merge_text(events: Events<'_>) -> Events<'_> {
    let mut merged: Events<'_> = Vec::with_capacity(events.len());
    for (event, offset) in events {
        if let (Event::Text(t), Some((Event::Text(prev), _))) = (&event, merged.last_mut()) {
            let mut joined = prev.to_string();
            joined.push_str(t);
            *prev = CowStr::from(joined);
            continue;
        }
        merged.push((event, offset));
    }
    merged
}

fn math_html(m: &str, display: bool) -> Event<'static> {
    Event::InlineHtml(CowStr::from(if display {
        format!(
            r#"<span class="arithmatex arithmatex--display">\[{}\]</span>"#,
            html_escape(m)
        )
    } else {
        format!(r#"<span class="arithmatex">\({}\)</span>"#, html_escape(m))
    }))
}

impl State {
    fn table(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Table(a)) => self.alignments = a.clone(),
            Event::Start(Tag::TableHead) => {
                self.in_head = true;
                self.cell = 0;
            }
            Event::End(TagEnd::TableHead) => self.in_head = false,
            Event::Start(Tag::TableRow) => self.cell = 0,
            _ => {}
        }
    }

    /// `{: …}` ending a paragraph, list item or table cell goes on its start tag.
    fn block_attrs(&self, out: &mut Events<'_>, s: usize, end: TagEnd, offset: usize) {
        if !matches!(end, TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) {
            return;
        }
        let Some((Event::Text(t), _)) = out.last() else {
            return;
        };
        let Some((at, attrs)) = trailing_attrs(t) else {
            return;
        };
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
                let style = match self.alignments.get(self.cell) {
                    Some(Alignment::Left) => Some("text-align: left"),
                    Some(Alignment::Center) => Some("text-align: center"),
                    Some(Alignment::Right) => Some("text-align: right"),
                    _ => None,
                };
                let tag = if self.in_head { "th" } else { "td" };
                format!("<{tag}{}>", attrs.html(style))
            }
        };
        out[s].0 = Event::Html(CowStr::from(html));
    }

    /// `{: …}` right after an inline element (or code) goes on that element.
    fn inline_attrs<'a>(&self, out: &mut Events<'a>, t: CowStr<'a>, offset: usize) {
        let target = match (self.last_closed, out.last()) {
            (Some((s, e)), _) if e + 1 == out.len() => Some((s, e)),
            (_, Some((Event::Code(_), _))) => Some((out.len() - 1, out.len() - 1)),
            _ => None,
        };
        match (target, parse_attrs(&t)) {
            (Some((s, e)), Some((attrs, len))) if apply_inline(out, s, e, &attrs) => {
                let rest = &t[len..];
                if !rest.is_empty() {
                    out.push((Event::Text(CowStr::from(rest.to_string())), offset));
                }
            }
            _ => out.push((Event::Text(t), offset)),
        }
    }
}

/// Puts `attrs` on the inline element spanning `out[s..=e]`. False when it cannot take
/// attributes (the text then stays as written).
fn apply_inline(out: &mut Events<'_>, s: usize, e: usize, attrs: &Attrs) -> bool {
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
