//! pymdownx.magiclink's bare links: `https://…`, `ftp://…`, `www.…` and e-mail
//! addresses in text become links, with its rules for where a link ends (trailing
//! punctuation, unbalanced closers, entity-like `&x;`). Repository shorthands and
//! mentions are `shorthand`'s.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use serde_yaml::Value;

use super::boundary::{ETX, STX};
use super::run::Events;
use super::tree::unescape;
use crate::icons::html_escape;

/// magiclink's options that bare links use.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MagicLink {
    pub hide_protocol: bool,
    /// `repo_url_shorthand` with `provider`, `user` and `repo`.
    pub shorthand: Option<super::shorthand::Shorthand>,
    /// `repo_url_shortener` and `social_url_shortener`.
    pub shortener: Option<super::shortener::Shortener>,
}

impl MagicLink {
    pub fn read(options: &Value) -> MagicLink {
        MagicLink {
            hide_protocol: options
                .get("hide_protocol")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            shorthand: super::shorthand::Shorthand::read(options),
            shortener: {
                let providers = super::providers::Providers::read(options);
                let default = options.get("provider").and_then(Value::as_str);
                super::shortener::Shortener::read(options, &providers, default.unwrap_or("github"))
            },
        }
    }
}

/// A link found in text: where it is and its events.
pub(crate) struct Found<'a> {
    pub start: usize,
    pub end: usize,
    pub events: Events<'a>,
}

/// The next bare URL in `chars` at or after `from`.
pub(crate) fn next_url<'a>(
    m: &MagicLink,
    chars: &[char],
    from: usize,
    at: usize,
) -> Option<Found<'a>> {
    (from..chars.len()).find_map(|i| {
        let (end, www) = url_at(chars, i)?;
        let text: String = chars[i..end].iter().collect();
        let text = unescape(&text);
        let href = if www {
            format!("http://{text}")
        } else {
            text.clone()
        };
        let shown = match (m.hide_protocol && !www, text.find("://")) {
            (true, Some(k)) => text[k + 3..].to_string(),
            _ => text,
        };
        let events = match short_link(m, &href, &shown, true) {
            Some(html) => vec![(Event::InlineHtml(CowStr::from(html)), at)],
            None => link(href, shown, at),
        };
        Some(Found {
            start: i,
            end,
            events,
        })
    })
}

/// The shortened link for `href` shown as `shown`: magiclink shortens a link whose text
/// is its address (or, with `hide_protocol`, its `https://` address without the scheme).
/// `magic`: the link is magiclink's own (a bare or `<…>` one), not a Markdown link.
pub(crate) fn short_link(m: &MagicLink, href: &str, shown: &str, magic: bool) -> Option<String> {
    let s = m.shortener.as_ref()?;
    let hidden = magic && m.hide_protocol && format!("https://{shown}") == href;
    let same = shown == href || hidden;
    s.shorten(href).filter(|_| same)
}

/// magiclink's `<https://…>` links (their text without the scheme with
/// `hide_protocol`) and its shortener, which runs on every link once the page is built:
/// a Markdown link or `<https://…>` whose text is its address is shortened as a bare
/// one is.
pub(crate) fn shorten_links<'a>(mut events: Events<'a>, m: &MagicLink) -> Events<'a> {
    if m.shortener.is_none() && !m.hide_protocol {
        return events;
    }
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let link = match &events[i..] {
            [(
                Event::Start(Tag::Link {
                    dest_url,
                    link_type,
                    ..
                }),
                _,
            ), (Event::Text(t), _), (Event::End(TagEnd::Link), _), ..] => Some((
                dest_url.to_string(),
                t.to_string(),
                *link_type == LinkType::Autolink,
            )),
            _ => None,
        };
        let Some((href, mut text, auto)) = link else {
            out.push(events[i].clone());
            i += 1;
            continue;
        };
        let web = ["http://", "https://", "ftp://", "ftps://"];
        if auto && m.hide_protocol && web.iter().any(|p| text.to_ascii_lowercase().starts_with(p)) {
            text = text[text.find("://").map_or(0, |k| k + 3)..].to_string();
            events[i + 1].0 = Event::Text(CowStr::from(text.clone()));
        }
        match short_link(m, &href, &text, auto) {
            Some(html) => out.push((Event::InlineHtml(CowStr::from(html)), events[i].1)),
            None => out.extend_from_slice(&events[i..i + 3]),
        }
        i += 3;
    }
    out
}

/// The next e-mail address in `chars` at or after `from`.
pub(crate) fn next_mail<'a>(chars: &[char], from: usize, at: usize) -> Option<Found<'a>> {
    (from..chars.len()).find_map(|i| {
        let end = mail_at(chars, i)?;
        let mail: String = chars[i..end].iter().collect();
        Some(Found {
            start: i,
            end,
            events: link(format!("mailto:{mail}"), mail, at),
        })
    })
}

/// The link as HTML around its text: pulldown-cmark's writer would percent-encode
/// `[` and `]` in the address, which magiclink keeps.
fn link<'a>(href: String, text: String, at: usize) -> Events<'a> {
    let open = format!(r#"<a href="{}">"#, html_escape(&href));
    vec![
        (Event::InlineHtml(CowStr::from(open)), at),
        (Event::Text(CowStr::from(text)), at),
        (Event::InlineHtml(CowStr::Borrowed("</a>")), at),
    ]
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A URL starting at `i`: where it ends, and whether it is a `www.` one.
fn url_at(chars: &[char], i: usize) -> Option<(usize, bool)> {
    let before_ok = i == 0 || {
        let b = chars[i - 1];
        b.is_whitespace() || "*_~^[('\"".contains(b) || b == ETX
    };
    if !before_ok {
        return None;
    }
    let lower = |k: usize| chars.get(k).map(|c| c.to_ascii_lowercase());
    let prefix = ["http://", "https://", "ftp://", "ftps://", "www."]
        .into_iter()
        .find(|p| p.chars().enumerate().all(|(k, c)| lower(i + k) == Some(c)))?;
    let floor = i + prefix.len();
    let first = *chars.get(floor)?;
    if !is_word(first) || first == '_' {
        return None;
    }
    let domain_end = floor
        + chars[floor..]
            .iter()
            .take_while(|&&c| is_word(c) || c == '-' || c == '.')
            .count();
    let path_end = floor
        + chars[floor..]
            .iter()
            .take_while(|&&c| !c.is_whitespace() && c != '<' && c != STX && c != ETX)
            .count();
    let end = trim_end(chars, i, floor, path_end);
    let domain: String = chars[floor..end.min(domain_end)].iter().collect();
    let segments: Vec<&str> = domain.split('.').collect();
    if segments.iter().rev().take(2).any(|s| s.contains('_')) {
        return None;
    }
    Some((end, prefix == "www."))
}

/// magiclink's end of a link: trailing punctuation, an entity-like `&name;` and
/// closers without their opener in the link are left out.
fn trim_end(chars: &[char], start: usize, floor: usize, mut end: usize) -> usize {
    while end > floor {
        let c = chars[end - 1];
        if "?!.,:*_~^'\"".contains(c) {
            end -= 1;
        } else if c == ';' {
            let mut k = end as isize - 2;
            while k >= floor as isize && chars[k as usize].is_alphanumeric() {
                k -= 1;
            }
            let entity = k < end as isize - 2 && k >= floor as isize && chars[k as usize] == '&';
            end = if entity { k as usize } else { end - 1 };
        } else if let Some(open) = match c {
            ')' => Some('('),
            ']' => Some('['),
            _ => None,
        } {
            let count = |x: char| chars[start..end].iter().filter(|&&y| y == x).count();
            if count(c) <= count(open) {
                break;
            }
            end -= 1;
        } else {
            break;
        }
    }
    end
}

fn local(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-+_".contains(c)
}

/// An e-mail address starting at `i`: where it ends.
fn mail_at(chars: &[char], i: usize) -> Option<usize> {
    let before = |k: usize| i.checked_sub(k).and_then(|j| chars.get(j)).copied();
    if before(1).is_some_and(|b| local(b) || "/@".contains(b))
        || (before(1) == Some('.') && before(2).is_some_and(local))
    {
        return None;
    }
    if !local(*chars.get(i)?) {
        return None;
    }
    let mut k = i + 1;
    while k < chars.len()
        && (local(chars[k]) || (chars[k] == '.' && chars.get(k + 1) != Some(&'.')))
    {
        k += 1;
    }
    if chars.get(k) != Some(&'@') || chars[k - 1] == '.' {
        return None;
    }
    domain_end(chars, k + 1)
}

/// The end of the domain after `@` at `d`: a first label and a dot, then labels, the
/// last character a letter at a word's end, not followed by `-` or `@`.
fn domain_end(chars: &[char], d: usize) -> Option<usize> {
    let label = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let first = chars[d..].iter().take_while(|&&c| label(c)).count();
    if first == 0 || chars.get(d + first) != Some(&'.') {
        return None;
    }
    let mut k = d + first + 1;
    while k < chars.len()
        && (label(chars[k])
            || (chars[k] == '.' && chars[k - 1] != '.' && chars.get(k + 1) != Some(&'.')))
    {
        k += 1;
    }
    (d + first + 1..=k).rev().find(|&e| {
        let last = chars[e - 1];
        let next = chars.get(e).copied();
        last.is_ascii_alphabetic() && !next.is_some_and(is_word) && !matches!(next, Some('-' | '@'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(t: &str) -> Vec<String> {
        let chars: Vec<char> = t.chars().collect();
        let mut out = Vec::new();
        let mut from = 0;
        let m = MagicLink::default();
        while let Some(f) = next_url(&m, &chars, from, 0).or_else(|| next_mail(&chars, from, 0)) {
            out.push(chars[f.start..f.end].iter().collect());
            from = f.end;
        }
        out
    }

    #[test]
    fn where_bare_links_end() {
        assert_eq!(
            urls("(see http://foo.com/blah_(wiki))"),
            ["http://foo.com/blah_(wiki)"]
        );
        assert_eq!(urls("www.a.com/x[1]. and"), ["www.a.com/x[1]"]);
        assert_eq!(urls("www.g.com/s?q=c&hl;"), ["www.g.com/s?q=c"]);
        assert_eq!(urls("www.foo.b_r.com x"), Vec::<String>::new());
        assert_eq!(urls("a.b-c_d@a.b."), ["a.b-c_d@a.b"]);
        assert_eq!(urls("x@y+z.example"), Vec::<String>::new());
    }
}
