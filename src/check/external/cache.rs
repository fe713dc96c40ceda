//! Results of earlier runs, on disk. Only decided results (working or broken) are kept:
//! an "unknown" must be retried next time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{ExternalCause, ExternalOptions, Outcome};
use crate::diagnostics::Diagnostic;

/// Cache file inside the cache folder.
const CACHE_FILE: &str = "external-links.json";
/// The format this version writes and reads. A cache in another format is ignored (with
/// a warning), never read as this one: its entries may mean something else.
const FORMAT: u32 = 2;

pub(super) struct Cache {
    path: Option<PathBuf>,
    ttl: Duration,
    entries: BTreeMap<String, CacheEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    /// Unix seconds.
    checked: u64,
    verdict: Verdict,
}

/// A decided result: what is undecided is not cached.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Verdict {
    /// `anchors`: the page's ids, sorted, when it was read as HTML.
    Works {
        anchors: Option<Vec<String>>,
    },
    Broken(ExternalCause),
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: BTreeMap<String, CacheEntry>,
}

/// Only the format of a cache file, read before trusting the rest.
#[derive(Deserialize)]
struct Format {
    version: u32,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Whether a result checked at `checked` may still be used at `now` (Unix seconds). One
/// dated in the future is stale: the clock was skewed, or the cache came from another
/// machine, and trusting it would keep the result forever.
fn fresh(checked: u64, now: u64, ttl: Duration) -> bool {
    checked <= now && now - checked < ttl.as_secs()
}

impl Cache {
    /// The cache `options` name, and a warning when it is in another format. A missing,
    /// unreadable or damaged cache only costs requests, so it is never an error.
    pub(super) fn load(options: &ExternalOptions) -> (Cache, Vec<Diagnostic>) {
        let path = options.cache_dir.as_ref().map(|d| d.join(CACHE_FILE));
        let (entries, warnings) = match path
            .as_deref()
            .and_then(|p| Some((p, std::fs::read(p).ok()?)))
        {
            Some((path, bytes)) => read_entries(path, &bytes),
            None => (BTreeMap::new(), Vec::new()),
        };
        let cache = Cache {
            path,
            ttl: options.cache_ttl,
            entries,
        };
        (cache, warnings)
    }

    fn fresh(&self, e: &CacheEntry) -> bool {
        fresh(e.checked, now(), self.ttl)
    }

    pub(super) fn get(&self, url: &str, need_anchors: bool) -> Option<Outcome> {
        self.path.as_ref()?;
        let e = self.entries.get(url).filter(|e| self.fresh(e))?;
        match &e.verdict {
            Verdict::Broken(cause) => Some(Outcome::Failed(cause.clone())),
            Verdict::Works { anchors: None } if need_anchors => None,
            Verdict::Works { anchors } => Some(Outcome::Ok {
                anchors: anchors
                    .as_ref()
                    .map(|a| Arc::new(a.iter().cloned().collect())),
            }),
        }
    }

    pub(super) fn put(&mut self, url: &str, outcome: &Outcome) {
        let verdict = match outcome {
            Outcome::Ok { anchors } => Verdict::Works {
                anchors: anchors.as_ref().map(|a| {
                    let mut v: Vec<String> = a.iter().cloned().collect();
                    v.sort();
                    v
                }),
            },
            Outcome::Failed(cause) if cause.is_broken() => Verdict::Broken(cause.clone()),
            Outcome::Failed(_) => {
                self.entries.remove(url);
                return;
            }
        };
        let entry = CacheEntry {
            checked: now(),
            verdict,
        };
        self.entries.insert(url.to_string(), entry);
    }

    /// Writes the cache (expired entries dropped) through a temporary file, so an
    /// interrupted run never leaves a torn cache. Failing to write only costs requests.
    pub(super) fn save(&mut self) {
        let Some(path) = &self.path else { return };
        let (t, ttl) = (now(), self.ttl);
        self.entries.retain(|_, e| fresh(e.checked, t, ttl));
        let file = CacheFile {
            version: FORMAT,
            entries: std::mem::take(&mut self.entries),
        };
        let Ok(json) = serde_json::to_vec(&file) else {
            return;
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, json).is_ok() && std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// The entries of a cache file's `bytes`; none, with a warning, when it is in another
/// format; none, silently, when it cannot be read as JSON at all.
fn read_entries(path: &Path, bytes: &[u8]) -> (BTreeMap<String, CacheEntry>, Vec<Diagnostic>) {
    match serde_json::from_slice::<Format>(bytes) {
        Ok(Format { version: FORMAT }) => {
            let entries = serde_json::from_slice::<CacheFile>(bytes)
                .map(|f| f.entries)
                .unwrap_or_default();
            (entries, Vec::new())
        }
        Ok(Format { version }) => {
            let warning = Diagnostic::warning(
                path.display().to_string(),
                format!(
                    "the external-link cache is in format {version}, not this dcrsite's {FORMAT}: \
                     it is ignored, and rewritten after this check"
                ),
            );
            (BTreeMap::new(), vec![warning])
        }
        Err(_) => (BTreeMap::new(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CheckConfig;

    /// A cache holding `url` as working, dated `checked` (Unix seconds), written to disk.
    fn cache_with_entry(dir: &std::path::Path, url: &str, checked: u64) -> Cache {
        let mut options = ExternalOptions::from_config(&CheckConfig::default()).unwrap();
        options.cache_dir = Some(dir.to_path_buf());
        options.cache_ttl = Duration::from_secs(3600);
        let mut entries = BTreeMap::new();
        entries.insert(
            url.to_string(),
            CacheEntry {
                checked,
                verdict: Verdict::Works { anchors: None },
            },
        );
        let file = CacheFile {
            version: FORMAT,
            entries,
        };
        std::fs::write(dir.join(CACHE_FILE), serde_json::to_vec(&file).unwrap()).unwrap();
        let (cache, warnings) = Cache::load(&options);
        assert!(warnings.is_empty(), "{warnings:?}");
        cache
    }

    #[test]
    fn cache_entries_dated_in_the_future_are_stale() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://example.org/";
        // Within the time to live: used.
        let t = now();
        let cache = cache_with_entry(dir.path(), url, t - 60);
        assert!(matches!(cache.get(url, false), Some(Outcome::Ok { .. })));
        // Dated ahead (clock skew, a cache restored from another runner): checked
        // again, and not written back.
        for ahead in [60, 86_400, u64::MAX - t] {
            let mut cache = cache_with_entry(dir.path(), url, t + ahead);
            assert!(cache.get(url, false).is_none(), "{ahead} s ahead");
            cache.save();
            let saved: CacheFile =
                serde_json::from_slice(&std::fs::read(dir.path().join(CACHE_FILE)).unwrap())
                    .unwrap();
            assert!(saved.entries.is_empty(), "{ahead} s ahead was kept");
        }
    }

    fn options_with_cache_in(dir: &Path) -> ExternalOptions {
        let mut options = ExternalOptions::from_config(&CheckConfig::default()).unwrap();
        options.cache_dir = Some(dir.to_path_buf());
        options
    }

    #[test]
    fn broken_results_are_kept_with_their_cause_and_undecided_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let options = options_with_cache_in(dir.path());
        let (mut cache, _) = Cache::load(&options);
        let gone = Outcome::Failed(ExternalCause::Status(410));
        let slow = Outcome::Failed(ExternalCause::Timeout(Duration::from_secs(10)));
        let works = Outcome::Ok {
            anchors: Some(Arc::new(["b", "a"].map(String::from).into())),
        };
        cache.put("https://gone.example/", &gone);
        cache.put("https://slow.example/", &slow);
        cache.put("https://works.example/", &works);
        cache.save();
        let (cache, warnings) = Cache::load(&options);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(cache.get("https://gone.example/", true), Some(gone));
        assert_eq!(cache.get("https://slow.example/", false), None);
        assert_eq!(cache.get("https://works.example/", true), Some(works));
    }

    #[test]
    fn a_cache_in_another_format_is_ignored_with_one_warning() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://example.org/";
        // Version 1 wrote `ok` and `reason`, which this version would misread.
        let old = format!(
            r#"{{"version":1,"entries":{{"{url}":{{"checked":{},"ok":false,"reason":"HTTP 404 Not Found"}}}}}}"#,
            now()
        );
        std::fs::write(dir.path().join(CACHE_FILE), old).unwrap();
        let options = options_with_cache_in(dir.path());
        let (mut cache, warnings) = Cache::load(&options);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0]
                .message
                .contains("format 1, not this dcrsite's 2"),
            "{}",
            warnings[0].message
        );
        assert_eq!(cache.get(url, false), None);
        // Rewritten in this format, which the next run reads without a word.
        cache.put(url, &Outcome::Ok { anchors: None });
        cache.save();
        let (cache, warnings) = Cache::load(&options);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(cache.get(url, false).is_some());
        // Damaged JSON only costs requests.
        std::fs::write(dir.path().join(CACHE_FILE), "{not json").unwrap();
        let (cache, warnings) = Cache::load(&options);
        assert!(warnings.is_empty() && cache.get(url, false).is_none());
    }
}
