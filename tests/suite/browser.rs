//! Live reload in a real browser: headless Chromium, driven over the DevTools protocol,
//! opens a served page; the test edits the Markdown (and then the CSS) and the browser
//! shows the change without the test reloading anything.

use crate::common::browser::{chromium, Browser};
use crate::common::SiteTest;
use serde_json::json;
use std::path::Path;

#[test]
fn edits_show_in_the_browser_without_reloading_by_hand() {
    let Some(exe) = chromium() else {
        eprintln!("skipping: chromium is not installed (CI installs it: apt-get install chromium)");
        return;
    };
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let mut browser = Browser::launch(&exe);
    browser.call("Page.enable", json!({}));
    let url = format!("http://127.0.0.1:{}/guide/", server.port);
    browser.call("Page.navigate", json!({ "url": url }));
    browser.wait_true(
        "document.body !== null && document.body.innerText.includes('Set things up.')",
        "the page shows",
    );
    browser.wait_true(
        "document.documentElement.dataset.dcrsiteLive === '1'",
        "live reload connects",
    );
    let page = site.path().join("content/guide.md");
    markdown_edit_reloads(&mut browser, &page);
    css_edit_swaps_the_stylesheet(&mut browser, site.path());
    broken_page_shows_the_overlay(&mut browser, &page);
    reload_keeps_the_scroll_position(&mut browser, &page);
}

/// A Markdown edit: the page reloads itself and shows the new words.
fn markdown_edit_reloads(browser: &mut Browser, page: &Path) {
    let text = std::fs::read_to_string(page).unwrap();
    std::fs::write(
        page,
        text.replacen("Set things up.", "Edited while the browser watched.", 1),
    )
    .unwrap();
    browser.wait_true(
        "document.body.innerText.includes('Edited while the browser watched.')",
        "the edit shows",
    );
}

/// A CSS edit: the stylesheet is swapped in place, the page is not reloaded.
fn css_edit_swaps_the_stylesheet(browser: &mut Browser, root: &Path) {
    browser.wait_true(
        "document.documentElement.dataset.dcrsiteLive === '1'",
        "live reload reconnects after the reload",
    );
    assert_eq!(
        browser.eval("window.__kept = 'same page'; window.__kept"),
        "same page"
    );
    let css = root.join("themes/decred/static/css/decred.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n:root { --dcrsite-test: swapped; }\n");
    std::fs::write(&css, text).unwrap();
    browser.wait_true(
        "getComputedStyle(document.documentElement).getPropertyValue('--dcrsite-test').trim() === 'swapped'",
        "the new stylesheet applies",
    );
    assert_eq!(
        browser.eval("window.__kept"),
        "same page",
        "a CSS change must not reload the page"
    );
}

/// A broken page shows the overlay over the last good build.
fn broken_page_shows_the_overlay(browser: &mut Browser, page: &Path) {
    let text = std::fs::read_to_string(page).unwrap();
    std::fs::write(page, format!("---\nicon: NoSuchIcon\n---\n{text}")).unwrap();
    browser.wait_true(
        "(document.getElementById('dcrsite-error') || {}).textContent?.includes('content/guide.md') === true",
        "the error overlay shows",
    );
    assert!(browser
        .eval("document.body.innerText.includes('Edited while the browser watched.')")
        .as_bool()
        .unwrap());
    std::fs::write(page, text).unwrap();
    browser.wait_true(
        "document.getElementById('dcrsite-error') === null",
        "the overlay clears",
    );
}

/// A reload after an edit keeps the reader where they were on the page.
fn reload_keeps_the_scroll_position(browser: &mut Browser, page: &Path) {
    let text = std::fs::read_to_string(page).unwrap();
    let filler: String = (0..150)
        .map(|i| format!("Filler paragraph {i}.\n\n"))
        .collect();
    std::fs::write(page, format!("{text}\n{filler}Tail marker one.\n")).unwrap();
    browser.wait_true(
        "document.body.innerText.includes('Tail marker one.') && document.documentElement.dataset.dcrsiteLive === '1'",
        "the long page shows",
    );
    browser.eval("window.scrollTo(0, 1500); window.scrollY");
    browser.wait_true("window.scrollY === 1500", "the page scrolls");
    browser.eval("window.__before_reload = true");
    let long = std::fs::read_to_string(page).unwrap();
    std::fs::write(
        page,
        long.replacen("Tail marker one.", "Tail marker two.", 1),
    )
    .unwrap();
    browser.wait_true(
        "document.body.innerText.includes('Tail marker two.')",
        "the second edit shows",
    );
    assert_eq!(
        browser.eval("window.__before_reload === undefined"),
        true,
        "the page was reloaded (so the scroll position had to be restored)"
    );
    browser.wait_true(
        "Math.abs(window.scrollY - 1500) <= 2",
        "the scroll position is restored after the reload",
    );
}
