//! `dcrsite build`: exit 0 built (warnings or not), 1 not built.

use std::process::ExitCode;

use dcrsite::build::{build, BuildFailure, BuildSummary};
use dcrsite::diagnostics::report;

use crate::cli::BuildArgs;

pub fn run(args: BuildArgs) -> ExitCode {
    let root = args.site.root();
    let color = super::stderr_colors();
    let mut options = args.site.build_options(args.base_url);
    if !args.no_cache {
        options.cache = Some(root.join(dcrsite::layout::CACHE));
    }
    match build(&options, args.output, args.force) {
        Ok(summary) => {
            if let Some(warning) = &summary.cache_warning {
                eprint!(
                    "{}",
                    report::render_all(std::slice::from_ref(warning), &root, color)
                );
            }
            eprint!("{}", report::render_all(&summary.warnings, &root, color));
            println!("{}", built_line(&summary));
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprint!("{}", report::render_all(&failure.diagnostics, &root, color));
            eprintln!("{}", failed_line(&failure));
            ExitCode::from(1)
        }
    }
}

/// `Built 9 pages (31 files) in 0.39 s into public with 5 warnings`.
fn built_line(summary: &BuildSummary) -> String {
    format!(
        "Built {} pages ({} files) in {:.2} s into {}{}",
        summary.pages,
        summary.files,
        summary.elapsed.as_secs_f64(),
        summary.output_dir.display(),
        report::warning_suffix(&summary.warnings),
    )
}

fn failed_line(failure: &BuildFailure) -> String {
    let diagnostics = &failure.diagnostics;
    if failure.output_untouched {
        report::failure_line("build", diagnostics)
    } else {
        format!(
            "{}; the previous output was moved aside (see the error above)",
            report::failure_summary("build", diagnostics)
        )
    }
}
