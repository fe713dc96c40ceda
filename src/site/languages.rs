//! A multilingual site's links between languages: where a page is in each language (the
//! theme's switcher and `hreflang` alternates, the sitemap's alternates).

use serde::Serialize;

use crate::config::Config;
use crate::content::languages::LanguageView;
use crate::content::{urls, Content, Page};

/// The page in one language.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct LanguageLink {
    pub code: String,
    pub name: String,
    /// The page in this language; the language's home page when the page is not in it
    /// at all (a translation with no page in the default language).
    pub url: String,
    /// The language of the page being shown.
    pub current: bool,
    /// The site's default language (the `x-default` alternate).
    pub default: bool,
    /// The page exists in this language in its own words (not a fallback): an
    /// `hreflang` alternate.
    pub translated: bool,
}

/// What to load for each language of `config`: the default first.
pub(crate) fn views(config: &Config) -> Vec<LanguageView> {
    let translated: Vec<String> = config.other_languages().map(|l| l.code.clone()).collect();
    let mut views: Vec<LanguageView> = config
        .languages
        .iter()
        .map(|l| LanguageView {
            code: l.code.clone(),
            default: l.default,
            translated: translated.clone(),
        })
        .collect();
    views.sort_by_key(|v| !v.default);
    views
}

/// The URL folder of language `code`: empty for the default one.
pub(crate) fn prefix<'a>(config: &Config, code: &'a str) -> &'a str {
    let default = config.languages.iter().any(|l| l.default && l.code == code);
    if config.languages.is_empty() || default {
        ""
    } else {
        code
    }
}

/// The URL the site's search index of the language being built has.
pub(crate) fn search_index_path(config: &Config) -> String {
    join(prefix(config, &config.language), crate::search::INDEX_PATH)
}

/// Where the sitemap of the language being built is written.
pub(crate) fn sitemap_path(config: &Config) -> String {
    join(prefix(config, &config.language), "sitemap.xml")
}

/// Where the 404 page of the language being built is written.
pub(crate) fn not_found_path(config: &Config) -> String {
    join(prefix(config, &config.language), "404.html")
}

/// The home page's URL in the language being built.
pub(crate) fn home_url(config: &Config) -> String {
    urls::dir_url(prefix(config, &config.language))
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

/// The page in every language of the site (empty for a site of one language).
pub(crate) fn links(config: &Config, content: &Content, page: &Page) -> Vec<LanguageLink> {
    let own = prefix(config, &config.language);
    // The page's folder as the default language has it.
    let base = if own.is_empty() {
        page.dir.as_str()
    } else {
        let rest = page.dir.strip_prefix(own).unwrap_or(&page.dir);
        rest.trim_start_matches('/')
    };
    let have = content.translations.languages_of(&page.content_path);
    // A page of the default language is in every language (fallbacks fill the gaps).
    let everywhere = have.is_some_and(|h| h.contains(""));
    config
        .languages
        .iter()
        .map(|l| {
            let key = if l.default { "" } else { l.code.as_str() };
            let translated = have.is_some_and(|h| h.contains(key));
            let folder = prefix(config, &l.code);
            let url = if everywhere || translated {
                let dir = match (folder.is_empty(), base.is_empty()) {
                    (true, _) => base.to_string(),
                    (false, true) => folder.to_string(),
                    (false, false) => format!("{folder}/{base}"),
                };
                urls::page_location(&dir, page.is_section(), true).1
            } else {
                urls::dir_url(folder)
            };
            LanguageLink {
                code: l.code.clone(),
                name: l.name.clone(),
                url,
                current: l.code == config.language,
                default: l.default,
                translated,
            }
        })
        .collect()
}
