//! One table of the kinds of change a site goes through, for the two oracles that must
//! give a full build's result after each: `incremental.rs` (what `serve` applies) and
//! `build_cache.rs` (a build from the cache). A kind added here is proven by both.

use std::path::{Path, PathBuf};

use super::{edit_file as edit, SiteTest};

/// One kind of change: the site it happens to, what it does to its files (returning
/// the paths changed, as a watcher reports them), and how many pages' Markdown must be
/// rendered again because of it (`None` where that is not one number: everything
/// depends on it, or the page set changes).
pub struct ChangeCase {
    pub name: &'static str,
    pub site: fn() -> SiteTest,
    pub change: fn(&Path) -> Vec<PathBuf>,
    pub markdown_rendered: Option<usize>,
}

fn basic() -> SiteTest {
    SiteTest::fixture("basic")
}

fn mkdocs() -> SiteTest {
    SiteTest::fixture("mkdocs")
}

/// An MkDocs project whose pages include files from outside `docs/` and inside it, in
/// each way the dialect knows: mdx_include, markdown_include_variants, snippets (also
/// nested, and appended to every page).
pub fn includes() -> SiteTest {
    SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: I\nmarkdown_extensions:\n  - abbr\n  - mdx_include\n  - markdown_include_variants\n  - pymdownx.snippets:\n      base_path: [parts]\n      auto_append: [glossary.md]\n",
        )
        .file("docs/index.md", "# Home\n\nThe API is here.\n")
        .file("docs/mdx.md", "# Mdx\n\n{!docs_src/words.md!}\n")
        .file("docs/code.md", "# Code\n\n{* docs_src/app.py ln[1:2] *}\n")
        .file("docs/inner.md", "# Inner\n\n{!docs/includes/inner.txt!}\n")
        .file("docs/includes/inner.txt", "Inner words.\n")
        .file("docs/snip.md", "# Snip\n\n--8<-- \"outer.md\"\n")
        .file("parts/outer.md", "Outer, then:\n\n--8<-- \"nested.md\"\n")
        .file("parts/nested.md", "Nested words.\n")
        .file("parts/glossary.md", "*[API]: Application Programming Interface\n")
        .file("docs_src/words.md", "Included words.\n")
        .file("docs_src/app.py", "import os\nprint(os.name)\nprint(1)\n")
}

fn replace(root: &Path, path: &str, from: &str, to: &str) -> Vec<PathBuf> {
    let p = root.join(path);
    edit(&p, from, to);
    vec![p]
}

fn write(root: &Path, path: &str, text: &str) -> Vec<PathBuf> {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    vec![p]
}

pub const CHANGE_CASES: &[ChangeCase] = &[
    ChangeCase {
        name: "page body",
        site: basic,
        change: |r| {
            replace(
                r,
                "content/sub/page.md",
                "Raw HTML stays.",
                "Raw HTML, edited.",
            )
        },
        markdown_rendered: Some(1),
    },
    ChangeCase {
        name: "page title",
        site: basic,
        change: |r| {
            replace(
                r,
                "content/guide.md",
                "title: The guide",
                "title: The handbook",
            )
        },
        markdown_rendered: Some(1),
    },
    ChangeCase {
        name: "page created",
        site: basic,
        change: |r| write(r, "content/new-page.md", "---\ntitle: New\n---\nFresh.\n"),
        markdown_rendered: None,
    },
    ChangeCase {
        name: "page deleted",
        site: basic,
        change: |r| {
            let p = r.join("content/special.md");
            std::fs::remove_file(&p).unwrap();
            vec![p]
        },
        markdown_rendered: None,
    },
    ChangeCase {
        name: "template",
        site: basic,
        change: |r| {
            let path = "themes/decred/templates/page.html";
            replace(r, path, "</article>", "<p>edited</p></article>")
        },
        markdown_rendered: Some(0),
    },
    ChangeCase {
        name: "site.yaml",
        site: basic,
        change: |r| replace(r, "site.yaml", "title:", "title: Edited"),
        markdown_rendered: None,
    },
    ChangeCase {
        name: "snippet",
        site: mkdocs,
        change: |r| replace(r, "parts/warning.md", "Back up first", "Back up twice"),
        markdown_rendered: Some(1),
    },
    ChangeCase {
        name: "mdx_include file outside docs/",
        site: includes,
        change: |r| write(r, "docs_src/words.md", "Other words.\n"),
        markdown_rendered: Some(1),
    },
    ChangeCase {
        name: "mdx_include file inside docs/",
        site: includes,
        change: |r| write(r, "docs/includes/inner.txt", "Other inner words.\n"),
        markdown_rendered: Some(1),
    },
    ChangeCase {
        name: "include_variants source",
        site: includes,
        change: |r| write(r, "docs_src/app.py", "import sys\nprint(sys.argv)\n"),
        markdown_rendered: Some(1),
    },
    ChangeCase {
        name: "include_variants variant appearing",
        site: includes,
        change: |r| write(r, "docs_src/app_py310.py", "print(310)\n"),
        markdown_rendered: Some(1),
    },
    ChangeCase {
        name: "nested snippet",
        site: includes,
        change: |r| write(r, "parts/nested.md", "Other nested words.\n"),
        markdown_rendered: Some(1),
    },
    ChangeCase {
        name: "auto_append glossary",
        site: includes,
        change: |r| write(r, "parts/glossary.md", "*[API]: An Interface\n"),
        markdown_rendered: Some(5),
    },
];
