//! Where a raw HTML block ends, as Python-Markdown's HTML extractor reads it (Python's
//! `html.parser` with Python-Markdown's patches): a block-level start tag at the start of
//! a line opens a block that runs to the end tag closing it (every tag inside counted,
//! blank lines or not); a comment, processing instruction, declaration or CDATA section
//! there is a block of its own; an unclosed one is text.

/// Python-Markdown's `Markdown.block_level_elements` (3.11.3), exactly and in its order:
/// a start tag at a line's start opens a raw block when its name is here, and only an
/// element named here holds Markdown under md_in_html. It answers what Python reads as a
/// raw block, so it is not CommonMark's list (`out::BLOCK_TAGS`): it has `canvas`,
/// `math`, `script`, `video`, … and lacks `dialog`, `search`, ….
pub(super) const BLOCK_LEVEL: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "canvas",
    "colgroup",
    "dd",
    "body",
    "dt",
    "group",
    "html",
    "iframe",
    "li",
    "legend",
    "math",
    "map",
    "noscript",
    "output",
    "object",
    "option",
    "progress",
    "script",
    "style",
    "summary",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "tr",
    "video",
    "center",
];

/// Elements whose content is not markup (html.parser's CDATA content elements).
pub(super) const CDATA_CONTENT: &[&str] = &["script", "style"];

/// What the markup at a line's start is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Extent {
    /// A raw block ending at this byte (the end of the text when it is never closed).
    Raw(usize),
    /// Text Python reads as Markdown although CommonMark may start an HTML block there
    /// (an unclosed comment, a bogus `<!x>`): its `<` is to be escaped.
    Text,
    /// Inline markup (a span-level tag, a stray end tag): part of a paragraph.
    Inline,
}

/// A start tag: its lower-case name, where it ends, and whether it closes itself (`/>`).
#[derive(Debug, PartialEq)]
pub(super) struct StartTag {
    pub name: String,
    pub end: usize,
    pub self_closing: bool,
}

pub(super) fn is_block_level(name: &str) -> bool {
    BLOCK_LEVEL.contains(&name)
}

/// The markup at `at` (a `<`), at a line's start or just after a raw block on its line.
pub(super) fn extent(text: &str, at: usize) -> Extent {
    let rest = &text[at..];
    if rest.starts_with("<!--") {
        return comment_end(text, at).map_or(Extent::Text, Extent::Raw);
    }
    let closed_by = |open: usize, close: &str| {
        text[at + open..]
            .find(close)
            .map_or(Extent::Text, |k| Extent::Raw(at + open + k + close.len()))
    };
    if rest.starts_with("<?") {
        return closed_by(2, "?>");
    }
    if rest.starts_with("<![CDATA[") {
        return closed_by(9, "]]>");
    }
    if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case("<!doctype") {
        return closed_by(9, ">");
    }
    if rest.starts_with("<!") {
        // A bogus comment: Python-Markdown keeps it as text.
        return Extent::Text;
    }
    if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Extent::Inline;
    }
    let Some(tag) = start_tag(text, at) else {
        let name = tag_name(&rest[1..]).to_ascii_lowercase();
        return if is_block_level(&name) {
            Extent::Text
        } else {
            Extent::Inline
        };
    };
    if !is_block_level(&tag.name) {
        return Extent::Inline;
    }
    if tag.self_closing || tag.name == "hr" {
        return Extent::Raw(tag.end);
    }
    Extent::Raw(block_end(text, &tag))
}

/// `<!--` at `at` closed by `-->` or `--!>`: the end of the comment.
pub(super) fn comment_end(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at + 4..];
    let mut from = 0;
    while let Some(k) = rest[from..].find("--") {
        let p = from + k + 2;
        if rest[p..].starts_with('>') {
            return Some(at + 4 + p + 1);
        }
        if rest[p..].starts_with("!>") {
            return Some(at + 4 + p + 2);
        }
        from = from + k + 1;
    }
    None
}

/// A tag's name: up to white space, `/`, `>` or a backtick.
pub(super) fn tag_name(s: &str) -> &str {
    let n = s
        .find(|c: char| c.is_ascii_whitespace() || matches!(c, '/' | '>' | '`' | '\0'))
        .unwrap_or(s.len());
    &s[..n]
}

/// The start tag at `at` (`<` and a letter), as html.parser reads it: attributes with
/// quoted (across lines too) or bare values; a backtick in a name or bare value, or
/// anything else it cannot read, makes it no tag.
pub(super) fn start_tag(text: &str, at: usize) -> Option<StartTag> {
    if !text[at..].starts_with('<') {
        return None;
    }
    let b = text.as_bytes();
    let name = tag_name(&text[at + 1..]);
    let mut p = at + 1 + name.len();
    loop {
        // An attribute starts after white space, `/` or a quoted value's quote.
        let (ws, quoted) = (p, matches!(b[p - 1], b'"' | b'\''));
        while p < b.len()
            && (b[p].is_ascii_whitespace() || b[p] == b'/' && b.get(p + 1) != Some(&b'>'))
        {
            p += 1;
        }
        match b.get(p) {
            None | Some(b'`') => return None,
            Some(b'>') => {
                return Some(StartTag {
                    name: name.to_ascii_lowercase(),
                    end: p + 1,
                    self_closing: false,
                })
            }
            Some(b'/') => {
                return Some(StartTag {
                    name: name.to_ascii_lowercase(),
                    end: p + 2,
                    self_closing: true,
                })
            }
            Some(_) if p == ws && !quoted => return None,
            Some(_) => p = attribute_end(b, p)?,
        }
    }
}

/// The end of the attribute starting at `p` (`name`, `name=value`, `name="value"`).
fn attribute_end(b: &[u8], mut p: usize) -> Option<usize> {
    let stop = |c: u8| c.is_ascii_whitespace() || matches!(c, b'/' | b'=' | b'>');
    p += 1;
    while p < b.len() && !stop(b[p]) {
        if b[p] == b'`' {
            return None;
        }
        p += 1;
    }
    let mut q = p;
    while q < b.len() && b[q].is_ascii_whitespace() {
        q += 1;
    }
    if b.get(q) != Some(&b'=') {
        return Some(p);
    }
    while q < b.len() && (b[q] == b'=' || b[q].is_ascii_whitespace()) {
        q += 1;
    }
    match b.get(q) {
        Some(&quote @ (b'"' | b'\'')) => {
            let close = b[q + 1..].iter().position(|&c| c == quote)?;
            // Commas may follow a value (`id="a", class="b"`).
            let mut r = q + 1 + close + 1;
            loop {
                let mut s = r;
                while s < b.len() && b[s].is_ascii_whitespace() {
                    s += 1;
                }
                if b.get(s) != Some(&b',') {
                    return Some(r);
                }
                r = s + 1;
            }
        }
        _ => {
            while q < b.len() && !b[q].is_ascii_whitespace() && b[q] != b'>' {
                if b[q] == b'`' {
                    return None;
                }
                q += 1;
            }
            Some(q)
        }
    }
}

/// The end of the raw block `open` starts: just after the end tag that empties the stack
/// of open tags, or the end of the text.
pub(super) fn block_end(text: &str, open: &StartTag) -> usize {
    let mut stack = vec![open.name.clone()];
    let mut p = open.end;
    loop {
        if let Some(top) = stack.last().filter(|t| CDATA_CONTENT.contains(&t.as_str())) {
            match find_ignore_case(text, p, &format!("</{top}")) {
                Some(k) => p = k,
                None => return text.len(),
            }
        }
        let Some(k) = text[p..].find('<') else {
            return text.len();
        };
        p += k;
        let rest = &text[p..];
        if rest.starts_with("</") && rest[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            let name = tag_name(&rest[2..]).to_ascii_lowercase();
            let Some(gt) = rest.find('>') else {
                p += 2;
                continue;
            };
            p += gt + 1;
            if let Some(at) = stack.iter().rposition(|t| *t == name) {
                stack.truncate(at);
                if stack.is_empty() {
                    return p;
                }
            }
        } else if rest.starts_with("<!--") {
            p = comment_end(text, p).unwrap_or(p + 1);
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            match start_tag(text, p) {
                Some(tag) => {
                    p = tag.end;
                    if !tag.self_closing && tag.name != "hr" {
                        stack.push(tag.name);
                    }
                }
                None => p += 1,
            }
        } else {
            p += 1;
        }
    }
}

/// Where `needle` (ASCII) occurs in `text` from `from`, ignoring ASCII case.
pub(super) fn find_ignore_case(text: &str, from: usize, needle: &str) -> Option<usize> {
    let hay = text.as_bytes();
    let n = needle.as_bytes();
    (from..hay.len().saturating_sub(n.len() - 1))
        .find(|&i| hay[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(text: &str) -> Extent {
        extent(text, 0)
    }

    /// The raw block at the start of each input (None: no raw block), as Python-Markdown
    /// 3.11.3 splits it (its output read for each).
    #[test]
    fn where_raw_blocks_end() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "<div>\n\n*x*\n\n</div>\nafter",
                Some("<div>\n\n*x*\n\n</div>"),
            ),
            (
                "<div><div>a</div>\n\nb</div>c",
                Some("<div><div>a</div>\n\nb</div>"),
            ),
            ("<p>*raw*\n\nno end", Some("<p>*raw*\n\nno end")),
            ("<div><img>\n\nx</div>y", Some("<div><img>\n\nx</div>")),
            ("<hr>*z*", Some("<hr>")),
            ("<hr/>*z*", Some("<hr/>")),
            ("<!-- *foo* -->*bar*", Some("<!-- *foo* -->")),
            ("<?php echo '>'; ?>*bar*", Some("<?php echo '>'; ?>")),
            ("<!DOCTYPE html>*bar*", Some("<!DOCTYPE html>")),
            ("<![CDATA[ a > b ]]>*bar*", Some("<![CDATA[ a > b ]]>")),
            (
                "<script>a </div> b</script>x",
                Some("<script>a </div> b</script>"),
            ),
            (
                "<div title=\"a\n\n>b\">x</div>\n",
                Some("<div title=\"a\n\n>b\">x</div>"),
            ),
        ];
        for (text, want) in cases {
            let got = match ext(text) {
                Extent::Raw(end) => Some(&text[..end]),
                _ => None,
            };
            assert_eq!(&got, want, "{text:?}");
        }
        let others: &[(&str, Extent)] = &[
            ("<!-- unclosed\n\n*not*", Extent::Text),
            ("<!invalid>", Extent::Text),
            ("<span>\n</span>", Extent::Inline),
            ("<img src=\"a.png\">", Extent::Inline),
            ("</div>", Extent::Inline),
            ("<3 x", Extent::Inline),
        ];
        for (text, want) in others {
            assert_eq!(&ext(text), want, "{text:?}");
        }
    }

    #[test]
    fn start_tags_as_html_parser_reads_them() {
        let t = start_tag("<DIV class=a id='b' hidden>", 0).unwrap();
        assert_eq!((t.name.as_str(), t.end, t.self_closing), ("div", 27, false));
        assert!(start_tag("<br/>", 0).unwrap().self_closing);
        assert_eq!(start_tag("<a href=x` >", 0), None);
        assert_eq!(start_tag("<div", 0), None);
        assert_eq!(start_tag("✅ <div>", 0), None, "not at a tag");
        assert_eq!(comment_end("<!-- a --!> b", 0), Some(11));
        let commas = r#"<p id="foo", class="bar baz", style="a: b;">"#;
        assert_eq!(start_tag(commas, 0).unwrap().end, commas.len());
        let glued = r#"<div id="foo, class="bar", style="x">"#;
        assert_eq!(start_tag(glued, 0).unwrap().end, glued.len());
    }
}
