//! External links: each distinct URL checked once over HTTP, concurrently (bounded in
//! total and per host), HEAD first with a GET fallback, retries with backoff on 429/5xx,
//! results cached on disk, and the whole phase bounded by a deadline so CI never hangs.
//!
//! Jobs, along lychee's seams: `options` (the settings), `fetch` (the HTTP requests and
//! the deadline), `retry` (when to ask again), `cache` (results of earlier runs); this
//! file decides which URLs to fetch and what a fragment of a fetched page finds.

mod cache;
mod fetch;
mod options;
mod retry;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use url::Url;

use super::resolve::decode;
use super::CheckError;
use cache::Cache;

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
        let fetched = fetch::fetch_all(to_fetch, options)?;
        for (key, outcome) in fetched {
            cache.put(&key, &outcome);
            outcomes.insert(key, outcome);
        }
        cache.save();
    }
    Ok(outcomes)
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
}
