//! Live reload: the events browsers get over server-sent events, and the small script
//! injected into served HTML (never into `dcrsite build` output) that acts on them.

use axum::response::sse;
use serde_json::json;

use crate::icons::html_escape;

/// The server-sent-events endpoint. Kept under a name no site path is likely to use.
pub(super) const EVENTS_PATH: &str = "/__dcrsite/events";

/// One message to every open page.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    name: &'static str,
    data: serde_json::Value,
}

impl Event {
    /// New files are live: pages showing a changed file reload. `all` makes every page
    /// reload (a first build, or a good build after an error).
    pub(crate) fn reload(
        changed: Vec<String>,
        removed: Vec<String>,
        generation: u64,
        all: bool,
    ) -> Self {
        Event {
            name: "reload",
            data: json!({"changed": changed, "removed": removed, "generation": generation, "all": all}),
        }
    }

    /// Only stylesheets changed: pages swap `old` for `new` without reloading.
    pub(crate) fn css(swaps: Vec<(String, String)>, generation: u64) -> Self {
        Event {
            name: "css",
            data: json!({"swaps": swaps, "generation": generation}),
        }
    }

    /// A rebuild failed: pages show `message` over the last good build.
    pub(crate) fn error(message: String) -> Self {
        Event {
            name: "build-error",
            data: json!({ "message": message }),
        }
    }

    /// Sent first on each connection: which server and build this is, and any error.
    pub(crate) fn hello(instance: &str, generation: u64, error: Option<&str>) -> Self {
        Event {
            name: "hello",
            data: json!({"instance": instance, "generation": generation, "error": error}),
        }
    }

    pub(crate) fn to_sse(&self) -> sse::Event {
        sse::Event::default()
            .event(self.name)
            .data(self.data.to_string())
    }
}

const OVERLAY_STYLE: &str = "position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1em 1.25em;background:#2b0b0e;color:#ffe3e3;border-bottom:3px solid #ff5c5c;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap";

/// The script: reload keeping the scroll position when this page (or a file it may use)
/// changed, swap stylesheets in place when only CSS changed, show build errors in an
/// overlay, and reconnect after the server restarts (a new instance means reload).
const SCRIPT: &str = r#"(() => {
  const KEY = "dcrsite:scroll";
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
    if (s && s.path === location.pathname) {
      const go = () => window.scrollTo(s.x, s.y);
      if (document.readyState === "complete") go(); else addEventListener("load", go);
    }
  } catch (e) {}
  const here = () => {
    let p = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    return p === "" || p.endsWith("/") ? p + "index.html" : p;
  };
  const reload = () => {
    try { sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, x: scrollX, y: scrollY })); } catch (e) {}
    location.reload();
  };
  const overlay = (msg) => {
    let o = document.getElementById("dcrsite-error");
    if (!msg) { if (o) o.remove(); return; }
    if (!o) {
      o = document.createElement("pre");
      o.id = "dcrsite-error";
      o.setAttribute("role", "alert");
      o.style.cssText = STYLE;
      (document.body || document.documentElement).appendChild(o);
    }
    o.textContent = msg;
  };
  let seen = BUILD;
  let current = null;
  const connect = () => {
    const es = (current = new EventSource(EVENTS));
    es.addEventListener("hello", (e) => {
      const d = JSON.parse(e.data);
      const id = d.instance + ":" + d.generation;
      if (seen && seen !== id) { reload(); return; }
      seen = id;
      // Lets tools (and the browser test) see that live reload is connected.
      document.documentElement.dataset.dcrsiteLive = "1";
      overlay(d.error);
    });
    es.addEventListener("reload", (e) => {
      const d = JSON.parse(e.data);
      seen = seen && seen.split(":")[0] + ":" + d.generation;
      overlay(null);
      const mine = here();
      if (d.all || d.changed.concat(d.removed).some((p) => p === mine || !p.endsWith(".html"))) reload();
    });
    es.addEventListener("css", (e) => {
      const d = JSON.parse(e.data);
      seen = seen && seen.split(":")[0] + ":" + d.generation;
      overlay(null);
      for (const [from, to] of d.swaps) {
        for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
          if (new URL(link.href, location.href).pathname !== "/" + from) continue;
          const fresh = link.cloneNode();
          fresh.href = "/" + to;
          // The old sheet stays until the new one has loaded, so nothing flashes.
          fresh.onload = () => link.remove();
          link.after(fresh);
        }
      }
    });
    es.addEventListener("build-error", (e) => overlay(JSON.parse(e.data).message));
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) { es.close(); setTimeout(connect, 1000); }
    };
  };
  // A page kept in the back/forward cache must not keep its stream: Chromium allows six
  // connections to one host, and the seventh page visited would wait for one.
  addEventListener("pagehide", () => { if (current) { current.close(); current = null; } });
  addEventListener("pageshow", (e) => { if (e.persisted && !current) connect(); });
  connect();
})();"#;

/// What is added before `</body>`: the error overlay (so a page loaded while the build is
/// broken shows it at once) and the script.
pub(super) fn snippet(error: Option<&str>, build_id: &str) -> String {
    let mut out = String::new();
    if let Some(message) = error {
        out.push_str(&format!(
            "<pre id=\"dcrsite-error\" role=\"alert\" style=\"{OVERLAY_STYLE}\">{}</pre>",
            html_escape(message)
        ));
    }
    let script = SCRIPT
        .replace("STYLE", &format!("{OVERLAY_STYLE:?}"))
        .replace("EVENTS", &format!("{EVENTS_PATH:?}"))
        .replace("BUILD", &serde_json::Value::from(build_id).to_string());
    out.push_str("<script>");
    out.push_str(&script);
    out.push_str("</script>");
    out
}

/// `html` with the snippet before the last `</body>` (or at the end).
pub(super) fn inject(html: &[u8], error: Option<&str>, build_id: &str) -> Vec<u8> {
    let snippet = snippet(error, build_id);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end_and_escapes_errors() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, Some("a.md:1: error: <bad>"), "i:1")).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><pre id=\"dcrsite-error\""));
        assert!(out.contains("a.md:1: error: &lt;bad&gt;"));
        assert!(out.ends_with("</script></BODY></html>"));
        assert!(out.contains("new EventSource(\"/__dcrsite/events\")"));
        let bare = String::from_utf8(inject(b"no body", None, "i:1")).unwrap();
        assert!(bare.starts_with("no body<script>") && !bare.contains("dcrsite-error\" role"));
    }
}
