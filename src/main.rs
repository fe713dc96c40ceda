//! The `dcrsite` command line: parses arguments, runs a sink, maps results to exit codes.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use dcrsite::diagnostics::report;
use dcrsite::site::BuildOptions;

#[derive(Parser)]
#[command(
    name = "dcrsite",
    version,
    about = "A fast, strict static documentation site generator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder ready for any static host.
    Build {
        /// The site folder (holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// The URL the site will be served at, e.g. https://example.org/docs/ (overrides site.yaml).
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site with live reload; rebuilds only what changed.
    Serve {
        /// The site folder (holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on. Anything but a loopback address exposes the preview
        /// to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of using file-system notifications (network and
        /// container file systems).
        #[arg(long)]
        poll: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let options = BuildOptions {
                root: root.clone(),
                base_url,
                drafts,
            };
            match dcrsite::build::build(&options, output) {
                Ok(summary) => {
                    eprint!("{}", report::render_all(&summary.warnings, &root, color));
                    println!(
                        "Built {} pages ({} files) in {:.2} s into {}{}",
                        summary.pages,
                        summary.files,
                        summary.elapsed.as_secs_f64(),
                        summary.output_dir.display(),
                        report::warning_suffix(&summary.warnings),
                    );
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    eprint!("{}", report::render_all(&diagnostics, &root, color));
                    eprintln!("{}", report::failure_line("build", &diagnostics));
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            poll,
        } => {
            let options = dcrsite::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                poll,
                color,
            };
            match dcrsite::serve::run(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
