//! Save-to-reload-event latency of `dcrsite serve` (a benchmark, not a test).
//!
//! `serve_latency DCRSITE_BIN SITE_DIR PAGE [EDITS]`: starts `DCRSITE_BIN serve` on SITE_DIR,
//! listens to its reload events like a browser, then edits the body of PAGE (relative to
//! SITE_DIR) EDITS times (default 50) and measures from the write to the `reload` event
//! naming the page. Prints the median and p95. Saves are `SAVE_GAP_MS` apart (default
//! 2,100: a person's saves; 60: a program rewriting the file, which serve lets settle
//! 250 ms). Run through `benches/serve_latency.sh`.
//!
//! `serve_latency start DCRSITE_BIN SITE_DIR [RUNS]`: warm start: starts `serve` once to
//! fill its cache, then RUNS times (default 5) measures from starting the process to the
//! first `200` for `/`. Prints the median, min and max.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Starts `bin serve` on `site` on `port` (0: a free one); returns the process and the
/// port.
fn start_serve(bin: &str, site: &std::path::Path, port: u16) -> (std::process::Child, u16) {
    let mut child = Command::new(bin)
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dcrsite serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("Serving on line");
    let port: u16 = line
        .trim()
        .trim_start_matches("Serving on http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .expect("port");
    (child, port)
}

/// Whether `GET /` answers 200 now.
fn home_is_served(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let request = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut status = String::new();
    let _ = BufReader::new(stream).read_line(&mut status);
    status.starts_with("HTTP/1.1 200")
}

/// Time from starting `serve` (its cache warm) to the first 200 for `/`.
fn warm_start(bin: &str, site: &std::path::Path, runs: usize) {
    // One port for every start: the pages' URLs name it, so a new port each time would
    // make every start a cold one.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut times = Vec::new();
    for run in 0..=runs {
        let started = Instant::now();
        let (mut child, port) = start_serve(bin, site, port);
        while !home_is_served(port) {
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "no 200 within 300 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        // The first run fills the cache (and waits for it to be written).
        if run == 0 {
            std::thread::sleep(Duration::from_secs(5));
        } else {
            times.push(started.elapsed());
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{}: warm start to the first 200, {} runs: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        site.display(),
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 4 && args[1] == "start" {
        let runs = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(5);
        return warm_start(&args[2], std::path::Path::new(&args[3]), runs);
    }
    if args.len() < 4 {
        eprintln!("usage: serve_latency DCRSITE_BIN SITE_DIR PAGE [EDITS]");
        std::process::exit(2);
    }
    let (bin, site, page) = (&args[1], PathBuf::from(&args[2]), &args[3]);
    let edits: usize = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(50);
    let page_path = site.join(page);
    let original = std::fs::read_to_string(&page_path).expect("read the page");

    let (mut child, port) = start_serve(bin, &site, 0);

    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /__dcrsite/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel::<(String, String, Instant)>();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("event:") {
                name = n.trim().to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                if tx
                    .send((name.clone(), d.to_string(), Instant::now()))
                    .is_err()
                {
                    break;
                }
            }
        }
    });
    let (name, _, _) = rx.recv_timeout(Duration::from_secs(60)).expect("hello");
    assert_eq!(name, "hello");

    // The page's output path, as events name it.
    let rel = page.trim_start_matches("content/").trim_end_matches(".md");
    let rel = rel
        .strip_suffix("/_index")
        .or_else(|| rel.strip_suffix("/index"))
        .unwrap_or(rel);
    let out = if rel == "_index" || rel == "index" {
        "index.html".to_string()
    } else {
        format!("{rel}/index.html")
    };
    let mut times = Vec::new();
    for i in 0..edits {
        let text = format!("{original}\n\nLatency probe paragraph {i}.\n");
        let started = Instant::now();
        std::fs::write(&page_path, text).expect("write");
        let deadline = started + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (name, data, at) = rx.recv_timeout(left).expect("a reload event within 30 s");
            if name == "reload" && data.contains(&format!("\"{out}\"")) {
                times.push(at.duration_since(started));
                break;
            }
        }
        // The next save comes as a person's does: later than serve's 2 s window in which
        // a file rewritten in place again counts as a program's stream of writes and must
        // be still for 250 ms (`serve/burst.rs`). SAVE_GAP_MS=60 measures that case.
        std::thread::sleep(save_gap());
    }
    std::fs::write(&page_path, original).expect("restore");
    let _ = child.kill();
    let _ = child.wait();

    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    let p95 = ms(times[((times.len() * 95).div_ceil(100)).saturating_sub(1)]);
    println!(
        "{}: {} edits of {page}: median {median:.1} ms, p95 {p95:.1} ms, min {:.1} ms, max {:.1} ms",
        site.display(),
        times.len(),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

/// Time from the reload event to the next save: `SAVE_GAP_MS`, default 2,100 ms.
fn save_gap() -> Duration {
    let ms = std::env::var("SAVE_GAP_MS")
        .ok()
        .and_then(|v| v.parse().ok());
    Duration::from_millis(ms.unwrap_or(2_100))
}
