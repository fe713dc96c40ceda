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
    // mimalloc asks the kernel for transparent huge pages; each first touch of one clears
    // 2 MiB. A build's heap is small and short-lived: with 4 KiB pages the dcrdocs build
    // peaks at 39 MiB instead of 76 and spends less CPU time clearing pages.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
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
