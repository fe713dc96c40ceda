//! Fragments of links to other sites, decided against the ids of the fetched page by the
//! one fragment checker, with the rules of the page's host.

use std::collections::HashSet;

use url::Url;

use super::github::GITHUB;
use super::ExternalCause;
use crate::check::fragment::{self, Found, HostRules, BROWSER};
use crate::check::resolve::decode;

/// Hosts whose pages name places in ways of their own.
const HOSTS: &[&HostRules] = &[&GITHUB];

/// What is wrong with `url`'s fragment on the fetched page whose ids are `anchors`
/// (`None`: it was not read as HTML, so there is nothing to decide against).
pub fn fragment_cause(url: &Url, anchors: Option<&HashSet<String>>) -> Option<ExternalCause> {
    let raw = url.fragment()?;
    let anchors = anchors?;
    let host = host_rules(url);
    let id = decode(raw).into_owned();
    match fragment::find(raw, Some(anchors), host) {
        Found::Yes => None,
        Found::No => Some(ExternalCause::NoSuchAnchor { id }),
        Found::CannotTell => Some(ExternalCause::DrawnByScript {
            id,
            host: host.name.to_string(),
        }),
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
            fragment_cause(&u("https://github.com/a/b#install"), Some(&readme)),
            None
        );
        assert_eq!(
            fragment_cause(
                &u("https://github.com/a/b#user-content-install"),
                Some(&readme)
            ),
            None
        );
        assert!(matches!(
            fragment_cause(&u("https://github.com/a/b#nope"), Some(&readme)),
            Some(ExternalCause::NoSuchAnchor { .. })
        ));
        assert_eq!(
            fragment_cause(
                &u("https://github.com/a/b/blob/main/x.rs#L10-L20"),
                Some(&set(&[]))
            ),
            None
        );
        assert!(matches!(
            fragment_cause(
                &u("https://github.com/a/b/issues/1#issuecomment-5"),
                Some(&set(&["x"]))
            ),
            Some(ExternalCause::DrawnByScript { .. })
        ));
        assert!(matches!(
            fragment_cause(&u("https://example.org/#Sec"), Some(&set(&["sec"]))),
            Some(ExternalCause::NoSuchAnchor { .. })
        ));
        assert_eq!(
            fragment_cause(&u("https://example.org/x.pdf#page=2"), None),
            None
        );
    }
}
