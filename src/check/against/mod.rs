//! `check --against OLD`: what a restructure breaks for readers. Every URL (and, from a
//! folder, every anchor) the old site published that the new build no longer has; which
//! of them an alias or redirect still covers; and for each removed page, the alias line
//! that sends its URL to the most alike new page. Readers' bookmarks and other sites'
//! links are the links a site cannot fix after the fact.

mod old;
mod pages;
mod propose;

use std::collections::HashMap;

use serde::Serialize;

use crate::check::CheckError;
use crate::site::Rendered;

pub use old::Old;
use pages::{is_compared, is_html, key_of, read_page, Published};
pub use propose::Proposal;

/// What the comparison found: the `against` object of `--format json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Against {
    /// The old site: a folder or a sitemap's URL.
    pub old: String,
    /// URLs the old site published (stylesheets, scripts and fonts left out).
    pub urls: usize,
    /// Old URLs the new build no longer has, each with the alias line proposed.
    pub removed: Vec<Removed>,
    /// Old URLs that are now redirects: readers still arrive.
    pub covered: Vec<Covered>,
    /// Anchors of pages both sites have that the new page lacks.
    pub removed_anchors: Vec<RemovedAnchor>,
    /// `--strict-urls`: removed URLs and anchors fail the check.
    #[serde(skip)]
    pub strict: bool,
    /// The site's configuration file, blamed for what no page can be blamed for.
    #[serde(skip)]
    pub config_file: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removed {
    /// Site-root-relative URL path (`/guide/setup/`).
    pub url: String,
    pub proposal: Option<Proposal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Covered {
    pub url: String,
    /// Where the redirect sends readers.
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedAnchor {
    /// The page's URL path with the anchor (`/guide/#old-name`).
    pub url: String,
    /// The page's Markdown, where the heading or id was renamed.
    pub source_file: Option<String>,
    /// The page's id most like the old one, if any is close (a renamed heading).
    pub renamed_to: Option<String>,
}

impl Removed {
    /// What to do about it, in words.
    pub fn message(&self, old: &str) -> String {
        match &self.proposal {
            Some(p) => format!(
                "`{}`, published by {old}, is gone: add `{}` to {} (the most alike page, /{}, {}% alike)",
                self.url, p.line, p.file, p.page, p.similarity
            ),
            None => format!(
                "`{}`, published by {old}, is gone and no page is alike: add an alias for it to the page that replaces it",
                self.url
            ),
        }
    }
}

impl RemovedAnchor {
    pub fn message(&self, old: &str) -> String {
        let renamed = match &self.renamed_to {
            Some(id) => format!(" (renamed to `#{id}`?)"),
            None => String::new(),
        };
        format!(
            "anchor `{}`, published by {old}, is not on the page any more{renamed}: links to it land at the top of the page",
            self.url
        )
    }
}

impl Against {
    /// Whether `--strict-urls` fails the check.
    pub fn failed(&self) -> bool {
        self.strict && !(self.removed.is_empty() && self.removed_anchors.is_empty())
    }
}

/// Compares the old site with a rendered one.
pub fn against_rendered(old: &Old, rendered: &Rendered) -> Result<Against, CheckError> {
    let docs_dir = rendered.config.mkdocs.as_ref().map(|_| {
        let dir = rendered.config.layout().content();
        format!("{}/", dir.trim_end_matches('/'))
    });
    let mut new = Vec::new();
    for (path, file) in &rendered.output.files {
        if !is_compared(path) {
            continue;
        }
        let mut page = if is_html(path) {
            let bytes = file.body.read().map_err(|source| CheckError::Read {
                path: path.into(),
                source,
            })?;
            read_page(key_of(path), &bytes)
        } else {
            Published {
                key: key_of(path),
                ..Published::default()
            }
        };
        page.source = Some(file.source.clone()).filter(|s| s.ends_with(".md"));
        new.push(page);
    }
    let mut against = compare(&old.read()?, &new, docs_dir.as_deref());
    against.old = old.to_string();
    against.config_file = match docs_dir {
        Some(_) => crate::config::mkdocs::MKDOCS_FILE.to_string(),
        None => crate::config::CONFIG_FILE.to_string(),
    };
    Ok(against)
}

/// The comparison itself, old pages against new ones.
fn compare(old: &[Published], new: &[Published], docs_dir: Option<&str>) -> Against {
    let by_key: HashMap<&str, &Published> = new.iter().map(|p| (p.key.as_str(), p)).collect();
    let mut against = Against {
        urls: old.len(),
        ..Against::default()
    };
    for page in old {
        let url = format!("/{}", page.key);
        match by_key.get(page.key.as_str()) {
            None => against.removed.push(Removed {
                url,
                proposal: propose::propose(page, new, docs_dir),
            }),
            Some(now) => match &now.redirect {
                Some(to) if page.redirect.is_none() => against.covered.push(Covered {
                    url,
                    to: to.clone(),
                }),
                Some(_) => {}
                None => removed_anchors(page, now, &mut against.removed_anchors),
            },
        }
    }
    against.removed.sort_by(|a, b| a.url.cmp(&b.url));
    against.covered.sort_by(|a, b| a.url.cmp(&b.url));
    against.removed_anchors.sort_by(|a, b| a.url.cmp(&b.url));
    against
}

fn removed_anchors(old: &Published, new: &Published, out: &mut Vec<RemovedAnchor>) {
    for id in old.anchors.difference(&new.anchors) {
        let renamed_to = crate::diagnostics::suggest(id, new.anchors.iter().map(String::as_str))
            .map(String::from);
        out.push(RemovedAnchor {
            url: format!("/{}#{id}", old.key),
            source_file: new.source.clone(),
            renamed_to,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(key: &str, anchors: &[&str]) -> Published {
        Published {
            key: key.into(),
            anchors: anchors.iter().map(|a| a.to_string()).collect(),
            title: key.into(),
            source: Some(format!("content/{}.md", key.trim_end_matches('/'))),
            ..Published::default()
        }
    }

    #[test]
    fn removed_covered_and_anchors() {
        let old = [
            page("", &[]),
            page("a/", &["install-steps", "kept"]),
            page("gone/", &[]),
            page("moved/", &[]),
        ];
        let mut redirect = page("moved/", &[]);
        redirect.redirect = Some("/elsewhere/".into());
        let new = [
            page("", &[]),
            page("a/", &["installation-steps", "kept"]),
            redirect,
        ];
        let a = compare(&old, &new, None);
        assert_eq!(a.urls, 4);
        assert_eq!(a.removed.len(), 1);
        assert_eq!(a.removed[0].url, "/gone/");
        assert_eq!(
            a.covered,
            [Covered {
                url: "/moved/".into(),
                to: "/elsewhere/".into()
            }]
        );
        assert_eq!(
            a.removed_anchors,
            [RemovedAnchor {
                url: "/a/#install-steps".into(),
                source_file: Some("content/a.md".into()),
                renamed_to: Some("installation-steps".into()),
            }]
        );
        assert!(!a.failed());
        assert!(Against { strict: true, ..a }.failed());
    }
}
