//! The build's link check findings, page by page, kept in the build cache folder
//! (`link-verdict-NN.bin`) so the next build checks again only the pages whose findings
//! may differ: after one page's body changed on a 10,000-page site, resolving every link
//! of every page again was a fifth of the build.
//!
//! A page's findings depend on what the whole site shares (the configuration, the
//! templates' texts, which files the site has: `site_key`), on the page itself (its HTML,
//! its source, template and link records, and its Markdown file's signature, since the
//! checker reads that file to place links that have no record: `page_key`), and on
//! the anchors of each page its links name with a fragment. A page is checked again when
//! the site's key changed, its own key changed, or a page it looked anchors up on now
//! offers other anchors; a page that went, or came, changes the site's files, so every
//! page is checked again then. The rest keep the previous build's findings, exactly what
//! checking them would give. A file that cannot be read is not worth a warning.
//!
//! The findings are split in shards by page path, as the link memo is (`memo`): a build
//! that checked one page again rewrites that page's shard, not the whole site's findings
//! (at 10,000 pages, reading and rewriting the one file was most of a one-page build's
//! check). Each shard holds the site's key it was written with, and the number of shards
//! is part of that key: a page's verdict is always in the shard its path names.
//!
//! The Markdown file's signature is the one the build's start scan took (see
//! `build/unchanged.rs`) when there is one, rather than a `stat` per page again.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::memo::ParseMemo;
use super::passes::PageOutcome;
use super::{check_rendered_pages, resolve, CheckError, Finding};
use crate::output::record::digest;
use crate::output::{Body, OutputFile};
use crate::site::cache_inputs::Sig;
use crate::site::{cache_store as store, CacheKey as Key, KeyHasher, Rendered};

/// The shards' files inside the cache folder: `link-verdict-00.bin` to
/// `link-verdict-63.bin` (`store::shard_count`).
const FILE: &str = "link-verdict";
/// The one file earlier versions kept every page's findings in: never read again.
const UNSHARDED: &str = "link-verdict.bin";

/// The signatures of the site's files, by path relative to the site root, as the
/// build's start scan saw them (empty when there was none).
pub(crate) type Scanned<'a> = HashMap<&'a [u8], Sig>;

/// The findings of the pages of one shard, with the site's key they were decided with.
#[derive(Deserialize)]
struct Shard<T> {
    site: Key,
    pages: Vec<PageVerdict<T>>,
}

/// A [`Shard`] as written, its pages borrowed.
#[derive(Serialize)]
struct ShardOut<'a, T> {
    site: Key,
    pages: Vec<&'a PageVerdict<T>>,
}

/// One page's findings, with the keys of what they were decided from.
#[derive(Serialize, Deserialize)]
struct PageVerdict<T> {
    path: String,
    key: Key,
    /// Its anchors as other pages' links see them (`passes::anchors_key`).
    anchors: Key,
    /// The pages it looked anchors up on, with their anchors' key then.
    looked_up: Vec<(String, Key)>,
    findings: Vec<T>,
}

/// The broken links of every HTML page of `rendered` (from the site at `root`), each
/// made into a `T` by `convert`, page by page in path order. With the cache folder
/// `cache`, pages whose verdict still holds are not checked again, and pages whose HTML
/// is unchanged are not parsed again (`memo`); `scanned` has the signatures of the
/// site's files when the build took them.
pub(super) fn broken_links<T>(
    rendered: &Rendered,
    root: &Path,
    cache: Option<&Path>,
    scanned: &Scanned<'_>,
    convert: impl Fn(&Finding) -> T + Sync,
) -> Result<Vec<T>, CheckError>
where
    T: Serialize + DeserializeOwned + Send + Sync,
{
    Ok(checked_and_broken(rendered, root, cache, scanned, convert)?.1)
}

/// [`broken_links`], with the pages it checked (the others kept their verdict).
fn checked_and_broken<T>(
    rendered: &Rendered,
    root: &Path,
    cache: Option<&Path>,
    scanned: &Scanned<'_>,
    convert: impl Fn(&Finding) -> T + Sync,
) -> Result<(Vec<String>, Vec<T>), CheckError>
where
    T: Serialize + DeserializeOwned + Send + Sync,
{
    let html: Vec<&str> = (rendered.output.files.keys())
        .map(String::as_str)
        .filter(|p| resolve::is_html(p))
        .collect();
    let Some(dir) = cache else {
        let outcomes = check_rendered_pages(rendered, root, None, &html)?;
        let broken = outcomes.iter().flat_map(|o| &o.broken).map(convert);
        return Ok((
            html.iter().map(|p| p.to_string()).collect(),
            broken.collect(),
        ));
    };
    let shards = store::shard_count(html.len());
    let site = site_key(rendered, root, shards);
    let keys: Vec<Key> = {
        let files = &rendered.output.files;
        html.par_iter()
            .map(|p| page_key(p, &files[*p], root, scanned))
            .collect()
    };
    let mut previous = read_shards::<T>(dir, shards, site);
    let memo = ParseMemo::load(dir, html.len(), rendered.places.clone());
    let checked = check_again(rendered, root, &memo, &html, &keys, &previous)?;
    let live: HashSet<&str> = html.iter().copied().collect();
    let gone: Vec<&str> = (previous.keys().map(String::as_str))
        .filter(|p| !live.contains(p))
        .collect();
    memo.save(dir, &live, &gone);
    // The shards whose pages' findings are decided anew, or that hold a page gone.
    let stale: HashSet<usize> = (checked.iter().map(|o| o.path))
        .chain(gone.iter().copied())
        .map(|path| store::shard_of(path, shards))
        .collect();
    let none_kept = previous.is_empty();
    let paths = checked.iter().map(|o| o.path.to_string()).collect();
    let mut checked: HashMap<&str, PageOutcome<'_>> =
        checked.into_iter().map(|o| (o.path, o)).collect();
    let pages: Vec<PageVerdict<T>> = (html.iter().zip(&keys))
        .map(|(&path, &key)| match checked.remove(path) {
            Some(o) => PageVerdict {
                path: path.to_string(),
                key,
                anchors: o.anchors,
                looked_up: o.looked_up,
                findings: o.broken.iter().map(&convert).collect(),
            },
            None => previous
                .remove(path)
                .expect("a page not checked has a verdict"),
        })
        .collect();
    write_shards(dir, site, shards, &pages, &stale);
    if none_kept {
        remove_left_over(dir, shards);
    }
    let broken = pages.into_iter().flat_map(|p| p.findings);
    Ok((paths, broken.collect()))
}

/// The file of shard `shard` in the cache folder `dir`.
fn shard_file(dir: &Path, shard: usize) -> std::path::PathBuf {
    dir.join(format!("{FILE}-{shard:02}.bin"))
}

/// The previous build's verdicts, by page path, from the shards written with the
/// site's key `site` (the others cannot be used: their pages are checked again).
fn read_shards<T>(dir: &Path, shards: usize, site: Key) -> HashMap<String, PageVerdict<T>>
where
    T: DeserializeOwned + Send,
{
    let read: Vec<Vec<PageVerdict<T>>> = (0..shards)
        .into_par_iter()
        .filter_map(|shard| {
            let read = store::read::<Shard<T>>(&shard_file(dir, shard));
            read.ok().flatten().filter(|s| s.site == site)
        })
        .map(|s| s.pages)
        .collect();
    (read.into_iter().flatten())
        .map(|v| (v.path.clone(), v))
        .collect()
}

/// Writes the shards `stale` of the verdicts `pages` (all of this build's pages), each
/// whole; a shard left without pages is removed. One that cannot be written is left
/// out silently: the next build checks its pages again.
fn write_shards<T>(
    dir: &Path,
    site: Key,
    shards: usize,
    pages: &[PageVerdict<T>],
    stale: &HashSet<usize>,
) where
    T: Serialize + Sync,
{
    if stale.is_empty() {
        return;
    }
    let mut by_shard: HashMap<usize, Vec<&PageVerdict<T>>> =
        stale.iter().map(|&s| (s, Vec::new())).collect();
    for page in pages {
        if let Some(shard) = by_shard.get_mut(&store::shard_of(&page.path, shards)) {
            shard.push(page);
        }
    }
    by_shard.into_par_iter().for_each(|(shard, pages)| {
        let path = shard_file(dir, shard);
        if pages.is_empty() {
            let _ = std::fs::remove_file(path);
        } else {
            let _ = store::write(&path, &ShardOut { site, pages });
        }
    });
}

/// Removes the verdict files no build of `shards` shards reads: shards past the last,
/// and the single file of earlier versions.
fn remove_left_over(dir: &Path, shards: usize) {
    for shard in shards..store::MAX_SHARDS {
        let _ = std::fs::remove_file(shard_file(dir, shard));
    }
    let _ = std::fs::remove_file(dir.join(UNSHARDED));
}

/// Checks the pages whose previous verdict does not hold: those without one or whose
/// key changed, then those that looked anchors up on a page that now offers others.
fn check_again<'p, T>(
    rendered: &Rendered,
    root: &Path,
    memo: &ParseMemo,
    html: &[&'p str],
    keys: &[Key],
    previous: &HashMap<String, PageVerdict<T>>,
) -> Result<Vec<PageOutcome<'p>>, CheckError> {
    // Each page's verdict looked up once: on a big site these lookups were most of what
    // a build that checks one page again spent here.
    let held: Vec<Option<&PageVerdict<T>>> = (html.iter().zip(keys))
        .map(|(path, key)| previous.get(*path).filter(|v| v.key == *key))
        .collect();
    let changed: Vec<&str> = (html.iter().zip(&held))
        .filter(|(_, v)| v.is_none())
        .map(|(path, _)| *path)
        .collect();
    let mut checked = check_rendered_pages(rendered, root, Some(memo), &changed)?;
    let looking: Vec<(&str, &PageVerdict<T>)> = (html.iter().zip(&held))
        .filter_map(|(path, v)| Some((*path, (*v)?)))
        .filter(|(_, v)| !v.looked_up.is_empty())
        .collect();
    if looking.is_empty() {
        return Ok(checked);
    }
    let mut anchors: HashMap<&str, Key> = (html.iter().zip(&held))
        .filter_map(|(path, v)| Some((*path, (*v)?.anchors)))
        .collect();
    anchors.extend(checked.iter().map(|o| (o.path, o.anchors)));
    // A page that has no anchors key is no page: its key says so (`anchors_key(None)`).
    let none = super::passes::anchors_key(None);
    let stale = |v: &PageVerdict<T>| {
        (v.looked_up.iter()).any(|(file, key)| anchors.get(file.as_str()).unwrap_or(&none) != key)
    };
    let linking: Vec<&str> = (looking.into_iter())
        .filter(|(_, v)| stale(v))
        .map(|(path, _)| path)
        .collect();
    checked.extend(check_rendered_pages(rendered, root, Some(memo), &linking)?);
    Ok(checked)
}

/// What every page's findings depend on: the site folder (as a real path: the same
/// folder named another way reads the same files), the configuration, the templates'
/// texts, the set of files links resolve against, and how many shards keep them.
fn site_key(rendered: &Rendered, root: &Path, shards: usize) -> Key {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut h = KeyHasher::new("link verdict 3");
    h.text(&root.to_string_lossy()).debug(&rendered.config);
    h.debug(&shards);
    for (name, text) in rendered.templates.files() {
        h.text(name).text(text);
    }
    for path in rendered.output.files.keys() {
        h.text(path);
    }
    h.finish()
}

/// What the findings of the page at `path` depend on of its own: its HTML, source,
/// template and link records, and its Markdown file's signature (`scanned`'s, or one
/// `lstat`).
fn page_key(path: &str, file: &OutputFile, root: &Path, scanned: &Scanned<'_>) -> Key {
    let mut h = KeyHasher::new("page");
    h.text(path).text(&file.source).debug(&file.template);
    match &file.body {
        Body::Bytes(bytes) => h.bytes(&digest(bytes)),
        Body::Kept(kept) => h.bytes(&kept.written.digest),
        Body::Copy(from) => h.text(&from.to_string_lossy()).debug(&stamp(from)),
    };
    h.serialized(&file.links);
    if file.source.ends_with(".md") {
        let sig = (scanned.get(file.source.as_bytes()).copied())
            .or_else(|| Sig::at(&root.join(&file.source)));
        match sig {
            Some(sig) => h.debug(&sig),
            // No signature where `lstat` gives none: the length and time as they are.
            None => h.debug(&stamp(&root.join(&file.source))),
        };
    }
    h.finish()
}

/// A file's length and modification time, or none.
fn stamp(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{checked_and_broken, shard_file, Scanned};
    use crate::site::cache_inputs::Sig;
    use crate::site::cache_store::{shard_count, shard_of};
    use crate::site::{render_site, BuildOptions};

    /// A site whose pages link to another's anchor, to a page, and to another site.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let a = |href: &str| format!("See <a href=\"{href}\">it</a>.\n");
        let files = [
            ("mkdocs.yml", "site_name: V\n".to_string()),
            ("docs/index.md", "# Home\n".to_string()),
            (
                "docs/target.md",
                "# Target\n\n## Kept section\n".to_string(),
            ),
            ("docs/linker.md", a("../target/#kept-section")),
            ("docs/plain.md", a("../target/")),
            ("docs/away.md", a("https://example.invalid/x#nowhere")),
            ("docs/doomed-linker.md", a("../doomed/")),
            ("docs/doomed.md", "# Doomed\n".to_string()),
        ];
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    /// The pages checked with the cache, the findings, and those of a whole check.
    fn check(root: &Path) -> (Vec<String>, Vec<String>, Vec<String>) {
        check_with(root, &Scanned::new())
    }

    /// [`check`], with the site files' signatures `scanned`.
    fn check_with(root: &Path, scanned: &Scanned) -> (Vec<String>, Vec<String>, Vec<String>) {
        let options = BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        };
        let rendered = render_site(&options).unwrap();
        let said = |f: &crate::check::Finding| format!("{} {} {}", f.source, f.target, f.reason);
        let cache = root.join(".cache");
        let (checked, broken) =
            checked_and_broken(&rendered, root, Some(&cache), scanned, said).unwrap();
        let (_, whole) = checked_and_broken(&rendered, root, None, scanned, said).unwrap();
        (checked, broken, whole)
    }

    fn edit(root: &Path, file: &str, from: &str, to: &str) {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    fn has(list: &[String], what: &str) -> bool {
        list.iter().any(|s| s.contains(what))
    }

    #[test]
    fn an_unchanged_site_checks_no_page_again() {
        let dir = site();
        let (checked, broken, whole) = check(dir.path());
        assert!(checked.len() >= 7, "{checked:?}");
        assert_eq!(broken, whole);
        let (checked, again, _) = check(dir.path());
        assert_eq!(checked, Vec::<String>::new());
        assert_eq!(again, broken);
    }

    /// A heading renamed: the page linking to its anchor is checked again and reported,
    /// though its own HTML is the same; a page linking to the page alone is not.
    #[test]
    fn an_anchor_going_rechecks_the_pages_linking_to_it() {
        let dir = site();
        let (_, broken, _) = check(dir.path());
        assert!(!has(&broken, "kept-section"), "{broken:?}");
        edit(
            dir.path(),
            "docs/target.md",
            "## Kept section",
            "## Renamed",
        );
        let (checked, broken, whole) = check(dir.path());
        assert_eq!(broken, whole);
        assert!(has(&checked, "linker/index.html"), "{checked:?}");
        assert!(!has(&checked, "plain/index.html"), "{checked:?}");
        assert!(
            has(&broken, "linker/index.html ../target/#kept-section"),
            "{broken:?}"
        );
        // And back: the link is good again.
        edit(
            dir.path(),
            "docs/target.md",
            "## Renamed",
            "## Kept section",
        );
        let (checked, broken, whole) = check(dir.path());
        assert_eq!(broken, whole);
        assert!(has(&checked, "linker/index.html"), "{checked:?}");
        assert!(!has(&broken, "kept-section"), "{broken:?}");
    }

    #[test]
    fn a_body_edit_rechecks_only_pages_whose_html_changed() {
        let dir = site();
        check(dir.path());
        edit(dir.path(), "docs/plain.md", "See", "Now see");
        let (checked, broken, whole) = check(dir.path());
        assert_eq!(broken, whole);
        assert!(has(&checked, "plain/index.html"), "{checked:?}");
        for other in ["linker/", "away/", "doomed-linker/", "target/"] {
            assert!(!has(&checked, other), "{other}: {checked:?}");
        }
    }

    #[test]
    fn a_page_deleted_breaks_the_links_to_it() {
        let dir = site();
        let (_, broken, _) = check(dir.path());
        assert!(!has(&broken, "../doomed/"), "{broken:?}");
        std::fs::remove_file(dir.path().join("docs/doomed.md")).unwrap();
        let (_, broken, whole) = check(dir.path());
        assert_eq!(broken, whole);
        assert!(
            has(&broken, "doomed-linker/index.html ../doomed/"),
            "{broken:?}"
        );
    }

    /// Links to other sites are not the build's to check: none is reported, cached or not.
    #[test]
    fn links_to_other_sites_are_left_alone() {
        let dir = site();
        for _ in 0..2 {
            let (_, broken, whole) = check(dir.path());
            assert_eq!(broken, whole);
            assert!(!has(&broken, "example.invalid"), "{broken:?}");
        }
    }

    /// `--root site`, then `--root /abs/site`: the same files, the same findings, and
    /// no page checked again for the folder's other name.
    #[test]
    fn the_site_folder_named_another_way_checks_no_page_again() {
        let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/links");
        let cache = tempfile::tempdir().unwrap();
        let said = |f: &crate::check::Finding| format!("{} {} {}", f.source, f.target, f.reason);
        let check = |root: &Path| {
            let options = BuildOptions {
                root: root.to_path_buf(),
                ..BuildOptions::default()
            };
            let rendered = render_site(&options).unwrap();
            let scanned = Scanned::new();
            checked_and_broken(&rendered, root, Some(cache.path()), &scanned, said).unwrap()
        };
        let (checked, broken) = check(&site);
        assert!(!checked.is_empty() && !broken.is_empty(), "{broken:?}");
        let (checked, again) = check(&site.join("content/.."));
        assert_eq!(checked, Vec::<String>::new());
        assert_eq!(again, broken);
    }

    /// A page's Markdown file signed by the build's start scan keys its verdict as a
    /// `stat` of it would: the scan's signatures check no page again.
    #[test]
    fn the_scans_signatures_key_pages_as_a_stat_does() {
        let dir = site();
        let (_, broken, _) = check(dir.path());
        let paths: Vec<String> = std::fs::read_dir(dir.path().join("docs"))
            .unwrap()
            .map(|e| format!("docs/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        let scanned: Scanned = (paths.iter())
            .map(|p| (p.as_bytes(), Sig::at(&dir.path().join(p)).unwrap()))
            .collect();
        let (checked, again, _) = check_with(dir.path(), &scanned);
        assert_eq!(checked, Vec::<String>::new());
        assert_eq!(again, broken);
    }

    /// One page's body edited on a site of many shards: only that page's shard of
    /// findings is written again.
    #[test]
    fn a_body_edit_rewrites_only_its_pages_shard() {
        let dir = site();
        for n in 0..100 {
            let page = format!("# Page {n}\n\nBody {n}.\n");
            std::fs::write(dir.path().join(format!("docs/p{n}.md")), page).unwrap();
        }
        let (checked, _, _) = check(dir.path());
        let shards = shard_count(checked.len());
        assert!(shards > 1, "{shards}");
        let cache = dir.path().join(".cache");
        let times = || -> Vec<Option<std::time::SystemTime>> {
            (0..shards)
                .map(|s| {
                    std::fs::metadata(shard_file(&cache, s))
                        .and_then(|m| m.modified())
                        .ok()
                })
                .collect()
        };
        let before = times();
        assert!(
            before.iter().all(Option::is_some),
            "every shard holds a page"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        edit(dir.path(), "docs/p7.md", "Body 7.", "Body seven.");
        let (checked, broken, whole) = check(dir.path());
        assert_eq!(checked, ["p7/index.html"]);
        assert_eq!(broken, whole);
        let after = times();
        let rewritten: Vec<usize> = (0..shards).filter(|&s| before[s] != after[s]).collect();
        assert_eq!(rewritten, [shard_of("p7/index.html", shards)]);
    }
}
