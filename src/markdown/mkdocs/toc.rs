//! Python-Markdown's `toc` options that change a page's markup (ids are `slugs`'): the
//! permalink's class, title and place, `anchorlink` (the heading's words as a link to
//! itself), `baselevel` (every heading shifted down), `toc_depth` (which levels the table
//! of contents lists) and the `[TOC]` marker, replaced by the table of contents as a
//! `<div class="toc">`.

use crate::icons::html_escape;
use crate::markdown::TocEntry;

#[derive(Debug, Clone, PartialEq)]
pub struct TocMarkup {
    pub permalink_class: String,
    /// The permalink's `title`; none when empty.
    pub permalink_title: String,
    /// The permalink before the heading's words instead of after them.
    pub permalink_leading: bool,
    pub anchorlink: bool,
    pub anchorlink_class: String,
    /// `#` becomes `<h{baselevel}>`, and so on down (never past `<h6>`).
    pub baselevel: u8,
    /// The levels (after `baselevel`) the table of contents lists, both included.
    pub depth: (u8, u8),
    /// The paragraph replaced by the table of contents; none when empty.
    pub marker: String,
    pub title: String,
    pub title_class: String,
    pub toc_class: String,
}

impl Default for TocMarkup {
    fn default() -> Self {
        TocMarkup {
            permalink_class: "headerlink".into(),
            permalink_title: "Permanent link".into(),
            permalink_leading: false,
            anchorlink: false,
            anchorlink_class: "toclink".into(),
            baselevel: 1,
            depth: (1, 6),
            marker: "[TOC]".into(),
            title: String::new(),
            title_class: "toctitle".into(),
            toc_class: "toc".into(),
        }
    }
}

impl TocMarkup {
    /// The level heading `level` is written at.
    pub fn level(&self, level: u8) -> u8 {
        (level + self.baselevel.max(1) - 1).min(6)
    }

    /// Whether the table of contents lists a heading written at `level`.
    pub fn lists(&self, level: u8) -> bool {
        (self.depth.0..=self.depth.1).contains(&level)
    }

    /// The permalink of heading `id`, with `text` as its words.
    pub fn permalink(&self, id: &str, text: &str) -> String {
        let title = if self.permalink_title.is_empty() {
            String::new()
        } else {
            format!(r#" title="{}""#, html_escape(&self.permalink_title))
        };
        format!(
            r##"<a class="{}" href="#{}"{title}>{text}</a>"##,
            html_escape(&self.permalink_class),
            html_escape(id)
        )
    }

    /// The opening tag of `anchorlink`'s link around the heading's words.
    pub fn anchor_open(&self, id: &str) -> String {
        format!(
            r##"<a class="{}" href="#{}">"##,
            html_escape(&self.anchorlink_class),
            html_escape(id)
        )
    }

    /// `html` with each paragraph holding only the marker replaced by the table of
    /// contents of `title` (the page's leading heading, level and id) and `toc`; None
    /// when there is no marker (the common case: one `contains` per page).
    pub fn replace_marker(
        &self,
        html: &str,
        title: Option<(u8, &str, &str)>,
        toc: &[TocEntry],
    ) -> Option<String> {
        if self.marker.trim().is_empty() {
            return None;
        }
        let paragraph = format!("<p>{}</p>", html_escape(self.marker.trim()));
        if !html.contains(&paragraph) {
            return None;
        }
        let mut flat = Vec::new();
        if let Some((level, id, text)) = title {
            flat.push((level, id, text));
        }
        flatten(toc, &mut flat);
        flat.retain(|(level, _, _)| self.lists(*level));
        Some(html.replace(&paragraph, &self.div(&flat)))
    }

    /// `<div class="toc">`: the optional title, then the nested list.
    fn div(&self, flat: &[(u8, &str, &str)]) -> String {
        let mut out = format!(r#"<div class="{}">"#, html_escape(&self.toc_class));
        if !self.title.is_empty() {
            match self.title_class.as_str() {
                "" => out.push_str("<span>"),
                class => out.push_str(&format!(r#"<span class="{}">"#, html_escape(class))),
            }
            out.push_str(&html_escape(&self.title));
            out.push_str("</span>\n");
        }
        let (roots, children) = nest(flat);
        list(&mut out, flat, &roots, &children);
        out.push_str("</div>\n");
        out
    }
}

/// Writes the entries `items` of `flat` (and theirs, `children`) as a `<ul>`.
fn list(out: &mut String, flat: &[(u8, &str, &str)], items: &[usize], children: &[Vec<usize>]) {
    out.push_str("<ul>\n");
    for &i in items {
        let (_, id, text) = flat[i];
        out.push_str(&format!(
            r##"<li><a href="#{}">{}</a>"##,
            html_escape(id),
            html_escape(text)
        ));
        if !children[i].is_empty() {
            list(out, flat, &children[i], children);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// Python-Markdown's `nest_toc_tokens`, on indices: the top-level entries and each
/// entry's children (a level out of order nests as it does there).
fn nest(flat: &[(u8, &str, &str)]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let mut children = vec![Vec::new(); flat.len()];
    let mut roots = Vec::new();
    if flat.is_empty() {
        return (roots, children);
    }
    roots.push(0);
    let (mut last, mut levels, mut parents) = (0, vec![flat[0].0], Vec::<usize>::new());
    for (i, &(level, _, _)) in flat.iter().enumerate().skip(1) {
        if levels.last().is_some_and(|&l| level < l) {
            levels.pop();
            let to_pop = parents
                .iter()
                .rev()
                .take_while(|&&p| level <= flat[p].0)
                .count();
            levels.truncate(levels.len().saturating_sub(to_pop));
            parents.truncate(parents.len() - to_pop);
            levels.push(level);
        }
        if levels.last() == Some(&level) {
            match parents.last() {
                Some(&p) => children[p].push(i),
                None => roots.push(i),
            }
        } else {
            children[last].push(i);
            parents.push(last);
            levels.push(level);
        }
        last = i;
    }
    (roots, children)
}

/// The entries of `toc` in page order.
fn flatten<'t>(toc: &'t [TocEntry], out: &mut Vec<(u8, &'t str, &'t str)>) {
    for e in toc {
        out.push((e.level, &e.id, &e.text));
        flatten(&e.children, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_paragraph_becomes_the_nested_list() {
        let m = TocMarkup::default();
        let entry = |level, id: &str| TocEntry {
            level,
            id: id.into(),
            text: id.to_uppercase(),
            icon_html: None,
            children: Vec::new(),
        };
        let mut a = entry(2, "a");
        a.children.push(entry(4, "b"));
        let toc = [a, entry(3, "c")];
        let html = m
            .replace_marker("<p>[TOC]</p>\n<h2>", Some((1, "t", "T")), &toc)
            .unwrap();
        assert_eq!(
            html,
            "<div class=\"toc\"><ul>\n<li><a href=\"#t\">T</a><ul>\n<li><a href=\"#a\">A</a><ul>\n<li><a href=\"#b\">B</a></li>\n<li><a href=\"#c\">C</a></li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>\n</div>\n\n<h2>",
            "an h3 after an h4 is its sibling, as Python-Markdown nests them"
        );
        assert_eq!(m.replace_marker("<p>no</p>", None, &toc), None);
    }
}
