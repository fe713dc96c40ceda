//! The pipeline: load the site, render it in parallel, and produce the in-memory Output
//! that `build`, `serve` and `check` share.
//!
//! This file loads the inputs (configuration, icons, assets, templates) and assembles
//! the Output; the stages in between have a file each: `markdown_pass` (Markdown to
//! HTML per page), `nav` (navigation), `template_pass` (pages through their templates,
//! with the variables `template_context` defines), `sitemap`. `state` keeps every
//! stage's result so `serve` can redo only what changed: `change` tells what a changed
//! path is, `plan` how much a batch of changes makes it redo.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::assets::Assets;
use crate::config::Config;
use crate::content::{self};
use crate::diagnostics::Diagnostic;
use crate::icons::IconSet;
use crate::layout;
use crate::markdown::Highlighter;
use crate::output::{Output, OutputFile};
use crate::templates::Templates;

pub(crate) mod blog;
mod cache;
mod change;
mod git_dates;
mod languages;
mod markdown_pass;
mod mkdocs_nav;
mod nav;
mod plan;
pub(crate) mod redirects;
mod sitemap;
mod state;
mod tags;
mod template_context;
mod template_pass;
mod theme_context;

/// `serve`'s early start from the cache of its last start.
pub(crate) use cache::early::cached_pages;
/// For the link check's memo beside the build cache (`check/memo.rs`).
/// The unchanged build's input signatures (`build/unchanged.rs`).
pub(crate) use cache::inputs as cache_inputs;
pub(crate) use cache::{store as cache_store, CachedDiagnostic, Key as CacheKey, KeyHasher};
pub use state::{CacheUse, SiteState, Update};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// The build cache's folder (`ROOT/.dcrsite-cache`); none to render everything and
    /// keep nothing.
    pub cache: Option<PathBuf>,
    /// The output folder `build` writes to (its real path), which the build cache's
    /// `output.bin` describes: the cache keeps no copy of the pages' bytes the folder
    /// holds, and a page whose files are still there unchanged is taken from it. None
    /// (`serve`, `check`): the cache holds the pages' bytes itself.
    pub output: Option<PathBuf>,
}

/// A successful render: the Output and the warnings found on the way.
#[derive(Debug)]
pub struct Rendered {
    pub output: Output,
    /// The configuration the site was rendered with (`--base-url` applied).
    pub config: Config,
    /// The templates the pages were rendered with (the checker finds template links in
    /// their text).
    pub templates: Templates,
    pub warnings: Vec<Diagnostic>,
    pub page_count: usize,
    /// The build cache could not be read or written (not a warning of the site: it
    /// never fails a strict build).
    pub cache_warning: Option<Diagnostic>,
    pub cache_use: CacheUse,
    /// What `check`'s content checks read of each content page.
    pub pages: Vec<crate::check::content::PageFacts>,
    /// Each page's HTML file (by output path) and the build cache segment its page is
    /// kept in: the link memo keeps the page's parse in the shard of that number, so the
    /// pages one change renders again, neighbours in the navigation, share a few shards.
    pub places: std::sync::Arc<std::collections::HashMap<String, usize>>,
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

/// [`render_site`] for `build`: the pages are put into the spool folder `spool`
/// (`output::spool`) as they are rendered, so the Output holds no page's bytes.
/// `same` are the files the scan of the build's inputs found as the last build read them
/// (`build::unchanged`): their pages are taken from the build cache, not read again.
/// `loaded` is the configuration as the build loaded it (`Config::load` of the root),
/// not parsed again.
/// `record` is the last build's record of the output folder, as the build loaded it.
pub(crate) fn render_site_spooled(
    options: &BuildOptions,
    loaded: Option<Config>,
    spool: &std::sync::Arc<crate::output::spool::Spool>,
    same: Option<std::sync::Arc<cache_inputs::SameFiles>>,
    record: Option<&crate::output::record::OutputRecord>,
) -> Result<Rendered, Vec<Diagnostic>> {
    SiteState::load_spooled_with(options, loaded, Some(spool.clone()), same, record)?
        .into_rendered()
}

/// Stage: `site.yaml` (or `loaded`, what [`Config::load`] gave for the root), with
/// `--base-url` applied. Fatal when it fails.
fn load_config(options: &BuildOptions, loaded: Option<Config>) -> Result<Config, Vec<Diagnostic>> {
    let root = options.root.as_path();
    if !root.is_dir() {
        return Err(vec![Diagnostic::error(
            root.display().to_string(),
            "site root does not exist or is not a folder",
        )
        .with_help("pass --root with the folder that holds site.yaml")]);
    }
    let mut config = match loaded {
        Some(config) => config,
        None => Config::load(root).map_err(|d| vec![d])?,
    };
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
    let icons_dir = root.join(config.layout().icons());
    // Icons are read into pages: their folder may not lead outside the site either.
    content::inside::Inside::new(root)
        .check(&icons_dir)
        .map_err(|outside| vec![outside.diagnostic()])?;
    IconSet::load(
        &icons_dir,
        &format!("/{}", config.icons.dir.trim_matches('/')),
        &config.icons.class,
        config.icons.inline,
    )
    .map_err(|e| {
        vec![Diagnostic::error(
            content::walk::display_path(&icons_dir, root),
            format!("cannot read the icon folder: {e}"),
        )]
    })
}

/// Stage: the theme's static files, the site's assets and the generated syntax stylesheet.
fn load_assets(root: &Path, config: &Config) -> (Assets, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let theme_static = root.join(config.layout().theme_static());
    let site_assets = root.join(layout::ASSETS);
    let mut assets = Assets::collect(root, &[&theme_static, &site_assets]).unwrap_or_else(|p| {
        problems.extend(p);
        Assets::default()
    });
    if crate::theme::use_built_in(root, &config.theme) {
        // The site's own assets override the theme's, as they would a theme folder's.
        let shown = content::walk::display_path(&theme_static, root);
        for (name, bytes) in crate::theme::files(layout::STATIC) {
            if assets.manifest.output_path(name).is_none() {
                assets.add_bytes(name, bytes.to_vec(), format!("{shown}/{name} (built in)"));
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
    use std::collections::btree_map::Entry;
    // The path and source are copied only for the message (every file of a site passes
    // here in each build).
    match output.files.entry(path) {
        Entry::Vacant(place) => {
            place.insert(file);
        }
        Entry::Occupied(taken) => problems.push(
            Diagnostic::error(
                file.source,
                format!(
                    "output file {} is also written by {}",
                    taken.key(),
                    taken.get().source
                ),
            )
            .with_help("rename one of them, or change its `slug` or `aliases`"),
        ),
    }
}

/// The files one page renders to, or why it could not.
type PageFiles = Result<Vec<(String, OutputFile)>, Vec<Diagnostic>>;
