//! The entry of `dcrsite check`: what to check (the site rendered in memory, or a folder
//! of built HTML) with which settings (site.yaml's `check:` and the command line's
//! overrides). It returns what it found; the command line prints it and picks the exit
//! code.

use std::path::PathBuf;
use std::time::Duration;

use super::against::{against_rendered, Against, Old};
use super::changed::ChangedLines;
use super::external::ExternalOptions;
use super::{check_html_dir, check_rendered, CheckError, CheckOptions, Report};
use crate::config::{CheckConfig, Config};
use crate::diagnostics::Diagnostic;
use crate::layout;
use crate::site::{render_site, BuildOptions};

/// What one `dcrsite check` checks.
#[derive(Debug, Clone, Default)]
pub struct CheckRun {
    /// The site to render and check. With `html`, its root holds the default cache and
    /// its `base_url` is the URL the folder is served at.
    pub site: BuildOptions,
    /// Check this folder of built HTML instead of rendering the site.
    pub html: Option<HtmlFolder>,
    /// Also check links to other sites, with these changes to site.yaml's settings.
    pub external: Option<ExternalOverrides>,
    /// Compare with the site as it was published (`--against`).
    pub against: Option<AgainstRun>,
}

/// `--against OLD [--strict-urls]`.
#[derive(Debug, Clone)]
pub struct AgainstRun {
    /// A folder of a previous build, or a sitemap's URL.
    pub old: String,
    /// Removed URLs and anchors fail the check.
    pub strict: bool,
}

/// A folder of built HTML, from any generator.
#[derive(Debug, Clone)]
pub struct HtmlFolder {
    pub dir: PathBuf,
    /// Read the `check:` settings of the site's configuration: only when a site was
    /// named, since the folder need not come from one.
    pub site_settings: bool,
}

/// The command line's changes to site.yaml's `check:` settings.
#[derive(Debug, Clone, Default)]
pub struct ExternalOverrides {
    /// Patterns added to `check.exclude`.
    pub exclude: Vec<String>,
    /// Seconds per request, instead of `check.timeout`.
    pub timeout: Option<f64>,
    /// Seconds the whole external check may take, instead of [`ExternalOptions`]'s.
    pub deadline: Option<f64>,
    pub cache: Cache,
    /// Check only the links on lines changed since this git revision.
    pub changed_since: Option<String>,
}

/// Where external results are cached between runs.
#[derive(Debug, Clone, Default)]
pub enum Cache {
    /// [`layout::CACHE`] in the site folder.
    #[default]
    InSite,
    At(PathBuf),
    Off,
}

/// A check that ran (exit code 0 or 1, by [`Report::failed`]).
#[derive(Debug)]
pub struct CheckOutcome {
    /// The render's warnings other than broken links, which `report` holds (none with
    /// `--html`), then the checker's own (an external-link cache it could not use).
    pub warnings: Vec<Diagnostic>,
    pub report: Report,
}

/// A check that could not run (exit code 2).
#[derive(Debug)]
pub struct CheckFailure {
    /// What to show before the cause: the site's problems when it did not load, else the
    /// render's warnings.
    pub diagnostics: Vec<Diagnostic>,
    pub cause: CannotRun,
}

/// Why a check could not run.
#[derive(Debug, thiserror::Error)]
pub enum CannotRun {
    #[error("the site has {0} error{s}", s = if *.0 == 1 { "" } else { "s" })]
    SiteErrors(usize),
    #[error("{0}")]
    BadOption(String),
    #[error(transparent)]
    Check(#[from] CheckError),
}

impl CheckFailure {
    fn site(diagnostics: Vec<Diagnostic>) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        CheckFailure {
            diagnostics,
            cause: CannotRun::SiteErrors(errors),
        }
    }

    fn after(diagnostics: &[Diagnostic], cause: impl Into<CannotRun>) -> Self {
        CheckFailure {
            diagnostics: diagnostics.to_vec(),
            cause: cause.into(),
        }
    }
}

/// Runs one check.
pub fn run_check(run: &CheckRun) -> Result<CheckOutcome, CheckFailure> {
    match &run.html {
        Some(folder) => check_folder(run, folder),
        None => check_site(run),
    }
}

fn check_site(run: &CheckRun) -> Result<CheckOutcome, CheckFailure> {
    let rendered = render_site(&run.site).map_err(CheckFailure::site)?;
    // Broken links are the report's to show; the render's other warnings are shown apart.
    let mut warnings: Vec<Diagnostic> = rendered
        .warnings
        .iter()
        .filter(|d| !d.is_broken_link())
        .cloned()
        .collect();
    let options = run
        .options(&rendered.config.check)
        .map_err(|cause| CheckFailure::after(&warnings, cause))?;
    let mut report = check_rendered(&rendered, &run.site.root, &options)
        .map_err(|e| CheckFailure::after(&warnings, e))?;
    if let Some(against) = &run.against {
        let compared = Old::parse(&against.old)
            .and_then(|old| against_rendered(&old, &rendered))
            .map_err(|e| CheckFailure::after(&warnings, e))?;
        report.against = Some(Against {
            strict: against.strict,
            ..compared
        });
    }
    warnings.append(&mut report.warnings);
    Ok(CheckOutcome { warnings, report })
}

fn check_folder(run: &CheckRun, folder: &HtmlFolder) -> Result<CheckOutcome, CheckFailure> {
    if run.against.is_some() {
        return Err(CheckFailure::after(
            &[],
            CannotRun::BadOption(
                "--against compares a site's build with OLD; it cannot be used with --html".into(),
            ),
        ));
    }
    let config = if folder.site_settings {
        let config = Config::load(&run.site.root).map_err(|d| CheckFailure::site(vec![d]))?;
        config.check
    } else {
        CheckConfig::default()
    };
    let options = run
        .options(&config)
        .map_err(|cause| CheckFailure::after(&[], cause))?;
    let mut report = check_html_dir(&folder.dir, run.site.base_url.as_deref(), &options)
        .map_err(|e| CheckFailure::after(&[], e))?;
    Ok(CheckOutcome {
        warnings: std::mem::take(&mut report.warnings),
        report,
    })
}

impl CheckRun {
    /// The checker's options: site.yaml's `check:` settings with the overrides applied.
    fn options(&self, config: &CheckConfig) -> Result<CheckOptions, CannotRun> {
        let Some(overrides) = &self.external else {
            return Ok(CheckOptions::default());
        };
        let mut config = config.clone();
        config.exclude.extend(overrides.exclude.iter().cloned());
        let mut options = ExternalOptions::from_config(&config)?;
        if let Some(t) = overrides.timeout {
            options.timeout = seconds(t, "--timeout")?;
        }
        if let Some(d) = overrides.deadline {
            options.deadline = seconds(d, "--deadline")?;
        }
        options.cache_dir = match &overrides.cache {
            Cache::InSite => Some(self.site.root.join(layout::CACHE)),
            Cache::At(dir) => Some(dir.clone()),
            Cache::Off => None,
        };
        // Places are relative to the folder checked: the site, or the --html folder.
        let checked_dir = self.html.as_ref().map_or(&self.site.root, |h| &h.dir);
        let changed = match &overrides.changed_since {
            Some(reference) => Some(ChangedLines::since(checked_dir, reference)?),
            None => None,
        };
        Ok(CheckOptions {
            external: Some(options),
            changed,
        })
    }
}

fn seconds(value: f64, flag: &str) -> Result<Duration, CannotRun> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            CannotRun::BadOption(format!(
                "{flag} must be a positive number of seconds, not {value}"
            ))
        })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn external_run(overrides: ExternalOverrides) -> CheckRun {
        CheckRun {
            site: BuildOptions {
                root: PathBuf::from("site"),
                ..BuildOptions::default()
            },
            external: Some(overrides),
            ..CheckRun::default()
        }
    }

    fn external_options(run: &CheckRun) -> ExternalOptions {
        let options = run.options(&CheckConfig::default()).unwrap();
        options.external.unwrap()
    }

    #[test]
    fn no_external_options_without_external() {
        let run = CheckRun::default();
        assert!(run
            .options(&CheckConfig::default())
            .unwrap()
            .external
            .is_none());
    }

    #[test]
    fn cache_is_in_the_site_unless_named_or_off() {
        let in_site = external_run(ExternalOverrides::default());
        assert_eq!(
            external_options(&in_site).cache_dir,
            Some(Path::new("site").join(layout::CACHE))
        );
        let named = external_run(ExternalOverrides {
            cache: Cache::At(PathBuf::from("elsewhere")),
            ..ExternalOverrides::default()
        });
        assert_eq!(
            external_options(&named).cache_dir,
            Some(PathBuf::from("elsewhere"))
        );
        let off = external_run(ExternalOverrides {
            cache: Cache::Off,
            ..ExternalOverrides::default()
        });
        assert_eq!(external_options(&off).cache_dir, None);
    }

    #[test]
    fn timeout_and_deadline_override_only_when_given() {
        let library = ExternalOptions::from_config(&CheckConfig::default()).unwrap();
        let untouched = external_options(&external_run(ExternalOverrides::default()));
        assert_eq!(untouched.timeout, library.timeout);
        assert_eq!(untouched.deadline, library.deadline);
        let given = external_options(&external_run(ExternalOverrides {
            timeout: Some(2.5),
            deadline: Some(60.0),
            ..ExternalOverrides::default()
        }));
        assert_eq!(given.timeout, Duration::from_millis(2500));
        assert_eq!(given.deadline, Duration::from_secs(60));
    }

    #[test]
    fn seconds_must_be_positive() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let run = external_run(ExternalOverrides {
                deadline: Some(bad),
                ..ExternalOverrides::default()
            });
            let err = run.options(&CheckConfig::default()).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("--deadline must be a positive number of seconds, not {bad}")
            );
        }
    }

    #[test]
    fn a_site_that_does_not_render_says_how_many_errors() {
        let one = CheckFailure::site(vec![Diagnostic::error("site.yaml", "bad")]);
        assert_eq!(one.cause.to_string(), "the site has 1 error");
        let two = CheckFailure::site(vec![
            Diagnostic::error("a.md", "bad"),
            Diagnostic::warning("b.md", "meh"),
            Diagnostic::error("c.md", "bad"),
        ]);
        assert_eq!(two.cause.to_string(), "the site has 2 errors");
    }
}
