//! A light scan of a template's text, before Tera parses it: where each tag is (Tera's
//! syntax tree keeps no positions), how deep tags and brackets nest (Tera parses and
//! renders recursively, so nesting without bound would overflow the stack), and names
//! reserved for dcrsite's own checks.

use super::budget::{MAX_NESTING, RESERVED_PREFIX};

/// A `{{ … }}` or `{% … %}` tag.
#[derive(Debug)]
pub(super) struct Tag<'a> {
    /// Byte offset of the opening `{{` or `{%`.
    pub offset: usize,
    /// `true` for `{% … %}`, `false` for `{{ … }}`.
    pub statement: bool,
    /// The text between the delimiters, without whitespace-control dashes.
    pub inner: &'a str,
}

impl<'a> Tag<'a> {
    /// The first word of a statement (`for`, `include`, `endif`…), or "" for `{{ }}`.
    pub(super) fn keyword(&self) -> &'a str {
        if !self.statement {
            return "";
        }
        let end = self
            .inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(self.inner.len());
        &self.inner[..end]
    }

    /// The text after the keyword.
    pub(super) fn rest(&self) -> &'a str {
        self.inner[self.keyword().len()..].trim_start()
    }

    /// Whether a quoted string in the tag is exactly `name`.
    pub(super) fn quotes(&self, name: &str) -> bool {
        ['"', '\'', '`'].iter().any(|&q| {
            self.inner
                .split(q)
                .skip(1)
                .step_by(2)
                .any(|quoted| quoted == name)
        })
    }
}

/// Something wrong with the text itself: byte offset and message.
pub(super) type Problem = (usize, String);

const OPENERS: [&str; 5] = ["if", "for", "macro", "block", "filter"];

/// The tags of `text` in order, skipping comments and `{% raw %}` sections; or the first
/// place where tags or brackets nest deeper than [`MAX_NESTING`], or a reserved name is
/// used. A tag that is not closed ends the scan (Tera reports it as a syntax error).
pub(super) fn scan(text: &str) -> Result<Vec<Tag<'_>>, Problem> {
    let bytes = text.as_bytes();
    let mut tags = Vec::new();
    let mut open_blocks = 0usize;
    let mut i = 0;
    while let Some(found) = text[i..].find('{') {
        let start = i + found;
        let Some(&kind) = bytes.get(start + 1) else {
            break;
        };
        match kind {
            b'#' => match text[start + 2..].find("#}") {
                Some(end) => i = start + 2 + end + 2,
                None => break,
            },
            b'{' | b'%' => {
                let close = if kind == b'{' { "}}" } else { "%}" };
                let Some((inner_start, inner_end, after)) = tag_body(text, start + 2, close)?
                else {
                    break;
                };
                let inner = text[inner_start..inner_end]
                    .trim()
                    .trim_start_matches('-')
                    .trim_end_matches('-')
                    .trim();
                if let Some(at) = inner.find(RESERVED_PREFIX) {
                    let offset = inner.as_ptr() as usize - text.as_ptr() as usize + at;
                    return Err((
                        offset,
                        format!("names starting with `{RESERVED_PREFIX}` are reserved for dcrsite"),
                    ));
                }
                let tag = Tag {
                    offset: start,
                    statement: kind == b'%',
                    inner,
                };
                let keyword = tag.keyword();
                i = after;
                if OPENERS.contains(&keyword) {
                    open_blocks += 1;
                    if open_blocks > MAX_NESTING {
                        return Err((
                            start,
                            format!("`{{% {keyword} %}}` tags nest more than {MAX_NESTING} deep"),
                        ));
                    }
                } else if keyword
                    .strip_prefix("end")
                    .is_some_and(|k| OPENERS.contains(&k))
                {
                    open_blocks = open_blocks.saturating_sub(1);
                } else if keyword == "raw" {
                    // Everything up to `{% endraw %}` is text.
                    match find_endraw(text, after) {
                        Some(end) => i = end,
                        None => break,
                    }
                }
                tags.push(tag);
            }
            _ => i = start + 1,
        }
    }
    Ok(tags)
}

/// The span of a tag's inside from `from` to its `close` delimiter (outside quotes):
/// (inner start, inner end, offset after the delimiter); `None` if it is not closed.
/// Brackets nesting deeper than [`MAX_NESTING`] are a problem.
fn tag_body(
    text: &str,
    from: usize,
    close: &str,
) -> Result<Option<(usize, usize, usize)>, Problem> {
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    let mut depth = 0usize;
    let mut j = from;
    while j < bytes.len() {
        let b = bytes[j];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' | b'`' => quote = Some(b),
                b'(' | b'[' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err((j, format!("brackets nest more than {MAX_NESTING} deep")));
                    }
                }
                b')' | b']' => depth = depth.saturating_sub(1),
                _ if text[j..].starts_with(close) => return Ok(Some((from, j, j + 2))),
                _ => {}
            },
        }
        j += 1;
    }
    Ok(None)
}

/// The offset just after the `{% endraw %}` tag that ends a raw section begun before `from`.
fn find_endraw(text: &str, from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(found) = text[i..].find("{%") {
        let start = i + found;
        let end = start + text[start..].find("%}")?;
        let inner = text[start + 2..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        if inner == "endraw" {
            return Some(end + 2);
        }
        i = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_skip_comments_raw_sections_and_quoted_delimiters() {
        let text =
            "{# {% if %} #}a{{ x }}{% raw %}{% for %}{% endraw %}{%- if \"%}\" -%}{% endif %}";
        let tags = scan(text).unwrap();
        let seen: Vec<(&str, &str)> = tags.iter().map(|t| (t.keyword(), t.inner)).collect();
        assert_eq!(
            seen,
            [
                ("", "x"),
                ("raw", "raw"),
                ("if", "if \"%}\""),
                ("endif", "endif")
            ]
        );
        assert_eq!(tags[0].offset, 15);
    }

    #[test]
    fn nesting_is_counted_across_tags_and_inside_brackets() {
        let deep = format!("{}{}", "{% if a %}".repeat(65), "{% endif %}".repeat(65));
        assert!(scan(&deep).unwrap_err().1.contains("nest more than 64"));
        let wide = "{% if a %}{% endif %}".repeat(1000);
        assert!(scan(&wide).is_ok());
        let brackets = format!("{{{{ {}1{} }}}}", "(".repeat(65), ")".repeat(65));
        assert_eq!(scan(&brackets).unwrap_err().0, 3 + 64);
    }
}
