//! The theme settings of both kinds of site, in the built HTML: an MkDocs project's
//! `theme:` (logo, favicon, palette, font, language, features), `extra.social` and the
//! `announce` block of its override folder; a site.yaml site's `theme:` mapping; and the
//! warnings for what the decred theme does not know. The dynamic side (stepping through
//! the schemes, the link back to the top) is in `theme_browser.rs`.

use crate::common::html::text;
use crate::common::*;

pub(crate) const MKDOCS_YML: &str = r#"site_name: Settings
site_url: https://docs.example.org/
repo_url: https://github.com/o/r
repo_name: o/r
theme:
  name: material
  language: fr
  custom_dir: overrides
  logo: img/logo.svg
  favicon: img/favicon.png
  icon:
    repo: fontawesome/brands/github
  font:
    text: Inter
    code: JetBrains Mono
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: brand-light
      primary: deep purple
      accent: amber
      toggle:
        icon: material/weather-night
        name: To the dark side
    - media: "(prefers-color-scheme: dark)"
      scheme: brand-dark
      toggle:
        icon: material/weather-sunny
        name: Into the light
    - scheme: slate
      primary: indigo
      toggle:
        name: Back to the brand
  features:
    - navigation.tabs
    - navigation.top
    - toc.integrate
    - content.action.view
    - navigation.instant
    - navigation.tabz
  flavour: vanilla
extra:
  social:
    - icon: fontawesome/brands/github
      link: https://github.com/o
      name: GitHub
    - icon: fontawesome/brands/mastodon
      link: https://mastodon.example/@o
nav:
  - Home: index.md
  - Guide:
    - Start: guide/start.md
    - Next: guide/next.md
  - Reference:
    - API: reference/api.md
extra_css:
  - css/brand.css
markdown_extensions:
  - toc:
      permalink: true
"#;

pub(crate) const BRAND_CSS: &str = "[data-md-color-scheme=\"brand-light\"] { --md-default-bg-color: #fffbe6; --md-typeset-a-color: #0b57a4; --md-primary-fg-color: #123456; }\n[data-md-color-scheme=\"brand-dark\"] { --md-default-bg-color: #1b1030; --md-typeset-color: #f0e8ff; --md-typeset-a-color: #c6b0ff; }\n";

pub(crate) fn mkdocs_site() -> SiteTest {
    let long = (1..=40)
        .map(|i| format!("## Part {i}\n\nText of part {i}.\n\n"))
        .collect::<String>();
    SiteTest::new().files(&[
        ("mkdocs.yml", MKDOCS_YML),
        ("docs/index.md", "# Home\n\nWelcome.\n"),
        ("docs/guide/start.md", &format!("# Start\n\n{long}```\ncode\n```\n")),
        ("docs/guide/next.md", "# Next\n\n## Only part\n\nText.\n"),
        ("docs/reference/api.md", "# API\n\nCalls.\n"),
        ("docs/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>"),
        ("docs/img/favicon.png", "png"),
        ("docs/css/brand.css", BRAND_CSS),
        (
            "overrides/main.html",
            "{% extends \"base.html\" %}\n{% block announce %}\n  <strong>Version 2</strong> is out.\n{% endblock %}\n",
        ),
    ])
}

#[test]
fn mkdocs_theme_settings_shape_the_pages() {
    let site = mkdocs_site();
    let built = site.build_to_temp(&[]);
    let start = Doc::parse(&built.read("guide/start/index.html"));
    assert_eq!(start.attr("html", "lang"), "fr");
    assert_eq!(start.attr("link[rel=icon]", "href"), "/img/favicon.png");
    assert_eq!(start.attr("link[rel=icon]", "type"), "image/png");
    assert_eq!(start.attr(".dcr-brand img", "src"), "/img/logo.svg");
    let font = start.text("head style");
    assert!(
        font.contains("--dcr-font:\"Inter\"") && font.contains("\"JetBrains Mono\""),
        "{font}"
    );
    // The palette: three schemes, each with its label; the icons the palette names.
    let palette: serde_json::Value =
        serde_json::from_str(&start.text("script#dcr-palette")).unwrap();
    let schemes: Vec<&str> = palette
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scheme"].as_str().unwrap())
        .collect();
    assert_eq!(schemes, ["brand-light", "brand-dark", "slate"]);
    assert_eq!(palette[0]["primary"], "deep-purple");
    assert_eq!(palette[0]["accent"], "amber");
    assert_eq!(palette[2]["dark"], true);
    let labels: Vec<String> = start
        .all("[data-dcr-scheme-label]")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        labels,
        ["To the dark side", "Into the light", "Back to the brand"]
    );
    assert_eq!(start.count("[data-dcr-scheme-icon] svg"), 2);
    // Features: tabs with the open section marked, the TOC inside the navigation (and
    // none beside the page), back to top, the view-source link; the defaults stay on.
    let tabs: Vec<String> = start.all(".dcr-tabs a").into_iter().map(text).collect();
    assert_eq!(tabs, ["Home", "Guide", "Reference"]);
    assert_eq!(start.text(".dcr-tabs a[aria-current]"), "Guide");
    assert_eq!(
        start.count(".dcr-nav .dcr-toc-integrated a[href='#part-40']"),
        1
    );
    assert_eq!(start.count("nav.dcr-toc"), 0);
    assert_eq!(start.attr("[data-dcr-top]", "href"), "#");
    assert_eq!(
        start.attr(".dcr-page-meta__view a", "href"),
        "https://github.com/o/r/blob/master/docs/guide/start.md"
    );
    // `theme.language: fr`: the theme's labels are French (its catalogue's).
    assert_eq!(start.count("nav.dcr-breadcrumbs"), 1);
    assert_eq!(
        start.attr("nav.dcr-breadcrumbs", "aria-label"),
        "Fil d’Ariane"
    );
    assert_eq!(start.count("a[rel=next]"), 1);
    assert_eq!(start.count(".dcr-page-meta__edit a"), 1);
    assert!(start
        .one("body")
        .value()
        .attr("data-dcr-code-copy")
        .is_some());
    // extra.social with its icons and names; the repository link with icon.repo's icon.
    let social = start.all(".dcr-social a");
    assert_eq!(social.len(), 2);
    assert_eq!(social[0].value().attr("href"), Some("https://github.com/o"));
    assert_eq!(text(social[0]), "GitHub");
    assert_eq!(text(social[1]), "mastodon.example");
    assert_eq!(start.count(".dcr-social a svg"), 2);
    assert_eq!(start.count(".dcr-footer__repo svg"), 1);
    assert_eq!(
        start.attr(".dcr-header__repo", "href"),
        "https://github.com/o/r"
    );
    assert_eq!(start.text(".dcr-header__repo"), "o/r");
    assert_eq!(start.count(".dcr-header__repo svg"), 1);
    // The override's announce block; extra_css's class for the text.
    assert_eq!(start.text(".dcr-announce strong"), "Version 2");
    assert_eq!(start.count(".dcr-content.md-typeset"), 1);
}

#[test]
fn unknown_theme_options_and_features_are_one_warning_each_at_their_line() {
    let site = mkdocs_site();
    let built = site.build_to_temp(&[]);
    let stderr = &built.run.stderr;
    let line_of = |needle: &str| MKDOCS_YML.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let feature = format!("mkdocs.yml:{}:", line_of("navigation.tabz"));
    let option = format!("mkdocs.yml:{}:", line_of("flavour:"));
    assert!(
        stderr.contains(&feature) && stderr.contains("theme feature `navigation.tabz`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `navigation.tabs`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&option) && stderr.contains("theme option `flavour`"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("theme feature").count(), 1, "{stderr}");
    assert_eq!(stderr.matches("theme option").count(), 1, "{stderr}");
    // Material's features that change nothing here are not warned about.
    assert!(!stderr.contains("navigation.instant"), "{stderr}");
}

#[test]
fn an_icon_logo_and_the_defaults_without_settings() {
    let site = SiteTest::new().files(&[
        (
            "mkdocs.yml",
            "site_name: Plain\nnav:\n  - index.md\n  - b.md\ntheme:\n  name: material\n  icon:\n    logo: material/library\n",
        ),
        ("docs/index.md", "# Home\n\n## A\n\nText.\n"),
        ("docs/b.md", "# B\n\n## One\n\nText.\n\n## Two\n\nMore.\n"),
    ]);
    let built = site.build_to_temp(&[]);
    let b = Doc::parse(&built.read("b/index.html"));
    assert_eq!(b.count(".dcr-brand .dcr-brand__mark--icon svg"), 1);
    assert_eq!(b.attr("html", "lang"), "en");
    // Without features: no tabs, no link back up, the TOC beside the page; the reader
    // features on; the theme's own favicon and light/dark pair.
    assert_eq!(b.count(".dcr-tabs"), 0);
    assert_eq!(b.count("[data-dcr-top]"), 0);
    assert_eq!(b.count("nav.dcr-toc a[href='#two']"), 1);
    assert_eq!(b.count(".dcr-toc-integrated"), 0);
    assert_eq!(b.count("a[rel=prev]"), 1);
    assert_eq!(b.count("nav[aria-label=Breadcrumb]"), 1);
    assert!(b.attr("link[rel=icon]", "href").contains("favicon"));
    assert_eq!(b.count("[data-dcr-scheme-label]"), 2);
    assert_eq!(b.count(".dcr-social, .dcr-announce, head style"), 0);
}

#[test]
fn site_yaml_sites_have_the_same_settings() {
    let site = SiteTest::from_files(&[
        (
            "site.yaml",
            concat!(
                "title: Own\nbase_url: https://own.example.org/\n",
                "edit_url: https://github.com/o/own/edit/main/content/\n",
                "theme:\n  name: decred\n  logo: /img/own.svg\n  favicon: /img/own.ico\n",
                "  palette:\n",
                "    - {scheme: default, media: \"(prefers-color-scheme: light)\", primary: teal, toggle: {name: Night}}\n",
                "    - {scheme: slate, media: \"(prefers-color-scheme: dark)\", toggle: {name: Day, icon: material/weather-sunny}}\n",
                "  features: [navigation.tabs, navigation.top, content.action.view]\n",
                "  font: {code: Iosevka}\n",
                "  social:\n    - {icon: simple/github, link: \"https://github.com/o\", name: GitHub}\n",
                "  announce: \"<em>New</em> release\"\n",
            ),
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
        ("content/guide/_index.md", "---\ntitle: Guide\n---\nGuide.\n"),
        ("content/guide/one.md", "---\ntitle: One\n---\n## First\n\nText.\n"),
        ("assets/img/own.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("assets/img/own.ico", "ico"),
    ]);
    let built = site.build_to_temp(&[]);
    let one = Doc::parse(&built.read("guide/one/index.html"));
    assert_eq!(one.attr(".dcr-brand img", "src"), "/img/own.svg");
    assert_eq!(one.attr("link[rel=icon]", "href"), "/img/own.ico");
    assert_eq!(one.attr("link[rel=icon]", "type"), "image/x-icon");
    let labels: Vec<String> = one
        .all("[data-dcr-scheme-label]")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(labels, ["Night", "Day"]);
    assert!(one
        .text("script#dcr-palette")
        .contains("\"primary\":\"teal\""));
    assert_eq!(one.count(".dcr-tabs a[aria-current]"), 1);
    assert_eq!(one.count("[data-dcr-top]"), 1);
    assert_eq!(
        one.attr(".dcr-page-meta__view a", "href"),
        "https://github.com/o/own/blob/main/content/guide/one.md"
    );
    assert!(one.text("head style").contains("\"Iosevka\""));
    assert_eq!(one.attr(".dcr-social a", "href"), "https://github.com/o");
    assert_eq!(one.text(".dcr-announce em"), "New");
    // Not an MkDocs project: no Material class on the content.
    assert_eq!(one.count(".md-typeset"), 0);
}

#[test]
fn unknown_site_yaml_theme_settings_are_errors_at_their_line() {
    let site = SiteTest::from_files(&[
        (
            "site.yaml",
            "title: T\ntheme:\n  name: decred\n  features:\n    - navigation.tabz\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHi.\n"),
    ]);
    let run = site.run(["build"]);
    run.expect_code(1)
        .expect_stderr_contains("site.yaml:5:")
        .expect_stderr_contains("unknown theme feature `navigation.tabz`")
        .expect_stderr_contains("did you mean `navigation.tabs`?");
}

#[test]
fn a_missing_logo_or_favicon_is_reported_where_mkdocs_yml_names_it() {
    let site = SiteTest::new().files(&[
        (
            "mkdocs.yml",
            "site_name: Broken\ntheme:\n  name: material\n  logo: img/nope.svg\n  favicon: img/nope.ico?v=2\n",
        ),
        ("docs/index.md", "# Home\n"),
    ]);
    let built = site.build_to_temp(&[]);
    let stderr = &built.run.stderr;
    assert!(
        stderr.contains("mkdocs.yml:4:9: warning: broken link `/img/nope.svg`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("mkdocs.yml:5:12: warning: broken link `/img/nope.ico"),
        "{stderr}"
    );
}

/// `theme.font` names the families the pages ask for, and nothing is fetched for them:
/// no page or stylesheet loads anything from another host (Material would load Google
/// Fonts), so the reader's browser contacts nobody and the build needs no network.
#[test]
fn a_named_font_is_used_without_fetching_anything() {
    let built = mkdocs_site().build_to_temp(&[]);
    let remote =
        |url: &str| url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(built.path()) {
        let path = entry.unwrap().into_path();
        let name = path.to_string_lossy().to_string();
        if name.ends_with(".html") {
            pages += 1;
            let doc = Doc::parse(&read(&path));
            for (css, attr) in [("link[rel~=stylesheet], link[rel~=preload], link[rel~=preconnect], link[rel~=icon]", "href"), ("script[src], img[src]", "src")] {
                for el in doc.all(css) {
                    let url = el.value().attr(attr).unwrap_or_default();
                    assert!(!remote(url), "{name} loads {url}");
                }
            }
            for style in doc.all("style") {
                let css = text(style);
                assert!(
                    !css.contains("@import") && !css.contains("url(http"),
                    "{name}: {css}"
                );
            }
        } else if name.ends_with(".css") {
            let css = read(&path);
            assert!(
                !css.contains("fonts.googleapis")
                    && !css.contains("url(http")
                    && !css.contains("url(//"),
                "{name} fetches a font"
            );
        }
    }
    assert!(pages >= 4, "{pages} pages");
    let home = built.doc("index.html");
    assert!(home.text("head style").contains("--dcr-font:\"Inter\""));
}
