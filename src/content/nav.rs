//! Navigation: built once per build, shown on each page as a pruned view
//! (top level, the path to the current page expanded, and siblings), so output size
//! grows linearly with the number of pages rather than with its square.

use std::collections::HashMap;

use serde::Serialize;

/// What navigation needs to know of a page.
#[derive(Debug, Clone)]
pub(crate) struct NavPage {
    pub title: String,
    pub url: String,
    pub icon_html: String,
    pub parent: Option<usize>,
}

#[derive(Debug, Clone)]
struct NavNode {
    title: String,
    url: String,
    icon_html: String,
    external: bool,
    children: Vec<usize>,
    parent: Option<usize>,
    /// The page the entry stands for (none for a link or a group).
    page: Option<usize>,
}

impl NavNode {
    /// What the node's entry shows, current and open or not.
    fn entry(&self, is_current: bool, is_active: bool) -> Entry<'_> {
        Entry {
            title: &self.title,
            url: &self.url,
            icon_html: &self.icon_html,
            is_current,
            is_active,
            is_external: self.external,
            more: None,
        }
    }
}

/// The whole navigation tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Nav {
    nodes: Vec<NavNode>,
    roots: Vec<usize>,
    /// Page index → its node (the first, if listed twice).
    page_node: HashMap<usize, usize>,
    /// Page index → its place in reading order (see [`Nav::neighbours`]).
    reading_place: HashMap<usize, usize>,
    /// The listed pages in reading order: the tree depth first, each page once.
    reading_order: Vec<usize>,
}

/// An entry above a page, as its breadcrumbs show it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Crumb {
    pub title: String,
    pub url: String,
}

/// The most entries of one section a page's navigation lists. A section with more shows
/// a window around the current page and links to the section for the rest, so each
/// page's navigation has a bounded size and the site's output grows linearly.
pub(crate) const MAX_SIBLINGS: usize = 25;

/// One entry as templates see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct NavItem {
    pub title: String,
    pub url: String,
    pub icon_html: String,
    pub is_current: bool,
    pub is_active: bool,
    pub is_external: bool,
    /// A "N more in Section" entry standing for siblings left out (links to the section).
    pub is_more: bool,
    pub children: Vec<NavItem>,
}

/// An entry to build a tree from: a page, or a titled link/group.
#[derive(Debug, Clone)]
pub(crate) enum NavSpec {
    Page {
        page: usize,
        title: Option<String>,
        icon_html: Option<String>,
        children: Vec<NavSpec>,
    },
    Link {
        title: String,
        url: String,
        icon_html: String,
        children: Vec<NavSpec>,
    },
}

impl Nav {
    /// Everything pages show of the navigation, for the build cache to tell whether it
    /// changed (the maps are made from the rest).
    pub(crate) fn fingerprint(&self) -> String {
        format!("{:?}{:?}{:?}", self.nodes, self.roots, self.reading_order)
    }
}

impl Nav {
    /// Builds the tree from specs (explicit `nav` in site.yaml, or sections and weights).
    pub(crate) fn build(specs: &[NavSpec], pages: &[NavPage]) -> Nav {
        let mut nav = Nav::default();
        nav.roots = specs.iter().map(|s| nav.add(s, None, pages)).collect();
        // Nodes are added depth first, so their order is the reading order.
        for page in nav.nodes.iter().filter_map(|n| n.page) {
            if let std::collections::hash_map::Entry::Vacant(e) = nav.reading_place.entry(page) {
                e.insert(nav.reading_order.len());
                nav.reading_order.push(page);
            }
        }
        nav
    }

    /// The listed pages, each page once, with the entries of one level together: the
    /// top level's, then each entry's children (entries depth first). A page's
    /// navigation shows a window of its siblings, so these are the pages a change of
    /// one entry renders again.
    pub(crate) fn sibling_order(&self) -> Vec<usize> {
        let levels = std::iter::once(&self.roots).chain(self.nodes.iter().map(|n| &n.children));
        let mut seen = std::collections::HashSet::new();
        levels
            .flatten()
            .filter_map(|&node| self.nodes[node].page)
            .filter(|&page| seen.insert(page))
            .collect()
    }

    /// How many entries the tree has: the `node` [`ViewFold::closed`] is given is below.
    pub(crate) fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The pages before and after `page` in reading order (none for an unlisted page).
    pub(crate) fn neighbours(&self, page: usize) -> (Option<usize>, Option<usize>) {
        let Some(&at) = self.reading_place.get(&page) else {
            return (None, None);
        };
        let previous = at.checked_sub(1).map(|p| self.reading_order[p]);
        (previous, self.reading_order.get(at + 1).copied())
    }

    /// The entries above `page`, outermost first: its ancestors in the tree, or, for a
    /// page not listed, its nearest listed section and that section's ancestors.
    pub(crate) fn trail(&self, page: usize, pages: &[NavPage]) -> Vec<Crumb> {
        let mut listed = Some(page);
        let mut node = None;
        while let Some(p) = listed {
            if let Some(&n) = self.page_node.get(&p) {
                node = Some(n);
                break;
            }
            listed = pages[p].parent;
        }
        // A listed page is not its own crumb; an unlisted page's section is.
        if listed == Some(page) {
            node = node.and_then(|n| self.nodes[n].parent);
        }
        let mut crumbs = Vec::new();
        while let Some(id) = node {
            let n = &self.nodes[id];
            crumbs.push(Crumb {
                title: n.title.clone(),
                url: n.url.clone(),
            });
            node = n.parent;
        }
        crumbs.reverse();
        crumbs
    }

    fn add(&mut self, spec: &NavSpec, parent: Option<usize>, pages: &[NavPage]) -> usize {
        let id = self.nodes.len();
        let (node, children) = match spec {
            NavSpec::Page {
                page,
                title,
                icon_html,
                children,
            } => {
                self.page_node.entry(*page).or_insert(id);
                let p = &pages[*page];
                (
                    NavNode {
                        title: title.clone().unwrap_or_else(|| p.title.clone()),
                        url: p.url.clone(),
                        icon_html: icon_html.clone().unwrap_or_else(|| p.icon_html.clone()),
                        external: false,
                        children: Vec::new(),
                        parent,
                        page: Some(*page),
                    },
                    children,
                )
            }
            NavSpec::Link {
                title,
                url,
                icon_html,
                children,
            } => (
                NavNode {
                    title: title.clone(),
                    url: url.clone(),
                    icon_html: icon_html.clone(),
                    external: crate::content::urls::has_scheme(url) || url.starts_with("//"),
                    children: Vec::new(),
                    parent,
                    page: None,
                },
                children,
            ),
        };
        self.nodes.push(node);
        let kids: Vec<usize> = children
            .iter()
            .map(|c| self.add(c, Some(id), pages))
            .collect();
        self.nodes[id].children = kids;
        id
    }

    /// The pruned navigation for page `page`.
    pub(crate) fn view(&self, page: usize, pages: &[NavPage]) -> Vec<NavItem> {
        self.view_with(page, pages, &MakeItems)
    }

    /// Page `page`'s pruned navigation, each entry made by `fold` from what it shows and
    /// its entries made first: [`Self::view`] makes [`NavItem`]s, the build cache a
    /// digest of exactly what the page shows, from the same walk.
    pub(crate) fn view_with<F: ViewFold>(
        &self,
        page: usize,
        pages: &[NavPage],
        fold: &F,
    ) -> Vec<F::Item> {
        // A page not listed marks its nearest listed ancestor section as active.
        let mut current_page = Some(page);
        let mut node = None;
        while let Some(p) = current_page {
            if let Some(&n) = self.page_node.get(&p) {
                node = Some(n);
                break;
            }
            current_page = pages[p].parent;
        }
        let mut active = Vec::new();
        let mut n = node;
        while let Some(id) = n {
            active.push(id);
            n = self.nodes[id].parent;
        }
        let current = if current_page == Some(page) {
            node
        } else {
            None
        };
        let walk = Walk {
            nav: self,
            active: &active,
            current,
            fold,
        };
        walk.items(&self.roots)
    }
}

/// What one entry of a page's navigation shows (see [`Nav::view_with`]).
pub(crate) struct Entry<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub icon_html: &'a str,
    pub is_current: bool,
    pub is_active: bool,
    pub is_external: bool,
    /// For an entry standing for siblings left out: how many (`title` is then the
    /// section's, and `icon_html` empty).
    pub more: Option<usize>,
}

/// Makes one entry of a page's navigation from what it shows and its children's.
pub(crate) trait ViewFold {
    type Item;
    fn item(&self, entry: Entry<'_>, children: Vec<Self::Item>) -> Self::Item;

    /// The item of node `node` off the page's path: not current, not open, no children
    /// shown). It is the same in every page's navigation that
    /// shows it, so a fold may make it once per node instead of once per page.
    fn closed(&self, node: usize, entry: Entry<'_>) -> Self::Item {
        let _ = node;
        self.item(entry, Vec::new())
    }
}

/// The entries as templates see them.
struct MakeItems;

impl ViewFold for MakeItems {
    type Item = NavItem;

    fn item(&self, entry: Entry<'_>, children: Vec<NavItem>) -> NavItem {
        NavItem {
            title: match entry.more {
                Some(count) => format!("{count} more in {}", entry.title),
                None => entry.title.to_string(),
            },
            url: entry.url.to_string(),
            icon_html: entry.icon_html.to_string(),
            is_current: entry.is_current,
            is_active: entry.is_active,
            is_external: entry.is_external,
            is_more: entry.more.is_some(),
            children,
        }
    }
}

/// One page's walk of the tree: the nodes on its path are active and open.
struct Walk<'a, F> {
    nav: &'a Nav,
    active: &'a [usize],
    current: Option<usize>,
    fold: &'a F,
}

impl<F: ViewFold> Walk<'_, F> {
    /// Items for `ids`; an active node's children are listed, windowed around the active
    /// child when there are many (see [`MAX_SIBLINGS`]).
    fn items(&self, ids: &[usize]) -> Vec<F::Item> {
        ids.iter()
            .map(|&id| {
                let node = &self.nav.nodes[id];
                if !self.active.contains(&id) {
                    // Off the path, so not current either: `current` is on it.
                    return self.fold.closed(id, node.entry(false, false));
                }
                let children = self.children_window(node);
                self.fold
                    .item(node.entry(self.current == Some(id), true), children)
            })
            .collect()
    }

    fn children_window(&self, node: &NavNode) -> Vec<F::Item> {
        let kids = &node.children;
        if kids.len() <= MAX_SIBLINGS {
            return self.items(kids);
        }
        let at = kids
            .iter()
            .position(|k| self.active.contains(k))
            .unwrap_or(0);
        let start = at
            .saturating_sub(MAX_SIBLINGS / 2)
            .min(kids.len() - MAX_SIBLINGS);
        let end = start + MAX_SIBLINGS;
        let more = |count: usize| {
            let entry = Entry {
                title: &node.title,
                url: &node.url,
                icon_html: "",
                is_current: false,
                is_active: false,
                is_external: node.external,
                more: Some(count),
            };
            self.fold.item(entry, Vec::new())
        };
        let mut items = Vec::with_capacity(MAX_SIBLINGS + 2);
        if start > 0 {
            items.push(more(start));
        }
        items.extend(self.items(&kids[start..end]));
        if end < kids.len() {
            items.push(more(kids.len() - end));
        }
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, parent: Option<usize>) -> NavPage {
        NavPage {
            title: title.into(),
            url: format!("/{title}/"),
            icon_html: String::new(),
            parent,
        }
    }

    fn spec(page: usize, children: Vec<NavSpec>) -> NavSpec {
        NavSpec::Page {
            page,
            title: None,
            icon_html: None,
            children,
        }
    }

    #[test]
    fn view_expands_path_and_siblings_only() {
        // 0 home; 1 section a (2, 3); 4 section b (5)
        let pages = vec![
            page("home", None),
            page("a", Some(0)),
            page("a1", Some(1)),
            page("a2", Some(1)),
            page("b", Some(0)),
            page("b1", Some(4)),
        ];
        let nav = Nav::build(
            &[
                spec(1, vec![spec(2, vec![]), spec(3, vec![])]),
                spec(4, vec![spec(5, vec![])]),
            ],
            &pages,
        );
        let v = nav.view(2, &pages);
        assert_eq!(v.len(), 2);
        assert!(v[0].is_active && !v[0].is_current);
        assert_eq!(v[0].children.len(), 2);
        assert!(v[0].children[0].is_current);
        assert!(!v[0].children[1].is_current);
        assert!(
            v[1].children.is_empty(),
            "unrelated section stays collapsed"
        );
    }

    #[test]
    fn large_sections_are_windowed_around_the_current_page() {
        let mut pages = vec![page("home", None), page("big", Some(0))];
        let mut kids = Vec::new();
        for i in 0..100 {
            pages.push(page(&format!("p{i}"), Some(1)));
            kids.push(spec(i + 2, vec![]));
        }
        let nav = Nav::build(&[spec(1, kids)], &pages);
        let v = nav.view(2 + 60, &pages); // p60
        let items = &v[0].children;
        assert_eq!(items.len(), MAX_SIBLINGS + 2);
        assert!(items[0].is_more && items[0].title == "48 more in big" && items[0].url == "/big/");
        assert!(items.iter().any(|i| i.is_current && i.title == "p60"));
        assert!(items.last().unwrap().is_more && items.last().unwrap().title == "27 more in big");
        let first = nav.view(2, &pages);
        assert!(
            !first[0].children[0].is_more,
            "no leading 'more' at the start"
        );
        assert_eq!(first[0].children.len(), MAX_SIBLINGS + 1);
    }

    /// A page's navigation as text, its closed entries made afresh for each page or, with
    /// `kept`, once per node, on first use, for every page after.
    struct Text {
        kept: Option<Vec<std::sync::OnceLock<String>>>,
    }

    impl ViewFold for Text {
        type Item = String;

        fn item(&self, e: Entry<'_>, children: Vec<String>) -> String {
            let flags = (e.is_current, e.is_active, e.is_external, e.more);
            format!("{}|{}|{flags:?}[{}]", e.title, e.url, children.join(","))
        }

        fn closed(&self, node: usize, entry: Entry<'_>) -> String {
            match &self.kept {
                Some(kept) => (kept[node].get_or_init(|| self.item(entry, Vec::new()))).clone(),
                None => self.item(entry, Vec::new()),
            }
        }
    }

    /// What makes a title change cheap (`NavDigest`) must not change any page's view:
    /// every page, in a windowed section, a nested one, listed twice or not listed.
    #[test]
    fn closed_entries_kept_once_per_node_give_every_page_the_same_view() {
        let mut pages = vec![
            page("home", None),
            page("big", Some(0)),
            page("deep", Some(1)),
        ];
        let mut kids = vec![spec(2, vec![spec(3, vec![])])];
        pages.push(page("deep1", Some(2)));
        for i in 0..40 {
            pages.push(page(&format!("p{i}"), Some(1)));
            kids.push(spec(pages.len() - 1, vec![]));
        }
        pages.push(page("unlisted", Some(2)));
        let nav = Nav::build(&[spec(0, vec![]), spec(1, kids), spec(3, vec![])], &pages);
        let fresh = Text { kept: None };
        let kept = Text {
            kept: Some((0..nav.node_count()).map(|_| Default::default()).collect()),
        };
        for page in 0..pages.len() {
            let view = nav.view_with(page, &pages, &fresh);
            assert_eq!(nav.view_with(page, &pages, &kept), view, "page {page}");
        }
    }

    #[test]
    fn reading_order_is_the_tree_depth_first_each_page_once() {
        let pages = vec![
            page("home", None),
            page("a", Some(0)),
            page("a1", Some(1)),
            page("b", Some(0)),
        ];
        let nav = Nav::build(
            &[
                spec(0, vec![]),
                spec(1, vec![spec(2, vec![])]),
                spec(3, vec![spec(2, vec![])]),
            ],
            &pages,
        );
        assert_eq!(nav.neighbours(0), (None, Some(1)));
        assert_eq!(nav.neighbours(2), (Some(1), Some(3)));
        assert_eq!(nav.neighbours(3), (Some(2), None));
        let unlisted = Nav::build(&[spec(1, vec![])], &pages);
        assert_eq!(unlisted.neighbours(2), (None, None));
    }

    /// Siblings together, though reading order puts a section's pages between them.
    #[test]
    fn sibling_order_keeps_each_level_together() {
        let pages: Vec<NavPage> = ["home", "a", "a1", "a2", "b", "c"]
            .iter()
            .map(|title| page(title, None))
            .collect();
        let nav = Nav::build(
            &[
                spec(0, vec![]),
                spec(1, vec![spec(2, vec![]), spec(3, vec![])]),
                spec(4, vec![]),
                spec(5, vec![spec(2, vec![])]),
            ],
            &pages,
        );
        assert_eq!(nav.reading_order, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(nav.sibling_order(), vec![0, 1, 4, 5, 2, 3]);
    }

    #[test]
    fn trails_lead_from_the_top_to_the_page() {
        let pages = vec![
            page("home", None),
            page("a", Some(0)),
            page("a1", Some(1)),
            page("a1x", Some(2)),
        ];
        let nav = Nav::build(&[spec(1, vec![spec(2, vec![])])], &pages);
        let titles = |page| -> Vec<String> {
            nav.trail(page, &pages)
                .into_iter()
                .map(|c| c.title)
                .collect()
        };
        assert_eq!(titles(1), Vec::<String>::new());
        assert_eq!(titles(2), ["a"]);
        // Unlisted: its nearest listed section closes the trail.
        assert_eq!(titles(3), ["a", "a1"]);
        assert_eq!(nav.trail(2, &pages)[0].url, "/a/");
    }

    #[test]
    fn unlisted_page_activates_its_section() {
        let pages = vec![
            page("home", None),
            page("people", Some(0)),
            page("dave", Some(1)),
        ];
        let nav = Nav::build(&[spec(1, vec![])], &pages);
        let v = nav.view(2, &pages);
        assert!(v[0].is_active);
        assert!(!v[0].is_current);
    }
}
