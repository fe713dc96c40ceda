//! Hugo's `companies.yml` as site.yaml's `companies:`: logos copied under `assets/`, and
//! the companies site.yaml lacks added to it, or printed when the file cannot be edited
//! safely.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::files::Written;
use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::Diagnostic;
use crate::layout;

/// Where company logos go, under the site's assets (and so in its URLs).
const LOGO_DIR: &str = "img/companies";

/// One company as `companies.yml` writes it.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct HugoCompany {
    pub name: String,
    pub url: Option<String>,
    /// A file name, found in the portraits folder or its `companies/`.
    pub logo: Option<String>,
}

/// What became of the companies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompaniesOutcome {
    /// Added to site.yaml.
    Added { file: PathBuf, ids: Vec<String> },
    /// site.yaml declares every one already.
    AlreadyDeclared { file: PathBuf },
    /// Not written: the YAML to add to site.yaml, and why it was not added.
    ToAdd { yaml: String, reason: String },
}

/// Reads `companies.yml`; errors name its line.
pub(super) fn read(path: &Path) -> Result<BTreeMap<String, HugoCompany>, Diagnostic> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(&shown, format!("cannot read: {e}"))
            .with_help("pass --companies with the path of companies.yml")
    })?;
    crate::yaml::parse(&text, &shown, 0)
}

/// Where logos come from and go.
pub(super) struct Logos<'a> {
    pub site_root: Option<&'a Path>,
    pub portraits: Option<&'a Path>,
    pub force: bool,
}

impl Logos<'_> {
    /// The logo's URL: as written when it is one already, else the URL of the copy made
    /// under the site's assets (none when the site or the image is not found).
    fn url(
        &self,
        company: &HugoCompany,
        files: &mut Written,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let logo = company.logo.as_deref()?;
        if logo.starts_with('/') || crate::content::urls::has_scheme(logo) {
            return Some(logo.to_string());
        }
        let (root, dir) = self.site_root.zip(self.portraits)?;
        let name = Path::new(logo).file_name()?.to_str()?;
        let found = [dir.join("companies").join(logo), dir.join(logo)]
            .into_iter()
            .find(|p| p.is_file())?;
        let bytes = std::fs::read(found).ok()?;
        let target = root.join(layout::ASSETS).join(LOGO_DIR).join(name);
        files.put(&target, &bytes, self.force, problems);
        Some(format!("/{LOGO_DIR}/{name}"))
    }

    /// The YAML of companies `ids`, their logos copied.
    fn yaml(
        &self,
        companies: &BTreeMap<String, HugoCompany>,
        ids: &[&String],
        files: &mut Written,
        problems: &mut Vec<Diagnostic>,
    ) -> String {
        let mut yaml = String::new();
        for id in ids {
            let logo = self.url(&companies[*id], files, problems);
            yaml.push_str(&entry_yaml(id, &companies[*id], logo));
        }
        yaml
    }
}

/// Copies the logos (when the site and the images are known) and merges the companies
/// into the site's `site.yaml`.
pub(super) fn merge(
    companies: &BTreeMap<String, HugoCompany>,
    logos: &Logos,
    files: &mut Written,
    problems: &mut Vec<Diagnostic>,
) -> CompaniesOutcome {
    let Some(root) = logos.site_root else {
        let all: Vec<&String> = companies.keys().collect();
        return CompaniesOutcome::ToAdd {
            yaml: format!(
                "companies:\n{}",
                logos.yaml(companies, &all, files, problems)
            ),
            reason: format!("no {CONFIG_FILE} above the --into folder"),
        };
    };
    let file = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let declared = Config::parse(&text)
        .map(|c| c.companies)
        .unwrap_or_default();
    let missing: Vec<&String> = companies
        .keys()
        .filter(|id| !declared.contains_key(*id))
        .collect();
    if missing.is_empty() {
        return CompaniesOutcome::AlreadyDeclared { file };
    }
    let entries = logos.yaml(companies, &missing, files, problems);
    if let Some(new) = added_to(&text, &entries) {
        if std::fs::write(&file, new).is_ok() {
            let ids = missing.into_iter().cloned().collect();
            return CompaniesOutcome::Added { file, ids };
        }
    }
    CompaniesOutcome::ToAdd {
        yaml: format!("companies:\n{entries}"),
        reason: format!("{} could not be edited safely", file.display()),
    }
}

/// One company under `companies:`, indented two spaces.
fn entry_yaml(id: &str, company: &HugoCompany, logo: Option<String>) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut yaml = format!("  {id}:\n    name: {}\n", quote(&company.name));
    if let Some(url) = &company.url {
        yaml.push_str(&format!("    url: {}\n", quote(url)));
    }
    if let Some(logo) = logo {
        yaml.push_str(&format!("    logo: {}\n", quote(&logo)));
    }
    yaml
}

/// `text` (site.yaml) with `entries` added: a new `companies:` at the end, or the
/// entries at the top of the existing block, indented as its first entry is. `None`
/// when the result would not read back with every company (a flow mapping, odd
/// indentation): the caller prints the entries instead.
fn added_to(text: &str, entries: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_end() == "companies:" || l.starts_with("companies: #"));
    let new = match at {
        None => {
            let sep = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            format!("{text}{sep}\ncompanies:\n{entries}")
        }
        Some(at) => {
            let indent = lines[at + 1..]
                .iter()
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .map_or(2, |l| l.len() - l.trim_start().len());
            let pad = " ".repeat(indent.saturating_sub(2));
            let shifted: String = entries.lines().map(|l| format!("{pad}{l}\n")).collect();
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            out.insert(at + 1, shifted.trim_end_matches('\n').to_string());
            out.join("\n") + "\n"
        }
    };
    let parsed = Config::parse(&new).ok()?;
    let before = Config::parse(text).map(|c| c.companies.len()).unwrap_or(0);
    let added = entries.lines().filter(|l| l.ends_with(':')).count();
    (parsed.companies.len() == before + added).then_some(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = "  c1:\n    name: \"C One\"\n";

    #[test]
    fn a_new_block_goes_at_the_end() {
        let new = added_to("title: T\n", ENTRY).unwrap();
        assert_eq!(new, "title: T\n\ncompanies:\n  c1:\n    name: \"C One\"\n");
    }

    #[test]
    fn entries_join_an_existing_block_at_its_indentation() {
        let text = "title: T\ncompanies:\n    c0:\n        name: Zero\nsearch:\n  enabled: true\n";
        let config = Config::parse(&added_to(text, ENTRY).unwrap()).unwrap();
        assert_eq!(config.companies.len(), 2, "four-space entries");
        let text = "title: T\ncompanies:\n  c0:\n    name: Zero\nsearch:\n  enabled: true\n";
        let config = Config::parse(&added_to(text, ENTRY).unwrap()).unwrap();
        assert_eq!(config.companies.len(), 2);
        assert!(config.search.enabled);
    }

    #[test]
    fn a_flow_mapping_is_left_alone() {
        assert_eq!(added_to("companies: {c0: {name: Zero}}\n", ENTRY), None);
    }
}
