//! The integration tests: one test binary, one module per feature (see `README.md`
//! beside this file). Each test drives the real `dcrsite` binary or the library on a
//! site in a temporary folder; `common` holds the helpers they share.

mod common;

mod accessibility;
mod against;
mod bad_input;
mod browser;
mod build;
mod build_cache;
mod build_cache_output;
mod build_cache_sources;
mod build_unchanged;
mod bundled_site;
mod check;
mod check_external;
mod ci_action;
mod ci_formats;
mod content_checks;
mod corpus_1000;
mod errors;
mod fuzz_regressions;
mod html_validity;
mod import;
mod incremental;
mod init;
mod kill_mid_build;
mod languages;
mod markdown;
mod mkdocs;
mod mkdocs_nav;
mod mkdocs_plugins;
mod output_folder;
mod reader_browser;
mod reader_features;
mod search;
mod serve;
mod serve_stress;
mod shared_corpora;
mod theme_browser;
mod theme_settings;
