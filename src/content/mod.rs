//! Content: the pages and files under `content/`, their front matter, URLs and tree.

pub mod body;
pub mod docs_rules;
pub mod front_matter;
pub(crate) mod inside;
mod language_suffix;
pub mod languages;
pub(crate) mod nav;
pub mod urls;
pub(crate) mod walk;

use std::collections::HashMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::{Diagnostic, LineIndex};
use crate::layout;
pub use body::Body;
pub use front_matter::FrontMatter;
use urls::ContentIndex;
pub use walk::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Section,
    Page,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the site root (`content/a/b.md`), for messages.
    pub source_path: String,
    /// Relative to `content/` (`a/b.md`).
    pub content_path: String,
    pub kind: PageKind,
    pub front: FrontMatter,
    /// The front matter's YAML, to find the line of a key for later errors.
    pub yaml: String,
    pub yaml_line_offset: usize,
    /// Its Markdown after the front matter (read before the page is rendered).
    pub body: Body,
    pub body_line_offset: usize,
    /// Output folder relative to the output root (`a/b`, empty for home).
    pub dir: String,
    /// Root-relative URL (`/a/b/`, or `/a/b.html` without directory URLs), without the
    /// base path.
    pub url: String,
    /// Where the page is written (`a/b/index.html`, or `a/b.html` without directory URLs).
    pub output: String,
    /// The section this page belongs to.
    pub parent: Option<usize>,
    /// For sections: pages and subsections directly inside (unsorted until titles are known).
    pub children: Vec<usize>,
    /// In a language other than the default: the page has no translation and shows the
    /// default language's words.
    pub fallback: bool,
}

impl Page {
    /// The file line and column of front-matter key `key`'s value.
    pub fn key_position(&self, key: &str) -> Option<(usize, usize)> {
        crate::yaml::key_position(&self.yaml, key).map(|(l, c)| (l + self.yaml_line_offset, c))
    }

    /// An error about front-matter key `key` of this page, placed at its value.
    pub fn key_error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.source_path, message).at_position(self.key_position(key))
    }

    /// Where a contributor page's generated initials avatar is written: inside the
    /// page's output folder (`people/ann/avatar.svg`).
    pub fn avatar_output(&self) -> String {
        if self.dir.is_empty() {
            "avatar.svg".to_string()
        } else {
            format!("{}/avatar.svg", self.dir)
        }
    }

    pub fn is_section(&self) -> bool {
        self.kind != PageKind::Page
    }
}

/// Everything under `content/`, loaded and placed, not yet rendered.
#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub static_files: Vec<SourceFile>,
    pub index: ContentIndex,
    pub home: usize,
    /// In a multilingual site: which languages have each page in their own words.
    pub translations: languages::Translations,
}

impl Content {
    /// Reads the bodies the loader left on disk (see [`body`]) of the pages `which`
    /// selects: those whose Markdown is rendered. `Err(why)` when a file is not as the
    /// build cache said: the caller loads the content again, reading every file.
    pub(crate) fn read_bodies(
        &mut self,
        which: impl Fn(usize) -> bool + Sync,
    ) -> Result<(), String> {
        use rayon::prelude::*;
        (self.pages.par_iter_mut().enumerate())
            .filter(|(i, page)| !page.body.is_read() && which(*i))
            .try_for_each(|(_, page)| {
                if let Body::Unread(unread) = &page.body {
                    let text = read_body(page, unread)?;
                    page.body = Body::Read(text);
                }
                Ok(())
            })
    }

    /// How many pages' bodies were left on disk (their files were not read).
    pub(crate) fn unread_bodies(&self) -> usize {
        self.pages.iter().filter(|p| !p.body.is_read()).count()
    }
}

/// Where the pages are and how to read them.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The content folder relative to the root (`content`, or MkDocs' `docs_dir`).
    pub dir: String,
    pub drafts: bool,
    /// An MkDocs project: `README.md` is a folder page too, and front matter may carry
    /// MkDocs-only keys (`hide`, `template`, `search`, …), which are ignored.
    pub mkdocs: bool,
    /// Pages get folder URLs (`a/b.md` → `/a/b/`); MkDocs' `use_directory_urls: false`
    /// turns this off (`a/b.md` → `/a/b.html`, folder pages `/a/index.html`).
    pub directory_urls: bool,
    /// An MkDocs project's plugins: `redirects` gives pages aliases.
    pub plugins: crate::config::mkdocs_plugins::Plugins,
    /// An MkDocs project's `exclude_docs`, `not_in_nav` and `draft_docs`.
    pub rules: Option<docs_rules::DocsRules>,
    /// In a multilingual site: the language whose pages to load.
    pub language: Option<languages::LanguageView>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            dir: layout::CONTENT.to_string(),
            drafts: false,
            mkdocs: false,
            directory_urls: true,
            plugins: Default::default(),
            rules: None,
            language: None,
        }
    }
}

/// Reads `content/`. Problems are collected, not fatal: the caller decides.
pub fn load(root: &Path, include_drafts: bool) -> (Content, Vec<Diagnostic>) {
    load_with(
        root,
        &LoadOptions {
            drafts: include_drafts,
            ..LoadOptions::default()
        },
    )
}

/// Reads the content folder named in `opts`.
pub fn load_with(root: &Path, opts: &LoadOptions) -> (Content, Vec<Diagnostic>) {
    load_knowing(root, opts, &|_| None)
}

/// [`load_with`], taking the parse of the Markdown files `known` has (files the build
/// cache vouches are unchanged) instead of reading them. Only for a site of one
/// language: a translation's page is made of two files.
pub(crate) fn load_knowing(
    root: &Path,
    opts: &LoadOptions,
    known: &Known<'_>,
) -> (Content, Vec<Diagnostic>) {
    let include_drafts = opts.drafts;
    let content_dir = root.join(&opts.dir);
    let (mut files, mut problems) = walk::walk(&content_dir, root);
    // The theme's `custom_dir` inside `docs_dir` holds templates: not pages, not files of
    // the site (their links are Jinja, so checking them could only give false alarms).
    if let Some(theme) = opts.plugins.theme_dir_in(&opts.dir) {
        let prefix = format!("{theme}/");
        files.retain(|f| !f.content_path.starts_with(&prefix));
    }
    if let Some(rules) = &opts.rules {
        files.retain(|f| {
            let path = f.content_path.as_str();
            !(rules.excluded(path) || rules.draft(path) && !include_drafts)
        });
    }
    let mut content = Content::default();
    content.index.dir = opts.dir.clone();

    // Sized once: a page is over half a kilobyte, and growing the list by doubling
    // moved 10,000 of them about twice over.
    let markdown = files.iter().filter(|f| f.kind == walk::FileKind::Markdown);
    content.pages.reserve(markdown.count() + 1);
    for result in read_pages(&files, opts, &mut content, known) {
        match result {
            Ok(page) if page.front.draft && !include_drafts => {}
            Ok(page) => content.pages.push(page),
            Err(d) => problems.push(d),
        }
    }
    content.static_files = files
        .into_iter()
        .filter(|f| f.kind == walk::FileKind::Static)
        .collect();

    if let Some(blog) = &opts.plugins.blog {
        let made = crate::site::blog::archive_and_category_pages(blog, &content.pages, &opts.dir);
        for mut page in made {
            (page.output, page.url) = urls::page_location(&page.dir, false, opts.directory_urls);
            content.pages.push(page);
        }
    }
    if !content.pages.iter().any(|p| p.kind == PageKind::Home) {
        let mut home = virtual_home();
        home.source_path = format!("{}/_index.md", opts.dir);
        if let Some(view) = opts.language.as_ref().filter(|v| !v.default) {
            home.dir = view.code.clone();
            (home.output, home.url) = urls::page_location(&home.dir, true, opts.directory_urls);
        }
        content.pages.push(home);
    }
    // Stable order: by content path, so indices are deterministic.
    content
        .pages
        .sort_by(|a, b| a.content_path.cmp(&b.content_path));
    content.home = content
        .pages
        .iter()
        .position(|p| p.kind == PageKind::Home)
        .unwrap_or(0);

    link_tree(&mut content);
    problems.extend(check_url_collisions(&content.pages));
    for page in &content.pages {
        content
            .index
            .insert(page.content_path.clone(), page.url.clone());
    }
    for file in &content.static_files {
        content.index.insert(
            file.content_path.clone(),
            urls::file_url(&file.content_path),
        );
    }
    (content, problems)
}

/// Reads the Markdown files (of the language `opts` names, in a multilingual site); a
/// translation's warnings go to `problems` as `Err`s of their own.
fn read_pages(
    files: &[SourceFile],
    opts: &LoadOptions,
    content: &mut Content,
    known: &Known<'_>,
) -> Vec<Result<Page, Diagnostic>> {
    use rayon::prelude::*;
    let Some(view) = &opts.language else {
        return files
            .par_iter()
            .filter(|f| f.kind == walk::FileKind::Markdown)
            .map(|f| match known(f) {
                Some(parsed) => place(parsed, f, opts),
                None => read_page(f, opts),
            })
            .collect();
    };
    content.translations = languages::Translations::of_files(files, "", &view.translated);
    let read: Vec<_> = languages::pages_of(files, view)
        .par_iter()
        .map(|(file, translates, original)| {
            languages::read_in_language(file, translates.as_deref(), original.as_ref(), opts)
        })
        .collect();
    let mut results = Vec::new();
    if view.default {
        // Said once, by the default language, which reads every file.
        let warnings = language_suffix::undeclared(files, view, &opts.dir);
        results.extend(warnings.into_iter().map(Err));
    }
    for r in read {
        match r {
            Ok((page, warnings)) => {
                results.push(Ok(page));
                results.extend(warnings.into_iter().map(Err));
            }
            Err(d) => results.push(Err(d)),
        }
    }
    results
}

/// A page without a file (a plugin's generated page), at `content_path` in the content
/// folder `dir`, written to output folder `out_dir`.
pub(crate) fn generated_page(content_path: &str, dir: &str, out_dir: &str) -> Page {
    let mut page = virtual_home();
    page.source_path = format!("{dir}/{content_path}");
    page.content_path = content_path.to_string();
    page.kind = PageKind::Page;
    page.dir = out_dir.to_string();
    page
}

fn virtual_home() -> Page {
    Page {
        source_path: format!("{}/_index.md", layout::CONTENT),
        content_path: "_index.md".to_string(),
        kind: PageKind::Home,
        front: FrontMatter::default(),
        yaml: String::new(),
        yaml_line_offset: 0,
        body: Body::default(),
        body_line_offset: 0,
        dir: String::new(),
        url: "/".to_string(),
        output: "index.html".to_string(),
        parent: None,
        children: Vec::new(),
        fallback: false,
    }
}

/// Which Markdown files need not be read, and their parse (see [`load_knowing`]).
pub(crate) type Known<'a> = dyn Fn(&SourceFile) -> Option<Parsed> + Sync + 'a;

/// What a Markdown file's text gives, before the page is placed in the site: the same
/// for the same bytes (and the same `mkdocs` flag), so the build cache can keep it.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub(crate) front: FrontMatter,
    pub(crate) yaml: String,
    pub(crate) yaml_line_offset: usize,
    pub(crate) body: Body,
    pub(crate) body_line_offset: usize,
}

/// Reads and splits one Markdown file and parses its front matter.
pub(crate) fn read_page(file: &SourceFile, opts: &LoadOptions) -> Result<Page, Diagnostic> {
    place(parse_file(file, opts)?, file, opts)
}

/// Reads one Markdown file's text, from `path` (`source_path` for messages).
fn read_text(path: &Path, source_path: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(source_path, format!("cannot read: {e}"))
            .with_help("check that the file exists and is readable")
    })?;
    let mut text = decode_utf8(bytes, source_path)?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Reads, splits and parses one Markdown file.
fn parse_file(file: &SourceFile, opts: &LoadOptions) -> Result<Parsed, Diagnostic> {
    let source_path = format!("{}/{}", opts.dir, file.content_path);
    let text = read_text(&file.abs_path, &source_path)?;
    let split = front_matter::split(&text).map_err(|mut d| {
        d.path = source_path.clone();
        d
    })?;
    let front: FrontMatter = match split.yaml {
        Some(yaml) if opts.mkdocs => {
            mkdocs_front_matter(yaml, &source_path, split.yaml_line_offset)?
        }
        Some(yaml) => crate::yaml::parse(yaml, &source_path, split.yaml_line_offset)?,
        None => FrontMatter::default(),
    };
    Ok(Parsed {
        front,
        yaml: split.yaml.unwrap_or("").to_string(),
        yaml_line_offset: split.yaml_line_offset,
        body: Body::from(split.body),
        body_line_offset: split.body_line_offset,
    })
}

/// The body of page `page`'s file as read now, `Err(why)` unless the file is the one
/// the page was loaded from: the same front matter, lines before the body, and body
/// digest `unread` gives.
fn read_body(page: &Page, unread: &body::Unread) -> Result<String, String> {
    let source_path = &page.source_path;
    let not_as_cached = || format!("{source_path} is not as the cache recorded it");
    let text = read_text(&unread.path, source_path).map_err(|_| not_as_cached())?;
    let split = front_matter::split(&text).map_err(|_| not_as_cached())?;
    let same = split.yaml.unwrap_or("") == page.yaml
        && split.body_line_offset == page.body_line_offset
        && body::digest_of(split.body) == unread.digest;
    if !same {
        return Err(not_as_cached());
    }
    Ok(split.body.to_string())
}

/// Page `parsed` of file `file`, placed in the site: its kind, folder, URL, aliases.
fn place(parsed: Parsed, file: &SourceFile, opts: &LoadOptions) -> Result<Page, Diagnostic> {
    let source_path = format!("{}/{}", opts.dir, file.content_path);
    let file_name = file
        .content_path
        .rsplit('/')
        .next()
        .unwrap_or(&file.content_path);
    // MkDocs reads `README.md` as the folder's page unless there is an `index.md`.
    let readme_index = opts.mkdocs
        && file_name == "README.md"
        && !file.abs_path.with_file_name("index.md").exists();
    let kind = if urls::is_index_file(file_name) || readme_index {
        if file.content_path.contains('/') {
            PageKind::Section
        } else {
            PageKind::Home
        }
    } else {
        PageKind::Page
    };
    let mut page = Page {
        source_path,
        content_path: file.content_path.clone(),
        kind,
        yaml: parsed.yaml,
        yaml_line_offset: parsed.yaml_line_offset,
        body: parsed.body,
        body_line_offset: parsed.body_line_offset,
        dir: String::new(),
        url: String::new(),
        output: String::new(),
        parent: None,
        children: Vec::new(),
        fallback: false,
        front: parsed.front,
    };
    if let Some(slug) = &page.front.slug {
        if slug.is_empty() || slug.contains(['/', '\\', '?', '#']) || slug == "." || slug == ".." {
            return Err(page
                .key_error("slug", format!("slug `{slug}` is not a single URL segment"))
                .with_help("use letters, digits and dashes, like `my-page`"));
        }
    }
    page.dir = if readme_index {
        let parent = urls::parent_dir(&page.content_path);
        let as_index = if parent.is_empty() {
            "index.md".to_string()
        } else {
            format!("{parent}/index.md")
        };
        urls::page_dir(&as_index, None)
    } else {
        urls::page_dir(&page.content_path, page.front.slug.as_deref())
    };
    (page.output, page.url) =
        urls::page_location(&page.dir, page.is_section(), opts.directory_urls);
    let blog = opts.plugins.blog.as_ref();
    if let Some(dir) = blog.and_then(|b| crate::site::blog::post_dir(b, &page)) {
        page.dir = dir;
        (page.output, page.url) = urls::page_location(&page.dir, false, opts.directory_urls);
    }
    let redirected =
        crate::site::redirects::aliases_of(&opts.plugins, &page.content_path, opts.directory_urls);
    page.front.aliases.extend(redirected);
    Ok(page)
}

/// The front matter of `page` as its file gave it: without the aliases [`place`] added
/// (the MkDocs `redirects` plugin's), as the build cache keeps it.
pub(crate) fn front_as_parsed(page: &Page, opts: &LoadOptions) -> FrontMatter {
    let added =
        crate::site::redirects::aliases_of(&opts.plugins, &page.content_path, opts.directory_urls);
    let mut front = page.front.clone();
    let kept = front.aliases.len().saturating_sub(added.len());
    debug_assert_eq!(front.aliases[kept..], added[..]);
    front.aliases.truncate(kept);
    front
}

/// MkDocs front matter: `title`, `description`, a redirect (`template: redirect.html`
/// with `location`) and `search: {exclude: true}` are used; the other keys MkDocs and its
/// themes read (`hide`, `template`, `search`, `tags`, `icon`, …) mean nothing here and
/// are ignored rather than refused, so projects build unmodified.
fn mkdocs_front_matter(
    yaml: &str,
    source_path: &str,
    line_offset: usize,
) -> Result<FrontMatter, Diagnostic> {
    let value: serde_yaml::Value = crate::yaml::parse(yaml, source_path, line_offset)?;
    let text = |k: &str| match value.get(k) {
        Some(serde_yaml::Value::String(s)) => Some(s.clone()),
        Some(serde_yaml::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    // Material's `redirect.html` template makes the page a redirect to `location`.
    let redirect = (text("template").as_deref() == Some("redirect.html"))
        .then(|| text("location"))
        .flatten();
    Ok(FrontMatter {
        title: text("title"),
        description: text("description"),
        image: text("image"),
        redirect,
        search_exclude: value
            .get("search")
            .and_then(|s| s.get("exclude"))
            .and_then(serde_yaml::Value::as_bool)
            .unwrap_or(false),
        ..FrontMatter::default()
    })
}

/// Decodes UTF-8, naming the line and column of the first bad byte.
fn decode_utf8(bytes: Vec<u8>, source_path: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let good = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
        let (line, column) = LineIndex::new(good).position(valid);
        Diagnostic::error(
            source_path,
            format!("file is not valid UTF-8 (byte 0x{:02x})", bytes[valid]),
        )
        .at(line, column)
        .with_help("re-save the file with UTF-8 encoding")
    })
}

/// Sets each page's parent section and each section's children.
fn link_tree(content: &mut Content) {
    let sections: HashMap<String, usize> = content
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section())
        .map(|(i, p)| (urls::parent_dir(&p.content_path).to_string(), i))
        .collect();
    for i in 0..content.pages.len() {
        if content.pages[i].kind == PageKind::Home {
            continue;
        }
        let own_dir = urls::parent_dir(&content.pages[i].content_path).to_string();
        // A section's parent starts one folder up; a page's in its own folder.
        let mut dir = if content.pages[i].is_section() {
            urls::parent_dir(&own_dir).to_string()
        } else {
            own_dir
        };
        let parent = loop {
            if let Some(&s) = sections.get(&dir) {
                if s != i {
                    break s;
                }
            }
            if dir.is_empty() {
                break content.home;
            }
            dir = urls::parent_dir(&dir).to_string();
        };
        content.pages[i].parent = Some(parent);
        content.pages[parent].children.push(i);
    }
}

/// Two pages may not be written to the same URL, not even one differing only in case or
/// Unicode normalisation (they would overwrite each other on macOS and Windows).
fn check_url_collisions(pages: &[Page]) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        // The output file (not the percent-encoded URL), so `café` written with a
        // combining accent collides with the precomposed one.
        let key: String = page.output.nfc().collect::<String>().to_lowercase();
        if let Some(&first) = seen.get(&key) {
            let other = &pages[first];
            problems.push(
                Diagnostic::error(
                    &page.source_path,
                    format!(
                        "page URL {} collides with {} ({})",
                        page.url, other.source_path, other.url
                    ),
                )
                .with_help("rename one of the files or give one a different `slug`"),
            );
        } else {
            seen.insert(key, i);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join("content").join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn builds_the_tree_with_sections_and_home() {
        let dir = site(&[
            ("_index.md", "home"),
            ("a/_index.md", "sec"),
            ("a/b.md", "b"),
            ("a/deep/c.md", "c"),
            ("top.md", "top"),
        ]);
        let (c, problems) = load(dir.path(), false);
        assert!(problems.is_empty(), "{problems:?}");
        let by_path = |p: &str| c.pages.iter().position(|x| x.content_path == p).unwrap();
        let sec = by_path("a/_index.md");
        assert_eq!(c.pages[by_path("a/b.md")].parent, Some(sec));
        assert_eq!(c.pages[by_path("a/deep/c.md")].parent, Some(sec));
        assert_eq!(c.pages[by_path("a/deep/c.md")].url, "/a/deep/c/");
        assert_eq!(c.pages[sec].parent, Some(c.home));
        assert_eq!(c.pages[by_path("top.md")].parent, Some(c.home));
    }

    #[test]
    fn drafts_are_skipped_unless_asked() {
        let dir = site(&[("d.md", "---\ndraft: true\n---\nx")]);
        assert_eq!(load(dir.path(), false).0.pages.len(), 1); // only the virtual home
        assert_eq!(load(dir.path(), true).0.pages.len(), 2);
    }

    #[test]
    fn collisions_and_bad_bytes_are_reported() {
        let dir = site(&[
            ("a.md", "a"),
            ("a/_index.md", "a"),
            ("B.md", "x"),
            ("b.md", "y"),
        ]);
        std::fs::write(dir.path().join("content/bad.md"), b"ok\nab\xffc").unwrap();
        let (_, problems) = load(dir.path(), false);
        let text: Vec<_> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("collides with content/a.md")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("collides with content/B.md")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.starts_with("content/bad.md:2:3: error: file is not valid UTF-8")),
            "{text:?}"
        );
    }

    #[test]
    fn front_matter_errors_point_into_the_markdown_file() {
        let dir = site(&[("a.md", "---\ntitle: A\nweight: x\n---\n")]);
        let (_, problems) = load(dir.path(), false);
        assert_eq!(problems[0].line, Some(3));
        assert_eq!(problems[0].path, "content/a.md");
    }

    #[test]
    fn mkdocs_front_matter_keys_are_ignored_and_readme_is_a_folder_page() {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            (
                "docs/index.md",
                "---\ntitle: Home\nhide: [toc]\ntemplate: home.html\n---\n",
            ),
            ("docs/a/README.md", "# A\n"),
            ("docs/b/README.md", "# B readme\n"),
            ("docs/b/index.md", "# B\n"),
        ] {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let opts = LoadOptions {
            dir: "docs".into(),
            mkdocs: true,
            ..LoadOptions::default()
        };
        let (c, problems) = load_with(dir.path(), &opts);
        assert!(problems.is_empty(), "{problems:?}");
        let page = |p: &str| c.pages.iter().find(|x| x.content_path == p).unwrap();
        assert_eq!(page("index.md").front.title.as_deref(), Some("Home"));
        assert_eq!(page("index.md").front.template, None);
        assert_eq!(page("a/README.md").url, "/a/");
        assert_eq!(page("a/README.md").source_path, "docs/a/README.md");
        assert_eq!(page("b/index.md").url, "/b/");
        assert_eq!(page("b/README.md").url, "/b/README/", "index.md wins");
        assert_eq!(page("b/README.md").output, "b/README/index.html");
        // MkDocs' `use_directory_urls: false`: pages are files, folder pages their index.html.
        let files = LoadOptions {
            directory_urls: false,
            ..opts.clone()
        };
        let (c, problems) = load_with(dir.path(), &files);
        assert!(problems.is_empty(), "{problems:?}");
        let page = |p: &str| c.pages.iter().find(|x| x.content_path == p).unwrap();
        assert_eq!(page("index.md").url, "/index.html");
        assert_eq!(page("a/README.md").url, "/a/index.html");
        assert_eq!(page("a/README.md").output, "a/index.html");
        assert_eq!(page("b/README.md").url, "/b/README.html");
        assert_eq!(page("b/README.md").output, "b/README.html");
        // The same front matter in a dcrsite site is an error.
        let strict = LoadOptions {
            mkdocs: false,
            ..opts
        };
        let (_, problems) = load_with(dir.path(), &strict);
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("unknown field `hide`")),
            "{problems:?}"
        );
    }

    #[test]
    fn bom_and_crlf_work() {
        let dir = site(&[("a.md", "\u{feff}---\r\ntitle: A\r\n---\r\nbody")]);
        let (c, problems) = load(dir.path(), false);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(c
            .pages
            .iter()
            .any(|p| p.front.title.as_deref() == Some("A")));
    }
}
