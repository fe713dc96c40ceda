//! The navigation MkDocs derives from the files of a project without `nav:`: the home
//! page first, then each folder's files (its `index.md` or `README.md` first, the others
//! by name, byte order as Python sorts them), then its subfolders by name, each a
//! section. Previous/next follow that order, as in MkDocs. Pages `not_in_nav` are left
//! out, as MkDocs does.

use crate::content::docs_rules::DocsRules;
use crate::content::nav::NavSpec;
use crate::content::{Content, PageKind};

/// The navigation of an MkDocs project without `nav:`.
pub(super) fn specs(
    content: &Content,
    children: &[Vec<usize>],
    rules: Option<&DocsRules>,
) -> Vec<NavSpec> {
    let mut specs = Vec::new();
    let home = &content.pages[content.home];
    // A project without `index.md` has no home page in MkDocs' navigation.
    if home.kind == PageKind::Home && home.content_path != "_index.md" {
        specs.push(NavSpec::Page {
            page: content.home,
            title: None,
            icon_html: None,
            children: Vec::new(),
        });
    }
    specs.extend(children_of(content.home, content, children, rules));
    specs
}

fn children_of(
    node: usize,
    content: &Content,
    children: &[Vec<usize>],
    rules: Option<&DocsRules>,
) -> Vec<NavSpec> {
    let mut kids = children[node].clone();
    kids.retain(|&c| {
        let hidden = rules.is_some_and(|r| r.not_in_nav(&content.pages[c].content_path));
        !hidden || !children[c].is_empty()
    });
    kids.sort_by(|&a, &b| {
        sort_key(&content.pages[a].content_path).cmp(&sort_key(&content.pages[b].content_path))
    });
    kids.into_iter()
        .map(|c| NavSpec::Page {
            page: c,
            title: None,
            icon_html: None,
            children: children_of(c, content, children, rules),
        })
        .collect()
}

/// MkDocs' `file_sort_key`: the folders, then whether the file is not the folder's
/// index, then its name. A section sorts by its index file, so among its folder's
/// siblings: after the files, by folder name.
fn sort_key(content_path: &str) -> (Vec<&str>, bool, &str) {
    let mut parts: Vec<&str> = content_path.split('/').collect();
    let name = parts.pop().unwrap_or("");
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    (parts, !matches!(stem, "index" | "README"), name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_first_index_first_then_folders_by_name() {
        let mut paths = vec![
            "z.md",
            "zeta/one.md",
            "about/start.md",
            "alpha.md",
            "b-guide/index.md",
            "about/deep/x.md",
            "Beta.md",
            "about/README.md",
            "_under.md",
            "index.md",
        ];
        paths.sort_by_key(|p| sort_key(p));
        // The order MkDocs 1.6.1 gives the same files.
        assert_eq!(
            paths,
            [
                "index.md",
                "Beta.md",
                "_under.md",
                "alpha.md",
                "z.md",
                "about/README.md",
                "about/start.md",
                "about/deep/x.md",
                "b-guide/index.md",
                "zeta/one.md",
            ]
        );
    }
}
