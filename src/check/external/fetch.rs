//! Fetching: every URL once, concurrently (bounded in total and per host), HEAD first
//! with a GET fallback, the whole phase bounded by a deadline so CI never hangs.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use tokio::sync::Semaphore;
use url::Url;

use super::retry::{is_retryable, retry_delay};
use super::{ExternalCause, ExternalOptions, Outcome};
use crate::check::CheckError;

/// The most body read from a page whose anchors are needed.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Checks each of `urls` (with whether its anchors are needed). URLs not done by
/// `options.deadline` are "unknown".
pub(super) fn fetch_all(
    urls: Vec<(Url, bool)>,
    options: &ExternalOptions,
) -> Result<Vec<(Url, Outcome)>, CheckError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CheckError::Http(e.to_string()))?;
    let client = client(options)?;
    let global = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let done: Arc<Mutex<Vec<(Url, Outcome)>>> = Arc::new(Mutex::new(Vec::new()));
    let keys: Vec<Url> = urls.iter().map(|(u, _)| u.clone()).collect();
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
                    .push((url, outcome));
            }));
        }
        let all = futures_util::future::join_all(tasks);
        let _ = tokio::time::timeout(options.deadline, all).await;
    });
    // Tasks still running at the deadline are dropped, not waited for.
    runtime.shutdown_background();
    let mut results = std::mem::take(&mut *done.lock().unwrap_or_else(|e| e.into_inner()));
    let finished: HashSet<Url> = results.iter().map(|(k, _)| k.clone()).collect();
    for key in keys {
        if !finished.contains(&key) {
            let cause = ExternalCause::Deadline(options.deadline);
            results.push((key, Outcome::Failed(cause)));
        }
    }
    Ok(results)
}

fn client(options: &ExternalOptions) -> Result<reqwest::Client, CheckError> {
    reqwest::Client::builder()
        .user_agent(concat!("dcrsite-check/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::limited(options.max_redirects))
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .build()
        .map_err(|e| CheckError::Http(e.to_string()))
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
        if method == Method::HEAD && status != StatusCode::TOO_MANY_REQUESTS {
            // Many servers answer HEAD wrongly (405, 404, 403, 500); GET decides.
            method = Method::GET;
            continue;
        }
        if is_retryable(status) && attempt < options.retries {
            match retry_delay(response.headers(), attempt, options) {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    continue;
                }
                None => {
                    return Outcome::Failed(ExternalCause::WaitTooLong {
                        status: status.as_u16(),
                        longest: options.max_retry_after,
                    })
                }
            }
        }
        return Outcome::Failed(match status.as_u16() {
            429 => ExternalCause::RateLimited { retries: attempt },
            code @ (401 | 403) => ExternalCause::Refused(code),
            code => ExternalCause::Status(code),
        });
    }
}

fn request_error(e: &reqwest::Error, options: &ExternalOptions) -> Outcome {
    Outcome::Failed(request_cause(e, options))
}

fn request_cause(e: &reqwest::Error, options: &ExternalOptions) -> ExternalCause {
    if e.is_timeout() {
        return ExternalCause::Timeout(options.timeout);
    }
    if e.is_redirect() {
        return ExternalCause::TooManyRedirects(options.max_redirects);
    }
    // reqwest's top-level message is generic; the cause says what happened.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message = s.to_string();
        source = s.source();
    }
    if e.is_connect() {
        ExternalCause::CannotConnect(message)
    } else {
        ExternalCause::RequestFailed(message)
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
    Ok(crate::check::extract::parse(&body, false)
        .map(|d| d.anchors)
        .unwrap_or_default())
}
