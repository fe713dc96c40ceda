//! HTTP: answers from the in-memory Output. Only paths of the built site are served:
//! the request path is checked and decoded once, then looked up as a key of the Output,
//! so no request can name a file on disk; files copied from disk must also resolve inside
//! the site root. The `Host` header must name this server (DNS rebinding) and appear
//! once (two are a 400); the events endpoint checks `Origin`. No CORS header is ever
//! sent.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use bytes::Bytes;
use futures_util::StreamExt;
use percent_encoding::percent_decode_str;
use tokio::sync::broadcast::error::RecvError;

use super::reload::{self, Event, EVENTS_PATH};
use super::Shared;
use crate::output::Body;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// What a request path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Resolved {
    /// An Output key (`a/b/index.html`).
    File(String),
    /// A folder asked for without its slash: the key of its index, if the site has one.
    Folder(String),
}

/// Checks and decodes a raw request path. `None` for anything that is not a plain site
/// path: `..` or `.` segments, encoded slashes or backslashes, double encoding, NUL,
/// empty segments (`//etc/passwd`), invalid UTF-8.
pub(super) fn resolve_path(raw: &str) -> Option<Resolved> {
    let rest = raw.strip_prefix('/')?;
    let lower = rest.to_ascii_lowercase();
    // Encoded `/`, `\`, NUL, and `%25` (a `%` that would decode again somewhere else).
    if ["%2f", "%5c", "%00", "%25"]
        .iter()
        .any(|e| lower.contains(e))
        || rest.contains('\\')
    {
        return None;
    }
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    if decoded.contains(['\0', '\\']) || decoded.chars().any(char::is_control) {
        return None;
    }
    if decoded.is_empty() {
        return Some(Resolved::File("index.html".into()));
    }
    let folder = decoded.ends_with('/');
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    for segment in trimmed.split('/') {
        // Drive letters and streams (`C:`, `a:b`) have no business in a site path either.
        if segment.is_empty() || segment == "." || segment == ".." || segment.contains(':') {
            return None;
        }
    }
    Some(if folder {
        Resolved::File(format!("{trimmed}/index.html"))
    } else {
        Resolved::Folder(trimmed.to_string())
    })
}

/// Whether a `Host` (or `Origin` authority) names this server: `localhost`, or the bound
/// IP (any loopback IP when bound to loopback, any IP literal when bound to all
/// addresses), with the bound port. Other names may point at us through DNS rebinding.
pub(super) fn host_allowed(host: &str, addr: SocketAddr) -> bool {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return false;
        };
        (ip, after.strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        }
    };
    let port_ok = match port {
        Some(p) => p.parse::<u16>().ok() == Some(addr.port()),
        None => addr.port() == 80,
    };
    if !port_ok {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => {
            let bound = addr.ip();
            ip == bound || bound.is_unspecified() || (ip.is_loopback() && bound.is_loopback())
        }
        Err(_) => false,
    }
}

fn origin_allowed(headers: &HeaderMap, addr: SocketAddr) -> bool {
    match headers.get(header::ORIGIN) {
        // Same-origin EventSource requests may carry no Origin.
        None => true,
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|authority| host_allowed(authority.trim_end_matches('/'), addr)),
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let headers = request.headers();
    // Two `Host` headers are a 400 (RFC 9112 §3.2): a proxy in front may have checked
    // the other one.
    if headers.get_all(header::HOST).iter().nth(1).is_some() {
        return plain(
            StatusCode::BAD_REQUEST,
            "Bad request: more than one Host header\n",
        );
    }
    let host_ok = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| host_allowed(h, shared.addr));
    if !host_ok {
        return plain(
            StatusCode::FORBIDDEN,
            "Host not allowed: use the address dcrsite serve printed\n",
        );
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = request.uri().path();
    if path == EVENTS_PATH {
        if !origin_allowed(headers, shared.addr) {
            return plain(StatusCode::FORBIDDEN, "Origin not allowed\n");
        }
        return events(shared).await;
    }
    let if_none_match = headers.get(header::IF_NONE_MATCH).cloned();
    match resolve_path(path) {
        Some(Resolved::File(key)) => match file(&shared, &key).await {
            Some((bytes, error)) => respond(&key, bytes, error, StatusCode::OK, if_none_match),
            None => not_found(&shared, path),
        },
        Some(Resolved::Folder(key)) => {
            if let Some((bytes, error)) = file(&shared, &key).await {
                return respond(&key, bytes, error, StatusCode::OK, if_none_match);
            }
            let index = format!("{key}/index.html");
            let has_index = read_site(&shared).output.get(&index).is_some();
            if has_index {
                // Relative links on the page resolve against the folder, so send the slash.
                let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("{path}/")) {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                no_cache(r.headers_mut());
                r
            } else {
                not_found(&shared, path)
            }
        }
        None => not_found(&shared, path),
    }
}

fn read_site(shared: &Shared) -> std::sync::RwLockReadGuard<'_, super::Served> {
    match shared.site.read() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The build a response comes from: its error, if any, and its id, which the injected
/// script compares with the server's on connecting, so a change that lands between the
/// page's download and the event stream's connection still reloads the page.
struct BuildRef {
    error: Option<String>,
    build_id: String,
}

fn served(shared: &Shared, site: &super::Served) -> BuildRef {
    BuildRef {
        error: site.error.clone(),
        build_id: format!("{}:{}", shared.instance, site.generation),
    }
}

/// The bytes of Output file `key` and the build they come from. Built files are shared
/// with the Output, not copied.
async fn file(shared: &Shared, key: &str) -> Option<(Bytes, BuildRef)> {
    first_build_for(shared, key).await;
    let (body, error) = {
        let site = read_site(shared);
        let f = site.output.get(key)?;
        (f.body.clone(), served(shared, &site))
    };
    let bytes = match body {
        Body::Bytes(b) => b,
        Body::Copy(src) => {
            // A symlink among the assets may point anywhere: serve only what resolves
            // inside the site.
            let real = tokio::fs::canonicalize(&src).await.ok()?;
            if !real.starts_with(&shared.root) {
                return None;
            }
            Bytes::from(tokio::fs::read(&real).await.ok()?)
        }
        // serve's state holds its pages' bytes; a build's kept file is read as it is.
        Body::Kept(kept) => Bytes::from(tokio::fs::read(&kept.path).await.ok()?),
    };
    Some((bytes, error))
}

/// While only the early pages from the cache are served, a file they lack waits for the
/// first build: it may be a page whose source changed, an asset, the sitemap.
async fn first_build_for(shared: &Shared, key: &str) {
    // Subscribed before looking, so a publication in between is not missed.
    let mut settled = shared.settled.subscribe();
    if *settled.borrow() || read_site(shared).output.get(key).is_some() {
        return;
    }
    let _ = settled.wait_for(|done| *done).await;
}

fn respond(
    key: &str,
    bytes: Bytes,
    served: BuildRef,
    status: StatusCode,
    if_none_match: Option<HeaderValue>,
) -> Response {
    let kind = content_type(key);
    let bytes = if kind.starts_with("text/html") {
        Bytes::from(reload::inject(
            &bytes,
            served.error.as_deref(),
            &served.build_id,
        ))
    } else {
        bytes
    };
    let etag = format!("\"{:016x}-{:x}\"", fnv1a(&bytes), bytes.len());
    let fresh = status == StatusCode::OK
        && if_none_match.is_some_and(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim() == etag))
        });
    let mut r = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (status, bytes).into_response()
    };
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    no_cache(h);
    r
}

/// Browsers must revalidate every time (cheap with the ETag) so nothing stale shows.
fn no_cache(h: &mut HeaderMap) {
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// The site's 404 page; under `/<folder>/` the folder's own one when it has one (each
/// language of a multilingual site has its 404 page at `/<code>/404.html`).
fn not_found(shared: &Shared, path: &str) -> Response {
    let (page, error) = {
        let site = read_site(shared);
        let folder = path.trim_start_matches('/').split_once('/').map(|(f, _)| f);
        let own = folder.and_then(|f| site.output.get(&format!("{f}/404.html")));
        let page = match own.or_else(|| site.output.get("404.html")).map(|f| &f.body) {
            Some(Body::Bytes(b)) => Some(b.clone()),
            _ => None,
        };
        (page, served(shared, &site))
    };
    let page = page.unwrap_or_else(|| {
        Bytes::from_static(b"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>\n")
    });
    respond("404.html", page, error, StatusCode::NOT_FOUND, None)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut r = (status, text).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    no_cache(r.headers_mut());
    r
}

async fn events(shared: Arc<Shared>) -> Response {
    let rx = shared.events.subscribe();
    let hello = {
        let site = read_site(&shared);
        Event::hello(&shared.instance, site.generation, site.error.as_deref())
    };
    let first = futures_util::stream::once(async move { Ok::<_, Infallible>(hello.to_sse()) });
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(event) => event,
            // Too far behind to know what changed: reload everything.
            Err(RecvError::Lagged(_)) => Event::reload(Vec::new(), Vec::new(), 0, true),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(event.to_sse()), rx))
    });
    let mut r = Sse::new(first.chain(rest))
        .keep_alive(KeepAlive::default())
        .into_response();
    no_cache(r.headers_mut());
    r
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_resolve() {
        let file = |s: &str| Some(Resolved::File(s.to_string()));
        assert_eq!(resolve_path("/"), file("index.html"));
        assert_eq!(resolve_path("/a/b/"), file("a/b/index.html"));
        assert_eq!(
            resolve_path("/css/x.css"),
            Some(Resolved::Folder("css/x.css".into()))
        );
        assert_eq!(resolve_path("/caf%C3%A9/"), file("café/index.html"));
        assert_eq!(resolve_path("/a%20b/"), file("a b/index.html"));
    }

    #[test]
    fn unsafe_paths_are_refused() {
        for raw in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/a%2f..%2f..%2fetc",
            "/a%2F",
            "/%252e%252e/x",
            "/..%5c..%5cx",
            "/a\\b",
            "//etc/passwd",
            "/a//b",
            "/C:/Windows/win.ini",
            "/a%00.html",
            "/./a",
            "/%ff/",
            "relative",
        ] {
            assert_eq!(resolve_path(raw), None, "{raw}");
        }
    }

    #[test]
    fn hosts() {
        let local: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        assert!(host_allowed("127.0.0.1:4000", local));
        assert!(host_allowed("localhost:4000", local));
        assert!(host_allowed("[::1]:4000", local));
        assert!(!host_allowed("127.0.0.1:4001", local));
        assert!(!host_allowed("evil.example:4000", local));
        assert!(!host_allowed("localhost.evil.example:4000", local));
        assert!(!host_allowed("10.0.0.1:4000", local));
        assert!(!host_allowed("127.0.0.1", local));
        let any: SocketAddr = "0.0.0.0:4000".parse().unwrap();
        assert!(host_allowed("192.168.1.9:4000", any));
        assert!(!host_allowed("rebind.example:4000", any));
    }
}
