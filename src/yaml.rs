//! YAML parsing with errors placed in the file the YAML came from.
//!
//! Front matter is a fragment of a Markdown file, so serde_yaml's positions (relative to
//! the fragment) are shifted by the lines before it. Unknown keys get a "did you mean".

use serde::de::DeserializeOwned;

use crate::diagnostics::{quoted, suggest, Diagnostic};

mod depth;

pub use depth::MAX_DEPTH;

/// Parses `text`, which starts at line `line_offset + 1` of `path`. Every YAML dcrsite
/// reads (site.yaml, mkdocs.yml, front matter) comes through here. YAML nesting more than
/// [`MAX_DEPTH`] levels is refused before the parser sees it: the parser's time grows
/// with the square of the nesting.
pub fn parse<T: DeserializeOwned + Default>(
    text: &str,
    path: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    if text.trim().is_empty() {
        // An empty document is YAML null; an empty config/front matter means "all defaults".
        return Ok(T::default());
    }
    if let Some(offset) = depth::too_deep(text, MAX_DEPTH) {
        let (line, column) = crate::diagnostics::LineIndex::new(text).position(offset);
        return Err(Diagnostic::error(
            path,
            format!("YAML nests more than {MAX_DEPTH} levels deep"),
        )
        .at(line + line_offset, column)
        .with_help(format!(
            "flatten it: lists and mappings may nest {MAX_DEPTH} levels (each open `[` or `{{`, and each indented or `- ` level, counts one)"
        )));
    }
    serde_yaml::from_str(text).map_err(|err| to_diagnostic(&err, text, path, line_offset))
}

/// Turns a serde_yaml error into a diagnostic at the right file position.
pub fn to_diagnostic(
    err: &serde_yaml::Error,
    text: &str,
    path: &str,
    line_offset: usize,
) -> Diagnostic {
    let full = err.to_string();
    // serde_yaml appends " at line L column C"; we print the position ourselves.
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let message = message.trim_start_matches(": ").to_string();
    // Nested errors come as `icons: unknown field …`; say where, after the problem.
    let (key_path, message) = split_key_path(&message);
    let mut described = describe(message);
    if let Some(key_path) = key_path {
        described.push_str(&format!(" (in `{key_path}`)"));
    }
    let mut d = Diagnostic::error(path, described);
    if let Some(loc) = err.location() {
        d = d.at(loc.line() + line_offset, loc.column());
    }
    // serde places a duplicate key at the start of its map; point at the repeat instead.
    // Typed structs say ``duplicate field `k` ``; untyped values `duplicate entry with key "k"`.
    let duplicate = message
        .strip_prefix("duplicate field `")
        .and_then(|r| r.split('`').next())
        .or_else(|| {
            message
                .strip_prefix("duplicate entry with key \"")
                .and_then(|r| r.split('"').next())
        });
    if let Some(key) = duplicate {
        if let Some(line) = repeated_key_line(text, key) {
            d = d.at(line + line_offset, 1);
        }
    }
    d.help = help_for(message);
    d
}

/// `icons.dir: invalid type …` → (`icons.dir`, `invalid type …`).
fn split_key_path(message: &str) -> (Option<&str>, &str) {
    const PROBLEMS: &[&str] = &[
        "unknown field",
        "duplicate field",
        "invalid type",
        "invalid value",
        "missing field",
        "unknown variant",
    ];
    for problem in PROBLEMS {
        if let Some(i) = message.find(&format!(": {problem}")) {
            return (Some(&message[..i]), &message[i + 2..]);
        }
    }
    (None, message)
}

/// Friendlier wording for the most common YAML mistakes.
fn describe(message: &str) -> String {
    if message.contains("found character that cannot start any token") {
        return format!("invalid YAML: {message} (tabs cannot indent YAML)");
    }
    if message.starts_with("unknown field") || message.starts_with("duplicate field") {
        return message.to_string();
    }
    format!("invalid YAML: {message}")
}

fn help_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let words: Vec<&str> = quoted(rest, '`').collect();
        let (wrong, expected) = words.split_first()?;
        let expected_list = expected
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Some(match suggest(wrong, expected.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? Known keys: {expected_list}"),
            None => format!("remove it; known keys: {expected_list}"),
        });
    }
    if message.starts_with("duplicate field") || message.starts_with("duplicate entry") {
        return Some("each key may appear once: remove or merge the repeated one".to_string());
    }
    if message.contains("cannot start any token") {
        return Some("indent with spaces, not tabs".to_string());
    }
    if message.contains("invalid type") {
        return Some("check the value's type: numbers unquoted, lists as `[a, b]` or `- a` lines, true/false for flags".to_string());
    }
    None
}

/// The 1-based line of the second `key:` at the same indentation as the first.
fn repeated_key_line(text: &str, key: &str) -> Option<usize> {
    let mut first_indent = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let is_key = trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'));
        if !is_key {
            continue;
        }
        match first_indent {
            None => first_indent = Some(indent),
            Some(first) if first == indent => return Some(i + 1),
            Some(_) => {}
        }
    }
    None
}

/// The 1-based line and column of top-level key `key`'s value, for errors about the
/// value; the key's own column when the value starts on a later line (a list).
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?;
        let after_colon = rest.trim_start().strip_prefix(':')?;
        let value = after_colon.trim_start();
        let column = if value.is_empty() || value.starts_with('#') {
            1
        } else {
            line[..line.len() - value.len()].chars().count() + 1
        };
        Some((i + 1, column))
    })
}

/// Byte offset of `value` written as a whole YAML value in `text` (after `: `, `- `, `[`,
/// `,` or inside quotes), for a link a template shows from data.
pub fn find_value(text: &str, value: &str) -> Option<usize> {
    if value.len() < 2 {
        return None;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find(value) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + value.len()..].chars().next();
        let starts = matches!(before, Some(' ' | '"' | '\'' | '\t' | '[' | ','));
        let ends = matches!(
            after,
            None | Some('\n' | '\r' | '"' | '\'' | ' ' | ',' | '}' | ']')
        );
        if starts && ends {
            return Some(at);
        }
        from = at + value.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Fm {
        title: Option<String>,
        weight: Option<i64>,
    }

    #[test]
    fn key_positions_point_at_values() {
        let text = "title: A\nicon:   Cdoe\naliases:\n  - /x/\nnote: é\n";
        assert_eq!(key_position(text, "icon"), Some((2, 9)));
        assert_eq!(key_position(text, "aliases"), Some((3, 1)));
        assert_eq!(key_position(text, "title"), Some((1, 8)));
        assert_eq!(key_position(text, "missing"), None);
        assert_eq!(key_position(text, "note").map(|(line, _)| line), Some(5));
    }

    #[test]
    fn finds_whole_values() {
        assert_eq!(
            find_value("url: /gone/x\n", "/gone/"),
            None,
            "a prefix is not the value"
        );
        assert_eq!(find_value("url: /gone/\n", "/gone/"), Some(5));
        assert_eq!(find_value("a: [x.js, y.js]\n", "x.js"), Some(4));
        assert_eq!(find_value("a: [x.js,y.js]\n", "y.js"), Some(9));
        assert_eq!(find_value("- 'q.css'\n", "q.css"), Some(3));
    }

    #[test]
    fn unknown_field_is_placed_in_the_file_with_suggestion() {
        let err = parse::<Fm>("title: a\ntitel: b\n", "content/a.md", 1).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message.starts_with("unknown field `titel`"),
            "{}",
            err.message
        );
        assert!(err.help.unwrap().starts_with("did you mean `title`?"));
    }

    #[test]
    fn values_are_kept_as_written() {
        let fm: Fm = parse("title: no\n", "a", 0).unwrap();
        assert_eq!(fm.title.as_deref(), Some("no"));
        let fm: Fm = parse("title: 2024-01-01\n", "a", 0).unwrap();
        assert_eq!(fm.title.as_deref(), Some("2024-01-01"));
    }

    #[test]
    fn tab_indentation_and_wrong_types_are_errors() {
        let err = parse::<Fm>("title: a\nweight: heavy\n", "a.md", 1).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("invalid type"), "{}", err.message);
        let fm: Fm = parse("weight: 3\n", "a.md", 0).unwrap();
        assert_eq!(fm.weight, Some(3));
        let err = parse::<Fm>("title:\n\t- a\n", "a.md", 0).unwrap_err();
        assert!(err.message.contains("tabs"), "{}", err.message);
    }

    #[test]
    fn duplicate_key_points_at_the_repeat() {
        let err = parse::<Fm>("title: a\nweight: 1\ntitle: b\n", "a.md", 1).unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.contains("duplicate field `title`"));
    }

    #[test]
    fn empty_text_is_defaults() {
        let fm: Fm = parse("  \n", "a", 0).unwrap();
        assert!(fm.title.is_none());
    }

    #[test]
    fn finds_key_lines() {
        assert_eq!(key_position("title: a\nicon: X\n", "icon"), Some((2, 7)));
        assert_eq!(key_position("iconic: a\n", "icon"), None);
    }
}
