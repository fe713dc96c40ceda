//! Helpers for integration tests: fixture sites in temporary folders and the real binary.
#![allow(dead_code)]

pub mod browser;
pub mod changes;
pub mod html;
pub mod site;

pub use html::{Doc, Within};
pub use site::{Built, SiteTest};

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, or `None` (with a message) when it is absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared is not present beside the repository");
        None
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The exit code is `code` (the output is shown when it is not).
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn expect_success(&self) -> &Run {
        self.expect_code(0)
    }

    pub fn expect_stderr_contains(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "stderr lacks `{text}`:\n{}",
            self.stderr
        );
        self
    }

    pub fn expect_stdout_contains(&self, text: &str) -> &Run {
        assert!(
            self.stdout.contains(text),
            "stdout lacks `{text}`:\n{}",
            self.stdout
        );
        self
    }

    /// stdout parsed as JSON (`--format json`).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

/// `--no-cache` when a command's arguments name a folder in `../shared`: those corpora
/// belong to others and are read only, and the build cache (and check's link cache)
/// would otherwise be written into the site folder.
fn keep_shared_unwritten(args: &[&str]) -> Option<&'static str> {
    let shared = std::fs::canonicalize(repo_root().join("../shared")).ok()?;
    let names_shared = args.iter().any(|arg| {
        let path = Path::new(arg);
        path.components().count() > 1
            && std::fs::canonicalize(path).is_ok_and(|real| real.starts_with(&shared))
    });
    let caches = matches!(args.first(), Some(&"build" | &"serve" | &"check"));
    (names_shared && caches && !args.contains(&"--no-cache")).then_some("--no-cache")
}

/// Runs the real `dcrsite` binary and checks it did not panic.
pub fn dcrsite(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dcrsite"))
        .args(args)
        .args(keep_shared_unwritten(args))
        .env("NO_COLOR", "1")
        .output()
        .expect("run dcrsite");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "dcrsite panicked:\n{}",
        run.stderr
    );
    run
}

/// Like `dcrsite`, but gives up after `limit`: the process is killed and `None` returned,
/// so an input that hangs fails its test instead of hanging the suite.
pub fn dcrsite_within(args: &[&str], limit: std::time::Duration) -> Option<Run> {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dcrsite"))
        .args(args)
        .args(keep_shared_unwritten(args))
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run dcrsite");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for dcrsite") {
            break Some(status);
        }
        if std::time::Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let run = Run {
        code: status?.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "dcrsite panicked:\n{}",
        run.stderr
    );
    Some(run)
}

/// Replaces the first `from` in the file at `path` with `to`; `from` must be there.
/// Runs `git ARGS` in `root` as a fixed author with both dates set to `date`; false when
/// it fails or git is not installed.
pub fn git_at(root: &Path, args: &[&str], date: &str) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The `basic` fixture as one git commit dated 2024-01-01 (page dates come from git);
/// `None`, said on stderr, when git is not installed.
pub fn committed_basic_site() -> Option<SiteTest> {
    let site = SiteTest::fixture("basic");
    let date = "2024-01-01T00:00:00Z";
    if !git_at(site.path(), &["init", "-q"], date) {
        eprintln!("skipped: git is not installed");
        return None;
    }
    assert!(git_at(site.path(), &["add", "."], date));
    assert!(git_at(site.path(), &["commit", "-qm", "a"], date));
    Some(site)
}

pub fn edit_file(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A test tool installed by `.ci/run` (under `tools/node_modules`). Absent locally, the
/// test skips with a message; under CI (`CI` set) its absence is a failure, so a broken
/// install can never turn the suite green by skipping.
pub fn tool(relative: &str) -> Option<PathBuf> {
    let path = repo_root().join("tools/node_modules").join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing: .ci/run must install it (npm ci --prefix tools)",
            path.display()
        );
    }
    eprintln!(
        "skipping: {} is not installed (run `npm ci --prefix tools`)",
        path.display()
    );
    None
}

/// A running `dcrsite serve` on a free port of 127.0.0.1, killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
    pub stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// Starts `dcrsite serve --root SITE --port 0` plus `extra` and waits (bounded) for
    /// its `Serving on http://127.0.0.1:PORT/` line.
    pub fn start(site: &Path, extra: &[&str]) -> Server {
        use std::io::{BufRead, Read};
        let mut child = Command::new(env!("CARGO_BIN_EXE_dcrsite"))
            .args(["serve", "--root", site.to_str().unwrap(), "--port", "0"])
            .args(extra)
            .args(keep_shared_unwritten(&["serve", site.to_str().unwrap()]))
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start dcrsite serve");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| {
                panic!("no `Serving on` line; stderr:\n{}", stderr.lock().unwrap())
            });
        let port = line
            .strip_prefix("Serving on http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|addr| addr.rsplit_once(':'))
            .and_then(|(_, p)| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Server {
            child,
            port,
            stderr,
        }
    }

    /// `GET raw` with the raw request target sent as written.
    pub fn get(&self, raw: &str) -> Response {
        self.request(raw, &[])
    }

    pub fn request(&self, raw: &str, headers: &[(&str, &str)]) -> Response {
        http_request(self.port, raw, headers)
    }

    /// Polls `raw` until `pred` holds, for at most 20 s.
    pub fn wait_for(&self, raw: &str, what: &str, pred: impl Fn(&Response) -> bool) -> Response {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let r = self.get(raw);
            if pred(&r) {
                return r;
            }
            if std::time::Instant::now() > deadline {
                panic!(
                    "timed out waiting for {raw} to {what}; last status {} body:\n{}\nstderr:\n{}",
                    r.status,
                    r.text(),
                    self.stderr.lock().unwrap()
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Subscribes to the reload events.
    pub fn events(&self) -> Events {
        Events::connect(self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        assert!(
            std::thread::panicking() || !self.stderr.lock().unwrap().contains("panicked"),
            "dcrsite panicked:\n{}",
            self.stderr.lock().unwrap()
        );
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 client, so tests control the request target byte for byte (URL
/// libraries normalise `..` and `%2e` away before sending).
pub fn http_request(port: u16, raw: &str, headers: &[(&str, &str)]) -> Response {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let mut req = format!("GET {raw} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    // Read until the body is complete: some servers (Chromium's DevTools) keep the
    // connection open despite `Connection: close`.
    let mut data = Vec::new();
    let mut buf = [0u8; 16384];
    let split = loop {
        if let Some(split) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..split]).to_ascii_lowercase();
            let length = head
                .split("\r\n")
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if let Some(length) = length {
                while data.len() < split + 4 + length {
                    let n = stream.read(&mut buf).expect("read response");
                    if n == 0 {
                        break;
                    }
                    data.extend_from_slice(&buf[..n]);
                }
                break split;
            }
        }
        let n = stream.read(&mut buf).expect("read response");
        if n == 0 {
            break data
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("response head");
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = data[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 4 + size..];
    }
    out
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: serde_json::Value,
}

/// The reload event stream, read on a thread.
pub struct Events {
    rx: std::sync::mpsc::Receiver<Event>,
}

impl Events {
    fn connect(port: u16) -> Events {
        use std::io::{BufRead, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            stream,
            "GET /__dcrsite/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let reader = std::io::BufReader::new(stream);
            let (mut name, mut data) = (String::new(), String::new());
            for line in reader.lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("event:") {
                    name = n.trim().to_string();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data.push_str(d.trim_start());
                } else if line.is_empty() && !name.is_empty() {
                    let value = serde_json::from_str(&data).unwrap_or(serde_json::Value::Null);
                    let event = Event {
                        name: std::mem::take(&mut name),
                        data: value,
                    };
                    data.clear();
                    if tx.send(event).is_err() {
                        break;
                    }
                }
            }
        });
        let events = Events { rx };
        events.next_named("hello");
        events
    }

    /// The next event called `name` (others are skipped), waiting at most 20 s.
    pub fn next_named(&self, name: &str) -> Event {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(e) if e.name == name => return e,
                Ok(_) => {}
                Err(_) => panic!("no `{name}` event within 20 s"),
            }
        }
    }

    /// The next event of any name.
    pub fn next(&self) -> Event {
        self.rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("an event within 20 s")
    }
}
