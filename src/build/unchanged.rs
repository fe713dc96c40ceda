//! The unchanged build: when nothing a build reads has changed since the last one and
//! the output folder still holds what it wrote, `build` gives the last build's result
//! again (its warnings, its counts) without loading or rendering anything.
//!
//! At the end of a successful build with the cache, `inputs.bin` in the cache folder
//! records what it read: every entry under the site root with its signature (see
//! `site::cache::inputs`; the output folder, its staging folders beside it, the cache
//! folder and `.git` are not inputs) as the scan at the build's start saw it, before
//! anything was read, so that a file changed while the build read it differs from the
//! record and the next build renders it again; and a key of everything else the output
//! depends on: this dcrsite (version and executable), the options, the `DCRSITE_*` variables
//! templates see, the configuration as loaded (which holds what `!ENV` tags read), and
//! the git history the page dates come from. It also records the cache's own files and
//! the output's manifest as they were when it was written: a cache corrupted since is
//! then loaded (and warned about) by a build that renders; and the output folder's
//! folders, whose times move when a file is added or removed there (found from the
//! files the build wrote, not by listing the folder). The next build
//! scans again (one `lstat` per file; the output folder is not listed, only its files
//! and folders are `lstat`ed) and renders nothing when all of it matches, no input was
//! racy when recorded, and every output file is still as the output record says.
//! Anything else, or any doubt, takes the normal path, which removes the record first
//! and writes a new one when it succeeds.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::record::OutputRecord;
use crate::output::write::MANIFEST;
use crate::site::cache_inputs::{self as inputs, Entry, Kind, Sig};
use crate::site::{cache_store as store, BuildOptions, CacheKey, CachedDiagnostic, KeyHasher};

/// The record, inside the cache folder.
pub(crate) const FILE: &str = "inputs.bin";
/// The clock marker each build writes before it scans (`inputs::mark`).
const MARKER: &str = "inputs.clock";
/// Files of the cache folder no build reads (`check --external`'s results).
const NOT_READ: [&str; 3] = [FILE, MARKER, "external-links.json"];

#[derive(Serialize, Deserialize)]
struct Stamp {
    context: CacheKey,
    inputs: Vec<Entry>,
    /// The cache folder's files once the build had written them.
    cache: Vec<Entry>,
    manifest: Sig,
    /// The output folder and every folder in it, by path relative to it (`""` for
    /// itself): a file added or removed anywhere changes its folder's times.
    folders: Vec<(String, Sig)>,
    pages: usize,
    files: usize,
    warnings: Vec<CachedDiagnostic>,
}

/// This build's inputs, scanned before it read any of them.
pub(crate) struct Inputs {
    cache: PathBuf,
    /// The output folder's real path.
    output: PathBuf,
    context: Context,
    entries: Vec<Entry>,
    /// The file system's time just before the scan.
    marker: i128,
    /// The files the last build read that are as it read them, when its cache is as it
    /// left it (see [`Self::same_files`]).
    same: Option<std::sync::Arc<inputs::SameFiles>>,
}

/// What the last build counted and warned about.
pub(crate) struct Replay {
    pub(crate) pages: usize,
    pub(crate) files: usize,
    pub(crate) warnings: Vec<Diagnostic>,
}

pub(crate) enum Check {
    /// Nothing changed: the last build's result.
    Unchanged(Replay),
    /// Build: the inputs to record once it succeeds (none when they cannot be vouched
    /// for), and what was found of the output folder.
    Changed {
        inputs: Option<Inputs>,
        survey: Option<Survey>,
        /// The last build's record of the output folder as the check decoded it (the
        /// build decodes it once), verified when every file in it was found as written
        /// (`OutputRecord::verified`): the build need not stat them again.
        output: Option<OutputRecord>,
    },
}

/// The output folder as the build's start found it, when no file was added to or
/// removed from any of its folders since the last build recorded them (each folder's
/// times are those recorded, and older than the record: see `Last::survey`). It then
/// holds exactly the files its manifest lists, so writing the site need not list the
/// folder again to find files dcrsite did not write, and the folders the build does not
/// touch keep these signatures for the next build's record (see `Survey::after`).
pub(crate) struct Survey {
    folders: Vec<(String, Sig)>,
}

/// Whether the build `options` describes (with the cache and an output folder) is the
/// last one again. `config` is the configuration as `build` loaded it.
pub(crate) fn check(options: &BuildOptions, config: &Config) -> Check {
    let (Some(cache), Some(output)) = (options.cache.as_deref(), options.output.as_deref()) else {
        return Check::Changed {
            inputs: None,
            survey: None,
            output: None,
        };
    };
    if !options.root.is_dir() {
        return Check::Changed {
            inputs: None,
            survey: None,
            output: None,
        };
    }
    let last = Last::load(cache);
    // The two walks, of the site and of the output folder, side by side. The output
    // folder's files are looked at to the end even once the inputs are found changed (a
    // page edited): the build keeps the files it would write again, and would otherwise
    // `stat` each of them a second time (`OutputRecord::verified`).
    let ((inputs, same), (survey, record)) = rayon::join(
        || {
            let inputs = Inputs::scan(options, config, cache, output, last.is_some());
            let same = (inputs.as_ref())
                .zip(last.as_ref())
                .is_some_and(|(inputs, last)| last.read(inputs));
            (inputs, same)
        },
        || {
            let survey = last.as_ref().and_then(|last| last.survey(output));
            let record = survey.as_ref().and_then(|_| files_hold(cache, output));
            (survey, record)
        },
    );
    let output_holds = record.as_ref().is_some_and(|r| r.verified);
    let mut inputs = inputs;
    match last {
        Some(last) if same && output_holds => return Check::Unchanged(last.replay()),
        Some(last) => {
            if let Some(inputs) = &mut inputs {
                inputs.same = last.same_files(inputs).map(std::sync::Arc::new);
            }
        }
        None => {}
    }
    // A build killed before it recorded its inputs may have changed the output or the
    // cache: the record is gone before anything is.
    let _ = std::fs::remove_file(cache.join(FILE));
    Check::Changed {
        inputs,
        survey,
        output: record,
    }
}

impl Inputs {
    /// `compare`: whether a record of the last build is there to compare against, which
    /// needs this build's whole context at once (see [`Context`]).
    fn scan(
        options: &BuildOptions,
        config: &Config,
        cache: &Path,
        output: &Path,
        compare: bool,
    ) -> Option<Self> {
        let (marker, dev) = inputs::mark(&cache.join(MARKER))?;
        let root = options.root.canonicalize().ok()?;
        let cache_real = cache.canonicalize().ok()?;
        let git = {
            let root = root.clone();
            std::thread::spawn(move || git_state(&root))
        };
        let staging = output
            .file_name()
            .map(|name| format!(".{}.", name.to_string_lossy()));
        let skip = |path: &Path| {
            path == cache_real
                || path == output
                || path.file_name() == Some(".git".as_ref())
                || (path.parent() == output.parent()
                    && staging.as_deref().is_some_and(|s| {
                        path.file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with(s))
                    }))
        };
        let entries = inputs::scan(&root, dev, &skip)?;
        let mut context = Context::Waiting(Box::new(context(options, config)), git);
        if compare {
            context.key()?;
        }
        Some(Inputs {
            cache: cache.to_path_buf(),
            output: output.to_path_buf(),
            context,
            entries,
            marker,
            same: None,
        })
    }

    /// The files under the root that are as the last build read them: the build cache,
    /// which that build wrote, holds what they gave it. None without a record of the
    /// last build or when its cache changed since.
    pub(crate) fn same_files(&self) -> Option<std::sync::Arc<inputs::SameFiles>> {
        self.same.clone()
    }

    /// The signatures the scan took of the site's files, by path relative to the root:
    /// the link check's key of a page's Markdown file (`check::verdict`), without a
    /// `stat` of each again.
    pub(crate) fn signatures(&self) -> crate::check::Scanned<'_> {
        (self.entries.iter())
            .filter_map(|e| match e.kind {
                Kind::File(sig) => Some((e.path.as_slice(), sig)),
                _ => None,
            })
            .collect()
    }

    /// Records these inputs as those of the build that just wrote its output and its
    /// cache, with its counts and warnings. Not when an input was changed in the same
    /// tick of the clock as the scan (the next build renders, and records).
    /// `written` is what it wrote into the output folder; `in_place`, when it updated
    /// the folder the start `Survey` found in place, the files it put or removed there.
    pub(crate) fn record(
        mut self,
        written: &OutputRecord,
        in_place: Option<(&Survey, &[String])>,
        pages: usize,
        files: usize,
        warnings: &[Diagnostic],
    ) {
        if inputs::any_racy(&self.entries, self.marker) {
            return;
        }
        let folders = match in_place {
            Some((survey, touched)) => survey.after(&self.output, written, touched),
            None => output_folders(&self.output, written.files.keys().map(String::as_str)),
        };
        let (Some(cache), Some(manifest), Some(folders)) = (
            cache_files(&self.cache),
            Sig::at(&self.output.join(MANIFEST)),
            folders,
        ) else {
            return;
        };
        // What was signed after the scan is trusted only when older than the record
        // (`replay`): on a coarse clock, the last files written may share its tick.
        let latest = (cache.iter().filter_map(|e| match e.kind {
            Kind::File(sig) => Some(sig.latest()),
            _ => None,
        }))
        .chain(folders.iter().map(|(_, sig)| sig.latest()))
        .fold(manifest.latest(), i128::max);
        if !self.clock_past(latest) {
            return;
        }
        let Some(&context) = self.context.key() else {
            return;
        };
        let stamp = Stamp {
            context,
            inputs: self.entries,
            cache,
            manifest,
            folders,
            pages,
            files,
            warnings: warnings.iter().map(CachedDiagnostic::from).collect(),
        };
        let _ = store::write(&self.cache.join(FILE), &stamp);
    }
}

/// The last build's record, and when it was written.
struct Last {
    stamp: Stamp,
    /// What was signed before this time is trusted only when older.
    written: i128,
}

impl Last {
    fn load(cache: &Path) -> Option<Last> {
        let path = cache.join(FILE);
        let written = Sig::at(&path)?.modified();
        let stamp: Stamp = store::read(&path).ok()??;
        Some(Last { stamp, written })
    }

    /// Whether the last build read exactly these inputs, and left the cache as it is.
    fn read(&self, inputs: &Inputs) -> bool {
        let stamp = &self.stamp;
        inputs.context.known() == Some(&stamp.context)
            && stamp.inputs == inputs.entries
            && cache_files(&inputs.cache).is_some_and(|files| files == stamp.cache)
            && !inputs::any_racy(&stamp.cache, self.written)
    }

    /// The output folder `folder` as the last build recorded it, when its manifest and
    /// every folder in it are as recorded (so nothing was added or removed), no update
    /// in place was left unfinished, and no signature is racy against the record: a
    /// later change then gives a time past the recorded one.
    fn survey(&self, folder: &Path) -> Option<Survey> {
        use rayon::prelude::*;
        let stamp = &self.stamp;
        let same = |rel: &str, sig: &Sig| {
            !sig.racy(self.written) && Sig::at(&folder.join(rel)).as_ref() == Some(sig)
        };
        let holds = same(MANIFEST, &stamp.manifest)
            && !crate::output::write::update_unfinished(folder)
            && (stamp.folders.par_iter()).all(|(rel, sig)| same(rel, sig));
        holds.then(|| Survey {
            folders: stamp.folders.clone(),
        })
    }

    /// The files of `inputs` as the last build read them, when the cache folder is as
    /// it left it (its own files not racy against the record either).
    fn same_files(&self, inputs: &Inputs) -> Option<inputs::SameFiles> {
        let stamp = &self.stamp;
        let cache_as_left = cache_files(&inputs.cache).is_some_and(|files| files == stamp.cache)
            && !inputs::any_racy(&stamp.cache, self.written);
        cache_as_left.then(|| inputs::SameFiles::between(&stamp.inputs, &inputs.entries))
    }

    fn replay(self) -> Replay {
        Replay {
            pages: self.stamp.pages,
            files: self.stamp.files,
            warnings: self
                .stamp
                .warnings
                .into_iter()
                .map(Diagnostic::from)
                .collect(),
        }
    }
}

/// The last build's record of the output folder `folder`, marked verified when the
/// folder still holds every file as that build wrote it (its folders are the `survey`'s
/// to say); the first file found otherwise ends the look (the build then looks at each
/// file it keeps, and rewrites the others).
fn files_hold(cache: &Path, folder: &Path) -> Option<OutputRecord> {
    use rayon::prelude::*;
    let mut record = OutputRecord::load(cache, folder)?;
    record.verified = (record.files.par_iter()).all(|(path, w)| w.still_at(&folder.join(path)));
    Some(record)
}

impl Inputs {
    /// Waits until the file system's clock is past `time` (a tick at most).
    fn clock_past(&self, time: i128) -> bool {
        for _ in 0..100 {
            match inputs::mark(&self.cache.join(MARKER)) {
                Some((now, _)) if now > time => return true,
                Some(_) => std::thread::sleep(std::time::Duration::from_millis(1)),
                None => return false,
            }
        }
        false
    }
}

/// The key of what, besides the files, makes a build the same as the last one: the
/// binary, the options, `DCRSITE_` variables, the configuration, and the git state.
/// That comes from a `git` process (a few milliseconds, more than scanning a small
/// site), so a build without a record to compare against (a first, clean build) does
/// not wait for it before it renders, only before it records its inputs.
enum Context {
    /// Hashed but for the git state, which `git_state` is still reading.
    Waiting(Box<KeyHasher>, std::thread::JoinHandle<GitState>),
    Known(CacheKey),
    /// The `git` thread panicked: nothing is recorded.
    Unknown,
}

impl Context {
    /// The whole key, once the git state is read (waited for here).
    fn key(&mut self) -> Option<&CacheKey> {
        *self = match std::mem::replace(self, Context::Unknown) {
            Context::Waiting(mut hasher, git) => match git.join() {
                Ok(git) => {
                    Context::Known(hasher.debug(&(git.status, &git.out, git.shallow)).finish())
                }
                Err(_) => Context::Unknown,
            },
            done => done,
        };
        self.known()
    }

    /// The whole key, when it is already known.
    fn known(&self) -> Option<&CacheKey> {
        match self {
            Context::Known(key) => Some(key),
            _ => None,
        }
    }
}

/// [`Context`]'s key, all but the git state.
fn context(options: &BuildOptions, config: &Config) -> KeyHasher {
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .filter(|(k, _)| k.starts_with("DCRSITE_"))
        .collect();
    vars.sort();
    let exe = std::env::current_exe().ok().and_then(|e| Sig::at(&e));
    let mut key = KeyHasher::new("unchanged build");
    key.text(env!("CARGO_PKG_VERSION"))
        .debug(&exe)
        .debug(&options.root)
        .debug(&options.base_url)
        .debug(&options.drafts)
        .debug(&options.output)
        .debug(&vars)
        .debug(config);
    key
}

/// What the page dates' `git log` reads: the commit checked out (which names the whole
/// history) and the shallow clone's boundary, which fetching deeper moves.
struct GitState {
    status: Option<i32>,
    out: Vec<u8>,
    shallow: Option<Sig>,
}

fn git_state(root: &Path) -> GitState {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD", "--git-path", "shallow"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let Ok(output) = output else {
        return GitState {
            status: None,
            out: Vec::new(),
            shallow: None,
        };
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let shallow = (text.lines().nth(1)).and_then(|p| Sig::at(&root.join(p)));
    GitState {
        status: output.status.code(),
        out: output.stdout,
        shallow,
    }
}

/// The cache folder's files a build reads, sorted by name; `None` when one is a symlink
/// or the folder cannot be read.
fn cache_files(cache: &Path) -> Option<Vec<Entry>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(cache).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        let kind = entry.file_type().ok()?;
        if kind.is_symlink() {
            return None;
        }
        if !kind.is_file() || NOT_READ.iter().any(|n| name == *n) {
            continue;
        }
        files.push(Entry {
            path: name.to_string_lossy().as_bytes().to_vec(),
            kind: Kind::File(Sig::at(&entry.path())?),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Some(files)
}

impl Survey {
    /// Whether the output folder `folder` itself is still as the survey found it (the
    /// same folder, nothing added or removed at its top): looked at again just before
    /// the site is written, against the folder being replaced while the build rendered.
    pub(crate) fn top_unchanged(&self, folder: &Path) -> bool {
        (self.folders.iter()).any(|(rel, sig)| rel.is_empty() && Sig::at(folder) == Some(*sig))
    }

    /// The folders of the output folder `folder` once the build updated it in place,
    /// putting or removing the files `touched` (paths relative to it) and leaving it
    /// holding the files of `written`: each folder on the way to a touched file is
    /// signed again and listed to hold nothing but the site's files (signed first, so
    /// that a file added after shows in its times); the others keep the signatures the
    /// survey found, which any change since has moved. `None` when a folder holds
    /// anything else or cannot be read: the next build then lists the whole folder.
    fn after(
        &self,
        folder: &Path,
        written: &OutputRecord,
        touched: &[String],
    ) -> Option<Vec<(String, Sig)>> {
        use rayon::prelude::*;
        use std::collections::{BTreeSet, HashMap, HashSet};
        let folders: BTreeSet<&str> = std::iter::once("")
            .chain(written.files.keys().flat_map(|path| parents(path)))
            .collect();
        let stale: HashSet<&str> = touched.iter().flat_map(|path| parents(path)).collect();
        let surveyed: HashMap<&str, Sig> = (self.folders.iter())
            .map(|(rel, sig)| (rel.as_str(), *sig))
            .collect();
        (folders.par_iter())
            .map(|&rel| match surveyed.get(rel) {
                Some(sig) if !stale.contains(rel) => Some((rel.to_string(), *sig)),
                _ => signed_if_ours(folder, rel, written, &folders),
            })
            .collect()
    }
}

/// The folders `path` (`/`-separated) lies in, innermost first, down to `""` (the
/// folder it is relative to).
fn parents(path: &str) -> impl Iterator<Item = &str> {
    let mut at = Some(path);
    std::iter::from_fn(move || {
        let (dir, more) = match at?.rsplit_once('/') {
            Some((dir, _)) => (dir, true),
            None => ("", false),
        };
        at = more.then_some(dir);
        Some(dir)
    })
}

/// The folder `rel` of the output folder `folder` with its signature, when it holds
/// only files of `written` (the manifest at the top), and folders among `folders`.
fn signed_if_ours(
    folder: &Path,
    rel: &str,
    written: &OutputRecord,
    folders: &std::collections::BTreeSet<&str>,
) -> Option<(String, Sig)> {
    let dir = folder.join(rel);
    let meta = std::fs::symlink_metadata(&dir).ok()?;
    if !meta.is_dir() {
        return None;
    }
    for entry in std::fs::read_dir(&dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        let name = name.to_str()?;
        let path = match rel {
            "" => name.to_string(),
            _ => format!("{rel}/{name}"),
        };
        let kind = entry.file_type().ok()?;
        let ours = if kind.is_dir() {
            folders.contains(path.as_str())
        } else {
            kind.is_file() && (written.files.contains_key(&path) || path == MANIFEST)
        };
        if !ours {
            return None;
        }
    }
    Some((rel.to_string(), Sig::of(&meta)))
}

/// The output folder `folder` and every folder in it, with their signatures; `None`
/// when one cannot be read or is a symlink. `files` are the files the build wrote
/// there (paths relative to it, `/`-separated): their folders are found without
/// listing any, unless a folder's link count tells of a folder none of them lies in.
fn output_folders<'a>(
    folder: &Path,
    files: impl Iterator<Item = &'a str>,
) -> Option<Vec<(String, Sig)>> {
    folders_of_files(folder, files).or_else(|| listed_folders(folder))
}

/// The folders holding `files` under `folder`, and `folder` itself, with their
/// signatures, when they are all the folders there are: on ext2-4, XFS and tmpfs a
/// folder has two links plus one per folder in it (the "leaf optimisation" GNU find
/// relies on there), so a folder with more than the known ones gives `None`, as does
/// any other file system (btrfs says 1, NFS may be wrong), and the folder is listed.
#[cfg(target_os = "linux")]
fn folders_of_files<'a>(
    folder: &Path,
    files: impl Iterator<Item = &'a str>,
) -> Option<Vec<(String, Sig)>> {
    use rayon::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::os::unix::fs::MetadataExt;
    const EXT: i128 = 0xEF53;
    const XFS: i128 = 0x5846_5342;
    const TMPFS: i128 = 0x0102_1994;
    let fs = rustix::fs::statfs(folder).ok()?;
    if ![EXT, XFS, TMPFS].contains(&i128::from(fs.f_type)) {
        return None;
    }
    let parent = |path: &'a str| path.rsplit_once('/').map(|(parent, _)| parent);
    let mut dirs = BTreeSet::new();
    for file in files {
        let mut at = file;
        while let Some(dir) = parent(at).filter(|dir| dirs.insert(*dir)) {
            at = dir;
        }
    }
    // Each folder with the number of folders in it the files show.
    let mut subfolders: BTreeMap<&str, u64> = BTreeMap::from([("", 0)]);
    for &dir in &dirs {
        subfolders.entry(dir).or_insert(0);
        *subfolders.entry(parent(dir).unwrap_or("")).or_insert(0) += 1;
    }
    (subfolders.into_par_iter())
        .map(|(rel, known)| {
            let meta = std::fs::symlink_metadata(folder.join(rel)).ok()?;
            let only_known = meta.is_dir() && meta.nlink() == 2 + known;
            only_known.then(|| (rel.to_string(), Sig::of(&meta)))
        })
        .collect()
}

#[cfg(not(target_os = "linux"))]
fn folders_of_files<'a>(_: &Path, _: impl Iterator<Item = &'a str>) -> Option<Vec<(String, Sig)>> {
    None
}

/// The output folder `folder` and every folder in it, listed.
fn listed_folders(folder: &Path) -> Option<Vec<(String, Sig)>> {
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(folder).sort_by(crate::content::walk::by_name) {
        let entry = entry.ok()?;
        if !entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(folder).ok()?.to_str()?;
        folders.push((rel.replace('\\', "/"), Sig::at(entry.path())?));
    }
    Some(folders)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A site root with one page, its cache folder and an output folder holding only a
    /// manifest, as a build would leave them; the options of a build of it.
    fn site() -> (tempfile::TempDir, BuildOptions, OutputRecord) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "# A\n").unwrap();
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("public").join(MANIFEST), "").unwrap();
        std::fs::create_dir_all(root.join(".dcrsite-cache")).unwrap();
        let written = OutputRecord {
            folder: root.join("public"),
            files: Default::default(),
            verified: false,
        };
        written.save(&root.join(".dcrsite-cache")).unwrap();
        let options = BuildOptions {
            root: root.clone(),
            base_url: None,
            drafts: false,
            cache: Some(root.join(".dcrsite-cache")),
            output: Some(root.join("public")),
        };
        // Older than the clock marker: not racy.
        std::thread::sleep(Duration::from_millis(20));
        (dir, options, written)
    }

    fn start(options: &BuildOptions) -> Option<Inputs> {
        match check(options, &Config::default()) {
            Check::Unchanged(_) => None,
            Check::Changed { inputs, .. } => Some(inputs.expect("scanned")),
        }
    }

    /// What is recorded is what the start scan saw, before anything was read: a file
    /// changed after the scan (while the build reads it) differs from the record, so
    /// the next build renders it again instead of giving a stale result.
    #[test]
    fn a_file_changed_after_the_scan_is_built_again() {
        let (dir, options, written) = site();
        let inputs = start(&options).expect("no record yet: changed");
        // The build reads the page after the scan; meanwhile, it is edited.
        std::fs::write(dir.path().join("content/a.md"), "# A, edited\n").unwrap();
        inputs.record(&written, None, 1, 0, &[]);
        let recorded = options.cache.as_ref().unwrap().join(FILE);
        assert!(recorded.exists(), "the build recorded its inputs");
        std::thread::sleep(Duration::from_millis(20));
        let inputs = start(&options).expect("the edit after the scan is seen");
        // Recorded again with nothing changed since its scan: the next build is unchanged.
        inputs.record(&written, None, 1, 0, &[]);
        assert!(start(&options).is_none(), "unchanged");
    }

    /// The folders found from the files written are those a listing finds; a folder no
    /// file lies in is found by listing.
    #[test]
    fn the_output_folders_from_the_files_are_all_there_are() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let files = [
            "a/b/c.html",
            "a/d.html",
            "e.html",
            "x/y/z/w.html",
            "x/v.css",
        ];
        for file in files {
            std::fs::create_dir_all(out.join(file).parent().unwrap()).unwrap();
            std::fs::write(out.join(file), "x").unwrap();
        }
        let sorted = |mut v: Vec<(String, Sig)>| {
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        let listed = sorted(listed_folders(out).unwrap());
        assert_eq!(listed.len(), 6, "{listed:?}");
        let found = folders_of_files(out, files.into_iter());
        // None on a file system whose folders' link counts are not trusted.
        if let Some(found) = found {
            assert_eq!(sorted(found), listed);
        }
        assert_eq!(
            sorted(output_folders(out, files.into_iter()).unwrap()),
            listed
        );
        std::fs::create_dir_all(out.join("x/y/empty")).unwrap();
        assert_eq!(folders_of_files(out, files.into_iter()), None);
        let listed = sorted(listed_folders(out).unwrap());
        assert_eq!(listed.len(), 7);
        assert_eq!(
            sorted(output_folders(out, files.into_iter()).unwrap()),
            listed
        );
    }

    /// The output folder a build found as recorded, then updated in place: a folder the
    /// update did not touch keeps the signature found at the start, so a file someone
    /// added there meanwhile still shows as a change to the next build (which then
    /// lists the folder and refuses the file); a touched folder holding such a file is
    /// not vouched for at all.
    #[test]
    fn folders_an_update_did_not_touch_keep_the_signature_found_at_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let files = ["a/x.html", "b/y.html", "b/c/z.html"];
        for file in files {
            std::fs::create_dir_all(out.join(file).parent().unwrap()).unwrap();
            std::fs::write(out.join(file), "x").unwrap();
        }
        std::fs::write(out.join(MANIFEST), "").unwrap();
        let written = OutputRecord {
            folder: out.to_path_buf(),
            files: (files.iter())
                .map(|f| {
                    (
                        f.to_string(),
                        crate::output::record::written(&out.join(f), [0; 16]).unwrap(),
                    )
                })
                .collect(),
            verified: false,
        };
        let survey = Survey {
            folders: listed_folders(out).unwrap(),
        };
        std::thread::sleep(Duration::from_millis(20));
        // The update puts `a/x.html` (and the manifest); meanwhile a file lands in `b/`.
        std::fs::write(out.join("a/x.html.new"), "y").unwrap();
        std::fs::rename(out.join("a/x.html.new"), out.join("a/x.html")).unwrap();
        std::fs::write(out.join("b/mine.txt"), "mine").unwrap();
        let touched = ["a/x.html".to_string(), MANIFEST.to_string()];
        let after = survey
            .after(out, &written, &touched)
            .expect("a/ holds only the site");
        let sig = |rel: &str| after.iter().find(|(r, _)| r == rel).map(|(_, s)| *s);
        assert_eq!(after.len(), 4, "{after:?}");
        assert_eq!(sig("a"), Sig::at(&out.join("a")), "signed again");
        let found = |rel: &str| {
            survey
                .folders
                .iter()
                .find(|(r, _)| r == rel)
                .map(|(_, s)| *s)
        };
        assert_eq!(sig("b"), found("b"), "kept from the start");
        assert_ne!(
            sig("b"),
            Sig::at(&out.join("b")),
            "the next build sees the change"
        );
        assert_eq!(sig("b/c"), found("b/c"));
        // A file added to a folder the update touched: nothing is vouched for.
        std::fs::write(out.join("a/mine.txt"), "mine").unwrap();
        assert_eq!(survey.after(out, &written, &touched), None);
    }

    #[test]
    fn the_parents_of_a_path_down_to_its_folder() {
        assert_eq!(parents("a/b/c.html").collect::<Vec<_>>(), ["a/b", "a", ""]);
        assert_eq!(parents("c.html").collect::<Vec<_>>(), [""]);
    }
}
