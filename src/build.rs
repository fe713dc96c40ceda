//! The `build` sink: render the site and write it to disk atomically.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::layout;
use crate::output::write::{validate_output_dir, write_atomically};
use crate::site::{render_site, BuildOptions};

/// What a successful build did.
#[derive(Debug)]
pub struct BuildSummary {
    pub pages: usize,
    pub files: usize,
    pub output_dir: PathBuf,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
}

/// Why a build failed.
#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Vec<Diagnostic>,
    /// The previous output is exactly as it was (false only when the new site could not
    /// be swapped in and the previous one could not be moved back: the error says where
    /// it is).
    pub output_untouched: bool,
}

impl From<Vec<Diagnostic>> for BuildFailure {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        BuildFailure {
            diagnostics,
            output_untouched: true,
        }
    }
}

/// Builds `options.root` into `output_dir` (default `ROOT/public`; through it when it is
/// a symlink). An existing output folder holding files dcrsite did not write is replaced
/// only with `force`. On failure the previous output is left as it was (see
/// [`BuildFailure::output_untouched`]).
pub fn build(
    options: &BuildOptions,
    output_dir: Option<PathBuf>,
    force: bool,
) -> Result<BuildSummary, BuildFailure> {
    let started = Instant::now();
    let output_dir = output_dir.unwrap_or_else(|| options.root.join(layout::OUTPUT));
    // The configured source folders, to refuse an output among them before rendering.
    // A configuration that does not load is reported by the render, which then stops.
    let config = Config::load(&options.root).unwrap_or_default();
    validate_output_dir(&options.root, &output_dir, &config.layout().source_dirs())
        .map_err(|d| vec![d])?;
    let mut rendered = render_site(options)?;
    // The same checker as `dcrsite check`, internal links only: warnings, not errors.
    // (`serve` leaves this out to keep rebuilds fast: see `check::build_warnings`.)
    let mut link_warnings = crate::check::build_warnings(&rendered, &options.root);
    rendered.warnings.append(&mut link_warnings);
    crate::diagnostics::sort(&mut rendered.warnings);
    write_atomically(&rendered.output, &output_dir, force).map_err(|e| {
        let mut diagnostics = rendered.warnings.clone();
        diagnostics.push(e.diagnostic);
        BuildFailure {
            diagnostics,
            output_untouched: e.output_untouched,
        }
    })?;
    Ok(BuildSummary {
        pages: rendered.page_count,
        files: rendered.output.files.len(),
        output_dir,
        elapsed: started.elapsed(),
        warnings: rendered.warnings,
    })
}
