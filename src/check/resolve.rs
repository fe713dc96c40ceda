//! Internal resolution: does a link found in a page reach a file of the site, and does
//! its fragment name an element there? Links are resolved the way a browser resolves them
//! (the `url` crate implements the WHATWG URL standard) against the page's own URL under
//! a placeholder origin, then looked up in the set of files the site serves.

use std::borrow::Cow;
use std::collections::HashSet;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use unicode_normalization::UnicodeNormalization;
use url::Url;

use super::extract::Document;

mod shared;

use super::fragment::{self, Found};
use super::LinkKind;
use crate::diagnostics::LinkCause;
pub(crate) use shared::SharedTargets;

/// The origin pages are placed under while resolving; `.invalid` can never be a real host.
const INTERNAL_ORIGIN: &str = "http://dcrsite.invalid";
const INTERNAL_HOST: &str = "dcrsite.invalid";

/// Characters escaped when a file path becomes a URL path.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// What a link turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Nothing to check (`mailto:`, `tel:`, `javascript:`, `data:`, unknown schemes).
    Skip,
    /// An internal link that works.
    Ok,
    /// Another site's URL, to check over HTTP when asked.
    External(Url),
    Broken {
        kind: LinkKind,
        cause: LinkCause,
    },
    /// An internal link to a page that exists, with a fragment to look for among that
    /// page's anchors. The caller has them for the page it is checking; for other pages
    /// it looks once every page has been read.
    Fragment(FragmentTarget),
}

/// A fragment to find on a page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentTarget {
    /// The HTML file (relative to the output root).
    pub file: String,
    /// The fragment as written in the URL (not decoded).
    pub fragment: String,
    /// The link's path, decoded, as shown in messages (`/docs/a/` or
    /// `/docs/a/index.html`).
    pub shown: String,
}

impl FragmentTarget {
    /// The page as named in messages: its folder URL when the file is an `index.html`.
    fn page(&self) -> &str {
        if self.file.ends_with("index.html") {
            self.shown.strip_suffix("index.html").unwrap_or(&self.shown)
        } else {
            &self.shown
        }
    }

    /// The verdict once the target page's anchors are known (`None`: none at all).
    /// `generated` names the plugin that generates part of the page dcrsite could not
    /// build: an id missing there is undecided ([`LinkCause::Generated`]), not broken.
    pub fn verdict(&self, anchors: Option<&HashSet<String>>, generated: Option<&str>) -> Resolved {
        if fragment::find(&self.fragment, anchors, &fragment::BROWSER) == Found::Yes {
            return Resolved::Ok;
        }
        let id = decode(&self.fragment).into_owned();
        let page = self.page().to_string();
        let cause = match generated {
            Some(by) => LinkCause::Generated {
                id,
                page,
                by: by.to_string(),
            },
            None => LinkCause::NoSuchAnchor { id, page },
        };
        Resolved::Broken {
            kind: LinkKind::Fragment,
            cause,
        }
    }
}

/// The site as the checker sees it: every file it serves.
pub struct Site<'a> {
    /// Every file, relative to the output root, `/`-separated, not percent-encoded.
    pub files: &'a HashSet<String>,
    /// `/` or `/docs/`: the path the site is served under.
    pub base_path: String,
    /// The site's own absolute URL (`https://example.org/docs/`): absolute links to it are
    /// checked as internal links, not fetched.
    pub base_url: Option<Url>,
    /// What the build left out, so links into it cannot be decided.
    pub unbuilt: Unbuilt,
}

/// Parts of a site that exist when it is published but were not built here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unbuilt {
    /// The site is one version of several that `mike` deploys side by side (`/1.2/`,
    /// `/latest/`, `/dev/`): a link into another version cannot be decided.
    pub versioned: bool,
    /// A plugin that writes pages at build time (`gen-files`): a link to a page that is
    /// not there may be to one of them.
    pub pages_by: Option<String>,
}

impl Site<'_> {
    /// The URL a page is served at, under the placeholder origin.
    pub fn page_url(&self, file: &str) -> Url {
        let encoded: String = utf8_percent_encode(file, PATH).collect();
        Url::parse(&format!("{INTERNAL_ORIGIN}{}{encoded}", self.base_path))
            .or_else(|_| Url::parse(INTERNAL_ORIGIN))
            .expect("the placeholder origin is a valid URL")
    }

    /// The URL relative links of `file` resolve against: the page's URL, or its
    /// `<base href>` resolved against it.
    pub fn document_base(&self, file: &str, doc: &Document) -> Url {
        let page = self.page_url(file);
        match doc.base.as_deref().map(|b| page.join(b.trim())) {
            Some(Ok(base)) => self.to_internal(base),
            _ => page,
        }
    }

    /// Maps an absolute URL of the site itself onto the placeholder origin.
    fn to_internal(&self, url: Url) -> Url {
        let Some(site) = &self.base_url else {
            return url;
        };
        let same_origin = matches!(url.scheme(), "http" | "https")
            && url.host_str() == site.host_str()
            && url.port_or_known_default() == site.port_or_known_default();
        if same_origin && url.path().starts_with(site.path()) {
            let rest = &url.as_str()[url.origin().ascii_serialization().len()..];
            if let Ok(mapped) = Url::parse(&format!("{INTERNAL_ORIGIN}{rest}")) {
                return mapped;
            }
        }
        url
    }

    /// Resolves `url` (entities already decoded) found in a page whose base is `base`.
    pub fn resolve(&self, base: &Url, url: &str) -> Resolved {
        let trimmed = url.trim_matches(|c: char| c.is_ascii_whitespace());
        let lower_scheme = trimmed
            .split_once(':')
            .map(|(s, _)| s.to_ascii_lowercase())
            .filter(|s| {
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
        if let Some(scheme) = lower_scheme.as_deref() {
            if !matches!(scheme, "http" | "https" | "file") {
                return Resolved::Skip;
            }
        }
        let joined = match base.join(trimmed) {
            Ok(u) => u,
            Err(e) => {
                return Resolved::Broken {
                    kind: LinkKind::Page,
                    cause: LinkCause::NotAUrl(e),
                }
            }
        };
        match joined.scheme() {
            "http" | "https" => {}
            "file" => {
                return Resolved::Broken {
                    kind: kind_of_path(joined.path()),
                    cause: LinkCause::FileUrl,
                }
            }
            _ => return Resolved::Skip,
        }
        let joined = self.to_internal(joined);
        if joined.host_str() != Some(INTERNAL_HOST) {
            return Resolved::External(joined);
        }
        self.internal(&joined)
    }

    fn internal(&self, url: &Url) -> Resolved {
        let path = url.path();
        let shown = decode(path);
        let rel = match path.strip_prefix(self.base_path.as_str()) {
            Some(rel) => rel,
            None if format!("{path}/") == self.base_path => "",
            None => {
                return Resolved::Broken {
                    kind: kind_of_path(path),
                    cause: LinkCause::OutsideSite {
                        path: shown.into_owned(),
                        base_path: self.base_path.clone(),
                    },
                }
            }
        };
        let rel = decode(rel);
        let Some(file) = self.find(&rel) else {
            let path = shown.into_owned();
            let cause = match (self.other_version(&rel), &self.unbuilt.pages_by) {
                (Some(version), _) => LinkCause::OtherVersion {
                    path,
                    version: format!("{}{version}/", self.base_path),
                },
                (None, Some(by)) if kind_of_path(&rel) == LinkKind::Page => {
                    LinkCause::GeneratedPage {
                        path,
                        by: by.clone(),
                    }
                }
                (None, _) => LinkCause::NoSuchFile { path },
            };
            return Resolved::Broken {
                kind: kind_of_path(&rel),
                cause,
            };
        };
        let Some(fragment) = url.fragment() else {
            return Resolved::Ok;
        };
        // `x.pdf#page=2` and media fragments are for the viewer, not ids; the top of the
        // page and text directives need no id.
        if !is_html(&file) || fragment::needs_no_element(fragment) {
            return Resolved::Ok;
        }
        Resolved::Fragment(FragmentTarget {
            file,
            fragment: fragment.to_string(),
            shown: shown.into_owned(),
        })
    }

    /// The first folder of `rel` when it may be another version of a versioned site:
    /// what follows it is a file of this version (`dev/a/` when `a/` exists).
    fn other_version<'r>(&self, rel: &'r str) -> Option<&'r str> {
        let (version, rest) = rel.split_once('/').filter(|_| self.unbuilt.versioned)?;
        (!version.is_empty() && self.find(rest).is_some()).then_some(version)
    }

    /// The file a decoded site path names: `a/` and `a` both find `a/index.html`, as a
    /// static host serves them.
    fn find(&self, rel: &str) -> Option<String> {
        if let Some(found) = self.lookup(rel) {
            return Some(found);
        }
        // File names written on macOS arrive decomposed (NFD); links are usually NFC.
        if !rel.is_ascii() {
            for form in [rel.nfc().collect::<String>(), rel.nfd().collect()] {
                if let Some(found) = self.lookup(&form) {
                    return Some(found);
                }
            }
        }
        None
    }

    fn lookup(&self, rel: &str) -> Option<String> {
        if rel.is_empty() || rel.ends_with('/') {
            let index = format!("{rel}index.html");
            return self.files.contains(&index).then_some(index);
        }
        if self.files.contains(rel) {
            return Some(rel.to_string());
        }
        let index = format!("{rel}/index.html");
        self.files.contains(&index).then_some(index)
    }
}

/// Percent-decodes a URL part for lookup and messages.
pub fn decode(s: &str) -> Cow<'_, str> {
    percent_decode_str(s).decode_utf8_lossy()
}

pub fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml")
}

/// A folder, an extensionless path or an HTML file is a page; anything else an asset.
pub fn kind_of_path(path: &str) -> LinkKind {
    let last = path.rsplit('/').next().unwrap_or("");
    match last.rsplit_once('.') {
        None => LinkKind::Page,
        // A `.md` link left as written is a page link whose Markdown target is missing.
        Some((_, ext)) if is_html(last) || ext.eq_ignore_ascii_case("md") => LinkKind::Page,
        Some(_) => LinkKind::Asset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Resolves `u` completely: a fragment is looked up among `anchors` of its page.
    fn resolve_with(
        site: &Site<'_>,
        base: &Url,
        u: &str,
        anchors: &HashMap<&str, HashSet<String>>,
    ) -> Resolved {
        match site.resolve(base, u) {
            Resolved::Fragment(target) => target.verdict(anchors.get(target.file.as_str()), None),
            other => other,
        }
    }

    #[test]
    fn resolves_like_a_browser_and_a_static_host() {
        let files: HashSet<String> = [
            "index.html",
            "a/index.html",
            "a/b c.png",
            "café/index.html",
            "x.html",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let anchors: HashMap<&str, HashSet<String>> = HashMap::from([
            (
                "a/index.html",
                ["Sec", "n1"].iter().map(|s| s.to_string()).collect(),
            ),
            ("index.html", HashSet::new()),
        ]);
        let site = Site {
            files: &files,
            base_path: "/docs/".into(),
            base_url: Url::parse("https://ex.org/docs/").ok(),
            unbuilt: Unbuilt::default(),
        };
        let base = site.page_url("x.html");
        let ok = |u: &str| assert_eq!(resolve_with(&site, &base, u, &anchors), Resolved::Ok, "{u}");
        ok("a/");
        ok("a");
        ok("/docs/a/?q=1#Sec");
        ok("a/b%20c.png");
        ok("a/b c.png");
        ok("caf%C3%A9/");
        ok("café");
        ok("https://ex.org/docs/a/#n1");
        ok("#");
        ok("#top");
        ok("./");
        ok("");
        ok("a/#:~:text=hello");
        assert_eq!(site.resolve(&base, "mailto:x@y"), Resolved::Skip);
        assert_eq!(site.resolve(&base, "JavaScript:void(0)"), Resolved::Skip);
        assert!(matches!(
            site.resolve(&base, "//cdn.example/x.js"),
            Resolved::External(_)
        ));
        let broken = |u: &str| match resolve_with(&site, &base, u, &anchors) {
            Resolved::Broken { kind, cause } => (kind, cause.to_string()),
            other => panic!("{u}: {other:?}"),
        };
        assert_eq!(broken("a/#sec").0, LinkKind::Fragment);
        assert_eq!(broken("a/#sec").1, "no element with id `sec` on /docs/a/");
        // The fragment is left to the caller, which has the anchors.
        assert_eq!(
            site.resolve(&base, "a/#sec"),
            Resolved::Fragment(FragmentTarget {
                file: "a/index.html".into(),
                fragment: "sec".into(),
                shown: "/docs/a/".into()
            })
        );
        assert_eq!(site.resolve(&base, "a/#top"), Resolved::Ok);
        assert_eq!(broken("nope/").1, "no page or file at /docs/nope/");
        assert_eq!(broken("b.png").0, LinkKind::Asset);
        assert!(broken("/a/").1.contains("outside the site"));
        assert!(broken("file:///home/x.html").1.contains("file:"));
    }
}
