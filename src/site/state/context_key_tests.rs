//! Proof that a page's context key and `shown` key together tell every change of its
//! template context, and that the context key changes only with the context: over many
//! random single changes (titles, orders, icons, descriptions, bodies, people) to a site
//! with sections, a nested section, a section windowed in the navigation, people and an
//! alias, each page's whole-context digest is compared with its two keys.

use std::collections::BTreeMap;
use std::path::Path;

use super::SiteState;
use crate::site::{BuildOptions, CacheKey as Key};

/// One content page of the test site, as its file is written.
#[derive(Clone)]
struct PageModel {
    path: String,
    title: String,
    weight: Option<i64>,
    icon: Option<&'static str>,
    description: Option<String>,
    body: String,
    /// A person's role (the people section's pages).
    role: Option<String>,
    extra: &'static str,
}

impl PageModel {
    fn new(path: &str, title: &str) -> PageModel {
        PageModel {
            path: path.to_string(),
            title: title.to_string(),
            weight: None,
            icon: None,
            description: None,
            body: format!("About {title}.\n"),
            role: None,
            extra: "",
        }
    }

    fn text(&self) -> String {
        let mut yaml = format!("title: {}\n", self.title);
        if let Some(w) = self.weight {
            yaml += &format!("weight: {w}\n");
        }
        if let Some(icon) = self.icon {
            yaml += &format!("icon: {icon}\n");
        }
        if let Some(d) = &self.description {
            yaml += &format!("description: {d}\n");
        }
        if let Some(role) = &self.role {
            yaml += &format!("role: {role}\ngroup: development\n");
        }
        format!("---\n{yaml}{}---\n{}", self.extra, self.body)
    }
}

fn site_model() -> Vec<PageModel> {
    let mut pages = vec![PageModel::new("_index.md", "Home")];
    pages.push(PageModel::new("alpha/_index.md", "Alpha"));
    for i in 0..4 {
        pages.push(PageModel::new(&format!("alpha/a{i}.md"), &format!("A {i}")));
    }
    // More pages than a page's navigation lists of one section (`MAX_SIBLINGS`).
    pages.push(PageModel::new("big/_index.md", "Big"));
    for i in 0..30 {
        pages.push(PageModel::new(
            &format!("big/b{i:02}.md"),
            &format!("B {i}"),
        ));
    }
    pages.push(PageModel::new("big/inner/_index.md", "Inner"));
    for i in 0..3 {
        pages.push(PageModel::new(
            &format!("big/inner/i{i}.md"),
            &format!("I {i}"),
        ));
    }
    let mut people = PageModel::new("people/_index.md", "People");
    people.extra = "template: contributors.html\n";
    pages.push(people);
    for name in ["Anna", "Mo", "Zed"] {
        let mut person = PageModel::new(&format!("people/{}.md", name.to_lowercase()), name);
        person.role = Some("Developer".into());
        pages.push(person);
    }
    let mut moved = PageModel::new("moved.md", "Moved");
    moved.extra = "aliases:\n  - /old-moved/\n";
    pages.push(moved);
    pages
}

fn write_site(root: &Path, pages: &[PageModel]) {
    let site = "title: Keys\nbase_url: https://keys.example/\ntheme: decred\n\
                icons:\n  dir: img/icons\n  class: dcr-icon\n";
    std::fs::write(root.join("site.yaml"), site).unwrap();
    let icons = root.join("assets/img/icons");
    std::fs::create_dir_all(&icons).unwrap();
    for icon in ["Code", "Tools"] {
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><title>{icon}</title></svg>");
        std::fs::write(icons.join(format!("{icon}.svg")), svg).unwrap();
    }
    for page in pages {
        write_page(root, page);
    }
}

fn write_page(root: &Path, page: &PageModel) {
    let path = root.join("content").join(&page.path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, page.text()).unwrap();
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn word(&mut self) -> String {
        const WORDS: [&str; 6] = ["Zeta", "Alpha", "Mid", "Quick", "Omega", "Beta"];
        format!("{} {}", WORDS[self.below(WORDS.len())], self.below(100))
    }
}

/// One random change to one page; returns what it was, to name a failure.
fn change(pages: &mut [PageModel], random: &mut Random) -> (usize, String) {
    let kind = random.below(6);
    // A role is a person's: one of the people is picked for it.
    let people: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].role.is_some())
        .collect();
    let at = match kind {
        5 => people[random.below(people.len())],
        _ => random.below(pages.len()),
    };
    let page = &mut pages[at];
    let what = match kind {
        0 => {
            page.title = random.word();
            "title"
        }
        1 => {
            page.weight = [None, Some(1), Some(2), Some(5), Some(-1)][random.below(5)];
            "weight"
        }
        2 => {
            page.icon = [None, Some("Code"), Some("Tools")][random.below(3)];
            "icon"
        }
        3 => {
            page.description = Some(random.word()).filter(|_| random.below(4) > 0);
            "description"
        }
        4 => {
            page.body = format!("{}.\n\nMore words.\n", random.word());
            "body"
        }
        _ => {
            page.role = Some(random.word());
            "role"
        }
    };
    (at, format!("{what} of {}", page.path))
}

/// Each page's (whole-context digest, context key, shown key), by content path.
type Keys = BTreeMap<String, (Option<Key>, Option<Key>, Key)>;

fn keys_of(root: &Path) -> Keys {
    let options = BuildOptions {
        root: root.to_path_buf(),
        base_url: None,
        drafts: false,
        cache: None,
        output: None,
    };
    let state = SiteState::load(&options).unwrap();
    assert!(!state.has_errors(), "{:?}", state.problems());
    let templates = state.templates.as_ref().unwrap();
    let ctx = state.template_input();
    let shown = state.shown_keys();
    (state.content.pages.iter().enumerate())
        .map(|(i, page)| {
            let keys = (
                ctx.full_context_digest(templates, i),
                ctx.context_key(templates, i),
                shown[i],
            );
            (page.content_path.clone(), keys)
        })
        .collect()
}

#[test]
fn the_context_key_and_shown_key_tell_every_context_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut pages = site_model();
    write_site(root, &pages);
    let mut before = keys_of(root);
    assert_eq!(before.len(), pages.len());
    for (path, (full, context, _)) in &before {
        assert!(full.is_some() && context.is_some(), "{path}: no digest");
    }
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let (mut context_changes, mut unchanged) = (0, 0);
    for round in 0..60 {
        let (at, what) = change(&mut pages, &mut random);
        write_page(root, &pages[at]);
        let after = keys_of(root);
        for (path, (full, context, shown)) in &after {
            let (full_before, context_before, shown_before) = &before[path];
            let differs = full != full_before;
            let told = context != context_before || shown != shown_before;
            let named = format!("round {round}, {what}: {path}");
            assert!(!differs || told, "{named}: its context changed unseen");
            // The context key changes only with the context: no page rendered for nothing.
            assert!(
                context == context_before || differs,
                "{named}: key changed alone"
            );
            context_changes += usize::from(context != context_before);
            unchanged += usize::from(!differs);
        }
        before = after;
    }
    // The changes reached other pages' contexts, and most pages kept theirs.
    assert!(context_changes > 60, "{context_changes}");
    assert!(unchanged > 60 * pages.len() / 2, "{unchanged}");
}
