//! When to ask a server again: after a 429 or a 5xx, as long as its `Retry-After` is
//! one we are willing to wait, else after a doubling backoff.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

use super::ExternalOptions;

/// Whether asking again may give another answer: the server is busy or failing.
pub(super) fn is_retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// How long to wait before retry `attempt` (0-based), or `None` when the server asks
/// for longer than we wait.
pub(super) fn retry_delay(
    headers: &HeaderMap,
    attempt: u32,
    options: &ExternalOptions,
) -> Option<Duration> {
    let asked = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let v = v.trim();
            v.parse::<u64>().map(Duration::from_secs).ok().or_else(|| {
                httpdate::parse_http_date(v)
                    .ok()
                    .map(|t| t.duration_since(SystemTime::now()).unwrap_or_default())
            })
        });
    match asked {
        Some(d) if d > options.max_retry_after => None,
        Some(d) => Some(d),
        None => Some(options.backoff.saturating_mul(1 << attempt.min(10))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CheckConfig;

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let o = ExternalOptions::from_config(&CheckConfig::default()).unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(retry_delay(&h, 1, &o), Some(Duration::from_secs(1)));
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_delay(&h, 0, &o), Some(Duration::from_secs(2)));
        h.insert(RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(retry_delay(&h, 0, &o), None);
    }

    #[test]
    fn busy_and_failing_servers_are_asked_again() {
        assert!(is_retryable(StatusCode::TOO_MANY_REQUESTS));
        assert!(is_retryable(StatusCode::BAD_GATEWAY));
        assert!(!is_retryable(StatusCode::NOT_FOUND));
        assert!(!is_retryable(StatusCode::FORBIDDEN));
    }
}
