//! Attribute lists (`attr_list`): `{: #id .class key="value" flag }` read the way
//! Python-Markdown's `attr_list` reads them (its scanner, its three positions and its
//! quirks: an unparsable rest before `}` rejects a block's list but not an inline one).

use crate::icons::html_escape;

/// One entry of a list: `(".", class)`, or a name and its value (`None`: valueless).
pub(super) type Entry = (String, Option<String>);

/// Python-Markdown's `BASE_RE` (`\{:?[ ]*([^}\n ][^\n]*)\}`) at the start of `s` (one
/// line): the group's range, which ends at the line's last `}`.
fn base(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'{') {
        return None;
    }
    let close = s.rfind('}')?;
    let group = |from: usize| {
        let g = from + b[from..].iter().take_while(|&&c| c == b' ').count();
        (g < close && b[g] != b'}').then_some(g)
    };
    // The `:` is optional: the regex gives it back when nothing else fits after it.
    let g = if b.get(1) == Some(&b':') {
        group(2).or_else(|| group(1))
    } else {
        group(1)
    }?;
    Some((g, close))
}

/// `HEADER_RE` (headings, table cells, terms): ` {…}` ending `text`. Returns where the
/// spaces before it start and the list's inside.
pub(super) fn header_match(text: &str) -> Option<(usize, &str)> {
    let t = text.trim_end_matches(' ');
    if !t.ends_with('}') {
        return None;
    }
    let line = t.rfind('\n').map_or(0, |i| i + 1);
    let mut from = line;
    while let Some(i) = t[from..].find(" {") {
        let brace = from + i + 1;
        if let Some((g, close)) = base(&t[brace..]) {
            if brace + close + 1 == t.len() {
                let spaces = t[line..brace].trim_end_matches(' ').len() + line;
                return Some((spaces, &t[brace + g..brace + close]));
            }
        }
        from = brace;
    }
    None
}

/// `BLOCK_RE` (paragraphs, list items): `line`, the block's last line, is a list alone.
pub(super) fn block_match(line: &str) -> Option<&str> {
    let t = line.trim_matches(' ');
    if !t.ends_with('}') {
        return None;
    }
    let (g, close) = base(t)?;
    (close + 1 == t.len()).then(|| &t[g..close])
}

/// `INLINE_RE`: a list starting `tail`, the text after an inline element. Returns the
/// list's inside and where the match ends.
pub(super) fn inline_match(tail: &str) -> Option<(&str, usize)> {
    let line = &tail[..tail.find('\n').unwrap_or(tail.len())];
    let (g, close) = base(line)?;
    Some((&line[g..close], close + 1))
}

/// Where `text`, a text node, may hold attribute lists (at its start when it is a
/// `tail`, the text after an inline element; ending its last line): byte ranges, last
/// first. The inline pass leaves them alone, as attr_list reads them before smarty's
/// quotes and dashes.
pub(crate) fn candidates(text: &str, tail: bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    if !text.contains('{') {
        return out;
    }
    let newline = text.rfind('\n');
    let line = newline.map_or(0, |i| i + 1);
    let last = &text[line..];
    if let Some((at, _)) = header_match(last) {
        out.push(line + at..text.len());
    } else if newline.is_some() && block_match(last).is_some() {
        out.push(line..text.len());
    }
    if let Some((_, end)) = inline_match(text).filter(|_| tail) {
        if out.first().is_none_or(|r| r.start >= end) {
            out.push(0..end);
        }
    }
    out
}

/// Python-Markdown's scanner over a list's inside: the entries and the rest it could not
/// read, from its first `}` on (empty when there is none).
pub(super) fn scan(s: &str) -> (Vec<Entry>, &str) {
    let b = s.as_bytes();
    let key = |from: usize| {
        from + b[from..]
            .iter()
            .take_while(|&&c| !matches!(c, b' ' | b'=' | b'}'))
            .count()
    };
    let mut entries = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b' ' {
            i += 1;
            continue;
        }
        let k = key(i);
        if k == i {
            break;
        }
        let name = &s[i..k];
        if b.get(k) == Some(&b'=') {
            let quote = b.get(k + 1).copied().filter(|&q| q == b'"' || q == b'\'');
            if let Some(end) = quote.and_then(|q| s[k + 2..].find(q as char)) {
                let q = quote.expect("just matched") as char;
                let value = s[k + 1..k + 3 + end].trim_matches(q);
                entries.push((name.to_string(), Some(value.to_string())));
                i = k + 3 + end;
                continue;
            }
            let v = key(k + 1);
            if v > k + 1 {
                entries.push((name.to_string(), Some(s[k + 1..v].to_string())));
                i = v;
                continue;
            }
        }
        entries.push(word(name));
        i = k;
    }
    let rest = &s[i..];
    (entries, rest.find('}').map_or("", |j| &rest[j..]))
}

fn word(t: &str) -> Entry {
    if let Some(class) = t.strip_prefix('.') {
        return (".".into(), Some(class.into()));
    }
    if let Some(id) = t.strip_prefix('#') {
        return ("id".into(), Some(id.into()));
    }
    (t.into(), None)
}

/// Attributes written `name` alone that MkDocs (XHTML output) writes `name="name"`.
const BOOLEAN: &[&str] = &[
    "checked", "compact", "declare", "defer", "disabled", "ismap", "multiple", "noresize",
    "noshade", "nowrap", "readonly", "selected",
];

/// Python-Markdown's `sanitize_name`: each run of characters an XML name cannot hold
/// becomes `_`.
pub(super) fn sanitize(name: &str) -> String {
    let ok = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(c, '_' | ':' | '-' | '.' | '\u{b7}')
            || matches!(c as u32,
                0xc0..=0xd6 | 0xd8..=0xf6 | 0xf8..=0x2ff | 0x300..=0x37d | 0x37f..=0x1fff
                | 0x200c..=0x200d | 0x203f..=0x2040 | 0x2070..=0x218f | 0x2c00..=0x2fef
                | 0x3001..=0xd7ff | 0xf900..=0xfdcf | 0xfdf0..=0xfffd)
    };
    let mut out = String::with_capacity(name.len());
    let mut in_bad_run = false;
    for c in name.chars() {
        if ok(c) {
            out.push(c);
        } else if !in_bad_run {
            out.push('_');
        }
        in_bad_run = !ok(c);
    }
    out
}

/// An element's attributes in the order they were set.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Attrs(pub Vec<Entry>);

impl Attrs {
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_deref())
    }

    pub(super) fn set(&mut self, name: &str, value: Option<String>) {
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    /// Applies a list's entries as `assign_attrs` does: classes added, the rest set.
    pub(super) fn assign(&mut self, entries: Vec<Entry>) {
        for (k, v) in entries {
            if k == "." {
                let class = match self.get("class").filter(|c| !c.is_empty()) {
                    Some(c) => format!("{c} {}", v.unwrap_or_default()),
                    None => v.unwrap_or_default(),
                };
                self.set("class", Some(class));
            } else {
                let name = sanitize(&k);
                let v = v.or_else(|| {
                    BOOLEAN
                        .contains(&name.to_lowercase().as_str())
                        .then(|| name.clone())
                });
                self.set(&name, v);
            }
        }
    }

    /// ` k="v"` for each (` k` when valueless), sorted by name as MkDocs writes them.
    pub(super) fn html(&self) -> String {
        self.html_after(&[])
    }

    /// As `html`, with the attributes named in `first` first, in that order (an image's
    /// `src` and `alt`, where dcrsite always wrote them).
    pub(super) fn html_after(&self, first: &[&str]) -> String {
        let rank = |k: &str| first.iter().position(|f| *f == k).unwrap_or(first.len());
        let mut sorted: Vec<&Entry> = self.0.iter().collect();
        sorted.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
        let mut s = String::new();
        for (k, v) in sorted {
            s.push(' ');
            s.push_str(k);
            if let Some(v) = v {
                s.push_str("=\"");
                s.push_str(&html_escape(v));
                s.push('"');
            }
        }
        s
    }
}

/// The entries of a block's list, or `None` when its rest rejects it (strict).
pub(super) fn strict(inside: &str) -> Option<Vec<Entry>> {
    let (entries, rest) = scan(inside);
    rest.is_empty().then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(k: &str, v: Option<&str>) -> Entry {
        (k.to_string(), v.map(str::to_string))
    }

    #[test]
    fn the_scanner_reads_what_python_markdown_reads() {
        let (entries, rest) = scan(r#".a #b k="v w" c='x' d=e flag"#);
        assert_eq!(
            entries,
            vec![
                e(".", Some("a")),
                e("id", Some("b")),
                e("k", Some("v w")),
                e("c", Some("x")),
                e("d", Some("e")),
                e("flag", None)
            ]
        );
        assert_eq!(rest, "");
        assert_eq!(scan("foo=\"bar").0, vec![e("foo", Some("\"bar"))]);
        assert_eq!(
            scan(r#"data-test="x" =a"#),
            (vec![e("data-test", Some("x"))], "")
        );
        assert_eq!(scan(".a} text {b"), (vec![e(".", Some("a"))], "} text {b"));
    }

    #[test]
    fn the_three_positions() {
        assert_eq!(header_match("Heading {.a} }"), Some((7, ".a} ")));
        assert_eq!(header_match("Bad { {: #h }"), Some((3, "{: #h ")));
        assert_eq!(header_match("D{ .foo }"), None);
        assert_eq!(header_match("C { }"), None);
        assert_eq!(block_match("{: #p .c }"), Some("#p .c "));
        assert_eq!(block_match("{:}"), Some(":"));
        assert_eq!(inline_match("{.a} x"), Some((".a", 4)));
        assert_eq!(inline_match("{ foo=bar"), None);
    }

    #[test]
    fn assigning_adds_classes_and_sets_the_rest() {
        let mut a = Attrs::default();
        a.assign(strict("#x .a id=y class='b c' .d checked download").unwrap());
        assert_eq!(
            a.html(),
            r#" checked="checked" class="b c d" download id="y""#
        );
        assert_eq!(sanitize("{:"), "_:");
        assert_eq!(sanitize("a{}b"), "a_b");
    }
}
