//! The `redirects` plugin of an MkDocs project: each `redirect_maps` entry `old.md:
//! new.md` is a redirect page at the old page's URL. A redirect to a page of the site is
//! one of that page's aliases (so it is written, and kept up to date in `serve`, exactly
//! like a site.yaml page's `aliases`); a redirect to a place on a page (`new.md#part`)
//! or to another site is written here.

use crate::config::mkdocs_plugins::{Plugins, Redirect};
use crate::config::Config;
use crate::content::{urls, Content};
use crate::diagnostics::{position_of, Diagnostic};
use crate::output::OutputFile;

/// The URL MkDocs gives the page `content_path` (a Markdown path in `docs_dir`).
fn page_url(content_path: &str, directory_urls: bool) -> String {
    let name = content_path.rsplit('/').next().unwrap_or(content_path);
    let folder_page = urls::is_index_file(name) || name == "README.md";
    let dir = if name == "README.md" {
        urls::parent_dir(content_path).to_string()
    } else {
        urls::page_dir(content_path, None)
    };
    urls::page_location(&dir, folder_page, directory_urls).1
}

/// The aliases the page at `content_path` gets: the URLs of the old pages that redirect
/// to it.
pub(crate) fn aliases_of(
    plugins: &Plugins,
    content_path: &str,
    directory_urls: bool,
) -> Vec<String> {
    plugins
        .redirects_to(content_path)
        .map(|from| page_url(from, directory_urls))
        .collect()
}

/// Whether `to` is a URL of another site rather than a page of this one.
fn is_elsewhere(to: &str) -> bool {
    urls::has_scheme(to) || to.starts_with("//")
}

/// Redirect pages to places on pages and to other sites, and a warning for each redirect
/// to a page that does not exist (it would leave the old URL leading nowhere).
pub(super) fn other_sites(
    config: &Config,
    content: &Content,
) -> (Vec<(String, OutputFile)>, Vec<Diagnostic>) {
    let directory_urls = config.mkdocs.as_ref().is_none_or(|p| p.use_directory_urls);
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for r in &config.plugins.redirects {
        let Some(path) =
            super::template_pass::alias_output_path(&page_url(&r.from, directory_urls))
        else {
            continue;
        };
        let (page, fragment) = r.to.split_once('#').unwrap_or((&r.to, ""));
        let target = if is_elsewhere(&r.to) {
            r.to.clone()
        } else if let Some(p) = content.pages.iter().find(|p| p.content_path == page) {
            if fragment.is_empty() {
                continue; // one of the page's aliases
            }
            format!(
                "{}{}#{fragment}",
                config.base_path(),
                p.url.trim_start_matches('/')
            )
        } else {
            problems.push(missing_target(config, r));
            continue;
        };
        let html = super::template_pass::redirect_page(&target, &target);
        files.push((
            path,
            OutputFile::generated(html.into_bytes(), config.source_file.clone()),
        ));
    }
    (files, problems)
}

fn missing_target(config: &Config, r: &Redirect) -> Diagnostic {
    let docs = config.layout().content().to_string();
    Diagnostic::warning(
        &config.source_file,
        format!(
            "redirect from `{}` to `{}`: there is no page {docs}/{}",
            r.from, r.to, r.to
        ),
    )
    .at_position(position_of(&config.source_text, &format!("{}:", r.from)))
    .with_help(format!(
        "name a Markdown file in {docs}/ (relative to it), or a full URL"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_pages_get_the_urls_mkdocs_gives_them() {
        assert_eq!(page_url("users.md", true), "/users/");
        assert_eq!(page_url("a/index.md", true), "/a/");
        assert_eq!(page_url("a/README.md", true), "/a/");
        assert_eq!(page_url("a/b.md", false), "/a/b.html");
        assert_eq!(page_url("a/index.md", false), "/a/index.html");
        let plugins = Plugins {
            redirects: vec![Redirect {
                from: "old/x.md".into(),
                to: "new.md#part".into(),
            }],
            ..Plugins::default()
        };
        assert!(
            aliases_of(&plugins, "new.md", true).is_empty(),
            "to a place on it"
        );
        let plugins = Plugins {
            redirects: vec![Redirect {
                from: "old/x.md".into(),
                to: "new.md".into(),
            }],
            ..Plugins::default()
        };
        assert_eq!(aliases_of(&plugins, "new.md", true), ["/old/x/"]);
        assert!(aliases_of(&plugins, "old/x.md", true).is_empty());
        assert!(is_elsewhere("https://x.org/") && !is_elsewhere("a.md"));
    }
}
