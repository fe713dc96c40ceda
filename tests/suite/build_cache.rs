//! The persistent build cache (`ROOT/.dcrsite-cache/build.bin`): after each kind of
//! change a build from the cache gives exactly the Output and diagnostics of a clean
//! build (as `incremental.rs` proves for `serve`), and a cache that cannot be trusted is
//! ignored with one warning.

use crate::common::{committed_basic_site, edit_file as edit, git_at, snapshot, SiteTest};

use std::path::Path;

use dcrsite::site::{BuildOptions, CacheUse, SiteState};

fn options(root: &Path, base_url: Option<&str>, cache: bool) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: base_url.map(String::from),
        drafts: false,
        cache: cache.then(|| root.join(".dcrsite-cache")),
        output: None,
    }
}

/// The same site, loaded from the cache and clean: the same files, byte for byte, and
/// the same problems.
fn assert_same_as_clean(cached: &SiteState, root: &Path, base_url: Option<&str>, what: &str) {
    let clean = SiteState::load(&options(root, base_url, false)).expect("clean build");
    assert_eq!(cached.problems(), clean.problems(), "{what}: problems");
    assert_eq!(cached.page_count(), clean.page_count(), "{what}: pages");
    let (cached, clean) = (&cached.output().files, &clean.output().files);
    let paths = |m: &std::collections::BTreeMap<String, _>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(cached), paths(clean), "{what}: same files");
    for (path, file) in clean {
        assert_eq!(Some(file), cached.get(path), "{what}: {path} differs");
    }
}

/// Builds `site` with the cache, runs `change` on its files, builds again from the cache
/// and checks that against a clean build; then that a third build, from the cache the
/// second wrote, reuses everything and gives the same. Returns the second build's use
/// of the cache and its page count.
fn check_change_in(
    site: &SiteTest,
    base_url: Option<&str>,
    change: impl FnOnce(&Path),
) -> (CacheUse, usize) {
    let root = site.path();
    let first = SiteState::load(&options(root, base_url, true)).expect("first build");
    assert!(
        first.cache_warning().is_none(),
        "{:?}",
        first.cache_warning()
    );
    drop(first);
    change(root);
    let warm = SiteState::load(&options(root, base_url, true)).expect("cached build");
    assert!(warm.cache_warning().is_none(), "{:?}", warm.cache_warning());
    assert_same_as_clean(&warm, root, base_url, "after the change");
    let used = (warm.cache_use(), warm.output().pages().count());
    drop(warm);
    let again = SiteState::load(&options(root, base_url, true)).expect("unchanged build");
    assert_same_as_clean(&again, root, base_url, "unchanged since");
    let pages = again.page_count();
    let reused = again.cache_use();
    // Pages that include files too: the files they included are keys of their entry.
    assert_eq!(
        (pages, pages),
        (reused.markdown_reused, reused.templates_reused),
        "nothing changed: everything comes from the cache"
    );
    used
}

fn check_change(change: impl FnOnce(&Path)) -> CacheUse {
    check_change_in(&SiteTest::fixture("basic"), None, change).0
}

/// The basic fixture's page count (loaded once, clean).
fn basic_pages() -> usize {
    let site = SiteTest::fixture("basic");
    SiteState::load(&options(site.path(), None, false))
        .unwrap()
        .page_count()
}

#[test]
fn body_edit_renders_that_page_and_its_section_only() {
    let n = basic_pages();
    let used = check_change(|root| {
        edit(
            &root.join("content/sub/page.md"),
            "Raw HTML stays.",
            "Raw HTML stays, edited.",
        )
    });
    assert_eq!(used.markdown_reused, n - 1);
    assert_eq!(used.templates_reused, n - 2, "the page and its section");
}

#[test]
fn body_edit_with_a_base_path() {
    let site = SiteTest::fixture("basic");
    let (used, _) = check_change_in(&site, Some("https://example.org/docs/"), |root| {
        edit(
            &root.join("content/guide.md"),
            "Set things up.",
            "Set things up now.",
        )
    });
    assert_eq!(used.markdown_reused, basic_pages() - 1);
}

#[test]
fn title_weight_and_icon_changes_rerender_navigation() {
    let n = basic_pages();
    for (from, to) in [
        ("title: The guide", "title: The handbook"),
        ("weight: 1", "weight: 99"),
        ("icon: Code", "icon: Introductions"),
    ] {
        let used = check_change(|root| edit(&root.join("content/guide.md"), from, to));
        assert_eq!(used.markdown_reused, n - 1, "{to}");
        assert_eq!(
            used.templates_reused, 0,
            "{to}: navigation is on every page"
        );
    }
}

/// A title shown only where its section is open: the cached build renders again the
/// pages whose files change, and takes every other page from the cache.
#[test]
fn a_title_in_one_section_rerenders_only_the_pages_that_show_it() {
    let site = SiteTest::fixture("basic");
    let clean = || SiteState::load(&options(site.path(), None, false)).unwrap();
    let before = clean().output().files.clone();
    let (used, _) = check_change_in(&site, None, |root| {
        edit(
            &root.join("content/sub/page.md"),
            "# Deep page",
            "# Deeper page",
        )
    });
    let after = clean();
    let changed = after
        .output()
        .pages()
        .filter(|(path, file)| before.get(*path) != Some(*file))
        .count();
    assert!(changed < after.page_count() / 2, "{changed}");
    assert_eq!(after.page_count() - used.templates_reused, changed);
}

#[test]
fn contributor_edit_updates_the_contributors_section() {
    check_change(|root| {
        edit(
            &root.join("content/people/anna-alpha.md"),
            "role: Lead Developer",
            "role: Chief Developer",
        )
    });
}

#[test]
fn created_deleted_and_renamed_pages() {
    let used = check_change(|root| {
        std::fs::write(
            root.join("content/new-page.md"),
            "---\ntitle: Brand new\n---\nFresh.\n",
        )
        .unwrap()
    });
    assert_eq!(used.markdown_reused, 0, "links may now resolve elsewhere");
    check_change(|root| std::fs::remove_file(root.join("content/special.md")).unwrap());
    check_change(|root| {
        std::fs::rename(
            root.join("content/sub/page.md"),
            root.join("content/sub/moved.md"),
        )
        .unwrap()
    });
}

#[test]
fn slug_draft_and_alias_changes_move_pages() {
    check_change(|root| {
        let p = root.join("content/special.md");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replacen("---\n", "---\nslug: elsewhere\n", 1)).unwrap();
    });
    check_change(|root| {
        edit(
            &root.join("content/draft.md"),
            "draft: true",
            "draft: false",
        )
    });
    check_change(|root| {
        let p = root.join("content/guide.md");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            text.replacen("---\n", "---\naliases: [/old-guide/]\n", 1),
        )
        .unwrap();
    });
}

#[test]
fn template_change_rerenders_its_pages_only() {
    let n = basic_pages();
    let used = check_change(|root| {
        edit(
            &root.join("themes/decred/templates/page.html"),
            "</article>",
            "<p>edited template</p></article>",
        )
    });
    assert_eq!(used.markdown_reused, n);
    // The six pages rendered with page.html, as serve's planner says.
    assert_eq!(used.templates_reused, n - 6);
}

#[test]
fn included_template_change_rerenders_only_its_users() {
    let site = SiteTest::fixture("basic")
        .file(
            "templates/special.html",
            "{% include \"partials/extra.html\" %}{{ page.title }}",
        )
        .file("templates/partials/extra.html", "<p>v1</p>");
    let (used, _) = check_change_in(&site, None, |root| {
        std::fs::write(root.join("templates/partials/extra.html"), "<p>v2</p>").unwrap()
    });
    assert_eq!(used.templates_reused, basic_pages() - 1);
}

#[test]
fn a_template_appearing_or_going_rerenders_every_page() {
    let n = basic_pages();
    let used = check_change(|root| {
        std::fs::write(
            root.join("templates/special.html"),
            "<html><body>override {{ page.title }}</body></html>",
        )
        .unwrap()
    });
    assert_eq!(used.templates_reused, n - 1, "only the page naming it");
    // A site template over the theme's of the same name.
    let used = check_change(|root| {
        std::fs::write(root.join("templates/page.html"), "site's {{ page.title }}").unwrap()
    });
    assert_eq!(used.templates_reused, n - 6, "the pages of page.html");
    let used = check_change(|root| std::fs::write(root.join("templates/new.html"), "new").unwrap());
    assert_eq!(used.templates_reused, 0, "any page may use a new template");
    let site = SiteTest::fixture("basic").file("templates/new.html", "new");
    let (used, _) = check_change_in(&site, None, |root| {
        std::fs::remove_file(root.join("templates/new.html")).unwrap()
    });
    assert_eq!(used.templates_reused, 0);
}

#[test]
fn asset_changes() {
    let n = basic_pages();
    // A stylesheet's name carries its hash: every page links the new name.
    let used = check_change(|root| {
        let p = root.join("themes/decred/static/css/decred.css");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text + "\nbody { outline: 1px solid red; }\n").unwrap();
    });
    assert_eq!(used.templates_reused, 0);
    assert_eq!(used.markdown_reused, n);
    // A file copied under its own name changes no page.
    let used = check_change(|root| {
        std::fs::write(
            root.join("themes/decred/static/favicon.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .unwrap()
    });
    assert_eq!((used.markdown_reused, used.templates_reused), (n, n));
    check_change(|root| std::fs::write(root.join("assets/extra.txt"), "new asset").unwrap());
}

#[test]
fn content_file_changes() {
    let n = basic_pages();
    let used = check_change(|root| {
        std::fs::write(
            root.join("content/people/anna.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>",
        )
        .unwrap()
    });
    assert_eq!((used.markdown_reused, used.templates_reused), (n, n));
    check_change(|root| std::fs::write(root.join("content/notes.txt"), "notes").unwrap());
}

#[test]
fn site_yaml_theme_and_icon_changes_render_everything() {
    let used = check_change(|root| {
        edit(
            &root.join("site.yaml"),
            "title: Fixture Site",
            "title: Renamed Site",
        )
    });
    assert_eq!(used, CacheUse::default());
    let new_icon = |root: &Path| {
        std::fs::write(
            root.join("assets/img/icons/Code.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><path/></svg>",
        )
        .unwrap()
    };
    // Icons written inline put the file's text in pages; otherwise pages only link it.
    let inline = SiteTest::fixture("basic").edit(
        "site.yaml",
        "class: dcr-icon",
        "class: dcr-icon\n  inline: true",
    );
    let (used, _) = check_change_in(&inline, None, new_icon);
    assert_eq!(used, CacheUse::default());
    let n = basic_pages();
    let used = check_change(new_icon);
    assert_eq!((used.markdown_reused, used.templates_reused), (n, n));
    // Another theme: its templates and files, nothing of the cached pages.
    let used = check_change(|root| {
        crate::common::copy_dir(&root.join("themes/decred"), &root.join("themes/other"));
        edit(
            &root.join("themes/other/templates/page.html"),
            "</article>",
            "<p>other theme</p></article>",
        );
        edit(&root.join("site.yaml"), "theme: decred", "theme: other");
    });
    assert_eq!(used, CacheUse::default());
}

#[test]
fn errors_then_fixes_match_clean_builds() {
    let site = SiteTest::fixture("basic");
    let root = site.path();
    let page = root.join("content/sub/page.md");
    let good = std::fs::read_to_string(&page).unwrap();
    let steps = [
        "---\ntitle: [unclosed\n---\nbroken\n".to_string(),
        good.replacen("Raw HTML", "Raw {icon=Nope} HTML ![x](missing.md)", 1),
        "---\nicon: NoSuchIcon\n---\n# Deep page\n".to_string(),
        good.clone(),
    ];
    let template = root.join("themes/decred/templates/page.html");
    let good_template = std::fs::read_to_string(&template).unwrap();
    let template_steps = ["{% if %}", "{{ nope.nope }}", good_template.as_str()];
    let opts = options(root, None, true);
    SiteState::load(&opts).unwrap();
    for text in &steps {
        std::fs::write(&page, text).unwrap();
        let cached = SiteState::load(&opts).unwrap();
        assert_same_as_clean(&cached, root, None, text);
    }
    for text in template_steps {
        std::fs::write(&template, text).unwrap();
        let cached = SiteState::load(&opts).unwrap();
        assert_same_as_clean(&cached, root, None, text);
    }
}

/// An MkDocs snippet is not a page: the pages that include snippets are rendered again
/// on every build, whatever changed.
#[test]
fn snippet_edit_rerenders_the_pages_that_include_snippets() {
    let site = SiteTest::fixture("mkdocs");
    let (used, pages) = check_change_in(&site, None, |root| {
        edit(
            &root.join("parts/warning.md"),
            "Back up first",
            "Back up twice",
        )
    });
    assert!(used.markdown_reused < pages, "{used:?}");
}

/// Files other pages include or every page gets appended: mdx_include's `{!path!}`,
/// snippets' `auto_append` glossary.
#[test]
fn included_and_appended_files_rerender_their_pages() {
    let site = SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: I\nmarkdown_extensions:\n  - abbr\n  - mdx_include\n  - pymdownx.snippets:\n      auto_append: [glossary.md]\n",
        )
        .file("docs/index.md", "# Home\n\nThe API is here.\n")
        .file("docs/inc.md", "# Inc\n\n{!parts/a.md!}\n")
        .file("parts/a.md", "Included words.\n")
        .file("glossary.md", "*[API]: Application Programming Interface\n");
    check_change_in(&site, None, |root| {
        std::fs::write(root.join("parts/a.md"), "Other included words.\n").unwrap();
        std::fs::write(root.join("glossary.md"), "*[API]: An Interface\n").unwrap();
    });
}

#[test]
fn nested_docs_dir_and_file_urls() {
    let site = SiteTest::fixture("mkdocs")
        .docs_dir("src/docs")
        .append("mkdocs.yml", "use_directory_urls: false\n");
    check_change_in(&site, None, |root| {
        let p = root.join("src/docs/guide/upgrade.md");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, format!("{text}\nOne more line.\n")).unwrap();
    });
}

/// The blog's lists and the tags index show other pages' words.
#[test]
fn blog_and_tags_edits_redo_the_pages_that_list_them() {
    let site = || {
        SiteTest::new()
            .file("mkdocs.yml", "site_name: B\nplugins:\n  - blog\n  - tags\n")
            .file("docs/index.md", "# Home\n")
            .file("docs/tags.md", "# Tags\n\n<!-- material/tags -->\n")
            .file("docs/blog/index.md", "# Blog\n")
            .file(
                "docs/blog/posts/a.md",
                "---\ndate: 2024-05-02\ntags: [One]\n---\n# Post A\n\nOld excerpt.\n\n<!-- more -->\n\nRest.\n",
            )
    };
    check_change_in(&site(), None, |root| {
        edit(
            &root.join("docs/blog/posts/a.md"),
            "Old excerpt.",
            "New excerpt.",
        )
    });
    check_change_in(&site(), None, |root| {
        edit(
            &root.join("docs/blog/posts/a.md"),
            "date: 2024-05-02\ntags: [One]",
            "date: 2025-01-01\ntags: [Two]",
        )
    });
}

/// A page's "last updated" date comes from git: a new commit of a file whose text is
/// unchanged (a revert, a rebase) must still show its new date.
#[test]
fn a_new_git_date_rerenders_that_page() {
    let Some(site) = committed_basic_site() else {
        return;
    };
    let n = basic_pages();
    let (used, _) = check_change_in(&site, None, |root| {
        let guide = root.join("content/guide.md");
        let text = std::fs::read_to_string(&guide).unwrap();
        std::fs::write(&guide, text.clone() + "\nTemporary.\n").unwrap();
        assert!(git_at(
            root,
            &["commit", "-qam", "b"],
            "2025-06-01T00:00:00Z"
        ));
        std::fs::write(&guide, text).unwrap();
        assert!(git_at(
            root,
            &["commit", "-qam", "c"],
            "2025-07-01T00:00:00Z"
        ));
    });
    assert_eq!(used.markdown_reused, n, "the text is as it was");
    assert!(used.templates_reused < n, "{used:?}");
}

// The command line: `build` reads and writes the cache by default.

#[test]
fn a_cached_build_writes_what_a_clean_build_writes() {
    let site = SiteTest::fixture("basic").build();
    assert!(site.join(".dcrsite-cache/build.bin").is_file());
    let site = site.edit("content/guide.md", "Set things up.", "Set things up now.");
    let run = site.run(["build"]);
    run.expect_success();
    assert!(!run.stderr.contains("cache"), "{}", run.stderr);
    let cached = snapshot(&site.join("public"));
    let site = site.build_with(&["--no-cache"]);
    assert_eq!(cached, snapshot(&site.join("public")));
}

/// The warnings of `build` from the cache, checked against a clean build's.
fn cached_warnings_match_clean(site: &SiteTest) -> String {
    let cached = site.run(["build"]);
    cached.expect_success();
    let clean = site.run(["build", "--no-cache"]);
    clean.expect_success();
    assert_eq!(cached.stderr, clean.stderr, "cached vs clean warnings");
    cached.stderr
}

/// The basic fixture built with a page linking to a page that is not there (its
/// `<a>` on line 4 of content/stale.md), so each build has a finding to report.
fn built_with_a_broken_link() -> SiteTest {
    SiteTest::fixture("basic")
        .file(
            "content/stale.md",
            "---\ntitle: Stale\n---\nSee <a href=\"/no/such/page/\">gone</a>.\n",
        )
        .build()
}

#[test]
fn a_link_check_finding_on_a_cached_page_is_still_reported() {
    let site = built_with_a_broken_link();
    let first = site.last().stderr.clone();
    assert!(first.contains("/no/such/page/"), "{first}");
    assert!(
        std::fs::read_dir(site.join(".dcrsite-cache"))
            .unwrap()
            .any(|f| f
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("links-")),
        "the link memo is written"
    );
    // Unchanged: the page's links come from the memo, and are checked again.
    assert_eq!(cached_warnings_match_clean(&site), first);
    // Another page edited: the memo is written again, the finding stays.
    let site = site.edit("content/guide.md", "Set things up.", "Set things up now.");
    assert_eq!(cached_warnings_match_clean(&site), first);
}

/// The check's findings are kept with a key of all it reads (`check/verdict.rs`): an
/// unchanged build repeats them without checking, and an edit that moves a broken link
/// in its Markdown without changing any HTML moves its warning too.
#[test]
fn a_broken_link_moved_in_its_markdown_is_reported_where_it_now_is() {
    let site = built_with_a_broken_link();
    let first = site.last().stderr.clone();
    assert!(first.contains("content/stale.md:4:"), "{first}");
    assert!(site.join(".dcrsite-cache/link-verdict-00.bin").is_file());
    assert_eq!(cached_warnings_match_clean(&site), first);
    let html = std::fs::read(site.join("public/stale/index.html")).unwrap();
    let site = site.edit("content/stale.md", "See <a", "\n\n\nSee <a");
    let moved = cached_warnings_match_clean(&site);
    assert_eq!(
        std::fs::read(site.join("public/stale/index.html")).unwrap(),
        html,
        "the page's HTML is the same"
    );
    assert!(moved.contains("content/stale.md:7:"), "{moved}");
}

#[test]
fn an_anchor_going_breaks_the_links_of_unchanged_pages() {
    let site = SiteTest::fixture("basic")
        .file(
            "content/target.md",
            "---\ntitle: Target\n---\n## Kept section\n\nText.\n",
        )
        .file(
            "content/linker.md",
            "---\ntitle: Linker\n---\nSee <a href=\"/target/#kept-section\">it</a>.\n",
        )
        .build();
    assert!(
        !site.last().stderr.contains("kept-section"),
        "{}",
        site.last().stderr
    );
    let site = site.edit("content/target.md", "## Kept section", "## Renamed section");
    let warnings = cached_warnings_match_clean(&site);
    assert!(warnings.contains("kept-section"), "{warnings}");
    assert!(warnings.contains("content/linker.md"), "{warnings}");
    // And back: the link is good again though the linking page never changed.
    let site = site.edit("content/target.md", "## Renamed section", "## Kept section");
    let warnings = cached_warnings_match_clean(&site);
    assert!(!warnings.contains("kept-section"), "{warnings}");
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let site = SiteTest::fixture("basic").build_with(&["--no-cache"]);
    assert!(!site.join(".dcrsite-cache/build.bin").exists());
    let site = site.file(".dcrsite-cache/build.bin", "garbage");
    let run = site.run(["build", "--no-cache"]);
    run.expect_success();
    assert!(!run.stderr.contains("cache"), "{}", run.stderr);
    assert_eq!(
        std::fs::read(site.join(".dcrsite-cache/build.bin")).unwrap(),
        b"garbage"
    );
}

#[test]
fn a_cache_that_cannot_be_trusted_is_ignored_with_one_warning() {
    let site = SiteTest::fixture("basic").build();
    let clean = snapshot(&site.join("public"));
    let cache = site.join(".dcrsite-cache/build.bin");
    let good = std::fs::read(&cache).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    let foreign = String::from_utf8_lossy(&good).replacen(env!("CARGO_PKG_VERSION"), "9.9.9", 1);
    let cases: [(&str, Vec<u8>); 4] = [
        ("truncated", good[..good.len() / 3].to_vec()),
        ("corrupted", flipped),
        ("foreign", foreign.into_bytes()),
        ("empty", Vec::new()),
    ];
    for (name, bytes) in cases {
        std::fs::write(&cache, bytes).unwrap();
        // The build writes a good cache in its place.
        site.build_ignoring_the_cache(&clean, name);
    }
}

/// `serve`, which writes no output folder, keeps the search index it made beside its
/// cache, and takes an unchanged page's part from it only while it is as written: a word
/// edited there by hand (same length) is not carried into the next load's index.
#[test]
fn the_search_index_kept_beside_the_cache_is_taken_again_only_as_written() {
    let site = SiteTest::fixture("basic").file("content/menu.md", "# Menu\n\nFish and peas.\n");
    let root = site.path();
    let copy = root.join(".dcrsite-cache/search-index.json");
    check_change_in(&site, None, |root| {
        assert!(copy.is_file(), "the index is kept");
        let text = std::fs::read_to_string(&copy).unwrap();
        assert!(text.contains("Fish and peas."), "the menu's part");
        std::fs::write(&copy, text.replace("Fish and peas.", "Dish and peas.")).unwrap();
        edit(
            &root.join("content/guide.md"),
            "Set things up.",
            "Set it up.",
        );
    });
}

/// `site` with `count` more short pages in `content/many/`.
fn with_pages(mut site: SiteTest, count: usize) -> SiteTest {
    for i in 0..count {
        site = site.file(
            &format!("content/many/p{i}.md"),
            format!("---\ntitle: Page {i}\n---\nText {i}.\n"),
        );
    }
    site
}

/// A small site's cache is a few files; one grown tenfold is split in more segments,
/// and shrunk again in fewer, its other files removed; each build is a clean build's.
#[test]
fn the_number_of_segments_follows_the_site() {
    let small = SiteTest::fixture("basic").build();
    let files = |site: &SiteTest, prefix: &str| {
        let dir = std::fs::read_dir(site.join(".dcrsite-cache")).unwrap();
        dir.filter(|f| {
            let name = f.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with(prefix)
        })
        .count()
    };
    assert_eq!((files(&small, "build-"), files(&small, "links-")), (1, 1));
    let grown = with_pages(small, 200).build();
    let warm = SiteState::load(&options(grown.path(), None, true)).expect("cached build");
    assert_same_as_clean(&warm, grown.path(), None, "grown");
    drop(warm);
    assert!(files(&grown, "build-") > 4, "{}", files(&grown, "build-"));
    assert!(files(&grown, "links-") > 4, "{}", files(&grown, "links-"));
    let shrunk = grown.remove("content/many").build();
    let warm = SiteState::load(&options(shrunk.path(), None, true)).expect("cached build");
    assert_same_as_clean(&warm, shrunk.path(), None, "shrunk");
    drop(warm);
    assert_eq!((files(&shrunk, "build-"), files(&shrunk, "links-")), (1, 1));
}

/// The cache's segment files (`build-NN.bin`) and their bytes.
fn segments(site: &SiteTest) -> std::collections::BTreeMap<String, Vec<u8>> {
    cache_files(site, "build-")
}

/// The cache's files whose names start with `prefix`, and their bytes.
fn cache_files(site: &SiteTest, prefix: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let dir = std::fs::read_dir(site.join(".dcrsite-cache")).unwrap();
    dir.map(|f| f.unwrap())
        .filter(|f| f.file_name().to_string_lossy().starts_with(prefix))
        .map(|f| {
            (
                f.file_name().to_string_lossy().into(),
                std::fs::read(f.path()).unwrap(),
            )
        })
        .collect()
}

/// How many of the files in `before` (`cache_files(site, prefix)`) a build changed.
fn rewritten(
    site: &SiteTest,
    prefix: &str,
    before: &std::collections::BTreeMap<String, Vec<u8>>,
) -> usize {
    let after = cache_files(site, prefix);
    before
        .iter()
        .filter(|(name, bytes)| after.get(*name) != Some(bytes))
        .count()
}

/// A page's title shows in its neighbours' navigation (the window of entries around
/// it, their "previous" and "next" links), so a new title renders them again: pages
/// next to each other in the navigation are kept together, and the build writes their
/// few segments and link memo shards again, not one of each per page redone. Reading order here is by title,
/// unlike the files' order.
#[test]
fn a_title_change_rewrites_the_segments_of_the_pages_it_changed() {
    let mut site = SiteTest::fixture("basic");
    for folder in 0..6 {
        let index = format!("---\ntitle: F{folder}\n---\n");
        site = site.file(&format!("content/f{folder}/_index.md"), index);
        for i in 0..100 {
            let title = format!("Page {folder}.{:03}", (i * 37) % 100);
            site = site.file(
                &format!("content/f{folder}/p{i:03}.md"),
                format!("---\ntitle: {title}\n---\nText {i}.\n"),
            );
        }
    }
    let site = site.build();
    let before = segments(&site);
    assert!(before.len() > 10, "{} segments", before.len());
    let memo = cache_files(&site, "links-");
    let public: std::collections::BTreeMap<_, _> =
        snapshot(&site.join("public")).into_iter().collect();
    // p050 is "Page 3.050": it moves to the end of its folder's navigation.
    let site = site.edit("content/f3/p050.md", "title: Page 3.050", "title: Page 3.9");
    site.run(["build"]).expect_success();
    let after = snapshot(&site.join("public"));
    let redone = after
        .iter()
        .filter(|(path, bytes)| public.get(path) != Some(bytes));
    let redone = redone.count();
    assert!(
        redone >= 20,
        "its neighbours show the title: {redone} files changed"
    );
    let rewritten_segments = rewritten(&site, "build-", &before);
    assert!(
        (1..=6).contains(&rewritten_segments),
        "{rewritten_segments} of {} segments written again for {redone} files changed",
        before.len()
    );
    // The link memo keeps each page's parse in the shard of its page's segment.
    let rewritten_memo = rewritten(&site, "links-", &memo);
    assert!(
        (1..=6).contains(&rewritten_memo),
        "{rewritten_memo} of {} link memo shards written again for {redone} files changed",
        memo.len()
    );
    let out = tempfile::tempdir().unwrap();
    let clean = out.path().join("public");
    let run = site.run(["build", "--no-cache", "--output", clean.to_str().unwrap()]);
    run.expect_success();
    assert_eq!(after, snapshot(&clean));
}

/// A site of many pages whose cache is in many segments: one page's edit writes the
/// segments of the pages it changed again, not the others; a segment that cannot be
/// trusted has the whole cache ignored with one warning.
#[test]
fn an_edit_rewrites_only_the_segments_of_the_pages_it_changed() {
    let site = with_pages(SiteTest::fixture("basic"), 600).build();
    let before = segments(&site);
    assert!(before.len() > 15, "{} segments", before.len());
    let site = site.edit("content/many/p7.md", "Text 7.", "Text 7, edited.");
    let warm = SiteState::load(&options(site.path(), None, true)).expect("cached build");
    assert_same_as_clean(&warm, site.path(), None, "after the edit");
    let redone = warm.page_count() - warm.cache_use().templates_reused;
    drop(warm);
    let after = segments(&site);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let rewritten = before
        .iter()
        .filter(|(name, bytes)| after[*name] != **bytes);
    let rewritten = rewritten.count();
    assert!(
        (1..=redone).contains(&rewritten),
        "{rewritten} segments written again for {redone} pages redone"
    );
    // The third build reads segments of both builds.
    let run = site.run(["build"]);
    run.expect_success();
    assert!(!run.stderr.contains("cache"), "{}", run.stderr);
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("public");
    let clean = site.run(["build", "--no-cache", "--output", folder.to_str().unwrap()]);
    clean.expect_success();
    let clean = snapshot(&folder);
    assert_eq!(snapshot(&site.join("public")), clean);
    let (name, bytes) = after.iter().next().unwrap();
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    std::fs::write(site.join(".dcrsite-cache").join(name), flipped).unwrap();
    let run = site.run(["build"]);
    run.expect_success();
    let warnings = run.stderr.matches("ignoring the build cache").count();
    assert_eq!(warnings, 1, "{}", run.stderr);
    assert!(run.stderr.contains(name.as_str()), "{}", run.stderr);
    assert_eq!(snapshot(&site.join("public")), clean);
    let run = site.run(["build"]);
    assert!(
        !run.stderr.contains("cache"),
        "rewritten whole: {}",
        run.stderr
    );
}

#[test]
fn multilingual_sites_use_the_cache_and_match_clean_builds() {
    let site = SiteTest::fixture("basic")
        .append(
            "site.yaml",
            "languages:\n  - {code: en, name: English, default: true}\n  - {code: es, name: Español}\n",
        )
        .file("content/guide.es.md", "---\ntitle: La guía\n---\n\nPrepara todo.\n");
    let root = site.path();
    let first = SiteState::load(&options(root, None, true)).expect("first build");
    assert_same_as_clean(&first, root, None, "first build");
    drop(first);
    edit(
        &root.join("content/guide.es.md"),
        "Prepara todo.",
        "Prepara todo ya.",
    );
    let second = SiteState::load(&options(root, None, true)).expect("second build");
    assert_same_as_clean(&second, root, None, "after a translation's edit");
    assert!(second.output().files.contains_key("es/guide/index.html"));
    // The cache holds the default language's pages: every one of them is taken from it
    // (a translation's edit changes nothing they show); the other languages render whole.
    let pages = second.cache_use().markdown_reused;
    assert!(
        pages > 0,
        "the default language's pages come from the cache"
    );
    assert_eq!(second.cache_use().templates_reused, pages);
    drop(second);
    // A new translation changes the default language's pages too (their switcher and
    // `hreflang` alternates): nothing stale is taken from the cache.
    std::fs::write(
        root.join("content/_index.es.md"),
        "---\ntitle: Inicio\n---\n\nHola.\n",
    )
    .unwrap();
    let third = SiteState::load(&options(root, None, true)).expect("third build");
    assert_same_as_clean(&third, root, None, "after a new translation");
    let dcrsite::output::Body::Bytes(home) = &third.output().files["index.html"].body else {
        panic!("the home page is rendered");
    };
    let home = String::from_utf8_lossy(home);
    assert!(home.contains(r#"hreflang="es" href="https://fixture.example/es/""#));
}

/// Every kind of change in the shared table (`common/changes.rs`), built from the cache,
/// gives a clean build's result, rendering only the Markdown it must.
#[test]
fn every_change_kind_matches_a_clean_build() {
    for case in crate::common::changes::CHANGE_CASES {
        let site = (case.site)();
        let (used, _) = check_change_in(&site, None, |root| {
            (case.change)(root);
        });
        if let Some(n) = case.markdown_rendered {
            let pages = SiteState::load(&options(site.path(), None, false))
                .unwrap()
                .page_count();
            assert_eq!(used.markdown_reused, pages - n, "{}", case.name);
        }
    }
}
