//! The other languages of a multilingual site. Each has its own content, Markdown,
//! navigation and rendered pages, made by the same stage methods as the default
//! language's: the language's fields are swapped into the state, the stages run, and
//! they are swapped back. So a language cannot be rendered differently from the default
//! one, and the configuration, icons, assets and templates are loaded once for all.

use crate::config::Config;
use crate::content::languages::LanguageView;
use crate::content::nav::{Nav, NavPage};
use crate::content::{self, Content};
use crate::diagnostics::Diagnostic;
use crate::output::Output;

use super::super::markdown_pass::RenderedPage;
use super::super::sitemap::add_sitemap;
use super::super::{insert, languages};
use super::{load_options, PageOut, SiteState};

/// One language's share of the state (what differs between languages).
pub(super) struct LanguageState {
    /// The site's configuration with `language` set to this one.
    config: Config,
    content: Content,
    content_problems: Vec<Diagnostic>,
    pages: Vec<RenderedPage>,
    children: Vec<Vec<usize>>,
    nav_pages: Vec<NavPage>,
    nav: Nav,
    nav_problems: Vec<Diagnostic>,
    page_out: Vec<PageOut>,
    /// The language's own 404 page, at `/<code>/404.html`.
    not_found: Option<PageOut>,
}

impl SiteState {
    /// Loads and renders every language but the default one (which the state itself is).
    pub(super) fn load_languages(&mut self) {
        let views = languages::views(&self.config);
        let mut others = Vec::new();
        for view in views.into_iter().filter(|v| !v.default) {
            let mut config = self.config.clone();
            let problems = crate::i18n::apply(self.root(), &mut config, &view.code);
            config.language = view.code.clone();
            let words = config.languages.iter().find(|l| l.code == view.code);
            if let Some(title) = words.and_then(|l| l.title.clone()) {
                config.title = title;
            }
            if let Some(description) = words.and_then(|l| l.description.clone()) {
                config.description = description;
            }
            self.config.load_warnings.extend(problems);
            let mut opts = load_options(&config, &self.options);
            opts.language = Some(view);
            let (content, content_problems) = content::load_with(self.root(), &opts);
            others.push(LanguageState {
                config,
                content,
                content_problems,
                ..LanguageState::empty()
            });
        }
        self.languages = others;
        // What the default language took from the build cache (the others take nothing).
        let cache_use = self.cache_use;
        for k in 0..self.languages.len() {
            self.in_language(k, |state| {
                state.render_all_markdown();
                state.rebuild_nav();
                state.render_all_templates();
            });
        }
        self.cache_use = cache_use;
    }

    /// Runs `f` with language `k`'s fields in place of the default language's.
    fn in_language<R>(&mut self, k: usize, f: impl FnOnce(&mut SiteState) -> R) -> R {
        let mut other = std::mem::replace(&mut self.languages[k], LanguageState::empty());
        self.swap(&mut other);
        let result = f(self);
        self.swap(&mut other);
        self.languages[k] = other;
        result
    }

    fn swap(&mut self, other: &mut LanguageState) {
        std::mem::swap(&mut self.config, &mut other.config);
        std::mem::swap(&mut self.content, &mut other.content);
        std::mem::swap(&mut self.content_problems, &mut other.content_problems);
        std::mem::swap(&mut self.pages, &mut other.pages);
        std::mem::swap(&mut self.children, &mut other.children);
        std::mem::swap(&mut self.nav_pages, &mut other.nav_pages);
        std::mem::swap(&mut self.nav, &mut other.nav);
        std::mem::swap(&mut self.nav_problems, &mut other.nav_problems);
        std::mem::swap(&mut self.page_out, &mut other.page_out);
        std::mem::swap(&mut self.not_found, &mut other.not_found);
    }

    /// Puts every other language's pages, search index and sitemap into `output`;
    /// returns how many pages rendered.
    pub(super) fn assemble_languages(
        &mut self,
        output: &mut Output,
        problems: &mut Vec<Diagnostic>,
    ) -> usize {
        let mut count = 0;
        for k in 0..self.languages.len() {
            count += self.in_language(k, |state| {
                let mut count = 0;
                for out in &state.page_out {
                    if let Ok(files) = &out.result {
                        count += 1;
                        for (path, file) in files {
                            insert(output, path.clone(), file.clone(), problems);
                        }
                    }
                }
                if let Some(Ok(files)) = state.not_found.as_ref().map(|n| &n.result) {
                    for (path, file) in files {
                        insert(output, path.clone(), file.clone(), problems);
                    }
                }
                add_sitemap(output, &state.config, &state.content, problems);
                if let Some((index, _)) = state.search_index(&[]) {
                    let path = languages::search_index_path(&state.config);
                    insert(output, path, index, problems);
                }
                count
            });
        }
        count
    }

    /// Every other language's problems.
    pub(super) fn language_problems(&self) -> Vec<Diagnostic> {
        let mut all = Vec::new();
        for l in &self.languages {
            all.extend(l.content_problems.iter().cloned());
            for page in &l.pages {
                all.extend(page.markdown.diagnostics.iter().cloned());
            }
            all.extend(l.nav_problems.iter().cloned());
            for out in &l.page_out {
                if let Err(p) = &out.result {
                    all.extend(p.iter().cloned());
                }
                all.extend(out.prefix_problems.iter().cloned());
            }
        }
        all
    }

    /// Whether the site is published in more than one language.
    pub(super) fn is_multilingual(&self) -> bool {
        !self.config.languages.is_empty()
    }
}

impl LanguageState {
    /// A placeholder while the language's fields are in the state.
    fn empty() -> LanguageState {
        LanguageState {
            config: Config::default(),
            content: Content::default(),
            content_problems: Vec::new(),
            pages: Vec::new(),
            children: Vec::new(),
            nav_pages: Vec::new(),
            nav: Nav::default(),
            nav_problems: Vec::new(),
            page_out: Vec::new(),
            not_found: None,
        }
    }
}

/// The view of the default language, when the site has languages.
pub(super) fn default_view(config: &Config) -> Option<LanguageView> {
    languages::views(config).into_iter().find(|v| v.default)
}
