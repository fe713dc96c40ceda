//! Links and images written as Python-Markdown writes them. pulldown-cmark's writer
//! percent-encodes a URL (`a b` → `a%20b`, `é` → `%C3%A9`, `"` → `%22`); Python-Markdown
//! only escapes it for HTML, so a page's `href`s and `src`s are what the author wrote.
//! Its autolinks differ too: only `<scheme://…>` URLs become links (`<urn:x>` is raw HTML
//! to it), and `<mailto:a@b.org>` shows the address alone.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::icons::html_escape;

/// `events` with every link and image (not yet written by an earlier pass) as HTML,
/// made as the writer reads them (the page's events are not copied once more).
pub(crate) fn write<'a>(events: Vec<Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut events = events.into_iter();
    // Per open link: what its end becomes (`None`: the end is dropped).
    let mut ends: Vec<Option<&'static str>> = Vec::new();
    // Inside a `<mailto:…>` autolink: its text loses the scheme.
    let mut mailto = false;
    std::iter::from_fn(move || loop {
        let event = events.next()?;
        let out = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let (html, end) = open_link(link_type, &dest_url, &title);
                if end.is_none() {
                    skip_to_end(&mut events, TagEnd::Link);
                }
                mailto = link_type == LinkType::Autolink && has_scheme(&dest_url, "mailto:");
                if end.is_some() {
                    ends.push(end);
                }
                Event::InlineHtml(CowStr::from(html))
            }
            Event::End(TagEnd::Link) => {
                mailto = false;
                match ends.pop() {
                    Some(Some(end)) => Event::InlineHtml(CowStr::Borrowed(end)),
                    _ => continue,
                }
            }
            Event::Text(t) if mailto => {
                let text = t
                    .get(7..)
                    .filter(|_| has_scheme(&t, "mailto:"))
                    .unwrap_or(&t);
                Event::Text(CowStr::from(text.to_string()))
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let alt = alt_text(&mut events);
                let mut html = format!(
                    "<img src=\"{}\" alt=\"{}\"",
                    html_escape(&dest_url),
                    html_escape(&alt)
                );
                push_title(&mut html, &title);
                html.push_str(" />");
                Event::InlineHtml(CowStr::from(html))
            }
            other => other,
        };
        return Some(out);
    })
}

/// A link's opening HTML and its closing tag; `None` when the whole link is the HTML
/// (an autolink Python-Markdown reads as raw HTML).
fn open_link(link_type: LinkType, dest: &str, title: &str) -> (String, Option<&'static str>) {
    let href = match link_type {
        LinkType::Email => format!("mailto:{dest}"),
        LinkType::Autolink if !is_url(dest) && !has_scheme(dest, "mailto:") => {
            return (format!("<{dest}>"), None);
        }
        _ => dest.to_string(),
    };
    let mut html = format!("<a href=\"{}\"", html_escape(&href));
    push_title(&mut html, title);
    html.push('>');
    (html, Some("</a>"))
}

/// `AUTOLINK_RE`'s URL: a scheme (`[A-Za-z][A-Za-z0-9+.-]*`) and `://`.
fn is_url(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once("://") else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
}

fn has_scheme(url: &str, scheme: &str) -> bool {
    url.get(..scheme.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
}

/// ` title="…"`, its white space made spaces as Python-Markdown's `RE_TITLE_CLEAN` does.
fn push_title(html: &mut String, title: &str) {
    if !title.is_empty() {
        let title: String = title
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        html.push_str(&format!(" title=\"{}\"", html_escape(&title)));
    }
}

fn skip_to_end<'a>(events: &mut impl Iterator<Item = Event<'a>>, end: TagEnd) {
    let mut depth = 0;
    for e in events {
        match e {
            Event::Start(ref t) if t.to_end() == end => depth += 1,
            Event::End(e) if e == end => {
                if depth == 0 {
                    return;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
}

/// An image's `alt`: the text of its events up to its end, as pulldown-cmark takes it.
fn alt_text<'a>(events: &mut impl Iterator<Item = Event<'a>>) -> String {
    let mut alt = String::new();
    let mut depth = 0;
    for e in events {
        match e {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            Event::Text(t)
            | Event::Code(t)
            | Event::InlineHtml(t)
            | Event::Html(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, write(pulldown_cmark::Parser::new(md).collect()));
        out
    }

    /// Inputs and the HTML markdown 3.11.3 makes of them.
    #[test]
    fn urls_are_escaped_for_html_only_as_python_markdown_writes_them() {
        let cases = [
            ("[a](<x y> \"t\")", "<p><a href=\"x y\" title=\"t\">a</a></p>\n"),
            ("[a](/é?x=1&y=2)", "<p><a href=\"/é?x=1&amp;y=2\">a</a></p>\n"),
            ("![i b](<a b.png> 't\nu')", "<p><img src=\"a b.png\" alt=\"i b\" title=\"t u\" /></p>\n"),
            ("<urn:foo> <s3://b/k>", "<p><urn:foo> <a href=\"s3://b/k\">s3://b/k</a></p>\n"),
            ("<mailto:a@b.org> <a@b.org>", "<p><a href=\"mailto:a@b.org\">a@b.org</a> <a href=\"mailto:a@b.org\">a@b.org</a></p>\n"),
        ];
        for (md, want) in cases {
            assert_eq!(html(md), want, "{md}");
        }
    }
}
