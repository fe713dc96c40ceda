//! Results of earlier runs, on disk. Only decided results (working or broken) are kept:
//! an "unknown" must be retried next time.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{ExternalOptions, Outcome};

/// Cache file inside the cache folder.
const CACHE_FILE: &str = "external-links.json";

pub(super) struct Cache {
    path: Option<PathBuf>,
    ttl: Duration,
    entries: BTreeMap<String, CacheEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    /// Unix seconds.
    checked: u64,
    ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    anchors: Option<Vec<String>>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: BTreeMap<String, CacheEntry>,
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
    pub(super) fn load(options: &ExternalOptions) -> Cache {
        let path = options.cache_dir.as_ref().map(|d| d.join(CACHE_FILE));
        // A missing or unreadable cache only costs requests, so it is never an error.
        let entries = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice::<CacheFile>(&b).ok())
            .filter(|f| f.version == 1)
            .map(|f| f.entries)
            .unwrap_or_default();
        Cache {
            path,
            ttl: options.cache_ttl,
            entries,
        }
    }

    fn fresh(&self, e: &CacheEntry) -> bool {
        fresh(e.checked, now(), self.ttl)
    }

    pub(super) fn get(&self, url: &str, need_anchors: bool) -> Option<Outcome> {
        self.path.as_ref()?;
        let e = self.entries.get(url).filter(|e| self.fresh(e))?;
        if !e.ok {
            return Some(Outcome::Broken(e.reason.clone().unwrap_or_default()));
        }
        if need_anchors && e.anchors.is_none() {
            return None;
        }
        Some(Outcome::Ok {
            anchors: e
                .anchors
                .as_ref()
                .map(|a| Arc::new(a.iter().cloned().collect())),
        })
    }

    pub(super) fn put(&mut self, url: &str, outcome: &Outcome) {
        let entry = match outcome {
            Outcome::Ok { anchors } => CacheEntry {
                checked: now(),
                ok: true,
                reason: None,
                anchors: anchors.as_ref().map(|a| {
                    let mut v: Vec<String> = a.iter().cloned().collect();
                    v.sort();
                    v
                }),
            },
            Outcome::Broken(reason) => CacheEntry {
                checked: now(),
                ok: false,
                reason: Some(reason.clone()),
                anchors: None,
            },
            Outcome::Unknown(_) => {
                self.entries.remove(url);
                return;
            }
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
            version: 1,
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
                ok: true,
                reason: None,
                anchors: None,
            },
        );
        let file = CacheFile {
            version: 1,
            entries,
        };
        std::fs::write(dir.join(CACHE_FILE), serde_json::to_vec(&file).unwrap()).unwrap();
        Cache::load(&options)
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
}
