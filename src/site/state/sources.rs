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
