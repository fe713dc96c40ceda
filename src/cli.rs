//! The command line's shape: commands, flags, their help and their defaults. What each
//! command does is in `cmd/`.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use dcrsite::site::BuildOptions;

/// What a folder argument means when it is left out.
pub const CURRENT_FOLDER: &str = ".";

#[derive(Parser)]
#[command(
    name = "dcrsite",
    version,
    about = "A fast, strict static documentation site generator"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site into a folder ready for any static host.
    Build(BuildArgs),
    /// Check every link of the site (built in memory) or of a folder of built HTML.
    Check(CheckArgs),
    /// Create a new site to start from (site.yaml, a home page and a guide section).
    Init(InitArgs),
    /// Turn another generator's data into pages (Hugo's people.yml into contributors).
    Import(ImportArgs),
    /// Preview the site with live reload; rebuilds only what changed.
    Serve(ServeArgs),
}

/// Which site, for every command that reads one.
#[derive(Args)]
pub struct SiteArgs {
    /// The site folder (holding site.yaml) [default: .]
    #[arg(long)]
    root: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

impl SiteArgs {
    /// The site folder: `--root`, or the current folder.
    pub fn root(&self) -> PathBuf {
        self.root
            .clone()
            .unwrap_or_else(|| PathBuf::from(CURRENT_FOLDER))
    }

    /// Whether `--root` was given (`check --html` reads a site only then).
    pub fn root_given(&self) -> bool {
        self.root.is_some()
    }

    /// The site rendered at `base_url` (or site.yaml's).
    pub fn build_options(&self, base_url: Option<String>) -> BuildOptions {
        BuildOptions {
            root: self.root(),
            base_url,
            drafts: self.drafts,
            cache: None,
            output: None,
        }
    }
}

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site [default: ROOT/public; an MkDocs project's site_dir, ROOT/site unless set].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The URL the site will be served at, e.g. https://example.org/docs/ (overrides site.yaml).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Replace the output folder even if it holds files dcrsite did not write
    /// (it never replaces source folders, the site root or a `.git`).
    #[arg(long)]
    pub force: bool,
    /// Render every page and leave the build cache (ROOT/.dcrsite-cache/build.bin) alone.
    #[arg(long)]
    pub no_cache: bool,
}

/// How `check` prints its report.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: grouped by the file to fix.
    Human,
    /// One JSON object: checked, broken, unknown (and content, against when there are).
    Json,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, for GitLab, Jenkins and Azure Pipelines.
    Junit,
}

// With --html, the folder checked is not the site: --root is then only where the
// settings come from, so check says so in its help.
#[derive(Args)]
#[command(mut_arg("root", |root| root.help(
    "The site folder (holding site.yaml); with --html, only read for its `check:` settings"
)))]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also check links to other sites over HTTP.
    #[arg(long)]
    pub external: bool,
    /// How the report is printed; every format places findings at their Markdown
    /// file:line:column.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Check this folder of already-built HTML (from any generator) instead of building.
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
    /// The URL the site is served at (overrides site.yaml); with --html, the URL DIR is served at.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Folder for the external-link results cache [default: ROOT/.dcrsite-cache].
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Do not read or write the external-link cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Seconds per external request (overrides site.yaml `check.timeout`).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Seconds the whole external check may take; what is left is reported as unknown [default: 300].
    #[arg(long, value_name = "SECONDS")]
    pub deadline: Option<f64>,
    /// URL or host patterns not to check (added to site.yaml `check.exclude`).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Compare with the site as published: a previous build's folder (any generator's) or
    /// the URL of its sitemap.xml; lists the URLs and anchors it had that this build lacks.
    #[arg(long, value_name = "OLD")]
    pub against: Option<String>,
    /// Check links to other sites only on lines changed since this git revision (a pull
    /// request's base, e.g. origin/main); every internal link is still checked. Implies --external.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// With --against: exit 1 when a URL or anchor of OLD is gone (an alias or redirect
    /// covering it is fine).
    #[arg(long, requires = "against")]
    pub strict_urls: bool,
}

#[derive(Args)]
pub struct InitArgs {
    /// The folder for the site; created when missing [default: the current folder].
    #[arg(default_value = CURRENT_FOLDER)]
    pub dir: PathBuf,
}

#[derive(Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub what: ImportCommand,
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// One page per person of Hugo's people.yml, with portraits and companies
    /// (decred.org's contributors page). Importing again changes nothing.
    Contributors(ContributorsArgs),
}

#[derive(Args)]
pub struct ContributorsArgs {
    /// Hugo's people.yml: a list of people (name, title, group, company_id,
    /// avatar_image, twitter_alias).
    pub people: PathBuf,
    /// Hugo's companies.yml: merged into site.yaml's `companies:` (or printed).
    #[arg(long, value_name = "FILE")]
    pub companies: Option<PathBuf>,
    /// The folder of the `avatar_image` files (and the company logos, or a
    /// `companies/` folder of them); each portrait is copied beside its page.
    #[arg(long, value_name = "DIR")]
    pub portraits: Option<PathBuf>,
    /// The contributors section's folder, e.g. content/contributors.
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// Replace pages and portraits that exist with other contents.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on. Anything but a loopback address exposes the preview
    /// to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Poll for changes instead of using file-system notifications (network and
    /// container file systems).
    #[arg(long)]
    pub poll: bool,
    /// Render every page at start and leave the cache (ROOT/.dcrsite-cache/serve/) alone.
    #[arg(long)]
    pub no_cache: bool,
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::CommandFactory;

    use dcrsite::check::external::ExternalOptions;
    use dcrsite::config::mkdocs::MKDOCS_SITE_DIR;
    use dcrsite::config::CheckConfig;
    use dcrsite::layout::{CACHE, OUTPUT};

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    fn help(command: &str) -> String {
        let mut cli = Cli::command();
        let sub = cli.find_subcommand_mut(command).unwrap();
        sub.render_long_help().to_string()
    }

    /// The library owns these defaults; the help only states them.
    #[test]
    fn help_states_the_library_defaults() {
        let library = ExternalOptions::from_config(&CheckConfig::default()).unwrap();
        assert_eq!(library.deadline, Duration::from_secs(300));
        let check = help("check");
        assert!(check.contains("[default: 300]"), "{check}");
        assert!(
            check.contains(&format!("[default: ROOT/{CACHE}]")),
            "{check}"
        );
        let build = help("build");
        assert!(
            build.contains(&format!(
                "[default: ROOT/{OUTPUT}; an MkDocs project's site_dir, ROOT/{MKDOCS_SITE_DIR} unless set]"
            )),
            "{build}"
        );
    }

    #[test]
    fn every_site_command_names_the_same_root() {
        for command in ["build", "serve"] {
            assert!(help(command).contains("The site folder (holding site.yaml) [default: .]"));
        }
        assert!(help("check").contains("with --html, only read for its `check:` settings"));
        let cli = Cli::try_parse_from(["dcrsite", "build"]).unwrap();
        let Command::Build(build) = cli.command else {
            panic!("not build")
        };
        assert_eq!(build.site.root(), PathBuf::from(CURRENT_FOLDER));
        assert!(!build.site.root_given());
    }
}
