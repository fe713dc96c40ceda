//! `check --against OLD`: two builds of the `basic` fixture, the second with a page
//! moved, a page moved behind an alias and a heading renamed; OLD as the first build's
//! folder and as its sitemap.xml served over local HTTP.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use serde_json::{json, Value};

use crate::ci_formats::schema_errors;
use crate::common::*;

/// The fixture after a restructure: `special.md` moved into `sub/` (no alias), the page
/// at `/new-name/` moved to `/newer-name/` with an alias, `## Details` renamed.
fn restructured(site: SiteTest) -> SiteTest {
    let special = site.read("content/special.md");
    site.remove("content/special.md")
        .file("content/sub/special.md", special)
        .edit(
            "content/renamed.md",
            "slug: new-name\n",
            "slug: newer-name\naliases: [/new-name/]\n",
        )
        .edit("content/sub/page.md", "## Details", "## More details")
        .edit(
            "content/guide.md",
            "sub/page.md#details",
            "sub/page.md#more-details",
        )
}

fn against_json(site: &SiteTest, old: &str, extra: &[&str]) -> (Run, Value) {
    let mut args = vec!["check", "--format", "json", "--against", old];
    args.extend_from_slice(extra);
    let run = site.run(args);
    let json = run.json();
    (run, json)
}

/// The `basic` fixture without its deliberately broken link, so the exit code is
/// `--against`'s.
fn basic_without_broken_links() -> SiteTest {
    SiteTest::fixture("basic").edit("content/guide.md", "A [broken link](missing.md) here.", "")
}

#[test]
fn nothing_gone_when_nothing_changed() {
    let site = basic_without_broken_links();
    let old = site.build_to_temp(&[]);
    let (run, report) = against_json(&site, old.path().to_str().unwrap(), &["--strict-urls"]);
    run.expect_success();
    assert_eq!(report["against"]["removed"], json!([]), "{report:#}");
    assert_eq!(report["against"]["removed_anchors"], json!([]));
    assert!(report["against"]["urls"].as_u64().unwrap() >= 8);
}

#[test]
fn a_moved_page_a_covered_one_and_a_renamed_heading() {
    let site = basic_without_broken_links();
    let old = site.build_to_temp(&[]);
    let old = old.path().to_str().unwrap().to_string();
    let site = restructured(site);
    let (run, report) = against_json(&site, &old, &[]);
    // Without --strict-urls, what is gone is reported, not failed.
    run.expect_success();
    let against = &report["against"];
    assert_eq!(
        against["removed"],
        json!([{
            "url": "/special/",
            "proposal": {
                "page": "sub/special/",
                "file": "content/sub/special.md",
                "line": "aliases: [/special/]",
                "similarity": 100
            }
        }]),
        "{against:#}"
    );
    assert_eq!(
        against["covered"],
        json!([{ "url": "/new-name/", "to": "/newer-name/" }])
    );
    assert_eq!(
        against["removed_anchors"],
        json!([{
            "url": "/sub/page/#details",
            "source_file": "content/sub/page.md",
            "renamed_to": "more-details"
        }])
    );

    let run = site.run(["check", "--against", &old, "--strict-urls"]);
    run.expect_code(1);
    assert!(run
        .stdout
        .contains("add to content/sub/special.md: aliases: [/special/]"));
    // In the CI formats too, at the file to edit.
    let sarif = site
        .run([
            "check",
            "--format",
            "sarif",
            "--against",
            &old,
            "--strict-urls",
        ])
        .json();
    assert!(schema_errors(&sarif).is_empty());
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let removed = results
        .iter()
        .find(|r| r["ruleId"] == "removed-url")
        .expect("a removed-url result");
    assert_eq!(removed["level"], "error");
    assert_eq!(
        removed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "content/sub/special.md"
    );
    assert!(results.iter().any(|r| r["ruleId"] == "removed-anchor"));

    // Following the proposal covers the URL.
    let site = site.edit(
        "content/sub/special.md",
        "title: Special\n",
        "title: Special\naliases: [/special/]\n",
    );
    let (run, report) = against_json(&site, &old, &["--strict-urls"]);
    assert_eq!(report["against"]["removed"], json!([]));
    assert_eq!(report["against"]["covered"].as_array().unwrap().len(), 2);
    // The renamed heading's anchor is still gone.
    run.expect_code(1);
}

/// Serves `body` at every path for `requests` requests on a local port; returns the port.
fn serve(body: String, requests: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn old_urls_from_a_published_sitemap() {
    let site = basic_without_broken_links();
    let old = site.build_to_temp(&[]);
    let sitemap = read(&old.path().join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://fixture.example/special/</loc>"));
    let port = serve(sitemap, 2);
    let site = restructured(site);
    let url = format!("http://127.0.0.1:{port}/sitemap.xml");
    let (run, report) = against_json(&site, &url, &["--strict-urls"]);
    run.expect_code(1);
    let against = &report["against"];
    assert_eq!(against["old"], url.as_str());
    let removed: Vec<&str> = against["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert_eq!(removed, ["/special/"]);
    // A sitemap has URLs only: the proposal comes from the URL's words.
    assert_eq!(
        against["removed"][0]["proposal"]["file"],
        "content/sub/special.md"
    );
    assert_eq!(against["removed_anchors"], json!([]));
}

#[test]
fn an_unreachable_sitemap_cannot_run() {
    let site = SiteTest::fixture("basic");
    // A port nothing listens on: bound, then closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/sitemap.xml");
    site.run(["check", "--against", &url])
        .expect_code(2)
        .expect_stderr_contains("--against: cannot read");
    site.run(["check", "--strict-urls"]).expect_code(2);
}
