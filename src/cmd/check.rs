//! `dcrsite check`: exit 0 no broken links, 1 broken links (or, with `--html`, files of
//! the folder that cannot be checked), 2 could not run.

use std::process::ExitCode;

use dcrsite::check::formats::{junit, path_prefix, sarif};
use dcrsite::check::report as check_report;
use dcrsite::check::run::{AgainstRun, Cache, ExternalOverrides, HtmlFolder};
use dcrsite::check::{run_check, CheckRun, Report};
use dcrsite::diagnostics::report;

use crate::cli::{CheckArgs, Format};

pub fn run(args: CheckArgs) -> ExitCode {
    let root = args.site.root();
    let color = super::stderr_colors();
    let format = args.format;
    let html_dir = args.html.clone();
    // Machine formats name files from where the tool runs (the repository, in CI).
    let prefix = path_prefix(html_dir.as_deref().unwrap_or(&root));
    match run_check(&check_run(args)) {
        Ok(outcome) => {
            eprint!("{}", report::render_all(&outcome.warnings, &root, color));
            // Files of an --html folder that were not checked, at their paths.
            let dir = html_dir.as_deref().unwrap_or(&root);
            eprint!(
                "{}",
                report::render_all(&outcome.report.problems, dir, color)
            );
            print_report(&outcome.report, format, &prefix)
        }
        Err(failure) => {
            eprint!("{}", report::render_all(&failure.diagnostics, &root, color));
            eprintln!("error: check could not run: {}", failure.cause);
            ExitCode::from(2)
        }
    }
}

fn check_run(args: CheckArgs) -> CheckRun {
    let cache = match (args.cache, args.no_cache) {
        (_, true) => Cache::Off,
        (Some(dir), false) => Cache::At(dir),
        (None, false) => Cache::InSite,
    };
    // --changed-since is about external links: it implies --external.
    let external = (args.external || args.changed_since.is_some()).then_some(ExternalOverrides {
        exclude: args.exclude,
        timeout: args.timeout,
        deadline: args.deadline,
        cache,
        changed_since: args.changed_since,
    });
    CheckRun {
        html: args.html.map(|dir| HtmlFolder {
            dir,
            site_settings: args.site.root_given(),
        }),
        site: args.site.build_options(args.base_url),
        external,
        against: args.against.map(|old| AgainstRun {
            old,
            strict: args.strict_urls,
        }),
    }
}

/// The report on stdout, in the format asked for; the exit code says whether it failed.
fn print_report(report: &Report, format: Format, prefix: &str) -> ExitCode {
    let text = match format {
        Format::Json => check_report::json(report),
        Format::Github => check_report::github(report, prefix),
        Format::Sarif => sarif::sarif(report, prefix),
        Format::Junit => junit::junit(report, prefix),
        Format::Human => check_report::human(report, super::colors(&std::io::stdout())),
    };
    print!("{text}");
    if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
