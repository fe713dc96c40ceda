//! Loading with the persistent build cache (`site/cache.rs`): the keys of what pages were
//! made from, what can be taken from the cache, and writing it for the next run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::search_docs::SearchIndex;
use super::{PageOut, SiteState};
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::output::record::OutputRecord;
use rayon::prelude::*;

use crate::site::cache::lazy::{html_digest, rest_digest, LazyBody, RestWriter};
use crate::site::cache::search_index::{self, IndexRecord};
use crate::site::cache::source::CachedSource;
use crate::site::cache::{
    segments, store, Blob, CachedOut, CachedPage, CachedRendered, Key, KeyHasher, Previous,
    Snapshot,
};
use crate::site::markdown_pass::RenderedPage;
use crate::site::plan::{Changes, Plan, TemplateChange};

/// Each page's Markdown result taken from the cache, and its HTML, plain text and links
/// left there.
pub(super) type CachedMarkdown = (Vec<Option<RenderedPage>>, Vec<Option<LazyBody>>);

/// How much a load took from the cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheUse {
    /// Pages whose Markdown came from the cache.
    pub markdown_reused: usize,
    /// Pages whose files after templates came from the cache.
    pub templates_reused: usize,
    /// Pages whose Markdown file was not read: its front matter came from the cache
    /// (its body is read if the page is rendered again).
    pub sources_reused: usize,
}

/// The cache file of a load, and the previous run's contents when they can be used.
pub(super) struct Warm {
    pub(super) path: PathBuf,
    pub(super) previous: Option<Previous>,
}

/// Opens the cache in `dir`, with the record of what the previous build wrote into the
/// output folder `output` (when this load is a build's; `known` when the build loaded it
/// already): a cache that cannot be trusted is ignored with one warning (and replaced by
/// this run's).
pub(super) fn open(
    dir: Option<&Path>,
    output: Option<&Path>,
    known: Option<&OutputRecord>,
) -> (Option<Warm>, Option<Diagnostic>) {
    let Some(dir) = dir else {
        return (None, None);
    };
    let path = dir.join(store::FILE);
    let loaded_here;
    let record = match known {
        Some(record) => Some(record),
        None => {
            loaded_here = output.and_then(|folder| OutputRecord::load(dir, folder));
            loaded_here.as_ref()
        }
    };
    let loaded = segments::read(&path, record);
    let (previous, warning) = match loaded {
        Ok(previous) => (previous.map(|p| vouch_for_search_index(p, record)), None),
        Err(why) => (None, Some(ignored(&path, &why))),
    };
    (Some(Warm { path, previous }), warning)
}

/// `previous` with whether the output folder's `record` says the search index the last
/// run recorded is there as written (the file is then not read whole: `search_index`).
fn vouch_for_search_index(mut previous: Previous, record: Option<&OutputRecord>) -> Previous {
    let index = previous.search.as_ref().zip(record);
    previous.search_vouched = index.is_some_and(|(index, record)| {
        let (len, digest) = (index.joined_len() as u64, index.digest());
        record
            .kept(crate::search::INDEX_PATH, len, digest)
            .is_some()
    });
    previous
}

/// The warning that the cache at `path` is ignored because of `why`.
pub(super) fn ignored(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::warning(
        path.display().to_string(),
        format!("ignoring the build cache: {why}; every page is rendered again"),
    )
    .with_help("nothing to do: this build writes a new cache (`--no-cache` leaves it out)")
}

/// The page's file as loaded.
fn source_key(page: &Page) -> Key {
    KeyHasher::new("page")
        .text(&page.content_path)
        .text(&page.yaml)
        .bytes(&page.body.digest())
        .debug(&(page.yaml_line_offset, page.body_line_offset))
        .finish()
}

/// The files a page included (snippets, `{!…!}`, `{*…*}`, paths relative to `root`) as
/// they are on disk now: their bytes, or that they are not there.
fn includes_key(root: &Path, includes: &[String]) -> Key {
    let mut h = KeyHasher::new("includes");
    for path in includes {
        h.text(path);
        match std::fs::read(root.join(path)) {
            Ok(bytes) => h.text("file").bytes(&bytes),
            Err(_) => h.text("none"),
        };
    }
    h.finish()
}

impl SiteState {
    /// Everything a page's Markdown depends on besides its own text. The set of pages
    /// and files counts, as links resolve against it; so do the translations a page has,
    /// which its language switcher and alternates name.
    pub(super) fn markdown_key(&self) -> Key {
        let mut h = KeyHasher::new("markdown");
        h.text(env!("CARGO_PKG_VERSION"))
            .debug(&(&self.options.base_url, self.options.drafts))
            .debug(&self.config)
            .debug(&self.icons)
            .debug(&self.content.translations);
        for p in &self.content.pages {
            h.text(&p.content_path).text(&p.url).text(&p.output);
            h.debug(&(p.kind, &p.front.aliases, p.parent, &p.children));
        }
        for f in &self.content.static_files {
            h.text(&f.content_path);
        }
        h.finish()
    }

    /// The previous run's Markdown of each page whose text is unchanged, and its body
    /// (HTML, plain text, links) when it stays in the cache (see
    /// [`Self::html_stays_cached`]): then the page's body is empty until
    /// [`Self::load_html`] reads it.
    pub(super) fn cached_markdown(
        &self,
        previous: &mut Previous,
    ) -> Result<CachedMarkdown, String> {
        let (mut pages, mut lazy): (Vec<_>, Vec<_>) = (self.content.pages.iter())
            .map(|page| {
                let Some(entry) = previous.pages.get_mut(&page.content_path) else {
                    return (None, None);
                };
                let included = entry.markdown.as_ref().map(|m| &m.markdown.includes);
                let includes = included.map(|paths| includes_key(self.root(), paths));
                if entry.source != source_key(page) || includes != Some(entry.includes) {
                    return (None, None);
                }
                entry.taken.0 = true;
                let markdown = entry.markdown.take();
                let html = markdown.as_ref().map(|_| entry.body.clone());
                (markdown, html)
            })
            .unzip();
        if !self.html_stays_cached() {
            (pages.par_iter_mut().zip(&mut lazy)).try_for_each(|(page, lazy)| match page {
                Some(page) => fill_body(page, lazy),
                None => Ok(()),
            })?;
        }
        Ok((pages, lazy))
    }

    /// Whether the HTML of a page taken from the cache is left there until the page is
    /// rendered again: in a build that writes an output folder, whose unchanged pages'
    /// files are the folder's. Not for `serve`, which may render any page again later,
    /// nor where the blog and tags plugins add to pages' HTML.
    fn html_stays_cached(&self) -> bool {
        self.options.output.is_some()
            && self.config.plugins.blog.is_none()
            && !self.config.plugins.tags
    }

    /// Reads from the cache the body of the pages `which` selects that left it there;
    /// `Err(why)` when one is not there as written (the cache is then not to be used).
    pub(super) fn load_html(&mut self, which: impl Fn(usize) -> bool + Sync) -> Result<(), String> {
        let lazy = &mut self.lazy_bodies;
        (self.pages.par_iter_mut().zip(lazy).enumerate())
            .filter(|(i, _)| which(*i))
            .try_for_each(|(_, (page, lazy))| fill_body(page, lazy))
    }

    /// Where the search index the last run made is kept: in the output folder a build
    /// writes, or, for `serve`, which writes none, in its cache folder.
    pub(super) fn search_index_file(&self) -> Option<PathBuf> {
        match (&self.options.output, &self.options.cache) {
            (Some(output), _) => Some(output.join(crate::search::INDEX_PATH)),
            (None, Some(cache)) => Some(cache.join(search_index::COPY)),
            (None, None) => None,
        }
    }

    /// Where each page's part lies in `search_index`, the search index this run made
    /// and its parts; none when there is none. For `serve`, which writes no output
    /// folder for the next run to find the index in, this also writes the copy kept
    /// beside the cache. (Should another file take the index's path, the build fails,
    /// and the next finds no index as recorded: every part is made again.)
    fn record_search_index(&self, search_index: Option<&SearchIndex>) -> Option<IndexRecord> {
        let (file, parts) = search_index?;
        let crate::output::Body::Bytes(index) = &file.body else {
            return None;
        };
        (parts.len() == self.pages.len()).then_some(())?;
        let record = IndexRecord::of(parts.iter().flatten(), index);
        (record.joined_len() == index.len()).then_some(())?;
        if self.options.output.is_none() {
            std::fs::write(self.search_index_file()?, index).ok()?;
        }
        Some(record)
    }

    /// What templates see of page `i`: its Markdown result by the digests of its HTML
    /// and of the rest, which a page whose HTML stayed in the cache has as written (it
    /// is the Markdown result written: no plugin added to it).
    fn shown_key(&self, i: usize) -> Key {
        let page = &self.content.pages[i];
        let (html, rendered) = match self.lazy_bodies.get(i) {
            Some(Some(lazy)) => (lazy.html_digest(), lazy.rendered()),
            _ => {
                let mut rendered = CachedRendered::new(&self.pages[i]);
                (html_digest(&rendered.take_html()), rest_digest(&rendered))
            }
        };
        KeyHasher::new("shown")
            .bytes(&source_key(page))
            .bytes(&rendered)
            .bytes(&html)
            .debug(&self.git_dates.date_of(&page.source_path))
            .finish()
    }

    fn template_keys(&self) -> (std::collections::BTreeMap<String, Key>, Key) {
        let mut names = std::collections::BTreeMap::new();
        let mut env = KeyHasher::new("templates");
        env.debug(&self.assets.manifest);
        let mut vars: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with("DCRSITE_"))
            .collect();
        vars.sort();
        env.debug(&vars);
        if let Some(templates) = &self.templates {
            let texts: std::collections::BTreeMap<&str, &str> =
                templates.files().into_iter().collect();
            for name in templates.names() {
                let file = templates.file_of(name).unwrap_or(name);
                let text = texts.get(file).copied().unwrap_or("");
                names.insert(
                    name.to_string(),
                    KeyHasher::new("template").text(file).text(text).finish(),
                );
            }
        }
        (names, env.finish())
    }

    /// The navigation, as every page shows part of it.
    pub(super) fn nav_key(&self) -> Key {
        KeyHasher::new("nav")
            .text(&self.nav.fingerprint())
            .debug(&self.children)
            .debug(&self.nav_pages)
            .finish()
    }

    /// The previous run's files of each page whose templates need not render again, as
    /// `serve`'s planner decides from what changed since; the HTML of the others is read
    /// from the cache (`Err(why)` when it cannot be: see [`Self::load_html`]).
    pub(super) fn cached_outputs(
        &mut self,
        previous: &mut Previous,
        shown: &[Key],
        nav: Key,
    ) -> Result<Vec<Option<PageOut>>, String> {
        let count = self.content.pages.len();
        let (templates, env) = self.template_keys();
        let mut changes = Changes {
            edited: (0..count)
                .filter(|&i| {
                    let path = &self.content.pages[i].content_path;
                    previous.pages.get(path).map(|p| p.shown) != Some(shown[i])
                })
                .collect(),
            navigation: nav != previous.nav,
            ..Changes::default()
        };
        changes.templates = template_change(&previous.templates, &templates);
        if env != previous.template_env {
            changes.templates = TemplateChange::All;
        }
        let plan = changes.plan(
            |names| self.pages_using_templates(names),
            |i| self.content.pages[i].parent,
        );
        let redo: BTreeSet<usize> = match plan {
            Plan::TemplateDependents(pages) | Plan::PatchPages(pages) | Plan::Reassemble(pages) => {
                pages
            }
            Plan::CopyOnly => BTreeSet::new(),
            // The edited pages are those whose `shown` key changed: with the context
            // key, it covers all a page's files are made from.
            Plan::RerenderChangedContexts(mut pages) => {
                pages.extend(self.contexts_changed(|i| {
                    let path = &self.content.pages[i].content_path;
                    previous.pages.get(path)?.out.as_ref()?.context
                }));
                pages
            }
            Plan::FullReload | Plan::Restructure | Plan::RerenderAll { .. } => (0..count).collect(),
        };
        let outputs: Vec<Option<PageOut>> = (0..count)
            .map(|i| {
                if redo.contains(&i) {
                    return None;
                }
                let entry = previous
                    .pages
                    .get_mut(&self.content.pages[i].content_path)?;
                entry.taken.1 = entry.out.is_some();
                entry.out.take()
            })
            .collect();
        self.load_html(|i| outputs[i].is_none())?;
        Ok(outputs)
    }

    /// What templates see of each page.
    pub(super) fn shown_keys(&self) -> Vec<Key> {
        use rayon::prelude::*;
        (0..self.content.pages.len())
            .into_par_iter()
            .map(|i| self.shown_key(i))
            .collect()
    }

    /// The segment of `count` each page is kept in (`segments::assign`).
    fn segments(&self, count: usize) -> Vec<usize> {
        let paths: Vec<&str> = (self.content.pages.iter())
            .map(|p| p.content_path.as_str())
            .collect();
        segments::assign(&self.nav.sibling_order(), &paths, count)
    }

    /// Each page's HTML file and the segment its page is kept in (`Rendered::places`).
    pub(super) fn places(&self) -> std::collections::HashMap<String, usize> {
        let count = segments::count_for(self.content.pages.len());
        (self.content.pages.iter().map(|p| p.output.clone()))
            .zip(self.segments(count))
            .collect()
    }

    /// Writes this run's results for the next one: the segments holding a page whose
    /// entry changed, then the index. A cache that cannot be written is a warning: the
    /// site is built all the same. `Err(why)` when the HTML of a page of a segment
    /// written again cannot be read back from the previous cache (see
    /// [`Self::load_html`]); nothing is written then. `markdown` and `nav` are this
    /// run's keys of what every page's Markdown depends on and of the navigation;
    /// `search_index` the search index this run made, and its parts.
    pub(super) fn save_cache(
        &mut self,
        path: &Path,
        (markdown, nav): (Key, Key),
        shown: &[Key],
        previous: Option<&Previous>,
        search_index: Option<&SearchIndex>,
    ) -> Result<(), String> {
        let count = segments::count_for(self.content.pages.len());
        let segment_of = self.segments(count);
        let kept = self.unchanged_segments(previous, shown, &segment_of, count);
        let mut members = vec![Vec::new(); count];
        for (i, &segment) in segment_of.iter().enumerate() {
            members[segment].push(i);
        }
        let rewritten: Vec<bool> = (0..self.pages.len())
            .map(|i| kept[segment_of[i]].is_none())
            .collect();
        self.load_html(|i| rewritten[i])?;
        let (templates, template_env) = self.template_keys();
        let undecorated = self.undecorated.take();
        if previous.is_none_or(|p| p.segments.len() > count) {
            segments::remove_from(path, count);
        }
        let this = &*self;
        let stamps: std::io::Result<Vec<Option<Key>>> = (members.into_par_iter().enumerate())
            .map(|(segment, pages)| match (kept[segment], pages.is_empty()) {
                (_, true) => {
                    segments::remove(path, segment);
                    Ok(None)
                }
                (Some(stamp), false) => Ok(Some(stamp)),
                (None, false) => {
                    let raw = undecorated.as_deref();
                    this.write_segment(path, segment, &pages, raw, shown)
                        .map(Some)
                }
            })
            .collect();
        let written = stamps.and_then(|segments| {
            let snapshot = Snapshot {
                markdown,
                templates,
                template_env,
                nav,
                segments,
                search: self.record_search_index(search_index),
            };
            store::write(path, &snapshot)
        });
        if let Err(e) = written {
            // Segments written without their index would not match the one there.
            let _ = std::fs::remove_file(path);
            self.cache_warning = Some(
                Diagnostic::warning(
                    path.display().to_string(),
                    format!("cannot write the build cache: {e}"),
                )
                .with_help("the site was built; the next build renders every page again"),
            );
        }
        Ok(())
    }

    /// The stamp of each of this run's `count` segments that the previous run's cache
    /// holds with exactly this run's pages, each taken whole from it: its file is kept
    /// as it is. None when the site was split otherwise. `segment_of` is each page's
    /// segment in this run (`segments::assign`): a page that was kept in another one
    /// before (its folder gained a page) makes both be written again.
    fn unchanged_segments(
        &self,
        previous: Option<&Previous>,
        shown: &[Key],
        segment_of: &[usize],
        count: usize,
    ) -> Vec<Option<Key>> {
        let Some(previous) = previous.filter(|p| p.segments.len() == count) else {
            return vec![None; count];
        };
        let mut kept = previous.segments.clone();
        let mut before = vec![0usize; count];
        for page in previous.pages.values() {
            before[page.segment] += 1;
        }
        let mut now = vec![0usize; count];
        for (i, page) in self.content.pages.iter().enumerate() {
            let segment = segment_of[i];
            now[segment] += 1;
            let entry = previous.pages.get(&page.content_path);
            let same = entry.is_some_and(|e| {
                e.segment == segment
                    && e.taken == (true, true)
                    && e.shown == shown[i]
                    && self.page_out.get(i).is_some()
            });
            if !same {
                kept[segment] = None;
            }
        }
        for (segment, stamp) in kept.iter_mut().enumerate() {
            if before[segment] != now[segment] {
                *stamp = None;
            }
        }
        kept
    }

    /// Writes the entries of `pages` (indices) as segment `segment`; returns its stamp.
    fn write_segment(
        &self,
        path: &Path,
        segment: usize,
        pages: &[usize],
        undecorated: Option<&[(String, usize)]>,
        shown: &[Key],
    ) -> std::io::Result<Key> {
        // A build's output folder holds the pages' bytes; serve has none.
        let mut blob = match self.options.output {
            Some(_) => Blob::digests_only(),
            None => Blob::default(),
        };
        let mut entries = std::collections::BTreeMap::new();
        let mut rest = RestWriter::default();
        // A translated page is made of two files: only a site of one language's are kept.
        let load = super::load_options(&self.config, &self.options);
        let keeps_parse = load.language.is_none();
        for &i in pages {
            let page = &self.content.pages[i];
            let rendered = &self.pages[i];
            let mut markdown = match undecorated {
                Some(raw) => CachedRendered::undecorated(rendered, &raw[i].0, raw[i].1),
                None => CachedRendered::new(rendered),
            };
            // `save_cache` read the HTML the page left in the previous cache.
            debug_assert!(self.lazy_bodies.get(i).is_none_or(Option::is_none));
            let html = markdown.take_html();
            let rendered_digest = rest_digest(&markdown);
            let body = rest.add(&markdown.take_body(html), rendered_digest)?;
            let entry = CachedPage {
                source: source_key(page),
                includes: includes_key(self.root(), &rendered.markdown.includes),
                markdown,
                body,
                shown: shown[i],
                out: self
                    .page_out
                    .get(i)
                    .map(|out| CachedOut::new(out, &mut blob)),
                parse: keeps_parse.then(|| CachedSource::of(page, &load)).flatten(),
            };
            entries.insert(page.content_path.clone(), entry);
        }
        segments::write(path, segment, entries, &blob, &rest.parts)
    }
}

/// Puts the body `lazy` holds into `page` (and leaves `lazy` empty).
fn fill_body(page: &mut RenderedPage, lazy: &mut Option<LazyBody>) -> Result<(), String> {
    if let Some(cached) = lazy.take() {
        cached.load()?.fill(&mut page.markdown);
    }
    Ok(())
}

/// Which templates changed between two runs, by name.
fn template_change(
    before: &std::collections::BTreeMap<String, Key>,
    now: &std::collections::BTreeMap<String, Key>,
) -> TemplateChange {
    if !before.keys().eq(now.keys()) {
        // One appearing or going can change which template any page uses.
        return TemplateChange::All;
    }
    let changed: Vec<String> = now
        .iter()
        .filter(|(name, key)| before.get(*name) != Some(key))
        .map(|(name, _)| name.clone())
        .collect();
    if changed.is_empty() {
        TemplateChange::Unchanged
    } else {
        TemplateChange::Named(changed)
    }
}
