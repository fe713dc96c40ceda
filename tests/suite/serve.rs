//! `dcrsite serve`, run as the real binary on a free port of 127.0.0.1.

use crate::common;

use crate::common::{edit_file as edit, Doc, Event, Server, SiteTest};

/// The paths listed under `key` (`changed`, `removed`) in a reload event.
fn paths(e: &Event, key: &str) -> Vec<String> {
    e.data[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn changed(e: &Event) -> Vec<String> {
    paths(e, "changed")
}

fn removed(e: &Event) -> Vec<String> {
    paths(e, "removed")
}

#[test]
fn serves_pages_with_types_headers_and_the_site_404() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let page = server.get("/guide/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert!(page.text().contains("Set things up."));
    assert!(
        page.text().contains("/__dcrsite/events"),
        "reload script injected"
    );
    let etag = page.header("etag").unwrap().to_string();
    assert_eq!(
        server
            .request("/guide/", &[("If-None-Match", &etag)])
            .status,
        304
    );
    // A folder without its slash is redirected to it.
    let folder = server.get("/guide");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/guide/"));
    let home = server.get("/");
    assert_eq!(home.status, 200);
    let css_path = Doc::parse(&home.text()).attr(r#"link[href^="/css/decred."]"#, "href");
    assert_eq!(
        server.get(&css_path).header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        server.get("/people/anna.svg").header("content-type"),
        Some("image/svg+xml")
    );
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("<!doctype html>") && missing.text().contains("/__dcrsite/events")
    );
    site.run(["build"]).expect_success();
    let title = site.doc("public/404.html").one("title").inner_html();
    assert!(missing.text().contains(&title), "the site's own 404 page");
    // The script is for serve only: nothing of it is in a build.
    for (path, bytes) in site.snapshot("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__dcrsite"),
            "{path} carries the reload script"
        );
    }
    assert!(server
        .get("/guide/")
        .header("access-control-allow-origin")
        .is_none());
}

#[test]
fn edits_creates_deletes_and_renames_follow() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let events = server.events();

    // Edit: the event names the page, and the page is already new when it arrives.
    let guide = site.path().join("content/guide.md");
    edit(&guide, "Set things up.", "Set things up right now.");
    let e = events.next_named("reload");
    assert!(
        changed(&e).contains(&"guide/index.html".to_string()),
        "{e:?}"
    );
    assert!(server
        .get("/guide/")
        .text()
        .contains("Set things up right now."));

    // Create.
    let new = site.path().join("content/fresh.md");
    std::fs::write(&new, "---\ntitle: Fresh page\n---\nBrand new words.\n").unwrap();
    let e = events.next_named("reload");
    assert!(
        changed(&e).contains(&"fresh/index.html".to_string()),
        "{e:?}"
    );
    assert!(server.get("/fresh/").text().contains("Brand new words."));
    assert!(
        server.get("/").text().contains("Fresh page"),
        "in the navigation"
    );

    // Rename, the way editors save: write a temp file, rename it over the original.
    let tmp = site.path().join("content/.fresh.md.tmp");
    std::fs::write(&tmp, "---\ntitle: Fresh page\n---\nAtomically saved.\n").unwrap();
    std::fs::rename(&tmp, &new).unwrap();
    let e = events.next_named("reload");
    assert!(
        changed(&e).contains(&"fresh/index.html".to_string()),
        "{e:?}"
    );
    assert!(server.get("/fresh/").text().contains("Atomically saved."));

    // Rename a page.
    let moved = site.path().join("content/moved.md");
    std::fs::rename(&new, &moved).unwrap();
    let e = server_wait_removed(&events, "fresh/index.html");
    assert!(
        changed(&e).contains(&"moved/index.html".to_string()),
        "{e:?}"
    );
    assert_eq!(server.get("/fresh/").status, 404);
    assert!(server.get("/moved/").text().contains("Atomically saved."));

    // Delete.
    std::fs::remove_file(&moved).unwrap();
    server_wait_removed(&events, "moved/index.html");
    assert_eq!(server.get("/moved/").status, 404);
}

/// Renames can arrive as two bursts (old name, new name): wait for the one that removes.
fn server_wait_removed(events: &common::Events, path: &str) -> Event {
    loop {
        let e = events.next_named("reload");
        if removed(&e).contains(&path.to_string()) {
            return e;
        }
    }
}

#[test]
fn broken_front_matter_keeps_the_last_good_page_and_shows_the_error() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let events = server.events();
    let page = site.path().join("content/sub/page.md");
    let good = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, "---\ntitle: ok\nweight: [nope\n---\nBroken now.\n").unwrap();
    let e = events.next_named("build-error");
    let message = e.data["message"].as_str().unwrap().to_string();
    assert!(message.contains("content/sub/page.md:3"), "{message}");
    let served = server.get("/sub/page/");
    assert_eq!(served.status, 200);
    assert!(served.text().contains("Raw HTML stays."), "last good build");
    assert!(!served.text().contains("Broken now."));
    assert!(served.text().contains("id=\"dcrsite-error\""), "overlay");
    assert!(
        served.text().contains("content/sub/page.md:3"),
        "same message"
    );
    // The terminal says the same (read from the pipe on another thread: poll, bounded).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !server
        .stderr
        .lock()
        .unwrap()
        .contains("content/sub/page.md:3")
    {
        assert!(std::time::Instant::now() < deadline, "error not on stderr");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // A reconnecting page learns of the error at once.
    let again = server.events_hello();
    assert!(again.data["error"]
        .as_str()
        .unwrap()
        .contains("content/sub/page.md:3"));

    std::fs::write(&page, good.replace("Raw HTML stays.", "Fixed again.")).unwrap();
    let e = events.next_named("reload");
    assert_eq!(e.data["all"], true, "every page drops its overlay: {e:?}");
    let served = server.get("/sub/page/");
    assert!(served.text().contains("Fixed again."));
    assert!(!served.text().contains("id=\"dcrsite-error\""));
}

/// A template that includes itself, and one whose macro recurses without end, are build
/// errors like any other: the server keeps serving the last good build with the error
/// shown, instead of dying of a stack overflow.
#[test]
fn runaway_templates_keep_the_last_good_build() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let events = server.events();
    let template = site.path().join("templates/page.html");
    for (text, words) in [
        (
            "{% include \"page.html\" %}\n",
            "templates/page.html:1:1: error: template `page.html` includes itself",
        ),
        (
            "{% macro f() %}{{ self::f() }}{% endmacro f %}{{ self::f() }}",
            "templates/page.html:1:1: error: macro `f` calls nest more than 64 deep",
        ),
    ] {
        std::fs::write(&template, text).unwrap();
        let e = events.next_named("build-error");
        let message = e.data["message"].as_str().unwrap().to_string();
        assert!(message.contains(words), "{message}");
        let served = server.get("/guide/");
        assert_eq!(served.status, 200, "the server is still up");
        assert!(
            served.text().contains("Intro with a footnote"),
            "last good build"
        );
        assert!(served.text().contains(words), "the overlay shows the error");
    }
    std::fs::remove_file(&template).unwrap();
    events.next_named("reload");
    assert!(!server
        .get("/guide/")
        .text()
        .contains("id=\"dcrsite-error\""));
}

trait Hello {
    fn events_hello(&self) -> Event;
}

impl Hello for Server {
    fn events_hello(&self) -> Event {
        use std::io::{BufRead, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET /__dcrsite/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        let mut name = String::new();
        for line in std::io::BufReader::new(stream).lines() {
            let line = line.unwrap();
            if let Some(n) = line.strip_prefix("event:") {
                name = n.trim().to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                if name == "hello" {
                    return Event {
                        name,
                        data: serde_json::from_str(d.trim()).unwrap(),
                    };
                }
            }
        }
        panic!("no hello event");
    }
}

#[test]
fn css_change_is_a_stylesheet_swap() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let events = server.events();
    let css = site.path().join("themes/decred/static/css/decred.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n.swapped { color: red; }\n");
    std::fs::write(&css, text).unwrap();
    let e = events.next_named("css");
    let swaps = e.data["swaps"].as_array().unwrap();
    assert_eq!(swaps.len(), 1, "{e:?}");
    let new = swaps[0][1].as_str().unwrap();
    let served = server.get(&format!("/{new}"));
    assert_eq!(served.status, 200);
    assert!(served.text().contains(".swapped"));
    assert!(
        server.get("/").text().contains(new),
        "pages link the new name"
    );
}

#[test]
fn folders_created_after_start_and_templates_are_watched() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let events = server.events();
    // The fixture's templates/ exists; an assets/ subfolder appears later.
    std::fs::create_dir_all(site.path().join("assets/docs")).unwrap();
    std::fs::write(site.path().join("assets/docs/note.txt"), "hello asset").unwrap();
    server.wait_for("/docs/note.txt", "appear", |r| r.status == 200);
    assert_eq!(server.get("/docs/note.txt").text(), "hello asset");
    std::fs::write(
        site.path().join("templates/special.html"),
        "<html><body>new special {{ page.title }}</body></html>",
    )
    .unwrap();
    // Skip the event of the asset above, if it is still queued.
    let e = loop {
        let e = events.next_named("reload");
        if !changed(&e).contains(&"docs/note.txt".to_string()) {
            break e;
        }
    };
    assert!(
        changed(&e).contains(&"special/index.html".to_string()),
        "{e:?}"
    );
    assert!(server
        .get("/special/")
        .text()
        .contains("new special Special"));
}

/// An MkDocs project with a nested `docs_dir`: edits there, and to a snippet, show up;
/// after mkdocs.yml names a new snippet folder, that folder is watched too.
#[test]
fn mkdocs_docs_dir_and_snippet_folders_are_watched() {
    let site = SiteTest::fixture("mkdocs").docs_dir("src/docs");
    let root = site.path();
    let config = root.join("mkdocs.yml");
    let server = Server::start(root, &[]);
    assert!(server
        .get("/guide/install/")
        .text()
        .contains("Back up first"));

    edit(&root.join("src/docs/guide/upgrade.md"), "# ", "# Edited ");
    server.wait_for("/guide/upgrade/", "show the page edit", |r| {
        r.text().contains("Edited ")
    });
    edit(
        &root.join("parts/warning.md"),
        "Back up first",
        "Back up twice",
    );
    server.wait_for("/guide/install/", "show the snippet edit", |r| {
        r.text().contains("Back up twice")
    });

    // A snippet folder that mkdocs.yml names from now on.
    std::fs::create_dir(root.join("more")).unwrap();
    std::fs::write(root.join("more/warning.md"), "Moved snippet text.\n").unwrap();
    edit(&config, "base_path: parts", "base_path: more");
    server.wait_for("/guide/install/", "use the new folder", |r| {
        r.text().contains("Moved snippet text.")
    });
    edit(&root.join("more/warning.md"), "Moved", "Edited moved");
    server.wait_for("/guide/install/", "show an edit in the new folder", |r| {
        r.text().contains("Edited moved snippet text.")
    });
}

#[test]
fn poll_mode_follows_edits() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&["--poll"]);
    edit(
        &site.path().join("content/guide.md"),
        "Set things up.",
        "Polled edit.",
    );
    server.wait_for("/guide/", "show the edit", |r| {
        r.text().contains("Polled edit.")
    });
}

#[test]
fn port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = SiteTest::fixture("basic");
    let run = common::dcrsite(&[
        "serve",
        "--root",
        site.path().to_str().unwrap(),
        "--port",
        &port,
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("port {port}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--port"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn missing_root_cannot_start() {
    let run = common::dcrsite(&[
        "serve",
        "--root",
        "/nonexistent/dcrsite-site",
        "--port",
        "0",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--root"), "{}", run.stderr);
}

#[test]
fn ctrl_c_exits_zero() {
    let site = SiteTest::fixture("basic");
    let mut server = site.serve(&[]);
    let status = std::process::Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let code = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s.code();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running after SIGINT"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(code, Some(0));
}

// Safety: only paths of the built site are served. One test per kind of attack; each
// names a file that exists outside the Output (site.yaml, a Markdown source, or a file
// outside the site), so a 404 means it was refused, not merely absent.

fn refused(raw: &str) {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    assert_eq!(server.get("/guide/").status, 200);
    let r = server.get(raw);
    assert_eq!(r.status, 404, "{raw} → {} {}", r.status, r.text());
    assert!(!r.text().contains("base_url"), "{raw} leaked site.yaml");
}

#[test]
fn dot_dot_is_refused() {
    refused("/../site.yaml");
    refused("/sub/../../site.yaml");
}

#[test]
fn encoded_dot_dot_is_refused() {
    refused("/%2e%2e/site.yaml");
    refused("/sub/%2E%2E/%2e%2e/site.yaml");
}

#[test]
fn encoded_slash_is_refused() {
    refused("/sub%2fpage/");
    refused("/..%2fsite.yaml");
}

#[test]
fn double_encoding_is_refused() {
    refused("/%252e%252e/site.yaml");
    refused("/sub%252fpage/");
}

#[test]
fn backslashes_are_refused() {
    refused("/..%5csite.yaml");
    refused("/sub%5cpage/");
    // Raw, unencoded backslashes in the request line too.
    refused("/..\\site.yaml");
    refused("/sub\\page/");
}

#[test]
fn absolute_paths_are_refused() {
    refused("//etc/passwd");
    refused("/etc/passwd");
    refused("/C:/Windows/win.ini");
    refused("/content/guide.md");
}

#[test]
fn nul_bytes_are_refused() {
    refused("/guide%00/");
    refused("/site.yaml%00.html");
    // A raw NUL byte never reaches a file: the HTTP parser rejects the request line.
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let r = server.get("/site.yaml\0.html");
    assert!(r.status == 400 || r.status == 404, "raw NUL → {}", r.status);
    assert!(!r.text().contains("base_url"));
}

#[test]
fn binding_beyond_loopback_warns() {
    let site = SiteTest::fixture("basic");
    // Listening on every interface (only fetched over 127.0.0.1 here) must warn.
    let server = site.serve(&["--bind", "0.0.0.0"]);
    assert_eq!(server.get("/guide/").status, 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let stderr = server.stderr.lock().unwrap().clone();
        // Only whole lines: the reader thread may have caught the warning half written.
        // The site's own warnings (the fixture's broken link) may come first.
        let whole = &stderr[..stderr.rfind('\n').map_or(0, |end| end + 1)];
        let bind_warning = |l: &&str| l.starts_with("warning: serving on");
        if let Some(line) = whole.lines().find(bind_warning) {
            assert!(line.contains("0.0.0.0"), "{stderr}");
            assert!(line.contains("not a loopback address"), "{stderr}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no warning: {stderr}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn symlinks_leading_outside_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
    let site = SiteTest::fixture("basic");
    let inside = site.path().join("assets/inside.txt");
    std::fs::write(site.path().join("content/people/real.txt"), "inside").unwrap();
    std::os::unix::fs::symlink(site.path().join("content/people/real.txt"), &inside).unwrap();
    let server = site.serve(&[]);
    assert_eq!(
        server.get("/inside.txt").text(),
        "inside",
        "links within the site work"
    );
    let events = server.events();
    // A page replaced at once by a link to outside (as an editor saves: a new file renamed
    // over the old one) is an error, not a page.
    std::fs::write(outside.path().join("secret.md"), "top secret page").unwrap();
    let temp = site.path().join("content/sub/.page.md.swap");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), &temp).unwrap();
    std::fs::rename(&temp, site.path().join("content/sub/page.md")).unwrap();
    let e = events.next_named("build-error");
    let message = e.data["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("content/sub/page.md: error: symlink points outside the site root"),
        "{message}"
    );
    assert!(!server.get("/sub/page/").text().contains("top secret"));
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("assets/secret.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("assets/outside")).unwrap();
    // The rebuild is the build's: each link is an error at its path (the two may come in
    // one rebuild or two), and the last good build stays up.
    let mut message = String::new();
    while !(message.contains("assets/secret.txt: error: symlink points outside the site root")
        && message.contains("assets/outside: error: symlink points outside the site root"))
    {
        let e = events.next_named("build-error");
        message = e.data["message"].as_str().unwrap_or_default().to_string();
    }
    for raw in ["/secret.txt", "/outside/secret.txt"] {
        let r = server.get(raw);
        assert_eq!(r.status, 404, "{raw}");
        assert!(!r.text().contains("top secret"));
    }
    assert_eq!(
        server.get("/inside.txt").text(),
        "inside",
        "last good build"
    );
}

#[test]
fn no_directory_listings() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    assert_eq!(server.get("/img/").status, 404);
    assert_eq!(server.get("/img/icons/").status, 404);
    assert_eq!(server.get("/people/anna.svg").status, 200);
}

#[test]
fn foreign_hosts_and_origins_are_refused() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let port = server.port;
    for host in [
        "evil.example",
        "evil.example:{port}",
        "localhost.evil.example:{port}",
        "127.0.0.1:1",
    ] {
        let host = host.replace("{port}", &port.to_string());
        let r = server.request("/guide/", &[("Host", &host)]);
        assert_eq!(r.status, 403, "Host {host}");
        assert!(r.header("access-control-allow-origin").is_none());
    }
    assert_eq!(
        server
            .request("/guide/", &[("Host", &format!("localhost:{port}"))])
            .status,
        200
    );
    let r = server.request("/__dcrsite/events", &[("Origin", "http://evil.example")]);
    assert_eq!(r.status, 403);
    assert!(r.header("access-control-allow-origin").is_none());
}

/// RFC 9112 §3.2: a request with more than one `Host` is a 400, whichever comes first
/// (a proxy and this server could otherwise read different ones).
#[test]
fn duplicate_host_headers_are_a_bad_request() {
    let site = SiteTest::fixture("basic");
    let server = site.serve(&[]);
    let good = format!("127.0.0.1:{}", server.port);
    for hosts in [
        [good.as_str(), "evil.example"],
        ["evil.example", good.as_str()],
        [good.as_str(), good.as_str()],
    ] {
        let r = server.request("/guide/", &[("Host", hosts[0]), ("Host", hosts[1])]);
        assert_eq!(r.status, 400, "Host {hosts:?}");
        assert!(r.text().contains("Host"), "{}", r.text());
    }
    assert_eq!(server.request("/guide/", &[("Host", &good)]).status, 200);
}

/// The files mkdocs.yml `INHERIT`s (one beside it, as the FastAPI family's
/// mkdocs.env.yml, and one in a subfolder) are configuration too: editing one reloads
/// the site.
#[test]
fn an_inherited_mkdocs_configuration_is_watched() {
    let site = SiteTest::new()
        .file("cfg/base.yml", "site_name: Before\n")
        .file(
            "mkdocs.env.yml",
            "INHERIT: cfg/base.yml\ncopyright: Old words\n",
        )
        .file("mkdocs.yml", "INHERIT: mkdocs.env.yml\n")
        .file("docs/index.md", "# Home\n");
    let root = site.path();
    let server = Server::start(root, &[]);
    let home = server.get("/").text();
    assert!(
        home.contains("<title>Before") && home.contains("Old words"),
        "{home}"
    );
    edit(&root.join("cfg/base.yml"), "Before", "After");
    server.wait_for("/", "reload the inherited configuration", |r| {
        r.text().contains("<title>After")
    });
    edit(&root.join("mkdocs.env.yml"), "Old words", "New words");
    server.wait_for("/", "reload the configuration beside mkdocs.yml", |r| {
        r.text().contains("New words")
    });
}

/// With the cache of an earlier start, the pages it holds are answered before this
/// start's build is done: here the build is held on a file a page includes (a FIFO, which
/// a read waits on until it is written), and `/` is a 200 all the same. A file the
/// early pages lack (the sitemap) waits for the build instead of being a 404; once the
/// build is published, the included page shows the new words.
#[cfg(unix)]
#[test]
fn a_warm_start_answers_before_its_build_is_done() {
    let site = common::changes::includes();
    drop(site.serve(&[]));
    let words = site.path().join("docs_src/words.md");
    std::fs::remove_file(&words).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&words).status();
    assert!(made.unwrap().success(), "mkfifo");
    let server = site.serve(&[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("is here."), "{}", home.text());
    assert!(
        !server.stderr.lock().unwrap().contains("Built"),
        "the build is held"
    );
    let port = server.port;
    let sitemap = std::thread::spawn(move || common::http_request(port, "/sitemap.xml", &[]));
    // Each read of the FIFO waits for a write: the build may read it more than once. A
    // reader gone before the write (EPIPE) must not end the writing, or the build's next
    // read would wait for ever; the writer stops once the site is gone, and is left
    // blocked on the last open when the test ends.
    let fifo = words.clone();
    std::thread::spawn(move || loop {
        match std::fs::write(&fifo, "Piped words.\n") {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(_) => break,
        }
    });
    let sitemap = sitemap.join();
    let stderr = server.stderr.lock().unwrap().clone();
    assert_eq!(sitemap.map(|r| r.status).ok(), Some(200), "{stderr}");
    server.wait_for("/mdx/", "show the piped words", |r| {
        r.text().contains("Piped words.")
    });
}
