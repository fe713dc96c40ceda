//! Redoing single pages of a loaded state and patching their files into the Output,
//! for the plans that need not reassemble it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{load_options, PageOut, SiteState, Update};
use crate::content::walk::{FileKind, SourceFile};
use crate::content::{self};
use crate::output::Body;
use crate::site::highlighter;
use crate::site::markdown_pass::PageRenderer;

impl SiteState {
    /// Reads page `i` again after its file changed. `None` when the change moves or
    /// removes the page (the content tree must be rebuilt); otherwise whether navigation
    /// shows something different (title, icon, weight).
    pub(super) fn reread_page(&mut self, i: usize) -> Option<bool> {
        let old = &self.content.pages[i];
        // The blog's index lists its posts: a change to either is redone with the rest.
        if let Some(blog) = &self.config.plugins.blog {
            if blog.owns(&old.content_path) {
                return None;
            }
        }
        let file = SourceFile {
            content_path: old.content_path.clone(),
            abs_path: self
                .root()
                .join(self.config.layout().content())
                .join(&old.content_path),
            kind: FileKind::Markdown,
        };
        let mut page =
            content::read_page(&file, &load_options(&self.config, &self.options)).ok()?;
        // Tags show on other pages too (the index): a change to them redoes the rest.
        if self.config.plugins.tags
            && (crate::site::tags::involves(old) || crate::site::tags::involves(&page))
        {
            return None;
        }
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
    /// that cannot be told page by page (the templates failed to load, or the 404 page
    /// depends on them).
    pub(super) fn pages_using_templates(&self, changed: &[String]) -> Option<BTreeSet<usize>> {
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
    pub(super) fn render_templates_of(&mut self, which: &BTreeSet<usize>) -> usize {
        let Some(templates) = &self.templates else {
            return 0;
        };
        let base_path = self.config.base_path();
        let ctx = self.template_input();
        let which: Vec<usize> = which.iter().copied().collect();
        let outs: Vec<(usize, PageOut)> = which
            .par_iter()
            .map(|&i| {
                (
                    i,
                    PageOut::rendered(ctx.render_page(templates, i), &base_path),
                )
            })
            .collect();
        let count = outs.len();
        for (i, out) in outs {
            if let Some(slot) = self.page_out.get_mut(i) {
                *slot = out;
            }
        }
        count
    }

    /// Replaces the files of re-rendered pages in the Output in place; returns the paths
    /// that changed. `None` when that cannot give what a full assembly would (a page now
    /// fails or succeeds, writes other paths, or paths collide): the caller reassembles.
    pub(super) fn patch_pages(&mut self, which: &BTreeSet<usize>) -> Option<Vec<String>> {
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
                        && !matches!(f.body, Body::Copy(_))
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
        Some(changed)
    }

    /// Files served straight from disk (assets, content files) whose source is among
    /// `paths` changed although their entry in the Output did not.
    pub(super) fn add_copied_changes(&self, paths: &[PathBuf], update: &mut Update) {
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
