//! Why a link to another site is broken or could not be decided: what fetching found,
//! kept as a cause (in the report and the cache) and worded by one `Display`.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

/// Why a link to another site is broken ([`ExternalCause::is_broken`]) or undecided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExternalCause {
    /// Broken: the server answered with a status not counted as working.
    Status(u16),
    /// Broken: more redirects than followed (a loop, most likely).
    TooManyRedirects(usize),
    /// Broken: no connection (no such host, refused, bad certificate); the innermost
    /// error's words.
    CannotConnect(String),
    /// Broken: the request failed once connected; the innermost error's words.
    RequestFailed(String),
    /// Broken: the page exists, but no element on it has this id.
    NoSuchAnchor { id: String },
    /// Undecided: no answer within the time allowed per request.
    Timeout(Duration),
    /// Undecided: still `429 Too Many Requests` after this many retries.
    RateLimited { retries: u32 },
    /// Undecided: the server (busy or failing, with `status`) asked to be asked again
    /// later than `longest`, the most we wait.
    WaitTooLong { status: u16, longest: Duration },
    /// Undecided: `401` or `403`, which servers give automated checks and visitors who
    /// are not logged in alike.
    Refused(u16),
    /// Undecided: the page's ids are drawn by script on `host`, so not in its HTML.
    DrawnByScript { id: String, host: String },
    /// Undecided: not done within the deadline of the external phase.
    Deadline(Duration),
    /// Undecided: no result was recorded for the URL.
    NotChecked,
}

impl ExternalCause {
    /// Whether the link is known to be broken, rather than undecided. Only broken links
    /// fail a check, and only they are cached: an undecided link is asked again.
    pub fn is_broken(&self) -> bool {
        matches!(
            self,
            ExternalCause::Status(_)
                | ExternalCause::TooManyRedirects(_)
                | ExternalCause::CannotConnect(_)
                | ExternalCause::RequestFailed(_)
                | ExternalCause::NoSuchAnchor { .. }
        )
    }
}

/// `HTTP 404 Not Found`, or `HTTP 599` for a code without a standard reason.
struct StatusText(u16);

impl fmt::Display for StatusText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = StatusCode::from_u16(self.0)
            .ok()
            .and_then(|s| s.canonical_reason());
        match reason {
            Some(reason) => write!(f, "HTTP {} {reason}", self.0),
            None => write!(f, "HTTP {}", self.0),
        }
    }
}

impl fmt::Display for ExternalCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternalCause::Status(code) => StatusText(*code).fmt(f),
            ExternalCause::TooManyRedirects(max) => {
                write!(f, "more than {max} redirects (a redirect loop?)")
            }
            ExternalCause::CannotConnect(words) => write!(f, "cannot connect: {words}"),
            ExternalCause::RequestFailed(words) => write!(f, "request failed: {words}"),
            ExternalCause::NoSuchAnchor { id } => {
                write!(f, "the page exists but has no element with id `{id}`")
            }
            ExternalCause::Timeout(after) => {
                write!(f, "timed out after {:.1}s", after.as_secs_f64())
            }
            ExternalCause::RateLimited { retries } => write!(
                f,
                "rate limited ({}) after {retries} retries",
                StatusText(429)
            ),
            ExternalCause::WaitTooLong { status, longest } => write!(
                f,
                "{} and asked to wait longer than {}s",
                StatusText(*status),
                longest.as_secs()
            ),
            ExternalCause::Refused(code) => write!(
                f,
                "{}: the server refuses automated checks or needs a login",
                StatusText(*code)
            ),
            ExternalCause::DrawnByScript { id, host } => write!(
                f,
                "cannot tell whether `#{id}` exists: {host} draws this page with JavaScript"
            ),
            ExternalCause::Deadline(deadline) => write!(
                f,
                "not checked within the {}s deadline for external links",
                deadline.as_secs()
            ),
            ExternalCause::NotChecked => f.write_str("not checked"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_in_words() {
        let words = |s: &str| s.to_string();
        let cases = [
            (ExternalCause::Status(404), "HTTP 404 Not Found", true),
            (ExternalCause::Status(599), "HTTP 599", true),
            (
                ExternalCause::TooManyRedirects(10),
                "more than 10 redirects (a redirect loop?)",
                true,
            ),
            (
                ExternalCause::CannotConnect(words("connection refused")),
                "cannot connect: connection refused",
                true,
            ),
            (
                ExternalCause::RequestFailed(words("body ended early")),
                "request failed: body ended early",
                true,
            ),
            (
                ExternalCause::NoSuchAnchor { id: words("gone") },
                "the page exists but has no element with id `gone`",
                true,
            ),
            (
                ExternalCause::Timeout(Duration::from_millis(2500)),
                "timed out after 2.5s",
                false,
            ),
            (
                ExternalCause::RateLimited { retries: 2 },
                "rate limited (HTTP 429 Too Many Requests) after 2 retries",
                false,
            ),
            (
                ExternalCause::WaitTooLong {
                    status: 503,
                    longest: Duration::from_secs(30),
                },
                "HTTP 503 Service Unavailable and asked to wait longer than 30s",
                false,
            ),
            (
                ExternalCause::Refused(403),
                "HTTP 403 Forbidden: the server refuses automated checks or needs a login",
                false,
            ),
            (
                ExternalCause::DrawnByScript {
                    id: words("issuecomment-5"),
                    host: words("GitHub"),
                },
                "cannot tell whether `#issuecomment-5` exists: GitHub draws this page with JavaScript",
                false,
            ),
            (
                ExternalCause::Deadline(Duration::from_secs(300)),
                "not checked within the 300s deadline for external links",
                false,
            ),
            (ExternalCause::NotChecked, "not checked", false),
        ];
        for (cause, words, broken) in cases {
            assert_eq!(cause.to_string(), words);
            assert_eq!(cause.is_broken(), broken, "{words}");
        }
    }
}
