//! A Markdown file's parse as the build cache keeps it (`content::Parsed`): the loader
//! takes it instead of reading a file that the scan of the build's inputs found as the
//! last build read it (`state/sources.rs`). The body is not kept, only its digest: it is
//! read, and checked against the digest, when the page is rendered again.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Key;
use crate::content::body::{Body, Unread};
use crate::content::{front_as_parsed, FrontMatter, LoadOptions, Page, Parsed};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub(crate) struct CachedSource {
    /// Read as an MkDocs page (its front matter's other keys ignored).
    mkdocs: bool,
    /// The front matter in JSON: its `extra` is any value, which bincode cannot read
    /// back; and the two fields its serde form leaves out.
    front: String,
    redirect: Option<String>,
    search_exclude: bool,
    yaml: String,
    yaml_line_offset: usize,
    body_line_offset: usize,
    body_digest: Key,
    body_empty: bool,
}

impl CachedSource {
    /// What page `page`'s file gave when loaded with `opts`; none when its front matter
    /// cannot be written.
    pub(crate) fn of(page: &Page, opts: &LoadOptions) -> Option<CachedSource> {
        let front = front_as_parsed(page, opts);
        Some(CachedSource {
            mkdocs: opts.mkdocs,
            front: serde_json::to_string(&front).ok()?,
            redirect: front.redirect,
            search_exclude: front.search_exclude,
            yaml: page.yaml.clone(),
            yaml_line_offset: page.yaml_line_offset,
            body_line_offset: page.body_line_offset,
            body_digest: page.body.digest(),
            body_empty: page.body.is_empty(),
        })
    }

    /// The parse of the file at `path`, its body left there; none when it was read
    /// otherwise (`mkdocs`) or its front matter does not read back.
    pub(crate) fn parsed(&self, path: &Path, mkdocs: bool) -> Option<Parsed> {
        if self.mkdocs != mkdocs {
            return None;
        }
        let mut front: FrontMatter = serde_json::from_str(&self.front).ok()?;
        front.redirect = self.redirect.clone();
        front.search_exclude = self.search_exclude;
        Some(Parsed {
            front,
            yaml: self.yaml.clone(),
            yaml_line_offset: self.yaml_line_offset,
            body: Body::Unread(Unread {
                path: path.to_path_buf(),
                digest: self.body_digest,
                empty: self.body_empty,
            }),
            body_line_offset: self.body_line_offset,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of the front matter reads back as it was, `extra` and the MkDocs
    /// fields its serde form skips included.
    #[test]
    fn the_front_matter_reads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let text = "---\ntitle: T\nweight: -3\naliases: [/x/]\nextra: {a: [1, 2.5, null], b: {c: true}}\nlinks: [{name: n, url: u}]\n---\n# Body\n";
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), text).unwrap();
        let opts = LoadOptions::default();
        let (content, problems) = crate::content::load_with(dir.path(), &opts);
        assert!(problems.is_empty(), "{problems:?}");
        let mut page = content
            .pages
            .iter()
            .find(|p| p.content_path == "a.md")
            .unwrap()
            .clone();
        page.front.redirect = Some("/r/".into());
        page.front.search_exclude = true;
        let cached = CachedSource::of(&page, &opts).unwrap();
        let parsed = cached
            .parsed(&dir.path().join("content/a.md"), false)
            .unwrap();
        assert_eq!(parsed.front, page.front);
        assert_eq!(parsed.yaml, page.yaml);
        assert_eq!(parsed.body_line_offset, page.body_line_offset);
        assert_eq!(parsed.body.digest(), page.body.digest());
        assert!(!parsed.body.is_read() && !parsed.body.is_empty());
        assert!(
            cached.parsed(Path::new("x"), true).is_none(),
            "read as MkDocs"
        );
    }
}
