//! Front matter: the YAML block between a first line `---` and the next `---`.

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

/// The fields a page may set. Anything else is an error with a suggestion.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub icon: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<String>,
    pub slug: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub toc: Option<bool>,
    /// The page's preview image when shared (`og:image`): a full URL or a site path.
    pub image: Option<String>,
    #[serde(default)]
    pub extra: Option<serde_json::Value>,
    // A contributor page describes a person (content/contributors/*.md).
    pub role: Option<String>,
    pub group: Option<String>,
    pub portrait: Option<String>,
    pub company: Option<String>,
    #[serde(default)]
    pub links: Vec<PersonLink>,
    /// An MkDocs page written for Material's `redirect.html` template: its `location`,
    /// where the page sends readers (never read from a dcrsite site's front matter).
    #[serde(skip)]
    pub redirect: Option<String>,
    /// An MkDocs page left out of the search index (Material's `search: {exclude: true}`).
    #[serde(skip)]
    pub search_exclude: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PersonLink {
    pub name: String,
    pub url: String,
}

/// A Markdown file cut into its front matter and body, with line offsets into the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, when the file has front matter.
    pub yaml: Option<&'a str>,
    /// Lines before the YAML (the opening `---`), to place YAML errors in the file.
    pub yaml_line_offset: usize,
    pub body: &'a str,
    /// Lines before the body.
    pub body_line_offset: usize,
}

/// Splits `text` (BOM already removed). Errors carry line/column but no path.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let mut lines = LineCursor::new(text);
    let Some(first) = lines.next() else {
        return Ok(Split {
            yaml: None,
            yaml_line_offset: 0,
            body: text,
            body_line_offset: 0,
        });
    };
    if first.content.trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            yaml_line_offset: 0,
            body: text,
            body_line_offset: 0,
        });
    }
    let yaml_start = first.end;
    for (line_count, line) in (2..).zip(lines) {
        let trimmed = line.content.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                yaml: Some(&text[yaml_start..line.start]),
                yaml_line_offset: 1,
                body: &text[line.end..],
                body_line_offset: line_count,
            });
        }
    }
    Err(Diagnostic::error("", "front matter is not closed")
        .at(1, 1)
        .with_help("add a line `---` after the front matter's last line"))
}

struct Line<'a> {
    start: usize,
    end: usize,
    content: &'a str,
}

/// Iterates lines with their byte ranges (end includes the line break).
struct LineCursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> LineCursor<'a> {
    fn new(text: &'a str) -> Self {
        LineCursor { text, pos: 0 }
    }
}

impl<'a> Iterator for LineCursor<'a> {
    type Item = Line<'a>;
    fn next(&mut self) -> Option<Line<'a>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (content, len) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += len;
        Some(Line {
            start,
            end: start + len,
            content,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: A\nicon: Code\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, Some("title: A\nicon: Code\n"));
        assert_eq!(s.yaml_line_offset, 1);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line_offset, 4);
    }

    #[test]
    fn crlf_and_empty_front_matter() {
        let s = split("---\r\n---\r\nx").unwrap();
        assert_eq!(s.yaml, Some(""));
        assert_eq!(s.body, "x");
        assert_eq!(s.body_line_offset, 2);
    }

    #[test]
    fn no_front_matter_when_first_line_is_not_a_fence() {
        let s = split("# T\n\n---\n\ntext").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body_line_offset, 0);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("---\ntitle: x\n# body\n").unwrap_err();
        assert_eq!(e.message, "front matter is not closed");
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn only_front_matter() {
        let s = split("---\ntitle: x\n---").unwrap();
        assert_eq!(s.body, "");
    }
}
