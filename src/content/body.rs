//! A page's Markdown after its front matter. A build with the cache takes the front
//! matter of a file the scan of its inputs found unchanged from the cache and leaves the
//! body on disk ([`Body::Unread`]) until the page's Markdown is rendered again: reading,
//! splitting and parsing every file was a sixth of a build after a one-page edit.
//!
//! An enum rather than a body read on first use: reading can fail (the file is not as
//! the cache said), and the pipeline has one place that knows which pages render and
//! can fall back when it does (`Content::read_bodies`); a read hidden inside an accessor
//! could only panic or return nothing.

use std::path::PathBuf;

/// A digest of a body (xxh3, 128 bits, as the build cache's keys).
pub type Digest = [u8; 16];

#[derive(Debug, Clone)]
pub enum Body {
    /// The text, read with the file.
    Read(String),
    /// Left on disk: the file is as the build cache's entry for it was made from.
    Unread(Unread),
}

/// Where a body left on disk is, and what the cache knew of it.
#[derive(Debug, Clone)]
pub struct Unread {
    /// The Markdown file.
    pub(crate) path: PathBuf,
    /// The body's digest when the cache entry was written.
    pub(crate) digest: Digest,
    pub(crate) empty: bool,
}

impl Default for Body {
    fn default() -> Self {
        Body::Read(String::new())
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body::Read(text)
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Self {
        Body::Read(text.to_string())
    }
}

/// The digest of a body's text.
pub fn digest_of(text: &str) -> Digest {
    xxhash_rust::xxh3::xxh3_128(text.as_bytes()).to_le_bytes()
}

impl Body {
    /// The text. Every page whose Markdown is rendered has its body read first
    /// (`Content::read_bodies`); a body still on disk here is a bug, which must stop
    /// the build rather than pass as an empty page.
    pub fn text(&self) -> &str {
        match self {
            Body::Read(text) => text,
            Body::Unread(unread) => panic!(
                "the body of {} was used without being read",
                unread.path.display()
            ),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Body::Read(text) => text.is_empty(),
            Body::Unread(unread) => unread.empty,
        }
    }

    pub fn is_read(&self) -> bool {
        matches!(self, Body::Read(_))
    }

    /// The digest of the text, whether it was read or not.
    pub fn digest(&self) -> Digest {
        match self {
            Body::Read(text) => digest_of(text),
            Body::Unread(unread) => unread.digest,
        }
    }
}
