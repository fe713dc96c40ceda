//! Headless Chromium driven over the DevTools protocol (for tests/browser.rs and
//! tests/mkdocs.rs).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub fn chromium() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
            .find(|p| p.is_file())
    })
}

pub struct Browser {
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
    pub fn launch(exe: &PathBuf) -> Browser {
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
                // Tests never reach the internet: any host but this machine fails at
                // once (a page's `@import` of a web font would otherwise hold up its
                // scripts until the lookup times out).
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
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
            let list = super::http_request(port, "/json/list", &[]);
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

    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let result = self.try_call(method, params);
        result.unwrap_or_else(|error| panic!("{method}: {error}"))
    }

    /// `call`, with the DevTools error when the browser answers with one.
    fn try_call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
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
                return match v.get("error") {
                    Some(_) => Err(v),
                    None => Ok(v["result"].clone()),
                };
            }
        }
    }

    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        r["result"]["value"].clone()
    }

    /// Polls `expression` until it is `true`, for at most 30 s. A poll that meets the
    /// page reloading (the live reload it waits for) counts as not yet true.
    pub fn wait_true(&mut self, expression: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.poll(expression) != Some(Value::Bool(true)) {
            assert!(Instant::now() < deadline, "timed out waiting until {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `eval`, or `None` when the page navigated away under the evaluation.
    fn poll(&mut self, expression: &str) -> Option<Value> {
        let params = json!({"expression": expression, "returnByValue": true});
        match self.try_call("Runtime.evaluate", params) {
            Ok(r) => Some(r["result"]["value"].clone()),
            Err(error) if reloading(&error) => None,
            Err(error) => panic!("Runtime.evaluate: {error}"),
        }
    }
}

/// Whether a DevTools error says the page navigated (reloaded) while it was asked
/// something: its document, and the context the question ran in, are gone.
fn reloading(error: &Value) -> bool {
    let message = error["error"]["message"].as_str().unwrap_or_default();
    [
        "Inspected target navigated or closed",
        "Execution context was destroyed",
        "Cannot find context with specified id",
    ]
    .iter()
    .any(|m| message.contains(m))
}
