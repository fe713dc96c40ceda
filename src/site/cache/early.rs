//! `serve`'s early start: the pages the last start's cache holds, answered while this
//! start's build runs, so a big site's first page does not wait for the whole load.
//!
//! Only pages whose source file is unchanged since the cache was written are offered; a
//! change anywhere else (a template, `site.yaml`, an asset, a new page) offers none, as
//! it may change every page. What the build then publishes replaces these pages whole and
//! tells browsers to reload, so nothing from the cache outlives the build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::SystemTime;

use super::{segments, store};
use crate::output::Output;

/// The cached pages' files, less those of pages whose source or included files changed
/// since the cache in `cache_dir` was written. `None` when there is no usable cache, or
/// when a file that is neither changed since.
pub(crate) fn cached_pages(root: &Path, cache_dir: &Path) -> Option<Output> {
    let path = cache_dir.join(store::FILE);
    let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    let changed = changed_since(root, written)?;
    let previous = segments::read(&path, None).ok()??;
    let includes = (previous.pages.iter())
        .map(|(path, page)| {
            let included = page.markdown.as_ref().map(|m| m.markdown.includes.clone());
            (path.clone(), included.unwrap_or_default())
        })
        .collect();
    let stale = stale_pages(&changed, &includes)?;
    let mut output = Output::default();
    for (content_path, page) in previous.pages {
        let Some(Ok(files)) = page.out.map(|out| out.result) else {
            continue;
        };
        if stale.contains(content_path.as_str()) {
            continue;
        }
        for (key, file) in files {
            output.files.insert(key, file);
        }
    }
    Some(output)
}

/// The content paths of the pages the changed files went into: a page's source
/// (`content/PATH` or `docs/PATH`), or a file pages included; `None` when a changed file
/// is anything else. `pages` maps each cached page to the files it included.
fn stale_pages(
    changed: &[String],
    pages: &BTreeMap<String, Vec<String>>,
) -> Option<BTreeSet<String>> {
    let mut stale = BTreeSet::new();
    for rel in changed {
        let page = rel.split_once('/').and_then(|(folder, rest)| {
            let content = folder == crate::layout::CONTENT || folder == crate::layout::MKDOCS_DOCS;
            (content && pages.contains_key(rest)).then(|| rest.to_string())
        });
        let includers: Vec<String> = (pages.iter())
            .filter(|(_, included)| included.contains(rel))
            .map(|(path, _)| path.clone())
            .collect();
        if page.is_none() && includers.is_empty() {
            return None;
        }
        stale.extend(page);
        stale.extend(includers);
    }
    Some(stale)
}

/// The files under `root` (paths relative to it, `/`-separated) modified after `time`;
/// hidden folders (the cache, `.git`) and the output folder are not inputs. `None` when
/// the tree cannot be read.
fn changed_since(root: &Path, time: SystemTime) -> Option<Vec<String>> {
    let walk = walkdir::WalkDir::new(root).into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0
            || !(name.starts_with('.') || (e.depth() == 1 && name == crate::layout::OUTPUT))
    });
    let mut changed = Vec::new();
    for entry in walk {
        let entry = entry.ok()?;
        // Followed through links; a FIFO or socket is no page's input.
        let Ok(meta) = std::fs::metadata(entry.path()) else {
            continue;
        };
        if meta.is_file() && meta.modified().ok()? >= time {
            let rel = entry.path().strip_prefix(root).ok()?;
            changed.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Some(changed)
}

#[cfg(test)]
mod tests {
    use super::stale_pages;
    use std::collections::BTreeMap;

    /// A changed page source or included file withholds the pages it went into; any
    /// other changed file, every page.
    #[test]
    fn only_pages_whose_files_changed_are_withheld() {
        let pages: BTreeMap<String, Vec<String>> = [
            ("a.md".to_string(), vec!["parts/x.md".to_string()]),
            ("b/c.md".to_string(), Vec::new()),
        ]
        .into_iter()
        .collect();
        let stale = |changed: &[&str]| {
            let changed: Vec<String> = changed.iter().map(|c| c.to_string()).collect();
            stale_pages(&changed, &pages).map(|s| s.into_iter().collect::<Vec<_>>())
        };
        assert_eq!(stale(&["content/b/c.md"]), Some(vec!["b/c.md".to_string()]));
        assert_eq!(
            stale(&["docs/b/c.md", "parts/x.md"]),
            Some(vec!["a.md".into(), "b/c.md".into()])
        );
        for other in [
            "site.yaml",
            "themes/x/page.html",
            "content/new.md",
            "assets/a.md",
        ] {
            assert_eq!(stale(&[other]), None, "{other}");
        }
    }
}
