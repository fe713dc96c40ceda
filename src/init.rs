//! `dcrsite init`: a new site to start from — site.yaml, a home page, a section with a
//! page, three icons and a .gitignore — built with the theme inside the binary. Nothing
//! that exists is overwritten.

use std::path::{Path, PathBuf};

use crate::config::mkdocs::MKDOCS_FILE;
use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::layout;

/// The files of a new site: path relative to the site folder, and text (`TITLE` is
/// replaced by the site's title).
const FILES: &[(&str, &str)] = &[
    (CONFIG_FILE, include_str!("init/site.yaml")),
    ("content/_index.md", include_str!("init/index.md")),
    (
        "content/guide/_index.md",
        include_str!("init/guide_index.md"),
    ),
    (
        "content/guide/writing-pages.md",
        include_str!("init/first_page.md"),
    ),
    (".gitignore", include_str!("init/gitignore")),
    // Three of the repository's own icons, so `icon:` works from the start.
    (
        "assets/img/icons/Home.svg",
        include_str!("../assets/img/dcr-icons/Home.svg"),
    ),
    (
        "assets/img/icons/Documentation.svg",
        include_str!("../assets/img/dcr-icons/Documentation.svg"),
    ),
    (
        "assets/img/icons/Code.svg",
        include_str!("../assets/img/dcr-icons/Code.svg"),
    ),
];

/// Creates a site in `dir` (made if missing); returns the files written, relative to it.
/// Refuses, writing nothing, when `dir` already holds a site or a content folder.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = dir.display().to_string();
    for existing in [CONFIG_FILE, MKDOCS_FILE, layout::CONTENT] {
        if dir.join(existing).exists() {
            return Err(Diagnostic::error(
                &shown,
                format!("refusing to create a site here: {existing} already exists"),
            )
            .with_help(
                "run `dcrsite init` with a new or empty folder, e.g. `dcrsite init my-docs`",
            ));
        }
    }
    let title = site_title(dir);
    // A JSON string is a valid YAML scalar, quoted and escaped.
    let quoted = serde_json::to_string(&title).unwrap_or_else(|_| "\"Docs\"".to_string());
    let mut written = Vec::new();
    for (rel, text) in FILES {
        // `.gitignore` may already be there (a fresh git repository): keep it.
        if dir.join(rel).exists() {
            continue;
        }
        let path = dir.join(rel);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text.replace("TITLE", &quoted))
        };
        write().map_err(|e| {
            Diagnostic::error(path.display().to_string(), format!("cannot write: {e}"))
                .with_help("check that the folder is writable")
        })?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

/// The folder's name in words (`my-docs` → `My docs`), or `Docs`.
fn site_title(dir: &Path) -> String {
    let name = std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words = name.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Docs".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_folder_name() {
        assert_eq!(site_title(Path::new("/x/my-docs")), "My docs");
        assert_eq!(site_title(Path::new("/x/api_reference")), "Api reference");
        assert_eq!(site_title(Path::new("")), "Docs");
    }

    #[test]
    fn refuses_to_overwrite_and_quotes_the_title() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("a: b");
        let written = init(&site).unwrap();
        assert_eq!(written.len(), FILES.len());
        let yaml = std::fs::read_to_string(site.join(CONFIG_FILE)).unwrap();
        assert!(yaml.contains("title: \"A: b\""), "{yaml}");
        let again = init(&site).unwrap_err();
        assert!(
            again.message.contains("site.yaml already exists"),
            "{again}"
        );
    }
}
