//! What every template gets, as one serialisable type (after Zola's `SerializingPage`).
//! Pages, sections, the home page and the 404 page are all made by the constructors
//! here, so none of them can lack a variable the others have. `themes/decred/README.md`
//! ("Template context") documents every field; keep the two together.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::markdown_pass::RenderedPage;
use super::theme_context::SerializingTheme;
use crate::config::Config;
use crate::content::nav::{Crumb, NavItem};
use crate::content::{Page, PageKind};
use crate::contributors::{self, GroupCount, Person};
use crate::markdown::TocEntry;

use super::languages::{self, LanguageLink};

const GENERATOR: &str = concat!("dcrsite ", env!("CARGO_PKG_VERSION"));

/// The variables of one template render: those every page of a site shares, and the
/// page's own.
#[derive(Serialize)]
pub(super) struct TemplateContext<'a> {
    #[serde(flatten)]
    shared: SharedVariables<'a>,
    #[serde(flatten)]
    own: PageVariables<'a>,
}

/// The variables that are the same on every page rendered with one `site`.
#[derive(Serialize)]
pub(super) struct SharedVariables<'a> {
    site: &'a SerializingSite<'a>,
    /// The theme's strings in the page's language, by key (`t.on_this_page`).
    t: &'a BTreeMap<String, String>,
    generator: &'static str,
}

/// The variables of one page.
#[derive(Serialize)]
pub(super) struct PageVariables<'a> {
    page: &'a SerializingPage<'a>,
    /// The page itself when it has children (section, home, 404); null for a page.
    section: Option<&'a SerializingPage<'a>>,
    toc: &'a [TocEntry],
    nav: Vec<NavItem>,
    /// The entries above the page, outermost first (empty on the home page).
    breadcrumbs: Vec<Crumb>,
    /// The pages before and after this one in navigation order.
    previous: Option<Crumb>,
    next: Option<Crumb>,
    contributors: Vec<Person>,
    groups: Vec<GroupCount>,
    /// The page in each language of a multilingual site (empty otherwise).
    languages: Vec<LanguageLink>,
}

impl<'a> TemplateContext<'a> {
    /// `contributors` are the people shown on the page (empty but on a section of them).
    pub(super) fn new(
        site: &'a SerializingSite<'a>,
        page: &'a SerializingPage<'a>,
        nav: Vec<NavItem>,
        contributors: Vec<Person>,
    ) -> Self {
        TemplateContext {
            shared: SharedVariables {
                site,
                t: site.strings,
                generator: GENERATOR,
            },
            own: PageVariables {
                page,
                section: page.children.is_some().then_some(page),
                toc: page.toc,
                nav,
                breadcrumbs: Vec::new(),
                previous: None,
                next: None,
                groups: contributors::group_counts(&contributors),
                contributors,
                languages: Vec::new(),
            },
        }
    }

    /// Adds the page's links to its other languages.
    pub(super) fn with_languages(mut self, languages: Vec<LanguageLink>) -> Self {
        self.own.languages = languages;
        self
    }

    /// Adds where the page sits in the navigation: its trail and its neighbours.
    pub(super) fn with_place(
        mut self,
        breadcrumbs: Vec<Crumb>,
        previous: Option<Crumb>,
        next: Option<Crumb>,
    ) -> Self {
        self.own.breadcrumbs = breadcrumbs;
        self.own.previous = previous;
        self.own.next = next;
        self
    }

    /// The variables every page rendered with this `site` has the same.
    pub(super) fn shared(&self) -> &SharedVariables<'a> {
        &self.shared
    }

    /// The page's own variables: with [`Self::shared`], every variable.
    pub(super) fn own(&self) -> &PageVariables<'a> {
        &self.own
    }
}

impl SharedVariables<'_> {
    /// Whether these are the variables of `site`.
    pub(super) fn are_of(&self, site: &SerializingSite<'_>) -> bool {
        std::ptr::addr_eq(self.site, site)
    }
}

/// `site`: the configuration as templates see it, the same on every page.
#[derive(Serialize)]
pub(super) struct SerializingSite<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    /// The language of the pages being rendered (`<html lang>`).
    language: &'a str,
    /// The home page of that language (`/`, or `/es/`).
    home_url: String,
    /// The search index of that language.
    search_index_url: String,
    extra: &'a Value,
    search: bool,
    extra_css: &'a [String],
    extra_javascript: &'a [String],
    copyright: Option<&'a str>,
    repo_url: Option<&'a str>,
    repo_name: Option<&'a str>,
    /// The light/dark switch's labels: `to_dark` while light shows, `to_light` while dark.
    scheme_toggle: SchemeToggle<'a>,
    /// Full URL of the site's logo (the preview image of pages that name none).
    logo_url: Option<String>,
    /// Logo, favicon, colour schemes, fonts, features, social links, announcement.
    theme: SerializingTheme<'a>,
    /// The strings the theme's scripts show (keys `js_…`), as JSON.
    js_strings: String,
    #[serde(skip)]
    strings: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct SchemeToggle<'a> {
    to_dark: &'a str,
    to_light: &'a str,
}

impl<'a> SerializingSite<'a> {
    pub(super) fn new(config: &'a Config) -> Self {
        let mkdocs = config.mkdocs.as_ref();
        SerializingSite {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
            home_url: languages::home_url(config),
            search_index_url: format!("/{}", languages::search_index_path(config)),
            extra: &config.extra,
            search: config.search.enabled,
            extra_css: mkdocs.map_or(&[], |m| &m.extra_css),
            extra_javascript: mkdocs.map_or(&[], |m| &m.extra_javascript),
            copyright: mkdocs.and_then(|m| m.copyright.as_deref()),
            repo_url: mkdocs.and_then(|m| m.repo_url.as_deref()),
            repo_name: mkdocs.and_then(|m| m.repo_name.as_deref()),
            scheme_toggle: SchemeToggle {
                to_dark: &config.theme_settings.toggle_to_dark,
                to_light: &config.theme_settings.toggle_to_light,
            },
            logo_url: config
                .theme_settings
                .logo
                .as_deref()
                .map(|logo| absolute_url(&config.base_url, logo)),
            theme: SerializingTheme::new(&config.theme_settings, mkdocs.is_some()),
            js_strings: js_strings(&config.strings),
            strings: &config.strings,
        }
    }
}

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Page,
    Section,
    Home,
    #[serde(rename = "404")]
    NotFound,
}

/// `page` (and `section`, which adds the children).
#[derive(Serialize)]
pub(super) struct SerializingPage<'a> {
    kind: Kind,
    title: &'a str,
    title_html: &'a str,
    /// The title heading's id (MkDocs pages, as `toc` gives it); none elsewhere.
    title_id: Option<&'a str>,
    icon_html: &'a str,
    description: &'a str,
    summary: &'a str,
    url: &'a str,
    permalink: String,
    content: &'a str,
    toc: &'a [TocEntry],
    show_toc: bool,
    extra: Cow<'a, Value>,
    person: Option<&'a Person>,
    source: &'a str,
    /// Shown in the default language's words: the page has no translation.
    fallback: bool,
    weight: Option<i64>,
    /// The day the page's file was last committed (`YYYY-MM-DD`), when in git.
    last_updated: Option<String>,
    /// Where to edit the page's source, when the site says where it is kept.
    edit_url: Option<String>,
    /// Where to read the page's source: the edit URL with `/edit/` as `/blob/`.
    view_url: Option<String>,
    /// Full URL of the page's preview image: its `image`, or the site's logo.
    image_url: Option<String>,
    #[serde(flatten)]
    children: Option<Children<'a>>,
}

/// A section's pages and subsections, each already sorted.
#[derive(Serialize, Default)]
pub(super) struct Children<'a> {
    pub(super) pages: Vec<PageSummary<'a>>,
    pub(super) subsections: Vec<PageSummary<'a>>,
}

/// A child page as its section's cards show it.
#[derive(Serialize)]
pub(super) struct PageSummary<'a> {
    title: &'a str,
    url: &'a str,
    icon_html: &'a str,
    description: &'a str,
    summary: &'a str,
    weight: Option<i64>,
}

impl<'a> PageSummary<'a> {
    pub(super) fn new(page: &'a Page, rendered: &'a RenderedPage) -> Self {
        PageSummary {
            title: &rendered.title,
            url: &page.url,
            icon_html: &rendered.icon_html,
            description: &rendered.description,
            summary: &rendered.summary,
            weight: page.front.weight,
        }
    }
}

impl<'a> SerializingPage<'a> {
    /// A content page; a section or the home page gets its `children` as well.
    pub(super) fn new(
        page: &'a Page,
        rendered: &'a RenderedPage,
        permalink: String,
        children: Option<Children<'a>>,
    ) -> Self {
        let toc = &rendered.markdown.toc;
        SerializingPage {
            kind: match page.kind {
                PageKind::Home => Kind::Home,
                PageKind::Section => Kind::Section,
                PageKind::Page => Kind::Page,
            },
            title: &rendered.title,
            title_html: &rendered.title_html,
            title_id: rendered
                .markdown
                .title
                .as_ref()
                .and_then(|t| t.id.as_deref()),
            icon_html: &rendered.icon_html,
            description: &rendered.description,
            summary: &rendered.summary,
            url: &page.url,
            permalink,
            content: &rendered.markdown.html,
            toc,
            show_toc: page.front.toc.unwrap_or(true) && !toc.is_empty(),
            extra: match &page.front.extra {
                Some(extra) => Cow::Borrowed(extra),
                None => Cow::Owned(empty_map()),
            },
            person: rendered.person.as_ref(),
            source: &page.source_path,
            fallback: page.fallback,
            weight: page.front.weight,
            last_updated: None,
            edit_url: None,
            view_url: None,
            image_url: None,
            children,
        }
    }

    /// Adds what comes from outside the page's text: its git date, its edit link and its
    /// preview image (already full URLs).
    pub(super) fn with_sources(
        mut self,
        last_updated: Option<String>,
        edit_url: Option<String>,
        image_url: Option<String>,
    ) -> Self {
        self.last_updated = last_updated;
        self.view_url = edit_url.as_deref().map(view_url);
        self.edit_url = edit_url;
        self.image_url = image_url;
        self
    }

    /// The 404 page: no content of its own, and no children, but shaped like a section
    /// so a theme can share its layout with sections.
    /// `title` is the theme's `not_found_title` in the page's language (and escaped).
    pub(super) fn not_found(
        url: &'a str,
        permalink: String,
        title: &'a str,
        title_html: &'a str,
    ) -> Self {
        SerializingPage {
            kind: Kind::NotFound,
            title,
            title_html,
            title_id: None,
            icon_html: "",
            description: "",
            summary: "",
            url,
            permalink,
            content: "",
            toc: &[],
            show_toc: false,
            extra: Cow::Owned(empty_map()),
            person: None,
            source: "",
            fallback: false,
            weight: None,
            last_updated: None,
            edit_url: None,
            view_url: None,
            image_url: None,
            children: Some(Children::default()),
        }
    }
}

/// The page a forge shows a file on, from the page that edits it (GitHub and GitLab
/// write `/edit/` where they show with `/blob/`).
fn view_url(edit_url: &str) -> String {
    edit_url.replacen("/edit/", "/blob/", 1)
}

/// `path` as a full URL: kept when it is one, otherwise taken from the site's root.
pub(super) fn absolute_url(base_url: &str, path: &str) -> String {
    if path.contains("://") || path.starts_with("//") {
        return path.to_string();
    }
    format!("{base_url}{}", path.trim_start_matches('/'))
}

/// The strings the theme's scripts read, without their `js_` prefix.
fn js_strings(strings: &BTreeMap<String, String>) -> String {
    let js: BTreeMap<&str, &str> = strings
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("js_")?, v.as_str())))
        .collect();
    serde_json::to_string(&js).unwrap_or_default()
}

fn empty_map() -> Value {
    Value::Object(serde_json::Map::new())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::content::front_matter::FrontMatter;
    use crate::markdown::RenderedMarkdown;

    fn page(kind: PageKind) -> Page {
        Page {
            source_path: "content/a.md".into(),
            content_path: "a.md".into(),
            kind,
            front: FrontMatter::default(),
            yaml: String::new(),
            yaml_line_offset: 0,
            body: Default::default(),
            body_line_offset: 0,
            dir: "a".into(),
            url: "/a/".into(),
            output: "a/index.html".into(),
            parent: None,
            children: Vec::new(),
            fallback: false,
        }
    }

    fn rendered() -> RenderedPage {
        RenderedPage {
            markdown: RenderedMarkdown::default(),
            title: "A".into(),
            title_html: "A".into(),
            icon_html: String::new(),
            description: String::new(),
            summary: String::new(),
            person: None,
            avatar: None,
        }
    }

    fn keys(value: &Value) -> BTreeSet<String> {
        value.as_object().unwrap().keys().cloned().collect()
    }

    /// The context of `page` on a site with the default configuration, as JSON.
    fn context_of(page: &SerializingPage) -> Value {
        let config = Config::default();
        let site = SerializingSite::new(&config);
        let context = TemplateContext::new(&site, page, vec![], vec![]);
        tera::Context::from_serialize(&context).unwrap().into_json()
    }

    #[test]
    fn the_404_page_has_every_variable_a_section_has() {
        let (section, content) = (page(PageKind::Section), rendered());
        let section =
            SerializingPage::new(&section, &content, "p".into(), Some(Children::default()));
        let not_found =
            SerializingPage::not_found("/404.html", "p".into(), "Page not found", "Page not found");
        let (section, not_found) = (context_of(&section), context_of(&not_found));
        assert_eq!(keys(&section), keys(&not_found));
        assert_eq!(keys(&section["page"]), keys(&not_found["page"]));
        assert_eq!(keys(&section["site"]), keys(&not_found["site"]));
        for context in [&section, &not_found] {
            assert_eq!(context["section"], context["page"]);
        }
        assert_eq!(not_found["page"]["kind"], "404");
    }

    #[test]
    fn a_page_is_a_section_without_children_and_has_no_section() {
        let (plain, section, content) = (page(PageKind::Page), page(PageKind::Section), rendered());
        let plain = context_of(&SerializingPage::new(&plain, &content, "p".into(), None));
        let section = context_of(&SerializingPage::new(
            &section,
            &content,
            "p".into(),
            Some(Children::default()),
        ));
        let mut expected = keys(&plain["page"]);
        expected.extend(["pages".to_string(), "subsections".to_string()]);
        assert_eq!(keys(&section["page"]), expected);
        assert_eq!(plain["section"], Value::Null);
        assert_eq!(plain["page"]["kind"], "page");
    }

    /// themes/decred/README.md documents the context: every variable, every `site`
    /// field and every `page` field is named there.
    #[test]
    fn the_theme_readme_names_every_variable() {
        let readme = include_str!("../../themes/decred/README.md");
        let documented = |name: &str| readme.contains(&format!("| `{name}` |"));
        let (section, content) = (page(PageKind::Section), rendered());
        let section =
            SerializingPage::new(&section, &content, "p".into(), Some(Children::default()));
        let context = context_of(&section);
        let page_fields = keys(&context["page"]);
        let missing: Vec<String> = keys(&context)
            .into_iter()
            .chain(
                page_fields
                    .into_iter()
                    .filter(|k| k != "pages" && k != "subsections"),
            )
            .filter(|k| !documented(k))
            .chain(
                keys(&context["site"])
                    .into_iter()
                    .filter(|k| !readme.contains(&format!("`{k}`"))),
            )
            .collect();
        assert!(missing.is_empty(), "not in the theme's README: {missing:?}");
    }
}
