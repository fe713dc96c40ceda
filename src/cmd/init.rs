//! `dcrsite init`: exit 0 created, 1 refused or could not write.

use std::path::Path;
use std::process::ExitCode;

use dcrsite::diagnostics::report;

use crate::cli::{InitArgs, CURRENT_FOLDER};

pub fn run(args: InitArgs) -> ExitCode {
    let dir = args.dir;
    match dcrsite::init::init(&dir) {
        Ok(written) => {
            println!("Created a site in {}:", dir.display());
            for file in written {
                println!("  {}", file.display());
            }
            // The commands to run next name the folder unless it is the current one.
            let root = if dir == Path::new(CURRENT_FOLDER) {
                String::new()
            } else {
                format!(" --root {}", dir.display())
            };
            println!("Preview it with `dcrsite serve{root}`; build it with `dcrsite build{root}`.");
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprint!("{}", report::render_all(&[d], &dir, super::stderr_colors()));
            ExitCode::from(1)
        }
    }
}
