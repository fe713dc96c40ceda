//! The site as staged, cached state. `render_site` builds it once and hands over the
//! Output; `serve` keeps it and, when files change, redoes only the stages and pages
//! those files affect. Both go through the same stage functions, so an incremental
//! rebuild produces the same Output as a full one (tests/incremental.rs checks it).

use std::collections::BTreeSet;

use super::change::{classify, ChangeKind};
use super::*;
use crate::content::walk::{FileKind, SourceFile};
use crate::output::Body;

/// One page's files after templates and the base-path rewrite, or why it failed.
struct PageOut {
    result: PageFiles,
    /// Base-path rewrite failures (the files keep their bytes, as in a full build).
    prefix_problems: Vec<Diagnostic>,
}

impl PageOut {
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
    /// Templates rendered per page; empty when the templates failed to load.
    page_out: Vec<PageOut>,
    not_found: Option<PageOut>,
    output: Output,
    /// Problems found putting files into the Output (paths written twice).
    assembly_problems: Vec<Diagnostic>,
    /// All of the above, sorted.
    problems: Vec<Diagnostic>,
    page_count: usize,
}

/// Whether a changed file now leads outside the site root (a file replaced by a link):
/// then only a full content walk, which reports it, may take it in.
fn leads_outside(root: &Path, path: &Path) -> bool {
    crate::content::inside::Inside::new(root)
        .check(path)
        .is_err()
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
        let config = load_config(options)?;
        let root = options.root.as_path();
        let icons = load_icons(root, &config)?;
        let (content, content_problems) = content::load_with(root, &load_options(&config, options));
        let (assets, asset_problems) = load_assets(root, &config);
        let (templates, template_problems) = load_templates(root, &config, &assets);
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
            page_out: Vec::new(),
            not_found: None,
            output: Output::default(),
            assembly_problems: Vec::new(),
            problems: Vec::new(),
            page_count: 0,
        };
        state.render_all_markdown();
        state.rebuild_nav();
        state.render_all_templates();
        state.assemble();
        Ok(state)
    }

    /// The result a one-off build reports.
    pub fn into_rendered(self) -> Result<Rendered, Vec<Diagnostic>> {
        if self.has_errors() {
            return Err(self.problems);
        }
        Ok(Rendered {
            output: self.output,
            config: self.config,
            warnings: self.problems,
            page_count: self.page_count,
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

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    fn root(&self) -> &Path {
        &self.options.root
    }

    fn render_all_markdown(&mut self) {
        let renderer = PageRenderer {
            config: &self.config,
            content: &self.content,
            icons: &self.icons,
            highlighter: highlighter(),
        };
        let pages = self
            .content
            .pages
            .par_iter()
            .map(|page| renderer.render_markdown(page))
            .collect();
        self.pages = pages;
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
        )
    }

    fn render_all_templates(&mut self) {
        let Some(templates) = &self.templates else {
            self.page_out.clear();
            self.not_found = None;
            return;
        };
        let base_path = self.config.base_path();
        let ctx = self.template_input();
        let page_out: Vec<PageOut> = (0..self.content.pages.len())
            .into_par_iter()
            .map(|i| PageOut::new(ctx.render_page(templates, i), &base_path))
            .collect();
        let not_found = match ctx.render_not_found(templates) {
            Ok(file) => PageOut::new(
                Ok(file.into_iter().map(|f| ("404.html".into(), f)).collect()),
                &base_path,
            ),
            Err(d) => PageOut::new(Err(vec![d]), &base_path),
        };
        self.page_out = page_out;
        self.not_found = Some(not_found);
    }

    /// Puts every file into a new Output, in the order a full build always has.
    fn assemble(&mut self) {
        let mut output = Output::default();
        let mut problems = Vec::new();
        let mut page_count = 0;
        for out in &self.page_out {
            if let Ok(files) = &out.result {
                page_count += 1;
                for (path, file) in files {
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
            let out = static_file_output(file, &self.config.content_dir);
            insert(&mut output, file.content_path.clone(), out, &mut problems);
        }
        for (path, file) in &self.assets.files {
            insert(&mut output, path.clone(), file.clone(), &mut problems);
        }
        add_sitemap_and_robots(&mut output, &self.config, &self.content, &mut problems);
        if let Some(index) = self.search_index() {
            insert(
                &mut output,
                crate::search::INDEX_PATH.into(),
                index,
                &mut problems,
            );
        }
        self.output = output;
        self.assembly_problems = problems;
        self.page_count = page_count;
        self.collect_problems();
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
        diagnostics::sort(&mut all);
        all.dedup();
        self.problems = all;
    }

    /// Brings the state up to date with the files at `paths` (created, changed, deleted
    /// or renamed; absolute or relative to the root as given in the options).
    /// `Err` when the site can no longer be loaded at all: the state is then unusable and
    /// the caller loads it again after the next change.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let inputs: Vec<ChangeKind> = paths
            .iter()
            .map(|p| classify(&self.config, self.root(), p))
            .collect();
        if inputs
            .iter()
            .any(|i| matches!(i, ChangeKind::Config | ChangeKind::Icons))
        {
            let new = SiteState::load(&self.options)?;
            let old = std::mem::replace(self, new);
            let mut update = diff(&old.output, &self.output);
            update.full = true;
            update.reassembled = true;
            update.markdown_rendered = self.pages.len();
            update.templates_rendered = self.page_out.len();
            self.add_copied_changes(paths, &mut update);
            return Ok(update);
        }

        let mut update = Update::default();
        let (mut assets_changed, mut templates_changed, mut structural) = (false, false, false);
        let mut edited: BTreeSet<usize> = BTreeSet::new();
        // Template names edited; `None` once something forces re-rendering every page.
        let mut changed_templates: Option<Vec<String>> = Some(Vec::new());
        for input in &inputs {
            match input {
                ChangeKind::Template(name) => {
                    templates_changed = true;
                    if let Some(names) = &mut changed_templates {
                        names.push(name.clone());
                    }
                }
                ChangeKind::Assets { .. } => assets_changed = true,
                ChangeKind::Theme => {
                    assets_changed = true;
                    templates_changed = true;
                    changed_templates = None;
                }
                ChangeKind::ContentPage(path) => {
                    let abs = self.root().join(&self.config.content_dir).join(path);
                    let on_disk = abs.is_file();
                    if leads_outside(self.root(), &abs) {
                        // The content walk reports it at its path.
                        structural = true;
                        continue;
                    }
                    match self
                        .content
                        .pages
                        .iter()
                        .position(|p| &p.content_path == path)
                    {
                        Some(i) if on_disk => {
                            edited.insert(i);
                        }
                        // Gone and never known: an editor's temp file, already renamed;
                        // unless it is a file that failed to load, whose error must go.
                        None if !on_disk && !self.content_problem_at(path) => {}
                        _ => structural = true,
                    }
                }
                ChangeKind::ContentFile(path) => {
                    let abs = self.root().join(&self.config.content_dir).join(path);
                    let known = self.knows_content_path(path);
                    // A known file changed in place is copied from disk as it is: nothing
                    // to render. A new or removed file or folder changes what links can
                    // resolve to. Something gone that was never known is an editor's
                    // temp file.
                    let in_place = abs.is_file()
                        && self
                            .content
                            .static_files
                            .iter()
                            .any(|f| &f.content_path == path);
                    if (!in_place && (abs.exists() || known || self.content_problem_at(path)))
                        || leads_outside(self.root(), &abs)
                    {
                        structural = true;
                    }
                }
                ChangeKind::ContentDir => structural = true,
                // Any page that includes snippets may include this one (or include it
                // through another): those pages are rendered again.
                ChangeKind::Snippet => edited.extend(
                    self.content
                        .pages
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.body.contains("--8<--"))
                        .map(|(i, _)| i),
                ),
                ChangeKind::Config | ChangeKind::Icons | ChangeKind::Ignored => {}
            }
        }
        let css_only = !inputs.is_empty()
            && inputs
                .iter()
                .all(|i| matches!(i, ChangeKind::Assets { css: true } | ChangeKind::Ignored))
            && inputs.iter().any(|i| *i != ChangeKind::Ignored);

        if assets_changed {
            let (assets, problems) = load_assets(self.root(), &self.config);
            if assets.manifest != self.assets.manifest {
                // Templates resolve `asset_url` through the manifest: CSS/JS got new names.
                templates_changed = true;
                changed_templates = None;
                update.css_swaps = css_swaps(&self.assets.manifest, &assets.manifest);
            }
            self.assets = assets;
            self.asset_problems = problems;
        }
        if templates_changed {
            let (templates, problems) = load_templates(self.root(), &self.config, &self.assets);
            let old_names: BTreeSet<String> = self
                .templates
                .as_ref()
                .map(|t| t.names().map(String::from).collect())
                .unwrap_or_default();
            let new_names: BTreeSet<String> = templates
                .as_ref()
                .map(|t| t.names().map(String::from).collect())
                .unwrap_or_default();
            // A template that appears or disappears (or templates that fail to load) can
            // change which template any page uses.
            if old_names != new_names || !problems.is_empty() || !self.template_problems.is_empty()
            {
                changed_templates = None;
            }
            self.templates = templates;
            self.template_problems = problems;
        }

        let mut nav_changed = false;
        if !structural {
            for &i in &edited {
                match self.reread_page(i) {
                    Some(affects_nav) => nav_changed |= affects_nav,
                    None => {
                        structural = true;
                        break;
                    }
                }
            }
        }

        let old_output;
        if structural {
            let (content, problems) =
                content::load_with(self.root(), &load_options(&self.config, &self.options));
            self.content = content;
            self.content_problems = problems;
            self.render_all_markdown();
            self.rebuild_nav();
            self.render_all_templates();
            update.markdown_rendered = self.pages.len();
            update.templates_rendered = self.page_out.len();
            old_output = std::mem::take(&mut self.output);
            self.assemble();
        } else if let Some(pages) = self
            .pages_using_templates(changed_templates.as_deref())
            .filter(|_| templates_changed && !nav_changed && !assets_changed && edited.is_empty())
        {
            // Only the pages whose template is, extends, includes or imports an edited one.
            let dependents = pages;
            update.templates_rendered = self.render_templates_of(&dependents);
            match self.patch_pages(&dependents) {
                Some((changed, removed)) => {
                    update.changed = changed;
                    update.removed = removed;
                    self.collect_problems();
                    self.add_copied_changes(paths, &mut update);
                    return Ok(update);
                }
                None => {
                    old_output = std::mem::take(&mut self.output);
                    self.assemble();
                }
            }
        } else if nav_changed || templates_changed {
            if nav_changed {
                self.rebuild_nav();
            }
            self.render_all_templates();
            update.markdown_rendered = edited.len();
            update.templates_rendered = self.page_out.len();
            old_output = std::mem::take(&mut self.output);
            self.assemble();
        } else if !edited.is_empty() || assets_changed {
            update.markdown_rendered = edited.len();
            // A page's body shows in its own page and, as a summary or a person, in its
            // section's page; nothing else reads it.
            let mut dependents = edited.clone();
            dependents.extend(edited.iter().filter_map(|&i| self.content.pages[i].parent));
            update.templates_rendered = self.render_templates_of(&dependents);
            // Changed assets are only taken in by reassembling; patching the pages first
            // would put them into the Output the update is told against, unreported.
            let patched = if assets_changed {
                None
            } else {
                self.patch_pages(&dependents)
            };
            match patched {
                Some((mut changed, removed)) => {
                    // The edited pages' words are in the search index too.
                    if let Some(index) = self.search_index() {
                        let path = crate::search::INDEX_PATH.to_string();
                        if self.output.files.get(&path) != Some(&index) {
                            changed.push(path.clone());
                            self.output.files.insert(path, index);
                        }
                    }
                    update.changed = changed;
                    update.removed = removed;
                    self.collect_problems();
                    self.add_copied_changes(paths, &mut update);
                    update.css_only = css_only;
                    return Ok(update);
                }
                None => {
                    old_output = std::mem::take(&mut self.output);
                    self.assemble();
                }
            }
        } else {
            // Only files copied as they are changed (or nothing the site uses).
            self.collect_problems();
            self.add_copied_changes(paths, &mut update);
            update.css_only = css_only;
            return Ok(update);
        }
        let d = diff(&old_output, &self.output);
        update.changed = d.changed;
        update.removed = d.removed;
        update.reassembled = true;
        update.css_only = css_only;
        self.add_copied_changes(paths, &mut update);
        Ok(update)
    }

    /// The search index of the pages as rendered now, unless search is off.
    fn search_index(&self) -> Option<OutputFile> {
        if !self.config.search.enabled {
            return None;
        }
        let entries =
            self.content
                .pages
                .iter()
                .zip(&self.pages)
                .map(|(page, r)| crate::search::Entry {
                    title: &r.title,
                    url: &page.url,
                    toc: &r.markdown.toc,
                    text: &r.markdown.plain_text,
                });
        Some(OutputFile::generated(
            crate::search::build(entries),
            "generated: search index",
        ))
    }

    /// Whether a problem of loading the content is at `path` (relative to content/) or
    /// inside it: such a file was never loaded, yet its going away changes the site.
    fn content_problem_at(&self, path: &str) -> bool {
        let shown = format!("{}/{path}", self.config.content_dir.trim_end_matches('/'));
        let folder = format!("{shown}/");
        self.content_problems
            .iter()
            .any(|d| d.path == shown || d.path.starts_with(&folder))
    }

    /// Whether `path` (relative to content/) is a known page or file, or a folder holding one.
    fn knows_content_path(&self, path: &str) -> bool {
        let folder = format!("{path}/");
        self.content
            .pages
            .iter()
            .map(|p| p.content_path.as_str())
            .chain(
                self.content
                    .static_files
                    .iter()
                    .map(|f| f.content_path.as_str()),
            )
            .any(|p| p == path || p.starts_with(&folder))
    }

    /// Reads page `i` again after its file changed. `None` when the change moves or
    /// removes the page (the content tree must be rebuilt); otherwise whether navigation
    /// shows something different (title, icon, weight).
    fn reread_page(&mut self, i: usize) -> Option<bool> {
        let old = &self.content.pages[i];
        let file = SourceFile {
            content_path: old.content_path.clone(),
            abs_path: self
                .root()
                .join(&self.config.content_dir)
                .join(&old.content_path),
            kind: FileKind::Markdown,
        };
        let mut page =
            content::read_page(&file, &load_options(&self.config, &self.options)).ok()?;
        if (page.front.draft && !self.options.drafts)
            || page.url != old.url
            || page.kind != old.kind
            || page.front.aliases != old.front.aliases
        {
            return None;
        }
        page.parent = old.parent;
        page.children = old.children.clone();
        let old_weight = old.front.weight;
        self.content.pages[i] = page;
        let renderer = PageRenderer {
            config: &self.config,
            content: &self.content,
            icons: &self.icons,
            highlighter: highlighter(),
        };
        let rendered = renderer.render_markdown(&self.content.pages[i]);
        let before = &self.pages[i];
        let affects_nav = rendered.title != before.title
            || rendered.icon_html != before.icon_html
            || self.content.pages[i].front.weight != old_weight;
        self.pages[i] = rendered;
        Some(affects_nav)
    }

    /// The pages rendered with a template that depends on one of `changed`; `None` when
    /// that cannot be told page by page (every page must be rendered again, or the 404
    /// page depends on them).
    fn pages_using_templates(&self, changed: Option<&[String]>) -> Option<BTreeSet<usize>> {
        let changed = changed?;
        let templates = self.templates.as_ref()?;
        let affected = templates.dependents(changed);
        if affected.contains("404.html") {
            return None;
        }
        let ctx = self.template_input();
        let mut pages = BTreeSet::new();
        for (i, page) in self.content.pages.iter().enumerate() {
            match ctx.template_for(page, templates) {
                Ok(name) if affected.contains(&name) => {
                    pages.insert(i);
                }
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        Some(pages)
    }

    /// Renders the templates of `which` pages again; returns how many.
    fn render_templates_of(&mut self, which: &BTreeSet<usize>) -> usize {
        let Some(templates) = &self.templates else {
            return 0;
        };
        let base_path = self.config.base_path();
        let ctx = self.template_input();
        let which: Vec<usize> = which.iter().copied().collect();
        let outs: Vec<(usize, PageOut)> = which
            .par_iter()
            .map(|&i| (i, PageOut::new(ctx.render_page(templates, i), &base_path)))
            .collect();
        let count = outs.len();
        for (i, out) in outs {
            if let Some(slot) = self.page_out.get_mut(i) {
                *slot = out;
            }
        }
        count
    }

    /// Replaces the files of re-rendered pages in the Output in place. `None` when that
    /// cannot give what a full assembly would (a page now fails or succeeds, writes
    /// other paths, or paths collide): the caller reassembles.
    fn patch_pages(&mut self, which: &BTreeSet<usize>) -> Option<(Vec<String>, Vec<String>)> {
        if !self.assembly_problems.is_empty() {
            return None;
        }
        let mut changed = Vec::new();
        for &i in which {
            let out = self.page_out.get(i)?;
            let paths = out.paths();
            let Ok(files) = &out.result else {
                // Still failing: it was not in the Output before either, unless it was.
                if self.output.files.values().any(|f| {
                    f.source == self.content.pages[i].source_path
                        && matches!(f.body, Body::Bytes(_))
                }) {
                    return None;
                }
                continue;
            };
            // The page must have been in the Output with exactly these paths.
            let paths = paths?;
            let source = &self.content.pages[i].source_path;
            let before: Vec<&String> = self
                .output
                .files
                .iter()
                .filter(|(_, f)| &f.source == source)
                .map(|(p, _)| p)
                .collect();
            if before.len() != paths.len() || !paths.iter().all(|p| before.iter().any(|b| b == p)) {
                return None;
            }
            for (path, file) in files {
                if self.output.files.get(path) != Some(file) {
                    changed.push(path.clone());
                }
            }
        }
        for &i in which {
            if let Some(Ok(files)) = self.page_out.get(i).map(|o| &o.result) {
                for (path, file) in files {
                    self.output.files.insert(path.clone(), file.clone());
                }
            }
        }
        changed.sort();
        changed.dedup();
        Some((changed, Vec::new()))
    }

    /// Files served straight from disk (assets, content files) whose source is among
    /// `paths` changed although their entry in the Output did not.
    fn add_copied_changes(&self, paths: &[PathBuf], update: &mut Update) {
        for (out, file) in &self.output.files {
            if let Body::Copy(src) = &file.body {
                if paths.iter().any(|p| p == src) && !update.changed.contains(out) {
                    update.changed.push(out.clone());
                }
            }
        }
        update.changed.sort();
    }
}

/// How to read the content folder of a site with this configuration.
fn load_options(config: &Config, options: &BuildOptions) -> content::LoadOptions {
    content::LoadOptions {
        dir: config.content_dir.clone(),
        drafts: options.drafts,
        mkdocs: config.mkdocs.is_some(),
        directory_urls: config
            .mkdocs
            .as_ref()
            .is_none_or(|project| project.use_directory_urls),
    }
}

/// Output paths added or changed from `old` to `new`, and removed.
fn diff(old: &Output, new: &Output) -> Update {
    let changed = new
        .files
        .iter()
        .filter(|(p, f)| old.files.get(*p) != Some(*f))
        .map(|(p, _)| p.clone())
        .collect();
    let removed = old
        .files
        .keys()
        .filter(|p| !new.files.contains_key(*p))
        .cloned()
        .collect();
    Update {
        changed,
        removed,
        ..Update::default()
    }
}

/// Stylesheets whose output name changed between two manifests.
fn css_swaps(
    old: &crate::assets::Manifest,
    new: &crate::assets::Manifest,
) -> Vec<(String, String)> {
    new.names()
        .filter(|n| n.ends_with(".css"))
        .filter_map(|n| match (old.output_path(n), new.output_path(n)) {
            (Some(a), Some(b)) if a != b => Some((a.to_string(), b.to_string())),
            _ => None,
        })
        .collect()
}
