//! Bringing a loaded state up to date with changed files: each path is classified
//! (`change.rs`), the changes are planned (`plan.rs`), and each plan is carried out by a
//! method of its own.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::{load_options, SiteState, Update};
use crate::assets::Manifest;
use crate::content;
use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::site::change::{classify, ChangeKind};
use crate::site::plan::{self, Changes, Plan, TemplateChange};
use crate::site::{load_assets, load_templates};
use crate::templates::Templates;

impl SiteState {
    /// Brings the state up to date with the files at `paths` (created, changed, deleted
    /// or renamed; absolute or relative to the root as given in the options).
    /// `Err` when the site can no longer be loaded at all: the state is then unusable and
    /// the caller loads it again after the next change.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let kinds: Vec<ChangeKind> = paths
            .iter()
            .map(|p| classify(&self.config, self.root(), p))
            .collect();
        let mut changes = Changes::gather(kinds.iter().map(|k| plan::effect(k, &*self)));
        // A file included into pages is one of their sources, wherever it is.
        let includers: Vec<usize> = paths.iter().flat_map(|p| self.includers_of(p)).collect();
        changes.edited.extend(includers);
        // Other languages are loaded from the same files under other rules (a translation
        // in place of its page): a multilingual site is loaded again as a whole, which
        // keeps it equal to a full build.
        if self.is_multilingual() && kinds.iter().any(|k| *k != ChangeKind::Ignored) {
            changes.reload = true;
        }
        let mut update = Update {
            css_only: plan::only_stylesheets(&kinds),
            ..Update::default()
        };
        if !changes.reload {
            self.take_in(&mut changes, &mut update);
        }
        let plan = changes.plan(
            |names| self.pages_using_templates(names),
            |i| self.content.pages[i].parent,
        );
        self.carry_out(plan, &mut update)?;
        self.add_copied_changes(paths, &mut update);
        Ok(update)
    }

    /// Loads again what the changes name, which the plan depends on: the assets (new
    /// names reach every template), the templates (one appearing can change any page's),
    /// and the edited pages (they may move, or show differently in the navigation).
    fn take_in(&mut self, changes: &mut Changes, update: &mut Update) {
        if changes.assets {
            self.reload_assets(changes, update);
        }
        if changes.templates != TemplateChange::Unchanged {
            self.reload_templates(changes);
        }
        if !changes.restructure {
            self.reread_edited(changes, update);
        }
    }

    fn reload_assets(&mut self, changes: &mut Changes, update: &mut Update) {
        let (assets, problems) = load_assets(self.root(), &self.config);
        if assets.manifest != self.assets.manifest {
            // Templates resolve `asset_url` through the manifest: CSS/JS got new names.
            changes.templates = TemplateChange::All;
            update.css_swaps = css_swaps(&self.assets.manifest, &assets.manifest);
        }
        self.assets = assets;
        self.asset_problems = problems;
    }

    fn reload_templates(&mut self, changes: &mut Changes) {
        let (templates, problems) = load_templates(self.root(), &self.config, &self.assets);
        // A template that appears or disappears (or templates that fail to load) can
        // change which template any page uses.
        if template_names(self.templates.as_ref()) != template_names(templates.as_ref())
            || !problems.is_empty()
            || !self.template_problems.is_empty()
        {
            changes.templates = TemplateChange::All;
        }
        self.templates = templates;
        self.template_problems = problems;
    }

    /// Reads the edited pages again, unless one moved or went: then the content must be
    /// walked again.
    fn reread_edited(&mut self, changes: &mut Changes, update: &mut Update) {
        for &i in &changes.edited {
            match self.reread_page(i) {
                Some(affects_nav) => changes.navigation |= affects_nav,
                None => {
                    changes.restructure = true;
                    return;
                }
            }
        }
        update.markdown_rendered = changes.edited.len();
    }

    fn carry_out(&mut self, plan: Plan, update: &mut Update) -> Result<(), Vec<Diagnostic>> {
        match plan {
            Plan::FullReload => self.reload_everything(update)?,
            Plan::Restructure => self.restructure(update),
            Plan::TemplateDependents(pages) => self.rerender_template_users(&pages, update),
            Plan::RerenderAll { rebuild_nav } => self.rerender_all(rebuild_nav, update),
            Plan::RerenderChangedContexts(edited) => self.rerender_changed_contexts(edited, update),
            Plan::PatchPages(pages) => self.patch_edited_pages(&pages, update),
            Plan::Reassemble(pages) => {
                update.templates_rendered = self.render_templates_of(&pages);
                self.reassemble(update);
            }
            Plan::CopyOnly => self.collect_problems(),
        }
        Ok(())
    }

    fn reload_everything(&mut self, update: &mut Update) -> Result<(), Vec<Diagnostic>> {
        let new = SiteState::load(&self.options)?;
        let old = std::mem::replace(self, new);
        record_diff(&old.output, &self.output, update);
        update.full = true;
        update.markdown_rendered = self.pages.len();
        update.templates_rendered = self.page_out.len();
        Ok(())
    }

    fn restructure(&mut self, update: &mut Update) {
        let (content, problems) =
            content::load_with(self.root(), &load_options(&self.config, &self.options));
        self.content = content;
        self.content_problems = problems;
        self.render_all_markdown();
        self.rebuild_nav();
        self.render_all_templates();
        update.markdown_rendered = self.pages.len();
        update.templates_rendered = self.page_out.len();
        self.reassemble(update);
    }

    /// Only the pages whose template is, extends, includes or imports an edited one.
    fn rerender_template_users(&mut self, pages: &BTreeSet<usize>, update: &mut Update) {
        update.templates_rendered = self.render_templates_of(pages);
        match self.patch_pages(pages) {
            Some(changed) => {
                update.changed = changed;
                self.collect_problems();
            }
            None => self.reassemble(update),
        }
    }

    fn rerender_all(&mut self, rebuild_nav: bool, update: &mut Update) {
        if rebuild_nav {
            self.rebuild_nav();
        }
        self.render_all_templates();
        update.templates_rendered = self.page_out.len();
        self.reassemble(update);
    }

    /// The navigation changed: the edited pages and those that show it differently, by
    /// their context key, are rendered again.
    fn rerender_changed_contexts(&mut self, edited: BTreeSet<usize>, update: &mut Update) {
        self.rebuild_nav();
        let outs = &self.page_out;
        let mut pages = self.contexts_changed(|i| outs.get(i).and_then(|o| o.context));
        pages.extend(edited);
        update.templates_rendered = self.render_templates_of(&pages);
        self.rerender_not_found();
        self.reassemble(update);
    }

    fn patch_edited_pages(&mut self, pages: &BTreeSet<usize>, update: &mut Update) {
        update.templates_rendered = self.render_templates_of(pages);
        let Some(mut changed) = self.patch_pages(pages) else {
            self.reassemble(update);
            return;
        };
        // The edited pages' words are in the search index too.
        let known = std::mem::take(&mut self.search_parts);
        if let Some((index, parts)) = self.search_index(&known) {
            self.search_parts = parts;
            let path = crate::search::INDEX_PATH.to_string();
            if self.output.files.get(&path) != Some(&index) {
                changed.push(path.clone());
                self.output.files.insert(path, index);
            }
        }
        update.changed = changed;
        self.collect_problems();
    }

    /// Puts every file into a new Output and tells what moved.
    fn reassemble(&mut self, update: &mut Update) {
        let old = std::mem::take(&mut self.output);
        self.assemble();
        record_diff(&old, &self.output, update);
    }
}

/// The names of the templates loaded, none when they failed to load.
fn template_names(templates: Option<&Templates>) -> BTreeSet<String> {
    templates
        .map(|t| t.names().map(String::from).collect())
        .unwrap_or_default()
}

/// Output paths added or changed from `old` to `new`, and removed, as a reassembly's.
fn record_diff(old: &Output, new: &Output, update: &mut Update) {
    update.changed = new
        .files
        .iter()
        .filter(|(p, f)| old.files.get(*p) != Some(*f))
        .map(|(p, _)| p.clone())
        .collect();
    update.removed = old
        .files
        .keys()
        .filter(|p| !new.files.contains_key(*p))
        .cloned()
        .collect();
    update.reassembled = true;
}

/// Stylesheets whose output name changed between two manifests.
fn css_swaps(old: &Manifest, new: &Manifest) -> Vec<(String, String)> {
    new.names()
        .filter(|n| n.ends_with(".css"))
        .filter_map(|n| match (old.output_path(n), new.output_path(n)) {
            (Some(a), Some(b)) if a != b => Some((a.to_string(), b.to_string())),
            _ => None,
        })
        .collect()
}
