//! The `build` sink: render the site and write it to disk atomically.

mod unchanged;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::record::OutputRecord;
use crate::output::spool::Spool;
use crate::output::write::{
    claim_unchanged, finish_interrupted_update, prepare, real_path, validate_output_dir, Prepared,
};
use crate::site::{render_site, render_site_spooled, BuildOptions, Rendered};

/// What a successful build did.
#[derive(Debug)]
pub struct BuildSummary {
    pub pages: usize,
    pub files: usize,
    pub output_dir: PathBuf,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// The build cache was ignored or could not be written: said once, apart from the
    /// site's warnings (it never fails a strict build).
    pub cache_warning: Option<Diagnostic>,
    /// Nothing the build reads changed since the last one, and the output folder still
    /// held what it wrote: nothing was rendered, and the warnings are the last build's.
    pub unchanged: bool,
    /// How much the build took from the build cache (nothing for an unchanged build).
    pub cache_use: crate::site::CacheUse,
}

/// Why a build failed.
#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Vec<Diagnostic>,
    /// The previous output is exactly as it was (false only when the new site could not
    /// be swapped in and the previous one could not be moved back: the error says where
    /// it is).
    pub output_untouched: bool,
}

impl From<Vec<Diagnostic>> for BuildFailure {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        BuildFailure {
            diagnostics,
            output_untouched: true,
        }
    }
}

/// `strict: true` in mkdocs.yml and warnings that count (see
/// `Validation::fails_strict`): the error that fails the build, placed at the `strict:`
/// line. The output is left as it was, as for any failed build.
fn strict_failure(config: &Config, warnings: &[Diagnostic]) -> Option<Diagnostic> {
    let project = config.mkdocs.as_ref().filter(|p| p.strict)?;
    let shown = warnings.iter().filter(|d| !d.is_error()).count();
    let count = warnings
        .iter()
        .filter(|d| !d.is_error() && project.validation.fails_strict(d.kind))
        .count();
    if count == 0 {
        return None;
    }
    let s = if count == 1 { "" } else { "s" };
    let which = if count == shown {
        format!("{count} warning{s} above")
    } else {
        format!("{count} of the {shown} warnings above (MkDocs reports the others at info level, which `strict` lets pass)")
    };
    Some(
        Diagnostic::error(
            &config.source_file,
            format!("`strict: true` makes warnings fail the build: {which}"),
        )
        .at_position(config.value_position("strict"))
        .with_help("fix the warnings, or set `strict: false` to build with them"),
    )
}

/// Builds `options.root` into `output_dir` (default `ROOT/public`, or an MkDocs project's
/// `site_dir`, `ROOT/site` unless set; through it when it is
/// a symlink). An existing output folder holding files dcrsite did not write is replaced
/// only with `force`. On failure the previous output is left as it was (see
/// [`BuildFailure::output_untouched`]).
pub fn build(
    options: &BuildOptions,
    output_dir: Option<PathBuf>,
    force: bool,
) -> Result<BuildSummary, BuildFailure> {
    let started = Instant::now();
    // The configured source folders, to refuse an output among them before rendering.
    // A configuration that does not load is reported by the render, which then stops.
    let loaded = Config::load(&options.root);
    let is_site = loaded.is_ok();
    let config = loaded.unwrap_or_default();
    let output_dir = output_dir.unwrap_or_else(|| config.output_dir(&options.root));
    validate_output_dir(&options.root, &output_dir, &config.layout().source_dirs())
        .map_err(|d| vec![d])?;
    // A build killed while updating the output in place left a journal: the site is
    // made whole first, so that a build failing below leaves a whole site.
    finish_interrupted_update(&output_dir).map_err(|e| BuildFailure {
        diagnostics: vec![e.diagnostic],
        output_untouched: e.output_untouched,
    })?;
    // With the cache, the pages' bytes are the output folder's (see `output::record`).
    let options = &BuildOptions {
        output: options.cache.as_ref().map(|_| real_path(&output_dir)),
        ..options.clone()
    };
    // Not for a folder whose configuration does not load: the check writes into the
    // cache folder, and a folder that is not a site gets nothing of dcrsite's.
    let start = match is_site.then(|| unchanged::check(options, &config)) {
        Some(unchanged::Check::Unchanged(last)) => {
            return give_again(last, &config, output_dir, started)
        }
        Some(unchanged::Check::Changed {
            inputs,
            survey,
            output,
        }) => Start {
            inputs,
            survey,
            decoded: output,
        },
        None => Start::default(),
    };
    let loaded = is_site.then_some(config);
    let rendered = render(options, loaded, &output_dir, start, force)?;
    Ok(BuildSummary {
        pages: rendered.page_count,
        files: rendered.output.files.len(),
        output_dir,
        elapsed: started.elapsed(),
        warnings: rendered.warnings,
        cache_warning: rendered.cache_warning,
        unchanged: false,
        cache_use: rendered.cache_use,
    })
}

/// What the start check (`unchanged::check`) found, for a build that renders.
#[derive(Default)]
struct Start {
    /// The inputs to record once the build succeeds.
    inputs: Option<unchanged::Inputs>,
    /// The output folder's folders as found, when none was changed since the last build.
    survey: Option<unchanged::Survey>,
    /// The last build's output record, decoded by the check when it looked at the files.
    decoded: Option<OutputRecord>,
}

/// Renders the site (`loaded`: its configuration, when it loaded), checks its links
/// while writing it beside `output_dir`, then puts it in place and records it in the
/// cache. What it gives back is the rendered site with every warning.
fn render(
    options: &BuildOptions,
    loaded: Option<Config>,
    output_dir: &std::path::Path,
    start: Start,
    force: bool,
) -> Result<Rendered, BuildFailure> {
    // The build renders from here on: the highlighter loads while it starts.
    crate::markdown::highlight::load_in_background();
    let Start {
        inputs,
        survey,
        decoded,
    } = start;
    // Decoded once: by the start check when it looked at the output folder's files.
    let record = decoded.or_else(|| {
        (options.cache.as_deref())
            .zip(options.output.as_deref())
            .and_then(|(cache, folder)| OutputRecord::load(cache, folder))
    });
    // Removed when the build ends, however it ends (the pages are linked into the
    // output from it, or it is the new site swapped into place).
    let spool = Spool::create(&real_path(output_dir)).map(Arc::new);
    let mut rendered = match &spool {
        Some(spool) => {
            let same = inputs.as_ref().and_then(unchanged::Inputs::same_files);
            // The configuration the inputs' record holds is the one the site is built
            // with: it is not parsed a second time.
            render_site_spooled(options, loaded, spool, same, record.as_ref())?
        }
        None => render_site(options)?,
    };
    // The same checker as `dcrsite check`, internal links only: warnings, not errors.
    // (`serve` leaves this out to keep rebuilds fast: see `check::build_warnings`.)
    let check = || {
        let scanned =
            (inputs.as_ref()).map_or_else(Default::default, unchanged::Inputs::signatures);
        crate::check::build_warnings(&rendered, &options.root, options.cache.as_deref(), &scanned)
    };
    // The check runs while the new site is written beside the output (mostly system
    // time); only then is it put in place, unless `strict` fails the build on warnings.
    let stage = || {
        let vouched = (survey.as_ref())
            .zip(options.output.as_deref())
            .is_some_and(|(survey, folder)| survey.top_unchanged(folder));
        let spool = spool.as_deref();
        prepare(
            &rendered.output,
            output_dir,
            force,
            record.as_ref(),
            spool,
            vouched,
        )
    };
    let (mut link_warnings, prepared) = rayon::join(check, stage);
    rendered.config.drop_quieted(&mut link_warnings);
    rendered.warnings.append(&mut link_warnings);
    crate::diagnostics::sort(&mut rendered.warnings);
    if let Some(strict) = strict_failure(&rendered.config, &rendered.warnings) {
        let mut diagnostics = rendered.warnings;
        diagnostics.push(strict);
        return Err(diagnostics.into());
    }
    // What an update in place touches, for the record of the output's folders.
    let touched = (prepared.as_ref().ok()).and_then(|p| p.touched().map(<[String]>::to_vec));
    let written = prepared.and_then(Prepared::commit).map_err(|e| {
        let mut diagnostics = rendered.warnings.clone();
        diagnostics.push(e.diagnostic);
        BuildFailure {
            diagnostics,
            output_untouched: e.output_untouched,
        }
    })?;
    let in_place = survey.zip(touched);
    let cache = options.cache.as_deref();
    save_records(cache, &written, &rendered, inputs, in_place);
    Ok(rendered)
}

/// Saves what the build wrote into the output folder in the cache folder `cache`, and
/// with it the inputs it read (`unchanged`).
fn save_records(
    cache: Option<&std::path::Path>,
    written: &OutputRecord,
    rendered: &Rendered,
    inputs: Option<unchanged::Inputs>,
    in_place: Option<(unchanged::Survey, Vec<String>)>,
) {
    let Some(cache) = cache else { return };
    // Not worth failing the build: the previous record stays, and it still tells true
    // from false (a file written anew has a new inode), so the next build only renders
    // more pages again. The inputs are recorded only with the output record they go
    // with, and not when the cache could not be used.
    let saved = written.save(cache).is_ok() && rendered.cache_warning.is_none();
    if let Some(inputs) = inputs.filter(|_| saved) {
        let files = rendered.output.files.len();
        let in_place = (in_place.as_ref()).map(|(survey, touched)| (survey, touched.as_slice()));
        inputs.record(
            written,
            in_place,
            rendered.page_count,
            files,
            &rendered.warnings,
        );
    }
}

/// The result of the last build, for a build that found nothing changed since
/// (`unchanged`): its warnings and counts, failing as a build that writes would when
/// another build is writing into the output folder.
fn give_again(
    last: unchanged::Replay,
    config: &Config,
    output_dir: PathBuf,
    started: Instant,
) -> Result<BuildSummary, BuildFailure> {
    let mut diagnostics = last.warnings;
    // The last build passed with the same configuration: this is only a safeguard.
    let failure = strict_failure(config, &diagnostics)
        .map(|strict| (strict, true))
        .or_else(|| {
            claim_unchanged(&output_dir)
                .err()
                .map(|e| (e.diagnostic, e.output_untouched))
        });
    if let Some((error, output_untouched)) = failure {
        diagnostics.push(error);
        return Err(BuildFailure {
            diagnostics,
            output_untouched,
        });
    }
    Ok(BuildSummary {
        pages: last.pages,
        files: last.files,
        output_dir,
        elapsed: started.elapsed(),
        warnings: diagnostics,
        cache_warning: None,
        unchanged: true,
        cache_use: Default::default(),
    })
}
