//! Markdown output, one snapshot per feature, input beside expected (as Zola's
//! `components/markdown/tests/`): `markdown/site/NAME.md` is rendered as a page of a
//! dcrsite site, `markdown/mkdocs/NAME.md` as a page of an MkDocs project with every
//! extension dcrsite understands turned on. `NAME.html` beside it is the expected HTML;
//! `NAME.diagnostics` the expected warnings and errors, one a line (absent: none).
//!
//! `BLESS=1 cargo test --test suite markdown` writes the expected files from the output
//! instead of comparing; read the diff before committing it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dcrsite::content::urls::ContentIndex;
use dcrsite::icons::IconSet;
use dcrsite::markdown::mkdocs::Dialect;
use dcrsite::markdown::{render, Highlighter, RenderOptions, RenderedMarkdown};

use crate::common::repo_root;

fn cases_dir() -> PathBuf {
    repo_root().join("tests/suite/markdown")
}

/// What a page may link to: each case is the page `a/page.md` of a site holding these.
fn content_index(dir: &str) -> ContentIndex {
    let mut index = ContentIndex::default();
    index.dir = dir.to_string();
    for (path, url) in [
        ("_index.md", "/"),
        ("guide.md", "/guide/"),
        ("a/page.md", "/a/page/"),
        ("a/other.md", "/a/other/"),
        ("img/logo.png", "/img/logo.png"),
    ] {
        index.insert(path.to_string(), url.to_string());
    }
    index
}

fn icons() -> IconSet {
    let names = ["Code", "Wallet"].map(|n| (n.to_string(), None));
    IconSet::from_parts(BTreeMap::from(names), "/img/icons", "dcr-icon", false)
}

/// The dialect of an mkdocs.yml listing every extension dcrsite understands, read as
/// dcrsite reads a project's, with `extra: {version: 2.4.1}` and snippets read from
/// `markdown/snippets/`, and superfences' `mermaid` fence as Material's documentation
/// configures it; magiclink's shorthands for `decred/dcrd`.
fn mkdocs_dialect() -> Dialect {
    const MKDOCS_YML: &str = "site_name: Snapshots
extra:
  version: 2.4.1
plugins:
  - markdownextradata
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.tabbed:
      alternate_style: true
  - attr_list
  - def_list
  - abbr
  - footnotes
  - md_in_html
  - pymdownx.tilde
  - pymdownx.caret
  - pymdownx.arithmatex
  - pymdownx.emoji
  - pymdownx.critic
  - pymdownx.progressbar
  - pymdownx.magiclink:
      repo_url_shorthand: true
      user: decred
      repo: dcrd
  - pymdownx.snippets:
      base_path: snippets
      check_paths: true
  - toc:
      permalink: true
  - pymdownx.highlight
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
";
    let (config, _) = dcrsite::config::mkdocs::parse(MKDOCS_YML).unwrap();
    let mut dialect = config.mkdocs.unwrap().dialect;
    dialect.root = cases_dir();
    dialect
}

/// Renders `markdown` as the page `a/page.md` of a site (`mkdocs`: of an MkDocs project).
fn render_page(markdown: &str, mkdocs: bool) -> RenderedMarkdown {
    let dialect = mkdocs_dialect();
    let dir = if mkdocs { "docs" } else { "content" };
    let source_path = format!("{dir}/a/page.md");
    let opts = RenderOptions {
        source_path: &source_path,
        content_path: "a/page.md",
        line_offset: 0,
        icons: &icons(),
        links: &content_index(dir),
        highlighter: &Highlighter::new(),
        // Each dialect's default: dcrsite's site.yaml has it on, MkDocs without `smarty` off.
        smart_punctuation: !mkdocs,
        mkdocs: mkdocs.then_some(&dialect),
    };
    render(markdown, &opts)
}

/// The `.md` files of `markdown/DIALECT/`, sorted.
fn inputs(dialect: &str) -> Vec<PathBuf> {
    let dir = cases_dir().join(dialect);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// Compares `actual` with the file `expected` (absent means empty), or writes it when
/// blessing. Returns a description of the difference.
fn compare(expected: &Path, actual: &str, bless: bool) -> Option<String> {
    let wanted = std::fs::read_to_string(expected).unwrap_or_default();
    if wanted == actual {
        return None;
    }
    if bless {
        if actual.is_empty() {
            std::fs::remove_file(expected).unwrap();
        } else {
            std::fs::write(expected, actual).unwrap();
        }
        return None;
    }
    let name = expected.strip_prefix(repo_root()).unwrap_or(expected);
    Some(format!(
        "{}:\n--- expected\n{wanted}\n--- actual\n{actual}\n",
        name.display()
    ))
}

#[test]
fn each_feature_renders_as_its_snapshot() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let mut count = 0;
    for dialect in ["site", "mkdocs"] {
        for input in inputs(dialect) {
            let out = render_page(&crate::common::read(&input), dialect == "mkdocs");
            let diagnostics: String = out.diagnostics.iter().map(|d| format!("{d}\n")).collect();
            failures.extend(compare(&input.with_extension("html"), &out.html, bless));
            failures.extend(compare(
                &input.with_extension("diagnostics"),
                &diagnostics,
                bless,
            ));
            count += 1;
        }
    }
    assert!(count >= 16, "only {count} Markdown cases found");
    assert!(
        failures.is_empty(),
        "{} snapshot(s) differ (BLESS=1 rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
