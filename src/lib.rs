//! dcrsite: a fast, strict static documentation site generator.
//!
//! One pipeline, three sinks: `load` reads the site, `render` turns it into an in-memory
//! [`output::Output`], and `build`, `serve` and `check` differ only in what they do with it.

pub mod diagnostics;
pub mod icons;
pub mod markdown;
