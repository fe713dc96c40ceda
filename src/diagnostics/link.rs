//! Why a link of the site leads nowhere: found by the Markdown renderer as it rewrites
//! links and by the checker in the HTML, worded by one `Display` for every report.

use std::fmt;

/// Why a link of the site is broken. Paths are as the author sees them: a source path
/// (`content/a.md`) from the renderer, a URL path (`/docs/a/`) from the checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkCause {
    /// Nothing is served (or written) at this path.
    NoSuchFile { path: String },
    /// The page exists, but no element on it has this id.
    NoSuchAnchor { id: String, page: String },
    /// A relative path with more `..` than folders above it, escaping `dir`.
    ClimbsAbove { dir: String },
    /// A root-relative path that is not under the path the site is served at.
    OutsideSite { path: String, base_path: String },
    /// The URL cannot be parsed.
    NotAUrl(url::ParseError),
    /// A `file:` URL: it names a file of the author's disk, not of the site.
    FileUrl,
    /// Undecided, not broken: the id is not on the page as dcrsite built it, but a
    /// plugin dcrsite cannot run (`by`) generates part of that page.
    Generated {
        id: String,
        page: String,
        by: String,
    },
    /// Undecided, not broken: the path is in another version of a site `mike` deploys
    /// (`version` is its folder, `/dev/`); only this version is built.
    OtherVersion { path: String, version: String },
    /// Undecided, not broken: no page at the path, but a plugin dcrsite cannot run
    /// (`by`) writes pages when MkDocs builds the site.
    GeneratedPage { path: String, by: String },
}

impl LinkCause {
    /// Whether the link may work after all: reported as unknown, not broken.
    pub fn is_undecided(&self) -> bool {
        matches!(
            self,
            LinkCause::Generated { .. }
                | LinkCause::OtherVersion { .. }
                | LinkCause::GeneratedPage { .. }
        )
    }
}

impl LinkCause {
    /// The kind of a broken link written as `written` broken for this cause, as MkDocs'
    /// `validation.links` tells them apart: a missing anchor, an absolute path, a relative
    /// path that cannot name a file (no extension in its last part), else a missing file.
    pub fn kind_for(&self, written: &str) -> super::Kind {
        use super::Kind;
        let path = written.split(['#', '?']).next().unwrap_or("");
        let last = path.rsplit('/').next().unwrap_or("");
        match self {
            LinkCause::NoSuchAnchor { .. } => Kind::BrokenAnchor,
            _ if path.starts_with('/') => Kind::BrokenAbsoluteLink,
            LinkCause::NoSuchFile { .. } if !path.contains(':') && !last.contains('.') => {
                Kind::UnrecognizedLink
            }
            _ => Kind::BrokenLink,
        }
    }
}

impl fmt::Display for LinkCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkCause::NoSuchFile { path } => write!(f, "no page or file at {path}"),
            LinkCause::NoSuchAnchor { id, page } => {
                write!(f, "no element with id `{id}` on {page}")
            }
            LinkCause::ClimbsAbove { dir } => write!(f, "the path climbs above {dir}/"),
            LinkCause::OutsideSite { path, base_path } => write!(
                f,
                "{path} is outside the site, which is served under {base_path}"
            ),
            LinkCause::NotAUrl(e) => write!(f, "not a valid URL: {e}"),
            LinkCause::FileUrl => {
                f.write_str("a file: URL points into the author's own disk, not the site")
            }
            LinkCause::Generated { id, page, by } => write!(
                f,
                "no element with id `{id}` on {page} as dcrsite built it; {by} generates part \
                 of that page, which dcrsite cannot run, so the id may be there"
            ),
            LinkCause::GeneratedPage { path, by } => write!(
                f,
                "no page at {path} as dcrsite built the site; {by} writes pages when MkDocs \
                 builds it, which dcrsite cannot run, so it may be one of them"
            ),
            LinkCause::OtherVersion { path, version } => write!(
                f,
                "no page or file at {path} in this version; {version} may be another version \
                 of the site, which mike deploys beside this one"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_in_words() {
        let path = |p: &str| p.to_string();
        let cases = [
            (
                LinkCause::NoSuchFile {
                    path: path("content/nope.md"),
                },
                "no page or file at content/nope.md",
            ),
            (
                LinkCause::NoSuchAnchor {
                    id: path("sec"),
                    page: path("/docs/a/"),
                },
                "no element with id `sec` on /docs/a/",
            ),
            (
                LinkCause::ClimbsAbove {
                    dir: path("content"),
                },
                "the path climbs above content/",
            ),
            (
                LinkCause::OutsideSite {
                    path: path("/a/"),
                    base_path: path("/docs/"),
                },
                "/a/ is outside the site, which is served under /docs/",
            ),
            (
                LinkCause::NotAUrl(url::ParseError::InvalidPort),
                "not a valid URL: invalid port number",
            ),
            (
                LinkCause::Generated {
                    id: path("cmd-run"),
                    page: path("/cli/"),
                    by: path("mkdocs-click"),
                },
                "no element with id `cmd-run` on /cli/ as dcrsite built it; mkdocs-click \
                 generates part of that page, which dcrsite cannot run, so the id may be there",
            ),
            (
                LinkCause::OtherVersion {
                    path: path("/dev/a/"),
                    version: path("/dev/"),
                },
                "no page or file at /dev/a/ in this version; /dev/ may be another version of \
                 the site, which mike deploys beside this one",
            ),
            (
                LinkCause::GeneratedPage {
                    path: path("/reference/api/"),
                    by: path("gen-files"),
                },
                "no page at /reference/api/ as dcrsite built the site; gen-files writes pages \
                 when MkDocs builds it, which dcrsite cannot run, so it may be one of them",
            ),
            (
                LinkCause::FileUrl,
                "a file: URL points into the author's own disk, not the site",
            ),
        ];
        for (cause, words) in cases {
            assert_eq!(cause.to_string(), words);
        }
    }
}
