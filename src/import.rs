//! `dcrsite import`: turning another generator's data into dcrsite content.
//!
//! `contributors` reads Hugo's `people.yml` and `companies.yml` (decred.org's contributors
//! page) and writes one Markdown page per person, the portraits beside them, and the
//! companies into `site.yaml`. `entries` turns YAML entries into pages, `companies` merges
//! the companies, `files` writes without ever overwriting silently.

mod companies;
pub mod contributors;
mod entries;
mod files;

pub use contributors::{import_contributors, CompaniesOutcome, ImportOptions, ImportReport};
