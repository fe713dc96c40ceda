//! How external links are checked: `site.yaml`'s `check:` settings and the limits of the
//! HTTP phase.

use std::path::PathBuf;
use std::time::Duration;

use globset::{Glob, GlobSet, GlobSetBuilder};
use url::Url;

use super::without_fragment;
use crate::check::CheckError;
use crate::config::CheckConfig;

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Per request (connect + response + body).
    pub timeout: Duration,
    /// Extra attempts after a 429 or 5xx.
    pub retries: u32,
    /// Status codes counted as working.
    pub accept: Vec<u16>,
    exclude: GlobSet,
    /// Folder for the results cache; `None` disables caching.
    pub cache_dir: Option<PathBuf>,
    pub cache_ttl: Duration,
    /// Upper bound for the whole external phase.
    pub deadline: Duration,
    pub concurrency: usize,
    pub per_host: usize,
    pub max_redirects: usize,
    /// First retry delay when the server gives no `Retry-After`; doubles each retry.
    pub backoff: Duration,
    /// The longest a `Retry-After` is honoured; longer waits count as "unknown".
    pub max_retry_after: Duration,
}

impl ExternalOptions {
    /// Options from `site.yaml`'s `check:` section.
    pub fn from_config(config: &CheckConfig) -> Result<Self, CheckError> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &config.exclude {
            let glob = Glob::new(pattern).map_err(|e| CheckError::BadPattern {
                pattern: pattern.clone(),
                message: e.kind().to_string(),
            })?;
            builder.add(glob);
        }
        let exclude = builder.build().map_err(|e| CheckError::BadPattern {
            pattern: config.exclude.join(", "),
            message: e.to_string(),
        })?;
        let timeout = Duration::from_secs(config.timeout.max(1));
        Ok(ExternalOptions {
            timeout,
            retries: config.retries,
            accept: config.accept.clone(),
            exclude,
            cache_dir: None,
            cache_ttl: Duration::from_secs(config.cache_ttl),
            deadline: Duration::from_secs(300),
            concurrency: 64,
            per_host: 4,
            max_redirects: 10,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(30),
        })
    }

    /// `exclude` patterns match the whole URL (`https://x.example/private/*`) or its host
    /// (`*.linkedin.com`).
    pub fn is_excluded(&self, url: &Url) -> bool {
        !self.exclude.is_empty()
            && (self.exclude.is_match(url.as_str())
                || self.exclude.is_match(without_fragment(url).as_str())
                || url.host_str().is_some_and(|h| self.exclude.is_match(h)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_by_url_or_host() {
        let config = CheckConfig {
            exclude: vec!["https://private.example/*".into(), "*.linkedin.com".into()],
            ..CheckConfig::default()
        };
        let o = ExternalOptions::from_config(&config).unwrap();
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(o.is_excluded(&u("https://private.example/a/b#c")));
        assert!(o.is_excluded(&u("https://www.linkedin.com/in/x")));
        assert!(!o.is_excluded(&u("https://public.example/")));
        let bad = CheckConfig {
            exclude: vec!["a[".into()],
            ..CheckConfig::default()
        };
        assert!(ExternalOptions::from_config(&bad).is_err());
    }
}
