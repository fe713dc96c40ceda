//! Abbreviations (`abbr`): `*[HTML]: Hyper Text Markup Language` lines define them (the
//! block pass turns each into a marker line), and every whole-word occurrence in the
//! page's text becomes `<abbr title="…">HTML</abbr>`, wherever the definition is. A title
//! of `""` or `''` takes a definition back. Glossary files that `pymdownx.snippets`
//! appends to every page (`auto_append`) define abbreviations the same way; `abbr`'s own
//! `glossary` option (a mapping in mkdocs.yml) defines them before the page's.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::{Dialect, Line};
use crate::icons::{html_escape, html_unescape};

const MARKER: &str = "<!--dcr:abbr:";

/// The page's lines with the `auto_append` files after them, as pymdownx appends them: a
/// block of their names, one blank line apart, after two blank lines.
pub(super) fn append_glossaries(mut lines: Vec<Line>, d: &Dialect) -> Vec<Line> {
    let files = &d.blocks.snippet_auto_append;
    if files.is_empty() {
        return lines;
    }
    let src = lines.last().map_or(1, |l| l.src);
    let line = |text: &str| Line {
        text: text.to_string(),
        src,
        shift: 0,
    };
    lines.extend([line(""), line(""), line("-8<-")]);
    for (i, file) in files.iter().enumerate() {
        if i > 0 {
            lines.push(line(""));
        }
        lines.push(line(file));
    }
    lines.extend([line("-8<-"), line("")]);
    lines
}

/// A definition line: the abbreviation and its title (None when the title is on the next
/// line). `*[` must start the line; the abbreviation holds no backslash.
pub(super) fn definition(text: &str) -> Option<(&str, Option<&str>)> {
    let rest = text.strip_prefix("*[")?;
    for (at, _) in rest.match_indices(']') {
        let after = &rest[at + 1..];
        let Some(title) = after.strip_prefix(':').or_else(|| after.strip_prefix(" :")) else {
            continue;
        };
        let abbr = &rest[..at];
        if abbr.contains('\\') {
            return None;
        }
        let title = title.trim();
        return Some((abbr.trim(), (!title.is_empty()).then_some(title)));
    }
    None
}

/// The marker line standing for a definition (no `-` or `:` inside, so it is one comment).
pub(super) fn marker(abbr: &str, title: &str) -> String {
    let enc = |s: &str| html_escape(s).replace('-', "&#45;").replace(':', "&#58;");
    format!("{MARKER}{}:{}-->", enc(abbr), enc(title))
}

/// `marker`'s encoding undone.
fn decode(s: &str) -> String {
    html_unescape(&s.replace("&#45;", "-").replace("&#58;", ":"))
}

/// The glossary's definitions, then those the markers in `events` make in page order,
/// markers taken out. A glossary title may be empty: the word is then left alone.
fn collect(
    events: &mut Vec<(Event<'_>, usize)>,
    glossary: &[(String, String)],
) -> HashMap<String, String> {
    let mut defs: HashMap<String, String> = glossary.iter().cloned().collect();
    events.retain(|(e, _)| {
        let Event::Html(h) = e else { return true };
        let Some(body) = h
            .trim()
            .strip_prefix(MARKER)
            .and_then(|b| b.strip_suffix("-->"))
        else {
            return true;
        };
        if let Some((abbr, title)) = body.split_once(':') {
            let (abbr, title) = (decode(abbr), decode(title));
            if title == "\"\"" || title == "''" {
                defs.remove(&abbr);
            } else {
                defs.insert(abbr, title);
            }
        }
        false
    });
    defs
}

/// Occurrences of the defined abbreviations in text wrapped in `<abbr>` (not in code,
/// HTML or image descriptions).
pub(super) fn apply<'a>(
    mut events: Vec<(Event<'a>, usize)>,
    d: &Dialect,
) -> Vec<(Event<'a>, usize)> {
    if !d.blocks.abbr {
        return events;
    }
    let defs = collect(&mut events, &d.blocks.abbr_glossary);
    if defs.is_empty() {
        return events;
    }
    let mut names: Vec<&str> = defs.keys().map(String::as_str).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut out = Vec::with_capacity(events.len());
    let (mut skip, mut in_autolink) = (0usize, false);
    for (event, offset) in events {
        match &event {
            // An autolink's text is an AtomicString to Python-Markdown: left as written.
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => skip += 1,
            Event::Start(Tag::Link { link_type, .. }) if autolink(*link_type) => {
                (skip, in_autolink) = (skip + 1, true)
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => skip = skip.saturating_sub(1),
            // Links do not nest: the end after an autolink's start is its own.
            Event::End(TagEnd::Link) if in_autolink => {
                (skip, in_autolink) = (skip.saturating_sub(1), false)
            }
            Event::Text(t) if skip == 0 => {
                if let Some(parts) = wrap(t, &names, &defs) {
                    out.extend(parts.into_iter().map(|e| (e, offset)));
                    continue;
                }
            }
            _ => {}
        }
        out.push((event, offset));
    }
    out
}

fn autolink(t: LinkType) -> bool {
    matches!(t, LinkType::Autolink | LinkType::Email)
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Python's `\b` at byte `at` of `t`.
fn boundary(t: &str, at: usize) -> bool {
    is_word(t[..at].chars().next_back()) != is_word(t[at..].chars().next())
}

/// `t` split around the abbreviations in it, or None when there is none.
fn wrap<'a>(t: &str, names: &[&str], defs: &HashMap<String, String>) -> Option<Vec<Event<'a>>> {
    let mut parts = Vec::new();
    let (mut done, mut at) = (0, 0);
    while at < t.len() {
        let found = boundary(t, at)
            .then(|| {
                names
                    .iter()
                    .find(|n| t[at..].starts_with(**n) && boundary(t, at + n.len()))
            })
            .flatten();
        let Some(name) = found else {
            at += t[at..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        if defs[*name].is_empty() {
            // Python-Markdown matches it (a shorter name inside stays plain) but wraps nothing.
            at += name.len();
            continue;
        }
        if done < at {
            parts.push(Event::Text(CowStr::from(t[done..at].to_string())));
        }
        let title = html_escape(&defs[*name]);
        parts.push(Event::InlineHtml(CowStr::from(format!(
            r#"<abbr title="{title}">"#
        ))));
        parts.push(Event::Text(CowStr::from(name.to_string())));
        parts.push(Event::InlineHtml(CowStr::Borrowed("</abbr>")));
        at += name.len();
        done = at;
    }
    if parts.is_empty() {
        return None;
    }
    if done < t.len() {
        parts.push(Event::Text(CowStr::from(t[done..].to_string())));
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `md` rendered by a project whose mkdocs.yml lists `abbr` with `options`.
    fn render(md: &str, options: &str) -> String {
        let yml = format!("site_name: x\nmarkdown_extensions:\n  - abbr: {options}\n");
        let d = crate::markdown::mkdocs::testing::dialect_from_yml(&yml);
        crate::markdown::tests::render_dialect(md, &d, 0).html
    }

    #[test]
    fn the_glossary_defines_abbreviations_the_page_can_override() {
        let glossary = "{glossary: {CSS: Cascading Style Sheets, TLA: '', DNS: Domain}}";
        assert_eq!(
            render("CSS and TLA and DNS\n\n*[DNS]: Name System\n", glossary),
            "<p><abbr title=\"Cascading Style Sheets\">CSS</abbr> and TLA and <abbr title=\"Name System\">DNS</abbr></p>\n"
        );
        assert_eq!(
            render("CSS\n\n*[CSS]: ''\n", glossary),
            "<p>CSS</p>\n",
            "a page takes a glossary entry back as it takes its own"
        );
    }

    #[test]
    fn an_autolink_keeps_its_text() {
        assert_eq!(
            render("See <https://x.org/CSS> or [CSS](https://x.org/)\n\n*[CSS]: Style\n", "{}"),
            "<p>See <a href=\"https://x.org/CSS\">https://x.org/CSS</a> or <a href=\"https://x.org/\"><abbr title=\"Style\">CSS</abbr></a></p>\n"
        );
    }

    #[test]
    fn definition_lines() {
        assert_eq!(
            definition("*[HTML]: Hyper Text"),
            Some(("HTML", Some("Hyper Text")))
        );
        assert_eq!(definition("*[A]b]:x"), Some(("A]b", Some("x"))));
        assert_eq!(definition("*[ABBR] :   t"), Some(("ABBR", Some("t"))));
        assert_eq!(definition("*[ABBR]:"), Some(("ABBR", None)));
        assert_eq!(definition("*[A\\B]: t"), None);
        assert_eq!(definition("[A]: t"), None);
    }

    #[test]
    fn markers_round_trip() {
        let m = marker("a-b:c", "x --> \"y\"");
        assert!(!m[4..m.len() - 3].contains("--"), "{m}");
        let mut events = vec![(Event::Html(CowStr::from(m)), 0)];
        let defs = collect(&mut events, &[]);
        assert_eq!(defs["a-b:c"], "x --> \"y\"");
        assert!(events.is_empty());
    }

    #[test]
    fn whole_words_only_longest_first() {
        let defs: HashMap<String, String> = [("abbr", "A"), ("abbr-SS", "B"), ("SS", "C")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
        let mut names: Vec<&str> = defs.keys().map(String::as_str).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let parts = wrap("abbr, SS, abbr-SS, abbrs", &names, &defs).unwrap();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, parts.into_iter());
        assert_eq!(
            html,
            r#"<abbr title="A">abbr</abbr>, <abbr title="C">SS</abbr>, <abbr title="B">abbr-SS</abbr>, abbrs"#
        );
    }
}
