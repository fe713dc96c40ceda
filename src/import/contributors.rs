//! `dcrsite import contributors`: Hugo's `people.yml` (and `companies.yml`, and the
//! portraits) as the pages of a contributors section.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use super::companies;
pub use super::companies::CompaniesOutcome;
use super::entries::{self, Source};
pub use super::files::Written;
use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;

/// What to import and where.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Hugo's `people.yml`: a list of people.
    pub people: PathBuf,
    /// Hugo's `companies.yml`: companies by id.
    pub companies: Option<PathBuf>,
    /// The folder holding the `avatar_image` files (and the logos, or a `companies/`
    /// folder of them).
    pub portraits: Option<PathBuf>,
    /// The contributors section's folder (`content/contributors`).
    pub into: PathBuf,
    /// Replace files that exist with other contents.
    pub force: bool,
}

/// What the import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// People converted (each has a page, new, unchanged or kept).
    pub people: usize,
    /// Pages, portraits, the section page and logos, by what happened to them.
    pub files: Written,
    /// Entries left out (errors) and fields ignored, files kept (warnings).
    pub problems: Vec<Diagnostic>,
    /// What became of the companies, when a companies file was given.
    pub companies: Option<CompaniesOutcome>,
}

/// The section page written when the folder has none: the grid needs its template.
const SECTION_PAGE: &str = "---\ntitle: Contributors\ntemplate: contributors.html\n---\n";

/// Imports the people (and companies). `Err` when nothing can be imported: a file that
/// cannot be read or is not the expected YAML.
pub fn import_contributors(options: &ImportOptions) -> Result<ImportReport, Vec<Diagnostic>> {
    let shown = options.people.display().to_string();
    let text = std::fs::read_to_string(&options.people).map_err(|e| {
        vec![Diagnostic::error(&shown, format!("cannot read: {e}"))
            .with_help("pass the path of Hugo's people.yml")]
    })?;
    let value: Value = crate::yaml::parse(&text, &shown, 0).map_err(|d| vec![d])?;
    let Value::Sequence(list) = value else {
        return Err(vec![Diagnostic::error(&shown, "expected a list of people")
            .at(1, 1)
            .with_help(
                "people.yml is a YAML list: one `- name: …` entry per person",
            )]);
    };
    let hugo_companies = match &options.companies {
        Some(path) => Some(companies::read(path).map_err(|d| vec![d])?),
        None => None,
    };
    let ids: Option<BTreeSet<String>> =
        hugo_companies.as_ref().map(|c| c.keys().cloned().collect());
    let source = Source {
        shown: &shown,
        text: &text,
        portraits: options.portraits.as_deref(),
        companies: ids.as_ref(),
    };
    let (pages, mut problems) = entries::convert(&source, &list);
    let mut report = ImportReport {
        people: pages.len(),
        ..ImportReport::default()
    };
    let into = &options.into;
    for page in &pages {
        let path = into.join(format!("{}.md", page.slug));
        report
            .files
            .put(&path, page.text.as_bytes(), options.force, &mut problems);
        if let Some((from, name)) = &page.portrait {
            copy(
                from,
                &into.join(name),
                options,
                &mut report.files,
                &mut problems,
            );
        }
    }
    let section = into.join("_index.md");
    if !section.exists() && !pages.is_empty() {
        report
            .files
            .put(&section, SECTION_PAGE.as_bytes(), false, &mut problems);
    }
    if let Some(hugo) = &hugo_companies {
        let root = site_root(into);
        let logos = companies::Logos {
            site_root: root.as_deref(),
            portraits: options.portraits.as_deref(),
            force: options.force,
        };
        report.companies = Some(companies::merge(
            hugo,
            &logos,
            &mut report.files,
            &mut problems,
        ));
    }
    report.problems = problems;
    Ok(report)
}

fn copy(
    from: &Path,
    to: &Path,
    options: &ImportOptions,
    files: &mut Written,
    problems: &mut Vec<Diagnostic>,
) {
    match std::fs::read(from) {
        Ok(bytes) => files.put(to, &bytes, options.force, problems),
        Err(e) => problems.push(Diagnostic::error(
            from.display().to_string(),
            format!("cannot read the portrait: {e}"),
        )),
    }
}

/// The nearest folder at or above `dir` holding a site.yaml.
fn site_root(dir: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(dir).ok()?;
    absolute
        .ancestors()
        .find(|d| d.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_pages_portraits_and_companies_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let data = root.join("hugo");
        std::fs::create_dir_all(data.join("img/companies")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: T\n").unwrap();
        std::fs::write(
            data.join("people.yml"),
            "-\n  name: Ann Lee\n  group: design\n  company_id: c0\n  avatar_image: ann.png\n",
        )
        .unwrap();
        std::fs::write(
            data.join("companies.yml"),
            "c0:\n  name: Zero\n  logo: zero.svg\n",
        )
        .unwrap();
        std::fs::write(data.join("img/ann.png"), "png").unwrap();
        std::fs::write(data.join("img/companies/zero.svg"), "<svg/>").unwrap();
        let options = ImportOptions {
            people: data.join("people.yml"),
            companies: Some(data.join("companies.yml")),
            portraits: Some(data.join("img")),
            into: root.join("content/contributors"),
            force: false,
        };
        let first = import_contributors(&options).unwrap();
        assert!(first.problems.is_empty(), "{:?}", first.problems);
        assert_eq!(
            first.files.written.len(),
            4,
            "page, portrait, section, logo"
        );
        let page = std::fs::read_to_string(root.join("content/contributors/ann-lee.md")).unwrap();
        assert!(page.contains("portrait: ann-lee.png\n"), "{page}");
        assert!(root.join("content/contributors/ann-lee.png").is_file());
        assert!(root.join("assets/img/companies/zero.svg").is_file());
        let config =
            crate::config::Config::parse(&std::fs::read_to_string(root.join("site.yaml")).unwrap())
                .unwrap();
        assert_eq!(
            config.companies["c0"].logo.as_deref(),
            Some("/img/companies/zero.svg")
        );
        let again = import_contributors(&options).unwrap();
        assert!(again.files.written.is_empty(), "{:?}", again.files);
        assert!(matches!(
            again.companies,
            Some(CompaniesOutcome::AlreadyDeclared { .. })
        ));
    }
}
