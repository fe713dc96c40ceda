//! Correctness under load: the generated 1,000-page benchmark corpus builds with every
//! internal link resolved, and two builds are byte-identical. (Speed is measured by
//! `benches/build_vs_hugo.py`, never asserted here.)

use std::process::Command;

use crate::common::*;

#[test]
fn thousand_page_corpus_builds_cleanly_and_deterministically() {
    let Some(shared) = shared_dir() else { return };
    let bench = shared.join("bench");
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    let site = work.path().join("site");
    let python = |args: &[&std::ffi::OsStr]| {
        let status = Command::new("python3").args(args).status();
        match status {
            Ok(s) => assert!(s.success(), "python3 {args:?} failed"),
            Err(e) => panic!("python3 is needed for this test: {e}"),
        }
    };
    python(&[
        bench.join("gen_corpus.py").as_os_str(),
        "--pages".as_ref(),
        "1000".as_ref(),
        "--out".as_ref(),
        corpus.as_os_str(),
        "--tools".as_ref(),
        "mkdocs".as_ref(),
    ]);
    python(&[
        bench.join("dcrsite_layout.py").as_os_str(),
        corpus.join("mkdocs").as_os_str(),
        repo_root().as_os_str(),
        site.as_os_str(),
    ]);
    // The layout copies this project's site.yaml, which publishes the site in two
    // languages: the corpus is built in one, as the benchmarks build it.
    let config = site.join("site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let start = text
        .find("\nlanguages:\n")
        .expect("site.yaml lists languages")
        + 1;
    let end = text[start..]
        .find("\n\n")
        .map_or(text.len(), |n| start + n + 1);
    std::fs::write(&config, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let pages = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert!(pages >= 1000, "{pages} pages generated");

    let site = SiteTest::at(&site);
    let first_out = work.path().join("first");
    let run = site.run(["build", "--output", first_out.to_str().unwrap()]);
    run.expect_success();
    assert!(
        run.stdout.starts_with(&format!("Built {pages} pages")),
        "{}",
        run.stdout
    );
    assert!(
        !run.stderr.contains("warning"),
        "every internal link resolves:\n{}",
        run.stderr.lines().take(20).collect::<Vec<_>>().join("\n")
    );
    let links = count_rewritten_links(&first_out);
    assert!(
        links > 3 * 1000,
        "the corpus links its pages: {links} internal links"
    );

    let second_out = work.path().join("second");
    site.run(["build", "--output", second_out.to_str().unwrap()])
        .expect_success();
    assert!(
        snapshot(&first_out) == snapshot(&second_out),
        "two builds differ"
    );
}

/// Internal page links in the content of every page (`<a href="/…/">` inside `<main>`).
fn count_rewritten_links(public: &std::path::Path) -> usize {
    snapshot(public)
        .iter()
        .filter(|(p, _)| p.ends_with("index.html"))
        .map(|(_, bytes)| Doc::parse(&String::from_utf8_lossy(bytes)).count(r#"main a[href^="/"]"#))
        .sum()
}
