//! The pages of one language of a multilingual site. A translation sits beside its page
//! as `name.<code>.md` (`_index.es.md`, `guide.de.md`). The default language reads the
//! pages without a language suffix; another language reads, for each of them, its
//! translation when there is one, and otherwise the page itself, marked `fallback` (so
//! every page exists in every language and no link between languages can break). A
//! translation with no page beside it is a page of its language only.

use std::collections::{BTreeMap, BTreeSet};

use super::walk::{FileKind, SourceFile};
use super::{read_page, LoadOptions, Page};
use crate::diagnostics::Diagnostic;

/// Which language to load.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LanguageView {
    /// The language's code (`es`).
    pub code: String,
    /// Whether it is the default language (published at `/`).
    pub default: bool,
    /// The codes of every language but the default: the suffixes of translations.
    pub translated: Vec<String>,
}

impl LanguageView {
    /// The output folder of this language's pages: empty for the default one.
    pub fn prefix(&self) -> &str {
        if self.default {
            ""
        } else {
            &self.code
        }
    }
}

/// `a/b.es.md` → (`a/b.md`, `es`) when `es` is one of `codes`.
pub fn translation_of<'a>(content_path: &str, codes: &'a [String]) -> Option<(String, &'a str)> {
    let stem = content_path.strip_suffix(".md")?;
    let (original, suffix) = stem.rsplit_once('.')?;
    if original.ends_with('/') || original.is_empty() {
        return None;
    }
    let code = codes.iter().find(|c| c.as_str() == suffix)?;
    Some((format!("{original}.md"), code))
}

/// Which languages have a file of their own for each page: content path of the page
/// (without suffix) → language codes (the default's included when the page exists).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translations {
    by_page: BTreeMap<String, BTreeSet<String>>,
}

impl Translations {
    /// From the content folder's files.
    pub fn of_files(files: &[SourceFile], default: &str, codes: &[String]) -> Translations {
        let mut by_page: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in files.iter().filter(|f| f.kind == FileKind::Markdown) {
            let (page, code) = match translation_of(&file.content_path, codes) {
                Some((page, code)) => (page, code.to_string()),
                None => (file.content_path.clone(), default.to_string()),
            };
            by_page.entry(page).or_default().insert(code);
        }
        Translations { by_page }
    }

    /// The languages that have the page at `content_path` in their own words.
    pub fn languages_of(&self, content_path: &str) -> Option<&BTreeSet<String>> {
        self.by_page.get(content_path)
    }
}

/// The Markdown files of language `view`: (file to read, the page's content path when
/// the file is a translation, the page it translates when read beside one).
pub(super) fn pages_of(
    files: &[SourceFile],
    view: &LanguageView,
) -> Vec<(SourceFile, Option<String>, Option<SourceFile>)> {
    let markdown = files.iter().filter(|f| f.kind == FileKind::Markdown);
    let (translations, originals): (Vec<&SourceFile>, Vec<&SourceFile>) =
        markdown.partition(|f| translation_of(&f.content_path, &view.translated).is_some());
    if view.default {
        return originals
            .into_iter()
            .map(|f| (f.clone(), None, None))
            .collect();
    }
    let mine: BTreeMap<String, &SourceFile> = translations
        .into_iter()
        .filter_map(|f| {
            let (page, code) = translation_of(&f.content_path, &view.translated)?;
            (code == view.code).then_some((page, f))
        })
        .collect();
    let mut list: Vec<_> = originals
        .iter()
        .map(|&f| match mine.get(&f.content_path) {
            Some(t) => ((*t).clone(), Some(f.content_path.clone()), Some(f.clone())),
            None => (f.clone(), None, None),
        })
        .collect();
    let known: BTreeSet<&String> = originals.iter().map(|f| &f.content_path).collect();
    for (page, t) in &mine {
        if !known.contains(page) {
            list.push(((*t).clone(), Some(page.clone()), None));
        }
    }
    list
}

/// Reads one page of language `view`: the translation merged over its page, the page
/// itself as a fallback, or a translation on its own.
pub(super) fn read_in_language(
    file: &SourceFile,
    translates: Option<&str>,
    original: Option<&SourceFile>,
    opts: &LoadOptions,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let view = opts.language.as_ref();
    let mut page = read_page(file, opts)?;
    let mut warnings = Vec::new();
    if let Some(path) = translates {
        page.content_path = path.to_string();
    }
    match original {
        Some(original) => {
            let base = read_page(original, opts)?;
            if page.front.draft && !opts.drafts {
                page = base;
                page.fallback = true;
            } else {
                warnings = take_structure(&mut page, base);
            }
        }
        None if translates.is_none() && view.is_some_and(|v| !v.default) => page.fallback = true,
        None => {}
    }
    if let (Some(path), None) = (translates, original) {
        // A translation on its own: placed as its page would be.
        page.dir = super::urls::page_dir(path, page.front.slug.as_deref());
        let name = path.rsplit('/').next().unwrap_or(path);
        if super::urls::is_index_file(name) {
            page.kind = if path.contains('/') {
                super::PageKind::Section
            } else {
                super::PageKind::Home
            };
        }
    }
    if let Some(view) = view.filter(|v| !v.default) {
        place_in(&mut page, view.prefix(), opts.directory_urls);
    }
    Ok((page, warnings))
}

/// The keys a translation may not change: where the page is and how it is built come
/// from the page it translates. Setting one is a warning.
const STRUCTURE_KEYS: &[&str] = &["weight", "template", "slug", "aliases", "draft"];

/// Keeps the translation's words (title, description, icon, image, toc, extra, the
/// contributor fields, the body) and the original's structure.
fn take_structure(translation: &mut Page, original: Page) -> Vec<Diagnostic> {
    let warnings = STRUCTURE_KEYS
        .iter()
        .filter(|key| translation.key_position(key).is_some())
        .map(|key| {
            translation
                .key_error(key, format!("`{key}` of a translation is ignored"))
                .with_help(format!(
                    "set `{key}` in {}: a translation takes it from the page it translates",
                    original.source_path
                ))
        })
        .map(|mut d| {
            d.severity = crate::diagnostics::Severity::Warning;
            d
        })
        .collect();
    let t = std::mem::take(&mut translation.front);
    let mut front = original.front.clone();
    front.title = t.title.or(front.title);
    front.description = t.description.or(front.description);
    front.icon = t.icon.or(front.icon);
    front.image = t.image.or(front.image);
    front.toc = t.toc.or(front.toc);
    front.extra = t.extra.or(front.extra);
    front.role = t.role.or(front.role);
    front.group = t.group.or(front.group);
    front.portrait = t.portrait.or(front.portrait);
    front.company = t.company.or(front.company);
    if !t.links.is_empty() {
        front.links = t.links;
    }
    translation.front = front;
    translation.kind = original.kind;
    translation.dir = original.dir;
    warnings
}

/// Moves a page of another language under its folder (`/es/…`), aliases too.
fn place_in(page: &mut Page, prefix: &str, directory_urls: bool) {
    page.dir = if page.dir.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}/{}", page.dir)
    };
    (page.output, page.url) =
        super::urls::page_location(&page.dir, page.is_section(), directory_urls);
    for alias in &mut page.front.aliases {
        *alias = format!("/{prefix}/{}", alias.trim_start_matches('/'));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_are_named_by_a_language_suffix() {
        let codes = vec!["es".to_string(), "pt-BR".to_string()];
        assert_eq!(
            translation_of("a/_index.es.md", &codes),
            Some(("a/_index.md".to_string(), "es"))
        );
        assert_eq!(
            translation_of("guide.pt-BR.md", &codes),
            Some(("guide.md".to_string(), "pt-BR"))
        );
        assert_eq!(translation_of("guide.de.md", &codes), None);
        assert_eq!(translation_of("guide.md", &codes), None);
        assert_eq!(translation_of("a/.es.md", &codes), None);
    }
}
