//! A published page as `--against` compares it: its URL (relative to the site's root,
//! `guide/setup/` for `guide/setup/index.html`), whether it only redirects, its anchors,
//! and its title and words for finding where a removed page went.

use std::collections::{BTreeSet, HashSet};

use crate::check::extract;

/// One page or file a site publishes.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// Relative to the site's root: `` (home), `guide/setup/`, `files/a.pdf`.
    pub key: String,
    /// A redirect page (`<meta http-equiv="refresh">`): the URL still leads somewhere.
    pub redirect: Option<String>,
    pub anchors: HashSet<String>,
    pub title: String,
    /// Distinct words of the page's main text (lowercase, three letters or more).
    pub words: BTreeSet<String>,
    /// Where the page comes from (`content/a.md`), for the new build only.
    pub source: Option<String>,
}

/// The URL key of an output path: `a/b/index.html` → `a/b/`, `index.html` → ``.
pub(super) fn key_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir.to_string(),
        _ => path.to_string(),
    }
}

/// Files whose names a build may hash or that readers never link to: not compared.
pub(super) fn is_compared(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    !matches!(
        ext.to_ascii_lowercase().as_str(),
        "css" | "js" | "mjs" | "map" | "woff" | "woff2" | "ttf" | "otf" | "eot" | "json" | "gz"
    )
}

/// Whether a path is an HTML page.
pub(super) fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// Reads a published HTML page.
pub(super) fn read_page(key: String, html: &[u8]) -> Published {
    let text = String::from_utf8_lossy(html);
    let anchors = extract::parse(html, false)
        .map(|d| d.anchors)
        .unwrap_or_default();
    let main = inner(&text, "main")
        .or_else(|| inner(&text, "article"))
        .or_else(|| inner(&text, "body"))
        .unwrap_or(&text);
    let title = inner(main, "h1")
        .or_else(|| inner(&text, "title"))
        .map(|t| collapse(&strip_tags(t)))
        .unwrap_or_default();
    Published {
        key,
        redirect: redirect_target(&text),
        anchors,
        title,
        words: words(&strip_tags(main)),
        source: None,
    }
}

/// The target of a `<meta http-equiv="refresh">`, if the page has one.
fn redirect_target(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let at = lower
        .find("http-equiv=\"refresh\"")
        .or_else(|| lower.find("http-equiv=refresh"))?;
    let tag_start = lower[..at].rfind('<')?;
    let tag_end = lower[at..].find('>')? + at;
    let tag = &html[tag_start..tag_end];
    let content = tag.split("content=").nth(1)?;
    let quote = content.chars().next()?;
    let value = match quote {
        '"' | '\'' => content[1..].split(quote).next()?,
        _ => content.split([' ', '>']).next()?,
    };
    extract::refresh_target(&extract::decode_entities(value))
}

/// The text between the first `<tag …>` and the last `</tag>`.
fn inner<'a>(html: &'a str, tag: &str) -> Option<&'a str> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let mut from = 0;
    let start = loop {
        let i = lower[from..].find(&open)? + from;
        let next = lower.as_bytes().get(i + open.len()).copied();
        if matches!(next, Some(b'>' | b' ' | b'\n' | b'\t' | b'\r')) {
            break lower[i..].find('>')? + i + 1;
        }
        from = i + open.len();
    };
    let end = lower.rfind(&format!("</{tag}>")).filter(|&e| e >= start)?;
    Some(&html[start..end])
}

/// The text of some HTML: tags, scripts and styles removed, entities decoded.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while i < html.len() {
        let rest = &lower[i..];
        if rest.starts_with("<script") || rest.starts_with("<style") {
            let close = if rest.starts_with("<script") {
                "</script>"
            } else {
                "</style>"
            };
            i = rest.find(close).map_or(html.len(), |e| i + e + close.len());
        } else if rest.starts_with('<') {
            i = rest.find('>').map_or(html.len(), |e| i + e + 1);
            out.push(' ');
        } else {
            let next = rest.find('<').map_or(html.len(), |e| i + e);
            out.push_str(&html[i..next]);
            i = next;
        }
    }
    extract::decode_entities(&out)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_paths() {
        assert_eq!(key_of("index.html"), "");
        assert_eq!(key_of("a/b/index.html"), "a/b/");
        assert_eq!(key_of("a/b.html"), "a/b.html");
        assert_eq!(key_of("a/myindex.html"), "a/myindex.html");
        assert!(is_compared("img/a.png") && !is_compared("css/site.1a2b.css"));
    }

    #[test]
    fn reads_title_words_anchors_and_redirects() {
        let html = b"<html><head><title>Site - Setup</title><style>p{}</style></head><body><nav>Menu</nav><main><h1 id=\"t\">Setup <em>guide</em></h1><p>Install the wallet &amp; run it.</p><script>var x</script></main></body></html>";
        let p = read_page("setup/".into(), html);
        assert_eq!(p.title, "Setup guide");
        assert!(p.anchors.contains("t"));
        assert!(p.words.contains("wallet") && p.words.contains("install"));
        assert!(!p.words.contains("menu") && !p.words.contains("var"));
        assert_eq!(p.redirect, None);
        let r = read_page(
            "old/".into(),
            b"<html><head><meta http-equiv=\"refresh\" content=\"0; url=/new/\"></head></html>",
        );
        assert_eq!(r.redirect.as_deref(), Some("/new/"));
    }
}
