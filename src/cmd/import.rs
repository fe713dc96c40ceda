//! `dcrsite import contributors`: exit 0 when every entry was imported (warnings
//! allowed), 1 when an entry was left out or nothing could be read.

use std::path::Path;
use std::process::ExitCode;

use dcrsite::diagnostics::report;
use dcrsite::import::{import_contributors, CompaniesOutcome, ImportOptions, ImportReport};

use crate::cli::{ContributorsArgs, ImportArgs, ImportCommand};

pub fn run(args: ImportArgs) -> ExitCode {
    match args.what {
        ImportCommand::Contributors(args) => contributors(args),
    }
}

fn contributors(args: ContributorsArgs) -> ExitCode {
    let options = ImportOptions {
        people: args.people,
        companies: args.companies,
        portraits: args.portraits,
        into: args.into,
        force: args.force,
    };
    let color = super::stderr_colors();
    let report = match import_contributors(&options) {
        Ok(report) => report,
        Err(problems) => {
            eprint!("{}", report::render_all(&problems, Path::new("."), color));
            return ExitCode::from(1);
        }
    };
    if !report.problems.is_empty() {
        eprint!(
            "{}",
            report::render_all(&report.problems, Path::new("."), color)
        );
    }
    print_summary(&report, &options);
    if report.problems.iter().any(|d| d.is_error()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_summary(report: &ImportReport, options: &ImportOptions) {
    let files = &report.files;
    println!(
        "Imported {} people into {}: {} files written, {} unchanged, {} kept (--force replaces them).",
        report.people,
        options.into.display(),
        files.written.len(),
        files.unchanged.len(),
        files.kept.len()
    );
    match &report.companies {
        Some(CompaniesOutcome::Added { file, ids }) => {
            println!("Added companies to {}: {}.", file.display(), ids.join(", "));
        }
        Some(CompaniesOutcome::AlreadyDeclared { file }) => {
            println!("{} declares every company already.", file.display());
        }
        Some(CompaniesOutcome::ToAdd { yaml, reason }) => {
            println!("Add these companies to site.yaml ({reason}):\n\n{yaml}");
        }
        None => {}
    }
}
