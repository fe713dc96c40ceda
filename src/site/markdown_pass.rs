//! Stage: every page's Markdown rendered, with its title, icon, summary and contributor
//! card.

use crate::check::content::PageFacts;
use std::collections::HashMap;

use crate::config::{Config, NavEntry};
use crate::content::{Content, Page, PageKind};
use crate::contributors::{self, Person};
use crate::icons::{html_escape, IconSet};
use crate::markdown::facts::FactKind;
use crate::markdown::{self, Highlighter, RenderOptions, RenderedMarkdown};

/// A page after Markdown, before templates.
pub(super) struct RenderedPage {
    pub(super) markdown: RenderedMarkdown,
    /// Words only.
    pub(super) title: String,
    pub(super) title_html: String,
    pub(super) icon_html: String,
    /// From front matter only (may be empty).
    pub(super) description: String,
    /// The first words of the body, for cards and search.
    pub(super) summary: String,
    pub(super) person: Option<Person>,
    pub(super) avatar: Option<String>,
}

pub(super) struct PageRenderer<'a> {
    pub(super) config: &'a Config,
    pub(super) content: &'a Content,
    pub(super) icons: &'a IconSet,
    pub(super) highlighter: &'a Highlighter,
}

impl PageRenderer<'_> {
    pub(super) fn render_markdown(&self, page: &Page) -> RenderedPage {
        let opts = RenderOptions {
            source_path: &page.source_path,
            content_path: &page.content_path,
            line_offset: page.body_line_offset,
            icons: self.icons,
            links: &self.content.index,
            highlighter: self.highlighter,
            smart_punctuation: self.config.markdown.smart_punctuation,
            mkdocs: self.config.mkdocs.as_ref().map(|m| &m.dialect),
        };
        let mut markdown = markdown::render(page.body.text(), &opts);
        let md_title = markdown.title.clone();
        let title = page
            .front
            .title
            .clone()
            .or_else(|| {
                md_title
                    .as_ref()
                    .map(|t| t.text.clone())
                    .filter(|t| !t.is_empty())
            })
            .unwrap_or_else(|| fallback_title(page, &self.config.title));
        let title_html = match &md_title {
            Some(t) if !t.html.trim().is_empty() => t.html.clone(),
            _ => html_escape(&title),
        };
        let mut icon_html = String::new();
        if let Some(name) = &page.front.icon {
            match self.icons.render(name) {
                Ok(html) => icon_html = html,
                Err(mut d) => {
                    d.path = page.source_path.clone();
                    (d.line, d.column) = page.key_position("icon").unzip();
                    markdown.diagnostics.push(d);
                }
            }
        } else if let Some(html) = md_title.as_ref().and_then(|t| t.icon_html.clone()) {
            icon_html = html;
        }
        let description = page.front.description.clone().unwrap_or_default();
        let summary = summary(&markdown.plain_text, 160);
        let (person, avatar) = if contributors::is_person(page) {
            match contributors::person(page, &title, self.config, &self.content.index) {
                Ok((p, a)) => (Some(p), a),
                Err(p) => {
                    markdown.diagnostics.extend(p);
                    (None, None)
                }
            }
        } else {
            (None, None)
        };
        compact(&mut markdown);
        RenderedPage {
            markdown,
            title,
            title_html,
            icon_html,
            description,
            summary,
            person,
            avatar,
        }
    }
}

/// Every page's Markdown is held until the whole site is rendered (templates, search
/// index, build cache): its text is kept in allocations of its size, not in the grown
/// buffers it was written into (up to twice as large).
fn compact(markdown: &mut RenderedMarkdown) {
    fn exact(s: &mut String) {
        if s.capacity() > s.len() {
            *s = s.as_str().to_owned();
        }
    }
    exact(&mut markdown.html);
    exact(&mut markdown.plain_text);
    markdown.toc.shrink_to_fit();
    markdown.links.shrink_to_fit();
    markdown.facts.shrink_to_fit();
}

/// A title for a page that has none: the file name, or the site's title for the home page.
/// What `check`'s content checks need of a rendered page; `nav_title` is the title an
/// explicit `nav` gives the page, which is the one shown when the page has none.
pub(super) fn page_facts(
    page: &Page,
    rendered: RenderedPage,
    nav_title: Option<&str>,
) -> PageFacts {
    // Taken, not copied: the page's Markdown result is not needed after this.
    let facts = rendered.markdown.facts;
    let leading_heading = || {
        rendered.markdown.title.as_ref()?;
        let first = facts.first().filter(|f| f.what == FactKind::Heading(1))?;
        Some((first.line, first.column))
    };
    let title_at = match page.front.title {
        Some(_) => page.key_position("title").or(Some((1, 1))),
        None => leading_heading(),
    };
    let title = match (title_at, nav_title) {
        (None, Some(nav)) => nav.to_string(),
        _ => rendered.title,
    };
    PageFacts {
        source_path: page.source_path.clone(),
        title,
        title_written: title_at.is_some() || nav_title.is_some(),
        title_at,
        is_home: page.kind == PageKind::Home,
        facts,
    }
}

/// The titles an explicit `nav` gives pages, by path under `content/` (or `docs_dir`).
pub(super) fn nav_titles(config: &Config) -> HashMap<&str, &str> {
    fn walk<'c>(entries: &'c [NavEntry], out: &mut HashMap<&'c str, &'c str>) {
        for e in entries {
            if let (Some(page), Some(title)) = (&e.page, &e.title) {
                out.insert(page.as_str(), title.as_str());
            }
            walk(&e.children, out);
        }
    }
    let mut out = HashMap::new();
    walk(config.nav.as_deref().unwrap_or_default(), &mut out);
    out
}

fn fallback_title(page: &Page, site_title: &str) -> String {
    if page.kind == PageKind::Home && !site_title.is_empty() {
        return site_title.to_string();
    }
    let name = page.dir.rsplit('/').next().unwrap_or("");
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Home".to_string(),
    }
}

/// The first `max` characters of `text`, cut at a word.
fn summary(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn summaries_cut_at_words() {
        assert_eq!(summary("one two three", 9), "one two…");
        assert_eq!(summary("short", 9), "short");
    }
}
