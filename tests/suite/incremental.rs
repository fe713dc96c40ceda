//! Incremental rebuilds (`SiteState::apply`, what `serve` runs on each save) must give
//! exactly the Output and diagnostics of a full build of the same files.

use crate::common::{edit_file as edit, SiteTest};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dcrsite::output::OutputFile;
use dcrsite::site::{render_site, BuildOptions, SiteState, Update};

fn options(root: &Path, base_url: Option<&str>) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: base_url.map(String::from),
        drafts: false,
        cache: None,
        output: None,
    }
}

/// Loads the fixture, runs `change` on its files, applies the changed paths and checks
/// the result against a full build. Returns the update for further assertions.
fn check_change(base_url: Option<&str>, change: impl FnOnce(&Path) -> Vec<PathBuf>) -> Update {
    check_change_in(&SiteTest::fixture("basic"), base_url, change)
}

/// `check_change` on a given site.
fn check_change_in(
    site: &SiteTest,
    base_url: Option<&str>,
    change: impl FnOnce(&Path) -> Vec<PathBuf>,
) -> Update {
    check_change_with_output(site, base_url, change).0
}

/// `check_change_in`, also giving the incremental build's files.
fn check_change_with_output(
    site: &SiteTest,
    base_url: Option<&str>,
    change: impl FnOnce(&Path) -> Vec<PathBuf>,
) -> (Update, BTreeMap<String, OutputFile>) {
    let root = site.path();
    let mut state = SiteState::load(&options(root, base_url)).expect("initial load");
    assert!(!state.has_errors(), "{:?}", state.problems());
    let before = state.output().files.clone();
    let changed = change(root);
    let update = state.apply(&changed).expect("apply");
    match render_site(&options(root, base_url)) {
        Ok(full) => {
            assert!(!state.has_errors(), "{:?}", state.problems());
            assert_eq!(state.problems(), full.warnings.as_slice());
            assert_eq!(state.page_count(), full.page_count);
            let inc = &state.output().files;
            let paths = |m: &std::collections::BTreeMap<String, _>| {
                m.keys().cloned().collect::<Vec<String>>()
            };
            assert_eq!(paths(inc), paths(&full.output.files), "same files");
            for (path, file) in &full.output.files {
                assert_eq!(
                    Some(file),
                    inc.get(path),
                    "{path} differs from a full build"
                );
            }
            // What the update reports is what moved.
            for (path, file) in inc {
                if before.get(path) != Some(file) {
                    assert!(update.changed.contains(path), "{path} changed unreported");
                }
            }
            for path in before.keys() {
                if !inc.contains_key(path) {
                    assert!(update.removed.contains(path), "{path} removal unreported");
                }
            }
        }
        Err(problems) => assert_eq!(state.problems(), problems.as_slice()),
    }
    (update, state.output().files.clone())
}

#[test]
fn body_edit_renders_that_page_and_its_section_only() {
    let update = check_change(None, |root| {
        let p = root.join("content/sub/page.md");
        edit(&p, "Raw HTML stays.", "Raw HTML stays, edited.");
        vec![p]
    });
    assert_eq!(update.markdown_rendered, 1);
    assert_eq!(update.templates_rendered, 2, "the page and its section");
    assert!(!update.reassembled);
    // The page's words are in the search index as well.
    assert_eq!(
        update.changed,
        vec![
            "search-index.json".to_string(),
            "sub/page/index.html".to_string()
        ]
    );
}

#[test]
fn body_edit_with_a_base_path() {
    let update = check_change(Some("https://example.org/docs/"), |root| {
        let p = root.join("content/guide.md");
        edit(&p, "Set things up.", "Set things up now.");
        vec![p]
    });
    assert_eq!(update.markdown_rendered, 1);
    assert!(update.changed.contains(&"guide/index.html".to_string()));
}

#[test]
fn title_weight_and_icon_changes_rerender_navigation() {
    for (from, to) in [
        ("title: The guide", "title: The handbook"),
        ("weight: 1", "weight: 99"),
        ("icon: Code", "icon: Introductions"),
    ] {
        let update = check_change(None, |root| {
            let p = root.join("content/guide.md");
            edit(&p, from, to);
            vec![p]
        });
        assert_eq!(update.markdown_rendered, 1, "{to}");
        assert!(
            update.templates_rendered > 2,
            "{to}: navigation shows on every page"
        );
    }
}

/// A title shown only where its section is open: the pages rendered again are the pages
/// whose files change, not every page.
#[test]
fn a_title_in_one_section_rerenders_only_the_pages_that_show_it() {
    let site = SiteTest::fixture("basic");
    let before = render_site(&options(site.path(), None))
        .unwrap()
        .output
        .files;
    let (update, after) = check_change_with_output(&site, None, |root| {
        let p = root.join("content/sub/page.md");
        edit(&p, "# Deep page", "# Deeper page");
        vec![p]
    });
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, file)| path.ends_with(".html") && before.get(*path) != Some(*file))
        .map(|(path, _)| path)
        .collect();
    assert!(changed.len() < before.len() / 2, "{changed:?}");
    assert_eq!(update.templates_rendered, changed.len(), "{changed:?}");
}

#[test]
fn contributor_edit_updates_the_contributors_section() {
    let update = check_change(None, |root| {
        let p = root.join("content/people/anna-alpha.md");
        edit(&p, "role: Lead Developer", "role: Chief Developer");
        vec![p]
    });
    assert!(update.changed.contains(&"people/index.html".to_string()));
}

#[test]
fn created_deleted_and_renamed_pages() {
    let update = check_change(None, |root| {
        let p = root.join("content/new-page.md");
        std::fs::write(&p, "---\ntitle: Brand new\n---\nFresh.\n").unwrap();
        vec![p]
    });
    assert!(update.changed.contains(&"new-page/index.html".to_string()));

    let update = check_change(None, |root| {
        let p = root.join("content/special.md");
        std::fs::remove_file(&p).unwrap();
        vec![p]
    });
    assert!(update.removed.contains(&"special/index.html".to_string()));

    let update = check_change(None, |root| {
        let from = root.join("content/sub/page.md");
        let to = root.join("content/sub/moved.md");
        std::fs::rename(&from, &to).unwrap();
        vec![from, to]
    });
    assert!(update.removed.contains(&"sub/page/index.html".to_string()));
    assert!(update.changed.contains(&"sub/moved/index.html".to_string()));
}

#[test]
fn slug_and_draft_changes_move_pages() {
    let update = check_change(None, |root| {
        let p = root.join("content/special.md");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replacen("---\n", "---\nslug: elsewhere\n", 1)).unwrap();
        vec![p]
    });
    assert!(update.removed.contains(&"special/index.html".to_string()));
    check_change(None, |root| {
        let p = root.join("content/draft.md");
        edit(&p, "draft: true", "draft: false");
        vec![p]
    });
}

#[test]
fn template_change_rerenders_pages() {
    let update = check_change(None, |root| {
        let p = root.join("themes/decred/templates/page.html");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            text.replacen("</article>", "<p>edited template</p></article>", 1),
        )
        .unwrap();
        vec![p]
    });
    assert_eq!(update.markdown_rendered, 0);
    assert!(update.changed.contains(&"guide/index.html".to_string()));
    // Only the six pages rendered with page.html (guide, renamed, sub/page and the three
    // people), not the sections, the home page or `special`.
    assert_eq!(update.templates_rendered, 6);
    assert!(!update.changed.contains(&"people/index.html".to_string()));
    assert!(!update.changed.contains(&"special/index.html".to_string()));
    assert!(!update.changed.contains(&"index.html".to_string()));
}

#[test]
fn included_template_change_rerenders_only_its_users() {
    let update = check_change(None, |root| {
        let p = root.join("templates/special.html");
        std::fs::write(&p, "{% include \"partials/extra.html\" %}{{ page.title }}").unwrap();
        let inc = root.join("templates/partials/extra.html");
        std::fs::create_dir_all(inc.parent().unwrap()).unwrap();
        std::fs::write(&inc, "<p>v1</p>").unwrap();
        vec![p, inc]
    });
    assert!(update.changed.contains(&"special/index.html".to_string()));
    // A template added changes what is available, so that first update renders everything;
    // editing the partial afterwards touches only its user.
    let site = SiteTest::fixture("basic");
    let root = site.path();
    std::fs::write(
        root.join("templates/special.html"),
        "{% include \"partials/extra.html\" %}{{ page.title }}",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("templates/partials")).unwrap();
    std::fs::write(root.join("templates/partials/extra.html"), "<p>v1</p>").unwrap();
    let mut state = SiteState::load(&options(root, None)).unwrap();
    let partial = root.join("templates/partials/extra.html");
    std::fs::write(&partial, "<p>v2</p>").unwrap();
    let update = state.apply(std::slice::from_ref(&partial)).unwrap();
    assert_eq!(update.templates_rendered, 1, "only special.html's page");
    assert_eq!(update.changed, vec!["special/index.html".to_string()]);
    let full = render_site(&options(root, None)).unwrap();
    assert_eq!(
        state.output().files,
        full.output.files,
        "same as a full build"
    );
}

#[test]
fn site_template_override_is_picked_up() {
    let override_html = "<html><body>override {{ page.title }}</body></html>";
    let (update, files) = check_change_with_output(&SiteTest::fixture("basic"), None, |root| {
        let p = root.join("templates/special.html");
        std::fs::write(&p, override_html).unwrap();
        vec![p]
    });
    // The page that names the template is rendered with the new text, and reported.
    let page = &files["special/index.html"];
    assert_eq!(
        String::from_utf8_lossy(&page.body.read().unwrap()),
        "<html><body>override Special</body></html>"
    );
    assert!(
        update.changed.contains(&"special/index.html".to_string()),
        "{:?}",
        update.changed
    );
}

#[test]
fn css_change_swaps_the_stylesheet() {
    let update = check_change(None, |root| {
        let p = root.join("themes/decred/static/css/decred.css");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("\nbody { outline: 1px solid red; }\n");
        std::fs::write(&p, text).unwrap();
        vec![p]
    });
    assert!(update.css_only);
    assert_eq!(update.css_swaps.len(), 1);
    assert_eq!(update.markdown_rendered, 0);
    let (old, new) = &update.css_swaps[0];
    assert!(update.removed.contains(old) && update.changed.contains(new));
}

#[test]
fn plain_asset_change_is_that_asset_only() {
    let update = check_change(None, |root| {
        let p = root.join("themes/decred/static/favicon.svg");
        std::fs::write(&p, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        vec![p]
    });
    assert_eq!(update.changed, vec!["favicon.svg".to_string()]);
    assert_eq!(update.templates_rendered, 0);
    assert_eq!(update.markdown_rendered, 0);

    let update = check_change(None, |root| {
        let p = root.join("assets/extra.txt");
        std::fs::write(&p, "new asset").unwrap();
        vec![p]
    });
    assert_eq!(update.changed, vec!["extra.txt".to_string()]);
}

/// A page edited together with an asset copied as it is (its name, so the templates,
/// unchanged): the page is re-rendered and reported although the Output is reassembled.
#[test]
fn body_edit_and_plain_asset_change_in_one_batch() {
    let update = check_change(None, |root| {
        let page = root.join("content/sub/page.md");
        edit(&page, "Raw HTML stays.", "Raw HTML stays, edited.");
        let asset = root.join("themes/decred/static/favicon.svg");
        std::fs::write(&asset, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        vec![page, asset]
    });
    assert_eq!(update.markdown_rendered, 1);
    assert!(update.reassembled);
}

#[test]
fn content_file_changes() {
    let update = check_change(None, |root| {
        let p = root.join("content/people/anna.svg");
        std::fs::write(&p, "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>").unwrap();
        vec![p]
    });
    assert_eq!(update.changed, vec!["people/anna.svg".to_string()]);
    check_change(None, |root| {
        let p = root.join("content/notes.txt");
        std::fs::write(&p, "notes").unwrap();
        vec![p]
    });
}

#[test]
fn site_yaml_change_rebuilds_everything() {
    let update = check_change(None, |root| {
        let p = root.join("site.yaml");
        edit(&p, "title: Fixture Site", "title: Renamed Site");
        vec![p]
    });
    assert!(update.full);
}

#[test]
fn icon_change_rebuilds_everything() {
    let update = check_change(None, |root| {
        let p = root.join("assets/img/icons/Code.svg");
        std::fs::write(
            &p,
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><path/></svg>",
        )
        .unwrap();
        vec![p]
    });
    assert!(update.full);
}

#[test]
fn errors_then_fixes_match_full_builds() {
    let site = SiteTest::fixture("basic");
    let root = site.path();
    let opts = options(root, None);
    let mut state = SiteState::load(&opts).unwrap();
    let page = root.join("content/sub/page.md");
    let good = std::fs::read_to_string(&page).unwrap();
    let steps = [
        "---\ntitle: [unclosed\n---\nbroken\n".to_string(),
        good.replacen("Raw HTML", "Raw {icon=Nope} HTML ![x](missing.md)", 1),
        "---\nicon: NoSuchIcon\n---\n# Deep page\n".to_string(),
        good.clone(),
    ];
    for text in steps {
        std::fs::write(&page, &text).unwrap();
        state.apply(std::slice::from_ref(&page)).unwrap();
        match render_site(&opts) {
            Ok(full) => {
                assert!(!state.has_errors(), "{:?}", state.problems());
                assert_eq!(state.output().files, full.output.files);
            }
            Err(problems) => assert_eq!(state.problems(), problems.as_slice()),
        }
    }
    let template = root.join("themes/decred/templates/page.html");
    let good = std::fs::read_to_string(&template).unwrap();
    for text in ["{% if %}".to_string(), "{{ nope.nope }}".to_string(), good] {
        std::fs::write(&template, &text).unwrap();
        state.apply(std::slice::from_ref(&template)).unwrap();
        match render_site(&opts) {
            Ok(full) => assert_eq!(state.output().files, full.output.files),
            Err(problems) => assert_eq!(state.problems(), problems.as_slice()),
        }
    }
    assert!(!state.has_errors());
}

#[test]
fn editor_temp_files_that_vanished_render_nothing() {
    let update = check_change(None, |root| {
        let tmp = root.join("content/sedX1y2Z3");
        let page = root.join("content/guide.md");
        std::fs::write(&tmp, "x").unwrap();
        std::fs::remove_file(&tmp).unwrap();
        edit(&page, "Set things up.", "Set things up via sed.");
        vec![tmp, root.join("content/.guide.md.swp"), page]
    });
    assert_eq!(update.markdown_rendered, 1);
}

/// An MkDocs snippet is not a page, but the pages that include it change with it.
#[test]
fn snippet_edit_rerenders_the_pages_that_include_snippets() {
    let site = SiteTest::fixture("mkdocs");
    let update = check_change_in(&site, None, |root| {
        let p = root.join("parts/warning.md");
        edit(&p, "Back up first", "Back up twice");
        vec![p]
    });
    assert_eq!(
        update.markdown_rendered, 1,
        "only guide/install.md uses snippets"
    );
    assert!(
        update
            .changed
            .contains(&"guide/install/index.html".to_string()),
        "{:?}",
        update.changed
    );
    assert!(!update.full);
}

/// A nested `docs_dir` is the content folder: an edit there is a page edit, and the
/// options that change URLs (`use_directory_urls: false`) hold on incremental builds too.
#[test]
fn nested_docs_dir_and_file_urls_rebuild_incrementally() {
    let site = SiteTest::fixture("mkdocs")
        .docs_dir("src/docs")
        .append("mkdocs.yml", "use_directory_urls: false\n");
    let update = check_change_in(&site, None, |root| {
        let p = root.join("src/docs/guide/upgrade.md");
        std::fs::write(
            &p,
            format!("{}\nOne more line.\n", std::fs::read_to_string(&p).unwrap()),
        )
        .unwrap();
        vec![p]
    });
    assert_eq!(update.markdown_rendered, 1);
    assert!(!update.full);
    assert!(
        update.changed.contains(&"guide/upgrade.html".to_string()),
        "{:?}",
        update.changed
    );
}

/// The blog's lists and the tags index show other pages' words: editing a post's
/// excerpt or date, or a page's tags, must give what a full build gives.
#[test]
fn blog_and_tags_edits_redo_the_pages_that_list_them() {
    let site = SiteTest::new()
        .file("mkdocs.yml", "site_name: B\nplugins:\n  - blog\n  - tags\n")
        .file("docs/index.md", "# Home\n")
        .file("docs/tags.md", "# Tags\n\n<!-- material/tags -->\n")
        .file("docs/blog/index.md", "# Blog\n")
        .file(
            "docs/blog/posts/a.md",
            "---\ndate: 2024-05-02\ntags: [One]\n---\n# Post A\n\nOld excerpt.\n\n<!-- more -->\n\nRest.\n",
        );
    let update = check_change_in(&site, None, |root| {
        let p = root.join("docs/blog/posts/a.md");
        edit(&p, "Old excerpt.", "New excerpt.");
        vec![p]
    });
    assert!(
        update.changed.contains(&"blog/index.html".to_string()),
        "{:?}",
        update.changed
    );
    let update = check_change_in(&site, None, |root| {
        let p = root.join("docs/blog/posts/a.md");
        edit(
            &p,
            "date: 2024-05-02\ntags: [One]",
            "date: 2025-01-01\ntags: [Two]",
        );
        vec![p]
    });
    for moved in ["blog/2025/01/01/post-a/index.html", "tags/index.html"] {
        assert!(
            update.changed.contains(&moved.to_string()),
            "{moved}: {:?}",
            update.changed
        );
    }
}

/// A file that failed to load was never part of the state: deleting it (or a folder of
/// it, or a bad file beside the content) must still clear its error, as a restart would.
#[test]
fn deleting_a_file_that_failed_to_load_clears_its_error() {
    let site = SiteTest::fixture("basic");
    let root = site.path();
    let opts = options(root, None);
    let mut state = SiteState::load(&opts).unwrap();
    type Step = fn(&Path) -> PathBuf;
    let cases: [(&str, Step, Step); 2] = [
        (
            "a page with broken front matter",
            |root| {
                let p = root.join("content/bad.md");
                std::fs::write(&p, "---\ntitle: [unclosed\n---\nbroken\n").unwrap();
                p
            },
            |root| {
                let p = root.join("content/bad.md");
                std::fs::remove_file(&p).unwrap();
                p
            },
        ),
        (
            "a page in a new folder, the folder deleted",
            |root| {
                std::fs::create_dir_all(root.join("content/new")).unwrap();
                let p = root.join("content/new/bad.md");
                std::fs::write(&p, "---\nicon: NoSuchIcon\n---\n# Bad\n").unwrap();
                p
            },
            |root| {
                let p = root.join("content/new");
                std::fs::remove_dir_all(&p).unwrap();
                p.join("bad.md")
            },
        ),
    ];
    for (name, break_it, remove_it) in cases {
        let bad = break_it(root);
        state.apply(&[bad]).unwrap();
        assert!(state.has_errors(), "{name}: the error is shown");
        let gone = remove_it(root);
        state.apply(&[gone]).unwrap();
        assert!(
            !state.has_errors(),
            "{name}: deleting it clears the error: {:?}",
            state.problems()
        );
        let full = render_site(&opts).unwrap();
        assert_eq!(state.output().files, full.output.files, "{name}");
    }
}

/// The basic fixture in three languages, with a translated guide and home page.
fn multilingual() -> SiteTest {
    SiteTest::fixture("basic")
        .append(
            "site.yaml",
            "languages:\n  - {code: en, name: English, default: true}\n  - {code: es, name: Español}\n  - {code: de, name: Deutsch}\n",
        )
        .file(
            "content/guide.es.md",
            "---\ntitle: La guía\n---\n\nPrepara todo. Ver [la sub página](sub/page.md).\n",
        )
        .file("content/_index.de.md", "---\ntitle: Startseite\n---\n\nWillkommen.\n")
}

#[test]
fn multilingual_edits_match_full_builds() {
    // A translation edited, created, deleted; the page it translates edited.
    let update = check_change_in(&multilingual(), None, |root| {
        let p = root.join("content/guide.es.md");
        edit(&p, "Prepara todo.", "Prepara todo ya.");
        vec![p]
    });
    assert!(update.changed.contains(&"es/guide/index.html".to_string()));
    assert!(!update.changed.contains(&"guide/index.html".to_string()));
    let update = check_change_in(&multilingual(), None, |root| {
        let p = root.join("content/sub/page.de.md");
        std::fs::write(&p, "---\ntitle: Unterseite\n---\n\nText.\n").unwrap();
        vec![p]
    });
    assert!(update
        .changed
        .contains(&"de/sub/page/index.html".to_string()));
    assert!(update.changed.contains(&"de/search-index.json".to_string()));
    check_change_in(&multilingual(), None, |root| {
        let p = root.join("content/guide.es.md");
        std::fs::remove_file(&p).unwrap();
        vec![p]
    });
    let update = check_change_in(&multilingual(), None, |root| {
        let p = root.join("content/guide.md");
        edit(&p, "Set things up.", "Set things up now.");
        vec![p]
    });
    // The German guide shows the English words, so it changed too; the Spanish one not.
    assert!(update.changed.contains(&"de/guide/index.html".to_string()));
    assert!(!update.changed.contains(&"es/guide/index.html".to_string()));
}

/// Every kind of change in the shared table (`common/changes.rs`), applied as `serve`
/// applies it, gives a full build's result, rendering only the Markdown it must.
#[test]
fn every_change_kind_matches_a_full_build() {
    for case in crate::common::changes::CHANGE_CASES {
        let site = (case.site)();
        let update = check_change_in(&site, None, case.change);
        if let Some(n) = case.markdown_rendered {
            assert_eq!(update.markdown_rendered, n, "{}", case.name);
        }
    }
}
