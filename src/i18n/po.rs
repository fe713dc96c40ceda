//! GNU gettext `.po` catalogues, the format decred.org's translators use: `msgid` is the
//! theme string's key, `msgstr` its text in the catalogue's language. Read here rather
//! than with a crate: the theme needs only `msgid`/`msgstr` pairs, and errors must name
//! the line and column of the problem (polib, the crate there is, names neither).
//! Fuzzy entries are skipped (as gettext does), so are untranslated ones (an empty
//! `msgstr`); `msgctxt` and plural forms are refused.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;

/// A catalogue: key → text, and the line of each key (for messages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub strings: BTreeMap<String, String>,
    pub lines: BTreeMap<String, usize>,
}

/// Which string a line continues.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Id,
    Str,
}

/// An entry being read.
#[derive(Default)]
struct Entry {
    id: Option<String>,
    text: Option<String>,
    line: usize,
    fuzzy: bool,
}

/// Parses the text of a `.po` file shown as `path` in messages.
pub fn parse(text: &str, path: &str) -> Result<Catalogue, Diagnostic> {
    let mut catalogue = Catalogue::default();
    let mut entry = Entry::default();
    let mut field = Field::None;
    let mut fuzzy_next = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        let error = |column: usize, message: &str| {
            Diagnostic::error(path, message.to_string()).at(n, column)
        };
        if line.is_empty() {
            continue;
        }
        if let Some(flags) = line.strip_prefix("#,") {
            fuzzy_next = flags.split(',').any(|f| f.trim() == "fuzzy");
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let (keyword, rest) = match line.split_once(char::is_whitespace) {
            Some((k, r)) if !line.starts_with('"') => (k, r.trim_start()),
            _ => ("", line),
        };
        match keyword {
            "msgid" => {
                finish(&mut entry, &mut catalogue);
                entry = Entry {
                    id: Some(String::new()),
                    line: n,
                    fuzzy: std::mem::take(&mut fuzzy_next),
                    ..Entry::default()
                };
                field = Field::Id;
            }
            "msgstr" if entry.id.is_some() => {
                entry.text = Some(String::new());
                field = Field::Str;
            }
            "" if field != Field::None => {}
            "msgctxt" | "msgid_plural" => {
                return Err(error(indent + 1, &format!("`{keyword}` is not supported"))
                    .with_help("theme strings have one form and no context: write `msgid` and `msgstr` only"));
            }
            _ if keyword.starts_with("msgstr[") => {
                return Err(error(indent + 1, "plural forms are not supported")
                    .with_help("write one `msgstr` per `msgid`"));
            }
            _ => {
                return Err(error(
                    indent + 1,
                    "expected `msgid`, `msgstr`, a quoted string or a comment",
                )
                .with_help("each entry is `msgid \"key\"` then `msgstr \"text\"`"));
            }
        }
        let column = indent + line.len() - rest.len() + 1;
        let value = unquote(rest).map_err(|(offset, message)| error(column + offset, message))?;
        let target = match field {
            Field::Id => entry.id.as_mut(),
            Field::Str => entry.text.as_mut(),
            Field::None => None,
        };
        if let Some(target) = target {
            target.push_str(&value);
        }
    }
    finish(&mut entry, &mut catalogue);
    Ok(catalogue)
}

/// Keeps a finished entry: not the header (empty `msgid`), not fuzzy, not untranslated.
fn finish(entry: &mut Entry, catalogue: &mut Catalogue) {
    let entry = std::mem::take(entry);
    let (Some(id), Some(text)) = (entry.id, entry.text) else {
        return;
    };
    if id.is_empty() || text.is_empty() || entry.fuzzy {
        return;
    }
    catalogue.lines.insert(id.clone(), entry.line);
    catalogue.strings.insert(id, text);
}

/// The text of a C-style quoted string; on error, the byte offset and what is wrong.
fn unquote(s: &str) -> Result<String, (usize, &'static str)> {
    let inner = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|_| s.len() >= 2)
        .ok_or((0, "expected a string in double quotes"))?;
    let mut out = String::new();
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            return Err((i + 1, "a `\"` inside a string must be written `\\\"`"));
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next().map(|(_, e)| e) {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(e @ ('"' | '\\')) => out.push(e),
            _ => return Err((i + 1, "unknown escape: use \\n, \\t, \\\" or \\\\")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_continuations_and_escapes() {
        let text = "# Spanish\nmsgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"on_this_page\"\nmsgstr \"En esta \"\n\"página\"\n\n#, fuzzy\nmsgid \"menu\"\nmsgstr \"Menú\"\n\nmsgid \"next\"\nmsgstr \"\"\n\nmsgid \"quote\"\nmsgstr \"a \\\"b\\\"\"\n";
        let c = parse(text, "es.po").unwrap();
        assert_eq!(c.strings["on_this_page"], "En esta página");
        assert_eq!(c.lines["on_this_page"], 5);
        assert_eq!(c.strings["quote"], "a \"b\"");
        assert!(!c.strings.contains_key("menu"), "fuzzy");
        assert!(!c.strings.contains_key("next"), "untranslated");
        assert!(!c.strings.contains_key(""), "header");
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse("msgid \"a\"\nmsgstr \"b\nc\"\n", "x.po").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(8)), "{e}");
        let e = parse("msgid \"a\"\nmsgstr \"b\\q\"\n", "x.po").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(10)), "{e}");
        let e = parse("msgctxt \"x\"\n", "x.po").unwrap_err();
        assert!(e.message.contains("msgctxt"), "{e}");
        let e = parse("  hello\n", "x.po").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(3)), "{e}");
    }
}
