//! The `dcrsite` command line: parses arguments, runs a sink, maps results to exit codes.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use dcrsite::diagnostics::report;

// Rendering allocates many short-lived strings on every thread; mimalloc's thread-local
// heaps make that markedly cheaper than glibc's malloc (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
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
    /// Check every link of the site (built in memory) or of a folder of built HTML.
    Check(check::Args),
    /// Create a new site to start from (site.yaml, a home page and a guide section).
    Init {
        /// The folder for the site; created when missing [default: the current folder].
        #[arg(default_value = ".")]
        dir: PathBuf,
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
    // Pages render on rayon's threads: give them the stack a template render may use, so
    // that no render has to switch to a stack of its own (see `templates::budget`).
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(dcrsite::templates::budget::STACK_SIZE)
        .build_global();
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Check(args) => check::run(&args, color),
        Command::Init { dir } => {
            match dcrsite::init::init(&dir) {
                Ok(written) => {
                    println!("Created a site in {}:", dir.display());
                    for file in written {
                        println!("  {}", file.display());
                    }
                    let root = if dir == std::path::Path::new(".") {
                        String::new()
                    } else {
                        format!(" --root {}", dir.display())
                    };
                    println!("Preview it with `dcrsite serve{root}`; build it with `dcrsite build{root}`.");
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprint!("{}", report::render_all(&[d], &dir, color));
                    ExitCode::from(1)
                }
            }
        }
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

mod check {
    //! `dcrsite check`: exit 0 no broken links, 1 broken links, 2 could not run.

    use std::io::IsTerminal;
    use std::path::PathBuf;
    use std::process::ExitCode;
    use std::time::Duration;

    use dcrsite::check::external::ExternalOptions;
    use dcrsite::check::{self as checker, CheckOptions, Report};
    use dcrsite::config::{CheckConfig, Config};
    use dcrsite::diagnostics::{report, Diagnostic};
    use dcrsite::site::BuildOptions;

    /// How the report is printed.
    #[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
    enum Format {
        Human,
        Json,
        Github,
    }

    #[derive(clap::Args)]
    pub struct Args {
        /// The site folder (holding site.yaml); with --html, only read for its `check:` settings.
        #[arg(long)]
        root: Option<PathBuf>,
        /// Also check links to other sites over HTTP.
        #[arg(long)]
        external: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Check this folder of already-built HTML (from any generator) instead of building.
        #[arg(long, value_name = "DIR")]
        html: Option<PathBuf>,
        /// The URL the site is served at (overrides site.yaml); with --html, the URL DIR is served at.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Folder for the external-link results cache [default: ROOT/.dcrsite-cache].
        #[arg(long, value_name = "DIR")]
        cache: Option<PathBuf>,
        /// Do not read or write the external-link cache.
        #[arg(long)]
        no_cache: bool,
        /// Seconds per external request (overrides site.yaml `check.timeout`).
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<f64>,
        /// Seconds the whole external check may take; what is left is reported as unknown.
        #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
        deadline: f64,
        /// URL or host patterns not to check (added to site.yaml `check.exclude`).
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
    }

    fn cannot_run(message: impl std::fmt::Display) -> ExitCode {
        eprintln!("error: check could not run: {message}");
        ExitCode::from(2)
    }

    fn seconds(value: f64, flag: &str) -> Result<Duration, String> {
        Duration::try_from_secs_f64(value)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| format!("{flag} must be a positive number of seconds, not {value}"))
    }

    fn external_options(
        args: &Args,
        config: &CheckConfig,
        default_cache: PathBuf,
    ) -> Result<Option<ExternalOptions>, String> {
        if !args.external {
            return Ok(None);
        }
        let mut config = config.clone();
        config.exclude.extend(args.exclude.iter().cloned());
        let mut options = ExternalOptions::from_config(&config).map_err(|e| e.to_string())?;
        if let Some(t) = args.timeout {
            options.timeout = seconds(t, "--timeout")?;
        }
        options.deadline = seconds(args.deadline, "--deadline")?;
        options.cache_dir = match (&args.cache, args.no_cache) {
            (_, true) => None,
            (Some(dir), false) => Some(dir.clone()),
            (None, false) => Some(default_cache),
        };
        Ok(Some(options))
    }

    /// `color`: stderr is a terminal that takes colours.
    pub fn run(args: &Args, color: bool) -> ExitCode {
        let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
        let result = match &args.html {
            Some(dir) => {
                // Settings come from site.yaml only when a site was named.
                let config = match &args.root {
                    Some(root) => match Config::load(root) {
                        Ok(c) => c.check,
                        Err(d) => return print_and_fail(&[d], args, color),
                    },
                    None => CheckConfig::default(),
                };
                let external = match external_options(args, &config, root.join(".dcrsite-cache")) {
                    Ok(e) => e,
                    Err(m) => return cannot_run(m),
                };
                checker::check_html_dir(dir, args.base_url.as_deref(), &CheckOptions { external })
            }
            None => {
                let options = BuildOptions {
                    root: root.clone(),
                    base_url: args.base_url.clone(),
                    drafts: args.drafts,
                };
                let rendered = match dcrsite::site::render_site(&options) {
                    Ok(r) => r,
                    Err(diagnostics) => return print_and_fail(&diagnostics, args, color),
                };
                // Broken links are the checker's to report; other warnings are shown.
                let others: Vec<Diagnostic> = rendered
                    .warnings
                    .iter()
                    .filter(|d| !d.message.starts_with("broken link `"))
                    .cloned()
                    .collect();
                eprint!("{}", report::render_all(&others, &root, color));
                let external = match external_options(
                    args,
                    &rendered.config.check,
                    root.join(".dcrsite-cache"),
                ) {
                    Ok(e) => e,
                    Err(m) => return cannot_run(m),
                };
                checker::check_rendered(&rendered, &root, &CheckOptions { external })
            }
        };
        match result {
            Ok(report) => print_report(&report, args.format),
            Err(e) => cannot_run(e),
        }
    }

    fn print_and_fail(diagnostics: &[Diagnostic], args: &Args, color: bool) -> ExitCode {
        let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
        eprint!("{}", report::render_all(diagnostics, &root, color));
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        cannot_run(format!(
            "the site has {errors} error{}",
            if errors == 1 { "" } else { "s" }
        ))
    }

    fn print_report(report: &Report, format: Format) -> ExitCode {
        let text = match format {
            Format::Json => checker::report::json(report),
            Format::Github => checker::report::github(report),
            Format::Human => {
                let color =
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                checker::report::human(report, color)
            }
        };
        print!("{text}");
        if report.broken.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}
