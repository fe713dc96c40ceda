//! What a changed path is to the pipeline, as Zola's `ChangeKind`: told from the
//! configuration and the path alone. Nothing is read from disk here; whether the file
//! still exists, or what the cached state knows of it, is for the planner (`plan.rs`).

use std::path::Path;

use crate::config::Config;
use crate::content::urls::normalize;
use crate::layout::{ASSETS, I18N, STATIC, TEMPLATES, THEMES};

/// The part of the site a changed path belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    /// `site.yaml`, or the configuration file the site was loaded from (`mkdocs.yml`).
    Config,
    /// The icon folder, or a folder above it.
    Icons,
    /// A template, by its name (path under a templates folder).
    Template(String),
    /// A file the Output takes from the theme's `static/` or the site's `assets/`.
    Assets { css: bool },
    /// The theme folder itself: its templates and static files.
    Theme,
    /// A Markdown file in the content folder, by its path relative to that folder.
    ContentPage(String),
    /// Any other file (or a folder) in the content folder, relative to that folder.
    ContentFile(String),
    /// The content folder itself, or a name only a full content walk can report.
    ContentDir,
    /// A file an MkDocs page may include (in a snippet folder or its `watch:` list).
    Snippet,
    /// Nothing the site reads: hidden, outside the root, or in no source folder.
    Ignored,
}

/// Classifies `path` (absolute, or relative to the root as the root was given) for a
/// site at `root` with `config`.
pub(crate) fn classify(config: &Config, root: &Path, path: &Path) -> ChangeKind {
    let Ok(relative) = path.strip_prefix(root) else {
        return ChangeKind::Ignored;
    };
    let parts: Vec<&str> = match relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect()
    {
        Some(parts) => parts,
        // Names that are not UTF-8 are reported by a full content walk.
        None => return ChangeKind::ContentDir,
    };
    if parts.iter().any(|p| p.starts_with('.')) {
        return ChangeKind::Ignored;
    }
    if let Some(kind) = in_content_dir(config, &parts) {
        return kind;
    }
    match outside_content_dir(config, &parts, path) {
        ChangeKind::Ignored if is_snippet_source(config, &parts) => ChangeKind::Snippet,
        kind => kind,
    }
}

/// What a path is when it is the content folder or inside it. The folder may be nested
/// (`docs_dir: src/docs`).
fn in_content_dir(config: &Config, parts: &[&str]) -> Option<ChangeKind> {
    let content_dir = segments(config.layout().content());
    if parts == content_dir.as_slice() {
        return Some(ChangeKind::ContentDir);
    }
    let content_path = parts.strip_prefix(content_dir.as_slice())?.join("/");
    Some(
        if content_path.ends_with(".md") || content_path.ends_with(".markdown") {
            ChangeKind::ContentPage(content_path)
        } else {
            ChangeKind::ContentFile(content_path)
        },
    )
}

/// Where a path outside the content folder belongs: configuration, templates, theme,
/// assets.
fn outside_content_dir(config: &Config, parts: &[&str], path: &Path) -> ChangeKind {
    let icons_dir = segments(&config.icons.dir);
    let assets = || ChangeKind::Assets {
        css: path.extension().is_some_and(|e| e == "css"),
    };
    match parts {
        [f] if *f == crate::config::CONFIG_FILE || *f == config.source_file => ChangeKind::Config,
        _ if is_inherited(config, parts) => ChangeKind::Config,
        [TEMPLATES, rest @ ..] => ChangeKind::Template(rest.join("/")),
        // The theme's strings are read with the configuration.
        [I18N, ..] => ChangeKind::Config,
        [THEMES, theme, I18N, ..] if *theme == config.theme => ChangeKind::Config,
        [THEMES] => ChangeKind::Theme,
        [THEMES, theme, rest @ ..] if *theme == config.theme => match rest {
            [TEMPLATES, rest @ ..] => ChangeKind::Template(rest.join("/")),
            [STATIC, ..] => assets(),
            _ => ChangeKind::Theme,
        },
        [ASSETS] => ChangeKind::Icons,
        [ASSETS, rest @ ..] if rest.starts_with(&icons_dir) || icons_dir.starts_with(rest) => {
            ChangeKind::Icons
        }
        [ASSETS, ..] => assets(),
        _ => ChangeKind::Ignored,
    }
}

/// Whether a path is a file mkdocs.yml `INHERIT`s (its configuration is read from it).
fn is_inherited(config: &Config, parts: &[&str]) -> bool {
    let path = parts.join("/");
    config
        .mkdocs
        .as_ref()
        .is_some_and(|p| p.inherited.contains(&path))
}

/// Whether a path outside the content folder may be included into pages: it is in a
/// snippet folder (the root when that is `.`) or in mkdocs.yml's `watch:` list.
fn is_snippet_source(config: &Config, parts: &[&str]) -> bool {
    let Some(project) = &config.mkdocs else {
        return false;
    };
    if !project.dialect.snippets && project.watch.is_empty() {
        return false;
    }
    let bases = project.dialect.snippet_base.iter().chain(&project.watch);
    bases
        .filter_map(|b| normalize(b))
        .any(|base| parts.starts_with(&segments(&base)))
}

/// The non-empty segments of a `/`-separated folder name from the configuration.
fn segments(dir: &str) -> Vec<&str> {
    dir.split('/').filter(|s| !s.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{classify, ChangeKind};
    use crate::config::Config;

    const ROOT: &str = "/site";

    fn site_yaml() -> Config {
        Config::parse("title: T\nicons:\n  dir: img/icons\n").expect("site.yaml")
    }

    fn mkdocs_yml() -> Config {
        let text = "site_name: T\ndocs_dir: src/docs\nwatch:\n  - overrides\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: [parts, .]\n";
        crate::config::mkdocs::parse(text).expect("mkdocs.yml").0
    }

    fn kind_of(config: &Config, path: impl AsRef<Path>) -> ChangeKind {
        classify(config, Path::new(ROOT), path.as_ref())
    }

    fn at(relative: &str) -> PathBuf {
        Path::new(ROOT).join(relative)
    }

    #[test]
    fn site_yaml_paths() {
        use ChangeKind::*;
        let config = site_yaml();
        let cases: &[(&str, ChangeKind)] = &[
            ("content/guide.md", ContentPage("guide.md".into())),
            ("content/a/b.markdown", ContentPage("a/b.markdown".into())),
            (
                "content/people/anna.svg",
                ContentFile("people/anna.svg".into()),
            ),
            ("content/sub", ContentFile("sub".into())),
            ("content", ContentDir),
            ("templates/page.html", Template("page.html".into())),
            (
                "templates/partials/nav.html",
                Template("partials/nav.html".into()),
            ),
            ("themes", Theme),
            ("themes/decred", Theme),
            ("themes/decred/theme.yaml", Theme),
            (
                "themes/decred/templates/base.html",
                Template("base.html".into()),
            ),
            ("themes/decred/static/css/decred.css", Assets { css: true }),
            ("themes/decred/static/favicon.svg", Assets { css: false }),
            ("themes/other/templates/base.html", Ignored),
            ("assets/css/extra.css", Assets { css: true }),
            ("assets/extra.txt", Assets { css: false }),
            ("assets", Icons),
            ("assets/img", Icons),
            ("assets/img/icons", Icons),
            ("assets/img/icons/Code.svg", Icons),
            ("assets/img/logo.png", Assets { css: false }),
            ("site.yaml", Config),
            ("mkdocs.yml", Ignored),
            ("parts/warning.md", Ignored),
            ("README.md", Ignored),
            ("content/.guide.md.swp", Ignored),
            (".git/index", Ignored),
            ("templates/.page.html~", Ignored),
        ];
        for (path, kind) in cases {
            assert_eq!(kind_of(&config, at(path)), *kind, "{path}");
        }
    }

    #[test]
    fn mkdocs_paths() {
        use ChangeKind::*;
        let config = mkdocs_yml();
        let cases: &[(&str, ChangeKind)] = &[
            ("src/docs/index.md", ContentPage("index.md".into())),
            ("src/docs/img/a.png", ContentFile("img/a.png".into())),
            ("src/docs", ContentDir),
            ("src", Snippet),
            ("mkdocs.yml", Config),
            ("site.yaml", Config),
            ("parts/warning.md", Snippet),
            ("overrides/main.html", Snippet),
            // A snippet `base_path` of `.` is the whole project.
            ("notes/anything.txt", Snippet),
            ("templates/page.html", Template("page.html".into())),
            (".cache/x", Ignored),
        ];
        for (path, kind) in cases {
            assert_eq!(kind_of(&config, at(path)), *kind, "{path}");
        }
    }

    /// serve reloads the configuration when a file of mkdocs.yml's INHERIT chain changes.
    #[test]
    fn inherited_configuration_files_are_configuration() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("cfg")).unwrap();
        std::fs::write(dir.path().join("cfg/base.yml"), "site_name: Base\n").unwrap();
        std::fs::write(dir.path().join("env.yml"), "INHERIT: cfg/base.yml\n").unwrap();
        let (config, _) =
            crate::config::mkdocs::parse_project(dir.path(), "INHERIT: env.yml\n").unwrap();
        assert_eq!(config.title, "Base");
        let kind = |rel: &str| classify(&config, dir.path(), &dir.path().join(rel));
        assert_eq!(kind("env.yml"), ChangeKind::Config);
        assert_eq!(kind("cfg/base.yml"), ChangeKind::Config);
        assert_eq!(kind("cfg/other.yml"), ChangeKind::Ignored);
        assert_eq!(kind("other.yml"), ChangeKind::Ignored);
        let watched = config.layout().extra_source_dirs();
        assert!(
            watched.contains(&"cfg".to_string()),
            "serve watches the folder of a parent below the root: {watched:?}"
        );
        assert!(
            watched.contains(&"env.yml".to_string()),
            "and a parent beside mkdocs.yml: {watched:?}"
        );
    }

    #[test]
    fn snippet_folders_need_the_extension_or_a_watch_list() {
        let text = "site_name: T\nmarkdown_extensions:\n  - admonition\n";
        let config = crate::config::mkdocs::parse(text).expect("mkdocs.yml").0;
        assert_eq!(kind_of(&config, at("parts/a.md")), ChangeKind::Ignored);
        assert_eq!(
            kind_of(&config, at("docs/a.md")),
            ChangeKind::ContentPage("a.md".into())
        );
    }

    #[test]
    fn paths_relative_to_a_relative_root() {
        let config = site_yaml();
        let kind = classify(&config, Path::new("."), Path::new("./content/guide.md"));
        assert_eq!(kind, ChangeKind::ContentPage("guide.md".into()));
    }

    #[test]
    fn outside_the_root_is_ignored() {
        let config = site_yaml();
        assert_eq!(
            kind_of(&config, "/elsewhere/content/guide.md"),
            ChangeKind::Ignored
        );
        assert_eq!(kind_of(&config, "content/guide.md"), ChangeKind::Ignored);
    }

    #[test]
    fn the_root_itself_is_ignored_unless_snippets_are_read_from_it() {
        assert_eq!(kind_of(&site_yaml(), ROOT), ChangeKind::Ignored);
        assert_eq!(kind_of(&mkdocs_yml(), ROOT), ChangeKind::Snippet);
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_left_to_a_content_walk() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
        let config = site_yaml();
        for folder in ["content", "assets", "."] {
            let path = at(folder).join(name);
            assert_eq!(kind_of(&config, &path), ChangeKind::ContentDir, "{folder}");
        }
    }
}
