//! The `build` sink: render the site and write it to disk atomically.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
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

/// Builds `options.root` into `output_dir` (default `ROOT/public`). On failure the
/// previous output is left exactly as it was.
pub fn build(
    options: &BuildOptions,
    output_dir: Option<PathBuf>,
) -> Result<BuildSummary, Vec<Diagnostic>> {
    let started = Instant::now();
    let output_dir = output_dir.unwrap_or_else(|| options.root.join("public"));
    validate_output_dir(&options.root, &output_dir).map_err(|d| vec![d])?;
    let mut rendered = render_site(options)?;
    // The same checker as `dcrsite check`, internal links only: warnings, not errors.
    let mut link_warnings = crate::check::build_warnings(&rendered, &options.root);
    rendered.warnings.append(&mut link_warnings);
    crate::diagnostics::sort(&mut rendered.warnings);
    write_atomically(&rendered.output, &output_dir).map_err(|d| {
        let mut all = rendered.warnings.clone();
        all.push(d);
        all
    })?;
    Ok(BuildSummary {
        pages: rendered.page_count,
        files: rendered.output.files.len(),
        output_dir,
        elapsed: started.elapsed(),
        warnings: rendered.warnings,
    })
}
