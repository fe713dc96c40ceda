//! The Output: the whole built site in memory (output path → bytes + provenance).
//! `build` writes it to disk, `serve` answers from it, `check` resolves its links.

mod journal;
mod plan;
pub(crate) mod prefix;
pub mod record;
pub mod spool;
pub(crate) mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::markdown::LinkRecord;

/// A file's bytes, or a file on disk copied as it is (assets are not read into memory).
/// Bytes are shared, not copied, when an Output is assembled from cached pieces (serve's
/// incremental state keeps each page's rendering and the Output points at the same bytes;
/// a page taken from the build cache points into the cache file's bytes as read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(bytes::Bytes),
    Copy(PathBuf),
    /// A file the previous build wrote into the output folder, unchanged since (see
    /// `record`): a cached build links it into the new site instead of holding its bytes.
    Kept(record::Kept),
}

impl Body {
    /// The bytes, held in an allocation of exactly their size: a page rendered into a
    /// growing buffer has up to twice its size allocated, and the whole site's pages are
    /// held at once (`Bytes::from` keeps a vector's spare capacity; an allocator need
    /// not give it back on a shrinking realloc either, so the bytes are copied).
    pub fn bytes(bytes: Vec<u8>) -> Body {
        if bytes.capacity() == bytes.len() {
            return Body::Bytes(bytes.into());
        }
        Body::Bytes(bytes::Bytes::copy_from_slice(&bytes))
    }

    /// The bytes, reading a copied file from disk.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Body::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Body::Copy(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
            Body::Kept(k) => std::fs::read(&k.path).map(std::borrow::Cow::Owned),
        }
    }

    /// The digest of the bytes when it is known without reading them.
    pub fn known_digest(&self) -> Option<record::Digest> {
        match self {
            Body::Kept(k) => Some(k.written.digest),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub body: Body,
    /// Where it came from, relative to the site root (`content/a.md`,
    /// `themes/decred/static/css/decred.css`), or a description for generated files.
    pub source: String,
    /// Links written in Markdown, with their positions in `source`.
    pub links: Vec<LinkRecord>,
    /// The template file that rendered this page, relative to the site root
    /// (`themes/decred/templates/page.html`), so `check` can blame links the template
    /// wrote on it rather than on the Markdown.
    pub template: Option<String>,
}

impl OutputFile {
    pub fn generated(bytes: Vec<u8>, source: impl Into<String>) -> OutputFile {
        OutputFile {
            body: Body::bytes(bytes),
            source: source.into(),
            links: Vec::new(),
            template: None,
        }
    }
}

/// The built site. Paths are relative to the output root, `/`-separated
/// (`index.html`, `a/b/index.html`, `css/decred.1a2b3c4d.css`).
#[derive(Debug, Default, Clone)]
pub struct Output {
    pub files: BTreeMap<String, OutputFile>,
}

impl Output {
    /// Adds a file; if the path is taken, returns the source of the file already there.
    pub fn insert(&mut self, path: String, file: OutputFile) -> Result<(), String> {
        match self.files.get(&path) {
            Some(existing) => Err(existing.source.clone()),
            None => {
                self.files.insert(path, file);
                Ok(())
            }
        }
    }

    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files.get(path)
    }

    pub fn pages(&self) -> impl Iterator<Item = (&String, &OutputFile)> {
        self.files.iter().filter(|(p, _)| p.ends_with(".html"))
    }
}
