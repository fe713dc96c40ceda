//! How loud each of `check`'s content checks is: `off`, `warning` or `error`, per check,
//! under `check: content:` in site.yaml, or under `validation: content:` in mkdocs.yml
//! (where MkDocs' own words `warn`, `info` and `ignore` are understood too).

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use super::mkdocs::MKDOCS_FILE;
use super::Config;
use crate::diagnostics::{position_of, Diagnostic};

/// One check's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckLevel {
    Off,
    #[default]
    #[serde(alias = "warn")]
    Warning,
    Error,
}

impl CheckLevel {
    /// A level in site.yaml's words or MkDocs' (`info` is not shown by `check`, as
    /// MkDocs' info lines do not count).
    fn from_word(word: &str) -> Option<CheckLevel> {
        match word {
            "off" | "ignore" | "info" => Some(CheckLevel::Off),
            "warning" | "warn" => Some(CheckLevel::Warning),
            "error" => Some(CheckLevel::Error),
            _ => None,
        }
    }
}

/// The content checks' levels; every check is a warning unless set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContentChecks {
    /// A heading more than one level below the one before it (`##` then `####`).
    pub heading_levels: CheckLevel,
    /// An image with no alt text.
    pub image_alt: CheckLevel,
    /// A link with no text or no URL.
    pub empty_links: CheckLevel,
    /// A page with neither a `title` nor a leading `# heading`.
    pub page_title: CheckLevel,
    /// Two pages with the same title.
    pub duplicate_titles: CheckLevel,
    /// A URL left as plain text where a link was meant.
    pub bare_urls: CheckLevel,
}

impl ContentChecks {
    /// Each key with its field, in the order they are documented.
    fn fields(&mut self) -> [(&'static str, &mut CheckLevel); 6] {
        [
            ("heading_levels", &mut self.heading_levels),
            ("image_alt", &mut self.image_alt),
            ("empty_links", &mut self.empty_links),
            ("page_title", &mut self.page_title),
            ("duplicate_titles", &mut self.duplicate_titles),
            ("bare_urls", &mut self.bare_urls),
        ]
    }

    /// `validation: content:` of mkdocs.yml; an unknown key or level is warned about
    /// at its place and left at its default.
    pub fn read_mkdocs(root: &Value, text: &str, warnings: &mut Vec<Diagnostic>) -> Self {
        let mut checks = ContentChecks::default();
        let Some(Value::Mapping(section)) = root.get("validation").and_then(|v| v.get("content"))
        else {
            return checks;
        };
        let known: Vec<&str> = checks.fields().iter().map(|(k, _)| *k).collect();
        for (key, value) in section {
            let key = key.as_str().unwrap_or("");
            let word = value.as_str().unwrap_or("");
            let mut fields = checks.fields();
            let field = fields.iter_mut().find(|(k, _)| *k == key);
            let problem = match (field, CheckLevel::from_word(word)) {
                (Some((_, field)), Some(level)) => {
                    **field = level;
                    continue;
                }
                (None, _) => format!(
                    "unknown content check `{key}` in `validation: content:`; expected one of {}",
                    known.join(", ")
                ),
                (Some(_), None) => format!(
                    "content check `{key}` must be `off`, `warning`, `error` (or MkDocs' `warn`, `info`, `ignore`); ignored"
                ),
            };
            warnings.push(
                Diagnostic::warning(MKDOCS_FILE, problem)
                    .at_position(position_of(text, &format!("{key}:"))),
            );
        }
        checks
    }
}

impl Config {
    /// The content checks' levels: mkdocs.yml's for an MkDocs project, else site.yaml's.
    pub fn content_checks(&self) -> &ContentChecks {
        match &self.mkdocs {
            Some(project) => &project.content_checks,
            None => &self.check.content,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> (ContentChecks, Vec<Diagnostic>) {
        let root: Value = serde_yaml::from_str(yaml).unwrap();
        let mut w = Vec::new();
        (ContentChecks::read_mkdocs(&root, yaml, &mut w), w)
    }

    #[test]
    fn mkdocs_words_and_ours() {
        let (c, w) = read(
            "validation:\n  content:\n    heading_levels: ignore\n    image_alt: error\n    bare_urls: warn\n    page_title: off\n",
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.heading_levels, CheckLevel::Off);
        assert_eq!(c.image_alt, CheckLevel::Error);
        assert_eq!(c.bare_urls, CheckLevel::Warning);
        assert_eq!(c.page_title, CheckLevel::Off);
        assert_eq!(c.empty_links, CheckLevel::Warning);
    }

    #[test]
    fn unknown_keys_and_levels_are_warned_about_at_their_line() {
        let (c, w) = read("validation:\n  content:\n    headings: off\n    image_alt: loud\n");
        assert_eq!(c, ContentChecks::default());
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].line, w[1].line), (Some(3), Some(4)));
        assert!(w[0].message.contains("unknown content check `headings`"));
        assert!(w[1]
            .message
            .contains("`image_alt` must be `off`, `warning`, `error`"));
    }

    #[test]
    fn site_yaml_levels() {
        let c: ContentChecks =
            serde_yaml::from_str("heading_levels: error\nbare_urls: off\n").unwrap();
        assert_eq!(c.heading_levels, CheckLevel::Error);
        assert_eq!(c.bare_urls, CheckLevel::Off);
        assert_eq!(c.image_alt, CheckLevel::Warning);
        assert!(serde_yaml::from_str::<ContentChecks>("headings: off\n").is_err());
    }
}
