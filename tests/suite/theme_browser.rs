//! The theme settings that act in the browser, on the MkDocs project of
//! `theme_settings.rs`: a palette of three schemes the switch steps through (the site's
//! own schemes from its extra_css, a Material colour name), remembered across pages; the
//! link back to the top; permalinks that show on hover and focus only.

use serde_json::{json, Value};

use crate::common::browser::{chromium, Browser};
use crate::theme_settings::mkdocs_site;

const ROOT: &str = "document.documentElement";
const SWITCH: &str = "document.querySelector('[data-dcr-scheme-toggle]')";
const BG: &str = "getComputedStyle(document.body).backgroundColor";
const HEADER_BG: &str = "getComputedStyle(document.querySelector('.dcr-header')).backgroundColor";

fn open(browser: &mut Browser, url: &str) {
    browser.call("Page.navigate", json!({ "url": url }));
    browser.wait_true(
        &format!(
            "location.href === {} && document.readyState === 'complete' && !{SWITCH}.hidden",
            serde_json::to_string(url).unwrap()
        ),
        &format!("{url} loads"),
    );
}

fn attr(browser: &mut Browser, name: &str) -> Value {
    browser.eval(&format!("{ROOT}.getAttribute('{name}')"))
}

#[test]
fn the_switch_steps_through_the_palette_and_remembers_the_scheme() {
    let Some(exe) = chromium() else {
        eprintln!("skipping: chromium is not installed");
        return;
    };
    let site = mkdocs_site();
    let server = site.serve(&[]);
    let mut browser = Browser::launch(&exe);
    browser.call("Page.enable", json!({}));
    browser.call(
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
    );
    let start = format!("http://127.0.0.1:{}/guide/start/", server.port);
    open(&mut browser, &start);
    // Until used: the scheme whose media query matches (the site's dark one, its
    // background from extra_css), following the system.
    assert_eq!(attr(&mut browser, "data-md-color-scheme"), "brand-dark");
    assert_eq!(attr(&mut browser, "data-scheme"), Value::Null);
    assert_eq!(browser.eval(BG), "rgb(27, 16, 48)");
    let label = format!("{SWITCH}.getAttribute('aria-label')");
    assert_eq!(browser.eval(&label), "Into the light");
    assert_eq!(
        browser.eval(&format!(
            "{SWITCH}.querySelector('[data-dcr-scheme-icon=\"1\"]').hidden"
        )),
        false
    );

    // Click: the third scheme, Material's `slate` with `primary: indigo` on the header.
    browser.eval(&format!("{SWITCH}.click()"));
    assert_eq!(attr(&mut browser, "data-md-color-scheme"), "slate");
    assert_eq!(attr(&mut browser, "data-md-color-primary"), "indigo");
    assert_eq!(attr(&mut browser, "data-scheme"), "dark");
    assert_eq!(browser.eval(&label), "Back to the brand");
    assert_eq!(browser.eval(HEADER_BG), "rgb(63, 81, 181)");
    // Click again: round to the first, the site's light scheme, with its colours.
    browser.eval(&format!("{SWITCH}.click()"));
    assert_eq!(attr(&mut browser, "data-md-color-scheme"), "brand-light");
    assert_eq!(attr(&mut browser, "data-md-color-primary"), "deep-purple");
    assert_eq!(attr(&mut browser, "data-scheme"), "light");
    assert_eq!(browser.eval(BG), "rgb(255, 251, 230)");
    assert_eq!(browser.eval(&label), "To the dark side");
    // The scheme's own header colour outranks its `primary` name, as under Material.
    assert_eq!(browser.eval(HEADER_BG), "rgb(18, 52, 86)");

    // Remembered on the next page, though the system is still dark.
    let next = format!("http://127.0.0.1:{}/guide/next/", server.port);
    open(&mut browser, &next);
    assert_eq!(attr(&mut browser, "data-md-color-scheme"), "brand-light");
    assert_eq!(browser.eval(BG), "rgb(255, 251, 230)");
    assert_eq!(browser.eval(&label), "To the dark side");
}

#[test]
fn back_to_top_shows_once_scrolled_and_permalinks_on_hover_or_focus() {
    let Some(exe) = chromium() else {
        eprintln!("skipping: chromium is not installed");
        return;
    };
    let site = mkdocs_site();
    let server = site.serve(&[]);
    let mut browser = Browser::launch(&exe);
    browser.call("Page.enable", json!({}));
    // Focus as in a window that has it (a headless page has none of its own).
    browser.call(
        "Emulation.setFocusEmulationEnabled",
        json!({"enabled": true}),
    );
    // A touch screen: no hover, so nothing may rely on it to hide.
    browser.call(
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "hover", "value": "none"}]}),
    );
    let start = format!("http://127.0.0.1:{}/guide/start/", server.port);
    open(&mut browser, &start);
    let top = "document.querySelector('[data-dcr-top]')";
    assert_eq!(browser.eval(&format!("{top}.hidden")), true);
    browser.eval("window.scrollTo(0, document.body.scrollHeight); true");
    browser.wait_true(&format!("!{top}.hidden"), "the link back up shows");
    browser.eval("window.scrollTo(0, 0); true");
    browser.wait_true(&format!("{top}.hidden"), "and hides at the top");

    let link = "document.querySelector('#part-2 .headerlink')";
    let opacity = format!("getComputedStyle({link}).opacity");
    assert_eq!(browser.eval(&format!("{link}.textContent")), "¶");
    browser.wait_true(&format!("{opacity} === '0'"), "the permalink is hidden");
    browser.eval(&format!("{link}.focus(); true"));
    browser.wait_true(&format!("{opacity} === '1'"), "focus shows it");
}
