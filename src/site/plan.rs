//! How much of the site a batch of changed paths makes the state redo. Each path's
//! [`ChangeKind`] becomes an [`Effect`] once the disk and the cached state were asked
//! about it ([`Lookup`]); the effects add up to [`Changes`]; and, after the state took in
//! what they name (assets, templates, edited pages), the changes choose one [`Plan`].
//! Nothing here reads a file or renders a page, so every decision is unit-tested.

use std::collections::BTreeSet;

use super::change::ChangeKind;

/// What the disk and the cached state say about a changed content page.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PageFacts {
    /// Its index among the loaded pages, when it is one.
    pub(crate) index: Option<usize>,
    /// It is a file now (not gone, not a folder).
    pub(crate) is_file: bool,
    /// It is now a link to outside the site root.
    pub(crate) leads_outside: bool,
    /// A problem of loading the content is at it: it was never loaded, yet its going
    /// away changes the site.
    pub(crate) failed_to_load: bool,
}

/// What the disk and the cached state say about a changed content file or folder.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FileFacts {
    pub(crate) is_file: bool,
    pub(crate) exists: bool,
    /// It is now a link to outside the site root.
    pub(crate) leads_outside: bool,
    /// The state copies it into the Output as it is.
    pub(crate) copied: bool,
    /// It is a loaded page or file, or a folder holding one.
    pub(crate) known: bool,
    /// A problem of loading the content is at it or inside it.
    pub(crate) failed_to_load: bool,
}

/// What the planner asks of the disk and the cached state.
pub(crate) trait Lookup {
    fn page(&self, content_path: &str) -> PageFacts;
    fn file(&self, content_path: &str) -> FileFacts;
    /// The pages that may include a snippet, directly or through another one.
    fn snippet_includers(&self) -> Vec<usize>;
}

/// What one changed path asks of a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Everything is loaded again.
    Reload,
    /// The content folder is walked again: pages or files appeared, moved or went.
    Restructure,
    /// A template changed, by name.
    Template(String),
    /// The theme folder: its static files and any template.
    Theme,
    /// A static asset.
    Assets,
    /// These pages are read and rendered again.
    Pages(Vec<usize>),
    /// Nothing to render: a file copied as it is, an editor's vanished temp file, or a
    /// path the site does not read.
    Nothing,
}

/// The effect of a changed path of this kind.
pub(crate) fn effect(kind: &ChangeKind, lookup: &impl Lookup) -> Effect {
    match kind {
        ChangeKind::Config | ChangeKind::Icons => Effect::Reload,
        ChangeKind::Template(name) => Effect::Template(name.clone()),
        ChangeKind::Assets { .. } => Effect::Assets,
        ChangeKind::Theme => Effect::Theme,
        ChangeKind::ContentPage(path) => page_effect(lookup.page(path)),
        ChangeKind::ContentFile(path) => file_effect(lookup.file(path)),
        ChangeKind::ContentDir => Effect::Restructure,
        ChangeKind::Snippet => Effect::Pages(lookup.snippet_includers()),
        ChangeKind::Ignored => Effect::Nothing,
    }
}

fn page_effect(page: PageFacts) -> Effect {
    if page.leads_outside {
        // Only the content walk reports it, at its path.
        return Effect::Restructure;
    }
    match page.index {
        Some(i) if page.is_file => Effect::Pages(vec![i]),
        // Gone and never known: an editor's temp file, already renamed; unless it is a
        // file that failed to load, whose error must go.
        None if !page.is_file && !page.failed_to_load => Effect::Nothing,
        _ => Effect::Restructure,
    }
}

fn file_effect(file: FileFacts) -> Effect {
    // A known file changed in place is copied from disk as it is: nothing to render. A
    // new or removed file or folder changes what links can resolve to. Something gone
    // that was never known is an editor's temp file.
    let in_place = file.is_file && file.copied;
    let appeared_or_went = !in_place && (file.exists || file.known || file.failed_to_load);
    if appeared_or_went || file.leads_outside {
        Effect::Restructure
    } else {
        Effect::Nothing
    }
}

/// Whether every path that matters is a stylesheet, so browsers may swap stylesheets
/// instead of reloading.
pub(crate) fn only_stylesheets(kinds: &[ChangeKind]) -> bool {
    kinds
        .iter()
        .all(|k| matches!(k, ChangeKind::Assets { css: true } | ChangeKind::Ignored))
        && kinds.iter().any(|k| *k != ChangeKind::Ignored)
}

/// Which templates changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum TemplateChange {
    #[default]
    Unchanged,
    /// Only these were edited: the pages using them can be told.
    Named(Vec<String>),
    /// Any page's template may now be another or render differently.
    All,
}

impl TemplateChange {
    fn add(&mut self, name: String) {
        match self {
            TemplateChange::Unchanged => *self = TemplateChange::Named(vec![name]),
            TemplateChange::Named(names) => names.push(name),
            TemplateChange::All => {}
        }
    }
}

/// What a batch of changes touched, filled in as the state takes it in.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Changes {
    pub(crate) reload: bool,
    pub(crate) restructure: bool,
    pub(crate) assets: bool,
    pub(crate) templates: TemplateChange,
    /// Pages to read and render again, by index.
    pub(crate) edited: BTreeSet<usize>,
    /// Set once the edited pages were read again: navigation shows them differently.
    pub(crate) navigation: bool,
}

/// What the state does to take in a batch of changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    /// The configuration or the icons changed: everything is loaded again.
    FullReload,
    /// Pages or content files appeared, moved or went: the content is walked again and
    /// every stage redone.
    Restructure,
    /// Only templates were edited, and only these pages use them: their templates are
    /// rendered again.
    TemplateDependents(BTreeSet<usize>),
    /// Every page's templates are rendered again: any template may have changed (and the
    /// navigation too, rebuilt first when `rebuild_nav`).
    RerenderAll { rebuild_nav: bool },
    /// The navigation changed (a title, an order, an icon), templates and assets did not:
    /// it is rebuilt, and these pages (the edited ones) and those whose context key
    /// changed with it (what they show of the navigation, their neighbours, a section's
    /// cards) are rendered again. A title shown in one section's navigation renders that
    /// section, not the site.
    RerenderChangedContexts(BTreeSet<usize>),
    /// Pages were edited, the navigation is as it was: these pages (the edited ones and
    /// their sections) are rendered again and patched into the Output.
    PatchPages(BTreeSet<usize>),
    /// Assets changed under the same names: these pages (edited ones and their
    /// sections, if any) are rendered again and the Output is assembled anew.
    Reassemble(BTreeSet<usize>),
    /// Only files copied as they are changed, or nothing the site uses.
    CopyOnly,
}

impl Changes {
    pub(crate) fn gather(effects: impl IntoIterator<Item = Effect>) -> Changes {
        let mut changes = Changes::default();
        for effect in effects {
            changes.add(effect);
        }
        changes
    }

    fn add(&mut self, effect: Effect) {
        match effect {
            Effect::Reload => self.reload = true,
            Effect::Restructure => self.restructure = true,
            Effect::Template(name) => self.templates.add(name),
            Effect::Theme => {
                self.assets = true;
                self.templates = TemplateChange::All;
            }
            Effect::Assets => self.assets = true,
            Effect::Pages(pages) => self.edited.extend(pages),
            Effect::Nothing => {}
        }
    }

    /// The plan, once the state took in the changed assets, templates and pages.
    /// `template_users` tells the pages whose template depends on the named ones (`None`
    /// when that cannot be told page by page); `section_of` a page's section.
    pub(crate) fn plan(
        &self,
        template_users: impl FnOnce(&[String]) -> Option<BTreeSet<usize>>,
        section_of: impl Fn(usize) -> Option<usize>,
    ) -> Plan {
        if self.reload {
            return Plan::FullReload;
        }
        if self.restructure {
            return Plan::Restructure;
        }
        if let Some(pages) = self.only_named_templates().and_then(template_users) {
            return Plan::TemplateDependents(pages);
        }
        if self.navigation && self.templates == TemplateChange::Unchanged && !self.assets {
            return Plan::RerenderChangedContexts(self.edited.clone());
        }
        if self.navigation || self.templates != TemplateChange::Unchanged {
            return Plan::RerenderAll {
                rebuild_nav: self.navigation,
            };
        }
        if self.edited.is_empty() && !self.assets {
            return Plan::CopyOnly;
        }
        // A page's body shows in its own page and, as a summary or a person, in its
        // section's page; nothing else reads it.
        let mut pages = self.edited.clone();
        pages.extend(self.edited.iter().filter_map(|&i| section_of(i)));
        if self.assets {
            Plan::Reassemble(pages)
        } else {
            Plan::PatchPages(pages)
        }
    }

    /// The edited templates, when they are all that changed.
    fn only_named_templates(&self) -> Option<&[String]> {
        match &self.templates {
            TemplateChange::Named(names)
                if !self.navigation && !self.assets && self.edited.is_empty() =>
            {
                Some(names)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{
        effect, only_stylesheets, Changes, Effect, FileFacts, Lookup, PageFacts, Plan,
        TemplateChange,
    };
    use crate::site::change::ChangeKind;

    /// A cached state that answers every page and file lookup alike, and knows pages 1
    /// and 4 to include snippets.
    struct Known {
        page: PageFacts,
        file: FileFacts,
    }

    impl Lookup for Known {
        fn page(&self, _: &str) -> PageFacts {
            self.page
        }
        fn file(&self, _: &str) -> FileFacts {
            self.file
        }
        fn snippet_includers(&self) -> Vec<usize> {
            vec![1, 4]
        }
    }

    fn page_effect(page: PageFacts) -> Effect {
        let known = Known {
            page,
            file: FileFacts::default(),
        };
        effect(&ChangeKind::ContentPage("guide.md".into()), &known)
    }

    fn file_effect(file: FileFacts) -> Effect {
        let known = Known {
            page: PageFacts::default(),
            file,
        };
        effect(&ChangeKind::ContentFile("img/a.png".into()), &known)
    }

    #[test]
    fn kinds_that_need_no_lookup() {
        let known = Known {
            page: PageFacts::default(),
            file: FileFacts::default(),
        };
        let cases = [
            (ChangeKind::Config, Effect::Reload),
            (ChangeKind::Icons, Effect::Reload),
            (
                ChangeKind::Template("a.html".into()),
                Effect::Template("a.html".into()),
            ),
            (ChangeKind::Assets { css: true }, Effect::Assets),
            (ChangeKind::Theme, Effect::Theme),
            (ChangeKind::ContentDir, Effect::Restructure),
            (ChangeKind::Snippet, Effect::Pages(vec![1, 4])),
            (ChangeKind::Ignored, Effect::Nothing),
        ];
        for (kind, expected) in cases {
            assert_eq!(effect(&kind, &known), expected, "{kind:?}");
        }
    }

    #[test]
    fn content_pages() {
        let page = |index, is_file, leads_outside, failed_to_load| PageFacts {
            index,
            is_file,
            leads_outside,
            failed_to_load,
        };
        let cases = [
            (
                "edited",
                page(Some(3), true, false, false),
                Effect::Pages(vec![3]),
            ),
            (
                "created",
                page(None, true, false, false),
                Effect::Restructure,
            ),
            (
                "deleted",
                page(Some(3), false, false, false),
                Effect::Restructure,
            ),
            (
                "temp file gone",
                page(None, false, false, false),
                Effect::Nothing,
            ),
            (
                "bad page deleted",
                page(None, false, false, true),
                Effect::Restructure,
            ),
            (
                "bad page edited",
                page(None, true, false, true),
                Effect::Restructure,
            ),
            (
                "now a link out",
                page(Some(3), true, true, false),
                Effect::Restructure,
            ),
            (
                "gone, link out",
                page(None, false, true, false),
                Effect::Restructure,
            ),
        ];
        for (name, facts, expected) in cases {
            assert_eq!(page_effect(facts), expected, "{name}");
        }
    }

    #[test]
    fn content_files_and_folders() {
        let copied_in_place = FileFacts {
            is_file: true,
            exists: true,
            copied: true,
            known: true,
            ..FileFacts::default()
        };
        let cases = [
            ("edited in place", copied_in_place, Effect::Nothing),
            (
                "now a link out",
                FileFacts {
                    leads_outside: true,
                    ..copied_in_place
                },
                Effect::Restructure,
            ),
            (
                "created",
                FileFacts {
                    is_file: true,
                    exists: true,
                    ..FileFacts::default()
                },
                Effect::Restructure,
            ),
            (
                "deleted",
                FileFacts {
                    known: true,
                    ..FileFacts::default()
                },
                Effect::Restructure,
            ),
            (
                "a folder created",
                FileFacts {
                    exists: true,
                    ..FileFacts::default()
                },
                Effect::Restructure,
            ),
            (
                "a file that failed to load, deleted",
                FileFacts {
                    failed_to_load: true,
                    ..FileFacts::default()
                },
                Effect::Restructure,
            ),
            ("temp file gone", FileFacts::default(), Effect::Nothing),
        ];
        for (name, facts, expected) in cases {
            assert_eq!(file_effect(facts), expected, "{name}");
        }
    }

    #[test]
    fn stylesheets_only() {
        use ChangeKind::*;
        let cases: [(&[ChangeKind], bool); 5] = [
            (&[Assets { css: true }, Ignored], true),
            (&[Assets { css: true }, Assets { css: false }], false),
            (&[Assets { css: true }, ContentFile("a.png".into())], false),
            (&[Ignored], false),
            (&[], false),
        ];
        for (kinds, expected) in cases {
            assert_eq!(only_stylesheets(kinds), expected, "{kinds:?}");
        }
    }

    #[test]
    fn effects_add_up() {
        let changes = Changes::gather([
            Effect::Template("a.html".into()),
            Effect::Nothing,
            Effect::Pages(vec![2]),
            Effect::Template("b.html".into()),
            Effect::Pages(vec![2, 5]),
        ]);
        assert_eq!(
            changes,
            Changes {
                templates: TemplateChange::Named(vec!["a.html".into(), "b.html".into()]),
                edited: BTreeSet::from([2, 5]),
                ..Changes::default()
            }
        );
        for effects in [
            [Effect::Theme, Effect::Template("a.html".into())],
            [Effect::Template("a.html".into()), Effect::Theme],
        ] {
            let changes = Changes::gather(effects);
            assert_eq!(changes.templates, TemplateChange::All);
            assert!(changes.assets);
        }
    }

    fn pages(indices: &[usize]) -> BTreeSet<usize> {
        indices.iter().copied().collect()
    }

    /// The plan for `effects` (and `navigation` found changed), with page 7 using the
    /// named templates and page 2 in section 0.
    fn plan_for(effects: Vec<Effect>, navigation: bool) -> Plan {
        let mut changes = Changes::gather(effects);
        changes.navigation = navigation;
        changes.plan(|_| Some(pages(&[7])), |i| (i == 2).then_some(0))
    }

    #[test]
    fn plans() {
        use Effect::*;
        let template = || Template("a.html".into());
        let page = || Pages(vec![2]);
        let all_pages = Plan::RerenderAll { rebuild_nav: false };
        let cases = [
            ("nothing", vec![Nothing], false, Plan::CopyOnly),
            (
                "reload wins",
                vec![Restructure, Reload],
                false,
                Plan::FullReload,
            ),
            (
                "restructure",
                vec![page(), Restructure],
                false,
                Plan::Restructure,
            ),
            (
                "one template",
                vec![template()],
                false,
                Plan::TemplateDependents(pages(&[7])),
            ),
            (
                "a template and a page",
                vec![template(), page()],
                false,
                all_pages.clone(),
            ),
            (
                "a template and an asset",
                vec![template(), Assets],
                false,
                all_pages.clone(),
            ),
            ("the theme", vec![Theme], false, all_pages.clone()),
            (
                "navigation",
                vec![page()],
                true,
                Plan::RerenderChangedContexts(pages(&[2])),
            ),
            (
                "navigation and an asset",
                vec![page(), Assets],
                true,
                Plan::RerenderAll { rebuild_nav: true },
            ),
            (
                "navigation and a template",
                vec![page(), Template("page.html".into())],
                true,
                Plan::RerenderAll { rebuild_nav: true },
            ),
            (
                "a page",
                vec![page()],
                false,
                Plan::PatchPages(pages(&[0, 2])),
            ),
            (
                "a page and an asset",
                vec![page(), Assets],
                false,
                Plan::Reassemble(pages(&[0, 2])),
            ),
            (
                "an asset",
                vec![Assets],
                false,
                Plan::Reassemble(pages(&[])),
            ),
        ];
        for (name, effects, navigation, expected) in cases {
            assert_eq!(plan_for(effects, navigation), expected, "{name}");
        }
    }

    #[test]
    fn templates_whose_users_cannot_be_told_rerender_every_page() {
        let changes = Changes {
            templates: TemplateChange::Named(vec!["404.html".into()]),
            ..Changes::default()
        };
        assert_eq!(
            changes.plan(|_| None, |_| None),
            Plan::RerenderAll { rebuild_nav: false }
        );
    }
}
