//! Material's `tags` plugin: a page's front-matter `tags` are shown above its content,
//! and the page holding the `<!-- material/tags -->` marker lists every tag with the
//! pages that have it. Each tag links to its entry there (`tags/#tag:setup-guide`), as
//! Material writes them.

use std::collections::BTreeMap;

use crate::content::{Content, Page};
use crate::icons::html_escape;
use crate::markdown::slugs::TocIds;

/// The marker the tags index replaces (options after it, as in
/// `<!-- material/tags { include: [a] } -->`, are not read: every tag is listed).
const MARKER: &str = "<!-- material/tags";

/// The page's `tags` (a list of names).
fn tags_of(page: &Page) -> Vec<String> {
    if !page.yaml.contains("tags") {
        return Vec::new();
    }
    let Ok(yaml) = serde_yaml::from_str::<serde_yaml::Value>(&page.yaml) else {
        return Vec::new();
    };
    match yaml.get("tags") {
        Some(serde_yaml::Value::Sequence(list)) => list
            .iter()
            .filter_map(|t| match t {
                serde_yaml::Value::String(s) => Some(s.clone()),
                serde_yaml::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a change to this page can change what the tags show elsewhere: it has tags
/// or holds the index.
pub(super) fn involves(page: &Page) -> bool {
    !tags_of(page).is_empty() || page.body.text().contains(MARKER)
}

/// What the tags add to each rendered page: `(page, html before its content, index
/// list)`. `html_of(i)` gives page `i`'s rendered HTML and its title; `base_path` is
/// where the site is served.
pub(super) fn decorate<'h>(
    content: &Content,
    base_path: &str,
    ids: &TocIds,
    html_of: impl Fn(usize) -> (&'h str, &'h str),
) -> Vec<(usize, String, Option<String>)> {
    let index = (0..content.pages.len()).find(|&i| html_of(i).0.contains(MARKER));
    let href = |i: usize| {
        let url = &content.pages[i].url;
        html_escape(&format!("{base_path}{}", url.trim_start_matches('/')))
    };
    let mut by_tag: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, page) in content.pages.iter().enumerate() {
        let tags = tags_of(page);
        if tags.is_empty() {
            continue;
        }
        let links: String = tags
            .iter()
            .map(|t| {
                let name = html_escape(t);
                match index {
                    Some(at) => {
                        let id = html_escape(&ids.slug(t));
                        format!(
                            "<a href=\"{}#tag:{id}\" class=\"md-tag\">{name}</a>",
                            href(at)
                        )
                    }
                    None => format!("<span class=\"md-tag\">{name}</span>"),
                }
            })
            .collect();
        out.push((i, format!("<nav class=\"md-tags\">{links}</nav>\n"), None));
        for t in tags {
            by_tag
                .entry(t)
                .or_default()
                .push((html_of(i).1.to_string(), i));
        }
    }
    if let Some(at) = index {
        out.push((at, String::new(), Some(index_list(&by_tag, ids, href))));
    }
    out
}

/// Every tag, by name, with the pages that have it, by title.
fn index_list(
    by_tag: &BTreeMap<String, Vec<(String, usize)>>,
    ids: &TocIds,
    href: impl Fn(usize) -> String,
) -> String {
    let mut html = String::new();
    for (tag, pages) in by_tag {
        let mut pages = pages.clone();
        pages.sort();
        let id = html_escape(&ids.slug(tag));
        html.push_str(&format!(
            "<h2 id=\"tag:{id}\"><span class=\"md-tag\">{}</span></h2>\n<ul>\n",
            html_escape(tag)
        ));
        for (title, i) in pages {
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>\n",
                href(i),
                html_escape(&title)
            ));
        }
        html.push_str("</ul>\n");
    }
    html
}

/// `html` with the tags' additions: `before` in front, the index list in place of the
/// marker comment.
pub(super) fn apply(html: &str, before: &str, list: Option<&str>) -> String {
    let mut body = html.to_string();
    if let Some(list) = list {
        if let Some(start) = body.find(MARKER) {
            let end = body[start..]
                .find("-->")
                .map_or(body.len(), |e| start + e + 3);
            body.replace_range(start..end, list);
        }
    }
    format!("{before}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_is_replaced_with_its_options() {
        assert_eq!(
            apply(
                "<p>a</p>\n<!-- material/tags { include: [x] } -->\n",
                "<nav/>",
                Some("L")
            ),
            "<nav/><p>a</p>\nL\n"
        );
        assert_eq!(apply("<p>a</p>", "", None), "<p>a</p>");
    }
}
