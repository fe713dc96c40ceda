//! The pipeline: load the site, render it in parallel, and produce the in-memory Output
//! that `build`, `serve` and `check` share.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::assets::Assets;
use crate::config::{Config, NavEntry};
use crate::content::nav::{Nav, NavPage, NavSpec};
use crate::content::{self, Content, Page, PageKind};
use crate::contributors::{self, Person};
use crate::diagnostics::{self, suggest, Diagnostic};
use crate::icons::{html_escape, IconSet};
use crate::markdown::{self, Highlighter, RenderOptions, RenderedMarkdown};
use crate::output::{Output, OutputFile};
use crate::templates::Templates;

mod state;
pub use state::{SiteState, Update};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// A successful render: the Output and the warnings found on the way.
#[derive(Debug)]
pub struct Rendered {
    pub output: Output,
    /// The configuration the site was rendered with (`--base-url` applied).
    pub config: Config,
    pub warnings: Vec<Diagnostic>,
    pub page_count: usize,
}

/// The syntax set and themes are loaded once per process and shared by every build.
pub fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

/// Loads and renders the site. On failure, returns every diagnostic found (errors and
/// warnings, sorted by place).
pub fn render_site(options: &BuildOptions) -> Result<Rendered, Vec<Diagnostic>> {
    // The same staged state `serve` keeps and updates incrementally, so a full build and
    // an incremental rebuild cannot drift apart.
    SiteState::load(options)?.into_rendered()
}

/// Stage: `site.yaml`, with `--base-url` applied. Fatal when it fails.
fn load_config(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let root = options.root.as_path();
    if !root.is_dir() {
        return Err(vec![Diagnostic::error(
            root.display().to_string(),
            "site root does not exist or is not a folder",
        )
        .with_help("pass --root with the folder that holds site.yaml")]);
    }
    let mut config = Config::load(root).map_err(|d| vec![d])?;
    if let Some(project) = &mut config.mkdocs {
        // Snippets are read relative to the project root.
        project.dialect.root = root.to_path_buf();
    }
    if let Some(url) = &options.base_url {
        let text = format!(
            "base_url: {}\n",
            serde_json::to_string(url).unwrap_or_default()
        );
        let parsed = Config::parse(&text).map_err(|mut d| {
            d.path = "--base-url".to_string();
            d.line = None;
            vec![d]
        })?;
        config.base_url = parsed.base_url;
    }
    Ok(config)
}

/// Stage: the icon set named by `icons.dir`. Fatal when it fails.
fn load_icons(root: &Path, config: &Config) -> Result<IconSet, Vec<Diagnostic>> {
    let icons_dir = root.join("assets").join(&config.icons.dir);
    IconSet::load(
        &icons_dir,
        &format!("/{}", config.icons.dir.trim_matches('/')),
        &config.icons.class,
        config.icons.inline,
    )
    .map_err(|e| {
        vec![Diagnostic::error(
            format!("assets/{}", config.icons.dir),
            format!("cannot read the icon folder: {e}"),
        )]
    })
}

/// Stage: the theme's static files, the site's assets and the generated syntax stylesheet.
fn load_assets(root: &Path, config: &Config) -> (Assets, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let theme_static = root.join("themes").join(&config.theme).join("static");
    let site_assets = root.join("assets");
    let mut assets = Assets::collect(root, &[&theme_static, &site_assets]).unwrap_or_else(|p| {
        problems.extend(p);
        Assets::default()
    });
    if crate::theme::use_built_in(root, &config.theme) {
        // The site's own assets override the theme's, as they would a theme folder's.
        for (name, bytes) in crate::theme::files("static") {
            if assets.manifest.output_path(name).is_none() {
                assets.add_bytes(
                    name,
                    bytes.to_vec(),
                    format!("themes/{}/static/{name} (built in)", config.theme),
                );
            }
        }
    }
    match highlighter().css(
        &config.markdown.highlight_theme,
        &config.markdown.highlight_theme_dark,
    ) {
        Ok(css) => assets.add_bytes(
            "css/syntax.css",
            css.into_bytes(),
            "generated: syntax highlighting".into(),
        ),
        Err(msg) => problems.push(
            Diagnostic::error(&config.source_file, msg)
                .at_line(None)
                .with_help("set markdown.highlight_theme / highlight_theme_dark to a known theme"),
        ),
    }
    (assets, problems)
}

/// Stage: the theme's and the site's templates (they see the asset manifest).
fn load_templates(
    root: &Path,
    config: &Config,
    assets: &Assets,
) -> (Option<Templates>, Vec<Diagnostic>) {
    match Templates::load(root, &config.theme, &assets.manifest) {
        Ok(t) => (Some(t), Vec::new()),
        Err(mut problems) => {
            // Problems reported against site.yaml are about its `theme:` line.
            for d in &mut problems {
                if d.path == crate::config::CONFIG_FILE && d.line.is_none() {
                    (d.line, d.column) = config.value_position("theme").unzip();
                }
            }
            (None, problems)
        }
    }
}

/// Stage: each section's sorted children, what navigation knows of each page, and the
/// navigation tree.
fn build_nav(
    config: &Config,
    content: &Content,
    icons: &IconSet,
    pages: &[RenderedPage],
) -> (Vec<Vec<usize>>, Vec<NavPage>, Nav, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let children = sorted_children(content, pages);
    let nav_pages: Vec<NavPage> = content
        .pages
        .iter()
        .zip(pages)
        .map(|(page, r)| NavPage {
            title: r.title.clone(),
            url: page.url.clone(),
            icon_html: r.icon_html.clone(),
            parent: page.parent,
        })
        .collect();
    let nav = match &config.nav {
        Some(entries) => {
            let (specs, nav_problems) = nav_specs_from_config(entries, config, content, icons);
            problems.extend(nav_problems);
            if config.mkdocs.is_some() {
                problems.extend(pages_missing_from_nav(&specs, config, content));
            }
            Nav::build(&specs, &nav_pages)
        }
        None => Nav::build(
            &auto_nav_specs(content.home, content, &children),
            &nav_pages,
        ),
    };
    (children, nav_pages, nav, problems)
}

/// Stage: root-relative URLs in a rendered HTML file get the base path (`/docs/`).
fn add_base_path(path: &str, file: &mut OutputFile, base_path: &str) -> Option<Diagnostic> {
    if base_path == "/" || !path.ends_with(".html") {
        return None;
    }
    let crate::output::Body::Bytes(b) = &file.body else {
        return None;
    };
    match crate::output::prefix::add_prefix(b, base_path) {
        Ok(bytes) => {
            file.body = crate::output::Body::bytes(bytes);
            None
        }
        Err(e) => Some(Diagnostic::error(
            path,
            format!("cannot rewrite URLs for the base path: {e}"),
        )),
    }
}

/// Stage: the files of content/ that are not Markdown, copied as they are.
fn static_file_output(file: &content::SourceFile, content_dir: &str) -> OutputFile {
    OutputFile {
        body: crate::output::Body::Copy(file.abs_path.clone()),
        source: format!("{content_dir}/{}", file.content_path),
        links: Vec::new(),
        template: None,
    }
}

fn insert(output: &mut Output, path: String, file: OutputFile, problems: &mut Vec<Diagnostic>) {
    let source = file.source.clone();
    if let Err(existing) = output.insert(path.clone(), file) {
        problems.push(
            Diagnostic::error(
                source,
                format!("output file {path} is also written by {existing}"),
            )
            .with_help("rename one of them, or change its `slug` or `aliases`"),
        );
    }
}

/// The files one page renders to, or why it could not.
type PageFiles = Result<Vec<(String, OutputFile)>, Vec<Diagnostic>>;

/// A page after Markdown, before templates.
struct RenderedPage {
    markdown: RenderedMarkdown,
    /// Words only.
    title: String,
    title_html: String,
    icon_html: String,
    /// From front matter only (may be empty).
    description: String,
    /// The first words of the body, for cards and search.
    summary: String,
    person: Option<Person>,
    avatar: Option<String>,
}

struct PageRenderer<'a> {
    config: &'a Config,
    content: &'a Content,
    icons: &'a IconSet,
    highlighter: &'a Highlighter,
}

impl PageRenderer<'_> {
    fn render_markdown(&self, page: &Page) -> RenderedPage {
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
        let mut markdown = markdown::render(&page.body, &opts);
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

/// A title for a page that has none: the file name, or the site's title for the home page.
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

/// Each section's children in display order: by weight (unweighted last), title, path.
fn sorted_children(content: &Content, pages: &[RenderedPage]) -> Vec<Vec<usize>> {
    content
        .pages
        .iter()
        .map(|page| {
            let mut kids = page.children.clone();
            kids.sort_by(|&a, &b| {
                let key = |i: usize| {
                    let w = content.pages[i].front.weight;
                    (
                        w.is_none(),
                        w,
                        pages[i].title.to_lowercase(),
                        content.pages[i].content_path.clone(),
                    )
                };
                key(a).cmp(&key(b))
            });
            kids
        })
        .collect()
}

/// Navigation from sections and weights. A section with `extra: {nav_children: false}`
/// appears without its pages (a contributors section of fifty people, say).
fn auto_nav_specs(node: usize, content: &Content, children: &[Vec<usize>]) -> Vec<NavSpec> {
    children[node]
        .iter()
        .map(|&c| {
            let hide_children = content.pages[c]
                .front
                .extra
                .as_ref()
                .and_then(|e| e.get("nav_children"))
                .and_then(|v| v.as_bool())
                == Some(false);
            NavSpec::Page {
                page: c,
                title: None,
                icon_html: None,
                children: if hide_children {
                    Vec::new()
                } else {
                    auto_nav_specs(c, content, children)
                },
            }
        })
        .collect()
}

fn nav_specs_from_config(
    entries: &[NavEntry],
    config: &Config,
    content: &Content,
    icons: &IconSet,
) -> (Vec<NavSpec>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let specs = entries
        .iter()
        .filter_map(|e| nav_spec(e, config, content, icons, &mut problems))
        .collect();
    (specs, problems)
}

fn nav_spec(
    entry: &NavEntry,
    config: &Config,
    content: &Content,
    icons: &IconSet,
    problems: &mut Vec<Diagnostic>,
) -> Option<NavSpec> {
    let children = entry
        .children
        .iter()
        .filter_map(|c| nav_spec(c, config, content, icons, problems))
        .collect();
    let position = entry
        .page
        .as_deref()
        .or(entry.url.as_deref())
        .or(entry.title.as_deref())
        .and_then(|needle| config.position_of(needle));
    let icon_html = match &entry.icon {
        Some(name) => match icons.render(name) {
            Ok(h) => Some(h),
            Err(mut d) => {
                d.path = config.source_file.clone();
                (d.line, d.column) = entry
                    .icon
                    .as_deref()
                    .and_then(|i| config.position_of(&format!("icon: {i}")))
                    .map(|(l, c)| (l, c + "icon: ".len()))
                    .unzip();
                problems.push(d);
                None
            }
        },
        None => None,
    };
    let err = |msg: String, help: String| {
        // MkDocs only warns about nav entries naming missing files; so does dcrsite
        // for MkDocs projects, which must build as they stand.
        let d = if config.mkdocs.is_some() {
            Diagnostic::warning(&config.source_file, msg)
        } else {
            Diagnostic::error(&config.source_file, msg)
        };
        d.at_position(position).with_help(help)
    };
    match (&entry.page, &entry.url, &entry.title) {
        (Some(path), None, title) => {
            let path = path.trim_start_matches("./").trim_start_matches('/');
            match content.pages.iter().position(|p| p.content_path == path) {
                Some(page) => Some(NavSpec::Page {
                    page,
                    title: title.clone(),
                    icon_html,
                    children,
                }),
                None => {
                    let near = suggest(path, content.pages.iter().map(|p| p.content_path.as_str()));
                    problems.push(err(
                        format!(
                            "nav entry names page `{path}`, which is not in {}/",
                            config.content_dir
                        ),
                        near.map(|n| format!("did you mean `{n}`?"))
                            .unwrap_or_else(|| {
                                format!("name a Markdown file relative to {}/", config.content_dir)
                            }),
                    ));
                    None
                }
            }
        }
        (None, url, Some(title)) => Some(NavSpec::Link {
            title: title.clone(),
            // A group without a URL of its own leads to its first page.
            url: url
                .clone()
                .or_else(|| first_page_url(&children, content))
                .unwrap_or_default(),
            icon_html: icon_html.unwrap_or_default(),
            children,
        }),
        _ => {
            problems.push(err(
                "a nav entry needs either `page`, or `title` with `url` or `children`".into(),
                "write `- page: guide.md` or `- title: Links` with `url:`/`children:`".into(),
            ));
            None
        }
    }
}

/// The URL of the first page in `specs`, depth first.
fn first_page_url(specs: &[NavSpec], content: &Content) -> Option<String> {
    specs.iter().find_map(|s| match s {
        NavSpec::Page { page, .. } => Some(content.pages[*page].url.clone()),
        NavSpec::Link { children, .. } => first_page_url(children, content),
    })
}

/// Pages an explicit nav of an MkDocs project leaves out: still built, with a warning
/// as MkDocs gives.
fn pages_missing_from_nav(
    specs: &[NavSpec],
    config: &Config,
    content: &Content,
) -> Vec<Diagnostic> {
    fn listed(specs: &[NavSpec], seen: &mut Vec<bool>) {
        for s in specs {
            match s {
                NavSpec::Page { page, children, .. } => {
                    seen[*page] = true;
                    listed(children, seen);
                }
                NavSpec::Link { children, .. } => listed(children, seen),
            }
        }
    }
    let mut seen = vec![false; content.pages.len()];
    listed(specs, &mut seen);
    content
        .pages
        .iter()
        .zip(seen)
        .filter(|(p, seen)| {
            !(*seen || p.kind == PageKind::Home && p.body.is_empty() && p.yaml.is_empty())
        })
        .map(|(p, _)| {
            Diagnostic::warning(
                &p.source_path,
                format!(
                    "page is not in the `nav` of {}; it is built but not listed",
                    config.source_file
                ),
            )
            .with_help("add it to `nav`, or leave it out on purpose")
        })
        .collect()
}

/// Shared, read-only data for rendering templates on many threads.
struct TemplateInput<'a> {
    config: &'a Config,
    content: &'a Content,
    pages: &'a [RenderedPage],
    children: &'a [Vec<usize>],
    nav: &'a Nav,
    nav_pages: &'a [NavPage],
    /// `site` serialised once, not once per page.
    site: Value,
}

impl<'a> TemplateInput<'a> {
    fn new(
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

    fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.config.base_url, url.trim_start_matches('/'))
    }

    fn page_value(&self, i: usize) -> Value {
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

    fn summary_value(&self, i: usize) -> Value {
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

    fn template_for(&self, page: &Page, templates: &Templates) -> Result<String, Diagnostic> {
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
    fn base_context(&self, page: Value, section: Value, nav_for: Option<usize>) -> tera::Context {
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
    fn render_page(&self, templates: &Templates, i: usize) -> PageFiles {
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

    fn render_not_found(&self, templates: &Templates) -> Result<Option<OutputFile>, Diagnostic> {
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

fn add_sitemap_and_robots(
    output: &mut Output,
    config: &Config,
    content: &Content,
    problems: &mut Vec<Diagnostic>,
) {
    let mut urls: Vec<&str> = content.pages.iter().map(|p| p.url.as_str()).collect();
    urls.sort_unstable();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        xml.push_str(&format!(
            "  <url><loc>{}{}</loc></url>\n",
            html_escape(&config.base_url),
            html_escape(url.trim_start_matches('/'))
        ));
    }
    xml.push_str("</urlset>\n");
    insert(
        output,
        "sitemap.xml".into(),
        OutputFile::generated(xml.into_bytes(), "generated: sitemap"),
        problems,
    );
    if output.get("robots.txt").is_none() {
        let robots = format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            config.base_url
        );
        insert(
            output,
            "robots.txt".into(),
            OutputFile::generated(robots.into_bytes(), "generated: robots.txt"),
            problems,
        );
    }
}

/// The site root given on the command line, made usable in messages.
pub fn root_or_default(root: Option<&Path>) -> PathBuf {
    root.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_paths() {
        assert_eq!(
            alias_output_path("/old/page/").as_deref(),
            Some("old/page/index.html")
        );
        assert_eq!(alias_output_path("old").as_deref(), Some("old/index.html"));
        assert_eq!(alias_output_path("/old.html").as_deref(), Some("old.html"));
        assert_eq!(alias_output_path("/"), None);
        assert_eq!(alias_output_path("/../x"), None);
    }

    #[test]
    fn summaries_cut_at_words() {
        assert_eq!(summary("one two three", 9), "one two…");
        assert_eq!(summary("short", 9), "short");
    }
}
