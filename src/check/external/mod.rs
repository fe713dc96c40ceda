//! External links: each distinct URL checked once over HTTP, concurrently (bounded in
//! total and per host), HEAD first with a GET fallback, retries with backoff on 429/5xx,
//! results cached on disk, and the whole phase bounded by a deadline so CI never hangs.
//!
//! Jobs, along lychee's seams: `options` (the settings), `fetch` (the HTTP requests and
//! the deadline), `retry` (when to ask again), `cache` (results of earlier runs),
//! `fragments` (a link's fragment on the fetched page, with `github`'s rules); this file
//! decides which URLs to fetch.

mod cache;
mod fetch;
mod fragments;
mod github;
mod options;
mod retry;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use url::Url;

use super::CheckError;
use cache::Cache;

pub use fragments::{fragment_problem, FragmentProblem};
pub use options::ExternalOptions;

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
        let fetched = fetch::fetch_all(to_fetch, options)?;
        for (key, outcome) in fetched {
            cache.put(&key, &outcome);
            outcomes.insert(key, outcome);
        }
        cache.save();
    }
    Ok(outcomes)
}
