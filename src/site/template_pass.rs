//! Stage: pages rendered with their templates, alias redirects and the 404 page.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use super::git_dates::GitDates;
use super::markdown_pass::RenderedPage;
use super::template_context::{
    absolute_url, Children, PageSummary, SerializingPage, SerializingSite, TemplateContext,
};
use super::PageFiles;
use crate::config::Config;
use crate::content::nav::{Crumb, Entry, Nav, NavItem, NavPage, ViewFold};
use crate::content::{self, Content, Page, PageKind};
use crate::contributors::Person;
use crate::diagnostics::{suggest, Diagnostic};
use crate::icons::html_escape;
use crate::output::OutputFile;
use crate::site::{CacheKey as Key, KeyHasher};
use crate::templates::Templates;

/// Shared, read-only data for rendering templates on many threads.
pub(super) struct TemplateInput<'a> {
    pub(super) config: &'a Config,
    pub(super) content: &'a Content,
    pub(super) pages: &'a [RenderedPage],
    pub(super) children: &'a [Vec<usize>],
    pub(super) nav: &'a Nav,
    pub(super) nav_pages: &'a [NavPage],
    pub(super) git_dates: &'a GitDates,
    pub(super) site: SerializingSite<'a>,
    /// Made on the first context key asked for (see [`NavDigest`]).
    nav_digest: OnceLock<NavDigest>,
    /// Tells this input's contexts kept by the threads from another input's.
    id: u64,
}

/// The ids of [`TemplateInput`]s, each new one's its own.
static NEXT_INPUT_ID: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The Tera context this thread last rendered a page with, and the id of the
    /// [`TemplateInput`] it was made for. Its shared variables (`site`, `t`,
    /// `generator`) are the same for every page of that input, so a thread serialises
    /// them once, not once per page (an MkDocs site's theme settings and `extra` are
    /// large); each render replaces the page's own variables, which every page has the
    /// same set of.
    static KEPT_CONTEXT: Cell<Option<(u64, tera::Context)>> = const { Cell::new(None) };
}

impl<'a> TemplateInput<'a> {
    pub(super) fn new(
        config: &'a Config,
        content: &'a Content,
        pages: &'a [RenderedPage],
        children: &'a [Vec<usize>],
        nav: &'a Nav,
        nav_pages: &'a [NavPage],
        git_dates: &'a GitDates,
    ) -> Self {
        TemplateInput {
            config,
            content,
            pages,
            children,
            nav,
            nav_pages,
            git_dates,
            site: SerializingSite::new(config),
            nav_digest: OnceLock::new(),
            id: NEXT_INPUT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    pub(super) fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.config.base_url, url.trim_start_matches('/'))
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

    /// Page `i` as templates see it, with its children when it is a section.
    fn serializing_page(&self, i: usize) -> SerializingPage<'_> {
        let page = &self.content.pages[i];
        let children = self.children_of(i);
        let settings = &self.config.theme_settings;
        let base_url = &self.config.base_url;
        let image = page
            .front
            .image
            .as_deref()
            .map(|p| absolute_url(base_url, p));
        SerializingPage::new(page, &self.pages[i], self.permalink(&page.url), children)
            .with_sources(
                self.git_dates.date_of(&page.source_path),
                settings
                    .edit_base
                    .as_ref()
                    .map(|base| format!("{base}{}", page.content_path)),
                image.or_else(|| self.site_logo_url()),
            )
    }

    /// A section's children as its cards show them; none for a page.
    fn children_of(&self, i: usize) -> Option<Children<'_>> {
        self.content.pages[i].is_section().then(|| {
            let summary = |&k: &usize| PageSummary::new(&self.content.pages[k], &self.pages[k]);
            let (subsections, leaves): (Vec<usize>, Vec<usize>) = self.children[i]
                .iter()
                .partition(|&&k| self.content.pages[k].is_section());
            Children {
                pages: leaves.iter().map(summary).collect(),
                subsections: subsections.iter().map(summary).collect(),
            }
        })
    }

    fn site_logo_url(&self) -> Option<String> {
        let logo = self.config.theme_settings.logo.as_deref()?;
        Some(absolute_url(&self.config.base_url, logo))
    }

    /// Page `i`'s place in the navigation: the entries above it, and its neighbours.
    fn place(&self, i: usize) -> (Vec<Crumb>, Option<Crumb>, Option<Crumb>) {
        let crumb = |k: usize| Crumb {
            title: self.pages[k].title.clone(),
            url: self.content.pages[k].url.clone(),
        };
        let (previous, next) = self.nav.neighbours(i);
        let trail = if i == self.content.home {
            Vec::new()
        } else {
            self.nav.trail(i, self.nav_pages)
        };
        (trail, previous.map(crumb), next.map(crumb))
    }

    /// The people among a section's children, by name; nobody on other pages.
    fn contributors_of(&self, i: usize) -> Vec<Person> {
        if !self.content.pages[i].is_section() {
            return Vec::new();
        }
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
        people
    }

    /// The navigation as the home page sees it, with nothing current or expanded: for a
    /// page that is not part of the site's tree.
    fn nav_outside_the_tree(&self) -> Vec<NavItem> {
        self.nav
            .view(self.content.home, self.nav_pages)
            .into_iter()
            .map(|mut item| {
                item.is_current = false;
                item.is_active = false;
                item.children.clear();
                item
            })
            .collect()
    }

    /// Renders template `name` with `context`, whose shared variables must be
    /// [`Self::site`]'s (they are taken from the context this thread kept for this input,
    /// serialised once; see [`KEPT_CONTEXT`]).
    fn render(
        &self,
        templates: &Templates,
        name: &str,
        context: &TemplateContext,
    ) -> Result<String, Diagnostic> {
        if !context.shared().are_of(&self.site) {
            let value = tera_value(templates, name, context)?;
            return render_value(templates, name, value);
        }
        let own = tera_context(templates, name, context.own())?;
        let mut kept = match KEPT_CONTEXT.take() {
            Some((id, kept)) if id == self.id => kept,
            _ => tera_context(templates, name, context.shared())?,
        };
        // Every page has the same variables: each of the last page's is replaced.
        kept.extend(own);
        let html = templates.render(name, &kept);
        KEPT_CONTEXT.set(Some((self.id, kept)));
        html
    }

    /// Calls `f` with page `i`'s template and the context it renders with.
    fn with_context<R>(
        &self,
        templates: &Templates,
        i: usize,
        f: impl FnOnce(&str, &TemplateContext) -> Result<R, Diagnostic>,
    ) -> Result<R, Diagnostic> {
        let page = &self.content.pages[i];
        let template = self.template_for(page, templates)?;
        let serializing = self.serializing_page(i);
        let nav = self.nav.view(i, self.nav_pages);
        let (trail, previous, next) = self.place(i);
        let languages = super::languages::links(self.config, self.content, page);
        let context = TemplateContext::new(&self.site, &serializing, nav, self.contributors_of(i))
            .with_place(trail, previous, next)
            .with_languages(languages);
        f(&template, &context)
    }

    fn nav_digest(&self) -> &NavDigest {
        self.nav_digest.get_or_init(|| NavDigest::of(self.nav))
    }

    /// The digest of what page `i`'s files are made from besides its own file, Markdown
    /// result and git date (which the build cache tells by the page's `shown` key) and
    /// the templates and site settings (which change the key of every page): its
    /// template's name, and what its context takes from other pages and the navigation
    /// (the entries its navigation shows, its trail and neighbours, a section's cards and
    /// people, its other languages). Made without building the context, so a navigation
    /// change can tell the pages to render again without building every page's context.
    /// A redirect's is its target's. `None` when it cannot be told (the page is then
    /// always rendered again).
    pub(super) fn context_key(&self, templates: &Templates, i: usize) -> Option<Key> {
        let page = &self.content.pages[i];
        if let Some(location) = &page.front.redirect {
            return Some(redirect_key(location));
        }
        let template = self.template_for(page, templates).ok()?;
        let mut h = KeyHasher::new("context");
        h.text(&template);
        for item in self.nav.view_with(i, self.nav_pages, self.nav_digest()) {
            h.bytes(&item);
        }
        let people = self.contributors_of(i);
        let languages = super::languages::links(self.config, self.content, page);
        let shown = (self.place(i), self.children_of(i), people, languages);
        h.checked(&shown)?;
        Some(h.finish())
    }

    /// Renders page `i` and the files that come with it (avatar, alias redirects), with
    /// the digest of what they were made from ([`Self::context_key`]).
    pub(super) fn render_page(&self, templates: &Templates, i: usize) -> (PageFiles, Option<Key>) {
        let page = &self.content.pages[i];
        if let Some(location) = &page.front.redirect {
            let html = redirect_page(location, location).into_bytes();
            let file = OutputFile::generated(html, page.source_path.clone());
            return (
                Ok(vec![(page.output.clone(), file)]),
                Some(redirect_key(location)),
            );
        }
        let rendered = self.with_context(templates, i, |template, context| {
            let html = self.render(templates, template, context)?;
            Ok((html, templates.file_of(template).map(String::from)))
        });
        match rendered {
            Ok((html, file)) => (
                self.page_files(i, html, file),
                self.context_key(templates, i),
            ),
            Err(d) => (Err(vec![d]), None),
        }
    }

    /// The digest of page `i`'s whole template context as Tera is given it, and of what
    /// else its files are made from: what [`Self::context_key`] and the page's `shown`
    /// key together must tell apart (tests prove it on random changes).
    #[cfg(test)]
    pub(super) fn full_context_digest(&self, templates: &Templates, i: usize) -> Option<Key> {
        let page = &self.content.pages[i];
        if let Some(location) = &page.front.redirect {
            return Some(redirect_key(location));
        }
        let key = self.with_context(templates, i, |template, context| {
            let value = tera_value(templates, template, context)?;
            Ok(digest_of(template, &value, page, &self.pages[i]))
        });
        key.ok().flatten()
    }

    /// A rendered page's file (from template file `template`), its avatar and its alias
    /// redirects.
    fn page_files(&self, i: usize, html: String, template: Option<String>) -> PageFiles {
        let page = &self.content.pages[i];
        let r = &self.pages[i];
        let mut files = vec![(
            page.output.clone(),
            OutputFile {
                body: crate::output::Body::bytes(html.into_bytes()),
                source: page.source_path.clone(),
                links: r.markdown.links.clone(),
                template,
            },
        )];
        if let Some(svg) = &r.avatar {
            files.push((
                page.avatar_output(),
                OutputFile::generated(svg.clone().into_bytes(), page.source_path.clone()),
            ));
        }
        files.extend(self.alias_files(page)?);
        Ok(files)
    }

    /// A redirect page at each of the page's aliases.
    fn alias_files(&self, page: &Page) -> PageFiles {
        let mut files = Vec::new();
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
        path: &str,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        const NAME: &str = "404.html";
        if !templates.has(NAME) {
            return Ok(None);
        }
        // Under the language's folder for a language other than the default one.
        let url = format!("/{path}");
        let title = self.config.strings.get("not_found_title");
        let title = title.map_or("Page not found", String::as_str);
        let title_html = html_escape(title);
        let page = SerializingPage::not_found(&url, self.permalink(&url), title, &title_html);
        let context = TemplateContext::new(&self.site, &page, self.nav_outside_the_tree(), vec![]);
        let html = self.render(templates, NAME, &context)?;
        let mut file = OutputFile::generated(html.into_bytes(), "generated: 404 page");
        file.template = templates.file_of(NAME).map(String::from);
        Ok(Some(file))
    }
}

/// What a redirect page is made from: its target alone.
fn redirect_key(location: &str) -> Key {
    KeyHasher::new("redirect").text(location).finish()
}

/// The context as Tera takes it (what `tera::Context::from_serialize` makes).
fn tera_value(
    templates: &Templates,
    name: &str,
    variables: &impl serde::Serialize,
) -> Result<serde_json::Value, Diagnostic> {
    serde_json::to_value(variables).map_err(|e| cannot_pass(templates, name, e))
}

/// `variables` as a Tera context of their own.
fn tera_context(
    templates: &Templates,
    name: &str,
    variables: &impl serde::Serialize,
) -> Result<tera::Context, Diagnostic> {
    let value = tera_value(templates, name, variables)?;
    tera::Context::from_value(value).map_err(|e| cannot_pass(templates, name, e))
}

fn render_value(
    templates: &Templates,
    name: &str,
    value: serde_json::Value,
) -> Result<String, Diagnostic> {
    let context = tera::Context::from_value(value).map_err(|e| cannot_pass(templates, name, e))?;
    templates.render(name, &context)
}

fn cannot_pass(templates: &Templates, name: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        templates.file_of(name).unwrap_or(name),
        format!("cannot pass the page to the template: {e}"),
    )
}

/// The digest of a page's template context (as Tera is given it) and what else its
/// files are made from (its aliases, avatar, and links with their places in the
/// Markdown, which the context does not show); `None` when one cannot be serialized.
#[cfg(test)]
fn digest_of(
    template: &str,
    context: &serde_json::Value,
    page: &Page,
    rendered: &RenderedPage,
) -> Option<Key> {
    let mut h = KeyHasher::new("context");
    h.text(template);
    let besides = (
        &page.front.aliases,
        &page.source_path,
        &rendered.avatar,
        &rendered.markdown.links,
    );
    h.checked(&besides)?.checked(context)?;
    Some(h.finish())
}

/// A page's navigation as a digest per entry, each made of what the entry shows and its
/// children's digests: what the page shows of the navigation and nothing else.
///
/// The digests of closed entries (off the page's path) are made once per node, when
/// first needed: they are most of every page's navigation, and hashing their text again
/// for each page was most of what a title change cost at 10,000 pages (every page's
/// context key is taken then). On first need, not all at once: a build or a `serve`
/// patch that renders one page takes the digests of its own navigation's entries only.
struct NavDigest {
    closed: Vec<OnceLock<Key>>,
}

impl NavDigest {
    fn of(nav: &Nav) -> NavDigest {
        let closed = (0..nav.node_count()).map(|_| OnceLock::new()).collect();
        NavDigest { closed }
    }
}

impl ViewFold for NavDigest {
    type Item = Key;

    fn item(&self, entry: Entry<'_>, children: Vec<Key>) -> Key {
        entry_digest(entry, &children)
    }

    fn closed(&self, node: usize, entry: Entry<'_>) -> Key {
        match self.closed.get(node) {
            Some(kept) => *kept.get_or_init(|| entry_digest(entry, &[])),
            None => entry_digest(entry, &[]),
        }
    }
}

fn entry_digest(entry: Entry<'_>, children: &[Key]) -> Key {
    let mut h = KeyHasher::new("nav entry");
    h.text(entry.title).text(entry.url).text(entry.icon_html);
    let flags = (entry.is_current, entry.is_active, entry.is_external);
    h.debug(&(flags, entry.more, children.len()));
    for child in children {
        h.bytes(child);
    }
    h.finish()
}

/// `/old/page/` → `old/page/index.html`; `/old.html` → `old.html`.
pub(super) fn alias_output_path(alias: &str) -> Option<String> {
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
pub(super) fn redirect_page(url: &str, permalink: &str) -> String {
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
