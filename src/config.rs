//! `site.yaml`: the typed site configuration. Unknown keys are errors.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::layout::SiteLayout;

pub mod content_checks;
mod env_tag;
mod extension_options;
mod inherit;
pub mod languages;
pub mod mkdocs;
pub mod mkdocs_plugins;
mod plugin_warnings;
pub mod theme_settings;
pub mod validation;

pub use plugin_warnings::RENDERED_PLUGINS;

pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Full URL the site is served at; its path is the prefix every URL gets.
    pub base_url: String,
    /// The theme's name (`theme: decred`, or `name:` of a `theme:` mapping).
    #[serde(skip)]
    pub theme: String,
    /// `theme:` as written: a name, or a name with the theme's settings.
    #[serde(rename = "theme")]
    pub theme_yaml: theme_settings::site::SiteTheme,
    pub language: String,
    /// The languages the site is published in (empty: one, `language`).
    pub languages: Vec<languages::Language>,
    pub icons: IconsConfig,
    pub markdown: MarkdownConfig,
    /// Explicit navigation; when absent it is built from sections and weights.
    pub nav: Option<Vec<NavEntry>>,
    pub companies: BTreeMap<String, Company>,
    pub check: CheckConfig,
    pub extra: serde_json::Value,
    pub search: SearchConfig,
    /// Where "edit this page" links go: the page's source path (from the content folder)
    /// is appended, as in `https://github.com/ORG/REPO/edit/main/content/`.
    pub edit_url: Option<String>,
    /// Logo, colour schemes, features, edit links… the theme shows (from `mkdocs.yml`,
    /// or `theme:` and `edit_url` here).
    #[serde(skip)]
    pub theme_settings: theme_settings::ThemeSettings,
    /// The file's text, to place errors found after parsing (nav entries, companies).
    #[serde(skip)]
    pub source_text: String,
    /// The configuration file, relative to the root (`site.yaml` or `mkdocs.yml`).
    #[serde(skip)]
    pub source_file: String,
    /// Set when the site is an MkDocs project (read from `mkdocs.yml`).
    #[serde(skip)]
    pub mkdocs: Option<mkdocs::MkDocsProject>,
    /// What an MkDocs project's plugins ask of the build (empty for site.yaml).
    #[serde(skip)]
    pub plugins: mkdocs_plugins::Plugins,
    /// Warnings found reading the configuration (reported with the build's problems).
    #[serde(skip)]
    pub load_warnings: Vec<Diagnostic>,
    /// The theme's strings in `language` (from the catalogues, see `i18n`).
    #[serde(skip)]
    pub strings: BTreeMap<String, String>,
    /// The site's folders, computed on first use: by then the configuration is complete.
    #[serde(skip)]
    layout: OnceLock<SiteLayout>,
}

/// Client-side search: an index written at build time and a search box in the theme.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: "/".to_string(),
            theme: "decred".to_string(),
            theme_yaml: theme_settings::site::SiteTheme::default(),
            language: "en".to_string(),
            languages: Vec::new(),
            icons: IconsConfig::default(),
            markdown: MarkdownConfig::default(),
            nav: None,
            companies: BTreeMap::new(),
            check: CheckConfig::default(),
            extra: serde_json::Value::Object(Default::default()),
            search: SearchConfig::default(),
            edit_url: None,
            theme_settings: theme_settings::ThemeSettings::default(),
            source_text: String::new(),
            source_file: CONFIG_FILE.to_string(),
            mkdocs: None,
            plugins: mkdocs_plugins::Plugins::default(),
            load_warnings: Vec::new(),
            strings: BTreeMap::new(),
            layout: OnceLock::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct IconsConfig {
    /// Folder under `assets/` holding `Name.svg` files.
    pub dir: String,
    pub class: String,
    pub inline: bool,
}

impl Default for IconsConfig {
    fn default() -> Self {
        IconsConfig {
            dir: "img/icons".to_string(),
            // The class the built-in decred theme styles.
            class: "dcr-icon".to_string(),
            inline: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    pub highlight_theme: String,
    pub highlight_theme_dark: String,
    pub smart_punctuation: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_theme: "InspiredGitHub".to_string(),
            highlight_theme_dark: "base16-ocean.dark".to_string(),
            smart_punctuation: true,
        }
    }
}

/// One entry of an explicit `nav`: a content page, an external link, or a titled group.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NavEntry {
    /// Content file relative to `content/`.
    pub page: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub icon: Option<String>,
    #[serde(default)]
    pub children: Vec<NavEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    pub name: String,
    pub url: Option<String>,
    /// Root-relative URL of the logo (`/img/companies/x.svg`).
    pub logo: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckConfig {
    /// Patterns of URLs never checked.
    pub exclude: Vec<String>,
    /// Seconds per external request.
    pub timeout: u64,
    pub retries: u32,
    /// HTTP status codes counted as fine.
    pub accept: Vec<u16>,
    /// Seconds a cached external result stays valid.
    pub cache_ttl: u64,
    /// How loud each content check is (`check: content: {heading_levels: error}`).
    pub content: content_checks::ContentChecks,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            exclude: Vec::new(),
            timeout: 10,
            retries: 2,
            accept: vec![200, 203, 204, 206],
            cache_ttl: 24 * 60 * 60,
            content: content_checks::ContentChecks::default(),
        }
    }
}

impl Config {
    /// Where the site keeps its files.
    pub fn layout(&self) -> &SiteLayout {
        self.layout.get_or_init(|| SiteLayout::new(self))
    }

    /// An MkDocs project's `exclude_docs`, `not_in_nav` and `draft_docs`, ready to match.
    pub fn docs_rules(&self) -> Option<crate::content::docs_rules::DocsRules> {
        let project = self.mkdocs.as_ref()?;
        Some(crate::content::docs_rules::DocsRules::new(&project.docs_patterns).0)
    }

    /// Drops the warnings an MkDocs project's `validation:` sets to `info` or `ignore`.
    pub fn drop_quieted(&self, diagnostics: &mut Vec<Diagnostic>) {
        if let Some(project) = &self.mkdocs {
            project.validation.apply(diagnostics);
        }
    }

    /// Where `build` writes the site when `--output` is not given: `ROOT/public`, or an
    /// MkDocs project's `site_dir` (`site` by default), from the project folder.
    pub fn output_dir(&self, root: &Path) -> std::path::PathBuf {
        match &self.mkdocs {
            Some(project) => root.join(&project.site_dir),
            None => root.join(crate::layout::OUTPUT),
        }
    }

    /// Reads `site.yaml` from the site root, or, when there is none but an
    /// `mkdocs.yml`, the MkDocs project.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let mkdocs_path = root.join(mkdocs::MKDOCS_FILE);
        if !path.exists() && mkdocs_path.is_file() {
            let text = std::fs::read_to_string(&mkdocs_path)
                .map_err(|e| Diagnostic::error(mkdocs::MKDOCS_FILE, format!("cannot read: {e}")))?;
            let (mut config, warnings) =
                mkdocs::parse_project(root, text.trim_start_matches('\u{feff}'))?;
            mkdocs::resolve_docs_dir(root, &mut config)?;
            config.load_warnings = warnings;
            return Ok(config);
        }
        let text = std::fs::read(&path).map_err(|e| {
            let d = Diagnostic::error(CONFIG_FILE, format!("cannot read {CONFIG_FILE}: {e}"));
            if e.kind() == std::io::ErrorKind::NotFound {
                d.with_help(format!(
                    "run dcrsite in a site folder (one with {CONFIG_FILE}), or pass --root DIR"
                ))
            } else {
                d
            }
        })?;
        let text = String::from_utf8(text).map_err(|e| {
            Diagnostic::error(CONFIG_FILE, "site.yaml is not valid UTF-8").with_help(format!(
                "save the file as UTF-8 (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Config::parse(text.trim_start_matches('\u{feff}'))
    }

    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let mut config: Config = crate::yaml::parse(text, CONFIG_FILE, 0)?;
        config.validate(text)?;
        config.source_text = text.to_string();
        if config.extra.is_null() {
            config.extra = serde_json::Value::Object(Default::default());
        }
        Ok(config)
    }

    fn validate(&mut self, text: &str) -> Result<(), Diagnostic> {
        if let Err(msg) = parse_base_url(&self.base_url) {
            return Err(Diagnostic::error(CONFIG_FILE, msg)
                .at_position(crate::yaml::key_position(text, "base_url"))
                .with_help("use a full URL like `https://example.org/docs/`, or `/`"));
        }
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        self.theme = self.theme_yaml.name.clone();
        self.theme_settings = self.theme_yaml.settings(text)?;
        languages::validate(&self.languages, &mut self.language, text)?;
        if let Some(url) = self.edit_url.as_deref().filter(|u| !u.is_empty()) {
            if !url.contains("://") {
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    format!("edit_url `{url}` is not a full URL"),
                )
                .at_position(crate::yaml::key_position(text, "edit_url"))
                .with_help("write the URL a page's path is appended to, as in `https://github.com/ORG/REPO/edit/main/content/`"));
            }
            self.theme_settings.edit_base = theme_settings::edit_base(None, Some(url));
        }
        Ok(())
    }

    /// Where `needle` first appears in the configuration file, for errors about a value.
    pub fn position_of(&self, needle: &str) -> Option<(usize, usize)> {
        crate::diagnostics::position_of(&self.source_text, needle)
    }

    /// The file (relative to the root) and line and column where the configuration writes
    /// `url`, a URL a template shows: an MkDocs `extra_css` / `extra_javascript` entry it
    /// was made from (in mkdocs.yml or a file it inherits), else the first value written
    /// as `url` in the configuration file.
    pub fn url_place(&self, url: &str) -> Option<(&str, (usize, usize))> {
        let extra = self.mkdocs.as_ref().and_then(|m| m.extra_places.get(url));
        if let Some((file, line, column)) = extra {
            return Some((file, (*line, *column)));
        }
        let at = crate::yaml::find_value(&self.source_text, url)?;
        let position = crate::diagnostics::LineIndex::new(&self.source_text).position(at);
        Some((&self.source_file, position))
    }

    /// The languages other than the default one, in the order site.yaml lists them.
    pub fn other_languages(&self) -> impl Iterator<Item = &languages::Language> {
        self.languages.iter().filter(|l| !l.default)
    }

    /// Line and column of top-level key `key`'s value in the configuration file.
    pub fn value_position(&self, key: &str) -> Option<(usize, usize)> {
        crate::yaml::key_position(&self.source_text, key)
    }

    /// The path part of `base_url`: `/` or `/docs/`. Every site URL starts with it.
    pub fn base_path(&self) -> String {
        parse_base_url(&self.base_url).unwrap_or_else(|_| "/".to_string())
    }

    /// `base_url` with `/` at the end, without the path (for permalinks: origin + URL path).
    pub fn origin(&self) -> String {
        let base = self.base_url.trim_end_matches('/');
        let path = self.base_path();
        base.strip_suffix(path.trim_end_matches('/'))
            .unwrap_or(base)
            .to_string()
    }
}

/// Returns the path prefix of a base URL (`https://x.org/docs` → `/docs/`).
fn parse_base_url(url: &str) -> Result<String, String> {
    let path = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        match rest.find('/') {
            Some(i) => &rest[i..],
            None => "/",
        }
    } else if url.starts_with('/') {
        url
    } else {
        return Err(format!(
            "base_url `{url}` is neither a full http(s) URL nor a path"
        ));
    };
    if path.contains(['?', '#', ' ']) {
        return Err(format!(
            "base_url `{url}` must not contain a query, fragment or space"
        ));
    }
    let mut p = path.to_string();
    if !p.ends_with('/') {
        p.push('/');
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_url_is_a_full_url_pages_are_appended_to() {
        let c = Config::parse("edit_url: https://github.com/o/r/edit/main/content\n").unwrap();
        assert_eq!(
            c.theme_settings.edit_base.as_deref(),
            Some("https://github.com/o/r/edit/main/content/")
        );
        let e = Config::parse("title: T\nedit_url: content/\n").unwrap_err();
        assert!(
            e.message.contains("edit_url `content/` is not a full URL"),
            "{e:?}"
        );
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn parses_full_config() {
        let c = Config::parse(
            "title: T\nbase_url: https://example.org/docs\nicons:\n  dir: img/i\n  class: dcr-icon\n  inline: true\ncompanies:\n  c0:\n    name: C Zero\n    url: https://c0.example\n",
        )
        .unwrap();
        assert_eq!(c.base_path(), "/docs/");
        assert_eq!(c.base_url, "https://example.org/docs/");
        assert_eq!(c.origin(), "https://example.org");
        assert!(c.icons.inline);
        assert_eq!(c.companies["c0"].name, "C Zero");
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let err = Config::parse("title: T\nicons:\n  dirr: x\n").unwrap_err();
        assert_eq!(err.path, "site.yaml");
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("unknown field `dirr`"));
        assert!(
            err.help
                .clone()
                .unwrap_or_default()
                .contains("did you mean `dir`?"),
            "{err}"
        );
    }

    #[test]
    fn bad_base_url_is_an_error() {
        let err = Config::parse("base_url: example.org\n").unwrap_err();
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn root_base_url() {
        let c = Config::parse("base_url: https://example.org\n").unwrap();
        assert_eq!(c.base_path(), "/");
        assert_eq!(c.origin(), "https://example.org");
    }
}
