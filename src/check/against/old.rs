//! The site as it was published: a folder of a previous build (from any generator), or
//! the URLs the published site's `sitemap.xml` lists (a sitemap index is followed one
//! level down).

use std::path::Path;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use url::Url;

use super::pages::{is_compared, is_html, key_of, read_page, Published};
use crate::check::CheckError;
use crate::content::inside::Inside;
use crate::content::walk;

/// What `--against` compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Old {
    Folder(std::path::PathBuf),
    Sitemap(Url),
}

impl Old {
    /// `http(s)://…` is a sitemap's URL; anything else a folder.
    pub fn parse(arg: &str) -> Result<Old, CheckError> {
        if arg.starts_with("http://") || arg.starts_with("https://") {
            Url::parse(arg)
                .map(Old::Sitemap)
                .map_err(|e| CheckError::BadAgainst(format!("`{arg}` is not a URL: {e}")))
        } else {
            Ok(Old::Folder(arg.into()))
        }
    }

    /// The pages and files the old site published.
    pub fn read(&self) -> Result<Vec<Published>, CheckError> {
        match self {
            Old::Folder(dir) => read_folder(dir),
            Old::Sitemap(url) => read_sitemap(url),
        }
    }
}

impl std::fmt::Display for Old {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Old::Folder(dir) => write!(f, "{}", dir.display()),
            Old::Sitemap(url) => write!(f, "{url}"),
        }
    }
}

fn read_folder(dir: &Path) -> Result<Vec<Published>, CheckError> {
    if !dir.is_dir() {
        return Err(CheckError::NotAFolder(dir.to_path_buf()));
    }
    let mut out = Vec::new();
    for entry in Inside::new(dir).walk(dir, false).flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let Some(path) = walk::to_slash_path(rel) else {
            continue;
        };
        if !is_compared(&path) {
            continue;
        }
        let key = key_of(&path);
        if is_html(&path) {
            let html = std::fs::read(entry.path()).map_err(|source| CheckError::Read {
                path: entry.path().to_path_buf(),
                source,
            })?;
            out.push(read_page(key, &html));
        } else {
            out.push(Published {
                key,
                ..Published::default()
            });
        }
    }
    Ok(out)
}

/// Seconds a sitemap may take to arrive.
const SITEMAP_TIMEOUT: Duration = Duration::from_secs(60);

fn read_sitemap(url: &Url) -> Result<Vec<Published>, CheckError> {
    let base = url
        .join("./")
        .map_err(|e| CheckError::BadAgainst(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CheckError::Http(e.to_string()))?;
    let client = reqwest::Client::builder()
        .user_agent(concat!("dcrsite-check/", env!("CARGO_PKG_VERSION")))
        .timeout(SITEMAP_TIMEOUT)
        .build()
        .map_err(|e| CheckError::Http(e.to_string()))?;
    let fetch = |u: &Url| runtime.block_on(fetch_text(&client, u));
    let text = fetch(url)?;
    let mut locs = locs(&text);
    if text.contains("<sitemapindex") {
        let mut pages = Vec::new();
        for sitemap in locs {
            let nested = Url::parse(&sitemap)
                .map_err(|e| CheckError::BadAgainst(format!("`{sitemap}`: {e}")))?;
            pages.extend(self::locs(&fetch(&nested)?));
        }
        locs = pages;
    }
    Ok(locs
        .iter()
        .filter_map(|loc| {
            let loc = Url::parse(loc).ok()?;
            let path = loc.path().strip_prefix(base.path())?;
            let key = percent_decode_str(path).decode_utf8_lossy().into_owned();
            Some(Published {
                key: key_of(&key),
                ..Published::default()
            })
        })
        .collect())
}

async fn fetch_text(client: &reqwest::Client, url: &Url) -> Result<String, CheckError> {
    let failed = |e: String| CheckError::BadAgainst(format!("cannot read {url}: {e}"));
    let response = client
        .get(url.clone())
        .send()
        .await
        .map_err(|e| failed(e.to_string()))?;
    let status = response.status();
    if !status.is_success() {
        return Err(failed(format!("HTTP {status}")));
    }
    response.text().await.map_err(|e| failed(e.to_string()))
}

/// The `<loc>` values of a sitemap, entities decoded.
fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|part| part.split("</loc>").next())
        .map(|loc| crate::check::extract::decode_entities(loc.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_locs() {
        let xml = "<urlset><url><loc> https://x.org/d/a/?q=1&amp;b=2 </loc></url><url><loc>https://x.org/d/</loc></url></urlset>";
        assert_eq!(
            locs(xml),
            ["https://x.org/d/a/?q=1&b=2", "https://x.org/d/"]
        );
    }

    #[test]
    fn urls_are_sitemaps_the_rest_folders() {
        assert!(matches!(
            Old::parse("https://x.org/sitemap.xml"),
            Ok(Old::Sitemap(_))
        ));
        assert_eq!(
            Old::parse("old/site").unwrap(),
            Old::Folder("old/site".into())
        );
    }
}
