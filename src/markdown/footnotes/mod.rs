//! Footnotes written as HTML with ids of their own namespace: the note is `fn:label`,
//! its first reference `fnref:label` (later ones `fnref2:label`, …), as Python-Markdown
//! writes them. pulldown-cmark's writer would use the bare label as the id, which a
//! heading's id (`[^note]` and `## Note`) can repeat; slugs never contain `:`. Each note
//! links back to where it was first referenced.

use std::collections::{HashMap, HashSet};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::icons::html_escape;

mod python;
pub(crate) use python::rewrite_all as rewrite_all_python;

/// The `footnotes` extension's options on an MkDocs page (Python-Markdown's names).
#[derive(Debug, Clone, PartialEq)]
pub struct FootnoteOptions {
    /// `PLACE_MARKER`: a paragraph holding it is replaced by the footnotes.
    pub place_marker: String,
    /// `UNIQUE_IDS`: ids carry the document's number (`fn:2-1`).
    pub unique_ids: bool,
    /// `BACKLINK_TEXT`, written as HTML.
    pub backlink_text: String,
    /// `SUPERSCRIPT_TEXT`, `{}` standing for the number.
    pub superscript_text: String,
    /// `BACKLINK_TITLE`, `{}` (or the older `%d`) standing for the number.
    pub backlink_title: String,
    /// `SEPARATOR` between `fn`/`fnref` and the label.
    pub separator: String,
    /// `USE_DEFINITION_ORDER`: number notes as defined (or as first referenced).
    pub use_definition_order: bool,
}

impl Default for FootnoteOptions {
    fn default() -> Self {
        FootnoteOptions {
            place_marker: "///Footnotes Go Here///".to_string(),
            unique_ids: false,
            backlink_text: "&#8617;".to_string(),
            superscript_text: "{}".to_string(),
            backlink_title: "Jump back to footnote {} in the text".to_string(),
            separator: ":".to_string(),
            use_definition_order: true,
        }
    }
}

impl FootnoteOptions {
    /// The options as written in mkdocs.yml (missing or ill-typed ones keep their default;
    /// `config::extension_options` warns about names it does not know).
    pub fn read(options: &serde_yaml::Value) -> Self {
        let mut o = FootnoteOptions::default();
        let text = |k: &str| options.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let flag = |k: &str| options.get(k).and_then(|v| v.as_bool());
        if let Some(v) = text("PLACE_MARKER") {
            o.place_marker = v;
        }
        if let Some(v) = text("BACKLINK_TEXT") {
            o.backlink_text = v;
        }
        if let Some(v) = text("SUPERSCRIPT_TEXT") {
            o.superscript_text = v;
        }
        if let Some(v) = text("BACKLINK_TITLE") {
            o.backlink_title = v.replace("%d", "{}");
        }
        if let Some(v) = text("SEPARATOR") {
            o.separator = v;
        }
        o.unique_ids = flag("UNIQUE_IDS").unwrap_or(o.unique_ids);
        o.use_definition_order = flag("USE_DEFINITION_ORDER").unwrap_or(true);
        o
    }
}

/// Characters escaped in the `#fragment` of a footnote link (labels may hold spaces).
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'%');

/// Rewrites the footnote events of a page (its events with their source offsets).
pub(super) fn rewrite_all(events: &mut [(Event<'_>, usize)]) {
    let referenced: HashSet<String> = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::FootnoteReference(label) => Some(label.to_string()),
            _ => None,
        })
        .collect();
    if referenced.is_empty() && !events.iter().any(|(e, _)| is_definition(e)) {
        return;
    }
    let mut notes = Footnotes {
        referenced,
        ..Footnotes::default()
    };
    for i in 0..events.len() {
        let event = &mut events[i].0;
        if let Event::End(TagEnd::FootnoteDefinition) = event {
            // The way back goes at the end of the note's last paragraph, as
            // Python-Markdown puts it, rather than on a line of its own.
            let html = match (notes.close_definition(), i.checked_sub(1)) {
                (None, _) => "</div>\n".to_string(),
                (Some(back), Some(p)) if matches!(events[p].0, Event::End(TagEnd::Paragraph)) => {
                    events[p].0 = Event::Html(CowStr::from(format!(" {back}</p>\n")));
                    "</div>\n".to_string()
                }
                (Some(back), _) => format!("<p>{back}</p>\n</div>\n"),
            };
            events[i].0 = Event::Html(CowStr::from(html));
        } else if matches!(
            event,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        ) {
            let taken = std::mem::replace(event, Event::SoftBreak);
            *event = notes.rewrite(taken);
        }
    }
}

fn is_definition(e: &Event<'_>) -> bool {
    matches!(
        e,
        Event::Start(Tag::FootnoteDefinition(_)) | Event::End(TagEnd::FootnoteDefinition)
    )
}

/// Numbers footnotes in order of first mention (reference or definition), as
/// pulldown-cmark does, and counts references to give each its own id.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
    /// References seen so far, per label.
    references: HashMap<String, usize>,
    /// Every label referenced anywhere on the page.
    referenced: HashSet<String>,
    /// The label of the definition being written.
    open: Option<String>,
}

impl Footnotes {
    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_string()).or_insert(next)
    }

    /// Ends the open definition: the link back to its first reference, or `None` for a
    /// note never referenced, which has nowhere to go back to.
    fn close_definition(&mut self) -> Option<String> {
        let label = self.open.take()?;
        self.referenced.contains(&label).then(|| {
            format!(
                r##"<a class="footnote-backref" href="#fnref:{}" aria-label="Back to the text">↩</a>"##,
                html_escape(&utf8_percent_encode(&label, FRAGMENT).to_string())
            )
        })
    }

    /// The HTML for a reference or the start of a definition.
    fn rewrite<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::FootnoteReference(label) => {
                let number = self.number(&label);
                let count = self.references.entry(label.to_string()).or_insert(0);
                *count += 1;
                let id = match *count {
                    1 => format!("fnref:{label}"),
                    n => format!("fnref{n}:{label}"),
                };
                Event::InlineHtml(CowStr::from(format!(
                    r##"<sup class="footnote-reference" id="{}"><a href="#fn:{}">{number}</a></sup>"##,
                    html_escape(&id),
                    html_escape(&utf8_percent_encode(&label, FRAGMENT).to_string()),
                )))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let number = self.number(&label);
                let html = format!(
                    r#"<div class="footnote-definition" id="fn:{}"><sup class="footnote-definition-label">{number}</sup>"#,
                    html_escape(&label)
                );
                self.open = Some(label.to_string());
                Event::Html(CowStr::from(html))
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    fn render(md: &str) -> String {
        let mut events: Vec<(Event, usize)> = Parser::new_ext(md, Options::ENABLE_FOOTNOTES)
            .map(|e| (e, 0))
            .collect();
        rewrite_all(&mut events);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn ids_are_namespaced_numbered_and_linked_both_ways() {
        let out = render("A[^note] b[^x] c[^note].\n\n[^note]: The note.\n[^x]: Other.\n");
        assert!(out.contains(r##"<sup class="footnote-reference" id="fnref:note"><a href="#fn:note">1</a></sup>"##), "{out}");
        assert!(
            out.contains(r##"id="fnref:x"><a href="#fn:x">2</a>"##),
            "{out}"
        );
        assert!(
            out.contains(r##"id="fnref2:note"><a href="#fn:note">1</a>"##),
            "{out}"
        );
        assert!(out.contains(r#"<div class="footnote-definition" id="fn:note"><sup class="footnote-definition-label">1</sup>"#), "{out}");
        assert!(out.contains(r##"<p>The note. <a class="footnote-backref" href="#fnref:note" aria-label="Back to the text">↩</a></p>"##), "{out}");
    }

    #[test]
    fn labels_are_escaped_and_unreferenced_notes_have_no_backlink() {
        let out = render("[^first]: Defined first.\n\nSee[^a b] and[^first].\n\n[^a b]: Spaced.\n\n[^lone]: Alone.\n");
        let first = out.split(r#"id="fn:first""#).nth(1).unwrap();
        assert!(
            first.contains(r##"href="#fnref:first""##),
            "defined before its reference: {out}"
        );
        assert!(out.contains(r##"href="#fn:a%20b""##), "{out}");
        assert!(out.contains(r#"id="fn:a b""#), "{out}");
        let lone = out.split(r#"id="fn:lone""#).nth(1).unwrap();
        assert!(!lone.contains("footnote-backref"), "{out}");
    }
}
