//! The site as staged, cached state. `render_site` builds it once and hands over the
//! Output; `serve` keeps it and, when files change, redoes only the stages and pages
//! those files affect. Both go through the same stage functions, so an incremental
//! rebuild produces the same Output as a full one (tests/suite/incremental.rs checks it).
//!
//! This file loads the state and assembles the Output; `rebuild` carries out the plan a
//! batch of changes calls for, `patch` redoes single pages, `lookup` answers the
//! planner's questions about a changed path.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;

use super::CacheKey;
use crate::assets::Assets;
use crate::config::Config;
use crate::content::nav::{Nav, NavPage};
use crate::content::{self, Content};
use crate::diagnostics::{self, Diagnostic};
use crate::icons::IconSet;
use crate::output::Output;
use crate::templates::Templates;

use super::git_dates::GitDates;
use super::markdown_pass::{PageRenderer, RenderedPage};
use super::nav::build_nav;
use super::sitemap::add_sitemap_and_robots;
use super::template_pass::TemplateInput;
use super::{
    add_base_path, highlighter, insert, load_assets, load_config, load_icons, load_templates,
    static_file_output, BuildOptions, PageFiles, Rendered,
};
use super::{blog, redirects, tags};

#[cfg(test)]
mod context_key_tests;
mod languages;
mod lookup;
mod patch;
mod rebuild;
mod search_docs;
mod sources;
mod warm;

use search_docs::SearchPart;

pub use warm::CacheUse;

/// One page's files after templates and the base-path rewrite, or why it failed.
pub(crate) struct PageOut {
    pub(crate) result: PageFiles,
    /// Base-path rewrite failures (the files keep their bytes, as in a full build).
    pub(crate) prefix_problems: Vec<Diagnostic>,
    /// The digest of what the files were made from besides the page's own text and
    /// Markdown (`TemplateInput::context_key`): when the navigation changes, a page not
    /// edited whose digest is the same keeps its files.
    pub(crate) context: Option<CacheKey>,
}

impl PageOut {
    /// A page's files as `render_page` gives them.
    fn rendered((result, context): (PageFiles, Option<CacheKey>), base_path: &str) -> PageOut {
        PageOut {
            context,
            ..PageOut::new(result, base_path)
        }
    }

    fn new(result: PageFiles, base_path: &str) -> PageOut {
        let mut prefix_problems = Vec::new();
        let result = result.map(|mut files| {
            for (path, file) in &mut files {
                prefix_problems.extend(add_base_path(path, file, base_path));
            }
            files
        });
        PageOut {
            result,
            prefix_problems,
            context: None,
        }
    }

    fn paths(&self) -> Option<Vec<&str>> {
        self.result
            .as_ref()
            .ok()
            .map(|files| files.iter().map(|(p, _)| p.as_str()).collect())
    }
}

/// Everything a build knows, stage by stage.
pub struct SiteState {
    options: BuildOptions,
    config: Config,
    icons: IconSet,
    content: Content,
    content_problems: Vec<Diagnostic>,
    assets: Assets,
    asset_problems: Vec<Diagnostic>,
    templates: Option<Templates>,
    template_problems: Vec<Diagnostic>,
    /// Markdown rendered per page (same indices as `content.pages`).
    pages: Vec<RenderedPage>,
    children: Vec<Vec<usize>>,
    nav_pages: Vec<NavPage>,
    nav: Nav,
    nav_problems: Vec<Diagnostic>,
    /// Each file's last commit date, read once when the state is loaded.
    git_dates: GitDates,
    /// Templates rendered per page; empty when the templates failed to load.
    page_out: Vec<PageOut>,
    not_found: Option<PageOut>,
    output: Output,
    /// Problems found putting files into the Output (paths written twice).
    assembly_problems: Vec<Diagnostic>,
    /// All of the above, sorted.
    problems: Vec<Diagnostic>,
    page_count: usize,
    /// Each page's Markdown HTML and number of diagnostics before the blog and tags
    /// plugins added to them, kept for the build cache when they are on.
    undecorated: Option<Vec<(String, usize)>>,
    cache_warning: Option<Diagnostic>,
    cache_use: CacheUse,
    /// Each page's part of the search index after assembly, by page; before, the parts
    /// the build cache had (found again by their entries' keys, not by page).
    search_parts: Vec<Option<SearchPart>>,
    /// By page, the HTML, plain text and links a build left in the build cache
    /// (`warm.rs`): the page's own are empty until read.
    lazy_bodies: Vec<Option<crate::site::cache::lazy::LazyBody>>,
    /// A multilingual site's other languages (the fields above are the default one's).
    languages: Vec<languages::LanguageState>,
    /// A build's spool folder (`output::spool`): the default language's pages are put
    /// there as they are rendered rather than held. None for `serve` and `check`.
    spool: Option<std::sync::Arc<crate::output::spool::Spool>>,
}

/// What an update changed in the Output, for the server and the browsers.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Update {
    /// Output paths added or changed (including files copied from disk whose source changed).
    pub changed: Vec<String>,
    /// Output paths no longer in the site.
    pub removed: Vec<String>,
    /// Set when only stylesheets changed: each (old output path, new output path), so a
    /// browser can swap them without reloading.
    pub css_swaps: Vec<(String, String)>,
    pub css_only: bool,
    /// Pages whose Markdown was rendered again.
    pub markdown_rendered: usize,
    /// Pages whose templates were rendered again.
    pub templates_rendered: usize,
    /// Everything was loaded again (`site.yaml` or the icons changed).
    pub full: bool,
    /// The Output was rebuilt as a whole (otherwise only `changed`/`removed` moved).
    pub reassembled: bool,
}

impl SiteState {
    /// Runs every stage. `Err` only when nothing can be built at all (no root, a bad
    /// `site.yaml`, unreadable icons); other problems are kept in the state.
    pub fn load(options: &BuildOptions) -> Result<SiteState, Vec<Diagnostic>> {
        Self::load_spooled(options, None, None, None)
    }

    /// [`Self::load`], the pages put into the spool folder `spool` as they are rendered,
    /// the Markdown files `same` names (as the last build read them) not read again.
    pub(crate) fn load_spooled(
        options: &BuildOptions,
        spool: Option<std::sync::Arc<crate::output::spool::Spool>>,
        same: Option<std::sync::Arc<crate::site::cache::inputs::SameFiles>>,
        record: Option<&crate::output::record::OutputRecord>,
    ) -> Result<SiteState, Vec<Diagnostic>> {
        Self::load_spooled_with(options, None, spool, same, record)
    }

    /// [`Self::load_spooled`] with the configuration `loaded` as `Config::load` gave it
    /// for the root, when the caller has it already.
    pub(crate) fn load_spooled_with(
        options: &BuildOptions,
        loaded: Option<Config>,
        spool: Option<std::sync::Arc<crate::output::spool::Spool>>,
        same: Option<std::sync::Arc<crate::site::cache::inputs::SameFiles>>,
        record: Option<&crate::output::record::OutputRecord>,
    ) -> Result<SiteState, Vec<Diagnostic>> {
        let mut config = load_config(options, loaded)?;
        let root = options.root.as_path();
        let language = config.language.clone();
        let problems = crate::i18n::apply(root, &mut config, &language);
        config.load_warnings.extend(problems);
        // git reads the history while the content loads and renders.
        let history_root = root.to_path_buf();
        let git_dates = std::thread::spawn(move || GitDates::read(&history_root));
        let icons = load_icons(root, &config)?;
        let output = options.output.as_deref();
        let (warm, cache_warning) = warm::open(options.cache.as_deref(), output, record);
        let previous = warm.as_ref().and_then(|w| w.previous.as_ref());
        let (content, content_problems) =
            sources::load_content(&config, options, previous, same.as_deref());
        let (assets, asset_problems) = load_assets(root, &config);
        // Parsing the templates is serial work: it runs on one core while the pages'
        // Markdown renders on the others (it needs none of it), unless the build cache
        // holds Markdown to take: then what it takes is known only once the state is.
        let render_now =
            warm.as_ref().is_none_or(|w| w.previous.is_none()) && content.unread_bodies() == 0;
        let ((templates, template_problems), pages) = rayon::join(
            || load_templates(root, &config, &assets),
            || render_now.then(|| render_pages(&config, &content, &icons, Vec::new())),
        );
        let mut state = SiteState {
            options: options.clone(),
            config,
            icons,
            content,
            content_problems,
            assets,
            asset_problems,
            templates,
            template_problems,
            pages: Vec::new(),
            children: Vec::new(),
            nav_pages: Vec::new(),
            nav: Nav::default(),
            nav_problems: Vec::new(),
            git_dates: GitDates::default(),
            page_out: Vec::new(),
            not_found: None,
            output: Output::default(),
            assembly_problems: Vec::new(),
            problems: Vec::new(),
            page_count: 0,
            undecorated: None,
            cache_warning,
            cache_use: CacheUse::default(),
            search_parts: Vec::new(),
            lazy_bodies: Vec::new(),
            languages: Vec::new(),
            spool,
        };
        // The cache keeps the default language's pages; a multilingual site's other
        // languages are rendered whole (and serve reloads such a site whole).
        let Some(warm) = warm else {
            state.take_markdown(pages.unwrap_or_default(), 0);
            state.rebuild_nav();
            state.git_dates = git_dates.join().unwrap_or_default();
            // The search index needs the pages' Markdown only: it is built while the
            // templates render rather than after them.
            let (search_index, rendered) = rayon::join(
                || state.search_index(&[]),
                || state.templates_out(Vec::new()),
            );
            state.take_templates(rendered, 0);
            state.load_languages();
            state.assemble_with(search_index);
            return Ok(state);
        };
        state.cache_use.sources_reused = state.content.unread_bodies();
        state.load_warm(warm, git_dates, pages);
        Ok(state)
    }

    /// The stages of `load` with the build cache: Markdown and templates are taken from
    /// it where nothing they depend on changed, and it is written again when anything was
    /// rendered. `rendered` is every page's Markdown when it was rendered while the
    /// templates loaded (a cache with nothing to take).
    fn load_warm(
        &mut self,
        warm: warm::Warm,
        git_dates: std::thread::JoinHandle<GitDates>,
        rendered: Option<Vec<RenderedPage>>,
    ) {
        let markdown = self.markdown_key();
        let previous = warm.previous.filter(|p| p.markdown == markdown);
        let mut git_dates = Some(git_dates);
        let first = self.load_reusing(&warm.path, markdown, previous, &mut git_dates, rendered);
        if let Err(why) = first {
            // A page's HTML read from the cache, or a Markdown file it vouched for, is
            // not as written: none of it is used.
            self.cache_warning = Some(warm::ignored(&warm.path, &why));
            if self.content.unread_bodies() > 0 {
                self.reload_content();
                self.cache_use.sources_reused = 0;
            }
            let markdown = self.markdown_key();
            let _ = self.load_reusing(&warm.path, markdown, None, &mut git_dates, None);
        }
    }

    /// [`Self::load_warm`] with the previous run's cache `previous`: `Err(why)` when a
    /// part of it read late is not as written (nothing can fail without it). Every
    /// page's Markdown already `rendered` is taken as it is (only without `previous`).
    fn load_reusing(
        &mut self,
        path: &Path,
        markdown: crate::site::cache::Key,
        mut previous: Option<crate::site::cache::Previous>,
        git_dates: &mut Option<std::thread::JoinHandle<GitDates>>,
        rendered: Option<Vec<RenderedPage>>,
    ) -> Result<(), String> {
        let (cached, lazy) = match &mut previous {
            Some(previous) => self.cached_markdown(previous)?,
            None => Default::default(),
        };
        self.lazy_bodies = lazy;
        // The pages rendered again need their text; the others' stays on disk.
        let rendered_again = |i: usize| cached.get(i).is_none_or(Option::is_none);
        self.content.read_bodies(rendered_again)?;
        match rendered.filter(|_| previous.is_none()) {
            Some(pages) => self.take_markdown(pages, 0),
            None => self.render_markdown_reusing(cached),
        }
        self.rebuild_nav();
        if let Some(git_dates) = git_dates.take() {
            self.git_dates = git_dates.join().unwrap_or_default();
        }
        let shown = self.shown_keys();
        // Made once: hashing the navigation's form was a fifteenth of a one-edit build.
        let nav = self.nav_key();
        let outputs = match &mut previous {
            Some(previous) => self.cached_outputs(previous, &shown, nav)?,
            None => Vec::new(),
        };
        self.render_templates_reusing(outputs);
        let search_index = match &mut previous {
            Some(previous) => {
                let record = previous.search.take();
                self.search_index_reusing(record, previous.search_vouched)?
            }
            None => self.search_index_with(&[], &self.lazy_bodies),
        };
        self.load_languages();
        let all_reused = self.cache_use.markdown_reused == self.pages.len()
            && self.cache_use.templates_reused == self.page_out.len();
        if previous.is_none() || !all_reused {
            let (index, previous) = (search_index.as_ref(), previous.as_ref());
            self.save_cache(path, (markdown, nav), &shown, previous, index)?;
        }
        // Last: a build's pages' files are moved into the Output, not copied.
        self.assemble_with(search_index);
        Ok(())
    }

    /// How much the last load took from the build cache.
    pub fn cache_use(&self) -> CacheUse {
        self.cache_use
    }

    /// Why the build cache was ignored or not written, if it was.
    pub fn cache_warning(&self) -> Option<&Diagnostic> {
        self.cache_warning.as_ref()
    }

    /// The result a one-off build reports.
    pub fn into_rendered(self) -> Result<Rendered, Vec<Diagnostic>> {
        let places = std::sync::Arc::new(self.places());
        // Templates that failed to load are an error among the problems.
        let (false, Some(templates)) = (self.has_errors(), self.templates) else {
            return Err(self.problems);
        };
        let nav_titles = super::markdown_pass::nav_titles(&self.config);
        let rendered = self.pages.into_par_iter();
        let pages = (self.content.pages.par_iter().zip(rendered))
            .map(|(page, rendered)| {
                let nav_title = nav_titles.get(page.content_path.as_str()).copied();
                super::markdown_pass::page_facts(page, rendered, nav_title)
            })
            .collect();
        Ok(Rendered {
            output: self.output,
            config: self.config,
            templates,
            warnings: self.problems,
            page_count: self.page_count,
            cache_warning: self.cache_warning,
            cache_use: self.cache_use,
            pages,
            places,
        })
    }

    /// The configuration the state was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The Output as of the last update. Incomplete while `has_errors()`.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Every problem (errors and warnings), sorted by place.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Diagnostic::is_error)
    }

    pub fn page_count(&self) -> usize {
        self.page_count
    }

    fn root(&self) -> &Path {
        &self.options.root
    }

    fn render_all_markdown(&mut self) {
        self.render_markdown_reusing(Vec::new());
    }

    /// Renders the Markdown of every page `cached` has none for (by index; it may be
    /// empty), then adds what the blog and tags plugins put on pages.
    fn render_markdown_reusing(&mut self, cached: Vec<Option<RenderedPage>>) {
        let reused = cached.iter().filter(|c| c.is_some()).count();
        let pages = render_pages(&self.config, &self.content, &self.icons, cached);
        self.take_markdown(pages, reused);
    }

    /// Keeps `pages` (rendered by [`render_pages`], `reused` of them from the cache),
    /// then adds what the blog and tags plugins put on pages.
    fn take_markdown(&mut self, pages: Vec<RenderedPage>, reused: usize) {
        self.cache_use.markdown_reused = reused;
        self.pages = pages;
        if self.config.plugins.blog.is_some() || self.config.plugins.tags {
            let raw = self
                .pages
                .iter()
                .map(|p| (p.markdown.html.clone(), p.markdown.diagnostics.len()));
            self.undecorated = Some(raw.collect());
        }
        self.list_blog_posts();
        self.show_tags();
    }

    /// Material's tags: above each tagged page's content, and the index of tags.
    fn show_tags(&mut self) {
        if !self.config.plugins.tags {
            return;
        }
        let ids = self
            .config
            .mkdocs
            .as_ref()
            .map(|m| m.dialect.toc_ids.clone())
            .unwrap_or_default();
        let pages = &self.pages;
        let additions = tags::decorate(&self.content, &self.config.base_path(), &ids, |i| {
            (pages[i].markdown.html.as_str(), pages[i].title.as_str())
        });
        for (i, before, list) in additions {
            let html = &mut self.pages[i].markdown.html;
            *html = tags::apply(html, &before, list.as_deref());
        }
    }

    /// The lists of posts of the blog's index, archive and category pages, which need
    /// every post rendered.
    fn list_blog_posts(&mut self) {
        let Some(blog) = &self.config.plugins.blog else {
            return;
        };
        let pages = &self.pages;
        let toc_ids = self
            .config
            .mkdocs
            .as_ref()
            .map(|m| m.dialect.toc_ids.clone());
        let site = blog::ListSite {
            base_path: &self.config.base_path(),
            toc_ids: &toc_ids.unwrap_or_default(),
        };
        let (lists, problems) = blog::lists(blog, &self.content, &site, |i| blog::Rendered {
            html: &pages[i].markdown.html,
            title_html: &pages[i].title_html,
            title: &pages[i].title,
        });
        for (at, html) in lists {
            self.pages[at].markdown.html.push_str(&html);
        }
        for (i, d) in problems {
            self.pages[i].markdown.diagnostics.push(d);
        }
    }

    fn rebuild_nav(&mut self) {
        let (children, nav_pages, nav, problems) =
            build_nav(&self.config, &self.content, &self.icons, &self.pages);
        self.children = children;
        self.nav_pages = nav_pages;
        self.nav = nav;
        self.nav_problems = problems;
    }

    fn template_input(&self) -> TemplateInput<'_> {
        TemplateInput::new(
            &self.config,
            &self.content,
            &self.pages,
            &self.children,
            &self.nav,
            &self.nav_pages,
            &self.git_dates,
        )
    }

    /// The pages whose context key is not the one `known` gives for them (what their
    /// files were made from besides their own text), or cannot be told.
    fn contexts_changed(
        &self,
        known: impl Fn(usize) -> Option<CacheKey> + Sync,
    ) -> BTreeSet<usize> {
        let count = self.content.pages.len();
        let Some(templates) = &self.templates else {
            return (0..count).collect();
        };
        let ctx = self.template_input();
        (0..count)
            .into_par_iter()
            .filter(|&i| match (known(i), ctx.context_key(templates, i)) {
                (Some(before), Some(now)) => before != now,
                _ => true,
            })
            .collect()
    }

    fn render_all_templates(&mut self) {
        self.render_templates_reusing(Vec::new());
    }

    /// Renders the templates of every page `cached` has no files for (by index; it may
    /// be empty), and the 404 page.
    fn render_templates_reusing(&mut self, cached: Vec<Option<PageOut>>) {
        let reused = cached.iter().filter(|c| c.is_some()).count();
        let rendered = self.templates_out(cached);
        self.take_templates(rendered, reused);
    }

    /// Keeps the pages' and the 404 page's files from [`Self::templates_out`] (`reused`
    /// of the pages came from the cache); none when the templates failed to load.
    fn take_templates(&mut self, rendered: Option<(Vec<PageOut>, PageOut)>, reused: usize) {
        if rendered.is_some() {
            self.cache_use.templates_reused = reused;
        }
        let (page_out, not_found) = rendered.unzip();
        self.page_out = page_out.unwrap_or_default();
        self.not_found = not_found;
    }

    /// Every page's files from the templates but those `cached` has, and the 404 page's;
    /// none when the templates failed to load.
    fn templates_out(&self, cached: Vec<Option<PageOut>>) -> Option<(Vec<PageOut>, PageOut)> {
        let templates = self.templates.as_ref()?;
        let mut cached = cached;
        cached.resize_with(self.content.pages.len(), || None);
        let base_path = self.config.base_path();
        let ctx = self.template_input();
        let page_out: Vec<PageOut> = cached
            .into_par_iter()
            .enumerate()
            .map(|(i, cached)| {
                cached.unwrap_or_else(|| {
                    let mut out = PageOut::rendered(ctx.render_page(templates, i), &base_path);
                    if let (Some(spool), Ok(files)) = (&self.spool, &mut out.result) {
                        spool.put(files);
                    }
                    out
                })
            })
            .collect();
        Some((page_out, self.not_found_out(&ctx, templates)))
    }

    /// The 404 page's files (it shows the navigation's top level).
    fn not_found_out(&self, ctx: &TemplateInput<'_>, templates: &Templates) -> PageOut {
        let base_path = self.config.base_path();
        let not_found_path = super::languages::not_found_path(&self.config);
        match ctx.render_not_found(templates, &not_found_path) {
            Ok(file) => PageOut::new(
                Ok(file
                    .into_iter()
                    .map(|f| (not_found_path.clone(), f))
                    .collect()),
                &base_path,
            ),
            Err(d) => PageOut::new(Err(vec![d]), &base_path),
        }
    }

    /// Renders the 404 page again.
    fn rerender_not_found(&mut self) {
        if let Some(templates) = &self.templates {
            let out = self.not_found_out(&self.template_input(), templates);
            self.not_found = Some(out);
        }
    }

    /// Puts every file into a new Output, in the order a full build always has.
    fn assemble(&mut self) {
        let known = std::mem::take(&mut self.search_parts);
        let search_index = self.search_index_with(&known, &self.lazy_bodies);
        self.assemble_with(search_index);
    }

    /// [`Self::assemble`] with the search index (and its pages' parts) already built
    /// from the current pages.
    /// A one-off build's pages' files are moved into the Output, leaving none in the
    /// state (nothing reads them after); `serve` and `check` keep theirs (copying every
    /// page's paths and links was a tenth of the memory a one-edit build touched).
    fn assemble_with(&mut self, search_index: Option<search_docs::SearchIndex>) {
        let mut output = Output::default();
        let mut problems = Vec::new();
        let mut page_count = 0;
        let one_off = self.is_one_off();
        for out in &mut self.page_out {
            if let Ok(files) = &mut out.result {
                page_count += 1;
                if one_off {
                    for (path, file) in std::mem::take(files) {
                        insert(&mut output, path, file, &mut problems);
                    }
                    continue;
                }
                for (path, file) in files.iter() {
                    insert(&mut output, path.clone(), file.clone(), &mut problems);
                }
            }
        }
        if let Some(Ok(files)) = self.not_found.as_ref().map(|n| &n.result) {
            for (path, file) in files {
                insert(&mut output, path.clone(), file.clone(), &mut problems);
            }
        }
        for file in &self.content.static_files {
            let out = static_file_output(file, self.config.layout().content());
            insert(&mut output, file.content_path.clone(), out, &mut problems);
        }
        for (path, file) in &self.assets.files {
            insert(&mut output, path.clone(), file.clone(), &mut problems);
        }
        let (redirects, redirect_problems) = redirects::other_sites(&self.config, &self.content);
        problems.extend(redirect_problems);
        for (path, file) in redirects {
            insert(&mut output, path, file, &mut problems);
        }
        add_sitemap_and_robots(&mut output, &self.config, &self.content, &mut problems);
        if let Some((index, parts)) = search_index {
            self.search_parts = parts;
            insert(
                &mut output,
                crate::search::INDEX_PATH.into(),
                index,
                &mut problems,
            );
        }
        page_count += self.assemble_languages(&mut output, &mut problems);
        self.output = output;
        self.assembly_problems = problems;
        self.page_count = page_count;
        self.collect_problems();
    }

    /// A build's state, made to be turned into its Output once (`into_rendered`), not
    /// kept as `serve` keeps it: only a build writes pages into a spool folder.
    fn is_one_off(&self) -> bool {
        self.spool.is_some()
    }

    fn collect_problems(&mut self) {
        let mut all: Vec<Diagnostic> = Vec::new();
        all.extend(self.config.load_warnings.iter().cloned());
        all.extend(self.content_problems.iter().cloned());
        all.extend(self.asset_problems.iter().cloned());
        all.extend(self.template_problems.iter().cloned());
        for page in &self.pages {
            all.extend(page.markdown.diagnostics.iter().cloned());
        }
        all.extend(self.nav_problems.iter().cloned());
        for out in self.page_out.iter().chain(&self.not_found) {
            if let Err(p) = &out.result {
                all.extend(p.iter().cloned());
            }
            all.extend(out.prefix_problems.iter().cloned());
        }
        all.extend(self.assembly_problems.iter().cloned());
        all.extend(self.language_problems());
        self.config.drop_quieted(&mut all);
        diagnostics::sort(&mut all);
        all.dedup();
        self.problems = all;
    }
}

/// Every page's Markdown rendered, in parallel, but those `cached` has (by index; it
/// may be empty).
fn render_pages(
    config: &Config,
    content: &Content,
    icons: &IconSet,
    cached: Vec<Option<RenderedPage>>,
) -> Vec<RenderedPage> {
    let renderer = PageRenderer {
        config,
        content,
        icons,
        highlighter: highlighter(),
    };
    let mut cached = cached;
    cached.resize_with(content.pages.len(), || None);
    (content.pages.par_iter().zip(cached))
        .map(|(page, cached)| cached.unwrap_or_else(|| renderer.render_markdown(page)))
        .collect()
}

/// How to read the content folder of a site with this configuration.
fn load_options(config: &Config, options: &BuildOptions) -> content::LoadOptions {
    content::LoadOptions {
        dir: config.layout().content().to_string(),
        drafts: options.drafts,
        mkdocs: config.mkdocs.is_some(),
        plugins: config.plugins.clone(),
        directory_urls: config
            .mkdocs
            .as_ref()
            .is_none_or(|project| project.use_directory_urls),
        rules: config.docs_rules(),
        language: languages::default_view(config),
    }
}
