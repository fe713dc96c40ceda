//! Stage: navigation. Each section's children in order, and the navigation tree from
//! an explicit `nav` (site.yaml or mkdocs.yml) or from sections and weights.

use super::markdown_pass::RenderedPage;
use crate::config::{Config, NavEntry};
use crate::content::nav::{Nav, NavPage, NavSpec};
use crate::content::{Content, PageKind};
use crate::diagnostics::{suggest, Diagnostic, Kind};
use crate::icons::IconSet;

/// Stage: each section's sorted children, what navigation knows of each page, and the
/// navigation tree.
pub(super) fn build_nav(
    config: &Config,
    content: &Content,
    icons: &IconSet,
    pages: &[RenderedPage],
) -> (Vec<Vec<usize>>, Vec<NavPage>, Nav, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let children = sorted_children(content, pages);
    let nav_pages: Vec<NavPage> = content
        .pages
        .iter()
        .zip(pages)
        .map(|(page, r)| NavPage {
            title: r.title.clone(),
            url: page.url.clone(),
            icon_html: r.icon_html.clone(),
            parent: page.parent,
        })
        .collect();
    let nav = match &config.nav {
        Some(entries) => {
            let (specs, nav_problems) = nav_specs_from_config(entries, config, content, icons);
            problems.extend(nav_problems);
            if config.mkdocs.is_some() {
                problems.extend(pages_missing_from_nav(&specs, config, content));
            }
            Nav::build(&specs, &nav_pages)
        }
        None if config.mkdocs.is_some() => {
            let rules = config.docs_rules();
            let specs = super::mkdocs_nav::specs(content, &children, rules.as_ref());
            Nav::build(&specs, &nav_pages)
        }
        None => Nav::build(
            &auto_nav_specs(content.home, content, &children),
            &nav_pages,
        ),
    };
    (children, nav_pages, nav, problems)
}

/// Each section's children in display order: by weight (unweighted last), title, path.
fn sorted_children(content: &Content, pages: &[RenderedPage]) -> Vec<Vec<usize>> {
    content
        .pages
        .iter()
        .map(|page| {
            let mut kids = page.children.clone();
            // Each key made once: made at each comparison, the lowercased titles and
            // cloned paths were 3 % of a one-edit build at 10,027 pages.
            kids.sort_by_cached_key(|&i| {
                let w = content.pages[i].front.weight;
                (
                    w.is_none(),
                    w,
                    pages[i].title.to_lowercase(),
                    content.pages[i].content_path.as_str(),
                )
            });
            kids
        })
        .collect()
}

/// Navigation from sections and weights. A section with `extra: {nav_children: false}`
/// appears without its pages (a contributors section of fifty people, say).
fn auto_nav_specs(node: usize, content: &Content, children: &[Vec<usize>]) -> Vec<NavSpec> {
    children[node]
        .iter()
        .map(|&c| {
            let hide_children = content.pages[c]
                .front
                .extra
                .as_ref()
                .and_then(|e| e.get("nav_children"))
                .and_then(|v| v.as_bool())
                == Some(false);
            NavSpec::Page {
                page: c,
                title: None,
                icon_html: None,
                children: if hide_children {
                    Vec::new()
                } else {
                    auto_nav_specs(c, content, children)
                },
            }
        })
        .collect()
}

fn nav_specs_from_config(
    entries: &[NavEntry],
    config: &Config,
    content: &Content,
    icons: &IconSet,
) -> (Vec<NavSpec>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let specs = entries
        .iter()
        .filter_map(|e| nav_spec(e, config, content, icons, &mut problems))
        .collect();
    (specs, problems)
}

fn nav_spec(
    entry: &NavEntry,
    config: &Config,
    content: &Content,
    icons: &IconSet,
    problems: &mut Vec<Diagnostic>,
) -> Option<NavSpec> {
    let children = entry
        .children
        .iter()
        .filter_map(|c| nav_spec(c, config, content, icons, problems))
        .collect();
    let position = entry
        .page
        .as_deref()
        .or(entry.url.as_deref())
        .or(entry.title.as_deref())
        .and_then(|needle| config.position_of(needle));
    let icon_html = entry_icon(entry, config, icons, problems);
    match (&entry.page, &entry.url, &entry.title) {
        (Some(path), None, title) => {
            let path = path.trim_start_matches("./").trim_start_matches('/');
            let found = content.pages.iter().position(|p| p.content_path == path);
            let index = found.is_none().then(|| folder_index(path, config, content));
            let Some(page) = found.or(index.flatten()) else {
                problems.push(missing_page(path, config, content, position));
                return None;
            };
            if index.is_some() {
                let index = &content.pages[page].content_path;
                problems.push(folder_entry(path, index, config, position));
            }
            Some(NavSpec::Page {
                page,
                title: title.clone(),
                icon_html,
                children,
            })
        }
        (None, url, Some(title)) => Some(NavSpec::Link {
            title: title.clone(),
            // A group without a URL of its own leads to its first page.
            url: url
                .clone()
                .or_else(|| first_page_url(&children, content))
                .unwrap_or_default(),
            icon_html: icon_html.unwrap_or_default(),
            children,
        }),
        _ => {
            problems.push(entry_problem(
                config,
                position,
                "a nav entry needs either `page`, or `title` with `url` or `children`".into(),
                "write `- page: guide.md` or `- title: Links` with `url:`/`children:`".into(),
            ));
            None
        }
    }
}

/// The HTML of a nav entry's `icon`; an icon not in the set is a problem at its name.
fn entry_icon(
    entry: &NavEntry,
    config: &Config,
    icons: &IconSet,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let name = entry.icon.as_deref()?;
    match icons.render(name) {
        Ok(h) => Some(h),
        Err(mut d) => {
            d.path = config.source_file.clone();
            (d.line, d.column) = config
                .position_of(&format!("icon: {name}"))
                .map(|(l, c)| (l, c + "icon: ".len()))
                .unzip();
            problems.push(d);
            None
        }
    }
}

/// The index page of the folder an MkDocs nav entry names (`- Section: guide/`): MkDocs
/// makes the entry a link to `guide/`, which is that page's URL.
fn folder_index(path: &str, config: &Config, content: &Content) -> Option<usize> {
    let folder = path.strip_suffix('/').filter(|f| !f.is_empty())?;
    config.mkdocs.as_ref()?;
    ["index.md", "README.md"].iter().find_map(|name| {
        let index = format!("{folder}/{name}");
        content.pages.iter().position(|p| p.content_path == index)
    })
}

/// A nav entry naming a page that is not in the content folder. One naming a folder
/// (`- Section: guide/`) is told apart: MkDocs 1.6.1 warns about it the same way and
/// shows it as a link to `guide/`, which is the folder's index page when it has one (the
/// entry is that page, see [`folder_index`]) and a missing page otherwise (dcrsite
/// leaves that one out).
fn missing_page(
    path: &str,
    config: &Config,
    content: &Content,
    position: Option<(usize, usize)>,
) -> Diagnostic {
    let dir = config.layout().content();
    let folder = path.trim_end_matches('/');
    let is_folder = !folder.is_empty()
        && content
            .pages
            .iter()
            .any(|p| p.content_path.starts_with(&format!("{folder}/")));
    let (message, help) = if is_folder {
        (
            format!("nav entry names `{path}`, a folder of {dir}/, not a page; it is left out of the navigation (MkDocs shows it as a link to a missing page)"),
            format!("MkDocs does not list a folder's pages: name them, as in `- {folder}/index.md`"),
        )
    } else {
        let near = suggest(path, content.pages.iter().map(|p| p.content_path.as_str()));
        (
            format!("nav entry names page `{path}`, which is not in {dir}/"),
            near.map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| format!("name a Markdown file relative to {dir}/")),
        )
    };
    entry_problem(config, position, message, help).of_kind(Kind::NavNotFound)
}

/// A nav entry naming a folder with an index page: MkDocs 1.6.1 warns that the
/// reference is not found in the documentation files (so `strict: true` fails), and
/// links to the folder, which is that page.
fn folder_entry(
    path: &str,
    index: &str,
    config: &Config,
    position: Option<(usize, usize)>,
) -> Diagnostic {
    let dir = config.layout().content();
    let message = format!("nav entry names `{path}`, a folder of {dir}/, not a page; it leads to `{index}` as MkDocs' link to the folder does (MkDocs warns that it is not found in the documentation files)");
    let help = format!("name the page instead: `{index}`");
    entry_problem(config, position, message, help).of_kind(Kind::NavNotFound)
}

/// A problem with a nav entry, at `position` in the configuration file.
fn entry_problem(
    config: &Config,
    position: Option<(usize, usize)>,
    message: String,
    help: String,
) -> Diagnostic {
    // MkDocs only warns about nav entries naming missing files; so does dcrsite
    // for MkDocs projects, which must build as they stand.
    let d = if config.mkdocs.is_some() {
        Diagnostic::warning(&config.source_file, message)
    } else {
        Diagnostic::error(&config.source_file, message)
    };
    d.at_position(position).with_help(help)
}

/// The URL of the first page in `specs`, depth first.
fn first_page_url(specs: &[NavSpec], content: &Content) -> Option<String> {
    specs.iter().find_map(|s| match s {
        NavSpec::Page { page, .. } => Some(content.pages[*page].url.clone()),
        NavSpec::Link { children, .. } => first_page_url(children, content),
    })
}

/// Pages an explicit nav of an MkDocs project leaves out: still built, with a warning
/// as MkDocs gives.
fn pages_missing_from_nav(
    specs: &[NavSpec],
    config: &Config,
    content: &Content,
) -> Vec<Diagnostic> {
    fn listed(specs: &[NavSpec], seen: &mut Vec<bool>) {
        for s in specs {
            match s {
                NavSpec::Page { page, children, .. } => {
                    seen[*page] = true;
                    listed(children, seen);
                }
                NavSpec::Link { children, .. } => listed(children, seen),
            }
        }
    }
    let mut seen = vec![false; content.pages.len()];
    listed(specs, &mut seen);
    let rules = config.docs_rules();
    let left_out_on_purpose = |p: &str| rules.as_ref().is_some_and(|r| r.not_in_nav(p));
    content
        .pages
        .iter()
        .zip(seen)
        .filter(|(p, seen)| {
            !(*seen
                || p.kind == PageKind::Home && p.body.is_empty() && p.yaml.is_empty()
                || left_out_on_purpose(&p.content_path))
        })
        // Blog posts, archive and category pages are listed by the blog, not in `nav`.
        .filter(|(p, _)| {
            !config
                .plugins
                .blog
                .as_ref()
                .is_some_and(|b| super::blog::outside_nav(b, &p.content_path))
        })
        .map(|(p, _)| {
            Diagnostic::warning(
                &p.source_path,
                format!(
                    "page is not in the `nav` of {}; it is built but not listed",
                    config.source_file
                ),
            )
            .with_help("add it to `nav`, or list it under `not_in_nav` in mkdocs.yml")
            .of_kind(Kind::NotInNav)
        })
        .collect()
}
