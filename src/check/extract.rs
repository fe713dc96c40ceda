//! Link and anchor extraction from one HTML document, with a real HTML tokenizer
//! (lol_html): text in comments and `<script>`/`<style>` is never mistaken for markup.

use std::borrow::Cow;
use std::collections::HashSet;

use lol_html::html_content::Element;
use lol_html::{element, HtmlRewriter, Settings};
use serde::{Deserialize, Serialize};

use crate::diagnostics::LineIndex;

mod gum;

/// Which attribute a link was found in; decides how the target is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attr {
    Href,
    Src,
    Srcset,
    Poster,
    Data,
    Refresh,
}

/// One URL found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtmlLink {
    /// The URL as written in the attribute (entities not decoded), for reports.
    pub raw: String,
    /// The URL with HTML character references decoded, for resolution.
    pub url: String,
    pub attr: Attr,
    /// Byte offset of the element's start tag in the page.
    pub offset: usize,
    /// 1-based line and column of the element's start tag; 0 until placed (see
    /// [`parse_unplaced`]).
    pub line: usize,
    pub column: usize,
}

/// What checking needs from one document: its links, its anchors and its `<base href>`.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Document {
    pub links: Vec<HtmlLink>,
    /// Every element `id` and every `<a name>` (decoded), exact case.
    pub anchors: HashSet<String>,
    /// The first `<base href>`, decoded.
    pub base: Option<String>,
    /// The plugin named by the first placeholder for content dcrsite could not generate
    /// (see `markdown::mkdocs::generated`): ids on this page may be missing only here.
    pub generated: Option<String>,
}

/// Parses `html`. `want_links: false` collects anchors only (external pages).
///
/// Pages are read with html5gum (`gum`), with lol_html where html5gum leaves a page to
/// it (see `gum::Unsupported`) or the page is not UTF-8: both give the same tags.
pub fn parse(html: &[u8], want_links: bool) -> Result<Document, String> {
    Ok(placed(html, parse_unplaced(html, want_links)?))
}

/// [`parse`] without the links' lines and columns (left 0): a position is only needed to
/// report a broken link, and counting lines up to the last link of every page was a tenth
/// of the check. [`positions`] gives them for the links that need one.
pub(crate) fn parse_unplaced(html: &[u8], want_links: bool) -> Result<Document, String> {
    if let Ok(text) = std::str::from_utf8(html) {
        let mut collector = Collector::new(want_links);
        if gum::start_tags(text, |tag| collector.element(tag)).is_ok() {
            return Ok(collector.finish());
        }
    }
    parse_unplaced_with_lol_html(html, want_links)
}

/// `parse` with lol_html's tokenizer, for any page.
#[cfg(test)]
fn parse_with_lol_html(html: &[u8], want_links: bool) -> Result<Document, String> {
    Ok(placed(
        html,
        parse_unplaced_with_lol_html(html, want_links)?,
    ))
}

/// `doc` of the page `html` with every link placed at its line and column.
fn placed(html: &[u8], mut doc: Document) -> Document {
    let all: Vec<usize> = (0..doc.links.len()).collect();
    let placed = positions(html, &doc.links, &all);
    for (link, (line, column)) in doc.links.iter_mut().zip(placed) {
        (link.line, link.column) = (line, column);
    }
    doc
}

/// `parse_unplaced` with lol_html's tokenizer, for any page.
fn parse_unplaced_with_lol_html(html: &[u8], want_links: bool) -> Result<Document, String> {
    let mut collector = Collector::new(want_links);
    {
        let handler = element!("*", |el| {
            collector.element(el);
            Ok(())
        });
        let mut rewriter = HtmlRewriter::new(
            Settings {
                element_content_handlers: vec![handler],
                ..Settings::new()
            },
            |_: &[u8]| {},
        );
        rewriter.write(html).map_err(|e| e.to_string())?;
        rewriter.end().map_err(|e| e.to_string())?;
    }
    Ok(collector.finish())
}

/// What the collector reads of a start tag: lol_html's element or html5gum's tag.
trait StartTag {
    /// The tag name, lowercase.
    fn name(&self) -> Cow<'_, str>;
    /// The value of the first attribute of this name, as written (borrowed from the page
    /// where the reader can: most values read are only looked at).
    fn attribute(&self, name: &str) -> Option<Cow<'_, str>>;
    /// The byte offset of the tag's `<`.
    fn offset(&self) -> usize;
}

impl StartTag for Element<'_, '_> {
    fn name(&self) -> Cow<'_, str> {
        Cow::Owned(self.tag_name())
    }
    fn attribute(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get_attribute(name).map(Cow::Owned)
    }
    fn offset(&self) -> usize {
        self.source_location().bytes().start
    }
}

impl StartTag for gum::Tag<'_> {
    fn name(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.name)
    }
    fn attribute(&self, name: &str) -> Option<Cow<'_, str>> {
        gum::Tag::attribute(self, name).map(Cow::Borrowed)
    }
    fn offset(&self) -> usize {
        self.offset
    }
}

/// What the tokenizer's elements give, as they come.
struct Collector {
    want_links: bool,
    doc: Document,
    /// Links, each with the byte offset of its element.
    found: Vec<HtmlLink>,
}

impl Collector {
    fn new(want_links: bool) -> Collector {
        Collector {
            want_links,
            doc: Document::default(),
            found: Vec::new(),
        }
    }

    fn element(&mut self, el: &impl StartTag) {
        let tag = el.name();
        self.anchors(el, &tag);
        if tag == "base" {
            if self.doc.base.is_none() {
                self.doc.base = el.attribute("href").map(|h| decode_entities(&h));
            }
            return;
        }
        if !self.want_links {
            return;
        }
        let offset = el.offset();
        if tag == "meta" {
            if let Some(url) = refresh_of(el) {
                self.push(offset, url, Attr::Refresh);
            }
            return;
        }
        for &(name, attr) in link_attributes(&tag) {
            let Some(value) = el.attribute(name) else {
                continue;
            };
            if attr == Attr::Srcset {
                for url in srcset_urls(&value) {
                    self.push(offset, url, attr);
                }
            } else {
                self.push(offset, value.into_owned(), attr);
            }
        }
    }

    /// Every element `id`, and the old `<a name>`.
    fn anchors(&mut self, el: &impl StartTag, tag: &str) {
        if self.doc.generated.is_none() {
            self.doc.generated =
                (el.attribute(crate::markdown::mkdocs::generated::MARKER)).map(Cow::into_owned);
        }
        if let Some(id) = el.attribute("id") {
            self.doc.anchors.insert(decode_entities(&id));
        }
        if tag == "a" {
            if let Some(name) = el.attribute("name") {
                self.doc.anchors.insert(decode_entities(&name));
            }
        }
    }

    fn push(&mut self, offset: usize, raw: String, attr: Attr) {
        self.found.push(HtmlLink {
            url: decode_entities(&raw),
            raw,
            attr,
            offset,
            line: 0,
            column: 0,
        });
    }

    /// The document, its links in document order (not yet placed).
    fn finish(self) -> Document {
        let mut doc = self.doc;
        doc.links = self.found;
        doc
    }
}

/// The 1-based line and column of the links at `wanted` (indexes into `links`, the links
/// of the page `html` in document order, each index after the one before), as [`parse`]
/// places them.
pub(crate) fn positions(html: &[u8], links: &[HtmlLink], wanted: &[usize]) -> Vec<(usize, usize)> {
    if wanted.is_empty() {
        return Vec::new();
    }
    // Positions are byte offsets; turning them into lines needs the text. Elements come
    // in document order, so one forward walk places them all, without indexing the whole
    // page (megabytes of inline SVG after the last link). Whether the walk can be used is
    // decided on every link of the page, so a link's position does not depend on which
    // others are placed with it.
    let end = links.last().map_or(0, |link| link.offset);
    let ascending = links.windows(2).all(|w| w[0].offset <= w[1].offset);
    let prefix = (html.get(..end).filter(|_| ascending)).and_then(|p| std::str::from_utf8(p).ok());
    let offsets = wanted.iter().map(|&i| links[i].offset);
    match prefix {
        Some(prefix) => {
            let mut walk = Walk::new(prefix);
            offsets.map(|offset| walk.position(offset)).collect()
        }
        // Not UTF-8 (a page written in another encoding): positions in its lossy text.
        None => {
            let text = String::from_utf8_lossy(html);
            let index = LineIndex::new(&text);
            offsets.map(|offset| index.position(offset)).collect()
        }
    }
}

/// 1-based line and column (in characters) of ascending byte offsets into UTF-8 text,
/// in one pass: each byte is read once however many links share a long line.
struct Walk<'a> {
    text: &'a [u8],
    /// Bytes before `at` are counted: `line` (0-based) and `column` (characters since
    /// the start of that line).
    at: usize,
    line: usize,
    column: usize,
}

impl<'a> Walk<'a> {
    fn new(text: &'a str) -> Self {
        Walk {
            text: text.as_bytes(),
            at: 0,
            line: 0,
            column: 0,
        }
    }

    /// The position of `offset`, which must not be before the previous one's.
    fn position(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.clamp(self.at, self.text.len());
        let read = &self.text[self.at..offset];
        let chars = |bytes: &[u8]| bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        match read.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += read.iter().filter(|&&b| b == b'\n').count();
                self.column = chars(&read[last + 1..]);
            }
            None => self.column += chars(read),
        }
        self.at = offset;
        (self.line + 1, self.column + 1)
    }
}

/// The attributes of `tag` that hold a URL to check.
fn link_attributes(tag: &str) -> &'static [(&'static str, Attr)] {
    match tag {
        "a" | "area" | "link" => &[("href", Attr::Href)],
        "img" | "source" => &[("src", Attr::Src), ("srcset", Attr::Srcset)],
        "script" | "iframe" | "audio" | "embed" | "track" => &[("src", Attr::Src)],
        "video" => &[("src", Attr::Src), ("poster", Attr::Poster)],
        "object" => &[("data", Attr::Data)],
        _ => &[],
    }
}

/// The URL a `<meta http-equiv="refresh">` sends to, if this is one.
fn refresh_of(el: &impl StartTag) -> Option<String> {
    let refresh = el
        .attribute("http-equiv")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
    if !refresh {
        return None;
    }
    refresh_target(&el.attribute("content")?)
}

/// The URL of a `<meta http-equiv="refresh" content="5; url='/x/'">`, if any.
pub fn refresh_target(content: &str) -> Option<String> {
    // "delay" then `;` or `,`, then optionally `url=`, then the URL (maybe quoted).
    let rest = content
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let rest = rest.trim_start();
    let rest = rest.strip_prefix([';', ','])?.trim_start();
    // `get`: the third byte may fall inside a character (`uré`).
    let rest = if rest.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("url")) {
        let after = rest[3..].trim_start();
        after.strip_prefix('=').map(str::trim_start).unwrap_or(rest)
    } else {
        rest
    };
    let url = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
        _ => rest.trim_end(),
    };
    if url.is_empty() {
        None
    } else {
        Some(url.to_string())
    }
}

/// The candidate URLs of a `srcset`, parsed as the HTML standard says: a URL runs to the
/// next whitespace (so `data:` URLs keep their commas), descriptors run to the next comma
/// outside parentheses.
pub fn srcset_urls(srcset: &str) -> Vec<String> {
    let s = srcset.as_bytes();
    let mut urls = Vec::new();
    let mut i = 0;
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    while i < s.len() {
        while i < s.len() && (is_space(s[i]) || s[i] == b',') {
            i += 1;
        }
        if i >= s.len() {
            break;
        }
        let start = i;
        while i < s.len() && !is_space(s[i]) {
            i += 1;
        }
        let mut url = &srcset[start..i];
        let had_trailing_comma = url.ends_with(',');
        if had_trailing_comma {
            url = url.trim_end_matches(',');
        } else {
            // Skip descriptors up to the comma that ends this candidate.
            let mut depth = 0usize;
            while i < s.len() {
                match s[i] {
                    b'(' => depth += 1,
                    b')' => depth = depth.saturating_sub(1),
                    b',' if depth == 0 => break,
                    _ => {}
                }
                i += 1;
            }
        }
        if !url.is_empty() {
            urls.push(url.to_string());
        }
    }
    urls
}

/// Decodes HTML character references in an attribute value: numeric ones and the named
/// ones that occur in URLs and ids. Unknown names are kept as written (a browser would
/// decode them too, but they do not occur in real link targets).
pub fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1)
            .unwrap_or(rest.len());
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            n.map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(doc: &Document) -> Vec<&str> {
        doc.links.iter().map(|l| l.raw.as_str()).collect()
    }

    #[test]
    fn finds_every_kind_of_link_with_lines() {
        let html = br#"<!doctype html>
<html><head><base href="/docs/"><link rel="stylesheet" href="a.css">
<meta http-equiv="Refresh" content="0; URL='/new/'">
<script src="s.js"></script></head>
<body><a href="x/?a=1&amp;b=2#f">x</a>
<img src="i.png" srcset="data:image/png;base64,AA,BB 1x, big.png 2x">
<picture><source srcset="a.webp 100w, b.webp 200w"></picture>
<video src="v.mp4" poster="p.jpg"></video><audio src="a.mp3"></audio>
<iframe src="f.html"></iframe><embed src="e.swf"><object data="o.pdf"></object>
<area href="m.html"></body></html>"#;
        let doc = parse(html, true).unwrap();
        assert_eq!(
            targets(&doc),
            [
                "a.css",
                "/new/",
                "s.js",
                "x/?a=1&amp;b=2#f",
                "i.png",
                "data:image/png;base64,AA,BB",
                "big.png",
                "a.webp",
                "b.webp",
                "v.mp4",
                "p.jpg",
                "a.mp3",
                "f.html",
                "e.swf",
                "o.pdf",
                "m.html"
            ]
        );
        assert_eq!(doc.links[3].url, "x/?a=1&b=2#f");
        assert_eq!((doc.links[3].line, doc.links[3].column), (5, 7));
        assert_eq!(doc.links[1].line, 3);
        assert_eq!(doc.base.as_deref(), Some("/docs/"));
    }

    /// Two pages with links to place: a UTF-8 one with several links on one line after
    /// multi-byte characters, then on later lines; one with Latin-1 bytes before its
    /// links, whose lossy text decides their positions.
    fn pages_to_place() -> (&'static str, Vec<u8>) {
        let utf8 = "<p>é€😀 <a href=a>x</a> ü <a href=b>y</a>\n\n  ß<img src=c>\n<a href=d></a>";
        let mut latin1 = b"<p>\xe9\xe9\n\x80 ".to_vec();
        latin1.extend_from_slice(b"<a href=a></a> <a href=b></a>\n<img src=c>");
        (utf8, latin1)
    }

    #[test]
    fn positions_match_the_line_index_on_long_lines_and_other_encodings() {
        let (utf8, latin1) = pages_to_place();
        for html in [utf8.as_bytes(), &latin1] {
            let doc = parse(html, true).unwrap();
            let text = String::from_utf8_lossy(html);
            let index = LineIndex::new(&text);
            let expected: Vec<_> = ["<a href=a", "<a href=b", "<img src=c", "<a href=d"]
                .iter()
                .filter_map(|tag| html.windows(tag.len()).position(|w| w == tag.as_bytes()))
                .map(|offset| index.position(offset))
                .collect();
            let got: Vec<_> = doc.links.iter().map(|l| (l.line, l.column)).collect();
            assert_eq!(got, expected);
        }
        let doc = parse(utf8.as_bytes(), true).unwrap();
        let got: Vec<_> = doc.links.iter().map(|l| (l.line, l.column)).collect();
        assert_eq!(got, [(1, 8), (1, 26), (3, 4), (4, 1)]);
    }

    /// A link placed on its own (as the check places only broken ones) is where placing
    /// every link of the page puts it, in UTF-8 pages and in others.
    #[test]
    fn a_link_placed_alone_is_where_placing_them_all_puts_it() {
        let (utf8, latin1) = pages_to_place();
        for html in [utf8.as_bytes(), &latin1] {
            let all = parse(html, true).unwrap();
            let unplaced = parse_unplaced(html, true).unwrap();
            assert!(unplaced.links.iter().all(|l| (l.line, l.column) == (0, 0)));
            let n = unplaced.links.len();
            for wanted in [vec![n - 1], vec![0, n - 1], vec![1, 2]] {
                let expected: Vec<_> = (wanted.iter())
                    .map(|&i| (all.links[i].line, all.links[i].column))
                    .collect();
                assert_eq!(positions(html, &unplaced.links, &wanted), expected);
            }
        }
    }

    #[test]
    fn ignores_comments_and_script_text_and_collects_anchors() {
        let html = br#"<!-- <a href="c.html"> --><script>var s = '<a href="j.html">';</script>
<style>a[href="x"]{}</style><p id="Para">t</p><a name="old">o</a><span id="a&amp;b"></span>"#;
        let doc = parse(html, true).unwrap();
        assert!(doc.links.is_empty(), "{:?}", doc.links);
        for id in ["Para", "old", "a&b"] {
            assert!(doc.anchors.contains(id), "{id}");
        }
        assert!(!doc.anchors.contains("para"));
    }

    #[test]
    fn refresh_content_forms() {
        assert_eq!(refresh_target("0; url=/a/").as_deref(), Some("/a/"));
        assert_eq!(refresh_target("5;URL = '/b/'").as_deref(), Some("/b/"));
        assert_eq!(refresh_target("0, c.html").as_deref(), Some("c.html"));
        assert_eq!(refresh_target("30"), None);
    }

    #[test]
    fn refresh_content_with_a_character_across_the_third_byte() {
        // Found by fuzzing: `ur` then a multi-byte character panicked on a byte slice.
        assert_eq!(refresh_target("0; urévision").as_deref(), Some("urévision"));
        assert_eq!(
            refresh_target("0;ur\u{fffd}l='x'").as_deref(),
            Some("ur\u{fffd}l='x'")
        );
        assert_eq!(refresh_target("0; é").as_deref(), Some("é"));
    }

    #[test]
    fn srcset_edge_cases() {
        assert_eq!(srcset_urls("a.png"), ["a.png"]);
        // As the standard says: a URL runs to whitespace, so this is one URL.
        assert_eq!(srcset_urls("a.png,b.png 2x"), ["a.png,b.png"]);
        assert_eq!(srcset_urls("a.png, b.png 2x"), ["a.png", "b.png"]);
        assert_eq!(
            srcset_urls(" a.png 1x (x,y), b.png 2x ,"),
            ["a.png", "b.png"]
        );
        assert!(srcset_urls(" , ").is_empty());
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a&amp;b&#65;&#x42;&zz;&"), "a&bAB&zz;&");
    }
}
