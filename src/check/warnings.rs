//! Broken internal links as `build`'s warnings: the same checker as `dcrsite check`, its
//! findings turned into diagnostics at the place to fix.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{verdict, Finding, Reason};
use crate::diagnostics::Diagnostic;
use crate::site::{CachedDiagnostic, Rendered};

/// Broken internal links of a rendered site as build warnings: one per place (a template
/// link broken on many pages is one warning that says how many), leaving out links the
/// Markdown renderer already warned about at the same place.
///
/// `serve` does not run this: it reads every page of the site again, which would cost
/// each rebuild far more than re-rendering the page that changed. So `serve` shows the
/// broken links the renderer finds (relative links in Markdown) and `build` and `check`
/// show them all.
///
/// `cache`, the build cache folder, keeps each page's findings and what was read of it
/// for the next build (see `verdict` and `memo`): a page whose findings still hold is not
/// checked again, and one whose HTML is unchanged is not parsed again. `scanned` holds
/// the signatures of the site's files as the build's start scan took them, if it did.
pub(crate) fn build_warnings(
    rendered: &Rendered,
    root: &Path,
    cache: Option<&Path>,
    scanned: &verdict::Scanned<'_>,
) -> Vec<Diagnostic> {
    let mut broken = match verdict::broken_links(rendered, root, cache, scanned, broken) {
        Ok(broken) => broken,
        Err(e) => {
            return vec![Diagnostic::warning(
                "",
                format!("could not check links: {e}"),
            )]
        }
    };
    // In the order a whole check reports them (`passes::sort_findings`): a place's
    // warning names the first page it is broken on.
    broken.sort_by(|a, b| {
        let (a_at, b_at) = (&a.warning, &b.warning);
        (&a_at.path, a_at.line, a_at.column, &a.source, &a.target).cmp(&(
            &b_at.path,
            b_at.line,
            b_at.column,
            &b.source,
            &b.target,
        ))
    });
    let already: HashSet<(&str, Option<usize>, Option<usize>)> = rendered
        .warnings
        .iter()
        .filter(|d| d.is_broken_link())
        .map(|d| (d.path.as_str(), d.line, d.column))
        .collect();
    type Place<'f> = (&'f str, Option<usize>, Option<usize>, &'f str);
    let mut grouped: BTreeMap<Place<'_>, Vec<&Broken>> = BTreeMap::new();
    for b in &broken {
        let d = &b.warning;
        if already.contains(&(d.path.as_str(), d.line, d.column)) {
            continue;
        }
        grouped
            .entry((&d.path, d.line, d.column, &b.target))
            .or_default()
            .push(b);
    }
    grouped.into_values().map(|group| warning(&group)).collect()
}

/// One broken link as its warning needs it, and as the cache keeps it (`verdict`).
#[derive(Serialize, Deserialize)]
struct Broken {
    /// The HTML file holding the link.
    source: String,
    target: String,
    /// Its warning, at the place to fix, before it says on which pages.
    warning: CachedDiagnostic,
}

fn broken(f: &Finding) -> Broken {
    let mut d = Diagnostic::broken_link(&f.source_file, &f.target, &f.reason);
    if let Reason::Link(cause) = &f.reason {
        d = d.of_kind(cause.kind_for(&f.target));
    }
    d.line = f.line;
    d.column = f.column;
    Broken {
        source: f.source.clone(),
        target: f.target.clone(),
        warning: CachedDiagnostic::from(&d),
    }
}

/// One warning for the findings of one link at one place, on one page or several.
fn warning(group: &[&Broken]) -> Diagnostic {
    let on = if group.len() > 1 {
        format!(" (on {} pages)", group.len())
    } else {
        format!(" (in {})", group[0].source)
    };
    let mut d = Diagnostic::from(group[0].warning.clone());
    d.message.push_str(&on);
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check_rendered, CheckOptions};
    use crate::site::{render_site, BuildOptions};

    fn place(d: &Diagnostic) -> (&str, Option<usize>, Option<usize>) {
        (&d.path, d.line, d.column)
    }

    /// The renderer's broken links are the checker's too; build shows each once.
    #[test]
    fn each_broken_link_is_one_warning() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/links");
        let options = BuildOptions {
            root: root.clone(),
            ..BuildOptions::default()
        };
        let rendered = render_site(&options).unwrap();
        let from_renderer: Vec<&Diagnostic> = rendered
            .warnings
            .iter()
            .filter(|d| d.is_broken_link())
            .collect();
        assert!(!from_renderer.is_empty());
        let report = check_rendered(&rendered, &root, &CheckOptions::default()).unwrap();
        let from_checker = build_warnings(&rendered, &root, None, &Default::default());
        assert!(from_checker.iter().all(Diagnostic::is_broken_link));
        for d in from_renderer {
            let checked = |f: &Finding| (f.source_file.as_str(), f.line, f.column) == place(d);
            assert!(report.broken.iter().any(checked), "not checked: {d}");
            assert!(
                !from_checker.iter().any(|w| place(w) == place(d)),
                "twice: {d}"
            );
        }
    }
}
