//! Integration tests: build fixture sites with the real binary and assert on the HTML.

use crate::common::*;

/// The `basic` fixture, built with `extra` arguments.
fn built_fixture(extra: &[&str]) -> SiteTest {
    SiteTest::fixture("basic").build_with(extra)
}

/// The page's `<main>` element serialised again, so assertions don't match navigation.
fn main_of(doc: &Doc) -> String {
    doc.one("main").html()
}

/// The source text from `<main` up to `</main>`, byte for byte as dcrsite wrote it, for
/// the snapshot: a parsed and re-serialised element would hide changes of escaping or
/// attribute spelling that the snapshot must catch.
fn main_source(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html.find("</main>").expect("</main>");
    &html[start..end]
}

#[test]
fn front_matter_and_heading_icons() {
    let site = built_fixture(&[]);
    let html = site.read("public/guide/index.html");
    let doc = Doc::parse(&html);
    let main = main_of(&doc);
    assert!(
        main.contains(r#"<h1 class="dcr-title"><img class="dcr-icon" src="/img/icons/Code.svg" alt=""> The guide</h1>"#),
        "{main}"
    );
    assert!(main.contains(
        r##"<h2 id="setup"><img class="dcr-icon" src="/img/icons/Introductions.svg" alt=""> Setup<a class="headerlink" href="#setup""##
    ));
    // The <title> carries the words only.
    assert!(
        html.contains("<title>The guide · Fixture Site</title>"),
        "{html}"
    );
    // The page's icon also shows beside its navigation entry.
    let nav = doc.one("nav.dcr-nav").html();
    assert!(nav.contains(r#"<img class="dcr-icon" src="/img/icons/Code.svg" alt=""> <span class="dcr-nav__text">The guide</span>"#), "{nav}");
    assert!(nav.contains(r#"aria-current="page""#));
}

#[test]
fn heading_ids_are_slugged_deduplicated_and_explicit() {
    let site = built_fixture(&[]);
    let html = site.read("public/guide/index.html");
    assert!(html.contains(r#"<h2 id="setup">"#));
    assert!(html.contains(r##"<h2 id="setup-1">Setup<a class="headerlink" href="#setup-1""##));
    assert!(html.contains(r#"<h3 id="custom-id">Fine print"#));
}

#[test]
fn table_of_contents_has_icons_and_words_only() {
    let site = built_fixture(&[]);
    let doc = site.doc("public/guide/index.html");
    let toc_nav = doc.one("nav.dcr-toc");
    let toc = toc_nav.html();
    assert!(
        toc.contains(r##"href="#setup""##)
            && toc.contains(r##"href="#setup-1""##)
            && toc.contains(r##"href="#custom-id""##),
        "{toc}"
    );
    assert!(
        toc.contains(r#"src="/img/icons/Introductions.svg""#),
        "heading icon beside its TOC entry: {toc}"
    );
    assert!(!toc.contains("headerlink"), "{toc}");
    // Nesting: the h3 is inside the second h2's list, after its link.
    let setup1 = toc_nav
        .all("li")
        .into_iter()
        .find(|li| li.one(":scope > a").attr("href") == Some("#setup-1"))
        .unwrap_or_else(|| panic!("no entry for #setup-1: {toc}"));
    assert_eq!(
        setup1
            .all(":scope > ol a")
            .iter()
            .map(|a| a.attr("href").unwrap())
            .collect::<Vec<_>>(),
        ["#custom-id"],
        "{toc}"
    );
}

#[test]
fn links_are_rewritten_against_the_linking_file() {
    let site = built_fixture(&[]);
    let run = site.last();
    let guide = site.read("public/guide/index.html");
    assert!(guide.contains(r##"<a href="/sub/page/#details">the deep page</a>"##));
    assert!(guide.contains(r#"<a href="/">home</a>"#));
    let deep = site.read("public/sub/page/index.html");
    assert!(
        deep.contains(r##"<a href="/guide/#setup">the guide's setup</a>"##)
            || deep.contains(r##"<a href="/guide/#setup">the guide’s setup</a>"##),
        "{deep}"
    );
    assert!(deep.contains(r#"<a href="/guide/">up</a>"#));
    // Raw HTML passes through.
    assert!(
        deep.contains(r#"<img class="dcr-icon" src="/img/icons/Code.svg" alt=""> Raw HTML stays."#)
    );
    // The unresolvable link is kept and warned about at its line and column.
    assert!(guide.contains(r#"<a href="missing.md">broken link</a>"#));
    assert!(
        run.stderr
            .contains("content/guide.md:38:3: warning: broken link `missing.md`"),
        "{}",
        run.stderr
    );
}

#[test]
fn footnotes_alerts_tasks_tables_and_highlighting() {
    let site = built_fixture(&[]);
    let html = site.read("public/guide/index.html");
    assert!(html.contains(
        r##"<sup class="footnote-reference" id="fnref:note"><a href="#fn:note">1</a></sup>"##
    ));
    assert!(html.contains(r#"<div class="footnote-definition" id="fn:note">"#));
    assert!(html.contains(r##"<a class="footnote-backref" href="#fnref:note""##));
    assert!(html.contains(r#"<div class="markdown-alert markdown-alert-warning" role="note">"#));
    assert!(html.contains(r#"<p class="markdown-alert-title">Warning</p>"#));
    assert!(html.contains(r#"<input type="checkbox" disabled checked aria-label="Done"> done"#));
    assert!(html.contains("<td><del>2</del></td>"));
    assert!(html.contains(
        r#"<pre class="highlight"><code class="language-rust"><span class="hl-source hl-rust">"#
    ));
    assert!(html.contains(r#"<code class="language-nosuchlang">plain &lt;text&gt;"#));
    // The generated stylesheet has light and dark themes and is linked, fingerprinted.
    let css_href = Doc::parse(&html).attr(r#"link[href^="/css/syntax."]"#, "href");
    let css = site.read(&format!("public{css_href}"));
    assert!(css.contains(".hl-") && css.contains("@media (prefers-color-scheme: dark)"));
}

#[test]
fn drafts_only_with_flag() {
    let site = built_fixture(&[]);
    assert!(!site.exists("public/draft"));
    built_fixture(&["--drafts"]).check_file("public/draft/index.html", |html| {
        assert!(html.contains("Secret draft"))
    });
}

#[test]
fn aliases_write_redirect_pages() {
    let site = built_fixture(&[]);
    let html = site.read("public/old-guide/index.html");
    assert!(
        html.contains(r#"<meta http-equiv="refresh" content="0; url=/guide/">"#),
        "{html}"
    );
    assert!(html.contains(r#"<link rel="canonical" href="https://fixture.example/guide/">"#));
}

#[test]
fn base_url_with_a_path_prefix() {
    let site = built_fixture(&["--base-url", "https://example.org/docs/"]);
    let html = site.read("public/guide/index.html");
    assert!(
        html.contains(r##"<a href="/docs/sub/page/#details">"##),
        "content links prefixed"
    );
    assert!(
        html.contains(r#"src="/docs/img/icons/Code.svg""#),
        "icons prefixed"
    );
    assert!(
        html.contains(r#"href="/docs/css/decred."#),
        "stylesheets prefixed"
    );
    assert!(
        !html.contains(r#"href="/guide/""#),
        "no unprefixed internal link left"
    );
    let raw = site.read("public/sub/page/index.html");
    assert!(
        raw.contains(
            r#"<img class="dcr-icon" src="/docs/img/icons/Code.svg" alt=""> Raw HTML stays."#
        ),
        "raw HTML prefixed too"
    );
    let redirect = site.read("public/old-guide/index.html");
    assert!(redirect.contains("url=/docs/guide/"), "{redirect}");
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/docs/guide/</loc>"),
        "{sitemap}"
    );
    // Every root-relative href/src (`data-href`, `xlink:href`… too) in every page points
    // inside the prefix.
    let mut seen = 0;
    for (path, bytes) in site.snapshot("public") {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = Doc::parse(&String::from_utf8(bytes).unwrap());
        for element in doc.elements() {
            for (attr, url) in element.value().attrs() {
                if !(attr.ends_with("href") || attr.ends_with("src")) || !url.starts_with('/') {
                    continue;
                }
                seen += 1;
                assert!(
                    url.starts_with("/docs/") || url.starts_with("//"),
                    "{path}: unprefixed {attr}=\"{url}\" in {}",
                    element.html()
                );
            }
        }
    }
    assert!(seen > 50, "only {seen} root-relative URLs looked at");
}

#[test]
fn site_templates_override_by_name() {
    built_fixture(&[]).check_file("public/special/index.html", |html| {
        assert!(html.contains(r#"<div class="site-override"><p>Special body.</p>"#))
    });
}

#[test]
fn contributors_grid_sorted_with_badges_and_avatars() {
    let site = built_fixture(&[]);
    let main = main_of(&site.doc("public/people/index.html"));
    let (a, m, z) = (
        main.find("Anna Alpha").unwrap(),
        main.find("Mo Middle").unwrap(),
        main.find("Zed Zulu").unwrap(),
    );
    assert!(a < m && m < z, "sorted by name");
    assert!(
        main.contains(r#"src="/people/anna.svg" alt="Anna Alpha""#),
        "{main}"
    );
    assert!(
        main.contains(r#"src="/people/zed-zulu/avatar.svg" alt="Zed Zulu""#),
        "{main}"
    );
    assert!(main.contains("Acme Widgets") && main.contains(r#"href="https://acme.example/""#));
    for group in ["development", "design", "community"] {
        assert!(
            main.contains(&format!(
                r#"<button type="button" class="dcr-chip" data-group="{group}""#
            )),
            "filter button {group}"
        );
    }
    assert!(
        !main.contains(r#"data-group="marketing""#),
        "groups nobody is in get no button"
    );
    assert!(main.contains(r#"data-group="design""#));
    let avatar = site.read("public/people/zed-zulu/avatar.svg");
    assert!(avatar.contains(">ZZ</text>") && avatar.contains(r#"aria-label="Zed Zulu""#));
    assert!(!site.exists("public/people/anna-alpha/avatar.svg"));
}

#[test]
fn sitemap_robots_404_and_fingerprinted_assets() {
    let site = built_fixture(&[]);
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://fixture.example/sub/page/</loc>"));
    assert!(!sitemap.contains("old-guide"));
    assert!(site
        .read("public/robots.txt")
        .contains("Sitemap: https://fixture.example/sitemap.xml"));
    assert!(site.read("public/404.html").contains("Page not found"));
    let css: Vec<_> = std::fs::read_dir(site.join("public/css"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    assert!(
        css.iter()
            .any(|n| n.starts_with("decred.") && n.len() == "decred.12345678.css".len()),
        "{css:?}"
    );
    assert!(!css.contains(&"decred.css".to_string()));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = built_fixture(&[]);
    let first = site.snapshot("public");
    let site = site.build();
    assert_eq!(first, site.snapshot("public"));
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = built_fixture(&[]);
    let before = site.snapshot("public");
    let site = site.file("content/guide.md", "---\ntitle: [unclosed\n---\nbody\n");
    site.run(["build"])
        .expect_code(1)
        .expect_stderr_contains("content/guide.md:2:");
    assert_eq!(
        before,
        site.snapshot("public"),
        "public/ changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn summary_line_counts_pages() {
    let site = built_fixture(&[]);
    let run = site.last();
    assert!(run.stdout.starts_with("Built 10 pages ("), "{}", run.stdout);
    assert!(
        run.stdout.contains(" files) in ") && run.stdout.contains(" with 1 warning"),
        "{}",
        run.stdout
    );
}

#[test]
fn slug_weight_order_and_smart_punctuation() {
    let site = built_fixture(&[]);
    let html = site.read("public/new-name/index.html");
    assert!(
        html.contains("Smart “quotes” – and dashes…"),
        "{}",
        main_of(&Doc::parse(&html))
    );
    assert!(!site.exists("public/renamed"));
    // Navigation: weight 1, 2, 2 (ties by title), 3, then unweighted.
    let home = site.doc("public/index.html");
    let entries: Vec<String> = home
        .one("nav.dcr-nav")
        .all(".dcr-nav__text")
        .into_iter()
        .map(html::text)
        .collect();
    let order: Vec<usize> = [
        "The guide",
        "Renamed page",
        "Sub section",
        "People",
        "Special",
    ]
    .iter()
    .map(|t| {
        entries
            .iter()
            .position(|e| e == t)
            .unwrap_or_else(|| panic!("{t} in nav {entries:?}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "nav order {order:?}");
}

#[test]
fn icons_can_be_inlined_as_svg() {
    let site = SiteTest::from_files(&[
        ("site.yaml", "title: T\nicons:\n  dir: img/icons\n  class: dcr-icon\n  inline: true\n"),
        ("assets/img/icons/Code.svg", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><path d=\"M0 0h24\"/></svg>\n"),
        ("content/a.md", "---\ntitle: A\nicon: Code\n---\n## Part {icon=Code}\n"),
    ])
    .build();
    let html = site.read("public/a/index.html");
    let inline = r#"<svg class="dcr-icon" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0h24"/></svg>"#;
    assert!(
        html.contains(&format!(r#"<h1 class="dcr-title">{inline} A</h1>"#)),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"<h2 id="part">{inline} Part"#)),
        "{html}"
    );
    assert!(!html.contains("<?xml"));
}

/// The rendered content of a page with every Markdown feature, byte for byte: a
/// performance change (regex engine, allocator, parallelism) must not change it.
#[test]
fn rendered_content_snapshot() {
    let site = built_fixture(&[]);
    let html = site.read("public/guide/index.html");
    insta::assert_snapshot!("guide_main", main_source(&html));
    let html = site.read("public/sub/page/index.html");
    insta::assert_snapshot!("deep_page_main", main_source(&html));
}
