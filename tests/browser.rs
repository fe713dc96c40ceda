//! Live reload in a real browser: headless Chromium, driven over the DevTools protocol,
//! opens a served page; the test edits the Markdown (and then the CSS) and the browser
//! shows the change without the test reloading anything.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn chromium() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
            .find(|p| p.is_file())
    })
}

struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>,
    next_id: u64,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn launch(exe: &PathBuf) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let browser_ws = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("chromium printed its DevTools address");
        let port: u16 = browser_ws
            .strip_prefix("ws://127.0.0.1:")
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .expect("DevTools port");
        let deadline = Instant::now() + Duration::from_secs(30);
        let page_ws = loop {
            let list = common::http_request(port, "/json/list", &[]);
            let targets: Value = serde_json::from_slice(&list.body).unwrap_or(Value::Null);
            let page = targets.as_array().and_then(|t| {
                t.iter()
                    .find(|t| t["type"] == "page")
                    .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(String::from))
            });
            if let Some(ws) = page {
                break ws;
            }
            assert!(Instant::now() < deadline, "no page target: {}", list.text());
            std::thread::sleep(Duration::from_millis(50));
        };
        let (socket, _) = tungstenite::connect(page_ws.as_str()).expect("connect to the page");
        Browser {
            child,
            _profile: profile,
            socket,
            next_id: 0,
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({"id": id, "method": method, "params": params});
        self.socket
            .send(tungstenite::Message::text(msg.to_string()))
            .unwrap();
        loop {
            let msg = self.socket.read().expect("DevTools message");
            let Ok(text) = msg.to_text() else { continue };
            let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        r["result"]["value"].clone()
    }

    /// Polls `expression` until it is `true`, for at most 30 s.
    fn wait_true(&mut self, expression: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.eval(expression) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "timed out waiting until {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn edits_show_in_the_browser_without_reloading_by_hand() {
    let Some(exe) = chromium() else {
        eprintln!("skipping: chromium is not installed (CI installs it: apt-get install chromium)");
        return;
    };
    let site = common::fixture("basic");
    let server = common::Server::start(site.path(), &[]);
    let mut browser = Browser::launch(&exe);
    browser.call("Page.enable", json!({}));
    let url = format!("http://127.0.0.1:{}/guide/", server.port);
    browser.call("Page.navigate", json!({ "url": url }));
    browser.wait_true(
        "document.body !== null && document.body.innerText.includes('Set things up.')",
        "the page shows",
    );
    browser.wait_true(
        "document.documentElement.dataset.dcrsiteLive === '1'",
        "live reload connects",
    );

    // A Markdown edit: the page reloads itself and shows the new words.
    let page = site.path().join("content/guide.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replacen("Set things up.", "Edited while the browser watched.", 1),
    )
    .unwrap();
    browser.wait_true(
        "document.body.innerText.includes('Edited while the browser watched.')",
        "the edit shows",
    );

    // A CSS edit: the stylesheet is swapped in place, the page is not reloaded.
    browser.wait_true(
        "document.documentElement.dataset.dcrsiteLive === '1'",
        "live reload reconnects after the reload",
    );
    assert_eq!(
        browser.eval("window.__kept = 'same page'; window.__kept"),
        "same page"
    );
    let css = site.path().join("themes/decred/static/css/decred.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n:root { --dcrsite-test: swapped; }\n");
    std::fs::write(&css, text).unwrap();
    browser.wait_true(
        "getComputedStyle(document.documentElement).getPropertyValue('--dcrsite-test').trim() === 'swapped'",
        "the new stylesheet applies",
    );
    assert_eq!(
        browser.eval("window.__kept"),
        "same page",
        "a CSS change must not reload the page"
    );

    // A broken page shows the overlay over the last good build.
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("---\nicon: NoSuchIcon\n---\n{text}")).unwrap();
    browser.wait_true(
        "(document.getElementById('dcrsite-error') || {}).textContent?.includes('content/guide.md') === true",
        "the error overlay shows",
    );
    assert!(browser
        .eval("document.body.innerText.includes('Edited while the browser watched.')")
        .as_bool()
        .unwrap());
    std::fs::write(&page, text).unwrap();
    browser.wait_true(
        "document.getElementById('dcrsite-error') === null",
        "the overlay clears",
    );

    // A reload after an edit keeps the reader where they were on the page.
    let text = std::fs::read_to_string(&page).unwrap();
    let filler: String = (0..150)
        .map(|i| format!("Filler paragraph {i}.\n\n"))
        .collect();
    std::fs::write(&page, format!("{text}\n{filler}Tail marker one.\n")).unwrap();
    browser.wait_true(
        "document.body.innerText.includes('Tail marker one.') && document.documentElement.dataset.dcrsiteLive === '1'",
        "the long page shows",
    );
    browser.eval("window.scrollTo(0, 1500); window.scrollY");
    browser.wait_true("window.scrollY === 1500", "the page scrolls");
    browser.eval("window.__before_reload = true");
    let long = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        long.replacen("Tail marker one.", "Tail marker two.", 1),
    )
    .unwrap();
    browser.wait_true(
        "document.body.innerText.includes('Tail marker two.')",
        "the second edit shows",
    );
    assert_eq!(
        browser.eval("window.__before_reload === undefined"),
        true,
        "the page was reloaded (so the scroll position had to be restored)"
    );
    browser.wait_true(
        "Math.abs(window.scrollY - 1500) <= 2",
        "the scroll position is restored after the reload",
    );
}
