//! `dcrsite check --external` against an HTTP server started by the test on 127.0.0.1
//! (never the internet), counting the requests it receives.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;

#[derive(Clone, Default)]
struct Seen {
    /// Every request: method and path.
    log: Arc<Mutex<Vec<(Method, String)>>>,
    busy_once: Arc<AtomicUsize>,
    /// Requests to `/held/…` being answered right now, and the most there ever were.
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
}

impl Seen {
    fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }
    fn requests_to(&self, path: &str) -> Vec<Method> {
        let log = self.log.lock().unwrap();
        log.iter()
            .filter(|(_, p)| p == path)
            .map(|(m, _)| m.clone())
            .collect()
    }
}

async fn record(State(seen): State<Seen>, req: Request, next: Next) -> Response {
    seen.log
        .lock()
        .unwrap()
        .push((req.method().clone(), req.uri().path().to_string()));
    next.run(req).await
}

/// Starts the server on a free port in a background thread; lives as long as the test.
fn server() -> (SocketAddr, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/ok", get(|| async { "fine" }))
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/moved",
            get(|| async { (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/ok")]) }),
        )
        .route(
            "/loop",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop")]) }),
        )
        .route(
            "/busy-once",
            get(|State(seen): State<Seen>| async move {
                if seen.busy_once.fetch_add(1, Ordering::SeqCst) == 0 {
                    (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]).into_response()
                } else {
                    "fine now".into_response()
                }
            }),
        )
        .route(
            "/always-busy",
            get(|| async { (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]) }),
        )
        .route(
            "/no-head",
            get(|| async { "GET works" }).head(|| async { StatusCode::METHOD_NOT_ALLOWED }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                "too late"
            }),
        )
        .route(
            "/held/{n}",
            get(|State(seen): State<Seen>| async move {
                let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(200)).await;
                seen.in_flight.fetch_sub(1, Ordering::SeqCst);
                "held"
            }),
        )
        .route(
            "/anchors",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    r#"<!doctype html><h2 id="here">Here</h2><a name="there"></a>"#,
                )
            }),
        )
        .layer(middleware::from_fn_with_state(seen.clone(), record))
        .with_state(seen.clone());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (addr, seen)
}

/// A port nothing listens on.
fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A site whose page `links.md` links to each of `links`, with short timeouts.
fn site_linking(links: &[String]) -> SiteTest {
    let body: String = links.iter().map(|l| format!("- [x]({l})\n")).collect();
    SiteTest::from_files(&[
        (
            "site.yaml",
            "title: Ext\nbase_url: https://ext.example/\ncheck:\n  timeout: 1\n  retries: 1\n",
        ),
        ("content/_index.md", "# Home\n"),
        ("content/links.md", &format!("# Links\n\n{body}")),
    ])
}

fn check(site: &SiteTest, cache: &std::path::Path) -> (Run, Value) {
    check_with(site, cache, &["--deadline", "60"])
}

/// `check --external --format json` with the cache at `cache`, plus `extra` flags.
fn check_with(site: &SiteTest, cache: &std::path::Path, extra: &[&str]) -> (Run, Value) {
    let mut args = vec![
        "check",
        "--external",
        "--format",
        "json",
        "--cache",
        cache.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = site.run(args);
    let json = run.json();
    (run, json)
}

/// target → reason, for one list of the report.
fn by_target(list: &Value) -> std::collections::BTreeMap<String, String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["kind"], "external");
            assert_eq!(f["source_file"], "content/links.md");
            (
                f["target"].as_str().unwrap().to_string(),
                f["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn statuses_redirects_retries_timeouts_and_dead_ports() {
    let (addr, seen) = server();
    let base = format!("http://{addr}");
    let dead = format!("http://127.0.0.1:{}/x", dead_port());
    let links: Vec<String> = [
        "/ok",
        "/missing",
        "/moved",
        "/loop",
        "/busy-once",
        "/always-busy",
        "/no-head",
        "/slow",
        "/anchors#here",
        "/anchors#there",
        "/anchors#gone",
    ]
    .iter()
    .map(|p| format!("{base}{p}"))
    .chain([dead.clone()])
    .collect();
    let site = site_linking(&links);
    let cache = tempfile::tempdir().unwrap();
    let (run, report) = check(&site, cache.path());
    assert_eq!(run.code, 1, "{report:#}\n{}", run.stderr);

    let broken = by_target(&report["broken"]);
    let unknown = by_target(&report["unknown"]);
    let u = |p: &str| format!("{base}{p}");
    assert_eq!(
        broken.keys().cloned().collect::<Vec<_>>(),
        {
            let mut v = vec![u("/missing"), u("/loop"), u("/anchors#gone"), dead.clone()];
            v.sort();
            v
        },
        "{report:#}"
    );
    assert_eq!(broken[&u("/missing")], "HTTP 404 Not Found");
    assert!(broken[&u("/loop")].contains("redirect"), "{broken:?}");
    assert!(broken[&dead].starts_with("cannot connect"), "{broken:?}");
    assert!(broken[&u("/anchors#gone")].contains("no element with id `gone`"));
    assert_eq!(
        unknown.keys().cloned().collect::<Vec<_>>(),
        [u("/always-busy"), u("/slow")],
        "{report:#}"
    );
    assert!(unknown[&u("/slow")].contains("timed out"));
    assert!(unknown[&u("/always-busy")].contains("429"));
    // Ten distinct URLs: the three fragments of /anchors are one page.
    assert_eq!(report["checked"]["external"], 10);

    // HEAD first, GET when HEAD is refused; the 429 was retried after Retry-After.
    assert_eq!(seen.requests_to("/no-head"), [Method::HEAD, Method::GET]);
    assert_eq!(seen.requests_to("/busy-once"), [Method::HEAD, Method::HEAD]);
    assert_eq!(
        seen.requests_to("/always-busy").len(),
        2,
        "one retry configured"
    );
    // The page whose anchors are needed is fetched once, with GET.
    assert_eq!(seen.requests_to("/anchors"), [Method::GET]);
    // /ok once for itself and once at the end of /moved's redirect.
    assert_eq!(seen.requests_to("/moved"), [Method::HEAD]);
    assert_eq!(seen.requests_to("/ok"), [Method::HEAD, Method::HEAD]);

    // Second run: the decided results come from the cache; undecided ones are retried.
    let before = seen.count();
    let (run2, report2) = check(&site, cache.path());
    assert_eq!(run2.code, 1);
    assert_eq!(report2["broken"], report["broken"]);
    let again: Vec<String> = seen.log.lock().unwrap()[before..]
        .iter()
        .map(|(_, p)| p.clone())
        .collect();
    assert!(
        again.iter().all(|p| p == "/slow" || p == "/always-busy"),
        "only unknowns are asked again: {again:?}"
    );
}

#[test]
fn second_run_makes_no_requests() {
    let (addr, seen) = server();
    let links: Vec<String> = ["/ok", "/missing", "/moved", "/anchors#here", "/no-head"]
        .iter()
        .map(|p| format!("http://{addr}{p}"))
        .collect();
    let site = site_linking(&links);
    let cache = tempfile::tempdir().unwrap();
    let (run, first) = check(&site, cache.path());
    assert_eq!(run.code, 1, "{first:#}");
    let after_first = seen.count();
    assert!(after_first >= 5);
    let (run, second) = check(&site, cache.path());
    assert_eq!(run.code, 1);
    assert_eq!(first, second);
    assert_eq!(
        seen.count(),
        after_first,
        "the second run was served from the cache"
    );

    // Without --external nothing is fetched at all.
    let run = site.run(["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(seen.count(), after_first);
}

#[test]
fn excluded_urls_are_not_fetched() {
    let (addr, seen) = server();
    let site = site_linking(&[format!("http://{addr}/missing")]);
    let exclude = format!("http://{addr}/*");
    let run = site.run(["check", "--external", "--no-cache", "--exclude", &exclude]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(seen.count(), 0);
}

#[test]
fn one_host_gets_at_most_four_requests_at_once() {
    let (addr, seen) = server();
    let links: Vec<String> = (0..16).map(|i| format!("http://{addr}/held/{i}")).collect();
    let site = site_linking(&links);
    let cache = tempfile::tempdir().unwrap();
    let (run, json) = check(&site, cache.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json["checked"]["external"], 16);
    assert_eq!(seen.requests_to("/held/0").len(), 1);
    let max = seen.max_in_flight.load(Ordering::SeqCst);
    assert!((1..=4).contains(&max), "{max} requests to one host at once");
}

#[test]
fn the_external_phase_ends_at_its_deadline() {
    let (addr, _seen) = server();
    let site = site_linking(&[format!("http://{addr}/slow"), format!("http://{addr}/ok")]);
    let cache = tempfile::tempdir().unwrap();
    // Each request may take 30 s, but the whole phase only 1 s: the slow URL is left
    // undecided ("unknown"), never waited for, and the run still exits normally.
    let (run, json) = check_with(&site, cache.path(), &["--timeout", "30", "--deadline", "1"]);
    assert_eq!(
        run.code, 0,
        "unknowns alone do not fail the run: {}",
        run.stderr
    );
    let unknown = by_target(&json["unknown"]);
    let slow = format!("http://{addr}/slow");
    assert!(
        unknown.get(&slow).is_some_and(|r| r.contains("deadline")),
        "{unknown:?}"
    );
    assert!(by_target(&json["broken"]).is_empty());
}

#[test]
fn a_cache_from_another_version_is_ignored_with_one_warning() {
    let (addr, seen) = server();
    let missing = format!("http://{addr}/missing");
    let site = site_linking(std::slice::from_ref(&missing));
    let cache = tempfile::tempdir().unwrap();
    // A cache of another format that calls the broken link fine: not to be believed.
    let foreign =
        format!(r#"{{"version":1,"entries":{{"{missing}":{{"checked":4102444800,"ok":true}}}}}}"#);
    std::fs::write(cache.path().join("external-links.json"), foreign).unwrap();
    let (run, json) = check(&site, cache.path());
    assert_eq!(run.code, 1, "{json:#}");
    assert_eq!(by_target(&json["broken"])[&missing], "HTTP 404 Not Found");
    assert!(seen.count() >= 1, "the link was fetched");
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("external-link cache"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("warning"), "{}", run.stderr);
    // Rewritten in this version's format: the next run reads it without a word.
    let (run, _) = check(&site, cache.path());
    assert!(
        !run.stderr.contains("external-link cache"),
        "{}",
        run.stderr
    );
}

/// Runs git in `dir`; it must succeed.
fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `--changed-since REF` on a temporary git repository: external links are fetched only
/// on lines changed since REF (committed after it, edited, or in files git does not
/// track yet), and every internal link is still checked.
#[test]
fn changed_since_fetches_only_external_links_on_changed_lines() {
    let (addr, seen) = server();
    let old_dead = format!("http://{addr}/missing?old");
    let site = site_linking(&[old_dead.clone(), "nope.md".to_string()]);
    git(site.path(), &["init", "-q"]);
    git(site.path(), &["add", "."]);
    git(site.path(), &["commit", "-q", "-m", "base"]);
    // Nothing changed since HEAD: nothing is fetched, the internal link is still checked.
    let (run, report) = check_with(&site, &site.join(".cache"), &["--changed-since", "HEAD"]);
    run.expect_code(1);
    assert_eq!(seen.count(), 0, "an unchanged line's URL was fetched");
    assert_eq!(report["checked"]["unchanged_external"], 1);
    assert_eq!(report["broken"].as_array().unwrap().len(), 1);
    assert_eq!(report["broken"][0]["target"], "nope.md");
    // One line committed after the base, one edited and uncommitted, one in a new file.
    let committed = format!("http://{addr}/missing?committed");
    let edited = format!("http://{addr}/missing?edited");
    let untracked = format!("http://{addr}/missing?untracked");
    let site = site.append("content/links.md", &format!("- [x]({committed})\n"));
    git(site.path(), &["commit", "-q", "-am", "pr"]);
    let site = site
        .append("content/links.md", &format!("- [x]({edited})\n"))
        .file("content/new.md", format!("# New\n\n[y]({untracked})\n"));

    let (run, report) = check_with(&site, &site.join(".cache"), &["--changed-since", "HEAD~1"]);
    run.expect_code(1);
    let external: Vec<&str> = report["broken"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "external")
        .map(|f| f["target"].as_str().unwrap())
        .collect();
    assert_eq!(external, [&committed, &edited, &untracked], "{report:#}");
    assert_eq!(report["checked"]["unchanged_external"], 1);
    // The internal link on an unchanged line is still checked.
    assert!(report["broken"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["target"] == "nope.md" && f["kind"] == "page"));
    // Since the last commit, only the working tree's changes count.
    let (_, report) = check_with(
        &site,
        &site.join(".cache"),
        &["--changed-since", "HEAD", "--no-cache"],
    );
    assert_eq!(report["checked"]["unchanged_external"], 2);

    // A revision git does not know cannot run.
    site.run(["check", "--changed-since", "no-such-rev"])
        .expect_code(2)
        .expect_stderr_contains("--changed-since `no-such-rev`");
}
