//! MkDocs projects build as they stand: the decred documentation (current and 2019)
//! from `../shared/corpora`, read at test time and never copied into the repo. What a
//! page must show is derived from its source here, so the tests follow the corpus.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;

fn corpus(name: &str) -> Option<PathBuf> {
    let dir = shared_dir()?.join("corpora").join(name);
    if dir.join("mkdocs.yml").is_file() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is not present", dir.display());
        None
    }
}

/// Every Markdown file under `docs`, relative to it, `/`-separated.
fn markdown_files(docs: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(docs)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(docs)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Where MkDocs (with directory URLs) and dcrsite write a page: `a/b.md` →
/// `a/b/index.html`, `a/index.md` → `a/index.html`.
fn output_of(md: &str) -> String {
    let stem = md.strip_suffix(".md").unwrap();
    match stem.strip_suffix("index") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}index.html"),
        _ => format!("{stem}/index.html"),
    }
}

/// A corpus built into a temporary folder.
struct Built {
    out: crate::common::Built,
    docs: PathBuf,
}

impl Built {
    fn page(&self, md: &str) -> String {
        self.out.read(&output_of(md))
    }
}

fn build_corpus(root: &Path) -> Built {
    let out = SiteTest::at(root).build_to_temp(&[]);
    assert!(
        !out.run.stderr.contains(": error:"),
        "a clean build reports no errors:\n{}",
        out.run.stderr
    );
    Built {
        out,
        docs: root.join("docs"),
    }
}

fn every_page_is_built(b: &Built) {
    let files = markdown_files(&b.docs);
    assert!(files.len() > 50, "the corpus has its pages");
    for md in &files {
        assert!(
            b.out.join(&output_of(md)).is_file(),
            "{md} has no page {}",
            output_of(md)
        );
    }
    let summary = b.out.run.stdout.lines().last().unwrap_or("");
    assert!(
        summary.starts_with(&format!("Built {} pages", files.len())),
        "{summary}"
    );
}

/// Pages whose source contains `needle`.
fn sources_with(b: &Built, needle: &str) -> Vec<(String, String)> {
    markdown_files(&b.docs)
        .into_iter()
        .map(|md| {
            let text = read(&b.docs.join(&md));
            (md, text)
        })
        .filter(|(_, text)| text.contains(needle))
        .collect()
}

#[test]
fn current_corpus_builds_with_its_markdown_dialect() {
    let Some(root) = corpus("dcrdocs") else {
        return;
    };
    let b = build_corpus(&root);
    every_page_is_built(&b);
    tabs_render(&b);
    admonitions_render(&b);
    snippets_are_included(&b, &root);
    extra_variables_are_replaced(&b, &root);
    attribute_lists_apply(&b);
    footnotes_are_python_markdowns(&b);
    search_index_lists_every_page(&b);
}

/// Content tabs: each `=== "Tab"` is rendered.
fn tabs_render(b: &Built) {
    let tabbed = sources_with(b, "\n=== \"");
    assert!(!tabbed.is_empty());
    for (md, text) in &tabbed {
        let html = b.page(md);
        for line in text.lines().filter(|l| l.starts_with("=== \"")) {
            let title = line
                .trim_start_matches("=== \"")
                .trim_end()
                .trim_end_matches('"');
            assert!(
                html.contains(&format!(">{title}</label>")),
                "{md}: tab `{title}`"
            );
        }
        assert!(html.contains(r#"<div class="tabbed-set tabbed-alternate""#));
        assert!(!html.contains("<p>=== "), "{md}: a tab marker left as text");
    }
}

/// Admonitions: each `!!! type "Title"` and `??? type` is rendered.
fn admonitions_render(b: &Built) {
    let mut admonitions = 0;
    for (md, text) in sources_with(b, "!!! ") {
        let html = b.page(&md);
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("!!! "))
        {
            let rest = &line[4..];
            let kind = rest.split_whitespace().next().unwrap();
            if let Some(title) = rest.split('"').nth(1).filter(|t| !t.is_empty()) {
                let title = title.replace('&', "&amp;").replace('\'', "&#x27;");
                // Titles are inline Markdown, as Python-Markdown reads them: `code` spans.
                let title: String = title
                    .split('`')
                    .enumerate()
                    .map(|(i, part)| match i % 2 {
                        1 => format!("<code>{part}</code>"),
                        _ => part.to_string(),
                    })
                    .collect();
                assert!(
                    html.contains(&format!(
                        r#"<div class="admonition {kind}"><p class="admonition-title">{title}</p>"#
                    )),
                    "{md}: admonition `{line}`"
                );
                admonitions += 1;
            }
        }
        assert!(
            !html.contains("<p>!!! "),
            "{md}: an admonition left as text"
        );
    }
    assert!(admonitions > 10);
    for (md, text) in sources_with(b, "??? ") {
        let html = b.page(&md);
        let count = text
            .lines()
            .filter(|l| l.trim().starts_with("??? "))
            .count();
        assert!(Doc::parse(&html).count("details[class]") >= count, "{md}");
    }
}

/// Snippets: the included file's admonition appears in each page that includes it.
fn snippets_are_included(b: &Built, root: &Path) {
    let snippet = read(&root.join("snippets/seed-warning.md"));
    let first = snippet.lines().next().unwrap();
    let title = first.split('"').nth(1).unwrap();
    let including = sources_with(b, "--8<-- \"seed-warning.md\"");
    assert!(!including.is_empty());
    for (md, _) in &including {
        assert!(
            b.page(md)
                .contains(&format!(r#"<p class="admonition-title">{title}</p>"#)),
            "{md}: snippet"
        );
    }
}

/// Variables from `extra`: replaced everywhere they are used, none left over.
fn extra_variables_are_replaced(b: &Built, root: &Path) {
    let config: serde_yaml::Value = serde_yaml::from_str(&read(&root.join("mkdocs.yml"))).unwrap();
    let version = config["extra"]["decreditonversion"].as_str().unwrap();
    let using = sources_with(b, "{{ decreditonversion }}");
    assert!(!using.is_empty());
    for (md, _) in &using {
        let html = b.page(md);
        assert!(html.contains(&format!("v{version}")), "{md}: variable");
        assert!(!html.contains("{{"), "{md}: a variable left unreplaced");
    }
}

/// Attribute lists: `![](…){ .dcr-icon }` becomes an icon image, in headings too.
fn attribute_lists_apply(b: &Built) {
    let icons = sources_with(b, "){ .dcr-icon }");
    assert!(icons.len() > 10);
    for (md, _) in &icons {
        let html = b.page(md);
        assert!(html.contains(r#"class="dcr-icon" />"#), "{md}: icon");
        assert!(
            !html.contains("{ .dcr-icon }"),
            "{md}: attribute list left as text"
        );
    }
    for (md, _) in sources_with(b, "{: .timeline-date}") {
        assert!(b.page(&md).contains(r#"<td class="timeline-date""#), "{md}");
    }
}

/// Footnotes, as Python-Markdown writes them.
fn footnotes_are_python_markdowns(b: &Built) {
    let noted = sources_with(b, "[^1]:");
    assert!(!noted.is_empty());
    for (md, _) in &noted {
        let html = b.page(md);
        // As Python-Markdown writes them (MkDocs' markup, not dcrsite's own).
        assert!(
            html.contains("<div class=\"footnote\">\n<hr />\n<ol>\n<li id=\"fn:1\">"),
            "{md}"
        );
        assert!(
            html.contains(
                r##"<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>"##
            ),
            "{md}"
        );
    }
}

/// The search index lists every page, and stays small.
fn search_index_lists_every_page(b: &Built) {
    let index: serde_json::Value = serde_json::from_str(&b.out.read("search-index.json")).unwrap();
    assert_eq!(
        index["pages"].as_array().unwrap().len(),
        markdown_files(&b.docs).len()
    );
    let size = std::fs::metadata(b.out.join("search-index.json"))
        .unwrap()
        .len();
    assert!(size < 500_000, "search index is {size} bytes");
}

/// `[text](page.md#anchor)` links in `text`: (path, anchor).
fn md_anchor_links(text: &str) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for part in text.split("](").skip(1) {
        let Some(target) = part.split([')', ' ']).next() else {
            continue;
        };
        if target.contains("://") {
            continue;
        }
        if let Some((path, anchor)) = target.split_once(".md#") {
            links.push((format!("{path}.md"), anchor.to_string()));
        }
    }
    links
}

#[test]
fn every_md_anchor_link_finds_its_heading_id() {
    let Some(root) = corpus("dcrdocs") else {
        return;
    };
    let b = build_corpus(&root);
    let mut checked = 0;
    let mut missing = Vec::new();
    for md in markdown_files(&b.docs) {
        let text = read(&b.docs.join(&md));
        let dir = md.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for (path, anchor) in md_anchor_links(&text) {
            let Some(target) = dcrsite::content::urls::normalize(&format!("{dir}/{path}")) else {
                continue;
            };
            if !b.docs.join(&target).is_file() {
                continue; // a link to a missing page is check's business, not this test's
            }
            checked += 1;
            if !b.page(&target).contains(&format!(r#"id="{anchor}""#)) {
                missing.push(format!("{md} → {target}#{anchor}"));
            }
        }
    }
    assert!(checked > 20, "the corpus links to headings ({checked})");
    assert!(
        missing.is_empty(),
        "anchors not found:\n{}",
        missing.join("\n")
    );
}

/// `dcrsite check --format json` on a corpus: the broken links, by source file.
fn check_corpus(root: &Path) -> (i32, Vec<serde_json::Value>) {
    let run = SiteTest::at(root).run(["check", "--format", "json"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let report = run.json();
    (run.code, report["broken"].as_array().unwrap().clone())
}

#[test]
fn check_reports_what_is_broken_in_the_sources_with_positions() {
    let Some(root) = corpus("dcrdocs") else {
        return;
    };
    let (_, broken) = check_corpus(&root);
    // Whatever is reported is written in a Markdown file of the corpus, at that line.
    for b in &broken {
        let file = b["source_file"].as_str().unwrap();
        assert!(file.starts_with("docs/"), "{b}");
        let line = b["line"].as_u64().unwrap() as usize;
        let text = read(&root.join(file));
        let written = text.lines().nth(line - 1).unwrap_or("");
        let target = b["target"].as_str().unwrap();
        let path = target.split('#').next().unwrap();
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap();
        assert!(written.contains(last), "{b}: line {line} is `{written}`");
    }
}

#[test]
fn the_2019_corpus_builds_and_check_finds_the_seed_dead_link() {
    let Some(root) = corpus("dcrdocs-2019") else {
        return;
    };
    let b = build_corpus(&root);
    every_page_is_built(&b);
    // `:fa-…:` icon shortcodes degrade to hidden elements, out of text and heading ids.
    let shortcodes = sources_with(&b, ":fa-");
    assert!(!shortcodes.is_empty());
    for (md, _) in &shortcodes {
        assert!(!b.page(md).contains(":fa-"), "{md}: shortcode left as text");
    }
    // Math (pymdownx.arithmatex, not generic) is MathJax 2's script, as MkDocs writes it
    // for the MathJax 2.7 this corpus loads.
    let math = sources_with(&b, "\n$$\n");
    assert!(!math.is_empty());
    for (md, _) in &math {
        let html = b.page(md);
        assert!(
            html.contains("<div class=\"arithmatex\">\n<div class=\"MathJax_Preview\">"),
            "{md}"
        );
        assert!(
            html.contains(r#"<script type="math/tex; mode=display">"#),
            "{md}"
        );
        assert!(!html.contains("<p>$$"), "{md}: math left as text");
    }
    let (code, broken) = check_corpus(&root);
    assert_eq!(code, 1);
    let by_target: BTreeMap<&str, &serde_json::Value> = broken
        .iter()
        .map(|b| (b["target"].as_str().unwrap(), b))
        .collect();
    let seed = by_target
        .get("advanced/contributor-compensation")
        .expect("the seed's dead link is reported");
    let file = seed["source_file"].as_str().unwrap();
    let text = read(&root.join(file));
    let line = text
        .lines()
        .position(|l| l.contains("](advanced/contributor-compensation)"))
        .expect("the link is in that file")
        + 1;
    assert_eq!(seed["line"].as_u64(), Some(line as u64));
}

#[test]
fn search_finds_a_page_by_its_title_in_a_browser_under_a_base_path() {
    let Some(root) = corpus("dcrdocs") else {
        return;
    };
    let Some(exe) = browser::chromium() else {
        eprintln!("skipping: chromium is not installed");
        return;
    };
    let server = static_server::Server::start();
    let base = format!("http://127.0.0.1:{}/docs/", server.port);
    let out = server.dir.path().join("docs");
    SiteTest::at(&root)
        .run([
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            &base,
        ])
        .expect_success();

    // The query: the title of a page, as its author wrote it.
    let target = "governance/politeia/politeia-censorship.md";
    let text = read(&root.join("docs").join(target));
    let heading = text
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .expect("the page has a title");
    let query: String = heading
        .split_whitespace()
        .filter(|w| w.chars().all(|c| c.is_alphanumeric()))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!query.is_empty());
    let expected = format!("{base}{}", output_of(target).trim_end_matches("index.html"));

    let mut browser = browser::Browser::launch(&exe);
    browser.call("Page.enable", serde_json::json!({}));
    browser.call("Page.navigate", serde_json::json!({ "url": base }));
    browser.wait_true(
        "document.querySelector('[data-dcr-search]') !== null && !document.querySelector('[data-dcr-search]').hidden",
        "the search box shows",
    );
    browser.eval("document.getElementById('dcr-search-input').focus(); true");
    browser.call("Input.insertText", serde_json::json!({ "text": query }));
    browser.wait_true(
        "document.querySelectorAll('#dcr-search-results a').length > 0",
        "results show",
    );
    let first = browser.eval("document.querySelector('#dcr-search-results a').href");
    assert_eq!(first.as_str(), Some(expected.as_str()), "query `{query}`");
    assert_eq!(
        browser.eval("document.querySelector('#dcr-search-results a mark') !== null"),
        serde_json::Value::Bool(true),
        "matches are highlighted"
    );
    // Keyboard: ArrowDown moves to the first result, Enter opens it.
    for (kind, key, code) in [("keyDown", "ArrowDown", 40), ("keyUp", "ArrowDown", 40)] {
        browser.call(
            "Input.dispatchKeyEvent",
            serde_json::json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code}),
        );
    }
    assert_eq!(
        browser.eval("document.activeElement === document.querySelector('#dcr-search-results a')"),
        serde_json::Value::Bool(true),
        "ArrowDown focuses the first result"
    );
    for kind in ["keyDown", "keyUp"] {
        browser.call(
            "Input.dispatchKeyEvent",
            serde_json::json!({"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": if kind == "keyDown" { "\r" } else { "" }}),
        );
    }
    browser.wait_true(
        &format!(
            "location.href === {}",
            serde_json::to_string(&expected).unwrap()
        ),
        "Enter opens the result",
    );
}

/// A plain static file server (no dcrsite involved), as static hosting serves a site.
mod static_server {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    pub struct Server {
        pub port: u16,
        pub dir: tempfile::TempDir,
    }

    impl Server {
        pub fn start() -> Server {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().to_path_buf();
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    let root = root.clone();
                    std::thread::spawn(move || {
                        let mut reader = BufReader::new(stream.try_clone().unwrap());
                        let mut request = String::new();
                        if reader.read_line(&mut request).is_err() {
                            return;
                        }
                        loop {
                            let mut line = String::new();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                                break;
                            }
                        }
                        let path = request.split_whitespace().nth(1).unwrap_or("/");
                        let path = path.split(['?', '#']).next().unwrap_or("/");
                        let mut file = root.join(path.trim_start_matches('/'));
                        if path.ends_with('/') {
                            file = file.join("index.html");
                        }
                        let (status, body) = match std::fs::read(&file) {
                            Ok(b) if !path.contains("..") => ("200 OK", b),
                            _ => ("404 Not Found", b"not found".to_vec()),
                        };
                        let mime = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("css") => "text/css",
                            Some("js") => "text/javascript",
                            Some("json") => "application/json",
                            Some("svg") => "image/svg+xml",
                            _ => "application/octet-stream",
                        };
                        let head = format!(
                            "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = stream.write_all(head.as_bytes());
                        let _ = stream.write_all(&body);
                    });
                }
            });
            Server { port, dir }
        }
    }
}

/// The MkDocs fixture (written for these tests) builds with the built-in theme and
/// renders every construct of the dialect; runs without ../shared.
#[test]
fn mkdocs_fixture_renders_the_dialect_with_the_built_in_theme() {
    let site = SiteTest::fixture("mkdocs");
    assert!(!site.exists("themes"));
    let public = site.build_to_temp(&[]);
    let run = &public.run;
    // The page missing from nav is built, with a warning naming it.
    assert!(
        run.stderr
            .contains("docs/about.md: warning: page is not in the `nav` of mkdocs.yml"),
        "{}",
        run.stderr
    );
    assert!(public.join("about/index.html").is_file());
    let home = public.read("index.html");
    // The title keeps the id MkDocs gives it and, with toc's `permalink`, the permalink
    // Python-Markdown writes on every heading, the page's `<h1>` included.
    assert!(home.contains(r##"<h1 class="dcr-title" id="fixture-docs"><img src="/img/mark.svg" alt="" class="dcr-icon" /> Fixture Docs<a class="headerlink" href="#fixture-docs" title="Permanent link">&para;</a></h1>"##), "the title keeps the id MkDocs gives it: {home}");
    assert!(home.contains("Version 2.4.1 of the fixture"));
    assert!(home.contains(
        r#"<div class="admonition note"><p class="admonition-title">Before you start</p>"#
    ));
    assert!(home.contains(r#"<details class="tip"><summary>More detail</summary>"#));
    // Footnotes as Python-Markdown writes them.
    assert!(home.contains("<div class=\"footnote\">\n<hr />\n<ol>\n<li id=\"fn:"));
    assert!(home.contains(r##"<a class="footnote-ref" href="#fn:"##));
    assert!(home.contains(r#"href="/guide/install/#on-linux""#));
    assert!(
        home.contains(r#"href="/guide/""#),
        "README.md is the folder's page"
    );
    assert!(
        home.contains(r#"Fixture authors, <a href="https://fixture.example/">fixture.example</a>"#)
    );
    assert!(home.contains(r#"href="https://github.com/fixture/docs""#));
    assert!(
        home.contains(r#"href="https://example.org/""#),
        "external nav entry"
    );
    let css = Doc::parse(&home).attr(r#"link[href^="/css/decred."]"#, "href");
    assert!(
        public.join(css.trim_start_matches('/')).is_file(),
        "the built-in stylesheet {css}"
    );

    let guide = public.read("guide/index.html");
    assert!(
        guide.contains("H<sub>2</sub>O, x<sup>2</sup>, <ins>inserted</ins> and <del>removed</del>"),
        "{guide}"
    );
    assert!(guide.contains(r#"<span class="arithmatex">\(a^2 + b^2\)</span>"#));
    assert!(guide.contains(r#"<div class="arithmatex">\["#));

    let install = public.read("guide/install/index.html");
    assert!(
        install.contains(
            r#"<div class="admonition warning"><p class="admonition-title">Back up first</p>"#
        ),
        "snippet"
    );
    assert!(install.contains(r#"<label for="__tabbed_1_2">Fedora</label>"#));
    assert!(install.contains("fixture=2.4.1"));
    assert!(install.contains(r#"id="on-linux""#) && install.contains(r#"id="on-linux_1""#));
    assert!(install.contains(r#"<p class="note-para">"#));
    // `:material-download:` is Material Design Icons' download icon, inline.
    let download = dcrsite::icon_sets::svg("material/download").unwrap();
    assert!(install.contains(&download), "the icon in the title");
    assert!(!install.contains(":material-"));

    let upgrade = public.read("guide/upgrade/index.html");
    assert!(
        upgrade.contains(r#"<div class="admonition tip"><p class="admonition-title">Tip</p>"#),
        "{upgrade}"
    );

    // A missing snippet is an error at the line that names it.
    let text = site.read("docs/guide/install.md");
    let site = site.file(
        "docs/guide/install.md",
        text.replace("warning.md", "nowhere.md"),
    );
    let run = site.run(["build", "--output", public.path().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("docs/guide/install.md:3:1: error: snippet `nowhere.md` not found"),
        "{}",
        run.stderr
    );
}

/// `use_directory_urls: false` writes pages as `.html` files with matching links, and a
/// configured toc `slugify` gives the heading ids MkDocs would, links included.
#[test]
fn mkdocs_file_urls_and_custom_slugify_are_honoured() {
    let site = SiteTest::fixture("mkdocs")
        .edit(
            "mkdocs.yml",
            "  - toc:\n      permalink: true\n",
            "  - toc:\n      permalink: true\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds:\n          case: none\n",
        )
        .append("mkdocs.yml", "use_directory_urls: false\n");
    let public = site.build_to_temp(&[]);

    assert!(public.join("guide/install.html").is_file());
    assert!(
        public.join("guide/index.html").is_file(),
        "README.md is guide/index.html"
    );
    assert!(public.join("about.html").is_file());
    assert!(!public.join("guide/install/index.html").exists());
    let home = public.read("index.html");
    // Case kept by `case: none`; the link written as `install.md#on-linux` in the source
    // is rewritten to the file URL, with the fragment as written.
    assert!(
        home.contains(r#"href="/guide/install.html#on-linux""#),
        "{home}"
    );
    assert!(home.contains(r#"href="/guide/index.html""#), "{home}");
    let install = public.read("guide/install.html");
    assert!(install.contains(r#"id="On-Linux""#), "{install}");
    assert!(install.contains(r#"id="On-Linux_1""#), "{install}");
    let sitemap = public.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://docs.fixture.example/guide/install.html</loc>"));

    // `check` sees the mismatch the slug change causes: the link says `#on-linux`.
    let run = site.run(["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let broken = report["broken"].as_array().unwrap();
    assert_eq!(broken.len(), 1, "{report:#}");
    assert_eq!(broken[0]["source_file"], "docs/index.md");
    assert_eq!(broken[0]["kind"], "fragment");
    assert!(
        broken[0]["reason"]
            .as_str()
            .unwrap()
            .contains("/guide/install.html"),
        "{report:#}"
    );
}

/// markdownextradata renders the whole page, code blocks included: dcrdocs' download
/// commands in fenced code show the CLI version from `extra:`, never the raw `{{ … }}`.
#[test]
fn extra_variables_are_substituted_in_code_blocks_of_a_real_page() {
    let Some(root) = corpus("dcrdocs") else {
        return;
    };
    let config: serde_yaml::Value = serde_yaml::from_str(&read(&root.join("mkdocs.yml"))).unwrap();
    let version = config["extra"]["cliversion"].as_str().unwrap().to_string();
    let b = build_corpus(&root);
    let md = "advanced/secure-cold-wallet-setup.md";
    let source = read(&b.docs.join(md));
    let uses = source.matches("{{ cliversion }}").count();
    assert!(
        uses > 5,
        "the page uses the variable in its commands ({uses})"
    );
    let html = b.page(md);
    assert!(
        !html.contains("cliversion"),
        "a raw variable left on the page"
    );
    let download = format!("releases/download/v{version}/decred-v{version}-manifest.txt");
    assert!(
        html.contains(&download),
        "the wget line inside the fenced block: {download}"
    );
}

/// The FastAPI family's layout: `mkdocs.yml` inherits `mkdocs.env.yml`, and both write
/// `markdown_extensions` as a mapping, which MkDocs merges key by key.
#[test]
fn inherit_and_markdown_extensions_written_as_a_mapping() {
    let site = SiteTest::new()
        .file(
            "mkdocs.env.yml",
            "markdown_extensions:\n  admonition:\n  toc:\n    permalink: true\n",
        )
        .file(
            "mkdocs.yml",
            "INHERIT: ./mkdocs.env.yml\nsite_name: Inherited\nmarkdown_extensions:\n  pymdownx.details:\n",
        )
        .file(
            "docs/index.md",
            "# Home\n\n!!! note \"Heads up\"\n    Inside.\n\n??? tip \"More\"\n    Folded.\n",
        )
        .build();
    let run = site.last();
    assert!(!run.stderr.contains("INHERIT"), "{}", run.stderr);
    let html = site.read("site/index.html");
    assert!(html.contains("<title>Inherited"), "site_name read");
    assert!(
        html.contains(r#"<div class="admonition note">"#),
        "admonition from the parent"
    );
    assert!(
        html.contains(r#"<details class="tip">"#),
        "details from the child"
    );
    assert!(!html.contains("!!! note"), "no raw admonition");
}

/// What MkDocs 1.6.1 builds of a project with `exclude_docs`, `not_in_nav`, `draft_docs`,
/// a `templates/` folder in the docs, a nav entry naming a folder, a plugin and a hook it
/// does not run: dcrsite writes the same pages into `site/`, with a warning at each line.
#[test]
fn exclude_docs_not_in_nav_draft_docs_and_what_is_not_run() {
    let site = SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: Files\nnav:\n  - index.md\n  - Section: guide/\nexclude_docs: |\n  *.py\n  /private/\nnot_in_nav: |\n  orphan*.md\ndraft_docs: |\n  drafts/\nplugins:\n  - search\n  - glightbox\nhooks:\n  - docs/hooks.py\n",
        )
        .file("docs/index.md", "# Home\n")
        .file("docs/guide/a.md", "# A\n")
        .file("docs/hooks.py", "x = 1\n")
        .file("docs/private/p.md", "# P\n")
        .file("docs/orphan1.md", "# O\n")
        .file("docs/other.md", "# Other\n")
        .file("docs/drafts/d.md", "# D\n")
        .file("docs/templates/t.html", "<p>t</p>\n")
        .build();
    let err = &site.last().stderr;
    assert!(site.exists("site/index.html"), "{err}");
    assert!(
        !site.exists("public"),
        "an MkDocs project builds into site/"
    );
    for gone in [
        "site/hooks.py",
        "site/private",
        "site/drafts",
        "site/templates",
    ] {
        assert!(!site.exists(gone), "{gone} is built");
    }
    assert!(site.exists("site/orphan1/index.html"));
    assert!(site.exists("site/guide/a/index.html"));
    for warned in [
        "docs/other.md: warning: page is not in the `nav`",
        "docs/guide/a.md: warning: page is not in the `nav`",
        "mkdocs.yml:4:14: warning: nav entry names `guide/`, a folder of docs/, not a page",
        "mkdocs.yml:14:5: warning: plugin `glightbox` is not run by dcrsite",
        "mkdocs.yml:16:5: warning: hook `docs/hooks.py` is not run",
    ] {
        assert!(err.contains(warned), "no `{warned}` in\n{err}");
    }
    assert!(!err.contains("orphan1.md: warning"), "{err}");
    assert!(site.last().stdout.contains("with 5 warnings"), "{err}");
    let with_drafts = site.build_to_temp(&["--drafts"]);
    assert!(with_drafts.join("drafts/d/index.html").is_file());
    assert!(!with_drafts.join("private").exists());
}

/// `validation:` quiets the warnings it sets to `info` or `ignore`; `strict: true` makes
/// those left fail the build, which leaves the previous site as it was.
#[test]
fn validation_levels_and_strict() {
    let site = SiteTest::new()
        .file("mkdocs.yml", "site_name: V\nnav:\n  - index.md\n")
        .file(
            "docs/index.md",
            "# Home\n\n[a](other.md#nowhere) [b](missing.md)\n",
        )
        .file("docs/other.md", "# Other\n")
        .build();
    let err = &site.last().stderr;
    assert!(
        err.contains("docs/other.md: warning: page is not in the `nav`"),
        "{err}"
    );
    assert!(err.contains("no element with id `nowhere`"), "{err}");
    assert!(err.contains("broken link `missing.md`"), "{err}");
    let site = site
        .append(
            "mkdocs.yml",
            "validation:\n  omitted_files: ignore\n  links:\n    anchors: info\n",
        )
        .build();
    let err = &site.last().stderr;
    assert!(!err.contains("not in the `nav`"), "{err}");
    assert!(!err.contains("id `nowhere`"), "{err}");
    assert!(err.contains("broken link `missing.md`"), "{err}");
    let before = site.snapshot("site");
    let site = site.append("mkdocs.yml", "strict: true\n");
    let run = site.run(["build"]);
    run.expect_code(1).expect_stderr_contains(
        "mkdocs.yml:8:9: error: `strict: true` makes warnings fail the build: 1 warning above",
    );
    assert_eq!(
        site.snapshot("site"),
        before,
        "the previous site is untouched"
    );
    let site = site.edit("docs/index.md", " [b](missing.md)", "").build();
    assert!(
        !site.last().stderr.contains("warning"),
        "{}",
        site.last().stderr
    );
}

/// As `mkdocs build` with `strict: true` (checked against MkDocs 1.6.1): what MkDocs
/// reports at info level by default (a page missing from the nav, a missing anchor, an
/// absolute or unrecognized link) is shown but lets the build pass, until `validation:`
/// raises it to `warn`.
#[test]
fn strict_lets_pass_what_mkdocs_reports_at_info_level() {
    let site = SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: S\nstrict: true\nnav:\n  - index.md\n",
        )
        .file(
            "docs/index.md",
            "# Home\n\n[a](other.md#nowhere) [b](/abs/) [c](folder/)\n",
        )
        .file("docs/other.md", "# Other\n")
        .build();
    let run = site.last();
    assert!(run.stdout.contains("with 4 warnings"), "{}", run.stderr);
    assert!(run.stderr.contains("id `nowhere`"), "{}", run.stderr);
    let site = site.append("mkdocs.yml", "validation:\n  anchors: warn\n");
    site.run(["build"]).expect_code(1).expect_stderr_contains(
        "mkdocs.yml:2:9: error: `strict: true` makes warnings fail the build: 1 of the 4 warnings above",
    );
}

/// The FastAPI family's source includes: `{* file ln[..] hl[..] *}` (markdown_include_variants)
/// shows the lines asked for in a tab with the highlighted line counted past the omitted
/// part, the whole file and the other variants in details; `{!file!}` (mdx_include)
/// includes a file where it is written.
#[test]
fn source_includes_of_the_fastapi_family() {
    let code = "import a\nimport b\n\nx = 1\ny = 2\n";
    let site = SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: S\nmarkdown_extensions:\n  pymdownx.highlight:\n  pymdownx.superfences:\n  pymdownx.blocks.tab:\n    alternate_style: True\n  pymdownx.blocks.details:\n  mdx_include:\n  markdown_include_variants:\n",
        )
        .file("docs_src/t/tutorial001_py310.py", code)
        .file("docs_src/t/tutorial001.py", code)
        .file("docs_src/note.md", "Included *note*.\n")
        .file(
            "docs/index.md",
            "# Home\n\n{* ./docs_src/t/tutorial001_py310.py ln[4:5] hl[5] *}\n\n{!docs_src/note.md!}\n",
        )
        .build();
    let html = site.read("site/index.html");
    assert!(
        !html.contains("{*") && !html.contains("{!"),
        "raw includes: {html}"
    );
    assert!(
        html.contains("<label for=\"__tabbed_1_1\">Python 3.10+</label>"),
        "{html}"
    );
    assert!(
        html.contains("<summary>👀 Full file preview</summary>"),
        "{html}"
    );
    assert!(html.contains("Python 3.8+"), "the other variant: {html}");
    assert!(html.contains("Code above omitted"), "{html}");
    let hll = html.find("class=\"hll\"").expect("a highlighted line");
    let line = &html[hll..html[hll..].find('\n').map_or(html.len(), |n| hll + n)];
    assert!(
        line.contains(">y<") && !line.contains(">x<"),
        "line 5 of the file is line 4 shown, highlighted: {line}"
    );
    assert!(html.contains("<p>Included <em>note</em>.</p>"), "{html}");
}

/// A nav entry naming a folder that has an index page (`- Guide: guide/`) leads to that
/// page, as MkDocs' link to `guide/` does; a folder without one is left out, with a
/// warning.
#[test]
fn a_nav_entry_naming_a_folder_leads_to_its_index_page() {
    let site = SiteTest::new()
        .file(
            "mkdocs.yml",
            "site_name: F\nnav:\n  - index.md\n  - Guide: guide/\n  - Loose: loose/\n",
        )
        .file("docs/index.md", "# Home\n")
        .file("docs/guide/index.md", "# Guide start\n")
        .file("docs/loose/a.md", "# A\n")
        .build();
    let home = site.read("site/index.html");
    assert!(
        home.contains(r#"href="/guide/""#) && home.contains(">Guide<"),
        "the folder's entry in the nav: {home}"
    );
    assert!(!home.contains(">Loose<"), "no index page, no entry");
    let err = &site.last().stderr;
    assert!(err.contains("nav entry names `loose/`"), "{err}");
    // MkDocs 1.6.1 warns about both entries ("A reference to 'guide/' is included in the
    // 'nav' configuration, which is not found in the documentation files"), so
    // `strict: true` fails on either.
    assert!(
        err.contains("mkdocs.yml:4:12: warning: nav entry names `guide/`, a folder of docs/"),
        "{err}"
    );
    let site = site
        .edit("mkdocs.yml", "  - Loose: loose/\n", "")
        .append("mkdocs.yml", "strict: true\n");
    site.run(["build"])
        .expect_code(1)
        .expect_stderr_contains("mkdocs.yml:4:12: warning: nav entry names `guide/`")
        .expect_stderr_contains("mkdocs.yml:5:9: error: `strict: true` makes warnings fail the build: 1 of the 2 warnings above");
}

/// Zensical's macros extension (as the macros plugin) renders `{% if %}`/`{% for %}` blocks
/// with `extra`: the FastAPI family's sponsor block lists the sponsors configured, and is
/// empty (no raw template, no links to `{{ sponsor.url }}`) where there are none.
#[test]
fn macros_blocks_render_with_extra() {
    let page = "# Home\n\n{% if sponsors %}\n{% for sponsor in sponsors.gold -%}\n<a href=\"{{ sponsor.url }}\">{{ sponsor.title }}</a>\n{% endfor -%}\n{% endif %}\n";
    let yml = "site_name: M\nmarkdown_extensions:\n  zensical.extensions.macros:\n";
    let none = SiteTest::new()
        .file("mkdocs.yml", yml)
        .file("docs/index.md", page)
        .build();
    let html = none.read("site/index.html");
    assert!(!html.contains("{%") && !html.contains("sponsor"), "{html}");
    assert!(
        !none.last().stderr.contains("warning"),
        "{}",
        none.last().stderr
    );
    let some = SiteTest::new()
        .file(
            "mkdocs.yml",
            format!("{yml}extra:\n  sponsors:\n    gold:\n      - url: https://e.org\n        title: E\n"),
        )
        .file("docs/index.md", page)
        .build();
    assert!(some
        .read("site/index.html")
        .contains(r#"<a href="https://e.org">E</a>"#));
}
