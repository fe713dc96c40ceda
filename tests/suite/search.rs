//! Search for every dcrsite site: the index written at build time, the box and script
//! in the theme, and the switch that turns both off.

use crate::common::*;

#[test]
fn the_index_lists_pages_with_headings_and_the_box_is_on_every_page() {
    let out = SiteTest::fixture("basic").build_to_temp(&["--base-url", "https://x.example/docs/"]);
    let index: serde_json::Value = serde_json::from_str(&out.read("search-index.json")).unwrap();
    let pages = index["pages"].as_array().unwrap();
    let guide = pages
        .iter()
        .find(|p| p["u"] == "/guide/")
        .expect("the guide is indexed, by its URL without the base path");
    let html = out.read("guide/index.html");
    let title = guide["t"].as_str().unwrap();
    assert!(html.contains(&format!("<title>{title} ·")), "{title}");
    let headings = guide["h"].as_array().unwrap();
    assert!(!headings.is_empty());
    for heading in headings {
        let id = heading[0].as_str().unwrap();
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "heading id {id} is on the page"
        );
    }
    assert!(guide["x"].as_str().unwrap().contains("Set things up."));
    // The script finds the index through an attribute the base path was added to.
    assert!(
        html.contains(r#"data-index="/docs/search-index.json""#),
        "{html}"
    );
    assert!(html.contains(r#"<div class="dcr-search" role="search" data-dcr-search hidden>"#));
    assert!(
        !pages.iter().any(|p| p["u"] == "/draft/"),
        "drafts are not indexed"
    );
}

#[test]
fn search_can_be_turned_off() {
    let out = SiteTest::fixture("basic")
        .append("site.yaml", "\nsearch:\n  enabled: false\n")
        .build_to_temp(&[]);
    assert!(!out.join("search-index.json").exists());
    let html = out.read("guide/index.html");
    assert!(!html.contains("data-dcr-search"));
    assert!(!html.contains("data-index"));
}
