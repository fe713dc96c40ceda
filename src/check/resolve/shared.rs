//! Links that mean the same on every page, resolved once per site: a site's navigation
//! repeats the same root-relative links (`/guide/`) on each page, and resolving every one
//! of them again (a URL parse, percent-decoding, file lookups) was a fifth of the check.

use std::collections::HashMap;
use std::sync::RwLock;

use url::Url;

use super::{Resolved, Site, INTERNAL_HOST};

/// The verdicts of links whose resolution does not depend on the page they are on.
#[derive(Default)]
pub(crate) struct SharedTargets {
    resolved: RwLock<HashMap<String, Resolved>>,
}

impl SharedTargets {
    /// What `site.resolve(base, url)` gives, taken from an earlier link written the same
    /// way when the page's URL cannot change it.
    pub(crate) fn resolve(&self, site: &Site<'_>, base: &Url, url: &str) -> Resolved {
        if !page_independent(base, url) {
            return site.resolve(base, url);
        }
        let known = self
            .resolved
            .read()
            .expect("not poisoned")
            .get(url)
            .cloned();
        if let Some(resolved) = known {
            return resolved;
        }
        let resolved = site.resolve(base, url);
        (self.resolved.write().expect("not poisoned")).insert(url.to_string(), resolved.clone());
        resolved
    }
}

/// Whether `url` resolves to the same URL against `base` as against any page of the site:
/// `base` is the placeholder origin's (as every page's URL is, unless a `<base href>`
/// leads elsewhere), and `url` is absolute (`https://…`), scheme-relative or
/// path-absolute (`/guide/`), so it takes at most the base's scheme and host, which are
/// those of every page.
fn page_independent(base: &Url, url: &str) -> bool {
    let on_site = base.scheme() == "http"
        && base.host_str() == Some(INTERNAL_HOST)
        && base.port().is_none()
        && base.username().is_empty()
        && base.password().is_none();
    let trimmed = url.trim_matches(|c: char| c.is_ascii_whitespace());
    on_site
        && (trimmed.starts_with('/')
            || trimmed.starts_with("https://")
            || trimmed.starts_with("http://"))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::check::resolve::Unbuilt;

    /// Every link gets the verdict resolving it on its own page gives, whichever page
    /// resolved it first.
    #[test]
    fn the_same_verdict_as_resolving_on_each_page() {
        let files: HashSet<String> = ["index.html", "a/index.html", "a/b/index.html", "x.png"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let site = Site {
            files: &files,
            base_path: "/docs/".into(),
            base_url: Url::parse("https://ex.org/docs/").ok(),
            unbuilt: Unbuilt::default(),
        };
        let shared = SharedTargets::default();
        let links = [
            "/docs/a/",
            "/docs/a/#sec",
            " /docs/x.png ",
            "/nope/",
            "//cdn.example/x.js",
            "https://ex.org/docs/a/b/",
            "https://other.example/",
            "../a/",
            "b/",
            "#sec",
            "?q=1",
            "",
            "http:a/",
        ];
        let pages = ["index.html", "a/index.html", "a/b/index.html"];
        for round in 0..2 {
            for page in pages {
                let base = site.page_url(page);
                for link in links {
                    let expected = site.resolve(&base, link);
                    let got = shared.resolve(&site, &base, link);
                    assert_eq!(got, expected, "{page} {link} (round {round})");
                }
            }
        }
        let elsewhere = Url::parse("https://other.example/base/").unwrap();
        assert_eq!(
            shared.resolve(&site, &elsewhere, "/docs/a/"),
            site.resolve(&elsewhere, "/docs/a/")
        );
    }
}
