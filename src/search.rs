//! The client-side search index: one compact JSON file written at build time and read
//! by the theme's `search.js`. Per page: title, URL (root-relative, without the base
//! path, which the script adds), headings with their ids, and the page's words.

use serde::Serialize;

use crate::markdown::TocEntry;

/// Where the index is written in the output.
pub(crate) const INDEX_PATH: &str = "search-index.json";

/// Text kept verbatim per page, for result excerpts. Beyond it only words not seen yet
/// are kept (once each, lowercase), which is what matching needs: the index of the
/// decred corpus (about 150 pages) stays around a few hundred KB, not the whole text.
const MAX_TEXT: usize = 1_500;

#[derive(Serialize)]
struct Doc<'a> {
    /// Title.
    t: &'a str,
    /// URL.
    u: &'a str,
    /// Headings: [id, text].
    h: Vec<(&'a str, &'a str)>,
    /// Text (the beginning).
    x: &'a str,
    /// The other words of the page, lowercase, each once.
    w: String,
    /// The language of the page's words, when not the index's own: a page of the
    /// default language published in another one as its fallback (the theme marks it).
    #[serde(skip_serializing_if = "Option::is_none")]
    l: Option<&'a str>,
}

/// The whole index, as [`join`] writes it (the tests compare).
#[cfg(test)]
#[derive(Serialize)]
struct Index<'a> {
    v: u32,
    pages: Vec<Doc<'a>>,
}

/// One page as the index sees it.
pub(crate) struct Entry<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub toc: &'a [TocEntry],
    pub text: &'a str,
    /// The language of the words when the page is a fallback in another language's index.
    pub language: Option<&'a str>,
}

fn flatten<'a>(toc: &'a [TocEntry], out: &mut Vec<(&'a str, &'a str)>) {
    for e in toc {
        out.push((e.id.as_str(), e.text.as_str()));
        flatten(&e.children, out);
    }
}

/// At most the first `max` bytes of `s`, cut after a space when there is one (so no
/// word is split between the text and the word list).
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    match s[..end].rfind(' ') {
        Some(space) if space > 0 => &s[..space + 1],
        _ => &s[..end],
    }
}

/// The words of `rest` not in `head`, lowercase, each once, in order.
fn other_words(head: &str, rest: &str) -> String {
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
            .map(|w| w.trim_matches('-').to_lowercase())
            .filter(|w| w.chars().count() > 1)
            .collect()
    };
    let mut seen: std::collections::HashSet<String> = split(head).into_iter().collect();
    let mut out = String::new();
    for w in split(rest) {
        if !seen.contains(&w) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w);
            seen.insert(w);
        }
    }
    out
}

/// The index as JSON bytes, pages in the order given.
#[cfg(test)]
pub(crate) fn build<'a>(entries: impl Iterator<Item = Entry<'a>>) -> Vec<u8> {
    let docs: Vec<String> = entries.map(|e| doc(&e)).collect();
    join(docs.iter().map(String::as_bytes))
}

/// One page's part of the index: its JSON object. Most of an index's time is the
/// pages' words, so the build cache keeps each page's part (see `site/state/search_docs.rs`).
pub(crate) fn doc(e: &Entry<'_>) -> String {
    let mut h = Vec::new();
    flatten(e.toc, &mut h);
    let x = cut(e.text, MAX_TEXT);
    let doc = Doc {
        t: e.title,
        u: e.url,
        h,
        x,
        w: other_words(x, &e.text[x.len()..]),
        l: e.language,
    };
    serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into())
}

/// What the index begins with, before its first page's part.
pub(crate) const HEAD: &[u8] = b"{\"v\":1,\"pages\":[";
/// What it ends with.
pub(crate) const TAIL: &[u8] = b"]}";

/// The index of the pages whose parts ([`doc`]) are `docs`, in order: the bytes serde
/// writes for an [`Index`] of them. Sized exactly once (the index of a big site is tens
/// of megabytes, and an output file's bytes are copied when they have spare room).
pub(crate) fn join<'a>(docs: impl Iterator<Item = &'a [u8]> + Clone) -> Vec<u8> {
    let (count, len) = docs
        .clone()
        .fold((0, 0), |(n, len), doc| (n + 1, len + doc.len()));
    let mut out = Vec::with_capacity(HEAD.len() + len + count.max(1) - 1 + TAIL.len());
    out.extend_from_slice(HEAD);
    for (i, doc) in docs.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(doc);
    }
    out.extend_from_slice(TAIL);
    out
}

/// Where each of the parts of lengths `lens` lies in the index [`join`] makes of them:
/// its first byte and its length.
pub(crate) fn spans(lens: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let mut at = HEAD.len();
    lens.map(|len| {
        let span = (at, len);
        at += len + 1;
        span
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_has_titles_urls_headings_and_text() {
        let toc = vec![TocEntry {
            level: 2,
            id: "setup".into(),
            text: "Set up".into(),
            icon_html: None,
            children: vec![TocEntry {
                level: 3,
                id: "more".into(),
                text: "More \"quoted\"".into(),
                icon_html: None,
                children: vec![],
            }],
        }];
        let json = build(
            [Entry {
                title: "Guide",
                url: "/guide/",
                toc: &toc,
                text: &format!("{} Zebra zebra quagga é", "é".repeat(MAX_TEXT / 2 - 1)),
                language: None,
            }]
            .into_iter(),
        );
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let page = &v["pages"][0];
        assert_eq!(page["t"], "Guide");
        assert_eq!(page["u"], "/guide/");
        assert_eq!(page["h"][1][0], "more");
        assert_eq!(page["h"][1][1], "More \"quoted\"");
        assert_eq!(
            page["x"].as_str().unwrap(),
            format!("{} ", "é".repeat(MAX_TEXT / 2 - 1))
        );
        assert_eq!(page["w"], "zebra quagga");
        assert!(
            page.get("l").is_none(),
            "a page in the index's own language"
        );
    }

    /// Joined parts are the bytes serde writes for the whole index.
    #[test]
    fn joined_parts_are_the_serialized_index() {
        let toc = [TocEntry {
            level: 2,
            id: "a".into(),
            text: "A \"b\"".into(),
            icon_html: None,
            children: vec![],
        }];
        let text = format!("{} tail words here", "x ".repeat(MAX_TEXT));
        let entries = [
            ("One", "/1/", &toc[..], "short", None),
            ("Two", "/2/", &[][..], text.as_str(), Some("en")),
        ];
        let entry = |(title, url, toc, text, language)| Entry {
            title,
            url,
            toc,
            text,
            language,
        };
        let docs: Vec<Doc> = entries
            .iter()
            .map(|&e| {
                let e = entry(e);
                let mut h = Vec::new();
                flatten(e.toc, &mut h);
                let x = cut(e.text, MAX_TEXT);
                let w = other_words(x, &e.text[x.len()..]);
                Doc {
                    t: e.title,
                    u: e.url,
                    h,
                    x,
                    w,
                    l: e.language,
                }
            })
            .collect();
        let whole = serde_json::to_vec(&Index { v: 1, pages: docs }).unwrap();
        assert_eq!(build(entries.iter().map(|&e| entry(e))), whole);
        assert_eq!(
            join(std::iter::empty()),
            serde_json::to_vec(&Index {
                v: 1,
                pages: vec![]
            })
            .unwrap()
        );
    }

    /// Each part lies in the joined index where [`spans`] says, and the index has no
    /// spare room (an output file with some is copied).
    #[test]
    fn spans_are_where_join_puts_the_parts() {
        let parts: [&[u8]; 3] = [b"{\"t\":1}", b"{}", b"{\"t\":\"three\"}"];
        let index = join(parts.iter().copied());
        assert_eq!(index.len(), index.capacity());
        let spans = spans(parts.iter().map(|p| p.len()));
        for (part, (at, len)) in parts.iter().zip(spans) {
            assert_eq!(&index[at..at + len], *part);
        }
        let empty = join(std::iter::empty());
        assert_eq!(empty.len(), empty.capacity());
    }

    #[test]
    fn a_fallback_page_is_marked_with_the_language_of_its_words() {
        let entry = |language| Entry {
            title: "Guide",
            url: "/es/guide/",
            toc: &[],
            text: "words",
            language,
        };
        let json = build([entry(Some("en")), entry(None)].into_iter());
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["pages"][0]["l"], "en");
        assert!(v["pages"][1].get("l").is_none());
    }
}
