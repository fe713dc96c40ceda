//! External links: each distinct URL checked once over HTTP, concurrently (bounded in
//! total and per host), HEAD first with a GET fallback, retries with backoff on 429/5xx,
//! results cached on disk, and the whole phase bounded by a deadline so CI never hangs.
//!
//! Jobs, along lychee's seams: `options` (the settings), `fetch` (the HTTP requests and
//! the deadline), `retry` (when to ask again), `cache` (results of earlier runs),
//! `fragments` (a link's fragment on the fetched page, with `github`'s rules); this file
//! decides which URLs to fetch.

mod cache;
mod cause;
mod fetch;
mod fragments;
mod github;
mod options;
mod retry;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use url::Url;

use super::CheckError;
use crate::diagnostics::Diagnostic;
use cache::Cache;

pub use cause::ExternalCause;
pub use fragments::fragment_cause;
pub use options::ExternalOptions;

/// What checking one URL found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Works; `anchors` are the page's ids when it was fetched as HTML.
    Ok {
        anchors: Option<Arc<HashSet<String>>>,
    },
    /// Broken or undecided, as the cause says.
    Failed(ExternalCause),
}

/// The URL without its fragment: what is fetched and cached.
pub fn without_fragment(url: &Url) -> Url {
    let mut u = url.clone();
    u.set_fragment(None);
    u
}

/// What the external phase found.
#[derive(Debug, Default)]
pub struct Checked {
    /// By URL without fragment.
    pub outcomes: HashMap<Url, Outcome>,
    /// About the check itself: a cache it could not use.
    pub warnings: Vec<Diagnostic>,
}

/// Checks every URL of `wanted` (URL without fragment → whether its anchors are needed).
/// Never takes much longer than `options.deadline`: URLs not done by then are "unknown".
pub fn check_urls(
    wanted: &BTreeMap<Url, bool>,
    options: &ExternalOptions,
) -> Result<Checked, CheckError> {
    let (mut cache, warnings) = Cache::load(options);
    let mut outcomes: HashMap<Url, Outcome> = HashMap::new();
    let mut to_fetch: Vec<(Url, bool)> = Vec::new();
    for (url, &need_anchors) in wanted {
        match cache.get(url.as_str(), need_anchors) {
            Some(hit) => {
                outcomes.insert(url.clone(), hit);
            }
            None => to_fetch.push((url.clone(), need_anchors)),
        }
    }
    if !to_fetch.is_empty() {
        let fetched = fetch::fetch_all(to_fetch, options)?;
        for (url, outcome) in fetched {
            cache.put(url.as_str(), &outcome);
            outcomes.insert(url, outcome);
        }
        cache.save();
    }
    Ok(Checked { outcomes, warnings })
}
