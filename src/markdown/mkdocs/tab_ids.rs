//! `pymdownx.tabbed`'s `slugify` and `combine_header_slug`: each tab's id (its radio
//! input's, which its label points to, and which links to the tab name) is the slug of
//! the label's text, after the id of the heading before the set when combined; unique on
//! the page as `toc` makes ids unique. Without `slugify` tabs keep `__tabbed_N_M`.
//!
//! It runs on the page's HTML once heading ids are known, as pymdownx's tree processor
//! runs after `toc`.

use std::collections::HashSet;

use crate::icons::html_unescape;
use crate::markdown::slugs::TocIds;

/// How tab ids are made, when `slugify` is set.
#[derive(Debug, Clone, PartialEq)]
pub struct TabIds {
    pub ids: TocIds,
    pub combine_header_slug: bool,
}

/// Gives the tabs of `html` their slugged ids; `title_id` is the id of the page's title
/// heading, taken out of `html` before (the heading before any other).
pub(crate) fn apply(html: &str, title_id: Option<&str>, t: &TabIds) -> String {
    let mut used: HashSet<String> = attr_values(html, " id=\"").map(String::from).collect();
    used.extend(title_id.map(String::from));
    let mut renames = Vec::new();
    let mut heading = title_id.unwrap_or("").to_string();
    let mut at = 0;
    while let Some(next) = next_heading_or_label(html, at) {
        match next {
            Found::Heading(end, id) => {
                heading = id.to_string();
                at = end;
            }
            Found::Label(end, old, inner) => {
                let mut slug = t.ids.slug(&html_unescape(&strip_tags(inner)));
                if t.combine_header_slug && !heading.is_empty() {
                    slug = format!("{heading}{}{slug}", t.ids.separator);
                }
                let slug = unique(slug, &mut used);
                renames.push((format!("\"{old}\""), format!("\"{slug}\"")));
                at = end;
            }
        }
    }
    let mut out = html.to_string();
    for (old, new) in renames {
        out = out.replace(&old, &new);
    }
    out
}

enum Found<'a> {
    /// End offset and the heading's id.
    Heading(usize, &'a str),
    /// End offset, the tab's id and the label's inner HTML.
    Label(usize, &'a str, &'a str),
}

/// The next heading with an id, or tab label, from `at`.
fn next_heading_or_label(html: &str, at: usize) -> Option<Found<'_>> {
    let mut from = at;
    loop {
        let i = from + html.get(from..)?.find('<')?;
        let rest = &html[i..];
        let tag_end = i + rest.find('>')? + 1;
        let tag = &html[i..tag_end];
        let is_heading = rest.len() > 3
            && rest.as_bytes()[1] == b'h'
            && (b'1'..=b'6').contains(&rest.as_bytes()[2]);
        if is_heading {
            if let Some(id) = attr_values(tag, " id=\"").next() {
                return Some(Found::Heading(tag_end, id));
            }
        } else if let Some(old) = attr_values(tag, "<label for=\"").next() {
            if old.starts_with("__tabbed_") {
                let close = tag_end + html[tag_end..].find("</label>")?;
                return Some(Found::Label(close, old, &html[tag_end..close]));
            }
        }
        from = tag_end;
    }
}

/// The values of attribute `prefix` (written as ` name="`) in `html`.
fn attr_values<'a>(html: &'a str, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    html.match_indices(prefix).filter_map(move |(i, _)| {
        let start = i + prefix.len();
        html[start..].find('"').map(|n| &html[start..start + n])
    })
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' if inside => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// `slug`, or `slug_1`, `slug_2`, … whichever is unused, as `toc.unique` makes it.
fn unique(slug: String, used: &mut HashSet<String>) -> String {
    let mut id = slug.clone();
    let mut n = 0;
    while id.is_empty() || used.contains(&id) {
        n += 1;
        id = format!("{slug}_{n}");
    }
    used.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::slugs::{Case, Normalize, Slugify};

    fn lower() -> TabIds {
        TabIds {
            ids: TocIds {
                slugify: Slugify::Pymdownx {
                    case: Case::Lower,
                    percent_encode: false,
                    normalize: Normalize::Nfc,
                },
                separator: "-".into(),
            },
            combine_header_slug: true,
        }
    }

    #[test]
    fn tabs_take_the_slug_of_their_label_after_the_heading_before_them() {
        let html = concat!(
            r#"<h3 id="anchor-links">Anchor</h3><div class="tabbed-set"><input id="__tabbed_1_1" />"#,
            r#"<input id="__tabbed_1_2" /><label for="__tabbed_1_1">Open me ...</label>"#,
            r#"<label for="__tabbed_1_2"><code>mkdocs.yml</code></label></div>"#,
        );
        let out = apply(html, None, &lower());
        assert!(
            out.contains(r#"<input id="anchor-links-open-me-" />"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<label for="anchor-links-mkdocsyml">"#),
            "{out}"
        );
    }

    #[test]
    fn tab_ids_are_unique_on_the_page() {
        let two = concat!(
            r#"<h2 id="a">A</h2><label for="__tabbed_1_1">X</label>"#,
            r#"<label for="__tabbed_2_1">X</label>"#,
        );
        let out = apply(two, None, &lower());
        assert!(out.contains(r#"for="a-x">X<"#), "{out}");
        assert!(out.contains(r#"for="a-x_1">X<"#), "{out}");
    }
}
