//! attr_list on events: `{: …}` after an inline element (image, link, emphasis, code)
//! and at the end of a paragraph, list item or table cell.

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd};

use super::super::attrs::{block_match, header_match, inline_match, scan, strict, Attrs, Entry};
use super::super::markers::TITLE_HEADING;
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
    /// `tables`' `use_align_attribute`.
    align_attribute: bool,
    in_head: bool,
    cell: usize,
}

/// The pass (see the module comment); `attr_list` says whether it runs.
pub(crate) fn attributes<'a>(events: Events<'a>, d: &super::Dialect) -> Events<'a> {
    let attr_list = d.attr_list;
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    let mut st = State {
        align_attribute: d.blocks.tables_align_attribute,
        ..State::default()
    };
    for (event, offset) in merge_text(events) {
        st.table(&event);
        match event {
            Event::Start(tag) => {
                // An item's own text ends where its nested list starts.
                if attr_list && matches!(tag, Tag::List(_)) {
                    if let Some(&s) = st.open.last() {
                        st.block_attrs(&mut out, s, TagEnd::Item, offset);
                    }
                }
                st.open.push(out.len());
                out.push((Event::Start(tag), offset));
            }
            Event::End(end) => {
                let start = st.open.pop();
                if let (Some(s), TagEnd::Heading(_)) = (start, end) {
                    title_heading(&mut out, s);
                }
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

/// Adjacent text events as one (the parser splits text at `{`, `:` …), read as the
/// pass goes (a copy of the whole stream would cost as much as the pass).
fn merge_text(events: Events<'_>) -> impl Iterator<Item = (Event<'_>, usize)> {
    let mut events = events.into_iter().peekable();
    let is_text = |(e, _): &(Event<'_>, usize)| matches!(e, Event::Text(_));
    std::iter::from_fn(move || {
        let (event, offset) = events.next()?;
        let Event::Text(first) = event else {
            return Some((event, offset));
        };
        let Some((Event::Text(next), _)) = events.next_if(is_text) else {
            return Some((Event::Text(first), offset));
        };
        let mut joined = first.into_string();
        joined.push_str(&next);
        while let Some((Event::Text(t), _)) = events.next_if(is_text) {
            joined.push_str(&t);
        }
        Some((Event::Text(CowStr::from(joined)), offset))
    })
}

/// A heading's or cell's list with HTML in a value (`{ data-toc-label="a <b>b</b>" }`)
/// was split by the parser into text and inline HTML: joined back into one text when
/// that reads as a list, as Python-Markdown reads the list from the raw line.
fn rejoin_html_in_list(out: &mut Events<'_>, s: usize) {
    let Some((Event::Text(last), _)) = out.last() else {
        return;
    };
    if !last.trim_end().ends_with('}') || header_match(last).is_some() {
        return;
    }
    let Some(k) = (s + 1..out.len())
        .rev()
        .take_while(|&i| matches!(out[i].0, Event::Text(_) | Event::InlineHtml(_)))
        .find(|&i| matches!(&out[i].0, Event::Text(t) if t.contains('{')))
    else {
        return;
    };
    let joined: String = out[k..]
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) | Event::InlineHtml(t) => t.as_ref(),
            _ => "",
        })
        .collect();
    if header_match(&joined).is_some_and(|(_, inside)| strict(inside).is_some()) {
        let offset = out[k].1;
        out.truncate(k);
        out.push((Event::Text(CowStr::from(joined)), offset));
    }
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

    /// A list ending a paragraph or list item (on a line of its own) or a heading or
    /// table cell (after a space) goes on its start tag, when all of it reads.
    fn block_attrs(&self, out: &mut Events<'_>, s: usize, end: TagEnd, offset: usize) {
        let header = matches!(end, TagEnd::Heading(_) | TagEnd::TableCell);
        let own_line = matches!(end, TagEnd::Paragraph | TagEnd::Item);
        if !(header || own_line) || !matches!(out[s].0, Event::Start(_)) {
            return;
        }
        if header {
            rejoin_html_in_list(out, s);
        }
        let Some((Event::Text(t), _)) = out.last() else {
            return;
        };
        let (kept, entries) = if header {
            let Some((at, inside)) = header_match(t) else {
                return;
            };
            let Some(entries) = strict(inside) else {
                return;
            };
            let mut kept = &t[..at];
            if matches!(end, TagEnd::Heading(_)) {
                kept = kept.trim_end_matches('#').trim_end();
            }
            (kept.to_string(), entries)
        } else {
            let after_break = out.len() >= 2 && matches!(out[out.len() - 2].0, Event::SoftBreak);
            let Some(entries) = block_match(t).filter(|_| after_break).and_then(strict) else {
                return;
            };
            (String::new(), entries)
        };
        out.pop();
        if kept.is_empty() {
            if own_line {
                out.pop();
            }
        } else {
            out.push((Event::Text(CowStr::from(kept)), offset));
        }
        self.assign_block(out, s, end, entries);
    }

    fn assign_block(&self, out: &mut Events<'_>, s: usize, end: TagEnd, entries: Vec<Entry>) {
        let mut attrs = Attrs::default();
        if let Event::Start(Tag::Heading {
            id,
            classes,
            attrs: others,
            ..
        }) = &mut out[s].0
        {
            if let Some(id) = id.take() {
                attrs.set("id", Some(id.to_string()));
            }
            if !classes.is_empty() {
                attrs.set("class", Some(classes.join(" ")));
            }
            for (k, v) in others.drain(..) {
                attrs.set(&k, v.map(|v| v.to_string()));
            }
            attrs.assign(entries);
            *id = attrs.get("id").map(|i| CowStr::from(i.to_string()));
            classes.clear();
            for (k, v) in attrs.0 {
                match k.as_str() {
                    "id" => {}
                    "class" => classes.extend(
                        v.unwrap_or_default()
                            .split_whitespace()
                            .map(|c| CowStr::from(c.to_string())),
                    ),
                    _ => others.push((CowStr::from(k), v.map(CowStr::from))),
                }
            }
            return;
        }
        let tag = match end {
            TagEnd::Paragraph => "p",
            TagEnd::Item => "li",
            _ => {
                let cell = self.alignments.get(self.cell);
                if let Some((name, value)) =
                    super::super::tables::align_attr(cell, self.align_attribute)
                {
                    attrs.set(name, Some(value));
                }
                if self.in_head {
                    "th"
                } else {
                    "td"
                }
            }
        };
        attrs.assign(entries);
        out[s].0 = Event::Html(CowStr::from(format!("<{tag}{}>", attrs.html())));
    }

    /// A list right after an inline element (or code) goes on that element; the text
    /// after it (and whatever the scanner could not read, from its `}`) stays.
    fn inline_attrs<'a>(&self, out: &mut Events<'a>, t: CowStr<'a>, offset: usize) {
        let target = match (self.last_closed, out.last()) {
            (Some((s, e)), _) if e + 1 == out.len() => Some((s, e)),
            (_, Some((Event::Code(_), _))) => Some((out.len() - 1, out.len() - 1)),
            (_, Some((Event::InlineHtml(h), _))) if h.starts_with(ICON) || is_hilite(h) => {
                Some((out.len() - 1, out.len() - 1))
            }
            _ => None,
        };
        let found = inline_match(&t);
        match (target, found) {
            (Some((s, e)), Some((inside, end))) if can_take(&out[s].0) => {
                let (entries, rest) = scan(inside);
                apply_inline(out, s, e, entries);
                let tail = format!("{}{rest}", &t[end..]);
                if !tail.is_empty() {
                    out.push((Event::Text(CowStr::from(tail)), offset));
                }
            }
            _ => out.push((Event::Text(t), offset)),
        }
    }
}

/// A heading the block pre-pass made an admonition's title (`markers::TITLE_HEADING`).
fn title_heading(out: &mut Events<'_>, s: usize) {
    if !matches!(out.last(), Some((Event::InlineHtml(h), _)) if h.as_ref() == TITLE_HEADING) {
        return;
    }
    out.pop();
    if let Some((Event::Text(t), _)) = out.last_mut() {
        *t = CowStr::from(t.trim_end().to_string());
    }
    if let Event::Start(Tag::Heading { classes, .. }) = &mut out[s].0 {
        classes.push(CowStr::from("admonition-title"));
    }
}

/// How an icon shortcode's element starts (see `icon_sets`): attribute lists after it
/// go on its `<span>` (Material's grid cards: `:material-x:{ .lg .middle }`).
const ICON: &str = r#"<span class="twemoji">"#;

/// inlinehilite's highlighted inline code (`<code class="…">…</code>`, one element):
/// attribute lists after it go on its `<code>`, as after any inline code.
fn is_hilite(h: &str) -> bool {
    h.starts_with("<code") && h.ends_with("</code>")
}

fn can_take(e: &Event<'_>) -> bool {
    matches!(e, Event::InlineHtml(h) if h.starts_with(ICON) || is_hilite(h))
        || matches!(
            e,
            Event::Code(_)
                | Event::Start(
                    Tag::Image { .. }
                        | Tag::Link { .. }
                        | Tag::Emphasis
                        | Tag::Strong
                        | Tag::Strikethrough
                        | Tag::Superscript
                        | Tag::Subscript
                )
        )
}

/// Puts `entries` on the inline element spanning `out[s..=e]` (one `can_take`).
fn apply_inline(out: &mut Events<'_>, s: usize, e: usize, entries: Vec<Entry>) {
    let mut attrs = Attrs::default();
    let (open, close) = match &out[s].0 {
        Event::Code(code) => {
            attrs.assign(entries);
            let html = format!("<code{}>{}</code>", attrs.html(), html_escape(code));
            out[s].0 = Event::InlineHtml(CowStr::from(html));
            return;
        }
        Event::InlineHtml(code) if is_hilite(code) => {
            let open = &code[..code.find('>').unwrap_or(0)];
            if let Some(k) = open.find(r#"class=""#) {
                let class = &open[k + 7..];
                attrs.set("class", Some(class[..class.find('"').unwrap_or(0)].into()));
            }
            attrs.assign(entries);
            let html = format!("<code{}{}", attrs.html(), &code[open.len()..]);
            out[s].0 = Event::InlineHtml(CowStr::from(html));
            return;
        }
        Event::InlineHtml(icon) => {
            attrs.set("class", Some("twemoji".into()));
            attrs.assign(entries);
            let html = format!("<span{}>{}", attrs.html(), &icon[ICON.len()..]);
            out[s].0 = Event::InlineHtml(CowStr::from(html));
            return;
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
            attrs.set("src", Some(dest_url.to_string()));
            attrs.set("alt", Some(alt));
            if !title.is_empty() {
                attrs.set("title", Some(title.to_string()));
            }
            attrs.assign(entries);
            out.truncate(s + 1);
            out[s].0 = Event::InlineHtml(CowStr::from(format!(
                "<img{} />",
                attrs.html_after(&["src", "alt"])
            )));
            return;
        }
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) => {
            attrs.set("href", Some(dest_url.to_string()));
            if !title.is_empty() {
                attrs.set("title", Some(title.to_string()));
            }
            ("a", "</a>")
        }
        Event::Start(Tag::Emphasis) => ("em", "</em>"),
        Event::Start(Tag::Strong) => ("strong", "</strong>"),
        Event::Start(Tag::Strikethrough) => ("del", "</del>"),
        Event::Start(Tag::Superscript) => ("sup", "</sup>"),
        Event::Start(Tag::Subscript) => ("sub", "</sub>"),
        _ => return,
    };
    attrs.assign(entries);
    out[s].0 = Event::InlineHtml(CowStr::from(format!("<{open}{}>", attrs.html())));
    out[e].0 = Event::InlineHtml(CowStr::from(close));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pymdownx 13.1.2 renders `` `#!python import module`{: .test} `` (inlinehilite,
    /// `css_class: inlinehilite`, attr_list) as `<code class="inlinehilite test">…`.
    #[test]
    fn an_attribute_list_after_highlighted_inline_code_goes_on_its_code() {
        let code = r#"<code class="inlinehilite"><span class="hl-k">import</span> module</code>"#;
        let events: Events = vec![
            (Event::Start(Tag::Paragraph), 0),
            (Event::InlineHtml(CowStr::Borrowed(code)), 0),
            (Event::Text(CowStr::Borrowed("{: .test}")), 24),
            (Event::End(TagEnd::Paragraph), 33),
        ];
        let d = crate::markdown::mkdocs::Dialect {
            attr_list: true,
            ..Default::default()
        };
        let out = attributes(events, &d);
        let html: Vec<String> = out
            .iter()
            .filter_map(|(e, _)| match e {
                Event::InlineHtml(h) | Event::Text(h) => Some(h.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(
            html,
            [r#"<code class="inlinehilite test"><span class="hl-k">import</span> module</code>"#]
        );
    }

    #[test]
    fn a_heading_list_with_html_in_a_value_is_still_a_list() {
        let yml = "site_name: x\nmarkdown_extensions:\n  - attr_list\n  - toc\n";
        let d = crate::markdown::mkdocs::testing::dialect_from_yml(yml);
        let md = "Intro\n\n## Five { data-toc-label=\"Foo <b>Quux</b>\" }\n\n## Six {: .c title='<i>x</i>' }\n";
        let out = crate::markdown::tests::render_dialect(md, &d, 0);
        assert_eq!(
            out.html,
            "<p>Intro</p>\n<h2 id=\"five\">Five</h2>\n<h2 id=\"six\" class=\"c\" title=\"&lt;i&gt;x&lt;/i&gt;\">Six</h2>\n"
        );
        assert_eq!(out.toc[0].text, "Foo Quux");
    }
}
