//! `SiteTest`: a site in a temporary folder, written, built and looked at in one chain,
//! as mdBook's `BookTest`:
//!
//! ```ignore
//! SiteTest::fixture("basic")
//!     .file("content/a.md", "---\ntitle: A\n---\nWords.\n")
//!     .build()
//!     .check_doc("public/a/index.html", |doc| assert_eq!(doc.text("title"), "A · Fixture Site"));
//! SiteTest::fixture("links")
//!     .run(["check"])
//!     .expect_code(1)
//!     .expect_stdout_contains("broken links");
//! ```
//!
//! Setting up and building take the site and give it back (`let site = site.edit(…)`);
//! running, reading and checking borrow it.

use std::path::{Path, PathBuf};

use super::html::Doc;
use super::{copy_dir, dcrsite, edit_file, read, repo_root, snapshot, Run, Server};

pub struct SiteTest {
    root: PathBuf,
    /// The temporary folder holding the site (`None` for a site used in place).
    _dir: Option<tempfile::TempDir>,
    /// The last successful build's run.
    last: Option<Run>,
}

/// A build into a temporary output folder outside the site (`build --output`).
pub struct Built {
    _dir: tempfile::TempDir,
    public: PathBuf,
    pub run: Run,
}

impl Built {
    /// The output folder.
    pub fn path(&self) -> &Path {
        &self.public
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.public.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        read(&self.public.join(rel))
    }

    pub fn doc(&self, rel: &str) -> Doc {
        Doc::parse(&self.read(rel))
    }
}

impl SiteTest {
    /// An empty temporary folder: no `site.yaml`, no theme.
    pub fn new() -> SiteTest {
        Self::in_dir(tempfile::tempdir().unwrap())
    }

    fn in_dir(dir: tempfile::TempDir) -> SiteTest {
        SiteTest {
            root: dir.path().to_path_buf(),
            _dir: Some(dir),
            last: None,
        }
    }

    /// A copy of `tests/sites/NAME`, with the repository's decred theme unless the fixture
    /// brings its own `themes/` or is an MkDocs project (`mkdocs`: the theme built into the
    /// binary renders it).
    pub fn fixture(name: &str) -> SiteTest {
        Self::fixture_in_dir(name, tempfile::tempdir().unwrap())
    }

    /// `fixture(name)` in a temporary folder made inside `parent` (a memory file system).
    pub fn fixture_in(name: &str, parent: &Path) -> SiteTest {
        Self::fixture_in_dir(name, tempfile::tempdir_in(parent).unwrap())
    }

    fn fixture_in_dir(name: &str, dir: tempfile::TempDir) -> SiteTest {
        copy_dir(&repo_root().join("tests/sites").join(name), dir.path());
        let site = Self::in_dir(dir);
        if site.join("mkdocs.yml").exists() {
            site
        } else {
            site.theme()
        }
    }

    /// `files` (path → text) written into a new site with the decred theme.
    pub fn from_files(files: &[(&str, &str)]) -> SiteTest {
        Self::new().files(files).theme()
    }

    /// A temporary site with the repository's theme, icons and `site.yaml` (without its
    /// `nav`, which would name pages this site lacks), and an empty `content/`.
    pub fn repo_without_content() -> SiteTest {
        let site = Self::new();
        let root = repo_root();
        let mut config: serde_yaml::Mapping =
            serde_yaml::from_str(&read(&root.join("site.yaml"))).unwrap();
        config.remove("nav");
        copy_dir(&root.join("assets"), &site.join("assets"));
        copy_dir(&root.join("themes"), &site.join("themes"));
        std::fs::create_dir_all(site.join("content")).unwrap();
        site.file("site.yaml", serde_yaml::to_string(&config).unwrap())
    }

    /// The repository's own site, used in place: build it with `build_to_temp`, never
    /// write to it.
    pub fn repo() -> SiteTest {
        Self::at(&repo_root())
    }

    /// A site folder used in place, left where it is afterwards (a corpus in `../shared`,
    /// which tests only build with `build_to_temp`).
    pub fn at(root: &Path) -> SiteTest {
        SiteTest {
            root: root.to_path_buf(),
            _dir: None,
            last: None,
        }
    }

    /// A new site made by `dcrsite init` in the folder `name` of a temporary folder.
    pub fn init(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(name);
        dcrsite(&["init", root.to_str().unwrap()]).expect_success();
        SiteTest {
            root,
            _dir: Some(dir),
            last: None,
        }
    }

    // Setting up: each takes the site and gives it back.

    /// Writes `contents` to `rel`, making its folders.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> SiteTest {
        let path = self.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        self
    }

    /// Writes each (path, text).
    pub fn files(self, files: &[(&str, &str)]) -> SiteTest {
        files
            .iter()
            .fold(self, |site, (rel, text)| site.file(rel, text))
    }

    /// Appends `text` to the file `rel`.
    pub fn append(self, rel: &str, text: &str) -> SiteTest {
        let before = read(&self.join(rel));
        self.file(rel, format!("{before}{text}"))
    }

    /// Replaces the first `from` in `rel` with `to`; `from` must be there.
    pub fn edit(self, rel: &str, from: &str, to: &str) -> SiteTest {
        edit_file(&self.join(rel), from, to);
        self
    }

    /// Removes the file or folder `rel`.
    pub fn remove(self, rel: &str) -> SiteTest {
        let path = self.join(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        self
    }

    /// Adds the repository's decred theme, unless the site has a `themes/` folder.
    pub fn theme(self) -> SiteTest {
        if !self.join("themes").exists() {
            copy_dir(
                &repo_root().join("themes/decred"),
                &self.join("themes/decred"),
            );
        }
        self
    }

    /// Anything else (symlinks, permissions), done to the site's root folder.
    pub fn setup(self, f: impl FnOnce(&Path)) -> SiteTest {
        f(&self.root);
        self
    }

    /// MkDocs: moves the pages from `docs/` to `dir` and names it `docs_dir` in mkdocs.yml.
    pub fn docs_dir(self, dir: &str) -> SiteTest {
        let to = self.join(dir);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(self.join("docs"), &to).unwrap();
        self.append("mkdocs.yml", &format!("docs_dir: {dir}\n"))
    }

    /// `dcrsite build --root SITE`, which must succeed.
    pub fn build(self) -> SiteTest {
        self.build_with(&[])
    }

    /// `dcrsite build --root SITE EXTRA…`, which must succeed.
    pub fn build_with(mut self, extra: &[&str]) -> SiteTest {
        let run = self.run(["build"].iter().chain(extra).copied());
        run.expect_success();
        self.last = Some(run);
        self
    }

    // Running, reading and checking: each borrows the site.

    /// `dcrsite COMMAND --root SITE ARGS…` for `args` = `[COMMAND, ARGS…]`.
    pub fn run<'a>(&self, args: impl IntoIterator<Item = &'a str>) -> Run {
        let mut args = args.into_iter();
        let command = args.next().expect("a command");
        let mut all: Vec<&str> = vec![command, "--root", self.root.to_str().unwrap()];
        for arg in args {
            all.push(arg);
        }
        dcrsite(&all)
    }

    /// `dcrsite build --root SITE --output TEMP EXTRA…` into a new temporary folder,
    /// which must succeed; the site's own `public/` is not touched.
    pub fn build_to_temp(&self, extra: &[&str]) -> Built {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let mut args = vec!["build", "--output", public.to_str().unwrap()];
        args.extend_from_slice(extra);
        let run = self.run(args);
        run.expect_success();
        Built {
            _dir: dir,
            public,
            run,
        }
    }

    /// `dcrsite serve --root SITE --port 0 EXTRA…`, stopped when dropped.
    pub fn serve(&self, extra: &[&str]) -> Server {
        Server::start(&self.root, extra)
    }

    /// The last `build` or `build_with` run.
    pub fn last(&self) -> &Run {
        self.last.as_ref().expect("the site was built")
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The same as `root` (so a `SiteTest` reads as the `TempDir` it replaces).
    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.join(rel).exists()
    }

    pub fn read(&self, rel: &str) -> String {
        read(&self.join(rel))
    }

    /// The HTML file `rel`, parsed.
    pub fn doc(&self, rel: &str) -> Doc {
        Doc::parse(&self.read(rel))
    }

    /// Every file under `rel` with its bytes, sorted by path.
    pub fn snapshot(&self, rel: &str) -> Vec<(String, Vec<u8>)> {
        snapshot(&self.join(rel))
    }

    /// `build` when the site's cache cannot be used (`name` says why, for messages): it
    /// succeeds with one warning that the cache is ignored and leaves `public/` as
    /// `clean`, and the build after it, from the cache it wrote, is quiet and leaves the
    /// same. Returns the first build's run.
    pub fn build_ignoring_the_cache(&self, clean: &[(String, Vec<u8>)], name: &str) -> Run {
        let run = self.run(["build"]);
        run.expect_success();
        assert_eq!(
            run.stderr.matches("ignoring the build cache").count(),
            1,
            "{name}: one warning\n{}",
            run.stderr
        );
        assert_eq!(self.snapshot("public"), clean, "{name}");
        let again = self.run(["build"]);
        assert!(!again.stderr.contains("cache"), "{name}: {}", again.stderr);
        assert_eq!(self.snapshot("public"), clean, "{name}: from the new cache");
        run
    }

    /// Runs `check` on the text of `rel`.
    pub fn check_file(&self, rel: &str, check: impl FnOnce(&str)) -> &SiteTest {
        check(&self.read(rel));
        self
    }

    /// Runs `check` on the parsed HTML file `rel`.
    pub fn check_doc(&self, rel: &str, check: impl FnOnce(&Doc)) -> &SiteTest {
        check(&self.doc(rel));
        self
    }
}
