//! What `check`'s content checks need to know about a page, read from the events the
//! renderer parsed (so a heading inside an admonition counts, and one in a code block
//! does not), each at its place in the author's file: the headings in order, images
//! without alt text, empty links and URLs left as plain text.

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::find::find;
use super::Positions;

/// One thing a content check looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub what: FactKind,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactKind {
    /// A heading of this level (1 to 6), the page's leading title included.
    Heading(u8),
    /// `![](x.png)` or `<img>` with no (or an empty) `alt`; the image's URL.
    ImageWithoutAlt(String),
    /// `[text]()` or `[](url)`: the link as written between its brackets, and its URL.
    EmptyLink { text: String, url: String },
    /// An `http(s)://` URL in running text, which Markdown leaves unlinked.
    BareUrl(String),
}

/// Where an open link or image started, and what it holds so far.
struct Open {
    url: String,
    text: String,
    offset: usize,
    has_content: bool,
}

/// The facts of one page, in document order.
pub(super) fn scan(
    events: &[(Event<'_>, usize)],
    text: &str,
    positions: &Positions<'_>,
) -> Vec<Fact> {
    let mut facts = Vec::new();
    let at = |what: FactKind, offset: usize| {
        let (line, column) = positions.position(offset);
        Fact { what, line, column }
    };
    let mut links: Vec<Open> = Vec::new();
    let mut image: Option<Open> = None;
    let mut in_code = 0usize;
    for (event, offset) in events {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                facts.push(at(FactKind::Heading(*level as u8), *offset))
            }
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(open(dest_url, *offset)),
            Event::End(TagEnd::Link) => {
                if let Some(link) = links.pop() {
                    if link.url.trim().is_empty() || !link.has_content {
                        let what = FactKind::EmptyLink {
                            text: link.text,
                            url: link.url,
                        };
                        facts.push(at(what, link.offset));
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                mark_content(&mut links);
                image = Some(open(dest_url, *offset));
            }
            Event::End(TagEnd::Image) => {
                if let Some(img) = image.take().filter(|i| i.text.trim().is_empty()) {
                    facts.push(at(FactKind::ImageWithoutAlt(img.url), img.offset));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(img) = image.as_mut() {
                    img.text.push_str(t);
                } else if !t.trim().is_empty() {
                    mark_content(&mut links);
                    if let Some(link) = links.last_mut() {
                        link.text.push_str(t);
                    } else if in_code == 0 && matches!(event, Event::Text(_)) {
                        bare_urls(t, *offset, text, &mut |url, o| {
                            facts.push(at(FactKind::BareUrl(url), o))
                        });
                    }
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if !h.trim().is_empty() {
                    mark_content(&mut links);
                }
                for (url, o) in raw_images_without_alt(h) {
                    facts.push(at(FactKind::ImageWithoutAlt(url), offset + o));
                }
            }
            _ => {}
        }
    }
    facts
}

fn open(url: &str, offset: usize) -> Open {
    Open {
        url: url.to_string(),
        text: String::new(),
        offset,
        has_content: false,
    }
}

/// Text, an image or markup inside a link makes it a link one can see.
fn mark_content(links: &mut [Open]) {
    if let Some(link) = links.last_mut() {
        link.has_content = true;
    }
}

/// Each `http://` or `https://` URL of a text event, at its place in `source` (found
/// from `offset`, where the event starts; an escape can shift it, so it is searched).
fn bare_urls(t: &str, offset: usize, source: &str, found: &mut impl FnMut(String, usize)) {
    let mut rest = t;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| find(rest, scheme))
        .min()
    {
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
            .unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'']);
        if url.len() > "https://".len() {
            let at = source
                .get(offset..)
                .and_then(|s| s.find(url))
                .map_or(offset, |i| offset + i);
            found(url.to_string(), at);
        }
        rest = &tail[end.max(1)..];
    }
}

/// `<img>` tags of raw HTML with no `alt` attribute (or an empty one): each one's `src`
/// and byte offset in `html`. `alt=""` is how an author marks an image as decoration,
/// but an empty alt written in Markdown (`![](x)`) is not: the Markdown case is
/// reported, the raw one only when `alt` is missing altogether.
fn raw_images_without_alt(html: &str) -> Vec<(String, usize)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img") {
        let start = from + i;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        let has_alt = tag
            .match_indices("alt")
            .any(|(j, _)| tag[..j].ends_with(char::is_whitespace));
        if !has_alt {
            out.push((
                attribute(&html[start..end], "src").unwrap_or_default(),
                start,
            ));
        }
        from = end.max(start + 4);
    }
    out
}

/// The value of attribute `name` in a tag's text, quoted or not.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower
        .match_indices(name)
        .find(|(j, _)| lower[..*j].ends_with(char::is_whitespace))?
        .0;
    let rest = tag[at + name.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
    };
    Some(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_plain;
    use super::*;

    fn facts(md: &str) -> Vec<(FactKind, usize, usize)> {
        render_plain(md)
            .facts
            .into_iter()
            .map(|f| (f.what, f.line, f.column))
            .collect()
    }

    #[test]
    fn headings_in_order_but_not_in_code() {
        let md = "# T\n\n### Three\n\n```\n## not\n```\n\n> ## Quoted\n";
        assert_eq!(
            facts(md),
            [
                (FactKind::Heading(1), 1, 1),
                (FactKind::Heading(3), 3, 1),
                (FactKind::Heading(2), 9, 3)
            ]
        );
    }

    #[test]
    fn images_without_alt_markdown_and_raw() {
        let md = "![](a.png) ![ok](b.png)\n\n<img src=\"c.png\">\n<img alt=\"\" src=\"d.png\">\n";
        assert_eq!(
            facts(md),
            [
                (FactKind::ImageWithoutAlt("a.png".into()), 1, 1),
                (FactKind::ImageWithoutAlt("c.png".into()), 3, 1)
            ]
        );
    }

    #[test]
    fn empty_links_have_no_text_or_no_url() {
        let md = "A [](x.md) and [text]() and [![logo](l.png)](y.md) and [ok](z.md).\n";
        let empty = |text: &str, url: &str| FactKind::EmptyLink {
            text: text.into(),
            url: url.into(),
        };
        assert_eq!(
            facts(md),
            [(empty("", "x.md"), 1, 3), (empty("text", ""), 1, 16)]
        );
    }

    #[test]
    fn bare_urls_in_text_only() {
        let md = "See https://example.org/a, or <https://example.org/b>\nor [x](https://e.org) or `https://code.example`.\n\n    https://indented.example\n";
        assert_eq!(
            facts(md),
            [(FactKind::BareUrl("https://example.org/a".into()), 1, 5)]
        );
    }
}
