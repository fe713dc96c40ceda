//! The `dcrsite` command line: parses the arguments and runs the command (`cmd/`).

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod cmd;

use cli::{Cli, Command};

// Rendering allocates many short-lived strings on every thread; mimalloc's thread-local
// heaps make that markedly cheaper than glibc's malloc (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Pages render on rayon's threads: give them the stack a template render may use, so
    // that no render has to switch to a stack of its own (see `templates::budget`).
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(dcrsite::templates::budget::STACK_SIZE)
        .build_global();
    match Cli::parse().command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Serve(args) => cmd::serve::run(args),
    }
}
