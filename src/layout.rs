//! Where a site keeps its files. The folder names are spelled here and nowhere else; the
//! folders of one site, which its configuration decides (the theme, the icon folder, an
//! MkDocs project's `docs_dir`), are computed once, as its [`SiteLayout`]
//! (`Config::layout`).

use std::path::{Path, PathBuf};

use crate::config::Config;

/// The pages of a dcrsite site.
pub const CONTENT: &str = "content";
/// The pages of an MkDocs project that names no `docs_dir`.
pub const MKDOCS_DOCS: &str = "docs";
/// Theme folders, one per theme, by name.
pub const THEMES: &str = "themes";
/// The site's own files, copied as they are over the theme's.
pub const ASSETS: &str = "assets";
/// The site's own templates, over the theme's of the same name; also a theme's
/// templates, inside its folder.
pub const TEMPLATES: &str = "templates";
/// A theme's files copied as they are, inside its folder.
pub const STATIC: &str = "static";
/// Catalogues of the theme's strings, one `<language>.po` each: in a theme's folder (the
/// theme's own) and in the site (adding to or overriding the theme's).
pub const I18N: &str = "i18n";
/// Where `build` writes the site unless told otherwise.
pub const OUTPUT: &str = "public";
/// Where `check --external` keeps its results between runs unless told otherwise.
pub const CACHE: &str = ".dcrsite-cache";

/// The source folders every site may have besides its content folder.
const STANDARD_SOURCE_DIRS: [&str; 4] = [THEMES, ASSETS, TEMPLATES, I18N];

/// The folders of one site, relative to its root, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLayout {
    /// `content`, or an MkDocs project's `docs_dir`.
    content: String,
    /// `themes/<theme>`.
    theme: PathBuf,
    /// `assets/<icons.dir>`.
    icons: PathBuf,
    /// An MkDocs project's snippet folders, `watch:` list and the files mkdocs.yml
    /// `INHERIT`s (or their folders), as written (relative to the root or absolute, not
    /// normalized).
    included: Vec<String>,
}

/// Where the files mkdocs.yml `INHERIT`s are, for `serve` to watch them and reload the
/// configuration when one changes: the folder of one below the root (watched as a
/// folder), one beside mkdocs.yml itself (the root's top level is watched already).
fn inherited_sources(files: &[String]) -> impl Iterator<Item = String> + '_ {
    files
        .iter()
        .map(|f| match Path::new(f).parent().and_then(Path::to_str) {
            Some(dir) if !dir.is_empty() => dir.to_string(),
            _ => f.clone(),
        })
}

impl SiteLayout {
    pub fn new(config: &Config) -> SiteLayout {
        let project = config.mkdocs.as_ref();
        let included = project
            .map(|p| {
                p.dialect
                    .snippet_base
                    .iter()
                    .chain(&p.watch)
                    .cloned()
                    .chain(inherited_sources(&p.inherited))
                    .collect()
            })
            .unwrap_or_default();
        SiteLayout {
            content: project.map_or(CONTENT, |p| p.docs_dir.as_str()).to_string(),
            theme: Path::new(THEMES).join(&config.theme),
            icons: Path::new(ASSETS).join(&config.icons.dir),
            included,
        }
    }

    /// The folder holding the pages: `content`, or an MkDocs project's `docs_dir`.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// The configured theme's folder: `themes/<theme>`.
    pub fn theme(&self) -> &Path {
        &self.theme
    }

    /// The configured theme's templates: `themes/<theme>/templates`.
    pub fn theme_templates(&self) -> PathBuf {
        self.theme.join(TEMPLATES)
    }

    /// The configured theme's files copied as they are: `themes/<theme>/static`.
    pub fn theme_static(&self) -> PathBuf {
        self.theme.join(STATIC)
    }

    /// The template folders, the site's own (which override) before the theme's.
    pub fn template_dirs(&self) -> [PathBuf; 2] {
        [PathBuf::from(TEMPLATES), self.theme_templates()]
    }

    /// The icon folder: `assets/<icons.dir>`.
    pub fn icons(&self) -> &Path {
        &self.icons
    }

    /// Every folder whose files feed the build, as configured (relative to the root or
    /// absolute, not normalized): the standard `themes`, `assets` and `templates`, the
    /// content folder, and an MkDocs project's snippet folders and `watch:` list. `serve`
    /// watches them; `build` never writes its output into, over or around one.
    pub fn source_dirs(&self) -> Vec<String> {
        let mut dirs: Vec<String> = STANDARD_SOURCE_DIRS.iter().map(|d| d.to_string()).collect();
        dirs.extend(self.configured_source_dirs().cloned());
        dirs
    }

    /// The source folders the configuration names: the content folder and an MkDocs
    /// project's snippet folders and `watch:` list.
    fn configured_source_dirs(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.content).chain(&self.included)
    }

    /// Folders (relative to the root, `/`-separated) whose files feed the build besides
    /// the standard `content`, `themes`, `assets` and `templates`: an MkDocs project's
    /// `docs_dir`, snippet folders and `watch:` list. `serve` watches them. The root
    /// itself (a snippet `base_path` of `.`) is left out: its top level is watched anyway,
    /// and watching it recursively would take in `target/` and the like.
    pub fn extra_source_dirs(&self) -> Vec<String> {
        let mut clean: Vec<String> = self
            .configured_source_dirs()
            .filter(|d| !Path::new(d).is_absolute())
            .filter_map(|d| crate::content::urls::normalize(d))
            .filter(|d| !d.is_empty())
            .collect();
        clean.sort();
        clean.dedup();
        clean
    }

    /// The source folders watched before any configuration is read: the standard ones
    /// and both kinds of content folder (for a dcrsite site, changes in `docs` are
    /// classified as nothing to rebuild).
    pub fn watched_before_config() -> Vec<PathBuf> {
        STANDARD_SOURCE_DIRS
            .iter()
            .chain(&[CONTENT, MKDOCS_DOCS])
            .map(PathBuf::from)
            .collect()
    }
}

impl Default for SiteLayout {
    fn default() -> Self {
        SiteLayout::new(&Config::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dcrsite_site() {
        let config = Config::parse("title: T\ntheme: mine\nicons:\n  dir: img/i\n").unwrap();
        let layout = config.layout();
        assert_eq!(layout.content(), "content");
        assert_eq!(layout.theme(), Path::new("themes/mine"));
        assert_eq!(layout.theme_templates(), Path::new("themes/mine/templates"));
        assert_eq!(layout.theme_static(), Path::new("themes/mine/static"));
        assert_eq!(
            layout.template_dirs(),
            [Path::new("templates"), Path::new("themes/mine/templates")]
        );
        assert_eq!(layout.icons(), Path::new("assets/img/i"));
        assert_eq!(
            layout.source_dirs(),
            ["themes", "assets", "templates", "i18n", "content"]
        );
        assert!(layout.extra_source_dirs() == ["content"]);
    }

    #[test]
    fn an_mkdocs_project() {
        let text = "site_name: T\ndocs_dir: src/docs\nwatch:\n  - overrides\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: [parts, ., /abs]\n";
        let (config, _) = crate::config::mkdocs::parse(text).unwrap();
        let layout = config.layout();
        assert_eq!(layout.content(), "src/docs");
        assert_eq!(layout.theme(), Path::new("themes/decred"));
        assert_eq!(
            layout.source_dirs(),
            [
                "themes",
                "assets",
                "templates",
                "i18n",
                "src/docs",
                "parts",
                ".",
                "/abs",
                "overrides"
            ]
        );
        assert_eq!(
            layout.extra_source_dirs(),
            ["overrides", "parts", "src/docs"]
        );
    }
}
