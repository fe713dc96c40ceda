//! Fragments of links to other sites, decided against the ids of the fetched page by the
//! one fragment checker, with the rules of the page's host.

use std::collections::HashSet;

use url::Url;

use super::github::GITHUB;
use crate::check::fragment::{self, Found, HostRules, BROWSER};
use crate::check::resolve::decode;

/// Hosts whose pages name places in ways of their own.
const HOSTS: &[&HostRules] = &[&GITHUB];

/// Why a fragment of a fetched external page is a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FragmentProblem {
    Missing(String),
    Unsure(String),
}

/// Checks `url`'s fragment against the anchors of the fetched page (`None`: it was not
/// read as HTML, so there is nothing to decide against).
pub fn fragment_problem(url: &Url, anchors: Option<&HashSet<String>>) -> Option<FragmentProblem> {
    let raw = url.fragment()?;
    let anchors = anchors?;
    let host = host_rules(url);
    let frag = decode(raw);
    match fragment::find(raw, Some(anchors), host) {
        Found::Yes => None,
        Found::No => Some(FragmentProblem::Missing(format!(
            "the page exists but has no element with id `{frag}`"
        ))),
        Found::CannotTell => Some(FragmentProblem::Unsure(format!(
            "cannot tell whether `#{frag}` exists: {} draws this page with JavaScript",
            host.name
        ))),
    }
}

fn host_rules(url: &Url) -> &'static HostRules {
    let host = url.host_str().unwrap_or("");
    HOSTS
        .iter()
        .find(|rules| rules.hosts.contains(&host))
        .copied()
        .unwrap_or(&BROWSER)
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
}
