//! `theme.features`: the optional parts of a page, by MkDocs Material's names.
//!
//! The decred theme's reader features (previous/next, breadcrumbs, copy buttons, the
//! edit link) are on for every site: they are what readers expect of a documentation
//! site, and a project that lists no features (as most MkDocs projects list only a few)
//! should not lose them by switching. Listing a feature turns on one that is off by
//! default (tabs, back to top, the integrated table of contents, the view-source link).

use serde::Serialize;

/// Which optional parts the pages show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Features {
    /// `navigation.tabs`: top-level sections as tabs below the header (wide screens).
    pub tabs: bool,
    /// `navigation.footer`: previous and next links below each page.
    pub footer: bool,
    /// `navigation.path`: breadcrumbs above the title.
    pub path: bool,
    /// `navigation.top`: a "back to top" button once the reader has scrolled down.
    pub top: bool,
    /// `toc.integrate`: the table of contents inside the navigation, not beside the page.
    pub toc_integrate: bool,
    /// `content.code.copy`: a copy button on each code block.
    pub code_copy: bool,
    /// `content.action.edit` / `content.action.view`: links to edit or view the source.
    pub edit: bool,
    pub view: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            tabs: false,
            footer: true,
            path: true,
            top: false,
            toc_integrate: false,
            code_copy: true,
            edit: true,
            view: false,
        }
    }
}

/// Material features the decred theme has no part for: accepted without a warning,
/// because they change how Material behaves, not what a page holds (instant loading,
/// search tweaks, sticky or expanded navigation, annotations, tooltips).
const WITHOUT_EFFECT: &[&str] = &[
    "announce.dismiss",
    "content.code.annotate",
    "content.code.select",
    "content.footnote.tooltips",
    "content.tabs.link",
    "content.tooltips",
    "header.autohide",
    "navigation.expand",
    "navigation.indexes",
    "navigation.instant",
    "navigation.instant.prefetch",
    "navigation.instant.progress",
    "navigation.instant.preview",
    "navigation.prune",
    "navigation.sections",
    "navigation.tabs.sticky",
    "navigation.tracking",
    "search.highlight",
    "search.share",
    "search.suggest",
    "toc.follow",
];

impl Features {
    /// Turns on the feature `name`; false when the name is no feature at all (a typo, or
    /// one of another theme), for the caller's warning.
    pub fn enable(&mut self, name: &str) -> bool {
        let flag = match name {
            "navigation.tabs" => &mut self.tabs,
            "navigation.footer" => &mut self.footer,
            "navigation.path" => &mut self.path,
            "navigation.top" => &mut self.top,
            "toc.integrate" => &mut self.toc_integrate,
            "content.code.copy" => &mut self.code_copy,
            "content.action.edit" => &mut self.edit,
            "content.action.view" => &mut self.view,
            // The announcement bar shows whenever there is an announcement.
            "announce" => return true,
            other => return WITHOUT_EFFECT.contains(&other),
        };
        *flag = true;
        true
    }

    /// The feature names the theme knows, for "did you mean".
    pub fn known() -> impl Iterator<Item = &'static str> {
        [
            "navigation.tabs",
            "navigation.footer",
            "navigation.path",
            "navigation.top",
            "toc.integrate",
            "content.code.copy",
            "content.action.edit",
            "content.action.view",
        ]
        .into_iter()
        .chain(WITHOUT_EFFECT.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_features_turn_on_and_unknown_ones_are_refused() {
        let mut f = Features::default();
        assert!(!f.tabs && !f.top && !f.toc_integrate && !f.view);
        assert!(f.footer && f.path && f.code_copy && f.edit);
        for name in [
            "navigation.tabs",
            "navigation.top",
            "toc.integrate",
            "content.action.view",
            "navigation.instant",
        ] {
            assert!(f.enable(name), "{name}");
        }
        assert!(f.tabs && f.top && f.toc_integrate && f.view);
        assert!(!f.enable("navigation.tab"));
    }
}
