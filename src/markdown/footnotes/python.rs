//! Footnotes of MkDocs pages, written as Python-Markdown's `footnotes` extension writes
//! them: every definition leaves its place and goes, numbered in definition order, into
//! one `<div class="footnote"><hr /><ol>` at the end of the page (or where the
//! `PLACE_MARKER` paragraph stands); a reference is `<sup id="fnref:1"><a
//! class="footnote-ref" href="#fn:1">1</a></sup>`, a second one to the same note
//! `fnref2:1`, and each note links back to every reference. A reference to a note that
//! is not defined stays text, as Python-Markdown leaves it.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::FootnoteOptions;
use crate::icons::html_escape;

type Events<'a> = Vec<(Event<'a>, usize)>;

/// One definition: its label, where it starts (`[^label]:`) and the events of its body.
struct Note<'a> {
    label: String,
    at: usize,
    body: Events<'a>,
}

/// A link back from a note to a reference (`#fnref:label`), and where the note's
/// definition starts: the link checker reports a broken one there, where the author
/// can fix it (a note no text refers to links back to a reference that does not exist).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BackLink {
    pub href: String,
    pub at: usize,
}

/// Rewrites the footnotes of a page (its events with their source offsets); the links
/// back from the notes to their references, in the order they are written.
pub(crate) fn rewrite_all<'a>(events: &mut Events<'a>, o: &FootnoteOptions) -> Vec<BackLink> {
    let has_any = events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    });
    if !has_any {
        return Vec::new();
    }
    let (mut body, mut notes) = take_definitions(std::mem::take(events));
    let mut refs = References::new(&notes, o);
    refs.rewrite(&mut body);
    for note in &mut notes {
        refs.rewrite(&mut note.body);
    }
    // Python-Markdown sorts by the id's label, which `UNIQUE_IDS` turns into `2-label`
    // that no reference matches: its notes then stay in definition order.
    if !o.use_definition_order && !o.unique_ids {
        let first = |label: &str| refs.order.iter().position(|l| l == label);
        notes.sort_by_key(|n| first(&n.label).unwrap_or(usize::MAX));
    }
    let end = body.last().map_or(0, |(_, at)| *at);
    let back_links = notes
        .iter()
        .filter(|n| !n.body.is_empty())
        .flat_map(|n| {
            let ids = ref_ids(&n.label, &refs.count, o);
            ids.map(|id| BackLink {
                href: format!("#{id}"),
                at: n.at,
            })
        })
        .collect();
    let div = footnotes_div(notes, &refs.count, o, end);
    *events = place(body, div, &o.place_marker);
    back_links
}

/// The page without its definitions, and the definitions in the order written (a label
/// defined twice keeps its first place and its last text, as an ordered dict does).
fn take_definitions(events: Events<'_>) -> (Events<'_>, Vec<Note<'_>>) {
    let mut body = Vec::with_capacity(events.len());
    let mut notes: Vec<Note<'_>> = Vec::new();
    // The definitions being read, innermost last (GFM allows none inside another, but
    // a stray nesting must not lose events).
    let mut open: Vec<Note<'_>> = Vec::new();
    for (event, at) in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => open.push(Note {
                label: label.to_string(),
                at,
                body: Vec::new(),
            }),
            Event::End(TagEnd::FootnoteDefinition) => {
                let Some(note) = open.pop() else { continue };
                match notes.iter_mut().find(|n| n.label == note.label) {
                    Some(old) => old.body = note.body,
                    None => notes.push(note),
                }
            }
            e => match open.last_mut() {
                Some(note) => note.body.push((e, at)),
                None => body.push((e, at)),
            },
        }
    }
    (body, notes)
}

/// Numbers and ids of references, counted in the order Python-Markdown meets them: the
/// page first, then each note's body.
struct References<'o> {
    /// Label → its number in definition order.
    defined: HashMap<String, usize>,
    /// Labels in order of first reference (for `USE_DEFINITION_ORDER: false`).
    order: Vec<String>,
    /// References per label so far.
    count: HashMap<String, usize>,
    o: &'o FootnoteOptions,
}

impl<'o> References<'o> {
    fn new(notes: &[Note<'_>], o: &'o FootnoteOptions) -> Self {
        let defined = notes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.label.clone(), i + 1))
            .collect();
        References {
            defined,
            order: Vec::new(),
            count: HashMap::new(),
            o,
        }
    }

    fn rewrite(&mut self, events: &mut Events<'_>) {
        for (event, _) in events.iter_mut() {
            if let Event::FootnoteReference(label) = event {
                let html = self.reference(label);
                *event = html;
            }
        }
    }

    fn reference<'a>(&mut self, label: &str) -> Event<'a> {
        let Some(&defined_as) = self.defined.get(label) else {
            return Event::Text(CowStr::from(format!("[^{label}]")));
        };
        if !self.order.iter().any(|l| l == label) {
            self.order.push(label.to_string());
        }
        let number = match self.o.use_definition_order {
            true => defined_as,
            false => self.order.iter().position(|l| l == label).unwrap_or(0) + 1,
        };
        let n = self.count.entry(label.to_string()).or_insert(0);
        *n += 1;
        let text = self.o.superscript_text.replace("{}", &number.to_string());
        Event::InlineHtml(CowStr::from(format!(
            r##"<sup id="{}"><a class="footnote-ref" href="#{}">{}</a></sup>"##,
            html_escape(&self.o.ref_id(label, *n)),
            html_escape(&self.o.note_id(label)),
            html_escape(&text),
        )))
    }
}

impl FootnoteOptions {
    /// `fn:label` (`fn:2-label` with `UNIQUE_IDS`: a page is the second reset of
    /// Python-Markdown's counter, as in MkDocs).
    fn note_id(&self, label: &str) -> String {
        format!("fn{}{}{label}", self.separator, self.unique_prefix())
    }

    /// `fnref:label` for the first reference, `fnref2:label` for the second, ….
    fn ref_id(&self, label: &str, n: usize) -> String {
        let n = if n > 1 { n.to_string() } else { String::new() };
        format!("fnref{n}{}{}{label}", self.separator, self.unique_prefix())
    }

    fn unique_prefix(&self) -> &'static str {
        if self.unique_ids {
            "2-"
        } else {
            ""
        }
    }
}

/// The `<div class="footnote">` with every note, or nothing when there is none.
fn footnotes_div<'a>(
    notes: Vec<Note<'a>>,
    count: &HashMap<String, usize>,
    o: &FootnoteOptions,
    at: usize,
) -> Events<'a> {
    if notes.is_empty() {
        return Vec::new();
    }
    let html = |s: String| (Event::Html(CowStr::from(s)), at);
    let mut out = vec![html("<div class=\"footnote\">\n<hr />\n<ol>\n".to_string())];
    for (i, mut note) in notes.into_iter().enumerate() {
        let id = html_escape(&o.note_id(&note.label));
        if note.body.is_empty() {
            out.push(html(format!("<li id=\"{id}\"></li>\n")));
            continue;
        }
        out.push(html(format!("<li id=\"{id}\">\n")));
        let backrefs = backrefs(&note.label, i + 1, count, o);
        match note.body.last() {
            Some((Event::End(TagEnd::Paragraph), end)) => {
                let end = *end;
                let last = note.body.len() - 1;
                let inline = Event::InlineHtml(CowStr::from(format!("&#160;{backrefs}")));
                note.body.insert(last, (inline, end));
                out.extend(note.body);
            }
            _ => {
                out.extend(note.body);
                out.push(html(format!("<p>{backrefs}</p>\n")));
            }
        }
        out.push(html("</li>\n".to_string()));
    }
    out.push(html("</ol>\n</div>\n".to_string()));
    out
}

/// The links back from note `number` to each of its references (one when it has none).
fn backrefs(
    label: &str,
    number: usize,
    count: &HashMap<String, usize>,
    o: &FootnoteOptions,
) -> String {
    let title = html_escape(&o.backlink_title.replace("{}", &number.to_string()));
    ref_ids(label, count, o)
        .map(|id| {
            format!(
                r##"<a class="footnote-backref" href="#{}" title="{title}">{}</a>"##,
                html_escape(&id),
                o.backlink_text
            )
        })
        .collect()
}

/// The ids of note `label`'s references, one per reference (one when it has none).
fn ref_ids<'o>(
    label: &'o str,
    count: &HashMap<String, usize>,
    o: &'o FootnoteOptions,
) -> impl Iterator<Item = String> + 'o {
    (1..=count.get(label).copied().unwrap_or(1).max(1)).map(move |n| o.ref_id(label, n))
}

/// The page with the footnotes in place of the first paragraph holding the marker, or
/// at its end.
fn place<'a>(mut body: Events<'a>, div: Events<'a>, marker: &str) -> Events<'a> {
    let holds_marker = |e: &Event<'_>| matches!(e, Event::Text(t) if t.contains(marker));
    let Some(text_at) = body.iter().position(|(e, _)| holds_marker(e)) else {
        body.extend(div);
        return body;
    };
    let start = body[..text_at]
        .iter()
        .rposition(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)));
    let end = body[text_at..]
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
        .map(|i| text_at + i);
    match (start, end) {
        (Some(s), Some(e)) => {
            body.splice(s..=e, div);
        }
        _ => body.extend(div),
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    fn render_with(md: &str, o: &FootnoteOptions) -> String {
        let mut events: Events<'_> = Parser::new_ext(md, Options::ENABLE_FOOTNOTES)
            .map(|e| (e, 0))
            .collect();
        rewrite_all(&mut events, o);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        out
    }

    fn render(md: &str) -> String {
        render_with(md, &FootnoteOptions::default())
    }

    /// The reference's HTML for the same input (Python-Markdown 3.11, `footnotes`).
    #[test]
    fn back_links_are_link_records_at_their_definition() {
        let d = crate::markdown::mkdocs::Dialect {
            enabled: true,
            footnotes: Some(FootnoteOptions::default()),
            ..Default::default()
        };
        let md = "See [x](#top) and[^a][^a].\n\n[^a]: Note A.\n\n  [^lone]: Nobody refers to it.\n";
        // Two lines of front matter before the body: positions are the file's.
        let links = crate::markdown::tests::render_dialect(md, &d, 2).links;
        let found: Vec<(&str, usize, usize)> = links
            .iter()
            .map(|l| (l.target.as_str(), l.line, l.column))
            .collect();
        assert_eq!(
            found,
            [
                ("#top", 3, 5),
                ("#fnref:a", 5, 1),
                ("#fnref2:a", 5, 1),
                ("#fnref:lone", 7, 3)
            ]
        );
    }

    #[test]
    fn notes_in_definition_order_with_every_reference_linked_back() {
        let out = render("A[^b] B[^a] C[^b] D[^nope].\n\n[^a]: Note a.\n[^b]: Note b\n\n    > quote\n\n[^c]: unref\n");
        assert_eq!(
            out,
            concat!(
                r##"<p>A<sup id="fnref:b"><a class="footnote-ref" href="#fn:b">2</a></sup> B<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup> C<sup id="fnref2:b"><a class="footnote-ref" href="#fn:b">2</a></sup> D[^nope].</p>"##,
                "\n<div class=\"footnote\">\n<hr />\n<ol>\n<li id=\"fn:a\">\n",
                r##"<p>Note a.&#160;<a class="footnote-backref" href="#fnref:a" title="Jump back to footnote 1 in the text">&#8617;</a></p>"##,
                "\n</li>\n<li id=\"fn:b\">\n<p>Note b</p>\n<blockquote>\n<p>quote</p>\n</blockquote>\n",
                r##"<p><a class="footnote-backref" href="#fnref:b" title="Jump back to footnote 2 in the text">&#8617;</a><a class="footnote-backref" href="#fnref2:b" title="Jump back to footnote 2 in the text">&#8617;</a></p>"##,
                "\n</li>\n<li id=\"fn:c\">\n",
                r##"<p>unref&#160;<a class="footnote-backref" href="#fnref:c" title="Jump back to footnote 3 in the text">&#8617;</a></p>"##,
                "\n</li>\n</ol>\n</div>\n",
            )
        );
    }

    #[test]
    fn references_inside_notes_are_counted_after_the_page() {
        let out = render("a[^1]\n\n[^1]: x[^2]\n\n[^2]: y [^1]\n");
        assert!(out.contains(r##"<p>y <sup id="fnref2:1"><a class="footnote-ref" href="#fn:1">1</a></sup>&#160;"##), "{out}");
        assert!(
            out.contains(
                r##"href="#fnref2:1" title="Jump back to footnote 1 in the text">&#8617;</a></p>"##
            ),
            "{out}"
        );
    }

    #[test]
    fn options_change_ids_texts_order_and_place() {
        let o = FootnoteOptions {
            unique_ids: true,
            separator: "-".into(),
            backlink_text: "back".into(),
            superscript_text: "[{}]".into(),
            backlink_title: FootnoteOptions::read(
                &serde_yaml::from_str("BACKLINK_TITLE: 'Note %d'").unwrap(),
            )
            .backlink_title,
            use_definition_order: false,
            ..FootnoteOptions::default()
        };
        let out = render_with(
            "a[^x] b[^y]\n\n///Footnotes Go Here///\n\nz\n\n[^y]: Y.\n[^x]: X.\n",
            &o,
        );
        assert!(out.starts_with(r##"<p>a<sup id="fnref-2-x"><a class="footnote-ref" href="#fn-2-x">[1]</a></sup> b<sup id="fnref-2-y"><a class="footnote-ref" href="#fn-2-y">[2]</a></sup></p>"##), "{out}");
        assert!(
            out.contains(
                r##"<ol>
<li id="fn-2-y">
<p>Y.&#160;<a class="footnote-backref" href="#fnref-2-y" title="Note 1">back</a></p>"##
            ),
            "{out}"
        );
        assert!(out.ends_with("</ol>\n</div>\n<p>z</p>\n"), "{out}");
        let o = FootnoteOptions {
            use_definition_order: false,
            ..FootnoteOptions::default()
        };
        let out = render_with("a[^x] b[^y]\n\n[^y]: Y.\n[^x]: X.\n", &o);
        assert!(out.contains(r##"<ol>
<li id="fn:x">
<p>X.&#160;<a class="footnote-backref" href="#fnref:x" title="Jump back to footnote 1 in the text">"##), "{out}");
    }
}
