//! The `serve` sink: a live-reload preview. The site is rendered into memory and answered
//! over HTTP straight from the Output; a watcher feeds changed paths to one rebuild
//! thread that updates the cached [`SiteState`] incrementally, swaps the served files and
//! only then tells browsers to reload.

mod burst;
mod http;
mod reload;
mod settle;
mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::diagnostics::{report, Diagnostic};
use crate::output::Output;
use crate::site::{BuildOptions, SiteState, Update};

/// What `dcrsite serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    /// Poll the file system instead of relying on change notifications.
    pub poll: bool,
    /// Start from the cache of the last start (`ROOT/.dcrsite-cache/serve/`) and keep
    /// this one's there. Apart from `build`'s: pages point at this server.
    pub cache: bool,
    /// Colour diagnostics in the terminal.
    pub color: bool,
}

/// Why the server could not start (exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("site root {0} does not exist or is not a folder (pass --root with the folder that holds site.yaml)")]
    Root(String),
    #[error("port {port} on {addr} is already in use; pass --port with another port, or --port 0 for any free port")]
    PortInUse { addr: IpAddr, port: u16 },
    #[error("cannot listen on {addr} port {port}: {source} (change --bind or --port)")]
    Bind {
        addr: IpAddr,
        port: u16,
        source: std::io::Error,
    },
    #[error("cannot watch the site's files: {0} (try --poll)")]
    Watch(#[from] notify::Error),
    #[error("cannot start the server: {0}")]
    Io(#[from] std::io::Error),
}

/// What the HTTP side reads: the last good Output and the current build error.
pub(crate) struct Served {
    pub output: Output,
    /// The failed build's diagnostics as text, shown in an overlay until a good build.
    pub error: Option<String>,
    /// Counts published builds, so a browser that reconnects knows whether it missed one.
    pub generation: u64,
}

pub(crate) struct Shared {
    pub site: RwLock<Served>,
    pub events: broadcast::Sender<reload::Event>,
    /// The canonical site root: files copied from disk must resolve inside it.
    pub root: PathBuf,
    pub addr: SocketAddr,
    /// Differs on each start, so browsers reload after a restart.
    pub instance: String,
    /// Set once the first build is published (or failed): until then a request for a
    /// file the early pages lack waits for it rather than getting a 404.
    pub settled: tokio::sync::watch::Sender<bool>,
}

/// Runs the server until Ctrl-C.
pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    let root = options
        .root
        .canonicalize()
        .ok()
        .filter(|r| r.is_dir())
        .ok_or_else(|| ServeError::Root(options.root.display().to_string()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(options, root))
}

async fn serve(options: ServeOptions, root: PathBuf) -> Result<(), ServeError> {
    let listener = listen(&options).await?;
    let addr = listener.local_addr()?;
    // Permalinks and the sitemap point at this server rather than the production URL,
    // and the base path is `/`, which is where the site is served.
    let build_options = BuildOptions {
        root: root.clone(),
        base_url: Some(format!("http://{addr}/")),
        drafts: options.drafts,
        cache: options
            .cache
            .then(|| root.join(crate::layout::CACHE).join("serve")),
        output: None,
    };
    let shared = Arc::new(Shared::new(root, addr));
    let rebuilder = Rebuilder {
        shared: shared.clone(),
        options: build_options,
        state: None,
        in_sync: false,
        color: options.color,
    };
    start_rebuilding(rebuilder, options.poll).await?;

    // Installed before the `Serving on` line, so a Ctrl-C right after it is still a
    // clean stop rather than the default kill.
    let stop = stop_signal()?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: serving on {}, which is not a loopback address: anyone who can reach this machine can read the site",
            addr.ip()
        );
    }
    println!("Serving on http://{addr}/");
    let _ = std::io::stdout().flush();

    let app = http::router(shared);
    tokio::select! {
        result = axum::serve(listener, app) => result?,
        _ = stop => eprintln!("Stopped."),
    }
    Ok(())
}

/// Runs the first build and then the rebuild loop on a thread of their own. With pages
/// from the last start's cache, those are answered at once and the build runs behind
/// them; without, the first build is done before this returns (and before `Serving on`).
async fn start_rebuilding(mut rebuilder: Rebuilder, poll: bool) -> Result<(), ServeError> {
    let root = rebuilder.options.root.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    if let Some(output) = early_pages(&rebuilder.options).await {
        // The cached pages are answered while the build runs; it is watched from now on,
        // so a save made during the build is seen, and publishes like any other.
        rebuilder.shared.serve_early(output);
        let mut watcher = watch::SiteWatcher::start(&root, poll, tx)?;
        std::thread::Builder::new()
            .name("dcrsite-rebuild".into())
            .spawn(move || {
                rebuilder.first_build();
                if let Some(state) = &rebuilder.state {
                    watch_configured_dirs(&mut watcher, state);
                }
                rebuilder.run(watcher, rx)
            })?;
        return Ok(());
    }
    let rebuilder = tokio::task::spawn_blocking(move || {
        rebuilder.first_build();
        rebuilder
    })
    .await
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut watcher = watch::SiteWatcher::start(&root, poll, tx)?;
    // Every source folder is watched before `Serving on` is printed: a save made right
    // after it must be seen.
    if let Some(state) = &rebuilder.state {
        watch_configured_dirs(&mut watcher, state);
    }
    std::thread::Builder::new()
        .name("dcrsite-rebuild".into())
        .spawn(move || rebuilder.run(watcher, rx))?;
    Ok(())
}

/// The pages of the last start's cache that can be answered before this start's build
/// is done (`site::cached_pages`); `None` without a cache or when none can.
async fn early_pages(options: &BuildOptions) -> Option<Output> {
    let dir = options.cache.clone()?;
    let root = options.root.clone();
    let output = tokio::task::spawn_blocking(move || crate::site::cached_pages(&root, &dir))
        .await
        .ok()??;
    (!output.files.is_empty()).then_some(output)
}

async fn listen(options: &ServeOptions) -> Result<tokio::net::TcpListener, ServeError> {
    tokio::net::TcpListener::bind((options.bind, options.port))
        .await
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AddrInUse => ServeError::PortInUse {
                addr: options.bind,
                port: options.port,
            },
            _ => ServeError::Bind {
                addr: options.bind,
                port: options.port,
                source,
            },
        })
}

impl Shared {
    /// Nothing served yet: the first build is published like any other.
    fn new(root: PathBuf, addr: SocketAddr) -> Shared {
        let (events, _) = broadcast::channel(64);
        let (settled, _) = tokio::sync::watch::channel(false);
        Shared {
            settled,
            site: RwLock::new(Served {
                output: Output::default(),
                error: None,
                generation: 0,
            }),
            events,
            root,
            addr,
            instance: format!(
                "{:x}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default()
                    ^ u128::from(std::process::id())
            ),
        }
    }
}

impl Shared {
    /// Answers the cached pages until the first build is published (generation 0 is
    /// never pushed to browsers: the build's publication reloads them).
    fn serve_early(&self, output: Output) {
        let mut site = match self.site.write() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        site.output = output;
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM; the handlers are registered on creation.
#[cfg(unix)]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Owns the cached site state on the rebuild thread.
struct Rebuilder {
    shared: Arc<Shared>,
    options: BuildOptions,
    state: Option<SiteState>,
    /// Whether the served Output equals the state's (false after a failed build).
    in_sync: bool,
    color: bool,
}

impl Rebuilder {
    /// Loads the site (from the build cache when there is one) and publishes it.
    fn first_build(&mut self) {
        let started = Instant::now();
        let state = SiteState::load(&self.options);
        if let Some(warning) = state.as_ref().ok().and_then(SiteState::cache_warning) {
            let shown = report::render_all(
                std::slice::from_ref(warning),
                &self.options.root,
                self.color,
            );
            eprint!("{shown}");
        }
        self.finish(state.map(|s| (s, None)), started);
    }

    fn run(
        mut self,
        mut watcher: watch::SiteWatcher,
        rx: std::sync::mpsc::Receiver<watch::Change>,
    ) {
        let mut bursts = burst::Bursts::new(rx);
        // Set while a rebuild was held back: the served files then lag the state by more
        // than the next update says, so the next publication replaces them whole.
        let mut held = false;
        while let Some(batch) = bursts.next_batch() {
            let started = Instant::now();
            // A folder created at the top (content/, assets/…) needs a watch of its own.
            watcher.refresh(&batch.paths);
            let stamps = settle::Stamps::of(&batch.paths);
            let result = self.rebuild(&batch.paths);
            // Before the build is published: a save made as soon as the browser shows
            // it must already be seen.
            if let Ok((state, _)) = &result {
                watch_configured_dirs(&mut watcher, state);
            }
            bursts.settle(&batch);
            bursts.requeue(stamps.changed());
            if bursts.changed_since(&batch) {
                // Its inputs changed while it ran, or just before: it may have read a file
                // half-written.
                // The state keeps the work; the next batch brings it up to date.
                self.hold(result);
                held = true;
                continue;
            }
            let result = match result {
                Ok((state, Some(_))) if held => Ok((state, None)),
                other => other,
            };
            held = false;
            self.finish(result, started);
        }
    }

    /// Brings the state up to date with `paths`, or loads it when there is none.
    fn rebuild(
        &mut self,
        paths: &[PathBuf],
    ) -> Result<(SiteState, Option<Update>), Vec<Diagnostic>> {
        match self.state.take() {
            Some(mut state) => state.apply(paths).map(|update| (state, Some(update))),
            None => SiteState::load(&self.options).map(|s| (s, None)),
        }
    }

    /// Keeps a rebuild's state without publishing it: the served files stay the last
    /// published ones, which no longer equal the state's.
    fn hold(&mut self, result: Result<(SiteState, Option<Update>), Vec<Diagnostic>>) {
        self.state = result.ok().map(|(state, _)| state);
        self.in_sync = false;
    }

    /// Publishes a build: the new files go live first, then browsers hear of them.
    fn finish(
        &mut self,
        result: Result<(SiteState, Option<Update>), Vec<Diagnostic>>,
        started: Instant,
    ) {
        let (state, update) = match result {
            Ok(built) => built,
            Err(problems) => {
                self.fail(None, &problems);
                return;
            }
        };
        if state.has_errors() {
            let problems = state.problems().to_vec();
            self.fail(Some(state), &problems);
            return;
        }
        if update.as_ref().is_some_and(|u| self.changes_nothing(u)) {
            self.state = Some(state);
            return;
        }
        let live = self.go_live(&state, update.as_ref());
        let root = &self.options.root;
        eprint!("{}", report::render_all(state.problems(), root, self.color));
        let event = match &update {
            None => Some(built_event(&state, &live, started)),
            Some(u) => rebuilt_event(&state, u, &live, started),
        };
        self.state = Some(state);
        if let Some(event) = event {
            // No receivers (no browser open) is fine.
            let _ = self.shared.events.send(event);
        }
    }

    /// Keeps what is left of a failed build and shows its problems over the last good
    /// files, which stay served.
    fn fail(&mut self, state: Option<SiteState>, problems: &[Diagnostic]) {
        self.state = state;
        self.in_sync = false;
        self.publish_error(problems);
    }

    /// A save that changes no output (an editor writing a file twice, a touch) is not a
    /// new build: no new generation, no event, so no browser reloads for nothing.
    fn changes_nothing(&self, update: &Update) -> bool {
        let showing_error = match self.shared.site.read() {
            Ok(site) => site.error.is_some(),
            Err(_) => true,
        };
        self.in_sync && update.changed.is_empty() && update.removed.is_empty() && !showing_error
    }

    /// Serves the build's files (only those the update names while the served files
    /// equal the state's) as a new generation.
    fn go_live(&mut self, state: &SiteState, update: Option<&Update>) -> Live {
        let mut site = match self.shared.site.write() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        match update {
            Some(u) if self.in_sync => {
                for path in &u.changed {
                    if let Some(file) = state.output().get(path) {
                        site.output.files.insert(path.clone(), file.clone());
                    }
                }
                for path in &u.removed {
                    site.output.files.remove(path);
                }
            }
            _ => site.output = state.output().clone(),
        }
        site.generation += 1;
        let live = Live {
            generation: site.generation,
            cleared_error: site.error.take().is_some(),
        };
        drop(site);
        self.shared.settled.send_replace(true);
        self.in_sync = true;
        live
    }

    fn publish_error(&self, problems: &[Diagnostic]) {
        let root = &self.options.root;
        eprint!("{}", report::render_all(problems, root, self.color));
        eprintln!("{}", report::failure_line("rebuild", problems));
        eprintln!("(still serving the last good build)");
        let message = report::render_all(problems, root, false);
        {
            let mut site = match self.shared.site.write() {
                Ok(s) => s,
                Err(poisoned) => poisoned.into_inner(),
            };
            site.error = Some(message.clone());
        }
        self.shared.settled.send_replace(true);
        let _ = self.shared.events.send(reload::Event::error(message));
    }
}

/// A build just served.
struct Live {
    generation: u64,
    /// The served files had been showing a build error until now.
    cleared_error: bool,
}

/// Reports a full load; every browser reloads.
fn built_event(state: &SiteState, live: &Live, started: Instant) -> reload::Event {
    eprintln!(
        "Built {} pages in {:.0} ms{}",
        state.page_count(),
        elapsed_ms(started),
        report::warning_suffix(state.problems())
    );
    reload::Event::reload(Vec::new(), Vec::new(), live.generation, true)
}

/// Reports an incremental rebuild and tells browsers what to reload; `None` when no
/// file moved and no error went away.
fn rebuilt_event(
    state: &SiteState,
    update: &Update,
    live: &Live,
    started: Instant,
) -> Option<reload::Event> {
    if update.changed.is_empty() && update.removed.is_empty() && !live.cleared_error {
        return None;
    }
    eprintln!(
        "Rebuilt in {:.1} ms: {} Markdown, {} templates rendered; {} files changed, {} removed{}",
        elapsed_ms(started),
        update.markdown_rendered,
        update.templates_rendered,
        update.changed.len(),
        update.removed.len(),
        report::warning_suffix(state.problems())
    );
    Some(
        if update.css_only && !update.css_swaps.is_empty() && !live.cleared_error {
            reload::Event::css(update.css_swaps.clone(), live.generation)
        } else {
            reload::Event::reload(
                update.changed.clone(),
                update.removed.clone(),
                live.generation,
                live.cleared_error,
            )
        },
    )
}

fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Watches the folders the configuration names (a custom `docs_dir`, snippet folders);
/// they change when `mkdocs.yml` does. Kept as they were while the site cannot be loaded.
/// The files pages include from elsewhere (mdx_include's `docs_src/…`) are watched too.
fn watch_configured_dirs(watcher: &mut watch::SiteWatcher, state: &SiteState) {
    let mut dirs = state.config().layout().extra_source_dirs();
    dirs.extend(state.included_paths());
    watcher.set_extra_dirs(&dirs);
}
