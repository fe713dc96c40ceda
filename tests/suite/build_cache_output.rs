//! The build cache and the output folder: a `build` keeps no copy of the pages it wrote
//! (the folder holds them; `.dcrsite-cache/output.bin` records how each file was
//! written), links a file it would write again unchanged, and takes a page from the
//! folder only while the file is there as written: one edited, replaced or deleted by
//! hand is written anew.

use std::path::Path;

use crate::common::{edit_file as edit, snapshot, SiteTest};

use dcrsite::site::{BuildOptions, SiteState};

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

/// The output of a clean build of `site` into a folder of its own.
fn clean_output(site: &SiteTest) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("public");
    site.run(["build", "--no-cache", "--output", folder.to_str().unwrap()])
        .expect_success();
    snapshot(&folder)
}

#[cfg(unix)]
#[test]
fn unchanged_pages_are_neither_kept_in_the_cache_nor_written_again() {
    let site = SiteTest::fixture("basic").build();
    let page = site.join("public/guide/index.html");
    let written = inode(&page);
    let html = std::fs::read(&page).unwrap();
    // The page's last bytes after templates (the Markdown result is cached, the page not).
    let tail = &html[html.len() - 200..];
    assert!(site.join(".dcrsite-cache/build.bin").is_file());
    for file in std::fs::read_dir(site.join(".dcrsite-cache")).unwrap() {
        let cache = std::fs::read(file.unwrap().path()).unwrap();
        assert!(
            !cache.windows(tail.len()).any(|w| w == tail),
            "the cache holds no copy of the page"
        );
    }
    assert!(site.join(".dcrsite-cache/output.bin").is_file());
    let folder = inode(&site.join("public"));
    let site = site.build();
    assert_eq!(inode(&page), written, "linked, not written again");
    assert_eq!(
        inode(&site.join("public")),
        folder,
        "nothing changed: the folder is left as it is"
    );
    assert_eq!(snapshot(&site.join("public")), clean_output(&site));
    // One body edited: that page is written anew, the others stay linked.
    let site = site.edit("content/guide.md", "Set things up.", "Set things up now.");
    let other = site.join("public/index.html");
    let other_inode = inode(&other);
    let site = site.build();
    assert_ne!(inode(&page), written, "the edited page is written anew");
    assert_eq!(inode(&other), other_inode);
    assert_eq!(snapshot(&site.join("public")), clean_output(&site));
}

#[test]
fn output_files_edited_replaced_or_deleted_by_hand_are_restored() {
    let site = SiteTest::fixture("basic").build();
    let public = site.join("public");
    let clean = snapshot(&public);
    // The modification time must move for an edit in place to show.
    std::thread::sleep(std::time::Duration::from_millis(50));
    // Edited in place, with the same length.
    let guide = public.join("guide/index.html");
    let text = std::fs::read_to_string(&guide).unwrap();
    let at = text.find("Set things up.").expect("the guide's text");
    let same_length = format!("{}Set THINGS up.{}", &text[..at], &text[at + 14..]);
    std::fs::write(&guide, same_length).unwrap();
    // Replaced by another file, and deleted.
    let home = public.join("index.html");
    std::fs::remove_file(&home).unwrap();
    std::fs::write(&home, "replaced").unwrap();
    let deleted = clean
        .iter()
        .map(|(p, _)| p)
        .find(|p| p.ends_with("/index.html") && !p.starts_with("guide/"))
        .expect("another page");
    std::fs::remove_file(public.join(deleted)).unwrap();
    let run = site.run(["build"]);
    run.expect_success();
    assert_eq!(snapshot(&public), clean, "{}", run.stderr);
    // And once more from the cache that build wrote.
    site.run(["build"]).expect_success();
    assert_eq!(snapshot(&public), clean);
}

/// A page edited and an output file edited by hand in the same build: the build's start
/// finds the output not as written, so every file it keeps is looked at again, and the
/// edited one is restored (the start's check vouches for the files only when all hold).
#[test]
fn an_output_file_edited_by_hand_beside_a_page_edit_is_restored() {
    let site = SiteTest::fixture("basic").build();
    let site = site.edit("content/guide.md", "Set things up.", "Set things up again.");
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("public");
    let run = site.run(["build", "--no-cache", "--output", folder.to_str().unwrap()]);
    run.expect_success();
    let clean = snapshot(&folder);
    let site = site.edit("content/guide.md", "Set things up again.", "Set things up.");
    site.run(["build"]).expect_success();
    std::thread::sleep(std::time::Duration::from_millis(50));
    let public = site.join("public");
    let page = clean
        .iter()
        .map(|(p, _)| p)
        .find(|p| p.ends_with("/index.html") && !p.starts_with("guide/"))
        .expect("another page");
    let text = std::fs::read_to_string(public.join(page)).unwrap();
    std::fs::write(public.join(page), text.replacen('<', "[", 1)).unwrap();
    let site = site.edit("content/guide.md", "Set things up.", "Set things up again.");
    let run = site.run(["build"]);
    run.expect_success();
    assert_eq!(snapshot(&public), clean, "{}", run.stderr);
}

/// An unchanged page's part of the search index is taken from the index the last build
/// wrote into the output folder, and only while that file is the index it wrote: a word
/// edited by hand in it (same length) is not carried into the next build's index.
#[test]
fn the_search_index_is_taken_again_only_as_written() {
    let site = SiteTest::fixture("basic")
        .file(
            "content/menu.md",
            "---\ntitle: Menu\n---\n\nFish and peas.\n",
        )
        .build();
    let site = site.edit("content/guide.md", "Set things up.", "Set it all up.");
    site.run(["build"]).expect_success();
    let public = site.join("public");
    assert_eq!(
        snapshot(&public),
        clean_output(&site),
        "an edit taken into the index"
    );
    std::thread::sleep(std::time::Duration::from_millis(50));
    let index = public.join("search-index.json");
    let text = std::fs::read_to_string(&index).unwrap();
    assert!(text.contains("Fish and peas."), "the menu's part");
    std::fs::write(&index, text.replace("Fish and peas.", "Dish and peas.")).unwrap();
    let site = site.edit("content/guide.md", "Set it all up.", "Set things up.");
    let run = site.run(["build"]);
    run.expect_success();
    assert_eq!(snapshot(&public), clean_output(&site), "{}", run.stderr);
    // A page's words, a title and a page gone, from the index that build wrote.
    let site = site
        .edit("content/menu.md", "Fish and peas.", "Fish, chips and peas.")
        .edit("content/menu.md", "title: Menu", "title: Dinner");
    std::fs::remove_file(site.join("content/guide.md")).unwrap();
    let run = site.run(["build"]);
    run.expect_success();
    assert_eq!(snapshot(&public), clean_output(&site), "{}", run.stderr);
}

#[test]
fn a_foreign_file_in_the_output_is_kept() {
    let site = SiteTest::fixture("basic").build();
    let public = site.join("public");
    let clean = snapshot(&public);
    std::fs::write(public.join("guide/mine.txt"), "mine").unwrap();
    let run = site.run(["build"]);
    run.expect_code(1)
        .expect_stderr_contains("dcrsite did not write `guide/mine.txt`");
    assert_eq!(
        std::fs::read_to_string(public.join("guide/mine.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_file(public.join("guide/mine.txt")).unwrap();
    assert_eq!(snapshot(&public), clean, "the output is untouched");
}

/// A build killed after it wrote the cache, before its site was swapped in, leaves a
/// cache naming pages the output folder does not hold: the next build does not take them.
#[test]
fn a_cache_ahead_of_the_output_folder_is_not_trusted() {
    let site = SiteTest::fixture("basic").build();
    let root = site.path();
    edit(
        &root.join("content/guide.md"),
        "Set things up.",
        "Set things up now.",
    );
    let options = BuildOptions {
        root: root.to_path_buf(),
        cache: Some(root.join(".dcrsite-cache")),
        output: Some(root.join("public").canonicalize().unwrap()),
        ..BuildOptions::default()
    };
    let state = SiteState::load(&options).expect("loads");
    assert!(state.cache_use().templates_reused > 0);
    drop(state);
    let run = site.run(["build"]);
    run.expect_success();
    assert_eq!(snapshot(&root.join("public")), clean_output(&site));
}

/// Moving the output to another folder: the record is of the folder it was written to.
#[test]
fn a_new_output_folder_gets_every_page() {
    let site = SiteTest::fixture("basic").build();
    let other = site.join("site-out");
    site.run(["build", "--output", other.to_str().unwrap()])
        .expect_success();
    assert_eq!(snapshot(&other), snapshot(&site.join("public")));
}

/// Every kind of change in the shared table (`common/changes.rs`), built with
/// `dcrsite build` from the cache and the output folder, writes a clean build's files;
/// so does the unchanged build after it.
#[test]
fn every_change_kind_writes_a_clean_builds_files() {
    for case in crate::common::changes::CHANGE_CASES {
        let site = (case.site)().build();
        let public = site.path().join(output_name(&site));
        (case.change)(site.path());
        let run = site.run(["build"]);
        run.expect_success();
        assert!(
            !run.stderr.contains("cache"),
            "{}: {}",
            case.name,
            run.stderr
        );
        let clean = clean_output(&site);
        assert_eq!(snapshot(&public), clean, "{}", case.name);
        site.run(["build"]).expect_success();
        assert_eq!(snapshot(&public), clean, "{}: unchanged since", case.name);
    }
}

/// `public` for dcrsite's own layout, `site` for an MkDocs project.
fn output_name(site: &SiteTest) -> &'static str {
    if site.path().join("mkdocs.yml").exists() {
        "site"
    } else {
        "public"
    }
}

/// Where the part of cache file `bytes` read in pieces (the pages' HTML) begins: after
/// the header, the checked part's length, the checked part and its checksum.
fn rest_start(bytes: &[u8]) -> usize {
    let magic = b"dcrsite build cache\n".len();
    let word = |at: usize, n: usize| {
        let mut le = [0u8; 8];
        le[..n].copy_from_slice(&bytes[at..at + n]);
        u64::from_le_bytes(le) as usize
    };
    let header = magic + 4 + word(magic, 4);
    header + 8 + word(header, 8) + 4
}

/// A byte flipped in a page's HTML in the cache (read only when the page is rendered
/// again, or its segment written again) is not read by a build that needs none of it,
/// and is found by one that does: the cache is then ignored with one warning, and the
/// output is a clean build's.
#[test]
fn a_corrupted_page_html_in_the_cache_is_never_used() {
    type Change = fn(SiteTest) -> SiteTest;
    let cases: [(&str, Change); 2] = [
        // Every page is rendered again: every page's HTML is read.
        ("a template appearing", |site| {
            site.file("templates/unused.html", "unused")
        }),
        // Its segment is written again, with the other pages' HTML.
        ("another page's edit", |site| {
            site.edit("content/guide.md", "Set things up.", "Set it all up.")
        }),
    ];
    for (name, change) in cases {
        let site = SiteTest::fixture("basic").build();
        flip_unread_byte(&site, name, |bytes| {
            assert!(rest_start(bytes) < bytes.len(), "{name}: the pages' HTML");
            bytes.len() - 1
        });
        let site = change(site);
        ignored_with_one_warning(&site, name);
    }
}

/// Flips the byte `pick` chooses in the first cache segment (in its lazily read part),
/// then builds: a build that needs none of that part is quiet and leaves the output as
/// it was.
fn flip_unread_byte(site: &SiteTest, name: &str, pick: impl FnOnce(&[u8]) -> usize) {
    let clean = site.snapshot("public");
    let segment = site.join(".dcrsite-cache/build-00.bin");
    let mut bytes = std::fs::read(&segment).unwrap();
    let at = pick(&bytes);
    bytes[at] ^= 0x01;
    std::fs::write(&segment, &bytes).unwrap();
    let run = site.run(["build"]);
    run.expect_success();
    assert!(!run.stderr.contains("cache"), "{name}: {}", run.stderr);
    assert_eq!(site.snapshot("public"), clean, "{name}: unchanged");
}

/// The build of `site` after a change that needs a corrupted part of its cache: the
/// cache ignored with one warning naming the digest, the output a clean build's, and the
/// build after it quiet, from the new cache.
fn ignored_with_one_warning(site: &SiteTest, name: &str) {
    let run = site.build_ignoring_the_cache(&clean_output(site), name);
    assert!(
        run.stderr.contains("does not match its digest"),
        "{name}: {}",
        run.stderr
    );
}

/// A page's plain text (and links) lie in the cache beside its HTML, outside the part
/// every cached build reads: a flipped byte in the text is not read by a build that
/// needs none of it, and is found by one that writes the page's segment again (the
/// cache is then ignored with one warning, and the output is a clean build's).
#[test]
fn a_corrupted_page_text_in_the_cache_is_never_used() {
    // The HTML escapes `&`: the words as written are the page's plain text (its part
    // of the search index is in the output folder's index, not in the cache).
    let words = b"Fish & chips and peas";
    let site = SiteTest::fixture("basic")
        .file(
            "content/menu.md",
            "---\ntitle: Menu\n---\n\nFish & chips and peas.\n",
        )
        .build();
    flip_unread_byte(&site, "the page's text", |bytes| {
        let at = (bytes.windows(words.len()).rposition(|w| w == words)).expect("the words");
        assert!(
            at > rest_start(bytes),
            "the plain text is outside the checked part"
        );
        at
    });
    let site = site.edit("content/guide.md", "Set things up.", "Set it all up.");
    ignored_with_one_warning(&site, "the page's text");
}
