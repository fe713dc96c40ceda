//! A fast reader of start tags for the common page: the HTML standard's tokenizer for
//! text, tags, attributes, comments, doctypes and raw-text elements, without lol_html's
//! rewriting machinery (building each element to write it out again), which made reading
//! the pages a fifth of a build. A page holding anything whose reading depends on more
//! than this (SVG or MathML content, where text elements are not raw; `<select>` and
//! `<frameset>`, where lol_html refuses ambiguous markup; `<plaintext>`; a comment inside
//! a script; odd comment endings; a tag cut off by the end; NUL or CR bytes) is
//! `Unsupported`, and the caller reads it with lol_html: both give the same tags.

/// One start tag: its lowercase name, its attributes as written, and where it starts.
pub(super) struct Tag<'a> {
    html: &'a str,
    /// The tag name, ASCII-lowercased.
    pub(super) name: &'a str,
    /// Byte ranges of each attribute's name and value, in source order.
    attrs: &'a [(usize, usize, usize, usize)],
    /// Byte offset of the `<`.
    pub(super) offset: usize,
}

impl Tag<'_> {
    /// The value of the first attribute named `name` (ASCII case-insensitively), as written.
    pub(super) fn attribute(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|&&(ns, ne, _, _)| self.html[ns..ne].eq_ignore_ascii_case(name))
            .map(|&(_, _, vs, ve)| self.html[vs..ve].to_string())
    }
}

/// The page needs the full tokenizer (see the module's comment).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Unsupported;

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b' ')
}

/// Calls `found` with every start tag of `html`, in document order.
pub(super) fn start_tags(html: &str, mut found: impl FnMut(&Tag<'_>)) -> Result<(), Unsupported> {
    let s = html.as_bytes();
    if s.iter().any(|&b| b == 0 || b == b'\r') {
        return Err(Unsupported);
    }
    let mut attrs = Vec::new();
    let mut name = String::new();
    let mut i = 0;
    while let Some(lt) = s[i..].iter().position(|&b| b == b'<').map(|p| p + i) {
        i = lt + 1;
        match s.get(i) {
            Some(b) if b.is_ascii_alphabetic() => {
                let (end, name_end) = start_tag(s, i, &mut attrs)?;
                name.clear();
                name.push_str(&html[i..name_end]);
                name.make_ascii_lowercase();
                found(&Tag {
                    html,
                    name: &name,
                    attrs: &attrs,
                    offset: lt,
                });
                i = after_text_element(html, &name, end)?;
            }
            Some(b'!') => i = markup_declaration(html, i + 1)?,
            Some(b'/') => i = end_tag(s, i + 1)?,
            Some(b'?') => i = bogus_comment(s, i),
            _ => {}
        }
    }
    Ok(())
}

/// Reads a start tag whose name starts at `i` (an end tag's too, its attributes
/// ignored); returns the offset after its `>` and the end of its name, the attributes in
/// `attrs`.
fn start_tag(
    s: &[u8],
    i: usize,
    attrs: &mut Vec<(usize, usize, usize, usize)>,
) -> Result<(usize, usize), Unsupported> {
    attrs.clear();
    let name_end = (i..s.len())
        .find(|&j| is_space(s[j]) || s[j] == b'/' || s[j] == b'>')
        .ok_or(Unsupported)?;
    let mut j = name_end;
    let skip_space = |mut j: usize| {
        while j < s.len() && is_space(s[j]) {
            j += 1;
        }
        j
    };
    loop {
        // A `/` not before `>` is read as a space.
        while j < s.len() && (is_space(s[j]) || s[j] == b'/') {
            j += 1;
        }
        match s.get(j) {
            None => return Err(Unsupported),
            Some(b'>') => return Ok((j + 1, name_end)),
            Some(_) => {}
        }
        // An attribute name; a first `=` belongs to it.
        let name_start = j;
        j += 1;
        while j < s.len() && !(is_space(s[j]) || matches!(s[j], b'/' | b'>' | b'=')) {
            j += 1;
        }
        let name = (name_start, j);
        j = skip_space(j);
        if s.get(j) != Some(&b'=') {
            attrs.push((name.0, name.1, name.1, name.1));
            continue;
        }
        j = skip_space(j + 1);
        let value = match s.get(j) {
            None => return Err(Unsupported),
            Some(&quote @ (b'"' | b'\'')) => {
                let start = j + 1;
                let end = (start..s.len())
                    .find(|&k| s[k] == quote)
                    .ok_or(Unsupported)?;
                j = end + 1;
                (start, end)
            }
            Some(_) => {
                let start = j;
                while j < s.len() && !(is_space(s[j]) || s[j] == b'>') {
                    j += 1;
                }
                (start, j)
            }
        };
        attrs.push((name.0, name.1, value.0, value.1));
    }
}

/// Where markup resumes after the start tag `name` that ended at `at`: after the text of
/// a raw-text or RCDATA element, at its end tag.
fn after_text_element(html: &str, name: &str, at: usize) -> Result<usize, Unsupported> {
    match name {
        "svg" | "math" | "select" | "frameset" | "plaintext" => Err(Unsupported),
        "script" | "style" | "iframe" | "xmp" | "noembed" | "noframes" | "noscript" | "title"
        | "textarea" => {
            let end = text_end(html, name, at);
            // A comment opened in a script may hide its end tag (the standard's escaped
            // script states).
            if name == "script" && html[at..end].contains("<!--") {
                return Err(Unsupported);
            }
            Ok(end)
        }
        _ => Ok(at),
    }
}

/// The offset of the end tag `</name` (followed by a space, `/` or `>`) that ends the text
/// starting at `at`, or the end of the page.
fn text_end(html: &str, name: &str, at: usize) -> usize {
    let s = html.as_bytes();
    let mut from = at;
    while let Some(p) = html[from..].find("</").map(|p| p + from) {
        let after = p + 2 + name.len();
        let named = s
            .get(p + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if named
            && s.get(after)
                .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            return p;
        }
        from = p + 2;
    }
    s.len()
}

/// After `<!` (at `i`): a comment, or a doctype or anything else read as a bogus comment.
fn markup_declaration(html: &str, i: usize) -> Result<usize, Unsupported> {
    let s = html.as_bytes();
    if !s[i..].starts_with(b"--") {
        return Ok(bogus_comment(s, i));
    }
    let body = i + 2;
    // `<!-->`, `<!--->` and `--!>` end a comment early.
    if s[body..].starts_with(b">") || s[body..].starts_with(b"->") {
        return Err(Unsupported);
    }
    match html[body..].find("-->").map(|e| e + body) {
        Some(end) if html[body..end].contains("--!>") => Err(Unsupported),
        Some(end) => Ok(end + 3),
        None if html[body..].contains("--!>") => Err(Unsupported),
        None => Ok(s.len()),
    }
}

/// After `</` (at `i`): an end tag, `</>` (nothing), or a bogus comment.
fn end_tag(s: &[u8], i: usize) -> Result<usize, Unsupported> {
    match s.get(i) {
        Some(b) if b.is_ascii_alphabetic() => start_tag(s, i, &mut Vec::new()).map(|(end, _)| end),
        Some(b'>') => Ok(i + 1),
        Some(_) => Ok(bogus_comment(s, i)),
        None => Ok(s.len()),
    }
}

/// A bogus comment runs to the next `>`.
fn bogus_comment(s: &[u8], i: usize) -> usize {
    s[i..]
        .iter()
        .position(|&b| b == b'>')
        .map_or(s.len(), |p| i + p + 1)
}

#[cfg(test)]
mod tests {
    use super::super::{parse, parse_with_lol_html, Document};
    use super::*;

    fn same(a: &Document, b: &Document) -> bool {
        a.links == b.links
            && a.anchors == b.anchors
            && a.base == b.base
            && a.generated == b.generated
    }

    /// Reads `html` both ways; `fast` says whether the fast reader must take it.
    fn agree(html: &str, fast: bool) {
        assert_eq!(
            start_tags(html, |_| {}).is_ok(),
            fast,
            "fast reader on {html:?}"
        );
        for want_links in [true, false] {
            let ours = parse(html.as_bytes(), want_links).unwrap();
            let theirs = parse_with_lol_html(html.as_bytes(), want_links).unwrap();
            assert!(
                same(&ours, &theirs),
                "{html:?}\nscan: {ours:?}\nlol_html: {theirs:?}"
            );
        }
    }

    #[test]
    fn tags_and_attributes_as_lol_html_reads_them() {
        for html in [
            "<!DOCTYPE html><html><head><base HREF='/b/'><title>a <a href=x> b</title></head>",
            "<A Href=\"/x\" ID=top NAME=n>t</A><a href=/y/>y</a><img src=a.png srcset=\"b.png 2x, c.png 3x\">",
            "<a href = \"/sp aced\" id='q\"uote' data-x>x</a><a href=\"/one\" href=\"/two\">dup</a>",
            "<a href=\"/a\"id=\"glued\"/><a/href=/slash><a =weird href=/w>w</a><a href='>'>gt</a>",
            "<meta http-equiv=\"Refresh\" content=\"0; url='/there/'\"><link rel=x href=/l.css>",
            "<p>1 < 2 and a<b and <3 and </> and </ x> and <?php x ?> and <!bogus> and <!-></p><a href=/after>",
            "<!-- <a href=/commented> --><a href=/real><!----><!-- a -- b --><a id=\"after-comments\">",
            "<script>var s = '<a href=/in-script>'; if (a</b) {}</script  ><a href=/after-script>",
            "<style>a[href='</x>'] {}</STYLE><textarea><a href=/in-textarea></textarea><a href=/t>",
            "<script type=\"application/json\">{\"a\": \"</scripts>\"}</script><a href=/s2>",
            "<noscript><a href=/ns></noscript><iframe src=/f><a href=/in-frame></iframe><xmp><a id=x></xmp>",
            "<video src=v.mp4 poster=p.png></video><object data=o.svg></object><a href=\"&amp;&#x41;\">",
            "<a href=/é id=é>é</a>\n\n  <a\nhref=/multi\nline>x</a><title/><a href=/after-title></title>",
            "<a href=/unterminated-comment><!-- never closed <a href=/no>",
            "<div id=one></div><div id=two/><br/><a href=/end>",
            "",
            "no tags at all",
        ] {
            agree(html, true);
        }
    }

    #[test]
    fn what_the_fast_reader_leaves_to_lol_html() {
        for html in [
            "<svg><style><a href=/in-svg-style></style></svg><a href=/x>",
            "<math><mi><a href=/m></a></mi></math>",
            "<select><option><script>x</script></select>",
            "<frameset><noframes><a href=/f></noframes></frameset>",
            "<plaintext><a href=/p>",
            "<script><!-- <script></script> --></script><a href=/s>",
            "<!--><a href=/abrupt>",
            "<!-- a --!><a href=/bang>",
            "<a href=/cut",
            "<a href='/unclosed>",
            "<a href=/cr\r\n>",
            "<a href=/nul\0>",
        ] {
            agree(html, false);
        }
    }

    /// Every page the test sites build reads the same both ways, and through the fast
    /// reader unless it holds SVG.
    #[test]
    fn built_pages_read_the_same_both_ways() {
        use crate::site::{render_site, BuildOptions};
        let sites = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites");
        let mut pages = 0;
        for site in std::fs::read_dir(sites).unwrap() {
            let root = site.unwrap().path();
            let options = BuildOptions {
                root,
                ..BuildOptions::default()
            };
            let Ok(rendered) = render_site(&options) else {
                continue;
            };
            for (_, file) in rendered.output.pages() {
                let html = file.body.read().unwrap();
                let html = std::str::from_utf8(&html).unwrap();
                // Inline SVG (an MkDocs theme's icons) is left to lol_html.
                let fast = !html.contains("<svg");
                agree(html, fast);
                pages += usize::from(fast);
            }
        }
        assert!(pages > 10, "only {pages} pages");
    }
}
