//! `dcrsite serve` under stress: 200 saves in quick bursts (atomic saves, in-place saves
//! of a page nobody fetches, a page deleted and re-created, invalid YAML in between) while
//! another thread fetches pages in a loop. The server must never answer 5xx, never serve a
//! half-written or mixed page, never go back to an older version, and end serving the
//! final state.

use crate::common;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::SiteTest;

/// Saves in all (each a write of a whole file).
const SAVES: usize = 200;
/// The saves of the last burst, all valid.
const FINAL_BURST: usize = 6;
/// Every fetch loop and wait is bounded by this.
const DEADLINE: Duration = Duration::from_secs(60);

/// The versions written so far, by marker kind.
#[derive(Default)]
struct Written {
    /// Valid versions of `stress.md` (marker numbers).
    stress: BTreeSet<u32>,
    /// Valid versions of `flicker.md`.
    flicker: BTreeSet<u32>,
    /// Versions of `stress.md` with broken front matter: never to be served.
    broken: BTreeSet<u32>,
}

fn marker(kind: &str, n: u32) -> String {
    format!("{kind}_{n:05}_MARK")
}

/// Every `KIND_nnnnn_MARK` in `text`, as numbers.
fn markers(text: &str, kind: &str) -> Vec<u32> {
    let prefix = format!("{kind}_");
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&prefix) {
        rest = &rest[i + prefix.len()..];
        let digits = rest
            .get(..5)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
        if let (Some(d), true) = (digits, rest[5.min(rest.len())..].starts_with("_MARK")) {
            found.push(d.parse().unwrap());
        }
    }
    found
}

fn stress_page(n: u32) -> String {
    let m = marker("STRESS", n);
    format!(
        "---\ntitle: Stress {m}\nweight: 5\n---\nThe body of {m}.\n\n## Section\n\n{}\n",
        "Filler text to make the page longer than one write. ".repeat(200)
    )
}

fn broken_page(n: u32) -> String {
    let m = marker("BROKEN", n);
    format!("---\ntitle: [unclosed {m}\nweight: 5\n---\nThe body of {m}.\n")
}

fn flicker_page(n: u32) -> String {
    let m = marker("FLICKER", n);
    format!("---\ntitle: Flicker {m}\n---\nFlicker body {m}.\n")
}

/// Saves the way most editors do: write a temporary file, rename it over the target.
fn save_atomically(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// A small deterministic generator for burst sizes and pauses.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// What the fetcher saw.
#[derive(Default)]
struct Seen {
    fetches: usize,
    stress_versions: BTreeSet<u32>,
    flicker_absent: usize,
    overlays: usize,
    problems: Vec<String>,
}

fn check_response(
    url: &str,
    r: &common::Response,
    written: &Mutex<Written>,
    last: &mut HashMap<&'static str, u32>,
    seen: &mut Seen,
) {
    if r.status >= 500 {
        seen.problems
            .push(format!("{url}: status {} body {}", r.status, r.text()));
        return;
    }
    let html = r
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html"));
    if !html {
        if r.status == 200 {
            seen.problems.push(format!("{url}: 200 without HTML type"));
        }
        return;
    }
    let text = r.text();
    // Complete documents only: the whole template, the reload script injected once.
    let complete = text.starts_with("<!doctype html>")
        && text.trim_end().ends_with("</html>")
        && text.matches("/__dcrsite/events").count() == 1;
    if !complete {
        seen.problems.push(format!(
            "{url}: status {} incomplete document: {:?} … {:?}",
            r.status,
            &text[..text.len().min(80)],
            &text[text.len().saturating_sub(80)..]
        ));
        return;
    }
    // The error overlay quotes the broken file: look at the page without it.
    let text = match text.split_once("<pre id=\"dcrsite-error\"") {
        Some((before, after)) => {
            seen.overlays += 1;
            let rest = after.split_once("</pre>").map(|(_, r)| r).unwrap_or("");
            format!("{before}{rest}")
        }
        None => text,
    };
    if r.status != 200 {
        if url == "/flicker/" && r.status == 404 {
            seen.flicker_absent += 1;
        } else if r.status != 404 || url != "/no-such-page/" {
            seen.problems.push(format!("{url}: status {}", r.status));
        }
        return;
    }
    if !markers(&text, "BROKEN").is_empty() {
        seen.problems.push(format!(
            "{url}: a version with broken front matter is served"
        ));
    }
    let written = written.lock().unwrap();
    for (kind, valid) in [("STRESS", &written.stress), ("FLICKER", &written.flicker)] {
        let found: BTreeSet<u32> = markers(&text, kind).into_iter().collect();
        if let Some(bad) = found.iter().find(|n| !valid.contains(n)) {
            seen.problems
                .push(format!("{url}: {kind} version {bad} was never written"));
        }
        let own_page =
            (kind == "STRESS" && url == "/stress/") || (kind == "FLICKER" && url == "/flicker/");
        if own_page {
            // Title, heading, navigation and body come from one version of the file.
            if found.len() != 1 {
                seen.problems
                    .push(format!("{url}: {kind} versions {found:?} on one page"));
                continue;
            }
            let n = *found.iter().next().unwrap();
            if kind == "STRESS" {
                seen.stress_versions.insert(n);
            }
            // Rebuilds read the disk later each time and publish in order: no going back.
            let key = if kind == "STRESS" {
                "stress"
            } else {
                "flicker"
            };
            if let Some(&prev) = last.get(key) {
                if n < prev {
                    seen.problems.push(format!(
                        "{url}: {kind} version {n} served after version {prev}"
                    ));
                }
            }
            last.insert(key, n);
        }
    }
}

#[test]
fn saves_in_bursts_while_fetching() {
    let site = SiteTest::fixture("basic");
    let mut saver = Saver::new(&site.path().join("content"));
    let server = site.serve(&[]);
    let stop = Arc::new(AtomicBool::new(false));
    let fetches = Arc::new(AtomicUsize::new(0));
    let fetcher = start_fetcher(server.port, &saver.written, &stop, &fetches);
    // Start saving once the fetcher is under way.
    let deadline = Instant::now() + DEADLINE;
    while fetches.load(Ordering::SeqCst) < 10 {
        assert!(
            Instant::now() < deadline,
            "the fetcher does not get answers"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // Random bursts, then one last burst from a good state, so that the last rebuild
    // is an incremental one (after an error the whole Output is replaced).
    saver.random_bursts(&mut Lcg(0x5eed));
    let good = marker("STRESS", saver.stress_n);
    server.wait_for("/stress/", "recover from the errors", |r| {
        r.status == 200 && r.text().contains(&good) && !r.text().contains("id=\"dcrsite-error\"")
    });
    saver.final_burst();
    assert!(saver.saves >= SAVES && saver.deletes > 0 && saver.broken_n > 0);
    let (final_stress, final_flicker) = (
        marker("STRESS", saver.stress_n),
        marker("FLICKER", saver.flicker_n),
    );
    for (url, what, last) in [
        ("/stress/", "show the last save", &final_stress),
        ("/flicker/", "show the last re-creation", &final_flicker),
    ] {
        server.wait_for(url, what, |r| {
            r.status == 200 && r.text().contains(last) && !r.text().contains("id=\"dcrsite-error\"")
        });
    }
    stop.store(true, Ordering::SeqCst);
    let seen = fetcher.join().expect("the fetcher thread");
    // After the fetcher stopped: the final state holds, everywhere.
    for url in ["/", "/guide/"] {
        let r = server.get(url);
        assert_eq!(r.status, 200, "{url}");
        assert!(
            r.text().contains(&final_stress) && !r.text().contains("id=\"dcrsite-error\""),
            "{url} does not show the final state"
        );
    }
    assert!(
        seen.problems.is_empty(),
        "{} problems in {} fetches, first ones:\n{}\nstderr:\n{}",
        seen.problems.len(),
        seen.fetches,
        seen.problems[..seen.problems.len().min(10)].join("\n"),
        server.stderr.lock().unwrap()
    );
    eprintln!(
        "{} saves ({} deletes, {} broken), {} fetches, {} versions of the page seen, {} overlays, flicker absent {} times",
        saver.saves,
        saver.deletes,
        saver.broken_n,
        seen.fetches,
        seen.stress_versions.len(),
        seen.overlays,
        seen.flicker_absent
    );
    assert!(
        seen.stress_versions.contains(&0),
        "the fetcher ran before the saves"
    );
}

/// Fetches the pages in a loop until `stop` (or twice the deadline), checking each
/// answer against the versions `written` so far; counts its fetches in `fetches`.
fn start_fetcher(
    port: u16,
    written: &Arc<Mutex<Written>>,
    stop: &Arc<AtomicBool>,
    fetches: &Arc<AtomicUsize>,
) -> std::thread::JoinHandle<Seen> {
    let (written, stop, fetches) = (written.clone(), stop.clone(), fetches.clone());
    std::thread::spawn(move || {
        let urls = ["/stress/", "/flicker/", "/", "/guide/", "/no-such-page/"];
        let mut seen = Seen::default();
        let mut last = HashMap::new();
        let deadline = Instant::now() + DEADLINE * 2;
        while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
            for url in urls {
                let r = common::http_request(port, url, &[]);
                check_response(url, &r, &written, &mut last, &mut seen);
                seen.fetches += 1;
                fetches.fetch_add(1, Ordering::SeqCst);
            }
        }
        seen
    })
}

/// The pages the test saves, and the versions of them it wrote.
struct Saver {
    stress: PathBuf,
    flicker: PathBuf,
    scratch: PathBuf,
    /// Shared with the fetcher, which checks what it is served against it.
    written: Arc<Mutex<Written>>,
    stress_n: u32,
    flicker_n: u32,
    broken_n: u32,
    saves: usize,
    deletes: usize,
    /// The last save of `stress.md` was a broken one.
    broken_now: bool,
}

impl Saver {
    /// Writes version 0 of each page into `content`.
    fn new(content: &Path) -> Saver {
        let saver = Saver {
            stress: content.join("stress.md"),
            flicker: content.join("flicker.md"),
            scratch: content.join("scratch.md"),
            written: Arc::default(),
            stress_n: 0,
            flicker_n: 0,
            broken_n: 0,
            saves: 0,
            deletes: 0,
            broken_now: false,
        };
        {
            let mut w = saver.written.lock().unwrap();
            w.stress.insert(0);
            w.flicker.insert(0);
        }
        std::fs::write(&saver.stress, stress_page(0)).unwrap();
        std::fs::write(&saver.flicker, flicker_page(0)).unwrap();
        std::fs::write(&saver.scratch, "---\ntitle: Scratch\n---\nScratch 0.\n").unwrap();
        saver
    }

    /// Bursts of 1 to 8 saves of random kinds, with pauses of up to 60 ms, until all but
    /// the final burst's saves are made; then `stress.md` repaired if the last save broke it.
    fn random_bursts(&mut self, rng: &mut Lcg) {
        while self.saves < SAVES - FINAL_BURST {
            let burst = 1 + rng.next(8);
            for _ in 0..burst {
                if self.saves == SAVES - FINAL_BURST {
                    break;
                }
                match rng.next(10) {
                    // Invalid YAML, saved over the page; a later save repairs it.
                    0 => self.break_stress(),
                    // Delete the other page and create it again, with a new version.
                    1 => {
                        let pause = (rng.next(2) == 0).then(|| rng.next(30));
                        self.recreate_flicker(pause.map(Duration::from_millis));
                    }
                    // An in-place save (truncate, then write) of a page nobody checks.
                    2 => self.save_scratch(),
                    _ => self.save_stress(),
                }
            }
            std::thread::sleep(Duration::from_millis(rng.next(60)));
        }
        if self.broken_now {
            self.save_stress();
        }
    }

    /// The last saves, all valid, one of them a re-creation of `flicker.md`.
    fn final_burst(&mut self) {
        for i in 0..FINAL_BURST {
            if i == 2 {
                self.recreate_flicker(None);
            } else {
                self.save_stress();
            }
        }
    }

    fn save_stress(&mut self) {
        self.stress_n += 1;
        self.written.lock().unwrap().stress.insert(self.stress_n);
        save_atomically(&self.stress, &stress_page(self.stress_n));
        self.broken_now = false;
        self.saves += 1;
    }

    fn break_stress(&mut self) {
        self.broken_n += 1;
        self.written.lock().unwrap().broken.insert(self.broken_n);
        save_atomically(&self.stress, &broken_page(self.broken_n));
        self.broken_now = true;
        self.saves += 1;
    }

    /// Deletes `flicker.md`, waits `pause`, and saves a new version of it.
    fn recreate_flicker(&mut self, pause: Option<Duration>) {
        std::fs::remove_file(&self.flicker).unwrap();
        self.deletes += 1;
        if let Some(pause) = pause {
            std::thread::sleep(pause);
        }
        self.flicker_n += 1;
        self.written.lock().unwrap().flicker.insert(self.flicker_n);
        save_atomically(&self.flicker, &flicker_page(self.flicker_n));
        self.saves += 1;
    }

    fn save_scratch(&mut self) {
        let text = format!("---\ntitle: Scratch\n---\n{}\n", self.saves);
        std::fs::write(&self.scratch, text).unwrap();
        self.saves += 1;
    }
}

#[test]
fn markers_are_found_exactly() {
    let text = format!(
        "{} x STRESS_12_MARK {} STRESS_00003_MAR",
        marker("STRESS", 7),
        marker("STRESS", 12345)
    );
    assert_eq!(markers(&text, "STRESS"), [7, 12345]);
    assert!(markers(&text, "FLICKER").is_empty());
}

/// One version of the page rewritten in place: its body opens with `BEGIN` and closes
/// with `END` of the same number, so a page read half-written lacks its `END`.
fn in_place_page(n: u32) -> (String, String) {
    let head = format!(
        "---\ntitle: In place\n---\n{} {}\n\n",
        marker("BEGIN", n),
        "Generated text, written in pieces. ".repeat(300)
    );
    let tail = format!(
        "{}\n\n{}\n",
        "More generated text. ".repeat(300),
        marker("END", n)
    );
    (head, tail)
}

/// Code generators, `git checkout` and rsync rewrite files in place: truncate, then
/// write in pieces. A rebuild that reads such a file mid-write must not be published;
/// the page served is always a whole version.
#[test]
fn in_place_saves_never_publish_a_half_written_page() {
    use std::io::Write;
    // On a memory file system where there is one: on a disk busy writing, a truncation
    // can stay hidden for seconds (the file shows empty with no event, no new change
    // time and no open file yet), which no watcher can tell from a saved empty file
    // (README, serve). What is tested here is everything a watcher can see.
    let shm = Path::new("/dev/shm");
    let site = if shm.is_dir() {
        SiteTest::fixture_in("basic", shm)
    } else {
        SiteTest::fixture("basic")
    };
    let page = site.path().join("content/inplace.md");
    let (head, tail) = in_place_page(0);
    std::fs::write(&page, format!("{head}{tail}")).unwrap();
    let server = site.serve(&[]);
    let port = server.port;
    let stop = Arc::new(AtomicBool::new(false));
    let fetcher = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut problems = Vec::new();
            let mut fetches = 0;
            let deadline = Instant::now() + DEADLINE;
            while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                let r = common::http_request(port, "/inplace/", &[]);
                fetches += 1;
                let text = r.text();
                let begins = markers(&text, "BEGIN");
                let ends = markers(&text, "END");
                if r.status != 200 || begins.len() != 1 || begins != ends {
                    problems.push(format!(
                        "fetch {fetches}: status {}, BEGIN {begins:?}, END {ends:?}, error overlay: {}",
                        r.status,
                        text.contains("id=\"dcrsite-error\"")
                    ));
                }
            }
            (fetches, problems)
        })
    };
    // A steady stream of in-place saves, longer than a burst is collected for, so that
    // rebuilds start while a save is half done.
    let mut last = 0;
    let until = Instant::now() + Duration::from_millis(2500);
    while Instant::now() < until {
        last += 1;
        let (head, tail) = in_place_page(last);
        let mut file = std::fs::File::create(&page).unwrap();
        file.write_all(head.as_bytes()).unwrap();
        file.flush().unwrap();
        std::thread::sleep(Duration::from_millis(3));
        file.write_all(tail.as_bytes()).unwrap();
        drop(file);
        std::thread::sleep(Duration::from_millis(2));
    }
    let final_end = marker("END", last);
    server.wait_for("/inplace/", "show the last save", |r| {
        r.status == 200 && r.text().contains(&final_end)
    });
    stop.store(true, Ordering::SeqCst);
    let (fetches, problems) = fetcher.join().expect("the fetcher thread");
    assert!(fetches > 10, "only {fetches} fetches");
    assert!(
        problems.is_empty(),
        "{} of {fetches} fetches saw a half-written page, first ones:\n{}\nstderr:\n{}",
        problems.len(),
        problems[..problems.len().min(2)].join("\n"),
        server.stderr.lock().unwrap()
    );
}
