//! Where each content file ends up, and how links written in Markdown find their target.

use std::collections::HashMap;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use crate::diagnostics::LinkCause;
use crate::markdown::{LinkResolution, LinkResolver};

/// Characters escaped in URL path segments.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// Is `name` (without folder) a section index?
pub fn is_index_file(name: &str) -> bool {
    matches!(name, "_index.md" | "index.md")
}

/// The folder part of a content path (`a/b.md` → `a`, `b.md` → ``).
pub fn parent_dir(content_path: &str) -> &str {
    content_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// The output folder (relative, `/`-separated, empty for the root) of a Markdown file.
/// `a/b.md` → `a/b`, `a/_index.md` → `a`, with the last part replaced by `slug` when set.
pub fn page_dir(content_path: &str, slug: Option<&str>) -> String {
    let (dir, file) = content_path.rsplit_once('/').unwrap_or(("", content_path));
    if is_index_file(file) {
        return match (slug, dir.rsplit_once('/')) {
            (Some(slug), Some((parent, _))) => join(parent, slug),
            (Some(slug), None) if !dir.is_empty() => slug.to_string(),
            _ => dir.to_string(),
        };
    }
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    join(dir, slug.unwrap_or(stem))
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Root-relative pretty URL of an output folder: `a/b` → `/a/b/`, `` → `/`.
pub fn dir_url(dir: &str) -> String {
    if dir.is_empty() {
        return "/".to_string();
    }
    let mut url = String::from("/");
    for seg in dir.split('/') {
        url.extend(utf8_percent_encode(seg, SEGMENT));
        url.push('/');
    }
    url
}

/// Where a page with output folder `dir` is written, and its root-relative URL.
/// With directory URLs every page is a folder (`a/b/index.html`, `/a/b/`); without
/// (MkDocs' `use_directory_urls: false`) a page is a file (`a/b.html`, `/a/b.html`) and
/// a folder page names its `index.html` (`a/index.html`, `/a/index.html`), as MkDocs does.
pub fn page_location(dir: &str, is_folder_page: bool, directory_urls: bool) -> (String, String) {
    let folder_output = if dir.is_empty() {
        "index.html".to_string()
    } else {
        format!("{dir}/index.html")
    };
    if directory_urls {
        (folder_output, dir_url(dir))
    } else if is_folder_page || dir.is_empty() {
        let url = file_url(&folder_output);
        (folder_output, url)
    } else {
        let output = format!("{dir}.html");
        let url = file_url(&output);
        (output, url)
    }
}

/// Root-relative URL of a static file (`img/a b.png` → `/img/a%20b.png`).
pub fn file_url(path: &str) -> String {
    let mut url = String::new();
    for seg in path.split('/') {
        url.push('/');
        url.extend(utf8_percent_encode(seg, SEGMENT));
    }
    url
}

/// Does `href` start with a URL scheme (`https:`, `mailto:`)?
pub fn has_scheme(href: &str) -> bool {
    let Some(colon) = href.find(':') else {
        return false;
    };
    let scheme = &href[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Normalises `a/./b/../c` → `a/c`; `None` when `..` climbs above the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Every content file's URL, for rewriting relative Markdown links.
#[derive(Debug, Default)]
pub struct ContentIndex {
    /// Content path (`a/b.md`, `img/x.png`) → root-relative URL.
    files: HashMap<String, String>,
    /// The content folder relative to the root, for messages (`content` when empty).
    pub dir: String,
}

impl ContentIndex {
    pub fn insert(&mut self, content_path: String, url: String) {
        self.files.insert(content_path, url);
    }

    pub fn url_of(&self, content_path: &str) -> Option<&str> {
        self.files.get(content_path).map(String::as_str)
    }

    /// The content folder as messages name it.
    fn shown_dir(&self) -> &str {
        if self.dir.is_empty() {
            crate::layout::CONTENT
        } else {
            &self.dir
        }
    }

    /// Finds the file a link path (already joined and normalised) means.
    fn find(&self, path: &str, ends_with_slash: bool) -> Option<&str> {
        // `page.md/#x` is `page.md#x` to MkDocs (it normalises the path, dropping the
        // slash), and real projects write it.
        if !ends_with_slash || path.ends_with(".md") {
            if let Some(url) = self.url_of(path) {
                return Some(url);
            }
            if let Some(url) = self.url_of(&format!("{path}.md")) {
                return Some(url);
            }
        }
        for index in ["_index.md", "index.md", "README.md"] {
            let candidate = if path.is_empty() {
                index.to_string()
            } else {
                format!("{path}/{index}")
            };
            if let Some(url) = self.url_of(&candidate) {
                return Some(url);
            }
        }
        None
    }
}

impl LinkResolver for ContentIndex {
    fn resolve(&self, from: &str, href: &str) -> LinkResolution {
        if href.is_empty() || href.starts_with('#') || href.starts_with('/') || has_scheme(href) {
            return LinkResolution::Unchanged;
        }
        let (rest, fragment) = match href.find('#') {
            Some(i) => (&href[..i], &href[i..]),
            None => (href, ""),
        };
        let path_part = rest.split('?').next().unwrap_or(rest);
        let decoded = percent_decode_str(path_part).decode_utf8_lossy();
        let joined = join(parent_dir(from), &decoded);
        let Some(normal) = normalize(&joined) else {
            return LinkResolution::Broken {
                cause: LinkCause::ClimbsAbove {
                    dir: self.shown_dir().to_string(),
                },
            };
        };
        match self.find(&normal, decoded.ends_with('/')) {
            Some(url) => LinkResolution::Rewritten(format!("{url}{fragment}")),
            None => LinkResolution::Broken {
                cause: LinkCause::NoSuchFile {
                    path: format!("{}/{normal}", self.shown_dir()),
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> ContentIndex {
        let mut i = ContentIndex::default();
        i.insert("_index.md".into(), "/".into());
        i.insert("guide.md".into(), "/guide/".into());
        i.insert("a/_index.md".into(), "/a/".into());
        i.insert("a/b.md".into(), "/a/b/".into());
        i.insert("a/img/x y.png".into(), "/a/img/x%20y.png".into());
        i
    }

    #[test]
    fn computes_pretty_output_folders() {
        assert_eq!(page_dir("a/b.md", None), "a/b");
        assert_eq!(page_dir("a/_index.md", None), "a");
        assert_eq!(page_dir("_index.md", None), "");
        assert_eq!(page_dir("a/b.md", Some("c")), "a/c");
        assert_eq!(page_dir("a/index.md", Some("z")), "z");
        assert_eq!(dir_url("a b/c"), "/a%20b/c/");
        assert_eq!(dir_url(""), "/");
    }

    #[test]
    fn pages_are_folders_or_files() {
        // (output folder, is a folder page, directory URLs) → (file, URL)
        let cases = [
            (("a/b", false, true), ("a/b/index.html", "/a/b/")),
            (("", true, true), ("index.html", "/")),
            (("a/b", false, false), ("a/b.html", "/a/b.html")),
            (("a", true, false), ("a/index.html", "/a/index.html")),
            (("", true, false), ("index.html", "/index.html")),
            (("x y", false, false), ("x y.html", "/x%20y.html")),
        ];
        for ((dir, folder, dirs), (file, url)) in cases {
            let got = page_location(dir, folder, dirs);
            assert_eq!((got.0.as_str(), got.1.as_str()), (file, url), "{dir}");
        }
    }

    #[test]
    fn resolves_relative_links_against_the_linking_folder() {
        let i = index();
        let r = |from, href| i.resolve(from, href);
        assert_eq!(
            r("a/b.md", "../guide.md#setup"),
            LinkResolution::Rewritten("/guide/#setup".into())
        );
        assert_eq!(
            r("guide.md", "a/b"),
            LinkResolution::Rewritten("/a/b/".into())
        );
        assert_eq!(r("guide.md", "a/"), LinkResolution::Rewritten("/a/".into()));
        assert_eq!(
            r("a/b.md", "../guide.md/#setup"),
            LinkResolution::Rewritten("/guide/#setup".into()),
            "MkDocs reads `page.md/` as `page.md`"
        );
        assert_eq!(
            r("a/b.md", "img/x%20y.png"),
            LinkResolution::Rewritten("/a/img/x%20y.png".into())
        );
        assert_eq!(r("a/b.md", "./"), LinkResolution::Rewritten("/a/".into()));
        assert_eq!(r("a/b.md", "https://x.org"), LinkResolution::Unchanged);
        assert_eq!(r("a/b.md", "#top"), LinkResolution::Unchanged);
        assert_eq!(r("a/b.md", "mailto:x@y"), LinkResolution::Unchanged);
        assert!(matches!(
            r("guide.md", "advanced/contributor-compensation"),
            LinkResolution::Broken { .. }
        ));
        assert!(matches!(
            r("guide.md", "../../x.md"),
            LinkResolution::Broken { .. }
        ));
    }

    #[test]
    fn scheme_detection() {
        assert!(has_scheme("https://a"));
        assert!(has_scheme("tel:123"));
        assert!(!has_scheme("a/b:c"));
        assert!(!has_scheme("guide.md"));
    }
}
