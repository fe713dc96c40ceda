//! External links: each distinct URL checked once over HTTP, concurrently (bounded in
//! total and per host), HEAD first with a GET fallback, retries with backoff on 429/5xx,
//! results cached on disk, and the whole phase bounded by a deadline so CI never hangs.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use globset::{Glob, GlobSet, GlobSetBuilder};
use reqwest::header::{HeaderMap, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use url::Url;

use super::resolve::decode;
use super::CheckError;
use crate::config::CheckConfig;

/// Cache file inside the cache folder.
const CACHE_FILE: &str = "external-links.json";
/// The most body read from a page whose anchors are needed.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Per request (connect + response + body).
    pub timeout: Duration,
    /// Extra attempts after a 429 or 5xx.
    pub retries: u32,
    /// Status codes counted as working.
    pub accept: Vec<u16>,
    exclude: GlobSet,
    /// Folder for the results cache; `None` disables caching.
    pub cache_dir: Option<PathBuf>,
    pub cache_ttl: Duration,
    /// Upper bound for the whole external phase.
    pub deadline: Duration,
    pub concurrency: usize,
    pub per_host: usize,
    pub max_redirects: usize,
    /// First retry delay when the server gives no `Retry-After`; doubles each retry.
    pub backoff: Duration,
    /// The longest a `Retry-After` is honoured; longer waits count as "unknown".
    pub max_retry_after: Duration,
}

impl ExternalOptions {
    /// Options from `site.yaml`'s `check:` section.
    pub fn from_config(config: &CheckConfig) -> Result<Self, CheckError> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &config.exclude {
            let glob = Glob::new(pattern).map_err(|e| CheckError::BadPattern {
                pattern: pattern.clone(),
                message: e.kind().to_string(),
            })?;
            builder.add(glob);
        }
        let exclude = builder.build().map_err(|e| CheckError::BadPattern {
            pattern: config.exclude.join(", "),
            message: e.to_string(),
        })?;
        let timeout = Duration::from_secs(config.timeout.max(1));
        Ok(ExternalOptions {
            timeout,
            retries: config.retries,
            accept: config.accept.clone(),
            exclude,
            cache_dir: None,
            cache_ttl: Duration::from_secs(config.cache_ttl),
            deadline: Duration::from_secs(300),
            concurrency: 64,
            per_host: 4,
            max_redirects: 10,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(30),
        })
    }

    /// `exclude` patterns match the whole URL (`https://x.example/private/*`) or its host
    /// (`*.linkedin.com`).
    pub fn is_excluded(&self, url: &Url) -> bool {
        !self.exclude.is_empty()
            && (self.exclude.is_match(url.as_str())
                || self.exclude.is_match(without_fragment(url))
                || url.host_str().is_some_and(|h| self.exclude.is_match(h)))
    }
}

/// What checking one URL found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Works; `anchors` are the page's ids when it was fetched as HTML.
    Ok {
        anchors: Option<Arc<HashSet<String>>>,
    },
    Broken(String),
    /// Could not be decided (timeout, rate limit, refused to robots).
    Unknown(String),
}

/// The URL without its fragment: what is fetched and cached.
pub fn without_fragment(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.into()
}

/// Why a fragment of a fetched external page is a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FragmentProblem {
    Missing(String),
    Unsure(String),
}

/// Checks `url`'s fragment against the anchors of the fetched page. GitHub adds
/// `user-content-` to ids in rendered Markdown (and scrolls to `#x` when
/// `#user-content-x` exists), and `#L10`/`#L10-L20` select lines of a file view.
pub fn fragment_problem(url: &Url, anchors: Option<&HashSet<String>>) -> Option<FragmentProblem> {
    let raw = url.fragment()?;
    let frag = decode(raw);
    if frag.is_empty() || frag.eq_ignore_ascii_case("top") || frag.contains(":~:") {
        return None;
    }
    let github = matches!(url.host_str(), Some("github.com" | "www.github.com"));
    if github && is_github_line_anchor(&frag) {
        return None;
    }
    let anchors = anchors?;
    if anchors.contains(frag.as_ref()) || anchors.contains(raw) {
        return None;
    }
    if github {
        let bare = frag.strip_prefix("user-content-").unwrap_or(&frag);
        if anchors.contains(&format!("user-content-{bare}")) || anchors.contains(bare) {
            return None;
        }
        // Much of GitHub is drawn by JavaScript; without server-rendered Markdown on the
        // page there is nothing to decide the fragment against.
        if !anchors.iter().any(|a| a.starts_with("user-content-")) {
            return Some(FragmentProblem::Unsure(format!(
                "cannot tell whether `#{frag}` exists: GitHub draws this page with JavaScript"
            )));
        }
    }
    Some(FragmentProblem::Missing(format!(
        "the page exists but has no element with id `{frag}`"
    )))
}

fn is_github_line_anchor(frag: &str) -> bool {
    // L10, L10-L20, L10C5-L12C3
    frag.split('-').all(|part| {
        let Some(rest) = part.strip_prefix('L') else {
            return false;
        };
        let (line, col) = rest.split_once('C').unwrap_or((rest, "1"));
        !line.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
            && !col.is_empty()
            && col.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Checks every URL of `wanted` (URL without fragment → whether its anchors are needed).
/// Never takes much longer than `options.deadline`: URLs not done by then are "unknown".
pub fn check_urls(
    wanted: &BTreeMap<String, bool>,
    options: &ExternalOptions,
) -> Result<HashMap<String, Outcome>, CheckError> {
    let mut cache = Cache::load(options);
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    let mut to_fetch: Vec<(Url, bool)> = Vec::new();
    for (key, &need_anchors) in wanted {
        if let Some(hit) = cache.get(key, need_anchors) {
            outcomes.insert(key.clone(), hit);
            continue;
        }
        match Url::parse(key) {
            Ok(url) => to_fetch.push((url, need_anchors)),
            Err(e) => {
                outcomes.insert(
                    key.clone(),
                    Outcome::Broken(format!("not a valid URL: {e}")),
                );
            }
        }
    }
    if !to_fetch.is_empty() {
        let fetched = fetch_all(to_fetch, options)?;
        for (key, outcome) in fetched {
            cache.put(&key, &outcome);
            outcomes.insert(key, outcome);
        }
        cache.save();
    }
    Ok(outcomes)
}

fn fetch_all(
    urls: Vec<(Url, bool)>,
    options: &ExternalOptions,
) -> Result<Vec<(String, Outcome)>, CheckError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CheckError::Http(e.to_string()))?;
    let client = reqwest::Client::builder()
        .user_agent(concat!("dcrsite-check/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::limited(options.max_redirects))
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .build()
        .map_err(|e| CheckError::Http(e.to_string()))?;
    let global = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let done: Arc<Mutex<Vec<(String, Outcome)>>> = Arc::new(Mutex::new(Vec::new()));
    let keys: Vec<String> = urls.iter().map(|(u, _)| u.to_string()).collect();
    let options = Arc::new(options.clone());
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for (url, need_anchors) in urls {
            let host = url.host_str().unwrap_or("").to_string();
            let per_host = hosts
                .entry(host)
                .or_insert_with(|| Arc::new(Semaphore::new(options.per_host.max(1))))
                .clone();
            let (global, client, done, options) = (
                global.clone(),
                client.clone(),
                done.clone(),
                options.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let Ok(_g) = global.acquire_owned().await else {
                    return;
                };
                let Ok(_h) = per_host.acquire_owned().await else {
                    return;
                };
                let outcome = check_one(&client, &url, need_anchors, &options).await;
                done.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((url.to_string(), outcome));
            }));
        }
        let all = futures_util::future::join_all(tasks);
        let _ = tokio::time::timeout(options.deadline, all).await;
    });
    // Tasks still running at the deadline are dropped, not waited for.
    runtime.shutdown_background();
    let mut results = std::mem::take(&mut *done.lock().unwrap_or_else(|e| e.into_inner()));
    let finished: HashSet<String> = results.iter().map(|(k, _)| k.clone()).collect();
    for key in keys {
        if !finished.contains(&key) {
            results.push((
                key,
                Outcome::Unknown(format!(
                    "not checked within the {}s deadline for external links",
                    options.deadline.as_secs()
                )),
            ));
        }
    }
    Ok(results)
}

async fn check_one(
    client: &reqwest::Client,
    url: &Url,
    need_anchors: bool,
    options: &ExternalOptions,
) -> Outcome {
    // Pages whose anchors are needed are fetched whole; otherwise HEAD is enough.
    let mut method = if need_anchors {
        Method::GET
    } else {
        Method::HEAD
    };
    let mut attempt = 0u32;
    loop {
        let response = match client.request(method.clone(), url.clone()).send().await {
            Ok(r) => r,
            Err(e) => return request_error(&e, options),
        };
        let status = response.status();
        if options.accept.contains(&status.as_u16()) {
            if method == Method::GET && need_anchors && is_html(response.headers()) {
                return match read_anchors(response).await {
                    Ok(anchors) => Outcome::Ok {
                        anchors: Some(Arc::new(anchors)),
                    },
                    Err(e) => request_error(&e, options),
                };
            }
            return Outcome::Ok { anchors: None };
        }
        let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
        if method == Method::HEAD && status != StatusCode::TOO_MANY_REQUESTS {
            // Many servers answer HEAD wrongly (405, 404, 403, 500); GET decides.
            method = Method::GET;
            continue;
        }
        if retryable && attempt < options.retries {
            match retry_delay(response.headers(), attempt, options) {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    continue;
                }
                None => {
                    return Outcome::Unknown(format!(
                        "{} and asked to wait longer than {}s",
                        status_text(status),
                        options.max_retry_after.as_secs()
                    ))
                }
            }
        }
        return match status.as_u16() {
            429 => Outcome::Unknown(format!(
                "rate limited ({}) after {} retries",
                status_text(status),
                attempt
            )),
            401 | 403 => Outcome::Unknown(format!(
                "{}: the server refuses automated checks or needs a login",
                status_text(status)
            )),
            _ => Outcome::Broken(status_text(status)),
        };
    }
}

fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("HTTP {} {reason}", status.as_u16()),
        None => format!("HTTP {}", status.as_u16()),
    }
}

fn request_error(e: &reqwest::Error, options: &ExternalOptions) -> Outcome {
    if e.is_timeout() {
        return Outcome::Unknown(format!(
            "timed out after {:.1}s",
            options.timeout.as_secs_f64()
        ));
    }
    if e.is_redirect() {
        return Outcome::Broken(format!(
            "more than {} redirects (a redirect loop?)",
            options.max_redirects
        ));
    }
    // reqwest's top-level message is generic; the cause says what happened.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message = s.to_string();
        source = s.source();
    }
    if e.is_connect() {
        Outcome::Broken(format!("cannot connect: {message}"))
    } else {
        Outcome::Broken(format!("request failed: {message}"))
    }
}

/// How long to wait before retry `attempt` (0-based), or `None` when the server asks
/// for longer than we wait.
fn retry_delay(headers: &HeaderMap, attempt: u32, options: &ExternalOptions) -> Option<Duration> {
    let asked = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let v = v.trim();
            v.parse::<u64>().map(Duration::from_secs).ok().or_else(|| {
                httpdate::parse_http_date(v)
                    .ok()
                    .map(|t| t.duration_since(SystemTime::now()).unwrap_or_default())
            })
        });
    match asked {
        Some(d) if d > options.max_retry_after => None,
        Some(d) => Some(d),
        None => Some(options.backoff.saturating_mul(1 << attempt.min(10))),
    }
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.starts_with("text/html") || v.starts_with("application/xhtml")
        })
}

async fn read_anchors(mut response: reqwest::Response) -> Result<HashSet<String>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BODY {
            break;
        }
    }
    Ok(super::extract::parse(&body, false)
        .map(|d| d.anchors)
        .unwrap_or_default())
}

/// Results of earlier runs. Only decided results (working or broken) are kept: an
/// "unknown" must be retried next time.
struct Cache {
    path: Option<PathBuf>,
    ttl: Duration,
    entries: BTreeMap<String, CacheEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    /// Unix seconds.
    checked: u64,
    ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    anchors: Option<Vec<String>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: BTreeMap<String, CacheEntry>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Whether a result checked at `checked` may still be used at `now` (Unix seconds). One
/// dated in the future is stale: the clock was skewed, or the cache came from another
/// machine, and trusting it would keep the result forever.
fn fresh(checked: u64, now: u64, ttl: Duration) -> bool {
    checked <= now && now - checked < ttl.as_secs()
}

impl Cache {
    fn load(options: &ExternalOptions) -> Cache {
        let path = options.cache_dir.as_ref().map(|d| d.join(CACHE_FILE));
        // A missing or unreadable cache only costs requests, so it is never an error.
        let entries = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice::<CacheFile>(&b).ok())
            .filter(|f| f.version == 1)
            .map(|f| f.entries)
            .unwrap_or_default();
        Cache {
            path,
            ttl: options.cache_ttl,
            entries,
        }
    }

    fn fresh(&self, e: &CacheEntry) -> bool {
        fresh(e.checked, now(), self.ttl)
    }

    fn get(&self, url: &str, need_anchors: bool) -> Option<Outcome> {
        self.path.as_ref()?;
        let e = self.entries.get(url).filter(|e| self.fresh(e))?;
        if !e.ok {
            return Some(Outcome::Broken(e.reason.clone().unwrap_or_default()));
        }
        if need_anchors && e.anchors.is_none() {
            return None;
        }
        Some(Outcome::Ok {
            anchors: e
                .anchors
                .as_ref()
                .map(|a| Arc::new(a.iter().cloned().collect())),
        })
    }

    fn put(&mut self, url: &str, outcome: &Outcome) {
        let entry = match outcome {
            Outcome::Ok { anchors } => CacheEntry {
                checked: now(),
                ok: true,
                reason: None,
                anchors: anchors.as_ref().map(|a| {
                    let mut v: Vec<String> = a.iter().cloned().collect();
                    v.sort();
                    v
                }),
            },
            Outcome::Broken(reason) => CacheEntry {
                checked: now(),
                ok: false,
                reason: Some(reason.clone()),
                anchors: None,
            },
            Outcome::Unknown(_) => {
                self.entries.remove(url);
                return;
            }
        };
        self.entries.insert(url.to_string(), entry);
    }

    /// Writes the cache (expired entries dropped) through a temporary file, so an
    /// interrupted run never leaves a torn cache. Failing to write only costs requests.
    fn save(&mut self) {
        let Some(path) = &self.path else { return };
        let (t, ttl) = (now(), self.ttl);
        self.entries.retain(|_, e| fresh(e.checked, t, ttl));
        let file = CacheFile {
            version: 1,
            entries: std::mem::take(&mut self.entries),
        };
        let Ok(json) = serde_json::to_vec(&file) else {
            return;
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, json).is_ok() && std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn github_fragments() {
        let u = |s: &str| Url::parse(s).unwrap();
        let readme = set(&["user-content-install", "repo-content"]);
        assert_eq!(
            fragment_problem(&u("https://github.com/a/b#install"), Some(&readme)),
            None
        );
        assert_eq!(
            fragment_problem(
                &u("https://github.com/a/b#user-content-install"),
                Some(&readme)
            ),
            None
        );
        assert!(matches!(
            fragment_problem(&u("https://github.com/a/b#nope"), Some(&readme)),
            Some(FragmentProblem::Missing(_))
        ));
        assert_eq!(
            fragment_problem(
                &u("https://github.com/a/b/blob/main/x.rs#L10-L20"),
                Some(&set(&[]))
            ),
            None
        );
        assert!(matches!(
            fragment_problem(
                &u("https://github.com/a/b/issues/1#issuecomment-5"),
                Some(&set(&["x"]))
            ),
            Some(FragmentProblem::Unsure(_))
        ));
        assert!(matches!(
            fragment_problem(&u("https://example.org/#Sec"), Some(&set(&["sec"]))),
            Some(FragmentProblem::Missing(_))
        ));
        assert_eq!(
            fragment_problem(&u("https://example.org/x.pdf#page=2"), None),
            None
        );
    }

    #[test]
    fn line_anchors() {
        assert!(is_github_line_anchor("L1"));
        assert!(is_github_line_anchor("L10-L20"));
        assert!(is_github_line_anchor("L3C2-L4C9"));
        assert!(!is_github_line_anchor("L"));
        assert!(!is_github_line_anchor("Lx"));
        assert!(!is_github_line_anchor("install"));
    }

    #[test]
    fn excludes_by_url_or_host() {
        let config = CheckConfig {
            exclude: vec!["https://private.example/*".into(), "*.linkedin.com".into()],
            ..CheckConfig::default()
        };
        let o = ExternalOptions::from_config(&config).unwrap();
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(o.is_excluded(&u("https://private.example/a/b#c")));
        assert!(o.is_excluded(&u("https://www.linkedin.com/in/x")));
        assert!(!o.is_excluded(&u("https://public.example/")));
        let bad = CheckConfig {
            exclude: vec!["a[".into()],
            ..CheckConfig::default()
        };
        assert!(ExternalOptions::from_config(&bad).is_err());
    }

    /// A cache holding `url` as working, dated `checked` (Unix seconds), written to disk.
    fn cache_with_entry(dir: &std::path::Path, url: &str, checked: u64) -> Cache {
        let options = ExternalOptions {
            cache_dir: Some(dir.to_path_buf()),
            cache_ttl: Duration::from_secs(3600),
            ..ExternalOptions::from_config(&CheckConfig::default()).unwrap()
        };
        let mut entries = BTreeMap::new();
        entries.insert(
            url.to_string(),
            CacheEntry {
                checked,
                ok: true,
                reason: None,
                anchors: None,
            },
        );
        let file = CacheFile {
            version: 1,
            entries,
        };
        std::fs::write(dir.join(CACHE_FILE), serde_json::to_vec(&file).unwrap()).unwrap();
        Cache::load(&options)
    }

    #[test]
    fn cache_entries_dated_in_the_future_are_stale() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://example.org/";
        // Within the time to live: used.
        let t = now();
        let cache = cache_with_entry(dir.path(), url, t - 60);
        assert!(matches!(cache.get(url, false), Some(Outcome::Ok { .. })));
        // Dated ahead (clock skew, a cache restored from another runner): checked
        // again, and not written back.
        for ahead in [60, 86_400, u64::MAX - t] {
            let mut cache = cache_with_entry(dir.path(), url, t + ahead);
            assert!(cache.get(url, false).is_none(), "{ahead} s ahead");
            cache.save();
            let saved: CacheFile =
                serde_json::from_slice(&std::fs::read(dir.path().join(CACHE_FILE)).unwrap())
                    .unwrap();
            assert!(saved.entries.is_empty(), "{ahead} s ahead was kept");
        }
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let o = ExternalOptions::from_config(&CheckConfig::default()).unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(retry_delay(&h, 1, &o), Some(Duration::from_secs(1)));
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_delay(&h, 0, &o), Some(Duration::from_secs(2)));
        h.insert(RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(retry_delay(&h, 0, &o), None);
    }
}
