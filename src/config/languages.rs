//! `languages:` in site.yaml: the languages a site is published in. The default one is
//! at `/`, each other under `/<code>/`; a page's translation sits beside it as
//! `name.<code>.md`.

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

use super::CONFIG_FILE;

/// One language of the site.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// A BCP 47 tag as `<html lang>` takes it (`en`, `es`, `pt-BR`); also the URL
    /// folder and the file suffix of its translations.
    pub code: String,
    /// The language's name in itself, as the switcher shows it (`Español`).
    pub name: String,
    #[serde(default)]
    pub default: bool,
    /// The site's `title` in this language (the site's own when absent).
    pub title: Option<String>,
    /// The site's `description` in this language (the site's own when absent).
    pub description: Option<String>,
}

/// Checks the list: codes well-formed and distinct, exactly one default. The default's
/// code becomes the site's `language`.
pub(super) fn validate(
    languages: &[Language],
    language: &mut String,
    text: &str,
) -> Result<(), Diagnostic> {
    if languages.is_empty() {
        return Ok(());
    }
    let at = |needle: &str| {
        crate::diagnostics::position_of(text, needle)
            .or_else(|| crate::yaml::key_position(text, "languages"))
    };
    for (i, l) in languages.iter().enumerate() {
        if !well_formed(&l.code) {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("language code `{}` is not a language tag", l.code),
            )
            .at_position(at(&l.code))
            .with_help("use a tag like `es`, `pt-BR` or `zh-Hans`: letters and digits in parts joined by `-`"));
        }
        if languages[..i]
            .iter()
            .any(|o| o.code.eq_ignore_ascii_case(&l.code))
        {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("language `{}` is listed twice", l.code),
            )
            .at_position(at(&l.code))
            .with_help("list each language once"));
        }
    }
    let defaults: Vec<&Language> = languages.iter().filter(|l| l.default).collect();
    let [default] = defaults.as_slice() else {
        return Err(Diagnostic::error(
            CONFIG_FILE,
            format!("{} languages are marked `default: true`", defaults.len()),
        )
        .at_position(crate::yaml::key_position(text, "languages"))
        .with_help("mark exactly one language `default: true`: it is published at `/`"));
    };
    let language_given = crate::yaml::key_position(text, "language").is_some();
    if language_given && *language != default.code {
        return Err(Diagnostic::error(
            CONFIG_FILE,
            format!(
                "`language: {language}` is not the default language `{}`",
                default.code
            ),
        )
        .at_position(crate::yaml::key_position(text, "language"))
        .with_help("remove `language:`: with `languages:`, the default language is the site's"));
    }
    *language = default.code.clone();
    Ok(())
}

/// `en`, `pt-BR`, `zh-Hans`: ASCII letters and digits in parts joined by `-`, starting
/// with two or three letters.
fn well_formed(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn one_default_language_becomes_the_site_language() {
        let c = Config::parse(
            "languages:\n  - {code: es, name: Español}\n  - {code: en, name: English, default: true}\n",
        )
        .unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.languages.len(), 2);
    }

    #[test]
    fn a_language_may_name_the_site_in_its_words() {
        let c = Config::parse(
            "title: Contributors\nlanguages:\n  - {code: en, name: English, default: true}\n  - {code: es, name: Español, title: Colaboradores}\n",
        )
        .unwrap();
        assert_eq!(c.languages[1].title.as_deref(), Some("Colaboradores"));
        assert_eq!(c.languages[1].description, None);
    }

    #[test]
    fn bad_lists_are_errors_at_their_line() {
        let cases = [
            (
                "languages:\n  - {code: en, name: E}\n",
                "0 languages are marked",
            ),
            (
                "languages:\n  - {code: en, name: E, default: true}\n  - {code: en, name: F}\n",
                "language `en` is listed twice",
            ),
            (
                "languages:\n  - {code: e_s, name: E, default: true}\n",
                "language code `e_s` is not a language tag",
            ),
            (
                "language: fr\nlanguages:\n  - {code: en, name: E, default: true}\n",
                "`language: fr` is not the default language `en`",
            ),
        ];
        for (text, message) in cases {
            let e = Config::parse(text).unwrap_err();
            assert!(e.message.contains(message), "{text}: {e}");
            assert!(e.line.is_some(), "{text}: {e}");
        }
    }
}
