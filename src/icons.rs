//! The site's icon set: SVG files in `assets/<icons.dir>/`, referenced by name.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{suggest, Diagnostic};

/// How icons are written into pages.
#[derive(Debug, Clone, Default)]
pub struct IconSet {
    /// Icon name (file stem) → SVG source, kept only when icons are inlined.
    icons: BTreeMap<String, Option<String>>,
    /// Root-relative URL of the icon folder, without trailing slash (`/img/dcr-icons`).
    url_dir: String,
    class: String,
    inline: bool,
}

impl IconSet {
    /// Reads every `*.svg` in `dir` (the folder on disk) served at `url_dir`.
    pub fn load(
        dir: &Path,
        url_dir: &str,
        class: &str,
        inline: bool,
    ) -> Result<IconSet, std::io::Error> {
        let mut icons = BTreeMap::new();
        if dir.is_dir() {
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.extension().and_then(|e| e.to_str()) != Some("svg") {
                    continue;
                }
                let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                let svg = if inline {
                    Some(std::fs::read_to_string(&path)?)
                } else {
                    None
                };
                icons.insert(name.to_string(), svg);
            }
        }
        Ok(IconSet::from_parts(icons, url_dir, class, inline))
    }

    pub fn from_parts(
        icons: BTreeMap<String, Option<String>>,
        url_dir: &str,
        class: &str,
        inline: bool,
    ) -> IconSet {
        IconSet {
            icons,
            url_dir: url_dir.trim_end_matches('/').to_string(),
            class: class.to_string(),
            inline,
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.icons.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.icons.keys().map(String::as_str)
    }

    pub fn class(&self) -> &str {
        &self.class
    }

    /// The HTML for icon `name`, or a diagnostic naming the nearest known icon.
    /// The icon is decorative (the title beside it carries the words), hence `alt=""`.
    pub fn render(&self, name: &str) -> Result<String, Diagnostic> {
        match self.icons.get(name) {
            Some(Some(svg)) if self.inline => Ok(inline_svg(svg, &self.class)),
            Some(_) => Ok(format!(
                r#"<img class="{}" src="{}/{}.svg" alt="">"#,
                html_escape(&self.class),
                self.url_dir,
                html_escape(name)
            )),
            None => Err(self.unknown(name)),
        }
    }

    /// The error for an icon name that is not in the set (without a place; callers add it).
    pub fn unknown(&self, name: &str) -> Diagnostic {
        let mut d = Diagnostic::error("", format!("unknown icon `{name}`"));
        d.help = Some(match suggest(name, self.names()) {
            Some(near) => format!(
                "did you mean `{near}`? Icons are the SVG files in the icon folder ({})",
                self.url_dir
            ),
            None if self.icons.is_empty() => {
                "the icon set is empty: add SVG files to the folder named by `icons.dir` in site.yaml"
                    .to_string()
            }
            None => format!(
                "known icons: {}",
                self.names().collect::<Vec<_>>().join(", ")
            ),
        });
        d
    }
}

/// Prepares an SVG file's markup for inlining: no XML prolog, decorative for screen readers.
fn inline_svg(svg: &str, class: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let body = svg[start..].trim_end();
    let attrs = format!(
        r#"<svg class="{}" aria-hidden="true" focusable="false""#,
        html_escape(class)
    );
    body.replacen("<svg", &attrs, 1)
}

/// Escapes text for HTML text and attribute values.
pub fn html_escape(s: &str) -> String {
    // Tera calls this for every `{{ }}` of every page (nav titles and URLs, mostly free of
    // these five bytes): copy the runs between them whole rather than char by char.
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut copied = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // ASCII bytes are char boundaries, so these slices are whole characters.
        out.push_str(&s[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&s[copied..]);
    out
}

/// `html_escape` undone: its five entities back as the characters they stand for (`&amp;`
/// last, so `&amp;lt;` is `&lt;`); other entities stay as written.
pub fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_unescape_undoes_html_escape() {
        for s in [
            "a & b",
            "<a href=\"x\">it's</a>",
            "&lt;",
            "&amp;&#39;",
            "日本語&",
        ] {
            assert_eq!(html_unescape(&html_escape(s)), s);
        }
        assert_eq!(html_unescape("&amp;lt; &copy;"), "&lt; &copy;");
    }

    #[test]
    fn html_escape_writes_the_five_entities_and_keeps_everything_else() {
        let cases = [
            ("", ""),
            ("plain text", "plain text"),
            ("a & b", "a &amp; b"),
            ("<a href=\"x\">", "&lt;a href=&quot;x&quot;&gt;"),
            ("it's", "it&#39;s"),
            ("&&", "&amp;&amp;"),
            ("é<ü>ß", "é&lt;ü&gt;ß"),
            ("日本語&", "日本語&amp;"),
        ];
        for (input, escaped) in cases {
            assert_eq!(html_escape(input), escaped, "{input:?}");
        }
    }

    fn set(inline: bool) -> IconSet {
        let mut icons = BTreeMap::new();
        icons.insert(
            "Code".to_string(),
            Some(r#"<?xml version="1.0"?><svg viewBox="0 0 1 1"></svg>"#.to_string()),
        );
        icons.insert("Introductions".to_string(), Some("<svg></svg>".to_string()));
        IconSet::from_parts(icons, "/img/dcr-icons/", "dcr-icon", inline)
    }

    #[test]
    fn renders_img_with_empty_alt() {
        assert_eq!(
            set(false).render("Code").unwrap(),
            r#"<img class="dcr-icon" src="/img/dcr-icons/Code.svg" alt="">"#
        );
    }

    #[test]
    fn inlines_svg_without_prolog() {
        assert_eq!(
            set(true).render("Code").unwrap(),
            r#"<svg class="dcr-icon" aria-hidden="true" focusable="false" viewBox="0 0 1 1"></svg>"#
        );
    }

    #[test]
    fn unknown_icon_suggests_nearest() {
        let err = set(false).render("Intro").unwrap_err();
        assert_eq!(err.message, "unknown icon `Intro`");
        assert!(err.help.unwrap().contains("`Introductions`"));
    }
}
