//! Static assets: the theme's `static/` and the site's `assets/`, copied to the output.
//! CSS and JS get a content hash in their name so browsers can cache them forever;
//! templates find the hashed name through `asset_url`.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::content::inside::Inside;
use crate::content::walk::display_path;
use crate::diagnostics::Diagnostic;
use crate::output::{Body, OutputFile};

/// Logical asset path (`css/decred.css`) → output path (`css/decred.1a2b3c4d.css`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    map: BTreeMap<String, String>,
}

impl Manifest {
    pub fn output_path(&self, logical: &str) -> Option<&str> {
        self.map
            .get(logical.trim_start_matches('/'))
            .map(String::as_str)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

/// Assets ready for the Output, and how to find them.
#[derive(Debug, Default)]
pub(crate) struct Assets {
    pub manifest: Manifest,
    /// Output path → file.
    pub files: BTreeMap<String, OutputFile>,
}

impl Assets {
    /// Collects the asset folders in order; a later folder overrides an earlier one.
    pub(crate) fn collect(site_root: &Path, dirs: &[&Path]) -> Result<Assets, Vec<Diagnostic>> {
        let mut logical: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
        let mut problems = Vec::new();
        let inside = Inside::new(site_root);
        for dir in dirs {
            if !dir.is_dir() {
                continue;
            }
            for entry in inside.walk(dir, false) {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                        let name = display_path(rel, Path::new(""));
                        logical.insert(name, e.path().to_path_buf());
                    }
                    Ok(_) => {}
                    Err(d) => problems.push(d),
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut assets = Assets::default();
        for (name, path) in logical {
            let source = display_path(&path, site_root);
            if is_fingerprinted(&name) {
                let bytes = std::fs::read(&path).map_err(|e| {
                    vec![Diagnostic::error(
                        &source,
                        format!("cannot read asset: {e}"),
                    )]
                })?;
                assets.add_bytes(&name, bytes, source);
            } else {
                assets.manifest.map.insert(name.clone(), name.clone());
                assets.files.insert(
                    name,
                    OutputFile {
                        body: Body::Copy(path),
                        source,
                        links: Vec::new(),
                        template: None,
                    },
                );
            }
        }
        Ok(assets)
    }

    /// Adds a generated asset (such as the syntax stylesheet), fingerprinted if CSS/JS.
    pub(crate) fn add_bytes(&mut self, logical: &str, bytes: Vec<u8>, source: String) {
        let output = if is_fingerprinted(logical) {
            fingerprinted_name(logical, &bytes)
        } else {
            logical.to_string()
        };
        self.manifest
            .map
            .insert(logical.to_string(), output.clone());
        self.files
            .insert(output, OutputFile::generated(bytes, source));
    }
}

fn is_fingerprinted(name: &str) -> bool {
    name.ends_with(".css") || name.ends_with(".js")
}

/// `css/a.css` + bytes → `css/a.<8 hex of sha256>.css`.
pub(crate) fn fingerprinted_name(logical: &str, bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    match logical.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{hex}.{ext}"),
        _ => format!("{logical}.{hex}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_assets_override_theme_and_css_is_fingerprinted() {
        let dir = tempfile::tempdir().unwrap();
        let theme = dir.path().join("themes/t/static");
        let site = dir.path().join("assets");
        std::fs::create_dir_all(theme.join("css")).unwrap();
        std::fs::create_dir_all(site.join("css")).unwrap();
        std::fs::write(theme.join("css/a.css"), "theme").unwrap();
        std::fs::write(theme.join("logo.svg"), "<svg/>").unwrap();
        std::fs::write(site.join("css/a.css"), "site").unwrap();
        let assets = Assets::collect(dir.path(), &[&theme, &site]).unwrap();
        let css = assets.manifest.output_path("css/a.css").unwrap();
        assert_eq!(css, fingerprinted_name("css/a.css", b"site"));
        assert!(
            css.starts_with("css/a.")
                && css.ends_with(".css")
                && css.len() == "css/a.12345678.css".len()
        );
        assert_eq!(assets.manifest.output_path("/logo.svg"), Some("logo.svg"));
        assert!(matches!(assets.files["logo.svg"].body, Body::Copy(_)));
    }
}
