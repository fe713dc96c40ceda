//! Loading the content with the build cache: a Markdown file the scan of the build's
//! inputs found as the last build read it (`build::unchanged`) is not read again; its
//! front matter and what else the file gave come from the cache's entry for its page
//! (`cache/source.rs`), and its body is read only if the page's Markdown is rendered
//! again (`Content::read_bodies`, which checks it against the entry's digest).

use super::{load_options, SiteState};
use crate::config::Config;
use crate::content::{self, Content, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::site::cache::inputs::SameFiles;
use crate::site::cache::Previous;
use crate::site::BuildOptions;

/// The content of the site, the files `same` names taken from the previous build's
/// cache `previous` where it can be.
pub(super) fn load_content(
    config: &Config,
    options: &BuildOptions,
    previous: Option<&Previous>,
    same: Option<&SameFiles>,
) -> (Content, Vec<Diagnostic>) {
    let root = options.root.as_path();
    let opts = load_options(config, options);
    // A translated page is made of two files; the blog and tags plugins read every
    // page's text (post titles, the tags index marker) while the content loads.
    let reusable = opts.language.is_none() && config.plugins.blog.is_none() && !config.plugins.tags;
    let (Some(previous), Some(same), true) = (previous, same, reusable) else {
        return content::load_with(root, &opts);
    };
    let known = |file: &SourceFile| {
        let relative = file.abs_path.strip_prefix(root).ok()?;
        if !same.contains(relative) {
            return None;
        }
        let entry = previous.pages.get(&file.content_path)?;
        entry.parse.as_ref()?.parsed(&file.abs_path, opts.mkdocs)
    };
    content::load_knowing(root, &opts, &known)
}

impl SiteState {
    /// Loads the content again reading every file: the cache said wrong of one.
    pub(super) fn reload_content(&mut self) {
        let opts = load_options(&self.config, &self.options);
        (self.content, self.content_problems) = content::load_with(self.root(), &opts);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), text).unwrap();
    }

    /// Every page's files after the Markdown and templates, by output path.
    fn pages(state: &SiteState) -> Vec<(String, Vec<u8>)> {
        (state.output().files.iter())
            .map(|(path, file)| (path.clone(), file.body.read().unwrap().into_owned()))
            .collect()
    }

    /// A file the build is told is as the last build read it, but whose body is not
    /// the one the cache describes, is found when its body is read: the cache is
    /// ignored with one warning and the content read again, as a clean load has it.
    #[test]
    fn a_body_not_as_the_cache_says_is_found_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::init::init(root).unwrap();
        write(root, "content/a.md", "---\ntitle: A\n---\nFirst words.\n");
        let options = BuildOptions {
            root: root.to_path_buf(),
            cache: Some(root.join(".dcrsite-cache")),
            ..BuildOptions::default()
        };
        let first = SiteState::load(&options).unwrap();
        assert!(first.cache_warning().is_none());
        // Told unchanged, the page changed; a new page renders every page's Markdown.
        write(root, "content/a.md", "---\ntitle: A\n---\nOther words.\n");
        write(root, "content/b.md", "# B\n");
        let same = SameFiles::claiming(&["content/a.md"]);
        let state = SiteState::load_spooled(&options, None, Some(Arc::new(same)), None).unwrap();
        let warning = state
            .cache_warning()
            .expect("the cache is ignored")
            .to_string();
        assert!(
            warning.contains("content/a.md is not as the cache recorded it"),
            "{warning}"
        );
        assert_eq!(state.cache_use().sources_reused, 0);
        let clean = SiteState::load(&BuildOptions {
            cache: None,
            ..options.clone()
        })
        .unwrap();
        assert!(pages(&state) == pages(&clean), "a clean load's files");
        let page = String::from_utf8(
            pages(&state)
                .into_iter()
                .find(|(p, _)| p == "a/index.html")
                .unwrap()
                .1,
        )
        .unwrap();
        assert!(page.contains("Other words."), "{page}");
    }

    /// Without the claim, the same files are read: nothing is taken from the cache
    /// that the scan did not vouch for.
    #[test]
    fn only_the_files_named_same_are_taken_from_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::init::init(root).unwrap();
        write(root, "content/a.md", "---\ntitle: A\n---\nWords.\n");
        write(root, "content/b.md", "# B\n");
        let options = BuildOptions {
            root: root.to_path_buf(),
            cache: Some(root.join(".dcrsite-cache")),
            ..BuildOptions::default()
        };
        SiteState::load(&options).unwrap();
        let same = SameFiles::claiming(&["content/a.md", "content/b.md"]);
        let state = SiteState::load_spooled(&options, None, Some(Arc::new(same)), None).unwrap();
        assert!(state.cache_warning().is_none());
        assert_eq!(state.cache_use().sources_reused, 2);
        assert_eq!(state.cache_use().markdown_reused, state.content.pages.len());
        let state = SiteState::load_spooled(&options, None, None, None).unwrap();
        assert_eq!(state.cache_use().sources_reused, 0);
    }
}
