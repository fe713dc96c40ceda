//! The notation of `pymdownx.snippets`, read as pymdownx reads it: include lines
//! (`--8<-- "file.md"`, any number of dashes on each side of `8<`), block markers, `;`
//! escapes, section markers (`--8<-- [start:name]`) and what part of a file a name
//! selects (`file.md:3:8,12:`, `file.md:-3:`, `file.md:name`).

/// A line that is snippet notation.
#[derive(Debug, PartialEq)]
pub(super) enum Notation<'a> {
    /// `;--8<-- …`: the line as written without its first `;`.
    Escaped,
    /// `--8<-- "file.md"` at `indent` bytes: the quoted name, trimmed.
    Inline { indent: usize, name: &'a str },
    /// `--8<--` alone: opens or closes a block of file names.
    Block,
}

/// The line as snippet notation (pymdownx's `RE_ALL_SNIPPETS`), if it is.
pub(super) fn notation(text: &str) -> Option<Notation<'_>> {
    let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
    let rest = &text[indent..];
    let unescaped = rest.trim_start_matches(';');
    let escaped = unescaped.len() != rest.len();
    let after = marker_end(unescaped)?;
    let tail = &unescaped[after..];
    if tail.is_empty() {
        return Some(if escaped {
            Notation::Escaped
        } else {
            Notation::Block
        });
    }
    let quoted = tail.trim_start_matches([' ', '\t']);
    if quoted.len() == tail.len() || !is_quoted(quoted) {
        return None;
    }
    if escaped {
        return Some(Notation::Escaped);
    }
    Some(Notation::Inline {
        indent,
        name: quoted[1..quoted.len() - 1].trim(),
    })
}

/// Where `-{1,}8<-{1,}` at the start of `s` ends.
fn marker_end(s: &str) -> Option<usize> {
    let dashes = s.len() - s.trim_start_matches('-').len();
    let rest = s[dashes..].strip_prefix("8<")?;
    let after = rest.len() - rest.trim_start_matches('-').len();
    (dashes > 0 && after > 0).then_some(s.len() - rest.len() + after)
}

/// `"name"` or `'name'`: a non-empty name whose quote character appears inside only
/// after a backslash, and nothing after the closing quote.
fn is_quoted(s: &str) -> bool {
    let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        return false;
    };
    if s.len() < 3 || !s.ends_with(q) {
        return false;
    }
    let inner = &s[1..s.len() - 1];
    inner
        .match_indices(q)
        .all(|(i, _)| inner[..i].ends_with('\\'))
}

/// A section marker found in a line: `--8<-- [start:name]` or `[end:name]`.
pub(super) struct SectionMarker<'a> {
    /// The line without one of the marker's escaping `;`s, when it is escaped.
    pub unescaped: Option<String>,
    pub start: bool,
    pub name: &'a str,
}

/// The first section marker in the line (pymdownx's `RE_SNIPPET_SECTION`), if any.
pub(super) fn section_marker(line: &str) -> Option<SectionMarker<'_>> {
    // Most lines hold none (this runs on every line of every snippet).
    if !line.contains("8<-") {
        return None;
    }
    for (at, _) in line.match_indices("8<-") {
        let dashes = at - line[..at].trim_end_matches('-').len();
        if dashes == 0 {
            continue;
        }
        let marker = at - dashes;
        let semis = marker - line[..marker].trim_end_matches(';').len();
        let rest = line[at + 2..].trim_start_matches('-');
        let spaced = rest.trim_start_matches([' ', '\t']);
        if spaced.len() == rest.len() {
            continue;
        }
        let Some((start, name)) = section(spaced) else {
            continue;
        };
        let unescaped = (semis > 0).then(|| {
            let semi = marker - semis;
            format!("{}{}", &line[..semi], &line[semi + 1..])
        });
        return Some(SectionMarker {
            unescaped,
            start,
            name,
        });
    }
    None
}

/// `[ start : name ]` at the start of `s`: whether it starts, and the name.
fn section(s: &str) -> Option<(bool, &str)> {
    let s = s.strip_prefix('[')?.trim_start_matches([' ', '\t']);
    let start = if s.get(..5).is_some_and(|w| w.eq_ignore_ascii_case("start")) {
        true
    } else if s.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("end")) {
        false
    } else {
        return None;
    };
    let s = s[if start { 5 } else { 3 }..].trim_start_matches([' ', '\t']);
    let s = s.strip_prefix(':')?.trim_start_matches([' ', '\t']);
    let len = name_len(s);
    if len == 0 {
        return None;
    }
    let after = s[len..].trim_start_matches([' ', '\t']);
    after.starts_with(']').then_some((start, &s[..len]))
}

/// The length of the section name (`[a-z][-_0-9a-z]*`, any case) at the start of `s`.
fn name_len(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return 0;
    }
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(s.len())
}

/// What a snippet name selects: the file, and its line ranges or its section.
#[derive(Debug, PartialEq)]
pub(super) struct Target<'a> {
    pub path: &'a str,
    /// `(start, end)` as Python slice bounds: 0-based start (negative from the end).
    pub ranges: Vec<(Option<i64>, Option<i64>)>,
    pub section: Option<&'a str>,
}

/// Splits `file.md:1:5,8:`, `file.md:name` or `file.md`; None when no file is named.
pub(super) fn target(name: &str) -> Option<Target<'_>> {
    let (path, spec) = split(name);
    let path = path.trim();
    if path.is_empty() {
        return None;
    }
    let mut t = Target {
        path,
        ranges: Vec::new(),
        section: None,
    };
    match spec {
        Some(s) if s.as_bytes()[1].is_ascii_alphabetic() => t.section = Some(&s[1..]),
        Some(s) => {
            for nums in s[1..].split(',') {
                let mut span = nums.split(':');
                let st = span.next().and_then(|n| n.parse::<i64>().ok());
                let en = span.next().and_then(|n| n.parse::<i64>().ok());
                t.ranges
                    .push((st.map(|s| if s < 0 { s } else { (s - 1).max(0) }), en));
            }
        }
        None => {}
    }
    Some(t)
}

/// The name before the first `:` that starts a line range or section running to the end.
fn split(name: &str) -> (&str, Option<&str>) {
    for (at, _) in name.match_indices(':') {
        let rest = &name[at..];
        if line_ranges(rest.as_bytes())
            || (rest.len() > 1 && name_len(&rest[1..]) == rest.len() - 1)
        {
            return (&name[..at], Some(rest));
        }
    }
    (name, None)
}

/// `:N`, `:N:N`, then any `,N` or `,N:N` (each number optional and may be negative).
fn line_ranges(b: &[u8]) -> bool {
    let number_end = |mut j: usize| {
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        j
    };
    let span_end = |j: usize| {
        let j = number_end(j);
        if b.get(j) == Some(&b':') {
            number_end(j + 1)
        } else {
            j
        }
    };
    let mut j = span_end(1);
    while j < b.len() {
        let starts_number = b.get(j + 1).is_some_and(|c| b"-0123456789:".contains(c));
        if b[j] != b',' || !starts_number {
            return false;
        }
        j = span_end(j + 1);
    }
    true
}

/// The lines a list of ranges selects (Python slices, negative bounds from the end).
pub(super) fn select_ranges(
    lines: &[String],
    ranges: &[(Option<i64>, Option<i64>)],
) -> Vec<String> {
    let total = lines.len() as i64;
    let mut out = Vec::new();
    for &(st, en) in ranges {
        let st = match st {
            Some(s) if s < 0 => (total + s).clamp(0, total),
            Some(s) => s.min(total),
            None => 0,
        };
        let en = match en {
            Some(e) if e < 0 => (total + 1 + e).clamp(0, total),
            Some(e) => e.min(total),
            None => total,
        };
        if st < en {
            out.extend_from_slice(&lines[st as usize..en as usize]);
        }
    }
    out
}

/// The lines of section `name`, markers of other sections left out; None when the file
/// has no such section.
pub(super) fn select_section(lines: &[String], name: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut found = false;
    for line in lines {
        let mut text = line.as_str();
        let unescaped;
        match section_marker(line) {
            Some(SectionMarker {
                unescaped: Some(u), ..
            }) => {
                unescaped = u;
                text = &unescaped;
            }
            Some(m) if m.name == name => match (inside, m.start) {
                (false, true) => {
                    inside = true;
                    found = true;
                    continue;
                }
                (true, true) => continue,
                _ => break,
            },
            Some(_) if inside => continue,
            _ => {}
        }
        if inside {
            out.push(text.to_string());
        }
    }
    found.then_some(out)
}

/// Python's `textwrap.dedent`: the common leading white space taken off; lines of
/// white space only become empty (and no lines one empty line, as Python's join and
/// split make it).
pub(super) fn dedent(lines: Vec<String>) -> Vec<String> {
    if lines.is_empty() {
        return vec![String::new()];
    }
    let margin = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .reduce(|a, b| {
            let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            &a[..common]
        })
        .unwrap_or("")
        .len();
    lines
        .into_iter()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                l[margin..].to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_as_pymdownx_reads_it() {
        let inline = |indent, name| Some(Notation::Inline { indent, name });
        assert_eq!(notation("--8<-- \"a.md\""), inline(0, "a.md"));
        assert_eq!(notation("  -8<-\t'b.md'"), inline(2, "b.md"));
        assert_eq!(notation("---8<---"), Some(Notation::Block));
        assert_eq!(notation(";--8<-- \"a.md\""), Some(Notation::Escaped));
        assert_eq!(notation("--8<-- \"a.md\" "), None);
        assert_eq!(notation("--8<--\"a.md\""), None);
        assert_eq!(notation("8<-- \"a.md\""), None);
        assert_eq!(notation("--8<-- \"\""), None);
    }

    #[test]
    fn targets_split_as_pymdownx_splits_them() {
        let t = target("lines.txt:4:6,8:").unwrap();
        assert_eq!(
            (t.path, t.ranges),
            ("lines.txt", vec![(Some(3), Some(6)), (Some(7), None)])
        );
        let t = target("a.py:py-section").unwrap();
        assert_eq!((t.path, t.section), ("a.py", Some("py-section")));
        assert_eq!(target("c:/x.md").unwrap().path, "c:/x.md");
        assert_eq!(target(":3"), None);
        let t = target("lines.txt::6").unwrap();
        assert_eq!(t.ranges, vec![(None, Some(6))]);
    }

    #[test]
    fn sections_and_ranges_select_lines() {
        let lines: Vec<String> = [
            "a",
            "# --8<-- [start: s]",
            "  b",
            "   c",
            "# --8<-- [end:s]",
            "d",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(select_section(&lines, "s").unwrap(), ["  b", "   c"]);
        assert_eq!(select_section(&lines, "t"), None);
        assert_eq!(dedent(select_section(&lines, "s").unwrap()), ["b", " c"]);
        assert_eq!(select_ranges(&lines, &[(Some(-1), None)]), ["d"]);
        assert_eq!(select_ranges(&lines, &[(None, Some(-6))]), ["a"]);
    }
}
