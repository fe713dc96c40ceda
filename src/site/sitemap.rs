//! `sitemap.xml` and `robots.txt` for the finished Output.

use super::insert;
use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::Diagnostic;
use crate::icons::html_escape;
use crate::output::{Output, OutputFile};

pub(super) fn add_sitemap_and_robots(
    output: &mut Output,
    config: &Config,
    content: &Content,
    problems: &mut Vec<Diagnostic>,
) {
    let mut urls: Vec<&str> = content.pages.iter().map(|p| p.url.as_str()).collect();
    urls.sort_unstable();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        xml.push_str(&format!(
            "  <url><loc>{}{}</loc></url>\n",
            html_escape(&config.base_url),
            html_escape(url.trim_start_matches('/'))
        ));
    }
    xml.push_str("</urlset>\n");
    insert(
        output,
        "sitemap.xml".into(),
        OutputFile::generated(xml.into_bytes(), "generated: sitemap"),
        problems,
    );
    if output.get("robots.txt").is_none() {
        let robots = format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            config.base_url
        );
        insert(
            output,
            "robots.txt".into(),
            OutputFile::generated(robots.into_bytes(), "generated: robots.txt"),
            problems,
        );
    }
}
