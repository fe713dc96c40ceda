//! pymdownx.inlinehilite: `` `#!py print(1)` `` (or `` `:::py …` ``) is inline code in
//! that language, highlighted like code blocks (syntect's `hl-` classes); the marker
//! and language are not shown. Options of pymdownx.highlight that matter inline
//! (`css_class`, `use_pygments`) are read too.

use pulldown_cmark::{CowStr, Event};
use serde_yaml::Value;

use crate::icons::html_escape;
use crate::markdown::highlight::highlight;

/// inlinehilite's options, with pymdownx.highlight's.
#[derive(Debug, Clone, PartialEq)]
pub struct InlineHilite {
    /// inlinehilite's `css_class`; empty: highlight's.
    pub css_class: String,
    pub style_plain_text: bool,
}

/// pymdownx.highlight's options used inline.
#[derive(Debug, Clone, PartialEq)]
pub struct Highlight {
    pub css_class: String,
    pub use_pygments: bool,
    /// `language_prefix` of the language class.
    pub language_prefix: String,
    /// `pygments_lang_class`: highlighted code gets the language class too.
    pub lang_class: bool,
}

impl Default for Highlight {
    fn default() -> Self {
        Highlight {
            css_class: "highlight".to_string(),
            use_pygments: true,
            language_prefix: "language-".to_string(),
            lang_class: false,
        }
    }
}

impl Highlight {
    pub fn read(options: &Value) -> Highlight {
        let d = Highlight::default();
        Highlight {
            css_class: options
                .get("css_class")
                .and_then(Value::as_str)
                .map_or(d.css_class, str::to_string),
            use_pygments: options
                .get("use_pygments")
                .and_then(Value::as_bool)
                .unwrap_or(d.use_pygments),
            language_prefix: options
                .get("language_prefix")
                .and_then(Value::as_str)
                .map_or(d.language_prefix, str::to_string),
            lang_class: options.get("pygments_lang_class").and_then(Value::as_bool) == Some(true),
        }
    }
}

impl InlineHilite {
    pub fn read(options: &Value) -> InlineHilite {
        InlineHilite {
            css_class: options
                .get("css_class")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            style_plain_text: options
                .get("style_plain_text")
                .is_some_and(|v| v.as_bool() != Some(false) && !v.is_null()),
        }
    }

    /// The event for inline code `code`: HTML when it names a language (or plain text
    /// is styled), else `None` (the code stays as it is).
    pub(crate) fn code<'a>(&self, h: &Highlight, code: &str) -> Option<Event<'a>> {
        let class = if self.css_class.is_empty() {
            h.css_class.as_str()
        } else {
            self.css_class.as_str()
        };
        let (lang, body) = match language(code) {
            Some((lang, body)) => (Some(lang), body),
            None if self.style_plain_text => (None, code),
            None => return None,
        };
        let highlighted = lang
            .filter(|_| h.use_pygments)
            .and_then(|l| highlight(l, body));
        // Highlighted code names its language only with `pygments_lang_class`, and a
        // language the highlighter lacks as Pygments' fallback, `text`.
        let named = match (h.use_pygments, lang) {
            (false, Some(l)) => Some(l),
            (true, Some(l)) if h.lang_class => Some(if highlighted.is_some() { l } else { "text" }),
            _ => None,
        };
        let classes = match named {
            Some(l) => format!("{}{l} {class}", h.language_prefix),
            None => class.to_string(),
        };
        let inner = highlighted.map_or_else(
            || html_escape(body),
            |s| s.trim_end_matches('\n').to_string(),
        );
        let attr = match classes.trim() {
            "" => String::new(),
            c => format!(r#" class="{}""#, html_escape(c)),
        };
        Some(Event::InlineHtml(CowStr::from(format!(
            "<code{attr}>{inner}</code>"
        ))))
    }
}

/// `#!lang rest` or `:::lang rest`: the language and the rest.
fn language(code: &str) -> Option<(&str, &str)> {
    let rest = code.strip_prefix("#!").or_else(|| {
        let colons = code.len() - code.trim_start_matches(':').len();
        (colons >= 3).then(|| &code[colons..])
    })?;
    let n = rest
        .find(|c: char| !(c.is_alphanumeric() || "_#.+-".contains(c)))
        .unwrap_or(rest.len());
    let after = &rest[n..];
    let body = after.trim_start();
    (body.len() < after.len()).then(|| (&rest[..n], body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(code: &str, options: &str, h: Highlight) -> Option<String> {
        let o = InlineHilite::read(&serde_yaml::from_str(options).unwrap());
        match o.code(&h, code)? {
            Event::InlineHtml(s) => Some(s.to_string()),
            _ => None,
        }
    }

    #[test]
    fn a_language_marker_highlights_inline_code() {
        let h = Highlight::default();
        let py = html("#!python import x", "{}", h.clone()).unwrap();
        assert!(
            py.starts_with(r#"<code class="highlight"><span class="hl-"#),
            "{py}"
        );
        assert!(!py.contains("#!"), "{py}");
        assert_eq!(html("plain", "{}", h.clone()), None);
        assert_eq!(
            html(":::nosuch a<b", "{css_class: inlinehilite}", h.clone()).as_deref(),
            Some(r#"<code class="inlinehilite">a&lt;b</code>"#)
        );
        let no_pygments = Highlight {
            use_pygments: false,
            ..h
        };
        assert_eq!(
            html("#!py x", "{style_plain_text: true}", no_pygments).as_deref(),
            Some(r#"<code class="language-py highlight">x</code>"#)
        );
    }

    /// Inputs of our own; the classes are pymdownx.highlight 13.1.2's.
    #[test]
    fn language_prefix_and_pygments_lang_class_name_the_language() {
        let read = |o: &str| Highlight::read(&serde_yaml::from_str(o).unwrap());
        let class = |code: &str, o: &str| {
            let h = html(code, "{}", read(o)).unwrap();
            h[..h.find('>').unwrap() + 1].to_string()
        };
        let cases = [
            (
                "#!python x",
                "{pygments_lang_class: true}",
                r#"<code class="language-python highlight">"#,
            ),
            (
                "#!python x",
                "{pygments_lang_class: true, language_prefix: x-}",
                r#"<code class="x-python highlight">"#,
            ),
            (
                "#!nosuch x",
                "{pygments_lang_class: true}",
                r#"<code class="language-text highlight">"#,
            ),
            (
                "#!python x",
                "{use_pygments: false, language_prefix: lang-}",
                r#"<code class="lang-python highlight">"#,
            ),
            ("#!python x", "{}", r#"<code class="highlight">"#),
        ];
        for (code, options, want) in cases {
            assert_eq!(class(code, options), want, "{code} {options}");
        }
    }
}
