//! The reader's controls in a real browser, on the decred documentation (from
//! `../shared/corpora`, served by `dcrsite serve`): the light/dark switch (remembered
//! across pages, applied before the first paint), copy buttons on code, previous/next
//! links and breadcrumbs.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::browser::{chromium, Browser};
use crate::common::*;

/// The dcrdocs corpus and a browser, or why the test is skipped.
fn setup() -> Option<(PathBuf, PathBuf)> {
    let root = shared_dir()?.join("corpora/dcrdocs");
    if !root.join("mkdocs.yml").is_file() {
        eprintln!("skipping: the dcrdocs corpus is not present");
        return None;
    }
    let Some(exe) = chromium() else {
        eprintln!("skipping: chromium is not installed (CI installs it: apt-get install chromium)");
        return None;
    };
    Some((root, exe))
}

/// The URL path of a Markdown file of the corpus (`use_directory_urls: true`).
fn path_of(md: &str) -> String {
    let path = md.trim_end_matches(".md");
    let path = path
        .strip_suffix("index")
        .or_else(|| path.strip_suffix("README"))
        .map_or_else(|| format!("{path}/"), str::to_string);
    format!("/{path}")
}

/// A browser that does not fetch images: the corpus' screenshots, served by a debug
/// build, would hold up the scripts these tests are about.
fn launch(exe: &PathBuf) -> Browser {
    let mut browser = Browser::launch(exe);
    browser.call("Page.enable", json!({}));
    browser.call("Network.enable", json!({}));
    browser.call(
        "Network.setBlockedURLs",
        json!({"urls": ["*.png", "*.jpg", "*.jpeg", "*.gif", "*.webp"]}),
    );
    browser
}

/// Opens `url` and waits until theme.js has run (it shows the switch). Not until the
/// load event: pages embed images from other sites, which do not load here.
fn open(browser: &mut Browser, url: &str) {
    browser.call("Page.navigate", json!({ "url": url }));
    browser.wait_true(
        &format!(
            "location.href === {} && document.readyState !== 'loading' && {SWITCH} !== null && !{SWITCH}.hidden",
            serde_json::to_string(url).unwrap()
        ),
        &format!("{url} loads"),
    );
}

/// The first page of the corpus (by path) with a fenced code block.
fn page_with_code(docs: &Path) -> String {
    let mut pages: Vec<String> = walkdir::WalkDir::new(docs)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| {
            read(e.path())
                .lines()
                .any(|l| l.trim_start().starts_with("```"))
        })
        .map(|e| {
            let rel = e.path().strip_prefix(docs).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    pages.sort();
    pages.into_iter().next().expect("a page with code")
}

const SCHEME: &str = "document.documentElement.getAttribute('data-scheme')";
const SWITCH: &str = "document.querySelector('[data-dcr-scheme-toggle]')";

/// Until the reader uses the switch, the page follows the system's scheme as it changes,
/// without a reload (a reader whose system turns dark at dusk).
#[test]
fn the_scheme_follows_the_system_live_until_the_switch_is_used() {
    let Some((root, exe)) = setup() else { return };
    let server = SiteTest::at(&root).serve(&[]);
    let mut browser = launch(&exe);
    let system = |browser: &mut Browser, value: &str| {
        browser.call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": value}]}),
        );
    };
    system(&mut browser, "light");
    open(&mut browser, &format!("http://127.0.0.1:{}/", server.port));
    const PALETTE: &str = "document.documentElement.getAttribute('data-md-color-scheme')";
    assert_eq!(browser.eval(PALETTE), "dcrdocs-light");
    let to_dark = browser.eval(&format!("{SWITCH}.getAttribute('aria-label')"));
    // Collected garbage must not drop the listener (a MediaQueryList nobody holds can be).
    browser.call("HeapProfiler.collectGarbage", json!({}));
    system(&mut browser, "dark");
    browser.wait_true(
        &format!("{PALETTE} === 'dcrdocs-dark'"),
        "the page turns dark",
    );
    assert_ne!(
        browser.eval(&format!("{SWITCH}.getAttribute('aria-label')")),
        to_dark,
        "the switch now offers the light scheme"
    );
    system(&mut browser, "light");
    browser.wait_true(&format!("{PALETTE} === 'dcrdocs-light'"), "and light again");
}

#[test]
fn the_scheme_switch_is_remembered_across_pages_without_a_flash() {
    let Some((root, exe)) = setup() else { return };
    let mkdocs = read(&root.join("mkdocs.yml"));
    let server = SiteTest::at(&root).serve(&[]);
    let mut browser = launch(&exe);
    browser.call(
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": "light"}]}),
    );
    // On every new document: the scheme when <body> first exists and at the first frame.
    browser.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "requestAnimationFrame(() => { window.__firstFrame = String(document.documentElement.getAttribute('data-scheme')); });
            new MutationObserver((_, o) => { if (document.body) { window.__atBody = String(document.documentElement.getAttribute('data-scheme')); o.disconnect(); } }).observe(document, {childList: true, subtree: true});"}),
    );
    let home = format!("http://127.0.0.1:{}/", server.port);
    open(&mut browser, &home);
    // Until used, the system's scheme shows, and the switch offers the other one, in
    // the words of the palette's toggle.
    assert_eq!(browser.eval(SCHEME), Value::Null);
    let to_dark = browser.eval(&format!("{SWITCH}.getAttribute('aria-label')"));
    let to_dark = to_dark.as_str().unwrap().to_string();
    assert!(mkdocs.contains(&format!("name: {to_dark}")), "{to_dark}");
    let light_bg = browser.eval("getComputedStyle(document.body).backgroundColor");

    browser.eval(&format!("{SWITCH}.click()"));
    assert_eq!(browser.eval(SCHEME), "dark");
    assert_eq!(browser.eval("localStorage.getItem('dcr-scheme')"), "dark");
    let to_light = browser.eval(&format!("{SWITCH}.getAttribute('aria-label')"));
    assert!(mkdocs.contains(&format!("name: {}", to_light.as_str().unwrap())));
    let dark_bg = browser.eval("getComputedStyle(document.body).backgroundColor");
    assert_ne!(light_bg, dark_bg, "the page turned dark");

    // Another page: dark before its body exists, so its first paint is dark.
    let next = browser.eval("document.querySelector('a[rel=next]').href");
    open(&mut browser, next.as_str().unwrap());
    browser.wait_true("window.__firstFrame !== undefined", "a frame is drawn");
    assert_eq!(browser.eval("window.__atBody"), "dark");
    assert_eq!(browser.eval("window.__firstFrame"), "dark");
    assert_eq!(
        browser.eval("getComputedStyle(document.body).backgroundColor"),
        dark_bg
    );
    assert_eq!(
        browser.eval(&format!("{SWITCH}.getAttribute('aria-label')")),
        to_light
    );

    // Back to light: remembered too.
    browser.eval(&format!("{SWITCH}.click()"));
    open(&mut browser, &home);
    browser.wait_true("window.__firstFrame !== undefined", "a frame is drawn");
    assert_eq!(browser.eval("window.__atBody"), "light");
    assert_eq!(
        browser.eval("getComputedStyle(document.body).backgroundColor"),
        light_bg
    );
}

#[test]
fn code_blocks_get_a_copy_button_that_copies_the_code() {
    let Some((root, exe)) = setup() else { return };
    let md = page_with_code(&root.join("docs"));
    let server = SiteTest::at(&root).serve(&[]);
    let path = path_of(&md);
    let url = format!("http://127.0.0.1:{}{path}", server.port);
    // Without JavaScript there is no button: the served page has none.
    let html = server.get(&path).text();
    assert!(html.contains("<pre") && !html.contains("dcr-copy"), "{md}");

    let mut browser = launch(&exe);
    open(&mut browser, &url);
    browser.wait_true(
        "document.querySelectorAll('.dcr-content pre').length > 0 && document.querySelectorAll('.dcr-content pre').length === document.querySelectorAll('.dcr-copy').length",
        "every code block has a button",
    );
    assert_eq!(
        browser.eval("document.querySelector('.dcr-copy').getAttribute('aria-label')"),
        "Copy code"
    );
    // The clipboard itself is the browser's; what is handed to it is ours.
    browser.eval("navigator.clipboard.writeText = (t) => { window.__copied = t; return Promise.resolve(); }; true");
    browser.eval("document.querySelector('.dcr-copy').click()");
    browser.wait_true("window.__copied !== undefined", "the code is copied");
    let expected = browser.eval("document.querySelector('.dcr-content pre code, .dcr-content pre').innerText.replace(/\\n$/, '')");
    assert_eq!(browser.eval("window.__copied"), expected);
    assert!(!expected.as_str().unwrap().is_empty());
    browser.wait_true(
        "document.querySelector('.dcr-copy').textContent === 'Copied'",
        "the button says so",
    );
}

#[test]
fn previous_next_and_breadcrumbs_follow_the_navigation() {
    let Some((root, exe)) = setup() else { return };
    let server = SiteTest::at(&root).serve(&[]);
    let mut browser = launch(&exe);
    let home = format!("http://127.0.0.1:{}/", server.port);
    open(&mut browser, &home);
    assert_eq!(
        browser.eval("document.querySelector('a[rel=prev]')"),
        Value::Null,
        "the home page comes first"
    );
    // Walk a few pages forward: each page's `prev` is the page we came from, and its
    // breadcrumbs end with its own title.
    let mut here = home;
    for _ in 0..6 {
        let next = browser.eval("document.querySelector('a[rel=next]').href");
        let next = next.as_str().expect("a next link").to_string();
        open(&mut browser, &next);
        assert_eq!(
            browser.eval("document.querySelector('a[rel=prev]').href"),
            here.as_str()
        );
        assert_eq!(
            browser.eval("document.querySelector('nav[aria-label=Breadcrumb] [aria-current=page]').textContent === document.title.split(' · ')[0]"),
            true,
            "{next}"
        );
        let crumbs = browser.eval(
            "[...document.querySelectorAll('nav[aria-label=Breadcrumb] a')].map(a => a.href)",
        );
        assert_eq!(crumbs[0], format!("http://127.0.0.1:{}/", server.port));
        here = next;
    }
    // A page deep in the navigation lists its sections, in order, outermost first.
    let depth = browser.eval("document.querySelectorAll('nav[aria-label=Breadcrumb] li').length");
    assert!(depth.as_u64().unwrap() >= 3, "{here}: {depth}");
    let active = browser
        .eval("[...document.querySelectorAll('.dcr-nav__item.is-active > a')].map(a => a.href)");
    let crumbs = browser.eval(
        "[...document.querySelectorAll('nav[aria-label=Breadcrumb] a')].slice(1).map(a => a.href)",
    );
    let active = active.as_array().unwrap();
    assert!(
        !crumbs.as_array().unwrap().is_empty() && active.starts_with(crumbs.as_array().unwrap()),
        "crumbs {crumbs} are the open sections {active:?}"
    );
}
