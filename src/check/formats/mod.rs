//! The report as the formats CI systems read: SARIF (GitHub code scanning) and JUnit XML
//! (GitLab, Jenkins, Azure). Both are built from one flat list of [`Entry`]s, so every
//! kind of finding reaches every format with the same rule, level and place.

mod entries;
pub mod junit;
pub mod sarif;

pub use entries::{entries, rules, site_entries, Entry, Rule};

/// The folder the report's paths are relative to, as seen from where the tool runs
/// (`docs/` for `--root docs`), so a CI system finds the files in the repository;
/// empty when that folder is the current one or was given as an absolute path.
pub fn path_prefix(folder: &std::path::Path) -> String {
    if folder.is_absolute() {
        return String::new();
    }
    let parts: Vec<String> = folder
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn prefix_is_the_relative_folder_with_a_slash() {
        assert_eq!(path_prefix(Path::new(".")), "");
        assert_eq!(path_prefix(Path::new("./docs")), "docs/");
        assert_eq!(path_prefix(Path::new("site/docs/")), "site/docs/");
        assert_eq!(path_prefix(&std::env::temp_dir()), "");
    }
}
