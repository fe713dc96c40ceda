//! `dcrsite serve`: runs until interrupted; exit 0 stopped, 1 could not start.

use std::process::ExitCode;

use dcrsite::serve::ServeOptions;

use crate::cli::ServeArgs;

pub fn run(args: ServeArgs) -> ExitCode {
    let options = ServeOptions {
        root: args.site.root(),
        bind: args.bind,
        port: args.port,
        drafts: args.site.drafts,
        poll: args.poll,
        cache: !args.no_cache,
        color: super::stderr_colors(),
    };
    match dcrsite::serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
