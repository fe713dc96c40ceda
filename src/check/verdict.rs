//! The build's link check result, kept in the build cache folder (`link-verdict.bin`)
//! with a key of everything the check reads: a build whose output, links, templates,
//! configuration and Markdown files are all as they were takes the previous findings
//! instead of checking again, and does not load the parse memo (`memo`) at all. On an
//! unchanged 10,000-page site, resolving every link again and reading the memo were a
//! third of the build.
//!
//! The key holds each output file's path, digest, source, template and link records; the
//! configuration and the templates' texts; and the length and modification time of each
//! Markdown file (the checker reads them to place links that have no record). Anything
//! else changing means the check runs. A file that cannot be read is not worth a warning.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::output::record::digest;
use crate::output::Body;
use crate::site::{cache_store as store, CacheKey as Key, KeyHasher, Rendered};

/// The file inside the cache folder.
const FILE: &str = "link-verdict.bin";

#[derive(Serialize, Deserialize)]
struct Verdict<T> {
    key: Key,
    findings: T,
}

/// The previous build's findings, if it checked exactly this site.
pub(super) fn previous<T: serde::de::DeserializeOwned>(dir: &Path, key: Key) -> Option<T> {
    let verdict = store::read::<Verdict<T>>(&dir.join(FILE)).ok().flatten()?;
    (verdict.key == key).then_some(verdict.findings)
}

/// Keeps this build's findings for the next one.
pub(super) fn save<T: Serialize>(dir: &Path, key: Key, findings: &T) {
    let _ = store::write(&dir.join(FILE), &Verdict { key, findings });
}

/// Everything the check of `rendered` (from the site at `root`) reads.
pub(super) fn key(rendered: &Rendered, root: &Path) -> Key {
    let mut h = KeyHasher::new("link verdict 1");
    h.text(&root.to_string_lossy()).debug(&rendered.config);
    for (name, text) in rendered.templates.files() {
        h.text(name).text(text);
    }
    for (path, file) in &rendered.output.files {
        h.text(path).text(&file.source).debug(&file.template);
        match &file.body {
            Body::Bytes(bytes) => h.bytes(&digest(bytes)),
            Body::Kept(kept) => h.bytes(&kept.written.digest),
            Body::Copy(from) => h.text(&from.to_string_lossy()).debug(&stamp(from)),
        };
        h.serialized(&file.links);
        if file.source.ends_with(".md") {
            h.debug(&stamp(&root.join(&file.source)));
        }
    }
    h.finish()
}

/// A file's length and modification time, or none.
fn stamp(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}
