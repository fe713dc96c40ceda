//! Stage: pages rendered with their templates, alias redirects and the 404 page.

use serde_json::{json, Value};

use super::markdown_pass::RenderedPage;
use super::PageFiles;
use crate::config::Config;
use crate::content::nav::{Nav, NavPage};
use crate::content::{self, Content, Page, PageKind};
use crate::contributors::{self, Person};
use crate::diagnostics::{suggest, Diagnostic};
use crate::icons::html_escape;
use crate::output::OutputFile;
use crate::templates::Templates;

/// Shared, read-only data for rendering templates on many threads.
pub(super) struct TemplateInput<'a> {
    pub(super) config: &'a Config,
    pub(super) content: &'a Content,
    pub(super) pages: &'a [RenderedPage],
    pub(super) children: &'a [Vec<usize>],
    pub(super) nav: &'a Nav,
    pub(super) nav_pages: &'a [NavPage],
    /// `site` serialised once, not once per page.
    pub(super) site: Value,
}

impl<'a> TemplateInput<'a> {
    pub(super) fn new(
        config: &'a Config,
        content: &'a Content,
        pages: &'a [RenderedPage],
        children: &'a [Vec<usize>],
        nav: &'a Nav,
        nav_pages: &'a [NavPage],
    ) -> Self {
        let site = json!({
            "title": config.title,
            "description": config.description,
            "base_url": config.base_url,
            "language": config.language,
            "extra": config.extra,
            "search": config.search.enabled,
            "extra_css": config.mkdocs.as_ref().map(|m| m.extra_css.clone()).unwrap_or_default(),
            "extra_javascript": config.mkdocs.as_ref().map(|m| m.extra_javascript.clone()).unwrap_or_default(),
            "copyright": config.mkdocs.as_ref().and_then(|m| m.copyright.clone()),
            "repo_url": config.mkdocs.as_ref().and_then(|m| m.repo_url.clone()),
            "repo_name": config.mkdocs.as_ref().and_then(|m| m.repo_name.clone()),
        });
        TemplateInput {
            config,
            content,
            pages,
            children,
            nav,
            nav_pages,
            site,
        }
    }

    pub(super) fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.config.base_url, url.trim_start_matches('/'))
    }

    pub(super) fn page_value(&self, i: usize) -> Value {
        let page = &self.content.pages[i];
        let r = &self.pages[i];
        let kind = match page.kind {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Page => "page",
        };
        json!({
            "kind": kind,
            "title": r.title,
            "title_html": r.title_html,
            "icon_html": r.icon_html,
            "description": r.description,
            "summary": r.summary,
            "url": page.url,
            "permalink": self.permalink(&page.url),
            "content": r.markdown.html,
            "toc": r.markdown.toc,
            "show_toc": page.front.toc.unwrap_or(true) && !r.markdown.toc.is_empty(),
            "extra": page.front.extra.clone().unwrap_or_else(|| json!({})),
            "person": r.person,
            "source": page.source_path,
            "weight": page.front.weight,
        })
    }

    pub(super) fn summary_value(&self, i: usize) -> Value {
        let page = &self.content.pages[i];
        let r = &self.pages[i];
        json!({
            "title": r.title,
            "url": page.url,
            "icon_html": r.icon_html,
            "description": r.description,
            "summary": r.summary,
            "weight": page.front.weight,
        })
    }

    pub(super) fn template_for(
        &self,
        page: &Page,
        templates: &Templates,
    ) -> Result<String, Diagnostic> {
        if let Some(name) = &page.front.template {
            if templates.has(name) {
                return Ok(name.clone());
            }
            let near = suggest(name, templates.names());
            return Err(page
                .key_error("template", format!("template `{name}` not found"))
                .with_help(match near {
                    Some(n) => format!("did you mean `{n}`? Templates live in the theme's templates/ or the site's templates/"),
                    None => "add it to templates/ (site) or the theme's templates/".to_string(),
                }));
        }
        let name = match page.kind {
            PageKind::Home if templates.has("index.html") => "index.html",
            PageKind::Home | PageKind::Section => "section.html",
            PageKind::Page => "page.html",
        };
        if templates.has(name) {
            Ok(name.to_string())
        } else {
            Err(Diagnostic::error(
                &page.source_path,
                format!("the theme has no `{name}` template"),
            )
            .with_help(format!(
                "add templates/{name} or use a theme that provides it"
            )))
        }
    }

    /// The context every template gets.
    pub(super) fn base_context(
        &self,
        page: Value,
        section: Value,
        nav_for: Option<usize>,
    ) -> tera::Context {
        let mut ctx = tera::Context::new();
        let toc = page.get("toc").cloned().unwrap_or_else(|| json!([]));
        ctx.insert("site", &self.site);
        ctx.insert("page", &page);
        ctx.insert("section", &section);
        ctx.insert("toc", &toc);
        let nav = match nav_for {
            Some(i) => self.nav.view(i, self.nav_pages),
            None => self
                .nav
                .view(self.content.home, self.nav_pages)
                .into_iter()
                .map(|mut item| {
                    item.is_current = false;
                    item.is_active = false;
                    item.children.clear();
                    item
                })
                .collect(),
        };
        ctx.insert("nav", &nav);
        ctx.insert("contributors", &json!([]));
        ctx.insert("groups", &contributors::group_counts(&[]));
        ctx.insert("generator", concat!("dcrsite ", env!("CARGO_PKG_VERSION")));
        ctx
    }

    /// Renders page `i` and the files that come with it (avatar, alias redirects).
    pub(super) fn render_page(&self, templates: &Templates, i: usize) -> PageFiles {
        let page = &self.content.pages[i];
        let template = self.template_for(page, templates).map_err(|d| vec![d])?;
        let mut page_value = self.page_value(i);
        let section = if page.is_section() {
            let kids = &self.children[i];
            let (subsections, leaf): (Vec<usize>, Vec<usize>) = kids
                .iter()
                .partition(|&&k| self.content.pages[k].is_section());
            if let Value::Object(map) = &mut page_value {
                map.insert(
                    "pages".into(),
                    leaf.iter().map(|&k| self.summary_value(k)).collect(),
                );
                map.insert(
                    "subsections".into(),
                    subsections.iter().map(|&k| self.summary_value(k)).collect(),
                );
            }
            page_value.clone()
        } else {
            Value::Null
        };
        let mut ctx = self.base_context(page_value, section, Some(i));
        if page.is_section() {
            let mut people: Vec<Person> = self.children[i]
                .iter()
                .filter_map(|&k| self.pages[k].person.clone())
                .collect();
            people.sort_by(|a, b| {
                a.name
                    .to_lowercase()
                    .cmp(&b.name.to_lowercase())
                    .then_with(|| a.url.cmp(&b.url))
            });
            ctx.insert("groups", &contributors::group_counts(&people));
            ctx.insert("contributors", &people);
        }
        let html = templates.render(&template, &ctx).map_err(|d| vec![d])?;
        let r = &self.pages[i];
        let mut files = vec![(
            page.output.clone(),
            OutputFile {
                body: crate::output::Body::bytes(html.into_bytes()),
                source: page.source_path.clone(),
                links: r.markdown.links.clone(),
                template: templates.file_of(&template).map(String::from),
            },
        )];
        if let Some(svg) = &r.avatar {
            files.push((
                page.avatar_output(),
                OutputFile::generated(svg.clone().into_bytes(), page.source_path.clone()),
            ));
        }
        for alias in &page.front.aliases {
            let Some(path) = alias_output_path(alias) else {
                return Err(vec![page
                    .key_error(
                        "aliases",
                        format!("alias `{alias}` is not a usable URL path"),
                    )
                    .with_help("write aliases as site paths like `/old/page/`")]);
            };
            files.push((
                path,
                OutputFile::generated(
                    redirect_page(&page.url, &self.permalink(&page.url)).into_bytes(),
                    page.source_path.clone(),
                ),
            ));
        }
        Ok(files)
    }

    pub(super) fn render_not_found(
        &self,
        templates: &Templates,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        if !templates.has("404.html") {
            return Ok(None);
        }
        let page = json!({
            "kind": "404",
            "title": "Page not found",
            "title_html": "Page not found",
            "icon_html": "",
            "description": "",
            "summary": "",
            "url": "/404.html",
            "permalink": self.permalink("/404.html"),
            "content": "",
            "toc": [],
            "show_toc": false,
            "extra": {},
            "person": null,
            "source": "",
            "weight": null,
            "pages": [],
            "subsections": [],
        });
        let ctx = self.base_context(page.clone(), page, None);
        let html = templates.render("404.html", &ctx)?;
        let mut file = OutputFile::generated(html.into_bytes(), "generated: 404 page");
        file.template = templates.file_of("404.html").map(String::from);
        Ok(Some(file))
    }
}

/// `/old/page/` → `old/page/index.html`; `/old.html` → `old.html`.
fn alias_output_path(alias: &str) -> Option<String> {
    let path = alias.split(['#', '?']).next().unwrap_or("");
    let normal = content::urls::normalize(path.trim_start_matches('/'))?;
    if normal.is_empty() || crate::content::urls::has_scheme(alias) {
        return None;
    }
    if normal.ends_with(".html") && !path.ends_with('/') {
        Some(normal)
    } else {
        Some(format!("{normal}/index.html"))
    }
}

/// A small page that sends browsers and crawlers to the page's current URL.
fn redirect_page(url: &str, permalink: &str) -> String {
    let url = html_escape(url);
    let permalink = html_escape(permalink);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{url}\">{url}</a>.</p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn alias_paths() {
        assert_eq!(
            alias_output_path("/old/page/").as_deref(),
            Some("old/page/index.html")
        );
        assert_eq!(alias_output_path("old").as_deref(), Some("old/index.html"));
        assert_eq!(alias_output_path("/old.html").as_deref(), Some("old.html"));
        assert_eq!(alias_output_path("/"), None);
        assert_eq!(alias_output_path("/../x"), None);
    }
}
