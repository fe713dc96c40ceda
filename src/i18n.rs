//! The theme's strings in the language of the pages: every label the theme shows comes
//! from a catalogue per language, `i18n/<code>.po` in the theme (shipped with it) and in
//! the site (which adds or overrides strings). A string missing in a language is taken
//! from the default language (then from English, the theme's own language), with one
//! warning naming the string and the language.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::Diagnostic;
use crate::layout;

pub mod po;

/// The language the theme is written in: its catalogue has every string.
pub const SOURCE_LANGUAGE: &str = "en";

/// The strings of `language` for the site of `config` at `root`, and the problems found
/// (a catalogue that does not parse, strings and catalogues missing).
pub fn strings_for(
    root: &Path,
    config: &Config,
    language: &str,
) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let site = Site { root, config };
    let mut problems = Vec::new();
    let (source, _, p) = catalogue(root, config, SOURCE_LANGUAGE);
    problems.extend(p);
    let mut strings = source.strings;
    if language == SOURCE_LANGUAGE {
        return (strings, problems);
    }
    // The default language's words stand in for a string another language lacks.
    let default = config
        .languages
        .iter()
        .find(|l| l.default)
        .map_or(config.language.as_str(), |l| l.code.as_str());
    if default != SOURCE_LANGUAGE {
        site.overlay(&mut strings, default, SOURCE_LANGUAGE, &mut problems);
    }
    if language != default {
        site.overlay(&mut strings, language, default, &mut problems);
    }
    (strings, problems)
}

struct Site<'a> {
    root: &'a Path,
    config: &'a Config,
}

impl Site<'_> {
    /// Puts the strings of `code` over `strings` (those of `shown_in`), warning once
    /// per string it lacks, or once when it has no catalogue at all.
    fn overlay(
        &self,
        strings: &mut BTreeMap<String, String>,
        code: &str,
        shown_in: &str,
        problems: &mut Vec<Diagnostic>,
    ) {
        let (mine, found, p) = catalogue(self.root, self.config, code);
        problems.extend(p);
        let Some(file) = found else {
            let at = self
                .config
                .position_of(&format!("code: {code}"))
                .or_else(|| self.config.value_position("language"));
            problems.push(
                Diagnostic::warning(
                    CONFIG_FILE,
                    format!("the theme has no strings in `{code}`: its labels are shown in `{shown_in}`"),
                )
                .at_position(at)
                .with_help(format!("add i18n/{code}.po to the site (one msgid/msgstr per string; the theme's i18n/{SOURCE_LANGUAGE}.po lists them)")),
            );
            return;
        };
        for key in strings.keys().filter(|k| !mine.strings.contains_key(*k)) {
            problems.push(
                Diagnostic::warning(
                    &file,
                    format!(
                        "theme string `{key}` has no `{code}` translation: shown in `{shown_in}`"
                    ),
                )
                .with_help(format!(
                    "add `msgid \"{key}\"` and its `msgstr` to i18n/{code}.po"
                )),
            );
        }
        strings.extend(mine.strings);
    }
}

/// Sets the theme's strings of `language` on `config`, and puts them in place of the
/// labels the site left at their defaults (the light/dark switch's): the English ones,
/// or those of the strings `config` had (another language's).
pub fn apply(root: &Path, config: &mut Config, language: &str) -> Vec<Diagnostic> {
    use crate::config::theme_settings::{TO_DARK, TO_LIGHT};
    let (strings, problems) = strings_for(root, config, language);
    let before = std::mem::take(&mut config.strings);
    let is = |name: &str, key: &str, english: &str| {
        name == english || before.get(key).is_some_and(|b| b == name)
    };
    let words = |name: &str| {
        let key = if is(name, "scheme_to_dark", TO_DARK) {
            "scheme_to_dark"
        } else if is(name, "scheme_to_light", TO_LIGHT) {
            "scheme_to_light"
        } else {
            return None;
        };
        strings.get(key).cloned()
    };
    let settings = &mut config.theme_settings;
    for name in [&mut settings.toggle_to_dark, &mut settings.toggle_to_light]
        .into_iter()
        .chain(settings.palette.iter_mut().map(|s| &mut s.toggle_name))
    {
        if let Some(translated) = words(name) {
            *name = translated;
        }
    }
    config.strings = strings;
    problems
}

/// The catalogue of `code`: the theme's with the site's over it; the file to name in
/// messages about it (the site's when it has one), none when neither has it.
fn catalogue(
    root: &Path,
    config: &Config,
    code: &str,
) -> (po::Catalogue, Option<String>, Vec<Diagnostic>) {
    let name = format!("{code}.po");
    let mut problems = Vec::new();
    let mut merged = po::Catalogue::default();
    let mut found = None;
    let theme_file = config.layout().theme().join(layout::I18N).join(&name);
    let theme_text = if crate::theme::use_built_in(root, &config.theme) {
        crate::theme::files(layout::I18N)
            .find(|(p, _)| *p == name)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
    } else {
        std::fs::read_to_string(root.join(&theme_file)).ok()
    };
    let site_file = Path::new(layout::I18N).join(&name);
    let site_text = std::fs::read_to_string(root.join(&site_file)).ok();
    for (file, text) in [(theme_file, theme_text), (site_file, site_text)] {
        let Some(text) = text else { continue };
        let shown = crate::content::walk::to_slash_path(&file).unwrap_or_default();
        match po::parse(&text, &shown) {
            Ok(c) => {
                merged.strings.extend(c.strings);
                merged.lines.extend(c.lines);
            }
            Err(d) => problems.push(d),
        }
        found = Some(shown);
    }
    (merged, found, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(yaml: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        (dir, Config::parse(yaml).unwrap())
    }

    const LANGUAGES: &str = "languages:\n  - {code: en, name: English, default: true}\n  - {code: es, name: Español}\n  - {code: ja, name: 日本語}\n";

    #[test]
    fn the_built_in_theme_speaks_every_shipped_language_completely() {
        let (dir, config) = site(LANGUAGES, &[]);
        let (en, problems) = strings_for(dir.path(), &config, "en");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(en["on_this_page"], "On this page");
        for code in ["es", "de", "fr"] {
            let mut config = config.clone();
            config.languages[1].code = code.to_string();
            let (strings, problems) = strings_for(dir.path(), &config, code);
            assert!(problems.is_empty(), "{code}: {problems:#?}");
            assert_eq!(strings.len(), en.len(), "{code}");
            assert_ne!(strings["on_this_page"], en["on_this_page"], "{code}");
        }
    }

    #[test]
    fn site_catalogues_override_and_missing_strings_warn_once() {
        let (dir, config) = site(
            LANGUAGES,
            &[
                ("i18n/es.po", "msgid \"menu\"\nmsgstr \"Carta\"\n"),
                ("i18n/ja.po", "msgid \"menu\"\nmsgstr \"メニュー\"\n"),
            ],
        );
        let (es, problems) = strings_for(dir.path(), &config, "es");
        assert_eq!(es["menu"], "Carta", "the site's string wins");
        assert!(problems.is_empty(), "{problems:#?}");
        let (ja, problems) = strings_for(dir.path(), &config, "ja");
        assert_eq!(ja["menu"], "メニュー");
        assert_eq!(
            ja["on_this_page"], "On this page",
            "from the default language"
        );
        let about: Vec<_> = problems
            .iter()
            .filter(|d| {
                d.message
                    .starts_with("theme string `on_this_page` has no `ja`")
            })
            .collect();
        assert_eq!(about.len(), 1, "{problems:#?}");
        assert_eq!(about[0].path, "i18n/ja.po");
        assert!(!problems.iter().any(|d| d.message.contains("`menu`")));
    }

    #[test]
    fn a_language_without_a_catalogue_is_one_warning() {
        let (dir, config) = site(
            "languages:\n  - {code: en, name: English, default: true}\n  - {code: sw, name: Kiswahili}\n",
            &[],
        );
        let (sw, problems) = strings_for(dir.path(), &config, "sw");
        assert_eq!(sw["menu"], "Menu");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].message.contains("no strings in `sw`"));
        assert_eq!(problems[0].line, Some(3));
    }
}
