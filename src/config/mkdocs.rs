//! `mkdocs.yml`: an MkDocs project read as a dcrsite configuration, so existing MkDocs
//! sites build unmodified with the decred theme.
//!
//! MkDocs accepts many keys for its own themes and plugins; the ones dcrsite has no use
//! for are ignored (not errors), because the point is to build the project as it stands.
//! `!ENV [VAR, default]` reads the environment (`env_tag`); other YAML tags MkDocs uses
//! (`!!python/name:…`) are read as plain values: serde_yaml gives them as `Value::Tagged`.

mod blocks;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde_yaml::Value;

use super::validation::Validation;
use super::{Config, NavEntry};
use crate::content::docs_rules::{DocsPatterns, DocsRules};
use crate::diagnostics::{position_of, Diagnostic, LineIndex};
use crate::layout;
use crate::markdown::mkdocs::{code, Dialect};
use crate::markdown::slugs::Slugify;

pub const MKDOCS_FILE: &str = "mkdocs.yml";

/// What an MkDocs project asks for beyond the common configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MkDocsProject {
    /// The folder holding the pages, from the project folder (`docs` when not given).
    /// As written until `resolve_docs_dir` checks it.
    pub docs_dir: String,
    pub use_directory_urls: bool,
    /// Root-relative URLs of `extra_css` / `extra_javascript` (files in docs_dir or
    /// absolute URLs).
    pub extra_css: Vec<String>,
    pub extra_javascript: Vec<String>,
    /// Where each URL of `extra_css` / `extra_javascript` is written (file, line, column
    /// of its entry: mkdocs.yml or a file it inherits): the URL differs from the entry
    /// (`css/a.css` is shown as `/css/a.css`), and a broken one is fixed there.
    pub extra_places: BTreeMap<String, (String, usize, usize)>,
    /// HTML, as MkDocs writes it into the footer.
    pub copyright: Option<String>,
    pub repo_url: Option<String>,
    pub repo_name: Option<String>,
    /// Folders `mkdocs serve` watches besides `docs_dir` (its `watch:` list).
    pub watch: Vec<String>,
    pub dialect: Dialect,
    /// Where `build` writes the site, from the project folder (`site` when not given).
    pub site_dir: String,
    /// `strict: true`: warnings fail `build`.
    pub strict: bool,
    /// `exclude_docs`, `not_in_nav`, `draft_docs`.
    pub docs_patterns: DocsPatterns,
    /// `validation:`: which warnings count.
    pub validation: Validation,
    /// `validation: content:`: how loud `check`'s content checks are.
    pub content_checks: super::content_checks::ContentChecks,
    /// The files mkdocs.yml `INHERIT`s, nearest first, relative to the project folder.
    pub inherited: Vec<String>,
}

/// Where `mkdocs build` writes the site unless `site_dir` says otherwise.
pub const MKDOCS_SITE_DIR: &str = "site";

/// Markdown extensions dcrsite implements (by their short and `markdown.extensions.` names).
const SUPPORTED: &[&str] = &[
    "footnotes",
    "smarty",
    "admonition",
    "toc",
    "tables",
    "attr_list",
    "def_list",
    "fenced_code",
    "sane_lists",
    "abbr",
    "md_in_html",
    "meta",
    "codehilite",
    "pymdownx.snippets",
    "pymdownx.details",
    "pymdownx.tilde",
    "pymdownx.caret",
    "pymdownx.mark",
    "pymdownx.emoji",
    "pymdownx.tabbed",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.arithmatex",
    "pymdownx.tasklist",
    "pymdownx.betterem",
    "pymdownx.magiclink",
    "pymdownx.saneheaders",
    // `:fa-name:` icons degrade to hidden elements, like pymdownx.emoji's.
    "fontawesome_markdown",
];

/// A YAML value with any tag taken off (`!ENV [X, false]` → `[X, false]`).
pub(super) fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        other => other,
    }
}

fn string(v: Option<&Value>) -> Option<String> {
    match untag(v?) {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses `mkdocs.yml`. Warnings (unsupported extensions, unusable values) are returned
/// beside the configuration; only YAML that cannot be read at all is an error.
pub fn parse(text: &str) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
    let root: Value = crate::yaml::parse(text, MKDOCS_FILE, 0)?;
    from_yaml(
        &super::env_tag::resolve(root, &super::env_tag::from_process),
        text,
        &[],
    )
}

/// Parses the project's `mkdocs.yml` with the files it `INHERIT`s (read from `dir`).
pub fn parse_project(dir: &Path, text: &str) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
    let root: Value = crate::yaml::parse(text, MKDOCS_FILE, 0)?;
    let (root, parents) = super::inherit::resolve(dir, MKDOCS_FILE, root)?;
    let root = super::env_tag::resolve(root, &super::env_tag::from_process);
    let (mut config, mut warnings) = from_yaml(&root, text, &parents)?;
    config.theme_settings.announce =
        super::theme_settings::mkdocs::announce(dir, &root, &mut warnings);
    Ok((config, warnings))
}

/// The configuration from `mkdocs.yml`'s YAML (`text` is the file, for positions; `parents`
/// the files it inherits, nearest first).
fn from_yaml(
    root: &Value,
    text: &str,
    parents: &[(String, String)],
) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
    let root = untag(root);
    if !root.is_mapping() && !root.is_null() {
        return Err(
            Diagnostic::error(MKDOCS_FILE, "mkdocs.yml is not a mapping of keys")
                .with_help("start with `site_name: My Docs`"),
        );
    }
    let mut warnings = Vec::new();
    let mut config = site_settings(root, text, &mut warnings)?;
    let mut project = project_settings(root, text, parents)?;
    project.inherited = parents.iter().map(|(file, _)| file.clone()).collect();
    build_settings(root, text, &mut project, &mut warnings);
    let files: Vec<(&str, &str)> = std::iter::once((MKDOCS_FILE, text))
        .chain(parents.iter().map(|(f, t)| (f.as_str(), t.as_str())))
        .collect();
    warnings.extend(super::plugin_warnings::unrendered(root, &files));
    let dialect = &mut project.dialect;
    dialect.enabled = true;
    // Python-Markdown's punctuation stays straight unless `smarty` is listed.
    config.markdown.smart_punctuation = false;
    // MkDocs itself leaves `{{ name }}` as written; the plugins that render pages as
    // templates with `extra` (markdownextradata, macros) substitute it.
    if plugins_named(root).any(|n| n == "markdownextradata" || n == "macros") {
        dialect.variables = config.extra.clone();
    }
    dialect.macros = plugins_named(root).any(|n| n == "macros");
    markdown_extensions(root, text, dialect, &mut warnings);
    dialect.code.annotate = theme_features(root).any(|f| f == "content.code.annotate");
    if dialect.macros {
        dialect.variables = config.extra.clone();
    }
    super::mkdocs_plugins::read(root, text, &mut config, &mut project.dialect, &mut warnings);
    config.source_file = MKDOCS_FILE.to_string();
    config.source_text = text.to_string();
    config.theme_settings = super::theme_settings::from_mkdocs(root, text, &mut warnings);
    // The pages show the logo and favicon as site URLs; a broken one is fixed where written.
    let settings = &config.theme_settings;
    for path in [&settings.logo, &settings.favicon].into_iter().flatten() {
        if let Some(at) = crate::yaml::find_value(text, path) {
            let (line, column) = LineIndex::new(text).position(at);
            let place = (MKDOCS_FILE.to_string(), line, column);
            let url = super::theme_settings::site_url(path);
            project.extra_places.entry(url).or_insert(place);
        }
    }
    config.mkdocs = Some(project);
    if let Some(language) = super::theme_settings::mkdocs::language(root) {
        config.language = language;
    }
    Ok((config, warnings))
}

/// A warning about `mkdocs.yml`, at the first place `needle` is written.
fn warning(text: &str, needle: &str, message: String) -> Diagnostic {
    Diagnostic::warning(MKDOCS_FILE, message).at_position(position_of(text, needle))
}

/// The settings every site has: title, URL, pages folder, `extra`, navigation, search.
fn site_settings(
    root: &Value,
    text: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Config, Diagnostic> {
    let get = |k: &str| root.get(k).map(untag);
    let mut config = Config {
        title: string(get("site_name")).unwrap_or_default(),
        description: string(get("site_description")).unwrap_or_default(),
        ..Config::default()
    };
    if let Some(url) = string(get("site_url")).filter(|u| !u.is_empty()) {
        match super::parse_base_url(&url) {
            Ok(_) => config.base_url = with_slash(url),
            Err(msg) => warnings.push(warning(text, "site_url", format!("{msg}; using `/`"))),
        }
    }
    config.extra = serde_json::to_value(strip_tags(get("extra").unwrap_or(&Value::Null)))
        .unwrap_or(serde_json::Value::Null);
    if !config.extra.is_object() {
        config.extra = serde_json::Value::Object(Default::default());
    }
    if let Some(nav) = get("nav") {
        config.nav = Some(nav_entries(nav, text, warnings));
    }
    if get("plugins").is_some() {
        config.search.enabled = plugins_named(root).any(|n| n == "search");
    }
    Ok(config)
}

fn with_slash(url: String) -> String {
    if url.ends_with('/') {
        url
    } else {
        format!("{url}/")
    }
}

/// `docs_dir` as written; `resolve_docs_dir` checks it against the project folder.
fn docs_dir(value: Option<&Value>, text: &str) -> Result<String, Diagnostic> {
    match value {
        None | Some(Value::Null) => Ok(layout::MKDOCS_DOCS.to_string()),
        Some(v) => string(Some(v)).ok_or_else(|| {
            Diagnostic::error(MKDOCS_FILE, "docs_dir must be a folder name")
                .at_position(crate::yaml::key_position(text, "docs_dir"))
                .with_help("write the folder that holds the pages, as in `docs_dir: docs`")
        }),
    }
}

/// The names in `plugins:`, a list (`- search`, `- social: {…}`) or a mapping. MkDocs'
/// default plugins are just `search`: a `plugins` entry without it turns search off.
/// The names listed in `theme.features`.
fn theme_features(root: &Value) -> impl Iterator<Item = &str> + '_ {
    let features = root.get("theme").map(untag).and_then(|t| t.get("features"));
    let list = match features.map(untag) {
        Some(Value::Sequence(list)) => list.as_slice(),
        _ => &[],
    };
    list.iter().filter_map(|f| untag(f).as_str())
}

fn plugins_named(root: &Value) -> impl Iterator<Item = String> + '_ {
    let entries: Vec<&Value> = match root.get("plugins").map(untag) {
        Some(Value::Sequence(list)) => list.iter().collect(),
        Some(Value::Mapping(map)) => map.keys().collect(),
        _ => Vec::new(),
    };
    entries.into_iter().filter_map(|p| match untag(p) {
        Value::String(s) => Some(s.clone()),
        Value::Mapping(m) => m.keys().next().and_then(|k| string(Some(k))),
        _ => None,
    })
}

/// What only an MkDocs project has: pages folder, URLs style, extra CSS and scripts,
/// footer, repository, watched folders. The Markdown dialect is set by
/// `markdown_extensions`.
fn project_settings(
    root: &Value,
    text: &str,
    parents: &[(String, String)],
) -> Result<MkDocsProject, Diagnostic> {
    let get = |k: &str| root.get(k).map(untag);
    let mut project = MkDocsProject {
        docs_dir: docs_dir(get("docs_dir"), text)?,
        use_directory_urls: !matches!(get("use_directory_urls"), Some(Value::Bool(false))),
        copyright: string(get("copyright")),
        repo_url: string(get("repo_url")),
        repo_name: string(get("repo_name")),
        ..MkDocsProject::default()
    };
    if let Some(Value::Sequence(items)) = get("watch") {
        project.watch = items.iter().filter_map(|i| string(Some(i))).collect();
    }
    for (key, list) in [
        ("extra_css", &mut project.extra_css),
        ("extra_javascript", &mut project.extra_javascript),
    ] {
        if let Some(Value::Sequence(items)) = get(key) {
            // The list is the nearest file's that has the key: a child's replaces its
            // parent's.
            let (file, file_text) = std::iter::once((MKDOCS_FILE, text))
                .chain(parents.iter().map(|(f, t)| (f.as_str(), t.as_str())))
                .find(|(_, t)| crate::yaml::key_position(t, key).is_some())
                .unwrap_or((MKDOCS_FILE, text));
            for item in items {
                // MkDocs 1.5 allows `- path: x.js` mappings as well as plain strings.
                let path = string(Some(item)).or_else(|| string(untag(item).get("path")));
                if let Some(p) = path {
                    let url = asset_url(&p);
                    if let Some((line, column)) = entry_position(file_text, key, &p) {
                        let place = (file.to_string(), line, column);
                        project.extra_places.entry(url.clone()).or_insert(place);
                    }
                    list.push(url);
                }
            }
        }
    }
    Ok(project)
}

/// `site_dir`, `strict`, `exclude_docs` / `not_in_nav` / `draft_docs` and `validation`:
/// what is built, where, and which warnings count.
fn build_settings(
    root: &Value,
    text: &str,
    project: &mut MkDocsProject,
    warnings: &mut Vec<Diagnostic>,
) {
    let get = |k: &str| root.get(k).map(untag);
    project.site_dir = string(get("site_dir"))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| MKDOCS_SITE_DIR.to_string());
    project.strict = matches!(get("strict"), Some(Value::Bool(true)));
    let patterns = &mut project.docs_patterns;
    for (key, field) in [
        ("exclude_docs", &mut patterns.exclude_docs),
        ("not_in_nav", &mut patterns.not_in_nav),
        ("draft_docs", &mut patterns.draft_docs),
    ] {
        match get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(lines)) => *field = lines.clone(),
            Some(_) => warnings.push(
                warning(
                    text,
                    &format!("{key}:"),
                    format!("`{key}` must be a block of gitignore-style lines; ignored"),
                )
                .with_help(format!(
                    "write it as `{key}: |` followed by one pattern a line"
                )),
            ),
        }
    }
    for bad in DocsRules::new(&project.docs_patterns).1 {
        let key = bad.split(':').next().unwrap_or("").to_string();
        warnings.push(warning(text, &format!("{key}:"), bad));
    }
    project.validation = Validation::read(root, text, warnings);
    project.content_checks =
        super::content_checks::ContentChecks::read_mkdocs(root, text, warnings);
}

/// Line and column of `value` written as an entry of top-level key `key`.
fn entry_position(text: &str, key: &str, value: &str) -> Option<(usize, usize)> {
    let (key_line, _) = crate::yaml::key_position(text, key)?;
    let start: usize = text
        .split_inclusive('\n')
        .take(key_line - 1)
        .map(str::len)
        .sum();
    let at = start + crate::yaml::find_value(&text[start..], value)?;
    Some(LineIndex::new(text).position(at))
}

/// `markdown_extensions`: each one dcrsite implements switches on its part of the
/// dialect; any other is warned about, its syntax left as plain Markdown.
fn markdown_extensions(
    root: &Value,
    text: &str,
    dialect: &mut Dialect,
    warnings: &mut Vec<Diagnostic>,
) {
    for (name, options) in extension_entries(root) {
        let short = name
            .strip_prefix("markdown.extensions.")
            .unwrap_or(&name)
            .to_string();
        warnings.extend(super::extension_options::unhonoured(&short, &options, text));
        if !enable_extension(dialect, &short, &options, text, warnings) {
            warnings.push(warning(
                text,
                &name,
                format!("Markdown extension `{name}` is not supported; its syntax is rendered as plain Markdown"),
            ));
        }
    }
}

/// Whether dcrsite renders the Markdown extension `name` (short or `markdown.extensions.`
/// name): what it claims, the one answer `parse` warns by (the conformance report reads it).
pub fn claims_extension(name: &str) -> bool {
    let short = name.strip_prefix("markdown.extensions.").unwrap_or(name);
    enable_extension(
        &mut Dialect::default(),
        short,
        &Value::Null,
        "",
        &mut Vec::new(),
    )
}

/// Switches on extension `short` with `options`; false when dcrsite does not render it.
fn enable_extension(
    dialect: &mut Dialect,
    short: &str,
    options: &Value,
    text: &str,
    warnings: &mut Vec<Diagnostic>,
) -> bool {
    if short == "pymdownx.tabbed" {
        tab_ids(dialect, options, text, warnings);
    }
    if blocks::enable(dialect, short, options) {
        return true;
    }
    match short {
        // Both code blocks and inline code (inlinehilite) read highlight's options.
        "pymdownx.highlight" => {
            code::highlight_options(dialect, options);
            crate::markdown::mkdocs::configure_inline(dialect, short, options);
        }
        // serde_yaml drops `!!python/name:` tags: the index's name is read from the line.
        "pymdownx.emoji" => {
            let mut options = options.clone();
            let index = super::extension_options::python_name(text, short, "emoji_index");
            if let (Some(index), Value::Mapping(map)) = (index, &mut options) {
                map.insert("emoji_index".into(), Value::String(index));
            }
            crate::markdown::mkdocs::configure_inline(dialect, short, &options);
        }
        n if crate::markdown::mkdocs::configure_inline(dialect, n, options) => {}
        "admonition" => dialect.admonition = true,
        "pymdownx.details" => dialect.details = true,
        "mdx_include" => {
            dialect.mdx_include = true;
            let get = |k: &str| options.get(k).map(untag);
            dialect.mdx = crate::markdown::mkdocs::mdx_include::MdxOptions::read(get);
        }
        "zensical.extensions.macros" => dialect.macros = true,
        "markdown_include_variants" => dialect.include_variants = true,
        "attr_list" => dialect.attr_list = true,
        "footnotes" => dialect.footnotes = Some(crate::markdown::FootnoteOptions::read(options)),
        "pymdownx.arithmatex" => dialect.math = true,
        "pymdownx.superfences" => {
            // serde_yaml drops `!!python/name:` tags: each fence's format is read from its line.
            let formats = super::extension_options::python_names(text, short, "format");
            let mut options = options.clone();
            if let Some(Value::Sequence(fences)) = options.get_mut("custom_fences") {
                let written = fences.iter_mut().filter_map(|f| f.get_mut("format"));
                for (slot, format) in written.zip(formats) {
                    *slot = Value::String(format);
                }
            }
            code::superfences_options(dialect, &options)
        }
        "fenced_code" => code::fenced_code_options(dialect, options),
        "pymdownx.snippets" => snippets(dialect, options),
        "toc" => toc(dialect, options, text, warnings),
        _ => return SUPPORTED.contains(&short),
    }
    true
}

/// `markdown_extensions` as a list (`- name`, `- name: {options}`) or as a mapping
/// (`name:` or `name: {options}`, the FastAPI family's style), in the order written.
fn extension_entries(root: &Value) -> Vec<(String, Value)> {
    match root.get("markdown_extensions").map(untag) {
        Some(Value::Sequence(exts)) => exts.iter().filter_map(name_and_options).collect(),
        Some(Value::Mapping(map)) => map
            .iter()
            .filter_map(|(k, v)| Some((string(Some(k))?, untag(v).clone())))
            .collect(),
        _ => Vec::new(),
    }
}

/// An entry of `markdown_extensions`: `- name`, or `- name: {options}`.
fn name_and_options(ext: &Value) -> Option<(String, Value)> {
    match untag(ext) {
        Value::String(s) => Some((s.clone(), Value::Null)),
        Value::Mapping(m) if m.len() == 1 => {
            let (k, v) = m.iter().next().expect("one entry");
            Some((string(Some(k)).unwrap_or_default(), untag(v).clone()))
        }
        _ => None,
    }
}

/// `pymdownx.snippets`: its folders (the project folder by default) and `check_paths`.
fn snippets(dialect: &mut Dialect, options: &Value) {
    dialect.snippets = true;
    dialect.snippet_check_paths = matches!(
        options.get("check_paths").map(untag),
        Some(Value::Bool(true))
    );
    dialect.snippet_dedent = matches!(
        options.get("dedent_subsections").map(untag),
        Some(Value::Bool(true))
    );
    dialect.snippet_base = match options.get("base_path").map(untag) {
        Some(Value::Sequence(paths)) => paths.iter().filter_map(|p| string(Some(p))).collect(),
        Some(v) => string(Some(v)).into_iter().collect(),
        None => vec![".".to_string()],
    };
}

/// `toc`: permalinks, and how heading ids are made (`separator`, `slugify`).
fn toc(dialect: &mut Dialect, options: &Value, text: &str, warnings: &mut Vec<Diagnostic>) {
    if let Some(p) = options.get("permalink").map(untag) {
        dialect.toc_permalink = !matches!(p, Value::Bool(false));
        dialect.toc_permalink_text = string(Some(p)).filter(|t| t != "true");
    }
    if let Some(sep) = string(options.get("separator")) {
        dialect.toc_ids.separator = sep;
    }
    toc_markup(&mut dialect.toc, options);
    if options.get("slugify").is_some() {
        let after = text
            .find("\n  - toc:")
            .or_else(|| text.find("\n  toc:"))
            .unwrap_or(0);
        match toc_slugify(&text[after..], options.get("slugify").map(untag)) {
            Ok(slugify) => dialect.toc_ids.slugify = slugify,
            Err(name) => warnings.push(warning(
                text,
                "slugify",
                format!("toc: slugify `{name}` is not one dcrsite knows; heading ids use Python-Markdown's default (links to this project's anchors may not match)"),
            )),
        }
    }
}

/// `toc`'s options for the headings' and the table of contents' markup.
fn toc_markup(m: &mut crate::markdown::mkdocs::toc::TocMarkup, options: &Value) {
    let text = |key: &str| string(options.get(key));
    let flag = |key: &str| match options.get(key).map(untag) {
        Some(Value::Bool(b)) => Some(*b),
        Some(v) => string(Some(v))
            .map(|s| matches!(s.to_lowercase().as_str(), "true" | "yes" | "y" | "on" | "1")),
        None => None,
    };
    for (key, field) in [
        ("permalink_class", &mut m.permalink_class),
        ("permalink_title", &mut m.permalink_title),
        ("anchorlink_class", &mut m.anchorlink_class),
        ("marker", &mut m.marker),
        ("title", &mut m.title),
        ("title_class", &mut m.title_class),
        ("toc_class", &mut m.toc_class),
    ] {
        if let Some(v) = text(key) {
            *field = v;
        }
    }
    m.permalink_leading = flag("permalink_leading").unwrap_or(m.permalink_leading);
    m.anchorlink = flag("anchorlink").unwrap_or(m.anchorlink);
    if let Some(level) = text("baselevel").and_then(|b| b.trim().parse::<u8>().ok()) {
        m.baselevel = level.clamp(1, 6);
    }
    // `toc_depth`: `3` (levels 1 to 3) or `"2-4"`.
    if let Some(depth) = text("toc_depth") {
        let (top, bottom) = depth.split_once('-').unwrap_or(("1", &depth));
        if let (Ok(top), Ok(bottom)) = (top.trim().parse(), bottom.trim().parse()) {
            m.depth = (top, bottom);
        }
    }
}

/// `pymdownx.tabbed`'s `slugify`, `separator` and `combine_header_slug`: tab ids.
fn tab_ids(dialect: &mut Dialect, options: &Value, text: &str, warnings: &mut Vec<Diagnostic>) {
    if options.get("slugify").is_none() {
        return;
    }
    let after = text.find("pymdownx.tabbed").unwrap_or(0);
    match toc_slugify(&text[after..], options.get("slugify").map(untag)) {
        Ok(slugify) => {
            dialect.tab_ids = Some(crate::markdown::mkdocs::tab_ids::TabIds {
                ids: crate::markdown::slugs::TocIds {
                    slugify,
                    separator: string(options.get("separator")).unwrap_or_else(|| "-".into()),
                },
                combine_header_slug: matches!(
                    options.get("combine_header_slug").map(untag),
                    Some(Value::Bool(true))
                ),
            })
        }
        Err(name) => warnings.push(warning(
            text,
            "slugify",
            format!("pymdownx.tabbed: slugify `{name}` is not one dcrsite knows; tabs keep numbered ids"),
        )),
    }
}

/// Checks `docs_dir` (as written) against the project folder `root` and replaces it by
/// its path from there: like `mkdocs build`, a folder that is
/// missing, is a file or is the project folder itself is an error, and so (unlike MkDocs,
/// as dcrsite reads nothing outside the site) is one outside the project, by `..`, an
/// absolute path or a symlink. The error points at the `docs_dir:` line.
pub fn resolve_docs_dir(root: &Path, config: &mut Config) -> Result<(), Diagnostic> {
    let Some(written) = config.mkdocs.as_ref().map(|p| p.docs_dir.clone()) else {
        return Ok(());
    };
    let error = |message: String, help: &str| {
        Diagnostic::error(MKDOCS_FILE, message)
            .at_position(crate::yaml::key_position(&config.source_text, "docs_dir"))
            .with_help(help)
    };
    let outside = || {
        error(
            format!("docs_dir `{written}` is outside the project"),
            "dcrsite reads only files inside the project (the folder holding mkdocs.yml): move the pages into a folder there",
        )
    };
    let itself = || {
        error(
            format!("docs_dir `{written}` is the project folder itself"),
            "MkDocs refuses this too: put the pages in a folder beside mkdocs.yml, such as `docs`",
        )
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // `..` resolved by name first, so a folder outside is refused whether or not it exists.
    let mut dir = root.clone();
    for part in Path::new(&written).components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                dir.pop();
            }
            Component::Normal(p) => dir.push(p),
            Component::RootDir | Component::Prefix(_) => dir = PathBuf::from(part.as_os_str()),
        }
    }
    if !dir.starts_with(&root) {
        return Err(outside());
    }
    if dir == root {
        return Err(itself());
    }
    if !dir.is_dir() {
        let help = if dir.exists() {
            "it names a file: docs_dir is the folder that holds the pages (MkDocs' default is `docs`)"
        } else {
            "create the folder, or set docs_dir to the folder beside mkdocs.yml that holds the pages (MkDocs' default is `docs`)"
        };
        return Err(error(format!("docs_dir `{written}` is not a folder"), help));
    }
    match dir.canonicalize() {
        Ok(real) if real == root => return Err(itself()),
        Ok(real) if !real.starts_with(&root) => return Err(outside()),
        _ => {}
    }
    let relative = dir.strip_prefix(&root).unwrap_or(&dir);
    let resolved = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if let Some(project) = &mut config.mkdocs {
        project.docs_dir = resolved;
    }
    // The layout names the pages folder: one computed before this is out of date.
    config.layout.take();
    Ok(())
}

/// The `slugify` of the `toc` extension. serde_yaml drops `!!python/…` tags (they are
/// in YAML's standard tag namespace), so the function's name is read from the line
/// itself: `slugify: !!python/name:pymdownx.slugs.uslugify` or
/// `slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}`.
/// `Err` carries what was written, for the warning.
fn toc_slugify(text: &str, value: Option<&Value>) -> Result<Slugify, String> {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("slugify:"))
        .unwrap_or("");
    let written = line.trim_start().trim_start_matches("slugify:").trim();
    let path = ["!!python/name:", "!!python/object/apply:"]
        .iter()
        .find_map(|tag| written.strip_prefix(tag))
        .map(|rest| {
            rest.split(|c: char| c.is_whitespace() || c == '{')
                .next()
                .unwrap_or("")
        })
        .ok_or_else(|| written.to_string())?;
    let kwds = value.and_then(|v| untag(v).get("kwds")).map(untag);
    let kwarg = |k: &str| string(kwds.and_then(|m| m.get(k)));
    Slugify::from_python(path, &kwarg).ok_or_else(|| path.to_string())
}

/// `css/x.css` → `/css/x.css`; absolute URLs stay as they are.
fn asset_url(path: &str) -> String {
    if crate::content::urls::has_scheme(path) || path.starts_with("//") || path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{}", path.trim_start_matches("./"))
    }
}

/// The same YAML with every tag removed, so it converts to JSON.
fn strip_tags(v: &Value) -> Value {
    match untag(v) {
        Value::Sequence(items) => Value::Sequence(items.iter().map(strip_tags).collect()),
        Value::Mapping(m) => Value::Mapping(
            m.iter()
                .map(|(k, v)| (strip_tags(k), strip_tags(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// MkDocs `nav`: `- page.md`, `- Title: page.md`, `- Title: https://…`, `- Title: [..]`.
fn nav_entries(v: &Value, text: &str, warnings: &mut Vec<Diagnostic>) -> Vec<NavEntry> {
    let Value::Sequence(items) = untag(v) else {
        warnings.push(
            Diagnostic::warning(
                MKDOCS_FILE,
                "`nav` is not a list; navigation is built from the files",
            )
            .at_position(position_of(text, "nav:")),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| nav_entry(item, text, warnings))
        .collect()
}

fn nav_entry(item: &Value, text: &str, warnings: &mut Vec<Diagnostic>) -> Option<NavEntry> {
    // A page path or a URL (sequences are handled below, as groups).
    let entry = |title: Option<String>, target: &Value| -> NavEntry {
        let t = string(Some(target)).unwrap_or_default();
        let external = crate::content::urls::has_scheme(&t) || t.starts_with('/');
        NavEntry {
            page: (!external).then(|| t.clone()),
            url: external.then_some(t),
            title,
            icon: None,
            children: Vec::new(),
        }
    };
    match untag(item) {
        Value::String(_) => Some(entry(None, item)),
        Value::Mapping(m) if m.len() == 1 => {
            let (k, v) = m.iter().next()?;
            let title = string(Some(k));
            if let Value::Sequence(_) = untag(v) {
                Some(NavEntry {
                    page: None,
                    url: None,
                    title: title.or(Some(String::new())),
                    icon: None,
                    children: nav_entries(v, text, warnings),
                })
            } else if untag(v).is_null() {
                // `- Section:` with nothing under it: an empty group, as MkDocs shows it.
                Some(NavEntry {
                    page: None,
                    url: None,
                    title,
                    icon: None,
                    children: Vec::new(),
                })
            } else {
                Some(entry(title, v))
            }
        }
        _ => {
            warnings.push(
                Diagnostic::warning(
                    MKDOCS_FILE,
                    "a `nav` entry is neither `page.md` nor `Title: …`; skipped",
                )
                .at_position(position_of(text, "nav:")),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_exactly_the_extensions_it_does_not_warn_about() {
        for name in [
            "toc",
            "markdown.extensions.abbr",
            "pymdownx.keys",
            "pymdownx.snippets",
        ] {
            assert!(claims_extension(name), "{name}");
        }
        for name in ["wikilinks", "pymdownx.fancylists", "nosuch.ext"] {
            assert!(!claims_extension(name), "{name}");
            let yml = format!("site_name: d\nmarkdown_extensions:\n  - {name}\n");
            let (_, warnings) = parse(&yml).unwrap();
            assert!(warnings[0].message.contains("is not supported"), "{name}");
        }
    }

    #[test]
    fn reads_an_mkdocs_project() {
        let (c, warnings) = parse(
            "site_name: Docs\nsite_url: https://example.org/d\ndocs_dir: src\nextra:\n  v: 1.2\nplugins:\n  - search\n  - social:\n      enabled: !ENV [CARDS, false]\nmarkdown_extensions:\n  - admonition\n  - pymdownx.snippets:\n      base_path: snips\n      check_paths: true\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n  - nosuch.ext\nextra_css:\n  - css/a.css\nnav:\n  - Home: index.md\n  - Group:\n    - a.md\n    - Ext: https://x.org\n  - Empty:\n",
        )
        .unwrap();
        assert_eq!(c.title, "Docs");
        assert_eq!(c.base_path(), "/d/");
        assert_eq!(c.layout().content(), "src");
        assert!(c.search.enabled);
        assert_eq!(c.extra["v"], serde_json::json!(1.2));
        let p = c.mkdocs.as_ref().unwrap();
        assert!(p.dialect.admonition && p.dialect.snippets && p.dialect.snippet_check_paths);
        assert_eq!(p.dialect.snippet_base, vec!["snips".to_string()]);
        assert_eq!(p.extra_css, vec!["/css/a.css".to_string()]);
        let nav = c.nav.as_ref().unwrap();
        assert_eq!(nav[0].page.as_deref(), Some("index.md"));
        assert_eq!(nav[1].children[0].page.as_deref(), Some("a.md"));
        assert_eq!(nav[1].children[1].url.as_deref(), Some("https://x.org"));
        assert_eq!(nav[2].title.as_deref(), Some("Empty"));
        // `social` is switched off (`enabled: !ENV [CARDS, false]`): not warned about.
        // pymdownx.emoji without a generator makes CDN images in MkDocs: warned.
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].message.contains("pymdownx.emoji.to_png"));
        assert_eq!(warnings[0].line, Some(15));
        assert!(warnings[1].message.contains("nosuch.ext"));
        assert_eq!(warnings[1].line, Some(17));
    }

    #[test]
    fn the_code_annotate_feature_annotates_every_code_block() {
        let annotate = |yml: &str| parse(yml).unwrap().0.mkdocs.unwrap().dialect.code.annotate;
        assert!(!annotate("site_name: x\ntheme:\n  name: material\n"));
        assert!(annotate(
            "site_name: x\ntheme:\n  name: material\n  features:\n    - navigation.tabs\n    - content.code.annotate\n"
        ));
    }

    #[test]
    fn site_dir_strict_file_patterns_and_validation() {
        let (c, w) = parse("site_name: x\n").unwrap();
        assert!(w.is_empty(), "{w:?}");
        let p = c.mkdocs.as_ref().unwrap();
        assert_eq!((p.site_dir.as_str(), p.strict), ("site", false));
        assert_eq!(c.output_dir(Path::new("r")), Path::new("r/site"));
        let (c, w) = parse("site_name: x\nsite_dir: out/html\nstrict: true\nexclude_docs: |\n  *.py\nnot_in_nav: [a.md]\nvalidation:\n  omitted_files: ignore\n").unwrap();
        let p = c.mkdocs.as_ref().unwrap();
        assert_eq!(c.output_dir(Path::new("r")), Path::new("r/out/html"));
        assert!(p.strict);
        assert_eq!(p.docs_patterns.exclude_docs, "*.py\n");
        assert!(c.docs_rules().unwrap().excluded("hooks.py"));
        assert_eq!(
            p.validation.level(crate::diagnostics::Kind::NotInNav),
            Some(super::super::validation::Level::Ignore)
        );
        // MkDocs wants a block of lines; a list is warned about at its key.
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].line, Some(6));
        assert!(w[0].message.contains("not_in_nav"), "{}", w[0].message);
    }

    #[test]
    fn env_tags_read_the_environment_or_their_default() {
        // A name no environment sets: the default is used.
        let (c, _) = parse("site_name: !ENV [DCRSITE_TEST_UNSET_NAME_1, Fallback]\nstrict: !ENV [DCRSITE_TEST_UNSET_NAME_2, true]\nsite_url: !ENV DCRSITE_TEST_UNSET_NAME_3\n").unwrap();
        assert_eq!(c.title, "Fallback");
        assert!(c.mkdocs.as_ref().unwrap().strict);
        assert_eq!(c.base_url, "/");
        let path = std::env::var("PATH").unwrap();
        let (c, _) = parse("site_name: !ENV [DCRSITE_TEST_UNSET_NAME_1, PATH, x]\n").unwrap();
        assert_eq!(c.title, path, "the first variable that is set");
    }

    #[test]
    fn extra_css_and_javascript_entries_are_placed_where_written() {
        let text = "site_name: D\n# js/a.js is mentioned before its entry\nextra_javascript:\n  - path: js/a.js\n    defer: true\n  - https://cdn.example/x.js\nextra_css: [css/a.css, ./css/b.css]\n";
        let (c, _) = parse(text).unwrap();
        let places = &c.mkdocs.as_ref().unwrap().extra_places;
        let at = |line, column| Some(("mkdocs.yml", (line, column)));
        let place = |url: &str| places.get(url).map(|(f, l, c)| (f.as_str(), (*l, *c)));
        assert_eq!(place("/js/a.js"), at(4, 11));
        assert_eq!(place("https://cdn.example/x.js"), at(6, 5));
        assert_eq!(place("/css/a.css"), at(7, 13));
        assert_eq!(place("/css/b.css"), at(7, 24));
        assert_eq!(c.url_place("/css/b.css"), at(7, 24));
        assert_eq!(c.url_place("https://cdn.example/x.js"), at(6, 5));
    }

    #[test]
    fn tabbed_slugify_is_read_apart_from_tocs() {
        let (c, w) = parse(
            "site_name: x\nmarkdown_extensions:\n  - pymdownx.tabbed:\n      combine_header_slug: true\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds:\n          case: lower\n  - toc:\n      slugify: !!python/name:pymdownx.slugs.uslugify_cased\n",
        )
        .unwrap();
        assert!(w.is_empty(), "{w:?}");
        let d = c.mkdocs.unwrap().dialect;
        let tabs = d.tab_ids.expect("tab ids");
        assert!(tabs.combine_header_slug);
        assert_eq!(tabs.ids.slug("Open Me"), "open-me");
        assert_eq!(d.toc_ids.slug("Open Me"), "Open-Me", "toc's own, case kept");
    }

    #[test]
    fn toc_slugify_and_separator_are_read_from_the_tags() {
        use crate::markdown::slugs::{Case, Normalize};
        let toc = |yaml: &str| {
            let (c, warnings) = parse(&format!(
                "site_name: x\nmarkdown_extensions:\n  - toc:\n{yaml}"
            ))
            .unwrap();
            (c.mkdocs.unwrap().dialect.toc_ids, warnings)
        };
        let (ids, w) = toc("      slugify: !!python/name:pymdownx.slugs.uslugify\n");
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(ids.slug("Ωmega Tests"), "ωmega-tests");
        let (ids, _) = toc(
            "      separator: _\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds:\n          case: lower\n          percent_encode: true\n",
        );
        assert_eq!(
            ids.slugify,
            Slugify::Pymdownx {
                case: Case::Lower,
                percent_encode: true,
                normalize: Normalize::Nfc
            }
        );
        assert_eq!(ids.slug("Tête à tête"), "t%C3%AAte_%C3%A0_t%C3%AAte");
        let (ids, _) =
            toc("      slugify: !!python/name:markdown.extensions.toc.slugify_unicode ''\n");
        assert_eq!(ids.slug("Über uns"), "über-uns");
        // A function of the project's own: warned at its line, the default is kept.
        let (ids, w) = toc("      permalink: true\n      slugify: !!python/name:hooks.my_slug\n");
        assert_eq!(ids.slug("Über uns"), "uber-uns");
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("`hooks.my_slug`"), "{}", w[0].message);
        assert_eq!(w[0].line, Some(5));
    }

    #[test]
    fn extra_variables_only_with_a_plugin_that_renders_them() {
        let vars = |yml: &str| parse(yml).unwrap().0.mkdocs.unwrap().dialect.variables;
        let extra = "site_name: x\nextra:\n  v: 1\n";
        assert!(
            vars(extra).is_null(),
            "MkDocs alone leaves {{ v }} as written"
        );
        assert_eq!(
            vars(&format!("{extra}plugins:\n  - markdownextradata\n"))["v"],
            1
        );
        assert_eq!(vars(&format!("{extra}plugins:\n  macros: {{}}\n"))["v"], 1);
        let (c, _) = parse(&format!("{extra}plugins:\n  search: {{}}\n")).unwrap();
        assert!(c.search.enabled, "a mapping of plugins names search too");
    }

    #[test]
    fn highlight_options_reach_code_blocks_and_inline_code() {
        let yml = "site_name: x\nmarkdown_extensions:\n  - pymdownx.highlight:\n      css_class: hl\n      linenums: true\n  - pymdownx.inlinehilite\n";
        let d = parse(yml).unwrap().0.mkdocs.unwrap().dialect;
        assert!(
            d.code.highlight,
            "code blocks take pymdownx.highlight's structure"
        );
        assert_eq!(
            (d.code.css_class.as_str(), d.code.linenums),
            ("hl", Some(true))
        );
        assert_eq!(
            d.inline.highlight.css_class, "hl",
            "and inline code its class"
        );
    }

    #[test]
    fn plugins_without_search_turn_it_off_and_bad_yaml_is_an_error() {
        let (c, _) = parse("site_name: x\nplugins:\n  - tags\n").unwrap();
        assert!(!c.search.enabled);
        let e = parse("site_name: [x\n").unwrap_err();
        assert!(e.line.is_some());
        let e = parse("site_name: x\nuse_directory_urls: true\nuse_directory_urls: false\n")
            .unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("use_directory_urls"), "{e}");
        assert!(e
            .help
            .as_deref()
            .unwrap_or("")
            .contains("each key may appear once"));
    }
}
