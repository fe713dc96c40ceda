//! Attribute lists (`attr_list`): `{: #id .class key="value" }` parsed into HTML attributes.

use crate::icons::html_escape;

/// `## Title {: #id .c }` → `## Title { #id .c }`, the form pulldown-cmark reads.
pub(super) fn heading_attr_colon(text: &mut String) {
    let t = text.trim_start();
    if !(t.starts_with('#') && t.trim_end().ends_with('}')) {
        return;
    }
    if let Some(i) = text.rfind("{:") {
        text.replace_range(i..i + 2, "{");
    }
}

/// Parses an attribute list `{: .a #b k="v" }` at the start of `s`; returns the HTML
/// attributes (` class="a" id="b" k="v"`) and the length consumed.
pub(super) fn parse_attrs(s: &str) -> Option<(Attrs, usize)> {
    let inner_start = if s.starts_with("{:") {
        2
    } else if s.starts_with('{') {
        1
    } else {
        return None;
    };
    let end = s.find('}')?;
    let inner = &s[inner_start..end];
    let mut attrs = Attrs::default();
    let mut rest = inner.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let tok_end = if let Some(eq) = rest
            .find('=')
            .filter(|&e| !rest[..e].contains(char::is_whitespace) && !rest.starts_with(['.', '#']))
        {
            // key="value with spaces" / key=value
            let after = &rest[eq + 1..];
            let (value, len) = if let Some(q) = after.strip_prefix('"') {
                let e = q.find('"')?;
                (&q[..e], e + 2)
            } else {
                let e = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..e], e)
            };
            let key = &rest[..eq];
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':')
            {
                return None;
            }
            attrs.other.push((key.to_string(), value.to_string()));
            eq + 1 + len
        } else {
            let e = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let tok = &rest[..e];
            let valid = |n: &str| {
                !n.is_empty()
                    && n.chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ':')
            };
            if let Some(c) = tok.strip_prefix('.').filter(|c| valid(c)) {
                attrs.classes.push(c.to_string());
            } else if let Some(id) = tok.strip_prefix('#').filter(|c| valid(c)) {
                attrs.id = Some(id.to_string());
            } else {
                return None;
            }
            e
        };
        rest = rest[tok_end..].trim_start();
    }
    Some((attrs, end + 1))
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Attrs {
    pub classes: Vec<String>,
    pub id: Option<String>,
    pub other: Vec<(String, String)>,
}

impl Attrs {
    pub(super) fn html(&self, extra_style: Option<&str>) -> String {
        let mut s = String::new();
        if let Some(id) = &self.id {
            s.push_str(&format!(r#" id="{}""#, html_escape(id)));
        }
        if !self.classes.is_empty() {
            s.push_str(&format!(
                r#" class="{}""#,
                html_escape(&self.classes.join(" "))
            ));
        }
        for (k, v) in &self.other {
            if k == "style" && extra_style.is_some() {
                continue;
            }
            s.push_str(&format!(r#" {k}="{}""#, html_escape(v)));
        }
        if let Some(style) = extra_style {
            s.push_str(&format!(r#" style="{style}""#));
        }
        s
    }
}

/// The trailing attribute list of `text` (`… {: .c }`): where it starts and its attributes.
pub(super) fn trailing_attrs(text: &str) -> Option<(usize, Attrs)> {
    let t = text.trim_end();
    if !t.ends_with('}') {
        return None;
    }
    let start = t.rfind('{')?;
    let (attrs, len) = parse_attrs(&t[start..])?;
    (start + len == t.len()).then_some((start, attrs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lists_parse() {
        let (a, len) = parse_attrs("{: .a #b k=\"v w\" } rest").unwrap();
        assert_eq!(len, 18);
        assert_eq!(a.classes, vec!["a"]);
        assert_eq!(a.id.as_deref(), Some("b"));
        assert_eq!(a.other, vec![("k".into(), "v w".into())]);
        assert!(parse_attrs("{0, ..., n}").is_none());
        assert!(parse_attrs("{}").is_none());
    }
}
