//! Serving under a path prefix: templates and content write root-relative URLs (`/a/`);
//! when `base_url` has a path (`https://example.org/docs/`), every root-relative URL in
//! the HTML gets that prefix, raw HTML in Markdown included.

use lol_html::{element, HtmlRewriter, Settings};

/// Attributes that hold one URL.
const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("a[href]", "href"),
    ("area[href]", "href"),
    ("link[href]", "href"),
    ("img[src]", "src"),
    ("script[src]", "src"),
    ("iframe[src]", "src"),
    ("source[src]", "src"),
    ("video[src]", "src"),
    ("audio[src]", "src"),
    ("embed[src]", "src"),
    ("track[src]", "src"),
    ("video[poster]", "poster"),
    ("object[data]", "data"),
    ("form[action]", "action"),
    ("base[href]", "href"),
    // The theme's search script finds its index here (scripts cannot see the prefix).
    ("script[data-index]", "data-index"),
    // …and the site's root, which the index's page URLs are relative to (the index of
    // another language is in that language's folder, not at the root).
    ("script[data-root]", "data-root"),
];

/// `/x` → `/docs/x`; anything else (relative, `//host`, absolute URLs) untouched.
pub(crate) fn prefix_url(url: &str, base_path: &str) -> Option<String> {
    if url.starts_with('/') && !url.starts_with("//") {
        Some(format!("{}{}", base_path.trim_end_matches('/'), url))
    } else {
        None
    }
}

fn prefix_srcset(srcset: &str, base_path: &str) -> String {
    srcset
        .split(',')
        .map(|candidate| {
            let trimmed = candidate.trim_start();
            let lead = &candidate[..candidate.len() - trimmed.len()];
            match trimmed.split_once(char::is_whitespace) {
                Some((url, rest)) => format!(
                    "{lead}{} {rest}",
                    prefix_url(url, base_path).unwrap_or_else(|| url.to_string())
                ),
                None => format!(
                    "{lead}{}",
                    prefix_url(trimmed, base_path).unwrap_or_else(|| trimmed.to_string())
                ),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Rewrites root-relative URLs of an HTML document to live under `base_path`.
pub(crate) fn add_prefix(html: &[u8], base_path: &str) -> Result<Vec<u8>, String> {
    if base_path == "/" {
        return Ok(html.to_vec());
    }
    let mut handlers = Vec::new();
    for &(selector, attr) in URL_ATTRIBUTES {
        handlers.push(element!(selector, move |el| {
            if let Some(value) = el.get_attribute(attr) {
                if let Some(new) = prefix_url(&value, base_path) {
                    el.set_attribute(attr, &new)?;
                }
            }
            Ok(())
        }));
    }
    for selector in ["img[srcset]", "source[srcset]"] {
        handlers.push(element!(selector, move |el| {
            if let Some(value) = el.get_attribute("srcset") {
                el.set_attribute("srcset", &prefix_srcset(&value, base_path))?;
            }
            Ok(())
        }));
    }
    handlers.push(element!("meta[http-equiv][content]", move |el| {
        let refresh = el
            .get_attribute("http-equiv")
            .is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
        if let (true, Some(content)) = (refresh, el.get_attribute("content")) {
            if let Some((delay, url)) = content
                .split_once(";url=")
                .or_else(|| content.split_once("; url="))
            {
                if let Some(new) = prefix_url(url.trim(), base_path) {
                    el.set_attribute("content", &format!("{delay}; url={new}"))?;
                }
            }
        }
        Ok(())
    }));
    let mut out = Vec::with_capacity(html.len() + 256);
    let mut rewriter = HtmlRewriter::new(
        Settings {
            element_content_handlers: handlers,
            ..Settings::new()
        },
        |chunk: &[u8]| out.extend_from_slice(chunk),
    );
    rewriter.write(html).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_root_relative_urls_only() {
        let html = br##"<a href="/a/">x</a><a href="https://e.org/">y</a><a href="#f">z</a><img src="/img/i.svg" alt=""><img srcset="/a.png 1x, b.png 2x" alt=""><meta http-equiv="refresh" content="0; url=/new/"><a href="//cdn/x">c</a>"##;
        let out = String::from_utf8(add_prefix(html, "/docs/").unwrap()).unwrap();
        assert!(out.contains(r#"href="/docs/a/""#));
        assert!(out.contains(r#"href="https://e.org/""#));
        assert!(out.contains(r##"href="#f""##));
        assert!(out.contains(r#"src="/docs/img/i.svg""#));
        assert!(out.contains(r#"srcset="/docs/a.png 1x, b.png 2x""#));
        assert!(out.contains(r#"content="0; url=/docs/new/""#));
        assert!(out.contains(r#"href="//cdn/x""#));
    }

    #[test]
    fn root_base_path_changes_nothing() {
        assert_eq!(
            add_prefix(b"<a href=\"/a/\">", "/").unwrap(),
            b"<a href=\"/a/\">"
        );
    }
}
