//! The MkDocs plugins real projects rely on: content generators dcrsite cannot run
//! (mkdocstrings, mkdocs-click) shown as placeholders with links into them undecided,
//! `redirects`, and theme files kept inside `docs_dir`.

use crate::common::html::text;
use crate::common::*;
use serde_json::Value;

/// `dcrsite check --format json` on `site`: the parsed report.
fn check(site: &SiteTest) -> Value {
    site.run(["check", "--format", "json"]).json()
}

fn targets(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|f| f["target"].as_str().unwrap().to_string())
        .collect()
}

const GENERATORS_YML: &str = "site_name: Gen\nplugins:\n  - search\n  - mkdocstrings:\n      default_handler: python\nmarkdown_extensions:\n  - mkdocs-click\n";

#[test]
fn generated_content_is_a_placeholder_and_links_into_it_are_unknown() {
    let site = SiteTest::new()
        .file("mkdocs.yml", GENERATORS_YML)
        .file(
            "docs/cli.md",
            "# CLI\n\n::: mkdocs-click\n    :module: app.cli\n    :command: app\n\n## Written\n",
        )
        .file(
            "docs/api.md",
            "# API\n\nSee [run](#app.Runner.run).\n\n::: app.Runner\n    options:\n      show_root_heading: true\n",
        )
        .file(
            "docs/index.md",
            "# Home\n\n[test](cli.md#app-test) [written](cli.md#written) [typo](cli.md#writen-by-hand) [nope](index.md#nope)\n",
        )
        .build();
    site.check_doc("site/cli/index.html", |doc| {
        let p = doc.one(r#"div.dcrsite-generated[data-dcrsite-generated="mkdocs-click"]"#);
        assert!(
            text(p).contains("command-line reference of app (from app.cli)"),
            "{}",
            text(p)
        );
        assert!(!doc.source().contains(":::"), "no raw directive");
    });
    site.check_doc("site/api/index.html", |doc| {
        let p = doc.one(r#"div[data-dcrsite-generated="mkdocstrings"]"#);
        assert!(text(p).contains("API documentation of app.Runner"));
        assert!(
            !doc.source().contains("show_root_heading"),
            "options are not text"
        );
    });
    let stderr = &site.last().stderr;
    assert!(
        !stderr.contains("mkdocs-click` is not supported"),
        "{stderr}"
    );

    let report = check(&site);
    // Any id is undecided on a page with generated content, even one that looks like a
    // typo: dcrsite cannot know what the plugin writes. Elsewhere a missing id is broken.
    assert_eq!(
        targets(&report["unknown"]),
        ["#app.Runner.run", "/cli/#app-test", "/cli/#writen-by-hand"]
    );
    assert_eq!(targets(&report["broken"]), ["/#nope"]);
    let reason = report["unknown"][1]["reason"].as_str().unwrap();
    assert_eq!(
        reason,
        "no element with id `app-test` on /cli/ as dcrsite built it; mkdocs-click generates \
         part of that page, which dcrsite cannot run, so the id may be there"
    );
}

#[test]
fn without_the_plugins_directives_stay_text_and_missing_ids_are_broken() {
    let site = SiteTest::new()
        .file("mkdocs.yml", "site_name: Plain\n")
        .file("docs/api.md", "# API\n\n::: app.Runner\n")
        .file("docs/index.md", "# Home\n\n[run](api.md#app.Runner)\n")
        .build();
    site.check_doc("site/api/index.html", |doc| {
        assert_eq!(doc.count("[data-dcrsite-generated]"), 0);
        assert!(doc.source().contains("::: app.Runner"), "left as written");
    });
    let report = check(&site);
    assert_eq!(targets(&report["broken"]), ["/api/#app.Runner"]);
    assert_eq!(targets(&report["unknown"]), Vec::<String>::new());
}

/// `redirects`' `redirect_maps`: each old page is a redirect page at the URL MkDocs gave
/// it, to a page of the site or to another site; a redirect to a missing page is a
/// warning at its line of mkdocs.yml.
#[test]
fn redirect_maps_become_redirect_pages() {
    let yml = "site_name: R\nplugins:\n  redirects:\n    redirect_maps:\n      old.md: guide/new.md\n      old/deep/index.md: guide/new.md#part\n      away.md: https://example.org/elsewhere/\n      lost.md: nope.md\n";
    let site = SiteTest::new()
        .file("mkdocs.yml", yml)
        .file(
            "docs/index.md",
            "# Home\n\n[old](/old/) [deep](/old/deep/) [away](/away/)\n",
        )
        .file("docs/guide/new.md", "# New\n\n## Part\n")
        .build();
    for (old, new) in [
        ("site/old/index.html", "/guide/new/"),
        ("site/old/deep/index.html", "/guide/new/#part"),
    ] {
        site.check_doc(old, |doc| {
            assert_eq!(doc.attr("a", "href"), new, "{old}");
            assert!(doc
                .attr(r#"meta[http-equiv="refresh"]"#, "content")
                .ends_with(&format!("url={new}")));
        });
    }
    site.check_doc("site/away/index.html", |doc| {
        assert_eq!(doc.attr("a", "href"), "https://example.org/elsewhere/");
    });
    site.last().expect_stderr_contains(
        "mkdocs.yml:8:7: warning: redirect from `lost.md` to `nope.md`: there is no page docs/nope.md",
    );
    let report = check(&site);
    assert_eq!(targets(&report["broken"]), Vec::<String>::new());

    let flat = SiteTest::new()
        .file("mkdocs.yml", format!("{yml}use_directory_urls: false\n"))
        .file("docs/index.md", "# Home\n")
        .file("docs/guide/new.md", "# New\n")
        .build();
    flat.check_doc("site/old.html", |doc| {
        assert_eq!(doc.attr("a", "href"), "/guide/new.html");
    });
    assert!(flat.exists("site/old/deep/index.html"));
}

/// With `mike`, the site is one version beside others: a link into `/dev/…` or
/// `/latest/…` whose rest is a page of this version cannot be decided.
#[test]
fn links_into_other_mike_versions_are_unknown() {
    let page = "# Home\n\n[dev](/dev/guide/) [latest](https://ex.org/latest/guide/#top) [gone](/dev/nope/)\n";
    let files = [("docs/index.md", page), ("docs/guide.md", "# Guide\n")];
    let with = SiteTest::from_files(&files)
        .file(
            "mkdocs.yml",
            "site_name: V\nsite_url: https://ex.org/\nplugins:\n  - mike\n",
        )
        .build();
    let report = check(&with);
    assert_eq!(
        targets(&report["unknown"]),
        ["/dev/guide/", "https://ex.org/latest/guide/#top"]
    );
    assert_eq!(targets(&report["broken"]), ["/dev/nope/"]);
    assert!(report["unknown"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("/dev/ may be another version of the site, which mike deploys"));

    let without = SiteTest::from_files(&files)
        .file("mkdocs.yml", "site_name: V\nsite_url: https://ex.org/\n")
        .build();
    let report = check(&without);
    assert_eq!(targets(&report["unknown"]), Vec::<String>::new());
    assert_eq!(report["broken"].as_array().unwrap().len(), 3);
}

/// The theme's `custom_dir` inside `docs_dir` holds templates, whose links are Jinja: its
/// files are neither pages nor files of the site, so they are not checked either.
#[test]
fn theme_files_inside_docs_dir_are_not_pages_nor_checked() {
    let partial = "{% extends \"base.html\" %}\n<a href=\"{{ config.repo_url }}\">repo</a>\n";
    let site = SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: T\ntheme:\n  name: material\n  custom_dir: docs/overrides\n",
        )
        .file("docs/index.md", "# Home\n")
        .file("docs/overrides/main.html", partial)
        .file("docs/overrides/partials/notes.md", "# Not a page\n")
        .build();
    assert!(!site.exists("site/overrides/main.html"));
    assert!(!site.exists("site/overrides/partials/notes/index.html"));
    let report = check(&site);
    assert_eq!(targets(&report["broken"]), Vec::<String>::new());
    assert_eq!(
        report["checked"]["pages"], 2,
        "the home and 404 pages: {report}"
    );
}

/// Material's blog: posts get dated URLs from their `date` and title, as MkDocs gives
/// them; links into posts and from them keep working; the index lists the posts newest
/// first with their excerpts; posts are not "missing from nav".
#[test]
fn blog_posts_get_dated_urls_and_the_index_lists_their_excerpts() {
    let site = SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: B\nnav:\n  - index.md\n  - Blog:\n    - blog/index.md\nplugins:\n  - blog\n",
        )
        .file("docs/index.md", "# Home\n\n[release](blog/posts/one.md#usage)\n")
        .file("docs/blog/index.md", "# Blog\n")
        .file(
            "docs/blog/posts/one.md",
            "---\ndate: 2024-05-02\ncategories:\n  - Release\n---\n\n# Hatch v1.10.0\n\nFirst **words**.\n\n<!-- more -->\n\n## Usage\n\n![shot](one/shot.png) [home](../../index.md)\n",
        )
        .file("docs/blog/posts/one/shot.png", "png")
        .file(
            "docs/blog/posts/two.md",
            "---\ndate:\n  created: 2025-01-09\nslug: custom\n---\n\n# Second\n\nAll of it.\n",
        )
        .file("docs/blog/posts/undated.md", "# Undated\n")
        .build();
    let stderr = site.last().stderr.clone();
    assert!(!stderr.contains("not in the `nav`"), "{stderr}");
    assert!(
        stderr
            .contains("docs/blog/posts/undated.md:1:1: warning: blog post without a usable `date`"),
        "{stderr}"
    );
    site.check_doc("site/blog/2024/05/02/hatch-v1100/index.html", |doc| {
        assert_eq!(doc.attr("img[alt=shot]", "src"), "/blog/posts/one/shot.png");
    });
    assert!(site.exists("site/blog/2025/01/09/custom/index.html"));
    assert!(
        site.exists("site/blog/posts/undated/index.html"),
        "kept where it is"
    );
    site.check_doc("site/blog/index.html", |doc| {
        let titles: Vec<String> = doc
            .all(".dcrsite-blog-post h2 a")
            .into_iter()
            .map(text)
            .collect();
        assert_eq!(titles, ["Second", "Hatch v1.10.0"], "newest first");
        let first = doc.all(".dcrsite-blog-post")[1];
        assert!(text(first).contains("First words."));
        assert!(!text(first).contains("Usage"), "only the excerpt");
        assert_eq!(
            doc.attr(".dcrsite-blog-post:nth-of-type(2) h2 a", "href"),
            "/blog/2024/05/02/hatch-v1100/"
        );
        assert!(text(doc.all(".dcrsite-blog-post")[0]).contains("All of it."));
        assert_eq!(
            doc.attr(".dcrsite-blog-post h2", "id"),
            "second",
            "ids as toc makes them"
        );
    });
    // The archive page of each year and the page of each category list their posts.
    let listed = |page: &str| -> Vec<String> {
        site.doc(page)
            .all(".dcrsite-blog-post h2 a")
            .into_iter()
            .map(text)
            .collect()
    };
    assert_eq!(
        listed("site/blog/archive/2024/index.html"),
        ["Hatch v1.10.0"]
    );
    assert_eq!(listed("site/blog/archive/2025/index.html"), ["Second"]);
    assert_eq!(
        listed("site/blog/category/release/index.html"),
        ["Hatch v1.10.0"]
    );
    site.check_doc("site/blog/category/release/index.html", |doc| {
        assert_eq!(doc.text("h1"), "Release");
    });
    let report = check(&site);
    assert_eq!(targets(&report["broken"]), Vec::<String>::new(), "{report}");
}

/// Material's tags: a page's front-matter `tags` show above its content, linked to their
/// entry on the page with the `<!-- material/tags -->` marker, which lists every tag
/// with its pages, as Material writes them.
#[test]
fn tags_show_on_their_pages_and_the_marker_lists_them() {
    let site = SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: T\nplugins:\n  - search\n  - tags\n",
        )
        .file(
            "docs/index.md",
            "# Home\n\n[guides](tags.md#tag:setup-guide)\n",
        )
        .file(
            "docs/a.md",
            "---\ntags:\n  - Setup Guide\n  - Zeta\n---\n# A page\n\nText.\n",
        )
        .file("docs/b.md", "---\ntags: [Zeta]\n---\n# B page\n")
        .file("docs/tags.md", "# Tags\n\n<!-- material/tags -->\n")
        .build();
    site.check_doc("site/a/index.html", |doc| {
        let hrefs: Vec<String> = doc
            .all("nav.md-tags a.md-tag")
            .into_iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert_eq!(hrefs, ["/tags/#tag:setup-guide", "/tags/#tag:zeta"]);
    });
    site.check_doc("site/tags/index.html", |doc| {
        assert!(
            !doc.source().contains("material/tags"),
            "the marker is replaced"
        );
        assert_eq!(doc.text("h2[id='tag:setup-guide']"), "Setup Guide");
        let zeta: Vec<String> = doc
            .all("h2[id='tag:zeta'] + ul a")
            .into_iter()
            .map(text)
            .collect();
        assert_eq!(zeta, ["A page", "B page"]);
    });
    let report = check(&site);
    assert_eq!(targets(&report["broken"]), Vec::<String>::new(), "{report}");

    let untagged = SiteTest::new()
        .file("mkdocs.yml", "site_name: T\nplugins:\n  - tags\n")
        .file("docs/index.md", "---\ntags: [Solo]\n---\n# Home\n")
        .build();
    untagged.check_doc("site/index.html", |doc| {
        assert_eq!(
            doc.text("nav.md-tags span.md-tag"),
            "Solo",
            "no index: not a link"
        );
    });
}

/// With `gen-files`, pages are written when MkDocs builds the site: a link to a page
/// dcrsite does not have may be to one of them. Missing images stay broken.
#[test]
fn links_to_pages_gen_files_may_write_are_unknown() {
    let page = "# Home\n\n[api](reference/api.md) [ref](/reference/cli/) ![img](missing.png)\n";
    let site = SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: G\nplugins:\n  - gen-files:\n      scripts: [gen.py]\n",
        )
        .file("docs/index.md", page)
        .build();
    let stderr = &site.last().stderr;
    assert!(!stderr.contains("`reference/api.md`"), "{stderr}");
    assert!(stderr.contains("broken link `missing.png`"), "{stderr}");
    let report = check(&site);
    assert_eq!(
        targets(&report["unknown"]),
        ["reference/api.md", "/reference/cli/"]
    );
    assert!(report["unknown"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("gen-files writes pages when MkDocs builds it"));
    assert_eq!(targets(&report["broken"]), ["missing.png"]);
}

/// A page written for Material's `redirect.html` template (front matter `template:
/// redirect.html` and `location:`) is a redirect to its location, as MkDocs writes it;
/// the checker follows it like any redirect.
#[test]
fn a_page_with_the_redirect_template_redirects_to_its_location() {
    let site = SiteTest::new()
        .file("mkdocs.yml", "site_name: R\ntheme:\n  name: material\n")
        .file(
            "docs/index.md",
            "---\ntemplate: redirect.html\nlocation: get-started/\n---\n\n# Docs\n",
        )
        .file("docs/get-started.md", "# Get started\n")
        .build();
    let home = site.read("site/index.html");
    assert!(
        home.contains(r#"<meta http-equiv="refresh" content="0; url=get-started/">"#),
        "{home}"
    );
    assert!(!home.contains("<h1"), "not rendered as a page: {home}");
    let report = check(&site);
    assert_eq!(targets(&report["broken"]), Vec::<String>::new());
}

/// Links as MkDocs resolves them: `page.md/#part`, `folder/` for the folder's index page,
/// and URLs written relative to the built page, whose place depends on
/// `use_directory_urls` (`../other/` from `sub/page.md` is `/sub/other/` with folder URLs,
/// `/other/` without; both are missing in MkDocs' build too, and only those are broken).
#[test]
fn links_resolve_as_mkdocs_resolves_them() {
    let files = [
        ("docs/index.md", "# Home\n\n[a](other.md/#part) [g](guide/) [gi](guide/index.md)\n"),
        ("docs/other.md", "# Other\n\n## Part\n"),
        ("docs/guide/index.md", "# Guide\n"),
        (
            "docs/sub/page.md",
            "# Sub\n\n[o](../other/) [o2](../../other/#part) [h](../) [f](../guide/) [md](../other.md#part)\n",
        ),
    ];
    let with = SiteTest::from_files(&files).file("mkdocs.yml", "site_name: L\n");
    assert_eq!(targets(&check(&with)["broken"]), ["../other/"]);
    let without = SiteTest::from_files(&files)
        .file("mkdocs.yml", "site_name: L\nuse_directory_urls: false\n");
    assert_eq!(
        targets(&check(&without)["broken"]),
        ["../other/", "../../other/#part"]
    );
}

/// Material's per-page search setting: a page with `search: {exclude: true}` in its front
/// matter is left out of the search index; the others are in it.
#[test]
fn a_page_can_be_left_out_of_search() {
    let site = SiteTest::new()
        .file("mkdocs.yml", "site_name: S\nplugins:\n  - search\n")
        .file("docs/index.md", "# Home\n")
        .file(
            "docs/hidden.md",
            "---\nsearch:\n  exclude: true\n---\n\n# Hidden page\n",
        )
        .file("docs/shown.md", "# Shown page\n")
        .build();
    let index = site.read("site/search-index.json");
    assert!(index.contains("Shown page"), "{index}");
    assert!(!index.contains("Hidden page"), "{index}");
}
