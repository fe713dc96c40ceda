//! dcrsite: a fast, strict static documentation site generator.
//!
//! One pipeline, three sinks: [`site::render_site`] loads and renders the site into an
//! in-memory [`output::Output`]; `build` writes it to disk, `serve` answers HTTP from it
//! and `check` resolves its links.

// The library's surface is what the binary, tests, examples and benches use; the rest is
// crate-private, and a `pub` that reaches no further than the crate says so.
#![warn(unreachable_pub)]

pub(crate) mod assets;
pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub(crate) mod contributors;
pub mod diagnostics;
pub mod emoji_indexes;
pub mod i18n;
pub mod icon_sets;
pub mod icons;
pub mod import;
pub mod init;
pub mod layout;
pub mod markdown;
pub mod output;
pub(crate) mod search;
pub mod serve;
pub mod site;
pub mod templates;
pub(crate) mod theme;
pub mod yaml;
